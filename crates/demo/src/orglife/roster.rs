//! The branch rosters (党员名册): every party member of a 党支部 (and of its
//! 党小组, assigned to the cell), with the 入党日期, committee seats by the
//! 条例's rule, a few 预备党员, one member under 留党察看 and one transfer.

use super::topics::Style;
use super::{Ctx, Placed, Staffer, err};
use jiff::civil::{Date, date};
use qingfeng_domain::org::OrgKind;
use qingfeng_domain::orglife::input::MemberSpec;
use qingfeng_domain::orglife::{CommitteeRole, MemberStatus};
use qingfeng_store::StoreError;
use rand::Rng;
use uuid::Uuid;

/// A vote of a 党员大会 that changes the roster.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum VoteKind {
    /// 接收预备党员: the person joins the roster on the day of the vote.
    Admit,
    /// 预备党员转正.
    Confirm,
}

/// Branches whose 党员大会 of a quarter (held by the demo's today) takes
/// such a vote; a 转正 names the day the member was admitted a year before.
const VOTES: &[(&str, usize, VoteKind, Option<Date>)] = &[
    ("liuwan", 1, VoteKind::Admit, None),
    ("eco_office", 2, VoteKind::Confirm, Some(date(2025, 6, 10))),
    ("eco_air", 3, VoteKind::Admit, None),
    ("qingshan_c", 3, VoteKind::Admit, None),
    ("police_cmd", 3, VoteKind::Confirm, Some(date(2025, 8, 26))),
];

/// The member under 留党察看 (no vote while it lasts).
const SUSPENDED_IN: &str = "shitan";

/// 组织关系转接 in 2026: from, to, on, reason. The person works in `to`.
pub const TRANSFER: (&str, &str, Date, &str) = ("eco_air", "eco_water", date(2026, 4, 13), "工作调动");

/// One vote and whom it is about.
#[derive(Debug, Clone)]
pub struct Vote {
    pub quarter: usize,
    pub kind: VoteKind,
    pub person: Uuid,
    pub name: String,
}

#[derive(Debug, Clone)]
pub struct Cell {
    pub id: Uuid,
    pub name: String,
    /// 党小组组长.
    pub leader: Uuid,
}

/// A branch as the meetings and talks need it.
#[derive(Debug, Clone)]
pub struct Branch {
    pub key: &'static str,
    pub id: Uuid,
    pub style: Style,
    pub secretary: Uuid,
    pub secretary_name: String,
    /// Whether it keeps a 支委会 (7 or more 正式党员).
    pub committee: bool,
    pub cells: Vec<Cell>,
    pub votes: Vec<Vote>,
}

/// A person who will be on the roster, with where they sit.
struct Candidate<'a> {
    staffer: &'a Staffer,
    index: usize,
    cell: Option<Uuid>,
}

fn some_day(rng: &mut impl Rng, from: i16, to: i16) -> Date {
    let y = rng.random_range(from..=to);
    date(y, rng.random_range(1..=12), rng.random_range(1..=28))
}

/// An 入党日期 that fits the position: retired cadres joined long ago,
/// secretaries and committee members earlier than young staff.
fn joined_on(rng: &mut impl Rng, style: Style, index: usize, position: &str) -> Date {
    let (from, to) = if style == Style::Retired {
        (1970, 1992)
    } else if index == 0 {
        (1992, 2008)
    } else if position.contains("委员") || position.contains("副书记") || position.contains("组长") {
        (1996, 2014)
    } else if style == Style::Village {
        (1985, 2021)
    } else {
        (2003, 2023)
    };
    some_day(rng, from, to)
}

/// The committee seat a position names.
fn seat_of(index: usize, position: &str) -> Option<CommitteeRole> {
    if index == 0 {
        Some(CommitteeRole::Secretary)
    } else if position.contains("副书记") {
        Some(CommitteeRole::DeputySecretary)
    } else if position.contains("组织委员") {
        Some(CommitteeRole::Organisation)
    } else if position.contains("宣传委员") {
        Some(CommitteeRole::Propaganda)
    } else if position.contains("纪检委员") {
        Some(CommitteeRole::Discipline)
    } else if position.contains("支部委员") {
        Some(CommitteeRole::Other)
    } else {
        None
    }
}

/// A young ordinary member of the branch itself (not a cell), not the
/// demo's `dangyuan` (index 5 of the office branch).
fn young(cands: &[Candidate<'_>]) -> Option<usize> {
    let ordinary = |c: &&Candidate<'_>| c.cell.is_none() && seat_of(c.index, &c.staffer.position).is_none();
    cands
        .iter()
        .rposition(|c| ordinary(&c) && c.index >= 6)
        .or_else(|| cands.iter().rposition(|c| ordinary(&c) && c.index >= 4))
}

pub async fn build(ctx: &Ctx<'_>, rng: &mut impl Rng) -> Result<Vec<Branch>, StoreError> {
    let o = ctx.store.orglife();
    let mut out = Vec::new();
    let (from_key, to_key, moved_on, reason) = TRANSFER;
    let moved = ctx
        .unit(to_key)?
        .staff
        .iter()
        .enumerate()
        .find(|(i, s)| s.party_member && *i >= 4)
        .map(|(_, s)| s.id)
        .ok_or_else(|| err(format!("no one to transfer in `{to_key}`")))?;
    let mut moved_membership = None;

    for b in ctx.units.iter().filter(|u| u.kind == OrgKind::Branch) {
        let cells: Vec<&Placed> =
            ctx.units.iter().filter(|u| u.kind == OrgKind::Cell && u.parent == Some(b.key)).collect();
        let mut cands: Vec<Candidate<'_>> = b
            .staff
            .iter()
            .enumerate()
            .filter(|(_, s)| s.party_member && s.id != moved)
            .map(|(index, staffer)| Candidate { staffer, index, cell: None })
            .collect();
        for c in &cells {
            cands.extend(
                c.staff.iter().enumerate().filter(|(_, s)| s.party_member).map(|(index, staffer)| Candidate {
                    staffer,
                    index,
                    cell: Some(c.id),
                }),
            );
        }
        let secretary = b.staff.first().ok_or_else(|| err(format!("no secretary in `{}`", b.key)))?;
        let style = Style::of(b.key, &secretary.position);
        let mut votes = Vec::new();
        let mut confirmed = None;
        for &(key, quarter, kind, admitted) in VOTES.iter().filter(|v| v.0 == b.key) {
            let i = young(&cands).ok_or_else(|| err(format!("no young member in `{key}`")))?;
            let c = cands.remove(i);
            votes.push(Vote { quarter, kind, person: c.staffer.id, name: c.staffer.name.clone() });
            // One to be confirmed has been a 预备党员 since `admitted`; one
            // admitted at the vote joins the roster only then.
            if let Some(on) = admitted {
                confirmed = Some((c, on));
            }
        }
        let suspended = (b.key == SUSPENDED_IN)
            .then(|| cands.iter().find(|c| c.index >= 4 && c.cell.is_none()).map(|c| c.staffer.id))
            .flatten();

        // 正式党员 on the roster today decide whether the branch keeps a 支委会.
        let formal = cands.len() + usize::from(confirmed.is_some()) + usize::from(b.key == to_key);
        let committee = formal >= ctx.orglife_rules.committee_min_formal as usize;
        let mut seats: Vec<(Uuid, CommitteeRole)> = Vec::new();
        for c in cands.iter().filter(|c| c.cell.is_none()) {
            let seat = seat_of(c.index, &c.staffer.position).filter(|s| committee || *s == CommitteeRole::Secretary);
            if let Some(s) = seat {
                seats.push((c.staffer.id, s));
            }
        }
        // A 支委会 has at least three members: fill from the ordinary members.
        let mut extra = [CommitteeRole::Organisation, CommitteeRole::Propaganda].into_iter();
        for c in cands.iter().filter(|c| c.cell.is_none() && c.index > 0) {
            if !committee || seats.len() >= 3 {
                break;
            }
            if !seats.iter().any(|(p, _)| *p == c.staffer.id)
                && let Some(role) = extra.next()
            {
                seats.push((c.staffer.id, role));
            }
        }

        let who = ctx.recorder(b.key)?;
        let spec = |c: &Candidate<'_>, status, joined_on| MemberSpec {
            person_id: c.staffer.id,
            status,
            joined_on,
            committee_role: seats.iter().find(|(p, _)| *p == c.staffer.id).map(|(_, r)| *r),
            cell_id: c.cell,
            vote_suspended: Some(c.staffer.id) == suspended,
        };
        for c in &cands {
            let joined = joined_on(rng, style, c.index, &c.staffer.position);
            let entered = joined.max(some_day(rng, 2012, 2024));
            o.add_member(&who, b.id, &spec(c, MemberStatus::Formal, joined), entered).await?;
        }
        if let Some((c, joined)) = &confirmed {
            // Admitted a year before the vote that confirms them.
            o.add_member(&who, b.id, &spec(c, MemberStatus::Probationary, *joined), *joined).await?;
        }
        if b.key == from_key {
            let s = ctx.unit(to_key)?.staff.iter().find(|s| s.id == moved).ok_or_else(|| err("moved".into()))?;
            let c = Candidate { staffer: s, index: 9, cell: None };
            let joined = joined_on(rng, style, 9, &s.position);
            let entered = joined.max(date(2021, 9, 1));
            moved_membership =
                Some(o.add_member(&who, b.id, &spec(&c, MemberStatus::Formal, joined), entered).await?.id);
        }
        let mut cells_out = Vec::new();
        for c in &cells {
            let leader = c.staff.first().ok_or_else(|| err(format!("no leader in `{}`", c.key)))?;
            cells_out.push(Cell { id: c.id, name: c.name.clone(), leader: leader.id });
        }
        out.push(Branch {
            key: b.key,
            id: b.id,
            style,
            secretary: secretary.id,
            secretary_name: secretary.name.clone(),
            committee,
            cells: cells_out,
            votes,
        });
    }

    let membership = moved_membership.ok_or_else(|| err(format!("no branch `{from_key}`")))?;
    let to = ctx.unit(to_key)?.id;
    o.transfer(&ctx.recorder(to_key)?, membership, to, moved_on, Some(reason)).await?;
    Ok(out)
}
