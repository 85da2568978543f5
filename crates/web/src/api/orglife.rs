//! JSON API of 组织生活: a branch's compliance and roster, recording a held
//! meeting (the same function as the page: one access check, one
//! transaction, the vote decided by the 条例's rule) and reading it back.

use crate::AppState;
use crate::api::{ApiJson, ApiQuery, PathId};
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::orglife::{compliance, today, visible_branch, year_of};
use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use qingfeng_domain::access::Action;
use qingfeng_domain::orglife::input::{MarkInput, MeetingInput};
use serde::{Deserialize, Serialize};
use utoipa::{IntoParams, ToSchema};
use uuid::Uuid;

type Err = crate::error::ErrorBody;

#[derive(Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct YearParams {
    /// Calendar year; this year when left out.
    year: Option<String>,
}

#[derive(Serialize, ToSchema)]
pub struct SlotDto {
    /// First and last day of the period (`YYYY-MM-DD`).
    start: String,
    end: String,
    /// Meetings of the kind held in the period.
    held: u32,
    /// `done`, `due`, `missed` or `upcoming`.
    status: String,
}

#[derive(Serialize, ToSchema)]
pub struct KindComplianceDto {
    /// `branch_assembly`, `branch_committee`, `cell_meeting`, `party_lecture`, `theme_day`, `life_meeting`, `member_review`.
    kind: String,
    label: String,
    /// `monthly`, `quarterly`, `half_yearly` or `yearly` (from the rules file).
    frequency: String,
    done: u32,
    due: u32,
    missed: u32,
    slots: Vec<SlotDto>,
}

#[derive(Serialize, ToSchema)]
pub struct ComplianceDto {
    branch_id: Uuid,
    branch_name: String,
    year: i16,
    formal_members: i64,
    probationary_members: i64,
    done: u32,
    due: u32,
    missed: u32,
    /// Attendance lines of the year's meetings, and how many were present.
    attendance_expected: i64,
    attendance_present: i64,
    /// Members now on the roster without the yearly 谈心谈话.
    talk_gaps: i64,
    kinds: Vec<KindComplianceDto>,
}

/// A branch's compliance with the 支部工作条例 frequencies, computed from its meeting records.
#[utoipa::path(get, path = "/api/v1/orglife/branches/{id}/compliance", tag = "orglife",
    params(("id" = Uuid, Path, description = "branch id"), YearParams),
    responses((status = 200, body = ComplianceDto), (status = 404, body = Err)))]
pub async fn branch_compliance(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    ApiQuery(p): ApiQuery<YearParams>,
) -> AppResult<Json<ComplianceDto>> {
    let info = visible_branch(&state, &user, id, Action::ViewOrgLife).await?;
    let today = today();
    let year = year_of(p.year.as_deref(), today);
    let c = compliance(&state, &[info.scope()?], Some(id), year, today).await?.into_iter().next().ok_or(crate::error::AppError::NotFound)?;
    Ok(Json(ComplianceDto {
        branch_id: id,
        branch_name: c.branch.name.clone(),
        year,
        formal_members: c.branch.formal,
        probationary_members: c.branch.probationary,
        done: c.summary.done,
        due: c.summary.due,
        missed: c.summary.missed,
        attendance_expected: c.expected,
        attendance_present: c.present,
        talk_gaps: c.talk_gaps,
        kinds: c
            .kinds
            .iter()
            .map(|k| KindComplianceDto {
                kind: k.kind.as_str().into(),
                label: k.kind.label().get(ctx.lang).into(),
                frequency: k.frequency.as_str().into(),
                done: k.summary.done,
                due: k.summary.due,
                missed: k.summary.missed,
                slots: k
                    .slots
                    .iter()
                    .map(|s| SlotDto { start: s.period.start.to_string(), end: s.period.end.to_string(), held: s.held, status: s.status.as_str().into() })
                    .collect(),
            })
            .collect(),
    }))
}

#[derive(Serialize, ToSchema)]
pub struct MemberDto {
    membership_id: Uuid,
    person_id: Uuid,
    name: String,
    /// `formal` or `probationary`.
    status: String,
    joined_on: String,
    committee_role: Option<String>,
    voting: bool,
    cell: Option<String>,
}

/// The branch's roster today (committee seats first).
#[utoipa::path(get, path = "/api/v1/orglife/branches/{id}/roster", tag = "orglife",
    params(("id" = Uuid, Path, description = "branch id")),
    responses((status = 200, body = [MemberDto]), (status = 404, body = Err)))]
pub async fn roster(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Json<Vec<MemberDto>>> {
    visible_branch(&state, &user, id, Action::ViewOrgLife).await?;
    let list = state.store.orglife().roster(id, today()).await?;
    Ok(Json(
        list.into_iter()
            .map(|m| MemberDto {
                membership_id: m.id,
                person_id: m.person_id,
                voting: m.voting(),
                name: m.person_name,
                status: m.status,
                joined_on: m.joined_on,
                committee_role: m.committee_role,
                cell: m.cell_name,
            })
            .collect(),
    ))
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct MarkDto {
    person_id: Uuid,
    /// `present`, `leave` (needs a reason) or `absent`.
    mark: String,
    reason: Option<String>,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct VoteInput {
    /// 表决事项.
    title: String,
    yes: u32,
    no: u32,
    abstain: u32,
}

#[derive(Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub struct RecordMeetingInput {
    /// See `KindComplianceDto.kind` (or `democratic_life_meeting`).
    kind: String,
    /// `YYYY-MM-DD`, not in the future.
    held_on: String,
    topic: String,
    place: Option<String>,
    /// Must be on the roster.
    host_id: Option<Uuid>,
    minutes: Option<String>,
    /// The plan item the meeting carries out.
    plan_id: Option<Uuid>,
    /// Members left out count as present.
    attendance: Option<Vec<MarkDto>>,
    /// Only at 党员大会 and 支委会; entitled and present voters come from the attendance.
    vote: Option<VoteInput>,
}

#[derive(Serialize, ToSchema)]
pub struct AttendanceDto {
    person_id: Uuid,
    name: String,
    mark: String,
    reason: Option<String>,
    voting: bool,
}

#[derive(Serialize, ToSchema)]
pub struct DecisionDto {
    title: String,
    entitled: u32,
    present: u32,
    yes: u32,
    no: u32,
    abstain: u32,
    /// `passed`, `not_passed` or `no_quorum`.
    outcome: String,
    /// Why, in the caller's language (e.g. 7 yes of 15 entitled is not more than half).
    reason: String,
}

#[derive(Serialize, ToSchema)]
pub struct MeetingDto {
    id: Uuid,
    branch_id: Uuid,
    kind: String,
    held_on: String,
    topic: String,
    place: Option<String>,
    host: Option<String>,
    expected: i64,
    present: i64,
    decision: Option<DecisionDto>,
    attendance: Vec<AttendanceDto>,
}

async fn meeting_dto(state: &AppState, lang: qingfeng_domain::Lang, id: Uuid) -> AppResult<MeetingDto> {
    let m = state.store.orglife().meeting(id).await?;
    let att = state.store.orglife().attendance(id).await?;
    let decision = m.vote().map(|(title, t, d)| {
        DecisionDto {
            title: title.to_string(),
            entitled: t.entitled,
            present: t.present,
            yes: t.yes,
            no: t.no,
            abstain: t.abstain,
            outcome: m.decision_outcome.clone().unwrap_or_default(),
            reason: d.map(|d| d.reason.get(lang).to_string()).unwrap_or_default(),
        }
    });
    Ok(MeetingDto {
        id: m.id,
        branch_id: m.branch_id,
        kind: m.kind.clone(),
        held_on: m.held_on.clone(),
        topic: m.topic.clone(),
        place: m.place.clone(),
        host: m.host_name.clone(),
        expected: m.expected,
        present: m.present,
        decision,
        attendance: att
            .into_iter()
            .map(|a| AttendanceDto { person_id: a.person_id, name: a.person_name, mark: a.mark, reason: a.reason, voting: a.voting })
            .collect(),
    })
}

/// Records a held meeting of a branch the caller keeps, with its attendance and any vote.
#[utoipa::path(post, path = "/api/v1/orglife/branches/{id}/meetings", tag = "orglife",
    params(("id" = Uuid, Path, description = "branch id")), request_body = RecordMeetingInput,
    responses((status = 201, body = MeetingDto), (status = 422, body = Err), (status = 404, body = Err)))]
pub async fn record_meeting(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    ApiJson(i): ApiJson<RecordMeetingInput>,
) -> AppResult<(StatusCode, Json<MeetingDto>)> {
    let count = |v: Option<u32>| v.map(|n| n.to_string()).unwrap_or_default();
    let input = MeetingInput {
        kind: i.kind,
        held_on: i.held_on,
        topic: i.topic,
        place: i.place.unwrap_or_default(),
        host_id: i.host_id,
        minutes: i.minutes.unwrap_or_default(),
        plan_id: i.plan_id,
        attendance: i
            .attendance
            .unwrap_or_default()
            .into_iter()
            .map(|m| MarkInput { person_id: m.person_id, mark: m.mark, reason: m.reason.unwrap_or_default() })
            .collect(),
        decision_title: i.vote.as_ref().map(|v| v.title.clone()).unwrap_or_default(),
        votes_yes: count(i.vote.as_ref().map(|v| v.yes)),
        votes_no: count(i.vote.as_ref().map(|v| v.no)),
        votes_abstain: count(i.vote.as_ref().map(|v| v.abstain)),
    };
    let m = crate::orglife::record_meeting(&state, &user, id, &input).await?;
    Ok((StatusCode::CREATED, Json(meeting_dto(&state, ctx.lang, m.id).await?)))
}

/// One meeting with its attendance and vote.
#[utoipa::path(get, path = "/api/v1/orglife/meetings/{id}", tag = "orglife",
    params(("id" = Uuid, Path, description = "meeting id")),
    responses((status = 200, body = MeetingDto), (status = 404, body = Err)))]
pub async fn get_meeting(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Json<MeetingDto>> {
    let m = state.store.orglife().meeting(id).await?;
    user.authorize(Action::ViewOrgLife, &m.scope()?)?;
    Ok(Json(meeting_dto(&state, ctx.lang, id).await?))
}
