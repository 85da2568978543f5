//! JSON API of 问题清单 → 整改 → 销号. Every handler calls the same function
//! of [`crate::rectify::ops`] as the page does (one access check, one store
//! transaction) and only turns its result into JSON.

pub mod dto;

use crate::AppState;
use crate::api::{ApiJson, ApiQuery, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::rectify::batches::own_batch;
use crate::rectify::ops;
use crate::rectify::problems::ListQuery;
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use dto::{
    BatchDto, BatchPageDto, BoardCellDto, BoardDto, CountsDto, ExtensionDto, MeasureDto, MilestoneDto,
    ProblemDetailDto, ProblemDto, ProblemPageDto,
};
use qingfeng_domain::page::PageRequest;
use qingfeng_domain::rectify::input::{BatchInput, ExtensionInput, MeasureInput, ProblemInput};
use qingfeng_domain::rectify::{ProblemStatus, RootCause, Source, Warning};
use qingfeng_store::rectify::BoardCell;
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

type Err = crate::error::ErrorBody;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BatchListParams {
    page: Option<u32>,
    per_page: Option<u32>,
}

/// Batches issued within the caller's scope or with a problem led within it, newest first.
#[utoipa::path(get, path = "/api/v1/rectify/batches", tag = "rectify", params(BatchListParams),
    responses((status = 200, body = BatchPageDto), (status = 404, body = Err)))]
pub async fn list_batches(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    ApiQuery(p): ApiQuery<BatchListParams>,
) -> AppResult<Json<BatchPageDto>> {
    let all = ops::visible_batches(&state, &user).await?;
    let req = PageRequest::new(p.page, p.per_page);
    let total = i64::try_from(all.len()).unwrap_or(i64::MAX);
    let items =
        all.into_iter().skip(usize::try_from(req.offset()).unwrap_or(usize::MAX)).take(req.per_page as usize).collect();
    Ok(Json(BatchPageDto::from(req.of(items, total), |b| BatchDto::from(&b, ctx.lang))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateBatchInput {
    /// See `BatchDto.source` (the Chinese label is accepted too).
    source: String,
    reference: String,
    /// The caller must review rectification there.
    issuing_unit_id: Uuid,
    /// `YYYY-MM-DD`.
    issued_on: String,
    summary: Option<String>,
}

/// Issues a 问题清单 from a unit the caller reviews for.
#[utoipa::path(post, path = "/api/v1/rectify/batches", tag = "rectify", request_body = CreateBatchInput,
    responses((status = 201, body = BatchDto), (status = 422, body = Err), (status = 404, body = Err)))]
pub async fn create_batch(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    ApiJson(i): ApiJson<CreateBatchInput>,
) -> AppResult<(StatusCode, Json<BatchDto>)> {
    let input = BatchInput {
        source: i.source,
        reference: i.reference,
        issuing_unit_id: Some(i.issuing_unit_id),
        issued_on: i.issued_on,
        summary: i.summary.unwrap_or_default(),
    };
    let b = ops::create_batch(&state, &user, &input).await?;
    Ok((StatusCode::CREATED, Json(BatchDto::from(&b, ctx.lang))))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateProblemInput {
    description: String,
    /// `mindset`, `capability`, `institution` or `responsibility`.
    root_cause: String,
    /// 八项规定 category code in force on the batch's date.
    eight_rules: Option<String>,
    lead_unit_id: Uuid,
    /// `YYYY-MM-DD`, not before the batch's date.
    deadline: String,
    /// Planned progress, dates and percentages increasing.
    schedule: Option<Vec<MilestoneDto>>,
}

/// Adds a problem to a batch the caller issues.
#[utoipa::path(post, path = "/api/v1/rectify/batches/{id}/problems", tag = "rectify",
    params(("id" = Uuid, Path, description = "batch id")), request_body = CreateProblemInput,
    responses((status = 201, body = ProblemDto), (status = 422, body = Err), (status = 404, body = Err)))]
pub async fn create_problem(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    ApiJson(i): ApiJson<CreateProblemInput>,
) -> AppResult<(StatusCode, Json<ProblemDto>)> {
    let b = own_batch(&state, &user, id).await?;
    let schedule =
        i.schedule.unwrap_or_default().iter().map(|m| format!("{} {}", m.date, m.percent)).collect::<Vec<_>>();
    let input = ProblemInput {
        description: i.description,
        root_cause: i.root_cause,
        eight_rules: i.eight_rules.unwrap_or_default(),
        lead_unit_id: Some(i.lead_unit_id),
        deadline: i.deadline,
        schedule: schedule.join("\n"),
        ..Default::default()
    };
    let p = ops::add_problem(&state, &user, &b, &input).await?;
    Ok((StatusCode::CREATED, Json(ProblemDto::from(&p, ctx.lang))))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ProblemListParams {
    /// Lead unit within this unit's subtree (with `only=true`: exactly this unit, 本级).
    unit: Option<Uuid>,
    only: Option<bool>,
    batch: Option<Uuid>,
    /// `unclaimed`, `in_progress`, `closure_requested` or `closed`.
    status: Option<String>,
    /// Not closed.
    open: Option<bool>,
    /// `green`, `yellow`, `red` or `done`.
    warning: Option<String>,
    /// See `BatchDto.source`.
    source: Option<String>,
    /// `mindset`, `capability`, `institution` or `responsibility`.
    root_cause: Option<String>,
    campaign: Option<Uuid>,
    /// Only problems that relapsed (反弹).
    relapsed: Option<bool>,
    /// Only 纸面整改 found by a spot check.
    paper: Option<bool>,
    /// Description contains.
    q: Option<String>,
    /// `number` (default), `deadline`, `unit`, `status` or `updated`.
    sort: Option<String>,
    /// `asc` (default) or `desc`.
    dir: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

/// A code in the query must be one the module knows.
fn code(name: &'static str, v: Option<String>, known: impl Fn(&str) -> bool) -> AppResult<String> {
    match v {
        Some(s) if !s.is_empty() && !known(&s) => Err(AppError::BadRequest {
            code: "bad_query",
            msg: qingfeng_domain::Msg::owned(
                format!("查询参数有误：{name}={s}"),
                format!("invalid query parameters: {name}={s}"),
            ),
        }),
        v => Ok(v.unwrap_or_default()),
    }
}

impl ProblemListParams {
    /// The HTML list's query, after checking the codes.
    fn into_query(self) -> AppResult<ListQuery> {
        let id = |v: Option<Uuid>| v.map(|u| u.to_string()).unwrap_or_default();
        Ok(ListQuery {
            unit: id(self.unit),
            only: self.only.unwrap_or(false),
            batch: id(self.batch),
            status: code("status", self.status, |s| ProblemStatus::parse(s).is_some())?,
            warning: code("warning", self.warning, |s| Warning::parse(s).is_some())?,
            source: code("source", self.source, |s| Source::parse(s).is_some())?,
            root_cause: code("root_cause", self.root_cause, |s| RootCause::parse(s).is_some())?,
            campaign: id(self.campaign),
            open: self.open.unwrap_or(false),
            relapsed: self.relapsed.unwrap_or(false),
            paper: self.paper.unwrap_or(false),
            q: self.q.unwrap_or_default(),
            sort: Some(code("sort", self.sort, |s| ["number", "deadline", "unit", "status", "updated"].contains(&s))?),
            dir: Some(code("dir", self.dir, |s| s == "asc" || s == "desc")?),
            page: self.page,
        })
    }
}

/// The problem list within the caller's scope: the same filters as the page (every board figure links to one).
#[utoipa::path(get, path = "/api/v1/rectify/problems", tag = "rectify", params(ProblemListParams),
    responses((status = 200, body = ProblemPageDto), (status = 400, body = Err), (status = 404, body = Err)))]
pub async fn list_problems(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    ApiQuery(p): ApiQuery<ProblemListParams>,
) -> AppResult<Json<ProblemPageDto>> {
    let req = PageRequest::new(p.page, p.per_page);
    let q = p.into_query()?;
    let (page, _, _) = ops::list_problems(&state, &user, &q, req).await?;
    Ok(Json(ProblemPageDto::from(page, |p| ProblemDto::from(&p, ctx.lang))))
}

/// One problem: measures with evidence metadata (no file bytes), history, closures,
/// extensions, escalations, the warning colour and the actions the caller may ask for.
#[utoipa::path(get, path = "/api/v1/rectify/problems/{id}", tag = "rectify", params(("id" = Uuid, Path, description = "problem id")),
    responses((status = 200, body = ProblemDetailDto), (status = 404, body = Err)))]
pub async fn get_problem(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<ProblemDetailDto>> {
    Ok(Json(ProblemDetailDto::from(&ops::problem_detail(&state, &user, id).await?, ctx.lang)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ActionInput {
    /// `claim`, `request_closure`, `return`, `close` or `relapse` (see `actions` of the problem).
    action: String,
    /// Required for `return` and `relapse`.
    comment: Option<String>,
}

/// Moves a problem through its lifecycle. A refusal is a 409 with the reason,
/// e.g. `evidence_missing` naming the measures without evidence (销号 gate).
#[utoipa::path(post, path = "/api/v1/rectify/problems/{id}/actions", tag = "rectify",
    params(("id" = Uuid, Path, description = "problem id")), request_body = ActionInput,
    responses((status = 200, body = ProblemDto), (status = 409, body = Err), (status = 422, body = Err), (status = 404, body = Err)))]
pub async fn act(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    ApiJson(i): ApiJson<ActionInput>,
) -> AppResult<Json<ProblemDto>> {
    let action = ops::parse_action(&i.action)?;
    let p = ops::act(&state, &user, id, action, i.comment.as_deref()).await?;
    Ok(Json(ProblemDto::from(&p, ctx.lang)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct CreateMeasureInput {
    title: String,
    /// `YYYY-MM-DD`.
    due_on: String,
}

/// Adds a measure to a problem in progress (the lead unit).
#[utoipa::path(post, path = "/api/v1/rectify/problems/{id}/measures", tag = "rectify",
    params(("id" = Uuid, Path, description = "problem id")), request_body = CreateMeasureInput,
    responses((status = 201, body = MeasureDto), (status = 409, body = Err), (status = 422, body = Err), (status = 404, body = Err)))]
pub async fn add_measure(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    ApiJson(i): ApiJson<CreateMeasureInput>,
) -> AppResult<(StatusCode, Json<MeasureDto>)> {
    let input = MeasureInput { title: i.title, owner_id: None, due_on: i.due_on };
    let m = ops::add_measure(&state, &user, id, &input).await?;
    Ok((StatusCode::CREATED, Json(MeasureDto::from(&m, ctx.lang))))
}

/// Marks a measure done (the lead unit of one of its problems).
#[utoipa::path(post, path = "/api/v1/rectify/measures/{id}/complete", tag = "rectify",
    params(("id" = Uuid, Path, description = "measure id")),
    responses((status = 200, body = MeasureDto), (status = 409, body = Err), (status = 403, body = Err), (status = 404, body = Err)))]
pub async fn complete_measure(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<MeasureDto>> {
    Ok(Json(MeasureDto::from(&ops::complete_measure(&state, &user, id).await?, ctx.lang)))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct ExtensionRequestInput {
    /// `YYYY-MM-DD`, after the current deadline.
    new_deadline: String,
    reason: String,
}

/// Asks the issuing side for a later deadline (the lead unit).
#[utoipa::path(post, path = "/api/v1/rectify/problems/{id}/extensions", tag = "rectify",
    params(("id" = Uuid, Path, description = "problem id")), request_body = ExtensionRequestInput,
    responses((status = 201, body = ExtensionDto), (status = 409, body = Err), (status = 422, body = Err), (status = 404, body = Err)))]
pub async fn request_extension(
    State(state): State<AppState>,
    user: User,
    PathId(id): PathId,
    ApiJson(i): ApiJson<ExtensionRequestInput>,
) -> AppResult<(StatusCode, Json<ExtensionDto>)> {
    let input = ExtensionInput { new_deadline: i.new_deadline, reason: i.reason };
    let x = ops::request_extension(&state, &user, id, &input).await?;
    Ok((StatusCode::CREATED, Json(ExtensionDto::from(&x))))
}

#[derive(Deserialize, ToSchema, PartialEq, Eq, Clone, Copy)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Reject,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct DecisionInput {
    decision: Decision,
    comment: Option<String>,
}

/// Approves (the deadline moves) or rejects an extension request (the issuing side).
#[utoipa::path(post, path = "/api/v1/rectify/extensions/{id}/decision", tag = "rectify",
    params(("id" = Uuid, Path, description = "extension request id")), request_body = DecisionInput,
    responses((status = 200, body = ExtensionDto), (status = 409, body = Err), (status = 422, body = Err), (status = 404, body = Err)))]
pub async fn decide_extension(
    State(state): State<AppState>,
    user: User,
    PathId(id): PathId,
    ApiJson(i): ApiJson<DecisionInput>,
) -> AppResult<Json<ExtensionDto>> {
    let comment = i.comment.unwrap_or_default();
    let x = ops::decide_extension(&state, &user, id, i.decision == Decision::Approve, &comment).await?;
    Ok(Json(ExtensionDto::from(&x)))
}

/// A board breakdown; `label` may give a label in the request's language.
fn cells(
    cells: &[BoardCell],
    label: impl Fn(&str) -> Option<String>,
    url: impl Fn(&str) -> String,
) -> Vec<BoardCellDto> {
    cells
        .iter()
        .map(|c| BoardCellDto {
            key: c.key.clone(),
            label: label(&c.key).unwrap_or_else(|| c.label.clone()),
            counts: CountsDto::from(&c.counts),
            problems_url: url(&c.key),
        })
        .collect()
}

/// 挂图作战: the figures of a unit's whole subtree — totals, closed / overdue / relapsed,
/// reported vs verified closure rate, per child unit, per source, per root cause, per campaign.
#[utoipa::path(get, path = "/api/v1/rectify/board/{unit}", tag = "rectify", params(("unit" = Uuid, Path, description = "unit id")),
    responses((status = 200, body = BoardDto), (status = 404, body = Err)))]
pub async fn board(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Json<BoardDto>> {
    let (unit, b) = ops::board(&state, &user, id).await?;
    let lang = ctx.lang;
    let list = |filter: &str| format!("/api/v1/rectify/problems?unit={id}&{filter}");
    Ok(Json(BoardDto {
        unit_id: unit.id,
        unit_name: unit.display_name().to_string(),
        total: CountsDto::from(&b.total),
        direct: CountsDto::from(&b.direct),
        children: cells(&b.children, |_| None, |k| format!("/api/v1/rectify/problems?unit={k}")),
        by_source: cells(
            &b.by_source,
            |k| Source::parse(k).map(|s| s.label().get(lang).into()),
            |k| list(&format!("source={k}")),
        ),
        by_root_cause: cells(
            &b.by_root_cause,
            |k| RootCause::parse(k).map(|s| s.label().get(lang).into()),
            |k| list(&format!("root_cause={k}")),
        ),
        by_campaign: cells(&b.by_campaign, |_| None, |k| list(&format!("campaign={k}"))),
    }))
}
