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
use qingfeng_domain::org::{OrgKind, OrgPath};
use qingfeng_domain::page::PageRequest;
use qingfeng_domain::rectify::{ProblemStatus, RootCause, Source, Warning};
use qingfeng_store::rectify::ProblemFilter;
use qingfeng_store::rectify::bulk::{self, NewBatch, NewCampaign, NewProblem, NewUnit};
use qingfeng_store::{Settings, Store};
use std::future::Future;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use uuid::Uuid;

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
            let dir = TempDir::new();
            (dir.0.join("board.db"), Some(dir))
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
        for (label, scope) in [("root", root.path.clone()), ("county", county.path.clone())] {
            let s = store.clone();
            results.push(
                measure(format!("list({label}) page 1 × 1"), 1, dur, 3, move || {
                    let (s, scope) = (s.clone(), scope.clone());
                    async move {
                        s.rectify().list(&[scope], &ProblemFilter::default(), PageRequest::default()).await.map(|_| ())
                    }
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

// ---------------------------------------------------------------- the tree

struct Tree {
    units: Vec<NewUnit>,
    /// Per city: unit indices by depth 2..=6 (the city itself first).
    by_city: Vec<[Vec<u32>; 5]>,
}

const CITIES: [&str; 16] = [
    "东阳", "西岭", "南湖", "北川", "清河", "临江", "望海", "青山", "白水", "金沙", "龙泉", "石门", "安平", "永宁",
    "新安", "长乐",
];
const PLACES: [&str; 20] = [
    "河口", "桥头", "柳林", "杏花", "枫桥", "松溪", "梅岭", "竹园", "石桥", "新塘", "大坪", "黄田", "沙洲", "三江",
    "凤凰", "白马", "双龙", "云台", "太平", "和平",
];
const DEPARTMENTS: [&str; 16] = [
    "教育局",
    "卫生健康局",
    "财政局",
    "民政局",
    "自然资源局",
    "住房和城乡建设局",
    "交通运输局",
    "农业农村局",
    "市场监督管理局",
    "人力资源和社会保障局",
    "公安局",
    "司法局",
    "水利局",
    "商务局",
    "文化旅游广电局",
    "应急管理局",
];

impl Tree {
    /// Exactly `n` units, depth 5–6 for large `n`: cities, counties and
    /// townships/departments first, the rest split between branches
    /// (depth 5) and their branches/cells (depth 6), about 1 : 4.
    fn build(n: usize, rng: &mut Rng) -> Tree {
        let n = n.max(1);
        let (mut a, mut b, mut c) = (16usize, 8usize, 15usize);
        while 1 + a + a * b + a * b * c > n / 8 {
            if c > 3 {
                c -= 1;
            } else if b > 2 {
                b -= 1;
            } else if a > 1 {
                a -= 1;
            } else {
                break;
            }
        }
        let mut t = Builder::new(n);
        let mut level4 = Vec::new();
        'top: for i in 0..a {
            if t.len() >= n {
                break;
            }
            let city_name = CITIES.get(i).map_or_else(|| format!("第{}", i + 1), |s| s.to_string());
            let city = t.add(0, OrgKind::PartyCommittee, format!("{city_name}市委"));
            for j in 0..b {
                if t.len() >= n {
                    break 'top;
                }
                let county_name = format!("{}{}", city_name, PLACES[(i * 7 + j) % PLACES.len()]);
                let county = t.add(city, OrgKind::PartyCommittee, format!("{county_name}县委"));
                // Townships and departments: c on average, from c/2 to 3c/2.
                let m = c / 2 + rng.below(c as u64 + 1) as usize;
                for k in 0..m {
                    if t.len() >= n {
                        break 'top;
                    }
                    let (kind, name) = match rng.below(10) {
                        0..=5 => (OrgKind::PartyCommittee, format!("{}镇党委", PLACES[(k + j) % PLACES.len()])),
                        6..=8 => {
                            (OrgKind::PartyGroup, format!("{county_name}县{}党组", DEPARTMENTS[k % DEPARTMENTS.len()]))
                        }
                        _ => (OrgKind::OrganCommittee, format!("{county_name}县直机关工委")),
                    };
                    level4.push(t.add(county, kind, name));
                }
            }
        }
        // Depth 5 under random depth-4 units, then depth 6 under random depth-5 ones.
        let rest = n - t.len();
        let n5 = if level4.is_empty() { 0 } else { rest.div_ceil(5) };
        let mut level5 = Vec::with_capacity(n5);
        for _ in 0..n5 {
            let parent = level4[rng.below(level4.len() as u64) as usize];
            let nth = t.kids[parent] + 1;
            let (kind, name) = if rng.below(4) == 0 {
                (OrgKind::GeneralBranch, format!("第{nth}党总支"))
            } else {
                (OrgKind::Branch, format!("第{nth}党支部"))
            };
            level5.push(t.add(parent, kind, name));
        }
        while t.len() < n {
            if level5.is_empty() {
                // A tiny tree: more cities under the root.
                let nth = t.kids[0] + 1;
                t.add(0, OrgKind::PartyCommittee, format!("第{nth}市委"));
                continue;
            }
            let parent = level5[rng.below(level5.len() as u64) as usize];
            let nth = t.kids[parent] + 1;
            let (kind, name) = match t.tree.units[parent].kind {
                OrgKind::GeneralBranch => (OrgKind::Branch, format!("第{nth}党支部")),
                _ => (OrgKind::Cell, format!("第{nth}党小组")),
            };
            t.add(parent, kind, name);
        }
        let mut tree = t.tree;
        if tree.by_city.is_empty() {
            // No city at all: the root stands in for one.
            tree.by_city.push([vec![0], vec![], vec![], vec![], vec![]]);
        }
        tree
    }
}

/// A tree being built: the units so far, children per unit, and the
/// position of each unit's city in `Tree::by_city`.
struct Builder {
    tree: Tree,
    kids: Vec<u32>,
    city_of: Vec<usize>,
}

impl Builder {
    /// Just the root, 省委.
    fn new(capacity: usize) -> Builder {
        let root = Uuid::now_v7();
        let mut units = Vec::with_capacity(capacity);
        units.push(NewUnit {
            id: root,
            parent_id: None,
            kind: OrgKind::PartyCommittee,
            name: "省委".into(),
            short_name: None,
            path: OrgPath::top(root),
            sort_order: 0,
        });
        Builder { tree: Tree { units, by_city: Vec::new() }, kids: vec![0], city_of: vec![0] }
    }

    fn len(&self) -> usize {
        self.tree.units.len()
    }

    /// Adds a unit as the last child of `parent`; returns its index.
    fn add(&mut self, parent: usize, kind: OrgKind, name: String) -> usize {
        let t = &mut self.tree;
        let id = Uuid::now_v7();
        let path = t.units[parent].path.child(id);
        let depth = path.depth();
        let city = if depth == 2 {
            t.by_city.push(Default::default());
            t.by_city.len() - 1
        } else {
            self.city_of[parent]
        };
        let index = t.units.len();
        if let Some(levels) = t.by_city.get_mut(city) {
            levels[depth.min(6) - 2].push(index as u32);
        }
        let parent_id = t.units[parent].id;
        let sort_order = i64::from(self.kids[parent]);
        self.kids[parent] += 1;
        t.units.push(NewUnit { id, parent_id: Some(parent_id), kind, name, short_name: None, path, sort_order });
        self.city_of.push(city);
        self.kids.push(0);
        index
    }
}

// ---------------------------------------------------------------- batches and problems

fn campaigns(root: Uuid) -> Vec<NewCampaign> {
    [
        "群众身边不正之风和腐败问题集中整治",
        "违规吃喝问题专项整治",
        "整治形式主义为基层减负",
        "违规收送礼品礼金专项整治",
        "乡村振兴领域不正之风专项整治",
        "医药领域腐败问题集中整治",
    ]
    .into_iter()
    .map(|name| NewCampaign { id: Uuid::now_v7(), org_unit_id: root, name: name.into() })
    .collect()
}

struct GenBatch {
    batch: NewBatch,
    /// Position of the issuing city in `Tree::by_city`.
    city: usize,
    issued: i64,
    /// Relative size.
    weight: u64,
}

/// Today (UTC), in days since 1970-01-01.
fn today() -> i64 {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    (secs / 86_400) as i64
}

fn batches(tree: &Tree, n: usize, rng: &mut Rng) -> Vec<GenBatch> {
    // 巡视 10, 巡察 30, 审计 15, 督察 10, 信访 10, 自查 15, 媒体 3, 舆情 4, 谈话 3.
    let sources: [(Source, u64); 9] = [
        (Source::InspectionTour, 10),
        (Source::Patrol, 30),
        (Source::Audit, 15),
        (Source::Supervision, 10),
        (Source::Petition, 10),
        (Source::SelfCheck, 15),
        (Source::Media, 3),
        (Source::OnlineOpinion, 4),
        (Source::Talk, 3),
    ];
    // Issued over the last three years, the last one six weeks ago.
    let (from, to) = (today() - 1_000, today() - 45);
    (0..n)
        .map(|i| {
            let city = i % tree.by_city.len().max(1);
            let unit = tree.by_city.get(city).map_or(0, |l| l[0][0] as usize);
            let source = *pick(&sources, rng);
            let issued = from + rng.below((to - from) as u64) as i64;
            let (y, _, _) = civil_from_days(issued);
            let city_name = tree.units[unit].name.trim_end_matches("市委").to_string();
            GenBatch {
                batch: NewBatch {
                    id: Uuid::now_v7(),
                    source,
                    reference: format!("{city_name}{}反馈〔{y}〕{}号", source.label().zh, i + 1),
                    issuing_unit_id: tree.units[unit].id,
                    issued_on: date(issued),
                    summary: rng.chance(30).then(|| format!("{}发现问题整改清单", source.label().zh)),
                },
                city,
                issued,
                weight: 1 + rng.below(5),
            }
        })
        .collect()
}

const DESCRIPTIONS: [&str; 16] = [
    "落实全面从严治党主体责任不够到位",
    "“三重一大”事项集体决策制度执行不严格",
    "公务接待超标准、超范围",
    "公务用车管理使用不规范",
    "项目资金拨付不及时、使用不规范",
    "政府采购程序不规范",
    "基层党组织“三会一课”制度落实不到位",
    "干部选拔任用程序不规范",
    "违规发放津贴补贴",
    "惠民惠农资金监管不严",
    "群众反映强烈的问题解决不及时",
    "以会议落实会议、以文件落实文件",
    "巡察整改“回头看”不扎实",
    "专项债券资金闲置",
    "国有资产出租出借管理不规范",
    "党风廉政建设责任制考核流于形式",
];

/// What a problem draws from: batches by weight, lead units by level.
struct ProblemPlan {
    batches: Vec<(Uuid, usize, i64)>,
    cumulative: Vec<u64>,
    by_city: Vec<[Vec<Uuid>; 5]>,
    campaigns: Vec<Uuid>,
}

impl ProblemPlan {
    fn new(tree: &Tree, batches: &[GenBatch], campaigns: &[NewCampaign]) -> ProblemPlan {
        let mut sum = 0;
        let cumulative = batches
            .iter()
            .map(|b| {
                sum += b.weight;
                sum
            })
            .collect();
        ProblemPlan {
            batches: batches.iter().map(|b| (b.batch.id, b.city, b.issued)).collect(),
            cumulative,
            by_city: tree
                .by_city
                .iter()
                .map(|levels| levels.clone().map(|l| l.into_iter().map(|i| tree.units[i as usize].id).collect()))
                .collect(),
            campaigns: campaigns.iter().map(|c| c.id).collect(),
        }
    }

    fn iter(self, n: usize, mut rng: Rng) -> impl Iterator<Item = NewProblem> {
        let mut seqs = vec![0i64; self.batches.len()];
        let today = today();
        // Lead units: city 0.5 %, county 4.5 %, township/department 25 %, depth 5 40 %, depth 6 30 %.
        let levels: [(usize, u64); 5] = [(0, 5), (1, 45), (2, 250), (3, 400), (4, 300)];
        let causes: [(RootCause, u64); 4] = [
            (RootCause::Mindset, 25),
            (RootCause::Capability, 20),
            (RootCause::Institution, 25),
            (RootCause::Responsibility, 30),
        ];
        (0..n).map(move |_| {
            let total = *self.cumulative.last().unwrap_or(&1);
            let r = rng.below(total);
            let b = self.cumulative.partition_point(|&c| c <= r);
            let (batch_id, city, issued) = self.batches[b];
            seqs[b] += 1;
            let lists = &self.by_city[city];
            let level = *pick(&levels, &mut rng);
            let list = (level..5).chain((0..level).rev()).map(|l| &lists[l]).find(|l| !l.is_empty()).expect("units");
            let lead = list[rng.below(list.len() as u64) as usize];

            let age = (today - issued).max(0);
            let deadline = issued + 60 + rng.below(306) as i64;
            let closed_pct = 10 + (75 * age.min(720) / 720) as u64;
            let status = if rng.below(100) < closed_pct {
                ProblemStatus::Closed
            } else {
                match rng.below(100) {
                    0..=14 => ProblemStatus::Unclaimed,
                    15..=29 => ProblemStatus::ClosureRequested,
                    _ => ProblemStatus::InProgress,
                }
            };
            let (mut requested_on, mut closed_on, mut lookback_due) = (None, None, None);
            let (warning, reason, progress) = match status {
                ProblemStatus::Closed => {
                    let latest = today.min(deadline + 60).max(issued + 21);
                    let closed = issued + 20 + rng.below((latest - issued - 20) as u64) as i64;
                    requested_on = Some(date((closed - rng.below(15) as i64).max(issued + 1)));
                    closed_on = Some(date(closed));
                    lookback_due = Some(date(add_months(closed, 6)));
                    (Warning::Done, "已销号".to_string(), 100)
                }
                ProblemStatus::ClosureRequested => {
                    let req = (issued + 15 + rng.below((today - issued).max(16) as u64 - 15) as i64).min(today);
                    requested_on = Some(date(req));
                    if req > deadline {
                        (Warning::Red, format!("已超过整改时限{}个工作日", (req - deadline) * 5 / 7), 100)
                    } else {
                        (Warning::Green, "已在时限内申请销号，待审核".to_string(), 100)
                    }
                }
                _ => {
                    let progress = if status == ProblemStatus::Unclaimed { 0 } else { 10 * rng.below(10) as i64 };
                    if today > deadline {
                        (Warning::Red, format!("已超过整改时限{}个工作日", (today - deadline) * 5 / 7), progress)
                    } else if deadline - today <= 7 {
                        (Warning::Yellow, format!("距整改时限仅剩{}个工作日", (deadline - today) * 5 / 7), progress)
                    } else if rng.chance(20) {
                        (
                            Warning::Yellow,
                            format!("序时进度应达{}%，实际{progress}%", (progress + 20).min(100)),
                            progress,
                        )
                    } else {
                        (Warning::Green, "按序时进度推进".to_string(), progress)
                    }
                }
            };
            let relapsed = status != ProblemStatus::Unclaimed && rng.chance(2);
            let paper = status == ProblemStatus::InProgress && rng.chance(3);
            NewProblem {
                id: Uuid::now_v7(),
                batch_id,
                seq: seqs[b],
                description: DESCRIPTIONS[rng.below(DESCRIPTIONS.len() as u64) as usize].to_string(),
                root_cause: *pick(&causes, &mut rng),
                eight_rules: None,
                campaign_id: (rng.chance(30) && !self.campaigns.is_empty())
                    .then(|| self.campaigns[rng.below(self.campaigns.len() as u64) as usize]),
                lead_unit_id: lead,
                leader_id: None,
                owner_id: None,
                deadline: date(deadline),
                status,
                warning,
                warning_reason: reason,
                progress,
                relapsed,
                paper,
                requested_on,
                closed_on,
                lookback_due,
            }
        })
    }
}

// ---------------------------------------------------------------- small helpers

/// SplitMix64: reproducible, no dependency.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `0..n` (0 for n = 0).
    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { ((u128::from(self.next()) * u128::from(n)) >> 64) as u64 }
    }
    /// True with `pct` percent probability.
    fn chance(&mut self, pct: u64) -> bool {
        self.below(100) < pct
    }
}

fn pick<'a, T>(weighted: &'a [(T, u64)], rng: &mut Rng) -> &'a T {
    let total: u64 = weighted.iter().map(|w| w.1).sum();
    let mut r = rng.below(total);
    for (v, w) in weighted {
        if r < *w {
            return v;
        }
        r -= w;
    }
    &weighted[weighted.len() - 1].0
}

/// Days since 1970-01-01 of a civil date (proleptic Gregorian).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let doy = (153 * (m + if m > 2 { -3 } else { 9 }) + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    (yoe + era * 400 + i64::from(m <= 2), m, d)
}

fn add_months(day: i64, months: i64) -> i64 {
    let (y, m, d) = civil_from_days(day);
    let idx = y * 12 + (m - 1) + months;
    let (y, m) = (idx.div_euclid(12), idx.rem_euclid(12) + 1);
    let last =
        days_from_civil(if m == 12 { y + 1 } else { y }, if m == 12 { 1 } else { m + 1 }, 1) - days_from_civil(y, m, 1);
    days_from_civil(y, m, d.min(last))
}

fn date(day: i64) -> String {
    let (y, m, d) = civil_from_days(day);
    format!("{y:04}-{m:02}-{d:02}")
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

/// A directory under the system temp dir, removed on drop.
struct TempDir(PathBuf);

impl TempDir {
    fn new() -> TempDir {
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_nanos()).unwrap_or(0);
        let dir = std::env::temp_dir().join(format!("qingfeng-bench-board-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&dir).expect("temp dir");
        TempDir(dir)
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(days_from_civil(1970, 1, 1), 0);
        assert_eq!(date(days_from_civil(2024, 2, 29)), "2024-02-29");
        assert_eq!(date(add_months(days_from_civil(2025, 8, 31), 6)), "2026-02-28");
        for d in [-1000, 0, 19_000, 20_500] {
            let (y, m, dd) = civil_from_days(d);
            assert_eq!(days_from_civil(y, m, dd), d);
        }
    }

    #[test]
    fn trees_have_the_asked_size_valid_kinds_and_paths() {
        for n in [1, 50, 2_000, 20_000] {
            let t = Tree::build(n, &mut Rng(7));
            assert_eq!(t.units.len(), n);
            let index: std::collections::HashMap<Uuid, &NewUnit> = t.units.iter().map(|u| (u.id, u)).collect();
            for u in &t.units {
                match u.parent_id {
                    None => assert_eq!(u.path, OrgPath::top(u.id)),
                    Some(p) => {
                        let parent = index[&p];
                        assert_eq!(u.path, parent.path.child(u.id));
                        assert!(parent.kind.allows_child(u.kind), "{:?} under {:?}", u.kind, parent.kind);
                    }
                }
            }
            if n >= 2_000 {
                assert!(t.units.iter().map(|u| u.path.depth()).max() == Some(6));
            }
        }
    }
}
