//! 四不两直 spot checks and the 纸面整改 flags.

use super::commands::{act_in, commit_problem};
use super::{Env, Problem, Rectify, SPOT_CHECK};
use crate::audit::{Draft, Who, append, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx, on_pool};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::rectify::lifecycle::{Capacities, ProblemAction};
use qingfeng_domain::rectify::spot::{Burst, SharedEvidence, candidates_digest, closure_bursts, draw, shared_evidence};
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpotCheck {
    pub id: Uuid,
    pub scope_unit_id: Uuid,
    pub scope_unit_name: String,
    pub scope_path: String,
    pub title: String,
    pub seed: i64,
    pub sample_size: i64,
    pub candidate_count: i64,
    pub candidates_digest: String,
    pub drawn_by: String,
    pub drawn_at: Ts,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpotItem {
    pub problem_id: Uuid,
    pub result: Option<String>,
    pub findings: Option<String>,
    pub checked_on: Option<String>,
}

const SELECT_CHECKS: &str = "SELECT s.id, s.scope_unit_id, COALESCE(o.short_name, o.name) AS scope_unit_name, o.path AS scope_path, \
    s.title, s.seed, s.sample_size, s.candidate_count, s.candidates_digest, s.drawn_by, s.drawn_at \
    FROM spot_checks s JOIN org_units o ON o.id = s.scope_unit_id";

impl SpotCheck {
    pub fn scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.scope_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.scope_path)))
    }
}

async fn check_in(tx: &mut Tx, id: Uuid) -> Result<(SpotCheck, Vec<SpotItem>)> {
    let mut q = Sql::new(SELECT_CHECKS);
    q.push(" WHERE s.id = ").arg(id);
    let c = fetch_all_tx!(tx, SpotCheck, q)?.into_iter().next().ok_or(StoreError::NotFound)?;
    let mut q = Sql::new("SELECT problem_id, result, findings, checked_on FROM spot_check_items WHERE spot_check_id = ");
    q.arg(id).push(" ORDER BY problem_id");
    Ok((c, fetch_all_tx!(tx, SpotItem, q)?))
}

pub(crate) fn snapshot(c: &SpotCheck, items: &[SpotItem]) -> Value {
    json!({
        "id": c.id, "scope_unit_id": c.scope_unit_id, "title": c.title, "seed": c.seed, "sample_size": c.sample_size,
        "candidate_count": c.candidate_count, "candidates_digest": c.candidates_digest, "drawn_by": c.drawn_by,
        "drawn_at": c.drawn_at.rfc3339(),
        "items": items.iter().map(|i| json!({"problem_id": i.problem_id, "result": i.result, "findings": i.findings, "checked_on": i.checked_on})).collect::<Vec<_>>(),
    })
}

/// The 纸面整改 flags within a scope.
#[derive(Debug, Clone, Default)]
pub struct Flags {
    pub shared: Vec<SharedEvidence>,
    /// (problem, evidence id, evidence date, batch date)
    pub predated: Vec<(Problem, Uuid, String, String)>,
    /// (burst, unit name)
    pub bursts: Vec<(Burst, String)>,
}

impl Rectify<'_> {
    /// Closed problems led within `scope` (the candidates of a draw), by id.
    async fn closed_in(&self, scope: &OrgPath) -> Result<Vec<Uuid>> {
        let (lo, hi) = scope.subtree_range();
        Ok(on_pool!(&self.0.pool, c => sqlx::query_scalar(
            "SELECT p.id FROM problems p JOIN org_units lu ON lu.id = p.lead_unit_id WHERE p.status = 'closed' \
             AND lu.path >= $1 AND lu.path < $2 ORDER BY p.id").bind(&lo).bind(&hi).fetch_all(c).await)?)
    }

    /// Draws a sample of closed problems in the scope unit's subtree and
    /// records the draw (seed, candidates, sample) in the chain before any visit.
    pub async fn draw_spot_check(&self, who: &Who, scope_unit: Uuid, title: &str, size: u32, seed: u64) -> Result<SpotCheck> {
        let unit = self.0.orgs().get(scope_unit).await?;
        let candidates = self.closed_in(&unit.path).await?;
        if candidates.is_empty() {
            return Err(Refusal::new("no_candidates", "该范围内没有已销号的问题可供抽查", "no closed problem in this scope to check").into());
        }
        let sample = draw(seed, &candidates, size as usize);
        let mut tx = self.0.pool.begin_write().await?;
        // The candidates must still be the ones seen (all writes are serialised).
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO spot_checks (id, scope_unit_id, title, seed, sample_size, candidate_count, candidates_digest, drawn_by, drawn_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(id).bind(scope_unit).bind(title).bind(seed as i64).bind(i64::from(size)).bind(candidates.len() as i64)
            .bind(candidates_digest(&candidates)).bind(&who.label).bind(Ts::now()).execute(c).await)?;
        for p in &sample {
            exec_tx!(&mut tx, c => sqlx::query("INSERT INTO spot_check_items (spot_check_id, problem_id) VALUES ($1, $2)")
                .bind(id).bind(*p).execute(c).await)?;
        }
        let (check, items) = check_in(&mut tx, id).await?;
        let detail = json!({"candidates": candidates, "sample": sample});
        commit_with(tx, self.0.algo, who, Draft::change("rectify.spot_check.draw", SPOT_CHECK, id, Some(scope_unit), snapshot(&check, &items)).with_detail(detail)).await?;
        Ok(check)
    }

    pub async fn spot_check(&self, id: Uuid) -> Result<(SpotCheck, Vec<SpotItem>)> {
        let mut q = Sql::new(SELECT_CHECKS);
        q.push(" WHERE s.id = ").arg(id);
        let c = fetch_all_as!(&self.0.pool, SpotCheck, q)?.into_iter().next().ok_or(StoreError::NotFound)?;
        let mut q = Sql::new("SELECT problem_id, result, findings, checked_on FROM spot_check_items WHERE spot_check_id = ");
        q.arg(id).push(" ORDER BY problem_id");
        Ok((c, fetch_all_as!(&self.0.pool, SpotItem, q)?))
    }

    pub async fn spot_checks(&self, scopes: &[OrgPath]) -> Result<Vec<SpotCheck>> {
        let mut q = Sql::new(SELECT_CHECKS);
        q.push(" WHERE ").scope_filter("o.path", scopes).push(" ORDER BY s.drawn_at DESC");
        Ok(fetch_all_as!(&self.0.pool, SpotCheck, q)?)
    }

    /// Re-draws from the recorded seed over today's candidates; equal to the
    /// recorded sample as long as the candidates are unchanged (their digest says).
    pub async fn redraw(&self, id: Uuid) -> Result<(bool, Vec<Uuid>)> {
        let (c, items) = self.spot_check(id).await?;
        let candidates = self.closed_in(&c.scope()?).await?;
        let same = candidates_digest(&candidates) == c.candidates_digest;
        let mut again = draw(c.seed as u64, &candidates, c.sample_size as usize);
        again.sort();
        let recorded: Vec<Uuid> = items.iter().map(|i| i.problem_id).collect();
        Ok((same && again == recorded, again))
    }

    /// Records the on-site finding for one sampled problem; a failed check
    /// reopens it (纸面整改) in the same transaction.
    pub async fn record_finding(&self, who: &Who, env: &Env<'_>, id: Uuid, problem: Uuid, pass: bool, findings: &str) -> Result<()> {
        let mut tx = self.0.pool.begin_write().await?;
        let (_, items) = check_in(&mut tx, id).await?;
        let item = items.iter().find(|i| i.problem_id == problem).ok_or(StoreError::NotFound)?;
        if item.result.is_some() {
            return Err(Refusal::new("already_recorded", "该问题的抽查结果已记录，不能修改", "the finding is recorded and cannot be changed").into());
        }
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE spot_check_items SET result = $1, findings = $2, checked_on = $3 WHERE spot_check_id = $4 AND problem_id = $5")
            .bind(if pass { "pass" } else { "fail" }).bind(findings).bind(env.today.to_string()).bind(id).bind(problem)
            .execute(c).await)?;
        let (check, items) = check_in(&mut tx, id).await?;
        append(&mut tx, self.0.algo, who, Draft::change("rectify.spot_check.finding", SPOT_CHECK, id, Some(check.scope_unit_id), snapshot(&check, &items))).await?;
        if pass {
            tx.commit().await
        } else {
            let cap = Capacities { inspector: true, ..Capacities::default() };
            let (after, name, detail) = act_in(&mut tx, self.0.algo, who, env, problem, ProblemAction::FailSpotCheck, cap, Some(findings)).await?;
            commit_problem(tx, self.0.algo, who, name, &after, Some(detail)).await
        }
    }

    /// The automatic flags for problems led within `scopes`.
    pub async fn flags(&self, env: &Env<'_>, scopes: &[OrgPath]) -> Result<Flags> {
        #[derive(sqlx::FromRow)]
        struct Use {
            sha256: String,
            problem_id: Uuid,
            lead_unit_id: Uuid,
        }
        let mut q = Sql::new(
            "SELECT e.sha256, pm.problem_id, p.lead_unit_id FROM evidence e JOIN problem_measures pm ON pm.measure_id = e.measure_id \
             JOIN problems p ON p.id = pm.problem_id JOIN org_units lu ON lu.id = p.lead_unit_id WHERE e.sha256 IS NOT NULL AND NOT e.superseded AND ",
        );
        q.scope_filter("lu.path", scopes);
        let uses: Vec<(String, Uuid, Uuid)> =
            fetch_all_as!(&self.0.pool, Use, q)?.into_iter().map(|u| (u.sha256, u.problem_id, u.lead_unit_id)).collect();
        let shared = shared_evidence(&uses);

        #[derive(sqlx::FromRow)]
        struct Pre {
            problem_id: Uuid,
            evidence_id: Uuid,
            dated_on: String,
            issued_on: String,
        }
        let mut q = Sql::new(
            "SELECT pm.problem_id, e.id AS evidence_id, e.dated_on, b.issued_on FROM evidence e \
             JOIN problem_measures pm ON pm.measure_id = e.measure_id JOIN problems p ON p.id = pm.problem_id \
             JOIN problem_batches b ON b.id = p.batch_id JOIN org_units lu ON lu.id = p.lead_unit_id \
             WHERE NOT e.superseded AND e.dated_on < b.issued_on AND ",
        );
        q.scope_filter("lu.path", scopes);
        let mut predated = Vec::new();
        for r in fetch_all_as!(&self.0.pool, Pre, q)? {
            predated.push((self.get(r.problem_id).await?, r.evidence_id, r.dated_on, r.issued_on));
        }

        #[derive(sqlx::FromRow)]
        struct Req {
            lead_unit_id: Uuid,
            lead_unit_name: String,
            on_date: String,
            deadline: String,
        }
        let mut q = Sql::new(
            "SELECT p.lead_unit_id, COALESCE(lu.short_name, lu.name) AS lead_unit_name, s.on_date, p.deadline FROM problem_steps s \
             JOIN problems p ON p.id = s.problem_id JOIN org_units lu ON lu.id = p.lead_unit_id WHERE s.action = 'request_closure' AND ",
        );
        q.scope_filter("lu.path", scopes);
        let reqs = fetch_all_as!(&self.0.pool, Req, q)?;
        let names: std::collections::HashMap<Uuid, String> =
            reqs.iter().map(|r| (r.lead_unit_id, r.lead_unit_name.clone())).collect();
        let mut parsed = Vec::new();
        for r in &reqs {
            parsed.push((r.lead_unit_id, super::date(&r.on_date)?, super::date(&r.deadline)?));
        }
        let bursts = closure_bursts(env.cal, env.rules, &parsed)
            .into_iter()
            .map(|b| {
                let n = names.get(&b.unit).cloned().unwrap_or_default();
                (b, n)
            })
            .collect();
        Ok(Flags { shared, predated, bursts })
    }

    /// Snapshots for `audit verify`.
    pub(crate) async fn spot_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let checks = fetch_all_as!(&self.0.pool, SpotCheck, { let mut q = Sql::new(SELECT_CHECKS); q.push(" ORDER BY s.id"); q })?;
        let mut out = Vec::new();
        for c in checks {
            let (_, items) = self.spot_check(c.id).await?;
            out.push((c.id.to_string(), snapshot(&c, &items)));
        }
        Ok(out)
    }
}

