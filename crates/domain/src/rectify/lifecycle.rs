//! The problem lifecycle as one table (DESIGN.md §3).
//!
//! ```text
//! 待认领 ──认领──▶ 整改中 ──申请销号──▶ 申请销号 ──销号──▶ 已销号
//!                    ▲                   │                 │
//!                    └──────退回─────────┘                 │
//!                    ▲                                     │
//!                    └──── 回头看发现反弹 / 四不两直抽查未通过 ─┘
//! ```
//! Each row says which side may act (the lead unit, the issuing side, an
//! inspector), whether a comment is required, and the closure gate guards
//! both the request and the approval.

use super::{ProblemStatus, RectifyRules};
use crate::msg::{Msg, Refusal};
use serde::Serialize;

/// What someone does to a problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ProblemAction {
    /// 认领: the lead unit takes the problem on.
    Claim,
    /// 申请销号.
    RequestClosure,
    /// 退回: the reviewer sends a closure request back.
    Return,
    /// 销号: the reviewer approves the closure.
    Close,
    /// 回头看 found the problem back (反弹): reopen, linked to the closure.
    Relapse,
    /// 四不两直 spot check found a 纸面整改: reopen.
    FailSpotCheck,
}

impl ProblemAction {
    pub fn as_str(self) -> &'static str {
        match self {
            ProblemAction::Claim => "claim",
            ProblemAction::RequestClosure => "request_closure",
            ProblemAction::Return => "return",
            ProblemAction::Close => "close",
            ProblemAction::Relapse => "relapse",
            ProblemAction::FailSpotCheck => "fail_spot_check",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            ProblemAction::Claim => Msg::new("认领", "Claim"),
            ProblemAction::RequestClosure => Msg::new("申请销号", "Request closure"),
            ProblemAction::Return => Msg::new("退回", "Return"),
            ProblemAction::Close => Msg::new("审核销号", "Close"),
            ProblemAction::Relapse => Msg::new("回头看发现反弹", "Relapse found by look-back"),
            ProblemAction::FailSpotCheck => Msg::new("抽查未通过", "Spot check failed"),
        }
    }
}

/// In which capacity the actor stands towards this problem.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// May manage rectification in the lead unit's scope.
    LeadUnit,
    /// May review in the issuing unit's scope.
    Issuer,
    /// May spot-check in the lead unit's scope.
    Inspector,
}

/// The capacities an actor holds (decided by `access`, passed in here).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Capacities {
    pub lead_unit: bool,
    pub issuer: bool,
    pub inspector: bool,
}

impl Capacities {
    pub fn has(self, side: Side) -> bool {
        match side {
            Side::LeadUnit => self.lead_unit,
            Side::Issuer => self.issuer,
            Side::Inspector => self.inspector,
        }
    }
}

struct Rule {
    from: ProblemStatus,
    action: ProblemAction,
    to: ProblemStatus,
    side: Side,
    comment_required: bool,
    gate: bool,
}

use ProblemAction as A;
use ProblemStatus as S;

const TABLE: &[Rule] = &[
    Rule { from: S::Unclaimed, action: A::Claim, to: S::InProgress, side: Side::LeadUnit, comment_required: false, gate: false },
    Rule { from: S::InProgress, action: A::RequestClosure, to: S::ClosureRequested, side: Side::LeadUnit, comment_required: false, gate: true },
    Rule { from: S::ClosureRequested, action: A::Return, to: S::InProgress, side: Side::Issuer, comment_required: true, gate: false },
    Rule { from: S::ClosureRequested, action: A::Close, to: S::Closed, side: Side::Issuer, comment_required: false, gate: true },
    Rule { from: S::Closed, action: A::Relapse, to: S::InProgress, side: Side::Issuer, comment_required: true, gate: false },
    Rule { from: S::Closed, action: A::FailSpotCheck, to: S::InProgress, side: Side::Inspector, comment_required: true, gate: false },
];

/// What the closure gate looks at for one linked measure.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MeasureFacts {
    pub title: String,
    pub done: bool,
    pub evidence: u32,
}

/// Facts a transition may depend on.
#[derive(Debug, Clone, Default)]
pub struct Facts<'a> {
    pub measures: &'a [MeasureFacts],
    pub comment: Option<&'a str>,
    /// 不满意 ratings from 群众评议 not yet reviewed.
    pub unreviewed_dissatisfied: u32,
}

/// The actions the table allows from `from` to someone with `cap`
/// (for showing only the buttons that can work).
pub fn available(from: ProblemStatus, cap: Capacities) -> Vec<ProblemAction> {
    TABLE.iter().filter(|r| r.from == from && cap.has(r.side)).map(|r| r.action).collect()
}

/// The side that performs `action`, if the table has it at all.
pub fn side_of(action: ProblemAction) -> Side {
    TABLE.iter().find(|r| r.action == action).map(|r| r.side).unwrap_or(Side::Issuer)
}

/// 销号 gate: every linked measure done, each with at least one evidence
/// item, and at least one measure at all.
pub fn closure_gate(measures: &[MeasureFacts]) -> Result<(), Refusal> {
    if measures.is_empty() {
        return Err(Refusal::new("no_measures", "尚未制定整改措施，不能销号", "no rectification measure is linked"));
    }
    let unfinished: Vec<&str> = measures.iter().filter(|m| !m.done).map(|m| m.title.as_str()).collect();
    if !unfinished.is_empty() {
        return Err(Refusal {
            code: "measures_unfinished",
            msg: Msg::owned(
                format!("还有{}项整改措施未完成：{}", unfinished.len(), unfinished.join("；")),
                format!("{} measure(s) not done: {}", unfinished.len(), unfinished.join("; ")),
            ),
        });
    }
    let bare: Vec<&str> = measures.iter().filter(|m| m.evidence == 0).map(|m| m.title.as_str()).collect();
    if !bare.is_empty() {
        return Err(Refusal {
            code: "evidence_missing",
            msg: Msg::owned(
                format!("{}项整改措施没有佐证材料：{}", bare.len(), bare.join("；")),
                format!("{} measure(s) have no evidence: {}", bare.len(), bare.join("; ")),
            ),
        });
    }
    Ok(())
}

/// The one transition function: where `action` takes a problem in `from`,
/// or why it may not.
pub fn transition(
    from: ProblemStatus,
    action: ProblemAction,
    cap: Capacities,
    facts: &Facts<'_>,
    rules: &RectifyRules,
) -> Result<ProblemStatus, Refusal> {
    let Some(rule) = TABLE.iter().find(|r| r.from == from && r.action == action) else {
        return Err(Refusal {
            code: "invalid_transition",
            msg: Msg::owned(
                format!("问题当前为“{}”，不能{}", from.label().zh, action.label().zh),
                format!("the problem is {}; cannot {}", from.label().en, action.label().en.to_lowercase()),
            ),
        });
    };
    if !cap.has(rule.side) {
        return Err(match rule.side {
            Side::LeadUnit => Refusal::new("not_lead_unit", "只有牵头单位可以办理此操作", "only the lead unit may do this"),
            Side::Issuer => Refusal::new(
                "not_issuer",
                "只有问题交办单位范围内的审核人员可以办理此操作",
                "only a reviewer in the issuing unit's scope may do this",
            ),
            Side::Inspector => Refusal::new("not_inspector", "只有督导检查人员可以办理此操作", "only an inspector may do this"),
        });
    }
    if rule.comment_required && facts.comment.is_none_or(|c| c.trim().is_empty()) {
        return Err(Refusal::new("comment_required", "请填写意见或理由", "a comment is required"));
    }
    if rule.gate {
        closure_gate(facts.measures)?;
    }
    if action == ProblemAction::Close && facts.unreviewed_dissatisfied >= rules.dissatisfied_block {
        return Err(Refusal {
            code: "public_dissatisfied",
            msg: Msg::owned(
                format!("群众评议有{}条“不满意”尚未复核，复核前不能销号", facts.unreviewed_dissatisfied),
                format!("{} dissatisfied public ratings await review; closure is blocked", facts.unreviewed_dissatisfied),
            ),
        });
    }
    Ok(rule.to)
}

#[cfg(test)]
mod tests {
    use super::*;

    const UNIT: Capacities = Capacities { lead_unit: true, issuer: false, inspector: false };
    const ISSUER: Capacities = Capacities { lead_unit: false, issuer: true, inspector: false };
    const INSPECTOR: Capacities = Capacities { lead_unit: false, issuer: false, inspector: true };

    fn m(title: &str, done: bool, evidence: u32) -> MeasureFacts {
        MeasureFacts { title: title.into(), done, evidence }
    }

    fn go(from: ProblemStatus, a: ProblemAction, cap: Capacities, f: &Facts<'_>) -> Result<ProblemStatus, Refusal> {
        transition(from, a, cap, f, &RectifyRules::default())
    }

    #[test]
    fn the_main_path_claim_request_close() {
        let ms = [m("修订制度", true, 1)];
        let f = Facts { measures: &ms, ..Default::default() };
        assert_eq!(go(S::Unclaimed, A::Claim, UNIT, &f), Ok(S::InProgress));
        assert_eq!(go(S::InProgress, A::RequestClosure, UNIT, &f), Ok(S::ClosureRequested));
        assert_eq!(go(S::ClosureRequested, A::Close, ISSUER, &f), Ok(S::Closed));
    }

    #[test]
    fn closure_requires_all_measures_done_with_evidence() {
        let unfinished = [m("修订制度", true, 2), m("开展专项检查", false, 0)];
        let err = go(S::InProgress, A::RequestClosure, UNIT, &Facts { measures: &unfinished, ..Default::default() })
            .unwrap_err();
        assert_eq!(err.code, "measures_unfinished");
        assert!(err.msg.zh.contains("开展专项检查"), "{}", err.msg);
        let bare = [m("修订制度", true, 0)];
        let err = go(S::InProgress, A::RequestClosure, UNIT, &Facts { measures: &bare, ..Default::default() }).unwrap_err();
        assert_eq!(err.code, "evidence_missing");
        assert_eq!(
            go(S::InProgress, A::RequestClosure, UNIT, &Facts::default()).unwrap_err().code,
            "no_measures"
        );
        // The gate is checked again when the reviewer approves.
        assert_eq!(
            go(S::ClosureRequested, A::Close, ISSUER, &Facts { measures: &unfinished, ..Default::default() })
                .unwrap_err()
                .code,
            "measures_unfinished"
        );
    }

    #[test]
    fn only_the_issuing_side_may_close_and_only_the_lead_unit_may_request() {
        let ms = [m("修订制度", true, 1)];
        let f = Facts { measures: &ms, ..Default::default() };
        assert_eq!(go(S::ClosureRequested, A::Close, UNIT, &f).unwrap_err().code, "not_issuer");
        assert_eq!(go(S::InProgress, A::RequestClosure, ISSUER, &f).unwrap_err().code, "not_lead_unit");
        assert_eq!(go(S::Closed, A::FailSpotCheck, ISSUER, &f).unwrap_err().code, "not_inspector");
    }

    #[test]
    fn return_relapse_and_failed_spot_check_need_a_comment() {
        let none = Facts::default();
        assert_eq!(go(S::ClosureRequested, A::Return, ISSUER, &none).unwrap_err().code, "comment_required");
        let blank = Facts { comment: Some("  "), ..Default::default() };
        assert_eq!(go(S::Closed, A::Relapse, ISSUER, &blank).unwrap_err().code, "comment_required");
        let said = Facts { comment: Some("佐证材料与现场不符"), ..Default::default() };
        assert_eq!(go(S::ClosureRequested, A::Return, ISSUER, &said), Ok(S::InProgress));
        assert_eq!(go(S::Closed, A::Relapse, ISSUER, &said), Ok(S::InProgress));
        assert_eq!(go(S::Closed, A::FailSpotCheck, INSPECTOR, &said), Ok(S::InProgress));
    }

    #[test]
    fn transitions_outside_the_table_are_refused_with_the_state_named() {
        let err = go(S::Unclaimed, A::Close, ISSUER, &Facts::default()).unwrap_err();
        assert_eq!(err.code, "invalid_transition");
        assert!(err.msg.zh.contains("待认领"));
        assert!(go(S::Closed, A::Claim, UNIT, &Facts::default()).is_err());
    }

    #[test]
    fn unreviewed_public_dissatisfaction_blocks_closure() {
        let ms = [m("修订制度", true, 1)];
        let f = Facts { measures: &ms, unreviewed_dissatisfied: 3, ..Default::default() };
        assert_eq!(go(S::ClosureRequested, A::Close, ISSUER, &f).unwrap_err().code, "public_dissatisfied");
        let f = Facts { measures: &ms, unreviewed_dissatisfied: 2, ..Default::default() };
        assert_eq!(go(S::ClosureRequested, A::Close, ISSUER, &f), Ok(S::Closed));
    }

    #[test]
    fn available_actions_follow_the_table_and_the_capacities() {
        assert_eq!(available(S::ClosureRequested, ISSUER), vec![A::Return, A::Close]);
        assert!(available(S::ClosureRequested, UNIT).is_empty());
        assert_eq!(available(S::Closed, INSPECTOR), vec![A::FailSpotCheck]);
    }
}
