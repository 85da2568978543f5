//! 挂图作战 figures. Every figure on a board is a sum of per-problem
//! contributions ([`Counts::of`]); the store keeps these sums per unit
//! *for the unit's whole subtree* and per breakdown ([`Dim`]), so that a
//! board for any node is a handful of row reads however large the tree.

use super::{ProblemStatus, Warning};
use serde::Serialize;
use std::ops::{Add, Sub};

/// The counters of a board cell.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize)]
pub struct Counts {
    pub total: i64,
    pub unclaimed: i64,
    pub in_progress: i64,
    pub requested: i64,
    pub closed: i64,
    /// Open and overdue (red).
    pub red: i64,
    /// Open and behind or near the deadline (yellow).
    pub yellow: i64,
    /// Reopened at least once by a look-back (反弹).
    pub relapsed: i64,
    /// Reopened by a failed spot check and not closed again (纸面整改).
    pub paper: i64,
}

/// What a problem's contribution depends on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ProblemFacts {
    pub status: ProblemStatus,
    pub warning: Warning,
    pub relapsed: bool,
    pub paper: bool,
}

impl Counts {
    /// One problem's contribution.
    pub fn of(p: &ProblemFacts) -> Counts {
        let mut c = Counts { total: 1, ..Counts::default() };
        match p.status {
            ProblemStatus::Unclaimed => c.unclaimed = 1,
            ProblemStatus::InProgress => c.in_progress = 1,
            ProblemStatus::ClosureRequested => c.requested = 1,
            ProblemStatus::Closed => c.closed = 1,
        }
        if p.status != ProblemStatus::Closed {
            match p.warning {
                Warning::Red => c.red = 1,
                Warning::Yellow => c.yellow = 1,
                Warning::Green | Warning::Done => {}
            }
        }
        c.relapsed = i64::from(p.relapsed);
        c.paper = i64::from(p.paper && p.status != ProblemStatus::Closed);
        c
    }

    pub fn is_zero(&self) -> bool {
        *self == Counts::default()
    }

    /// Closures as the units report them: closed, plus those a spot check
    /// found to be 纸面整改 (the unit had reported them closed).
    pub fn reported_closed(&self) -> i64 {
        self.closed + self.paper
    }

    /// 整改完成率 as reported.
    pub fn reported_rate(&self) -> Option<f64> {
        rate(self.reported_closed(), self.total)
    }

    /// 整改完成率 after verification: only closures that stand.
    pub fn verified_rate(&self) -> Option<f64> {
        rate(self.closed, self.total)
    }

    /// Share of open problems that are overdue.
    pub fn overdue_rate(&self) -> Option<f64> {
        rate(self.red, self.total - self.closed)
    }

    pub fn relapse_rate(&self) -> Option<f64> {
        rate(self.relapsed, self.total)
    }

    pub fn open(&self) -> i64 {
        self.total - self.closed
    }

    /// The counters in a fixed order (for storage).
    pub fn to_array(&self) -> [i64; 9] {
        [
            self.total,
            self.unclaimed,
            self.in_progress,
            self.requested,
            self.closed,
            self.red,
            self.yellow,
            self.relapsed,
            self.paper,
        ]
    }

    pub fn from_array(a: [i64; 9]) -> Counts {
        let [total, unclaimed, in_progress, requested, closed, red, yellow, relapsed, paper] = a;
        Counts { total, unclaimed, in_progress, requested, closed, red, yellow, relapsed, paper }
    }
}

/// A ratio in percent, `None` for 0/0.
pub fn rate(num: i64, den: i64) -> Option<f64> {
    (den > 0).then(|| num as f64 * 100.0 / den as f64)
}

/// Formats a rate like `72.4%`, or `—` when undefined.
pub fn percent(r: Option<f64>) -> String {
    r.map_or_else(|| "—".to_string(), |r| format!("{r:.1}%"))
}

impl Add for Counts {
    type Output = Counts;
    fn add(self, o: Counts) -> Counts {
        let (a, b) = (self.to_array(), o.to_array());
        Counts::from_array(std::array::from_fn(|i| a[i] + b[i]))
    }
}

impl Sub for Counts {
    type Output = Counts;
    fn sub(self, o: Counts) -> Counts {
        let (a, b) = (self.to_array(), o.to_array());
        Counts::from_array(std::array::from_fn(|i| a[i] - b[i]))
    }
}

impl std::iter::Sum for Counts {
    fn sum<I: Iterator<Item = Counts>>(iter: I) -> Counts {
        iter.fold(Counts::default(), Add::add)
    }
}

/// The breakdowns a board offers besides the child units.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Dim {
    All,
    Source,
    RootCause,
    Campaign,
}

impl Dim {
    pub fn as_str(self) -> &'static str {
        match self {
            Dim::All => "all",
            Dim::Source => "source",
            Dim::RootCause => "root_cause",
            Dim::Campaign => "campaign",
        }
    }

    pub fn parse(s: &str) -> Option<Dim> {
        [Dim::All, Dim::Source, Dim::RootCause, Dim::Campaign].into_iter().find(|d| d.as_str() == s)
    }
}

/// The (breakdown, key) cells a problem counts in.
pub fn cells(source: &str, root_cause: &str, campaign: Option<&str>) -> Vec<(Dim, String)> {
    let mut v = vec![(Dim::All, String::new()), (Dim::Source, source.to_string()), (Dim::RootCause, root_cause.to_string())];
    if let Some(c) = campaign {
        v.push((Dim::Campaign, c.to_string()));
    }
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(status: ProblemStatus, warning: Warning) -> ProblemFacts {
        ProblemFacts { status, warning, relapsed: false, paper: false }
    }

    #[test]
    fn closed_problems_are_never_counted_overdue() {
        let c = Counts::of(&facts(ProblemStatus::Closed, Warning::Red));
        assert_eq!((c.total, c.closed, c.red), (1, 1, 0));
    }

    #[test]
    fn a_failed_spot_check_lowers_the_verified_rate_not_the_reported_one() {
        let closed = Counts::of(&facts(ProblemStatus::Closed, Warning::Done));
        let reopened = Counts::of(&ProblemFacts {
            status: ProblemStatus::InProgress,
            warning: Warning::Green,
            relapsed: false,
            paper: true,
        });
        let before = closed + closed;
        let after = closed + reopened;
        assert_eq!(before.reported_rate(), after.reported_rate());
        assert!(after.verified_rate() < before.verified_rate());
    }

    #[test]
    fn sums_and_differences_are_per_counter() {
        let a = Counts::of(&facts(ProblemStatus::InProgress, Warning::Yellow));
        let b = Counts::of(&facts(ProblemStatus::Unclaimed, Warning::Red));
        let s: Counts = [a, b].into_iter().sum();
        assert_eq!((s.total, s.yellow, s.red, s.unclaimed), (2, 1, 1, 1));
        assert_eq!(s - b, a);
        assert_eq!(Counts::from_array(s.to_array()), s);
    }

    #[test]
    fn rates_are_undefined_on_empty_sets() {
        assert_eq!(percent(Counts::default().verified_rate()), "—");
        assert_eq!(percent(rate(1, 3)), "33.3%");
    }
}
