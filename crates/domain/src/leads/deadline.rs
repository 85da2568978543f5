//! The clocks of the leads module.
//!
//! Working-day limits ("自收到之日起N个工作日内") count from the day after
//! the start: the start day itself is not counted, the N-th working day after
//! it is the last day ([`Calendar::add_working_days`]). Month and day limits
//! ("1个月内") end on the corresponding date, moved to the next working day
//! when that is a rest day and `roll_to_working_day` is on. A result that
//! touches a year without a loaded schedule is provisional.

use super::LeadRules;
use crate::calendar::{Calendar, CalendarError, Reckoning};
use crate::msg::Msg;
use jiff::ToSpan;
use jiff::civil::Date;
use serde::Serialize;

/// A due date and whether it is provisional.
pub type Due = Reckoning<Date>;

/// How a limit is counted. A zero length means there is no deadline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "unit", content = "n", rename_all = "snake_case")]
pub enum Span {
    WorkingDays(i32),
    Months(i32),
    Days(i32),
}

/// Every deadline the module keeps, with the event its clock starts from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Clock {
    /// 受理 or 转办 (or 报送上一级), from receipt.
    Acceptance,
    /// Tell a 实名 reporter about 受理, from receipt.
    RealNameNotice,
    /// Feed the result back to a 实名 reporter, from 办结.
    Feedback,
    /// Propose a disposal, from receiving the lead.
    DisposalProposal,
    /// 函询 reply, from sending the letter.
    LetterReply,
    /// Report on a 谈话函询, from the talk or the reply.
    InquiryReport,
    /// 初核方案 approved, from the disposal's approval.
    VerificationPlan,
    /// 初步核实 done, from the plan's approval.
    Verification,
    /// Next review of a shelved lead, from shelving or the last review.
    ShelvedReview,
    /// 立案审查调查 concluded, from filing.
    Investigation,
    /// A referral accepted or returned, from sending.
    ReferralResponse,
    /// 组织调整/处理 procedures completed, from the decision.
    AdjustmentCompletion,
}

impl Clock {
    pub fn span(self, r: &LeadRules) -> Span {
        match self {
            Clock::Acceptance => Span::WorkingDays(r.transfer_working_days),
            Clock::RealNameNotice => Span::WorkingDays(r.realname_notice_working_days),
            Clock::Feedback => Span::WorkingDays(r.feedback_working_days),
            Clock::DisposalProposal => Span::Months(r.disposal_proposal_months),
            Clock::LetterReply => Span::WorkingDays(r.letter_reply_working_days),
            Clock::InquiryReport => Span::Days(r.inquiry_report_days),
            Clock::VerificationPlan => Span::WorkingDays(r.verification_plan_working_days),
            Clock::Verification => Span::WorkingDays(r.verification_working_days),
            Clock::ShelvedReview => Span::Months(r.shelved_review_months),
            Clock::Investigation => Span::Days(r.investigation_days),
            Clock::ReferralResponse => Span::WorkingDays(r.referral_response_working_days),
            Clock::AdjustmentCompletion => Span::Months(r.adjustment_completion_months),
        }
    }

    pub fn label(self) -> Msg {
        match self {
            Clock::Acceptance => Msg::new("受理或转办", "Accept or transfer"),
            Clock::RealNameNotice => Msg::new("告知实名举报人受理情况", "Tell the real-name reporter about acceptance"),
            Clock::Feedback => Msg::new("向实名举报人反馈处理结果", "Feed the result back to the real-name reporter"),
            Clock::DisposalProposal => Msg::new("提出处置意见", "Propose a disposal"),
            Clock::LetterReply => Msg::new("函询回复", "Reply to the inquiry letter"),
            Clock::InquiryReport => Msg::new("谈话函询情况报告", "Report on the talk or letter inquiry"),
            Clock::VerificationPlan => Msg::new("初核方案审批", "Approve the verification plan"),
            Clock::Verification => Msg::new("初步核实", "Preliminary verification"),
            Clock::ShelvedReview => Msg::new("暂存待查线索定期清理", "Periodic review of a shelved lead"),
            Clock::Investigation => Msg::new("审查调查", "Investigation"),
            Clock::ReferralResponse => Msg::new("移送接收或退回", "Accept or return the referral"),
            Clock::AdjustmentCompletion => Msg::new("组织调整或处理手续办理", "Complete the adjustment procedures"),
        }
    }
}

/// The first working day on or after `d` (provisional in an unloaded year).
fn roll_forward(cal: &Calendar, d: Date) -> Result<Due, CalendarError> {
    let mut day = d;
    let mut provisional = false;
    for _ in 0..60 {
        let w = cal.is_working_day(day);
        provisional |= w.provisional;
        if w.value {
            return Ok(Reckoning { value: day, provisional });
        }
        day = day.tomorrow().map_err(|_| CalendarError::OutOfRange)?;
    }
    Err(CalendarError::OutOfRange)
}

/// When a limit of `span` that starts on `start` falls due; `None` when the
/// limit is switched off (length 0).
pub fn due_after(cal: &Calendar, start: Date, span: Span, rules: &LeadRules) -> Result<Option<Due>, CalendarError> {
    let end = match span {
        Span::WorkingDays(0) | Span::Months(0) | Span::Days(0) => return Ok(None),
        Span::WorkingDays(n) => return cal.add_working_days(start, n).map(Some),
        Span::Months(n) => start.checked_add(n.months()),
        Span::Days(n) => start.checked_add(n.days()),
    }
    .map_err(|_| CalendarError::OutOfRange)?;
    if rules.roll_to_working_day {
        roll_forward(cal, end).map(Some)
    } else {
        Ok(Some(Reckoning { value: end, provisional: !cal.has_year(end.year()) }))
    }
}

/// When `clock`, started on `start`, falls due.
pub fn due(cal: &Calendar, clock: Clock, start: Date, rules: &LeadRules) -> Result<Option<Due>, CalendarError> {
    due_after(cal, start, clock.span(rules), rules)
}

/// Where a clock stands on `today`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(tag = "standing", rename_all = "snake_case")]
pub enum Standing {
    Open,
    /// Not done and past the due date.
    Overdue,
    InTime,
    Late,
}

/// Overdue means: not done, and `today` is after the last allowed day.
pub fn standing(due: Date, today: Date, done_on: Option<Date>) -> Standing {
    match done_on {
        Some(d) if d <= due => Standing::InTime,
        Some(_) => Standing::Late,
        None if today > due => Standing::Overdue,
        None => Standing::Open,
    }
}

/// ✅ 第十八条: concluded reports are reported to the 信访举报部门 every
/// quarter; a report concluded on `d` is in the roll-up due at the end of its quarter.
pub fn quarter_end(d: Date) -> Date {
    let last_month = ((d.month() - 1) / 3 + 1) * 3;
    let first_of_next = Date::new(d.year(), last_month, 1).ok().and_then(|m| m.checked_add(1.month()).ok());
    first_of_next.and_then(|n| n.yesterday().ok()).unwrap_or(d)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    const R: LeadRules = LeadRules::DEFAULT;

    fn cal() -> Calendar {
        let mut c = Calendar::default();
        // The calendar in shared/domain, the same file that is built in.
        for y in Calendar::parse_toml(include_str!("../../data/cn-workday-calendar.toml")).unwrap() {
            c.insert(y);
        }
        c
    }

    #[test]
    fn real_name_notice_for_a_report_received_2026_02_12_is_due_2026_03_11() {
        let d = due(&cal(), Clock::RealNameNotice, date(2026, 2, 12), &R).unwrap().unwrap();
        assert_eq!(d, Reckoning { value: date(2026, 3, 11), provisional: false });
    }

    #[test]
    fn working_days_count_from_the_day_after_receipt_not_the_day_itself() {
        // Counting the day of receipt (a working day) as day one would end a
        // day earlier: the 2026-03-11 answer holds only for "from the next day".
        let c = cal();
        let counting_receipt_day = c.add_working_days(date(2026, 2, 12), 14).unwrap().value;
        assert_eq!(counting_receipt_day, date(2026, 3, 10));
        assert_ne!(counting_receipt_day, due(&c, Clock::RealNameNotice, date(2026, 2, 12), &R).unwrap().unwrap().value);
    }

    #[test]
    fn acceptance_or_transfer_is_due_in_five_working_days() {
        // 2026-09-29 (Tue) + 5: 9-30, [10-1..10-7 国庆], 10-8, 10-9, 10-10 (Sat 调休), 10-12.
        let d = due(&cal(), Clock::Acceptance, date(2026, 9, 29), &R).unwrap().unwrap();
        assert_eq!(d.value, date(2026, 10, 12));
    }

    #[test]
    fn a_month_limit_ending_on_a_holiday_moves_to_the_next_working_day() {
        // 2026-01-15 + 1 month = 2026-02-15, inside 春节 (2-15..2-23).
        let d = due(&cal(), Clock::DisposalProposal, date(2026, 1, 15), &R).unwrap().unwrap();
        assert_eq!(d.value, date(2026, 2, 24));
        let r = LeadRules { roll_to_working_day: false, ..R };
        assert_eq!(
            due(&cal(), Clock::DisposalProposal, date(2026, 1, 15), &r).unwrap().unwrap().value,
            date(2026, 2, 15)
        );
        assert_eq!(
            due(&cal(), Clock::DisposalProposal, date(2026, 1, 5), &R).unwrap().unwrap().value,
            date(2026, 2, 5)
        );
    }

    #[test]
    fn a_deadline_in_a_year_without_a_calendar_is_provisional() {
        let d = due(&cal(), Clock::DisposalProposal, date(2026, 12, 20), &R).unwrap().unwrap();
        assert!(d.provisional, "{d:?}");
        let d = due(&cal(), Clock::Feedback, date(2026, 12, 20), &R).unwrap().unwrap();
        assert!(d.provisional);
    }

    #[test]
    fn every_step_deadline_comes_from_config_and_zero_switches_it_off() {
        let c = cal();
        assert_eq!(due(&c, Clock::VerificationPlan, date(2026, 3, 2), &R).unwrap(), None);
        let r = LeadRules { letter_reply_working_days: 10, verification_plan_working_days: 3, ..R };
        assert_eq!(due(&c, Clock::LetterReply, date(2026, 3, 2), &r).unwrap().unwrap().value, date(2026, 3, 16));
        assert_eq!(due(&c, Clock::VerificationPlan, date(2026, 3, 2), &r).unwrap().unwrap().value, date(2026, 3, 5));
        assert_eq!(due(&c, Clock::Investigation, date(2026, 3, 2), &R).unwrap().unwrap().value, date(2026, 6, 1));
    }

    #[test]
    fn overdue_means_not_done_after_the_last_day() {
        let due = date(2026, 3, 11);
        assert_eq!(standing(due, date(2026, 3, 11), None), Standing::Open);
        assert_eq!(standing(due, date(2026, 3, 12), None), Standing::Overdue);
        assert_eq!(standing(due, date(2026, 3, 20), Some(date(2026, 3, 11))), Standing::InTime);
        assert_eq!(standing(due, date(2026, 3, 20), Some(date(2026, 3, 12))), Standing::Late);
    }

    #[test]
    fn concluded_reports_roll_up_at_the_end_of_their_quarter() {
        assert_eq!(quarter_end(date(2026, 2, 12)), date(2026, 3, 31));
        assert_eq!(quarter_end(date(2026, 6, 30)), date(2026, 6, 30));
        assert_eq!(quarter_end(date(2026, 11, 1)), date(2026, 12, 31));
    }
}
