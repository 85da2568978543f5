//! Test helpers shared by every crate's integration tests.
//!
//! * [`db`]: a fresh database per test, on SQLite always and on PostgreSQL
//!   when `QINGFENG_TEST_PG_URL` is set. Under `CI` a missing or unreachable
//!   PostgreSQL fails the test instead of skipping it.
//! * [`fixtures`]: a small two-bureau tree with one account per role.

pub mod db;
pub mod fixtures;

pub use db::{TestDb, engines};
pub use fixtures::Fixture;
