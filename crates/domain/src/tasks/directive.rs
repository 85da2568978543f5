//! A directive (部署: 文件, 讲话 or 会议精神) as typed, kept with the source
//! text its outline is read from.

use super::DirectiveKind;
use super::draft::LABEL_MAX;
use crate::msg::{Msg, Validation, optional_text, required_text};
use crate::rectify::input::date;
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// A directive as typed (its source text is what the outline is read from).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct DirectiveInput {
    pub kind: String,
    pub title: String,
    /// 文号 or the meeting/speech reference; optional.
    #[serde(default)]
    pub reference: String,
    pub issuing_unit_id: Option<Uuid>,
    pub issued_on: String,
    pub source_text: String,
}

/// Longest source text kept with a directive (characters).
pub const SOURCE_MAX: usize = 200_000;

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DirectiveSpec {
    pub kind: DirectiveKind,
    pub title: String,
    pub reference: Option<String>,
    pub issuing_unit_id: Uuid,
    pub issued_on: Date,
    pub source_text: String,
}

impl DirectiveInput {
    pub fn validate(&self) -> Result<DirectiveSpec, Validation> {
        let mut v = Validation::new();
        let kind = DirectiveKind::from_label(&self.kind);
        if kind.is_none() {
            v.add("kind", Msg::new("请选择部署类型（文件、讲话或会议精神）", "choose document, speech or meeting"));
        }
        let title = v.check("title", required_text(&self.title, LABEL_MAX));
        let reference = v.check("reference", optional_text(&self.reference, 100));
        if self.issuing_unit_id.is_none() {
            v.add("issuing_unit_id", Msg::new("请选择部署单位", "choose the issuing unit"));
        }
        let issued_on = date(&mut v, "issued_on", &self.issued_on);
        let text = self.source_text.replace("\r\n", "\n");
        let n = text.chars().count();
        if text.trim().is_empty() {
            v.add("source_text", Msg::new("请粘贴或上传原文", "the source text is required"));
        } else if n > SOURCE_MAX {
            v.add(
                "source_text",
                Msg::owned(
                    format!("原文不能超过{SOURCE_MAX}字（现有{n}字）"),
                    format!("at most {SOURCE_MAX} characters"),
                ),
            );
        }
        v.into_result()?;
        Ok(DirectiveSpec {
            kind: kind.unwrap_or(DirectiveKind::Document),
            title: title.unwrap_or_default(),
            reference: reference.flatten(),
            issuing_unit_id: self.issuing_unit_id.unwrap_or_default(),
            issued_on: issued_on.unwrap_or_default(),
            source_text: text,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_directive_keeps_its_kind_and_source_text() {
        let input = DirectiveInput {
            kind: "讲话".into(),
            title: "在全市全面从严治党工作会议上的讲话".into(),
            reference: String::new(),
            issuing_unit_id: Some(Uuid::from_u128(1)),
            issued_on: "2026-03-02".into(),
            source_text: "一、压实主体责任\r\n二、加强作风建设".into(),
        };
        let spec = input.validate().unwrap();
        assert_eq!(spec.kind, DirectiveKind::Speech);
        assert_eq!(spec.source_text, "一、压实主体责任\n二、加强作风建设");
        let e = DirectiveInput::default().validate().unwrap_err();
        for f in ["kind", "title", "issuing_unit_id", "issued_on", "source_text"] {
            assert!(e.has(f), "{f}: {e}");
        }
    }
}
