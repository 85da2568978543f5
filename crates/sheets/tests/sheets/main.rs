//! qingfeng-sheets integration tests: hand-made office workbooks, round
//! trips through the writer, and damaged input.

mod fixtures;
mod office;
mod robust;
mod round_trip;
