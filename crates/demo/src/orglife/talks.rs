//! The talks of 2026: 谈心谈话 in every branch (most members, not all), two
//! 谈话提醒 by 纪检委员, the 市纪委's collective 廉政谈话 with newly promoted
//! cadres, and the 市生态环境局党组书记's collective 政治谈话 whose points
//! became a 谈话 问题清单 that the bureau claimed.

use super::roster::{Branch, TRANSFER};
use super::topics::{self, Style};
use super::{Ctx, OrgLifeSummary, err};
use crate::DEMO_TODAY;
use jiff::civil::{Date, date};
use qingfeng_domain::orglife::input::TalkInput;
use qingfeng_domain::orglife::{CommitteeRole, MemberStatus, TalkKind};
use qingfeng_domain::rectify::RootCause;
use qingfeng_domain::rectify::input::MeasureSpec;
use qingfeng_domain::rectify::lifecycle::{Capacities, ProblemAction};
use qingfeng_store::orglife::{Member, TalkToProblems};
use qingfeng_store::{StoreError, Who};
use rand::Rng;
use rand::seq::{IndexedRandom, SliceRandom};
use uuid::Uuid;

/// A talk to record on its day.
struct Planned {
    unit: Uuid,
    who: Who,
    input: TalkInput,
}

fn talk(kind: TalkKind, on: Date, place: &str, subject: &str, talkers: Vec<Uuid>, talkees: Vec<Uuid>) -> TalkInput {
    TalkInput {
        kind: kind.as_str().into(),
        held_on: on.to_string(),
        place: place.into(),
        subject: subject.into(),
        talkers,
        talkees,
        points: String::new(),
        commitments: String::new(),
    }
}

fn day_between(ctx: &Ctx<'_>, rng: &mut impl Rng, from: Date, to: Date) -> Date {
    let span = from.until(to).map(|s| i64::from(s.get_days())).unwrap_or(0).max(0);
    let d = from.saturating_add(jiff::Span::new().days(rng.random_range(0..=span)));
    ctx.workday(d).min(DEMO_TODAY)
}

const COMMITMENTS: &[&str] = &[
    "表示将加强理论学习，立足岗位发挥先锋模范作用。",
    "表示将认真对照党章党规查找不足，在组织生活会上深入开展自我批评。",
    "表示接受组织提醒，今后主动向支部汇报思想和工作情况。",
];

/// Members left without a 谈心谈话 this year: the office branch of the demo
/// `zhibu` account has two to do before its 组织生活会; one branch has none.
fn missing(b: &Branch, rng: &mut impl Rng) -> usize {
    match b.key {
        "eco_office" => 2,
        "eco_air" => 0,
        _ if b.style == Style::Village => rng.random_range(1..=3),
        _ => usize::from(rng.random_bool(0.45)),
    }
}

fn heart_to_heart(
    ctx: &Ctx<'_>,
    b: &Branch,
    roster: &[Member],
    rng: &mut impl Rng,
) -> Result<Vec<(Date, TalkInput)>, StoreError> {
    let place = if b.style == Style::Village { "村党群服务中心" } else { "支部书记办公室" };
    let seats: Vec<&Member> = roster.iter().filter(|m| m.committee_role.is_some()).collect();
    let secretary = seats
        .iter()
        .find(|m| m.committee_role() == Some(CommitteeRole::Secretary))
        .map(|m| m.person_id)
        .ok_or_else(|| err(format!("no secretary on `{}`", b.key)))?;
    let mut out = Vec::new();
    // 支委之间 in spring.
    for s in seats.iter().filter(|m| m.person_id != secretary) {
        let on = day_between(ctx, rng, date(2026, 3, 2), date(2026, 4, 30));
        let subject = topics::heart_to_heart(b.style, true, false);
        out.push((on, talk(TalkKind::HeartToHeart, on, place, subject, vec![secretary], vec![s.person_id])));
    }
    let ordinary: Vec<&Member> = roster.iter().filter(|m| m.committee_role.is_none()).collect();
    let mut order: Vec<usize> = (0..ordinary.len()).collect();
    order.shuffle(rng);
    let skip: Vec<usize> = order.into_iter().take(missing(b, rng).min(ordinary.len().saturating_sub(1))).collect();
    let leaders: Vec<Uuid> = b.cells.iter().map(|c| c.leader).collect();
    for (i, m) in ordinary.iter().enumerate() {
        if skip.contains(&i) {
            continue;
        }
        let talker = match b.cells.iter().find(|c| Some(c.id) == m.cell_id) {
            Some(c) if c.leader != m.person_id => c.leader,
            _ => seats.get(i % seats.len().max(1)).map_or(secretary, |s| s.person_id),
        };
        let entered: Date = m.entered_on.parse().map_err(|_| err("entered_on".into()))?;
        let after = entered.saturating_add(jiff::Span::new().days(10));
        let late = rng.random_bool(0.55) || after > date(2026, 9, 30);
        let (from, to) =
            if late { (date(2026, 10, 9), date(2026, 11, 19)) } else { (date(2026, 3, 2), date(2026, 9, 30)) };
        let on = day_between(ctx, rng, from.max(after), to);
        let subject = if m.status() == MemberStatus::Probationary {
            "预备党员教育考察谈心谈话"
        } else if entered == TRANSFER.2 {
            "新转入党员谈心谈话：了解思想和工作情况"
        } else if leaders.contains(&talker) {
            "党小组内谈心谈话：交流思想和工作情况"
        } else {
            topics::heart_to_heart(b.style, false, late)
        };
        let mut t = talk(TalkKind::HeartToHeart, on, place, subject, vec![talker], vec![m.person_id]);
        if rng.random_bool(0.3) {
            t.points = topics::heart_points(b.style).choose(rng).copied().unwrap_or_default().into();
        }
        if rng.random_bool(0.5) {
            t.commitments = COMMITMENTS.choose(rng).copied().unwrap_or_default().into();
        }
        out.push((on, t));
    }
    Ok(out)
}

/// 谈话提醒 by a branch's 纪检委员: (branch, day, subject, points, commitments).
const REMINDERS: &[(&str, Date, &str, &str, &str)] = &[
    (
        "eco_law",
        date(2026, 7, 14),
        "执法检查中执法记录仪使用不规范谈话提醒",
        "6月对辖区涉气企业的执法检查中，有2次未按规定全程开启执法记录仪\n现场检查笔录存在漏项，执法文书填写不规范",
        "认识到问题的严重性，今后严格执行执法全过程记录制度，主动接受监督。",
    ),
    (
        "chengguan_office",
        date(2026, 9, 8),
        "工作日多次脱岗谈话提醒",
        "8月以来有3次工作日下午无故脱岗，未履行请假手续",
        "表示接受组织提醒，严格遵守考勤和请销假制度。",
    ),
];

const INTEGRITY_SUBJECT: &str = "新提拔任用干部任前集体廉政谈话";
const INTEGRITY_POINTS: &str = "坚定理想信念，严守政治纪律和政治规矩\n\
严格落实中央八项规定及其实施细则精神，坚决反对“四风”，特别是隐形变异的享乐主义、奢靡之风\n\
正确行使权力，严格执行重大事项请示报告和个人有关事项报告制度\n\
注重家庭家教家风，管好配偶子女和身边工作人员";
/// The newly promoted cadres (unit, index).
const PROMOTED: &[(&str, usize)] =
    &[("eco", 3), ("police", 4), ("chengguan", 1), ("hekou", 2), ("qingshan", 4), ("shuanghe", 3)];

const POLITICAL_ON: Date = date(2026, 10, 29);
const POLITICAL_SUBJECT: &str = "落实全面从严治党主体责任集体政治谈话";
/// A measure: title, due, and its owner (unit, index).
type Measure = (&'static str, Date, (&'static str, usize));
/// The points raised, each with the bureau's measures.
const POLITICAL: &[(&str, &[Measure])] = &[
    (
        "落实全面从严治党主体责任压力传导不够，对基层党支部指导督促不经常，个别支部“三会一课”未按期召开",
        &[
            ("制定党组落实全面从严治党主体责任清单，逐级签订责任书", date(2026, 12, 31), ("eco_organ", 1)),
            ("建立机关党委对各支部“三会一课”季度检查通报制度", date(2027, 1, 29), ("eco_organ", 1)),
        ],
    ),
    (
        "班子成员落实“一岗双责”不到位，对分管领域廉政风险排查不深入，执法领域廉政风险防控措施落实不严",
        &[
            ("班子成员每半年听取分管科室党风廉政建设情况汇报", date(2027, 1, 29), ("eco", 1)),
            ("开展执法领域廉政风险点排查，修订完善防控措施", date(2027, 3, 15), ("eco_organ", 2)),
        ],
    ),
    (
        "巡察、督察反馈问题整改推进不平衡，个别问题整改存在“重销号、轻长效”倾向",
        &[("对巡察、督察反馈问题整改情况开展“回头看”，建立长效机制清单", date(2027, 2, 26), ("eco_organ", 2))],
    ),
    (
        "谈心谈话开展不经常，对党员干部思想动态掌握不及时",
        &[("制定班子成员和支部书记年度谈心谈话计划，确保年内全覆盖", date(2026, 12, 18), ("eco_organ", 1))],
    ),
];
const POLITICAL_COMMITMENTS: &str =
    "班子成员和各支部书记表示，将对照谈话指出的问题逐条认领、建立台账，2027年一季度前整改到位。";
const LISTED_ON: Date = date(2026, 11, 3);
const CLAIMED_ON: Date = date(2026, 11, 5);

pub async fn build(
    ctx: &Ctx<'_>,
    branches: &[Branch],
    rng: &mut impl Rng,
    summary: &mut OrgLifeSummary,
) -> Result<(), StoreError> {
    let o = ctx.store.orglife();
    let mut planned: Vec<(Date, Planned)> = Vec::new();
    for b in branches {
        let roster = o.roster(b.id, DEMO_TODAY).await?;
        for (on, input) in heart_to_heart(ctx, b, &roster, rng)? {
            planned.push((on, Planned { unit: b.id, who: ctx.recorder(b.key)?, input }));
        }
        if let Some(&(_, on, subject, points, commitments)) = REMINDERS.iter().find(|r| r.0 == b.key) {
            let discipline = roster.iter().find(|m| m.committee_role() == Some(CommitteeRole::Discipline));
            let talker = discipline.map(|m| m.person_id).ok_or_else(|| err(format!("no 纪检委员 on `{}`", b.key)))?;
            let talkee = roster
                .iter()
                .filter(|m| m.committee_role.is_none() && !b.cells.iter().any(|c| c.leader == m.person_id))
                .nth(1)
                .ok_or_else(|| err(format!("no one to remind on `{}`", b.key)))?;
            let mut t = talk(TalkKind::Reminder, on, "支部书记办公室", subject, vec![talker], vec![talkee.person_id]);
            t.points = points.into();
            t.commitments = commitments.into();
            planned.push((on, Planned { unit: b.id, who: ctx.recorder(b.key)?, input: t }));
        }
    }
    summary.heart_to_heart = planned.iter().filter(|(_, p)| p.input.kind == TalkKind::HeartToHeart.as_str()).count();

    let on = date(2026, 4, 23);
    let promoted = PROMOTED.iter().map(|&(k, i)| ctx.person(k, i)).collect::<Result<Vec<_>, _>>()?;
    let talkers = vec![ctx.person("ccdi", 0)?, ctx.person("ccdi", 1)?];
    let mut t = talk(TalkKind::Integrity, on, "市纪委监委三楼会议室", INTEGRITY_SUBJECT, talkers, promoted);
    t.points = INTEGRITY_POINTS.into();
    t.commitments = "与会干部表示将牢记组织嘱托，守住底线、不越红线，自觉接受组织和群众监督。".into();
    planned.push((on, Planned { unit: ctx.unit("ccdi")?.id, who: ctx.account("jijian")?, input: t }));

    let mut talkees: Vec<Uuid> = (1..=4).map(|i| ctx.person("eco", i)).collect::<Result<_, _>>()?;
    talkees.push(ctx.person("eco_organ", 0)?);
    talkees.extend(branches.iter().filter(|b| b.key.starts_with("eco_")).map(|b| b.secretary));
    let mut t = talk(
        TalkKind::Political,
        POLITICAL_ON,
        "局党组会议室",
        POLITICAL_SUBJECT,
        vec![ctx.person("eco", 0)?],
        talkees,
    );
    t.points = POLITICAL.iter().map(|p| p.0).collect::<Vec<_>>().join("\n");
    t.commitments = POLITICAL_COMMITMENTS.into();
    let eco = ctx.unit("eco")?.id;
    planned.push((POLITICAL_ON, Planned { unit: eco, who: ctx.account("sthj")?, input: t }));

    planned.sort_by_key(|(on, _)| *on);
    let mut political = None;
    for (on, p) in &planned {
        let spec = p.input.validate(*on).map_err(|e| err(format!("talk on {on}: {e:?}")))?;
        let t = o.record_talk(&p.who, p.unit, &spec).await?;
        if spec.kind == TalkKind::Political {
            political = Some(t.id);
        }
        summary.talks += 1;
    }

    // The 党组 lists the points as problems; the bureau claims them and sets measures.
    let talk_id = political.ok_or_else(|| err("no political talk".into()))?;
    let how = TalkToProblems { lead_unit_id: eco, deadline: date(2027, 3, 31), root_cause: RootCause::Responsibility };
    let problems = o.talk_to_problems(&ctx.account("shuji")?, &ctx.env(LISTED_ON), talk_id, &how).await?;
    summary.talk_problems = problems.len();
    let r = ctx.store.rectify();
    let sthj = ctx.account("sthj")?;
    let env = ctx.env(CLAIMED_ON);
    let unit = Capacities { lead_unit: true, issuer: false, inspector: false };
    for (p, (text, measures)) in problems.iter().zip(POLITICAL) {
        if p.description != *text {
            return Err(err(format!("problem `{}` is not the point `{text}`", p.description)));
        }
        r.act(&sthj, &env, p.id, ProblemAction::Claim, unit, None).await?;
        for &(title, due, (key, i)) in *measures {
            let spec = MeasureSpec { title: title.into(), owner_id: Some(ctx.person(key, i)?), due_on: due };
            r.add_measure(&sthj, &env, p.id, None, &spec).await?;
            summary.talk_measures += 1;
        }
    }
    Ok(())
}
