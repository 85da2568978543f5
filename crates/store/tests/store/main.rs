//! The store test suite: every test runs on SQLite and, when
//! `QINGFENG_TEST_PG_URL` is set (always in CI), on PostgreSQL.

mod audit;
mod org;
mod people_accounts;

use qingfeng_store::Engine;
use qingfeng_test_support::{TestDb, engines};

/// Runs `f` once per engine on a fresh database, printing which engine ran.
pub async fn each_engine<F, Fut>(name: &str, f: F)
where
    F: Fn(TestDb) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    for engine in engines() {
        let db = TestDb::new(engine).await;
        let _guard = db.guard();
        f(db).await;
        eprintln!("{name}: passed on {}", engine.name());
    }
}

#[test]
fn postgres_is_covered_when_configured() {
    // Guards against the suite silently running on SQLite only in CI.
    let e = engines();
    assert!(e.contains(&Engine::Sqlite));
    if std::env::var("QINGFENG_TEST_PG_URL").is_ok_and(|v| !v.is_empty()) {
        assert!(e.contains(&Engine::Postgres));
    }
}
