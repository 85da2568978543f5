//! 部署分解: directives read from a speech or document, their draft edited
//! and issued ([`directives`]), tasks accepted, broken down and reported on
//! ([`items`]), the board and the drill-down list ([`board`]) and the task
//! breakdown table as .xlsx and .docx ([`export`]).
//!
//! Access is decided here: a task is seen from its lead unit and from its
//! issuing unit ([`visible_task`]); the issuing side holds `IssueTasks` on
//! the issuing unit, the receiving side `WorkTasks` on the lead unit.

pub mod board;
pub mod directives;
mod draft;
pub mod export;
pub mod items;

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::home::TodoItem;
use crate::rectify::{clip, today};
use qingfeng_domain::access::{Action, authorize_via};
use qingfeng_domain::tasks::draft::DraftItem;
use qingfeng_domain::tasks::lifecycle::Capacities;
use qingfeng_domain::tasks::TaskRules;
use qingfeng_store::tasks::{Directive, Env, Task};
use qingfeng_text::Outline;
use uuid::Uuid;

/// What a task command reckons with: the calendar, the rules and today.
pub struct Reckoning {
    pub cal: qingfeng_domain::calendar::Calendar,
    pub rules: TaskRules,
    pub today: jiff::civil::Date,
}

impl Reckoning {
    pub fn env(&self) -> Env<'_> {
        Env { cal: &self.cal, rules: &self.rules, today: self.today }
    }
}

pub fn reckon(state: &AppState) -> Reckoning {
    Reckoning { cal: state.calendar(), rules: state.config.rules.tasks, today: today() }
}

/// Loads a task the user may `action`, with the capacities in which the
/// user stands towards it. Outside every scope: 404.
pub async fn visible_task(state: &AppState, user: &User, id: Uuid, action: Action) -> AppResult<(Task, Capacities)> {
    let t = state.store.tasks().get(id).await?;
    let (lead, issuer) = (t.lead_scope()?, t.issuer_scope()?);
    let check = |a: Action| -> Result<(), AppError> {
        let (act_on, also) = if a == Action::IssueTasks { (&issuer, &lead) } else { (&lead, &issuer) };
        authorize_via(&user.actor, a, act_on, also).map_err(AppError::from)
    };
    check(action)?;
    let cap = Capacities { issuer: check(Action::IssueTasks).is_ok(), receiving_unit: check(Action::WorkTasks).is_ok() };
    Ok((t, cap))
}

/// Loads a directive the user may see: issued within a scope, or with a task
/// led within one. `action` is checked on the issuing unit when it is not
/// `ViewTasks`.
pub async fn visible_directive(state: &AppState, user: &User, id: Uuid, action: Action) -> AppResult<Directive> {
    let d = state.store.tasks().directive(id).await?;
    let scope = d.scope()?;
    if action != Action::ViewTasks {
        user.authorize(action, &scope)?;
        return Ok(d);
    }
    if user.can(Action::ViewTasks, &scope) {
        return Ok(d);
    }
    let f = qingfeng_store::tasks::TaskFilter { directive: Some(id), ..Default::default() };
    let page = qingfeng_domain::page::PageRequest::new(Some(1), Some(1));
    if state.store.tasks().list(&user.scopes(Action::ViewTasks), &f, page).await?.total > 0 {
        return Ok(d);
    }
    Err(AppError::NotFound)
}

/// A field of a row of a multi-row form: `title.3` → (`title`, 3); rows
/// past the most a draft may hold are ignored.
pub(crate) fn row_field(key: &str) -> Option<(&str, usize)> {
    let (name, n) = key.split_once('.')?;
    let n = n.parse::<usize>().ok()?;
    (n < qingfeng_domain::tasks::draft::ITEMS_MAX).then_some((name, n))
}

/// The requirement and the problem points of an outline as draft items
/// (see `qingfeng_text::work_points`), at most `ITEMS_MAX` of each.
pub fn drafts_from_outline(o: &Outline) -> (Vec<DraftItem>, Vec<DraftItem>) {
    let (tasks, problems) = qingfeng_text::work_points(o);
    let conv = |v: Vec<qingfeng_text::Point>| -> Vec<DraftItem> {
        v.into_iter()
            .take(qingfeng_domain::tasks::draft::ITEMS_MAX)
            .map(|p| DraftItem::from_outline(&p.label, &p.body, p.path))
            .collect()
    };
    (conv(tasks), conv(problems))
}

/// What waits for `user` in this module.
pub async fn todos(state: &AppState, user: &User) -> AppResult<Vec<TodoItem>> {
    let work = user.scopes(Action::WorkTasks);
    let issue = user.scopes(Action::IssueTasks);
    if work.is_empty() && issue.is_empty() {
        return Ok(Vec::new());
    }
    let (tasks, pending) = state.store.tasks().todos(&work, &issue, 20).await?;
    let mut out = Vec::new();
    for t in tasks {
        let kind = match t.status.as_str() {
            "issued" => "待认领任务",
            "returned" => "任务被退回",
            _ if t.warning == "red" => "任务逾期",
            _ => "任务临期",
        };
        out.push(TodoItem {
            module: "tasks".into(),
            title: format!("{kind}｜{} {}", t.lead_unit_name, clip(&t.title, 40)),
            due: Some(t.deadline.clone()),
            warning: Some(t.warning.clone()).filter(|w| w != "done"),
            url: format!("/tasks/items/{}", t.id),
        });
    }
    for (x, t) in pending {
        out.push(TodoItem {
            module: "tasks".into(),
            title: format!("调整时限申请至{}｜{} {}", x.requested_deadline, t.lead_unit_name, clip(&t.title, 30)),
            due: Some(t.deadline.clone()),
            warning: Some("yellow".into()),
            url: format!("/tasks/items/{}", t.id),
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_000_gives_nine_requirement_tasks_and_four_problems() {
        let text = include_str!("../../../text/tests/corpus/000_b4f7bf7a28539381.txt");
        let (tasks, problems) = drafts_from_outline(&qingfeng_text::parse_outline(text));
        let labels: Vec<&str> = tasks.iter().map(|t| t.label.as_str()).collect();
        assert_eq!(labels.len(), 9, "{labels:?}");
        assert!(labels[0].starts_with("持续加强理论修养"), "{labels:?}");
        assert!(labels[8].starts_with("抓实“四风”整治"), "{labels:?}");
        assert_eq!(tasks[0].sources, vec![vec![4, 0]]);
        assert_eq!(problems.len(), 4);
        assert!(problems[0].label.starts_with("理论学习“搞应付”"), "{:?}", problems[0]);
    }
}
