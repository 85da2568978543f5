//! Workbooks laid out the way offices make them by hand.

use qingfeng_sheets::{Field, Mapping, SheetError, parse_deadline, read_xlsx};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use crate::fixtures::{WORKBOOK_ONE_SHEET, sheet_xml, xlsx_from_xml};

/// Rows as Excel shows them (1-based):
/// 1 title merged A1:H1; 2 subtitle merged A2:H2;
/// 3-4 header: 序号/问题表现/整改措施/整改时限/整改进展/备注 merged
///     vertically, 责任 merged D3:E3 over 责任单位 | 责任人;
/// 5 "一、党的领导方面" merged A5:H5;
/// 6 problem with a real Excel date and a numeric 序号;
/// 7 blank (whitespace only);
/// 8 problem with an impossible date typed as text and a number remark;
/// 9 "二、全面从严治党方面" unmerged in A9;
/// 10 problem with "2026年6月底";
/// 11 "三" in A11 beside "其他方面" in B11 (a section);
/// 12-13 two problems sharing 责任单位 merged D12:D13.
fn office_workbook() -> Result<Vec<u8>, XlsxError> {
    let mut wb = Workbook::new();
    let s = wb.add_worksheet();
    let plain = Format::new();
    let date = Format::new().set_num_format("yyyy\"年\"m\"月\"d\"日\"");
    s.merge_range(0, 0, 0, 7, "市委第一巡察组反馈问题整改清单", &plain)?;
    s.merge_range(1, 0, 1, 7, "填报单位：市教育局  填报日期：2026年3月1日", &plain)?;
    for (col, label) in
        [(0, "序  号"), (1, "问题\n表现"), (2, "整改措施"), (5, "整改时限"), (6, "整改进展"), (7, "备注")]
    {
        s.merge_range(2, col, 3, col, label, &plain)?;
    }
    s.merge_range(2, 3, 2, 4, "责任", &plain)?;
    s.write(3, 3, "责任单位")?;
    s.write(3, 4, "责任人")?;
    s.merge_range(4, 0, 4, 7, "一、党的领导方面", &plain)?;

    s.write(5, 0, 1)?;
    s.write(5, 1, " 理论学习中心组学习不深入 ")?;
    s.write(5, 2, "制定年度学习计划\n每月集中学习一次")?;
    s.write(5, 3, "市教育局")?;
    s.write(5, 4, "张三")?;
    s.write_datetime_with_format(5, 5, ExcelDateTime::from_ymd(2026, 6, 30)?, &date)?;
    s.write(5, 6, "已完成")?;

    s.write(6, 1, "   ")?;

    s.write(7, 0, 2)?;
    s.write(7, 1, "“三重一大”决策程序不规范")?;
    s.write(7, 2, "修订议事规则")?;
    s.write(7, 3, "市财政局")?;
    s.write(7, 4, "李四")?;
    s.write(7, 5, "2026-13-01")?;
    s.write(7, 6, "推进中")?;
    s.write(7, 7, 3.5)?;

    s.write(8, 0, "二、全面从严治党方面")?;

    s.write(9, 0, 3)?;
    s.write(9, 1, "违规发放津贴补贴")?;
    s.write(9, 2, "清退违规款项")?;
    s.write(9, 3, "市人社局")?;
    s.write(9, 5, "2026年6月底")?;
    s.write(9, 7, 100)?;

    s.write(10, 0, "三")?;
    s.write(10, 1, "其他方面")?;

    s.merge_range(11, 3, 12, 3, "市委办", &plain)?;
    for (row, seq, problem, owner) in [(11, 4, "档案管理不规范", "王五"), (12, 5, "保密制度落实不到位", "赵六")]
    {
        s.write(row, 0, seq)?;
        s.write(row, 1, problem)?;
        s.write(row, 4, owner)?;
        s.write(row, 5, "2026/9/30")?;
    }
    wb.save_to_buffer()
}

#[test]
fn office_layout_is_read_into_clean_rows() {
    let table = read_xlsx(&office_workbook().unwrap()).unwrap();
    assert_eq!(table.title.as_deref(), Some("市委第一巡察组反馈问题整改清单"));
    assert_eq!(table.header_rows, 3..=4);
    let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(
        labels,
        ["序号", "问题表现", "整改措施", "责任/责任单位", "责任/责任人", "整改时限", "整改进展", "备注"]
    );
    let fields: Vec<Option<Field>> = table.columns.iter().map(|c| c.field).collect();
    use Field::*;
    assert_eq!(
        fields,
        [
            Some(Seq),
            Some(Description),
            Some(Measures),
            Some(LeadUnit),
            Some(Owner),
            Some(Deadline),
            Some(Progress),
            Some(Remark)
        ]
    );
    assert_eq!(
        table.auto_mapping(),
        Mapping(vec![
            (Seq, 0),
            (Description, 1),
            (Measures, 2),
            (LeadUnit, 3),
            (Owner, 4),
            (Deadline, 5),
            (Progress, 6),
            (Remark, 7)
        ])
    );

    let excel_rows: Vec<u32> = table.rows.iter().map(|r| r.excel_row).collect();
    assert_eq!(excel_rows, [6, 8, 10, 12, 13], "blank row 7 and section rows 5, 9, 11 are not problems");
    let sections: Vec<Option<&str>> = table.rows.iter().map(|r| r.section.as_deref()).collect();
    assert_eq!(
        sections,
        [
            Some("一、党的领导方面"),
            Some("一、党的领导方面"),
            Some("二、全面从严治党方面"),
            Some("三、其他方面"),
            Some("三、其他方面")
        ]
    );

    let cells = |i: usize| table.rows[i].cells.iter().map(String::as_str).collect::<Vec<_>>();
    assert_eq!(
        cells(0),
        [
            "1",
            "理论学习中心组学习不深入",
            "制定年度学习计划\n每月集中学习一次",
            "市教育局",
            "张三",
            "2026-06-30",
            "已完成",
            ""
        ]
    );
    assert_eq!(
        cells(1),
        ["2", "“三重一大”决策程序不规范", "修订议事规则", "市财政局", "李四", "2026-13-01", "推进中", "3.5"]
    );
    assert_eq!(cells(2), ["3", "违规发放津贴补贴", "清退违规款项", "市人社局", "", "2026年6月底", "", "100"]);
    assert_eq!(cells(3), ["4", "档案管理不规范", "", "市委办", "王五", "2026/9/30", "", ""]);
    assert_eq!(
        cells(4),
        ["5", "保密制度落实不到位", "", "市委办", "赵六", "2026/9/30", "", ""],
        "merged 责任单位 reaches row 13"
    );

    let m = table.auto_mapping();
    let deadline = |i: usize| parse_deadline(table.get(&table.rows[i], &m, Deadline));
    assert_eq!(deadline(0).unwrap().to_string(), "2026-06-30");
    assert!(deadline(1).unwrap_err().starts_with("“2026-13-01”不是有效日期"));
    assert_eq!(deadline(2).unwrap().to_string(), "2026-06-30");
    assert_eq!(deadline(3).unwrap().to_string(), "2026-09-30");
    assert_eq!(table.get(&table.rows[1], &m, Owner), "李四");
    assert_eq!(table.get(&table.rows[1], &m, Source), "");
}

#[test]
fn single_header_row_without_title_recognises_every_synonym() {
    let headers = [
        "编号",
        "反馈问题",
        "措施",
        "牵头单位",
        "协同单位",
        "分管领导",
        "具体责任人",
        "完成时限",
        "完成情况",
        "来源",
        "根源分类",
        "备注",
    ];
    let mut wb = Workbook::new();
    let s = wb.add_worksheet();
    for (col, h) in (0u16..).zip(headers) {
        s.write(0, col, h).unwrap();
        s.write(1, col, format!("v{col}")).unwrap();
    }
    let table = read_xlsx(&wb.save_to_buffer().unwrap()).unwrap();
    assert_eq!(table.title, None);
    assert_eq!(table.header_rows, 1..=1);
    use Field::*;
    let expected = [
        Seq,
        Description,
        Measures,
        LeadUnit,
        SupportingUnits,
        Leader,
        Owner,
        Deadline,
        Progress,
        Source,
        RootCause,
        Remark,
    ];
    assert_eq!(table.auto_mapping().0, expected.iter().copied().zip(0..).collect::<Vec<_>>());
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].excel_row, 2);
    assert_eq!(table.rows[0].section, None);
}

#[test]
fn unmerged_second_header_row_under_a_group_label_is_part_of_the_header() {
    let xml = sheet_xml(
        &[
            ("A1", "整改清单"),
            ("A3", "序号"),
            ("B3", "存在问题"),
            ("C3", "责任"),
            ("E3", "时限"),
            ("C4", "牵头单位"),
            ("D4", "责任人"),
            ("A5", "1"),
            ("B5", "问题甲"),
            ("C5", "单位甲"),
            ("D5", "人甲"),
            ("E5", "2026年6月"),
        ],
        &[],
    );
    let table = read_xlsx(&xlsx_from_xml(WORKBOOK_ONE_SHEET, &xml)).unwrap();
    assert_eq!(table.title.as_deref(), Some("整改清单"));
    assert_eq!(table.header_rows, 3..=4);
    let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["序号", "存在问题", "责任/牵头单位", "责任人", "时限"]);
    assert_eq!(table.rows.len(), 1);
    assert_eq!(table.rows[0].excel_row, 5);
    assert_eq!(table.rows[0].cells, ["1", "问题甲", "单位甲", "人甲", "2026年6月"]);
}

#[test]
fn group_row_above_the_named_header_row_is_joined_into_labels() {
    // 序号 merged A1:A2 pulls the 基本情况/责任落实 group row into the header.
    let xml = sheet_xml(
        &[
            ("A1", "序号"),
            ("B1", "基本情况"),
            ("D1", "责任落实"),
            ("B2", "问题描述"),
            ("C2", "整改措施"),
            ("D2", "责任单位"),
            ("E2", "责任人"),
            ("A3", "1"),
            ("B3", "甲"),
            ("C3", "乙"),
            ("D3", "丙"),
            ("E3", "丁"),
        ],
        &["A1:A2", "B1:C1", "D1:E1"],
    );
    let table = read_xlsx(&xlsx_from_xml(WORKBOOK_ONE_SHEET, &xml)).unwrap();
    assert_eq!(table.title, None);
    assert_eq!(table.header_rows, 1..=2);
    let labels: Vec<&str> = table.columns.iter().map(|c| c.label.as_str()).collect();
    assert_eq!(labels, ["序号", "基本情况/问题描述", "基本情况/整改措施", "责任落实/责任单位", "责任落实/责任人"]);
    assert_eq!(table.auto_mapping().0.len(), 5);
}

#[test]
fn a_measure_continuing_a_merged_problem_is_not_a_section() {
    // B3:B4 is one problem with two measures; C4's "一、…" is a measure.
    let xml = sheet_xml(
        &[
            ("A1", "序号"),
            ("B1", "问题"),
            ("C1", "整改措施"),
            ("A3", "1"),
            ("B3", "问题甲"),
            ("C3", "措施一"),
            ("C4", "二、健全制度"),
        ],
        &["A3:A4", "B3:B4"],
    );
    let table = read_xlsx(&xlsx_from_xml(WORKBOOK_ONE_SHEET, &xml)).unwrap();
    let rows: Vec<(u32, Vec<&str>)> =
        table.rows.iter().map(|r| (r.excel_row, r.cells.iter().map(String::as_str).collect())).collect();
    assert_eq!(rows, [(3, vec!["1", "问题甲", "措施一"]), (4, vec!["1", "问题甲", "二、健全制度"])]);
    assert!(table.rows.iter().all(|r| r.section.is_none()));
}

#[test]
fn header_only_sheet_has_no_rows_and_title_only_sheet_has_no_header() {
    let header_only = sheet_xml(&[("A1", "序号"), ("B1", "问题")], &[]);
    let table = read_xlsx(&xlsx_from_xml(WORKBOOK_ONE_SHEET, &header_only)).unwrap();
    assert!(table.rows.is_empty());
    let title_only = sheet_xml(&[("A1", "市委第一巡察组反馈问题整改清单")], &["A1:H1"]);
    assert_eq!(read_xlsx(&xlsx_from_xml(WORKBOOK_ONE_SHEET, &title_only)), Err(SheetError::NoHeader));
    let form_text = sheet_xml(&[("A1", "责任单位：某局"), ("B1", "责任人：张三")], &[]);
    assert_eq!(read_xlsx(&xlsx_from_xml(WORKBOOK_ONE_SHEET, &form_text)), Err(SheetError::NoHeader));
}
