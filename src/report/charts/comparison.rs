//! Chart 2, strategy comparison: conflict incidents over the horizon, mean miner income and
//! NPV cost per strategy, as horizontal bars (mean across seeds) with 95% confidence
//! intervals of the mean as whiskers. Strategies read top to bottom in run order.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::data::{RunData, Stat};
use super::super::format::{display_name, num, pct, years};
use super::frame::{
    Area, DrawError, LegendItem, Mark, RowAxes, fit_bold, room_for_labels, row_chart, row_height,
    strategy_legend, widest,
};
use super::theme::{CAPTION, INK, LABEL, TICK, strategy_colour, text};

/// One panel: which metric, its caption, its axis unit and the divisor into that unit.
struct Panel {
    metric: &'static str,
    caption: &'static str,
    unit: String,
    divisor: f64,
}

fn panels(data: &RunData) -> [Panel; 3] {
    let rate = super::super::context::discount_rate(&data.scenario)
        .map_or_else(String::new, |r| format!(", {}/yr discount", pct(r)));
    [
        Panel {
            metric: "conflict_incidents",
            caption: "Conflict incidents",
            unit: format!("Incidents over {}", years(data.weeks())),
            divisor: 1.0,
        },
        Panel {
            metric: "mean_income_usd_week",
            caption: "Mean miner income",
            unit: "USD per miner per week".to_string(),
            divisor: 1.0,
        },
        Panel {
            metric: "npv_cost_usd",
            caption: "NPV cost to the company",
            unit: format!("USD millions{rate}"),
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
    let mut legend = strategy_legend(&data.strategies, Mark::Fill);
    legend.push(LegendItem::new(
        Mark::Whisker(INK),
        "95% confidence interval",
    ));
    let note = "Bars: mean across seeds; whiskers: 95% confidence interval of the mean.";
    let plot = super::framed(root, data, title, &legend, note)?;
    let names: Vec<String> = data.strategies.iter().map(|s| display_name(s)).collect();
    let name_w = widest(&plot, names.iter().cloned(), &text(LABEL, INK))? + 24;
    let panel_w = (plot.dim_in_pixel().0 as i32 - name_w) / 3;
    let (first, rest) = plot.split_horizontally(name_w + panel_w);
    let (second, third) = rest.split_horizontally(panel_w);
    let panels = panels(data);
    draw_panel(&first, data, &panels[0], Some((&names, name_w)))?;
    draw_panel(&second, data, &panels[1], None)?;
    draw_panel(&third, data, &panels[2], None)?;
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

fn draw_panel<DB: DrawingBackend>(
    area: &Area<DB>,
    data: &RunData,
    panel: &Panel,
    names: Option<(&[String], i32)>,
) -> Result<(), DrawError> {
    let stats = stats_of(data, panel);
    let n = stats.len();
    let hi = stats
        .iter()
        .flatten()
        .map(|s| s.ci_high.max(s.mean))
        .fold(0.0, f64::max);
    let lo = stats
        .iter()
        .flatten()
        .map(|s| s.ci_low.min(s.mean))
        .fold(0.0, f64::min);
    let span = if hi > lo { hi - lo } else { 1.0 };
    let label_w = names.map_or(8, |(_, w)| w);
    let x_lo = lo - 0.04 * span * f64::from(lo < 0.0);
    let mut labels = Vec::new();
    for stat in stats.iter().flatten() {
        let width = widest(area, [num(stat.mean)], &text(TICK, INK))?;
        labels.push((stat.ci_high.max(stat.mean), width));
    }
    let plot_px = area.dim_in_pixel().0 as i32 - label_w - 24;
    let x_hi = room_for_labels(x_lo, hi + 0.02 * span, &labels, plot_px);
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
        let mut bar = Rectangle::new(
            [
                (0.0, SegmentValue::Exact(k)),
                (stat.mean, SegmentValue::Exact(k + 1)),
            ],
            strategy_colour(s).filled(),
        );
        bar.set_margin(pad, pad, 0, 0);
        chart.draw_series(std::iter::once(bar))?;
        whisker(&mut chart, stat, k, (row_px * 0.22) as i32)?;
    }
    Ok(())
}

use super::frame::BarChart as Chart;

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
