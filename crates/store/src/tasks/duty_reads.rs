//! Reads of 责任清单: lists in scope, a list's entries with where each
//! stands, an entry's occurrences and 履责记实, and every duty a person
//! carries through their seat.

use super::duties::{DutyEntry, DutyList, DutyRecordRow, SELECT_RECORDS, select_entries, select_lists};
use super::{Task, Tasks};
use crate::db::{Sql, fetch_all_as, fetch_page};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::org::{OrgKind, OrgPath};
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_domain::tasks::duties::{
    DutyState, ListKind, OccurrenceFacts, PersonDuty, Seat, UnitItem, duty_state, person_duties,
};
use serde_json::Value;
use std::collections::HashMap;
use uuid::Uuid;

/// What a list of lists is narrowed to.
#[derive(Debug, Clone, Default)]
pub struct DutyListFilter {
    pub kind: Option<ListKind>,
    pub year: Option<i16>,
    /// Lists of units within this subtree.
    pub within: Option<OrgPath>,
}

/// An entry with its occurrences' facts and where it stands.
#[derive(Debug, Clone)]
pub struct EntryLine {
    pub entry: DutyEntry,
    pub occurrences: Vec<OccurrenceFacts>,
    pub state: DutyState,
}

/// A person's duty with the names a page shows.
#[derive(Debug, Clone)]
pub struct PersonDutyLine {
    pub duty: PersonDuty,
    pub list_id: Uuid,
    pub list_kind: ListKind,
    pub unit_name: String,
}

/// The seats a person holds in their unit: the head of a discipline unit
/// carries 监督责任 (and the unit's own 主体责任 as its head); otherwise the
/// head is 书记/一把手 and the other leadership members are 班子成员.
pub fn seats_of(unit: Uuid, kind: OrgKind, is_head: bool, is_leadership_member: bool) -> Vec<(Uuid, Seat)> {
    let discipline = matches!(kind, OrgKind::DisciplineCommission | OrgKind::StationedTeam);
    let mut out = Vec::new();
    if is_head {
        if discipline {
            out.push((unit, Seat::DisciplineHead));
        }
        out.push((unit, Seat::Head));
    } else if is_leadership_member {
        out.push((unit, Seat::LeadershipMember));
    }
    out
}

#[derive(sqlx::FromRow)]
struct Fact {
    duty_entry_id: Uuid,
    deadline: String,
    status: String,
}

impl Tasks<'_> {
    pub async fn duty_list(&self, id: Uuid) -> Result<DutyList> {
        let mut q = Sql::new(select_lists!());
        q.push(" WHERE l.id = ").arg(id);
        fetch_all_as!(&self.0.pool, DutyList, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Lists of units within `scopes`, by year (newest first), then unit and kind.
    pub async fn duty_lists(
        &self,
        scopes: &[OrgPath],
        f: &DutyListFilter,
        page: PageRequest,
    ) -> Result<Page<DutyList>> {
        let mut w = Sql::new(" WHERE ");
        w.scope_filter("u.path", scopes);
        if let Some(within) = &f.within {
            w.push(" AND ").scope_filter("u.path", std::slice::from_ref(within));
        }
        if let Some(k) = f.kind {
            w.push(" AND l.kind = ").arg(k.as_str());
        }
        if let Some(y) = f.year {
            w.push(" AND l.year = ").arg(i64::from(y));
        }
        let (items, total) = fetch_page!(
            &self.0.pool,
            DutyList,
            select_lists!(),
            "SELECT COUNT(*) FROM duty_lists l JOIN org_units u ON u.id = l.org_unit_id",
            w,
            " ORDER BY l.year DESC, u.path, l.kind, l.id",
            &page
        )?;
        Ok(page.of(items, total))
    }

    pub async fn duty_entry(&self, id: Uuid) -> Result<DutyEntry> {
        let mut q = Sql::new(select_entries!());
        q.push(" WHERE e.id = ").arg(id);
        fetch_all_as!(&self.0.pool, DutyEntry, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    async fn facts(&self, where_: &'static str, id: Uuid) -> Result<HashMap<Uuid, Vec<OccurrenceFacts>>> {
        let mut q = Sql::new(
            "SELECT t.duty_entry_id, t.deadline, t.status FROM tasks t JOIN duty_entries e ON e.id = t.duty_entry_id WHERE t.status <> 'withdrawn' AND ",
        );
        q.push(where_).arg(id).push(" ORDER BY t.deadline");
        let mut by: HashMap<Uuid, Vec<OccurrenceFacts>> = HashMap::new();
        for f in fetch_all_as!(&self.0.pool, Fact, q)? {
            let due = super::date(&f.deadline)?;
            by.entry(f.duty_entry_id).or_default().push(OccurrenceFacts { due, done: f.status == "done" });
        }
        Ok(by)
    }

    /// A list's entries in order, each with where it stands on `today`.
    pub async fn duty_entries(&self, list: Uuid, today: Date) -> Result<Vec<EntryLine>> {
        let mut q = Sql::new(select_entries!());
        q.push(" WHERE e.list_id = ").arg(list).push(" ORDER BY e.seq");
        let entries = fetch_all_as!(&self.0.pool, DutyEntry, q)?;
        let mut facts = self.facts("e.list_id = ", list).await?;
        Ok(entries
            .into_iter()
            .map(|entry| {
                let occurrences = facts.remove(&entry.id).unwrap_or_default();
                let state = duty_state(&occurrences, today);
                EntryLine { entry, occurrences, state }
            })
            .collect())
    }

    /// The occurrences (tasks) of an entry, by due date.
    pub async fn duty_occurrences(&self, entry: Uuid) -> Result<Vec<Task>> {
        let mut q = Sql::new("SELECT id FROM tasks WHERE duty_entry_id = ");
        q.arg(entry).push(" ORDER BY deadline, seq");
        #[derive(sqlx::FromRow)]
        struct I {
            id: Uuid,
        }
        let mut out = Vec::new();
        for i in fetch_all_as!(&self.0.pool, I, q)? {
            out.push(self.get(i.id).await?);
        }
        Ok(out)
    }

    /// The 履责记实 of an entry, newest first.
    pub async fn duty_records(&self, entry: Uuid) -> Result<Vec<DutyRecordRow>> {
        let mut q = Sql::new(SELECT_RECORDS);
        q.push(" WHERE r.entry_id = ").arg(entry).push(" ORDER BY r.done_on DESC, r.id DESC");
        Ok(fetch_all_as!(&self.0.pool, DutyRecordRow, q)?)
    }

    /// Every duty the person carries through their seat in their unit, in
    /// `year`'s lists of that unit, and whether it is done on `today`.
    pub async fn person_duties(&self, person: Uuid, year: i16, today: Date) -> Result<Vec<PersonDutyLine>> {
        let p = self.0.people().get(person).await?;
        if !p.active {
            return Ok(Vec::new());
        }
        let unit = self.0.orgs().get(p.org_unit_id).await?;
        let seats = seats_of(unit.id, unit.kind, p.is_head, p.is_leadership_member);
        if seats.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new(select_entries!());
        q.push(" WHERE l.org_unit_id = ")
            .arg(unit.id)
            .push(" AND l.year = ")
            .arg(i64::from(year))
            .push(" ORDER BY l.kind, e.seq");
        let entries = fetch_all_as!(&self.0.pool, DutyEntry, q)?;
        let mut facts: HashMap<Uuid, Vec<OccurrenceFacts>> = HashMap::new();
        let mut lists: Vec<Uuid> = entries.iter().map(|e| e.list_id).collect();
        lists.dedup();
        for l in lists {
            facts.extend(self.facts("e.list_id = ", l).await?);
        }
        let items: Vec<UnitItem<'_>> = entries
            .iter()
            .map(|e| UnitItem {
                unit_id: e.org_unit_id,
                entry_id: e.id,
                duty: e.duty(),
                text: &e.text,
                occurrences: facts.get(&e.id).map_or(&[][..], Vec::as_slice),
            })
            .collect();
        let by_id: HashMap<Uuid, &DutyEntry> = entries.iter().map(|e| (e.id, e)).collect();
        Ok(person_duties(&seats, &items, today)
            .into_iter()
            .filter_map(|d| {
                let e = by_id.get(&d.entry_id)?;
                Some(PersonDutyLine {
                    list_id: e.list_id,
                    list_kind: e.list_kind(),
                    unit_name: e.unit_name.clone(),
                    duty: d,
                })
            })
            .collect())
    }

    pub(crate) async fn duty_list_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_lists!());
        q.push(" ORDER BY l.id");
        Ok(fetch_all_as!(&self.0.pool, DutyList, q)?.into_iter().map(|l| (l.id.to_string(), l.snapshot())).collect())
    }

    pub(crate) async fn duty_entry_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_entries!());
        q.push(" ORDER BY e.id");
        Ok(fetch_all_as!(&self.0.pool, DutyEntry, q)?.into_iter().map(|e| (e.id.to_string(), e.snapshot())).collect())
    }

    pub(crate) async fn duty_record_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(SELECT_RECORDS);
        q.push(" ORDER BY r.id");
        Ok(fetch_all_as!(&self.0.pool, DutyRecordRow, q)?
            .into_iter()
            .map(|r| (r.id.to_string(), r.snapshot()))
            .collect())
    }
}
