//! 问题清单 pages: the batches a user issued or works on, a new batch, and
//! adding a problem to a batch.

use crate::AppState;
use crate::api::PathId;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid};
use crate::i18n::T;
use crate::layout::{Layout, done, form_page, page};
use crate::org::{UnitOption, unit_options};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::rectify::eight_rules::Taxonomy;
use qingfeng_domain::rectify::input::{BatchInput, ProblemInput};
use qingfeng_domain::rectify::{RootCause, Source};
use qingfeng_store::rectify::Batch;
use serde::Deserialize;

#[derive(Template)]
#[template(path = "rectify/batches.html")]
struct ListPage {
    l: Layout,
    batches: Vec<Batch>,
    can_issue: bool,
}

impl ListPage {
    fn source_label(&self, b: &Batch) -> String {
        b.source().map(|s| self.l.t.m(s.label())).unwrap_or_default()
    }
}

pub async fn index(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Response> {
    page(&ListPage {
        l: Layout::new(&state, &ctx, "rectify", T(ctx.lang).s("rectify.batches").into_owned()),
        batches: super::ops::visible_batches(&state, &user).await?,
        can_issue: user.actor.can_anywhere(Action::ReviewRectify),
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct BatchForm {
    #[serde(default)]
    source: String,
    #[serde(default)]
    reference: String,
    #[serde(default)]
    issuing_unit_id: String,
    #[serde(default)]
    issued_on: String,
    #[serde(default)]
    summary: String,
}

#[derive(Template)]
#[template(path = "rectify/batch_form.html")]
struct BatchFormPage {
    l: Layout,
    f: BatchForm,
    errors: FormErrors,
    units: Vec<UnitOption>,
    sources: &'static [Source],
}

async fn batch_form_page(state: &AppState, ctx: &Ctx, user: &User, f: BatchForm, errors: FormErrors) -> AppResult<Response> {
    let invalid = errors.any();
    form_page(&BatchFormPage {
        l: Layout::new(state, ctx, "rectify", T(ctx.lang).s("rectify.new_batch").into_owned()),
        units: unit_options(state, user, Action::ReviewRectify).await?,
        f,
        errors,
        sources: Source::ALL,
    }, invalid)
}

pub async fn new_form(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::ReviewRectify) {
        return Err(AppError::NotFound);
    }
    let f = BatchForm { issued_on: super::today().to_string(), source: "patrol".into(), ..Default::default() };
    batch_form_page(&state, &ctx, &user, f, FormErrors::default()).await
}

pub async fn new_submit(State(state): State<AppState>, ctx: Ctx, user: User, Form(f): Form<BatchForm>) -> AppResult<Response> {
    let input = BatchInput {
        source: f.source.clone(),
        reference: f.reference.clone(),
        issuing_unit_id: form_uuid(&f.issuing_unit_id).ok().flatten(),
        issued_on: f.issued_on.clone(),
        summary: f.summary.clone(),
    };
    let b = match super::ops::create_batch(&state, &user, &input).await {
        Ok(b) => b,
        Err(AppError::Invalid(v)) => return batch_form_page(&state, &ctx, &user, f, FormErrors::from(&v, ctx.lang)).await,
        Err(e) => return Err(e),
    };
    Ok(done(&state, &format!("/rectify/batches/{}/problems/new", b.id), "flash.batch_created"))
}

#[derive(Deserialize, Default, Clone)]
pub struct ProblemForm {
    #[serde(default)]
    description: String,
    #[serde(default)]
    root_cause: String,
    #[serde(default)]
    eight_rules: String,
    #[serde(default)]
    campaign_id: String,
    #[serde(default)]
    lead_unit_id: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    schedule: String,
}

#[derive(Template)]
#[template(path = "rectify/problem_form.html")]
struct ProblemFormPage {
    l: Layout,
    batch: Batch,
    f: ProblemForm,
    errors: FormErrors,
    units: Vec<UnitOption>,
    root_causes: &'static [RootCause],
    eight_rules: Vec<(String, String)>,
    /// Campaigns reaching the issuing unit: (id, name — launching unit).
    campaigns: Vec<(String, String)>,
}

async fn problem_form_page(state: &AppState, ctx: &Ctx, user: &User, batch: Batch, f: ProblemForm, errors: FormErrors) -> AppResult<Response> {
    let invalid = errors.any();
    let tax = Taxonomy::builtin();
    let on = batch.issued()?;
    let eight_rules = tax.at(on).rows.iter().map(|r| (r.code.clone(), format!("{}｜{}", r.group, r.name))).collect();
    let campaigns = state.store.rectify().campaigns(&[batch.scope()?]).await?;
    let campaigns = campaigns.into_iter().map(|c| (c.id.to_string(), format!("{}（{}）", c.name, c.org_unit_name))).collect();
    form_page(&ProblemFormPage {
        l: Layout::new(state, ctx, "rectify", T(ctx.lang).s("rectify.new_problem").into_owned()),
        units: unit_options(state, user, Action::ViewOrg).await?,
        batch,
        f,
        errors,
        root_causes: RootCause::ALL,
        eight_rules,
        campaigns,
    }, invalid)
}

/// The batch must be the user's to issue (ReviewRectify on the issuing unit).
pub(crate) async fn own_batch(state: &AppState, user: &User, id: uuid::Uuid) -> AppResult<Batch> {
    let b = state.store.rectify().batch(id).await?;
    user.authorize(Action::ReviewRectify, &b.scope()?)?;
    Ok(b)
}

pub async fn new_problem_form(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    let b = own_batch(&state, &user, id).await?;
    let f = ProblemForm { root_cause: "responsibility".into(), ..Default::default() };
    problem_form_page(&state, &ctx, &user, b, f, FormErrors::default()).await
}

pub async fn new_problem_submit(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ProblemForm>) -> AppResult<Response> {
    let b = own_batch(&state, &user, id).await?;
    let input = ProblemInput {
        description: f.description.clone(),
        root_cause: f.root_cause.clone(),
        eight_rules: f.eight_rules.clone(),
        campaign_id: form_uuid(&f.campaign_id).ok().flatten(),
        lead_unit_id: form_uuid(&f.lead_unit_id).ok().flatten(),
        deadline: f.deadline.clone(),
        schedule: f.schedule.clone(),
        ..Default::default()
    };
    let p = match super::ops::add_problem(&state, &user, &b, &input).await {
        Ok(p) => p,
        Err(AppError::Invalid(v)) => return problem_form_page(&state, &ctx, &user, b, f, FormErrors::from(&v, ctx.lang)).await,
        Err(e) => return Err(e),
    };
    Ok(done(&state, &format!("/rectify/problems/{}", p.id), "flash.problem_created"))
}
