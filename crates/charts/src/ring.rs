//! A ring (donut) with the ratio as a big percentage in the middle.

use crate::svg::{self, NONE, esc, num, palette, text};
use crate::{Color, Theme};
use std::fmt::Write;

const W: f64 = 240.0;
const H: f64 = 252.0;
const CX: f64 = 120.0;
const CY: f64 = 132.0;
const R: f64 = 68.0;
const STROKE: f64 = 16.0;

/// A ring showing `numerator / denominator` (e.g. 整改完成率 72.4%) with the
/// percentage (one decimal) in the middle, the two figures under it and
/// `caption` below the ring. 0/0 shows "—"; a ratio above 100% is printed
/// as is with a full ring. A ratio that is not complete never reads
/// "100.0%" (99.96% shows "99.9%"), a non-zero one
/// never "0.0%" ("<0.1%" instead).
pub fn ratio_ring(title: &str, numerator: u64, denominator: u64, caption: &str, color: Color, theme: Theme) -> String {
    let p = palette(theme);
    let fill = color.on(theme);
    let pct = ratio_text(numerator, denominator);
    let mut body = String::new();
    text(
        &mut body,
        CX,
        32.0,
        16.0,
        "",
        r#" text-anchor="middle" font-weight="700""#,
        &svg::label_body(title, (W - 24.0) / 16.0),
    );
    let _ = write!(
        body,
        r#"<circle cx="{CX}" cy="{CY}" r="{R}" fill="none" stroke="{}" stroke-width="{STROKE}"/>"#,
        p.track
    );
    let share = if denominator == 0 { 0.0 } else { (numerator as f64 / denominator as f64).clamp(0.0, 1.0) };
    let tip = format!("{title}：{pct}（{numerator}/{denominator}）");
    let circ = 2.0 * std::f64::consts::PI * R;
    let arc = if share >= 1.0 {
        format!(r#"<circle cx="{CX}" cy="{CY}" r="{R}" fill="none" stroke="{fill}" stroke-width="{STROKE}"/>"#)
    } else if share > 0.0 {
        // At least a sliver so a tiny ratio stays visible.
        let len = (share * circ).max(1.5);
        format!(
            r#"<circle cx="{CX}" cy="{CY}" r="{R}" fill="none" stroke="{fill}" stroke-width="{STROKE}" stroke-dasharray="{} {}" transform="rotate(-90 {CX} {CY})"/>"#,
            num(len),
            num(circ)
        )
    } else {
        // Invisible hit target so the tooltip still works on an empty ring.
        format!(r#"<circle cx="{CX}" cy="{CY}" r="{R}" fill="none" stroke="transparent" stroke-width="{STROKE}"/>"#)
    };
    svg::linked(&mut body, None, &tip, &arc);
    let inner = 2.0 * (R - STROKE / 2.0) - 14.0;
    let big = svg::fit_font(&pct, inner, 30.0);
    text(&mut body, CX, CY + big * 0.3, big, "", r#" text-anchor="middle" font-weight="700""#, &esc(&pct));
    let figures = format!("{numerator} / {denominator}");
    let small = svg::fit_font(&figures, inner - 10.0, 12.0);
    text(&mut body, CX, CY + big * 0.3 + 8.0 + small, small, p.muted, r#" text-anchor="middle""#, &esc(&figures));
    text(
        &mut body,
        CX,
        H - 16.0,
        13.0,
        p.muted,
        r#" text-anchor="middle""#,
        &svg::label_body(caption, (W - 24.0) / 13.0),
    );
    let mut desc = format!("{title}：{pct}（{numerator}/{denominator}）");
    if !caption.is_empty() {
        let _ = write!(desc, "，{caption}");
    }
    desc.push('。');
    svg::document(W, H, title, &desc, theme, &body)
}

/// "72.4%", or "—" for 0/0.
fn ratio_text(numerator: u64, denominator: u64) -> String {
    if denominator == 0 {
        return NONE.into();
    }
    let pct = numerator as f64 / denominator as f64 * 100.0;
    let shown = format!("{pct:.1}%");
    if numerator < denominator && shown == "100.0%" {
        "99.9%".into()
    } else if numerator > 0 && shown == "0.0%" {
        "<0.1%".into()
    } else {
        shown
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ratio_has_one_decimal() {
        assert_eq!(ratio_text(362, 500), "72.4%");
        assert_eq!(ratio_text(0, 5), "0.0%");
        assert_eq!(ratio_text(5, 5), "100.0%");
        assert_eq!(ratio_text(6, 5), "120.0%");
    }

    #[test]
    fn zero_over_zero_is_a_dash() {
        assert_eq!(ratio_text(0, 0), "—");
        assert_eq!(ratio_text(3, 0), "—");
    }

    #[test]
    fn near_complete_never_reads_complete() {
        assert_eq!(ratio_text(9999, 10000), "99.9%");
        assert_eq!(ratio_text(1, 10000), "<0.1%");
    }
}
