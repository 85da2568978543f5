//! 问题线索: the ledger (线索台账) with its filters, and registering a lead
//! from an accepted report or another source. A lead's page is in
//! [`super::lead`], the reconciliation and statistics in [`super::figures`].

use crate::AppState;
use crate::api::ApiQuery as Query;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid};
use crate::layout::{Layout, done, form_page, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiff::civil::Date;
use qingfeng_domain::access::Action;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::leads::disposal::{Disposal, LeadStatus};
use qingfeng_domain::leads::outcome::Form as Shape;
use qingfeng_domain::leads::report::{Category, PersonLevel};
use qingfeng_domain::leads::{LeadRules, LeadSource};
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_store::leads::{Figure, Lead, LeadEnv, LeadFilter, NewLead};
use serde::Deserialize;
use uuid::Uuid;

/// The calendar, rules and day a lead command runs with.
pub struct Env {
    cal: Calendar,
    rules: LeadRules,
    today: Date,
}

impl Env {
    pub fn of(state: &AppState) -> Env {
        Env { cal: state.calendar(), rules: state.config.rules.leads, today: crate::rectify::today() }
    }
    pub fn get(&self) -> LeadEnv<'_> {
        LeadEnv { cal: &self.cal, rules: &self.rules, today: self.today }
    }
}

/// A lead the user may `action` on (seen where it is handled); else 404/403.
pub async fn visible_lead(state: &AppState, user: &User, id: Uuid, action: Action) -> AppResult<Lead> {
    let l = state.store.leads().lead(id).await?;
    user.authorize(action, &l.scope()?)?;
    Ok(l)
}

#[derive(Deserialize, Default)]
pub struct LedgerQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    disposal: Option<String>,
    #[serde(default)]
    source: Option<String>,
    #[serde(default)]
    state: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    sort: Option<String>,
    #[serde(default)]
    page: Option<u32>,
    /// The statistics' cells: outcomes of a form / discipline / level decided in a year.
    #[serde(default)]
    form: Option<String>,
    #[serde(default)]
    category: Option<String>,
    #[serde(default)]
    level: Option<String>,
    #[serde(default)]
    year: Option<String>,
    /// The reconciliation's figures: `period=2026-Q3&figure=carried|received|concluded|open|overdue|active`.
    #[serde(default)]
    period: Option<String>,
    #[serde(default)]
    figure: Option<String>,
}

#[derive(Template)]
#[template(path = "leads/ledger.html")]
struct LedgerPage {
    l: Layout,
    leads: Page<Lead>,
    status: String,
    disposal: String,
    source: String,
    state: String,
    q: String,
    unit: String,
    sort: String,
    today: String,
    can_manage: bool,
    /// The statistics' filters carried through paging (`form=…&category=…`).
    outcome: String,
    /// What the outcome filter means, in words.
    outcome_label: Option<String>,
}

impl LedgerPage {
    fn base(&self) -> String {
        format!(
            "/leads/ledger?status={}&disposal={}&source={}&state={}&unit={}&sort={}&q={}{}",
            self.status,
            self.disposal,
            self.source,
            self.state,
            self.unit,
            self.sort,
            crate::form::urlencode(&self.q),
            self.outcome
        )
    }
    fn statuses(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<LeadStatus>()
    }
    fn disposals(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<Disposal>()
    }
    fn sources(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<LeadSource>()
    }
    fn status_of(&self, x: &Lead) -> String {
        self.l.t.m(x.status().label())
    }
    fn disposal_of(&self, x: &Lead) -> String {
        x.disposal().map(|d| self.l.t.m(d.label())).unwrap_or_else(|| "—".into())
    }
    fn source_of(&self, x: &Lead) -> String {
        self.l.t.m(x.source().label())
    }
    fn late(&self, x: &Lead) -> bool {
        x.overdue(&self.today)
    }
}

fn filter_of(q: &LedgerQuery, today: &str) -> AppResult<LeadFilter> {
    let state = q.state.as_deref().unwrap_or("");
    let year = q.year.as_deref().and_then(|y| y.parse::<i16>().ok()).filter(|y| (2000..=2100).contains(y));
    Ok(LeadFilter {
        form: q.form.as_deref().and_then(Shape::parse),
        category: q.category.as_deref().and_then(Category::parse),
        person_level: q.level.as_deref().and_then(PersonLevel::parse),
        decided_from: year.map(|y| format!("{y}-01-01")),
        decided_to: year.map(|y| format!("{y}-12-31")),
        status: q.status.as_deref().and_then(LeadStatus::parse),
        disposal: q.disposal.as_deref().and_then(Disposal::parse),
        source: q.source.as_deref().and_then(LeadSource::parse),
        open: state == "open",
        overdue_on: (state == "overdue").then(|| today.to_string()),
        text: q.q.clone(),
        figure: match (q.period.as_deref().and_then(super::figures::quarter), q.figure.as_deref().and_then(Figure::parse)) {
            (Some((start, end)), Some(f)) => Some((f, start.to_string(), end.to_string())),
            _ => None,
        },
        ..Default::default()
    })
}

/// `GET /leads/ledger`: 线索台账 in scope, filtered, sorted, paged.
pub async fn ledger(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<LedgerQuery>) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewLeads);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let today = crate::rectify::today().to_string();
    let mut f = filter_of(&q, &today)?;
    let unit = form_uuid(q.unit.as_deref().unwrap_or(""))?;
    if let Some(u) = unit {
        f.within = Some(crate::org::visible_unit(&state, &user, u, Action::ViewLeads).await?.path);
    }
    let sort = q.sort.clone().filter(|s| matches!(s.as_str(), "due" | "no")).unwrap_or_default();
    let leads = state.store.leads().leads(&scopes, &f, &sort, PageRequest::new(q.page, Some(30))).await?;
    let t = crate::i18n::T(ctx.lang);
    let mut outcome = String::new();
    let mut words = Vec::new();
    if let Some(y) = &f.decided_from {
        outcome.push_str(&format!("&year={}", &y[..4]));
        words.push(format!("{}{}", &y[..4], t.s("leads.year_decided")));
    }
    if let Some(x) = f.form {
        outcome.push_str(&format!("&form={}", x.as_str()));
        words.push(t.m(x.label()));
    }
    if let Some(x) = f.category {
        outcome.push_str(&format!("&category={}", x.as_str()));
        words.push(t.m(x.label()));
    }
    if let Some(x) = f.person_level {
        outcome.push_str(&format!("&level={}", x.as_str()));
        words.push(t.m(x.label()));
    }
    if let (Some((fig, _, _)), Some(p)) = (&f.figure, &q.period) {
        outcome.push_str(&format!("&period={p}&figure={}", fig.as_str()));
        words.push(format!("{p} {}", t.s(format!("leads.figure_{}", fig.as_str()))));
    }
    page(&LedgerPage {
        outcome_label: (!words.is_empty()).then(|| words.join(" · ")),
        outcome,
        l: Layout::new(&state, &ctx, "leads", crate::i18n::T(ctx.lang).s("leads.ledger").into_owned()),
        leads,
        status: f.status.map(|s| s.as_str().to_string()).unwrap_or_default(),
        disposal: f.disposal.map(|s| s.as_str().to_string()).unwrap_or_default(),
        source: f.source.map(|s| s.as_str().to_string()).unwrap_or_default(),
        state: q.state.clone().filter(|s| matches!(s.as_str(), "open" | "overdue")).unwrap_or_default(),
        q: q.q.clone().unwrap_or_default(),
        unit: unit.map(|u| u.to_string()).unwrap_or_default(),
        sort,
        today,
        can_manage: user.actor.can_anywhere(Action::ManageLeads),
    })
}

/// What the lead form takes (kept as typed when it is refused).
#[derive(Deserialize, Default, Clone)]
pub struct LeadForm {
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub source_ref: String,
    #[serde(default)]
    pub unit_id: String,
    #[serde(default)]
    pub subject_unit_id: String,
    #[serde(default)]
    pub category: String,
    #[serde(default)]
    pub level: String,
    #[serde(default)]
    pub subject_name: String,
    #[serde(default)]
    pub summary: String,
    #[serde(default)]
    pub received_on: String,
}

#[derive(Template)]
#[template(path = "leads/lead_new.html")]
struct NewLeadPage {
    l: Layout,
    f: LeadForm,
    errors: FormErrors,
    units: Vec<crate::org::UnitOption>,
    handling: Vec<crate::org::UnitOption>,
    /// Registering from this report.
    report: Option<qingfeng_store::leads::Report>,
}

impl NewLeadPage {
    fn sources(&self) -> Vec<(&'static str, String)> {
        LeadSource::ALL.iter().filter(|s| self.report.is_some() || **s != LeadSource::Petition).map(|s| (s.as_str(), self.l.t.m(s.label()))).collect()
    }
    fn categories(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<Category>()
    }
    fn levels(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<PersonLevel>()
    }
}

async fn new_page(state: &AppState, ctx: &Ctx, user: &User, f: LeadForm, errors: FormErrors, report: Option<qingfeng_store::leads::Report>) -> AppResult<Response> {
    let invalid = errors.any();
    let units = crate::org::unit_options(state, user, Action::ViewLeads).await?;
    let handling = crate::org::unit_options(state, user, Action::ManageLeads).await?.into_iter().filter(|u| u.kind.is_discipline()).collect();
    let title = crate::i18n::T(ctx.lang).s("leads.lead_new").into_owned();
    form_page(&NewLeadPage { l: Layout::new(state, ctx, "leads", title), f, errors, units, handling, report }, invalid)
}

/// `GET /leads/ledger/new` (`?report=` to register an accepted report).
pub async fn new_form(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<ReportRef>) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::ManageLeads) {
        return Err(AppError::NotFound);
    }
    let today = crate::rectify::today().to_string();
    let mut f = LeadForm { source: "inspection_tour".into(), received_on: today, level: "county".into(), category: "integrity".into(), ..Default::default() };
    let report = match form_uuid(q.report.as_deref().unwrap_or(""))? {
        Some(id) => {
            let r = super::visible_report(&state, &user, id, Action::ManageLeads).await?;
            f.source = "petition".into();
            f.source_ref = r.reg_no.clone().unwrap_or_default();
            f.unit_id = r.handling_unit_id.map(|u| u.to_string()).unwrap_or_default();
            f.category = r.category.clone();
            f.level = r.reported_level.clone().unwrap_or_else(|| "other".into());
            f.subject_name = [r.reported_name.as_deref(), r.reported_post.as_deref()].into_iter().flatten().collect::<Vec<_>>().join("，");
            f.summary = r.content.clone();
            f.received_on = r.accepted_on.clone().unwrap_or(r.received_on.clone());
            Some(r)
        }
        None => None,
    };
    new_page(&state, &ctx, &user, f, FormErrors::default(), report).await
}

#[derive(Deserialize, Default)]
pub struct ReportRef {
    #[serde(default)]
    report: Option<String>,
}

/// `POST /leads/ledger/new` (`?report=`): registers the lead.
pub async fn create(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<ReportRef>, Form(f): Form<LeadForm>) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::ManageLeads) {
        return Err(AppError::NotFound);
    }
    let report = match form_uuid(q.report.as_deref().unwrap_or(""))? {
        Some(id) => Some(super::visible_report(&state, &user, id, Action::ManageLeads).await?),
        None => None,
    };
    let t = crate::i18n::T(ctx.lang);
    let mut errors = Vec::new();
    let mut need = |field: &str, ok: bool, key: &str| {
        if !ok {
            errors.push((field.to_string(), t.s(key).into_owned()));
        }
    };
    let unit = form_uuid(&f.unit_id)?;
    let subject = form_uuid(&f.subject_unit_id)?;
    let source = LeadSource::parse(&f.source).filter(|s| report.is_some() == (*s == LeadSource::Petition));
    let received: Option<Date> = f.received_on.trim().parse().ok();
    need("unit_id", unit.is_some(), "leads.choose_unit");
    need("subject_unit_id", subject.is_some(), "leads.choose_unit");
    need("source", source.is_some(), "leads.choose_source");
    need("category", Category::parse(&f.category).is_some(), "leads.choose_category");
    need("level", PersonLevel::parse(&f.level).is_some(), "leads.choose_level");
    need("received_on", received.is_some_and(|d| d <= crate::rectify::today()), "leads.bad_date");
    need("subject_name", !f.subject_name.trim().is_empty() && f.subject_name.chars().count() <= 100, "leads.need_subject");
    need("summary", f.summary.trim().chars().count() >= 10 && f.summary.chars().count() <= 4000, "leads.need_summary");
    if !errors.is_empty() {
        return new_page(&state, &ctx, &user, f, FormErrors(errors), report).await;
    }
    let (Some(unit), Some(subject), Some(source), Some(received)) = (unit, subject, source, received) else { return Err(AppError::NotFound) };
    let u = crate::org::visible_unit(&state, &user, unit, Action::ManageLeads).await?;
    if !u.kind.is_discipline() {
        return new_page(&state, &ctx, &user, f, FormErrors(vec![("unit_id".into(), t.s("leads.unit_not_discipline").into_owned())]), report).await;
    }
    crate::org::visible_unit(&state, &user, subject, Action::ViewLeads).await?;
    let env = Env::of(&state);
    let n = NewLead {
        source,
        source_ref: Some(f.source_ref.as_str()),
        report_id: report.as_ref().map(|r| r.id),
        unit_id: unit,
        subject_unit_id: subject,
        category: Category::parse(&f.category).unwrap_or(Category::Integrity),
        level: PersonLevel::parse(&f.level).unwrap_or(PersonLevel::Other),
        subject_name: &f.subject_name,
        summary: &f.summary,
        received_on: received,
    };
    match state.store.leads().register(&user.who(), &n, &env.get()).await.map_err(AppError::from) {
        Ok(l) => {
            super::search::index_lead(&state, &l).await?;
            Ok(done(&state, &format!("/leads/items/{}", l.id), "flash.saved"))
        }
        Err(AppError::Refused(x)) => new_page(&state, &ctx, &user, f, FormErrors(vec![("form".into(), x.msg.get(ctx.lang).to_string())]), report).await,
        Err(AppError::Invalid(v)) => new_page(&state, &ctx, &user, f, FormErrors::from(&v, ctx.lang), report).await,
        Err(e) => Err(e),
    }
}
