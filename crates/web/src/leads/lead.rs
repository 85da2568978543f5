//! A lead's page: the steps the lifecycle table allows this user, the
//! people concerned and their outcomes (四种形态), and what followed.

use crate::AppState;
use crate::api::PathId;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::Form;
use crate::layout::{Layout, done, form_page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::leads::disposal::{Disposal, LeadAction, LeadActor, LeadStatus, available};
use qingfeng_domain::leads::outcome::{AdminSanction, Form as Shape, Measure, PartySanction, PersonFacts, PersonOutcome};
use qingfeng_domain::leads::report::PersonLevel;
use qingfeng_domain::leads::Finding;
use qingfeng_store::leads::{Clearance, Inquiry, Lead, LeadPerson, LeadStep, NewPerson, Referral, Step};
use serde::Deserialize;
use uuid::Uuid;
use super::ledger::{Env, visible_lead};

#[derive(Template)]
#[template(path = "leads/lead.html")]
struct LeadPage {
    l: Layout,
    x: Lead,
    steps: Vec<LeadStep>,
    people: Vec<LeadPerson>,
    inquiry: Option<Inquiry>,
    referrals: Vec<Referral>,
    clearances: Vec<Clearance>,
    duplicates: usize,
    actions: Vec<LeadAction>,
    can_manage: bool,
    can_approve: bool,
    me: Uuid,
    targets: Vec<crate::org::UnitOption>,
    error: Option<String>,
    today: String,
}

impl LeadPage {
    fn status(&self) -> String {
        self.l.t.m(self.x.status().label())
    }
    fn disposal(&self) -> String {
        self.x.disposal().map(|d| self.l.t.m(d.label())).unwrap_or_else(|| "—".into())
    }
    fn finding(&self) -> String {
        self.x.finding().map(|d| self.l.t.m(d.label())).unwrap_or_else(|| "—".into())
    }
    fn source(&self) -> String {
        self.l.t.m(self.x.source().label())
    }
    fn category(&self) -> String {
        self.l.t.m(self.x.category().label())
    }
    fn level(&self) -> String {
        self.l.t.m(self.x.level().label())
    }
    fn action_label(&self, a: &LeadAction) -> String {
        self.l.t.m(a.label())
    }
    fn needs_disposal(&self, a: &LeadAction) -> bool {
        *a == LeadAction::Propose
    }
    fn needs_finding(&self, a: &LeadAction) -> bool {
        matches!(a, LeadAction::Assess | LeadAction::ReportFindings) || (*a == LeadAction::Conclude && self.x.finding.is_none())
    }
    fn needs_reason(&self, a: &LeadAction) -> bool {
        matches!(a, LeadAction::SendBack | LeadAction::Redispose | LeadAction::Reopen)
    }
    fn optional_note(&self, a: &LeadAction) -> bool {
        matches!(a, LeadAction::Propose | LeadAction::HoldTalk | LeadAction::SendLetter | LeadAction::ReceiveReply | LeadAction::Review)
    }
    fn primary(&self, a: &LeadAction) -> bool {
        !self.needs_reason(a)
    }
    fn disposals(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<Disposal>()
    }
    fn findings(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<Finding>()
    }
    fn levels(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<PersonLevel>()
    }
    fn measures(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<Measure>()
    }
    fn party_sanctions(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<PartySanction>()
    }
    fn admin_sanctions(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<AdminSanction>()
    }
    fn forms(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<Shape>()
    }
    fn referral_targets(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<qingfeng_domain::leads::referral::ReferralTarget>()
    }
    fn scopes(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<qingfeng_domain::leads::clearance::ClearanceScope>()
    }
    fn person_form(&self, p: &LeadPerson) -> String {
        p.form().map(|f| self.l.t.m(f.label())).unwrap_or_default()
    }
    fn person_outcome(&self, p: &LeadPerson) -> String {
        outcome_text(&self.l.t, p)
    }
    fn person_level(&self, p: &LeadPerson) -> String {
        self.l.t.m(p.level().label())
    }
    fn step_label(&self, s: &LeadStep) -> String {
        step_label(&self.l.t, s)
    }
    fn step_status(&self, s: &LeadStep) -> String {
        s.to_status.as_deref().and_then(LeadStatus::parse).map(|x| self.l.t.m(x.label())).unwrap_or_default()
    }
    fn referral_status(&self, r: &Referral) -> String {
        self.l.t.m(r.status().label())
    }
    fn referral_target(&self, r: &Referral) -> String {
        self.l.t.m(r.target().label())
    }
    fn clearance_scope(&self, c: &Clearance) -> String {
        self.l.t.m(c.scope().label())
    }
    fn clearance_status(&self, c: &Clearance) -> String {
        self.l.t.s(format!("leads.clearance_{}", c.status)).into_owned()
    }
    fn mine(&self, c: &Clearance) -> bool {
        c.proposed_by == self.me
    }
    fn concluded(&self) -> bool {
        self.x.status() == LeadStatus::Concluded
    }
    fn untrue(&self) -> bool {
        self.concluded() && self.x.finding() == Some(Finding::Unsubstantiated)
    }
    fn step_late(&self) -> bool {
        self.x.overdue(&self.today)
    }
    fn clock(&self) -> String {
        qingfeng_domain::leads::disposal::clock_of(self.x.status(), self.x.disposal()).map(|c| self.l.t.m(c.label())).unwrap_or_default()
    }
    fn false_label(&self) -> String {
        match self.x.false_accusation.as_deref() {
            Some("mistaken") => self.l.t.s("leads.false_mistaken").into_owned(),
            Some(_) if self.x.false_author.is_some() => self.l.t.s("leads.false_deliberate_linked").into_owned(),
            Some(_) => self.l.t.s("leads.false_deliberate").into_owned(),
            None => String::new(),
        }
    }
    fn inquiry_status(&self, i: &Inquiry) -> String {
        self.l.t.s(format!("leads.inquiry_{}", i.status)).into_owned()
    }
}

/// A person's outcome in words: measures, sanctions with their effect periods.
pub fn outcome_text(t: &crate::i18n::T, p: &LeadPerson) -> String {
    let Some(o) = p.outcome() else { return t.s("leads.no_outcome").into_owned() };
    let mut parts: Vec<String> = o.measures.iter().map(|m| t.m(m.label())).collect();
    if let Some(s) = o.party {
        let until = p.party_effect_end.as_deref().map(|d| format!("（{}{d}）", t.s("leads.effect_until"))).unwrap_or_default();
        let zh = t.0 == qingfeng_domain::Lang::Zh;
        let term = o.probation_months.map(|m| if zh { format!("{}年", m / 12) } else { format!(" ({}-year)", m / 12) }).unwrap_or_default();
        let prefix = match (zh, s) {
            (true, PartySanction::Warning | PartySanction::SeriousWarning) => "党内",
            (false, PartySanction::Warning | PartySanction::SeriousWarning) => "party ",
            _ => "",
        };
        parts.push(format!("{prefix}{}{}{}", t.m(s.label()), term, until));
    }
    if let Some(a) = o.admin {
        let until = p.admin_effect_end.as_deref().map(|d| format!("（{}{d}）", t.s("leads.sanction_until"))).unwrap_or_default();
        let name = match (t.0 == qingfeng_domain::Lang::Zh, a) {
            (true, AdminSanction::Expulsion) => "开除公职".to_string(),
            (true, _) => format!("政务{}", t.m(a.label())),
            (false, _) => format!("administrative {}", t.m(a.label()).to_lowercase()),
        };
        parts.push(format!("{name}{until}"));
    }
    if parts.is_empty() { t.s("leads.no_measure").into_owned() } else { parts.join("、") }
}

fn step_label(t: &crate::i18n::T, s: &LeadStep) -> String {
    match LeadAction::parse(&s.action) {
        Some(a) => t.m(a.label()),
        None => t.s(format!("leads.step_{}", s.action)).into_owned(),
    }
}

/// Referral targets: the units the user sees and the top two levels of the tree.
pub async fn referral_units(state: &AppState, user: &User) -> AppResult<Vec<crate::org::UnitOption>> {
    let mut out: Vec<crate::org::UnitOption> = Vec::new();
    for root in state.store.orgs().children(None, false).await? {
        out.push(crate::org::UnitOption { id: root.unit.id, name: root.unit.name.clone(), kind: root.unit.kind, depth: 0 });
        for k in state.store.orgs().children(Some(root.unit.id), false).await? {
            out.push(crate::org::UnitOption { id: k.unit.id, name: k.unit.name.clone(), kind: k.unit.kind, depth: 1 });
        }
    }
    for u in crate::org::unit_options(state, user, Action::ViewLeads).await? {
        if !out.iter().any(|o| o.id == u.id) {
            out.push(u);
        }
    }
    Ok(out)
}

pub async fn lead_page(state: &AppState, ctx: &Ctx, user: &User, id: Uuid, error: Option<String>) -> AppResult<Response> {
    let x = visible_lead(state, user, id, Action::ViewLeads).await?;
    let scope = x.scope()?;
    let can_manage = user.can(Action::ManageLeads, &scope);
    let can_approve = user.can(Action::ApproveDisposal, &scope);
    let actor = LeadActor { id: user.account.id, handler: can_manage, approver: can_approve };
    let actions = available(x.status(), x.disposal(), actor)
        .into_iter()
        // The proposer signs off nothing of their own proposal (the lifecycle refuses it; the button is not offered).
        .filter(|a| !(matches!(a, LeadAction::Approve | LeadAction::SendBack | LeadAction::ApprovePlan | LeadAction::Conclude) && x.proposed_by == Some(user.account.id)))
        .collect();
    let s = state.store.leads();
    let duplicates = match x.report_id {
        Some(r) => s.duplicates_of(r).await?.len(),
        None => 0,
    };
    let invalid = error.is_some();
    let p = LeadPage {
        l: Layout::new(state, ctx, "leads", format!("{} {}", x.lead_no, x.subject_name)),
        steps: s.steps(id).await?,
        people: s.people(id).await?,
        inquiry: s.inquiry_of(id).await?,
        referrals: s.referrals_of(id).await?,
        clearances: s.clearances(id).await?,
        duplicates,
        actions,
        can_manage,
        can_approve,
        me: user.account.id,
        targets: if can_manage { referral_units(state, user).await? } else { Vec::new() },
        error,
        today: crate::rectify::today().to_string(),
        x,
    };
    form_page(&p, invalid)
}

/// `GET /leads/items/{id}`.
pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    lead_page(&state, &ctx, &user, id, None).await
}

/// Answers a command: back to the lead, or the lead's page with the refusal or the first invalid field.
pub async fn answered<T>(state: &AppState, ctx: &Ctx, user: &User, id: Uuid, r: Result<T, qingfeng_store::StoreError>) -> AppResult<Response> {
    match r.map_err(AppError::from) {
        Ok(_) => Ok(done(state, &format!("/leads/items/{id}"), "flash.saved")),
        Err(AppError::Refused(x)) => lead_page(state, ctx, user, id, Some(x.msg.get(ctx.lang).to_string())).await,
        Err(AppError::Invalid(v)) => {
            let msg = v.0.iter().map(|e| e.msg.get(ctx.lang).to_string()).collect::<Vec<_>>().join("；");
            lead_page(state, ctx, user, id, Some(msg)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct ActForm {
    action: String,
    #[serde(default)]
    disposal: String,
    #[serde(default)]
    finding: String,
    #[serde(default)]
    reason: String,
}

/// `POST /leads/items/{id}/act`: one step of the lifecycle table.
pub async fn act(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ActForm>) -> AppResult<Response> {
    let x = visible_lead(&state, &user, id, Action::ViewLeads).await?;
    let scope = x.scope()?;
    let actor = LeadActor { id: user.account.id, handler: user.can(Action::ManageLeads, &scope), approver: user.can(Action::ApproveDisposal, &scope) };
    if !actor.handler && !actor.approver {
        return Err(AppError::forbidden());
    }
    let Some(action) = LeadAction::parse(&f.action) else {
        return lead_page(&state, &ctx, &user, id, Some(crate::i18n::T(ctx.lang).s("leads.unknown_action").into_owned())).await;
    };
    let step = Step {
        action,
        actor,
        disposal: Disposal::parse(f.disposal.trim()),
        finding: Finding::parse(f.finding.trim()),
        reason: Some(f.reason.as_str()),
    };
    let env = Env::of(&state);
    let r = state.store.leads().act(&user.who(), id, &step, &env.get()).await;
    answered(&state, &ctx, &user, id, r).await
}

#[derive(Deserialize)]
pub struct PersonForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    post: String,
    #[serde(default)]
    level: String,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    party_member: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    holds_party_post: bool,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    public_official: bool,
}

/// `POST /leads/items/{id}/people`: a person the lead concerns.
pub async fn add_person(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<PersonForm>) -> AppResult<Response> {
    visible_lead(&state, &user, id, Action::ManageLeads).await?;
    let p = NewPerson {
        person_id: None,
        name: &f.name,
        post: Some(f.post.as_str()),
        level: PersonLevel::parse(&f.level).unwrap_or(PersonLevel::Other),
        facts: PersonFacts { party_member: f.party_member, holds_party_post: f.holds_party_post, public_official: f.public_official },
    };
    let r = state.store.leads().add_person(&user.who(), id, &p).await;
    answered(&state, &ctx, &user, id, r).await
}

/// `POST /leads/people/{id}/outcome`: measures (repeated `measure`),
/// `party`, `probation_months`, `admin`, and the declared `form` (optional).
pub async fn outcome(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let p = state.store.leads().person(id).await?;
    visible_lead(&state, &user, p.lead_id, Action::ManageLeads).await?;
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim()).filter(|v| !v.is_empty());
    let mut o = PersonOutcome {
        measures: pairs.iter().filter(|(k, _)| k == "measure").filter_map(|(_, v)| Measure::parse(v.trim())).collect(),
        party: get("party").and_then(PartySanction::parse),
        probation_months: get("probation_months").and_then(|v| v.parse().ok()),
        admin: get("admin").and_then(AdminSanction::parse),
    };
    o.measures.dedup();
    let declared = get("form").and_then(Shape::parse);
    let env = Env::of(&state);
    let r = state.store.leads().decide_outcome(&user.who(), id, &o, declared, &env.get()).await;
    answered(&state, &ctx, &user, p.lead_id, r).await
}
