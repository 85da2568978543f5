//! Chinese tokenising for near-duplicate detection and search.
//!
//! [`tokenize`] turns a report into the words that carry its facts:
//! 1. [`normalise`]: full-width ASCII forms (`ＡＢＣ１２３，`) become their
//!    half-width forms, the ideographic space a space, Latin is lowercased;
//! 2. the text is split into runs: Han runs are cut into words by jieba
//!    (its embedded dictionary, HMM on for unknown names), digit runs become
//!    one token together with a following unit (`2023年`, `50万元`,
//!    `5.8万元`, `30%`), Latin/digit runs one token each; everything else
//!    (punctuation, whitespace, symbols) separates tokens and is dropped;
//! 3. a surname cut off from its `某某` is glued back (`张` `某某` →
//!    `张某某`), the way 信访 letters anonymise people;
//! 4. [`STOP_WORDS`] and single characters that are not numbers are dropped.
//!
//! jieba builds its dictionary once per process (about 0.4 s in a release
//! build); [`warm_up`] lets a server pay that at start rather than on the
//! first request.

use std::sync::LazyLock;

use jieba_rs::Jieba;

use crate::clean::is_han;

static JIEBA: LazyLock<Jieba> = LazyLock::new(|| {
    let mut jieba = Jieba::new();
    for word in DOMAIN_WORDS {
        jieba.add_word(word, None, None);
    }
    jieba
});

/// Words of 信访 and government writing that jieba's general dictionary
/// cuts apart (`住建局` → `住` `建局`). Changing this list changes
/// fingerprints: bump [`crate::fingerprint::SCHEME_VERSION`].
pub const DOMAIN_WORDS: &[&str] = &[
    "住建局",
    "发改委",
    "发改局",
    "人社局",
    "卫健委",
    "卫健局",
    "市监局",
    "自然资源局",
    "农业农村局",
    "交通运输局",
    "生态环境局",
    "应急管理局",
    "医保局",
    "城管局",
    "纪委监委",
    "派驻纪检组",
    "村支书",
    "村两委",
    "一把手",
    "好处费",
    "吃空饷",
    "八项规定",
    "公车私用",
    "违规吃喝",
    "套取资金",
    "虚报冒领",
    "优亲厚友",
    "低保户",
];

/// Build jieba's dictionary now (it is otherwise built on first use).
pub fn warm_up() {
    LazyLock::force(&JIEBA);
}

/// Function words that say nothing about a report's facts. Kept short and
/// explicit on purpose: words such as 问题, 反映 or 举报 are frequent in
/// reports but are left in — the shingles around them still help tell
/// reports apart, and [`crate::fingerprint`]'s similarity does not weight
/// words. Single characters are dropped anyway (see [`tokenize`]), so the
/// single-character entries here only document intent.
pub const STOP_WORDS: &[&str] = &[
    // particles, conjunctions, prepositions
    "的", "了", "和", "是", "在", "也", "就", "都", "而", "及", "与", "着", "或", "等", "对", "把", "被", "这", "那",
    "有", "为", "以", "于", "之", "其", "从", "向", "将", "并", "且", "但", "又", "还", "则", "即", "给", "让", "由",
    // pronouns and demonstratives
    "我", "你", "他", "她", "它", "们", "该", "此", "我们", "你们", "他们", "她们", "其中", "这个", "那个", "这些",
    "那些", "这样", "那样", "本人", "自己", "以及", "并且", "而且", "但是", "因为", "所以", "如果", "虽然", "或者",
    "对于", "关于", "通过", "进行", "一个", "一些", "已经", "曾经", "目前", "现在", "然后", "同时", "其他", "另外",
    "此外", "还有", "就是", "并且", "以来", "之后", "之前", "期间", "当时", "相关", "有关", "等等",
];

/// Units that stay glued to the number before them, longest first where
/// one is a prefix of another.
const UNITS: &[&str] = &[
    "余万元",
    "多万元",
    "万余元",
    "余亿元",
    "多亿元",
    "平方米",
    "万元",
    "亿元",
    "千元",
    "百元",
    "美元",
    "余元",
    "多元",
    "余万",
    "多万",
    "余人",
    "多人",
    "余次",
    "多次",
    "余名",
    "多名",
    "余套",
    "多套",
    "余亩",
    "多亩",
    "余个",
    "多个",
    "年",
    "月",
    "日",
    "号",
    "时",
    "元",
    "万",
    "亿",
    "千",
    "%",
    "‰",
    "人",
    "名",
    "次",
    "套",
    "亩",
    "个",
    "辆",
    "处",
    "笔",
    "份",
    "天",
    "岁",
    "层",
    "户",
    "栋",
    "间",
    "吨",
    "米",
    "公里",
    "倍",
    "项",
    "家",
    "位",
    "张",
    "批",
    "条",
];

/// Full-width ASCII forms to half-width, the ideographic space to a space,
/// Latin to lowercase. Everything else is left as it is.
pub fn normalise(text: &str) -> String {
    text.chars().map(normalise_char).collect()
}

fn normalise_char(c: char) -> char {
    let c = match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        0x3000 => ' ',
        _ => c,
    };
    c.to_ascii_lowercase()
}

/// A word that pins a report's facts: a number (with its unit) or an
/// anonymised name (`张某某`, `李某`). [`crate::fingerprint`] weights them.
pub fn is_entity(token: &str) -> bool {
    token.starts_with(|c: char| c.is_ascii_digit()) || (token.ends_with('某') && token.chars().count() >= 2)
}

fn is_stop_word(word: &str) -> bool {
    STOP_WORDS.contains(&word)
}

/// The words of a text that carry its facts, in order (see the module doc).
/// Total: any input, including empty or binary-looking text, gives a
/// (possibly empty) list.
pub fn tokenize(text: &str) -> Vec<String> {
    tokenize_spans(text, Mode::Precise).into_iter().map(|s| s.text).collect()
}

/// How Han runs are cut into words, and whether single characters stay.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    /// jieba's precise cut, one reading of the text, single characters
    /// dropped: what [`tokenize`] and the fingerprints use.
    Precise,
    /// The precise cut with single characters kept (stop words still
    /// dropped): what a full-text query is cut into, so that `购物卡`
    /// (cut `购物` `卡`) asks for both.
    Query,
    /// jieba's search cut with single characters kept: the precise words
    /// plus the dictionary words inside longer ones (`好处费` → `好处`,
    /// `好处费`), for a full-text index, so that a query for a shorter
    /// word finds the longer one.
    Index,
}

/// A word with where it stands in the original (not normalised) text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Span {
    /// The normalised word, as [`tokenize`] gives it.
    pub text: String,
    /// Byte offsets into the text given to [`tokenize_spans`].
    pub start: usize,
    pub end: usize,
}

/// [`tokenize`] with byte offsets into `text`, in any [`Mode`]. The words
/// of `Mode::Precise` are exactly those of [`tokenize`]; `Mode::Index`
/// spans come in order of start (then end), the others in text order.
pub fn tokenize_spans(text: &str, mode: Mode) -> Vec<Span> {
    // normalise_char maps one char to one char, possibly of another UTF-8
    // length: remember where each normalised byte came from.
    let mut norm = String::with_capacity(text.len());
    let mut origin = Vec::with_capacity(text.len() + 1);
    for (at, c) in text.char_indices() {
        let n = normalise_char(c);
        origin.extend(std::iter::repeat_n(at, n.len_utf8()));
        norm.push(n);
    }
    origin.push(text.len());
    let raw = raw_tokens(&norm, mode);
    let mut spans: Vec<Span> = glue_anonymised_names(raw)
        .into_iter()
        .filter(|t| keep(&t.text, mode))
        .map(|t| Span { text: t.text, start: origin[t.start], end: origin[t.end] })
        .collect();
    if mode == Mode::Index {
        // jieba's search cut gives the words inside a long word before it;
        // consumers (tantivy's snippets) want spans in order of start.
        spans.sort_by_key(|s| (s.start, s.end));
    }
    spans
}

fn keep(token: &str, mode: Mode) -> bool {
    if token.starts_with(|c: char| c.is_ascii_digit()) {
        return true;
    }
    (mode != Mode::Precise || token.chars().nth(1).is_some()) && !is_stop_word(token)
}

/// Tokens before filtering, with byte offsets into `text`: jieba words for
/// Han runs, numbers with their unit, Latin/digit words; separators dropped.
fn raw_tokens(text: &str, mode: Mode) -> Vec<Span> {
    let mut out = Vec::new();
    let mut at = 0;
    while let Some(c) = text[at..].chars().next() {
        let rest = &text[at..];
        if is_han(c) {
            let end = rest.find(|c: char| !is_han(c)).unwrap_or(rest.len());
            let run = &rest[..end];
            let words = match mode {
                Mode::Precise | Mode::Query => JIEBA.cut(run, true),
                Mode::Index => JIEBA.cut_for_search(run, true),
            };
            out.extend(words.into_iter().map(|t| Span {
                text: t.word.to_string(),
                start: at + t.byte_start,
                end: at + t.byte_end,
            }));
            at += end;
        } else if c.is_ascii_digit() {
            let (token, used) = number_with_unit(rest);
            out.push(Span { text: token, start: at, end: at + used });
            at += used;
            // A unit eaten into a Han run leaves the rest of the run to jieba.
        } else if c.is_ascii_alphabetic() {
            let end = rest.find(|c: char| !c.is_ascii_alphanumeric()).unwrap_or(rest.len());
            out.push(Span { text: rest[..end].to_string(), start: at, end: at + end });
            at += end;
        } else {
            at += c.len_utf8();
        }
    }
    out
}

/// `s` starts with an ASCII digit. Returns the number (thousands commas
/// dropped, one decimal point kept) with a following unit, and the bytes
/// consumed.
fn number_with_unit(s: &str) -> (String, usize) {
    let bytes = s.as_bytes();
    let mut token = String::new();
    let mut i = 0;
    let mut seen_point = false;
    while i < bytes.len() {
        let b = bytes[i];
        let next_is_digit = bytes.get(i + 1).is_some_and(u8::is_ascii_digit);
        if b.is_ascii_digit() {
            token.push(b as char);
        } else if b == b',' && next_is_digit {
            // 1,000,000 → 1000000
        } else if b == b'.' && next_is_digit && !seen_point {
            seen_point = true;
            token.push('.');
        } else {
            break;
        }
        i += 1;
    }
    let rest = &s[i..];
    if let Some(unit) = UNITS.iter().find(|u| rest.starts_with(**u)) {
        token.push_str(unit);
        i += unit.len();
    }
    (token, i)
}

/// `张` `某某` → `张某某`; `李` `某` → `李某`: the surname alone would be
/// dropped as a single character, and the anonymised name is how a report
/// names its subject.
fn glue_anonymised_names(tokens: Vec<Span>) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::with_capacity(tokens.len());
    for t in tokens {
        let is_mou = !t.text.is_empty() && t.text.chars().all(|c| c == '某') && t.text.chars().count() <= 2;
        if is_mou
            && let Some(prev) = out.last_mut()
            && prev.text.chars().count() == 1
            && prev.text.chars().all(is_han)
            && !is_stop_word(&prev.text)
        {
            prev.text.push_str(&t.text);
            prev.end = t.end;
            continue;
        }
        out.push(t);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn full_width_forms_become_half_width_and_latin_lowercase() {
        assert_eq!(normalise("ＡＢＣ１２３，ｋｔｖ\u{3000}Ｘ"), "abc123,ktv x");
        assert_eq!(tokenize("在ＫＴＶ消费５０万元"), ["ktv", "消费", "50万元"]);
    }

    #[test]
    fn numbers_keep_their_unit() {
        assert_eq!(
            tokenize("2023年3月15日收受好处费50万元，另有5.8万元和1,200元，占30%。"),
            ["2023年", "3月", "15日", "收受", "好处费", "50万元", "另有", "5.8万元", "1200元", "30%"]
        );
        assert_eq!(tokenize("共计20余万元"), ["共计", "20余万元"]);
        assert_eq!(tokenize("编号12388"), ["编号", "12388"]);
    }

    #[test]
    fn anonymised_names_are_one_word() {
        assert_eq!(tokenize("副局长张某某和李某"), ["副局长", "张某某", "李某"]);
        assert!(is_entity("张某某") && is_entity("2023年") && !is_entity("某县") && !is_entity("好处费"));
    }

    #[test]
    fn spans_point_into_the_original_text() {
        let text = "副局长张某某收受ＫＴＶ购物卡５０万元";
        let spans = tokenize_spans(text, Mode::Precise);
        let words: Vec<&str> = spans.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(words, tokenize(text));
        let originals: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(originals, ["副局长", "张某某", "收受", "ＫＴＶ", "购物", "５０万元"]);
        let cut = |t: &str, mode| tokenize_spans(t, mode).into_iter().map(|s| s.text).collect::<Vec<_>>();
        assert_eq!(cut("购物卡", Mode::Query), ["购物", "卡"]);
        assert_eq!(cut("违规收受的购物卡", Mode::Index), ["违规", "收受", "购物", "卡"]);
        assert_eq!(cut("好处费", Mode::Index), ["好处", "好处费"]);
        assert_eq!(cut("好处费", Mode::Query), ["好处费"]);
    }

    #[test]
    fn domain_words_are_not_cut_apart() {
        assert_eq!(tokenize("住建局局长"), ["住建局", "局长"]);
    }

    #[test]
    fn stop_words_punctuation_and_single_characters_are_dropped() {
        assert_eq!(tokenize("他们的问题，就是这样！"), ["问题"]);
        assert!(tokenize("").is_empty());
        assert!(tokenize("，。！？、；：“”‘’（）《》…… \n\t").is_empty());
        assert!(tokenize("\u{0}\u{feff}\u{200b}\u{fffd}").is_empty());
    }
}
