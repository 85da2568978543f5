//! The draft editor of a directive: every requirement item read from the
//! source is a row with its text and its assignment (lead unit, supporting
//! unit, deadline). Edits (reword, merge into the previous row, split at
//! the body's lines, drop, move up) are pure `domain::tasks::draft`
//! operations saved one by one; the assignments typed so far travel with
//! their rows. Issuing validates every row and creates the tasks in one
//! transaction. With a default deadline filled in, a row needs only its lead
//! unit chosen (two clicks) before the one 下发 button.

use super::{reckon, visible_directive};
use crate::AppState;
use crate::api::PathId;
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::form::{Form, FormErrors, form_uuid};
use crate::layout::{Layout, done, form_page};
use askama::Template;
use axum::extract::State;
use axum::response::Response;
use qingfeng_domain::Refusal;
use qingfeng_domain::access::Action;
use qingfeng_domain::tasks::draft::{self, DraftItem, IssueContext, IssueInput, PartText};
use qingfeng_store::tasks::Directive;
use std::collections::BTreeMap;
use uuid::Uuid;

/// One row of the editor.
#[derive(Debug, Clone)]
pub struct Row {
    pub item: DraftItem,
    pub form: IssueInput,
}

#[derive(Template)]
#[template(path = "tasks/draft.html")]
struct Editor {
    l: Layout,
    d: Directive,
    rows: Vec<Row>,
    units: Vec<crate::org::UnitOption>,
    default_deadline: String,
    list: super::directives::ProblemsPanel,
    errors: FormErrors,
    refusal: Option<String>,
}

impl Editor {
    fn err(&self, i: &usize, field: &str) -> Option<&str> {
        self.errors.get(&format!("tasks.{i}.{field}"))
    }
    fn is_lead(&self, r: &Row, u: &Uuid) -> bool {
        r.form.lead_unit_id == Some(*u)
    }
    fn is_support(&self, r: &Row, u: &Uuid) -> bool {
        r.form.supporting_unit_ids.contains(u)
    }
    fn src(&self, it: &DraftItem) -> String {
        it.sources.iter().map(|p| p.iter().map(|n| (n + 1).to_string()).collect::<Vec<_>>().join(".")).collect::<Vec<_>>().join("、")
    }
}

/// Units a directive's tasks may go to: the issuing unit's subtree, below it.
async fn targets(state: &AppState, d: &Directive) -> AppResult<Vec<crate::org::UnitOption>> {
    let scope = d.scope()?;
    let nodes = state.store.orgs().subtree(&scope, None, false).await?;
    let mut out: Vec<crate::org::UnitOption> = crate::org::depth_first(nodes)
        .into_iter()
        .filter(|(n, _)| n.unit.id != d.issuing_unit_id)
        .map(|(n, depth)| crate::org::UnitOption { id: n.unit.id, name: n.unit.name, kind: n.unit.kind, depth: depth.saturating_sub(1) })
        .collect();
    // Three levels below the issuer are as far as a directive reaches in one step.
    out.retain(|u| u.depth < 3);
    Ok(out)
}

#[allow(clippy::too_many_arguments)]
async fn render(state: &AppState, ctx: &Ctx, user: &User, d: Directive, rows: Vec<Row>, default_deadline: String, errors: FormErrors, refusal: Option<String>) -> AppResult<Response> {
    let invalid = errors.any() || refusal.is_some();
    let units = targets(state, &d).await?;
    let list = super::directives::problems_panel(state, ctx, user, &d, None).await?;
    let title = format!("{}｜{}", crate::i18n::T(ctx.lang).s("tasks.draft"), d.title);
    form_page(&Editor { l: Layout::new(state, ctx, "tasks", title), d, rows, units, default_deadline, list, errors, refusal }, invalid)
}

/// The editor as first opened: rows from the saved draft, a default
/// deadline at the end of the quarter after next.
pub async fn editor(state: &AppState, ctx: &Ctx, user: &User, d: Directive, refusal: Option<String>) -> AppResult<Response> {
    let today = super::today();
    let deadline = today.checked_add(jiff::Span::new().months(3)).unwrap_or(today).last_of_month().to_string();
    let rows = d
        .draft_items()
        .into_iter()
        .map(|item| Row {
            form: IssueInput { title: item.label.clone(), body: item.body.clone(), deadline: deadline.clone(), ..Default::default() },
            item,
        })
        .collect();
    render(state, ctx, user, d, rows, deadline, FormErrors::default(), refusal).await
}

/// Reads the rows (`title.N`, `body.N`, `lead.N`, `support.N`, `deadline.N`,
/// `owner.N`), the default deadline and the requested edit (`op`).
fn parse(d: &Directive, fields: Vec<(String, String)>) -> AppResult<(Vec<Row>, String, String)> {
    let saved = d.draft_items();
    // Every saved item is a row; what was posted for it overrides.
    let mut rows: BTreeMap<usize, Row> = saved
        .iter()
        .enumerate()
        .map(|(n, item)| (n, Row { form: IssueInput { title: item.label.clone(), body: item.body.clone(), ..Default::default() }, item: item.clone() }))
        .collect();
    let (mut default_deadline, mut op) = (String::new(), String::new());
    for (k, v) in fields {
        match k.as_str() {
            "default_deadline" => default_deadline = v,
            "op" => op = v,
            _ => {
                let Some((name, n)) = super::row_field(&k) else { continue };
                let row = rows.entry(n).or_insert_with(|| {
                    let item = saved.get(n).cloned().unwrap_or(DraftItem { label: String::new(), body: String::new(), sources: vec![] });
                    Row { item, form: IssueInput::default() }
                });
                match name {
                    "title" => row.form.title = v,
                    "body" => row.form.body = v,
                    "lead" => row.form.lead_unit_id = form_uuid(&v)?,
                    "support" => {
                        if let Some(u) = form_uuid(&v)? {
                            row.form.supporting_unit_ids.push(u);
                        }
                    }
                    "owner" => row.form.owner_id = form_uuid(&v)?,
                    "deadline" => row.form.deadline = v,
                    _ => {}
                }
            }
        }
    }
    let mut rows: Vec<Row> = rows.into_values().collect();
    for r in &mut rows {
        // The texts typed are the item's wording (a reword), cut to the limits.
        r.item.label = r.form.title.trim().chars().take(draft::LABEL_MAX).collect();
        r.item.body = r.form.body.trim().chars().take(draft::BODY_MAX).collect();
        if r.form.deadline.trim().is_empty() {
            r.form.deadline = default_deadline.clone();
        }
    }
    Ok((rows, default_deadline, op))
}

/// Applies `op` to the rows: the items through the domain's pure edits, the
/// assignments moved alongside.
fn apply(rows: Vec<Row>, op: &str) -> Result<Vec<Row>, Refusal> {
    let bad = || Refusal::new("bad_edit", "无法识别的编辑操作", "unknown edit");
    let (verb, i) = op.split_once(':').ok_or_else(bad)?;
    let i: usize = i.parse().map_err(|_| bad())?;
    let items: Vec<DraftItem> = rows.iter().map(|r| r.item.clone()).collect();
    let mut forms: Vec<IssueInput> = rows.into_iter().map(|r| r.form).collect();
    let items = match verb {
        "drop" => {
            let out = draft::drop_item(&items, i)?;
            forms.remove(i);
            out
        }
        "merge" if i > 0 => {
            let out = draft::merge(&items, i - 1, i)?;
            forms.remove(i);
            out
        }
        "up" if i > 0 => {
            let out = draft::reorder(&items, i, i - 1)?;
            forms.swap(i, i - 1);
            out
        }
        "split" => {
            let it = items.get(i).ok_or_else(bad)?;
            let lines: Vec<&str> = it.body.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
            let parts: Vec<PartText> = if lines.is_empty() {
                vec![PartText { label: it.label.clone(), body: String::new() }; 2]
            } else {
                std::iter::once(PartText { label: it.label.clone(), body: String::new() })
                    .chain(lines.iter().map(|l| PartText { label: l.chars().take(draft::LABEL_MAX).collect(), body: String::new() }))
                    .collect()
            };
            let out = draft::split(&items, i, &parts)?;
            let f = forms.get(i).cloned().unwrap_or_default();
            forms.splice(i..=i, std::iter::repeat_n(f, parts.len()));
            out
        }
        _ => return Err(bad()),
    };
    Ok(items
        .into_iter()
        .zip(forms)
        .map(|(item, mut form)| {
            form.title = item.label.clone();
            form.body = item.body.clone();
            Row { item, form }
        })
        .collect())
}

/// `POST /tasks/directives/{id}/draft`: one edit, saved; the page comes back
/// with every row's assignment as typed.
pub async fn draft_submit(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let d = visible_directive(&state, &user, id, Action::IssueTasks).await?;
    let (rows, default_deadline, op) = parse(&d, fields)?;
    match apply(rows.clone(), &op) {
        Ok(rows) => {
            let items: Vec<DraftItem> = rows.iter().map(|r| r.item.clone()).collect();
            let d = state.store.tasks().save_draft(&user.who(), id, &items, &op).await?;
            render(&state, &ctx, &user, d, rows, default_deadline, FormErrors::default(), None).await
        }
        Err(r) => render(&state, &ctx, &user, d, rows, default_deadline, FormErrors::default(), Some(r.msg.get(ctx.lang).to_string())).await,
    }
}

/// `POST /tasks/directives/{id}/issue`: validates every row (errors on
/// `tasks.N.field`), saves the final wording and issues the tasks.
pub async fn issue_submit(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Form(fields): Form<Vec<(String, String)>>) -> AppResult<Response> {
    let d = visible_directive(&state, &user, id, Action::IssueTasks).await?;
    let (rows, default_deadline, _) = parse(&d, fields)?;
    let allowed: Vec<Uuid> = targets(&state, &d).await?.into_iter().map(|u| u.id).collect();
    let r = reckon(&state);
    let forms: Vec<IssueInput> = rows.iter().map(|r| r.form.clone()).collect();
    let checked = {
        let is_allowed = |u: Uuid| allowed.contains(&u);
        let ctx_issue = IssueContext { issued_on: r.today, parent_deadline: None, allowed_unit: &is_allowed };
        draft::validate_all(&forms, &ctx_issue)
    };
    let specs = match checked {
        Ok(s) => s,
        Err(v) => return render(&state, &ctx, &user, d, rows, default_deadline, FormErrors::from(&v, ctx.lang), None).await,
    };
    let items: Vec<DraftItem> = rows.iter().map(|r| r.item.clone()).collect();
    let t = state.store.tasks();
    t.save_draft(&user.who(), id, &items, "final wording").await?;
    match t.issue(&user.who(), &r.env(), id, &specs).await.map_err(AppError::from) {
        Ok(_) => Ok(done(&state, &format!("/tasks/directives/{id}"), "flash.tasks_issued")),
        Err(AppError::Refused(x)) => render(&state, &ctx, &user, d, rows, default_deadline, FormErrors::default(), Some(x.msg.get(ctx.lang).to_string())).await,
        Err(e) => Err(e),
    }
}
