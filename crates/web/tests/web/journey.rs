//! Browser journey in real headless Chromium: a demo user signs in, is made
//! to change the first-login password, opens the org tree and sees only
//! its own subtree.

use fantoccini::Locator;
use qingfeng_test_support::{Browser, TestApp};

#[tokio::test]
async fn demo_user_changes_first_password_and_sees_only_own_subtree() {
    let Some(browser) = Browser::launch(1366, 900).await else { return };
    let app = TestApp::spawn_demo().await;
    let c = &browser.client;

    c.goto(&app.url("/")).await.unwrap();
    assert!(c.current_url().await.unwrap().path().starts_with("/login"));
    browser.screenshot("01-login").await;
    c.find(Locator::Css("#username")).await.unwrap().send_keys("sthj").await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys(qingfeng_demo::DEMO_PASSWORD).await.unwrap();
    c.find(Locator::Css("form[action='/login'] button[type=submit]")).await.unwrap().click().await.unwrap();

    // Forced to change the password first.
    assert_eq!(c.current_url().await.unwrap().path(), "/password");
    let notice = c.find(Locator::Css(".notice")).await.unwrap().text().await.unwrap();
    assert!(notice.contains("首次登录"), "{notice}");
    browser.screenshot("02-forced-password").await;
    c.goto(&app.url("/orgs")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/password", "no way around it");
    c.find(Locator::Css("#current")).await.unwrap().send_keys(qingfeng_demo::DEMO_PASSWORD).await.unwrap();
    c.find(Locator::Css("#new")).await.unwrap().send_keys("Huanbao#2027").await.unwrap();
    c.find(Locator::Css("#confirm")).await.unwrap().send_keys("Huanbao#2027").await.unwrap();
    c.find(Locator::Css("form[action='/password'] button[type=submit]")).await.unwrap().click().await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), "/");
    let flash = c.find(Locator::Css(".flash")).await.unwrap().text().await.unwrap();
    assert!(flash.contains("密码已修改"));
    browser.screenshot("03-home").await;

    // The org tree: only 市生态环境局 and what is under it.
    c.find(Locator::LinkText("组织机构")).await.unwrap().click().await.unwrap();
    let heading = c.find(Locator::Css(".unit-head h1")).await.unwrap().text().await.unwrap();
    assert!(heading.contains("中共安澜市生态环境局党组"), "{heading}");
    let tree = c.find(Locator::Css(".tree")).await.unwrap().text().await.unwrap();
    assert!(tree.contains("局机关党委"));
    for outside in ["安澜市委", "公安局", "丰林县", "石桥县", "市纪委监委"] {
        assert!(!tree.contains(outside), "tree shows {outside}: {tree}");
    }
    let page = c.source().await.unwrap();
    assert!(!page.contains("中共安澜市委员会"), "nothing above the scope root");
    browser.screenshot("04-org-tree").await;

    // Down to a branch and its people.
    c.find(Locator::LinkText("局机关党委")).await.unwrap().click().await.unwrap();
    c.find(Locator::LinkText("办公室党支部")).await.unwrap().click().await.unwrap();
    let people = c.find(Locator::Css("#children ~ .panel table")).await.unwrap().text().await.unwrap();
    assert!(people.contains("支部书记"), "{people}");
    browser.screenshot("05-branch").await;

    // Another bureau's unit, typed into the address bar: not found.
    let police = app
        .db
        .store
        .orgs()
        .search(
            &[qingfeng_domain::org::OrgPath::global()],
            &qingfeng_store::org::OrgFilter { q: Some("公安局委员会".into()), ..Default::default() },
            Default::default(),
        )
        .await
        .unwrap()
        .items[0]
        .unit
        .id;
    c.goto(&app.url(&format!("/orgs/{police}"))).await.unwrap();
    let code = c.find(Locator::Css(".error-code")).await.unwrap().text().await.unwrap();
    assert_eq!(code, "404");
    browser.screenshot("06-not-found").await;
    browser.client.clone().close().await.unwrap();
}
