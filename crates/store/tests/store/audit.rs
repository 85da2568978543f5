use qingfeng_domain::audit::Break;
use qingfeng_domain::calendar::Calendar;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::PageRequest;
use qingfeng_store::audit::AuditFilter;
use qingfeng_store::{Engine, Ts};
use qingfeng_test_support::fixtures::who;
use qingfeng_test_support::{Fixture, TestDb};

/// Runs raw SQL behind the application's back, as a tamperer would.
pub(crate) async fn tamper(db: &TestDb, sql: &str) {
    match db.engine {
        Engine::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&db.url).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&pool).await.unwrap();
            pool.close().await;
        }
        Engine::Postgres => {
            let pool = sqlx::PgPool::connect(&db.url).await.unwrap();
            sqlx::query(sqlx::AssertSqlSafe(sql.to_string())).execute(&pool).await.unwrap();
            pool.close().await;
        }
    }
}

crate::on_both_engines! {
    async fn every_command_appends_one_verified_event(db) {
        let f = Fixture::build(&db.store).await;
        let report = db.store.audit().verify().await.unwrap().unwrap();
        // 5 units, 2 people, 6 accounts + 6 grants.
        assert_eq!(report.events, 19);
        assert_eq!(report.rows, 19);
        let page =
            db.store.audit().list(&[OrgPath::global()], &AuditFilter::default(), PageRequest::default()).await.unwrap();
        assert_eq!(page.total, 19);
        assert_eq!(page.items[0].seq, 19, "newest first");
        let _ = f;
    }

    async fn audit_list_is_scoped_and_filtered(db) {
        let f = Fixture::build(&db.store).await;
        let scoped = db
            .store
            .audit()
            .list(std::slice::from_ref(&f.bureau_a.path), &AuditFilter::default(), PageRequest::default())
            .await
            .unwrap();
        // bureau A, branch A, person A, op-a, op-a's grant, secretary-a, secretary-a's grant.
        assert_eq!(scoped.total, 7);
        assert!(scoped.items.iter().all(|e| e.scope().is_some_and(|p| p.is_within(&f.bureau_a.path))));
        let filter = AuditFilter { entity: Some("person".into()), ..Default::default() };
        let people = db.store.audit().list(&[OrgPath::global()], &filter, PageRequest::default()).await.unwrap();
        assert_eq!(people.total, 2);
        let filter = AuditFilter { action: Some("grant.".into()), ..Default::default() };
        assert_eq!(
            db.store.audit().list(&[OrgPath::global()], &filter, PageRequest::default()).await.unwrap().total,
            6
        );
        let filter = AuditFilter { from: Some(Ts::from_micros(Ts::now().micros() + 60_000_000)), ..Default::default() };
        assert_eq!(
            db.store.audit().list(&[OrgPath::global()], &filter, PageRequest::default()).await.unwrap().total,
            0
        );
        let filter = AuditFilter { actor: Some("system:fixture".into()), ..Default::default() };
        assert_eq!(
            db.store.audit().list(&[OrgPath::global()], &filter, PageRequest::default()).await.unwrap().total,
            19
        );
    }

    async fn editing_an_audited_row_behind_the_apps_back_is_detected(db) {
        let f = Fixture::build(&db.store).await;
        tamper(&db, "UPDATE people SET name = '张冒名' WHERE name = '王建国'").await;
        let err = db.store.audit().verify().await.unwrap().unwrap_err();
        assert!(matches!(err, Break::RowChanged { ref entity, ref entity_id, .. } if entity == "person" && *entity_id == f.person_a.id.to_string()), "{err}");
    }

    async fn editing_an_event_is_detected_at_that_event(db) {
        Fixture::build(&db.store).await;
        tamper(&db, "UPDATE audit_events SET actor_label = 'nobody' WHERE seq = 3").await;
        assert_eq!(db.store.audit().verify().await.unwrap().unwrap_err(), Break::HashMismatch { seq: 3 });
    }

    async fn deleting_the_last_event_is_detected(db) {
        Fixture::build(&db.store).await;
        tamper(&db, "DELETE FROM audit_events WHERE seq = 19").await;
        assert!(db.store.audit().verify().await.unwrap().is_err(), "cut-off tail");
    }

    async fn deleting_a_row_is_detected(db) {
        let f = Fixture::build(&db.store).await;
        tamper(&db, "DELETE FROM grants WHERE role = 'auditor'").await;
        let err = db.store.audit().verify().await.unwrap().unwrap_err();
        assert!(matches!(err, Break::RowMissing { ref entity, .. } if entity == "grant"), "{err}");
        let _ = f;
    }

    async fn an_inserted_session_is_detected(db) {
        let f = Fixture::build(&db.store).await;
        let now = Ts::now();
        let (sql_time, id) = match db.engine {
            Engine::Sqlite => (now.micros().to_string(), format!("x'{}'", f.admin.id.simple())),
            Engine::Postgres => ("now()".to_string(), format!("'{}'", f.admin.id)),
        };
        tamper(&db, &format!(
            "INSERT INTO sessions (token_hash, account_id, csrf_token, created_at, last_seen_at) VALUES ('forged', {id}, 'c', {sql_time}, {sql_time})"
        )).await;
        let err = db.store.audit().verify().await.unwrap().unwrap_err();
        assert!(matches!(err, Break::SessionUnrecorded { .. }), "{err}");
    }

    async fn a_rehashed_history_is_caught_by_an_anchor(db) {
        Fixture::build(&db.store).await;
        let anchor = db.store.audit().head().await.unwrap();
        assert!(db.store.audit().verify_anchored(std::slice::from_ref(&anchor)).await.unwrap().is_ok());
        // Someone with write access deletes the last event and moves the head back consistently.
        let (seq, _) = anchor.clone();
        tamper(&db, &format!("DELETE FROM audit_events WHERE seq = {seq}")).await;
        tamper(&db, &format!(
            "UPDATE audit_head SET seq = {}, hash = (SELECT hash FROM audit_events WHERE seq = {})", seq - 1, seq - 1
        )).await;
        // The grant the event recorded is gone from the chain, so delete it too.
        tamper(&db, "DELETE FROM grants WHERE role = 'auditor'").await;
        assert!(db.store.audit().verify().await.unwrap().is_ok(), "without an anchor this rewrite is invisible");
        let err = db.store.audit().verify_anchored(&[anchor]).await.unwrap().unwrap_err();
        assert_eq!(err, Break::AnchorMismatch { seq });
    }

    async fn path_tampering_is_detected_as_tree_inconsistency(db) {
        let f = Fixture::build(&db.store).await;
        // Graft bureau B's branch under bureau A by rewriting only its path.
        let forged = f.bureau_a.path.child(f.branch_b.id);
        tamper(&db, &format!("UPDATE org_units SET path = '{forged}' WHERE path = '{}'", f.branch_b.path)).await;
        let err = db.store.audit().verify().await.unwrap().unwrap_err();
        assert!(matches!(err, Break::TreeInconsistent { .. }), "{err}");
    }

    async fn calendar_years_are_imported_audited_and_layered_over_builtin(db) {
        let years =
            Calendar::parse_toml("[2027]\nsource = \"测试\"\nholidays = [\"2027-01-01\"]\nworkdays = []\n").unwrap();
        db.store.calendar().import(&who(), &years[0]).await.unwrap();
        db.store.calendar().import(&who(), &years[0]).await.unwrap();
        let cal = db.store.calendar().load().await.unwrap();
        assert!(cal.has_year(2025) && cal.has_year(2026) && cal.has_year(2027));
        assert_eq!(db.store.audit().verify().await.unwrap().unwrap().events, 2);
    }
}

#[tokio::test]
async fn sqlite_backup_is_a_consistent_copy() {
    let db = TestDb::sqlite().await;
    Fixture::build(&db.store).await;
    let dir = tempfile::tempdir().unwrap();
    let dest = dir.path().join("backup.db");
    db.store.backup(&dest, &db.url).await.unwrap();
    let copy = qingfeng_store::Store::open(&format!("sqlite://{}", dest.display()), Default::default()).await.unwrap();
    assert_eq!(copy.audit().verify().await.unwrap().unwrap().events, 19);
    assert!(db.store.backup(&dest, &db.url).await.is_err(), "never overwrites");
}
