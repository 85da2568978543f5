//! Full-text search: N generated reports indexed on disk with
//! `qingfeng_search`, then QUERIES searches of realistic words (units,
//! 购物卡, 公款吃喝, 违规发放津贴补贴, 优亲厚友 …, alone or two together),
//! each within one county's subtree (about 1/12 of the reports), 20 hits
//! with snippets, as the registrar's page asks. The same queries are then
//! run province-wide for comparison.

use std::path::PathBuf;
use std::time::{Duration, Instant};

use jiff::civil::Date;
use qingfeng_domain::org::OrgPath;
use qingfeng_search::{Doc, DocKind, SearchIndex, WriterOptions};
use qingfeng_text::synth::{Rng, places, search_report};

use crate::common::{Tree, disk_size, mib, report_id, rng_for, show};

#[derive(clap::Args)]
pub struct Args {
    /// Reports to index.
    #[arg(long, default_value_t = 1_000_000)]
    n: u64,
    /// Searches to time (each scope).
    #[arg(long, default_value_t = 2_000)]
    queries: usize,
    /// Index folder (emptied first).
    #[arg(long)]
    dir: PathBuf,
    /// Hits per search.
    #[arg(long, default_value_t = 20)]
    limit: usize,
    /// Indexing threads.
    #[arg(long, default_value_t = 2)]
    threads: usize,
    /// Indexing memory, MB.
    #[arg(long, default_value_t = 1_000)]
    memory_mb: usize,
}

/// Words people search for; queries are one of them or two together.
const WORDS: &[&str] = &[
    "购物卡",
    "公款吃喝",
    "违规发放津贴补贴",
    "优亲厚友",
    "好处费",
    "公车",
    "低保",
    "招投标",
    "赌博",
    "干股",
    "套取财政资金",
    "礼金",
    "泄露标底",
    "办公用房",
    "超标准接待",
    "加油卡",
    "红包",
    "挂名领取工资",
    "旅游",
    "虚报工程量",
    "住建局",
    "自然资源局",
    "教育局",
    "卫健委",
    "公安局",
    "财政局",
    "镇政府",
    "村委会",
    "中心小学",
    "局长",
    "村主任",
    "会计",
    "农家乐",
    "私人会所",
    "宏达",
    "棚户区改造工程",
    "高标准农田",
    "扶贫",
    "婚礼",
    "张某某",
];

fn query(rng: &mut Rng) -> String {
    let first = rng.pick(WORDS);
    if rng.chance(0.5) { format!("{first} {}", rng.pick(WORDS)) } else { first.to_string() }
}

pub fn run(args: Args) -> Result<(), Box<dyn std::error::Error>> {
    let _ = std::fs::remove_dir_all(&args.dir);
    println!("fts: {} reports into {}, {} threads, {} MB", args.n, args.dir.display(), args.threads, args.memory_mb);
    let started = Instant::now();
    qingfeng_text::tokens::warm_up();
    let options = WriterOptions { threads: args.threads, memory_bytes: args.memory_mb * 1_000_000 };
    let mut index = SearchIndex::open_or_create_with(&args.dir, options)?;
    let mut tree = Tree::new();
    let (mut chars, mut batch) = (0u64, Vec::with_capacity(10_000));
    let first_day = Date::constant(2024, 1, 1);
    for i in 0..args.n {
        let (s, sentences) = search_report(&mut rng_for(i, 0xF75));
        let text = sentences.concat();
        chars += text.chars().count() as u64;
        batch.push(Doc {
            id: report_id(i),
            kind: if i % 5 == 0 { DocKind::Lead } else { DocKind::Report },
            unit_paths: vec![tree.unit(&s)],
            title: format!("反映{}{}{}{}的问题", s.place, s.unit, s.title, s.name),
            text,
            received_on: first_day.checked_add(jiff::Span::new().days((i % 900) as i64))?,
        });
        if batch.len() == batch.capacity() {
            index.upsert(&batch)?;
            batch.clear();
        }
        if (i + 1).is_multiple_of(200_000) {
            eprintln!("  {} queued after {:.0?}", i + 1, started.elapsed());
        }
    }
    index.upsert(&batch)?;
    let queued = started.elapsed();
    index.commit()?;
    let committed = started.elapsed();
    index.wait_merging()?;
    let merged = started.elapsed();
    println!(
        "indexed {} reports (mean {} chars): queued {queued:.1?}, committed {committed:.1?}, merges done {merged:.1?}",
        args.n,
        chars / args.n.max(1)
    );
    println!("index size on disk: {}", mib(disk_size(&args.dir)));

    let index = SearchIndex::open_or_create(&args.dir)?;
    let segments = index.tantivy().searchable_segment_ids()?.len();
    println!("{} documents in {segments} segments", index.len());

    let counties: Vec<OrgPath> = places().iter().map(|p| tree.county(p).clone()).collect();
    let mut rng = Rng::new(7);
    let queries: Vec<(String, OrgPath)> =
        (0..args.queries).map(|k| (query(&mut rng), counties[k % counties.len()].clone())).collect();
    // Warm-up: the first searches load the term dictionaries.
    for (q, scope) in queries.iter().take(50) {
        index.search(q, std::slice::from_ref(scope), None, args.limit)?;
    }
    for (label, province_wide) in [("county subtree", false), ("whole province", true)] {
        let (mut times, mut hit_counts, mut empty) = (Vec::new(), Vec::new(), 0usize);
        for (q, county) in &queries {
            let scope = if province_wide { &tree.province } else { county };
            let t = Instant::now();
            let hits = index.search(q, std::slice::from_ref(scope), None, args.limit)?;
            times.push(t.elapsed());
            if hits.is_empty() {
                empty += 1;
            }
            hit_counts.push(hits.len());
        }
        show(&format!("search, {label}"), times);
        let full = hit_counts.iter().filter(|&&h| h == args.limit).count();
        println!("  {full} searches filled all {} hits, {empty} found nothing", args.limit);
    }
    let (q, scope) = &queries[0];
    if let Some(hit) = index.search(q, std::slice::from_ref(scope), None, 1)?.first() {
        println!("example: {q:?} → {}", hit.snippet.to_html());
    }
    // Without snippets (the cost of finding alone) for the county scope.
    let times: Vec<Duration> = queries
        .iter()
        .map(|(q, scope)| {
            let t = Instant::now();
            let _ = index.search(q, std::slice::from_ref(scope), None, 1);
            t.elapsed()
        })
        .collect();
    show("search, county, 1 hit", times);
    Ok(())
}
