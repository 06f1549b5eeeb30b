//! Chart 4, where the money goes: the mean cost to the company over the horizon by category,
//! as one stacked horizontal bar per strategy. Categories that saved money (a negative
//! off-take net: buying and reselling ASM output earned more than it cost) are drawn left of
//! zero, and a black mark shows the net total, so nothing is hidden in the stack.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::data::RunData;
use super::super::format::{display_name, num, years};
use super::frame::{
    Area, BarChart, DrawError, LegendItem, Mark, RowAxes, room_for_labels, row_chart, row_height,
    row_of, widest,
};
use super::theme::{INK, LABEL, TICK, text};

/// Cost categories in stacking order: column, label, colour (Paul Tol's muted scheme, which
/// stays distinct for colour-blind readers and is not the strategies' palette).
const CATEGORIES: [(&str, &str, RGBColor); 8] = [
    ("security_cost_usd", "Security", RGBColor(0x33, 0x22, 0x88)),
    (
        "production_loss_usd",
        "Production loss",
        RGBColor(0x88, 0xCC, 0xEE),
    ),
    (
        "theft_damage_cost_usd",
        "Theft and damage",
        RGBColor(0x44, 0xAA, 0x99),
    ),
    (
        "compensation_cost_usd",
        "Compensation",
        RGBColor(0x11, 0x77, 0x33),
    ),
    (
        "programme_cost_usd",
        "Programmes",
        RGBColor(0x99, 0x99, 0x33),
    ),
    (
        "due_diligence_cost_usd",
        "Due diligence",
        RGBColor(0xDD, 0xCC, 0x77),
    ),
    (
        "legal_reputational_cost_usd",
        "Legal and reputational",
        RGBColor(0xCC, 0x66, 0x77),
    ),
    (
        "offtake_net_usd",
        "Off-take, net",
        RGBColor(0x88, 0x22, 0x55),
    ),
];
/// Colour of the remainder when categories do not add up to the total.
const OTHER: RGBColor = RGBColor(0xBB, 0xBB, 0xBB);

/// One strategy's bar: segments (category index or None for "other", USD M) and net total.
struct Bar {
    segments: Vec<(Option<usize>, f64)>,
    net: f64,
}

fn bars(data: &RunData) -> Vec<Bar> {
    (0..data.strategies.len())
        .map(|s| {
            let mean = |col: &str| data.stat(s, col).map(|st| st.mean / 1e6);
            let mut segments: Vec<(Option<usize>, f64)> = CATEGORIES
                .iter()
                .enumerate()
                .filter_map(|(i, (col, _, _))| mean(col).map(|v| (Some(i), v)))
                .collect();
            let sum: f64 = segments.iter().map(|(_, v)| v).sum();
            let net = mean("total_cost_usd").unwrap_or(sum);
            if (net - sum).abs() > 0.005 * net.abs().max(1e-9) {
                segments.push((None, net - sum));
            }
            Bar { segments, net }
        })
        .collect()
}

fn legend(bars: &[Bar]) -> Vec<LegendItem> {
    let used = |cat: Option<usize>| {
        bars.iter()
            .flat_map(|b| &b.segments)
            .any(|(c, v)| *c == cat && v.abs() > 1e-9)
    };
    let mut items: Vec<LegendItem> = CATEGORIES
        .iter()
        .enumerate()
        .filter(|(i, _)| used(Some(*i)))
        .map(|(_, (_, label, colour))| LegendItem::new(Mark::Fill(*colour), *label))
        .collect();
    if used(None) {
        items.push(LegendItem::new(
            Mark::Fill(OTHER),
            "Other (total less categories)",
        ));
    }
    items.push(LegendItem::new(Mark::Tick(INK), "Net total"));
    items
}

/// Draws the chart on `root`.
pub(crate) fn draw<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    title: &str,
) -> Result<(), DrawError> {
    let bars = bars(data);
    let note = "Mean across seeds of each cost category, undiscounted. Off-take, net is the cost of buying miners' gold less its resale: left of zero, the off-take made money.";
    let plot = super::framed(root, data, title, &legend(&bars), note)?;
    let n = bars.len();
    let names: Vec<String> = data.strategies.iter().map(|s| display_name(s)).collect();
    let name_w = widest(&plot, names.iter().cloned(), &text(LABEL, INK))? + 24;
    let positive = |b: &Bar| b.segments.iter().map(|(_, v)| v.max(0.0)).sum::<f64>();
    let negative = |b: &Bar| b.segments.iter().map(|(_, v)| v.min(0.0)).sum::<f64>();
    let hi = bars.iter().map(positive).fold(0.0, f64::max).max(1e-6);
    let lo = bars.iter().map(negative).fold(0.0, f64::min);
    let span = hi - lo;
    let x_lo = if lo < 0.0 { lo - 0.03 * span } else { 0.0 };
    let mut labels = Vec::new();
    for bar in &bars {
        let width = widest(&plot, [net_label(bar.net)], &text(TICK, INK))?;
        labels.push((positive(bar).max(bar.net), width));
    }
    let plot_px = plot.dim_in_pixel().0 as i32 - name_w - 30;
    let x_hi = room_for_labels(x_lo, hi + 0.02 * span, &labels, plot_px);
    let x_desc = format!("USD millions over {}, undiscounted", years(data.weeks()));
    let axes = RowAxes {
        caption: None,
        margin: (30, 10),
        label_w: name_w,
        x: x_lo..x_hi,
        x_desc: &x_desc,
        x_labels: 8,
        n,
        names: Some(&names),
    };
    let mut chart = row_chart(&plot, axes)?;
    let row_px = row_height(&chart, n);
    for (s, bar) in bars.iter().enumerate() {
        draw_bar(&mut chart, bar, row_of(s, n), row_px)?;
    }
    let zero = PathElement::new(
        vec![(0.0, SegmentValue::Exact(0)), (0.0, SegmentValue::Exact(n))],
        INK.stroke_width(2),
    );
    chart.draw_series(std::iter::once(zero))?;
    Ok(())
}

fn draw_bar<DB: DrawingBackend>(
    chart: &mut BarChart<'_, DB>,
    bar: &Bar,
    k: usize,
    row_px: f64,
) -> Result<(), DrawError> {
    let pad = (row_px * 0.2) as u32;
    let (mut right, mut left) = (0.0, 0.0);
    for (cat, value) in &bar.segments {
        let colour = cat.map_or(OTHER, |c| CATEGORIES[c].2);
        let (from, to) = if *value >= 0.0 {
            right += value;
            (right - value, right)
        } else {
            left += value;
            (left - value, left)
        };
        let mut rect = Rectangle::new(
            [
                (from, SegmentValue::Exact(k)),
                (to, SegmentValue::Exact(k + 1)),
            ],
            colour.filled(),
        );
        rect.set_margin(pad, pad, 0, 0);
        chart.draw_series(std::iter::once(rect))?;
    }
    let half = (row_px * 0.36) as i32;
    let y = || SegmentValue::CenterOf(k);
    let mark =
        EmptyElement::at((bar.net, y())) + Rectangle::new([(-3, -half), (3, half)], INK.filled());
    chart.draw_series(std::iter::once(mark))?;
    let anchor = Pos::new(HPos::Left, VPos::Center);
    let label = EmptyElement::at((right.max(bar.net), y()))
        + Text::new(net_label(bar.net), (14, 0), text(TICK, INK).pos(anchor));
    chart.draw_series(std::iter::once(label))?;
    Ok(())
}

fn net_label(net: f64) -> String {
    format!("Net USD {} M", num(net))
}
