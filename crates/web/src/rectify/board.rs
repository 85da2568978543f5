//! 挂图作战: the board of any node for its whole subtree, drawn as SVG on the
//! server, with every figure linking to the problems behind it; the same
//! board full-screen (大屏), and the on-demand recompute of warnings.

use crate::AppState;
use crate::api::{ApiQuery as Query, PathId};
use crate::ctx::{Ctx, User};
use crate::error::{AppError, AppResult};
use crate::i18n::T;
use crate::layout::{Layout, done, page};
use askama::Template;
use axum::extract::State;
use axum::response::{Redirect, Response, IntoResponse};
use qingfeng_charts::{BarRow, Color, Segment, Series, Theme, ratio_ring, stacked_bars, trend_lines};
use qingfeng_domain::access::Action;
use qingfeng_domain::rectify::tally::{Counts, percent};
use qingfeng_store::org::OrgUnit;
use qingfeng_store::rectify::{Board, BoardCell};
use serde::Deserialize;

/// `/rectify/board`: the board of the user's first scope.
pub async fn home(State(state): State<AppState>, user: User) -> AppResult<Response> {
    let id = crate::org::first_scope_unit(&state, &user, Action::ViewRectify).await?;
    Ok(Redirect::to(&format!("/rectify/board/{id}")).into_response())
}

#[derive(Deserialize, Default)]
pub struct BoardQuery {
    #[serde(default)]
    screen: Option<String>,
}

#[derive(Template)]
#[template(path = "rectify/board.html")]
struct BoardPage {
    l: Layout,
    unit: OrgUnit,
    ancestors: Vec<OrgUnit>,
    b: Board,
    bars: String,
    ring_reported: String,
    ring_verified: String,
    trend: String,
    screen: bool,
    can_recompute: bool,
    /// May read the 纸面整改 flags of this unit.
    can_flags: bool,
}

impl BoardPage {
    /// The problem list behind a figure.
    fn link(&self, extra: &str) -> String {
        format!("/rectify/problems?unit={}&{extra}", self.unit.id)
    }
    fn child_link(&self, c: &BoardCell, extra: &str) -> String {
        format!("/rectify/problems?unit={}&{extra}", c.key)
    }
    fn pct(&self, r: Option<f64>) -> String {
        percent(r)
    }
}

fn bars(unit: &OrgUnit, b: &Board, theme: Theme) -> String {
    let mut rows: Vec<BarRow> = b
        .children
        .iter()
        .map(|c| row(&c.label, &format!("unit={}", c.key), Some(format!("/rectify/board/{}", c.key)), &c.counts))
        .collect();
    if b.direct.total > 0 {
        rows.insert(0, row("本级", &format!("unit={}&only=1", unit.id), None, &b.direct));
    }
    stacked_bars("各单位整改进度", &rows, 760, theme)
}

fn row(label: &str, filter: &str, label_href: Option<String>, c: &Counts) -> BarRow {
    let seg = |name: &str, v: i64, color: Color, extra: &str| Segment {
        label: name.into(),
        value: v.max(0) as u64,
        color,
        href: Some(format!("/rectify/problems?{filter}&{extra}")),
    };
    let open_green = c.open() - c.red - c.yellow;
    BarRow {
        label: label.into(),
        label_href,
        segments: vec![
            seg("已销号", c.closed, Color::GREEN, "status=closed"),
            seg("按序推进", open_green, Color::BLUE, "warning=green"),
            seg("滞后预警", c.yellow, Color::YELLOW, "warning=yellow"),
            seg("逾期", c.red, Color::RED, "warning=red"),
        ],
    }
}

pub async fn show(State(state): State<AppState>, ctx: Ctx, user: User, PathId(id): PathId, Query(q): Query<BoardQuery>) -> AppResult<Response> {
    let (unit, b) = super::ops::board(&state, &user, id).await?;
    let r = state.store.rectify();
    let screen = q.screen.is_some();
    let theme = if screen { Theme::Dark } else { Theme::Light };
    let from = super::today().checked_sub(jiff::Span::new().days(120)).unwrap_or(super::today());
    let points = r.trend(id, from).await?;
    let series = |label: &str, color: Color, f: fn(&qingfeng_store::rectify::TrendPoint) -> i64| Series {
        label: label.into(),
        color,
        points: points.iter().map(|p| (p.day[5..].to_string(), f(p) as f64)).collect(),
    };
    let trend = trend_lines(
        "整改趋势（每日）",
        &[
            series("问题总数", Color::GREY, |p| p.total),
            series("已销号", Color::GREEN, |p| p.closed),
            series("逾期", Color::RED, |p| p.red),
            series("反弹", Color::PURPLE, |p| p.relapsed),
        ],
        760,
        260,
        theme,
    );
    let t = b.total;
    let ancestors = state.store.orgs().ancestry(&unit, &user.scopes(Action::ViewRectify)).await?;
    page(&BoardPage {
        l: Layout::new(&state, &ctx, "board", format!("{} · {}", T(ctx.lang).s("rectify.board"), unit.display_name())),
        bars: bars(&unit, &b, theme),
        ring_reported: ratio_ring("上报整改完成率", t.reported_closed().max(0) as u64, t.total.max(0) as u64, "单位上报已销号", Color::BLUE, theme),
        ring_verified: ratio_ring("核验后整改完成率", t.closed.max(0) as u64, t.total.max(0) as u64, "扣除抽查发现的纸面整改", Color::GREEN, theme),
        trend,
        screen,
        can_recompute: user.can(Action::ReviewRectify, &unit.path),
        can_flags: super::spot::may_see_flags(&user, &unit.path),
        ancestors,
        unit,
        b,
    })
}

/// Recomputes every colour now and raises escalations (the daily job, on demand).
pub async fn recompute(State(state): State<AppState>, user: User, PathId(id): PathId) -> AppResult<Response> {
    let unit = crate::org::visible_unit(&state, &user, id, Action::ReviewRectify).await?;
    let who = user.who();
    state.store.rectify().recompute_warnings(&who, &super::reckon(&state).env()).await.map_err(AppError::from)?;
    Ok(done(&state, &format!("/rectify/board/{}", unit.id), "flash.recomputed"))
}
