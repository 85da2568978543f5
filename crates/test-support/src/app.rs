//! The application on a real socket, and an HTTP client that behaves like
//! a signed-in browser (cookies, CSRF token, same-site Origin).

use crate::db::TestDb;
use qingfeng_store::Engine;
use qingfeng_web::{AppState, WebConfig};
use reqwest::header::{HeaderMap, HeaderValue};
use reqwest::{Client, Response, StatusCode};
use std::net::SocketAddr;
use tokio::sync::oneshot;

pub struct TestApp {
    pub addr: SocketAddr,
    pub base: String,
    pub db: TestDb,
    pub state: AppState,
    shutdown: Option<oneshot::Sender<()>>,
}

impl Drop for TestApp {
    fn drop(&mut self) {
        if let Some(tx) = self.shutdown.take() {
            let _ = tx.send(());
        }
    }
}

impl TestApp {
    /// The app on a fresh SQLite database.
    pub async fn spawn() -> TestApp {
        TestApp::spawn_on(Engine::Sqlite, WebConfig::default()).await
    }

    /// The app with the demo city loaded.
    /// The 信访举报 office holds a seal key, as `serve --demo` does.
    pub async fn spawn_demo() -> TestApp {
        let key = qingfeng_seal::SealKey::generate("demo-office").expect("a seal key");
        let keys = std::sync::Arc::new(qingfeng_seal::Keyring::new(key));
        let config = WebConfig { demo: true, seal: Some(keys.clone()), ..WebConfig::default() };
        let receipts = config.receipts.clone();
        let app = TestApp::spawn_on(Engine::Sqlite, config).await;
        qingfeng_demo::build_with(&app.db.store, Some(&keys), &receipts).await.expect("demo data");
        app
    }

    pub async fn spawn_on(engine: Engine, config: WebConfig) -> TestApp {
        let db = TestDb::new(engine).await;
        let state = AppState::new(db.store.clone(), config).await.expect("app state");
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind port 0");
        let addr = listener.local_addr().expect("local addr");
        let (tx, rx) = oneshot::channel::<()>();
        let router = qingfeng_web::app(state.clone()).into_make_service_with_connect_info::<SocketAddr>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, router)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        TestApp { addr, base: format!("http://{addr}"), db, state, shutdown: Some(tx) }
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// A client that keeps cookies and does not follow redirects.
    pub fn client(&self) -> Client {
        Client::builder().cookie_store(true).redirect(reqwest::redirect::Policy::none()).build().expect("http client")
    }

    /// A fresh anonymous session (has fetched the login page, so it holds
    /// the pre-login CSRF token).
    pub async fn anonymous(&self) -> Session {
        let client = self.client();
        let page = client.get(self.url("/login")).send().await.expect("GET /login").text().await.unwrap_or_default();
        Session { base: self.base.clone(), client, csrf: csrf_in(&page).unwrap_or_default() }
    }

    /// Signs in through the login form; panics if that fails.
    pub async fn login(&self, username: &str, password: &str) -> Session {
        let mut s = self.anonymous().await;
        let res = s.post_form("/login", &[("username", username), ("password", password), ("next", "/")]).await;
        assert_eq!(res.status(), StatusCode::SEE_OTHER, "login of {username} failed");
        s.refresh_csrf().await;
        s
    }

    /// An API token for an account, created directly in the store.
    pub async fn token(&self, account_id: uuid::Uuid) -> String {
        let token = format!("qf_{}", qingfeng_web::ctx::random_token());
        let hash = qingfeng_web::ctx::token_hash(&token);
        self.db
            .store
            .accounts()
            .create_token(&crate::fixtures::who(), account_id, "test", &hash, None)
            .await
            .expect("token");
        token
    }

    /// Number of events in the audit chain.
    pub async fn events(&self) -> i64 {
        self.db.store.audit().count().await.expect("audit count")
    }
}

/// The value of the first `name="_csrf"` field in a page.
pub fn csrf_in(html: &str) -> Option<String> {
    let i = html.find("name=\"_csrf\" value=\"")? + "name=\"_csrf\" value=\"".len();
    let end = html[i..].find('"')?;
    Some(html[i..i + end].to_string())
}

/// A browser-like session.
pub struct Session {
    pub base: String,
    pub client: Client,
    pub csrf: String,
}

impl Session {
    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    /// Reads the session's CSRF token from a page (after login it changes).
    pub async fn refresh_csrf(&mut self) {
        let page = self.client.get(self.url("/password")).send().await.expect("GET").text().await.unwrap_or_default();
        if let Some(t) = csrf_in(&page) {
            self.csrf = t;
        }
    }

    pub async fn get(&self, path: &str) -> Response {
        self.client.get(self.url(path)).send().await.expect("GET")
    }

    pub async fn get_text(&self, path: &str) -> (StatusCode, String) {
        let r = self.get(path).await;
        let status = r.status();
        (status, r.text().await.unwrap_or_default())
    }

    /// POSTs a form with the session's CSRF token added.
    pub async fn post_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        let mut all: Vec<(&str, &str)> = vec![("_csrf", self.csrf.as_str())];
        all.extend_from_slice(fields);
        self.client.post(self.url(path)).form(&all).send().await.expect("POST form")
    }

    /// POSTs a form exactly as given (no token added).
    pub async fn post_raw_form(&self, path: &str, fields: &[(&str, &str)]) -> Response {
        self.client.post(self.url(path)).form(fields).send().await.expect("POST form")
    }

    /// Sends JSON with this site's Origin (as a same-site page script would).
    pub async fn json(&self, method: reqwest::Method, path: &str, body: &serde_json::Value) -> Response {
        let mut h = HeaderMap::new();
        h.insert(reqwest::header::ORIGIN, HeaderValue::from_str(&self.base).expect("origin"));
        self.client.request(method, self.url(path)).headers(h).json(body).send().await.expect("JSON request")
    }
}
