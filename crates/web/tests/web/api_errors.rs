//! Bad input gets a clear 4xx that names the problem, and nothing is written.

use qingfeng_test_support::{Fixture, TestApp};
use reqwest::StatusCode;
use serde_json::{Value, json};

struct Api {
    app: TestApp,
    f: Fixture,
    token: String,
}

async fn api() -> Api {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let token = app.token(f.op_a.id).await;
    Api { app, f, token }
}

impl Api {
    async fn raw(&self, method: reqwest::Method, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value) {
        let res = self
            .app
            .client()
            .request(method, self.app.url(path))
            .bearer_auth(&self.token)
            .header("content-type", content_type)
            .body(body)
            .send()
            .await
            .unwrap();
        let status = res.status();
        (status, res.json().await.unwrap_or(Value::Null))
    }

    async fn post(&self, path: &str, body: &str) -> (StatusCode, Value) {
        self.raw(reqwest::Method::POST, path, "application/json", body.as_bytes().to_vec()).await
    }
}

#[tokio::test]
async fn malformed_json_is_400_and_writes_nothing() {
    let a = api().await;
    let before = a.app.events().await;
    let (status, body) = a.post("/api/v1/people", r#"{"org_unit_id": "#).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(body["code"], "malformed_json");
    assert!(body["message"].as_str().unwrap().contains("JSON"));
    // Invalid UTF-8 inside a string.
    let mut bytes = br#"{"name": ""#.to_vec();
    bytes.extend_from_slice(&[0xff, 0xfe]);
    bytes.extend_from_slice(format!(r#"", "org_unit_id": "{}"}}"#, a.f.branch_a.id).as_bytes());
    let (status, body) = a.raw(reqwest::Method::POST, "/api/v1/people", "application/json", bytes).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    assert_eq!(a.app.events().await, before);
}

#[tokio::test]
async fn unknown_field_is_422_naming_the_field() {
    let a = api().await;
    let before = a.app.events().await;
    let body = json!({"org_unit_id": a.f.branch_a.id, "name": "王五", "salary": 1}).to_string();
    let (status, body) = a.post("/api/v1/people", &body).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["salary"].is_string(), "{body}");
    assert_eq!(a.app.events().await, before);
}

#[tokio::test]
async fn missing_and_invalid_fields_are_named() {
    let a = api().await;
    let (status, body) = a.post("/api/v1/people", &json!({"org_unit_id": a.f.branch_a.id}).to_string()).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["name"].is_string(), "{body}");
    let (status, body) = a
        .post("/api/v1/people", &json!({"org_unit_id": a.f.branch_a.id, "name": "  ", "gender": "x"}).to_string())
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["name"].is_string() && body["fields"]["gender"].is_string(), "{body}");
    let (status, body) = a
        .post(
            "/api/v1/orgs",
            &json!({"parent_id": a.f.bureau_a.id, "name": "x".repeat(101), "kind": "cell"}).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(body["fields"]["name"].is_string() && body["fields"]["kind"].is_string(), "{body}");
}

#[tokio::test]
async fn two_mib_body_is_413_and_writes_nothing() {
    let a = api().await;
    let before = a.app.events().await;
    let big = format!(r#"{{"org_unit_id": "{}", "name": "{}"}}"#, a.f.branch_a.id, "长".repeat(700_000));
    assert!(big.len() > 2 * 1024 * 1024);
    let (status, body) = a.post("/api/v1/people", &big).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_eq!(body["code"], "payload_too_large");
    assert_eq!(a.app.events().await, before);
    // A big form is refused the same way.
    let s = a.app.login("op-a", qingfeng_test_support::fixtures::PASSWORD).await;
    let huge = "x".repeat(2 * 1024 * 1024);
    let res = s.post_form(&format!("/orgs/{}/edit", a.f.branch_a.id), &[("name", &huge)]).await;
    assert_eq!(res.status(), StatusCode::PAYLOAD_TOO_LARGE);
}

#[tokio::test]
async fn wrong_content_type_bad_ids_and_bad_queries_are_clear() {
    let a = api().await;
    let (status, body) = a.raw(reqwest::Method::POST, "/api/v1/people", "text/plain", b"name=x".to_vec()).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_eq!(body["code"], "unsupported_media_type");
    let client = a.app.client();
    let res = client.get(a.app.url("/api/v1/orgs/not-a-uuid")).bearer_auth(&a.token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "not_found");
    let res = client.get(a.app.url("/api/v1/people?page=abc")).bearer_auth(&a.token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "bad_query");
    let res = client
        .get(a.app.url("/api/v1/calendar/deadline?from=2026-02-30&days=3"))
        .bearer_auth(&a.token)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let res = client.get(a.app.url("/api/v1/no-such-endpoint")).bearer_auth(&a.token).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
    assert_eq!(res.json::<Value>().await.unwrap()["code"], "not_found");
}

#[tokio::test]
async fn refused_business_rules_are_409_with_chinese_and_english() {
    let a = api().await;
    let before = a.app.events().await;
    let (status, body) = a
        .post(&format!("/api/v1/orgs/{}/move", a.f.bureau_a.id), &json!({"parent_id": a.f.branch_a.id}).to_string())
        .await;
    assert_eq!(status, StatusCode::CONFLICT, "{body}");
    assert_eq!(body["code"], "move_cycle");
    assert!(body["message"].as_str().unwrap().contains("下级"), "Chinese by default: {body}");
    let cell = a
        .post("/api/v1/orgs", &json!({"parent_id": a.f.branch_a.id, "name": "第一党小组", "kind": "cell"}).to_string())
        .await;
    assert_eq!(cell.0, StatusCode::CREATED);
    let (status, body) = a
        .post(&format!("/api/v1/orgs/{}/move", a.f.branch_a.id), &json!({"parent_id": cell.1["id"]}).to_string())
        .await;
    assert_eq!(status, StatusCode::CONFLICT);
    assert_eq!(body["code"], "move_cycle");
    let res = a
        .app
        .client()
        .post(a.app.url(&format!("/api/v1/orgs/{}/deactivate", a.f.branch_a.id)))
        .bearer_auth(&a.token)
        .header("accept-language", "en")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CONFLICT);
    let body: Value = res.json().await.unwrap();
    assert_eq!(body["code"], "has_active_children");
    assert!(body["message"].as_str().unwrap().contains("sub-units"), "English by Accept-Language: {body}");
    assert_eq!(a.app.events().await, before + 1, "only the cell was created");
}

#[tokio::test]
async fn api_round_trip_create_update_move_subtree() {
    let a = api().await;
    let (status, created) = a
        .post(
            "/api/v1/orgs",
            &json!({"parent_id": a.f.bureau_a.id, "name": "法规与标准科党支部", "kind": "branch"}).to_string(),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED);
    let id = created["id"].as_str().unwrap().to_string();
    let (status, patched) = a
        .raw(
            reqwest::Method::PATCH,
            &format!("/api/v1/orgs/{id}"),
            "application/json",
            json!({"short_name": "法规科支部"}).to_string().into_bytes(),
        )
        .await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(patched["name"], "法规与标准科党支部");
    assert_eq!(patched["short_name"], "法规科支部");
    let (status, _) =
        a.post(&format!("/api/v1/orgs/{}/move", a.f.branch_a.id), &json!({"parent_id": id}).to_string()).await;
    assert_eq!(status, StatusCode::CONFLICT, "a branch cannot contain a branch");
    let sub: Value = a
        .app
        .client()
        .get(a.app.url(&format!("/api/v1/orgs/{}/subtree", a.f.bureau_a.id)))
        .bearer_auth(&a.token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(sub.as_array().unwrap().len(), 3);
    assert!(a.app.db.store.audit().verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn extreme_values_are_refused_not_crashed_on() {
    let a = api().await;
    let client = a.app.client();
    let get = |path: &str| client.get(a.app.url(path)).bearer_auth(&a.token).send();
    let res = get("/api/v1/audit/events?from=-009999-01-01").await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = get("/api/v1/audit/events?to=9999-12-31").await.unwrap();
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let res = get("/api/v1/calendar/deadline?from=2026-01-01&days=-2147483648").await.unwrap();
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    let s = a.app.login("op-a", qingfeng_test_support::fixtures::PASSWORD).await;
    assert_eq!(
        s.get("/calendar?from=2026-01-01&days=-2147483648").await.status(),
        StatusCode::OK,
        "shown as a form error"
    );
    assert_eq!(s.get("/audit?from=0001-01-01").await.status(), StatusCode::BAD_REQUEST);
}

#[tokio::test]
async fn bad_html_input_gets_an_error_page_with_a_reason() {
    let a = api().await;
    let s = a.app.login("op-a", qingfeng_test_support::fixtures::PASSWORD).await;
    let res = s.get("/people?page=abc").await;
    assert_eq!(res.status(), StatusCode::BAD_REQUEST);
    let page = res.text().await.unwrap();
    assert!(page.contains("查询参数有误") && page.contains("<html"), "rendered page, not a bare rejection");
    let res = s
        .client
        .post(s.url(&format!("/orgs/{}/edit", a.f.branch_a.id)))
        .header("x-csrf-token", s.csrf.as_str())
        .header("content-type", "application/json")
        .body("{}")
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
}

#[tokio::test]
async fn redirect_targets_stay_on_this_site() {
    let a = api().await;
    let client = a.app.client();
    for next in ["/%09/evil.example", "//evil.example", "https://evil.example", "/%5Cevil.example", "/%0a"] {
        let res = client.get(a.app.url(&format!("/lang/en?next={next}"))).send().await.unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "{next}");
        assert_eq!(res.headers()["location"], "/", "{next}");
    }
    let s = a.app.anonymous().await;
    let res = s
        .post_form(
            "/login",
            &[("username", "op-a"), ("password", qingfeng_test_support::fixtures::PASSWORD), ("next", "/\n")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], "/");
}
