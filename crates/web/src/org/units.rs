//! Org tree pages (组织机构).

use super::{UnitOption, is_scope_root, unit_options, visible_unit};
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid, sort_order};
use crate::i18n::T;
use crate::layout::{Layout, done, page};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Redirect, Response};
use qingfeng_domain::access::Action;
use qingfeng_domain::org::{OrgKind, OrgUnitInput};
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_store::access::GrantRecord;
use qingfeng_store::org::{OrgFilter, OrgNode, OrgUnit, SubtreeCounts};
use qingfeng_store::people::{PeopleFilter, Person};
use serde::Deserialize;
use uuid::Uuid;

/// One line of the tree panel.
pub struct TreeRow {
    pub id: Uuid,
    pub name: String,
    pub kind: OrgKind,
    pub depth: usize,
    pub current: bool,
    pub open: bool,
    pub has_children: bool,
    pub active: bool,
}

#[derive(Template)]
#[template(path = "org/index.html")]
struct IndexPage {
    l: Layout,
    roots: Vec<OrgNode>,
    can_create_top: bool,
}

#[derive(Deserialize, Default)]
pub struct IndexQuery {
    /// Search within this unit's subtree.
    #[serde(default)]
    within: String,
    #[serde(default)]
    q: String,
    #[serde(default)]
    kind: String,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    inactive: bool,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "org/search.html")]
struct SearchPage {
    l: Layout,
    within: Option<OrgUnit>,
    q: IndexQuery,
    kinds: [OrgKind; 9],
    page: Page<OrgNode>,
    pager_base: String,
}

/// The user's roots (or straight to the only one); with `q`, `kind` or
/// `within`, a paged search over every unit in scope.
pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Query(q): Query<IndexQuery>,
) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewOrg);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let searching = !q.within.is_empty() || !q.q.trim().is_empty() || !q.kind.is_empty();
    if searching {
        let within = match form_uuid(&q.within)? {
            Some(id) => Some(visible_unit(&state, &user, id, Action::ViewOrg).await?),
            None => None,
        };
        let search_scopes = within.as_ref().map_or(scopes, |u| vec![u.path.clone()]);
        let filter = OrgFilter { q: Some(q.q.clone()), kind: OrgKind::parse(&q.kind), include_inactive: q.inactive };
        let result = state.store.orgs().search(&search_scopes, &filter, PageRequest::new(q.page, None)).await?;
        let pager_base = format!(
            "/orgs?within={}&q={}&kind={}&inactive={}",
            q.within,
            crate::form::urlencode(&q.q),
            crate::form::urlencode(&q.kind),
            if q.inactive { "1" } else { "" }
        );
        let title = T(ctx.lang).s("orgs.search_title").into_owned();
        return page(&SearchPage {
            l: Layout::new(&state, &ctx, "orgs", title),
            within,
            q,
            kinds: OrgKind::ALL,
            page: result,
            pager_base,
        });
    }
    let roots = state.store.orgs().scope_roots(&scopes).await?;
    if roots.len() == 1 {
        return Ok(Redirect::to(&format!("/orgs/{}", roots[0].unit.id)).into_response());
    }
    page(&IndexPage {
        l: Layout::new(&state, &ctx, "orgs", T(ctx.lang).s("orgs.title").into_owned()),
        roots,
        can_create_top: user.authorize_system(Action::ManageOrg).is_ok(),
    })
}

#[derive(Deserialize, Default)]
pub struct ShowQuery {
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    inactive: bool,
}

#[derive(Template)]
#[template(path = "org/show.html")]
struct ShowPage {
    l: Layout,
    unit: OrgUnit,
    crumbs: Vec<OrgUnit>,
    tree: Vec<TreeRow>,
    children: Vec<OrgNode>,
    counts: SubtreeCounts,
    people: Vec<Person>,
    people_total: i64,
    grants: Vec<GrantRecord>,
    show_grants: bool,
    can_manage: bool,
    can_move: bool,
    can_add_people: bool,
    inactive: bool,
}

/// The tree panel: the user's scope roots, opened along the path to `unit`.
async fn tree_rows(state: &AppState, user: &User, unit: &OrgUnit, inactive: bool) -> AppResult<Vec<TreeRow>> {
    let roots = state.store.orgs().scope_roots(&user.scopes(Action::ViewOrg)).await?;
    let on_path: Vec<Uuid> = unit.path.ids();
    let mut rows = Vec::new();
    let mut stack: Vec<(OrgNode, usize)> = roots.into_iter().rev().map(|n| (n, 0)).collect();
    while let Some((n, depth)) = stack.pop() {
        let open = on_path.contains(&n.unit.id);
        if open {
            let kids = state.store.orgs().children(Some(n.unit.id), inactive).await?;
            stack.extend(kids.into_iter().rev().map(|k| (k, depth + 1)));
        }
        rows.push(TreeRow {
            id: n.unit.id,
            name: n.unit.display_name().to_string(),
            kind: n.unit.kind,
            depth,
            current: n.unit.id == unit.id,
            open,
            has_children: n.active_children > 0,
            active: n.unit.active,
        });
    }
    Ok(rows)
}

pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Query(q): Query<ShowQuery>,
) -> AppResult<Response> {
    let unit = visible_unit(&state, &user, id, Action::ViewOrg).await?;
    let view_scopes = user.scopes(Action::ViewOrg);
    let crumbs = state.store.orgs().ancestry(&unit, &view_scopes).await?;
    let tree = tree_rows(&state, &user, &unit, q.inactive).await?;
    let children = state.store.orgs().children(Some(id), q.inactive).await?;
    let counts = state.store.orgs().counts(&unit.path).await?;
    let can_see_people = user.can(Action::ViewPeople, &unit.path);
    let (people, people_total) = if can_see_people {
        let f = PeopleFilter { unit: Some(id), ..Default::default() };
        let p = state
            .store
            .people()
            .list(&user.scopes(Action::ViewPeople), &f, PageRequest::new(Some(1), Some(12)))
            .await?;
        (p.items, p.total)
    } else {
        (Vec::new(), 0)
    };
    let show_grants = user.can(Action::ViewAccounts, &unit.path);
    let mut grants = if show_grants { state.store.grants().on_unit(id).await? } else { Vec::new() };
    // Only accounts whose home unit the user may see (e.g. not the stationed
    // discipline team's officers, who belong to the commission).
    grants.retain(|g| user.can(Action::ViewAccounts, &g.account_scope()));
    let can_manage = user.can(Action::ManageOrg, &unit.path);
    let can_move = can_manage && !is_scope_root(&user, &unit.path) && unit.parent_id.is_some();
    page(&ShowPage {
        l: Layout::new(&state, &ctx, "orgs", unit.name.clone()),
        can_add_people: unit.active && user.can(Action::ManagePeople, &unit.path),
        unit,
        crumbs,
        tree,
        children,
        counts,
        people,
        people_total,
        grants,
        show_grants,
        can_manage,
        can_move,
        inactive: q.inactive,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct UnitForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    short_name: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    sort_order: String,
}

impl UnitForm {
    fn input(&self) -> OrgUnitInput {
        OrgUnitInput {
            name: self.name.clone(),
            short_name: self.short_name.clone(),
            kind: self.kind.clone(),
            sort_order: sort_order(&self.sort_order),
        }
    }

    fn of(u: &OrgUnit) -> UnitForm {
        UnitForm {
            name: u.name.clone(),
            short_name: u.short_name.clone().unwrap_or_default(),
            kind: u.kind.as_str().into(),
            sort_order: u.sort_order.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "org/form.html")]
struct FormPage {
    l: Layout,
    heading: String,
    action: String,
    cancel: String,
    parent: Option<OrgUnit>,
    kinds: Vec<OrgKind>,
    f: UnitForm,
    errors: FormErrors,
}

fn kinds_under(parent: Option<OrgKind>) -> Vec<OrgKind> {
    OrgKind::ALL.into_iter().filter(|k| parent.is_none_or(|p| p.allows_child(*k))).collect()
}

#[allow(clippy::too_many_arguments)]
fn form_page(
    state: &AppState,
    ctx: &Ctx,
    heading_key: &str,
    action: String,
    cancel: String,
    parent: Option<OrgUnit>,
    f: UnitForm,
    errors: FormErrors,
) -> AppResult<Response> {
    let t = T(ctx.lang);
    let kinds = kinds_under(parent.as_ref().map(|p| p.kind));
    let mut res = page(&FormPage {
        l: Layout::new(state, ctx, "orgs", t.s(heading_key).into_owned()),
        heading: t.s(heading_key).into_owned(),
        action,
        cancel,
        parent,
        kinds,
        f,
        errors: errors.clone(),
    })?;
    if errors.any() {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

pub async fn new_child_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Response> {
    let parent = visible_unit(&state, &user, id, Action::ManageOrg).await?;
    let f = UnitForm {
        kind: kinds_under(Some(parent.kind)).first().map(|k| k.as_str().to_string()).unwrap_or_default(),
        ..Default::default()
    };
    form_page(
        &state,
        &ctx,
        "orgs.new_child",
        format!("/orgs/{id}/new"),
        format!("/orgs/{id}"),
        Some(parent),
        f,
        FormErrors::default(),
    )
}

pub async fn new_child_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(f): Form<UnitForm>,
) -> AppResult<Response> {
    match super::create_unit(&state, &user, Some(id), &f.input()).await {
        Ok(u) => Ok(done(&state, &format!("/orgs/{}", u.id), "flash.unit_created")),
        Err(AppError::Invalid(v)) => {
            let parent = visible_unit(&state, &user, id, Action::ManageOrg).await?;
            form_page(
                &state,
                &ctx,
                "orgs.new_child",
                format!("/orgs/{id}/new"),
                format!("/orgs/{id}"),
                Some(parent),
                f,
                FormErrors::from(&v, ctx.lang),
            )
        }
        Err(e) => Err(e),
    }
}

pub async fn new_top_form(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Response> {
    user.authorize_system(Action::ManageOrg)?;
    let f = UnitForm { kind: OrgKind::PartyCommittee.as_str().into(), ..Default::default() };
    form_page(&state, &ctx, "orgs.new_top", "/orgs/new".into(), "/orgs".into(), None, f, FormErrors::default())
}

pub async fn new_top_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Form(f): Form<UnitForm>,
) -> AppResult<Response> {
    match super::create_unit(&state, &user, None, &f.input()).await {
        Ok(u) => Ok(done(&state, &format!("/orgs/{}", u.id), "flash.unit_created")),
        Err(AppError::Invalid(v)) => form_page(
            &state,
            &ctx,
            "orgs.new_top",
            "/orgs/new".into(),
            "/orgs".into(),
            None,
            f,
            FormErrors::from(&v, ctx.lang),
        ),
        Err(e) => Err(e),
    }
}

async fn parent_of(state: &AppState, user: &User, unit: &OrgUnit) -> AppResult<Option<OrgUnit>> {
    match unit.parent_id {
        Some(p) if !is_scope_root(user, &unit.path) => Ok(Some(state.store.orgs().get(p).await?)),
        _ => Ok(None),
    }
}

pub async fn edit_form(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    let unit = visible_unit(&state, &user, id, Action::ManageOrg).await?;
    let parent = parent_of(&state, &user, &unit).await?;
    form_page(
        &state,
        &ctx,
        "orgs.edit",
        format!("/orgs/{id}/edit"),
        format!("/orgs/{id}"),
        parent,
        UnitForm::of(&unit),
        FormErrors::default(),
    )
}

pub async fn edit_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(f): Form<UnitForm>,
) -> AppResult<Response> {
    match super::update_unit(&state, &user, id, &f.input()).await {
        Ok(_) => Ok(done(&state, &format!("/orgs/{id}"), "flash.saved")),
        Err(AppError::Invalid(v)) => {
            let unit = visible_unit(&state, &user, id, Action::ManageOrg).await?;
            let parent = parent_of(&state, &user, &unit).await?;
            form_page(
                &state,
                &ctx,
                "orgs.edit",
                format!("/orgs/{id}/edit"),
                format!("/orgs/{id}"),
                parent,
                f,
                FormErrors::from(&v, ctx.lang),
            )
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "org/move.html")]
struct MovePage {
    l: Layout,
    unit: OrgUnit,
    candidates: Vec<UnitOption>,
    q: String,
    error: Option<String>,
}

#[derive(Deserialize, Default)]
pub struct MoveQuery {
    #[serde(default)]
    q: String,
}

async fn move_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    unit: OrgUnit,
    q: String,
    error: Option<String>,
) -> AppResult<Response> {
    let all = unit_options(state, user, Action::ManageOrg).await?;
    // Candidates: may contain this kind, not in its own subtree, not its current parent.
    let subtree: std::collections::HashSet<Uuid> =
        state.store.orgs().subtree(&unit.path, None, true).await?.into_iter().map(|n| n.unit.id).collect();
    let needle = q.trim();
    let candidates = all
        .into_iter()
        .filter(|o| o.kind.allows_child(unit.kind) && !subtree.contains(&o.id) && Some(o.id) != unit.parent_id)
        .filter(|o| needle.is_empty() || o.name.contains(needle))
        .collect();
    let status = if error.is_some() { StatusCode::CONFLICT } else { StatusCode::OK };
    let mut res = page(&MovePage {
        l: Layout::new(state, ctx, "orgs", T(ctx.lang).s("orgs.move").into_owned()),
        unit,
        candidates,
        q,
        error,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

pub async fn move_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Query(q): Query<MoveQuery>,
) -> AppResult<Response> {
    let unit = visible_unit(&state, &user, id, Action::ManageOrg).await?;
    move_page(&state, &ctx, &user, unit, q.q, None).await
}

#[derive(Deserialize)]
pub struct MoveForm {
    #[serde(default)]
    parent_id: String,
}

pub async fn move_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(f): Form<MoveForm>,
) -> AppResult<Response> {
    let Some(parent) = form_uuid(&f.parent_id)? else {
        let unit = visible_unit(&state, &user, id, Action::ManageOrg).await?;
        return move_page(
            &state,
            &ctx,
            &user,
            unit,
            String::new(),
            Some(T(ctx.lang).s("orgs.move_choose").into_owned()),
        )
        .await;
    };
    match super::move_unit(&state, &user, id, parent).await {
        Ok(_) => Ok(done(&state, &format!("/orgs/{id}"), "flash.unit_moved")),
        Err(AppError::Refused(r)) => {
            let unit = visible_unit(&state, &user, id, Action::ManageOrg).await?;
            move_page(&state, &ctx, &user, unit, String::new(), Some(r.msg.get(ctx.lang).to_string())).await
        }
        Err(e) => Err(e),
    }
}

pub async fn deactivate(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    super::set_unit_active(&state, &user, id, false).await?;
    Ok(done(&state, &format!("/orgs/{id}"), "flash.unit_deactivated"))
}

pub async fn reactivate(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    super::set_unit_active(&state, &user, id, true).await?;
    Ok(done(&state, &format!("/orgs/{id}"), "flash.unit_reactivated"))
}
