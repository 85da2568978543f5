//! The lead (问题线索) lifecycle as one table (DESIGN.md §3).
//!
//! ```text
//! 待处置 ─提出处置意见─▶ 待审批 ─批准─┬▶ 已批准 ─谈话─▶ 已谈话 ─┐
//!    ▲                   │退回      │   │  └─发函─▶ 已发函 ─收到回复─▶ 已回复 ─┤评估
//!    │                   ▼          │   └─批准初核方案─▶ 初核中 ─提交初核报告─▶ 已报告 ─┐
//!    │                 待处置       ├▶ 暂存待查 ⟲定期清理                 已评估 ◀┘  │
//!    │                              ├▶ 已办结 (予以了结)                    │办结    │办结
//!    │                              └▶ 已立案 ─办结─────────────────────▶ 已办结 ◀──┘
//!    └──── 转其他方式处置 (已谈话/已回复/已评估/已报告/暂存待查) · 重新启动 (已办结) ───┘
//! ```
//! Proposals come from a handler and are approved by someone else (签字审批;
//! ✅ 监督执纪工作规则 第二十三条: "经手人员签名"). Going back — sending a
//! proposal back, disposing of a lead differently, reopening — always needs
//! a written reason.

use super::Finding;
use super::LeadRules;
use super::deadline::Clock;
use super::outcome::Form;
use crate::msg::{Msg, Refusal};
use crate::rectify::code_enum;
use serde::Serialize;
use uuid::Uuid;

code_enum! {
    /// 处置方式 (✅ 检举控告规则 第十七条; 监督执纪工作规则).
    Disposal {
        TalkOrLetterInquiry = "talk_or_letter_inquiry", "谈话函询", "Talk or letter inquiry";
        PreliminaryVerification = "preliminary_verification", "初步核实", "Preliminary verification";
        Shelved = "shelved", "暂存待查", "Shelved pending further information";
        Concluded = "concluded", "予以了结", "Closed without action";
        Investigation = "investigation", "立案审查调查", "Case filed for investigation";
    }
}

code_enum! {
    /// Where a lead stands.
    LeadStatus {
        Registered = "registered", "待处置", "To be disposed of";
        Proposed = "proposed", "处置意见待审批", "Disposal awaiting approval";
        Approved = "approved", "已批准处置", "Disposal approved";
        TalkHeld = "talk_held", "已谈话", "Talk held";
        LetterSent = "letter_sent", "已发函", "Letter sent";
        ReplyReceived = "reply_received", "已回复", "Reply received";
        Assessed = "assessed", "已评估", "Assessed";
        Verifying = "verifying", "初核中", "Verifying";
        FindingsReported = "findings_reported", "初核报告已提交", "Findings reported";
        Shelved = "shelved", "暂存待查", "Shelved";
        Filed = "filed", "已立案", "Case filed";
        Concluded = "concluded", "已办结", "Concluded";
    }
}

code_enum! {
    /// What someone does to a lead.
    LeadAction {
        Propose = "propose", "提出处置意见", "Propose a disposal";
        Approve = "approve", "批准处置", "Approve";
        SendBack = "send_back", "退回处置意见", "Send back";
        HoldTalk = "hold_talk", "谈话", "Hold the talk";
        SendLetter = "send_letter", "发函", "Send the letter";
        ReceiveReply = "receive_reply", "收到函询回复", "Receive the reply";
        Assess = "assess", "评估", "Assess";
        ApprovePlan = "approve_plan", "批准初核方案", "Approve the plan";
        ReportFindings = "report_findings", "提交初核报告", "Report findings";
        Review = "review", "定期清理", "Periodic review";
        Redispose = "redispose", "转其他方式处置", "Dispose of differently";
        Conclude = "conclude", "办结", "Conclude";
        Reopen = "reopen", "重新启动", "Reopen";
    }
}

/// Which capacity an action needs (decided by `access`, passed in).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Side {
    /// `ManageLeads`: the handling department's staff.
    Handler,
    /// `ApproveDisposal`: a leader who signs off.
    Approver,
}

/// The actor as the lifecycle sees them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LeadActor {
    pub id: Uuid,
    pub handler: bool,
    pub approver: bool,
}

impl LeadActor {
    fn has(self, side: Side) -> bool {
        match side {
            Side::Handler => self.handler,
            Side::Approver => self.approver,
        }
    }
}

/// Facts a transition may depend on.
#[derive(Debug, Clone, Default)]
pub struct LeadFacts<'a> {
    /// The disposal proposed (for `Propose`) or in force.
    pub disposal: Option<Disposal>,
    /// Who proposed the disposal in force.
    pub proposer: Option<Uuid>,
    pub reason: Option<&'a str>,
    /// The finding given with `Assess`/`ReportFindings`/`Conclude`, or recorded.
    pub finding: Option<Finding>,
    /// The heaviest form among the outcomes recorded for the people concerned.
    pub heaviest_form: Option<Form>,
    /// Whether an accountability inquiry (一案双查) is linked.
    pub dual_inquiry_linked: bool,
}

struct Rule {
    from: LeadStatus,
    action: LeadAction,
    /// The row applies only to leads with this disposal.
    disposal: Option<Disposal>,
    to: LeadStatus,
    side: Side,
    reason: bool,
}

use Disposal as D;
use LeadAction as A;
use LeadStatus as S;

const fn r(from: S, action: A, disposal: Option<D>, to: S, side: Side, reason: bool) -> Rule {
    Rule { from, action, disposal, to, side, reason }
}

const H: Side = Side::Handler;
const AP: Side = Side::Approver;

const TABLE: &[Rule] = &[
    r(S::Registered, A::Propose, None, S::Proposed, H, false),
    r(S::Proposed, A::SendBack, None, S::Registered, AP, true),
    r(S::Proposed, A::Approve, Some(D::TalkOrLetterInquiry), S::Approved, AP, false),
    r(S::Proposed, A::Approve, Some(D::PreliminaryVerification), S::Approved, AP, false),
    r(S::Proposed, A::Approve, Some(D::Shelved), S::Shelved, AP, false),
    r(S::Proposed, A::Approve, Some(D::Concluded), S::Concluded, AP, false),
    r(S::Proposed, A::Approve, Some(D::Investigation), S::Filed, AP, false),
    // 谈话函询
    r(S::Approved, A::HoldTalk, Some(D::TalkOrLetterInquiry), S::TalkHeld, H, false),
    r(S::Approved, A::SendLetter, Some(D::TalkOrLetterInquiry), S::LetterSent, H, false),
    r(S::LetterSent, A::ReceiveReply, None, S::ReplyReceived, H, false),
    r(S::ReplyReceived, A::Assess, None, S::Assessed, H, false),
    r(S::TalkHeld, A::Assess, None, S::Assessed, H, false),
    r(S::Assessed, A::Conclude, None, S::Concluded, AP, false),
    // 初步核实
    r(S::Approved, A::ApprovePlan, Some(D::PreliminaryVerification), S::Verifying, AP, false),
    r(S::Verifying, A::ReportFindings, None, S::FindingsReported, H, false),
    r(S::FindingsReported, A::Conclude, None, S::Concluded, AP, false),
    // 暂存待查
    r(S::Shelved, A::Review, None, S::Shelved, H, false),
    // 立案审查调查
    r(S::Filed, A::Conclude, None, S::Concluded, AP, false),
    // Changing course and reopening
    r(S::TalkHeld, A::Redispose, None, S::Registered, H, true),
    r(S::ReplyReceived, A::Redispose, None, S::Registered, H, true),
    r(S::Assessed, A::Redispose, None, S::Registered, H, true),
    r(S::FindingsReported, A::Redispose, None, S::Registered, H, true),
    r(S::Shelved, A::Redispose, None, S::Registered, H, true),
    r(S::Concluded, A::Reopen, None, S::Registered, AP, true),
];

fn find(from: LeadStatus, action: LeadAction, disposal: Option<Disposal>) -> Option<&'static Rule> {
    TABLE.iter().find(|r| r.from == from && r.action == action && (r.disposal.is_none() || r.disposal == disposal))
}

/// The actions open from `from` for a lead with `disposal` to `actor`
/// (to show only the buttons that can work).
pub fn available(from: LeadStatus, disposal: Option<Disposal>, actor: LeadActor) -> Vec<LeadAction> {
    let mut out: Vec<LeadAction> = TABLE
        .iter()
        .filter(|r| r.from == from && (r.disposal.is_none() || r.disposal == disposal) && actor.has(r.side))
        .map(|r| r.action)
        .collect();
    out.dedup();
    out
}

fn blank(s: Option<&str>) -> bool {
    s.is_none_or(|c| c.trim().is_empty())
}

/// The one transition function: where `action` takes a lead in `from`, or why not.
pub fn transition(
    from: LeadStatus,
    action: LeadAction,
    actor: LeadActor,
    facts: &LeadFacts<'_>,
    rules: &LeadRules,
) -> Result<LeadStatus, Refusal> {
    let disposal = facts.disposal;
    let Some(rule) = find(from, action, disposal) else {
        return Err(Refusal {
            code: "invalid_transition",
            msg: Msg::owned(
                format!("线索当前为“{}”，不能{}", from.label().zh, action.label().zh),
                format!("the lead is {}; cannot {}", from.label().en, action.label().en.to_lowercase()),
            ),
        });
    };
    if !actor.has(rule.side) {
        return Err(match rule.side {
            Side::Handler => Refusal::new(
                "not_handler",
                "只有承办部门人员可以办理此操作",
                "only the handling department may do this",
            ),
            Side::Approver => Refusal::new(
                "not_approver",
                "只有有审批权限的负责人可以办理此操作",
                "only an approving leader may do this",
            ),
        });
    }
    if rule.side == Side::Approver && action != A::Reopen && facts.proposer == Some(actor.id) {
        return Err(Refusal::new(
            "approver_is_proposer",
            "提出处置意见的人不能自己审批",
            "the proposer cannot approve their own proposal",
        ));
    }
    if rule.reason && blank(facts.reason) {
        return Err(Refusal::new("reason_required", "请填写理由", "a reason is required"));
    }
    match action {
        A::Propose if disposal.is_none() => {
            return Err(Refusal::new("disposal_required", "请选择处置方式", "choose a disposal"));
        }
        A::Propose if disposal == Some(D::Concluded) && blank(facts.reason) => {
            return Err(Refusal::new("reason_required", "予以了结须写明理由", "closing without action needs a reason"));
        }
        A::Assess | A::ReportFindings | A::Conclude if facts.finding.is_none() => {
            return Err(Refusal::new(
                "finding_required",
                "请填写核查结论（属实、基本属实、不实等）",
                "state the finding",
            ));
        }
        A::Conclude => dual_inquiry_gate(facts, rules)?,
        _ => {}
    }
    Ok(rule.to)
}

/// 一案双查 gate: a lead concluding with an outcome of `dual_inquiry_from`
/// or heavier must have an accountability inquiry linked.
pub fn dual_inquiry_gate(facts: &LeadFacts<'_>, rules: &LeadRules) -> Result<(), Refusal> {
    if facts.heaviest_form.is_some_and(|f| f >= rules.dual_inquiry_from) && !facts.dual_inquiry_linked {
        return Err(Refusal::new(
            "dual_inquiry_required",
            "处理结果达到一案双查条件，须先关联对主体责任、监督责任的追责调查",
            "the outcome requires a linked accountability inquiry (一案双查) first",
        ));
    }
    Ok(())
}

/// The clock that runs while a lead stands in `status`, if any.
pub fn clock_of(status: LeadStatus, disposal: Option<Disposal>) -> Option<Clock> {
    match (status, disposal) {
        (S::Registered, _) => Some(Clock::DisposalProposal),
        (S::Approved, Some(D::PreliminaryVerification)) => Some(Clock::VerificationPlan),
        (S::LetterSent, _) => Some(Clock::LetterReply),
        (S::TalkHeld | S::ReplyReceived, _) => Some(Clock::InquiryReport),
        (S::Verifying, _) => Some(Clock::Verification),
        (S::Shelved, _) => Some(Clock::ShelvedReview),
        (S::Filed, _) => Some(Clock::Investigation),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: LeadRules = LeadRules::DEFAULT;
    const ALICE: Uuid = Uuid::from_u128(1);
    const BOB: Uuid = Uuid::from_u128(2);
    const HANDLER: LeadActor = LeadActor { id: ALICE, handler: true, approver: false };
    const LEADER: LeadActor = LeadActor { id: BOB, handler: false, approver: true };

    fn f(disposal: D) -> LeadFacts<'static> {
        LeadFacts { disposal: Some(disposal), proposer: Some(ALICE), ..Default::default() }
    }

    fn go(from: S, a: A, who: LeadActor, facts: &LeadFacts<'_>) -> Result<S, Refusal> {
        transition(from, a, who, facts, &R)
    }

    #[test]
    fn letter_inquiry_runs_from_proposal_to_conclusion() {
        let mut x = f(D::TalkOrLetterInquiry);
        assert_eq!(go(S::Registered, A::Propose, HANDLER, &x), Ok(S::Proposed));
        assert_eq!(go(S::Proposed, A::Approve, LEADER, &x), Ok(S::Approved));
        assert_eq!(go(S::Approved, A::SendLetter, HANDLER, &x), Ok(S::LetterSent));
        assert_eq!(go(S::LetterSent, A::ReceiveReply, HANDLER, &x), Ok(S::ReplyReceived));
        assert_eq!(go(S::ReplyReceived, A::Assess, HANDLER, &x).unwrap_err().code, "finding_required");
        x.finding = Some(Finding::Unsubstantiated);
        assert_eq!(go(S::ReplyReceived, A::Assess, HANDLER, &x), Ok(S::Assessed));
        assert_eq!(go(S::Assessed, A::Conclude, LEADER, &x), Ok(S::Concluded));
    }

    #[test]
    fn the_approver_must_not_be_the_proposer() {
        let x = f(D::Shelved);
        let both = LeadActor { id: ALICE, handler: true, approver: true };
        assert_eq!(go(S::Proposed, A::Approve, both, &x).unwrap_err().code, "approver_is_proposer");
        assert_eq!(go(S::Proposed, A::Approve, HANDLER, &x).unwrap_err().code, "not_approver");
        assert_eq!(go(S::Proposed, A::Approve, LEADER, &x), Ok(S::Shelved));
    }

    #[test]
    fn approval_leads_to_the_first_step_of_each_disposal() {
        assert_eq!(go(S::Proposed, A::Approve, LEADER, &f(D::PreliminaryVerification)), Ok(S::Approved));
        assert_eq!(go(S::Proposed, A::Approve, LEADER, &f(D::Concluded)), Ok(S::Concluded));
        assert_eq!(go(S::Proposed, A::Approve, LEADER, &f(D::Investigation)), Ok(S::Filed));
        assert_eq!(
            go(S::Approved, A::HoldTalk, HANDLER, &f(D::PreliminaryVerification)).unwrap_err().code,
            "invalid_transition"
        );
    }

    #[test]
    fn closing_without_action_needs_a_reason_at_proposal() {
        let x = f(D::Concluded);
        assert_eq!(go(S::Registered, A::Propose, HANDLER, &x).unwrap_err().code, "reason_required");
        let y = LeadFacts { reason: Some("反映问题无实质内容"), ..f(D::Concluded) };
        assert_eq!(go(S::Registered, A::Propose, HANDLER, &y), Ok(S::Proposed));
        assert_eq!(
            go(S::Registered, A::Propose, HANDLER, &LeadFacts::default()).unwrap_err().code,
            "disposal_required"
        );
    }

    #[test]
    fn preliminary_verification_needs_an_approved_plan_and_findings() {
        let mut x = f(D::PreliminaryVerification);
        assert_eq!(go(S::Approved, A::ApprovePlan, HANDLER, &x).unwrap_err().code, "not_approver");
        assert_eq!(go(S::Approved, A::ApprovePlan, LEADER, &x), Ok(S::Verifying));
        assert_eq!(go(S::Verifying, A::ReportFindings, HANDLER, &x).unwrap_err().code, "finding_required");
        x.finding = Some(Finding::PartlySubstantiated);
        assert_eq!(go(S::Verifying, A::ReportFindings, HANDLER, &x), Ok(S::FindingsReported));
        assert_eq!(go(S::FindingsReported, A::Conclude, LEADER, &x), Ok(S::Concluded));
    }

    #[test]
    fn a_shelved_lead_is_reviewed_and_revived_only_with_a_reason() {
        let x = f(D::Shelved);
        assert_eq!(go(S::Shelved, A::Review, HANDLER, &x), Ok(S::Shelved));
        assert_eq!(go(S::Shelved, A::Redispose, HANDLER, &x).unwrap_err().code, "reason_required");
        let y = LeadFacts { reason: Some("收到新的举报材料"), ..f(D::Shelved) };
        assert_eq!(go(S::Shelved, A::Redispose, HANDLER, &y), Ok(S::Registered));
    }

    #[test]
    fn sending_back_and_reopening_need_a_reason() {
        let x = f(D::TalkOrLetterInquiry);
        assert_eq!(go(S::Proposed, A::SendBack, LEADER, &x).unwrap_err().code, "reason_required");
        assert_eq!(go(S::Concluded, A::Reopen, LEADER, &x).unwrap_err().code, "reason_required");
        let y = LeadFacts { reason: Some("发现新证据"), ..f(D::TalkOrLetterInquiry) };
        assert_eq!(go(S::Concluded, A::Reopen, LEADER, &y), Ok(S::Registered));
        assert_eq!(go(S::Concluded, A::Reopen, HANDLER, &y).unwrap_err().code, "not_approver");
    }

    #[test]
    fn concluding_with_a_second_form_outcome_requires_a_linked_dual_inquiry() {
        let mut x = LeadFacts {
            finding: Some(Finding::Substantiated),
            heaviest_form: Some(Form::Second),
            ..f(D::Investigation)
        };
        assert_eq!(go(S::Filed, A::Conclude, LEADER, &x).unwrap_err().code, "dual_inquiry_required");
        x.dual_inquiry_linked = true;
        assert_eq!(go(S::Filed, A::Conclude, LEADER, &x), Ok(S::Concluded));
        let first = LeadFacts {
            finding: Some(Finding::Substantiated),
            heaviest_form: Some(Form::First),
            ..f(D::Investigation)
        };
        assert_eq!(go(S::Filed, A::Conclude, LEADER, &first), Ok(S::Concluded));
        let r = LeadRules { dual_inquiry_from: Form::Third, ..R };
        let second = LeadFacts {
            finding: Some(Finding::Substantiated),
            heaviest_form: Some(Form::Second),
            ..f(D::Investigation)
        };
        assert_eq!(transition(S::Filed, A::Conclude, LEADER, &second, &r), Ok(S::Concluded));
    }

    #[test]
    fn transitions_outside_the_table_are_refused_with_the_state_named() {
        let e = go(S::Registered, A::Conclude, LEADER, &f(D::Shelved)).unwrap_err();
        assert_eq!(e.code, "invalid_transition");
        assert!(e.msg.zh.contains("待处置"), "{}", e.msg);
    }

    #[test]
    fn available_actions_follow_the_table_and_the_capacities() {
        assert_eq!(available(S::Approved, Some(D::TalkOrLetterInquiry), HANDLER), vec![A::HoldTalk, A::SendLetter]);
        assert_eq!(available(S::Approved, Some(D::PreliminaryVerification), LEADER), vec![A::ApprovePlan]);
        assert_eq!(available(S::Proposed, Some(D::Shelved), LEADER), vec![A::SendBack, A::Approve]);
        assert!(available(S::Concluded, None, HANDLER).is_empty());
    }

    #[test]
    fn each_waiting_state_has_its_clock() {
        assert_eq!(clock_of(S::Registered, None), Some(Clock::DisposalProposal));
        assert_eq!(clock_of(S::LetterSent, Some(D::TalkOrLetterInquiry)), Some(Clock::LetterReply));
        assert_eq!(clock_of(S::Approved, Some(D::PreliminaryVerification)), Some(Clock::VerificationPlan));
        assert_eq!(clock_of(S::Shelved, Some(D::Shelved)), Some(Clock::ShelvedReview));
        assert_eq!(clock_of(S::Filed, Some(D::Investigation)), Some(Clock::Investigation));
        assert_eq!(clock_of(S::Concluded, Some(D::Concluded)), None);
    }
}
