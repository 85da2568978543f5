//! What the API returns. Times are RFC 3339 in UTC.

use qingfeng_domain::Lang;
use qingfeng_domain::access::Role;
use qingfeng_store::Ts;
use qingfeng_store::access::GrantRecord;
use qingfeng_store::accounts::Account;
use qingfeng_store::audit::AuditEvent;
use qingfeng_store::org::{OrgNode, OrgUnit};
use qingfeng_store::people::Person;
use serde::Serialize;
use serde_json::Value;
use utoipa::ToSchema;
use uuid::Uuid;

#[derive(Debug, Serialize, ToSchema)]
pub struct OrgUnitDto {
    pub id: Uuid,
    pub parent_id: Option<Uuid>,
    /// `party_committee`, `party_group`, `organ_committee`, `general_branch`, `branch`, `cell`,
    /// `discipline_commission`, `stationed_team` or `department`.
    pub kind: String,
    pub kind_label: String,
    pub name: String,
    pub short_name: Option<String>,
    /// 1 for a top-level unit.
    pub depth: i32,
    pub sort_order: i64,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
    /// Active direct sub-units (lists and tree queries only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_children: Option<i64>,
    /// Active people directly in the unit (lists and tree queries only).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub active_people: Option<i64>,
}

impl OrgUnitDto {
    pub fn from_unit(u: &OrgUnit, lang: Lang) -> OrgUnitDto {
        OrgUnitDto {
            id: u.id,
            parent_id: u.parent_id,
            kind: u.kind.as_str().into(),
            kind_label: u.kind.label().get(lang).into(),
            name: u.name.clone(),
            short_name: u.short_name.clone(),
            depth: u.depth,
            sort_order: u.sort_order,
            active: u.active,
            created_at: u.created_at.rfc3339(),
            updated_at: u.updated_at.rfc3339(),
            active_children: None,
            active_people: None,
        }
    }

    pub fn from_node(n: &OrgNode, lang: Lang) -> OrgUnitDto {
        OrgUnitDto {
            active_children: Some(n.active_children),
            active_people: Some(n.active_people),
            ..OrgUnitDto::from_unit(&n.unit, lang)
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct PersonDto {
    pub id: Uuid,
    pub org_unit_id: Uuid,
    pub org_unit_name: String,
    pub name: String,
    /// `male`, `female` or null.
    pub gender: Option<String>,
    pub position: Option<String>,
    pub is_party_member: bool,
    pub is_head: bool,
    pub is_leadership_member: bool,
    pub sort_order: i64,
    pub active: bool,
    pub created_at: String,
    pub updated_at: String,
}

impl From<&Person> for PersonDto {
    fn from(p: &Person) -> PersonDto {
        PersonDto {
            id: p.id,
            org_unit_id: p.org_unit_id,
            org_unit_name: p.org_unit_name.clone(),
            name: p.name.clone(),
            gender: p.gender.clone(),
            position: p.position.clone(),
            is_party_member: p.is_party_member,
            is_head: p.is_head,
            is_leadership_member: p.is_leadership_member,
            sort_order: p.sort_order,
            active: p.active,
            created_at: p.created_at.rfc3339(),
            updated_at: p.updated_at.rfc3339(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct GrantDto {
    pub id: Uuid,
    pub account_id: Uuid,
    pub username: String,
    pub role: String,
    pub role_label: String,
    /// Null for a deployment-wide grant.
    pub org_unit_id: Option<Uuid>,
    pub org_unit_name: Option<String>,
    pub created_at: String,
}

impl GrantDto {
    pub fn from(g: &GrantRecord, lang: Lang) -> GrantDto {
        GrantDto {
            id: g.id,
            account_id: g.account_id,
            username: g.username.clone(),
            role: g.role.clone(),
            role_label: Role::parse(&g.role).map(|r| r.label().get(lang).to_string()).unwrap_or_default(),
            org_unit_id: g.org_unit_id,
            org_unit_name: g.org_unit_name.clone(),
            created_at: g.created_at.rfc3339(),
        }
    }
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AccountDto {
    pub id: Uuid,
    pub username: String,
    pub display_name: String,
    pub org_unit_id: Option<Uuid>,
    pub org_unit_name: Option<String>,
    pub person_id: Option<Uuid>,
    pub person_name: Option<String>,
    pub active: bool,
    pub must_change_password: bool,
    pub failed_logins: i32,
    pub locked_until: Option<String>,
    pub last_login_at: Option<String>,
    pub created_at: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub grants: Option<Vec<GrantDto>>,
}

impl AccountDto {
    pub fn from(a: &Account, grants: Option<Vec<GrantDto>>) -> AccountDto {
        AccountDto {
            id: a.id,
            username: a.username.clone(),
            display_name: a.display_name.clone(),
            org_unit_id: a.org_unit_id,
            org_unit_name: a.org_unit_name.clone(),
            person_id: a.person_id,
            person_name: a.person_name.clone(),
            active: a.active,
            must_change_password: a.must_change_password,
            failed_logins: a.failed_logins,
            locked_until: a.locked_until.map(Ts::rfc3339),
            last_login_at: a.last_login_at.map(Ts::rfc3339),
            created_at: a.created_at.rfc3339(),
            grants,
        }
    }
}

/// An account just created or reset, with its one-time password (shown once).
#[derive(Debug, Serialize, ToSchema)]
pub struct IssuedPasswordDto {
    pub account: AccountDto,
    /// Must be changed at first login.
    pub one_time_password: String,
}

#[derive(Debug, Serialize, ToSchema)]
pub struct AuditEventDto {
    pub seq: i64,
    pub at: String,
    pub actor_id: Option<Uuid>,
    pub actor: String,
    pub action: String,
    pub entity: String,
    pub entity_id: String,
    pub org_unit_id: Option<Uuid>,
    pub org_unit_name: Option<String>,
    #[schema(value_type = Object)]
    pub payload: Value,
    pub payload_digest: String,
    pub algo: String,
    pub prev_hash: String,
    pub hash: String,
}

impl From<&AuditEvent> for AuditEventDto {
    fn from(e: &AuditEvent) -> AuditEventDto {
        AuditEventDto {
            seq: e.seq,
            at: e.at.rfc3339(),
            actor_id: e.actor_id,
            actor: e.actor_label.clone(),
            action: e.action.clone(),
            entity: e.entity.clone(),
            entity_id: e.entity_id.clone(),
            org_unit_id: e.org_unit_id,
            org_unit_name: e.org_unit_name.clone(),
            payload: e.payload_json(),
            payload_digest: e.payload_digest.clone(),
            algo: e.algo.clone(),
            prev_hash: e.prev_hash.clone(),
            hash: e.hash.clone(),
        }
    }
}

macro_rules! page_dto {
    ($name:ident, $item:ty) => {
        #[derive(Debug, Serialize, ToSchema)]
        pub struct $name {
            pub items: Vec<$item>,
            /// Rows behind the page; with `capped`, at least this many.
            pub total: i64,
            /// The count stopped early: there are more than `total` rows.
            pub capped: bool,
            pub page: u32,
            pub per_page: u32,
            pub pages: u32,
        }

        impl $name {
            pub fn from<T>(p: qingfeng_domain::page::Page<T>, f: impl FnMut(T) -> $item) -> $name {
                let pages = p.pages();
                let (total, capped, page, per_page) = (p.total, p.capped, p.page, p.per_page);
                $name { items: p.items.into_iter().map(f).collect(), total, capped, page, per_page, pages }
            }
        }
    };
}

pub(crate) use page_dto;

page_dto!(OrgPageDto, OrgUnitDto);
page_dto!(PersonPageDto, PersonDto);
page_dto!(AccountPageDto, AccountDto);
page_dto!(AuditPageDto, AuditEventDto);
