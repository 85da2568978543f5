//! 信访举报: reports as received, their near-duplicate fingerprints, the
//! two-way messages with the reporter ([`reports`]), and identity releases
//! ([`releases`]).
//!
//! The store never sees a reporter's identity in the clear nor a receipt
//! code: the caller seals the identity (`qingfeng-seal`, bound to the report
//! id) and hashes the code before a report reaches here, and opens the
//! envelope only after [`Leads::read_release`] hands it out once. Audit
//! snapshots carry a digest of the envelope, never the envelope itself.

mod followup;
mod ledger;
mod people;
mod releases;
mod reports;
mod review;

pub use followup::{Clearance, Inquiry, Referral};
pub use ledger::{Lead, LeadEnv, LeadFilter, LeadStep, NewLead, Step};
pub use people::{LeadPerson, NewPerson};
pub use review::{Figure, Figures, LeadReview};
pub use releases::Release;
pub use reports::{Candidate, NewFile, NewReport, ReportFile, ReportMessage};

use crate::db::Ts;
use crate::{Result, Store, StoreError};
use qingfeng_domain::audit::HashAlgo;
use qingfeng_domain::leads::report::{Category, Channel, ReportKind};
use qingfeng_domain::org::OrgPath;
use serde_json::{Value, json};
use uuid::Uuid;

pub const REPORT: &str = "report";
pub const RELEASE: &str = "identity_release";
pub const LEAD: &str = "lead";
pub const LEAD_PERSON: &str = "lead_person";
pub const LEAD_REVIEW: &str = "lead_review";
pub const INQUIRY: &str = "dual_inquiry";
pub const REFERRAL: &str = "referral";
pub const CLEARANCE: &str = "clearance";

/// The covered entities of this module, for `audit verify`.
pub const COVERED: [&str; 8] = [REPORT, RELEASE, LEAD, LEAD_PERSON, LEAD_REVIEW, INQUIRY, REFERRAL, CLEARANCE];

pub struct Leads<'a>(pub(crate) &'a Store);

impl Store {
    pub fn leads(&self) -> Leads<'_> {
        Leads(self)
    }
}

/// A report with the names a page shows. `identity_sealed` is ciphertext.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Report {
    pub id: Uuid,
    pub reg_no: Option<String>,
    pub kind: String,
    pub channel: String,
    pub category: String,
    pub eight_rules: Option<String>,
    pub reported_name: Option<String>,
    pub reported_unit: Option<String>,
    pub reported_post: Option<String>,
    pub reported_level: Option<String>,
    pub title: String,
    pub content: String,
    pub real_name: bool,
    pub identity_sealed: Option<String>,
    pub intake_unit_id: Uuid,
    pub intake_unit_name: String,
    pub intake_path: String,
    pub handling_unit_id: Option<Uuid>,
    pub handling_unit_name: Option<String>,
    pub handling_path: Option<String>,
    pub status: String,
    pub received_on: String,
    pub accept_due: String,
    pub notice_due: Option<String>,
    pub accepted_on: Option<String>,
    pub noticed_on: Option<String>,
    pub duplicate_of: Option<Uuid>,
    pub similarity: Option<i64>,
    pub registered_by: Option<String>,
    pub result_text: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl Report {
    pub fn kind(&self) -> ReportKind {
        ReportKind::parse(&self.kind).unwrap_or(ReportKind::Accusation)
    }
    pub fn channel(&self) -> Channel {
        Channel::parse(&self.channel).unwrap_or(Channel::Online)
    }
    pub fn category(&self) -> Option<Category> {
        Category::parse(&self.category)
    }
    /// Who is reported, as one line: name · unit · post (what is given).
    pub fn reported_line(&self) -> String {
        let parts: Vec<&str> = [&self.reported_name, &self.reported_unit, &self.reported_post]
            .into_iter()
            .filter_map(|p| p.as_deref().map(str::trim).filter(|p| !p.is_empty()))
            .collect();
        if parts.is_empty() { "—".into() } else { parts.join(" · ") }
    }
    pub fn intake_scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.intake_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.intake_path)))
    }
    pub fn handling_scope(&self) -> Result<Option<OrgPath>> {
        self.handling_path
            .as_deref()
            .map(|p| OrgPath::parse(p).ok_or_else(|| StoreError::Corrupt(format!("org path `{p}`"))))
            .transpose()
    }
    /// The audit state: everything but the envelope, which is represented
    /// by its digest (the chain proves it unchanged without holding it).
    pub fn snapshot(&self) -> Value {
        let sealed = self.identity_sealed.as_deref().map(|s| HashAlgo::Sha256.digest(s.as_bytes()));
        json!({
            "id": self.id, "reg_no": self.reg_no, "kind": self.kind, "channel": self.channel,
            "category": self.category, "eight_rules": self.eight_rules, "reported_name": self.reported_name,
            "reported_unit": self.reported_unit, "reported_post": self.reported_post,
            "reported_level": self.reported_level, "title": self.title,
            "content_sha256": HashAlgo::Sha256.digest(self.content.as_bytes()), "real_name": self.real_name,
            "identity_sealed_sha256": sealed, "intake_unit_id": self.intake_unit_id,
            "handling_unit_id": self.handling_unit_id, "status": self.status, "received_on": self.received_on,
            "accept_due": self.accept_due, "notice_due": self.notice_due, "accepted_on": self.accepted_on,
            "noticed_on": self.noticed_on, "duplicate_of": self.duplicate_of, "similarity": self.similarity,
            "registered_by": self.registered_by, "result_text": self.result_text,
            "created_at": self.created_at.rfc3339(),
        })
    }
}

impl Leads<'_> {
    pub(crate) async fn snapshots(&self, entity: &str) -> Result<Vec<(String, Value)>> {
        match entity {
            REPORT => self.report_snapshots().await,
            RELEASE => self.release_snapshots().await,
            LEAD => self.lead_snapshots().await,
            LEAD_PERSON => self.person_snapshots().await,
            LEAD_REVIEW => self.review_snapshots().await,
            INQUIRY => self.inquiry_snapshots().await,
            REFERRAL => self.referral_snapshots().await,
            CLEARANCE => self.clearance_snapshots().await,
            other => Err(StoreError::Corrupt(format!("no snapshot for {other}"))),
        }
    }
}
