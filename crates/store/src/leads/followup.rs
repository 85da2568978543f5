//! What follows a lead's disposal: the 一案双查 inquiry opened by a heavy
//! outcome, referrals (移送) to another body, clearances (澄清正名), the
//! false-accusation mark (错告/诬告陷害) and the feedback to the reporter.

use super::ledger::{Lead, LeadEnv, commit_lead, lead_in, record_step};
use super::{CLEARANCE, INQUIRY, Leads, REFERRAL};
use crate::audit::{Draft, Who, append, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::audit::HashAlgo;
use qingfeng_domain::leads::clearance::{AccusationFault, ClearanceRequest, ClearanceScope, approve_clearance, mark_false_accusation, require_untrue};
use qingfeng_domain::leads::deadline::Clock;
use qingfeng_domain::leads::disposal::LeadStatus;
use qingfeng_domain::leads::dual_inquiry::{InquiryConclusion, Target, UnitDuties, required_inquiry, stationed_team, validate_conclusion};
use qingfeng_domain::leads::outcome::Form;
use qingfeng_domain::leads::referral::{End, ReferralAction, ReferralStatus, ReferralTarget, transition};
use qingfeng_domain::org::{OrgKind, OrgPath};
use serde_json::{Value, json};
use uuid::Uuid;

macro_rules! select_inquiries {
    () => {
        "SELECT i.id, i.lead_id, l.lead_no, l.subject_name, i.unit_id, u.name AS unit_name, hu.path AS handling_path, i.triggered_by, \
         i.targets, i.oversight_unknown, i.status, i.conclusion, i.opened_on, i.concluded_on, i.concluded_by, i.created_at, i.updated_at \
         FROM accountability_inquiries i JOIN leads l ON l.id = i.lead_id JOIN org_units u ON u.id = i.unit_id \
         JOIN org_units hu ON hu.id = l.unit_id"
    };
}

/// A 一案双查 inquiry into the unit's leaders and discipline body.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Inquiry {
    pub id: Uuid,
    pub lead_id: Uuid,
    pub lead_no: String,
    pub subject_name: String,
    pub unit_id: Uuid,
    pub unit_name: String,
    /// The handling unit's path (the inquiry is seen where the lead is).
    pub handling_path: String,
    pub triggered_by: String,
    pub targets: String,
    pub oversight_unknown: bool,
    pub status: String,
    pub conclusion: Option<String>,
    pub opened_on: String,
    pub concluded_on: Option<String>,
    pub concluded_by: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl Inquiry {
    pub fn targets(&self) -> Vec<Target> {
        serde_json::from_str(&self.targets).unwrap_or_default()
    }
    pub fn conclusion(&self) -> Option<InquiryConclusion> {
        self.conclusion.as_deref().and_then(|c| serde_json::from_str(c).ok())
    }
    pub fn triggered_by(&self) -> Form {
        Form::parse(&self.triggered_by).unwrap_or(Form::Second)
    }
    pub fn scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.handling_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.handling_path)))
    }
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "lead_id": self.lead_id, "unit_id": self.unit_id, "triggered_by": self.triggered_by,
            "targets": self.targets, "oversight_unknown": self.oversight_unknown, "status": self.status,
            "conclusion": self.conclusion, "opened_on": self.opened_on, "concluded_on": self.concluded_on,
            "concluded_by": self.concluded_by,
        })
    }
}

macro_rules! select_referrals {
    () => {
        "SELECT x.id, x.lead_id, l.lead_no, l.subject_name, x.matter, l.category, x.from_unit_id, fu.name AS from_unit_name, \
         fu.path AS from_path, x.to_unit_id, tu.name AS to_unit_name, tu.path AS to_path, x.target, x.reason, x.status, x.sent_on, \
         x.response_due, x.responded_on, x.response_reason, x.created_at, x.updated_at \
         FROM referrals x JOIN leads l ON l.id = x.lead_id JOIN org_units fu ON fu.id = x.from_unit_id JOIN org_units tu ON tu.id = x.to_unit_id"
    };
}

/// A referral with what the receiving side may see of the lead: its
/// number, the person and category, and the matter as the sender wrote it
/// for them — not the lead's summary, nothing of the report.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Referral {
    pub id: Uuid,
    pub lead_id: Uuid,
    pub lead_no: String,
    pub subject_name: String,
    pub matter: String,
    pub category: String,
    pub from_unit_id: Uuid,
    pub from_unit_name: String,
    pub from_path: String,
    pub to_unit_id: Uuid,
    pub to_unit_name: String,
    pub to_path: String,
    pub target: String,
    pub reason: String,
    pub status: String,
    pub sent_on: String,
    pub response_due: Option<String>,
    pub responded_on: Option<String>,
    pub response_reason: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl Referral {
    pub fn status(&self) -> ReferralStatus {
        ReferralStatus::parse(&self.status).unwrap_or(ReferralStatus::Sent)
    }
    pub fn target(&self) -> ReferralTarget {
        ReferralTarget::parse(&self.target).unwrap_or(ReferralTarget::DisciplineInspection)
    }
    pub fn from_scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.from_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.from_path)))
    }
    pub fn to_scope(&self) -> Result<OrgPath> {
        OrgPath::parse(&self.to_path).ok_or_else(|| StoreError::Corrupt(format!("org path `{}`", self.to_path)))
    }
    pub fn overdue(&self, today: &str) -> bool {
        self.status == "sent" && self.response_due.as_deref().is_some_and(|d| d < today)
    }
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "lead_id": self.lead_id, "from_unit_id": self.from_unit_id, "to_unit_id": self.to_unit_id,
            "target": self.target, "matter_sha256": HashAlgo::Sha256.digest(self.matter.as_bytes()), "reason": self.reason,
            "status": self.status, "sent_on": self.sent_on,
            "response_due": self.response_due, "responded_on": self.responded_on, "response_reason": self.response_reason,
        })
    }
}

/// A clearance (澄清正名) proposed and decided.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Clearance {
    pub id: Uuid,
    pub lead_id: Uuid,
    pub person_name: String,
    pub scope: String,
    pub consent: bool,
    pub body: String,
    pub status: String,
    pub proposed_by: Uuid,
    pub decided_by: Option<Uuid>,
    pub decided_on: Option<String>,
    pub created_at: Ts,
    pub updated_at: Ts,
}

impl Clearance {
    pub fn scope(&self) -> ClearanceScope {
        ClearanceScope::parse(&self.scope).unwrap_or(ClearanceScope::Person)
    }
    pub fn snapshot(&self) -> Value {
        json!({
            "id": self.id, "lead_id": self.lead_id, "person_name": self.person_name, "scope": self.scope,
            "consent": self.consent, "body_sha256": HashAlgo::Sha256.digest(self.body.as_bytes()), "status": self.status,
            "proposed_by": self.proposed_by, "decided_by": self.decided_by, "decided_on": self.decided_on,
        })
    }
}

pub(crate) async fn inquiry_of_in(tx: &mut Tx, lead: Uuid) -> Result<Option<Inquiry>> {
    let mut q = Sql::new(select_inquiries!());
    q.push(" WHERE i.lead_id = ").arg(lead);
    Ok(fetch_all_tx!(tx, Inquiry, q)?.into_iter().next())
}

async fn inquiry_in(tx: &mut Tx, id: Uuid) -> Result<Inquiry> {
    let mut q = Sql::new(select_inquiries!());
    q.push(" WHERE i.id = ").arg(id);
    fetch_all_tx!(tx, Inquiry, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

async fn referral_in(tx: &mut Tx, id: Uuid) -> Result<Referral> {
    let mut q = Sql::new(select_referrals!());
    q.push(" WHERE x.id = ").arg(id);
    fetch_all_tx!(tx, Referral, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

async fn clearance_in(tx: &mut Tx, id: Uuid) -> Result<Clearance> {
    let mut q = Sql::new("SELECT * FROM clearances WHERE id = ");
    q.arg(id);
    fetch_all_tx!(tx, Clearance, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

#[derive(sqlx::FromRow)]
struct Child {
    id: Uuid,
    name: String,
    kind: String,
}

async fn children_in(tx: &mut Tx, id: Uuid) -> Result<Vec<Child>> {
    let mut q = Sql::new("SELECT id, name, kind FROM org_units WHERE active AND parent_id = ");
    q.arg(id).push(" ORDER BY sort_order, id");
    Ok(fetch_all_tx!(tx, Child, q)?)
}

/// The discipline body that oversees `unit`: walking up from the unit, the
/// first ancestor with a 纪委 among its children; within that 纪委, the
/// 派驻纪检组 named after the unit's branch of the tree under that ancestor
/// (`dual_inquiry::stationed_team`), else the 纪委 itself. A unit that is
/// itself a discipline body is overseen by the body above it.
async fn oversight_of(tx: &mut Tx, unit: Uuid) -> Result<Option<Uuid>> {
    let mut chain = vec![crate::org::get_in(tx, unit).await?];
    loop {
        let Some(parent) = chain.last().and_then(|u| u.parent_id) else { return Ok(None) };
        let p = crate::org::get_in(tx, parent).await?;
        let kids = children_in(tx, p.id).await?;
        if let Some(c) = kids.iter().find(|k| k.kind == OrgKind::DisciplineCommission.as_str() && !chain.iter().any(|u| u.id == k.id)) {
            let teams: Vec<(Uuid, String)> = children_in(tx, c.id)
                .await?
                .into_iter()
                .filter(|t| t.kind == OrgKind::StationedTeam.as_str())
                .map(|t| (t.id, t.name))
                .collect();
            let branch = chain.last().map(|b| b.name.as_str()).unwrap_or_default();
            return Ok(Some(stationed_team(branch, &p.name, &teams).unwrap_or(c.id)));
        }
        chain.push(p);
    }
}

/// Opens the 一案双查 inquiry a conclusion requires, inside the
/// concluding transaction; `None` when the outcomes do not require one.
pub(crate) async fn open_inquiry_if_required(
    tx: &mut Tx,
    algo: HashAlgo,
    who: &Who,
    lead: &Lead,
    forms: &[Form],
    env: &LeadEnv<'_>,
) -> Result<Option<Uuid>> {
    let mut q = Sql::new("SELECT id FROM people WHERE active AND is_head AND org_unit_id = ");
    q.arg(lead.subject_unit_id).push(" ORDER BY sort_order, id LIMIT 1");
    #[derive(sqlx::FromRow)]
    struct I {
        id: Uuid,
    }
    let head = fetch_all_tx!(tx, I, q)?.into_iter().next().map(|i| i.id);
    let duties = UnitDuties {
        unit_id: lead.subject_unit_id,
        head,
        supervising_leaders: Vec::new(),
        discipline_unit: oversight_of(tx, lead.subject_unit_id).await?,
    };
    let Some(spec) = required_inquiry(forms, &duties, env.rules) else { return Ok(None) };
    let id = Uuid::now_v7();
    let targets = serde_json::to_string(&spec.targets).map_err(|e| StoreError::Corrupt(e.to_string()))?;
    exec_tx!(tx, c => sqlx::query(
        "INSERT INTO accountability_inquiries (id, lead_id, unit_id, triggered_by, targets, oversight_unknown, status, conclusion, opened_on, \
         concluded_on, concluded_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, 'open', NULL, $7, NULL, NULL, $8, $8)")
        .bind(id).bind(lead.id).bind(spec.unit_id).bind(spec.triggered_by.as_str()).bind(targets).bind(spec.oversight_unknown)
        .bind(env.today.to_string()).bind(Ts::now()).execute(c).await)?;
    let i = inquiry_in(tx, id).await?;
    append(tx, algo, who, Draft::change("leads.dual_inquiry.open", INQUIRY, id, Some(lead.unit_id), i.snapshot())).await?;
    Ok(Some(id))
}

/// 重新启动: what followed the conclusion no longer stands — the disposal,
/// the finding, the dates, the result told to the reporter (withdrawn from
/// the report and its 重复件), the 错告/诬告 mark, and approved clearances
/// (withdrawn). The inquiry and the people's outcomes stay on record.
pub(crate) async fn undo_conclusion(tx: &mut Tx, algo: HashAlgo, who: &Who, lead: &Lead) -> Result<()> {
    exec_tx!(tx, c => sqlx::query(
        "UPDATE leads SET disposal = NULL, proposed_by = NULL, proposal_note = NULL, finding = NULL, concluded_on = NULL, feedback_due = NULL, \
         result_text = NULL, fed_back_on = NULL, false_accusation = NULL, false_author = NULL, false_reason = NULL WHERE id = $1")
        .bind(lead.id).execute(c).await)?;
    if let Some(report) = lead.report_id {
        let mut q = Sql::new("SELECT id FROM reports WHERE result_text IS NOT NULL AND (id = ");
        q.arg(report).push(" OR duplicate_of = ").arg(report).push(")");
        #[derive(sqlx::FromRow)]
        struct I {
            id: Uuid,
        }
        for r in fetch_all_tx!(tx, I, q)? {
            exec_tx!(tx, c => sqlx::query("UPDATE reports SET result_text = NULL, updated_at = $1 WHERE id = $2").bind(Ts::now()).bind(r.id).execute(c).await)?;
            let rep = super::reports::report_in(tx, r.id).await?;
            append(tx, algo, who, Draft::change("leads.report.result_withdrawn", super::REPORT, r.id, Some(lead.unit_id), rep.snapshot())).await?;
        }
    }
    let mut q = Sql::new("SELECT * FROM clearances WHERE status = 'approved' AND lead_id = ");
    q.arg(lead.id);
    for x in fetch_all_tx!(tx, Clearance, q)? {
        exec_tx!(tx, c => sqlx::query("UPDATE clearances SET status = 'withdrawn', updated_at = $1 WHERE id = $2").bind(Ts::now()).bind(x.id).execute(c).await)?;
        let x = clearance_in(tx, x.id).await?;
        append(tx, algo, who, Draft::change("leads.clearance.withdraw", CLEARANCE, x.id, Some(lead.unit_id), x.snapshot())).await?;
    }
    Ok(())
}

impl Leads<'_> {
    pub async fn inquiry_of(&self, lead: Uuid) -> Result<Option<Inquiry>> {
        let mut q = Sql::new(select_inquiries!());
        q.push(" WHERE i.lead_id = ").arg(lead);
        Ok(fetch_all_as!(&self.0.pool, Inquiry, q)?.into_iter().next())
    }

    pub async fn inquiry(&self, id: Uuid) -> Result<Inquiry> {
        let mut q = Sql::new(select_inquiries!());
        q.push(" WHERE i.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Inquiry, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Inquiries of leads handled within `scopes`; open ones first.
    pub async fn inquiries(&self, scopes: &[OrgPath], open_only: bool) -> Result<Vec<Inquiry>> {
        let mut q = Sql::new(select_inquiries!());
        q.push(" WHERE ").scope_filter("hu.path", scopes);
        if open_only {
            q.push(" AND i.status = 'open'");
        }
        q.push(" ORDER BY CASE WHEN i.status = 'open' THEN 0 ELSE 1 END, i.opened_on, i.id");
        Ok(fetch_all_as!(&self.0.pool, Inquiry, q)?)
    }

    /// Concludes an inquiry: 问责 decisions on its targets, or a reasoned
    /// "no accountability".
    pub async fn conclude_inquiry(&self, who: &Who, id: Uuid, c: &InquiryConclusion, env: &LeadEnv<'_>) -> Result<Inquiry> {
        let mut tx = self.0.pool.begin_write().await?;
        let i = inquiry_in(&mut tx, id).await?;
        if i.status != "open" {
            return Err(Refusal::new("inquiry_concluded", "该追责调查已办结", "the inquiry is already concluded").into());
        }
        validate_conclusion(&i.targets(), c)?;
        let json = serde_json::to_string(c).map_err(|e| StoreError::Corrupt(e.to_string()))?;
        exec_tx!(&mut tx, cx => sqlx::query("UPDATE accountability_inquiries SET status = 'concluded', conclusion = $1, concluded_on = $2, concluded_by = $3, updated_at = $4 WHERE id = $5")
            .bind(json).bind(env.today.to_string()).bind(&who.label).bind(Ts::now()).bind(id).execute(cx).await)?;
        record_step(&mut tx, who, i.lead_id, None, "dual_inquiry_conclude", None, None, None, env.today).await?;
        let i = inquiry_in(&mut tx, id).await?;
        let l = lead_in(&mut tx, i.lead_id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("leads.dual_inquiry.conclude", INQUIRY, id, Some(l.unit_id), i.snapshot())).await?;
        Ok(i)
    }

    /// 移送: refers a lead to another body with the matter as the receiver
    /// may read it and a reason; the receiving side must answer by the
    /// configured working-day limit.
    #[allow(clippy::too_many_arguments)]
    pub async fn refer(&self, who: &Who, lead: Uuid, to_unit: Uuid, target: ReferralTarget, matter: &str, reason: &str, env: &LeadEnv<'_>) -> Result<Referral> {
        let (matter, reason) = (matter.trim(), reason.trim());
        let mut v = qingfeng_domain::msg::Validation::new();
        if !(10..=4000).contains(&matter.chars().count()) {
            v.add("matter", qingfeng_domain::Msg::new("请写明移送事项（10至4000字）", "describe what is referred (10–4000 characters)"));
        }
        if !(2..=2000).contains(&reason.chars().count()) {
            v.add("reason", qingfeng_domain::Msg::new("请写明移送理由", "give the reason for the referral"));
        }
        v.into_result()?;
        let mut tx = self.0.pool.begin_write().await?;
        let l = lead_in(&mut tx, lead).await?;
        crate::org::get_in(&mut tx, to_unit).await?;
        if to_unit == l.unit_id {
            return Err(Refusal::new("refer_to_self", "不能移送给本单位", "cannot refer to the handling unit itself").into());
        }
        let mut q = Sql::new(select_referrals!());
        q.push(" WHERE x.lead_id = ").arg(lead).push(" AND x.status = 'sent'");
        if !fetch_all_tx!(&mut tx, Referral, q)?.is_empty() {
            return Err(Refusal::new("referral_pending", "已有移送等待对方接收或退回", "a referral is already waiting for an answer").into());
        }
        let id = Uuid::now_v7();
        let due = env.due_of(Clock::ReferralResponse).map(|d| d.to_string());
        let now = Ts::now();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO referrals (id, lead_id, from_unit_id, to_unit_id, target, matter, reason, status, sent_on, response_due, responded_on, response_reason, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, 'sent', $8, $9, NULL, NULL, $10, $10)")
            .bind(id).bind(lead).bind(l.unit_id).bind(to_unit).bind(target.as_str()).bind(matter).bind(reason).bind(env.today.to_string()).bind(due).bind(now)
            .execute(c).await)?;
        record_step(&mut tx, who, lead, Some(id), "refer", None, None, Some(reason), env.today).await?;
        let r = referral_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("leads.referral.send", REFERRAL, id, Some(l.unit_id), r.snapshot())).await?;
        Ok(r)
    }

    /// The receiving side accepts or returns (with a reason); a returned
    /// referral may be sent again by the sender with an explanation.
    pub async fn answer_referral(&self, who: &Who, id: Uuid, action: ReferralAction, by: End, reason: Option<&str>, env: &LeadEnv<'_>) -> Result<Referral> {
        let mut tx = self.0.pool.begin_write().await?;
        let r = referral_in(&mut tx, id).await?;
        let to = transition(r.status(), action, by, reason)?;
        let reason = reason.map(str::trim).filter(|s| !s.is_empty());
        if action == ReferralAction::Resend {
            let due = env.due_of(Clock::ReferralResponse).map(|d| d.to_string());
            exec_tx!(&mut tx, c => sqlx::query("UPDATE referrals SET status = $1, sent_on = $2, response_due = $3, responded_on = NULL, response_reason = NULL, updated_at = $4 WHERE id = $5")
                .bind(to.as_str()).bind(env.today.to_string()).bind(due).bind(Ts::now()).bind(id).execute(c).await)?;
        } else {
            exec_tx!(&mut tx, c => sqlx::query("UPDATE referrals SET status = $1, responded_on = $2, response_reason = $3, updated_at = $4 WHERE id = $5")
                .bind(to.as_str()).bind(env.today.to_string()).bind(reason).bind(Ts::now()).bind(id).execute(c).await)?;
        }
        record_step(&mut tx, who, r.lead_id, Some(id), &format!("referral_{}", action.as_str()), Some(r.status.as_str()), Some(to.as_str()), reason, env.today).await?;
        let r2 = referral_in(&mut tx, id).await?;
        let unit = if by == End::Receiver { r2.to_unit_id } else { r2.from_unit_id };
        commit_with(tx, self.0.algo, who, Draft::change("leads.referral.answer", REFERRAL, id, Some(unit), r2.snapshot())).await?;
        Ok(r2)
    }

    pub async fn referral(&self, id: Uuid) -> Result<Referral> {
        let mut q = Sql::new(select_referrals!());
        q.push(" WHERE x.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Referral, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub async fn referrals_of(&self, lead: Uuid) -> Result<Vec<Referral>> {
        let mut q = Sql::new(select_referrals!());
        q.push(" WHERE x.lead_id = ").arg(lead).push(" ORDER BY x.created_at, x.id");
        Ok(fetch_all_as!(&self.0.pool, Referral, q)?)
    }

    /// Referrals sent to units within `to_scopes` or from units within
    /// `from_scopes`; waiting ones first.
    pub async fn referrals(&self, to_scopes: &[OrgPath], from_scopes: &[OrgPath]) -> Result<Vec<Referral>> {
        let mut q = Sql::new(select_referrals!());
        q.push(" WHERE (").scope_filter("tu.path", to_scopes).push(" OR ").scope_filter("fu.path", from_scopes).push(")");
        q.push(" ORDER BY CASE WHEN x.status = 'sent' THEN 0 ELSE 1 END, x.sent_on DESC, x.id");
        Ok(fetch_all_as!(&self.0.pool, Referral, q)?)
    }

    /// Steps recorded on a referral (its trail, seen from both ends).
    pub async fn referral_steps(&self, referral: Uuid) -> Result<Vec<super::LeadStep>> {
        let mut q = Sql::new("SELECT * FROM lead_steps WHERE referral_id = ");
        q.arg(referral).push(" ORDER BY at, id");
        Ok(fetch_all_as!(&self.0.pool, super::LeadStep, q)?)
    }

    /// Proposes a clearance for a lead concluded as untrue.
    pub async fn propose_clearance(&self, who: &Who, lead: Uuid, person_name: &str, scope: ClearanceScope, consent: bool, body: &str) -> Result<Clearance> {
        let by = who.account_id.ok_or_else(|| Refusal::new("account_required", "须以本人账号办理", "a signed-in account is required"))?;
        let mut v = qingfeng_domain::msg::Validation::new();
        if person_name.trim().is_empty() {
            v.add("person_name", qingfeng_domain::Msg::new("请填写被澄清人", "who is cleared"));
        }
        if body.trim().chars().count() < 10 {
            v.add("body", qingfeng_domain::Msg::new("请填写澄清内容（不少于10字）", "write the clearance text (10 characters or more)"));
        }
        v.into_result()?;
        let mut tx = self.0.pool.begin_write().await?;
        let l = lead_in(&mut tx, lead).await?;
        require_untrue(l.status(), l.finding())?;
        let id = Uuid::now_v7();
        let now = Ts::now();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO clearances (id, lead_id, person_name, scope, consent, body, status, proposed_by, decided_by, decided_on, created_at, updated_at) \
             VALUES ($1, $2, $3, $4, $5, $6, 'proposed', $7, NULL, NULL, $8, $8)")
            .bind(id).bind(lead).bind(person_name.trim()).bind(scope.as_str()).bind(consent).bind(body.trim()).bind(by).bind(now)
            .execute(c).await)?;
        let x = clearance_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("leads.clearance.propose", CLEARANCE, id, Some(l.unit_id), x.snapshot())).await?;
        Ok(x)
    }

    /// The approver (never the proposer) approves or refuses a clearance.
    pub async fn decide_clearance(&self, who: &Who, id: Uuid, approve: bool, env: &LeadEnv<'_>) -> Result<Clearance> {
        let by = who.account_id.ok_or_else(|| Refusal::new("account_required", "须以本人账号办理", "a signed-in account is required"))?;
        let mut tx = self.0.pool.begin_write().await?;
        let x = clearance_in(&mut tx, id).await?;
        if x.status != "proposed" {
            return Err(Refusal::new("already_decided", "该澄清已审批", "already decided").into());
        }
        let l = lead_in(&mut tx, x.lead_id).await?;
        if approve {
            approve_clearance(l.status(), l.finding(), ClearanceRequest { proposer: x.proposed_by, approver: by, scope: x.scope(), person_consents: x.consent }, env.rules)?;
        } else if by == x.proposed_by {
            return Err(Refusal::new("approver_is_proposer", "提出澄清的人不能自己审批", "the proposer cannot decide").into());
        }
        exec_tx!(&mut tx, c => sqlx::query("UPDATE clearances SET status = $1, decided_by = $2, decided_on = $3, updated_at = $4 WHERE id = $5")
            .bind(if approve { "approved" } else { "refused" }).bind(by).bind(env.today.to_string()).bind(Ts::now()).bind(id).execute(c).await)?;
        record_step(&mut tx, who, l.id, None, if approve { "clearance_approve" } else { "clearance_refuse" }, None, None, None, env.today).await?;
        let x = clearance_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("leads.clearance.decide", CLEARANCE, id, Some(l.unit_id), x.snapshot())).await?;
        Ok(x)
    }

    pub async fn clearance(&self, id: Uuid) -> Result<Clearance> {
        let mut q = Sql::new("SELECT * FROM clearances WHERE id = ");
        q.arg(id);
        fetch_all_as!(&self.0.pool, Clearance, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub async fn clearances(&self, lead: Uuid) -> Result<Vec<Clearance>> {
        let mut q = Sql::new("SELECT * FROM clearances WHERE lead_id = ");
        q.arg(lead).push(" ORDER BY created_at, id");
        Ok(fetch_all_as!(&self.0.pool, Clearance, q)?)
    }

    /// Approved clearances of leads handled within `scopes` (the public list of 澄清正名).
    pub async fn approved_clearances(&self, scopes: &[OrgPath]) -> Result<Vec<(Clearance, String)>> {
        #[derive(sqlx::FromRow)]
        struct Row {
            #[sqlx(flatten)]
            c: Clearance,
            lead_no: String,
        }
        let mut q = Sql::new("SELECT c.*, l.lead_no FROM clearances c JOIN leads l ON l.id = c.lead_id JOIN org_units u ON u.id = l.unit_id WHERE c.status = 'approved' AND ");
        q.scope_filter("u.path", scopes).push(" ORDER BY c.decided_on DESC, c.id");
        Ok(fetch_all_as!(&self.0.pool, Row, q)?.into_iter().map(|r| (r.c, r.lead_no)).collect())
    }

    /// 错告 / 诬告陷害 on a lead concluded as untrue. A deliberate one is
    /// linked to the real-name reporter (identity stays sealed) or to a
    /// person the inquiry identified.
    pub async fn mark_false(&self, who: &Who, lead: Uuid, fault: AccusationFault, identified: Option<Uuid>, reason: &str, env: &LeadEnv<'_>) -> Result<Lead> {
        let mut tx = self.0.pool.begin_write().await?;
        let l = lead_in(&mut tx, lead).await?;
        if l.false_accusation.is_some() {
            return Err(Refusal::new("already_marked", "已作认定", "already marked").into());
        }
        let real_name = match l.report_id {
            Some(r) => super::reports::report_in(&mut tx, r).await?.real_name,
            None => false,
        };
        let m = mark_false_accusation(l.status(), l.finding(), fault, real_name, identified, reason)?;
        let author = m.author.map(|a| serde_json::to_string(&a)).transpose().map_err(|e| StoreError::Corrupt(e.to_string()))?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE leads SET false_accusation = $1, false_author = $2, false_reason = $3, updated_at = $4 WHERE id = $5")
            .bind(m.fault.as_str()).bind(author).bind(&m.reason).bind(Ts::now()).bind(lead).execute(c).await)?;
        record_step(&mut tx, who, lead, None, "false_accusation", None, None, Some(&m.reason), env.today).await?;
        commit_lead(tx, self, who, "leads.lead.false_accusation", lead, None).await
    }

    /// The result text for the reporter: released on a concluded lead, to
    /// its report and that report's 重复件.
    pub async fn feed_back(&self, who: &Who, lead: Uuid, text: &str, env: &LeadEnv<'_>) -> Result<Lead> {
        let text = text.trim();
        if text.chars().count() < 4 || text.chars().count() > 1000 {
            let mut v = qingfeng_domain::msg::Validation::new();
            v.add("text", qingfeng_domain::Msg::new("请填写反馈内容（4至1000字）", "write the feedback (4–1000 characters)"));
            return Err(v.into());
        }
        let mut tx = self.0.pool.begin_write().await?;
        let l = lead_in(&mut tx, lead).await?;
        if l.status() != LeadStatus::Concluded {
            return Err(Refusal::new("lead_not_concluded", "线索办结后才能反馈处理结果", "conclude the lead first").into());
        }
        let Some(report) = l.report_id else {
            return Err(Refusal::new("no_reporter", "该线索不是来自信访举报，没有反馈对象", "the lead has no reporter").into());
        };
        exec_tx!(&mut tx, c => sqlx::query("UPDATE leads SET result_text = $1, fed_back_on = $2, updated_at = $3 WHERE id = $4")
            .bind(text).bind(env.today.to_string()).bind(Ts::now()).bind(lead).execute(c).await)?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE reports SET result_text = $1, updated_at = $2 WHERE id = $3 OR duplicate_of = $3")
            .bind(text).bind(Ts::now()).bind(report).execute(c).await)?;
        let mut q = Sql::new("SELECT id FROM reports WHERE id = ");
        q.arg(report).push(" OR duplicate_of = ").arg(report);
        #[derive(sqlx::FromRow)]
        struct I {
            id: Uuid,
        }
        for r in fetch_all_tx!(&mut tx, I, q)? {
            let rep = super::reports::report_in(&mut tx, r.id).await?;
            append(&mut tx, self.0.algo, who, Draft::change("leads.report.result", super::REPORT, r.id, Some(l.unit_id), rep.snapshot())).await?;
        }
        record_step(&mut tx, who, lead, None, "feed_back", None, None, None, env.today).await?;
        commit_lead(tx, self, who, "leads.lead.feed_back", lead, None).await
    }

    pub(crate) async fn inquiry_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_inquiries!());
        q.push(" ORDER BY i.id");
        Ok(fetch_all_as!(&self.0.pool, Inquiry, q)?.into_iter().map(|r| (r.id.to_string(), r.snapshot())).collect())
    }

    pub(crate) async fn referral_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_referrals!());
        q.push(" ORDER BY x.id");
        Ok(fetch_all_as!(&self.0.pool, Referral, q)?.into_iter().map(|r| (r.id.to_string(), r.snapshot())).collect())
    }

    pub(crate) async fn clearance_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let q = Sql::new("SELECT * FROM clearances ORDER BY id");
        Ok(fetch_all_as!(&self.0.pool, Clearance, q)?.into_iter().map(|r| (r.id.to_string(), r.snapshot())).collect())
    }
}
