//! The deployment's configurable rules, read from one TOML file
//! (`qingfeng --rules FILE`, or `QINGFENG_RULES`). Every number a
//! regulation does not fix — or that `shared/research` marks unverified —
//! lives here with its default, never as a constant in code.
//!
//! ```toml
//! [rectify]
//! lookback_months = 6
//! yellow_working_days = 5
//!
//! [orglife]
//! party_lecture = "quarterly"
//!
//! [leads]
//! letter_reply_working_days = 15
//! dual_inquiry_from = "second"
//!
//! [leads.handling]
//! township_or_below = "county"
//!
//! [tasks]
//! accept_within_working_days = 3
//! escalate_after_overdue_working_days = 5
//! ```

use crate::leads::LeadRules;
use crate::orglife::OrgLifeRules;
use crate::rectify::RectifyRules;
use crate::tasks::TaskRules;
use serde::{Deserialize, Serialize};

#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct Rules {
    /// 问题整改.
    pub rectify: RectifyRules,
    /// 组织生活 and 谈话.
    pub orglife: OrgLifeRules,
    /// 信访举报和问题线索.
    pub leads: LeadRules,
    /// 部署分解 and 督办.
    pub tasks: TaskRules,
}

/// What is wrong with a rules file, naming the key.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct RulesError(pub String);

impl Rules {
    /// Parses and checks a rules file; keys left out keep their defaults.
    pub fn from_toml(text: &str) -> Result<Rules, RulesError> {
        let rules: Rules = toml::from_str(text).map_err(|e| RulesError(e.message().to_string() + &at(text, e.span())))?;
        rules.check()?;
        Ok(rules)
    }

    /// The effective rules as TOML (what `qingfeng rules` prints).
    pub fn to_toml(&self) -> String {
        toml::to_string_pretty(self).unwrap_or_default()
    }

    /// Range checks, each naming its key.
    pub fn check(&self) -> Result<(), RulesError> {
        let r = &self.rectify;
        let bad = |key: &str, want: &str| Err(RulesError(format!("rectify.{key}: {want}")));
        if !(1..=60).contains(&r.lookback_months) {
            return bad("lookback_months", "must be 1–60 months");
        }
        if !(0..=60).contains(&r.yellow_working_days) {
            return bad("yellow_working_days", "must be 0–60 working days");
        }
        if !(1024..=1024 * 1024 * 1024).contains(&r.evidence_max_bytes) {
            return bad("evidence_max_bytes", "must be between 1 KiB and 1 GiB");
        }
        if r.dissatisfied_block == 0 {
            return bad("dissatisfied_block", "must be at least 1");
        }
        if !(1..=60).contains(&r.burst_window_working_days) {
            return bad("burst_window_working_days", "must be 1–60 working days");
        }
        if r.burst_min_requests == 0 {
            return bad("burst_min_requests", "must be at least 1");
        }
        if !(r.burst_share > 0.0 && r.burst_share <= 1.0) {
            return bad("burst_share", "must be a share in (0, 1]");
        }
        self.orglife.check().map_err(RulesError)?;
        self.leads.check().map_err(RulesError)?;
        self.tasks.check().map_err(RulesError)
    }
}

/// " (line N)" for a span of `text`.
fn at(text: &str, span: Option<std::ops::Range<usize>>) -> String {
    match span {
        Some(s) => format!(" (line {})", text[..s.start.min(text.len())].matches('\n').count() + 1),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_file_gives_the_defaults() {
        assert_eq!(Rules::from_toml("").unwrap(), Rules::default());
        assert_eq!(Rules::default().rectify, RectifyRules::DEFAULT);
    }

    #[test]
    fn a_key_left_out_keeps_its_default() {
        let r = Rules::from_toml("[rectify]\nlookback_months = 3\n").unwrap();
        assert_eq!(r.rectify.lookback_months, 3);
        assert_eq!(r.rectify.yellow_working_days, RectifyRules::DEFAULT.yellow_working_days);
    }

    #[test]
    fn unknown_keys_and_bad_values_are_named() {
        let e = Rules::from_toml("[rectify]\nlookback_month = 3\n").unwrap_err().0;
        assert!(e.contains("lookback_month") && e.contains("line 2"), "{e}");
        let e = Rules::from_toml("[rectify]\nlookback_months = 0\n").unwrap_err().0;
        assert!(e.starts_with("rectify.lookback_months"), "{e}");
        let e = Rules::from_toml("[rectify]\nburst_share = 1.5\n").unwrap_err().0;
        assert!(e.starts_with("rectify.burst_share"), "{e}");
        let e = Rules::from_toml("[rectify]\nyellow_working_days = \"five\"\n").unwrap_err().0;
        assert!(e.contains("line 2"), "{e}");
    }

    #[test]
    fn orglife_frequencies_are_configurable_and_checked() {
        let r = Rules::from_toml("[orglife]\nparty_lecture = \"half_yearly\"\n").unwrap();
        assert_eq!(r.orglife.party_lecture, crate::orglife::Frequency::HalfYearly);
        let e = Rules::from_toml("[orglife]\nparty_lecture = \"weekly\"\n").unwrap_err().0;
        assert!(e.contains("line 2"), "{e}");
        let e = Rules::from_toml("[orglife]\nturnout_flag_percent = 120\n").unwrap_err().0;
        assert!(e.starts_with("orglife.turnout_flag_percent"), "{e}");
    }

    #[test]
    fn printed_rules_read_back_the_same() {
        let mut r = Rules::default();
        r.rectify.dissatisfied_block = 5;
        r.leads.letter_reply_working_days = 10;
        r.leads.handling.ordinary = crate::leads::report::AdminLevel::County;
        assert_eq!(Rules::from_toml(&r.to_toml()).unwrap(), r);
    }

    #[test]
    fn the_leads_section_defaults_and_overrides_key_by_key() {
        assert_eq!(Rules::default().leads, LeadRules::DEFAULT);
        let r = Rules::from_toml("[leads]\nletter_reply_working_days = 10\ndual_inquiry_from = \"third\"\n").unwrap();
        assert_eq!(r.leads.letter_reply_working_days, 10);
        assert_eq!(r.leads.dual_inquiry_from, crate::leads::outcome::Form::Third);
        assert_eq!(r.leads.realname_notice_working_days, 15);
        assert_eq!(r.rectify, RectifyRules::DEFAULT, "the rectify section is untouched");
        let r = Rules::from_toml("[leads.handling]\nordinary = \"county\"\n").unwrap();
        assert_eq!(r.leads.handling.ordinary, crate::leads::report::AdminLevel::County);
        assert_eq!(r.leads.handling.provincial, crate::leads::report::AdminLevel::Province);
    }

    #[test]
    fn the_tasks_section_defaults_overrides_and_names_bad_keys() {
        assert_eq!(Rules::default().tasks, TaskRules::DEFAULT);
        let r = Rules::from_toml("[tasks]\nescalate_after_overdue_working_days = 10\nrollup = \"weighted\"\n").unwrap();
        assert_eq!(r.tasks.escalate_after_overdue_working_days, 10);
        assert_eq!(r.tasks.rollup, crate::tasks::RollupMode::Weighted);
        assert_eq!(r.tasks.accept_within_working_days, TaskRules::DEFAULT.accept_within_working_days);
        let e = Rules::from_toml("[tasks]\naccept_within_days = 3\n").unwrap_err().0;
        assert!(e.contains("accept_within_days") && e.contains("line 2"), "{e}");
        let e = Rules::from_toml("[tasks]\nyellow_working_days = 99\n").unwrap_err().0;
        assert!(e.starts_with("tasks.yellow_working_days"), "{e}");
        let mut r = Rules::default();
        r.tasks.max_breakdown_depth = 3;
        assert_eq!(Rules::from_toml(&r.to_toml()).unwrap(), r);
    }

    #[test]
    fn unknown_or_bad_leads_keys_are_named() {
        let e = Rules::from_toml("[leads]\nletter_reply_days = 10\n").unwrap_err().0;
        assert!(e.contains("letter_reply_days") && e.contains("line 2"), "{e}");
        let e = Rules::from_toml("[leads]\nfeedback_working_days = -1\n").unwrap_err().0;
        assert!(e.starts_with("leads.feedback_working_days"), "{e}");
        let e = Rules::from_toml("[leads]\ndual_inquiry_from = \"first\"\n").unwrap_err().0;
        assert!(e.starts_with("leads.dual_inquiry_from"), "{e}");
        let e = Rules::from_toml("[leads]\ndual_inquiry_from = \"fifth\"\n").unwrap_err().0;
        assert!(e.contains("line 2"), "{e}");
        let e = Rules::from_toml("[leads.handling]\nprovince = \"city\"\n").unwrap_err().0;
        assert!(e.contains("province"), "{e}");
    }
}
