//! 四不两直 spot checks over real HTTP: the draw, its replay, findings that
//! reopen problems, the flags, and who may see any of it.

use crate::rectify_seed::{account_with, close, closed_problems};
use qingfeng_domain::access::Role;
use qingfeng_domain::rectify::ProblemStatus;
use qingfeng_domain::rectify::spot::draw;
use qingfeng_test_support::fixtures::PASSWORD;
use qingfeng_test_support::{Fixture, Session, TestApp};
use reqwest::StatusCode;
use uuid::Uuid;

/// Submits the draw form; on success the id of the new draw.
async fn submit_draw(s: &Session, unit: Uuid, size: &str, seed: &str) -> Result<Uuid, (StatusCode, String)> {
    let unit = unit.to_string();
    let fields =
        [("scope_unit_id", unit.as_str()), ("title", "2026年11月四不两直抽查"), ("sample_size", size), ("seed", seed)];
    let res = s.post_form("/rectify/spot-checks/new", &fields).await;
    if res.status() != StatusCode::SEE_OTHER {
        return Err((res.status(), res.text().await.unwrap_or_default()));
    }
    let to = res.headers()["location"].to_str().unwrap().to_string();
    Ok(to.trim_start_matches("/rectify/spot-checks/").parse().unwrap())
}

/// The text of the field error shown under `field`, if any.
fn field_error<'a>(page: &'a str, field: &str) -> Option<&'a str> {
    let at = page.find(&format!("id=\"err-{field}\">"))? + field.len() + 10;
    Some(&page[at..at + page[at..].find('<')?])
}

#[tokio::test]
async fn an_inspector_draws_with_a_seed_and_the_page_shows_the_sample_the_seed_gives() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let closed = closed_problems(&app.db.store, &f, f.branch_a.id, 5).await;
    account_with(&app.db.store, "inspector", f.city.id, Role::Inspector).await;
    let s = app.login("inspector", PASSWORD).await;

    let (status, home) = s.get_text("/").await;
    assert_eq!(status, StatusCode::OK);
    assert!(home.contains("href=\"/rectify/spot-checks\""), "the 四不两直 menu entry");
    let (status, form) = s.get_text("/rectify/spot-checks/new").await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains("在任何现场核查之前即写入防篡改留痕链"), "the page says the draw is sealed first");
    assert!(form.contains(&f.bureau_a.name) && form.contains(&f.city.name));

    // A sample of none, or larger than the candidates, is refused on its field; the form keeps what was typed.
    let (status, page) = submit_draw(&s, f.bureau_a.id, "0", "77").await.unwrap_err();
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(field_error(&page, "sample_size"), Some("抽查数量应大于0"));
    assert!(page.contains("value=\"77\"") && page.contains("value=\"2026年11月四不两直抽查\""));
    let (_, page) = submit_draw(&s, f.bureau_a.id, "6", "").await.unwrap_err();
    assert!(field_error(&page, "sample_size").unwrap().contains("5个"), "{:?}", field_error(&page, "sample_size"));
    let (_, page) = submit_draw(&s, f.bureau_b.id, "1", "").await.unwrap_err();
    assert!(field_error(&page, "scope_unit_id").is_some(), "bureau B has nothing closed");
    let (_, page) = submit_draw(&s, f.bureau_a.id, "2", "seven").await.unwrap_err();
    assert!(field_error(&page, "seed").is_some());
    assert!(app.db.store.rectify().spot_checks(std::slice::from_ref(&f.city.path)).await.unwrap().is_empty(), "nothing drawn");

    // The sample is the one the domain draw gives for the seed over the closed problems.
    let id = submit_draw(&s, f.bureau_a.id, "2", "20261123").await.unwrap();
    let ids: Vec<Uuid> = closed.iter().map(|p| p.id).collect();
    let expected = draw(20261123, &ids, 2);
    let (status, page) = s.get_text(&format!("/rectify/spot-checks/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("20261123") && page.contains("可复现 ✓"), "seed and replay shown");
    for p in &closed {
        let link = format!("href=\"/rectify/problems/{}\"", p.id);
        assert_eq!(page.contains(&link), expected.contains(&p.id), "{} in the sample?", p.id);
    }
    // A second draw with the same seed over the same candidates samples the same problems.
    let again = submit_draw(&s, f.bureau_a.id, "2", "20261123").await.unwrap();
    let sample = |id| {
        let store = app.db.store.clone();
        async move { store.rectify().spot_check(id).await.unwrap().1.into_iter().map(|i| i.problem_id).collect::<Vec<_>>() }
    };
    assert_eq!(sample(id).await, sample(again).await);
    let mut sorted = expected.clone();
    sorted.sort();
    assert_eq!(sample(id).await, sorted);

    // A blank seed: the server picks one and shows it.
    let random = submit_draw(&s, f.bureau_a.id, "1", "").await.unwrap();
    let (c, _) = app.db.store.rectify().spot_check(random).await.unwrap();
    let (_, page) = s.get_text(&format!("/rectify/spot-checks/{random}")).await;
    assert!(page.contains(&format!("<code class=\"spot-seed\">{}</code>", c.seed)));

    // The list: newest first, with seed, sizes and results.
    let (status, list) = s.get_text("/rectify/spot-checks").await;
    assert_eq!(status, StatusCode::OK);
    let pos = |id: Uuid| list.find(&id.to_string()).unwrap();
    assert!(pos(random) < pos(again) && pos(again) < pos(id));
    assert!(list.contains("20261123") && list.contains("待核查 2"));
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn a_failed_finding_reopens_the_problem_and_lowers_only_the_verified_rate() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    closed_problems(&app.db.store, &f, f.branch_a.id, 5).await;
    account_with(&app.db.store, "inspector", f.city.id, Role::Inspector).await;
    let s = app.login("inspector", PASSWORD).await;
    let id = submit_draw(&s, f.bureau_a.id, "2", "42").await.unwrap();
    let (_, items) = app.db.store.rectify().spot_check(id).await.unwrap();
    let (failed, passed) = (items[0].problem_id, items[1].problem_id);
    let (_, page) = s.get_text(&format!("/rectify/spot-checks/{id}")).await;
    assert!(page.contains("该问题将作为纸面整改重新打开"), "the form says what a failure does");

    let url = format!("/rectify/spot-checks/{id}/findings");
    let today = qingfeng_web::rectify::today();
    let tomorrow = today.tomorrow().unwrap().to_string();
    let today = today.to_string();
    let send = |problem: Uuid, result: &'static str, findings: &'static str, on: String| {
        let (s, url) = (&s, url.clone());
        async move {
            let p = problem.to_string();
            s.post_form(&url, &[("problem_id", &p), ("result", result), ("findings", findings), ("checked_on", &on)])
                .await
        }
    };
    // A failure without findings, and a visit dated tomorrow, are refused on their fields.
    let res = send(failed, "fail", " ", tomorrow).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let page = res.text().await.unwrap();
    assert_eq!(field_error(&page, "findings"), Some("核查未通过时必须写明发现的问题"));
    assert_eq!(field_error(&page, "checked_on"), Some("核查日期不能晚于今天"));
    assert!(page.contains("value=\"fail\" checked"), "the choice is kept");

    let board = |s: &Session| {
        let url = format!("/rectify/board/{}", f.city.id);
        let s = s.client.get(s.url(&url));
        async move { s.send().await.unwrap().text().await.unwrap() }
    };
    let officer = app.login("officer", PASSWORD).await;
    let table = |page: String| page[page.find("board-table").unwrap()..].to_string();
    let before = table(board(&officer).await);
    assert!(before.contains("100.0%") && !before.contains("80.0%"), "all five closed");

    let res = send(failed, "fail", "现场查看，议事规则未实际执行，会议记录系事后补写", today.clone()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = send(passed, "pass", "", today.clone()).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let p = app.db.store.rectify().get(failed).await.unwrap();
    assert_eq!(p.status(), ProblemStatus::InProgress);
    assert!(p.paper, "reopened as 纸面整改");
    assert_eq!(app.db.store.rectify().get(passed).await.unwrap().status(), ProblemStatus::Closed);

    // Board rows: bureau A reported 100.0%, verified 80.0% (one of five failed).
    let after = table(board(&officer).await);
    let row = &after[after.find(&format!("href=\"/rectify/board/{}\"", f.bureau_a.id)).unwrap()..];
    let row = &row[..row.find("</tr>").unwrap()];
    assert!(row.contains("100.0%") && row.contains("80.0%"), "{row}");
    let c = app.db.store.rectify().board(f.city.id).await.unwrap().total;
    assert_eq!((c.reported_rate(), c.verified_rate()), (Some(100.0), Some(80.0)));

    // The draw still replays from the candidates the chain recorded; today's have changed.
    let (_, page) = s.get_text(&format!("/rectify/spot-checks/{id}")).await;
    assert!(page.contains("可复现 ✓") && page.contains("抽取后已有变化"));
    assert!(page.contains("已作为纸面整改重新打开") && page.contains("会议记录系事后补写"));
    assert!(!page.contains("name=\"problem_id\""), "no form once both are recorded");
    // A finding cannot be changed.
    let res = send(passed, "fail", "改口", today).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("抽查结果已记录，不能修改"));
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn draws_are_sealed_to_the_inspection_team_and_flags_stay_in_scope() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let a = closed_problems(&app.db.store, &f, f.branch_a.id, 2).await;
    // The same file is evidence for a problem of each bureau.
    let (_, pb) = crate::rectify_seed::batch_with_problem(
        &app.db.store,
        (f.city.id, qingfeng_domain::rectify::Source::Patrol, "市委巡察反馈", jiff::civil::date(2026, 3, 16)),
        (
            f.branch_b.id,
            "公务用车管理不规范",
            qingfeng_domain::rectify::RootCause::Institution,
            jiff::civil::date(2026, 9, 30),
        ),
    )
    .await;
    let (_, pa) = crate::rectify_seed::batch_with_problem(
        &app.db.store,
        (f.city.id, qingfeng_domain::rectify::Source::Patrol, "市委巡察反馈（二）", jiff::civil::date(2026, 3, 16)),
        (
            f.branch_a.id,
            "公务接待清单不全",
            qingfeng_domain::rectify::RootCause::Institution,
            jiff::civil::date(2026, 9, 30),
        ),
    )
    .await;
    close(&app.db.store, pa.id, b"same ledger").await;
    close(&app.db.store, pb.id, b"same ledger").await;
    account_with(&app.db.store, "inspector-b", f.bureau_b.id, Role::Inspector).await;
    let draw = app
        .db
        .store
        .rectify()
        .draw_spot_check(&qingfeng_test_support::fixtures::who(), f.bureau_a.id, "生态环境局抽查", 1, 5)
        .await
        .unwrap();
    let show = format!("/rectify/spot-checks/{}", draw.id);
    let findings = format!("/rectify/spot-checks/{}/findings", draw.id);
    let a0 = a[0].id.to_string();
    let finding = [("problem_id", a0.as_str()), ("result", "pass"), ("findings", ""), ("checked_on", "2026-11-20")];

    // Bureau A's own operator (the inspected unit) holds no SpotCheck: no menu, no form, no draw.
    let op = app.login("op-a", PASSWORD).await;
    let (_, home) = op.get_text("/").await;
    assert!(!home.contains("/rectify/spot-checks"));
    for url in ["/rectify/spot-checks", "/rectify/spot-checks/new", show.as_str()] {
        assert_eq!(op.get(url).await.status(), StatusCode::NOT_FOUND, "{url}");
    }
    assert_eq!(op.post_form(&findings, &finding).await.status(), StatusCode::NOT_FOUND);
    let (_, board) = op.get_text(&format!("/rectify/board/{}", f.bureau_a.id)).await;
    assert!(!board.contains("/rectify/flags"), "no link to flags it may not read");
    assert_eq!(op.get(&format!("/rectify/flags?unit={}", f.bureau_a.id)).await.status(), StatusCode::FORBIDDEN);

    // An inspector of bureau B is an outsider to bureau A's draw and flags.
    let outsider = app.login("inspector-b", PASSWORD).await;
    assert_eq!(outsider.get(&show).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(outsider.post_form(&findings, &finding).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(outsider.get(&format!("/rectify/flags?unit={}", f.bureau_a.id)).await.status(), StatusCode::NOT_FOUND);
    let (_, list) = outsider.get_text("/rectify/spot-checks").await;
    assert!(!list.contains(&draw.title));
    let (status, flags) = outsider.get_text("/rectify/flags").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        !flags.contains(&pa.description) && !flags.contains(&pb.description),
        "shared across bureaus: neither side alone sees it"
    );
    assert!(!flags.contains(&f.bureau_a.name));

    // The city's discipline officer sees the draw with its form, and the flags from the board.
    let officer = app.login("officer", PASSWORD).await;
    let (status, page) = officer.get_text(&show).await;
    assert_eq!(status, StatusCode::OK);
    assert!(page.contains("name=\"problem_id\""));
    let (_, board) = officer.get_text(&format!("/rectify/board/{}", f.city.id)).await;
    let link = format!("href=\"/rectify/flags?unit={}\"", f.city.id);
    assert!(board.contains(&link));
    let (status, flags) = officer.get_text(&format!("/rectify/flags?unit={}", f.city.id)).await;
    assert_eq!(status, StatusCode::OK);
    for p in [&pa, &pb] {
        assert!(flags.contains(&format!("href=\"/rectify/problems/{}\"", p.id)), "{}", p.description);
    }
    assert!(flags.contains(&f.branch_a.name) && flags.contains(&f.branch_b.name), "both lead units named");
}
