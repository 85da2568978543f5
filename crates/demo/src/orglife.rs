//! A year of 组织生活 and 谈话 for the demo branches, as it stands on
//! [`DEMO_TODAY`](crate::DEMO_TODAY).
//!
//! Every 党支部 gets its roster (党员名册), an annual plan for 2026 with the
//! items the 支部工作条例 requires, and the meetings it held from December
//! 2025 to the demo's today, with attendance marked from the roster on the
//! day. Most branches kept every frequency; three did not, as branches
//! really slip: 水生态环境科党支部 missed its May 支委会 while the 省级督察
//! feedback was being handled, 治安管理支队党支部 skipped the February
//! 主题党日 during the Spring Festival 安保, and 石滩村党支部 never held a
//! 党课. 谈心谈话 cover most but not all members, and a collective 政治谈话 by
//! the 市生态环境局党组书记 raised points that became a 谈话 问题清单.

mod meetings;
mod roster;
mod talks;
mod topics;

use jiff::civil::Date;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::org::{OrgKind, OrgPath};
use qingfeng_domain::orglife::OrgLifeRules;
use qingfeng_domain::rectify::RectifyRules;
use qingfeng_store::rectify::Env;
use qingfeng_store::{Store, StoreError, Who};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use uuid::Uuid;

/// One person as the tree spec made them.
#[derive(Debug, Clone)]
pub(crate) struct Staffer {
    pub id: Uuid,
    pub name: String,
    pub position: String,
    pub party_member: bool,
}

/// One unit of the demo tree with its people, in creation order.
#[derive(Debug, Clone)]
pub(crate) struct Placed {
    pub key: &'static str,
    pub id: Uuid,
    pub name: String,
    pub kind: OrgKind,
    pub parent: Option<&'static str>,
    pub staff: Vec<Staffer>,
}

/// What the 组织生活 data holds on [`DEMO_TODAY`](crate::DEMO_TODAY).
#[derive(Debug, Clone, Default)]
pub struct OrgLifeSummary {
    pub branches: usize,
    /// Members on the rosters on the demo's today.
    pub members: usize,
    pub probationary: usize,
    pub transfers: usize,
    pub plan_items: usize,
    pub meetings: usize,
    /// Attendance lines over all meetings.
    pub attendance_lines: usize,
    pub talks: usize,
    pub heart_to_heart: usize,
    /// Problems listed from the points of a talk (one 谈话 batch).
    pub talk_problems: usize,
    pub talk_measures: usize,
}

pub(crate) fn err(what: String) -> StoreError {
    StoreError::Config(format!("demo orglife data: {what}"))
}

pub(crate) struct Ctx<'a> {
    pub store: &'a Store,
    pub units: &'a [Placed],
    pub accounts: &'a HashMap<&'static str, Uuid>,
    pub cal: Calendar,
    pub rules: RectifyRules,
    pub orglife_rules: OrgLifeRules,
}

impl Ctx<'_> {
    pub fn unit(&self, key: &str) -> Result<&Placed, StoreError> {
        self.units.iter().find(|u| u.key == key).ok_or_else(|| err(format!("no unit `{key}`")))
    }

    pub fn person(&self, key: &str, i: usize) -> Result<Uuid, StoreError> {
        self.unit(key)?.staff.get(i).map(|s| s.id).ok_or_else(|| err(format!("no person {i} in `{key}`")))
    }

    pub fn account(&self, name: &'static str) -> Result<Who, StoreError> {
        self.accounts.get(name).map(|id| Who::account(*id, name)).ok_or_else(|| err(format!("no account `{name}`")))
    }

    /// Who keeps a branch's records: the demo accounts where the branch has one.
    pub fn recorder(&self, key: &str) -> Result<Who, StoreError> {
        match key {
            "eco_office" => self.account("zhibu"),
            k if k.starts_with("eco_") => self.account("sthj"),
            k if k.starts_with("police_") => self.account("gaj"),
            _ => Ok(Who::system("demo")),
        }
    }

    pub fn env(&self, today: Date) -> Env<'_> {
        Env { cal: &self.cal, rules: &self.rules, today }
    }

    pub fn workday(&self, d: Date) -> Date {
        workday(&self.cal, d)
    }
}

/// `d`, or the next working day in the same month (else the one before).
pub(crate) fn workday(cal: &Calendar, d: Date) -> Date {
    let mut x = d;
    while !cal.is_working_day(x).value {
        match x.tomorrow() {
            Ok(n) if n.month() == d.month() => x = n,
            _ => break,
        }
    }
    if cal.is_working_day(x).value {
        return x;
    }
    let mut x = d;
    while !cal.is_working_day(x).value {
        match x.yesterday() {
            Ok(p) => x = p,
            Err(_) => break,
        }
    }
    x
}

/// The seed of the 组织生活 draws (dates, attendance, who talks with whom).
const SEED_ORGLIFE: u64 = crate::SEED + 2;

/// Builds rosters, plans, meetings and talks on a store that holds the demo
/// tree and its rectification round.
pub(crate) async fn build(
    store: &Store,
    units: &[Placed],
    accounts: &HashMap<&'static str, Uuid>,
) -> Result<OrgLifeSummary, StoreError> {
    let ctx = Ctx {
        store,
        units,
        accounts,
        cal: Calendar::builtin(),
        rules: RectifyRules::default(),
        orglife_rules: OrgLifeRules::default(),
    };
    let mut rng = ChaCha8Rng::seed_from_u64(SEED_ORGLIFE);
    let mut summary = OrgLifeSummary { transfers: 1, ..Default::default() };
    let branches = roster::build(&ctx, &mut rng).await?;
    meetings::build(&ctx, &branches, &mut rng, &mut summary).await?;
    talks::build(&ctx, &branches, &mut rng, &mut summary).await?;

    let all = store.orglife().branches(&[OrgPath::global()], None).await?;
    summary.branches = all.len();
    summary.members = all.iter().map(|b| b.members() as usize).sum();
    summary.probationary = all.iter().map(|b| b.probationary as usize).sum();
    Ok(summary)
}
