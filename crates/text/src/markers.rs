//! Recognising the numbering of Chinese official writing.
//!
//! Two kinds of marker:
//! - **headings**, which open a paragraph: `一、` > `第一，` > `（一）` > `1.` > `（1）`
//!   (GB/T 9704 order, with `第一，` slotted under `一、` where both occur);
//! - **enumerators**, which may also run inline, several to a paragraph:
//!   `一是…二是…`, `一要…二要…`, `首先…其次…最后`, `第一个是…`, `①…②…`.
//!   An enumerator only counts inside an ordinal sequence (see
//!   [`crate::outline`]), so `唯一是`, `一是一，二是二` or a lone `首先` stay text.
//!
//! Everything here works on `&str` with byte offsets that are always char
//! boundaries; nothing indexes blindly.

use serde::Serialize;

/// The family a marker belongs to. Headings have a fixed depth
/// ([`Style::rank`]); enumerations all share the deepest rank and nest by
/// order of appearance.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Style {
    /// `一、`
    ChineseComma,
    /// `第一，` opening a paragraph
    Ordinal,
    /// `（一）`
    ChineseParen,
    /// `1.` `1、` `1．`
    ArabicDot,
    /// `（1）` `(1)`
    ArabicParen,
    /// `①`
    Circled,
    /// `一是` (also `一是要`)
    IsEnum,
    /// `一要`
    MustEnum,
    /// `首先` `其次` `再次` `最后`
    Sequence,
    /// `第一个是`, `第一，` inside a paragraph
    OrdinalInline,
}

impl Style {
    /// Depth of a heading style; every enumeration style is 6.
    pub fn rank(self) -> u8 {
        match self {
            Style::ChineseComma => 1,
            Style::Ordinal => 2,
            Style::ChineseParen => 3,
            Style::ArabicDot => 4,
            Style::ArabicParen => 5,
            _ => 6,
        }
    }

    /// Headings are accepted on their own; enumerations need a sequence.
    pub fn is_heading(self) -> bool {
        self.rank() < 6
    }
}

/// `最后` closes a `首先…其次` sequence whatever its length.
pub const LAST: u32 = 1000;

/// A recognised marker: its family, its number and the text it was written as.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Marker {
    pub style: Style,
    pub ordinal: u32,
    pub text: String,
}

/// A marker found at `start..end` (byte offsets) of a paragraph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Found {
    pub marker: Marker,
    pub start: usize,
    pub end: usize,
}

/// Value of a Chinese numeral from 1 to 99 at the start of `s`, and its
/// byte length: `一` `十` `十二` `二十` `二十三`.
pub fn cn_number(s: &str) -> Option<(u32, usize)> {
    let digit = |c: char| "一二三四五六七八九".find(c).map(|i| (i / 3) as u32 + 1);
    let mut chars = s.chars();
    let a = chars.next()?;
    let b = chars.next();
    let c = chars.next();
    let w = |ch: char| ch.len_utf8();
    match (digit(a), a == '十') {
        (Some(x), _) => match b {
            Some('十') => match c.and_then(digit) {
                Some(z) => Some((x * 10 + z, w(a) + w('十') + c.map_or(0, w))),
                None => Some((x * 10, w(a) + w('十'))),
            },
            _ => Some((x, w(a))),
        },
        (None, true) => match b.and_then(digit) {
            Some(y) => Some((10 + y, w(a) + b.map_or(0, w))),
            None => Some((10, w(a))),
        },
        _ => None,
    }
}

/// Value of 1–3 ASCII or full-width digits at the start of `s`.
fn arabic_number(s: &str) -> Option<(u32, usize)> {
    let mut value = 0u32;
    let mut len = 0usize;
    for (n, c) in s.chars().enumerate() {
        let d = match c {
            '0'..='9' => c as u32 - '0' as u32,
            '０'..='９' => c as u32 - '０' as u32,
            _ => break,
        };
        if n >= 3 {
            return None;
        }
        value = value * 10 + d;
        len += c.len_utf8();
    }
    (len > 0 && value > 0).then_some((value, len))
}

fn circled(c: char) -> Option<u32> {
    let v = c as u32;
    (0x2460..=0x2473).contains(&v).then(|| v - 0x2460 + 1)
}

fn first_char(s: &str) -> Option<char> {
    s.chars().next()
}

/// `s` starts with one of `chars`; returns that char's byte length.
fn starts_with_any(s: &str, chars: &str) -> Option<usize> {
    first_char(s).filter(|c| chars.contains(*c)).map(char::len_utf8)
}

fn found(style: Style, ordinal: u32, text: &str, start: usize, len: usize) -> Option<Found> {
    let body = text.get(start..start + len)?;
    Some(Found { marker: Marker { style, ordinal, text: body.to_string() }, start, end: start + len })
}

/// A heading marker at the very start of a (trimmed) paragraph.
pub fn heading_at_start(p: &str) -> Option<Found> {
    // 一、  一．
    if let Some((n, len)) = cn_number(p) {
        let rest = p.get(len..)?;
        if let Some(l) = starts_with_any(rest, "、．.") {
            return found(Style::ChineseComma, n, p, 0, len + l);
        }
    }
    // 第一，  第一、  第一：  第一是   (but not 第一时间, 第一书记)
    if let Some(rest) = p.strip_prefix('第') {
        let (n, len) = cn_number(rest)?;
        let after = rest.get(len..)?;
        if after.starts_with("个是") {
            return None; // 第一个是: an inline-style enumerator, see below
        }
        if let Some(l) = starts_with_any(after, "，,、：:是") {
            return found(Style::Ordinal, n, p, 0, '第'.len_utf8() + len + l);
        }
        return None;
    }
    // （一）  (一)  （1）  (1)
    if let Some(open) = starts_with_any(p, "（(") {
        let rest = p.get(open..)?;
        let (style, (n, len)) = match cn_number(rest) {
            Some(v) => (Style::ChineseParen, v),
            None => (Style::ArabicParen, arabic_number(rest)?),
        };
        let close = starts_with_any(rest.get(len..)?, "）)")?;
        return found(style, n, p, 0, open + len + close);
    }
    // 1.  1、  1．   (but not 1.5亿, 2021.3)
    if let Some((n, len)) = arabic_number(p) {
        let rest = p.get(len..)?;
        let l = starts_with_any(rest, ".．、")?;
        let after = rest.get(l..)?;
        if first_char(after).is_none_or(|c| c.is_ascii_digit() || c.is_whitespace() && after.trim().is_empty()) {
            return None;
        }
        return found(Style::ArabicDot, n, p, 0, len + l);
    }
    None
}

/// Characters after which an inline enumerator may start.
const LOOSE_BOUNDARY: &str = "。；;：:！？!?，,、”\"）)】 \t\u{3000}";
/// Stricter boundary for words that are also ordinary adverbs (`最后`, `首先`).
const STRICT_BOUNDARY: &str = "。；;：:！？!?\u{3000}";

/// An enumerator starting at byte `at` of `p` (a char boundary), whatever
/// precedes it. `at_start` says whether this is the paragraph's beginning,
/// which counts as a boundary.
pub fn enumerator_at(p: &str, at: usize, prev: Option<char>) -> Option<Found> {
    let s = p.get(at..)?;
    let c0 = first_char(s)?;
    let loose = prev.is_none_or(|c| LOOSE_BOUNDARY.contains(c));
    let strict = prev.is_none_or(|c| STRICT_BOUNDARY.contains(c));
    if let Some(n) = circled(c0) {
        return found(Style::Circled, n, p, at, c0.len_utf8());
    }
    if loose && let Some((n, len)) = cn_number(s) {
        let rest = s.get(len..)?;
        let style = match first_char(rest)? {
            '是' => Style::IsEnum,
            '要' => Style::MustEnum,
            _ => return None,
        };
        let after = rest.get('是'.len_utf8()..)?; // 是 and 要 are both 3 bytes
        // 一是一，二是二 states a principle; it is not an enumeration
        // (一是一把手… still is one)
        if let Some(again) = after.strip_prefix(s.get(..len)?)
            && first_char(again).is_none_or(|c| "，,、。；;".contains(c))
        {
            return None;
        }
        return found(style, n, p, at, len + '是'.len_utf8());
    }
    if !strict {
        return None;
    }
    for (word, n) in [("首先", 1), ("其次", 2), ("再次", 3), ("最后", LAST)] {
        if s.starts_with(word) {
            let after = s.get(word.len()..)?;
            // 最后一公里, 首先是… are fine; 最后的 / 其次的 are not enumerators
            if after.starts_with('的') {
                return None;
            }
            return found(Style::Sequence, n, p, at, word.len());
        }
    }
    if let Some(rest) = s.strip_prefix('第') {
        let (n, len) = cn_number(rest)?;
        let after = rest.get(len..)?;
        let l = if after.starts_with("个是") { "个是".len() } else { starts_with_any(after, "，,、是")? };
        return found(Style::OrdinalInline, n, p, at, '第'.len_utf8() + len + l);
    }
    None
}

/// Every enumerator candidate in `p` from byte `from` on, in order and not
/// overlapping. Candidates still need the sequence check.
pub fn enumerators(p: &str, from: usize) -> Vec<Found> {
    let mut out = Vec::new();
    let mut prev: Option<char> = if from == 0 { None } else { p.get(..from).and_then(|h| h.chars().next_back()) };
    let mut skip_to = from;
    let Some(tail) = p.get(from..) else { return out };
    for (i, c) in tail.char_indices() {
        let at = from + i;
        if at >= skip_to
            && let Some(f) = enumerator_at(p, at, prev)
        {
            skip_to = f.end;
            out.push(f);
        }
        prev = Some(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn heading(p: &str) -> Option<(Style, u32, String)> {
        heading_at_start(p).map(|f| (f.marker.style, f.marker.ordinal, f.marker.text))
    }

    fn inline(p: &str) -> Vec<(Style, u32)> {
        enumerators(p, 0).into_iter().map(|f| (f.marker.style, f.marker.ordinal)).collect()
    }

    #[test]
    fn chinese_numerals_up_to_ninety_nine() {
        assert_eq!(cn_number("一是"), Some((1, 3)));
        assert_eq!(cn_number("十是"), Some((10, 3)));
        assert_eq!(cn_number("十二要"), Some((12, 6)));
        assert_eq!(cn_number("二十、"), Some((20, 6)));
        assert_eq!(cn_number("三十五"), Some((35, 9)));
        assert_eq!(cn_number("是"), None);
        assert_eq!(cn_number(""), None);
    }

    #[test]
    fn heading_levels_of_official_writing() {
        assert_eq!(heading("一、总体要求"), Some((Style::ChineseComma, 1, "一、".into())));
        assert_eq!(heading("第三，“实”字为本"), Some((Style::Ordinal, 3, "第三，".into())));
        assert_eq!(heading("（二）加强学习"), Some((Style::ChineseParen, 2, "（二）".into())));
        assert_eq!(heading("(二)加强学习"), Some((Style::ChineseParen, 2, "(二)".into())));
        assert_eq!(heading("3.压实责任"), Some((Style::ArabicDot, 3, "3.".into())));
        assert_eq!(heading("12、压实责任"), Some((Style::ArabicDot, 12, "12、".into())));
        assert_eq!(heading("（4）建立台账"), Some((Style::ArabicParen, 4, "（4）".into())));
    }

    #[test]
    fn heading_false_positives_are_text() {
        assert_eq!(heading("第一时间赶到现场"), None);
        assert_eq!(heading("第一书记要带头"), None);
        assert_eq!(heading("1.5亿元资金已到位"), None);
        assert_eq!(heading("2021.3月"), None);
        assert_eq!(heading("1. "), None);
        assert_eq!(heading("统一思想"), None);
        assert_eq!(heading("（2021）12号文件"), None, "four digits are a year, not a number");
    }

    #[test]
    fn inline_enumerators_need_a_boundary_before_them() {
        assert_eq!(inline("主要有：一是学习不深。二是作风不实"), vec![(Style::IsEnum, 1), (Style::IsEnum, 2)]);
        assert_eq!(inline("这是唯一是非判断"), vec![]);
        assert_eq!(inline("这是原因之一是肯定的"), vec![]);
        assert_eq!(inline("坚持统一要求"), vec![]);
        assert_eq!(inline("一要学习，二要实践"), vec![(Style::MustEnum, 1), (Style::MustEnum, 2)]);
    }

    #[test]
    fn principle_one_is_one_is_not_an_enumerator() {
        assert_eq!(inline("做到：一是一，二是二"), vec![]);
        assert_eq!(inline("。一是一把手带头。二是班子成员"), vec![(Style::IsEnum, 1), (Style::IsEnum, 2)]);
    }

    #[test]
    fn sequence_words_need_a_sentence_boundary() {
        assert_eq!(
            inline("首先，要学习。其次，要实践。最后，要总结。"),
            vec![(Style::Sequence, 1), (Style::Sequence, 2), (Style::Sequence, LAST)]
        );
        assert_eq!(inline("打通“最后一公里”，最后形成合力"), vec![]);
        assert_eq!(inline("。最后的结果"), vec![]);
    }

    #[test]
    fn ordinal_inline_and_circled() {
        assert_eq!(
            inline("主要有三个。第一个是局党组。第二个是机关党委"),
            vec![(Style::OrdinalInline, 1), (Style::OrdinalInline, 2)]
        );
        assert_eq!(inline("包括①学习②实践"), vec![(Style::Circled, 1), (Style::Circled, 2)]);
        assert_eq!(inline("。第一时间报告"), vec![]);
    }
}
