//! 问题清单 → 整改 → 销号: the rules of the rectification module.
//!
//! Problems found by 巡视巡察, 审计, 督察, 信访, 自查 and the media are listed
//! in batches, driven through a fixed lifecycle ([`lifecycle`]) to a closure
//! that a reviewer of the issuing side approves, checked again by a
//! look-back (回头看) and by unannounced spot checks (四不两直, [`spot`]). The
//! colour of every problem is computed ([`schedule`]), never typed, and every
//! figure reported upward is a sum of per-problem contributions ([`tally`]).

pub mod disclosure;
pub mod eight_rules;
pub mod evidence;
pub mod import;
pub mod input;
pub mod lifecycle;
pub mod schedule;
pub mod spot;
pub mod tally;

use serde::{Deserialize, Serialize};

macro_rules! code_enum {
    ($(#[$m:meta])* $name:ident { $($(#[$vm:meta])* $v:ident = $code:literal, $zh:literal, $en:literal;)+ }) => {
        $(#[$m])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, ::serde::Serialize, ::serde::Deserialize)]
        #[serde(rename_all = "snake_case")]
        pub enum $name { $($(#[$vm])* $v,)+ }

        impl $name {
            pub const ALL: &'static [$name] = &[$($name::$v,)+];

            /// Stable code stored in the database and used by the API.
            pub fn as_str(self) -> &'static str {
                match self { $($name::$v => $code,)+ }
            }

            pub fn parse(s: &str) -> Option<$name> {
                match s { $($code => Some($name::$v),)+ _ => None }
            }

            pub fn label(self) -> $crate::msg::Msg {
                match self { $($name::$v => $crate::msg::Msg::new($zh, $en),)+ }
            }

            /// Parses a code or a Chinese label (as typed in a spreadsheet).
            pub fn from_label(s: &str) -> Option<$name> {
                let s = s.trim();
                $name::parse(s).or_else(|| $name::ALL.iter().copied().find(|v| v.label().zh == s))
            }
        }

        impl $crate::msg::Coded for $name {
            fn all() -> &'static [$name] {
                $name::ALL
            }
            fn code(self) -> &'static str {
                self.as_str()
            }
            fn text(self) -> $crate::msg::Msg {
                self.label()
            }
        }
    };
}
pub(crate) use code_enum;

code_enum! {
    /// 问题来源.
    Source {
        InspectionTour = "inspection_tour", "巡视", "Central/provincial inspection tour";
        Patrol = "patrol", "巡察", "City/county inspection";
        Audit = "audit", "审计", "Audit";
        Supervision = "supervision", "督察", "Supervision (督察)";
        Petition = "petition", "信访", "Petitions and reports";
        SelfCheck = "self_check", "自查", "Self-inspection";
        Media = "media", "媒体", "Media";
        OnlineOpinion = "online_opinion", "舆情", "Online opinion";
        Talk = "talk", "谈话", "Talk";
    }
}

code_enum! {
    /// 根源分类: why the problem arose.
    RootCause {
        Mindset = "mindset", "思想根子", "Mindset";
        Capability = "capability", "能力本领", "Capability";
        Institution = "institution", "制度机制", "Institutions";
        Responsibility = "responsibility", "责任落实", "Responsibility";
    }
}

code_enum! {
    /// Where a problem stands in its lifecycle.
    ProblemStatus {
        /// 待认领: issued, the lead unit has not taken it on yet.
        Unclaimed = "unclaimed", "待认领", "To be claimed";
        /// 整改中.
        InProgress = "in_progress", "整改中", "In progress";
        /// 申请销号: waiting for the issuing side's review.
        ClosureRequested = "closure_requested", "申请销号", "Closure requested";
        /// 已销号.
        Closed = "closed", "已销号", "Closed";
    }
}

code_enum! {
    /// 整改措施 status.
    MeasureStatus {
        Open = "open", "推进中", "Open";
        Done = "done", "已完成", "Done";
    }
}

code_enum! {
    /// 预警: the computed colour of a problem.
    Warning {
        /// 按序推进.
        Green = "green", "按序推进", "On schedule";
        /// 滞后预警: behind the planned progress or close to the deadline.
        Yellow = "yellow", "滞后预警", "Behind / deadline near";
        /// 逾期.
        Red = "red", "逾期", "Overdue";
        /// Closed problems carry no warning.
        Done = "done", "已完成", "Done";
    }
}

code_enum! {
    /// 群众评议 rating.
    Rating {
        Satisfied = "satisfied", "满意", "Satisfied";
        Basic = "basic", "基本满意", "Basically satisfied";
        Dissatisfied = "dissatisfied", "不满意", "Dissatisfied";
    }
}

/// The configurable numbers of the module. Defaults follow common practice
/// (see `shared/research/domain-facts.md` §8); none of them is a national
/// rule, so each deployment may change them.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct RectifyRules {
    /// 回头看 this many months after closure.
    pub lookback_months: u8,
    /// Yellow when the deadline is this many working days away or fewer.
    pub yellow_working_days: i32,
    /// Largest evidence file accepted.
    pub evidence_max_bytes: u64,
    /// Unreviewed 不满意 ratings that block closure.
    pub dissatisfied_block: u32,
    /// A closure request in the last N working days before its deadline is "late".
    pub burst_window_working_days: i32,
    /// A unit is flagged when at least this many of its requests are late…
    pub burst_min_requests: u32,
    /// …and they are at least this share of its requests.
    pub burst_share: f64,
}

impl RectifyRules {
    /// The defaults, usable in `static`s.
    pub const DEFAULT: RectifyRules = RectifyRules {
        lookback_months: 6,
        yellow_working_days: 5,
        evidence_max_bytes: 20 * 1024 * 1024,
        dissatisfied_block: 3,
        burst_window_working_days: 3,
        burst_min_requests: 3,
        burst_share: 0.5,
    };
}

impl Default for RectifyRules {
    fn default() -> Self {
        RectifyRules::DEFAULT
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_and_labels_round_trip() {
        for s in Source::ALL {
            assert_eq!(Source::parse(s.as_str()), Some(*s));
            assert_eq!(Source::from_label(&s.label().zh), Some(*s));
        }
        for r in RootCause::ALL {
            assert_eq!(RootCause::from_label(&r.label().zh), Some(*r));
        }
        assert_eq!(ProblemStatus::from_label(" 已销号 "), Some(ProblemStatus::Closed));
        assert_eq!(Source::from_label("不存在"), None);
    }
}
