//! The working-day calculator: a page for officers and two API endpoints.

use crate::AppState;
use crate::api::ApiQuery;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::i18n::T;
use crate::layout::{Layout, page as render};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use jiff::civil::Date;
use qingfeng_domain::Msg;
use qingfeng_domain::calendar::CalendarError;
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};

fn parse_date(s: &str, field: &'static str) -> AppResult<Date> {
    s.trim().parse().map_err(|_| {
        AppError::field(field, Msg::new("请输入有效日期（YYYY-MM-DD）", "enter a valid date (YYYY-MM-DD)"))
    })
}

fn calendar_error(e: CalendarError) -> AppError {
    AppError::field("days", Msg::owned(format!("超出可计算范围：{e}"), format!("out of range: {e}")))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct DeadlineParams {
    /// Start date (YYYY-MM-DD); not itself counted.
    from: String,
    /// Working days to add (negative counts backwards).
    days: i32,
}

#[derive(Serialize, ToSchema)]
pub struct DeadlineDto {
    pub from: String,
    pub days: i32,
    pub deadline: String,
    /// True when a year without a loaded holiday schedule was involved.
    pub provisional: bool,
}

/// The date N working days after a date, on the official holiday calendar.
#[utoipa::path(get, path = "/api/v1/calendar/deadline", tag = "calendar", params(DeadlineParams),
    responses((status = 200, body = DeadlineDto), (status = 422, body = crate::error::ErrorBody)))]
pub async fn deadline(
    State(state): State<AppState>,
    _user: User,
    ApiQuery(p): ApiQuery<DeadlineParams>,
) -> AppResult<Json<DeadlineDto>> {
    let from = parse_date(&p.from, "from")?;
    let r = state.calendar().add_working_days(from, p.days).map_err(calendar_error)?;
    Ok(Json(DeadlineDto {
        from: from.to_string(),
        days: p.days,
        deadline: r.value.to_string(),
        provisional: r.provisional,
    }))
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct BetweenParams {
    from: String,
    to: String,
}

#[derive(Serialize, ToSchema)]
pub struct BetweenDto {
    pub from: String,
    pub to: String,
    /// Working days in (from, to]; negative if `to` is before `from`.
    pub working_days: i32,
    pub provisional: bool,
}

/// Working days between two dates.
#[utoipa::path(get, path = "/api/v1/calendar/working-days", tag = "calendar", params(BetweenParams),
    responses((status = 200, body = BetweenDto), (status = 422, body = crate::error::ErrorBody)))]
pub async fn working_days(
    State(state): State<AppState>,
    _user: User,
    ApiQuery(p): ApiQuery<BetweenParams>,
) -> AppResult<Json<BetweenDto>> {
    let (from, to) = (parse_date(&p.from, "from")?, parse_date(&p.to, "to")?);
    let r = state.calendar().working_days_between(from, to).map_err(calendar_error)?;
    Ok(Json(BetweenDto {
        from: from.to_string(),
        to: to.to_string(),
        working_days: r.value,
        provisional: r.provisional,
    }))
}

pub struct YearLine {
    pub year: i16,
    pub source: String,
    pub holidays: usize,
    pub workdays: usize,
}

#[derive(Template)]
#[template(path = "calendar.html")]
struct CalendarPage {
    l: Layout,
    from: String,
    days: String,
    result: Option<DeadlineDto>,
    error: Option<String>,
    years: Vec<YearLine>,
}

#[derive(Deserialize, Default)]
pub struct PageQuery {
    #[serde(default)]
    from: String,
    #[serde(default)]
    days: String,
}

pub async fn page(
    State(state): State<AppState>,
    ctx: Ctx,
    _user: User,
    ApiQuery(q): ApiQuery<PageQuery>,
) -> AppResult<Response> {
    let cal = state.calendar();
    let (mut result, mut error) = (None, None);
    if !q.from.is_empty() || !q.days.is_empty() {
        let computed = parse_date(&q.from, "from").and_then(|from| {
            let days: i32 = q
                .days
                .trim()
                .parse()
                .map_err(|_| AppError::field("days", Msg::new("请输入整数", "enter a whole number")))?;
            let r = cal.add_working_days(from, days).map_err(calendar_error)?;
            Ok(DeadlineDto { from: from.to_string(), days, deadline: r.value.to_string(), provisional: r.provisional })
        });
        match computed {
            Ok(r) => result = Some(r),
            Err(AppError::Invalid(v)) => error = v.0.first().map(|e| e.msg.get(ctx.lang).to_string()),
            Err(e) => return Err(e),
        }
    }
    let years = cal
        .years()
        .map(|y| YearLine {
            year: y.year,
            source: y.source.clone(),
            holidays: y.holidays.len(),
            workdays: y.workdays.len(),
        })
        .collect();
    render(&CalendarPage {
        l: Layout::new(&state, &ctx, "calendar", T(ctx.lang).s("calendar.title").into_owned()),
        from: q.from,
        days: q.days,
        result,
        error,
        years,
    })
}
