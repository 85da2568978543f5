//! The request context: who is asking (session cookie or API token), in
//! which language, with which CSRF token. Resolved once per request by
//! [`resolve`]; handlers take [`Ctx`] or [`User`] as extractors.

use crate::AppState;
use crate::error::AppError;
use axum::extract::{FromRequestParts, Request, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::cookie::{Cookie, CookieJar, SameSite};
use base64::Engine as _;
use qingfeng_domain::Lang;
use qingfeng_domain::access::{Action, Actor, Target, authorize, scopes};
use qingfeng_domain::org::OrgPath;
use qingfeng_store::accounts::Account;
use qingfeng_store::{Ts, Who};
use rand::RngCore;
use sha2::{Digest, Sha256};
use uuid::Uuid;

pub const SESSION_COOKIE: &str = "qf_session";
pub const LANG_COOKIE: &str = "qf_lang";
pub const PRE_CSRF_COOKIE: &str = "qf_pre";
pub const FLASH_COOKIE: &str = "qf_flash";

/// How the user proved who they are.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthVia {
    /// Browser session (cookie); `token_hash` identifies the session row.
    Session { token_hash: String },
    /// `Authorization: Bearer …` API token.
    Token { id: Uuid },
}

/// A signed-in account with its grants.
#[derive(Debug, Clone)]
pub struct User {
    pub actor: Actor,
    pub account: Account,
    pub via: AuthVia,
}

impl User {
    pub fn who(&self) -> Who {
        Who::account(self.account.id, &self.account.username)
    }

    /// The one access decision, on a record belonging to the unit at `path`.
    pub fn authorize(&self, action: Action, path: &OrgPath) -> Result<(), AppError> {
        authorize(&self.actor, action, Target::Node(path)).map_err(AppError::from)
    }

    /// The access decision for deployment-wide settings.
    pub fn authorize_system(&self, action: Action) -> Result<(), AppError> {
        authorize(&self.actor, action, Target::System).map_err(AppError::from)
    }

    /// Like [`User::authorize`] but yields a bool (for showing buttons).
    pub fn can(&self, action: Action, path: &OrgPath) -> bool {
        authorize(&self.actor, action, Target::Node(path)).is_ok()
    }

    pub fn scopes(&self, action: Action) -> Vec<OrgPath> {
        scopes(&self.actor, action)
    }
}

/// Everything a handler or template needs to know about the request.
#[derive(Debug, Clone)]
pub struct Ctx {
    pub lang: Lang,
    pub user: Option<User>,
    /// Token that state-changing forms must echo back.
    pub csrf: String,
    /// Path and query of the request (for the language switch and `next`).
    pub path_and_query: String,
    /// The session just ran out (the login page says so).
    pub session_expired: bool,
    /// A one-shot message from the previous request (POST → redirect → GET).
    pub flash: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts.extensions.get::<Ctx>().cloned().ok_or_else(|| AppError::Internal("request context missing".into()))
    }
}

impl<S: Send + Sync> FromRequestParts<S> for User {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Ctx::from_request_parts(parts, state).await?.user.ok_or(AppError::Unauthorized)
    }
}

/// A random URL-safe token of 32 bytes.
pub fn random_token() -> String {
    let mut b = [0u8; 32];
    rand::rng().fill_bytes(&mut b);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(b)
}

/// How session and API tokens are stored: SHA-256 hex of the secret.
pub fn token_hash(token: &str) -> String {
    hex::encode(Sha256::digest(token.as_bytes()))
}

/// The language: the `qf_lang` cookie (set by the switch), else Chinese
/// for pages; API clients may also ask by `Accept-Language`.
pub fn lang_of(jar: &CookieJar, headers: &HeaderMap, api: bool) -> Lang {
    if let Some(l) = jar.get(LANG_COOKIE).and_then(|c| Lang::parse(c.value())) {
        return l;
    }
    if !api {
        return Lang::Zh;
    }
    let accept = headers.get(header::ACCEPT_LANGUAGE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let first = accept.split(',').next().unwrap_or("").split(';').next().unwrap_or("");
    Lang::parse(first).unwrap_or(Lang::Zh)
}

fn bearer(headers: &HeaderMap) -> Option<&str> {
    let v = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    v.strip_prefix("Bearer ").or_else(|| v.strip_prefix("bearer ")).map(str::trim)
}

/// Paths a user who must change their password may still reach.
fn allowed_before_password_change(path: &str) -> bool {
    path == "/password"
        || path == "/logout"
        || path.starts_with("/static/")
        || path.starts_with("/lang/")
        || path == "/healthz"
}

pub(crate) fn cookie(
    state: &AppState,
    name: &'static str,
    value: String,
    http_only: bool,
    strict: bool,
) -> Cookie<'static> {
    let mut c = Cookie::new(name, value);
    c.set_path("/");
    c.set_http_only(http_only);
    c.set_same_site(if strict { SameSite::Strict } else { SameSite::Lax });
    c.set_secure(state.config.secure_cookies);
    c
}

pub(crate) fn removal(name: &'static str) -> Cookie<'static> {
    let mut c = Cookie::from(name);
    c.set_path("/");
    c.make_removal();
    c
}

async fn load_user(state: &AppState, account_id: Uuid, via: AuthVia) -> Result<Option<User>, AppError> {
    let account = match state.store.accounts().get(account_id).await {
        Ok(a) => a,
        Err(qingfeng_store::StoreError::NotFound) => return Ok(None),
        Err(e) => return Err(e.into()),
    };
    if !account.active {
        return Ok(None);
    }
    let grants = state.store.grants().effective(account.id).await?;
    let actor = Actor { account_id: account.id, username: account.username.clone(), grants };
    Ok(Some(User { actor, account, via }))
}

/// Resolves the context of every request.
pub async fn resolve(State(state): State<AppState>, mut req: Request, next: Next) -> Response {
    let jar = CookieJar::from_headers(req.headers());
    let lang = lang_of(&jar, req.headers(), req.uri().path().starts_with("/api/"));
    let path_and_query = req.uri().path_and_query().map_or("/", |p| p.as_str()).to_string();
    let path = req.uri().path().to_string();
    let now = Ts::now();
    let mut set_cookies: Vec<Cookie<'static>> = Vec::new();
    let mut ctx = Ctx { lang, user: None, csrf: String::new(), path_and_query, session_expired: false, flash: None };

    if let Some(token) = bearer(req.headers()) {
        match authenticate_token(&state, token, now).await {
            Ok(Some(user)) => ctx.user = Some(user),
            Ok(None) => return AppError::InvalidToken.json_response(lang),
            Err(e) => return e.into_response(),
        }
    } else if let Some(c) = jar.get(SESSION_COOKIE) {
        let hash = token_hash(c.value());
        match state.store.sessions().get(&hash).await {
            Ok(Some(s)) => {
                let policy = state.config.login;
                let too_old = now.0.duration_since(s.created_at.0) >= state.config.session_max_age;
                if policy.is_idle_expired(s.last_seen_at.0, now.0) || too_old {
                    let _ = state.store.sessions().expire(&hash).await;
                    ctx.session_expired = true;
                    set_cookies.push(removal(SESSION_COOKIE));
                } else {
                    match load_user(&state, s.account_id, AuthVia::Session { token_hash: hash.clone() }).await {
                        Ok(Some(user)) => {
                            if now.micros() - s.last_seen_at.micros() > 60_000_000 {
                                let _ = state.store.sessions().touch(&hash, now).await;
                            }
                            ctx.csrf = s.csrf_token;
                            ctx.user = Some(user);
                        }
                        Ok(None) => set_cookies.push(removal(SESSION_COOKIE)),
                        Err(e) => return e.into_response(),
                    }
                }
            }
            Ok(None) => set_cookies.push(removal(SESSION_COOKIE)),
            Err(e) => return AppError::from(e).into_response(),
        }
    }

    if ctx.user.is_none() {
        // Login CSRF: anonymous forms echo a token also held in a cookie.
        ctx.csrf = match jar.get(PRE_CSRF_COOKIE) {
            Some(c) if c.value().len() >= 32 => c.value().to_string(),
            _ => {
                let t = random_token();
                set_cookies.push(cookie(&state, PRE_CSRF_COOKIE, t.clone(), true, true));
                t
            }
        };
    }

    if let Some(f) = jar.get(FLASH_COOKIE) {
        ctx.flash = Some(f.value().to_string());
        set_cookies.push(removal(FLASH_COOKIE));
    }

    if let Some(user) = &ctx.user
        && user.account.must_change_password
        && !allowed_before_password_change(&path)
    {
        if path.starts_with("/api/") {
            let err = AppError::Forbidden {
                code: "password_change_required",
                msg: qingfeng_domain::Msg::new("首次登录须先修改密码", "change your password before using the system"),
            };
            return err.json_response(lang);
        }
        return with_cookies(Redirect::to("/password").into_response(), &set_cookies);
    }

    req.extensions_mut().insert(ctx);
    let res = next.run(req).await;
    with_cookies(res, &set_cookies)
}

/// Adds `Set-Cookie` headers to a response.
pub(crate) fn with_cookies(mut res: Response, cookies: &[Cookie<'static>]) -> Response {
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c.encoded().to_string()) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    res
}

async fn authenticate_token(state: &AppState, token: &str, now: Ts) -> Result<Option<User>, AppError> {
    let Some(t) = state.store.accounts().find_token(&token_hash(token)).await? else {
        return Ok(None);
    };
    if !t.usable(now) {
        return Ok(None);
    }
    let user = load_user(state, t.account_id, AuthVia::Token { id: t.id }).await?;
    if user.is_some() && t.last_used_at.is_none_or(|u| now.micros() - u.micros() > 60_000_000) {
        state.store.accounts().touch_token(t.id, now).await?;
    }
    Ok(user)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_are_random_and_hashed() {
        let a = random_token();
        assert_ne!(a, random_token());
        assert!(a.len() >= 43);
        assert_eq!(token_hash("abc").len(), 64);
    }

    #[test]
    fn pages_are_chinese_unless_switched_and_the_api_honours_accept_language() {
        let mut h = HeaderMap::new();
        h.insert(header::ACCEPT_LANGUAGE, HeaderValue::from_static("en-US,en;q=0.9"));
        assert_eq!(lang_of(&CookieJar::new(), &h, false), Lang::Zh);
        assert_eq!(lang_of(&CookieJar::new(), &h, true), Lang::En);
        let jar = CookieJar::new().add(Cookie::new(LANG_COOKIE, "en"));
        assert_eq!(lang_of(&jar, &HeaderMap::new(), false), Lang::En);
        let jar = CookieJar::new().add(Cookie::new(LANG_COOKIE, "zh-CN"));
        assert_eq!(lang_of(&jar, &h, true), Lang::Zh);
        assert_eq!(lang_of(&CookieJar::new(), &HeaderMap::new(), true), Lang::Zh);
    }
}
