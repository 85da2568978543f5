//! Low-level SVG writing shared by every chart: escaping, number
//! formatting, text-width estimates, theme palette and the document frame.

use crate::Theme;
use std::fmt::Write;

pub(crate) const FONT: &str = "'Noto Sans CJK SC','Source Han Sans SC','Microsoft YaHei',sans-serif";
/// Shown instead of a figure that does not exist (0/0).
pub(crate) const NONE: &str = "—";
/// Shown when a chart has nothing to draw.
pub(crate) const NO_DATA: &str = "暂无数据";

/// Theme colours for everything that is not data.
pub(crate) struct Palette {
    pub bg: &'static str,
    pub text: &'static str,
    pub muted: &'static str,
    pub grid: &'static str,
    pub axis: &'static str,
    pub track: &'static str,
}

pub(crate) fn palette(theme: Theme) -> Palette {
    match theme {
        Theme::Light => Palette {
            bg: "#ffffff",
            text: "#1f2933",
            muted: "#5f6b7a",
            grid: "#e4e8ee",
            axis: "#9aa5b1",
            track: "#e8ecf1",
        },
        Theme::Dark => Palette {
            bg: "#0b1d33",
            text: "#e6edf5",
            muted: "#9fb3c8",
            grid: "#1f3857",
            axis: "#4a6685",
            track: "#1a3150",
        },
    }
}

/// XML-escapes text or an attribute value; drops characters XML forbids.
pub(crate) fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            '\t' | '\n' | '\r' => out.push(' '),
            c if (c as u32) < 0x20 || c == '\u{fffe}' || c == '\u{ffff}' => {}
            c => out.push(c),
        }
    }
    out
}

/// A coordinate or length: at most two decimals, never NaN or inf.
pub(crate) fn num(x: f64) -> String {
    if !x.is_finite() {
        return "0".into();
    }
    let r = (x * 100.0).round() / 100.0;
    if r == 0.0 {
        return "0".into();
    }
    let s = format!("{r:.2}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// A data value as it appears in tooltips: the exact figure.
pub(crate) fn fmt_value(x: f64) -> String {
    if !x.is_finite() {
        NONE.into()
    } else if x == 0.0 {
        "0".into()
    } else if x.fract() == 0.0 && x.abs() < 1e16 {
        format!("{x:.0}")
    } else {
        format!("{x}")
    }
}

/// An axis tick label: short, scientific notation only for huge values.
pub(crate) fn fmt_tick(x: f64) -> String {
    if !x.is_finite() {
        return NONE.into();
    }
    if x == 0.0 {
        return "0".into();
    }
    if x.abs() >= 1e15 {
        let s = format!("{x:.2e}");
        let (mant, exp) = s.split_once('e').unwrap_or((&s, "0"));
        let mant = if mant.contains('.') { mant.trim_end_matches('0').trim_end_matches('.') } else { mant };
        return format!("{mant}e{exp}");
    }
    let s = format!("{x:.4}");
    s.trim_end_matches('0').trim_end_matches('.').to_string()
}

/// Estimated width of `s` in em: CJK and full-width characters count 1,
/// ASCII 0.55, anything else 0.6.
pub(crate) fn text_em(s: &str) -> f64 {
    s.chars().map(char_em).sum()
}

fn char_em(c: char) -> f64 {
    let u = c as u32;
    if c.is_ascii() {
        0.55
    } else if u >= 0x2e80 || (0x2000..0x2070).contains(&u) {
        1.0
    } else {
        0.6
    }
}

/// Shortens `s` with "…" so it fits in `max_em`; returns whether it did.
pub(crate) fn truncate(s: &str, max_em: f64) -> (String, bool) {
    if text_em(s) <= max_em {
        return (s.to_string(), false);
    }
    let mut out = String::new();
    let mut used = char_em('…');
    for c in s.chars() {
        used += char_em(c);
        if used > max_em {
            break;
        }
        out.push(c);
    }
    out.push('…');
    (out, true)
}

/// The font size (at most `preferred`) at which `s` fits in `max_px`.
pub(crate) fn fit_font(s: &str, max_px: f64, preferred: f64) -> f64 {
    let em = text_em(s).max(0.01);
    (max_px / em).min(preferred).max(4.0)
}

/// The href if it is safe to link to: relative, `http(s):` or `mailto:`.
pub(crate) fn safe_href(href: Option<&str>) -> Option<&str> {
    let h = href?.trim();
    if h.is_empty() {
        return None;
    }
    let cleaned: String =
        h.chars().filter(|c| !c.is_whitespace() && !c.is_control()).take(40).collect::<String>().to_ascii_lowercase();
    match cleaned.find(':') {
        Some(i) if !cleaned[..i].contains(['/', '?', '#']) => {
            let scheme = &cleaned[..i];
            matches!(scheme, "http" | "https" | "mailto").then_some(h)
        }
        _ => Some(h),
    }
}

/// Dark or light ink, whichever contrasts more with `fill` (`#rgb`/`#rrggbb`).
pub(crate) fn ink_on(fill: &str) -> &'static str {
    let hex = fill.trim_start_matches('#');
    let digits: Vec<u32> = hex.chars().filter_map(|c| c.to_digit(16)).collect();
    let rgb = match digits.len() {
        6 => [digits[0] * 16 + digits[1], digits[2] * 16 + digits[3], digits[4] * 16 + digits[5]],
        3 => [digits[0] * 17, digits[1] * 17, digits[2] * 17],
        _ => return "#ffffff",
    };
    let lin = |v: u32| {
        let c = f64::from(v) / 255.0;
        if c <= 0.039_28 { c / 12.92 } else { ((c + 0.055) / 1.055).powf(2.4) }
    };
    let l = 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
    if 1.05 / (l + 0.05) >= (l + 0.05) / 0.05 { "#ffffff" } else { "#1a1a1a" }
}

/// `<text>` with the given position, size, fill and extra attributes;
/// `body` is raw (already escaped) content. Size 12 and an empty fill
/// inherit the document defaults (12px, the theme's text colour).
pub(crate) fn text(out: &mut String, x: f64, y: f64, size: f64, fill: &str, attrs: &str, body: &str) {
    let _ = write!(out, r#"<text x="{}" y="{}""#, num(x), num(y));
    if size != 12.0 {
        let _ = write!(out, r#" font-size="{}""#, num(size));
    }
    if !fill.is_empty() {
        let _ = write!(out, r#" fill="{fill}""#);
    }
    let _ = write!(out, "{attrs}>{body}</text>");
}

/// Escaped label text, with the full label as a `<title>` when truncated.
pub(crate) fn label_body(label: &str, max_em: f64) -> String {
    let (shown, cut) = truncate(label, max_em);
    if cut { format!("<title>{}</title>{}", esc(label), esc(&shown)) } else { esc(&shown) }
}

/// Wraps `inner` in a link (when `href` is safe) or a group, with `tip` as
/// its tooltip.
pub(crate) fn linked(out: &mut String, href: Option<&str>, tip: &str, inner: &str) {
    match safe_href(href) {
        Some(h) => {
            let h = esc(h);
            let _ = write!(out, r#"<a href="{h}" xlink:href="{h}"><title>{}</title>{inner}</a>"#, esc(tip));
        }
        None => {
            let _ = write!(out, "<g><title>{}</title>{inner}</g>", esc(tip));
        }
    }
}

/// Lays out legend items left to right from `(x0, y)`, wrapping before
/// `x1`; returns the markup and the y of the last line.
pub(crate) fn legend(
    items: &[(String, &str)],
    x0: f64,
    x1: f64,
    y: f64,
    size: f64,
    fill: &str,
    line: bool,
) -> (String, f64) {
    let mut out = String::new();
    let (mut x, mut y) = (x0, y);
    for (label, color) in items {
        let (shown, _) = truncate(label, ((x1 - x0 - 18.0) / size).max(1.0));
        let w = 16.0 + text_em(&shown) * size;
        if x > x0 && x + w > x1 {
            x = x0;
            y += size + 8.0;
        }
        if line {
            let _ = write!(
                out,
                r#"<path d="M{} {}h12" stroke="{color}" stroke-width="3" stroke-linecap="round"/>"#,
                num(x),
                num(y - size * 0.35)
            );
        } else {
            let _ = write!(
                out,
                r#"<rect x="{}" y="{}" width="10" height="10" rx="2" fill="{color}"/>"#,
                num(x),
                num(y - size * 0.8)
            );
        }
        text(&mut out, x + 16.0, y, size, fill, "", &esc(&shown));
        x += w + 18.0;
    }
    (out, y)
}

/// Greedy thinning: which of the labels centred at `xs` with widths `ws`
/// can be drawn without overlapping (the first always is).
pub(crate) fn thin(xs: &[f64], ws: &[f64], gap: f64) -> Vec<bool> {
    let mut keep = vec![false; xs.len()];
    let mut right = f64::NEG_INFINITY;
    for (i, (x, w)) in xs.iter().zip(ws).enumerate() {
        if x - w / 2.0 >= right + gap {
            keep[i] = true;
            right = x + w / 2.0;
        }
    }
    keep
}

fn fnv(s: &str) -> u64 {
    s.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3))
}

/// The complete SVG document around `body`.
pub(crate) fn document(w: f64, h: f64, title: &str, desc: &str, theme: Theme, body: &str) -> String {
    let p = palette(theme);
    let id = format!("qfc{:012x}", fnv(body) & 0xffff_ffff_ffff);
    let xlink = if body.contains("<a ") { r#" xmlns:xlink="http://www.w3.org/1999/xlink""# } else { "" };
    format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg"{xlink} viewBox="0 0 {w} {h}" width="{w}" height="{h}" role="img" aria-labelledby="{id}t {id}d" font-family="{FONT}" font-size="12" fill="{text}"><title id="{id}t">{t}</title><desc id="{id}d">{d}</desc><rect width="{w}" height="{h}" rx="6" fill="{bg}"/>{body}</svg>"#,
        w = num(w),
        h = num(h),
        text = p.text,
        bg = p.bg,
        t = esc(title),
        d = esc(desc),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_drops_forbidden_chars() {
        assert_eq!(esc("<script>&\"'\u{0}\n"), "&lt;script&gt;&amp;&quot;&#39; ");
    }

    #[test]
    fn numbers_are_compact_and_finite() {
        assert_eq!(num(12.0), "12");
        assert_eq!(num(12.345), "12.35");
        assert_eq!(num(-0.001), "0");
        assert_eq!(num(f64::NAN), "0");
        assert_eq!(num(f64::INFINITY), "0");
        assert_eq!(fmt_value(72.0), "72");
        assert_eq!(fmt_value(0.5), "0.5");
        assert_eq!(fmt_tick(1e19), "1e19");
        assert_eq!(fmt_tick(2.5e18), "2.5e18");
        assert_eq!(fmt_tick(0.25), "0.25");
    }

    #[test]
    fn cjk_counts_one_em_ascii_less() {
        assert!((text_em("市公安局") - 4.0).abs() < 1e-9);
        assert!((text_em("ab") - 1.1).abs() < 1e-9);
    }

    #[test]
    fn truncation_adds_ellipsis_within_width() {
        let (s, cut) = truncate("市生态环境局执法支队第三大队", 6.0);
        assert!(cut);
        assert_eq!(s, "市生态环境…");
        assert!(text_em(&s) <= 6.0);
        assert_eq!(truncate("市公安局", 6.0), ("市公安局".into(), false));
        assert_eq!(truncate("", 0.0), (String::new(), false));
    }

    #[test]
    fn unsafe_hrefs_are_refused() {
        assert_eq!(safe_href(Some("/issues?unit=3")), Some("/issues?unit=3"));
        assert_eq!(safe_href(Some("https://x.cn/a")), Some("https://x.cn/a"));
        assert_eq!(safe_href(Some(" JavaScript:alert(1)")), None);
        assert_eq!(safe_href(Some("java\tscript:alert(1)")), None);
        assert_eq!(safe_href(Some("data:text/html,x")), None);
        assert_eq!(safe_href(Some("/a?b=c:d")), Some("/a?b=c:d"));
        assert_eq!(safe_href(Some("")), None);
    }

    #[test]
    fn ink_contrasts_with_fill() {
        assert_eq!(ink_on("#f9a825"), "#1a1a1a");
        assert_eq!(ink_on("#2e7d32"), "#ffffff");
        assert_eq!(ink_on("nonsense"), "#ffffff");
    }

    #[test]
    fn thinning_keeps_first_and_skips_overlaps() {
        assert_eq!(thin(&[0.0, 10.0, 20.0, 30.0], &[15.0; 4], 2.0), vec![true, false, true, false]);
    }
}
