//! Browser sessions. The cookie carries a random token; only its SHA-256
//! is stored, so a copy of the database opens no session.

use crate::db::{Ts, exec_pool, on_pool};
use crate::{Result, Store};
use uuid::Uuid;

#[derive(Debug, Clone, PartialEq, Eq, sqlx::FromRow)]
pub struct Session {
    pub token_hash: String,
    pub account_id: Uuid,
    pub csrf_token: String,
    pub created_at: Ts,
    pub last_seen_at: Ts,
}

pub struct Sessions<'a>(pub(crate) &'a Store);

impl Sessions<'_> {
    pub async fn get(&self, token_hash: &str) -> Result<Option<Session>> {
        Ok(on_pool!(&self.0.pool, c => sqlx::query_as(
            "SELECT token_hash, account_id, csrf_token, created_at, last_seen_at FROM sessions WHERE token_hash = $1")
            .bind(token_hash).fetch_optional(c).await)?)
    }

    /// Marks the session as used now (drives the idle timeout).
    pub async fn touch(&self, token_hash: &str, now: Ts) -> Result<()> {
        exec_pool!(&self.0.pool, c => sqlx::query("UPDATE sessions SET last_seen_at = $1 WHERE token_hash = $2")
            .bind(now).bind(token_hash).execute(c).await)?;
        Ok(())
    }

    /// Ends an expired session (no audit event: nobody acted).
    pub async fn expire(&self, token_hash: &str) -> Result<()> {
        exec_pool!(&self.0.pool, c => sqlx::query("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash).execute(c).await)?;
        Ok(())
    }

    /// Removes sessions idle since before `idle_before`; returns how many.
    pub async fn purge(&self, idle_before: Ts) -> Result<u64> {
        let r = exec_pool!(&self.0.pool, c => sqlx::query("DELETE FROM sessions WHERE last_seen_at < $1").bind(idle_before).execute(c).await)?;
        Ok(r)
    }
}
