//! JSON API of 问题线索: the ledger and one lead with its people, outcomes,
//! inquiry and referrals. Reports' content and reporters never appear here:
//! a lead carries the handler's summary, and a real-name identity is only
//! ever opened through an approved release on the page.

use crate::AppState;
use crate::api::{ApiQuery, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::leads::ledger::visible_lead;
use axum::Json;
use axum::extract::State;
use qingfeng_domain::access::Action;
use qingfeng_domain::leads::disposal::{Disposal, LeadStatus};
use qingfeng_domain::leads::LeadSource;
use qingfeng_domain::page::PageRequest;
use qingfeng_store::leads::{Lead, LeadFilter};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

type Err = crate::error::ErrorBody;

#[derive(Serialize, ToSchema)]
pub struct LeadDto {
    id: Uuid,
    /// 线索编号, `XS-<year>-<5-digit sequence>`.
    lead_no: String,
    /// `petition`, `inspection_tour`, `audit`, `supervision_check`, `talk` or `other`.
    source: String,
    source_ref: Option<String>,
    /// The registration number of the report it came from (no content, no reporter).
    report_reg_no: Option<String>,
    unit_id: Uuid,
    unit_name: String,
    subject_unit_id: Uuid,
    subject_unit_name: String,
    category: String,
    person_level: String,
    subject_name: String,
    summary: String,
    /// The lifecycle stage (see `domain::leads::disposal`).
    status: String,
    status_label: String,
    disposal: Option<String>,
    finding: Option<String>,
    received_on: String,
    /// Last day of the current stage; `overdue` when past it.
    step_due: Option<String>,
    overdue: bool,
    concluded_on: Option<String>,
    feedback_due: Option<String>,
    fed_back_on: Option<String>,
}

impl LeadDto {
    fn from(x: &Lead, lang: qingfeng_domain::Lang, today: &str) -> LeadDto {
        LeadDto {
            id: x.id,
            lead_no: x.lead_no.clone(),
            source: x.source.clone(),
            source_ref: x.source_ref.clone(),
            report_reg_no: x.report_reg_no.clone(),
            unit_id: x.unit_id,
            unit_name: x.unit_name.clone(),
            subject_unit_id: x.subject_unit_id,
            subject_unit_name: x.subject_unit_name.clone(),
            category: x.category.clone(),
            person_level: x.person_level.clone(),
            subject_name: x.subject_name.clone(),
            summary: x.summary.clone(),
            status: x.status.clone(),
            status_label: x.status().label().get(lang).to_string(),
            disposal: x.disposal.clone(),
            finding: x.finding.clone(),
            received_on: x.received_on.clone(),
            step_due: x.step_due.clone(),
            overdue: x.overdue(today),
            concluded_on: x.concluded_on.clone(),
            feedback_due: x.feedback_due.clone(),
            fed_back_on: x.fed_back_on.clone(),
        }
    }
}

#[derive(Serialize, ToSchema)]
pub struct LeadPageDto {
    items: Vec<LeadDto>,
    total: i64,
    page: u32,
    per_page: u32,
}

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct LeadListParams {
    /// A lifecycle stage (`registered`, `proposed`, …, `concluded`).
    status: Option<String>,
    /// `talk_or_letter_inquiry`, `preliminary_verification`, `shelved`, `concluded`, `investigation`.
    disposal: Option<String>,
    source: Option<String>,
    /// `open` (not concluded) or `overdue` (past the current stage's limit).
    state: Option<String>,
    q: Option<String>,
    page: Option<u32>,
    per_page: Option<u32>,
}

fn parsed<T>(v: Option<&str>, parse: fn(&str) -> Option<T>, field: &'static str) -> AppResult<Option<T>> {
    match v.map(str::trim).filter(|s| !s.is_empty()) {
        None => Ok(None),
        Some(s) => parse(s).map(Some).ok_or(AppError::BadRequest {
            code: "bad_filter",
            msg: qingfeng_domain::Msg::owned(format!("筛选条件 {field} 无效"), format!("invalid filter `{field}`")),
        }),
    }
}

/// The leads ledger within the caller's scope (handled there), newest first.
#[utoipa::path(get, path = "/api/v1/leads", tag = "leads", params(LeadListParams),
    responses((status = 200, body = LeadPageDto), (status = 400, body = Err), (status = 404, body = Err)))]
pub async fn list_leads(State(state): State<AppState>, ctx: Ctx, user: User, ApiQuery(p): ApiQuery<LeadListParams>) -> AppResult<Json<LeadPageDto>> {
    let scopes = user.scopes(Action::ViewLeads);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let today = crate::rectify::today().to_string();
    let f = LeadFilter {
        status: parsed(p.status.as_deref(), LeadStatus::parse, "status")?,
        disposal: parsed(p.disposal.as_deref(), Disposal::parse, "disposal")?,
        source: parsed(p.source.as_deref(), LeadSource::parse, "source")?,
        open: p.state.as_deref() == Some("open"),
        overdue_on: (p.state.as_deref() == Some("overdue")).then(|| today.clone()),
        text: p.q.clone(),
        ..Default::default()
    };
    let req = PageRequest::new(p.page, p.per_page);
    let page = state.store.leads().leads(&scopes, &f, "", req).await?;
    Ok(Json(LeadPageDto {
        items: page.items.iter().map(|x| LeadDto::from(x, ctx.lang, &today)).collect(),
        total: page.total,
        page: page.page,
        per_page: page.per_page,
    }))
}

#[derive(Serialize, ToSchema)]
pub struct LeadPersonDto {
    name: String,
    post: Option<String>,
    level: String,
    /// `first` … `fourth`, when an outcome was decided.
    form: Option<String>,
    outcome: String,
    decided_on: Option<String>,
    party_effect_end: Option<String>,
    admin_effect_end: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LeadReferralDto {
    id: Uuid,
    to_unit_name: String,
    target: String,
    status: String,
    sent_on: String,
    response_due: Option<String>,
    response_reason: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct LeadDetailDto {
    lead: LeadDto,
    people: Vec<LeadPersonDto>,
    /// `open` or `concluded` when a 一案双查 inquiry exists.
    dual_inquiry: Option<String>,
    referrals: Vec<LeadReferralDto>,
}

/// One lead: its people and outcomes, the 一案双查 inquiry and referrals.
#[utoipa::path(get, path = "/api/v1/leads/{id}", tag = "leads", params(("id" = Uuid, Path, description = "lead id")),
    responses((status = 200, body = LeadDetailDto), (status = 404, body = Err)))]
pub async fn get_lead(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Json<LeadDetailDto>> {
    let x = visible_lead(&state, &user, id, Action::ViewLeads).await?;
    let l = state.store.leads();
    let t = crate::i18n::T(ctx.lang);
    let today = crate::rectify::today().to_string();
    Ok(Json(LeadDetailDto {
        people: l
            .people(id)
            .await?
            .iter()
            .map(|p| LeadPersonDto {
                name: p.name.clone(),
                post: p.post.clone(),
                level: p.level.clone(),
                form: p.form.clone(),
                outcome: crate::leads::lead::outcome_text(&t, p),
                decided_on: p.decided_on.clone(),
                party_effect_end: p.party_effect_end.clone(),
                admin_effect_end: p.admin_effect_end.clone(),
            })
            .collect(),
        dual_inquiry: l.inquiry_of(id).await?.map(|i| i.status),
        referrals: l
            .referrals_of(id)
            .await?
            .into_iter()
            .map(|r| LeadReferralDto {
                id: r.id,
                to_unit_name: r.to_unit_name,
                target: r.target,
                status: r.status,
                sent_on: r.sent_on,
                response_due: r.response_due,
                response_reason: r.response_reason,
            })
            .collect(),
        lead: LeadDto::from(&x, ctx.lang, &today),
    }))
}
