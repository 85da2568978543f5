//! Directives: created from a source text and its outline, the draft edited
//! item by item, then issued as tasks in one transaction.

use super::commands::{W, issue_all};
use super::queries::directive_in;
use super::{DIRECTIVE, Directive, Env, Task, Tasks};
use crate::audit::{Draft, Who, commit_with};
use crate::db::{Ts, exec_tx};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::tasks::directive::DirectiveSpec;
use qingfeng_domain::tasks::draft::{DraftItem, TaskSpec};
use qingfeng_domain::tasks::DirectiveStatus;
use serde_json::json;
use uuid::Uuid;

fn not_draft() -> StoreError {
    StoreError::Refused(Refusal::new("not_draft", "该部署已下发，草稿不能再修改", "the directive is already issued"))
}

/// How the problems a directive's text lists become a 问题清单.
#[derive(Debug, Clone)]
pub struct ProblemsToBatch {
    pub problems: Vec<String>,
    pub lead_unit_id: Uuid,
    pub deadline: jiff::civil::Date,
    pub root_cause: qingfeng_domain::rectify::RootCause,
}

impl Tasks<'_> {
    /// Lists the problems the text names as a 问题清单 (source 自查) issued by
    /// the directive's unit, once; they then follow the rectification lifecycle.
    pub async fn problems_to_batch(&self, who: &Who, env: &crate::rectify::Env<'_>, id: Uuid, how: &ProblemsToBatch) -> Result<Vec<crate::rectify::Problem>> {
        use crate::rectify::insert_listed;
        use qingfeng_domain::rectify::input::BatchSpec;
        let mut tx = self.0.pool.begin_write().await?;
        let d = directive_in(&mut tx, id).await?;
        if d.batch_id.is_some() {
            return Err(Refusal::new("already_listed", "原文列举的问题已列入问题清单", "the problems are already listed").into());
        }
        if how.problems.is_empty() {
            return Err(Refusal::new("no_problems", "原文没有列举问题", "the text lists no problems").into());
        }
        if how.deadline < env.today {
            return Err(Refusal::new("deadline_past", "整改时限不能早于今天", "the deadline may not be in the past").into());
        }
        let spec = BatchSpec {
            source: qingfeng_domain::rectify::Source::SelfCheck,
            reference: format!("《{}》列举的问题", d.title),
            issuing_unit_id: d.issuing_unit_id,
            issued_on: d.issued()?,
            summary: None,
        };
        let (batch, out) = insert_listed(&mut tx, self.0.algo, who, env, &spec, &how.problems, (how.lead_unit_id, how.deadline, how.root_cause)).await?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE directives SET batch_id = $1 WHERE id = $2").bind(batch.id).bind(id).execute(c).await)?;
        let d = directive_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("tasks.directive.list_problems", DIRECTIVE, id, Some(d.issuing_unit_id), d.snapshot())
            .with_detail(json!({ "batch_id": batch.id })))
        .await?;
        Ok(out)
    }

    /// Stores a directive with its source text, its outline (JSON, as read
    /// by `qingfeng-text`) and the draft items taken from it.
    pub async fn create_directive(&self, who: &Who, spec: &DirectiveSpec, outline_json: &str, draft: &[DraftItem]) -> Result<Directive> {
        let mut tx = self.0.pool.begin_write().await?;
        crate::org::get_in(&mut tx, spec.issuing_unit_id).await?;
        let id = Uuid::now_v7();
        let draft = serde_json::to_string(draft).unwrap_or_else(|_| "[]".into());
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO directives (id, kind, title, reference, issuing_unit_id, issued_on, source_text, outline, draft, status, created_by, created_at, issued_at) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 'draft', $10, $11, NULL)")
            .bind(id).bind(spec.kind.as_str()).bind(&spec.title).bind(&spec.reference).bind(spec.issuing_unit_id)
            .bind(spec.issued_on.to_string()).bind(&spec.source_text).bind(outline_json).bind(&draft).bind(&who.label).bind(Ts::now())
            .execute(c).await)?;
        let d = directive_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("tasks.directive.create", DIRECTIVE, id, Some(spec.issuing_unit_id), d.snapshot())).await?;
        Ok(d)
    }

    /// Replaces the draft items (each edit is a pure `domain::tasks::draft` operation).
    pub async fn save_draft(&self, who: &Who, id: Uuid, items: &[DraftItem], edit: &str) -> Result<Directive> {
        let mut tx = self.0.pool.begin_write().await?;
        let d = directive_in(&mut tx, id).await?;
        if d.status() != DirectiveStatus::Draft {
            return Err(not_draft());
        }
        let draft = serde_json::to_string(items).unwrap_or_else(|_| "[]".into());
        exec_tx!(&mut tx, c => sqlx::query("UPDATE directives SET draft = $1 WHERE id = $2").bind(&draft).bind(id).execute(c).await)?;
        let d = directive_in(&mut tx, id).await?;
        commit_with(
            tx,
            self.0.algo,
            who,
            Draft::change("tasks.directive.edit_draft", DIRECTIVE, id, Some(d.issuing_unit_id), d.snapshot()).with_detail(json!({ "edit": edit })),
        )
        .await?;
        Ok(d)
    }

    /// Issues the directive: one top-level task per spec (validated by the
    /// caller against the issuer's scope), all in one transaction.
    pub async fn issue(&self, who: &Who, env: &Env<'_>, id: Uuid, specs: &[TaskSpec]) -> Result<Vec<Task>> {
        let w = W { who, env, algo: self.0.algo };
        let mut tx = self.0.pool.begin_write().await?;
        let d = directive_in(&mut tx, id).await?;
        if d.status() != DirectiveStatus::Draft {
            return Err(not_draft());
        }
        if specs.is_empty() {
            return Err(StoreError::Refused(Refusal::new("no_tasks", "至少要下发一项任务", "issue at least one task")));
        }
        let out = issue_all(&mut tx, &w, id, None, d.issuing_unit_id, 0, specs).await?;
        exec_tx!(&mut tx, c => sqlx::query("UPDATE directives SET status = 'issued', issued_at = $1 WHERE id = $2")
            .bind(Ts::now()).bind(id).execute(c).await)?;
        let d = directive_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, who, Draft::change("tasks.directive.issue", DIRECTIVE, id, Some(d.issuing_unit_id), d.snapshot())
            .with_detail(json!({ "tasks": out.len() })))
        .await?;
        Ok(out)
    }
}
