//! Talks (谈话): the list in scope, recording one, and turning the points
//! raised into a 问题清单 that follows the rectification lifecycle.

use super::today;
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid};
use crate::layout::{Layout, done, form_page, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::msg::{Msg, Validation};
use qingfeng_domain::orglife::TalkKind;
use qingfeng_domain::orglife::input::TalkInput;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_domain::rectify::RootCause;
use qingfeng_store::org::OrgUnit;
use qingfeng_store::orglife::{Talk, TalkFilter, TalkPerson, TalkToProblems};
use qingfeng_store::people::{PeopleFilter, Person};
use serde::Deserialize;

/// The talk kinds as (code, label in the page's language), for selects.
fn talk_kinds(l: &Layout) -> Vec<(&'static str, String)> {
    TalkKind::ALL.iter().map(|k| (k.as_str(), l.t.m(k.label()))).collect()
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
    q: Option<String>,
    #[serde(default)]
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "orglife/talks.html")]
struct ListPage {
    l: Layout,
    talks: Page<Talk>,
    unit: Option<OrgUnit>,
    kind: String,
    year: i16,
    q: String,
    can_record: bool,
}

impl ListPage {
    fn kinds(&self) -> Vec<(&'static str, String)> {
        talk_kinds(&self.l)
    }
    fn kind_label(&self, t: &Talk) -> String {
        self.l.t.m(t.kind().label())
    }
    fn base(&self) -> String {
        let unit = self.unit.as_ref().map(|u| u.id.to_string()).unwrap_or_default();
        format!("/orglife/talks?unit={unit}&kind={}&year={}&q={}", self.kind, self.year, crate::form::urlencode(&self.q))
    }
}

pub async fn index(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<ListQuery>) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewTalks);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let unit = match form_uuid(q.unit.as_deref().unwrap_or(""))? {
        Some(id) => Some(crate::org::visible_unit(&state, &user, id, Action::ViewTalks).await?),
        None => None,
    };
    let year = super::year_of(q.year.as_deref(), today());
    let kind = q.kind.as_deref().and_then(TalkKind::parse);
    let f = TalkFilter { kind, year: Some(year), unit: unit.as_ref().map(|u| u.path.clone()), q: q.q.clone() };
    let talks = state.store.orglife().talks(&scopes, &f, PageRequest::new(q.page, Some(30))).await?;
    page(&ListPage {
        l: Layout::new(&state, &ctx, "orglife", crate::i18n::T(ctx.lang).s("orglife.talks").into_owned()),
        talks,
        unit,
        kind: kind.map(|k| k.as_str().to_string()).unwrap_or_default(),
        year,
        q: q.q.unwrap_or_default(),
        can_record: user.actor.can_anywhere(Action::RecordTalk),
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct NewQuery {
    #[serde(default)]
    unit: Option<String>,
}

#[derive(Template)]
#[template(path = "orglife/talk_form.html")]
struct TalkForm {
    l: Layout,
    units: Vec<crate::org::UnitOption>,
    unit: Option<OrgUnit>,
    people: Vec<Person>,
    f: TalkInput,
    errors: FormErrors,
}

impl TalkForm {
    fn kinds(&self) -> Vec<(&'static str, String)> {
        talk_kinds(&self.l)
    }
    fn is_talker(&self, p: &Person) -> bool {
        self.f.talkers.contains(&p.id)
    }
    fn is_talkee(&self, p: &Person) -> bool {
        self.f.talkees.contains(&p.id)
    }
}

async fn render_form(state: &AppState, ctx: &Ctx, user: &User, unit: Option<OrgUnit>, f: TalkInput, errors: FormErrors) -> AppResult<Response> {
    let invalid = errors.any();
    let people = match &unit {
        Some(u) => {
            let filter = PeopleFilter { within: Some(u.path.clone()), ..Default::default() };
            state.store.people().list(&user.scopes(Action::ViewPeople), &filter, PageRequest::new(Some(1), Some(200))).await?.items
        }
        None => Vec::new(),
    };
    form_page(
        &TalkForm {
            l: Layout::new(state, ctx, "orglife", crate::i18n::T(ctx.lang).s("orglife.record_talk").into_owned()),
            units: crate::org::unit_options(state, user, Action::RecordTalk).await?,
            unit,
            people,
            f,
            errors,
        },
        invalid,
    )
}

/// `GET /orglife/talks/new?unit=`: first the unit, then who talked with whom.
pub async fn new_form(State(state): State<AppState>, ctx: Ctx, user: User, Query(q): Query<NewQuery>) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::RecordTalk) {
        return Err(AppError::NotFound);
    }
    let unit = match form_uuid(q.unit.as_deref().unwrap_or(""))? {
        Some(id) => Some(crate::org::visible_unit(&state, &user, id, Action::RecordTalk).await?),
        None => None,
    };
    let mut f = TalkInput { held_on: today().to_string(), kind: "heart_to_heart".into(), ..Default::default() };
    if let Some(me) = user.account.person_id {
        f.talkers.push(me);
    }
    render_form(&state, &ctx, &user, unit, f, FormErrors::default()).await
}

pub async fn new_submit(State(state): State<AppState>, ctx: Ctx, user: User, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let mut f = TalkInput::default();
    let mut unit_id = None;
    for (k, v) in fields {
        match k.as_str() {
            "unit" => unit_id = form_uuid(&v)?,
            "kind" => f.kind = v,
            "held_on" => f.held_on = v,
            "place" => f.place = v,
            "subject" => f.subject = v,
            "points" => f.points = v,
            "commitments" => f.commitments = v,
            "talkers" => f.talkers.extend(form_uuid(&v)?),
            "talkees" => f.talkees.extend(form_uuid(&v)?),
            _ => {}
        }
    }
    let unit = crate::org::visible_unit(&state, &user, unit_id.ok_or(AppError::NotFound)?, Action::RecordTalk).await?;
    let spec = match f.validate(today()) {
        Ok(s) => s,
        Err(v) => return render_form(&state, &ctx, &user, Some(unit), f, FormErrors::from(&v, ctx.lang)).await,
    };
    // Everyone named must be someone the user may see.
    for p in spec.talkers.iter().chain(&spec.talkees) {
        crate::org::visible_person(&state, &user, *p, Action::ViewPeople).await?;
    }
    let t = state.store.orglife().record_talk(&user.who(), unit.id, &spec).await?;
    Ok(done(&state, &format!("/orglife/talks/{}", t.id), "flash.saved"))
}

#[derive(Template)]
#[template(path = "orglife/talk.html")]
struct TalkPage {
    l: Layout,
    t: Talk,
    people: Vec<TalkPerson>,
    can_list: bool,
    units: Vec<crate::org::UnitOption>,
    f: ProblemsForm,
    errors: FormErrors,
}

impl TalkPage {
    fn side(&self, side: &str) -> Vec<&TalkPerson> {
        self.people.iter().filter(|p| p.side == side).collect()
    }
    fn causes(&self) -> Vec<(&'static str, String)> {
        RootCause::ALL.iter().map(|c| (c.as_str(), self.l.t.m(c.label()))).collect()
    }
}

#[derive(Deserialize, Default, Clone)]
pub struct ProblemsForm {
    #[serde(default)]
    lead_unit_id: String,
    #[serde(default)]
    deadline: String,
    #[serde(default)]
    root_cause: String,
}

async fn render_talk(state: &AppState, ctx: &Ctx, user: &User, t: Talk, f: ProblemsForm, errors: FormErrors) -> AppResult<Response> {
    let invalid = errors.any();
    let path = t.scope()?;
    let can_list = t.batch_id.is_none() && !t.points().is_empty() && user.can(Action::ReviewRectify, &path);
    let units = if can_list {
        crate::org::unit_options(state, user, Action::ReviewRectify).await?.into_iter().filter(|u| u.id == t.org_unit_id || u.depth > 0).collect()
    } else {
        Vec::new()
    };
    let people = state.store.orglife().talk_people(t.id).await?;
    form_page(&TalkPage { l: Layout::new(state, ctx, "orglife", t.subject.clone()), t, people, can_list, units, f, errors }, invalid)
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    let t = state.store.orglife().talk(id).await?;
    user.authorize(Action::ViewTalks, &t.scope()?)?;
    let f = ProblemsForm { lead_unit_id: t.org_unit_id.to_string(), root_cause: "responsibility".into(), ..Default::default() };
    render_talk(&state, &ctx, &user, t, f, FormErrors::default()).await
}

/// `POST /orglife/talks/{id}/problems`: the points become a 谈话 问题清单
/// issued by the talk's unit (which must be the user's to issue from).
pub async fn to_problems(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ProblemsForm>) -> AppResult<Response> {
    let t = state.store.orglife().talk(id).await?;
    user.authorize(Action::ViewTalks, &t.scope()?)?;
    user.authorize(Action::ReviewRectify, &t.scope()?)?;
    let r = crate::rectify::reckon(&state);
    let mut v = Validation::new();
    let lead = form_uuid(&f.lead_unit_id)?;
    if lead.is_none() {
        v.add("lead_unit_id", Msg::new("请选择牵头单位", "choose the lead unit"));
    }
    let deadline = f.deadline.trim().parse::<jiff::civil::Date>().ok();
    match deadline {
        None => v.add("deadline", Msg::new("日期无效，格式为 2026-06-30", "not a date (YYYY-MM-DD)")),
        Some(d) if d < r.today => v.add("deadline", Msg::new("整改时限不能早于今天", "may not be in the past")),
        _ => {}
    }
    let cause = RootCause::parse(f.root_cause.trim());
    if cause.is_none() {
        v.add("root_cause", Msg::new("请选择根源分类", "choose a root cause"));
    }
    if let Err(v) = v.into_result() {
        return render_talk(&state, &ctx, &user, t, f, FormErrors::from(&v, ctx.lang)).await;
    }
    let (Some(lead), Some(deadline), Some(root_cause)) = (lead, deadline, cause) else { return Err(AppError::NotFound) };
    crate::org::visible_unit(&state, &user, lead, Action::ViewRectify).await?;
    let how = TalkToProblems { lead_unit_id: lead, deadline, root_cause };
    let problems = state.store.orglife().talk_to_problems(&user.who(), &r.env(), id, &how).await?;
    let batch = problems.first().map(|p| p.batch_id.to_string()).unwrap_or_default();
    Ok(done(&state, &format!("/rectify/problems?batch={batch}"), "flash.saved"))
}
