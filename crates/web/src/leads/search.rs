//! Full-text search over 信访举报 (qingfeng-search: tantivy with Qingfeng's
//! jieba tokeniser). The index lives in memory: built from the database on
//! first use, then kept current by every intake. A report is indexed under
//! the office that received it, so the scope filter is the same as the
//! register's for the office; handling units find theirs in the register.

use crate::AppState;
use crate::error::{AppError, AppResult};
use qingfeng_domain::org::OrgPath;
use qingfeng_search::{Doc, DocKind, Hit, SearchIndex};
use qingfeng_store::leads::Report;
use uuid::Uuid;

fn doc(r: &Report) -> AppResult<Doc> {
    let received_on = r.received_on.parse().map_err(|_| AppError::Internal("report date".into()))?;
    Ok(Doc { id: r.id, kind: DocKind::Report, unit_path: r.intake_scope()?, title: r.title.clone(), text: r.content.clone(), received_on })
}

fn failed(e: qingfeng_search::SearchError) -> AppError {
    AppError::Internal(format!("search index: {e}"))
}

/// Builds the index from the database if it is not built yet.
async fn ensure(state: &AppState) -> AppResult<()> {
    if state.search.read().await.is_some() {
        return Ok(());
    }
    let mut guard = state.search.write().await;
    if guard.is_some() {
        return Ok(());
    }
    let mut index = SearchIndex::in_ram().map_err(failed)?;
    let mut after: Option<Uuid> = None;
    loop {
        let batch = state.store.leads().batch_after(after, 1000).await?;
        if batch.is_empty() {
            break;
        }
        after = batch.last().map(|r| r.id);
        let docs = batch.iter().map(doc).collect::<AppResult<Vec<_>>>()?;
        index.upsert(&docs).map_err(failed)?;
    }
    index.commit().map_err(failed)?;
    *guard = Some(index);
    Ok(())
}

/// Adds a newly filed report (when the index exists; otherwise it is read
/// from the database when the index is first built).
pub async fn index_report(state: &AppState, r: &Report) -> AppResult<()> {
    let mut guard = state.search.write().await;
    if let Some(index) = guard.as_mut() {
        index.upsert(&[doc(r)?]).map_err(failed)?;
        index.commit().map_err(failed)?;
    }
    Ok(())
}

/// The best `limit` reports for `q` received within `scopes`, with snippets.
pub async fn search(state: &AppState, q: &str, scopes: &[OrgPath], limit: usize) -> AppResult<Vec<(Report, Hit)>> {
    ensure(state).await?;
    let hits = match state.search.read().await.as_ref() {
        Some(index) => index.search(q, scopes, Some(DocKind::Report), limit).map_err(failed)?,
        None => Vec::new(),
    };
    let mut out = Vec::with_capacity(hits.len());
    for h in hits {
        match state.store.leads().get(h.id).await {
            Ok(r) => out.push((r, h)),
            Err(qingfeng_store::StoreError::NotFound) => {}
            Err(e) => return Err(e.into()),
        }
    }
    Ok(out)
}
