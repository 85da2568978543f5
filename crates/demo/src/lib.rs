//! A demo city for `qingfeng serve --demo`, tests and benchmarks.
//!
//! 安澜市 is fictional. Its tree follows how a prefecture-level city is
//! actually organised: 市委 with 市纪委监委 and its 派驻纪检监察组, 市委巡察办,
//! two bureaus (a 党组 bureau and a 党委 bureau) each with a 机关党委 and
//! 支部, and two counties with townships and village branches. Every unit
//! has people with the positions such a unit has. On top of it runs a
//! rectification round (a 巡察 and a 督察 feedback, problems in every state)
//! as it stands on [`DEMO_TODAY`], and a year of 组织生活 and 谈话 in every
//! 党支部 (rosters, plans, meetings with attendance, talks, and a 政治谈话
//! whose points joined the rectification board). The same seed always
//! gives the same data.

mod duties;
mod lead_handling;
mod leads;
mod names;
mod orglife;
mod rectify;
mod tasks;
mod tree;

pub use orglife::OrgLifeSummary;
pub use rectify::{DEMO_TODAY, RectifySummary};
pub use leads::LeadsSummary;
pub use tasks::TasksSummary;

use qingfeng_domain::access::Role;
use qingfeng_domain::auth::hash_password;
use qingfeng_domain::org::OrgUnitSpec;
use qingfeng_domain::people::{Gender, PersonSpec};
use qingfeng_store::accounts::NewAccount;
use qingfeng_store::{Store, StoreError, Who};
use rand::SeedableRng;
use rand_chacha::ChaCha8Rng;
use std::collections::HashMap;
use tree::U;
use uuid::Uuid;

/// The seed of the demo data.
pub const SEED: u64 = 2026;

/// The password of every demo account (each must change it at first login).
pub const DEMO_PASSWORD: &str = "Qingfeng@2026";

/// One demo account, for printing at start-up.
#[derive(Debug, Clone)]
pub struct DemoAccount {
    pub username: &'static str,
    pub role: Role,
    pub scope: String,
    pub person: String,
    pub what: &'static str,
}

/// What the demo builder made.
#[derive(Debug, Clone)]
pub struct DemoReport {
    pub units: usize,
    pub people: usize,
    pub accounts: Vec<DemoAccount>,
    /// Unit ids by their key in the tree spec (for tests and benchmarks).
    pub unit_ids: HashMap<&'static str, Uuid>,
    /// The rectification round (as of [`DEMO_TODAY`]), with the 谈话 batch.
    pub rectify: RectifySummary,
    /// Rosters, plans, meetings and talks (as of [`DEMO_TODAY`]).
    pub orglife: OrgLifeSummary,
    /// Directives and their tasks (as of [`DEMO_TODAY`]).
    pub tasks: TasksSummary,
    /// 信访举报 received by 市纪委监委 (as of [`DEMO_TODAY`]).
    pub leads: LeadsSummary,
}

/// The demo accounts: (username, role, unit key of the grant, unit key of the
/// person it belongs to, index of that person in the unit, what it is for).
const ACCOUNTS: &[(&str, Role, &str, &str, usize, &str)] = &[
    ("xitong", Role::SystemAdmin, "city", "city_office", 1, "市委办公室信息化科，维护全市组织和账号"),
    ("jijian", Role::DisciplineOfficer, "city", "ccdi", 5, "市纪委监委监督检查室，监督全市"),
    ("paizhu", Role::DisciplineOfficer, "police", "team_police", 0, "派驻市公安局纪检监察组，只监督公安局"),
    ("jwleader", Role::DisciplineLeader, "ccdi", "ccdi", 1, "市纪委监委副书记，审批线索处置、一案双查和实名举报人信息的查看"),
    ("shuji", Role::PartyLeader, "eco", "eco", 0, "市生态环境局党组书记"),
    ("sthj", Role::UnitOperator, "eco", "eco_organ", 1, "市生态环境局机关党委，维护本局组织和人员"),
    ("gaj", Role::UnitOperator, "police", "police_organ", 1, "市公安局机关党委，维护本局组织和人员"),
    ("gongan", Role::PartyLeader, "police", "police", 2, "市公安局党委委员、督察长，接收移送的问题线索"),
    ("zhibu", Role::BranchSecretary, "eco_office", "eco_office", 0, "市生态环境局办公室党支部书记"),
    ("dangyuan", Role::Member, "eco_office", "eco_office", 5, "市生态环境局办公室党支部普通党员"),
    ("duchashi", Role::PartyLeader, "city", "city_office", 3, "市委办公室督查室，部署分解与督办"),
    ("ducha", Role::Inspector, "fenglin", "patrol", 2, "市委巡察组，督导丰林县"),
    ("shenji", Role::Auditor, "city", "city_office", 2, "安全审计员，只读留痕记录"),
];

/// Whether the database already holds an org tree (then the demo is not built).
pub async fn has_data(store: &Store) -> Result<bool, StoreError> {
    Ok(!store.orgs().children(None, true).await?.is_empty())
}

/// Builds the demo city. Call only on a database without an org tree.
/// Without the office's seal key, would-be real-name reports are filed anonymously.
pub async fn build(store: &Store) -> Result<DemoReport, StoreError> {
    let receipts = qingfeng_seal::ReceiptHasher::new(b"qingfeng-demo-receipt-salt").map_err(|e| StoreError::Config(e.to_string()))?;
    build_with(store, None, &receipts).await
}

/// Builds the demo city with the 信访举报 office's key and the receipt salt
/// the server runs with, so the demo's real-name reports can be released.
pub async fn build_with(
    store: &Store,
    seal: Option<&qingfeng_seal::Keyring>,
    receipts: &qingfeng_seal::ReceiptHasher,
) -> Result<DemoReport, StoreError> {
    let who = Who::system("demo");
    let mut rng = ChaCha8Rng::seed_from_u64(SEED);
    let mut unit_ids: HashMap<&'static str, Uuid> = HashMap::new();
    let mut unit_names: HashMap<&'static str, String> = HashMap::new();
    let mut people: HashMap<&'static str, Vec<(Uuid, String)>> = HashMap::new();
    let mut units = 0;
    let mut people_count = 0;
    let mut placed = Vec::new();

    // Depth-first over the spec, parents before children.
    let mut stack: Vec<(Option<(Uuid, &'static str)>, U)> = vec![(None, tree::city())];
    while let Some((parent, u)) = stack.pop() {
        let spec = OrgUnitSpec {
            name: u.name.to_string(),
            short_name: u.short.map(str::to_string),
            kind: u.kind,
            sort_order: u.order,
        };
        let unit = store.orgs().create(&who, parent.map(|p| p.0), &spec).await?;
        units += 1;
        unit_ids.insert(u.key, unit.id);
        unit_names.insert(u.key, unit.name.clone());
        let mut here = Vec::new();
        let mut staffers = Vec::new();
        let mut taken = std::collections::HashSet::new();
        for (i, role) in tree::staff(&u.staff, &mut rng).into_iter().enumerate() {
            let (name, female) = loop {
                let (n, f) = names::draw(&mut rng, role.female_share);
                if taken.insert(n.clone()) {
                    break (n, f);
                }
            };
            let p = PersonSpec {
                name,
                gender: Some(if female { Gender::Female } else { Gender::Male }),
                position: Some(role.position.clone()),
                is_party_member: role.party_member,
                is_head: role.head,
                is_leadership_member: role.leadership || role.head,
                sort_order: i as i64 * 10,
            };
            let person = store.people().create(&who, unit.id, &p).await?;
            people_count += 1;
            staffers.push(orglife::Staffer {
                id: person.id,
                name: person.name.clone(),
                position: role.position,
                party_member: role.party_member,
            });
            here.push((person.id, person.name));
        }
        people.insert(u.key, here);
        placed.push(orglife::Placed {
            key: u.key,
            id: unit.id,
            name: unit.name.clone(),
            kind: u.kind,
            parent: parent.map(|p| p.1),
            staff: staffers,
        });
        for child in u.children.into_iter().rev() {
            stack.push((Some((unit.id, u.key)), child));
        }
    }

    let mut accounts = Vec::new();
    let mut account_ids = HashMap::new();
    for &(username, role, scope_key, person_key, index, what) in ACCOUNTS {
        let (person_id, person_name) = people
            .get(person_key)
            .and_then(|list| list.get(index))
            .cloned()
            .ok_or_else(|| StoreError::Config(format!("demo spec: no person {index} in {person_key}")))?;
        let account = store
            .accounts()
            .create(
                &who,
                &NewAccount {
                    username: username.into(),
                    display_name: person_name.clone(),
                    org_unit_id: unit_ids.get(person_key).copied(),
                    person_id: Some(person_id),
                    password_hash: hash_password(DEMO_PASSWORD),
                    must_change_password: true,
                },
            )
            .await?;
        store.grants().create(&who, account.id, role, unit_ids.get(scope_key).copied()).await?;
        account_ids.insert(username, account.id);
        accounts.push(DemoAccount {
            username,
            role,
            scope: unit_names.get(scope_key).cloned().unwrap_or_default(),
            person: person_name,
            what,
        });
    }
    let mut rectify = rectify::build(store, &unit_ids, &people, &account_ids).await?;
    let orglife = orglife::build(store, &placed, &account_ids).await?;
    duties::build(store, &unit_ids, &unit_names).await?;
    // The points of the 政治谈话 joined the board as a 谈话 batch.
    rectify.batches += 1;
    rectify.problems += orglife.talk_problems;
    rectify.measures += orglife.talk_measures;
    rectify::recount(store, unit_ids["city"], &mut rectify).await?;
    let tasks = tasks::build(store, &unit_ids, &people).await?;
    let leads = leads::build(store, &unit_ids, seal, receipts, &account_ids).await?;
    Ok(DemoReport { units, people: people_count, accounts, unit_ids, rectify, orglife, tasks, leads })
}

/// The demo accounts as specified (without the people's names), for
/// printing when the demo database already exists.
pub fn accounts_spec() -> Vec<DemoAccount> {
    fn find(u: &U, key: &str) -> Option<String> {
        if u.key == key {
            return Some(u.name.to_string());
        }
        u.children.iter().find_map(|c| find(c, key))
    }
    let city = tree::city();
    ACCOUNTS
        .iter()
        .map(|&(username, role, scope_key, _, _, what)| DemoAccount {
            username,
            role,
            scope: find(&city, scope_key).unwrap_or_default(),
            person: String::new(),
            what,
        })
        .collect()
}
