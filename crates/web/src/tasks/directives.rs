//! Directives: the list, a new one from an uploaded or pasted speech or
//! document, and its page — the draft editor before issue, the task tree after.

use super::{drafts_from_outline, reckon, visible_directive};
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid};
use crate::layout::{Layout, done, form_page, page};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_domain::tasks::DirectiveKind;
use qingfeng_domain::tasks::directive::DirectiveInput;
use qingfeng_domain::tasks::rollup;
use qingfeng_domain::rectify::RootCause;
use qingfeng_store::tasks::{Directive, ProblemsToBatch, Task};
use uuid::Uuid;
use serde::Deserialize;

pub use super::draft::{draft_submit, issue_submit};

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "tasks/index.html")]
struct IndexPage {
    l: Layout,
    directives: Page<Directive>,
    can_issue: bool,
}

impl IndexPage {
    fn kind(&self, d: &Directive) -> String {
        self.l.t.m(d.kind().label())
    }
    fn status(&self, d: &Directive) -> String {
        self.l.t.m(d.status().label())
    }
}

/// `GET /tasks`: the directives in scope, newest first.
pub async fn index(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewTasks);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let directives = state.store.tasks().directives(&scopes, PageRequest::new(q.page, Some(20))).await?;
    page(&IndexPage {
        l: Layout::new(&state, &ctx, "tasks", crate::i18n::T(ctx.lang).s("tasks.directives").into_owned()),
        directives,
        can_issue: user.actor.can_anywhere(Action::IssueTasks),
    })
}

#[derive(Template)]
#[template(path = "tasks/directive_form.html")]
struct NewForm {
    l: Layout,
    units: Vec<crate::org::UnitOption>,
    f: DirectiveInput,
    errors: FormErrors,
    file_note: Option<String>,
}

impl NewForm {
    fn kinds(&self) -> Vec<(&'static str, String)> {
        DirectiveKind::ALL.iter().map(|k| (k.as_str(), self.l.t.m(k.label()))).collect()
    }
    fn is_unit(&self, id: &uuid::Uuid) -> bool {
        self.f.issuing_unit_id == Some(*id)
    }
    fn is_kind(&self, code: &str) -> bool {
        DirectiveKind::from_label(&self.f.kind).is_some_and(|k| k.as_str() == code)
    }
}

async fn render_new(state: &AppState, ctx: &Ctx, user: &User, f: DirectiveInput, errors: FormErrors, file_note: Option<String>) -> AppResult<Response> {
    let invalid = errors.any() || file_note.is_some();
    form_page(
        &NewForm {
            l: Layout::new(state, ctx, "tasks", crate::i18n::T(ctx.lang).s("tasks.new_directive").into_owned()),
            units: crate::org::unit_options(state, user, Action::IssueTasks).await?,
            f,
            errors,
            file_note,
        },
        invalid,
    )
}

/// `GET /tasks/directives/new`.
pub async fn new_form(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::IssueTasks) {
        return Err(AppError::NotFound);
    }
    let first = crate::org::first_scope_unit(&state, &user, Action::IssueTasks).await.ok();
    let f = DirectiveInput { kind: "speech".into(), issuing_unit_id: first, issued_on: super::today().to_string(), ..Default::default() };
    render_new(&state, &ctx, &user, f, FormErrors::default(), None).await
}

/// Largest speech or document accepted (the text crate's own limit applies too).
pub const MAX_SOURCE_BYTES: usize = 10 * 1024 * 1024;

/// `POST /tasks/directives/new` (multipart): the fields and, optionally, a
/// .txt or .docx file whose text replaces an empty text box. The outline is
/// read from the text and its requirement items become the draft.
pub async fn new_submit(State(state): State<AppState>, ctx: Ctx, user: User, mut mp: Multipart) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::IssueTasks) {
        return Err(AppError::NotFound);
    }
    let bad = |_| AppError::bad_request("bad_multipart", "上传内容无法解析", "the upload could not be read");
    let mut f = DirectiveInput::default();
    let mut file: Option<(String, Vec<u8>)> = None;
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let fname = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
            if bytes.len() > MAX_SOURCE_BYTES {
                return Err(AppError::TooLarge);
            }
            if !fname.is_empty() || !bytes.is_empty() {
                file = Some((fname, bytes.to_vec()));
            }
            continue;
        }
        let v = field.text().await.map_err(bad)?;
        match name.as_str() {
            "kind" => f.kind = v,
            "title" => f.title = v,
            "reference" => f.reference = v,
            "issuing_unit_id" => f.issuing_unit_id = form_uuid(&v)?,
            "issued_on" => f.issued_on = v,
            "source_text" => f.source_text = v,
            _ => {}
        }
    }
    let mut file_note = None;
    if let Some((name, bytes)) = &file {
        let ext = std::path::Path::new(name).extension().and_then(|e| e.to_str());
        match qingfeng_text::sniff(bytes, ext).and_then(|fmt| qingfeng_text::document_from_bytes(bytes, fmt)) {
            Ok(doc) if f.source_text.trim().is_empty() => f.source_text = doc.text,
            Ok(_) => {}
            Err(e) => file_note = Some(format!("{name}：{e}")),
        }
    }
    let outline = qingfeng_text::parse_outline(&f.source_text);
    if f.title.trim().is_empty()
        && let Some(t) = &outline.title
    {
        f.title = t.clone();
    }
    if let Some(u) = f.issuing_unit_id {
        crate::org::visible_unit(&state, &user, u, Action::IssueTasks).await?;
    }
    if file_note.is_some() {
        return render_new(&state, &ctx, &user, f, FormErrors::default(), file_note).await;
    }
    let spec = match f.validate() {
        Ok(s) => s,
        Err(v) => return render_new(&state, &ctx, &user, f, FormErrors::from(&v, ctx.lang), None).await,
    };
    let (items, _) = drafts_from_outline(&outline);
    let json = serde_json::to_string(&outline).unwrap_or_else(|_| "{}".into());
    let d = state.store.tasks().create_directive(&user.who(), &spec, &json, &items).await?;
    Ok(done(&state, &format!("/tasks/directives/{}", d.id), "flash.saved"))
}

#[derive(Template)]
#[template(path = "tasks/directive.html")]
struct ShowPage {
    l: Layout,
    d: Directive,
    tree: Vec<Task>,
    progress: u8,
    list: ProblemsPanel,
}

impl ShowPage {
    fn kind(&self) -> String {
        self.l.t.m(self.d.kind().label())
    }
    fn status(&self, t: &Task) -> String {
        self.l.t.m(t.status().label())
    }
    fn indent(&self, t: &Task) -> i64 {
        t.depth.min(4)
    }
    fn count(&self, status: &str) -> usize {
        self.tree.iter().filter(|t| t.status == status).count()
    }
    fn red(&self) -> usize {
        self.tree.iter().filter(|t| t.warning == "red" && t.status().is_open()).count()
    }
}

/// The problems the text lists, and the form that makes them a 问题清单.
pub struct ProblemsPanel {
    pub directive: Uuid,
    pub batch_id: Option<Uuid>,
    pub problems: Vec<qingfeng_domain::tasks::draft::DraftItem>,
    /// Present when the user may issue a 问题清单 from the directive's unit.
    pub units: Option<Vec<crate::org::UnitOption>>,
    pub causes: Vec<(&'static str, String)>,
    pub deadline: String,
    pub error: Option<String>,
}

pub async fn problems_panel(state: &AppState, ctx: &Ctx, user: &User, d: &Directive, error: Option<String>) -> AppResult<ProblemsPanel> {
    let (_, problems) = drafts_from_outline(&qingfeng_text::parse_outline(&d.source_text));
    let scope = d.scope()?;
    let units = if d.batch_id.is_none() && !problems.is_empty() && user.can(Action::ReviewRectify, &scope) {
        let nodes = state.store.orgs().subtree(&scope, None, false).await?;
        Some(crate::org::depth_first(nodes).into_iter().filter(|(_, depth)| *depth < 3).map(|(n, depth)| crate::org::UnitOption { id: n.unit.id, name: n.unit.name, kind: n.unit.kind, depth }).collect())
    } else {
        None
    };
    let t = crate::i18n::T(ctx.lang);
    let today = super::today();
    Ok(ProblemsPanel {
        directive: d.id,
        batch_id: d.batch_id,
        problems,
        units,
        causes: RootCause::ALL.iter().map(|c| (c.as_str(), t.m(c.label()))).collect(),
        deadline: today.checked_add(jiff::Span::new().months(3)).unwrap_or(today).last_of_month().to_string(),
        error,
    })
}

/// `GET /tasks/directives/{id}`: the draft editor while a draft, the task tree once issued.
pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    show_page(&state, &ctx, &user, id, None).await
}

async fn show_page(state: &AppState, ctx: &Ctx, user: &User, id: Uuid, error: Option<String>) -> AppResult<Response> {
    let d = visible_directive(state, user, id, Action::ViewTasks).await?;
    let can_issue = user.can(Action::IssueTasks, &d.scope()?);
    if d.status() == qingfeng_domain::tasks::DirectiveStatus::Draft {
        if !can_issue {
            return Err(AppError::NotFound);
        }
        return super::draft::editor(state, ctx, user, d, error).await;
    }
    let scopes = user.scopes(Action::ViewTasks);
    let tree: Vec<Task> = state
        .store
        .tasks()
        .tree(id)
        .await?
        .into_iter()
        .filter(|t| [t.lead_scope(), t.issuer_scope()].into_iter().flatten().any(|p| scopes.iter().any(|s| p.is_within(s))))
        .collect();
    let tops: Vec<(u8, u32)> = tree
        .iter()
        .filter(|t| t.parent_id.is_none() && t.status().as_str() != "withdrawn")
        .map(|t| (t.progress_u8(), u32::try_from(t.weight.max(0)).unwrap_or(0)))
        .collect();
    let progress = rollup::mean(&tops, reckon(state).rules.rollup);
    let list = problems_panel(state, ctx, user, &d, error).await?;
    let invalid = list.error.is_some();
    form_page(&ShowPage { l: Layout::new(state, ctx, "tasks", d.title.clone()), d, tree, progress, list }, invalid)
}

#[derive(Deserialize, Default)]
pub struct ProblemsForm {
    #[serde(default)]
    lead_unit_id: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    root_cause: String,
}

/// `POST /tasks/directives/{id}/problems`: the problems the text lists become a
/// 问题清单 (source 自查) issued by the directive's unit.
pub async fn problems_submit(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ProblemsForm>) -> AppResult<Response> {
    let d = visible_directive(&state, &user, id, Action::ViewTasks).await?;
    let scope = d.scope()?;
    user.authorize(Action::ReviewRectify, &scope)?;
    let lead = match form_uuid(&f.lead_unit_id)? {
        Some(u) => crate::org::visible_unit(&state, &user, u, Action::ViewTasks).await?,
        None => return show_page(&state, &ctx, &user, id, Some(crate::i18n::T(ctx.lang).s("tasks.choose_lead").into_owned())).await,
    };
    if !lead.path.is_within(&scope) {
        return Err(AppError::NotFound);
    }
    let (Ok(deadline), Some(root_cause)) = (f.deadline.trim().parse::<jiff::civil::Date>(), RootCause::parse(f.root_cause.trim())) else {
        return show_page(&state, &ctx, &user, id, Some(crate::i18n::T(ctx.lang).s("tasks.bad_deadline").into_owned())).await;
    };
    let (_, problems) = drafts_from_outline(&qingfeng_text::parse_outline(&d.source_text));
    let how = ProblemsToBatch {
        problems: problems.iter().map(|p| if p.body.is_empty() { p.label.clone() } else { format!("{}：{}", p.label, p.body) }).collect(),
        lead_unit_id: lead.id,
        deadline,
        root_cause,
    };
    let r = crate::rectify::reckon(&state);
    match state.store.tasks().problems_to_batch(&user.who(), &r.env(), id, &how).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, &format!("/tasks/directives/{id}"), "flash.problems_listed")),
        Err(AppError::Refused(x)) => show_page(&state, &ctx, &user, id, Some(x.msg.get(ctx.lang).to_string())).await,
        Err(AppError::Invalid(v)) => show_page(&state, &ctx, &user, id, Some(v.to_string())).await,
        Err(e) => Err(e),
    }
}
