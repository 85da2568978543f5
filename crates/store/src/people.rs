//! People in units.

use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_page, on_tx};
use crate::org::get_in as get_unit_in;
use crate::{Result, Store, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::{Dir, Page, PageRequest};
use qingfeng_domain::people::{Gender, PersonSpec};
use serde_json::{Value, json};
use uuid::Uuid;

pub const ENTITY: &str = "person";

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Person {
    pub id: Uuid,
    pub org_unit_id: Uuid,
    pub name: String,
    pub gender: Option<String>,
    pub position: Option<String>,
    pub is_party_member: bool,
    pub is_head: bool,
    pub is_leadership_member: bool,
    pub sort_order: i64,
    pub active: bool,
    pub created_at: Ts,
    pub updated_at: Ts,
    /// Name of the unit (joined for display).
    pub org_unit_name: String,
    /// Path of the unit (joined, for access checks).
    pub org_path: String,
    /// Short name (or name) of the unit's parent, for context in lists.
    pub parent_unit_name: Option<String>,
}

impl Person {
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id,
            "org_unit_id": self.org_unit_id,
            "name": self.name,
            "gender": self.gender,
            "position": self.position,
            "is_party_member": self.is_party_member,
            "is_head": self.is_head,
            "is_leadership_member": self.is_leadership_member,
            "sort_order": self.sort_order,
            "active": self.active,
            "created_at": self.created_at.rfc3339(),
        })
    }

    pub fn scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.org_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.org_path)))
    }

    pub fn gender(&self) -> Option<Gender> {
        self.gender.as_deref().and_then(Gender::parse)
    }
}

macro_rules! select_people {
    () => {
        "SELECT p.id, p.org_unit_id, p.name, p.gender, p.position, p.is_party_member, p.is_head, p.is_leadership_member, \
         p.sort_order, p.active, p.created_at, p.updated_at, o.name AS org_unit_name, o.path AS org_path, \
         COALESCE(po.short_name, po.name) AS parent_unit_name \
         FROM people p JOIN org_units o ON o.id = p.org_unit_id LEFT JOIN org_units po ON po.id = o.parent_id"
    };
}

/// Columns a people list may be sorted by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum PeopleSort {
    /// Unit order, then the order within the unit (the roster order).
    #[default]
    Roster,
    Name,
    Unit,
    Position,
}

impl PeopleSort {
    pub fn parse(s: Option<&str>) -> PeopleSort {
        match s {
            Some("name") => PeopleSort::Name,
            Some("unit") => PeopleSort::Unit,
            Some("position") => PeopleSort::Position,
            _ => PeopleSort::Roster,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            PeopleSort::Roster => "roster",
            PeopleSort::Name => "name",
            PeopleSort::Unit => "unit",
            PeopleSort::Position => "position",
        }
    }
}

#[derive(Debug, Clone, Default)]
pub struct PeopleFilter {
    /// Only this unit's subtree (must itself lie within the actor's scope).
    pub within: Option<OrgPath>,
    /// Only people directly in this unit.
    pub unit: Option<Uuid>,
    /// Name or position contains.
    pub q: Option<String>,
    pub party_members_only: bool,
    pub leadership_only: bool,
    pub include_inactive: bool,
    pub sort: PeopleSort,
    pub dir: Dir,
}

pub struct People<'a>(pub(crate) &'a Store);

pub(crate) async fn get_in(tx: &mut Tx, id: Uuid) -> Result<Person> {
    let p: Option<Person> = on_tx!(tx, c => sqlx::query_as(concat!(select_people!(), " WHERE p.id = $1")).bind(id).fetch_optional(c).await)?;
    p.ok_or(StoreError::NotFound)
}

/// A person who has not left (for records that name them).
pub(crate) async fn get_active_in(tx: &mut Tx, id: Uuid) -> Result<Person> {
    let p = get_in(tx, id).await?;
    if !p.active {
        return Err(Refusal::new("person_inactive", "此人已离开本单位", "the person has left").into());
    }
    Ok(p)
}

impl People<'_> {
    pub async fn get(&self, id: Uuid) -> Result<Person> {
        let mut q = Sql::new(select_people!());
        q.push(" WHERE p.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Person, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// People within `scopes`, filtered, sorted and paged.
    pub async fn list(&self, scopes: &[OrgPath], f: &PeopleFilter, page: PageRequest) -> Result<Page<Person>> {
        let mut w = Sql::new(" WHERE ");
        w.scope_filter("o.path", scopes);
        if let Some(within) = &f.within {
            w.push(" AND ").scope_filter("o.path", std::slice::from_ref(within));
        }
        if let Some(unit) = f.unit {
            w.push(" AND p.org_unit_id = ").arg(unit);
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            w.push(" AND ").contains(&["p.name", "p.position"], q);
        }
        if f.party_members_only {
            w.push(" AND p.is_party_member");
        }
        if f.leadership_only {
            w.push(" AND p.is_leadership_member");
        }
        if !f.include_inactive {
            w.push(" AND p.active");
        }
        let desc = f.dir == Dir::Desc;
        let order = match (f.sort, desc) {
            (PeopleSort::Roster, false) => " ORDER BY o.path, p.sort_order, p.name",
            (PeopleSort::Roster, true) => " ORDER BY o.path DESC, p.sort_order DESC, p.name DESC",
            (PeopleSort::Name, false) => " ORDER BY p.name, p.id",
            (PeopleSort::Name, true) => " ORDER BY p.name DESC, p.id",
            (PeopleSort::Unit, false) => " ORDER BY o.name, p.sort_order, p.name",
            (PeopleSort::Unit, true) => " ORDER BY o.name DESC, p.sort_order, p.name",
            (PeopleSort::Position, false) => " ORDER BY p.position, p.name",
            (PeopleSort::Position, true) => " ORDER BY p.position DESC, p.name",
        };
        let (items, total) = fetch_page!(
            &self.0.pool,
            Person,
            select_people!(),
            "SELECT COUNT(*) FROM people p JOIN org_units o ON o.id = p.org_unit_id",
            w,
            order,
            &page
        )?;
        Ok(page.of(items, total))
    }

    pub async fn create(&self, who: &Who, org_unit_id: Uuid, spec: &PersonSpec) -> Result<Person> {
        let mut tx = self.0.pool.begin_write().await?;
        let unit = get_unit_in(&mut tx, org_unit_id).await?;
        if !unit.active {
            return Err(
                Refusal::new("unit_inactive", "该组织已撤销，不能新增人员", "the unit has been deactivated").into()
            );
        }
        let id = Uuid::now_v7();
        let now = Ts::now();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO people (id, org_unit_id, name, gender, position, is_party_member, is_head, is_leadership_member, \
             sort_order, active, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, TRUE, $10, $10)")
            .bind(id).bind(org_unit_id).bind(&spec.name).bind(spec.gender.map(Gender::as_str)).bind(&spec.position)
            .bind(spec.is_party_member).bind(spec.is_head).bind(spec.is_leadership_member).bind(spec.sort_order).bind(now)
            .execute(c).await)?;
        let person = get_in(&mut tx, id).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("person.create", ENTITY, id, Some(org_unit_id), person.snapshot()),
        )
        .await?;
        Ok(person)
    }

    pub async fn update(&self, who: &Who, id: Uuid, spec: &PersonSpec) -> Result<Person> {
        let mut tx = self.0.pool.begin_write().await?;
        let before = get_in(&mut tx, id).await?;
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE people SET name = $1, gender = $2, position = $3, is_party_member = $4, is_head = $5, \
             is_leadership_member = $6, sort_order = $7, updated_at = $8 WHERE id = $9")
            .bind(&spec.name).bind(spec.gender.map(Gender::as_str)).bind(&spec.position).bind(spec.is_party_member)
            .bind(spec.is_head).bind(spec.is_leadership_member).bind(spec.sort_order).bind(Ts::now()).bind(id)
            .execute(c).await)?;
        let person = get_in(&mut tx, id).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("person.update", ENTITY, id, Some(before.org_unit_id), person.snapshot()),
        )
        .await?;
        Ok(person)
    }

    /// Transfers a person to another unit (调动).
    pub async fn transfer(&self, who: &Who, id: Uuid, to_unit: Uuid) -> Result<Person> {
        let mut tx = self.0.pool.begin_write().await?;
        let before = get_in(&mut tx, id).await?;
        let unit = get_unit_in(&mut tx, to_unit).await?;
        if !unit.active {
            return Err(Refusal::new("unit_inactive", "目标组织已撤销", "the target unit has been deactivated").into());
        }
        if before.org_unit_id == to_unit {
            return Err(Refusal::new("transfer_noop", "此人已在该组织", "the person is already in that unit").into());
        }
        exec_tx!(&mut tx, c => sqlx::query("UPDATE people SET org_unit_id = $1, updated_at = $2 WHERE id = $3")
            .bind(to_unit).bind(Ts::now()).bind(id).execute(c).await)?;
        let person = get_in(&mut tx, id).await?;
        let detail = json!({ "from_unit": before.org_unit_id, "to_unit": to_unit });
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("person.transfer", ENTITY, id, Some(to_unit), person.snapshot()).with_detail(detail),
        )
        .await?;
        Ok(person)
    }

    /// Marks a person as having left (or returned); the record stays.
    pub async fn set_active(&self, who: &Who, id: Uuid, active: bool) -> Result<Person> {
        let mut tx = self.0.pool.begin_write().await?;
        let before = get_in(&mut tx, id).await?;
        if before.active == active {
            return Err(Refusal::new("no_change", "状态未变化", "nothing to change").into());
        }
        exec_tx!(&mut tx, c => sqlx::query("UPDATE people SET active = $1, updated_at = $2 WHERE id = $3")
            .bind(active).bind(Ts::now()).bind(id).execute(c).await)?;
        let person = get_in(&mut tx, id).await?;
        let action = if active { "person.reactivate" } else { "person.deactivate" };
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change(action, ENTITY, id, Some(person.org_unit_id), person.snapshot()),
        )
        .await?;
        Ok(person)
    }

    pub(crate) async fn snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_people!());
        q.push(" ORDER BY p.id");
        Ok(fetch_all_as!(&self.0.pool, Person, q)?.into_iter().map(|p| (p.id.to_string(), p.snapshot())).collect())
    }
}
