//! Chart 2, strategy comparison: deaths and conflict incidents over the horizon, miners'
//! income and NPV cost per strategy, one panel each (a 2 x 2 grid when all four are in the
//! run), as horizontal bars (mean across seeds) with 95% confidence intervals of the mean as
//! whiskers. Income is the population-wide measure when the run has it, else the mean of the
//! miners still digging, labelled so. A bar far above the rest is drawn with a break and its
//! value beside it, so the others keep a readable scale. Strategies read top to bottom in
//! run order.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::catalogue;
use super::super::data::{RunData, Stat};
use super::super::format::{display_name, num, pct_input, years};
use super::frame::{
    Area, DrawError, LegendItem, Mark, RowAxes, fit_bold, room_for_labels, row_chart, row_height,
    strategy_legend, widest,
};
use super::scale::{off_scale, scale_max};
use super::theme::{CAPTION, INK, LABEL, TICK, bold, strategy_colour, text};

/// One panel: which metric, its caption, its axis unit and the divisor into that unit.
struct Panel {
    metric: &'static str,
    caption: &'static str,
    unit: String,
    divisor: f64,
}

fn panels(data: &RunData) -> Vec<Panel> {
    let rate = super::super::context::discount_rate(&data.scenario)
        .map_or_else(String::new, |r| format!(", {}/yr discount", pct_input(r)));
    let horizon = years(data.weeks());
    let mut out = vec![
        Panel {
            metric: "fatalities",
            caption: "Deaths",
            unit: format!("Deaths over {horizon}"),
            divisor: 1.0,
        },
        Panel {
            metric: "conflict_incidents",
            caption: "Conflict incidents",
            unit: format!("Incidents over {horizon}"),
            divisor: 1.0,
        },
    ];
    if let Some(income) = catalogue::income(data) {
        let everyone = income.replaced_by.is_none();
        out.push(Panel {
            metric: income.column,
            caption: if everyone {
                "Income per person"
            } else {
                "Income of miners still digging"
            },
            unit: if everyone {
                "USD per week, everyone ever in the area".to_string()
            } else {
                "USD per miner-week (stayers only)".to_string()
            },
            divisor: 1.0,
        });
    }
    out.push(Panel {
        metric: "npv_cost_usd",
        caption: "NPV cost to the company",
        unit: format!("USD millions{rate}"),
        divisor: 1e6,
    });
    out.retain(|p| catalogue::present(data, p.metric));
    out
}

/// Draws the chart on `root`.
pub(crate) fn draw<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    title: &str,
) -> Result<(), DrawError> {
    let mut legend = strategy_legend(&data.strategies, Mark::Fill);
    legend.push(LegendItem::new(
        Mark::Whisker(INK),
        "95% confidence interval",
    ));
    let note = "Bars: mean across seeds; whiskers: 95% confidence interval of the mean. A bar with a white break is too long to draw to scale: its value is written beside it.";
    let plot = super::framed(root, data, title, &legend, note)?;
    let names: Vec<String> = data.strategies.iter().map(|s| display_name(s)).collect();
    let name_w = widest(&plot, names.iter().cloned(), &text(LABEL, INK))? + 24;
    let panels = panels(data);
    let cols = if panels.len() == 4 {
        2
    } else {
        panels.len().max(1)
    };
    let rows = panels.len().div_ceil(cols).max(1);
    let (w, h) = plot.dim_in_pixel();
    let panel_w = (w as i32 - name_w) / cols as i32;
    let panel_h = h as i32 / rows as i32;
    for (i, panel) in panels.iter().enumerate() {
        let (col, row) = ((i % cols) as i32, (i / cols) as i32);
        let left = if col == 0 { 0 } else { name_w + col * panel_w };
        let width = if col == 0 { name_w + panel_w } else { panel_w };
        let area = plot.clone().shrink((left, row * panel_h), (width, panel_h));
        let labels = (col == 0).then_some((names.as_slice(), name_w));
        draw_panel(&area, data, panel, labels)?;
    }
    Ok(())
}

/// Stats of the panel's metric per strategy, in display units (None when absent).
fn stats_of(data: &RunData, panel: &Panel) -> Vec<Option<Stat>> {
    (0..data.strategies.len())
        .map(|s| {
            data.stat(s, panel.metric).map(|st| Stat {
                mean: st.mean / panel.divisor,
                p05: st.p05 / panel.divisor,
                p50: st.p50 / panel.divisor,
                p95: st.p95 / panel.divisor,
                ci_low: st.ci_low / panel.divisor,
                ci_high: st.ci_high / panel.divisor,
            })
        })
        .collect()
}

/// Where a bar drawn off the scale ends at most, as a share of the axis, and how far before
/// its end the break sits.
const BROKEN_END: f64 = 0.8;
const BREAK_GAP: f64 = 0.16;

fn off_label(stat: &Stat) -> String {
    format!("{} (off scale)", num(stat.mean))
}

fn draw_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    data: &RunData,
    panel: &Panel,
    names: Option<(&[String], i32)>,
) -> Result<(), DrawError> {
    let stats = stats_of(data, panel);
    let n = stats.len();
    let spans: Vec<(f64, f64)> = stats
        .iter()
        .map(|s| s.map_or((0.0, 0.0), |s| (s.mean, s.ci_high)))
        .collect();
    let off = off_scale(&spans, 1);
    let hi = scale_max(&spans, &off);
    let lo = stats
        .iter()
        .flatten()
        .map(|s| s.ci_low.min(s.mean))
        .fold(0.0, f64::min);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let label_w = names.map_or(8, |(_, w)| w);
    let x_lo = lo - 0.04 * span * f64::from(lo < 0.0);
    let mut labels = Vec::new();
    for (stat, o) in stats.iter().zip(&off) {
        if let (Some(stat), false) = (stat, o) {
            let width = widest(area, [num(stat.mean)], &text(TICK, INK))?;
            labels.push((stat.ci_high.max(stat.mean), width));
        }
    }
    let plot_px = area.dim_in_pixel().0 as i32 - label_w - 24;
    let mut x_hi = room_for_labels(x_lo, hi + 0.02 * span, &labels, plot_px);
    let (mut end_frac, mut break_frac) = (BROKEN_END, BROKEN_END - BREAK_GAP);
    if off.iter().any(|o| *o) {
        // The broken bars end where their values still fit after them, and every bar drawn
        // to scale ends before the break.
        let mut need = 0;
        for (stat, _) in stats.iter().zip(&off).filter(|(_, o)| **o) {
            let label = stat.map(|s| off_label(&s)).unwrap_or_default();
            need = need.max(widest(area, [label], &bold(TICK, INK))?);
        }
        end_frac =
            (1.0 - f64::from(need + 24) / f64::from(plot_px.max(100))).clamp(0.5, BROKEN_END);
        break_frac = end_frac - BREAK_GAP;
        x_hi = x_hi.max(x_lo + (hi - x_lo) / (break_frac - 0.06));
    }
    let caption_w = area.dim_in_pixel().0 as i32 - 16;
    let (caption, caption_style) = fit_bold(area, panel.caption, CAPTION, caption_w)?;
    let axes = RowAxes {
        caption: Some((caption, caption_style)),
        margin: (24, 6),
        label_w,
        x: x_lo..x_hi,
        x_desc: &panel.unit,
        x_labels: 5,
        n,
        names: names.map(|(list, _)| list),
    };
    let mut chart = row_chart(area, axes)?;
    let row_px = row_height(&chart, n);
    let pad = (row_px * 0.18) as u32;
    for (s, stat) in stats.iter().enumerate() {
        let Some(stat) = stat else { continue };
        let k = n - 1 - s;
        let colour = strategy_colour(&data.strategies[s], &data.strategies);
        let end = if off[s] {
            x_lo + end_frac * (x_hi - x_lo)
        } else {
            stat.mean
        };
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(k)),
                (end, SegmentValue::Exact(k + 1)),
            ],
            colour.filled(),
        );
        bar.set_margin(pad, pad, 0, 0);
        chart.draw_series(std::iter::once(bar))?;
        if off[s] {
            let at = x_lo + break_frac * (x_hi - x_lo);
            broken(&mut chart, stat, k, end, at, row_px)?;
        } else {
            whisker(&mut chart, stat, k, (row_px * 0.22) as i32)?;
        }
    }
    Ok(())
}

use super::frame::BarChart as Chart;

/// The break across a bar too long for the scale (two white slashes), and its value.
fn broken<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    stat: &Stat,
    k: usize,
    end: f64,
    at: f64,
    row_px: f64,
) -> Result<(), DrawError> {
    let y = || SegmentValue::CenterOf(k);
    let half = (row_px * 0.5) as i32;
    for dx in [-9, 9] {
        let slash = EmptyElement::at((at, y()))
            + PathElement::new(vec![(dx - 8, half), (dx + 8, -half)], WHITE.stroke_width(7));
        chart.draw_series(std::iter::once(slash))?;
    }
    let anchor = Pos::new(HPos::Left, VPos::Center);
    let label = EmptyElement::at((end, y()))
        + Text::new(off_label(stat), (12, 0), bold(TICK, INK).pos(anchor));
    chart.draw_series(std::iter::once(label))?;
    Ok(())
}

/// The 95% CI whisker of row `k`, and the mean's value just right of it.
fn whisker<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    stat: &Stat,
    k: usize,
    cap: i32,
) -> Result<(), DrawError> {
    let y = || SegmentValue::CenterOf(k);
    // A white halo under the black whisker keeps it visible on dark bars.
    for style in [WHITE.stroke_width(7), INK.stroke_width(3)] {
        let line = PathElement::new(vec![(stat.ci_low, y()), (stat.ci_high, y())], style);
        chart.draw_series(std::iter::once(line))?;
        for x in [stat.ci_low, stat.ci_high] {
            let end =
                EmptyElement::at((x, y())) + PathElement::new(vec![(0, -cap), (0, cap)], style);
            chart.draw_series(std::iter::once(end))?;
        }
    }
    let anchor = Pos::new(HPos::Left, VPos::Center);
    let label = EmptyElement::at((stat.ci_high.max(stat.mean), y()))
        + Text::new(num(stat.mean), (12, 0), text(TICK, INK).pos(anchor));
    chart.draw_series(std::iter::once(label))?;
    Ok(())
}
