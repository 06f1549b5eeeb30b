//! Chart 7, adaptive strategies: for each strategy with phases, one panel with the share of
//! futures in each of its phases over time (stacked areas, `start` at the bottom), from the
//! `in_phase_k` series of timeseries.csv (their mean over seeds is the share). Shows when
//! triggers fire and how often a strategy steps back. Drawn only when a strategy has phases.

use plotters::prelude::*;

use super::super::data::RunData;
use super::super::format::display_name;
use super::frame::{Area, DrawError, LegendItem, Mark, draw_frame, fit_bold};
use super::theme::{CAPTION, GRID, INK, LABEL, TICK, text, tick};

/// Greys to blues for phases 1-4: the order reads as steps, not as strategies.
const PHASE_COLOURS: [RGBColor; 4] = [
    RGBColor(200, 200, 200),
    RGBColor(140, 180, 220),
    RGBColor(60, 120, 190),
    RGBColor(20, 60, 120),
];

/// Strategies with more than one phase, by index.
pub(super) fn adaptive(data: &RunData) -> Vec<usize> {
    (0..data.strategies.len())
        .filter(|&s| data.phases(s).len() > 1 && !data.series(s, "in_phase_1").is_empty())
        .collect()
}

pub(crate) fn draw<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    title: &str,
) -> Result<(), DrawError> {
    let strategies = adaptive(data);
    let most = strategies
        .iter()
        .map(|&s| data.phases(s).len())
        .max()
        .unwrap_or(1)
        .min(PHASE_COLOURS.len());
    let legend: Vec<LegendItem> = (0..most)
        .map(|k| {
            let words = if k == 0 {
                "phase 1 (start)".to_string()
            } else {
                format!("phase {}", k + 1)
            };
            LegendItem::new(Mark::Fill(PHASE_COLOURS[k]), words)
        })
        .collect();
    let note = format!(
        "Share of simulated futures in each phase at the end of each recording period; phases in the order the strategy declares them (named above each panel). {}",
        super::basis(data)
    );
    let plot = draw_frame(root, title, &legend, &note)?;
    let areas = plot.split_evenly((1, strategies.len().max(1)));
    for (area, &s) in areas.iter().zip(&strategies) {
        panel(area, data, s)?;
    }
    Ok(())
}

fn panel<DB: DrawingBackend>(area: &Area<DB>, data: &RunData, s: usize) -> Result<(), DrawError> {
    let names = data.phases(s);
    let caption_w = area.dim_in_pixel().0 as i32 - 16;
    let heading = format!(
        "{}: {}",
        display_name(&data.strategies[s]),
        names.join(" > ")
    );
    let (caption, style) = fit_bold(area, &heading, CAPTION, caption_w)?;
    let x_max = (data.weeks() as f64 / 52.0).max(0.1);
    let mut chart = ChartBuilder::on(area)
        .caption(caption, style)
        .margin_right(30)
        .margin_left(10)
        .margin_top(6)
        .x_label_area_size(76)
        .y_label_area_size(90)
        .build_cartesian_2d(0.0..x_max, 0.0..100.0)?;
    chart
        .configure_mesh()
        .x_desc("Years from start")
        .y_desc("Share of futures (%)")
        .axis_desc_style(text(LABEL, INK))
        .label_style(text(TICK, INK))
        .x_labels(6)
        .y_labels(6)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .bold_line_style(GRID)
        .light_line_style(WHITE)
        .draw()?;
    let shares: Vec<Vec<(f64, f64)>> = (1..=names.len().min(4))
        .map(|k| {
            data.series(s, &format!("in_phase_{k}"))
                .iter()
                .map(|p| (p.week / 52.0, 100.0 * p.mean))
                .collect()
        })
        .collect();
    // Stacked: each phase's band sits on the sum of the phases before it.
    let mut below: Vec<f64> = vec![0.0; shares.first().map_or(0, Vec::len)];
    for (k, phase) in shares.iter().enumerate() {
        let top: Vec<(f64, f64)> = phase
            .iter()
            .zip(&below)
            .map(|(&(x, y), b)| (x, b + y))
            .collect();
        let base = phase.iter().zip(&below).rev().map(|(&(x, _), b)| (x, *b));
        let polygon: Vec<(f64, f64)> = top.iter().copied().chain(base).collect();
        chart.draw_series(std::iter::once(Polygon::new(
            polygon,
            PHASE_COLOURS[k].filled(),
        )))?;
        below = top.iter().map(|&(_, y)| y).collect();
    }
    Ok(())
}
