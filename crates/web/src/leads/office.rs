//! The 信访举报 office: the register of reports in scope, a report's page
//! with its near-duplicates (similarity shown), 受理 with the handling unit,
//! 重复件 links, messages to the reporter, and identity releases (asked with
//! a reason, decided by a second person, read once).

use super::public::{Choices, Intake, intake, no_store, read_form};
use super::{similar, visible_report};
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, form_uuid};
use crate::layout::{Layout, done, form_page, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::leads::report::Category;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_seal::{ReporterIdentity, Sealed};
use qingfeng_store::leads::{Release, Report, ReportFile, ReportMessage};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: Option<String>,
    #[serde(default)]
    q: Option<String>,
    #[serde(default)]
    page: Option<u32>,
}

/// A full-text hit: (link, title, date and number, snippet HTML escaped and highlighted, is a lead).
type SearchHit = (String, String, String, String, bool);

#[derive(Template)]
#[template(path = "leads/list.html")]
struct ListPage {
    l: Layout,
    reports: Page<Report>,
    status: String,
    today: String,
    q: String,
    /// Full-text hits when searching.
    hits: Option<Vec<SearchHit>>,
}

impl ListPage {
    fn kind(&self, r: &Report) -> String {
        self.l.t.m(r.kind().label())
    }
    fn status_label(&self, r: &Report) -> String {
        self.l.t.s(format!("leads.status_{}", r.status)).into_owned()
    }
    fn base(&self) -> String {
        format!("/leads?status={}&q={}", self.status, crate::form::urlencode(&self.q))
    }
    fn status_name(&self, s: &str) -> String {
        self.l.t.s(format!("leads.status_{s}")).into_owned()
    }
    fn late(&self, r: &Report) -> bool {
        r.status == "received" && r.accept_due < self.today
    }
}

/// `GET /leads`: the register of reports received or handled in scope.
pub async fn index(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewLeads);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let status = q.status.clone().filter(|s| matches!(s.as_str(), "received" | "accepted" | "duplicate")).unwrap_or_default();
    let reports = state.store.leads().list(&scopes, Some(&status), PageRequest::new(q.page, Some(30))).await?;
    let text = q.q.as_deref().map(str::trim).unwrap_or("").to_string();
    let hits = if text.is_empty() {
        None
    } else {
        use super::search::Found;
        let found = super::search::search(&state, &user, &text, 50).await?;
        Some(
            found
                .into_iter()
                .map(|f| match f {
                    Found::Report(r, h) => {
                        let meta = format!("{}{}", r.received_on, r.reg_no.as_deref().map(|n| format!(" · {n}")).unwrap_or_default());
                        (format!("/leads/reports/{}", r.id), r.title, meta, h.snippet.to_html(), false)
                    }
                    Found::Lead(l, h) => (format!("/leads/items/{}", l.id), format!("{} {}", l.lead_no, l.subject_name), l.received_on.clone(), h.snippet.to_html(), true),
                })
                .collect(),
        )
    };
    page(&ListPage {
        l: Layout::new(&state, &ctx, "leads", crate::i18n::T(ctx.lang).s("leads.register").into_owned()),
        reports,
        status,
        today: crate::rectify::today().to_string(),
        q: text,
        hits,
    })
}

#[derive(Template)]
#[template(path = "leads/report.html")]
struct ReportPage {
    l: Layout,
    r: Report,
    files: Vec<ReportFile>,
    messages: Vec<ReportMessage>,
    releases: Vec<Release>,
    similar: Vec<(Report, u8)>,
    duplicates: Vec<Report>,
    units: Vec<crate::org::UnitOption>,
    can_register: bool,
    can_release: bool,
    me: Option<Uuid>,
    identity: Option<ReporterIdentity>,
    error: Option<String>,
    /// The lead registered from this report, and whether the user may register one.
    lead: Option<qingfeng_store::leads::Lead>,
    can_lead: bool,
    /// 分级负责: the handling unit the reported person's level points to, and why.
    suggested: Option<Uuid>,
    route_hint: Option<String>,
}

impl ReportPage {
    fn kind(&self) -> String {
        self.l.t.m(self.r.kind().label())
    }
    fn channel(&self) -> String {
        self.l.t.m(self.r.channel().label())
    }
    fn category(&self) -> String {
        self.r.category().map(|c| self.l.t.m(c.label())).unwrap_or_default()
    }
    fn categories(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<Category>()
    }
    fn status_label(&self) -> String {
        self.l.t.s(format!("leads.status_{}", self.r.status)).into_owned()
    }
    fn is_suggested(&self, id: &Uuid) -> bool {
        self.suggested == Some(*id)
    }
    fn mine(&self, rel: &Release) -> bool {
        self.me == Some(rel.requested_by)
    }
    fn release_status(&self, rel: &Release) -> String {
        self.l.t.s(format!("leads.release_{}", rel.status)).into_owned()
    }
}

#[allow(clippy::too_many_arguments)]
async fn show_page(state: &AppState, ctx: &Ctx, user: &User, id: Uuid, identity: Option<ReporterIdentity>, error: Option<String>) -> AppResult<Response> {
    let r = visible_report(state, user, id, Action::ViewLeads).await?;
    let l = state.store.leads();
    let intake = r.intake_scope()?;
    let can_register = user.can(Action::RegisterReport, &intake);
    let units = if can_register && r.status == "received" { crate::org::unit_options(state, user, Action::ViewLeads).await? } else { Vec::new() };
    let similar = if r.status == "received" { similar(state, user, &r).await? } else { Vec::new() };
    let (suggested, route_hint) = if can_register && r.status == "received" { suggest(state, ctx, &r, &units) } else { (None, None) };
    let invalid = error.is_some();
    let showing = identity.is_some();
    let p = ReportPage {
        l: Layout::new(state, ctx, "leads", r.title.clone()),
        files: l.files(id).await?,
        messages: l.messages(id).await?,
        releases: l.releases(id).await?,
        duplicates: l.duplicates_of(id).await?,
        similar,
        units,
        can_register,
        can_release: user.can(Action::ReleaseIdentity, &intake),
        me: Some(user.account.id),
        identity,
        error,
        suggested,
        route_hint,
        lead: l.lead_of_report(id).await?,
        can_lead: r.handling_scope()?.is_some_and(|h| user.can(Action::ManageLeads, &h)),
        r,
    };
    let res = form_page(&p, invalid)?;
    Ok(if showing { no_store(res) } else { res })
}

/// 分级负责 (`domain::leads::report::route`): handled by the receiving
/// office, or sent down to the county 纪委 named in the reported unit
/// (丰林县… → 丰林县纪委监委), or sent up; the registrar still chooses.
fn suggest(state: &AppState, ctx: &Ctx, r: &Report, units: &[crate::org::UnitOption]) -> (Option<Uuid>, Option<String>) {
    use qingfeng_domain::leads::report::{AdminLevel, PersonLevel, Route, route};
    let Some(level) = r.reported_level.as_deref().and_then(PersonLevel::parse) else { return (None, None) };
    let rules = &state.config.rules.leads;
    let t = crate::i18n::T(ctx.lang);
    let level_name = t.m(level.label());
    match route(level, rules.intake_level, false, rules) {
        Route::HandleHere => (Some(r.intake_unit_id), Some(format!("{}{level_name}{}", t.s("leads.route_prefix"), t.s("leads.route_here")))),
        Route::SendUp { to } => (None, Some(format!("{}{level_name}{}{}{}", t.s("leads.route_prefix"), t.s("leads.route_up"), t.m(to.label()), t.s("leads.route_suffix")))),
        Route::SendDown { to } => {
            let named = r.reported_unit.as_deref().unwrap_or("");
            let unit = units.iter().filter(|u| u.kind == qingfeng_domain::org::OrgKind::DisciplineCommission).find(|u| {
                let county = u.name.trim_start_matches("中共").split("纪律检查委员会").next().unwrap_or("");
                county.chars().count() >= 2 && named.contains(county)
            });
            let to_name = if to == AdminLevel::Township { t.m(AdminLevel::County.label()) } else { t.m(to.label()) };
            (unit.map(|u| u.id), Some(format!("{}{level_name}{}{to_name}{}", t.s("leads.route_prefix"), t.s("leads.route_down"), t.s("leads.route_suffix"))))
        }
    }
}

/// `GET /leads/reports/{id}`.
pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    show_page(&state, &ctx, &user, id, None, None).await
}

pub(crate) async fn refused<T>(state: &AppState, ctx: &Ctx, user: &User, id: Uuid, r: Result<T, qingfeng_store::StoreError>, flash: &'static str) -> AppResult<Response> {
    match r.map_err(AppError::from) {
        Ok(_) => Ok(done(state, &format!("/leads/reports/{id}"), flash)),
        Err(AppError::Refused(x)) => show_page(state, ctx, user, id, None, Some(x.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct AcceptForm {
    #[serde(default)]
    handling_unit_id: String,
    #[serde(default)]
    category: String,
}

/// `POST /leads/reports/{id}/accept`: 受理, with the unit that handles it.
pub async fn accept(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<AcceptForm>) -> AppResult<Response> {
    visible_report(&state, &user, id, Action::RegisterReport).await?;
    let Some(unit) = form_uuid(&f.handling_unit_id)? else {
        return show_page(&state, &ctx, &user, id, None, Some(crate::i18n::T(ctx.lang).s("leads.choose_unit").into_owned())).await;
    };
    crate::org::visible_unit(&state, &user, unit, Action::ViewLeads).await?;
    let Some(cat) = Category::parse(f.category.trim()) else {
        return show_page(&state, &ctx, &user, id, None, Some(crate::i18n::T(ctx.lang).s("leads.choose_category").into_owned())).await;
    };
    let r = state.store.leads().accept(&user.who(), id, unit, cat.as_str(), crate::rectify::today()).await;
    if let Ok(stored) = &r {
        super::search::index_report(&state, stored).await?;
    }
    refused(&state, &ctx, &user, id, r, "flash.saved").await
}

#[derive(Deserialize)]
pub struct DuplicateForm {
    of: Uuid,
    #[serde(default)]
    similarity: i64,
}

/// `POST /leads/reports/{id}/duplicate`: a 重复件 of a report the user sees.
pub async fn duplicate(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<DuplicateForm>) -> AppResult<Response> {
    visible_report(&state, &user, id, Action::RegisterReport).await?;
    visible_report(&state, &user, f.of, Action::ViewLeads).await?;
    let r = state.store.leads().mark_duplicate(&user.who(), id, f.of, f.similarity).await;
    if let Ok(stored) = &r {
        super::search::index_report(&state, stored).await?;
    }
    refused(&state, &ctx, &user, id, r, "flash.saved").await
}

#[derive(Deserialize)]
pub struct TextForm {
    #[serde(default)]
    text: String,
}

/// `POST /leads/reports/{id}/message`: a reply the reporter reads with the code.
pub async fn message(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<TextForm>) -> AppResult<Response> {
    visible_report(&state, &user, id, Action::RegisterReport).await?;
    let body = f.text.trim();
    if body.is_empty() || body.chars().count() > 2000 {
        return show_page(&state, &ctx, &user, id, None, Some(crate::i18n::T(ctx.lang).s("report.message_length").into_owned())).await;
    }
    let r = state.store.leads().add_message(&user.who(), id, "office", body).await;
    refused(&state, &ctx, &user, id, r, "flash.saved").await
}

/// `POST /leads/reports/{id}/release`: ask to see the identity, with a reason.
pub async fn request_release(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<TextForm>) -> AppResult<Response> {
    visible_report(&state, &user, id, Action::RegisterReport).await?;
    let r = state.store.leads().request_release(&user.who(), id, &f.text).await;
    refused(&state, &ctx, &user, id, r, "flash.saved").await
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: String,
    #[serde(default)]
    comment: String,
}

/// `POST /leads/releases/{id}/decide`: the second person approves or refuses.
pub async fn decide_release(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<DecideForm>) -> AppResult<Response> {
    let rel = state.store.leads().release(id).await?;
    visible_report(&state, &user, rel.report_id, Action::ReleaseIdentity).await?;
    let r = state.store.leads().decide_release(&user.who(), id, f.decision == "approve", Some(f.comment.as_str())).await;
    refused(&state, &ctx, &user, rel.report_id, r, "flash.saved").await
}

/// `POST /leads/releases/{id}/read`: the identity, once, to the one who asked.
pub async fn read_release(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    let rel = state.store.leads().release(id).await?;
    visible_report(&state, &user, rel.report_id, Action::RegisterReport).await?;
    let Some(keys) = state.config.seal.clone() else {
        return show_page(&state, &ctx, &user, rel.report_id, None, Some(crate::i18n::T(ctx.lang).s("report.no_seal").into_owned())).await;
    };
    match state.store.leads().read_release(&user.who(), id).await.map_err(AppError::from) {
        Ok((report, sealed)) => {
            let sealed = Sealed::parse(&sealed).map_err(|_| AppError::Internal("sealed identity".into()))?;
            let ident = ReporterIdentity::open(&keys, &sealed, report.as_bytes()).map_err(|_| AppError::Internal("sealed identity".into()))?;
            show_page(&state, &ctx, &user, report, Some(ident), None).await
        }
        Err(AppError::Refused(x)) => show_page(&state, &ctx, &user, rel.report_id, None, Some(x.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "leads/report_new.html")]
struct NewPage {
    l: Layout,
    f: qingfeng_domain::leads::intake::ReportInput,
    errors: crate::form::FormErrors,
    note: Option<String>,
    sealing: bool,
    staff: bool,
    /// After filing: the report and the code to hand to the caller.
    filed: Option<(Uuid, String)>,
}

impl NewPage {
    fn channels(&self) -> Vec<(&'static str, String)> {
        Choices::channels(&self.l.t)
    }
    fn kinds(&self) -> Vec<(&'static str, String)> {
        Choices::kinds(&self.l.t)
    }
    fn categories(&self) -> Vec<(&'static str, String)> {
        Choices::categories(&self.l.t)
    }
    fn levels(&self) -> Vec<(&'static str, String)> {
        Choices::levels(&self.l.t)
    }
}

fn new_page(state: &AppState, ctx: &Ctx, f: qingfeng_domain::leads::intake::ReportInput, errors: crate::form::FormErrors, note: Option<String>, filed: Option<(Uuid, String)>) -> AppResult<Response> {
    let invalid = errors.any() || note.is_some();
    let l = Layout::new(state, ctx, "leads", crate::i18n::T(ctx.lang).s("leads.register_new").into_owned());
    form_page(&NewPage { l, f, errors, note, sealing: state.config.seal.is_some(), staff: true, filed }, invalid).map(no_store)
}

/// `GET /leads/reports/new`: staff register a 来信/来访/来电 on the caller's behalf.
pub async fn new_form(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::RegisterReport) {
        return Err(AppError::NotFound);
    }
    let f = qingfeng_domain::leads::intake::ReportInput { kind: "accusation".into(), channel: "letter".into(), category: "integrity".into(), ..Default::default() };
    new_page(&state, &ctx, f, crate::form::FormErrors::default(), None, None)
}

/// `POST /leads/reports/new` (multipart): recorded as registered by this staff member.
pub async fn new_submit(State(state): State<AppState>, ctx: Ctx, user: User, mp: axum::extract::Multipart) -> AppResult<Response> {
    let intake_unit = super::intake_unit(&state).await?;
    let path = state.store.orgs().get(intake_unit).await?.path;
    user.authorize(Action::RegisterReport, &path)?;
    let (f, files) = read_form(mp).await?;
    match intake(&state, ctx.lang, &user.who(), f, files, true).await? {
        Intake::Filed { id, code, .. } => new_page(&state, &ctx, Default::default(), crate::form::FormErrors::default(), None, Some((id, code.grouped()))),
        Intake::Invalid(errors, f) => new_page(&state, &ctx, f, errors, None, None),
        Intake::Note(note, f) => new_page(&state, &ctx, f, crate::form::FormErrors::default(), Some(note), None),
    }
}
