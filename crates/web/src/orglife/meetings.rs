//! Recording a held meeting in one form — kind, date, topic and host
//! pre-filled from the plan, attendance marked from the roster (everyone
//! present until marked otherwise), an optional vote decided by the
//! 条例's rule — and reading it back.

use super::{today, visible_branch};
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
use qingfeng_domain::orglife::input::{MarkInput, MeetingInput};
use qingfeng_domain::orglife::{AttendanceMark, CommitteeRole, MeetingKind};
use qingfeng_store::orglife::{AttendanceRow, BranchInfo, Meeting, Member};
use serde::Deserialize;
use uuid::Uuid;

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    plan: Option<String>,
    #[serde(default)]
    kind: Option<String>,
}

#[derive(Template)]
#[template(path = "orglife/meeting_form.html")]
struct MeetingForm {
    l: Layout,
    b: BranchInfo,
    roster: Vec<Member>,
    f: MeetingInput,
    plan_label: Option<String>,
    errors: FormErrors,
    error: Option<String>,
}

impl MeetingForm {
    fn kinds(&self) -> Vec<(&'static str, String)> {
        MeetingKind::ALL.iter().map(|k| (k.as_str(), self.l.t.m(k.label()))).collect()
    }
    fn mark_of(&self, person: &Uuid) -> &str {
        self.f.attendance.iter().find(|m| m.person_id == *person).map_or("present", |m| m.mark.as_str())
    }
    fn reason_of(&self, person: &Uuid) -> &str {
        self.f.attendance.iter().find(|m| m.person_id == *person).map_or("", |m| m.reason.as_str())
    }
    fn err(&self, field: &str, person: &Uuid) -> Option<&str> {
        self.errors.get(&format!("{field}_{person}"))
    }
    fn host_is(&self, person: &Uuid) -> bool {
        self.f.host_id == Some(*person)
    }
    fn voting(&self) -> usize {
        self.roster.iter().filter(|m| m.voting()).count()
    }
}

async fn render(state: &AppState, ctx: &Ctx, b: BranchInfo, f: MeetingInput, errors: FormErrors, error: Option<String>) -> AppResult<Response> {
    let invalid = errors.any() || error.is_some();
    let roster = state.store.orglife().roster(b.id, super::roster_day(&f.held_on, today())).await?;
    let plan_label = match f.plan_id {
        Some(p) => Some(state.store.orglife().plan_item(p).await?).map(|p| format!("{} {}", p.planned_on, p.topic)),
        None => None,
    };
    form_page(
        &MeetingForm {
            l: Layout::new(state, ctx, "orglife", format!("{} · {}", crate::i18n::T(ctx.lang).s("orglife.record_meeting"), b.name)),
            b,
            roster,
            f,
            plan_label,
            errors,
            error,
        },
        invalid,
    )
}

/// `GET /orglife/branches/{id}/meetings/new?plan=`: the form, pre-filled from a plan item.
pub async fn new_form(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Query(q): Query<NewQuery>) -> AppResult<Response> {
    let b = visible_branch(&state, &user, id, Action::ManageOrgLife).await?;
    let today = today();
    let mut f = MeetingInput { held_on: today.to_string(), kind: q.kind.unwrap_or_default(), ..Default::default() };
    if let Some(plan) = form_uuid(q.plan.as_deref().unwrap_or(""))? {
        let p = state.store.orglife().plan_item(plan).await?;
        if p.branch_id != id {
            return Err(AppError::NotFound);
        }
        f.kind = p.kind.clone();
        f.topic = p.topic.clone();
        f.plan_id = Some(p.id);
        if p.planned_on.as_str() <= today.to_string().as_str() {
            f.held_on = p.planned_on.clone();
        }
    }
    // The secretary convenes and chairs (第十四条).
    let roster = state.store.orglife().roster(id, today).await?;
    f.host_id = roster.iter().find(|m| m.committee_role() == Some(CommitteeRole::Secretary)).map(|m| m.person_id);
    render(&state, &ctx, b, f, FormErrors::default(), None).await
}

/// Reads the form's fields, with `mark_<person>` / `reason_<person>` per roster member.
fn parse(fields: Vec<(String, String)>) -> AppResult<MeetingInput> {
    let mut f = MeetingInput::default();
    let mut marks: Vec<MarkInput> = Vec::new();
    let mut entries: Vec<(Uuid, Option<String>, Option<String>)> = Vec::new();
    for (k, v) in fields {
        match k.as_str() {
            "kind" => f.kind = v,
            "held_on" => f.held_on = v,
            "topic" => f.topic = v,
            "place" => f.place = v,
            "minutes" => f.minutes = v,
            "host_id" => f.host_id = form_uuid(&v)?,
            "plan_id" => f.plan_id = form_uuid(&v)?,
            "decision_title" => f.decision_title = v,
            "votes_yes" => f.votes_yes = v,
            "votes_no" => f.votes_no = v,
            "votes_abstain" => f.votes_abstain = v,
            _ => {
                if let Some(id) = k.strip_prefix("mark_") {
                    let id = Uuid::try_parse(id).map_err(|_| AppError::NotFound)?;
                    entries.push((id, Some(v), None));
                } else if let Some(id) = k.strip_prefix("reason_") {
                    let id = Uuid::try_parse(id).map_err(|_| AppError::NotFound)?;
                    entries.push((id, None, Some(v)));
                }
            }
        }
    }
    for (id, mark, reason) in entries {
        let i = match marks.iter().position(|m| m.person_id == id) {
            Some(i) => i,
            None => {
                marks.push(MarkInput { person_id: id, mark: "present".into(), reason: String::new() });
                marks.len() - 1
            }
        };
        if let Some(m) = mark {
            marks[i].mark = m;
        }
        if let Some(r) = reason {
            marks[i].reason = r;
        }
    }
    f.attendance = marks;
    Ok(f)
}

/// `POST /orglife/branches/{id}/meetings/new`: validates against the roster and records.
pub async fn new_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(fields): Form<Vec<(String, String)>>,
) -> AppResult<Response> {
    let b = visible_branch(&state, &user, id, Action::ManageOrgLife).await?;
    let f = parse(fields)?;
    match super::record_meeting(&state, &user, id, &f).await {
        Ok(m) => Ok(done(&state, &format!("/orglife/meetings/{}", m.id), "flash.saved")),
        Err(AppError::Invalid(v)) => render(&state, &ctx, b, f, FormErrors::from(&v, ctx.lang), None).await,
        Err(AppError::Refused(r)) => render(&state, &ctx, b, f, FormErrors::default(), Some(r.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "orglife/meeting.html")]
struct MeetingPage {
    l: Layout,
    m: Meeting,
    attendance: Vec<AttendanceRow>,
    files: Vec<qingfeng_store::orglife::MeetingFile>,
    can_manage: bool,
    reason: Option<String>,
}

impl MeetingPage {
    fn kib(&self, size: &i64) -> String {
        format!("{:.1} KB", *size as f64 / 1024.0)
    }
    fn kind(&self) -> String {
        self.l.t.m(self.m.kind().label())
    }
    fn count(&self, mark: &str) -> usize {
        self.attendance.iter().filter(|a| a.mark == mark).count()
    }
    fn mark_label(&self, a: &AttendanceRow) -> String {
        self.l.t.m(a.mark().label())
    }
    fn mark_class(&self, a: &AttendanceRow) -> &'static str {
        match a.mark() {
            AttendanceMark::Present => "badge badge-green",
            AttendanceMark::Leave => "badge badge-amber",
            AttendanceMark::Absent => "badge badge-red",
        }
    }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    let m = state.store.orglife().meeting(id).await?;
    user.authorize(Action::ViewOrgLife, &m.scope()?)?;
    let attendance = state.store.orglife().attendance(id).await?;
    let reason = m.vote().and_then(|(_, _, d)| d).map(|d| d.reason.get(ctx.lang).to_string());
    let files = state.store.orglife().files(id).await?;
    let can_manage = user.can(Action::ManageOrgLife, &m.scope()?);
    page(&MeetingPage { l: Layout::new(&state, &ctx, "orglife", m.topic.clone()), m, attendance, files, can_manage, reason })
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    kind: Option<String>,
    #[serde(default)]
    from: Option<String>,
    #[serde(default)]
    to: Option<String>,
}

#[derive(Template)]
#[template(path = "orglife/meetings.html")]
struct ListPage {
    l: Layout,
    b: BranchInfo,
    kind: Option<MeetingKind>,
    from: Date,
    to: Date,
    meetings: Vec<Meeting>,
}

impl ListPage {
    fn kind_label(&self, code: &str) -> String {
        MeetingKind::parse(code).map(|k| self.l.t.m(k.label())).unwrap_or_default()
    }
}

/// `GET /orglife/branches/{id}/meetings?kind=&from=&to=`: the records behind a compliance cell.
pub async fn list(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let b = visible_branch(&state, &user, id, Action::ViewOrgLife).await?;
    let today = today();
    let (y0, y1) = super::year_bounds(today.year());
    let from = q.from.as_deref().and_then(|s| s.parse().ok()).unwrap_or(y0);
    let to = q.to.as_deref().and_then(|s| s.parse().ok()).unwrap_or(y1);
    let kind = q.kind.as_deref().and_then(MeetingKind::parse);
    let meetings = state.store.orglife().meetings(id, from, to, kind).await?;
    page(&ListPage { l: Layout::new(&state, &ctx, "orglife", b.name.clone()), b, kind, from, to, meetings })
}

/// `GET /orglife/meetings/{id}/report.docx`: the 组织生活报告单, generated
/// from the meeting record — nothing on it is typed twice.
pub async fn report_docx(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    use qingfeng_sheets::{Block, Document};
    let m = state.store.orglife().meeting(id).await?;
    user.authorize(Action::ViewOrgLife, &m.scope()?)?;
    let att = state.store.orglife().attendance(id).await?;
    let names = |mark: AttendanceMark| -> Vec<&AttendanceRow> { att.iter().filter(|a| a.mark() == mark).collect() };
    let list = |rows: Vec<&AttendanceRow>, with_reason: bool| -> String {
        if rows.is_empty() {
            return "无".into();
        }
        rows.iter()
            .map(|a| match (&a.reason, with_reason) {
                (Some(r), true) => format!("{}（{}）", a.person_name, r),
                _ => a.person_name.clone(),
            })
            .collect::<Vec<_>>()
            .join("、")
    };
    let (present, leave, absent) = (names(AttendanceMark::Present), names(AttendanceMark::Leave), names(AttendanceMark::Absent));
    let mut facts = vec![
        ("党支部".to_string(), m.branch_name.clone()),
        ("会议类型".into(), m.kind().label().zh.to_string()),
        ("时间".into(), m.held_on.clone()),
        ("地点".into(), m.place.clone().unwrap_or_default()),
        ("主持人".into(), m.host_name.clone().unwrap_or_default()),
        ("主题".into(), m.topic.clone()),
        ("出勤情况".into(), format!("应到{}人，实到{}人，请假{}人，缺席{}人", att.len(), present.len(), leave.len(), absent.len())),
        ("请假人员及事由".into(), list(leave, true)),
        ("缺席人员".into(), list(absent, true)),
    ];
    if let Some((t, tally, decision)) = m.vote() {
        let result = decision.map(|d| format!("{}。{}", d.outcome.label().zh, d.reason.zh)).unwrap_or_default();
        facts.push(("表决事项".into(), t.to_string()));
        facts.push(("表决结果".into(), format!("赞成{}票，反对{}票，弃权{}票。{result}", tally.yes, tally.no, tally.abstain)));
    }
    facts.push(("会议内容".into(), m.minutes.clone().unwrap_or_default()));
    facts.push(("记录人".into(), m.recorded_by.clone()));
    let doc = Document { title: "组织生活报告单".into(), subtitle: Some(format!("{}　{}", m.branch_name, m.held_on)), blocks: vec![Block::Facts(facts)] };
    let bytes = qingfeng_sheets::write_docx(&doc).map_err(crate::rectify::sheets::write_failed)?;
    Ok(crate::rectify::sheets::download(
        &format!("组织生活报告单-{}-{}.docx", m.branch_name, m.held_on),
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        bytes,
    ))
}
