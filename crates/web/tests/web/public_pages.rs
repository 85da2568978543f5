//! 开门整改 over real HTTP: what the public pages disclose, one rating per
//! receipt, per-client limits, the closure block of 不满意 ratings and who
//! may publish.

use crate::rectify_seed::{batch_with_spec, env};
use jiff::civil::date;
use qingfeng_domain::people::PersonSpec;
use qingfeng_domain::rectify::input::{MeasureSpec, ProblemSpec};
use qingfeng_domain::rectify::lifecycle::{Capacities, ProblemAction};
use qingfeng_domain::rectify::{ProblemStatus, RootCause, Source};
use qingfeng_store::Engine;
use qingfeng_store::rectify::EvidenceFile;
use qingfeng_test_support::fixtures::{PASSWORD, who};
use qingfeng_test_support::{Fixture, Session, TestApp};
use qingfeng_web::WebConfig;
use qingfeng_web::throttle::PublicLimits;
use reqwest::StatusCode;
use uuid::Uuid;

const DESCRIPTION: &str = "老旧小区加装电梯审批环节多、办理周期长，群众反映强烈";
const OWNER: &str = "欧阳铁柱";
const LEADER: &str = "司马青云";
const DEADLINE: &str = "2027-06-30";
const MEASURE: &str = "精简加装电梯联合审批流程";
const EVIDENCE_FILE: &str = "审批流程内部台账.pdf";
const EVIDENCE_NOTE: &str = "内部说明：涉及三名经办人员约谈情况";

/// A problem the city issued to branch A, with a named leader and owner,
/// a measure due on the deadline itself and a file of evidence.
async fn seed(app: &TestApp, f: &Fixture) -> Uuid {
    let store = &app.db.store;
    let person = |name: &str| PersonSpec {
        name: name.into(),
        gender: None,
        position: Some("科长".into()),
        is_party_member: true,
        is_head: false,
        is_leadership_member: false,
        sort_order: 0,
    };
    let owner = store.people().create(&who(), f.branch_a.id, &person(OWNER)).await.unwrap();
    let leader = store.people().create(&who(), f.branch_a.id, &person(LEADER)).await.unwrap();
    let spec = ProblemSpec {
        description: DESCRIPTION.into(),
        root_cause: RootCause::Responsibility,
        eight_rules: None,
        campaign_id: None,
        lead_unit_id: f.branch_a.id,
        supporting_unit_ids: vec![],
        leader_id: Some(leader.id),
        owner_id: Some(owner.id),
        deadline: date(2027, 6, 30),
        schedule: vec![],
    };
    let (_, p) =
        batch_with_spec(store, (f.city.id, Source::Patrol, "市委第二轮巡察反馈意见", date(2026, 3, 16)), &spec).await;
    let r = store.rectify();
    let unit = Capacities { lead_unit: true, ..Capacities::default() };
    r.act(&who(), &env(), p.id, ProblemAction::Claim, unit, None).await.unwrap();
    let m = r
        .add_measure(
            &who(),
            &env(),
            p.id,
            None,
            &MeasureSpec { title: MEASURE.into(), owner_id: Some(owner.id), due_on: date(2027, 6, 30) },
        )
        .await
        .unwrap();
    let file = EvidenceFile { name: EVIDENCE_FILE, content_type: "application/pdf", bytes: b"%PDF-1.4 ledger" };
    r.add_evidence(&who(), m.id, Some(EVIDENCE_NOTE), Some(file), date(2026, 5, 9), None).await.unwrap();
    p.id
}

/// The app with the test city and the seeded problem.
async fn setup() -> (TestApp, Fixture, Uuid) {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let p = seed(&app, &f).await;
    (app, f, p)
}

/// The problem ready for review: its measure done and closure requested.
async fn request_closure(app: &TestApp, p: Uuid) {
    let r = app.db.store.rectify();
    let m = r.measures_of(p).await.unwrap()[0].id;
    r.complete_measure(&who(), &env(), m).await.unwrap();
    let unit = Capacities { lead_unit: true, ..Capacities::default() };
    r.act(&who(), &env(), p, ProblemAction::RequestClosure, unit, None).await.unwrap();
}

fn fields(list: &[&str]) -> Vec<(&'static str, &'static str)> {
    ["lead_unit", "deadline", "measures", "progress", "status"]
        .into_iter()
        .filter(|f| list.contains(f))
        .map(|f| (f, "1"))
        .collect()
}

async fn publish(s: &Session, p: Uuid, list: &[&str]) -> StatusCode {
    s.post_form(&format!("/rectify/problems/{p}/publish"), &fields(list)).await.status()
}

/// The value of the rating form's receipt.
fn receipt_in(html: &str) -> String {
    let key = "name=\"receipt\" value=\"";
    let i = html.find(key).expect("a rating form") + key.len();
    html[i..i + html[i..].find('"').unwrap()].to_string()
}

/// A citizen opens the page (taking a receipt) and rates.
async fn rate(s: &Session, p: Uuid, rating: &str, comment: &str) -> (StatusCode, String) {
    let (status, page) = s.get_text(&format!("/public/rectify/{p}")).await;
    assert_eq!(status, StatusCode::OK);
    let receipt = receipt_in(&page);
    rate_with(s, p, &receipt, rating, comment).await
}

async fn rate_with(s: &Session, p: Uuid, receipt: &str, rating: &str, comment: &str) -> (StatusCode, String) {
    let res = s
        .post_form(
            &format!("/public/rectify/{p}/rate"),
            &[("receipt", receipt), ("rating", rating), ("comment", comment)],
        )
        .await;
    let status = res.status();
    (status, res.text().await.unwrap())
}

#[tokio::test]
async fn the_public_page_shows_the_disclosed_fields_only() {
    let (app, f, p) = setup().await;
    let citizen = app.anonymous().await;
    // Not published: not there at all.
    assert_eq!(citizen.get(&format!("/public/rectify/{p}")).await.status(), StatusCode::NOT_FOUND);
    let (_, list) = citizen.get_text("/public/rectify").await;
    assert!(!list.contains(DESCRIPTION));

    let officer = app.login("officer", PASSWORD).await;
    assert_eq!(publish(&officer, p, &["measures", "progress", "status"]).await, StatusCode::SEE_OTHER);
    let (status, list) = citizen.get_text("/public/rectify").await;
    assert_eq!(status, StatusCode::OK);
    let (status, detail) = citizen.get_text(&format!("/public/rectify/{p}")).await;
    assert_eq!(status, StatusCode::OK);
    for page in [&list, &detail] {
        assert!(page.contains(DESCRIPTION));
        for never in [
            OWNER,
            LEADER,
            DEADLINE,
            EVIDENCE_FILE,
            EVIDENCE_NOTE,
            &f.branch_a.name,
            "/rectify/problems",
            "/rectify/evidence",
            "退出",
        ] {
            assert!(!page.contains(never), "`{never}` must not be shown");
        }
    }
    assert!(detail.contains(MEASURE) && detail.contains("推进中"), "measures disclosed, without their due date");
    assert!(detail.contains("整改中"), "status disclosed");
    // The lead unit is not disclosed, so the unit filter does not offer it.
    let (_, filtered) = citizen.get_text(&format!("/public/rectify?unit={}", f.branch_a.id)).await;
    assert!(!filtered.contains(DESCRIPTION));

    // Disclosing the lead unit and the deadline shows them — never the persons.
    assert_eq!(publish(&officer, p, &["lead_unit", "deadline", "measures"]).await, StatusCode::SEE_OTHER);
    let (_, detail) = citizen.get_text(&format!("/public/rectify/{p}")).await;
    assert!(detail.contains(DEADLINE) && detail.contains(&f.branch_a.name));
    assert!(!detail.contains("整改中"), "status no longer disclosed");
    for never in [OWNER, LEADER, EVIDENCE_FILE, EVIDENCE_NOTE] {
        assert!(!detail.contains(never), "`{never}` must not be shown");
    }
    let (_, filtered) = citizen.get_text(&format!("/public/rectify?unit={}", f.branch_a.id)).await;
    assert!(filtered.contains(DESCRIPTION));

    // Withdrawn: gone again, and cannot be rated.
    let res = officer.post_form(&format!("/rectify/problems/{p}/unpublish"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(citizen.get(&format!("/public/rectify/{p}")).await.status(), StatusCode::NOT_FOUND);
    let (status, _) = rate_with(&citizen, p, "x", "satisfied", "").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    // Publishing nothing is not how one withdraws.
    let (status, page) = {
        let r = officer.post_form(&format!("/rectify/problems/{p}/publish"), &[]).await;
        (r.status(), r.text().await.unwrap())
    };
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("请至少勾选一项公开内容"));
    assert!(!app.db.store.rectify().get(p).await.unwrap().published);
}

#[tokio::test]
async fn public_pages_need_no_login_and_the_login_page_points_to_them() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let res = client.get(app.url("/public/rectify")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK, "no session, no redirect to /login");
    let page = res.text().await.unwrap();
    assert!(page.contains("整改进展公开") && !page.contains("mainnav"), "own frame, no staff navigation");
    let (_, login) = app.anonymous().await.get_text("/login").await;
    assert!(login.contains("href=\"/public/rectify\"") && login.contains("整改公开"));
    // The staff side is not open: it asks for a login.
    let res = client.post(app.url(&format!("/rectify/problems/{}/publish", Uuid::now_v7()))).send().await.unwrap();
    assert_ne!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn a_receipt_rates_once_and_forged_or_expired_receipts_are_refused() {
    let (app, _, p) = setup().await;
    let officer = app.login("officer", PASSWORD).await;
    assert_eq!(publish(&officer, p, &["measures", "status"]).await, StatusCode::SEE_OTHER);
    let citizen = app.anonymous().await;
    let (_, page) = citizen.get_text(&format!("/public/rectify/{p}")).await;
    let receipt = receipt_in(&page);

    // Bad input: every field named, what was typed kept, the receipt not spent.
    let long = "电".repeat(301);
    let (status, page) = rate_with(&citizen, p, &receipt, "", &long).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(
        page.contains("id=\"err-rating\"") && page.contains("id=\"err-comment\"") && page.contains("不能超过300个字")
    );
    assert!(page.contains(&long), "the comment is kept");
    let (status, page) = rate_with(&citizen, p, &receipt, "dissatisfied", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("请简要说明原因"));

    // The first use counts and shows a receipt code.
    let (status, page) = rate_with(&citizen, p, &receipt, "basic", "审批快了一些，但材料还是要跑两趟").await;
    assert_eq!(status, StatusCode::OK);
    let hash = qingfeng_web::receipt::receipt_hash(&receipt);
    assert!(page.contains(&qingfeng_web::receipt::receipt_code(&hash)) && page.contains("感谢您的评议"));
    // The second is refused.
    let (status, page) = rate_with(&citizen, p, &receipt, "satisfied", "").await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert!(page.contains("已使用"));

    // A forged receipt and an expired one are refused; nothing is stored for them.
    let mut forged = receipt_in(&citizen.get_text(&format!("/public/rectify/{p}")).await.1).into_bytes();
    forged[10] = if forged[10] == b'A' { b'B' } else { b'A' };
    let (status, page) = rate_with(&citizen, p, &String::from_utf8(forged).unwrap(), "satisfied", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("评议凭证无效"));
    let old = qingfeng_web::receipt::mint(
        &app.state.config.form_key,
        qingfeng_web::rectify::public::RECEIPT_PURPOSE,
        p,
        jiff::Timestamp::now().as_second() - qingfeng_web::rectify::public::RECEIPT_MAX_AGE - 60,
    );
    let (status, page) = rate_with(&citizen, p, &old, "satisfied", "很好").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(page.contains("已过期") && page.contains("很好"), "expired, and what was typed is kept");
    // A receipt for another problem does not fit this one.
    let other = qingfeng_web::receipt::mint(
        &app.state.config.form_key,
        qingfeng_web::rectify::public::RECEIPT_PURPOSE,
        Uuid::now_v7(),
        jiff::Timestamp::now().as_second(),
    );
    assert_eq!(rate_with(&citizen, p, &other, "satisfied", "").await.0, StatusCode::UNPROCESSABLE_ENTITY);
    // Without the anonymous CSRF token (like the login form): refused.
    let res = citizen
        .post_raw_form(&format!("/public/rectify/{p}/rate"), &[("receipt", receipt.as_str()), ("rating", "satisfied")])
        .await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);

    let ratings = app.db.store.rectify().ratings(p).await.unwrap();
    assert_eq!(ratings.len(), 1);
    assert_eq!(ratings[0].receipt_hash, hash, "only the hash of the receipt is kept");
    // The issuing side sees the comment with the same code.
    let (_, staff) = officer.get_text(&format!("/rectify/problems/{p}")).await;
    assert!(staff.contains("材料还是要跑两趟") && staff.contains(&qingfeng_web::receipt::receipt_code(&hash)));
}

#[tokio::test]
async fn too_many_requests_from_one_address_get_a_429_page() {
    let limits = PublicLimits { pages: "4/m".parse().unwrap(), ratings: "2/h".parse().unwrap(), ..Default::default() };
    let app = TestApp::spawn_on(Engine::Sqlite, WebConfig { public_limits: limits, ..WebConfig::default() }).await;
    let f = Fixture::build(&app.db.store).await;
    let p = seed(&app, &f).await;
    app.db.store.rectify().publish(&who(), p, &["status".to_string()]).await.unwrap();
    let citizen = app.anonymous().await;
    assert_eq!(rate(&citizen, p, "satisfied", "").await.0, StatusCode::OK);
    assert_eq!(rate(&citizen, p, "basic", "").await.0, StatusCode::OK);
    let (_, page) = citizen.get_text(&format!("/public/rectify/{p}")).await;
    let res = citizen
        .post_form(&format!("/public/rectify/{p}/rate"), &[("receipt", &receipt_in(&page)), ("rating", "satisfied")])
        .await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS, "third rating within the hour");
    assert!(res.headers().get("retry-after").is_some());
    let body = res.text().await.unwrap();
    assert!(body.contains("操作过于频繁") && body.contains("分钟后再试") && !body.contains("mainnav"), "{body:.400}");
    // Three page views so far: one more is allowed, then 429.
    assert_eq!(citizen.get("/public/rectify").await.status(), StatusCode::OK);
    let res = citizen.get("/public/rectify").await;
    assert_eq!(res.status(), StatusCode::TOO_MANY_REQUESTS);
    assert_eq!(app.db.store.rectify().ratings(p).await.unwrap().len(), 2);
    // Staff pages are not limited by it.
    let officer = app.login("officer", PASSWORD).await;
    assert_eq!(officer.get(&format!("/rectify/problems/{p}")).await.status(), StatusCode::OK);
}

#[tokio::test]
async fn unreviewed_dissatisfied_ratings_block_closure_until_reviewed() {
    let (app, _, p) = setup().await;
    request_closure(&app, p).await;
    let officer = app.login("officer", PASSWORD).await;
    assert_eq!(publish(&officer, p, &["measures", "progress", "status"]).await, StatusCode::SEE_OTHER);
    let threshold = app.state.config.rules.rectify.dissatisfied_block;
    let citizen = app.anonymous().await;
    for i in 0..threshold {
        let (status, _) = rate(&citizen, p, "dissatisfied", &format!("电梯审批还是要跑好几个部门（{i}）")).await;
        assert_eq!(status, StatusCode::OK);
    }
    assert_eq!(rate(&citizen, p, "satisfied", "").await.0, StatusCode::OK);

    // 销号 is refused with the reason, and the page points at 复核.
    let res = officer.post_form(&format!("/rectify/problems/{p}/act"), &[("action", "close")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY, "the page again, with the refusal");
    let page = res.text().await.unwrap();
    assert!(page.contains(&format!("群众评议有{threshold}条“不满意”尚未复核")), "{page:.300}");
    assert!(page.contains("/ratings/review") && page.contains("复核不满意评议"));
    assert_eq!(app.db.store.rectify().get(p).await.unwrap().status(), ProblemStatus::ClosureRequested);
    // The lead unit sees why, but has no review button.
    let op = app.login("op-a", PASSWORD).await;
    let (_, page) = op.get_text(&format!("/rectify/problems/{p}")).await;
    assert!(page.contains("复核前不能销号") && !page.contains("/ratings/review") && !page.contains("/publish\""));
    assert!(page.contains("电梯审批还是要跑好几个部门"));
    let res = op.post_form(&format!("/rectify/problems/{p}/ratings/review"), &[]).await;
    assert!(matches!(res.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{}", res.status());

    // After 复核 the closure goes through.
    let res = officer.post_form(&format!("/rectify/problems/{p}/ratings/review"), &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let summary = app.db.store.rectify().rating_summary(p).await.unwrap();
    assert_eq!((summary.dissatisfied, summary.unreviewed_dissatisfied), (i64::from(threshold), 0));
    let (_, page) = officer.get_text(&format!("/rectify/problems/{p}")).await;
    assert!(!page.contains("复核前不能销号"));
    let res = officer.post_form(&format!("/rectify/problems/{p}/act"), &[("action", "close")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.db.store.rectify().get(p).await.unwrap().status(), ProblemStatus::Closed);
}

#[tokio::test]
async fn only_the_issuing_side_publishes_and_reviews() {
    let (app, _, p) = setup().await;
    // The lead unit: may see the problem, may not publish it.
    let op = app.login("op-a", PASSWORD).await;
    let (_, page) = op.get_text(&format!("/rectify/problems/{p}")).await;
    assert!(page.contains("由问题交办单位决定是否向社会公开") && !page.contains("/publish\""));
    for url in [
        format!("/rectify/problems/{p}/publish"),
        format!("/rectify/problems/{p}/unpublish"),
        format!("/rectify/problems/{p}/ratings/review"),
    ] {
        let res = op.post_form(&url, &fields(&["status"])).await;
        assert!(matches!(res.status(), StatusCode::FORBIDDEN | StatusCode::NOT_FOUND), "{url}: {}", res.status());
        // Another bureau: not even there.
        let b = app.login("op-b", PASSWORD).await;
        assert_eq!(b.post_form(&url, &fields(&["status"])).await.status(), StatusCode::NOT_FOUND, "{url}");
    }
    assert!(!app.db.store.rectify().get(p).await.unwrap().published);
    // The issuing side: the form is there and works.
    let officer = app.login("officer", PASSWORD).await;
    let (_, page) = officer.get_text(&format!("/rectify/problems/{p}")).await;
    assert!(page.contains(&format!("/rectify/problems/{p}/publish")));
    assert_eq!(publish(&officer, p, &["status"]).await, StatusCode::SEE_OTHER);
    let problem = app.db.store.rectify().get(p).await.unwrap();
    assert!(problem.published);
    assert_eq!(problem.public_field_list(), vec!["status".to_string()]);
}
