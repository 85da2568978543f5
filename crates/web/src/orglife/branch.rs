//! A branch's page: compliance by period, the annual plan, the meetings,
//! the roster with attendance rates and 谈心谈话 coverage; the plan and
//! roster commands; the attendance register generated from the records.

use super::board::YearQuery;
use super::{BranchCompliance, compliance, permille, today, visible_branch, year_bounds, year_of};
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, form_uuid};
use crate::layout::{Layout, done, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiff::civil::Date;
use qingfeng_domain::access::Action;
use qingfeng_domain::orglife::compliance::{Slot, SlotStatus, attendance_permille, talk_gaps};
use qingfeng_domain::orglife::input::{MemberInput, TransferInput};
use qingfeng_domain::orglife::plan::default_plan;
use qingfeng_domain::orglife::{AttendanceMark, CommitteeRole, MeetingKind, required_kinds};
use qingfeng_domain::Refusal;
use qingfeng_store::orglife::{BranchInfo, Meeting, Member, MemberTurnout, PlanItem};
use qingfeng_store::people::Person;
use serde::Deserialize;
use std::collections::HashMap;
use uuid::Uuid;

/// A roster line with this year's figures.
pub struct RosterLine {
    pub m: Member,
    pub turnout: Option<MemberTurnout>,
    pub talked: bool,
}

#[derive(Template)]
#[template(path = "orglife/branch.html")]
struct BranchPage {
    l: Layout,
    b: BranchCompliance,
    year: i16,
    today: Date,
    plan: Vec<PlanItem>,
    meetings: Vec<Meeting>,
    roster: Vec<RosterLine>,
    gaps: Vec<String>,
    candidates: Vec<Person>,
    branches: Vec<BranchInfo>,
    can_manage: bool,
    can_talk: bool,
}

impl BranchPage {
    /// Columns a slot spans in the twelve-month grid.
    fn span(&self, s: &Slot) -> i8 {
        s.period.end.month() - s.period.start.month() + 1
    }
    fn slot_class(&self, s: &Slot) -> &'static str {
        match s.status {
            SlotStatus::Done => "slot slot-done",
            SlotStatus::Missed => "slot slot-missed",
            SlotStatus::Due => "slot slot-due",
            SlotStatus::Upcoming => "slot slot-upcoming",
        }
    }
    fn slot_link(&self, kind: &MeetingKind, s: &Slot) -> String {
        format!("/orglife/branches/{}/meetings?kind={}&from={}&to={}", self.b.branch.id, kind.as_str(), s.period.start, s.period.end)
    }
    fn rate(&self, t: &Option<MemberTurnout>) -> String {
        match t {
            Some(t) => permille(attendance_permille(t.present as u32, t.expected as u32)),
            None => "—".into(),
        }
    }
    fn plan_due(&self, p: &PlanItem) -> bool {
        p.meeting_id.is_none() && p.planned_on.as_str() <= self.today.to_string().as_str()
    }
    fn kind_label(&self, code: &str) -> String {
        MeetingKind::parse(code).map(|k| self.l.t.m(k.label())).unwrap_or_default()
    }
    fn months(&self) -> std::ops::RangeInclusive<i8> {
        1..=12
    }
    fn kinds(&self) -> Vec<(&'static str, String)> {
        MeetingKind::BRANCH.iter().map(|k| (k.as_str(), self.l.t.m(k.label()))).collect()
    }
    fn seats(&self) -> Vec<(&'static str, String)> {
        CommitteeRole::ALL.iter().map(|r| (r.as_str(), self.l.t.m(r.label()))).collect()
    }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let info = visible_branch(&state, &user, id, Action::ViewOrgLife).await?;
    let path = info.scope()?;
    let today = today();
    let year = year_of(q.year.as_deref(), today);
    let (from, to) = year_bounds(year);
    let b = compliance(&state, std::slice::from_ref(&path), Some(id), year, today).await?.into_iter().next().ok_or(AppError::NotFound)?;
    let o = state.store.orglife();
    let on = if to < today { to } else { today };
    let members = o.roster(id, on).await?;
    let turnout: HashMap<Uuid, MemberTurnout> = o.turnout(id, from, to).await?.into_iter().map(|t| (t.person_id, t)).collect();
    let ids: Vec<Uuid> = members.iter().map(|m| m.person_id).collect();
    let talks = o.heart_to_heart(&ids, year).await?;
    let missing = talk_gaps(&ids, &talks, state.config.rules.orglife.heart_to_heart_per_year);
    let gaps = members.iter().filter(|m| missing.contains(&m.person_id)).map(|m| m.person_name.clone()).collect();
    let roster = members
        .into_iter()
        .map(|m| RosterLine { turnout: turnout.get(&m.person_id).cloned(), talked: !missing.contains(&m.person_id), m })
        .collect::<Vec<_>>();
    let can_manage = user.can(Action::ManageOrgLife, &path);
    let (candidates, branches) = if can_manage {
        let on_roster: Vec<Uuid> = roster.iter().map(|r| r.m.person_id).collect();
        let people = state
            .store
            .people()
            .list(std::slice::from_ref(&path), &qingfeng_store::people::PeopleFilter { party_members_only: true, ..Default::default() }, Default::default())
            .await?;
        let free = people.items.into_iter().filter(|p| !on_roster.contains(&p.id)).collect();
        let mut branches = o.branches(&user.scopes(Action::ManageOrgLife), None).await?;
        branches.retain(|x| x.id != id);
        (free, branches)
    } else {
        (Vec::new(), Vec::new())
    };
    page(&BranchPage {
        l: Layout::new(&state, &ctx, "orglife", b.branch.name.clone()),
        plan: o.plan(id, year).await?,
        meetings: o.meetings(id, from, to, None).await?,
        can_talk: user.can(Action::RecordTalk, &path),
        b,
        year,
        today,
        roster,
        gaps,
        candidates,
        branches,
        can_manage,
    })
}

/// `POST /orglife/branches/{id}/plan/generate`: the default annual plan, once.
pub async fn generate_plan(State(state): State<AppState>, user: User, PathId(id): PathId, Form(q): Form<YearQuery>) -> AppResult<Response> {
    let info = visible_branch(&state, &user, id, Action::ManageOrgLife).await?;
    let year = year_of(q.year.as_deref(), today());
    if !state.store.orglife().plan(id, year).await?.is_empty() {
        return Err(Refusal::new("plan_exists", "本年度计划已制定，可在计划中逐项增补", "this year's plan already exists").into());
    }
    let items = default_plan(&required_kinds(&state.config.rules.orglife, info.shape()), year);
    state.store.orglife().add_plan(&user.who(), id, &items).await?;
    Ok(done(&state, &format!("/orglife/branches/{id}?year={year}#plan"), "flash.saved"))
}

#[derive(Deserialize, Default)]
pub struct PlanForm {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    planned_on: String,
    #[serde(default)]
    topic: String,
}

/// `POST /orglife/branches/{id}/plan`: adds one item to the plan (a topic
/// the branch settles on, a meeting the default plan lacks).
pub async fn add_plan_item(State(state): State<AppState>, user: User, PathId(id): PathId, Form(f): Form<PlanForm>) -> AppResult<Response> {
    visible_branch(&state, &user, id, Action::ManageOrgLife).await?;
    let spec = qingfeng_domain::orglife::input::PlanItemInput { kind: f.kind, planned_on: f.planned_on, topic: f.topic }.validate()?;
    state.store.orglife().add_plan(&user.who(), id, std::slice::from_ref(&spec)).await?;
    Ok(done(&state, &format!("/orglife/branches/{id}?year={}#plan", spec.planned_on.year()), "flash.saved"))
}

/// `POST /orglife/branches/{id}/members`: puts a party member on the roster.
pub async fn add_member(State(state): State<AppState>, user: User, PathId(id): PathId, Form(f): Form<MemberForm>) -> AppResult<Response> {
    visible_branch(&state, &user, id, Action::ManageOrgLife).await?;
    let input = MemberInput {
        person_id: form_uuid(&f.person_id)?,
        status: f.status,
        joined_on: f.joined_on,
        committee_role: f.committee_role,
        cell_id: None,
        vote_suspended: false,
    };
    let spec = input.validate(today())?;
    crate::org::visible_person(&state, &user, spec.person_id, Action::ViewPeople).await?;
    state.store.orglife().add_member(&user.who(), id, &spec, today()).await?;
    Ok(done(&state, &format!("/orglife/branches/{id}#roster"), "flash.saved"))
}

#[derive(Deserialize, Default)]
pub struct MemberForm {
    #[serde(default)]
    person_id: String,
    #[serde(default)]
    status: String,
    #[serde(default)]
    joined_on: String,
    #[serde(default)]
    committee_role: String,
}

#[derive(Deserialize, Default)]
pub struct TransferForm {
    #[serde(default)]
    to_branch_id: String,
    #[serde(default)]
    on: String,
    #[serde(default)]
    reason: String,
}

/// `POST /orglife/members/{id}/transfer`: 组织关系转接 to another branch the user keeps.
pub async fn transfer(State(state): State<AppState>, user: User, PathId(id): PathId, Form(f): Form<TransferForm>) -> AppResult<Response> {
    let m = state.store.orglife().member(id).await?;
    user.authorize(Action::ManageOrgLife, &m.scope()?)?;
    let input = TransferInput { to_branch_id: form_uuid(&f.to_branch_id)?, on: f.on, reason: f.reason };
    let (to, on, reason) = input.validate(today())?;
    visible_branch(&state, &user, to, Action::ManageOrgLife).await?;
    state.store.orglife().transfer(&user.who(), id, to, on, reason.as_deref()).await?;
    Ok(done(&state, &format!("/orglife/branches/{}#roster", m.branch_id), "flash.saved"))
}

/// `GET /orglife/branches/{id}/register.xlsx?year=`: the 党员出勤登记表,
/// members down, meetings across, generated from the meeting records.
pub async fn register_xlsx(State(state): State<AppState>, user: User, PathId(id): PathId, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let info = visible_branch(&state, &user, id, Action::ViewOrgLife).await?;
    let year = year_of(q.year.as_deref(), today());
    let (from, to) = year_bounds(year);
    let o = state.store.orglife();
    let mut meetings = o.meetings(id, from, to, None).await?;
    meetings.reverse();
    let lines = o.register(id, from, to).await?;
    let (headers, rows) = register_table(&meetings, &lines);
    let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
    let title = format!("{}{}年党员出勤登记表", info.name, year);
    let bytes = qingfeng_sheets::write_table(&title, &headers, &rows).map_err(crate::rectify::sheets::write_failed)?;
    Ok(crate::rectify::sheets::xlsx(&format!("{title}.xlsx"), bytes))
}

/// The register as a table: one row per member who was on the roster at
/// any meeting (in roster order of first appearance), one column per
/// meeting, then the totals.
pub fn register_table(meetings: &[Meeting], lines: &[qingfeng_store::orglife::AttendanceRow]) -> (Vec<String>, Vec<Vec<String>>) {
    let mut headers = vec!["序号".to_string(), "姓名".to_string()];
    headers.extend(meetings.iter().map(|m| {
        let kind = MeetingKind::parse(&m.kind).map(|k| k.label().zh.to_string()).unwrap_or_default();
        format!("{}\n{}", &m.held_on[5..], kind)
    }));
    headers.extend(["应到".into(), "出席".into(), "请假".into(), "缺席".into(), "出勤率".into()]);
    let mut order: Vec<(Uuid, String)> = Vec::new();
    let mut cells: HashMap<(Uuid, Uuid), (AttendanceMark, Option<String>)> = HashMap::new();
    for a in lines {
        if !order.iter().any(|(p, _)| *p == a.person_id) {
            order.push((a.person_id, a.person_name.clone()));
        }
        cells.insert((a.person_id, a.meeting_id), (a.mark(), a.reason.clone()));
    }
    let rows = order
        .iter()
        .enumerate()
        .map(|(i, (pid, name))| {
            let mut row = vec![(i + 1).to_string(), name.clone()];
            let (mut n, mut present, mut leave, mut absent) = (0u32, 0u32, 0u32, 0u32);
            for m in meetings {
                row.push(match cells.get(&(*pid, m.id)) {
                    None => String::new(),
                    Some((mark, reason)) => {
                        n += 1;
                        match mark {
                            AttendanceMark::Present => {
                                present += 1;
                                "✓".into()
                            }
                            AttendanceMark::Leave => {
                                leave += 1;
                                format!("假（{}）", reason.as_deref().unwrap_or(""))
                            }
                            AttendanceMark::Absent => {
                                absent += 1;
                                "缺".into()
                            }
                        }
                    }
                });
            }
            row.extend([n.to_string(), present.to_string(), leave.to_string(), absent.to_string(), permille(attendance_permille(present, n))]);
            row
        })
        .collect();
    (headers, rows)
}
