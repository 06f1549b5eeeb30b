//! Sensitivity charts: one ranked bar (tornado) chart per metric, written by `cohabit
//! sensitivity` as `charts/sensitivity_<metric>.png` and `.svg`.
//!
//! Rows are the design's factors, the most influential at the top (ranked by the largest
//! index over the strategies); each row holds one bar per strategy, in the strategies'
//! report colours. Morris: bars are `mu*`, a black tick marks `sigma`. Sobol: bars are the
//! total index `ST` with its 95% bootstrap interval, a black tick marks the first-order
//! index `S1`.

use std::path::{Path, PathBuf};

use plotters::prelude::*;

use super::frame::{
    Area, DrawError, LegendItem, Mark, RowAxes, draw_frame, row_chart, row_height, strategy_legend,
    widest,
};
use super::theme::{self, INK, LABEL, strategy_colour, text};
use super::{encode_png, finish_svg};
use crate::design::{Analysis, Design, Method};
use crate::experiment::indices::Indices;
use crate::report::ReportError;

/// One bar: the index, its interval (if any) and the tick value.
#[derive(Clone, Copy)]
struct Bar {
    value: f64,
    interval: Option<(f64, f64)>,
    tick: f64,
}

/// What one chart shows.
struct Tornado<'a> {
    title: String,
    axis: &'static str,
    tick_label: &'static str,
    footnote: String,
    strategies: Vec<&'a str>,
    /// Factor names, top row first.
    factors: Vec<String>,
    /// bars[row][strategy].
    bars: Vec<Vec<Bar>>,
}

fn bars_of(a: &Analysis) -> Vec<Bar> {
    match a {
        Analysis::Morris(v) => v
            .iter()
            .map(|i| Bar {
                value: i.mu_star,
                interval: None,
                tick: i.sigma,
            })
            .collect(),
        Analysis::Sobol(v) => v
            .iter()
            .map(|i| Bar {
                value: i.total,
                interval: Some((i.total_low, i.total_high)),
                tick: i.first,
            })
            .collect(),
    }
}

/// Draws one chart per metric under `<dir>/charts/`; `replicates` is the seeds averaged at
/// each design point. Returns the files written.
pub fn sensitivity_charts(
    dir: &Path,
    design: &Design,
    all: &[Indices],
    replicates: u32,
) -> Result<Vec<PathBuf>, ReportError> {
    theme::register_fonts().map_err(|message| ReportError::Draw {
        chart: "fonts".to_string(),
        message,
    })?;
    let charts = dir.join(crate::report::CHARTS_DIR);
    crate::report::write::ensure_dir(&charts)?;
    let mut metrics: Vec<&str> = Vec::new();
    for x in all {
        if !metrics.contains(&x.metric.as_str()) {
            metrics.push(&x.metric);
        }
    }
    let mut written = Vec::new();
    for metric in metrics {
        let of_metric: Vec<&Indices> = all.iter().filter(|x| x.metric == metric).collect();
        let t = tornado(design, metric, &of_metric, replicates);
        let stem = format!("sensitivity_{metric}");
        let fail = |e: DrawError| ReportError::Draw {
            chart: stem.clone(),
            message: e.0,
        };
        let mut svg = String::new();
        {
            let root = SVGBackend::with_string(&mut svg, theme::SIZE).into_drawing_area();
            draw(&root, &t).map_err(fail)?;
            root.present().map_err(|e| fail(e.into()))?;
        }
        let (w, h) = theme::SIZE;
        let mut pixels = vec![0u8; w as usize * h as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut pixels, theme::SIZE).into_drawing_area();
            draw(&root, &t).map_err(fail)?;
            root.present().map_err(|e| fail(e.into()))?;
        }
        let png =
            encode_png(&pixels, w, h).map_err(|e| fail(DrawError(format!("PNG encoding: {e}"))))?;
        let svg_path = charts.join(format!("{stem}.svg"));
        let png_path = charts.join(format!("{stem}.png"));
        crate::report::write::write_atomic(&svg_path, finish_svg(&svg, &t.title).as_bytes())?;
        crate::report::write::write_atomic(&png_path, &png)?;
        written.extend([png_path, svg_path]);
    }
    Ok(written)
}

fn tornado<'a>(design: &Design, metric: &str, xs: &[&'a Indices], replicates: u32) -> Tornado<'a> {
    let per_strategy: Vec<Vec<Bar>> = xs.iter().map(|x| bars_of(&x.analysis)).collect();
    let k = design.factors.len();
    let top = |f: usize| {
        per_strategy
            .iter()
            .map(|b| b[f].value)
            .fold(f64::NEG_INFINITY, f64::max)
    };
    let mut order: Vec<usize> = (0..k).collect();
    order.sort_by(|&a, &b| top(b).total_cmp(&top(a)).then(a.cmp(&b)));
    let words = crate::report::catalogue::title_words(metric);
    let seeds = format!(
        "Model output at each design point: the mean of {words} over {replicates} seed{} per strategy (column {metric}).",
        if replicates == 1 { "" } else { "s" }
    );
    let (axis, tick_label, method) = match &design.method {
        Method::Sobol { samples, bootstrap } => (
            "Total Sobol index ST (share of the output variance)",
            "First-order index S1",
            format!(
                "Sobol indices from a Saltelli design of {samples} base samples (Jansen estimators); whiskers: 95% interval from {bootstrap} bootstrap resamples."
            ),
        ),
        Method::Morris {
            trajectories,
            levels,
        } => (
            "mu*: mean absolute change of the output when the factor moves across its range",
            "sigma (spread of the effects)",
            format!(
                "Morris elementary effects: {trajectories} trajectories on a {levels}-level grid."
            ),
        ),
        _ => ("Index", "", String::new()),
    };
    Tornado {
        title: format!("What moves {words}"),
        axis,
        tick_label,
        footnote: format!(
            "{method} {seeds} Factors ranked by their largest index over the strategies."
        ),
        strategies: xs.iter().map(|x| x.strategy.as_str()).collect(),
        factors: order
            .iter()
            .map(|&f| design.factors[f].key.clone())
            .collect(),
        bars: order
            .iter()
            .map(|&f| per_strategy.iter().map(|b| b[f]).collect())
            .collect(),
    }
}

fn draw<DB: DrawingBackend>(root: &Area<DB>, t: &Tornado) -> Result<(), DrawError> {
    let mut legend = strategy_legend(&t.strategies, Mark::Fill);
    legend.push(LegendItem::new(Mark::Tick(INK), t.tick_label));
    if t.bars.iter().flatten().any(|b| b.interval.is_some()) {
        legend.push(LegendItem::new(Mark::Whisker(INK), "95% interval"));
    }
    let plot = draw_frame(root, &t.title, &legend, &t.footnote)?;
    let n = t.factors.len();
    let label_w = widest(&plot, t.factors.iter().cloned(), &text(LABEL, INK))? + 24;
    let values = t.bars.iter().flatten().flat_map(|b| {
        let (lo, hi) = b.interval.unwrap_or((b.value, b.value));
        [b.value, lo, hi, b.tick]
    });
    let (lo, hi) = values.fold((0.0f64, 0.0f64), |(l, h), v| (l.min(v), h.max(v)));
    let span = if hi > lo { hi - lo } else { 1.0 };
    let axes = RowAxes {
        caption: None,
        margin: (24, 6),
        label_w,
        x: lo - 0.02 * span * f64::from(lo < 0.0)..hi + 0.04 * span,
        x_desc: t.axis,
        x_labels: 6,
        n,
        names: Some(&t.factors),
    };
    let mut chart = row_chart(&plot, axes)?;
    let row_px = row_height(&chart, n);
    let s_n = t.strategies.len().max(1);
    let pad = row_px * 0.12;
    let h = (row_px - 2.0 * pad) / s_n as f64;
    for (r, row) in t.bars.iter().enumerate() {
        let k = n - 1 - r;
        for (s, bar) in row.iter().enumerate() {
            let top = pad + s as f64 * h;
            let mut rect = Rectangle::new(
                [
                    (0.0, SegmentValue::Exact(k)),
                    (bar.value, SegmentValue::Exact(k + 1)),
                ],
                strategy_colour(t.strategies[s], &t.strategies).filled(),
            );
            rect.set_margin(top as u32, (row_px - top - h * 0.85) as u32, 0, 0);
            chart.draw_series(std::iter::once(rect))?;
            // Pixel offset of this bar's centre from the row's centre.
            let dy = (top + h * 0.425 - row_px / 2.0) as i32;
            let half = ((h * 0.42) as i32).max(3);
            let at = |x: f64| EmptyElement::at((x, SegmentValue::CenterOf(k)));
            if let Some((l, u)) = bar.interval {
                for style in [WHITE.stroke_width(5), INK.stroke_width(2)] {
                    let span_px = chart.backend_coord(&(u, SegmentValue::CenterOf(k))).0
                        - chart.backend_coord(&(l, SegmentValue::CenterOf(k))).0;
                    let whisker = at(l)
                        + PathElement::new(vec![(0, dy), (span_px, dy)], style)
                        + PathElement::new(vec![(0, dy - half), (0, dy + half)], style)
                        + PathElement::new(vec![(span_px, dy - half), (span_px, dy + half)], style);
                    chart.draw_series(std::iter::once(whisker))?;
                }
            }
            for style in [WHITE.stroke_width(8), INK.stroke_width(4)] {
                let mark =
                    at(bar.tick) + PathElement::new(vec![(0, dy - half), (0, dy + half)], style);
                chart.draw_series(std::iter::once(mark))?;
            }
        }
    }
    Ok(())
}
