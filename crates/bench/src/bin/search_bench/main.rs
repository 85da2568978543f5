//! `qingfeng-search-bench`: the 信访举报 benchmarks of issue 4 on generated
//! reports (`qingfeng_text::synth`), run in release mode:
//!
//! ```sh
//! # full-text search: N reports indexed on disk, QUERIES searches in a county's subtree
//! cargo run --release -p qingfeng-bench --bin qingfeng-search-bench -- fts --n 1000000 --dir /tmp/qf-fts
//! # duplicate lookup: N reports' signatures and band keys in SQLite, QUERIES new reports
//! cargo run --release -p qingfeng-bench --bin qingfeng-search-bench -- dedup --n 1000000 --db /tmp/qf-dedup.db
//! ```
//!
//! Both print what they measured (p50/p95/p99, sizes, build times); the
//! smoke test (`tests/search_bench.rs`) runs them on 2 000 reports.

mod common;
mod dedup;
mod fts;

use clap::{Parser, Subcommand};

#[derive(Parser)]
struct Cli {
    #[command(subcommand)]
    mode: Mode,
}

#[derive(Subcommand)]
enum Mode {
    /// Full-text search over an on-disk tantivy index.
    Fts(fts::Args),
    /// Near-duplicate lookup through band keys in SQLite (or PostgreSQL).
    Dedup(dedup::Args),
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    match Cli::parse().mode {
        Mode::Fts(args) => fts::run(args),
        Mode::Dedup(args) => dedup::run(args),
    }
}
