//! Qingfeng's storage: SQLite by default, PostgreSQL when the URL says so.
//!
//! One module per aggregate; each write command is one transaction that
//! also appends its audit event ([`audit`]). Handlers never see SQL.

mod db;

pub mod access;
pub mod accounts;
pub mod audit;
pub mod backup;
pub mod calendar;
pub mod leads;
pub mod org;
pub mod orglife;
pub mod people;
pub mod rectify;
pub mod sessions;
pub mod tasks;

pub use audit::Who;
pub use db::{Engine, Ts, redact_url};

use db::{Pool, exec_pool, on_pool};
use qingfeng_domain::audit::HashAlgo;
use qingfeng_domain::{Refusal, Validation};

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("not found")]
    NotFound,
    #[error("invalid input: {0}")]
    Invalid(Validation),
    #[error("refused: {0}")]
    Refused(Refusal),
    #[error("configuration: {0}")]
    Config(String),
    #[error("stored data does not decode: {0}")]
    Corrupt(String),
    #[error("database: {0}")]
    Db(#[from] sqlx::Error),
    #[error("migration: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

impl From<Validation> for StoreError {
    fn from(v: Validation) -> StoreError {
        StoreError::Invalid(v)
    }
}

impl From<Refusal> for StoreError {
    fn from(r: Refusal) -> StoreError {
        StoreError::Refused(r)
    }
}

pub type Result<T, E = StoreError> = std::result::Result<T, E>;

/// Connection settings.
#[derive(Debug, Clone, Copy)]
pub struct Settings {
    pub max_connections: u32,
    /// Hash function for new audit events (old events keep theirs).
    pub hash_algo: HashAlgo,
}

impl Default for Settings {
    fn default() -> Self {
        Settings { max_connections: 8, hash_algo: HashAlgo::Sm3 }
    }
}

/// Handle to the database; cheap to clone.
#[derive(Debug, Clone)]
pub struct Store {
    pool: Pool,
    engine: Engine,
    algo: HashAlgo,
}

impl Store {
    /// Connects without running migrations.
    pub async fn connect(url: &str, settings: Settings) -> Result<Store> {
        let engine = Engine::from_url(url)?;
        let pool = db::connect(url, settings.max_connections).await?;
        Ok(Store { pool, engine, algo: settings.hash_algo })
    }

    /// Connects and brings the schema up to date.
    pub async fn open(url: &str, settings: Settings) -> Result<Store> {
        let store = Store::connect(url, settings).await?;
        store.migrate().await?;
        Ok(store)
    }

    pub async fn migrate(&self) -> Result<()> {
        self.pool.migrate().await
    }

    pub fn engine(&self) -> Engine {
        self.engine
    }

    pub fn hash_algo(&self) -> HashAlgo {
        self.algo
    }

    /// A cheap query to check the database answers (for `/healthz`).
    pub async fn ping(&self) -> Result<()> {
        exec_pool!(&self.pool, c => sqlx::query("SELECT 1").execute(c).await)?;
        Ok(())
    }

    /// (connections open, of which idle) for `/metrics`.
    pub fn pool_stats(&self) -> (u32, u32) {
        on_pool!(&self.pool, c => (c.size(), u32::try_from(c.num_idle()).unwrap_or(u32::MAX)))
    }

    pub async fn close(&self) {
        on_pool!(&self.pool, c => c.close().await)
    }

    pub fn orgs(&self) -> org::Orgs<'_> {
        org::Orgs(self)
    }

    pub fn people(&self) -> people::People<'_> {
        people::People(self)
    }

    pub fn accounts(&self) -> accounts::Accounts<'_> {
        accounts::Accounts(self)
    }

    pub fn grants(&self) -> access::Grants<'_> {
        access::Grants(self)
    }

    pub fn sessions(&self) -> sessions::Sessions<'_> {
        sessions::Sessions(self)
    }

    pub fn audit(&self) -> audit::Audit<'_> {
        audit::Audit(self)
    }

    pub fn calendar(&self) -> calendar::CalendarYears<'_> {
        calendar::CalendarYears(self)
    }
}

/// Escapes `%`, `_` and `\` so user text is matched literally by
/// `LIKE … ESCAPE '\'`, and wraps it for a contains-match.
pub(crate) fn like_contains(q: &str) -> String {
    let mut out = String::with_capacity(q.len() + 2);
    out.push('%');
    for ch in q.chars() {
        if matches!(ch, '%' | '_' | '\\') {
            out.push('\\');
        }
        out.push(ch);
    }
    out.push('%');
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn like_pattern_escapes_wildcards() {
        assert_eq!(super::like_contains("50%_x\\"), "%50\\%\\_x\\\\%");
    }
}
