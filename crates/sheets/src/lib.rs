//! Office files: rectification problem lists (问题清单) as workbooks, task
//! breakdown tables (任务分解表) as workbooks and Word documents, and Word
//! reports ([`write_docx`]) such as the 组织生活报告单.
//!
//! Offices circulate these lists as hand-made `.xlsx` files: a merged title
//! row, perhaps a subtitle, a header that may span two rows with merged
//! cells, section headings such as "一、党的领导方面" between the problems,
//! and blank rows wherever someone pressed Enter. [`read_xlsx`] turns such a
//! workbook into a [`Table`] of clean rows with auto-detected columns;
//! [`write_problem_list`] writes the same office layout back, and
//! [`write_table`] writes a plain titled table.
//!
//! A deployment's task breakdown table ([`TaskTable`]) has the columns
//! 序号 | 任务内容 | 牵头单位 | 配合单位 | 责任人 | 完成时限 | 进展, sub-tasks
//! indented under their task. [`write_task_table_xlsx`] writes it as a
//! workbook and [`write_task_table_docx`] as a landscape Word document, both
//! in the layout offices print (title, subtitle such as the deploying unit
//! and dates, bold header repeated on every printed page of the workbook).
//!
//! The crate knows nothing about databases. No input makes it panic: every
//! bad workbook is a [`SheetError`].

mod columns;
mod dates;
mod docx;
mod read;
mod tasks;
mod write;

pub use columns::{Column, Field, Mapping};
pub use dates::parse_deadline;
pub use docx::{Block, Document, GridColumn, write_docx};
pub use read::{MAX_COLUMNS, MAX_DATA_ROWS, MAX_UNPACKED_BYTES, read_xlsx};
pub use tasks::{NO_TASKS, TASK_COLUMNS, TaskRow, TaskTable, write_task_table_docx, write_task_table_xlsx};
pub use write::{ExportRow, write_problem_list, write_table};

/// Everything that can go wrong reading or writing a workbook.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SheetError {
    /// The bytes are not a readable xlsx workbook (empty, not a zip, a zip
    /// without a workbook, damaged XML, …); the text says what was found.
    #[error("not an xlsx workbook: {0}")]
    NotXlsx(String),
    /// The workbook has no worksheet (only chart sheets, or none at all).
    #[error("the workbook has no worksheet")]
    NoSheet,
    /// The first worksheet has no cell with content.
    #[error("the first worksheet is empty")]
    EmptySheet,
    /// No row in the first rows of the sheet names at least two known columns.
    #[error("no header row found: expected a row naming columns such as 序号, 问题表现, 整改措施, 责任单位, 整改时限")]
    NoHeader,
    /// More data rows than [`MAX_DATA_ROWS`].
    #[error("too many rows: {rows} (at most {max} data rows per sheet)", max = MAX_DATA_ROWS)]
    TooLarge { rows: usize },
    /// The workbook unpacks to more than [`MAX_UNPACKED_BYTES`], or its
    /// first sheet holds more text than the reader keeps.
    #[error("the workbook holds too much data (more than {limit_mib} MiB)")]
    TooMuchData { limit_mib: usize },
    /// The workbook could not be written.
    #[error("could not write the workbook: {0}")]
    Write(String),
}

impl SheetError {
    /// The same message in Chinese, for users.
    pub fn zh(&self) -> String {
        match self {
            SheetError::NotXlsx(why) => {
                format!("文件不是有效的 Excel（.xlsx）工作簿：{why}。请在 Excel 或 WPS 中另存为 .xlsx 后再上传")
            }
            SheetError::NoSheet => "工作簿中没有工作表".to_string(),
            SheetError::EmptySheet => "第一个工作表是空的".to_string(),
            SheetError::NoHeader => {
                "未找到表头：表格前几行中应有“序号、问题表现、整改措施、责任单位、整改时限”等列名".to_string()
            }
            SheetError::TooLarge { rows } => {
                format!("数据行过多：共 {rows} 行，每个工作表最多 {MAX_DATA_ROWS} 行")
            }
            SheetError::TooMuchData { limit_mib } => {
                format!("文件数据量过大（超过 {limit_mib} MB），请拆分后再上传")
            }
            SheetError::Write(why) => format!("生成 Excel 文件失败：{why}"),
        }
    }
}

/// A worksheet read into clean rows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Table {
    /// The text of the first non-empty row above the header (the merged
    /// title), if any.
    pub title: Option<String>,
    /// The Excel rows (1-based, as Excel shows them) the header occupies.
    pub header_rows: std::ops::RangeInclusive<u32>,
    /// One column per worksheet column from A to the last one used; a
    /// column's `index` is its position in [`Row::cells`].
    pub columns: Vec<Column>,
    /// The data rows, without blank rows and section headings.
    pub rows: Vec<Row>,
}

/// One data row.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// The row number Excel shows (1-based).
    pub excel_row: u32,
    /// The section heading ("一、党的领导方面") the row stands under.
    pub section: Option<String>,
    /// Trimmed text per column: numbers without ".0", dates as YYYY-MM-DD;
    /// a cell covered by a merged region below the header (one 责任单位
    /// for several problems) carries the region's value.
    pub cells: Vec<String>,
}

impl Table {
    /// Field → first column detected as that field.
    pub fn auto_mapping(&self) -> Mapping {
        let mut pairs: Vec<(Field, usize)> = Vec::new();
        for column in &self.columns {
            if let Some(field) = column.field
                && !pairs.iter().any(|(f, _)| *f == field)
            {
                pairs.push((field, column.index));
            }
        }
        pairs.sort_by_key(|(f, _)| *f);
        Mapping(pairs)
    }

    /// The cell of `row` that `mapping` assigns to `field`; "" when the
    /// field is not mapped or the column does not exist.
    pub fn get<'a>(&'a self, row: &'a Row, mapping: &Mapping, field: Field) -> &'a str {
        mapping.column(field).and_then(|index| row.cells.get(index)).map(String::as_str).unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table() -> Table {
        Table {
            title: None,
            header_rows: 1..=1,
            columns: vec![
                Column::new(0, "序号"),
                Column::new(1, "问题"),
                Column::new(2, "问题描述"),
                Column::new(3, "说明"),
            ],
            rows: vec![Row { excel_row: 2, section: None, cells: vec!["1".into(), "a".into(), "b".into()] }],
        }
    }

    #[test]
    fn auto_mapping_takes_the_first_column_of_each_field() {
        let t = table();
        let m = t.auto_mapping();
        assert_eq!(m.0, vec![(Field::Seq, 0), (Field::Description, 1)]);
    }

    #[test]
    fn get_is_empty_for_unmapped_fields_and_missing_cells() {
        let t = table();
        let row = &t.rows[0];
        let m = t.auto_mapping();
        assert_eq!(t.get(row, &m, Field::Description), "a");
        assert_eq!(t.get(row, &m, Field::Owner), "");
        let far = Mapping(vec![(Field::Remark, 9)]);
        assert_eq!(t.get(row, &far, Field::Remark), "");
    }

    #[test]
    fn every_error_has_a_chinese_message() {
        let errors = [
            SheetError::NotXlsx("x".into()),
            SheetError::NoSheet,
            SheetError::EmptySheet,
            SheetError::NoHeader,
            SheetError::TooLarge { rows: 20_001 },
            SheetError::TooMuchData { limit_mib: 256 },
            SheetError::Write("x".into()),
        ];
        for e in errors {
            assert!(!e.to_string().is_empty());
            assert!(e.zh().chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{e:?}");
        }
        assert!(SheetError::TooLarge { rows: 20_001 }.zh().contains("20001"));
    }
}
