//! Account and grant administration pages (账号与授权).

use super::{AccountInput, GrantInput, visible_account};
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid};
use crate::i18n::T;
use crate::layout::{Layout, done, page};
use crate::org::{UnitOption, unit_options};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use qingfeng_domain::access::{Action, Role};
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_store::access::GrantRecord;
use qingfeng_store::accounts::{Account, AccountFilter, ApiToken};
use serde::Deserialize;
use uuid::Uuid;

fn title(ctx: &Ctx, key: &str) -> String {
    T(ctx.lang).s(key).into_owned()
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    q: String,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    inactive: bool,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "access/accounts.html")]
struct ListPage {
    l: Layout,
    q: String,
    inactive: bool,
    page: Page<Account>,
    can_create: bool,
    pager_base: String,
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewAccounts);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let filter = AccountFilter { q: Some(q.q.clone()), include_inactive: q.inactive };
    let result = state.store.accounts().list(&scopes, &filter, PageRequest::new(q.page, None)).await?;
    let result = result.map(|a| super::redact_account(&user, a, Vec::new()).0);
    let pager_base =
        format!("/admin/accounts?q={}&inactive={}", crate::form::urlencode(&q.q), if q.inactive { "1" } else { "" });
    page(&ListPage {
        l: Layout::new(&state, &ctx, "accounts", title(&ctx, "accounts.title")),
        q: q.q,
        inactive: q.inactive,
        page: result,
        can_create: user.actor.can_anywhere(Action::ManageAccounts),
        pager_base,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct AccountForm {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    org_unit_id: String,
    #[serde(default)]
    person_id: String,
}

impl AccountForm {
    fn input(&self) -> Result<AccountInput, AppError> {
        Ok(AccountInput {
            username: self.username.clone(),
            display_name: self.display_name.clone(),
            org_unit_id: form_uuid(&self.org_unit_id)?,
            person_id: form_uuid(&self.person_id)?,
        })
    }
}

#[derive(Template)]
#[template(path = "access/account_new.html")]
struct NewPage {
    l: Layout,
    f: AccountForm,
    units: Vec<UnitOption>,
    person_name: Option<String>,
    errors: FormErrors,
}

#[derive(Deserialize)]
pub struct NewQuery {
    person: Option<String>,
}

async fn new_page(state: &AppState, ctx: &Ctx, user: &User, f: AccountForm, errors: FormErrors) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::ManageAccounts) {
        return Err(AppError::NotFound);
    }
    // The person's name only if the person is within the user's scope.
    let person_name = match Uuid::try_parse(f.person_id.trim()) {
        Ok(pid) => match state.store.people().get(pid).await {
            Ok(p) if p.scope().is_ok_and(|s| user.can(Action::ViewPeople, &s)) => Some(p.name),
            _ => None,
        },
        Err(_) => None,
    };
    page(&NewPage {
        l: Layout::new(state, ctx, "accounts", title(ctx, "accounts.new")),
        units: unit_options(state, user, Action::ManageAccounts).await?,
        f,
        person_name,
        errors,
    })
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    let mut f = AccountForm::default();
    if let Some(pid) = q.person.as_deref().and_then(|p| Uuid::try_parse(p).ok()) {
        let p = state.store.people().get(pid).await?;
        user.authorize(Action::ViewPeople, &p.scope()?)?;
        f.display_name = p.name.clone();
        f.org_unit_id = p.org_unit_id.to_string();
        f.person_id = p.id.to_string();
    }
    new_page(&state, &ctx, &user, f, FormErrors::default()).await
}

#[derive(Template)]
#[template(path = "access/issued.html")]
struct IssuedPage {
    l: Layout,
    account: Account,
    password: String,
    created: bool,
}

pub async fn new_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Form(f): Form<AccountForm>,
) -> AppResult<Response> {
    match super::create_account(&state, &user, &f.input()?).await {
        Ok((account, password)) => page(&IssuedPage {
            l: Layout::new(&state, &ctx, "accounts", title(&ctx, "accounts.issued_title")),
            account,
            password,
            created: true,
        }),
        Err(AppError::Invalid(v)) => {
            let mut res = new_page(&state, &ctx, &user, f, FormErrors::from(&v, ctx.lang)).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e),
    }
}

pub struct RoleOption {
    pub value: &'static str,
    pub label: String,
}

#[derive(Template)]
#[template(path = "access/account_show.html")]
struct ShowPage {
    l: Layout,
    account: Account,
    grants: Vec<GrantRecord>,
    /// Grants on units beyond the viewer's scope (not shown).
    hidden_grants: usize,
    tokens: Vec<ApiToken>,
    can_manage: bool,
    can_grant: bool,
    roles: Vec<RoleOption>,
    units: Vec<UnitOption>,
    grant_errors: FormErrors,
    grant_role: String,
    grant_unit: String,
    is_self: bool,
    locked: bool,
}

async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: Uuid,
    grant_errors: FormErrors,
    grant: Option<&GrantForm>,
) -> AppResult<Response> {
    let account = visible_account(state, user, id, Action::ViewAccounts).await?;
    let all_grants = state.store.grants().of_account(id).await?;
    let can_manage = user.can(Action::ManageAccounts, &account.scope())
        && all_grants.iter().all(|g| g.scope().is_ok_and(|s| user.can(Action::ManageAccounts, &s)));
    let (account, grants, hidden_grants) = super::redact_account(user, account, all_grants);
    let tokens = state.store.accounts().tokens_of(id).await?;
    let can_grant = user.actor.can_anywhere(Action::ManageGrants);
    let locked = state.config.login.is_locked(account.locked_until.map(|t| t.0), qingfeng_store::Ts::now().0);
    page(&ShowPage {
        l: Layout::new(state, ctx, "accounts", account.display_name.clone()),
        can_manage,
        hidden_grants,
        roles: Role::ALL
            .iter()
            .map(|r| RoleOption { value: r.as_str(), label: r.label().get(ctx.lang).to_string() })
            .collect(),
        units: if can_grant { unit_options(state, user, Action::ManageGrants).await? } else { Vec::new() },
        is_self: account.id == user.account.id,
        account,
        grants,
        tokens,
        can_grant,
        grant_errors,
        grant_role: grant.map(|g| g.role.clone()).unwrap_or_default(),
        grant_unit: grant.map(|g| g.org_unit_id.clone()).unwrap_or_default(),
        locked,
    })
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    show_page(&state, &ctx, &user, id, FormErrors::default(), None).await
}

pub async fn reset_password(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Response> {
    let (account, password) = super::reset_password(&state, &user, id).await?;
    page(&IssuedPage {
        l: Layout::new(&state, &ctx, "accounts", title(&ctx, "accounts.issued_title")),
        account,
        password,
        created: false,
    })
}

pub async fn disable(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    super::set_account_active(&state, &user, id, false).await?;
    Ok(done(&state, &format!("/admin/accounts/{id}"), "flash.saved"))
}

pub async fn enable(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    super::set_account_active(&state, &user, id, true).await?;
    Ok(done(&state, &format!("/admin/accounts/{id}"), "flash.saved"))
}

pub async fn unlock(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    super::unlock_account(&state, &user, id).await?;
    Ok(done(&state, &format!("/admin/accounts/{id}"), "flash.unlocked"))
}

#[derive(Deserialize, Default)]
pub struct GrantForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    org_unit_id: String,
}

pub async fn add_grant(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(f): Form<GrantForm>,
) -> AppResult<Response> {
    let org_unit_id = if f.org_unit_id.trim() == "global" { None } else { form_uuid(&f.org_unit_id)? };
    let input = GrantInput { account_id: id, role: f.role.clone(), org_unit_id };
    match super::create_grant(&state, &user, &input).await {
        Ok(_) => Ok(done(&state, &format!("/admin/accounts/{id}"), "flash.granted")),
        Err(AppError::Invalid(v)) => {
            let mut res = show_page(&state, &ctx, &user, id, FormErrors::from(&v, ctx.lang), Some(&f)).await?;
            *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
            Ok(res)
        }
        Err(e) => Err(e),
    }
}

pub async fn revoke_grant(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    let g = super::revoke_grant(&state, &user, id).await?;
    Ok(done(&state, &format!("/admin/accounts/{}", g.account_id), "flash.revoked"))
}

/// Role label for templates.
pub fn role_label(role: &str, t: &T) -> String {
    Role::parse(role).map(|r| t.m(r.label()).to_string()).unwrap_or_else(|| role.to_string())
}
