//! 问题线索: the ledger (线索台账) with its filters, registering a lead from
//! an accepted report or another source, a lead's page with the steps the
//! lifecycle table allows this user, the people concerned and their
//! outcomes, and the periodic reconciliation (定期汇总核对) and statistics.

use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
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
use qingfeng_domain::leads::disposal::{Disposal, LeadAction, LeadActor, LeadStatus, available};
use qingfeng_domain::leads::outcome::{AdminSanction, Form as Shape, Measure, OutcomeRow, PartySanction, PersonFacts, PersonOutcome, tally};
use qingfeng_domain::leads::report::{Category, PersonLevel};
use qingfeng_domain::leads::{Finding, LeadRules, LeadSource};
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_store::leads::{Clearance, Figure, Inquiry, Lead, LeadEnv, LeadFilter, LeadPerson, LeadStep, NewLead, NewPerson, Referral, Step};
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

fn forbidden() -> AppError {
    AppError::Forbidden { code: "forbidden", msg: qingfeng_domain::Msg::new("无权办理此操作", "not permitted") }
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
        LeadStatus::ALL.iter().map(|s| (s.as_str(), self.l.t.m(s.label()))).collect()
    }
    fn disposals(&self) -> Vec<(&'static str, String)> {
        Disposal::ALL.iter().map(|s| (s.as_str(), self.l.t.m(s.label()))).collect()
    }
    fn sources(&self) -> Vec<(&'static str, String)> {
        LeadSource::ALL.iter().map(|s| (s.as_str(), self.l.t.m(s.label()))).collect()
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
        figure: match (q.period.as_deref().and_then(quarter), q.figure.as_deref().and_then(Figure::parse)) {
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
        Category::ALL.iter().map(|c| (c.as_str(), self.l.t.m(c.label()))).collect()
    }
    fn levels(&self) -> Vec<(&'static str, String)> {
        PersonLevel::ALL.iter().map(|c| (c.as_str(), self.l.t.m(c.label()))).collect()
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

#[derive(Template)]
#[template(path = "leads/lead.html")]
struct LeadPage {
    l: Layout,
    x: Lead,
    steps: Vec<LeadStep>,
    people: Vec<LeadPerson>,
    inquiry: Option<Inquiry>,
    referrals: Vec<Referral>,
    clearances: Vec<Clearance>,
    duplicates: usize,
    actions: Vec<LeadAction>,
    can_manage: bool,
    can_approve: bool,
    me: Uuid,
    targets: Vec<crate::org::UnitOption>,
    error: Option<String>,
    today: String,
}

impl LeadPage {
    fn status(&self) -> String {
        self.l.t.m(self.x.status().label())
    }
    fn disposal(&self) -> String {
        self.x.disposal().map(|d| self.l.t.m(d.label())).unwrap_or_else(|| "—".into())
    }
    fn finding(&self) -> String {
        self.x.finding().map(|d| self.l.t.m(d.label())).unwrap_or_else(|| "—".into())
    }
    fn source(&self) -> String {
        self.l.t.m(self.x.source().label())
    }
    fn category(&self) -> String {
        self.l.t.m(self.x.category().label())
    }
    fn level(&self) -> String {
        self.l.t.m(self.x.level().label())
    }
    fn action_label(&self, a: &LeadAction) -> String {
        self.l.t.m(a.label())
    }
    fn needs_disposal(&self, a: &LeadAction) -> bool {
        *a == LeadAction::Propose
    }
    fn needs_finding(&self, a: &LeadAction) -> bool {
        matches!(a, LeadAction::Assess | LeadAction::ReportFindings) || (*a == LeadAction::Conclude && self.x.finding.is_none())
    }
    fn needs_reason(&self, a: &LeadAction) -> bool {
        matches!(a, LeadAction::SendBack | LeadAction::Redispose | LeadAction::Reopen)
    }
    fn optional_note(&self, a: &LeadAction) -> bool {
        matches!(a, LeadAction::Propose | LeadAction::HoldTalk | LeadAction::SendLetter | LeadAction::ReceiveReply | LeadAction::Review)
    }
    fn primary(&self, a: &LeadAction) -> bool {
        !self.needs_reason(a)
    }
    fn disposals(&self) -> Vec<(&'static str, String)> {
        Disposal::ALL.iter().map(|s| (s.as_str(), self.l.t.m(s.label()))).collect()
    }
    fn findings(&self) -> Vec<(&'static str, String)> {
        Finding::ALL.iter().map(|s| (s.as_str(), self.l.t.m(s.label()))).collect()
    }
    fn levels(&self) -> Vec<(&'static str, String)> {
        PersonLevel::ALL.iter().map(|c| (c.as_str(), self.l.t.m(c.label()))).collect()
    }
    fn measures(&self) -> Vec<(&'static str, String)> {
        Measure::ALL.iter().map(|c| (c.as_str(), self.l.t.m(c.label()))).collect()
    }
    fn party_sanctions(&self) -> Vec<(&'static str, String)> {
        PartySanction::ALL.iter().map(|c| (c.as_str(), self.l.t.m(c.label()))).collect()
    }
    fn admin_sanctions(&self) -> Vec<(&'static str, String)> {
        AdminSanction::ALL.iter().map(|c| (c.as_str(), self.l.t.m(c.label()))).collect()
    }
    fn forms(&self) -> Vec<(&'static str, String)> {
        Shape::ALL.iter().map(|c| (c.as_str(), self.l.t.m(c.label()))).collect()
    }
    fn referral_targets(&self) -> Vec<(&'static str, String)> {
        qingfeng_domain::leads::referral::ReferralTarget::ALL.iter().map(|c| (c.as_str(), self.l.t.m(c.label()))).collect()
    }
    fn scopes(&self) -> Vec<(&'static str, String)> {
        qingfeng_domain::leads::clearance::ClearanceScope::ALL.iter().map(|c| (c.as_str(), self.l.t.m(c.label()))).collect()
    }
    fn person_form(&self, p: &LeadPerson) -> String {
        p.form().map(|f| self.l.t.m(f.label())).unwrap_or_default()
    }
    fn person_outcome(&self, p: &LeadPerson) -> String {
        outcome_text(&self.l.t, p)
    }
    fn person_level(&self, p: &LeadPerson) -> String {
        self.l.t.m(p.level().label())
    }
    fn step_label(&self, s: &LeadStep) -> String {
        step_label(&self.l.t, s)
    }
    fn step_status(&self, s: &LeadStep) -> String {
        s.to_status.as_deref().and_then(LeadStatus::parse).map(|x| self.l.t.m(x.label())).unwrap_or_default()
    }
    fn referral_status(&self, r: &Referral) -> String {
        self.l.t.m(r.status().label())
    }
    fn referral_target(&self, r: &Referral) -> String {
        self.l.t.m(r.target().label())
    }
    fn clearance_scope(&self, c: &Clearance) -> String {
        self.l.t.m(c.scope().label())
    }
    fn clearance_status(&self, c: &Clearance) -> String {
        self.l.t.s(format!("leads.clearance_{}", c.status)).into_owned()
    }
    fn mine(&self, c: &Clearance) -> bool {
        c.proposed_by == self.me
    }
    fn concluded(&self) -> bool {
        self.x.status() == LeadStatus::Concluded
    }
    fn untrue(&self) -> bool {
        self.concluded() && self.x.finding() == Some(Finding::Unsubstantiated)
    }
    fn step_late(&self) -> bool {
        self.x.overdue(&self.today)
    }
    fn clock(&self) -> String {
        qingfeng_domain::leads::disposal::clock_of(self.x.status(), self.x.disposal()).map(|c| self.l.t.m(c.label())).unwrap_or_default()
    }
    fn false_label(&self) -> String {
        match self.x.false_accusation.as_deref() {
            Some("mistaken") => self.l.t.s("leads.false_mistaken").into_owned(),
            Some(_) if self.x.false_author.is_some() => self.l.t.s("leads.false_deliberate_linked").into_owned(),
            Some(_) => self.l.t.s("leads.false_deliberate").into_owned(),
            None => String::new(),
        }
    }
    fn inquiry_status(&self, i: &Inquiry) -> String {
        self.l.t.s(format!("leads.inquiry_{}", i.status)).into_owned()
    }
}

/// A person's outcome in words: measures, sanctions with their effect periods.
pub fn outcome_text(t: &crate::i18n::T, p: &LeadPerson) -> String {
    let Some(o) = p.outcome() else { return t.s("leads.no_outcome").into_owned() };
    let mut parts: Vec<String> = o.measures.iter().map(|m| t.m(m.label())).collect();
    if let Some(s) = o.party {
        let until = p.party_effect_end.as_deref().map(|d| format!("（{}{d}）", t.s("leads.effect_until"))).unwrap_or_default();
        let zh = t.0 == qingfeng_domain::Lang::Zh;
        let term = o.probation_months.map(|m| if zh { format!("{}年", m / 12) } else { format!(" ({}-year)", m / 12) }).unwrap_or_default();
        let prefix = match (zh, s) {
            (true, PartySanction::Warning | PartySanction::SeriousWarning) => "党内",
            (false, PartySanction::Warning | PartySanction::SeriousWarning) => "party ",
            _ => "",
        };
        parts.push(format!("{prefix}{}{}{}", t.m(s.label()), term, until));
    }
    if let Some(a) = o.admin {
        let until = p.admin_effect_end.as_deref().map(|d| format!("（{}{d}）", t.s("leads.sanction_until"))).unwrap_or_default();
        let name = match (t.0 == qingfeng_domain::Lang::Zh, a) {
            (true, AdminSanction::Expulsion) => "开除公职".to_string(),
            (true, _) => format!("政务{}", t.m(a.label())),
            (false, _) => format!("administrative {}", t.m(a.label()).to_lowercase()),
        };
        parts.push(format!("{name}{until}"));
    }
    if parts.is_empty() { t.s("leads.no_measure").into_owned() } else { parts.join("、") }
}

fn step_label(t: &crate::i18n::T, s: &LeadStep) -> String {
    match LeadAction::parse(&s.action) {
        Some(a) => t.m(a.label()),
        None => t.s(format!("leads.step_{}", s.action)).into_owned(),
    }
}

/// Referral targets: the units the user sees and the top two levels of the tree.
pub async fn referral_units(state: &AppState, user: &User) -> AppResult<Vec<crate::org::UnitOption>> {
    let mut out: Vec<crate::org::UnitOption> = Vec::new();
    for root in state.store.orgs().children(None, false).await? {
        out.push(crate::org::UnitOption { id: root.unit.id, name: root.unit.name.clone(), kind: root.unit.kind, depth: 0 });
        for k in state.store.orgs().children(Some(root.unit.id), false).await? {
            out.push(crate::org::UnitOption { id: k.unit.id, name: k.unit.name.clone(), kind: k.unit.kind, depth: 1 });
        }
    }
    for u in crate::org::unit_options(state, user, Action::ViewLeads).await? {
        if !out.iter().any(|o| o.id == u.id) {
            out.push(u);
        }
    }
    Ok(out)
}

pub async fn lead_page(state: &AppState, ctx: &Ctx, user: &User, id: Uuid, error: Option<String>) -> AppResult<Response> {
    let x = visible_lead(state, user, id, Action::ViewLeads).await?;
    let scope = x.scope()?;
    let can_manage = user.can(Action::ManageLeads, &scope);
    let can_approve = user.can(Action::ApproveDisposal, &scope);
    let actor = LeadActor { id: user.account.id, handler: can_manage, approver: can_approve };
    let actions = available(x.status(), x.disposal(), actor)
        .into_iter()
        // The proposer signs off nothing of their own proposal (the lifecycle refuses it; the button is not offered).
        .filter(|a| !(matches!(a, LeadAction::Approve | LeadAction::SendBack | LeadAction::ApprovePlan | LeadAction::Conclude) && x.proposed_by == Some(user.account.id)))
        .collect();
    let s = state.store.leads();
    let duplicates = match x.report_id {
        Some(r) => s.duplicates_of(r).await?.len(),
        None => 0,
    };
    let invalid = error.is_some();
    let p = LeadPage {
        l: Layout::new(state, ctx, "leads", format!("{} {}", x.lead_no, x.subject_name)),
        steps: s.steps(id).await?,
        people: s.people(id).await?,
        inquiry: s.inquiry_of(id).await?,
        referrals: s.referrals_of(id).await?,
        clearances: s.clearances(id).await?,
        duplicates,
        actions,
        can_manage,
        can_approve,
        me: user.account.id,
        targets: if can_manage { referral_units(state, user).await? } else { Vec::new() },
        error,
        today: crate::rectify::today().to_string(),
        x,
    };
    form_page(&p, invalid)
}

/// `GET /leads/items/{id}`.
pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    lead_page(&state, &ctx, &user, id, None).await
}

/// Answers a command: back to the lead, or the lead's page with the refusal or the first invalid field.
pub async fn answered<T>(state: &AppState, ctx: &Ctx, user: &User, id: Uuid, r: Result<T, qingfeng_store::StoreError>) -> AppResult<Response> {
    match r.map_err(AppError::from) {
        Ok(_) => Ok(done(state, &format!("/leads/items/{id}"), "flash.saved")),
        Err(AppError::Refused(x)) => lead_page(state, ctx, user, id, Some(x.msg.get(ctx.lang).to_string())).await,
        Err(AppError::Invalid(v)) => {
            let msg = v.0.iter().map(|e| e.msg.get(ctx.lang).to_string()).collect::<Vec<_>>().join("；");
            lead_page(state, ctx, user, id, Some(msg)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct ActForm {
    action: String,
    #[serde(default)]
    disposal: String,
    #[serde(default)]
    finding: String,
    #[serde(default)]
    reason: String,
}

/// `POST /leads/items/{id}/act`: one step of the lifecycle table.
pub async fn act(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ActForm>) -> AppResult<Response> {
    let x = visible_lead(&state, &user, id, Action::ViewLeads).await?;
    let scope = x.scope()?;
    let actor = LeadActor { id: user.account.id, handler: user.can(Action::ManageLeads, &scope), approver: user.can(Action::ApproveDisposal, &scope) };
    if !actor.handler && !actor.approver {
        return Err(forbidden());
    }
    let Some(action) = LeadAction::parse(&f.action) else {
        return lead_page(&state, &ctx, &user, id, Some(crate::i18n::T(ctx.lang).s("leads.unknown_action").into_owned())).await;
    };
    let step = Step {
        action,
        actor,
        disposal: Disposal::parse(f.disposal.trim()),
        finding: Finding::parse(f.finding.trim()),
        reason: Some(f.reason.as_str()),
    };
    let env = Env::of(&state);
    let r = state.store.leads().act(&user.who(), id, &step, &env.get()).await;
    answered(&state, &ctx, &user, id, r).await
}

#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    post: String,
    #[serde(default)]
    level: String,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    party_member: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    holds_party_post: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    public_official: bool,
}

/// `POST /leads/items/{id}/people`: a person the lead concerns.
pub async fn add_person(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<PersonForm>) -> AppResult<Response> {
    visible_lead(&state, &user, id, Action::ManageLeads).await?;
    let p = NewPerson {
        person_id: None,
        name: &f.name,
        post: Some(f.post.as_str()),
        level: PersonLevel::parse(&f.level).unwrap_or(PersonLevel::Other),
        facts: PersonFacts { party_member: f.party_member, holds_party_post: f.holds_party_post, public_official: f.public_official },
    };
    let r = state.store.leads().add_person(&user.who(), id, &p).await;
    answered(&state, &ctx, &user, id, r).await
}

/// `POST /leads/people/{id}/outcome`: measures (repeated `measure`),
/// `party`, `probation_months`, `admin`, and the declared `form` (optional).
pub async fn outcome(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = state.store.leads().person(id).await?;
    visible_lead(&state, &user, p.lead_id, Action::ManageLeads).await?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
    let mut o = PersonOutcome {
        measures: pairs.iter().filter(|(k, _)| k == "measure").filter_map(|(_, v)| Measure::parse(v.trim())).collect(),
        party: get("party").and_then(PartySanction::parse),
        probation_months: get("probation_months").and_then(|v| v.parse().ok()),
        admin: get("admin").and_then(AdminSanction::parse),
    };
    o.measures.dedup();
    let declared = get("form").and_then(Shape::parse);
    let env = Env::of(&state);
    let r = state.store.leads().decide_outcome(&user.who(), id, &o, declared, &env.get()).await;
    answered(&state, &ctx, &user, p.lead_id, r).await
}

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
fn quarter(p: &str) -> Option<(Date, Date)> {
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
