//! What every page's frame needs: language, navigation, the signed-in user.

use crate::AppState;
use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::i18n::T;
use askama::Template;
use axum::response::{Html, IntoResponse, Response};
use qingfeng_domain::access::{Action, Role};

pub struct NavItem {
    pub href: &'static str,
    pub key: &'static str,
    pub active: bool,
}

pub struct NavUser {
    pub display_name: String,
    pub username: String,
    pub roles: String,
}

pub struct Layout {
    pub t: T,
    pub title: String,
    pub nav: Vec<NavItem>,
    pub user: Option<NavUser>,
    pub csrf: String,
    /// Current path and query, URL-encoded, for the language switch.
    pub here: String,
    pub flash: Option<String>,
    pub demo: bool,
}

impl Layout {
    /// `section` marks the active menu entry (`home`, `orgs`, `people`, …).
    pub fn new(state: &AppState, ctx: &Ctx, section: &str, title: String) -> Layout {
        let t = T(ctx.lang);
        let mut nav = Vec::new();
        let mut user = None;
        if let Some(u) = &ctx.user {
            let a = &u.actor;
            let mut push = |href, key, name: &str, show: bool| {
                if show {
                    nav.push(NavItem { href, key, active: section == name });
                }
            };
            push("/", "nav.home", "home", true);
            push("/rectify/board", "nav.board", "board", a.can_anywhere(Action::ViewRectify));
            push("/rectify/problems", "nav.rectify", "rectify", a.can_anywhere(Action::ViewRectify));
            push("/rectify/spot-checks", "nav.spot", "spot", a.can_anywhere(Action::SpotCheck));
            push("/leads", "nav.leads", "leads", a.can_anywhere(Action::ViewLeads));
            push("/leads/referrals", "nav.referrals", "leads", !a.can_anywhere(Action::ViewLeads) && a.can_anywhere(Action::ReceiveReferral));
            push("/tasks", "nav.tasks", "tasks", a.can_anywhere(Action::ViewTasks));
            push("/orglife", "nav.orglife", "orglife", a.can_anywhere(Action::ViewOrgLife));
            push("/duties", "duties.nav", "duties", a.can_anywhere(Action::ViewTasks));
            push("/orgs", "nav.orgs", "orgs", a.can_anywhere(Action::ViewOrg));
            push("/people", "nav.people", "people", a.can_anywhere(Action::ViewPeople));
            push("/admin/accounts", "nav.accounts", "accounts", a.can_anywhere(Action::ViewAccounts));
            push("/audit", "nav.audit", "audit", a.can_anywhere(Action::ViewAudit));
            push("/calendar", "nav.calendar", "calendar", true);
            let mut roles: Vec<Role> = a.grants.iter().map(|g| g.role).collect();
            roles.dedup();
            user = Some(NavUser {
                display_name: u.account.display_name.clone(),
                username: u.account.username.clone(),
                roles: roles.iter().map(|r| r.label().get(ctx.lang).to_string()).collect::<Vec<_>>().join("、"),
            });
        }
        let flash = ctx.flash.as_deref().filter(|k| k.starts_with("flash.")).map(|k| t.s(k).into_owned());
        Layout {
            t,
            title,
            nav,
            user,
            csrf: ctx.csrf.clone(),
            here: crate::form::urlencode(&ctx.path_and_query),
            flash,
            demo: state.config.demo,
        }
    }
}

impl Layout {
    /// A role's name in the page's language.
    pub fn role(&self, role: impl AsRef<str>) -> String {
        crate::access::accounts::role_label(role.as_ref(), &self.t)
    }

    /// A record type's name (`org_unit` → 组织).
    pub fn entity(&self, entity: impl AsRef<str>) -> String {
        self.t.s(format!("entity.{}", entity.as_ref())).into_owned()
    }
}

/// Renders a page template as HTML.
pub fn page(t: &impl Template) -> AppResult<Response> {
    Ok(Html(t.render()?).into_response())
}

/// Renders a form page, as 422 when what was sent back is `invalid`.
pub fn form_page(t: &impl Template, invalid: bool) -> AppResult<Response> {
    let mut res = page(t)?;
    if invalid {
        *res.status_mut() = axum::http::StatusCode::UNPROCESSABLE_ENTITY;
    }
    Ok(res)
}

/// A redirect after a successful form, with a one-shot message key (`flash.*`).
pub fn done(state: &AppState, to: &str, flash_key: &'static str) -> Response {
    let c = crate::ctx::cookie(state, crate::ctx::FLASH_COOKIE, flash_key.to_string(), true, true);
    crate::ctx::with_cookies(axum::response::Redirect::to(to).into_response(), &[c])
}

/// Whether `path` is one of the pages anyone may use without signing in
/// (they have their own frame: no staff navigation, no account links).
pub fn is_public(path: &str) -> bool {
    path == "/public" || path.starts_with("/public/")
}

/// The frame of the public pages.
pub struct PublicLayout {
    pub t: T,
    pub title: String,
    pub csrf: String,
    pub here: String,
    pub demo: bool,
}

impl PublicLayout {
    pub fn new(state: &AppState, ctx: &Ctx, title: String) -> PublicLayout {
        PublicLayout {
            t: T(ctx.lang),
            title,
            csrf: ctx.csrf.clone(),
            here: crate::form::urlencode(&ctx.path_and_query),
            demo: state.config.demo,
        }
    }
}
