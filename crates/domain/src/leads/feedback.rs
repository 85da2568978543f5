//! What a reporter sees with the receipt code: that the report arrived,
//! whether it was accepted, how far it has got, and — once concluded — the
//! result text the handler chose to release. A pure projection: the view
//! is built field by field, so nothing internal (the disposal, the finding,
//! people, units, notes) can leak into it. Answers must not "涉及举报具体
//! 内容" (S, whistleblowing.md §5.1).

use super::disposal::LeadStatus;
use super::report::RegistrationNumber;
use crate::msg::Msg;
use crate::rectify::code_enum;
use jiff::civil::Date;
use serde::Serialize;

code_enum! {
    /// Where a report stands at intake.
    IntakeStatus {
        Received = "received", "已登记", "Registered";
        Accepted = "accepted", "已受理", "Accepted";
        NotAccepted = "not_accepted", "不予受理", "Not accepted";
        SentUp = "sent_up", "已报送上级", "Sent to the level above";
        TransferredDown = "transferred_down", "已转办", "Transferred";
        Repeat = "repeat", "重复件留存", "Repeat, kept on file";
    }
}

code_enum! {
    /// 不予受理 grounds (✅ 检举控告规则, whistleblowing.md §5.1).
    NotAcceptedGround {
        OtherRemedy = "other_remedy", "已经或者依法应当通过诉讼、仲裁、行政裁决、行政复议等途径解决", "Belongs to litigation, arbitration or review";
        OtherAuthority = "other_authority", "属于其他机关或者单位职责范围", "Within another body's remit";
        NoSubstance = "no_substance", "仅列举违纪或者职务违法犯罪行为名称但无实质内容", "Names a violation without substance";
    }
}

/// Everything the store knows about a report that the projection may look
/// at — including internal fields it must not pass on.
#[derive(Debug, Clone)]
pub struct ReportRecord<'a> {
    pub number: RegistrationNumber,
    pub received_on: Date,
    pub intake: IntakeStatus,
    pub not_accepted: Option<NotAcceptedGround>,
    pub lead_status: Option<LeadStatus>,
    pub concluded_on: Option<Date>,
    /// The text the handler wrote for the reporter, and whether it is released.
    pub result_text: Option<&'a str>,
    pub result_released: bool,
    // Internal: never shown.
    pub reported_name: &'a str,
    pub handler_notes: &'a str,
    pub disposal_label: &'a str,
    pub finding_label: &'a str,
}

code_enum! {
    /// The stages a reporter can see.
    PublicStage {
        Received = "received", "已收到，正在登记审查", "Received";
        Accepted = "accepted", "已受理", "Accepted";
        NotAccepted = "not_accepted", "不予受理", "Not accepted";
        Transferred = "transferred", "已转有权处理的机关办理", "Passed to the competent body";
        InProgress = "in_progress", "正在办理", "Being handled";
        Concluded = "concluded", "已办结", "Concluded";
        Repeat = "repeat", "已登记（重复反映，留存备查）", "Registered as a repeat";
    }
}

/// The reporter's view.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReporterView {
    pub number: String,
    pub received_on: Date,
    pub stage: PublicStage,
    pub stage_label: Msg,
    /// For 不予受理: the statutory ground, and for 其他途径/其他机关 the advice
    /// to turn to the competent body.
    pub explanation: Option<Msg>,
    pub concluded_on: Option<Date>,
    pub result: Option<String>,
}

/// The stage a report has reached, as a reporter may see it.
pub fn public_stage(r: &ReportRecord<'_>) -> PublicStage {
    match r.intake {
        IntakeStatus::Received => PublicStage::Received,
        IntakeStatus::NotAccepted => PublicStage::NotAccepted,
        IntakeStatus::SentUp | IntakeStatus::TransferredDown => PublicStage::Transferred,
        IntakeStatus::Repeat => PublicStage::Repeat,
        IntakeStatus::Accepted => match r.lead_status {
            None => PublicStage::Accepted,
            Some(LeadStatus::Concluded) => PublicStage::Concluded,
            Some(_) => PublicStage::InProgress,
        },
    }
}

/// Projects a report onto what its reporter may see.
pub fn reporter_view(r: &ReportRecord<'_>) -> ReporterView {
    let stage = public_stage(r);
    let explanation = match (stage, r.not_accepted) {
        (PublicStage::NotAccepted, Some(NotAcceptedGround::NoSubstance)) => Some(Msg::new(
            "反映内容仅列举行为名称、无实质内容，不予受理；如有具体线索可重新反映",
            "not accepted: no substance was given; you may report again with specifics",
        )),
        (PublicStage::NotAccepted, Some(_)) => Some(Msg::new(
            "不属于本机关受理范围，请依规依法向有权处理的机关或者单位反映",
            "outside this body's remit; please turn to the competent body",
        )),
        _ => None,
    };
    let concluded = stage == PublicStage::Concluded;
    ReporterView {
        number: r.number.to_string(),
        received_on: r.received_on,
        stage,
        stage_label: stage.label(),
        explanation,
        concluded_on: if concluded { r.concluded_on } else { None },
        result: (concluded && r.result_released)
            .then(|| r.result_text.unwrap_or_default().trim().to_string())
            .filter(|t| !t.is_empty()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::leads::report::Series;
    use jiff::civil::date;

    fn record() -> ReportRecord<'static> {
        ReportRecord {
            number: RegistrationNumber::new(Series::Accusation, 2026, 123).unwrap(),
            received_on: date(2026, 2, 12),
            intake: IntakeStatus::Accepted,
            not_accepted: None,
            lead_status: Some(LeadStatus::LetterSent),
            concluded_on: None,
            result_text: Some("经核查，反映问题已依规依纪处理。"),
            result_released: false,
            reported_name: "李某某",
            handler_notes: "拟函询，注意保密",
            disposal_label: "谈话函询",
            finding_label: "基本属实",
        }
    }

    #[test]
    fn the_reporter_sees_the_stage_but_never_internal_fields() {
        let v = reporter_view(&record());
        assert_eq!(v.stage, PublicStage::InProgress);
        let json = serde_json::to_string(&v).unwrap();
        for secret in ["李某某", "拟函询", "谈话函询", "基本属实", "letter_sent", "依规依纪处理"] {
            assert!(!json.contains(secret), "{secret} leaked: {json}");
        }
    }

    #[test]
    fn the_result_is_shown_only_when_concluded_and_released() {
        let mut r = record();
        r.lead_status = Some(LeadStatus::Concluded);
        r.concluded_on = Some(date(2026, 5, 6));
        assert_eq!(reporter_view(&r).result, None, "not released yet");
        r.result_released = true;
        let v = reporter_view(&r);
        assert_eq!(v.stage, PublicStage::Concluded);
        assert_eq!(v.result.as_deref(), Some("经核查，反映问题已依规依纪处理。"));
        assert_eq!(v.concluded_on, Some(date(2026, 5, 6)));
        r.lead_status = Some(LeadStatus::Assessed);
        assert_eq!(reporter_view(&r).result, None, "released text of a reopened lead is withheld");
    }

    #[test]
    fn intake_stages_map_to_public_stages() {
        let mut r = record();
        r.lead_status = None;
        assert_eq!(public_stage(&r), PublicStage::Accepted);
        r.intake = IntakeStatus::SentUp;
        assert_eq!(public_stage(&r), PublicStage::Transferred);
        r.intake = IntakeStatus::Repeat;
        assert_eq!(public_stage(&r), PublicStage::Repeat);
        r.intake = IntakeStatus::Received;
        assert_eq!(public_stage(&r), PublicStage::Received);
    }

    #[test]
    fn not_accepted_explains_the_statutory_ground_in_general_terms() {
        let mut r = record();
        r.intake = IntakeStatus::NotAccepted;
        r.not_accepted = Some(NotAcceptedGround::OtherAuthority);
        let v = reporter_view(&r);
        assert!(v.explanation.unwrap().zh.contains("有权处理的机关"));
        r.not_accepted = Some(NotAcceptedGround::NoSubstance);
        assert!(reporter_view(&r).explanation.unwrap().zh.contains("无实质内容"));
    }
}
