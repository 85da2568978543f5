//! Talks (谈话), and the points raised in them becoming a 问题清单.

use super::{OrgLife, TALK};
use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx, fetch_page};
use crate::rectify::{Env, Problem, insert_listed};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::Refusal;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::orglife::TalkKind;
use qingfeng_domain::orglife::input::TalkSpec;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_domain::rectify::input::BatchSpec;
use qingfeng_domain::rectify::{RootCause, Source};
use serde_json::{Value, json};
use uuid::Uuid;

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Talk {
    pub id: Uuid,
    pub org_unit_id: Uuid,
    pub unit_name: String,
    pub unit_path: String,
    pub kind: String,
    pub held_on: String,
    pub place: Option<String>,
    pub subject: String,
    pub points: String,
    pub commitments: Option<String>,
    pub batch_id: Option<Uuid>,
    pub recorded_by: String,
    pub created_at: Ts,
    /// One of the people talked to (for lists), and how many there were.
    pub first_talkee: Option<String>,
    pub talkees: i64,
}

impl Talk {
    pub fn kind(&self) -> TalkKind {
        TalkKind::parse(&self.kind).unwrap_or(TalkKind::HeartToHeart)
    }

    pub fn points(&self) -> Vec<String> {
        serde_json::from_str(&self.points).unwrap_or_default()
    }

    pub fn scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.unit_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.unit_path)))
    }
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct TalkPerson {
    pub talk_id: Uuid,
    pub person_id: Uuid,
    pub name: String,
    pub position: Option<String>,
    pub unit_name: String,
    pub side: String,
}

/// How the points of a talk become problems.
#[derive(Debug, Clone)]
pub struct TalkToProblems {
    pub lead_unit_id: Uuid,
    pub deadline: Date,
    pub root_cause: RootCause,
}

macro_rules! select_talks {
    () => {
        "SELECT t.id, t.org_unit_id, u.name AS unit_name, u.path AS unit_path, t.kind, t.held_on, t.place, t.subject, t.points, \
         t.commitments, t.batch_id, t.recorded_by, t.created_at, \
         (SELECT MIN(p.name) FROM talk_people tp JOIN people p ON p.id = tp.person_id WHERE tp.talk_id = t.id AND tp.side = 'talkee') AS first_talkee, \
         (SELECT COUNT(*) FROM talk_people tp WHERE tp.talk_id = t.id AND tp.side = 'talkee') AS talkees \
         FROM talks t JOIN org_units u ON u.id = t.org_unit_id"
    };
}

const SELECT_PEOPLE: &str = "SELECT tp.talk_id, tp.person_id, p.name, p.position, u.name AS unit_name, tp.side \
     FROM talk_people tp JOIN people p ON p.id = tp.person_id JOIN org_units u ON u.id = p.org_unit_id";

async fn talk_in(tx: &mut Tx, id: Uuid) -> Result<Talk> {
    let mut q = Sql::new(select_talks!());
    q.push(" WHERE t.id = ").arg(id);
    fetch_all_tx!(tx, Talk, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

async fn snapshot_in(tx: &mut Tx, t: &Talk) -> Result<Value> {
    let mut q = Sql::new("SELECT person_id, side FROM talk_people WHERE talk_id = ");
    q.arg(t.id).push(" ORDER BY side, person_id");
    #[derive(sqlx::FromRow)]
    struct P {
        person_id: Uuid,
        side: String,
    }
    let people: Vec<Value> = fetch_all_tx!(tx, P, q)?.into_iter().map(|p| json!([p.person_id, p.side])).collect();
    Ok(snapshot(t, people))
}

fn snapshot(t: &Talk, people: Vec<Value>) -> Value {
    json!({
        "id": t.id, "org_unit_id": t.org_unit_id, "kind": t.kind, "held_on": t.held_on, "place": t.place,
        "subject": t.subject, "points": t.points, "commitments": t.commitments, "batch_id": t.batch_id,
        "recorded_by": t.recorded_by, "created_at": t.created_at.rfc3339(), "people": people,
    })
}

#[derive(Debug, Clone, Default)]
pub struct TalkFilter {
    pub kind: Option<TalkKind>,
    pub year: Option<i16>,
    pub unit: Option<OrgPath>,
    pub q: Option<String>,
}

impl OrgLife<'_> {
    /// Records a talk under `unit` (the unit whose record it is).
    pub async fn record_talk(&self, who: &Who, unit: Uuid, spec: &TalkSpec) -> Result<Talk> {
        let mut tx = self.0.pool.begin_write().await?;
        crate::org::get_in(&mut tx, unit).await?;
        let id = Uuid::now_v7();
        let points = serde_json::to_string(&spec.points).unwrap_or_else(|_| "[]".into());
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO talks (id, org_unit_id, kind, held_on, place, subject, points, commitments, batch_id, recorded_by, created_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, NULL, $9, $10)")
            .bind(id).bind(unit).bind(spec.kind.as_str()).bind(spec.held_on.to_string()).bind(&spec.place).bind(&spec.subject)
            .bind(&points).bind(&spec.commitments).bind(&who.label).bind(Ts::now()).execute(c).await)?;
        for (side, list) in [("talker", &spec.talkers), ("talkee", &spec.talkees)] {
            for p in list {
                crate::people::get_active_in(&mut tx, *p).await?;
                exec_tx!(&mut tx, c => sqlx::query("INSERT INTO talk_people (talk_id, person_id, side) VALUES ($1, $2, $3)")
                    .bind(id).bind(*p).bind(side).execute(c).await)?;
            }
        }
        let t = talk_in(&mut tx, id).await?;
        let snap = snapshot_in(&mut tx, &t).await?;
        commit_with(tx, self.0.algo, who, Draft::change("orglife.talk.record", TALK, id, Some(unit), snap)).await?;
        Ok(t)
    }

    pub async fn talk(&self, id: Uuid) -> Result<Talk> {
        let mut q = Sql::new(select_talks!());
        q.push(" WHERE t.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Talk, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub async fn talk_people(&self, id: Uuid) -> Result<Vec<TalkPerson>> {
        let mut q = Sql::new(SELECT_PEOPLE);
        q.push(" WHERE tp.talk_id = ").arg(id).push(" ORDER BY tp.side DESC, u.path, p.sort_order");
        Ok(fetch_all_as!(&self.0.pool, TalkPerson, q)?)
    }

    /// Talks recorded within `scopes`, newest first.
    pub async fn talks(&self, scopes: &[OrgPath], f: &TalkFilter, page: PageRequest) -> Result<Page<Talk>> {
        let mut w = Sql::new(" WHERE ");
        w.scope_filter("u.path", scopes);
        if let Some(within) = &f.unit {
            w.push(" AND ").scope_filter("u.path", std::slice::from_ref(within));
        }
        if let Some(k) = f.kind {
            w.push(" AND t.kind = ").arg(k.as_str().to_string());
        }
        if let Some(y) = f.year {
            w.push(" AND t.held_on >= ").arg(format!("{y:04}-01-01")).push(" AND t.held_on <= ").arg(format!("{y:04}-12-31"));
        }
        if let Some(q) = f.q.as_deref().map(str::trim).filter(|s| !s.is_empty()) {
            w.push(" AND ").contains(&["t.subject", "t.points"], q);
        }
        let (items, total) = fetch_page!(
            &self.0.pool,
            Talk,
            select_talks!(),
            "SELECT COUNT(*) FROM talks t JOIN org_units u ON u.id = t.org_unit_id",
            w,
            " ORDER BY t.held_on DESC, t.id DESC",
            &page
        )?;
        Ok(page.of(items, total))
    }

    /// Heart-to-heart talks of `year` that involve any of `people`: each
    /// talk as the list of its participants.
    pub async fn heart_to_heart(&self, people: &[Uuid], year: i16) -> Result<Vec<Vec<Uuid>>> {
        if people.is_empty() {
            return Ok(Vec::new());
        }
        let mut q = Sql::new("SELECT tp.talk_id, tp.person_id FROM talk_people tp JOIN talks t ON t.id = tp.talk_id WHERE t.kind = 'heart_to_heart'");
        q.push(" AND t.held_on >= ").arg(format!("{year:04}-01-01")).push(" AND t.held_on <= ").arg(format!("{year:04}-12-31"));
        q.push(" AND tp.person_id IN (");
        for (i, p) in people.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.arg(*p);
        }
        q.push(") ORDER BY tp.talk_id");
        #[derive(sqlx::FromRow)]
        struct TalkRow {
            talk_id: Uuid,
            person_id: Uuid,
        }
        let rows = fetch_all_as!(&self.0.pool, TalkRow, q)?;
        let mut out: Vec<(Uuid, Vec<Uuid>)> = Vec::new();
        for r in rows {
            match out.last_mut() {
                Some((t, v)) if *t == r.talk_id => v.push(r.person_id),
                _ => out.push((r.talk_id, vec![r.person_id])),
            }
        }
        Ok(out.into_iter().map(|(_, v)| v).collect())
    }

    /// Per branch within `scopes`: how many members now on the roster had
    /// fewer than `per_year` heart-to-heart talks in `year`.
    pub async fn talk_gaps_by_branch(&self, scopes: &[OrgPath], year: i16, per_year: u32) -> Result<Vec<(Uuid, i64)>> {
        #[derive(sqlx::FromRow)]
        struct Gap {
            branch_id: Uuid,
            missing: i64,
        }
        let mut q = Sql::new(
            "SELECT m.branch_id, COUNT(*) AS missing FROM memberships m JOIN org_units b ON b.id = m.branch_id \
             WHERE m.left_on IS NULL AND ",
        );
        q.scope_filter("b.path", scopes);
        q.push(
            " AND (SELECT COUNT(DISTINCT tp.talk_id) FROM talk_people tp JOIN talks t ON t.id = tp.talk_id \
             WHERE tp.person_id = m.person_id AND t.kind = 'heart_to_heart' AND t.held_on >= ",
        );
        q.arg(format!("{year:04}-01-01")).push(" AND t.held_on <= ").arg(format!("{year:04}-12-31"));
        q.push(") < ").arg(i64::from(per_year)).push(" GROUP BY m.branch_id");
        Ok(fetch_all_as!(&self.0.pool, Gap, q)?.into_iter().map(|g| (g.branch_id, g.missing)).collect())
    }

    /// Turns the points raised in a talk into a 问题清单 (source 谈话) issued
    /// by the talk's unit, one problem per point, in one transaction.
    pub async fn talk_to_problems(&self, who: &Who, env: &Env<'_>, id: Uuid, how: &TalkToProblems) -> Result<Vec<Problem>> {
        let mut tx = self.0.pool.begin_write().await?;
        let talk = talk_in(&mut tx, id).await?;
        if talk.batch_id.is_some() {
            return Err(Refusal::new("talk_already_listed", "该谈话提出的问题已列入问题清单", "the points are already listed").into());
        }
        let points = talk.points();
        if points.is_empty() {
            return Err(Refusal::new("talk_without_points", "该谈话没有记录提出的问题", "the talk records no points").into());
        }
        let held_on = super::date(&talk.held_on)?;
        if how.deadline < env.today {
            return Err(Refusal::new("deadline_past", "整改时限不能早于今天", "the deadline may not be in the past").into());
        }
        let spec = BatchSpec {
            source: Source::Talk,
            reference: format!("{}：{}（{}）", talk.kind().label().zh, talk.subject, talk.held_on),
            issuing_unit_id: talk.org_unit_id,
            issued_on: held_on,
            summary: talk.commitments.clone(),
        };
        let (batch, out) = insert_listed(&mut tx, self.0.algo, who, env, &spec, &points, (how.lead_unit_id, how.deadline, how.root_cause)).await?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE talks SET batch_id = $1 WHERE id = $2").bind(batch.id).bind(id).execute(c).await)?;
        let t = talk_in(&mut tx, id).await?;
        let snap = snapshot_in(&mut tx, &t).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("orglife.talk.list_problems", TALK, id, Some(t.org_unit_id), snap).with_detail(json!({"batch_id": batch.id})),
        )
        .await?;
        Ok(out)
    }

    pub(crate) async fn talk_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_talks!());
        q.push(" ORDER BY t.id");
        let talks = fetch_all_as!(&self.0.pool, Talk, q)?;
        let q = Sql::new("SELECT talk_id, person_id, side FROM talk_people ORDER BY talk_id, side, person_id");
        #[derive(sqlx::FromRow)]
        struct P {
            talk_id: Uuid,
            person_id: Uuid,
            side: String,
        }
        let mut by: std::collections::HashMap<Uuid, Vec<Value>> = std::collections::HashMap::new();
        for p in fetch_all_as!(&self.0.pool, P, q)? {
            by.entry(p.talk_id).or_default().push(json!([p.person_id, p.side]));
        }
        Ok(talks.into_iter().map(|t| {
            let people = by.remove(&t.id).unwrap_or_default();
            (t.id.to_string(), snapshot(&t, people))
        }).collect())
    }
}
