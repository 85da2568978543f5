//! Consistent online backups.

use crate::db::Pool;
use crate::{Result, Store, StoreError, redact_url};
use std::path::Path;

impl Store {
    /// Writes a consistent copy of a SQLite database to `dest` while the
    /// server keeps running (`VACUUM INTO` reads one snapshot). For
    /// PostgreSQL, returns the `pg_dump` command to use instead.
    pub async fn backup(&self, dest: &Path, url: &str) -> Result<()> {
        match &self.pool {
            Pool::Sqlite(p) => {
                if dest.exists() {
                    return Err(StoreError::Config(format!("{} already exists; choose a new file", dest.display())));
                }
                let dest = dest.to_str().ok_or_else(|| StoreError::Config("backup path is not valid UTF-8".into()))?;
                sqlx::query("VACUUM INTO $1").bind(dest).execute(p).await?;
                Ok(())
            }
            Pool::Postgres(_) => Err(StoreError::Config(format!(
                "PostgreSQL is backed up with its own tools, e.g.: pg_dump --format=custom --file={} '{}'",
                dest.display(),
                redact_url(url)
            ))),
        }
    }
}
