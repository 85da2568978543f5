//! After disposal: 一案双查 inquiries (listed until concluded), referrals
//! (移送) seen from both ends — the receiving side sees only the referral,
//! never the lead or its report — clearances (澄清正名), the false-accusation
//! mark and the feedback to the reporter.

use super::lead::answered;
use super::ledger::{Env, visible_lead};
use crate::AppState;
use crate::api::PathId;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, form_uuid};
use crate::layout::{Layout, done, form_page, page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::leads::clearance::{AccusationFault, ClearanceScope};
use qingfeng_domain::leads::dual_inquiry::{Decision, Duty, InquiryConclusion, Subject, Target};
use qingfeng_domain::leads::outcome::{Accountability, OrgAccountability, PersonAccountability};
use qingfeng_domain::leads::referral::{End, ReferralAction, ReferralTarget};
use qingfeng_store::leads::{Inquiry, LeadStep, Referral};
use serde::Deserialize;
use uuid::Uuid;

/// A target of an inquiry with its name.
pub struct Named {
    pub key: String,
    pub name: String,
    pub duty: String,
    pub person: bool,
}

async fn named_targets(state: &AppState, t: &crate::i18n::T, targets: &[Target]) -> AppResult<Vec<Named>> {
    let mut out = Vec::new();
    for (i, x) in targets.iter().enumerate() {
        let (name, person) = match x.subject {
            Subject::Person(id) => match state.store.people().get(id).await {
                Ok(p) => (format!("{}（{}）", p.name, p.position.unwrap_or_default()), true),
                Err(_) => ("—".into(), true),
            },
            Subject::Organisation(id) => match state.store.orgs().get(id).await {
                Ok(u) => (u.name, false),
                Err(_) => ("—".into(), false),
            },
        };
        let duty = match x.duty {
            Duty::Primary => t.s("leads.duty_primary"),
            Duty::FirstResponsible => t.s("leads.duty_first"),
            Duty::DualDuty => t.s("leads.duty_dual"),
            Duty::Oversight => t.s("leads.duty_oversight"),
        };
        out.push(Named { key: i.to_string(), name, duty: duty.into_owned(), person });
    }
    Ok(out)
}

#[derive(Template)]
#[template(path = "leads/inquiries.html")]
struct InquiriesPage {
    l: Layout,
    items: Vec<Inquiry>,
}

impl InquiriesPage {
    fn form(&self, i: &Inquiry) -> String {
        self.l.t.m(i.triggered_by().label())
    }
    fn status(&self, i: &Inquiry) -> String {
        self.l.t.s(format!("leads.inquiry_{}", i.status)).into_owned()
    }
}

/// `GET /leads/inquiries`: every 一案双查 inquiry in scope, open ones first.
pub async fn inquiries(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewLeads);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let items = state.store.leads().inquiries(&scopes, false).await?;
    page(&InquiriesPage { l: Layout::new(&state, &ctx, "leads", crate::i18n::T(ctx.lang).s("leads.inquiries").into_owned()), items })
}

#[derive(Template)]
#[template(path = "leads/inquiry.html")]
struct InquiryPage {
    l: Layout,
    i: Inquiry,
    targets: Vec<Named>,
    can_conclude: bool,
    error: Option<String>,
}

impl InquiryPage {
    fn form(&self) -> String {
        self.l.t.m(self.i.triggered_by().label())
    }
    fn status(&self) -> String {
        self.l.t.s(format!("leads.inquiry_{}", self.i.status)).into_owned()
    }
    fn org_modes(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<OrgAccountability>()
    }
    fn person_modes(&self) -> Vec<(&'static str, String)> {
        self.l.t.choices::<PersonAccountability>()
    }
    /// The conclusion in words.
    fn conclusion(&self) -> Vec<String> {
        match self.i.conclusion() {
            None => Vec::new(),
            Some(InquiryConclusion::NoAccountability { reason }) => vec![format!("{}：{reason}", self.l.t.s("leads.no_accountability"))],
            Some(InquiryConclusion::Accountable { decisions }) => decisions
                .iter()
                .map(|d| {
                    let who = self.i.targets().iter().position(|t| t.subject == d.subject).and_then(|k| self.targets.get(k)).map(|n| n.name.clone()).unwrap_or_default();
                    let modes: Vec<String> = d
                        .modes
                        .iter()
                        .map(|m| match m {
                            Accountability::Organisation(o) => self.l.t.m(o.label()),
                            Accountability::Person(p) => self.l.t.m(p.label()),
                        })
                        .collect();
                    format!("{who}：{}", modes.join("、"))
                })
                .collect(),
        }
    }
}

async fn inquiry_page(state: &AppState, ctx: &Ctx, user: &User, id: Uuid, error: Option<String>) -> AppResult<Response> {
    let i = state.store.leads().inquiry(id).await?;
    user.authorize(Action::ViewLeads, &i.scope()?)?;
    let scope = i.scope()?;
    let t = crate::i18n::T(ctx.lang);
    let targets = named_targets(state, &t, &i.targets()).await?;
    let invalid = error.is_some();
    let p = InquiryPage {
        l: Layout::new(state, ctx, "leads", format!("{}｜{}", t.s("leads.inquiry"), i.lead_no)),
        can_conclude: i.status == "open" && (user.can(Action::ManageLeads, &scope) || user.can(Action::ApproveDisposal, &scope)),
        targets,
        error,
        i,
    };
    form_page(&p, invalid)
}

/// `GET /leads/inquiries/{id}`.
pub async fn inquiry(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    inquiry_page(&state, &ctx, &user, id, None).await
}

/// `POST /leads/inquiries/{id}/conclude`: `result` = `accountable` with
/// `mode_{k}` per target (repeatable), or `none` with `reason`.
pub async fn conclude(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(pairs): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let i = state.store.leads().inquiry(id).await?;
    let scope = i.scope()?;
    user.authorize(Action::ViewLeads, &scope)?;
    if !(user.can(Action::ManageLeads, &scope) || user.can(Action::ApproveDisposal, &scope)) {
        return Err(AppError::forbidden());
    }
    let get = |k: &str| pairs.iter().find(|(n, _)| n == k).map(|(_, v)| v.trim().to_string()).unwrap_or_default();
    let c = if get("result") == "none" {
        InquiryConclusion::NoAccountability { reason: get("reason") }
    } else {
        let mut decisions = Vec::new();
        for (k, t) in i.targets().iter().enumerate() {
            let key = format!("mode_{k}");
            let modes: Vec<Accountability> = pairs
                .iter()
                .filter(|(n, _)| *n == key)
                .filter_map(|(_, v)| match t.subject {
                    Subject::Organisation(_) => OrgAccountability::parse(v.trim()).map(Accountability::Organisation),
                    Subject::Person(_) => PersonAccountability::parse(v.trim()).map(Accountability::Person),
                })
                .collect();
            if !modes.is_empty() {
                decisions.push(Decision { subject: t.subject, modes });
            }
        }
        InquiryConclusion::Accountable { decisions }
    };
    let env = Env::of(&state);
    match state.store.leads().conclude_inquiry(&user.who(), id, &c, &env.get()).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, &format!("/leads/inquiries/{id}"), "flash.saved")),
        Err(AppError::Refused(x)) => inquiry_page(&state, &ctx, &user, id, Some(x.msg.get(ctx.lang).to_string())).await,
        Err(AppError::Invalid(v)) => {
            let msg = v.0.iter().map(|e| e.msg.get(ctx.lang).to_string()).collect::<Vec<_>>().join("；");
            inquiry_page(&state, &ctx, &user, id, Some(msg)).await
        }
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct ReferForm {
    #[serde(default)]
    to_unit_id: String,
    #[serde(default)]
    target: String,
    #[serde(default)]
    matter: String,
    #[serde(default)]
    reason: String,
}

/// `POST /leads/items/{id}/refer`: 移送 with the matter as the receiver will read it, and a reason.
pub async fn refer(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ReferForm>) -> AppResult<Response> {
    visible_lead(&state, &user, id, Action::ManageLeads).await?;
    let t = crate::i18n::T(ctx.lang);
    let Some(to) = form_uuid(&f.to_unit_id)? else {
        return super::lead::lead_page(&state, &ctx, &user, id, Some(t.s("leads.choose_unit").into_owned())).await;
    };
    let Some(target) = ReferralTarget::parse(f.target.trim()) else {
        return super::lead::lead_page(&state, &ctx, &user, id, Some(t.s("leads.choose_target").into_owned())).await;
    };
    if !super::lead::referral_units(&state, &user).await?.iter().any(|u| u.id == to) {
        return Err(AppError::NotFound);
    }
    let env = Env::of(&state);
    let r = state.store.leads().refer(&user.who(), id, to, target, &f.matter, &f.reason, &env.get()).await;
    answered(&state, &ctx, &user, id, r).await
}

/// Which ends of a referral the user stands on. Whoever sees the sending
/// unit's leads is on the sending side, even when their scope also covers
/// the receiver (a city-wide officer): they cannot accept or return what
/// their own side sent.
pub fn ends(user: &User, r: &Referral) -> AppResult<(bool, bool)> {
    let sender = user.can(Action::ViewLeads, &r.from_scope()?);
    let receiver = !sender && user.can(Action::ReceiveReferral, &r.to_scope()?);
    if !sender && !user.can(Action::ReceiveReferral, &r.to_scope()?) {
        return Err(AppError::NotFound);
    }
    Ok((sender, receiver))
}

#[derive(Template)]
#[template(path = "leads/referrals.html")]
struct ReferralsPage {
    l: Layout,
    items: Vec<Referral>,
    today: String,
    /// The user works on leads (shows the module's tabs).
    full: bool,
}

impl ReferralsPage {
    fn status(&self, r: &Referral) -> String {
        self.l.t.m(r.status().label())
    }
    fn target(&self, r: &Referral) -> String {
        self.l.t.m(r.target().label())
    }
    fn late(&self, r: &Referral) -> bool {
        r.overdue(&self.today)
    }
}

/// `GET /leads/referrals`: referrals received (ReceiveReferral) or sent (ViewLeads).
pub async fn referrals(State(state): State<AppState>, ctx: Ctx, user: User) -> AppResult<Response> {
    let to = user.scopes(Action::ReceiveReferral);
    let from = user.scopes(Action::ViewLeads);
    if to.is_empty() && from.is_empty() {
        return Err(AppError::NotFound);
    }
    let items = state.store.leads().referrals(&to, &from).await?;
    page(&ReferralsPage {
        l: Layout::new(&state, &ctx, "leads", crate::i18n::T(ctx.lang).s("leads.referrals").into_owned()),
        items,
        today: crate::rectify::today().to_string(),
        full: !from.is_empty(),
    })
}

#[derive(Template)]
#[template(path = "leads/referral.html")]
struct ReferralPage {
    l: Layout,
    r: Referral,
    trail: Vec<LeadStep>,
    sender: bool,
    receiver: bool,
    can_resend: bool,
    error: Option<String>,
    today: String,
}

impl ReferralPage {
    fn status(&self) -> String {
        self.l.t.m(self.r.status().label())
    }
    fn target(&self) -> String {
        self.l.t.m(self.r.target().label())
    }
    fn category(&self) -> String {
        qingfeng_domain::leads::report::Category::parse(&self.r.category).map(|c| self.l.t.m(c.label())).unwrap_or_default()
    }
    fn step(&self, s: &LeadStep) -> String {
        self.l.t.s(format!("leads.step_{}", s.action)).into_owned()
    }
    fn late(&self) -> bool {
        self.r.overdue(&self.today)
    }
}

async fn referral_page(state: &AppState, ctx: &Ctx, user: &User, id: Uuid, error: Option<String>) -> AppResult<Response> {
    let r = state.store.leads().referral(id).await?;
    let (sender, receiver) = ends(user, &r)?;
    let trail = state.store.leads().referral_steps(id).await?;
    let invalid = error.is_some();
    let p = ReferralPage {
        l: Layout::new(state, ctx, "leads", format!("{}｜{}", crate::i18n::T(ctx.lang).s("leads.referral"), r.lead_no)),
        can_resend: user.can(Action::ManageLeads, &r.from_scope()?),
        trail,
        sender,
        receiver,
        error,
        today: crate::rectify::today().to_string(),
        r,
    };
    form_page(&p, invalid)
}

/// `GET /leads/referrals/{id}`: what was referred, the reason and the trail.
pub async fn referral(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    referral_page(&state, &ctx, &user, id, None).await
}

#[derive(Deserialize)]
pub struct AnswerForm {
    action: String,
    #[serde(default)]
    reason: String,
}

/// `POST /leads/referrals/{id}/answer`: accept or return (receiver), send again (sender).
pub async fn answer(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<AnswerForm>) -> AppResult<Response> {
    let r = state.store.leads().referral(id).await?;
    let (_, receiver) = ends(&user, &r)?;
    let Some(action) = ReferralAction::parse(f.action.trim()) else { return Err(AppError::NotFound) };
    let by = if action == ReferralAction::Resend {
        user.authorize(Action::ManageLeads, &r.from_scope()?)?;
        End::Sender
    } else if receiver {
        End::Receiver
    } else {
        // The sending side asking to accept or return: the lifecycle refuses it by name.
        End::Sender
    };
    let env = Env::of(&state);
    match state.store.leads().answer_referral(&user.who(), id, action, by, Some(f.reason.as_str()), &env.get()).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, &format!("/leads/referrals/{id}"), "flash.saved")),
        Err(AppError::Refused(x)) => referral_page(&state, &ctx, &user, id, Some(x.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct ClearanceForm {
    #[serde(default)]
    person_name: String,
    #[serde(default)]
    scope: String,
    #[serde(default, deserialize_with = "crate::form::checkbox")]
    consent: bool,
    #[serde(default)]
    body: String,
}

/// `POST /leads/items/{id}/clearance`: propose 澄清正名 for an untrue lead.
pub async fn propose_clearance(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<ClearanceForm>) -> AppResult<Response> {
    visible_lead(&state, &user, id, Action::ManageLeads).await?;
    let scope = ClearanceScope::parse(f.scope.trim()).unwrap_or(ClearanceScope::Person);
    let r = state.store.leads().propose_clearance(&user.who(), id, &f.person_name, scope, f.consent, &f.body).await;
    answered(&state, &ctx, &user, id, r).await
}

#[derive(Deserialize)]
pub struct DecideForm {
    decision: String,
}

/// `POST /leads/clearances/{id}/decide`: the approver (not the proposer) decides.
pub async fn decide_clearance(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<DecideForm>) -> AppResult<Response> {
    let lead = state.store.leads().clearance(id).await?.lead_id;
    visible_lead(&state, &user, lead, Action::ApproveDisposal).await?;
    let env = Env::of(&state);
    let r = state.store.leads().decide_clearance(&user.who(), id, f.decision == "approve", &env.get()).await;
    answered(&state, &ctx, &user, lead, r).await
}

#[derive(Deserialize)]
pub struct FalseForm {
    #[serde(default)]
    fault: String,
    #[serde(default)]
    reason: String,
}

/// `POST /leads/items/{id}/false-accusation`: 错告 or 诬告陷害, decided by an approver.
pub async fn false_accusation(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<FalseForm>) -> AppResult<Response> {
    visible_lead(&state, &user, id, Action::ApproveDisposal).await?;
    let fault = AccusationFault::parse(f.fault.trim()).unwrap_or(AccusationFault::Mistaken);
    let env = Env::of(&state);
    let r = state.store.leads().mark_false(&user.who(), id, fault, None, &f.reason, &env.get()).await;
    answered(&state, &ctx, &user, id, r).await
}

#[derive(Deserialize)]
pub struct FeedbackForm {
    #[serde(default)]
    text: String,
}

/// `POST /leads/items/{id}/feedback`: the result text the reporter reads with the code.
pub async fn feedback(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(f): Form<FeedbackForm>) -> AppResult<Response> {
    visible_lead(&state, &user, id, Action::ManageLeads).await?;
    let env = Env::of(&state);
    let r = state.store.leads().feed_back(&user.who(), id, &f.text, &env.get()).await;
    answered(&state, &ctx, &user, id, r).await
}

/// `POST /leads/reports/{id}/notice`: the real-name reporter was told about the acceptance.
pub async fn notice(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId) -> AppResult<Response> {
    super::visible_report(&state, &user, id, Action::RegisterReport).await?;
    let r = state.store.leads().mark_noticed(&user.who(), id, crate::rectify::today()).await;
    super::office::refused(&state, &ctx, &user, id, r, "flash.saved").await
}
