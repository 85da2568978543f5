//! Rectification (问题清单 → 整改 → 销号): batches, problems, measures,
//! evidence, closures, look-backs, extensions, escalations, spot checks,
//! public ratings and the board tallies.
//!
//! Every command is one transaction ending in its audit event; the board
//! tallies ([`tally`]) are updated inside the same transaction.

pub mod bulk;
mod campaigns;
mod commands;
mod followup;
mod measures;
mod public;
mod queries;
mod spot;
pub mod tally;

pub use campaigns::Campaign;
pub(crate) use commands::insert_listed;
pub use followup::Recompute;
pub use measures::EvidenceFile;
pub use public::{PUBLIC_FIELDS, PublicRating, RatingSummary};
pub use queries::{ProblemFilter, ProblemSort, Todos};
pub use spot::{Flags, Predated, SpotCheck, SpotItem, SpotRecord, SpotSample, SpotSort};
pub use tally::{Board, BoardCell, TrendPoint};

use crate::db::Ts;
use crate::{Result, Store, StoreError};
use jiff::civil::Date;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::rectify::schedule::Milestone;
use qingfeng_domain::rectify::tally::ProblemFacts;
use qingfeng_domain::rectify::{MeasureStatus, ProblemStatus, RectifyRules, RootCause, Source, Warning};
use serde_json::{Value, json};
use uuid::Uuid;

pub const BATCH: &str = "problem_batch";
pub const PROBLEM: &str = "problem";
pub const MEASURE: &str = "measure";
pub const EVIDENCE: &str = "evidence";
pub const CLOSURE: &str = "closure";
pub const EXTENSION: &str = "extension_request";
pub const ESCALATION: &str = "escalation";
pub const SPOT_CHECK: &str = "spot_check";
pub const RATING: &str = "public_rating";
pub const CAMPAIGN: &str = "campaign";

/// The calendar, the configured numbers and "today" a command runs with.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub cal: &'a Calendar,
    pub rules: &'a RectifyRules,
    pub today: Date,
}

pub struct Rectify<'a>(pub(crate) &'a Store);

pub(crate) fn date(s: &str) -> Result<Date> {
    s.parse().map_err(|_| StoreError::Corrupt(format!("date `{s}`")))
}

fn path(s: &str) -> Result<OrgPath> {
    OrgPath::parse(s).ok_or_else(|| StoreError::Corrupt(format!("org path `{s}`")))
}

/// A 问题清单.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Batch {
    pub id: Uuid,
    pub source: String,
    pub reference: String,
    pub issuing_unit_id: Uuid,
    pub issuing_unit_name: String,
    pub issuing_path: String,
    pub issued_on: String,
    pub summary: Option<String>,
    pub created_at: Ts,
    pub problems: i64,
    pub closed: i64,
}

impl Batch {
    pub fn source(&self) -> Option<Source> {
        Source::parse(&self.source)
    }
    pub fn scope(&self) -> Result<OrgPath> {
        path(&self.issuing_path)
    }
    pub fn issued(&self) -> Result<Date> {
        date(&self.issued_on)
    }
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "source": self.source, "reference": self.reference,
            "issuing_unit_id": self.issuing_unit_id, "issued_on": self.issued_on, "summary": self.summary,
            "created_at": self.created_at.rfc3339(),
        })
    }
}

/// A problem with the names a page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Problem {
    pub id: Uuid,
    pub batch_id: Uuid,
    pub seq: i64,
    pub description: String,
    pub root_cause: String,
    pub eight_rules: Option<String>,
    pub campaign_id: Option<Uuid>,
    pub campaign_name: Option<String>,
    pub lead_unit_id: Uuid,
    pub lead_unit_name: String,
    pub lead_path: String,
    pub issuing_unit_id: Uuid,
    pub issuing_unit_name: String,
    pub issuing_path: String,
    pub source: String,
    pub reference: String,
    pub issued_on: String,
    pub leader_id: Option<Uuid>,
    pub leader_name: Option<String>,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub deadline: String,
    pub schedule: String,
    pub status: String,
    pub warning: String,
    pub warning_reason: String,
    pub progress: i64,
    pub relapsed: bool,
    pub paper: bool,
    pub requested_on: Option<String>,
    pub closed_on: Option<String>,
    pub lookback_due: Option<String>,
    pub published: bool,
    pub public_fields: String,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl Problem {
    pub fn status(&self) -> ProblemStatus {
        ProblemStatus::parse(&self.status).unwrap_or(ProblemStatus::InProgress)
    }
    pub fn warning(&self) -> Warning {
        Warning::parse(&self.warning).unwrap_or(Warning::Green)
    }
    pub fn source(&self) -> Option<Source> {
        Source::parse(&self.source)
    }
    pub fn root_cause(&self) -> Option<RootCause> {
        RootCause::parse(&self.root_cause)
    }
    pub fn deadline_date(&self) -> Result<Date> {
        date(&self.deadline)
    }
    pub fn milestones(&self) -> Vec<Milestone> {
        serde_json::from_str(&self.schedule).unwrap_or_default()
    }
    pub fn public_field_list(&self) -> Vec<String> {
        serde_json::from_str(&self.public_fields).unwrap_or_default()
    }
    /// The lead unit's path: where the work is done.
    pub fn lead_scope(&self) -> Result<OrgPath> {
        path(&self.lead_path)
    }
    /// The issuing unit's path: who reviews.
    pub fn issuer_scope(&self) -> Result<OrgPath> {
        path(&self.issuing_path)
    }
    pub fn facts(&self) -> ProblemFacts {
        ProblemFacts { status: self.status(), warning: self.warning(), relapsed: self.relapsed, paper: self.paper }
    }
    /// A short reference like `巡察-3`.
    pub fn code(&self) -> String {
        format!("{}-{}", self.source().map(|s| s.label().zh).unwrap_or_default(), self.seq)
    }
    /// The state the audit chain records. The warning and progress are
    /// derived (recomputed from the rows) and not part of it.
    pub fn snapshot(&self, supporting: &[Uuid], measures: &[Uuid]) -> Value {
        json!({
            "id": self.id, "batch_id": self.batch_id, "seq": self.seq, "description": self.description,
            "root_cause": self.root_cause, "eight_rules": self.eight_rules, "campaign_id": self.campaign_id,
            "lead_unit_id": self.lead_unit_id, "supporting_unit_ids": supporting, "measure_ids": measures,
            "leader_id": self.leader_id, "owner_id": self.owner_id, "deadline": self.deadline,
            "schedule": serde_json::from_str::<Value>(&self.schedule).unwrap_or(Value::Null),
            "status": self.status, "relapsed": self.relapsed, "paper": self.paper,
            "requested_on": self.requested_on, "closed_on": self.closed_on, "lookback_due": self.lookback_due,
            "published": self.published, "public_fields": serde_json::from_str::<Value>(&self.public_fields).unwrap_or(Value::Null),
            "created_at": self.created_at.rfc3339(),
        })
    }
}

/// A 整改措施.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Measure {
    pub id: Uuid,
    pub org_unit_id: Uuid,
    pub org_unit_name: String,
    pub org_path: String,
    pub title: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub due_on: String,
    pub status: String,
    pub done_on: Option<String>,
    pub evidence_count: i64,
    pub problem_count: i64,
    pub created_at: Ts,
}

impl Measure {
    pub fn status(&self) -> MeasureStatus {
        MeasureStatus::parse(&self.status).unwrap_or(MeasureStatus::Open)
    }
    pub fn scope(&self) -> Result<OrgPath> {
        path(&self.org_path)
    }
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "org_unit_id": self.org_unit_id, "title": self.title, "owner_id": self.owner_id,
            "due_on": self.due_on, "status": self.status, "done_on": self.done_on, "created_at": self.created_at.rfc3339(),
        })
    }
}

/// One item of 佐证材料. Never edited: a new revision supersedes it.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Evidence {
    pub id: Uuid,
    pub measure_id: Uuid,
    pub revision_of: Option<Uuid>,
    pub superseded: bool,
    pub note: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size: Option<i64>,
    pub sha256: Option<String>,
    pub sm3: Option<String>,
    pub dated_on: String,
    pub submitted_by: String,
    pub submitted_at: Ts,
}

impl Evidence {
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "measure_id": self.measure_id, "revision_of": self.revision_of, "superseded": self.superseded,
            "note": self.note, "file_name": self.file_name, "content_type": self.content_type, "size": self.size,
            "sha256": self.sha256, "sm3": self.sm3, "dated_on": self.dated_on, "submitted_by": self.submitted_by,
            "submitted_at": self.submitted_at.rfc3339(),
        })
    }
    /// Size in KiB/MiB for display.
    pub fn size_label(&self) -> String {
        match self.size {
            Some(n) if n >= 1024 * 1024 => format!("{:.1} MB", n as f64 / 1048576.0),
            Some(n) => format!("{:.0} KB", (n as f64 / 1024.0).ceil()),
            None => String::new(),
        }
    }
}

/// One step of a problem's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Step {
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub comment: Option<String>,
    pub closure_id: Option<Uuid>,
    pub actor_label: String,
    pub on_date: String,
    pub at: Ts,
}

/// A 销号 and its 回头看.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Closure {
    pub id: Uuid,
    pub problem_id: Uuid,
    pub requested_on: Option<String>,
    pub closed_on: String,
    pub closed_by: String,
    pub state_digest: String,
    pub lookback_due: String,
    pub lookback_result: Option<String>,
    pub lookback_on: Option<String>,
    pub lookback_by: Option<String>,
    pub lookback_comment: Option<String>,
    pub created_at: Ts,
}

impl Closure {
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "problem_id": self.problem_id, "requested_on": self.requested_on, "closed_on": self.closed_on,
            "closed_by": self.closed_by, "state_digest": self.state_digest, "lookback_due": self.lookback_due,
            "lookback_result": self.lookback_result, "lookback_on": self.lookback_on, "lookback_by": self.lookback_by,
            "lookback_comment": self.lookback_comment, "created_at": self.created_at.rfc3339(),
        })
    }
}

/// A 延期 request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Extension {
    pub id: Uuid,
    pub problem_id: Uuid,
    pub old_deadline: String,
    pub new_deadline: String,
    pub reason: String,
    pub status: String,
    pub requested_by: String,
    pub requested_at: Ts,
    pub decided_by: Option<String>,
    pub decided_at: Option<Ts>,
    pub decision_comment: Option<String>,
}

impl Extension {
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "problem_id": self.problem_id, "old_deadline": self.old_deadline,
            "new_deadline": self.new_deadline, "reason": self.reason, "status": self.status,
            "requested_by": self.requested_by, "requested_at": self.requested_at.rfc3339(),
            "decided_by": self.decided_by, "decided_at": self.decided_at.map(|t| t.rfc3339()),
            "decision_comment": self.decision_comment,
        })
    }
}

/// A 督办 escalation to the supervising leader.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Escalation {
    pub id: Uuid,
    pub problem_id: Uuid,
    pub leader_id: Option<Uuid>,
    pub raised_on: String,
    pub reason: String,
    pub resolved_on: Option<String>,
    pub created_at: Ts,
}

impl Escalation {
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "problem_id": self.problem_id, "leader_id": self.leader_id, "raised_on": self.raised_on,
            "reason": self.reason, "resolved_on": self.resolved_on, "created_at": self.created_at.rfc3339(),
        })
    }
}

impl Store {
    pub fn rectify(&self) -> Rectify<'_> {
        Rectify(self)
    }
}

/// The covered entities of this module, for `audit verify`.
pub const COVERED: [&str; 10] = [CAMPAIGN, BATCH, PROBLEM, MEASURE, EVIDENCE, CLOSURE, EXTENSION, ESCALATION, SPOT_CHECK, RATING];
