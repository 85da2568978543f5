//! Helpers for HTML forms: field errors for templates, checkboxes, URLs.

use qingfeng_domain::{Lang, Validation};
use serde::{Deserialize, Deserializer};

/// Field errors in the page's language, looked up by field name.
#[derive(Debug, Clone, Default)]
pub struct FormErrors(pub Vec<(String, String)>);

impl FormErrors {
    pub fn from(v: &Validation, lang: Lang) -> FormErrors {
        FormErrors(v.0.iter().map(|e| (e.field.to_string(), e.msg.get(lang).to_string())).collect())
    }

    pub fn get(&self, field: &str) -> Option<&str> {
        self.0.iter().find(|(f, _)| f == field).map(|(_, m)| m.as_str())
    }

    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }
}

/// A checkbox: present (any value) means checked.
pub fn checkbox<'de, D: Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    let v: Option<String> = Option::deserialize(d)?;
    Ok(v.is_some_and(|s| !s.is_empty() && s != "false" && s != "0"))
}

/// An optional number typed in a text box: empty means none; anything
/// unparsable also means none here and is caught by validation.
pub fn opt_i64<'de, D: Deserializer<'de>>(d: D) -> Result<Option<i64>, D::Error> {
    let v: Option<String> = Option::deserialize(d)?;
    Ok(v.and_then(|s| s.trim().parse().ok()))
}

/// Percent-encodes a query-string value.
pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Only same-site relative paths are accepted as redirect targets.
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n) if n.starts_with('/') && !n.starts_with("//") && !n.starts_with("/\\") => n.to_string(),
        _ => "/".to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redirects_stay_on_this_site() {
        assert_eq!(safe_next(Some("/orgs?x=1")), "/orgs?x=1");
        assert_eq!(safe_next(Some("//evil.example")), "/");
        assert_eq!(safe_next(Some("https://evil.example")), "/");
        assert_eq!(safe_next(None), "/");
    }
}
