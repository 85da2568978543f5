//! The demo city's 组织生活 and 谈话, built on a fresh SQLite database.

use jiff::civil::{Date, date};
use qingfeng_demo::DEMO_TODAY;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::orglife::compliance::{SlotStatus, branch_compliance, talk_gaps};
use qingfeng_domain::orglife::vote::Outcome;
use qingfeng_domain::orglife::{Frequency, MeetingKind, MemberStatus, OrgLifeRules, TalkKind, required_kinds};
use qingfeng_domain::rectify::Source;
use qingfeng_store::orglife::{BranchInfo, TalkFilter};
use qingfeng_store::rectify::ProblemFilter;
use qingfeng_test_support::TestDb;
use std::collections::HashMap;
use std::time::Instant;
use uuid::Uuid;

const YEAR_START: Date = date(2026, 1, 1);
const YEAR_END: Date = date(2026, 12, 31);

/// Missed slots of 2026 per branch name: (kind, period label).
fn missed(branches: &[BranchInfo], held: &[(Uuid, MeetingKind, Date)]) -> HashMap<String, Vec<(MeetingKind, String)>> {
    let rules = OrgLifeRules::default();
    let mut out = HashMap::new();
    for b in branches {
        let dates: Vec<(MeetingKind, Date)> =
            held.iter().filter(|(id, _, _)| *id == b.id).map(|(_, k, d)| (*k, *d)).collect();
        let required = required_kinds(&rules, b.shape());
        let rows = branch_compliance(&required, &dates, YEAR_START, YEAR_END, DEMO_TODAY);
        let list: Vec<(MeetingKind, String)> = rows
            .iter()
            .flat_map(|r| {
                r.slots
                    .iter()
                    .filter(|s| s.status == SlotStatus::Missed)
                    .map(|s| (r.kind, s.period.label(r.frequency).zh.to_string()))
            })
            .collect();
        out.insert(b.name.clone(), list);
    }
    out
}

#[tokio::test]
async fn the_demo_holds_a_year_of_organisational_life() {
    let db = TestDb::sqlite().await;
    let started = Instant::now();
    let report = qingfeng_demo::build(&db.store).await.expect("demo builds");
    eprintln!("demo build took {:.1?}", started.elapsed());
    let s = &report.orglife;
    let o = db.store.orglife();
    let all = [OrgPath::global()];

    // Every branch has a roster, with a few 预备党员 and one 留党察看.
    let branches = o.branches(&all, None).await.unwrap();
    assert_eq!(branches.len(), s.branches);
    assert!(branches.len() >= 20, "{} branches", branches.len());
    let mut suspended = 0;
    for b in &branches {
        let roster = o.roster(b.id, DEMO_TODAY).await.unwrap();
        assert!(roster.len() >= 3, "{} has {} members", b.name, roster.len());
        assert_eq!(roster.len() as i64, b.members());
        assert_eq!(roster.iter().filter(|m| m.committee_role.is_some()).count() as i64, b.committee);
        suspended += roster.iter().filter(|m| m.vote_suspended).count();
        for m in roster.iter().filter(|m| m.status() == MemberStatus::Probationary) {
            assert!(m.joined_on.as_str() > "2025-11-20", "{} joined {}", m.person_name, m.joined_on);
            assert!(!m.voting());
        }
    }
    assert_eq!(suspended, 1);
    assert!((3..=5).contains(&s.probationary), "{} 预备党员", s.probationary);
    assert_eq!(s.members as i64, branches.iter().map(BranchInfo::members).sum::<i64>());

    // One transfer in 2026, with its history.
    let water = branches.iter().find(|b| b.name == "水生态环境科党支部").unwrap();
    let mut transferred = Vec::new();
    for m in o.roster(water.id, DEMO_TODAY).await.unwrap() {
        let history = o.history(m.person_id).await.unwrap();
        if history.len() > 1 {
            transferred.push(history);
        }
    }
    assert_eq!(transferred.len(), 1);
    assert_eq!(transferred[0][0].transfer_reason.as_deref(), Some("工作调动"));
    assert_eq!(transferred[0][0].branch_name, "大气环境科党支部");
    assert!(transferred[0][0].left_on.as_deref().is_some_and(|d| d.starts_with("2026-")));

    // Compliance: most branches kept every frequency; the slips are the planned ones.
    let held: Vec<(Uuid, MeetingKind, Date)> = o
        .held(&all, YEAR_START, YEAR_END)
        .await
        .unwrap()
        .into_iter()
        .map(|h| (h.branch_id, MeetingKind::parse(&h.kind).unwrap(), h.held_on.parse().unwrap()))
        .collect();
    assert!(held.iter().all(|(_, _, d)| *d <= DEMO_TODAY), "nothing is held after the demo's today");
    let missed = missed(&branches, &held);
    let compliant = missed.values().filter(|m| m.is_empty()).count();
    assert!(compliant * 2 > branches.len(), "{compliant} of {} fully compliant: {missed:?}", branches.len());
    let with_gaps: Vec<&String> = missed.iter().filter(|(_, m)| !m.is_empty()).map(|(n, _)| n).collect();
    assert_eq!(with_gaps.len(), 3, "{missed:?}");
    assert_eq!(missed["水生态环境科党支部"], [(MeetingKind::BranchCommittee, "2026年5月".to_string())]);
    assert_eq!(missed["治安管理支队党支部"], [(MeetingKind::ThemeDay, "2026年2月".to_string())]);
    let shitan = &missed["石滩村党支部"];
    assert!(shitan.len() == 3 && shitan.iter().all(|(k, _)| *k == MeetingKind::PartyLecture), "{shitan:?}");
    assert!(missed["办公室党支部"].is_empty() && missed["大气环境科党支部"].is_empty());
    // "Held only two 支委会 in the quarter": two done, one missed.
    let water_committee: Vec<Date> = held
        .iter()
        .filter(|(id, k, d)| *id == water.id && *k == MeetingKind::BranchCommittee && d.month() >= 4 && d.month() <= 6)
        .map(|h| h.2)
        .collect();
    assert_eq!(water_committee.len(), 2, "{water_committee:?}");
    // The 2026 组织生活会 and 民主评议 are planned for December, not yet held.
    let rules = OrgLifeRules::default();
    for b in &branches {
        let dates: Vec<(MeetingKind, Date)> =
            held.iter().filter(|(id, _, _)| *id == b.id).map(|(_, k, d)| (*k, *d)).collect();
        let rows = branch_compliance(&required_kinds(&rules, b.shape()), &dates, YEAR_START, YEAR_END, DEMO_TODAY);
        let life = rows.iter().find(|r| r.kind == MeetingKind::LifeMeeting).unwrap();
        assert_eq!(life.slots[0].status, SlotStatus::Due, "{}", b.name);
        let plan = o.plan(b.id, 2026).await.unwrap();
        assert!(plan.iter().any(|p| p.kind() == MeetingKind::LifeMeeting && p.planned_on.starts_with("2026-12")));
        assert!(plan.iter().filter(|p| p.planned_on.as_str() > "2026-11-20").all(|p| p.meeting_id.is_none()));
        if rows.iter().any(|r| r.kind == MeetingKind::CellMeeting) {
            assert!(rows.iter().find(|r| r.kind == MeetingKind::CellMeeting).unwrap().frequency == Frequency::Monthly);
        }
    }

    // Meetings, attendance and plans add up; the votes passed.
    let (mut meetings, mut lines, mut linked, mut votes) = (0, 0, 0, 0);
    for b in &branches {
        let list = o.meetings(b.id, date(2025, 12, 1), DEMO_TODAY, None).await.unwrap();
        let register = o.register(b.id, date(2025, 12, 1), DEMO_TODAY).await.unwrap();
        assert_eq!(register.len() as i64, list.iter().map(|m| m.expected).sum::<i64>(), "{}", b.name);
        for m in &list {
            assert!(m.present > 0 && m.present <= m.expected && m.host_id.is_some(), "{}", m.topic);
            if m.held_on.as_str() >= "2026-01-01" && m.plan_id.is_some() {
                linked += 1;
            }
            if let Some(outcome) = m.outcome() {
                assert_eq!(outcome, Outcome::Passed, "{}", m.topic);
                votes += 1;
            }
        }
        meetings += list.len();
        lines += register.len();
    }
    assert_eq!(meetings, s.meetings);
    assert_eq!(lines, s.attendance_lines);
    assert!(linked * 10 >= meetings * 8, "{linked} of {meetings} meetings carried out a plan item");
    assert_eq!(votes, 5, "three 接收预备党员 and two 转正");
    let office = branches.iter().find(|b| b.name == "办公室党支部").unwrap();
    let assemblies = o.meetings(office.id, YEAR_START, DEMO_TODAY, Some(MeetingKind::BranchAssembly)).await.unwrap();
    assert!(assemblies.iter().any(|m| m.decision_title.as_deref().is_some_and(|t| t.contains("转为中共正式党员"))));

    // 谈心谈话: most members had one; the office branch has two still to do.
    let mut gaps = HashMap::new();
    for b in &branches {
        let people: Vec<Uuid> = o.roster(b.id, DEMO_TODAY).await.unwrap().iter().map(|m| m.person_id).collect();
        let talks = o.heart_to_heart(&people, 2026).await.unwrap();
        gaps.insert(b.name.clone(), talk_gaps(&people, &talks, rules.heart_to_heart_per_year).len());
    }
    assert_eq!(gaps["办公室党支部"], 2);
    assert_eq!(gaps["大气环境科党支部"], 0);
    let members: usize = branches.iter().map(|b| b.members() as usize).sum();
    let lacking: usize = gaps.values().sum();
    assert!(lacking > 0 && lacking * 8 < members, "{lacking} of {members} without a 谈心谈话");
    let f = TalkFilter { kind: Some(TalkKind::HeartToHeart), year: Some(2026), ..Default::default() };
    assert_eq!(o.talks(&all, &f, Default::default()).await.unwrap().total as usize, s.heart_to_heart);

    // The 政治谈话's points are problems of a 谈话 batch on the board.
    let talks = o.talks(&all, &TalkFilter::default(), Default::default()).await.unwrap();
    assert_eq!(talks.total as usize, s.talks);
    for kind in TalkKind::ALL {
        let f = TalkFilter { kind: Some(*kind), year: Some(2026), ..Default::default() };
        let n = o.talks(&all, &f, Default::default()).await.unwrap().total;
        assert_eq!(n > 0, *kind != TalkKind::Admonition && *kind != TalkKind::Summons, "{}: {n}", kind.label().zh);
    }
    let f = TalkFilter { kind: Some(TalkKind::Political), ..Default::default() };
    let political = o.talks(&all, &f, Default::default()).await.unwrap().items;
    assert_eq!(political.len(), 1);
    assert!(political[0].talkees >= 8, "a collective talk");
    let batch = db.store.rectify().batch(political[0].batch_id.unwrap()).await.unwrap();
    assert_eq!(batch.source, Source::Talk.as_str());
    let filter = ProblemFilter { batch: Some(batch.id), ..Default::default() };
    let problems = db.store.rectify().list(&all, &filter, Default::default()).await.unwrap();
    assert_eq!(problems.total as usize, s.talk_problems);
    assert!((3..=4).contains(&s.talk_problems));
    assert!(problems.items.iter().all(|p| p.lead_unit_id == report.unit_ids["eco"] && p.deadline.starts_with("2027-")));
    let board = db.store.rectify().board(report.unit_ids["city"]).await.unwrap();
    assert_eq!(board.total.total as usize, report.rectify.problems);

    let started = Instant::now();
    assert!(db.store.audit().verify().await.unwrap().is_ok());
    eprintln!("audit verify took {:.1?}", started.elapsed());
}
