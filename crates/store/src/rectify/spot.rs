//! 四不两直 spot checks and the 纸面整改 flags.

use super::commands::{act_in, commit_problem};
use super::{Env, Problem, Rectify, SPOT_CHECK};
use crate::audit::{Draft, Who, append, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx, fetch_page, on_pool};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::{Dir, Page, PageRequest};
use qingfeng_domain::rectify::input::FindingSpec;
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
    /// Problems in the sample, and how many of them were found to pass or fail.
    pub sampled: i64,
    pub passed: i64,
    pub failed: i64,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpotItem {
    pub problem_id: Uuid,
    pub result: Option<String>,
    pub findings: Option<String>,
    pub checked_on: Option<String>,
}

const SELECT_CHECKS: &str = "SELECT s.id, s.scope_unit_id, COALESCE(o.short_name, o.name) AS scope_unit_name, o.path AS scope_path, \
    s.title, s.seed, s.sample_size, s.candidate_count, s.candidates_digest, s.drawn_by, s.drawn_at, \
    (SELECT COUNT(*) FROM spot_check_items i WHERE i.spot_check_id = s.id) AS sampled, \
    (SELECT COUNT(*) FROM spot_check_items i WHERE i.spot_check_id = s.id AND i.result = 'pass') AS passed, \
    (SELECT COUNT(*) FROM spot_check_items i WHERE i.spot_check_id = s.id AND i.result = 'fail') AS failed \
    FROM spot_checks s JOIN org_units o ON o.id = s.scope_unit_id";
const COUNT_CHECKS: &str = "SELECT COUNT(*) FROM spot_checks s JOIN org_units o ON o.id = s.scope_unit_id";

/// Sort orders of the list of draws.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SpotSort {
    #[default]
    Drawn,
    Unit,
    Title,
}

impl SpotSort {
    pub fn parse(s: Option<&str>) -> SpotSort {
        match s {
            Some("unit") => SpotSort::Unit,
            Some("title") => SpotSort::Title,
            _ => SpotSort::Drawn,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            SpotSort::Drawn => "drawn",
            SpotSort::Unit => "unit",
            SpotSort::Title => "title",
        }
    }
}

/// One sampled problem with its finding, and the date of the closure that was drawn.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct SpotSample {
    #[sqlx(flatten)]
    pub problem: Problem,
    pub result: Option<String>,
    pub findings: Option<String>,
    pub checked_on: Option<String>,
    pub sampled_closed_on: Option<String>,
}

/// What is needed to draw a recorded sample again: the candidates the
/// chain recorded with the draw, and today's candidates.
#[derive(Debug, Clone)]
pub struct SpotRecord {
    /// The draw's event in the audit chain and the candidates it lists.
    pub event_seq: Option<i64>,
    pub recorded: Option<Vec<Uuid>>,
    pub current: Vec<Uuid>,
}

impl SpotCheck {
    pub fn scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.scope_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.scope_path)))
    }

    /// Sampled problems without a finding yet.
    pub fn pending(&self) -> i64 {
        self.sampled - self.passed - self.failed
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
    /// The problems named in `shared`, by id.
    pub problems: std::collections::BTreeMap<Uuid, Problem>,
    pub predated: Vec<Predated>,
    /// (burst, unit name)
    pub bursts: Vec<(Burst, String)>,
}

/// Evidence dated before the problem was raised.
#[derive(Debug, Clone)]
pub struct Predated {
    pub problem: Problem,
    pub evidence_id: Uuid,
    pub measure_id: Uuid,
    pub dated_on: String,
    /// The date the problem's batch was issued.
    pub issued_on: String,
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

    /// Closed problems led within `scope`: what a draw there would sample from.
    pub async fn spot_candidate_count(&self, scope: &OrgPath) -> Result<usize> {
        Ok(self.closed_in(scope).await?.len())
    }

    /// Draws whose scope unit lies within `scopes`, one page.
    pub async fn spot_check_page(&self, scopes: &[OrgPath], sort: SpotSort, dir: Dir, page: PageRequest) -> Result<Page<SpotCheck>> {
        let mut w = Sql::new(" WHERE ");
        w.scope_filter("o.path", scopes);
        let order = match (sort, dir) {
            (SpotSort::Drawn, Dir::Asc) => " ORDER BY s.drawn_at, s.id",
            (SpotSort::Drawn, Dir::Desc) => " ORDER BY s.drawn_at DESC, s.id DESC",
            (SpotSort::Unit, Dir::Asc) => " ORDER BY o.path, s.drawn_at DESC",
            (SpotSort::Unit, Dir::Desc) => " ORDER BY o.path DESC, s.drawn_at DESC",
            (SpotSort::Title, Dir::Asc) => " ORDER BY s.title, s.drawn_at DESC",
            (SpotSort::Title, Dir::Desc) => " ORDER BY s.title DESC, s.drawn_at DESC",
        };
        let (items, total) = fetch_page!(&self.0.pool, SpotCheck, SELECT_CHECKS, COUNT_CHECKS, w, order, &page)?;
        Ok(page.of(items, total))
    }

    /// The sampled problems of a draw with their findings, by problem id.
    pub async fn spot_samples(&self, id: Uuid) -> Result<Vec<SpotSample>> {
        let mut q = Sql::new(super::queries::SELECT_PROBLEMS);
        q.push(", i.result, i.findings, i.checked_on, (SELECT MAX(c.closed_on) FROM closures c WHERE c.problem_id = p.id \
            AND c.created_at <= s.drawn_at) AS sampled_closed_on");
        q.push(super::queries::FROM_PROBLEMS);
        q.push(" JOIN spot_check_items i ON i.problem_id = p.id JOIN spot_checks s ON s.id = i.spot_check_id WHERE s.id = ");
        q.arg(id).push(" ORDER BY p.id");
        Ok(fetch_all_as!(&self.0.pool, SpotSample, q)?)
    }

    /// The candidates recorded with the draw (in its audit event) and today's.
    pub async fn spot_record(&self, id: Uuid) -> Result<SpotRecord> {
        let (c, _) = self.spot_check(id).await?;
        let event: Option<(i64, String)> = on_pool!(&self.0.pool, conn => sqlx::query_as(
            "SELECT seq, payload FROM audit_events WHERE entity = $1 AND entity_id = $2 AND action = 'rectify.spot_check.draw' \
             ORDER BY seq LIMIT 1").bind(SPOT_CHECK).bind(id.to_string()).fetch_optional(conn).await)?;
        let recorded = event.as_ref().and_then(|(_, payload)| {
            let v: Value = serde_json::from_str(payload).ok()?;
            serde_json::from_value(v.get("detail")?.get("candidates")?.clone()).ok()
        });
        Ok(SpotRecord { event_seq: event.map(|e| e.0), recorded, current: self.closed_in(&c.scope()?).await? })
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
    pub async fn record_finding(&self, who: &Who, env: &Env<'_>, id: Uuid, problem: Uuid, f: &FindingSpec) -> Result<()> {
        let mut tx = self.0.pool.begin_write().await?;
        let (_, items) = check_in(&mut tx, id).await?;
        let item = items.iter().find(|i| i.problem_id == problem).ok_or(StoreError::NotFound)?;
        if item.result.is_some() {
            return Err(Refusal::new("already_recorded", "该问题的抽查结果已记录，不能修改", "the finding is recorded and cannot be changed").into());
        }
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE spot_check_items SET result = $1, findings = $2, checked_on = $3 WHERE spot_check_id = $4 AND problem_id = $5")
            .bind(if f.pass { "pass" } else { "fail" }).bind(f.findings.as_deref()).bind(f.checked_on.to_string()).bind(id).bind(problem)
            .execute(c).await)?;
        let (check, items) = check_in(&mut tx, id).await?;
        append(&mut tx, self.0.algo, who, Draft::change("rectify.spot_check.finding", SPOT_CHECK, id, Some(check.scope_unit_id), snapshot(&check, &items))).await?;
        if f.pass {
            tx.commit().await
        } else {
            let cap = Capacities { inspector: true, ..Capacities::default() };
            let (after, name, detail) = act_in(&mut tx, self.0.algo, who, env, problem, ProblemAction::FailSpotCheck, cap, f.findings.as_deref()).await?;
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
        let mut problems = std::collections::BTreeMap::new();
        for id in shared.iter().flat_map(|s| s.problems.iter()) {
            if !problems.contains_key(id) {
                problems.insert(*id, self.get(*id).await?);
            }
        }

        #[derive(sqlx::FromRow)]
        struct Pre {
            problem_id: Uuid,
            evidence_id: Uuid,
            measure_id: Uuid,
            dated_on: String,
            issued_on: String,
        }
        let mut q = Sql::new(
            "SELECT pm.problem_id, e.id AS evidence_id, e.measure_id, e.dated_on, b.issued_on FROM evidence e \
             JOIN problem_measures pm ON pm.measure_id = e.measure_id JOIN problems p ON p.id = pm.problem_id \
             JOIN problem_batches b ON b.id = p.batch_id JOIN org_units lu ON lu.id = p.lead_unit_id \
             WHERE NOT e.superseded AND e.dated_on < b.issued_on AND ",
        );
        q.scope_filter("lu.path", scopes);
        let mut predated = Vec::new();
        for r in fetch_all_as!(&self.0.pool, Pre, q)? {
            let problem = self.get(r.problem_id).await?;
            predated.push(Predated { problem, evidence_id: r.evidence_id, measure_id: r.measure_id, dated_on: r.dated_on, issued_on: r.issued_on });
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
        Ok(Flags { shared, problems, predated, bursts })
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

