//! 组织生活 and 谈话 pages: the compliance board rolled up the tree
//! ([`board`]), a branch's page with its plan, meetings, roster and
//! register ([`branch`]), recording a meeting in one form ([`meetings`]) and
//! talks ([`talks`]). Access is decided here, through [`visible_branch`] and
//! `User::authorize` on the record's unit.

pub mod board;
pub mod files;
pub mod branch;
pub mod meetings;
pub mod talks;

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use jiff::civil::Date;
use qingfeng_domain::access::Action;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::orglife::compliance::{KindCompliance, Summary, branch_compliance};
use qingfeng_domain::orglife::{MeetingKind, required_kinds};
use qingfeng_store::orglife::BranchInfo;
use std::collections::HashMap;
use uuid::Uuid;

pub use crate::rectify::today;

/// Loads a branch the user may `action` (404 outside every scope, or when
/// the unit is not a branch).
pub async fn visible_branch(state: &AppState, user: &User, id: Uuid, action: Action) -> AppResult<BranchInfo> {
    let unit = crate::org::visible_unit(state, user, id, action.visibility()).await?;
    let b = state.store.orglife().branches(std::slice::from_ref(&unit.path), Some(id)).await?.into_iter().next().ok_or(AppError::NotFound)?;
    user.authorize(action, &unit.path)?;
    Ok(b)
}

/// The year a page looks at: `?year=` within 2000–2100, else this year.
pub fn year_of(q: Option<&str>, today: Date) -> i16 {
    q.and_then(|y| y.trim().parse::<i16>().ok()).filter(|y| (2000..=2100).contains(y)).unwrap_or(today.year())
}

pub fn year_bounds(year: i16) -> (Date, Date) {
    (Date::new(year, 1, 1).unwrap_or_default(), Date::new(year, 12, 31).unwrap_or_default())
}

/// One branch's compliance over a period.
pub struct BranchCompliance {
    pub branch: BranchInfo,
    pub kinds: Vec<KindCompliance>,
    pub summary: Summary,
    /// Attendance lines and how many were present, over the period.
    pub expected: i64,
    pub present: i64,
    /// Members without the yearly 谈心谈话 (第十九条).
    pub talk_gaps: i64,
}

impl BranchCompliance {
    pub fn turnout(&self) -> String {
        permille(qingfeng_domain::orglife::compliance::attendance_permille(self.present as u32, self.expected as u32))
    }
}

/// Compliance of every branch within `scopes` (or of one) for `year`,
/// computed from the meeting records.
pub async fn compliance(
    state: &AppState,
    scopes: &[OrgPath],
    only: Option<Uuid>,
    year: i16,
    today: Date,
) -> AppResult<Vec<BranchCompliance>> {
    let rules = state.config.rules.orglife;
    let (from, to) = year_bounds(year);
    let branches = state.store.orglife().branches(scopes, only).await?;
    let mut held: HashMap<Uuid, Vec<(MeetingKind, Date)>> = HashMap::new();
    for h in state.store.orglife().held(scopes, from, to).await? {
        if let (Some(k), Ok(d)) = (MeetingKind::parse(&h.kind), h.held_on.parse::<Date>()) {
            held.entry(h.branch_id).or_default().push((k, d));
        }
    }
    let gaps: HashMap<Uuid, i64> =
        state.store.orglife().talk_gaps_by_branch(scopes, year, rules.heart_to_heart_per_year).await?.into_iter().collect();
    let turnout: HashMap<Uuid, (i64, i64)> =
        state.store.orglife().branch_turnout(scopes, from, to).await?.into_iter().map(|(b, e, p)| (b, (e, p))).collect();
    Ok(branches
        .into_iter()
        .map(|b| {
            let (expected, present) = turnout.get(&b.id).copied().unwrap_or((0, 0));
            let talk_gaps = gaps.get(&b.id).copied().unwrap_or(0);
            let required = required_kinds(&rules, b.shape());
            let kinds = branch_compliance(&required, held.get(&b.id).map_or(&[][..], Vec::as_slice), from, to, today);
            let mut summary = Summary::default();
            for k in &kinds {
                summary.add(k.summary);
            }
            BranchCompliance { branch: b, kinds, summary, expected, present, talk_gaps }
        })
        .collect())
}

/// Planned meetings of the last two months not yet recorded, for 我的待办.
pub async fn todos(state: &AppState, user: &User) -> AppResult<Vec<crate::home::TodoItem>> {
    let scopes = user.scopes(Action::ManageOrgLife);
    if scopes.is_empty() {
        return Ok(Vec::new());
    }
    let today = today();
    let from = today.first_of_month().checked_sub(jiff::Span::new().months(1)).unwrap_or(today);
    let due = state.store.orglife().plan_due(&scopes, from, today, 20).await?;
    Ok(due
        .into_iter()
        .map(|(p, branch)| crate::home::TodoItem {
            module: "orglife".into(),
            title: format!("待记录{}｜{} {}", p.kind().label().zh, branch, crate::rectify::clip(&p.topic, 30)),
            due: Some(p.planned_on.clone()),
            warning: Some(if p.planned_on < from.checked_add(jiff::Span::new().months(1)).unwrap_or(today).to_string() { "red" } else { "yellow" }.into()),
            url: format!("/orglife/branches/{}/meetings/new?plan={}", p.branch_id, p.id),
        })
        .collect())
}

/// The day whose roster a meeting form marks: the meeting's date when it
/// is a valid past date, else today (validation then names the date).
pub fn roster_day(held_on: &str, today: Date) -> Date {
    held_on.parse::<Date>().ok().filter(|d| *d <= today).unwrap_or(today)
}

/// Records a held meeting of a branch the user keeps, validated against
/// the roster on the meeting day (the page and the API share this).
pub async fn record_meeting(
    state: &AppState,
    user: &User,
    branch: Uuid,
    input: &qingfeng_domain::orglife::input::MeetingInput,
) -> AppResult<qingfeng_store::orglife::Meeting> {
    visible_branch(state, user, branch, Action::ManageOrgLife).await?;
    let today = today();
    let roster: Vec<_> = state.store.orglife().roster(branch, roster_day(&input.held_on, today)).await?.iter().map(|m| m.roster_entry()).collect();
    let spec = input.validate(&roster, today)?;
    Ok(state.store.orglife().record(&user.who(), branch, &spec).await?)
}

/// "87.5%" from tenths of a percent, "—" when nothing was due.
pub fn permille(v: Option<u32>) -> String {
    match v {
        Some(p) => format!("{}.{}%", p / 10, p % 10),
        None => "—".into(),
    }
}
