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
use qingfeng_domain::rectify::tally::{Counts, Dim};
use qingfeng_domain::rectify::{ProblemStatus, RootCause, Source, Warning};
use sqlx::Connection;
use std::collections::HashMap;
use std::time::{Duration, Instant};
use uuid::Uuid;
use super::tally::{GROUPS, Group};
use write::{BATCHES, CAMPAIGNS, Conn, PROBLEMS, TALLIES, TX_ROWS, UNITS, V, on_conn, write};

mod write;
#[cfg(test)]
mod tests;

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
    let groups: Vec<Group> = on_conn!(conn, c => sqlx::query_as(GROUPS).fetch_all(c).await)?;
    let paths: Vec<(Uuid, String)> =
        on_conn!(conn, c => sqlx::query_as("SELECT id, path FROM org_units").fetch_all(c).await)?;
    let paths: HashMap<Uuid, Vec<Uuid>> =
        paths.into_iter().filter_map(|(id, p)| OrgPath::parse(&p).map(|p| (id, p.ids()))).collect();
    // (dim, key) cells are few: number them.
    let mut cell_ids: HashMap<(Dim, String), u32> = HashMap::new();
    let mut sums: HashMap<(Uuid, u32), Counts> = HashMap::new();
    for g in groups {
        let c = g.counts()?;
        let ancestors = paths.get(&g.lead_unit_id).ok_or(StoreError::NotFound)?;
        for cell in g.cells() {
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
