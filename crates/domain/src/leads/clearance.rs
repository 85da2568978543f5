//! 澄清正名 and 诬告陷害.
//!
//! A lead concluded as untrue (不实) may clear the person's name, in a scope
//! the approver chooses. It may also be marked as a false accusation: a
//! mistaken one (错告: no intent, nothing fabricated — definition from a
//! local rule, whistleblowing.md §5.1, S) carries no consequence and is
//! never linked to its author; a deliberate one (诬告陷害) is linked to its
//! author only when the author is known — a real-name reporter, or someone
//! identified by the inquiry. Linking does not reveal a sealed identity;
//! that still needs `ReleaseIdentity`.

use super::Finding;
use super::LeadRules;
use super::disposal::LeadStatus;
use crate::msg::{Msg, Refusal};
use crate::rectify::code_enum;
use serde::Serialize;
use uuid::Uuid;

code_enum! {
    /// Where a clearance is announced.
    ClearanceScope {
        Person = "person", "向本人澄清", "To the person";
        Unit = "unit", "在所在单位澄清", "In the person's unit";
        Range = "range", "在一定范围内澄清", "Within a defined range";
        Public = "public", "公开澄清", "Publicly";
    }
}

code_enum! {
    /// What kind of untrue accusation it was.
    AccusationFault {
        Mistaken = "mistaken", "错告", "Mistaken accusation";
        Deliberate = "deliberate", "诬告陷害", "Deliberate false accusation";
    }
}

/// Both need a concluded lead with an untrue finding.
pub fn require_untrue(status: LeadStatus, finding: Option<Finding>) -> Result<(), Refusal> {
    if status != LeadStatus::Concluded {
        return Err(Refusal::new(
            "lead_not_concluded",
            "线索办结后才能澄清或认定诬告",
            "the lead must be concluded first",
        ));
    }
    if finding != Some(Finding::Unsubstantiated) {
        return Err(Refusal::new(
            "finding_not_untrue",
            "只有经核查反映不实的，才能澄清正名或认定诬告",
            "only an untrue finding allows this",
        ));
    }
    Ok(())
}

/// A clearance to be announced.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ClearanceRequest {
    pub proposer: Uuid,
    pub approver: Uuid,
    pub scope: ClearanceScope,
    /// The cleared person agreed to an announcement beyond themselves.
    pub person_consents: bool,
}

/// Approves a clearance: an untrue finding, an approver other than the
/// proposer, and — when `clearance_needs_consent` (❓) — the person's
/// consent for any scope beyond themselves.
pub fn approve_clearance(
    status: LeadStatus,
    finding: Option<Finding>,
    req: ClearanceRequest,
    rules: &LeadRules,
) -> Result<ClearanceScope, Refusal> {
    require_untrue(status, finding)?;
    if req.approver == req.proposer {
        return Err(Refusal::new(
            "approver_is_proposer",
            "提出澄清的人不能自己审批",
            "the proposer cannot approve their own clearance",
        ));
    }
    if rules.clearance_needs_consent && req.scope != ClearanceScope::Person && !req.person_consents {
        return Err(Refusal::new(
            "consent_required",
            "在本人以外范围澄清，须征得本人同意",
            "clearing beyond the person needs the person's consent",
        ));
    }
    Ok(req.scope)
}

/// Whom a false-accusation mark points at.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "author", content = "id", rename_all = "snake_case")]
pub enum AuthorLink {
    /// The report's own real-name reporter (identity stays sealed).
    RealNameReporter,
    /// A person identified by the inquiry.
    Identified(Uuid),
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FalseAccusationMark {
    pub fault: AccusationFault,
    /// `None`: mistaken, or the author is unknown.
    pub author: Option<AuthorLink>,
    pub reason: String,
}

/// Marks a concluded, untrue report as a mistaken or deliberate false
/// accusation. Only a deliberate one is linked, and only to a known author.
pub fn mark_false_accusation(
    status: LeadStatus,
    finding: Option<Finding>,
    fault: AccusationFault,
    report_real_name: bool,
    identified_author: Option<Uuid>,
    reason: &str,
) -> Result<FalseAccusationMark, Refusal> {
    require_untrue(status, finding)?;
    let reason = reason.trim();
    if reason.is_empty() {
        return Err(Refusal::new("reason_required", "请写明认定依据", "state the grounds"));
    }
    let author = match fault {
        AccusationFault::Mistaken => None,
        AccusationFault::Deliberate => match identified_author {
            Some(id) => Some(AuthorLink::Identified(id)),
            None if report_real_name => Some(AuthorLink::RealNameReporter),
            None => None,
        },
    };
    Ok(FalseAccusationMark { fault, author, reason: reason.to_string() })
}

/// The message for the reporter's page when a mark is made is never
/// projected (see `feedback`); this is for the handler's page.
pub fn mark_label(m: &FalseAccusationMark) -> Msg {
    match (m.fault, m.author) {
        (AccusationFault::Mistaken, _) => Msg::new("错告（不追究）", "Mistaken (no action)"),
        (AccusationFault::Deliberate, Some(_)) => Msg::new("诬告陷害（已关联举报人）", "Deliberate (author linked)"),
        (AccusationFault::Deliberate, None) => Msg::new("诬告陷害（举报人不明）", "Deliberate (author unknown)"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: LeadRules = LeadRules::DEFAULT;
    const UNTRUE: Option<Finding> = Some(Finding::Unsubstantiated);
    const A: Uuid = Uuid::from_u128(1);
    const B: Uuid = Uuid::from_u128(2);

    fn req(scope: ClearanceScope, consents: bool) -> ClearanceRequest {
        ClearanceRequest { proposer: A, approver: B, scope, person_consents: consents }
    }

    #[test]
    fn clearance_needs_a_concluded_lead_found_untrue() {
        let e = approve_clearance(LeadStatus::Assessed, UNTRUE, req(ClearanceScope::Person, false), &R).unwrap_err();
        assert_eq!(e.code, "lead_not_concluded");
        let e = approve_clearance(
            LeadStatus::Concluded,
            Some(Finding::PartlySubstantiated),
            req(ClearanceScope::Person, false),
            &R,
        )
        .unwrap_err();
        assert_eq!(e.code, "finding_not_untrue");
        assert_eq!(
            approve_clearance(LeadStatus::Concluded, UNTRUE, req(ClearanceScope::Person, false), &R),
            Ok(ClearanceScope::Person)
        );
    }

    #[test]
    fn the_approver_chooses_the_scope_but_not_for_their_own_proposal() {
        let own = ClearanceRequest { approver: A, ..req(ClearanceScope::Unit, true) };
        assert_eq!(approve_clearance(LeadStatus::Concluded, UNTRUE, own, &R).unwrap_err().code, "approver_is_proposer");
        assert_eq!(
            approve_clearance(LeadStatus::Concluded, UNTRUE, req(ClearanceScope::Public, true), &R),
            Ok(ClearanceScope::Public)
        );
    }

    #[test]
    fn clearing_beyond_the_person_needs_consent_when_configured() {
        let e = approve_clearance(LeadStatus::Concluded, UNTRUE, req(ClearanceScope::Range, false), &R).unwrap_err();
        assert_eq!(e.code, "consent_required");
        let r = LeadRules { clearance_needs_consent: false, ..R };
        assert!(approve_clearance(LeadStatus::Concluded, UNTRUE, req(ClearanceScope::Range, false), &r).is_ok());
    }

    #[test]
    fn a_false_accusation_can_be_marked_only_on_an_untrue_finding() {
        let e = mark_false_accusation(
            LeadStatus::Concluded,
            Some(Finding::Inconclusive),
            AccusationFault::Deliberate,
            true,
            None,
            "捏造事实",
        )
        .unwrap_err();
        assert_eq!(e.code, "finding_not_untrue");
        let e = mark_false_accusation(LeadStatus::Concluded, UNTRUE, AccusationFault::Deliberate, true, None, " ")
            .unwrap_err();
        assert_eq!(e.code, "reason_required");
    }

    #[test]
    fn a_deliberate_false_accusation_links_to_the_author_only_if_known() {
        let m =
            mark_false_accusation(LeadStatus::Concluded, UNTRUE, AccusationFault::Deliberate, true, None, "伪造证据")
                .unwrap();
        assert_eq!(m.author, Some(AuthorLink::RealNameReporter));
        let m =
            mark_false_accusation(LeadStatus::Concluded, UNTRUE, AccusationFault::Deliberate, false, None, "伪造证据")
                .unwrap();
        assert_eq!(m.author, None, "anonymous and not identified");
        let m = mark_false_accusation(
            LeadStatus::Concluded,
            UNTRUE,
            AccusationFault::Deliberate,
            false,
            Some(B),
            "伪造证据",
        )
        .unwrap();
        assert_eq!(m.author, Some(AuthorLink::Identified(B)));
    }

    #[test]
    fn a_mistaken_accusation_is_never_linked_to_its_author() {
        let m = mark_false_accusation(
            LeadStatus::Concluded,
            UNTRUE,
            AccusationFault::Mistaken,
            true,
            Some(B),
            "了解情况不全面",
        )
        .unwrap();
        assert_eq!(m.author, None);
        assert!(mark_label(&m).zh.contains("不追究"));
    }
}
