//! Accounts, logins and API tokens.

use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_pool, exec_tx, fetch_all_as, fetch_page, fetch_scalar, on_tx};
use crate::{Result, Store, StoreError};
use qingfeng_domain::audit::HashAlgo;
use qingfeng_domain::audit::session_digest;
use qingfeng_domain::auth::{FailureOutcome, LoginPolicy};
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_domain::{Msg, Refusal, Validation};
use serde_json::{Value, json};
use std::fmt;
use uuid::Uuid;

pub const ENTITY: &str = "account";
pub const TOKEN_ENTITY: &str = "api_token";

#[derive(Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Account {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub org_unit_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub password_hash: String,
    pub must_change_password: bool,
    pub failed_logins: i32,
    pub locked_until: Option<Ts>,
    pub active: bool,
    pub last_login_at: Option<Ts>,
    pub password_changed_at: Ts,
    pub created_at: Ts,
    pub updated_at: Ts,
    pub org_unit_name: Option<String>,
    pub org_path: Option<String>,
    pub person_name: Option<String>,
    /// Path of the linked person's unit (joined, for access checks).
    pub person_path: Option<String>,
}

impl fmt::Debug for Account {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Account")
            .field("id", &self.id)
            .field("username", &self.username)
            .field("password_hash", &"<redacted>")
            .field("active", &self.active)
            .finish_non_exhaustive()
    }
}

impl Account {
    /// The recorded state; the password hash appears only as its digest.
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id,
            "username": self.username,
            "display_name": self.display_name,
            "org_unit_id": self.org_unit_id,
            "person_id": self.person_id,
            "password_hash": format!("sm3:{}", HashAlgo::Sm3.digest(self.password_hash.as_bytes())),
            "must_change_password": self.must_change_password,
            "failed_logins": self.failed_logins,
            "locked_until": self.locked_until.map(Ts::rfc3339),
            "active": self.active,
            "last_login_at": self.last_login_at.map(Ts::rfc3339),
            "password_changed_at": self.password_changed_at.rfc3339(),
            "created_at": self.created_at.rfc3339(),
        })
    }

    /// Path of the linked person's unit, if any.
    pub fn person_scope(&self) -> Option<OrgPath> {
        self.person_path.as_deref().and_then(OrgPath::parse)
    }

    /// The scope this account record belongs to (its home unit; accounts
    /// without one are deployment-wide and only seen by deployment-wide admins).
    pub fn scope(&self) -> OrgPath {
        self.org_path.as_deref().and_then(OrgPath::parse).unwrap_or_else(OrgPath::global)
    }
}

macro_rules! select_accounts {
    () => {
        "SELECT a.id, a.username, a.display_name, a.org_unit_id, a.person_id, a.password_hash, a.must_change_password, \
         a.failed_logins, a.locked_until, a.active, a.last_login_at, a.password_changed_at, a.created_at, a.updated_at, \
         o.name AS org_unit_name, o.path AS org_path, p.name AS person_name, po.path AS person_path \
         FROM accounts a LEFT JOIN org_units o ON o.id = a.org_unit_id LEFT JOIN people p ON p.id = a.person_id \
         LEFT JOIN org_units po ON po.id = p.org_unit_id"
    };
}

pub(crate) async fn get_in(tx: &mut Tx, id: Uuid) -> Result<Account> {
    let a: Option<Account> = on_tx!(tx, c => sqlx::query_as(concat!(select_accounts!(), " WHERE a.id = $1")).bind(id).fetch_optional(c).await)?;
    a.ok_or(StoreError::NotFound)
}

/// A new account.
#[derive(Debug, Clone)]
pub struct NewAccount {
    pub username: String,
    pub display_name: String,
    pub org_unit_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
    pub password_hash: String,
    pub must_change_password: bool,
}

#[derive(Debug, Clone, Default)]
pub struct AccountFilter {
    pub q: Option<String>,
    pub include_inactive: bool,
}

/// An API token (the secret itself is never stored, only its SHA-256).
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct ApiToken {
    pub id: Uuid,
    pub account_id: Uuid,
    pub name: String,
    pub token_hash: String,
    pub created_at: Ts,
    pub expires_at: Option<Ts>,
    pub revoked_at: Option<Ts>,
    pub last_used_at: Option<Ts>,
}

impl ApiToken {
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id,
            "account_id": self.account_id,
            "name": self.name,
            "token_hash": self.token_hash,
            "created_at": self.created_at.rfc3339(),
            "expires_at": self.expires_at.map(Ts::rfc3339),
            "revoked_at": self.revoked_at.map(Ts::rfc3339),
        })
    }

    pub fn usable(&self, now: Ts) -> bool {
        self.revoked_at.is_none() && self.expires_at.is_none_or(|e| e > now)
    }
}

const TOKEN_COLS: &str =
    "SELECT id, account_id, name, token_hash, created_at, expires_at, revoked_at, last_used_at FROM api_tokens";

pub struct Accounts<'a>(pub(crate) &'a Store);

/// The result of a sign-in with a correct password.
#[derive(Debug)]
pub enum LoginOutcome {
    SignedIn(Account),
    /// Disabled or locked by the time the write transaction ran.
    Refused {
        reason: &'static str,
        account: Account,
    },
}

fn refused_draft(account: &Account, reason: &'static str) -> Draft {
    Draft {
        action: "auth.login_refused",
        entity: ENTITY,
        entity_id: account.id.to_string(),
        org_unit_id: account.org_unit_id,
        state: None,
        detail: Some(json!({ "reason": reason })),
    }
}

/// Usernames as typed at a failed login are only recorded when they look
/// like a username, so that a password typed into the wrong box never lands
/// in the audit trail.
fn loggable_username(typed: &str) -> Value {
    let plausible = !typed.is_empty()
        && typed.len() <= 64
        && typed.chars().all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
    if plausible { Value::String(typed.to_string()) } else { Value::String("<not a valid username>".into()) }
}

impl Accounts<'_> {
    pub async fn get(&self, id: Uuid) -> Result<Account> {
        let mut q = Sql::new(select_accounts!());
        q.push(" WHERE a.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Account, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub async fn find_by_username(&self, username: &str) -> Result<Option<Account>> {
        let mut q = Sql::new(select_accounts!());
        q.push(" WHERE a.username = ").arg(username.trim().to_lowercase());
        Ok(fetch_all_as!(&self.0.pool, Account, q)?.into_iter().next())
    }

    /// The account linked to a person, if any.
    pub async fn of_person(&self, person_id: Uuid) -> Result<Option<Account>> {
        let mut q = Sql::new(select_accounts!());
        q.push(" WHERE a.person_id = ").arg(person_id);
        Ok(fetch_all_as!(&self.0.pool, Account, q)?.into_iter().next())
    }

    /// Whether any account exists (an empty database gets a first admin).
    pub async fn any(&self) -> Result<bool> {
        Ok(fetch_scalar!(&self.0.pool, i64, Sql::new("SELECT COUNT(*) FROM accounts"))? > 0)
    }

    /// Accounts whose home unit lies within `scopes`.
    pub async fn list(&self, scopes: &[OrgPath], f: &AccountFilter, page: PageRequest) -> Result<Page<Account>> {
        let mut w = Sql::new(" WHERE ");
        if scopes.iter().any(OrgPath::is_global) {
            w.push("1 = 1");
        } else {
            w.scope_filter("o.path", scopes);
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            w.push(" AND ").contains(&["a.username", "a.display_name"], q);
        }
        if !f.include_inactive {
            w.push(" AND a.active");
        }
        let (items, total) = fetch_page!(
            &self.0.pool,
            Account,
            select_accounts!(),
            "SELECT COUNT(*) FROM accounts a LEFT JOIN org_units o ON o.id = a.org_unit_id",
            w,
            " ORDER BY o.path NULLS FIRST, a.username",
            &page
        )?;
        Ok(page.of(items, total))
    }

    pub async fn create(&self, who: &Who, new: &NewAccount) -> Result<Account> {
        let mut tx = self.0.pool.begin_write().await?;
        let username = new.username.trim().to_lowercase();
        let mut v = Validation::new();
        let taken: i64 = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE username = $1")
            .bind(&username).fetch_one(c).await)?;
        if taken > 0 {
            v.add("username", Msg::new("用户名已被使用", "this username is taken"));
        }
        if let Some(pid) = new.person_id {
            let linked: i64 = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT COUNT(*) FROM accounts WHERE person_id = $1")
                .bind(pid).fetch_one(c).await)?;
            if linked > 0 {
                v.add("person_id", Msg::new("此人已有账号", "this person already has an account"));
            }
        }
        v.into_result()?;
        let id = Uuid::now_v7();
        let now = Ts::now();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO accounts (id, username, display_name, org_unit_id, person_id, password_hash, must_change_password, \
             failed_logins, active, password_changed_at, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 0, TRUE, $8, $8, $8)")
            .bind(id).bind(&username).bind(new.display_name.trim()).bind(new.org_unit_id).bind(new.person_id)
            .bind(&new.password_hash).bind(new.must_change_password).bind(now)
            .execute(c).await)?;
        let account = get_in(&mut tx, id).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("account.create", ENTITY, id, account.org_unit_id, account.snapshot()),
        )
        .await?;
        Ok(account)
    }

    /// Sets a new password hash. `reset` (by an administrator) forces a
    /// change at next login; a user's own change clears that flag. Either
    /// way the lock-out is cleared and every other session ends.
    pub async fn set_password(
        &self,
        who: &Who,
        id: Uuid,
        hash: &str,
        reset: bool,
        keep_session: Option<&str>,
    ) -> Result<Account> {
        let mut tx = self.0.pool.begin_write().await?;
        get_in(&mut tx, id).await?;
        let now = Ts::now();
        exec_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE accounts SET password_hash = $1, must_change_password = $2, failed_logins = 0, locked_until = NULL, \
                 password_changed_at = $3, updated_at = $3 WHERE id = $4")
                .bind(hash).bind(reset).bind(now).bind(id).execute(&mut *c).await?;
            sqlx::query("DELETE FROM sessions WHERE account_id = $1 AND token_hash <> $2")
                .bind(id).bind(keep_session.unwrap_or("")).execute(c).await
        })?;
        let account = get_in(&mut tx, id).await?;
        let action = if reset { "account.password_reset" } else { "account.password_change" };
        commit_with(tx, self.0.algo, who, Draft::change(action, ENTITY, id, account.org_unit_id, account.snapshot()))
            .await?;
        Ok(account)
    }

    /// Enables or disables an account; disabling ends its sessions.
    pub async fn set_active(&self, who: &Who, id: Uuid, active: bool) -> Result<Account> {
        let mut tx = self.0.pool.begin_write().await?;
        let before = get_in(&mut tx, id).await?;
        if before.active == active {
            return Err(Refusal::new("no_change", "状态未变化", "nothing to change").into());
        }
        exec_tx!(&mut tx, c => sqlx::query("UPDATE accounts SET active = $1, updated_at = $2 WHERE id = $3")
            .bind(active).bind(Ts::now()).bind(id).execute(c).await)?;
        if !active {
            exec_tx!(&mut tx, c => sqlx::query("DELETE FROM sessions WHERE account_id = $1").bind(id).execute(c).await)?;
        }
        let account = get_in(&mut tx, id).await?;
        let action = if active { "account.enable" } else { "account.disable" };
        commit_with(tx, self.0.algo, who, Draft::change(action, ENTITY, id, account.org_unit_id, account.snapshot()))
            .await?;
        Ok(account)
    }

    /// Lifts a lock-out early.
    pub async fn unlock(&self, who: &Who, id: Uuid) -> Result<Account> {
        let mut tx = self.0.pool.begin_write().await?;
        get_in(&mut tx, id).await?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE accounts SET failed_logins = 0, locked_until = NULL, updated_at = $1 WHERE id = $2")
            .bind(Ts::now()).bind(id).execute(c).await)?;
        let account = get_in(&mut tx, id).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("account.unlock", ENTITY, id, account.org_unit_id, account.snapshot()),
        )
        .await?;
        Ok(account)
    }

    /// Records a wrong password and the lock-out it may cause. The count is
    /// read and written inside the serialised write transaction, so parallel
    /// attempts cannot overwrite each other or lift a fresh lock.
    pub async fn record_failure(&self, id: Uuid, policy: &LoginPolicy) -> Result<(Account, FailureOutcome)> {
        let mut tx = self.0.pool.begin_write().await?;
        let before = get_in(&mut tx, id).await?;
        let now = Ts::now();
        let who = Who { account_id: None, label: format!("login:{}", before.username) };
        if policy.is_locked(before.locked_until.map(|t| t.0), now.0) {
            // Locked meanwhile by a parallel attempt: refused, nothing changes.
            let outcome = FailureOutcome {
                failures: before.failed_logins.max(0) as u32,
                locked_until: before.locked_until.map(|t| t.0),
            };
            let draft = refused_draft(&before, "locked");
            commit_with(tx, self.0.algo, &who, draft).await?;
            return Ok((before, outcome));
        }
        // An expired lock-out starts a fresh count.
        let so_far = if before.locked_until.is_some() { 0 } else { before.failed_logins.max(0) as u32 };
        let outcome = policy.after_failure(so_far, now.0);
        exec_tx!(&mut tx, c => sqlx::query("UPDATE accounts SET failed_logins = $1, locked_until = $2, updated_at = $3 WHERE id = $4")
            .bind(i32::try_from(outcome.failures).unwrap_or(i32::MAX)).bind(outcome.locked_until.map(Ts::from)).bind(now).bind(id)
            .execute(c).await)?;
        let account = get_in(&mut tx, id).await?;
        let action = if outcome.locked_until.is_some() { "auth.locked_out" } else { "auth.login_failed" };
        let draft = Draft::change(action, ENTITY, id, account.org_unit_id, account.snapshot())
            .with_detail(json!({ "failures": outcome.failures }));
        commit_with(tx, self.0.algo, &who, draft).await?;
        Ok((account, outcome))
    }

    /// Records a refused attempt on a locked or disabled account (the
    /// password was not even checked; nothing about the account changes).
    pub async fn record_refused(&self, account: &Account, reason: &'static str) -> Result<()> {
        let tx = self.0.pool.begin_write().await?;
        let who = Who { account_id: None, label: format!("login:{}", account.username) };
        commit_with(tx, self.0.algo, &who, refused_draft(account, reason)).await
    }

    /// Records a login attempt for a username that does not exist.
    pub async fn record_unknown_user(&self, typed: &str) -> Result<()> {
        let tx = self.0.pool.begin_write().await?;
        let who = Who { account_id: None, label: "login:?".into() };
        let draft = Draft {
            action: "auth.login_failed",
            entity: ENTITY,
            entity_id: String::new(),
            org_unit_id: None,
            state: None,
            detail: Some(json!({ "username": loggable_username(typed), "reason": "unknown_user" })),
        };
        commit_with(tx, self.0.algo, &who, draft).await
    }

    /// A correct password: opens a session and clears the failures — unless,
    /// checked again inside the write transaction, the account was disabled
    /// or locked meanwhile (then the refusal is recorded instead).
    pub async fn login(&self, id: Uuid, session_hash: &str, csrf: &str, policy: &LoginPolicy) -> Result<LoginOutcome> {
        let mut tx = self.0.pool.begin_write().await?;
        let now = Ts::now();
        let before = get_in(&mut tx, id).await?;
        let refusal = if !before.active {
            Some("disabled")
        } else if policy.is_locked(before.locked_until.map(|t| t.0), now.0) {
            Some("locked")
        } else {
            None
        };
        if let Some(reason) = refusal {
            let who = Who { account_id: None, label: format!("login:{}", before.username) };
            commit_with(tx, self.0.algo, &who, refused_draft(&before, reason)).await?;
            return Ok(LoginOutcome::Refused { reason, account: before });
        }
        exec_tx!(&mut tx, c => {
            sqlx::query("UPDATE accounts SET failed_logins = 0, locked_until = NULL, last_login_at = $1, updated_at = $1 WHERE id = $2")
                .bind(now).bind(id).execute(&mut *c).await?;
            sqlx::query("INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at) VALUES ($1, $2, $3, $4, $4)")
                .bind(session_hash).bind(id).bind(csrf).bind(now).execute(c).await
        })?;
        let account = get_in(&mut tx, id).await?;
        let who = Who::account(id, &account.username);
        let draft = Draft::change("auth.login", ENTITY, id, account.org_unit_id, account.snapshot())
            .with_detail(json!({ "session": session_digest(session_hash) }));
        commit_with(tx, self.0.algo, &who, draft).await?;
        Ok(LoginOutcome::SignedIn(account))
    }

    /// Ends a session (logout).
    pub async fn logout(&self, who: &Who, session_hash: &str) -> Result<()> {
        let mut tx = self.0.pool.begin_write().await?;
        let deleted = exec_tx!(&mut tx, c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(session_hash).execute(c).await)?;
        if deleted > 0 {
            let draft = Draft {
                action: "auth.logout",
                entity: ENTITY,
                entity_id: who.account_id.map(|u| u.to_string()).unwrap_or_default(),
                org_unit_id: None,
                state: None,
                detail: None,
            };
            return commit_with(tx, self.0.algo, who, draft).await;
        }
        tx.commit().await
    }

    pub(crate) async fn snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_accounts!());
        q.push(" ORDER BY a.id");
        Ok(fetch_all_as!(&self.0.pool, Account, q)?.into_iter().map(|a| (a.id.to_string(), a.snapshot())).collect())
    }

    // ---- API tokens ----

    /// Stores a new token (`token_hash` is the SHA-256 of the secret).
    pub async fn create_token(
        &self,
        who: &Who,
        account_id: Uuid,
        name: &str,
        token_hash: &str,
        expires_at: Option<Ts>,
    ) -> Result<ApiToken> {
        let mut tx = self.0.pool.begin_write().await?;
        let account = get_in(&mut tx, account_id).await?;
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO api_tokens (id, account_id, name, token_hash, created_at, expires_at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(account_id).bind(name).bind(token_hash).bind(Ts::now()).bind(expires_at).execute(c).await)?;
        let token = token_in(&mut tx, id).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("token.create", TOKEN_ENTITY, id, account.org_unit_id, token.snapshot()),
        )
        .await?;
        Ok(token)
    }

    pub async fn revoke_token(&self, who: &Who, id: Uuid) -> Result<ApiToken> {
        let mut tx = self.0.pool.begin_write().await?;
        let token = token_in(&mut tx, id).await?;
        let account = get_in(&mut tx, token.account_id).await?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE api_tokens SET revoked_at = $1 WHERE id = $2 AND revoked_at IS NULL")
            .bind(Ts::now()).bind(id).execute(c).await)?;
        let token = token_in(&mut tx, id).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("token.revoke", TOKEN_ENTITY, id, account.org_unit_id, token.snapshot()),
        )
        .await?;
        Ok(token)
    }

    pub async fn find_token(&self, token_hash: &str) -> Result<Option<ApiToken>> {
        let mut q = Sql::new(TOKEN_COLS);
        q.push(" WHERE token_hash = ").arg(token_hash);
        Ok(fetch_all_as!(&self.0.pool, ApiToken, q)?.into_iter().next())
    }

    pub async fn tokens_of(&self, account_id: Uuid) -> Result<Vec<ApiToken>> {
        let mut q = Sql::new(TOKEN_COLS);
        q.push(" WHERE account_id = ").arg(account_id).push(" ORDER BY created_at DESC");
        Ok(fetch_all_as!(&self.0.pool, ApiToken, q)?)
    }

    /// Notes when a token was last used (not audited: reading is not a change).
    pub async fn touch_token(&self, id: Uuid, now: Ts) -> Result<()> {
        exec_pool!(&self.0.pool, c => sqlx::query("UPDATE api_tokens SET last_used_at = $1 WHERE id = $2").bind(now).bind(id).execute(c).await)?;
        Ok(())
    }

    pub(crate) async fn token_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(TOKEN_COLS);
        q.push(" ORDER BY id");
        Ok(fetch_all_as!(&self.0.pool, ApiToken, q)?.into_iter().map(|t| (t.id.to_string(), t.snapshot())).collect())
    }
}

async fn token_in(tx: &mut Tx, id: Uuid) -> Result<ApiToken> {
    let t: Option<ApiToken> = on_tx!(tx, c => sqlx::query_as(
        "SELECT id, account_id, name, token_hash, created_at, expires_at, revoked_at, last_used_at FROM api_tokens WHERE id = $1")
        .bind(id).fetch_optional(c).await)?;
    t.ok_or(StoreError::NotFound)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_password_typed_as_username_is_not_recorded() {
        assert_eq!(loggable_username("zhang.san"), Value::String("zhang.san".into()));
        assert_eq!(loggable_username("Qingfeng@2026"), Value::String("<not a valid username>".into()));
    }
}
