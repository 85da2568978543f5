//! Test helpers shared by every crate's integration tests.
//!
//! * [`db`]: a fresh database per test, on SQLite always and on PostgreSQL
//!   when `QINGFENG_TEST_PG_URL` is set. Under `CI` a missing or unreachable
//!   PostgreSQL fails the test instead of skipping it.
//! * [`fixtures`]: a small two-bureau tree with one account per role.
//! * [`app`]: the whole application on `127.0.0.1:0` over real HTTP, and a
//!   cookie-keeping client that signs in like a browser.
//! * [`browser`]: real headless Chromium through chromedriver, the harness
//!   every module's browser journeys use.

pub mod app;
pub mod browser;
pub mod db;
pub mod fixtures;

pub use app::{Session, TestApp};
pub use browser::Browser;
pub use db::{TestDb, engines};
pub use fixtures::Fixture;
