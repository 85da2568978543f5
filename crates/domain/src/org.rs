//! The organisation tree (组织树).
//!
//! Every unit has a materialised path: the path of its parent followed by its
//! own id in simple hex and a `/`, e.g. `/0192…/0193…/`. "This node and
//! everything under it" is then the half-open string range
//! `[path, path_with_last_slash_replaced_by_'0')`, one indexed range scan on
//! every engine (no `LIKE`, no engine-specific tree type).

use crate::msg::{Msg, Refusal, Validation, optional_text, required_text};
use serde::{Deserialize, Serialize};
use std::fmt;
use uuid::Uuid;

/// Kinds of unit in the tree (glossary: 党委/党组/机关党委/党总支/党支部/党小组,
/// 纪委监委/派驻纪检组/部门).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OrgKind {
    PartyCommittee,
    PartyGroup,
    OrganCommittee,
    GeneralBranch,
    Branch,
    Cell,
    DisciplineCommission,
    StationedTeam,
    Department,
}

impl OrgKind {
    /// A 纪委 or a 派驻纪检组: a body that handles leads.
    pub fn is_discipline(self) -> bool {
        matches!(self, OrgKind::DisciplineCommission | OrgKind::StationedTeam)
    }

    pub const ALL: [OrgKind; 9] = [
        OrgKind::PartyCommittee,
        OrgKind::PartyGroup,
        OrgKind::OrganCommittee,
        OrgKind::GeneralBranch,
        OrgKind::Branch,
        OrgKind::Cell,
        OrgKind::DisciplineCommission,
        OrgKind::StationedTeam,
        OrgKind::Department,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::PartyCommittee => "party_committee",
            OrgKind::PartyGroup => "party_group",
            OrgKind::OrganCommittee => "organ_committee",
            OrgKind::GeneralBranch => "general_branch",
            OrgKind::Branch => "branch",
            OrgKind::Cell => "cell",
            OrgKind::DisciplineCommission => "discipline_commission",
            OrgKind::StationedTeam => "stationed_team",
            OrgKind::Department => "department",
        }
    }

    pub fn parse(s: &str) -> Option<OrgKind> {
        OrgKind::ALL.into_iter().find(|k| k.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            OrgKind::PartyCommittee => Msg::new("党委", "Party committee"),
            OrgKind::PartyGroup => Msg::new("党组", "Party group"),
            OrgKind::OrganCommittee => Msg::new("机关党委", "Organ party committee"),
            OrgKind::GeneralBranch => Msg::new("党总支", "General branch"),
            OrgKind::Branch => Msg::new("党支部", "Party branch"),
            OrgKind::Cell => Msg::new("党小组", "Party cell"),
            OrgKind::DisciplineCommission => Msg::new("纪委监委", "Discipline commission"),
            OrgKind::StationedTeam => Msg::new("派驻纪检组", "Stationed discipline team"),
            OrgKind::Department => Msg::new("部门", "Department"),
        }
    }

    /// Whether a unit of kind `child` may sit directly under `self`.
    ///
    /// The rules are the structural ones of the 支部工作条例: a 党支部 may only
    /// be divided into 党小组, and a 党小组 has nothing under it; a stationed
    /// team is an arm of its commission and has no sub-units.
    pub fn allows_child(self, child: OrgKind) -> bool {
        match self {
            OrgKind::Cell | OrgKind::StationedTeam => false,
            OrgKind::Branch => child == OrgKind::Cell,
            OrgKind::DisciplineCommission => {
                matches!(child, OrgKind::StationedTeam | OrgKind::Department)
            }
            _ => child != OrgKind::Cell,
        }
    }
}

/// A materialised path: `/` + one `{32 hex}/` segment per level.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(transparent)]
pub struct OrgPath(String);

const SEGMENT_LEN: usize = 32;

impl OrgPath {
    /// The path of a top-level unit.
    pub fn top(id: Uuid) -> OrgPath {
        OrgPath(format!("/{}/", id.simple()))
    }

    /// The path of `id` as a child of `self`.
    pub fn child(&self, id: Uuid) -> OrgPath {
        OrgPath(format!("{}{}/", self.0, id.simple()))
    }

    /// The scope of the whole deployment: every unit of every tree. Only
    /// deployment-wide grants (e.g. the first administrator's) have it.
    pub fn global() -> OrgPath {
        OrgPath("/".to_string())
    }

    pub fn is_global(&self) -> bool {
        self.0 == "/"
    }

    /// Parses and checks a stored path.
    pub fn parse(s: &str) -> Option<OrgPath> {
        let inner = s.strip_prefix('/')?.strip_suffix('/')?;
        let ok = !inner.is_empty()
            && inner.split('/').all(|seg| {
                seg.len() == SEGMENT_LEN && seg.bytes().all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b))
            });
        ok.then(|| OrgPath(s.to_string()))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// Number of levels (a top-level unit has depth 1).
    pub fn depth(&self) -> usize {
        (self.0.len() - 1) / (SEGMENT_LEN + 1)
    }

    /// The ids along the path, from the top down to this node.
    pub fn ids(&self) -> Vec<Uuid> {
        self.0.trim_matches('/').split('/').filter_map(|s| Uuid::try_parse(s).ok()).collect()
    }

    pub fn id(&self) -> Option<Uuid> {
        self.ids().last().copied()
    }

    /// True when `self` is `scope` or lies under it.
    pub fn is_within(&self, scope: &OrgPath) -> bool {
        self.0.starts_with(&scope.0)
    }

    /// The half-open range `[start, end)` of paths within this subtree
    /// (for the global scope: every path).
    pub fn subtree_range(&self) -> (String, String) {
        let mut end = self.0.clone();
        end.pop(); // the trailing '/'
        end.push('0'); // '0' sorts right after '/'
        (self.0.clone(), end)
    }

    /// The path this node gets when it (and its subtree) moves under
    /// `new_parent`.
    pub fn rebased(&self, new_parent: Option<&OrgPath>) -> OrgPath {
        let own = &self.0[self.0.len() - SEGMENT_LEN - 1..];
        match new_parent {
            Some(p) => OrgPath(format!("{}{}", p.0, own)),
            None => OrgPath(format!("/{own}")),
        }
    }
}

impl fmt::Display for OrgPath {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// Reduces a set of scopes to the minimal set that covers the same nodes
/// (drops any scope lying under another one, and duplicates).
pub fn minimal_scopes(mut scopes: Vec<OrgPath>) -> Vec<OrgPath> {
    scopes.sort();
    scopes.dedup();
    let mut out: Vec<OrgPath> = Vec::with_capacity(scopes.len());
    for s in scopes {
        // Sorted order puts an ancestor directly before its descendants.
        if !out.last().is_some_and(|last| s.is_within(last)) {
            out.push(s);
        }
    }
    out
}

/// Input for creating or editing a unit, as typed by a user.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct OrgUnitInput {
    pub name: String,
    pub short_name: String,
    pub kind: String,
    pub sort_order: Option<i64>,
}

/// A validated unit description.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OrgUnitSpec {
    pub name: String,
    pub short_name: Option<String>,
    pub kind: OrgKind,
    pub sort_order: i64,
}

impl OrgUnitInput {
    /// Validates the input; `parent` is the kind of the unit it goes under.
    pub fn validate(&self, parent: Option<OrgKind>) -> Result<OrgUnitSpec, Validation> {
        let mut v = Validation::new();
        let name = v.check("name", required_text(&self.name, 100));
        let short_name = v.check("short_name", optional_text(&self.short_name, 30));
        let kind = match OrgKind::parse(self.kind.trim()) {
            Some(kind) => {
                if let Err(e) = check_kind(parent, kind, &[]) {
                    v.0.extend(e.0);
                }
                Some(kind)
            }
            None => {
                v.add("kind", Msg::new("请选择组织类型", "choose a kind of unit"));
                None
            }
        };
        let sort_order = self.sort_order.unwrap_or(0);
        if !(0..=1_000_000).contains(&sort_order) {
            v.add("sort_order", Msg::new("排序号应在0到1000000之间", "must be between 0 and 1000000"));
        }
        v.into_result()?;
        Ok(OrgUnitSpec {
            name: name.unwrap_or_default(),
            short_name: short_name.flatten(),
            kind: kind.unwrap_or(OrgKind::Department),
            sort_order,
        })
    }
}

/// A unit of `kind` must fit under its parent's kind and over its existing
/// children's kinds (the field at fault is `kind`).
pub fn check_kind(parent: Option<OrgKind>, kind: OrgKind, children: &[OrgKind]) -> Result<(), Validation> {
    let mut v = Validation::new();
    if let Some(p) = parent
        && !p.allows_child(kind)
    {
        v.add("kind", child_kind_refused(p, kind));
    }
    if let Some(&c) = children.iter().find(|&&c| !kind.allows_child(c)) {
        v.add("kind", child_kind_refused(kind, c));
    }
    v.into_result()
}

fn child_kind_refused(parent: OrgKind, child: OrgKind) -> Msg {
    Msg::owned(
        format!("{}下不能设立{}", parent.label().zh, child.label().zh),
        format!("a {} cannot contain a {}", parent.label().en, child.label().en),
    )
}

/// Checks a move of the unit at `node` (of `kind`) under `new_parent`.
///
/// Refused when the target is the node itself or lies in its subtree (that
/// would make a cycle), when the node is already there, when the target is
/// inactive, or when the target's kind may not contain the node's kind.
pub fn check_move(
    node: &OrgPath,
    kind: OrgKind,
    current_parent: Option<&OrgPath>,
    new_parent: &OrgPath,
    new_parent_kind: OrgKind,
    new_parent_active: bool,
) -> Result<(), Refusal> {
    if new_parent.is_within(node) {
        return Err(Refusal::new(
            "move_cycle",
            "不能移动到自身或其下级组织之下",
            "a unit cannot move under itself or one of its own sub-units",
        ));
    }
    if current_parent == Some(new_parent) {
        return Err(Refusal::new("move_noop", "该组织已在所选上级组织之下", "the unit is already under that parent"));
    }
    if !new_parent_active {
        return Err(Refusal::new("parent_inactive", "所选上级组织已撤销", "the chosen parent has been deactivated"));
    }
    if !new_parent_kind.allows_child(kind) {
        let m = child_kind_refused(new_parent_kind, kind);
        return Err(Refusal { code: "kind_not_allowed", msg: m });
    }
    Ok(())
}

/// A unit may be deactivated only when nothing active remains under it, so
/// that people and sub-units are never orphaned silently.
pub fn check_deactivate(active_children: u64, active_people: u64) -> Result<(), Refusal> {
    if active_children > 0 {
        return Err(Refusal::new(
            "has_active_children",
            "该组织下还有未撤销的下级组织，请先撤销或移走",
            "the unit still has active sub-units; deactivate or move them first",
        ));
    }
    if active_people > 0 {
        return Err(Refusal::new(
            "has_active_people",
            "该组织下还有在册人员，请先调出",
            "the unit still has active people; move them elsewhere first",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(n: u128) -> Uuid {
        Uuid::from_u128(n)
    }

    #[test]
    fn path_of_child_extends_parent_and_knows_its_depth() {
        let top = OrgPath::top(id(1));
        let child = top.child(id(2));
        assert_eq!(top.depth(), 1);
        assert_eq!(child.depth(), 2);
        assert_eq!(child.ids(), vec![id(1), id(2)]);
        assert_eq!(child.id(), Some(id(2)));
        assert_eq!(OrgPath::parse(child.as_str()), Some(child));
    }

    #[test]
    fn global_scope_contains_every_path() {
        let g = OrgPath::global();
        let p = OrgPath::top(id(1)).child(id(2));
        assert!(p.is_within(&g));
        assert_eq!(g.depth(), 0);
        let (lo, hi) = g.subtree_range();
        assert!(p.as_str() >= lo.as_str() && p.as_str() < hi.as_str());
        assert_eq!(minimal_scopes(vec![p, g.clone()]), vec![g]);
    }

    #[test]
    fn parse_rejects_malformed_paths() {
        for bad in ["", "/", "//", "/abc/", "/0000000000000000000000000000000G/", "nopath"] {
            assert_eq!(OrgPath::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn subtree_range_contains_exactly_the_subtree() {
        let a = OrgPath::top(id(0xa));
        let a1 = a.child(id(1));
        let a1x = a1.child(id(0xffff));
        let b = OrgPath::top(id(0xb));
        let (lo, hi) = a.subtree_range();
        let inside = |p: &OrgPath| p.as_str() >= lo.as_str() && p.as_str() < hi.as_str();
        assert!(inside(&a) && inside(&a1) && inside(&a1x));
        assert!(!inside(&b));
        let (lo1, hi1) = a1.subtree_range();
        assert!(a.as_str() < lo1.as_str() || a.as_str() >= hi1.as_str(), "ancestor outside");
        // A sibling whose id sorts right after a1 is outside a1's range.
        let a2 = a.child(id(2));
        assert!(a2.as_str() >= hi1.as_str());
    }

    #[test]
    fn move_into_own_subtree_is_refused_as_a_cycle() {
        let a = OrgPath::top(id(1));
        let a1 = a.child(id(2));
        let r = check_move(&a, OrgKind::PartyCommittee, None, &a1, OrgKind::PartyGroup, true);
        assert_eq!(r.unwrap_err().code, "move_cycle");
        let r = check_move(&a, OrgKind::PartyCommittee, None, &a, OrgKind::PartyCommittee, true);
        assert_eq!(r.unwrap_err().code, "move_cycle");
    }

    #[test]
    fn move_to_same_parent_inactive_parent_or_wrong_kind_is_refused() {
        let root = OrgPath::top(id(1));
        let a = root.child(id(2));
        let b = root.child(id(3));
        let code = |r: Result<(), Refusal>| r.unwrap_err().code;
        assert_eq!(
            code(check_move(&a, OrgKind::Branch, Some(&root), &root, OrgKind::PartyCommittee, true)),
            "move_noop"
        );
        assert_eq!(
            code(check_move(&a, OrgKind::Branch, Some(&root), &b, OrgKind::OrganCommittee, false)),
            "parent_inactive"
        );
        assert_eq!(code(check_move(&a, OrgKind::Branch, Some(&root), &b, OrgKind::Branch, true)), "kind_not_allowed");
        assert!(check_move(&a, OrgKind::Branch, Some(&root), &b, OrgKind::OrganCommittee, true).is_ok());
    }

    #[test]
    fn rebased_path_keeps_own_segment() {
        let a = OrgPath::top(id(1));
        let b = OrgPath::top(id(2));
        let a1 = a.child(id(3));
        assert_eq!(a1.rebased(Some(&b)), b.child(id(3)));
        assert_eq!(a1.rebased(None), OrgPath::top(id(3)));
    }

    #[test]
    fn branch_may_only_contain_cells() {
        assert!(OrgKind::Branch.allows_child(OrgKind::Cell));
        assert!(!OrgKind::Branch.allows_child(OrgKind::Branch));
        assert!(!OrgKind::Cell.allows_child(OrgKind::Cell));
        assert!(!OrgKind::PartyCommittee.allows_child(OrgKind::Cell));
        assert!(OrgKind::DisciplineCommission.allows_child(OrgKind::StationedTeam));
        assert!(!OrgKind::DisciplineCommission.allows_child(OrgKind::Branch));
    }

    #[test]
    fn minimal_scopes_drops_nested_and_duplicate_scopes() {
        let a = OrgPath::top(id(1));
        let a1 = a.child(id(2));
        let b = OrgPath::top(id(3));
        let got = minimal_scopes(vec![a1.clone(), b.clone(), a.clone(), a1]);
        assert_eq!(got, vec![a, b]);
    }

    #[test]
    fn unit_input_names_each_invalid_field() {
        let input =
            OrgUnitInput { name: " ".into(), short_name: "x".repeat(31), kind: "nope".into(), sort_order: Some(-1) };
        let err = input.validate(None).unwrap_err();
        for f in ["name", "short_name", "kind", "sort_order"] {
            assert!(err.has(f), "missing {f}: {err}");
        }
    }

    #[test]
    fn unit_input_refuses_kind_not_allowed_under_parent() {
        let input = OrgUnitInput { name: "第一党小组".into(), kind: "cell".into(), ..Default::default() };
        assert!(input.validate(Some(OrgKind::Branch)).is_ok());
        assert!(input.validate(Some(OrgKind::PartyGroup)).unwrap_err().has("kind"));
    }

    #[test]
    fn kind_must_fit_parent_and_existing_children() {
        assert!(check_kind(Some(OrgKind::OrganCommittee), OrgKind::Branch, &[OrgKind::Cell]).is_ok());
        assert!(check_kind(Some(OrgKind::Branch), OrgKind::Branch, &[]).unwrap_err().has("kind"));
        let err = check_kind(None, OrgKind::Cell, &[OrgKind::Cell]).unwrap_err();
        assert!(err.0[0].msg.zh.contains("党小组下不能设立党小组"), "{err}");
    }

    #[test]
    fn deactivation_needs_an_empty_unit() {
        assert_eq!(check_deactivate(1, 0).unwrap_err().code, "has_active_children");
        assert_eq!(check_deactivate(0, 3).unwrap_err().code, "has_active_people");
        assert!(check_deactivate(0, 0).is_ok());
    }
}
