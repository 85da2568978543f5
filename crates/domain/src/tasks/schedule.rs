//! 预警 and 督办 for tasks: the colour is computed from the deadline, the
//! planned progress (序时进度, shared with rectification through
//! [`expected_percent`]) and the rolled-up progress, in working days on the
//! official calendar; an open task that overruns a limit by the configured
//! number of working days is escalated (督办) to its supervising leader.

use super::{TaskRules, TaskStatus, Warning};
use crate::calendar::Calendar;
use crate::msg::Msg;
use crate::rectify::code_enum;
use crate::rectify::schedule::{Milestone, expected_percent};
use jiff::civil::Date;
use serde::Serialize;
use uuid::Uuid;

/// What the colour and the escalation look at.
#[derive(Debug, Clone, Copy)]
pub struct TaskClock<'a> {
    pub status: TaskStatus,
    pub issued_on: Date,
    pub deadline: Date,
    pub milestones: &'a [Milestone],
    /// The task's progress: reported on a leaf, rolled up on a parent.
    pub progress: u8,
    /// 分管领导 to whom 督办 goes (`None`: the issuing unit's head, resolved by the caller).
    pub supervising_leader_id: Option<Uuid>,
}

fn wd(cal: &Calendar, from: Date, to: Date) -> i32 {
    cal.working_days_between(from, to).map(|r| r.value).unwrap_or(0)
}

/// The colour of a task on `today`, with the reason.
///
/// * done — done or withdrawn;
/// * red — past the deadline;
/// * yellow — not accepted within `accept_within_working_days`, returned
///   and waiting for the issuer, behind the planned progress, or the
///   deadline within `yellow_working_days`;
/// * green — otherwise.
pub fn warning(cal: &Calendar, rules: &TaskRules, t: &TaskClock<'_>, today: Date) -> (Warning, Msg) {
    match t.status {
        TaskStatus::Done => return (Warning::Done, Msg::new("已完成", "done")),
        TaskStatus::Withdrawn => return (Warning::Done, Msg::new("已撤销", "withdrawn")),
        _ => {}
    }
    if today > t.deadline {
        let late = wd(cal, t.deadline, today);
        return (
            Warning::Red,
            Msg::owned(format!("已超过完成时限{late}个工作日"), format!("{late} working day(s) past the deadline")),
        );
    }
    if t.status == TaskStatus::Issued && rules.accept_within_working_days > 0 {
        let waited = wd(cal, t.issued_on, today);
        if waited > rules.accept_within_working_days {
            return (
                Warning::Yellow,
                Msg::owned(
                    format!("下发已{waited}个工作日，尚未认领"),
                    format!("issued {waited} working day(s) ago, not accepted"),
                ),
            );
        }
    }
    if t.status == TaskStatus::Returned {
        return (Warning::Yellow, Msg::new("已退回，待交办单位处理", "returned; waiting for the issuer"));
    }
    let expected = expected_percent(t.milestones, today);
    if t.progress < expected {
        return (
            Warning::Yellow,
            Msg::owned(
                format!("序时进度应达{expected}%，实际{}%", t.progress),
                format!("planned {expected}% by now, actual {}%", t.progress),
            ),
        );
    }
    let left = cal.working_days_between(today, t.deadline).map(|r| r.value).unwrap_or(i32::MAX);
    if left <= rules.yellow_working_days {
        return (
            Warning::Yellow,
            Msg::owned(format!("距完成时限仅剩{left}个工作日"), format!("{left} working day(s) to the deadline")),
        );
    }
    (Warning::Green, Msg::new("按序时进度推进", "on schedule"))
}

code_enum! {
    /// Why a task is escalated (督办).
    EscalationKind {
        /// 逾期督办: past the deadline.
        Overdue = "overdue", "逾期督办", "Overdue";
        /// 未认领督办: neither accepted nor returned in time.
        NotAccepted = "not_accepted", "未认领督办", "Not accepted";
    }
}

/// A 督办 that is due.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Escalation {
    pub kind: EscalationKind,
    /// Working days past the limit.
    pub late_working_days: i32,
    /// The supervising leader, if the task names one.
    pub to: Option<Uuid>,
    /// The count touches a year without a loaded calendar.
    pub provisional: bool,
    pub msg: Msg,
}

/// Whether a 督办 is due on `today`: an open task is escalated once it is
/// `escalate_after_overdue_working_days` working days past its deadline, or
/// — while still unaccepted — that many working days past the acceptance
/// limit. 0 turns escalation off. The caller records each kind once per task.
pub fn escalation_due(t: &TaskClock<'_>, today: Date, cal: &Calendar, rules: &TaskRules) -> Option<Escalation> {
    let after = rules.escalate_after_overdue_working_days;
    if after <= 0 || !matches!(t.status, TaskStatus::Issued | TaskStatus::Accepted) {
        return None;
    }
    if today > t.deadline {
        let late = cal.working_days_between(t.deadline, today).ok()?;
        if late.value >= after {
            return Some(Escalation {
                kind: EscalationKind::Overdue,
                late_working_days: late.value,
                to: t.supervising_leader_id,
                provisional: late.provisional,
                msg: Msg::owned(
                    format!("任务已逾期{}个工作日，提请分管领导督办", late.value),
                    format!("{} working day(s) overdue: escalated to the supervising leader", late.value),
                ),
            });
        }
    }
    if t.status == TaskStatus::Issued && rules.accept_within_working_days > 0 {
        let limit = cal.add_working_days(t.issued_on, rules.accept_within_working_days).ok()?;
        let late = cal.working_days_between(limit.value, today).ok()?;
        if late.value >= after {
            return Some(Escalation {
                kind: EscalationKind::NotAccepted,
                late_working_days: late.value,
                to: t.supervising_leader_id,
                provisional: limit.provisional || late.provisional,
                msg: Msg::owned(
                    format!("任务超过认领时限{}个工作日仍未认领，提请分管领导督办", late.value),
                    format!("not accepted {} working day(s) after the limit: escalated", late.value),
                ),
            });
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn clock(status: TaskStatus, deadline: Date, ms: &[Milestone], progress: u8) -> TaskClock<'_> {
        TaskClock {
            status,
            issued_on: date(2026, 3, 2),
            deadline,
            milestones: ms,
            progress,
            supervising_leader_id: Some(Uuid::from_u128(7)),
        }
    }

    fn colour(t: &TaskClock<'_>, today: Date) -> Warning {
        warning(&Calendar::builtin(), &TaskRules::default(), t, today).0
    }

    #[test]
    fn overdue_is_red_counting_working_days() {
        let t = clock(TaskStatus::Accepted, date(2026, 9, 30), &[], 50);
        let (c, why) = warning(&Calendar::builtin(), &TaskRules::default(), &t, date(2026, 10, 9));
        assert_eq!(c, Warning::Red);
        assert!(why.zh.contains("2个工作日"), "{why}");
    }

    #[test]
    fn behind_the_planned_progress_or_near_the_deadline_is_yellow() {
        let ms = [Milestone { date: date(2026, 6, 30), percent: 50 }];
        assert_eq!(
            colour(&clock(TaskStatus::Accepted, date(2026, 12, 31), &ms, 40), date(2026, 7, 1)),
            Warning::Yellow
        );
        assert_eq!(colour(&clock(TaskStatus::Accepted, date(2026, 12, 31), &ms, 50), date(2026, 7, 1)), Warning::Green);
        // National Day: 2026-09-29 → 2026-10-12 is only 5 working days.
        let near = clock(TaskStatus::Accepted, date(2026, 10, 12), &[], 80);
        assert_eq!(colour(&near, date(2026, 9, 29)), Warning::Yellow);
        assert_eq!(colour(&near, date(2026, 9, 28)), Warning::Green);
    }

    #[test]
    fn an_unaccepted_task_turns_yellow_after_the_acceptance_limit() {
        let t = clock(TaskStatus::Issued, date(2026, 12, 31), &[], 0);
        assert_eq!(colour(&t, date(2026, 3, 5)), Warning::Green, "3 working days after 03-02");
        assert_eq!(colour(&t, date(2026, 3, 6)), Warning::Yellow);
        let returned = clock(TaskStatus::Returned, date(2026, 12, 31), &[], 0);
        assert_eq!(colour(&returned, date(2026, 3, 3)), Warning::Yellow);
    }

    #[test]
    fn done_and_withdrawn_tasks_carry_no_warning() {
        assert_eq!(colour(&clock(TaskStatus::Done, date(2020, 1, 1), &[], 100), date(2026, 5, 1)), Warning::Done);
        assert_eq!(colour(&clock(TaskStatus::Withdrawn, date(2020, 1, 1), &[], 0), date(2026, 5, 1)), Warning::Done);
    }

    #[test]
    fn escalation_goes_to_the_supervising_leader_after_n_working_days_overdue() {
        let cal = Calendar::builtin();
        let rules = TaskRules::default();
        let t = clock(TaskStatus::Accepted, date(2026, 9, 30), &[], 50);
        // 10-01..10-07 holiday, 10-10 调休 Saturday: 10-08, 10-09, 10-10, 10-12 are 4.
        assert_eq!(escalation_due(&t, date(2026, 10, 12), &cal, &rules), None);
        let e = escalation_due(&t, date(2026, 10, 13), &cal, &rules).unwrap();
        assert_eq!((e.kind, e.late_working_days, e.to), (EscalationKind::Overdue, 5, Some(Uuid::from_u128(7))));
        assert!(!e.provisional);
        let off = TaskRules { escalate_after_overdue_working_days: 0, ..rules };
        assert_eq!(escalation_due(&t, date(2026, 12, 1), &cal, &off), None);
        let done = clock(TaskStatus::Done, date(2026, 9, 30), &[], 100);
        assert_eq!(escalation_due(&done, date(2026, 12, 1), &cal, &rules), None);
    }

    #[test]
    fn an_unaccepted_task_is_escalated_n_working_days_after_the_acceptance_limit() {
        let cal = Calendar::builtin();
        let rules = TaskRules::default();
        let t = clock(TaskStatus::Issued, date(2026, 12, 31), &[], 0);
        // Issued Mon 03-02; limit 03-05; five working days later is 03-12.
        assert_eq!(escalation_due(&t, date(2026, 3, 11), &cal, &rules), None);
        let e = escalation_due(&t, date(2026, 3, 12), &cal, &rules).unwrap();
        assert_eq!(e.kind, EscalationKind::NotAccepted);
    }

    #[test]
    fn a_count_in_a_year_without_a_calendar_is_provisional() {
        let t = clock(TaskStatus::Accepted, date(2031, 3, 3), &[], 0);
        let e = escalation_due(&t, date(2031, 4, 1), &Calendar::builtin(), &TaskRules::default()).unwrap();
        assert!(e.provisional);
    }
}
