use qingfeng_domain::access::{Action, scopes};
use qingfeng_domain::org::{OrgKind, OrgPath, OrgUnitSpec};
use qingfeng_domain::page::PageRequest;
use qingfeng_store::StoreError;
use qingfeng_store::org::OrgFilter;
use qingfeng_test_support::Fixture;
use qingfeng_test_support::fixtures::who;

fn spec(name: &str, kind: OrgKind) -> OrgUnitSpec {
    OrgUnitSpec { name: name.into(), short_name: None, kind, sort_order: 0 }
}

crate::on_both_engines! {
    async fn subtree_query_returns_the_node_and_everything_under_it(db) {
        let f = Fixture::build(&db.store).await;
        let nodes = db.store.orgs().subtree(&f.bureau_a.path, None, false).await.unwrap();
        let ids: Vec<_> = nodes.iter().map(|n| n.unit.id).collect();
        assert_eq!(ids, vec![f.bureau_a.id, f.branch_a.id]);
        let all = db.store.orgs().subtree(&f.city.path, None, false).await.unwrap();
        assert_eq!(all.len(), 5);
        let counts = db.store.orgs().counts(&f.bureau_a.path).await.unwrap();
        assert_eq!((counts.units, counts.people), (2, 1));
    }

    async fn move_reparents_the_whole_subtree(db) {
        let f = Fixture::build(&db.store).await;
        let w = who();
        let cell = db.store.orgs().create(&w, Some(f.branch_a.id), &spec("第一党小组", OrgKind::Cell)).await.unwrap();
        // Move 生态环境局's branch (with its cell) under 公安局.
        let moved = db.store.orgs().move_to(&w, f.branch_a.id, f.bureau_b.id).await.unwrap();
        assert_eq!(moved.parent_id, Some(f.bureau_b.id));
        assert_eq!(moved.path, f.bureau_b.path.child(f.branch_a.id));
        let cell = db.store.orgs().get(cell.id).await.unwrap();
        assert_eq!(cell.path, moved.path.child(cell.id));
        assert_eq!(cell.depth, 4);
        let under_b = db.store.orgs().subtree(&f.bureau_b.path, None, false).await.unwrap();
        assert_eq!(under_b.len(), 4);
        let under_a = db.store.orgs().subtree(&f.bureau_a.path, None, false).await.unwrap();
        assert_eq!(under_a.len(), 1);
        // The chain and the tree still verify after the move.
        assert!(db.store.audit().verify().await.unwrap().is_ok());
    }

    async fn move_into_own_subtree_is_refused_and_changes_nothing(db) {
        let f = Fixture::build(&db.store).await;
        let events = db.store.audit().count().await.unwrap();
        let err = db.store.orgs().move_to(&who(), f.bureau_a.id, f.branch_a.id).await.unwrap_err();
        assert!(matches!(err, StoreError::Refused(ref r) if r.code == "move_cycle"), "{err}");
        assert_eq!(db.store.orgs().get(f.bureau_a.id).await.unwrap().path, f.bureau_a.path);
        assert_eq!(db.store.audit().count().await.unwrap(), events, "no event for a refused command");
    }

    async fn deactivation_requires_an_empty_unit(db) {
        let f = Fixture::build(&db.store).await;
        let w = who();
        let err = db.store.orgs().set_active(&w, f.branch_a.id, false).await.unwrap_err();
        assert!(matches!(err, StoreError::Refused(ref r) if r.code == "has_active_people"), "{err}");
        db.store.people().set_active(&w, f.person_a.id, false).await.unwrap();
        let unit = db.store.orgs().set_active(&w, f.branch_a.id, false).await.unwrap();
        assert!(!unit.active);
        let children = db.store.orgs().children(Some(f.bureau_a.id), false).await.unwrap();
        assert!(children.is_empty());
        let children = db.store.orgs().children(Some(f.bureau_a.id), true).await.unwrap();
        assert_eq!(children.len(), 1);
    }

    async fn search_is_limited_to_the_actors_scope(db) {
        let f = Fixture::build(&db.store).await;
        let grants = db.store.grants().effective(f.op_a.id).await.unwrap();
        let actor = qingfeng_domain::access::Actor { account_id: f.op_a.id, username: "op-a".into(), grants };
        let sc = scopes(&actor, Action::ViewOrg);
        assert_eq!(sc, vec![f.bureau_a.path.clone()]);
        let filter = OrgFilter { q: Some("党支部".into()), ..Default::default() };
        let page = db.store.orgs().search(&sc, &filter, PageRequest::default()).await.unwrap();
        let names: Vec<_> = page.items.iter().map(|n| n.unit.name.as_str()).collect();
        assert_eq!(names, vec!["办公室党支部"], "治安支队党支部 belongs to another bureau");
        // A literal % does not act as a wildcard.
        let filter = OrgFilter { q: Some("%".into()), ..Default::default() };
        let all = db.store.orgs().search(&[OrgPath::global()], &filter, PageRequest::default()).await.unwrap();
        assert_eq!(all.total, 0);
    }

    async fn kind_rules_apply_to_create(db) {
        let f = Fixture::build(&db.store).await;
        let err = db.store.orgs().create(&who(), Some(f.branch_a.id), &spec("X", OrgKind::Branch)).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(ref v) if v.has("kind")), "{err}");
    }
}
