//! 责任清单 pages: the lists in scope, creating a unit's list (derived
//! from the nearest ancestor's list, else from the template), a list with
//! its entries, adding the level's own item, generating the year's
//! occurrences ([`entry`] has an entry's occurrences and 履责记实).
//! Reading needs `ViewTasks`, changing a list `IssueTasks`, recording
//! `WorkTasks`, each on the list's unit; outside every scope: 404.

pub mod entry;

use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid};
use crate::layout::{Layout, done, form_page, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::Msg;
use qingfeng_domain::access::Action;
use qingfeng_domain::msg::Validation;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_domain::tasks::duties::{DueAnchor, Duty, DutyItemInput, DutyState, ListKind, Recurrence};
use qingfeng_store::org::OrgUnit;
use qingfeng_store::tasks::{DutyList, DutyListFilter, EntryLine, Env};
use serde::Deserialize;

pub use crate::rectify::today;

/// The section of the menu these pages belong to.
const SECTION: &str = "duties";

fn title(ctx: &Ctx, key: &str) -> String {
    crate::i18n::T(ctx.lang).s(key).into_owned()
}

/// (code, label) pairs for a `<select>`.
fn options<T: Copy>(
    all: &[T],
    code: fn(T) -> &'static str,
    label: fn(T) -> Msg,
    l: &Layout,
) -> Vec<(&'static str, String)> {
    all.iter().map(|k| (code(*k), l.t.m(label(*k)))).collect()
}

pub fn kinds(l: &Layout) -> Vec<(&'static str, String)> {
    options(ListKind::ALL, ListKind::as_str, ListKind::label, l)
}

/// The CSS class of a state.
pub fn state_class(s: &DutyState) -> &'static str {
    match s {
        DutyState::Done => "badge badge-green",
        DutyState::OnTrack => "badge badge-muted",
        DutyState::Overdue => "badge badge-red",
    }
}

/// The year a page looks at: `?year=` within 2000–2100, else this year.
fn year_of(q: Option<&str>) -> i16 {
    crate::orglife::year_of(q, today())
}

/// Loads a list the user may `action` (404 outside every scope).
pub async fn visible_list(state: &AppState, user: &User, id: uuid::Uuid, action: Action) -> AppResult<DutyList> {
    let l = state.store.tasks().duty_list(id).await?;
    let path = l.scope()?;
    user.authorize(Action::ViewTasks, &path)?;
    user.authorize(action, &path)?;
    Ok(l)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    unit: Option<String>,
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    year: Option<String>,
    #[serde(default)]
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "duties/lists.html")]
struct ListsPage {
    l: Layout,
    lists: Page<DutyList>,
    unit: Option<OrgUnit>,
    kind: String,
    year: i16,
    can_create: bool,
}

impl ListsPage {
    fn kinds(&self) -> Vec<(&'static str, String)> {
        kinds(&self.l)
    }
    fn kind_label(&self, x: &DutyList) -> String {
        self.l.t.m(x.kind().label())
    }
    fn base(&self) -> String {
        let unit = self.unit.as_ref().map(|u| u.id.to_string()).unwrap_or_default();
        format!("/duties?unit={unit}&kind={}&year={}", self.kind, self.year)
    }
}

/// `GET /duties`: the lists of units in scope, by year, kind and unit.
pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewTasks);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let unit = match form_uuid(q.unit.as_deref().unwrap_or(""))? {
        Some(id) => Some(crate::org::visible_unit(&state, &user, id, Action::ViewTasks).await?),
        None => None,
    };
    let year = year_of(q.year.as_deref());
    let kind = q.kind.as_deref().and_then(ListKind::parse);
    let f = DutyListFilter { kind, year: Some(year), within: unit.as_ref().map(|u| u.path.clone()) };
    let lists = state.store.tasks().duty_lists(&scopes, &f, PageRequest::new(q.page, Some(30))).await?;
    page(&ListsPage {
        l: Layout::new(&state, &ctx, SECTION, title(&ctx, "duties.title")),
        lists,
        unit,
        kind: kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        year,
        can_create: user.actor.can_anywhere(Action::IssueTasks),
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct NewForm {
    #[serde(default)]
    unit: String,
    #[serde(default)]
    kind: String,
    #[serde(default)]
    year: String,
}

#[derive(Template)]
#[template(path = "duties/new.html")]
struct NewPage {
    l: Layout,
    units: Vec<crate::org::UnitOption>,
    f: NewForm,
    errors: FormErrors,
}

impl NewPage {
    fn kinds(&self) -> Vec<(&'static str, String)> {
        kinds(&self.l)
    }
}

async fn render_new(state: &AppState, ctx: &Ctx, user: &User, f: NewForm, errors: FormErrors) -> AppResult<Response> {
    let invalid = errors.any();
    let units = crate::org::unit_options(state, user, Action::IssueTasks).await?;
    form_page(&NewPage { l: Layout::new(state, ctx, SECTION, title(ctx, "duties.new")), units, f, errors }, invalid)
}

/// `GET /duties/new?unit=&kind=`: the form to set up a unit's list.
pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Query(q): Query<NewForm>,
) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::IssueTasks) {
        return Err(AppError::NotFound);
    }
    if let Some(id) = form_uuid(&q.unit)? {
        crate::org::visible_unit(&state, &user, id, Action::IssueTasks).await?;
    }
    let year = if q.year.trim().is_empty() { today().year().to_string() } else { q.year.clone() };
    render_new(&state, &ctx, &user, NewForm { year, ..q }, FormErrors::default()).await
}

/// `POST /duties/new`: creates the list and opens it.
pub async fn new_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Form(f): Form<NewForm>,
) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::IssueTasks) {
        return Err(AppError::NotFound);
    }
    let unit = form_uuid(&f.unit)?;
    if let Some(id) = unit {
        crate::org::visible_unit(&state, &user, id, Action::IssueTasks).await?;
    }
    let mut v = Validation::new();
    if unit.is_none() {
        v.add("unit", Msg::new("请选择单位", "choose the unit"));
    }
    let kind = ListKind::parse(f.kind.trim());
    if kind.is_none() {
        v.add("kind", Msg::new("请选择清单类型", "choose the kind of list"));
    }
    let year = f.year.trim().parse::<i16>().ok().filter(|y| (2000..=2100).contains(y));
    if year.is_none() {
        v.add("year", Msg::new("年度应为2000到2100之间的数字", "a year from 2000 to 2100"));
    }
    let (Some(unit), Some(kind), Some(year)) = (unit, kind, year) else {
        return render_new(&state, &ctx, &user, f, FormErrors::from(&v, ctx.lang)).await;
    };
    match state.store.tasks().create_list(&user.who(), unit, kind, year).await {
        Ok(l) => Ok(done(&state, &format!("/duties/{}", l.id), "flash.saved")),
        Err(qingfeng_store::StoreError::Refused(r)) => {
            let mut v = Validation::new();
            v.add("kind", r.msg);
            render_new(&state, &ctx, &user, f, FormErrors::from(&v, ctx.lang)).await
        }
        Err(e) => Err(e.into()),
    }
}

#[derive(Template)]
#[template(path = "duties/list.html")]
struct ListPage {
    l: Layout,
    list: DutyList,
    lines: Vec<EntryLine>,
    can_issue: bool,
    f: DutyItemInput,
    errors: FormErrors,
}

impl ListPage {
    fn duties(&self) -> Vec<(&'static str, String)> {
        let own = self.list.kind().duty();
        Duty::ALL.iter().filter(|d| own.is_none_or(|o| o == **d)).map(|d| (d.as_str(), self.l.t.m(d.label()))).collect()
    }
    fn recurrences(&self) -> Vec<(&'static str, String)> {
        options(Recurrence::ALL, Recurrence::as_str, Recurrence::label, &self.l)
    }
    fn anchors(&self) -> Vec<(&'static str, String)> {
        options(DueAnchor::ALL, DueAnchor::as_str, DueAnchor::label, &self.l)
    }
    fn state_class(&self, s: &DutyState) -> &'static str {
        state_class(s)
    }
    fn done(&self, x: &EntryLine) -> usize {
        x.occurrences.iter().filter(|o| o.done).count()
    }
    fn times_text(&self) -> String {
        self.f.times.map(|t| t.to_string()).unwrap_or_default()
    }
    fn days_text(&self) -> String {
        self.f.due_days.map(|t| t.to_string()).unwrap_or_default()
    }
}

async fn render_list(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    list: DutyList,
    f: DutyItemInput,
    errors: FormErrors,
) -> AppResult<Response> {
    let invalid = errors.any();
    let lines = state.store.tasks().duty_entries(list.id, today()).await?;
    let name = format!("{} · {}{}", list.unit_name, list.year, crate::i18n::T(ctx.lang).m(list.kind().label()));
    form_page(
        &ListPage {
            l: Layout::new(state, ctx, SECTION, name),
            can_issue: user.can(Action::IssueTasks, &list.scope()?),
            list,
            lines,
            f,
            errors,
        },
        invalid,
    )
}

/// `GET /duties/{id}`: a list with its entries and where each stands.
pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    let list = visible_list(&state, &user, id, Action::ViewTasks).await?;
    let f = DutyItemInput { recurrence: "yearly".into(), due_from: "period_end".into(), ..Default::default() };
    render_list(&state, &ctx, &user, list, f, FormErrors::default()).await
}

#[derive(Deserialize, Default)]
pub struct ItemForm {
    #[serde(default)]
    text: String,
    #[serde(default)]
    duty: String,
    #[serde(default)]
    recurrence: String,
    #[serde(default)]
    times: String,
    #[serde(default)]
    due_from: String,
    #[serde(default)]
    due_days: String,
}

/// A number box: empty means the default; anything else that is not a
/// small number becomes a value validation refuses (the field is named).
fn small_number<T: TryFrom<u32> + Copy>(s: &str, bad: T) -> Option<T> {
    match s.trim() {
        "" => None,
        v => Some(v.parse::<u32>().ok().and_then(|n| T::try_from(n).ok()).unwrap_or(bad)),
    }
}

/// `POST /duties/{id}/entries`: adds the level's own item; with errors the
/// list is shown again with what was typed and the field named.
pub async fn add_entry(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(f): Form<ItemForm>,
) -> AppResult<Response> {
    let list = visible_list(&state, &user, id, Action::IssueTasks).await?;
    let input = DutyItemInput {
        text: f.text,
        duty: f.duty,
        recurrence: f.recurrence,
        times: small_number(&f.times, u8::MAX),
        due_from: f.due_from,
        due_days: small_number(&f.due_days, u16::MAX),
    };
    let item = match input.validate(list.kind()) {
        Ok(i) => i,
        Err(v) => return render_list(&state, &ctx, &user, list, input, FormErrors::from(&v, ctx.lang)).await,
    };
    match state.store.tasks().add_entry(&user.who(), id, &item).await {
        Ok(_) => Ok(done(&state, &format!("/duties/{id}#entries"), "flash.saved")),
        Err(qingfeng_store::StoreError::Invalid(v)) => {
            render_list(&state, &ctx, &user, list, input, FormErrors::from(&v, ctx.lang)).await
        }
        Err(e) => Err(e.into()),
    }
}

/// `POST /duties/{id}/generate`: the year's occurrences of every entry, as tasks, once.
pub async fn generate(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    visible_list(&state, &user, id, Action::IssueTasks).await?;
    let who = user.who();
    let cal = state.calendar();
    let env = Env { cal: &cal, rules: &state.config.rules.tasks, today: today() };
    state.store.tasks().generate(&who, &env, id).await?;
    Ok(done(&state, &format!("/duties/{id}#entries"), "flash.saved"))
}
