//! 部署分解 and 责任清单: the rules of directives, cascaded tasks and
//! responsibility lists.
//!
//! A directive ([`directive`]: 文件/讲话/会议精神) is kept with its source text; its
//! requirement items become draft items that are edited as pure operations
//! ([`draft`]) and issued as tasks, each with a lead unit, supporting units,
//! an owner, a deadline and optional milestones. Tasks cascade (一级抓一级):
//! the receiving unit accepts (认领) or returns (退回) a task, and may break it
//! down into sub-tasks for its own children, to any depth ([`lifecycle`]);
//! a deadline changes only through a request the issuer approves ([`deadline`]).
//! Progress is reported once, on the leaves, and every parent's figure is
//! derived ([`rollup`]); the colour and the 督办 escalation are computed in
//! working days ([`schedule`]). Responsibility lists ([`duties`]) derive
//! each level's list from its parent's and generate dated occurrences that
//! become tasks.

pub mod deadline;
pub mod directive;
pub mod draft;
pub mod duties;
pub mod lifecycle;
pub mod rollup;
pub mod schedule;

use crate::rectify::code_enum;
use serde::{Deserialize, Serialize};

/// The colour of a task: the same 预警 as the rectification module.
pub use crate::rectify::Warning;
/// One point of a planned schedule (序时进度), shared with rectification.
pub use crate::rectify::schedule::Milestone;

code_enum! {
    /// What a directive (部署) is read from.
    DirectiveKind {
        /// 文件: a document (通知, 方案, 意见).
        Document = "document", "文件", "Document";
        /// 讲话: a leader's speech.
        Speech = "speech", "讲话", "Speech";
        /// 会议精神: the decisions of a meeting.
        MeetingSpirit = "meeting_spirit", "会议精神", "Meeting decisions";
    }
}

code_enum! {
    /// A directive is drafted (its items edited) and then issued as a whole.
    DirectiveStatus {
        /// 草稿: items are still being merged, split, reworded, dropped.
        Draft = "draft", "草稿", "Draft";
        /// 已下发: the tasks exist and are in their own lifecycles.
        Issued = "issued", "已下发", "Issued";
    }
}

code_enum! {
    /// Where an issued task stands. Drafts are not tasks: they are
    /// [`draft::DraftItem`]s of a directive in [`DirectiveStatus::Draft`].
    TaskStatus {
        /// 待认领: issued, the receiving unit has not taken it on yet.
        Issued = "issued", "待认领", "To be accepted";
        /// 落实中: accepted; progress is reported, it may be broken down.
        Accepted = "accepted", "落实中", "In progress";
        /// 已退回: returned to the issuer with a reason.
        Returned = "returned", "已退回", "Returned";
        /// 已完成.
        Done = "done", "已完成", "Done";
        /// 已撤销: the issuer withdrew it (e.g. after a return); kept for the record.
        Withdrawn = "withdrawn", "已撤销", "Withdrawn";
    }
}

impl TaskStatus {
    /// Whether the task still counts as work to be done (not done, not withdrawn).
    pub fn is_open(self) -> bool {
        !matches!(self, TaskStatus::Done | TaskStatus::Withdrawn)
    }
}

code_enum! {
    /// A request to change a deadline: the deadline itself only changes on approval.
    DeadlineChangeStatus {
        Pending = "pending", "待审批", "Pending";
        Approved = "approved", "已同意", "Approved";
        Refused = "refused", "不同意", "Refused";
    }
}

/// How a parent's progress is derived from its children's.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RollupMode {
    /// The plain mean of the children's progress.
    #[default]
    Mean,
    /// The mean weighted by each child's `weight` (a weight of 0 is ignored
    /// unless every child has 0, then the plain mean applies).
    Weighted,
}

/// The configurable numbers of the module (`[tasks]` in the rules file).
/// None of them is a national rule; the defaults follow common local
/// practice (督查督办 rules of city and county offices) and each deployment
/// may change them. A working-day limit of 0 turns that check off.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TaskRules {
    /// Yellow when the deadline is this many working days away or fewer.
    pub yellow_working_days: i32,
    /// An issued task should be accepted or returned within this many working
    /// days; later it turns yellow and, after the same again, is escalated.
    pub accept_within_working_days: i32,
    /// 督办: escalate to the supervising leader once a task is this many
    /// working days past its deadline.
    pub escalate_after_overdue_working_days: i32,
    /// How parents derive their progress.
    pub rollup: RollupMode,
    /// Deepest breakdown allowed below a directive's top-level tasks
    /// (city → bureau → branch is 2).
    pub max_breakdown_depth: u8,
}

impl TaskRules {
    /// The defaults, usable in `static`s.
    pub const DEFAULT: TaskRules = TaskRules {
        yellow_working_days: 5,
        accept_within_working_days: 3,
        escalate_after_overdue_working_days: 5,
        rollup: RollupMode::Mean,
        max_breakdown_depth: 6,
    };

    /// Range checks; the error names the key under `[tasks]`.
    pub fn check(&self) -> Result<(), String> {
        let wd = [
            ("yellow_working_days", self.yellow_working_days),
            ("accept_within_working_days", self.accept_within_working_days),
            ("escalate_after_overdue_working_days", self.escalate_after_overdue_working_days),
        ];
        for (key, v) in wd {
            if !(0..=60).contains(&v) {
                return Err(format!("tasks.{key}: must be 0–60 working days"));
            }
        }
        if !(1..=12).contains(&self.max_breakdown_depth) {
            return Err("tasks.max_breakdown_depth: must be 1–12".into());
        }
        Ok(())
    }
}

impl Default for TaskRules {
    fn default() -> Self {
        TaskRules::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_round_trip() {
        for k in DirectiveKind::ALL {
            assert_eq!(DirectiveKind::parse(k.as_str()), Some(*k));
            assert_eq!(DirectiveKind::from_label(&k.label().zh), Some(*k));
        }
        for s in TaskStatus::ALL {
            assert_eq!(TaskStatus::from_label(&s.label().zh), Some(*s));
        }
        assert_eq!(TaskStatus::from_label(" 落实中 "), Some(TaskStatus::Accepted));
        assert_eq!(DirectiveKind::from_label("讲话"), Some(DirectiveKind::Speech));
    }

    /// Issue 5's acceptance walk, in pure terms: a speech's requirement
    /// items are issued to three bureaus, one bureau breaks its task into
    /// two for its branches, the branches report, and the bureau's and the
    /// city's progress follow without anyone typing them.
    #[test]
    fn a_speech_is_issued_to_three_bureaus_broken_down_and_rolled_up_from_the_branches() {
        use draft::{DraftItem, IssueContext, IssueDefaults, prefill, validate_all};
        use lifecycle::{Capacities, ChildFacts, Facts, TaskAction, transition};
        use rollup::{Node, rollup};
        use uuid::Uuid;

        let day = jiff::civil::date(2026, 3, 2);
        let rules = TaskRules::default();
        let bureaus = [Uuid::from_u128(21), Uuid::from_u128(22), Uuid::from_u128(23)];
        let branches = [Uuid::from_u128(211), Uuid::from_u128(212)];
        let items = vec![
            DraftItem::from_outline("压实管党治党政治责任", "", vec![0]),
            DraftItem::from_outline("持续深化作风建设", "", vec![1]),
            DraftItem::from_outline("强化权力运行监督", "", vec![2]),
        ];
        let mut forms = prefill(&items, &IssueDefaults { deadline: "2026-06-30".into(), ..Default::default() });
        for (f, b) in forms.iter_mut().zip(bureaus) {
            f.lead_unit_id = Some(b);
        }
        let in_city = |u: Uuid| bureaus.contains(&u);
        let ctx = IssueContext { issued_on: day, parent_deadline: None, allowed_unit: &in_city };
        let tasks = validate_all(&forms, &ctx).unwrap();
        assert_eq!(tasks.len(), 3);

        let unit = Capacities { issuer: false, receiving_unit: true };
        let go = |s, a, f: &Facts<'_>| transition(s, a, unit, f, &rules);
        let s = go(TaskStatus::Issued, TaskAction::Accept, &Facts::default()).unwrap();
        assert_eq!(go(s, TaskAction::BreakDown, &Facts::default()), Ok(TaskStatus::Accepted));
        let mut sub = prefill(&items[..1], &IssueDefaults { deadline: "2026-06-15".into(), ..Default::default() });
        sub.push(sub[0].clone());
        sub[0].lead_unit_id = Some(branches[0]);
        sub[1].lead_unit_id = Some(branches[1]);
        let is_child = |u: Uuid| branches.contains(&u);
        let sub_ctx =
            IssueContext { issued_on: day, parent_deadline: Some(tasks[0].deadline), allowed_unit: &is_child };
        assert_eq!(validate_all(&sub, &sub_ctx).unwrap().len(), 2);
        let split = Facts { children: ChildFacts { active: 2, done: 0 }, ..Facts::default() };
        assert!(go(s, TaskAction::ReportProgress, &split).is_err(), "the bureau does not type its own progress");

        // city tasks 0..3; the branches' sub-tasks 3, 4 under bureau task 0.
        let node = |parent, reported| Node { parent, status: TaskStatus::Accepted, reported, weight: 1 };
        let tree = [
            node(None, None),
            node(None, Some(20)),
            node(None, Some(0)),
            node(Some(0), Some(100)),
            node(Some(0), Some(60)),
        ];
        let p = rollup(&tree, rules.rollup).unwrap();
        assert_eq!(p[0], 80, "bureau 1's task is the mean of its branches");
        let city = rollup::mean(&[(p[0], 1), (p[1], 1), (p[2], 1)], rules.rollup);
        assert_eq!(city, 33, "the directive's progress is the mean of its three tasks");
    }

    #[test]
    fn done_and_withdrawn_tasks_are_not_open() {
        assert!(TaskStatus::Issued.is_open());
        assert!(TaskStatus::Returned.is_open());
        assert!(!TaskStatus::Done.is_open());
        assert!(!TaskStatus::Withdrawn.is_open());
    }

    #[test]
    fn default_task_rules_pass_their_own_checks_and_bad_ones_name_the_key() {
        assert_eq!(TaskRules::DEFAULT.check(), Ok(()));
        let r = TaskRules { accept_within_working_days: -1, ..TaskRules::DEFAULT };
        assert!(r.check().unwrap_err().starts_with("tasks.accept_within_working_days"));
        let r = TaskRules { max_breakdown_depth: 0, ..TaskRules::DEFAULT };
        assert!(r.check().unwrap_err().starts_with("tasks.max_breakdown_depth"));
    }
}
