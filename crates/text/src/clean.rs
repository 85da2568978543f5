//! Boilerplate stripping: what copies of speeches from the web carry around
//! the speech itself — site headers, subscription and QQ-group adverts,
//! "分享 时间:" lines, a repeated title, page numbers and script remnants.
//!
//! The rules are about the *shape* of such lines (short lines naming a
//! channel, a subscription, a source; lines with no Chinese at all; the
//! block before the title that contains them), not about any one site.

/// Lines and title of a document after cleaning.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Cleaned {
    pub title: Option<String>,
    /// Non-empty trimmed lines, one paragraph each, in order.
    pub paragraphs: Vec<String>,
    /// Lines dropped as boilerplate, in order.
    pub removed: Vec<String>,
}

/// A Han character (CJK unified ideographs and their extensions).
pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF | 0x20000..=0x2FFFF)
}

/// Phrases that mark a line as site furniture whatever its length.
const ALWAYS_JUNK: &[&str] = &[
    "以下是网友",
    "网友为大家整理",
    "供您学习参考",
    "免费QQ群",
    "QQ群",
    "qq群",
    "会员群",
    "微信群：",
    "打击倒卖",
    "倒卖会员",
    "仅供学习",
    "禁止外传",
    "版权归原作者",
    "版权所有",
    "未经授权",
    "转载请注明",
];

/// Phrases that mark a *short* line (a long paragraph may use these words).
const SHORT_JUNK: &[&str] = &[
    "订阅",
    "公众号",
    "扫码",
    "二维码",
    "关注我们",
    "长按识别",
    "免费领取",
    "免费下载",
    "点击下载",
    "下载地址",
    "下载文档",
    "整理分享",
    "供大家参考",
    "本文来源",
    "来源：",
    "来源:",
    "责任编辑",
    "编辑：",
    "作者：",
    "发布时间",
    "发布日期",
    "分享 时间",
    "分享时间",
    "浏览次数",
    "阅读次数",
    "阅读量",
    "上一篇",
    "下一篇",
    "相关文章",
    "相关推荐",
    "广告位",
    "广告合作",
    "www.",
    "http://",
    "https://",
    "返回顶部",
    "更多精彩",
    "更多范文",
];

/// At most this many characters for a [`SHORT_JUNK`] line.
const SHORT: usize = 60;

fn char_len(s: &str) -> usize {
    s.chars().count()
}

/// Why a line is boilerplate, if it is.
pub fn junk_reason(line: &str) -> Option<&'static str> {
    if !line.chars().any(is_han) {
        return Some("no Chinese text");
    }
    if ALWAYS_JUNK.iter().any(|p| line.contains(p)) {
        return Some("advert or site notice");
    }
    let n = char_len(line);
    if n <= SHORT && SHORT_JUNK.iter().any(|p| line.contains(p)) {
        return Some("site furniture");
    }
    // "分享 时间:", "时间：2021-03-01" — a dateline without a sentence
    if n <= SHORT && (line.ends_with("时间:") || line.ends_with("时间：")) {
        return Some("dateline");
    }
    // 第3页 共12页
    if n <= SHORT && line.contains('页') && (line.contains("第") && line.contains("共")) && !line.contains('。') {
        return Some("page number");
    }
    None
}

/// 同志们： / 各位代表： — the address that starts a speech's body.
fn is_salutation(line: &str) -> bool {
    let n = char_len(line);
    let opener = ["同志们", "各位", "尊敬的", "女士们"].iter().any(|p| line.starts_with(p));
    (opener && n <= 40) || (n <= 30 && (line.ends_with('：') || line.ends_with(':')) && !line.contains('。'))
}

/// A line that is clearly body text: a long sentence.
fn is_body(line: &str) -> bool {
    char_len(line) >= 40 && line.chars().any(|c| "。，,；;".contains(c))
}

/// Could this line be a title: short, Chinese, not a sentence.
fn title_candidate(line: &str) -> bool {
    let n = char_len(line);
    (4..=60).contains(&n)
        && !line.chars().last().is_some_and(|c| "。！？!?；;，,：:".contains(c))
        && !is_salutation(line)
        && crate::markers::heading_at_start(line).is_none()
}

/// Words that titles of speeches and documents end with or contain.
fn title_like(line: &str) -> bool {
    ["讲话", "发言", "报告", "致辞", "讲稿", "党课", "意见", "方案", "通知", "决定", "总结", "汇报", "办法", "规定"]
        .iter()
        .any(|w| line.contains(w))
}

fn normalise(line: &str) -> String {
    line.chars()
        .filter(|c| !c.is_control() || *c == '\t')
        .filter(|c| !matches!(c, '\u{feff}' | '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}'))
        .collect::<String>()
        .trim_matches(|c: char| c.is_whitespace() || c == '\u{3000}')
        .to_string()
}

/// Split into lines, drop boilerplate, find the title.
pub fn clean(text: &str) -> Cleaned {
    let lines: Vec<String> = text
        .split(['\n', '\r', '\u{2028}', '\u{2029}', '\u{0b}', '\u{0c}'])
        .map(normalise)
        .filter(|l| !l.is_empty())
        .collect();
    let mut out = Cleaned::default();

    // The head: lines before the body starts (salutation, first heading or long sentence).
    let anchor = lines
        .iter()
        .position(|l| {
            junk_reason(l).is_none()
                && (is_salutation(l) || is_body(l) || crate::markers::heading_at_start(l).is_some())
        })
        .unwrap_or(lines.len().min(8));
    // Site header: everything in the head up to its last boilerplate line.
    let last_junk_in_head = lines.iter().take(anchor).rposition(|l| junk_reason(l).is_some());
    let header_end = last_junk_in_head.map_or(0, |i| i + 1);
    let mut fallback_title = None;
    for l in lines.iter().take(header_end) {
        if fallback_title.is_none() && junk_reason(l).is_none() && title_candidate(l) && title_like(l) {
            fallback_title = Some(l.clone());
        }
        out.removed.push(l.clone());
    }

    // Title: the first title-shaped line of what remains of the head.
    let head: Vec<&String> = lines.iter().take(anchor).skip(header_end).collect();
    let title = head
        .iter()
        .find(|l| junk_reason(l).is_none() && title_candidate(l) && title_like(l))
        .or_else(|| head.iter().find(|l| junk_reason(l).is_none() && title_candidate(l)))
        .map(|l| l.to_string())
        .or(fallback_title);

    let mut title_seen = false;
    for l in lines.into_iter().skip(header_end) {
        if title.as_deref() == Some(l.as_str()) {
            if title_seen {
                out.removed.push(l); // repeated title
            }
            title_seen = true;
            continue;
        }
        if junk_reason(&l).is_some() {
            out.removed.push(l);
        } else {
            out.paragraphs.push(l);
        }
    }
    out.title = title;
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn site_header_block_before_the_title_is_dropped() {
        let text = "仅供学习 禁止外传\n某某文库\n自建平台、实时分享\n\n会员群：   免费QQ群：\n\n\
                    在全市工作会议上的讲话\n同志们：\n今天我们召开会议，主要任务是总结工作、部署任务，请大家认真抓好落实。\n";
        let c = clean(text);
        assert_eq!(c.title.as_deref(), Some("在全市工作会议上的讲话"));
        assert_eq!(c.paragraphs[0], "同志们：");
        assert!(!c.paragraphs.iter().any(|p| p.contains("文库") || p.contains("QQ")));
        assert_eq!(c.removed.len(), 4);
    }

    #[test]
    fn share_time_line_and_repeated_title_are_dropped() {
        let text = "在推进会上的讲话\n爱国 分享 时间:\n强调学习的重要性。以下是网友为大家整理分享的在推进会上的讲话相关资料,供您学习参考!\n\
                    在推进会上的讲话\n同志们:\n今天我们召开这次推进会,核心任务就是再审视、再动员、再部署，请大家抓好落实。";
        let c = clean(text);
        assert_eq!(c.title.as_deref(), Some("在推进会上的讲话"));
        assert_eq!(c.paragraphs.len(), 2);
        assert!(c.removed.iter().any(|l| l.contains("分享 时间")));
    }

    #[test]
    fn lines_without_chinese_are_page_junk() {
        let c =
            clean("同志们：\n今天开会，讲三点意见，请大家认真贯彻落实，切实抓好各项工作。\n47 4888024\n\");\n- 3 -\n");
        assert_eq!(c.paragraphs.len(), 2);
        assert_eq!(c.removed, vec!["47 4888024", "\");", "- 3 -"]);
    }

    #[test]
    fn long_paragraph_mentioning_channels_is_kept() {
        let p = "要充分利用信访举报、巡视巡察、审计监督、媒体曝光、网络舆情等途径，广泛收集问题线索，统筹运用好举报平台、公众号、二维码等载体，畅通群众监督渠道，确保问题线索应收尽收。";
        let c = clean(&format!("同志们：\n{p}\n"));
        assert_eq!(c.paragraphs, vec!["同志们：".to_string(), p.to_string()]);
    }

    #[test]
    fn no_title_when_the_speech_starts_with_the_salutation() {
        let c = clean("同志们：\n今天我们召开会议，目的是进一步统一思想，提高认识，形成合力。");
        assert_eq!(c.title, None);
    }

    #[test]
    fn control_characters_and_bom_are_stripped() {
        let c = clean("\u{feff}同志们：\u{0}\r\n\u{3000}\u{3000}今天开会。\r\n");
        assert_eq!(c.paragraphs, vec!["同志们：", "今天开会。"]);
    }
}
