//! 问题清单 → 整改 → 销号: pages ([`problems`], [`batches`], [`board`],
//! [`spot`], [`campaigns`]); the reads and commands they share with the JSON
//! API (`api::rectify`) are in [`ops`]. Every handler decides access here, through
//! [`visible_problem`] (a problem is seen from its lead unit and from its
//! issuing unit) and `domain::access::authorize_via`.

pub mod batches;
pub mod campaigns;
pub mod board;
pub mod ops;
pub mod problems;
pub mod public;
pub mod sheets;
pub mod spot;

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::home::TodoItem;
use jiff::civil::Date;
use qingfeng_domain::access::{Action, authorize_via};
use qingfeng_domain::rectify::RectifyRules;
use qingfeng_domain::rectify::lifecycle::Capacities;
use qingfeng_store::rectify::{Env, Problem};
use uuid::Uuid;

/// Today in China (UTC+8), the date every deadline is reckoned against.
pub fn today() -> Date {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    jiff::Timestamp::now().to_zoned(tz).date()
}

/// What a rectification command reckons with: the calendar, the
/// deployment's rules (`qingfeng --rules FILE`) and today.
pub struct Reckoning {
    pub cal: qingfeng_domain::calendar::Calendar,
    pub rules: RectifyRules,
    pub today: Date,
}

impl Reckoning {
    pub fn env(&self) -> Env<'_> {
        Env { cal: &self.cal, rules: &self.rules, today: self.today }
    }
}

/// The calendar, the rules and today, as of now.
pub fn reckon(state: &AppState) -> Reckoning {
    Reckoning { cal: state.calendar(), rules: state.config.rules.rectify, today: today() }
}

/// Loads a problem the user may `action`, with the capacities in which the
/// user stands towards it. Outside every scope: 404.
pub async fn visible_problem(state: &AppState, user: &User, id: Uuid, action: Action) -> AppResult<(Problem, Capacities)> {
    let p = state.store.rectify().get(id).await?;
    let (lead, issuer) = (p.lead_scope()?, p.issuer_scope()?);
    // The issuing side reviews; everything else happens at the lead unit.
    let check = |a: Action| -> Result<(), AppError> {
        let (act_on, also) = if a == Action::ReviewRectify { (&issuer, &lead) } else { (&lead, &issuer) };
        authorize_via(&user.actor, a, act_on, also).map_err(AppError::from)
    };
    check(action)?;
    let cap = Capacities {
        lead_unit: check(Action::ManageRectify).is_ok(),
        issuer: check(Action::ReviewRectify).is_ok(),
        inspector: check(Action::SpotCheck).is_ok(),
    };
    Ok((p, cap))
}

/// What waits for `user` in this module, most urgent first.
pub async fn todos(state: &AppState, user: &User) -> AppResult<Vec<TodoItem>> {
    let manage = user.scopes(Action::ManageRectify);
    let review = user.scopes(Action::ReviewRectify);
    let t = state.store.rectify().todos(&manage, &review, user.account.person_id, today(), 20).await?;
    let mut out = Vec::new();
    let item = |kind: &str, p: &Problem, due: Option<String>| TodoItem {
        module: "rectify".into(),
        title: format!("{kind}｜{} {}", p.lead_unit_name, clip(&p.description, 40)),
        due,
        warning: Some(p.warning.clone()).filter(|w| w != "done"),
        url: format!("/rectify/problems/{}", p.id),
    };
    for p in &t.escalated {
        out.push(item("督办", p, Some(p.deadline.clone())));
    }
    for p in &t.to_review {
        out.push(item("待审核销号", p, p.requested_on.clone()));
    }
    for (x, p) in &t.extensions {
        out.push(item(&format!("延期申请至{}", x.new_deadline), p, Some(p.deadline.clone())));
    }
    for p in &t.to_claim {
        out.push(item("待认领", p, Some(p.deadline.clone())));
    }
    for m in &t.measures_due {
        out.push(TodoItem {
            module: "rectify".into(),
            title: format!("整改措施到期｜{} {}", m.org_unit_name, clip(&m.title, 40)),
            due: Some(m.due_on.clone()),
            warning: Some(if m.due_on < today().to_string() { "red" } else { "yellow" }.into()),
            url: format!("/rectify/measures/{}", m.id),
        });
    }
    for p in &t.lookbacks {
        out.push(item("回头看", p, p.lookback_due.clone()));
    }
    Ok(out)
}

/// The first `n` characters of `s`, with an ellipsis when cut.
pub fn clip(s: &str, n: usize) -> String {
    if s.chars().count() <= n { s.to_string() } else { format!("{}…", s.chars().take(n).collect::<String>()) }
}
