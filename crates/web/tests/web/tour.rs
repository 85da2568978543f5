//! A screenshot tour of the demo as its users see it, for reviewing the UI:
//!   cargo test -p qingfeng-web --test web tour -- --ignored
//! PNGs land in target/screenshots/tour-*.png. Every page must render
//! without an error page.

use fantoccini::{Client, Locator};
use qingfeng_test_support::{Browser, TestApp};

async fn sign_in(c: &Client, app: &TestApp, user: &str) {
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Css("#username")).await.unwrap().send_keys(user).await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys(qingfeng_demo::DEMO_PASSWORD).await.unwrap();
    c.find(Locator::Css("form[action='/login'] button")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("#current")).await.unwrap().send_keys(qingfeng_demo::DEMO_PASSWORD).await.unwrap();
    c.find(Locator::Css("#new")).await.unwrap().send_keys("Tour#Pass2026").await.unwrap();
    c.find(Locator::Css("#confirm")).await.unwrap().send_keys("Tour#Pass2026").await.unwrap();
    c.find(Locator::Css("form[action='/password'] button")).await.unwrap().click().await.unwrap();
    // Wait for the redirect home before going anywhere else.
    c.wait().for_element(Locator::Css(".flash")).await.unwrap();
}

async fn shot(b: &Browser, app: &TestApp, path: &str, name: &str) {
    b.client.goto(&app.url(path)).await.unwrap();
    let errors = b.client.find_all(Locator::Css(".error-code")).await.unwrap();
    assert!(errors.is_empty(), "{path} shows an error page");
    b.screenshot(&format!("tour-{name}")).await;
}

#[tokio::test]
#[ignore = "screenshot tour for UI review; run with --ignored"]
async fn tour() {
    let app = TestApp::spawn_demo().await;
    let ids = |key: &str| {
        let store = app.db.store.clone();
        let key = key.to_string();
        async move {
            let f = qingfeng_store::org::OrgFilter { q: Some(key), ..Default::default() };
            store.orgs().search(&[qingfeng_domain::org::OrgPath::global()], &f, Default::default()).await.unwrap().items
                [0]
            .unit
            .id
        }
    };
    let city = ids("中共安澜市委员会").await;
    let village = ids("柳湾村党支部").await;
    let eco = ids("生态环境局党组").await;

    let Some(b) = Browser::launch(1366, 900).await else { return };
    sign_in(&b.client, &app, "xitong").await;
    shot(&b, &app, "/", "admin-home").await;
    shot(&b, &app, &format!("/orgs/{city}"), "admin-city").await;
    shot(&b, &app, &format!("/orgs/{village}"), "admin-village").await;
    shot(&b, &app, "/people?q=书记", "admin-people-search").await;
    shot(&b, &app, "/admin/accounts", "admin-accounts").await;
    let acc = app.db.store.accounts().find_by_username("zhibu").await.unwrap().unwrap().id;
    shot(&b, &app, &format!("/admin/accounts/{acc}"), "admin-account").await;
    shot(&b, &app, "/admin/accounts/new", "admin-account-new").await;
    shot(&b, &app, &format!("/orgs/{eco}/new"), "admin-org-new").await;
    shot(&b, &app, &format!("/orgs/{eco}/move"), "admin-org-move").await;
    shot(&b, &app, "/calendar?from=2026-02-12&days=15", "admin-calendar").await;
    shot(&b, &app, "/api/docs", "admin-api-docs").await;

    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "shenji").await;
    shot(&b, &app, "/audit", "auditor-audit").await;
    shot(&b, &app, "/audit/3", "auditor-event").await;

    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "jijian").await;
    shot(&b, &app, "/people?sort=unit", "officer-people").await;
    shot(&b, &app, &format!("/rectify/board/{city}"), "officer-board").await;
    shot(&b, &app, "/rectify/problems?warning=red", "officer-problems-red").await;
    shot(&b, &app, "/rectify/campaigns", "officer-campaigns").await;
    shot(&b, &app, "/rectify/spot-checks", "officer-spot-checks").await;
    shot(&b, &app, &format!("/rectify/flags?unit={city}"), "officer-flags").await;
    shot(&b, &app, &format!("/orglife/units/{city}"), "officer-orglife-board").await;
    let water = ids("水生态环境科党支部").await;
    shot(&b, &app, &format!("/orglife/branches/{water}"), "officer-orglife-branch-gap").await;
    shot(&b, &app, "/orglife/talks", "officer-talks").await;
    let talks = app.db.store.orglife().talks(&[qingfeng_domain::org::OrgPath::global()], &qingfeng_store::orglife::TalkFilter { kind: Some(qingfeng_domain::orglife::TalkKind::Political), ..Default::default() }, Default::default()).await.unwrap();
    shot(&b, &app, &format!("/orglife/talks/{}", talks.items[0].id), "officer-talk-political").await;
    shot(&b, &app, "/orglife/talks/new", "officer-talk-new").await;
    b.client.goto(&app.url("/lang/en?next=/orgs")).await.unwrap();
    b.screenshot("tour-officer-english").await;

    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "sthj").await;
    shot(&b, &app, "/", "operator-home").await;
    shot(&b, &app, "/rectify/problems", "operator-problems").await;
    // 责任清单: the bureau's lists, its 主体责任 list, an item and the 党组书记's duties.
    shot(&b, &app, "/duties", "operator-duties").await;
    let eco_path = app.db.store.orgs().get(eco).await.unwrap().path;
    let f = qingfeng_store::tasks::DutyListFilter { within: Some(eco_path.clone()), kind: Some(qingfeng_domain::tasks::duties::ListKind::Primary), ..Default::default() };
    let eco_list = app.db.store.tasks().duty_lists(&[eco_path], &f, Default::default()).await.unwrap().items[0].clone();
    shot(&b, &app, &format!("/duties/{}", eco_list.id), "operator-duty-list").await;
    let lines = app.db.store.tasks().duty_entries(eco_list.id, qingfeng_demo::DEMO_TODAY).await.unwrap();
    shot(&b, &app, &format!("/duties/entries/{}", lines[0].entry.id), "operator-duty-entry").await;
    let head = app.db.store.people().list(&[qingfeng_domain::org::OrgPath::global()], &qingfeng_store::people::PeopleFilter { unit: Some(eco), ..Default::default() }, Default::default()).await.unwrap().items.into_iter().find(|p| p.is_head).unwrap();
    shot(&b, &app, &format!("/people/{}", head.id), "operator-person-duties").await;

    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "ducha").await;
    shot(&b, &app, "/orglife", "inspector-orglife").await;
    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "dangyuan").await;
    shot(&b, &app, "/orglife", "member-orglife").await;

    // 部署分解: the 督查室 issues and follows; the bureau works; the branch reports.
    let all = [qingfeng_domain::org::OrgPath::global()];
    let ds = app.db.store.tasks().directives(&all, Default::default()).await.unwrap().items;
    let city_d = ds.iter().find(|d| d.title.starts_with("贯彻落实")).unwrap().id;
    let draft_d = ds.iter().find(|d| d.status == "draft").unwrap().id;
    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "duchashi").await;
    shot(&b, &app, "/", "tasks-issuer-home").await;
    shot(&b, &app, "/tasks", "tasks-directives").await;
    shot(&b, &app, &format!("/tasks/directives/{city_d}"), "tasks-directive").await;
    shot(&b, &app, &format!("/tasks/board/{city}"), "tasks-board").await;
    shot(&b, &app, "/tasks/list?warning=red", "tasks-list-red").await;
    let tree = app.db.store.tasks().tree(city_d).await.unwrap();
    let returned = tree.iter().find(|t| t.status == "returned").unwrap().id;
    shot(&b, &app, &format!("/tasks/items/{returned}"), "tasks-returned").await;
    shot(&b, &app, "/tasks/directives/new", "tasks-new").await;
    let pending = tree.iter().find(|t| t.code == "4").unwrap().id;
    shot(&b, &app, &format!("/tasks/items/{pending}"), "tasks-issuer-pending").await;
    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "gaj").await;
    shot(&b, &app, &format!("/tasks/directives/{draft_d}"), "tasks-draft").await;
    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "shuji").await;
    let parent = tree.iter().find(|t| t.children > 0).unwrap().id;
    shot(&b, &app, &format!("/tasks/items/{parent}"), "tasks-bureau-parent").await;
    let own = tree.iter().find(|t| t.code == "5").unwrap().id;
    shot(&b, &app, &format!("/tasks/items/{own}"), "tasks-bureau-own").await;

    // 信访举报: the officer's register and a report with its duplicates; the leader's approval.
    let reports = app.db.store.leads().list(&all, None, qingfeng_domain::page::PageRequest::new(Some(1), Some(100))).await.unwrap().items;
    let b = Browser::launch(1366, 900).await.unwrap();
    // jijian changed the first password earlier in the tour.
    b.client.goto(&app.url("/login")).await.unwrap();
    b.client.find(Locator::Css("#username")).await.unwrap().send_keys("jijian").await.unwrap();
    b.client.find(Locator::Css("#password")).await.unwrap().send_keys("Tour#Pass2026").await.unwrap();
    b.client.find(Locator::Css("form[action='/login'] button")).await.unwrap().click().await.unwrap();
    b.client.wait().for_element(Locator::Css(".who")).await.unwrap();
    shot(&b, &app, "/leads", "leads-register").await;
    let fresh = reports.iter().find(|r| r.status == "received").unwrap().id;
    shot(&b, &app, &format!("/leads/reports/{fresh}"), "leads-report-waiting").await;
    let dup = reports.iter().find(|r| r.status == "duplicate").unwrap().duplicate_of.unwrap();
    shot(&b, &app, &format!("/leads/reports/{dup}"), "leads-report-with-duplicates").await;
    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "jwleader").await;
    let asked = reports.iter().find(|r| r.real_name && r.reg_no.as_deref().is_some_and(|n| n.ends_with("000001"))).map(|r| r.id).unwrap_or(dup);
    shot(&b, &app, &format!("/leads/reports/{asked}"), "leads-leader-release").await;

    let citizen = Browser::launch(390, 844).await.unwrap();
    shot(&citizen, &app, "/public/report", "citizen-report-form").await;
    shot(&citizen, &app, "/public/rectify", "citizen-public").await;

    let phone = Browser::launch(390, 844).await.unwrap();
    sign_in(&phone.client, &app, "zhibu").await;
    shot(&phone, &app, "/", "phone-home").await;
    shot(&phone, &app, "/orgs", "phone-branch").await;
    shot(&phone, &app, "/people/new", "phone-person-new").await;
    shot(&phone, &app, "/orglife", "phone-orglife-branch").await;
    shot(&phone, &app, "/tasks/list", "phone-tasks").await;

    let desk = Browser::launch(1366, 900).await.unwrap();
    // zhibu changed the first password on the phone already.
    desk.client.goto(&app.url("/login")).await.unwrap();
    desk.client.find(Locator::Css("#username")).await.unwrap().send_keys("zhibu").await.unwrap();
    desk.client.find(Locator::Css("#password")).await.unwrap().send_keys("Tour#Pass2026").await.unwrap();
    desk.client.find(Locator::Css("form[action='/login'] button")).await.unwrap().click().await.unwrap();
    desk.client.wait().for_element(Locator::Css(".who")).await.unwrap();
    shot(&desk, &app, "/orglife", "secretary-branch").await;
    let branch = ids("办公室党支部").await;
    let meetings = app.db.store.orglife().meetings(branch, jiff::civil::date(2026, 1, 1), jiff::civil::date(2026, 12, 31), None).await.unwrap();
    let vote = meetings.iter().find(|m| m.decision_title.is_some()).or(meetings.first()).unwrap();
    shot(&desk, &app, &format!("/orglife/meetings/{}", vote.id), "secretary-meeting").await;
    shot(&desk, &app, &format!("/orglife/branches/{branch}/meetings/new"), "secretary-meeting-new").await;
}

/// The 问题线索 pages only (quicker than the whole tour):
///   cargo test -p qingfeng-web --test web leads_tour -- --ignored
#[tokio::test]
#[ignore = "screenshot tour for UI review; run with --ignored"]
async fn leads_tour() {
    use qingfeng_store::leads::LeadFilter;
    let app = TestApp::spawn_demo().await;
    let all = [qingfeng_domain::org::OrgPath::global()];
    let l = app.db.store.leads();
    let leads = l.all_leads(&all, &LeadFilter::default()).await.unwrap();
    let Some(b) = Browser::launch(1366, 1900).await else { return };
    sign_in(&b.client, &app, "jijian").await;
    shot(&b, &app, "/", "lead-officer-home").await;
    shot(&b, &app, "/leads/ledger", "lead-ledger").await;
    shot(&b, &app, "/leads/ledger?state=overdue", "lead-ledger-overdue").await;
    let third = leads.iter().find(|x| x.source == "inspection_tour").unwrap().id;
    shot(&b, &app, &format!("/leads/items/{third}"), "lead-third-form").await;
    let letter = leads.iter().find(|x| x.status == "assessed").unwrap().id;
    shot(&b, &app, &format!("/leads/items/{letter}"), "lead-assessed").await;
    let untrue = leads.iter().find(|x| x.false_accusation.is_some()).unwrap().id;
    shot(&b, &app, &format!("/leads/items/{untrue}"), "lead-cleared").await;
    let fresh = leads.iter().find(|x| x.status == "registered").unwrap().id;
    shot(&b, &app, &format!("/leads/items/{fresh}"), "lead-registered").await;
    shot(&b, &app, "/leads/ledger/new", "lead-new").await;
    shot(&b, &app, "/leads/inquiries", "lead-inquiries").await;
    let open = l.inquiries(&all, true).await.unwrap()[0].id;
    shot(&b, &app, &format!("/leads/inquiries/{open}"), "lead-inquiry-open").await;
    let done = l.inquiries(&all, false).await.unwrap().into_iter().find(|i| i.status == "concluded").unwrap().id;
    shot(&b, &app, &format!("/leads/inquiries/{done}"), "lead-inquiry-done").await;
    shot(&b, &app, "/leads/referrals", "lead-referrals").await;
    let returned = l.referrals(&all, &[]).await.unwrap().into_iter().find(|r| r.status == "returned").unwrap().id;
    shot(&b, &app, &format!("/leads/referrals/{returned}"), "lead-referral-returned").await;
    shot(&b, &app, "/leads/reconcile", "lead-reconcile").await;
    shot(&b, &app, "/leads/reconcile?period=2026-Q3", "lead-reconcile-q3").await;
    shot(&b, &app, "/leads/stats", "lead-stats").await;
    let accepted = l.list(&all, Some("accepted"), qingfeng_domain::page::PageRequest::new(Some(1), Some(100))).await.unwrap().items;
    let without = accepted.iter().find(|r| r.real_name).unwrap().id;
    shot(&b, &app, &format!("/leads/reports/{without}"), "lead-report-accepted").await;
    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "jwleader").await;
    shot(&b, &app, "/", "lead-leader-home").await;
    let proposed = leads.iter().find(|x| x.status == "proposed").unwrap().id;
    shot(&b, &app, &format!("/leads/items/{proposed}"), "lead-leader-proposed").await;
    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "gongan").await;
    shot(&b, &app, "/", "lead-receiver-home").await;
    let sent = l.referrals(&all, &[]).await.unwrap().into_iter().find(|r| r.status == "sent").unwrap().id;
    shot(&b, &app, &format!("/leads/referrals/{sent}"), "lead-receiver-referral").await;
}
