//! The people a lead concerns and what was decided for each (四种形态,
//! sanctions with the last days of their effect periods), and the rows the
//! statistics count.

use super::ledger::{LeadEnv, lead_in, text_required};
use super::{LEAD_PERSON, Leads};
use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx, fetch_scalar_tx};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::leads::disposal::LeadStatus;
use qingfeng_domain::leads::outcome::{Form, PersonFacts, PersonOutcome, effect_end};
use qingfeng_domain::leads::report::PersonLevel;
use qingfeng_domain::org::OrgPath;
use serde_json::{Value, json};
use uuid::Uuid;

/// A person a lead concerns, with the outcome decided for them.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LeadPerson {
    pub id: Uuid,
    pub lead_id: Uuid,
    pub person_id: Option<Uuid>,
    pub name: String,
    pub post: Option<String>,
    pub level: String,
    pub party_member: bool,
    pub holds_party_post: bool,
    pub public_official: bool,
    pub outcome: Option<String>,
    pub form: Option<String>,
    pub decided_on: Option<String>,
    pub party_effect_end: Option<String>,
    pub admin_effect_end: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl LeadPerson {
    pub fn outcome(&self) -> Option<PersonOutcome> {
        self.outcome.as_deref().and_then(|o| serde_json::from_str(o).ok())
    }
    pub fn form(&self) -> Option<Form> {
        self.form.as_deref().and_then(Form::parse)
    }
    pub fn level(&self) -> PersonLevel {
        PersonLevel::parse(&self.level).unwrap_or(PersonLevel::Other)
    }
    pub fn facts(&self) -> PersonFacts {
        PersonFacts {
            party_member: self.party_member,
            holds_party_post: self.holds_party_post,
            public_official: self.public_official,
        }
    }
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "lead_id": self.lead_id, "person_id": self.person_id, "name": self.name, "post": self.post,
            "level": self.level, "party_member": self.party_member, "holds_party_post": self.holds_party_post,
            "public_official": self.public_official, "outcome": self.outcome, "form": self.form,
            "decided_on": self.decided_on, "party_effect_end": self.party_effect_end,
            "admin_effect_end": self.admin_effect_end,
        })
    }
}

/// A person to add to a lead.
#[derive(Debug, Clone)]
pub struct NewPerson<'a> {
    pub person_id: Option<Uuid>,
    pub name: &'a str,
    pub post: Option<&'a str>,
    pub level: PersonLevel,
    pub facts: PersonFacts,
}

pub(crate) async fn people_in(tx: &mut Tx, lead: Uuid) -> Result<Vec<LeadPerson>> {
    let mut q = Sql::new("SELECT * FROM lead_people WHERE lead_id = ");
    q.arg(lead).push(" ORDER BY created_at, id");
    Ok(fetch_all_tx!(tx, LeadPerson, q)?)
}

async fn person_in(tx: &mut Tx, id: Uuid) -> Result<LeadPerson> {
    let mut q = Sql::new("SELECT * FROM lead_people WHERE id = ");
    q.arg(id);
    fetch_all_tx!(tx, LeadPerson, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

impl Leads<'_> {
    pub async fn people(&self, lead: Uuid) -> Result<Vec<LeadPerson>> {
        let mut q = Sql::new("SELECT * FROM lead_people WHERE lead_id = ");
        q.arg(lead).push(" ORDER BY created_at, id");
        Ok(fetch_all_as!(&self.0.pool, LeadPerson, q)?)
    }

    /// Outcomes of people on leads handled within `scopes`, concluded (or
    /// decided) in `[from, to]`, with the lead's category: the statistics' rows.
    pub async fn outcomes(&self, scopes: &[OrgPath], from: &str, to: &str) -> Result<Vec<(LeadPerson, String)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            p: LeadPerson,
            category: String,
        }
        let mut q = Sql::new(
            "SELECT lp.*, l.category FROM lead_people lp JOIN leads l ON l.id = lp.lead_id JOIN org_units u ON u.id = l.unit_id WHERE lp.form IS NOT NULL AND ",
        );
        q.scope_filter("u.path", scopes).push(" AND lp.decided_on >= ").arg(from.to_string()).push(" AND lp.decided_on <= ").arg(to.to_string());
        q.push(" ORDER BY lp.decided_on, lp.id");
        Ok(fetch_all_as!(&self.0.pool, Row, q)?.into_iter().map(|r| (r.p, r.category)).collect())
    }

    /// Adds a person the lead concerns (before it is concluded).
    pub async fn add_person(&self, who: &Who, lead: Uuid, p: &NewPerson<'_>) -> Result<LeadPerson> {
        text_required("name", p.name, 50)?;
        let mut tx = self.0.pool.begin_write().await?;
        let l = lead_in(&mut tx, lead).await?;
        if l.status() == LeadStatus::Concluded {
            return Err(Refusal::new("lead_concluded", "线索已办结，不能再增加涉及人员", "the lead is concluded").into());
        }
        if let Some(pid) = p.person_id {
            let mut q = Sql::new("SELECT COUNT(*) FROM people WHERE id = ");
            q.arg(pid);
            if fetch_scalar_tx!(&mut tx, i64, q)? == 0 {
                return Err(StoreError::NotFound);
            }
        }
        let id = Uuid::now_v7();
        let now = Ts::now();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO lead_people (id, lead_id, person_id, name, post, level, party_member, holds_party_post, public_official, outcome, form, \
             decided_on, party_effect_end, admin_effect_end, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, NULL, NULL, NULL, NULL, NULL, $10, $10)")
            .bind(id).bind(lead).bind(p.person_id).bind(p.name.trim()).bind(p.post.map(str::trim).filter(|s| !s.is_empty()))
            .bind(p.level.as_str()).bind(p.facts.party_member).bind(p.facts.holds_party_post).bind(p.facts.public_official).bind(now)
            .execute(c).await)?;
        let row = person_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("leads.person.add", LEAD_PERSON, id, Some(l.unit_id), row.snapshot())).await?;
        Ok(row)
    }

    /// Records what was decided for a person (validated against the
    /// person's facts and, when given, the declared form), with the effect
    /// periods' last days. Only while the lead is open.
    pub async fn decide_outcome(&self, who: &Who, person: Uuid, o: &PersonOutcome, declared: Option<Form>, env: &LeadEnv<'_>) -> Result<LeadPerson> {
        let mut tx = self.0.pool.begin_write().await?;
        let p = person_in(&mut tx, person).await?;
        let l = lead_in(&mut tx, p.lead_id).await?;
        if l.status() == LeadStatus::Concluded {
            return Err(Refusal::new("lead_concluded", "线索已办结，处理结果须重新启动后修改", "reopen the lead to change outcomes").into());
        }
        let form = o.validate(p.facts(), declared, env.rules)?;
        let party_end = o.party.and_then(|s| effect_end(env.today, s.effect_months(o.probation_months), env.rules));
        let admin_end = o.admin.and_then(|a| a.effect_months()).and_then(|m| effect_end(env.today, m, env.rules));
        let json = serde_json::to_string(o).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE lead_people SET outcome = $1, form = $2, decided_on = $3, party_effect_end = $4, admin_effect_end = $5, updated_at = $6 WHERE id = $7")
            .bind(json).bind(form.map(|f| f.as_str())).bind(env.today.to_string()).bind(party_end.map(|d| d.to_string()))
            .bind(admin_end.map(|d| d.to_string())).bind(Ts::now()).bind(person).execute(c).await)?;
        let row = person_in(&mut tx, person).await?;
        commit_with(tx, self.0.algo, who, Draft::change("leads.person.outcome", LEAD_PERSON, person, Some(l.unit_id), row.snapshot())).await?;
        Ok(row)
    }

    pub async fn person(&self, id: Uuid) -> Result<LeadPerson> {
        let mut q = Sql::new("SELECT * FROM lead_people WHERE id = ");
        q.arg(id);
        fetch_all_as!(&self.0.pool, LeadPerson, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub(crate) async fn person_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let q = Sql::new("SELECT * FROM lead_people ORDER BY id");
        Ok(fetch_all_as!(&self.0.pool, LeadPerson, q)?.into_iter().map(|r| (r.id.to_string(), r.snapshot())).collect())
    }
}
