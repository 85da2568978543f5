//! 组织生活 board: for any node, how its branches kept the 条例's
//! frequencies this year, rolled up by the node's children, every figure
//! linking to the branch behind it. Nothing here is typed: it is counted
//! from the meeting records.

use super::{BranchCompliance, compliance, permille, today, year_of};
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::AppResult;
use crate::i18n::T;
use crate::layout::{Layout, page};
use askama::Template;
use axum::extract::State;
use axum::response::{IntoResponse, Redirect, Response};
use qingfeng_domain::access::Action;
use qingfeng_domain::org::OrgKind;
use qingfeng_domain::orglife::compliance::Summary;
use qingfeng_store::org::OrgUnit;
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    pub year: Option<String>,
}

/// `/orglife`: the board of the user's first scope.
pub async fn home(State(state): State<AppState>, user: User, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let id = crate::org::first_scope_unit(&state, &user, Action::ViewOrgLife).await?;
    let year = q.year.map(|y| format!("?year={}", crate::form::urlencode(&y))).unwrap_or_default();
    Ok(Redirect::to(&format!("/orglife/units/{id}{year}")).into_response())
}

/// One row of the roll-up: a child of the node with the branches under it.
pub struct Rollup {
    pub unit: OrgUnit,
    pub talk_gaps: i64,
    pub expected: i64,
    pub present: i64,
    pub branches: usize,
    pub compliant: usize,
    pub members: i64,
    pub summary: Summary,
}

#[derive(Template)]
#[template(path = "orglife/board.html")]
struct BoardPage {
    l: Layout,
    unit: OrgUnit,
    ancestors: Vec<OrgUnit>,
    year: i16,
    years: Vec<i16>,
    total: Rollup,
    children: Vec<Rollup>,
    branches: Vec<BranchCompliance>,
    can_talks: bool,
}

impl BoardPage {
    fn rate(&self, s: &Summary) -> String {
        permille(s.rate_permille())
    }
    fn turnout(&self, r: &Rollup) -> String {
        permille(qingfeng_domain::orglife::compliance::attendance_permille(r.present as u32, r.expected as u32))
    }
}

fn roll(unit: OrgUnit, list: &[&BranchCompliance]) -> Rollup {
    let mut summary = Summary::default();
    for b in list {
        summary.add(b.summary);
    }
    Rollup {
        unit,
        branches: list.len(),
        compliant: list.iter().filter(|b| b.summary.missed == 0).count(),
        members: list.iter().map(|b| b.branch.members()).sum(),
        expected: list.iter().map(|b| b.expected).sum(),
        talk_gaps: list.iter().map(|b| b.talk_gaps).sum(),
        present: list.iter().map(|b| b.present).sum(),
        summary,
    }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Query(q): Query<YearQuery>) -> AppResult<Response> {
    let unit = crate::org::visible_unit(&state, &user, id, Action::ViewOrgLife).await?;
    if unit.kind == OrgKind::Branch {
        return Ok(Redirect::to(&format!("/orglife/branches/{id}")).into_response());
    }
    let today = today();
    let year = year_of(q.year.as_deref(), today);
    let mut branches = compliance(&state, std::slice::from_ref(&unit.path), None, year, today).await?;
    // Worst first: the branches that missed most are what a supervisor looks for.
    branches.sort_by(|a, b| b.summary.missed.cmp(&a.summary.missed).then_with(|| a.branch.path.cmp(&b.branch.path)));
    let mut children = Vec::new();
    for child in state.store.orgs().children(Some(id), false).await? {
        let under: Vec<&BranchCompliance> =
            branches.iter().filter(|b| b.branch.scope().is_ok_and(|p| p.is_within(&child.unit.path))).collect();
        if !under.is_empty() {
            children.push(roll(child.unit, &under));
        }
    }
    let all: Vec<&BranchCompliance> = branches.iter().collect();
    let total = roll(unit.clone(), &all);
    let ancestors = state.store.orgs().ancestry(&unit, &user.scopes(Action::ViewOrgLife)).await?;
    page(&BoardPage {
        l: Layout::new(&state, &ctx, "orglife", format!("{} · {}", T(ctx.lang).s("orglife.board"), unit.display_name())),
        years: (year - 2..=today.year()).rev().collect(),
        can_talks: user.can(Action::ViewTalks, &unit.path),
        unit,
        ancestors,
        year,
        total,
        children,
        branches,
    })
}
