//! Importing a problem list typed by an office: names in the sheet are
//! matched to the tree, and a name that does not match gets a suggestion
//! ("did you mean 生态环境局?"), including the old names that the 2018
//! institutional reform replaced (环保局 → 生态环境局).

use crate::msg::Msg;
use serde::Serialize;
use std::collections::BTreeSet;
use uuid::Uuid;

/// Old department names still typed in spreadsheets, and today's.
const RENAMED: &[(&str, &str)] = &[
    ("环保", "生态环境"),
    ("环境保护", "生态环境"),
    ("国土资源", "自然资源"),
    ("国土", "自然资源"),
    ("规划", "自然资源"),
    ("卫计", "卫生健康"),
    ("卫生计生", "卫生健康"),
    ("计生", "卫生健康"),
    ("安监", "应急管理"),
    ("安全生产监督管理", "应急管理"),
    ("工商", "市场监督管理"),
    ("质监", "市场监督管理"),
    ("食药监", "市场监督管理"),
    ("市场监管", "市场监督管理"),
    ("农业局", "农业农村局"),
    ("纪委", "纪律检查委员会"),
];

/// Words that carry no identity ("中共", "委员会", the city's name…).
const NOISE: &[&str] = &["中国共产党", "中共", "委员会", "党组", "机关", "党委"];

/// A unit as the matcher sees it.
#[derive(Debug, Clone)]
pub struct UnitName {
    pub id: Uuid,
    pub name: String,
    pub short_name: Option<String>,
}

fn normalise(s: &str, place: &str) -> String {
    let mut s: String = s.chars().filter(|c| !c.is_whitespace() && !"（）()·、".contains(*c)).collect();
    for (old, new) in RENAMED {
        if s.contains(old) && !s.contains(new) {
            s = s.replace(old, new);
        }
    }
    for n in NOISE {
        s = s.replace(n, "");
    }
    if !place.is_empty() {
        s = s.replace(place, "");
    }
    s.trim_start_matches('市').to_string()
}

fn bigrams(s: &str) -> BTreeSet<(char, char)> {
    let c: Vec<char> = s.chars().collect();
    c.windows(2).map(|w| (w[0], w[1])).collect()
}

/// Dice similarity of character bigrams, 0..=1.
pub fn similarity(a: &str, b: &str) -> f64 {
    let (x, y) = (bigrams(a), bigrams(b));
    if x.is_empty() || y.is_empty() {
        return if a == b && !a.is_empty() { 1.0 } else { 0.0 };
    }
    2.0 * x.intersection(&y).count() as f64 / (x.len() + y.len()) as f64
}

/// How a typed unit name resolved.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub enum Resolved {
    Found(Uuid),
    /// Not found; the closest unit's name if any is close enough.
    Unknown { suggestion: Option<String> },
    /// Several units fit equally well.
    Ambiguous(Vec<String>),
}

/// Matches `typed` against `units`: full name, short name, then the
/// normalised forms (old names replaced, noise words and `place` — the
/// city's name, e.g. "安澜" — dropped).
pub fn resolve_unit(typed: &str, units: &[UnitName], place: &str) -> Resolved {
    let t = typed.trim();
    if t.is_empty() {
        return Resolved::Unknown { suggestion: None };
    }
    let exact: Vec<&UnitName> =
        units.iter().filter(|u| u.name == t || u.short_name.as_deref() == Some(t)).collect();
    if exact.len() == 1 {
        return Resolved::Found(exact[0].id);
    }
    let nt = normalise(t, place);
    let norm: Vec<&UnitName> = units
        .iter()
        .filter(|u| {
            normalise(&u.name, place) == nt || u.short_name.as_deref().is_some_and(|s| normalise(s, place) == nt)
        })
        .collect();
    match norm.len() {
        1 if exact.is_empty() && normalise(t, "") == normalise(t, place) && t.chars().count() > 3 => {
            // The typed name differs only by noise words: accept it.
            return Resolved::Found(norm[0].id);
        }
        1 if exact.is_empty() && t.contains(place) && !place.is_empty() => return Resolved::Found(norm[0].id),
        n if n > 1 || exact.len() > 1 => {
            let mut names: Vec<String> = norm.iter().chain(exact.iter()).map(|u| u.name.clone()).collect();
            names.sort();
            names.dedup();
            return Resolved::Ambiguous(names);
        }
        _ => {}
    }
    let best = units
        .iter()
        .map(|u| {
            let s = similarity(&nt, &normalise(&u.name, place))
                .max(u.short_name.as_deref().map_or(0.0, |s| similarity(&nt, &normalise(s, place))));
            (s, u)
        })
        .max_by(|a, b| a.0.total_cmp(&b.0));
    Resolved::Unknown {
        suggestion: best.filter(|(s, _)| *s >= 0.4).map(|(_, u)| u.short_name.clone().unwrap_or_else(|| u.name.clone())),
    }
}

/// The message for a name that did not resolve, e.g.
/// `责任单位“环保局”不存在，是否为“市生态环境局”？`
pub fn unknown_unit_msg(column: &str, typed: &str, r: &Resolved) -> Msg {
    match r {
        Resolved::Unknown { suggestion: Some(s) } => Msg::owned(
            format!("{column}“{typed}”不存在，是否为“{s}”？"),
            format!("{column} `{typed}` not found — did you mean {s}?"),
        ),
        Resolved::Ambiguous(names) => Msg::owned(
            format!("{column}“{typed}”对应多个单位：{}，请写全称", names.join("、")),
            format!("{column} `{typed}` matches several units: {}; use the full name", names.join(", ")),
        ),
        _ => Msg::owned(format!("{column}“{typed}”不存在"), format!("{column} `{typed}` not found")),
    }
}

/// One problem of an import, with the spreadsheet row it came from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RowError {
    /// The row number as Excel shows it.
    pub row: u32,
    pub column: String,
    pub msg: Msg,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn units() -> Vec<UnitName> {
        vec![
            UnitName { id: Uuid::from_u128(1), name: "中共安澜市生态环境局党组".into(), short_name: Some("市生态环境局".into()) },
            UnitName { id: Uuid::from_u128(2), name: "中共安澜市公安局委员会".into(), short_name: Some("市公安局".into()) },
            UnitName { id: Uuid::from_u128(3), name: "中共丰林县委员会".into(), short_name: Some("丰林县委".into()) },
            UnitName { id: Uuid::from_u128(4), name: "办公室党支部".into(), short_name: None },
            UnitName { id: Uuid::from_u128(5), name: "办公室党支部".into(), short_name: None },
        ]
    }

    #[test]
    fn full_and_short_names_resolve() {
        assert_eq!(resolve_unit("市公安局", &units(), "安澜"), Resolved::Found(Uuid::from_u128(2)));
        assert_eq!(resolve_unit(" 中共丰林县委员会 ", &units(), "安澜"), Resolved::Found(Uuid::from_u128(3)));
        assert_eq!(resolve_unit("安澜市生态环境局", &units(), "安澜"), Resolved::Found(Uuid::from_u128(1)));
    }

    #[test]
    fn an_old_name_gets_the_new_one_suggested() {
        let r = resolve_unit("环保局", &units(), "安澜");
        assert_eq!(r, Resolved::Unknown { suggestion: Some("市生态环境局".into()) });
        let m = unknown_unit_msg("责任单位", "环保局", &r);
        assert_eq!(m.zh, "责任单位“环保局”不存在，是否为“市生态环境局”？");
    }

    #[test]
    fn nothing_close_means_no_suggestion_and_duplicates_are_ambiguous() {
        assert_eq!(resolve_unit("财政局", &units(), "安澜"), Resolved::Unknown { suggestion: None });
        assert!(matches!(resolve_unit("办公室党支部", &units(), "安澜"), Resolved::Ambiguous(_)));
    }
}
