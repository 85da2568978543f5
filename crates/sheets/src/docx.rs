//! Word documents in the layout offices print: a centred title in 方正小标宋
//! style (falling back to SimSun/宋体), an optional subtitle, then blocks —
//! a two-column form of labelled facts (a 报告单) or a table with a header.

use docx_rs::{
    AlignmentType, Docx, PageMargin, Paragraph, Run, RunFonts, Table, TableCell, TableRow, VAlignType, WidthType,
};

use crate::SheetError;

/// One part of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A form of labelled values (label | value), the label column shaded.
    Facts(Vec<(String, String)>),
    /// A table: header and rows, all text.
    Table { headers: Vec<String>, rows: Vec<Vec<String>> },
    /// A paragraph of body text (line breaks start new paragraphs).
    Text(String),
}

/// A document: title, subtitle (e.g. the unit and date) and blocks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    pub title: String,
    pub subtitle: Option<String>,
    pub blocks: Vec<Block>,
}

/// 16-point title, 12-point body (三号 / 小四), in half-points.
const TITLE_SIZE: usize = 32;
const BODY_SIZE: usize = 24;
/// A4 in twips, with 2.5 cm margins.
const A4: (u32, u32) = (11906, 16838);
const MARGIN: i32 = 1418;
const TEXT_WIDTH: usize = (A4.0 as usize) - 2 * (MARGIN as usize);

fn fonts() -> RunFonts {
    RunFonts::new().east_asia("宋体").ascii("Times New Roman").hi_ansi("Times New Roman")
}

fn text(s: &str) -> Paragraph {
    Paragraph::new().add_run(Run::new().add_text(s).size(BODY_SIZE).fonts(fonts()))
}

fn cell(s: &str, width: usize, bold: bool) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Center);
    for line in s.split('\n') {
        let mut run = Run::new().add_text(line).size(BODY_SIZE).fonts(fonts());
        if bold {
            run = run.bold();
        }
        c = c.add_paragraph(Paragraph::new().add_run(run));
    }
    c
}

/// Writes `doc` as .docx bytes.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>, SheetError> {
    let mut d = Docx::new()
        .page_size(A4.0, A4.1)
        .page_margin(PageMargin::new().top(MARGIN).bottom(MARGIN).left(MARGIN).right(MARGIN))
        .default_fonts(fonts())
        .default_size(BODY_SIZE)
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(&doc.title).size(TITLE_SIZE).bold().fonts(fonts())),
        );
    if let Some(sub) = &doc.subtitle {
        d = d.add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(Run::new().add_text(sub).size(BODY_SIZE).fonts(fonts())));
    }
    for block in &doc.blocks {
        d = match block {
            Block::Facts(facts) => {
                let (lw, vw) = (TEXT_WIDTH * 28 / 100, TEXT_WIDTH * 72 / 100);
                let rows = facts.iter().map(|(l, v)| TableRow::new(vec![cell(l, lw, true), cell(v, vw, false)])).collect();
                d.add_table(Table::new(rows).set_grid(vec![lw, vw]).width(TEXT_WIDTH, WidthType::Dxa))
            }
            Block::Table { headers, rows } => {
                let n = headers.len().max(1);
                let w = TEXT_WIDTH / n;
                let mut all = vec![TableRow::new(headers.iter().map(|h| cell(h, w, true)).collect())];
                all.extend(rows.iter().map(|r| TableRow::new((0..n).map(|i| cell(r.get(i).map_or("", String::as_str), w, false)).collect())));
                d.add_table(Table::new(all).set_grid(vec![w; n]).width(TEXT_WIDTH, WidthType::Dxa))
            }
            Block::Text(t) => {
                let mut d = d;
                for line in t.split('\n') {
                    d = d.add_paragraph(text(line));
                }
                d
            }
        };
    }
    let mut out = std::io::Cursor::new(Vec::new());
    d.build().pack(&mut out).map_err(|e| SheetError::Write(e.to_string()))?;
    Ok(out.into_inner())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_report_is_a_zip_with_the_chinese_text_in_the_body() {
        let doc = Document {
            title: "组织生活报告单".into(),
            subtitle: Some("办公室党支部".into()),
            blocks: vec![
                Block::Facts(vec![("会议类型".into(), "支委会".into()), ("出勤".into(), "应到9人\n实到7人".into())]),
                Block::Table { headers: vec!["姓名".into(), "出勤".into()], rows: vec![vec!["王建国".into(), "出席".into()]] },
                Block::Text("会议传达学习了全会精神。".into()),
            ],
        };
        let bytes = write_docx(&doc).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let body = document_xml(&bytes);
        assert!(body.contains("组织生活报告单") && body.contains("实到7人") && body.contains("王建国"), "{body}");
    }

    /// The text of word/document.xml.
    fn document_xml(bytes: &[u8]) -> String {
        use std::io::Read;
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(bytes)).unwrap();
        let mut s = String::new();
        z.by_name("word/document.xml").unwrap().read_to_string(&mut s).unwrap();
        s
    }
}
