//! The demo city's 信访举报, built on a fresh SQLite database with an office key.

use qingfeng_domain::org::OrgPath;
use qingfeng_seal::{Keyring, ReceiptHasher, SealKey};
use qingfeng_test_support::TestDb;

#[tokio::test]
async fn the_demo_holds_forty_reports_with_duplicates_sealed_identities_and_waiting_ones() {
    let db = TestDb::sqlite().await;
    let keys = Keyring::new(SealKey::generate("demo-office").unwrap());
    let receipts = ReceiptHasher::new(b"demo-test-salt-0123456789").unwrap();
    let report = qingfeng_demo::build_with(&db.store, Some(&keys), &receipts).await.expect("demo builds");
    let s = report.leads;
    assert!((36..=44).contains(&s.reports), "{s:?}");
    assert_eq!(s.duplicates, 6);
    assert!(s.real_name >= 8, "{s:?}");
    let all = db.store.leads().list(&[OrgPath::global()], None, qingfeng_domain::page::PageRequest::new(Some(1), Some(100))).await.unwrap();
    assert_eq!(all.total as usize, s.reports);
    let waiting: Vec<_> = all.items.iter().filter(|r| r.status == "received").collect();
    assert_eq!(waiting.len(), 4);
    assert!(waiting.iter().any(|r| r.accept_due.as_str() < qingfeng_demo::DEMO_TODAY.to_string().as_str()), "one is past its limit");
    let sealed = all.items.iter().filter(|r| r.identity_sealed.is_some()).count();
    assert_eq!(sealed, s.real_name);
    // Every re-worded copy points at its first report.
    for d in all.items.iter().filter(|r| r.status == "duplicate") {
        let first = db.store.leads().get(d.duplicate_of.unwrap()).await.unwrap();
        assert_eq!(first.reported_unit, d.reported_unit);
        assert!(d.similarity.unwrap() >= 45, "{:?}", d.similarity);
    }
    assert!(db.store.audit().verify().await.unwrap().is_ok());
}

/// The acceptance of the leads module: leads in every disposal and every
/// form, one 一案双查 (here three, one still open), a referral returned with
/// its reason, a clearance, feedback to reporters — all derived from steps.
#[tokio::test]
async fn the_demo_has_leads_in_every_disposal_and_form_with_dual_inquiries_referrals_and_a_clearance() {
    use qingfeng_domain::leads::disposal::Disposal;
    use qingfeng_domain::leads::outcome::Form;
    use qingfeng_store::leads::LeadFilter;
    let db = TestDb::sqlite().await;
    let keys = Keyring::new(SealKey::generate("demo-office").unwrap());
    let receipts = ReceiptHasher::new(b"demo-test-salt-0123456789").unwrap();
    let report = qingfeng_demo::build_with(&db.store, Some(&keys), &receipts).await.expect("demo builds");
    let h = report.leads.handling;
    let l = db.store.leads();
    let all = l.all_leads(&[OrgPath::global()], &LeadFilter::default()).await.unwrap();
    assert_eq!(all.len(), h.leads);
    for d in Disposal::ALL {
        assert!(all.iter().any(|x| x.disposal() == Some(*d)), "no lead disposed of by {d:?}");
    }
    let mut forms = std::collections::BTreeSet::new();
    for x in &all {
        for p in l.people(x.id).await.unwrap() {
            forms.extend(p.form());
        }
    }
    assert_eq!(forms.into_iter().collect::<Vec<_>>(), Form::ALL.to_vec());
    let inquiries = l.inquiries(&[OrgPath::global()], false).await.unwrap();
    assert_eq!(inquiries.len(), 3);
    assert_eq!(inquiries.iter().filter(|i| i.status == "open").count(), 1, "one must still be concluded");
    let referrals = l.referrals(&[OrgPath::global()], &[]).await.unwrap();
    assert!(referrals.iter().any(|r| r.status == "returned" && r.response_reason.is_some()));
    assert!(referrals.iter().any(|r| r.status == "sent"));
    assert_eq!(l.approved_clearances(&[OrgPath::global()]).await.unwrap().len(), 1);
    assert!(all.iter().any(|x| x.fed_back_on.is_some() && x.result_text.is_some()));
    assert!(all.iter().any(|x| x.overdue(&qingfeng_demo::DEMO_TODAY.to_string())), "a stage past its limit");
    assert!(db.store.audit().verify().await.unwrap().is_ok());
}

/// Every figure of the reconciliation is the number of ledger rows its link
/// shows: `Figures::of` (Rust) and the ledger filter (SQL) agree on every
/// quarter of the demo year, on both the city's and a county's 纪委.
#[tokio::test]
async fn reconciliation_figures_match_the_ledger_rows_behind_them() {
    use qingfeng_store::leads::{Figure, Figures, LeadFilter};
    let db = TestDb::sqlite().await;
    let receipts = ReceiptHasher::new(b"demo-test-salt-0123456789").unwrap();
    let report = qingfeng_demo::build_with(&db.store, None, &receipts).await.expect("demo builds");
    let l = db.store.leads();
    for key in ["ccdi", "fenglin_ccdi"] {
        let unit = db.store.orgs().get(report.unit_ids[key]).await.unwrap();
        let scope = [unit.path.clone()];
        let leads = l.all_leads(&scope, &LeadFilter::default()).await.unwrap();
        assert!(!leads.is_empty());
        for (start, end) in [("2026-01-01", "2026-03-31"), ("2026-04-01", "2026-06-30"), ("2026-07-01", "2026-09-30"), ("2026-10-01", "2026-12-31")] {
            let f = Figures::of(&leads, start, end);
            let rows = |fig: Figure| {
                let l = db.store.leads();
                let scope = scope.clone();
                async move { l.all_leads(&scope, &LeadFilter { figure: Some((fig, start.into(), end.into())), ..Default::default() }).await.unwrap().len() as u32 }
            };
            assert_eq!(f.carried, rows(Figure::Carried).await, "{key} {start} carried");
            assert_eq!(f.received, rows(Figure::Received).await, "{key} {start} received");
            assert_eq!(f.concluded, rows(Figure::Concluded).await, "{key} {start} concluded");
            assert_eq!(f.open_at_end, rows(Figure::OpenAtEnd).await, "{key} {start} open");
            assert_eq!(f.overdue_at_end, rows(Figure::OverdueAtEnd).await, "{key} {start} overdue");
            let active: u32 = f.by_disposal.iter().map(|(_, n)| n).sum();
            let with_disposal = l.all_leads(&scope, &LeadFilter { figure: Some((Figure::Active, start.into(), end.into())), ..Default::default() }).await.unwrap();
            assert_eq!(active as usize, with_disposal.iter().filter(|x| x.disposal.is_some()).count());
        }
    }
}
