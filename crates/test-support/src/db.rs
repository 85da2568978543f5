//! Fresh databases for tests.

use qingfeng_store::{Engine, Settings, Store};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use tempfile::TempDir;

/// Environment variable naming a PostgreSQL server for tests
/// (e.g. `postgres://qingfeng:qingfeng@127.0.0.1:5433/postgres`).
pub const PG_URL_VAR: &str = "QINGFENG_TEST_PG_URL";

fn in_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| !v.is_empty() && v != "0" && v != "false")
}

/// The engines this test run covers: SQLite always, PostgreSQL when
/// configured. Under `CI`, PostgreSQL must be configured.
pub fn engines() -> Vec<Engine> {
    static WARNED: AtomicBool = AtomicBool::new(false);
    let mut out = vec![Engine::Sqlite];
    match std::env::var(PG_URL_VAR) {
        Ok(url) if !url.is_empty() => out.push(Engine::Postgres),
        _ if in_ci() => panic!("CI is set but {PG_URL_VAR} is not: the PostgreSQL store tests must run in CI"),
        _ => {
            if !WARNED.swap(true, Ordering::Relaxed) {
                eprintln!("note: {PG_URL_VAR} is not set; store tests run on SQLite only");
            }
        }
    }
    out
}

/// A database that lives as long as the value.
pub struct TestDb {
    pub url: String,
    pub engine: Engine,
    pub store: Store,
    dir: Option<Arc<TempDir>>,
}

impl TestDb {
    /// A fresh, migrated database on `engine`.
    pub async fn new(engine: Engine) -> TestDb {
        match engine {
            Engine::Sqlite => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}/qingfeng.db", dir.path().display());
                let store = Store::open(&url, Settings::default()).await.expect("open SQLite test database");
                TestDb { url, engine, store, dir: Some(Arc::new(dir)) }
            }
            Engine::Postgres => {
                let admin_url = std::env::var(PG_URL_VAR).unwrap_or_else(|_| panic!("{PG_URL_VAR} is not set"));
                let name = format!("qf_test_{}", uuid::Uuid::now_v7().simple());
                let admin = sqlx::PgPool::connect(&admin_url)
                    .await
                    .unwrap_or_else(|e| panic!("PostgreSQL at {PG_URL_VAR} is unreachable: {e}"));
                sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                    .execute(&admin)
                    .await
                    .expect("create test database");
                admin.close().await;
                let url = replace_db_name(&admin_url, &name);
                let store = Store::open(&url, Settings::default()).await.expect("open PostgreSQL test database");
                TestDb { url, engine, store, dir: None }
            }
        }
    }

    /// Keeps the SQLite file's directory alive independently of `self`
    /// (a closure that captures only `db.store` would otherwise drop it).
    pub fn guard(&self) -> Option<Arc<TempDir>> {
        self.dir.clone()
    }

    pub async fn sqlite() -> TestDb {
        TestDb::new(Engine::Sqlite).await
    }
}

/// Swaps the database name in a PostgreSQL URL, keeping any query string.
fn replace_db_name(url: &str, name: &str) -> String {
    let (base, query) = match url.split_once('?') {
        Some((b, q)) => (b, format!("?{q}")),
        None => (url, String::new()),
    };
    let after_scheme = base.find("://").map_or(0, |i| i + 3);
    match base[after_scheme..].find('/') {
        Some(slash) => format!("{}/{name}{query}", &base[..after_scheme + slash]),
        None => format!("{base}/{name}{query}"),
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn db_name_is_replaced_in_pg_urls() {
        assert_eq!(super::replace_db_name("postgres://u:p@h:5433/postgres", "x"), "postgres://u:p@h:5433/x");
        assert_eq!(
            super::replace_db_name("postgres://h/postgres?sslmode=disable", "x"),
            "postgres://h/x?sslmode=disable"
        );
        assert_eq!(super::replace_db_name("postgres://h", "x"), "postgres://h/x");
    }
}
