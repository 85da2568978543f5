//! `/api/openapi.json` and a docs page rendered by the server from the same
//! document (no third-party UI code, works without JavaScript).

use crate::ctx::Ctx;
use crate::error::AppResult;
use crate::layout::{Layout, page as render};
use crate::{AppState, api};
use askama::Template;
use axum::Json;
use axum::extract::State;
use axum::response::Response;
use utoipa::openapi::path::HttpMethod;

pub struct DocOp {
    pub method: &'static str,
    pub path: String,
    pub summary: String,
    pub description: String,
    pub params: Vec<(String, String, bool, String)>,
    pub body: Option<String>,
    pub responses: Vec<(String, String)>,
}

pub struct DocTag {
    pub name: String,
    pub description: String,
    pub ops: Vec<DocOp>,
}

#[derive(Template)]
#[template(path = "api/docs.html")]
struct DocsPage {
    l: Layout,
    title: String,
    description: String,
    tags: Vec<DocTag>,
}

fn method_name(m: &HttpMethod) -> &'static str {
    match m {
        HttpMethod::Get => "GET",
        HttpMethod::Post => "POST",
        HttpMethod::Put => "PUT",
        HttpMethod::Delete => "DELETE",
        HttpMethod::Patch => "PATCH",
        HttpMethod::Head => "HEAD",
        HttpMethod::Options => "OPTIONS",
        HttpMethod::Trace => "TRACE",
    }
}

fn schema_name(r: &utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>) -> String {
    match r {
        utoipa::openapi::RefOr::Ref(r) => r.ref_location.rsplit('/').next().unwrap_or_default().to_string(),
        utoipa::openapi::RefOr::T(_) => "object".to_string(),
    }
}

pub async fn page(State(state): State<AppState>, ctx: Ctx) -> AppResult<Response> {
    let doc = api::openapi();
    let mut tags: Vec<DocTag> = doc
        .tags
        .clone()
        .unwrap_or_default()
        .into_iter()
        .map(|t| DocTag { name: t.name, description: t.description.unwrap_or_default(), ops: Vec::new() })
        .collect();
    for (path, item) in &doc.paths.paths {
        let ops = [
            (HttpMethod::Get, &item.get),
            (HttpMethod::Post, &item.post),
            (HttpMethod::Put, &item.put),
            (HttpMethod::Patch, &item.patch),
            (HttpMethod::Delete, &item.delete),
        ];
        for (m, op) in ops {
            let Some(op) = op else { continue };
            let tag = op.tags.as_ref().and_then(|t| t.first()).cloned().unwrap_or_default();
            let params =
                op.parameters
                    .iter()
                    .flatten()
                    .filter_map(|p| match p {
                        utoipa::openapi::RefOr::T(p) => Some(p),
                        utoipa::openapi::RefOr::Ref(_) => None,
                    })
                    .map(|p| {
                        let loc = match p.parameter_in {
                            utoipa::openapi::path::ParameterIn::Query
                            | utoipa::openapi::path::ParameterIn::QueryString => "query",
                            utoipa::openapi::path::ParameterIn::Path => "path",
                            utoipa::openapi::path::ParameterIn::Header => "header",
                            utoipa::openapi::path::ParameterIn::Cookie => "cookie",
                        }
                        .to_string();
                        let req = matches!(p.required, utoipa::openapi::Required::True);
                        (p.name.clone(), loc, req, p.description.clone().unwrap_or_default())
                    })
                    .collect();
            let body = op
                .request_body
                .as_ref()
                .and_then(|b| match b {
                    utoipa::openapi::RefOr::T(b) => b.content.values().next(),
                    utoipa::openapi::RefOr::Ref(_) => None,
                })
                .and_then(|c| match c {
                    utoipa::openapi::RefOr::T(c) => c.schema.as_ref(),
                    utoipa::openapi::RefOr::Ref(_) => None,
                })
                .map(schema_name);
            let responses = op
                .responses
                .responses
                .iter()
                .map(|(code, r)| {
                    let d = match r {
                        utoipa::openapi::RefOr::T(r) => r.description.clone(),
                        utoipa::openapi::RefOr::Ref(r) => r.ref_location.clone(),
                    };
                    (code.clone(), d)
                })
                .collect();
            let entry = DocOp {
                method: method_name(&m),
                path: path.clone(),
                summary: op.summary.clone().unwrap_or_default(),
                description: op.description.clone().unwrap_or_default(),
                params,
                body,
                responses,
            };
            match tags.iter_mut().find(|t| t.name == tag) {
                Some(t) => t.ops.push(entry),
                None => tags.push(DocTag { name: tag, description: String::new(), ops: vec![entry] }),
            }
        }
    }
    render(&DocsPage {
        l: Layout::new(&state, &ctx, "api", "API".into()),
        title: doc.info.title.clone(),
        description: doc.info.description.clone().unwrap_or_default(),
        tags,
    })
}

pub async fn openapi_json() -> Json<utoipa::openapi::OpenApi> {
    Json(api::openapi())
}
