//! Annual plans and held meetings with their attendance.

use super::{MEETING, OrgLife, PLAN_ITEM, date};
use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::Refusal;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::orglife::input::{MeetingSpec, PlanItemSpec};
use qingfeng_domain::orglife::vote::{Decision, Outcome, Tally, decide};
use qingfeng_domain::orglife::{AttendanceMark, MeetingKind};
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PlanItem {
    pub id: Uuid,
    pub branch_id: Uuid,
    pub kind: String,
    pub planned_on: String,
    pub topic: String,
    pub created_at: Ts,
    /// The meeting that carried the plan out, if held.
    pub meeting_id: Option<Uuid>,
}

impl PlanItem {
    pub fn kind(&self) -> MeetingKind {
        MeetingKind::parse(&self.kind).unwrap_or(MeetingKind::ThemeDay)
    }

    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "branch_id": self.branch_id, "kind": self.kind, "planned_on": self.planned_on,
            "topic": self.topic, "created_at": self.created_at.rfc3339(),
        })
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Meeting {
    pub id: Uuid,
    pub branch_id: Uuid,
    pub branch_name: String,
    pub branch_path: String,
    pub kind: String,
    pub held_on: String,
    pub topic: String,
    pub place: Option<String>,
    pub host_id: Option<Uuid>,
    pub host_name: Option<String>,
    pub minutes: Option<String>,
    pub plan_id: Option<Uuid>,
    pub decision_title: Option<String>,
    pub votes_entitled: Option<i64>,
    pub votes_present: Option<i64>,
    pub votes_yes: Option<i64>,
    pub votes_no: Option<i64>,
    pub votes_abstain: Option<i64>,
    pub decision_outcome: Option<String>,
    pub recorded_by: String,
    pub created_at: Ts,
    pub expected: i64,
    pub present: i64,
}

impl Meeting {
    pub fn kind(&self) -> MeetingKind {
        MeetingKind::parse(&self.kind).unwrap_or(MeetingKind::ThemeDay)
    }

    pub fn outcome(&self) -> Option<Outcome> {
        self.decision_outcome.as_deref().and_then(Outcome::parse)
    }

    /// The vote taken at the meeting, as counted when it was recorded, and
    /// its decision by the 条例's rule.
    pub fn vote(&self) -> Option<(&str, Tally, Option<Decision>)> {
        let title = self.decision_title.as_deref()?;
        let n = |v: Option<i64>| u32::try_from(v.unwrap_or(0)).unwrap_or(0);
        let t = Tally {
            entitled: n(self.votes_entitled),
            present: n(self.votes_present),
            yes: n(self.votes_yes),
            no: n(self.votes_no),
            abstain: n(self.votes_abstain),
        };
        Some((title, t, decide(&t).ok()))
    }

    pub fn held_on_date(&self) -> Result<Date> {
        date(&self.held_on)
    }

    pub fn scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.branch_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.branch_path)))
    }
}

/// One line of a meeting's attendance.
#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct AttendanceRow {
    pub meeting_id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub mark: String,
    pub reason: Option<String>,
    pub voting: bool,
    pub probationary: bool,
}

impl AttendanceRow {
    pub fn mark(&self) -> AttendanceMark {
        AttendanceMark::parse(&self.mark).unwrap_or(AttendanceMark::Absent)
    }
}

/// A file attached to a meeting (签到表, a photo, the 会议纪要).
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MeetingFile {
    pub id: Uuid,
    pub meeting_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub sm3: String,
    pub uploaded_by: String,
    pub uploaded_at: Ts,
}

const SELECT_FILES: &str =
    "SELECT id, meeting_id, file_name, content_type, size, sha256, sm3, uploaded_by, uploaded_at FROM meeting_files";

async fn files_in(tx: &mut Tx, meeting: Uuid) -> Result<Vec<MeetingFile>> {
    let mut q = Sql::new(SELECT_FILES);
    q.push(" WHERE meeting_id = ").arg(meeting).push(" ORDER BY id");
    Ok(fetch_all_tx!(tx, MeetingFile, q)?)
}

/// A held meeting reduced to what compliance needs.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct HeldMeeting {
    pub branch_id: Uuid,
    pub kind: String,
    pub held_on: String,
}

/// A member's turnout over a period.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct MemberTurnout {
    pub person_id: Uuid,
    pub person_name: String,
    pub expected: i64,
    pub present: i64,
    pub leave: i64,
    pub absent: i64,
}

macro_rules! select_meetings {
    () => {
        "SELECT mt.id, mt.branch_id, b.name AS branch_name, b.path AS branch_path, mt.kind, mt.held_on, mt.topic, mt.place, \
         mt.host_id, h.name AS host_name, mt.minutes, mt.plan_id, mt.decision_title, mt.votes_entitled, mt.votes_present, \
         mt.votes_yes, mt.votes_no, mt.votes_abstain, mt.decision_outcome, mt.recorded_by, mt.created_at, \
         (SELECT COUNT(*) FROM attendance a WHERE a.meeting_id = mt.id) AS expected, \
         (SELECT COUNT(*) FROM attendance a WHERE a.meeting_id = mt.id AND a.mark = 'present') AS present \
         FROM meetings mt JOIN org_units b ON b.id = mt.branch_id LEFT JOIN people h ON h.id = mt.host_id"
    };
}

const SELECT_PLAN: &str = "SELECT p.id, p.branch_id, p.kind, p.planned_on, p.topic, p.created_at, mt.id AS meeting_id \
     FROM meeting_plans p LEFT JOIN meetings mt ON mt.plan_id = p.id";

const SELECT_ATTENDANCE: &str = "SELECT a.meeting_id, a.person_id, p.name AS person_name, a.mark, a.reason, a.voting, a.probationary \
     FROM attendance a JOIN people p ON p.id = a.person_id";

async fn meeting_in(tx: &mut Tx, id: Uuid) -> Result<Meeting> {
    let mut q = Sql::new(select_meetings!());
    q.push(" WHERE mt.id = ").arg(id);
    fetch_all_tx!(tx, Meeting, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

async fn plan_in(tx: &mut Tx, id: Uuid) -> Result<PlanItem> {
    let mut q = Sql::new(SELECT_PLAN);
    q.push(" WHERE p.id = ").arg(id);
    fetch_all_tx!(tx, PlanItem, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

/// The state the chain records: the meeting with its attendance and files.
fn meeting_snapshot(m: &Meeting, att: &[AttendanceRow], files: &[MeetingFile]) -> Value {
    let files: Vec<Value> = files.iter().map(|f| json!([f.id, f.file_name, f.sha256, f.sm3, f.size])).collect();
    let marks: Vec<Value> = att
        .iter()
        .map(|a| json!({"person_id": a.person_id, "mark": a.mark, "reason": a.reason, "voting": a.voting, "probationary": a.probationary}))
        .collect();
    json!({
        "id": m.id, "branch_id": m.branch_id, "kind": m.kind, "held_on": m.held_on, "topic": m.topic, "place": m.place,
        "host_id": m.host_id, "minutes": m.minutes, "plan_id": m.plan_id, "decision_title": m.decision_title,
        "votes": [m.votes_entitled, m.votes_present, m.votes_yes, m.votes_no, m.votes_abstain],
        "decision_outcome": m.decision_outcome, "recorded_by": m.recorded_by, "created_at": m.created_at.rfc3339(),
        "attendance": marks, "files": files,
    })
}

impl OrgLife<'_> {
    pub async fn plan(&self, branch: Uuid, year: i16) -> Result<Vec<PlanItem>> {
        let mut q = Sql::new(SELECT_PLAN);
        q.push(" WHERE p.branch_id = ").arg(branch);
        q.push(" AND p.planned_on >= ").arg(format!("{year:04}-01-01")).push(" AND p.planned_on <= ").arg(format!("{year:04}-12-31"));
        q.push(" ORDER BY p.planned_on, p.kind");
        Ok(fetch_all_as!(&self.0.pool, PlanItem, q)?)
    }

    pub async fn plan_item(&self, id: Uuid) -> Result<PlanItem> {
        let mut q = Sql::new(SELECT_PLAN);
        q.push(" WHERE p.id = ").arg(id);
        fetch_all_as!(&self.0.pool, PlanItem, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Adds items to a branch's plan (the annual plan is made once, in one go).
    pub async fn add_plan(&self, who: &Who, branch: Uuid, items: &[PlanItemSpec]) -> Result<Vec<PlanItem>> {
        let mut tx = self.0.pool.begin_write().await?;
        crate::org::get_in(&mut tx, branch).await?;
        let mut out = Vec::new();
        for it in items {
            let id = Uuid::now_v7();
            exec_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO meeting_plans (id, branch_id, kind, planned_on, topic, created_at) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id).bind(branch).bind(it.kind.as_str()).bind(it.planned_on.to_string()).bind(&it.topic).bind(Ts::now())
                .execute(c).await)?;
            let p = plan_in(&mut tx, id).await?;
            crate::audit::append(&mut tx, self.0.algo, who, Draft::change("orglife.plan.add", PLAN_ITEM, id, Some(branch), p.snapshot()))
                .await?;
            out.push(p);
        }
        tx.commit().await?;
        Ok(out)
    }

    /// Records a held meeting with its attendance, in one transaction.
    pub async fn record(&self, who: &Who, branch: Uuid, spec: &MeetingSpec) -> Result<Meeting> {
        let mut tx = self.0.pool.begin_write().await?;
        let unit = crate::org::get_in(&mut tx, branch).await?;
        if !unit.active {
            return Err(Refusal::new("unit_inactive", "该支部已撤销", "the branch has been deactivated").into());
        }
        if let Some(plan) = spec.plan_id {
            let p = plan_in(&mut tx, plan).await?;
            if p.branch_id != branch {
                return Err(StoreError::NotFound);
            }
            if p.meeting_id.is_some() {
                return Err(Refusal::new("plan_already_held", "该计划已记录召开情况", "this planned meeting is already recorded").into());
            }
        }
        let id = Uuid::now_v7();
        let (title, tally, outcome) = match &spec.decision {
            Some((t, tally, d)) => (Some(t.as_str()), Some(*tally), Some(d.outcome.as_str())),
            None => (None, None, None),
        };
        let n = |f: fn(&Tally) -> u32| tally.as_ref().map(|t| i64::from(f(t)));
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO meetings (id, branch_id, kind, held_on, topic, place, host_id, minutes, plan_id, decision_title, \
             votes_entitled, votes_present, votes_yes, votes_no, votes_abstain, decision_outcome, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18)")
            .bind(id).bind(branch).bind(spec.kind.as_str()).bind(spec.held_on.to_string()).bind(&spec.topic).bind(&spec.place)
            .bind(spec.host_id).bind(&spec.minutes).bind(spec.plan_id).bind(title)
            .bind(n(|t| t.entitled)).bind(n(|t| t.present)).bind(n(|t| t.yes)).bind(n(|t| t.no)).bind(n(|t| t.abstain))
            .bind(outcome).bind(&who.label).bind(Ts::now()).execute(c).await)?;
        for m in &spec.marks {
            exec_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO attendance (meeting_id, person_id, mark, reason, voting, probationary) VALUES ($1, $2, $3, $4, $5, $6)")
                .bind(id).bind(m.person_id).bind(m.mark.as_str()).bind(&m.reason).bind(m.voting).bind(m.probationary)
                .execute(c).await)?;
        }
        let meeting = meeting_in(&mut tx, id).await?;
        let att = attendance_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("orglife.meeting.record", MEETING, id, Some(branch), meeting_snapshot(&meeting, &att, &[])))
            .await?;
        Ok(meeting)
    }

    /// Attaches a file to a held meeting (stored once by its digest).
    pub async fn attach(&self, who: &Who, meeting: Uuid, name: &str, content_type: &str, bytes: &[u8]) -> Result<MeetingFile> {
        let mut tx = self.0.pool.begin_write().await?;
        let m = meeting_in(&mut tx, meeting).await?;
        let (sha, sm3) = qingfeng_domain::rectify::evidence::digests(bytes);
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO evidence_files (sha256, sm3, size, content) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING")
            .bind(&sha).bind(&sm3).bind(bytes.len() as i64).bind(bytes).execute(c).await)?;
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO meeting_files (id, meeting_id, file_name, content_type, size, sha256, sm3, uploaded_by, uploaded_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)")
            .bind(id).bind(meeting).bind(name).bind(content_type).bind(bytes.len() as i64).bind(&sha).bind(&sm3)
            .bind(&who.label).bind(Ts::now()).execute(c).await)?;
        let att = attendance_in(&mut tx, meeting).await?;
        let files = files_in(&mut tx, meeting).await?;
        let file = files.iter().find(|f| f.id == id).cloned().ok_or(StoreError::NotFound)?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("orglife.meeting.attach", MEETING, meeting, Some(m.branch_id), meeting_snapshot(&m, &att, &files))
                .with_detail(json!({ "file": id, "sha256": sha })),
        )
        .await?;
        Ok(file)
    }

    pub async fn files(&self, meeting: Uuid) -> Result<Vec<MeetingFile>> {
        let mut q = Sql::new(SELECT_FILES);
        q.push(" WHERE meeting_id = ").arg(meeting).push(" ORDER BY id");
        Ok(fetch_all_as!(&self.0.pool, MeetingFile, q)?)
    }

    pub async fn file(&self, id: Uuid) -> Result<MeetingFile> {
        let mut q = Sql::new(SELECT_FILES);
        q.push(" WHERE id = ").arg(id);
        fetch_all_as!(&self.0.pool, MeetingFile, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub async fn meeting(&self, id: Uuid) -> Result<Meeting> {
        let mut q = Sql::new(select_meetings!());
        q.push(" WHERE mt.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Meeting, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub async fn attendance(&self, meeting: Uuid) -> Result<Vec<AttendanceRow>> {
        let mut q = Sql::new(SELECT_ATTENDANCE);
        q.push(" WHERE a.meeting_id = ").arg(meeting).push(" ORDER BY p.sort_order, p.name");
        Ok(fetch_all_as!(&self.0.pool, AttendanceRow, q)?)
    }

    /// A branch's meetings in `[from, to]`, newest first, optionally of one kind.
    pub async fn meetings(&self, branch: Uuid, from: Date, to: Date, kind: Option<MeetingKind>) -> Result<Vec<Meeting>> {
        let mut q = Sql::new(select_meetings!());
        q.push(" WHERE mt.branch_id = ").arg(branch);
        q.push(" AND mt.held_on >= ").arg(from.to_string()).push(" AND mt.held_on <= ").arg(to.to_string());
        if let Some(k) = kind {
            q.push(" AND mt.kind = ").arg(k.as_str().to_string());
        }
        q.push(" ORDER BY mt.held_on DESC, mt.created_at DESC");
        Ok(fetch_all_as!(&self.0.pool, Meeting, q)?)
    }

    /// Every attendance line of a branch's meetings in `[from, to]`, in
    /// meeting order (the register is generated from these).
    pub async fn register(&self, branch: Uuid, from: Date, to: Date) -> Result<Vec<AttendanceRow>> {
        let mut q = Sql::new(SELECT_ATTENDANCE);
        q.push(" JOIN meetings mt ON mt.id = a.meeting_id WHERE mt.branch_id = ").arg(branch);
        q.push(" AND mt.held_on >= ").arg(from.to_string()).push(" AND mt.held_on <= ").arg(to.to_string());
        q.push(" ORDER BY mt.held_on, mt.created_at, p.sort_order, p.name");
        Ok(fetch_all_as!(&self.0.pool, AttendanceRow, q)?)
    }

    /// The meetings held by the branches within `scopes` in `[from, to]`.
    pub async fn held(&self, scopes: &[OrgPath], from: Date, to: Date) -> Result<Vec<HeldMeeting>> {
        let mut q = Sql::new("SELECT mt.branch_id, mt.kind, mt.held_on FROM meetings mt JOIN org_units b ON b.id = mt.branch_id WHERE ");
        q.scope_filter("b.path", scopes);
        q.push(" AND mt.held_on >= ").arg(from.to_string()).push(" AND mt.held_on <= ").arg(to.to_string());
        Ok(fetch_all_as!(&self.0.pool, HeldMeeting, q)?)
    }

    /// Per-branch turnout (branch, expected, present) within `scopes` in `[from, to]`.
    pub async fn branch_turnout(&self, scopes: &[OrgPath], from: Date, to: Date) -> Result<Vec<(Uuid, i64, i64)>> {
        #[derive(sqlx::FromRow)]
        struct T {
            branch_id: Uuid,
            expected: i64,
            present: i64,
        }
        let mut q = Sql::new(
            "SELECT mt.branch_id, COUNT(*) AS expected, SUM(CASE WHEN a.mark = 'present' THEN 1 ELSE 0 END) AS present \
             FROM attendance a JOIN meetings mt ON mt.id = a.meeting_id JOIN org_units b ON b.id = mt.branch_id WHERE ",
        );
        q.scope_filter("b.path", scopes);
        q.push(" AND mt.held_on >= ").arg(from.to_string()).push(" AND mt.held_on <= ").arg(to.to_string());
        q.push(" GROUP BY mt.branch_id");
        Ok(fetch_all_as!(&self.0.pool, T, q)?.into_iter().map(|t| (t.branch_id, t.expected, t.present)).collect())
    }

    /// Per-member turnout at a branch's meetings in `[from, to]`.
    pub async fn turnout(&self, branch: Uuid, from: Date, to: Date) -> Result<Vec<MemberTurnout>> {
        let mut q = Sql::new(
            "SELECT a.person_id, p.name AS person_name, COUNT(*) AS expected, \
             SUM(CASE WHEN a.mark = 'present' THEN 1 ELSE 0 END) AS present, \
             SUM(CASE WHEN a.mark = 'leave' THEN 1 ELSE 0 END) AS leave, \
             SUM(CASE WHEN a.mark = 'absent' THEN 1 ELSE 0 END) AS absent \
             FROM attendance a JOIN meetings mt ON mt.id = a.meeting_id JOIN people p ON p.id = a.person_id WHERE mt.branch_id = ",
        );
        q.arg(branch).push(" AND mt.held_on >= ").arg(from.to_string()).push(" AND mt.held_on <= ").arg(to.to_string());
        q.push(" GROUP BY a.person_id, p.name, p.sort_order ORDER BY p.sort_order, p.name");
        Ok(fetch_all_as!(&self.0.pool, MemberTurnout, q)?)
    }

    /// Planned meetings in `[from, to]` within `scopes` not yet recorded,
    /// oldest first, with their branch's name (for 待办).
    pub async fn plan_due(&self, scopes: &[OrgPath], from: Date, to: Date, limit: i64) -> Result<Vec<(PlanItem, String)>> {
        #[derive(sqlx::FromRow)]
        struct Due {
            #[sqlx(flatten)]
            item: PlanItem,
            branch_name: String,
        }
        let mut q = Sql::new(
            "SELECT p.id, p.branch_id, p.kind, p.planned_on, p.topic, p.created_at, mt.id AS meeting_id, b.name AS branch_name \
             FROM meeting_plans p LEFT JOIN meetings mt ON mt.plan_id = p.id JOIN org_units b ON b.id = p.branch_id WHERE mt.id IS NULL AND ",
        );
        q.scope_filter("b.path", scopes);
        q.push(" AND p.planned_on >= ").arg(from.to_string()).push(" AND p.planned_on <= ").arg(to.to_string());
        q.push(" ORDER BY p.planned_on, b.path LIMIT ").arg(limit);
        Ok(fetch_all_as!(&self.0.pool, Due, q)?.into_iter().map(|d| (d.item, d.branch_name)).collect())
    }

    pub(crate) async fn plan_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(SELECT_PLAN);
        q.push(" ORDER BY p.id");
        Ok(fetch_all_as!(&self.0.pool, PlanItem, q)?.into_iter().map(|p| (p.id.to_string(), p.snapshot())).collect())
    }

    pub(crate) async fn meeting_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_meetings!());
        q.push(" ORDER BY mt.id");
        let meetings = fetch_all_as!(&self.0.pool, Meeting, q)?;
        let mut q = Sql::new(SELECT_ATTENDANCE);
        q.push(" ORDER BY a.meeting_id, p.sort_order, p.name");
        let all = fetch_all_as!(&self.0.pool, AttendanceRow, q)?;
        let mut by: std::collections::HashMap<Uuid, Vec<AttendanceRow>> = std::collections::HashMap::new();
        for a in all {
            by.entry(a.meeting_id).or_default().push(a);
        }
        let mut q = Sql::new(SELECT_FILES);
        q.push(" ORDER BY meeting_id, id");
        let mut files: std::collections::HashMap<Uuid, Vec<MeetingFile>> = std::collections::HashMap::new();
        for f in fetch_all_as!(&self.0.pool, MeetingFile, q)? {
            files.entry(f.meeting_id).or_default().push(f);
        }
        Ok(meetings
            .into_iter()
            .map(|m| {
                let att = by.remove(&m.id).unwrap_or_default();
                let f = files.remove(&m.id).unwrap_or_default();
                (m.id.to_string(), meeting_snapshot(&m, &att, &f))
            })
            .collect())
    }
}

async fn attendance_in(tx: &mut Tx, meeting: Uuid) -> Result<Vec<AttendanceRow>> {
    let mut q = Sql::new(SELECT_ATTENDANCE);
    q.push(" WHERE a.meeting_id = ").arg(meeting).push(" ORDER BY p.sort_order, p.name");
    Ok(fetch_all_tx!(tx, AttendanceRow, q)?)
}
