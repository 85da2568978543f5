//! The store test suite: every test runs on SQLite and on PostgreSQL, as
//! two tests named `<test>::sqlite` and `<test>::postgres`, so the log shows
//! which engine ran. Without `QINGFENG_TEST_PG_URL` the PostgreSQL variants
//! say so and pass — except under `CI`, where they fail.

mod audit;
mod duties;
mod org;
mod orglife;
mod people_accounts;
mod rectify;
mod leads;
mod tasks;

use qingfeng_store::Engine;
use qingfeng_test_support::TestDb;

/// Runs `f` on a fresh database of `engine`.
pub async fn run_on<F, Fut>(engine: Engine, f: F)
where
    F: FnOnce(TestDb) -> Fut,
    Fut: std::future::Future<Output = ()>,
{
    if !qingfeng_test_support::engines().contains(&engine) {
        return;
    }
    let db = TestDb::new(engine).await;
    let _guard = db.guard();
    f(db).await;
}

/// Declares each `async fn name(db) { … }` as a module `name` with a
/// `sqlite` and a `postgres` test.
#[macro_export]
macro_rules! on_both_engines {
    ($(async fn $name:ident($db:ident) $body:block)*) => {
        $(
            mod $name {
                #[allow(unused_imports)]
                use super::*;

                async fn run($db: qingfeng_test_support::TestDb) $body

                #[tokio::test]
                async fn sqlite() {
                    $crate::run_on(qingfeng_store::Engine::Sqlite, run).await
                }

                #[tokio::test]
                async fn postgres() {
                    $crate::run_on(qingfeng_store::Engine::Postgres, run).await
                }
            }
        )*
    };
}
