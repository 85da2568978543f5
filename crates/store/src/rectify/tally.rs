//! Board tallies: per unit, for its whole subtree, per breakdown.
//!
//! A change to a problem adds `after − before` of its contribution
//! ([`Counts::of`]) to every ancestor of its lead unit, in the same
//! transaction. A board is then a few row reads for any node, however large
//! the tree. [`Rectify::recount`] rebuilds the figures from the rows and
//! reports any difference; tests and `qingfeng rectify recount` use it.

use super::Rectify;
use crate::db::{Sql, Tx, exec_pool, exec_tx, fetch_all_as, fetch_all_tx, on_pool};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::rectify::tally::{Counts, Dim, ProblemFacts, cells};
use qingfeng_domain::rectify::{ProblemStatus, Warning};
use std::collections::{BTreeMap, HashMap};
use uuid::Uuid;

#[derive(sqlx::FromRow)]
struct Row {
    total: i64,
    unclaimed: i64,
    in_progress: i64,
    requested: i64,
    closed: i64,
    red: i64,
    yellow: i64,
    relapsed: i64,
    paper: i64,
}

impl From<&Row> for Counts {
    fn from(r: &Row) -> Counts {
        Counts::from_array([r.total, r.unclaimed, r.in_progress, r.requested, r.closed, r.red, r.yellow, r.relapsed, r.paper])
    }
}

/// What a problem counts under besides its lead unit.
#[derive(Debug, Clone)]
pub(crate) struct Keys {
    pub lead_unit_id: Uuid,
    pub source: String,
    pub root_cause: String,
    pub campaign: Option<Uuid>,
}

async fn upsert(tx: &mut Tx, unit: Uuid, dim: Dim, key: &str, d: &Counts) -> Result<()> {
    let a = d.to_array();
    exec_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO rectify_tallies (org_unit_id, dim, key, total, unclaimed, in_progress, requested, closed, red, yellow, relapsed, paper) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) ON CONFLICT (org_unit_id, dim, key) DO UPDATE SET \
             total = rectify_tallies.total + excluded.total, unclaimed = rectify_tallies.unclaimed + excluded.unclaimed, \
             in_progress = rectify_tallies.in_progress + excluded.in_progress, requested = rectify_tallies.requested + excluded.requested, \
             closed = rectify_tallies.closed + excluded.closed, red = rectify_tallies.red + excluded.red, \
             yellow = rectify_tallies.yellow + excluded.yellow, relapsed = rectify_tallies.relapsed + excluded.relapsed, \
             paper = rectify_tallies.paper + excluded.paper",
        )
        .bind(unit).bind(dim.as_str()).bind(key)
        .bind(a[0]).bind(a[1]).bind(a[2]).bind(a[3]).bind(a[4]).bind(a[5]).bind(a[6]).bind(a[7]).bind(a[8])
        .execute(c).await
    })?;
    Ok(())
}

async fn unit_path(tx: &mut Tx, unit: Uuid) -> Result<OrgPath> {
    let p: Option<String> = crate::db::on_tx!(tx, c => sqlx::query_scalar("SELECT path FROM org_units WHERE id = $1").bind(unit).fetch_optional(c).await)?;
    p.and_then(|p| OrgPath::parse(&p)).ok_or(StoreError::NotFound)
}

/// Adds the change of one problem's contribution to every ancestor.
pub(crate) async fn apply(tx: &mut Tx, keys: &Keys, before: Option<ProblemFacts>, after: Option<ProblemFacts>) -> Result<()> {
    let delta = after.map(|f| Counts::of(&f)).unwrap_or_default() - before.map(|f| Counts::of(&f)).unwrap_or_default();
    if delta.is_zero() {
        return Ok(());
    }
    let path = unit_path(tx, keys.lead_unit_id).await?;
    let campaign = keys.campaign.map(|c| c.to_string());
    for unit in path.ids() {
        for (dim, key) in cells(&keys.source, &keys.root_cause, campaign.as_deref()) {
            upsert(tx, unit, dim, &key, &delta).await?;
        }
    }
    Ok(())
}

/// After a subtree moved from `old` to `new`: its figures leave the old
/// ancestors and join the new ones.
pub(crate) async fn moved(tx: &mut Tx, unit: Uuid, old: &OrgPath, new: &OrgPath) -> Result<()> {
    #[derive(sqlx::FromRow)]
    struct Cell {
        dim: String,
        key: String,
        #[sqlx(flatten)]
        row: Row,
    }
    let mut q = Sql::new("SELECT dim, key, total, unclaimed, in_progress, requested, closed, red, yellow, relapsed, paper FROM rectify_tallies WHERE org_unit_id = ");
    q.arg(unit);
    let rows = fetch_all_tx!(tx, Cell, q)?;
    let old_ancestors: Vec<Uuid> = old.ids().into_iter().filter(|i| *i != unit).collect();
    let new_ancestors: Vec<Uuid> = new.ids().into_iter().filter(|i| *i != unit).collect();
    for r in rows {
        let dim = Dim::parse(&r.dim).ok_or_else(|| StoreError::Corrupt(format!("tally dim `{}`", r.dim)))?;
        let c = Counts::from(&r.row);
        for a in &old_ancestors {
            upsert(tx, *a, dim, &r.key, &(Counts::default() - c)).await?;
        }
        for a in &new_ancestors {
            upsert(tx, *a, dim, &r.key, &c).await?;
        }
    }
    Ok(())
}

/// One cell of a board: a child unit, a source, a root cause or a campaign.
#[derive(Debug, Clone)]
pub struct BoardCell {
    /// Unit id, source code, root-cause code or campaign id.
    pub key: String,
    pub label: String,
    pub counts: Counts,
}

/// A 挂图作战 board for one node.
#[derive(Debug, Clone, Default)]
pub struct Board {
    pub total: Counts,
    /// Problems led by the node itself (本级).
    pub direct: Counts,
    pub children: Vec<BoardCell>,
    pub by_source: Vec<BoardCell>,
    pub by_root_cause: Vec<BoardCell>,
    pub by_campaign: Vec<BoardCell>,
}

/// One day of the trend.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TrendPoint {
    pub day: String,
    pub total: i64,
    pub closed: i64,
    pub red: i64,
    pub relapsed: i64,
    pub paper: i64,
}

/// A difference between the stored tallies and a recount.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mismatch {
    pub unit: Uuid,
    pub dim: String,
    pub key: String,
    pub stored: Counts,
    pub counted: Counts,
}

type Tallies = BTreeMap<(Uuid, String, String), Counts>;

/// Problems grouped by everything a tally counts: what a rebuild or a
/// recount adds to every ancestor of each group's lead unit.
#[derive(sqlx::FromRow)]
pub(crate) struct Group {
    pub lead_unit_id: Uuid,
    source: String,
    root_cause: String,
    campaign_id: Option<Uuid>,
    status: String,
    warning: String,
    relapsed: bool,
    paper: bool,
    n: i64,
}

pub(crate) const GROUPS: &str = "SELECT p.lead_unit_id, b.source, p.root_cause, p.campaign_id, p.status, p.warning, \
    p.relapsed, p.paper, COUNT(*) AS n FROM problems p JOIN problem_batches b ON b.id = p.batch_id \
    GROUP BY p.lead_unit_id, b.source, p.root_cause, p.campaign_id, p.status, p.warning, p.relapsed, p.paper";

impl Group {
    /// What the group's `n` problems add to each of its cells.
    pub(crate) fn counts(&self) -> Result<Counts> {
        let facts = ProblemFacts {
            status: ProblemStatus::parse(&self.status).ok_or_else(|| StoreError::Corrupt(format!("status `{}`", self.status)))?,
            warning: Warning::parse(&self.warning).ok_or_else(|| StoreError::Corrupt(format!("warning `{}`", self.warning)))?,
            relapsed: self.relapsed,
            paper: self.paper,
        };
        Ok(Counts::from_array(Counts::of(&facts).to_array().map(|v| v * self.n)))
    }

    /// The (dimension, key) cells the group counts in.
    pub(crate) fn cells(&self) -> Vec<(Dim, String)> {
        cells(&self.source, &self.root_cause, self.campaign_id.map(|c| c.to_string()).as_deref())
    }
}

impl Rectify<'_> {
    /// The board of `unit` (its whole subtree).
    pub async fn board(&self, unit: Uuid) -> Result<Board> {
        #[derive(sqlx::FromRow)]
        struct Cell {
            dim: String,
            key: String,
            #[sqlx(flatten)]
            row: Row,
        }
        let campaigns: HashMap<String, String> = on_pool!(&self.0.pool, c => sqlx::query_as::<_, (Uuid, String)>(
            "SELECT id, name FROM campaigns").fetch_all(c).await)?
            .into_iter().map(|(id, name)| (id.to_string(), name)).collect();
        let mut q = Sql::new(
            "SELECT t.dim, t.key, t.total, t.unclaimed, t.in_progress, t.requested, t.closed, t.red, t.yellow, \
             t.relapsed, t.paper FROM rectify_tallies t",
        );
        q.push(" WHERE t.org_unit_id = ").arg(unit).push(" AND t.total <> 0 ORDER BY t.dim, t.key");
        let mut b = Board::default();
        for c in fetch_all_as!(&self.0.pool, Cell, q)? {
            let counts = Counts::from(&c.row);
            let cell = |label: String| BoardCell { key: c.key.clone(), label, counts };
            match Dim::parse(&c.dim) {
                Some(Dim::All) => b.total = counts,
                Some(Dim::Source) => b.by_source.push(cell(
                    qingfeng_domain::rectify::Source::parse(&c.key).map(|s| s.label().zh.to_string()).unwrap_or(c.key.clone()),
                )),
                Some(Dim::RootCause) => b.by_root_cause.push(cell(
                    qingfeng_domain::rectify::RootCause::parse(&c.key).map(|s| s.label().zh.to_string()).unwrap_or(c.key.clone()),
                )),
                Some(Dim::Campaign) => b.by_campaign.push(cell(campaigns.get(&c.key).cloned().unwrap_or(c.key.clone()))),
                None => return Err(StoreError::Corrupt(format!("tally dim `{}`", c.dim))),
            }
        }
        #[derive(sqlx::FromRow)]
        struct Child {
            id: Uuid,
            name: String,
            total: Option<i64>,
            unclaimed: Option<i64>,
            in_progress: Option<i64>,
            requested: Option<i64>,
            closed: Option<i64>,
            red: Option<i64>,
            yellow: Option<i64>,
            relapsed: Option<i64>,
            paper: Option<i64>,
        }
        let mut q = Sql::new(
            "SELECT o.id, COALESCE(o.short_name, o.name) AS name, t.total, t.unclaimed, t.in_progress, t.requested, t.closed, \
             t.red, t.yellow, t.relapsed, t.paper FROM org_units o LEFT JOIN rectify_tallies t ON t.org_unit_id = o.id \
             AND t.dim = 'all' AND t.key = '' WHERE o.parent_id = ",
        );
        q.arg(unit).push(" ORDER BY o.sort_order, o.name");
        for c in fetch_all_as!(&self.0.pool, Child, q)? {
            let counts = Counts::from_array(
                [c.total, c.unclaimed, c.in_progress, c.requested, c.closed, c.red, c.yellow, c.relapsed, c.paper]
                    .map(|v| v.unwrap_or(0)),
            );
            if counts.total != 0 {
                b.children.push(BoardCell { key: c.id.to_string(), label: c.name, counts });
            }
        }
        b.direct = b.total - b.children.iter().map(|c| c.counts).sum();
        Ok(b)
    }

    /// Copies today's `all` figures of every unit into the trend table.
    pub async fn snapshot_day(&self, day: Date) -> Result<u64> {
        let d = day.to_string();
        Ok(exec_pool!(&self.0.pool, c => sqlx::query(
            "INSERT INTO rectify_daily (org_unit_id, day, total, closed, red, relapsed, paper) \
             SELECT org_unit_id, $1, total, closed, red, relapsed, paper FROM rectify_tallies WHERE dim = 'all' AND total <> 0 \
             ON CONFLICT (org_unit_id, day) DO UPDATE SET total = excluded.total, closed = excluded.closed, red = excluded.red, \
             relapsed = excluded.relapsed, paper = excluded.paper").bind(&d).execute(c).await)?)
    }

    /// The trend of `unit` since `from`.
    pub async fn trend(&self, unit: Uuid, from: Date) -> Result<Vec<TrendPoint>> {
        let mut q = Sql::new("SELECT day, total, closed, red, relapsed, paper FROM rectify_daily WHERE org_unit_id = ");
        q.arg(unit).push(" AND day >= ").arg(from.to_string()).push(" ORDER BY day");
        Ok(fetch_all_as!(&self.0.pool, TrendPoint, q)?)
    }

    async fn count_from_rows(&self) -> Result<Tallies> {
        let groups: Vec<Group> = on_pool!(&self.0.pool, c => sqlx::query_as(GROUPS).fetch_all(c).await)?;
        let paths: Vec<(Uuid, String)> =
            on_pool!(&self.0.pool, c => sqlx::query_as("SELECT id, path FROM org_units").fetch_all(c).await)?;
        let paths: HashMap<Uuid, OrgPath> =
            paths.into_iter().filter_map(|(id, p)| OrgPath::parse(&p).map(|p| (id, p))).collect();
        let mut out = Tallies::new();
        for g in groups {
            let c = g.counts()?;
            let path = paths.get(&g.lead_unit_id).ok_or(StoreError::NotFound)?;
            for unit in path.ids() {
                for (dim, key) in g.cells() {
                    let e = out.entry((unit, dim.as_str().to_string(), key)).or_default();
                    *e = *e + c;
                }
            }
        }
        Ok(out)
    }

    async fn stored(&self) -> Result<Tallies> {
        #[derive(sqlx::FromRow)]
        struct Cell {
            org_unit_id: Uuid,
            dim: String,
            key: String,
            #[sqlx(flatten)]
            row: Row,
        }
        let q = Sql::new(
            "SELECT org_unit_id, dim, key, total, unclaimed, in_progress, requested, closed, red, yellow, relapsed, paper FROM rectify_tallies",
        );
        Ok(fetch_all_as!(&self.0.pool, Cell, q)?
            .into_iter()
            .map(|c| ((c.org_unit_id, c.dim, c.key), Counts::from(&c.row)))
            .filter(|(_, c)| !c.is_zero())
            .collect())
    }

    /// Recounts every tally from the problem rows and lists the differences
    /// from the stored ones (empty when they agree).
    pub async fn recount(&self) -> Result<Vec<Mismatch>> {
        let counted = self.count_from_rows().await?;
        let stored = self.stored().await?;
        let mut out = Vec::new();
        for k in counted.keys().chain(stored.keys()).collect::<std::collections::BTreeSet<_>>() {
            let (s, c) = (stored.get(k).copied().unwrap_or_default(), counted.get(k).copied().unwrap_or_default());
            if s != c {
                out.push(Mismatch { unit: k.0, dim: k.1.clone(), key: k.2.clone(), stored: s, counted: c });
            }
        }
        Ok(out)
    }

    /// Replaces the stored tallies by a recount (after a bulk load).
    pub async fn rebuild_tallies(&self) -> Result<usize> {
        let counted = self.count_from_rows().await?;
        let mut tx = self.0.pool.begin_write().await?;
        exec_tx!(&mut tx, c => sqlx::query("DELETE FROM rectify_tallies").execute(c).await)?;
        for ((unit, dim, key), c) in &counted {
            let dim = Dim::parse(dim).unwrap_or(Dim::All);
            upsert(&mut tx, *unit, dim, key, c).await?;
        }
        tx.commit().await?;
        Ok(counted.len())
    }
}
