//! Grants: a role on an org node (or deployment-wide).

use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, on_tx};
use crate::{Result, Store, StoreError};
use qingfeng_domain::access::{Grant, Role};
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::{Msg, Validation};
use serde_json::{Value, json};
use uuid::Uuid;

pub const ENTITY: &str = "grant";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct GrantRecord {
    pub id: Uuid,
    pub account_id: Uuid,
    pub role: String,
    /// `None`: deployment-wide.
    pub org_unit_id: Option<Uuid>,
    pub created_at: Ts,
    pub org_unit_name: Option<String>,
    pub org_path: Option<String>,
    pub username: String,
    pub display_name: String,
    /// Path of the account's home unit (`None`: deployment-wide account).
    pub account_path: Option<String>,
}

impl GrantRecord {
    pub fn role(&self) -> Result<Role> {
        Role::parse(&self.role).ok_or_else(|| StoreError::Corrupt(format!("role `{}`", self.role)))
    }

    pub fn scope(&self) -> Result<OrgPath> {
        match &self.org_path {
            None => Ok(OrgPath::global()),
            Some(p) => OrgPath::parse(p).ok_or_else(|| StoreError::Corrupt(format!("org path `{p}`"))),
        }
    }

    /// Scope of the account holding the grant (its home unit).
    pub fn account_scope(&self) -> OrgPath {
        self.account_path.as_deref().and_then(OrgPath::parse).unwrap_or_else(OrgPath::global)
    }

    pub fn grant(&self) -> Result<Grant> {
        Ok(Grant { role: self.role()?, scope: self.scope()? })
    }

    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id,
            "account_id": self.account_id,
            "role": self.role,
            "org_unit_id": self.org_unit_id,
            "created_at": self.created_at.rfc3339(),
        })
    }
}

macro_rules! select_grants {
    () => {
        "SELECT g.id, g.account_id, g.role, g.org_unit_id, g.created_at, o.name AS org_unit_name, o.path AS org_path, \
         a.username, a.display_name, ao.path AS account_path \
         FROM grants g JOIN accounts a ON a.id = g.account_id LEFT JOIN org_units o ON o.id = g.org_unit_id \
         LEFT JOIN org_units ao ON ao.id = a.org_unit_id"
    };
}

async fn get_in(tx: &mut Tx, id: Uuid) -> Result<GrantRecord> {
    let g: Option<GrantRecord> = on_tx!(tx, c => sqlx::query_as(concat!(select_grants!(), " WHERE g.id = $1")).bind(id).fetch_optional(c).await)?;
    g.ok_or(StoreError::NotFound)
}

pub struct Grants<'a>(pub(crate) &'a Store);

impl Grants<'_> {
    pub async fn get(&self, id: Uuid) -> Result<GrantRecord> {
        let mut q = Sql::new(select_grants!());
        q.push(" WHERE g.id = ").arg(id);
        fetch_all_as!(&self.0.pool, GrantRecord, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub async fn of_account(&self, account_id: Uuid) -> Result<Vec<GrantRecord>> {
        let mut q = Sql::new(select_grants!());
        q.push(" WHERE g.account_id = ").arg(account_id).push(" ORDER BY o.path, g.role");
        Ok(fetch_all_as!(&self.0.pool, GrantRecord, q)?)
    }

    /// Grants made directly on one unit.
    pub async fn on_unit(&self, unit: Uuid) -> Result<Vec<GrantRecord>> {
        let mut q = Sql::new(select_grants!());
        q.push(" WHERE g.org_unit_id = ").arg(unit).push(" AND a.active ORDER BY g.role, a.username");
        Ok(fetch_all_as!(&self.0.pool, GrantRecord, q)?)
    }

    /// The grants an account acts with (resolved to paths).
    pub async fn effective(&self, account_id: Uuid) -> Result<Vec<Grant>> {
        self.of_account(account_id).await?.iter().map(GrantRecord::grant).collect()
    }

    pub async fn create(
        &self,
        who: &Who,
        account_id: Uuid,
        role: Role,
        org_unit_id: Option<Uuid>,
    ) -> Result<GrantRecord> {
        let mut tx = self.0.pool.begin_write().await?;
        let account = crate::accounts::get_in(&mut tx, account_id).await?;
        if let Some(u) = org_unit_id {
            crate::org::get_in(&mut tx, u).await?;
        }
        let dup: i64 = on_tx!(&mut tx, c => sqlx::query_scalar(
            "SELECT COUNT(*) FROM grants WHERE account_id = $1 AND role = $2 AND \
             ((org_unit_id IS NULL AND $3 IS NULL) OR org_unit_id = $3)")
            .bind(account_id).bind(role.as_str()).bind(org_unit_id).fetch_one(c).await)?;
        if dup > 0 {
            let mut v = Validation::new();
            v.add("role", Msg::new("该账号在此组织已有此角色", "the account already has this role on this unit"));
            return Err(v.into());
        }
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query("INSERT INTO grants (id, account_id, role, org_unit_id, created_at) VALUES ($1, $2, $3, $4, $5)")
            .bind(id).bind(account_id).bind(role.as_str()).bind(org_unit_id).bind(Ts::now()).execute(c).await)?;
        let g = get_in(&mut tx, id).await?;
        let draft = Draft::change("grant.create", ENTITY, id, org_unit_id, g.snapshot())
            .with_detail(json!({ "username": account.username }));
        commit_with(tx, self.0.algo, who, draft).await?;
        Ok(g)
    }

    pub async fn revoke(&self, who: &Who, id: Uuid) -> Result<GrantRecord> {
        let mut tx = self.0.pool.begin_write().await?;
        let g = get_in(&mut tx, id).await?;
        exec_tx!(&mut tx, c => sqlx::query("DELETE FROM grants WHERE id = $1").bind(id).execute(c).await)?;
        let draft = Draft {
            action: "grant.revoke",
            entity: ENTITY,
            entity_id: id.to_string(),
            org_unit_id: g.org_unit_id,
            state: Some(None),
            detail: Some(json!({ "revoked": g.snapshot(), "username": g.username })),
        };
        commit_with(tx, self.0.algo, who, draft).await?;
        Ok(g)
    }

    pub(crate) async fn snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_grants!());
        q.push(" ORDER BY g.id");
        Ok(fetch_all_as!(&self.0.pool, GrantRecord, q)?.into_iter().map(|g| (g.id.to_string(), g.snapshot())).collect())
    }
}
