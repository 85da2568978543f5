//! Bulk load: org units, campaigns, batches and problems written straight
//! into their tables in large multi-row statements, then the board tallies
//! rebuilt in one pass. For benchmarks and first loads of an empty
//! deployment only: nothing goes through the commands, so nothing is
//! validated beyond what the schema enforces, no history (`problem_steps`)
//! is written and the audit chain records none of these rows.
//!
//! Everything runs on one connection. On SQLite that connection writes with
//! `synchronous = OFF` and a page cache of up to 1 GiB during the load and
//! gets the pool's settings back afterwards; the problems go in with their
//! secondary indexes dropped and re-created from their own definitions, all
//! in one transaction; the WAL is checkpointed at the end.

use crate::db::{Pool, Ts};
use crate::{Result, Store, StoreError};
use qingfeng_domain::org::{OrgKind, OrgPath};
use qingfeng_domain::rectify::tally::{Counts, Dim, ProblemFacts, cells};
use qingfeng_domain::rectify::{ProblemStatus, RootCause, Source, Warning};
use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, Connection, Postgres, Sqlite};
use std::collections::HashMap;
#[cfg(test)]
use std::path::Path;
use std::time::{Duration, Instant};
use uuid::Uuid;

/// An org unit. Parents must come before their children; `path` is the
/// parent's path `.child(id)` (or `OrgPath::top(id)`).
#[derive(Debug, Clone)]
pub struct NewUnit {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub kind: OrgKind,
    pub name: String,
    pub short_name: Option<String>,
    pub path: OrgPath,
    pub sort_order: i64,
}

/// A 专项整治 campaign.
#[derive(Debug, Clone)]
pub struct NewCampaign {
    pub id: Uuid,
    pub org_unit_id: Uuid,
    pub name: String,
}

/// A 问题清单. `issued_on` is `YYYY-MM-DD`.
#[derive(Debug, Clone)]
pub struct NewBatch {
    pub id: Uuid,
    pub source: Source,
    pub reference: String,
    pub issuing_unit_id: Uuid,
    pub issued_on: String,
    pub summary: Option<String>,
}

/// A problem in a given state (dates `YYYY-MM-DD`; the schedule and the
/// public fields are stored empty, the problem unpublished).
#[derive(Debug, Clone)]
pub struct NewProblem {
    pub id: Uuid,
    pub batch_id: Uuid,
    pub seq: i64,
    pub description: String,
    pub root_cause: RootCause,
    pub eight_rules: Option<String>,
    pub campaign_id: Option<Uuid>,
    pub lead_unit_id: Uuid,
    pub leader_id: Option<Uuid>,
    pub owner_id: Option<Uuid>,
    pub deadline: String,
    pub status: ProblemStatus,
    pub warning: Warning,
    pub warning_reason: String,
    pub progress: i64,
    pub relapsed: bool,
    pub paper: bool,
    pub requested_on: Option<String>,
    pub closed_on: Option<String>,
    pub lookback_due: Option<String>,
}

/// Rows written and the time each phase took (pulling rows from the
/// iterators included).
#[derive(Debug, Clone, Default)]
pub struct Loaded {
    pub units: u64,
    pub campaigns: u64,
    pub batches: u64,
    pub problems: u64,
    pub tallies: u64,
    pub units_time: Duration,
    /// Campaigns, batches and problems.
    pub problems_time: Duration,
    /// The tally rebuild (same result as `Rectify::rebuild_tallies`).
    pub tallies_time: Duration,
}

/// Writes the rows in order (units, campaigns, batches, problems), then
/// replaces every board tally by a recount of all problems.
pub async fn load(
    store: &Store,
    units: impl IntoIterator<Item = NewUnit>,
    campaigns: impl IntoIterator<Item = NewCampaign>,
    batches: impl IntoIterator<Item = NewBatch>,
    problems: impl IntoIterator<Item = NewProblem>,
) -> Result<Loaded> {
    let mut conn = match &store.pool {
        Pool::Sqlite(p) => Conn::Sqlite(p.acquire().await?),
        Pool::Postgres(p) => Conn::Postgres(p.acquire().await?),
    };
    if let Conn::Sqlite(c) = &mut conn {
        for pragma in ["PRAGMA synchronous = OFF", "PRAGMA cache_size = -1048576", "PRAGMA temp_store = MEMORY"] {
            sqlx::query(pragma).execute(&mut **c).await?;
        }
    }
    let result = load_on(&mut conn, units, campaigns, batches, problems).await;
    if let Conn::Sqlite(c) = &mut conn {
        // The pool's settings (db.rs), and everything into the main file.
        let restored = async {
            for pragma in ["PRAGMA synchronous = NORMAL", "PRAGMA cache_size = -2000", "PRAGMA temp_store = DEFAULT"] {
                sqlx::query(pragma).execute(&mut **c).await?;
            }
            sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut **c).await
        }
        .await;
        if restored.is_err() {
            if let Conn::Sqlite(c) = conn {
                let _ = c.detach().close().await;
            }
            restored?;
        }
    }
    result
}

async fn load_on(
    conn: &mut Conn,
    units: impl IntoIterator<Item = NewUnit>,
    campaigns: impl IntoIterator<Item = NewCampaign>,
    batches: impl IntoIterator<Item = NewBatch>,
    problems: impl IntoIterator<Item = NewProblem>,
) -> Result<Loaded> {
    let now = Ts::now();
    let mut out = Loaded::default();
    let t = Instant::now();
    out.units = write(conn, &UNITS, now, TX_ROWS, &[], &[], units.into_iter(), |u, b| {
        let depth = i32::try_from(u.path.depth()).unwrap_or(i32::MAX);
        b.extend([
            V::Uuid(u.id),
            V::OptUuid(u.parent_id),
            V::Text(u.kind.as_str().to_string()),
            V::Text(u.name),
            V::OptText(u.short_name),
            V::Text(u.path.as_str().to_string()),
            V::I32(depth),
            V::I64(u.sort_order),
        ]);
    })
    .await?;
    out.units_time = t.elapsed();

    let t = Instant::now();
    out.campaigns = write(conn, &CAMPAIGNS, now, TX_ROWS, &[], &[], campaigns.into_iter(), |c, b| {
        b.extend([V::Uuid(c.id), V::Uuid(c.org_unit_id), V::Text(c.name)]);
    })
    .await?;
    out.batches = write(conn, &BATCHES, now, TX_ROWS, &[], &[], batches.into_iter(), |x, b| {
        b.extend([
            V::Uuid(x.id),
            V::Text(x.source.as_str().to_string()),
            V::Text(x.reference),
            V::Uuid(x.issuing_unit_id),
            V::Text(x.issued_on),
            V::OptText(x.summary),
        ]);
    })
    .await?;
    // On SQLite, one transaction that drops the secondary indexes, writes
    // the rows and builds the indexes again (a sort each instead of two
    // million random inserts each).
    let (per_tx, drop, create) = match conn {
        Conn::Sqlite(c) => {
            let indexes: Vec<(String, String)> = sqlx::query_as(
                "SELECT name, sql FROM sqlite_master WHERE type = 'index' AND tbl_name = 'problems' AND sql IS NOT NULL ORDER BY name",
            )
            .fetch_all(&mut **c)
            .await?;
            let indexes: Vec<(String, String)> = indexes
                .into_iter()
                .filter(|(name, _)| !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_'))
                .collect();
            let drop = indexes.iter().map(|(name, _)| format!("DROP INDEX {name}")).collect();
            (usize::MAX, drop, indexes.into_iter().map(|(_, sql)| sql).collect())
        }
        Conn::Postgres(_) => (TX_ROWS, Vec::new(), Vec::new()),
    };
    out.problems = write(conn, &PROBLEMS, now, per_tx, &drop, &create, problems.into_iter(), |p, b| {
        b.extend([
            V::Uuid(p.id),
            V::Uuid(p.batch_id),
            V::I64(p.seq),
            V::Text(p.description),
            V::Text(p.root_cause.as_str().to_string()),
            V::OptText(p.eight_rules),
            V::OptUuid(p.campaign_id),
            V::Uuid(p.lead_unit_id),
            V::OptUuid(p.leader_id),
            V::OptUuid(p.owner_id),
            V::Text(p.deadline),
            V::Text(p.status.as_str().to_string()),
            V::Text(p.warning.as_str().to_string()),
            V::Text(p.warning_reason),
            V::I64(p.progress),
            V::Bool(p.relapsed),
            V::Bool(p.paper),
            V::OptText(p.requested_on),
            V::OptText(p.closed_on),
            V::OptText(p.lookback_due),
        ]);
    })
    .await?;
    out.problems_time = t.elapsed();

    let t = Instant::now();
    out.tallies = rebuild_tallies(conn).await?;
    out.tallies_time = t.elapsed();
    Ok(out)
}

/// The same figures as `Rectify::rebuild_tallies` (problems grouped in
/// SQL, each group added to every ancestor of its lead unit), summed in a
/// hash map and written in multi-row statements in one transaction.
async fn rebuild_tallies(conn: &mut Conn) -> Result<u64> {
    #[derive(sqlx::FromRow)]
    struct G {
        lead_unit_id: Uuid,
        source: String,
        root_cause: String,
        campaign_id: Option<Uuid>,
        status: String,
        warning: String,
        relapsed: bool,
        paper: bool,
        n: i64,
    }
    let groups: Vec<G> = on_conn!(conn, c => sqlx::query_as(
        "SELECT p.lead_unit_id, b.source, p.root_cause, p.campaign_id, p.status, p.warning, p.relapsed, p.paper, COUNT(*) AS n \
         FROM problems p JOIN problem_batches b ON b.id = p.batch_id \
         GROUP BY p.lead_unit_id, b.source, p.root_cause, p.campaign_id, p.status, p.warning, p.relapsed, p.paper")
        .fetch_all(c).await)?;
    let paths: Vec<(Uuid, String)> =
        on_conn!(conn, c => sqlx::query_as("SELECT id, path FROM org_units").fetch_all(c).await)?;
    let paths: HashMap<Uuid, Vec<Uuid>> =
        paths.into_iter().filter_map(|(id, p)| OrgPath::parse(&p).map(|p| (id, p.ids()))).collect();
    // (dim, key) cells are few: number them.
    let mut cell_ids: HashMap<(Dim, String), u32> = HashMap::new();
    let mut sums: HashMap<(Uuid, u32), Counts> = HashMap::new();
    for g in groups {
        let facts = ProblemFacts {
            status: ProblemStatus::parse(&g.status)
                .ok_or_else(|| StoreError::Corrupt(format!("status `{}`", g.status)))?,
            warning: Warning::parse(&g.warning)
                .ok_or_else(|| StoreError::Corrupt(format!("warning `{}`", g.warning)))?,
            relapsed: g.relapsed,
            paper: g.paper,
        };
        let c = Counts::from_array(Counts::of(&facts).to_array().map(|v| v * g.n));
        let ancestors = paths.get(&g.lead_unit_id).ok_or(StoreError::NotFound)?;
        let campaign = g.campaign_id.map(|c| c.to_string());
        for cell in cells(&g.source, &g.root_cause, campaign.as_deref()) {
            let next = cell_ids.len() as u32;
            let cell = *cell_ids.entry(cell).or_insert(next);
            for unit in ancestors {
                let e = sums.entry((*unit, cell)).or_default();
                *e = *e + c;
            }
        }
    }
    let mut names = vec![(Dim::All, String::new()); cell_ids.len()];
    for (cell, i) in cell_ids {
        names[i as usize] = cell;
    }
    let mut rows: Vec<((Uuid, u32), Counts)> = sums.into_iter().collect();
    // Primary-key order: the index is appended to, not split.
    rows.sort_unstable_by(|((u1, c1), _), ((u2, c2), _)| {
        let (a, b) = (&names[*c1 as usize], &names[*c2 as usize]);
        (u1.as_bytes(), a.0.as_str(), &a.1).cmp(&(u2.as_bytes(), b.0.as_str(), &b.1))
    });
    let delete = ["DELETE FROM rectify_tallies".to_string()];
    write(conn, &TALLIES, Ts::now(), usize::MAX, &delete, &[], rows.into_iter(), |((unit, cell), c), b| {
        let (dim, key) = &names[cell as usize];
        b.push(V::Uuid(unit));
        b.push(V::Text(dim.as_str().to_string()));
        b.push(V::Text(key.clone()));
        b.extend(c.to_array().map(V::I64));
    })
    .await
}

/// Rows per transaction.
const TX_ROWS: usize = 50_000;
/// Values bound per statement (SQLite allows 32 766, PostgreSQL 65 535).
const MAX_PARAMS: usize = 30_000;

/// A table to write: the columns bound per row, the columns set to the
/// load's timestamp, and columns with a literal value.
struct Table {
    name: &'static str,
    bound: &'static [&'static str],
    stamped: &'static [&'static str],
    fixed: &'static [(&'static str, &'static str)],
}

const UNITS: Table = Table {
    name: "org_units",
    bound: &["id", "parent_id", "kind", "name", "short_name", "path", "depth", "sort_order"],
    stamped: &["created_at", "updated_at"],
    fixed: &[("active", "TRUE")],
};
const CAMPAIGNS: Table =
    Table { name: "campaigns", bound: &["id", "org_unit_id", "name"], stamped: &["created_at"], fixed: &[] };
const BATCHES: Table = Table {
    name: "problem_batches",
    bound: &["id", "source", "reference", "issuing_unit_id", "issued_on", "summary"],
    stamped: &["created_at", "updated_at"],
    fixed: &[],
};
const PROBLEMS: Table = Table {
    name: "problems",
    bound: &[
        "id",
        "batch_id",
        "seq",
        "description",
        "root_cause",
        "eight_rules",
        "campaign_id",
        "lead_unit_id",
        "leader_id",
        "owner_id",
        "deadline",
        "status",
        "warning",
        "warning_reason",
        "progress",
        "relapsed",
        "paper",
        "requested_on",
        "closed_on",
        "lookback_due",
    ],
    stamped: &["created_at", "updated_at"],
    fixed: &[("schedule", "'[]'"), ("published", "FALSE"), ("public_fields", "'[]'")],
};
const TALLIES: Table = Table {
    name: "rectify_tallies",
    bound: &[
        "org_unit_id",
        "dim",
        "key",
        "total",
        "unclaimed",
        "in_progress",
        "requested",
        "closed",
        "red",
        "yellow",
        "relapsed",
        "paper",
    ],
    stamped: &[],
    fixed: &[],
};

impl Table {
    /// Values bound per row.
    fn width(&self) -> usize {
        self.bound.len() + self.stamped.len()
    }

    /// `INSERT … VALUES (…), (…)` for `rows` rows. SQLite gets anonymous
    /// `?` placeholders: it looks named ones (`$n`) up by a linear search,
    /// which makes binding a statement with thousands of them quadratic.
    fn insert(&self, rows: usize, sqlite: bool) -> String {
        let cols: Vec<&str> =
            self.bound.iter().chain(self.stamped).copied().chain(self.fixed.iter().map(|f| f.0)).collect();
        let mut s = format!("INSERT INTO {} ({}) VALUES ", self.name, cols.join(", "));
        let mut n = 0usize;
        for r in 0..rows {
            s.push_str(if r == 0 { "(" } else { ", (" });
            for i in 0..self.width() {
                n += 1;
                if i > 0 {
                    s.push_str(", ");
                }
                if sqlite {
                    s.push('?');
                } else {
                    s.push('$');
                    s.push_str(&n.to_string());
                }
            }
            for f in self.fixed {
                s.push_str(", ");
                s.push_str(f.1);
            }
            s.push(')');
        }
        s
    }
}

/// A bound value.
enum V {
    Uuid(Uuid),
    OptUuid(Option<Uuid>),
    Text(String),
    OptText(Option<String>),
    I32(i32),
    I64(i64),
    Bool(bool),
    Ts(Ts),
}

enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// Runs `$body` with `$c` bound to the live connection.
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            Conn::Sqlite(x) => {
                let $c = &mut **x;
                $body
            }
            Conn::Postgres(x) => {
                let $c = &mut **x;
                $body
            }
        }
    };
}
use on_conn;

/// Writes `rows` into `t`, `per_tx` rows per transaction; `pre` runs first
/// in the first transaction, `post` last in the last one. Returns the rows
/// written.
#[allow(clippy::too_many_arguments)]
async fn write<R>(
    conn: &mut Conn,
    t: &Table,
    now: Ts,
    per_tx: usize,
    pre: &[String],
    post: &[String],
    rows: impl Iterator<Item = R>,
    values: impl Fn(R, &mut Vec<V>),
) -> Result<u64> {
    let sqlite = matches!(conn, Conn::Sqlite(_));
    let per_stmt = (MAX_PARAMS / t.width()).max(1);
    let full = t.insert(per_stmt, sqlite);
    let mut rows = rows.peekable();
    let mut buf: Vec<V> = Vec::with_capacity(per_stmt * t.width());
    let mut total = 0u64;
    let mut first = true;
    loop {
        on_conn!(&mut *conn, c => {
            let mut tx = c.begin().await?;
            if first {
                for s in pre {
                    sqlx::query(AssertSqlSafe(s.clone())).execute(&mut *tx).await?;
                }
                first = false;
            }
            let mut in_tx = 0usize;
            while in_tx < per_tx {
                buf.clear();
                let mut n = 0;
                while n < per_stmt && in_tx + n < per_tx {
                    match rows.next() {
                        Some(r) => {
                            values(r, &mut buf);
                            buf.extend(t.stamped.iter().map(|_| V::Ts(now)));
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    break;
                }
                debug_assert_eq!(buf.len(), n * t.width());
                let text = if n == per_stmt { full.clone() } else { t.insert(n, sqlite) };
                let mut q = sqlx::query(AssertSqlSafe(text));
                for v in buf.drain(..) {
                    q = match v {
                        V::Uuid(x) => q.bind(x),
                        V::OptUuid(x) => q.bind(x),
                        V::Text(x) => q.bind(x),
                        V::OptText(x) => q.bind(x),
                        V::I32(x) => q.bind(x),
                        V::I64(x) => q.bind(x),
                        V::Bool(x) => q.bind(x),
                        V::Ts(x) => q.bind(x),
                    };
                }
                q.execute(&mut *tx).await?;
                in_tx += n;
            }
            total += in_tx as u64;
            let done = rows.peek().is_none();
            if done {
                for s in post {
                    sqlx::query(AssertSqlSafe(s.clone())).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            if done {
                return Ok(total);
            }
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Settings;
    use qingfeng_domain::page::PageRequest;

    /// A fresh SQLite store, and a PostgreSQL one when `QINGFENG_TEST_PG_URL` is set.
    async fn stores(dir: &Path) -> Vec<Store> {
        let mut out =
            vec![Store::open(&format!("sqlite://{}/bulk.db", dir.display()), Settings::default()).await.unwrap()];
        if let Ok(url) = std::env::var("QINGFENG_TEST_PG_URL")
            && !url.is_empty()
        {
            let name = format!("qf_bulk_{}", Uuid::now_v7().simple());
            let admin = sqlx::PgPool::connect(&url).await.unwrap();
            sqlx::query(AssertSqlSafe(format!("CREATE DATABASE {name}"))).execute(&admin).await.unwrap();
            admin.close().await;
            let (base, query) =
                url.split_once('?').map_or((url.as_str(), String::new()), |(b, q)| (b, format!("?{q}")));
            let server = base.rsplit_once('/').map_or(base, |(s, _)| s);
            out.push(Store::open(&format!("{server}/{name}{query}"), Settings::default()).await.unwrap());
        }
        out
    }

    async fn indexes(store: &Store) -> Vec<(String, String)> {
        match &store.pool {
            Pool::Sqlite(p) => sqlx::query_as(
                "SELECT name, sql FROM sqlite_master WHERE tbl_name = 'problems' AND sql IS NOT NULL ORDER BY name",
            )
            .fetch_all(p)
            .await
            .unwrap(),
            Pool::Postgres(p) => sqlx::query_as(
                "SELECT indexname::text, indexdef FROM pg_indexes WHERE tablename = 'problems' ORDER BY indexname",
            )
            .fetch_all(p)
            .await
            .unwrap(),
        }
    }

    #[tokio::test]
    async fn a_bulk_load_gives_the_tallies_a_recount_gives() {
        let dir = tempfile::tempdir().unwrap();
        for store in stores(dir.path()).await {
            check(&store).await;
        }
    }

    async fn check(store: &Store) {
        let root = Uuid::now_v7();
        let top = OrgPath::top(root);
        let mut units = vec![NewUnit {
            id: root,
            parent_id: None,
            kind: OrgKind::PartyCommittee,
            name: "省委".into(),
            short_name: None,
            path: top.clone(),
            sort_order: 0,
        }];
        for i in 0..3 {
            let id = Uuid::now_v7();
            units.push(NewUnit {
                id,
                parent_id: Some(root),
                kind: OrgKind::Branch,
                name: format!("第{i}支部"),
                short_name: None,
                path: top.child(id),
                sort_order: i,
            });
        }
        let campaign = NewCampaign { id: Uuid::now_v7(), org_unit_id: root, name: "专项整治".into() };
        let batch = NewBatch {
            id: Uuid::now_v7(),
            source: Source::Patrol,
            reference: "巡察反馈〔2025〕1号".into(),
            issuing_unit_id: root,
            issued_on: "2025-03-01".into(),
            summary: None,
        };
        let statuses = [
            ProblemStatus::Unclaimed,
            ProblemStatus::InProgress,
            ProblemStatus::ClosureRequested,
            ProblemStatus::Closed,
        ];
        let problems: Vec<NewProblem> = (0..40)
            .map(|i| {
                let status = statuses[i % 4];
                let closed = status == ProblemStatus::Closed;
                NewProblem {
                    id: Uuid::now_v7(),
                    batch_id: batch.id,
                    seq: i as i64 + 1,
                    description: format!("问题{i}"),
                    root_cause: RootCause::ALL[i % RootCause::ALL.len()],
                    eight_rules: None,
                    campaign_id: (i % 3 == 0).then_some(campaign.id),
                    lead_unit_id: units[i % units.len()].id,
                    leader_id: None,
                    owner_id: None,
                    deadline: "2025-09-30".into(),
                    status,
                    warning: if closed { Warning::Done } else { Warning::ALL[i % 3] },
                    warning_reason: String::new(),
                    progress: 0,
                    relapsed: i % 7 == 0,
                    paper: i % 11 == 1,
                    requested_on: None,
                    closed_on: closed.then(|| "2025-06-01".into()),
                    lookback_due: closed.then(|| "2025-12-01".into()),
                }
            })
            .collect();
        let before = indexes(store).await;
        assert!(before.len() >= 5, "{before:?}");
        let loaded = load(store, units, [campaign], [batch.clone()], problems.clone()).await.unwrap();
        assert_eq!((loaded.units, loaded.campaigns, loaded.batches, loaded.problems), (4, 1, 1, 40));
        assert_eq!(indexes(store).await, before);
        let r = store.rectify();
        assert!(r.recount().await.unwrap().is_empty());
        let board = r.board(root).await.unwrap();
        assert_eq!(board.total.total, 40);
        assert_eq!(board.direct.total, 10);
        assert_eq!(board.children.len(), 3);
        assert_eq!(board.by_campaign.iter().map(|c| c.counts.total).sum::<i64>(), 14);
        let list = r.list(&[top], &Default::default(), PageRequest::default()).await.unwrap();
        assert_eq!((list.total, list.items.len()), (40, 20));
        // The store's own rebuild writes the same rows.
        assert_eq!(r.rebuild_tallies().await.unwrap() as u64, loaded.tallies);
        assert!(r.recount().await.unwrap().is_empty());

        // A second load adds to what is there.
        let batch2 =
            NewBatch { id: Uuid::now_v7(), source: Source::Audit, reference: "审计〔2025〕2号".into(), ..batch };
        let more: Vec<NewProblem> = problems
            .into_iter()
            .take(10)
            .map(|p| NewProblem { id: Uuid::now_v7(), batch_id: batch2.id, campaign_id: None, ..p })
            .collect();
        load(store, [], [], [batch2], more).await.unwrap();
        assert!(r.recount().await.unwrap().is_empty());
        assert_eq!(r.board(root).await.unwrap().total.total, 50);
        assert_eq!(indexes(store).await, before);
    }
}
