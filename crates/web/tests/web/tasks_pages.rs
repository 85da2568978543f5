//! 部署分解 over HTTP: a speech uploaded as a file becomes a draft of its
//! requirements, is issued to two bureaus, one bureau breaks a task down for
//! its branch, the branch reports and the bureau's and the city's progress
//! follow; a returned task carries its reason back; a deadline change is a
//! request the issuer decides; the task breakdown table downloads as .xlsx
//! and .docx; a form with errors keeps what was typed.

use qingfeng_test_support::fixtures::PASSWORD;
use qingfeng_test_support::{Fixture, Session, TestApp};
use reqwest::StatusCode;

const SPEECH: &str = include_str!("../../../text/tests/corpus/000_b4f7bf7a28539381.txt");

/// Posts the new-directive form as multipart: fields, then an optional file.
async fn new_directive(s: &Session, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> reqwest::Response {
    let boundary = "----qingfeng-tasks-boundary-7e2a";
    let mut body = Vec::new();
    let mut field = |name: &str, value: &str| {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{name}\"\r\n\r\n{value}\r\n").as_bytes());
    };
    field("_csrf", &s.csrf);
    for (k, v) in fields {
        field(k, v);
    }
    if let Some((name, bytes)) = file {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    s.client.post(s.url("/tasks/directives/new")).header("content-type", format!("multipart/form-data; boundary={boundary}")).body(body).send().await.unwrap()
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

/// The ids of the task links on a page, in order.
fn task_links(page: &str) -> Vec<String> {
    page.match_indices("href=\"/tasks/items/").map(|(i, _)| page[i + 19..i + 19 + 36].to_string()).collect()
}

#[tokio::test]
async fn a_speech_is_issued_broken_down_reported_and_rolled_up_without_retyping() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let officer = app.login("officer", PASSWORD).await;
    let city = f.city.id.to_string();
    let res = new_directive(&officer, &[("kind", "speech"), ("issuing_unit_id", &city), ("issued_on", "2026-03-02")], Some(("讲话.txt", SPEECH.as_bytes()))).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "{}", res.text().await.unwrap());
    let url = location(&res);
    let (status, draft) = officer.get_text(&url).await;
    assert_eq!(status, StatusCode::OK);
    assert!(draft.contains("在全市生态系统全面从严治党暨作风再整治工作会议上的讲话"), "the title is taken from the text");
    assert!(draft.contains("持续加强理论修养") && draft.contains("抓实“四风”整治"));
    assert!(draft.contains("理论学习“搞应付”"), "the problems are listed apart");
    assert_eq!(draft.matches("name=\"lead.").count(), 9, "one row per requirement");

    // Drop all but three rows, then issue to three bureaus: one lead-unit choice per row.
    let id = url.rsplit('/').next().unwrap().to_string();
    for _ in 0..6 {
        let res = officer.post_form(&format!("/tasks/directives/{id}/draft"), &[("op", "drop:2"), ("default_deadline", "2027-06-30")]).await;
        assert_eq!(res.status(), StatusCode::OK);
    }
    // Missing lead units are named per row; the wording typed is kept.
    let (a, b) = (f.bureau_a.id.to_string(), f.bureau_b.id.to_string());
    let spec = qingfeng_domain::org::OrgUnitSpec { name: "中共测试市财政局党组".into(), short_name: None, kind: qingfeng_domain::org::OrgKind::PartyGroup, sort_order: 3 };
    let bureau_c = app.db.store.orgs().create(&qingfeng_test_support::fixtures::who(), Some(f.city.id), &spec).await.unwrap();
    let c = bureau_c.id.to_string();
    let res = officer
        .post_form(&format!("/tasks/directives/{id}/issue"), &[("default_deadline", "2027-06-30"), ("title.0", "持续加强理论修养（修改）"), ("lead.0", &a), ("title.1", "严明党的纪律规矩")])
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("持续加强理论修养（修改）") && page.contains("请选择牵头单位"));
    let res = officer
        .post_form(
            &format!("/tasks/directives/{id}/issue"),
            &[("default_deadline", "2027-06-30"), ("title.0", "持续加强理论修养"), ("lead.0", &a), ("title.1", "严明党的纪律规矩"), ("lead.1", &b), ("lead.2", &c)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, tree) = officer.get_text(&url).await;
    let tasks = task_links(&tree);
    assert_eq!(tasks.len(), 3, "{tree}");

    // Bureau A accepts and breaks its task down for its branch.
    let op_a = app.login("op-a", PASSWORD).await;
    let t1 = &tasks[0];
    assert_eq!(op_a.post_form(&format!("/tasks/items/{t1}/act"), &[("action", "accept")]).await.status(), StatusCode::SEE_OTHER);
    let br = f.branch_a.id.to_string();
    let res = op_a
        .post_form(
            &format!("/tasks/items/{t1}/breakdown"),
            &[("title.0", "开展专题学习"), ("lead.0", &br), ("deadline.0", "2027-06-15"), ("title.1", "建立学习台账"), ("lead.1", &br), ("deadline.1", "2027-06-15"), ("title.2", ""), ("deadline.2", "2027-06-30")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = op_a.get_text(&format!("/tasks/items/{t1}")).await;
    let subs = task_links(&page);
    assert_eq!(subs.len(), 2);
    let res = op_a.post_form(&format!("/tasks/items/{t1}/report"), &[("percent", "50"), ("note", "x")]).await;
    assert!(res.text().await.unwrap().contains("进度由子任务汇总生成"), "a broken-down task's progress is not typed");

    // The branch accepts and reports; the bureau's and the city's figures follow.
    let sec = app.login("secretary-a", PASSWORD).await;
    for (sub, pct) in subs.iter().zip(["100", "60"]) {
        assert_eq!(sec.post_form(&format!("/tasks/items/{sub}/act"), &[("action", "accept")]).await.status(), StatusCode::SEE_OTHER);
        assert_eq!(sec.post_form(&format!("/tasks/items/{sub}/report"), &[("percent", pct), ("note", "已组织学习")]).await.status(), StatusCode::SEE_OTHER);
    }
    let t = app.db.store.tasks().get(t1.parse().unwrap()).await.unwrap();
    assert_eq!(t.progress, 80);
    let (_, tree) = officer.get_text(&url).await;
    assert!(tree.contains("style=\"width:27%\""), "the city's progress is the mean of its three tasks (80, 0, 0): {tree}");

    // Bureau B returns its task with a reason; the issuer sees it.
    let op_b = app.login("op-b", PASSWORD).await;
    let t2 = &tasks[1];
    let res = op_b.post_form(&format!("/tasks/items/{t2}/act"), &[("action", "return"), ("reason", "")]).await;
    assert!(res.text().await.unwrap().contains("请填写理由"));
    op_b.post_form(&format!("/tasks/items/{t2}/act"), &[("action", "return"), ("reason", "该项由市委组织部牵头更合适")]).await;
    let (_, page) = officer.get_text(&format!("/tasks/items/{t2}")).await;
    assert!(page.contains("该项由市委组织部牵头更合适") && page.contains("重新交办"));

    // A deadline change is a request the issuer (the bureau) decides.
    let sub = &subs[1];
    let res = sec.post_form(&format!("/tasks/items/{sub}/deadline"), &[("new_deadline", "2027-07-30"), ("reason", "x")]).await;
    assert!(res.text().await.unwrap().contains("不能晚于上级任务的时限"));
    sec.post_form(&format!("/tasks/items/{sub}/deadline"), &[("new_deadline", "2027-06-25"), ("reason", "等待区里统一部署")]).await;
    assert_eq!(app.db.store.tasks().get(sub.parse().unwrap()).await.unwrap().deadline, "2027-06-15");
    let x = app.db.store.tasks().deadline_changes(sub.parse().unwrap()).await.unwrap()[0].id;
    let res = sec.post_form(&format!("/tasks/deadline-changes/{x}/decide"), &[("decision", "approve")]).await;
    assert!(res.text().await.unwrap().contains("只有任务交办单位可以审批"));
    op_a.post_form(&format!("/tasks/deadline-changes/{x}/decide"), &[("decision", "approve"), ("comment", "同意")]).await;
    assert_eq!(app.db.store.tasks().get(sub.parse().unwrap()).await.unwrap().deadline, "2027-06-25");

    // Exports, and the board's numbers lead to the tasks.
    let res = officer.get(&format!("/tasks/directives/{id}/tasks.xlsx")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap();
    let t = qingfeng_sheets::read_xlsx(&bytes);
    assert!(t.is_ok() || bytes.starts_with(b"PK"), "an xlsx");
    let res = officer.get(&format!("/tasks/directives/{id}/tasks.docx")).await;
    let docx = res.bytes().await.unwrap();
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(docx.to_vec())).unwrap();
    let mut xml = String::new();
    std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut xml).unwrap();
    for s in ["任务内容", "牵头单位", "开展专题学习", f.bureau_a.name.as_str()] {
        assert!(xml.contains(s), "{s} in the docx");
    }
    let (_, board) = officer.get_text(&format!("/tasks/board/{}", f.city.id)).await;
    assert!(board.contains(&format!("/tasks/list?unit={a}&#38;status=accepted")), "{board}");
    let (_, list) = officer.get_text(&format!("/tasks/list?unit={a}&status=accepted")).await;
    assert!(list.contains("开展专题学习") && list.contains("持续加强理论修养"));

    // The four problems the speech lists become a 问题清单, once.
    let form = [("lead_unit_id", a.as_str()), ("deadline", "2027-03-31"), ("root_cause", "responsibility")];
    assert_eq!(officer.post_form(&format!("/tasks/directives/{id}/problems"), &form).await.status(), StatusCode::SEE_OTHER);
    let d = app.db.store.tasks().directive(id.parse().unwrap()).await.unwrap();
    let batch = app.db.store.rectify().batch(d.batch_id.expect("a batch")).await.unwrap();
    assert_eq!((batch.source.as_str(), batch.problems), ("self_check", 4));
    let again = officer.post_form(&format!("/tasks/directives/{id}/problems"), &form).await;
    assert!(again.text().await.unwrap().contains("已列入问题清单"));
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_directive_for_another_bureau_is_refused_and_bad_input_is_named() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let op_a = app.login("op-a", PASSWORD).await;
    let b = f.bureau_b.id.to_string();
    let res = new_directive(&op_a, &[("kind", "document"), ("title", "x"), ("issuing_unit_id", &b), ("issued_on", "2026-03-02"), ("source_text", "一要加强学习。")], None).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    let a = f.bureau_a.id.to_string();
    let res = new_directive(&op_a, &[("kind", "document"), ("title", "关于加强作风建设的通知"), ("issuing_unit_id", &a), ("issued_on", "2026-02-30")], None).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("关于加强作风建设的通知"), "what was typed is kept");
    assert!(page.contains("请粘贴或上传原文"));
    let res = new_directive(&op_a, &[("kind", "document"), ("issuing_unit_id", &a), ("issued_on", "2026-03-02")], Some(("讲话.pdf", b"%PDF-1.4 binary"))).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("文件无法读取"));
    let res = new_directive(&op_a, &[("kind", "document"), ("issuing_unit_id", &a), ("issued_on", "2026-03-02")], Some(("乱码.txt", &[0xff, 0xfe, 0x00, 0x01, 0x80, 0x81]))).await;
    assert_ne!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
}

/// Browser journey in real headless Chromium: the 纪委 officer uploads a
/// speech, edits the draft (rewords one task, merges two, drops one),
/// chooses each lead unit and issues; the bureau signs in and accepts.
#[tokio::test]
async fn browser_upload_a_speech_edit_the_draft_issue_and_accept_as_a_bureau() {
    use fantoccini::Locator;
    let Some(browser) = qingfeng_test_support::Browser::launch(1366, 900).await else { return };
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let dir = tempfile::tempdir().unwrap();
    let speech = dir.path().join("在全市生态系统全面从严治党暨作风再整治工作会议上的讲话.txt");
    std::fs::write(&speech, SPEECH).unwrap();
    let c = &browser.client;
    let app = &app;
    let sign_in = |user: &'static str| async move {
        c.delete_all_cookies().await.unwrap();
        c.goto(&app.url("/login")).await.unwrap();
        c.find(Locator::Css("#username")).await.unwrap().send_keys(user).await.unwrap();
        c.find(Locator::Css("#password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
        c.find(Locator::Css("form[action='/login'] button[type=submit]")).await.unwrap().click().await.unwrap();
        c.wait().for_element(Locator::Css(".who")).await.unwrap();
    };
    let wait_path = |prefix: String| async move {
        for _ in 0..100 {
            let p = c.current_url().await.unwrap().path().to_string();
            if p.starts_with(&prefix) {
                return p;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        panic!("never reached {prefix}");
    };
    let click = |css: String| async move {
        let e = c.find(Locator::Css(&css)).await.unwrap();
        c.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&e).unwrap()]).await.unwrap();
        e.click().await.unwrap();
    };

    sign_in("officer").await;
    c.goto(&app.url("/tasks")).await.unwrap();
    c.find(Locator::LinkText("新建部署")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css("input[type=file]")).await.unwrap();
    c.find(Locator::Css("input[type=file]")).await.unwrap().send_keys(speech.to_str().unwrap()).await.unwrap();
    browser.screenshot("tasks-01-new").await;
    click("form[action='/tasks/directives/new'] button[type=submit]".into()).await;
    let path = wait_path("/tasks/directives/0".into()).await;
    c.wait().for_element(Locator::Css("#draft-form")).await.unwrap();
    let rows = c.find_all(Locator::Css("select.lead-select")).await.unwrap().len();
    assert_eq!(rows, 9, "the nine requirements of the speech");
    browser.screenshot("tasks-02-draft").await;

    // Reword the first, merge the second into it, drop the last.
    let title = c.find(Locator::Css("input[name='title.0']")).await.unwrap();
    title.clear().await.unwrap();
    title.send_keys("持续加强理论修养，每季度开展一次专题学习").await.unwrap();
    click("button[value='merge:1']".into()).await;
    c.wait().for_element(Locator::Css("button[value='drop:7']")).await.unwrap();
    click("button[value='drop:7']".into()).await;
    for _ in 0..50 {
        if c.find_all(Locator::Css("select.lead-select")).await.unwrap().len() == 7 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert_eq!(c.find_all(Locator::Css("select.lead-select")).await.unwrap().len(), 7);
    let first = c.find(Locator::Css("input[name='title.0']")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(first.as_deref(), Some("持续加强理论修养，每季度开展一次专题学习"), "the rewording survived the other edits");
    let body = c.find(Locator::Css("textarea[name='body.0']")).await.unwrap().prop("value").await.unwrap().unwrap_or_default();
    assert!(body.contains("严明党的纪律规矩"), "the merged item is in the body: {body}");

    // Two clicks a row: open the lead-unit list, choose. Then one 下发.
    let (a, b) = (f.bureau_a.id, f.bureau_b.id);
    for i in 0..7 {
        let unit = if i % 2 == 0 { a } else { b };
        click(format!("select[name='lead.{i}']")).await;
        click(format!("select[name='lead.{i}'] option[value='{unit}']")).await;
    }
    browser.screenshot("tasks-03-assigned").await;
    click("#issue-btn".into()).await;
    c.wait().for_element(Locator::Css(".task-tree")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), path);
    let links = c.find_all(Locator::Css(".task-tree a[href^='/tasks/items/']")).await.unwrap();
    assert_eq!(links.len(), 7);
    browser.screenshot("tasks-04-issued").await;

    // The bureau signs in, finds the task in 我的待办 and accepts it.
    sign_in("op-a").await;
    let todo = c.find(Locator::XPath("//a[contains(., '持续加强理论修养，每季度开展一次专题学习')]")).await.unwrap();
    todo.click().await.unwrap();
    wait_path("/tasks/items/".into()).await;
    browser.screenshot("tasks-05-task").await;
    click("#act-accept".into()).await;
    c.wait().for_element(Locator::Css("#breakdown")).await.unwrap();
    let status = c.find(Locator::Css("h1 .status")).await.unwrap().text().await.unwrap();
    assert_eq!(status, "落实中");
    browser.screenshot("tasks-06-accepted").await;
}
