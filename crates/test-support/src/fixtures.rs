//! A small city for tests: 市委 with two bureaus, a branch in each, a few
//! people, and one account per role with a known password.

use qingfeng_domain::access::Role;
use qingfeng_domain::auth::hash_password;
use qingfeng_domain::org::{OrgKind, OrgUnitSpec};
use qingfeng_domain::people::PersonSpec;
use qingfeng_store::accounts::{Account, NewAccount};
use qingfeng_store::org::OrgUnit;
use qingfeng_store::people::Person;
use qingfeng_store::{Store, Who};
use std::sync::OnceLock;
use uuid::Uuid;

/// The password of every fixture account.
pub const PASSWORD: &str = "Fixture-Pass-2026";

pub struct Fixture {
    pub city: OrgUnit,
    pub bureau_a: OrgUnit,
    pub branch_a: OrgUnit,
    pub bureau_b: OrgUnit,
    pub branch_b: OrgUnit,
    pub person_a: Person,
    pub person_b: Person,
    /// Deployment-wide system administrator.
    pub admin: Account,
    /// Unit operator of bureau A (生态环境局).
    pub op_a: Account,
    /// Unit operator of bureau B (公安局).
    pub op_b: Account,
    /// Discipline officer over the whole city.
    pub officer: Account,
    /// Branch secretary of branch A.
    pub secretary_a: Account,
    /// Security auditor over the whole city.
    pub auditor: Account,
}

pub fn who() -> Who {
    Who::system("fixture")
}

fn spec(name: &str, kind: OrgKind) -> OrgUnitSpec {
    OrgUnitSpec { name: name.into(), short_name: None, kind, sort_order: 0 }
}

fn person(name: &str, position: &str) -> PersonSpec {
    PersonSpec {
        name: name.into(),
        gender: None,
        position: Some(position.into()),
        is_party_member: true,
        is_head: false,
        is_leadership_member: false,
        sort_order: 0,
    }
}

fn password_hash() -> String {
    static HASH: OnceLock<String> = OnceLock::new();
    HASH.get_or_init(|| hash_password(PASSWORD)).clone()
}

impl Fixture {
    pub async fn build(store: &Store) -> Fixture {
        let w = who();
        let orgs = store.orgs();
        let city = orgs.create(&w, None, &spec("中共测试市委员会", OrgKind::PartyCommittee)).await.unwrap();
        let bureau_a =
            orgs.create(&w, Some(city.id), &spec("中共测试市生态环境局党组", OrgKind::PartyGroup)).await.unwrap();
        let branch_a = orgs.create(&w, Some(bureau_a.id), &spec("办公室党支部", OrgKind::Branch)).await.unwrap();
        let bureau_b =
            orgs.create(&w, Some(city.id), &spec("中共测试市公安局委员会", OrgKind::PartyCommittee)).await.unwrap();
        let branch_b = orgs.create(&w, Some(bureau_b.id), &spec("治安支队党支部", OrgKind::Branch)).await.unwrap();
        let person_a = store.people().create(&w, branch_a.id, &person("王建国", "科员")).await.unwrap();
        let person_b = store.people().create(&w, branch_b.id, &person("李卫东", "民警")).await.unwrap();
        let account = |username: &'static str, unit: Option<Uuid>, role: Role| {
            let store = store.clone();
            let w = w.clone();
            async move {
                let a = store
                    .accounts()
                    .create(
                        &w,
                        &NewAccount {
                            username: username.into(),
                            display_name: username.into(),
                            org_unit_id: unit,
                            person_id: None,
                            password_hash: password_hash(),
                            must_change_password: false,
                        },
                    )
                    .await
                    .unwrap();
                store.grants().create(&w, a.id, role, unit).await.unwrap();
                a
            }
        };
        Fixture {
            admin: account("admin", None, Role::SystemAdmin).await,
            op_a: account("op-a", Some(bureau_a.id), Role::UnitOperator).await,
            op_b: account("op-b", Some(bureau_b.id), Role::UnitOperator).await,
            officer: account("officer", Some(city.id), Role::DisciplineOfficer).await,
            secretary_a: account("secretary-a", Some(branch_a.id), Role::BranchSecretary).await,
            auditor: account("auditor", Some(city.id), Role::Auditor).await,
            city,
            bureau_a,
            branch_a,
            bureau_b,
            branch_b,
            person_a,
            person_b,
        }
    }
}
