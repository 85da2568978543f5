//! Full-text search over 信访举报 and 问题线索 (qingfeng-search: tantivy with
//! Qingfeng's jieba tokeniser). The index lives on disk under the data
//! directory when `serve` runs (`WebConfig::search_dir`), in memory
//! otherwise. It is opened on first use and rebuilt from the database when
//! its number of documents differs from the stored reports and leads (a
//! write made while the server was down); every intake, acceptance and
//! lead registration then keeps it current. A report is indexed under the
//! office that received it and the unit handling it, a lead under its
//! handling unit, so a search shows what the register and the ledger show.
//! Reporters' identities are never indexed.

use crate::AppState;
use crate::ctx::User;
use crate::error::{AppError, AppResult};
use qingfeng_domain::access::Action;
use qingfeng_search::{Doc, DocKind, Hit, SearchIndex};
use qingfeng_store::leads::{Lead, Report};
use uuid::Uuid;

fn report_doc(r: &Report) -> AppResult<Doc> {
    let received_on = r.received_on.parse().map_err(|_| AppError::Internal("report date".into()))?;
    let mut unit_paths = vec![r.intake_scope()?];
    unit_paths.extend(r.handling_scope()?);
    Ok(Doc { id: r.id, kind: DocKind::Report, unit_paths, title: r.title.clone(), text: r.content.clone(), received_on })
}

fn lead_doc(l: &Lead) -> AppResult<Doc> {
    let received_on = l.received_on.parse().map_err(|_| AppError::Internal("lead date".into()))?;
    let title = format!("{} {} {}", l.lead_no, l.subject_name, l.subject_unit_name);
    Ok(Doc { id: l.id, kind: DocKind::Lead, unit_paths: vec![l.scope()?], title, text: l.summary.clone(), received_on })
}

fn failed(e: qingfeng_search::SearchError) -> AppError {
    AppError::Internal(format!("search index: {e}"))
}

/// Opens the index (and rebuilds it from the database when stale) if it is not open yet.
async fn ensure(state: &AppState) -> AppResult<()> {
    if state.search.read().await.is_some() {
        return Ok(());
    }
    let mut guard = state.search.write().await;
    if guard.is_some() {
        return Ok(());
    }
    let mut index = match &state.config.search_dir {
        Some(dir) => SearchIndex::open_or_create(dir).map_err(failed)?,
        None => SearchIndex::in_ram().map_err(failed)?,
    };
    let (reports, leads) = state.store.leads().counts().await?;
    if u64::try_from(reports + leads).ok() != Some(index.len()) {
        let mut after: Option<Uuid> = None;
        loop {
            let batch = state.store.leads().batch_after(after, 1000).await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id);
            index.upsert(&batch.iter().map(report_doc).collect::<AppResult<Vec<_>>>()?).map_err(failed)?;
        }
        let mut after: Option<Uuid> = None;
        loop {
            let batch = state.store.leads().lead_batch_after(after, 1000).await?;
            let Some(last) = batch.last() else { break };
            after = Some(last.id);
            index.upsert(&batch.iter().map(lead_doc).collect::<AppResult<Vec<_>>>()?).map_err(failed)?;
        }
        index.commit().map_err(failed)?;
    }
    *guard = Some(index);
    Ok(())
}

async fn upsert(state: &AppState, doc: Doc) -> AppResult<()> {
    ensure(state).await?;
    let mut guard = state.search.write().await;
    if let Some(index) = guard.as_mut() {
        index.upsert(&[doc]).map_err(failed)?;
        index.commit().map_err(failed)?;
    }
    Ok(())
}

/// Indexes a report as it now stands (filed, accepted, marked a 重复件).
pub async fn index_report(state: &AppState, r: &Report) -> AppResult<()> {
    upsert(state, report_doc(r)?).await
}

/// Indexes a newly registered lead.
pub async fn index_lead(state: &AppState, l: &Lead) -> AppResult<()> {
    upsert(state, lead_doc(l)?).await
}

/// Forgets the index after the tree changed shape (a unit moved: the
/// recorded unit paths are stale); the next search rebuilds it from the
/// database, on disk too.
pub async fn invalidate(state: &AppState) {
    let mut guard = state.search.write().await;
    *guard = None;
    if let Some(dir) = &state.config.search_dir {
        let _ = std::fs::remove_dir_all(dir);
    }
}

/// A search result.
pub enum Found {
    Report(Report, Hit),
    Lead(Lead, Hit),
}

/// The best `limit` reports and leads for `q` that `user` may see, with
/// snippets. The index narrows by the units recorded when each document
/// was written; every hit is then checked again against the record as it
/// stands (a unit may have moved since), so the index never decides access.
pub async fn search(state: &AppState, user: &User, q: &str, limit: usize) -> AppResult<Vec<Found>> {
    ensure(state).await?;
    let scopes = user.scopes(Action::ViewLeads);
    let hits = match state.search.read().await.as_ref() {
        Some(index) => index.search(q, &scopes, None, limit).map_err(failed)?,
        None => Vec::new(),
    };
    let mut out = Vec::with_capacity(hits.len());
    for h in hits {
        let found = match h.kind {
            DocKind::Report => super::visible_report(state, user, h.id, Action::ViewLeads).await.map(|r| Found::Report(r, h)),
            DocKind::Lead => super::ledger::visible_lead(state, user, h.id, Action::ViewLeads).await.map(|l| Found::Lead(l, h)),
        };
        match found {
            Ok(f) => out.push(f),
            Err(AppError::NotFound | AppError::Forbidden { .. }) => {}
            Err(e) => return Err(e),
        }
    }
    Ok(out)
}
