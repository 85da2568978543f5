//! 开门整改: public progress pages and 群众评议.

use super::queries::{FROM_PROBLEMS, SELECT_PROBLEMS, get_problem_in};
use super::commands::commit_problem;
use super::{Problem, RATING, Rectify};
use crate::audit::{Draft, Who, append, commit_with};
use crate::db::{Sql, Ts, exec_tx, fetch_all_as, fetch_page, on_pool, on_tx};
use crate::{Result, StoreError};
use qingfeng_domain::Refusal;
use qingfeng_domain::page::{Page, PageRequest};
use qingfeng_domain::rectify::Rating;
use std::collections::HashMap;
use serde_json::{Value, json};
use uuid::Uuid;

/// Fields an issuing unit may choose to disclose.
pub const PUBLIC_FIELDS: &[&str] = &qingfeng_domain::rectify::disclosure::FIELDS;

/// Disclosed fields in the stored JSON list contain this (for SQL `LIKE`).
const LEAD_UNIT_DISCLOSED: &str = "%\"lead_unit\"%";

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

impl RatingSummary {
    fn add(&mut self, rating: &str, reviewed: bool, n: i64) {
        match Rating::parse(rating) {
            Some(Rating::Satisfied) => self.satisfied += n,
            Some(Rating::Basic) => self.basic += n,
            Some(Rating::Dissatisfied) => {
                self.dissatisfied += n;
                if !reviewed {
                    self.unreviewed_dissatisfied += n;
                }
            }
            None => {}
        }
    }

    pub fn total(&self) -> i64 {
        self.satisfied + self.basic + self.dissatisfied
    }
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
        let mut q = Sql { text: format!("{SELECT_PROBLEMS}{FROM_PROBLEMS}"), args: vec![] };
        q.push(" WHERE p.published ORDER BY b.issued_on DESC, p.seq LIMIT ").arg(limit);
        Ok(fetch_all_as!(&self.0.pool, Problem, q)?)
    }

    /// One page of the public list: published problems, newest batch
    /// first; `lead_unit` keeps those of one lead unit that disclose it.
    pub async fn published_page(&self, lead_unit: Option<Uuid>, page: PageRequest) -> Result<Page<Problem>> {
        let mut w = Sql::new(" WHERE p.published");
        if let Some(u) = lead_unit {
            w.push(" AND p.lead_unit_id = ").arg(u).push(" AND p.public_fields LIKE ").arg(LEAD_UNIT_DISCLOSED);
        }
        let (items, total) = fetch_page!(
            &self.0.pool,
            Problem,
            format!("{SELECT_PROBLEMS}{FROM_PROBLEMS}"),
            format!("SELECT COUNT(*){FROM_PROBLEMS}"),
            w,
            " ORDER BY b.issued_on DESC, b.id, p.seq",
            &page
        )?;
        Ok(page.of(items, total))
    }

    /// Lead units that published problems disclose, with how many (the
    /// public list's filter).
    pub async fn published_units(&self) -> Result<Vec<(Uuid, String, i64)>> {
        Ok(on_pool!(&self.0.pool, c => sqlx::query_as(
            "SELECT lu.id, COALESCE(lu.short_name, lu.name), COUNT(*) FROM problems p JOIN org_units lu ON lu.id = p.lead_unit_id \
             WHERE p.published AND p.public_fields LIKE $1 GROUP BY lu.id, lu.short_name, lu.name, lu.path ORDER BY lu.path")
            .bind(LEAD_UNIT_DISCLOSED).fetch_all(c).await)?)
    }

    /// Rating counts of several problems at once (the public list).
    pub async fn rating_summaries(&self, problems: &[Uuid]) -> Result<HashMap<Uuid, RatingSummary>> {
        let mut out = HashMap::new();
        if problems.is_empty() {
            return Ok(out);
        }
        #[derive(sqlx::FromRow)]
        struct Row {
            problem_id: Uuid,
            rating: String,
            reviewed: bool,
            n: i64,
        }
        let mut q = Sql::new("SELECT problem_id, rating, reviewed, COUNT(*) AS n FROM public_ratings WHERE problem_id IN (");
        for (i, id) in problems.iter().enumerate() {
            if i > 0 {
                q.push(", ");
            }
            q.arg(*id);
        }
        q.push(") GROUP BY problem_id, rating, reviewed");
        for r in fetch_all_as!(&self.0.pool, Row, q)? {
            out.entry(r.problem_id).or_insert_with(RatingSummary::default).add(&r.rating, r.reviewed, r.n);
        }
        Ok(out)
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
            s.add(&r, reviewed, n);
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
