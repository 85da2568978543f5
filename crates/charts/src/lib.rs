//! Server-side SVG charts for the 挂图作战 (progress) boards.
//!
//! Every chart is one self-contained SVG string: no JavaScript, no external
//! fonts or CSS. The same bytes are embedded inline in HTML pages, on the
//! dark full-screen view and in exported reports. Charts are accessible
//! (`role="img"`, `<title>`, `<desc>`, a `<title>` tooltip with the exact
//! figure on every bar and point), all text is XML-escaped, and any bar or
//! row label with an href becomes a link so boards can drill down from every
//! number to the list behind it.
//!
//! All functions are pure and deterministic (same input, same bytes) and
//! never panic: empty input, zero totals, huge values and non-finite series
//! values are all handled.
//!
//! ```
//! use qingfeng_charts::{ratio_ring, Color, Theme};
//! let svg = ratio_ring("整改完成率", 362, 500, "已销号 / 应整改", Color::GREEN, Theme::Light);
//! assert!(svg.starts_with("<svg ") && svg.contains(">72.4%</text>"));
//! ```

mod bars;
mod ring;
mod svg;
mod ticks;
mod trend;

pub use bars::stacked_bars;
pub use ring::ratio_ring;
pub use ticks::nice_ticks;
pub use trend::trend_lines;

/// Colour scheme: `Light` for ordinary pages and exports, `Dark` for the
/// full-screen 大屏 view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub enum Theme {
    #[default]
    Light,
    Dark,
}

/// A fill colour as a CSS colour literal (`#rrggbb` preferred).
///
/// The named constants are shifted to lighter, equally meaningful tones on
/// the dark theme so they keep their contrast there; any other literal is
/// used as given.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Color(pub &'static str);

impl Color {
    /// 按序推进 / done (已销号).
    pub const GREEN: Color = Color("#2e7d32");
    /// 滞后预警 / lagging.
    pub const YELLOW: Color = Color("#f9a825");
    /// 逾期 / overdue.
    pub const RED: Color = Color("#c62828");
    /// Neutral: not started, not applicable.
    pub const GREY: Color = Color("#78909c");
    /// In progress (整改中).
    pub const BLUE: Color = Color("#1565c0");
    /// Relapse (反弹回潮).
    pub const PURPLE: Color = Color("#6a1b9a");

    /// The literal to draw with on `theme`.
    pub fn on(self, theme: Theme) -> &'static str {
        match theme {
            Theme::Light => self.0,
            Theme::Dark => match self.0 {
                "#2e7d32" => "#4caf50",
                "#f9a825" => "#fbc02d",
                "#c62828" => "#ef5350",
                "#78909c" => "#90a4ae",
                "#1565c0" => "#42a5f5",
                "#6a1b9a" => "#ba68c8",
                other => other,
            },
        }
    }
}

/// One part of a stacked bar.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Segment {
    pub label: String,
    pub value: u64,
    pub color: Color,
    /// Drill-down link; the segment becomes an `<a>` when set.
    pub href: Option<String>,
}

/// One row of [`stacked_bars`], e.g. one child unit.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BarRow {
    pub label: String,
    /// Link for the row label, e.g. the unit's own board.
    pub label_href: Option<String>,
    pub segments: Vec<Segment>,
}

/// One line of [`trend_lines`]: `(x label, value)` points in time order.
/// Non-finite values are skipped (the line breaks there).
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    pub label: String,
    pub color: Color,
    pub points: Vec<(String, f64)>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn named_colours_lighten_on_dark_and_others_pass_through() {
        assert_eq!(Color::RED.on(Theme::Light), "#c62828");
        assert_ne!(Color::RED.on(Theme::Dark), "#c62828");
        assert_eq!(Color("#123456").on(Theme::Dark), "#123456");
    }
}
