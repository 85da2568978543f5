//! Reading files: encodings, docx, and clear errors for what we cannot read.

use qingfeng_text::{ItemKind, TextError, outline_bytes, outline_file, read_document};
use std::io::Write;

const SPEECH: &str = "在全县工作会议上的讲话\n同志们：\n今年以来工作取得了一定成效，但也存在以下问题。一是学习不深入。二是作风不扎实。\n\
                      下面，我讲两点意见。\n一、加强学习\n一要读原著。二要悟原理。\n二、改进作风\n谢谢大家！\n";

fn docx(paragraphs: &[&str]) -> Vec<u8> {
    let mut xml = String::from(
        r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>"#,
    );
    for p in paragraphs {
        xml.push_str(&format!(r#"<w:p><w:pPr/><w:r><w:t xml:space="preserve">{p}</w:t></w:r></w:p>"#));
    }
    xml.push_str("</w:body></w:document>");
    let mut buf = std::io::Cursor::new(Vec::new());
    let mut zip = zip::ZipWriter::new(&mut buf);
    let opts = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    zip.start_file("[Content_Types].xml", opts).unwrap();
    zip.write_all(b"<Types/>").unwrap();
    zip.start_file("word/document.xml", opts).unwrap();
    zip.write_all(xml.as_bytes()).unwrap();
    zip.finish().unwrap();
    buf.into_inner()
}

fn kinds(o: &qingfeng_text::Outline) -> Vec<(String, ItemKind)> {
    o.walk().into_iter().map(|(_, it)| (format!("{}{}", it.marker.text, it.label), it.kind)).collect()
}

#[test]
fn utf8_gbk_and_docx_give_the_same_outline() {
    let utf8 = outline_bytes(SPEECH.as_bytes(), Some("txt")).unwrap();
    let (gbk, _, _) = encoding_rs::GB18030.encode(SPEECH);
    let gbk = outline_bytes(&gbk, Some("txt")).unwrap();
    let lines: Vec<&str> = SPEECH.lines().collect();
    let word = outline_bytes(&docx(&lines), Some("docx")).unwrap();
    assert_eq!(
        kinds(&utf8),
        vec![
            ("一是学习不深入".to_string(), ItemKind::Problem),
            ("二是作风不扎实".to_string(), ItemKind::Problem),
            ("一、加强学习".to_string(), ItemKind::Requirement),
            ("一要读原著".to_string(), ItemKind::Requirement),
            ("二要悟原理".to_string(), ItemKind::Requirement),
            ("二、改进作风".to_string(), ItemKind::Requirement),
        ]
    );
    assert_eq!(kinds(&gbk), kinds(&utf8));
    assert_eq!(kinds(&word), kinds(&utf8));
    assert_eq!(word.title.as_deref(), Some("在全县工作会议上的讲话"));
    assert!(gbk.warnings.iter().any(|w| w.contains("GB18030")));
}

#[test]
fn files_on_disk_and_clear_errors() {
    let tmp = tempfile::tempdir().unwrap();
    let dir = tmp.path().to_path_buf();
    let txt = dir.join("讲话.txt");
    std::fs::write(&txt, SPEECH).unwrap();
    assert_eq!(outline_file(&txt).unwrap().items.len(), 4);
    let word = dir.join("讲话.docx");
    std::fs::write(&word, docx(&["一、总体要求", "一是坚持标准。二是注重实效。"])).unwrap();
    assert_eq!(outline_file(&word).unwrap().items[0].children.len(), 2);

    let pdf = dir.join("a.pdf");
    std::fs::write(&pdf, b"%PDF-1.7\n...").unwrap();
    assert!(matches!(read_document(&pdf), Err(TextError::Unsupported(m)) if m.contains("PDF")));
    let doc = dir.join("a.doc");
    std::fs::write(&doc, [0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]).unwrap();
    assert!(matches!(read_document(&doc), Err(TextError::Unsupported(m)) if m.contains(".docx")));
    let fake = dir.join("b.docx");
    std::fs::write(&fake, "这不是压缩包").unwrap();
    assert!(matches!(read_document(&fake), Err(TextError::Docx(_))));
    let broken = dir.join("c.docx");
    std::fs::write(&broken, b"PK\x03\x04broken").unwrap();
    assert!(matches!(read_document(&broken), Err(TextError::Docx(_))));
    let bin = dir.join("d.bin");
    std::fs::write(&bin, [1u8, 0, 2, 0, 3]).unwrap();
    assert!(matches!(read_document(&bin), Err(TextError::Binary)));
    assert!(matches!(read_document(&dir.join("missing.txt")), Err(TextError::Io { .. })));
    assert!(matches!(read_document(&dir), Err(TextError::Unsupported(_))));
}

#[test]
fn empty_and_structureless_files_give_an_outline_with_warnings() {
    let o = outline_bytes(b"", None).unwrap();
    assert!(o.items.is_empty() && o.title.is_none());
    assert!(o.warnings.iter().any(|w| w.contains("no headings")));
    let o = outline_bytes("只有一句话，没有任何结构。".as_bytes(), None).unwrap();
    assert_eq!(o.preamble, "只有一句话，没有任何结构。");
}
