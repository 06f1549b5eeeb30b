//! Chart 5, cost risk: how total cost to the company spreads across the simulated futures,
//! one box-and-whisker row per strategy (box: middle half; whiskers: 5th-95th percentile;
//! line: median; dots: single futures), with the 95th percentile, the 1-in-20 bad case
//! that boards ask about, marked and labelled.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::data::RunData;
use super::super::format::{display_name, num, years};
use super::super::stats::{quantile, stable_seed};
use super::frame::{
    Area, BarChart, DrawError, LegendItem, Mark, RowAxes, box_path, room_for_labels, row_chart,
    row_height, row_of, strategy_legend, widest,
};
use super::theme::{INK, LABEL, TICK, bold, strategy_colour, text};

/// One strategy's distribution of total cost, USD M.
struct Spread {
    values: Vec<f64>,
    q: [f64; 5],
}

fn spreads(data: &RunData) -> Vec<Spread> {
    (0..data.strategies.len())
        .map(|s| {
            let values: Vec<f64> = data
                .runs
                .values(s, "total_cost_usd")
                .iter()
                .map(|v| v / 1e6)
                .collect();
            let q = [0.05, 0.25, 0.5, 0.75, 0.95].map(|p| quantile(&values, p));
            Spread { values, q }
        })
        .collect()
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
        "5th to 95th percentile",
    ));
    legend.push(LegendItem::new(Mark::Tick(INK), "95th percentile"));
    let note = "Box: middle half of the futures; line in the box: median; whiskers: 5th to 95th percentile; dots: single futures. One future in 20 costs more than the 95th percentile. Total cost is undiscounted.";
    let plot = super::framed(root, data, title, &legend, note)?;
    let spreads = spreads(data);
    let n = spreads.len();
    let names: Vec<String> = data.strategies.iter().map(|s| display_name(s)).collect();
    let name_w = widest(&plot, names.iter().cloned(), &text(LABEL, INK))? + 24;
    let all = spreads.iter().flat_map(|s| s.values.iter().copied());
    let (lo, hi) = all.fold((0.0f64, 1e-6f64), |(lo, hi), v| (lo.min(v), hi.max(v)));
    let mut labels = Vec::new();
    for spread in spreads.iter().filter(|s| !s.values.is_empty()) {
        let width = widest(&plot, [p95_label(spread.q[4])], &bold(TICK, INK))?;
        labels.push((
            spread.values.iter().copied().fold(spread.q[4], f64::max),
            width,
        ));
    }
    let plot_px = plot.dim_in_pixel().0 as i32 - name_w - 30;
    let x_hi = room_for_labels(lo, hi, &labels, plot_px);
    let x_desc = format!(
        "Total cost to the company over {}, USD millions",
        years(data.weeks())
    );
    let axes = RowAxes {
        caption: None,
        margin: (30, 10),
        label_w: name_w,
        x: lo..x_hi,
        x_desc: &x_desc,
        x_labels: 8,
        n,
        names: Some(&names),
    };
    let mut chart = row_chart(&plot, axes)?;
    let row_px = row_height(&chart, n);
    for (s, spread) in spreads.iter().enumerate() {
        if spread.values.is_empty() {
            continue;
        }
        let key = data.strategies[s].as_str();
        draw_row(
            &mut chart,
            spread,
            row_of(s, n),
            row_px,
            strategy_colour(key, &data.strategies),
            key,
        )?;
    }
    Ok(())
}

fn draw_row<DB: DrawingBackend>(
    chart: &mut BarChart<'_, DB>,
    spread: &Spread,
    k: usize,
    row_px: f64,
    colour: RGBColor,
    key: &str,
) -> Result<(), DrawError> {
    let [p05, p25, p50, p75, p95] = spread.q;
    let half = (row_px * 0.26) as i32;
    let y = || SegmentValue::CenterOf(k);
    let line = INK.stroke_width(3);
    chart.draw_series(std::iter::once(PathElement::new(
        vec![(p05, y()), (p95, y())],
        line,
    )))?;
    let cap = |x: f64| {
        EmptyElement::at((x, y())) + PathElement::new(vec![(0, -half / 2), (0, half / 2)], line)
    };
    chart.draw_series([cap(p05)])?;
    let width = chart.backend_coord(&(p75, y())).0 - chart.backend_coord(&(p25, y())).0;
    let body = EmptyElement::at((p25, y()))
        + Rectangle::new([(0, -half), (width, half)], colour.mix(0.35).filled())
        + PathElement::new(box_path((0, -half), (width, half)), colour.stroke_width(3));
    chart.draw_series(std::iter::once(body))?;
    let median = EmptyElement::at((p50, y()))
        + PathElement::new(vec![(0, -half), (0, half)], INK.stroke_width(4));
    chart.draw_series(std::iter::once(median))?;
    draw_dots(chart, spread, k, half, colour, key)?;
    let p95_mark = EmptyElement::at((p95, y()))
        + Rectangle::new([(-3, -half - 6), (3, half + 6)], INK.filled());
    chart.draw_series(std::iter::once(p95_mark))?;
    let anchor = Pos::new(HPos::Left, VPos::Center);
    let right = spread.values.iter().copied().fold(p95, f64::max);
    let label = EmptyElement::at((right, y()))
        + Text::new(p95_label(p95), (14, 0), bold(TICK, INK).pos(anchor));
    chart.draw_series(std::iter::once(label))?;
    Ok(())
}

/// One dot per future, spread vertically by a fixed pseudo-random jitter (so overlapping
/// values stay visible and the picture is the same every time).
fn draw_dots<DB: DrawingBackend>(
    chart: &mut BarChart<'_, DB>,
    spread: &Spread,
    k: usize,
    half: i32,
    colour: RGBColor,
    key: &str,
) -> Result<(), DrawError> {
    let span = (2 * half - 8).max(1) as u64;
    let dots = spread.values.iter().enumerate().map(|(i, v)| {
        let jitter = (stable_seed(&[key, &i.to_string()]) % span) as i32 - (span / 2) as i32;
        EmptyElement::at((*v, SegmentValue::CenterOf(k)))
            + Circle::new((0, jitter), 4, colour.mix(0.9).filled())
            + Circle::new((0, jitter), 4, WHITE.stroke_width(1))
    });
    chart.draw_series(dots)?;
    Ok(())
}

fn p95_label(p95: f64) -> String {
    format!("95th pct: USD {} M", num(p95))
}
