//! The audit chain (留痕).
//!
//! Every state change appends an event whose hash covers the previous
//! event's hash and the event's own fields, so that changing, removing or
//! inserting an event breaks the chain. An event about a covered record also
//! carries that record's state after the change (`payload.state`, secrets
//! replaced by their digests); comparing the last recorded state of every
//! record with the row in the database detects rows changed behind the
//! application's back. The chain and state checks here are pure; the store
//! feeds them.

use serde_json::Value;
use sha2::Sha256;
use sm3::{Digest, Sm3};
use std::collections::HashMap;
use std::fmt;
use uuid::Uuid;

/// The hash of the (empty) chain before the first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// Hash function of the chain. SM3 (GB/T 32905) by default; SHA-256 selectable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum HashAlgo {
    #[default]
    Sm3,
    Sha256,
}

impl HashAlgo {
    pub fn as_str(self) -> &'static str {
        match self {
            HashAlgo::Sm3 => "sm3",
            HashAlgo::Sha256 => "sha256",
        }
    }

    pub fn parse(s: &str) -> Option<HashAlgo> {
        match s.trim().to_ascii_lowercase().as_str() {
            "sm3" => Some(HashAlgo::Sm3),
            "sha256" | "sha-256" => Some(HashAlgo::Sha256),
            _ => None,
        }
    }

    /// Lower-case hex digest of `bytes`.
    pub fn digest(self, bytes: &[u8]) -> String {
        match self {
            HashAlgo::Sm3 => hex::encode(Sm3::digest(bytes)),
            HashAlgo::Sha256 => hex::encode(Sha256::digest(bytes)),
        }
    }
}

/// JSON with object keys sorted at every level and no insignificant
/// whitespace, so the same value always gives the same bytes.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(k.clone()).to_string());
                out.push(':');
                write_canonical(&map[k], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        other => out.push_str(&other.to_string()),
    }
}

/// The fields of one event as stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    pub seq: i64,
    /// Microseconds since the Unix epoch (UTC).
    pub at_micros: i64,
    pub actor_id: Option<Uuid>,
    pub actor_label: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub org_unit_id: Option<Uuid>,
    /// Canonical JSON (see [`canonical_json`]).
    pub payload: String,
    pub payload_digest: String,
    pub algo: HashAlgo,
    pub prev_hash: String,
    pub hash: String,
}

fn push_field(buf: &mut Vec<u8>, bytes: &[u8]) {
    buf.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    buf.extend_from_slice(bytes);
}

impl Event {
    /// The bytes the hash covers: every field but `hash`, each length-prefixed.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut b = Vec::with_capacity(256 + self.payload_digest.len());
        push_field(&mut b, self.prev_hash.as_bytes());
        push_field(&mut b, &self.seq.to_be_bytes());
        push_field(&mut b, &self.at_micros.to_be_bytes());
        push_field(&mut b, self.actor_id.map(|u| u.to_string()).unwrap_or_default().as_bytes());
        push_field(&mut b, self.actor_label.as_bytes());
        push_field(&mut b, self.action.as_bytes());
        push_field(&mut b, self.entity.as_bytes());
        push_field(&mut b, self.entity_id.as_bytes());
        push_field(&mut b, self.org_unit_id.map(|u| u.to_string()).unwrap_or_default().as_bytes());
        push_field(&mut b, self.payload_digest.as_bytes());
        push_field(&mut b, self.algo.as_str().as_bytes());
        b
    }

    /// Fills `payload_digest`, `prev_hash` and `hash` for appending after `prev_hash`.
    pub fn seal(mut self, prev_hash: &str) -> Event {
        self.payload_digest = self.algo.digest(self.payload.as_bytes());
        self.prev_hash = prev_hash.to_string();
        self.hash = self.algo.digest(&self.canonical_bytes());
        self
    }

    /// The record state this event leaves behind: `Some(Some(state))` after
    /// a create or change, `Some(None)` after a delete, `None` when the event
    /// does not change a covered record (e.g. a failed login for an unknown name).
    pub fn state(&self) -> Option<Option<Value>> {
        let payload: Value = serde_json::from_str(&self.payload).ok()?;
        let state = payload.get("state")?;
        Some(if state.is_null() { None } else { Some(state.clone()) })
    }
}

/// Why verification stopped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// Sequence numbers must run 1, 2, 3, … without gaps.
    SeqGap { expected: i64, found: i64 },
    /// `prev_hash` is not the previous event's hash (an event was removed or inserted).
    PrevHashMismatch { seq: i64 },
    /// The payload no longer matches its digest (the payload was edited).
    PayloadDigestMismatch { seq: i64 },
    /// The event's fields no longer give its hash (a field was edited).
    HashMismatch { seq: i64 },
    /// A record differs from the state its last event recorded.
    RowChanged { entity: String, entity_id: String, last_seq: i64 },
    /// A record exists without any event that created it.
    RowUnrecorded { entity: String, entity_id: String },
    /// A record that the chain says exists has disappeared.
    RowMissing { entity: String, entity_id: String, last_seq: i64 },
    /// A tree row's path or depth does not follow from its parent.
    TreeInconsistent { entity: String, entity_id: String },
    /// A session exists that no recorded login opened (inserted behind our back).
    SessionUnrecorded { account_id: String },
    /// The chain differs from a link recorded outside the database.
    AnchorMismatch { seq: i64 },
}

impl fmt::Display for Break {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Break::SeqGap { expected, found } => {
                write!(f, "event #{found}: expected sequence number {expected} (events missing or inserted)")
            }
            Break::PrevHashMismatch { seq } => {
                write!(f, "event #{seq}: prev_hash does not match event #{} (chain broken)", seq - 1)
            }
            Break::PayloadDigestMismatch { seq } => write!(f, "event #{seq}: payload was altered (digest mismatch)"),
            Break::HashMismatch { seq } => write!(f, "event #{seq}: fields were altered (hash mismatch)"),
            Break::RowChanged { entity, entity_id, last_seq } => write!(
                f,
                "{entity} {entity_id}: row differs from the state recorded by event #{last_seq} (changed outside the application)"
            ),
            Break::RowUnrecorded { entity, entity_id } => {
                write!(f, "{entity} {entity_id}: row has no audit event (inserted outside the application)")
            }
            Break::RowMissing { entity, entity_id, last_seq } => write!(
                f,
                "{entity} {entity_id}: row recorded by event #{last_seq} is missing (deleted outside the application)"
            ),
            Break::TreeInconsistent { entity, entity_id } => {
                write!(f, "{entity} {entity_id}: path or depth does not follow from its parent")
            }
            Break::SessionUnrecorded { account_id } => {
                write!(
                    f,
                    "session of account {account_id}: no recorded login opened it (inserted outside the application)"
                )
            }
            Break::AnchorMismatch { seq } => {
                write!(f, "event #{seq}: differs from the anchor recorded outside the database (history rewritten)")
            }
        }
    }
}

/// (seq of the last state-changing event, digest of the state with the
/// algorithm that made it, or None once deleted).
type RecordState = (i64, Option<(HashAlgo, String)>);

/// Walks the chain in order, checking each link, and remembers the last
/// recorded state of every record for [`ChainVerifier::check_row`].
#[derive(Debug, Default)]
pub struct ChainVerifier {
    last_seq: i64,
    last_hash: Option<String>,
    /// (entity, id) → (seq of last state-changing event, digest of the
    /// state with the algorithm that made it, or None once deleted)
    states: HashMap<(String, String), RecordState>,
    seen_rows: std::collections::HashSet<(String, String)>,
    /// Digests of the sessions that recorded logins opened.
    sessions: std::collections::HashSet<String>,
    /// Links recorded outside the database: seq → hash.
    anchors: HashMap<i64, String>,
}

impl ChainVerifier {
    pub fn new() -> ChainVerifier {
        ChainVerifier::default()
    }

    /// Requires the chain to contain each `(seq, hash)` link, e.g. heads
    /// written down earlier with `qingfeng audit head`.
    pub fn with_anchors(anchors: impl IntoIterator<Item = (i64, String)>) -> ChainVerifier {
        ChainVerifier { anchors: anchors.into_iter().collect(), ..ChainVerifier::default() }
    }

    pub fn events_checked(&self) -> i64 {
        self.last_seq
    }

    /// Checks the next event of the chain.
    pub fn push(&mut self, ev: &Event) -> Result<(), Break> {
        let expected = self.last_seq + 1;
        if ev.seq != expected {
            return Err(Break::SeqGap { expected, found: ev.seq });
        }
        let prev = self.last_hash.as_deref().unwrap_or(GENESIS);
        if ev.prev_hash != prev {
            return Err(Break::PrevHashMismatch { seq: ev.seq });
        }
        if ev.algo.digest(ev.payload.as_bytes()) != ev.payload_digest {
            return Err(Break::PayloadDigestMismatch { seq: ev.seq });
        }
        if ev.algo.digest(&ev.canonical_bytes()) != ev.hash {
            return Err(Break::HashMismatch { seq: ev.seq });
        }
        if self.anchors.get(&ev.seq).is_some_and(|h| !h.eq_ignore_ascii_case(&ev.hash)) {
            return Err(Break::AnchorMismatch { seq: ev.seq });
        }
        if let Some(session) = session_of(ev) {
            self.sessions.insert(session);
        }
        if let Some(state) = ev.state() {
            let digest = state.map(|s| (ev.algo, ev.algo.digest(canonical_json(&s).as_bytes())));
            self.states.insert((ev.entity.clone(), ev.entity_id.clone()), (ev.seq, digest));
        }
        self.last_seq = ev.seq;
        self.last_hash = Some(ev.hash.clone());
        Ok(())
    }

    /// Compares one current row (its canonical state) with the chain.
    pub fn check_row(&mut self, entity: &str, entity_id: &str, state: &Value) -> Result<(), Break> {
        let key = (entity.to_string(), entity_id.to_string());
        let recorded = self.states.get(&key).cloned();
        self.seen_rows.insert(key);
        match recorded {
            None => Err(Break::RowUnrecorded { entity: entity.into(), entity_id: entity_id.into() }),
            Some((last_seq, None)) => {
                Err(Break::RowChanged { entity: entity.into(), entity_id: entity_id.into(), last_seq })
            }
            Some((last_seq, Some((algo, digest)))) => {
                if algo.digest(canonical_json(state).as_bytes()) == digest {
                    Ok(())
                } else {
                    Err(Break::RowChanged { entity: entity.into(), entity_id: entity_id.into(), last_seq })
                }
            }
        }
    }

    /// Checks that a session row was opened by a recorded login.
    pub fn check_session(&self, token_hash: &str, account_id: &str) -> Result<(), Break> {
        if self.sessions.contains(&session_digest(token_hash)) {
            Ok(())
        } else {
            Err(Break::SessionUnrecorded { account_id: account_id.to_string() })
        }
    }

    /// After the whole chain: every anchor must have been met.
    pub fn check_anchors(&self) -> Result<(), Break> {
        match self.anchors.keys().filter(|&&seq| seq > self.last_seq).min() {
            Some(&seq) => Err(Break::AnchorMismatch { seq }),
            None => Ok(()),
        }
    }

    /// After all rows of `entity` were checked: any record the chain says
    /// exists but that was not seen has been deleted behind our back.
    pub fn check_missing(&self, entity: &str) -> Result<(), Break> {
        let mut missing: Vec<_> = self
            .states
            .iter()
            .filter(|((e, id), (_, d))| {
                e == entity && d.is_some() && !self.seen_rows.contains(&(e.clone(), id.clone()))
            })
            .map(|((e, id), (seq, _))| (*seq, e.clone(), id.clone()))
            .collect();
        missing.sort();
        match missing.into_iter().next() {
            Some((last_seq, entity, entity_id)) => Err(Break::RowMissing { entity, entity_id, last_seq }),
            None => Ok(()),
        }
    }
}

/// How a login event records the session it opened (the stored token hash,
/// digested again, so the event never holds anything usable).
pub fn session_digest(token_hash: &str) -> String {
    format!("sm3:{}", HashAlgo::Sm3.digest(token_hash.as_bytes()))
}

fn session_of(ev: &Event) -> Option<String> {
    if ev.action != "auth.login" {
        return None;
    }
    let payload: Value = serde_json::from_str(&ev.payload).ok()?;
    payload.get("detail")?.get("session")?.as_str().map(str::to_string)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn event(seq: i64, state: Value) -> Event {
        Event {
            seq,
            at_micros: 1_763_870_400_000_000 + seq,
            actor_id: Some(Uuid::from_u128(7)),
            actor_label: "admin".into(),
            action: "org.create".into(),
            entity: "org_unit".into(),
            entity_id: format!("id{seq}"),
            org_unit_id: None,
            payload: canonical_json(&json!({ "state": state })),
            payload_digest: String::new(),
            algo: HashAlgo::Sm3,
            prev_hash: String::new(),
            hash: String::new(),
        }
    }

    fn chain(n: i64) -> Vec<Event> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let ev = event(seq, json!({ "name": format!("单位{seq}") })).seal(&prev);
                prev = ev.hash.clone();
                ev
            })
            .collect()
    }

    fn verify(events: &[Event]) -> Result<i64, Break> {
        let mut v = ChainVerifier::new();
        for e in events {
            v.push(e)?;
        }
        Ok(v.events_checked())
    }

    #[test]
    fn sm3_matches_the_standard_test_vector() {
        // GB/T 32905-2016 appendix A.1: SM3("abc").
        assert_eq!(HashAlgo::Sm3.digest(b"abc"), "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
        assert_eq!(HashAlgo::Sha256.digest(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let a = json!({ "b": 1, "a": { "d": [1, {"z": 0, "y": "中"}], "c": null } });
        assert_eq!(canonical_json(&a), r#"{"a":{"c":null,"d":[1,{"y":"中","z":0}]},"b":1}"#);
    }

    #[test]
    fn intact_chain_verifies() {
        assert_eq!(verify(&chain(5)), Ok(5));
        assert_eq!(verify(&[]), Ok(0));
    }

    #[test]
    fn edited_field_breaks_the_hash() {
        let mut c = chain(5);
        c[2].actor_label = "someone-else".into();
        assert_eq!(verify(&c), Err(Break::HashMismatch { seq: 3 }));
    }

    #[test]
    fn edited_payload_breaks_the_digest() {
        let mut c = chain(5);
        c[3].payload = c[3].payload.replace("单位4", "单位X");
        assert_eq!(verify(&c), Err(Break::PayloadDigestMismatch { seq: 4 }));
    }

    #[test]
    fn removed_event_is_detected() {
        let mut c = chain(5);
        c.remove(2);
        assert_eq!(verify(&c), Err(Break::SeqGap { expected: 3, found: 4 }));
    }

    #[test]
    fn recomputed_event_still_breaks_the_next_link() {
        // An attacker who edits event 2 and recomputes its hash breaks event 3.
        let mut c = chain(5);
        let forged = event(2, json!({ "name": "伪造" })).seal(&c[0].hash);
        c[1] = forged;
        assert_eq!(verify(&c), Err(Break::PrevHashMismatch { seq: 3 }));
    }

    #[test]
    fn sha256_chain_verifies_too() {
        let ev = Event { algo: HashAlgo::Sha256, ..event(1, json!({})) }.seal(GENESIS);
        assert_eq!(ev.hash.len(), 64);
        assert_eq!(verify(&[ev]), Ok(1));
    }

    #[test]
    fn rows_are_compared_with_their_last_recorded_state() {
        let c = chain(3);
        let mut v = ChainVerifier::new();
        for e in &c {
            v.push(e).unwrap();
        }
        assert_eq!(v.check_row("org_unit", "id1", &json!({ "name": "单位1" })), Ok(()));
        assert_eq!(
            v.check_row("org_unit", "id2", &json!({ "name": "改过" })),
            Err(Break::RowChanged { entity: "org_unit".into(), entity_id: "id2".into(), last_seq: 2 })
        );
        assert_eq!(
            v.check_row("org_unit", "intruder", &json!({})),
            Err(Break::RowUnrecorded { entity: "org_unit".into(), entity_id: "intruder".into() })
        );
        // id3 was never presented: deleted behind our back.
        assert_eq!(
            v.check_missing("org_unit"),
            Err(Break::RowMissing { entity: "org_unit".into(), entity_id: "id3".into(), last_seq: 3 })
        );
    }

    #[test]
    fn anchors_catch_a_recomputed_history() {
        let c = chain(3);
        let mut v = ChainVerifier::with_anchors([(2, c[1].hash.clone())]);
        for e in &c {
            v.push(e).unwrap();
        }
        assert_eq!(v.check_anchors(), Ok(()));
        // A forger rewrites event 2 and recomputes every later hash.
        let mut forged = vec![c[0].clone()];
        let mut prev = c[0].hash.clone();
        for seq in 2..=3 {
            let ev = event(seq, json!({ "name": "伪造" })).seal(&prev);
            prev = ev.hash.clone();
            forged.push(ev);
        }
        let mut v = ChainVerifier::with_anchors([(2, c[1].hash.clone())]);
        assert_eq!(forged.iter().try_for_each(|e| v.push(e)), Err(Break::AnchorMismatch { seq: 2 }));
        // An anchor beyond the end means events were cut off.
        let mut v = ChainVerifier::with_anchors([(9, "x".to_string())]);
        c.iter().for_each(|e| v.push(e).unwrap());
        assert_eq!(v.check_anchors(), Err(Break::AnchorMismatch { seq: 9 }));
    }

    #[test]
    fn sessions_must_come_from_recorded_logins() {
        let login = Event {
            action: "auth.login".into(),
            payload: canonical_json(&json!({ "detail": { "session": session_digest("abc") } })),
            ..event(1, Value::Null)
        }
        .seal(GENESIS);
        let mut v = ChainVerifier::new();
        v.push(&login).unwrap();
        assert_eq!(v.check_session("abc", "a1"), Ok(()));
        assert_eq!(v.check_session("forged", "a1"), Err(Break::SessionUnrecorded { account_id: "a1".into() }));
    }

    #[test]
    fn deleted_record_must_stay_deleted() {
        let mut c = chain(1);
        let del =
            Event { action: "org.delete".into(), entity_id: "id1".into(), ..event(2, Value::Null) }.seal(&c[0].hash);
        c.push(del);
        let mut v = ChainVerifier::new();
        for e in &c {
            v.push(e).unwrap();
        }
        assert_eq!(v.check_missing("org_unit"), Ok(()));
        assert!(matches!(v.check_row("org_unit", "id1", &json!({ "name": "单位1" })), Err(Break::RowChanged { .. })));
    }
}
