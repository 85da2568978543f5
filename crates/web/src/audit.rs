//! The audit trail (留痕) for auditors: a filtered list and each event in full.

use crate::AppState;
use crate::api::ApiQuery;
use crate::api::dto::{AuditEventDto, AuditPageDto};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::urlencode;
use crate::i18n::T;
use crate::layout::{Layout, page};
use askama::Template;
use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use jiff::civil::Date;
use jiff::tz::{TimeZone, offset};
use qingfeng_domain::access::Action;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_store::Ts;
use qingfeng_store::audit::{AuditEvent, AuditFilter};
use serde::Deserialize;
use utoipa::IntoParams;

/// Query of the list page and the API.
#[derive(Deserialize, Default, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct AuditQuery {
    /// Username of the actor (exact), e.g. `admin` or `system:demo`.
    #[serde(default)]
    actor: String,
    /// `org_unit`, `person`, `account`, `grant`, `api_token` or `calendar_year`.
    #[serde(default)]
    entity: String,
    /// Id of one record.
    #[serde(default)]
    entity_id: String,
    /// Action prefix, e.g. `auth.` or `org.move`.
    #[serde(default)]
    action: String,
    /// First day (YYYY-MM-DD, China time), inclusive.
    #[serde(default)]
    from: String,
    /// Last day (YYYY-MM-DD, China time), inclusive.
    #[serde(default)]
    to: String,
    page: Option<u32>,
    per_page: Option<u32>,
}

fn day_start(s: &str, field: &'static str, plus_days: i64) -> AppResult<Option<Ts>> {
    if s.trim().is_empty() {
        return Ok(None);
    }
    let d: Date = s.trim().parse().map_err(|_| AppError::BadRequest {
        code: "bad_query",
        msg: qingfeng_domain::Msg::owned(
            format!("{field} 不是有效日期（YYYY-MM-DD）"),
            format!("{field} is not a date (YYYY-MM-DD)"),
        ),
    })?;
    let out_of_range =
        || AppError::bad_request("bad_query", "日期超出范围（1900–2200年）", "date out of range (years 1900–2200)");
    if !(1900..=2200).contains(&d.year()) {
        return Err(out_of_range());
    }
    let d = d.checked_add(jiff::Span::new().days(plus_days)).map_err(|_| out_of_range())?;
    let z = d.to_zoned(TimeZone::fixed(offset(8))).map_err(|_| out_of_range())?;
    Ok(Some(Ts::from(z.timestamp())))
}

impl AuditQuery {
    fn filter(&self) -> AppResult<AuditFilter> {
        Ok(AuditFilter {
            actor: Some(self.actor.trim().to_string()),
            entity: Some(self.entity.trim().to_string()),
            entity_id: Some(self.entity_id.trim().to_string()),
            action: Some(self.action.trim().to_string()),
            from: day_start(&self.from, "from", 0)?,
            to: day_start(&self.to, "to", 1)?,
        })
    }

    fn query_string(&self) -> String {
        format!(
            "actor={}&entity={}&entity_id={}&action={}&from={}&to={}",
            urlencode(&self.actor),
            urlencode(&self.entity),
            urlencode(&self.entity_id),
            urlencode(&self.action),
            urlencode(&self.from),
            urlencode(&self.to)
        )
    }
}

async fn list(state: &AppState, user: &User, q: &AuditQuery) -> AppResult<Page<AuditEvent>> {
    let scopes = user.scopes(Action::ViewAudit);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(state.store.audit().list(&scopes, &q.filter()?, PageRequest::new(q.page, q.per_page)).await?)
}

async fn visible_event(state: &AppState, user: &User, seq: i64) -> AppResult<AuditEvent> {
    let e = state.store.audit().get(seq).await?;
    user.authorize(Action::ViewAudit, &e.scope().unwrap_or_else(OrgPath::global))?;
    Ok(e)
}

/// Local (UTC+8) time for display.
pub fn local_time(ts: &Ts) -> String {
    ts.0.to_zoned(TimeZone::fixed(offset(8))).strftime("%Y-%m-%d %H:%M:%S").to_string()
}

/// The translated name of an action (`org.create` → 新建组织), or the code itself.
pub fn action_label(t: impl std::borrow::Borrow<T>, action: impl AsRef<str>) -> String {
    let (t, action) = (t.borrow(), action.as_ref());
    let key = format!("action.{}", action.replace('.', "_"));
    let s = t.s(&key);
    if s.contains("action.") { action.to_string() } else { s.into_owned() }
}

#[derive(Template)]
#[template(path = "audit/index.html")]
struct ListPage {
    l: Layout,
    q: AuditQuery,
    page: Page<AuditEvent>,
    pager_base: String,
    entities: &'static [&'static str],
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> AppResult<Response> {
    let result = list(&state, &user, &q).await?;
    page(&ListPage {
        l: Layout::new(&state, &ctx, "audit", T(ctx.lang).s("audit.title").into_owned()),
        pager_base: format!("/audit?{}", q.query_string()),
        q,
        page: result,
        entities: &qingfeng_store::audit::COVERED,
    })
}

#[derive(Template)]
#[template(path = "audit/show.html")]
struct ShowPage {
    l: Layout,
    e: AuditEvent,
    payload: String,
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, Path(seq): Path<String>) -> AppResult<Response> {
    let seq: i64 = seq.parse().map_err(|_| AppError::NotFound)?;
    let e = visible_event(&state, &user, seq).await?;
    let payload = serde_json::to_string_pretty(&e.payload_json()).unwrap_or_default();
    page(&ShowPage { l: Layout::new(&state, &ctx, "audit", format!("#{}", e.seq)), e, payload })
}

/// Audit events within the caller's scope, newest first.
#[utoipa::path(get, path = "/api/v1/audit/events", tag = "audit", params(AuditQuery),
    responses((status = 200, body = AuditPageDto), (status = 400, body = crate::error::ErrorBody), (status = 404, body = crate::error::ErrorBody)))]
pub async fn list_events(
    State(state): State<AppState>,
    user: User,
    ApiQuery(q): ApiQuery<AuditQuery>,
) -> AppResult<Json<AuditPageDto>> {
    let page = list(&state, &user, &q).await?;
    Ok(Json(AuditPageDto::from(page, |e| AuditEventDto::from(&e))))
}

/// One audit event with its payload and hashes.
#[utoipa::path(get, path = "/api/v1/audit/events/{seq}", tag = "audit", params(("seq" = i64, Path, description = "sequence number")),
    responses((status = 200, body = AuditEventDto), (status = 404, body = crate::error::ErrorBody)))]
pub async fn get_event(
    State(state): State<AppState>,
    user: User,
    Path(seq): Path<String>,
) -> AppResult<Json<AuditEventDto>> {
    let seq: i64 = seq.parse().map_err(|_| AppError::NotFound)?;
    Ok(Json(AuditEventDto::from(&visible_event(&state, &user, seq).await?)))
}
