//! The JSON API under `/api/v1/`: extractors that answer bad input with a
//! clear 4xx, the OpenAPI document, and the docs page.

pub mod docs;
pub mod dto;
pub mod leads;
pub mod orglife;
pub mod rectify;

use crate::AppState;
use crate::error::AppError;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use axum::http::request::Parts;
use qingfeng_domain::Msg;
use serde::de::DeserializeOwned;
use utoipa::OpenApi;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;
use uuid::Uuid;

#[derive(OpenApi)]
#[openapi(
    info(title = "清风 Qingfeng API", description = "全面从严治党监督管理平台 JSON API. Authenticate with `Authorization: Bearer <token>` (created by `qingfeng admin token`) or the browser session (writes then need a same-site `Origin`). Errors are `{\"code\",\"message\",\"fields\"}`. Records outside the caller's scope answer 404."),
    tags(
        (name = "me", description = "The calling account"),
        (name = "org", description = "Organisation tree and people"),
        (name = "access", description = "Accounts and grants"),
        (name = "audit", description = "Audit chain (留痕)"),
        (name = "calendar", description = "Working-day calendar"),
        (name = "rectify", description = "问题清单 → 整改 → 销号: batches, problems, measures, extensions, boards"),
        (name = "orglife", description = "组织生活: compliance, roster, meetings with attendance and votes"),
        (name = "leads", description = "问题线索: the ledger, a lead's people, outcomes, 一案双查 and referrals (never a reporter's identity)"),
    ),
    components(schemas(crate::error::ErrorBody)),
)]
struct ApiDoc;

/// Every API route, registered together with its OpenAPI description.
pub fn router() -> OpenApiRouter<AppState> {
    use crate::access::api as acc;
    use crate::audit as aud;
    use crate::calendar as cal;
    use crate::org::api as org;
    use rectify as rec;
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .routes(routes!(acc::me))
        .routes(routes!(crate::home::todos_api))
        .routes(routes!(org::list_orgs, org::create_org))
        .routes(routes!(org::roots))
        .routes(routes!(org::get_org, org::update_org))
        .routes(routes!(org::children))
        .routes(routes!(org::subtree))
        .routes(routes!(org::move_org))
        .routes(routes!(org::deactivate_org))
        .routes(routes!(org::reactivate_org))
        .routes(routes!(org::list_people, org::create_person))
        .routes(routes!(org::get_person, org::update_person))
        .routes(routes!(org::transfer_person))
        .routes(routes!(org::deactivate_person))
        .routes(routes!(org::reactivate_person))
        .routes(routes!(acc::list_accounts, acc::create_account))
        .routes(routes!(acc::get_account))
        .routes(routes!(acc::reset_password))
        .routes(routes!(acc::disable_account))
        .routes(routes!(acc::enable_account))
        .routes(routes!(acc::unlock_account))
        .routes(routes!(acc::create_grant))
        .routes(routes!(acc::revoke_grant))
        .routes(routes!(aud::list_events))
        .routes(routes!(aud::get_event))
        .routes(routes!(cal::deadline))
        .routes(routes!(cal::working_days))
        .routes(routes!(rec::list_batches, rec::create_batch))
        .routes(routes!(rec::create_problem))
        .routes(routes!(rec::list_problems))
        .routes(routes!(rec::get_problem))
        .routes(routes!(rec::act))
        .routes(routes!(rec::add_measure))
        .routes(routes!(rec::complete_measure))
        .routes(routes!(rec::request_extension))
        .routes(routes!(rec::decide_extension))
        .routes(routes!(rec::board))
        .routes(routes!(orglife::branch_compliance))
        .routes(routes!(orglife::roster))
        .routes(routes!(orglife::record_meeting))
        .routes(routes!(orglife::get_meeting))
        .routes(routes!(leads::list_leads))
        .routes(routes!(leads::get_lead))
}

/// The OpenAPI document.
pub fn openapi() -> utoipa::openapi::OpenApi {
    router().split_for_parts().1
}

/// A JSON body: must be `application/json`, at most 1 MiB, well-formed,
/// and without unknown fields (DTOs use `deny_unknown_fields`).
pub struct ApiJson<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, _: &S) -> Result<Self, Self::Rejection> {
        let is_json = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("application/json"));
        if !is_json {
            return Err(AppError::UnsupportedMediaType);
        }
        let bytes =
            axum::body::to_bytes(req.into_body(), crate::MAX_JSON_BYTES).await.map_err(|_| AppError::TooLarge)?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Parses a JSON body, naming the field at fault.
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value: T = match serde_path_to_error::deserialize(&mut de) {
        Ok(v) => v,
        Err(e) => {
            let path = e.path().to_string();
            let inner = e.into_inner();
            if inner.is_syntax() || inner.is_eof() || inner.is_io() {
                return Err(AppError::BadRequest {
                    code: "malformed_json",
                    msg: Msg::owned(format!("JSON格式错误：{inner}"), format!("malformed JSON: {inner}")),
                });
            }
            let text = inner.to_string();
            let field = if path == "." { backticked(&text).unwrap_or_else(|| "body".into()) } else { path };
            let msg = if text.starts_with("unknown field") {
                Msg::owned("不认识的字段".into(), format!("unknown field ({text})"))
            } else if text.starts_with("missing field") {
                Msg::new("必填", "required")
            } else {
                Msg::owned(format!("类型或取值不对：{text}"), text.clone())
            };
            return Err(AppError::field_owned(field, msg));
        }
    };
    de.end().map_err(|e| AppError::BadRequest {
        code: "malformed_json",
        msg: Msg::owned(format!("JSON格式错误：{e}"), format!("malformed JSON: {e}")),
    })?;
    Ok(value)
}

fn backticked(s: &str) -> Option<String> {
    let start = s.find('`')? + 1;
    let end = s[start..].find('`')? + start;
    Some(s[start..end].to_string())
}

/// Query-string parameters, answered with a 400 that names the problem.
pub struct ApiQuery<T>(pub T);

impl<S: Send + Sync, T: DeserializeOwned> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let q = parts.uri.query().unwrap_or("");
        serde_urlencoded::from_str(q).map(ApiQuery).map_err(|e| AppError::BadRequest {
            code: "bad_query",
            msg: Msg::owned(format!("查询参数有误：{e}"), format!("invalid query parameters: {e}")),
        })
    }
}

/// A record id in the path. Something that is not an id names no record: 404.
pub struct PathId(pub Uuid);

impl<S: Send + Sync> FromRequestParts<S> for PathId {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let axum::extract::Path(raw): axum::extract::Path<String> =
            axum::extract::Path::from_request_parts(parts, state).await.map_err(|_| AppError::NotFound)?;
        Uuid::try_parse(&raw).map(PathId).map_err(|_| AppError::NotFound)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Deserialize, Debug)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct Body {
        name: String,
        n: Option<i64>,
    }

    #[test]
    fn malformed_json_is_a_bad_request() {
        let err = parse_json::<Body>(b"{\"name\": ").unwrap_err();
        assert_eq!(err.code(), "malformed_json");
        let err = parse_json::<Body>(b"{\"name\": \"a\"} trailing").unwrap_err();
        assert_eq!(err.code(), "malformed_json");
        let err = parse_json::<Body>(&[0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]).unwrap_err();
        assert_eq!(err.code(), "malformed_json", "invalid UTF-8");
    }

    #[test]
    fn unknown_missing_and_mistyped_fields_are_named() {
        let body = |e: AppError| e.json_body(qingfeng_domain::Lang::En);
        let b = body(parse_json::<Body>(br#"{"name":"a","colour":"red"}"#).unwrap_err());
        assert!(b["fields"].get("colour").is_some(), "{b}");
        let b = body(parse_json::<Body>(br#"{}"#).unwrap_err());
        assert!(b["fields"].get("name").is_some(), "{b}");
        let b = body(parse_json::<Body>(br#"{"name":"a","n":"x"}"#).unwrap_err());
        assert!(b["fields"].get("n").is_some(), "{b}");
    }
}
