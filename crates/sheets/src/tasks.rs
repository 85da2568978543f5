//! The task breakdown table (任务分解表) of a deployment (部署分解), in the
//! layout offices circulate: 序号 | 任务内容 | 牵头单位 | 配合单位 | 责任人 |
//! 完成时限 | 进展, as an xlsx workbook and as a landscape Word document.

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use crate::SheetError;
use crate::docx::{Block, Document, GridColumn, Paper, clean, write_docx_on};
use crate::write::{Formats, canonical_date, display_width, page_setup, write_err, write_text};

/// One task (or sub-task) of a [`TaskTable`]; every field is display text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskRow {
    /// "1", "1.1", "1.1.2" for sub-tasks; always written as text.
    pub seq: String,
    /// 0 for a top-level task; sub-tasks are indented by their depth.
    pub depth: u8,
    /// 任务内容: the title, optionally "\n" and a body.
    pub content: String,
    pub lead_unit: String,
    /// The supporting units joined with "、".
    pub supporting_units: String,
    pub owner: String,
    /// A deadline in canonical `YYYY-MM-DD` form is written to the workbook
    /// as a real Excel date; anything else ("长期坚持") as text.
    pub deadline: String,
    /// e.g. "60%　落实中　已超期3个工作日".
    pub progress: String,
}

/// A task breakdown table: title, optional subtitle and the tasks in order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TaskTable {
    /// e.g. "关于落实《在全市全面从严治党工作会议上的讲话》的任务分解表";
    /// an empty title is written as "任务分解表".
    pub title: String,
    /// e.g. "部署单位：中共某市委　下发日期：2026-03-02　导出日期：2026-12-06".
    pub subtitle: Option<String>,
    pub rows: Vec<TaskRow>,
}

/// The header of a task breakdown table, in column order.
pub const TASK_COLUMNS: [&str; 7] = ["序号", "任务内容", "牵头单位", "配合单位", "责任人", "完成时限", "进展"];
/// Width of each column in the workbook, in characters (a CJK character
/// counting two).
const WIDTHS: [u16; 7] = [8, 50, 16, 22, 10, 13, 26];
/// Width of each column in the document, in twips (the body is 12 point,
/// a CJK character 240 twips, plus the cell margins): 2026-06-30 and 1.1.2
/// on one line.
const DOCX_WIDTHS: [u32; 7] = [900, 3800, 1700, 2600, 1100, 1800, 2100];
/// Columns whose cells are centred; 任务内容 and 进展 are left-aligned.
const CENTRED: [bool; 7] = [true, false, true, true, true, true, false];
const CONTENT_COL: usize = 1;
const DEADLINE_COL: usize = 5;
const LAST_COL: u16 = TASK_COLUMNS.len() as u16 - 1;
/// The single row written when there are no tasks.
pub const NO_TASKS: &str = "暂无任务";
const DEFAULT_TITLE: &str = "任务分解表";
/// Excel keeps at most this many UTF-16 units in a cell.
const CELL_LIMIT: usize = 32_767;
const CUT_NOTE: &str = "……（超出单元格长度上限，以下内容已省略）";
/// Excel's deepest cell indent.
const MAX_XLSX_INDENT: u8 = 15;
/// Height of one line of 11-point text, and Excel's tallest row, in points.
const LINE_HEIGHT: f64 = 15.0;
const MAX_ROW_HEIGHT: f64 = 409.0;
/// The document indents a sub-task by one full-width space per level, up
/// to this many.
const MAX_DOCX_INDENT: u8 = 8;

/// Writes `t` as an xlsx workbook: merged bold title, optional subtitle,
/// bold bordered header (frozen, and repeated on every printed page),
/// wrapped text, sub-tasks indented in 任务内容 by their depth, A4
/// landscape. With no rows the header is followed by one row "暂无任务".
///
/// Control characters are dropped and text longer than an Excel cell holds
/// is cut with a note saying so.
pub fn write_task_table_xlsx(t: &TaskTable) -> Result<Vec<u8>, SheetError> {
    let mut workbook = Workbook::new();
    let f = Formats::new();
    let sheet = workbook.add_worksheet();
    let _ = sheet.set_name(DEFAULT_TITLE);
    fill(sheet, &f, t).map_err(write_err)?;
    workbook.save_to_buffer().map_err(write_err)
}

fn fill(sheet: &mut Worksheet, f: &Formats, t: &TaskTable) -> Result<(), XlsxError> {
    sheet.merge_range(0, 0, 0, LAST_COL, &fit(&title(t)), &f.title)?;
    sheet.set_row_height(0, 36)?;
    let mut header = 1u32;
    if let Some(sub) = subtitle(t) {
        sheet.merge_range(1, 0, 1, LAST_COL, &fit(&sub), &f.subtitle)?;
        sheet.set_row_height(1, 22)?;
        header = 2;
    }
    for (col, (label, width)) in (0u16..).zip(TASK_COLUMNS.iter().zip(WIDTHS)) {
        sheet.set_column_width(col, f64::from(width))?;
        sheet.write_string_with_format(header, col, *label, &f.header)?;
    }
    sheet.set_row_height(header, 24)?;

    let mut r = header + 1;
    if t.rows.is_empty() {
        sheet.merge_range(r, 0, r, LAST_COL, NO_TASKS, &f.centred)?;
    }
    let indented: Vec<Format> = (0..=MAX_XLSX_INDENT).map(|i| f.text.clone().set_indent(i)).collect();
    for row in &t.rows {
        let cells = cells(row).map(|s| fit(&s));
        let lines = (0..cells.len()).map(|c| wrapped_lines(&cells[c], c, row.depth)).max().unwrap_or(1);
        if lines > 1 {
            sheet.set_row_height(r, (lines as f64 * LINE_HEIGHT + 3.0).min(MAX_ROW_HEIGHT))?;
        }
        for (col, value) in (0u16..).zip(cells) {
            let c = usize::from(col);
            if c == DEADLINE_COL
                && let Some(date) = canonical_date(&value)
            {
                sheet.write_datetime_with_format(r, col, date, &f.date)?;
                continue;
            }
            let format = match c {
                CONTENT_COL => &indented[usize::from(row.depth.min(MAX_XLSX_INDENT))],
                _ if CENTRED[c] => &f.centred,
                _ => &f.text,
            };
            write_text(sheet, r, col, &value, format)?;
        }
        r += 1;
    }

    sheet.set_freeze_panes(header + 1, 0)?;
    sheet.set_repeat_rows(header, header)?;
    page_setup(sheet);
    Ok(())
}

/// Writes `t` as a Word document on landscape A4: centred title, subtitle,
/// then one table with a bold shaded header and columns sized for its
/// 12-point text (任务内容 widest). Sub-tasks are indented in 任务内容 by a full-width space per
/// level. With no rows the header is followed by one row "暂无任务".
pub fn write_task_table_docx(t: &TaskTable) -> Result<Vec<u8>, SheetError> {
    let columns = (0..TASK_COLUMNS.len())
        .map(|i| GridColumn { header: TASK_COLUMNS[i].to_string(), weight: DOCX_WIDTHS[i], centred: CENTRED[i] })
        .collect();
    let rows = if t.rows.is_empty() {
        vec![vec![NO_TASKS.to_string()]]
    } else {
        t.rows
            .iter()
            .map(|row| {
                let mut cells = cells(row);
                let pad = "　".repeat(usize::from(row.depth.min(MAX_DOCX_INDENT)));
                if !pad.is_empty() {
                    cells[CONTENT_COL] =
                        cells[CONTENT_COL].split('\n').map(|l| format!("{pad}{l}")).collect::<Vec<_>>().join("\n");
                }
                cells.to_vec()
            })
            .collect()
    };
    let doc = Document { title: title(t), subtitle: subtitle(t), blocks: vec![Block::Grid { columns, rows }] };
    write_docx_on(&doc, Paper::Landscape)
}

/// How many lines `value` takes in column `col` once wrapped: neither
/// Excel nor LibreOffice fits a row's height to wrapped text on opening.
fn wrapped_lines(value: &str, col: usize, depth: u8) -> usize {
    let indent = if col == CONTENT_COL { 3 * usize::from(depth.min(MAX_XLSX_INDENT)) } else { 0 };
    // A CJK character is a little wider than two digits.
    let room = (usize::from(WIDTHS[col]) * 9 / 10).saturating_sub(indent).max(4);
    value.split('\n').map(|line| display_width(line).div_ceil(room).max(1)).sum()
}

fn title(t: &TaskTable) -> String {
    let title = clean(t.title.trim());
    if title.trim().is_empty() { DEFAULT_TITLE.to_string() } else { title }
}

fn subtitle(t: &TaskTable) -> Option<String> {
    t.subtitle.as_deref().map(|s| clean(s.trim())).filter(|s| !s.trim().is_empty())
}

/// A row's cells in column order, cleaned.
fn cells(row: &TaskRow) -> [String; 7] {
    [&row.seq, &row.content, &row.lead_unit, &row.supporting_units, &row.owner, &row.deadline, &row.progress]
        .map(|s| clean(s))
}

/// `s` cut, with a note, to what an Excel cell holds.
fn fit(s: &str) -> String {
    if s.encode_utf16().count() <= CELL_LIMIT {
        return s.to_string();
    }
    let room = CELL_LIMIT - CUT_NOTE.encode_utf16().count();
    let mut used = 0;
    let mut out: String = s
        .chars()
        .take_while(|c| {
            used += c.len_utf16();
            used <= room
        })
        .collect();
    out.push_str(CUT_NOTE);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_longer_than_a_cell_is_cut_with_a_note() {
        assert_eq!(fit("短"), "短");
        let exact = "a".repeat(CELL_LIMIT);
        assert_eq!(fit(&exact), exact);
        for long in ["长".repeat(40_000), "𠀀".repeat(20_000)] {
            let cut = fit(&long);
            assert!(cut.encode_utf16().count() <= CELL_LIMIT);
            assert!(cut.ends_with(CUT_NOTE));
        }
    }

    #[test]
    fn wrapped_lines_count_line_breaks_wrapping_and_indent() {
        assert_eq!(wrapped_lines("", 0, 0), 1);
        assert_eq!(wrapped_lines("市委办公室", 2, 0), 1);
        assert_eq!(wrapped_lines("压实全面从严治党主体责任\n各级党组织书记履行第一责任人职责", CONTENT_COL, 0), 2);
        assert_eq!(wrapped_lines(&"长".repeat(45), CONTENT_COL, 0), 2);
        assert!(wrapped_lines(&"长".repeat(45), CONTENT_COL, 15) > 2);
        assert_eq!(wrapped_lines("市委组织部、市纪委监委、市委宣传部", 3, 0), 2);
    }

    #[test]
    fn blank_titles_fall_back_and_blank_subtitles_are_left_out() {
        let t = TaskTable { title: " \u{1} ".into(), subtitle: Some("　".into()), rows: vec![] };
        assert_eq!(title(&t), DEFAULT_TITLE);
        assert_eq!(subtitle(&t), None);
    }
}
