//! JSON API: the calling account, accounts and grants.

use super::{AccountInput, GrantInput, visible_account};
use crate::AppState;
use crate::api::dto::{AccountDto, AccountPageDto, GrantDto, IssuedPasswordDto};
use crate::api::{ApiJson, ApiQuery, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use qingfeng_domain::access::Action;
use qingfeng_domain::page::PageRequest;
use qingfeng_store::accounts::AccountFilter;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

#[derive(Serialize, ToSchema)]
pub struct MeDto {
    pub account: AccountDto,
}

/// The calling account and its grants.
#[utoipa::path(get, path = "/api/v1/me", tag = "me", responses((status = 200, body = MeDto), (status = 401, body = crate::error::ErrorBody)))]
pub async fn me(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Json<MeDto>> {
    let grants = state.store.grants().of_account(user.account.id).await?;
    let grants = grants.iter().map(|g| GrantDto::from(g, ctx.lang)).collect();
    Ok(Json(MeDto { account: AccountDto::from(&user.account, Some(grants)) }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AccountListParams {
    /// Username or display name contains.
    q: Option<String>,
    /// Include disabled accounts.
    include_inactive: Option<bool>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Accounts whose home unit is within the caller's scope.
#[utoipa::path(get, path = "/api/v1/accounts", tag = "access", params(AccountListParams),
    responses((status = 200, body = AccountPageDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_accounts(
    State(state): State<AppState>,
    user: User,
    ApiQuery(p): ApiQuery<AccountListParams>,
) -> AppResult<Json<AccountPageDto>> {
    let scopes = user.scopes(Action::ViewAccounts);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let filter = AccountFilter { q: p.q, include_inactive: p.include_inactive.unwrap_or(false) };
    let page = state.store.accounts().list(&scopes, &filter, PageRequest::new(p.page, p.per_page)).await?;
    Ok(Json(AccountPageDto::from(page, |a| AccountDto::from(&super::redact_account(&user, a, Vec::new()).0, None))))
}

/// Creates an account; the response carries its one-time password (shown once).
#[utoipa::path(post, path = "/api/v1/accounts", tag = "access", request_body = AccountInput,
    responses((status = 201, body = IssuedPasswordDto), (status = 422, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn create_account(
    State(state): State<AppState>,
    user: User,
    ApiJson(input): ApiJson<AccountInput>,
) -> AppResult<(StatusCode, Json<IssuedPasswordDto>)> {
    let (account, password) = super::create_account(&state, &user, &input).await?;
    Ok((
        StatusCode::CREATED,
        Json(IssuedPasswordDto { account: AccountDto::from(&account, None), one_time_password: password }),
    ))
}

/// One account with its grants.
#[utoipa::path(get, path = "/api/v1/accounts/{id}", tag = "access", params(("id" = uuid::Uuid, Path, description = "account id")),
    responses((status = 200, body = AccountDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_account(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<AccountDto>> {
    let account = visible_account(&state, &user, id, Action::ViewAccounts).await?;
    let (account, grants, _) = super::redact_account(&user, account, state.store.grants().of_account(id).await?);
    let grants = grants.iter().map(|g| GrantDto::from(g, ctx.lang)).collect();
    Ok(Json(AccountDto::from(&account, Some(grants))))
}

/// Issues a new one-time password; the account must change it at next login.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/reset-password", tag = "access", params(("id" = uuid::Uuid, Path, description = "account id")),
    responses((status = 200, body = IssuedPasswordDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn reset_password(
    State(state): State<AppState>,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<IssuedPasswordDto>> {
    let (account, password) = super::reset_password(&state, &user, id).await?;
    Ok(Json(IssuedPasswordDto { account: AccountDto::from(&account, None), one_time_password: password }))
}

/// Disables an account and ends its sessions.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/disable", tag = "access", params(("id" = uuid::Uuid, Path, description = "account id")),
    responses((status = 200, body = AccountDto), (status = 409, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn disable_account(
    State(state): State<AppState>,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<AccountDto>> {
    Ok(Json(AccountDto::from(&super::set_account_active(&state, &user, id, false).await?, None)))
}

/// Enables a disabled account.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/enable", tag = "access", params(("id" = uuid::Uuid, Path, description = "account id")),
    responses((status = 200, body = AccountDto), (status = 409, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn enable_account(
    State(state): State<AppState>,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<AccountDto>> {
    Ok(Json(AccountDto::from(&super::set_account_active(&state, &user, id, true).await?, None)))
}

/// Lifts a lock-out.
#[utoipa::path(post, path = "/api/v1/accounts/{id}/unlock", tag = "access", params(("id" = uuid::Uuid, Path, description = "account id")),
    responses((status = 200, body = AccountDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn unlock_account(
    State(state): State<AppState>,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<AccountDto>> {
    Ok(Json(AccountDto::from(&super::unlock_account(&state, &user, id).await?, None)))
}

/// Grants a role on a unit (covering its subtree).
#[utoipa::path(post, path = "/api/v1/grants", tag = "access", request_body = GrantInput,
    responses((status = 201, body = GrantDto), (status = 422, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn create_grant(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    ApiJson(input): ApiJson<GrantInput>,
) -> AppResult<(StatusCode, Json<GrantDto>)> {
    let g = super::create_grant(&state, &user, &input).await?;
    Ok((StatusCode::CREATED, Json(GrantDto::from(&g, ctx.lang))))
}

/// Revokes a grant.
#[utoipa::path(delete, path = "/api/v1/grants/{id}", tag = "access", params(("id" = uuid::Uuid, Path, description = "grant id")),
    responses((status = 200, body = GrantDto), (status = 409, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn revoke_grant(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<GrantDto>> {
    let g = super::revoke_grant(&state, &user, id).await?;
    Ok(Json(GrantDto::from(&g, ctx.lang)))
}
