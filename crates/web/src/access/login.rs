//! Login, logout, password change and the language switch.

use super::{hash_blocking, verify_blocking};
use crate::AppState;
use crate::api::ApiQuery as Query;
use crate::ctx::{
    AuthVia, Ctx, LANG_COOKIE, SESSION_COOKIE, User, cookie, random_token, removal, token_hash, with_cookies,
};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, safe_next};
use crate::layout::{Layout, done, page};
use askama::Template;
use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use qingfeng_domain::auth::{check_password_policy, decoy_hash};
use qingfeng_domain::{Lang, Msg, Validation};
use qingfeng_store::Ts;
use qingfeng_store::accounts::LoginOutcome;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "access/login.html")]
struct LoginPage {
    l: Layout,
    username: String,
    next: String,
    error: Option<String>,
    expired: bool,
    notice: Option<String>,
}

#[derive(Deserialize)]
pub struct NextQuery {
    next: Option<String>,
    /// Set by the redirect that follows an idle timeout.
    expired: Option<String>,
}

pub async fn form(State(state): State<AppState>, ctx: Ctx, Query(q): Query<NextQuery>) -> AppResult<Response> {
    if ctx.user.is_some() {
        return Ok(Redirect::to(&safe_next(q.next.as_deref())).into_response());
    }
    let title = crate::i18n::T(ctx.lang).s("login.title").into_owned();
    page(&LoginPage {
        l: Layout::new(&state, &ctx, "login", title),
        username: String::new(),
        next: safe_next(q.next.as_deref()),
        error: None,
        expired: ctx.session_expired || q.expired.is_some(),
        notice: state.config.login_notice.clone(),
    })
}

#[derive(Deserialize)]
pub struct LoginForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn login_failed(
    state: &AppState,
    ctx: &Ctx,
    username: &str,
    next: &str,
    status: StatusCode,
    msg: Msg,
) -> AppResult<Response> {
    let title = crate::i18n::T(ctx.lang).s("login.title").into_owned();
    let mut res = page(&LoginPage {
        l: Layout::new(state, ctx, "login", title),
        username: username.to_string(),
        next: next.to_string(),
        error: Some(msg.get(ctx.lang).to_string()),
        expired: false,
        notice: state.config.login_notice.clone(),
    })?;
    *res.status_mut() = status;
    Ok(res)
}

fn wrong_credentials(left: Option<u32>) -> Msg {
    match left {
        Some(n) if n > 0 => Msg::owned(
            format!("用户名或密码错误，还可尝试{n}次"),
            format!("wrong username or password; {n} attempts left"),
        ),
        _ => Msg::new("用户名或密码错误", "wrong username or password"),
    }
}

fn locked_msg(until: Ts) -> Msg {
    let local = until.0.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8)));
    Msg::owned(
        format!("连续输错密码次数过多，账号已锁定至 {}，请稍后再试或联系管理员", local.strftime("%H:%M")),
        format!("too many wrong passwords; the account is locked until {} (UTC+8)", local.strftime("%H:%M")),
    )
}

/// The refusal shown while an account is locked, with `Retry-After`.
fn locked_page(state: &AppState, ctx: &Ctx, username: &str, next: &str, until: Ts) -> AppResult<Response> {
    let mut res = login_failed(state, ctx, username, next, StatusCode::TOO_MANY_REQUESTS, locked_msg(until))?;
    let secs = (until.micros() - Ts::now().micros()) / 1_000_000;
    if let Ok(v) = HeaderValue::from_str(&secs.max(1).to_string()) {
        res.headers_mut().insert(header::RETRY_AFTER, v);
    }
    Ok(res)
}

pub async fn submit(State(state): State<AppState>, ctx: Ctx, Form(f): Form<LoginForm>) -> AppResult<Response> {
    let next = safe_next(f.next.as_deref());
    let username = f.username.trim().to_lowercase();
    let policy = state.config.login;
    let now = Ts::now();
    let account = if username.is_empty() { None } else { state.store.accounts().find_by_username(&username).await? };
    let Some(account) = account else {
        verify_blocking(f.password, decoy_hash().to_string()).await?;
        state.store.accounts().record_unknown_user(&username).await?;
        return login_failed(&state, &ctx, &f.username, &next, StatusCode::UNAUTHORIZED, wrong_credentials(None));
    };
    if !account.active {
        verify_blocking(f.password, decoy_hash().to_string()).await?;
        state.store.accounts().record_refused(&account, "disabled").await?;
        return login_failed(&state, &ctx, &f.username, &next, StatusCode::UNAUTHORIZED, wrong_credentials(None));
    }
    if let Some(until) = account.locked_until.filter(|u| policy.is_locked(Some(u.0), now.0)) {
        state.store.accounts().record_refused(&account, "locked").await?;
        return locked_page(&state, &ctx, &f.username, &next, until);
    }
    if !verify_blocking(f.password, account.password_hash.clone()).await? {
        let (_, outcome) = state.store.accounts().record_failure(account.id, &policy).await?;
        if let Some(until) = outcome.locked_until {
            return locked_page(&state, &ctx, &f.username, &next, until.into());
        }
        let left = policy.max_failures.saturating_sub(outcome.failures);
        return login_failed(&state, &ctx, &f.username, &next, StatusCode::UNAUTHORIZED, wrong_credentials(Some(left)));
    }
    let token = random_token();
    let account = match state.store.accounts().login(account.id, &token_hash(&token), &random_token(), &policy).await? {
        LoginOutcome::SignedIn(a) => a,
        LoginOutcome::Refused { account, .. } => match account.locked_until {
            Some(until) if account.active => return locked_page(&state, &ctx, &f.username, &next, until),
            _ => {
                return login_failed(
                    &state,
                    &ctx,
                    &f.username,
                    &next,
                    StatusCode::UNAUTHORIZED,
                    wrong_credentials(None),
                );
            }
        },
    };
    let target = if account.must_change_password { "/password".to_string() } else { next };
    Ok(with_cookies(Redirect::to(&target).into_response(), &[cookie(&state, SESSION_COOKIE, token, true, true)]))
}

pub async fn logout(State(state): State<AppState>, user: User) -> AppResult<Response> {
    if let AuthVia::Session { token_hash } = &user.via {
        state.store.accounts().logout(&user.who(), token_hash).await?;
    }
    Ok(with_cookies(Redirect::to("/login").into_response(), &[removal(SESSION_COOKIE)]))
}

#[derive(Template)]
#[template(path = "access/password.html")]
struct PasswordPage {
    l: Layout,
    forced: bool,
    errors: FormErrors,
}

pub async fn password_form(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Response> {
    let title = crate::i18n::T(ctx.lang).s("password.title").into_owned();
    page(&PasswordPage {
        l: Layout::new(&state, &ctx, "password", title),
        forced: user.account.must_change_password,
        errors: FormErrors::default(),
    })
}

#[derive(Deserialize)]
pub struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
    #[serde(default)]
    confirm: String,
}

pub async fn password_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Form(f): Form<PasswordForm>,
) -> AppResult<Response> {
    let AuthVia::Session { token_hash } = &user.via else {
        return Err(AppError::forbidden());
    };
    let mut v = Validation::new();
    if !verify_blocking(f.current.clone(), user.account.password_hash.clone()).await? {
        v.add("current", Msg::new("当前密码不正确", "the current password is wrong"));
    }
    if let Err(m) = check_password_policy(&f.new, &user.account.username) {
        v.add("new", m);
    } else if f.new == f.current {
        v.add("new", Msg::new("新密码不能与当前密码相同", "the new password must differ from the current one"));
    }
    if f.confirm != f.new {
        v.add("confirm", Msg::new("两次输入的新密码不一致", "the two new passwords differ"));
    }
    if !v.is_empty() {
        let title = crate::i18n::T(ctx.lang).s("password.title").into_owned();
        let mut res = page(&PasswordPage {
            l: Layout::new(&state, &ctx, "password", title),
            forced: user.account.must_change_password,
            errors: FormErrors::from(&v, ctx.lang),
        })?;
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
        return Ok(res);
    }
    let hash = hash_blocking(f.new).await?;
    state.store.accounts().set_password(&user.who(), user.account.id, &hash, false, Some(token_hash)).await?;
    Ok(done(&state, "/", "flash.password_changed"))
}

pub async fn switch_lang(
    State(state): State<AppState>,
    Path(code): Path<String>,
    Query(q): Query<NextQuery>,
) -> Response {
    let lang = Lang::parse(&code).unwrap_or_default();
    let mut c = cookie(&state, LANG_COOKIE, lang.code().to_string(), false, false);
    // A preference, kept for a year.
    c.set_max_age(cookie::time::Duration::days(365));
    with_cookies(Redirect::to(&safe_next(q.next.as_deref())).into_response(), &[c])
}
