//! Problem pages: the list (filtered, sorted, paged — every board figure
//! links here), one problem with its lifecycle actions, measures and evidence.

use super::{clip, visible_problem};
use super::ops::{self, MeasureView, measure_access, workable_measure};
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, Sorting, form_uuid, urlencode};
use crate::i18n::T;
use crate::layout::{Layout, done, form_page, page};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Response};
use qingfeng_domain::access::Action;
use qingfeng_domain::page::{Dir, Page, PageRequest};
use qingfeng_domain::rectify::evidence::check_file;
use qingfeng_domain::rectify::input::{EvidenceInput, ExtensionInput, MeasureInput};
use qingfeng_domain::rectify::lifecycle::ProblemAction;
use qingfeng_domain::rectify::{ProblemStatus, RootCause, Source, Warning};
use qingfeng_store::org::OrgUnit;
use qingfeng_store::rectify::{
    Closure, Escalation, Evidence, EvidenceFile, Extension, Measure, Problem, ProblemFilter, ProblemSort, Step,
};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    pub unit: String,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    pub only: bool,
    #[serde(default)]
    pub batch: String,
    #[serde(default)]
    pub status: String,
    #[serde(default)]
    pub warning: String,
    #[serde(default)]
    pub source: String,
    #[serde(default)]
    pub root_cause: String,
    #[serde(default)]
    pub campaign: String,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    pub open: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    pub relapsed: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    pub paper: bool,
    #[serde(default)]
    pub q: String,
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u32>,
}

impl ListQuery {
    /// The query string of the filters (without sort and page).
    fn filters(&self) -> String {
        let flag = |b: bool| if b { "1" } else { "" };
        format!(
            "unit={}&only={}&batch={}&status={}&warning={}&source={}&root_cause={}&campaign={}&open={}&relapsed={}&paper={}&q={}",
            urlencode(&self.unit),
            flag(self.only),
            urlencode(&self.batch),
            urlencode(&self.status),
            urlencode(&self.warning),
            urlencode(&self.source),
            urlencode(&self.root_cause),
            urlencode(&self.campaign),
            flag(self.open),
            flag(self.relapsed),
            flag(self.paper),
            urlencode(&self.q)
        )
    }
}

/// Resolves the list filters, checking the unit against the user's scope.
pub async fn filter_of(state: &AppState, user: &User, q: &ListQuery) -> AppResult<(ProblemFilter, Option<OrgUnit>)> {
    let unit = match form_uuid(&q.unit)? {
        Some(id) => Some(crate::org::visible_unit(state, user, id, Action::ViewRectify).await?),
        None => None,
    };
    let f = ProblemFilter {
        within: unit.as_ref().filter(|_| !q.only).map(|u| u.path.clone()),
        unit: unit.as_ref().filter(|_| q.only).map(|u| u.id),
        batch: form_uuid(&q.batch)?,
        status: Some(q.status.clone()).filter(|s| ProblemStatus::parse(s).is_some()),
        open_only: q.open,
        warning: Some(q.warning.clone()).filter(|s| Warning::parse(s).is_some()),
        source: Some(q.source.clone()).filter(|s| Source::parse(s).is_some()),
        root_cause: Some(q.root_cause.clone()).filter(|s| RootCause::parse(s).is_some()),
        campaign: form_uuid(&q.campaign)?,
        relapsed: q.relapsed,
        paper: q.paper,
        lookback_due_by: None,
        q: Some(q.q.clone()),
        sort: ProblemSort::parse(q.sort.as_deref()),
        dir: Dir::parse(q.dir.as_deref()),
    };
    Ok((f, unit))
}

#[derive(Template)]
#[template(path = "rectify/list.html")]
struct ListPage {
    l: Layout,
    q: ListQuery,
    unit: Option<OrgUnit>,
    page: Page<Problem>,
    sorting: Sorting,
    statuses: &'static [ProblemStatus],
    warnings: &'static [Warning],
    sources: &'static [Source],
    root_causes: &'static [RootCause],
}

impl ListPage {
    /// The same list as an .xlsx file.
    fn export_link(&self) -> String {
        format!("/rectify/problems.xlsx?{}", self.sorting.query())
    }
}

pub async fn index(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let (result, filter, unit) = ops::list_problems(&state, &user, &q, PageRequest::new(q.page, None)).await?;
    let t = T(ctx.lang);
    let title = match &unit {
        Some(u) => format!("{} · {}", t.s("rectify.problems"), u.short_name.as_deref().unwrap_or(&u.name)),
        None => t.s("rectify.problems").into_owned(),
    };
    page(&ListPage {
        l: Layout::new(&state, &ctx, "rectify", title),
        sorting: Sorting { path: "/rectify/problems", filters: q.filters(), sort: filter.sort.as_str(), dir: filter.dir },
        q,
        unit,
        page: result,
        statuses: ProblemStatus::ALL,
        warnings: &[Warning::Red, Warning::Yellow, Warning::Green],
        sources: Source::ALL,
        root_causes: RootCause::ALL,
    })
}

#[derive(Template)]
#[template(path = "rectify/show.html")]
struct ShowPage {
    l: Layout,
    p: Problem,
    actions: Vec<ProblemAction>,
    measures: Vec<MeasureView>,
    steps: Vec<Step>,
    closures: Vec<Closure>,
    extensions: Vec<Extension>,
    escalations: Vec<Escalation>,
    public: super::public::Panel,
    can_work: bool,
    can_review: bool,
    error: Option<String>,
    errors: FormErrors,
    mf: MeasureForm,
    xf: ExtensionForm,
    today: String,
}

impl ShowPage {
    fn status_label(&self, s: &str) -> String {
        ProblemStatus::parse(s).map(|s| self.l.t.m(s.label())).unwrap_or_default()
    }
    fn action_label(&self, a: &str) -> String {
        let t = &self.l.t;
        match a {
            "create" => t.s("rectify.step_create").into_owned(),
            "extend" => t.s("rectify.step_extend").into_owned(),
            "lookback_confirm" => t.s("rectify.step_lookback_confirm").into_owned(),
            other => [
                ProblemAction::Claim,
                ProblemAction::RequestClosure,
                ProblemAction::Return,
                ProblemAction::Close,
                ProblemAction::Relapse,
                ProblemAction::FailSpotCheck,
            ]
            .into_iter()
            .find(|x| x.as_str() == other)
            .map(|x| t.m(x.label()))
            .unwrap_or_else(|| other.to_string()),
        }
    }
    fn needs_comment(&self, a: &ProblemAction) -> bool {
        ops::needs_comment(*a)
    }
    fn lookback_due_now(&self) -> bool {
        self.p.lookback_due.as_deref().is_some_and(|d| d <= self.today.as_str())
    }
    fn pending_extension(&self) -> Option<&Extension> {
        self.extensions.iter().find(|x| x.status == "pending")
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct MeasureForm {
    #[serde(default)]
    pub title: String,
    #[serde(default)]
    pub due_on: String,
}

#[derive(Deserialize, Default, Clone)]
pub struct ExtensionForm {
    #[serde(default)]
    pub new_deadline: String,
    #[serde(default)]
    pub reason: String,
}

#[allow(clippy::too_many_arguments)]
pub(super) async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: uuid::Uuid,
    error: Option<String>,
    errors: FormErrors,
    mf: MeasureForm,
    xf: ExtensionForm,
) -> AppResult<Response> {
    let d = ops::problem_detail(state, user, id).await?;
    let can_work = d.can_work();
    let p = d.p;
    let invalid = error.is_some() || errors.any();
    form_page(&ShowPage {
        l: Layout::new(state, ctx, "rectify", format!("{} {}", p.code(), clip(&p.description, 20))),
        actions: d.actions,
        measures: d.measures,
        steps: d.steps,
        closures: d.closures,
        extensions: d.extensions,
        escalations: d.escalations,
        public: super::public::Panel::of(state, &p, d.cap).await?,
        can_work,
        can_review: d.cap.issuer,
        error,
        errors,
        mf: if mf.due_on.is_empty() { MeasureForm { due_on: p.deadline.clone(), ..mf } } else { mf },
        xf,
        today: super::today().to_string(),
        p,
    }, invalid)
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    show_page(&state, &ctx, &user, id, None, FormErrors::default(), MeasureForm::default(), ExtensionForm::default()).await
}

#[derive(Deserialize)]
pub struct ActForm {
    action: String,
    #[serde(default)]
    comment: String,
}

/// Performs a lifecycle action; a refusal is shown on the problem's page with the reason.
pub async fn act(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ActForm>) -> AppResult<Response> {
    let action = ops::parse_action(&f.action)?;
    match ops::act(&state, &user, id, action, Some(f.comment.as_str())).await {
        Ok(_) => Ok(done(&state, &format!("/rectify/problems/{id}"), "flash.saved")),
        Err(AppError::Refused(r)) => {
            show_page(&state, &ctx, &user, id, Some(r.msg.get(ctx.lang).to_string()), FormErrors::default(), MeasureForm::default(), ExtensionForm::default()).await
        }
        Err(e) => Err(e),
    }
}

pub async fn add_measure(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<MeasureForm>) -> AppResult<Response> {
    let input = MeasureInput { title: f.title.clone(), owner_id: None, due_on: f.due_on.clone() };
    match ops::add_measure(&state, &user, id, &input).await {
        Ok(m) => Ok(done(&state, &format!("/rectify/measures/{}", m.id), "flash.measure_added")),
        Err(AppError::Invalid(v)) => show_page(&state, &ctx, &user, id, None, FormErrors::from(&v, ctx.lang), f, ExtensionForm::default()).await,
        Err(AppError::Refused(r)) => show_page(&state, &ctx, &user, id, Some(r.msg.get(ctx.lang).to_string()), FormErrors::default(), f, ExtensionForm::default()).await,
        Err(e) => Err(e),
    }
}

pub async fn request_extension(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ExtensionForm>) -> AppResult<Response> {
    let input = ExtensionInput { new_deadline: f.new_deadline.clone(), reason: f.reason.clone() };
    match ops::request_extension(&state, &user, id, &input).await {
        Ok(_) => Ok(done(&state, &format!("/rectify/problems/{id}"), "flash.saved")),
        Err(AppError::Invalid(v)) => show_page(&state, &ctx, &user, id, None, FormErrors::from(&v, ctx.lang), MeasureForm::default(), f).await,
        Err(AppError::Refused(r)) => show_page(&state, &ctx, &user, id, Some(r.msg.get(ctx.lang).to_string()), FormErrors::default(), MeasureForm::default(), f).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: String,
    #[serde(default)]
    comment: String,
}

pub async fn decide_extension(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<DecideForm>) -> AppResult<Response> {
    match ops::decide_extension(&state, &user, id, f.decision == "approve", &f.comment).await {
        Ok(x) => Ok(done(&state, &format!("/rectify/problems/{}", x.problem_id), "flash.saved")),
        Err(AppError::Refused(r)) => show_page(&state, &ctx, &user, state.store.rectify().extension(id).await?.problem_id, Some(r.msg.get(ctx.lang).to_string()), FormErrors::default(), MeasureForm::default(), ExtensionForm::default()).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(default)]
    comment: String,
}

pub async fn confirm_lookback(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<CommentForm>) -> AppResult<Response> {
    visible_problem(&state, &user, id, Action::ReviewRectify).await?;
    let who = user.who();
    let comment = Some(f.comment.as_str()).filter(|c| !c.trim().is_empty());
    match state.store.rectify().confirm_lookback(&who, &super::reckon(&state).env(), id, comment).await.map_err(AppError::from) {
        Ok(()) => Ok(done(&state, &format!("/rectify/problems/{id}"), "flash.saved")),
        Err(AppError::Refused(r)) => show_page(&state, &ctx, &user, id, Some(r.msg.get(ctx.lang).to_string()), FormErrors::default(), MeasureForm::default(), ExtensionForm::default()).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "rectify/measure.html")]
struct MeasurePage {
    l: Layout,
    measure: Measure,
    problems: Vec<Problem>,
    evidence: Vec<Evidence>,
    can_work: bool,
    error: Option<String>,
    errors: FormErrors,
    note: String,
    dated_on: String,
}

#[allow(clippy::too_many_arguments)]
async fn measure_page(state: &AppState, ctx: &Ctx, user: &User, id: uuid::Uuid, error: Option<String>, errors: FormErrors, note: String, dated_on: String) -> AppResult<Response> {
    let r = state.store.rectify();
    let access = measure_access(state, user, id).await?;
    let m = r.measure(id).await?;
    let can_work = access.manage && access.problems.iter().all(|p| p.status() == ProblemStatus::InProgress);
    let problems = access.problems;
    let invalid = error.is_some() || errors.any();
    form_page(&MeasurePage {
        l: Layout::new(state, ctx, "rectify", clip(&m.title, 24)),
        evidence: r.evidence_of(id).await?,
        measure: m,
        problems,
        can_work,
        error,
        errors,
        note,
        dated_on: if dated_on.is_empty() { super::today().to_string() } else { dated_on },
    }, invalid)
}

pub async fn measure(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    measure_page(&state, &ctx, &user, id, None, FormErrors::default(), String::new(), String::new()).await
}

pub async fn complete_measure(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    match ops::complete_measure(&state, &user, id).await {
        Ok(_) => Ok(done(&state, &format!("/rectify/measures/{id}"), "flash.saved")),
        Err(AppError::Refused(r)) => measure_page(&state, &ctx, &user, id, Some(r.msg.get(ctx.lang).to_string()), FormErrors::default(), String::new(), String::new()).await,
        Err(e) => Err(e),
    }
}

/// Largest upload body: one evidence file plus the form fields.
pub const MAX_UPLOAD_BYTES: usize = 21 * 1024 * 1024;

/// Evidence upload (multipart): a file and/or a note, with the date it refers to.
pub async fn add_evidence(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, mut mp: Multipart) -> AppResult<Response> {
    workable_measure(&state, &user, id).await?;
    let (mut note, mut dated_on) = (String::new(), String::new());
    let mut file: Option<(String, String, Vec<u8>)> = None;
    let bad = |_| AppError::bad_request("bad_multipart", "上传内容无法解析", "the upload could not be read");
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        match field.name().unwrap_or_default() {
            "note" => note = field.text().await.map_err(bad)?,
            "dated_on" => dated_on = field.text().await.map_err(bad)?,
            "file" => {
                let name = field.file_name().unwrap_or_default().to_string();
                let ct = field.content_type().unwrap_or("application/octet-stream").to_string();
                let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
                if !name.is_empty() || !bytes.is_empty() {
                    file = Some((name, ct, bytes.to_vec()));
                }
            }
            _ => {}
        }
    }
    let input = EvidenceInput { note: note.clone(), dated_on: dated_on.clone() };
    let (clean_note, date) = match input.validate(file.is_some(), super::today()) {
        Ok(x) => x,
        Err(v) => return measure_page(&state, &ctx, &user, id, None, FormErrors::from(&v, ctx.lang), note, dated_on).await,
    };
    let kind = match &file {
        Some((name, _, bytes)) => match check_file(name, bytes, state.config.rules.rectify.evidence_max_bytes) {
            Ok(k) => Some(k),
            Err(msg) => {
                let errors = FormErrors(vec![("file".into(), msg.get(ctx.lang).to_string())]);
                return measure_page(&state, &ctx, &user, id, None, errors, note, dated_on).await;
            }
        },
        None => None,
    };
    let ef = file.as_ref().zip(kind).map(|((name, _, bytes), k)| EvidenceFile { name, content_type: k.content_type(name), bytes });
    match state.store.rectify().add_evidence(&user.who(), id, clean_note.as_deref(), ef, date, None).await {
        Ok(_) => Ok(done(&state, &format!("/rectify/measures/{id}"), "flash.evidence_added")),
        Err(qingfeng_store::StoreError::Refused(r)) => measure_page(&state, &ctx, &user, id, Some(r.msg.get(ctx.lang).to_string()), FormErrors::default(), note, dated_on).await,
        Err(e) => Err(e.into()),
    }
}

/// Downloads an evidence file (scoped like its measure).
pub async fn evidence_file(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    let r = state.store.rectify();
    let e = r.evidence(id).await?;
    measure_access(&state, &user, e.measure_id).await?;
    let sha = e.sha256.clone().ok_or(AppError::NotFound)?;
    let bytes = r.evidence_bytes(&sha).await?;
    let name = e.file_name.clone().unwrap_or_else(|| "evidence".into());
    let ct = e.content_type.clone().unwrap_or_else(|| "application/octet-stream".into());
    let disposition = format!("attachment; filename*=UTF-8''{}", urlencode(&name));
    Ok((
        [
            (header::CONTENT_TYPE, ct),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_string()),
        ],
        bytes,
    )
        .into_response())
}

