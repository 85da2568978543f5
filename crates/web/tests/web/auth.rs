//! Login, lock-out, forced password change, sessions, CSRF and Origin.

use qingfeng_test_support::app::csrf_in;
use qingfeng_test_support::fixtures::PASSWORD;
use qingfeng_test_support::{Fixture, TestApp};
use reqwest::StatusCode;
use serde_json::json;

#[tokio::test]
async fn login_page_is_chinese_and_sets_strict_http_only_cookies() {
    let app = TestApp::spawn().await;
    Fixture::build(&app.db.store).await;
    let client = app.client();
    let res = client.get(app.url("/login")).send().await.unwrap();
    assert_eq!(res.status(), StatusCode::OK);
    let body = res.text().await.unwrap();
    assert!(body.contains("<html lang=\"zh-CN\">") && body.contains("用户名") && body.contains("登录"));
    let s = app.anonymous().await;
    let res = s.post_form("/login", &[("username", "op-a"), ("password", PASSWORD)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let cookie = res
        .headers()
        .get_all("set-cookie")
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .find(|c| c.starts_with("qf_session="))
        .unwrap();
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"), "{cookie}");
}

#[tokio::test]
async fn sixth_wrong_password_is_refused_while_locked_and_nothing_is_changed() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let s = app.anonymous().await;
    for i in 1..=4 {
        let res = s.post_form("/login", &[("username", "op-a"), ("password", "Wrong-pass-1")]).await;
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED, "attempt {i}");
        assert!(res.text().await.unwrap().contains(&format!("还可尝试{}次", 5 - i)));
    }
    let fifth = s.post_form("/login", &[("username", "op-a"), ("password", "Wrong-pass-1")]).await;
    assert_eq!(fifth.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(fifth.text().await.unwrap().contains("已锁定"));
    let before = app.db.store.accounts().get(f.op_a.id).await.unwrap();
    // The sixth attempt, even with the right password, is refused.
    let sixth = s.post_form("/login", &[("username", "op-a"), ("password", PASSWORD)]).await;
    assert_eq!(sixth.status(), StatusCode::TOO_MANY_REQUESTS);
    assert!(sixth.headers().contains_key("retry-after"));
    assert!(sixth.text().await.unwrap().contains("已锁定"));
    let after = app.db.store.accounts().get(f.op_a.id).await.unwrap();
    assert_eq!(
        (after.failed_logins, after.locked_until, after.last_login_at),
        (before.failed_logins, before.locked_until, before.last_login_at)
    );
    // Every attempt is in the audit trail, and the chain still verifies.
    let failed = app
        .db
        .store
        .audit()
        .list(
            &[qingfeng_domain::org::OrgPath::global()],
            &qingfeng_store::audit::AuditFilter { action: Some("auth.".into()), ..Default::default() },
            Default::default(),
        )
        .await
        .unwrap();
    assert_eq!(failed.total, 6);
    assert!(app.db.store.audit().verify().await.unwrap().is_ok());
}

#[tokio::test]
async fn unknown_user_gets_the_same_answer_and_is_recorded() {
    let app = TestApp::spawn().await;
    Fixture::build(&app.db.store).await;
    let s = app.anonymous().await;
    let before = app.events().await;
    let res = s.post_form("/login", &[("username", "nobody"), ("password", "Whatever-1")]).await;
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert!(res.text().await.unwrap().contains("用户名或密码错误"));
    assert_eq!(app.events().await, before + 1);
}

#[tokio::test]
async fn first_login_forces_a_password_change_that_follows_the_policy() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let (_, one_time) = {
        let s = app.login("admin", PASSWORD).await;
        let page =
            s.post_form(&format!("/admin/accounts/{}/reset-password", f.op_a.id), &[]).await.text().await.unwrap();
        let start = page.find("data-secret>").unwrap() + "data-secret>".len();
        ((), page[start..start + 14].to_string())
    };
    let mut s = app.anonymous().await;
    let res = s.post_form("/login", &[("username", "op-a"), ("password", &one_time)]).await;
    assert_eq!(res.headers()["location"], "/password");
    s.refresh_csrf().await;
    // Everything else redirects to the password page; the API says why.
    let res = s.get("/orgs").await;
    assert_eq!(res.headers()["location"], "/password");
    let res = s.get("/api/v1/me").await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["code"], "password_change_required");
    // A weak password is refused with the field named; the typed fields are re-shown empty (passwords are not echoed).
    let res = s.post_form("/password", &[("current", &one_time), ("new", "weakpass"), ("confirm", "weakpass")]).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("至少三类"));
    let res = s
        .post_form("/password", &[("current", &one_time), ("new", "Strong-Pass-2026"), ("confirm", "Strong-Pass-2026")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.get("/orgs").await.status(), StatusCode::SEE_OTHER, "redirects to the own subtree now");
    assert_eq!(s.get("/api/v1/me").await.status(), StatusCode::OK);
    app.login("op-a", "Strong-Pass-2026").await;
}

#[tokio::test]
async fn wrong_or_missing_csrf_token_is_refused_and_nothing_is_written() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let s = app.login("op-a", PASSWORD).await;
    let before = app.events().await;
    let path = format!("/orgs/{}/edit", f.branch_a.id);
    let fields = [("name", "被篡改的名字"), ("kind", "branch")];
    let mut wrong: Vec<(&str, &str)> = vec![("_csrf", "forged-token-forged-token-forged-token-00")];
    wrong.extend_from_slice(&fields);
    let res = s.post_raw_form(&path, &wrong).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert!(res.text().await.unwrap().contains("表单已失效"));
    let res = s.post_raw_form(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(app.events().await, before);
    assert_eq!(app.db.store.orgs().get(f.branch_a.id).await.unwrap().name, f.branch_a.name);
    // With the right token it goes through.
    let res = s.post_form(&path, &fields).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.db.store.orgs().get(f.branch_a.id).await.unwrap().name, "被篡改的名字");
}

#[tokio::test]
async fn cross_site_origin_is_refused_for_forms_and_cookie_api_writes() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let s = app.login("op-a", PASSWORD).await;
    let before = app.events().await;
    let res = s
        .client
        .post(s.url(&format!("/orgs/{}/edit", f.branch_a.id)))
        .header("origin", "http://evil.example")
        .form(&[("_csrf", s.csrf.as_str()), ("name", "x"), ("kind", "branch")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    // A cookie-authenticated API write without Origin is refused …
    let res = s
        .client
        .patch(s.url(&format!("/api/v1/orgs/{}", f.branch_a.id)))
        .json(&json!({"name": "x"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::FORBIDDEN);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["code"], "origin");
    assert_eq!(app.events().await, before);
    // … and accepted with this site's Origin.
    let res = s
        .json(reqwest::Method::PATCH, &format!("/api/v1/orgs/{}", f.branch_a.id), &json!({"name": "综合科党支部"}))
        .await;
    assert_eq!(res.status(), StatusCode::OK);
}

#[tokio::test]
async fn idle_sessions_expire_after_thirty_minutes() {
    let app = TestApp::spawn().await;
    Fixture::build(&app.db.store).await;
    let s = app.login("op-a", PASSWORD).await;
    assert_eq!(s.get("/").await.status(), StatusCode::OK);
    // Age the session by 31 minutes, as if the user had walked away.
    let pool = sqlx::SqlitePool::connect(&app.db.url).await.unwrap();
    let cutoff = jiff::Timestamp::now().as_microsecond() - 31 * 60 * 1_000_000;
    sqlx::query("UPDATE sessions SET last_seen_at = $1").bind(cutoff).execute(&pool).await.unwrap();
    let res = s.get("/").await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let to = res.headers()["location"].to_str().unwrap().to_string();
    assert!(to.starts_with("/login") && to.contains("expired=1"), "{to}");
    let login = s.get(&to).await.text().await.unwrap();
    assert!(login.contains("30分钟"), "the login page explains the timeout");
    let left: i64 = sqlx::query_scalar("SELECT COUNT(*) FROM sessions").fetch_one(&pool).await.unwrap();
    assert_eq!(left, 0);
}

#[tokio::test]
async fn logout_ends_the_session() {
    let app = TestApp::spawn().await;
    Fixture::build(&app.db.store).await;
    let s = app.login("op-a", PASSWORD).await;
    let res = s.post_form("/logout", &[]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(s.get("/api/v1/me").await.status(), StatusCode::UNAUTHORIZED);
}

#[tokio::test]
async fn api_tokens_authenticate_and_bad_ones_are_refused() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let token = app.token(f.officer.id).await;
    let client = app.client();
    let me: serde_json::Value =
        client.get(app.url("/api/v1/me")).bearer_auth(&token).send().await.unwrap().json().await.unwrap();
    assert_eq!(me["account"]["username"], "officer");
    let res = client.get(app.url("/api/v1/me")).bearer_auth("qf_not-a-real-token").send().await.unwrap();
    assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
    assert_eq!(res.json::<serde_json::Value>().await.unwrap()["code"], "invalid_token");
    // Bearer writes need no CSRF token or Origin (no ambient credential).
    let res = client
        .post(app.url("/api/v1/people"))
        .bearer_auth(app.token(f.op_a.id).await)
        .json(&json!({"org_unit_id": f.branch_a.id, "name": "赵新"}))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::CREATED);
}

#[tokio::test]
async fn language_switch_renders_english() {
    let app = TestApp::spawn().await;
    Fixture::build(&app.db.store).await;
    let s = app.login("op-a", PASSWORD).await;
    let res = s.get("/lang/en?next=/calendar").await;
    assert_eq!(res.headers()["location"], "/calendar");
    let (_, body) = s.get_text("/calendar").await;
    assert!(body.contains("<html lang=\"en\">") && body.contains("Working days"), "{body:.400}");
    assert!(csrf_in(&body).is_some());
}
