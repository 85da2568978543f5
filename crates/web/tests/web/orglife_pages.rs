//! 组织生活 over HTTP: a branch secretary records a meeting in one form
//! (the vote decided by the 条例's rule and explained), a form with errors
//! keeps what was typed, compliance is read from the records, the
//! attendance register equals the meeting records, and the points of a
//! political talk become problems on the rectification board.

use jiff::civil::date;
use qingfeng_domain::orglife::input::MemberSpec;
use qingfeng_domain::orglife::{CommitteeRole, MemberStatus};
use qingfeng_domain::people::PersonSpec;
use qingfeng_test_support::fixtures::{PASSWORD, who};
use qingfeng_test_support::{Fixture, TestApp};
use reqwest::StatusCode;
use uuid::Uuid;

/// `n` members on branch A's roster, the last `probationary` 预备党员; the first is 书记.
async fn roster(app: &TestApp, f: &Fixture, n: usize, probationary: usize) -> Vec<(Uuid, String)> {
    let mut out = Vec::new();
    for i in 0..n {
        let name = format!("{}{}", ["王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周"][i % 9], ["建国", "晓梅", "卫东", "秀英", "志强", "海燕", "国平", "丽娟"][i % 8]) + &"·".repeat(i / 72);
        let name = format!("{name}{i:02}");
        let p = app
            .db
            .store
            .people()
            .create(&who(), f.branch_a.id, &PersonSpec { name: name.clone(), gender: None, position: None, is_party_member: true, is_head: false, is_leadership_member: false, sort_order: i as i64 })
            .await
            .unwrap();
        let status = if i + probationary >= n { MemberStatus::Probationary } else { MemberStatus::Formal };
        let spec = MemberSpec { person_id: p.id, status, joined_on: date(2012, 7, 1), committee_role: (i == 0).then_some(CommitteeRole::Secretary), cell_id: None, vote_suspended: false };
        app.db.store.orglife().add_member(&who(), f.branch_a.id, &spec, date(2026, 1, 5)).await.unwrap();
        out.push((p.id, name));
    }
    out
}

/// Every row of the first worksheet as text.
fn sheet_rows(bytes: &[u8]) -> Vec<Vec<String>> {
    use calamine::{Reader, Xlsx};
    let mut wb: Xlsx<_> = Xlsx::new(std::io::Cursor::new(bytes.to_vec())).expect("an xlsx");
    let name = wb.sheet_names()[0].clone();
    let range = wb.worksheet_range(&name).expect("a worksheet");
    range.rows().map(|r| r.iter().map(|c| c.to_string()).collect()).collect()
}

/// The meeting's own URL, read from the report link on its page.
fn location_of_meeting(page: &str) -> String {
    let i = page.find("/report.docx").expect("a report link");
    let start = page[..i].rfind("href=\"").expect("href") + 6;
    page[start..i].to_string()
}

/// The text of a .docx body.
fn document_xml(bytes: &[u8]) -> String {
    use std::io::Read;
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).expect("a docx is a zip");
    let mut s = String::new();
    z.by_name("word/document.xml").expect("document.xml").read_to_string(&mut s).unwrap();
    s
}

fn location(res: &reqwest::Response) -> String {
    res.headers()["location"].to_str().unwrap().to_string()
}

#[tokio::test]
async fn a_general_meeting_vote_of_7_of_15_is_not_passed_and_the_page_says_why() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let people = roster(&app, &f, 17, 2).await;
    let s = app.login("secretary-a", PASSWORD).await;
    let (status, form) = s.get_text(&format!("/orglife/branches/{}/meetings/new", f.branch_a.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(&people[16].1) && form.contains("预备党员"), "the roster is on the form");

    let branch = f.branch_a.id;
    let absent: Vec<String> = people[9..15].iter().map(|(id, _)| format!("mark_{id}")).collect();
    let mut fields: Vec<(&str, &str)> = vec![
        ("kind", "branch_assembly"),
        ("held_on", "2026-11-12"),
        ("topic", "讨论接收预备党员"),
        ("decision_title", "接收李某某为预备党员"),
        ("votes_yes", "7"),
        ("votes_no", "2"),
    ];
    fields.extend(absent.iter().map(|k| (k.as_str(), "absent")));
    let res = s.post_form(&format!("/orglife/branches/{branch}/meetings/new"), &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = s.get_text(&location(&res)).await;
    assert!(page.contains("未通过"), "outcome shown");
    // The 组织生活报告单 is generated from the same record.
    let res = s.get(&format!("{}/report.docx", location_of_meeting(&page))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let body = document_xml(&res.bytes().await.unwrap());
    assert!(body.contains("组织生活报告单") && body.contains("讨论接收预备党员"), "title and topic");
    assert!(body.contains("应到17人，实到11人，请假0人，缺席6人"), "attendance from the record");
    assert!(body.contains("未通过"), "the vote's result");
    assert!(page.contains("赞成7票，未超过应到会有表决权党员15人的半数（至少需8票）"), "reason shown: {page}");

    fields[4] = ("votes_yes", "8");
    fields[5] = ("votes_no", "1");
    fields[1] = ("held_on", "2026-11-13");
    let res = s.post_form(&format!("/orglife/branches/{branch}/meetings/new"), &fields).await;
    let (_, page) = s.get_text(&location(&res)).await;
    assert!(page.contains("赞成8票，超过应到会有表决权党员15人的半数"), "passed with 8");
}

#[tokio::test]
async fn a_form_with_errors_keeps_what_was_typed_and_writes_nothing() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let people = roster(&app, &f, 4, 0).await;
    let s = app.login("secretary-a", PASSWORD).await;
    let before = app.events().await;
    let mark = format!("mark_{}", people[2].0);
    let res = s
        .post_form(
            &format!("/orglife/branches/{}/meetings/new", f.branch_a.id),
            &[("kind", "branch_committee"), ("held_on", "2026-11-12"), ("topic", ""), ("place", "三楼会议室"), (mark.as_str(), "leave")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert!(page.contains("三楼会议室"), "typed place kept");
    assert!(page.contains("请假须写明事由"), "the missing reason is named");
    assert!(page.contains(&format!("name=\"{mark}\" value=\"leave\" checked")), "the mark is kept");
    assert_eq!(app.events().await, before, "nothing written");
}

#[tokio::test]
async fn compliance_and_the_register_are_generated_from_the_meeting_records() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let people = roster(&app, &f, 5, 1).await;
    let s = app.login("secretary-a", PASSWORD).await;
    let branch = f.branch_a.id;
    // The plan is made once, from the regulation.
    let res = s.post_form(&format!("/orglife/branches/{branch}/plan/generate"), &[("year", "2026")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let plan = app.db.store.orglife().plan(branch, 2026).await.unwrap();
    assert!(plan.iter().any(|p| p.kind == "theme_day"));
    // An item the branch adds itself; a bad one names its field.
    let res = s.post_form(&format!("/orglife/branches/{branch}/plan"), &[("kind", "party_lecture"), ("planned_on", "2026-07-01"), ("topic", "书记讲党课：弘扬伟大建党精神")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.db.store.orglife().plan(branch, 2026).await.unwrap().len(), plan.len() + 1);
    let res = s.post_form(&format!("/orglife/branches/{branch}/plan"), &[("kind", "party_lecture"), ("planned_on", "七月"), ("topic", "x")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let leave = format!("mark_{}", people[1].0);
    let reason = format!("reason_{}", people[1].0);
    let absent = format!("mark_{}", people[3].0);
    for (day, extra) in [("2026-04-15", vec![(leave.as_str(), "leave"), (reason.as_str(), "出差")]), ("2026-06-15", vec![(absent.as_str(), "absent")])] {
        let mut fields = vec![("kind", "theme_day"), ("held_on", day), ("topic", "主题党日：学习党章")];
        fields.extend(extra);
        let res = s.post_form(&format!("/orglife/branches/{branch}/meetings/new"), &fields).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let (status, page) = s.get_text(&format!("/orglife/branches/{branch}?year=2026")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("slot slot-missed") && page.contains("slot slot-done"), "months with and without a 主题党日");
    assert!(page.contains(&format!("/orglife/branches/{branch}/meetings?kind=theme_day&#38;from=2026-04-01&#38;to=2026-04-30")), "done cells link to the records");

    let res = s.get(&format!("/orglife/branches/{branch}/register.xlsx?year=2026")).await;
    assert_eq!(res.status(), StatusCode::OK);
    let bytes = res.bytes().await.unwrap().to_vec();
    let rows = sheet_rows(&bytes);
    let header = rows.iter().position(|r| r.get(1).map(String::as_str) == Some("姓名")).expect("a header row");
    let rows = &rows[header + 1..];
    // Compare every cell with the stored attendance.
    let o = app.db.store.orglife();
    let mut meetings = o.meetings(branch, date(2026, 1, 1), date(2026, 12, 31), None).await.unwrap();
    meetings.reverse();
    assert_eq!(rows.len(), people.len());
    for row in rows {
        let name = &row[1];
        let (pid, _) = people.iter().find(|(_, n)| n == name).expect("a roster member");
        for (i, m) in meetings.iter().enumerate() {
            let line = o.attendance(m.id).await.unwrap().into_iter().find(|a| a.person_id == *pid).unwrap();
            let want = match line.mark.as_str() {
                "present" => "✓".to_string(),
                "leave" => format!("假（{}）", line.reason.unwrap_or_default()),
                _ => "缺".to_string(),
            };
            assert_eq!(row[2 + i], want, "{name} at {}", m.held_on);
        }
    }
    let totals: Vec<&str> = rows.iter().map(|r| r[2 + meetings.len() + 1].as_str()).collect();
    assert_eq!(totals.iter().filter(|t| **t == "2").count(), 3, "three members present at both");
}

#[tokio::test]
async fn points_raised_in_a_political_talk_become_problems_on_the_board() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let s = app.login("admin", PASSWORD).await;
    let res = s
        .post_form(
            "/orglife/talks/new",
            &[
                ("unit", &f.bureau_a.id.to_string()),
                ("kind", "political"),
                ("held_on", "2026-03-02"),
                ("subject", "党组书记与班子成员集体政治谈话"),
                ("talkers", &f.person_b.id.to_string()),
                ("talkees", &f.person_a.id.to_string()),
                ("points", "落实全面从严治党主体责任压力传导不够\n对基层党支部指导督促不经常"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let talk = location(&res);
    let (_, page) = s.get_text(&talk).await;
    assert!(page.contains("列入问题清单"));
    let res = s
        .post_form(&format!("{talk}/problems"), &[("lead_unit_id", &f.bureau_a.id.to_string()), ("deadline", "2099-03-31"), ("root_cause", "responsibility")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, list) = s.get_text(&location(&res)).await;
    assert!(list.contains("对基层党支部指导督促不经常"), "the problems are listed");
    let board = app.db.store.rectify().board(f.city.id).await.unwrap();
    assert_eq!(board.total.total, 2, "and counted on the city's board");
    assert!(board.by_source.iter().any(|c| c.key == "talk" && c.counts.total == 2), "under the source 谈话");
}

/// Counts, in the page itself, the form submissions and the distinct fields
/// the user changed (kept in sessionStorage across the redirect).
const COUNTER: &str = r#"
sessionStorage.setItem('qf_submits', sessionStorage.getItem('qf_submits') || '0');
sessionStorage.setItem('qf_touched', sessionStorage.getItem('qf_touched') || '[]');
document.addEventListener('change', e => {
  const t = new Set(JSON.parse(sessionStorage.getItem('qf_touched')));
  t.add(e.target.name);
  sessionStorage.setItem('qf_touched', JSON.stringify([...t]));
}, true);
document.addEventListener('submit', () => {
  sessionStorage.setItem('qf_submits', String(Number(sessionStorage.getItem('qf_submits')) + 1));
}, true);
"#;

#[tokio::test]
async fn a_branch_secretary_records_a_committee_meeting_from_the_plan_on_a_phone_in_chromium() {
    use fantoccini::Locator;
    let Some(browser) = qingfeng_test_support::Browser::launch(390, 844).await else { return };
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let people = roster(&app, &f, 9, 1).await;
    // Three committee seats make it a branch with a 支委会.
    for (i, seat) in [(1, CommitteeRole::Organisation), (2, CommitteeRole::Propaganda)] {
        let m = app.db.store.orglife().roster(f.branch_a.id, date(2026, 1, 5)).await.unwrap().into_iter().find(|m| m.person_id == people[i].0).unwrap();
        let spec = MemberSpec { person_id: m.person_id, status: MemberStatus::Formal, joined_on: date(2012, 7, 1), committee_role: Some(seat), cell_id: None, vote_suspended: false };
        app.db.store.orglife().update_member(&who(), m.id, &spec).await.unwrap();
    }
    let info = app.db.store.orglife().branches(std::slice::from_ref(&f.branch_a.path), Some(f.branch_a.id)).await.unwrap().remove(0);
    let plan = qingfeng_domain::orglife::plan::default_plan(&qingfeng_domain::orglife::required_kinds(&Default::default(), info.shape()), 2026);
    app.db.store.orglife().add_plan(&who(), f.branch_a.id, &plan).await.unwrap();

    let c = &browser.client;
    c.goto(&app.url("/login")).await.unwrap();
    c.find(Locator::Css("#username")).await.unwrap().send_keys("secretary-a").await.unwrap();
    c.find(Locator::Css("#password")).await.unwrap().send_keys(PASSWORD).await.unwrap();
    c.find(Locator::Css("form[action='/login'] button[type=submit]")).await.unwrap().click().await.unwrap();
    c.wait().for_element(Locator::Css(".who")).await.unwrap();
    c.goto(&app.url("/orglife")).await.unwrap();
    assert_eq!(c.current_url().await.unwrap().path(), format!("/orglife/branches/{}", f.branch_a.id), "a branch's board is its page");
    let viewport = c.execute("return [window.innerWidth, window.innerHeight]", vec![]).await.unwrap();
    assert_eq!(viewport, serde_json::json!([390, 844]), "a phone-sized viewport");
    browser.screenshot("orglife-phone-01-branch").await;
    // The first planned 支委会 not yet recorded.
    let row = c.find(Locator::XPath("//section[@id='plan']//tr[td[contains(., '支委会')]][.//a[contains(@href, 'meetings/new?plan=')]]")).await.unwrap();
    let topic = row.find(Locator::Css("td:nth-child(3)")).await.unwrap().text().await.unwrap();
    row.find(Locator::Css("a")).await.unwrap().click().await.unwrap();
    c.execute(COUNTER, vec![]).await.unwrap();
    // Pre-filled from the plan: kind, topic, date, chair; everyone present.
    let kind = c.find(Locator::Css("#kind")).await.unwrap().prop("value").await.unwrap();
    assert_eq!(kind.as_deref(), Some("branch_committee"));
    assert_eq!(c.find(Locator::Css("#topic")).await.unwrap().prop("value").await.unwrap().as_deref(), Some(topic.as_str()));
    assert!(c.find(Locator::Css("#host_id")).await.unwrap().prop("value").await.unwrap().is_some_and(|v| v == people[0].0.to_string()));
    browser.screenshot("orglife-phone-02-form").await;

    // Mark one member on leave (with the reason) and one absent; submit once.
    let leave = people[3].0;
    let absent = people[5].0;
    // A thumb scrolls the row to the middle of the screen, then taps.
    let tap = |css: String| async move {
        let e = c.find(Locator::Css(&css)).await.unwrap();
        c.execute("arguments[0].scrollIntoView({block: 'center'})", vec![serde_json::to_value(&e).unwrap()]).await.unwrap();
        e
    };
    tap(format!("input[name='mark_{leave}'][value=leave]")).await.click().await.unwrap();
    tap(format!("input[name='reason_{leave}']")).await.send_keys("参加市委党校培训").await.unwrap();
    tap(format!("input[name='mark_{absent}'][value=absent]")).await.click().await.unwrap();
    browser.screenshot("orglife-phone-03-marked").await;
    tap("#meeting-form button[type=submit]".into()).await.click().await.unwrap();
    let mut path = String::new();
    for _ in 0..50 {
        path = c.current_url().await.unwrap().path().to_string();
        if path.starts_with("/orglife/meetings/") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(path.starts_with("/orglife/meetings/"), "saved: {path}");
    browser.screenshot("orglife-phone-04-saved").await;
    let submits = c.execute("return Number(sessionStorage.getItem('qf_submits'))", vec![]).await.unwrap();
    let touched = c.execute("return JSON.parse(sessionStorage.getItem('qf_touched'))", vec![]).await.unwrap();
    let touched: Vec<String> = serde_json::from_value(touched).unwrap();
    println!("record a 支委会 from the plan at 390×844: {submits} form submission(s), {} field(s) touched: {touched:?}", touched.len());
    assert_eq!(submits.as_i64(), Some(1), "one form");
    assert_eq!(touched.len(), 3, "two marks and one reason: {touched:?}");

    // The record is what was marked, and the plan item is done.
    let id = Uuid::parse_str(path.trim_start_matches("/orglife/meetings/")).unwrap();
    let att = app.db.store.orglife().attendance(id).await.unwrap();
    assert_eq!(att.len(), 9);
    let mark = |p: Uuid| att.iter().find(|a| a.person_id == p).map(|a| (a.mark.clone(), a.reason.clone())).unwrap();
    assert_eq!(mark(leave), ("leave".into(), Some("参加市委党校培训".into())));
    assert_eq!(mark(absent), ("absent".into(), None));
    assert_eq!(att.iter().filter(|a| a.mark == "present").count(), 7);
    let page = c.find(Locator::Css("main")).await.unwrap().text().await.unwrap();
    assert!(page.contains("参加市委党校培训"), "{page}");
    browser.client.clone().close().await.unwrap();
}

#[tokio::test]
async fn planned_meetings_not_yet_recorded_wait_in_the_secretarys_todo_list() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    roster(&app, &f, 3, 0).await;
    let today = qingfeng_web::rectify::today();
    let item = qingfeng_domain::orglife::input::PlanItemSpec {
        kind: qingfeng_domain::orglife::MeetingKind::ThemeDay,
        planned_on: today.first_of_month(),
        topic: "开展“我为群众办实事”志愿服务".into(),
    };
    let plan = app.db.store.orglife().add_plan(&who(), f.branch_a.id, &[item]).await.unwrap();
    let s = app.login("secretary-a", PASSWORD).await;
    let (_, home) = s.get_text("/").await;
    assert!(home.contains("待记录主题党日"), "{home}");
    assert!(home.contains(&format!("/orglife/branches/{}/meetings/new?plan={}", f.branch_a.id, plan[0].id)));
    // Another branch's secretary would not see it: bureau B's operator has no such item.
    let (_, other) = app.login("op-b", PASSWORD).await.get_text("/").await;
    assert!(!other.contains("待记录主题党日"));
}

/// Posts one file as multipart (with the session's CSRF token first).
async fn upload(s: &qingfeng_test_support::Session, path: &str, name: &str, bytes: &[u8]) -> reqwest::Response {
    let boundary = "----qingfeng-orglife-boundary-1b7c";
    let mut body = format!("--{boundary}\r\nContent-Disposition: form-data; name=\"_csrf\"\r\n\r\n{}\r\n", s.csrf).into_bytes();
    body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n").as_bytes());
    body.extend(bytes);
    body.extend(format!("\r\n--{boundary}--\r\n").as_bytes());
    s.client.post(s.url(path)).header("content-type", format!("multipart/form-data; boundary={boundary}")).body(body).send().await.unwrap()
}

#[tokio::test]
async fn a_meeting_file_is_checked_scoped_and_in_the_chain() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    roster(&app, &f, 3, 0).await;
    let s = app.login("secretary-a", PASSWORD).await;
    let res = s.post_form(&format!("/orglife/branches/{}/meetings/new", f.branch_a.id), &[("kind", "theme_day"), ("held_on", "2026-05-15"), ("topic", "主题党日")]).await;
    let meeting = location(&res);
    let res = upload(&s, &format!("{meeting}/files"), "签到表.pdf", b"%PDF-1.4 sign-in sheet").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let (_, page) = s.get_text(&meeting).await;
    assert!(page.contains("签到表.pdf"));
    let id = app.db.store.orglife().files(Uuid::parse_str(meeting.trim_start_matches("/orglife/meetings/")).unwrap()).await.unwrap()[0].id;
    let res = s.get(&format!("/orglife/files/{id}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert_eq!(res.bytes().await.unwrap().as_ref(), b"%PDF-1.4 sign-in sheet");
    // A program disguised as a PDF is refused with the reason; nothing is attached.
    let res = upload(&s, &format!("{meeting}/files"), "照片.pdf", b"MZ\x90\x00 not a pdf").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(app.db.store.orglife().files(Uuid::parse_str(meeting.trim_start_matches("/orglife/meetings/")).unwrap()).await.unwrap().len(), 1);
    // Another bureau cannot fetch it.
    let other = app.login("op-b", PASSWORD).await;
    assert_eq!(other.get(&format!("/orglife/files/{id}")).await.status(), StatusCode::NOT_FOUND);
    // Swapping the file behind the record breaks the chain.
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());
    let pool = sqlx::SqlitePool::connect(&app.db.url).await.unwrap();
    sqlx::query("UPDATE meeting_files SET file_name = '会议照片.pdf'").execute(&pool).await.unwrap();
    assert!(app.db.store.audit().verify().await.unwrap().is_err());
}

#[tokio::test]
async fn the_json_api_records_a_meeting_decides_its_vote_and_names_bad_fields() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let people = roster(&app, &f, 17, 2).await;
    let token = app.token(f.secretary_a.id).await;
    let post = |path: String, body: serde_json::Value| {
        let c = app.client();
        let url = app.url(&path);
        let token = token.clone();
        async move {
            let res = c.post(url).bearer_auth(token).json(&body).send().await.unwrap();
            (res.status(), res.json::<serde_json::Value>().await.unwrap_or_default())
        }
    };
    let branch = f.branch_a.id;
    let absent: Vec<serde_json::Value> = people[9..15].iter().map(|(id, _)| serde_json::json!({"person_id": id, "mark": "absent"})).collect();
    let (status, m) = post(
        format!("/api/v1/orglife/branches/{branch}/meetings"),
        serde_json::json!({"kind": "branch_assembly", "held_on": "2026-11-12", "topic": "讨论接收预备党员", "attendance": absent,
            "vote": {"title": "接收李某某为预备党员", "yes": 7, "no": 2, "abstain": 0}}),
    )
    .await;
    assert_eq!(status, StatusCode::CREATED, "{m}");
    assert_eq!(m["decision"]["outcome"], "not_passed");
    assert_eq!((m["decision"]["entitled"].as_u64(), m["decision"]["present"].as_u64()), (Some(15), Some(9)));
    assert!(m["decision"]["reason"].as_str().unwrap().contains("至少需8票"));
    // Leave without a reason: 422 naming the member's field; nothing recorded.
    let (status, e) = post(
        format!("/api/v1/orglife/branches/{branch}/meetings"),
        serde_json::json!({"kind": "theme_day", "held_on": "2026-11-13", "topic": "主题党日", "attendance": [{"person_id": people[2].0, "mark": "leave"}]}),
    )
    .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(e["fields"].to_string().contains(&format!("reason_{}", people[2].0)), "{e}");
    let c = app.client().get(app.url(&format!("/api/v1/orglife/branches/{branch}/compliance?year=2026"))).bearer_auth(&token).send().await.unwrap();
    let c: serde_json::Value = c.json().await.unwrap();
    let assembly = c["kinds"].as_array().unwrap().iter().find(|k| k["kind"] == "branch_assembly").unwrap();
    assert_eq!(assembly["done"], 1, "one 党员大会 recorded: {c}");
    assert_eq!(c["attendance_expected"], 17);
    // Another bureau's operator does not see the branch.
    let other = app.token(f.op_b.id).await;
    let res = app.client().get(app.url(&format!("/api/v1/orglife/meetings/{}", m["id"].as_str().unwrap()))).bearer_auth(other).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
