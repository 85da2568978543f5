//! `qingfeng-bench board`: the 挂图作战 board on a province-sized tree, on SQLite.
//!
//! Generates `--units` org units shaped like a province (省委 → cities →
//! counties → townships and departments → 党总支/党支部 → 党支部/党小组) and
//! `--problems` problems in `--batches` batches issued by the cities, loads
//! them in bulk (`qingfeng_store::rectify::bulk`, which also rebuilds the
//! board tallies), then opens the store as the server does and measures
//! `board(root)`, `board(county)` (the county with the most problems) and
//! the first page of the problem list, from 1 and 4 concurrent clients:
//!   cargo run --release -p qingfeng-bench -- board --units 200000 --problems 2000000 --seconds 10
//! The database lives in a temporary directory unless `--keep PATH` is
//! given; an existing database at PATH is measured without regenerating.

use clap::Args;
use hdrhistogram::Histogram;
use qingfeng_domain::page::PageRequest;
use qingfeng_store::rectify::bulk;
use qingfeng_store::rectify::{ProblemFilter, ProblemSort};
use qingfeng_store::{Settings, Store};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use uuid::Uuid;

mod generate;

use generate::{ProblemPlan, Rng, Tree, batches, campaigns};

#[derive(Args)]
pub struct BoardArgs {
    /// Org units to generate.
    #[arg(long, default_value_t = 200_000)]
    units: usize,
    /// Problems to generate.
    #[arg(long, default_value_t = 2_000_000)]
    problems: usize,
    /// Problem batches (issued by the cities).
    #[arg(long, default_value_t = 300)]
    batches: usize,
    /// Seconds per measured workload.
    #[arg(long, default_value_t = 10)]
    seconds: u64,
    /// Concurrent client counts to measure, comma-separated.
    #[arg(long, value_delimiter = ',', default_value = "1,4")]
    clients: Vec<usize>,
    /// Keep the database at this path (measure it as is if it exists).
    #[arg(long)]
    keep: Option<PathBuf>,
    /// Seed of the generator.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Recount the tallies from the rows after the load and compare
    /// (always on for 100 000 problems or fewer).
    #[arg(long)]
    verify: bool,
    /// Also time the store's own `rebuild_tallies()` once after the load.
    #[arg(long)]
    store_rebuild: bool,
    /// Skip the problem-list workloads.
    #[arg(long)]
    no_list: bool,
}

pub async fn run(args: BoardArgs) {
    let (db, _tmp) = match &args.keep {
        Some(p) => (p.clone(), None),
        None => {
            let dir = tempfile::Builder::new().prefix("qingfeng-bench-board-").tempdir().expect("temp dir");
            (dir.path().join("board.db"), Some(dir))
        }
    };
    let url = format!("sqlite://{}", db.display());
    let existed = db.exists();
    let store = Store::open(&url, Settings::default()).await.expect("open the database");
    println!("database: {}{}", db.display(), if args.keep.is_none() { " (temporary)" } else { "" });

    let roots = store.orgs().children(None, true).await.expect("roots");
    if existed && !roots.is_empty() {
        println!("existing database: measuring it without generating");
    } else {
        generate(&store, &args).await;
    }
    store.close().await;
    println!("database size: {}", size_label(db_size(&db)));

    // Opened again as the server opens it: the pool's settings, fresh caches.
    let store = Store::open(&url, Settings::default()).await.expect("reopen the database");
    let roots = store.orgs().children(None, true).await.expect("roots");
    let root = roots.first().expect("a root unit").unit.clone();
    let (county, county_units) = pick_county(&store, root.id).await;
    let r = store.rectify();
    let rb = r.board(root.id).await.expect("board");
    let cb = r.board(county.id).await.expect("board");
    println!(
        "root `{}`: {} problems ({} closed, {} red, {} yellow), {} children on the board",
        root.name,
        rb.total.total,
        rb.total.closed,
        rb.total.red,
        rb.total.yellow,
        rb.children.len()
    );
    println!(
        "county `{}`: {} units in its subtree, {} problems, {} children on the board",
        county.name,
        county_units,
        cb.total.total,
        cb.children.len()
    );

    let dur = Duration::from_secs(args.seconds.max(1));
    let mut results = Vec::new();
    for &clients in &args.clients {
        let (s, id) = (store.clone(), root.id);
        results.push(
            measure(format!("board(root)  × {clients}"), clients, dur, 0, move || {
                let s = s.clone();
                async move { s.rectify().board(id).await.map(|_| ()) }
            })
            .await,
        );
        let (s, id) = (store.clone(), county.id);
        results.push(
            measure(format!("board(county) × {clients}"), clients, dur, 0, move || {
                let s = s.clone();
                async move { s.rectify().board(id).await.map(|_| ()) }
            })
            .await,
        );
    }
    if !args.no_list {
        let city = match county.parent_id {
            Some(id) => store.orgs().get(id).await.expect("the county's city"),
            None => county.clone(),
        };
        let by_deadline = ProblemFilter { sort: ProblemSort::Deadline, ..ProblemFilter::default() };
        let workloads = [
            ("root", root.path.clone(), ProblemFilter::default()),
            ("root, by deadline", root.path.clone(), by_deadline),
            ("city", city.path.clone(), ProblemFilter::default()),
            ("county", county.path.clone(), ProblemFilter::default()),
        ];
        for (label, scope, filter) in workloads {
            let s = store.clone();
            results.push(
                measure(format!("list({label}) p.1"), 1, dur, 3, move || {
                    let (s, scope, filter) = (s.clone(), scope.clone(), filter.clone());
                    async move { s.rectify().list(&[scope], &filter, PageRequest::default()).await.map(|_| ()) }
                })
                .await,
            );
        }
    }

    println!();
    println!(
        "SQLite · {} s per workload · machine: {} cores",
        args.seconds,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0)
    );
    println!(
        "{:<26} {:>9} {:>9} {:>9} {:>9} {:>9} {:>9} {:>7}",
        "workload", "req/s", "p50 ms", "p95 ms", "p99 ms", "max ms", "requests", "errors"
    );
    for r in &results {
        println!(
            "{:<26} {:>9.1} {:>9.2} {:>9.2} {:>9.2} {:>9.2} {:>9} {:>7}",
            r.name,
            r.requests as f64 / r.seconds,
            r.ms(0.5),
            r.ms(0.95),
            r.ms(0.99),
            r.hist.max() as f64 / 1000.0,
            r.requests,
            r.errors
        );
    }
    let slow: Vec<&Stats> = results.iter().filter(|r| r.name.starts_with("board") && r.ms(0.95) >= 50.0).collect();
    println!();
    if slow.is_empty() {
        println!("board p95 < 50 ms: yes");
    } else {
        println!("board p95 < 50 ms: NO ({})", slow.iter().map(|r| r.name.as_str()).collect::<Vec<_>>().join(", "));
    }
    store.close().await;
}

async fn generate(store: &Store, args: &BoardArgs) {
    let mut rng = Rng(args.seed);
    let t = Instant::now();
    let mut tree = Tree::build(args.units, &mut rng);
    let tree_time = t.elapsed();
    let per_level: Vec<String> =
        (1..=6).map(|d| tree.units.iter().filter(|u| u.path.depth() == d).count().to_string()).collect();
    println!("tree: {} units, per level {}", tree.units.len(), per_level.join(" / "));
    let campaigns = campaigns(tree.units[0].id);
    let batches = batches(&tree, args.batches.max(1), &mut rng);
    let plan = ProblemPlan::new(&tree, &batches, &campaigns);
    let units = std::mem::take(&mut tree.units);
    let problems = plan.iter(args.problems, rng);
    let loaded = bulk::load(store, units, campaigns.clone(), batches.iter().map(|b| b.batch.clone()), problems)
        .await
        .expect("bulk load");
    println!(
        "generated and loaded: {} units in {:.1} s (tree in memory {:.2} s); {} campaigns, {} batches and {} problems in {:.1} s \
         ({:.0} problems/s); {} tally rows rebuilt in {:.1} s; total {:.1} s",
        loaded.units,
        loaded.units_time.as_secs_f64() + tree_time.as_secs_f64(),
        tree_time.as_secs_f64(),
        loaded.campaigns,
        loaded.batches,
        loaded.problems,
        loaded.problems_time.as_secs_f64(),
        loaded.problems as f64 / loaded.problems_time.as_secs_f64(),
        loaded.tallies,
        loaded.tallies_time.as_secs_f64(),
        tree_time.as_secs_f64()
            + loaded.units_time.as_secs_f64()
            + loaded.problems_time.as_secs_f64()
            + loaded.tallies_time.as_secs_f64()
    );
    if args.store_rebuild {
        let t = Instant::now();
        let n = store.rectify().rebuild_tallies().await.expect("rebuild_tallies");
        println!("store's rebuild_tallies(): {n} rows in {:.1} s", t.elapsed().as_secs_f64());
    }
    if args.verify || args.problems <= 100_000 {
        let t = Instant::now();
        let diff = store.rectify().recount().await.expect("recount");
        assert!(diff.is_empty(), "tallies differ from a recount: {:?}", &diff[..diff.len().min(5)]);
        println!("recount: tallies agree with the rows ({:.1} s)", t.elapsed().as_secs_f64());
    }
}

/// The county-level node (depth 3) with the most problems, and its unit count.
async fn pick_county(store: &Store, root: Uuid) -> (qingfeng_store::org::OrgUnit, i64) {
    let mut best: Option<(i64, qingfeng_store::org::OrgUnit)> = None;
    for city in store.orgs().children(Some(root), true).await.expect("cities") {
        for county in store.orgs().children(Some(city.unit.id), true).await.expect("counties") {
            let total = store.rectify().board(county.unit.id).await.expect("board").total.total;
            if best.as_ref().is_none_or(|(t, _)| total > *t) {
                best = Some((total, county.unit));
            }
        }
    }
    let county = best.expect("a county-level unit").1;
    let units = store.orgs().counts(&county.path).await.expect("counts").units;
    (county, units)
}

// ---------------------------------------------------------------- measuring

struct Stats {
    name: String,
    requests: u64,
    errors: u64,
    seconds: f64,
    hist: Histogram<u64>,
}

impl Stats {
    fn ms(&self, q: f64) -> f64 {
        self.hist.value_at_quantile(q) as f64 / 1000.0
    }
}

/// Calls `f` from `clients` tasks for `dur` (and at least `min` times in
/// all), after a short warm-up.
async fn measure<F, Fut>(name: String, clients: usize, dur: Duration, min: u64, f: F) -> Stats
where
    F: Fn() -> Fut + Clone + Send + Sync + 'static,
    Fut: Future<Output = qingfeng_store::Result<()>> + Send,
{
    eprintln!("measuring {name} …");
    // Warm-up: one call of a slow workload, three of a fast one.
    for _ in 0..if min > 0 { 1 } else { 3 } {
        let _ = f().await;
    }
    let start = Instant::now();
    let until = start + dur;
    let per_client = min.div_ceil(clients.max(1) as u64);
    let mut tasks = Vec::new();
    for _ in 0..clients.max(1) {
        let f = f.clone();
        tasks.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new_with_bounds(1, 600_000_000, 3).expect("histogram");
            let (mut ok, mut err) = (0u64, 0u64);
            while Instant::now() < until || ok + err < per_client {
                let t = Instant::now();
                match f().await {
                    Ok(()) => ok += 1,
                    Err(e) => {
                        if err == 0 {
                            eprintln!("error: {e}");
                        }
                        err += 1
                    }
                }
                let _ = hist.record(t.elapsed().as_micros().max(1) as u64);
            }
            (hist, ok, err)
        }));
    }
    let mut hist = Histogram::<u64>::new_with_bounds(1, 600_000_000, 3).expect("histogram");
    let (mut requests, mut errors) = (0, 0);
    for t in tasks {
        let (h, ok, err) = t.await.expect("client");
        hist.add(h).expect("merge");
        requests += ok;
        errors += err;
    }
    Stats { name, requests, errors, seconds: start.elapsed().as_secs_f64(), hist }
}

fn db_size(db: &Path) -> u64 {
    ["", "-wal", "-shm"]
        .iter()
        .filter_map(|s| std::fs::metadata(format!("{}{s}", db.display())).ok())
        .map(|m| m.len())
        .sum()
}

fn size_label(n: u64) -> String {
    format!("{:.0} MiB ({n} bytes)", n as f64 / 1_048_576.0)
}
