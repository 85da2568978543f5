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
