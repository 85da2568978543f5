//! 序时进度 and 预警: the colour of a problem is computed from its deadline,
//! its planned progress and the measures actually done — in working days on
//! the official calendar, never typed.

use super::{ProblemStatus, RectifyRules, Warning};
use crate::calendar::Calendar;
use crate::msg::{Msg, Validation};
use jiff::ToSpan;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};

/// One point of the planned schedule: by `date`, `percent` should be done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Milestone {
    pub date: Date,
    pub percent: u8,
}

/// Checks a schedule: dates strictly increasing, percentages strictly
/// increasing within 1–100, no milestone after the deadline.
pub fn validate_schedule(milestones: &[Milestone], deadline: Date) -> Result<(), Validation> {
    let mut v = Validation::new();
    for (i, m) in milestones.iter().enumerate() {
        if !(1..=100).contains(&m.percent) {
            v.add("schedule", Msg::new("序时进度的百分比应在1到100之间", "percentages must be between 1 and 100"));
        }
        if m.date > deadline {
            v.add("schedule", Msg::new("序时进度的节点不能晚于整改时限", "no milestone may fall after the deadline"));
        }
        if i > 0 && (m.date <= milestones[i - 1].date || m.percent <= milestones[i - 1].percent) {
            v.add("schedule", Msg::new("序时进度的日期和百分比都应逐项递增", "dates and percentages must increase"));
        }
    }
    v.0.dedup();
    v.into_result()
}

/// Parses a schedule typed as lines `2026-06-30 50` (or `2026-06-30,50%`).
pub fn parse_schedule(text: &str) -> Result<Vec<Milestone>, Msg> {
    let mut out = Vec::new();
    for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        let cleaned = line.replace(['，', ',', '%', '％', '\t'], " ");
        let mut parts = cleaned.split_whitespace();
        let (Some(d), Some(p), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(Msg::owned(
                format!("第{}行应为“日期 百分比”，如 2026-06-30 50", n + 1),
                format!("line {} should be `date percent`, e.g. 2026-06-30 50", n + 1),
            ));
        };
        let date: Date = d.parse().map_err(|_| {
            Msg::owned(format!("第{}行的日期“{d}”无效", n + 1), format!("line {}: `{d}` is not a date", n + 1))
        })?;
        let percent: u8 = p.parse().map_err(|_| {
            Msg::owned(format!("第{}行的百分比“{p}”无效", n + 1), format!("line {}: `{p}` is not a percentage", n + 1))
        })?;
        out.push(Milestone { date, percent });
    }
    Ok(out)
}

/// The planned percentage at `today`: the last milestone reached (a step
/// function), 0 before the first.
pub fn expected_percent(milestones: &[Milestone], today: Date) -> u8 {
    milestones.iter().filter(|m| m.date <= today).map(|m| m.percent).max().unwrap_or(0)
}

/// Actual progress, derived from the measures: the share of linked measures done.
pub fn actual_percent(done: u32, total: u32) -> u8 {
    if total == 0 { 0 } else { ((u64::from(done) * 100) / u64::from(total)).min(100) as u8 }
}

/// What the colour is computed from.
#[derive(Debug, Clone, Copy)]
pub struct WarningInput<'a> {
    pub status: ProblemStatus,
    pub deadline: Date,
    pub milestones: &'a [Milestone],
    /// Measures done / linked.
    pub measures_done: u32,
    pub measures_total: u32,
    /// When closure was requested (the clock stops while the reviewer decides).
    pub requested_on: Option<Date>,
}

/// The colour of a problem on `today`, with the reason.
///
/// * done — closed;
/// * red — the deadline has passed (for a pending closure request: it was
///   filed after the deadline);
/// * yellow — behind the planned progress, or the deadline is within
///   `rules.yellow_working_days` working days;
/// * green — otherwise.
pub fn warning(cal: &Calendar, rules: &RectifyRules, w: &WarningInput<'_>, today: Date) -> (Warning, Msg) {
    if w.status == ProblemStatus::Closed {
        return (Warning::Done, Msg::new("已销号", "closed"));
    }
    let as_of = match (w.status, w.requested_on) {
        (ProblemStatus::ClosureRequested, Some(d)) => d.min(today),
        _ => today,
    };
    if as_of > w.deadline {
        let late = cal.working_days_between(w.deadline, as_of).map(|r| r.value).unwrap_or(0);
        return (
            Warning::Red,
            Msg::owned(format!("已超过整改时限{late}个工作日"), format!("{late} working day(s) past the deadline")),
        );
    }
    if w.status == ProblemStatus::ClosureRequested {
        return (Warning::Green, Msg::new("已在时限内申请销号，待审核", "closure requested in time, awaiting review"));
    }
    let expected = expected_percent(w.milestones, as_of);
    let actual = actual_percent(w.measures_done, w.measures_total);
    if actual < expected {
        return (
            Warning::Yellow,
            Msg::owned(
                format!("序时进度应达{expected}%，实际{actual}%"),
                format!("planned {expected}% by now, actual {actual}%"),
            ),
        );
    }
    let left = cal.working_days_between(as_of, w.deadline).map(|r| r.value).unwrap_or(i32::MAX);
    if left <= rules.yellow_working_days {
        return (
            Warning::Yellow,
            Msg::owned(format!("距整改时限仅剩{left}个工作日"), format!("{left} working day(s) to the deadline")),
        );
    }
    (Warning::Green, Msg::new("按序时进度推进", "on schedule"))
}

/// The 回头看 date: `months` after the closure (clamped to the month's end).
pub fn lookback_due(closed_on: Date, months: u8) -> Date {
    closed_on.checked_add(i64::from(months).months()).unwrap_or(closed_on)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn w<'a>(status: ProblemStatus, deadline: Date, ms: &'a [Milestone], done: u32, total: u32) -> WarningInput<'a> {
        WarningInput { status, deadline, milestones: ms, measures_done: done, measures_total: total, requested_on: None }
    }

    fn colour(input: &WarningInput<'_>, today: Date) -> Warning {
        warning(&Calendar::builtin(), &RectifyRules::default(), input, today).0
    }

    #[test]
    fn overdue_is_red_and_says_by_how_many_working_days() {
        let input = w(ProblemStatus::InProgress, date(2026, 9, 30), &[], 0, 1);
        let (c, why) = warning(&Calendar::builtin(), &RectifyRules::default(), &input, date(2026, 10, 9));
        assert_eq!(c, Warning::Red);
        // 10-01..10-07 is the National Day holiday: only 10-08 and 10-09 count.
        assert!(why.zh.contains("2个工作日"), "{why}");
    }

    #[test]
    fn deadline_within_five_working_days_is_yellow_counting_holidays() {
        // Deadline 2026-10-12 seen from 2026-09-29: 13 calendar days, but with
        // the National Day holiday and the 10-10 调休 Saturday only 5 working days.
        let input = w(ProblemStatus::InProgress, date(2026, 10, 12), &[], 1, 2);
        assert_eq!(colour(&input, date(2026, 9, 29)), Warning::Yellow);
        assert_eq!(colour(&input, date(2026, 9, 28)), Warning::Green);
        let far = w(ProblemStatus::InProgress, date(2026, 12, 31), &[], 1, 2);
        assert_eq!(colour(&far, date(2026, 9, 28)), Warning::Green);
    }

    #[test]
    fn behind_the_planned_progress_is_yellow() {
        let ms = [Milestone { date: date(2026, 6, 30), percent: 50 }, Milestone { date: date(2026, 9, 30), percent: 100 }];
        let behind = w(ProblemStatus::InProgress, date(2026, 12, 31), &ms, 1, 3);
        assert_eq!(colour(&behind, date(2026, 7, 1)), Warning::Yellow);
        let on_track = w(ProblemStatus::InProgress, date(2026, 12, 31), &ms, 2, 3);
        assert_eq!(colour(&on_track, date(2026, 7, 1)), Warning::Green);
        assert_eq!(colour(&on_track, date(2026, 5, 1)), Warning::Green);
    }

    #[test]
    fn a_closure_request_in_time_stops_the_clock() {
        let mut input = w(ProblemStatus::ClosureRequested, date(2026, 6, 30), &[], 1, 1);
        input.requested_on = Some(date(2026, 6, 20));
        assert_eq!(colour(&input, date(2026, 8, 1)), Warning::Green);
        input.requested_on = Some(date(2026, 7, 20));
        assert_eq!(colour(&input, date(2026, 8, 1)), Warning::Red);
    }

    #[test]
    fn closed_problems_carry_no_warning() {
        let input = w(ProblemStatus::Closed, date(2020, 1, 1), &[], 1, 1);
        assert_eq!(colour(&input, date(2026, 8, 1)), Warning::Done);
    }

    #[test]
    fn schedule_parses_and_validates() {
        let ms = parse_schedule("2026-06-30 50%\n\n2026-09-30，100").unwrap();
        assert_eq!(ms.len(), 2);
        assert!(validate_schedule(&ms, date(2026, 12, 31)).is_ok());
        assert!(validate_schedule(&ms, date(2026, 8, 31)).is_err());
        let backwards = [ms[1], ms[0]];
        assert!(validate_schedule(&backwards, date(2026, 12, 31)).is_err());
        assert!(parse_schedule("2026-06-30").unwrap_err().zh.contains("第1行"));
        assert!(parse_schedule("2026-13-30 5").is_err());
    }

    #[test]
    fn lookback_is_due_months_after_closure_clamped_to_month_end() {
        assert_eq!(lookback_due(date(2026, 3, 15), 6), date(2026, 9, 15));
        assert_eq!(lookback_due(date(2026, 8, 31), 6), date(2027, 2, 28));
    }

    #[test]
    fn progress_is_the_share_of_measures_done() {
        assert_eq!(actual_percent(0, 0), 0);
        assert_eq!(actual_percent(1, 3), 33);
        assert_eq!(actual_percent(3, 3), 100);
    }
}
