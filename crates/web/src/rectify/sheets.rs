//! 问题清单 as Excel: the filtered problem list and a board's per-unit table
//! as workbooks, and the import of a hand-made list — columns mapped (auto,
//! then changeable), every row checked and shown in a preview, nothing
//! written unless the whole list is valid or the user chose the valid rows.
//! The preview keeps no server state: the workbook travels back in the form.

mod import;
mod rows;

pub use import::{MAX_IMPORT_BYTES, import_confirm, import_form, import_upload};

use super::problems::{ListQuery, filter_of};
use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::form::urlencode;
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use qingfeng_domain::access::Action;
use qingfeng_domain::page::{MAX_PER_PAGE, PageRequest};
use qingfeng_domain::rectify::ProblemStatus;
use qingfeng_domain::rectify::tally::{Counts, percent};
use qingfeng_sheets::{ExportRow, write_problem_list, write_table};
use qingfeng_store::rectify::Problem;
use std::collections::HashMap;
use uuid::Uuid;

/// At most this many problems are exported at once.
pub const MAX_EXPORT_ROWS: usize = 20_000;

pub(crate) fn xlsx(name: &str, bytes: Vec<u8>) -> Response {
    download(name, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes)
}

/// A file download named `name` (UTF-8, with an ASCII fallback of its extension).
pub(crate) fn download(name: &str, ct: &str, bytes: Vec<u8>) -> Response {
    let ext = name.rsplit('.').next().filter(|e| e.is_ascii() && e.len() <= 5).unwrap_or("bin");
    let disposition = format!("attachment; filename=\"export.{ext}\"; filename*=UTF-8''{}", urlencode(name));
    (
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (header::CONTENT_DISPOSITION, disposition),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".into()),
        ],
        bytes,
    )
        .into_response()
}

pub(crate) fn write_failed(e: qingfeng_sheets::SheetError) -> AppError {
    AppError::Internal(e.to_string())
}

/// `GET /rectify/problems.xlsx`: the list with the page's filters and scope, all pages.
pub async fn export_problems(
    State(state): State<AppState>,
    user: User,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let scopes = user.scopes(Action::ViewRectify);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let (filter, _) = filter_of(&state, &user, &q).await?;
    let r = state.store.rectify();
    let mut problems: Vec<Problem> = Vec::new();
    for n in 1.. {
        let got = r.list(&scopes, &filter, PageRequest::new(Some(n), Some(MAX_PER_PAGE))).await?.items;
        let last = got.len() < MAX_PER_PAGE as usize;
        problems.extend(got);
        if last || problems.len() >= MAX_EXPORT_ROWS {
            break;
        }
    }
    let cut = problems.len() > MAX_EXPORT_ROWS;
    problems.truncate(MAX_EXPORT_ROWS);
    // One section per batch, in the order the batches first appear.
    let mut first: HashMap<Uuid, usize> = HashMap::new();
    for (i, p) in problems.iter().enumerate() {
        first.entry(p.batch_id).or_insert(i);
    }
    problems.sort_by_key(|p| first[&p.batch_id]);
    let mut rows = Vec::with_capacity(problems.len());
    for p in &problems {
        let measures = r.measures_of(p.id).await?;
        let measures =
            measures.iter().enumerate().map(|(i, m)| format!("{}. {}", i + 1, m.title)).collect::<Vec<_>>().join("\n");
        let status = p.status();
        let mut status_text = status.label().zh.to_string();
        if p.warning == "red" && status != ProblemStatus::Closed {
            status_text.push_str("（逾期）");
        }
        rows.push(ExportRow {
            seq: p.seq.to_string(),
            section: Some(p.reference.clone()),
            description: p.description.clone(),
            measures,
            lead_unit: p.lead_unit_name.clone(),
            supporting_units: String::new(),
            leader: p.leader_name.clone().unwrap_or_default(),
            owner: p.owner_name.clone().unwrap_or_default(),
            deadline: p.deadline.clone(),
            progress: format!("{}（{}%）", status.label().zh, p.progress),
            status: status_text,
        });
    }
    let today = super::today();
    let subtitle = if cut {
        format!("共导出 {MAX_EXPORT_ROWS} 个问题（已达上限，请缩小筛选范围）")
    } else {
        format!("共 {} 个问题", rows.len())
    };
    let bytes = write_problem_list(&format!("问题整改清单（导出日期 {today}）"), Some(&subtitle), &rows)
        .map_err(write_failed)?;
    Ok(xlsx(&format!("问题整改清单-{today}.xlsx"), bytes))
}

/// `GET /rectify/board/{id}/export.xlsx`: the board's per-unit table.
pub async fn export_board(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    let unit = crate::org::visible_unit(&state, &user, id, Action::ViewRectify).await?;
    let b = state.store.rectify().board(id).await?;
    let line = |label: &str, c: &Counts| {
        vec![
            label.to_string(),
            c.total.to_string(),
            c.closed.to_string(),
            c.open().to_string(),
            c.red.to_string(),
            c.relapsed.to_string(),
            percent(c.reported_rate()),
            percent(c.verified_rate()),
        ]
    };
    let mut rows = Vec::new();
    if b.direct.total > 0 {
        rows.push(line("本级", &b.direct));
    }
    rows.extend(b.children.iter().map(|c| line(&c.label, &c.counts)));
    rows.push(line("合计", &b.total));
    let today = super::today();
    let headers = ["单位", "问题总数", "已销号", "未销号", "逾期", "反弹", "上报完成率", "核验后完成率"];
    let bytes =
        write_table(&format!("{}整改进度（{today}）", unit.display_name()), &headers, &rows).map_err(write_failed)?;
    Ok(xlsx(&format!("整改进度-{}-{today}.xlsx", unit.display_name()), bytes))
}
