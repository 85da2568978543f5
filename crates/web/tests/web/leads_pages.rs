//! 信访举报 over HTTP and in a real browser: a citizen files a real-name
//! report with an attachment and gets a receipt code; the code follows the
//! report and wrong codes are throttled; the office sees the content but
//! never the identity, is offered a re-worded report as a 重复件 (and not an
//! unrelated one), accepts; a second officer approves an identity release,
//! read once and recorded; the identity is nowhere in the database file.

use qingfeng_domain::access::Role;
use qingfeng_test_support::fixtures::PASSWORD;
use qingfeng_test_support::{Fixture, Session, TestApp};
use qingfeng_web::WebConfig;
use reqwest::StatusCode;
use std::sync::Arc;

const NAME: &str = "欧阳明远";
const ID_NUMBER: &str = "11010519491231002X";
const PHONE: &str = "13912345678";
const FIRST: &str = "丰林县自然资源局王某某在2025年春节期间收受辖区内三家砂石企业购物卡共计2万元，并多次接受企业老板宴请，在办理采矿许可证延续时为其提供便利。";
const REWORDED: &str = "王某某（丰林县自然资源局）在办理采矿许可证延续时为三家砂石企业提供便利，2025年春节期间收受这些企业的购物卡共计2万元，还多次接受老板宴请。";
const UNRELATED: &str = "丰林县自然资源局办公楼装修工程未按规定公开招标，由局里临时指定施工单位，工程款超出预算较多，群众意见较大。";
/// The smallest PNG: signature, IHDR, IDAT, IEND.
const PNG: &[u8] = &[
    0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 13, 0x49, 0x48, 0x44, 0x52, 0, 0, 0, 1, 0, 0, 0, 1, 8, 6, 0, 0, 0, 0x1f, 0x15, 0xc4,
    0x89, 0, 0, 0, 10, 0x49, 0x44, 0x41, 0x54, 0x78, 0x9c, 0x63, 0, 1, 0, 0, 5, 0, 1, 0x0d, 0x0a, 0x2d, 0xb4, 0, 0, 0, 0, 0x49, 0x45, 0x4e, 0x44,
    0xae, 0x42, 0x60, 0x82,
];

pub fn sealing_config() -> WebConfig {
    let key = qingfeng_seal::SealKey::generate("office-test").unwrap();
    WebConfig { seal: Some(Arc::new(qingfeng_seal::Keyring::new(key))), ..WebConfig::default() }
}

async fn file_report(s: &Session, content: &str, real: bool, file: Option<(&str, &[u8])>) -> reqwest::Response {
    post_report(s, "/public/report", "online", content, real, file).await
}

async fn post_report(s: &Session, path: &str, channel: &str, content: &str, real: bool, file: Option<(&str, &[u8])>) -> reqwest::Response {
    let boundary = "----qingfeng-report-boundary-3f1d";
    let mut body = Vec::new();
    let mut field = |name: &str, value: &str| {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    };
    field("_csrf", &s.csrf);
    let real_flag = if real { "1" } else { "0" };
    let fields = [
        ("channel", channel),
        ("kind", "accusation"),
        ("category", "integrity"),
        ("reported_name", "王某某"),
        ("reported_unit", "丰林县自然资源局"),
        ("reported_level", "township_or_below"),
        ("title", "反映王某某有关问题"),
        ("content", content),
        ("real_name", real_flag),
        ("reporter_name", if real { NAME } else { "" }),
        ("reporter_id_number", if real { ID_NUMBER } else { "" }),
        ("reporter_phone", if real { PHONE } else { "" }),
    ];
    for (k, v) in fields {
        field(k, v);
    }
    if let Some((name, bytes)) = file {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"files\"; filename=\"{name}\"\r\nContent-Type: image/png\r\n\r\n").as_bytes());
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    s.client.post(s.url(path)).header("content-type", format!("multipart/form-data; boundary={boundary}")).body(body).send().await.unwrap()
}

fn receipt_code(page: &str) -> String {
    let i = page.find("id=\"receipt-code\">").expect("a receipt code") + "id=\"receipt-code\">".len();
    page[i..i + page[i..].find('<').unwrap()].to_string()
}

/// An anonymous visitor with the pre-login CSRF token of the public form.
async fn citizen(app: &TestApp) -> Session {
    let mut s = app.anonymous().await;
    let page = s.client.get(s.url("/public/report")).send().await.unwrap().text().await.unwrap();
    s.csrf = qingfeng_test_support::app::csrf_in(&page).expect("a form token");
    s
}

pub async fn leader_account(app: &TestApp, f: &Fixture) {
    use qingfeng_store::accounts::NewAccount;
    let who = qingfeng_test_support::fixtures::who();
    let a = app
        .db
        .store
        .accounts()
        .create(&who, &NewAccount { username: "leader".into(), display_name: "纪委副书记".into(), org_unit_id: Some(f.city.id), person_id: None, password_hash: qingfeng_domain::auth::hash_password(PASSWORD), must_change_password: false })
        .await
        .unwrap();
    app.db.store.grants().create(&who, a.id, Role::DisciplineLeader, Some(f.city.id)).await.unwrap();
}

#[tokio::test]
async fn a_real_name_report_is_followed_by_code_deduplicated_accepted_and_its_identity_released_once() {
    let app = TestApp::spawn_on(qingfeng_store::Engine::Sqlite, sealing_config()).await;
    let f = Fixture::build(&app.db.store).await;
    leader_account(&app, &f).await;
    let c = citizen(&app).await;
    let res = file_report(&c, FIRST, true, Some(("现场照片.png", PNG))).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.headers()["cache-control"], "no-store");
    let code = receipt_code(&res.text().await.unwrap());
    assert_eq!(code.replace(' ', "").len(), 16);
    let copy = citizen(&app).await;
    assert_eq!(file_report(&copy, REWORDED, false, None).await.status(), StatusCode::OK);
    assert_eq!(file_report(&copy, UNRELATED, false, None).await.status(), StatusCode::OK);

    // The code follows the report; the code itself is stored nowhere.
    let res = c.post_form("/public/report/follow", &[("code", &code)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, status) = c.get_text("/public/report/status").await;
    assert!(status.contains("已收到，正在登记审查"), "the stage as domain::leads::feedback projects it: {status}");

    // The office: content visible, identity never; the re-worded copy is offered, the unrelated one not.
    let officer = app.login("officer", PASSWORD).await;
    let (_, home) = officer.get_text("/").await;
    assert!(home.contains("待受理｜反映王某某有关问题"), "reports to accept wait in 我的待办");
    let (_, list) = officer.get_text("/leads").await;
    let first = app.db.store.leads().list(&[qingfeng_domain::org::OrgPath::global()], None, Default::default()).await.unwrap();
    let by_content = |t: &str| first.items.iter().find(|r| r.content == t).unwrap().id;
    let (id1, id2, id3) = (by_content(FIRST), by_content(REWORDED), by_content(UNRELATED));
    assert!(list.contains("反映王某某有关问题"));
    let (_, p2) = officer.get_text(&format!("/leads/reports/{id2}")).await;
    assert!(p2.contains(&format!("/leads/reports/{id1}")) && p2.contains("疑似重复件"), "offered as a duplicate");
    let (_, p3) = officer.get_text(&format!("/leads/reports/{id3}")).await;
    assert!(!p3.contains(&format!("name=\"of\" value=\"{id1}\"")), "an unrelated report about the same unit is not offered");
    // Full-text search (jieba words, highlighted), within the officer's scope.
    let (_, found) = officer.get_text("/leads?q=砂石企业 购物卡").await;
    assert!(found.contains(&format!("/leads/reports/{id1}")) && found.contains(&format!("/leads/reports/{id2}")), "{found}");
    assert!(found.contains("<b>"), "matched words are highlighted");
    let hits = found.split("id=\"search-hits\"").nth(1).and_then(|h| h.split("</section>").next()).unwrap_or("");
    assert!(!hits.contains(&format!("/leads/reports/{id3}")), "the unrelated report does not match");
    let (_, p1) = officer.get_text(&format!("/leads/reports/{id1}")).await;
    assert!(p1.contains("砂石企业") && p1.contains("现场照片.png"));
    assert!(p1.contains("id=\"route-hint\"") && p1.contains("应转县级纪委监委办理"), "分级负责: a township-level cadre is handled by the county");
    let a = f.bureau_a.id.to_string();
    assert_eq!(officer.post_form(&format!("/leads/reports/{id1}/accept"), &[("handling_unit_id", &a), ("category", "integrity")]).await.status(), StatusCode::SEE_OTHER);
    let (_, status) = c.get_text("/public/report/status").await;
    assert!(status.contains("已受理") && status.contains("JB-"), "the reporter sees the acceptance");
    let dup = officer.post_form(&format!("/leads/reports/{id2}/duplicate"), &[("of", &id1.to_string()), ("similarity", "72")]).await;
    assert_eq!(dup.status(), StatusCode::SEE_OTHER);

    // The reporter was told of the acceptance (once); the report becomes a lead at the city's 纪委.
    assert_eq!(officer.post_form(&format!("/leads/reports/{id1}/notice"), &[]).await.status(), StatusCode::SEE_OTHER);
    assert!(officer.post_form(&format!("/leads/reports/{id1}/notice"), &[]).await.text().await.unwrap().contains("已告知"));
    let ccdi = super::lead_pages::discipline_commission(&app, &f).await.id.to_string();
    let (_, form) = officer.get_text(&format!("/leads/ledger/new?report={id1}")).await;
    assert!(form.contains("砂石企业") && form.contains("王某某"), "the lead form starts from the report");
    let today = jiff::Zoned::now().date().to_string();
    let res = officer.post_form(&format!("/leads/ledger/new?report={id1}"), &[("source", "petition"), ("unit_id", &ccdi), ("subject_unit_id", &a),
        ("category", "integrity"), ("level", "county"), ("subject_name", "王某某，丰林县自然资源局副局长"), ("received_on", &today), ("summary", FIRST)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let lead_url = res.headers()["location"].to_str().unwrap().to_string();
    let (_, status) = c.get_text("/public/report/status").await;
    assert!(status.contains("正在办理"), "the reporter sees the stage the lead reached: {status}");
    officer.post_form(&format!("{lead_url}/act"), &[("action", "propose"), ("disposal", "concluded"), ("reason", "反映问题已在专项整治中查处")]).await;
    let approver = app.login("leader", PASSWORD).await;
    assert_eq!(approver.post_form(&format!("{lead_url}/act"), &[("action", "approve")]).await.status(), StatusCode::SEE_OTHER);
    let result = "您反映的问题已查实并依规处理，感谢您的监督。";
    assert_eq!(officer.post_form(&format!("{lead_url}/feedback"), &[("text", result)]).await.status(), StatusCode::SEE_OTHER);
    let (_, status) = c.get_text("/public/report/status").await;
    assert!(status.contains("已办结") && status.contains(result), "the result fed back: {status}");
    assert!(!status.contains("予以了结") && !status.contains("专项整治中查处"), "nothing internal reaches the reporter");

    // Identity: asked, approved by a second person, read once, recorded.
    officer.post_form(&format!("/leads/reports/{id1}/release"), &[("text", "需当面核实举报内容")]).await;
    let rel = app.db.store.leads().releases(id1).await.unwrap()[0].id;
    let res = officer.post_form(&format!("/leads/releases/{rel}/decide"), &[("decision", "approve")]).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN, "the one who asked has no ReleaseIdentity");
    let leader = app.login("leader", PASSWORD).await;
    let (_, home) = leader.get_text("/").await;
    assert!(home.contains("实名信息查看待审批"), "the approval waits in 我的待办");
    assert_eq!(leader.post_form(&format!("/leads/releases/{rel}/decide"), &[("decision", "approve"), ("comment", "同意")]).await.status(), StatusCode::SEE_OTHER);
    let mut seen = Vec::new();
    for s in [&officer, &leader] {
        for path in ["/leads".to_string(), format!("/leads/reports/{id1}"), "/audit".into(), "/api/v1/orgs".into(), lead_url.clone(), "/leads/ledger".into(), "/api/v1/leads".into()] {
            seen.push(s.get_text(&path).await.1);
        }
    }
    let shown = officer.post_form(&format!("/leads/releases/{rel}/read"), &[]).await.text().await.unwrap();
    assert!(shown.contains(NAME) && shown.contains(ID_NUMBER) && shown.contains(PHONE), "readable once after approval");
    let again = officer.post_form(&format!("/leads/releases/{rel}/read"), &[]).await.text().await.unwrap();
    assert!(!again.contains(ID_NUMBER) && again.contains("已查看过一次"));
    seen.push(again);
    for page in &seen {
        for secret in [NAME, ID_NUMBER, PHONE] {
            assert!(!page.contains(secret), "{secret} shown without an approved release");
        }
    }
    let trail = app.db.store.audit().list(&[qingfeng_domain::org::OrgPath::global()], &Default::default(), Default::default()).await.unwrap();
    assert!(trail.items.iter().any(|e| e.action == "leads.identity.read"));
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());

    // Wrong codes are throttled.
    let mut last = StatusCode::OK;
    for _ in 0..12 {
        last = c.post_form("/public/report/follow", &[("code", "0000 0000 0000 0001")]).await.status();
    }
    assert_eq!(last, StatusCode::TOO_MANY_REQUESTS);

    // The database file holds neither the identity nor the code.
    let dir = app.db.guard().unwrap();
    let mut bytes = Vec::new();
    for e in std::fs::read_dir(dir.path()).unwrap() {
        bytes.extend(std::fs::read(e.unwrap().path()).unwrap());
    }
    let text = String::from_utf8_lossy(&bytes);
    assert!(text.contains("砂石企业"));
    for secret in [NAME, ID_NUMBER, PHONE, code.replace(' ', "").as_str(), code.as_str()] {
        assert!(!text.contains(secret), "{secret} in the database file");
    }
}

/// Browser journey in real headless Chromium: a citizen (on a phone) files a
/// real-name report with an attachment and keeps the code; the registrar
/// accepts it and asks for the identity; a second officer approves; the
/// citizen sees the acceptance with the receipt code.
#[tokio::test]
async fn browser_a_citizen_reports_the_office_accepts_a_second_officer_approves_the_citizen_follows() {
    use fantoccini::Locator;
    let Some(phone) = qingfeng_test_support::Browser::launch(390, 844).await else { return };
    let app = TestApp::spawn_on(qingfeng_store::Engine::Sqlite, sealing_config()).await;
    let f = Fixture::build(&app.db.store).await;
    leader_account(&app, &f).await;
    let dir = tempfile::tempdir().unwrap();
    let photo = dir.path().join("收受购物卡照片.png");
    std::fs::write(&photo, PNG).unwrap();
    let c = &phone.client;
    let fill = |css: &'static str, text: &'static str| async move {
        let e = c.find(Locator::Css(css)).await.unwrap();
        c.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&e).unwrap()]).await.unwrap();
        e.send_keys(text).await.unwrap();
    };
    c.goto(&app.url("/public/report")).await.unwrap();
    fill("#reported_name", "王某某").await;
    fill("#reported_unit", "丰林县自然资源局").await;
    fill("#title", "反映王某某收受购物卡问题").await;
    fill("#content", FIRST).await;
    let real = c.find(Locator::Css("#real-name")).await.unwrap();
    c.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&real).unwrap()]).await.unwrap();
    real.click().await.unwrap();
    fill("#reporter_name", NAME).await;
    fill("#reporter_id_number", ID_NUMBER).await;
    fill("#reporter_phone", PHONE).await;
    c.find(Locator::Css("#files")).await.unwrap().send_keys(photo.to_str().unwrap()).await.unwrap();
    phone.screenshot("leads-01-form").await;
    let submit = c.find(Locator::Css("#report-submit")).await.unwrap();
    c.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&submit).unwrap()]).await.unwrap();
    submit.click().await.unwrap();
    let code = c.wait().for_element(Locator::Css("#receipt-code")).await.unwrap().text().await.unwrap();
    assert_eq!(code.replace(' ', "").len(), 16);
    phone.screenshot("leads-02-receipt").await;

    // The office, on a desk.
    let desk = qingfeng_test_support::Browser::launch(1366, 900).await.unwrap();
    let d = &desk.client;
    let app = &app;
    let sign_in = |user: &'static str| async move {
        d.delete_all_cookies().await.unwrap();
        d.goto(&app.url("/login")).await.unwrap();
        d.find(Locator::Css("#username")).await.unwrap().send_keys(user).await.unwrap();
        d.find(Locator::Css("#password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
        d.find(Locator::Css("form[action='/login'] button[type=submit]")).await.unwrap().click().await.unwrap();
        d.wait().for_element(Locator::Css(".who")).await.unwrap();
    };
    sign_in("officer").await;
    d.goto(&app.url("/leads")).await.unwrap();
    d.find(Locator::LinkText("反映王某某收受购物卡问题")).await.unwrap().click().await.unwrap();
    d.wait().for_element(Locator::Css("#accept-form")).await.unwrap();
    let page = d.source().await.unwrap();
    assert!(page.contains("收受购物卡照片.png") && !page.contains(NAME) && !page.contains(ID_NUMBER));
    desk.screenshot("leads-03-report").await;
    d.find(Locator::Css(&format!("#hu option[value='{}']", f.bureau_a.id))).await.unwrap().click().await.unwrap();
    d.find(Locator::Css("#accept-btn")).await.unwrap().click().await.unwrap();
    d.wait().for_element(Locator::Css(".flash")).await.unwrap();
    d.find(Locator::Css("details.more summary")).await.unwrap().click().await.unwrap();
    d.find(Locator::Css("#rr")).await.unwrap().send_keys("需当面核实举报内容").await.unwrap();
    d.find(Locator::Css("#request-release")).await.unwrap().click().await.unwrap();
    d.wait().for_element(Locator::Css(".flash")).await.unwrap();
    let report_url = d.current_url().await.unwrap();

    sign_in("leader").await;
    d.goto(report_url.as_str()).await.unwrap();
    d.wait().for_element(Locator::Css("#approve-release")).await.unwrap().click().await.unwrap();
    d.wait().for_element(Locator::Css(".flash")).await.unwrap();
    assert!(!d.source().await.unwrap().contains(ID_NUMBER), "approving does not show the identity");
    desk.screenshot("leads-04-approved").await;

    sign_in("officer").await;
    d.goto(report_url.as_str()).await.unwrap();
    d.wait().for_element(Locator::Css("#read-release")).await.unwrap().click().await.unwrap();
    let shown = d.wait().for_element(Locator::Css("#identity")).await.unwrap().text().await.unwrap();
    assert!(shown.contains(NAME) && shown.contains(ID_NUMBER));
    desk.screenshot("leads-05-identity-once").await;

    // The citizen follows with the code and sees the acceptance.
    c.goto(&app.url("/public/report/follow")).await.unwrap();
    c.find(Locator::Css("#code")).await.unwrap().send_keys(&code).await.unwrap();
    c.find(Locator::Css("#follow-submit")).await.unwrap().click().await.unwrap();
    let stage = c.wait().for_element(Locator::Css("#stage")).await.unwrap().text().await.unwrap();
    assert!(stage.contains("已受理"), "{stage}");
    assert!(c.source().await.unwrap().contains("JB-"));
    phone.screenshot("leads-06-citizen-status").await;
}

#[tokio::test]
async fn staff_register_a_visit_on_the_callers_behalf_and_the_public_cannot_claim_a_staff_channel() {
    let app = TestApp::spawn_on(qingfeng_store::Engine::Sqlite, sealing_config()).await;
    let f = Fixture::build(&app.db.store).await;
    let officer = app.login("officer", PASSWORD).await;
    let res = post_report(&officer, "/leads/reports/new", "visit", FIRST, true, None).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert_eq!(receipt_code(&page).replace(' ', "").len(), 16, "the code to hand to the caller");
    let all = app.db.store.leads().list(&[qingfeng_domain::org::OrgPath::global()], None, Default::default()).await.unwrap();
    let r = &all.items[0];
    assert_eq!((r.channel.as_str(), r.registered_by.as_deref(), r.real_name), ("visit", Some("officer"), true));
    assert!(!page.contains(ID_NUMBER), "the identity is not echoed after filing");
    // A citizen's form is always 网络举报, whatever it claims.
    let c = citizen(&app).await;
    assert_eq!(post_report(&c, "/public/report", "visit", UNRELATED, false, None).await.status(), StatusCode::OK);
    let all = app.db.store.leads().list(&[qingfeng_domain::org::OrgPath::global()], None, Default::default()).await.unwrap();
    let mine = all.items.iter().find(|r| r.content == UNRELATED).unwrap();
    assert_eq!((mine.channel.as_str(), mine.registered_by.as_deref()), ("online", None));
    // Outside the office's grants: not found.
    let op = app.login("op-a", PASSWORD).await;
    assert_eq!(op.get("/leads/reports/new").await.status(), StatusCode::NOT_FOUND);
    let _ = f;
}
