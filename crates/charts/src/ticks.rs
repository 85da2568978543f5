//! "Nice" axis ticks: round steps of 1, 2, 2.5 or 5 times a power of ten.

/// About five round ticks covering `[min, max]`, e.g. `nice_ticks(0.0, 37.0)`
/// gives `[0, 10, 20, 30, 40]`. The first tick is ≤ `min` and the last ≥
/// `max`; there are always at least two. Non-finite bounds fall back to
/// `[0, 1]`; the bounds may come in either order.
pub fn nice_ticks(min: f64, max: f64) -> Vec<f64> {
    ticks(min, max, 4, false)
}

/// Ticks with about `intervals` steps; `integer` forbids fractional steps
/// (for counts).
pub(crate) fn ticks(min: f64, max: f64, intervals: u32, integer: bool) -> Vec<f64> {
    if !min.is_finite() || !max.is_finite() {
        return vec![0.0, 1.0];
    }
    let (mut lo, mut hi) = if min <= max { (min, max) } else { (max, min) };
    if lo == hi {
        let d = if lo == 0.0 { 1.0 } else { (lo.abs() * 0.1).max(f64::MIN_POSITIVE) };
        lo -= d;
        hi += d;
        if integer && min >= 0.0 && lo < 0.0 {
            lo = 0.0;
        }
    }
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return vec![lo, hi];
    }
    let raw = span / f64::from(intervals.max(1));
    let mag = 10f64.powf(raw.log10().floor());
    let norm = raw / mag;
    let mult = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .filter(|m| !(integer && *m == 2.5 && mag < 10.0))
        .find(|m| *m >= norm - 1e-9)
        .unwrap_or(10.0);
    let mut step = mult * mag;
    if integer && step < 1.0 {
        step = 1.0;
    }
    if !step.is_finite() || step <= 0.0 {
        return vec![lo, hi];
    }
    let first = (lo / step + 1e-9).floor();
    let last = (hi / step - 1e-9).ceil();
    let count = (last - first).clamp(1.0, 100.0) as u32;
    let decimals = (-step.log10().floor()).clamp(0.0, 15.0) as i32 + 1;
    let scale = 10f64.powi(decimals);
    (0..=count)
        .map(|i| {
            let t = (first + f64::from(i)) * step;
            let r = (t * scale).round() / scale;
            if r.is_finite() && step < 1e15 { r } else { t }
        })
        .map(|t| if t == 0.0 { 0.0 } else { t })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn zero_to_37_steps_by_ten() {
        assert_eq!(nice_ticks(0.0, 37.0), vec![0.0, 10.0, 20.0, 30.0, 40.0]);
    }

    #[test]
    fn small_ranges_step_by_fives_or_ones() {
        assert_eq!(nice_ticks(0.0, 18.0), vec![0.0, 5.0, 10.0, 15.0, 20.0]);
        assert_eq!(nice_ticks(0.0, 4.0), vec![0.0, 1.0, 2.0, 3.0, 4.0]);
    }

    #[test]
    fn hundreds_step_by_round_numbers() {
        assert_eq!(nice_ticks(0.0, 180.0), vec![0.0, 50.0, 100.0, 150.0, 200.0]);
        assert_eq!(nice_ticks(0.0, 100.0), vec![0.0, 25.0, 50.0, 75.0, 100.0]);
    }

    #[test]
    fn fractional_steps_are_clean() {
        assert_eq!(nice_ticks(0.0, 0.7), vec![0.0, 0.2, 0.4, 0.6, 0.8]);
    }

    #[test]
    fn negative_and_reversed_ranges() {
        assert_eq!(nice_ticks(-3.0, 7.0), vec![-5.0, -2.5, 0.0, 2.5, 5.0, 7.5]);
        assert_eq!(nice_ticks(37.0, 0.0), nice_ticks(0.0, 37.0));
    }

    #[test]
    fn degenerate_ranges_still_give_two_ticks() {
        assert_eq!(nice_ticks(0.0, 0.0), vec![-1.0, -0.5, 0.0, 0.5, 1.0]);
        assert_eq!(ticks(0.0, 0.0, 4, true), vec![0.0, 1.0]);
        assert_eq!(ticks(5.0, 5.0, 4, true), vec![4.0, 5.0, 6.0]);
        assert_eq!(nice_ticks(f64::NAN, 3.0), vec![0.0, 1.0]);
        assert_eq!(nice_ticks(0.0, f64::INFINITY), vec![0.0, 1.0]);
        let wide = nice_ticks(-f64::MAX, f64::MAX);
        assert!(wide.len() >= 2 && wide.iter().all(|t| t.is_finite()));
    }

    #[test]
    fn integer_ticks_never_fractional() {
        assert_eq!(ticks(0.0, 3.0, 4, true), vec![0.0, 1.0, 2.0, 3.0]);
        assert_eq!(ticks(0.0, 1.0, 4, true), vec![0.0, 1.0]);
        assert_eq!(ticks(0.0, 9.0, 4, true), vec![0.0, 5.0, 10.0]);
        assert_eq!(ticks(0.0, 2.2, 4, true), vec![0.0, 1.0, 2.0, 3.0]);
    }

    #[test]
    fn huge_values_stay_finite_and_cover_the_max() {
        let max = (u64::MAX / 2) as f64;
        let t = ticks(0.0, max, 4, true);
        assert!(t.iter().all(|v| v.is_finite()));
        assert!(*t.last().unwrap() >= max);
        assert_eq!(t[0], 0.0);
    }

    #[test]
    fn ticks_always_cover_the_range() {
        for (lo, hi) in [(0.0, 1.0), (0.0, 13.0), (2.0, 97.0), (-55.5, 0.3), (1e-6, 3e-6), (0.0, 123456.0)] {
            let t = nice_ticks(lo, hi);
            assert!(t[0] <= lo && *t.last().unwrap() >= hi, "{lo}..{hi}: {t:?}");
            assert!(t.len() <= 12, "{t:?}");
        }
    }
}
