//! 责任清单: a unit's list of one kind for one year, its entries (inherited
//! from the nearest ancestor's list of the same kind and year, or taken
//! from the built-in template at the top, plus the level's own), the
//! occurrences of each entry as tasks, and 履责记实 attached to an entry
//! (completing one occurrence). Reads are in [`super::duty_reads`].
//!
//! Every command is one transaction ending in its audit event; each
//! inserted entry, task and record has its own event, so `audit verify`
//! covers every row.

use super::commands::{NewTask, W, insert_task, record, settle, step};
use super::queries::task_in;
use super::{Env, Tasks};
use crate::audit::{Draft, Who, append, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_tx};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::msg::{FieldError, Validation};
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::tasks::TaskStatus;
use qingfeng_domain::tasks::draft::TaskSpec;
use qingfeng_domain::tasks::duties::{
    DueAnchor, Duty, DutyItem, DutyRecord, ListEntry, ListKind, Recurrence, builtin_templates, derive_list,
    occurrences_in_year,
};
use serde_json::{Value, json};
use uuid::Uuid;

pub const DUTY_LIST: &str = "duty_list";
pub const DUTY_ENTRY: &str = "duty_entry";
pub const DUTY_RECORD: &str = "duty_record";

/// A list with the names and counts a page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DutyList {
    pub id: Uuid,
    pub org_unit_id: Uuid,
    pub unit_name: String,
    pub unit_path: String,
    pub kind: String,
    pub year: i64,
    pub parent_list_id: Option<Uuid>,
    /// The unit of the list this one derives from.
    pub parent_unit_name: Option<String>,
    pub created_by: String,
    pub created_at: Ts,
    pub entries: i64,
    /// Entries the level added itself (not inherited).
    pub own_entries: i64,
    /// Occurrences (tasks not withdrawn) and of those the done ones.
    pub occurrences: i64,
    pub done: i64,
}

impl DutyList {
    pub fn kind(&self) -> ListKind {
        ListKind::parse(&self.kind).unwrap_or(ListKind::Primary)
    }
    pub fn scope(&self) -> Result<OrgPath> {
        super::path(&self.unit_path)
    }
    pub fn year_i16(&self) -> i16 {
        i16::try_from(self.year).unwrap_or(0)
    }
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "org_unit_id": self.org_unit_id, "kind": self.kind, "year": self.year,
            "parent_list_id": self.parent_list_id, "created_by": self.created_by, "created_at": self.created_at.rfc3339(),
        })
    }
}

/// An entry of a list, with its list's unit and its occurrences' counts.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DutyEntry {
    pub id: Uuid,
    pub list_id: Uuid,
    pub seq: i64,
    pub text: String,
    pub duty: String,
    pub recurrence: String,
    pub times: i64,
    pub due_from: String,
    pub due_days: i64,
    pub inherited_from: Option<Uuid>,
    pub created_at: Ts,
    pub org_unit_id: Uuid,
    pub unit_name: String,
    pub unit_path: String,
    pub list_kind: String,
    pub year: i64,
    /// The unit whose list the inherited entry comes from.
    pub source_unit_name: Option<String>,
    pub total: i64,
    pub done: i64,
}

impl DutyEntry {
    pub fn item(&self) -> DutyItem {
        DutyItem {
            text: self.text.clone(),
            duty: Duty::parse(&self.duty).unwrap_or(Duty::Primary),
            recurrence: Recurrence::parse(&self.recurrence).unwrap_or(Recurrence::Yearly),
            times: u8::try_from(self.times).unwrap_or(1),
            due_from: DueAnchor::parse(&self.due_from).unwrap_or(DueAnchor::PeriodEnd),
            due_days: u16::try_from(self.due_days).unwrap_or(0),
        }
    }
    pub fn duty(&self) -> Duty {
        Duty::parse(&self.duty).unwrap_or(Duty::Primary)
    }
    pub fn recurrence(&self) -> Recurrence {
        Recurrence::parse(&self.recurrence).unwrap_or(Recurrence::Yearly)
    }
    pub fn list_kind(&self) -> ListKind {
        ListKind::parse(&self.list_kind).unwrap_or(ListKind::Primary)
    }
    pub fn scope(&self) -> Result<OrgPath> {
        super::path(&self.unit_path)
    }
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "list_id": self.list_id, "seq": self.seq, "text": self.text, "duty": self.duty,
            "recurrence": self.recurrence, "times": self.times, "due_from": self.due_from, "due_days": self.due_days,
            "inherited_from": self.inherited_from, "created_at": self.created_at.rfc3339(),
        })
    }
}

/// One 履责记实 entry, with the occurrence it completed.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct DutyRecordRow {
    pub id: Uuid,
    pub entry_id: Uuid,
    pub task_id: Option<Uuid>,
    pub note: String,
    pub done_on: String,
    pub recorded_by: String,
    pub created_at: Ts,
    pub occurrence: Option<String>,
}

impl DutyRecordRow {
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "entry_id": self.entry_id, "task_id": self.task_id, "note": self.note,
            "done_on": self.done_on, "recorded_by": self.recorded_by, "created_at": self.created_at.rfc3339(),
        })
    }
}

macro_rules! select_lists {
    () => {
        "SELECT l.id, l.org_unit_id, u.name AS unit_name, u.path AS unit_path, l.kind, l.year, l.parent_list_id, \
         pu.name AS parent_unit_name, l.created_by, l.created_at, \
         (SELECT COUNT(*) FROM duty_entries e WHERE e.list_id = l.id) AS entries, \
         (SELECT COUNT(*) FROM duty_entries e WHERE e.list_id = l.id AND e.inherited_from IS NULL) AS own_entries, \
         (SELECT COUNT(*) FROM tasks t JOIN duty_entries e ON e.id = t.duty_entry_id WHERE e.list_id = l.id AND t.status <> 'withdrawn') AS occurrences, \
         (SELECT COUNT(*) FROM tasks t JOIN duty_entries e ON e.id = t.duty_entry_id WHERE e.list_id = l.id AND t.status = 'done') AS done \
         FROM duty_lists l JOIN org_units u ON u.id = l.org_unit_id \
         LEFT JOIN duty_lists pl ON pl.id = l.parent_list_id LEFT JOIN org_units pu ON pu.id = pl.org_unit_id"
    };
}
pub(super) use select_lists;

macro_rules! select_entries {
    () => {
        "SELECT e.id, e.list_id, e.seq, e.text, e.duty, e.recurrence, e.times, e.due_from, e.due_days, e.inherited_from, \
         e.created_at, l.org_unit_id, u.name AS unit_name, u.path AS unit_path, l.kind AS list_kind, l.year, \
         (SELECT su.name FROM duty_entries se JOIN duty_lists sl ON sl.id = se.list_id JOIN org_units su ON su.id = sl.org_unit_id \
          WHERE se.id = e.inherited_from) AS source_unit_name, \
         (SELECT COUNT(*) FROM tasks t WHERE t.duty_entry_id = e.id AND t.status <> 'withdrawn') AS total, \
         (SELECT COUNT(*) FROM tasks t WHERE t.duty_entry_id = e.id AND t.status = 'done') AS done \
         FROM duty_entries e JOIN duty_lists l ON l.id = e.list_id JOIN org_units u ON u.id = l.org_unit_id"
    };
}
pub(super) use select_entries;

pub(super) async fn list_in(tx: &mut Tx, id: Uuid) -> Result<DutyList> {
    let mut q = Sql::new(select_lists!());
    q.push(" WHERE l.id = ").arg(id);
    fetch_all_tx!(tx, DutyList, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

async fn entries_in(tx: &mut Tx, list: Uuid) -> Result<Vec<DutyEntry>> {
    let mut q = Sql::new(select_entries!());
    q.push(" WHERE e.list_id = ").arg(list).push(" ORDER BY e.seq");
    Ok(fetch_all_tx!(tx, DutyEntry, q)?)
}

async fn entry_in(tx: &mut Tx, id: Uuid) -> Result<DutyEntry> {
    let mut q = Sql::new(select_entries!());
    q.push(" WHERE e.id = ").arg(id);
    fetch_all_tx!(tx, DutyEntry, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

fn as_list_entries(entries: &[DutyEntry]) -> Vec<ListEntry> {
    entries.iter().map(|e| ListEntry { id: e.id, item: e.item(), inherited_from: e.inherited_from }).collect()
}

/// `items.0.text` → `text`: the one own item a form adds.
fn single_item(v: Validation) -> Validation {
    Validation(
        v.0.into_iter()
            .map(|e| {
                let field = e.field.strip_prefix("items.0.").map(str::to_string).unwrap_or_else(|| e.field.to_string());
                FieldError::new(field, e.msg)
            })
            .collect(),
    )
}

async fn insert_entry(
    tx: &mut Tx,
    algo: qingfeng_domain::audit::HashAlgo,
    who: &Who,
    list: &DutyList,
    seq: i64,
    item: &DutyItem,
    inherited_from: Option<Uuid>,
) -> Result<DutyEntry> {
    let id = Uuid::now_v7();
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO duty_entries (id, list_id, seq, text, duty, recurrence, times, due_from, due_days, inherited_from, created_at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)")
        .bind(id).bind(list.id).bind(seq).bind(&item.text).bind(item.duty.as_str()).bind(item.recurrence.as_str())
        .bind(i64::from(item.times)).bind(item.due_from.as_str()).bind(i64::from(item.due_days)).bind(inherited_from).bind(Ts::now())
        .execute(c).await)?;
    let e = entry_in(tx, id).await?;
    append(tx, algo, who, Draft::change("tasks.duty.entry.add", DUTY_ENTRY, id, Some(list.org_unit_id), e.snapshot()))
        .await?;
    Ok(e)
}

/// The person a unit's occurrences are owned by: its head, if recorded.
async fn head_of(tx: &mut Tx, unit: Uuid) -> Result<Option<Uuid>> {
    let mut q = Sql::new("SELECT id FROM people WHERE active AND is_head AND org_unit_id = ");
    q.arg(unit).push(" ORDER BY sort_order, id LIMIT 1");
    #[derive(sqlx::FromRow)]
    struct I {
        id: Uuid,
    }
    Ok(fetch_all_tx!(tx, I, q)?.into_iter().next().map(|i| i.id))
}

impl Tasks<'_> {
    /// Creates `unit`'s list of `kind` for `year`: every entry of the nearest
    /// ancestor's list of the same kind and year, inherited; or, when no
    /// ancestor has one, the built-in template's items as the level's own.
    pub async fn create_list(&self, who: &Who, unit: Uuid, kind: ListKind, year: i16) -> Result<DutyList> {
        if !(2000..=2100).contains(&year) {
            let mut v = Validation::new();
            v.add("year", qingfeng_domain::Msg::new("年度应在2000到2100之间", "a year from 2000 to 2100"));
            return Err(v.into());
        }
        let mut tx = self.0.pool.begin_write().await?;
        let u = crate::org::get_in(&mut tx, unit).await?;
        let mut q =
            Sql::new("SELECT l.id, u.depth FROM duty_lists l JOIN org_units u ON u.id = l.org_unit_id WHERE l.kind = ");
        q.arg(kind.as_str()).push(" AND l.year = ").arg(i64::from(year)).push(" AND l.org_unit_id IN (");
        let ids = u.path.ids();
        for (i, a) in ids.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.arg(*a);
        }
        q.push(") ORDER BY u.depth DESC");
        #[derive(sqlx::FromRow)]
        struct Found {
            id: Uuid,
            depth: i32,
        }
        let found = fetch_all_tx!(&mut tx, Found, q)?;
        if found.iter().any(|f| f.depth == u.depth) {
            return Err(Refusal::new(
                "list_exists",
                "本单位该年度的此类清单已建立",
                "this unit already has this list for the year",
            )
            .into());
        }
        let parent = match found.first() {
            Some(f) => Some(list_in(&mut tx, f.id).await?),
            None => None,
        };
        let derived = match &parent {
            Some(p) => derive_list(kind, &as_list_entries(&entries_in(&mut tx, p.id).await?), &[])?,
            None => {
                let items =
                    builtin_templates().into_iter().find(|t| t.kind == kind).map(|t| t.items).unwrap_or_default();
                derive_list(kind, &[], &items)?
            }
        };
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO duty_lists (id, org_unit_id, kind, year, parent_list_id, created_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id).bind(unit).bind(kind.as_str()).bind(i64::from(year)).bind(parent.as_ref().map(|p| p.id))
            .bind(&who.label).bind(Ts::now()).execute(c).await)?;
        let list = list_in(&mut tx, id).await?;
        for (i, d) in derived.iter().enumerate() {
            insert_entry(&mut tx, self.0.algo, who, &list, i as i64 + 1, &d.item, d.inherited_from).await?;
        }
        let list = list_in(&mut tx, id).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("tasks.duty.list.create", DUTY_LIST, id, Some(unit), list.snapshot()),
        )
        .await?;
        Ok(list)
    }

    /// Adds the level's own item to a list (refused on `text` when it
    /// repeats an item, on `duty` when the list does not hold that duty).
    /// Lists already derived from this one inherit it too.
    pub async fn add_entry(&self, who: &Who, list: Uuid, item: &DutyItem) -> Result<DutyEntry> {
        let mut tx = self.0.pool.begin_write().await?;
        let l = list_in(&mut tx, list).await?;
        let existing = entries_in(&mut tx, list).await?;
        derive_list(l.kind(), &as_list_entries(&existing), std::slice::from_ref(item)).map_err(single_item)?;
        let seq = existing.iter().map(|e| e.seq).max().unwrap_or(0) + 1;
        let e = insert_entry(&mut tx, self.0.algo, who, &l, seq, item, None).await?;
        // Down the derived lists, breadth first; a list that already lists
        // the item (as its own) keeps its own and stops the descent there.
        let mut todo = vec![(l.id, e.id)];
        let mut guard = 0;
        while let Some((parent_list, parent_entry)) = todo.pop() {
            guard += 1;
            if guard > 10_000 {
                return Err(StoreError::Corrupt("duty lists derive in a cycle".into()));
            }
            let mut q = Sql::new("SELECT id FROM duty_lists WHERE parent_list_id = ");
            q.arg(parent_list).push(" ORDER BY id");
            #[derive(sqlx::FromRow)]
            struct I {
                id: Uuid,
            }
            for child in fetch_all_tx!(&mut tx, I, q)? {
                let cl = list_in(&mut tx, child.id).await?;
                let have = entries_in(&mut tx, child.id).await?;
                if derive_list(cl.kind(), &as_list_entries(&have), std::slice::from_ref(item)).is_err() {
                    continue;
                }
                let seq = have.iter().map(|x| x.seq).max().unwrap_or(0) + 1;
                let ce = insert_entry(&mut tx, self.0.algo, who, &cl, seq, item, Some(parent_entry)).await?;
                todo.push((cl.id, ce.id));
            }
        }
        let l = list_in(&mut tx, list).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("tasks.duty.list.add_entry", DUTY_LIST, list, Some(l.org_unit_id), l.snapshot())
                .with_detail(json!({ "entry_id": e.id })),
        )
        .await?;
        Ok(e)
    }

    /// Generates the year's occurrences of every entry of a list as tasks
    /// of the list's unit (owned by its head), each once: an occurrence
    /// already generated for an entry is not made again. Returns how many
    /// were made.
    pub async fn generate(&self, who: &Who, env: &Env<'_>, list: Uuid) -> Result<usize> {
        let w = W { who, env, algo: self.0.algo };
        let mut tx = self.0.pool.begin_write().await?;
        let l = list_in(&mut tx, list).await?;
        let owner = head_of(&mut tx, l.org_unit_id).await?;
        let mut made = 0usize;
        for e in entries_in(&mut tx, list).await? {
            let mut q = Sql::new("SELECT occurrence FROM tasks WHERE duty_entry_id = ");
            q.arg(e.id);
            #[derive(sqlx::FromRow)]
            struct O {
                occurrence: Option<String>,
            }
            let have: Vec<String> = fetch_all_tx!(&mut tx, O, q)?.into_iter().filter_map(|o| o.occurrence).collect();
            for (i, o) in occurrences_in_year(&e.item(), l.year_i16()).into_iter().enumerate() {
                if have.iter().any(|h| *h == o.label.zh) {
                    continue;
                }
                let spec = TaskSpec {
                    title: e.text.clone(),
                    body: None,
                    lead_unit_id: l.org_unit_id,
                    supporting_unit_ids: Vec::new(),
                    owner_id: owner,
                    supervising_leader_id: None,
                    deadline: o.due,
                    schedule: Vec::new(),
                    weight: 1,
                };
                let t = insert_task(
                    &mut tx,
                    &w,
                    NewTask {
                        directive_id: None,
                        duty_entry_id: Some(e.id),
                        occurrence: Some(&o.label.zh),
                        parent: None,
                        seq: i as i64 + 1,
                        issuing_unit_id: l.org_unit_id,
                        spec: &spec,
                        issued_on: env.today.min(o.period.start).min(o.due),
                        status: TaskStatus::Accepted,
                    },
                )
                .await?;
                record(&mut tx, &w, "tasks.task.issue", &t).await?;
                made += 1;
            }
        }
        if made == 0 {
            drop(tx);
            return Ok(0);
        }
        let l = list_in(&mut tx, list).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("tasks.duty.list.generate", DUTY_LIST, list, Some(l.org_unit_id), l.snapshot())
                .with_detail(json!({ "occurrences": made })),
        )
        .await?;
        Ok(made)
    }

    /// 履责记实 against an entry; with `occurrence`, that occurrence (one of
    /// the entry's tasks, still open) is done on the record's date.
    pub async fn record_duty(
        &self,
        who: &Who,
        env: &Env<'_>,
        entry: Uuid,
        r: &DutyRecord,
        occurrence: Option<Uuid>,
    ) -> Result<DutyRecordRow> {
        let w = W { who, env, algo: self.0.algo };
        let mut tx = self.0.pool.begin_write().await?;
        let e = entry_in(&mut tx, entry).await?;
        if let Some(tid) = occurrence {
            let t = task_in(&mut tx, tid).await?;
            if t.duty_entry_id != Some(entry) {
                return Err(StoreError::NotFound);
            }
            let from = t.status();
            if matches!(from, TaskStatus::Done | TaskStatus::Withdrawn) {
                return Err(Refusal::new(
                    "occurrence_closed",
                    "该次履责已办结，无需重复记实",
                    "this occurrence is already closed",
                )
                .into());
            }
            exec_tx!(&mut tx, c => sqlx::query("UPDATE tasks SET status = 'done', reported = 100, done_on = $1, updated_at = $2 WHERE id = $3")
                .bind(r.done_on.to_string()).bind(Ts::now()).bind(tid).execute(c).await)?;
            step(&mut tx, &w, tid, "complete", Some(from), TaskStatus::Done, Some(&format!("履责记实：{}", r.note)))
                .await?;
            let after = settle(&mut tx, env, tid).await?;
            record(&mut tx, &w, "tasks.task.complete", &after).await?;
        }
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO duty_records (id, entry_id, task_id, note, done_on, recorded_by, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7)")
            .bind(id).bind(entry).bind(occurrence).bind(&r.note).bind(r.done_on.to_string()).bind(&who.label).bind(Ts::now())
            .execute(c).await)?;
        let rec = record_in(&mut tx, id).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("tasks.duty.record", DUTY_RECORD, id, Some(e.org_unit_id), rec.snapshot()),
        )
        .await?;
        Ok(rec)
    }
}

pub(super) const SELECT_RECORDS: &str = "SELECT r.id, r.entry_id, r.task_id, r.note, r.done_on, r.recorded_by, r.created_at, t.occurrence \
     FROM duty_records r LEFT JOIN tasks t ON t.id = r.task_id";

async fn record_in(tx: &mut Tx, id: Uuid) -> Result<DutyRecordRow> {
    let mut q = Sql::new(SELECT_RECORDS);
    q.push(" WHERE r.id = ").arg(id);
    fetch_all_tx!(tx, DutyRecordRow, q)?.into_iter().next().ok_or(StoreError::NotFound)
}
