//! What the pages and the JSON API share: every read and command of the
//! module starts here with the module's one access check
//! ([`visible_problem`], [`measure_access`], [`own_batch`], `visible_unit`)
//! and then runs one store command (one transaction). The HTML handlers
//! turn the result into a page, the API handlers into JSON.

use super::problems::{ListQuery, filter_of};
use super::visible_problem;
use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use qingfeng_domain::Msg;
use qingfeng_domain::access::Action;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_domain::rectify::ProblemStatus;
use qingfeng_domain::rectify::eight_rules::Taxonomy;
use qingfeng_domain::rectify::input::{BatchInput, ExtensionInput, MeasureInput, ProblemInput};
use qingfeng_domain::rectify::lifecycle::{Capacities, ProblemAction, available};
use qingfeng_store::org::OrgUnit;
use qingfeng_store::rectify::{
    Batch, Board, Closure, Escalation, Evidence, Extension, Measure, Problem, ProblemFilter, RatingSummary, Step,
};
use uuid::Uuid;

/// The lifecycle actions a person may ask for by name (a failed spot check
/// is recorded through its draw, never as a bare action).
pub const REQUESTABLE: [ProblemAction; 5] = [
    ProblemAction::Claim,
    ProblemAction::RequestClosure,
    ProblemAction::Return,
    ProblemAction::Close,
    ProblemAction::Relapse,
];

/// The action named `s`, or a field error on `action`.
pub fn parse_action(s: &str) -> AppResult<ProblemAction> {
    REQUESTABLE
        .into_iter()
        .find(|a| a.as_str() == s)
        .ok_or_else(|| AppError::field("action", Msg::new("未知操作", "unknown action")))
}

/// Whether the action needs a comment (the lifecycle table refuses it without one).
pub fn needs_comment(a: ProblemAction) -> bool {
    matches!(a, ProblemAction::Return | ProblemAction::Relapse | ProblemAction::FailSpotCheck)
}

/// The problems of the list, filtered as the query says, within the user's scope.
pub async fn list_problems(
    state: &AppState,
    user: &User,
    q: &ListQuery,
    page: PageRequest,
) -> AppResult<(Page<Problem>, ProblemFilter, Option<OrgUnit>)> {
    let scopes = user.scopes(Action::ViewRectify);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let (filter, unit) = filter_of(state, user, q).await?;
    let result = state.store.rectify().list(&scopes, &filter, page).await?;
    Ok((result, filter, unit))
}

/// A measure with its current evidence.
pub struct MeasureView {
    pub m: Measure,
    pub evidence: Vec<Evidence>,
}

/// One problem with everything its page shows.
pub struct ProblemDetail {
    pub p: Problem,
    pub cap: Capacities,
    /// What the user may ask for now.
    pub actions: Vec<ProblemAction>,
    pub measures: Vec<MeasureView>,
    pub steps: Vec<Step>,
    pub closures: Vec<Closure>,
    pub extensions: Vec<Extension>,
    pub escalations: Vec<Escalation>,
    pub ratings: RatingSummary,
}

impl ProblemDetail {
    /// Measures and evidence may be added (the lead unit, while in progress).
    pub fn can_work(&self) -> bool {
        self.cap.lead_unit && self.p.status() == ProblemStatus::InProgress
    }
}

pub async fn problem_detail(state: &AppState, user: &User, id: Uuid) -> AppResult<ProblemDetail> {
    let (p, cap) = visible_problem(state, user, id, Action::ViewRectify).await?;
    let r = state.store.rectify();
    let mut measures = Vec::new();
    for m in r.measures_of(id).await? {
        let evidence = r.evidence_of(m.id).await?;
        measures.push(MeasureView { m, evidence });
    }
    Ok(ProblemDetail {
        actions: available(p.status(), cap).into_iter().filter(|a| REQUESTABLE.contains(a)).collect(),
        measures,
        steps: r.steps(id).await?,
        closures: r.closures(id).await?,
        extensions: r.extensions(id).await?,
        escalations: r.escalations(id).await?,
        ratings: r.rating_summary(id).await?,
        p,
        cap,
    })
}

/// Performs a lifecycle action in the capacities the user holds; a refusal
/// (`AppError::Refused`) carries the reason, e.g. the measure without evidence.
pub async fn act(
    state: &AppState,
    user: &User,
    id: Uuid,
    action: ProblemAction,
    comment: Option<&str>,
) -> AppResult<Problem> {
    let (_, cap) = visible_problem(state, user, id, Action::ViewRectify).await?;
    let r = super::reckon(state);
    Ok(state.store.rectify().act(&user.who(), &r.env(), id, action, cap, comment).await?)
}

/// Adds a measure to a problem the user manages.
pub async fn add_measure(state: &AppState, user: &User, id: Uuid, input: &MeasureInput) -> AppResult<Measure> {
    visible_problem(state, user, id, Action::ManageRectify).await?;
    let spec = input.validate()?;
    let r = super::reckon(state);
    Ok(state.store.rectify().add_measure(&user.who(), &r.env(), id, None, &spec).await?)
}

/// How the user stands towards a measure, through the problems it serves.
pub struct MeasureAccess {
    pub problems: Vec<Problem>,
    /// May manage (as the lead unit) at least one of them.
    pub manage: bool,
}

/// A measure is visible when one of its problems is (404 otherwise).
pub async fn measure_access(state: &AppState, user: &User, id: Uuid) -> AppResult<MeasureAccess> {
    let problems = state.store.rectify().problems_of_measure(id).await?;
    let (mut visible, mut manage) = (false, false);
    for p in &problems {
        if let Ok((_, cap)) = visible_problem(state, user, p.id, Action::ViewRectify).await {
            visible = true;
            manage |= cap.lead_unit;
        }
    }
    if !visible {
        return Err(AppError::NotFound);
    }
    Ok(MeasureAccess { problems, manage })
}

/// A measure may be worked on by whoever may manage one of its problems.
pub async fn workable_measure(state: &AppState, user: &User, id: Uuid) -> AppResult<()> {
    if measure_access(state, user, id).await?.manage { Ok(()) } else { Err(AppError::forbidden()) }
}

/// Marks a measure done.
pub async fn complete_measure(state: &AppState, user: &User, id: Uuid) -> AppResult<Measure> {
    workable_measure(state, user, id).await?;
    let r = super::reckon(state);
    Ok(state.store.rectify().complete_measure(&user.who(), &r.env(), id).await?)
}

/// Asks the issuing side for a later deadline.
pub async fn request_extension(
    state: &AppState,
    user: &User,
    id: Uuid,
    input: &ExtensionInput,
) -> AppResult<Extension> {
    let (p, _) = visible_problem(state, user, id, Action::ManageRectify).await?;
    let (d, reason) = input.validate(p.deadline_date()?)?;
    Ok(state.store.rectify().request_extension(&user.who(), id, d, &reason).await?)
}

/// Approves or rejects an extension request (the issuing side).
pub async fn decide_extension(
    state: &AppState,
    user: &User,
    id: Uuid,
    approve: bool,
    comment: &str,
) -> AppResult<Extension> {
    let x = state.store.rectify().extension(id).await?;
    visible_problem(state, user, x.problem_id, Action::ReviewRectify).await?;
    let comment = Some(comment).filter(|c| !c.trim().is_empty());
    let r = super::reckon(state);
    Ok(state.store.rectify().decide_extension(&user.who(), &r.env(), id, approve, comment).await?)
}

/// The batches the user issued or works on.
pub async fn visible_batches(state: &AppState, user: &User) -> AppResult<Vec<Batch>> {
    let scopes = user.scopes(Action::ViewRectify);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    Ok(state.store.rectify().batches(&scopes).await?)
}

/// Issues a new batch from a unit the user reviews for.
pub async fn create_batch(state: &AppState, user: &User, input: &BatchInput) -> AppResult<Batch> {
    let spec = input.validate()?;
    crate::org::visible_unit(state, user, spec.issuing_unit_id, Action::ReviewRectify).await?;
    Ok(state.store.rectify().create_batch(&user.who(), &spec).await?)
}

/// Adds a problem to a batch the user issues (`batch` from
/// [`own_batch`](super::batches::own_batch), the one check for batches).
pub async fn add_problem(state: &AppState, user: &User, batch: &Batch, input: &ProblemInput) -> AppResult<Problem> {
    let tax = Taxonomy::builtin();
    let issued = batch.issued()?;
    let spec = input.validate(issued, |c| tax.row(issued, c).is_some())?;
    // The lead unit must exist; any unit may be made responsible by the issuing side.
    state.store.orgs().get(spec.lead_unit_id).await?;
    let r = super::reckon(state);
    Ok(state.store.rectify().create_problem(&user.who(), &r.env(), batch.id, &spec).await?)
}

/// The board of a unit the user may see.
pub async fn board(state: &AppState, user: &User, id: Uuid) -> AppResult<(OrgUnit, Board)> {
    let unit = crate::org::visible_unit(state, user, id, Action::ViewRectify).await?;
    let b = state.store.rectify().board(id).await?;
    Ok((unit, b))
}
