//! Writes sample charts (light and dark) into `target/charts/`.
//!
//! `cargo run -p qingfeng-charts --example gallery`, then open the SVGs or
//! screenshot them with `chromium --headless --screenshot=... file.svg`.

use qingfeng_charts::{BarRow, Color, Segment, Series, Theme, nice_ticks, ratio_ring, stacked_bars, trend_lines};
use std::path::PathBuf;

fn seg(label: &str, value: u64, color: Color, unit: usize, status: &str) -> Segment {
    Segment { label: label.into(), value, color, href: Some(format!("/issues?unit={unit}&status={status}")) }
}

fn units() -> Vec<BarRow> {
    let data = [
        ("市生态环境局", 48, 12, 3),
        ("市公安局", 35, 20, 0),
        ("市住房和城乡建设局", 22, 9, 7),
        ("丰林县", 61, 5, 1),
        ("石桥县", 17, 14, 9),
        ("市自然资源和规划局（含不动产登记中心）", 9, 3, 0),
        ("市卫生健康委员会", 0, 0, 0),
    ];
    data.iter()
        .enumerate()
        .map(|(i, (name, done, open, late))| BarRow {
            label: (*name).into(),
            label_href: Some(format!("/board/{i}")),
            segments: vec![
                seg("已销号", *done, Color::GREEN, i, "closed"),
                seg("整改中", *open, Color::BLUE, i, "open"),
                seg("逾期", *late, Color::RED, i, "overdue"),
            ],
        })
        .collect()
}

fn trend() -> Vec<Series> {
    let days: Vec<String> = (1..=30).map(|d| format!("11-{d:02}")).collect();
    let line = |label: &str, color, f: &dyn Fn(f64) -> f64| Series {
        label: label.into(),
        color,
        points: days.iter().enumerate().map(|(i, d)| (d.clone(), f(i as f64).round())).collect(),
    };
    vec![
        line("已销号", Color::GREEN, &|i| 40.0 + i * 9.5 + (i * 0.7).sin() * 6.0),
        line("整改中", Color::BLUE, &|i| 180.0 - i * 3.0 + (i * 0.5).cos() * 8.0),
        line("逾期", Color::RED, &|i| 12.0 + (i / 3.0).floor() - if i > 20.0 { (i - 20.0) * 1.5 } else { 0.0 }),
        line("反弹回潮", Color::PURPLE, &|i| if i < 10.0 { f64::NAN } else { (i - 10.0) / 4.0 }),
    ]
}

fn main() -> std::io::Result<()> {
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"))
        .join("charts");
    std::fs::create_dir_all(&dir)?;
    let rows = units();
    let many: Vec<BarRow> =
        (0..60).map(|i| BarRow { label: format!("第{}网格", i + 1), ..rows[i % rows.len()].clone() }).collect();
    let mut page = String::from(
        "<!doctype html><meta charset=utf-8><title>qingfeng-charts gallery</title><body style=\"margin:16px;background:#f3f5f8\">",
    );
    for (theme, name) in [(Theme::Light, "light"), (Theme::Dark, "dark")] {
        let charts = [
            ("bars", stacked_bars("各单位问题整改进度", &rows, 860, theme)),
            ("bars-many", stacked_bars("各网格问题整改进度", &many, 860, theme)),
            ("ring", ratio_ring("整改完成率", 362, 500, "已销号 / 应整改问题", Color::GREEN, theme)),
            ("ring-late", ratio_ring("逾期率", 23, 500, "逾期 / 应整改问题", Color::RED, theme)),
            ("ring-none", ratio_ring("按期办结率", 0, 0, "本期无到期问题", Color::BLUE, theme)),
            ("trend", trend_lines("问题整改趋势（11月）", &trend(), 860, 360, theme)),
            ("trend-empty", trend_lines("问题整改趋势", &[], 860, 300, theme)),
        ];
        for (chart, svg) in charts {
            std::fs::write(dir.join(format!("{chart}-{name}.svg")), &svg)?;
            if chart.starts_with("ring") {
                // The ring is what boards place side by side: show them inline.
                page.push_str(&svg);
                page.push(' ');
            }
        }
        page.push_str("<br>");
    }
    std::fs::write(dir.join("rings.html"), page)?;
    println!("wrote {} (ticks for 0..37: {:?})", dir.display(), nice_ticks(0.0, 37.0));
    Ok(())
}
