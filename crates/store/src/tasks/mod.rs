//! 部署分解 and 责任清单: directives with their draft ([`directives`]),
//! cascaded tasks with their lifecycle, progress reports and deadline change
//! requests ([`commands`]), reads and board counts ([`queries`]).
//!
//! Every command is one transaction ending in its audit event. A task's
//! `progress` and `warning` are derived (reported on leaves, rolled up to
//! every ancestor inside the same transaction), never typed.

pub(crate) mod commands;
mod directives;
mod duties;
mod duty_reads;
mod queries;

pub use commands::Recompute;
pub use directives::ProblemsToBatch;
pub use duties::{DUTY_ENTRY, DUTY_LIST, DUTY_RECORD, DutyEntry, DutyList, DutyRecordRow};
pub use duty_reads::{DutyListFilter, EntryLine, PersonDutyLine, seats_of};
pub use queries::{TaskFilter, UnitCount};

use crate::db::Ts;
use crate::{Result, Store, StoreError};
use jiff::civil::Date;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::tasks::{DirectiveKind, DirectiveStatus, Milestone, TaskRules, TaskStatus, Warning};
use serde_json::{Value, json};
use uuid::Uuid;

pub const DIRECTIVE: &str = "directive";
pub const TASK: &str = "task";
pub const DEADLINE_CHANGE: &str = "deadline_change";

/// The covered entities of this module, for `audit verify`.
pub const COVERED: [&str; 6] = [DIRECTIVE, TASK, DEADLINE_CHANGE, DUTY_LIST, DUTY_ENTRY, DUTY_RECORD];

/// The calendar, the configured numbers and "today" a command runs with.
#[derive(Debug, Clone, Copy)]
pub struct Env<'a> {
    pub cal: &'a Calendar,
    pub rules: &'a TaskRules,
    pub today: Date,
}

pub struct Tasks<'a>(pub(crate) &'a Store);

impl Store {
    pub fn tasks(&self) -> Tasks<'_> {
        Tasks(self)
    }
}

use crate::rectify::date;

fn path(s: &str) -> Result<OrgPath> {
    OrgPath::parse(s).ok_or_else(|| StoreError::Corrupt(format!("org path `{s}`")))
}

/// A directive (部署) with its source text, outline and draft.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Directive {
    pub id: Uuid,
    pub kind: String,
    pub title: String,
    pub reference: Option<String>,
    pub issuing_unit_id: Uuid,
    pub issuing_unit_name: String,
    pub issuing_path: String,
    pub issued_on: String,
    pub source_text: String,
    pub outline: String,
    pub draft: String,
    pub status: String,
    pub created_by: String,
    pub created_at: Ts,
    pub issued_at: Option<Ts>,
    pub batch_id: Option<Uuid>,
    pub tasks: i64,
    pub done: i64,
}

impl Directive {
    pub fn kind(&self) -> DirectiveKind {
        DirectiveKind::parse(&self.kind).unwrap_or(DirectiveKind::Document)
    }
    pub fn status(&self) -> DirectiveStatus {
        DirectiveStatus::parse(&self.status).unwrap_or(DirectiveStatus::Draft)
    }
    pub fn scope(&self) -> Result<OrgPath> {
        path(&self.issuing_path)
    }
    pub fn issued(&self) -> Result<Date> {
        date(&self.issued_on)
    }
    /// The draft items being edited.
    pub fn draft_items(&self) -> Vec<qingfeng_domain::tasks::draft::DraftItem> {
        serde_json::from_str(&self.draft).unwrap_or_default()
    }
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "kind": self.kind, "title": self.title, "reference": self.reference,
            "issuing_unit_id": self.issuing_unit_id, "issued_on": self.issued_on,
            "source_sha256": qingfeng_domain::audit::HashAlgo::Sha256.digest(self.source_text.as_bytes()),
            "draft": self.draft, "status": self.status, "created_by": self.created_by,
            "created_at": self.created_at.rfc3339(), "issued_at": self.issued_at.map(Ts::rfc3339),
            "batch_id": self.batch_id,
        })
    }
}

/// A task with the names a page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Task {
    pub id: Uuid,
    pub directive_id: Option<Uuid>,
    pub directive_title: Option<String>,
    pub duty_entry_id: Option<Uuid>,
    pub occurrence: Option<String>,
    pub parent_id: Option<Uuid>,
    pub seq: i64,
    pub code: String,
    pub depth: i64,
    pub issuing_unit_id: Uuid,
    pub issuing_unit_name: String,
    pub issuing_path: String,
    pub lead_unit_id: Uuid,
    pub lead_unit_name: String,
    pub lead_path: String,
    pub owner_id: Option<Uuid>,
    pub owner_name: Option<String>,
    pub supervising_leader_id: Option<Uuid>,
    pub supervising_leader_name: Option<String>,
    pub title: String,
    pub body: Option<String>,
    pub deadline: String,
    pub milestones: String,
    pub weight: i64,
    pub status: String,
    pub reported: Option<i64>,
    pub progress: i64,
    pub warning: String,
    pub warning_reason: String,
    pub issued_on: String,
    pub accepted_on: Option<String>,
    pub done_on: Option<String>,
    pub last_reason: Option<String>,
    pub escalated_on: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
    /// Sub-tasks that are not withdrawn, and of those the done ones.
    pub children: i64,
    pub children_done: i64,
    /// 配合单位, joined with "、".
    pub supporting_names: Option<String>,
}

impl Task {
    pub fn status(&self) -> TaskStatus {
        TaskStatus::parse(&self.status).unwrap_or(TaskStatus::Issued)
    }
    pub fn warning(&self) -> Warning {
        Warning::parse(&self.warning).unwrap_or(Warning::Green)
    }
    pub fn lead_scope(&self) -> Result<OrgPath> {
        path(&self.lead_path)
    }
    pub fn issuer_scope(&self) -> Result<OrgPath> {
        path(&self.issuing_path)
    }
    pub fn deadline_date(&self) -> Result<Date> {
        date(&self.deadline)
    }
    pub fn issued_date(&self) -> Result<Date> {
        date(&self.issued_on)
    }
    pub fn milestones(&self) -> Vec<Milestone> {
        serde_json::from_str(&self.milestones).unwrap_or_default()
    }
    pub fn progress_u8(&self) -> u8 {
        u8::try_from(self.progress.clamp(0, 100)).unwrap_or(0)
    }
    pub fn reported_u8(&self) -> Option<u8> {
        self.reported.map(|p| u8::try_from(p.clamp(0, 100)).unwrap_or(0))
    }
    pub fn snapshot(&self, supporting: &[Uuid]) -> Value {
        json!({
            "id": self.id, "directive_id": self.directive_id, "duty_entry_id": self.duty_entry_id,
            "occurrence": self.occurrence, "parent_id": self.parent_id, "seq": self.seq, "code": self.code,
            "depth": self.depth, "issuing_unit_id": self.issuing_unit_id, "lead_unit_id": self.lead_unit_id,
            "supporting_unit_ids": supporting, "owner_id": self.owner_id,
            "supervising_leader_id": self.supervising_leader_id, "title": self.title, "body": self.body,
            "deadline": self.deadline, "milestones": self.milestones, "weight": self.weight,
            "status": self.status, "reported": self.reported, "progress": self.progress,
            "warning": self.warning, "issued_on": self.issued_on, "accepted_on": self.accepted_on,
            "done_on": self.done_on, "last_reason": self.last_reason, "escalated_on": self.escalated_on,
            "created_at": self.created_at.rfc3339(),
        })
    }
}

/// One step of a task's history.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Step {
    pub id: Uuid,
    pub task_id: Uuid,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: String,
    pub comment: Option<String>,
    pub actor_label: String,
    pub on_date: String,
    pub at: Ts,
}

/// A progress report on a leaf.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Report {
    pub id: Uuid,
    pub task_id: Uuid,
    pub percent: i64,
    pub note: String,
    pub on_date: String,
    pub reported_by: String,
    pub at: Ts,
}

/// A deadline change request.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DeadlineChangeRow {
    pub id: Uuid,
    pub task_id: Uuid,
    pub current_deadline: String,
    pub requested_deadline: String,
    pub reason: String,
    pub status: String,
    pub decision_comment: Option<String>,
    pub requested_by: String,
    pub decided_by: Option<String>,
    pub requested_at: Ts,
    pub decided_at: Option<Ts>,
}

impl DeadlineChangeRow {
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "task_id": self.task_id, "current_deadline": self.current_deadline,
            "requested_deadline": self.requested_deadline, "reason": self.reason, "status": self.status,
            "decision_comment": self.decision_comment, "requested_by": self.requested_by,
            "decided_by": self.decided_by, "requested_at": self.requested_at.rfc3339(),
            "decided_at": self.decided_at.map(Ts::rfc3339),
        })
    }
}

impl Tasks<'_> {
    pub(crate) async fn snapshots(&self, entity: &str) -> Result<Vec<(String, Value)>> {
        match entity {
            DIRECTIVE => self.directive_snapshots().await,
            TASK => self.task_snapshots().await,
            DEADLINE_CHANGE => self.deadline_change_snapshots().await,
            DUTY_LIST => self.duty_list_snapshots().await,
            DUTY_ENTRY => self.duty_entry_snapshots().await,
            DUTY_RECORD => self.duty_record_snapshots().await,
            other => Err(StoreError::Corrupt(format!("no snapshot for {other}"))),
        }
    }
}
