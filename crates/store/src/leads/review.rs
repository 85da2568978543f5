//! 定期汇总核对: a period's figures counted from the ledger (one definition
//! of each, in Rust for the counts and in SQL for the ledger rows behind
//! them), and the confirmation of a period by a person.

use super::ledger::Lead;
use super::{LEAD_REVIEW, Leads};
use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, exec_tx, fetch_all_as, fetch_all_tx};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use serde_json::{Value, json};
use uuid::Uuid;

/// Which of a period's figures (see [`Figures`]).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Figure {
    Carried,
    Received,
    Concluded,
    OpenAtEnd,
    OverdueAtEnd,
    /// Carried or received: the leads the period worked on.
    Active,
}

impl Figure {
    pub fn parse(s: &str) -> Option<Figure> {
        Some(match s {
            "carried" => Figure::Carried,
            "received" => Figure::Received,
            "concluded" => Figure::Concluded,
            "open" => Figure::OpenAtEnd,
            "overdue" => Figure::OverdueAtEnd,
            "active" => Figure::Active,
            _ => return None,
        })
    }
    pub fn as_str(self) -> &'static str {
        match self {
            Figure::Carried => "carried",
            Figure::Received => "received",
            Figure::Concluded => "concluded",
            Figure::OpenAtEnd => "open",
            Figure::OverdueAtEnd => "overdue",
            Figure::Active => "active",
        }
    }
    /// Whether `l` counts under this figure for `[start, end]` — the one
    /// definition both the counts and the ledger's rows use.
    pub fn holds(self, l: &Lead, start: &str, end: &str) -> bool {
        let received = l.received_on.as_str();
        let concluded = l.concluded_on.as_deref();
        let open_at_end = received <= end && concluded.is_none_or(|c| c > end);
        match self {
            Figure::Carried => received < start && concluded.is_none_or(|c| c >= start),
            Figure::Received => received >= start && received <= end,
            Figure::Concluded => concluded.is_some_and(|c| c >= start && c <= end),
            Figure::OpenAtEnd => open_at_end,
            Figure::OverdueAtEnd => open_at_end && l.step_due.as_deref().is_some_and(|d| d < end),
            Figure::Active => received <= end && concluded.is_none_or(|c| c >= start),
        }
    }
}

/// A period's figures, counted from the ledger (nothing typed): what was
/// carried over from before the period, received, concluded in it, and
/// still open (and past its stage's limit) at its end; sources and
/// disposals by code.
#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Figures {
    pub carried: u32,
    pub received: u32,
    pub by_source: Vec<(String, u32)>,
    pub by_disposal: Vec<(String, u32)>,
    pub concluded: u32,
    pub open_at_end: u32,
    pub overdue_at_end: u32,
}

impl Figures {
    /// The figures of `[start, end]` (YYYY-MM-DD) over `leads`: sources of
    /// the leads received in the period, disposals of those it worked on.
    pub fn of(leads: &[Lead], start: &str, end: &str) -> Figures {
        let count = |f: Figure| u32::try_from(leads.iter().filter(|l| f.holds(l, start, end)).count()).unwrap_or(u32::MAX);
        let mut by_source = std::collections::BTreeMap::new();
        let mut by_disposal = std::collections::BTreeMap::new();
        for l in leads {
            if Figure::Received.holds(l, start, end) {
                *by_source.entry(l.source.clone()).or_insert(0u32) += 1;
            }
            if let Some(d) = l.disposal.as_ref().filter(|_| Figure::Active.holds(l, start, end)) {
                *by_disposal.entry(d.clone()).or_insert(0u32) += 1;
            }
        }
        Figures {
            carried: count(Figure::Carried),
            received: count(Figure::Received),
            concluded: count(Figure::Concluded),
            open_at_end: count(Figure::OpenAtEnd),
            overdue_at_end: count(Figure::OverdueAtEnd),
            by_source: by_source.into_iter().collect(),
            by_disposal: by_disposal.into_iter().collect(),
        }
    }
}

/// A period's reconciliation, confirmed by a person.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LeadReview {
    pub id: Uuid,
    pub unit_id: Uuid,
    pub period: String,
    pub figures: String,
    pub note: Option<String>,
    pub by_label: String,
    pub at: Ts,
}

impl LeadReview {
    pub fn snapshot(&self) -> Value {
        json!({ "id": self.id, "unit_id": self.unit_id, "period": self.period, "figures": self.figures, "note": self.note, "by_label": self.by_label, "at": self.at.rfc3339() })
    }
}

impl Leads<'_> {
    /// 定期汇总核对: confirms a period's figures for a unit (once per period).
    pub async fn review(&self, who: &Who, unit: Uuid, period: &str, figures: &Value, note: Option<&str>) -> Result<LeadReview> {
        let mut tx = self.0.pool.begin_write().await?;
        crate::org::get_in(&mut tx, unit).await?;
        let mut q = Sql::new("SELECT * FROM lead_reviews WHERE unit_id = ");
        q.arg(unit).push(" AND period = ").arg(period.to_string());
        if !fetch_all_tx!(&mut tx, LeadReview, q)?.is_empty() {
            return Err(Refusal::new("already_reviewed", "本期已核对确认", "this period is already confirmed").into());
        }
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query("INSERT INTO lead_reviews (id, unit_id, period, figures, note, by_label, at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id).bind(unit).bind(period).bind(figures.to_string()).bind(note.map(str::trim).filter(|n| !n.is_empty()))
            .bind(&who.label).bind(Ts::now()).execute(c).await)?;
        let mut q = Sql::new("SELECT * FROM lead_reviews WHERE id = ");
        q.arg(id);
        let r = fetch_all_tx!(&mut tx, LeadReview, q)?.into_iter().next().ok_or(StoreError::NotFound)?;
        commit_with(tx, self.0.algo, who, Draft::change("leads.ledger.review", LEAD_REVIEW, id, Some(unit), r.snapshot())).await?;
        Ok(r)
    }

    pub async fn reviews(&self, unit: Uuid) -> Result<Vec<LeadReview>> {
        let mut q = Sql::new("SELECT * FROM lead_reviews WHERE unit_id = ");
        q.arg(unit).push(" ORDER BY period DESC");
        Ok(fetch_all_as!(&self.0.pool, LeadReview, q)?)
    }

    pub(crate) async fn review_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let q = Sql::new("SELECT * FROM lead_reviews ORDER BY id");
        Ok(fetch_all_as!(&self.0.pool, LeadReview, q)?.into_iter().map(|r| (r.id.to_string(), r.snapshot())).collect())
    }
}
