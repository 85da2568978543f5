//! 定期汇总核对 (a quarter's figures counted from the ledger, confirmed by
//! a handler) and the 四种形态 statistics; every figure links to the ledger
//! rows behind it.

use crate::AppState;
use crate::api::ApiQuery as Query;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, form_uuid};
use crate::layout::{Layout, done, form_page, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiff::civil::Date;
use qingfeng_domain::access::Action;
use qingfeng_domain::leads::disposal::Disposal;
use qingfeng_domain::leads::outcome::{Form as Shape, OutcomeRow, PersonOutcome, tally};
use qingfeng_domain::leads::report::{Category, PersonLevel};
use qingfeng_domain::leads::LeadSource;
use qingfeng_store::leads::LeadFilter;
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct PeriodQuery {
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    year: Option<String>,
}

/// `2026-Q4` → (first day, last day).
pub(crate) fn quarter(p: &str) -> Option<(Date, Date)> {
    let (y, q) = p.split_once("-Q")?;
    let y: i16 = y.parse().ok()?;
    let q: i8 = q.parse().ok().filter(|q| (1..=4).contains(q))?;
    let start = jiff::civil::Date::new(y, (q - 1) * 3 + 1, 1).ok()?;
    Some((start, qingfeng_domain::leads::deadline::quarter_end(start)))
}

fn quarter_of(d: Date) -> String {
    format!("{}-Q{}", d.year(), (d.month() - 1) / 3 + 1)
}

#[derive(Template)]
#[template(path = "leads/reconcile.html")]
struct ReconcilePage {
    l: Layout,
    units: Vec<crate::org::UnitOption>,
    unit: Uuid,
    unit_name: String,
    period: String,
    periods: Vec<String>,
    start: String,
    end: String,
    f: qingfeng_store::leads::Figures,
    review: Option<qingfeng_store::leads::LeadReview>,
    /// The figures as confirmed, when the ledger has changed since.
    confirmed: Option<qingfeng_store::leads::Figures>,
    reviews: Vec<qingfeng_store::leads::LeadReview>,
    can_confirm: bool,
    error: Option<String>,
}

impl ReconcilePage {
    /// The ledger rows behind one of the period's figures.
    fn link(&self, figure: &str) -> String {
        format!("/leads/ledger?unit={}&period={}&figure={figure}", self.unit, self.period)
    }
    fn source_name(&self, code: &str) -> String {
        LeadSource::parse(code).map(|x| self.l.t.m(x.label())).unwrap_or_default()
    }
    fn disposal_name(&self, code: &str) -> String {
        Disposal::parse(code).map(|x| self.l.t.m(x.label())).unwrap_or_default()
    }
}

async fn reconcile_page(state: &AppState, ctx: &Ctx, user: &User, q: &PeriodQuery, error: Option<String>) -> AppResult<Response> {
    let units: Vec<_> = crate::org::unit_options(state, user, Action::ViewLeads).await?.into_iter().filter(|u| u.kind.is_discipline()).collect();
    let unit = match form_uuid(q.unit.as_deref().unwrap_or(""))? {
        Some(u) => u,
        None => units.first().map(|u| u.id).ok_or(AppError::NotFound)?,
    };
    let u = crate::org::visible_unit(state, user, unit, Action::ViewLeads).await?;
    let today = crate::rectify::today();
    let period = q.period.clone().filter(|p| quarter(p).is_some()).unwrap_or_else(|| quarter_of(today));
    let (start, end) = quarter(&period).ok_or(AppError::NotFound)?;
    let t = crate::i18n::T(ctx.lang);
    let leads = state.store.leads().all_leads(std::slice::from_ref(&u.path), &LeadFilter::default()).await?;
    let f = qingfeng_store::leads::Figures::of(&leads, &start.to_string(), &end.to_string());
    let reviews = state.store.leads().reviews(unit).await?;
    let mut periods = Vec::new();
    let mut d = today;
    for _ in 0..6 {
        periods.push(quarter_of(d));
        d = d.checked_sub(jiff::Span::new().months(3)).unwrap_or(d);
    }
    let review = reviews.iter().find(|r| r.period == period).cloned();
    let confirmed = review.as_ref().and_then(|r| serde_json::from_str::<qingfeng_store::leads::Figures>(&r.figures).ok()).filter(|c| *c != f);
    let invalid = error.is_some();
    let p = ReconcilePage {
        l: Layout::new(state, ctx, "leads", t.s("leads.reconcile").into_owned()),
        confirmed,
        units,
        unit,
        unit_name: u.name.clone(),
        review,
        reviews,
        can_confirm: user.can(Action::ManageLeads, &u.path) && end <= today,
        period,
        periods,
        start: start.to_string(),
        end: end.to_string(),
        f,
        error,
    };
    form_page(&p, invalid)
}

/// `GET /leads/reconcile`: a quarter's figures for a unit, counted from the ledger.
pub async fn reconcile(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    reconcile_page(&state, &ctx, &user, &q, None).await
}

#[derive(Deserialize)]
pub struct ConfirmForm {
    unit: Uuid,
    period: String,
    #[serde(default)]
    note: String,
}

/// `POST /leads/reconcile`: the handler confirms the figures (they are recounted here, not taken from the form).
pub async fn confirm(State(state): State<AppState>, ctx: Ctx, user: User, Form(f): Form<ConfirmForm>) -> AppResult<Response> {
    let u = crate::org::visible_unit(&state, &user, f.unit, Action::ViewLeads).await?;
    user.authorize(Action::ManageLeads, &u.path)?;
    let Some((start, end)) = quarter(&f.period) else { return Err(AppError::NotFound) };
    // One spelling per quarter (`2026-Q03` is `2026-Q3`), so a period is confirmed once.
    let period = quarter_of(start);
    let q = PeriodQuery { period: Some(period.clone()), unit: Some(f.unit.to_string()), year: None };
    if end > crate::rectify::today() {
        return reconcile_page(&state, &ctx, &user, &q, Some(crate::i18n::T(ctx.lang).s("leads.period_not_over").into_owned())).await;
    }
    let leads = state.store.leads().all_leads(std::slice::from_ref(&u.path), &LeadFilter::default()).await?;
    let figs = qingfeng_store::leads::Figures::of(&leads, &start.to_string(), &end.to_string());
    let value = serde_json::to_value(&figs).map_err(|e| AppError::Internal(e.to_string()))?;
    match state.store.leads().review(&user.who(), f.unit, &period, &value, Some(f.note.as_str())).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, &format!("/leads/reconcile?unit={}&period={period}", f.unit), "flash.saved")),
        Err(AppError::Refused(x)) => reconcile_page(&state, &ctx, &user, &q, Some(x.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "leads/stats.html")]
struct StatsPage {
    l: Layout,
    year: i16,
    handled: u32,
    sanctioned: u32,
    /// (code, label, count)
    forms: Vec<(&'static str, String, u32)>,
    /// (query key=code, row label, counts per form, row total)
    by_category: Vec<(String, String, Vec<u32>, u32)>,
    by_level: Vec<(String, String, Vec<u32>, u32)>,
    form_names: Vec<String>,
}

impl StatsPage {
    /// The ledger behind a figure: leads with an outcome decided in the year, narrowed by `extra`.
    fn link(&self, extra: &str) -> String {
        format!("/leads/ledger?year={}{extra}", self.year)
    }
    fn cell(&self, row: &str, k: &usize) -> String {
        let form = Shape::ALL.get(*k).map(|f| f.as_str()).unwrap_or("first");
        self.link(&format!("&{row}&form={form}"))
    }
}

/// `GET /leads/stats?year=`: persons handled by the 四种形态, by discipline and by level, counted from the outcomes.
pub async fn stats(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<PeriodQuery>) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewLeads);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let year: i16 = q.year.as_deref().and_then(|y| y.parse().ok()).filter(|y| (2000..=2100).contains(y)).unwrap_or(crate::rectify::today().year());
    let rows = state.store.leads().outcomes(&scopes, &format!("{year}-01-01"), &format!("{year}-12-31")).await?;
    let outcomes: Vec<(PersonOutcome, Category, PersonLevel)> = rows
        .iter()
        .filter_map(|(p, c)| p.outcome().map(|o| (o, Category::parse(c).unwrap_or(Category::Integrity), p.level())))
        .collect();
    let rules = state.config.rules.leads;
    let t = tally(outcomes.iter().map(|(o, c, l)| OutcomeRow { outcome: o, category: *c, level: *l }), &rules);
    let tr = crate::i18n::T(ctx.lang);
    let row = |m: &std::collections::BTreeMap<Shape, u32>| -> (Vec<u32>, u32) {
        let v: Vec<u32> = Shape::ALL.iter().map(|f| m.get(f).copied().unwrap_or(0)).collect();
        let s = v.iter().sum();
        (v, s)
    };
    page(&StatsPage {
        l: Layout::new(&state, &ctx, "leads", tr.s("leads.stats").into_owned()),
        year,
        handled: t.handled,
        sanctioned: t.sanctioned,
        forms: Shape::ALL.iter().map(|f| (f.as_str(), tr.m(f.label()), t.by_form.get(f).copied().unwrap_or(0))).collect(),
        by_category: t.by_category.iter().map(|(c, m)| { let (v, s) = row(m); (format!("category={}", c.as_str()), tr.m(c.label()), v, s) }).collect(),
        by_level: t.by_level.iter().map(|(c, m)| { let (v, s) = row(m); (format!("level={}", c.as_str()), tr.m(c.label()), v, s) }).collect(),
        form_names: Shape::ALL.iter().map(|f| tr.m(f.label())).collect(),
    })
}
