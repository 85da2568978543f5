use jiff::civil::date;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::tasks::deadline::{DeadlineChangeInput, Decision};
use qingfeng_domain::tasks::directive::DirectiveInput;
use qingfeng_domain::tasks::draft::{DraftItem, TaskSpec};
use qingfeng_domain::tasks::lifecycle::{Capacities, ProgressInput, TaskAction};
use qingfeng_domain::tasks::{TaskRules, TaskStatus};
use qingfeng_store::tasks::Env;
use qingfeng_store::{Store, StoreError};
use qingfeng_test_support::Fixture;
use qingfeng_test_support::fixtures::who;
use uuid::Uuid;

static CAL: std::sync::LazyLock<Calendar> = std::sync::LazyLock::new(Calendar::builtin);
static RULES: TaskRules = TaskRules::DEFAULT;
const UNIT: Capacities = Capacities { issuer: false, receiving_unit: true };
const ISSUER: Capacities = Capacities { issuer: true, receiving_unit: false };

fn env() -> Env<'static> {
    Env { cal: &CAL, rules: &RULES, today: date(2026, 3, 2) }
}

fn code(e: StoreError) -> &'static str {
    match e {
        StoreError::Refused(r) => r.code,
        other => panic!("expected a refusal, got {other:?}"),
    }
}

fn spec(title: &str, unit: Uuid, deadline: jiff::civil::Date) -> TaskSpec {
    TaskSpec {
        title: title.into(),
        body: None,
        lead_unit_id: unit,
        supporting_unit_ids: vec![],
        owner_id: None,
        supervising_leader_id: None,
        deadline,
        schedule: vec![],
        weight: 1,
    }
}

async fn report(store: &Store, id: Uuid, percent: &str) {
    let r = ProgressInput { percent: percent.into(), note: "按计划推进".into(), ..Default::default() }
        .validate(None, env().today)
        .unwrap();
    store.tasks().report(&who(), &env(), id, UNIT, &r).await.unwrap();
}

crate::on_both_engines! {
    async fn a_directive_cascades_to_branches_and_progress_rolls_up_without_retyping(db) {
        let f = Fixture::build(&db.store).await;
        let t = db.store.tasks();
        let input = DirectiveInput {
            kind: "讲话".into(),
            title: "在全市全面从严治党工作会议上的讲话".into(),
            issuing_unit_id: Some(f.city.id),
            issued_on: "2026-03-02".into(),
            source_text: "一要压实主体责任。二要持续深化作风建设。".into(),
            ..Default::default()
        };
        let items = vec![
            DraftItem::from_outline("压实主体责任", "", vec![0]),
            DraftItem::from_outline("持续深化作风建设", "", vec![1]),
        ];
        let d = t.create_directive(&who(), &input.validate().unwrap(), "{}", &items).await.unwrap();
        let d = t.save_draft(&who(), d.id, &items[..1], "drop 2").await.unwrap();
        assert_eq!(d.draft_items().len(), 1);
        let deadline = date(2026, 6, 30);
        let top = t
            .issue(&who(), &env(), d.id, &[spec("压实主体责任", f.bureau_a.id, deadline), spec("深化作风建设", f.bureau_b.id, deadline)])
            .await
            .unwrap();
        assert_eq!(top.len(), 2);
        assert_eq!(code(t.save_draft(&who(), d.id, &items, "late").await.unwrap_err()), "not_draft");
        // The bureau accepts and breaks its task into two for its branch.
        let a = t.act(&who(), &env(), top[0].id, TaskAction::Accept, UNIT, None).await.unwrap();
        assert_eq!(a.status(), TaskStatus::Accepted);
        assert_eq!(code(t.act(&who(), &env(), top[0].id, TaskAction::Accept, ISSUER, None).await.unwrap_err()), "invalid_transition");
        let subs = t
            .break_down(&who(), &env(), top[0].id, UNIT, &[spec("开展专题学习", f.branch_a.id, deadline), spec("建立问题台账", f.branch_a.id, deadline)])
            .await
            .unwrap();
        assert_eq!(subs.iter().map(|s| s.code.as_str()).collect::<Vec<_>>(), ["1.1", "1.2"]);
        for s in &subs {
            t.act(&who(), &env(), s.id, TaskAction::Accept, UNIT, None).await.unwrap();
        }
        // The bureau cannot type its own progress once broken down.
        let r = ProgressInput { percent: "50".into(), note: "x".into(), ..Default::default() }.validate(None, env().today).unwrap();
        assert_eq!(code(t.report(&who(), &env(), top[0].id, UNIT, &r).await.unwrap_err()), "progress_from_subtasks");
        report(&db.store, subs[0].id, "100").await;
        report(&db.store, subs[1].id, "60").await;
        let parent = t.get(top[0].id).await.unwrap();
        assert_eq!(parent.progress, 80, "the bureau's progress is the mean of its branches'");
        let tree = t.tree(d.id).await.unwrap();
        assert_eq!(tree.iter().map(|x| x.code.as_str()).collect::<Vec<_>>(), ["1", "1.1", "1.2", "2"]);
        // A returned task carries its reason back; a deadline change is a request.
        let ret = t.act(&who(), &env(), top[1].id, TaskAction::Return, UNIT, Some("不属于本单位职责")).await.unwrap();
        assert_eq!(ret.status(), TaskStatus::Returned);
        assert_eq!(ret.last_reason.as_deref(), Some("不属于本单位职责"));
        let req = DeadlineChangeInput { new_deadline: "2026-06-20".into(), reason: "配合省里检查".into() }
            .validate(TaskStatus::Accepted, deadline, Some(deadline), false, env().today)
            .unwrap();
        let x = t.request_deadline(&who(), &env(), subs[1].id, UNIT, &req).await.unwrap();
        assert_eq!(t.get(subs[1].id).await.unwrap().deadline, "2026-06-30", "a request changes nothing yet");
        assert_eq!(code(t.decide_deadline(&who(), &env(), x.id, UNIT, Decision::Approve, None).await.unwrap_err()), "not_issuer");
        t.decide_deadline(&who(), &env(), x.id, ISSUER, Decision::Approve, Some("同意")).await.unwrap();
        assert_eq!(t.get(subs[1].id).await.unwrap().deadline, "2026-06-20");
        // Completing the branches lets the bureau complete.
        assert_eq!(code(t.act(&who(), &env(), top[0].id, TaskAction::Complete, UNIT, None).await.unwrap_err()), "subtasks_open");
        report(&db.store, subs[1].id, "100").await;
        for s in &subs {
            t.act(&who(), &env(), s.id, TaskAction::Complete, UNIT, None).await.unwrap();
        }
        let done = t.act(&who(), &env(), top[0].id, TaskAction::Complete, UNIT, None).await.unwrap();
        assert_eq!((done.status(), done.progress), (TaskStatus::Done, 100));
        // Reopening a branch task reopens the bureau's.
        t.act(&who(), &env(), subs[0].id, TaskAction::Reopen, ISSUER, Some("回头看发现台账不全")).await.unwrap();
        assert_eq!(t.get(top[0].id).await.unwrap().status(), TaskStatus::Accepted);
        let steps = t.steps(top[1].id).await.unwrap();
        assert!(steps.iter().any(|s| s.action == "return" && s.comment.as_deref() == Some("不属于本单位职责")));
        let report = db.store.audit().verify().await.unwrap().unwrap();
        assert!(report.rows > 0);
    }

    async fn the_daily_recompute_turns_late_tasks_red_and_escalates_once(db) {
        let f = Fixture::build(&db.store).await;
        let t = db.store.tasks();
        let input = DirectiveInput {
            kind: "文件".into(),
            title: "关于开展作风建设专项整治的通知".into(),
            issuing_unit_id: Some(f.city.id),
            issued_on: "2026-03-02".into(),
            source_text: "一、加强监督".into(),
            ..Default::default()
        };
        let d = t.create_directive(&who(), &input.validate().unwrap(), "{}", &[]).await.unwrap();
        let top = t.issue(&who(), &env(), d.id, &[spec("加强监督", f.bureau_a.id, date(2026, 3, 31))]).await.unwrap();
        let later = Env { today: date(2026, 4, 20), ..env() };
        let r = t.recompute_warnings(&who(), &later).await.unwrap();
        assert_eq!((r.checked, r.escalated), (1, 1));
        let late = t.get(top[0].id).await.unwrap();
        assert_eq!(late.warning, "red");
        assert_eq!(late.escalated_on.as_deref(), Some("2026-04-20"));
        let again = t.recompute_warnings(&who(), &later).await.unwrap();
        assert_eq!((again.changed, again.escalated), (0, 0));
        db.store.audit().verify().await.unwrap().unwrap();
    }
}
