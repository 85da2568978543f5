//! 开门整改: public progress pages and 群众评议.

use super::queries::get_problem_in;
use super::commands::commit_problem;
use super::{Problem, RATING, Rectify};
use crate::audit::{Draft, Who, append, commit_with};
use crate::db::{Sql, Ts, exec_tx, fetch_all_as, on_pool, on_tx};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::rectify::Rating;
use serde_json::{Value, json};
use uuid::Uuid;

/// Fields an issuing unit may choose to disclose.
pub const PUBLIC_FIELDS: &[&str] = &["lead_unit", "deadline", "measures", "progress", "status"];

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct PublicRating {
    pub id: Uuid,
    pub problem_id: Uuid,
    pub rating: String,
    pub comment: Option<String>,
    pub receipt_hash: String,
    pub reviewed: bool,
    pub created_at: Ts,
}

impl PublicRating {
    pub fn snapshot(&self) -> Value {
        json!({"id": self.id, "problem_id": self.problem_id, "rating": self.rating, "comment": self.comment,
               "receipt_hash": self.receipt_hash, "reviewed": self.reviewed, "created_at": self.created_at.rfc3339()})
    }
}

/// Counts of ratings by kind, and unreviewed 不满意.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct RatingSummary {
    pub satisfied: i64,
    pub basic: i64,
    pub dissatisfied: i64,
    pub unreviewed_dissatisfied: i64,
}

impl Rectify<'_> {
    /// Publishes (or, with no fields, withdraws) a problem's progress.
    pub async fn publish(&self, who: &Who, problem: Uuid, fields: &[String]) -> Result<Problem> {
        for f in fields {
            if !PUBLIC_FIELDS.contains(&f.as_str()) {
                return Err(Refusal::new("bad_field", "不能公开该字段", "that field cannot be published").into());
            }
        }
        let mut tx = self.0.pool.begin_write().await?;
        get_problem_in(&mut tx, problem).await?;
        let list = serde_json::to_string(fields).unwrap_or_else(|_| "[]".into());
        exec_tx!(&mut tx, c => sqlx::query("UPDATE problems SET published = $1, public_fields = $2, updated_at = $3 WHERE id = $4")
            .bind(!fields.is_empty()).bind(&list).bind(Ts::now()).bind(problem).execute(c).await)?;
        let after = get_problem_in(&mut tx, problem).await?;
        let action = if fields.is_empty() { "rectify.problem.unpublish" } else { "rectify.problem.publish" };
        commit_problem(tx, self.0.algo, who, action, &after, None).await?;
        Ok(after)
    }

    /// Published problems, newest first (the public page).
    pub async fn published(&self, limit: i64) -> Result<Vec<Problem>> {
        let mut q = Sql::new(super::queries::SELECT_PROBLEMS);
        q.push(super::queries::FROM_PROBLEMS).push(" WHERE p.published ORDER BY b.issued_on DESC, p.seq LIMIT ").arg(limit);
        Ok(fetch_all_as!(&self.0.pool, Problem, q)?)
    }

    /// A citizen's rating; `receipt_hash` identifies the one-time rating
    /// receipt the page handed out (one rating per receipt).
    pub async fn rate(&self, problem: Uuid, rating: Rating, comment: Option<&str>, receipt_hash: &str) -> Result<PublicRating> {
        let mut tx = self.0.pool.begin_write().await?;
        let p = get_problem_in(&mut tx, problem).await?;
        if !p.published {
            return Err(StoreError::NotFound);
        }
        let used: Option<i64> = on_tx!(&mut tx, c => sqlx::query_scalar("SELECT CAST(1 AS BIGINT) FROM public_ratings WHERE receipt_hash = $1")
            .bind(receipt_hash).fetch_optional(c).await)?;
        if used.is_some() {
            return Err(Refusal::new("receipt_used", "该评议凭证已使用过，每个凭证只能评议一次", "this receipt has already been used").into());
        }
        let id = Uuid::now_v7();
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO public_ratings (id, problem_id, rating, comment, receipt_hash, reviewed, created_at) VALUES ($1, $2, $3, $4, $5, FALSE, $6)")
            .bind(id).bind(problem).bind(rating.as_str()).bind(comment).bind(receipt_hash).bind(Ts::now()).execute(c).await)?;
        let r = self.rating_in(&mut tx, id).await?;
        commit_with(tx, self.0.algo, &Who::system("public"), Draft::change("rectify.rating.submit", RATING, id, Some(p.lead_unit_id), r.snapshot())).await?;
        Ok(r)
    }

    async fn rating_in(&self, tx: &mut crate::db::Tx, id: Uuid) -> Result<PublicRating> {
        let mut q = Sql::new("SELECT * FROM public_ratings WHERE id = ");
        q.arg(id);
        crate::db::fetch_all_tx!(tx, PublicRating, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    pub async fn ratings(&self, problem: Uuid) -> Result<Vec<PublicRating>> {
        let mut q = Sql::new("SELECT * FROM public_ratings WHERE problem_id = ");
        q.arg(problem).push(" ORDER BY created_at DESC");
        Ok(fetch_all_as!(&self.0.pool, PublicRating, q)?)
    }

    pub async fn rating_summary(&self, problem: Uuid) -> Result<RatingSummary> {
        let rows: Vec<(String, bool, i64)> = on_pool!(&self.0.pool, c => sqlx::query_as(
            "SELECT rating, reviewed, COUNT(*) FROM public_ratings WHERE problem_id = $1 GROUP BY rating, reviewed")
            .bind(problem).fetch_all(c).await)?;
        let mut s = RatingSummary::default();
        for (r, reviewed, n) in rows {
            match Rating::parse(&r) {
                Some(Rating::Satisfied) => s.satisfied += n,
                Some(Rating::Basic) => s.basic += n,
                Some(Rating::Dissatisfied) => {
                    s.dissatisfied += n;
                    if !reviewed {
                        s.unreviewed_dissatisfied += n;
                    }
                }
                None => {}
            }
        }
        Ok(s)
    }

    /// The issuing side has reviewed the 不满意 ratings (复核), which lifts the block.
    pub async fn review_ratings(&self, who: &Who, problem: Uuid) -> Result<u64> {
        let mut tx = self.0.pool.begin_write().await?;
        let p = get_problem_in(&mut tx, problem).await?;
        let ids: Vec<Uuid> = on_tx!(&mut tx, c => sqlx::query_scalar(
            "SELECT id FROM public_ratings WHERE problem_id = $1 AND rating = 'dissatisfied' AND NOT reviewed").bind(problem).fetch_all(c).await)?;
        for id in &ids {
            exec_tx!(&mut tx, c => sqlx::query("UPDATE public_ratings SET reviewed = TRUE WHERE id = $1").bind(*id).execute(c).await)?;
            let r = self.rating_in(&mut tx, *id).await?;
            append(&mut tx, self.0.algo, who, Draft::change("rectify.rating.review", RATING, *id, Some(p.lead_unit_id), r.snapshot())).await?;
        }
        tx.commit().await?;
        Ok(ids.len() as u64)
    }
}
