//! Org units: the tree every scope hangs from.

use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, exec_tx, fetch_all_as, fetch_page, fetch_scalar, on_pool, on_tx};
use crate::{Result, Store, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::audit::Break;
use qingfeng_domain::org::{OrgKind, OrgPath, OrgUnitSpec, check_deactivate, check_kind, check_move};
use qingfeng_domain::page::{Page, PageRequest};
use serde_json::{Value, json};
use std::collections::HashMap;
use uuid::Uuid;

pub const ENTITY: &str = "org_unit";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUnit {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    pub kind: OrgKind,
    pub name: String,
    pub short_name: Option<String>,
    pub path: OrgPath,
    pub depth: i32,
    pub sort_order: i64,
    pub active: bool,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl OrgUnit {
    /// The state the audit chain records (the path is derived from the
    /// parent chain and checked separately).
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id,
            "parent_id": self.parent_id,
            "kind": self.kind.as_str(),
            "name": self.name,
            "short_name": self.short_name,
            "sort_order": self.sort_order,
            "active": self.active,
            "created_at": self.created_at.rfc3339(),
        })
    }

    /// Short name if it has one.
    pub fn display_name(&self) -> &str {
        self.short_name.as_deref().unwrap_or(&self.name)
    }
}

#[derive(sqlx::FromRow)]
struct OrgRow {
    id: Uuid,
    parent_id: Option<Uuid>,
    kind: String,
    name: String,
    short_name: Option<String>,
    path: String,
    depth: i32,
    sort_order: i64,
    active: bool,
    created_at: Ts,
    updated_at: Ts,
}

impl TryFrom<OrgRow> for OrgUnit {
    type Error = StoreError;
    fn try_from(r: OrgRow) -> Result<OrgUnit> {
        Ok(OrgUnit {
            kind: OrgKind::parse(&r.kind).ok_or_else(|| StoreError::Corrupt(format!("org kind `{}`", r.kind)))?,
            path: OrgPath::parse(&r.path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", r.path)))?,
            id: r.id,
            parent_id: r.parent_id,
            name: r.name,
            short_name: r.short_name,
            depth: r.depth,
            sort_order: r.sort_order,
            active: r.active,
            created_at: r.created_at,
            updated_at: r.updated_at,
        })
    }
}

/// A unit with the counts a tree view shows beside it.
#[derive(Debug, Clone)]
pub struct OrgNode {
    pub unit: OrgUnit,
    pub active_children: i64,
    pub active_people: i64,
}

#[derive(sqlx::FromRow)]
struct NodeRow {
    #[sqlx(flatten)]
    unit: OrgRow,
    active_children: i64,
    active_people: i64,
}

macro_rules! org_cols {
    () => {
        "o.id, o.parent_id, o.kind, o.name, o.short_name, o.path, o.depth, o.sort_order, o.active, o.created_at, o.updated_at"
    };
}

const COLS: &str = org_cols!();

const NODE_SELECT: &str = concat!(
    "SELECT ",
    org_cols!(),
    ", (SELECT COUNT(*) FROM org_units c WHERE c.parent_id = o.id AND c.active) AS active_children, \
     (SELECT COUNT(*) FROM people p WHERE p.org_unit_id = o.id AND p.active) AS active_people \
     FROM org_units o"
);

/// Filter for searching units.
#[derive(Debug, Clone, Default)]
pub struct OrgFilter {
    pub q: Option<String>,
    pub kind: Option<OrgKind>,
    pub include_inactive: bool,
}

/// Totals for a subtree.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SubtreeCounts {
    pub units: i64,
    pub people: i64,
    pub party_members: i64,
}

pub struct Orgs<'a>(pub(crate) &'a Store);

fn nodes(rows: Vec<NodeRow>) -> Result<Vec<OrgNode>> {
    rows.into_iter()
        .map(|r| {
            Ok(OrgNode { unit: r.unit.try_into()?, active_children: r.active_children, active_people: r.active_people })
        })
        .collect()
}

impl Orgs<'_> {
    pub async fn get(&self, id: Uuid) -> Result<OrgUnit> {
        let mut q = Sql::new("SELECT ");
        q.push(COLS).push(" FROM org_units o WHERE o.id = ").arg(id);
        fetch_all_as!(&self.0.pool, OrgRow, q)?.into_iter().next().ok_or(StoreError::NotFound)?.try_into()
    }

    /// Several units by id (missing ones are skipped), in path order.
    pub async fn get_many(&self, ids: &[Uuid]) -> Result<Vec<OrgUnit>> {
        if ids.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new("SELECT ");
        q.push(COLS).push(" FROM org_units o WHERE o.id IN (");
        for (i, id) in ids.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.arg(*id);
        }
        q.push(") ORDER BY o.path");
        fetch_all_as!(&self.0.pool, OrgRow, q)?.into_iter().map(TryInto::try_into).collect()
    }

    /// The units from the top of the tree down to `unit`, limited to those
    /// within `scope` (nothing above an actor's scope is shown).
    pub async fn ancestry(&self, unit: &OrgUnit, scopes: &[OrgPath]) -> Result<Vec<OrgUnit>> {
        let all = self.get_many(&unit.path.ids()).await?;
        Ok(all.into_iter().filter(|u| scopes.iter().any(|s| u.path.is_within(s))).collect())
    }

    /// Direct children of `parent` (top-level units for `None`), with counts.
    pub async fn children(&self, parent: Option<Uuid>, include_inactive: bool) -> Result<Vec<OrgNode>> {
        let mut q = Sql::new(NODE_SELECT);
        match parent {
            Some(p) => q.push(" WHERE o.parent_id = ").arg(p),
            None => q.push(" WHERE o.parent_id IS NULL"),
        };
        if !include_inactive {
            q.push(" AND o.active");
        }
        q.push(" ORDER BY o.sort_order, o.name");
        nodes(fetch_all_as!(&self.0.pool, NodeRow, q)?)
    }

    /// The units an actor's scopes start at (the roots of its tree view).
    pub async fn scope_roots(&self, scopes: &[OrgPath]) -> Result<Vec<OrgNode>> {
        if scopes.iter().any(OrgPath::is_global) {
            return self.children(None, true).await;
        }
        let mut q = Sql::new(NODE_SELECT);
        q.push(" WHERE o.path IN (");
        for (i, s) in scopes.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.arg(s.as_str());
        }
        if scopes.is_empty() {
            q.push("NULL");
        }
        q.push(") ORDER BY o.path");
        nodes(fetch_all_as!(&self.0.pool, NodeRow, q)?)
    }

    /// Every unit in the subtree of `root` down to `max_depth` levels below
    /// it, in path order.
    pub async fn subtree(
        &self,
        root: &OrgPath,
        max_depth: Option<i32>,
        include_inactive: bool,
    ) -> Result<Vec<OrgNode>> {
        let mut q = Sql::new(NODE_SELECT);
        q.push(" WHERE ").scope_filter("o.path", std::slice::from_ref(root));
        if let Some(d) = max_depth {
            q.push(" AND o.depth <= ").arg(root.depth() as i64 + i64::from(d));
        }
        if !include_inactive {
            q.push(" AND o.active");
        }
        q.push(" ORDER BY o.depth, o.sort_order, o.name");
        nodes(fetch_all_as!(&self.0.pool, NodeRow, q)?)
    }

    /// Searches units within `scopes`.
    pub async fn search(&self, scopes: &[OrgPath], f: &OrgFilter, page: PageRequest) -> Result<Page<OrgNode>> {
        let mut w = Sql::new(" WHERE ");
        w.scope_filter("o.path", scopes);
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            w.push(" AND ").contains(&["o.name", "o.short_name"], q);
        }
        if let Some(k) = f.kind {
            w.push(" AND o.kind = ").arg(k.as_str());
        }
        if !f.include_inactive {
            w.push(" AND o.active");
        }
        let (items, total) = fetch_page!(
            &self.0.pool,
            NodeRow,
            NODE_SELECT,
            "SELECT COUNT(*) FROM org_units o",
            w,
            " ORDER BY o.path",
            &page
        )?;
        let items = nodes(items)?;
        Ok(page.of(items, total))
    }

    /// Units, people and party members in the subtree (active only).
    pub async fn counts(&self, root: &OrgPath) -> Result<SubtreeCounts> {
        let mut units = Sql::new("SELECT COUNT(*) FROM org_units o WHERE o.active AND ");
        units.scope_filter("o.path", std::slice::from_ref(root));
        let mut people =
            Sql::new("SELECT COUNT(*) FROM people p JOIN org_units o ON o.id = p.org_unit_id WHERE p.active AND ");
        people.scope_filter("o.path", std::slice::from_ref(root));
        let mut members = people.clone();
        members.push(" AND p.is_party_member");
        Ok(SubtreeCounts {
            units: fetch_scalar!(&self.0.pool, i64, units)?,
            people: fetch_scalar!(&self.0.pool, i64, people)?,
            party_members: fetch_scalar!(&self.0.pool, i64, members)?,
        })
    }

    /// Creates a unit under `parent` (a top-level unit for `None`).
    pub async fn create(&self, who: &Who, parent: Option<Uuid>, spec: &OrgUnitSpec) -> Result<OrgUnit> {
        let mut tx = self.0.pool.begin_write().await?;
        let parent_unit = match parent {
            Some(p) => Some(get_in(&mut tx, p).await?),
            None => None,
        };
        if let Some(p) = &parent_unit {
            if !p.active {
                return Err(Refusal::new(
                    "parent_inactive",
                    "上级组织已撤销，不能在其下设立组织",
                    "the parent unit has been deactivated",
                )
                .into());
            }
            check_kind(Some(p.kind), spec.kind, &[])?;
        }
        let id = Uuid::now_v7();
        let path = match &parent_unit {
            Some(p) => p.path.child(id),
            None => OrgPath::top(id),
        };
        let now = Ts::now();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO org_units (id, parent_id, kind, name, short_name, path, depth, sort_order, active, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, TRUE, $9, $9)")
            .bind(id).bind(parent).bind(spec.kind.as_str()).bind(&spec.name).bind(&spec.short_name)
            .bind(path.as_str()).bind(path.depth() as i32).bind(spec.sort_order).bind(now)
            .execute(c).await)?;
        let unit = get_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("org.create", ENTITY, id, Some(id), unit.snapshot())).await?;
        Ok(unit)
    }

    /// Renames a unit and changes its short name and sort order. The kind
    /// may change too if the parent and the children allow it.
    pub async fn update(&self, who: &Who, id: Uuid, spec: &OrgUnitSpec) -> Result<OrgUnit> {
        let mut tx = self.0.pool.begin_write().await?;
        let before = get_in(&mut tx, id).await?;
        if spec.kind != before.kind {
            let parent = match before.parent_id {
                Some(pid) => Some(get_in(&mut tx, pid).await?.kind),
                None => None,
            };
            let kinds: Vec<String> = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT DISTINCT kind FROM org_units WHERE parent_id = $1")
                .bind(id).fetch_all(c).await)?;
            let children: Vec<OrgKind> = kinds.iter().filter_map(|k| OrgKind::parse(k)).collect();
            check_kind(parent, spec.kind, &children)?;
        }
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE org_units SET name = $1, short_name = $2, kind = $3, sort_order = $4, updated_at = $5 WHERE id = $6")
            .bind(&spec.name).bind(&spec.short_name).bind(spec.kind.as_str()).bind(spec.sort_order).bind(Ts::now()).bind(id)
            .execute(c).await)?;
        let unit = get_in(&mut tx, id).await?;
        let detail =
            json!({ "before": { "name": before.name, "short_name": before.short_name, "kind": before.kind.as_str() } });
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("org.update", ENTITY, id, Some(id), unit.snapshot()).with_detail(detail),
        )
        .await?;
        Ok(unit)
    }

    /// Moves a unit and its whole subtree under `new_parent`.
    pub async fn move_to(&self, who: &Who, id: Uuid, new_parent: Uuid) -> Result<OrgUnit> {
        let mut tx = self.0.pool.begin_write().await?;
        let unit = get_in(&mut tx, id).await?;
        let target = get_in(&mut tx, new_parent).await?;
        let current_parent = match unit.parent_id {
            Some(p) => Some(get_in(&mut tx, p).await?.path),
            None => None,
        };
        check_move(&unit.path, unit.kind, current_parent.as_ref(), &target.path, target.kind, target.active)?;
        let new_path = unit.path.rebased(Some(&target.path));
        let (lo, hi) = unit.path.subtree_range();
        let depth_delta = new_path.depth() as i64 - unit.path.depth() as i64;
        let keep_from = unit.path.as_str().len() as i64 + 1;
        let now = Ts::now();
        exec_tx!(&mut tx, c => {
            sqlx::query(
                "UPDATE org_units SET path = $1 || substr(path, CAST($2 AS INTEGER)), depth = depth + CAST($3 AS INTEGER), updated_at = $4 \
                 WHERE path >= $5 AND path < $6")
                .bind(new_path.as_str()).bind(keep_from).bind(depth_delta).bind(now).bind(&lo).bind(&hi)
                .execute(&mut *c).await?;
            sqlx::query("UPDATE org_units SET parent_id = $1 WHERE id = $2").bind(new_parent).bind(id).execute(c).await
        })?;
        crate::rectify::tally::moved(&mut tx, id, &unit.path, &new_path).await?;
        let moved = get_in(&mut tx, id).await?;
        let detail = json!({ "from_parent": unit.parent_id, "to_parent": new_parent });
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("org.move", ENTITY, id, Some(id), moved.snapshot()).with_detail(detail),
        )
        .await?;
        Ok(moved)
    }

    /// Deactivates (撤销) an empty unit, or reactivates one under an active parent.
    pub async fn set_active(&self, who: &Who, id: Uuid, active: bool) -> Result<OrgUnit> {
        let mut tx = self.0.pool.begin_write().await?;
        let unit = get_in(&mut tx, id).await?;
        if unit.active == active {
            return Err(if active {
                Refusal::new("already_active", "该组织未被撤销", "the unit is already active")
            } else {
                Refusal::new("already_inactive", "该组织已撤销", "the unit is already deactivated")
            }
            .into());
        }
        if active {
            if let Some(pid) = unit.parent_id
                && !get_in(&mut tx, pid).await?.active
            {
                return Err(Refusal::new(
                    "parent_inactive",
                    "上级组织已撤销，请先恢复上级组织",
                    "reactivate the parent unit first",
                )
                .into());
            }
        } else {
            let (children, people): (i64, i64) = on_tx!(&mut tx, c => sqlx::query_as(
                "SELECT (SELECT COUNT(*) FROM org_units WHERE parent_id = $1 AND active), \
                        (SELECT COUNT(*) FROM people WHERE org_unit_id = $1 AND active)")
                .bind(id).fetch_one(c).await)?;
            check_deactivate(children as u64, people as u64)?;
        }
        exec_tx!(&mut tx, c => sqlx::query("UPDATE org_units SET active = $1, updated_at = $2 WHERE id = $3")
            .bind(active).bind(Ts::now()).bind(id).execute(c).await)?;
        let after = get_in(&mut tx, id).await?;
        let action = if active { "org.reactivate" } else { "org.deactivate" };
        commit_with(tx, self.0.algo, who, Draft::change(action, ENTITY, id, Some(id), after.snapshot())).await?;
        Ok(after)
    }

    pub(crate) async fn snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new("SELECT ");
        q.push(COLS).push(" FROM org_units o ORDER BY o.id");
        fetch_all_as!(&self.0.pool, OrgRow, q)?
            .into_iter()
            .map(|r| OrgUnit::try_from(r).map(|u| (u.id.to_string(), u.snapshot())))
            .collect()
    }

    /// Checks that every path and depth follows from the parent chain.
    pub(crate) async fn check_tree(&self) -> Result<std::result::Result<(), Break>> {
        let rows: Vec<(Uuid, Option<Uuid>, String, i32)> = on_pool!(&self.0.pool, c => sqlx::query_as("SELECT id, parent_id, path, depth FROM org_units").fetch_all(c).await)?;
        let paths: HashMap<Uuid, &str> = rows.iter().map(|(id, _, p, _)| (*id, p.as_str())).collect();
        for (id, parent, path, depth) in &rows {
            let expected = match parent {
                None => Some(OrgPath::top(*id)),
                Some(p) => paths.get(p).and_then(|pp| OrgPath::parse(pp)).map(|pp| pp.child(*id)),
            };
            let ok = expected.is_some_and(|e| e.as_str() == path && e.depth() as i32 == *depth);
            if !ok {
                return Ok(Err(Break::TreeInconsistent { entity: ENTITY.into(), entity_id: id.to_string() }));
            }
        }
        Ok(Ok(()))
    }
}

pub(crate) async fn get_in(tx: &mut crate::db::Tx, id: Uuid) -> Result<OrgUnit> {
    let row: Option<OrgRow> = on_tx!(tx, c => sqlx::query_as(concat!("SELECT ", org_cols!(), " FROM org_units o WHERE o.id = $1"))
        .bind(id).fetch_optional(c).await)?;
    row.ok_or(StoreError::NotFound)?.try_into()
}
