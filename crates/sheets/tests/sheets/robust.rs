//! No input makes the reader panic: damaged, truncated, mutated, hostile.

use qingfeng_sheets::{ExportRow, MAX_DATA_ROWS, SheetError, read_xlsx, write_problem_list, write_table};

use crate::fixtures::{Rng, WORKBOOK_NO_SHEET, WORKBOOK_ONE_SHEET, sheet_xml, stored_zip, xlsx_from_xml};

fn not_xlsx(r: Result<qingfeng_sheets::Table, SheetError>) -> String {
    match r {
        Err(SheetError::NotXlsx(why)) => why,
        other => panic!("expected NotXlsx, got {other:?}"),
    }
}

fn sample_list() -> Vec<u8> {
    let rows: Vec<ExportRow> = (1..=6)
        .map(|i| ExportRow {
            seq: i.to_string(),
            section: Some(if i <= 3 { "一、党的领导方面" } else { "二、作风建设方面" }.to_string()),
            description: format!("问题{i}：落实不到位"),
            measures: "加强学习\n健全制度".into(),
            lead_unit: "市教育局".into(),
            deadline: "2026-06-30".into(),
            ..ExportRow::default()
        })
        .collect();
    write_problem_list("整改清单", Some("填报日期：2026年3月1日"), &rows).unwrap()
}

fn sample_xml() -> String {
    sheet_xml(
        &[
            ("A1", "整改清单"),
            ("A2", "序号"),
            ("B2", "问题"),
            ("C2", "责任"),
            ("E2", "整改时限"),
            ("C3", "责任单位"),
            ("D3", "责任人"),
            ("A4", "一、党的领导方面"),
            ("A5", "1"),
            ("B5", "问题甲"),
            ("C5", "单位"),
            ("D5", "人"),
            ("E5", "2026年6月底"),
        ],
        &["A1:E1", "A2:A3", "B2:B3", "C2:D2", "E2:E3", "A4:E4"],
    )
}

#[test]
fn empty_random_and_foreign_files_are_clear_errors() {
    assert!(not_xlsx(read_xlsx(&[])).contains("empty"));
    assert!(not_xlsx(read_xlsx("序号,问题\n1,甲".as_bytes())).contains("zip"));
    let mut rng = Rng::new(7);
    for len in [1, 2, 3, 10, 100, 4096] {
        let bytes: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        not_xlsx(read_xlsx(&bytes));
        let mut pk = b"PK\x03\x04".to_vec();
        pk.extend(&bytes);
        not_xlsx(read_xlsx(&pk));
    }
    let plain_zip = stored_zip(&[("hello.txt", "你好".as_bytes())]);
    assert!(!not_xlsx(read_xlsx(&plain_zip)).is_empty());
    assert!(!SheetError::NotXlsx("x".into()).zh().is_empty());
}

#[test]
fn workbook_without_worksheets_or_cells_is_refused() {
    let no_sheet = xlsx_from_xml(WORKBOOK_NO_SHEET, &sheet_xml(&[], &[]));
    assert_eq!(read_xlsx(&no_sheet), Err(SheetError::NoSheet));
    let empty_sheet = xlsx_from_xml(WORKBOOK_ONE_SHEET, &sheet_xml(&[], &[]));
    assert_eq!(read_xlsx(&empty_sheet), Err(SheetError::EmptySheet));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let empty_book = wb.save_to_buffer().unwrap();
    assert_eq!(read_xlsx(&empty_book), Err(SheetError::EmptySheet));
    let title_only = write_table("只有标题", &[], &[]).unwrap();
    assert_eq!(read_xlsx(&title_only), Err(SheetError::NoHeader));
}

#[test]
fn hand_written_sample_reads() {
    let table = read_xlsx(&xlsx_from_xml(WORKBOOK_ONE_SHEET, &sample_xml())).unwrap();
    assert_eq!(table.header_rows, 2..=3);
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].excel_row, 5);
    assert_eq!(table.rows[0].section.as_deref(), Some("一、党的领导方面"));
}

#[test]
fn every_truncation_of_a_valid_workbook_is_an_error_not_a_panic() {
    for bytes in [sample_list(), xlsx_from_xml(WORKBOOK_ONE_SHEET, &sample_xml())] {
        assert!(read_xlsx(&bytes).is_ok());
        let step = (bytes.len() / 300).max(1);
        for len in (0..bytes.len()).step_by(step).chain(bytes.len().saturating_sub(64)..bytes.len()) {
            assert!(read_xlsx(&bytes[..len]).is_err(), "prefix of {len} bytes read as a workbook");
        }
    }
}

#[test]
fn random_byte_mutations_never_panic() {
    let mut rng = Rng::new(0x5EED_2026);
    for bytes in [sample_list(), xlsx_from_xml(WORKBOOK_ONE_SHEET, &sample_xml())] {
        for _ in 0..400 {
            let mut m = bytes.clone();
            for _ in 0..=rng.below(8) {
                let at = rng.below(m.len());
                match rng.below(3) {
                    0 => m[at] = rng.next() as u8,
                    1 => m[at] ^= 1 << rng.below(8),
                    _ => m[at] = b"<>\"/=0129AZaz \x00\xff"[rng.below(16)],
                }
            }
            let _ = read_xlsx(&m);
        }
    }
}

#[test]
fn mutated_sheet_xml_with_valid_zip_checksums_never_panics() {
    // Mutating the XML before zipping gets past the zip layer, so these
    // reach calamine's XML and cell parsing (and our layout code).
    let xml = sample_xml();
    let mut rng = Rng::new(42);
    for _ in 0..600 {
        let mut m = xml.clone().into_bytes();
        for _ in 0..=rng.below(6) {
            if m.is_empty() {
                break;
            }
            let at = rng.below(m.len());
            match rng.below(4) {
                0 => m[at] = b"<>\"/=0129:AZ "[rng.below(13)],
                1 => {
                    m.remove(at);
                }
                2 => m.insert(at, b"0123456789"[rng.below(10)]),
                _ => m.truncate(at),
            }
        }
        let m = String::from_utf8_lossy(&m);
        let _ = read_xlsx(&xlsx_from_xml(WORKBOOK_ONE_SHEET, &m));
    }
}

#[test]
fn hostile_references_and_merges_are_handled() {
    let cases = [
        // row number overflowing u32 (calamine itself panics on this in debug builds)
        sample_xml().replace(r#"r="B5""#, r#"r="B99999999999""#),
        sample_xml().replace(r#"<row r="5">"#, r#"<row r="99999999999">"#),
        // column letters overflowing u32
        sample_xml().replace(r#"r="B5""#, r#"r="ZZZZZZZZZZZZZZZ5""#),
        // row 0 and a cell far away
        sample_xml().replace(r#"r="B5""#, r#"r="B0""#),
        sample_xml().replace(r#"r="B5""#, r#"r="XFD1048576""#),
        // reversed, single-cell, overlapping and enormous merges
        sample_xml().replace("A4:E4", "E4:A4"),
        sample_xml().replace("A4:E4", "A4:A4"),
        sample_xml().replace("A4:E4", "A1:XFD1048576"),
        sample_xml().replace("A4:E4", "A2:E5"),
        sample_xml().replace("A4:E4", "A0:E4"),
        sample_xml().replace("A4:E4", "nonsense"),
        sample_xml().replace("<sheetData>", r#"<dimension ref="A1:XFD1048576"/><sheetData>"#),
    ];
    for (i, xml) in cases.iter().enumerate() {
        let result = read_xlsx(&xlsx_from_xml(WORKBOOK_ONE_SHEET, xml));
        // calamine 0.38 overflows (and so panics in a debug build) on the
        // first three; read_xlsx turns that panic into NotXlsx.
        if i < 3 && cfg!(debug_assertions) {
            assert!(matches!(result, Err(SheetError::NotXlsx(_))), "case {i}: {result:?}");
        }
    }
    // A thousand overlapping merges over every row stay cheap.
    let many: Vec<String> = (1..=1000).map(|i| format!("A{i}:GR9000")).collect();
    let refs: Vec<&str> = many.iter().map(String::as_str).collect();
    let cells: Vec<(String, String)> = (5..3000).map(|r| (format!("B{r}"), format!("问题{r}"))).collect();
    let mut all: Vec<(&str, &str)> = vec![("A2", "序号"), ("B2", "问题")];
    all.extend(cells.iter().map(|(a, b)| (a.as_str(), b.as_str())));
    let started = std::time::Instant::now();
    let _ = read_xlsx(&xlsx_from_xml(WORKBOOK_ONE_SHEET, &sheet_xml(&all, &refs)));
    assert!(started.elapsed().as_secs() < 20, "took {:?}", started.elapsed());
}

#[test]
fn more_than_the_row_limit_is_too_large() {
    let rows = |n: usize| -> Vec<Vec<String>> { (1..=n).map(|i| vec![i.to_string(), "问题".to_string()]).collect() };
    let at_limit = write_table("清单", &["序号", "问题"], &rows(MAX_DATA_ROWS)).unwrap();
    assert_eq!(read_xlsx(&at_limit).unwrap().rows.len(), MAX_DATA_ROWS);
    let over = write_table("清单", &["序号", "问题"], &rows(MAX_DATA_ROWS + 1)).unwrap();
    assert_eq!(read_xlsx(&over), Err(SheetError::TooLarge { rows: MAX_DATA_ROWS + 1 }));
    let far_over = write_table("清单", &["序号", "问题"], &rows(MAX_DATA_ROWS + 3_000)).unwrap();
    assert_eq!(read_xlsx(&far_over), Err(SheetError::TooLarge { rows: MAX_DATA_ROWS + 3_000 }));
}
