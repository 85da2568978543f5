//! In-memory near-duplicate lookup benchmark (the storage-independent part
//! of the 重复件 benchmark; the database-backed one comes with the store).
//!
//! `cargo run --release -p qingfeng-text --example dedup_bench -- [N] [QUERIES]`
//!
//! Generates N synthetic 信访 reports (default 100 000), fingerprints them,
//! builds a band index `HashMap<band key, Vec<report id>>`, then looks up
//! QUERIES (default 2 000) re-worded copies of stored reports: candidates
//! from the band index, re-ranked by exact weighted Jaccard, kept at or
//! above `DUPLICATE_THRESHOLD`. Prints fingerprinting cost, lookup p50/p95/
//! p99, candidate counts and recall.

#[path = "../src/synth.rs"]
mod synth;

use std::collections::HashMap;
use std::time::{Duration, Instant};

use qingfeng_text::fingerprint::{DUPLICATE_THRESHOLD, Fingerprint, LshParams, jaccard_features};
use qingfeng_text::tokens::warm_up;

use synth::{FACTS, Rng, Subject, random_report, report_sentences, reword};

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

fn show(name: &str, mut d: Vec<Duration>) {
    d.sort();
    let mean = d.iter().sum::<Duration>() / d.len() as u32;
    println!(
        "{name:28} mean {:>9.1?}  p50 {:>9.1?}  p95 {:>9.1?}  p99 {:>9.1?}  max {:>9.1?}",
        mean,
        percentile(&d, 0.5),
        percentile(&d, 0.95),
        percentile(&d, 0.99),
        d[d.len() - 1]
    );
}

/// A report of about 500 characters: all facts of one subject until long enough.
fn long_report(rng: &mut Rng) -> String {
    let (s, _, _) = random_report(rng);
    let mut facts = Vec::new();
    for k in 0..FACTS {
        facts.push(k);
        let text = report_sentences(rng, &s, &facts).concat();
        if text.chars().count() >= 500 {
            return text;
        }
    }
    report_sentences(rng, &s, &facts).concat()
}

fn main() {
    let mut args = std::env::args().skip(1);
    let n: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(100_000);
    let queries: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(2_000).min(n);
    let params = LshParams::DEFAULT;
    println!("{n} reports, {queries} queries, {} bands x {} rows", params.bands(), params.rows());

    let started = Instant::now();
    warm_up();
    println!("jieba dictionary built in {:?}", started.elapsed());

    // One ~500-character report, fingerprinted many times.
    let mut rng = Rng::new(1);
    let text = long_report(&mut rng);
    let times: Vec<Duration> = (0..2_000)
        .map(|_| {
            let t = Instant::now();
            std::hint::black_box(Fingerprint::of_text(std::hint::black_box(&text)));
            t.elapsed()
        })
        .collect();
    show(&format!("fingerprint {} chars", text.chars().count()), times);

    // The stored reports.
    let mut rng = Rng::new(42);
    let every = n / queries.max(1);
    let mut sources: Vec<(u32, Subject, Vec<String>)> = Vec::with_capacity(queries);
    let mut features: Vec<Vec<u64>> = Vec::with_capacity(n);
    let mut index: HashMap<u64, Vec<u32>> = HashMap::with_capacity(n * params.bands());
    let mut chars = 0usize;
    let started = Instant::now();
    for id in 0..n as u32 {
        let (s, _, sentences) = random_report(&mut rng);
        let text = sentences.concat();
        chars += text.chars().count();
        let f = Fingerprint::of_text(&text);
        for key in f.band_keys(params) {
            index.entry(key).or_default().push(id);
        }
        features.push(f.features);
        if every > 0 && (id as usize).is_multiple_of(every) && sources.len() < queries {
            sources.push((id, s, sentences));
        }
    }
    let build = started.elapsed();
    let postings: usize = index.values().map(Vec::len).sum();
    let largest = index.values().map(Vec::len).max().unwrap_or(0);
    println!(
        "stored {n} reports (mean {} chars) in {build:?} ({:?} each); {} band keys, {postings} postings, largest bucket {largest}",
        chars / n.max(1),
        build / n.max(1) as u32,
        index.len()
    );

    // Lookups of re-worded copies.
    let (mut fp_times, mut lookup_times, mut total_times) = (Vec::new(), Vec::new(), Vec::new());
    let (mut candidate_counts, mut offered_counts) = (Vec::new(), Vec::new());
    let (mut found, mut top) = (0usize, 0usize);
    let mut seen: Vec<u32> = Vec::new();
    for (id, s, sentences) in &sources {
        let text = reword(&mut rng, s, sentences, 1.0);
        let t0 = Instant::now();
        let f = Fingerprint::of_text(&text);
        let t1 = Instant::now();
        seen.clear();
        for key in f.band_keys(params) {
            if let Some(ids) = index.get(&key) {
                seen.extend_from_slice(ids);
            }
        }
        seen.sort_unstable();
        seen.dedup();
        let mut offered: Vec<(f64, u32)> = seen
            .iter()
            .map(|&c| (jaccard_features(&f.features, &features[c as usize]), c))
            .filter(|(sim, _)| *sim >= DUPLICATE_THRESHOLD)
            .collect();
        offered.sort_by(|a, b| b.0.total_cmp(&a.0));
        let t2 = Instant::now();
        fp_times.push(t1 - t0);
        lookup_times.push(t2 - t1);
        total_times.push(t2 - t0);
        candidate_counts.push(seen.len());
        offered_counts.push(offered.len());
        if offered.iter().any(|(_, c)| c == id) {
            found += 1;
        }
        if offered.first().is_some_and(|(_, c)| c == id) {
            top += 1;
        }
    }
    let q = sources.len().max(1);
    show("fingerprint query", fp_times);
    show("band lookup + re-rank", lookup_times);
    show("fingerprint + lookup", total_times);
    candidate_counts.sort_unstable();
    offered_counts.sort_unstable();
    println!(
        "candidates per query: mean {:.1}, p95 {}, max {}; offered (≥ {DUPLICATE_THRESHOLD}): mean {:.2}, p95 {}",
        candidate_counts.iter().sum::<usize>() as f64 / q as f64,
        candidate_counts[(candidate_counts.len() - 1) * 95 / 100],
        candidate_counts[candidate_counts.len() - 1],
        offered_counts.iter().sum::<usize>() as f64 / q as f64,
        offered_counts[(offered_counts.len() - 1) * 95 / 100],
    );
    println!(
        "recall: the re-worded report's original offered in {found}/{q} ({:.1}%), ranked first in {top}/{q}",
        100.0 * found as f64 / q as f64
    );
}
