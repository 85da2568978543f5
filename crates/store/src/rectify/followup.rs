//! After the main path: 延期 requests, 督办 escalations raised by the daily
//! warning job, and the 回头看 confirmation.

use super::commands::{closure_in, commit_problem, settle, step};
use super::queries::get_problem_in;
use super::{CLOSURE, ESCALATION, EXTENSION, Env, Escalation, Extension, Rectify};
use crate::audit::{Draft, Who, append, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_tx, on_pool, on_tx};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::Refusal;
use qingfeng_domain::audit::HashAlgo;
use qingfeng_domain::rectify::{ProblemStatus, Warning};
use serde_json::json;
use uuid::Uuid;

async fn extension_in(tx: &mut Tx, id: Uuid) -> Result<Extension> {
    let mut q = Sql::new("SELECT * FROM extension_requests WHERE id = ");
    q.arg(id);
    fetch_all_tx!(tx, Extension, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

async fn escalation_in(tx: &mut Tx, id: Uuid) -> Result<Escalation> {
    let mut q = Sql::new("SELECT * FROM escalations WHERE id = ");
    q.arg(id);
    fetch_all_tx!(tx, Escalation, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

/// Resolves the open escalations of a problem (it was closed or is no longer red).
pub(crate) async fn resolve_escalations(tx: &mut Tx, algo: HashAlgo, who: &Who, problem: Uuid, env: &Env<'_>) -> Result<u32> {
    let open: Vec<Uuid> = on_tx!(tx, c => sqlx::query_scalar("SELECT id FROM escalations WHERE problem_id = $1 AND resolved_on IS NULL")
        .bind(problem).fetch_all(c).await)?;
    for id in &open {
        exec_tx!(tx, c => sqlx::query("UPDATE escalations SET resolved_on = $1 WHERE id = $2").bind(env.today.to_string()).bind(*id).execute(c).await)?;
        let e = escalation_in(tx, *id).await?;
        append(tx, algo, who, Draft::change("rectify.escalation.resolve", ESCALATION, *id, None, e.snapshot())).await?;
    }
    Ok(open.len() as u32)
}

/// What one run of the warning job did.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Recompute {
    pub checked: u64,
    pub changed: u64,
    pub escalated: u64,
    pub resolved: u64,
}

impl Rectify<'_> {
    /// 延期申请 by the lead unit; the deadline changes only when the issuing side approves.
    pub async fn request_extension(&self, who: &Who, problem: Uuid, new_deadline: Date, reason: &str) -> Result<Extension> {
        let mut tx = self.0.pool.begin_write().await?;
        let p = get_problem_in(&mut tx, problem).await?;
        if matches!(p.status(), ProblemStatus::Closed | ProblemStatus::ClosureRequested) {
            return Err(Refusal::new("problem_frozen", "已申请销号或已销号的问题不能申请延期", "a problem awaiting or past closure cannot be extended").into());
        }
        if new_deadline <= p.deadline_date()? {
            return Err(Refusal::new("extension_not_later", "新时限应晚于现有整改时限", "the new deadline must be after the current one").into());
        }
        let pending: Option<i64> = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM extension_requests WHERE problem_id = $1 AND status = 'pending'")
            .bind(problem).fetch_optional(c).await)?;
        if pending.is_some() {
            return Err(Refusal::new("extension_pending", "已有待审批的延期申请", "an extension request is already pending").into());
        }
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO extension_requests (id, problem_id, old_deadline, new_deadline, reason, status, requested_by, requested_at) \
             VALUES ($1, $2, $3, $4, $5, 'pending', $6, $7)")
            .bind(id).bind(problem).bind(&p.deadline).bind(new_deadline.to_string()).bind(reason).bind(&who.label).bind(Ts::now())
            .execute(c).await)?;
        let x = extension_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("rectify.extension.request", EXTENSION, id, Some(p.lead_unit_id), x.snapshot())).await?;
        Ok(x)
    }

    /// 延期审批 by the issuing side.
    pub async fn decide_extension(&self, who: &Who, env: &Env<'_>, id: Uuid, approve: bool, comment: Option<&str>) -> Result<Extension> {
        let mut tx = self.0.pool.begin_write().await?;
        let x = extension_in(&mut tx, id).await?;
        if x.status != "pending" {
            return Err(Refusal::new("already_decided", "该延期申请已审批", "the request has been decided").into());
        }
        if !approve && comment.is_none_or(|c| c.trim().is_empty()) {
            return Err(Refusal::new("comment_required", "不同意延期时请说明理由", "give a reason for refusing").into());
        }
        let before = get_problem_in(&mut tx, x.problem_id).await?;
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE extension_requests SET status = $1, decided_by = $2, decided_at = $3, decision_comment = $4 WHERE id = $5")
            .bind(if approve { "approved" } else { "rejected" }).bind(&who.label).bind(Ts::now()).bind(comment).bind(id)
            .execute(c).await)?;
        let decided = extension_in(&mut tx, id).await?;
        append(&mut tx, self.0.algo, who, Draft::change("rectify.extension.decide", EXTENSION, id, Some(before.lead_unit_id), decided.snapshot())).await?;
        if approve {
            if before.deadline != x.old_deadline {
                return Err(Refusal::new("deadline_changed", "整改时限已变化，请重新申请", "the deadline changed since the request").into());
            }
            exec_tx!(&mut tx, c => sqlx::query("UPDATE problems SET deadline = $1, updated_at = $2 WHERE id = $3")
                .bind(&x.new_deadline).bind(Ts::now()).bind(x.problem_id).execute(c).await)?;
            step(&mut tx, who, env, x.problem_id, "extend", Some(before.status()), before.status(), comment.or(Some(&x.reason)), None).await?;
            let after = settle(&mut tx, env, x.problem_id, Some(&before)).await?;
            if after.warning() != Warning::Red {
                resolve_escalations(&mut tx, self.0.algo, who, after.id, env).await?;
            }
            commit_problem(tx, self.0.algo, who, "rectify.problem.extend", &after, Some(json!({"extension": id}))).await?;
        } else {
            tx.commit().await?;
        }
        Ok(decided)
    }

    /// 回头看 found the rectification holding: the closure is confirmed.
    pub async fn confirm_lookback(&self, who: &Who, env: &Env<'_>, problem: Uuid, comment: Option<&str>) -> Result<()> {
        let mut tx = self.0.pool.begin_write().await?;
        let p = get_problem_in(&mut tx, problem).await?;
        if p.status() != ProblemStatus::Closed {
            return Err(Refusal::new("not_closed", "只有已销号的问题可以回头看", "only closed problems are looked back on").into());
        }
        let cid: Option<Uuid> = on_tx!(&mut tx, c => sqlx::query_scalar(
            "SELECT id FROM closures WHERE problem_id = $1 AND lookback_result IS NULL ORDER BY closed_on DESC, created_at DESC LIMIT 1")
            .bind(problem).fetch_optional(c).await)?;
        let cid = cid.ok_or(Refusal::new("no_closure", "没有待回头看的销号记录", "no closure awaits a look-back"))?;
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE closures SET lookback_result = 'confirmed', lookback_on = $1, lookback_by = $2, lookback_comment = $3 WHERE id = $4")
            .bind(env.today.to_string()).bind(&who.label).bind(comment).bind(cid).execute(c).await)?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE problems SET lookback_due = NULL, updated_at = $1 WHERE id = $2")
            .bind(Ts::now()).bind(problem).execute(c).await)?;
        step(&mut tx, who, env, problem, "lookback_confirm", Some(ProblemStatus::Closed), ProblemStatus::Closed, comment, Some(cid)).await?;
        let closure = closure_in(&mut tx, cid).await?;
        append(&mut tx, self.0.algo, who, Draft::change("rectify.closure.confirm", CLOSURE, cid, Some(p.lead_unit_id), closure.snapshot())).await?;
        let after = get_problem_in(&mut tx, problem).await?;
        commit_problem(tx, self.0.algo, who, "rectify.problem.lookback_confirm", &after, None).await
    }

    /// The daily job (also run on demand): recomputes every open problem's
    /// colour, raises a 督办 escalation to the responsible leader for each
    /// red one, and resolves escalations of problems no longer red.
    pub async fn recompute_warnings(&self, who: &Who, env: &Env<'_>) -> Result<Recompute> {
        let mut r = Recompute::default();
        let mut after = Uuid::nil();
        loop {
            let ids: Vec<Uuid> = on_pool!(&self.0.pool, c => sqlx::query_scalar(
                "SELECT id FROM problems WHERE status <> 'closed' AND id > $1 ORDER BY id LIMIT 500").bind(after).fetch_all(c).await)?;
            let Some(last) = ids.last().copied() else { break };
            after = last;
            let mut tx = self.0.pool.begin_write().await?;
            let mut changed_here = 0;
            for id in ids {
                r.checked += 1;
                let before = get_problem_in(&mut tx, id).await?;
                let now = settle(&mut tx, env, id, Some(&before)).await?;
                if now.warning != before.warning {
                    r.changed += 1;
                    changed_here += 1;
                }
                let open: Option<Uuid> = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT id FROM escalations WHERE problem_id = $1 AND resolved_on IS NULL")
                    .bind(id).fetch_optional(c).await)?;
                match (now.warning(), open) {
                    (Warning::Red, None) => {
                        let eid = Uuid::now_v7();
                        exec_tx!(&mut tx, c => sqlx::query(
                            "INSERT INTO escalations (id, problem_id, leader_id, raised_on, reason, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                            .bind(eid).bind(id).bind(now.leader_id).bind(env.today.to_string()).bind(&now.warning_reason).bind(Ts::now())
                            .execute(c).await)?;
                        let e = escalation_in(&mut tx, eid).await?;
                        append(&mut tx, self.0.algo, who, Draft::change("rectify.escalation.raise", ESCALATION, eid, Some(now.lead_unit_id), e.snapshot())).await?;
                        r.escalated += 1;
                    }
                    (w, Some(_)) if w != Warning::Red => {
                        r.resolved += u64::from(resolve_escalations(&mut tx, self.0.algo, who, id, env).await?);
                    }
                    _ => {}
                }
            }
            if changed_here > 0 {
                let detail = json!({"as_of": env.today.to_string(), "changed": changed_here});
                append(&mut tx, self.0.algo, who, Draft { action: "rectify.warnings.recompute", entity: "problem", entity_id: String::new(), org_unit_id: None, state: None, detail: Some(detail) }).await?;
            }
            tx.commit().await?;
        }
        self.snapshot_day(env.today).await?;
        Ok(r)
    }
}
