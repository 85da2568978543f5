//! The demo city's 2026 责任清单, built on a fresh SQLite database.

use qingfeng_demo::DEMO_TODAY;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::tasks::duties::{DutyState, ListKind};
use qingfeng_store::tasks::DutyListFilter;
use qingfeng_test_support::TestDb;

#[tokio::test]
async fn the_demo_holds_derived_lists_with_records_and_a_few_overdue_items() {
    let db = TestDb::new(qingfeng_store::Engine::Sqlite).await;
    let report = qingfeng_demo::build(&db.store).await.expect("demo builds");
    let t = db.store.tasks();
    let lists = t
        .duty_lists(
            &[OrgPath::global()],
            &DutyListFilter { year: Some(2026), ..Default::default() },
            Default::default(),
        )
        .await
        .unwrap();
    assert!(lists.total >= 15, "{}", lists.total);
    let by = |key: &str, kind: ListKind| {
        let id = report.unit_ids[key];
        lists
            .items
            .iter()
            .find(|l| l.org_unit_id == id && l.kind() == kind)
            .cloned()
            .unwrap_or_else(|| panic!("{key} {kind:?}"))
    };
    let city = by("city", ListKind::Primary);
    let eco = by("eco", ListKind::Primary);
    assert_eq!((city.parent_list_id, eco.parent_list_id), (None, Some(city.id)));
    assert_eq!((eco.entries - city.entries, eco.own_entries), (2, 2), "the bureau inherits every item and adds two");
    assert_eq!(by("team_eco", ListKind::Oversight).parent_list_id, Some(by("ccdi", ListKind::Oversight).id));

    // Most occurrences due by the demo's today are done; a few are left overdue.
    let (mut done, mut overdue) = (0, 0);
    for l in &lists.items {
        assert!(l.occurrences > 0, "{} {}", l.unit_name, l.kind);
        for line in t.duty_entries(l.id, DEMO_TODAY).await.unwrap() {
            done += line.occurrences.iter().filter(|o| o.done).count();
            if line.state == DutyState::Overdue {
                overdue += 1;
            }
        }
    }
    assert!(done > 100, "{done}");
    assert!((4..=8).contains(&overdue), "{overdue} overdue items");
    let police = by("police", ListKind::Primary);
    let red: Vec<String> = t
        .duty_entries(police.id, DEMO_TODAY)
        .await
        .unwrap()
        .into_iter()
        .filter(|l| l.state == DutyState::Overdue)
        .map(|l| l.entry.text)
        .collect();
    assert_eq!(red, vec!["每季度研判一次执法办案、窗口服务岗位队伍廉政风险".to_string()]);
    assert!(db.store.audit().verify().await.unwrap().is_ok());
}
