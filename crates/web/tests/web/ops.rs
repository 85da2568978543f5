//! Operations endpoints and the API description.

use qingfeng_test_support::{Fixture, TestApp};
use reqwest::StatusCode;

#[tokio::test]
async fn healthz_metrics_and_openapi() {
    let app = TestApp::spawn().await;
    Fixture::build(&app.db.store).await;
    let client = app.client();
    let res = client.get(app.url("/healthz")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    client.get(app.url("/orgs/not-an-id")).send().await.unwrap();
    let metrics = client.get(app.url("/metrics")).send().await.unwrap().text().await.unwrap();
    assert!(
        metrics.contains(r#"qingfeng_http_requests_total{method="GET",route="/healthz",status="200"} 1"#),
        "{metrics}"
    );
    assert!(metrics.contains("qingfeng_http_request_duration_seconds_bucket"));
    assert!(metrics.contains("qingfeng_db_pool_connections"));
    assert!(!metrics.contains("not-an-id"), "route templates, not URLs");
    let doc: serde_json::Value = client.get(app.url("/api/openapi.json")).send().await.unwrap().json().await.unwrap();
    assert!(doc["openapi"].as_str().unwrap().starts_with("3."));
    assert!(doc["paths"]["/api/v1/orgs/{id}/subtree"]["get"].is_object());
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    let docs = client.get(app.url("/api/docs")).send().await.unwrap().text().await.unwrap();
    assert!(docs.contains("/api/v1/people") && docs.contains("PATCH"));
}

#[tokio::test]
async fn static_assets_are_served_by_the_binary() {
    let app = TestApp::spawn().await;
    let client = app.client();
    let css = client.get(app.url("/static/app.css")).send().await.unwrap();
    assert_eq!(css.status(), StatusCode::OK);
    assert!(css.headers()["content-type"].to_str().unwrap().starts_with("text/css"));
    let login = client.get(app.url("/login")).send().await.unwrap().text().await.unwrap();
    assert!(!login.contains("http://") && !login.contains("https://"), "no external asset on the login page");
    assert_eq!(client.get(app.url("/static/nope.js")).send().await.unwrap().status(), StatusCode::NOT_FOUND);
}
