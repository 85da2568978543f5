//! Smoke test of `qingfeng-search-bench` on 2 000 reports: both benchmarks
//! run to the end and print their figures. No timing is asserted.

use std::process::Command;

fn run(args: &[&str]) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_qingfeng-search-bench")).args(args).output().expect("bench runs");
    let stdout = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(out.status.success(), "{args:?}\n{stdout}\n{}", String::from_utf8_lossy(&out.stderr));
    stdout
}

#[test]
fn full_text_search_benchmark_runs() {
    let dir = tempfile::tempdir().unwrap();
    let index = dir.path().join("fts");
    let out = run(&["fts", "--n", "2000", "--queries", "100", "--dir", index.to_str().unwrap(), "--memory-mb", "60"]);
    assert!(out.contains("2000 documents"), "{out}");
    assert!(out.contains("search, county subtree") && out.contains("index size on disk"), "{out}");
    assert!(out.contains("<b>"), "an example snippet with a highlighted word\n{out}");
}

#[test]
fn duplicate_lookup_benchmark_runs_on_both_layouts() {
    let dir = tempfile::tempdir().unwrap();
    for layout in ["composite", "rowid"] {
        let db = dir.path().join(format!("{layout}.db"));
        let out = run(&["dedup", "--n", "2000", "--queries", "100", "--db", db.to_str().unwrap(), "--layout", layout]);
        let recall = out.lines().find(|l| l.starts_with("recall:")).unwrap_or_else(|| panic!("{out}"));
        let found: usize = recall["recall: original offered for ".len()..].split('/').next().unwrap().parse().unwrap();
        assert!(found >= 90, "re-worded copies are found: {recall}");
    }
}
