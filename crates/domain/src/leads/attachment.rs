//! Attachments to a report: a short list of allowed types recognised by
//! their first bytes (not by the name the browser sends), a size limit and a
//! count limit from [`LeadRules`].

use super::LeadRules;
use crate::msg::Msg;
use serde::Serialize;

/// The types a report may carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AttachmentType {
    Pdf,
    Jpeg,
    Png,
    Docx,
    Xlsx,
    Mp3,
    M4a,
}

impl AttachmentType {
    pub const ALL: [AttachmentType; 7] = [
        AttachmentType::Pdf,
        AttachmentType::Jpeg,
        AttachmentType::Png,
        AttachmentType::Docx,
        AttachmentType::Xlsx,
        AttachmentType::Mp3,
        AttachmentType::M4a,
    ];

    /// The MIME type to serve it with.
    pub fn mime(self) -> &'static str {
        match self {
            AttachmentType::Pdf => "application/pdf",
            AttachmentType::Jpeg => "image/jpeg",
            AttachmentType::Png => "image/png",
            AttachmentType::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
            AttachmentType::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            AttachmentType::Mp3 => "audio/mpeg",
            AttachmentType::M4a => "audio/mp4",
        }
    }

    /// File-name extensions that go with it.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            AttachmentType::Pdf => &["pdf"],
            AttachmentType::Jpeg => &["jpg", "jpeg"],
            AttachmentType::Png => &["png"],
            AttachmentType::Docx => &["docx"],
            AttachmentType::Xlsx => &["xlsx"],
            AttachmentType::Mp3 => &["mp3"],
            AttachmentType::M4a => &["m4a"],
        }
    }

    fn by_extension(ext: &str) -> Option<AttachmentType> {
        AttachmentType::ALL.into_iter().find(|t| t.extensions().contains(&ext))
    }

    /// Whether `prefix` (the first bytes of the file; 16 are enough) starts
    /// like this type. docx and xlsx are both ZIP files: the magic bytes
    /// tell a ZIP, the extension tells which.
    fn matches(self, p: &[u8]) -> bool {
        match self {
            AttachmentType::Pdf => p.starts_with(b"%PDF-"),
            AttachmentType::Jpeg => p.starts_with(&[0xFF, 0xD8, 0xFF]),
            AttachmentType::Png => p.starts_with(&[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A]),
            AttachmentType::Docx | AttachmentType::Xlsx => p.starts_with(b"PK\x03\x04"),
            AttachmentType::Mp3 => p.starts_with(b"ID3") || (p.len() >= 2 && p[0] == 0xFF && p[1] & 0xE0 == 0xE0),
            AttachmentType::M4a => {
                p.len() >= 12 && &p[4..8] == b"ftyp" && matches!(&p[8..12], b"M4A " | b"M4B " | b"mp42" | b"isom")
            }
        }
    }
}

/// Checks one attachment: a plain file name (no path, no control
/// characters, at most 200 characters) with an allowed extension, content
/// that starts like that type, and a size within the limit.
pub fn check_attachment(name: &str, prefix: &[u8], len: u64, rules: &LeadRules) -> Result<AttachmentType, Msg> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 200 {
        return Err(Msg::new("文件名为空或过长", "the file name is empty or too long"));
    }
    if name.chars().any(|c| c.is_control() || matches!(c, '/' | '\\')) || name.starts_with('.') {
        return Err(Msg::new(
            "文件名不能包含路径或控制字符",
            "the file name must not contain a path or control characters",
        ));
    }
    let ext = name.rsplit_once('.').map(|(_, e)| e.to_ascii_lowercase()).unwrap_or_default();
    let Some(kind) = AttachmentType::by_extension(&ext) else {
        return Err(Msg::new(
            "只接受 PDF、JPG、PNG、DOCX、XLSX、MP3、M4A 文件",
            "only PDF, JPG, PNG, DOCX, XLSX, MP3 and M4A files are accepted",
        ));
    };
    if len == 0 {
        return Err(Msg::new("文件为空", "the file is empty"));
    }
    if len > rules.attachment_max_bytes {
        let mib = rules.attachment_max_bytes / (1024 * 1024);
        return Err(Msg::owned(format!("单个文件不能超过{mib}MB"), format!("each file may be at most {mib} MiB")));
    }
    if !kind.matches(prefix) {
        return Err(Msg::new("文件内容与扩展名不符", "the file content does not match its extension"));
    }
    Ok(kind)
}

/// At most `attachments_max` files on one report.
pub fn check_attachment_count(count: usize, rules: &LeadRules) -> Result<(), Msg> {
    if count > rules.attachments_max as usize {
        let n = rules.attachments_max;
        return Err(Msg::owned(format!("每件举报最多{n}个附件"), format!("at most {n} attachments per report")));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    const R: LeadRules = LeadRules::DEFAULT;
    const MIB: u64 = 1024 * 1024;

    #[test]
    fn allowed_types_are_recognised_by_their_magic_bytes() {
        let cases: [(&str, &[u8], AttachmentType); 8] = [
            ("证据.pdf", b"%PDF-1.7\n", AttachmentType::Pdf),
            ("照片.JPG", &[0xFF, 0xD8, 0xFF, 0xE0], AttachmentType::Jpeg),
            ("截图.png", &[0x89, b'P', b'N', b'G', 0x0D, 0x0A, 0x1A, 0x0A], AttachmentType::Png),
            ("材料.docx", b"PK\x03\x04\x14\x00", AttachmentType::Docx),
            ("台账.xlsx", b"PK\x03\x04\x14\x00", AttachmentType::Xlsx),
            ("录音.mp3", b"ID3\x04\x00", AttachmentType::Mp3),
            ("录音2.mp3", &[0xFF, 0xFB, 0x90], AttachmentType::Mp3),
            ("录音.m4a", b"\x00\x00\x00\x20ftypM4A \x00", AttachmentType::M4a),
        ];
        for (name, prefix, want) in cases {
            assert_eq!(check_attachment(name, prefix, 1000, &R), Ok(want), "{name}");
        }
    }

    #[test]
    fn content_that_does_not_match_its_extension_is_refused() {
        assert!(check_attachment("证据.pdf", b"MZ\x90\x00", 1000, &R).is_err(), "an .exe renamed");
        assert!(check_attachment("照片.png", &[0xFF, 0xD8, 0xFF], 1000, &R).is_err());
    }

    #[test]
    fn other_types_and_bad_names_are_refused() {
        for name in ["a.exe", "a.doc", "noext", "../a.pdf", "a\\b.pdf", ".pdf", ""] {
            assert!(check_attachment(name, b"%PDF-", 10, &R).is_err(), "{name}");
        }
    }

    #[test]
    fn attachments_are_limited_to_20_mib_each_and_10_per_report() {
        assert!(check_attachment("a.pdf", b"%PDF-", 20 * MIB, &R).is_ok());
        let e = check_attachment("a.pdf", b"%PDF-", 20 * MIB + 1, &R).unwrap_err();
        assert!(e.zh.contains("20MB"), "{e}");
        assert!(check_attachment("a.pdf", b"%PDF-", 0, &R).is_err());
        assert!(check_attachment_count(10, &R).is_ok());
        assert!(check_attachment_count(11, &R).is_err());
    }
}
