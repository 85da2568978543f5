//! Reading a hand-made problem-list workbook into a [`Table`].
//!
//! The first worksheet is streamed cell by cell (never as a dense range, so a
//! sheet claiming a million rows or a cell at XFD1048576 costs nothing) into
//! a sparse grid of non-empty cells plus its merged regions; the layout
//! (title, header rows, sections, data) is then worked out in
//! the `layout` submodule.

use std::collections::BTreeMap;
use std::io::Cursor;
use std::panic::{AssertUnwindSafe, catch_unwind};

use calamine::{DataRef, Reader, SheetType, Xlsx};

use crate::{SheetError, Table};

mod layout;

/// Most data rows a sheet may have.
pub const MAX_DATA_ROWS: usize = 20_000;
/// Columns beyond this many (A.. ) are ignored.
pub const MAX_COLUMNS: usize = 200;
/// Non-empty rows kept in memory: the data rows plus room for titles,
/// headers and section headings. Rows past this are only counted.
const MAX_STORED_ROWS: usize = MAX_DATA_ROWS + 2_000;
/// Excel's own limit for the text of one cell.
const MAX_CELL_CHARS: usize = 32_767;
/// Total text kept from one sheet, including merged values copied into the
/// cells they cover.
pub(crate) const MAX_TEXT_BYTES: usize = 128 * 1024 * 1024;
/// Most bytes the parts of a workbook may unpack to.
pub const MAX_UNPACKED_BYTES: u64 = 256 * 1024 * 1024;

/// One non-empty cell as read.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Raw {
    pub text: String,
    /// A number, date or boolean rather than text.
    pub numeric: bool,
}

/// A merged region, 0-based inclusive.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Merge {
    pub r0: u32,
    pub c0: u32,
    pub r1: u32,
    pub c1: u32,
}

/// The first worksheet as a sparse grid.
#[derive(Debug, Default)]
pub(crate) struct Grid {
    /// 0-based row → 0-based column → cell; only non-empty cells.
    pub cells: BTreeMap<u32, BTreeMap<u32, Raw>>,
    pub merges: Vec<Merge>,
    /// Non-empty rows past [`MAX_STORED_ROWS`], counted but not kept.
    pub overflow_rows: usize,
}

/// Reads the first worksheet of an `.xlsx` workbook.
///
/// Finds the title, the (one- to three-row) header with merged cells, the
/// section headings and the data rows; see [`Table`]. At most
/// [`MAX_DATA_ROWS`] data rows. Any input that is not such a workbook is an
/// error, never a panic.
pub fn read_xlsx(bytes: &[u8]) -> Result<Table, SheetError> {
    if bytes.is_empty() {
        return Err(SheetError::NotXlsx("the file is empty (0 bytes)".into()));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) {
        return Err(SheetError::NotXlsx(
            "this is an old .xls workbook or a password-protected one; save it as an unprotected .xlsx".into(),
        ));
    }
    if !bytes.starts_with(b"PK") {
        return Err(SheetError::NotXlsx("the file is not a zip archive, as every .xlsx is".into()));
    }
    // calamine unpacks whole parts (the shared strings) into memory, so a
    // small "zip bomb" could exhaust it: check what the zip declares first
    // (the zip reader refuses parts longer than declared).
    if declared_unpacked_size(bytes).is_some_and(|n| n > MAX_UNPACKED_BYTES) {
        return Err(SheetError::TooMuchData { limit_mib: (MAX_UNPACKED_BYTES >> 20) as usize });
    }
    // calamine panics on some damaged workbooks (for example an integer
    // overflow on an over-long cell reference such as r="A99999999999" in a
    // debug build), so the whole parse runs under catch_unwind and a panic
    // becomes NotXlsx. Nothing it touches outlives the call, so no broken
    // state can be observed afterwards.
    let grid = match catch_unwind(AssertUnwindSafe(|| load(bytes))) {
        Ok(grid) => grid?,
        Err(_) => return Err(SheetError::NotXlsx("the workbook is damaged".into())),
    };
    layout::build(grid)
}

fn load(bytes: &[u8]) -> Result<Grid, SheetError> {
    let not_xlsx = |e: calamine::XlsxError| SheetError::NotXlsx(e.to_string());
    let mut workbook: Xlsx<_> = Xlsx::new(Cursor::new(bytes)).map_err(not_xlsx)?;
    let name = workbook
        .sheets_metadata()
        .iter()
        .find(|s| matches!(s.typ, SheetType::WorkSheet))
        .map(|s| s.name.clone())
        .ok_or(SheetError::NoSheet)?;

    let mut grid = Grid::default();
    let mut text_bytes = 0usize;
    {
        let mut reader = workbook.worksheet_cells_reader(&name).map_err(not_xlsx)?;
        let mut last_overflow_row = None;
        while let Some(cell) = reader.next_cell().map_err(not_xlsx)? {
            let (row, col) = cell.get_position();
            if col as usize >= MAX_COLUMNS {
                continue;
            }
            let Some(raw) = render(cell.get_value()) else { continue };
            if !grid.cells.contains_key(&row) && grid.cells.len() >= MAX_STORED_ROWS {
                if last_overflow_row != Some(row) {
                    grid.overflow_rows += 1;
                    last_overflow_row = Some(row);
                }
                continue;
            }
            text_bytes += raw.text.len();
            if text_bytes > MAX_TEXT_BYTES {
                return Err(too_much_text());
            }
            grid.cells.entry(row).or_default().insert(col, raw);
        }
    }
    if grid.cells.is_empty() {
        return Err(SheetError::EmptySheet);
    }
    for d in workbook.merge_cells_by_sheet_name(&name).map_err(not_xlsx)? {
        let (r0, r1) = (d.start.0.min(d.end.0), d.start.0.max(d.end.0));
        let (c0, c1) = (d.start.1.min(d.end.1), d.start.1.max(d.end.1));
        if (c0 as usize) < MAX_COLUMNS && (r0, c0) != (r1, c1) {
            let c1 = c1.min(MAX_COLUMNS as u32 - 1);
            grid.merges.push(Merge { r0, c0, r1, c1 });
        }
    }
    Ok(grid)
}

pub(crate) fn too_much_text() -> SheetError {
    SheetError::TooMuchData { limit_mib: MAX_TEXT_BYTES >> 20 }
}

/// The sum of the unpacked sizes a zip's central directory declares;
/// `u64::MAX` for zip64 sizes or entry counts, `None` when there is no
/// readable directory (calamine then reports the damage). The directory is
/// located from the end record, so data prepended to the archive does not
/// hide it.
fn declared_unpacked_size(bytes: &[u8]) -> Option<u64> {
    let u16_at = |i: usize| Some(u16::from_le_bytes(bytes.get(i..i.checked_add(2)?)?.try_into().ok()?));
    let u32_at = |i: usize| Some(u32::from_le_bytes(bytes.get(i..i.checked_add(4)?)?.try_into().ok()?));
    let last = bytes.len().checked_sub(22)?;
    let first = last.saturating_sub(u16::MAX as usize);
    let end = (first..=last).rev().find(|&i| u32_at(i) == Some(0x0605_4b50))?;
    let entries = u16_at(end + 10)?;
    let cd_size = u32_at(end + 12)?;
    if entries == u16::MAX || cd_size == u32::MAX {
        return Some(u64::MAX);
    }
    let mut at = end.checked_sub(cd_size as usize)?;
    let mut total = 0u64;
    for _ in 0..entries {
        if u32_at(at)? != 0x0201_4b50 {
            return None;
        }
        let size = u32_at(at + 24)?;
        if size == u32::MAX {
            return Some(u64::MAX);
        }
        total += u64::from(size);
        let lengths = [u16_at(at + 28)?, u16_at(at + 30)?, u16_at(at + 32)?];
        at += 46 + lengths.iter().map(|n| *n as usize).sum::<usize>();
    }
    Some(total)
}

/// A cell as the text the user sees; `None` for an empty cell.
fn render(value: &DataRef<'_>) -> Option<Raw> {
    let text = |s: &str| Raw { text: clean_text(s), numeric: false };
    let number = |s: String| Raw { text: s, numeric: true };
    let raw = match value {
        DataRef::Empty => return None,
        DataRef::String(s) => text(s),
        DataRef::SharedString(s) => text(s),
        DataRef::Int(i) => number(i.to_string()),
        DataRef::Float(f) => number(format_number(*f)),
        DataRef::Bool(b) => number(if *b { "TRUE" } else { "FALSE" }.to_string()),
        DataRef::DateTime(dt) if dt.is_duration() => number(format_number(dt.as_f64())),
        DataRef::DateTime(dt) => {
            let (y, mo, d, h, mi, s, _) = dt.to_ymd_hms_milli();
            let date = format!("{y:04}-{mo:02}-{d:02}");
            let time = if s == 0 { format!("{h:02}:{mi:02}") } else { format!("{h:02}:{mi:02}:{s:02}") };
            let serial = dt.as_f64();
            number(if (h, mi, s) == (0, 0, 0) {
                date
            } else if (0.0..1.0).contains(&serial) {
                time
            } else {
                format!("{date} {time}")
            })
        }
        DataRef::DateTimeIso(s) => {
            let s = s.trim();
            let s = s.strip_suffix("T00:00:00").unwrap_or(s);
            number(clean_text(&s.replacen('T', " ", 1)))
        }
        DataRef::DurationIso(s) => number(clean_text(s)),
        DataRef::Error(e) => number(e.to_string()),
    };
    (!raw.text.is_empty()).then_some(raw)
}

/// Trimmed, Windows line breaks as "\n", at most [`MAX_CELL_CHARS`] chars.
fn clean_text(s: &str) -> String {
    let s = s.trim();
    let s = if s.contains('\r') { s.replace("\r\n", "\n").replace('\r', "\n") } else { s.to_string() };
    match s.char_indices().nth(MAX_CELL_CHARS) {
        Some((cut, _)) => s[..cut].trim_end().to_string(),
        None => s,
    }
}

/// Numbers as Excel shows them in a General cell: whole numbers without
/// ".0", others in the shortest form that reads back the same.
pub(crate) fn format_number(f: f64) -> String {
    if f.is_finite() && f.fract() == 0.0 && f.abs() < 1e15 { format!("{}", f as i64) } else { format!("{f}") }
}

#[cfg(test)]
mod tests {
    use super::*;
    use calamine::{ExcelDateTime, ExcelDateTimeType};

    fn text_of(v: DataRef<'_>) -> Option<String> {
        render(&v).map(|r| r.text)
    }

    #[test]
    fn numbers_are_written_without_a_trailing_zero() {
        assert_eq!(format_number(3.0), "3");
        assert_eq!(format_number(-12.0), "-12");
        assert_eq!(format_number(0.1), "0.1");
        assert_eq!(format_number(2.5), "2.5");
        assert_eq!(format_number(f64::NAN), "NaN");
        assert_eq!(format_number(1e20), "100000000000000000000");
    }

    #[test]
    fn dates_are_iso_and_keep_a_time_only_when_there_is_one() {
        let date = |v: f64| DataRef::DateTime(ExcelDateTime::new(v, ExcelDateTimeType::DateTime, false));
        assert_eq!(text_of(date(46203.0)).as_deref(), Some("2026-06-30"));
        assert_eq!(text_of(date(46203.75)).as_deref(), Some("2026-06-30 18:00"));
        assert_eq!(text_of(date(0.5)).as_deref(), Some("12:00"));
        assert!(text_of(date(f64::NAN)).is_some());
        assert!(text_of(date(f64::INFINITY)).is_some());
        assert_eq!(text_of(DataRef::DateTimeIso("2026-06-30T00:00:00".into())).as_deref(), Some("2026-06-30"));
    }

    #[test]
    fn text_is_trimmed_and_blank_text_is_empty() {
        assert_eq!(text_of(DataRef::SharedString("  问题一 \r\n")).as_deref(), Some("问题一"));
        assert_eq!(text_of(DataRef::String("a\r\nb".into())).as_deref(), Some("a\nb"));
        assert_eq!(text_of(DataRef::String(" \u{3000} ".into())), None);
        assert_eq!(text_of(DataRef::Empty), None);
        let long = "长".repeat(MAX_CELL_CHARS + 10);
        assert_eq!(text_of(DataRef::String(long)).map(|s| s.chars().count()), Some(MAX_CELL_CHARS));
    }

    #[test]
    fn non_xlsx_bytes_are_refused_before_parsing() {
        assert!(matches!(read_xlsx(b""), Err(SheetError::NotXlsx(m)) if m.contains("empty")));
        assert!(matches!(read_xlsx(b"hello"), Err(SheetError::NotXlsx(m)) if m.contains("zip")));
        let xls = [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
        assert!(matches!(read_xlsx(&xls), Err(SheetError::NotXlsx(m)) if m.contains(".xls")));
    }

    /// A stored zip with one entry, declaring `size` unpacked bytes.
    fn zip_declaring(size: u32, prefix: &[u8]) -> Vec<u8> {
        let name = b"a.txt";
        let mut z = prefix.to_vec();
        let local_at = z.len() as u32;
        z.extend(0x0403_4b50u32.to_le_bytes());
        z.extend([0u8; 14]);
        z.extend(1u32.to_le_bytes());
        z.extend(size.to_le_bytes());
        z.extend((name.len() as u16).to_le_bytes());
        z.extend(0u16.to_le_bytes());
        z.extend(name);
        z.push(b'x');
        let cd_at = z.len();
        z.extend(0x0201_4b50u32.to_le_bytes());
        z.extend([0u8; 16]);
        z.extend(1u32.to_le_bytes());
        z.extend(size.to_le_bytes());
        z.extend((name.len() as u16).to_le_bytes());
        z.extend([0u8; 12]);
        z.extend(local_at.to_le_bytes());
        z.extend(name);
        let cd_size = (z.len() - cd_at) as u32;
        z.extend(0x0605_4b50u32.to_le_bytes());
        z.extend([0u8; 4]);
        z.extend(1u16.to_le_bytes());
        z.extend(1u16.to_le_bytes());
        z.extend(cd_size.to_le_bytes());
        z.extend((cd_at as u32).to_le_bytes());
        z.extend(0u16.to_le_bytes());
        z
    }

    #[test]
    fn declared_unpacked_size_sums_the_central_directory() {
        assert_eq!(declared_unpacked_size(&zip_declaring(1234, b"")), Some(1234));
        assert_eq!(declared_unpacked_size(&zip_declaring(1234, b"prepended junk")), Some(1234));
        assert_eq!(declared_unpacked_size(&zip_declaring(u32::MAX, b"")), Some(u64::MAX));
        assert_eq!(declared_unpacked_size(b"PK"), None);
        let mut cut = zip_declaring(1, b"");
        cut.drain(30..40);
        assert_eq!(declared_unpacked_size(&cut), None);
    }

    #[test]
    fn zip_bombs_are_refused_before_unpacking() {
        let bomb = zip_declaring(3_000_000_000, b"");
        assert_eq!(read_xlsx(&bomb), Err(SheetError::TooMuchData { limit_mib: 256 }));
        assert!(matches!(read_xlsx(&zip_declaring(1, b"")), Err(SheetError::NotXlsx(_))));
    }
}
