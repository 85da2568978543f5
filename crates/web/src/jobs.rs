//! Scheduled work of a running server: the daily rectification job (and
//! the task colours of 部署分解).
//!
//! Once at start (so a server that was down at midnight catches up) and then
//! every day shortly after midnight China time: recompute every open
//! problem's warning colour, raise 督办 escalations for red ones, and take
//! the board's daily snapshot for the trend. Both steps are idempotent, so
//! running twice on one day changes nothing.

use crate::AppState;
use crate::rectify::{reckon, today};
use jiff::civil::Date;
use qingfeng_store::Who;
use qingfeng_store::rectify::Recompute;
use std::time::Duration;

/// What one run of the daily job did.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DailyRun {
    pub day: Date,
    pub warnings: Recompute,
    /// Units whose figures went into the trend.
    pub snapshots: u64,
    /// 部署分解: task colours recomputed and 督办 raised.
    pub tasks: qingfeng_store::tasks::Recompute,
}

/// One run of the daily job for `day`.
pub async fn run_daily(state: &AppState, day: Date) -> Result<DailyRun, qingfeng_store::StoreError> {
    let mut r = reckon(state);
    r.today = day;
    let rectify = state.store.rectify();
    let warnings = rectify.recompute_warnings(&Who::system("daily"), &r.env()).await?;
    let snapshots = rectify.snapshot_day(day).await?;
    let mut t = crate::tasks::reckon(state);
    t.today = day;
    let tasks = state.store.tasks().recompute_warnings(&Who::system("daily"), &t.env()).await?;
    Ok(DailyRun { day, warnings, snapshots, tasks })
}

/// Time from `now` until the next run (00:05 China time).
fn until_next_run(now: jiff::Timestamp) -> Duration {
    let tz = jiff::tz::TimeZone::fixed(jiff::tz::offset(8));
    let local = now.to_zoned(tz.clone());
    let next = local
        .date()
        .tomorrow()
        .ok()
        .and_then(|d| d.at(0, 5, 0, 0).to_zoned(tz).ok())
        .map(|z| z.timestamp().duration_since(now));
    next.and_then(|d| Duration::try_from(d).ok()).unwrap_or(Duration::from_secs(3600))
}

/// Runs the daily job now and then every day, for as long as the server runs.
pub async fn daily_loop(state: AppState) {
    loop {
        let day = today();
        match run_daily(&state, day).await {
            Ok(r) => tracing::info!(
                day = %r.day,
                checked = r.warnings.checked,
                changed = r.warnings.changed,
                escalated = r.warnings.escalated,
                resolved = r.warnings.resolved,
                snapshots = r.snapshots,
                tasks_changed = r.tasks.changed,
                tasks_escalated = r.tasks.escalated,
                "daily rectification job done"
            ),
            // Tried again at the next run; the board's on-demand recompute remains.
            Err(e) => tracing::error!(day = %day, error = %e, "daily rectification job failed"),
        }
        tokio::time::sleep(until_next_run(jiff::Timestamp::now())).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_next_run_is_just_after_midnight_china_time() {
        // 2026-11-23 15:00 UTC = 23:00 in Beijing: next run at 00:05, 65 minutes on.
        let now: jiff::Timestamp = "2026-11-23T15:00:00Z".parse().unwrap();
        assert_eq!(until_next_run(now), Duration::from_secs(65 * 60));
        // 2026-11-23 16:10 UTC = 00:10 on the 24th: the next run is on the 25th.
        let now: jiff::Timestamp = "2026-11-23T16:10:00Z".parse().unwrap();
        assert_eq!(until_next_run(now), Duration::from_secs(24 * 3600 - 5 * 60));
    }
}
