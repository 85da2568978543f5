//! Write commands on batches and problems, and the lifecycle transitions.

use super::queries::{get_measure_in, get_problem_in, measures_of_in, problem_snapshot_in};
use super::tally::{self, Keys};
use super::{BATCH, Batch, CLOSURE, Closure, Env, PROBLEM, Problem, Rectify, date};
use crate::audit::{Draft, Who, append, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_tx, on_tx};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::audit::canonical_json;
use qingfeng_domain::rectify::input::{BatchSpec, ProblemSpec};
use qingfeng_domain::rectify::lifecycle::{Capacities, Facts, MeasureFacts, ProblemAction, transition};
use qingfeng_domain::rectify::schedule::{WarningInput, lookback_due, warning};
use qingfeng_domain::rectify::{MeasureStatus, ProblemStatus};
use serde_json::{Value, json};
use uuid::Uuid;

pub(crate) fn keys(p: &Problem) -> Keys {
    Keys {
        lead_unit_id: p.lead_unit_id,
        source: p.source.clone(),
        root_cause: p.root_cause.clone(),
        campaign: p.campaign_id,
    }
}

/// Recomputes the derived warning and progress of a problem inside `tx`
/// and moves the board tallies from `before` to the new state.
pub(crate) async fn settle(
    tx: &mut Tx,
    env: &Env<'_>,
    id: Uuid,
    before: Option<&Problem>,
) -> Result<Problem> {
    let p = get_problem_in(tx, id).await?;
    let measures = measures_of_in(tx, id).await?;
    let done = measures.iter().filter(|m| m.status() == MeasureStatus::Done).count() as u32;
    let input = WarningInput {
        status: p.status(),
        deadline: p.deadline_date()?,
        milestones: &p.milestones(),
        measures_done: done,
        measures_total: measures.len() as u32,
        requested_on: p.requested_on.as_deref().map(date).transpose()?,
    };
    let (w, why) = warning(env.cal, env.rules, &input, env.today);
    let progress = i64::from(qingfeng_domain::rectify::schedule::actual_percent(done, measures.len() as u32));
    if w.as_str() != p.warning || why.zh != p.warning_reason || progress != p.progress {
        exec_tx!(tx, c => sqlx::query("UPDATE problems SET warning = $1, warning_reason = $2, progress = $3 WHERE id = $4")
            .bind(w.as_str()).bind(why.zh.as_ref()).bind(progress).bind(id).execute(c).await)?;
    }
    let after = get_problem_in(tx, id).await?;
    tally::apply(tx, &keys(&after), before.map(Problem::facts), Some(after.facts())).await?;
    if let Some(b) = before
        && (b.lead_unit_id != after.lead_unit_id || b.campaign_id != after.campaign_id)
    {
        return Err(StoreError::Corrupt("a settle may not change the tally keys".into()));
    }
    Ok(after)
}

#[allow(clippy::too_many_arguments)]
pub(crate) async fn step(
    tx: &mut Tx,
    who: &Who,
    env: &Env<'_>,
    problem: Uuid,
    action: &str,
    from: Option<ProblemStatus>,
    to: ProblemStatus,
    comment: Option<&str>,
    closure: Option<Uuid>,
) -> Result<()> {
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO problem_steps (id, problem_id, action, from_status, to_status, comment, closure_id, actor_label, on_date, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)")
        .bind(Uuid::now_v7()).bind(problem).bind(action).bind(from.map(ProblemStatus::as_str)).bind(to.as_str())
        .bind(comment).bind(closure).bind(&who.label).bind(env.today.to_string()).bind(Ts::now())
        .execute(c).await)?;
    Ok(())
}

/// The exact state a reviewer approves: the problem, its measures and the
/// digests of their current evidence.
async fn approved_state(tx: &mut Tx, p: &Problem) -> Result<Value> {
    #[derive(sqlx::FromRow)]
    struct E {
        id: Uuid,
        measure_id: Uuid,
        sha256: Option<String>,
        sm3: Option<String>,
        note: Option<String>,
    }
    let measures = measures_of_in(tx, p.id).await?;
    let mut ms = Vec::new();
    for m in &measures {
        let mut q = Sql::new("SELECT id, measure_id, sha256, sm3, note FROM evidence WHERE NOT superseded AND measure_id = ");
        q.arg(m.id).push(" ORDER BY id");
        let ev: Vec<Value> = fetch_all_tx!(tx, E, q)?
            .into_iter()
            .map(|e| json!({"id": e.id, "measure_id": e.measure_id, "sha256": e.sha256, "sm3": e.sm3, "note": e.note}))
            .collect();
        ms.push(json!({"id": m.id, "title": m.title, "status": m.status, "done_on": m.done_on, "evidence": ev}));
    }
    Ok(json!({ "problem": problem_snapshot_in(tx, p).await?, "measures": ms }))
}

pub(crate) async fn closure_in(tx: &mut Tx, id: Uuid) -> Result<Closure> {
    let mut q = Sql::new("SELECT * FROM closures WHERE id = ");
    q.arg(id);
    fetch_all_tx!(tx, Closure, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

/// Commits a change of one problem with its event (its snapshot after).
pub(crate) async fn commit_problem(
    mut tx: Tx,
    algo: qingfeng_domain::audit::HashAlgo,
    who: &Who,
    action: &'static str,
    p: &Problem,
    detail: Option<Value>,
) -> Result<()> {
    let snap = problem_snapshot_in(&mut tx, p).await?;
    let mut d = Draft::change(action, PROBLEM, p.id, Some(p.lead_unit_id), snap);
    if let Some(detail) = detail {
        d = d.with_detail(detail);
    }
    commit_with(tx, algo, who, d).await
}

impl Rectify<'_> {
    pub async fn create_batch(&self, who: &Who, spec: &BatchSpec) -> Result<Batch> {
        let mut tx = self.0.pool.begin_write().await?;
        let batch = insert_batch(&mut tx, spec).await?;
        commit_with(tx, self.0.algo, who, Draft::change("rectify.batch.create", BATCH, batch.id, Some(spec.issuing_unit_id), batch.snapshot()))
            .await?;
        Ok(batch)
    }

    /// Adds a problem to a batch (status 待认领).
    pub async fn create_problem(&self, who: &Who, env: &Env<'_>, batch: Uuid, spec: &ProblemSpec) -> Result<Problem> {
        let mut tx = self.0.pool.begin_write().await?;
        let p = insert_problem(&mut tx, who, env, batch, spec).await?;
        commit_problem(tx, self.0.algo, who, "rectify.problem.create", &p, None).await?;
        Ok(p)
    }

    /// Adds many problems to a batch in one transaction (an import): all or nothing.
    pub async fn create_problems(&self, who: &Who, env: &Env<'_>, batch: Uuid, specs: &[(ProblemSpec, Vec<String>)]) -> Result<Vec<Problem>> {
        let mut tx = self.0.pool.begin_write().await?;
        let mut out = Vec::new();
        for (spec, measures) in specs {
            let p = insert_problem(&mut tx, who, env, batch, spec).await?;
            for title in measures {
                let m = super::measures::insert_measure(&mut tx, p.lead_unit_id, title, None, p.deadline_date()?).await?;
                super::measures::link_in(&mut tx, p.id, m).await?;
                let m = get_measure_in(&mut tx, m).await?;
                append(&mut tx, self.0.algo, who, Draft::change("rectify.measure.create", super::MEASURE, m.id, Some(m.org_unit_id), m.snapshot())).await?;
            }
            let p = get_problem_in(&mut tx, p.id).await?;
            let snap = problem_snapshot_in(&mut tx, &p).await?;
            append(&mut tx, self.0.algo, who, Draft::change("rectify.problem.import", PROBLEM, p.id, Some(p.lead_unit_id), snap)).await?;
            out.push(p);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Performs a lifecycle action. `cap` says in which capacities the actor
    /// stands (decided by the caller through `access`).
    pub async fn act(
        &self,
        who: &Who,
        env: &Env<'_>,
        id: Uuid,
        action: ProblemAction,
        cap: Capacities,
        comment: Option<&str>,
    ) -> Result<Problem> {
        let mut tx = self.0.pool.begin_write().await?;
        let (after, name, detail) = act_in(&mut tx, self.0.algo, who, env, id, action, cap, comment).await?;
        commit_problem(tx, self.0.algo, who, name, &after, Some(detail)).await?;
        Ok(after)
    }
}

/// [`Rectify::act`] inside a transaction; returns the problem after, the
/// event name and its detail (the caller commits).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn act_in(
    tx: &mut Tx,
    algo: qingfeng_domain::audit::HashAlgo,
    who: &Who,
    env: &Env<'_>,
    id: Uuid,
    action: ProblemAction,
    cap: Capacities,
    comment: Option<&str>,
) -> Result<(Problem, &'static str, Value)> {
    {
        let before = get_problem_in(tx, id).await?;
        let measures = measures_of_in(tx, id).await?;
        let facts: Vec<MeasureFacts> = measures
            .iter()
            .map(|m| MeasureFacts {
                title: m.title.clone(),
                done: m.status() == MeasureStatus::Done,
                evidence: u32::try_from(m.evidence_count).unwrap_or(0),
            })
            .collect();
        let dissatisfied: i64 = on_tx!(tx, c => sqlx::query_scalar(
            "SELECT COUNT(*) FROM public_ratings WHERE problem_id = $1 AND rating = 'dissatisfied' AND NOT reviewed")
            .bind(id).fetch_one(c).await)?;
        let comment = comment.map(str::trim).filter(|c| !c.is_empty());
        let to = transition(
            before.status(),
            action,
            cap,
            &Facts { measures: &facts, comment, unreviewed_dissatisfied: u32::try_from(dissatisfied).unwrap_or(u32::MAX) },
            env.rules,
        )?;
        let today = env.today.to_string();
        let mut closure_id = None;
        let mut detail = json!({ "from": before.status, "to": to.as_str(), "comment": comment });
        match action {
            ProblemAction::Claim => {}
            ProblemAction::RequestClosure => {
                exec_tx!(tx, c => sqlx::query("UPDATE problems SET requested_on = $1 WHERE id = $2").bind(&today).bind(id).execute(c).await)?;
            }
            ProblemAction::Return => {
                exec_tx!(tx, c => sqlx::query("UPDATE problems SET requested_on = NULL WHERE id = $1").bind(id).execute(c).await)?;
            }
            ProblemAction::Close => {
                let state = approved_state(tx, &before).await?;
                let digest = qingfeng_domain::rectify::evidence::digests(canonical_json(&state).as_bytes()).1;
                let due = lookback_due(env.today, env.rules.lookback_months).to_string();
                let cid = Uuid::now_v7();
                exec_tx!(tx, c => sqlx::query(
                    "INSERT INTO closures (id, problem_id, requested_on, closed_on, closed_by, state_digest, lookback_due, created_at) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                    .bind(cid).bind(id).bind(&before.requested_on).bind(&today).bind(&who.label).bind(&digest).bind(&due)
                    .bind(Ts::now()).execute(c).await)?;
                exec_tx!(tx, c => sqlx::query(
                    "UPDATE problems SET closed_on = $1, lookback_due = $2, paper = FALSE WHERE id = $3")
                    .bind(&today).bind(&due).bind(id).execute(c).await)?;
                super::followup::resolve_escalations(tx, algo, who, id, env).await?;
                let closure = closure_in(tx, cid).await?;
                append(tx, algo, who, Draft::change("rectify.closure.create", CLOSURE, cid, Some(before.lead_unit_id), closure.snapshot())).await?;
                detail["approved_state"] = state;
                detail["state_digest"] = json!(digest);
                closure_id = Some(cid);
            }
            ProblemAction::Relapse => {
                let cid: Option<Uuid> = on_tx!(tx, c => sqlx::query_scalar(
                    "SELECT id FROM closures WHERE problem_id = $1 AND lookback_result IS NULL ORDER BY closed_on DESC, created_at DESC LIMIT 1")
                    .bind(id).fetch_optional(c).await)?;
                let cid = cid.ok_or(Refusal::new("no_closure", "没有可回头看的销号记录", "no closure to look back on"))?;
                exec_tx!(tx, c => sqlx::query(
                    "UPDATE closures SET lookback_result = 'relapse', lookback_on = $1, lookback_by = $2, lookback_comment = $3 WHERE id = $4")
                    .bind(&today).bind(&who.label).bind(comment).bind(cid).execute(c).await)?;
                exec_tx!(tx, c => sqlx::query(
                    "UPDATE problems SET relapsed = TRUE, closed_on = NULL, lookback_due = NULL, requested_on = NULL WHERE id = $1")
                    .bind(id).execute(c).await)?;
                let closure = closure_in(tx, cid).await?;
                append(tx, algo, who, Draft::change("rectify.closure.relapse", CLOSURE, cid, Some(before.lead_unit_id), closure.snapshot())).await?;
                detail["broken_closure"] = json!(cid);
                closure_id = Some(cid);
            }
            ProblemAction::FailSpotCheck => {
                exec_tx!(tx, c => sqlx::query(
                    "UPDATE problems SET paper = TRUE, closed_on = NULL, lookback_due = NULL, requested_on = NULL WHERE id = $1")
                    .bind(id).execute(c).await)?;
            }
        }
        exec_tx!(tx, c => sqlx::query("UPDATE problems SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(to.as_str()).bind(Ts::now()).bind(id).execute(c).await)?;
        step(tx, who, env, id, action.as_str(), Some(before.status()), to, comment, closure_id).await?;
        let after = settle(tx, env, id, Some(&before)).await?;
        let name = match action {
            ProblemAction::Claim => "rectify.problem.claim",
            ProblemAction::RequestClosure => "rectify.problem.request_closure",
            ProblemAction::Return => "rectify.problem.return",
            ProblemAction::Close => "rectify.problem.close",
            ProblemAction::Relapse => "rectify.problem.relapse",
            ProblemAction::FailSpotCheck => "rectify.problem.spot_check_failed",
        };
        Ok((after, name, detail))
    }
}

/// Inserts a batch inside `tx` (the caller appends its event).
pub(crate) async fn insert_batch(tx: &mut Tx, spec: &BatchSpec) -> Result<Batch> {
    crate::org::get_in(tx, spec.issuing_unit_id).await?;
    let id = Uuid::now_v7();
    let now = Ts::now();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO problem_batches (id, source, reference, issuing_unit_id, issued_on, summary, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $7)")
        .bind(id).bind(spec.source.as_str()).bind(&spec.reference).bind(spec.issuing_unit_id)
        .bind(spec.issued_on.to_string()).bind(&spec.summary).bind(now).execute(c).await)?;
    let mut q = Sql::new(
        "SELECT b.id, b.source, b.reference, b.issuing_unit_id, COALESCE(iu.short_name, iu.name) AS issuing_unit_name, \
         iu.path AS issuing_path, b.issued_on, b.summary, b.created_at, CAST(0 AS BIGINT) AS problems, CAST(0 AS BIGINT) AS closed \
         FROM problem_batches b JOIN org_units iu ON iu.id = b.issuing_unit_id WHERE b.id = ",
    );
    q.arg(id);
    fetch_all_tx!(tx, Batch, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

/// Inserts a problem inside `tx` with its first step and tallies (the caller appends its event).
/// A 问题清单 made of plain problem texts, all with the same lead unit,
/// deadline and root cause (the points of a talk, the problems a speech
/// lists): the batch and each problem inserted with their events in `tx`.
pub(crate) async fn insert_listed(
    tx: &mut Tx,
    algo: qingfeng_domain::audit::HashAlgo,
    who: &Who,
    env: &Env<'_>,
    spec: &BatchSpec,
    texts: &[String],
    how: (Uuid, jiff::civil::Date, qingfeng_domain::rectify::RootCause),
) -> Result<(Batch, Vec<Problem>)> {
    let (lead_unit_id, deadline, root_cause) = how;
    let batch = insert_batch(tx, spec).await?;
    append(tx, algo, who, Draft::change("rectify.batch.create", BATCH, batch.id, Some(spec.issuing_unit_id), batch.snapshot())).await?;
    let mut out = Vec::with_capacity(texts.len());
    for text in texts {
        let ps = ProblemSpec {
            description: text.clone(),
            root_cause,
            eight_rules: None,
            campaign_id: None,
            lead_unit_id,
            supporting_unit_ids: Vec::new(),
            leader_id: None,
            owner_id: None,
            deadline,
            schedule: Vec::new(),
        };
        let p = insert_problem(tx, who, env, batch.id, &ps).await?;
        let snap = problem_snapshot_in(tx, &p).await?;
        append(tx, algo, who, Draft::change("rectify.problem.create", PROBLEM, p.id, Some(p.lead_unit_id), snap)).await?;
        out.push(p);
    }
    Ok((batch, out))
}

pub(crate) async fn insert_problem(tx: &mut Tx, who: &Who, env: &Env<'_>, batch: Uuid, spec: &ProblemSpec) -> Result<Problem> {
    let unit = crate::org::get_in(tx, spec.lead_unit_id).await?;
    if !unit.active {
        return Err(Refusal::new("unit_inactive", "牵头单位已撤销", "the lead unit has been deactivated").into());
    }
    for s in &spec.supporting_unit_ids {
        crate::org::get_in(tx, *s).await?;
    }
    if let Some(c) = spec.campaign_id {
        let campaign = super::campaigns::campaign_in(tx, c).await?;
        if !campaign.concerns(&unit.path) {
            return Err(Refusal::new(
                "campaign_out_of_scope",
                "该集中整治项目不涵盖牵头单位",
                "that campaign does not reach the lead unit",
            )
            .into());
        }
    }
    let seq: i64 = on_tx!(tx, c => sqlx::query_scalar("SELECT COALESCE(MAX(seq), 0) + 1 FROM problems WHERE batch_id = $1")
        .bind(batch).fetch_one(c).await)?;
    let exists: Option<i64> = on_tx!(tx, c => sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM problem_batches WHERE id = $1").bind(batch).fetch_optional(c).await)?;
    exists.ok_or(StoreError::NotFound)?;
    let id = Uuid::now_v7();
    let now = Ts::now();
    let schedule = serde_json::to_string(&spec.schedule).unwrap_or_else(|_| "[]".into());
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO problems (id, batch_id, seq, description, root_cause, eight_rules, campaign_id, lead_unit_id, leader_id, \
         owner_id, deadline, schedule, status, warning, warning_reason, progress, relapsed, paper, published, public_fields, \
         created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, 'unclaimed', 'green', '', 0, \
         FALSE, FALSE, FALSE, '[]', $13, $13)")
        .bind(id).bind(batch).bind(seq).bind(&spec.description).bind(spec.root_cause.as_str()).bind(&spec.eight_rules)
        .bind(spec.campaign_id).bind(spec.lead_unit_id).bind(spec.leader_id).bind(spec.owner_id)
        .bind(spec.deadline.to_string()).bind(&schedule).bind(now).execute(c).await)?;
    for s in &spec.supporting_unit_ids {
        exec_tx!(tx, c => sqlx::query("INSERT INTO problem_supporting_units (problem_id, org_unit_id) VALUES ($1, $2)")
            .bind(id).bind(*s).execute(c).await)?;
    }
    step(tx, who, env, id, "create", None, ProblemStatus::Unclaimed, None, None).await?;
    settle(tx, env, id, None).await
}

