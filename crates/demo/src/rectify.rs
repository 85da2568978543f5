//! A realistic rectification round for the demo city: a 巡察 feedback and a
//! 督察 feedback, about sixty problems in every state, with measures,
//! evidence, closures, look-backs, relapses, extensions, a spot check and
//! public ratings.
//!
//! Nothing reads the wall clock. Every step runs with the simulated date it
//! happened on (claims a week after the batch, closures months later), in
//! chronological order, and the weekly warning job runs on every Monday in
//! between, so escalations and the trend chart come out as a real round
//! would leave them on [`DEMO_TODAY`].

mod data;
mod files;
mod patrol;
mod plan;
mod supervision;

use data::{Fate, P};
use jiff::civil::{Date, date};
use plan::{Ev, between, days, working};
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::PageRequest;
use qingfeng_domain::rectify::input::{BatchSpec, FindingSpec, MeasureSpec, ProblemSpec};
use qingfeng_domain::rectify::lifecycle::{Capacities, ProblemAction};
use qingfeng_domain::rectify::schedule::Milestone;
use qingfeng_domain::rectify::tally::Counts;
use qingfeng_domain::rectify::{ProblemStatus, Rating, RectifyRules, Source};
use qingfeng_store::rectify::{Env, EvidenceFile, ProblemFilter};
use qingfeng_store::{Store, StoreError, Who};
use rand::{Rng, SeedableRng};
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use uuid::Uuid;

/// The demo's "today": every figure of the demo is as of this day.
pub const DEMO_TODAY: Date = date(2026, 11, 20);

/// What the rectification module holds on [`DEMO_TODAY`]: the round, and
/// the 谈话 batch listed from a talk of the 组织生活 data.
#[derive(Debug, Clone, Default)]
pub struct RectifySummary {
    pub batches: usize,
    pub problems: usize,
    pub measures: usize,
    pub evidence: usize,
    /// Problems per status, in lifecycle order.
    pub by_status: Vec<(ProblemStatus, i64)>,
    /// The city's board (the whole round).
    pub board: Counts,
    pub spot_checks: usize,
    pub published: usize,
    pub ratings: usize,
}

struct Batch {
    source: Source,
    reference: &'static str,
    issuer: &'static str,
    issued: Date,
    summary: &'static str,
    /// The account that reviews closures on the issuing side.
    reviewer: &'static str,
    problems: &'static [P],
}

const BATCHES: [Batch; 2] = [
    Batch {
        source: Source::Patrol,
        reference: "十三届市委第一轮巡察反馈意见",
        issuer: "patrol",
        issued: date(2026, 3, 16),
        summary: "市委第一巡察组对市生态环境局党组、市公安局党委和丰林县委开展常规巡察，反馈问题35个",
        reviewer: "jijian",
        problems: patrol::PROBLEMS,
    },
    Batch {
        source: Source::Supervision,
        reference: "第三轮省级生态环境保护督察反馈问题",
        issuer: "eco",
        issued: date(2026, 5, 8),
        summary: "省第三生态环境保护督察组反馈意见涉及我市问题，由市生态环境局党组牵头督办整改",
        reviewer: "shuji",
        problems: supervision::PROBLEMS,
    },
];

/// The published problems (by the start of their text) and the fields shown.
const PUBLISHED: &[&str] = &["城关镇污水处理厂", "城区餐饮油烟", "“放管服”改革"];
const PUBLIC_FIELDS: [&str; 5] = ["lead_unit", "deadline", "measures", "progress", "status"];

/// 群众评议: (published problem, day, rating, comment).
const RATINGS: &[(&str, Date, Rating, Option<&str>)] = &[
    ("“放管服”改革", date(2026, 10, 13), Rating::Satisfied, Some("网上就能办，不用再去车管所排队了")),
    ("城关镇污水处理厂", date(2026, 10, 14), Rating::Satisfied, Some("河边的臭味明显少了")),
    ("城区餐饮油烟", date(2026, 10, 19), Rating::Basic, None),
    ("城关镇污水处理厂", date(2026, 10, 21), Rating::Satisfied, None),
    ("“放管服”改革", date(2026, 10, 28), Rating::Satisfied, None),
    ("城关镇污水处理厂", date(2026, 11, 2), Rating::Basic, Some("希望在线监测数据也能向社会公开")),
    ("城区餐饮油烟", date(2026, 11, 9), Rating::Dissatisfied, Some("老城区夜市一带油烟还是很大，晚上不敢开窗")),
];

const SPOT_SCOPE: &str = "chengguan";
const SPOT_DRAWN: Date = date(2026, 10, 27);
const SPOT_VISITED: Date = date(2026, 10, 29);
const SPOT_TITLE: &str = "2026年第四季度城关镇整改销号情况“四不两直”抽查";
const PUBLISH_ON: Date = date(2026, 10, 12);
const SHARED_FILE: &str = "扬尘治理整改情况报告.pdf";

/// The city's 集中整治项目 and the words that file a problem under each.
const CAMPAIGNS: &[(&str, &[&str])] = &[
    ("群众身边不正之风和腐败问题集中整治", &["惠民", "群众", "补贴", "小微权力", "独居老人", "低保", "养老"]),
    ("整治形式主义为基层减负专项工作", &["形式主义", "减负", "流于形式", "督查检查", "留痕", "照搬照抄"]),
];

const UNIT: Capacities = Capacities { lead_unit: true, issuer: false, inspector: false };
const ISSUER: Capacities = Capacities { lead_unit: false, issuer: true, inspector: false };

fn err(what: String) -> StoreError {
    StoreError::Config(format!("demo rectification data: {what}"))
}

type People = HashMap<&'static str, Vec<(Uuid, String)>>;

/// Builds the round on a store that holds the demo tree.
pub async fn build(
    store: &Store,
    units: &HashMap<&'static str, Uuid>,
    people: &People,
    accounts: &HashMap<&'static str, Uuid>,
) -> Result<RectifySummary, StoreError> {
    let cal = Calendar::builtin();
    let rules = RectifyRules::default();
    let unit = |k: &str| units.get(k).copied().ok_or_else(|| err(format!("no unit `{k}`")));
    let person = |k: &str, i: usize| {
        people.get(k).and_then(|l| l.get(i)).map(|p| p.0).ok_or_else(|| err(format!("no person {i} in `{k}`")))
    };
    let account = |name: &'static str| {
        accounts.get(name).map(|id| Who::account(*id, name)).ok_or_else(|| err(format!("no account `{name}`")))
    };
    let lead_who = |u: &str| match u {
        "eco_office" => account("zhibu"),
        u if u == "eco" || u.starts_with("eco_") => account("sthj"),
        u if u == "police" || u.starts_with("police_") => account("gaj"),
        _ => Ok(Who::system("demo")),
    };
    let all: Vec<(usize, &P)> =
        BATCHES.iter().enumerate().flat_map(|(b, batch)| batch.problems.iter().map(move |p| (b, p))).collect();
    let code = |i: usize| {
        let (b, _) = all[i];
        let seq = all[..i].iter().filter(|(x, _)| *x == b).count() + 1;
        format!("{}-{seq}", BATCHES[b].source.label().zh)
    };
    let find = |prefix: &str| {
        all.iter().position(|(_, p)| p.text.starts_with(prefix)).ok_or_else(|| err(format!("no `{prefix}`")))
    };

    let events = plan::events(&cal, &all, &code);

    let r = store.rectify();
    let system = Who::system("demo");
    let mut batch_ids = [Uuid::nil(); 2];
    let mut ids = vec![Uuid::nil(); all.len()];
    let mut owners = vec![0usize; all.len()];
    let mut measures: HashMap<(usize, usize), Uuid> = HashMap::new();
    let mut extensions: HashMap<usize, Uuid> = HashMap::new();
    let mut spot = None;
    let mut rng = ChaCha8Rng::seed_from_u64(SEED_ROUND + 1);
    let mut summary = RectifySummary { batches: BATCHES.len(), problems: all.len(), ..Default::default() };

    // Two city-wide 集中整治 drives; problems are filed under one by what they say.
    let mut campaigns = Vec::new();
    for (name, words) in CAMPAIGNS {
        campaigns.push((r.create_campaign(&system, unit("city")?, name).await?.id, *words));
    }
    let campaign_of =
        |text: &str| campaigns.iter().find(|(_, words)| words.iter().any(|w| text.contains(w))).map(|(id, _)| *id);

    for (today, ev) in events {
        let env = Env { cal: &cal, rules: &rules, today };
        match ev {
            Ev::Batch(b) => {
                let batch = &BATCHES[b];
                let spec = BatchSpec {
                    source: batch.source,
                    reference: batch.reference.into(),
                    issuing_unit_id: unit(batch.issuer)?,
                    issued_on: batch.issued,
                    summary: Some(batch.summary.into()),
                };
                batch_ids[b] = r.create_batch(&system, &spec).await?.id;
            }
            Ev::Create(i) => {
                let (b, p) = all[i];
                let staff = people.get(p.unit).map_or(0, Vec::len);
                owners[i] = 1 + rng.random_range(0..staff.saturating_sub(1).clamp(1, 3));
                let mut supporting = p.supporting.iter().map(|k| unit(k)).collect::<Result<Vec<_>, _>>()?;
                supporting.sort();
                let spec = ProblemSpec {
                    description: p.text.into(),
                    root_cause: p.cause,
                    eight_rules: p.rules.map(str::to_string),
                    campaign_id: campaign_of(p.text),
                    lead_unit_id: unit(p.unit)?,
                    supporting_unit_ids: supporting,
                    leader_id: Some(person(p.leader.0, p.leader.1)?),
                    owner_id: Some(person(p.unit, owners[i])?),
                    deadline: p.deadline,
                    schedule: p.schedule.iter().map(|&(date, percent)| Milestone { date, percent }).collect(),
                };
                ids[i] = r.create_problem(&system, &env, batch_ids[b], &spec).await?.id;
            }
            Ev::Claim(i) => {
                r.act(&lead_who(all[i].1.unit)?, &env, ids[i], ProblemAction::Claim, UNIT, None).await?;
            }
            Ev::Measures(i) => {
                let p = all[i].1;
                let n = p.measures.len() as i64;
                for (m, title) in p.measures.iter().enumerate() {
                    let due = days(today, between(today, p.deadline) * (m as i64 + 1) / n);
                    let due = working(&cal, due, -1).max(today);
                    let staff = people.get(p.unit).map_or(1, Vec::len).max(2);
                    let owner = person(p.unit, 1 + (owners[i] - 1 + m) % (staff - 1))?;
                    let spec = MeasureSpec { title: (*title).into(), owner_id: Some(owner), due_on: due };
                    let made = r.add_measure(&lead_who(p.unit)?, &env, ids[i], None, &spec).await?;
                    measures.insert((i, m), made.id);
                    summary.measures += 1;
                }
            }
            Ev::LaterMeasure(i) => {
                let p = all[i].1;
                let (title, due) = match p.fate {
                    Fate::Relapsed { measure, reclosed, .. } => (measure, reclosed.unwrap_or(date(2027, 1, 29))),
                    Fate::Spot { measure, .. } => (measure, date(2026, 12, 31)),
                    _ => return Err(err(format!("no later measure for {}", code(i)))),
                };
                let spec = MeasureSpec { title: title.into(), owner_id: Some(person(p.unit, owners[i])?), due_on: due };
                let made = r.add_measure(&lead_who(p.unit)?, &env, ids[i], None, &spec).await?;
                measures.insert((i, p.measures.len()), made.id);
                summary.measures += 1;
            }
            Ev::Evidence { p, m, note, file, dated } => {
                let id = *measures.get(&(p, m)).ok_or_else(|| err(format!("no measure {m} of {}", code(p))))?;
                let file = file.as_ref().map(|(name, bytes)| EvidenceFile {
                    name,
                    content_type: if name.ends_with(".png") { "image/png" } else { "application/pdf" },
                    bytes,
                });
                r.add_evidence(&lead_who(all[p].1.unit)?, id, note.as_deref(), file, dated, None).await?;
                summary.evidence += 1;
            }
            Ev::Complete { p, m } => {
                let id = *measures.get(&(p, m)).ok_or_else(|| err(format!("no measure {m} of {}", code(p))))?;
                r.complete_measure(&lead_who(all[p].1.unit)?, &env, id).await?;
            }
            Ev::Request(i) => {
                let comment = Some("整改措施已全部完成，佐证材料齐全，申请销号");
                r.act(&lead_who(all[i].1.unit)?, &env, ids[i], ProblemAction::RequestClosure, UNIT, comment).await?;
            }
            Ev::Return(i) => {
                let Fate::Returned { comment, .. } = all[i].1.fate else {
                    return Err(err(format!("{} returned", code(i))));
                };
                let who = account(BATCHES[all[i].0].reviewer)?;
                r.act(&who, &env, ids[i], ProblemAction::Return, ISSUER, Some(comment)).await?;
            }
            Ev::Close(i) => {
                let who = account(BATCHES[all[i].0].reviewer)?;
                let comment = Some("经审核，整改措施落实到位，佐证材料齐全，同意销号");
                r.act(&who, &env, ids[i], ProblemAction::Close, ISSUER, comment).await?;
            }
            Ev::Confirm(i) => {
                let Fate::Confirmed { comment, .. } = all[i].1.fate else {
                    return Err(err(format!("{} confirmed", code(i))));
                };
                r.confirm_lookback(&account(BATCHES[all[i].0].reviewer)?, &env, ids[i], Some(comment)).await?;
            }
            Ev::Relapse(i) => {
                let Fate::Relapsed { comment, .. } = all[i].1.fate else {
                    return Err(err(format!("{} relapsed", code(i))));
                };
                let who = account(BATCHES[all[i].0].reviewer)?;
                r.act(&who, &env, ids[i], ProblemAction::Relapse, ISSUER, Some(comment)).await?;
            }
            Ev::AskExtension(i) => {
                let (to, reason) = match all[i].1.fate {
                    Fate::ExtensionPending { to, reason, .. } | Fate::ExtensionApproved { to, reason, .. } => {
                        (to, reason)
                    }
                    _ => return Err(err(format!("{} extension", code(i)))),
                };
                let x = r.request_extension(&lead_who(all[i].1.unit)?, ids[i], to, reason).await?;
                extensions.insert(i, x.id);
            }
            Ev::DecideExtension(i) => {
                let x = *extensions.get(&i).ok_or_else(|| err(format!("{} extension", code(i))))?;
                let who = account(BATCHES[all[i].0].reviewer)?;
                let comment = Some("同意延期，请倒排工期、挂图作战，按新时限完成整改");
                r.decide_extension(&who, &env, x, true, comment).await?;
            }
            Ev::SpotDraw => {
                let scope = store.orgs().get(unit(SPOT_SCOPE)?).await?;
                let filter =
                    ProblemFilter { within: Some(scope.path), status: Some("closed".into()), ..Default::default() };
                let closed = r.list(&[OrgPath::global()], &filter, PageRequest::default()).await?.total;
                let size = u32::try_from(closed).unwrap_or(0);
                spot = Some(r.draw_spot_check(&account("ducha")?, scope.id, SPOT_TITLE, size, 20261027).await?.id);
                summary.spot_checks += 1;
            }
            Ev::SpotVisit => {
                let check = spot.ok_or_else(|| err("no spot check drawn".into()))?;
                for item in r.spot_check(check).await?.1 {
                    let i =
                        ids.iter().position(|id| *id == item.problem_id).ok_or_else(|| err("unknown sample".into()))?;
                    let (pass, finding) = match all[i].1.fate {
                        Fate::Spot { pass, finding, .. } => (pass, finding),
                        _ => (true, "现场查看整改资料和实际情况，整改属实"),
                    };
                    let f = FindingSpec { pass, findings: Some(finding.to_string()), checked_on: env.today };
                    r.record_finding(&account("ducha")?, &env, check, item.problem_id, &f).await?;
                }
            }
            Ev::Publish => {
                let fields: Vec<String> = PUBLIC_FIELDS.iter().map(|f| f.to_string()).collect();
                for prefix in PUBLISHED {
                    let i = find(prefix)?;
                    r.publish(&account(BATCHES[all[i].0].reviewer)?, ids[i], &fields).await?;
                    summary.published += 1;
                }
            }
            Ev::Rate(k) => {
                let (prefix, _, rating, comment) = RATINGS[k];
                let receipt =
                    qingfeng_domain::rectify::evidence::digests(format!("安澜市演示评议凭证-{k}").as_bytes()).0;
                r.rate(ids[find(prefix)?], rating, comment, &receipt).await?;
                summary.ratings += 1;
            }
            Ev::Job => {
                r.recompute_warnings(&Who::system("warnings"), &env).await?;
            }
        }
    }

    recount(store, unit("city")?, &mut summary).await?;
    Ok(summary)
}

/// Reads the city's board into the summary (again after other modules, such
/// as 谈话, have listed problems of their own).
pub(crate) async fn recount(store: &Store, city: Uuid, summary: &mut RectifySummary) -> Result<(), StoreError> {
    let board = store.rectify().board(city).await?.total;
    summary.by_status = vec![
        (ProblemStatus::Unclaimed, board.unclaimed),
        (ProblemStatus::InProgress, board.in_progress),
        (ProblemStatus::ClosureRequested, board.requested),
        (ProblemStatus::Closed, board.closed),
    ];
    summary.board = board;
    Ok(())
}

/// The seed of the round's own draws (owners, days, which evidence has a file).
const SEED_ROUND: u64 = crate::SEED + 1;

#[cfg(test)]
mod tests {
    use super::*;
    use qingfeng_domain::rectify::eight_rules::Taxonomy;
    use qingfeng_domain::rectify::schedule::validate_schedule;
    use std::collections::HashSet;

    /// The dates a fate names, in the order they must come.
    fn dates(f: &Fate) -> Vec<Date> {
        match *f {
            Fate::OnTrack | Fate::Behind | Fate::Overdue => vec![],
            Fate::Unclaimed(d) | Fate::Requested(d) | Fate::Closed(d) => vec![d],
            Fate::Returned { requested, returned, .. } => vec![requested, returned],
            Fate::Confirmed { closed, on, .. } => vec![closed, on],
            Fate::Relapsed { closed, on, reclosed, .. } => {
                [Some(closed), Some(on), reclosed].into_iter().flatten().collect()
            }
            Fate::Spot { closed, .. } => vec![closed, SPOT_DRAWN],
            Fate::ExtensionPending { on, .. } => vec![on],
            Fate::ExtensionApproved { on, decided, .. } => vec![on, decided],
        }
    }

    #[test]
    fn the_problems_are_distinct_and_their_dates_and_codes_valid() {
        let taxonomy = Taxonomy::builtin();
        let (mut texts, mut titles) = (HashSet::new(), HashSet::new());
        for b in &BATCHES {
            for p in b.problems {
                let what = p.text;
                assert!(texts.insert(what), "repeated problem: {what}");
                for m in p.measures {
                    assert!(titles.insert(*m), "repeated measure: {m}");
                }
                assert_eq!(p.measures.is_empty(), matches!(p.fate, Fate::Unclaimed(_)), "{what}");
                assert!((date(2026, 6, 30)..=date(2027, 3, 31)).contains(&p.deadline), "{what}");
                if let Some(code) = p.rules {
                    assert!(taxonomy.row(b.issued, code).is_some(), "八项规定 {code}");
                }
                let ms: Vec<Milestone> =
                    p.schedule.iter().map(|&(date, percent)| Milestone { date, percent }).collect();
                assert!(validate_schedule(&ms, p.deadline).is_ok(), "{what}");
                let ds = dates(&p.fate);
                assert!(ds.windows(2).all(|w| w[0] < w[1]), "{what}: dates out of order");
                assert!(ds.iter().all(|d| *d > b.issued && *d <= DEMO_TODAY), "{what}: dates outside the round");
                if let Fate::ExtensionPending { to, .. } | Fate::ExtensionApproved { to, .. } = p.fate {
                    assert!(to > p.deadline, "{what}");
                }
                // The spot check draws every closed problem of its scope: only the two meant for it.
                let in_scope = ["chengguan", "chengguan_office", "dongjie", "liuwan"].contains(&p.unit);
                if in_scope && !matches!(p.fate, Fate::Spot { .. }) {
                    assert!(ds.first().is_none_or(|d| *d > SPOT_DRAWN), "{what} would be a spot-check candidate");
                }
            }
        }
        for prefix in PUBLISHED.iter().chain(RATINGS.iter().map(|r| &r.0)) {
            assert_eq!(texts.iter().filter(|t| t.starts_with(prefix)).count(), 1, "{prefix}");
        }
    }

    #[test]
    fn the_plan_is_chronological_and_the_same_every_time() {
        let cal = Calendar::builtin();
        let all: Vec<(usize, &P)> =
            BATCHES.iter().enumerate().flat_map(|(b, batch)| batch.problems.iter().map(move |p| (b, p))).collect();
        let code = |i: usize| format!("#{i}");
        let once = plan::events(&cal, &all, &code);
        assert!(once.windows(2).all(|w| w[0].0 <= w[1].0));
        assert!(once.iter().all(|(d, _)| *d >= BATCHES[0].issued && *d <= DEMO_TODAY));
        assert_eq!(format!("{once:?}"), format!("{:?}", plan::events(&cal, &all, &code)));
    }
}
