//! Editing a directive's draft and validating what is issued.
//!
//! The requirement items read from a document's outline become
//! [`DraftItem`]s. A user merges, splits, rewords, drops and reorders them —
//! each edit is a pure function from one list to a new list (or a refusal
//! that names what is wrong), so the store keeps only the current list and
//! the audit chain records each edit. Every item remembers where in the
//! source text it came from (`sources`: outline paths), through merges and
//! splits.

use crate::msg::{Msg, Refusal, Validation, required_text};
use crate::rectify::input::date;
use crate::rectify::schedule::{Milestone, parse_schedule, validate_schedule};
use jiff::civil::Date;
use serde::{Deserialize, Serialize};
use uuid::Uuid;

/// Longest label (the task's title).
pub const LABEL_MAX: usize = 300;
/// Longest body.
pub const BODY_MAX: usize = 5000;
/// Most items one draft may hold.
pub const ITEMS_MAX: usize = 500;

/// Where an item came from: the path of its outline item (`[1, 2]` is the
/// second point under the first heading, 0-based).
pub type SourcePath = Vec<u32>;

/// One requirement item of a draft.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DraftItem {
    pub label: String,
    pub body: String,
    pub sources: Vec<SourcePath>,
}

impl DraftItem {
    /// An item read from the outline: texts trimmed and cut to their limits
    /// (an outline is machine-read, so over-long text is cut, not refused).
    pub fn from_outline(label: &str, body: &str, path: SourcePath) -> DraftItem {
        DraftItem {
            label: clip(&label.replace(['\r', '\n'], " "), LABEL_MAX),
            body: clip(body, BODY_MAX),
            sources: vec![path],
        }
    }
}

fn clip(s: &str, max: usize) -> String {
    s.trim().chars().filter(|c| !c.is_control() || *c == '\n').take(max).collect::<String>().trim().to_string()
}

fn no_item(i: usize, len: usize) -> Refusal {
    Refusal {
        code: "no_such_item",
        msg: Msg::owned(
            format!("草稿中没有第{}项（共{len}项）", i.saturating_add(1)),
            format!("the draft has no item {} (it has {len})", i.saturating_add(1)),
        ),
    }
}

fn check_index(items: &[DraftItem], i: usize) -> Result<(), Refusal> {
    if i < items.len() { Ok(()) } else { Err(no_item(i, items.len())) }
}

fn bad_text(field: &str, m: Msg) -> Refusal {
    Refusal {
        code: "invalid_text",
        msg: Msg::owned(format!("{}：{}", field_zh(field), m.zh), format!("{field}: {}", m.en)),
    }
}

fn field_zh(field: &str) -> &'static str {
    if field == "label" { "标题" } else { "内容" }
}

fn checked_label(label: &str) -> Result<String, Refusal> {
    required_text(label, LABEL_MAX).map_err(|m| bad_text("label", m))
}

fn checked_body(body: &str) -> Result<String, Refusal> {
    let body = body.replace("\r\n", "\n");
    let b = body.trim();
    if b.chars().any(|c| c.is_control() && c != '\n') {
        return Err(bad_text("body", Msg::new("不能包含控制字符", "must not contain control characters")));
    }
    let n = b.chars().count();
    if n > BODY_MAX {
        return Err(bad_text(
            "body",
            Msg::owned(
                format!("不能超过{BODY_MAX}个字（现有{n}个）"),
                format!("at most {BODY_MAX} characters (got {n})"),
            ),
        ));
    }
    Ok(b.to_string())
}

/// Merges item `j` into item `i`: the result takes `i`'s place and label;
/// `j`'s label and body follow `i`'s body; the sources of both are kept.
pub fn merge(items: &[DraftItem], i: usize, j: usize) -> Result<Vec<DraftItem>, Refusal> {
    check_index(items, i)?;
    check_index(items, j)?;
    if i == j {
        return Err(Refusal::new("merge_self", "不能把一项与自身合并", "an item cannot be merged with itself"));
    }
    let (a, b) = (&items[i], &items[j]);
    let joined = [a.body.as_str(), &sentence(&b.label, &b.body)]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join("\n");
    let body = checked_body(&joined)?;
    let mut sources = a.sources.clone();
    sources.extend(b.sources.iter().filter(|s| !a.sources.contains(s)).cloned());
    let merged = DraftItem { label: a.label.clone(), body, sources };
    let mut out: Vec<DraftItem> = Vec::with_capacity(items.len() - 1);
    for (k, it) in items.iter().enumerate() {
        if k == i {
            out.push(merged.clone());
        } else if k != j {
            out.push(it.clone());
        }
    }
    Ok(out)
}

/// A label followed by its body as running text: 标题：正文.
fn sentence(label: &str, body: &str) -> String {
    let label = label.trim();
    let body = body.trim();
    if body.is_empty() || label.ends_with(['。', '！', '？', '；', '：', ':', ';', '!', '?']) {
        format!("{label}{body}")
    } else {
        format!("{label}：{body}")
    }
}

/// Text for one part of a split.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartText {
    pub label: String,
    #[serde(default)]
    pub body: String,
}

/// Splits item `i` into `parts` (at least two, each with a label), in
/// order at `i`'s place; each part keeps `i`'s sources.
pub fn split(items: &[DraftItem], i: usize, parts: &[PartText]) -> Result<Vec<DraftItem>, Refusal> {
    check_index(items, i)?;
    if parts.len() < 2 {
        return Err(Refusal::new("split_needs_two", "拆分至少要得到两项", "a split needs at least two parts"));
    }
    if items.len() - 1 + parts.len() > ITEMS_MAX {
        return Err(too_many());
    }
    let mut new = Vec::with_capacity(parts.len());
    for p in parts {
        new.push(DraftItem {
            label: checked_label(&p.label)?,
            body: checked_body(&p.body)?,
            sources: items[i].sources.clone(),
        });
    }
    let mut out = items[..i].to_vec();
    out.extend(new);
    out.extend_from_slice(&items[i + 1..]);
    Ok(out)
}

fn too_many() -> Refusal {
    Refusal {
        code: "too_many_items",
        msg: Msg::owned(format!("草稿最多{ITEMS_MAX}项"), format!("a draft holds at most {ITEMS_MAX} items")),
    }
}

/// Rewords item `i`; its sources stay.
pub fn reword(items: &[DraftItem], i: usize, label: &str, body: &str) -> Result<Vec<DraftItem>, Refusal> {
    check_index(items, i)?;
    let mut out = items.to_vec();
    out[i].label = checked_label(label)?;
    out[i].body = checked_body(body)?;
    Ok(out)
}

/// Drops item `i` (a draft may become empty; issuing needs at least one task).
pub fn drop_item(items: &[DraftItem], i: usize) -> Result<Vec<DraftItem>, Refusal> {
    check_index(items, i)?;
    let mut out = items.to_vec();
    out.remove(i);
    Ok(out)
}

/// Moves item `from` to position `to` (positions in the resulting list).
pub fn reorder(items: &[DraftItem], from: usize, to: usize) -> Result<Vec<DraftItem>, Refusal> {
    check_index(items, from)?;
    check_index(items, to)?;
    let mut out = items.to_vec();
    let it = out.remove(from);
    out.insert(to, it);
    Ok(out)
}

/// One task as it is issued (from a draft item, or as a sub-task in a breakdown).
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IssueInput {
    pub title: String,
    #[serde(default)]
    pub body: String,
    pub lead_unit_id: Option<Uuid>,
    #[serde(default)]
    pub supporting_unit_ids: Vec<Uuid>,
    pub owner_id: Option<Uuid>,
    /// 分管领导 to whom 督办 goes.
    pub supervising_leader_id: Option<Uuid>,
    pub deadline: String,
    /// Milestones as lines `2026-06-30 50`.
    #[serde(default)]
    pub schedule: String,
    /// Weight in a weighted roll-up; empty is 1.
    #[serde(default)]
    pub weight: String,
}

/// What every task of a directive starts with, so that issuing a draft
/// item takes no more than choosing its lead unit and confirming.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct IssueDefaults {
    pub deadline: String,
    #[serde(default)]
    pub schedule: String,
    pub supervising_leader_id: Option<Uuid>,
    /// The unit most items go to, if one does.
    pub lead_unit_id: Option<Uuid>,
}

/// One issue form per draft item, prefilled with its text and the defaults.
pub fn prefill(items: &[DraftItem], d: &IssueDefaults) -> Vec<IssueInput> {
    items
        .iter()
        .map(|it| IssueInput {
            title: it.label.clone(),
            body: it.body.clone(),
            lead_unit_id: d.lead_unit_id,
            supporting_unit_ids: Vec::new(),
            owner_id: None,
            supervising_leader_id: d.supervising_leader_id,
            deadline: d.deadline.clone(),
            schedule: d.schedule.clone(),
            weight: String::new(),
        })
        .collect()
}

/// A validated task to issue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TaskSpec {
    pub title: String,
    pub body: Option<String>,
    pub lead_unit_id: Uuid,
    pub supporting_unit_ids: Vec<Uuid>,
    pub owner_id: Option<Uuid>,
    pub supervising_leader_id: Option<Uuid>,
    pub deadline: Date,
    pub schedule: Vec<Milestone>,
    pub weight: u32,
}

/// What an issue is checked against.
pub struct IssueContext<'a> {
    /// The day of issue: no deadline may precede it.
    pub issued_on: Date,
    /// For a sub-task, the parent's deadline: no sub-task may end later.
    pub parent_deadline: Option<Date>,
    /// Whether a unit may receive the task (for a breakdown: a child of the
    /// parent task's lead unit; for a directive: a unit in the issuer's scope).
    pub allowed_unit: &'a dyn Fn(Uuid) -> bool,
}

/// Largest weight a task may carry in a weighted roll-up.
pub const WEIGHT_MAX: u32 = 1000;

impl IssueInput {
    /// Checks one task, naming the fields.
    pub fn validate(&self, ctx: &IssueContext<'_>) -> Result<TaskSpec, Validation> {
        let mut v = Validation::new();
        let title = v.check("title", required_text(&self.title, LABEL_MAX));
        let body = match checked_body(&self.body) {
            Ok(b) => Some(b).filter(|b| !b.is_empty()),
            Err(r) => {
                v.add("body", r.msg);
                None
            }
        };
        match self.lead_unit_id {
            None => v.add("lead_unit_id", Msg::new("请选择牵头单位", "choose the lead unit")),
            Some(u) if !(ctx.allowed_unit)(u) => v.add(
                "lead_unit_id",
                Msg::new("牵头单位不在可交办范围内（分解只能交给本单位的下级）", "this unit may not receive the task"),
            ),
            Some(_) => {}
        }
        let mut seen = Vec::with_capacity(self.supporting_unit_ids.len());
        for u in &self.supporting_unit_ids {
            if Some(*u) == self.lead_unit_id {
                v.add(
                    "supporting_unit_ids",
                    Msg::new("配合单位不能与牵头单位相同", "the lead unit cannot also support"),
                );
            } else if seen.contains(u) {
                v.add("supporting_unit_ids", Msg::new("配合单位不能重复", "a supporting unit is listed twice"));
            } else if !(ctx.allowed_unit)(*u) {
                v.add(
                    "supporting_unit_ids",
                    Msg::new("配合单位不在可交办范围内", "a supporting unit may not receive the task"),
                );
            }
            seen.push(*u);
        }
        let deadline = date(&mut v, "deadline", &self.deadline);
        if deadline.is_some_and(|d| d < ctx.issued_on) {
            v.add("deadline", Msg::new("完成时限不能早于下发日期", "the deadline precedes the day of issue"));
        }
        if let (Some(d), Some(p)) = (deadline, ctx.parent_deadline)
            && d > p
        {
            v.add(
                "deadline",
                Msg::owned(
                    format!("子任务的完成时限不能晚于上级任务的时限（{p}）"),
                    format!("a sub-task cannot end after its parent's deadline ({p})"),
                ),
            );
        }
        let schedule = match parse_schedule(&self.schedule) {
            Ok(s) => s,
            Err(m) => {
                v.add("schedule", m);
                Vec::new()
            }
        };
        if let Some(d) = deadline
            && let Err(e) = validate_schedule(&schedule, d)
        {
            v.0.extend(e.0);
        }
        if schedule.first().is_some_and(|m| m.date < ctx.issued_on) {
            v.add("schedule", Msg::new("序时进度的节点不能早于下发日期", "no milestone may precede the day of issue"));
        }
        let weight = match self.weight.trim() {
            "" => Some(1),
            w => match w.parse::<u32>() {
                Ok(n) if n <= WEIGHT_MAX => Some(n),
                _ => {
                    v.add(
                        "weight",
                        Msg::owned(format!("权重应为0到{WEIGHT_MAX}的整数"), format!("a whole number 0–{WEIGHT_MAX}")),
                    );
                    None
                }
            },
        };
        v.0.dedup();
        v.into_result()?;
        Ok(TaskSpec {
            title: title.unwrap_or_default(),
            body,
            lead_unit_id: self.lead_unit_id.unwrap_or_default(),
            supporting_unit_ids: self.supporting_unit_ids.clone(),
            owner_id: self.owner_id,
            supervising_leader_id: self.supervising_leader_id,
            deadline: deadline.unwrap_or(ctx.issued_on),
            schedule,
            weight: weight.unwrap_or(1),
        })
    }
}

/// Checks every task of an issue (a directive's, or a breakdown's); field
/// names are prefixed `tasks.N.` (0-based) so that a form can mark the row.
pub fn validate_all(inputs: &[IssueInput], ctx: &IssueContext<'_>) -> Result<Vec<TaskSpec>, Validation> {
    let mut v = Validation::new();
    if inputs.is_empty() {
        v.add("tasks", Msg::new("至少要下发一项任务", "issue at least one task"));
    }
    if inputs.len() > ITEMS_MAX {
        v.add("tasks", too_many().msg);
    }
    let mut out = Vec::with_capacity(inputs.len());
    for (i, input) in inputs.iter().enumerate() {
        match input.validate(ctx) {
            Ok(spec) => out.push(spec),
            Err(e) => {
                for f in e.0 {
                    v.add(format!("tasks.{i}.{}", f.field), f.msg);
                }
            }
        }
    }
    v.into_result()?;
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date as d;

    fn item(label: &str, body: &str, path: u32) -> DraftItem {
        DraftItem::from_outline(label, body, vec![0, path])
    }

    fn three() -> Vec<DraftItem> {
        vec![
            item("压实主体责任", "党委每年专题研究。", 0),
            item("加强作风建设", "", 1),
            item("强化监督执纪", "用好四种形态。", 2),
        ]
    }

    #[test]
    fn merge_keeps_the_first_label_joins_the_texts_and_both_sources() {
        let out = merge(&three(), 0, 2).unwrap();
        assert_eq!(out.len(), 2);
        assert_eq!(out[0].label, "压实主体责任");
        assert_eq!(out[0].body, "党委每年专题研究。\n强化监督执纪：用好四种形态。");
        assert_eq!(out[0].sources, vec![vec![0, 0], vec![0, 2]]);
        assert_eq!(out[1].label, "加强作风建设");
        // Merging backwards puts the result at the first index named.
        let out = merge(&three(), 2, 0).unwrap();
        assert_eq!(out[1].label, "强化监督执纪");
        assert_eq!(merge(&three(), 1, 1).unwrap_err().code, "merge_self");
        assert_eq!(merge(&three(), 0, 3).unwrap_err().code, "no_such_item");
    }

    #[test]
    fn split_needs_two_labelled_parts_and_each_keeps_the_source() {
        let parts = [
            PartText { label: "开展专项检查".into(), body: String::new() },
            PartText { label: "建立长效机制".into(), body: "修订制度".into() },
        ];
        let out = split(&three(), 1, &parts).unwrap();
        assert_eq!(
            out.iter().map(|i| i.label.as_str()).collect::<Vec<_>>(),
            ["压实主体责任", "开展专项检查", "建立长效机制", "强化监督执纪"]
        );
        assert_eq!(out[2].sources, vec![vec![0, 1]]);
        assert_eq!(split(&three(), 1, &parts[..1]).unwrap_err().code, "split_needs_two");
        let blank = [parts[0].clone(), PartText { label: "  ".into(), body: String::new() }];
        let err = split(&three(), 1, &blank).unwrap_err();
        assert_eq!(err.code, "invalid_text");
        assert!(err.msg.zh.contains("标题"), "{err}");
    }

    #[test]
    fn reword_drop_and_reorder_are_checked_and_pure() {
        let items = three();
        let out = reword(&items, 2, "强化监督", "").unwrap();
        assert_eq!(out[2].label, "强化监督");
        assert_eq!(items[2].label, "强化监督执纪", "the input list is untouched");
        assert!(reword(&items, 0, "", "x").is_err());
        assert!(reword(&items, 0, "a", &"字".repeat(BODY_MAX + 1)).is_err());
        assert_eq!(drop_item(&items, 1).unwrap().len(), 2);
        assert!(drop_item(&[], 0).is_err());
        let out = reorder(&items, 2, 0).unwrap();
        assert_eq!(out[0].label, "强化监督执纪");
        assert_eq!(out[1].label, "压实主体责任");
        assert!(reorder(&items, 0, 9).is_err());
    }

    #[test]
    fn outline_text_is_trimmed_cut_and_cleaned() {
        let it = DraftItem::from_outline(&format!("  {}\u{7}", "长".repeat(400)), " 内容 ", vec![3]);
        assert_eq!(it.label.chars().count(), LABEL_MAX);
        assert_eq!(it.body, "内容");
    }

    fn ctx_all(f: &dyn Fn(Uuid) -> bool) -> IssueContext<'_> {
        IssueContext { issued_on: d(2026, 3, 2), parent_deadline: None, allowed_unit: f }
    }

    fn input(lead: u128, deadline: &str) -> IssueInput {
        IssueInput {
            title: "专题研究全面从严治党工作".into(),
            lead_unit_id: Some(Uuid::from_u128(lead)),
            deadline: deadline.into(),
            ..Default::default()
        }
    }

    #[test]
    fn issue_requires_a_lead_unit_and_a_deadline_not_before_the_issue_date() {
        let any = |_| true;
        let ctx = ctx_all(&any);
        assert!(input(1, "2026-06-30").validate(&ctx).is_ok());
        let mut no_lead = input(1, "2026-03-01");
        no_lead.lead_unit_id = None;
        let e = no_lead.validate(&ctx).unwrap_err();
        assert!(e.has("lead_unit_id") && e.has("deadline"), "{e}");
        assert!(input(1, "明天").validate(&ctx).unwrap_err().has("deadline"));
    }

    #[test]
    fn a_prefilled_draft_item_is_issued_by_choosing_its_lead_unit() {
        let any = |_| true;
        let ctx = ctx_all(&any);
        let defaults = IssueDefaults { deadline: "2026-06-30".into(), ..Default::default() };
        let mut forms = prefill(&three(), &defaults);
        assert_eq!(forms[2].title, "强化监督执纪");
        assert!(forms[0].validate(&ctx).unwrap_err().has("lead_unit_id"));
        forms[0].lead_unit_id = Some(Uuid::from_u128(5));
        assert_eq!(forms[0].validate(&ctx).unwrap().body.as_deref(), Some("党委每年专题研究。"));
    }

    #[test]
    fn supporting_units_are_distinct_and_not_the_lead_unit() {
        let any = |_| true;
        let ctx = ctx_all(&any);
        let mut i = input(1, "2026-06-30");
        i.supporting_unit_ids = vec![Uuid::from_u128(2), Uuid::from_u128(1)];
        assert!(i.validate(&ctx).unwrap_err().has("supporting_unit_ids"));
        i.supporting_unit_ids = vec![Uuid::from_u128(2), Uuid::from_u128(2)];
        assert!(i.validate(&ctx).unwrap_err().has("supporting_unit_ids"));
        i.supporting_unit_ids = vec![Uuid::from_u128(2), Uuid::from_u128(3)];
        assert_eq!(i.validate(&ctx).unwrap().supporting_unit_ids.len(), 2);
    }

    #[test]
    fn milestones_increase_and_fall_within_the_deadline() {
        let any = |_| true;
        let ctx = ctx_all(&any);
        let mut i = input(1, "2026-06-30");
        i.schedule = "2026-04-30 30\n2026-05-31 60".into();
        assert_eq!(i.validate(&ctx).unwrap().schedule.len(), 2);
        i.schedule = "2026-05-31 60\n2026-04-30 30".into();
        assert!(i.validate(&ctx).unwrap_err().has("schedule"));
        i.schedule = "2026-07-31 60".into();
        assert!(i.validate(&ctx).unwrap_err().has("schedule"));
        i.schedule = "2026-02-01 10".into();
        assert!(i.validate(&ctx).unwrap_err().has("schedule"));
        i.schedule = "2026-04-30".into();
        assert!(i.validate(&ctx).unwrap_err().has("schedule"));
    }

    #[test]
    fn a_breakdown_goes_to_children_only_and_ends_within_the_parent_deadline() {
        let children = [Uuid::from_u128(10), Uuid::from_u128(11)];
        let is_child = |u: Uuid| children.contains(&u);
        let ctx =
            IssueContext { issued_on: d(2026, 3, 2), parent_deadline: Some(d(2026, 6, 30)), allowed_unit: &is_child };
        assert!(input(10, "2026-06-15").validate(&ctx).is_ok());
        assert!(input(99, "2026-06-15").validate(&ctx).unwrap_err().has("lead_unit_id"));
        assert!(input(10, "2026-07-15").validate(&ctx).unwrap_err().has("deadline"));
        let mut i = input(10, "2026-06-15");
        i.supporting_unit_ids = vec![Uuid::from_u128(42)];
        assert!(i.validate(&ctx).unwrap_err().has("supporting_unit_ids"));
    }

    #[test]
    fn validate_all_names_the_row_and_refuses_an_empty_issue() {
        let any = |_| true;
        let ctx = ctx_all(&any);
        let e = validate_all(&[input(1, "2026-06-30"), input(2, "")], &ctx).unwrap_err();
        assert!(e.has("tasks.1.deadline"), "{e}");
        assert!(!e.has("tasks.0.deadline"));
        assert!(validate_all(&[], &ctx).unwrap_err().has("tasks"));
        let mut w = input(1, "2026-06-30");
        w.weight = "-3".into();
        assert!(validate_all(&[w], &ctx).unwrap_err().has("tasks.0.weight"));
    }
}
