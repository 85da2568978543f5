//! The task breakdown table (任务分解表) of a directive, as offices
//! circulate it: 序号, 任务内容, 牵头单位, 配合单位, 责任人, 完成时限, 进展 —
//! as .xlsx and .docx, generated from the records (only the tasks the user
//! may see).

use super::visible_directive;
use crate::AppState;
use crate::api::PathId;
use crate::ctx::User;
use crate::error::AppResult;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::access::Action;
use qingfeng_sheets::{TaskRow, TaskTable};
use qingfeng_store::tasks::{Directive, Task};
use uuid::Uuid;

async fn table(state: &AppState, user: &User, id: Uuid) -> AppResult<(Directive, TaskTable)> {
    let d = visible_directive(state, user, id, Action::ViewTasks).await?;
    let scopes = user.scopes(Action::ViewTasks);
    let s = state.store.tasks();
    let mut rows = Vec::new();
    for t in s.tree(id).await? {
        let seen = [t.lead_scope(), t.issuer_scope()].into_iter().flatten().any(|p| scopes.iter().any(|sc| p.is_within(sc)));
        if !seen {
            continue;
        }
        let supporting: Vec<String> = s.supporting(t.id).await?.into_iter().map(|(_, n)| n).collect();
        rows.push(row(&t, &supporting));
    }
    let title = format!("关于落实《{}》的任务分解表", d.title);
    let subtitle = Some(format!(
        "部署单位：{}　下发日期：{}　导出日期：{}",
        d.issuing_unit_name,
        d.issued_on,
        super::today()
    ));
    Ok((d, TaskTable { title, subtitle, rows }))
}

/// Characters of a task's details shown in the table.
const BODY_IN_TABLE: usize = 80;

fn row(t: &Task, supporting: &[String]) -> TaskRow {
    // The table circulates as a one-page overview: the task and the start
    // of its details (the whole text is on the task's page).
    let content = match &t.body {
        Some(b) if !b.trim().is_empty() => format!("{}\n{}", t.title, crate::rectify::clip(b.trim(), BODY_IN_TABLE)),
        _ => t.title.clone(),
    };
    let mut progress = format!("{}%　{}", t.progress, t.status().label().zh);
    if t.status().is_open() && matches!(t.warning.as_str(), "red" | "yellow") {
        progress.push('　');
        progress.push_str(&t.warning_reason);
    }
    TaskRow {
        seq: t.code.clone(),
        depth: u8::try_from(t.depth.clamp(0, 12)).unwrap_or(0),
        content,
        lead_unit: t.lead_unit_name.clone(),
        supporting_units: supporting.join("、"),
        owner: t.owner_name.clone().unwrap_or_default(),
        deadline: t.deadline.clone(),
        progress,
    }
}

fn file_name(d: &Directive, ext: &str) -> String {
    let base: String = d.title.chars().filter(|c| !matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|')).take(60).collect();
    format!("任务分解表-{base}.{ext}")
}

/// `GET /tasks/directives/{id}/tasks.xlsx`.
pub async fn xlsx(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    let (d, t) = table(&state, &user, id).await?;
    let bytes = qingfeng_sheets::write_task_table_xlsx(&t).map_err(crate::rectify::sheets::write_failed)?;
    Ok(crate::rectify::sheets::download(&file_name(&d, "xlsx"), "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", bytes))
}

/// `GET /tasks/directives/{id}/tasks.docx`.
pub async fn docx(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    let (d, t) = table(&state, &user, id).await?;
    let bytes = qingfeng_sheets::write_task_table_docx(&t).map_err(crate::rectify::sheets::write_failed)?;
    Ok(crate::rectify::sheets::download(&file_name(&d, "docx"), "application/vnd.openxmlformats-officedocument.wordprocessingml.document", bytes))
}
