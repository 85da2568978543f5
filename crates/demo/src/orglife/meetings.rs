//! The 2026 annual plans and the meetings held from December 2025 to the
//! demo's today, each recorded with its date as "today" and attendance
//! marked from the roster on that day.

use super::roster::{Branch, VoteKind};
use super::topics::{self, Style};
use super::{Ctx, OrgLifeSummary, err, workday};
use crate::DEMO_TODAY;
use jiff::civil::{Date, date};
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::orglife::input::{MarkInput, MeetingInput, MemberSpec, PlanItemSpec, RosterEntry};
use qingfeng_domain::orglife::vote::Outcome;
use qingfeng_domain::orglife::{MeetingKind, MemberStatus};
use qingfeng_store::orglife::Member;
use qingfeng_store::{StoreError, Who};
use rand::Rng;
use rand::seq::IndexedRandom;
use uuid::Uuid;

/// One meeting, planned or held.
#[derive(Debug, Clone)]
struct Item {
    kind: MeetingKind,
    on: Date,
    topic: String,
    /// Index of the 党小组 for a 党小组会.
    cell: Option<usize>,
    plan_id: Option<Uuid>,
}

/// The slips of the demo year: a planned meeting that was not held.
fn skipped(key: &str, kind: MeetingKind, on: Date) -> bool {
    let in_2026 = |m: i8| on.year() == 2026 && on.month() == m;
    match (key, kind) {
        // The 省级生态环境保护督察 feedback of 8 May kept the section busy.
        ("eco_water", MeetingKind::BranchCommittee) => in_2026(5),
        // 春节安保.
        ("police_order", MeetingKind::ThemeDay) => in_2026(2),
        // A village branch that never got round to a 党课.
        ("shitan", MeetingKind::PartyLecture) => true,
        _ => false,
    }
}

/// A 支委会 convened as needed (根据需要随时召开) after the 巡察 feedback
/// of 16 March, by the branches of the two bureaus it covered.
const PATROL_FOLLOW_UP: (Date, &str) = (date(2026, 3, 19), "传达市委巡察反馈意见，研究制定整改落实方案");

fn quarter(d: Date) -> usize {
    (d.month() as usize - 1) / 3 + 1
}

fn item(kind: MeetingKind, on: Date, topic: String) -> Item {
    Item { kind, on, topic, cell: None, plan_id: None }
}

/// Items due every month (支委会, 主题党日, 党小组会) in month `m` of `year`
/// (topic month 0 is December 2025).
fn monthly(cal: &Calendar, b: &Branch, days: &Days, year: i16, m: i8) -> Vec<Item> {
    let t = if year == 2025 { 0 } else { m as usize };
    let mut v = Vec::new();
    if b.committee {
        v.push(item(
            MeetingKind::BranchCommittee,
            workday(cal, date(year, m, days.committee)),
            topics::committee(b.style, t),
        ));
    }
    // February's 主题党日 (走访慰问) comes before the Spring Festival holiday.
    let theme = if year == 2026 && m == 2 { days.theme.min(11) } else { days.theme };
    v.push(item(MeetingKind::ThemeDay, workday(cal, date(year, m, theme)), topics::theme_day(b.style, t)));
    for (i, c) in b.cells.iter().enumerate() {
        let mut it =
            item(MeetingKind::CellMeeting, workday(cal, date(year, m, days.cells[i])), topics::cell(&c.name, t));
        it.cell = Some(i);
        v.push(it);
    }
    v
}

/// Each branch's fixed days of the month.
struct Days {
    committee: i8,
    theme: i8,
    cells: Vec<i8>,
}

/// December 2025 (held, before the 2026 plan) and the 2026 plan.
fn schedule(cal: &Calendar, b: &Branch, rng: &mut impl Rng) -> (Vec<Item>, Vec<Item>) {
    let days = Days {
        committee: rng.random_range(3..=7),
        theme: rng.random_range(10..=26),
        cells: b.cells.iter().map(|_| rng.random_range(8..=24)).collect(),
    };
    let life_2025 = workday(cal, date(2025, 12, rng.random_range(15..=26)));
    let mut december = monthly(cal, b, &days, 2025, 12);
    december.push(item(MeetingKind::LifeMeeting, life_2025, topics::life_meeting(2025)));
    december.push(item(MeetingKind::MemberReview, life_2025, topics::member_review(2025)));

    let mut plan = Vec::new();
    for m in 1..=12 {
        plan.extend(monthly(cal, b, &days, 2026, m));
    }
    let assembly_day = rng.random_range(12..=27);
    for (q, m) in [(1, 1), (2, 6), (3, 9), (4, 11)] {
        let mut topic = topics::assembly(b.style, q);
        match b.votes.iter().find(|v| v.quarter == q).map(|v| v.kind) {
            Some(VoteKind::Admit) => topic = format!("讨论接收预备党员；{topic}"),
            Some(VoteKind::Confirm) => topic = format!("讨论预备党员转正；{topic}"),
            None => {}
        }
        plan.push(item(MeetingKind::BranchAssembly, workday(cal, date(2026, m, assembly_day)), topic));
    }
    let lecture_day = rng.random_range(8..=26);
    let q4 = if rng.random_bool(0.4) { (12, rng.random_range(8..=18)) } else { (11, rng.random_range(10..=27)) };
    for (q, (m, d)) in [(1, (3, lecture_day)), (2, (6, rng.random_range(24..=29))), (3, (8, lecture_day)), (4, q4)] {
        plan.push(item(MeetingKind::PartyLecture, workday(cal, date(2026, m, d)), topics::lecture(b.style, q)));
    }
    let life = workday(cal, date(2026, 12, rng.random_range(15..=25)));
    plan.push(item(MeetingKind::LifeMeeting, life, topics::life_meeting(2026)));
    plan.push(item(MeetingKind::MemberReview, life, topics::member_review(2026)));
    plan.sort_by_key(|i| (i.on, MeetingKind::ALL.iter().position(|k| *k == i.kind), i.cell));
    (december, plan)
}

/// Share of members on leave and absent.
fn rates(style: Style, kind: MeetingKind, vote: bool) -> (f64, f64) {
    let (leave, absent) = match style {
        Style::Eco | Style::Town => (0.07, 0.01),
        Style::Police => (0.10, 0.01),
        Style::Village => (0.10, 0.04),
        Style::Community => (0.07, 0.02),
        Style::Retired => (0.15, 0.02),
    };
    if vote {
        (0.04, 0.0)
    } else if kind == MeetingKind::BranchCommittee {
        (leave / 2.0, 0.0)
    } else {
        (leave, absent)
    }
}

struct Counts<'a> {
    host: &'a str,
    expected: usize,
    present: usize,
    leave: &'a [String],
}

/// Short minutes (会议记录摘要) in the way branch records are written.
fn minutes(kind: MeetingKind, topic: &str, c: &Counts<'_>, decision: Option<(&str, usize)>) -> String {
    let (host, e, p) = (c.host, c.expected, c.present);
    // Quoted inside “…”, inner quotes become ‘…’.
    let topic = topic.replace('“', "‘").replace('”', "’");
    let title = topic.split_once('：').map_or(topic.as_str(), |t| t.1);
    let leave = if c.leave.is_empty() { String::new() } else { format!("，{}请假", c.leave.join("、")) };
    match kind {
        MeetingKind::BranchCommittee => format!(
            "会议由{host}同志主持，应到委员{e}人，实到{p}人{leave}。会议围绕“{topic}”逐项进行了研究，明确了责任分工和完成时限。"
        ),
        MeetingKind::BranchAssembly => match decision {
            Some((title, yes)) => format!(
                "会议由{host}同志主持，应到党员{e}人，实到{p}人{leave}。支部委员会报告了有关培养教育和考察情况，与会党员进行了充分讨论。经举手表决，赞成{yes}票、反对0票、弃权0票，同意{title}，报上级党委审批。"
            ),
            None => format!(
                "会议由{host}同志主持，应到党员{e}人，实到{p}人{leave}。会议围绕“{topic}”进行了学习讨论，{}名党员作了交流发言。会议要求全体党员对标对表、抓好落实。",
                (p / 3).max(2)
            ),
        },
        MeetingKind::ThemeDay => format!(
            "本次主题党日围绕“{topic}”开展，应到党员{e}人，实到{p}人{leave}。活动结束后，支部对议定事项明确了责任人和完成时限。"
        ),
        MeetingKind::PartyLecture => format!(
            "{host}同志以“{title}”为题讲授专题党课，应到党员{e}人，实到{p}人{leave}。党课结束后，支部组织党员结合岗位实际进行了交流讨论。"
        ),
        MeetingKind::CellMeeting => format!(
            "党小组组长{host}同志主持会议，应到{e}人，实到{p}人{leave}。小组成员结合岗位实际逐一交流发言，组长对下阶段学习作了安排。"
        ),
        MeetingKind::LifeMeeting => format!(
            "会议通报了上年度组织生活会查摆问题整改落实情况，{host}同志代表支委会作对照检查，党员逐一发言，开展批评和自我批评。应到党员{e}人，实到{p}人{leave}。会后梳理问题清单，明确整改措施和时限。"
        ),
        MeetingKind::MemberReview => format!(
            "按照个人自评、党员互评、民主测评的程序进行评议，应参评党员{e}人，实际参评{p}人，发放并收回测评表{p}份。经支委会研究，评定优秀党员{}名，其余参评党员均评定为合格。",
            (p / 6).max(1)
        ),
        MeetingKind::DemocraticLifeMeeting => String::new(),
    }
}

fn place(b: &Branch, it: &Item) -> String {
    match (it.kind, it.cell) {
        (MeetingKind::CellMeeting, Some(c)) => format!("{}会议室", b.cells[c].name.trim_end_matches("党小组")),
        (MeetingKind::ThemeDay, _)
            if it.on.month() == 4 && matches!(b.style, Style::Eco | Style::Police | Style::Town) =>
        {
            "安澜市革命烈士陵园".into()
        }
        _ => b.style.place().into(),
    }
}

/// Records one held meeting; returns its attendance lines.
async fn hold(ctx: &Ctx<'_>, who: &Who, b: &Branch, it: &Item, rng: &mut impl Rng) -> Result<usize, StoreError> {
    let o = ctx.store.orglife();
    let roster = o.roster(b.id, it.on).await?;
    let participants: Vec<&Member> = match (it.kind, it.cell) {
        (MeetingKind::BranchCommittee, _) => roster.iter().filter(|m| m.committee_role.is_some()).collect(),
        (MeetingKind::CellMeeting, Some(c)) => roster.iter().filter(|m| m.cell_id == Some(b.cells[c].id)).collect(),
        _ => roster.iter().collect(),
    };
    let (host, host_name) = match it.cell {
        Some(c) => {
            let id = b.cells[c].leader;
            let name = participants.iter().find(|m| m.person_id == id).map(|m| m.person_name.clone());
            (id, name.ok_or_else(|| err(format!("党小组组长 of `{}` not on the roster", b.key)))?)
        }
        None => (b.secretary, b.secretary_name.clone()),
    };
    let vote = (it.kind == MeetingKind::BranchAssembly && it.on.year() == 2026)
        .then(|| b.votes.iter().find(|v| v.quarter == quarter(it.on)))
        .flatten();
    let (p_leave, p_absent) = rates(b.style, it.kind, vote.is_some());
    let mut marks = Vec::new();
    let mut leave = Vec::new();
    for m in participants.iter().filter(|m| m.person_id != host) {
        let r: f64 = rng.random();
        if r < p_absent {
            marks.push(MarkInput { person_id: m.person_id, mark: "absent".into(), reason: String::new() });
        } else if r < p_absent + p_leave {
            let reason = b.style.leave_reasons().choose(rng).copied().unwrap_or("因病");
            marks.push(MarkInput { person_id: m.person_id, mark: "leave".into(), reason: reason.into() });
            leave.push(m.person_name.clone());
        }
    }
    let counts = Counts {
        host: &host_name,
        expected: participants.len(),
        present: participants.len() - marks.len(),
        leave: &leave,
    };
    let decision = vote.map(|v| {
        let title = match v.kind {
            VoteKind::Admit => format!("接收{}同志为中共预备党员", v.name),
            VoteKind::Confirm => format!("{}同志按期转为中共正式党员", v.name),
        };
        let yes =
            participants.iter().filter(|m| m.voting() && !marks.iter().any(|x| x.person_id == m.person_id)).count();
        (title, yes)
    });
    let with_minutes = vote.is_some()
        || matches!(it.kind, MeetingKind::LifeMeeting | MeetingKind::MemberReview | MeetingKind::PartyLecture)
        || rng.random_bool(0.45);
    let input = MeetingInput {
        kind: it.kind.as_str().into(),
        held_on: it.on.to_string(),
        topic: it.topic.clone(),
        place: place(b, it),
        host_id: Some(host),
        minutes: if with_minutes {
            minutes(it.kind, &it.topic, &counts, decision.as_ref().map(|(t, y)| (t.as_str(), *y)))
        } else {
            String::new()
        },
        plan_id: it.plan_id,
        attendance: marks,
        decision_title: decision.as_ref().map(|d| d.0.clone()).unwrap_or_default(),
        votes_yes: decision.as_ref().map(|d| d.1.to_string()).unwrap_or_default(),
        votes_no: if decision.is_some() { "0".into() } else { String::new() },
        votes_abstain: if decision.is_some() { "0".into() } else { String::new() },
    };
    let entries: Vec<RosterEntry> = participants.iter().map(|m| m.roster_entry()).collect();
    let spec =
        input.validate(&entries, it.on).map_err(|e| err(format!("{} {} {}: {e:?}", b.key, it.kind.as_str(), it.on)))?;
    let lines = spec.marks.len();
    let meeting = o.record(who, b.id, &spec).await?;
    if let Some(v) = vote {
        if meeting.outcome() != Some(Outcome::Passed) {
            return Err(err(format!("the vote in `{}` on {} did not pass", b.key, it.on)));
        }
        match v.kind {
            VoteKind::Admit => {
                let spec = MemberSpec {
                    person_id: v.person,
                    status: MemberStatus::Probationary,
                    joined_on: it.on,
                    committee_role: None,
                    cell_id: None,
                    vote_suspended: false,
                };
                o.add_member(who, b.id, &spec, it.on).await?;
            }
            VoteKind::Confirm => {
                let m =
                    roster.iter().find(|m| m.person_id == v.person).ok_or_else(|| err("转正: not on roster".into()))?;
                let spec = MemberSpec {
                    person_id: v.person,
                    status: MemberStatus::Formal,
                    joined_on: m.joined_on.parse().map_err(|_| err("joined_on".into()))?,
                    committee_role: m.committee_role(),
                    cell_id: m.cell_id,
                    vote_suspended: m.vote_suspended,
                };
                o.update_member(who, m.id, &spec).await?;
            }
        }
    }
    Ok(lines)
}

pub async fn build(
    ctx: &Ctx<'_>,
    branches: &[Branch],
    rng: &mut impl Rng,
    summary: &mut OrgLifeSummary,
) -> Result<(), StoreError> {
    let o = ctx.store.orglife();
    for b in branches {
        let who = ctx.recorder(b.key)?;
        let (december, plan) = schedule(&ctx.cal, b, rng);
        let specs: Vec<PlanItemSpec> =
            plan.iter().map(|i| PlanItemSpec { kind: i.kind, planned_on: i.on, topic: i.topic.clone() }).collect();
        let stored = o.add_plan(&who, b.id, &specs).await?;
        summary.plan_items += stored.len();

        let mut held = december;
        for (it, p) in plan.into_iter().zip(&stored) {
            if it.on > DEMO_TODAY || skipped(b.key, it.kind, it.on) {
                continue;
            }
            // Now and then a meeting slips a day or two, within its month.
            let mut on = it.on;
            if rng.random_bool(0.2) {
                let later = ctx.workday(on.saturating_add(jiff::Span::new().days(rng.random_range(1..=2))));
                if later.month() == on.month() && later <= DEMO_TODAY {
                    on = later;
                }
            }
            held.push(Item { on, plan_id: Some(p.id), ..it });
        }
        let bureau = b.key.starts_with("eco_") || b.key.starts_with("police_");
        if b.committee && bureau {
            held.push(item(MeetingKind::BranchCommittee, PATROL_FOLLOW_UP.0, PATROL_FOLLOW_UP.1.into()));
        }
        held.sort_by_key(|i| (i.on, MeetingKind::ALL.iter().position(|k| *k == i.kind), i.cell));
        for v in &b.votes {
            let assembly = |i: &Item| i.kind == MeetingKind::BranchAssembly && i.on.year() == 2026;
            if !held.iter().any(|i| assembly(i) && quarter(i.on) == v.quarter) {
                return Err(err(format!("no 党员大会 in `{}` to vote on {}", b.key, v.name)));
            }
        }
        for it in &held {
            summary.attendance_lines += hold(ctx, &who, b, it, rng).await?;
            summary.meetings += 1;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orglife::roster::{Cell, Vote};
    use qingfeng_domain::orglife::compliance::{SlotStatus, branch_compliance};
    use qingfeng_domain::orglife::{BranchShape, OrgLifeRules, required_kinds};
    use rand::SeedableRng;
    use rand_chacha::ChaCha8Rng;

    fn branch(key: &'static str, style: Style, committee: bool, cells: usize) -> Branch {
        Branch {
            key,
            id: Uuid::nil(),
            style,
            secretary: Uuid::nil(),
            secretary_name: "王建国".into(),
            committee,
            cells: (0..cells)
                .map(|i| Cell {
                    id: Uuid::from_u128(i as u128 + 1),
                    name: format!("第{}党小组", i + 1),
                    leader: Uuid::nil(),
                })
                .collect(),
            votes: vec![Vote { quarter: 2, kind: VoteKind::Admit, person: Uuid::nil(), name: "李明".into() }],
        }
    }

    #[test]
    fn the_plan_covers_every_required_slot_of_2026_on_working_days() {
        let cal = Calendar::builtin();
        let rules = OrgLifeRules::default();
        let mut rng = ChaCha8Rng::seed_from_u64(1);
        for b in [
            branch("eco_air", Style::Eco, true, 0),
            branch("police_traffic", Style::Police, true, 2),
            branch("shitan", Style::Village, false, 0),
        ] {
            let (december, plan) = schedule(&cal, &b, &mut rng);
            assert!(december.iter().all(|i| i.on.year() == 2025 && i.on.month() == 12));
            assert!(plan.iter().all(|i| i.on.year() == 2026 && cal.is_working_day(i.on).value), "{}", b.key);
            assert!(plan.windows(2).all(|w| w[0].on <= w[1].on));
            let shape = BranchShape {
                formal_members: if b.committee { 9 } else { 5 },
                committee_members: 1,
                cells: b.cells.len() as u32,
            };
            let held: Vec<(MeetingKind, Date)> = plan.iter().map(|i| (i.kind, i.on)).collect();
            let rows = branch_compliance(
                &required_kinds(&rules, shape),
                &held,
                date(2026, 1, 1),
                date(2026, 12, 31),
                date(2027, 1, 1),
            );
            assert!(rows.iter().all(|r| r.slots.iter().all(|s| s.status == SlotStatus::Done)), "{}", b.key);
            // Two 党小组 hold their own monthly meetings.
            assert_eq!(plan.iter().filter(|i| i.kind == MeetingKind::CellMeeting).count(), 12 * b.cells.len());
            // The 走访慰问 主题党日 comes before the Spring Festival holiday (15–23 February).
            let february = plan.iter().find(|i| i.kind == MeetingKind::ThemeDay && i.on.month() == 2).unwrap();
            assert!(february.on < date(2026, 2, 15), "{}", february.on);
            // The 组织生活会 and 民主评议 fall in December, after the demo's today.
            assert!(plan.iter().filter(|i| i.kind == MeetingKind::LifeMeeting).all(|i| i.on > DEMO_TODAY));
            let q2 = plan.iter().find(|i| i.kind == MeetingKind::BranchAssembly && quarter(i.on) == 2).unwrap();
            assert!(q2.topic.starts_with("讨论接收预备党员"));
        }
    }

    #[test]
    fn only_the_three_planned_slips_are_skipped() {
        assert!(skipped("eco_water", MeetingKind::BranchCommittee, date(2026, 5, 6)));
        assert!(!skipped("eco_water", MeetingKind::BranchCommittee, date(2026, 6, 3)));
        assert!(skipped("police_order", MeetingKind::ThemeDay, date(2026, 2, 11)));
        assert!(skipped("shitan", MeetingKind::PartyLecture, date(2026, 8, 12)));
        assert!(!skipped("eco_office", MeetingKind::ThemeDay, date(2026, 2, 11)));
    }
}
