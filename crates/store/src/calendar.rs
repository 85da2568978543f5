//! Holiday schedules imported with `qingfeng calendar import`, layered over
//! the ones built into the binary.

use crate::audit::{Draft, Who, commit_with};
use crate::db::{Ts, exec_tx, on_pool};
use crate::{Result, Store, StoreError};
use qingfeng_domain::calendar::{Calendar, YearSchedule};
use serde_json::{Value, json};
use std::collections::BTreeSet;

pub const ENTITY: &str = "calendar_year";

#[derive(sqlx::FromRow)]
struct YearRow {
    year: i32,
    source: String,
    holidays: String,
    workdays: String,
    imported_at: Ts,
}

impl YearRow {
    fn schedule(&self) -> Result<YearSchedule> {
        let parse = |s: &str| -> Result<BTreeSet<jiff::civil::Date>> {
            serde_json::from_str(s).map_err(|e| StoreError::Corrupt(format!("calendar {}: {e}", self.year)))
        };
        Ok(YearSchedule {
            year: i16::try_from(self.year).map_err(|_| StoreError::Corrupt(format!("calendar year {}", self.year)))?,
            source: self.source.clone(),
            holidays: parse(&self.holidays)?,
            workdays: parse(&self.workdays)?,
        })
    }

    fn snapshot(&self) -> Value {
        json!({
            "year": self.year,
            "source": self.source,
            "holidays": self.holidays,
            "workdays": self.workdays,
            "imported_at": self.imported_at.rfc3339(),
        })
    }
}

/// An imported year and when it was imported.
#[derive(Debug, Clone)]
pub struct ImportedYear {
    pub schedule: YearSchedule,
    pub imported_at: Ts,
}

pub struct CalendarYears<'a>(pub(crate) &'a Store);

impl CalendarYears<'_> {
    async fn rows(&self) -> Result<Vec<YearRow>> {
        Ok(on_pool!(&self.0.pool, c => sqlx::query_as(
            "SELECT year, source, holidays, workdays, imported_at FROM calendar_years ORDER BY year").fetch_all(c).await)?)
    }

    pub async fn imported(&self) -> Result<Vec<ImportedYear>> {
        self.rows()
            .await?
            .iter()
            .map(|r| Ok(ImportedYear { schedule: r.schedule()?, imported_at: r.imported_at }))
            .collect()
    }

    /// The built-in schedules with imported years laid over them.
    pub async fn load(&self) -> Result<Calendar> {
        let mut cal = Calendar::builtin();
        for y in self.imported().await? {
            cal.insert(y.schedule);
        }
        Ok(cal)
    }

    /// Adds or replaces one year.
    pub async fn import(&self, who: &Who, y: &YearSchedule) -> Result<()> {
        let to_json = |d: &BTreeSet<jiff::civil::Date>| serde_json::to_string(d).unwrap_or_else(|_| "[]".into());
        let mut tx = self.0.pool.begin_write().await?;
        let now = Ts::now();
        let row = YearRow {
            year: i32::from(y.year),
            source: y.source.clone(),
            holidays: to_json(&y.holidays),
            workdays: to_json(&y.workdays),
            imported_at: now,
        };
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO calendar_years (year, source, holidays, workdays, imported_at) VALUES ($1, $2, $3, $4, $5) \
             ON CONFLICT (year) DO UPDATE SET source = excluded.source, holidays = excluded.holidays, \
             workdays = excluded.workdays, imported_at = excluded.imported_at")
            .bind(row.year).bind(&row.source).bind(&row.holidays).bind(&row.workdays).bind(now).execute(c).await)?;
        commit_with(tx, self.0.algo, who, Draft::change("calendar.import", ENTITY, y.year, None, row.snapshot())).await
    }

    pub(crate) async fn snapshots(&self) -> Result<Vec<(String, Value)>> {
        Ok(self.rows().await?.iter().map(|r| (r.year.to_string(), r.snapshot())).collect())
    }
}
