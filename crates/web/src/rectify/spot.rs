//! 四不两直 spot checks: the list of draws, a new draw, one draw with its
//! findings and its replay, and the automatic 纸面整改 flags of a scope.
//!
//! Draws are sealed to the inspection team: only an actor who may
//! `SpotCheck` at a draw's scope unit learns that it exists (anyone else
//! gets 404), so an inspected unit cannot see a visit coming. The flags are
//! also open to the reviewing side (`ReviewRectify`).

use super::today;
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, Sorting, form_uuid};
use crate::i18n::T;
use crate::layout::{Layout, done, form_page, page};
use crate::org::{UnitOption, unit_options, visible_unit};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use jiff::civil::Date;
use qingfeng_domain::access::Action;
use qingfeng_domain::org::{OrgPath, minimal_scopes};
use qingfeng_domain::page::{Dir, Page, PageRequest};
use qingfeng_domain::rectify::input::{FindingInput, SpotDrawInput};
use qingfeng_domain::rectify::spot::{Replay, replay};
use qingfeng_store::Ts;
use qingfeng_store::org::OrgUnit;
use qingfeng_store::rectify::{Flags, Problem, SpotCheck, SpotSample, SpotSort};
use rand::Rng;
use serde::Deserialize;
use uuid::Uuid;

/// The date (UTC+8) of an instant, as deadlines are reckoned.
fn china_date(ts: Ts) -> Date {
    ts.0.to_zoned(jiff::tz::TimeZone::fixed(jiff::tz::offset(8))).date()
}

/// A seed the server picks when the inspector leaves it blank (short
/// enough to read out and type again).
fn random_seed() -> u64 {
    rand::rng().random_range(1..=999_999_999_999)
}

/// Loads a draw the user may see: `SpotCheck` at its scope unit, else 404.
async fn visible_check(state: &AppState, user: &User, id: Uuid) -> AppResult<SpotCheck> {
    let (c, _) = state.store.rectify().spot_check(id).await?;
    if !user.can(Action::SpotCheck, &c.scope()?) {
        return Err(AppError::NotFound);
    }
    Ok(c)
}

/// Whether the user may read the 纸面整改 flags of the unit at `path`.
pub fn may_see_flags(user: &User, path: &OrgPath) -> bool {
    user.can(Action::SpotCheck, path) || user.can(Action::ReviewRectify, path)
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    pub sort: Option<String>,
    pub dir: Option<String>,
    pub page: Option<u32>,
}

#[derive(Template)]
#[template(path = "rectify/spot_list.html")]
struct ListPage {
    l: Layout,
    page: Page<SpotCheck>,
    sorting: Sorting,
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let scopes = user.scopes(Action::SpotCheck);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let sort = SpotSort::parse(q.sort.as_deref());
    // Newest first unless another order is asked for.
    let dir = if q.dir.is_none() && sort == SpotSort::Drawn { Dir::Desc } else { Dir::parse(q.dir.as_deref()) };
    let result = state.store.rectify().spot_check_page(&scopes, sort, dir, PageRequest::new(q.page, None)).await?;
    page(&ListPage {
        l: Layout::new(&state, &ctx, "spot", T(ctx.lang).s("spot.title").into_owned()),
        page: result,
        sorting: Sorting { path: "/rectify/spot-checks", filters: String::new(), sort: sort.as_str(), dir },
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct DrawForm {
    #[serde(default)]
    scope_unit_id: String,
    #[serde(default)]
    title: String,
    #[serde(default)]
    sample_size: String,
    #[serde(default)]
    seed: String,
}

#[derive(Template)]
#[template(path = "rectify/spot_new.html")]
struct DrawPage {
    l: Layout,
    f: DrawForm,
    errors: FormErrors,
    units: Vec<UnitOption>,
}

async fn draw_page(state: &AppState, ctx: &Ctx, user: &User, f: DrawForm, errors: FormErrors) -> AppResult<Response> {
    let invalid = errors.any();
    form_page(
        &DrawPage {
            l: Layout::new(state, ctx, "spot", T(ctx.lang).s("spot.new").into_owned()),
            units: unit_options(state, user, Action::SpotCheck).await?,
            f,
            errors,
        },
        invalid,
    )
}

#[derive(Deserialize, Default)]
pub struct NewQuery {
    #[serde(default)]
    unit: String,
}

pub async fn new_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Query(q): Query<NewQuery>,
) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::SpotCheck) {
        return Err(AppError::NotFound);
    }
    let d = today();
    // A unit named in the link is preselected only if it is among the options.
    let f = DrawForm {
        scope_unit_id: q.unit,
        title: format!("{}年{}月四不两直抽查", d.year(), d.month()),
        ..Default::default()
    };
    draw_page(&state, &ctx, &user, f, FormErrors::default()).await
}

pub async fn new_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Form(f): Form<DrawForm>,
) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::SpotCheck) {
        return Err(AppError::NotFound);
    }
    let r = state.store.rectify();
    let (unit, candidates) = match form_uuid(&f.scope_unit_id).ok().flatten() {
        Some(id) => {
            let u = visible_unit(&state, &user, id, Action::SpotCheck).await?;
            let n = r.spot_candidate_count(&u.path).await?;
            (Some(u.id), Some(n))
        }
        None => (None, None),
    };
    let input = SpotDrawInput {
        scope_unit_id: unit,
        title: f.title.clone(),
        sample_size: f.sample_size.clone(),
        seed: f.seed.clone(),
    };
    let spec = match input.validate(candidates) {
        Ok(s) => s,
        Err(v) => return draw_page(&state, &ctx, &user, f, FormErrors::from(&v, ctx.lang)).await,
    };
    let seed = spec.seed.unwrap_or_else(random_seed);
    let c = r.draw_spot_check(&user.who(), spec.scope_unit_id, &spec.title, spec.sample_size, seed).await?;
    Ok(done(&state, &format!("/rectify/spot-checks/{}", c.id), "flash.spot_drawn"))
}

#[derive(Deserialize, Default, Clone)]
pub struct FindingForm {
    #[serde(default)]
    problem_id: String,
    #[serde(default)]
    result: String,
    #[serde(default)]
    findings: String,
    #[serde(default)]
    checked_on: String,
}

/// One sampled problem on the page, with its findings form as typed.
struct SampleView {
    s: SpotSample,
    f: FindingForm,
    errors: FormErrors,
}

#[derive(Template)]
#[template(path = "rectify/spot_show.html")]
struct ShowPage {
    l: Layout,
    c: SpotCheck,
    samples: Vec<SampleView>,
    /// Drawn again from the candidates the chain recorded (`None`: not found there).
    recorded: Option<Replay>,
    current: Replay,
    current_count: usize,
    event_seq: Option<i64>,
    can_audit: bool,
    drawn_on: String,
    today: String,
    error: Option<String>,
}

impl ShowPage {
    fn status_label(&self, p: &Problem) -> String {
        self.l.t.m(p.status().label())
    }
}

/// The draw's page; `typed` is a findings form sent back with its errors.
async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    id: Uuid,
    typed: Option<(Uuid, FindingForm, FormErrors)>,
    error: Option<String>,
) -> AppResult<Response> {
    let c = visible_check(state, user, id).await?;
    let r = state.store.rectify();
    let rec = r.spot_record(id).await?;
    let samples = r.spot_samples(id).await?;
    let ids: Vec<Uuid> = samples.iter().map(|s| s.problem.id).collect();
    let (seed, size) = (c.seed as u64, c.sample_size as usize);
    let today = today().to_string();
    let invalid = error.is_some() || typed.as_ref().is_some_and(|t| t.2.any());
    let mut typed = typed;
    let samples = samples
        .into_iter()
        .map(|s| match typed.take_if(|t| t.0 == s.problem.id) {
            Some((_, f, errors)) => SampleView { s, f, errors },
            None => SampleView {
                s,
                f: FindingForm { checked_on: today.clone(), ..Default::default() },
                errors: FormErrors::default(),
            },
        })
        .collect();
    form_page(
        &ShowPage {
            l: Layout::new(state, ctx, "spot", c.title.clone()),
            recorded: rec.recorded.as_deref().map(|cands| replay(seed, size, &c.candidates_digest, cands, &ids)),
            current: replay(seed, size, &c.candidates_digest, &rec.current, &ids),
            current_count: rec.current.len(),
            event_seq: rec.event_seq,
            can_audit: user.can(Action::ViewAudit, &c.scope()?),
            drawn_on: china_date(c.drawn_at).to_string(),
            today,
            error,
            samples,
            c,
        },
        invalid,
    )
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    show_page(&state, &ctx, &user, id, None, None).await
}

/// Records the finding for one sampled problem; a failure reopens it (纸面整改).
pub async fn record_finding(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(f): Form<FindingForm>,
) -> AppResult<Response> {
    let c = visible_check(&state, &user, id).await?;
    let problem = form_uuid(&f.problem_id)?.ok_or(AppError::NotFound)?;
    let input =
        FindingInput { result: f.result.clone(), findings: f.findings.clone(), checked_on: f.checked_on.clone() };
    let spec = match input.validate(china_date(c.drawn_at), today()) {
        Ok(s) => s,
        Err(v) => {
            return show_page(&state, &ctx, &user, id, Some((problem, f, FormErrors::from(&v, ctx.lang))), None).await;
        }
    };
    let who = user.who();
    let outcome = state.store.rectify().record_finding(&who, &super::reckon(&state).env(), id, problem, &spec).await.map_err(AppError::from);
    match outcome {
        Ok(()) => {
            let flash = if spec.pass { "flash.finding_passed" } else { "flash.finding_failed" };
            Ok(done(&state, &format!("/rectify/spot-checks/{id}#p-{problem}"), flash))
        }
        Err(AppError::Refused(r)) => {
            show_page(&state, &ctx, &user, id, None, Some(r.msg.get(ctx.lang).to_string())).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize, Default)]
pub struct FlagsQuery {
    #[serde(default)]
    unit: String,
}

#[derive(Template)]
#[template(path = "rectify/spot_flags.html")]
struct FlagsPage {
    l: Layout,
    unit: Option<OrgUnit>,
    flags: Flags,
    window: i32,
    can_draw: bool,
}

impl FlagsPage {
    fn problem(&self, id: &Uuid) -> Option<&Problem> {
        self.flags.problems.get(id)
    }
    /// The start of a file digest (the whole one is in the title).
    fn short<'a>(&self, digest: &'a str) -> &'a str {
        digest.get(..16).unwrap_or(digest)
    }
}

/// `/rectify/flags?unit=`: the flags of one unit's subtree, or of every
/// scope in which the user may see them.
pub async fn flags(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Query(q): Query<FlagsQuery>,
) -> AppResult<Response> {
    let unit = match form_uuid(&q.unit)? {
        Some(id) => {
            let u = state.store.orgs().get(id).await?;
            if !may_see_flags(&user, &u.path) {
                // 403 or 404, as for a reviewer's action on the unit.
                user.authorize(Action::ReviewRectify, &u.path)?;
            }
            Some(u)
        }
        None => None,
    };
    let scopes = match &unit {
        Some(u) => vec![u.path.clone()],
        None => minimal_scopes([user.scopes(Action::SpotCheck), user.scopes(Action::ReviewRectify)].concat()),
    };
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let flags = state.store.rectify().flags(&super::reckon(&state).env(), &scopes).await?;
    let t = T(ctx.lang);
    let title = match &unit {
        Some(u) => format!("{} · {}", t.s("spot.flags"), u.display_name()),
        None => t.s("spot.flags").into_owned(),
    };
    page(&FlagsPage {
        l: Layout::new(&state, &ctx, "spot", title),
        can_draw: unit.as_ref().is_some_and(|u| user.can(Action::SpotCheck, &u.path)),
        window: state.config.rules.rectify.burst_window_working_days,
        unit,
        flags,
    })
}
