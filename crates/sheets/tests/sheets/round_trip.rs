//! What the writer writes, the reader reads back the same.

use qingfeng_sheets::{ExportRow, Field, Mapping, Table, read_xlsx, write_problem_list, write_table};

fn back(table: &Table, m: &Mapping) -> Vec<ExportRow> {
    table
        .rows
        .iter()
        .map(|row| {
            let get = |f| table.get(row, m, f).to_string();
            ExportRow {
                seq: get(Field::Seq),
                section: row.section.clone(),
                description: get(Field::Description),
                measures: get(Field::Measures),
                lead_unit: get(Field::LeadUnit),
                supporting_units: get(Field::SupportingUnits),
                leader: get(Field::Leader),
                owner: get(Field::Owner),
                deadline: get(Field::Deadline),
                progress: get(Field::Progress),
                status: get(Field::Status),
            }
        })
        .collect()
}

fn problems() -> Vec<ExportRow> {
    let row = |seq: &str, section: &str, description: &str, deadline: &str| ExportRow {
        seq: seq.into(),
        section: Some(section.into()),
        description: description.into(),
        measures: "1.召开专题会议研究部署；\n2.建立问题台账，逐项销号。".into(),
        lead_unit: "市教育局".into(),
        supporting_units: "市财政局、市人社局".into(),
        leader: "王副市长".into(),
        owner: "张三".into(),
        deadline: deadline.into(),
        progress: "已制定整改方案，正在推进".into(),
        status: "整改中".into(),
    };
    vec![
        row("1", "一、党的领导方面", "理论学习中心组学习不深入、不系统", "2026-06-30"),
        row("2", "一、党的领导方面", "落实“第一议题”制度不到位", "2026年6月底"),
        row("3", "二、全面从严治党方面", "违规发放津贴补贴问题屡禁不止", "2026-12-31"),
        ExportRow {
            seq: "4".into(),
            section: Some("二、全面从严治党方面".into()),
            description: "公务用车管理混乱".into(),
            ..ExportRow::default()
        },
        row("5", "三、选人用人方面", "干部档案管理不规范", "长期坚持"),
        row("（一）", "三、选人用人方面", "序号不是数字的一行", "2027-01-01"),
    ]
}

#[test]
fn problem_list_round_trips_with_sections_and_every_column_mapped() {
    let rows = problems();
    for subtitle in [None, Some("填报单位：市教育局    填报日期：2026年3月1日")] {
        let bytes = write_problem_list("市委第一巡察组反馈问题整改清单", subtitle, &rows).unwrap();
        let table = read_xlsx(&bytes).unwrap();
        assert_eq!(table.title.as_deref(), Some("市委第一巡察组反馈问题整改清单"));
        let top = if subtitle.is_some() { 3 } else { 2 };
        assert_eq!(table.header_rows, top..=top + 1);
        assert!(table.columns.iter().all(|c| c.field.is_some()), "{:?}", table.columns);
        let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
        assert_eq!(
            labels,
            [
                "序号",
                "问题表现",
                "整改措施",
                "责任/责任领导",
                "责任/责任单位",
                "责任/配合单位",
                "责任/责任人",
                "整改时限",
                "整改进展",
                "整改状态"
            ]
        );
        let m = table.auto_mapping();
        assert_eq!(m.0.len(), 10);
        assert_eq!(back(&table, &m), rows);
        // one heading row before each of the three sections
        let first = top + 2;
        let excel_rows: Vec<u32> = table.rows.iter().map(|r| r.excel_row).collect();
        assert_eq!(excel_rows, [first + 1, first + 2, first + 4, first + 5, first + 7, first + 8]);
    }
}

#[test]
fn empty_problem_list_reads_back_empty() {
    let table = read_xlsx(&write_problem_list("清单", None, &[]).unwrap()).unwrap();
    assert!(table.rows.is_empty());
    assert_eq!(table.columns.len(), 10);
}

#[test]
fn generic_table_round_trips_text_and_numbers() {
    let rows = vec![
        vec!["市教育局".to_string(), "12".to_string(), "3.5".to_string(), "007".to_string()],
        vec!["市财政局".to_string(), "".to_string(), "-2".to_string(), "1e3".to_string()],
    ];
    let bytes = write_table("各单位整改进展", &["责任单位", "问题数", "整改进展", "备注"], &rows).unwrap();
    let table = read_xlsx(&bytes).unwrap();
    assert_eq!(table.title.as_deref(), Some("各单位整改进展"));
    assert_eq!(table.header_rows, 2..=2);
    let cells: Vec<Vec<String>> = table.rows.iter().map(|r| r.cells.clone()).collect();
    assert_eq!(cells, rows);
    assert_eq!(table.rows[0].excel_row, 3);
}

#[test]
fn writer_refuses_cells_beyond_excel_limits_with_an_error() {
    let huge = ExportRow { description: "长".repeat(40_000), ..ExportRow::default() };
    assert!(matches!(write_problem_list("清单", None, &[huge]), Err(qingfeng_sheets::SheetError::Write(_))));
    let odd = ExportRow { description: "控制字符\u{1}\u{7}与'引号'<>&".into(), ..ExportRow::default() };
    let bytes = write_problem_list("[清单]:*?/\\", Some(""), &[odd]).unwrap();
    assert!(read_xlsx(&bytes).is_ok());
    let wide: Vec<Vec<String>> = vec![vec!["x".to_string(); 300]];
    assert!(write_table("", &[], &wide).is_ok());
}
