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
    c.find(Locator::Css("#current")).await.unwrap().send_keys(qingfeng_demo::DEMO_PASSWORD).await.unwrap();
    c.find(Locator::Css("#new")).await.unwrap().send_keys("Tour#Pass2026").await.unwrap();
    c.find(Locator::Css("#confirm")).await.unwrap().send_keys("Tour#Pass2026").await.unwrap();
    c.find(Locator::Css("form[action='/password'] button")).await.unwrap().click().await.unwrap();
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
    b.client.goto(&app.url("/lang/en?next=/orgs")).await.unwrap();
    b.screenshot("tour-officer-english").await;

    let b = Browser::launch(1366, 900).await.unwrap();
    sign_in(&b.client, &app, "sthj").await;
    shot(&b, &app, "/", "operator-home").await;
    shot(&b, &app, "/rectify/problems", "operator-problems").await;

    let citizen = Browser::launch(390, 844).await.unwrap();
    shot(&citizen, &app, "/public/rectify", "citizen-public").await;

    let phone = Browser::launch(390, 844).await.unwrap();
    sign_in(&phone.client, &app, "zhibu").await;
    shot(&phone, &app, "/", "phone-home").await;
    shot(&phone, &app, "/orgs", "phone-branch").await;
    shot(&phone, &app, "/people/new", "phone-person-new").await;
}
