//! 四不两直 spot checks and the automatic flags that catch 纸面整改.
//!
//! The sample is drawn by ranking every candidate by `SHA-256(seed ‖ id)`
//! and keeping the lowest ranks: the same seed and the same candidates give
//! the same sample in any order, so anyone holding the recorded seed and
//! candidate list can redo the draw, and nobody can steer it by reordering.

use super::RectifyRules;
use crate::calendar::Calendar;
use jiff::civil::Date;
use serde::Serialize;
use sha2::{Digest, Sha256};
use std::collections::{BTreeMap, BTreeSet};
use uuid::Uuid;

fn rank(seed: u64, id: &Uuid) -> [u8; 32] {
    let mut h = Sha256::new();
    h.update(seed.to_be_bytes());
    h.update(id.as_bytes());
    h.finalize().into()
}

/// Draws `n` of `candidates` (fewer if there are fewer), deterministically.
pub fn draw(seed: u64, candidates: &[Uuid], n: usize) -> Vec<Uuid> {
    let mut ranked: Vec<([u8; 32], Uuid)> = candidates.iter().map(|id| (rank(seed, id), *id)).collect();
    ranked.sort();
    ranked.dedup_by(|a, b| a.1 == b.1);
    ranked.into_iter().take(n).map(|(_, id)| id).collect()
}

/// A digest of the candidate set (order-independent), recorded with the draw.
pub fn candidates_digest(candidates: &[Uuid]) -> String {
    let set: BTreeSet<&Uuid> = candidates.iter().collect();
    let mut h = Sha256::new();
    for id in set {
        h.update(id.as_bytes());
    }
    hex::encode(h.finalize())
}

/// What drawing a recorded sample again shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Replay {
    /// The candidates given hash to the recorded digest.
    pub same_candidates: bool,
    /// Drawing from them with the recorded seed and size gives the recorded sample.
    pub same_sample: bool,
}

impl Replay {
    /// Both hold: the draw is reproduced from its record.
    pub fn reproduced(self) -> bool {
        self.same_candidates && self.same_sample
    }
}

/// Draws again from `candidates` with the recorded seed and size and
/// compares with the recorded digest and sample (in any order).
pub fn replay(seed: u64, size: usize, digest: &str, candidates: &[Uuid], sample: &[Uuid]) -> Replay {
    let mut again = draw(seed, candidates, size);
    again.sort();
    let mut recorded = sample.to_vec();
    recorded.sort();
    Replay { same_candidates: candidates_digest(candidates) == digest, same_sample: again == recorded }
}

/// The same evidence file (by digest) used for different problems or units.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SharedEvidence {
    pub digest: String,
    pub problems: Vec<Uuid>,
    pub units: Vec<Uuid>,
}

/// Groups `(digest, problem, unit)` uses and keeps digests seen on more than
/// one problem or unit.
pub fn shared_evidence(uses: &[(String, Uuid, Uuid)]) -> Vec<SharedEvidence> {
    let mut by: BTreeMap<&str, (BTreeSet<Uuid>, BTreeSet<Uuid>)> = BTreeMap::new();
    for (d, p, u) in uses {
        let e = by.entry(d.as_str()).or_default();
        e.0.insert(*p);
        e.1.insert(*u);
    }
    by.into_iter()
        .filter(|(_, (p, u))| p.len() > 1 || u.len() > 1)
        .map(|(d, (p, u))| SharedEvidence {
            digest: d.to_string(),
            problems: p.into_iter().collect(),
            units: u.into_iter().collect(),
        })
        .collect()
}

/// Evidence that claims a date before the problem was even raised.
pub fn predates(evidence_dated: Date, problem_raised: Date) -> bool {
    evidence_dated < problem_raised
}

/// A unit whose closure requests bunch up just before their deadlines.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Burst {
    pub unit: Uuid,
    /// Requests filed in the last `burst_window_working_days` before the deadline.
    pub late: u32,
    pub total: u32,
}

/// Flags units with at least `burst_min_requests` late requests making up
/// at least `burst_share` of their requests. Input: `(unit, requested_on, deadline)`.
pub fn closure_bursts(cal: &Calendar, rules: &RectifyRules, requests: &[(Uuid, Date, Date)]) -> Vec<Burst> {
    let mut by: BTreeMap<Uuid, (u32, u32)> = BTreeMap::new();
    for &(unit, requested, deadline) in requests {
        let e = by.entry(unit).or_default();
        e.1 += 1;
        let left = cal.working_days_between(requested, deadline).map(|r| r.value).unwrap_or(i32::MAX);
        if (0..=rules.burst_window_working_days).contains(&left) {
            e.0 += 1;
        }
    }
    by.into_iter()
        .filter(|(_, (late, total))| {
            *late >= rules.burst_min_requests && f64::from(*late) >= rules.burst_share * f64::from(*total)
        })
        .map(|(unit, (late, total))| Burst { unit, late, total })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    fn ids(n: u128) -> Vec<Uuid> {
        (1..=n).map(Uuid::from_u128).collect()
    }

    #[test]
    fn a_draw_is_reproducible_from_its_seed_in_any_order() {
        let c = ids(50);
        let a = draw(42, &c, 5);
        let mut rev = c.clone();
        rev.reverse();
        assert_eq!(a, draw(42, &rev, 5));
        assert_eq!(a.len(), 5);
        assert_ne!(a, draw(43, &c, 5), "another seed, another sample");
        assert_eq!(candidates_digest(&c), candidates_digest(&rev));
    }

    #[test]
    fn a_draw_never_exceeds_the_candidates_or_repeats_one() {
        let mut c = ids(3);
        c.push(Uuid::from_u128(1));
        let s = draw(7, &c, 10);
        assert_eq!(s.len(), 3);
        assert!(draw(7, &[], 3).is_empty());
    }

    #[test]
    fn a_recorded_draw_replays_only_from_the_same_candidates() {
        let c = ids(20);
        let sample = draw(9, &c, 4);
        let digest = candidates_digest(&c);
        let mut shuffled = sample.clone();
        shuffled.reverse();
        assert!(replay(9, 4, &digest, &c, &shuffled).reproduced());
        assert_eq!(replay(10, 4, &digest, &c, &sample), Replay { same_candidates: true, same_sample: false });
        let fewer = &c[1..];
        assert!(!replay(9, 4, &digest, fewer, &sample).same_candidates, "a candidate left: another digest");
    }

    #[test]
    fn the_same_evidence_file_on_two_units_is_flagged() {
        let (p1, p2, u1, u2) = (Uuid::from_u128(1), Uuid::from_u128(2), Uuid::from_u128(10), Uuid::from_u128(20));
        let uses = vec![("aa".to_string(), p1, u1), ("aa".to_string(), p2, u2), ("bb".to_string(), p1, u1)];
        let flags = shared_evidence(&uses);
        assert_eq!(flags.len(), 1);
        assert_eq!(flags[0].units, vec![u1, u2]);
    }

    #[test]
    fn evidence_dated_before_the_problem_is_flagged() {
        assert!(predates(date(2026, 1, 5), date(2026, 3, 1)));
        assert!(!predates(date(2026, 3, 1), date(2026, 3, 1)));
    }

    #[test]
    fn closure_requests_bunched_before_deadlines_flag_the_unit() {
        let cal = Calendar::builtin();
        let rules = RectifyRules::default();
        let (hasty, steady) = (Uuid::from_u128(1), Uuid::from_u128(2));
        let deadline = date(2026, 6, 30);
        let mut reqs = vec![];
        for d in [29, 30, 26, 29] {
            reqs.push((hasty, date(2026, 6, d), deadline));
        }
        for m in [3, 4, 5] {
            reqs.push((steady, date(2026, m, 10), deadline));
        }
        reqs.push((steady, date(2026, 6, 29), deadline));
        let flags = closure_bursts(&cal, &rules, &reqs);
        assert_eq!(flags, vec![Burst { unit: hasty, late: 4, total: 4 }]);
    }
}
