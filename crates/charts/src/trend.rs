//! Line chart over time for daily snapshots.

use crate::svg::{self, NO_DATA, esc, num, palette, text, text_em};
use crate::ticks::ticks;
use crate::{Series, Theme};
use std::fmt::Write;

const PAD: f64 = 16.0;
const TITLE_PX: f64 = 16.0;
const LABEL_PX: f64 = 12.0;
const TICK_PX: f64 = 11.0;
/// Up to this many x positions every point gets a visible dot.
const DOTS_UP_TO: usize = 20;

/// Line chart of `series` over a shared x axis (the union of the series' x
/// labels, in order of appearance). The y axis has round ticks, x labels are
/// thinned so they never overlap, non-finite values are skipped (the line
/// breaks there) and every point has a tooltip with its exact figure.
/// `width` is clamped to 240..=8192, `height` to 160..=4096.
pub fn trend_lines(title: &str, series: &[Series], width: u32, height: u32, theme: Theme) -> String {
    let p = palette(theme);
    let (w, h) = (f64::from(width.clamp(240, 8192)), f64::from(height.clamp(160, 4096)));
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
    let items: Vec<(String, &str)> = series.iter().map(|s| (s.label.clone(), s.color.on(theme))).collect();
    let (legend, legend_y) = svg::legend(&items, PAD, w - PAD, PAD + TITLE_PX + 24.0, LABEL_PX, p.muted, true);
    body.push_str(&legend);
    let top = if items.is_empty() { PAD + TITLE_PX + 20.0 } else { legend_y + 24.0 };
    let bottom = (h - PAD - TICK_PX - 8.0).max(top + 20.0);
    let desc = describe(series);

    let domain = x_domain(series);
    let values = || series.iter().flat_map(|s| &s.points).map(|p| p.1).filter(|v| v.is_finite());
    let (lo, hi) = values().fold((0.0f64, 0.0f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    if values().next().is_none() {
        text(&mut body, w / 2.0, (top + bottom) / 2.0, 14.0, p.muted, r#" text-anchor="middle""#, NO_DATA);
        return svg::document(w, h, title, &desc, theme, &body);
    }
    let integer = values().all(|v| v.fract() == 0.0);
    let intervals = (((bottom - top) / 40.0) as u32).clamp(2, 6);
    let axis = ticks(lo, hi, intervals, integer);
    let (a0, a1) = (axis.first().copied().unwrap_or(0.0), axis.last().copied().unwrap_or(1.0));
    let y_of = |v: f64| {
        let t = (v * 0.5 - a0 * 0.5) / (a1 * 0.5 - a0 * 0.5);
        bottom - if t.is_finite() { t } else { 0.0 } * (bottom - top)
    };
    let tick_labels: Vec<String> = axis.iter().map(|t| svg::fmt_tick(*t)).collect();
    let tick_w = tick_labels.iter().map(|l| text_em(l) * TICK_PX).fold(0.0, f64::max).min(w * 0.3);
    let left = PAD + tick_w + 8.0;
    let last_w = domain.last().map_or(0.0, |l| text_em(l) * TICK_PX);
    let right = (w - PAD - (last_w / 2.0).clamp(4.0, w * 0.2)).max(left + 20.0);

    // Horizontal gridlines with y tick labels; zero gets the axis colour.
    for (t, label) in axis.iter().zip(&tick_labels) {
        let y = y_of(*t).round() + 0.5;
        let stroke = if *t == 0.0 { p.axis } else { p.grid };
        let _ = write!(body, r#"<path d="M{} {}H{}" stroke="{stroke}"/>"#, num(left), num(y), num(right));
        text(&mut body, left - 6.0, y + TICK_PX * 0.35, TICK_PX, p.muted, r#" text-anchor="end""#, &esc(label));
    }

    // X positions and thinned x labels.
    let n = domain.len();
    let x_of = |i: usize| if n <= 1 { (left + right) / 2.0 } else { left + (right - left) * i as f64 / (n - 1) as f64 };
    let xs: Vec<f64> = (0..n).map(x_of).collect();
    let ws: Vec<f64> = domain.iter().map(|l| text_em(l) * TICK_PX).collect();
    let centres: Vec<f64> =
        xs.iter().zip(&ws).map(|(x, lw)| x.clamp(lw / 2.0 + 2.0, (w - lw / 2.0 - 2.0).max(lw / 2.0 + 2.0))).collect();
    let keep = every_kth_from_last(&xs, &ws, 10.0);
    for (i, label) in domain.iter().enumerate() {
        if keep[i] {
            let _ = write!(
                body,
                r#"<path d="M{} {}v4" stroke="{}"/>"#,
                num(xs[i].round() + 0.5),
                num(bottom.round() + 0.5),
                p.axis
            );
            text(
                &mut body,
                centres[i],
                bottom + TICK_PX + 6.0,
                TICK_PX,
                p.muted,
                r#" text-anchor="middle""#,
                &esc(label),
            );
        }
    }

    for s in series {
        let color = s.color.on(theme);
        let pts: Vec<Option<(f64, f64, &str, f64)>> = s
            .points
            .iter()
            .map(|(x, v)| {
                let i = domain.iter().position(|d| d == x)?;
                v.is_finite().then(|| (xs[i], y_of(*v), x.as_str(), *v))
            })
            .collect();
        let mut d = String::new();
        let mut prev_gap = true;
        for pt in &pts {
            match pt {
                Some((x, y, _, _)) => {
                    let _ = write!(d, "{}{} {}", if prev_gap { 'M' } else { 'L' }, num(*x), num(*y));
                    prev_gap = false;
                }
                None => prev_gap = true,
            }
        }
        if d.contains('L') {
            let _ = write!(
                body,
                r#"<path d="{d}" fill="none" stroke="{color}" stroke-width="2.5" stroke-linejoin="round" stroke-linecap="round"/>"#
            );
        }
        for (i, pt) in pts.iter().enumerate() {
            let Some((x, y, label, v)) = pt else { continue };
            let isolated =
                i.checked_sub(1).and_then(|j| pts[j]).is_none() && pts.get(i + 1).copied().flatten().is_none();
            let dot = if n <= DOTS_UP_TO || isolated {
                format!(
                    r#"<circle cx="{}" cy="{}" r="3.5" fill="{color}" stroke="{}" stroke-width="1.5"/>"#,
                    num(*x),
                    num(*y),
                    p.bg
                )
            } else {
                format!(r#"<circle cx="{}" cy="{}" r="4" fill="transparent"/>"#, num(*x), num(*y))
            };
            svg::linked(&mut body, None, &format!("{}｜{label}：{}", s.label, svg::fmt_value(*v)), &dot);
        }
    }
    svg::document(w, h, title, &desc, theme, &body)
}

/// Which x labels to draw: every k-th counting back from the last (the
/// latest date is always shown), k the smallest step that avoids overlap.
fn every_kth_from_last(xs: &[f64], ws: &[f64], gap: f64) -> Vec<bool> {
    let n = xs.len();
    let widest = ws.iter().copied().fold(0.0, f64::max) + gap;
    let spacing = if n > 1 { (xs[n - 1] - xs[0]) / (n - 1) as f64 } else { widest };
    let k = if spacing > 0.0 { (widest / spacing).ceil().clamp(1.0, n.max(1) as f64) as usize } else { n.max(1) };
    (0..n).map(|i| (n - 1 - i).is_multiple_of(k)).collect()
}

/// The x labels of all series in order: each series' labels keep their
/// order, a label new to the domain goes right after its predecessor.
fn x_domain(series: &[Series]) -> Vec<String> {
    let mut domain: Vec<String> = Vec::new();
    for s in series {
        let mut at = 0;
        for (x, _) in &s.points {
            match domain.iter().position(|d| d == x) {
                Some(i) => at = i + 1,
                None => {
                    let i = at.min(domain.len());
                    domain.insert(i, x.clone());
                    at = i + 1;
                }
            }
        }
    }
    domain
}

fn describe(series: &[Series]) -> String {
    if series.is_empty() {
        return NO_DATA.into();
    }
    let parts: Vec<String> = series
        .iter()
        .map(|s| {
            let finite: Vec<&(String, f64)> = s.points.iter().filter(|p| p.1.is_finite()).collect();
            match (finite.first(), finite.last()) {
                (Some(a), Some(b)) => {
                    let max = finite.iter().map(|p| p.1).fold(f64::MIN, f64::max);
                    let (fa, fb, fm) = (svg::fmt_value(a.1), svg::fmt_value(b.1), svg::fmt_value(max));
                    format!("{}：{} {fa} 至 {} {fb}，最高 {fm}", s.label, a.0, b.0)
                }
                _ => format!("{}：{NO_DATA}", s.label),
            }
        })
        .collect();
    parts.join("；") + "。"
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Color;

    fn s(label: &str, xs: &[&str]) -> Series {
        Series { label: label.into(), color: Color::BLUE, points: xs.iter().map(|x| (x.to_string(), 1.0)).collect() }
    }

    #[test]
    fn x_labels_thin_evenly_and_keep_the_last() {
        let xs: Vec<f64> = (0..7).map(|i| f64::from(i) * 10.0).collect();
        assert_eq!(every_kth_from_last(&xs, &[15.0; 7], 2.0), [true, false, true, false, true, false, true]);
        assert_eq!(every_kth_from_last(&xs, &[5.0; 7], 2.0), [true; 7]);
        assert_eq!(every_kth_from_last(&[3.0], &[500.0], 2.0), [true]);
        assert!(every_kth_from_last(&[], &[], 2.0).is_empty());
    }

    #[test]
    fn domain_merges_series_in_order() {
        let d = x_domain(&[s("a", &["11-01", "11-03"]), s("b", &["11-01", "11-02", "11-03", "11-04"])]);
        assert_eq!(d, ["11-01", "11-02", "11-03", "11-04"]);
        assert!(x_domain(&[]).is_empty());
    }

    #[test]
    fn description_names_first_last_and_max() {
        let mut a = s("已销号", &["11-01", "11-02", "11-03"]);
        a.points[1].1 = 7.0;
        a.points[2].1 = f64::NAN;
        assert_eq!(describe(&[a, s("空", &[])]), "已销号：11-01 1 至 11-02 7，最高 7；空：暂无数据。");
    }
}
