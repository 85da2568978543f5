//! What both benchmarks share: report number → deterministic report, the
//! generated organisation tree, latency summaries.

use std::collections::HashMap;
use std::time::Duration;

use qingfeng_domain::org::OrgPath;
use qingfeng_text::synth::{Rng, Subject};
use uuid::Uuid;
use xxhash_rust::xxh3::xxh3_128;

/// The generator for report number `i`: every report can be made again,
/// on any thread, without generating the ones before it.
pub fn rng_for(i: u64, salt: u64) -> Rng {
    Rng::new(i.wrapping_mul(0x9E37_79B9_7F4A_7C15) ^ salt)
}

/// A time-ordered (UUIDv7-like) id for report `i`.
pub fn report_id(i: u64) -> Uuid {
    const START_MS: u128 = 1_767_225_600_000; // 2026-01-01
    let ms = START_MS + u128::from(i) * 30_000; // one report every 30 s
    Uuid::from_u128(ms << 80 | 0x7000 << 64 | 0x8000_0000_0000_0000 | u128::from(i))
}

/// 省 → county (the report's place) → unit, with stable ids.
pub struct Tree {
    pub province: OrgPath,
    counties: HashMap<String, OrgPath>,
    units: HashMap<(String, String), OrgPath>,
}

fn stable_id(name: &str) -> Uuid {
    Uuid::from_u128(xxh3_128(name.as_bytes()))
}

impl Tree {
    pub fn new() -> Tree {
        let province = OrgPath::top(stable_id("省"));
        let counties =
            qingfeng_text::synth::places().iter().map(|p| (p.to_string(), province.child(stable_id(p)))).collect();
        Tree { province, counties, units: HashMap::new() }
    }

    pub fn county(&self, place: &str) -> &OrgPath {
        &self.counties[place]
    }

    pub fn unit(&mut self, s: &Subject) -> OrgPath {
        let county = self.counties[&s.place].clone();
        self.units
            .entry((s.place.clone(), s.unit.clone()))
            .or_insert_with(|| county.child(stable_id(&format!("{}/{}", s.place, s.unit))))
            .clone()
    }
}

pub fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted[((sorted.len() - 1) as f64 * p).round() as usize]
}

/// One line: mean, p50, p95, p99, max.
pub fn show(name: &str, mut d: Vec<Duration>) {
    if d.is_empty() {
        println!("{name:30} (none)");
        return;
    }
    d.sort();
    let mean = d.iter().sum::<Duration>() / d.len() as u32;
    println!(
        "{name:30} n {:>5}  mean {:>9.2?}  p50 {:>9.2?}  p95 {:>9.2?}  p99 {:>9.2?}  max {:>9.2?}",
        d.len(),
        mean,
        percentile(&d, 0.5),
        percentile(&d, 0.95),
        percentile(&d, 0.99),
        d[d.len() - 1]
    );
}

/// Bytes in the files under `path` (a file or a folder).
pub fn disk_size(path: &std::path::Path) -> u64 {
    let Ok(meta) = std::fs::metadata(path) else { return 0 };
    if meta.is_file() {
        return meta.len();
    }
    std::fs::read_dir(path).map(|entries| entries.flatten().map(|e| disk_size(&e.path())).sum()).unwrap_or(0)
}

pub fn mib(bytes: u64) -> String {
    format!("{:.1} MiB", bytes as f64 / (1024.0 * 1024.0))
}
