//! Rectification records made directly in the store for the web tests.

use jiff::civil::{Date, date};
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::rectify::input::{BatchSpec, MeasureSpec, ProblemSpec};
use qingfeng_domain::rectify::lifecycle::{Capacities, ProblemAction};
use qingfeng_domain::rectify::{RectifyRules, RootCause, Source};
use qingfeng_domain::access::Role;
use qingfeng_store::Store;
use qingfeng_store::accounts::{Account, NewAccount};
use qingfeng_store::rectify::{Batch, Env, EvidenceFile, Problem};
use qingfeng_test_support::Fixture;
use qingfeng_test_support::fixtures::{PASSWORD, who};
use uuid::Uuid;
use std::sync::LazyLock;

static CAL: LazyLock<Calendar> = LazyLock::new(Calendar::builtin);
static RULES: RectifyRules = RectifyRules::DEFAULT;

/// The environment the web uses: today's date, the built-in calendar.
pub fn env() -> Env<'static> {
    Env { cal: &CAL, rules: &RULES, today: qingfeng_web::rectify::today() }
}

/// A batch issued by `issuer` and one problem led by `lead`.
pub async fn batch_with_problem(
    store: &Store,
    batch: (uuid::Uuid, Source, &str, Date),
    (lead, description, root_cause, deadline): (uuid::Uuid, &str, RootCause, Date),
) -> (Batch, Problem) {
    batch_with_spec(store, batch, &problem_spec(lead, description, root_cause, deadline)).await
}

/// A batch issued by `issuer` and one problem as `spec` describes it.
pub async fn batch_with_spec(
    store: &Store,
    (issuer, source, reference, issued_on): (uuid::Uuid, Source, &str, Date),
    spec: &ProblemSpec,
) -> (Batch, Problem) {
    let r = store.rectify();
    let batch = BatchSpec { source, reference: reference.into(), issuing_unit_id: issuer, issued_on, summary: None };
    let b = r.create_batch(&who(), &batch).await.unwrap();
    let p = r.create_problem(&who(), &env(), b.id, spec).await.unwrap();
    (b, p)
}

fn problem_spec(lead: Uuid, description: &str, root_cause: RootCause, deadline: Date) -> ProblemSpec {
    ProblemSpec {
        description: description.into(),
        root_cause,
        eight_rules: None,
        campaign_id: None,
        lead_unit_id: lead,
        supporting_unit_ids: vec![],
        leader_id: None,
        owner_id: None,
        deadline,
        schedule: vec![],
    }
}

/// Takes a problem through claim, a measure with a file of evidence
/// (`evidence` bytes after a PDF header), closure request and closure.
pub async fn close(store: &Store, p: Uuid, evidence: &[u8]) {
    let r = store.rectify();
    let (unit, issuer) = (Capacities { lead_unit: true, ..Capacities::default() }, Capacities { issuer: true, ..Capacities::default() });
    r.act(&who(), &env(), p, ProblemAction::Claim, unit, None).await.unwrap();
    let spec = MeasureSpec { title: "修订议事规则并组织学习".into(), owner_id: None, due_on: date(2026, 8, 31) };
    let m = r.add_measure(&who(), &env(), p, None, &spec).await.unwrap();
    let bytes = [b"%PDF-1.4 ".as_slice(), evidence].concat();
    let file = EvidenceFile { name: "议事规则.pdf", content_type: "application/pdf", bytes: &bytes };
    r.add_evidence(&who(), m.id, None, Some(file), date(2026, 5, 9), None).await.unwrap();
    r.complete_measure(&who(), &env(), m.id).await.unwrap();
    r.act(&who(), &env(), p, ProblemAction::RequestClosure, unit, None).await.unwrap();
    r.act(&who(), &env(), p, ProblemAction::Close, issuer, None).await.unwrap();
}

/// `n` closed problems led by `lead`, in one batch the city issued; each
/// with its own evidence file.
pub async fn closed_problems(store: &Store, f: &Fixture, lead: Uuid, n: usize) -> Vec<Problem> {
    let mut out = Vec::new();
    let (b, first) = batch_with_problem(
        store,
        (f.city.id, Source::Patrol, "市委2026年第一轮巡察反馈意见", date(2026, 3, 16)),
        (lead, "落实“三重一大”决策制度不严格，大额资金使用未经集体研究", RootCause::Institution, date(2026, 9, 30)),
    )
    .await;
    out.push(first);
    for i in 1..n {
        let spec = problem_spec(lead, &format!("第{}项：专项资金管理台账登记不全", i + 1), RootCause::Responsibility, date(2026, 9, 30));
        out.push(store.rectify().create_problem(&who(), &env(), b.id, &spec).await.unwrap());
    }
    for p in &out {
        close(store, p.id, format!("{lead}-{}", p.id).as_bytes()).await;
    }
    out
}

/// An account named `username` holding `role` on `unit` (password [`PASSWORD`]).
pub async fn account_with(store: &Store, username: &str, unit: Uuid, role: Role) -> Account {
    let a = store
        .accounts()
        .create(
            &who(),
            &NewAccount {
                username: username.into(),
                display_name: username.into(),
                org_unit_id: Some(unit),
                person_id: None,
                password_hash: qingfeng_domain::auth::hash_password(PASSWORD),
                must_change_password: false,
            },
        )
        .await
        .unwrap();
    store.grants().create(&who(), a.id, role, Some(unit)).await.unwrap();
    a
}

/// The ids of a rectification round inside bureau B, and the texts an
/// outsider must never see.
pub struct RoundInB {
    pub problem: String,
    /// A 四不两直 draw scoped to bureau B.
    pub spot_check: String,
    pub batch: String,
    pub measure: String,
    pub evidence: String,
    pub extension: String,
    pub secrets: Vec<String>,
}

/// A batch bureau B issued, a problem of its branch with a measure, a file
/// of evidence and a pending extension.
pub async fn round_in_b(store: &Store, f: &Fixture) -> RoundInB {
    let r = store.rectify();
    let (b, p) = batch_with_problem(
        store,
        (f.bureau_b.id, Source::SelfCheck, "公安局党委2026年自查问题清单", date(2026, 4, 1)),
        (f.branch_b.id, "执法办案场所管理不规范，涉案财物台账登记不全", RootCause::Institution, date(2026, 9, 30)),
    )
    .await;
    let unit = Capacities { lead_unit: true, ..Capacities::default() };
    r.act(&who(), &env(), p.id, ProblemAction::Claim, unit, None).await.unwrap();
    let spec = MeasureSpec { title: "建立涉案财物电子台账".into(), owner_id: None, due_on: date(2026, 8, 31) };
    let m = r.add_measure(&who(), &env(), p.id, None, &spec).await.unwrap();
    let file = EvidenceFile { name: "台账.pdf", content_type: "application/pdf", bytes: b"%PDF-1.4 ledger" };
    let e = r.add_evidence(&who(), m.id, None, Some(file), date(2026, 5, 9), None).await.unwrap();
    let x = r.request_extension(&who(), p.id, date(2026, 12, 31), "系统改造需时").await.unwrap();
    closed_problems(store, f, f.branch_b.id, 1).await;
    let spot = r.draw_spot_check(&who(), f.bureau_b.id, "公安局四不两直抽查", 1, 7).await.unwrap();
    RoundInB {
        spot_check: spot.id.to_string(),
        secrets: vec![p.description.clone(), b.reference.clone(), m.title.clone(), "台账.pdf".into(), spot.title.clone()],
        problem: p.id.to_string(),
        batch: b.id.to_string(),
        measure: m.id.to_string(),
        evidence: e.id.to_string(),
        extension: x.id.to_string(),
    }
}
