//! Releasing a real-name reporter's sealed identity (DESIGN.md §3, §5).
//!
//! The identity is sealed at intake (`qingfeng-seal`); opening it is a
//! recorded request approved by someone else who holds `ReleaseIdentity`,
//! with a reason, and never for anyone in the reported unit (S, 检举控告规则
//! 第四十七条(二): "严禁将检举控告材料、检举控告人信息转给或者告知被检举控告的
//! 组织、人员"). The release is scoped to the requester (GlobaLeaks #3656).

use crate::msg::Refusal;
use uuid::Uuid;

/// A request to open a sealed identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReleaseRequest<'a> {
    pub requester: Uuid,
    pub approver: Uuid,
    pub reason: &'a str,
    /// Whether the report is real-name (anonymous reports have nothing sealed).
    pub real_name: bool,
    /// Whether the requester belongs to the reported unit or is the reported person.
    pub requester_is_reported_side: bool,
}

/// Checks a release; the caller has already checked `ReleaseIdentity` for
/// the approver with `access::authorize`.
pub fn check_release(r: &ReleaseRequest<'_>) -> Result<(), Refusal> {
    if !r.real_name {
        return Err(Refusal::new(
            "anonymous_report",
            "匿名举报没有可解密的身份信息",
            "an anonymous report has no identity to release",
        ));
    }
    if r.reason.trim().is_empty() {
        return Err(Refusal::new("reason_required", "请写明查看举报人身份的理由", "state why the identity is needed"));
    }
    if r.approver == r.requester {
        return Err(Refusal::new(
            "approver_is_requester",
            "申请人不能自己批准查看举报人身份",
            "the requester cannot approve their own request",
        ));
    }
    if r.requester_is_reported_side {
        return Err(Refusal::new(
            "reported_side",
            "严禁将举报人信息告知被举报的组织或人员",
            "a reporter's identity is never released to the reported unit or person",
        ));
    }
    Ok(())
}

/// ✅ 实名 reports are told about 受理 within the limit; S: repeat reports
/// (重复检举控告) are "不再告知".
pub fn realname_notice_required(real_name: bool, repeat: bool) -> bool {
    real_name && !repeat
}

#[cfg(test)]
mod tests {
    use super::*;

    fn req() -> ReleaseRequest<'static> {
        ReleaseRequest {
            requester: Uuid::from_u128(1),
            approver: Uuid::from_u128(2),
            reason: "需与举报人核实补充材料",
            real_name: true,
            requester_is_reported_side: false,
        }
    }

    #[test]
    fn an_identity_is_released_with_a_reason_approved_by_someone_else() {
        assert_eq!(check_release(&req()), Ok(()));
        assert_eq!(check_release(&ReleaseRequest { reason: " ", ..req() }).unwrap_err().code, "reason_required");
        assert_eq!(
            check_release(&ReleaseRequest { approver: Uuid::from_u128(1), ..req() }).unwrap_err().code,
            "approver_is_requester"
        );
    }

    #[test]
    fn an_identity_is_never_released_to_the_reported_side() {
        let r = ReleaseRequest { requester_is_reported_side: true, ..req() };
        assert_eq!(check_release(&r).unwrap_err().code, "reported_side");
    }

    #[test]
    fn an_anonymous_report_has_nothing_to_release() {
        assert_eq!(check_release(&ReleaseRequest { real_name: false, ..req() }).unwrap_err().code, "anonymous_report");
    }

    #[test]
    fn repeat_real_name_reports_are_not_notified_again() {
        assert!(realname_notice_required(true, false));
        assert!(!realname_notice_required(true, true));
        assert!(!realname_notice_required(false, false));
    }
}
