//! The working-day calendar (工作日).
//!
//! Deadlines in the regulations are counted in working days on the official
//! holiday schedule that the State Council publishes each November: listed
//! holidays are days off even on weekdays, listed adjusted workdays (调休) are
//! working days even on weekends, and otherwise Monday–Friday work. A result
//! that touches a year without a loaded schedule is *provisional*: it is
//! computed on weekdays alone and flagged, never silently guessed.

use jiff::civil::{Date, Weekday};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet};

/// The schedule shipped with Qingfeng (2025 and 2026), in the same format
/// that `qingfeng calendar import` reads.
pub const BUILTIN_TOML: &str = include_str!("../data/cn-workday-calendar.toml");

/// Largest number of working days one computation may span (about 40 years).
pub const MAX_SPAN: i32 = 10_000;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum CalendarError {
    #[error("calendar file is not valid TOML: {0}")]
    Toml(String),
    #[error("table [{0}] is not a year between 1949 and 9998")]
    BadYear(String),
    #[error("[{year}] {field}: {reason}")]
    BadEntry { year: i16, field: &'static str, reason: String },
    #[error("the file contains no year")]
    Empty,
    #[error("the result falls outside the supported date range")]
    OutOfRange,
}

/// One year of the official schedule.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct YearSchedule {
    pub year: i16,
    pub source: String,
    pub holidays: BTreeSet<Date>,
    pub workdays: BTreeSet<Date>,
}

/// A computed value and whether it depends on a year without a schedule.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Reckoning<T> {
    pub value: T,
    pub provisional: bool,
}

/// The loaded schedules.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Calendar {
    years: BTreeMap<i16, YearSchedule>,
}

#[derive(Deserialize)]
struct RawYear {
    #[serde(default)]
    source: String,
    #[serde(default)]
    holidays: Vec<String>,
    #[serde(default)]
    workdays: Vec<String>,
}

fn parse_date(year: i16, field: &'static str, s: &str) -> Result<Date, CalendarError> {
    let d: Date = s.trim().parse().map_err(|e| CalendarError::BadEntry {
        year,
        field,
        reason: format!("`{s}` is not a date (YYYY-MM-DD): {e}"),
    })?;
    if d.year() != year {
        return Err(CalendarError::BadEntry { year, field, reason: format!("{d} is not in {year}") });
    }
    Ok(d)
}

/// Expands `YYYY-MM-DD` or an inclusive range `YYYY-MM-DD..YYYY-MM-DD`.
fn expand(year: i16, field: &'static str, entry: &str) -> Result<Vec<Date>, CalendarError> {
    match entry.split_once("..") {
        None => Ok(vec![parse_date(year, field, entry)?]),
        Some((a, b)) => {
            let (a, b) = (parse_date(year, field, a)?, parse_date(year, field, b)?);
            if b < a {
                return Err(CalendarError::BadEntry { year, field, reason: format!("range {a}..{b} runs backwards") });
            }
            let mut out = Vec::new();
            let mut d = a;
            while d <= b {
                out.push(d);
                d = d.tomorrow().map_err(|_| CalendarError::OutOfRange)?;
            }
            Ok(out)
        }
    }
}

fn is_weekend(d: Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

impl YearSchedule {
    fn from_raw(key: &str, raw: RawYear) -> Result<YearSchedule, CalendarError> {
        let year: i16 = key.trim().parse().map_err(|_| CalendarError::BadYear(key.to_string()))?;
        if !(1949..=9998).contains(&year) {
            return Err(CalendarError::BadYear(key.to_string()));
        }
        let mut holidays = BTreeSet::new();
        for e in &raw.holidays {
            holidays.extend(expand(year, "holidays", e)?);
        }
        let mut workdays = BTreeSet::new();
        for e in &raw.workdays {
            for d in expand(year, "workdays", e)? {
                if !is_weekend(d) {
                    return Err(CalendarError::BadEntry {
                        year,
                        field: "workdays",
                        reason: format!("{d} is a weekday; only a Saturday or Sunday can be an adjusted workday"),
                    });
                }
                workdays.insert(d);
            }
        }
        if let Some(d) = holidays.intersection(&workdays).next() {
            return Err(CalendarError::BadEntry {
                year,
                field: "workdays",
                reason: format!("{d} is listed as both holiday and workday"),
            });
        }
        Ok(YearSchedule { year, source: raw.source.trim().to_string(), holidays, workdays })
    }

    fn is_working_day(&self, d: Date) -> bool {
        if self.holidays.contains(&d) {
            false
        } else if self.workdays.contains(&d) {
            true
        } else {
            !is_weekend(d)
        }
    }
}

impl Calendar {
    /// The schedules shipped with the binary.
    pub fn builtin() -> Calendar {
        let mut c = Calendar::default();
        for y in Calendar::parse_toml(BUILTIN_TOML).unwrap_or_else(|e| panic!("built-in calendar is invalid: {e}")) {
            c.insert(y);
        }
        c
    }

    /// Parses a file in the format of `cn-workday-calendar.toml`: one
    /// `[YYYY]` table per year with `source`, `holidays` and `workdays`.
    pub fn parse_toml(text: &str) -> Result<Vec<YearSchedule>, CalendarError> {
        let tables: BTreeMap<String, RawYear> = toml::from_str(text).map_err(|e| CalendarError::Toml(e.to_string()))?;
        if tables.is_empty() {
            return Err(CalendarError::Empty);
        }
        tables.into_iter().map(|(k, raw)| YearSchedule::from_raw(&k, raw)).collect()
    }

    /// Adds or replaces one year.
    pub fn insert(&mut self, year: YearSchedule) {
        self.years.insert(year.year, year);
    }

    pub fn years(&self) -> impl Iterator<Item = &YearSchedule> {
        self.years.values()
    }

    pub fn has_year(&self, year: i16) -> bool {
        self.years.contains_key(&year)
    }

    /// Whether `d` is a working day; provisional if its year has no schedule.
    pub fn is_working_day(&self, d: Date) -> Reckoning<bool> {
        match self.years.get(&d.year()) {
            Some(y) => Reckoning { value: y.is_working_day(d), provisional: false },
            None => Reckoning { value: !is_weekend(d), provisional: true },
        }
    }

    /// The date `n` working days after `date` (`date` itself is not counted;
    /// a negative `n` counts backwards; `n = 0` returns `date`).
    pub fn add_working_days(&self, date: Date, n: i32) -> Result<Reckoning<Date>, CalendarError> {
        if n.unsigned_abs() > MAX_SPAN.unsigned_abs() {
            return Err(CalendarError::OutOfRange);
        }
        let mut provisional = !self.has_year(date.year());
        let mut d = date;
        let mut left = n.unsigned_abs();
        while left > 0 {
            d = if n > 0 { d.tomorrow() } else { d.yesterday() }.map_err(|_| CalendarError::OutOfRange)?;
            let day = self.is_working_day(d);
            provisional |= day.provisional;
            if day.value {
                left -= 1;
            }
        }
        Ok(Reckoning { value: d, provisional })
    }

    /// Working days in `(from, to]`, negative when `to` is before `from`,
    /// so that `working_days_between(d, add_working_days(d, n)) == n`.
    pub fn working_days_between(&self, from: Date, to: Date) -> Result<Reckoning<i32>, CalendarError> {
        let (lo, hi, sign) = if to >= from { (from, to, 1) } else { (to, from, -1) };
        if hi.since(lo).map_err(|_| CalendarError::OutOfRange)?.get_days() > MAX_SPAN * 2 {
            return Err(CalendarError::OutOfRange);
        }
        let mut provisional = !self.has_year(lo.year()) || !self.has_year(hi.year());
        let mut count = 0;
        let mut d = lo;
        while d < hi {
            d = d.tomorrow().map_err(|_| CalendarError::OutOfRange)?;
            let day = self.is_working_day(d);
            provisional |= day.provisional;
            if day.value {
                count += 1;
            }
        }
        Ok(Reckoning { value: sign * count, provisional })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn cal() -> Calendar {
        Calendar::builtin()
    }

    #[test]
    fn spring_festival_2026_with_both_adjusted_saturdays() {
        // 2026-02-12 (Thu) + 15 working days: 13, 14 (Sat, 调休), [15–23 春节],
        // 24–27, 28 (Sat, 调休), 3/2–3/6, 3/9, 3/10, 3/11.
        let r = cal().add_working_days(date(2026, 2, 12), 15).unwrap();
        assert_eq!(r, Reckoning { value: date(2026, 3, 11), provisional: false });
    }

    #[test]
    fn date_in_a_year_without_schedule_is_provisional() {
        let r = cal().add_working_days(date(2030, 3, 1), 5).unwrap();
        assert!(r.provisional);
        assert_eq!(r.value, date(2030, 3, 8), "weekdays-only guess, flagged");
    }

    #[test]
    fn crossing_into_an_unknown_year_is_provisional() {
        let r = cal().add_working_days(date(2026, 12, 24), 10).unwrap();
        assert!(r.provisional);
        let r = cal().add_working_days(date(2026, 12, 1), 5).unwrap();
        assert!(!r.provisional);
    }

    #[test]
    fn listed_holiday_on_a_weekday_is_not_a_working_day() {
        assert_eq!(cal().is_working_day(date(2026, 10, 5)), Reckoning { value: false, provisional: false });
        assert_eq!(
            cal().is_working_day(date(2026, 10, 10)),
            Reckoning { value: true, provisional: false },
            "Saturday 调休"
        );
        assert_eq!(
            cal().is_working_day(date(2026, 10, 11)),
            Reckoning { value: false, provisional: false },
            "plain Sunday"
        );
    }

    #[test]
    fn between_is_the_inverse_of_add() {
        let c = cal();
        for (d, n) in [(date(2026, 2, 12), 15), (date(2025, 9, 26), 7), (date(2026, 4, 30), -6), (date(2026, 1, 5), 0)]
        {
            let end = c.add_working_days(d, n).unwrap().value;
            assert_eq!(c.working_days_between(d, end).unwrap().value, n, "{d} {n}");
        }
    }

    #[test]
    fn counting_backwards_skips_holidays() {
        // Five working days before 2026-10-12 (Mon): 10-10 (Sat, 调休), 10-9,
        // 10-8, [10-1..10-7 国庆], 9-30, 9-29.
        let r = cal().add_working_days(date(2026, 10, 12), -5).unwrap();
        assert_eq!(r.value, date(2026, 9, 29));
    }

    #[test]
    fn builtin_schedule_has_2025_and_2026_with_sources() {
        let c = cal();
        let years: Vec<i16> = c.years().map(|y| y.year).collect();
        assert_eq!(years, vec![2025, 2026]);
        assert!(c.years().all(|y| y.source.contains("国务院办公厅")));
        assert_eq!(c.years().nth(1).unwrap().holidays.len(), 3 + 9 + 3 + 5 + 3 + 3 + 7);
    }

    #[test]
    fn import_rejects_a_weekday_as_adjusted_workday() {
        let err = Calendar::parse_toml("[2027]\nworkdays = [\"2027-03-03\"]\n").unwrap_err();
        assert!(matches!(err, CalendarError::BadEntry { field: "workdays", .. }), "{err}");
    }

    #[test]
    fn import_rejects_dates_outside_their_year_and_bad_ranges() {
        assert!(Calendar::parse_toml("[2027]\nholidays = [\"2026-12-31\"]\n").is_err());
        assert!(Calendar::parse_toml("[2027]\nholidays = [\"2027-02-10..2027-02-01\"]\n").is_err());
        assert!(Calendar::parse_toml("[2027]\nholidays = [\"2027-02-30\"]\n").is_err());
        assert!(matches!(Calendar::parse_toml("[abc]\n"), Err(CalendarError::BadYear(_))));
        assert!(matches!(Calendar::parse_toml("not = [toml"), Err(CalendarError::Toml(_))));
        assert!(matches!(Calendar::parse_toml(""), Err(CalendarError::Empty)));
    }

    #[test]
    fn imported_year_makes_results_final() {
        let mut c = cal();
        let y = Calendar::parse_toml("[2027]\nsource = \"test\"\nholidays = [\"2027-01-01\"]\n").unwrap();
        c.insert(y.into_iter().next().unwrap());
        let r = c.add_working_days(date(2026, 12, 31), 1).unwrap();
        assert_eq!(r, Reckoning { value: date(2027, 1, 4), provisional: false });
    }

    #[test]
    fn absurd_spans_are_refused_not_looped() {
        assert_eq!(cal().add_working_days(date(2026, 1, 1), i32::MAX), Err(CalendarError::OutOfRange));
        assert_eq!(cal().add_working_days(date(2026, 1, 1), i32::MIN), Err(CalendarError::OutOfRange));
        assert!(cal().working_days_between(date(1900, 1, 1), date(9000, 1, 1)).is_err());
    }
}
