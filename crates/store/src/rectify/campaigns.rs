//! 集中整治项目 (campaigns): a named drive launched by a unit, e.g.
//! 群众身边不正之风和腐败问题集中整治; problems anywhere below it may be
//! filed under it, and the board breaks its figures down by campaign.

use super::{CAMPAIGN, Rectify};
use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx, on_tx};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::org::OrgPath;
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Campaign {
    pub id: Uuid,
    pub org_unit_id: Uuid,
    pub org_unit_name: String,
    pub org_path: String,
    pub name: String,
    pub created_at: Ts,
    /// Problems filed under it, and how many of those are closed.
    pub problems: i64,
    pub closed: i64,
}

impl Campaign {
    pub fn snapshot(&self) -> Value {
        json!({"id": self.id, "org_unit_id": self.org_unit_id, "name": self.name, "created_at": self.created_at.rfc3339()})
    }

    /// Whether the campaign concerns `scope`: launched within it, or above it
    /// (a city's campaign reaches every unit of the city).
    pub fn concerns(&self, scope: &OrgPath) -> bool {
        OrgPath::parse(&self.org_path).is_some_and(|own| own.is_within(scope) || scope.is_within(&own))
    }
}

const SELECT_CAMPAIGNS: &str = "SELECT c.id, c.org_unit_id, COALESCE(o.short_name, o.name) AS org_unit_name, o.path AS org_path, \
    c.name, c.created_at, \
    (SELECT COUNT(*) FROM problems p WHERE p.campaign_id = c.id) AS problems, \
    (SELECT COUNT(*) FROM problems p WHERE p.campaign_id = c.id AND p.status = 'closed') AS closed \
    FROM campaigns c JOIN org_units o ON o.id = c.org_unit_id";

pub(super) async fn campaign_in(tx: &mut Tx, id: Uuid) -> Result<Campaign> {
    let mut q = Sql::new(SELECT_CAMPAIGNS);
    q.push(" WHERE c.id = ").arg(id);
    fetch_all_tx!(tx, Campaign, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

impl Rectify<'_> {
    /// Launches a campaign at `unit`; names are unique within a unit.
    pub async fn create_campaign(&self, who: &Who, unit: Uuid, name: &str) -> Result<Campaign> {
        let mut tx = self.0.pool.begin_write().await?;
        crate::org::get_in(&mut tx, unit).await?;
        let taken: Option<i64> = on_tx!(&mut tx, c => sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM campaigns WHERE org_unit_id = $1 AND name = $2").bind(unit).bind(name).fetch_optional(c).await)?;
        if taken.is_some() {
            return Err(Refusal::new("campaign_exists", "本单位已有同名的集中整治项目", "this unit already has a campaign of that name").into());
        }
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query("INSERT INTO campaigns (id, org_unit_id, name, created_at) VALUES ($1, $2, $3, $4)")
            .bind(id).bind(unit).bind(name).bind(Ts::now()).execute(c).await)?;
        let campaign = campaign_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("rectify.campaign.create", CAMPAIGN, id, Some(unit), campaign.snapshot())).await?;
        Ok(campaign)
    }

    pub async fn campaign(&self, id: Uuid) -> Result<Campaign> {
        let mut q = Sql::new(SELECT_CAMPAIGNS);
        q.push(" WHERE c.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Campaign, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Campaigns that concern any of `scopes` (see [`Campaign::concerns`]),
    /// newest first. Campaigns are few: filtered here, not in SQL.
    pub async fn campaigns(&self, scopes: &[OrgPath]) -> Result<Vec<Campaign>> {
        let mut q = Sql::new(SELECT_CAMPAIGNS);
        q.push(" ORDER BY c.created_at DESC, c.id");
        let all = fetch_all_as!(&self.0.pool, Campaign, q)?;
        Ok(all.into_iter().filter(|c| scopes.iter().any(|s| c.concerns(s))).collect())
    }

    pub(crate) async fn campaign_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(SELECT_CAMPAIGNS);
        q.push(" ORDER BY c.id");
        Ok(fetch_all_as!(&self.0.pool, Campaign, q)?.into_iter().map(|c| (c.id.to_string(), c.snapshot())).collect())
    }
}
