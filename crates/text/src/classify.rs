//! What an enumeration lists: problems, requirements/tasks, or other things
//! (achievements, reasons, plain structure).
//!
//! Explainable rules, each with a test named after it:
//! - an **enumeration** (`一是…二是…`, `一要…`, `首先…`) takes one kind for the
//!   whole run, from the sentence that introduces it (its *lead-in*, weighted
//!   double) plus what its points themselves say (a point that begins with
//!   要 or with an imperative verb asks for something; one that names a
//!   defect — 不到位, 搞应付, 弱化 — reports a problem; one that reports a
//!   result — 有效, 扎实推进 — is an achievement);
//! - a **heading** (`一、`, `第一，`, …) is decided by its children if they
//!   lean one way, else by its own label, else by its body, else by the
//!   lead-in of its run of headings; one with no cue at all goes with its
//!   sibling headings when they agree;
//! - under a heading **about reasons or achievements** (原因, 成绩, 经验…)
//!   everything is other unless its own lead-in says problem or requirement
//!   (a reason often reads like a defect).
//!
//! The word lists are in [`crate::cues`].

use crate::cues::{
    DEFECT_WORDS, IMPERATIVE_STARTS, OTHER_CUES, OTHER_TOPICS, PROBLEM_CUES, REQUIREMENT_CUES, RESULT_WORDS,
};
use crate::markers::Style;
use crate::outline::{Item, ItemKind};

/// Scores of the three kinds, and the cues that gave them.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Scores {
    pub problem: i32,
    pub requirement: i32,
    pub other: i32,
    pub cues: Vec<String>,
}

impl Scores {
    fn add(&mut self, kind: ItemKind, weight: i32, cue: &str) {
        match kind {
            ItemKind::Problem => self.problem += weight,
            ItemKind::Requirement => self.requirement += weight,
            ItemKind::Other => self.other += weight,
        }
        self.cues.push(cue.to_string());
    }

    /// The kind with the strictly highest positive score.
    pub fn winner(&self) -> Option<ItemKind> {
        let all = [
            (ItemKind::Problem, self.problem),
            (ItemKind::Requirement, self.requirement),
            (ItemKind::Other, self.other),
        ];
        let best = all.iter().map(|(_, s)| *s).max().unwrap_or(0);
        let mut top = all.iter().filter(|(_, s)| *s == best);
        match (top.next(), top.next()) {
            (Some((k, s)), None) if *s > 0 => Some(*k),
            _ => None,
        }
    }
}

/// Does `text` contain the cue (with `…` as a gap of at most 12 characters)?
fn has_cue(text: &str, cue: &str) -> bool {
    match cue.split_once('…') {
        None => text.contains(cue),
        Some((a, b)) => text.match_indices(a).take(64).any(|(i, _)| {
            let after: String = text.get(i + a.len()..).unwrap_or("").chars().take(12 + b.chars().count()).collect();
            after.contains(b)
        }),
    }
}

/// `要` as "must": after a subject or at a clause start, not inside 主要/重要/需要.
fn has_must(text: &str) -> bool {
    let mut prev: Option<char> = None;
    for c in text.chars() {
        if c == '要' && prev.is_none_or(|p| "们定须都也还就更点，,。；：".contains(p)) {
            return true;
        }
        prev = Some(c);
    }
    false
}

/// Score a lead-in (or a label, or a body) by its cues.
pub fn score_text(text: &str) -> Scores {
    let mut s = Scores::default();
    for (table, kind) in
        [(PROBLEM_CUES, ItemKind::Problem), (REQUIREMENT_CUES, ItemKind::Requirement), (OTHER_CUES, ItemKind::Other)]
    {
        for (cue, w) in table {
            if has_cue(text, cue) {
                s.add(kind, *w, cue);
            }
        }
    }
    if has_must(text) {
        s.add(ItemKind::Requirement, 1, "要");
    }
    s
}

/// What a single point says about itself, judging by its marker and label.
pub fn point_signal(item: &Item) -> Option<(ItemKind, &'static str)> {
    let label = item.label.as_str();
    if item.marker.style == Style::MustEnum || label.starts_with('要') {
        return Some((ItemKind::Requirement, "begins with 要"));
    }
    if IMPERATIVE_STARTS.iter().any(|v| label.starts_with(v)) {
        return Some((ItemKind::Requirement, "begins with an imperative verb"));
    }
    if DEFECT_WORDS.iter().any(|w| label.contains(w)) {
        return Some((ItemKind::Problem, "names a defect"));
    }
    if RESULT_WORDS.iter().any(|w| label.contains(w)) {
        return Some((ItemKind::Other, "reports a result"));
    }
    None
}

/// The sentence that introduces what follows: the last sentence of `text`
/// (and the one before it when the last is very short).
pub fn lead_sentence(text: &str) -> &str {
    let text = text.trim_end();
    let ends: Vec<usize> = text
        .char_indices()
        .filter(|(i, c)| "。！？；：!?;:".contains(*c) && i + c.len_utf8() < text.len())
        .map(|(i, c)| i + c.len_utf8())
        .collect();
    let mut it = ends.iter().rev();
    let last = it.next().copied().unwrap_or(0);
    let start =
        if text.get(last..).is_some_and(|s| s.chars().count() < 6) { it.next().copied().unwrap_or(0) } else { last };
    text.get(start..).unwrap_or(text)
}

fn kind_name(k: ItemKind) -> &'static str {
    match k {
        ItemKind::Problem => "problem",
        ItemKind::Requirement => "requirement",
        ItemKind::Other => "other",
    }
}

fn other_topic(label: &str) -> bool {
    OTHER_TOPICS.iter().any(|t| label.contains(t))
}

/// Classify every item under a container whose own text is `body`.
pub fn classify(body: &str, items: &mut [Item]) {
    classify_in(body, items, false);
}

/// `about_other`: the container is (inside) a heading about reasons or achievements.
fn classify_in(body: &str, items: &mut [Item], about_other: bool) {
    // Bottom up: children first.
    for it in items.iter_mut() {
        let own = it.body.clone();
        let ctx = about_other || other_topic(&it.label);
        classify_in(&own, &mut it.children, ctx);
    }
    // Runs: same style, ordinals rising.
    let mut start = 0;
    while start < items.len() {
        let mut end = start + 1;
        while let (Some(a), Some(b)) = (items.get(end - 1), items.get(end)) {
            if a.marker.style != b.marker.style || b.marker.ordinal <= a.marker.ordinal {
                break;
            }
            end += 1;
        }
        let lead = match items.get(start).and_then(|i| i.lead_in.as_deref()) {
            Some(l) => l.to_string(),
            None if start == 0 => body.to_string(),
            None => String::new(),
        };
        if let Some(run) = items.get_mut(start..end) {
            classify_run(lead_sentence(&lead), run, about_other);
        }
        start = end;
    }
}

const ABOUT_OTHER: &str = "under a heading about reasons or achievements";

fn is_problem_or_requirement(s: &Scores) -> bool {
    matches!(s.winner(), Some(ItemKind::Problem | ItemKind::Requirement))
}

fn classify_run(lead: &str, run: &mut [Item], about_other: bool) {
    let lead_scores = score_text(lead);
    let heading = run.first().is_some_and(|i| i.marker.style.is_heading());
    if heading {
        let decided: Vec<Option<(ItemKind, String)>> = run
            .iter()
            .map(|it| {
                let label = score_text(&it.label);
                if (about_other || other_topic(&it.label)) && !is_problem_or_requirement(&label) {
                    Some((ItemKind::Other, ABOUT_OTHER.to_string()))
                } else {
                    classify_heading(it, &lead_scores)
                }
            })
            .collect();
        // A heading with no cue of its own goes with its siblings if they agree.
        let mut agreed = decided.iter().flatten().map(|(k, _)| *k);
        let first = agreed.next();
        let siblings = first.filter(|k| agreed.all(|o| o == *k));
        for (it, d) in run.iter_mut().zip(decided) {
            (it.kind, it.why) = match (d, siblings) {
                (Some(d), _) => d,
                (None, Some(k)) => (k, "no cue of its own; its sibling headings agree".to_string()),
                (None, None) => (ItemKind::Other, "no problem or requirement cue".to_string()),
            };
        }
        return;
    }
    // Enumeration: one kind for the run.
    let n = run.len().max(1) as i32;
    let mut total = Scores::default();
    let mut points = Scores::default();
    for (kind, w) in [
        (ItemKind::Problem, lead_scores.problem),
        (ItemKind::Requirement, lead_scores.requirement),
        (ItemKind::Other, lead_scores.other),
    ] {
        total.add(kind, 2 * w, "");
    }
    for it in run.iter() {
        if let Some((k, why)) = point_signal(it) {
            points.add(k, 1, why);
        }
    }
    // Points weigh up to 6 together, in proportion to how many agree.
    total.problem += 6 * points.problem / n;
    total.requirement += 6 * points.requirement / n;
    total.other += 6 * points.other / n;
    if about_other && !is_problem_or_requirement(&lead_scores) {
        for it in run.iter_mut() {
            (it.kind, it.why) = (ItemKind::Other, ABOUT_OTHER.to_string());
        }
        return;
    }
    let winner = total.winner().or_else(|| lead_scores.winner());
    let (kind, why) = match winner {
        Some(k) => {
            let mut reasons = Vec::new();
            if !lead_scores.cues.is_empty() {
                reasons.push(format!("lead-in «{}» cues {}", short(lead), lead_scores.cues.join("/")));
            }
            let agreeing = match k {
                ItemKind::Problem => points.problem,
                ItemKind::Requirement => points.requirement,
                ItemKind::Other => points.other,
            };
            if agreeing > 0 {
                reasons.push(format!("{agreeing} of {n} points look like a {}", kind_name(k)));
            }
            (k, reasons.join("; "))
        }
        None => (ItemKind::Other, "no problem or requirement cue".to_string()),
    };
    for it in run.iter_mut() {
        it.kind = kind;
        it.why = why.clone();
    }
}

fn classify_heading(it: &Item, lead: &Scores) -> Option<(ItemKind, String)> {
    let problems = it.children.iter().filter(|c| c.kind == ItemKind::Problem).count();
    let requirements = it.children.iter().filter(|c| c.kind == ItemKind::Requirement).count();
    if problems != requirements {
        let k = if problems > requirements { ItemKind::Problem } else { ItemKind::Requirement };
        return Some((k, format!("children: {problems} problem(s), {requirements} requirement(s)")));
    }
    let label = score_text(&it.label);
    if let Some(k) = label.winner() {
        return Some((k, format!("label cues {}", label.cues.join("/"))));
    }
    if let Some((k, why)) = point_signal(it) {
        return Some((k, format!("label {why}")));
    }
    let body = score_text(&it.body);
    if let Some(k) = body.winner() {
        return Some((k, format!("body cues {}", body.cues.join("/"))));
    }
    lead.winner().map(|k| (k, format!("lead-in of its run cues {}", lead.cues.join("/"))))
}

fn short(s: &str) -> String {
    let n = s.chars().count();
    if n <= 30 { s.to_string() } else { format!("…{}", s.chars().skip(n - 30).collect::<String>()) }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::outline::parse_outline;

    fn kinds(text: &str) -> Vec<(String, ItemKind)> {
        parse_outline(text)
            .walk()
            .into_iter()
            .map(|(_, it)| (format!("{}{}", it.marker.text, it.label), it.kind))
            .collect()
    }

    fn all(text: &str) -> Vec<ItemKind> {
        kinds(text).into_iter().map(|(_, k)| k).collect()
    }

    #[test]
    fn lead_in_cue_existing_problems_makes_a_problem_list() {
        assert_eq!(all("当前主要存在以下问题。一是学习抓得松。二是调研走得少。"), vec![ItemKind::Problem; 2]);
        assert_eq!(all("具体表现在：一是学习。二是调研。"), vec![ItemKind::Problem; 2]);
    }

    #[test]
    fn lead_in_cue_i_give_opinions_makes_a_requirement_list() {
        assert_eq!(all("下面，我讲几点意见。一是学习。二是调研。"), vec![ItemKind::Requirement; 2]);
        assert_eq!(
            all("对这些问题，我们要高度重视，认真研究解决。一是学习。二是调研。"),
            vec![ItemKind::Requirement; 2]
        );
    }

    #[test]
    fn points_beginning_with_yao_are_requirements_without_any_lead_in() {
        assert_eq!(all("一要学习。二要调研。"), vec![ItemKind::Requirement; 2]);
        assert_eq!(all("一是要学习。二是要调研。"), vec![ItemKind::Requirement; 2]);
    }

    #[test]
    fn points_naming_defects_are_problems_without_any_lead_in() {
        assert_eq!(all("一是学习不深入。二是调研走过场。三是作风漂浮。"), vec![ItemKind::Problem; 3]);
    }

    #[test]
    fn achievements_and_reasons_are_other() {
        let text = "过去一年，党建工作取得了较好成绩，具体表现在3个方面。一是责任有效落实。二是学习扎实推进。三是基础全面夯实。";
        assert_eq!(all(text), vec![ItemKind::Other; 3]);
        assert_eq!(all("产生这些问题的原因主要有：一是思想上重视不够。二是制度上有漏洞。"), vec![ItemKind::Other; 2]);
    }

    #[test]
    fn structure_without_any_cue_is_other() {
        assert_eq!(all("责任主体有三个。第一个是党组。第二个是机关党委。"), vec![ItemKind::Other; 2]);
    }

    #[test]
    fn two_runs_in_one_paragraph_are_classified_separately() {
        let text = "主要表现是：一是不想管。二是不愿管。为此，我们要标本兼治。一是要落实责任。二是要强化监督。";
        assert_eq!(all(text), vec![ItemKind::Problem, ItemKind::Problem, ItemKind::Requirement, ItemKind::Requirement]);
    }

    #[test]
    fn heading_follows_its_children() {
        let text = "一、存在的问题\n（一）学习不深入\n（二）作风不扎实\n二、下一步工作\n（一）加强学习\n（二）改进作风";
        assert_eq!(
            all(text),
            vec![
                ItemKind::Problem,
                ItemKind::Problem,
                ItemKind::Problem,
                ItemKind::Requirement,
                ItemKind::Requirement,
                ItemKind::Requirement
            ]
        );
    }

    #[test]
    fn heading_without_children_follows_its_label_then_its_body() {
        let text = "一、深刻检视当前问题\n我们的工作仍有不小差距。\n二、关于下一步\n必须抓好落实，一定要做到务必。";
        assert_eq!(all(text), vec![ItemKind::Problem, ItemKind::Requirement]);
    }

    #[test]
    fn heading_that_resolves_a_problem_is_a_requirement() {
        assert_eq!(score_text("聚力解决党支部组织功能弱化问题").winner(), Some(ItemKind::Requirement));
    }

    #[test]
    fn yao_inside_words_is_not_must() {
        assert!(!has_must("主要存在以下问题，重要的是需要"));
        assert!(has_must("我们要抓好"));
        assert!(has_must("对此，要抓好"));
    }

    #[test]
    fn gap_cues_match_within_a_few_characters() {
        assert!(has_cue("存在层层递减的问题", "存在…问题"));
        assert!(!has_cue("存在于工作的方方面面，我们要在今后的工作中逐步解决这些问题", "存在…问题"));
    }

    #[test]
    fn lead_sentence_is_the_last_sentence() {
        assert_eq!(lead_sentence("今天开会。主要存在以下问题。"), "主要存在以下问题。");
        assert_eq!(lead_sentence("今天开会。问题是："), "今天开会。问题是：");
        assert_eq!(lead_sentence("今天开会，讲几点。主要是："), "今天开会，讲几点。主要是：");
        assert_eq!(lead_sentence(""), "");
    }

    #[test]
    fn why_names_the_rule() {
        let o = parse_outline("主要存在以下问题。一是学习不深入。二是作风不扎实。");
        assert!(o.items[0].why.contains("存在…问题"), "{}", o.items[0].why);
        assert!(o.items[0].why.contains("2 of 2 points"), "{}", o.items[0].why);
    }
}
