//! One error type for every handler. A handler returns `AppError`; the
//! response carries it as an extension and [`render_errors`] turns it into
//! an HTML page or a JSON body (`{"code","message","fields"}`) depending on
//! the request, in the request's language.

use crate::ctx::Ctx;
use crate::layout::Layout;
use askama::Template;
use axum::extract::{Request, State};
use axum::http::{StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Redirect, Response};
use qingfeng_domain::{Lang, Msg, Refusal, Validation};
use qingfeng_store::StoreError;
use serde_json::{Map, Value, json};

#[derive(Debug, Clone)]
pub enum AppError {
    /// 400: the request itself is malformed.
    BadRequest { code: &'static str, msg: Msg },
    /// 401: sign in first.
    Unauthorized,
    /// 401: the bearer token is unknown, expired or revoked.
    InvalidToken,
    /// 403: seen but not allowed.
    Forbidden { code: &'static str, msg: Msg },
    /// 404: does not exist *or* is outside the actor's scope (never says which).
    NotFound,
    /// 409: a business rule refused the command.
    Refused(Refusal),
    /// 413: the body is larger than allowed.
    TooLarge,
    /// 415: wrong content type.
    UnsupportedMediaType,
    /// 422: field-level validation errors.
    Invalid(Validation),
    /// 429: too many requests from this client; try again after `retry_after` seconds.
    TooManyRequests { retry_after: u64 },
    /// 500: logged, never shown.
    Internal(String),
}

impl AppError {
    pub fn bad_request(code: &'static str, zh: &'static str, en: &'static str) -> AppError {
        AppError::BadRequest { code, msg: Msg::new(zh, en) }
    }

    pub fn forbidden() -> AppError {
        AppError::Forbidden {
            code: "forbidden",
            msg: Msg::new("您没有执行此操作的权限", "you are not allowed to do this"),
        }
    }

    pub fn field(field: &'static str, msg: Msg) -> AppError {
        let mut v = Validation::new();
        v.add(field, msg);
        AppError::Invalid(v)
    }

    pub fn field_owned(field: String, msg: Msg) -> AppError {
        let mut v = Validation::new();
        v.add(field, msg);
        AppError::Invalid(v)
    }

    pub fn status(&self) -> StatusCode {
        match self {
            AppError::BadRequest { .. } => StatusCode::BAD_REQUEST,
            AppError::Unauthorized | AppError::InvalidToken => StatusCode::UNAUTHORIZED,
            AppError::Forbidden { .. } => StatusCode::FORBIDDEN,
            AppError::NotFound => StatusCode::NOT_FOUND,
            AppError::Refused(_) => StatusCode::CONFLICT,
            AppError::TooLarge => StatusCode::PAYLOAD_TOO_LARGE,
            AppError::UnsupportedMediaType => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            AppError::Invalid(_) => StatusCode::UNPROCESSABLE_ENTITY,
            AppError::TooManyRequests { .. } => StatusCode::TOO_MANY_REQUESTS,
            AppError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    pub fn code(&self) -> &'static str {
        match self {
            AppError::BadRequest { code, .. } | AppError::Forbidden { code, .. } => code,
            AppError::Unauthorized => "unauthorized",
            AppError::InvalidToken => "invalid_token",
            AppError::NotFound => "not_found",
            AppError::Refused(r) => r.code,
            AppError::TooLarge => "payload_too_large",
            AppError::UnsupportedMediaType => "unsupported_media_type",
            AppError::Invalid(_) => "invalid",
            AppError::TooManyRequests { .. } => "too_many_requests",
            AppError::Internal(_) => "internal",
        }
    }

    pub fn message(&self) -> Msg {
        match self {
            AppError::BadRequest { msg, .. } | AppError::Forbidden { msg, .. } => msg.clone(),
            AppError::Unauthorized => Msg::new("请先登录", "please sign in"),
            AppError::InvalidToken => {
                Msg::new("API令牌无效、已过期或已撤销", "the API token is invalid, expired or revoked")
            }
            AppError::NotFound => Msg::new("未找到该记录，或您无权查看", "not found, or not within your scope"),
            AppError::Refused(r) => r.msg.clone(),
            AppError::TooLarge => Msg::new("提交的内容过大", "the request body is too large"),
            AppError::UnsupportedMediaType => Msg::new("不支持的内容类型", "unsupported content type"),
            AppError::Invalid(_) => Msg::new("提交的内容有误，请按提示修改", "some fields are invalid"),
            AppError::TooManyRequests { retry_after } => {
                let minutes = retry_after.div_ceil(60).max(1);
                Msg::owned(
                    format!("操作过于频繁，请约{minutes}分钟后再试"),
                    format!("too many requests from your network; please try again in about {minutes} min"),
                )
            }
            AppError::Internal(_) => {
                Msg::new("系统内部错误，已记录，请稍后再试", "internal error (logged); please try again later")
            }
        }
    }

    fn fields(&self, lang: Lang) -> Map<String, Value> {
        let mut m = Map::new();
        if let AppError::Invalid(v) = self {
            for e in &v.0 {
                m.entry(e.field.to_string()).or_insert_with(|| Value::String(e.msg.get(lang).to_string()));
            }
        }
        m
    }

    pub fn json_body(&self, lang: Lang) -> Value {
        json!({ "code": self.code(), "message": self.message().get(lang), "fields": self.fields(lang) })
    }

    /// The JSON answer: status and body.
    pub fn json_response(&self, lang: Lang) -> Response {
        self.with_headers((self.status(), axum::Json(self.json_body(lang))).into_response())
    }

    /// Headers the status calls for (`Retry-After` on 429).
    fn with_headers(&self, mut res: Response) -> Response {
        if let AppError::TooManyRequests { retry_after } = self {
            res.headers_mut().insert(header::RETRY_AFTER, (*retry_after).into());
        }
        res
    }
}

impl From<StoreError> for AppError {
    fn from(e: StoreError) -> AppError {
        match e {
            StoreError::NotFound => AppError::NotFound,
            StoreError::Invalid(v) => AppError::Invalid(v),
            StoreError::Refused(r) => AppError::Refused(r),
            other => AppError::Internal(other.to_string()),
        }
    }
}

impl From<Validation> for AppError {
    fn from(v: Validation) -> AppError {
        AppError::Invalid(v)
    }
}

impl From<Refusal> for AppError {
    fn from(r: Refusal) -> AppError {
        AppError::Refused(r)
    }
}

impl From<askama::Error> for AppError {
    fn from(e: askama::Error) -> AppError {
        AppError::Internal(format!("template: {e}"))
    }
}

impl From<qingfeng_domain::access::Denial> for AppError {
    fn from(d: qingfeng_domain::access::Denial) -> AppError {
        match d {
            qingfeng_domain::access::Denial::NotFound => AppError::NotFound,
            qingfeng_domain::access::Denial::Forbidden => AppError::forbidden(),
        }
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if let AppError::Internal(detail) = &self {
            tracing::error!(error = %detail, "internal error");
        }
        let mut res = self.status().into_response();
        res.extensions_mut().insert(self);
        res
    }
}

pub type AppResult<T> = Result<T, AppError>;

/// The JSON error body, for the OpenAPI document.
#[derive(serde::Serialize, utoipa::ToSchema)]
pub struct ErrorBody {
    /// Stable machine-readable code, e.g. `not_found`, `invalid`, `move_cycle`.
    pub code: String,
    /// Human-readable message in the request's language.
    pub message: String,
    /// Field name → what is wrong with it (for `invalid`).
    pub fields: std::collections::BTreeMap<String, String>,
}

/// Whether the client wants JSON: API paths always, otherwise by `Accept`.
pub fn wants_json(path: &str, accept: Option<&str>) -> bool {
    path.starts_with("/api/") || accept.is_some_and(|a| a.contains("application/json") && !a.contains("text/html"))
}

#[derive(Template)]
#[template(path = "error.html")]
struct ErrorPage {
    l: Layout,
    status: u16,
    code: &'static str,
    message: String,
    fields: Vec<(String, String)>,
}

/// Turns `AppError` responses into HTML pages or JSON bodies.
pub async fn render_errors(State(state): State<crate::AppState>, req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    let query = req.uri().query().map(str::to_string);
    let accept = req.headers().get(header::ACCEPT).and_then(|v| v.to_str().ok()).map(str::to_string);
    let ctx = req.extensions().get::<Ctx>().cloned();
    let mut res = next.run(req).await;
    let Some(err) = res.extensions_mut().remove::<AppError>() else {
        return res;
    };
    let lang = ctx.as_ref().map_or(Lang::Zh, |c| c.lang);
    if wants_json(&path, accept.as_deref()) {
        return err.json_response(lang);
    }
    if matches!(err, AppError::Unauthorized) {
        let next = match query {
            Some(q) => format!("{path}?{q}"),
            None => path,
        };
        let expired = if ctx.as_ref().is_some_and(|c| c.session_expired) { "&expired=1" } else { "" };
        return Redirect::to(&format!("/login?next={}{expired}", crate::form::urlencode(&next))).into_response();
    }
    let Some(ctx) = ctx else {
        return err.with_headers((err.status(), err.message().get(lang).to_string()).into_response());
    };
    let message = err.message().get(lang).to_string();
    let rendered = if crate::layout::is_public(&path) {
        PublicErrorPage {
            l: crate::layout::PublicLayout::new(&state, &ctx, message.clone()),
            status: err.status().as_u16(),
            message: message.clone(),
        }
        .render()
    } else {
        ErrorPage {
            l: Layout::new(&state, &ctx, "error", message.clone()),
            status: err.status().as_u16(),
            code: err.code(),
            message: message.clone(),
            fields: err.fields(lang).into_iter().map(|(k, v)| (k, v.as_str().unwrap_or_default().to_string())).collect(),
        }
        .render()
    };
    match rendered {
        Ok(html) => err.with_headers((err.status(), axum::response::Html(html)).into_response()),
        Err(e) => {
            tracing::error!(error = %e, "error page template failed");
            err.with_headers((err.status(), message).into_response())
        }
    }
}

/// The error page of the public (no-login) pages: their own frame, no staff links.
#[derive(Template)]
#[template(path = "public/error.html")]
struct PublicErrorPage {
    l: crate::layout::PublicLayout,
    status: u16,
    message: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_errors_name_each_field() {
        let mut v = Validation::new();
        v.add("name", Msg::new("必填", "required"));
        let body = AppError::Invalid(v).json_body(Lang::En);
        assert_eq!(body["code"], "invalid");
        assert_eq!(body["fields"]["name"], "required");
    }

    #[test]
    fn not_found_does_not_reveal_whether_the_record_exists() {
        let m = AppError::NotFound.message();
        assert!(m.zh.contains("无权查看"));
    }

    #[test]
    fn api_paths_always_get_json() {
        assert!(wants_json("/api/v1/orgs", Some("text/html")));
        assert!(wants_json("/orgs", Some("application/json")));
        assert!(!wants_json("/orgs", Some("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")));
    }
}
