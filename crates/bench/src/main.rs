//! `qingfeng-bench`: requests per second and p50/p99 latency of the real
//! server (demo city loaded) over loopback, for
//!   (a) `GET /healthz`,
//!   (b) an authenticated read of an org subtree (`GET /api/v1/orgs/{city}/subtree`),
//!   (c) an authenticated write (`POST /api/v1/people`, one transaction with its audit event),
//! and the ratio of (c) to (a). Run it in release mode:
//!   cargo run --release -p qingfeng-bench -- --seconds 10 --concurrency 8
//! Client and server share the machine; compare ratios from one run, not
//! absolute figures across machines.
//!
//! `qingfeng-bench board …` measures the rectification board on a
//! generated province instead (see [`board`]):
//!   cargo run --release -p qingfeng-bench -- board --units 200000 --problems 2000000

mod board;

use clap::{Parser, Subcommand};
use hdrhistogram::Histogram;
use qingfeng_store::{Engine, Who};
use qingfeng_test_support::TestApp;
use qingfeng_web::WebConfig;
use reqwest::{Client, Method};
use serde_json::json;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

#[derive(Parser)]
#[command(args_conflicts_with_subcommands = true)]
struct Cli {
    #[command(subcommand)]
    mode: Option<Mode>,
    #[command(flatten)]
    http: Args,
}

#[derive(Subcommand)]
enum Mode {
    /// The HTTP workloads (the default when no mode is named).
    Http(Args),
    /// The rectification board on a generated province, on SQLite.
    Board(board::BoardArgs),
}

#[derive(clap::Args)]
struct Args {
    /// Seconds per workload.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// Concurrent clients.
    #[arg(long, default_value_t = 8)]
    concurrency: usize,
    /// `sqlite` or `postgres` (needs QINGFENG_TEST_PG_URL).
    #[arg(long, default_value = "sqlite")]
    engine: String,
}

struct Result {
    name: &'static str,
    requests: u64,
    errors: u64,
    seconds: f64,
    hist: Histogram<u64>,
}

impl Result {
    fn rps(&self) -> f64 {
        self.requests as f64 / self.seconds
    }
    fn ms(&self, q: f64) -> f64 {
        self.hist.value_at_quantile(q) as f64 / 1000.0
    }
}

async fn run(
    name: &'static str,
    client: Client,
    args: &Args,
    make: Arc<dyn Fn(u64) -> reqwest::RequestBuilder + Send + Sync>,
) -> Result {
    let counter = Arc::new(AtomicU64::new(0));
    // Warm-up.
    for i in 0..20 {
        let _ = make(u64::MAX - i).send().await;
    }
    let start = Instant::now();
    let until = start + Duration::from_secs(args.seconds);
    let mut tasks = Vec::new();
    for _ in 0..args.concurrency {
        let make = make.clone();
        let counter = counter.clone();
        let _ = &client;
        tasks.push(tokio::spawn(async move {
            let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
            let (mut ok, mut err) = (0u64, 0u64);
            while Instant::now() < until {
                let n = counter.fetch_add(1, Ordering::Relaxed);
                let t = Instant::now();
                match make(n).send().await {
                    Ok(r) if r.status().is_success() => {
                        let _ = r.bytes().await;
                        ok += 1;
                    }
                    _ => err += 1,
                }
                let _ = hist.record(t.elapsed().as_micros().max(1) as u64);
            }
            (hist, ok, err)
        }));
    }
    let mut hist = Histogram::<u64>::new_with_bounds(1, 60_000_000, 3).expect("histogram");
    let (mut requests, mut errors) = (0, 0);
    for t in tasks {
        let (h, ok, err) = t.await.expect("worker");
        hist.add(h).expect("merge");
        requests += ok;
        errors += err;
    }
    Result { name, requests, errors, seconds: start.elapsed().as_secs_f64(), hist }
}

#[tokio::main]
async fn main() {
    let cli = Cli::parse();
    match cli.mode {
        Some(Mode::Board(args)) => board::run(args).await,
        Some(Mode::Http(args)) => http(args).await,
        None => http(cli.http).await,
    }
}

async fn http(args: Args) {
    let engine = if args.engine == "postgres" { Engine::Postgres } else { Engine::Sqlite };
    eprintln!("starting the server on {} with the demo city …", engine.name());
    let app = TestApp::spawn_on(engine, WebConfig::default()).await;
    let demo = qingfeng_demo::build(&app.db.store).await.expect("demo");
    let city = demo.unit_ids["city"];
    let branch = demo.unit_ids["eco_office"];
    // A system administrator who has set a password (no forced change) and an API token.
    let admin = app.db.store.accounts().find_by_username("xitong").await.unwrap().unwrap();
    let hash = qingfeng_domain::auth::hash_password("Bench-Pass-2026");
    app.db.store.accounts().set_password(&Who::system("bench"), admin.id, &hash, false, None).await.unwrap();
    let token = app.token(admin.id).await;

    let client = Client::builder().pool_max_idle_per_host(args.concurrency * 2).build().unwrap();
    let base = app.base.clone();
    let (c1, b1) = (client.clone(), base.clone());
    let healthz: Arc<dyn Fn(u64) -> reqwest::RequestBuilder + Send + Sync> =
        Arc::new(move |_| c1.get(format!("{b1}/healthz")));
    let (c2, b2, t2) = (client.clone(), base.clone(), token.clone());
    let subtree: Arc<dyn Fn(u64) -> reqwest::RequestBuilder + Send + Sync> =
        Arc::new(move |_| c2.get(format!("{b2}/api/v1/orgs/{city}/subtree")).bearer_auth(&t2));
    let (c3, b3, t3) = (client.clone(), base.clone(), token.clone());
    let write: Arc<dyn Fn(u64) -> reqwest::RequestBuilder + Send + Sync> = Arc::new(move |n| {
        c3.request(Method::POST, format!("{b3}/api/v1/people"))
            .bearer_auth(&t3)
            .json(&json!({"org_unit_id": branch, "name": format!("压测人员{n}"), "position": "科员", "is_party_member": true}))
    });

    let a = run("(a) GET /healthz", client.clone(), &args, healthz).await;
    let b = run("(b) GET subtree (44 units, token)", client.clone(), &args, subtree).await;
    let c = run("(c) POST person (write + audit)", client.clone(), &args, write).await;

    println!();
    println!(
        "engine {} · {} clients · {} s per workload · machine: {} cores",
        engine.name(),
        args.concurrency,
        args.seconds,
        std::thread::available_parallelism().map(|n| n.get()).unwrap_or(0)
    );
    println!("{:<36} {:>10} {:>9} {:>9} {:>9} {:>7}", "workload", "req/s", "p50 ms", "p99 ms", "requests", "errors");
    for r in [&a, &b, &c] {
        println!(
            "{:<36} {:>10.0} {:>9.2} {:>9.2} {:>9} {:>7}",
            r.name,
            r.rps(),
            r.ms(0.5),
            r.ms(0.99),
            r.requests,
            r.errors
        );
    }
    println!();
    println!("ratio (c)/(a) throughput: {:.3}   (b)/(a): {:.3}", c.rps() / a.rps(), b.rps() / a.rps());
    let verify = app.db.store.audit().verify().await.expect("verify");
    println!(
        "audit chain after the run: {}",
        match verify {
            Ok(r) => format!("ok {} events", r.events),
            Err(b) => format!("BROKEN: {b}"),
        }
    );
}
