//! One task: its facts, the actions the lifecycle allows to this user,
//! the progress report of a leaf, the breakdown into sub-tasks for the lead
//! unit's children, deadline change requests and their decision, the
//! sub-tasks, the reports and the history.

use super::{reckon, visible_task};
use crate::AppState;
use crate::api::PathId;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid};
use crate::layout::{Layout, done, form_page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::tasks::deadline::{DeadlineChangeInput, Decision};
use qingfeng_domain::tasks::draft::{IssueContext, IssueInput, validate_all};
use qingfeng_domain::tasks::lifecycle::{Capacities, ProgressInput, TaskAction, available};
use qingfeng_store::tasks::{DeadlineChangeRow, Report, Step, Task};
use serde::Deserialize;
use uuid::Uuid;

/// What the page's forms hold when they come back with errors.
#[derive(Debug, Clone, Default)]
pub struct Typed {
    pub progress: ProgressInput,
    pub deadline: DeadlineChangeInput,
    pub rows: Vec<IssueInput>,
}

#[derive(Template)]
#[template(path = "tasks/task.html")]
struct TaskPage {
    l: Layout,
    t: Task,
    cap: Capacities,
    actions: Vec<TaskAction>,
    children: Vec<Task>,
    supporting: Vec<(Uuid, String)>,
    reports: Vec<Report>,
    steps: Vec<Step>,
    changes: Vec<DeadlineChangeRow>,
    child_units: Vec<(Uuid, String)>,
    typed: Typed,
    errors: FormErrors,
    refusal: Option<String>,
}

impl TaskPage {
    fn status(&self, t: &Task) -> String {
        self.l.t.m(t.status().label())
    }
    fn needs_reason(&self, a: &TaskAction) -> bool {
        matches!(a, TaskAction::Return | TaskAction::Withdraw | TaskAction::Reopen)
    }
    fn is_leaf(&self) -> bool {
        self.t.children == 0
    }
    fn can_report(&self) -> bool {
        self.cap.receiving_unit && self.t.status == "accepted" && self.is_leaf()
    }
    fn can_break_down(&self) -> bool {
        self.actions.contains(&TaskAction::BreakDown) && !self.child_units.is_empty()
    }
    fn pending(&self) -> Option<&DeadlineChangeRow> {
        self.changes.iter().find(|x| x.status == "pending")
    }
    fn can_request(&self) -> bool {
        self.cap.receiving_unit && matches!(self.t.status.as_str(), "issued" | "accepted") && self.pending().is_none()
    }
    fn step_label(&self, s: &Step) -> String {
        let zh = match s.action.as_str() {
            "issue" => "下发",
            "accept" => "认领",
            "return" => "退回",
            "reissue" => "重新交办",
            "withdraw" => "撤销",
            "break_down" => "分解",
            "report_progress" => "报送进度",
            "complete" => "办结",
            "reopen" => "重新打开",
            "request_deadline" => "申请调整时限",
            "decide_deadline" => "审批调整时限",
            "escalate" => "督办",
            other => other,
        };
        if self.l.t.0 == qingfeng_domain::Lang::Zh { zh.to_string() } else { s.action.replace('_', " ") }
    }
    fn change_status(&self, x: &DeadlineChangeRow) -> String {
        qingfeng_domain::tasks::DeadlineChangeStatus::parse(&x.status).map(|s| self.l.t.m(s.label())).unwrap_or_else(|| x.status.clone())
    }
    fn row(&self, i: &usize) -> IssueInput {
        self.typed.rows.get(*i).cloned().unwrap_or_default()
    }
    fn row_err(&self, i: &usize, f: &str) -> Option<&str> {
        self.errors.get(&format!("tasks.{i}.{f}"))
    }
    fn is_row_lead(&self, i: &usize, u: &Uuid) -> bool {
        self.row(i).lead_unit_id == Some(*u)
    }
}

async fn show_page(state: &AppState, ctx: &Ctx, user: &User, id: Uuid, typed: Typed, errors: FormErrors, refusal: Option<String>) -> AppResult<Response> {
    let (t, cap) = visible_task(state, user, id, Action::ViewTasks).await?;
    let s = state.store.tasks();
    let actions: Vec<TaskAction> = available(t.status(), cap)
        .into_iter()
        .filter(|a| *a != TaskAction::ReportProgress)
        .collect();
    let child_units: Vec<(Uuid, String)> = state
        .store
        .orgs()
        .children(Some(t.lead_unit_id), false)
        .await?
        .into_iter()
        .map(|n| (n.unit.id, n.unit.name))
        .collect();
    let invalid = errors.any() || refusal.is_some();
    let mut typed = typed;
    if typed.rows.is_empty() {
        let deadline = t.deadline.clone();
        typed.rows = vec![IssueInput { title: t.title.clone(), deadline: deadline.clone(), ..Default::default() }, IssueInput { title: t.title.clone(), deadline, ..Default::default() }];
    }
    let page = TaskPage {
        l: Layout::new(state, ctx, "tasks", t.title.clone()),
        children: s.children(id).await?,
        supporting: s.supporting(id).await?,
        reports: s.reports(id).await?,
        steps: s.steps(id).await?,
        changes: s.deadline_changes(id).await?,
        t,
        cap,
        actions,
        child_units,
        typed,
        errors,
        refusal,
    };
    form_page(&page, invalid)
}

/// `GET /tasks/items/{id}`.
pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    show_page(&state, &ctx, &user, id, Typed::default(), FormErrors::default(), None).await
}

#[derive(Deserialize)]
pub struct ActForm {
    action: String,
    #[serde(default)]
    reason: String,
}

fn parse_action(s: &str) -> AppResult<TaskAction> {
    Ok(match s {
        "accept" => TaskAction::Accept,
        "return" => TaskAction::Return,
        "reissue" => TaskAction::Reissue,
        "withdraw" => TaskAction::Withdraw,
        "complete" => TaskAction::Complete,
        "reopen" => TaskAction::Reopen,
        _ => return Err(AppError::bad_request("bad_action", "无法识别的操作", "unknown action")),
    })
}

/// `POST /tasks/items/{id}/act`: accept, return (with reason), reissue,
/// withdraw, complete, reopen.
pub async fn act(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ActForm>) -> AppResult<Response> {
    let action = parse_action(&f.action)?;
    let (_, cap) = visible_task(&state, &user, id, Action::ViewTasks).await?;
    let r = reckon(&state);
    match state.store.tasks().act(&user.who(), &r.env(), id, action, cap, Some(f.reason.as_str())).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, &format!("/tasks/items/{id}"), "flash.saved")),
        Err(AppError::Refused(x)) => show_page(&state, &ctx, &user, id, Typed::default(), FormErrors::default(), Some(x.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct ReportForm {
    #[serde(default)]
    percent: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    reason: String,
}

/// `POST /tasks/items/{id}/report`: progress on a leaf; the parents follow.
pub async fn report(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ReportForm>) -> AppResult<Response> {
    let (t, cap) = visible_task(&state, &user, id, Action::WorkTasks).await?;
    let r = reckon(&state);
    let input = ProgressInput { percent: f.percent, note: f.note, reason: f.reason, ..Default::default() };
    let typed = || Typed { progress: input.clone(), ..Default::default() };
    let rep = match input.validate(t.reported_u8(), r.today) {
        Ok(x) => x,
        Err(v) => return show_page(&state, &ctx, &user, id, typed(), FormErrors::from(&v, ctx.lang), None).await,
    };
    match state.store.tasks().report(&user.who(), &r.env(), id, cap, &rep).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, &format!("/tasks/items/{id}"), "flash.saved")),
        Err(AppError::Refused(x)) => show_page(&state, &ctx, &user, id, typed(), FormErrors::default(), Some(x.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}

/// `POST /tasks/items/{id}/breakdown`: rows `title.N`, `lead.N`, `deadline.N`
/// (`owner.N` optional); rows without a title are ignored.
pub async fn break_down(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let (t, cap) = visible_task(&state, &user, id, Action::WorkTasks).await?;
    let mut rows: std::collections::BTreeMap<usize, IssueInput> = std::collections::BTreeMap::new();
    for (k, v) in fields {
        let Some((name, n)) = super::row_field(&k) else { continue };
        let row = rows.entry(n).or_default();
        match name {
            "title" => row.title = v,
            "lead" => row.lead_unit_id = form_uuid(&v)?,
            "owner" => row.owner_id = form_uuid(&v)?,
            "deadline" => row.deadline = v,
            _ => {}
        }
    }
    let all: Vec<IssueInput> = rows.into_values().collect();
    let inputs: Vec<IssueInput> = all.iter().filter(|r| !r.title.trim().is_empty() || r.lead_unit_id.is_some()).cloned().collect();
    let kids: Vec<Uuid> = state.store.orgs().children(Some(t.lead_unit_id), false).await?.into_iter().map(|n| n.unit.id).collect();
    let r = reckon(&state);
    let parent_deadline = Some(t.deadline_date()?);
    let checked = {
        let is_child = |u: Uuid| kids.contains(&u);
        let ictx = IssueContext { issued_on: r.today, parent_deadline, allowed_unit: &is_child };
        validate_all(&inputs, &ictx)
    };
    let typed = Typed { rows: inputs.clone(), ..Default::default() };
    let specs = match checked {
        Ok(s) => s,
        Err(v) => return show_page(&state, &ctx, &user, id, typed, FormErrors::from(&v, ctx.lang), None).await,
    };
    match state.store.tasks().break_down(&user.who(), &r.env(), id, cap, &specs).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, &format!("/tasks/items/{id}"), "flash.tasks_issued")),
        Err(AppError::Refused(x)) => show_page(&state, &ctx, &user, id, typed, FormErrors::default(), Some(x.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct DeadlineForm {
    #[serde(default)]
    new_deadline: String,
    #[serde(default)]
    reason: String,
}

/// `POST /tasks/items/{id}/deadline`: a request, never an edit.
pub async fn request_deadline(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<DeadlineForm>) -> AppResult<Response> {
    let (t, cap) = visible_task(&state, &user, id, Action::WorkTasks).await?;
    let s = state.store.tasks();
    let parent_deadline = match t.parent_id {
        Some(p) => Some(s.get(p).await?.deadline_date()?),
        None => None,
    };
    let pending = s.deadline_changes(id).await?.iter().any(|x| x.status == "pending");
    let r = reckon(&state);
    let input = DeadlineChangeInput { new_deadline: f.new_deadline, reason: f.reason };
    let typed = Typed { deadline: input.clone(), ..Default::default() };
    let req = match input.validate(t.status(), t.deadline_date()?, parent_deadline, pending, r.today) {
        Ok(x) => x,
        Err(v) => return show_page(&state, &ctx, &user, id, typed, FormErrors::from(&v, ctx.lang), None).await,
    };
    match s.request_deadline(&user.who(), &r.env(), id, cap, &req).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, &format!("/tasks/items/{id}"), "flash.saved")),
        Err(AppError::Refused(x)) => show_page(&state, &ctx, &user, id, typed, FormErrors::default(), Some(x.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: String,
    #[serde(default)]
    comment: String,
}

/// `POST /tasks/deadline-changes/{id}/decide`: the issuer approves or refuses (with a reason).
pub async fn decide_deadline(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<DecideForm>) -> AppResult<Response> {
    let s = state.store.tasks();
    let x = s.deadline_change(id).await?;
    let (_, cap) = visible_task(&state, &user, x.task_id, Action::ViewTasks).await?;
    let decision = if f.decision == "approve" { Decision::Approve } else { Decision::Refuse };
    let r = reckon(&state);
    match s.decide_deadline(&user.who(), &r.env(), id, cap, decision, Some(f.comment.as_str())).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, &format!("/tasks/items/{}", x.task_id), "flash.saved")),
        Err(AppError::Refused(e)) => show_page(&state, &ctx, &user, x.task_id, Typed::default(), FormErrors::default(), Some(e.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}
