//! The 12388-style public intake (no login) and the reporter's follow-up.
//!
//! Filing: 检举控告/申诉/批评建议, anonymous or real-name, with up to 10
//! attachments checked by type and size; per-client throttled; no address
//! is stored with the report. The 16-digit receipt code is shown once on the
//! response page (never in a URL) and kept only as its argon2id hash.
//! Following: the code opens a short-lived signed cookie for that one
//! report; wrong codes count against a per-client limit.

use super::{fingerprint, intake_unit};
use crate::AppState;
use crate::ctx::Ctx;
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors};
use crate::i18n::T;
use crate::layout::{PublicLayout, form_page, page};
use crate::receipt;
use crate::throttle::ClientAddr;
use askama::Template;
use axum::extract::{Multipart, State};
use axum::http::header;
use axum::response::{IntoResponse, Redirect, Response};
use axum_extra::extract::CookieJar;
use qingfeng_domain::leads::attachment::{check_attachment, check_attachment_count};
use qingfeng_domain::leads::deadline::{Clock, due};
use qingfeng_domain::leads::intake::ReportInput;
use qingfeng_domain::leads::report::{Category, Channel, ReportKind};
use qingfeng_seal::{ReceiptCode, ReporterIdentity};
use qingfeng_store::Who;
use qingfeng_store::leads::{NewFile, NewReport, Report, ReportMessage};
use serde::Deserialize;
use uuid::Uuid;

/// Largest body of the public form: ten 20 MiB files and the fields.
pub const MAX_BODY_BYTES: usize = 10 * 20 * 1024 * 1024 + 256 * 1024;
const FOLLOW_COOKIE: &str = "qf_follow";
const FOLLOW_PURPOSE: &str = "report-follow";
/// A follow-up session lasts half an hour.
const FOLLOW_MAX_AGE: i64 = 30 * 60;


pub(super) fn no_store(mut r: Response) -> Response {
    r.headers_mut().insert(header::CACHE_CONTROL, header::HeaderValue::from_static("no-store"));
    r
}

#[derive(Template)]
#[template(path = "public/report_form.html")]
struct FormPage {
    l: PublicLayout,
    f: ReportInput,
    errors: FormErrors,
    note: Option<String>,
    sealing: bool,
    staff: bool,
}

/// The choices of a report form's selects, as (code, label).
pub(super) struct Choices;

impl Choices {
    pub fn kinds(t: &T) -> Vec<(&'static str, String)> {
        t.choices::<ReportKind>()
    }
    pub fn categories(t: &T) -> Vec<(&'static str, String)> {
        t.choices::<Category>()
    }
    pub fn levels(t: &T) -> Vec<(&'static str, String)> {
        t.choices::<qingfeng_domain::leads::report::PersonLevel>()
    }
    /// The channels staff register on a caller's behalf.
    pub fn channels(t: &T) -> Vec<(&'static str, String)> {
        Channel::ALL.iter().filter(|c| c.registered_by_staff()).map(|c| (c.as_str(), t.m(c.label()))).collect()
    }
}

impl FormPage {
    fn channels(&self) -> Vec<(&'static str, String)> {
        Choices::channels(&self.l.t)
    }
    fn kinds(&self) -> Vec<(&'static str, String)> {
        Choices::kinds(&self.l.t)
    }
    fn categories(&self) -> Vec<(&'static str, String)> {
        Choices::categories(&self.l.t)
    }
    fn levels(&self) -> Vec<(&'static str, String)> {
        Choices::levels(&self.l.t)
    }
}

fn render_form(state: &AppState, ctx: &Ctx, f: ReportInput, errors: FormErrors, note: Option<String>) -> AppResult<Response> {
    let invalid = errors.any() || note.is_some();
    let l = PublicLayout::new(state, ctx, T(ctx.lang).s("report.title").into_owned());
    form_page(&FormPage { l, f, errors, note, sealing: state.config.seal.is_some(), staff: false }, invalid).map(no_store)
}

/// `GET /public/report`.
pub async fn form(State(state): State<AppState>, ctx: Ctx, client: ClientAddr) -> AppResult<Response> {
    state.throttles.public_pages.check(&client)?;
    let f = ReportInput { kind: "accusation".into(), channel: "online".into(), category: "integrity".into(), ..Default::default() };
    render_form(&state, &ctx, f, FormErrors::default(), None)
}

#[derive(Template)]
#[template(path = "public/report_receipt.html")]
struct ReceiptPage {
    l: PublicLayout,
    code: String,
    real_name: bool,
    notice_due: Option<String>,
}

/// Reads a report form (multipart): its fields and attached files.
pub(super) async fn read_form(mut mp: Multipart) -> AppResult<(ReportInput, Vec<(String, Vec<u8>)>)> {
    let bad = |_| AppError::bad_request("bad_multipart", "上传内容无法解析", "the upload could not be read");
    let mut f = ReportInput::default();
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(field) = mp.next_field().await.map_err(bad)? {
        let name = field.name().unwrap_or_default().to_string();
        if name == "files" {
            let fname = field.file_name().unwrap_or_default().to_string();
            let bytes = field.bytes().await.map_err(|_| AppError::TooLarge)?;
            if !fname.is_empty() || !bytes.is_empty() {
                files.push((fname, bytes.to_vec()));
            }
            continue;
        }
        let v = field.text().await.map_err(bad)?;
        match name.as_str() {
            "kind" => f.kind = v,
            "channel" => f.channel = v,
            "category" => f.category = v,
            "reported_name" => f.reported_name = v,
            "reported_unit" => f.reported_unit = v,
            "reported_post" => f.reported_post = v,
            "reported_level" => f.reported_level = v,
            "title" => f.title = v,
            "content" => f.content = v,
            "real_name" => f.real_name = v == "1",
            "reporter_name" => f.reporter_name = v,
            "reporter_id_number" => f.reporter_id_number = v,
            "reporter_phone" => f.reporter_phone = v,
            "reporter_unit" => f.reporter_unit = v,
            "reporter_address" => f.reporter_address = v,
            _ => {}
        }
    }
    Ok((f, files))
}

/// What filing a report came to.
pub(super) enum Intake {
    Filed { id: Uuid, code: ReceiptCode, real_name: bool, notice_due: Option<jiff::civil::Date> },
    /// Field errors; the form comes back with what was typed.
    Invalid(FormErrors, ReportInput),
    /// A refusal of the whole form (e.g. real-name without a seal key).
    Note(String, ReportInput),
}

/// Checks, seals, fingerprints and stores a report in one transaction.
pub(super) async fn intake(state: &AppState, lang: qingfeng_domain::Lang, who: &Who, f: ReportInput, files: Vec<(String, Vec<u8>)>, by_staff: bool) -> AppResult<Intake> {
    let t = T(lang);
    let today = crate::rectify::today();
    let rules = state.config.rules.leads;
    let mut errors = Vec::new();
    if let Err(m) = check_attachment_count(files.len(), &rules) {
        errors.push(("files".to_string(), m.get(lang).to_string()));
    }
    let mut kinds = Vec::new();
    for (name, bytes) in &files {
        match check_attachment(name, &bytes[..bytes.len().min(64)], bytes.len() as u64, &rules) {
            Ok(k) => kinds.push(k),
            Err(m) => errors.push(("files".to_string(), format!("{name}：{}", m.get(lang)))),
        }
    }
    let tax = qingfeng_domain::rectify::eight_rules::Taxonomy::builtin();
    let spec = match f.validate(by_staff, today, |c| tax.row(today, c).is_some()) {
        Ok(s) if errors.is_empty() => s,
        Ok(_) => return Ok(Intake::Invalid(FormErrors(errors), f)),
        Err(v) => {
            let mut e = FormErrors::from(&v, lang);
            e.0.extend(errors);
            return Ok(Intake::Invalid(e, f));
        }
    };
    let keys = match (&spec.reporter, &state.config.seal) {
        (Some(_), None) => return Ok(Intake::Note(t.s("report.no_seal").into_owned(), f)),
        (_, k) => k.clone(),
    };
    let id = Uuid::now_v7();
    let sealed = match (&spec.reporter, keys) {
        (Some(r), Some(k)) => {
            let ident = ReporterIdentity {
                name: r.name.clone(),
                id_number: r.id_number.clone(),
                phone: r.phone.clone(),
                unit: r.unit.clone().unwrap_or_default(),
                address: r.address.clone().unwrap_or_default(),
            };
            Some(ident.seal(&k, id.as_bytes()).map_err(|_| AppError::Internal("seal".into()))?.as_str().to_string())
        }
        _ => None,
    };
    let code = ReceiptCode::generate().map_err(|_| AppError::Internal("seal".into()))?;
    let hash = state.config.receipts.hash(&code).map_err(|_| AppError::Internal("seal".into()))?;
    let (sig, bands) = fingerprint(&spec.title, &spec.content);
    let cal = state.calendar();
    let accept_due = due(&cal, Clock::Acceptance, today, &rules).ok().flatten().map_or(today, |d| d.value);
    let notice_due = if spec.is_real_name() { due(&cal, Clock::RealNameNotice, today, &rules).ok().flatten().map(|d| d.value) } else { None };
    let nf: Vec<NewFile<'_>> =
        files.iter().zip(&kinds).map(|((name, bytes), k)| NewFile { name, content_type: k.mime(), bytes }).collect();
    let n = NewReport {
        id,
        spec: &spec,
        identity_sealed: sealed.as_deref(),
        receipt_hash: Some(&hash),
        intake_unit_id: intake_unit(state).await?,
        received_on: today,
        accept_due,
        notice_due,
        signature: &sig.to_bytes(),
        band_keys: &bands,
        files: &nf,
    };
    let stored = state.store.leads().submit(who, &n).await?;
    super::search::index_report(state, &stored).await?;
    Ok(Intake::Filed { id, code, real_name: spec.is_real_name(), notice_due })
}

/// `POST /public/report` (multipart).
pub async fn submit(State(state): State<AppState>, ctx: Ctx, client: ClientAddr, mp: Multipart) -> AppResult<Response> {
    state.throttles.public_reports.check(&client)?;
    let (mut f, files) = read_form(mp).await?;
    f.channel = "online".into();
    match intake(&state, ctx.lang, &Who::system("12388"), f, files, false).await? {
        Intake::Filed { code, real_name, notice_due, .. } => {
            let l = PublicLayout::new(&state, &ctx, T(ctx.lang).s("report.received").into_owned());
            page(&ReceiptPage { l, code: code.grouped(), real_name, notice_due: notice_due.map(|d| d.to_string()) }).map(no_store)
        }
        Intake::Invalid(errors, f) => render_form(&state, &ctx, clear_identity_unless_named(f, &errors), errors, None),
        Intake::Note(note, f) => render_form(&state, &ctx, clear_identity(f), FormErrors::default(), Some(note)),
    }
}

/// After an error the ID number is not echoed back unless an error concerns
/// the identity (then what was typed stays, for the reporter to correct).
fn clear_identity_unless_named(f: ReportInput, errors: &FormErrors) -> ReportInput {
    if errors.0.iter().any(|(k, _)| k.starts_with("reporter_")) { f } else { clear_identity(f) }
}

fn clear_identity(mut f: ReportInput) -> ReportInput {
    f.reporter_id_number.clear();
    f
}

#[derive(Template)]
#[template(path = "public/report_follow.html")]
struct FollowForm {
    l: PublicLayout,
    error: Option<String>,
}

/// `GET /public/report/follow`.
pub async fn follow_form(State(state): State<AppState>, ctx: Ctx, client: ClientAddr) -> AppResult<Response> {
    state.throttles.public_pages.check(&client)?;
    page(&FollowForm { l: PublicLayout::new(&state, &ctx, T(ctx.lang).s("report.follow").into_owned()), error: None })
}

#[derive(Deserialize)]
pub struct CodeForm {
    #[serde(default)]
    code: String,
}

/// `POST /public/report/follow`: every attempt counts against the client's limit.
pub async fn follow_submit(State(state): State<AppState>, ctx: Ctx, client: ClientAddr, Form(f): Form<CodeForm>) -> AppResult<Response> {
    state.throttles.receipt_attempts.check(&client)?;
    let wrong = || {
        let l = PublicLayout::new(&state, &ctx, T(ctx.lang).s("report.follow").into_owned());
        form_page(&FollowForm { l, error: Some(T(ctx.lang).s("report.wrong_code").into_owned()) }, true)
    };
    let Ok(code) = ReceiptCode::parse(&f.code) else { return wrong() };
    let hash = state.config.receipts.hash(&code).map_err(|_| AppError::Internal("seal".into()))?;
    let r = match state.store.leads().by_receipt(&hash).await {
        Ok(r) => r,
        Err(qingfeng_store::StoreError::NotFound) => return wrong(),
        Err(e) => return Err(e.into()),
    };
    let token = format!("{}.{}", r.id, receipt::mint(&state.config.form_key, FOLLOW_PURPOSE, r.id, receipt::now()));
    let mut c = crate::ctx::cookie(&state, FOLLOW_COOKIE, token, true, true);
    c.set_path("/public/report");
    Ok(crate::ctx::with_cookies(Redirect::to("/public/report/status").into_response(), &[c]))
}

/// The report the follow-up cookie opens, if it is valid.
async fn followed(state: &AppState, jar: &CookieJar) -> AppResult<Report> {
    let v = jar.get(FOLLOW_COOKIE).map(|c| c.value().to_string()).ok_or(AppError::NotFound)?;
    let (id, token) = v.split_once('.').ok_or(AppError::NotFound)?;
    let id = Uuid::try_parse(id).map_err(|_| AppError::NotFound)?;
    receipt::verify(&state.config.form_key, FOLLOW_PURPOSE, id, token, receipt::now(), FOLLOW_MAX_AGE).map_err(|_| AppError::NotFound)?;
    Ok(state.store.leads().get(id).await?)
}

#[derive(Template)]
#[template(path = "public/report_status.html")]
struct StatusPage {
    l: PublicLayout,
    r: Report,
    messages: Vec<ReportMessage>,
    error: Option<String>,
    /// Where the lead made of this report (or of the first report, for a 重复件) stands.
    lead_status: Option<qingfeng_domain::leads::disposal::LeadStatus>,
    concluded_on: Option<String>,
}

impl StatusPage {
    /// The stage as `domain::leads::feedback` projects it for a reporter.
    fn stage(&self) -> String {
        use qingfeng_domain::leads::feedback::{IntakeStatus, PublicStage, ReportRecord, public_stage};
        let intake = match self.r.status.as_str() {
            "accepted" => IntakeStatus::Accepted,
            "duplicate" => IntakeStatus::Repeat,
            _ => IntakeStatus::Received,
        };
        let number = self.r.reg_no.as_deref().and_then(|n| qingfeng_domain::leads::report::RegistrationNumber::parse(n).ok());
        let stage = match (number, self.r.received_on.parse()) {
            (Some(number), Ok(received_on)) => public_stage(&ReportRecord {
                number,
                received_on,
                intake,
                not_accepted: None,
                lead_status: self.lead_status,
                concluded_on: None,
                result_text: None,
                result_released: false,
                reported_name: "",
                handler_notes: "",
                disposal_label: "",
                finding_label: "",
            }),
            _ if intake == IntakeStatus::Repeat => PublicStage::Repeat,
            _ => PublicStage::Received,
        };
        self.l.t.m(stage.label())
    }
    fn kind(&self) -> String {
        self.l.t.m(self.r.kind().label())
    }
}

async fn status_page(state: &AppState, ctx: &Ctx, r: Report, error: Option<String>) -> AppResult<Response> {
    let messages = state.store.leads().messages(r.id).await?;
    let lead = state.store.leads().lead_of_report(r.duplicate_of.unwrap_or(r.id)).await?;
    let invalid = error.is_some();
    let l = PublicLayout::new(state, ctx, T(ctx.lang).s("report.status").into_owned());
    let (lead_status, concluded_on) = match lead {
        Some(x) => (Some(x.status()), x.concluded_on.clone()),
        None => (None, None),
    };
    form_page(&StatusPage { l, r, messages, error, lead_status, concluded_on }, invalid).map(no_store)
}

/// `GET /public/report/status`: acceptance, the stage reached, the result
/// and the messages, for the holder of the receipt code.
pub async fn status(State(state): State<AppState>, ctx: Ctx, jar: CookieJar) -> AppResult<Response> {
    match followed(&state, &jar).await {
        Ok(r) => status_page(&state, &ctx, r, None).await,
        Err(AppError::NotFound) => Ok(Redirect::to("/public/report/follow").into_response()),
        Err(e) => Err(e),
    }
}

#[derive(Deserialize)]
pub struct MessageForm {
    #[serde(default)]
    body: String,
}

/// `POST /public/report/status/message`: the reporter answers or adds.
pub async fn message(State(state): State<AppState>, ctx: Ctx, jar: CookieJar, client: ClientAddr, Form(f): Form<MessageForm>) -> AppResult<Response> {
    state.throttles.public_reports.check(&client)?;
    let r = followed(&state, &jar).await?;
    let body = f.body.trim();
    if body.is_empty() || body.chars().count() > 2000 {
        return status_page(&state, &ctx, r, Some(T(ctx.lang).s("report.message_length").into_owned())).await;
    }
    state.store.leads().add_message(&Who::system("12388"), r.id, "reporter", body).await?;
    Ok(Redirect::to("/public/report/status").into_response())
}
