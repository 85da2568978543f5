//! 谈话 and 组织生活: the rules of talks, 三会一课 and the branch roster.
//!
//! A meeting is recorded once — date, topic, host, minutes and attendance
//! marked from the roster — and everything else is derived from those
//! records: whether a branch kept the frequencies of the 支部工作条例
//! ([`compliance`]), attendance rates, whether a 党员大会 decision passed
//! ([`vote`]), who has not had a 谈心谈话 this year, and the registers that
//! offices used to fill in by hand. The frequencies are configuration
//! ([`OrgLifeRules`]) with the 条例's values as defaults.

pub mod compliance;
pub mod input;
pub mod plan;
pub mod vote;

use crate::rectify::code_enum;
use serde::{Deserialize, Serialize};

code_enum! {
    /// 三会一课 and the other forms of organisational life.
    MeetingKind {
        /// 支部党员大会 (第十一条: 一般每季度1次).
        BranchAssembly = "branch_assembly", "支部党员大会", "Branch general meeting";
        /// 支部委员会会议 (第十二条: 一般每月1次).
        BranchCommittee = "branch_committee", "支委会", "Branch committee meeting";
        /// 党小组会 (第十三条: 一般每月1次).
        CellMeeting = "cell_meeting", "党小组会", "Party cell meeting";
        /// 党课 (第十五条; no national frequency).
        PartyLecture = "party_lecture", "党课", "Party lecture";
        /// 主题党日 (第十六条: 每月相对固定1天).
        ThemeDay = "theme_day", "主题党日", "Theme day";
        /// 组织生活会 (第十七条: 每年至少1次).
        LifeMeeting = "life_meeting", "组织生活会", "Organisational life meeting";
        /// 民主生活会 of a leadership team (每年1次).
        DemocraticLifeMeeting = "democratic_life_meeting", "民主生活会", "Democratic life meeting";
        /// 民主评议党员 (第十八条: 一般每年1次).
        MemberReview = "member_review", "民主评议党员", "Democratic review of members";
    }
}

code_enum! {
    /// How often a kind of meeting is due.
    Frequency {
        Monthly = "monthly", "每月", "Monthly";
        Quarterly = "quarterly", "每季度", "Quarterly";
        HalfYearly = "half_yearly", "每半年", "Half-yearly";
        Yearly = "yearly", "每年", "Yearly";
        /// Not tracked (e.g. 党课 where a deployment sets no frequency).
        None = "none", "不作要求", "Not required";
    }
}

code_enum! {
    /// 谈话 kinds.
    TalkKind {
        Political = "political", "政治谈话", "Political talk";
        Integrity = "integrity", "廉政谈话", "Integrity talk";
        HeartToHeart = "heart_to_heart", "谈心谈话", "Heart-to-heart talk";
        Reminder = "reminder", "谈话提醒", "Reminder talk";
        Admonition = "admonition", "诫勉谈话", "Admonition talk";
        Summons = "summons", "约谈", "Summons talk";
    }
}

code_enum! {
    /// 出勤: one member at one meeting.
    AttendanceMark {
        Present = "present", "出席", "Present";
        Leave = "leave", "请假", "On leave";
        Absent = "absent", "缺席", "Absent";
    }
}

code_enum! {
    /// Membership status (正式党员 / 预备党员).
    MemberStatus {
        Formal = "formal", "正式党员", "Full member";
        Probationary = "probationary", "预备党员", "Probationary member";
    }
}

code_enum! {
    /// A member's seat on the 支委会, if any.
    CommitteeRole {
        Secretary = "secretary", "书记", "Secretary";
        DeputySecretary = "deputy_secretary", "副书记", "Deputy secretary";
        Organisation = "organisation", "组织委员", "Organisation member";
        Propaganda = "propaganda", "宣传委员", "Propaganda member";
        Discipline = "discipline", "纪检委员", "Discipline member";
        Other = "other", "委员", "Committee member";
    }
}

impl MeetingKind {
    /// Kinds a 党支部 holds (民主生活会 belongs to leadership teams).
    pub const BRANCH: [MeetingKind; 7] = [
        MeetingKind::BranchAssembly,
        MeetingKind::BranchCommittee,
        MeetingKind::CellMeeting,
        MeetingKind::PartyLecture,
        MeetingKind::ThemeDay,
        MeetingKind::LifeMeeting,
        MeetingKind::MemberReview,
    ];

    /// Whether the meeting can take a vote that the 条例's rule decides.
    pub fn takes_decisions(self) -> bool {
        matches!(self, MeetingKind::BranchAssembly | MeetingKind::BranchCommittee)
    }
}

/// A member's right to vote: 预备党员 have none (党章 第七条), and it is
/// suspended during 留党察看.
pub fn may_vote(status: MemberStatus, suspended: bool) -> bool {
    status == MemberStatus::Formal && !suspended
}

/// The configurable frequencies and thresholds. The defaults are the
/// 支部工作条例's (domain-facts §1.1); 党课 has no national frequency, so its
/// default (quarterly) follows common local rules and is marked as such.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct OrgLifeRules {
    /// 支部党员大会 (第十一条: 一般每季度召开1次).
    pub branch_assembly: Frequency,
    /// 支委会 (第十二条: 一般每月召开1次), where the branch has a committee.
    pub branch_committee: Frequency,
    /// 党小组会 (第十三条: 一般每月召开1次), where the branch has cells.
    pub cell_meeting: Frequency,
    /// 党课: unverified nationally; local rules mostly say quarterly.
    pub party_lecture: Frequency,
    /// 主题党日 (第十六条: 每月相对固定1天).
    pub theme_day: Frequency,
    /// 组织生活会 (第十七条: 每年至少1次).
    pub life_meeting: Frequency,
    /// 民主评议党员 (第十八条: 一般每年1次).
    pub member_review: Frequency,
    /// 民主生活会 of a leadership team (若干规定: 每年1次).
    pub democratic_life_meeting: Frequency,
    /// 谈心谈话 each member should have per year (第十九条: 一般不少于1次).
    pub heart_to_heart_per_year: u32,
    /// Turnout below this share (percent) is flagged; a local rule (80–85%).
    pub turnout_flag_percent: u32,
    /// A branch keeps a 支委会 when it has at least this many 正式党员 (第九条: 7).
    pub committee_min_formal: u32,
}

impl OrgLifeRules {
    pub const DEFAULT: OrgLifeRules = OrgLifeRules {
        branch_assembly: Frequency::Quarterly,
        branch_committee: Frequency::Monthly,
        cell_meeting: Frequency::Monthly,
        party_lecture: Frequency::Quarterly,
        theme_day: Frequency::Monthly,
        life_meeting: Frequency::Yearly,
        member_review: Frequency::Yearly,
        democratic_life_meeting: Frequency::Yearly,
        heart_to_heart_per_year: 1,
        turnout_flag_percent: 80,
        committee_min_formal: 7,
    };

    pub fn frequency(&self, kind: MeetingKind) -> Frequency {
        match kind {
            MeetingKind::BranchAssembly => self.branch_assembly,
            MeetingKind::BranchCommittee => self.branch_committee,
            MeetingKind::CellMeeting => self.cell_meeting,
            MeetingKind::PartyLecture => self.party_lecture,
            MeetingKind::ThemeDay => self.theme_day,
            MeetingKind::LifeMeeting => self.life_meeting,
            MeetingKind::MemberReview => self.member_review,
            MeetingKind::DemocraticLifeMeeting => self.democratic_life_meeting,
        }
    }

    /// Range checks, naming the key.
    pub fn check(&self) -> Result<(), String> {
        if !(1..=12).contains(&self.heart_to_heart_per_year) {
            return Err("orglife.heart_to_heart_per_year: must be 1–12".into());
        }
        if self.turnout_flag_percent > 100 {
            return Err("orglife.turnout_flag_percent: must be 0–100".into());
        }
        if !(3..=50).contains(&self.committee_min_formal) {
            return Err("orglife.committee_min_formal: must be 3–50".into());
        }
        Ok(())
    }
}

impl Default for OrgLifeRules {
    fn default() -> Self {
        OrgLifeRules::DEFAULT
    }
}

/// What a branch must hold, given its make-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BranchShape {
    /// 正式党员 on the roster.
    pub formal_members: u32,
    /// Members holding a 支委会 seat.
    pub committee_members: u32,
    /// 党小组 under the branch.
    pub cells: u32,
}

/// The kinds a branch is held to, with their frequency: a branch without
/// a committee (fewer than 7 正式党员 and no seats beyond the 书记) is not
/// held to monthly 支委会, one without 党小组 not to 党小组会.
pub fn required_kinds(rules: &OrgLifeRules, shape: BranchShape) -> Vec<(MeetingKind, Frequency)> {
    MeetingKind::BRANCH
        .into_iter()
        .filter(|k| match k {
            MeetingKind::BranchCommittee => {
                shape.formal_members >= rules.committee_min_formal || shape.committee_members >= 3
            }
            MeetingKind::CellMeeting => shape.cells > 0,
            _ => true,
        })
        .map(|k| (k, rules.frequency(k)))
        .filter(|(_, f)| *f != Frequency::None)
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn probationary_members_and_members_under_probation_may_not_vote() {
        assert!(may_vote(MemberStatus::Formal, false));
        assert!(!may_vote(MemberStatus::Probationary, false));
        assert!(!may_vote(MemberStatus::Formal, true));
    }

    #[test]
    fn defaults_follow_the_branch_work_regulation() {
        let r = OrgLifeRules::default();
        assert_eq!(r.frequency(MeetingKind::BranchAssembly), Frequency::Quarterly);
        assert_eq!(r.frequency(MeetingKind::BranchCommittee), Frequency::Monthly);
        assert_eq!(r.frequency(MeetingKind::ThemeDay), Frequency::Monthly);
        assert_eq!(r.frequency(MeetingKind::LifeMeeting), Frequency::Yearly);
        assert_eq!(r.heart_to_heart_per_year, 1);
        assert!(r.check().is_ok());
    }

    #[test]
    fn small_branch_without_committee_or_cells_is_not_held_to_their_meetings() {
        let r = OrgLifeRules::default();
        let small = required_kinds(&r, BranchShape { formal_members: 5, committee_members: 1, cells: 0 });
        assert!(!small.iter().any(|(k, _)| *k == MeetingKind::BranchCommittee));
        assert!(!small.iter().any(|(k, _)| *k == MeetingKind::CellMeeting));
        let big = required_kinds(&r, BranchShape { formal_members: 9, committee_members: 3, cells: 2 });
        assert!(big.iter().any(|(k, _)| *k == MeetingKind::BranchCommittee));
        assert!(big.iter().any(|(k, _)| *k == MeetingKind::CellMeeting));
    }

    #[test]
    fn a_kind_set_to_none_is_not_required() {
        let r = OrgLifeRules { party_lecture: Frequency::None, ..OrgLifeRules::default() };
        let kinds = required_kinds(&r, BranchShape { formal_members: 9, committee_members: 3, cells: 0 });
        assert!(!kinds.iter().any(|(k, _)| *k == MeetingKind::PartyLecture));
    }

    #[test]
    fn rules_check_names_the_key() {
        let r = OrgLifeRules { heart_to_heart_per_year: 0, ..OrgLifeRules::default() };
        assert!(r.check().unwrap_err().contains("orglife.heart_to_heart_per_year"));
    }
}
