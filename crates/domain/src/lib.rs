//! Qingfeng's rules as pure functions.
//!
//! Everything the seeds or regulations state — who may do what, which
//! transitions are allowed, when a deadline falls — lives here, with unit
//! tests named after the rule. No I/O, no async: handlers and the store call
//! these functions, they never re-implement them.

pub mod access;
pub mod audit;
pub mod auth;
pub mod calendar;
pub mod leads;
pub mod msg;
pub mod org;
pub mod orglife;
pub mod page;
pub mod people;
pub mod rectify;
pub mod rules;
pub mod tasks;

pub use msg::{FieldError, Lang, Msg, Refusal, Validation};
