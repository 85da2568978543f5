//! Horizontal stacked bars, one row per category.

use crate::svg::{self, NO_DATA, esc, num, palette, text, text_em};
use crate::ticks::ticks;
use crate::{BarRow, Theme};
use std::fmt::Write;

const PAD: f64 = 16.0;
const TITLE_PX: f64 = 16.0;
const LABEL_PX: f64 = 12.0;
const VALUE_PX: f64 = 11.0;
const ROW_H: f64 = 28.0;
const BAR_H: f64 = 16.0;

/// Horizontal stacked bars, one row per category (e.g. per child unit:
/// 已销号/整改中/逾期), with the row total at the end of each bar and a
/// legend (with the column totals) on top. Height grows with the rows;
/// `width` is clamped to 240..=8192. Zero-valued segments are not drawn.
pub fn stacked_bars(title: &str, rows: &[BarRow], width: u32, theme: Theme) -> String {
    let p = palette(theme);
    let w = f64::from(width.clamp(240, 8192));
    let mut body = String::new();
    text(
        &mut body,
        PAD,
        PAD + TITLE_PX,
        TITLE_PX,
        "",
        r#" font-weight="700""#,
        &svg::label_body(title, (w - 2.0 * PAD) / TITLE_PX),
    );

    // Legend: one entry per distinct segment label, with its column total.
    let mut keys: Vec<(String, &'static str, u128)> = Vec::new();
    for seg in rows.iter().flat_map(|r| &r.segments) {
        match keys.iter_mut().find(|k| k.0 == seg.label) {
            Some(k) => k.2 += u128::from(seg.value),
            None => keys.push((seg.label.clone(), seg.color.on(theme), u128::from(seg.value))),
        }
    }
    let items: Vec<(String, &str)> = keys.iter().map(|(l, c, t)| (format!("{l} {t}"), *c)).collect();
    let (legend, legend_y) = svg::legend(&items, PAD, w - PAD, PAD + TITLE_PX + 24.0, LABEL_PX, p.muted, false);
    body.push_str(&legend);
    // Long charts repeat the axis labels on top so they are in view.
    let top_axis = rows.len() > 12;
    let top =
        if items.is_empty() { PAD + TITLE_PX + 14.0 } else { legend_y + 16.0 } + if top_axis { 18.0 } else { 0.0 };

    let totals: Vec<u128> = rows.iter().map(|r| r.segments.iter().map(|s| u128::from(s.value)).sum()).collect();
    let grand: u128 = totals.iter().sum();
    let desc = describe(rows.len(), &keys, grand);
    if rows.is_empty() {
        text(&mut body, w / 2.0, top + 24.0, 14.0, p.muted, r#" text-anchor="middle""#, NO_DATA);
        return svg::document(w, top + 40.0 + PAD, title, &desc, theme, &body);
    }

    // Columns: labels | bars | totals.
    let label_em = rows.iter().map(|r| text_em(&r.label)).fold(0.0, f64::max);
    let label_w = (label_em * LABEL_PX).clamp(2.0 * LABEL_PX, w * 0.3);
    let total_em = totals.iter().map(|t| text_em(&t.to_string())).fold(0.0, f64::max);
    let total_w = (total_em * LABEL_PX * 1.05 + 8.0).min(w * 0.25);
    let x0 = PAD + label_w + 10.0;
    let bar_w = (w - PAD - total_w - x0).max(20.0);
    let max_total = totals.iter().copied().max().unwrap_or(0) as f64;
    let axis = ticks(0.0, max_total, ((bar_w / 90.0) as u32).clamp(2, 8), true);
    let axis_max = axis.last().copied().filter(|m| *m > 0.0).unwrap_or(1.0);
    let scale = |v: f64| v / axis_max * bar_w;
    let bottom = top + rows.len() as f64 * ROW_H;

    // Gridlines and tick labels.
    let xs: Vec<f64> = axis.iter().map(|t| x0 + scale(*t)).collect();
    let labels: Vec<String> = axis.iter().map(|t| svg::fmt_tick(*t)).collect();
    let ws: Vec<f64> = labels.iter().map(|l| text_em(l) * VALUE_PX).collect();
    let keep = svg::thin(&xs, &ws, 6.0);
    for (i, x) in xs.iter().enumerate() {
        let stroke = if i == 0 { p.axis } else { p.grid };
        let _ = write!(
            body,
            r#"<path d="M{} {}V{}" stroke="{stroke}"/>"#,
            num(x.round() + 0.5),
            num(top - 4.0),
            num(bottom)
        );
        if keep[i] {
            text(&mut body, *x, bottom + 14.0, VALUE_PX, p.muted, r#" text-anchor="middle""#, &esc(&labels[i]));
            if top_axis {
                text(&mut body, *x, top - 8.0, VALUE_PX, p.muted, r#" text-anchor="middle""#, &esc(&labels[i]));
            }
        }
    }

    for (i, (row, total)) in rows.iter().zip(&totals).enumerate() {
        let y = top + i as f64 * ROW_H + (ROW_H - BAR_H) / 2.0;
        let mid = y + BAR_H / 2.0 + LABEL_PX * 0.35;
        let mut label = String::new();
        text(
            &mut label,
            PAD + label_w,
            mid,
            LABEL_PX,
            "",
            r#" text-anchor="end""#,
            &svg::label_body(&row.label, label_w / LABEL_PX),
        );
        match svg::safe_href(row.label_href.as_deref()) {
            Some(h) => {
                let h = esc(h);
                let _ = write!(body, r#"<a href="{h}" xlink:href="{h}">{label}</a>"#);
            }
            None => body.push_str(&label),
        }
        let mut acc = 0u128;
        for seg in &row.segments {
            if seg.value == 0 {
                continue;
            }
            let sx = x0 + scale(acc as f64);
            acc += u128::from(seg.value);
            let sw = x0 + scale(acc as f64) - sx;
            let fill = seg.color.on(theme);
            let mut inner = format!(
                r#"<rect x="{}" y="{}" width="{}" height="{}" fill="{fill}" stroke="{}"/>"#,
                num(sx),
                num(y),
                num(sw),
                num(BAR_H),
                p.bg
            );
            let figure = seg.value.to_string();
            if sw >= text_em(&figure) * VALUE_PX + 8.0 {
                text(
                    &mut inner,
                    sx + sw / 2.0,
                    y + BAR_H / 2.0 + VALUE_PX * 0.36,
                    VALUE_PX,
                    svg::ink_on(fill),
                    r#" text-anchor="middle""#,
                    &figure,
                );
            }
            let tip = format!("{}｜{}：{}（{}）", row.label, seg.label, figure, percent(u128::from(seg.value), *total));
            svg::linked(&mut body, seg.href.as_deref(), &tip, &inner);
        }
        text(&mut body, x0 + scale(acc as f64) + 6.0, mid, LABEL_PX, "", r#" font-weight="700""#, &total.to_string());
    }
    svg::document(w, bottom + 20.0 + PAD, title, &desc, theme, &body)
}

/// "72.4%" of `part` in `whole`; "—" when `whole` is zero.
fn percent(part: u128, whole: u128) -> String {
    if whole == 0 {
        return svg::NONE.into();
    }
    format!("{:.1}%", part as f64 / whole as f64 * 100.0)
}

fn describe(rows: usize, keys: &[(String, &str, u128)], grand: u128) -> String {
    let mut d = format!("共 {rows} 项");
    if !keys.is_empty() {
        let parts: Vec<String> = keys.iter().map(|(l, _, t)| format!("{l} {t}（{}）", percent(*t, grand))).collect();
        let _ = write!(d, "；合计 {grand}：{}", parts.join("，"));
    }
    d.push('。');
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn percent_has_one_decimal_and_handles_zero() {
        assert_eq!(percent(362, 500), "72.4%");
        assert_eq!(percent(0, 0), "—");
        assert_eq!(percent(1, 3), "33.3%");
    }

    #[test]
    fn description_sums_columns() {
        let keys = [("已销号".to_string(), "#000", 3u128), ("逾期".to_string(), "#111", 1u128)];
        assert_eq!(describe(2, &keys, 4), "共 2 项；合计 4：已销号 3（75.0%），逾期 1（25.0%）。");
        assert_eq!(describe(0, &[], 0), "共 0 项。");
    }
}
