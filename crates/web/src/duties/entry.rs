//! An entry of a list: its occurrences (tasks with due dates and status)
//! and its 履责记实, recorded here once and never typed again in a report.

use super::{SECTION, state_class, today};
use crate::AppState;
use crate::api::PathId;
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::form::{Form, FormErrors, form_uuid};
use crate::layout::{Layout, done, form_page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::Msg;
use qingfeng_domain::access::Action;
use qingfeng_domain::msg::Validation;
use qingfeng_domain::tasks::TaskStatus;
use qingfeng_domain::tasks::duties::{DutyRecordInput, DutyState, OccurrenceFacts, duty_state};
use qingfeng_store::tasks::{DutyEntry, DutyRecordRow, Env, Task};
use serde::Deserialize;

/// Loads an entry the user may `action` (404 outside every scope).
async fn visible_entry(state: &AppState, user: &User, id: uuid::Uuid, action: Action) -> AppResult<DutyEntry> {
    let e = state.store.tasks().duty_entry(id).await?;
    let path = e.scope()?;
    user.authorize(Action::ViewTasks, &path)?;
    user.authorize(action, &path)?;
    Ok(e)
}

#[derive(Deserialize, Default, Clone)]
pub struct RecordForm {
    #[serde(default)]
    note: String,
    #[serde(default)]
    done_on: String,
    #[serde(default)]
    occurrence: String,
}

#[derive(Template)]
#[template(path = "duties/entry.html")]
struct EntryPage {
    l: Layout,
    e: DutyEntry,
    occurrences: Vec<Task>,
    records: Vec<DutyRecordRow>,
    state: DutyState,
    can_record: bool,
    f: RecordForm,
    errors: FormErrors,
}

impl EntryPage {
    fn state_class(&self) -> &'static str {
        state_class(&self.state)
    }
    fn open(&self) -> Vec<&Task> {
        self.occurrences.iter().filter(|t| is_open(t)).collect()
    }
    fn status_label(&self, t: &Task) -> String {
        self.l.t.m(t.status().label())
    }
    /// Red for an open occurrence past its due day, green when done.
    fn row_class(&self, t: &Task) -> &'static str {
        match t.status() {
            TaskStatus::Done => "badge badge-green",
            _ if t.deadline < today().to_string() => "badge badge-red",
            _ => "badge badge-muted",
        }
    }
}

fn is_open(t: &Task) -> bool {
    t.status().is_open()
}

async fn render(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    e: DutyEntry,
    f: RecordForm,
    errors: FormErrors,
) -> AppResult<Response> {
    let invalid = errors.any();
    let t = state.store.tasks();
    let occurrences = t.duty_occurrences(e.id).await?;
    let facts: Vec<OccurrenceFacts> = occurrences
        .iter()
        .filter(|o| o.status() != TaskStatus::Withdrawn)
        .filter_map(|o| Some(OccurrenceFacts { due: o.deadline_date().ok()?, done: o.status() == TaskStatus::Done }))
        .collect();
    let page = EntryPage {
        l: Layout::new(state, ctx, SECTION, crate::rectify::clip(&e.text, 30)),
        can_record: user.can(Action::WorkTasks, &e.scope()?),
        records: t.duty_records(e.id).await?,
        state: duty_state(&facts, today()),
        occurrences,
        e,
        f,
        errors,
    };
    form_page(&page, invalid)
}

/// `GET /duties/entries/{id}`: an entry's occurrences and 履责记实.
pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    let e = visible_entry(&state, &user, id, Action::ViewTasks).await?;
    let occurrences = state.store.tasks().duty_occurrences(id).await?;
    // The first open occurrence is the one a record most likely answers.
    let first_open = occurrences.iter().find(|t| is_open(t)).map(|t| t.id.to_string()).unwrap_or_default();
    let f = RecordForm { done_on: today().to_string(), occurrence: first_open, ..Default::default() };
    render(&state, &ctx, &user, e, f, FormErrors::default()).await
}

/// `POST /duties/entries/{id}/records`: 履责记实, optionally completing one
/// open occurrence of this entry.
pub async fn record(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(f): Form<RecordForm>,
) -> AppResult<Response> {
    let e = visible_entry(&state, &user, id, Action::WorkTasks).await?;
    let today = today();
    let input = DutyRecordInput { note: f.note.clone(), done_on: f.done_on.clone() };
    let mut v = match input.validate(today) {
        Ok(_) => Validation::new(),
        Err(v) => v,
    };
    // The occurrence must be one of this entry's open ones.
    let occurrence = match form_uuid(&f.occurrence) {
        Ok(None) => None,
        Ok(Some(tid)) => {
            let open = state.store.tasks().duty_occurrences(id).await?.into_iter().any(|t| t.id == tid && is_open(&t));
            if !open {
                v.add("occurrence", Msg::new("请选择本事项尚未办结的一次", "choose an open occurrence of this item"));
            }
            Some(tid)
        }
        Err(_) => {
            v.add("occurrence", Msg::new("请选择本事项尚未办结的一次", "choose an open occurrence of this item"));
            None
        }
    };
    let rec = match (v.into_result(), input.validate(today)) {
        (Ok(()), Ok(rec)) => rec,
        (Err(v), _) => return render(&state, &ctx, &user, e, f, FormErrors::from(&v, ctx.lang)).await,
        (Ok(()), Err(v)) => return render(&state, &ctx, &user, e, f, FormErrors::from(&v, ctx.lang)).await,
    };
    let cal = state.calendar();
    let env = Env { cal: &cal, rules: &state.config.rules.tasks, today };
    state.store.tasks().record_duty(&user.who(), &env, id, &rec, occurrence).await?;
    Ok(done(&state, &format!("/duties/entries/{id}#records"), "flash.saved"))
}
