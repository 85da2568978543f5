//! 问题线索 over HTTP: a lead registered from the ledger form (refused
//! input kept and the field named), proposed by the officer and approved by
//! a leader, its person's outcome in the second form, concluded — which
//! opens the 一案双查 inquiry by itself — the inquiry concluded with a
//! reason; a referral that the receiving unit sees alone (not the lead),
//! returns with its reason, and the sender sees that reason; the JSON API
//! and the statistics that link back to the ledger.

use super::leads_pages::leader_account;
use qingfeng_domain::access::Role;
use qingfeng_domain::org::{OrgKind, OrgUnitSpec};
use qingfeng_test_support::fixtures::PASSWORD;
use qingfeng_test_support::{Fixture, TestApp};
use reqwest::StatusCode;

const SUMMARY: &str = "巡察发现治安支队副支队长张某某违规收受辖区娱乐场所业主所送购物卡，并多次接受宴请。";

/// The city's 纪委 (the fixture has no discipline body to handle leads).
pub async fn discipline_commission(app: &TestApp, f: &Fixture) -> qingfeng_store::org::OrgUnit {
    let spec = OrgUnitSpec { name: "中共测试市纪律检查委员会".into(), short_name: None, kind: OrgKind::DisciplineCommission, sort_order: 0 };
    app.db.store.orgs().create(&qingfeng_test_support::fixtures::who(), Some(f.city.id), &spec).await.unwrap()
}

/// Bureau B's party leader: `ReceiveReferral` there, no `ViewLeads` anywhere.
async fn receiver_account(app: &TestApp, f: &Fixture) {
    let who = qingfeng_test_support::fixtures::who();
    let receiver = app.db.store.accounts().create(&who, &qingfeng_store::accounts::NewAccount {
        username: "receiver".into(), display_name: "督察长".into(), org_unit_id: Some(f.bureau_b.id), person_id: None,
        password_hash: qingfeng_domain::auth::hash_password(PASSWORD), must_change_password: false }).await.unwrap();
    app.db.store.grants().create(&who, receiver.id, Role::PartyLeader, Some(f.bureau_b.id)).await.unwrap();
}

fn location(r: &reqwest::Response) -> String {
    r.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_lead_is_registered_disposed_of_concluded_with_a_dual_inquiry_and_referred_to_a_receiver_who_sees_only_the_referral() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    leader_account(&app, &f).await;
    let ccdi = discipline_commission(&app, &f).await;
    // The receiver: a party leader of bureau B (ReceiveReferral, no ViewLeads).
    receiver_account(&app, &f).await;

    let officer = app.login("officer", PASSWORD).await;
    let (ccdi_id, subject) = (ccdi.id.to_string(), f.branch_b.id.to_string());
    let today = jiff::Zoned::now().date().to_string();
    let mut fields = vec![("source", "inspection_tour"), ("source_ref", "市委第一巡察组反馈意见"), ("unit_id", ccdi_id.as_str()), ("subject_unit_id", subject.as_str()),
        ("category", "integrity"), ("level", "ordinary"), ("subject_name", "张某某，治安支队副支队长"), ("received_on", today.as_str()), ("summary", "太短")];
    // Refused: the field is named, what was typed is kept.
    let res = officer.post_form("/leads/ledger/new", &fields).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("id=\"err-summary\"") && page.contains("张某某，治安支队副支队长") && page.contains("市委第一巡察组反馈意见"), "{page}");
    // A non-discipline unit cannot handle a lead.
    let bureau = f.bureau_a.id.to_string();
    fields[8] = ("summary", SUMMARY);
    fields[2] = ("unit_id", bureau.as_str());
    assert_eq!(officer.post_form("/leads/ledger/new", &fields).await.status(), StatusCode::UNPROCESSABLE_ENTITY);
    fields[2] = ("unit_id", ccdi_id.as_str());
    let res = officer.post_form("/leads/ledger/new", &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let lead_url = location(&res);
    let lead_id: uuid::Uuid = lead_url.rsplit('/').next().unwrap().parse().unwrap();
    let (_, ledger) = officer.get_text("/leads/ledger?q=治安支队").await;
    assert!(ledger.contains(&lead_url) && ledger.contains("XS-"), "the ledger lists it");
    // Full-text search (jieba) finds the lead by words of its summary, within scope.
    let (_, found) = officer.get_text("/leads?q=娱乐场所 购物卡").await;
    assert!(found.contains(&lead_url), "{found}");
    let op = app.login("op-a", PASSWORD).await;
    assert_eq!(op.get_text("/leads?q=购物卡").await.0, StatusCode::NOT_FOUND);

    // Proposed by the officer; the officer cannot approve, the leader does.
    let act = |a: &'static str, extra: Vec<(&'static str, &'static str)>| {
        let mut v = vec![("action", a)];
        v.extend(extra);
        v
    };
    let res = officer.post_form(&format!("{lead_url}/act"), &act("propose", vec![("disposal", "investigation"), ("reason", "线索具体，拟立案审查")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = officer.post_form(&format!("{lead_url}/act"), &act("approve", vec![])).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("只有有审批权限的负责人可以办理此操作"));
    let leader = app.login("leader", PASSWORD).await;
    let (_, home) = leader.get_text("/").await;
    assert!(home.contains("处置意见待审批"), "the proposal waits in the leader's 待办");
    assert_eq!(leader.post_form(&format!("{lead_url}/act"), &act("approve", vec![])).await.status(), StatusCode::SEE_OTHER);

    // The person and the outcome: a removal from a party post the person does not hold is refused with the rule.
    officer.post_form(&format!("{lead_url}/people"), &[("name", "张某某"), ("post", "治安支队副支队长"), ("level", "ordinary"), ("party_member", "on"), ("public_official", "on")]).await;
    let person = app.db.store.leads().people(lead_id).await.unwrap()[0].id;
    let res = officer.post_form(&format!("/leads/people/{person}/outcome"), &[("party", "removal_from_post")]).await;
    assert!(res.text().await.unwrap().contains("没有党内职务的，不能撤销党内职务"));
    let res = officer.post_form(&format!("/leads/people/{person}/outcome"), &[("party", "warning"), ("measure", "admonition")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);

    // Concluding opens the 一案双查 inquiry: nothing blocks, the inquiry waits.
    let res = leader.post_form(&format!("{lead_url}/act"), &act("conclude", vec![("finding", "substantiated")])).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, lp) = officer.get_text(&lead_url).await;
    assert!(lp.contains("已办结") && lp.contains("id=\"inquiry-open\""), "{lp}");
    let inquiry = app.db.store.leads().inquiry_of(lead_id).await.unwrap().expect("opened by the conclusion").id;
    let (_, home) = leader.get_text("/").await;
    assert!(home.contains("一案双查待办结"));
    let res = leader.post_form(&format!("/leads/inquiries/{inquiry}/conclude"), &[("result", "none"), ("reason", "")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = leader.post_form(&format!("/leads/inquiries/{inquiry}/conclude"), &[("result", "none"), ("reason", "支部已按要求开展廉政风险排查，问题系个人隐瞒所致")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, ip) = officer.get_text(&format!("/leads/inquiries/{inquiry}")).await;
    assert!(ip.contains("不予问责") && ip.contains("个人隐瞒所致"));

    // 移送 to bureau B: the receiver sees the referral, never the lead.
    let to = f.bureau_b.id.to_string();
    let res = officer.post_form(&format!("{lead_url}/refer"), &[("to_unit_id", &to), ("target", "inspectorate"), ("matter", SUMMARY), ("reason", "涉及执法人员作风问题，移送督察部门")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let referral = app.db.store.leads().referrals_of(lead_id).await.unwrap()[0].id;
    // The city-wide officer's scope covers bureau B too, but the sending side cannot accept its own referral.
    let res = officer.post_form(&format!("/leads/referrals/{referral}/answer"), &[("action", "accept")]).await;
    assert!(res.text().await.unwrap().contains("只有接收单位可以接收或退回"));
    let (_, home) = officer.get_text("/").await;
    assert!(!home.contains("移送待接收"), "not in the sender's 待办");
    let r = app.login("receiver", PASSWORD).await;
    let (_, home) = r.get_text("/").await;
    assert!(home.contains("移送待接收") && home.contains("/leads/referrals"), "{home}");
    assert_eq!(r.get_text(&lead_url).await.0, StatusCode::NOT_FOUND);
    assert_eq!(r.get_text("/leads/ledger").await.0, StatusCode::NOT_FOUND);
    assert_eq!(r.get_text("/api/v1/leads").await.0, StatusCode::NOT_FOUND);
    let (status, rp) = r.get_text(&format!("/leads/referrals/{referral}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(rp.contains(SUMMARY) && !rp.contains(&lead_url), "the referred matter, no link into the lead");
    let (_, sender_view) = officer.get_text(&format!("/leads/referrals/{referral}")).await;
    assert!(!sender_view.contains("id=\"accept-referral\""), "no 接收 button on the sending side");
    assert!(rp.contains("id=\"accept-referral\""), "the receiver has it");
    let res = r.post_form(&format!("/leads/referrals/{referral}/answer"), &[("action", "return"), ("reason", " ")]).await;
    assert!(res.text().await.unwrap().contains("请填写理由"));
    let res = r.post_form(&format!("/leads/referrals/{referral}/answer"), &[("action", "return"), ("reason", "被反映人已调离本单位")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, lp) = officer.get_text(&lead_url).await;
    assert!(lp.contains("被反映人已调离本单位") && lp.contains("已退回"), "the sender sees the reason");

    // The API carries the lead, its person and the referral — and nothing of a reporter.
    let res = officer.get(&format!("/api/v1/leads/{lead_id}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body: serde_json::Value = res.json().await.unwrap();
    assert_eq!(body["lead"]["status"], "concluded");
    assert_eq!(body["people"][0]["form"], "second");
    assert_eq!(body["dual_inquiry"], "concluded");
    assert_eq!(body["referrals"][0]["status"], "returned");
    let list: serde_json::Value = officer.get("/api/v1/leads?state=open").await.json().await.unwrap();
    assert_eq!(list["total"], 0, "{list}");
    assert_eq!(officer.get("/api/v1/leads?status=nonsense").await.status(), StatusCode::BAD_REQUEST);

    // The statistics count the person once in the second form; the figure links to the lead.
    let year = jiff::Zoned::now().date().year();
    let (_, stats) = officer.get_text(&format!("/leads/stats?year={year}")).await;
    let link = format!("/leads/ledger?year={year}&#38;category=integrity&#38;form=second");
    assert!(stats.contains(&link), "{stats}");
    let (_, behind) = officer.get_text(&link.replace("&#38;", "&")).await;
    assert!(behind.contains(&lead_url));
    let (_, none) = officer.get_text(&format!("/leads/ledger?year={year}&form=third")).await;
    assert!(!none.contains(&lead_url));
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());
}

/// The index on disk (as `serve` keeps it): a lead written while the index
/// was not open (here straight into the store) is found, because a stale
/// index is rebuilt from the database when first opened.
#[tokio::test]
async fn the_search_index_on_disk_is_rebuilt_when_it_misses_records() {
    use qingfeng_domain::leads::report::{Category, PersonLevel};
    use qingfeng_domain::leads::{LeadRules, LeadSource};
    let dir = tempfile::tempdir().unwrap();
    let config = qingfeng_web::WebConfig { search_dir: Some(dir.path().join("search")), ..Default::default() };
    let app = TestApp::spawn_on(qingfeng_store::Engine::Sqlite, config).await;
    let f = Fixture::build(&app.db.store).await;
    let cal = qingfeng_domain::calendar::Calendar::builtin();
    let rules = LeadRules::DEFAULT;
    let env = qingfeng_store::leads::LeadEnv { cal: &cal, rules: &rules, today: jiff::civil::date(2026, 5, 11) };
    let n = qingfeng_store::leads::NewLead { source: LeadSource::Audit, source_ref: None, report_id: None, unit_id: f.city.id, subject_unit_id: f.bureau_a.id,
        category: Category::Integrity, level: PersonLevel::Ordinary, subject_name: "某科长", summary: "审计发现违规报销差旅费用，虚开住宿发票。", received_on: env.today };
    let lead = app.db.store.leads().register(&qingfeng_test_support::fixtures::who(), &n, &env).await.unwrap();
    let officer = app.login("officer", PASSWORD).await;
    let (_, found) = officer.get_text("/leads?q=住宿发票").await;
    assert!(found.contains(&format!("/leads/items/{}", lead.id)), "{found}");
    assert!(std::fs::read_dir(dir.path().join("search")).unwrap().count() > 0, "the index is on disk");
}

/// Browser journey in real headless Chromium: the officer registers a lead
/// from a 巡察 finding and proposes 初步核实; the leader approves it and its
/// plan; the officer reports the findings and refers the matter to bureau
/// B; bureau B's leader returns it with a reason, which the officer reads on
/// the lead.
#[tokio::test]
async fn browser_a_lead_is_registered_approved_verified_referred_and_returned() {
    use fantoccini::Locator;
    let Some(desk) = qingfeng_test_support::Browser::launch(1366, 1000).await else { return };
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    leader_account(&app, &f).await;
    let ccdi = discipline_commission(&app, &f).await;
    receiver_account(&app, &f).await;
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
    let click = |css: String| async move {
        let e = d.wait().for_element(Locator::Css(&css)).await.unwrap();
        d.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&e).unwrap()]).await.unwrap();
        e.click().await.unwrap();
    };
    let type_in = |css: &'static str, text: &'static str| async move {
        let e = d.wait().for_element(Locator::Css(css)).await.unwrap();
        d.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&e).unwrap()]).await.unwrap();
        e.send_keys(text).await.unwrap();
    };

    sign_in("officer").await;
    d.goto(&app.url("/leads/ledger")).await.unwrap();
    d.find(Locator::LinkText("登记问题线索")).await.unwrap().click().await.unwrap();
    click("#source option[value='inspection_tour']".into()).await;
    type_in("#source_ref", "市委第一巡察组反馈意见").await;
    click(format!("#unit_id option[value='{}']", ccdi.id)).await;
    click(format!("#subject_unit_id option[value='{}']", f.branch_b.id)).await;
    type_in("#subject_name", "张某某，治安支队副支队长").await;
    click("#level option[value='ordinary']".into()).await;
    type_in("#summary", SUMMARY).await;
    desk.screenshot("lead-01-register").await;
    click("#register-lead".into()).await;
    d.wait().for_element(Locator::Css("#lead-actions")).await.unwrap();
    let lead_url = d.current_url().await.unwrap();
    click("#disposal option[value='preliminary_verification']".into()).await;
    click("#act-propose".into()).await;
    d.wait().for_element(Locator::Css(".flash")).await.unwrap();
    assert!(d.source().await.unwrap().contains("处置意见待审批"));

    sign_in("leader").await;
    d.goto(lead_url.as_str()).await.unwrap();
    click("#act-approve".into()).await;
    d.wait().for_element(Locator::Css(".flash")).await.unwrap();
    click("#act-approve_plan".into()).await;
    d.wait().for_element(Locator::Css(".flash")).await.unwrap();
    assert!(d.source().await.unwrap().contains("初核中"));
    desk.screenshot("lead-02-verifying").await;

    sign_in("officer").await;
    d.goto(lead_url.as_str()).await.unwrap();
    click("#finding-report_findings option[value='partly_substantiated']".into()).await;
    click("#act-report_findings".into()).await;
    d.wait().for_element(Locator::Css(".flash")).await.unwrap();
    click("#refer-details summary".into()).await;
    click(format!("#refer-to option[value='{}']", f.bureau_b.id)).await;
    type_in("#refer-reason", "涉及执法人员作风问题，移送督察部门").await;
    click("#refer-btn".into()).await;
    d.wait().for_element(Locator::Css(".flash")).await.unwrap();

    sign_in("receiver").await;
    d.goto(&app.url("/leads/referrals")).await.unwrap();
    desk.screenshot("lead-03-receiver-inbox").await;
    d.find(Locator::Css("#referral-list a")).await.unwrap().click().await.unwrap();
    type_in("#answer-reason", "被反映人已调离本单位").await;
    click("#return-referral".into()).await;
    let reason = d.wait().for_element(Locator::Css("#return-reason")).await.unwrap().text().await.unwrap();
    assert_eq!(reason, "被反映人已调离本单位");

    sign_in("officer").await;
    d.goto(lead_url.as_str()).await.unwrap();
    let page = d.source().await.unwrap();
    assert!(page.contains("被反映人已调离本单位") && page.contains("初核报告已提交"));
    desk.screenshot("lead-04-returned").await;
}
