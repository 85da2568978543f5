use jiff::civil::date;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::orglife::input::{MarkInput, MeetingInput, MemberSpec, PlanItemSpec, TalkInput};
use qingfeng_domain::orglife::vote::Outcome;
use qingfeng_domain::orglife::{AttendanceMark, CommitteeRole, MeetingKind, MemberStatus, TalkKind};
use qingfeng_domain::people::PersonSpec;
use qingfeng_domain::rectify::{RectifyRules, RootCause, Source};
use qingfeng_store::orglife::{TalkFilter, TalkToProblems};
use qingfeng_store::rectify::Env;
use qingfeng_store::{Store, StoreError};
use qingfeng_test_support::Fixture;
use qingfeng_test_support::fixtures::who;
use uuid::Uuid;

static CAL: std::sync::LazyLock<Calendar> = std::sync::LazyLock::new(Calendar::builtin);
static RULES: RectifyRules = RectifyRules::DEFAULT;

fn code(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(r) => r.code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

/// Puts `n` new party members on `branch`'s roster; the last `probationary` are 预备党员.
async fn members(store: &Store, branch: Uuid, n: usize, probationary: usize) -> Vec<Uuid> {
    let mut out = Vec::new();
    for i in 0..n {
        let p = store
            .people()
            .create(
                &who(),
                branch,
                &PersonSpec {
                    name: format!("党员{i:02}"),
                    gender: None,
                    position: None,
                    is_party_member: true,
                    is_head: false,
                    is_leadership_member: false,
                    sort_order: i as i64,
                },
            )
            .await
            .unwrap();
        let status = if i + probationary >= n { MemberStatus::Probationary } else { MemberStatus::Formal };
        let spec = MemberSpec {
            person_id: p.id,
            status,
            joined_on: date(2015, 7, 1),
            committee_role: (i == 0).then_some(CommitteeRole::Secretary),
            cell_id: None,
            vote_suspended: false,
        };
        store.orglife().add_member(&who(), branch, &spec, date(2026, 1, 1)).await.unwrap();
        out.push(p.id);
    }
    out
}

crate::on_both_engines! {
    async fn a_general_meeting_vote_is_decided_on_those_who_should_attend_and_kept_in_the_chain(db) {
        let f = Fixture::build(&db.store).await;
        let ids = members(&db.store, f.branch_a.id, 17, 2).await;
        let o = db.store.orglife();
        let roster = o.roster(f.branch_a.id, date(2026, 11, 12)).await.unwrap();
        assert_eq!(roster.len(), 17);
        assert_eq!(roster[0].committee_role(), Some(CommitteeRole::Secretary));
        let entries: Vec<_> = roster.iter().map(|m| m.roster_entry()).collect();
        let input = MeetingInput {
            kind: "branch_assembly".into(),
            held_on: "2026-11-12".into(),
            topic: "讨论接收预备党员".into(),
            attendance: ids[9..15].iter().map(|p| MarkInput { person_id: *p, mark: "absent".into(), reason: String::new() }).collect(),
            decision_title: "接收某同志为预备党员".into(),
            votes_yes: "7".into(),
            votes_no: "2".into(),
            ..Default::default()
        };
        let spec = input.validate(&entries, date(2026, 11, 20)).unwrap();
        let m = o.record(&who(), f.branch_a.id, &spec).await.unwrap();
        assert_eq!(m.outcome(), Some(Outcome::NotPassed));
        assert_eq!((m.votes_entitled, m.votes_present), (Some(15), Some(9)));
        assert_eq!((m.expected, m.present), (17, 11));
        let att = o.attendance(m.id).await.unwrap();
        assert_eq!(att.iter().filter(|a| a.mark() == AttendanceMark::Absent).count(), 6);
        assert!(db.store.audit().verify().await.unwrap().is_ok());
        crate::audit::tamper(&db, "UPDATE attendance SET mark = 'present'").await;
        let broken = db.store.audit().verify().await.unwrap().unwrap_err();
        assert!(broken.to_string().contains(&m.id.to_string()), "{broken}");
    }

    async fn a_plan_item_is_held_once_and_compliance_reads_the_meetings(db) {
        let f = Fixture::build(&db.store).await;
        let ids = members(&db.store, f.branch_a.id, 3, 0).await;
        let o = db.store.orglife();
        let plan = o.add_plan(&who(), f.branch_a.id, &[
            PlanItemSpec { kind: MeetingKind::BranchCommittee, planned_on: date(2026, 4, 8), topic: "研究部署二季度工作".into() },
            PlanItemSpec { kind: MeetingKind::BranchCommittee, planned_on: date(2026, 6, 10), topic: "研究七一活动安排".into() },
        ]).await.unwrap();
        let entries: Vec<_> = o.roster(f.branch_a.id, date(2026, 4, 8)).await.unwrap().iter().map(|m| m.roster_entry()).collect();
        for (p, d) in [(&plan[0], "2026-04-08"), (&plan[1], "2026-06-12")] {
            let spec = MeetingInput { kind: p.kind.clone(), held_on: d.into(), topic: p.topic.clone(), plan_id: Some(p.id), host_id: Some(ids[0]), ..Default::default() }
                .validate(&entries, date(2026, 11, 20)).unwrap();
            o.record(&who(), f.branch_a.id, &spec).await.unwrap();
        }
        let again = MeetingInput { kind: "branch_committee".into(), held_on: "2026-06-13".into(), topic: "x".into(), plan_id: Some(plan[0].id), ..Default::default() }
            .validate(&entries, date(2026, 11, 20)).unwrap();
        assert_eq!(code(o.record(&who(), f.branch_a.id, &again).await.unwrap_err()), "plan_already_held");
        let held = o.held(std::slice::from_ref(&f.bureau_a.path), date(2026, 4, 1), date(2026, 6, 30)).await.unwrap();
        assert_eq!(held.len(), 2);
        assert!(o.held(std::slice::from_ref(&f.bureau_b.path), date(2026, 1, 1), date(2026, 12, 31)).await.unwrap().is_empty());
        let dates: Vec<_> = held.iter().map(|h| (MeetingKind::parse(&h.kind).unwrap(), h.held_on.parse().unwrap())).collect();
        let c = qingfeng_domain::orglife::compliance::branch_compliance(
            &[(MeetingKind::BranchCommittee, qingfeng_domain::orglife::Frequency::Monthly)], &dates,
            date(2026, 4, 1), date(2026, 6, 30), date(2026, 11, 20));
        assert_eq!((c[0].summary.done, c[0].summary.missed), (2, 1));
        assert!(o.plan(f.branch_a.id, 2026).await.unwrap().iter().all(|p| p.meeting_id.is_some()));
        let turnout = o.turnout(f.branch_a.id, date(2026, 1, 1), date(2026, 12, 31)).await.unwrap();
        assert!(turnout.iter().all(|t| t.expected == 2 && t.present == 2));
        assert!(db.store.audit().verify().await.unwrap().is_ok());
    }

    async fn a_transfer_keeps_the_history_and_moves_the_member_between_rosters(db) {
        let f = Fixture::build(&db.store).await;
        let ids = members(&db.store, f.branch_a.id, 2, 0).await;
        let o = db.store.orglife();
        let m = o.roster(f.branch_a.id, date(2026, 3, 1)).await.unwrap().into_iter().find(|m| m.person_id == ids[1]).unwrap();
        let moved = o.transfer(&who(), m.id, f.branch_b.id, date(2026, 3, 15), Some("工作调动")).await.unwrap();
        assert_eq!(moved.branch_id, f.branch_b.id);
        assert_eq!(o.roster(f.branch_a.id, date(2026, 3, 14)).await.unwrap().len(), 2);
        assert_eq!(o.roster(f.branch_a.id, date(2026, 3, 15)).await.unwrap().len(), 1);
        assert_eq!(o.roster(f.branch_b.id, date(2026, 3, 15)).await.unwrap().len(), 1);
        let history = o.history(ids[1]).await.unwrap();
        assert_eq!(history.len(), 2);
        assert_eq!(history[0].left_on.as_deref(), Some("2026-03-15"));
        let twice = MemberSpec { person_id: ids[1], status: MemberStatus::Formal, joined_on: date(2015, 7, 1), committee_role: None, cell_id: None, vote_suspended: false };
        assert_eq!(code(o.add_member(&who(), f.branch_a.id, &twice, date(2026, 4, 1)).await.unwrap_err()), "already_on_a_roster");
        assert!(db.store.audit().verify().await.unwrap().is_ok());
    }

    async fn points_of_a_political_talk_become_problems_in_one_batch(db) {
        let f = Fixture::build(&db.store).await;
        let o = db.store.orglife();
        let spec = TalkInput {
            kind: "political".into(),
            held_on: "2026-03-02".into(),
            subject: "新任职干部集体政治谈话".into(),
            talkers: vec![f.person_b.id],
            talkees: vec![f.person_a.id],
            points: "落实全面从严治党主体责任有差距\n对基层单位监督检查不经常".into(),
            ..Default::default()
        }.validate(date(2026, 11, 20)).unwrap();
        let t = o.record_talk(&who(), f.bureau_a.id, &spec).await.unwrap();
        assert_eq!(t.kind(), TalkKind::Political);
        assert_eq!(o.talks(std::slice::from_ref(&f.city.path), &TalkFilter::default(), Default::default()).await.unwrap().total, 1);
        assert_eq!(o.talks(std::slice::from_ref(&f.bureau_b.path), &TalkFilter::default(), Default::default()).await.unwrap().total, 0);
        let env = Env { cal: &CAL, rules: &RULES, today: date(2026, 11, 20) };
        let how = TalkToProblems { lead_unit_id: f.bureau_a.id, deadline: date(2027, 3, 31), root_cause: RootCause::Responsibility };
        let problems = o.talk_to_problems(&who(), &env, t.id, &how).await.unwrap();
        assert_eq!(problems.len(), 2);
        let batch = db.store.rectify().batch(problems[0].batch_id).await.unwrap();
        assert_eq!(batch.source, Source::Talk.as_str());
        assert_eq!(o.talk(t.id).await.unwrap().batch_id, Some(batch.id));
        assert_eq!(code(o.talk_to_problems(&who(), &env, t.id, &how).await.unwrap_err()), "talk_already_listed");
        assert!(db.store.audit().verify().await.unwrap().is_ok());
    }

    async fn members_without_a_heart_to_heart_talk_are_counted_per_branch(db) {
        let f = Fixture::build(&db.store).await;
        let ids = members(&db.store, f.branch_a.id, 3, 0).await;
        let o = db.store.orglife();
        let talk = |a: Uuid, b: Uuid, day: &str| TalkInput {
            kind: "heart_to_heart".into(),
            held_on: day.into(),
            subject: "谈心谈话".into(),
            talkers: vec![a],
            talkees: vec![b],
            ..Default::default()
        };
        o.record_talk(&who(), f.branch_a.id, &talk(ids[0], ids[1], "2026-03-02").validate(date(2026, 11, 20)).unwrap()).await.unwrap();
        o.record_talk(&who(), f.branch_a.id, &talk(ids[0], ids[2], "2025-12-02").validate(date(2026, 11, 20)).unwrap()).await.unwrap();
        let gaps = o.talk_gaps_by_branch(std::slice::from_ref(&f.city.path), 2026, 1).await.unwrap();
        assert_eq!(gaps, vec![(f.branch_a.id, 1)], "only the member talked to last year is missing");
        let talks = o.heart_to_heart(&ids, 2026).await.unwrap();
        assert_eq!(qingfeng_domain::orglife::compliance::talk_gaps(&ids, &talks, 1), vec![ids[2]], "the branch page agrees");
        assert_eq!(o.talk_gaps_by_branch(std::slice::from_ref(&f.city.path), 2026, 2).await.unwrap(), vec![(f.branch_a.id, 3)]);
    }
}
