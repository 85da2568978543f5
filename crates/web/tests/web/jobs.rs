//! The daily job and the deployment's rules file, end to end.

use crate::rectify_pages::multipart;
use crate::rectify_seed::batch_with_problem;
use jiff::civil::date;
use qingfeng_domain::rectify::{RootCause, Source};
use qingfeng_store::Engine;
use qingfeng_test_support::fixtures::PASSWORD;
use qingfeng_test_support::{Fixture, TestApp};
use qingfeng_web::WebConfig;
use qingfeng_web::jobs::run_daily;
use reqwest::StatusCode;

#[tokio::test]
async fn the_daily_job_escalates_an_overdue_problem_once_and_records_the_trend() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let (_, p) = batch_with_problem(
        &app.db.store,
        (f.city.id, Source::Patrol, "市委第一轮巡察反馈意见", date(2026, 3, 16)),
        (f.branch_a.id, "扶贫资金使用台账不清，部分项目资金拨付滞后", RootCause::Responsibility, date(2026, 6, 30)),
    )
    .await;
    let day = date(2026, 11, 23);
    let r = run_daily(&app.state, day).await.unwrap();
    assert_eq!((r.warnings.escalated, r.day), (1, day));
    let rectify = app.db.store.rectify();
    assert_eq!(rectify.get(p.id).await.unwrap().warning, "red");
    let esc = rectify.escalations(p.id).await.unwrap();
    assert_eq!(esc.len(), 1);
    let trend = rectify.trend(f.city.id, day).await.unwrap();
    assert_eq!(trend.len(), 1);
    assert_eq!((trend[0].day.as_str(), trend[0].total, trend[0].red), ("2026-11-23", 1, 1));

    // The same day again (a restart): nothing doubles.
    let again = run_daily(&app.state, day).await.unwrap();
    assert_eq!((again.warnings.escalated, again.warnings.changed), (0, 0));
    assert_eq!(rectify.escalations(p.id).await.unwrap().len(), 1);
    assert_eq!(rectify.trend(f.city.id, day).await.unwrap().len(), 1);
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn the_rules_file_reaches_the_upload_check() {
    let mut config = WebConfig::default();
    config.rules.rectify.evidence_max_bytes = 2048;
    let app = TestApp::spawn_on(Engine::Sqlite, config).await;
    let f = Fixture::build(&app.db.store).await;
    let (_, p) = batch_with_problem(
        &app.db.store,
        (f.city.id, Source::Patrol, "市委第一轮巡察反馈意见", date(2026, 3, 16)),
        (f.branch_a.id, "党组理论学习中心组学习流于形式", RootCause::Mindset, date(2027, 6, 30)),
    )
    .await;
    let s = app.login("op-a", PASSWORD).await;
    s.post_form(&format!("/rectify/problems/{}/act", p.id), &[("action", "claim")]).await;
    s.post_form(&format!("/rectify/problems/{}/measures", p.id), &[("title", "修订学习制度"), ("due_on", "2027-03-31")]).await;
    let m = app.db.store.rectify().measures_of(p.id).await.unwrap()[0].id;
    let url = s.url(&format!("/rectify/measures/{m}/evidence"));
    let mut big = b"%PDF-1.4 ".to_vec();
    big.resize(4096, b' ');
    let (ct, body) = multipart(&s.csrf, Some(("制度.pdf", &big)), "");
    let res = s.client.post(url.clone()).header("content-type", ct).body(body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("文件超过2KB的上限"));
    let (ct, body) = multipart(&s.csrf, Some(("制度.pdf", &big[..1024])), "");
    let res = s.client.post(url).header("content-type", ct).body(body).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.db.store.rectify().evidence_of(m).await.unwrap().len(), 1);
}
