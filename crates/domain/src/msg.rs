//! Bilingual messages, field-level validation errors and refusals.
//!
//! Every message the user can see is written here in Chinese first and in
//! English, so that the web layer only has to pick the language.

use serde::Serialize;
use std::borrow::Cow;
use std::fmt;

/// The two UI languages. Chinese is the default everywhere.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    Zh,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    pub fn code(self) -> &'static str {
        match self {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        }
    }

    /// Parses a language code leniently (`zh`, `zh-CN`, `en`, `en-US`, …).
    pub fn parse(code: &str) -> Option<Lang> {
        let code = code.trim().to_ascii_lowercase();
        if code.starts_with("zh") {
            Some(Lang::Zh)
        } else if code.starts_with("en") {
            Some(Lang::En)
        } else {
            None
        }
    }
}

/// A closed set of coded values with bilingual labels (every `code_enum!`):
/// what a form's `<select>` lists.
pub trait Coded: Copy + 'static {
    fn all() -> &'static [Self];
    fn code(self) -> &'static str;
    fn text(self) -> Msg;
}

/// A message in Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Msg {
    pub zh: Cow<'static, str>,
    pub en: Cow<'static, str>,
}

impl Msg {
    pub const fn new(zh: &'static str, en: &'static str) -> Msg {
        Msg { zh: Cow::Borrowed(zh), en: Cow::Borrowed(en) }
    }

    pub fn owned(zh: String, en: String) -> Msg {
        Msg { zh: Cow::Owned(zh), en: Cow::Owned(en) }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Zh => &self.zh,
            Lang::En => &self.en,
        }
    }
}

impl fmt::Display for Msg {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} / {}", self.zh, self.en)
    }
}

/// One invalid input field: its name (as in the form and the JSON body) and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FieldError {
    pub field: Cow<'static, str>,
    pub msg: Msg,
}

impl FieldError {
    pub fn new(field: impl Into<Cow<'static, str>>, msg: Msg) -> FieldError {
        FieldError { field: field.into(), msg }
    }
}

/// A set of field errors; empty means valid.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Validation(pub Vec<FieldError>);

impl Validation {
    pub fn new() -> Validation {
        Validation(Vec::new())
    }

    pub fn add(&mut self, field: impl Into<Cow<'static, str>>, msg: Msg) {
        self.0.push(FieldError::new(field, msg));
    }

    /// Records the error of `result` under `field`, returning the value if any.
    pub fn check<T>(&mut self, field: &'static str, result: Result<T, Msg>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(msg) => {
                self.add(field, msg);
                None
            }
        }
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    pub fn has(&self, field: &str) -> bool {
        self.0.iter().any(|e| e.field == field)
    }

    pub fn into_result(self) -> Result<(), Validation> {
        if self.0.is_empty() { Ok(()) } else { Err(self) }
    }
}

impl fmt::Display for Validation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, e) in self.0.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{}: {}", e.field, e.msg)?;
        }
        Ok(())
    }
}

/// A business rule refused the command (e.g. a move that would create a
/// cycle). `code` is stable for API clients; `msg` is for people.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Refusal {
    pub code: &'static str,
    pub msg: Msg,
}

impl Refusal {
    pub const fn new(code: &'static str, zh: &'static str, en: &'static str) -> Refusal {
        Refusal { code, msg: Msg::new(zh, en) }
    }
}

impl fmt::Display for Refusal {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.msg)
    }
}

/// Checks a required single-line text: trimmed, non-empty, at most `max`
/// characters, no control characters. Returns the trimmed text.
pub fn required_text(value: &str, max: usize) -> Result<String, Msg> {
    let v = value.trim();
    if v.is_empty() {
        return Err(Msg::new("必填", "required"));
    }
    optional_text(v, max).map(|o| o.unwrap_or_default())
}

/// Like [`required_text`] but an empty value is `None`.
pub fn optional_text(value: &str, max: usize) -> Result<Option<String>, Msg> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let n = v.chars().count();
    if n > max {
        return Err(Msg::owned(
            format!("不能超过{max}个字（现有{n}个）"),
            format!("at most {max} characters (got {n})"),
        ));
    }
    if v.chars().any(char::is_control) {
        return Err(Msg::new("不能包含控制字符", "must not contain control characters"));
    }
    Ok(Some(v.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn required_text_trims_and_rejects_empty() {
        assert_eq!(required_text("  市委  ", 10).unwrap(), "市委");
        assert!(required_text("   ", 10).is_err());
    }

    #[test]
    fn length_is_counted_in_characters_not_bytes() {
        assert!(required_text("中共安澜市委员会", 8).is_ok());
        let err = required_text("中共安澜市委员会", 7).unwrap_err();
        assert!(err.zh.contains('7'), "{err}");
    }

    #[test]
    fn control_characters_are_refused() {
        assert!(required_text("a\u{0}b", 10).is_err());
        assert!(optional_text("a\nb", 10).is_err());
    }

    #[test]
    fn lang_parse_accepts_region_variants() {
        assert_eq!(Lang::parse("zh-CN"), Some(Lang::Zh));
        assert_eq!(Lang::parse("en-US"), Some(Lang::En));
        assert_eq!(Lang::parse("fr"), None);
    }
}
