//! Chart 1, outcomes over time: conflict incidents per recording period, the mean income of
//! the miners still digging and cumulative company cost, one panel each; per strategy the
//! median across seeds as a line and the 5th-95th percentile as a pale band. A panel where
//! one strategy runs far above the rest is drawn on a square-root axis.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::data::{RunData, SeriesPoint};
use super::frame::{Area, DrawError, Mark, draw_frame, fit_bold, strategy_legend, widest};
use super::scale::off_scale;
use super::theme::{CAPTION, GRID, INK, LABEL, TICK, strategy_colour, text, tick};

/// One panel: which series, its caption, its unit and the divisor into that unit.
struct Panel {
    metric: &'static str,
    caption: &'static str,
    unit: String,
    divisor: f64,
}

fn panels(period_weeks: u64) -> [Panel; 3] {
    [
        Panel {
            metric: "conflict_incidents",
            caption: "Conflict incidents",
            unit: format!("Incidents per {period_weeks} weeks"),
            divisor: 1.0,
        },
        Panel {
            metric: "mean_income_usd_week",
            caption: "Income of miners still digging",
            unit: "USD per miner-week".to_string(),
            divisor: 1.0,
        },
        Panel {
            metric: "cumulative_cost_usd",
            caption: "Cumulative company cost",
            unit: "USD millions (undiscounted)".to_string(),
            divisor: 1e6,
        },
    ]
}

/// Draws the chart on `root`.
pub(crate) fn draw<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    title: &str,
) -> Result<(), DrawError> {
    let legend = strategy_legend(&data.strategies, Mark::Band);
    let footnote = format!(
        "Lines: median across seeds; shaded bands: 5th to 95th percentile (90% of simulated futures). {} Conflict counts clashes, attacks on staff or assets and blockade episodes.",
        super::basis(data)
    );
    let plot = draw_frame(root, title, &legend, &footnote)?;
    let areas = plot.split_evenly((1, 3));
    for (area, panel) in areas.iter().zip(panels(data.period_weeks())) {
        draw_panel(area, data, &panel)?;
    }
    Ok(())
}

/// Median and band of one metric for every strategy, in display units.
fn series_of(data: &RunData, panel: &Panel) -> Vec<(usize, Vec<SeriesPoint>)> {
    (0..data.strategies.len())
        .map(|s| {
            let points = data.series(s, panel.metric).iter().map(|p| SeriesPoint {
                week: p.week,
                mean: p.mean / panel.divisor,
                p05: p.p05 / panel.divisor,
                p50: p.p50 / panel.divisor,
                p95: p.p95 / panel.divisor,
            });
            (s, points.collect())
        })
        .collect()
}

/// Whether one strategy's median runs so far above the others' 90% bands that a linear axis
/// would flatten them (confrontation's incidents beside the engaged strategies'): such a
/// panel is drawn on a square-root axis, which spreads out the small numbers.
fn needs_sqrt(series: &[(usize, Vec<SeriesPoint>)]) -> bool {
    let spans: Vec<(f64, f64)> = series
        .iter()
        .map(|(_, pts)| {
            // Typical levels over the horizon: the mean of the median and of the band's top.
            let n = pts.len().max(1) as f64;
            let median = pts.iter().map(|p| p.p50).sum::<f64>() / n;
            (median, pts.iter().map(|p| p.p95).sum::<f64>() / n)
        })
        .collect();
    let lowest = series.iter().flat_map(|(_, p)| p).map(|p| p.p05);
    lowest.fold(0.0, f64::min) >= 0.0 && off_scale(&spans, 1).iter().any(|o| *o)
}

fn draw_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    data: &RunData,
    panel: &Panel,
) -> Result<(), DrawError> {
    let series = series_of(data, panel);
    let sqrt = needs_sqrt(&series);
    let f = |v: f64| if sqrt { v.max(0.0).sqrt() } else { v };
    let all = series.iter().flat_map(|(_, pts)| pts.iter());
    let (lo, hi) = all.fold((0.0f64, 0.0f64), |(lo, hi), p| {
        (lo.min(p.p05), hi.max(p.p95))
    });
    let hi = if hi > lo { hi * 1.05 } else { lo + 1.0 };
    let x_max = (data.weeks() as f64 / 52.0).max(0.1);
    let tick_style = text(TICK, INK);
    let tick_w = widest(area, [tick(hi), tick(lo), tick(hi / 2.0)], &tick_style)?;
    let caption_w = area.dim_in_pixel().0 as i32 - 16;
    let (caption, caption_style) = fit_bold(area, panel.caption, CAPTION, caption_w)?;
    let unit = if sqrt {
        format!("{} (square-root scale)", panel.unit)
    } else {
        panel.unit.clone()
    };
    let mut chart = ChartBuilder::on(area)
        .caption(caption, caption_style)
        .margin_right(30)
        .margin_left(10)
        .margin_top(6)
        .x_label_area_size(76)
        .y_label_area_size(tick_w + 22 + LABEL as i32)
        .build_cartesian_2d(0.0..x_max, f(lo)..f(hi))?;
    chart
        .configure_mesh()
        .x_desc("Years from start")
        .y_desc(unit.as_str())
        .axis_desc_style(text(LABEL, INK))
        .label_style(tick_style)
        .x_labels(6)
        .y_labels(if sqrt { 0 } else { 6 })
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .bold_line_style(GRID)
        .light_line_style(WHITE)
        .draw()?;
    if sqrt {
        sqrt_ticks(area, &mut chart, hi, x_max)?;
    }
    let years = |p: &SeriesPoint| p.week / 52.0;
    for (s, pts) in &series {
        let c = strategy_colour(&data.strategies[*s], &data.strategies);
        let upper = pts.iter().map(|p| (years(p), f(p.p95)));
        let lower = pts.iter().rev().map(|p| (years(p), f(p.p05)));
        let band = Polygon::new(upper.chain(lower).collect::<Vec<_>>(), c.mix(0.14).filled());
        chart.draw_series(std::iter::once(band))?;
    }
    for (s, pts) in &series {
        let line = pts.iter().map(|p| (years(p), f(p.p50)));
        let c = strategy_colour(&data.strategies[*s], &data.strategies);
        chart.draw_series(LineSeries::new(line, c.stroke_width(4)))?;
    }
    Ok(())
}

type Chart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

/// Grid lines and labels of a square-root axis at readable values (0, 1, 2, 5 x 10^k) at
/// least 36 pixels apart, up to `hi`.
fn sqrt_ticks<DB: DrawingBackend>(
    area: &Area<DB>,
    chart: &mut Chart<'_, DB>,
    hi: f64,
    x_max: f64,
) -> Result<(), DrawError> {
    let origin = area.get_base_pixel();
    let mut last: Option<i32> = None;
    let values =
        std::iter::once(0.0).chain((0..8).flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(k))));
    for v in values.take_while(|v| *v <= hi) {
        let (x0, y) = chart.backend_coord(&(0.0, v.sqrt()));
        if last.is_some_and(|l| l - y < 36) {
            continue;
        }
        last = Some(y);
        let grid = PathElement::new(vec![(0.0, v.sqrt()), (x_max, v.sqrt())], GRID);
        chart.draw_series(std::iter::once(grid))?;
        let style = text(TICK, INK).pos(Pos::new(HPos::Right, VPos::Center));
        let at = (x0 - 10 - origin.0, y - origin.1);
        area.draw(&Text::new(tick(v), at, style))?;
    }
    Ok(())
}
