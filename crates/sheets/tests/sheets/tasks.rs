//! The task breakdown table (任务分解表) as a workbook and as a Word document.

use std::io::Read;

use calamine::{Data, Reader, Xlsx};
use qingfeng_sheets::{
    NO_TASKS, TASK_COLUMNS, TaskRow, TaskTable, read_xlsx, write_task_table_docx, write_task_table_xlsx,
};

pub const TITLE: &str = "关于落实《在全市全面从严治党工作会议上的讲话》的任务分解表";
pub const SUBTITLE: &str = "部署单位：中共某市委　下发日期：2026-03-02　导出日期：2026-12-06";

/// Two tasks, the first with two sub-tasks (one of them two levels deep).
pub fn sample() -> TaskTable {
    let row = |seq: &str, depth: u8, content: &str, lead: &str, deadline: &str, progress: &str| TaskRow {
        seq: seq.into(),
        depth,
        content: content.into(),
        lead_unit: lead.into(),
        supporting_units: "市委组织部、市纪委监委".into(),
        owner: "张三".into(),
        deadline: deadline.into(),
        progress: progress.into(),
    };
    TaskTable {
        title: TITLE.into(),
        subtitle: Some(SUBTITLE.into()),
        rows: vec![
            row(
                "1",
                0,
                "压实全面从严治党主体责任\n各级党组织书记履行第一责任人职责",
                "市委办公室",
                "2026-06-30",
                "60%　落实中　已超期3个工作日",
            ),
            row("1.1", 1, "制定年度责任清单", "市委办公室", "2026-04-30", "100%　已完成"),
            row("1.1.2", 2, "逐级签订责任书", "市委组织部", "长期坚持", ""),
            row("2", 0, "开展作风建设专项整治", "市纪委监委", "2026-12-31", "20%　落实中"),
        ],
    }
}

/// The text of one part of a zip package.
pub fn part(bytes: &[u8], name: &str) -> String {
    let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
    let mut s = String::new();
    z.by_name(name).unwrap().read_to_string(&mut s).unwrap();
    s
}

/// The text of each table cell of word/document.xml, in document order
/// (paragraphs of a cell joined with "\n").
fn docx_cells(document_xml: &str) -> Vec<String> {
    document_xml
        .split("<w:tc>")
        .skip(1)
        .map(|tc| {
            let tc = tc.split("</w:tc>").next().unwrap_or("");
            tc.split("</w:p>")
                .filter(|p| p.contains("<w:p"))
                .map(|p| {
                    p.split("<w:t ")
                        .skip(1)
                        .filter_map(|t| t.split_once('>')?.1.split("</w:t>").next())
                        .collect::<String>()
                })
                .collect::<Vec<_>>()
                .join("\n")
        })
        .collect()
}

fn row_cells(r: &TaskRow) -> Vec<&str> {
    vec![&r.seq, &r.content, &r.lead_unit, &r.supporting_units, &r.owner, &r.deadline, &r.progress]
}

#[test]
fn task_table_xlsx_reads_back_with_title_header_and_chinese_rows() {
    let t = sample();
    let bytes = write_task_table_xlsx(&t).unwrap();
    let table = read_xlsx(&bytes).unwrap();
    assert_eq!(table.title.as_deref(), Some(TITLE));
    assert_eq!(table.header_rows, 3..=3);
    let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, TASK_COLUMNS);
    let cells: Vec<Vec<String>> = table.rows.iter().map(|r| r.cells.clone()).collect();
    let expected: Vec<Vec<String>> =
        t.rows.iter().map(|r| row_cells(r).into_iter().map(String::from).collect()).collect();
    assert_eq!(cells, expected);

    // Read with calamine too: the subtitle, 序号 "1.1" kept as text, a real
    // date for a canonical deadline and text for "长期坚持".
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    let range = wb.worksheet_range("任务分解表").unwrap();
    assert_eq!(range.get_value((1, 0)), Some(&Data::String(SUBTITLE.into())));
    for (col, label) in TASK_COLUMNS.iter().enumerate() {
        assert_eq!(range.get_value((2, col as u32)), Some(&Data::String(label.to_string())));
    }
    assert_eq!(range.get_value((4, 0)), Some(&Data::String("1.1".into())));
    assert_eq!(range.get_value((3, 2)), Some(&Data::String("市委办公室".into())));
    assert!(matches!(range.get_value((3, 5)), Some(Data::DateTime(_))), "{:?}", range.get_value((3, 5)));
    assert_eq!(range.get_value((5, 5)), Some(&Data::String("长期坚持".into())));
}

#[test]
fn task_table_xlsx_has_the_office_layout() {
    let bytes = write_task_table_xlsx(&sample()).unwrap();
    let sheet = part(&bytes, "xl/worksheets/sheet1.xml");
    // merged title and subtitle over all seven columns
    assert!(sheet.contains(r#"<mergeCell ref="A1:G1"/>"#) && sheet.contains(r#"<mergeCell ref="A2:G2"/>"#), "{sheet}");
    assert!(sheet.contains(r#"orientation="landscape""#) && sheet.contains(r#"paperSize="9""#), "{sheet}");
    // the two-line task is two lines high (no viewer fits rows on opening)
    assert!(sheet.contains(r#"<row r="4" spans="1:7" ht="33" customHeight="1">"#), "{sheet}");
    // 任务内容 is the widest column
    assert!(sheet.contains(r#"<col min="2" max="2" width="50.7109375" customWidth="1"/>"#), "{sheet}");
    let workbook = part(&bytes, "xl/workbook.xml");
    assert!(workbook.contains("_xlnm.Print_Titles") && workbook.contains("$3:$3"), "{workbook}");
    let styles = part(&bytes, "xl/styles.xml");
    assert!(styles.contains(r#"indent="1""#) && styles.contains(r#"indent="2""#), "{styles}");
    assert!(styles.contains(r#"wrapText="1""#) && styles.contains("<b/>"), "{styles}");
}

#[test]
fn task_table_docx_has_the_cells_in_order_on_landscape_a4() {
    let t = sample();
    let body = part(&write_task_table_docx(&t).unwrap(), "word/document.xml");
    assert!(body.contains(TITLE) && body.contains(SUBTITLE), "{body}");
    assert!(body.contains(r#"w:orient="landscape""#) && body.contains(r#"w:w="16838""#), "{body}");
    let cells = docx_cells(&body);
    let mut expected: Vec<String> = TASK_COLUMNS.iter().map(|s| s.to_string()).collect();
    for r in &t.rows {
        let pad = "　".repeat(r.depth.into());
        for (i, c) in row_cells(r).into_iter().enumerate() {
            let c = if i == 1 {
                c.split('\n').map(|l| format!("{pad}{l}")).collect::<Vec<_>>().join("\n")
            } else {
                c.into()
            };
            expected.push(c);
        }
    }
    assert_eq!(cells, expected);
    assert_eq!(body.matches("<w:tr>").count(), 1 + t.rows.len());
}

#[test]
fn empty_task_table_has_the_header_and_says_no_tasks() {
    let t = TaskTable { title: String::new(), subtitle: None, rows: vec![] };
    let bytes = write_task_table_xlsx(&t).unwrap();
    let mut wb: Xlsx<_> = calamine::open_workbook_from_rs(std::io::Cursor::new(bytes)).unwrap();
    let range = wb.worksheet_range("任务分解表").unwrap();
    assert_eq!(range.get_value((0, 0)), Some(&Data::String("任务分解表".into())));
    assert_eq!(range.get_value((1, 1)), Some(&Data::String("任务内容".into())));
    assert_eq!(range.get_value((2, 0)), Some(&Data::String(NO_TASKS.into())));

    let body = part(&write_task_table_docx(&t).unwrap(), "word/document.xml");
    let mut expected: Vec<String> = TASK_COLUMNS.iter().map(|s| s.to_string()).collect();
    expected.push(NO_TASKS.into());
    assert_eq!(docx_cells(&body), expected);
    assert!(body.contains(r#"<w:gridSpan w:val="7" />"#), "{body}");
}

#[test]
fn hostile_text_deep_nesting_and_ten_thousand_rows_never_panic() {
    let hostile = TaskRow {
        seq: "\u{0}1".into(),
        depth: u8::MAX,
        content: format!("控制字符\u{1}\u{7}\u{1b}与'引号'<>&\r\n{}", "长".repeat(70_000)),
        lead_unit: "\u{FFFF}市委办公室\t".into(),
        supporting_units: "、".repeat(40_000),
        owner: "𠀀".repeat(20_000),
        deadline: "2026-02-30".into(),
        progress: "\u{8}".into(),
    };
    let t = TaskTable { title: "\u{1}".repeat(50_000), subtitle: Some("副".repeat(40_000)), rows: vec![hostile] };
    let table = read_xlsx(&write_task_table_xlsx(&t).unwrap()).unwrap();
    assert_eq!(table.rows.len(), 1);
    assert!(table.rows[0].cells[1].starts_with("控制字符与'引号'<>&\n长长"), "{:?}", &table.rows[0].cells[1][..40]);
    assert_eq!(table.rows[0].cells[2], "市委办公室");
    assert_eq!(table.rows[0].cells[5], "2026-02-30");
    let body = part(&write_task_table_docx(&t).unwrap(), "word/document.xml");
    assert!(!body.chars().any(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t')));
    assert!(body.contains("控制字符与&apos;引号&apos;&lt;&gt;&amp;") || body.contains("控制字符与'引号'&lt;&gt;&amp;"));

    let many: Vec<TaskRow> = (1..=10_000)
        .map(|i| TaskRow {
            seq: format!("{}.{}", i / 10, i % 10),
            depth: (i % 3) as u8,
            content: format!("第{i}项任务\n细化落实"),
            lead_unit: "市委办公室".into(),
            deadline: "2026-06-30".into(),
            ..TaskRow::default()
        })
        .collect();
    let t = TaskTable { title: "任务分解表".into(), subtitle: None, rows: many };
    let started = std::time::Instant::now();
    let xlsx = write_task_table_xlsx(&t).unwrap();
    assert_eq!(read_xlsx(&xlsx).unwrap().rows.len(), 10_000);
    let docx = write_task_table_docx(&t).unwrap();
    assert_eq!(part(&docx, "word/document.xml").matches("<w:tr>").count(), 10_001);
    assert!(started.elapsed().as_secs() < 60, "took {:?}", started.elapsed());
}
