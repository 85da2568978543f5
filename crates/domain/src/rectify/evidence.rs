//! 佐证材料: which files are accepted, and their digests.

use crate::msg::Msg;
use sha2::{Digest, Sha256};
use sm3::Sm3;

/// Accepted file kinds, checked by extension *and* content.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FileKind {
    Pdf,
    Jpeg,
    Png,
    /// .docx / .xlsx / .pptx (zip containers).
    Office,
    Text,
}

impl FileKind {
    pub fn content_type(self, name: &str) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Png => "image/png",
            FileKind::Text => "text/plain; charset=utf-8",
            FileKind::Office => match extension(name).as_str() {
                "xlsx" => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                "pptx" => "application/vnd.openxmlformats-officedocument.presentationml.presentation",
                _ => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            },
        }
    }

    /// Images and PDFs can be shown inline; the rest is downloaded.
    pub fn inline(self) -> bool {
        matches!(self, FileKind::Pdf | FileKind::Jpeg | FileKind::Png)
    }
}

fn extension(name: &str) -> String {
    name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default()
}

/// A size limit as people write it: "20MB", "512KB".
fn limit_label(bytes: u64) -> String {
    const MIB: u64 = 1024 * 1024;
    if bytes >= MIB && bytes.is_multiple_of(MIB) { format!("{}MB", bytes / MIB) } else { format!("{}KB", bytes.div_ceil(1024)) }
}

/// Checks an uploaded file: a name, a size within `max_bytes`, an accepted
/// extension, and content that matches it (so an .exe renamed .pdf fails).
pub fn check_file(name: &str, bytes: &[u8], max_bytes: u64) -> Result<FileKind, Msg> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 || name.chars().any(char::is_control) {
        return Err(Msg::new("文件名无效", "invalid file name"));
    }
    if bytes.is_empty() {
        return Err(Msg::new("文件为空", "the file is empty"));
    }
    if bytes.len() as u64 > max_bytes {
        let limit = limit_label(max_bytes);
        return Err(Msg::owned(format!("文件超过{limit}的上限"), format!("the file exceeds the {limit} limit")));
    }
    let (kind, ok) = match extension(name).as_str() {
        "pdf" => (FileKind::Pdf, bytes.starts_with(b"%PDF-")),
        "jpg" | "jpeg" => (FileKind::Jpeg, bytes.starts_with(&[0xFF, 0xD8, 0xFF])),
        "png" => (FileKind::Png, bytes.starts_with(b"\x89PNG\r\n\x1a\n")),
        "docx" | "xlsx" | "pptx" => (FileKind::Office, bytes.starts_with(b"PK\x03\x04")),
        "txt" => (FileKind::Text, std::str::from_utf8(bytes).is_ok()),
        _ => {
            return Err(Msg::new(
                "只接受 PDF、JPG、PNG、DOCX、XLSX、PPTX 或 TXT 文件",
                "only PDF, JPG, PNG, DOCX, XLSX, PPTX or TXT files are accepted",
            ));
        }
    };
    if !ok {
        return Err(Msg::new("文件内容与扩展名不符", "the file content does not match its extension"));
    }
    Ok(kind)
}

/// (SHA-256, SM3) of the bytes, hex.
pub fn digests(bytes: &[u8]) -> (String, String) {
    (hex::encode(Sha256::digest(bytes)), hex::encode(Sm3::digest(bytes)))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn content_must_match_the_extension() {
        assert_eq!(check_file("整改报告.pdf", b"%PDF-1.7 ...", 1024), Ok(FileKind::Pdf));
        assert!(check_file("整改报告.pdf", b"MZ\x90\x00", 1024).is_err());
        assert!(check_file("run.exe", b"MZ", 1024).is_err());
        assert!(check_file("说明.txt", &[0xff, 0xfe, 0x00], 1024).is_err());
    }

    #[test]
    fn size_limit_and_empty_files() {
        assert!(check_file("a.txt", b"", 10).is_err());
        let err = check_file("a.txt", &[b'a'; 2 * 1024 * 1024 + 1], 2 * 1024 * 1024).unwrap_err();
        assert!(err.zh.contains("2MB"), "{err}");
        // A configured limit below a megabyte is said in KB, not "0MB".
        let err = check_file("a.txt", &[b'a'; 4096], 2048).unwrap_err();
        assert!(err.zh.contains("2KB"), "{err}");
    }

    #[test]
    fn digests_are_hex_of_both_algorithms() {
        let (sha, sm3) = digests(b"abc");
        assert_eq!(sha, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assert_eq!(sm3, "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0");
    }
}
