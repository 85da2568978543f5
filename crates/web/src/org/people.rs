//! People pages (人员).

use super::{UnitOption, unit_options, visible_person, visible_unit};
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, Sorting, form_uuid, sort_order, urlencode};
use crate::i18n::T;
use crate::layout::{Layout, done, page};
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::page::{Dir, Page, PageRequest};
use qingfeng_domain::people::PersonInput;
use qingfeng_store::accounts::Account;
use qingfeng_store::org::OrgUnit;
use qingfeng_store::people::{PeopleFilter, PeopleSort, Person};
use serde::Deserialize;

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    unit: String,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    subtree: bool,
    #[serde(default)]
    q: String,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    party: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    leaders: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    inactive: bool,
    sort: Option<String>,
    dir: Option<String>,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "people/index.html")]
struct ListPage {
    l: Layout,
    unit: Option<OrgUnit>,
    q: ListQuery,
    page: Page<Person>,
    sorting: Sorting,
    can_add: bool,
}

pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewPeople);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let unit = match form_uuid(&q.unit)? {
        Some(id) => Some(visible_unit(&state, &user, id, Action::ViewPeople).await?),
        None => None,
    };
    let sort = PeopleSort::parse(q.sort.as_deref());
    let dir = Dir::parse(q.dir.as_deref());
    let filter = PeopleFilter {
        within: unit.as_ref().filter(|_| q.subtree).map(|u| u.path.clone()),
        unit: unit.as_ref().filter(|_| !q.subtree).map(|u| u.id),
        q: Some(q.q.clone()),
        party_members_only: q.party,
        leadership_only: q.leaders,
        include_inactive: q.inactive,
        sort,
        dir,
    };
    let result = state.store.people().list(&scopes, &filter, PageRequest::new(q.page, None)).await?;
    let flag = |b: bool| if b { "1" } else { "" };
    let filters = format!(
        "unit={}&subtree={}&q={}&party={}&leaders={}&inactive={}",
        unit.as_ref().map(|u| u.id.to_string()).unwrap_or_default(),
        flag(q.subtree),
        urlencode(&q.q),
        flag(q.party),
        flag(q.leaders),
        flag(q.inactive)
    );
    let can_add = unit
        .as_ref()
        .map_or(user.actor.can_anywhere(Action::ManagePeople), |u| user.can(Action::ManagePeople, &u.path));
    let title = match &unit {
        Some(u) => format!("{} · {}", T(ctx.lang).s("people.title"), u.name),
        None => T(ctx.lang).s("people.title").into_owned(),
    };
    page(&ListPage {
        l: Layout::new(&state, &ctx, "people", title),
        unit,
        q,
        page: result,
        sorting: Sorting { path: "/people", filters, sort: sort.as_str(), dir },
        can_add,
    })
}

#[derive(Template)]
#[template(path = "people/show.html")]
struct ShowPage {
    l: Layout,
    person: Person,
    account: Option<Account>,
    can_manage: bool,
    can_create_account: bool,
    /// 责任清单: every duty the person carries this year (when the user may see tasks there).
    duties: Vec<qingfeng_store::tasks::PersonDutyLine>,
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    let person = visible_person(&state, &user, id, Action::ViewPeople).await?;
    let scope = person.scope()?;
    let account = state.store.accounts().of_person(id).await?;
    let can_view_account = account.as_ref().is_some_and(|a| user.can(Action::ViewAccounts, &a.scope()));
    let today = crate::rectify::today();
    let duties = if user.can(Action::ViewTasks, &scope) { state.store.tasks().person_duties(id, today.year(), today).await? } else { Vec::new() };
    page(&ShowPage {
        duties,
        l: Layout::new(&state, &ctx, "people", person.name.clone()),
        can_manage: user.can(Action::ManagePeople, &scope),
        can_create_account: account.is_none() && person.active && user.can(Action::ManageAccounts, &scope),
        account: if can_view_account { account } else { None },
        person,
    })
}

#[derive(Deserialize, Default, Clone)]
pub struct PersonForm {
    #[serde(default)]
    org_unit_id: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    gender: String,
    #[serde(default)]
    position: String,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    is_party_member: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    is_head: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    is_leadership_member: bool,
    #[serde(default)]
    sort_order: String,
}

impl PersonForm {
    fn input(&self) -> PersonInput {
        PersonInput {
            name: self.name.clone(),
            gender: self.gender.clone(),
            position: self.position.clone(),
            is_party_member: self.is_party_member,
            is_head: self.is_head,
            is_leadership_member: self.is_leadership_member,
            sort_order: sort_order(&self.sort_order),
        }
    }

    fn of(p: &Person) -> PersonForm {
        PersonForm {
            org_unit_id: p.org_unit_id.to_string(),
            name: p.name.clone(),
            gender: p.gender.clone().unwrap_or_default(),
            position: p.position.clone().unwrap_or_default(),
            is_party_member: p.is_party_member,
            is_head: p.is_head,
            is_leadership_member: p.is_leadership_member,
            sort_order: p.sort_order.to_string(),
        }
    }
}

#[derive(Template)]
#[template(path = "people/form.html")]
struct FormPage {
    l: Layout,
    heading: String,
    action: String,
    cancel: String,
    /// Unit choice shown only when creating.
    units: Vec<UnitOption>,
    f: PersonForm,
    errors: FormErrors,
}

#[allow(clippy::too_many_arguments)]
async fn form_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    heading_key: &str,
    action: String,
    cancel: String,
    with_units: bool,
    f: PersonForm,
    errors: FormErrors,
) -> AppResult<Response> {
    let t = T(ctx.lang);
    let units = if with_units { unit_options(state, user, Action::ManagePeople).await? } else { Vec::new() };
    let mut res = page(&FormPage {
        l: Layout::new(state, ctx, "people", t.s(heading_key).into_owned()),
        heading: t.s(heading_key).into_owned(),
        action,
        cancel,
        units,
        f,
        errors: errors.clone(),
    })?;
    if errors.any() {
        *res.status_mut() = StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
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
    if !user.actor.can_anywhere(Action::ManagePeople) {
        return Err(AppError::NotFound);
    }
    let mut f = PersonForm { is_party_member: true, ..Default::default() };
    let mut cancel = "/people".to_string();
    if let Some(unit) = form_uuid(&q.unit)? {
        visible_unit(&state, &user, unit, Action::ManagePeople).await?;
        f.org_unit_id = unit.to_string();
        cancel = format!("/orgs/{unit}");
    }
    form_page(&state, &ctx, &user, "people.new", "/people/new".into(), cancel, true, f, FormErrors::default()).await
}

pub async fn new_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Form(f): Form<PersonForm>,
) -> AppResult<Response> {
    let Some(unit) = form_uuid(&f.org_unit_id)? else {
        let errors = FormErrors(vec![("org_unit_id".into(), T(ctx.lang).s("people.choose_unit").into_owned())]);
        return form_page(&state, &ctx, &user, "people.new", "/people/new".into(), "/people".into(), true, f, errors)
            .await;
    };
    match super::create_person(&state, &user, unit, &f.input()).await {
        Ok(p) => Ok(done(&state, &format!("/people/{}", p.id), "flash.person_created")),
        Err(AppError::Invalid(v)) => {
            form_page(
                &state,
                &ctx,
                &user,
                "people.new",
                "/people/new".into(),
                format!("/orgs/{unit}"),
                true,
                f,
                FormErrors::from(&v, ctx.lang),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

pub async fn edit_form(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    let p = visible_person(&state, &user, id, Action::ManagePeople).await?;
    form_page(
        &state,
        &ctx,
        &user,
        "people.edit",
        format!("/people/{id}/edit"),
        format!("/people/{id}"),
        false,
        PersonForm::of(&p),
        FormErrors::default(),
    )
    .await
}

pub async fn edit_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(f): Form<PersonForm>,
) -> AppResult<Response> {
    match super::update_person(&state, &user, id, &f.input()).await {
        Ok(_) => Ok(done(&state, &format!("/people/{id}"), "flash.saved")),
        Err(AppError::Invalid(v)) => {
            form_page(
                &state,
                &ctx,
                &user,
                "people.edit",
                format!("/people/{id}/edit"),
                format!("/people/{id}"),
                false,
                f,
                FormErrors::from(&v, ctx.lang),
            )
            .await
        }
        Err(e) => Err(e),
    }
}

#[derive(Template)]
#[template(path = "people/transfer.html")]
struct TransferPage {
    l: Layout,
    person: Person,
    units: Vec<UnitOption>,
    error: Option<String>,
}

async fn transfer_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    person: Person,
    error: Option<String>,
) -> AppResult<Response> {
    let units = unit_options(state, user, Action::ManagePeople)
        .await?
        .into_iter()
        .filter(|u| u.id != person.org_unit_id)
        .collect();
    let status = if error.is_some() { StatusCode::UNPROCESSABLE_ENTITY } else { StatusCode::OK };
    let mut res = page(&TransferPage {
        l: Layout::new(state, ctx, "people", T(ctx.lang).s("people.transfer").into_owned()),
        person,
        units,
        error,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

pub async fn transfer_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
) -> AppResult<Response> {
    let p = visible_person(&state, &user, id, Action::ManagePeople).await?;
    transfer_page(&state, &ctx, &user, p, None).await
}

#[derive(Deserialize)]
pub struct TransferForm {
    #[serde(default)]
    org_unit_id: String,
}

pub async fn transfer_submit(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(f): Form<TransferForm>,
) -> AppResult<Response> {
    let Some(to) = form_uuid(&f.org_unit_id)? else {
        let p = visible_person(&state, &user, id, Action::ManagePeople).await?;
        return transfer_page(&state, &ctx, &user, p, Some(T(ctx.lang).s("people.choose_unit").into_owned())).await;
    };
    match super::transfer_person(&state, &user, id, to).await {
        Ok(_) => Ok(done(&state, &format!("/people/{id}"), "flash.person_transferred")),
        Err(AppError::Refused(r)) => {
            let p = visible_person(&state, &user, id, Action::ManagePeople).await?;
            transfer_page(&state, &ctx, &user, p, Some(r.msg.get(ctx.lang).to_string())).await
        }
        Err(e) => Err(e),
    }
}

pub async fn deactivate(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    super::set_person_active(&state, &user, id, false).await?;
    Ok(done(&state, &format!("/people/{id}"), "flash.saved"))
}

pub async fn reactivate(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    super::set_person_active(&state, &user, id, true).await?;
    Ok(done(&state, &format!("/people/{id}"), "flash.saved"))
}
