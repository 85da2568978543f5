//! The outline as an indented tree for a terminal.

use crate::outline::{Item, ItemKind, Outline};
use std::fmt::Write;

/// The tag printed before each item.
pub fn tag(kind: ItemKind) -> &'static str {
    match kind {
        ItemKind::Problem => "【问题】",
        ItemKind::Requirement => "【要求】",
        ItemKind::Other => "【其他】",
    }
}

/// What the tags mean.
pub const LEGEND: &str = "图例：【问题】列举的问题、不足　【要求】部署的要求、任务　【其他】成绩、原因等";

const INDENT: &str = "    ";

/// The tree; with `text`, also the preamble, each item's body and the closing.
pub fn render_tree(o: &Outline, text: bool) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "标题：{}", o.title.as_deref().unwrap_or("（未识别）"));
    let _ = writeln!(out, "{LEGEND}");
    out.push('\n');
    if text && !o.preamble.is_empty() {
        block(&mut out, "", "开头", &o.preamble);
    }
    for it in &o.items {
        item(&mut out, it, 0, text);
    }
    if text && !o.closing.is_empty() {
        block(&mut out, "", "结尾", &o.closing);
    }
    out
}

fn block(out: &mut String, indent: &str, what: &str, text: &str) {
    for (i, line) in text.lines().enumerate() {
        let head = if i == 0 { format!("〔{what}〕") } else { "　　".to_string() };
        let _ = writeln!(out, "{indent}{head}{line}");
    }
}

fn item(out: &mut String, it: &Item, depth: usize, text: bool) {
    let indent = INDENT.repeat(depth);
    if text && let Some(lead) = &it.lead_in {
        block(out, &indent, "引语", lead);
    }
    let _ = writeln!(out, "{indent}{}{}{}", tag(it.kind), it.marker.text, it.label);
    let inner = INDENT.repeat(depth + 1);
    if text && !it.body.is_empty() {
        block(out, &inner, "正文", &it.body);
    }
    for c in &it.children {
        item(out, c, depth + 1, text);
    }
    if text && let Some(tail) = &it.tail {
        block(out, &inner, "小结", tail);
    }
}
