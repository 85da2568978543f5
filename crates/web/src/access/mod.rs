//! Access: login, sessions and passwords; accounts and grants.
//!
//! The commands here (authorize, then one store call) are shared by the
//! HTML pages and the JSON API so that the rules live in one place.

pub mod accounts;
pub mod api;
pub mod login;

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use qingfeng_domain::access::{Action, Role};
use qingfeng_domain::auth::{check_password_policy, hash_password, validate_username};
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::{Msg, Validation, msg::required_text};
use qingfeng_store::access::GrantRecord;
use qingfeng_store::accounts::{Account, NewAccount};
use rand::Rng;
use uuid::Uuid;

/// A random initial password that satisfies the policy, e.g. `Kq7m-Ht3x-Wp9c`.
pub fn one_time_password() -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut rng = rand::rng();
    loop {
        let groups: Vec<String> =
            (0..3).map(|_| (0..4).map(|_| ALPHABET[rng.random_range(0..ALPHABET.len())] as char).collect()).collect();
        let pw = groups.join("-");
        if check_password_policy(&pw, "").is_ok() {
            return pw;
        }
    }
}

/// Hashes off the async runtime (argon2id takes tens of milliseconds).
pub async fn hash_blocking(password: String) -> AppResult<String> {
    tokio::task::spawn_blocking(move || hash_password(&password)).await.map_err(|e| AppError::Internal(e.to_string()))
}

/// Verifies off the async runtime.
pub async fn verify_blocking(password: String, phc: String) -> AppResult<bool> {
    tokio::task::spawn_blocking(move || qingfeng_domain::auth::verify_password(&password, &phc))
        .await
        .map_err(|e| AppError::Internal(e.to_string()))
}

/// Loads an account the user may see (404 otherwise).
pub async fn visible_account(state: &AppState, user: &User, id: Uuid, action: Action) -> AppResult<Account> {
    let a = state.store.accounts().get(id).await?;
    user.authorize(action, &a.scope())?;
    Ok(a)
}

/// What of an account a viewer may see: the linked person only if the
/// person is within the viewer's scope, and only the grants on units the
/// viewer may see (the number of hidden ones is returned, not what they are).
pub fn redact_account(user: &User, mut a: Account, grants: Vec<GrantRecord>) -> (Account, Vec<GrantRecord>, usize) {
    if !a.person_scope().is_some_and(|p| user.can(Action::ViewPeople, &p)) {
        a.person_id = None;
        a.person_name = None;
        a.person_path = None;
    }
    let total = grants.len();
    let visible: Vec<GrantRecord> =
        grants.into_iter().filter(|g| g.scope().is_ok_and(|s| user.can(Action::ViewAccounts, &s))).collect();
    let hidden = total - visible.len();
    (a, visible, hidden)
}

/// Loads an account the user may manage: its home unit *and every grant it
/// holds* must lie within the user's scope, so that nobody can take over
/// (reset, unlock, re-enable) an account with powers beyond their own.
pub async fn manageable_account(state: &AppState, user: &User, id: Uuid) -> AppResult<Account> {
    let a = visible_account(state, user, id, Action::ManageAccounts).await?;
    for g in state.store.grants().of_account(id).await? {
        if !user.can(Action::ManageAccounts, &g.scope()?) {
            return Err(AppError::Forbidden {
                code: "account_beyond_scope",
                msg: Msg::new(
                    "该账号拥有超出您管辖范围的授权，请由上级管理员操作",
                    "this account holds grants beyond your scope; ask a higher-level administrator",
                ),
            });
        }
    }
    Ok(a)
}

/// The scope path of a unit the user names in a form, checked for `action`.
pub async fn unit_in_scope(state: &AppState, user: &User, unit: Option<Uuid>, action: Action) -> AppResult<OrgPath> {
    match unit {
        Some(id) => {
            let u = state.store.orgs().get(id).await?;
            user.authorize(action, &u.path)?;
            Ok(u.path)
        }
        None => {
            user.authorize(action, &OrgPath::global())?;
            Ok(OrgPath::global())
        }
    }
}

/// What an administrator types to create an account.
#[derive(Debug, Clone, Default, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct AccountInput {
    pub username: String,
    pub display_name: String,
    /// Home unit; null only for deployment-wide accounts.
    pub org_unit_id: Option<Uuid>,
    pub person_id: Option<Uuid>,
}

/// Creates an account with a one-time password (returned, shown once).
pub async fn create_account(state: &AppState, user: &User, input: &AccountInput) -> AppResult<(Account, String)> {
    let mut v = Validation::new();
    let username = v.check("username", validate_username(&input.username));
    let display_name = v.check("display_name", required_text(&input.display_name, 50));
    v.into_result()?;
    unit_in_scope(state, user, input.org_unit_id, Action::ManageAccounts).await?;
    if let Some(pid) = input.person_id {
        let p = state.store.people().get(pid).await?;
        user.authorize(Action::ViewPeople, &p.scope()?)?;
    }
    let password = one_time_password();
    let new = NewAccount {
        username: username.unwrap_or_default(),
        display_name: display_name.unwrap_or_default(),
        org_unit_id: input.org_unit_id,
        person_id: input.person_id,
        password_hash: hash_blocking(password.clone()).await?,
        must_change_password: true,
    };
    let account = state.store.accounts().create(&user.who(), &new).await?;
    Ok((account, password))
}

/// Issues a new one-time password for an account.
pub async fn reset_password(state: &AppState, user: &User, id: Uuid) -> AppResult<(Account, String)> {
    manageable_account(state, user, id).await?;
    let password = one_time_password();
    let hash = hash_blocking(password.clone()).await?;
    let account = state.store.accounts().set_password(&user.who(), id, &hash, true, None).await?;
    Ok((account, password))
}

pub async fn set_account_active(state: &AppState, user: &User, id: Uuid, active: bool) -> AppResult<Account> {
    manageable_account(state, user, id).await?;
    if !active && id == user.account.id {
        return Err(AppError::Refused(qingfeng_domain::Refusal::new(
            "self_disable",
            "不能停用自己的账号",
            "you cannot disable your own account",
        )));
    }
    Ok(state.store.accounts().set_active(&user.who(), id, active).await?)
}

pub async fn unlock_account(state: &AppState, user: &User, id: Uuid) -> AppResult<Account> {
    manageable_account(state, user, id).await?;
    Ok(state.store.accounts().unlock(&user.who(), id).await?)
}

/// A grant as typed in a form or sent to the API.
#[derive(Debug, Clone, serde::Deserialize, utoipa::ToSchema)]
#[serde(deny_unknown_fields)]
pub struct GrantInput {
    pub account_id: Uuid,
    /// One of `system_admin`, `discipline_officer`, `party_leader`, `unit_operator`,
    /// `branch_secretary`, `member`, `inspector`, `auditor`.
    pub role: String,
    /// The unit whose subtree the role covers; null for deployment-wide.
    pub org_unit_id: Option<Uuid>,
}

pub async fn create_grant(state: &AppState, user: &User, input: &GrantInput) -> AppResult<GrantRecord> {
    let role = Role::parse(input.role.trim())
        .ok_or_else(|| AppError::field("role", Msg::new("请选择角色", "choose a role")))?;
    visible_account(state, user, input.account_id, Action::ViewAccounts).await?;
    unit_in_scope(state, user, input.org_unit_id, Action::ManageGrants).await?;
    Ok(state.store.grants().create(&user.who(), input.account_id, role, input.org_unit_id).await?)
}

pub async fn revoke_grant(state: &AppState, user: &User, id: Uuid) -> AppResult<GrantRecord> {
    let g = state.store.grants().get(id).await?;
    visible_account(state, user, g.account_id, Action::ViewAccounts).await?;
    user.authorize(Action::ManageGrants, &g.scope()?)?;
    if g.account_id == user.account.id && g.role == Role::SystemAdmin.as_str() {
        return Err(AppError::Refused(qingfeng_domain::Refusal::new(
            "self_revoke_admin",
            "不能撤销自己的系统管理员授权，请由其他管理员操作",
            "you cannot revoke your own administrator grant; ask another administrator",
        )));
    }
    Ok(state.store.grants().revoke(&user.who(), id).await?)
}

#[cfg(test)]
mod tests {
    #[test]
    fn one_time_passwords_pass_the_policy_and_differ() {
        let a = super::one_time_password();
        assert!(qingfeng_domain::auth::check_password_policy(&a, "admin").is_ok(), "{a}");
        assert_ne!(a, super::one_time_password());
        assert_eq!(a.len(), 14);
    }
}
