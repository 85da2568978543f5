//! 移送: handing a matter (or a person's case) to the body competent for
//! it. The receiving side accepts it or returns it with a reason, within
//! `referral_response_working_days` (❓ no source; configured).

use super::LeadRules;
use super::deadline::{Clock, Due, due};
use crate::calendar::{Calendar, CalendarError};
use crate::msg::{Msg, Refusal};
use crate::rectify::code_enum;
use jiff::civil::Date;

code_enum! {
    /// Where a matter is referred.
    ReferralTarget {
        DisciplineInspection = "discipline_inspection", "纪检监察机关", "Discipline inspection body";
        Organisation = "organisation", "组织部门", "Organisation department";
        PoliticalWork = "political_work", "政工部门", "Political work department";
        Inspectorate = "inspectorate", "督察部门", "Inspectorate";
        Legal = "legal", "法制部门", "Legal affairs department";
        Petition = "petition", "信访部门", "Petitions office";
        Judicial = "judicial", "司法机关", "Judicial authority";
    }
}

code_enum! {
    ReferralStatus {
        Sent = "sent", "已移送", "Sent";
        Accepted = "accepted", "已接收", "Accepted";
        Returned = "returned", "已退回", "Returned";
    }
}

code_enum! {
    ReferralAction {
        Accept = "accept", "接收", "Accept";
        Return = "return", "退回", "Return";
        Resend = "resend", "重新移送", "Send again";
    }
}

/// Which end of the referral the actor is on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum End {
    /// `ManageLeads` at the sending unit.
    Sender,
    /// `ReceiveReferral` at the receiving unit.
    Receiver,
}

struct Rule {
    from: ReferralStatus,
    action: ReferralAction,
    to: ReferralStatus,
    by: End,
    reason: bool,
}

const TABLE: &[Rule] = &[
    Rule {
        from: ReferralStatus::Sent,
        action: ReferralAction::Accept,
        to: ReferralStatus::Accepted,
        by: End::Receiver,
        reason: false,
    },
    Rule {
        from: ReferralStatus::Sent,
        action: ReferralAction::Return,
        to: ReferralStatus::Returned,
        by: End::Receiver,
        reason: true,
    },
    Rule {
        from: ReferralStatus::Returned,
        action: ReferralAction::Resend,
        to: ReferralStatus::Sent,
        by: End::Sender,
        reason: true,
    },
];

/// The referral lifecycle: sent → accepted | returned (with a reason); a
/// returned referral may be sent again with an explanation.
pub fn transition(
    from: ReferralStatus,
    action: ReferralAction,
    by: End,
    reason: Option<&str>,
) -> Result<ReferralStatus, Refusal> {
    let Some(rule) = TABLE.iter().find(|r| r.from == from && r.action == action) else {
        return Err(Refusal {
            code: "invalid_transition",
            msg: Msg::owned(
                format!("移送当前为“{}”，不能{}", from.label().zh, action.label().zh),
                format!("the referral is {}; cannot {}", from.label().en, action.label().en.to_lowercase()),
            ),
        });
    };
    if rule.by != by {
        return Err(match rule.by {
            End::Receiver => Refusal::new(
                "not_receiver",
                "只有接收单位可以接收或退回",
                "only the receiving body may accept or return",
            ),
            End::Sender => {
                Refusal::new("not_sender", "只有移送单位可以重新移送", "only the sending body may send again")
            }
        });
    }
    if rule.reason && reason.is_none_or(|r| r.trim().is_empty()) {
        return Err(Refusal::new("reason_required", "请填写理由", "a reason is required"));
    }
    Ok(rule.to)
}

/// When the receiving side must have answered a referral sent on `sent_on`.
pub fn response_due(cal: &Calendar, sent_on: Date, rules: &LeadRules) -> Result<Option<Due>, CalendarError> {
    due(cal, Clock::ReferralResponse, sent_on, rules)
}

/// Overdue: still `Sent` after the last allowed day.
pub fn is_overdue(
    status: ReferralStatus,
    sent_on: Date,
    today: Date,
    cal: &Calendar,
    rules: &LeadRules,
) -> Result<bool, CalendarError> {
    if status != ReferralStatus::Sent {
        return Ok(false);
    }
    Ok(response_due(cal, sent_on, rules)?.is_some_and(|d| today > d.value))
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const R: LeadRules = LeadRules::DEFAULT;

    #[test]
    fn the_receiver_accepts_or_returns_with_a_reason() {
        assert_eq!(
            transition(ReferralStatus::Sent, ReferralAction::Accept, End::Receiver, None),
            Ok(ReferralStatus::Accepted)
        );
        let e = transition(ReferralStatus::Sent, ReferralAction::Return, End::Receiver, Some(" ")).unwrap_err();
        assert_eq!(e.code, "reason_required");
        assert_eq!(
            transition(ReferralStatus::Sent, ReferralAction::Return, End::Receiver, Some("不属于本机关职责范围")),
            Ok(ReferralStatus::Returned)
        );
        assert_eq!(
            transition(ReferralStatus::Sent, ReferralAction::Accept, End::Sender, None).unwrap_err().code,
            "not_receiver"
        );
    }

    #[test]
    fn a_returned_referral_may_be_sent_again_by_the_sender() {
        assert_eq!(
            transition(ReferralStatus::Returned, ReferralAction::Resend, End::Sender, Some("已补充材料")),
            Ok(ReferralStatus::Sent)
        );
        assert!(transition(ReferralStatus::Accepted, ReferralAction::Return, End::Receiver, Some("x")).is_err());
    }

    #[test]
    fn an_unanswered_referral_is_overdue_after_its_configured_deadline() {
        let cal = Calendar::builtin();
        // 2026-03-02 (Mon) + 5 working days = 2026-03-09.
        assert_eq!(response_due(&cal, date(2026, 3, 2), &R).unwrap().unwrap().value, date(2026, 3, 9));
        assert!(!is_overdue(ReferralStatus::Sent, date(2026, 3, 2), date(2026, 3, 9), &cal, &R).unwrap());
        assert!(is_overdue(ReferralStatus::Sent, date(2026, 3, 2), date(2026, 3, 10), &cal, &R).unwrap());
        assert!(!is_overdue(ReferralStatus::Accepted, date(2026, 3, 2), date(2026, 4, 1), &cal, &R).unwrap());
        let r = LeadRules { referral_response_working_days: 10, ..R };
        assert!(!is_overdue(ReferralStatus::Sent, date(2026, 3, 2), date(2026, 3, 10), &cal, &r).unwrap());
    }

    #[test]
    fn referral_targets_round_trip() {
        for t in ReferralTarget::ALL {
            assert_eq!(ReferralTarget::from_label(&t.label().zh), Some(*t));
        }
    }
}
