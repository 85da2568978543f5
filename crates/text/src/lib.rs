//! Qingfeng's document text: read a speech or document (.txt in UTF-8,
//! UTF-16 or GB18030/GBK; .docx) and recover its outline — title, the
//! heading levels of Chinese official writing, the inline enumerations
//! (`一是…二是…`, `一要…`, `首先…最后`) and whether each lists problems,
//! requirements or other things. Boilerplate from web copies is stripped.
//!
//! Pure apart from [`read_document`], the one front door that touches the
//! file system. Total: every input yields an outline or a clear error.

pub mod classify;
pub mod clean;
mod cues;
pub mod decode;
pub mod docx;
pub mod fingerprint;
pub mod markers;
pub mod outline;
pub mod points;
pub mod render;
#[cfg(feature = "synth")]
pub mod synth;
pub mod tokens;

pub use decode::Encoding;
pub use markers::{Marker, Style};
pub use outline::{Item, ItemKind, Outline, parse_outline};
pub use points::{Point, work_points};

use std::path::Path;

/// Largest file we read.
pub const MAX_FILE_BYTES: u64 = 64 * 1024 * 1024;

/// Why a document could not be read.
#[derive(Debug, thiserror::Error)]
pub enum TextError {
    #[error("cannot read {path}")]
    Io {
        path: String,
        #[source]
        source: std::io::Error,
    },
    #[error("{0} is larger than 64 MiB")]
    TooLarge(String),
    #[error("unsupported file type: {0}")]
    Unsupported(String),
    #[error("cannot read the .docx: {0}")]
    Docx(String),
    #[error("the file looks binary, not text (supported: .txt in UTF-8/GB18030/UTF-16, .docx)")]
    Binary,
}

/// What kind of file the bytes are.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    Text,
    Docx,
}

/// A document's text and what happened while reading it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Document {
    pub text: String,
    pub warnings: Vec<String>,
}

/// Tell the format from the content first (a zip is a docx whatever it is
/// called), then from the extension.
pub fn sniff(bytes: &[u8], extension: Option<&str>) -> Result<Format, TextError> {
    let ext = extension.map(str::to_ascii_lowercase);
    if bytes.starts_with(b"PK\x03\x04") {
        return Ok(Format::Docx);
    }
    if bytes.starts_with(b"%PDF") || ext.as_deref() == Some("pdf") {
        return Err(TextError::Unsupported(
            "PDF is not read yet; save the document as .docx or .txt (with its text layer) and try again".into(),
        ));
    }
    if bytes.starts_with(&[0xD0, 0xCF, 0x11, 0xE0]) || ext.as_deref() == Some("doc") {
        return Err(TextError::Unsupported("old binary Word .doc; open it in Word/WPS and save as .docx".into()));
    }
    if ext.as_deref() == Some("docx") {
        return Err(TextError::Docx("the file is not a zip archive".into()));
    }
    if decode::looks_binary(bytes) {
        return Err(TextError::Binary);
    }
    Ok(Format::Text)
}

/// Text of a document given as bytes.
pub fn document_from_bytes(bytes: &[u8], format: Format) -> Result<Document, TextError> {
    match format {
        Format::Docx => {
            let (text, warnings) = docx::docx_text(bytes).map_err(TextError::Docx)?;
            Ok(Document { text, warnings })
        }
        Format::Text => {
            let d = decode::decode(bytes);
            Ok(Document { text: d.text, warnings: d.warnings })
        }
    }
}

/// The front door: read a file from disk (.txt or .docx).
pub fn read_document(path: &Path) -> Result<Document, TextError> {
    let shown = path.display().to_string();
    let io = |source| TextError::Io { path: shown.clone(), source };
    let meta = std::fs::metadata(path).map_err(io)?;
    if meta.is_dir() {
        return Err(TextError::Unsupported(format!("{shown} is a directory")));
    }
    if meta.len() > MAX_FILE_BYTES {
        return Err(TextError::TooLarge(shown));
    }
    let bytes = std::fs::read(path).map_err(io)?;
    let format = sniff(&bytes, path.extension().and_then(|e| e.to_str()))?;
    document_from_bytes(&bytes, format)
}

/// Outline of a document given as bytes (what the fuzz target drives).
pub fn outline_bytes(bytes: &[u8], extension: Option<&str>) -> Result<Outline, TextError> {
    let doc = document_from_bytes(bytes, sniff(bytes, extension)?)?;
    Ok(with_warnings(parse_outline(&doc.text), doc.warnings))
}

/// Outline of a file on disk.
pub fn outline_file(path: &Path) -> Result<Outline, TextError> {
    let doc = read_document(path)?;
    Ok(with_warnings(parse_outline(&doc.text), doc.warnings))
}

fn with_warnings(mut o: Outline, mut first: Vec<String>) -> Outline {
    first.append(&mut o.warnings);
    o.warnings = first;
    o
}
