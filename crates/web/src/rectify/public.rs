//! 开门整改: the issuing side publishes a problem's plan and progress with
//! the fields it chooses to disclose; anyone may read them under
//! `/public/rectify` without signing in and rate a published rectification
//! (群众评议: 满意 / 基本满意 / 不满意, with a comment).
//!
//! The public pages see a problem only through [`PublicProblem`], which
//! holds the description and the disclosed fields and nothing else — never
//! persons, evidence or internal comments. A rating needs a one-time
//! receipt that the rating form hands out ([`crate::receipt`]); every
//! public page counts against the client's page limit and every rating
//! against its rating limit ([`crate::throttle`]). Unreviewed 不满意
//! ratings at the threshold of the rules block 销号 until the issuing side
//! reviews them (复核) here.

use super::visible_problem;
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid, urlencode};
use crate::i18n::T;
use crate::layout::{PublicLayout, done, page};
use crate::receipt::{self, TokenError};
use crate::throttle::ClientAddr;
use askama::Template;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_domain::rectify::disclosure::Disclosure;
use qingfeng_domain::rectify::input::{RATING_COMMENT_MAX, RatingInput};
use qingfeng_domain::rectify::lifecycle::Capacities;
use qingfeng_domain::rectify::{ProblemStatus, Rating};
use qingfeng_domain::{Lang, Msg};
use qingfeng_store::StoreError;
use qingfeng_store::rectify::{Problem, PublicRating, RatingSummary};
use serde::Deserialize;
use uuid::Uuid;

/// What a rating receipt is for (it verifies for nothing else).
pub const RECEIPT_PURPOSE: &str = "rectify.rating";
/// How long a rating form stays good, in seconds.
pub const RECEIPT_MAX_AGE: i64 = 2 * 3600;
/// Comments the staff panel shows.
const RECENT: usize = 8;

// ---------------------------------------------------------------------------
// The issuing side, on the problem's page.

/// The 开门整改 panel of a problem's page.
pub struct Panel {
    pub published: bool,
    pub disclosure: Disclosure,
    pub summary: RatingSummary,
    pub recent: Vec<PublicRating>,
    /// The issuing side: may publish, withdraw and review.
    pub can_publish: bool,
    /// Unreviewed 不满意 at which 销号 is refused.
    pub threshold: i64,
}

impl Panel {
    pub async fn of(state: &AppState, p: &Problem, cap: Capacities) -> AppResult<Panel> {
        let r = state.store.rectify();
        let mut recent = r.ratings(p.id).await?;
        recent.truncate(RECENT);
        Ok(Panel {
            published: p.published,
            disclosure: Disclosure::from_fields(&p.public_field_list()),
            summary: r.rating_summary(p.id).await?,
            recent,
            can_publish: cap.issuer,
            threshold: i64::from(state.config.rules.rectify.dissatisfied_block),
        })
    }

    /// Closure is refused until the 不满意 ratings are reviewed.
    pub fn blocked(&self) -> bool {
        self.summary.unreviewed_dissatisfied > 0 && self.summary.unreviewed_dissatisfied >= self.threshold
    }

    /// The disclosable fields with whether each is disclosed (the form's checkboxes).
    pub fn fields(&self) -> Vec<(&'static str, bool)> {
        qingfeng_domain::rectify::disclosure::FIELDS.iter().map(|f| (*f, self.disclosure.shows(f))).collect()
    }

    pub fn rating_label(&self, t: &T, code: &str) -> String {
        Rating::parse(code).map(|r| t.m(r.label())).unwrap_or_default()
    }

    pub fn code_of(&self, r: &PublicRating) -> String {
        receipt::receipt_code(&r.receipt_hash)
    }
}

/// The five checkboxes of the 公开 form.
#[derive(Deserialize, Default)]
pub struct PublishForm {
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    lead_unit: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    deadline: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    measures: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    progress: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    status: bool,
}

/// 公开 (or change what is disclosed): the issuing side only.
pub async fn publish(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    PathId(id): PathId,
    Form(f): Form<PublishForm>,
) -> AppResult<Response> {
    visible_problem(&state, &user, id, Action::ReviewRectify).await?;
    let d = Disclosure {
        lead_unit: f.lead_unit,
        deadline: f.deadline,
        measures: f.measures,
        progress: f.progress,
        status: f.status,
    };
    if d.is_empty() {
        let msg = Msg::new(
            "请至少勾选一项公开内容；如要停止公开，请点“撤回公开”",
            "tick at least one field; to stop publishing, withdraw",
        );
        return super::problems::show_page(
            &state,
            &ctx,
            &user,
            id,
            Some(msg.get(ctx.lang).to_string()),
            FormErrors::default(),
            Default::default(),
            Default::default(),
        )
        .await;
    }
    let fields: Vec<String> = d.fields().into_iter().map(String::from).collect();
    state.store.rectify().publish(&user.who(), id, &fields).await?;
    Ok(done(&state, &format!("/rectify/problems/{id}#public"), "flash.published"))
}

/// 撤回公开: the problem leaves the public pages (its ratings are kept).
pub async fn unpublish(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    visible_problem(&state, &user, id, Action::ReviewRectify).await?;
    state.store.rectify().publish(&user.who(), id, &[]).await?;
    Ok(done(&state, &format!("/rectify/problems/{id}#public"), "flash.unpublished"))
}

/// 复核: the issuing side has looked into the 不满意 ratings, which lifts the block on 销号.
pub async fn review(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    visible_problem(&state, &user, id, Action::ReviewRectify).await?;
    state.store.rectify().review_ratings(&user.who(), id).await?;
    Ok(done(&state, &format!("/rectify/problems/{id}#public"), "flash.ratings_reviewed"))
}

// ---------------------------------------------------------------------------
// The public pages.

/// A published problem as the public sees it: the description and the
/// disclosed fields; an undisclosed field is empty here, so no page can
/// show it by mistake.
pub struct PublicProblem {
    pub id: Uuid,
    pub description: String,
    /// The issuing unit, which published it.
    pub publisher: String,
    pub d: Disclosure,
    pub lead_unit: String,
    pub deadline: String,
    pub progress: i64,
    pub status: Option<ProblemStatus>,
    pub closed_on: String,
    pub ratings: RatingSummary,
}

impl PublicProblem {
    pub fn of(p: &Problem, ratings: RatingSummary) -> PublicProblem {
        let d = Disclosure::from_fields(&p.public_field_list());
        let status = d.status.then(|| p.status());
        PublicProblem {
            id: p.id,
            description: p.description.clone(),
            publisher: p.issuing_unit_name.clone(),
            lead_unit: if d.lead_unit { p.lead_unit_name.clone() } else { String::new() },
            deadline: if d.deadline { p.deadline.clone() } else { String::new() },
            progress: if d.progress { p.progress.clamp(0, 100) } else { 0 },
            closed_on: if d.status { p.closed_on.clone().unwrap_or_default() } else { String::new() },
            status,
            ratings,
            d,
        }
    }

    pub fn status_code(&self) -> &'static str {
        self.status.map_or("", |s| s.as_str())
    }

    /// Percent of each rating kind, for the bar (satisfied, basic, dissatisfied).
    pub fn shares(&self) -> (i64, i64, i64) {
        let n = self.ratings.total();
        if n == 0 {
            return (0, 0, 0);
        }
        let pct = |k: i64| (k * 1000 / n + 5) / 10;
        let (s, b) = (pct(self.ratings.satisfied), pct(self.ratings.basic));
        (s, b, (100 - s - b).max(0))
    }
}

/// A measure as the public sees it.
pub struct PublicMeasure {
    pub title: String,
    pub done: bool,
    /// Only where the deadline is disclosed too.
    pub due_on: String,
}

#[derive(Deserialize, Default)]
pub struct PublicQuery {
    #[serde(default)]
    unit: String,
    page: Option<u32>,
}

#[derive(Template)]
#[template(path = "public/rectify_list.html")]
struct ListPage {
    l: PublicLayout,
    page: Page<PublicProblem>,
    units: Vec<(Uuid, String, i64)>,
    unit: String,
    pager_base: String,
}

/// `GET /public/rectify`: published problems, newest first, by lead unit.
pub async fn index(
    State(state): State<AppState>,
    ctx: Ctx,
    client: ClientAddr,
    Query(q): Query<PublicQuery>,
) -> AppResult<Response> {
    state.throttles.public_pages.check(&client)?;
    let r = state.store.rectify();
    let unit = form_uuid(&q.unit)?;
    let result = r.published_page(unit, PageRequest::new(q.page, Some(10))).await?;
    let ids: Vec<Uuid> = result.items.iter().map(|p| p.id).collect();
    let mut sums = r.rating_summaries(&ids).await?;
    let t = T(ctx.lang);
    page(&ListPage {
        l: PublicLayout::new(&state, &ctx, t.s("public.rectify_title").into_owned()),
        page: result.map(|p| {
            let s = sums.remove(&p.id).unwrap_or_default();
            PublicProblem::of(&p, s)
        }),
        units: r.published_units().await?,
        pager_base: format!("/public/rectify?unit={}", urlencode(&q.unit)),
        unit: q.unit,
    })
}

/// What a citizen typed into the rating form.
#[derive(Deserialize, Default, Clone)]
pub struct RatingForm {
    #[serde(default)]
    receipt: String,
    #[serde(default)]
    rating: String,
    #[serde(default)]
    comment: String,
}

#[derive(Template)]
#[template(path = "public/rectify_show.html")]
struct ShowPage {
    l: PublicLayout,
    p: PublicProblem,
    measures: Vec<PublicMeasure>,
    ratings: &'static [Rating],
    receipt: String,
    form: RatingForm,
    error: Option<String>,
    errors: FormErrors,
    comment_max: usize,
}

/// `GET /public/rectify/{id}`: the problem, its ratings and the rating form.
pub async fn show(
    State(state): State<AppState>,
    ctx: Ctx,
    client: ClientAddr,
    PathId(id): PathId,
) -> AppResult<Response> {
    state.throttles.public_pages.check(&client)?;
    show_page(&state, &ctx, id, RatingForm::default(), None, FormErrors::default(), StatusCode::OK).await
}


/// The detail page with a fresh receipt in its form (and what was typed).
async fn show_page(
    state: &AppState,
    ctx: &Ctx,
    id: Uuid,
    form: RatingForm,
    error: Option<String>,
    errors: FormErrors,
    status: StatusCode,
) -> AppResult<Response> {
    let r = state.store.rectify();
    let p = r.get(id).await?;
    if !p.published {
        return Err(AppError::NotFound);
    }
    let view = PublicProblem::of(&p, r.rating_summary(id).await?);
    let measures = if view.d.measures {
        let dates = view.d.measure_due_dates();
        r.measures_of(id)
            .await?
            .into_iter()
            .map(|m| PublicMeasure {
                done: m.status == "done",
                due_on: if dates { m.due_on } else { String::new() },
                title: m.title,
            })
            .collect()
    } else {
        Vec::new()
    };
    let mut res = page(&ShowPage {
        l: PublicLayout::new(state, ctx, super::clip(&p.description, 24)),
        p: view,
        measures,
        ratings: Rating::ALL,
        receipt: receipt::mint(&state.config.form_key, RECEIPT_PURPOSE, id, receipt::now()),
        form,
        error,
        errors,
        comment_max: RATING_COMMENT_MAX,
    })?;
    *res.status_mut() = status;
    Ok(res)
}

#[derive(Template)]
#[template(path = "public/rectify_receipt.html")]
struct ReceiptPage {
    l: PublicLayout,
    id: Uuid,
    rating: String,
    code: String,
}

fn token_refusal(e: TokenError, lang: Lang) -> String {
    match e {
        TokenError::Invalid => Msg::new(
            "评议凭证无效，请在本页重新提交",
            "the rating receipt is not valid; please submit again from this page",
        ),
        TokenError::Expired => Msg::new(
            "页面打开时间过长，评议凭证已过期，请重新提交（您填写的内容已保留）",
            "the page was open too long and its receipt has expired; please submit again (what you typed is kept)",
        ),
    }
    .get(lang)
    .to_string()
}

/// `POST /public/rectify/{id}/rate`: one rating per receipt.
pub async fn rate(
    State(state): State<AppState>,
    ctx: Ctx,
    client: ClientAddr,
    PathId(id): PathId,
    Form(f): Form<RatingForm>,
) -> AppResult<Response> {
    state.throttles.public_ratings.check(&client)?;
    let input = RatingInput { rating: f.rating.clone(), comment: f.comment.clone() };
    let (rating, comment) = match input.validate() {
        Ok(x) => x,
        Err(v) => {
            return show_page(
                &state,
                &ctx,
                id,
                f,
                None,
                FormErrors::from(&v, ctx.lang),
                StatusCode::UNPROCESSABLE_ENTITY,
            )
            .await;
        }
    };
    if let Err(e) = receipt::verify(&state.config.form_key, RECEIPT_PURPOSE, id, &f.receipt, receipt::now(), RECEIPT_MAX_AGE) {
        let msg = token_refusal(e, ctx.lang);
        return show_page(&state, &ctx, id, f, Some(msg), FormErrors::default(), StatusCode::UNPROCESSABLE_ENTITY)
            .await;
    }
    let hash = receipt::receipt_hash(&f.receipt);
    match state.store.rectify().rate(id, rating, comment.as_deref(), &hash).await {
        Ok(_) => page(&ReceiptPage {
            l: PublicLayout::new(&state, &ctx, T(ctx.lang).s("public.thanks").into_owned()),
            id,
            rating: T(ctx.lang).m(rating.label()),
            code: receipt::receipt_code(&hash),
        }),
        Err(StoreError::Refused(r)) => {
            let msg = r.msg.get(ctx.lang).to_string();
            show_page(&state, &ctx, id, f, Some(msg), FormErrors::default(), StatusCode::CONFLICT).await
        }
        Err(e) => Err(e.into()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_add_up_to_a_hundred() {
        let mut p = PublicProblem {
            id: Uuid::nil(),
            description: String::new(),
            publisher: String::new(),
            d: Disclosure::default(),
            lead_unit: String::new(),
            deadline: String::new(),
            progress: 0,
            status: None,
            closed_on: String::new(),
            ratings: RatingSummary { satisfied: 1, basic: 1, dissatisfied: 1, unreviewed_dissatisfied: 0 },
        };
        let (s, b, d) = p.shares();
        assert_eq!(s + b + d, 100);
        p.ratings = RatingSummary::default();
        assert_eq!(p.shares(), (0, 0, 0));
    }
}
