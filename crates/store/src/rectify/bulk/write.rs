//! The multi-row writer of the bulk load: which tables, how rows become
//! statements, and the one connection they go through.

use crate::db::Ts;
use crate::Result;
use sqlx::pool::PoolConnection;
use sqlx::{AssertSqlSafe, Connection, Postgres, Sqlite};
use uuid::Uuid;

/// Rows per transaction.
pub(super) const TX_ROWS: usize = 50_000;
/// Values bound per statement (SQLite allows 32 766, PostgreSQL 65 535).
const MAX_PARAMS: usize = 30_000;

/// A table to write: the columns bound per row, the columns set to the
/// load's timestamp, and columns with a literal value.
pub(super) struct Table {
    name: &'static str,
    bound: &'static [&'static str],
    stamped: &'static [&'static str],
    fixed: &'static [(&'static str, &'static str)],
}

pub(super) const UNITS: Table = Table {
    name: "org_units",
    bound: &["id", "parent_id", "kind", "name", "short_name", "path", "depth", "sort_order"],
    stamped: &["created_at", "updated_at"],
    fixed: &[("active", "TRUE")],
};
pub(super) const CAMPAIGNS: Table =
    Table { name: "campaigns", bound: &["id", "org_unit_id", "name"], stamped: &["created_at"], fixed: &[] };
pub(super) const BATCHES: Table = Table {
    name: "problem_batches",
    bound: &["id", "source", "reference", "issuing_unit_id", "issued_on", "summary"],
    stamped: &["created_at", "updated_at"],
    fixed: &[],
};
pub(super) const PROBLEMS: Table = Table {
    name: "problems",
    bound: &[
        "id",
        "batch_id",
        "seq",
        "description",
        "root_cause",
        "eight_rules",
        "campaign_id",
        "lead_unit_id",
        "leader_id",
        "owner_id",
        "deadline",
        "status",
        "warning",
        "warning_reason",
        "progress",
        "relapsed",
        "paper",
        "requested_on",
        "closed_on",
        "lookback_due",
    ],
    stamped: &["created_at", "updated_at"],
    fixed: &[("schedule", "'[]'"), ("published", "FALSE"), ("public_fields", "'[]'")],
};
pub(super) const TALLIES: Table = Table {
    name: "rectify_tallies",
    bound: &[
        "org_unit_id",
        "dim",
        "key",
        "total",
        "unclaimed",
        "in_progress",
        "requested",
        "closed",
        "red",
        "yellow",
        "relapsed",
        "paper",
    ],
    stamped: &[],
    fixed: &[],
};

impl Table {
    /// Values bound per row.
    fn width(&self) -> usize {
        self.bound.len() + self.stamped.len()
    }

    /// `INSERT … VALUES (…), (…)` for `rows` rows. SQLite gets anonymous
    /// `?` placeholders: it looks named ones (`$n`) up by a linear search,
    /// which makes binding a statement with thousands of them quadratic.
    fn insert(&self, rows: usize, sqlite: bool) -> String {
        let cols: Vec<&str> =
            self.bound.iter().chain(self.stamped).copied().chain(self.fixed.iter().map(|f| f.0)).collect();
        let mut s = format!("INSERT INTO {} ({}) VALUES ", self.name, cols.join(", "));
        let mut n = 0usize;
        for r in 0..rows {
            s.push_str(if r == 0 { "(" } else { ", (" });
            for i in 0..self.width() {
                n += 1;
                if i > 0 {
                    s.push_str(", ");
                }
                if sqlite {
                    s.push('?');
                } else {
                    s.push('$');
                    s.push_str(&n.to_string());
                }
            }
            for f in self.fixed {
                s.push_str(", ");
                s.push_str(f.1);
            }
            s.push(')');
        }
        s
    }
}

/// A bound value.
pub(super) enum V {
    Uuid(Uuid),
    OptUuid(Option<Uuid>),
    Text(String),
    OptText(Option<String>),
    I32(i32),
    I64(i64),
    Bool(bool),
    Ts(Ts),
}

pub(super) enum Conn {
    Sqlite(PoolConnection<Sqlite>),
    Postgres(PoolConnection<Postgres>),
}

/// Runs `$body` with `$c` bound to the live connection.
macro_rules! on_conn {
    ($conn:expr, $c:ident => $body:expr) => {
        match $conn {
            Conn::Sqlite(x) => {
                let $c = &mut **x;
                $body
            }
            Conn::Postgres(x) => {
                let $c = &mut **x;
                $body
            }
        }
    };
}
pub(super) use on_conn;

/// Writes `rows` into `t`, `per_tx` rows per transaction; `pre` runs first
/// in the first transaction, `post` last in the last one. Returns the rows
/// written.
#[allow(clippy::too_many_arguments)]
pub(super) async fn write<R>(
    conn: &mut Conn,
    t: &Table,
    now: Ts,
    per_tx: usize,
    pre: &[String],
    post: &[String],
    rows: impl Iterator<Item = R>,
    values: impl Fn(R, &mut Vec<V>),
) -> Result<u64> {
    let sqlite = matches!(conn, Conn::Sqlite(_));
    let per_stmt = (MAX_PARAMS / t.width()).max(1);
    let full = t.insert(per_stmt, sqlite);
    let mut rows = rows.peekable();
    let mut buf: Vec<V> = Vec::with_capacity(per_stmt * t.width());
    let mut total = 0u64;
    let mut first = true;
    loop {
        on_conn!(&mut *conn, c => {
            let mut tx = c.begin().await?;
            if first {
                for s in pre {
                    sqlx::query(AssertSqlSafe(s.clone())).execute(&mut *tx).await?;
                }
                first = false;
            }
            let mut in_tx = 0usize;
            while in_tx < per_tx {
                buf.clear();
                let mut n = 0;
                while n < per_stmt && in_tx + n < per_tx {
                    match rows.next() {
                        Some(r) => {
                            values(r, &mut buf);
                            buf.extend(t.stamped.iter().map(|_| V::Ts(now)));
                            n += 1;
                        }
                        None => break,
                    }
                }
                if n == 0 {
                    break;
                }
                debug_assert_eq!(buf.len(), n * t.width());
                let text = if n == per_stmt { full.clone() } else { t.insert(n, sqlite) };
                let mut q = sqlx::query(AssertSqlSafe(text));
                for v in buf.drain(..) {
                    q = match v {
                        V::Uuid(x) => q.bind(x),
                        V::OptUuid(x) => q.bind(x),
                        V::Text(x) => q.bind(x),
                        V::OptText(x) => q.bind(x),
                        V::I32(x) => q.bind(x),
                        V::I64(x) => q.bind(x),
                        V::Bool(x) => q.bind(x),
                        V::Ts(x) => q.bind(x),
                    };
                }
                q.execute(&mut *tx).await?;
                in_tx += n;
            }
            total += in_tx as u64;
            let done = rows.peek().is_none();
            if done {
                for s in post {
                    sqlx::query(AssertSqlSafe(s.clone())).execute(&mut *tx).await?;
                }
            }
            tx.commit().await?;
            if done {
                return Ok(total);
            }
        });
    }
}
