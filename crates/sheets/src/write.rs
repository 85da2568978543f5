//! Writing problem lists in the office layout, and plain titled tables.

use rust_xlsxwriter::{Color, ExcelDateTime, Format, FormatAlign, FormatBorder, Workbook, Worksheet, XlsxError};

use crate::SheetError;
use crate::read::format_number;

/// One problem as exported; every field is display text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ExportRow {
    pub seq: String,
    /// The section heading ("一、党的领导方面") this problem stands under;
    /// a heading row is written whenever it changes to a new `Some`.
    pub section: Option<String>,
    pub description: String,
    pub measures: String,
    pub lead_unit: String,
    pub supporting_units: String,
    pub leader: String,
    pub owner: String,
    /// A deadline in canonical `YYYY-MM-DD` form is written as a real Excel
    /// date; anything else ("2026年6月底", "长期坚持") as text.
    pub deadline: String,
    pub progress: String,
    pub status: String,
}

/// Second-row labels under the merged "责任" header.
const DUTY_GROUP: &str = "责任";
const DUTY_COLS: (u16, u16) = (3, 6);
/// (top-row label, second-row label under 责任 or "", width in characters).
const PROBLEM_COLUMNS: [(&str, &str, f64); 10] = [
    ("序号", "", 6.0),
    ("问题表现", "", 42.0),
    ("整改措施", "", 42.0),
    (DUTY_GROUP, "责任领导", 10.0),
    (DUTY_GROUP, "责任单位", 16.0),
    (DUTY_GROUP, "配合单位", 16.0),
    (DUTY_GROUP, "责任人", 10.0),
    ("整改时限", "", 13.0),
    ("整改进展", "", 32.0),
    ("整改状态", "", 10.0),
];
const LAST_COL: u16 = PROBLEM_COLUMNS.len() as u16 - 1;
/// 9 is A4 in Excel's paper-size table.
const PAPER_A4: u8 = 9;

/// The cell styles every sheet this crate writes shares.
pub(crate) struct Formats {
    pub(crate) title: Format,
    pub(crate) subtitle: Format,
    pub(crate) header: Format,
    pub(crate) section: Format,
    pub(crate) text: Format,
    pub(crate) centred: Format,
    pub(crate) date: Format,
}

impl Formats {
    pub(crate) fn new() -> Self {
        let cell = Format::new().set_border(FormatBorder::Thin).set_text_wrap().set_align(FormatAlign::VerticalCenter);
        Formats {
            title: Format::new()
                .set_bold()
                .set_font_size(16)
                .set_align(FormatAlign::Center)
                .set_align(FormatAlign::VerticalCenter),
            subtitle: Format::new().set_align(FormatAlign::Left).set_align(FormatAlign::VerticalCenter),
            header: cell.clone().set_bold().set_align(FormatAlign::Center).set_background_color(Color::RGB(0xD9_D9_D9)),
            section: cell.clone().set_bold().set_align(FormatAlign::Left).set_background_color(Color::RGB(0xF2_F2_F2)),
            text: cell.clone().set_align(FormatAlign::Left),
            centred: cell.clone().set_align(FormatAlign::Center),
            date: cell.set_align(FormatAlign::Center).set_num_format("yyyy-mm-dd"),
        }
    }
}

pub(crate) fn write_err(e: XlsxError) -> SheetError {
    SheetError::Write(e.to_string())
}

/// A problem list in the layout offices use: merged bold title, optional
/// subtitle, a two-row header with "责任" merged over 责任领导 / 责任单位 /
/// 配合单位 / 责任人 and the other headers merged vertically, a merged
/// heading row whenever the section changes, thin borders, wrapped text,
/// frozen header, A4 landscape with the header repeated on every page.
///
/// [`crate::read_xlsx`] reads it back to the same (trimmed) rows. A row
/// whose `section` is `None` after one with a section is shown under that
/// section, as the layout has no way to end one.
pub fn write_problem_list(title: &str, subtitle: Option<&str>, rows: &[ExportRow]) -> Result<Vec<u8>, SheetError> {
    let mut workbook = Workbook::new();
    let f = Formats::new();
    let sheet = workbook.add_worksheet();
    let _ = sheet.set_name("问题清单");
    fill_problem_list(sheet, &f, title, subtitle, rows).map_err(write_err)?;
    workbook.save_to_buffer().map_err(write_err)
}

fn fill_problem_list(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    subtitle: Option<&str>,
    rows: &[ExportRow],
) -> Result<(), XlsxError> {
    sheet.merge_range(0, 0, 0, LAST_COL, title, &f.title)?;
    sheet.set_row_height(0, 36)?;
    let mut top = 1u32;
    if let Some(sub) = subtitle {
        sheet.merge_range(1, 0, 1, LAST_COL, sub, &f.subtitle)?;
        sheet.set_row_height(1, 22)?;
        top = 2;
    }
    let sub = top + 1;
    for (col, (label, under, width)) in (0u16..).zip(PROBLEM_COLUMNS) {
        sheet.set_column_width(col, width)?;
        if under.is_empty() {
            sheet.merge_range(top, col, sub, col, label, &f.header)?;
        } else {
            sheet.write_string_with_format(sub, col, under, &f.header)?;
        }
    }
    sheet.merge_range(top, DUTY_COLS.0, top, DUTY_COLS.1, DUTY_GROUP, &f.header)?;

    let mut r = sub + 1;
    let mut section: Option<&str> = None;
    for row in rows {
        if let Some(s) = row.section.as_deref()
            && section != Some(s)
        {
            sheet.merge_range(r, 0, r, LAST_COL, s, &f.section)?;
            section = Some(s);
            r += 1;
        }
        let cells = [
            (&row.seq, &f.centred),
            (&row.description, &f.text),
            (&row.measures, &f.text),
            (&row.leader, &f.centred),
            (&row.lead_unit, &f.centred),
            (&row.supporting_units, &f.centred),
            (&row.owner, &f.centred),
            (&row.deadline, &f.centred),
            (&row.progress, &f.text),
            (&row.status, &f.centred),
        ];
        for (col, (value, format)) in (0u16..).zip(cells) {
            if col == 7
                && let Some(date) = canonical_date(value)
            {
                sheet.write_datetime_with_format(r, col, date, &f.date)?;
            } else {
                write_cell(sheet, r, col, value, format)?;
            }
        }
        r += 1;
    }

    sheet.set_freeze_panes(sub + 1, 0)?;
    sheet.set_repeat_rows(top, sub)?;
    page_setup(sheet);
    Ok(())
}

/// A plain table: merged bold title, one bold header row, then the rows;
/// numbers (in the form [`crate::read_xlsx`] gives them back) as numbers,
/// everything else as text. Column widths follow the content.
pub fn write_table(title: &str, headers: &[&str], rows: &[Vec<String>]) -> Result<Vec<u8>, SheetError> {
    let mut workbook = Workbook::new();
    let f = Formats::new();
    let sheet = workbook.add_worksheet();
    let name = sheet_name(title);
    if !name.is_empty() {
        let _ = sheet.set_name(name);
    }
    fill_table(sheet, &f, title, headers, rows).map_err(write_err)?;
    workbook.save_to_buffer().map_err(write_err)
}

fn fill_table(
    sheet: &mut Worksheet,
    f: &Formats,
    title: &str,
    headers: &[&str],
    rows: &[Vec<String>],
) -> Result<(), XlsxError> {
    let ncols = rows.iter().map(Vec::len).chain([headers.len(), 1]).max().unwrap_or(1);
    let last = u16::try_from(ncols - 1).map_err(|_| XlsxError::RowColumnLimitError)?;
    if last == 0 {
        sheet.write_string_with_format(0, 0, title, &f.title)?;
    } else {
        sheet.merge_range(0, 0, 0, last, title, &f.title)?;
    }
    sheet.set_row_height(0, 30)?;
    let mut widths = vec![6usize; ncols];
    for (col, header) in (0u16..).zip(headers) {
        sheet.write_string_with_format(1, col, *header, &f.header)?;
        widths[col as usize] = widths[col as usize].max(display_width(header));
    }
    for (r, row) in (2u32..).zip(rows) {
        for (col, value) in (0u16..).zip(row) {
            write_cell(sheet, r, col, value, &f.text)?;
            widths[col as usize] = widths[col as usize].max(display_width(value));
        }
    }
    for (col, width) in (0u16..).zip(&widths) {
        sheet.set_column_width(col, (*width).min(50) as f64 + 2.0)?;
    }
    sheet.set_freeze_panes(2, 0)?;
    sheet.set_repeat_rows(1, 1)?;
    page_setup(sheet);
    Ok(())
}

/// A4 landscape, fitted to the page width, centred, numbered pages.
pub(crate) fn page_setup(sheet: &mut Worksheet) {
    sheet
        .set_landscape()
        .set_paper_size(PAPER_A4)
        .set_print_fit_to_pages(1, 0)
        .set_print_center_horizontally(true)
        .set_margins(0.5, 0.5, 0.6, 0.6, 0.3, 0.3)
        .set_footer("&C第 &P 页，共 &N 页");
}

/// A number when it reads back as the same text, a blank bordered cell when
/// empty, text otherwise.
fn write_cell(sheet: &mut Worksheet, r: u32, col: u16, value: &str, format: &Format) -> Result<(), XlsxError> {
    match plain_number(value) {
        Some(n) => sheet.write_number_with_format(r, col, n, format).map(|_| ()),
        None => write_text(sheet, r, col, value, format),
    }
}

/// Text as text (never a number), a blank bordered cell when empty.
pub(crate) fn write_text(
    sheet: &mut Worksheet,
    r: u32,
    col: u16,
    value: &str,
    format: &Format,
) -> Result<(), XlsxError> {
    if value.is_empty() {
        sheet.write_blank(r, col, format)?;
    } else {
        sheet.write_string_with_format(r, col, value, format)?;
    }
    Ok(())
}

/// "12", "-3", "2.5" → the number; not "007", "1e3", "12.50" or other text
/// that would come back changed.
fn plain_number(s: &str) -> Option<f64> {
    let digits = s.strip_prefix('-').unwrap_or(s);
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return None;
    }
    let n: f64 = s.parse().ok()?;
    (format_number(n) == s).then_some(n)
}

/// A `YYYY-MM-DD` deadline as an Excel date (read back as the same text).
pub(crate) fn canonical_date(s: &str) -> Option<ExcelDateTime> {
    let b = s.as_bytes();
    if b.len() != 10 || b[4] != b'-' || b[7] != b'-' {
        return None;
    }
    let date = crate::parse_deadline(s).ok()?;
    ExcelDateTime::from_ymd(date.year() as u16, date.month() as u8, date.day() as u8).ok()
}

/// Columns are sized in Latin characters; a CJK character is two.
pub(crate) fn display_width(s: &str) -> usize {
    s.lines().map(|line| line.chars().map(|c| if c.len_utf8() >= 3 { 2 } else { 1 }).sum::<usize>()).max().unwrap_or(0)
}

/// An Excel sheet name from a title: no []:*?/\, at most 31 characters.
fn sheet_name(title: &str) -> String {
    let cleaned: String = title
        .chars()
        .filter(|c| !matches!(c, '[' | ']' | ':' | '*' | '?' | '/' | '\\') && !c.is_control())
        .take(31)
        .collect();
    cleaned.trim().trim_matches('\'').trim().to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_numbers_that_read_back_unchanged_are_written_as_numbers() {
        assert_eq!(plain_number("12"), Some(12.0));
        assert_eq!(plain_number("-3"), Some(-3.0));
        assert_eq!(plain_number("2.5"), Some(2.5));
        for text in ["007", "12.50", "1e3", "1.", ".5", "-", "", "1,000", "12345678901234567", "NaN", "inf", "一"] {
            assert_eq!(plain_number(text), None, "{text}");
        }
    }

    #[test]
    fn only_canonical_valid_dates_become_excel_dates() {
        assert!(canonical_date("2026-06-30").is_some());
        assert!(canonical_date("2026-6-30").is_none());
        assert!(canonical_date("2026-02-30").is_none());
        assert!(canonical_date("2026年6月底").is_none());
    }

    #[test]
    fn cjk_characters_count_double_for_column_width() {
        assert_eq!(display_width("abc"), 3);
        assert_eq!(display_width("问题表现"), 8);
        assert_eq!(display_width("ab\n问题"), 4);
    }

    #[test]
    fn sheet_names_drop_forbidden_characters_and_fit_31_chars() {
        assert_eq!(sheet_name("进度/排名[2026]"), "进度排名2026");
        assert_eq!(sheet_name(&"长".repeat(40)).chars().count(), 31);
        assert_eq!(sheet_name("'?'"), "");
    }
}
