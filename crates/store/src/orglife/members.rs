//! The branch roster (党员名册): one membership row per stay in a branch,
//! so a transfer (组织关系转接) closes one row and opens the next and the
//! history stays.

use super::{MEMBERSHIP, OrgLife, date};
use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx, on_tx};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::Refusal;
use qingfeng_domain::org::{OrgKind, OrgPath};
use qingfeng_domain::orglife::input::{MemberSpec, RosterEntry};
use qingfeng_domain::orglife::{BranchShape, CommitteeRole, MemberStatus, may_vote};
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Member {
    pub id: Uuid,
    pub person_id: Uuid,
    pub person_name: String,
    pub position: Option<String>,
    pub person_order: i64,
    pub branch_id: Uuid,
    pub branch_name: String,
    pub branch_path: String,
    pub cell_id: Option<Uuid>,
    pub cell_name: Option<String>,
    pub status: String,
    pub joined_on: String,
    pub committee_role: Option<String>,
    pub vote_suspended: bool,
    pub entered_on: String,
    pub left_on: Option<String>,
    pub transfer_reason: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl Member {
    pub fn status(&self) -> MemberStatus {
        MemberStatus::parse(&self.status).unwrap_or(MemberStatus::Formal)
    }

    pub fn committee_role(&self) -> Option<CommitteeRole> {
        self.committee_role.as_deref().and_then(CommitteeRole::parse)
    }

    pub fn voting(&self) -> bool {
        may_vote(self.status(), self.vote_suspended)
    }

    pub fn roster_entry(&self) -> RosterEntry {
        RosterEntry {
            person_id: self.person_id,
            voting: self.voting(),
            probationary: self.status() == MemberStatus::Probationary,
        }
    }

    pub fn scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.branch_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.branch_path)))
    }

    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "person_id": self.person_id, "branch_id": self.branch_id, "cell_id": self.cell_id,
            "status": self.status, "joined_on": self.joined_on, "committee_role": self.committee_role,
            "vote_suspended": self.vote_suspended, "entered_on": self.entered_on, "left_on": self.left_on,
            "transfer_reason": self.transfer_reason, "created_at": self.created_at.rfc3339(),
        })
    }
}

/// Committee seats first (书记, 副书记, 委员…), then the roster order.
fn roster_order(list: &mut [Member]) {
    list.sort_by_key(|m| {
        let seat = m.committee_role().map_or(99, |r| CommitteeRole::ALL.iter().position(|x| *x == r).unwrap_or(98));
        (seat, m.person_order, m.person_name.clone())
    });
}

macro_rules! select_members {
    () => {
        "SELECT m.id, m.person_id, p.name AS person_name, p.position, p.sort_order AS person_order, m.branch_id, \
         b.name AS branch_name, b.path AS branch_path, m.cell_id, c.name AS cell_name, m.status, m.joined_on, \
         m.committee_role, m.vote_suspended, m.entered_on, m.left_on, m.transfer_reason, m.created_at, m.updated_at \
         FROM memberships m JOIN people p ON p.id = m.person_id JOIN org_units b ON b.id = m.branch_id \
         LEFT JOIN org_units c ON c.id = m.cell_id"
    };
}

/// A branch with the make-up its compliance depends on.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct BranchInfo {
    pub id: Uuid,
    pub name: String,
    pub path: String,
    pub parent_name: Option<String>,
    pub formal: i64,
    pub probationary: i64,
    pub committee: i64,
    pub cells: i64,
}

impl BranchInfo {
    pub fn shape(&self) -> BranchShape {
        BranchShape { formal_members: self.formal as u32, committee_members: self.committee as u32, cells: self.cells as u32 }
    }

    pub fn scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.path)))
    }

    pub fn members(&self) -> i64 {
        self.formal + self.probationary
    }
}

pub(crate) async fn member_in(tx: &mut Tx, id: Uuid) -> Result<Member> {
    let mut q = Sql::new(select_members!());
    q.push(" WHERE m.id = ").arg(id);
    fetch_all_tx!(tx, Member, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

async fn branch_in(tx: &mut Tx, id: Uuid) -> Result<crate::org::OrgUnit> {
    let unit = crate::org::get_in(tx, id).await?;
    if unit.kind != OrgKind::Branch {
        return Err(Refusal::new("not_a_branch", "只有党支部有党员名册", "only a party branch keeps a roster").into());
    }
    if !unit.active {
        return Err(Refusal::new("unit_inactive", "该支部已撤销", "the branch has been deactivated").into());
    }
    Ok(unit)
}

async fn check_cell(tx: &mut Tx, branch: Uuid, cell: Option<Uuid>) -> Result<()> {
    if let Some(c) = cell {
        let unit = crate::org::get_in(tx, c).await?;
        if unit.parent_id != Some(branch) || unit.kind != OrgKind::Cell {
            return Err(Refusal::new("cell_not_in_branch", "所选党小组不属于本支部", "the cell is not in this branch").into());
        }
    }
    Ok(())
}

impl OrgLife<'_> {
    /// The branch's roster on `on` (members who had entered and not yet left).
    pub async fn roster(&self, branch: Uuid, on: Date) -> Result<Vec<Member>> {
        let d = on.to_string();
        let mut q = Sql::new(select_members!());
        q.push(" WHERE m.branch_id = ").arg(branch).push(" AND m.entered_on <= ").arg(d.clone());
        q.push(" AND (m.left_on IS NULL OR m.left_on > ").arg(d).push(")");
        let mut list = fetch_all_as!(&self.0.pool, Member, q)?;
        roster_order(&mut list);
        Ok(list)
    }

    /// Every membership a person has had, oldest first.
    pub async fn history(&self, person: Uuid) -> Result<Vec<Member>> {
        let mut q = Sql::new(select_members!());
        q.push(" WHERE m.person_id = ").arg(person).push(" ORDER BY m.entered_on, m.created_at");
        Ok(fetch_all_as!(&self.0.pool, Member, q)?)
    }

    pub async fn member(&self, id: Uuid) -> Result<Member> {
        let mut q = Sql::new(select_members!());
        q.push(" WHERE m.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Member, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// The branches within `scopes` (or one branch), with their make-up today.
    pub async fn branches(&self, scopes: &[OrgPath], only: Option<Uuid>) -> Result<Vec<BranchInfo>> {
        let mut q = Sql::new(
            "SELECT o.id, o.name, o.path, COALESCE(po.short_name, po.name) AS parent_name, \
             (SELECT COUNT(*) FROM memberships m WHERE m.branch_id = o.id AND m.left_on IS NULL AND m.status = 'formal') AS formal, \
             (SELECT COUNT(*) FROM memberships m WHERE m.branch_id = o.id AND m.left_on IS NULL AND m.status = 'probationary') AS probationary, \
             (SELECT COUNT(*) FROM memberships m WHERE m.branch_id = o.id AND m.left_on IS NULL AND m.committee_role IS NOT NULL) AS committee, \
             (SELECT COUNT(*) FROM org_units c WHERE c.parent_id = o.id AND c.kind = 'cell' AND c.active) AS cells \
             FROM org_units o LEFT JOIN org_units po ON po.id = o.parent_id WHERE o.kind = 'branch' AND o.active AND ",
        );
        q.scope_filter("o.path", scopes);
        if let Some(id) = only {
            q.push(" AND o.id = ").arg(id);
        }
        q.push(" ORDER BY o.path");
        Ok(fetch_all_as!(&self.0.pool, BranchInfo, q)?)
    }

    /// Puts a person on a branch's roster.
    pub async fn add_member(&self, who: &Who, branch: Uuid, spec: &MemberSpec, today: Date) -> Result<Member> {
        let mut tx = self.0.pool.begin_write().await?;
        branch_in(&mut tx, branch).await?;
        check_cell(&mut tx, branch, spec.cell_id).await?;
        let person = crate::people::get_active_in(&mut tx, spec.person_id).await?;
        if !person.is_party_member {
            return Err(Refusal::new("not_a_party_member", "此人不是党员，不能编入党员名册", "the person is not a party member").into());
        }
        let open: Option<i64> = on_tx!(&mut tx, c => sqlx::query_scalar(
            "SELECT CAST(1 AS BIGINT) FROM memberships WHERE person_id = $1 AND left_on IS NULL")
            .bind(spec.person_id).fetch_optional(c).await)?;
        if open.is_some() {
            return Err(Refusal::new(
                "already_on_a_roster",
                "此人已在其他支部名册中，请办理组织关系转接",
                "the person is already on a branch roster; transfer them instead",
            )
            .into());
        }
        let id = Uuid::now_v7();
        let now = Ts::now();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO memberships (id, person_id, branch_id, cell_id, status, joined_on, committee_role, vote_suspended, \
             entered_on, left_on, transfer_reason, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, $10, $10)")
            .bind(id).bind(spec.person_id).bind(branch).bind(spec.cell_id).bind(spec.status.as_str())
            .bind(spec.joined_on.to_string()).bind(spec.committee_role.map(CommitteeRole::as_str)).bind(spec.vote_suspended)
            .bind(today.to_string()).bind(now).execute(c).await)?;
        let m = member_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("orglife.member.add", MEMBERSHIP, id, Some(branch), m.snapshot())).await?;
        Ok(m)
    }

    /// Changes status (转正), committee seat, cell or vote suspension.
    pub async fn update_member(&self, who: &Who, id: Uuid, spec: &MemberSpec) -> Result<Member> {
        let mut tx = self.0.pool.begin_write().await?;
        let before = member_in(&mut tx, id).await?;
        if before.left_on.is_some() {
            return Err(Refusal::new("membership_closed", "该记录已转出，不能修改", "this membership has ended").into());
        }
        check_cell(&mut tx, before.branch_id, spec.cell_id).await?;
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE memberships SET status = $1, joined_on = $2, committee_role = $3, cell_id = $4, vote_suspended = $5, \
             updated_at = $6 WHERE id = $7")
            .bind(spec.status.as_str()).bind(spec.joined_on.to_string()).bind(spec.committee_role.map(CommitteeRole::as_str))
            .bind(spec.cell_id).bind(spec.vote_suspended).bind(Ts::now()).bind(id).execute(c).await)?;
        let m = member_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("orglife.member.update", MEMBERSHIP, id, Some(m.branch_id), m.snapshot()))
            .await?;
        Ok(m)
    }

    /// 组织关系转接: closes the membership on `on` and opens one in `to`.
    pub async fn transfer(&self, who: &Who, id: Uuid, to: Uuid, on: Date, reason: Option<&str>) -> Result<Member> {
        let mut tx = self.0.pool.begin_write().await?;
        let before = member_in(&mut tx, id).await?;
        if before.left_on.is_some() {
            return Err(Refusal::new("membership_closed", "该记录已转出", "this membership has already ended").into());
        }
        if before.branch_id == to {
            return Err(Refusal::new("transfer_noop", "已在该支部", "already in that branch").into());
        }
        if on < date(&before.entered_on)? {
            return Err(Refusal::new("transfer_before_entry", "转出日期早于转入本支部日期", "the transfer predates the entry").into());
        }
        branch_in(&mut tx, to).await?;
        let d = on.to_string();
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE memberships SET left_on = $1, transfer_reason = $2, updated_at = $3 WHERE id = $4")
            .bind(&d).bind(reason).bind(Ts::now()).bind(id).execute(c).await)?;
        let closed = member_in(&mut tx, id).await?;
        crate::audit::append(
            &mut tx,
            self.0.algo,
            who,
            Draft::change("orglife.member.transfer_out", MEMBERSHIP, id, Some(before.branch_id), closed.snapshot())
                .with_detail(json!({ "to_branch": to })),
        )
        .await?;
        let new_id = Uuid::now_v7();
        let now = Ts::now();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO memberships (id, person_id, branch_id, cell_id, status, joined_on, committee_role, vote_suspended, \
             entered_on, left_on, transfer_reason, created_at, updated_at) VALUES ($1, $2, $3, NULL, $4, $5, NULL, $6, $7, NULL, NULL, $8, $8)")
            .bind(new_id).bind(before.person_id).bind(to).bind(&before.status).bind(&before.joined_on)
            .bind(before.vote_suspended).bind(&d).bind(now).execute(c).await)?;
        let m = member_in(&mut tx, new_id).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("orglife.member.transfer_in", MEMBERSHIP, new_id, Some(to), m.snapshot())
                .with_detail(json!({ "from_branch": before.branch_id, "from_membership": id })),
        )
        .await?;
        Ok(m)
    }

    pub(crate) async fn member_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_members!());
        q.push(" ORDER BY m.id");
        Ok(fetch_all_as!(&self.0.pool, Member, q)?.into_iter().map(|m| (m.id.to_string(), m.snapshot())).collect())
    }
}
