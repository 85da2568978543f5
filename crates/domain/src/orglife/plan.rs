//! The annual plan a branch makes once: one item for every period each
//! required kind of meeting is due in, on a fixed day, with a topic the
//! branch then rewords.

use super::compliance::periods;
use super::input::PlanItemSpec;
use super::{Frequency, MeetingKind};
use jiff::civil::Date;

/// The day of the period's last month a kind is planned on (offices fix a
/// day: 支委会 early in the month, 主题党日 mid-month, and so on).
fn day_of(kind: MeetingKind) -> i8 {
    match kind {
        MeetingKind::BranchCommittee => 8,
        MeetingKind::ThemeDay => 15,
        MeetingKind::CellMeeting => 20,
        MeetingKind::PartyLecture => 22,
        MeetingKind::BranchAssembly => 25,
        MeetingKind::LifeMeeting => 10,
        MeetingKind::MemberReview => 18,
        MeetingKind::DemocraticLifeMeeting => 20,
    }
}

fn topic(kind: MeetingKind, start: Date, f: Frequency) -> String {
    let m = start.month();
    let q = (m - 1) / 3 + 1;
    match (kind, f) {
        (MeetingKind::BranchCommittee, _) => format!("{m}月支委会：研究部署当月党建和业务工作"),
        (MeetingKind::ThemeDay, _) => format!("{m}月主题党日：集中学习和志愿服务"),
        (MeetingKind::CellMeeting, _) => format!("{m}月党小组会：政治学习和谈心交流"),
        (MeetingKind::BranchAssembly, Frequency::Quarterly) => format!("第{q}季度支部党员大会"),
        (MeetingKind::PartyLecture, Frequency::Quarterly) => format!("第{q}季度党课"),
        (MeetingKind::BranchAssembly, _) => "支部党员大会".into(),
        (MeetingKind::PartyLecture, _) => "党课".into(),
        (MeetingKind::LifeMeeting, _) => "年度组织生活会".into(),
        (MeetingKind::MemberReview, _) => "民主评议党员".into(),
        (MeetingKind::DemocraticLifeMeeting, _) => "年度民主生活会".into(),
    }
}

/// The default plan of `year` for the `required` kinds.
pub fn default_plan(required: &[(MeetingKind, Frequency)], year: i16) -> Vec<PlanItemSpec> {
    let (Ok(from), Ok(to)) = (Date::new(year, 1, 1), Date::new(year, 12, 31)) else { return Vec::new() };
    let mut out = Vec::new();
    for &(kind, f) in required {
        for p in periods(f, from, to) {
            // Yearly items go in the fourth quarter (第十七条: 一般安排在第四季度).
            let last = if f == Frequency::Yearly { Date::new(year, 12, 1).unwrap_or(p.end) } else { p.end.first_of_month() };
            let planned_on = Date::new(last.year(), last.month(), day_of(kind)).unwrap_or(last);
            out.push(PlanItemSpec { kind, planned_on, topic: topic(kind, p.start, f) });
        }
    }
    out.sort_by_key(|p| (p.planned_on, p.kind));
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orglife::{BranchShape, OrgLifeRules, required_kinds};

    #[test]
    fn the_default_plan_has_one_item_per_due_period() {
        let r = OrgLifeRules::default();
        let kinds = required_kinds(&r, BranchShape { formal_members: 9, committee_members: 3, cells: 0 });
        let plan = default_plan(&kinds, 2026);
        let count = |k| plan.iter().filter(|p| p.kind == k).count();
        assert_eq!(count(MeetingKind::BranchCommittee), 12);
        assert_eq!(count(MeetingKind::ThemeDay), 12);
        assert_eq!(count(MeetingKind::BranchAssembly), 4);
        assert_eq!(count(MeetingKind::PartyLecture), 4);
        assert_eq!(count(MeetingKind::LifeMeeting), 1);
        assert_eq!(count(MeetingKind::CellMeeting), 0);
        assert!(plan.iter().all(|p| p.planned_on.year() == 2026));
        let life = plan.iter().find(|p| p.kind == MeetingKind::LifeMeeting).unwrap();
        assert_eq!(life.planned_on.month(), 12);
        let q1 = plan.iter().find(|p| p.kind == MeetingKind::BranchAssembly).unwrap();
        assert_eq!(q1.planned_on, jiff::civil::date(2026, 3, 25));
        assert!(plan.windows(2).all(|w| w[0].planned_on <= w[1].planned_on));
    }
}
