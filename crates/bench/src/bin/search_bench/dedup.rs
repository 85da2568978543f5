//! Duplicate lookup in a real database: N generated reports' MinHash
//! signatures and band keys in SQLite, in the tables the store will use
//! ([`SCHEMA_COMPOSITE`], or [`SCHEMA_ROWID`] to compare), then QUERIES
//! re-worded copies of stored reports and QUERIES unrelated new reports
//! looked up the way intake will: fingerprint → one indexed query per band
//! key (`LIMIT bucket_limit + 1`; a fuller bucket is a boilerplate band and
//! is skipped) → the candidates' signatures → estimated similarity ≥
//! `DUPLICATE_THRESHOLD`. Only the `max_candidates` candidates sharing the
//! most bands are fetched: the generated corpus has ~540 distinct
//! candidates per lookup at 1M reports, and fetching them all cost a p95 of
//! 59 ms (README, benchmarks).

use std::path::PathBuf;
use std::str::FromStr;
use std::time::{Duration, Instant};

use qingfeng_text::fingerprint::{DUPLICATE_THRESHOLD, Fingerprint, LshParams, Signature};
use qingfeng_text::synth::{random_report, reword};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sqlx::{Connection, QueryBuilder, Sqlite, SqliteConnection};
use uuid::Uuid;

use crate::common::{disk_size, mib, report_id, rng_for, show};

/// The store's tables: a band key's reports are one range of the
/// clustered primary key. Signatures (515 bytes) stay in a rowid table, as
/// SQLite advises for rows that large.
pub const SCHEMA_COMPOSITE: &str = "
CREATE TABLE report_signatures (
    report_id BLOB PRIMARY KEY NOT NULL,
    signature BLOB NOT NULL
);
CREATE TABLE report_bands (
    band_key  BIGINT NOT NULL,
    report_id BLOB NOT NULL,
    PRIMARY KEY (band_key, report_id)
) WITHOUT ROWID;";

/// The plain shape, for comparison: a rowid table and an index on band_key.
pub const SCHEMA_ROWID: &str = "
CREATE TABLE report_signatures (
    report_id BLOB PRIMARY KEY NOT NULL,
    signature BLOB NOT NULL
);
CREATE TABLE report_bands (
    band_key  BIGINT NOT NULL,
    report_id BLOB NOT NULL
);
CREATE INDEX report_bands_key ON report_bands (band_key);";

#[derive(clap::Args)]
pub struct Args {
    /// Reports to store.
    #[arg(long, default_value_t = 1_000_000)]
    n: u64,
    /// Re-worded copies to look up, and as many unrelated new reports.
    #[arg(long, default_value_t = 1_000)]
    queries: u64,
    /// SQLite file (replaced).
    #[arg(long)]
    db: PathBuf,
    /// `composite` (WITHOUT ROWID, primary key (band_key, report_id)) or `rowid`.
    #[arg(long, default_value = "composite")]
    layout: String,
    /// A band key with more reports than this is not expanded.
    #[arg(long, default_value_t = 1_000)]
    bucket_limit: i64,
    /// Signatures fetched at most: the candidates sharing the most bands.
    #[arg(long, default_value_t = 100)]
    max_candidates: usize,
    /// SQLite `mmap_size` for the look-ups, MB (0: SQLite's default, reads
    /// through its 2 MB page cache: 3× slower here).
    #[arg(long, default_value_t = 2048)]
    mmap_mb: u64,
    /// Keep an existing database from an earlier run (same --n) and only look up.
    #[arg(long)]
    reuse: bool,
}

const SALT: u64 = 0xDED;

pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let schema = match args.layout.as_str() {
        "composite" => SCHEMA_COMPOSITE,
        "rowid" => SCHEMA_ROWID,
        other => return Err(format!("unknown layout {other:?}").into()),
    };
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    runtime.block_on(run_async(args, schema))
}

/// Fingerprints of reports 0..n on two threads: (signature bytes, band keys).
fn fingerprints(n: u64) -> Vec<(Vec<u8>, Vec<u64>)> {
    let params = LshParams::DEFAULT;
    let threads = 2u64;
    let parts: Vec<Vec<(Vec<u8>, Vec<u64>)>> = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                scope.spawn(move || {
                    (t..n)
                        .step_by(threads as usize)
                        .map(|i| {
                            let (_, _, sentences) = random_report(&mut rng_for(i, SALT));
                            let f = Fingerprint::of_text(&sentences.concat());
                            (f.signature.to_bytes(), f.band_keys(params))
                        })
                        .collect()
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().expect("fingerprint thread")).collect()
    });
    let mut iters: Vec<_> = parts.into_iter().map(Vec::into_iter).collect();
    (0..n).map(|i| iters[(i % threads) as usize].next().expect("one per report")).collect()
}

async fn run_async(args: Args, schema: &'static str) -> Result<(), Box<dyn std::error::Error>> {
    qingfeng_text::tokens::warm_up();
    if !(args.reuse && args.db.exists()) {
        build(&args, schema).await?;
    }
    // Look-ups on a fresh connection with SQLite's default cache.
    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", args.db.display()))?
        .pragma("mmap_size", (args.mmap_mb * 1024 * 1024).to_string());
    let mut conn = SqliteConnection::connect_with(&options).await?;
    let every = (args.n / args.queries.max(1)).max(1);
    let mut rng = rng_for(u64::MAX, SALT);
    let mut texts: Vec<(Option<u64>, String)> = Vec::new();
    for k in 0..args.queries.min(args.n) {
        let i = k * every;
        let (s, _, sentences) = random_report(&mut rng_for(i, SALT));
        texts.push((Some(i), reword(&mut rng, &s, &sentences, 1.0)));
        let (_, _, unrelated) = random_report(&mut rng_for(args.n + k, SALT));
        texts.push((None, unrelated.concat()));
    }
    let mut stats = Stats::default();
    for (source, text) in &texts {
        let t0 = Instant::now();
        let f = Fingerprint::of_text(text);
        let t1 = Instant::now();
        let offered = lookup(&mut conn, &f.signature, (args.bucket_limit, args.max_candidates), &mut stats).await?;
        let t2 = Instant::now();
        stats.fingerprint.push(t1 - t0);
        stats.total.push(t2 - t0);
        match source {
            Some(i) => {
                stats.copies += 1;
                stats.found += offered.iter().any(|(_, id)| *id == report_id(*i)) as usize;
                stats.first += offered.first().is_some_and(|(_, id)| *id == report_id(*i)) as usize;
                stats.db_copy.push(t2 - t1);
            }
            None => {
                stats.unrelated_offered += offered.len();
                stats.db_unrelated.push(t2 - t1);
            }
        }
    }
    println!(
        "look-ups: buckets over {} skipped, at most {} signatures fetched, mmap {} MB",
        args.bucket_limit, args.max_candidates, args.mmap_mb
    );
    stats.print(args.bucket_limit);
    Ok(())
}

#[derive(Default)]
struct Stats {
    fingerprint: Vec<Duration>,
    db_copy: Vec<Duration>,
    db_unrelated: Vec<Duration>,
    total: Vec<Duration>,
    candidates: Vec<usize>,
    full_buckets: usize,
    keys: usize,
    copies: usize,
    found: usize,
    first: usize,
    unrelated_offered: usize,
}

impl Stats {
    fn print(mut self, bucket_limit: i64) {
        show("fingerprint", std::mem::take(&mut self.fingerprint));
        show("db lookup, re-worded copy", std::mem::take(&mut self.db_copy));
        show("db lookup, unrelated", std::mem::take(&mut self.db_unrelated));
        show("fingerprint + db lookup, all", std::mem::take(&mut self.total));
        self.candidates.sort_unstable();
        let c = &self.candidates;
        println!(
            "candidates per lookup: mean {:.1}, p50 {}, p95 {}, max {}; band keys over {bucket_limit} reports: {} of {}",
            c.iter().sum::<usize>() as f64 / c.len().max(1) as f64,
            c[(c.len() - 1) / 2],
            c[(c.len() - 1) * 95 / 100],
            c[c.len() - 1],
            self.full_buckets,
            self.keys
        );
        println!(
            "recall: original offered for {}/{} re-worded copies ({:.1}%), ranked first {}; offered for unrelated new reports: {} in all",
            self.found,
            self.copies,
            100.0 * self.found as f64 / self.copies.max(1) as f64,
            self.first,
            self.unrelated_offered
        );
    }
}

async fn build(args: &Args, schema: &'static str) -> Result<(), Box<dyn std::error::Error>> {
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", args.db.display()));
    }
    println!("dedup: {} reports into {} ({} layout)", args.n, args.db.display(), args.layout);
    let started = Instant::now();
    let stored = fingerprints(args.n);
    println!("fingerprinted {} reports in {:.1?} (2 threads)", args.n, started.elapsed());

    let options = SqliteConnectOptions::from_str(&format!("sqlite://{}", args.db.display()))?
        .create_if_missing(true)
        .journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Normal)
        .pragma("cache_size", "-1000000"); // 1 GB while building
    let mut conn = SqliteConnection::connect_with(&options).await?;
    sqlx::raw_sql(schema).execute(&mut conn).await?;

    let started = Instant::now();
    for (chunk_no, chunk) in stored.chunks(20_000).enumerate() {
        let base = (chunk_no * 20_000) as u64;
        let mut tx = conn.begin().await?;
        for (part_no, part) in chunk.chunks(400).enumerate() {
            let first = base + (part_no * 400) as u64;
            let mut q = QueryBuilder::<Sqlite>::new("INSERT INTO report_signatures (report_id, signature) ");
            q.push_values(part.iter().enumerate(), |mut b, (k, (sig, _))| {
                b.push_bind(report_id(first + k as u64)).push_bind(sig.as_slice());
            });
            q.build().execute(&mut *tx).await?;
            let rows = part.iter().enumerate().flat_map(|(k, (_, keys))| keys.iter().map(move |key| (k, *key)));
            let rows: Vec<(usize, u64)> = rows.collect();
            for band_part in rows.chunks(1_000) {
                let mut q = QueryBuilder::<Sqlite>::new("INSERT INTO report_bands (band_key, report_id) ");
                q.push_values(band_part, |mut b, (k, key)| {
                    b.push_bind(*key as i64).push_bind(report_id(first + *k as u64));
                });
                q.build().execute(&mut *tx).await?;
            }
        }
        tx.commit().await?;
        if (base + 20_000).is_multiple_of(200_000) {
            eprintln!("  {} stored after {:.0?}", base + 20_000, started.elapsed());
        }
    }
    let build = started.elapsed();
    sqlx::query("PRAGMA wal_checkpoint(TRUNCATE)").execute(&mut conn).await?;
    sqlx::query("ANALYZE").execute(&mut conn).await?;
    conn.close().await?;
    println!(
        "stored {} signatures and {} band rows in {build:.1?} (report order, 20 000 reports a transaction)",
        args.n,
        args.n * LshParams::DEFAULT.bands() as u64
    );
    println!("database file: {}", mib(disk_size(&args.db)));
    Ok(())
}

/// Candidates whose estimated similarity reaches the threshold, best first.
async fn lookup(
    conn: &mut SqliteConnection,
    signature: &Signature,
    (bucket_limit, max_candidates): (i64, usize),
    stats: &mut Stats,
) -> Result<Vec<(f64, Uuid)>, sqlx::Error> {
    let mut candidates: Vec<Uuid> = Vec::new();
    for key in signature.band_keys(LshParams::DEFAULT) {
        let ids: Vec<Uuid> = sqlx::query_scalar("SELECT report_id FROM report_bands WHERE band_key = ? LIMIT ?")
            .bind(key as i64)
            .bind(bucket_limit + 1)
            .fetch_all(&mut *conn)
            .await?;
        stats.keys += 1;
        if ids.len() as i64 > bucket_limit {
            stats.full_buckets += 1;
        } else {
            candidates.extend(ids);
        }
    }
    // Rank by the number of bands shared (itself a similarity estimate)
    // and fetch only the best `max_candidates` signatures.
    candidates.sort_unstable();
    let mut shared: Vec<(usize, Uuid)> = candidates.chunk_by(|a, b| a == b).map(|run| (run.len(), run[0])).collect();
    stats.candidates.push(shared.len());
    shared.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
    shared.truncate(max_candidates);
    let candidates: Vec<Uuid> = shared.into_iter().map(|(_, id)| id).collect();
    // Fixed-size IN lists (padded with the last id) keep one cached statement.
    const CHUNK: usize = 32;
    const SQL: &str = "SELECT report_id, signature FROM report_signatures WHERE report_id IN (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?\
                       )";
    let mut offered = Vec::new();
    for chunk in candidates.chunks(CHUNK) {
        let mut q = sqlx::query_as::<_, (Uuid, Vec<u8>)>(SQL);
        for k in 0..CHUNK {
            q = q.bind(chunk[k.min(chunk.len() - 1)]);
        }
        for (id, bytes) in q.fetch_all(&mut *conn).await? {
            if let Ok(other) = Signature::from_bytes(&bytes) {
                let similarity = signature.estimate_similarity(&other);
                if similarity >= DUPLICATE_THRESHOLD {
                    offered.push((similarity, id));
                }
            }
        }
    }
    offered.sort_by(|a, b| b.0.total_cmp(&a.0));
    Ok(offered)
}
