//! 整改措施 and 佐证材料. A measure may serve several problems; evidence is
//! never edited, only superseded by a revision.

use super::commands::{commit_problem, settle};
use super::queries::{PROBLEM_IDS_OF_MEASURE, SELECT_EVIDENCE, get_measure_in, get_problem_in, ids_in};
use super::{EVIDENCE, Env, Evidence, MEASURE, Measure, Rectify};
use crate::audit::{Draft, Who, append, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_tx, on_tx};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::Refusal;
use qingfeng_domain::rectify::input::MeasureSpec;
use qingfeng_domain::rectify::{MeasureStatus, ProblemStatus};
use uuid::Uuid;

/// A file given as evidence (already checked by `domain::rectify::evidence`).
#[derive(Debug, Clone)]
pub struct EvidenceFile<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

pub(crate) async fn insert_measure(tx: &mut Tx, unit: Uuid, title: &str, owner: Option<Uuid>, due: Date) -> Result<Uuid> {
    let id = Uuid::now_v7();
    let now = Ts::now();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO measures (id, org_unit_id, title, owner_id, due_on, status, created_at, updated_at) \
         VALUES ($1, $2, $3, $4, $5, 'open', $6, $6)")
        .bind(id).bind(unit).bind(title).bind(owner).bind(due.to_string()).bind(now).execute(c).await)?;
    Ok(id)
}

pub(crate) async fn link_in(tx: &mut Tx, problem: Uuid, measure: Uuid) -> Result<()> {
    exec_tx!(tx, c => sqlx::query("INSERT INTO problem_measures (problem_id, measure_id) VALUES ($1, $2)")
        .bind(problem).bind(measure).execute(c).await)?;
    Ok(())
}

const FROZEN: Refusal = Refusal::new(
    "problem_frozen",
    "问题已申请销号或已销号，其整改措施和佐证材料不能再变更",
    "the problem awaits or has passed closure; its measures and evidence are frozen",
);

/// Refuses a change to a problem whose state is under or past review.
fn check_open(status: ProblemStatus) -> Result<()> {
    match status {
        ProblemStatus::ClosureRequested | ProblemStatus::Closed => Err(FROZEN.into()),
        ProblemStatus::Unclaimed => Err(Refusal::new("not_claimed", "请先认领问题", "claim the problem first").into()),
        ProblemStatus::InProgress => Ok(()),
    }
}

/// Every problem a measure serves must be open for the measure to change.
async fn check_measure_open(tx: &mut Tx, measure: Uuid) -> Result<Vec<Uuid>> {
    let problems = ids_in(tx, PROBLEM_IDS_OF_MEASURE, measure).await?;
    for p in &problems {
        check_open(get_problem_in(tx, *p).await?.status())?;
    }
    Ok(problems)
}

impl Rectify<'_> {
    /// Adds a measure to a problem, carried out by the problem's lead unit
    /// (or `unit`, e.g. a supporting unit).
    pub async fn add_measure(&self, who: &Who, env: &Env<'_>, problem: Uuid, unit: Option<Uuid>, spec: &MeasureSpec) -> Result<Measure> {
        let mut tx = self.0.pool.begin_write().await?;
        let before = get_problem_in(&mut tx, problem).await?;
        check_open(before.status())?;
        let id = insert_measure(&mut tx, unit.unwrap_or(before.lead_unit_id), &spec.title, spec.owner_id, spec.due_on).await?;
        link_in(&mut tx, problem, id).await?;
        let m = get_measure_in(&mut tx, id).await?;
        append(&mut tx, self.0.algo, who, Draft::change("rectify.measure.create", MEASURE, id, Some(m.org_unit_id), m.snapshot())).await?;
        let after = settle(&mut tx, env, problem, Some(&before)).await?;
        commit_problem(tx, self.0.algo, who, "rectify.problem.link_measure", &after, Some(serde_json::json!({"measure": id}))).await?;
        Ok(m)
    }

    /// Links an existing measure to another problem (one measure, several problems).
    pub async fn link_measure(&self, who: &Who, env: &Env<'_>, problem: Uuid, measure: Uuid) -> Result<()> {
        let mut tx = self.0.pool.begin_write().await?;
        let before = get_problem_in(&mut tx, problem).await?;
        check_open(before.status())?;
        get_measure_in(&mut tx, measure).await?;
        let linked: Option<i64> = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM problem_measures WHERE problem_id = $1 AND measure_id = $2")
            .bind(problem).bind(measure).fetch_optional(c).await)?;
        if linked.is_some() {
            return Err(Refusal::new("already_linked", "该措施已关联此问题", "the measure already serves this problem").into());
        }
        link_in(&mut tx, problem, measure).await?;
        let after = settle(&mut tx, env, problem, Some(&before)).await?;
        commit_problem(tx, self.0.algo, who, "rectify.problem.link_measure", &after, Some(serde_json::json!({"measure": measure}))).await
    }

    /// Marks a measure done (完成) on `env.today`.
    pub async fn complete_measure(&self, who: &Who, env: &Env<'_>, measure: Uuid) -> Result<Measure> {
        let mut tx = self.0.pool.begin_write().await?;
        let m = get_measure_in(&mut tx, measure).await?;
        if m.status() == MeasureStatus::Done {
            return Err(Refusal::new("no_change", "该措施已完成", "the measure is already done").into());
        }
        let problems = check_measure_open(&mut tx, measure).await?;
        let mut befores = Vec::new();
        for p in &problems {
            befores.push(get_problem_in(&mut tx, *p).await?);
        }
        exec_tx!(&mut tx, c => sqlx::query("UPDATE measures SET status = 'done', done_on = $1, updated_at = $2 WHERE id = $3")
            .bind(env.today.to_string()).bind(Ts::now()).bind(measure).execute(c).await)?;
        for b in &befores {
            settle(&mut tx, env, b.id, Some(b)).await?;
        }
        let m = get_measure_in(&mut tx, measure).await?;
        commit_with(tx, self.0.algo, who, Draft::change("rectify.measure.complete", MEASURE, measure, Some(m.org_unit_id), m.snapshot())).await?;
        Ok(m)
    }

    /// Submits evidence for a measure: a file, a note, or both. With
    /// `revision_of`, the new item supersedes that one (which stays readable).
    pub async fn add_evidence(
        &self,
        who: &Who,
        measure: Uuid,
        note: Option<&str>,
        file: Option<EvidenceFile<'_>>,
        dated_on: Date,
        revision_of: Option<Uuid>,
    ) -> Result<Evidence> {
        let mut tx = self.0.pool.begin_write().await?;
        let m = get_measure_in(&mut tx, measure).await?;
        check_measure_open(&mut tx, measure).await?;
        if let Some(old) = revision_of {
            let mut q = Sql::new(SELECT_EVIDENCE);
            q.push(" WHERE id = ").arg(old);
            let old_ev = fetch_all_tx!(&mut tx, Evidence, q)?.into_iter().next().ok_or(StoreError::NotFound)?;
            if old_ev.measure_id != measure || old_ev.superseded {
                return Err(Refusal::new("bad_revision", "只能修订本措施的现行材料", "only current evidence of this measure can be revised").into());
            }
            exec_tx!(&mut tx, c => sqlx::query("UPDATE evidence SET superseded = TRUE WHERE id = $1").bind(old).execute(c).await)?;
            let old_ev = Evidence { superseded: true, ..old_ev };
            append(&mut tx, self.0.algo, who, Draft::change("rectify.evidence.supersede", EVIDENCE, old, Some(m.org_unit_id), old_ev.snapshot())).await?;
        }
        let (sha, sm3) = match &file {
            Some(f) => {
                let (sha, sm3) = qingfeng_domain::rectify::evidence::digests(f.bytes);
                exec_tx!(&mut tx, c => sqlx::query(
                    "INSERT INTO evidence_files (sha256, sm3, size, content) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING")
                    .bind(&sha).bind(&sm3).bind(f.bytes.len() as i64).bind(f.bytes).execute(c).await)?;
                (Some(sha), Some(sm3))
            }
            None => (None, None),
        };
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO evidence (id, measure_id, revision_of, superseded, note, file_name, content_type, size, sha256, sm3, \
             dated_on, submitted_by, submitted_at) VALUES ($1, $2, $3, FALSE, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
            .bind(id).bind(measure).bind(revision_of).bind(note).bind(file.as_ref().map(|f| f.name))
            .bind(file.as_ref().map(|f| f.content_type)).bind(file.as_ref().map(|f| f.bytes.len() as i64))
            .bind(&sha).bind(&sm3).bind(dated_on.to_string()).bind(&who.label).bind(Ts::now()).execute(c).await)?;
        let mut q = Sql::new(SELECT_EVIDENCE);
        q.push(" WHERE id = ").arg(id);
        let ev = fetch_all_tx!(&mut tx, Evidence, q)?.into_iter().next().ok_or(StoreError::NotFound)?;
        commit_with(tx, self.0.algo, who, Draft::change("rectify.evidence.submit", EVIDENCE, id, Some(m.org_unit_id), ev.snapshot())).await?;
        Ok(ev)
    }
}

