//! Qingfeng's web layer: server-rendered zh-CN pages and the JSON API.
//!
//! Every request passes, outermost first: metrics → panic catcher → request
//! context ([`ctx::resolve`]: session or API token, language, forced
//! password change) → error rendering ([`error::render_errors`]) → CSRF and
//! Origin checks ([`csrf::check`]) → the route. Handlers are thin: they call
//! `domain::access::authorize` through [`ctx::User`], then the store.

rust_i18n::i18n!("locales", fallback = "zh-CN");

pub mod access;
pub mod api;
pub mod assets;
pub mod audit;
pub mod calendar;
pub mod csrf;
pub mod ctx;
pub mod duties;
pub mod error;
pub mod form;
pub mod home;
pub mod i18n;
pub mod jobs;
pub mod layout;
pub mod leads;
pub mod ops;
pub mod org;
pub mod orglife;
pub mod receipt;
pub mod rectify;
pub mod routes;
pub mod tasks;
pub mod throttle;

use axum::Router;
use axum::extract::DefaultBodyLimit;
use jiff::SignedDuration;
use qingfeng_domain::auth::LoginPolicy;
use qingfeng_domain::calendar::Calendar;
use qingfeng_store::Store;
use std::ops::Deref;
use std::sync::{Arc, RwLock};
use tower::ServiceBuilder;

/// Largest JSON body accepted.
pub const MAX_JSON_BYTES: usize = 1024 * 1024;

/// Settings of the web layer.
#[derive(Debug, Clone)]
pub struct WebConfig {
    pub login: LoginPolicy,
    /// A session ends this long after login even if used throughout.
    pub session_max_age: SignedDuration,
    /// Mark cookies `Secure` (set when served over HTTPS).
    pub secure_cookies: bool,
    /// Show the demo banner.
    pub demo: bool,
    /// Shown under the login form (e.g. the demo accounts).
    pub login_notice: Option<String>,
    /// The deployment's configurable rules (`qingfeng --rules FILE`).
    pub rules: qingfeng_domain::rules::Rules,
    /// MACs the one-time receipts of public forms ([`receipt`]).
    pub form_key: receipt::FormKey,
    /// Per-client limits of the public pages ([`throttle`]).
    pub public_limits: throttle::PublicLimits,
    /// Behind a reverse proxy: the header naming the client's address
    /// (e.g. `X-Forwarded-For`); otherwise the connection's peer is used.
    pub client_ip_header: Option<String>,
    /// Where the full-text index of 信访举报 and 问题线索 lives (`serve`:
    /// `<data dir>/search`); `None` keeps it in memory (tests).
    pub search_dir: Option<std::path::PathBuf>,
    /// The 信访举报 office's keys for sealing real-name identities (from a
    /// key file, never the database). Without them real-name reports are
    /// refused with a clear message; anonymous ones are still taken.
    pub seal: Option<std::sync::Arc<qingfeng_seal::Keyring>>,
    /// Hashes receipt codes (argon2id with the deployment's salt).
    pub receipts: std::sync::Arc<qingfeng_seal::ReceiptHasher>,
}

/// A receipt hasher with a salt made at start (codes handed out before a
/// restart then no longer match: configure a salt for a real deployment).
pub fn random_receipt_hasher() -> qingfeng_seal::ReceiptHasher {
    let mut salt = [0u8; 16];
    rand::RngCore::fill_bytes(&mut rand::rng(), &mut salt);
    qingfeng_seal::ReceiptHasher::new(&salt).unwrap_or_else(|e| panic!("receipt hasher: {e}"))
}

impl Default for WebConfig {
    fn default() -> Self {
        WebConfig {
            login: LoginPolicy::default(),
            session_max_age: SignedDuration::from_hours(12),
            secure_cookies: false,
            demo: false,
            login_notice: None,
            rules: Default::default(),
            form_key: receipt::FormKey::random(),
            public_limits: throttle::PublicLimits::default(),
            client_ip_header: None,
            search_dir: None,
            seal: None,
            receipts: std::sync::Arc::new(random_receipt_hasher()),
        }
    }
}

pub struct StateInner {
    pub store: Store,
    pub config: WebConfig,
    /// The working-day calendar (built-in years plus imported ones).
    pub calendar: RwLock<Calendar>,
    pub metrics: ops::Metrics,
    /// Full-text index of 信访举报 and 问题线索 (on disk under
    /// `search_dir`, else in memory; opened on first use, rebuilt from the
    /// database when its count differs, kept current by every write).
    pub search: tokio::sync::RwLock<Option<qingfeng_search::SearchIndex>>,
    pub throttles: throttle::Throttles,
}

/// Shared application state; cheap to clone.
#[derive(Clone)]
pub struct AppState(Arc<StateInner>);

impl Deref for AppState {
    type Target = StateInner;
    fn deref(&self) -> &StateInner {
        &self.0
    }
}

impl AppState {
    /// Builds the state, loading the calendar from the database.
    pub async fn new(store: Store, config: WebConfig) -> Result<AppState, qingfeng_store::StoreError> {
        let calendar = store.calendar().load().await?;
        Ok(AppState(Arc::new(StateInner {
            store,
            throttles: throttle::Throttles::new(&config.public_limits),
            config,
            calendar: RwLock::new(calendar),
            metrics: ops::Metrics::new(),
            search: tokio::sync::RwLock::new(None),
        })))
    }

    /// A copy of the current calendar.
    pub fn calendar(&self) -> Calendar {
        self.calendar.read().map(|c| c.clone()).unwrap_or_else(|p| p.into_inner().clone())
    }

    /// Reloads imported calendar years (after `calendar import`).
    pub async fn reload_calendar(&self) -> Result<(), qingfeng_store::StoreError> {
        let cal = self.store.calendar().load().await?;
        if let Ok(mut c) = self.calendar.write() {
            *c = cal;
        }
        Ok(())
    }
}

/// The whole application: pages, API, docs, assets, operations endpoints.
pub fn app(state: AppState) -> Router {
    let (api_router, _) = api::router().split_for_parts();
    let inner = routes::pages()
        .into_router()
        .merge(api_router)
        .merge(ops::router())
        .merge(assets::router())
        .fallback(|| async { error::AppError::NotFound })
        .layer(
            ServiceBuilder::new()
                .layer(axum::middleware::from_fn_with_state(state.clone(), ctx::resolve))
                .layer(axum::middleware::from_fn_with_state(state.clone(), error::render_errors))
                .layer(axum::middleware::from_fn(csrf::check))
                .layer(DefaultBodyLimit::max(MAX_JSON_BYTES)),
        )
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(ops::panic_response))
        .layer(axum::middleware::from_fn_with_state(state.clone(), ops::track))
        .layer(tower_http::trace::TraceLayer::new_for_http().make_span_with(ops::span));
    inner.with_state(state)
}
