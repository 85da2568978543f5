//! Who may do what, where (授权).
//!
//! A role is granted on an org node and covers that node's whole subtree
//! (一级抓一级); nothing above or beside the node is visible. [`authorize`] is
//! the only place that decides; list queries use [`scopes`] to filter in SQL.
//!
//! **The not-found rule.** When an actor has no grant whose scope covers a
//! record, the answer is *not found* (HTTP 404), exactly as if the record did
//! not exist, so that nobody can learn what exists outside their scope. Only
//! an actor who may see the record but not change it gets *forbidden* (403).

use crate::msg::Msg;
use crate::org::{OrgPath, minimal_scopes};
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Roles (角色). Each is granted on one org node.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: manages the tree, people, accounts and grants.
    SystemAdmin,
    /// 纪检监察干部: supervises; sees people and the audit trail.
    DisciplineOfficer,
    /// 党委（党组）领导: sees everything in the unit it leads.
    PartyLeader,
    /// 单位管理员: keeps its unit's sub-units and people up to date.
    UnitOperator,
    /// 支部书记: runs a branch and keeps its roster.
    BranchSecretary,
    /// 党员: sees its own branch.
    Member,
    /// 督导检查人员: inspects units (spot checks come with the rectification module).
    Inspector,
    /// 安全审计员: reads the audit trail, changes nothing (三员分立).
    Auditor,
    /// 纪检监察机关负责人: approves lead disposals and identity releases.
    DisciplineLeader,
}

impl Role {
    pub const ALL: [Role; 9] = [
        Role::SystemAdmin,
        Role::DisciplineOfficer,
        Role::PartyLeader,
        Role::UnitOperator,
        Role::BranchSecretary,
        Role::Member,
        Role::Inspector,
        Role::Auditor,
        Role::DisciplineLeader,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Role::SystemAdmin => "system_admin",
            Role::DisciplineOfficer => "discipline_officer",
            Role::PartyLeader => "party_leader",
            Role::UnitOperator => "unit_operator",
            Role::BranchSecretary => "branch_secretary",
            Role::Member => "member",
            Role::Inspector => "inspector",
            Role::Auditor => "auditor",
            Role::DisciplineLeader => "discipline_leader",
        }
    }

    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    pub fn label(self) -> Msg {
        match self {
            Role::SystemAdmin => Msg::new("系统管理员", "System administrator"),
            Role::DisciplineOfficer => Msg::new("纪检监察干部", "Discipline officer"),
            Role::PartyLeader => Msg::new("党委（党组）领导", "Party committee leader"),
            Role::UnitOperator => Msg::new("单位管理员", "Unit operator"),
            Role::BranchSecretary => Msg::new("支部书记", "Branch secretary"),
            Role::Member => Msg::new("党员", "Party member"),
            Role::Inspector => Msg::new("督导检查人员", "Inspector"),
            Role::Auditor => Msg::new("安全审计员", "Security auditor"),
            Role::DisciplineLeader => Msg::new("纪检监察机关负责人", "Discipline commission leader"),
        }
    }

    /// The permission table: which actions this role allows within its scope.
    pub fn permits(self, action: Action) -> bool {
        use Action::*;
        match self {
            // 三员分立 and 第四十七条: administrators run the system but do
            // not read reports or reporters.
            Role::SystemAdmin => !action.is_lead_work(),
            Role::Auditor => matches!(action, ViewOrg | ViewAudit),
            Role::DisciplineOfficer => matches!(
                action,
                ViewOrg
                    | ViewPeople
                    | ViewAudit
                    | ViewRectify
                    | ReviewRectify
                    | SpotCheck
                    | ViewOrgLife
                    | ViewTalks
                    | RecordTalk
                    | ViewLeads
                    | RegisterReport
                    | ManageLeads
                    | ReceiveReferral
                    | ViewTasks
                    | IssueTasks
            ),
            Role::DisciplineLeader => matches!(
                action,
                ViewOrg
                    | ViewPeople
                    | ViewAudit
                    | ViewRectify
                    | ReviewRectify
                    | ViewOrgLife
                    | ViewTalks
                    | RecordTalk
                    | ViewLeads
                    | ApproveDisposal
                    | ReleaseIdentity
                    | ReceiveReferral
                    | ViewTasks
            ),
            Role::PartyLeader => matches!(
                action,
                ViewOrg
                    | ViewPeople
                    | ViewAudit
                    | ViewRectify
                    | ReviewRectify
                    | ViewOrgLife
                    | ViewTalks
                    | RecordTalk
                    | ReceiveReferral
                    | ViewTasks
                    | IssueTasks
            ),
            Role::UnitOperator => matches!(
                action,
                ViewOrg
                    | ManageOrg
                    | ViewPeople
                    | ManagePeople
                    | ViewAudit
                    | ViewRectify
                    | ManageRectify
                    | ViewOrgLife
                    | ManageOrgLife
                    | ViewTalks
                    | ViewTasks
                    | WorkTasks
                    | IssueTasks
            ),
            Role::BranchSecretary => matches!(
                action,
                ViewOrg
                    | ViewPeople
                    | ManagePeople
                    | ViewRectify
                    | ManageRectify
                    | ViewOrgLife
                    | ManageOrgLife
                    | ViewTalks
                    | RecordTalk
                    | ViewTasks
                    | WorkTasks
                    | IssueTasks
            ),
            Role::Member => matches!(action, ViewOrg | ViewPeople | ViewRectify | ViewOrgLife | ViewTasks),
            Role::Inspector => {
                matches!(action, ViewOrg | ViewPeople | ViewRectify | SpotCheck | ViewOrgLife | ViewTalks | ViewTasks)
            }
        }
    }
}

/// What an actor wants to do.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
pub enum Action {
    ViewOrg,
    ManageOrg,
    ViewPeople,
    ManagePeople,
    ViewAccounts,
    ManageAccounts,
    ManageGrants,
    ViewAudit,
    /// Settings that apply to the whole deployment (e.g. the holiday calendar).
    ManageSystem,
    /// See problems, measures and boards (整改).
    ViewRectify,
    /// Work on problems as the lead unit: claim, measures, evidence, 申请销号, 延期申请.
    ManageRectify,
    /// Act as the issuing side: issue batches, review closures, 延期审批, 回头看, publish.
    ReviewRectify,
    /// 四不两直 spot checks.
    SpotCheck,
    /// See rosters, meetings, talks and compliance (组织生活).
    ViewOrgLife,
    /// Keep a branch's roster, annual plan and meeting records.
    ManageOrgLife,
    /// Read talk records (谈话提醒 and 诫勉 are not for every member's eyes).
    ViewTalks,
    /// Record talks (谈话) held with people in scope.
    RecordTalk,
    /// See reports and leads (信访举报, 问题线索) — never the sealed identity.
    ViewLeads,
    /// Register a report on a caller's behalf (来信/来访/来电).
    RegisterReport,
    /// Work on leads: propose disposals, record steps, outcomes, referrals.
    ManageLeads,
    /// Approve a disposal, a conclusion, a reopening or a clearance.
    ApproveDisposal,
    /// Open a real-name reporter's sealed identity (audited, with a reason).
    ReleaseIdentity,
    /// Accept or return a referral (移送) sent to one's unit.
    ReceiveReferral,
    /// See directives, tasks, boards and responsibility lists (部署分解, 责任清单).
    ViewTasks,
    /// Act as the issuing side: issue directives and sub-tasks (a breakdown
    /// issues to the unit's own children), reissue, withdraw, reopen, decide
    /// deadline changes, keep responsibility lists.
    IssueTasks,
    /// Work on tasks as the receiving unit: accept, return, break down,
    /// report progress, complete, request a deadline change, 履责记实.
    WorkTasks,
}

impl Action {
    /// The action that lets an actor know a record exists at all. Failing
    /// it yields not-found; passing it but failing `self` yields forbidden.
    pub fn visibility(self) -> Action {
        use Action::*;
        match self {
            ViewOrg | ManageOrg | ManageSystem => ViewOrg,
            ViewPeople | ManagePeople => ViewPeople,
            ViewAccounts | ManageAccounts | ManageGrants => ViewAccounts,
            ViewAudit => ViewAudit,
            ViewRectify | ManageRectify | ReviewRectify | SpotCheck => ViewRectify,
            ViewOrgLife | ManageOrgLife => ViewOrgLife,
            ViewTalks | RecordTalk => ViewTalks,
            ViewLeads | RegisterReport | ManageLeads | ApproveDisposal | ReleaseIdentity => ViewLeads,
            ReceiveReferral => ReceiveReferral,
            ViewTasks | IssueTasks | WorkTasks => ViewTasks,
        }
    }

    /// Actions on reports, leads and reporters.
    pub fn is_lead_work(self) -> bool {
        use Action::*;
        matches!(self, ViewLeads | RegisterReport | ManageLeads | ApproveDisposal | ReleaseIdentity | ReceiveReferral)
    }
}

/// A role on a node, with the node's path resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grant {
    pub role: Role,
    pub scope: OrgPath,
}

/// The signed-in account and its grants.
#[derive(Debug, Clone)]
pub struct Actor {
    pub account_id: Uuid,
    pub username: String,
    pub grants: Vec<Grant>,
}

/// What an action is applied to.
#[derive(Debug, Clone, Copy)]
pub enum Target<'a> {
    /// A record that belongs to the unit at this path.
    Node(&'a OrgPath),
    /// The deployment as a whole; covered only by grants on a top-level
    /// unit or deployment-wide grants.
    System,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Denial {
    /// The actor may not know that the record exists (404).
    NotFound,
    /// The actor sees the record but may not do this to it (403).
    Forbidden,
}

impl Actor {
    fn covers(&self, action: Action, target: Target<'_>) -> bool {
        self.grants.iter().any(|g| {
            g.role.permits(action)
                && match target {
                    Target::Node(path) => path.is_within(&g.scope),
                    Target::System => g.scope.depth() <= 1,
                }
        })
    }

    /// Whether the actor may do `action` anywhere at all (to decide which
    /// menu entries to show).
    pub fn can_anywhere(&self, action: Action) -> bool {
        self.grants.iter().any(|g| g.role.permits(action))
    }
}

/// The one access decision. See the module docs for the not-found rule.
pub fn authorize(actor: &Actor, action: Action, target: Target<'_>) -> Result<(), Denial> {
    if actor.covers(action, target) {
        Ok(())
    } else if actor.covers(action.visibility(), target) {
        Err(Denial::Forbidden)
    } else {
        Err(Denial::NotFound)
    }
}

/// Access to a record seen from two units, like a problem: its lead unit
/// (where the work is done) and its issuing unit (which reviews it). The
/// record is visible to anyone who may view from either side; `action` is
/// then checked on `act_on`.
pub fn authorize_via(actor: &Actor, action: Action, act_on: &OrgPath, also_visible_from: &OrgPath) -> Result<(), Denial> {
    match authorize(actor, action, Target::Node(act_on)) {
        Err(Denial::NotFound) if actor.covers(action.visibility(), Target::Node(also_visible_from)) => {
            Err(Denial::Forbidden)
        }
        other => other,
    }
}

/// The minimal set of subtrees in which `actor` may do `action`; list
/// queries keep only rows whose unit path falls in one of them.
pub fn scopes(actor: &Actor, action: Action) -> Vec<OrgPath> {
    minimal_scopes(actor.grants.iter().filter(|g| g.role.permits(action)).map(|g| g.scope.clone()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn path(ids: &[u128]) -> OrgPath {
        let mut p = OrgPath::top(Uuid::from_u128(ids[0]));
        for &i in &ids[1..] {
            p = p.child(Uuid::from_u128(i));
        }
        p
    }

    fn actor(grants: &[(Role, OrgPath)]) -> Actor {
        Actor {
            account_id: Uuid::nil(),
            username: "t".into(),
            grants: grants.iter().map(|(role, scope)| Grant { role: *role, scope: scope.clone() }).collect(),
        }
    }

    #[test]
    fn grant_covers_the_node_and_its_whole_subtree() {
        let bureau = path(&[1, 2]);
        let branch = path(&[1, 2, 3, 4]);
        let a = actor(&[(Role::UnitOperator, bureau.clone())]);
        assert_eq!(authorize(&a, Action::ManagePeople, Target::Node(&bureau)), Ok(()));
        assert_eq!(authorize(&a, Action::ManagePeople, Target::Node(&branch)), Ok(()));
    }

    #[test]
    fn nothing_upward_or_sideways_is_visible_not_even_its_existence() {
        let city = path(&[1]);
        let bureau_a = path(&[1, 2]);
        let bureau_b = path(&[1, 3]);
        let a = actor(&[(Role::UnitOperator, bureau_a)]);
        assert_eq!(authorize(&a, Action::ViewPeople, Target::Node(&city)), Err(Denial::NotFound));
        assert_eq!(authorize(&a, Action::ViewPeople, Target::Node(&bureau_b)), Err(Denial::NotFound));
        assert_eq!(authorize(&a, Action::ManagePeople, Target::Node(&bureau_b)), Err(Denial::NotFound));
    }

    #[test]
    fn seeing_but_not_changing_is_forbidden_rather_than_not_found() {
        let bureau = path(&[1, 2]);
        let a = actor(&[(Role::DisciplineOfficer, bureau.clone())]);
        assert_eq!(authorize(&a, Action::ViewPeople, Target::Node(&bureau)), Ok(()));
        assert_eq!(authorize(&a, Action::ManagePeople, Target::Node(&bureau)), Err(Denial::Forbidden));
    }

    #[test]
    fn accounts_and_grants_are_for_system_admins_only() {
        let city = path(&[1]);
        for role in Role::ALL {
            let a = actor(&[(role, city.clone())]);
            let allowed = authorize(&a, Action::ManageGrants, Target::Node(&city)).is_ok();
            assert_eq!(allowed, role == Role::SystemAdmin, "{role:?}");
        }
    }

    #[test]
    fn auditor_reads_the_trail_and_changes_nothing() {
        let city = path(&[1]);
        let a = actor(&[(Role::Auditor, city.clone())]);
        assert!(authorize(&a, Action::ViewAudit, Target::Node(&city)).is_ok());
        for action in [Action::ManageOrg, Action::ManagePeople, Action::ManageAccounts, Action::ManageGrants] {
            assert!(authorize(&a, action, Target::Node(&city)).is_err(), "{action:?}");
        }
    }

    #[test]
    fn system_target_needs_an_admin_grant_on_a_top_level_unit() {
        let city = path(&[1]);
        let county = path(&[1, 5]);
        assert!(authorize(&actor(&[(Role::SystemAdmin, city.clone())]), Action::ManageSystem, Target::System).is_ok());
        assert!(authorize(&actor(&[(Role::SystemAdmin, county)]), Action::ManageSystem, Target::System).is_err());
        assert!(authorize(&actor(&[(Role::PartyLeader, city)]), Action::ManageSystem, Target::System).is_err());
    }

    #[test]
    fn scopes_keep_only_roles_that_permit_the_action_and_drop_nested_ones() {
        let a1 = path(&[1, 2]);
        let a1x = path(&[1, 2, 7]);
        let b = path(&[1, 3]);
        let a = actor(&[(Role::UnitOperator, a1.clone()), (Role::Member, a1x), (Role::Auditor, b.clone())]);
        assert_eq!(scopes(&a, Action::ViewPeople), vec![a1.clone()]);
        let mut audit = scopes(&a, Action::ViewAudit);
        audit.sort();
        assert_eq!(audit, vec![a1, b]);
    }

    #[test]
    fn the_issuing_side_sees_a_problem_it_issued_but_only_the_lead_unit_works_on_it() {
        let patrol = path(&[1, 9]);
        let bureau = path(&[1, 2]);
        let officer = actor(&[(Role::DisciplineOfficer, patrol.clone())]);
        assert_eq!(authorize_via(&officer, Action::ReviewRectify, &patrol, &bureau), Ok(()));
        assert_eq!(authorize_via(&officer, Action::ManageRectify, &bureau, &patrol), Err(Denial::Forbidden));
        let operator = actor(&[(Role::UnitOperator, bureau.clone())]);
        assert_eq!(authorize_via(&operator, Action::ManageRectify, &bureau, &patrol), Ok(()));
        assert_eq!(authorize_via(&operator, Action::ReviewRectify, &patrol, &bureau), Err(Denial::Forbidden));
        let outsider = actor(&[(Role::UnitOperator, path(&[1, 3]))]);
        assert_eq!(authorize_via(&outsider, Action::ViewRectify, &bureau, &patrol), Err(Denial::NotFound));
    }

    #[test]
    fn no_grants_means_nothing_is_visible() {
        let a = actor(&[]);
        assert_eq!(authorize(&a, Action::ViewOrg, Target::Node(&path(&[1]))), Err(Denial::NotFound));
        assert!(scopes(&a, Action::ViewOrg).is_empty());
    }

    #[test]
    fn system_admins_and_auditors_never_see_reports_or_reporters() {
        let city = path(&[1]);
        for role in [Role::SystemAdmin, Role::Auditor] {
            let a = actor(&[(role, city.clone())]);
            for action in [Action::ViewLeads, Action::ManageLeads, Action::ReleaseIdentity, Action::RegisterReport] {
                assert_eq!(authorize(&a, action, Target::Node(&city)), Err(Denial::NotFound), "{role:?} {action:?}");
            }
        }
        assert!(
            authorize(&actor(&[(Role::SystemAdmin, city.clone())]), Action::ManageGrants, Target::Node(&city)).is_ok()
        );
    }

    #[test]
    fn officers_handle_leads_and_only_leaders_approve_or_release_identities() {
        let commission = path(&[1, 8]);
        let officer = actor(&[(Role::DisciplineOfficer, commission.clone())]);
        for action in [Action::ViewLeads, Action::RegisterReport, Action::ManageLeads, Action::ReceiveReferral] {
            assert_eq!(authorize(&officer, action, Target::Node(&commission)), Ok(()), "{action:?}");
        }
        for action in [Action::ApproveDisposal, Action::ReleaseIdentity] {
            assert_eq!(authorize(&officer, action, Target::Node(&commission)), Err(Denial::Forbidden), "{action:?}");
        }
        let leader = actor(&[(Role::DisciplineLeader, commission.clone())]);
        assert_eq!(authorize(&leader, Action::ApproveDisposal, Target::Node(&commission)), Ok(()));
        assert_eq!(authorize(&leader, Action::ReleaseIdentity, Target::Node(&commission)), Ok(()));
        assert_eq!(authorize(&leader, Action::ManageLeads, Target::Node(&commission)), Err(Denial::Forbidden));
    }

    #[test]
    fn lead_access_stays_inside_the_granted_subtree() {
        let officer = actor(&[(Role::DisciplineOfficer, path(&[1, 8]))]);
        assert_eq!(authorize(&officer, Action::ViewLeads, Target::Node(&path(&[1, 9]))), Err(Denial::NotFound));
        assert_eq!(authorize(&officer, Action::ViewLeads, Target::Node(&path(&[1]))), Err(Denial::NotFound));
    }

    #[test]
    fn referrals_are_received_by_the_receiving_units_leaders_and_officers_only() {
        let org_dept = path(&[1, 4]);
        assert!(
            authorize(
                &actor(&[(Role::PartyLeader, org_dept.clone())]),
                Action::ReceiveReferral,
                Target::Node(&org_dept)
            )
            .is_ok()
        );
        assert_eq!(
            authorize(
                &actor(&[(Role::UnitOperator, org_dept.clone())]),
                Action::ReceiveReferral,
                Target::Node(&org_dept)
            ),
            Err(Denial::NotFound)
        );
        assert_eq!(
            authorize(&actor(&[(Role::PartyLeader, org_dept.clone())]), Action::ViewLeads, Target::Node(&org_dept)),
            Err(Denial::NotFound),
            "receiving a referral does not open the lead register"
        );
    }

    #[test]
    fn tasks_are_issued_by_leaders_and_officers_and_worked_by_the_receiving_units_operators() {
        let city = path(&[1]);
        let bureau = path(&[1, 2]);
        let branch = path(&[1, 2, 3]);
        let leader = actor(&[(Role::PartyLeader, city.clone())]);
        assert_eq!(authorize(&leader, Action::IssueTasks, Target::Node(&city)), Ok(()));
        assert_eq!(authorize(&leader, Action::WorkTasks, Target::Node(&bureau)), Err(Denial::Forbidden));
        let officer = actor(&[(Role::DisciplineOfficer, city.clone())]);
        assert_eq!(authorize(&officer, Action::IssueTasks, Target::Node(&city)), Ok(()));
        let operator = actor(&[(Role::UnitOperator, bureau.clone())]);
        assert_eq!(authorize(&operator, Action::WorkTasks, Target::Node(&bureau)), Ok(()));
        assert_eq!(
            authorize(&operator, Action::IssueTasks, Target::Node(&branch)),
            Ok(()),
            "breaks down to its own children"
        );
        assert_eq!(authorize(&operator, Action::ViewTasks, Target::Node(&city)), Err(Denial::NotFound));
        let sec = actor(&[(Role::BranchSecretary, branch.clone())]);
        assert_eq!(authorize(&sec, Action::WorkTasks, Target::Node(&branch)), Ok(()));
        let member = actor(&[(Role::Member, branch.clone())]);
        assert_eq!(authorize(&member, Action::ViewTasks, Target::Node(&branch)), Ok(()));
        assert_eq!(authorize(&member, Action::WorkTasks, Target::Node(&branch)), Err(Denial::Forbidden));
        let auditor = actor(&[(Role::Auditor, city.clone())]);
        assert_eq!(authorize(&auditor, Action::ViewTasks, Target::Node(&city)), Err(Denial::NotFound));
        // The issuing side sees a task it issued to a bureau, but does not work on it.
        assert_eq!(authorize_via(&leader, Action::ViewTasks, &bureau, &city), Ok(()));
        assert_eq!(authorize_via(&operator, Action::IssueTasks, &city, &bureau), Err(Denial::Forbidden));
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
    }

    #[test]
    fn a_branch_secretary_keeps_its_branch_life_and_a_member_only_reads_it() {
        let branch = path(&[1, 2, 3]);
        let sec = actor(&[(Role::BranchSecretary, branch.clone())]);
        assert!(authorize(&sec, Action::ManageOrgLife, Target::Node(&branch)).is_ok());
        assert!(authorize(&sec, Action::RecordTalk, Target::Node(&branch)).is_ok());
        let member = actor(&[(Role::Member, branch.clone())]);
        assert_eq!(authorize(&member, Action::ViewOrgLife, Target::Node(&branch)), Ok(()));
        assert_eq!(authorize(&member, Action::ManageOrgLife, Target::Node(&branch)), Err(Denial::Forbidden));
        let officer = actor(&[(Role::DisciplineOfficer, path(&[1]))]);
        assert!(authorize(&officer, Action::RecordTalk, Target::Node(&branch)).is_ok());
        assert_eq!(authorize(&officer, Action::ManageOrgLife, Target::Node(&branch)), Err(Denial::Forbidden));
        assert_eq!(authorize(&member, Action::ViewTalks, Target::Node(&branch)), Err(Denial::NotFound), "a member does not read talk records");
        let auditor = actor(&[(Role::Auditor, path(&[1]))]);
        assert_eq!(authorize(&auditor, Action::ViewOrgLife, Target::Node(&branch)), Err(Denial::NotFound));
    }
}
