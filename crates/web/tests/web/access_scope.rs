//! The not-found rule, walked over every route: an actor whose grants do
//! not cover a record gets 404 for it — through the UI and the API — and a
//! list never shows it. A route missing from the tables below fails the test.

use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::PageRequest;
use qingfeng_store::audit::AuditFilter;
use qingfeng_test_support::fixtures::PASSWORD;
use qingfeng_test_support::{Fixture, Session, TestApp};
use reqwest::{Method, StatusCode};
use serde_json::json;
use std::collections::BTreeSet;

mod cases;

use cases::{Case, Expect, api_cases, html_cases};

pub struct Other {
    /// Strings that must never appear in what an outsider sees.
    secrets: Vec<String>,
    bureau: String,
    branch: String,
    person: String,
    account: String,
    grant: String,
    seq: i64,
    own_branch: String,
    own_person: String,
    problem: String,
    spot_check: String,
    batch: String,
    measure: String,
    evidence: String,
    extension: String,
    meeting: String,
    meeting_file: String,
    talk: String,
    member: String,
    directive: String,
    draft_directive: String,
    task: String,
    deadline_change: String,
    duty_list: String,
    duty_entry: String,
    report: String,
    release: String,
    lead: String,
    lead_person: String,
    inquiry: String,
    referral: String,
    clearance: String,
}

/// A real-name report received by the city and handled by bureau B, with an identity release asked.
async fn report_in_b(app: &TestApp, f: &Fixture) -> (String, String) {
    use qingfeng_domain::leads::intake::ReportInput;
    let today = jiff::civil::date(2026, 5, 11);
    let input = ReportInput {
        kind: "accusation".into(),
        channel: "online".into(),
        category: "integrity".into(),
        reported_unit: "市公安局治安支队".into(),
        title: "反映治安支队违规收费".into(),
        content: "治安支队某民警在办理户籍业务时违规收取费用。".into(),
        ..Default::default()
    };
    let spec = input.validate(false, today, |_| false).unwrap();
    let id = uuid::Uuid::now_v7();
    let n = qingfeng_store::leads::NewReport {
        id,
        spec: &spec,
        identity_sealed: Some("v1:office:c2VhbGVk"),
        receipt_hash: None,
        intake_unit_id: f.city.id,
        received_on: today,
        accept_due: today,
        notice_due: None,
        signature: &[1, 2, 3],
        band_keys: &[42],
        files: &[],
    };
    let l = app.db.store.leads();
    l.submit(&qingfeng_test_support::fixtures::who(), &n).await.unwrap();
    l.accept(&qingfeng_test_support::fixtures::who(), id, f.bureau_b.id, "integrity", today).await.unwrap();
    let rel = l.request_release(&qingfeng_store::Who::account(f.officer.id, "officer"), id, "核实需要联系举报人").await.unwrap();
    (id.to_string(), rel.id.to_string())
}

/// Leads handled in bureau B: one concluded with a second-form outcome (its
/// 一案双查 inquiry open), one referred within bureau B, one concluded as
/// untrue with a clearance proposed.
async fn leads_in_b(app: &TestApp, f: &Fixture, report: &str) -> [String; 5] {
    use qingfeng_domain::leads::disposal::{Disposal, LeadAction as A, LeadActor};
    use qingfeng_domain::leads::outcome::{PartySanction, PersonFacts, PersonOutcome};
    use qingfeng_domain::leads::report::{Category, PersonLevel};
    use qingfeng_domain::leads::{Finding, LeadRules, LeadSource};
    use qingfeng_store::leads::{LeadEnv, NewLead, NewPerson, Step};
    let l = app.db.store.leads();
    let cal = qingfeng_domain::calendar::Calendar::builtin();
    let rules = LeadRules::DEFAULT;
    let env = LeadEnv { cal: &cal, rules: &rules, today: jiff::civil::date(2026, 5, 11) };
    let (h, ap) = (qingfeng_store::Who::account(f.officer.id, "officer"), qingfeng_store::Who::account(f.auditor.id, "leader"));
    let ha = LeadActor { id: f.officer.id, handler: true, approver: false };
    let aa = LeadActor { id: f.auditor.id, handler: false, approver: true };
    let new = |report_id: Option<uuid::Uuid>, summary: &'static str| NewLead {
        source: if report_id.is_some() { LeadSource::Petition } else { LeadSource::Audit }, source_ref: None, report_id, unit_id: f.bureau_b.id,
        subject_unit_id: f.branch_b.id, category: Category::Integrity, level: PersonLevel::Ordinary, subject_name: "治安支队某民警",
        summary, received_on: env.today,
    };
    let go = |id, action, actor, disposal, finding| {
        let l = app.db.store.leads();
        let who = if actor == ha { h.clone() } else { ap.clone() };
        async move { l.act(&who, id, &Step { action, actor, disposal, finding, reason: Some("依规处置") }, &env).await.unwrap() }
    };
    let a = l.register(&h, &new(Some(report.parse().unwrap()), "治安支队某民警违规收取户籍办理费用"), &env).await.unwrap();
    go(a.id, A::Propose, ha, Some(Disposal::Investigation), None).await;
    go(a.id, A::Approve, aa, None, None).await;
    let p = l.add_person(&h, a.id, &NewPerson { person_id: None, name: "治安支队某民警", post: None, level: PersonLevel::Ordinary,
        facts: PersonFacts { party_member: true, holds_party_post: false, public_official: true } }).await.unwrap();
    l.decide_outcome(&h, p.id, &PersonOutcome { party: Some(PartySanction::Warning), ..Default::default() }, None, &env).await.unwrap();
    go(a.id, A::Conclude, aa, None, Some(Finding::Substantiated)).await;
    let inquiry = l.inquiry_of(a.id).await.unwrap().unwrap();
    let b = l.register(&h, &new(None, "治安支队装备采购价格明显偏高"), &env).await.unwrap();
    let r = l.refer(&h, b.id, f.branch_b.id, qingfeng_domain::leads::referral::ReferralTarget::Inspectorate, "治安支队装备采购价格明显偏高，请督察部门核查", "治安支队装备采购移送督察", &env).await.unwrap();
    let c = l.register(&h, &new(None, "治安支队某民警收受红包"), &env).await.unwrap();
    go(c.id, A::Propose, ha, Some(Disposal::TalkOrLetterInquiry), None).await;
    go(c.id, A::Approve, aa, None, None).await;
    go(c.id, A::HoldTalk, ha, None, None).await;
    go(c.id, A::Assess, ha, None, Some(Finding::Unsubstantiated)).await;
    go(c.id, A::Conclude, aa, None, None).await;
    let x = l.propose_clearance(&h, c.id, "治安支队某民警", qingfeng_domain::leads::clearance::ClearanceScope::Person, false, "经核查反映收受红包问题不实").await.unwrap();
    [a.id.to_string(), p.id.to_string(), inquiry.id.to_string(), r.id.to_string(), x.id.to_string()]
}

/// A draft directive, an issued one with a task, and a deadline change request in bureau B.
async fn tasks_in_b(app: &TestApp, f: &Fixture) -> [String; 4] {
    use qingfeng_domain::tasks::deadline::DeadlineChangeInput;
    use qingfeng_domain::tasks::directive::DirectiveInput;
    use qingfeng_domain::tasks::draft::{DraftItem, TaskSpec};
    use qingfeng_domain::tasks::lifecycle::{Capacities, TaskAction};
    use qingfeng_domain::tasks::{TaskRules, TaskStatus};
    let t = app.db.store.tasks();
    let who = qingfeng_test_support::fixtures::who();
    let cal = qingfeng_domain::calendar::Calendar::builtin();
    let rules = TaskRules::DEFAULT;
    let env = qingfeng_store::tasks::Env { cal: &cal, rules: &rules, today: jiff::civil::date(2026, 5, 11) };
    let input = DirectiveInput {
        kind: "文件".into(),
        title: "治安支队专项部署".into(),
        issuing_unit_id: Some(f.bureau_b.id),
        issued_on: "2026-05-11".into(),
        source_text: "一要巡逻勤务规范化。".into(),
        ..Default::default()
    };
    let spec = input.validate().unwrap();
    let items = [DraftItem::from_outline("巡逻勤务规范化", "", vec![0])];
    let draft = t.create_directive(&who, &spec, "{}", &items).await.unwrap();
    let d = t.create_directive(&who, &spec, "{}", &items).await.unwrap();
    let task = TaskSpec {
        title: "巡逻勤务规范化".into(),
        body: None,
        lead_unit_id: f.branch_b.id,
        supporting_unit_ids: vec![],
        owner_id: None,
        supervising_leader_id: None,
        deadline: jiff::civil::date(2026, 9, 30),
        schedule: vec![],
        weight: 1,
    };
    let issued = t.issue(&who, &env, d.id, &[task]).await.unwrap();
    let unit = Capacities { issuer: false, receiving_unit: true };
    t.act(&who, &env, issued[0].id, TaskAction::Accept, unit, None).await.unwrap();
    let req = DeadlineChangeInput { new_deadline: "2026-09-20".into(), reason: "配合专项行动".into() }
        .validate(TaskStatus::Accepted, jiff::civil::date(2026, 9, 30), None, false, env.today)
        .unwrap();
    let x = t.request_deadline(&who, &env, issued[0].id, unit, &req).await.unwrap();
    [draft.id.to_string(), d.id.to_string(), issued[0].id.to_string(), x.id.to_string()]
}

/// A 责任清单 of bureau B with an own item, its occurrences and a 履责记实.
async fn duties_in_b(app: &TestApp, f: &Fixture) -> (String, String) {
    use qingfeng_domain::tasks::duties::{DutyItemInput, DutyRecordInput, ListKind};
    let t = app.db.store.tasks();
    let who = qingfeng_test_support::fixtures::who();
    let today = jiff::civil::date(2026, 5, 11);
    let list = t.create_list(&who, f.bureau_b.id, ListKind::Primary, 2026).await.unwrap();
    let item = DutyItemInput { text: "每季度研判一次治安支队队伍廉政风险".into(), recurrence: "quarterly".into(), ..Default::default() };
    let e = t.add_entry(&who, list.id, &item.validate(ListKind::Primary).unwrap()).await.unwrap();
    let cal = qingfeng_domain::calendar::Calendar::builtin();
    let rules = qingfeng_domain::tasks::TaskRules::DEFAULT;
    let env = qingfeng_store::tasks::Env { cal: &cal, rules: &rules, today };
    t.generate(&who, &env, list.id).await.unwrap();
    let occ = t.duty_occurrences(e.id).await.unwrap();
    let rec = DutyRecordInput { note: "治安支队廉政风险研判会".into(), done_on: "2026-03-30".into() }.validate(today).unwrap();
    t.record_duty(&who, &env, e.id, &rec, Some(occ[0].id)).await.unwrap();
    (list.id.to_string(), e.id.to_string())
}

/// A membership, a meeting and a talk in bureau B.
async fn orglife_in_b(app: &TestApp, f: &Fixture) -> (String, String, String, String) {
    use qingfeng_domain::orglife::input::{MeetingInput, MemberSpec, TalkInput};
    use qingfeng_domain::orglife::MemberStatus;
    let o = app.db.store.orglife();
    let who = qingfeng_test_support::fixtures::who();
    let today = jiff::civil::date(2026, 5, 11);
    let spec = MemberSpec { person_id: f.person_b.id, status: MemberStatus::Formal, joined_on: jiff::civil::date(2010, 7, 1), committee_role: None, cell_id: None, vote_suspended: false };
    let member = o.add_member(&who, f.branch_b.id, &spec, today).await.unwrap();
    let roster = vec![member.roster_entry()];
    let m = MeetingInput { kind: "theme_day".into(), held_on: "2026-05-08".into(), topic: "治安支队主题党日".into(), ..Default::default() };
    let meeting = o.record(&who, f.branch_b.id, &m.validate(&roster, today).unwrap()).await.unwrap();
    let file = o.attach(&who, meeting.id, "治安支队签到表.pdf", "application/pdf", b"%PDF-1.4 sign-in").await.unwrap();
    let t = TalkInput { kind: "reminder".into(), held_on: "2026-05-08".into(), subject: "治安支队谈话提醒".into(), talkers: vec![f.person_b.id], talkees: vec![f.person_a.id], points: "执勤纪律松懈".into(), ..Default::default() };
    let talk = o.record_talk(&who, f.bureau_b.id, &t.validate(today).unwrap()).await.unwrap();
    (member.id.to_string(), meeting.id.to_string(), talk.id.to_string(), file.id.to_string())
}

async fn other_bureau(app: &TestApp, f: &Fixture) -> Other {
    let grant = app.db.store.grants().of_account(f.op_b.id).await.unwrap()[0].id.to_string();
    let filter =
        AuditFilter { entity: Some("person".into()), entity_id: Some(f.person_b.id.to_string()), ..Default::default() };
    let seq =
        app.db.store.audit().list(&[OrgPath::global()], &filter, PageRequest::default()).await.unwrap().items[0].seq;
    let round = crate::rectify_seed::round_in_b(&app.db.store, f).await;
    let (member, meeting, talk, meeting_file) = orglife_in_b(app, f).await;
    let [draft_directive, directive, task, deadline_change] = tasks_in_b(app, f).await;
    let (duty_list, duty_entry) = duties_in_b(app, f).await;
    let (report, release) = report_in_b(app, f).await;
    let [lead, lead_person, inquiry, referral, clearance] = leads_in_b(app, f, &report).await;
    let mut o = Other {
        report,
        release,
        lead,
        lead_person,
        inquiry,
        referral,
        clearance,
        draft_directive,
        directive,
        task,
        deadline_change,
        duty_list,
        duty_entry,
        meeting_file,
        member,
        meeting,
        talk,
        problem: round.problem,
        spot_check: round.spot_check,
        batch: round.batch,
        measure: round.measure,
        evidence: round.evidence,
        extension: round.extension,
        secrets: vec![
            f.bureau_b.name.clone(),
            f.branch_b.name.clone(),
            f.person_b.name.clone(),
            "op-b".into(),
            f.bureau_b.id.to_string(),
            f.person_b.id.to_string(),
            f.op_b.id.to_string(),
            "治安支队主题党日".into(),
            "治安支队谈话提醒".into(),
            "执勤纪律松懈".into(),
            "治安支队签到表".into(),
            "治安支队专项部署".into(),
            "巡逻勤务规范化".into(),
            "配合专项行动".into(),
            "反映治安支队违规收费".into(),
            "违规收取费用".into(),
            "治安支队某民警".into(),
            "治安支队装备采购".into(),
            "XS-2026".into(),
            "每季度研判一次治安支队队伍廉政风险".into(),
            "治安支队廉政风险研判会".into(),
        ],
        bureau: f.bureau_b.id.to_string(),
        branch: f.branch_b.id.to_string(),
        person: f.person_b.id.to_string(),
        account: f.op_b.id.to_string(),
        grant,
        seq,
        own_branch: f.branch_a.id.to_string(),
        own_person: f.person_a.id.to_string(),
    };
    o.secrets.extend(round.secrets);
    o
}

/// Every registered route must be in the tables.
fn assert_all_routes_classified(html: &[Case], api: &[Case]) {
    let have: BTreeSet<(String, String)> =
        html.iter().chain(api).map(|c| (c.method.to_string(), c.template.to_string())).collect();
    let mut missing = Vec::new();
    for (m, p) in qingfeng_web::routes::pages().list() {
        if !have.contains(&(m.to_string(), p.to_string())) {
            missing.push(format!("{m} {p}"));
        }
    }
    let doc = serde_json::to_value(qingfeng_web::api::openapi()).unwrap();
    for (path, item) in doc["paths"].as_object().unwrap() {
        for m in item.as_object().unwrap().keys() {
            let m = m.to_uppercase();
            if !have.contains(&(m.clone(), path.clone())) {
                missing.push(format!("{m} {path}"));
            }
        }
    }
    assert!(missing.is_empty(), "routes not covered by the access walk: {missing:#?}");
}

async fn send(s: &Session, token: Option<&str>, c: &Case) -> (StatusCode, String) {
    let method = Method::from_bytes(c.method.as_bytes()).unwrap();
    let res = if let Some(t) = token {
        let mut rb = s.client.request(method, s.url(&c.url)).bearer_auth(t);
        if let Some(j) = &c.json {
            rb = rb.json(j);
        }
        rb.send().await.unwrap()
    } else if let Some(j) = &c.json {
        s.json(method, &c.url, j).await
    } else if c.url.starts_with("/api/") && c.method != "GET" {
        // A same-site script's write: Origin set, no body.
        s.client.request(method, s.url(&c.url)).header("origin", s.base.as_str()).send().await.unwrap()
    } else if c.method == "POST" {
        let fields: Vec<(&str, &str)> = c.form.iter().map(|(k, v)| (*k, v.as_str())).collect();
        s.post_form(&c.url, &fields).await
    } else {
        s.client.request(method, s.url(&c.url)).send().await.unwrap()
    };
    let status = res.status();
    (status, res.text().await.unwrap_or_default())
}

async fn walk(label: &str, s: &Session, token: Option<&str>, cases: &[Case], o: &Other) -> usize {
    let mut walked = 0;
    for c in cases {
        if let Expect::Skip(reason) = c.expect {
            eprintln!("[{label}] not walked: {} {}: {reason}", c.method, c.template);
            continue;
        }
        let (status, body) = send(s, token, c).await;
        match c.expect {
            Expect::NotFound => {
                assert_eq!(
                    status,
                    StatusCode::NOT_FOUND,
                    "[{label}] {} {} should be 404, got {status}: {body:.300}",
                    c.method,
                    c.url
                )
            }
            Expect::Denied => assert!(
                matches!(status, StatusCode::NOT_FOUND | StatusCode::FORBIDDEN),
                "[{label}] {} {} should be refused, got {status}: {body:.300}",
                c.method,
                c.url
            ),
            Expect::NoLeak => assert!(!status.is_server_error(), "[{label}] {} {} answered {status}", c.method, c.url),
            Expect::Skip(_) => {}
        }
        for secret in &o.secrets {
            // An id the request itself carried may be echoed (e.g. in the language switch link).
            if c.url.contains(secret.as_str())
                || c.json.as_ref().is_some_and(|j| j.to_string().contains(secret.as_str()))
            {
                continue;
            }
            assert!(!body.contains(secret.as_str()), "[{label}] {} {} leaks `{secret}`", c.method, c.url);
        }
        walked += 1;
    }
    walked
}

#[tokio::test]
async fn actors_outside_scope_get_not_found_on_every_route() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let o = other_bureau(&app, &f).await;
    let html = html_cases(&o);
    let api = api_cases(&o);
    assert_all_routes_classified(&html, &api);

    let events_in_b = |app: &TestApp| {
        let store = app.db.store.clone();
        let scope = f.bureau_b.path.clone();
        async move { store.audit().list(&[scope], &AuditFilter::default(), PageRequest::default()).await.unwrap().total }
    };
    let before = events_in_b(&app).await;
    let name_before = app.db.store.orgs().get(f.bureau_b.id).await.unwrap().name;

    // Through the UI: a unit operator and a branch secretary of bureau A.
    let mut walked = 0;
    for user in ["op-a", "secretary-a"] {
        let s = app.login(user, PASSWORD).await;
        walked += walk(&format!("ui {user}"), &s, None, &html, &o).await;
        // The API with the browser session (same-site Origin).
        walked += walk(&format!("api-cookie {user}"), &s, None, &api, &o).await;
    }
    // The API with a bearer token of bureau A's operator.
    let token = app.token(f.op_a.id).await;
    let s = app.anonymous().await;
    walked += walk("api-token op-a", &s, Some(&token), &api, &o).await;

    // The operator may manage its own records, so pointing one at bureau B
    // must fail on bureau B being invisible: 404, not 403.
    let op = app.login("op-a", PASSWORD).await;
    for (url, fields) in [
        (format!("/orgs/{}/move", o.own_branch), [("parent_id", o.bureau.as_str())]),
        (format!("/people/{}/transfer", o.own_person), [("org_unit_id", o.branch.as_str())]),
    ] {
        assert_eq!(op.post_form(&url, &fields).await.status(), StatusCode::NOT_FOUND, "{url}");
    }

    assert_eq!(events_in_b(&app).await, before, "nothing in bureau B was changed");
    assert_eq!(app.db.store.orgs().get(f.bureau_b.id).await.unwrap().name, name_before);
    eprintln!("access walk: {walked} requests by actors outside bureau B's scope");
}

#[tokio::test]
async fn the_same_records_are_visible_inside_scope() {
    // Guards the walk against passing for the wrong reason (e.g. every URL broken).
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let s = app.login("op-b", PASSWORD).await;
    let o = other_bureau(&app, &f).await;
    for url in [
        format!("/orgs/{}", o.bureau),
        format!("/people/{}", o.person),
        format!("/audit/{}", o.seq),
        format!("/api/v1/orgs/{}/subtree", o.bureau),
        format!("/api/v1/people/{}", o.person),
        format!("/api/v1/audit/events/{}", o.seq),
        format!("/api/v1/rectify/problems/{}", o.problem),
        format!("/api/v1/rectify/board/{}", o.bureau),
        format!("/duties/{}", o.duty_list),
    ] {
        let (status, body) = s.get_text(&url).await;
        assert_eq!(status, StatusCode::OK, "{url}");
        assert!(
            body.contains(&f.bureau_b.name) || body.contains(&f.person_b.name) || body.contains(&f.branch_b.name),
            "{url}"
        );
    }
    let admin = app.login("admin", PASSWORD).await;
    assert_eq!(admin.get(&format!("/admin/accounts/{}", o.account)).await.status(), StatusCode::OK);
    assert_eq!(admin.get(&format!("/api/v1/accounts/{}", o.account)).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn lists_show_only_the_actors_subtree() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let token = app.token(f.op_a.id).await;
    let client = app.client();
    let people: serde_json::Value =
        client.get(app.url("/api/v1/people")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    let names: Vec<&str> = people["items"].as_array().unwrap().iter().map(|p| p["name"].as_str().unwrap()).collect();
    assert_eq!(names, vec![f.person_a.name.as_str()]);
    let roots: serde_json::Value =
        client.get(app.url("/api/v1/orgs/roots")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(roots.as_array().unwrap().len(), 1);
    assert_eq!(roots[0]["id"], f.bureau_a.id.to_string(), "nothing above the grant's unit");
    let events: serde_json::Value = client
        .get(app.url("/api/v1/audit/events?per_page=200"))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(events["total"].as_i64().unwrap() > 0);
    for e in events["items"].as_array().unwrap() {
        assert_ne!(e["org_unit_id"], json!(f.bureau_b.id.to_string()));
        assert_ne!(e["org_unit_id"], serde_json::Value::Null, "deployment-wide events are not in a bureau's scope");
    }
}

#[tokio::test]
async fn a_subtree_admin_cannot_take_over_an_account_with_wider_grants() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let w = qingfeng_test_support::fixtures::who();
    // A system administrator of bureau A only.
    let admin_a = app
        .db
        .store
        .accounts()
        .create(
            &w,
            &qingfeng_store::accounts::NewAccount {
                username: "admin-a".into(),
                display_name: "局系统管理员".into(),
                org_unit_id: Some(f.bureau_a.id),
                person_id: None,
                password_hash: qingfeng_domain::auth::hash_password(PASSWORD),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    app.db
        .store
        .grants()
        .create(&w, admin_a.id, qingfeng_domain::access::Role::SystemAdmin, Some(f.bureau_a.id))
        .await
        .unwrap();
    // An account that lives in bureau A but supervises the whole city.
    let inspector = app
        .db
        .store
        .accounts()
        .create(
            &w,
            &qingfeng_store::accounts::NewAccount {
                username: "city-inspector".into(),
                display_name: "市纪委派员".into(),
                org_unit_id: Some(f.branch_a.id),
                person_id: None,
                password_hash: qingfeng_domain::auth::hash_password(PASSWORD),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    app.db
        .store
        .grants()
        .create(&w, inspector.id, qingfeng_domain::access::Role::DisciplineOfficer, Some(f.city.id))
        .await
        .unwrap();

    let s = app.login("admin-a", PASSWORD).await;
    let (status, page) = s.get_text(&format!("/admin/accounts/{}", inspector.id)).await;
    assert_eq!(status, StatusCode::OK, "visible: it lives in bureau A");
    assert!(!page.contains("reset-password"), "no buttons that would fail");
    assert!(!page.contains(&f.city.name), "the city-wide grant is not shown, only that one exists");
    assert!(page.contains("管辖范围之外"));
    let api: serde_json::Value = s.get(&format!("/api/v1/accounts/{}", inspector.id)).await.json().await.unwrap();
    assert_eq!(api["grants"], json!([]));
    // A person outside the admin's scope is not named on the account form.
    let (_, form) = s.get_text(&format!("/admin/accounts/new?person={}", f.person_b.id)).await;
    assert!(!form.contains(&f.person_b.name));
    let res = s
        .post_form(
            "/admin/accounts/new",
            &[
                ("username", "1"),
                ("display_name", "x"),
                ("org_unit_id", &f.branch_a.id.to_string()),
                ("person_id", &f.person_b.id.to_string()),
            ],
        )
        .await;
    assert!(!res.text().await.unwrap().contains(&f.person_b.name), "not even on the re-shown form");
    for action in ["reset-password", "disable", "unlock"] {
        let res = s.post_form(&format!("/admin/accounts/{}/{action}", inspector.id), &[]).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "{action}");
        let res = s.json(Method::POST, &format!("/api/v1/accounts/{}/{action}", inspector.id), &json!({})).await;
        assert_eq!(res.status(), StatusCode::FORBIDDEN, "api {action}");
    }
    // Accounts entirely within bureau A stay manageable.
    let res = s.post_form(&format!("/admin/accounts/{}/reset-password", f.secretary_a.id), &[]).await;
    assert_eq!(res.status(), StatusCode::OK);
}
