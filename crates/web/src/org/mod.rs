//! The organisation tree and its people: commands shared by the pages
//! ([`units`], [`people`]) and the JSON API ([`api`]).

pub mod api;
pub mod people;
pub mod units;

use crate::AppState;
use crate::ctx::User;
use crate::error::AppResult;
use qingfeng_domain::access::Action;
use qingfeng_domain::org::{OrgKind, OrgPath, OrgUnitInput};
use qingfeng_domain::people::PersonInput;
use qingfeng_store::org::{OrgNode, OrgUnit};
use qingfeng_store::people::Person;
use std::collections::HashMap;
use uuid::Uuid;

/// Loads a unit the user may `action` (404 when outside every scope).
pub async fn visible_unit(state: &AppState, user: &User, id: Uuid, action: Action) -> AppResult<OrgUnit> {
    let unit = state.store.orgs().get(id).await?;
    user.authorize(action, &unit.path)?;
    Ok(unit)
}

pub async fn visible_person(state: &AppState, user: &User, id: Uuid, action: Action) -> AppResult<Person> {
    let p = state.store.people().get(id).await?;
    user.authorize(action, &p.scope()?)?;
    Ok(p)
}

/// Creates a unit under `parent`, or a top-level unit (deployment-wide admins only).
pub async fn create_unit(
    state: &AppState,
    user: &User,
    parent: Option<Uuid>,
    input: &OrgUnitInput,
) -> AppResult<OrgUnit> {
    let parent_kind = match parent {
        Some(p) => Some(visible_unit(state, user, p, Action::ManageOrg).await?.kind),
        None => {
            user.authorize_system(Action::ManageOrg)?;
            None
        }
    };
    let spec = input.validate(parent_kind)?;
    Ok(state.store.orgs().create(&user.who(), parent, &spec).await?)
}

pub async fn update_unit(state: &AppState, user: &User, id: Uuid, input: &OrgUnitInput) -> AppResult<OrgUnit> {
    visible_unit(state, user, id, Action::ManageOrg).await?;
    // The parent kind is checked by the store (it may lie above the user's scope).
    let spec = input.validate(None)?;
    Ok(state.store.orgs().update(&user.who(), id, &spec).await?)
}

/// Moves a unit with its subtree; the user must manage both the unit and the new parent.
pub async fn move_unit(state: &AppState, user: &User, id: Uuid, new_parent: Uuid) -> AppResult<OrgUnit> {
    visible_unit(state, user, id, Action::ManageOrg).await?;
    visible_unit(state, user, new_parent, Action::ManageOrg).await?;
    let moved = state.store.orgs().move_to(&user.who(), id, new_parent).await?;
    // The search index records units' paths: rebuilt on the next search.
    crate::leads::search::invalidate(state).await;
    Ok(moved)
}

pub async fn set_unit_active(state: &AppState, user: &User, id: Uuid, active: bool) -> AppResult<OrgUnit> {
    visible_unit(state, user, id, Action::ManageOrg).await?;
    Ok(state.store.orgs().set_active(&user.who(), id, active).await?)
}

pub async fn create_person(state: &AppState, user: &User, unit: Uuid, input: &PersonInput) -> AppResult<Person> {
    visible_unit(state, user, unit, Action::ManagePeople).await?;
    let spec = input.validate()?;
    Ok(state.store.people().create(&user.who(), unit, &spec).await?)
}

pub async fn update_person(state: &AppState, user: &User, id: Uuid, input: &PersonInput) -> AppResult<Person> {
    visible_person(state, user, id, Action::ManagePeople).await?;
    let spec = input.validate()?;
    Ok(state.store.people().update(&user.who(), id, &spec).await?)
}

pub async fn transfer_person(state: &AppState, user: &User, id: Uuid, to: Uuid) -> AppResult<Person> {
    visible_person(state, user, id, Action::ManagePeople).await?;
    visible_unit(state, user, to, Action::ManagePeople).await?;
    Ok(state.store.people().transfer(&user.who(), id, to).await?)
}

pub async fn set_person_active(state: &AppState, user: &User, id: Uuid, active: bool) -> AppResult<Person> {
    visible_person(state, user, id, Action::ManagePeople).await?;
    Ok(state.store.people().set_active(&user.who(), id, active).await?)
}

/// A unit in a `<select>`, indented by its depth below the user's scope root.
#[derive(Debug, Clone)]
pub struct UnitOption {
    pub id: Uuid,
    pub name: String,
    pub kind: OrgKind,
    pub depth: usize,
}

impl UnitOption {
    /// The label with tree indentation.
    pub fn label(&self) -> String {
        let indent = "\u{3000}".repeat(self.depth);
        if self.depth == 0 { self.name.clone() } else { format!("{indent}└ {}", self.name) }
    }
}

/// Orders nodes depth-first, children by (sort order, name), starting from
/// the nodes whose parent is not in the set.
pub fn depth_first(nodes: Vec<OrgNode>) -> Vec<(OrgNode, usize)> {
    let ids: std::collections::HashSet<Uuid> = nodes.iter().map(|n| n.unit.id).collect();
    let mut children: HashMap<Option<Uuid>, Vec<OrgNode>> = HashMap::new();
    for n in nodes {
        let key = n.unit.parent_id.filter(|p| ids.contains(p));
        children.entry(key).or_default().push(n);
    }
    for list in children.values_mut() {
        list.sort_by(|a, b| (a.unit.sort_order, &a.unit.name).cmp(&(b.unit.sort_order, &b.unit.name)));
    }
    let mut out = Vec::new();
    let mut stack: Vec<(OrgNode, usize)> =
        children.remove(&None).unwrap_or_default().into_iter().rev().map(|n| (n, 0)).collect();
    while let Some((n, d)) = stack.pop() {
        if let Some(kids) = children.remove(&Some(n.unit.id)) {
            stack.extend(kids.into_iter().rev().map(|k| (k, d + 1)));
        }
        out.push((n, d));
    }
    out
}

/// Every active unit in which the user may `action`, depth-first.
pub async fn unit_options(state: &AppState, user: &User, action: Action) -> AppResult<Vec<UnitOption>> {
    let mut out = Vec::new();
    for scope in user.scopes(action) {
        let nodes = if scope.is_global() {
            let mut all = Vec::new();
            for root in state.store.orgs().children(None, false).await? {
                all.extend(state.store.orgs().subtree(&root.unit.path, None, false).await?);
            }
            all
        } else {
            state.store.orgs().subtree(&scope, None, false).await?
        };
        out.extend(depth_first(nodes).into_iter().map(|(n, depth)| UnitOption {
            id: n.unit.id,
            name: n.unit.name,
            kind: n.unit.kind,
            depth,
        }));
    }
    Ok(out)
}

/// The unit a module's board opens on: the user's first scope for
/// `action`, or the first top-level unit for a deployment-wide grant.
pub async fn first_scope_unit(state: &AppState, user: &User, action: Action) -> AppResult<Uuid> {
    let scopes = user.scopes(action);
    let first = scopes.first().ok_or(crate::error::AppError::NotFound)?;
    match first.id() {
        Some(id) => Ok(id),
        None => state.store.orgs().children(None, false).await?.first().map(|n| n.unit.id).ok_or(crate::error::AppError::NotFound),
    }
}

/// Whether `path` is one of the roots of the user's view (nothing above it is shown).
pub fn is_scope_root(user: &User, path: &OrgPath) -> bool {
    user.scopes(Action::ViewOrg).iter().any(|s| s == path)
}

#[cfg(test)]
mod tests {
    use super::*;
    use qingfeng_store::Ts;

    fn node(id: u128, parent: Option<u128>, sort: i64, name: &str) -> OrgNode {
        let unit = OrgUnit {
            id: Uuid::from_u128(id),
            parent_id: parent.map(Uuid::from_u128),
            kind: OrgKind::Branch,
            name: name.into(),
            short_name: None,
            path: OrgPath::top(Uuid::from_u128(id)),
            depth: 1,
            sort_order: sort,
            active: true,
            created_at: Ts::from_micros(0),
            updated_at: Ts::from_micros(0),
        };
        OrgNode { unit, active_children: 0, active_people: 0 }
    }

    #[test]
    fn depth_first_orders_children_by_sort_order_then_name() {
        let nodes = vec![
            node(3, Some(1), 2, "乙"),
            node(1, None, 0, "根"),
            node(2, Some(1), 1, "甲"),
            node(4, Some(2), 0, "甲一"),
        ];
        let order: Vec<(String, usize)> = depth_first(nodes).into_iter().map(|(n, d)| (n.unit.name, d)).collect();
        assert_eq!(order, vec![("根".into(), 0), ("甲".into(), 1), ("甲一".into(), 2), ("乙".into(), 1)]);
    }
}
