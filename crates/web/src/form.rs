//! Helpers for HTML forms: field errors for templates, checkboxes, URLs.

use crate::error::AppError;
use axum::extract::{FromRequest, Request};
use axum::http::header;
use qingfeng_domain::{Lang, Msg, Validation};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Deserializer};

/// An HTML form body (`application/x-www-form-urlencoded`, at most 1 MiB);
/// anything else is answered with a clear error page, never a bare rejection.
pub struct Form<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for Form<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes =
            axum::body::to_bytes(req.into_body(), crate::csrf::MAX_FORM_BYTES).await.map_err(|_| AppError::TooLarge)?;
        serde_urlencoded::from_bytes(&bytes).map(Form).map_err(|e| AppError::BadRequest {
            code: "bad_form",
            msg: Msg::owned(format!("表单内容有误：{e}"), format!("malformed form: {e}")),
        })
    }
}

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

/// A record id chosen in a form field or query: empty means none; a value
/// that is not an id names no record (404).
pub fn form_uuid(s: &str) -> Result<Option<uuid::Uuid>, AppError> {
    match s.trim() {
        "" => Ok(None),
        v => uuid::Uuid::try_parse(v).map(Some).map_err(|_| AppError::NotFound),
    }
}

/// A sort-order box: empty means 0; anything unparsable becomes -1, which
/// validation then refuses with its message (the typed text is kept in the form).
pub fn sort_order(s: &str) -> Option<i64> {
    match s.trim() {
        "" => Some(0),
        v => Some(v.parse().unwrap_or(-1)),
    }
}

/// Percent-encodes a query-string value.
pub fn urlencode(s: &str) -> String {
    form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// The sortable column headers and the pager of a list page: the list's
/// path, its current filters (a query string without sort and page), and
/// the column and direction it is sorted by.
pub struct Sorting {
    pub path: &'static str,
    pub filters: String,
    pub sort: &'static str,
    pub dir: qingfeng_domain::page::Dir,
}

impl Sorting {
    /// Link that sorts by `col`, flipping the direction if already sorted by it.
    pub fn link(&self, col: &str) -> String {
        use qingfeng_domain::page::Dir;
        let dir = if self.sort == col { self.dir.flip() } else { Dir::Asc };
        format!("{}?{}&sort={col}&dir={}", self.path, self.filters, dir.as_str())
    }

    /// ▲ or ▼ beside the column the list is sorted by.
    pub fn mark(&self, col: &str) -> &'static str {
        use qingfeng_domain::page::Dir;
        match (self.sort == col, self.dir) {
            (false, _) => "",
            (true, Dir::Asc) => "▲",
            (true, Dir::Desc) => "▼",
        }
    }

    /// The query of the current list without its page number (the pager appends it).
    pub fn query(&self) -> String {
        format!("{}&sort={}&dir={}", self.filters, self.sort, self.dir.as_str())
    }

    /// The current list without its page number.
    pub fn pager_base(&self) -> String {
        format!("{}?{}", self.path, self.query())
    }
}

/// Only a path on this site is accepted as a redirect target: it starts
/// with one `/`, and has no backslash, whitespace or control character
/// anywhere (browsers drop tabs and newlines, so `/\t/evil.example` would
/// become `//evil.example`).
pub fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && !n.starts_with("//")
                && n.len() <= 2000
                && !n.chars().any(|c| c == '\\' || c.is_whitespace() || c.is_control()) =>
        {
            n.to_string()
        }
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
        assert_eq!(safe_next(Some("/\t/evil.example")), "/");
        assert_eq!(safe_next(Some("/\\evil.example")), "/");
        assert_eq!(safe_next(Some("/\n")), "/");
        assert_eq!(safe_next(Some("/a b")), "/");
    }
}
