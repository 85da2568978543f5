//! Rectification over real HTTP and in real headless Chromium.

use fantoccini::Locator;
use jiff::civil::date;
use crate::rectify_seed::batch_with_problem;
use qingfeng_domain::rectify::{RootCause, Source};
use qingfeng_test_support::fixtures::{PASSWORD, who};
use qingfeng_test_support::{Browser, Fixture, TestApp};
use reqwest::StatusCode;
use uuid::Uuid;

/// A batch issued by the city and one problem for bureau A's branch.
async fn seed(app: &TestApp, f: &Fixture) -> Uuid {
    let (_, p) = batch_with_problem(
        &app.db.store,
        (f.city.id, Source::Patrol, "市委第一轮巡察反馈意见", date(2026, 3, 16)),
        (f.branch_a.id, "党组理论学习中心组学习流于形式，专题研讨仅开展2次", RootCause::Mindset, date(2027, 6, 30)),
    )
    .await;
    p.id
}

/// A multipart body with `_csrf` first, as the browser sends it.
pub(crate) fn multipart(csrf: &str, file: Option<(&str, &[u8])>, note: &str) -> (String, Vec<u8>) {
    let boundary = "qfBoundary7d3a";
    let mut body = Vec::new();
    let mut field = |name: &str, value: &[u8], filename: Option<&str>| {
        body.extend_from_slice(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"").as_bytes());
        if let Some(f) = filename {
            body.extend_from_slice(format!("; filename=\"{f}\"\r\nContent-Type: application/octet-stream").as_bytes());
        }
        body.extend_from_slice(b"\r\n\r\n");
        body.extend_from_slice(value);
        body.extend_from_slice(b"\r\n");
    };
    field("_csrf", csrf.as_bytes(), None);
    if let Some((name, bytes)) = file {
        field("file", bytes, Some(name));
    }
    field("note", note.as_bytes(), None);
    field("dated_on", b"2026-11-20", None);
    body.extend_from_slice(format!("--{boundary}--\r\n").as_bytes());
    (format!("multipart/form-data; boundary={boundary}"), body)
}

#[tokio::test]
async fn evidence_upload_is_scoped_and_checked() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let p = seed(&app, &f).await;
    let s = app.login("op-a", PASSWORD).await;
    assert_eq!(s.post_form(&format!("/rectify/problems/{p}/act"), &[("action", "claim")]).await.status(), StatusCode::SEE_OTHER);
    let res = s.post_form(&format!("/rectify/problems/{p}/measures"), &[("title", "修订中心组学习制度"), ("due_on", "2027-03-31")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let m = app.db.store.rectify().measures_of(p).await.unwrap()[0].id;
    let url = s.url(&format!("/rectify/measures/{m}/evidence"));
    let send = |ct: String, body: Vec<u8>| s.client.post(url.clone()).header("content-type", ct).body(body).send();

    // No CSRF token: refused before anything is read.
    let (ct, body) = multipart("wrong", Some(("报告.pdf", b"%PDF-1.4 x")), "");
    assert_eq!(send(ct, body).await.unwrap().status(), StatusCode::FORBIDDEN);
    // An executable renamed .pdf: a clear field error, nothing stored.
    let (ct, body) = multipart(&s.csrf, Some(("报告.pdf", b"MZ\x90\x00binary")), "");
    let res = send(ct, body).await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("文件内容与扩展名不符"));
    // 50 MB: 413, not a 500.
    let (ct, body) = multipart(&s.csrf, Some(("大文件.pdf", &vec![b'%'; 50 * 1024 * 1024])), "");
    assert_eq!(send(ct, body).await.unwrap().status(), StatusCode::PAYLOAD_TOO_LARGE);
    assert!(app.db.store.rectify().evidence_of(m).await.unwrap().is_empty());
    // A real PDF with a note: stored with its digest and downloadable.
    let (ct, body) = multipart(&s.csrf, Some(("学习制度.pdf", b"%PDF-1.4 rules")), "已印发修订后的学习制度");
    assert_eq!(send(ct, body).await.unwrap().status(), StatusCode::SEE_OTHER);
    let ev = app.db.store.rectify().evidence_of(m).await.unwrap();
    assert_eq!(ev.len(), 1);
    assert_eq!(ev[0].note.as_deref(), Some("已印发修订后的学习制度"));
    let dl = s.get(&format!("/rectify/evidence/{}", ev[0].id)).await;
    assert_eq!(dl.status(), StatusCode::OK);
    assert_eq!(dl.bytes().await.unwrap().as_ref(), b"%PDF-1.4 rules");
    // Another bureau's operator sees none of it.
    let other = app.login("op-b", PASSWORD).await;
    assert_eq!(other.get(&format!("/rectify/evidence/{}", ev[0].id)).await.status(), StatusCode::NOT_FOUND);
    let (ct, body) = multipart(&other.csrf, Some(("x.pdf", b"%PDF-1.4 y")), "");
    let res = other.client.post(other.url(&format!("/rectify/measures/{m}/evidence"))).header("content-type", ct).body(body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn closure_is_refused_with_the_reason_and_only_the_issuing_side_closes() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let p = seed(&app, &f).await;
    let s = app.login("op-a", PASSWORD).await;
    s.post_form(&format!("/rectify/problems/{p}/act"), &[("action", "claim")]).await;
    s.post_form(&format!("/rectify/problems/{p}/measures"), &[("title", "开展专题研讨"), ("due_on", "2027-03-31")]).await;
    let res = s.post_form(&format!("/rectify/problems/{p}/act"), &[("action", "request_closure")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("还有1项整改措施未完成：开展专题研讨"), "the reason is shown");
    // Finish the measure with evidence, then request closure.
    let m = app.db.store.rectify().measures_of(p).await.unwrap()[0].id;
    s.post_form(&format!("/rectify/measures/{m}/complete"), &[]).await;
    app.db.store.rectify().add_evidence(&who(), m, Some("研讨记录"), None, date(2026, 11, 20), None).await.unwrap();
    let res = s.post_form(&format!("/rectify/problems/{p}/act"), &[("action", "request_closure")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    // The unit side may not close, even by crafting the form.
    let res = s.post_form(&format!("/rectify/problems/{p}/act"), &[("action", "close")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("只有问题交办单位范围内的审核人员"));
    // Another bureau cannot even see it.
    let other = app.login("op-b", PASSWORD).await;
    assert_eq!(other.post_form(&format!("/rectify/problems/{p}/act"), &[("action", "close")]).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(app.db.store.rectify().get(p).await.unwrap().status, "closure_requested");
    // The city's discipline officer (issuing side) closes it.
    let officer = app.login("officer", PASSWORD).await;
    let res = officer.post_form(&format!("/rectify/problems/{p}/act"), &[("action", "close")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.db.store.rectify().get(p).await.unwrap().status, "closed");
}

/// Waits (up to 10 s) until the element at `css` exists and its text
/// contains `want`: a click that submits a form returns before the next
/// page has loaded.
async fn wait_text(c: &fantoccini::Client, css: &str, want: &str) -> String {
    let mut last = String::new();
    for _ in 0..100 {
        if let Ok(e) = c.find(Locator::Css(css)).await
            && let Ok(t) = e.text().await
        {
            if t.contains(want) {
                return t;
            }
            last = t;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("`{css}` never showed `{want}` (last: `{last}`)");
}

#[tokio::test]
async fn operator_claims_adds_evidence_requests_closure_and_the_reviewer_closes_in_chromium() {
    let Some(browser) = Browser::launch(1366, 900).await else { return };
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let p = seed(&app, &f).await;
    let c = &browser.client;
    let app = &app;
    let login = |user: &'static str| async move {
        c.goto(&app.url("/login")).await.unwrap();
        c.find(Locator::Css("#username")).await.unwrap().send_keys(user).await.unwrap();
        c.find(Locator::Css("#password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
        c.find(Locator::Css("form[action='/login'] button[type=submit]")).await.unwrap().click().await.unwrap();
        wait_text(c, ".who", user).await;
    };
    let click = |css: &'static str| async move { c.find(Locator::Css(css)).await.unwrap().click().await.unwrap() };

    login("op-a").await;
    // 我的待办 lists the problem to claim.
    let todos = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(todos.contains("待认领"), "{todos}");
    c.find(Locator::XPath("//a[contains(., '待认领')]")).await.unwrap().click().await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), format!("/rectify/problems/{p}"));
    click("form.action-form button[type=submit]").await; // 认领
    wait_text(c, "h1 .status", "整改中").await;
    browser.screenshot("rectify-01-claimed").await;
    c.find(Locator::Css("input[name=title]")).await.unwrap().send_keys("修订党组理论学习中心组学习制度").await.unwrap();
    click("form.add-measure button[type=submit]").await;
    wait_text(c, "h1", "修订党组理论学习中心组学习制度").await;
    // On the measure page: upload a file, then mark the measure done.
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("学习制度（修订稿）.pdf");
    std::fs::write(&path, b"%PDF-1.4\n% rules\n").unwrap();
    c.find(Locator::Css("input[type=file]")).await.unwrap().send_keys(path.to_str().unwrap()).await.unwrap();
    c.find(Locator::Css("#note")).await.unwrap().send_keys("2026年第12次党组会审议通过").await.unwrap();
    click("form[enctype='multipart/form-data'] button[type=submit]").await;
    wait_text(c, ".flash", "佐证材料已提交").await;
    browser.screenshot("rectify-02-evidence").await;
    click("form[action$='/complete'] button").await;
    wait_text(c, "h1", "已完成").await;
    c.goto(&app.url(&format!("/rectify/problems/{p}"))).await.unwrap();
    let request = c.find(Locator::Css("form.action-form input[value=request_closure] ~ button")).await.unwrap();
    request.click().await.unwrap();
    wait_text(c, "h1 .status", "申请销号").await;
    c.find(Locator::Css("form[action='/logout'] button")).await.unwrap().click().await.unwrap();
    wait_text(c, "form[action='/login'] button[type=submit]", "").await;

    // The reviewer of the issuing side sees it on the board and closes it.
    login("officer").await;
    c.goto(&app.url(&format!("/rectify/board/{}", f.city.id))).await.unwrap();
    let stat = |label: &'static str| async move {
        let stats = c.find_all(Locator::Css(".board-stats .stat")).await.unwrap();
        for s in stats {
            let t = s.text().await.unwrap();
            if t.contains(label) {
                return t.lines().next().unwrap_or("").trim().to_string();
            }
        }
        panic!("no stat {label}");
    };
    assert_eq!(stat("待审核销号").await, "1");
    assert_eq!(stat("已销号").await, "0");
    browser.screenshot("rectify-03-board-before").await;
    c.goto(&app.url(&format!("/rectify/problems/{p}"))).await.unwrap();
    c.find(Locator::Css("form.action-form input[value=close] ~ button")).await.unwrap().click().await.unwrap();
    wait_text(c, "h1 .status", "已销号").await;
    browser.screenshot("rectify-04-closed").await;
    c.goto(&app.url(&format!("/rectify/board/{}", f.city.id))).await.unwrap();
    assert_eq!(stat("已销号").await, "1");
    assert_eq!(stat("待审核销号").await, "0");
    browser.screenshot("rectify-05-board-after").await;
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());
    browser.client.clone().close().await.unwrap();
}
