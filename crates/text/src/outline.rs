//! The outline tree and the parser that builds it.
//!
//! Paragraphs are scanned for markers ([`crate::markers`]); enumerators are
//! kept only inside ordinal sequences; then one pass over the paragraphs
//! opens and closes items on a stack: a heading pops to its own level, an
//! enumeration nests under whatever is open. Text goes to the open item's
//! body (before its first child) or waits as the lead-in of the next item.
//! Finally [`crate::classify`] labels every item.
//!
//! The parser is total: any `&str` gives an outline.

use crate::clean::{Cleaned, clean};
use crate::markers::{Found, LAST, Marker, Style, enumerators, heading_at_start};
use serde::Serialize;
use std::collections::HashMap;

/// What an item lists: problems found, requirements/tasks set, or other
/// things (achievements, reasons, plain structure).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Problem,
    Requirement,
    Other,
}

/// One heading or enumerated point.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Item {
    pub marker: Marker,
    /// The heading text: the first sentence after the marker.
    pub label: String,
    pub kind: ItemKind,
    /// The rule that decided `kind`, in words.
    pub why: String,
    /// Text between the previous sibling and this item that introduces it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub lead_in: Option<String>,
    /// Text under the heading before its first child.
    #[serde(skip_serializing_if = "String::is_empty")]
    pub body: String,
    /// Text after the last child that did not introduce anything.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tail: Option<String>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub children: Vec<Item>,
}

/// A document's structure.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Outline {
    pub title: Option<String>,
    /// Text before the first item (opening remarks).
    pub preamble: String,
    pub items: Vec<Item>,
    /// Text after the last item (closing remarks).
    pub closing: String,
    pub warnings: Vec<String>,
    /// Lines dropped as boilerplate (site headers, adverts, page junk).
    pub removed_lines: Vec<String>,
}

impl Outline {
    /// Every item, depth first, with its depth (0 = top level).
    pub fn walk(&self) -> Vec<(usize, &Item)> {
        fn go<'a>(items: &'a [Item], depth: usize, out: &mut Vec<(usize, &'a Item)>) {
            for it in items {
                out.push((depth, it));
                go(&it.children, depth + 1, out);
            }
        }
        let mut out = Vec::new();
        go(&self.items, 0, &mut out);
        out
    }
}

/// Sentence ends: where a label stops.
const LABEL_END: &str = "。！？；;!?";
/// Sentences that open like these close an enumeration rather than continue
/// its last point: summaries (以上/上述/总之), transitions (下面/为此/对此).
const CLOSING_CUES: &[&str] = &[
    "以上",
    "上述",
    "下面",
    "为此",
    "对此",
    "对这些问题",
    "这些问题",
    "总之",
    "综上",
    "总的来看",
    "总的来说",
    "同志们",
];
/// Heading labels longer than this many characters are cut at a comma…
const MAX_HEADING_LABEL: usize = 80;
/// …and so are the labels of enumerated points (whose first sentence is
/// often the whole point).
const MAX_POINT_LABEL: usize = 40;

/// Parse already-decoded text.
pub fn parse_outline(text: &str) -> Outline {
    let Cleaned { title, paragraphs, removed } = clean(text);
    let mut warnings = Vec::new();
    if !removed.is_empty() {
        warnings.push(format!("removed {} boilerplate line(s) (site header, adverts, page junk)", removed.len()));
    }
    let scanned = scan(&paragraphs);
    let last_heading = scanned.iter().rposition(|s| s.heading.is_some());
    let mut b = Builder::new();
    for (p, (para, sc)) in paragraphs.iter().zip(scanned).enumerate() {
        emit(&mut b, para, sc, last_heading.is_some_and(|h| h > p));
    }
    let (preamble, mut items, closing) = b.finish();
    crate::classify::classify(&preamble, &mut items);
    if title.is_none() {
        warnings.push("no title line found".to_string());
    }
    if items.is_empty() {
        warnings.push("no headings or enumerations found".to_string());
    }
    Outline { title, preamble, items, closing, warnings, removed_lines: removed }
}

/// Markers of one paragraph after the sequence check.
struct Scanned {
    heading: Option<Found>,
    /// Accepted enumerators, each with whether it ends its sequence.
    enums: Vec<(Found, bool)>,
}

/// Find markers and keep enumerators that sit in an ordinal sequence:
/// `一是` only if a `二是` follows before the next heading, `n是` only right
/// after `n-1是`, `最后` only after `首先…其次`.
fn scan(paragraphs: &[String]) -> Vec<Scanned> {
    // (paragraph, candidate or None for a heading barrier)
    let mut cands: Vec<(usize, Option<Found>)> = Vec::new();
    let mut headings = Vec::with_capacity(paragraphs.len());
    for (p, text) in paragraphs.iter().enumerate() {
        let h = heading_at_start(text);
        let from = h.as_ref().map_or(0, |f| f.end);
        if h.is_some() {
            cands.push((p, None));
        }
        headings.push(h);
        cands.extend(enumerators(text, from).into_iter().map(|f| (p, Some(f))));
    }
    // Backwards: does an ordinal-2 of the same style follow (before a barrier
    // or another ordinal-1)?
    let mut two_ahead: HashMap<Style, bool> = HashMap::new();
    let mut has_two = vec![false; cands.len()];
    for (i, (_, c)) in cands.iter().enumerate().rev() {
        match c {
            None => two_ahead.clear(),
            Some(f) if f.marker.ordinal == 2 => {
                two_ahead.insert(f.marker.style, true);
            }
            Some(f) if f.marker.ordinal == 1 => {
                if let Some(slot) = has_two.get_mut(i) {
                    *slot = two_ahead.get(&f.marker.style).copied().unwrap_or(false);
                }
                two_ahead.insert(f.marker.style, false);
            }
            Some(_) => {}
        }
    }
    // Forwards: accept in sequence; remember which accepted one ends it.
    let mut current: HashMap<Style, (u32, usize)> = HashMap::new(); // style -> (ordinal, index in accepted)
    let mut accepted: Vec<(usize, Found, bool)> = Vec::new();
    for (i, (p, c)) in cands.into_iter().enumerate() {
        let Some(f) = c else {
            current.clear();
            continue;
        };
        let style = f.marker.style;
        let n = f.marker.ordinal;
        let prev = current.get(&style).copied();
        let ok = match n {
            1 => has_two.get(i).copied().unwrap_or(false),
            LAST => prev.is_some_and(|(m, _)| m >= 2),
            _ => prev.is_some_and(|(m, _)| m + 1 == n),
        };
        if !ok {
            continue;
        }
        if n != 1
            && let Some((_, j)) = prev
            && let Some(a) = accepted.get_mut(j)
        {
            a.2 = false; // it has a successor
        }
        if n == LAST {
            current.remove(&style);
        } else {
            current.insert(style, (n, accepted.len()));
        }
        accepted.push((p, f, true));
    }
    let mut out: Vec<Scanned> = headings.into_iter().map(|heading| Scanned { heading, enums: Vec::new() }).collect();
    for (p, f, last) in accepted {
        if let Some(s) = out.get_mut(p) {
            s.enums.push((f, last));
        }
    }
    out
}

fn starts_with_cue(s: &str, cues: &[&str]) -> bool {
    cues.iter().any(|c| s.starts_with(c))
}

/// Turn one paragraph into builder calls. `more_headings`: a heading
/// paragraph comes later in the document.
fn emit(b: &mut Builder, para: &str, sc: Scanned, more_headings: bool) {
    let first_enum = sc.enums.first().map(|(f, _)| f.start);
    if sc.heading.is_none() && first_enum != Some(0) {
        // 同志们… after the last heading is the closing; elsewhere it only
        // ends an enumeration, like 以上/为此/下面.
        if para.starts_with("同志们") && !more_headings {
            b.pop_to_root();
        } else if starts_with_cue(para, CLOSING_CUES) {
            b.pop_enums();
        }
    }
    let lead_end = first_enum.unwrap_or(para.len());
    match &sc.heading {
        Some(h) => {
            let (label, body) = split_label(para.get(h.end..lead_end).unwrap_or(""), MAX_HEADING_LABEL);
            b.open(h.marker.clone(), label, body, false);
        }
        None => b.text(para.get(..lead_end).unwrap_or("")),
    }
    for (k, (f, last)) in sc.enums.iter().enumerate() {
        let end = sc.enums.get(k + 1).map_or(para.len(), |(g, _)| g.start);
        let seg = para.get(f.end..end).unwrap_or("");
        let (seg, tail) = if *last { split_closing(seg) } else { (seg, "") };
        let (label, body) = split_label(seg, MAX_POINT_LABEL);
        b.open(f.marker.clone(), label, body, *last);
        if !tail.is_empty() {
            b.pop_enums();
            b.text(tail);
        }
    }
}

/// Cut the last point of an enumeration where a closing sentence starts.
fn split_closing(seg: &str) -> (&str, &str) {
    let mut after_end = false;
    for (i, c) in seg.char_indices() {
        if after_end && !"”’\"）)".contains(c) {
            if let Some(rest) = seg.get(i..)
                && starts_with_cue(rest, CLOSING_CUES)
            {
                return (seg.get(..i).unwrap_or(seg), rest);
            }
            after_end = false;
        }
        if "。！？!?".contains(c) {
            after_end = true;
        }
    }
    (seg, "")
}

/// Label = first sentence (without its full stop), or its first clause when
/// longer than `max` characters; body = the rest.
pub fn split_label(seg: &str, max: usize) -> (String, String) {
    let seg = seg.trim_start_matches(|c: char| "，,、：:。 \t\u{3000}".contains(c) || c.is_whitespace());
    let (mut label, mut rest) = match seg.char_indices().find(|(_, c)| LABEL_END.contains(*c)) {
        Some((i, c)) => (seg.get(..i).unwrap_or(seg), seg.get(i + c.len_utf8()..).unwrap_or("")),
        None => (seg, ""),
    };
    if label.chars().count() > max {
        let cut = label
            .char_indices()
            .take(max)
            .filter(|(i, c)| *i > 0 && "，,".contains(*c))
            .map(|(i, _)| i)
            .next()
            .or_else(|| label.char_indices().nth(max).map(|(i, _)| i))
            .unwrap_or(label.len());
        rest = seg.get(cut..).unwrap_or("");
        label = label.get(..cut).unwrap_or(label);
    }
    let rest = rest.trim_start_matches(|c: char| "，,".contains(c));
    let label = label.trim().trim_end_matches(|c: char| "：:，,、".contains(c));
    (label.to_string(), rest.trim().to_string())
}

struct Frame {
    item: Item,
    rank: u8,
    pending: String,
    /// The last point of its enumeration: a new run after it is a sibling.
    last: bool,
}

/// The open items: `root` (the document) and the stack of items under it.
struct Builder {
    root: Frame,
    stack: Vec<Frame>,
}

fn push_text(buf: &mut String, text: &str) {
    let text = text.trim();
    if text.is_empty() {
        return;
    }
    if !buf.is_empty() {
        buf.push('\n');
    }
    buf.push_str(text);
}

fn new_item(marker: Marker, label: String, body: String) -> Item {
    Item {
        marker,
        label,
        kind: ItemKind::Other,
        why: String::new(),
        lead_in: None,
        body,
        tail: None,
        children: Vec::new(),
    }
}

impl Builder {
    fn new() -> Self {
        let marker = Marker { style: Style::ChineseComma, ordinal: 0, text: String::new() };
        let root = new_item(marker, String::new(), String::new());
        Builder { root: Frame { item: root, rank: 0, pending: String::new(), last: false }, stack: Vec::new() }
    }

    fn top(&mut self) -> &mut Frame {
        match self.stack.last_mut() {
            Some(f) => f,
            None => &mut self.root,
        }
    }

    fn top_rank(&self) -> u8 {
        self.stack.last().map_or(0, |f| f.rank)
    }

    fn text(&mut self, text: &str) {
        let f = self.top();
        if f.item.children.is_empty() {
            push_text(&mut f.item.body, text);
        } else {
            push_text(&mut f.pending, text);
        }
    }

    fn pop(&mut self) {
        if let Some(mut f) = self.stack.pop() {
            if !f.pending.is_empty() {
                f.item.tail = Some(f.pending);
            }
            self.top().item.children.push(f.item);
        }
    }

    fn pop_enums(&mut self) {
        while self.top_rank() == 6 {
            self.pop();
        }
    }

    fn pop_to_root(&mut self) {
        while !self.stack.is_empty() {
            self.pop();
        }
    }

    /// Open an item: a style already open is closed first (a sibling); a
    /// heading closes deeper levels; a new enumeration nests under the open
    /// point, unless that point ended its own run.
    fn open(&mut self, marker: Marker, label: String, body: String, last: bool) {
        let style = marker.style;
        let rank = style.rank();
        if let Some(pos) = self.stack.iter().rposition(|f| f.item.marker.style == style) {
            while self.stack.len() > pos {
                self.pop();
            }
        } else {
            while !self.stack.is_empty()
                && (self.top_rank() > rank || (rank == 6 && self.stack.last().is_some_and(|f| f.last)))
            {
                self.pop();
            }
        }
        let parent = self.top();
        let mut item = new_item(marker, label, body);
        if !parent.pending.is_empty() {
            item.lead_in = Some(std::mem::take(&mut parent.pending));
        }
        self.stack.push(Frame { item, rank, pending: String::new(), last });
    }

    fn finish(mut self) -> (String, Vec<Item>, String) {
        self.pop_to_root();
        (self.root.item.body, self.root.item.children, self.root.pending)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// (depth, marker + label) of every item.
    fn shape(text: &str) -> Vec<(usize, String)> {
        parse_outline(text).walk().into_iter().map(|(d, it)| (d, format!("{}{}", it.marker.text, it.label))).collect()
    }

    fn s(d: usize, t: &str) -> (usize, String) {
        (d, t.to_string())
    }

    #[test]
    fn headings_nest_in_official_order_and_pop_back() {
        let text = "一、总体要求\n（一）指导思想\n1.坚持标准\n（1）细则\n①要点\n②要点\n2.注重实效\n（二）工作目标\n二、主要任务";
        assert_eq!(
            shape(text),
            vec![
                s(0, "一、总体要求"),
                s(1, "（一）指导思想"),
                s(2, "1.坚持标准"),
                s(3, "（1）细则"),
                s(4, "①要点"),
                s(4, "②要点"),
                s(2, "2.注重实效"),
                s(1, "（二）工作目标"),
                s(0, "二、主要任务"),
            ]
        );
    }

    #[test]
    fn several_enumerations_in_one_paragraph_are_split() {
        let text = "一、问题\n主要是：一是学习不深。二是作风不实。我讲两点。一要学习。二要实践。";
        assert_eq!(
            shape(text),
            vec![s(0, "一、问题"), s(1, "一是学习不深"), s(1, "二是作风不实"), s(1, "一要学习"), s(1, "二要实践"),]
        );
    }

    #[test]
    fn enumeration_needs_its_second_ordinal() {
        assert_eq!(shape("一是要加强学习，这是唯一的办法。"), vec![]);
        assert_eq!(shape("首先要学习。然后要实践。"), vec![]);
        assert_eq!(shape("一是学习。三是实践。"), vec![], "a gap in the ordinals is not a sequence");
    }

    #[test]
    fn enumeration_does_not_continue_across_a_heading() {
        assert_eq!(shape("一、学习\n一是读书。\n二、实践\n二是调研。"), vec![s(0, "一、学习"), s(0, "二、实践")]);
    }

    #[test]
    fn false_friends_of_markers_stay_text() {
        let text =
            "第一时间赶到。1.5亿元已到位。坚持统一要求。这是唯一是非标准。要做到一是一，二是二。打通最后一公里。";
        assert_eq!(shape(text), vec![]);
    }

    #[test]
    fn first_then_finally_is_a_sequence() {
        assert_eq!(
            shape("工作中。首先，要学习。其次，要实践。最后，要总结。"),
            vec![s(0, "首先要学习"), s(0, "其次要实践"), s(0, "最后要总结")]
        );
    }

    #[test]
    fn closing_sentence_after_the_last_point_goes_back_to_the_parent() {
        let o = parse_outline(
            "一、问题\n一是学习不深。二是作风不实。有的干部漂浮。以上问题要高度重视。下面讲意见。\n二、意见",
        );
        let first = &o.items[0];
        assert_eq!(first.children[1].body, "有的干部漂浮。");
        assert_eq!(first.tail.as_deref(), Some("以上问题要高度重视。下面讲意见。"));
    }

    #[test]
    fn text_between_runs_is_the_lead_in_of_the_next() {
        let o = parse_outline("一是甲。二是乙。为此，我们要努力。一要丙。二要丁。");
        assert_eq!(o.items[2].lead_in.as_deref(), Some("为此，我们要努力。"));
    }

    #[test]
    fn paragraphs_after_a_point_belong_to_it_until_the_next() {
        let o = parse_outline("一、任务\n一要分类施策。\n对甲问题，要严查。\n对乙问题，要整改。\n二要开门整改。");
        let one = &o.items[0].children[0];
        assert_eq!(one.body, "对甲问题，要严查。\n对乙问题，要整改。");
        assert_eq!(o.items[0].children.len(), 2);
    }

    #[test]
    fn salutation_returns_to_the_top_level() {
        let o = parse_outline(
            "一是甲好。二是乙好。\n同志们，成绩来之不易。我讲两点意见。\n第一，学习\n第二，实践\n同志们，让我们共同努力！",
        );
        assert_eq!(o.items.len(), 4);
        assert!(o.items[2].lead_in.as_deref().is_some_and(|l| l.starts_with("同志们，成绩")));
        assert_eq!(o.closing, "同志们，让我们共同努力！");
    }

    #[test]
    fn salutation_inside_a_section_stays_in_it() {
        let o = parse_outline("一、学习\n一是读书。二是调研。\n同志们，这一点很重要。\n二、实践");
        assert_eq!(o.items[0].tail.as_deref(), Some("同志们，这一点很重要。"));
        assert_eq!(o.items[1].lead_in, None);
    }

    #[test]
    fn heading_label_drops_a_trailing_colon() {
        assert_eq!(
            shape("一、存在的主要问题：\n二、下一步打算"),
            vec![s(0, "一、存在的主要问题"), s(0, "二、下一步打算")]
        );
    }

    #[test]
    fn long_point_labels_stop_at_the_first_comma() {
        let (label, body) = split_label(
            "推进党史学习教育常态化制度化，教育引导广大党员特别是干部不断改造主观世界，提高思想政治觉悟。后文",
            40,
        );
        assert_eq!(label, "推进党史学习教育常态化制度化");
        assert!(body.starts_with("教育引导") && body.ends_with("后文"));
    }

    #[test]
    fn inline_enumeration_nests_under_the_open_point() {
        assert_eq!(
            shape("一是要明确责任。主体有两个。第一个是党组。第二个是支部。二是要狠抓落实。"),
            vec![s(0, "一是要明确责任"), s(1, "第一个是党组"), s(1, "第二个是支部"), s(0, "二是要狠抓落实"),]
        );
    }
}
