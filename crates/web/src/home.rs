//! 我的待办: the home page. Each module adds the items that wait for the
//! signed-in user (claims, closure reviews, overdue escalations, …) through
//! [`todos`].

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::i18n::T;
use crate::layout::{Layout, page as render};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::access::Action;
use serde::Serialize;
use utoipa::ToSchema;

/// One thing waiting for the user.
#[derive(Debug, Clone, Serialize, ToSchema)]
pub struct TodoItem {
    /// Which module it comes from, e.g. `rectify`.
    pub module: String,
    pub title: String,
    /// Due date (YYYY-MM-DD), if any.
    pub due: Option<String>,
    /// `green`, `yellow` or `red`.
    pub warning: Option<String>,
    pub url: String,
}

/// Everything waiting for `user`, most urgent first.
pub async fn todos(state: &AppState, user: &User) -> AppResult<Vec<TodoItem>> {
    let mut out = Vec::new();
    if user.actor.can_anywhere(Action::ViewRectify) {
        out.extend(crate::rectify::todos(state, user).await?);
    }
    out.extend(crate::orglife::todos(state, user).await?);
    out.extend(crate::tasks::todos(state, user).await?);
    out.extend(crate::leads::todos(state, user).await?);
    Ok(out)
}

pub struct ScopeLine {
    pub role: String,
    pub unit: String,
    pub unit_id: Option<uuid::Uuid>,
}

#[derive(Template)]
#[template(path = "home.html")]
struct HomePage {
    l: Layout,
    todos: Vec<TodoItem>,
    scopes: Vec<ScopeLine>,
    can_orgs: bool,
    can_people: bool,
    can_accounts: bool,
    can_audit: bool,
}

pub async fn page(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Response> {
    let t = T(ctx.lang);
    let grants = state.store.grants().of_account(user.account.id).await?;
    let scopes = grants
        .iter()
        .map(|g| ScopeLine {
            role: crate::access::accounts::role_label(&g.role, &t),
            unit: g.org_unit_name.clone().unwrap_or_else(|| t.s("home.everywhere").into_owned()),
            unit_id: g.org_unit_id,
        })
        .collect();
    let a = &user.actor;
    render(&HomePage {
        l: Layout::new(&state, &ctx, "home", t.s("nav.home").into_owned()),
        todos: todos(&state, &user).await?,
        scopes,
        can_orgs: a.can_anywhere(Action::ViewOrg),
        can_people: a.can_anywhere(Action::ViewPeople),
        can_accounts: a.can_anywhere(Action::ViewAccounts),
        can_audit: a.can_anywhere(Action::ViewAudit),
    })
}

/// What waits for the calling account.
#[utoipa::path(get, path = "/api/v1/todos", tag = "me", responses((status = 200, body = [TodoItem])))]
pub async fn todos_api(State(state): State<AppState>, user: User) -> AppResult<Json<Vec<TodoItem>>> {
    Ok(Json(todos(&state, &user).await?))
}
