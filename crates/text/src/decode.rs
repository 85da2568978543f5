//! Bytes to text: UTF-8 (with or without BOM), UTF-16 with BOM, and
//! GB18030/GBK — what Chinese `.txt` files really come in. Undecodable
//! bytes become U+FFFD with a warning; nothing here fails or panics.

use encoding_rs::{GB18030, UTF_16BE, UTF_16LE};
use serde::Serialize;

/// The encoding a text was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Encoding {
    Utf8,
    Utf16,
    Gb18030,
    /// Not valid in any supported encoding; bad bytes replaced.
    Utf8Lossy,
}

/// Decoded text, the encoding used and what went wrong on the way.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decoded {
    pub text: String,
    pub encoding: Encoding,
    pub warnings: Vec<String>,
}

/// Whether the bytes look like a binary file rather than text: NUL bytes
/// outside UTF-16.
pub fn looks_binary(bytes: &[u8]) -> bool {
    let sample = bytes.get(..bytes.len().min(8192)).unwrap_or(bytes);
    !(sample.starts_with(&[0xFF, 0xFE]) || sample.starts_with(&[0xFE, 0xFF])) && sample.contains(&0)
}

/// Decode a text file's bytes.
pub fn decode(bytes: &[u8]) -> Decoded {
    let mut warnings = Vec::new();
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8_or_lossy(rest, warnings);
    }
    for (bom, enc) in [([0xFF, 0xFE], UTF_16LE), ([0xFE, 0xFF], UTF_16BE)] {
        if let Some(rest) = bytes.strip_prefix(&bom) {
            let (text, had_errors) = enc.decode_without_bom_handling(rest);
            if had_errors {
                warnings.push("some UTF-16 code units were invalid and were replaced by �".to_string());
            }
            return Decoded { text: text.into_owned(), encoding: Encoding::Utf16, warnings };
        }
    }
    if let Ok(s) = std::str::from_utf8(bytes) {
        return Decoded { text: s.to_string(), encoding: Encoding::Utf8, warnings };
    }
    if let Some(text) = GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        warnings.push("read as GB18030/GBK (not UTF-8)".to_string());
        return Decoded { text: text.into_owned(), encoding: Encoding::Gb18030, warnings };
    }
    utf8_or_lossy(bytes, warnings)
}

fn utf8_or_lossy(bytes: &[u8], mut warnings: Vec<String>) -> Decoded {
    match std::str::from_utf8(bytes) {
        Ok(s) => Decoded { text: s.to_string(), encoding: Encoding::Utf8, warnings },
        Err(_) => {
            let text = String::from_utf8_lossy(bytes).into_owned();
            let bad = text.chars().filter(|c| *c == '\u{FFFD}').count();
            warnings.push(format!(
                "the file is neither valid UTF-8 nor GB18030; {bad} undecodable byte sequence(s) were replaced by �"
            ));
            Decoded { text, encoding: Encoding::Utf8Lossy, warnings }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        assert_eq!(decode("同志们".as_bytes()).encoding, Encoding::Utf8);
        let d = decode(b"\xEF\xBB\xBFabc");
        assert_eq!((d.text.as_str(), d.encoding), ("abc", Encoding::Utf8));
    }

    #[test]
    fn gbk_text_is_read_as_gb18030() {
        let (bytes, _, _) = GB18030.encode("同志们：一是学习不深入。");
        let d = decode(&bytes);
        assert_eq!(d.encoding, Encoding::Gb18030);
        assert_eq!(d.text, "同志们：一是学习不深入。");
        assert_eq!(d.warnings.len(), 1);
    }

    #[test]
    fn utf16_with_bom() {
        let mut bytes = vec![0xFF, 0xFE];
        for u in "讲话".encode_utf16() {
            bytes.extend_from_slice(&u.to_le_bytes());
        }
        assert_eq!(decode(&bytes).text, "讲话");
    }

    #[test]
    fn invalid_bytes_are_replaced_with_a_warning_not_a_panic() {
        let d = decode(b"\xE5\x90\x8C\xFF\xFF\x80 ok");
        assert_eq!(d.encoding, Encoding::Utf8Lossy);
        assert!(d.text.contains('\u{FFFD}'));
        assert!(d.warnings[0].contains("replaced"));
    }

    #[test]
    fn nul_bytes_mean_binary() {
        assert!(looks_binary(b"PK\x03\x04\x00\x00"));
        assert!(!looks_binary("同志们".as_bytes()));
    }
}
