//! Word documents in the layout offices print: a centred title in 方正小标宋
//! style (falling back to SimSun/宋体), an optional subtitle, then blocks —
//! a two-column form of labelled facts (a 报告单), a table with a header, or
//! a grid whose columns have their own widths and alignment.

use docx_rs::{
    AlignmentType, Docx, PageMargin, PageOrientationType, Paragraph, Run, RunFonts, Shading, Table, TableCell,
    TableRow, VAlignType, WidthType,
};

use crate::SheetError;

/// One part of a document.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Block {
    /// A form of labelled values (label | value), the label column bold.
    Facts(Vec<(String, String)>),
    /// A table: header and rows, all text, columns of equal width; rows as
    /// in [`Block::Grid`].
    Table { headers: Vec<String>, rows: Vec<Vec<String>> },
    /// A paragraph of body text (line breaks start new paragraphs).
    Text(String),
    /// A table whose columns have their own share of the width and their
    /// own alignment. A row of a single cell spans the whole width (a note
    /// such as 暂无任务); shorter rows are padded with empty cells.
    Grid { columns: Vec<GridColumn>, rows: Vec<Vec<String>> },
}

/// One column of a [`Block::Grid`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct GridColumn {
    pub header: String,
    /// The column's share of the text width, relative to the other
    /// columns' weights (0 counts as 1).
    pub weight: u32,
    /// Centre the column's cells (short values such as 序号 or a date);
    /// otherwise they are left-aligned.
    pub centred: bool,
}

/// A document: title, subtitle (e.g. the unit and date) and blocks.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Document {
    pub title: String,
    pub subtitle: Option<String>,
    pub blocks: Vec<Block>,
}

/// Which way the A4 page is turned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Paper {
    Portrait,
    Landscape,
}

/// 16-point title, 12-point body (三号 / 小四), in half-points.
const TITLE_SIZE: usize = 32;
const BODY_SIZE: usize = 24;
/// A4 in twips, with 2.5 cm margins.
const A4: (u32, u32) = (11906, 16838);
const MARGIN: i32 = 1418;
const HEADER_FILL: &str = "D9D9D9";

impl Paper {
    /// (page width, page height) in twips.
    fn size(self) -> (u32, u32) {
        match self {
            Paper::Portrait => A4,
            Paper::Landscape => (A4.1, A4.0),
        }
    }

    /// The width between the margins, in twips.
    fn text_width(self) -> usize {
        self.size().0 as usize - 2 * MARGIN as usize
    }
}

fn fonts() -> RunFonts {
    RunFonts::new().east_asia("宋体").ascii("Times New Roman").hi_ansi("Times New Roman")
}

/// Text as XML can carry it: line breaks as "\n", tabs as spaces, other
/// control characters (which would make the file unreadable) dropped.
pub(crate) fn clean(s: &str) -> String {
    s.replace("\r\n", "\n")
        .chars()
        .filter_map(|c| match c {
            '\n' | '\r' => Some('\n'),
            '\t' => Some(' '),
            c if c.is_control() || c == '\u{FFFE}' || c == '\u{FFFF}' => None,
            c => Some(c),
        })
        .collect()
}

fn run(s: &str) -> Run {
    Run::new().add_text(s).size(BODY_SIZE).fonts(fonts())
}

fn text(s: &str) -> Paragraph {
    Paragraph::new().add_run(run(s))
}

fn cell(s: &str, width: usize, bold: bool) -> TableCell {
    aligned_cell(s, width, bold, AlignmentType::Left)
}

fn aligned_cell(s: &str, width: usize, bold: bool, align: AlignmentType) -> TableCell {
    let mut c = TableCell::new().width(width, WidthType::Dxa).vertical_align(VAlignType::Center);
    for line in clean(s).split('\n') {
        let r = if bold { run(line).bold() } else { run(line) };
        c = c.add_paragraph(Paragraph::new().align(align).add_run(r));
    }
    c
}

/// A table of `widths` (twips) with a bold shaded header; see [`Block::Grid`].
fn grid(headers: &[&str], widths: &[usize], centred: &[bool], rows: &[Vec<String>]) -> Table {
    let align = |i: usize| if centred.get(i) == Some(&true) { AlignmentType::Center } else { AlignmentType::Left };
    let shade = || Shading::new().fill(HEADER_FILL);
    let header = (0..widths.len())
        .map(|i| {
            aligned_cell(headers.get(i).copied().unwrap_or(""), widths[i], true, AlignmentType::Center).shading(shade())
        })
        .collect();
    let mut all = vec![TableRow::new(header).cant_split()];
    for r in rows {
        let cells = if r.len() == 1 && widths.len() > 1 {
            vec![aligned_cell(&r[0], widths.iter().sum(), false, AlignmentType::Center).grid_span(widths.len())]
        } else {
            (0..widths.len())
                .map(|i| aligned_cell(r.get(i).map_or("", String::as_str), widths[i], false, align(i)))
                .collect()
        };
        all.push(TableRow::new(cells));
    }
    let total = widths.iter().sum();
    Table::new(all).set_grid(widths.to_vec()).width(total, WidthType::Dxa)
}

/// Writes `doc` as .docx bytes, on portrait A4.
pub fn write_docx(doc: &Document) -> Result<Vec<u8>, SheetError> {
    write_docx_on(doc, Paper::Portrait)
}

/// Writes `doc` as .docx bytes on A4 turned as `paper` says.
pub(crate) fn write_docx_on(doc: &Document, paper: Paper) -> Result<Vec<u8>, SheetError> {
    let text_width = paper.text_width();
    let (w, h) = paper.size();
    let mut d = Docx::new()
        .page_size(w, h)
        .page_margin(PageMargin::new().top(MARGIN).bottom(MARGIN).left(MARGIN).right(MARGIN))
        .default_fonts(fonts())
        .default_size(BODY_SIZE)
        .add_paragraph(
            Paragraph::new()
                .align(AlignmentType::Center)
                .add_run(Run::new().add_text(clean(&doc.title)).size(TITLE_SIZE).bold().fonts(fonts())),
        );
    if paper == Paper::Landscape {
        d = d.page_orient(PageOrientationType::Landscape);
    }
    if let Some(sub) = &doc.subtitle {
        d = d.add_paragraph(Paragraph::new().align(AlignmentType::Center).add_run(run(&clean(sub))));
    }
    for block in &doc.blocks {
        d = match block {
            Block::Facts(facts) => {
                let (lw, vw) = (text_width * 28 / 100, text_width * 72 / 100);
                let rows =
                    facts.iter().map(|(l, v)| TableRow::new(vec![cell(l, lw, true), cell(v, vw, false)])).collect();
                d.add_table(Table::new(rows).set_grid(vec![lw, vw]).width(text_width, WidthType::Dxa))
            }
            Block::Table { headers, rows } => {
                let n = headers.len().max(1);
                let headers: Vec<&str> = headers.iter().map(String::as_str).collect();
                d.add_table(grid(&headers, &vec![text_width / n; n], &[], rows))
            }
            Block::Grid { columns, rows } => {
                let weights: Vec<usize> = columns.iter().map(|c| c.weight.max(1) as usize).collect();
                let sum: usize = weights.iter().sum::<usize>().max(1);
                let mut widths: Vec<usize> = weights.iter().map(|w| text_width * w / sum).collect();
                if widths.is_empty() {
                    widths.push(text_width);
                }
                let headers: Vec<&str> = columns.iter().map(|c| c.header.as_str()).collect();
                let centred: Vec<bool> = columns.iter().map(|c| c.centred).collect();
                d.add_table(grid(&headers, &widths, &centred, rows))
            }
            Block::Text(t) => {
                let mut d = d;
                for line in clean(t).split('\n') {
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
                Block::Table {
                    headers: vec!["姓名".into(), "出勤".into()],
                    rows: vec![vec!["王建国".into(), "出席".into()]],
                },
                Block::Text("会议传达学习了全会精神。".into()),
            ],
        };
        let bytes = write_docx(&doc).unwrap();
        assert!(bytes.starts_with(b"PK"));
        let body = document_xml(&bytes);
        assert!(body.contains("组织生活报告单") && body.contains("实到7人") && body.contains("王建国"), "{body}");
    }

    #[test]
    fn cleaning_keeps_line_breaks_and_drops_control_characters() {
        assert_eq!(clean("a\r\nb\rc\td\u{1}e\u{7f}f\u{FFFF}"), "a\nb\nc def");
        assert_eq!(clean("落实\n细化"), "落实\n细化");
    }

    #[test]
    fn control_characters_leave_a_readable_document() {
        let doc = Document {
            title: "标题\u{1}".into(),
            subtitle: Some("\u{b}副标题".into()),
            blocks: vec![
                Block::Grid {
                    columns: vec![GridColumn { header: "序号\u{0}".into(), weight: 0, centred: true }],
                    rows: vec![vec!["一\u{1f}二".into()], vec![]],
                },
                Block::Grid { columns: vec![], rows: vec![vec!["a".into(), "b".into()]] },
                Block::Text("x\u{8}y\r\nz".into()),
            ],
        };
        let body = document_xml(&write_docx(&doc).unwrap());
        assert!(!body.chars().any(|c| c.is_control() && c != '\n' && c != '\t' && c != '\r'), "{body}");
        assert!(body.contains("一二") && body.contains("xy") && body.contains("标题"), "{body}");
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
