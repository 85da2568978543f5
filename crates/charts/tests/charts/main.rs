//! Properties every chart must have: well-formed XML, accessibility,
//! escaping, links exactly where hrefs are given, proportional bars, no
//! NaN/inf on any input, determinism.

mod xml;

use qingfeng_charts::{BarRow, Color, Segment, Series, Theme, ratio_ring, stacked_bars, trend_lines};
use xml::check_xml;

fn assert_sound(svg: &str) {
    if let Err(e) = check_xml(svg) {
        panic!("not well-formed: {e}\n{svg}");
    }
    assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
    assert!(svg.contains(r#"role="img""#) && svg.contains("<title id=") && svg.contains("<desc id="));
    assert!(!svg.contains("NaN") && !svg.contains("inf"), "non-finite number in {svg}");
    assert!(!svg.contains('\n') && !svg.contains("  "), "needless whitespace");
}

fn seg(label: &str, value: u64, color: Color, href: Option<&str>) -> Segment {
    Segment { label: label.into(), value, color, href: href.map(Into::into) }
}

fn row(label: &str, segs: Vec<Segment>) -> BarRow {
    BarRow { label: label.into(), label_href: None, segments: segs }
}

fn sample_rows() -> Vec<BarRow> {
    vec![
        row(
            "市生态环境局",
            vec![
                seg("已销号", 48, Color::GREEN, Some("/i?u=1&s=c")),
                seg("整改中", 12, Color::BLUE, None),
                seg("逾期", 3, Color::RED, Some("/i?u=1&s=o")),
            ],
        ),
        row(
            "丰林县",
            vec![
                seg("已销号", 24, Color::GREEN, None),
                seg("整改中", 6, Color::BLUE, None),
                seg("逾期", 0, Color::RED, None),
            ],
        ),
    ]
}

fn sample_series() -> Vec<Series> {
    let pts = |f: fn(f64) -> f64| (1..=30).map(|d| (format!("11-{d:02}"), f(f64::from(d)))).collect();
    vec![
        Series { label: "已销号".into(), color: Color::GREEN, points: pts(|d| d * 10.0) },
        Series { label: "逾期".into(), color: Color::RED, points: pts(|d| 40.0 - d) },
    ]
}

/// `attr` of every bar `<rect>` (legend swatches and the background have
/// rounded corners, bars do not) whose fill is `fill`.
fn rect_attr(svg: &str, fill: &str, attr: &str) -> Vec<f64> {
    svg.split("<rect ")
        .skip(1)
        .map(|r| format!(" {}", r.split("/>").next().unwrap_or("")))
        .filter(|r| r.contains(&format!("fill=\"{fill}\"")) && !r.contains("rx="))
        .filter_map(|r| r.split(&format!(" {attr}=\"")).nth(1)?.split('"').next()?.parse().ok())
        .collect()
}

fn all_charts(theme: Theme) -> Vec<String> {
    vec![
        stacked_bars("各单位整改进度", &sample_rows(), 860, theme),
        ratio_ring("整改完成率", 362, 500, "已销号 / 应整改", Color::GREEN, theme),
        trend_lines("整改趋势", &sample_series(), 860, 360, theme),
    ]
}

#[test]
fn charts_are_well_formed_and_accessible_in_both_themes() {
    for theme in [Theme::Light, Theme::Dark] {
        for svg in all_charts(theme) {
            assert_sound(&svg);
        }
    }
}

#[test]
fn the_checker_rejects_broken_markup() {
    assert!(check_xml("<svg><g></svg>").is_err());
    assert!(check_xml("<svg a=1/>").is_err());
    assert!(check_xml("<svg>a & b</svg>").is_err());
    assert!(check_xml("<svg/><svg/>").is_err());
    assert!(check_xml(r#"<svg a="1" a="2"/>"#).is_err());
    assert!(check_xml(r#"<svg a="&lt;">&#39;</svg>"#).is_ok());
}

#[test]
fn output_is_deterministic() {
    for theme in [Theme::Light, Theme::Dark] {
        assert_eq!(all_charts(theme), all_charts(theme));
    }
    assert_ne!(all_charts(Theme::Light), all_charts(Theme::Dark));
}

#[test]
fn every_text_and_href_is_escaped() {
    let evil = "<script>&\"'";
    let rows = vec![BarRow {
        label: evil.into(),
        label_href: Some("/u?a=1&b=\"x\"".into()),
        segments: vec![seg(evil, 5, Color::RED, Some("/i?x=<script>&y='1'"))],
    }];
    let series =
        vec![Series { label: evil.into(), color: Color::BLUE, points: vec![(evil.into(), 1.0), ("b".into(), 2.0)] }];
    for svg in [
        stacked_bars(evil, &rows, 600, Theme::Light),
        ratio_ring(evil, 1, 2, evil, Color::GREEN, Theme::Dark),
        trend_lines(evil, &series, 600, 300, Theme::Light),
    ] {
        assert_sound(&svg);
        assert!(!svg.contains("<script") && !svg.contains("&\"'"));
        assert!(svg.contains("&lt;script&gt;&amp;&quot;&#39;"));
    }
    let bars = stacked_bars("t", &rows, 600, Theme::Light);
    assert!(bars.contains(r#"href="/u?a=1&amp;b=&quot;x&quot;""#));
    assert!(bars.contains(r#"href="/i?x=&lt;script&gt;&amp;y=&#39;1&#39;""#));
}

#[test]
fn links_appear_exactly_where_hrefs_are_given() {
    let svg = stacked_bars("t", &sample_rows(), 860, Theme::Light);
    assert_eq!(svg.matches("<a ").count(), 2);
    assert!(svg.contains(
        r#"<a href="/i?u=1&amp;s=c" xlink:href="/i?u=1&amp;s=c"><title>市生态环境局｜已销号：48（76.2%）</title><rect"#
    ));
    assert!(svg.contains("xmlns:xlink="));
    let mut rows = sample_rows();
    rows.iter_mut().flat_map(|r| &mut r.segments).for_each(|s| s.href = None);
    let plain = stacked_bars("t", &rows, 860, Theme::Light);
    assert!(!plain.contains("<a ") && !plain.contains("xmlns:xlink"));
    rows[1].label_href = Some("/board/2".into());
    assert_eq!(stacked_bars("t", &rows, 860, Theme::Light).matches("<a ").count(), 1);
    rows[1].label_href = Some("javascript:alert(1)".into());
    assert!(!stacked_bars("t", &rows, 860, Theme::Light).contains("<a "));
}

#[test]
fn bar_widths_are_proportional_to_values() {
    let colors = [Color("#111111"), Color("#222222"), Color("#333333")];
    let values = [48u64, 12, 3, 24];
    let rows = vec![
        row("a", vec![seg("x", values[0], colors[0], None), seg("y", values[1], colors[1], None)]),
        row("b", vec![seg("z", values[2], colors[2], None), seg("x", values[3], colors[0], None)]),
    ];
    let svg = stacked_bars("t", &rows, 900, Theme::Light);
    let x = rect_attr(&svg, "#111111", "width");
    let (y, z) = (rect_attr(&svg, "#222222", "width"), rect_attr(&svg, "#333333", "width"));
    assert_eq!((x.len(), y.len(), z.len()), (2, 1, 1));
    let unit = x[0] / 48.0;
    for (w, v) in [(x[1], 24.0), (y[0], 12.0), (z[0], 3.0)] {
        assert!((w - v * unit).abs() < 0.02, "{w} vs {}", v * unit);
    }
    // Segments are stacked: each starts where the previous ended.
    let xs = rect_attr(&svg, "#222222", "x");
    let x0 = rect_attr(&svg, "#111111", "x");
    assert!((xs[0] - (x0[0] + x[0])).abs() < 0.02);
    // The row total is printed at the bar end.
    assert!(svg.contains(r#"font-weight="700">60</text>"#) && svg.contains(r#"font-weight="700">27</text>"#));
}

#[test]
fn numbers_are_printed_inside_wide_segments_only() {
    let rows = vec![row("a", vec![seg("x", 1000, Color::GREEN, None), seg("y", 1, Color::RED, None)])];
    let svg = stacked_bars("t", &rows, 600, Theme::Light);
    assert!(svg.contains(">1000</text>"));
    assert!(!svg.contains(">1</text>"));
    assert!(svg.contains("<title>a｜y：1（0.1%）</title>"));
}

#[test]
fn long_labels_are_truncated_with_full_title() {
    let long = "市自然资源和规划局不动产登记中心第一分中心窗口服务科";
    let rows = vec![row(long, vec![seg("已销号", 3, Color::GREEN, None)]), row("石桥县", vec![])];
    let svg = stacked_bars(long, &rows, 400, Theme::Light);
    assert_sound(&svg);
    assert!(svg.contains('…'));
    assert!(svg.contains(&format!("<title>{long}</title>")));
}

#[test]
fn edge_inputs_never_panic_or_leak_non_finite_numbers() {
    let huge = u64::MAX / 2;
    let big_rows = vec![row(
        "巨",
        vec![seg("a", huge, Color::GREEN, None), seg("b", huge, Color::BLUE, None), seg("c", huge, Color::RED, None)],
    )];
    let zero_rows = vec![row("零", vec![seg("a", 0, Color::GREEN, None)]), row("空", vec![])];
    let many: Vec<BarRow> =
        (0..200).map(|i| row(&format!("第{i}网格"), vec![seg("已销号", i, Color::GREEN, Some("/x"))])).collect();
    let nasty = vec![
        Series {
            label: "nan".into(),
            color: Color::RED,
            points: vec![("a".into(), f64::NAN), ("b".into(), f64::INFINITY), ("c".into(), f64::NEG_INFINITY)],
        },
        Series { label: "one".into(), color: Color::BLUE, points: vec![("a".into(), 3.0)] },
        Series { label: "none".into(), color: Color::GREY, points: vec![] },
    ];
    let extreme = vec![Series {
        label: "x".into(),
        color: Color::RED,
        points: vec![("a".into(), -f64::MAX), ("b".into(), f64::MAX), ("c".into(), 1e-300)],
    }];
    let only_nan = vec![Series { label: "x".into(), color: Color::RED, points: vec![("a".into(), f64::NAN)] }];
    let mut outputs = Vec::new();
    for theme in [Theme::Light, Theme::Dark] {
        for width in [0, 1, 240, 860, u32::MAX] {
            outputs.push(stacked_bars("", &[], width, theme));
            outputs.push(stacked_bars("t", &big_rows, width, theme));
            outputs.push(stacked_bars("t", &zero_rows, width, theme));
            outputs.push(stacked_bars("t", &many[..1], width, theme));
            outputs.push(trend_lines("t", &nasty, width, width, theme));
            outputs.push(trend_lines("t", &extreme, width, 300, theme));
        }
        outputs.push(stacked_bars("t", &many, 860, theme));
        outputs.push(trend_lines("", &[], 860, 300, theme));
        outputs.push(trend_lines("t", &only_nan, 860, 300, theme));
        for (n, d) in [(0, 0), (5, 0), (0, 5), (huge, 1), (1, huge), (u64::MAX, u64::MAX), (7, 5)] {
            outputs.push(ratio_ring("t", n, d, "", Color::BLUE, theme));
        }
    }
    for svg in &outputs {
        assert_sound(svg);
    }
    let many_svg = stacked_bars("t", &many, 860, Theme::Light);
    assert_eq!(many_svg.matches("<a ").count(), 199, "the zero row draws no bar");
    let big = stacked_bars("t", &big_rows, 860, Theme::Light);
    assert!(big.contains(&format!(">{}</text>", u128::from(huge) * 3)));
}

#[test]
fn empty_charts_say_so() {
    assert!(stacked_bars("t", &[], 600, Theme::Light).contains("暂无数据"));
    assert!(trend_lines("t", &[], 600, 300, Theme::Light).contains("暂无数据"));
}

#[test]
fn ring_shows_one_decimal_percentage_and_dash_for_zero_over_zero() {
    let svg = ratio_ring("整改完成率", 362, 500, "已销号 / 应整改", Color::GREEN, Theme::Light);
    assert!(
        svg.contains(">72.4%</text>") && svg.contains(">362 / 500</text>") && svg.contains(">已销号 / 应整改</text>")
    );
    assert!(svg.contains("<title>整改完成率：72.4%（362/500）</title>"));
    assert!(svg.contains("stroke-dasharray"));
    let none = ratio_ring("按期办结率", 0, 0, "", Color::GREEN, Theme::Light);
    assert!(none.contains(">—</text>") && !none.contains("stroke-dasharray"));
}

#[test]
fn trend_points_carry_exact_figures_and_skip_non_finite_values() {
    let series = vec![Series {
        label: "已销号".into(),
        color: Color::GREEN,
        points: vec![
            ("11-01".into(), 12.0),
            ("11-02".into(), f64::NAN),
            ("11-03".into(), 17.5),
            ("11-04".into(), 20.0),
        ],
    }];
    let svg = trend_lines("t", &series, 600, 300, Theme::Light);
    assert!(svg.contains("<title>已销号｜11-01：12</title>") && svg.contains("<title>已销号｜11-03：17.5</title>"));
    assert_eq!(svg.matches("<circle").count(), 3);
    // The NaN breaks the line: the isolated first point starts its own subpath.
    let d = svg.split(r#"<path d="M"#).find(|p| p.contains("stroke-width=\"2.5\"")).unwrap();
    assert_eq!(d.split('"').next().unwrap().matches('M').count(), 1, "only the 11-03..11-04 run is a line");
    // A single point is still drawn, as a dot.
    let one = vec![Series { label: "a".into(), color: Color::BLUE, points: vec![("11-01".into(), 5.0)] }];
    assert_eq!(trend_lines("t", &one, 600, 300, Theme::Light).matches("<circle").count(), 1);
}

#[test]
fn trend_x_labels_never_overlap() {
    let points: Vec<(String, f64)> = (0..365).map(|d| (format!("2025-{:03}", d), f64::from(d))).collect();
    let svg = trend_lines("t", &[Series { label: "a".into(), color: Color::BLUE, points }], 600, 300, Theme::Light);
    assert_sound(&svg);
    let xs: Vec<f64> = svg
        .split("<text ")
        .filter(|t| t.contains(">2025-"))
        .filter_map(|t| t.split("x=\"").nth(1)?.split('"').next()?.parse().ok())
        .collect();
    assert!(xs.len() > 3 && xs.len() < 20, "{}", xs.len());
    assert!(svg.contains(">2025-364</text>"), "the latest label is shown");
    let width = 8.0 * 0.55 * 11.0;
    assert!(xs.windows(2).all(|w| w[1] - w[0] >= width), "{xs:?}");
}

#[test]
fn y_ticks_are_round() {
    let svg = trend_lines("t", &sample_series(), 860, 360, Theme::Light);
    for tick in [">0</text>", ">100</text>", ">200</text>", ">300</text>"] {
        assert!(svg.contains(tick), "{tick}");
    }
}
