//! The task lifecycle as one table (DESIGN.md §3).
//!
//! ```text
//!            ┌──退回 (理由)──▶ 已退回 ──重新交办──┐
//!            │                   │               │
//! 下发 ─▶ 待认领 ──认领──▶ 落实中 ──完成──▶ 已完成
//!            │                ▲  │ 分解 / 报进度  │
//!            │                │  └──────┘        │
//!            │                └────重新打开 (理由)─┘
//!            └──撤销 (理由, 待认领/已退回/落实中) ─▶ 已撤销
//! ```
//! The receiving unit (the lead unit) accepts, returns, breaks down,
//! reports and completes; the issuing side reissues, withdraws and reopens.
//! Progress is reported on leaves only: a task with sub-tasks takes its
//! progress from them ([`super::rollup`]). A deadline never changes by an
//! edit: the receiving unit asks and the issuer decides
//! ([`super::deadline`]).

use super::{TaskRules, TaskStatus};
use crate::msg::{Msg, Refusal, Validation, optional_text, required_text};
use crate::rectify::input::date;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// What someone does to a task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskAction {
    /// 认领.
    Accept,
    /// 退回: back to the issuer, with a reason.
    Return,
    /// 重新交办: the issuer sends a returned task out again (possibly to another unit).
    Reissue,
    /// 撤销: the issuer withdraws the task, with a reason.
    Withdraw,
    /// 分解: create sub-tasks for the lead unit's children.
    BreakDown,
    /// 报送进度 (leaves only).
    ReportProgress,
    /// 完成.
    Complete,
    /// 重新打开, with a reason.
    Reopen,
}

impl TaskAction {
    pub fn as_str(self) -> &'static str {
        match self {
            TaskAction::Accept => "accept",
            TaskAction::Return => "return",
            TaskAction::Reissue => "reissue",
            TaskAction::Withdraw => "withdraw",
            TaskAction::BreakDown => "break_down",
            TaskAction::ReportProgress => "report_progress",
            TaskAction::Complete => "complete",
            TaskAction::Reopen => "reopen",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            TaskAction::Accept => Msg::new("认领", "Accept"),
            TaskAction::Return => Msg::new("退回", "Return"),
            TaskAction::Reissue => Msg::new("重新交办", "Reissue"),
            TaskAction::Withdraw => Msg::new("撤销", "Withdraw"),
            TaskAction::BreakDown => Msg::new("分解", "Break down"),
            TaskAction::ReportProgress => Msg::new("报送进度", "Report progress"),
            TaskAction::Complete => Msg::new("办结", "Complete"),
            TaskAction::Reopen => Msg::new("重新打开", "Reopen"),
        }
    }
}

/// In which capacity the actor stands towards this task.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// The issuing side: `IssueTasks` on the issuing unit (for a sub-task,
    /// the parent task's lead unit).
    Issuer,
    /// The receiving unit: `WorkTasks` on the task's lead unit.
    ReceivingUnit,
}

/// The capacities an actor holds (decided by `access`, passed in here).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capacities {
    pub issuer: bool,
    pub receiving_unit: bool,
}

impl Capacities {
    pub fn has(self, side: Side) -> bool {
        match side {
            Side::Issuer => self.issuer,
            Side::ReceivingUnit => self.receiving_unit,
        }
    }
}

struct Rule {
    from: TaskStatus,
    action: TaskAction,
    to: TaskStatus,
    side: Side,
    reason_required: bool,
}

use Side::{Issuer, ReceivingUnit as Unit};
use TaskAction as A;
use TaskStatus as S;

#[rustfmt::skip]
const TABLE: &[Rule] = &[
    Rule { from: S::Issued, action: A::Accept, to: S::Accepted, side: Unit, reason_required: false },
    Rule { from: S::Issued, action: A::Return, to: S::Returned, side: Unit, reason_required: true },
    Rule { from: S::Returned, action: A::Reissue, to: S::Issued, side: Issuer, reason_required: false },
    Rule { from: S::Issued, action: A::Withdraw, to: S::Withdrawn, side: Issuer, reason_required: true },
    Rule { from: S::Returned, action: A::Withdraw, to: S::Withdrawn, side: Issuer, reason_required: true },
    Rule { from: S::Accepted, action: A::Withdraw, to: S::Withdrawn, side: Issuer, reason_required: true },
    Rule { from: S::Accepted, action: A::BreakDown, to: S::Accepted, side: Unit, reason_required: false },
    Rule { from: S::Accepted, action: A::ReportProgress, to: S::Accepted, side: Unit, reason_required: false },
    Rule { from: S::Accepted, action: A::Complete, to: S::Done, side: Unit, reason_required: false },
    Rule { from: S::Done, action: A::Reopen, to: S::Accepted, side: Issuer, reason_required: true },
];

/// The sub-tasks of a task, as the guards see them.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ChildFacts {
    /// Sub-tasks that are not withdrawn.
    pub active: u32,
    /// Of those, done.
    pub done: u32,
}

/// Facts a transition may depend on.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    /// The reason or comment given with the action.
    pub reason: Option<&'a str>,
    pub children: ChildFacts,
    /// The latest reported progress of a leaf, if any report exists.
    pub last_percent: Option<u8>,
    /// How deep this task sits below its directive's top-level tasks (0 = top).
    pub depth: u8,
}

/// The actions the table allows from `from` to someone with `cap`.
pub fn available(from: TaskStatus, cap: Capacities) -> Vec<TaskAction> {
    TABLE.iter().filter(|r| r.from == from && cap.has(r.side)).map(|r| r.action).collect()
}

/// The side that performs `action`.
pub fn side_of(action: TaskAction) -> Side {
    TABLE.iter().find(|r| r.action == action).map(|r| r.side).unwrap_or(Side::Issuer)
}

/// The one transition function: where `action` takes a task in `from`, or why not.
pub fn transition(
    from: TaskStatus,
    action: TaskAction,
    cap: Capacities,
    facts: &Facts<'_>,
    rules: &TaskRules,
) -> Result<TaskStatus, Refusal> {
    let Some(rule) = TABLE.iter().find(|r| r.from == from && r.action == action) else {
        return Err(Refusal {
            code: "invalid_transition",
            msg: Msg::owned(
                format!("任务当前为“{}”，不能{}", from.label().zh, action.label().zh),
                format!("the task is {}; cannot {}", from.label().en.to_lowercase(), action.label().en.to_lowercase()),
            ),
        });
    };
    if !cap.has(rule.side) {
        return Err(match rule.side {
            Side::Issuer => {
                Refusal::new("not_issuer", "只有任务交办单位可以办理此操作", "only the issuing side may do this")
            }
            Side::ReceivingUnit => Refusal::new(
                "not_receiving_unit",
                "只有任务牵头单位可以办理此操作",
                "only the receiving (lead) unit may do this",
            ),
        });
    }
    if rule.reason_required && facts.reason.is_none_or(|c| c.trim().is_empty()) {
        return Err(Refusal::new("reason_required", "请填写理由", "a reason is required"));
    }
    let has_children = facts.children.active > 0;
    match action {
        A::ReportProgress if has_children => {
            return Err(Refusal::new(
                "progress_from_subtasks",
                "该任务已分解，进度由子任务汇总生成，不能直接填报",
                "this task is broken down; its progress comes from its sub-tasks",
            ));
        }
        A::BreakDown if facts.depth >= rules.max_breakdown_depth => {
            return Err(Refusal {
                code: "too_deep",
                msg: Msg::owned(
                    format!("任务最多分解{}级", rules.max_breakdown_depth),
                    format!("tasks may be broken down at most {} levels", rules.max_breakdown_depth),
                ),
            });
        }
        A::Complete if has_children && facts.children.done < facts.children.active => {
            let left = facts.children.active - facts.children.done;
            return Err(Refusal {
                code: "subtasks_open",
                msg: Msg::owned(format!("还有{left}项子任务未完成"), format!("{left} sub-task(s) not done")),
            });
        }
        A::Complete if !has_children && facts.last_percent != Some(100) => {
            return Err(Refusal::new(
                "progress_not_complete",
                "办结前须报送一次100%的进度（附落实情况）",
                "report 100% progress (with what was done) before completing",
            ));
        }
        _ => {}
    }
    Ok(rule.to)
}

/// A sub-task's status can force its parent's: returns the parent's new
/// status if it must change (a reopened child reopens a done parent).
pub fn parent_after_child_reopened(parent: TaskStatus) -> Option<TaskStatus> {
    (parent == TaskStatus::Done).then_some(TaskStatus::Accepted)
}

/// A progress report as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ProgressInput {
    pub percent: String,
    pub note: String,
    /// Why progress goes down, when it does.
    #[serde(default)]
    pub reason: String,
    /// The 履责记实 record this report rests on, if any.
    pub record_id: Option<Uuid>,
    /// The day the report speaks of (default: today).
    #[serde(default)]
    pub reported_on: String,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ProgressReport {
    pub percent: u8,
    pub note: String,
    pub reason: Option<String>,
    pub record_id: Option<Uuid>,
    pub reported_on: Date,
}

impl ProgressInput {
    /// `previous` is the latest reported percent. Progress may go down only
    /// with a reason; a report cannot be dated in the future.
    pub fn validate(&self, previous: Option<u8>, today: Date) -> Result<ProgressReport, Validation> {
        let mut v = Validation::new();
        let percent = match self.percent.trim().trim_end_matches(['%', '％']).trim().parse::<u8>() {
            Ok(p) if p <= 100 => Some(p),
            _ => {
                v.add("percent", Msg::new("进度应为0到100的整数", "a whole percentage 0–100"));
                None
            }
        };
        let note = v.check("note", required_text(&self.note.replace(['\r', '\n'], " "), 2000));
        let reason = v.check("reason", optional_text(&self.reason.replace(['\r', '\n'], " "), 500)).flatten();
        if let (Some(p), Some(prev)) = (percent, previous)
            && p < prev
            && reason.is_none()
        {
            v.add(
                "reason",
                Msg::owned(
                    format!("进度从{prev}%降为{p}%，请说明理由"),
                    format!("progress drops from {prev}% to {p}%: give a reason"),
                ),
            );
        }
        let reported_on = if self.reported_on.trim().is_empty() {
            Some(today)
        } else {
            date(&mut v, "reported_on", &self.reported_on)
        };
        if reported_on.is_some_and(|d| d > today) {
            v.add("reported_on", Msg::new("不能填报未来日期的进度", "a report cannot be dated in the future"));
        }
        v.into_result()?;
        Ok(ProgressReport {
            percent: percent.unwrap_or(0),
            note: note.unwrap_or_default(),
            reason,
            record_id: self.record_id,
            reported_on: reported_on.unwrap_or(today),
        })
    }
}

/// A return (退回) or another reasoned action, as typed.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct ReasonInput {
    pub reason: String,
}

impl ReasonInput {
    pub fn validate(&self) -> Result<String, Validation> {
        let mut v = Validation::new();
        let r = v.check("reason", required_text(&self.reason.replace(['\r', '\n'], " "), 500));
        v.into_result()?;
        Ok(r.unwrap_or_default())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    const UNIT: Capacities = Capacities { issuer: false, receiving_unit: true };
    const ISSUER: Capacities = Capacities { issuer: true, receiving_unit: false };

    fn f<'a>() -> Facts<'a> {
        Facts::default()
    }

    fn transition(from: S, a: A, cap: Capacities, facts: &Facts<'_>) -> Result<S, Refusal> {
        super::transition(from, a, cap, facts, &TaskRules::default())
    }

    #[test]
    fn the_main_path_accept_report_complete() {
        assert_eq!(transition(S::Issued, A::Accept, UNIT, &f()), Ok(S::Accepted));
        assert_eq!(transition(S::Accepted, A::ReportProgress, UNIT, &f()), Ok(S::Accepted));
        let full = Facts { last_percent: Some(100), ..f() };
        assert_eq!(transition(S::Accepted, A::Complete, UNIT, &full), Ok(S::Done));
    }

    #[test]
    fn a_returned_task_carries_its_reason_back_to_the_issuer() {
        assert_eq!(transition(S::Issued, A::Return, UNIT, &f()).unwrap_err().code, "reason_required");
        let why = Facts { reason: Some("不属于本单位职责，建议交市场监管局"), ..f() };
        assert_eq!(transition(S::Issued, A::Return, UNIT, &why), Ok(S::Returned));
        assert_eq!(available(S::Returned, ISSUER), vec![A::Reissue, A::Withdraw]);
        assert!(available(S::Returned, UNIT).is_empty(), "the task now sits with the issuer");
        assert_eq!(transition(S::Returned, A::Reissue, ISSUER, &f()), Ok(S::Issued));
        assert_eq!(transition(S::Accepted, A::Return, UNIT, &why).unwrap_err().code, "invalid_transition");
    }

    #[test]
    fn only_the_receiving_unit_works_and_only_the_issuer_withdraws_or_reopens() {
        assert_eq!(transition(S::Issued, A::Accept, ISSUER, &f()).unwrap_err().code, "not_receiving_unit");
        let why = Facts { reason: Some("部署调整"), ..f() };
        assert_eq!(transition(S::Accepted, A::Withdraw, UNIT, &why).unwrap_err().code, "not_issuer");
        assert_eq!(transition(S::Accepted, A::Withdraw, ISSUER, &why), Ok(S::Withdrawn));
        assert_eq!(transition(S::Done, A::Reopen, ISSUER, &f()).unwrap_err().code, "reason_required");
        assert_eq!(transition(S::Done, A::Reopen, ISSUER, &why), Ok(S::Accepted));
        assert_eq!(transition(S::Withdrawn, A::Reissue, ISSUER, &why).unwrap_err().code, "invalid_transition");
    }

    #[test]
    fn a_leaf_completes_only_after_reporting_full_progress() {
        assert_eq!(transition(S::Accepted, A::Complete, UNIT, &f()).unwrap_err().code, "progress_not_complete");
        let most = Facts { last_percent: Some(90), ..f() };
        assert_eq!(transition(S::Accepted, A::Complete, UNIT, &most).unwrap_err().code, "progress_not_complete");
    }

    #[test]
    fn a_broken_down_task_takes_progress_from_its_subtasks_and_completes_when_all_are_done() {
        let split = Facts { children: ChildFacts { active: 2, done: 1 }, ..f() };
        assert_eq!(
            transition(S::Accepted, A::ReportProgress, UNIT, &split).unwrap_err().code,
            "progress_from_subtasks"
        );
        let err = transition(S::Accepted, A::Complete, UNIT, &split).unwrap_err();
        assert_eq!(err.code, "subtasks_open");
        assert!(err.msg.zh.contains('1'));
        let all = Facts { children: ChildFacts { active: 2, done: 2 }, ..f() };
        assert_eq!(transition(S::Accepted, A::Complete, UNIT, &all), Ok(S::Done));
        assert_eq!(parent_after_child_reopened(S::Done), Some(S::Accepted));
        assert_eq!(parent_after_child_reopened(S::Accepted), None);
    }

    #[test]
    fn breakdown_needs_an_accepted_task_and_stops_at_the_configured_depth() {
        assert_eq!(transition(S::Issued, A::BreakDown, UNIT, &f()).unwrap_err().code, "invalid_transition");
        assert_eq!(transition(S::Accepted, A::BreakDown, UNIT, &Facts { depth: 5, ..f() }), Ok(S::Accepted));
        assert_eq!(
            transition(S::Accepted, A::BreakDown, UNIT, &Facts { depth: 6, ..f() }).unwrap_err().code,
            "too_deep"
        );
    }

    #[test]
    fn progress_is_0_to_100_and_goes_down_only_with_a_reason() {
        let today = d(2026, 5, 6);
        let p = |percent: &str, reason: &str| ProgressInput {
            percent: percent.into(),
            note: "已召开专题会议".into(),
            reason: reason.into(),
            ..Default::default()
        };
        assert_eq!(p("60%", "").validate(Some(40), today).unwrap().percent, 60);
        assert!(p("101", "").validate(None, today).unwrap_err().has("percent"));
        assert!(p("-1", "").validate(None, today).unwrap_err().has("percent"));
        let e = p("30", "").validate(Some(40), today).unwrap_err();
        assert!(e.has("reason") && e.0[0].msg.zh.contains("40%"), "{e}");
        assert_eq!(p("30", "核查发现前期统计有误").validate(Some(40), today).unwrap().percent, 30);
        let mut no_note = p("50", "");
        no_note.note = " ".into();
        assert!(no_note.validate(None, today).unwrap_err().has("note"));
        let mut future = p("50", "");
        future.reported_on = "2026-05-07".into();
        assert!(future.validate(None, today).unwrap_err().has("reported_on"));
    }

    #[test]
    fn transitions_outside_the_table_are_refused_with_the_state_named() {
        let err = transition(S::Done, A::Accept, UNIT, &f()).unwrap_err();
        assert_eq!(err.code, "invalid_transition");
        assert!(err.msg.zh.contains("已完成"), "{err}");
        assert_eq!(side_of(A::Reopen), Side::Issuer);
        assert_eq!(side_of(A::BreakDown), Side::ReceivingUnit);
        assert_eq!(available(S::Accepted, UNIT), vec![A::BreakDown, A::ReportProgress, A::Complete]);
    }

    #[test]
    fn a_return_reason_is_required_text() {
        assert!(ReasonInput { reason: "  ".into() }.validate().unwrap_err().has("reason"));
        assert_eq!(ReasonInput { reason: "不属于本单位职责".into() }.validate().unwrap(), "不属于本单位职责");
    }
}
