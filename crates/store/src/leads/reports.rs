//! Reports: intake (public or staff), near-duplicate candidates by band
//! key, the reporter's follow-up by receipt hash, messages, registration
//! (受理) and 重复件 links.

use super::{Leads, REPORT, Report};
use crate::audit::{Draft, Who, commit_with};
use crate::db::{Sql, Ts, Tx, exec_tx, fetch_all_as, fetch_all_tx, fetch_scalar};
use crate::{Result, StoreError};
use jiff::civil::Date;
use qingfeng_domain::Refusal;
use qingfeng_domain::leads::intake::ReportSpec;
use qingfeng_domain::leads::report::{RegistrationNumber, Series};
use qingfeng_domain::org::OrgPath;
use qingfeng_domain::page::{Page, PageRequest};
use serde_json::{Value, json};
use uuid::Uuid;

macro_rules! select_reports {
    () => {
        "SELECT r.id, r.reg_no, r.kind, r.channel, r.category, r.eight_rules, r.reported_name, r.reported_unit, r.reported_post, \
         r.reported_level, r.title, r.content, r.real_name, r.identity_sealed, r.intake_unit_id, iu.name AS intake_unit_name, \
         iu.path AS intake_path, r.handling_unit_id, hu.name AS handling_unit_name, hu.path AS handling_path, r.status, \
         r.received_on, r.accept_due, r.notice_due, r.accepted_on, r.noticed_on, r.duplicate_of, r.similarity, r.registered_by, \
         r.result_text, r.created_at, r.updated_at \
         FROM reports r JOIN org_units iu ON iu.id = r.intake_unit_id LEFT JOIN org_units hu ON hu.id = r.handling_unit_id"
    };
}

/// A file sent with a report (checked by the caller: type by magic bytes, size, count).
pub struct NewFile<'a> {
    pub name: &'a str,
    pub content_type: &'a str,
    pub bytes: &'a [u8],
}

/// A report about to be stored. The caller made the id (the identity is
/// sealed bound to it), sealed the identity, hashed the receipt code and
/// fingerprinted the text.
pub struct NewReport<'a> {
    pub id: Uuid,
    pub spec: &'a ReportSpec,
    pub identity_sealed: Option<&'a str>,
    pub receipt_hash: Option<&'a str>,
    pub intake_unit_id: Uuid,
    pub received_on: Date,
    pub accept_due: Date,
    pub notice_due: Option<Date>,
    pub signature: &'a [u8],
    pub band_keys: &'a [i64],
    pub files: &'a [NewFile<'a>],
}

/// A stored report whose band keys meet a new one's.
#[derive(Debug, Clone, sqlx::FromRow)]
pub struct Candidate {
    pub report_id: Uuid,
    pub signature: Vec<u8>,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportFile {
    pub id: Uuid,
    pub report_id: Uuid,
    pub file_name: String,
    pub content_type: String,
    pub size: i64,
    pub sha256: String,
    pub sm3: String,
    pub uploaded_at: Ts,
}

#[derive(Debug, Clone, sqlx::FromRow)]
pub struct ReportMessage {
    pub id: Uuid,
    pub report_id: Uuid,
    pub from_side: String,
    pub body: String,
    pub by_label: Option<String>,
    pub at: Ts,
}

/// A band shared by more reports than this is boilerplate, not evidence of
/// a duplicate: its bucket is not expanded.
pub const BUCKET_CAP: i64 = 1000;

pub(crate) async fn report_in(tx: &mut Tx, id: Uuid) -> Result<Report> {
    let mut q = Sql::new(select_reports!());
    q.push(" WHERE r.id = ").arg(id);
    fetch_all_tx!(tx, Report, q)?.into_iter().next().ok_or(StoreError::NotFound)
}

async fn commit_report(tx: Tx, l: &Leads<'_>, who: &Who, action: &'static str, id: Uuid, detail: Option<Value>) -> Result<Report> {
    let mut tx = tx;
    let r = report_in(&mut tx, id).await?;
    let mut d = Draft::change(action, REPORT, id, Some(r.handling_unit_id.unwrap_or(r.intake_unit_id)), r.snapshot());
    if let Some(x) = detail {
        d = d.with_detail(x);
    }
    commit_with(tx, l.0.algo, who, d).await?;
    Ok(r)
}

impl Leads<'_> {
    /// Stores a report as received, with its files and fingerprint, in one transaction.
    pub async fn submit(&self, who: &Who, n: &NewReport<'_>) -> Result<Report> {
        let s = n.spec;
        let mut tx = self.0.pool.begin_write().await?;
        crate::org::get_in(&mut tx, n.intake_unit_id).await?;
        let reported = s.reported.as_ref();
        let now = Ts::now();
        let registered_by = s.channel.registered_by_staff().then(|| who.label.clone());
        exec_tx!(&mut tx, c => sqlx::query(
            "INSERT INTO reports (id, reg_no, kind, channel, category, eight_rules, reported_name, reported_unit, reported_post, reported_level, \
             title, content, real_name, identity_sealed, receipt_hash, intake_unit_id, handling_unit_id, status, received_on, accept_due, \
             notice_due, accepted_on, noticed_on, duplicate_of, similarity, registered_by, result_text, created_at, updated_at) \
             VALUES ($1, NULL, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, NULL, 'received', $16, $17, $18, NULL, NULL, NULL, NULL, $19, NULL, $20, $20)")
            .bind(n.id).bind(s.kind.as_str()).bind(s.channel.as_str()).bind(s.category.as_str()).bind(&s.eight_rules)
            .bind(reported.and_then(|r| r.name.clone())).bind(reported.and_then(|r| r.unit.clone()))
            .bind(reported.and_then(|r| r.post.clone())).bind(reported.map(|r| r.level.as_str()))
            .bind(&s.title).bind(&s.content).bind(s.is_real_name()).bind(n.identity_sealed).bind(n.receipt_hash)
            .bind(n.intake_unit_id).bind(n.received_on.to_string()).bind(n.accept_due.to_string())
            .bind(n.notice_due.map(|d| d.to_string())).bind(registered_by).bind(now)
            .execute(c).await)?;
        exec_tx!(&mut tx, c => sqlx::query("INSERT INTO report_signatures (report_id, signature) VALUES ($1, $2)")
            .bind(n.id).bind(n.signature).execute(c).await)?;
        let mut keys = n.band_keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        for k in keys {
            exec_tx!(&mut tx, c => sqlx::query("INSERT INTO report_bands (band_key, report_id) VALUES ($1, $2)")
                .bind(k).bind(n.id).execute(c).await)?;
        }
        let mut files = Vec::new();
        for f in n.files {
            let (sha, sm3) = qingfeng_domain::rectify::evidence::digests(f.bytes);
            exec_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO evidence_files (sha256, sm3, size, content) VALUES ($1, $2, $3, $4) ON CONFLICT (sha256) DO NOTHING")
                .bind(&sha).bind(&sm3).bind(f.bytes.len() as i64).bind(f.bytes).execute(c).await)?;
            exec_tx!(&mut tx, c => sqlx::query(
                "INSERT INTO report_files (id, report_id, file_name, content_type, size, sha256, sm3, uploaded_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)")
                .bind(Uuid::now_v7()).bind(n.id).bind(f.name).bind(f.content_type).bind(f.bytes.len() as i64).bind(&sha).bind(&sm3).bind(now)
                .execute(c).await)?;
            files.push(json!([f.name, sha]));
        }
        commit_report(tx, self, who, "leads.report.submit", n.id, Some(json!({ "files": files }))).await
    }

    /// Stored reports sharing a band key with `band_keys` (not `except`),
    /// with their signatures for re-ranking: the `limit` sharing the most
    /// bands. Over-full buckets (boilerplate bands) are skipped. Measured
    /// with 1M reports (qingfeng-search-bench dedup): p95 8.3 ms at limit 100.
    pub async fn candidates(&self, band_keys: &[i64], except: Option<Uuid>, limit: i64) -> Result<Vec<Candidate>> {
        let mut keys = band_keys.to_vec();
        keys.sort_unstable();
        keys.dedup();
        let mut shared: std::collections::HashMap<Uuid, u32> = std::collections::HashMap::new();
        for k in keys {
            let mut q = Sql::new("SELECT report_id FROM report_bands WHERE band_key = ");
            q.arg(k).push(" LIMIT ").arg(BUCKET_CAP + 1);
            #[derive(sqlx::FromRow)]
            struct Member {
                report_id: Uuid,
            }
            let bucket = fetch_all_as!(&self.0.pool, Member, q)?;
            if bucket.len() as i64 > BUCKET_CAP {
                continue;
            }
            for m in bucket.into_iter().filter(|m| Some(m.report_id) != except) {
                *shared.entry(m.report_id).or_default() += 1;
            }
        }
        let mut ids: Vec<(Uuid, u32)> = shared.into_iter().collect();
        ids.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        ids.truncate(usize::try_from(limit.max(0)).unwrap_or(0));
        let mut out = Vec::with_capacity(ids.len());
        for (id, _) in ids {
            let mut q = Sql::new("SELECT report_id, signature FROM report_signatures WHERE report_id = ");
            q.arg(id);
            out.extend(fetch_all_as!(&self.0.pool, Candidate, q)?);
        }
        Ok(out)
    }

    pub async fn get(&self, id: Uuid) -> Result<Report> {
        let mut q = Sql::new(select_reports!());
        q.push(" WHERE r.id = ").arg(id);
        fetch_all_as!(&self.0.pool, Report, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// The report a receipt code (its hash) belongs to.
    pub async fn by_receipt(&self, receipt_hash: &str) -> Result<Report> {
        let mut q = Sql::new(select_reports!());
        q.push(" WHERE r.receipt_hash = ").arg(receipt_hash.to_string());
        fetch_all_as!(&self.0.pool, Report, q)?.into_iter().next().ok_or(StoreError::NotFound)
    }

    /// Reports received by or handled within `scopes`, newest first.
    pub async fn list(&self, scopes: &[OrgPath], status: Option<&str>, page: PageRequest) -> Result<Page<Report>> {
        let mut w = Sql::new(" WHERE (");
        w.scope_filter("iu.path", scopes).push(" OR ").scope_filter("hu.path", scopes).push(")");
        if let Some(s) = status.filter(|s| !s.is_empty()) {
            w.push(" AND r.status = ").arg(s.to_string());
        }
        const FROM: &str = " FROM reports r JOIN org_units iu ON iu.id = r.intake_unit_id LEFT JOIN org_units hu ON hu.id = r.handling_unit_id";
        let total = fetch_scalar!(&self.0.pool, i64, Sql { text: format!("SELECT COUNT(*){FROM}{}", w.text), args: w.args.clone() })?;
        let mut q = Sql { text: format!("{}{}", select_reports!(), w.text), args: w.args };
        q.push(" ORDER BY r.received_on DESC, r.id DESC").page(&page);
        Ok(page.of(fetch_all_as!(&self.0.pool, Report, q)?, total))
    }

    pub async fn files(&self, report: Uuid) -> Result<Vec<ReportFile>> {
        let mut q = Sql::new("SELECT * FROM report_files WHERE report_id = ");
        q.arg(report).push(" ORDER BY uploaded_at, id");
        Ok(fetch_all_as!(&self.0.pool, ReportFile, q)?)
    }

    pub async fn messages(&self, report: Uuid) -> Result<Vec<ReportMessage>> {
        let mut q = Sql::new("SELECT * FROM report_messages WHERE report_id = ");
        q.arg(report).push(" ORDER BY at, id");
        Ok(fetch_all_as!(&self.0.pool, ReportMessage, q)?)
    }

    /// A message to or from the reporter (`from_side`: `reporter` or `office`).
    pub async fn add_message(&self, who: &Who, report: Uuid, from_side: &str, body: &str) -> Result<ReportMessage> {
        if !matches!(from_side, "reporter" | "office") {
            return Err(StoreError::Corrupt(format!("message side `{from_side}`")));
        }
        let mut tx = self.0.pool.begin_write().await?;
        report_in(&mut tx, report).await?;
        let id = Uuid::now_v7();
        let by = (from_side == "office").then(|| who.label.clone());
        exec_tx!(&mut tx, c => sqlx::query("INSERT INTO report_messages (id, report_id, from_side, body, by_label, at) VALUES ($1, $2, $3, $4, $5, $6)")
            .bind(id).bind(report).bind(from_side).bind(body).bind(&by).bind(Ts::now()).execute(c).await)?;
        let mut q = Sql::new("SELECT * FROM report_messages WHERE id = ");
        q.arg(id);
        let m = fetch_all_tx!(&mut tx, ReportMessage, q)?.into_iter().next().ok_or(StoreError::NotFound)?;
        let d = Draft { action: "leads.report.message", entity: REPORT, entity_id: report.to_string(), org_unit_id: None, state: None, detail: Some(json!({ "message": id, "from": from_side, "body_sha256": qingfeng_domain::audit::HashAlgo::Sha256.digest(body.as_bytes()) })) };
        commit_with(tx, self.0.algo, who, d).await?;
        Ok(m)
    }

    /// 受理: the report gets its registration number, its category as
    /// assessed and the unit that handles it (分级负责, decided by the caller).
    pub async fn accept(&self, who: &Who, id: Uuid, handling_unit: Uuid, category: &str, on: Date) -> Result<Report> {
        let mut tx = self.0.pool.begin_write().await?;
        let r = report_in(&mut tx, id).await?;
        if r.status != "received" {
            return Err(Refusal::new("not_received", "该件已受理或已作处理", "the report has already been dealt with").into());
        }
        crate::org::get_in(&mut tx, handling_unit).await?;
        let series = Series::of(r.kind());
        let year = on.year();
        let prefix = RegistrationNumber::new(series, year, 1).map(|n| n.to_string()).unwrap_or_default();
        let like = format!("{}%", &prefix[..prefix.len().saturating_sub(6)]);
        let mut q = Sql::new("SELECT COUNT(*) FROM reports WHERE reg_no LIKE ");
        q.arg(like);
        let n: i64 = crate::db::fetch_scalar_tx!(&mut tx, i64, q)?;
        let reg = RegistrationNumber::new(series, year, u32::try_from(n + 1).unwrap_or(u32::MAX))
            .ok_or_else(|| StoreError::Corrupt("registration numbers exhausted".into()))?;
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE reports SET reg_no = $1, category = $2, handling_unit_id = $3, status = 'accepted', accepted_on = $4, updated_at = $5 WHERE id = $6")
            .bind(reg.to_string()).bind(category).bind(handling_unit).bind(on.to_string()).bind(Ts::now()).bind(id)
            .execute(c).await)?;
        commit_report(tx, self, who, "leads.report.accept", id, None).await
    }

    /// 重复件: the report is kept, counted and answered, but handled with `of`.
    pub async fn mark_duplicate(&self, who: &Who, id: Uuid, of: Uuid, similarity_percent: i64) -> Result<Report> {
        let mut tx = self.0.pool.begin_write().await?;
        let r = report_in(&mut tx, id).await?;
        if r.status != "received" {
            return Err(Refusal::new("not_received", "该件已受理或已作处理", "the report has already been dealt with").into());
        }
        if id == of {
            return Err(Refusal::new("self_duplicate", "不能标记为自身的重复件", "a report cannot duplicate itself").into());
        }
        let first = report_in(&mut tx, of).await?;
        let root = first.duplicate_of.unwrap_or(first.id);
        exec_tx!(&mut tx, c => sqlx::query(
            "UPDATE reports SET status = 'duplicate', duplicate_of = $1, similarity = $2, handling_unit_id = $3, updated_at = $4 WHERE id = $5")
            .bind(root).bind(similarity_percent.clamp(0, 100)).bind(first.handling_unit_id).bind(Ts::now()).bind(id)
            .execute(c).await)?;
        commit_report(tx, self, who, "leads.report.duplicate", id, Some(json!({ "of": root }))).await
    }

    /// 告知: the real-name reporter was told about the acceptance (by
    /// phone, letter or the receipt-code page), on `on`.
    pub async fn mark_noticed(&self, who: &Who, id: Uuid, on: Date) -> Result<Report> {
        let mut tx = self.0.pool.begin_write().await?;
        let r = report_in(&mut tx, id).await?;
        if !r.real_name || r.status != "accepted" {
            return Err(Refusal::new("not_noticeable", "只有已受理的实名举报需要告知受理情况", "only an accepted real-name report is noticed").into());
        }
        if r.noticed_on.is_some() {
            return Err(Refusal::new("already_noticed", "已告知", "already noticed").into());
        }
        exec_tx!(&mut tx, c => sqlx::query("UPDATE reports SET noticed_on = $1, updated_at = $2 WHERE id = $3")
            .bind(on.to_string()).bind(Ts::now()).bind(id).execute(c).await)?;
        commit_report(tx, self, who, "leads.report.notice", id, None).await
    }

    /// The 重复件 of a report.
    pub async fn duplicates_of(&self, id: Uuid) -> Result<Vec<Report>> {
        let mut q = Sql::new(select_reports!());
        q.push(" WHERE r.duplicate_of = ").arg(id).push(" ORDER BY r.received_on, r.id");
        Ok(fetch_all_as!(&self.0.pool, Report, q)?)
    }

    /// 我的待办: reports waiting for 受理 at offices within `register`
    /// (oldest limit first), and releases waiting for a decision at offices
    /// within `release`.
    pub async fn todos(&self, register: &[OrgPath], release: &[OrgPath], limit: i64) -> Result<(Vec<Report>, Vec<Report>)> {
        let mut q = Sql::new(select_reports!());
        q.push(" WHERE r.status = 'received' AND ").scope_filter("iu.path", register);
        q.push(" ORDER BY r.accept_due, r.id LIMIT ").arg(limit);
        let waiting = fetch_all_as!(&self.0.pool, Report, q)?;
        let mut q = Sql::new(select_reports!());
        q.push(" WHERE r.id IN (SELECT x.report_id FROM identity_releases x WHERE x.status = 'pending') AND ").scope_filter("iu.path", release);
        q.push(" ORDER BY r.received_on, r.id LIMIT ").arg(limit);
        Ok((waiting, fetch_all_as!(&self.0.pool, Report, q)?))
    }

    /// Reports in id order after `after`, for building the search index.
    pub async fn batch_after(&self, after: Option<Uuid>, limit: i64) -> Result<Vec<Report>> {
        let mut q = Sql::new(select_reports!());
        match after {
            Some(a) => {
                q.push(" WHERE r.id > ").arg(a);
            }
            None => {
                q.push(" WHERE 1 = 1");
            }
        }
        q.push(" ORDER BY r.id LIMIT ").arg(limit);
        Ok(fetch_all_as!(&self.0.pool, Report, q)?)
    }

    pub(crate) async fn report_snapshots(&self) -> Result<Vec<(String, Value)>> {
        let mut q = Sql::new(select_reports!());
        q.push(" ORDER BY r.id");
        Ok(fetch_all_as!(&self.0.pool, Report, q)?.into_iter().map(|r| (r.id.to_string(), r.snapshot())).collect())
    }
}
