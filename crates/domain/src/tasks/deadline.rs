//! A deadline never changes by an edit: the receiving unit asks
//! ([`DeadlineChangeInput`]), the issuer decides ([`decide_deadline_change`]),
//! and only an approval moves the task's deadline. A refusal needs a reason.

use super::lifecycle::Capacities;
use super::{DeadlineChangeStatus, TaskStatus};
use crate::msg::{Msg, Refusal, Validation, required_text};
use crate::rectify::input::date;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// A deadline change request (延期/调整时限) as typed by the receiving unit.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DeadlineChangeInput {
    pub new_deadline: String,
    pub reason: String,
}

/// A deadline change request as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeadlineChange {
    pub current: Date,
    pub requested: Date,
    pub reason: String,
    pub status: DeadlineChangeStatus,
    pub decision_comment: Option<String>,
}

impl DeadlineChangeInput {
    /// A request may only be made for an open task with no pending request;
    /// the new date differs from the current one, is not in the past and
    /// (for a sub-task) not after the parent's deadline.
    pub fn validate(
        &self,
        task: TaskStatus,
        current: Date,
        parent_deadline: Option<Date>,
        pending_exists: bool,
        today: Date,
    ) -> Result<DeadlineChange, Validation> {
        let mut v = Validation::new();
        if !matches!(task, TaskStatus::Issued | TaskStatus::Accepted) {
            v.add(
                "task",
                Msg::new("只有待认领或落实中的任务可以申请调整时限", "only an open task's deadline can change"),
            );
        }
        if pending_exists {
            v.add(
                "new_deadline",
                Msg::new("已有一项调整时限申请待审批", "a deadline change request is already pending"),
            );
        }
        let d = date(&mut v, "new_deadline", &self.new_deadline);
        if d == Some(current) {
            v.add("new_deadline", Msg::new("新时限与现有时限相同", "the new deadline equals the current one"));
        }
        if d.is_some_and(|d| d < today) {
            v.add("new_deadline", Msg::new("新时限不能早于今天", "the new deadline is in the past"));
        }
        if let (Some(d), Some(p)) = (d, parent_deadline)
            && d > p
        {
            v.add(
                "new_deadline",
                Msg::owned(
                    format!("不能晚于上级任务的时限（{p}），须先由上级任务申请调整"),
                    format!("beyond the parent task's deadline ({p}); the parent's must change first"),
                ),
            );
        }
        let reason = v.check("reason", required_text(&self.reason.replace(['\r', '\n'], " "), 500));
        v.into_result()?;
        Ok(DeadlineChange {
            current,
            requested: d.unwrap_or(current),
            reason: reason.unwrap_or_default(),
            status: DeadlineChangeStatus::Pending,
            decision_comment: None,
        })
    }
}

/// The issuer's decision on a request.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Decision {
    Approve,
    Refuse,
}

/// Decides a pending request: only the issuer; a refusal needs a reason.
/// Returns the decided request and the task's deadline afterwards (changed
/// only on approval).
pub fn decide_deadline_change(
    req: &DeadlineChange,
    decision: Decision,
    cap: Capacities,
    comment: Option<&str>,
) -> Result<(DeadlineChange, Date), Refusal> {
    if req.status != DeadlineChangeStatus::Pending {
        return Err(Refusal::new("not_pending", "该申请已审批", "the request has already been decided"));
    }
    if !cap.issuer {
        return Err(Refusal::new("not_issuer", "只有任务交办单位可以审批调整时限", "only the issuing side decides"));
    }
    let comment = comment.map(str::trim).filter(|c| !c.is_empty());
    if decision == Decision::Refuse && comment.is_none() {
        return Err(Refusal::new("reason_required", "不同意调整时限须说明理由", "a refusal needs a reason"));
    }
    let mut out = req.clone();
    out.decision_comment = comment.map(|c| c.chars().take(500).collect());
    let deadline = match decision {
        Decision::Approve => {
            out.status = DeadlineChangeStatus::Approved;
            req.requested
        }
        Decision::Refuse => {
            out.status = DeadlineChangeStatus::Refused;
            req.current
        }
    };
    Ok((out, deadline))
}

#[cfg(test)]
mod tests {
    use super::*;
    use TaskStatus as S;
    use jiff::civil::date as d;

    const UNIT: Capacities = Capacities { issuer: false, receiving_unit: true };
    const ISSUER: Capacities = Capacities { issuer: true, receiving_unit: false };

    #[test]
    fn a_deadline_change_is_a_request_and_only_approval_changes_the_deadline() {
        let today = d(2026, 5, 6);
        let input =
            DeadlineChangeInput { new_deadline: "2026-07-31".into(), reason: "需等待省级文件出台".into() };
        let req = input.validate(S::Accepted, d(2026, 6, 30), None, false, today).unwrap();
        assert_eq!(req.status, DeadlineChangeStatus::Pending);
        assert_eq!(decide_deadline_change(&req, Decision::Approve, UNIT, None).unwrap_err().code, "not_issuer");
        let (approved, deadline) = decide_deadline_change(&req, Decision::Approve, ISSUER, None).unwrap();
        assert_eq!((approved.status, deadline), (DeadlineChangeStatus::Approved, d(2026, 7, 31)));
        assert_eq!(
            decide_deadline_change(&approved, Decision::Refuse, ISSUER, Some("x")).unwrap_err().code,
            "not_pending"
        );
    }

    #[test]
    fn refusing_a_deadline_change_needs_a_reason_and_keeps_the_deadline() {
        let req = DeadlineChange {
            current: d(2026, 6, 30),
            requested: d(2026, 7, 31),
            reason: "x".into(),
            status: DeadlineChangeStatus::Pending,
            decision_comment: None,
        };
        assert_eq!(
            decide_deadline_change(&req, Decision::Refuse, ISSUER, Some(" ")).unwrap_err().code,
            "reason_required"
        );
        let (refused, deadline) = decide_deadline_change(&req, Decision::Refuse, ISSUER, Some("时间充足")).unwrap();
        assert_eq!((refused.status, deadline), (DeadlineChangeStatus::Refused, d(2026, 6, 30)));
        assert_eq!(refused.decision_comment.as_deref(), Some("时间充足"));
    }

    #[test]
    fn deadline_change_requests_are_checked_by_field() {
        let today = d(2026, 5, 6);
        let input = |nd: &str, r: &str| DeadlineChangeInput { new_deadline: nd.into(), reason: r.into() };
        let cur = d(2026, 6, 30);
        assert!(
            input("2026-06-30", "x").validate(S::Accepted, cur, None, false, today).unwrap_err().has("new_deadline")
        );
        assert!(
            input("2026-05-01", "x").validate(S::Accepted, cur, None, false, today).unwrap_err().has("new_deadline")
        );
        assert!(input("2026-07-31", "").validate(S::Accepted, cur, None, false, today).unwrap_err().has("reason"));
        assert!(
            input("2026-07-31", "x").validate(S::Accepted, cur, None, true, today).unwrap_err().has("new_deadline")
        );
        assert!(input("2026-07-31", "x").validate(S::Done, cur, None, false, today).unwrap_err().has("task"));
        let beyond = input("2026-07-31", "x").validate(S::Accepted, cur, Some(d(2026, 7, 15)), false, today);
        assert!(beyond.unwrap_err().has("new_deadline"));
    }
}
