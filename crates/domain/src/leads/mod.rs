//! 信访举报 → 问题线索 → 处置 → 四种形态: the rules of the leads module.
//!
//! A report ([`report`], validated in [`intake`], with [`attachment`]s) is
//! registered, accepted or routed by 分级负责, and may become a lead
//! ([`disposal`]) that is disposed of by one of the four ways or by filing a
//! case, and concludes with outcomes for the people concerned ([`outcome`]).
//! Heavier outcomes open an accountability inquiry ([`dual_inquiry`]);
//! matters for other bodies are referred ([`referral`]); untrue reports may
//! clear the person's name ([`clearance`]); a sealed identity is opened only
//! through [`release`]. The reporter sees only what
//! [`feedback`] projects. Every deadline is computed in [`deadline`] from
//! [`LeadRules`].
//!
//! Sources (verification levels as in `shared/research`): 《纪检监察机关处理
//! 检举控告工作规则》(2020) and 《中国共产党纪律检查机关监督执纪工作规则》
//! (2019) for the procedure, whistleblowing.md §5 and domain-facts.md §3–§6.

pub mod attachment;
pub mod clearance;
pub mod deadline;
pub mod disposal;
pub mod dual_inquiry;
pub mod feedback;
pub mod intake;
pub mod outcome;
pub mod referral;
pub mod release;
pub mod report;

use crate::rectify::code_enum;
use outcome::{AdminSanction, Form};
use report::{AdminLevel, PersonLevel};
use serde::{Deserialize, Serialize};

code_enum! {
    /// 线索来源 (whistleblowing.md §5.2, S).
    LeadSource {
        Petition = "petition", "信访举报", "Reports and petitions";
        InspectionTour = "inspection_tour", "巡视巡察", "Inspection tours";
        Audit = "audit", "审计", "Audit";
        SupervisionCheck = "supervision_check", "监督检查", "Supervision and checks";
        Talk = "talk", "谈话", "Talks";
        Other = "other", "其他", "Other";
    }
}

code_enum! {
    /// What checking a lead found (函询 assessment, 初核 findings, case result).
    Finding {
        Substantiated = "substantiated", "属实", "Substantiated";
        LargelySubstantiated = "largely_substantiated", "基本属实", "Largely substantiated";
        PartlySubstantiated = "partly_substantiated", "部分属实", "Partly substantiated";
        Unsubstantiated = "unsubstantiated", "不实", "Untrue";
        Inconclusive = "inconclusive", "无法查实", "Could not be established";
    }
}

impl Finding {
    /// Whether anything reported was found true.
    pub fn is_true_in_part(self) -> bool {
        matches!(self, Finding::Substantiated | Finding::LargelySubstantiated | Finding::PartlySubstantiated)
    }
}

/// 分级负责: which level handles a report on a person of each level, by
/// 干部管理权限. ❓ The research has no verified mapping (domain-facts.md has
/// none; the 规则 only says 分级负责、归口办理), so this is configuration
/// with a best-knowledge default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct HandlingLevels {
    pub central: AdminLevel,
    pub provincial: AdminLevel,
    pub municipal: AdminLevel,
    pub county: AdminLevel,
    pub township_or_below: AdminLevel,
    pub ordinary: AdminLevel,
    pub other: AdminLevel,
}

impl HandlingLevels {
    pub const DEFAULT: HandlingLevels = HandlingLevels {
        central: AdminLevel::Central,
        provincial: AdminLevel::Province,
        municipal: AdminLevel::City,
        county: AdminLevel::County,
        township_or_below: AdminLevel::County,
        ordinary: AdminLevel::Township,
        other: AdminLevel::County,
    };

    pub fn of(&self, level: PersonLevel) -> AdminLevel {
        match level {
            PersonLevel::Central => self.central,
            PersonLevel::Provincial => self.provincial,
            PersonLevel::Municipal => self.municipal,
            PersonLevel::County => self.county,
            PersonLevel::TownshipOrBelow => self.township_or_below,
            PersonLevel::Ordinary => self.ordinary,
            PersonLevel::Other => self.other,
        }
    }
}

impl Default for HandlingLevels {
    fn default() -> Self {
        HandlingLevels::DEFAULT
    }
}

/// The configurable numbers of the module (`[leads]` in the rules file).
/// Each field says how sure the research is: ✅ verified, ⚠️ secondary or
/// partial, ❓ unverified. A working-day limit of 0 turns that clock off.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct LeadRules {
    /// ✅ 检举控告规则 第十五、十六条: send a report up, or 受理/转办 one sent
    /// down, within 5 working days of receipt.
    pub transfer_working_days: i32,
    /// ✅ 实名: tell the reporter whether it was accepted within 15 working days of receipt.
    pub realname_notice_working_days: i32,
    /// ⚠️ 实名: feed the result back within 15 working days after 办结 (secondary source).
    pub feedback_working_days: i32,
    /// ⚠️ 监督执纪工作规则: propose a disposal within 1 month of receiving the lead
    /// (seen verbatim only in an implementing rule).
    pub disposal_proposal_months: i32,
    /// ⚠️ 函询: reply within 15 working days (local implementations; counted here
    /// from the day the letter is sent, since the receipt date is rarely known).
    pub letter_reply_working_days: i32,
    /// ❓ 谈话函询: report on it within this many days of the talk or the reply
    /// (recollection "1 month"; a county rule says 30日).
    pub inquiry_report_days: i32,
    /// ❓ 初步核实: no national limit found; a county rule says 一般15个工作日.
    pub verification_working_days: i32,
    /// ❓ 初核方案 approved within this many working days of the disposal (no source; off).
    pub verification_plan_working_days: i32,
    /// ❓ 暂存待查: review shelved leads every N months (no source).
    pub shelved_review_months: i32,
    /// ❓ 立案审查调查: conclude within N days (no source in the research).
    pub investigation_days: i32,
    /// ❓ 移送: the receiving body accepts or returns within N working days (no source;
    /// mirrors 第十六条's 5 days).
    pub referral_response_working_days: i32,
    /// ✅ (2016 text) / ❓ (2019): 组织调整或组织处理 procedures done within 1 month.
    pub adjustment_completion_months: i32,
    /// ❓ A calendar-month or calendar-day deadline that ends on a rest day moves
    /// to the next working day (the 民法典 第二百零三条 convention for 期间).
    pub roll_to_working_day: bool,
    /// 一案双查 is opened for outcomes of this form or heavier. A deployment
    /// choice: the rule (S, 十八届中央纪委三次全会) names no threshold.
    pub dual_inquiry_from: Form,
    /// ❓ The lightest 政务处分 that counts as the third form (with 降职); the
    /// lighter ones count as the second. Best knowledge, not a published rule.
    pub admin_heavy_from: AdminSanction,
    /// ❓ 问责 influence periods (2019 问责条例 not retrieved): 诫勉 → months without promotion.
    pub admonition_effect_months: i32,
    /// ❓ 组织调整/组织处理 → months without promotion.
    pub adjustment_effect_months: i32,
    /// ❓ 责令辞职/免职 → months without any post.
    pub dismissal_effect_months: i32,
    /// ❓ 降职 → months without promotion.
    pub demotion_effect_months: i32,
    /// ⚠️ A sanction's influence period ends on the day before the
    /// corresponding date (commentary on 纪律处分条例 第十条, domain-facts §3.2).
    pub effect_ends_day_before: bool,
    /// ❓ 澄清正名 beyond the person needs the person's consent.
    pub clearance_needs_consent: bool,
    /// Largest attachment accepted (product limit).
    pub attachment_max_bytes: u64,
    /// Most attachments on one report (product limit).
    pub attachments_max: u32,
    /// ❓ 分级负责: handling level per reported person's level.
    pub handling: HandlingLevels,
    /// The level of the office that receives public reports (a deployment
    /// fact: the demo is a city).
    pub intake_level: AdminLevel,
}

impl LeadRules {
    pub const DEFAULT: LeadRules = LeadRules {
        transfer_working_days: 5,
        realname_notice_working_days: 15,
        feedback_working_days: 15,
        disposal_proposal_months: 1,
        letter_reply_working_days: 15,
        inquiry_report_days: 30,
        verification_working_days: 15,
        verification_plan_working_days: 0,
        shelved_review_months: 6,
        investigation_days: 90,
        referral_response_working_days: 5,
        adjustment_completion_months: 1,
        roll_to_working_day: true,
        dual_inquiry_from: Form::Second,
        admin_heavy_from: AdminSanction::Demotion,
        admonition_effect_months: 6,
        adjustment_effect_months: 12,
        dismissal_effect_months: 12,
        demotion_effect_months: 24,
        effect_ends_day_before: true,
        clearance_needs_consent: true,
        attachment_max_bytes: 20 * 1024 * 1024,
        attachments_max: 10,
        handling: HandlingLevels::DEFAULT,
        intake_level: AdminLevel::City,
    };

    /// Range checks; the error names the key under `[leads]`.
    pub fn check(&self) -> Result<(), String> {
        let wd = [
            ("transfer_working_days", self.transfer_working_days),
            ("realname_notice_working_days", self.realname_notice_working_days),
            ("feedback_working_days", self.feedback_working_days),
            ("letter_reply_working_days", self.letter_reply_working_days),
            ("verification_working_days", self.verification_working_days),
            ("verification_plan_working_days", self.verification_plan_working_days),
            ("referral_response_working_days", self.referral_response_working_days),
        ];
        for (key, v) in wd {
            if !(0..=250).contains(&v) {
                return Err(format!("leads.{key}: must be 0–250 working days (0 = no deadline)"));
            }
        }
        let months = [
            ("disposal_proposal_months", self.disposal_proposal_months),
            ("shelved_review_months", self.shelved_review_months),
            ("adjustment_completion_months", self.adjustment_completion_months),
            ("admonition_effect_months", self.admonition_effect_months),
            ("adjustment_effect_months", self.adjustment_effect_months),
            ("dismissal_effect_months", self.dismissal_effect_months),
            ("demotion_effect_months", self.demotion_effect_months),
        ];
        for (key, v) in months {
            if !(0..=120).contains(&v) {
                return Err(format!("leads.{key}: must be 0–120 months (0 = none)"));
            }
        }
        for (key, v) in
            [("inquiry_report_days", self.inquiry_report_days), ("investigation_days", self.investigation_days)]
        {
            if !(0..=3650).contains(&v) {
                return Err(format!("leads.{key}: must be 0–3650 days (0 = no deadline)"));
            }
        }
        if self.dual_inquiry_from == Form::First {
            return Err("leads.dual_inquiry_from: must be second, third or fourth".into());
        }
        if !(1024..=1024 * 1024 * 1024).contains(&self.attachment_max_bytes) {
            return Err("leads.attachment_max_bytes: must be between 1 KiB and 1 GiB".into());
        }
        if !(1..=100).contains(&self.attachments_max) {
            return Err("leads.attachments_max: must be 1–100".into());
        }
        Ok(())
    }
}

impl Default for LeadRules {
    fn default() -> Self {
        LeadRules::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_rules_pass_their_own_checks() {
        assert_eq!(LeadRules::DEFAULT.check(), Ok(()));
    }

    #[test]
    fn lead_sources_and_findings_round_trip() {
        for s in LeadSource::ALL {
            assert_eq!(LeadSource::from_label(&s.label().zh), Some(*s));
        }
        assert_eq!(Finding::from_label("不实"), Some(Finding::Unsubstantiated));
        assert!(!Finding::Unsubstantiated.is_true_in_part() && Finding::PartlySubstantiated.is_true_in_part());
    }
}
