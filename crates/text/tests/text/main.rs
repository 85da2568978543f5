//! qingfeng-text as its callers use it: the corpus speeches, the docx path, the fuzz target.

mod corpus;
mod dedup;
mod formats;
mod fuzz;
mod general;
mod shingle_choice;
#[path = "../../src/synth.rs"]
mod synth;
