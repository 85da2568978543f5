//! 集中整治项目 page: the campaigns that reach the user's units, with their
//! figures, and launching one (the issuing side: ReviewRectify on the unit).

use crate::AppState;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid};
use crate::i18n::T;
use crate::layout::{Layout, done, form_page};
use crate::org::{UnitOption, unit_options};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::msg::{Msg, Validation, required_text};
use qingfeng_store::rectify::Campaign;
use serde::Deserialize;

#[derive(Deserialize, Default, Clone)]
pub struct CampaignForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    org_unit_id: String,
}

#[derive(Template)]
#[template(path = "rectify/campaigns.html")]
struct CampaignsPage {
    l: Layout,
    campaigns: Vec<Campaign>,
    units: Vec<UnitOption>,
    f: CampaignForm,
    errors: FormErrors,
    error: Option<String>,
}

async fn render(state: &AppState, ctx: &Ctx, user: &User, f: CampaignForm, errors: FormErrors, error: Option<String>) -> AppResult<Response> {
    let invalid = errors.any() || error.is_some();
    form_page(&CampaignsPage {
        l: Layout::new(state, ctx, "rectify", T(ctx.lang).s("rectify.campaigns").into_owned()),
        campaigns: state.store.rectify().campaigns(&user.scopes(Action::ViewRectify)).await?,
        units: unit_options(state, user, Action::ReviewRectify).await?,
        f,
        errors,
        error,
    }, invalid)
}

pub async fn index(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Response> {
    render(&state, &ctx, &user, CampaignForm::default(), FormErrors::default(), None).await
}

pub async fn create(State(state): State<AppState>, ctx: Ctx, user: User, Form(f): Form<CampaignForm>) -> AppResult<Response> {
    if !user.actor.can_anywhere(Action::ReviewRectify) {
        return Err(AppError::NotFound);
    }
    let mut v = Validation::new();
    let name = v.check("name", required_text(&f.name, 60));
    let unit = form_uuid(&f.org_unit_id).ok().flatten();
    if unit.is_none() {
        v.add("org_unit_id", Msg::new("请选择发起单位", "choose the launching unit"));
    }
    if let Err(v) = v.into_result() {
        return render(&state, &ctx, &user, f, FormErrors::from(&v, ctx.lang), None).await;
    }
    let (Some(name), Some(unit)) = (name, unit) else { return Err(AppError::NotFound) };
    let target = crate::org::visible_unit(&state, &user, unit, Action::ReviewRectify).await?;
    match state.store.rectify().create_campaign(&user.who(), target.id, &name).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, "/rectify/campaigns", "flash.saved")),
        Err(AppError::Refused(r)) => render(&state, &ctx, &user, f, FormErrors::default(), Some(r.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}
