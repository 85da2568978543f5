//! Quorum and voting (支部工作条例 第十一条、第十二条; domain-facts §1.2).
//!
//! A 党员大会 may vote only when more than half of the members with a vote
//! are present; a motion passes only when the yes votes are more than half
//! of the voting members who *should* attend — not of those present. So 9
//! of 15 present is a quorum, yet 7 yes votes do not pass (7 is not more
//! than half of 15); 8 do.

use super::MeetingKind;
use crate::msg::{Msg, Validation};
use serde::Serialize;

/// The count of one vote.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Tally {
    /// Members with a vote who should attend (应到会有表决权的党员).
    pub entitled: u32,
    /// Of them, present.
    pub present: u32,
    pub yes: u32,
    pub no: u32,
    pub abstain: u32,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Outcome {
    /// Not enough voting members present: the vote may not be held.
    NoQuorum,
    Passed,
    NotPassed,
}

impl Outcome {
    pub fn as_str(self) -> &'static str {
        match self {
            Outcome::NoQuorum => "no_quorum",
            Outcome::Passed => "passed",
            Outcome::NotPassed => "not_passed",
        }
    }

    pub fn parse(s: &str) -> Option<Outcome> {
        [Outcome::NoQuorum, Outcome::Passed, Outcome::NotPassed].into_iter().find(|o| o.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Outcome::NoQuorum => Msg::new("不足法定人数，不能表决", "No quorum"),
            Outcome::Passed => Msg::new("通过", "Passed"),
            Outcome::NotPassed => Msg::new("未通过", "Not passed"),
        }
    }
}

/// The decision with the reason in words.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Decision {
    pub outcome: Outcome,
    pub reason: Msg,
    /// Yes votes a pass needs.
    pub needed: u32,
}

/// More than half: the smallest n with 2n > total.
pub fn more_than_half(total: u32) -> u32 {
    total / 2 + 1
}

/// Checks the counts themselves (they name the field).
pub fn check(t: &Tally) -> Result<(), Validation> {
    let mut v = Validation::new();
    if t.entitled == 0 {
        v.add("entitled", Msg::new("应到会有表决权的党员人数须大于0", "must be more than 0"));
    }
    if t.present > t.entitled {
        v.add(
            "present",
            Msg::owned(
                format!("实到{}人，多于应到{}人", t.present, t.entitled),
                format!("{} present is more than the {} entitled", t.present, t.entitled),
            ),
        );
    }
    let cast = t.yes + t.no + t.abstain;
    if cast > t.present {
        v.add(
            "yes",
            Msg::owned(
                format!("赞成、反对、弃权共{cast}票，多于实到有表决权党员{}人", t.present),
                format!("{cast} votes cast but only {} voting members present", t.present),
            ),
        );
    }
    v.into_result()
}

/// Decides a 党员大会 vote.
pub fn decide(t: &Tally) -> Result<Decision, Validation> {
    check(t)?;
    let quorum = more_than_half(t.entitled);
    let needed = more_than_half(t.entitled);
    if t.present < quorum {
        return Ok(Decision {
            outcome: Outcome::NoQuorum,
            needed,
            reason: Msg::owned(
                format!(
                    "有表决权的党员应到{}人、实到{}人，未超过半数（至少需{}人到会），不能进行表决",
                    t.entitled, t.present, quorum
                ),
                format!(
                    "{} of {} voting members present, not more than half (at least {quorum} needed): no vote may be held",
                    t.present, t.entitled
                ),
            ),
        });
    }
    if t.yes >= needed {
        Ok(Decision {
            outcome: Outcome::Passed,
            needed,
            reason: Msg::owned(
                format!("赞成{}票，超过应到会有表决权党员{}人的半数（至少{}票），通过", t.yes, t.entitled, needed),
                format!("{} yes, more than half of the {} entitled to vote (at least {needed}): passed", t.yes, t.entitled),
            ),
        })
    } else {
        Ok(Decision {
            outcome: Outcome::NotPassed,
            needed,
            reason: Msg::owned(
                format!(
                    "赞成{}票，未超过应到会有表决权党员{}人的半数（至少需{}票）——按应到人数而非实到{}人计算，未通过",
                    t.yes, t.entitled, needed, t.present
                ),
                format!(
                    "{} yes is not more than half of the {} entitled to vote (at least {needed} needed) — counted on those who should attend, not the {} present: not passed",
                    t.yes, t.entitled, t.present
                ),
            ),
        })
    }
}

/// Whether a meeting had enough of its members present: 支委会 more than
/// half of the 委员 (第十二条); 民主生活会 at least two thirds (若干规定);
/// 党员大会 more than half of the voting members (第十一条).
pub fn quorum(kind: MeetingKind, expected: u32, present: u32) -> Option<bool> {
    match kind {
        MeetingKind::BranchCommittee | MeetingKind::BranchAssembly => Some(present >= more_than_half(expected)),
        MeetingKind::DemocraticLifeMeeting => Some(present * 3 >= expected * 2),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t(entitled: u32, present: u32, yes: u32) -> Tally {
        Tally { entitled, present, yes, no: present - yes, abstain: 0 }
    }

    #[test]
    fn seven_yes_of_fifteen_entitled_is_not_passed_even_with_quorum() {
        let d = decide(&t(15, 9, 7)).unwrap();
        assert_eq!(d.outcome, Outcome::NotPassed);
        assert_eq!(d.needed, 8);
        assert!(d.reason.zh.contains("未超过应到会有表决权党员15人的半数"), "{}", d.reason.zh);
    }

    #[test]
    fn eight_yes_of_fifteen_entitled_passes() {
        let d = decide(&t(15, 9, 8)).unwrap();
        assert_eq!(d.outcome, Outcome::Passed);
    }

    #[test]
    fn no_vote_without_more_than_half_present() {
        assert_eq!(decide(&t(15, 7, 7)).unwrap().outcome, Outcome::NoQuorum);
        assert_eq!(decide(&t(14, 7, 7)).unwrap().outcome, Outcome::NoQuorum);
        assert_eq!(decide(&t(14, 8, 8)).unwrap().outcome, Outcome::Passed);
    }

    #[test]
    fn impossible_counts_name_the_field() {
        let e = decide(&Tally { entitled: 10, present: 11, ..Default::default() }).unwrap_err();
        assert!(e.has("present"));
        let e = decide(&Tally { entitled: 10, present: 6, yes: 5, no: 2, abstain: 0 }).unwrap_err();
        assert!(e.has("yes"));
        assert!(decide(&Tally::default()).unwrap_err().has("entitled"));
    }

    #[test]
    fn committee_needs_more_than_half_and_democratic_life_meeting_two_thirds() {
        assert_eq!(quorum(MeetingKind::BranchCommittee, 5, 3), Some(true));
        assert_eq!(quorum(MeetingKind::BranchCommittee, 4, 2), Some(false));
        assert_eq!(quorum(MeetingKind::DemocraticLifeMeeting, 9, 6), Some(true));
        assert_eq!(quorum(MeetingKind::DemocraticLifeMeeting, 9, 5), Some(false));
        assert_eq!(quorum(MeetingKind::ThemeDay, 9, 1), None);
    }
}
