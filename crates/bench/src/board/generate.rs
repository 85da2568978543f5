//! The generated province of `qingfeng-bench board`: the tree, the
//! campaigns, the batches and the problems, all from one seed.

use jiff::civil::Date;
use qingfeng_domain::org::{OrgKind, OrgPath};
use qingfeng_domain::rectify::{ProblemStatus, RootCause, Source, Warning};
use qingfeng_store::rectify::bulk::{NewBatch, NewCampaign, NewProblem, NewUnit};
use uuid::Uuid;

// ---------------------------------------------------------------- the tree

pub(super) struct Tree {
    pub(super) units: Vec<NewUnit>,
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
    pub(super) fn build(n: usize, rng: &mut Rng) -> Tree {
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

pub(super) fn campaigns(root: Uuid) -> Vec<NewCampaign> {
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

pub(super) struct GenBatch {
    pub(super) batch: NewBatch,
    /// Position of the issuing city in `Tree::by_city`.
    city: usize,
    issued: i64,
    /// Relative size.
    weight: u64,
}

/// Today (UTC), in days since 1970-01-01.
fn today() -> i64 {
    days(jiff::Timestamp::now().to_zoned(jiff::tz::TimeZone::UTC).date())
}

pub(super) fn batches(tree: &Tree, n: usize, rng: &mut Rng) -> Vec<GenBatch> {
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
            let y = i64::from(civil(issued).year());
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
pub(super) struct ProblemPlan {
    batches: Vec<(Uuid, usize, i64)>,
    cumulative: Vec<u64>,
    by_city: Vec<[Vec<Uuid>; 5]>,
    campaigns: Vec<Uuid>,
}

impl ProblemPlan {
    pub(super) fn new(tree: &Tree, batches: &[GenBatch], campaigns: &[NewCampaign]) -> ProblemPlan {
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

    pub(super) fn iter(self, n: usize, mut rng: Rng) -> impl Iterator<Item = NewProblem> {
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
pub(super) struct Rng(pub(super) u64);

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

fn epoch() -> Date {
    jiff::civil::date(1970, 1, 1)
}

/// The civil date `day` days after 1970-01-01.
fn civil(day: i64) -> Date {
    epoch().checked_add(jiff::Span::new().days(day)).expect("a date in jiff's range")
}

/// Days since 1970-01-01 of `d`.
fn days(d: Date) -> i64 {
    i64::from((d - epoch()).get_days())
}

/// `months` after `day` (clamped to the month's end), in days since 1970-01-01.
fn add_months(day: i64, months: i64) -> i64 {
    days(civil(day).checked_add(jiff::Span::new().months(months)).expect("a date in jiff's range"))
}

/// `YYYY-MM-DD` of `day`.
pub(super) fn date(day: i64) -> String {
    civil(day).to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates_round_trip() {
        assert_eq!(days(jiff::civil::date(1970, 1, 1)), 0);
        assert_eq!(date(days(jiff::civil::date(2024, 2, 29))), "2024-02-29");
        assert_eq!(date(add_months(days(jiff::civil::date(2025, 8, 31)), 6)), "2026-02-28");
        for d in [-1000, 0, 19_000, 20_500] {
            assert_eq!(days(civil(d)), d);
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
