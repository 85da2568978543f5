//! Reads: problems, batches, measures, evidence, history; scoped lists.

use super::{Batch, Closure, Escalation, Evidence, Extension, Measure, Problem, Rectify, Step};
use crate::db::{Sql, Tx, fetch_all_as, fetch_all_tx, fetch_scalar, on_pool};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::{Dir, Page, PageRequest};
use serde_json::Value;
use uuid::Uuid;

pub(crate) const SELECT_PROBLEMS: &str = "SELECT p.id, p.batch_id, p.seq, p.description, p.root_cause, p.eight_rules, \
    p.campaign_id, c.name AS campaign_name, p.lead_unit_id, COALESCE(lu.short_name, lu.name) AS lead_unit_name, \
    lu.path AS lead_path, b.issuing_unit_id, COALESCE(iu.short_name, iu.name) AS issuing_unit_name, iu.path AS issuing_path, \
    b.source, b.reference, b.issued_on, p.leader_id, lp.name AS leader_name, p.owner_id, op.name AS owner_name, \
    p.deadline, p.schedule, p.status, p.warning, p.warning_reason, p.progress, p.relapsed, p.paper, p.requested_on, \
    p.closed_on, p.lookback_due, p.published, p.public_fields, p.created_at, p.updated_at";

pub(crate) const FROM_PROBLEMS: &str = " FROM problems p JOIN problem_batches b ON b.id = p.batch_id \
    JOIN org_units lu ON lu.id = p.lead_unit_id JOIN org_units iu ON iu.id = b.issuing_unit_id \
    LEFT JOIN campaigns c ON c.id = p.campaign_id LEFT JOIN people lp ON lp.id = p.leader_id \
    LEFT JOIN people op ON op.id = p.owner_id";

/// [`FROM_PROBLEMS`] with SQLite told to loop over batches first.
const FROM_BATCHES_FIRST: &str = " FROM problem_batches b CROSS JOIN problems p ON p.batch_id = b.id \
    JOIN org_units lu ON lu.id = p.lead_unit_id JOIN org_units iu ON iu.id = b.issuing_unit_id \
    LEFT JOIN campaigns c ON c.id = p.campaign_id LEFT JOIN people lp ON lp.id = p.leader_id \
    LEFT JOIN people op ON op.id = p.owner_id";

/// [`FROM_PROBLEMS`] with SQLite told to loop over units (in path order) first.
const FROM_UNITS_FIRST: &str = " FROM org_units lu CROSS JOIN problems p ON p.lead_unit_id = lu.id \
    JOIN problem_batches b ON b.id = p.batch_id JOIN org_units iu ON iu.id = b.issuing_unit_id \
    LEFT JOIN campaigns c ON c.id = p.campaign_id LEFT JOIN people lp ON lp.id = p.leader_id \
    LEFT JOIN people op ON op.id = p.owner_id";

const SELECT_BATCHES: &str = "SELECT b.id, b.source, b.reference, b.issuing_unit_id, \
    COALESCE(iu.short_name, iu.name) AS issuing_unit_name, iu.path AS issuing_path, b.issued_on, b.summary, b.created_at, \
    (SELECT COUNT(*) FROM problems p WHERE p.batch_id = b.id) AS problems, \
    (SELECT COUNT(*) FROM problems p WHERE p.batch_id = b.id AND p.status = 'closed') AS closed \
    FROM problem_batches b JOIN org_units iu ON iu.id = b.issuing_unit_id";

pub(crate) const SELECT_MEASURES: &str = "SELECT m.id, m.org_unit_id, COALESCE(o.short_name, o.name) AS org_unit_name, \
    o.path AS org_path, m.title, m.owner_id, pe.name AS owner_name, m.due_on, m.status, m.done_on, \
    (SELECT COUNT(*) FROM evidence e WHERE e.measure_id = m.id AND NOT e.superseded) AS evidence_count, \
    (SELECT COUNT(*) FROM problem_measures pm2 WHERE pm2.measure_id = m.id) AS problem_count, m.created_at \
    FROM measures m JOIN org_units o ON o.id = m.org_unit_id LEFT JOIN people pe ON pe.id = m.owner_id";

pub(crate) const SELECT_EVIDENCE: &str = "SELECT id, measure_id, revision_of, superseded, note, file_name, content_type, \
    size, sha256, sm3, dated_on, submitted_by, submitted_at FROM evidence";

/// Sort orders of the problem list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ProblemSort {
    /// Batch, then number in batch.
    #[default]
    Number,
    Deadline,
    Unit,
    Status,
    Updated,
}

impl ProblemSort {
    pub fn parse(s: Option<&str>) -> ProblemSort {
        match s {
            Some("deadline") => ProblemSort::Deadline,
            Some("unit") => ProblemSort::Unit,
            Some("status") => ProblemSort::Status,
            Some("updated") => ProblemSort::Updated,
            _ => ProblemSort::Number,
        }
    }
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemSort::Number => "number",
            ProblemSort::Deadline => "deadline",
            ProblemSort::Unit => "unit",
            ProblemSort::Status => "status",
            ProblemSort::Updated => "updated",
        }
    }
}

/// Filters of the problem list (every board figure links to one).
#[derive(Debug, Clone, Default)]
pub struct ProblemFilter {
    /// Lead unit within this subtree.
    pub within: Option<OrgPath>,
    /// Lead unit exactly this one (the board's 本级 row).
    pub unit: Option<Uuid>,
    pub batch: Option<Uuid>,
    pub status: Option<String>,
    /// `open` = not closed.
    pub open_only: bool,
    pub warning: Option<String>,
    pub source: Option<String>,
    pub root_cause: Option<String>,
    pub campaign: Option<Uuid>,
    pub relapsed: bool,
    pub paper: bool,
    pub lookback_due_by: Option<Date>,
    pub q: Option<String>,
    pub sort: ProblemSort,
    pub dir: Dir,
}

/// What the home page lists for one account.
#[derive(Debug, Clone, Default)]
pub struct Todos {
    pub to_claim: Vec<Problem>,
    pub to_review: Vec<Problem>,
    pub escalated: Vec<Problem>,
    pub lookbacks: Vec<Problem>,
    pub measures_due: Vec<Measure>,
    pub extensions: Vec<(Extension, Problem)>,
}

/// Counting a list stops here; past it the pager says "10000+" (counting
/// every row of a province's list costs more than the page itself).
pub const COUNT_CAP: i64 = 10_000;

/// The lead unit lies within `scopes`: an IN over the units, so each unit
/// is one index lookup instead of a scan of every problem.
fn led_within(w: &mut Sql, scopes: &[OrgPath]) {
    w.push("p.lead_unit_id IN (SELECT su.id FROM org_units su WHERE ");
    w.scope_filter("su.path", scopes);
    w.push(")");
}

/// Led within `scopes`, or in a batch issued within them.
fn scoped(w: &mut Sql, scopes: &[OrgPath]) {
    w.push("(");
    led_within(w, scopes);
    w.push(" OR p.batch_id IN (SELECT sb.id FROM problem_batches sb JOIN org_units si ON si.id = sb.issuing_unit_id WHERE ");
    w.scope_filter("si.path", scopes);
    w.push("))");
}

pub(crate) async fn get_problem_in(tx: &mut Tx, id: Uuid) -> Result<Problem> {
    let mut q = Sql::new(SELECT_PROBLEMS);
    q.push(FROM_PROBLEMS).push(" WHERE p.id = ").arg(id);
    fetch_all_tx!(tx, Problem, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

pub(crate) async fn measures_of_in(tx: &mut Tx, problem: Uuid) -> Result<Vec<Measure>> {
    let mut q = Sql::new(SELECT_MEASURES);
    q.push(" JOIN problem_measures pm ON pm.measure_id = m.id WHERE pm.problem_id = ").arg(problem);
    q.push(" ORDER BY m.due_on, m.created_at");
    Ok(fetch_all_tx!(tx, Measure, q)?)
}

pub(crate) async fn get_measure_in(tx: &mut Tx, id: Uuid) -> Result<Measure> {
    let mut q = Sql::new(SELECT_MEASURES);
    q.push(" WHERE m.id = ").arg(id);
    fetch_all_tx!(tx, Measure, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

pub(crate) async fn ids_in(tx: &mut Tx, sql: &'static str, id: Uuid) -> Result<Vec<Uuid>> {
    #[derive(sqlx::FromRow)]
    struct IdRow {
        id: Uuid,
    }
    // `sql` holds its one placeholder `$1`.
    let q = Sql { text: sql.to_string(), args: vec![id.into()] };
    Ok(fetch_all_tx!(tx, IdRow, q)?.into_iter().map(|r| r.id).collect())
}

pub(crate) const SUPPORTING_IDS: &str =
    "SELECT org_unit_id AS id FROM problem_supporting_units WHERE problem_id = $1 ORDER BY org_unit_id";
pub(crate) const MEASURE_IDS: &str =
    "SELECT measure_id AS id FROM problem_measures WHERE problem_id = $1 ORDER BY measure_id";
pub(crate) const PROBLEM_IDS_OF_MEASURE: &str =
    "SELECT problem_id AS id FROM problem_measures WHERE measure_id = $1 ORDER BY problem_id";

/// The snapshot of a problem as the chain records it (with its links).
pub(crate) async fn problem_snapshot_in(tx: &mut Tx, p: &Problem) -> Result<Value> {
    let supporting = ids_in(tx, SUPPORTING_IDS, p.id).await?;
    let measures = ids_in(tx, MEASURE_IDS, p.id).await?;
    Ok(p.snapshot(&supporting, &measures))
}

impl Rectify<'_> {
    pub async fn get(&self, id: Uuid) -> Result<Problem> {
        let mut q = Sql::new(SELECT_PROBLEMS);
        q.push(FROM_PROBLEMS).push(" WHERE p.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Problem, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// The paths of the tree's roots.
    async fn roots(&self) -> Result<Vec<String>> {
        Ok(on_pool!(&self.0.pool, c => sqlx::query_scalar("SELECT path FROM org_units WHERE parent_id IS NULL").fetch_all(c).await)?)
    }

    /// Problems whose lead or issuing unit lies within `scopes`. The count
    /// stops at [`COUNT_CAP`] (see [`Page::capped`]).
    pub async fn list(&self, scopes: &[OrgPath], f: &ProblemFilter, page: PageRequest) -> Result<Page<Problem>> {
        let roots = self.roots().await?;
        // Scopes that take in every root filter nothing.
        let covers_all = |scopes: &[OrgPath]| roots.iter().all(|r| OrgPath::parse(r).is_some_and(|r| scopes.iter().any(|s| r.is_within(s))));
        let everything = covers_all(scopes);
        let mut w = Sql::new(" WHERE 1 = 1");
        if !everything {
            w.push(" AND ");
            scoped(&mut w, scopes);
        }
        if let Some(within) = &f.within
            && !covers_all(std::slice::from_ref(within))
        {
            w.push(" AND ");
            led_within(&mut w, std::slice::from_ref(within));
        }
        if let Some(u) = f.unit {
            w.push(" AND p.lead_unit_id = ").arg(u);
        }
        if let Some(b) = f.batch {
            w.push(" AND p.batch_id = ").arg(b);
        }
        if let Some(s) = f.status.as_deref().filter(|s| !s.is_empty()) {
            w.push(" AND p.status = ").arg(s);
        }
        if f.open_only {
            w.push(" AND p.status <> 'closed'");
        }
        if let Some(s) = f.warning.as_deref().filter(|s| !s.is_empty()) {
            w.push(" AND p.warning = ").arg(s).push(" AND p.status <> 'closed'");
        }
        if let Some(s) = f.source.as_deref().filter(|s| !s.is_empty()) {
            w.push(" AND b.source = ").arg(s);
        }
        if let Some(s) = f.root_cause.as_deref().filter(|s| !s.is_empty()) {
            w.push(" AND p.root_cause = ").arg(s);
        }
        if let Some(c) = f.campaign {
            w.push(" AND p.campaign_id = ").arg(c);
        }
        if f.relapsed {
            w.push(" AND p.relapsed");
        }
        if f.paper {
            w.push(" AND p.paper AND p.status <> 'closed'");
        }
        if let Some(d) = f.lookback_due_by {
            w.push(" AND p.status = 'closed' AND p.lookback_due <= ").arg(d.to_string());
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            w.push(" AND ").contains(&["p.description", "b.reference"], q);
        }
        let desc = f.dir == Dir::Desc;
        // Each order is an index's order (see migration 0003), so a page
        // near the top reads only its rows.
        let order = match (f.sort, desc) {
            (ProblemSort::Number, false) => " ORDER BY b.issued_on DESC, b.id DESC, p.seq",
            (ProblemSort::Number, true) => " ORDER BY b.issued_on, b.id, p.seq DESC",
            (ProblemSort::Deadline, false) => " ORDER BY p.deadline, p.id",
            (ProblemSort::Deadline, true) => " ORDER BY p.deadline DESC, p.id DESC",
            (ProblemSort::Unit, false) => " ORDER BY lu.path, p.deadline",
            (ProblemSort::Unit, true) => " ORDER BY lu.path DESC, p.deadline",
            (ProblemSort::Status, false) => " ORDER BY p.status, p.warning DESC, p.deadline",
            (ProblemSort::Status, true) => " ORDER BY p.status DESC, p.warning, p.deadline",
            (ProblemSort::Updated, false) => " ORDER BY p.updated_at DESC, p.id DESC",
            (ProblemSort::Updated, true) => " ORDER BY p.updated_at, p.id",
        };
        // SQLite plans joins without statistics; over the whole tree it is
        // told to walk batches (or units) in order and their problems by
        // index, instead of sorting every problem.
        let from = match (self.0.engine, everything, f.sort) {
            (crate::Engine::Sqlite, true, ProblemSort::Number) => FROM_BATCHES_FIRST,
            (crate::Engine::Sqlite, true, ProblemSort::Unit) => FROM_UNITS_FIRST,
            _ => FROM_PROBLEMS,
        };
        let mut count = Sql { text: format!("SELECT COUNT(*) FROM (SELECT p.id{from}{}", w.text), args: w.args.clone() };
        count.push(" LIMIT ").arg(COUNT_CAP + 1).push(") capped");
        let counted = fetch_scalar!(&self.0.pool, i64, count)?;
        let mut q = Sql { text: format!("{SELECT_PROBLEMS}{from}{}", w.text), args: w.args };
        q.push(order).page(&page);
        let items = fetch_all_as!(&self.0.pool, Problem, q)?;
        Ok(page.of_capped(items, counted, COUNT_CAP))
    }

    pub async fn batch(&self, id: Uuid) -> Result<Batch> {
        let mut q = Sql::new(SELECT_BATCHES);
        q.push(" WHERE b.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Batch, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Batches issued within `scopes`, or with a problem led within them.
    pub async fn batches(&self, scopes: &[OrgPath]) -> Result<Vec<Batch>> {
        let mut q = Sql::new(SELECT_BATCHES);
        q.push(" WHERE ").scope_filter("iu.path", scopes);
        q.push(" OR EXISTS (SELECT CAST(1 AS BIGINT) FROM problems p JOIN org_units lu ON lu.id = p.lead_unit_id WHERE p.batch_id = b.id AND ");
        q.scope_filter("lu.path", scopes);
        q.push(") ORDER BY b.issued_on DESC, b.id");
        Ok(fetch_all_as!(&self.0.pool, Batch, q)?)
    }

    pub async fn measures_of(&self, problem: Uuid) -> Result<Vec<Measure>> {
        let mut q = Sql::new(SELECT_MEASURES);
        q.push(" JOIN problem_measures pm ON pm.measure_id = m.id WHERE pm.problem_id = ").arg(problem);
        q.push(" ORDER BY m.due_on, m.created_at");
        Ok(fetch_all_as!(&self.0.pool, Measure, q)?)
    }

    pub async fn measure(&self, id: Uuid) -> Result<Measure> {
        let mut q = Sql::new(SELECT_MEASURES);
        q.push(" WHERE m.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Measure, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// The problems a measure serves.
    pub async fn problems_of_measure(&self, measure: Uuid) -> Result<Vec<Problem>> {
        let mut q = Sql::new(SELECT_PROBLEMS);
        q.push(FROM_PROBLEMS).push(" JOIN problem_measures pm ON pm.problem_id = p.id WHERE pm.measure_id = ").arg(measure);
        q.push(" ORDER BY b.issued_on, p.seq");
        Ok(fetch_all_as!(&self.0.pool, Problem, q)?)
    }

    /// Evidence of a measure, current first, superseded revisions after.
    pub async fn evidence_of(&self, measure: Uuid) -> Result<Vec<Evidence>> {
        let mut q = Sql::new(SELECT_EVIDENCE);
        q.push(" WHERE measure_id = ").arg(measure).push(" ORDER BY superseded, submitted_at DESC");
        Ok(fetch_all_as!(&self.0.pool, Evidence, q)?)
    }

    pub async fn evidence(&self, id: Uuid) -> Result<Evidence> {
        let mut q = Sql::new(SELECT_EVIDENCE);
        q.push(" WHERE id = ").arg(id);
        fetch_all_as!(&self.0.pool, Evidence, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// The stored bytes of an evidence file.
    pub async fn evidence_bytes(&self, sha256: &str) -> Result<Vec<u8>> {
        let mut q = Sql::new("SELECT content FROM evidence_files WHERE sha256 = ");
        q.arg(sha256);
        fetch_scalar!(&self.0.pool, Vec<u8>, q).map_err(|e| match e {
            sqlx::Error::RowNotFound => StoreError::NotFound,
            e => e.into(),
        })
    }

    pub async fn steps(&self, problem: Uuid) -> Result<Vec<Step>> {
        let mut q = Sql::new(
            "SELECT action, from_status, to_status, comment, closure_id, actor_label, on_date, at FROM problem_steps WHERE problem_id = ",
        );
        q.arg(problem).push(" ORDER BY at, id");
        Ok(fetch_all_as!(&self.0.pool, Step, q)?)
    }

    pub async fn closures(&self, problem: Uuid) -> Result<Vec<Closure>> {
        let mut q = Sql::new("SELECT * FROM closures WHERE problem_id = ");
        q.arg(problem).push(" ORDER BY closed_on, created_at");
        Ok(fetch_all_as!(&self.0.pool, Closure, q)?)
    }

    pub async fn extensions(&self, problem: Uuid) -> Result<Vec<Extension>> {
        let mut q = Sql::new("SELECT * FROM extension_requests WHERE problem_id = ");
        q.arg(problem).push(" ORDER BY requested_at");
        Ok(fetch_all_as!(&self.0.pool, Extension, q)?)
    }

    pub async fn extension(&self, id: Uuid) -> Result<Extension> {
        let mut q = Sql::new("SELECT * FROM extension_requests WHERE id = ");
        q.arg(id);
        fetch_all_as!(&self.0.pool, Extension, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub async fn escalations(&self, problem: Uuid) -> Result<Vec<Escalation>> {
        let mut q = Sql::new("SELECT * FROM escalations WHERE problem_id = ");
        q.arg(problem).push(" ORDER BY raised_on, created_at");
        Ok(fetch_all_as!(&self.0.pool, Escalation, q)?)
    }

    /// The home page's 我的待办 for an actor: `manage` are the scopes where it
    /// works as a lead unit, `review` where it reviews, `person` the person
    /// behind the account (for escalations to them as the leader).
    pub async fn todos(
        &self,
        manage: &[OrgPath],
        review: &[OrgPath],
        person: Option<Uuid>,
        today: Date,
        limit: i64,
    ) -> Result<Todos> {
        let mut t = Todos::default();
        let list = |w: Sql, order: &'static str| {
            let mut q = Sql::new(SELECT_PROBLEMS);
            q.push(FROM_PROBLEMS);
            q.text.push_str(&w.text);
            q.args = w.args;
            q.push(order).push(" LIMIT ").arg(limit);
            q
        };
        if !manage.is_empty() {
            let mut w = Sql::new(" WHERE p.status = 'unclaimed' AND ");
            w.scope_filter("lu.path", manage);
            t.to_claim = fetch_all_as!(&self.0.pool, Problem, list(w, " ORDER BY p.deadline"))?;
            let mut q = Sql::new(SELECT_MEASURES);
            q.push(" WHERE m.status = 'open' AND m.due_on <= ")
                .arg(today.checked_add(jiff::Span::new().days(14)).unwrap_or(today).to_string())
                .push(" AND ");
            q.scope_filter("o.path", manage);
            q.push(" ORDER BY m.due_on LIMIT ").arg(limit);
            t.measures_due = fetch_all_as!(&self.0.pool, Measure, q)?;
        }
        if !review.is_empty() {
            let mut w = Sql::new(" WHERE p.status = 'closure_requested' AND ");
            w.scope_filter("iu.path", review);
            t.to_review = fetch_all_as!(&self.0.pool, Problem, list(w, " ORDER BY p.requested_on"))?;
            let mut w = Sql::new(" WHERE p.status = 'closed' AND p.lookback_due <= ");
            w.arg(today.checked_add(jiff::Span::new().days(30)).unwrap_or(today).to_string()).push(" AND ");
            w.scope_filter("iu.path", review);
            t.lookbacks = fetch_all_as!(&self.0.pool, Problem, list(w, " ORDER BY p.lookback_due"))?;
            let mut w = Sql::new(" WHERE EXISTS (SELECT CAST(1 AS BIGINT) FROM extension_requests x WHERE x.problem_id = p.id AND x.status = 'pending') AND ");
            w.scope_filter("iu.path", review);
            for p in fetch_all_as!(&self.0.pool, Problem, list(w, " ORDER BY p.deadline"))? {
                if let Some(x) = self.extensions(p.id).await?.into_iter().find(|x| x.status == "pending") {
                    t.extensions.push((x, p));
                }
            }
        }
        if let Some(person) = person {
            let mut w = Sql::new(" WHERE EXISTS (SELECT CAST(1 AS BIGINT) FROM escalations e WHERE e.problem_id = p.id AND e.resolved_on IS NULL AND e.leader_id = ");
            w.arg(person).push(")");
            t.escalated = fetch_all_as!(&self.0.pool, Problem, list(w, " ORDER BY p.deadline"))?;
        }
        Ok(t)
    }
}

impl Rectify<'_> {
    /// Current state of every covered row of `entity`, for `audit verify`.
    pub(crate) async fn snapshots(&self, entity: &str) -> Result<Vec<(String, Value)>> {
        use super::{BATCH, CAMPAIGN, CLOSURE, ESCALATION, EVIDENCE, EXTENSION, MEASURE, PROBLEM, RATING, SPOT_CHECK};
        let out = match entity {
            BATCH => {
                let mut q = Sql::new(SELECT_BATCHES);
                q.push(" ORDER BY b.id");
                fetch_all_as!(&self.0.pool, Batch, q)?.into_iter().map(|b| (b.id.to_string(), b.snapshot())).collect()
            }
            PROBLEM => {
                #[derive(sqlx::FromRow)]
                struct Link {
                    problem_id: Uuid,
                    id: Uuid,
                }
                let mut sup: std::collections::HashMap<Uuid, Vec<Uuid>> = Default::default();
                let q = Sql::new("SELECT problem_id, org_unit_id AS id FROM problem_supporting_units ORDER BY problem_id, org_unit_id");
                for l in fetch_all_as!(&self.0.pool, Link, q)? {
                    sup.entry(l.problem_id).or_default().push(l.id);
                }
                let mut ms: std::collections::HashMap<Uuid, Vec<Uuid>> = Default::default();
                let q = Sql::new("SELECT problem_id, measure_id AS id FROM problem_measures ORDER BY problem_id, measure_id");
                for l in fetch_all_as!(&self.0.pool, Link, q)? {
                    ms.entry(l.problem_id).or_default().push(l.id);
                }
                let mut q = Sql::new(SELECT_PROBLEMS);
                q.push(FROM_PROBLEMS).push(" ORDER BY p.id");
                fetch_all_as!(&self.0.pool, Problem, q)?
                    .into_iter()
                    .map(|p| {
                        let s = p.snapshot(sup.get(&p.id).map_or(&[][..], Vec::as_slice), ms.get(&p.id).map_or(&[][..], Vec::as_slice));
                        (p.id.to_string(), s)
                    })
                    .collect()
            }
            MEASURE => {
                let mut q = Sql::new(SELECT_MEASURES);
                q.push(" ORDER BY m.id");
                fetch_all_as!(&self.0.pool, Measure, q)?.into_iter().map(|m| (m.id.to_string(), m.snapshot())).collect()
            }
            EVIDENCE => {
                let mut q = Sql::new(SELECT_EVIDENCE);
                q.push(" ORDER BY id");
                fetch_all_as!(&self.0.pool, Evidence, q)?.into_iter().map(|e| (e.id.to_string(), e.snapshot())).collect()
            }
            CLOSURE => fetch_all_as!(&self.0.pool, Closure, Sql::new("SELECT * FROM closures ORDER BY id"))?
                .into_iter()
                .map(|c| (c.id.to_string(), c.snapshot()))
                .collect(),
            EXTENSION => fetch_all_as!(&self.0.pool, Extension, Sql::new("SELECT * FROM extension_requests ORDER BY id"))?
                .into_iter()
                .map(|x| (x.id.to_string(), x.snapshot()))
                .collect(),
            ESCALATION => fetch_all_as!(&self.0.pool, Escalation, Sql::new("SELECT * FROM escalations ORDER BY id"))?
                .into_iter()
                .map(|e| (e.id.to_string(), e.snapshot()))
                .collect(),
            SPOT_CHECK => self.spot_snapshots().await?,
            CAMPAIGN => self.campaign_snapshots().await?,
            RATING => fetch_all_as!(&self.0.pool, super::public::PublicRating, Sql::new("SELECT * FROM public_ratings ORDER BY id"))?
                .into_iter()
                .map(|r| (r.id.to_string(), r.snapshot()))
                .collect(),
            other => return Err(StoreError::Corrupt(format!("no snapshot for {other}"))),
        };
        Ok(out)
    }
}
