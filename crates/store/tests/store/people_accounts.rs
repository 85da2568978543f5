use qingfeng_domain::access::Role;
use qingfeng_domain::auth::{LoginPolicy, hash_password};
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::{Dir, PageRequest};
use qingfeng_store::accounts::{LoginOutcome, NewAccount};
use qingfeng_store::people::{PeopleFilter, PeopleSort};
use qingfeng_store::{StoreError, Ts};
use qingfeng_test_support::Fixture;
use qingfeng_test_support::fixtures::who;

crate::on_both_engines! {
    async fn people_list_filters_by_scope_and_sorts(db) {
        let f = Fixture::build(&db.store).await;
        let page = db
            .store
            .people()
            .list(std::slice::from_ref(&f.bureau_a.path), &PeopleFilter::default(), PageRequest::default())
            .await
            .unwrap();
        assert_eq!(page.total, 1);
        assert_eq!(page.items[0].name, "王建国");
        let filter = PeopleFilter { sort: PeopleSort::Name, dir: Dir::Desc, ..Default::default() };
        let all = db.store.people().list(&[OrgPath::global()], &filter, PageRequest::default()).await.unwrap();
        assert_eq!(all.total, 2);
        let mut names: Vec<_> = all.items.iter().map(|p| p.name.clone()).collect();
        let sorted = {
            let mut n = names.clone();
            n.sort();
            n.reverse();
            n
        };
        assert_eq!(names, sorted);
        names.clear();
        let filter = PeopleFilter { q: Some("民警".into()), ..Default::default() };
        let by_position = db.store.people().list(&[OrgPath::global()], &filter, PageRequest::default()).await.unwrap();
        assert_eq!(by_position.items.iter().map(|p| p.name.as_str()).collect::<Vec<_>>(), vec!["李卫东"]);
    }

    async fn transfer_moves_a_person_between_units(db) {
        let f = Fixture::build(&db.store).await;
        let p = db.store.people().transfer(&who(), f.person_a.id, f.branch_b.id).await.unwrap();
        assert_eq!(p.org_unit_id, f.branch_b.id);
        let err = db.store.people().transfer(&who(), f.person_a.id, f.branch_b.id).await.unwrap_err();
        assert!(matches!(err, StoreError::Refused(_)));
    }

    async fn usernames_are_unique_and_the_field_is_named(db) {
        let f = Fixture::build(&db.store).await;
        let new = NewAccount {
            username: "OP-A".into(),
            display_name: "dup".into(),
            org_unit_id: Some(f.bureau_a.id),
            person_id: None,
            password_hash: hash_password("Another-Pass-1"),
            must_change_password: true,
        };
        let err = db.store.accounts().create(&who(), &new).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(ref v) if v.has("username")), "{err}");
    }

    async fn failures_lock_and_login_resets_them(db) {
        let f = Fixture::build(&db.store).await;
        let policy = LoginPolicy::default();
        for _ in 0..5 {
            db.store.accounts().record_failure(f.op_a.id, &policy).await.unwrap();
        }
        let a = db.store.accounts().get(f.op_a.id).await.unwrap();
        assert_eq!(a.failed_logins, 5);
        assert!(policy.is_locked(a.locked_until.map(|t| t.0), Ts::now().0));
        // A sixth failure while locked changes nothing (the lock is not lifted or extended).
        let (after, outcome) = db.store.accounts().record_failure(f.op_a.id, &policy).await.unwrap();
        assert_eq!((after.failed_logins, after.locked_until), (a.failed_logins, a.locked_until));
        assert_eq!(outcome.locked_until, a.locked_until.map(|t| t.0));
        // Even the right password is refused while locked, checked inside the transaction.
        let refused = db.store.accounts().login(f.op_a.id, "session-hash", "csrf", &policy).await.unwrap();
        assert!(matches!(refused, LoginOutcome::Refused { reason: "locked", .. }));
        assert!(db.store.sessions().get("session-hash").await.unwrap().is_none());
        let a = db.store.accounts().unlock(&who(), f.op_a.id).await.unwrap();
        assert_eq!(a.failed_logins, 0);
        let LoginOutcome::SignedIn(a) = db.store.accounts().login(f.op_a.id, "session-hash", "csrf", &policy).await.unwrap() else {
            panic!("unlocked account signs in")
        };
        assert_eq!((a.failed_logins, a.locked_until), (0, None));
        assert!(db.store.sessions().get("session-hash").await.unwrap().is_some());
        assert!(db.store.audit().verify().await.unwrap().is_ok(), "the session was opened by a recorded login");
    }

    async fn parallel_wrong_passwords_are_all_counted(db) {
        let f = Fixture::build(&db.store).await;
        let policy = LoginPolicy::default();
        let attempts = (0..12).map(|_| {
            let store = db.store.clone();
            let id = f.op_a.id;
            tokio::spawn(async move { store.accounts().record_failure(id, &policy).await.unwrap() })
        });
        for a in attempts {
            a.await.unwrap();
        }
        let a = db.store.accounts().get(f.op_a.id).await.unwrap();
        assert_eq!(a.failed_logins, 5, "counting stopped at the lock, none lost");
        assert!(policy.is_locked(a.locked_until.map(|t| t.0), Ts::now().0), "a late attempt did not lift the lock");
    }

    async fn password_change_ends_other_sessions(db) {
        let f = Fixture::build(&db.store).await;
        db.store.accounts().login(f.op_a.id, "s1", "c1", &LoginPolicy::default()).await.unwrap();
        db.store.accounts().login(f.op_a.id, "s2", "c2", &LoginPolicy::default()).await.unwrap();
        let a = db
            .store
            .accounts()
            .set_password(&who(), f.op_a.id, &hash_password("New-Pass-2026"), false, Some("s1"))
            .await
            .unwrap();
        assert!(!a.must_change_password);
        assert!(db.store.sessions().get("s1").await.unwrap().is_some());
        assert!(db.store.sessions().get("s2").await.unwrap().is_none());
    }

    async fn grants_resolve_to_paths_and_duplicates_are_refused(db) {
        let f = Fixture::build(&db.store).await;
        let g = db.store.grants().effective(f.op_a.id).await.unwrap();
        assert_eq!(g.len(), 1);
        assert_eq!((g[0].role, &g[0].scope), (Role::UnitOperator, &f.bureau_a.path));
        let admin = db.store.grants().effective(f.admin.id).await.unwrap();
        assert!(admin[0].scope.is_global());
        let err =
            db.store.grants().create(&who(), f.op_a.id, Role::UnitOperator, Some(f.bureau_a.id)).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)));
        let err = db.store.grants().create(&who(), f.admin.id, Role::SystemAdmin, None).await.unwrap_err();
        assert!(matches!(err, StoreError::Invalid(_)), "duplicate deployment-wide grant");
        let extra = db.store.grants().create(&who(), f.op_a.id, Role::Inspector, Some(f.bureau_b.id)).await.unwrap();
        db.store.grants().revoke(&who(), extra.id).await.unwrap();
        assert_eq!(db.store.grants().effective(f.op_a.id).await.unwrap().len(), 1);
        assert!(db.store.audit().verify().await.unwrap().is_ok(), "revoked grant recorded as deleted");
    }

    async fn api_tokens_are_found_by_hash_and_can_be_revoked(db) {
        let f = Fixture::build(&db.store).await;
        let t = db.store.accounts().create_token(&who(), f.officer.id, "报表脚本", "abc123", None).await.unwrap();
        let found = db.store.accounts().find_token("abc123").await.unwrap().unwrap();
        assert!(found.usable(Ts::now()));
        db.store.accounts().revoke_token(&who(), t.id).await.unwrap();
        assert!(!db.store.accounts().find_token("abc123").await.unwrap().unwrap().usable(Ts::now()));
    }
}
