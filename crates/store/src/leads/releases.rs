//! Identity releases: a handler asks, with a reason, to see the sealed
//! identity of one report; a second person of the office approves or
//! refuses; an approved release hands the envelope out once. Every step is
//! in the audit chain; the envelope itself never is.

use super::reports::report_in;
use super::{Leads, RELEASE};
use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Release {
    pub id: Uuid,
    pub report_id: Uuid,
    pub requested_by: Uuid,
    pub reason: String,
    pub status: String,
    pub decided_by: Option<Uuid>,
    pub decision: Option<String>,
    pub requested_at: Ts,
    pub decided_at: Option<Ts>,
    pub read_at: Option<Ts>,
}

impl Release {
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "report_id": self.report_id, "requested_by": self.requested_by, "reason": self.reason,
            "status": self.status, "decided_by": self.decided_by, "decision": self.decision,
            "requested_at": self.requested_at.rfc3339(), "decided_at": self.decided_at.map(Ts::rfc3339),
            "read_at": self.read_at.map(Ts::rfc3339),
        })
    }
}

async fn release_in(tx: &mut Tx, id: Uuid) -> Result<Release> {
    let mut q = Sql::new("SELECT * FROM identity_releases WHERE id = ");
    q.arg(id);
    fetch_all_tx!(tx, Release, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

async fn commit_release(mut tx: Tx, l: &Leads<'_>, who: &Who, action: &'static str, id: Uuid, unit: Uuid) -> Result<Release> {
    let r = release_in(&mut tx, id).await?;
    commit_with(tx, l.0.algo, who, Draft::change(action, RELEASE, id, Some(unit), r.snapshot())).await?;
    Ok(r)
}

fn account(who: &Who) -> Result<Uuid> {
    who.account_id.ok_or_else(|| Refusal::new("account_required", "须以本人账号办理", "a signed-in account is required").into())
}

impl Leads<'_> {
    /// Asks to see the identity of a real-name report, with a reason.
    pub async fn request_release(&self, who: &Who, report: Uuid, reason: &str) -> Result<Release> {
        let by = account(who)?;
        let reason = reason.trim();
        if reason.chars().count() < 4 {
            return Err(Refusal::new("reason_required", "请说明查看实名信息的理由", "give the reason for the release").into());
        }
        let mut tx = self.0.pool.begin_write().await?;
        let r = report_in(&mut tx, report).await?;
        if r.identity_sealed.is_none() {
            return Err(Refusal::new("anonymous", "该件为匿名举报，没有实名信息", "the report is anonymous").into());
        }
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO identity_releases (id, report_id, requested_by, reason, status, decided_by, decision, requested_at, decided_at, read_at) \
             VALUES ($1, $2, $3, $4, 'pending', NULL, NULL, $5, NULL, NULL)")
            .bind(id).bind(report).bind(by).bind(reason.chars().take(500).collect::<String>()).bind(Ts::now()).execute(c).await)?;
        commit_release(tx, self, who, "leads.identity.request", id, r.intake_unit_id).await
    }

    /// A second person decides: never the one who asked.
    pub async fn decide_release(&self, who: &Who, id: Uuid, approve: bool, decision: Option<&str>) -> Result<Release> {
        let by = account(who)?;
        let mut tx = self.0.pool.begin_write().await?;
        let rel = release_in(&mut tx, id).await?;
        if rel.status != "pending" {
            return Err(Refusal::new("not_pending", "该申请已审批", "already decided").into());
        }
        if rel.requested_by == by {
            return Err(Refusal::new("four_eyes", "不能审批本人提出的查看申请，须由另一名工作人员审批", "a second person must decide").into());
        }
        let status = if approve { "approved" } else { "refused" };
        let decision = decision.map(str::trim).filter(|d| !d.is_empty()).map(|d| d.chars().take(500).collect::<String>());
        if !approve && decision.is_none() {
            return Err(Refusal::new("reason_required", "不同意须说明理由", "a refusal needs a reason").into());
        }
        exec_tx!(&mut tx, c => sqlx::query("UPDATE identity_releases SET status = $1, decided_by = $2, decision = $3, decided_at = $4 WHERE id = $5")
            .bind(status).bind(by).bind(&decision).bind(Ts::now()).bind(id).execute(c).await)?;
        let r = report_in(&mut tx, rel.report_id).await?;
        commit_release(tx, self, who, "leads.identity.decide", id, r.intake_unit_id).await
    }

    /// Hands the sealed identity out once, to the one who asked, after an
    /// approval; returns (report id, envelope) for the caller to open.
    pub async fn read_release(&self, who: &Who, id: Uuid) -> Result<(Uuid, String)> {
        let by = account(who)?;
        let mut tx = self.0.pool.begin_write().await?;
        let rel = release_in(&mut tx, id).await?;
        if rel.requested_by != by {
            return Err(StoreError::NotFound);
        }
        if rel.status != "approved" {
            return Err(Refusal::new("not_approved", "查看申请尚未获批", "the release is not approved").into());
        }
        if rel.read_at.is_some() {
            return Err(Refusal::new("already_read", "实名信息已查看过一次，如需再次查看请重新申请", "already read once; ask again").into());
        }
        let r = report_in(&mut tx, rel.report_id).await?;
        let sealed = r.identity_sealed.clone().ok_or(StoreError::NotFound)?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE identity_releases SET read_at = $1 WHERE id = $2").bind(Ts::now()).bind(id).execute(c).await)?;
        commit_release(tx, self, who, "leads.identity.read", id, r.intake_unit_id).await?;
        Ok((r.id, sealed))
    }

    pub async fn releases(&self, report: Uuid) -> Result<Vec<Release>> {
        let mut q = Sql::new("SELECT * FROM identity_releases WHERE report_id = ");
        q.arg(report).push(" ORDER BY requested_at, id");
        Ok(fetch_all_as!(&self.0.pool, Release, q)?)
    }

    pub async fn release(&self, id: Uuid) -> Result<Release> {
        let mut q = Sql::new("SELECT * FROM identity_releases WHERE id = ");
        q.arg(id);
        fetch_all_as!(&self.0.pool, Release, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub(crate) async fn release_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let q = Sql::new("SELECT * FROM identity_releases ORDER BY id");
        Ok(fetch_all_as!(&self.0.pool, Release, q)?.into_iter().map(|r| (r.id.to_string(), r.snapshot())).collect())
    }
}
