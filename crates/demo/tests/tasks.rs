//! The demo city's 部署分解, built on a fresh SQLite database: directives in
//! every state, tasks in every lifecycle state, derived progress.

use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::PageRequest;
use qingfeng_store::tasks::TaskFilter;
use qingfeng_test_support::TestDb;
use std::collections::BTreeSet;

#[tokio::test]
async fn the_demo_holds_directives_cascaded_and_reported() {
    let db = TestDb::sqlite().await;
    let report = qingfeng_demo::build(&db.store).await.expect("demo builds");
    assert_eq!(report.tasks.directives, 3);
    let t = db.store.tasks();
    let all = [OrgPath::global()];
    let ds = t.directives(&all, PageRequest::new(Some(1), Some(50))).await.unwrap();
    let statuses: BTreeSet<String> = ds.items.iter().map(|d| d.status.clone()).collect();
    assert_eq!(statuses, BTreeSet::from(["draft".to_string(), "issued".to_string()]));
    let tasks = t.list(&all, &TaskFilter { duties: Some(false), ..Default::default() }, PageRequest::new(Some(1), Some(200))).await.unwrap();
    assert_eq!(tasks.total as usize, report.tasks.tasks);
    let states: BTreeSet<String> = tasks.items.iter().map(|t| t.status.clone()).collect();
    for s in ["accepted", "returned", "done"] {
        assert!(states.contains(s), "a task {s}: {states:?}");
    }
    assert!(tasks.items.iter().any(|t| t.warning == "red"), "some tasks run late");
    assert!(tasks.items.iter().any(|t| t.last_reason.as_deref().is_some_and(|r| r.contains("市委组织部牵头"))));
    // The broken-down task's progress is its branches' mean, not typed.
    let parent = tasks.items.iter().find(|t| t.children > 0).expect("a broken-down task");
    let kids = t.children(parent.id).await.unwrap();
    let mean = kids.iter().map(|k| k.progress).sum::<i64>() / kids.len() as i64;
    assert_eq!(parent.progress, mean);
    assert!(t.steps(parent.id).await.unwrap().iter().all(|s| s.action != "report_progress"));
    let mut changes = BTreeSet::new();
    for x in &tasks.items {
        changes.extend(t.deadline_changes(x.id).await.unwrap().into_iter().map(|c| c.status));
    }
    assert_eq!(changes, BTreeSet::from(["pending".to_string(), "refused".to_string()]), "one request waits, one was refused");
    assert!(db.store.audit().verify().await.unwrap().is_ok());
}
