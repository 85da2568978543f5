//! Paragraph text of a `.docx` (word/document.xml), one line per `w:p`.
//!
//! Word's automatic list numbering (`w:numPr`) is not part of the text; when
//! a document uses it the heading numbers are lost and we say so.

use quick_xml::Reader;
use quick_xml::escape::resolve_predefined_entity;
use quick_xml::events::Event;
use std::io::{Cursor, Read};

/// Largest document.xml we inflate (a zip bomb guard).
const MAX_XML: u64 = 64 * 1024 * 1024;

/// Text of a docx: paragraphs separated by newlines, plus warnings.
pub fn docx_text(bytes: &[u8]) -> Result<(String, Vec<String>), String> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| format!("not a .docx (zip) file: {e}"))?;
    let entry = zip
        .by_name("word/document.xml")
        .map_err(|_| "the .docx has no word/document.xml (is it a Word document?)".to_string())?;
    let mut xml = Vec::new();
    entry.take(MAX_XML + 1).read_to_end(&mut xml).map_err(|e| format!("cannot inflate word/document.xml: {e}"))?;
    if xml.len() as u64 > MAX_XML {
        return Err(format!("word/document.xml is larger than {} MiB", MAX_XML / 1024 / 1024));
    }
    let xml = String::from_utf8(xml).map_err(|_| "word/document.xml is not UTF-8".to_string())?;
    paragraphs_of(&xml)
}

/// Walk document.xml: text runs (`w:t`), tabs, breaks, paragraph ends.
pub fn paragraphs_of(xml: &str) -> Result<(String, Vec<String>), String> {
    let mut reader = Reader::from_str(xml);
    let mut out = String::new();
    let mut in_text = false;
    let mut numbered = 0usize;
    loop {
        let event = reader.read_event().map_err(|e| format!("word/document.xml is malformed: {e}"))?;
        match event {
            Event::Start(e) => match e.local_name().as_ref() {
                "t" => in_text = true,
                "numPr" => numbered += 1,
                _ => {}
            },
            Event::Empty(e) => match e.local_name().as_ref() {
                "tab" => out.push('\t'),
                "br" | "cr" => out.push('\n'),
                "p" => out.push('\n'),
                "numPr" => numbered += 1,
                _ => {}
            },
            Event::End(e) => match e.local_name().as_ref() {
                "t" => in_text = false,
                "p" => out.push('\n'),
                _ => {}
            },
            Event::Text(t) if in_text => out.push_str(&t.xml10_content()),
            Event::CData(t) if in_text => out.push_str(&t),
            Event::GeneralRef(r) if in_text => {
                if let Ok(Some(c)) = r.resolve_char_ref() {
                    out.push(c);
                } else if let Some(s) = resolve_predefined_entity(&r) {
                    out.push_str(s);
                }
            }
            Event::Eof => break,
            _ => {}
        }
    }
    let mut warnings = Vec::new();
    if numbered > 0 {
        warnings.push(format!(
            "{numbered} paragraph(s) use Word's automatic numbering; those numbers are not in the text, so their headings may be missed"
        ));
    }
    Ok((out, warnings))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paragraphs_runs_and_entities() {
        let xml = r#"<?xml version="1.0"?><w:document xmlns:w="x"><w:body>
            <w:p><w:r><w:t>一、加强</w:t></w:r><w:r><w:t xml:space="preserve">学习 &amp; 教育</w:t></w:r></w:p>
            <w:p><w:pPr><w:numPr/></w:pPr><w:r><w:t>一是学习&#x4E0D;深入。</w:t></w:r></w:p><w:p/>
            <w:p><w:r><w:instrText>PAGE</w:instrText><w:delText>删</w:delText></w:r></w:p>
            </w:body></w:document>"#;
        let (text, warnings) = paragraphs_of(xml).unwrap();
        assert_eq!(text, "一、加强学习 & 教育\n一是学习不深入。\n\n\n");
        assert_eq!(warnings.len(), 1);
    }

    #[test]
    fn not_a_zip_is_an_error() {
        assert!(docx_text(b"PK\x03\x04garbage").is_err());
        assert!(docx_text(b"").is_err());
    }

    #[test]
    fn malformed_xml_is_an_error() {
        assert!(paragraphs_of("<w:p><w:t>x</w:p></w:t>").is_err());
    }
}
