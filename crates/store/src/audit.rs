//! The audit chain in the database: append inside each command's
//! transaction, list and read for the auditor page, verify end to end.

use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_page, on_pool, on_tx};
use crate::{Result, Store, StoreError};
use qingfeng_domain::audit::{Break, ChainVerifier, Event, HashAlgo, canonical_json};
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::{Page, PageRequest};
use serde_json::{Map, Value};
use uuid::Uuid;

/// Who performs a command, as recorded in the audit chain.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Who {
    pub account_id: Option<Uuid>,
    pub label: String,
}

impl Who {
    /// A signed-in account.
    pub fn account(id: Uuid, username: &str) -> Who {
        Who { account_id: Some(id), label: username.to_string() }
    }

    /// The system itself or an operator at the shell (`cli`, `demo`, `bootstrap`).
    pub fn system(label: &str) -> Who {
        Who { account_id: None, label: format!("system:{label}") }
    }
}

/// One event about to be appended.
pub(crate) struct Draft {
    pub action: &'static str,
    pub entity: &'static str,
    pub entity_id: String,
    /// The unit the event belongs to, for scoping who may read it.
    pub org_unit_id: Option<Uuid>,
    /// `Some(Some(state))` after a create/change, `Some(None)` after a delete,
    /// `None` for events that change no covered record.
    pub state: Option<Option<Value>>,
    /// Anything else worth recording (never secrets).
    pub detail: Option<Value>,
}

impl Draft {
    pub fn change(
        action: &'static str,
        entity: &'static str,
        id: impl ToString,
        org: Option<Uuid>,
        state: Value,
    ) -> Draft {
        Draft { action, entity, entity_id: id.to_string(), org_unit_id: org, state: Some(Some(state)), detail: None }
    }

    pub fn with_detail(mut self, detail: Value) -> Draft {
        self.detail = Some(detail);
        self
    }
}

/// Appends one event to the chain inside `tx` and returns its sequence number.
pub(crate) async fn append(tx: &mut Tx, algo: HashAlgo, who: &Who, d: Draft) -> Result<i64> {
    let mut payload = Map::new();
    if let Some(state) = d.state {
        payload.insert("state".into(), state.unwrap_or(Value::Null));
    }
    if let Some(detail) = d.detail {
        payload.insert("detail".into(), detail);
    }
    let (seq, prev): (i64, String) = on_tx!(tx, c => {
        sqlx::query_as("UPDATE audit_head SET seq = seq + 1 WHERE id = 1 RETURNING seq, hash").fetch_one(c).await
    })?;
    let at = Ts::now();
    let ev = Event {
        seq,
        at_micros: at.micros(),
        actor_id: who.account_id,
        actor_label: who.label.clone(),
        action: d.action.to_string(),
        entity: d.entity.to_string(),
        entity_id: d.entity_id,
        org_unit_id: d.org_unit_id,
        payload: canonical_json(&Value::Object(payload)),
        payload_digest: String::new(),
        algo,
        prev_hash: String::new(),
        hash: String::new(),
    }
    .seal(&prev);
    exec_tx!(tx, c => {
        sqlx::query(
            "INSERT INTO audit_events (seq, at, actor_id, actor_label, action, entity, entity_id, org_unit_id, \
             payload, payload_digest, algo, prev_hash, hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)",
        )
        .bind(ev.seq)
        .bind(at)
        .bind(ev.actor_id)
        .bind(&ev.actor_label)
        .bind(&ev.action)
        .bind(&ev.entity)
        .bind(&ev.entity_id)
        .bind(ev.org_unit_id)
        .bind(&ev.payload)
        .bind(&ev.payload_digest)
        .bind(ev.algo.as_str())
        .bind(&ev.prev_hash)
        .bind(&ev.hash)
        .execute(&mut *c)
        .await?;
        sqlx::query("UPDATE audit_head SET hash = $1 WHERE id = 1").bind(&ev.hash).execute(c).await
    })?;
    Ok(seq)
}

/// The last step of every write command: append its event and commit.
pub(crate) async fn commit_with(mut tx: Tx, algo: HashAlgo, who: &Who, d: Draft) -> Result<()> {
    append(&mut tx, algo, who, d).await?;
    tx.commit().await
}

/// An event as shown to auditors.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct AuditEvent {
    pub seq: i64,
    pub at: Ts,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub org_unit_id: Option<Uuid>,
    pub org_unit_name: Option<String>,
    pub org_path: Option<String>,
    pub payload: String,
    pub payload_digest: String,
    pub algo: String,
    pub prev_hash: String,
    pub hash: String,
}

impl AuditEvent {
    /// The unit path the event is scoped to; `None` means deployment-wide.
    pub fn scope(&self) -> Option<OrgPath> {
        self.org_path.as_deref().and_then(OrgPath::parse)
    }

    pub fn payload_json(&self) -> Value {
        serde_json::from_str(&self.payload).unwrap_or(Value::Null)
    }

    fn into_event(self) -> Result<Event> {
        Ok(Event {
            seq: self.seq,
            at_micros: self.at.micros(),
            actor_id: self.actor_id,
            actor_label: self.actor_label,
            action: self.action,
            entity: self.entity,
            entity_id: self.entity_id,
            org_unit_id: self.org_unit_id,
            payload: self.payload,
            payload_digest: self.payload_digest,
            algo: HashAlgo::parse(&self.algo)
                .ok_or_else(|| StoreError::Corrupt(format!("unknown hash algorithm `{}`", self.algo)))?,
            prev_hash: self.prev_hash,
            hash: self.hash,
        })
    }
}

/// Filters of the auditor page; all optional.
#[derive(Debug, Clone, Default)]
pub struct AuditFilter {
    /// Actor's username (exact).
    pub actor: Option<String>,
    /// Entity kind (`org_unit`, `person`, `account`, …).
    pub entity: Option<String>,
    pub entity_id: Option<String>,
    /// Action prefix, e.g. `auth.` or `org.move`.
    pub action: Option<String>,
    pub from: Option<Ts>,
    pub to: Option<Ts>,
}

const SELECT_EVENTS: &str = "SELECT e.seq, e.at, e.actor_id, e.actor_label, e.action, e.entity, e.entity_id, e.org_unit_id, \
     o.name AS org_unit_name, o.path AS org_path, e.payload, e.payload_digest, e.algo, e.prev_hash, e.hash \
     FROM audit_events e LEFT JOIN org_units o ON o.id = e.org_unit_id";

/// Result of a full verification.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VerifyReport {
    pub events: i64,
    pub rows: u64,
}

pub struct Audit<'a>(pub(crate) &'a Store);

impl Audit<'_> {
    /// Events visible within `scopes` (events without a unit only to a
    /// deployment-wide scope), newest first.
    pub async fn list(&self, scopes: &[OrgPath], f: &AuditFilter, page: PageRequest) -> Result<Page<AuditEvent>> {
        let mut where_ = Sql::new(" WHERE ");
        if scopes.iter().any(OrgPath::is_global) {
            where_.push("1 = 1");
        } else {
            where_.scope_filter("o.path", scopes);
        }
        if let Some(a) = f.actor.as_deref().filter(|s| !s.is_empty()) {
            where_.push(" AND e.actor_label = ").arg(a);
        }
        if let Some(e) = f.entity.as_deref().filter(|s| !s.is_empty()) {
            where_.push(" AND e.entity = ").arg(e);
        }
        if let Some(e) = f.entity_id.as_deref().filter(|s| !s.is_empty()) {
            where_.push(" AND e.entity_id = ").arg(e);
        }
        if let Some(a) = f.action.as_deref().filter(|s| !s.is_empty()) {
            let mut prefix = crate::like_contains(a);
            prefix.remove(0);
            where_.push(" AND e.action LIKE ").arg(prefix).push(" ESCAPE '\\'");
        }
        if let Some(from) = f.from {
            where_.push(" AND e.at >= ").arg(from);
        }
        if let Some(to) = f.to {
            where_.push(" AND e.at < ").arg(to);
        }
        let (items, total) = fetch_page!(
            &self.0.pool,
            AuditEvent,
            SELECT_EVENTS,
            "SELECT COUNT(*) FROM audit_events e LEFT JOIN org_units o ON o.id = e.org_unit_id",
            where_,
            " ORDER BY e.seq DESC",
            &page
        )?;
        Ok(page.of(items, total))
    }

    pub async fn get(&self, seq: i64) -> Result<AuditEvent> {
        let mut q = Sql::new(SELECT_EVENTS);
        q.push(" WHERE e.seq = ").arg(seq);
        fetch_all_as!(&self.0.pool, AuditEvent, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Number of events in the chain.
    pub async fn count(&self) -> Result<i64> {
        Ok(
            on_pool!(&self.0.pool, c => sqlx::query_scalar::<_, i64>("SELECT seq FROM audit_head WHERE id = 1").fetch_one(c).await)?,
        )
    }

    /// The last link of the chain: (seq, hash). Written down outside the
    /// database, it becomes an anchor for [`Audit::verify_anchored`].
    pub async fn head(&self) -> Result<(i64, String)> {
        Ok(
            on_pool!(&self.0.pool, c => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(c).await)?,
        )
    }

    /// Re-computes the whole chain, then compares every covered row with the
    /// state its last event recorded. Returns the first broken link.
    pub async fn verify(&self) -> Result<std::result::Result<VerifyReport, Break>> {
        self.verify_anchored(&[]).await
    }

    /// Like [`Audit::verify`], and the chain must contain each anchor
    /// `(seq, hash)` recorded earlier outside the database — which catches
    /// a history rewritten and re-hashed by someone with write access.
    pub async fn verify_anchored(&self, anchors: &[(i64, String)]) -> Result<std::result::Result<VerifyReport, Break>> {
        let mut v = ChainVerifier::with_anchors(anchors.iter().cloned());
        let mut after = 0i64;
        let mut last_hash: Option<String> = None;
        loop {
            let mut q = Sql::new(SELECT_EVENTS);
            q.push(" WHERE e.seq > ").arg(after).push(" ORDER BY e.seq LIMIT 2000");
            let batch = fetch_all_as!(&self.0.pool, AuditEvent, q)?;
            if batch.is_empty() {
                break;
            }
            for row in batch {
                after = row.seq;
                let ev = row.into_event()?;
                if let Err(b) = v.push(&ev) {
                    return Ok(Err(b));
                }
                last_hash = Some(ev.hash);
            }
        }
        // The head must point at the last event, or events were cut off the end.
        let (head_seq, head_hash): (i64, String) = on_pool!(&self.0.pool, c => sqlx::query_as("SELECT seq, hash FROM audit_head WHERE id = 1").fetch_one(c).await)?;
        if head_seq != v.events_checked() || last_hash.as_ref().is_some_and(|h| *h != head_hash) {
            return Ok(Err(Break::SeqGap { expected: head_seq, found: v.events_checked() }));
        }
        let mut rows = 0u64;
        for entity in COVERED {
            let snapshots = self.snapshots(entity).await?;
            rows += snapshots.len() as u64;
            for (id, state) in snapshots {
                if let Err(b) = v.check_row(entity, &id, &state) {
                    return Ok(Err(b));
                }
            }
            if let Err(b) = v.check_missing(entity) {
                return Ok(Err(b));
            }
        }
        if let Err(b) = v.check_anchors() {
            return Ok(Err(b));
        }
        if let Err(b) = self.0.orgs().check_tree().await? {
            return Ok(Err(b));
        }
        let sessions: Vec<(String, Uuid)> = on_pool!(&self.0.pool, c => sqlx::query_as("SELECT token_hash, account_id FROM sessions").fetch_all(c).await)?;
        for (token_hash, account_id) in sessions {
            if let Err(b) = v.check_session(&token_hash, &account_id.to_string()) {
                return Ok(Err(b));
            }
        }
        Ok(Ok(VerifyReport { events: v.events_checked(), rows }))
    }

    async fn snapshots(&self, entity: &str) -> Result<Vec<(String, Value)>> {
        match entity {
            crate::org::ENTITY => self.0.orgs().snapshots().await,
            crate::people::ENTITY => self.0.people().snapshots().await,
            crate::accounts::ENTITY => self.0.accounts().snapshots().await,
            crate::accounts::TOKEN_ENTITY => self.0.accounts().token_snapshots().await,
            crate::access::ENTITY => self.0.grants().snapshots().await,
            crate::calendar::ENTITY => self.0.calendar().snapshots().await,
            rectify if crate::rectify::COVERED.contains(&rectify) => self.0.rectify().snapshots(rectify).await,
            orglife if crate::orglife::COVERED.contains(&orglife) => self.0.orglife().snapshots(orglife).await,
            tasks if crate::tasks::COVERED.contains(&tasks) => self.0.tasks().snapshots(tasks).await,
            leads if crate::leads::COVERED.contains(&leads) => self.0.leads().snapshots(leads).await,
            other => Err(StoreError::Corrupt(format!("no snapshot for {other}"))),
        }
    }
}

/// The record kinds whose rows the chain covers.
pub const COVERED: [&str; 34] = [
    crate::org::ENTITY,
    crate::people::ENTITY,
    crate::accounts::ENTITY,
    crate::accounts::TOKEN_ENTITY,
    crate::access::ENTITY,
    crate::calendar::ENTITY,
    crate::rectify::CAMPAIGN,
    crate::rectify::BATCH,
    crate::rectify::PROBLEM,
    crate::rectify::MEASURE,
    crate::rectify::EVIDENCE,
    crate::rectify::CLOSURE,
    crate::rectify::EXTENSION,
    crate::rectify::ESCALATION,
    crate::rectify::SPOT_CHECK,
    crate::rectify::RATING,
    crate::orglife::MEMBERSHIP,
    crate::orglife::PLAN_ITEM,
    crate::orglife::MEETING,
    crate::orglife::TALK,
    crate::tasks::DIRECTIVE,
    crate::tasks::TASK,
    crate::tasks::DEADLINE_CHANGE,
    crate::tasks::DUTY_LIST,
    crate::tasks::DUTY_ENTRY,
    crate::tasks::DUTY_RECORD,
    crate::leads::REPORT,
    crate::leads::RELEASE,
    crate::leads::LEAD,
    crate::leads::LEAD_PERSON,
    crate::leads::LEAD_REVIEW,
    crate::leads::INQUIRY,
    crate::leads::REFERRAL,
    crate::leads::CLEARANCE,
];
