//! 问题清单 as Excel over HTTP: a hand-made workbook is previewed with
//! precise row errors, nothing is written while errors remain unless the
//! user chooses the valid rows, the export reads back to the same problems
//! and imports again cleanly; damaged files get a clear page, never a 500.

use jiff::civil::date;
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::PageRequest;
use qingfeng_domain::rectify::Source;
use qingfeng_domain::rectify::input::BatchSpec;
use qingfeng_store::rectify::{Batch, ProblemFilter};
use qingfeng_test_support::fixtures::{PASSWORD, who};
use qingfeng_test_support::{Fixture, Session, TestApp};
use reqwest::{Response, StatusCode};
use rust_xlsxwriter::{Format, Workbook};
use uuid::Uuid;

/// A multipart body built by hand (`_csrf` first, as the CSRF check wants).
async fn post_multipart(s: &Session, path: &str, fields: &[(&str, &str)], file: Option<(&str, &[u8])>) -> Response {
    let boundary = "----qingfeng-test-boundary-7MA4YWxkTrZu0gW";
    let mut body = Vec::new();
    let mut all = vec![("_csrf", s.csrf.as_str())];
    all.extend_from_slice(fields);
    for (k, v) in all {
        body.extend(format!("--{boundary}\r\nContent-Disposition: form-data; name=\"{k}\"\r\n\r\n{v}\r\n").as_bytes());
    }
    if let Some((name, bytes)) = file {
        body.extend(
            format!("--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n")
                .as_bytes(),
        );
        body.extend(bytes);
        body.extend(b"\r\n");
    }
    body.extend(format!("--{boundary}--\r\n").as_bytes());
    s.client
        .post(s.url(path))
        .header("content-type", format!("multipart/form-data; boundary={boundary}"))
        .body(body)
        .send()
        .await
        .expect("POST multipart")
}

/// The workbook an office would type: merged title, two-row header with
/// 责任 over 责任单位/责任人, a blank row, a bad date and an old unit name.
fn office_workbook() -> Vec<u8> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let bold = Format::new().set_bold();
    let plain = Format::new();
    ws.merge_range(0, 0, 0, 5, "测试市委第一轮巡察反馈问题整改清单", &bold).unwrap();
    for (col, label) in [(0u16, "序号"), (1, "问题表现"), (2, "整改措施"), (5, "整改时限")] {
        ws.merge_range(1, col, 2, col, label, &bold).unwrap();
    }
    ws.merge_range(1, 3, 1, 4, "责任", &bold).unwrap();
    ws.write_string_with_format(2, 3, "责任单位", &bold).unwrap();
    ws.write_string_with_format(2, 4, "责任人", &bold).unwrap();
    let rows: [(u32, [&str; 6]); 4] = [
        (3, ["1", "理论学习中心组学习流于形式", "1. 修订学习制度\n2. 建立学习台账", "中共测试市生态环境局党组", "王建国", "2027-03-31"]),
        // Excel row 5 is left blank.
        (5, ["2", "专项资金管理不规范", "（1）开展专项检查", "中共测试市公安局委员会", "", "2026-13-01"]),
        (6, ["3", "违规发放津补贴", "清退违规发放款项", "环保局", "", "2027-03-31"]),
        (7, ["4", "基层党支部组织生活不规范", "①规范三会一课\n②建立督查机制", "办公室党支部", "", "2027年6月底"]),
    ];
    for (r, cells) in rows {
        for (c, v) in (0u16..).zip(cells) {
            ws.write_string_with_format(r, c, v, &plain).unwrap();
        }
    }
    ws.write_string_with_format(8, 0, "5", &plain).unwrap();
    ws.write_string_with_format(8, 1, "执法记录仪使用不规范", &plain).unwrap();
    ws.write_string_with_format(8, 3, "市公安局", &plain).unwrap();
    ws.write_string_with_format(8, 5, "2027-01-31", &plain).unwrap();
    wb.save_to_buffer().unwrap()
}

async fn batch(app: &TestApp, f: &Fixture, reference: &str) -> Batch {
    let spec = BatchSpec {
        source: Source::Patrol,
        reference: reference.into(),
        issuing_unit_id: f.city.id,
        issued_on: date(2026, 4, 1),
        summary: None,
    };
    app.db.store.rectify().create_batch(&who(), &spec).await.unwrap()
}

async fn count(app: &TestApp, batch: Uuid) -> i64 {
    let filter = ProblemFilter { batch: Some(batch), ..Default::default() };
    app.db.store.rectify().list(&[OrgPath::global()], &filter, PageRequest::new(None, Some(200))).await.unwrap().total
}

fn unescape(s: &str) -> String {
    s.replace("&#x2f;", "/").replace("&#47;", "/").replace("&#43;", "+").replace("&#x2b;", "+").replace("&#61;", "=").replace("&#x3d;", "=").replace("&amp;", "&")
}

/// The hidden `data` field of the preview (the workbook in base64).
fn data_of(page: &str) -> String {
    let i = page.find("name=\"data\" value=\"").expect("data field") + "name=\"data\" value=\"".len();
    unescape(&page[i..i + page[i..].find('"').unwrap()])
}

const MAPPING: [(&str, &str); 6] =
    [("map_seq", "0"), ("map_description", "1"), ("map_measures", "2"), ("map_lead_unit", "3"), ("map_owner", "4"), ("map_deadline", "5")];

#[tokio::test]
async fn import_previews_row_errors_writes_nothing_partial_and_round_trips_through_export() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let b = batch(&app, &f, "测试市委第一轮巡察反馈").await;
    let s = app.login("officer", PASSWORD).await;
    let (status, form) = s.get_text(&format!("/rectify/import?batch={}", b.id)).await;
    assert_eq!(status, StatusCode::OK);
    assert!(form.contains(&b.reference) && form.contains("enctype=\"multipart/form-data\""));

    let id = b.id.to_string();
    let res = post_multipart(&s, "/rectify/import", &[("batch", &id)], Some(("清单.xlsx", &office_workbook()))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(page.contains("第6行：整改时限“2026-13-01”不是有效日期"), "bad date named with its Excel row");
    assert!(page.contains("第7行：责任单位“环保局”不存在，是否为“中共测试市生态环境局党组”？"), "old name gets the new one suggested");
    assert!(page.contains("测试市委第一轮巡察反馈问题整改清单"), "detected title shown");
    assert!(page.contains("<option value=\"1\" selected>B 问题表现"), "auto mapping preselected");
    assert!(!page.contains("第5行") && !page.contains("第4行：") && !page.contains("第8行：") && !page.contains("第9行："));
    assert!(page.contains("仅导入无误的3行"));
    let data = data_of(&page);

    // Without the explicit choice nothing is written.
    let mut fields: Vec<(&str, &str)> = vec![("batch", &id), ("name", "清单.xlsx"), ("data", &data), ("go", "all")];
    fields.extend_from_slice(&MAPPING);
    let res = post_multipart(&s, "/rectify/import/confirm", &fields, None).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("未导入任何问题"));
    assert_eq!(count(&app, b.id).await, 0, "no partial write");

    // The valid rows only, when chosen.
    fields.pop();
    fields.pop();
    fields.extend_from_slice(&[("go", "valid"), ("valid_only", "1")]);
    fields.extend_from_slice(&MAPPING);
    let res = post_multipart(&s, "/rectify/import/confirm", &fields, None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(res.headers()["location"], format!("/rectify/problems?batch={id}").as_str());
    assert_eq!(count(&app, b.id).await, 3);
    let r = app.db.store.rectify();
    let filter = ProblemFilter { batch: Some(b.id), ..Default::default() };
    let ps = r.list(&[OrgPath::global()], &filter, PageRequest::new(None, Some(200))).await.unwrap().items;
    let first = ps.iter().find(|p| p.description == "理论学习中心组学习流于形式").expect("row 4 imported");
    assert_eq!(first.lead_unit_id, f.bureau_a.id);
    let titles: Vec<String> = r.measures_of(first.id).await.unwrap().into_iter().map(|m| m.title).collect();
    assert_eq!(titles, vec!["修订学习制度", "建立学习台账"], "numbering stripped, one measure per line");
    let police = ps.iter().find(|p| p.description == "执法记录仪使用不规范").expect("row 9 imported");
    assert_eq!(police.lead_unit_id, f.bureau_b.id, "市公安局 resolves to the bureau");

    // Export reads back to the same problems.
    let res = s.get(&format!("/rectify/problems.xlsx?batch={id}")).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.headers()["content-disposition"].to_str().unwrap().contains("filename*=UTF-8''"));
    let bytes = res.bytes().await.unwrap().to_vec();
    let t = qingfeng_sheets::read_xlsx(&bytes).expect("export reads back");
    assert!(t.title.as_deref().unwrap_or("").starts_with("问题整改清单（导出日期"));
    let m = t.auto_mapping();
    let mut got: Vec<(String, String)> = t
        .rows
        .iter()
        .map(|row| (t.get(row, &m, qingfeng_sheets::Field::Description).to_string(), t.get(row, &m, qingfeng_sheets::Field::LeadUnit).to_string()))
        .collect();
    let mut want: Vec<(String, String)> = ps.iter().map(|p| (p.description.clone(), p.lead_unit_name.clone())).collect();
    got.sort();
    want.sort();
    assert_eq!(got, want);
    assert!(t.rows.iter().all(|row| row.section.as_deref() == Some(b.reference.as_str())), "sections by batch");

    // The export imports again without a single row error.
    let b2 = batch(&app, &f, "测试市委第二轮巡察反馈").await;
    let id2 = b2.id.to_string();
    let res = post_multipart(&s, "/rectify/import", &[("batch", &id2)], Some(("导出.xlsx", &bytes))).await;
    assert_eq!(res.status(), StatusCode::OK);
    let page = res.text().await.unwrap();
    assert!(!page.contains("class=\"row-error\""), "no row errors on re-import");
    let data = data_of(&page);
    let res = post_multipart(&s, "/rectify/import/confirm", &[("batch", &id2), ("data", &data), ("map_description", "1"), ("map_measures", "2"), ("map_lead_unit", "4"), ("map_deadline", "7"), ("go", "all")], None).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(count(&app, b2.id).await, 3);
}

#[tokio::test]
async fn a_damaged_workbook_gets_a_clear_page_and_exports_are_scoped() {
    let app = TestApp::spawn().await;
    let f = Fixture::build(&app.db.store).await;
    let b = batch(&app, &f, "测试市委第一轮巡察反馈").await;
    let s = app.login("officer", PASSWORD).await;
    let id = b.id.to_string();
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let res = post_multipart(&s, "/rectify/import", &[("batch", &id)], Some(("坏文件.xlsx", &junk))).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert!(res.text().await.unwrap().contains("文件不是有效的 Excel"));
    let res = post_multipart(&s, "/rectify/import/confirm", &[("batch", &id), ("data", "not base64 ***")], None).await;
    assert_eq!(res.status(), StatusCode::UNPROCESSABLE_ENTITY);
    assert_eq!(count(&app, b.id).await, 0);

    let res = s.get(&format!("/rectify/board/{}/export.xlsx", f.city.id)).await;
    assert_eq!(res.status(), StatusCode::OK);
    assert!(res.bytes().await.unwrap().starts_with(b"PK"));
    let op_b = app.login("op-b", PASSWORD).await;
    assert_eq!(op_b.get(&format!("/rectify/board/{}/export.xlsx", f.bureau_a.id)).await.status(), StatusCode::NOT_FOUND);
    assert_eq!(op_b.get(&format!("/rectify/problems.xlsx?unit={}", f.bureau_a.id)).await.status(), StatusCode::NOT_FOUND);
    // A unit operator issues no batch: nothing to import into.
    let res = post_multipart(&op_b, "/rectify/import", &[("batch", &id)], Some(("x.xlsx", &junk))).await;
    assert_eq!(res.status(), StatusCode::NOT_FOUND);
}
