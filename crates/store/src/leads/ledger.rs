//! 问题线索: the ledger (线索台账). A lead is registered from an accepted
//! report or from another source, goes through the disposal lifecycle of
//! `domain::leads::disposal` (each step one transaction with its clock and
//! its audit event), records what was decided for each person concerned,
//! and is reconciled periodically (定期汇总核对).

use super::people::{LeadPerson, people_in};
use super::review::Figure;
use super::{LEAD, Leads};
use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx, fetch_scalar, fetch_scalar_tx};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::Refusal;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::leads::deadline::{Clock, due};
use qingfeng_domain::leads::disposal::{Disposal, LeadAction, LeadActor, LeadFacts, LeadStatus, clock_of, transition};
use qingfeng_domain::leads::outcome::Form;
use qingfeng_domain::leads::report::{Category, PersonLevel};
use qingfeng_domain::leads::{Finding, LeadRules, LeadSource};
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::{Page, PageRequest};
use serde_json::{Value, json};
use uuid::Uuid;

/// The calendar, the configured numbers and the day a command runs on.
#[derive(Debug, Clone, Copy)]
pub struct LeadEnv<'a> {
    pub cal: &'a Calendar,
    pub rules: &'a LeadRules,
    pub today: Date,
}

impl LeadEnv<'_> {
    /// The last day of `clock` started on `from` (`None`: the clock is off).
    pub fn due(&self, clock: Clock, from: Date) -> Option<Date> {
        due(self.cal, clock, from, self.rules).ok().flatten().map(|d| d.value)
    }
    /// The last day of `clock` started today.
    pub fn due_of(&self, clock: Clock) -> Option<Date> {
        self.due(clock, self.today)
    }
}

macro_rules! select_leads {
    () => {
        "SELECT l.id, l.lead_no, l.source, l.source_ref, l.report_id, rp.reg_no AS report_reg_no, l.unit_id, u.name AS unit_name, \
         u.path AS unit_path, l.subject_unit_id, su.name AS subject_unit_name, l.category, l.person_level, l.subject_name, l.summary, \
         l.status, l.disposal, l.proposed_by, l.proposal_note, l.finding, l.received_on, l.step_since, l.step_due, l.concluded_on, \
         l.feedback_due, l.result_text, l.fed_back_on, l.false_accusation, l.false_author, l.false_reason, l.created_at, l.updated_at \
         FROM leads l JOIN org_units u ON u.id = l.unit_id JOIN org_units su ON su.id = l.subject_unit_id \
         LEFT JOIN reports rp ON rp.id = l.report_id"
    };
}

/// A lead with the names a page shows.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Lead {
    pub id: Uuid,
    pub lead_no: String,
    pub source: String,
    pub source_ref: Option<String>,
    pub report_id: Option<Uuid>,
    pub report_reg_no: Option<String>,
    pub unit_id: Uuid,
    pub unit_name: String,
    pub unit_path: String,
    pub subject_unit_id: Uuid,
    pub subject_unit_name: String,
    pub category: String,
    pub person_level: String,
    pub subject_name: String,
    pub summary: String,
    pub status: String,
    pub disposal: Option<String>,
    pub proposed_by: Option<Uuid>,
    pub proposal_note: Option<String>,
    pub finding: Option<String>,
    pub received_on: String,
    pub step_since: String,
    pub step_due: Option<String>,
    pub concluded_on: Option<String>,
    pub feedback_due: Option<String>,
    pub result_text: Option<String>,
    pub fed_back_on: Option<String>,
    pub false_accusation: Option<String>,
    pub false_author: Option<String>,
    pub false_reason: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl Lead {
    pub fn status(&self) -> LeadStatus {
        LeadStatus::parse(&self.status).unwrap_or(LeadStatus::Registered)
    }
    pub fn disposal(&self) -> Option<Disposal> {
        self.disposal.as_deref().and_then(Disposal::parse)
    }
    pub fn finding(&self) -> Option<Finding> {
        self.finding.as_deref().and_then(Finding::parse)
    }
    pub fn source(&self) -> LeadSource {
        LeadSource::parse(&self.source).unwrap_or(LeadSource::Other)
    }
    pub fn category(&self) -> Category {
        Category::parse(&self.category).unwrap_or(Category::Integrity)
    }
    pub fn level(&self) -> PersonLevel {
        PersonLevel::parse(&self.person_level).unwrap_or(PersonLevel::Other)
    }
    pub fn scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.unit_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.unit_path)))
    }
    /// Past the last day of its current stage (`today` as `YYYY-MM-DD`).
    pub fn overdue(&self, today: &str) -> bool {
        self.step_due.as_deref().is_some_and(|d| d < today)
    }
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "lead_no": self.lead_no, "source": self.source, "source_ref": self.source_ref,
            "report_id": self.report_id, "unit_id": self.unit_id, "subject_unit_id": self.subject_unit_id,
            "category": self.category, "person_level": self.person_level, "subject_name": self.subject_name,
            "summary": self.summary, "status": self.status, "disposal": self.disposal, "proposed_by": self.proposed_by,
            "proposal_note": self.proposal_note, "finding": self.finding, "received_on": self.received_on,
            "step_since": self.step_since, "step_due": self.step_due, "concluded_on": self.concluded_on,
            "feedback_due": self.feedback_due, "result_text": self.result_text, "fed_back_on": self.fed_back_on,
            "false_accusation": self.false_accusation, "false_author": self.false_author,
            "false_reason": self.false_reason, "created_at": self.created_at.rfc3339(),
        })
    }
}

/// A lead about to be registered (validated by the caller's form).
#[derive(Debug, Clone)]
pub struct NewLead<'a> {
    pub source: LeadSource,
    pub source_ref: Option<&'a str>,
    /// Registered from this accepted report (its handling unit handles the lead).
    pub report_id: Option<Uuid>,
    pub unit_id: Uuid,
    pub subject_unit_id: Uuid,
    pub category: Category,
    pub level: PersonLevel,
    pub subject_name: &'a str,
    pub summary: &'a str,
    pub received_on: Date,
}

/// One step on a lead.
#[derive(Debug, Clone, Copy)]
pub struct Step<'a> {
    pub action: LeadAction,
    pub actor: LeadActor,
    /// The disposal proposed (with `Propose`).
    pub disposal: Option<Disposal>,
    pub finding: Option<Finding>,
    pub reason: Option<&'a str>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct LeadStep {
    pub id: Uuid,
    pub lead_id: Uuid,
    pub referral_id: Option<Uuid>,
    pub action: String,
    pub from_status: Option<String>,
    pub to_status: Option<String>,
    pub disposal: Option<String>,
    pub finding: Option<String>,
    pub note: Option<String>,
    pub by_label: String,
    pub on_date: String,
    pub at: Ts,
}

/// Filters of the ledger.
#[derive(Debug, Clone, Default)]
pub struct LeadFilter {
    pub status: Option<LeadStatus>,
    pub disposal: Option<Disposal>,
    pub source: Option<LeadSource>,
    /// `open`: not concluded; `overdue`: past the current stage's last day.
    pub open: bool,
    pub overdue_on: Option<String>,
    pub text: Option<String>,
    /// Received in `[from, to]` (YYYY-MM-DD).
    pub from: Option<String>,
    pub to: Option<String>,
    pub unit_id: Option<Uuid>,
    pub category: Option<Category>,
    /// Leads with a person whose outcome is of this form / of this level /
    /// decided in `[decided_from, decided_to]` (the statistics' cells).
    pub form: Option<Form>,
    pub person_level: Option<PersonLevel>,
    pub decided_from: Option<String>,
    pub decided_to: Option<String>,
    /// The reconciliation's figures: the leads behind one of them for a period.
    pub figure: Option<(Figure, String, String)>,
    /// Handled within this subtree (a unit and the bodies under it).
    pub within: Option<OrgPath>,
}

pub(crate) async fn lead_in(tx: &mut Tx, id: Uuid) -> Result<Lead> {
    let mut q = Sql::new(select_leads!());
    q.push(" WHERE l.id = ").arg(id);
    fetch_all_tx!(tx, Lead, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

/// Records a step in the lead's history (and a referral's trail).
#[allow(clippy::too_many_arguments)]
pub(crate) async fn record_step(
    tx: &mut Tx,
    who: &Who,
    lead: Uuid,
    referral: Option<Uuid>,
    action: &str,
    from: Option<&str>,
    to: Option<&str>,
    note: Option<&str>,
    on: Date,
) -> Result<()> {
    let l = lead_in(tx, lead).await?;
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO lead_steps (id, lead_id, referral_id, action, from_status, to_status, disposal, finding, note, by_label, on_date, at) \
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)")
        .bind(Uuid::now_v7()).bind(lead).bind(referral).bind(action).bind(from).bind(to).bind(&l.disposal).bind(&l.finding)
        .bind(note.map(|n| n.trim().chars().take(2000).collect::<String>())).bind(&who.label).bind(on.to_string()).bind(Ts::now())
        .execute(c).await)?;
    Ok(())
}

pub(crate) async fn commit_lead(mut tx: Tx, l: &Leads<'_>, who: &Who, action: &'static str, id: Uuid, detail: Option<Value>) -> Result<Lead> {
    let lead = lead_in(&mut tx, id).await?;
    let mut d = Draft::change(action, LEAD, id, Some(lead.unit_id), lead.snapshot());
    if let Some(x) = detail {
        d = d.with_detail(x);
    }
    commit_with(tx, l.0.algo, who, d).await?;
    Ok(lead)
}

async fn next_lead_no(tx: &mut Tx, year: i16) -> Result<String> {
    let prefix = format!("XS-{year}-");
    let mut q = Sql::new("SELECT COUNT(*) FROM leads WHERE lead_no LIKE ");
    q.arg(format!("{prefix}%"));
    let n = fetch_scalar_tx!(tx, i64, q)?;
    Ok(format!("{prefix}{:05}", n + 1))
}

pub(crate) fn text_required(field: &'static str, v: &str, max: usize) -> Result<()> {
    let mut val = qingfeng_domain::msg::Validation::new();
    val.check(field, qingfeng_domain::msg::required_text(v, max));
    Ok(val.into_result()?)
}

impl Leads<'_> {
    /// Registers a lead in one transaction, with the clock of its first
    /// stage (提出处置意见). From a report: the report must be accepted and
    /// not already a lead.
    pub async fn register(&self, who: &Who, n: &NewLead<'_>, env: &LeadEnv<'_>) -> Result<Lead> {
        text_required("subject_name", n.subject_name, 100)?;
        text_required("summary", n.summary, 4000)?;
        let mut tx = self.0.pool.begin_write().await?;
        let unit = crate::org::get_in(&mut tx, n.unit_id).await?;
        crate::org::get_in(&mut tx, n.subject_unit_id).await?;
        if let Some(r) = n.report_id {
            let rep = super::reports::report_in(&mut tx, r).await?;
            if rep.status != "accepted" {
                return Err(Refusal::new("report_not_accepted", "举报件受理后才能登记为问题线索", "accept the report first").into());
            }
            // A report routed to a 纪检 body is that body's lead (or one under it).
            if let Some(h) = rep.handling_unit_id {
                let handling = crate::org::get_in(&mut tx, h).await?;
                if handling.kind.is_discipline() && !unit.path.is_within(&handling.path) {
                    return Err(Refusal {
                        code: "not_the_handling_unit",
                        msg: qingfeng_domain::Msg::owned(
                            format!("该件已交由{}办理，应由其登记为问题线索", handling.name),
                            format!("the report was given to {}; it registers the lead", handling.name),
                        ),
                    }
                    .into());
                }
            }
            let mut q = Sql::new("SELECT COUNT(*) FROM leads WHERE report_id = ");
            q.arg(r);
            if fetch_scalar_tx!(&mut tx, i64, q)? > 0 {
                return Err(Refusal::new("already_lead", "该件已登记为问题线索", "the report is already a lead").into());
            }
        }
        let id = Uuid::now_v7();
        let no = next_lead_no(&mut tx, n.received_on.year()).await?;
        let due = env.due(Clock::DisposalProposal, n.received_on).map(|d| d.to_string());
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO leads (id, lead_no, source, source_ref, report_id, unit_id, subject_unit_id, category, person_level, subject_name, summary, \
             status, disposal, proposed_by, proposal_note, finding, received_on, step_since, step_due, concluded_on, feedback_due, result_text, \
             fed_back_on, false_accusation, false_author, false_reason, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, 'registered', NULL, NULL, NULL, NULL, $12, $12, $13, NULL, NULL, NULL, NULL, NULL, NULL, NULL, $14, $14)")
            .bind(id).bind(&no).bind(n.source.as_str()).bind(n.source_ref.map(str::trim).filter(|s| !s.is_empty()))
            .bind(n.report_id).bind(n.unit_id).bind(n.subject_unit_id).bind(n.category.as_str()).bind(n.level.as_str())
            .bind(n.subject_name.trim()).bind(n.summary.trim()).bind(n.received_on.to_string()).bind(due).bind(Ts::now())
            .execute(c).await)?;
        record_step(&mut tx, who, id, None, "register", None, Some("registered"), None, env.today).await?;
        commit_lead(tx, self, who, "leads.lead.register", id, None).await
    }

    /// One step of the lifecycle table. Concluding with an outcome of the
    /// configured form or heavier opens the 一案双查 inquiry in the same
    /// transaction (so the gate never blocks: the inquiry must be concluded
    /// on its own). Concluding a report's lead starts the feedback clock.
    pub async fn act(&self, who: &Who, id: Uuid, s: &Step<'_>, env: &LeadEnv<'_>) -> Result<Lead> {
        let mut tx = self.0.pool.begin_write().await?;
        let lead = lead_in(&mut tx, id).await?;
        let from = lead.status();
        let people = people_in(&mut tx, id).await?;
        let forms: Vec<Form> = people.iter().filter_map(LeadPerson::form).collect();
        let mut facts = LeadFacts {
            disposal: if s.action == LeadAction::Propose { s.disposal } else { lead.disposal() },
            proposer: lead.proposed_by,
            reason: s.reason,
            finding: s.finding.or(if s.action == LeadAction::Conclude { lead.finding() } else { None }),
            heaviest_form: forms.iter().copied().max(),
            dual_inquiry_linked: super::followup::inquiry_of_in(&mut tx, id).await?.is_some(),
        };
        // Any way into 已办结 (办结, or approving 予以了结) opens the 一案双查
        // inquiry the outcomes call for, before the gate looks for it.
        let mut opened = None;
        let would = transition(from, s.action, s.actor, &LeadFacts { dual_inquiry_linked: true, ..facts.clone() }, env.rules);
        if would == Ok(LeadStatus::Concluded) && from != LeadStatus::Concluded && !facts.dual_inquiry_linked {
            opened = super::followup::open_inquiry_if_required(&mut tx, self.0.algo, who, &lead, &forms, env).await?;
            facts.dual_inquiry_linked = opened.is_some();
        }
        let to = transition(from, s.action, s.actor, &facts, env.rules)?;
        let on = env.today.to_string();
        let reason = s.reason.map(str::trim).filter(|r| !r.is_empty());
        match s.action {
            LeadAction::Propose => {
                exec_tx!(&mut tx, c => sqlx::query("UPDATE leads SET disposal = $1, proposed_by = $2, proposal_note = $3 WHERE id = $4")
                    .bind(facts.disposal.map(|d| d.as_str())).bind(who.account_id).bind(reason).bind(id).execute(c).await)?;
            }
            LeadAction::SendBack | LeadAction::Redispose => {
                exec_tx!(&mut tx, c => sqlx::query("UPDATE leads SET disposal = NULL, proposed_by = NULL, proposal_note = NULL, finding = NULL WHERE id = $1")
                    .bind(id).execute(c).await)?;
            }
            LeadAction::Reopen => super::followup::undo_conclusion(&mut tx, self.0.algo, who, &lead).await?,
            LeadAction::Assess | LeadAction::ReportFindings | LeadAction::Conclude => {
                exec_tx!(&mut tx, c => sqlx::query("UPDATE leads SET finding = $1 WHERE id = $2")
                    .bind(facts.finding.map(|f| f.as_str())).bind(id).execute(c).await)?;
            }
            _ => {}
        }
        if to == LeadStatus::Concluded && from != LeadStatus::Concluded {
            // 实名: the result is fed back within the limit (anonymous reporters read it with their code, unclocked).
            let real_name = match lead.report_id {
                Some(r) => super::reports::report_in(&mut tx, r).await?.real_name,
                None => false,
            };
            let feedback = real_name.then(|| env.due(Clock::Feedback, env.today)).flatten().map(|d| d.to_string());
            exec_tx!(&mut tx, c => sqlx::query("UPDATE leads SET concluded_on = $1, feedback_due = $2 WHERE id = $3")
                .bind(&on).bind(feedback).bind(id).execute(c).await)?;
        }
        // The clock restarts on every change of stage, and with a periodic review.
        if to != from || s.action == LeadAction::Review {
            let disposal = if matches!(s.action, LeadAction::SendBack | LeadAction::Redispose | LeadAction::Reopen) { None } else { facts.disposal };
            let due = clock_of(to, disposal).and_then(|c| env.due(c, env.today)).map(|d| d.to_string());
            exec_tx!(&mut tx, c => sqlx::query("UPDATE leads SET status = $1, step_since = $2, step_due = $3, updated_at = $4 WHERE id = $5")
                .bind(to.as_str()).bind(&on).bind(due).bind(Ts::now()).bind(id).execute(c).await)?;
        }
        record_step(&mut tx, who, id, None, s.action.as_str(), Some(from.as_str()), Some(to.as_str()), reason, env.today).await?;
        let detail = json!({ "from": from.as_str(), "to": to.as_str(), "reason": reason, "dual_inquiry": opened });
        commit_lead(tx, self, who, "leads.lead.act", id, Some(detail)).await
    }

    pub async fn lead(&self, id: Uuid) -> Result<Lead> {
        let mut q = Sql::new(select_leads!());
        q.push(" WHERE l.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Lead, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// The lead registered from a report, if any.
    pub async fn lead_of_report(&self, report: Uuid) -> Result<Option<Lead>> {
        let mut q = Sql::new(select_leads!());
        q.push(" WHERE l.report_id = ").arg(report);
        Ok(fetch_all_as!(&self.0.pool, Lead, q)?.into_iter().next())
    }

    fn ledger_where(scopes: &[OrgPath], f: &LeadFilter) -> Sql {
        let mut w = Sql::new(" WHERE ");
        w.scope_filter("u.path", scopes);
        if let Some(s) = f.status {
            w.push(" AND l.status = ").arg(s.as_str().to_string());
        }
        if let Some(d) = f.disposal {
            w.push(" AND l.disposal = ").arg(d.as_str().to_string());
        }
        if let Some(s) = f.source {
            w.push(" AND l.source = ").arg(s.as_str().to_string());
        }
        if f.open {
            w.push(" AND l.status <> 'concluded'");
        }
        if let Some(d) = &f.overdue_on {
            w.push(" AND l.step_due IS NOT NULL AND l.step_due < ").arg(d.clone());
        }
        if let Some(t) = f.text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
            w.push(" AND ").contains(&["l.lead_no", "l.subject_name", "l.summary", "su.name"], t);
        }
        if let Some(d) = &f.from {
            w.push(" AND l.received_on >= ").arg(d.clone());
        }
        if let Some(d) = &f.to {
            w.push(" AND l.received_on <= ").arg(d.clone());
        }
        if let Some(u) = f.unit_id {
            w.push(" AND (l.unit_id = ").arg(u).push(" OR l.subject_unit_id = ").arg(u).push(")");
        }
        if let Some(c) = f.category {
            w.push(" AND l.category = ").arg(c.as_str().to_string());
        }
        if let Some(p) = &f.within {
            w.push(" AND ").scope_filter("u.path", std::slice::from_ref(p));
        }
        if let Some((fig, start, end)) = &f.figure {
            // The SQL of `Figure::holds` (dates are ISO text on both engines).
            let (s1, e1) = (start.clone(), end.clone());
            match fig {
                Figure::Carried => {
                    w.push(" AND l.received_on < ").arg(s1.clone()).push(" AND (l.concluded_on IS NULL OR l.concluded_on >= ").arg(s1).push(")");
                }
                Figure::Received => {
                    w.push(" AND l.received_on >= ").arg(s1).push(" AND l.received_on <= ").arg(e1);
                }
                Figure::Concluded => {
                    w.push(" AND l.concluded_on >= ").arg(s1).push(" AND l.concluded_on <= ").arg(e1);
                }
                Figure::OpenAtEnd | Figure::OverdueAtEnd => {
                    w.push(" AND l.received_on <= ").arg(e1.clone()).push(" AND (l.concluded_on IS NULL OR l.concluded_on > ").arg(e1.clone()).push(")");
                    if *fig == Figure::OverdueAtEnd {
                        w.push(" AND l.step_due < ").arg(e1);
                    }
                }
                Figure::Active => {
                    w.push(" AND l.received_on <= ").arg(e1).push(" AND (l.concluded_on IS NULL OR l.concluded_on >= ").arg(s1).push(")");
                }
            }
        }
        if f.form.is_some() || f.person_level.is_some() || f.decided_from.is_some() || f.decided_to.is_some() {
            w.push(" AND EXISTS (SELECT 1 FROM lead_people lp WHERE lp.lead_id = l.id AND lp.form IS NOT NULL");
            if let Some(x) = f.form {
                w.push(" AND lp.form = ").arg(x.as_str().to_string());
            }
            if let Some(x) = f.person_level {
                w.push(" AND lp.level = ").arg(x.as_str().to_string());
            }
            if let Some(d) = &f.decided_from {
                w.push(" AND lp.decided_on >= ").arg(d.clone());
            }
            if let Some(d) = &f.decided_to {
                w.push(" AND lp.decided_on <= ").arg(d.clone());
            }
            w.push(")");
        }
        w
    }

    /// The ledger in scope (handling unit within `scopes`), newest first.
    pub async fn leads(&self, scopes: &[OrgPath], f: &LeadFilter, sort: &str, page: PageRequest) -> Result<Page<Lead>> {
        let w = Self::ledger_where(scopes, f);
        const FROM: &str = " FROM leads l JOIN org_units u ON u.id = l.unit_id JOIN org_units su ON su.id = l.subject_unit_id";
        let total = fetch_scalar!(&self.0.pool, i64, Sql { text: format!("SELECT COUNT(*){FROM}{}", w.text), args: w.args.clone() })?;
        let mut q = Sql { text: format!("{}{}", select_leads!(), w.text), args: w.args };
        q.push(match sort {
            "due" => " ORDER BY CASE WHEN l.step_due IS NULL THEN 1 ELSE 0 END, l.step_due, l.id",
            "no" => " ORDER BY l.lead_no",
            _ => " ORDER BY l.received_on DESC, l.id DESC",
        })
        .page(&page);
        Ok(page.of(fetch_all_as!(&self.0.pool, Lead, q)?, total))
    }

    /// Every lead in scope matching `f` (for the reconciliation and the statistics).
    pub async fn all_leads(&self, scopes: &[OrgPath], f: &LeadFilter) -> Result<Vec<Lead>> {
        let w = Self::ledger_where(scopes, f);
        let mut q = Sql { text: format!("{}{}", select_leads!(), w.text), args: w.args };
        q.push(" ORDER BY l.lead_no");
        Ok(fetch_all_as!(&self.0.pool, Lead, q)?)
    }

    /// Leads in id order after `after`, for building the search index.
    pub async fn lead_batch_after(&self, after: Option<Uuid>, limit: i64) -> Result<Vec<Lead>> {
        let mut q = Sql::new(select_leads!());
        match after {
            Some(a) => {
                q.push(" WHERE l.id > ").arg(a);
            }
            None => {
                q.push(" WHERE 1 = 1");
            }
        }
        q.push(" ORDER BY l.id LIMIT ").arg(limit);
        Ok(fetch_all_as!(&self.0.pool, Lead, q)?)
    }

    /// How many reports and leads are stored (to tell a stale search index).
    pub async fn counts(&self) -> Result<(i64, i64)> {
        let reports = fetch_scalar!(&self.0.pool, i64, Sql::new("SELECT COUNT(*) FROM reports"))?;
        let leads = fetch_scalar!(&self.0.pool, i64, Sql::new("SELECT COUNT(*) FROM leads"))?;
        Ok((reports, leads))
    }

    pub async fn steps(&self, lead: Uuid) -> Result<Vec<LeadStep>> {
        let mut q = Sql::new("SELECT * FROM lead_steps WHERE lead_id = ");
        q.arg(lead).push(" ORDER BY at, id");
        Ok(fetch_all_as!(&self.0.pool, LeadStep, q)?)
    }

    pub(crate) async fn lead_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_leads!());
        q.push(" ORDER BY l.id");
        Ok(fetch_all_as!(&self.0.pool, Lead, q)?.into_iter().map(|r| (r.id.to_string(), r.snapshot())).collect())
    }
}
