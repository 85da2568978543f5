//! qingfeng-sheets integration tests: hand-made office workbooks, round
//! trips through the writer, damaged input, and the task breakdown table
//! (任务分解表) written and opened in LibreOffice.

mod fixtures;
mod libreoffice;
mod office;
mod robust;
mod round_trip;
mod tasks;
