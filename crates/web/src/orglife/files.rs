//! Files attached to a meeting record (签到表, photos, 会议纪要): type and
//! size checked like 整改佐证材料, stored once by digest, covered by the
//! audit chain through the meeting's snapshot.

use crate::AppState;
use crate::api::PathId;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use crate::layout::done;
use axum::extract::{Multipart, State};
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_domain::rectify::evidence::check_file;

/// `POST /orglife/meetings/{id}/files` (multipart, field `file`).
pub async fn upload(State(state): State<AppState>, user: User, PathId(id): PathId, mut mp: Multipart) -> AppResult<Response> {
    let m = state.store.orglife().meeting(id).await?;
    user.authorize(Action::ManageOrgLife, &m.scope()?)?;
    let bad = |_| AppError::bad_request("bad_multipart", "上传内容无法解析", "the upload could not be read");
    let mut file = None;
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        if field.name() == Some("file") {
            let name = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
            file = Some((name, bytes));
        }
    }
    let (name, bytes) = file.filter(|(n, b)| !n.is_empty() && !b.is_empty()).ok_or_else(|| {
        AppError::bad_request("file_missing", "请选择要上传的文件", "choose a file to upload")
    })?;
    let kind = check_file(&name, &bytes, state.config.rules.rectify.evidence_max_bytes)
        .map_err(|msg| AppError::BadRequest { code: "file_refused", msg })?;
    state.store.orglife().attach(&user.who(), id, &name, kind.content_type(&name), &bytes).await?;
    Ok(done(&state, &format!("/orglife/meetings/{id}#files"), "flash.saved"))
}

/// `GET /orglife/files/{id}`: an attachment, scoped like its meeting.
pub async fn download(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    let f = state.store.orglife().file(id).await?;
    let m = state.store.orglife().meeting(f.meeting_id).await?;
    user.authorize(Action::ViewOrgLife, &m.scope()?)?;
    let bytes = state.store.rectify().evidence_bytes(&f.sha256).await?;
    Ok(crate::rectify::sheets::download(&f.file_name, &f.content_type, bytes))
}
