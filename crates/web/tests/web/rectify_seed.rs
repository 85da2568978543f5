//! Rectification records made directly in the store for the web tests.

use jiff::civil::{Date, date};
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::rectify::input::{BatchSpec, MeasureSpec, ProblemSpec};
use qingfeng_domain::rectify::lifecycle::{Capacities, ProblemAction};
use qingfeng_domain::rectify::{RectifyRules, RootCause, Source};
use qingfeng_store::Store;
use qingfeng_store::rectify::{Batch, Env, EvidenceFile, Problem};
use qingfeng_test_support::Fixture;
use qingfeng_test_support::fixtures::who;
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
    let spec = ProblemSpec {
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
    };
    batch_with_spec(store, batch, &spec).await
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

/// The ids of a rectification round inside bureau B, and the texts an
/// outsider must never see.
pub struct RoundInB {
    pub problem: String,
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
    RoundInB {
        secrets: vec![p.description.clone(), b.reference.clone(), m.title.clone(), "台账.pdf".into()],
        problem: p.id.to_string(),
        batch: b.id.to_string(),
        measure: m.id.to_string(),
        evidence: e.id.to_string(),
        extension: x.id.to_string(),
    }
}
