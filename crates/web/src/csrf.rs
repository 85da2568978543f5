//! Cross-site request forgery checks, in one place for every route.
//!
//! * HTML forms (any non-GET outside `/api/`): the `_csrf` field (or the
//!   `X-CSRF-Token` header) must equal the session's token — or, before
//!   login, the token in the `qf_pre` cookie — and an `Origin` header, when
//!   sent, must be this site.
//! * API writes authenticated by the session cookie must carry an `Origin`
//!   of this site. API writes with a bearer token carry no ambient
//!   credential and need neither.

use crate::ctx::{AuthVia, Ctx};
use crate::error::AppError;
use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use qingfeng_domain::Msg;
use subtle::ConstantTimeEq;

/// Largest urlencoded form body read by the check (same as the JSON limit).
pub const MAX_FORM_BYTES: usize = 1024 * 1024;

fn refused() -> AppError {
    AppError::Forbidden {
        code: "csrf",
        msg: Msg::new(
            "表单已失效或来源不明，请刷新页面后重新提交",
            "the form has expired or came from another site; reload the page and try again",
        ),
    }
}

fn origin_refused() -> AppError {
    AppError::Forbidden {
        code: "origin", msg: Msg::new("请求来源不被接受", "the request's Origin is not accepted")
    }
}

/// `Origin` must name the host the request was sent to.
fn same_origin(headers: &HeaderMap) -> Option<bool> {
    let origin = headers.get(header::ORIGIN)?.to_str().ok()?;
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("");
    let origin_host = origin.split_once("://").map_or("", |(_, rest)| rest.trim_end_matches('/'));
    Some(!host.is_empty() && origin_host.eq_ignore_ascii_case(host))
}

fn token_matches(given: &str, expected: &str) -> bool {
    !expected.is_empty() && given.len() == expected.len() && bool::from(given.as_bytes().ct_eq(expected.as_bytes()))
}

pub async fn check(req: Request, next: Next) -> Response {
    if matches!(*req.method(), Method::GET | Method::HEAD | Method::OPTIONS) {
        return next.run(req).await;
    }
    let Some(ctx) = req.extensions().get::<Ctx>().cloned() else {
        return AppError::Internal("request context missing".into()).into_response();
    };
    let path = req.uri().path();
    if path.starts_with("/api/") {
        let via_cookie = matches!(ctx.user.as_ref().map(|u| &u.via), Some(AuthVia::Session { .. }));
        if via_cookie && same_origin(req.headers()) != Some(true) {
            return origin_refused().into_response();
        }
        return next.run(req).await;
    }
    if same_origin(req.headers()) == Some(false) {
        return origin_refused().into_response();
    }
    if let Some(h) = req.headers().get("x-csrf-token").and_then(|v| v.to_str().ok()) {
        return if token_matches(h, &ctx.csrf) { next.run(req).await } else { refused().into_response() };
    }
    let ct = req.headers().get(header::CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("").to_string();
    if ct.starts_with("multipart/form-data") {
        return check_multipart(req, &ct, &ctx, next).await;
    }
    if !ct.starts_with("application/x-www-form-urlencoded") {
        return refused().into_response();
    }
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, MAX_FORM_BYTES).await {
        Ok(b) => b,
        Err(_) => return AppError::TooLarge.into_response(),
    };
    let given = form_urlencoded::parse(&bytes).find(|(k, _)| k == "_csrf").map(|(_, v)| v.into_owned());
    if !given.is_some_and(|g| token_matches(&g, &ctx.csrf)) {
        return refused().into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// Largest multipart body read by the check (an upload: one file and its fields).
pub const MAX_MULTIPART_BYTES: usize = 21 * 1024 * 1024;

/// Multipart forms (uploads) carry `_csrf` as an ordinary field; the body is
/// read once, checked, and handed on unchanged.
async fn check_multipart(req: Request, ct: &str, ctx: &Ctx, next: Next) -> Response {
    let Ok(boundary) = multer::parse_boundary(ct) else {
        return AppError::bad_request("bad_multipart", "上传内容无法解析", "the upload could not be read").into_response();
    };
    // The public report form takes up to ten attachments; every other upload one.
    let limit = if matches!(req.uri().path(), "/public/report" | "/leads/reports/new") { crate::leads::public::MAX_BODY_BYTES } else { MAX_MULTIPART_BYTES };
    let (parts, body) = req.into_parts();
    let bytes = match axum::body::to_bytes(body, limit).await {
        Ok(b) => b,
        Err(_) => return AppError::TooLarge.into_response(),
    };
    let copy = bytes.clone();
    let stream = futures_once(copy);
    let mut mp = multer::Multipart::new(stream, boundary);
    let mut given = None;
    while let Ok(Some(field)) = mp.next_field().await {
        if field.name() == Some("_csrf") {
            given = field.text().await.ok();
            break;
        }
    }
    if !given.is_some_and(|g| token_matches(&g, &ctx.csrf)) {
        return refused().into_response();
    }
    next.run(Request::from_parts(parts, Body::from(bytes))).await
}

/// A one-item stream of the whole body.
fn futures_once(b: axum::body::Bytes) -> impl futures_util::Stream<Item = Result<axum::body::Bytes, std::io::Error>> {
    futures_util::stream::once(async move { Ok(b) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    #[test]
    fn origin_must_match_host() {
        let mut h = HeaderMap::new();
        h.insert(header::HOST, HeaderValue::from_static("127.0.0.1:8080"));
        assert_eq!(same_origin(&h), None);
        h.insert(header::ORIGIN, HeaderValue::from_static("http://127.0.0.1:8080"));
        assert_eq!(same_origin(&h), Some(true));
        h.insert(header::ORIGIN, HeaderValue::from_static("http://evil.example"));
        assert_eq!(same_origin(&h), Some(false));
        h.insert(header::ORIGIN, HeaderValue::from_static("null"));
        assert_eq!(same_origin(&h), Some(false));
    }

    #[test]
    fn tokens_compare_exactly() {
        assert!(token_matches("abc", "abc"));
        assert!(!token_matches("abd", "abc"));
        assert!(!token_matches("", ""));
    }
}
