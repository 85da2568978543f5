//! The two engines behind one interface.
//!
//! Every query is written once, with `$1…$n` placeholders (the SQLite driver
//! accepts them), and run by [`on_pool!`]/[`on_tx!`], which expand the same
//! body once per engine. Dialect differences get an explicit `match` where
//! they occur.

use crate::StoreError;
use jiff::Timestamp;
use sqlx::encode::IsNull;
use sqlx::error::BoxDynError;
use sqlx::postgres::{PgArgumentBuffer, PgConnectOptions, PgPoolOptions, PgTypeInfo, PgValueRef};
use sqlx::sqlite::{
    SqliteArgumentsBuffer, SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous,
    SqliteTypeInfo, SqliteValueRef,
};
use sqlx::{Decode, Encode, PgPool, Postgres, Sqlite, SqlitePool, Type};
use std::str::FromStr;
use std::time::Duration;
use uuid::Uuid;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

impl Engine {
    /// Picks the engine from a database URL's scheme.
    pub fn from_url(url: &str) -> Result<Engine, StoreError> {
        if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Ok(Engine::Postgres)
        } else if url.starts_with("sqlite:") {
            Ok(Engine::Sqlite)
        } else {
            Err(StoreError::Config(format!(
                "database URL must start with sqlite: or postgres:// (got `{}`)",
                redact_url(url)
            )))
        }
    }

    pub fn name(self) -> &'static str {
        match self {
            Engine::Sqlite => "sqlite",
            Engine::Postgres => "postgres",
        }
    }
}

/// A URL with any password replaced, for logs and error messages.
pub fn redact_url(url: &str) -> String {
    match (url.find("://"), url.rfind('@')) {
        (Some(s), Some(at)) if at > s => {
            let creds = &url[s + 3..at];
            match creds.split_once(':') {
                Some((user, _)) => format!("{}{user}:***{}", &url[..s + 3], &url[at..]),
                None => url.to_string(),
            }
        }
        _ => url.to_string(),
    }
}

#[derive(Clone, Debug)]
pub(crate) enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

pub(crate) enum Tx {
    Sqlite(sqlx::Transaction<'static, Sqlite>),
    Postgres(sqlx::Transaction<'static, Postgres>),
}

/// Runs `$body` with `$c` bound to the live pool (`&SqlitePool` or `&PgPool`).
macro_rules! on_pool {
    ($pool:expr, $c:ident => $body:expr) => {
        match $pool {
            $crate::db::Pool::Sqlite($c) => $body,
            $crate::db::Pool::Postgres($c) => $body,
        }
    };
}

/// Runs `$body` with `$c` bound to the transaction's connection.
macro_rules! on_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c = &mut **t;
                $body
            }
            $crate::db::Tx::Postgres(t) => {
                let $c = &mut **t;
                $body
            }
        }
    };
}

/// Like [`on_tx!`] for statements: yields `Result<u64>` rows affected.
macro_rules! exec_tx {
    ($tx:expr, $c:ident => $body:expr) => {
        match $tx {
            $crate::db::Tx::Sqlite(t) => {
                let $c = &mut **t;
                ($body).map(|r| r.rows_affected())
            }
            $crate::db::Tx::Postgres(t) => {
                let $c = &mut **t;
                ($body).map(|r| r.rows_affected())
            }
        }
    };
}

/// Like [`on_pool!`] for statements: yields `Result<u64>` rows affected.
macro_rules! exec_pool {
    ($pool:expr, $c:ident => $body:expr) => {
        match $pool {
            $crate::db::Pool::Sqlite($c) => ($body).map(|r| r.rows_affected()),
            $crate::db::Pool::Postgres($c) => ($body).map(|r| r.rows_affected()),
        }
    };
}

pub(crate) use {exec_pool, exec_tx, on_pool, on_tx};

pub(crate) async fn connect(url: &str, max_connections: u32) -> Result<Pool, StoreError> {
    match Engine::from_url(url)? {
        Engine::Sqlite => {
            let opts = SqliteConnectOptions::from_str(url)?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new().max_connections(max_connections.max(1)).connect_with(opts).await?;
            Ok(Pool::Sqlite(pool))
        }
        Engine::Postgres => {
            let opts = PgConnectOptions::from_str(url)?.application_name("qingfeng");
            let pool = PgPoolOptions::new()
                .max_connections(max_connections.max(1))
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(opts)
                .await?;
            Ok(Pool::Postgres(pool))
        }
    }
}

impl Pool {
    pub(crate) async fn migrate(&self) -> Result<(), StoreError> {
        match self {
            Pool::Sqlite(p) => sqlx::migrate!("./migrations/sqlite").run(p).await?,
            Pool::Postgres(p) => {
                let mut m = sqlx::migrate!("./migrations/postgres");
                // CockroachDB and older YugabyteDB have no advisory locks;
                // migrations run from one process (`qingfeng migrate`) there.
                if std::env::var("QINGFENG_MIGRATE_NO_LOCK").is_ok_and(|v| v == "1") {
                    m.set_locking(false);
                }
                m.run(p).await?
            }
        }
        Ok(())
    }

    /// Starts a write transaction. All writes are serialised: SQLite takes
    /// the write lock at `BEGIN IMMEDIATE`; PostgreSQL locks the audit chain
    /// head row, which every write command appends to anyway. Checks made
    /// inside the transaction (uniqueness, cycles, lock-outs) therefore
    /// cannot race.
    pub(crate) async fn begin_write(&self) -> Result<Tx, StoreError> {
        match self {
            Pool::Sqlite(p) => Ok(Tx::Sqlite(p.begin_with("BEGIN IMMEDIATE").await?)),
            Pool::Postgres(p) => {
                let mut tx = p.begin().await?;
                sqlx::query("SELECT seq FROM audit_head WHERE id = 1 FOR UPDATE").execute(&mut *tx).await?;
                Ok(Tx::Postgres(tx))
            }
        }
    }
}

impl Tx {
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Tx::Sqlite(t) => t.commit().await?,
            Tx::Postgres(t) => t.commit().await?,
        }
        Ok(())
    }
}

/// A UTC instant with microsecond precision: `BIGINT` microseconds on
/// SQLite (sortable, indexable), `TIMESTAMPTZ` on PostgreSQL.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Ts(pub Timestamp);

impl Ts {
    /// Now, truncated to microseconds so that it survives both engines unchanged.
    pub fn now() -> Ts {
        Ts::from_micros(Timestamp::now().as_microsecond())
    }

    pub fn from_micros(us: i64) -> Ts {
        Ts(Timestamp::from_microsecond(us).unwrap_or(Timestamp::UNIX_EPOCH))
    }

    pub fn micros(self) -> i64 {
        self.0.as_microsecond()
    }

    /// RFC 3339 in UTC, as recorded in audit payloads.
    pub fn rfc3339(self) -> String {
        self.0.to_string()
    }
}

impl From<Timestamp> for Ts {
    fn from(t: Timestamp) -> Ts {
        Ts::from_micros(t.as_microsecond())
    }
}

impl Type<Sqlite> for Ts {
    fn type_info() -> SqliteTypeInfo {
        <i64 as Type<Sqlite>>::type_info()
    }
    fn compatible(ty: &SqliteTypeInfo) -> bool {
        <i64 as Type<Sqlite>>::compatible(ty)
    }
}

impl Encode<'_, Sqlite> for Ts {
    fn encode_by_ref(&self, buf: &mut SqliteArgumentsBuffer) -> Result<IsNull, BoxDynError> {
        Encode::<Sqlite>::encode(self.micros(), buf)
    }
}

impl<'r> Decode<'r, Sqlite> for Ts {
    fn decode(value: SqliteValueRef<'r>) -> Result<Self, BoxDynError> {
        let us = <i64 as Decode<Sqlite>>::decode(value)?;
        Ok(Ts(Timestamp::from_microsecond(us)?))
    }
}

impl Type<Postgres> for Ts {
    fn type_info() -> PgTypeInfo {
        <jiff_sqlx::Timestamp as Type<Postgres>>::type_info()
    }
}

impl Encode<'_, Postgres> for Ts {
    fn encode_by_ref(&self, buf: &mut PgArgumentBuffer) -> Result<IsNull, BoxDynError> {
        Encode::<Postgres>::encode(jiff_sqlx::Timestamp::from(self.0), buf)
    }
}

impl<'r> Decode<'r, Postgres> for Ts {
    fn decode(value: PgValueRef<'r>) -> Result<Self, BoxDynError> {
        Ok(Ts(<jiff_sqlx::Timestamp as Decode<Postgres>>::decode(value)?.to_jiff()))
    }
}

/// A value bound to a dynamically assembled query.
#[derive(Debug, Clone)]
pub(crate) enum Arg {
    Text(String),
    I64(i64),
    Uuid(Uuid),
    Bool(bool),
    Ts(Ts),
}

impl From<Ts> for Arg {
    fn from(v: Ts) -> Arg {
        Arg::Ts(v)
    }
}

impl From<&str> for Arg {
    fn from(s: &str) -> Arg {
        Arg::Text(s.to_string())
    }
}
impl From<String> for Arg {
    fn from(s: String) -> Arg {
        Arg::Text(s)
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Arg {
        Arg::I64(v)
    }
}
impl From<Uuid> for Arg {
    fn from(v: Uuid) -> Arg {
        Arg::Uuid(v)
    }
}
impl From<bool> for Arg {
    fn from(v: bool) -> Arg {
        Arg::Bool(v)
    }
}

/// A query assembled from static fragments with `$n` placeholders; every
/// value goes through [`Sql::arg`], never into the text.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sql {
    pub text: String,
    pub args: Vec<Arg>,
}

impl Sql {
    pub fn new(text: &'static str) -> Sql {
        Sql { text: text.to_string(), args: Vec::new() }
    }

    /// Appends a static SQL fragment.
    pub fn push(&mut self, fragment: &'static str) -> &mut Sql {
        self.text.push_str(fragment);
        self
    }

    /// Appends a placeholder for `value`.
    pub fn arg(&mut self, value: impl Into<Arg>) -> &mut Sql {
        self.args.push(value.into());
        self.text.push('$');
        self.text.push_str(&self.args.len().to_string());
        self
    }

    /// Appends `(path >= $a AND path < $b) OR …` for the subtrees in
    /// `scopes` applied to the path column `column` (an empty list matches nothing).
    pub fn scope_filter(&mut self, column: &'static str, scopes: &[qingfeng_domain::org::OrgPath]) -> &mut Sql {
        if scopes.is_empty() {
            return self.push("1 = 0");
        }
        self.push("(");
        for (i, s) in scopes.iter().enumerate() {
            if i > 0 {
                self.push(" OR ");
            }
            let (lo, hi) = s.subtree_range();
            self.push("(").push(column).push(" >= ").arg(lo).push(" AND ").push(column).push(" < ").arg(hi).push(")");
        }
        self.push(")")
    }

    /// Appends `(lower(c1) LIKE lower($n) ESCAPE '\' OR …)`: a
    /// case-insensitive contains-match of the literal text `q` in any of
    /// `columns`, the same on both engines.
    pub fn contains(&mut self, columns: &[&'static str], q: &str) -> &mut Sql {
        let pattern = crate::like_contains(q);
        self.push("(");
        for (i, c) in columns.iter().enumerate() {
            if i > 0 {
                self.push(" OR ");
            }
            self.push("lower(").push(c).push(") LIKE lower(").arg(pattern.clone()).push(") ESCAPE '\\'");
        }
        self.push(")")
    }

    /// Appends `LIMIT $n OFFSET $m`.
    pub fn page(&mut self, page: &qingfeng_domain::page::PageRequest) -> &mut Sql {
        self.push(" LIMIT ").arg(page.limit()).push(" OFFSET ").arg(page.offset())
    }
}

/// Binds `args` in order to a `query_as`.
macro_rules! bind_args {
    ($q:expr, $args:expr) => {{
        let mut q = $q;
        for a in $args {
            q = match a {
                $crate::db::Arg::Text(v) => q.bind(v),
                $crate::db::Arg::I64(v) => q.bind(v),
                $crate::db::Arg::Uuid(v) => q.bind(v),
                $crate::db::Arg::Bool(v) => q.bind(v),
                $crate::db::Arg::Ts(v) => q.bind(v),
            };
        }
        q
    }};
}
pub(crate) use bind_args;

/// Fetches all rows of an assembled query as `$row` from a pool.
macro_rules! fetch_all_as {
    ($pool:expr, $row:ty, $sql:expr) => {{
        let sql: $crate::db::Sql = $sql;
        $crate::db::on_pool!($pool, c => {
            let q = sqlx::query_as::<_, $row>(sqlx::AssertSqlSafe(sql.text.clone()));
            $crate::db::bind_args!(q, sql.args.clone()).fetch_all(c).await
        })
    }};
}
pub(crate) use fetch_all_as;

/// Fetches all rows of an assembled query as `$row` inside a transaction.
macro_rules! fetch_all_tx {
    ($tx:expr, $row:ty, $sql:expr) => {{
        let sql: $crate::db::Sql = $sql;
        $crate::db::on_tx!($tx, c => {
            let q = sqlx::query_as::<_, $row>(sqlx::AssertSqlSafe(sql.text.clone()));
            $crate::db::bind_args!(q, sql.args.clone()).fetch_all(c).await
        })
    }};
}
pub(crate) use fetch_all_tx;

/// One page of `$row`: `SELECT … FROM …` (`$select`) and
/// `SELECT COUNT(*) FROM …` (`$count_from`) share the where-clause `$where`
/// (an [`Sql`] starting with ` WHERE `); `$order` is a static `ORDER BY`.
/// Yields `Result<(Vec<$row>, i64 total), sqlx::Error>`.
macro_rules! fetch_page {
    ($pool:expr, $row:ty, $select:expr, $count_from:expr, $where:expr, $order:expr, $page:expr) => {{
        let where_: $crate::db::Sql = $where;
        let mut count = $crate::db::Sql { text: String::from($count_from), args: Vec::new() };
        count.text.push_str(&where_.text);
        count.args = where_.args.clone();
        match $crate::db::fetch_scalar!($pool, i64, count) {
            Err(e) => Err(e),
            Ok(total) => {
                let mut q = $crate::db::Sql { text: String::from($select), args: Vec::new() };
                q.text.push_str(&where_.text);
                q.args = where_.args;
                q.push($order).page($page);
                $crate::db::fetch_all_as!($pool, $row, q).map(|items| (items, total))
            }
        }
    }};
}
pub(crate) use fetch_page;

/// Fetches one scalar (e.g. a count) of an assembled query from a pool.
macro_rules! fetch_scalar {
    ($pool:expr, $t:ty, $sql:expr) => {{
        let sql: $crate::db::Sql = $sql;
        $crate::db::on_pool!($pool, c => {
            let q = sqlx::query_scalar::<_, $t>(sqlx::AssertSqlSafe(sql.text.clone()));
            $crate::db::bind_args!(q, sql.args.clone()).fetch_one(c).await
        })
    }};
}
pub(crate) use fetch_scalar;

/// Fetches one scalar of an assembled query inside a transaction.
macro_rules! fetch_scalar_tx {
    ($tx:expr, $t:ty, $sql:expr) => {{
        let sql: $crate::db::Sql = $sql;
        $crate::db::on_tx!($tx, c => {
            let q = sqlx::query_scalar::<_, $t>(sqlx::AssertSqlSafe(sql.text.clone()));
            $crate::db::bind_args!(q, sql.args.clone()).fetch_one(c).await
        })
    }};
}
pub(crate) use fetch_scalar_tx;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn engine_is_picked_from_the_url_scheme() {
        assert_eq!(Engine::from_url("sqlite://qingfeng-data/qingfeng.db").unwrap(), Engine::Sqlite);
        assert_eq!(Engine::from_url("postgres://u:p@h/db").unwrap(), Engine::Postgres);
        assert_eq!(Engine::from_url("postgresql://h/db").unwrap(), Engine::Postgres);
        assert!(Engine::from_url("mysql://h/db").is_err());
    }

    #[test]
    fn passwords_are_redacted_from_urls() {
        assert_eq!(redact_url("postgres://qf:s3cret@127.0.0.1:5432/qf"), "postgres://qf:***@127.0.0.1:5432/qf");
        assert_eq!(redact_url("sqlite://x.db"), "sqlite://x.db");
        assert!(!Engine::from_url("mysql://root:hunter2@h/db").unwrap_err().to_string().contains("hunter2"));
    }

    #[test]
    fn sql_builder_numbers_placeholders_in_order() {
        let mut s = Sql::new("SELECT 1 FROM t WHERE a = ");
        s.arg("x").push(" AND b = ").arg(3i64);
        assert_eq!(s.text, "SELECT 1 FROM t WHERE a = $1 AND b = $2");
        assert_eq!(s.args.len(), 2);
    }

    #[test]
    fn empty_scope_matches_nothing() {
        let mut s = Sql::new("SELECT 1 WHERE ");
        s.scope_filter("o.path", &[]);
        assert!(s.text.ends_with("1 = 0"));
    }
}
