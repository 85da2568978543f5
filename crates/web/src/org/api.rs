//! JSON API: org tree and people.

use super::{visible_person, visible_unit};
use crate::AppState;
use crate::api::dto::{OrgPageDto, OrgUnitDto, PersonDto, PersonPageDto};
use crate::api::{ApiJson, ApiQuery, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use qingfeng_domain::access::Action;
use qingfeng_domain::org::{OrgKind, OrgUnitInput};
use qingfeng_domain::page::{Dir, PageRequest};
use qingfeng_domain::people::PersonInput;
use qingfeng_store::org::OrgFilter;
use qingfeng_store::people::{PeopleFilter, PeopleSort};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

type Err = crate::error::ErrorBody;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct OrgListParams {
    /// Name or short name contains.
    q: Option<String>,
    /// Only units of this kind.
    kind: Option<String>,
    include_inactive: Option<bool>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Searches the units within the caller's scope.
#[utoipa::path(get, path = "/api/v1/orgs", tag = "org", params(OrgListParams), responses((status = 200, body = OrgPageDto), (status = 400, body = Err)))]
pub async fn list_orgs(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    ApiQuery(p): ApiQuery<OrgListParams>,
) -> AppResult<Json<OrgPageDto>> {
    let kind = match p.kind.as_deref() {
        None | Some("") => None,
        Some(k) => Some(
            OrgKind::parse(k).ok_or_else(|| AppError::bad_request("bad_query", "未知的组织类型", "unknown kind"))?,
        ),
    };
    let f = OrgFilter { q: p.q, kind, include_inactive: p.include_inactive.unwrap_or(false) };
    let page =
        state.store.orgs().search(&user.scopes(Action::ViewOrg), &f, PageRequest::new(p.page, p.per_page)).await?;
    Ok(Json(OrgPageDto::from(page, |n| OrgUnitDto::from_node(&n, ctx.lang))))
}

/// The units the caller's view starts at (its grants' units).
#[utoipa::path(get, path = "/api/v1/orgs/roots", tag = "org", responses((status = 200, body = [OrgUnitDto])))]
pub async fn roots(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Json<Vec<OrgUnitDto>>> {
    let roots = state.store.orgs().scope_roots(&user.scopes(Action::ViewOrg)).await?;
    Ok(Json(roots.iter().map(|n| OrgUnitDto::from_node(n, ctx.lang)).collect()))
}

/// One unit.
#[utoipa::path(get, path = "/api/v1/orgs/{id}", tag = "org", params(("id" = Uuid, Path, description = "unit id")),
    responses((status = 200, body = OrgUnitDto), (status = 404, body = Err)))]
pub async fn get_org(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<OrgUnitDto>> {
    Ok(Json(OrgUnitDto::from_unit(&visible_unit(&state, &user, id, Action::ViewOrg).await?, ctx.lang)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct TreeParams {
    include_inactive: Option<bool>,
    /// Levels below the unit (subtree only; default: all).
    max_depth: Option<i32>,
}

/// Direct sub-units of a unit.
#[utoipa::path(get, path = "/api/v1/orgs/{id}/children", tag = "org", params(("id" = Uuid, Path, description = "unit id"), TreeParams),
    responses((status = 200, body = [OrgUnitDto]), (status = 404, body = Err)))]
pub async fn children(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    ApiQuery(p): ApiQuery<TreeParams>,
) -> AppResult<Json<Vec<OrgUnitDto>>> {
    visible_unit(&state, &user, id, Action::ViewOrg).await?;
    let kids = state.store.orgs().children(Some(id), p.include_inactive.unwrap_or(false)).await?;
    Ok(Json(kids.iter().map(|n| OrgUnitDto::from_node(n, ctx.lang)).collect()))
}

/// A unit and everything under it, depth-first (children by sort order).
#[utoipa::path(get, path = "/api/v1/orgs/{id}/subtree", tag = "org", params(("id" = Uuid, Path, description = "unit id"), TreeParams),
    responses((status = 200, body = [OrgUnitDto]), (status = 404, body = Err)))]
pub async fn subtree(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    ApiQuery(p): ApiQuery<TreeParams>,
) -> AppResult<Json<Vec<OrgUnitDto>>> {
    let unit = visible_unit(&state, &user, id, Action::ViewOrg).await?;
    let nodes = state
        .store
        .orgs()
        .subtree(&unit.path, p.max_depth.map(|d| d.clamp(0, 64)), p.include_inactive.unwrap_or(false))
        .await?;
    Ok(Json(super::depth_first(nodes).iter().map(|(n, _)| OrgUnitDto::from_node(n, ctx.lang)).collect()))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateOrgInput {
    /// Null creates a top-level unit (deployment-wide administrators only).
    parent_id: Option<Uuid>,
    name: String,
    short_name: Option<String>,
    /// See `OrgUnitDto.kind`.
    kind: String,
    sort_order: Option<i64>,
}

/// Creates a unit.
#[utoipa::path(post, path = "/api/v1/orgs", tag = "org", request_body = CreateOrgInput,
    responses((status = 201, body = OrgUnitDto), (status = 422, body = Err), (status = 404, body = Err), (status = 409, body = Err)))]
pub async fn create_org(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    ApiJson(i): ApiJson<CreateOrgInput>,
) -> AppResult<(StatusCode, Json<OrgUnitDto>)> {
    let input = OrgUnitInput {
        name: i.name,
        short_name: i.short_name.unwrap_or_default(),
        kind: i.kind,
        sort_order: i.sort_order,
    };
    let unit = super::create_unit(&state, &user, i.parent_id, &input).await?;
    Ok((StatusCode::CREATED, Json(OrgUnitDto::from_unit(&unit, ctx.lang))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdateOrgInput {
    name: Option<String>,
    /// Empty string clears it.
    short_name: Option<String>,
    kind: Option<String>,
    sort_order: Option<i64>,
}

/// Renames a unit or changes its short name, kind or sort order (omitted fields are kept).
#[utoipa::path(patch, path = "/api/v1/orgs/{id}", tag = "org", params(("id" = Uuid, Path, description = "unit id")), request_body = UpdateOrgInput,
    responses((status = 200, body = OrgUnitDto), (status = 422, body = Err), (status = 404, body = Err)))]
pub async fn update_org(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    ApiJson(i): ApiJson<UpdateOrgInput>,
) -> AppResult<Json<OrgUnitDto>> {
    let u = visible_unit(&state, &user, id, Action::ManageOrg).await?;
    let input = OrgUnitInput {
        name: i.name.unwrap_or(u.name),
        short_name: i.short_name.or(u.short_name).unwrap_or_default(),
        kind: i.kind.unwrap_or_else(|| u.kind.as_str().to_string()),
        sort_order: Some(i.sort_order.unwrap_or(u.sort_order)),
    };
    Ok(Json(OrgUnitDto::from_unit(&super::update_unit(&state, &user, id, &input).await?, ctx.lang)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MoveInput {
    /// The new parent unit.
    parent_id: Uuid,
}

/// Moves a unit with its whole subtree under another unit; refused (409) if that would create a cycle.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/move", tag = "org", params(("id" = Uuid, Path, description = "unit id")), request_body = MoveInput,
    responses((status = 200, body = OrgUnitDto), (status = 409, body = Err), (status = 404, body = Err)))]
pub async fn move_org(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    ApiJson(i): ApiJson<MoveInput>,
) -> AppResult<Json<OrgUnitDto>> {
    Ok(Json(OrgUnitDto::from_unit(&super::move_unit(&state, &user, id, i.parent_id).await?, ctx.lang)))
}

/// Deactivates (撤销) a unit that has no active sub-units or people.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/deactivate", tag = "org", params(("id" = Uuid, Path, description = "unit id")),
    responses((status = 200, body = OrgUnitDto), (status = 409, body = Err), (status = 404, body = Err)))]
pub async fn deactivate_org(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<OrgUnitDto>> {
    Ok(Json(OrgUnitDto::from_unit(&super::set_unit_active(&state, &user, id, false).await?, ctx.lang)))
}

/// Reactivates a unit under an active parent.
#[utoipa::path(post, path = "/api/v1/orgs/{id}/reactivate", tag = "org", params(("id" = Uuid, Path, description = "unit id")),
    responses((status = 200, body = OrgUnitDto), (status = 409, body = Err), (status = 404, body = Err)))]
pub async fn reactivate_org(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<OrgUnitDto>> {
    Ok(Json(OrgUnitDto::from_unit(&super::set_unit_active(&state, &user, id, true).await?, ctx.lang)))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct PeopleParams {
    /// Only this unit (with `subtree=true`: and everything under it).
    unit: Option<Uuid>,
    subtree: Option<bool>,
    /// Name or position contains.
    q: Option<String>,
    party_members_only: Option<bool>,
    leadership_only: Option<bool>,
    include_inactive: Option<bool>,
    /// `roster` (default), `name`, `unit` or `position`.
    sort: Option<String>,
    /// `asc` (default) or `desc`.
    dir: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// People within the caller's scope.
#[utoipa::path(get, path = "/api/v1/people", tag = "org", params(PeopleParams), responses((status = 200, body = PersonPageDto), (status = 404, body = Err)))]
pub async fn list_people(
    State(state): State<AppState>,
    user: User,
    ApiQuery(p): ApiQuery<PeopleParams>,
) -> AppResult<Json<PersonPageDto>> {
    let unit = match p.unit {
        Some(id) => Some(visible_unit(&state, &user, id, Action::ViewPeople).await?),
        None => None,
    };
    let subtree = p.subtree.unwrap_or(false);
    let f = PeopleFilter {
        within: unit.as_ref().filter(|_| subtree).map(|u| u.path.clone()),
        unit: unit.as_ref().filter(|_| !subtree).map(|u| u.id),
        q: p.q,
        party_members_only: p.party_members_only.unwrap_or(false),
        leadership_only: p.leadership_only.unwrap_or(false),
        include_inactive: p.include_inactive.unwrap_or(false),
        sort: PeopleSort::parse(p.sort.as_deref()),
        dir: Dir::parse(p.dir.as_deref()),
    };
    let page =
        state.store.people().list(&user.scopes(Action::ViewPeople), &f, PageRequest::new(p.page, p.per_page)).await?;
    Ok(Json(PersonPageDto::from(page, |x| PersonDto::from(&x))))
}

/// One person.
#[utoipa::path(get, path = "/api/v1/people/{id}", tag = "org", params(("id" = Uuid, Path, description = "person id")),
    responses((status = 200, body = PersonDto), (status = 404, body = Err)))]
pub async fn get_person(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Json<PersonDto>> {
    Ok(Json(PersonDto::from(&visible_person(&state, &user, id, Action::ViewPeople).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreatePersonInput {
    org_unit_id: Uuid,
    name: String,
    /// `male`, `female` or omitted.
    gender: Option<String>,
    position: Option<String>,
    #[serde(default)]
    is_party_member: bool,
    #[serde(default)]
    is_head: bool,
    #[serde(default)]
    is_leadership_member: bool,
    sort_order: Option<i64>,
}

/// Adds a person to a unit.
#[utoipa::path(post, path = "/api/v1/people", tag = "org", request_body = CreatePersonInput,
    responses((status = 201, body = PersonDto), (status = 422, body = Err), (status = 404, body = Err), (status = 409, body = Err)))]
pub async fn create_person(
    State(state): State<AppState>,
    user: User,
    ApiJson(i): ApiJson<CreatePersonInput>,
) -> AppResult<(StatusCode, Json<PersonDto>)> {
    let input = PersonInput {
        name: i.name,
        gender: i.gender.unwrap_or_default(),
        position: i.position.unwrap_or_default(),
        is_party_member: i.is_party_member,
        is_head: i.is_head,
        is_leadership_member: i.is_leadership_member,
        sort_order: i.sort_order,
    };
    let p = super::create_person(&state, &user, i.org_unit_id, &input).await?;
    Ok((StatusCode::CREATED, Json(PersonDto::from(&p))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct UpdatePersonInput {
    name: Option<String>,
    gender: Option<String>,
    position: Option<String>,
    is_party_member: Option<bool>,
    is_head: Option<bool>,
    is_leadership_member: Option<bool>,
    sort_order: Option<i64>,
}

/// Changes a person's details (omitted fields are kept; to change unit use `transfer`).
#[utoipa::path(patch, path = "/api/v1/people/{id}", tag = "org", params(("id" = Uuid, Path, description = "person id")), request_body = UpdatePersonInput,
    responses((status = 200, body = PersonDto), (status = 422, body = Err), (status = 404, body = Err)))]
pub async fn update_person(
    State(state): State<AppState>,
    user: User,
    PathId(id): PathId,
    ApiJson(i): ApiJson<UpdatePersonInput>,
) -> AppResult<Json<PersonDto>> {
    let p = visible_person(&state, &user, id, Action::ManagePeople).await?;
    let input = PersonInput {
        name: i.name.unwrap_or(p.name),
        gender: i.gender.or(p.gender).unwrap_or_default(),
        position: i.position.or(p.position).unwrap_or_default(),
        is_party_member: i.is_party_member.unwrap_or(p.is_party_member),
        is_head: i.is_head.unwrap_or(p.is_head),
        is_leadership_member: i.is_leadership_member.unwrap_or(p.is_leadership_member),
        sort_order: Some(i.sort_order.unwrap_or(p.sort_order)),
    };
    Ok(Json(PersonDto::from(&super::update_person(&state, &user, id, &input).await?)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct TransferInput {
    org_unit_id: Uuid,
}

/// Transfers a person to another unit (调动).
#[utoipa::path(post, path = "/api/v1/people/{id}/transfer", tag = "org", params(("id" = Uuid, Path, description = "person id")), request_body = TransferInput,
    responses((status = 200, body = PersonDto), (status = 409, body = Err), (status = 404, body = Err)))]
pub async fn transfer_person(
    State(state): State<AppState>,
    user: User,
    PathId(id): PathId,
    ApiJson(i): ApiJson<TransferInput>,
) -> AppResult<Json<PersonDto>> {
    Ok(Json(PersonDto::from(&super::transfer_person(&state, &user, id, i.org_unit_id).await?)))
}

/// Marks a person as having left; the record stays.
#[utoipa::path(post, path = "/api/v1/people/{id}/deactivate", tag = "org", params(("id" = Uuid, Path, description = "person id")),
    responses((status = 200, body = PersonDto), (status = 409, body = Err), (status = 404, body = Err)))]
pub async fn deactivate_person(
    State(state): State<AppState>,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<PersonDto>> {
    Ok(Json(PersonDto::from(&super::set_person_active(&state, &user, id, false).await?)))
}

/// Marks a person as active again.
#[utoipa::path(post, path = "/api/v1/people/{id}/reactivate", tag = "org", params(("id" = Uuid, Path, description = "person id")),
    responses((status = 200, body = PersonDto), (status = 409, body = Err), (status = 404, body = Err)))]
pub async fn reactivate_person(
    State(state): State<AppState>,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<PersonDto>> {
    Ok(Json(PersonDto::from(&super::set_person_active(&state, &user, id, true).await?)))
}
