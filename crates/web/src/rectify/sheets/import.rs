//! The import: upload, preview with the column mapping, confirm.

use crate::rectify::batches::own_batch;
use super::rows::{ColView, FieldView, RowView, all_units, check_row, letter, row_text};
use crate::AppState;
use crate::api::ApiQuery as Query;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::form_uuid;
use crate::i18n::T;
use crate::layout::{Layout, done, form_page};
use askama::Template;
use axum::extract::{Multipart, State};
use axum::response::Response;
use base64::Engine as _;
use qingfeng_domain::access::Action;
use qingfeng_domain::{Lang, Msg};
use qingfeng_sheets::{Field, Mapping, read_xlsx};
use qingfeng_store::rectify::Batch;
use serde::Deserialize;
use std::collections::HashMap;

/// Largest workbook accepted for import (it travels back with the preview).
pub const MAX_IMPORT_BYTES: usize = 5 * 1024 * 1024;

/// Batches the user may add problems to (ReviewRectify on the issuing unit).
async fn reviewable_batches(state: &AppState, user: &User) -> AppResult<Vec<Batch>> {
    let scopes = user.scopes(Action::ReviewRectify);
    if scopes.is_empty() {
        return Err(AppError::NotFound);
    }
    let all = state.store.rectify().batches(&scopes).await?;
    Ok(all.into_iter().filter(|b| b.scope().is_ok_and(|s| user.can(Action::ReviewRectify, &s))).collect())
}

/// The batch chosen in the form (one the user may review), or the import
/// form again asking for one.
async fn chosen_batch(state: &AppState, ctx: &Ctx, user: &User, batch: &str) -> AppResult<Result<Batch, Response>> {
    match form_uuid(batch).ok().flatten() {
        Some(id) => Ok(Ok(own_batch(state, user, id).await?)),
        None => {
            let msg = Msg::new("请选择问题清单", "choose a batch").get(ctx.lang).to_string();
            Ok(Err(import_page(state, ctx, user, batch.to_string(), Some(msg)).await?))
        }
    }
}

#[derive(Template)]
#[template(path = "rectify/import.html")]
struct ImportPage {
    l: Layout,
    batches: Vec<Batch>,
    batch: String,
    error: Option<String>,
}

async fn import_page(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    batch: String,
    error: Option<String>,
) -> AppResult<Response> {
    let invalid = error.is_some();
    form_page(&ImportPage {
        l: Layout::new(state, ctx, "rectify", T(ctx.lang).s("rectify.import_title").into_owned()),
        batches: reviewable_batches(state, user).await?,
        batch,
        error,
    }, invalid)
}

#[derive(Deserialize, Default)]
pub struct ImportQuery {
    #[serde(default)]
    batch: String,
}

/// `GET /rectify/import`: choose a batch and a workbook.
pub async fn import_form(
    State(state): State<AppState>,
    ctx: Ctx,
    user: User,
    Query(q): Query<ImportQuery>,
) -> AppResult<Response> {
    import_page(&state, &ctx, &user, q.batch, None).await
}

/// The fields of a multipart form, the file (if any) kept as bytes.
async fn fields(mut mp: Multipart) -> AppResult<(HashMap<String, String>, Option<(String, Vec<u8>)>)> {
    let bad = |_| AppError::bad_request("bad_multipart", "上传内容无法解析", "the upload could not be read");
    let (mut out, mut file) = (HashMap::new(), None);
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "file" {
            let fname = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
            if !bytes.is_empty() {
                file = Some((fname, bytes.to_vec()));
            }
        } else {
            out.insert(name, field.text().await.map_err(bad)?);
        }
    }
    Ok((out, file))
}

/// `POST /rectify/import` (multipart: `_csrf` first, `batch`, `file`): the preview.
pub async fn import_upload(State(state): State<AppState>, ctx: Ctx, user: User, mp: Multipart) -> AppResult<Response> {
    let (f, file) = fields(mp).await?;
    let batch_s = f.get("batch").cloned().unwrap_or_default();
    let batch = match chosen_batch(&state, &ctx, &user, &batch_s).await? {
        Ok(b) => b,
        Err(page) => return Ok(page),
    };
    let Some((name, bytes)) = file else {
        return import_page(
            &state,
            &ctx,
            &user,
            batch_s,
            Some(Msg::new("请选择要上传的 .xlsx 文件", "choose an .xlsx file").get(ctx.lang).into()),
        )
        .await;
    };
    if bytes.len() > MAX_IMPORT_BYTES {
        let m = Msg::owned(
            format!("文件过大（{:.1} MB），导入的 Excel 不能超过 5 MB，请拆分后再上传", bytes.len() as f64 / 1048576.0),
            "the workbook is larger than 5 MB; split it".into(),
        )
        .get(ctx.lang)
        .to_string();
        return import_page(&state, &ctx, &user, batch_s, Some(m)).await;
    }
    run(&state, &ctx, &user, batch, name, &bytes, None, Go::Check).await
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Go {
    /// Only show the preview.
    Check,
    /// Import every row; refused while any row has an error.
    All,
    /// Import the valid rows only (the user ticked `valid_only`).
    ValidOnly,
}

/// `POST /rectify/import/confirm` (multipart: `_csrf` first, `batch`, `name`,
/// `data` = the workbook in base64, `map_<field>` = column index or "",
/// `valid_only`, `go` = check | all | valid): re-checks with the mapping
/// and imports, or shows the preview again.
pub async fn import_confirm(State(state): State<AppState>, ctx: Ctx, user: User, mp: Multipart) -> AppResult<Response> {
    let (f, _) = fields(mp).await?;
    let get = |k: &str| f.get(k).map(String::as_str).unwrap_or("");
    let batch_s = get("batch").to_string();
    let batch = match chosen_batch(&state, &ctx, &user, &batch_s).await? {
        Ok(b) => b,
        Err(page) => return Ok(page),
    };
    let bytes = match base64::engine::general_purpose::STANDARD.decode(get("data").trim()) {
        Ok(b) if !b.is_empty() && b.len() <= MAX_IMPORT_BYTES => b,
        _ => {
            let m = Msg::new("上传内容已失效，请重新上传 Excel 文件", "the upload was lost; upload the workbook again");
            return import_page(&state, &ctx, &user, batch_s, Some(m.get(ctx.lang).into())).await;
        }
    };
    let mut mapping = Mapping(Vec::new());
    for field in Field::ALL {
        if let Ok(i) = get(&format!("map_{}", field.as_str())).parse::<usize>() {
            mapping.set(field, i);
        }
    }
    let valid_only = matches!(get("valid_only"), "1" | "on" | "true");
    let go = match (get("go"), valid_only) {
        ("check", _) => Go::Check,
        (_, true) => Go::ValidOnly,
        _ => Go::All,
    };
    run(&state, &ctx, &user, batch, get("name").to_string(), &bytes, Some(mapping), go).await
}

#[derive(Template)]
#[template(path = "rectify/import_preview.html")]
struct PreviewPage {
    l: Layout,
    batch: Batch,
    name: String,
    data: String,
    title: String,
    header_rows: String,
    columns: Vec<ColView>,
    fields: Vec<FieldView>,
    rows: Vec<RowView>,
    notes: Vec<String>,
    error: Option<String>,
    valid: usize,
    invalid: usize,
}

#[allow(clippy::too_many_arguments)]
async fn run(
    state: &AppState,
    ctx: &Ctx,
    user: &User,
    batch: Batch,
    name: String,
    bytes: &[u8],
    mapping: Option<Mapping>,
    go: Go,
) -> AppResult<Response> {
    let table = match read_xlsx(bytes) {
        Ok(t) => t,
        Err(e) => {
            let m = if ctx.lang == Lang::En { e.to_string() } else { e.zh() };
            return import_page(state, ctx, user, batch.id.to_string(), Some(m)).await;
        }
    };
    let mapping = mapping.unwrap_or_else(|| table.auto_mapping());
    let (units, place) = all_units(state).await?;
    let issued = batch.issued()?;
    let mut notes = Vec::new();
    for f in [Field::Description, Field::LeadUnit, Field::Deadline] {
        if mapping.column(f).is_none() {
            notes.push(
                Msg::owned(
                    format!("未指定“{}”对应的列", f.label_zh()),
                    format!("no column is mapped to {}", f.as_str()),
                )
                .get(ctx.lang)
                .to_string(),
            );
        }
    }
    let (mut rows, mut specs, mut invalid) = (Vec::new(), Vec::new(), 0);
    for row in &table.rows {
        let mut v = RowView {
            excel_row: row.excel_row,
            section: row.section.clone().unwrap_or_default(),
            description: table.get(row, &mapping, Field::Description).to_string(),
            ..Default::default()
        };
        match check_row(&table, row, &mapping, &units, &place, issued, &mut v) {
            Ok(s) => specs.push(s),
            Err(errs) => {
                invalid += 1;
                v.errors = errs.iter().map(|e| row_text(e, ctx.lang)).collect();
            }
        }
        rows.push(v);
    }
    let error = match go {
        Go::Check => None,
        _ if specs.is_empty() => {
            Some(Msg::new("没有可导入的行，未导入任何问题", "no row can be imported; nothing was written"))
        }
        Go::All if invalid > 0 => Some(Msg::owned(
            format!("有 {invalid} 行存在错误，未导入任何问题。请修正后重新上传，或勾选确认后仅导入无误的行"),
            format!(
                "{invalid} rows have errors; nothing was written. Fix them, or confirm importing only the valid rows"
            ),
        )),
        _ => {
            let who = user.who();
            let res = state.store.rectify().create_problems(&who, &crate::rectify::reckon(state).env(), batch.id, &specs).await.map_err(AppError::from);
            match res {
                Ok(_) => return Ok(done(state, &format!("/rectify/problems?batch={}", batch.id), "flash.imported")),
                Err(AppError::Refused(r)) => Some(r.msg),
                Err(e) => return Err(e),
            }
        }
    };
    let fields = Field::ALL
        .iter()
        .map(|f| FieldView { name: f.as_str(), label: f.label_zh(), selected: mapping.column(*f) })
        .collect();
    let columns = table
        .columns
        .iter()
        .map(|c| ColView { index: c.index, letter: letter(c.index), label: c.label.clone() })
        .collect();
    let refused = error.is_some();
    form_page(&PreviewPage {
        l: Layout::new(state, ctx, "rectify", T(ctx.lang).s("rectify.import_preview").into_owned()),
        name,
        data: base64::engine::general_purpose::STANDARD.encode(bytes),
        title: table.title.clone().unwrap_or_default(),
        header_rows: format!("{}–{}", table.header_rows.start(), table.header_rows.end()),
        columns,
        fields,
        valid: specs.len(),
        invalid,
        rows,
        notes,
        error: error.map(|m| m.get(ctx.lang).to_string()),
        batch,
    }, refused)
}
