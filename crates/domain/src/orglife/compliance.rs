//! Compliance computed from the meeting records: for each period a kind of
//! meeting is due in (a month, a quarter, …), was one held?

use super::{Frequency, MeetingKind};
use crate::msg::Msg;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;
use std::collections::{BTreeMap, BTreeSet};

/// One period of a frequency, both ends inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Period {
    pub start: Date,
    pub end: Date,
}

impl Period {
    pub fn contains(&self, d: Date) -> bool {
        self.start <= d && d <= self.end
    }

    /// Short label: 2026年3月, 2026年第1季度, 2026年上半年, 2026年.
    pub fn label(&self, f: Frequency) -> Msg {
        let y = self.start.year();
        let m = self.start.month();
        match f {
            Frequency::Monthly => Msg::owned(format!("{y}年{m}月"), format!("{y}-{m:02}")),
            Frequency::Quarterly => {
                let q = (m - 1) / 3 + 1;
                Msg::owned(format!("{y}年第{q}季度"), format!("{y} Q{q}"))
            }
            Frequency::HalfYearly => {
                let (zh, en) = if m <= 6 { ("上半年", "H1") } else { ("下半年", "H2") };
                Msg::owned(format!("{y}年{zh}"), format!("{y} {en}"))
            }
            Frequency::Yearly | Frequency::None => Msg::owned(format!("{y}年"), format!("{y}")),
        }
    }
}

/// The period of `f` that contains `d` (`None` for [`Frequency::None`]).
pub fn period_of(f: Frequency, d: Date) -> Option<Period> {
    let months: i8 = match f {
        Frequency::Monthly => 1,
        Frequency::Quarterly => 3,
        Frequency::HalfYearly => 6,
        Frequency::Yearly => 12,
        Frequency::None => return None,
    };
    let first_month = (d.month() - 1) / months * months + 1;
    let start = Date::new(d.year(), first_month, 1).ok()?;
    let end = start.checked_add(i32::from(months).months()).ok()?.checked_sub(1.day()).ok()?;
    Some(Period { start, end })
}

/// The periods of `f` that overlap `[from, to]`, in order.
pub fn periods(f: Frequency, from: Date, to: Date) -> Vec<Period> {
    let mut out = Vec::new();
    let mut cursor = from;
    while cursor <= to && out.len() < 1200 {
        let Some(p) = period_of(f, cursor) else { break };
        out.push(p);
        match p.end.tomorrow() {
            Ok(next) => cursor = next,
            Err(_) => break,
        }
    }
    out
}

/// The state of one period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SlotStatus {
    /// At least one meeting was held in the period.
    Done,
    /// The period is running and nothing is held yet (待召开).
    Due,
    /// The period is over and nothing was held (未按期召开).
    Missed,
    /// The period has not begun.
    Upcoming,
}

impl SlotStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            SlotStatus::Done => "done",
            SlotStatus::Due => "due",
            SlotStatus::Missed => "missed",
            SlotStatus::Upcoming => "upcoming",
        }
    }

    pub fn label(self) -> Msg {
        match self {
            SlotStatus::Done => Msg::new("已召开", "Held"),
            SlotStatus::Due => Msg::new("待召开", "Due"),
            SlotStatus::Missed => Msg::new("未按期召开", "Missed"),
            SlotStatus::Upcoming => Msg::new("未到期", "Not yet due"),
        }
    }
}

/// One period with what was held in it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Slot {
    pub period: Period,
    pub held: u32,
    pub status: SlotStatus,
}

/// Counts over a set of slots.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Summary {
    pub done: u32,
    pub due: u32,
    pub missed: u32,
}

impl Summary {
    pub fn add(&mut self, other: Summary) {
        self.done += other.done;
        self.due += other.due;
        self.missed += other.missed;
    }

    /// Share of the periods that are over (or done early) that were kept,
    /// in tenths of a percent; `None` when nothing was due yet.
    pub fn rate_permille(&self) -> Option<u32> {
        let settled = self.done + self.missed;
        (settled > 0).then(|| self.done * 1000 / settled)
    }
}

/// The slots of one kind of meeting in `[from, to]` as of `today`, from
/// the dates the meetings were held on.
pub fn slots(f: Frequency, held_on: &[Date], from: Date, to: Date, today: Date) -> Vec<Slot> {
    periods(f, from, to)
        .into_iter()
        .map(|period| {
            let held = held_on.iter().filter(|d| period.contains(**d)).count() as u32;
            let status = if held > 0 {
                SlotStatus::Done
            } else if period.end < today {
                SlotStatus::Missed
            } else if period.start <= today {
                SlotStatus::Due
            } else {
                SlotStatus::Upcoming
            };
            Slot { period, held, status }
        })
        .collect()
}

pub fn summarise(slots: &[Slot]) -> Summary {
    let mut s = Summary::default();
    for slot in slots {
        match slot.status {
            SlotStatus::Done => s.done += 1,
            SlotStatus::Due => s.due += 1,
            SlotStatus::Missed => s.missed += 1,
            SlotStatus::Upcoming => {}
        }
    }
    s
}

/// A branch's compliance: one row of slots per required kind.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KindCompliance {
    pub kind: MeetingKind,
    pub frequency: Frequency,
    pub slots: Vec<Slot>,
    pub summary: Summary,
}

pub fn branch_compliance(
    required: &[(MeetingKind, Frequency)],
    held: &[(MeetingKind, Date)],
    from: Date,
    to: Date,
    today: Date,
) -> Vec<KindCompliance> {
    required
        .iter()
        .map(|&(kind, frequency)| {
            let dates: Vec<Date> = held.iter().filter(|(k, _)| *k == kind).map(|(_, d)| *d).collect();
            let slots = slots(frequency, &dates, from, to, today);
            let summary = summarise(&slots);
            KindCompliance { kind, frequency, slots, summary }
        })
        .collect()
}

/// 谈心谈话 coverage: the members (by id) who have had fewer than `per_year`
/// heart-to-heart talks in the year, on either side of the talk.
pub fn talk_gaps<Id: Ord + Copy>(members: &[Id], talks: &[Vec<Id>], per_year: u32) -> Vec<Id> {
    let mut count: BTreeMap<Id, u32> = BTreeMap::new();
    for people in talks {
        let unique: BTreeSet<Id> = people.iter().copied().collect();
        for id in unique {
            *count.entry(id).or_default() += 1;
        }
    }
    members.iter().copied().filter(|m| count.get(m).copied().unwrap_or(0) < per_year).collect()
}

/// Attendance rate in tenths of a percent: present over should attend.
pub fn attendance_permille(present: u32, expected: u32) -> Option<u32> {
    (expected > 0).then(|| present.min(expected) * 1000 / expected)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn periods_cover_months_quarters_and_years() {
        let q = periods(Frequency::Quarterly, date(2026, 2, 10), date(2026, 8, 1));
        assert_eq!(q.len(), 3);
        assert_eq!(q[0], Period { start: date(2026, 1, 1), end: date(2026, 3, 31) });
        assert_eq!(q[2].end, date(2026, 9, 30));
        let m = periods(Frequency::Monthly, date(2026, 1, 1), date(2026, 12, 31));
        assert_eq!(m.len(), 12);
        assert_eq!(m[1].end, date(2026, 2, 28));
        assert_eq!(periods(Frequency::Yearly, date(2025, 6, 1), date(2026, 1, 1)).len(), 2);
        assert!(periods(Frequency::None, date(2026, 1, 1), date(2026, 12, 31)).is_empty());
    }

    #[test]
    fn two_committee_meetings_in_a_quarter_leave_one_month_missed() {
        let held = [date(2026, 4, 8), date(2026, 6, 12)];
        let s = slots(Frequency::Monthly, &held, date(2026, 4, 1), date(2026, 6, 30), date(2026, 11, 20));
        assert_eq!(s.iter().map(|s| s.status).collect::<Vec<_>>(), [SlotStatus::Done, SlotStatus::Missed, SlotStatus::Done]);
        assert_eq!(summarise(&s), Summary { done: 2, due: 0, missed: 1 });
    }

    #[test]
    fn the_running_period_is_due_not_missed_and_future_ones_are_not_counted() {
        let s = slots(Frequency::Monthly, &[], date(2026, 11, 1), date(2026, 12, 31), date(2026, 11, 20));
        assert_eq!(s[0].status, SlotStatus::Due);
        assert_eq!(s[1].status, SlotStatus::Upcoming);
        assert_eq!(summarise(&s), Summary { done: 0, due: 1, missed: 0 });
    }

    #[test]
    fn two_meetings_in_one_month_do_not_make_up_for_a_missed_month() {
        let held = [date(2026, 3, 2), date(2026, 3, 30)];
        let s = slots(Frequency::Monthly, &held, date(2026, 2, 1), date(2026, 3, 31), date(2026, 11, 20));
        assert_eq!(summarise(&s), Summary { done: 1, due: 0, missed: 1 });
        assert_eq!(s[1].held, 2);
    }

    #[test]
    fn compliance_rate_counts_only_settled_periods() {
        assert_eq!(Summary { done: 3, due: 1, missed: 1 }.rate_permille(), Some(750));
        assert_eq!(Summary { done: 0, due: 1, missed: 0 }.rate_permille(), None);
    }

    #[test]
    fn members_without_a_heart_to_heart_talk_this_year_are_listed() {
        let members = [1, 2, 3, 4];
        let talks = vec![vec![1, 2], vec![2, 3]];
        assert_eq!(talk_gaps(&members, &talks, 1), vec![4]);
        assert_eq!(talk_gaps(&members, &talks, 2), vec![1, 3, 4]);
    }

    #[test]
    fn period_labels_read_as_offices_write_them() {
        let p = period_of(Frequency::Quarterly, date(2026, 5, 3)).unwrap();
        assert_eq!(p.label(Frequency::Quarterly).zh, "2026年第2季度");
        assert_eq!(period_of(Frequency::Monthly, date(2026, 5, 3)).unwrap().label(Frequency::Monthly).zh, "2026年5月");
    }

    #[test]
    fn attendance_rate_is_present_over_expected() {
        assert_eq!(attendance_permille(9, 12), Some(750));
        assert_eq!(attendance_permille(0, 0), None);
    }
}
