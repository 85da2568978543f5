//! The task board (挂图作战 for 部署分解): for any unit, the tasks led in
//! its subtree by status and colour, one row per child unit, every number a
//! link to the list of the tasks behind it; and that list.

use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{form_uuid, urlencode};
use crate::layout::{Layout, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_domain::tasks::{TaskStatus, Warning};
use qingfeng_store::org::OrgUnit;
use qingfeng_store::tasks::{Directive, Task, TaskFilter, UnitCount};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    directive: Option<String>,
}

#[derive(Template)]
#[template(path = "tasks/board.html")]
struct BoardPage {
    l: Layout,
    unit: OrgUnit,
    parent: Option<OrgUnit>,
    total: UnitCount,
    rows: Vec<UnitCount>,
    directive: Option<Directive>,
    overdue: Vec<Task>,
}

impl BoardPage {
    /// The list behind a number: tasks led within `unit`'s subtree, narrowed.
    fn link(&self, c: &UnitCount, param: &str) -> String {
        let d = self.directive.as_ref().map(|d| format!("&directive={}", d.id)).unwrap_or_default();
        format!("/tasks/list?unit={}{d}{param}", c.unit_id)
    }
    fn pct(&self, c: &UnitCount) -> i64 {
        if c.total == 0 { 0 } else { (c.done * 100 + c.total / 2) / c.total }
    }
}

/// `GET /tasks/board`: the board of the user's first scope.
pub async fn home(State(state): State<AppState>, user: User) -> AppResult<Response> {
    let id = crate::org::first_scope_unit(&state, &user, Action::ViewTasks).await?;
    Ok(axum::response::Redirect::to(&format!("/tasks/board/{id}")).into_response())
}

use axum::response::IntoResponse;

/// `GET /tasks/board/{unit}?directive=`.
pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Query(q): Query<BoardQuery>) -> AppResult<Response> {
    let unit = crate::org::visible_unit(&state, &user, id, Action::ViewTasks).await?;
    let directive = match form_uuid(q.directive.as_deref().unwrap_or(""))? {
        Some(d) => Some(super::visible_directive(&state, &user, d, Action::ViewTasks).await?),
        None => None,
    };
    let s = state.store.tasks();
    let did = directive.as_ref().map(|d| d.id);
    let total = s.counts_by_subtree(&[(unit.id, unit.name.clone(), unit.path.clone())], did).await?.pop().unwrap_or_default();
    let kids: Vec<_> = state.store.orgs().children(Some(unit.id), false).await?.into_iter().map(|n| (n.unit.id, n.unit.name, n.unit.path)).collect();
    let rows: Vec<UnitCount> = s.counts_by_subtree(&kids, did).await?.into_iter().filter(|c| c.total > 0).collect();
    let f = TaskFilter { within: Some(unit.path.clone()), directive: did, warning: Some("red".into()), duties: Some(false), ..Default::default() };
    let overdue = s.list(&user.scopes(Action::ViewTasks), &f, PageRequest::new(Some(1), Some(10))).await?.items;
    let parent = match unit.parent_id {
        Some(p) if user.can(Action::ViewTasks, &state.store.orgs().get(p).await?.path) => Some(state.store.orgs().get(p).await?),
        _ => None,
    };
    let title = format!("{}｜{}", crate::i18n::T(ctx.lang).s("tasks.board"), unit.name);
    page(&BoardPage { l: Layout::new(&state, &ctx, "tasks_board", title), unit, parent, total, rows, directive, overdue })
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    directive: Option<String>,
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    warning: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "tasks/list.html")]
struct ListPage {
    l: Layout,
    tasks: Page<Task>,
    unit: Option<OrgUnit>,
    directive: Option<Directive>,
    status: String,
    warning: String,
    q: String,
}

impl ListPage {
    fn statuses(&self) -> Vec<(&'static str, String)> {
        TaskStatus::ALL.iter().map(|s| (s.as_str(), self.l.t.m(s.label()))).collect()
    }
    fn warnings(&self) -> Vec<(&'static str, String)> {
        [Warning::Red, Warning::Yellow, Warning::Green].iter().map(|w| (w.as_str(), self.l.t.m(w.label()))).collect()
    }
    fn status_label(&self, t: &Task) -> String {
        self.l.t.m(t.status().label())
    }
    fn base(&self) -> String {
        let unit = self.unit.as_ref().map(|u| u.id.to_string()).unwrap_or_default();
        let d = self.directive.as_ref().map(|d| d.id.to_string()).unwrap_or_default();
        format!("/tasks/list?unit={unit}&directive={d}&status={}&warning={}&q={}", self.status, self.warning, urlencode(&self.q))
    }
}

/// `GET /tasks/list`: tasks in scope, filtered (what every board number links to).
pub async fn list(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewTasks);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let unit = match form_uuid(q.unit.as_deref().unwrap_or(""))? {
        Some(id) => Some(crate::org::visible_unit(&state, &user, id, Action::ViewTasks).await?),
        None => None,
    };
    let directive = match form_uuid(q.directive.as_deref().unwrap_or(""))? {
        Some(d) => Some(super::visible_directive(&state, &user, d, Action::ViewTasks).await?),
        None => None,
    };
    let status = q.status.clone().filter(|s| TaskStatus::parse(s).is_some()).unwrap_or_default();
    let warning = q.warning.clone().filter(|w| Warning::parse(w).is_some()).unwrap_or_default();
    let f = TaskFilter {
        within: unit.as_ref().map(|u| u.path.clone()),
        directive: directive.as_ref().map(|d| d.id),
        status: Some(status.clone()),
        warning: Some(warning.clone()),
        q: q.q.clone(),
        ..Default::default()
    };
    let tasks = state.store.tasks().list(&scopes, &f, PageRequest::new(q.page, Some(30))).await?;
    page(&ListPage {
        l: Layout::new(&state, &ctx, "tasks", crate::i18n::T(ctx.lang).s("tasks.list").into_owned()),
        tasks,
        unit,
        directive,
        status,
        warning,
        q: q.q.unwrap_or_default(),
    })
}
