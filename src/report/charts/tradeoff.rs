//! Chart 3, the trade-off: mean NPV cost against mean conflict incidents, one point per
//! strategy with 95% confidence-interval whiskers on both axes, each labelled with its name
//! where the label overlaps neither another label nor a marker. A strategy far off the
//! others' scale (e.g. 684 incidents beside 15 to 25) is listed with its values in a panel
//! beside the plot, so the plot can zoom on the rest; miners' income is in chart 2, where
//! bars can be read.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::data::{RunData, Stat};
use super::super::format::{display_name, num, years};
use super::frame::{Area, DrawError, LegendItem, Mark, strategy_legend, widest};
use super::labels::{Rect, dodge, place_labels};
use super::scale::off_scale;
use super::theme::{GRID, INK, LABEL, MUTED, TICK, bold, strategy_colour, text, tick};

/// Marker radius, pixels.
const RADIUS: f64 = 15.0;
/// Width of the panel listing strategies off the plot's scale, pixels.
const SIDE_W: i32 = 390;

/// One strategy's point: conflict (x) and NPV cost in USD M (y) with CIs.
struct Point {
    strategy: usize,
    x: Stat,
    y: Stat,
}

fn points(data: &RunData) -> Vec<Point> {
    (0..data.strategies.len())
        .filter_map(|s| {
            let x = data.stat(s, "conflict_incidents")?;
            let mut y = data.stat(s, "npv_cost_usd")?;
            for v in [&mut y.mean, &mut y.ci_low, &mut y.ci_high] {
                *v /= 1e6;
            }
            Some(Point { strategy: s, x, y })
        })
        .collect()
}

/// Which points go off the scale: far above the others on either axis (two stay on it).
fn off_points(pts: &[Point]) -> Vec<bool> {
    let xs: Vec<(f64, f64)> = pts.iter().map(|p| (p.x.mean, p.x.ci_high)).collect();
    let ys: Vec<(f64, f64)> = pts.iter().map(|p| (p.y.mean, p.y.ci_high)).collect();
    let (ox, oy) = (off_scale(&xs, 2), off_scale(&ys, 2));
    ox.iter().zip(&oy).map(|(a, b)| *a || *b).collect()
}

/// An axis range around `lows`..`highs` with a margin; from zero when the data come near it.
fn axis_range(lows: impl Iterator<Item = f64>, highs: impl Iterator<Item = f64>) -> (f64, f64) {
    let lo = lows.fold(f64::INFINITY, f64::min);
    let hi = highs.fold(f64::NEG_INFINITY, f64::max);
    if !lo.is_finite() || !hi.is_finite() {
        return (0.0, 1.0);
    }
    let span = if hi > lo {
        hi - lo
    } else {
        hi.abs().max(1.0) * 0.2
    };
    let lo = if lo >= 0.0 && lo < 0.4 * hi {
        0.0
    } else {
        lo - 0.12 * span
    };
    (lo, hi + 0.12 * span)
}

/// Draws the chart on `root`.
pub(crate) fn draw<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    title: &str,
) -> Result<(), DrawError> {
    let pts = points(data);
    let off = off_points(&pts);
    let mut legend = strategy_legend(&data.strategies, Mark::Dot);
    legend.push(LegendItem::new(
        Mark::Whisker(INK),
        "95% confidence interval",
    ));
    let mut note = "Points: means across seeds; whiskers: 95% confidence intervals of the means. Lower left is calmer and cheaper. Miners' income is compared in chart 2.".to_string();
    if off.iter().any(|o| *o) {
        note.push_str(" A strategy far off the others' scale is listed beside the plot with its values, so the plot can show the rest.");
    }
    let frame = super::framed(root, data, title, &legend, &note)?;
    let plot = if off.iter().any(|o| *o) {
        let (w, h) = frame.dim_in_pixel();
        let (main, side) = frame.split_horizontally(w as i32 - SIDE_W);
        draw_side(&side, data, &pts, &off, h as i32)?;
        main
    } else {
        frame
    };
    let on: Vec<&Point> = pts
        .iter()
        .zip(&off)
        .filter(|(_, o)| !**o)
        .map(|(p, _)| p)
        .collect();
    let (x_lo, x_hi) = axis_range(
        on.iter().map(|p| p.x.ci_low.min(p.x.mean)),
        on.iter().map(|p| p.x.ci_high.max(p.x.mean)),
    );
    let (y_lo, y_hi) = axis_range(
        on.iter().map(|p| p.y.ci_low.min(p.y.mean)),
        on.iter().map(|p| p.y.ci_high.max(p.y.mean)),
    );
    let tick_w = widest(
        &plot,
        [tick(y_hi), tick(y_lo), tick((y_lo + y_hi) / 2.0)],
        &text(TICK, INK),
    )?;
    let mut chart = ChartBuilder::on(&plot)
        .margin_right(30)
        .margin_top(10)
        .x_label_area_size(80)
        .y_label_area_size(tick_w + 30 + LABEL as i32)
        .build_cartesian_2d(x_lo..x_hi, y_lo..y_hi)?;
    chart
        .configure_mesh()
        .x_desc(format!(
            "Conflict incidents over {} (fewer to the left)",
            years(data.weeks())
        ))
        .y_desc("NPV cost to the company, USD millions")
        .axis_desc_style(text(LABEL, INK))
        .label_style(text(TICK, INK))
        .x_labels(8)
        .y_labels(6)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .bold_line_style(GRID)
        .light_line_style(WHITE)
        .draw()?;
    let colour = |p: &Point| strategy_colour(&data.strategies[p.strategy], &data.strategies);
    for p in &on {
        draw_whiskers(&mut chart, p, colour(p))?;
    }
    // Markers over every whisker, so no whisker hides a point; markers that would overlap are
    // moved apart, a thin line joining each to its exact place, where its whiskers cross.
    let r = RADIUS as i32;
    let exact: Vec<(i32, i32)> = on
        .iter()
        .map(|p| chart.backend_coord(&(p.x.mean, p.y.mean)))
        .collect();
    let centres = dodge(&exact, 2.0 * RADIUS + 6.0);
    let origin = plot.get_base_pixel();
    let local = |c: (i32, i32)| (c.0 - origin.0, c.1 - origin.1);
    for ((p, e), c) in on.iter().zip(&exact).zip(&centres) {
        if e != c {
            plot.draw(&PathElement::new(
                vec![local(*e), local(*c)],
                INK.stroke_width(2),
            ))?;
        }
        plot.draw(&Circle::new(local(*c), r, colour(p).filled()))?;
        plot.draw(&Circle::new(local(*c), r, WHITE.stroke_width(2)))?;
    }
    let range = chart.plotting_area().get_pixel_range();
    if exact != centres {
        let note =
            "Markers that would overlap are moved apart; a line joins each to its exact place.";
        let at = (range.0.end - origin.0 - 8, range.1.end - origin.1 - 8);
        let style = text(TICK * 0.8, MUTED).pos(Pos::new(HPos::Right, VPos::Bottom));
        plot.draw(&Text::new(note, at, style))?;
    }
    let labels: Vec<String> = on
        .iter()
        .map(|p| display_name(&data.strategies[p.strategy]))
        .collect();
    let bounds = (range.0.start, range.1.start, range.0.end, range.1.end);
    let obstacles = obstacles(&chart, &on, &centres);
    place_labels(&plot, bounds, &centres, r, obstacles, &labels)?;
    Ok(())
}

/// What a label must not cover: the markers and the whiskers (backend pixels).
fn obstacles<DB: DrawingBackend>(
    chart: &Chart<'_, DB>,
    on: &[&Point],
    centres: &[(i32, i32)],
) -> Vec<Rect> {
    let r = RADIUS as i32;
    let mut out = Vec::new();
    for (p, c) in on.iter().zip(centres) {
        out.push((c.0 - r, c.1 - r, c.0 + r, c.1 + r));
        let (x0, y) = chart.backend_coord(&(p.x.ci_low, p.y.mean));
        let (x1, _) = chart.backend_coord(&(p.x.ci_high, p.y.mean));
        let (x, y0) = chart.backend_coord(&(p.x.mean, p.y.ci_high));
        let (_, y1) = chart.backend_coord(&(p.x.mean, p.y.ci_low));
        out.push((x0 - 2, y - 11, x1 + 2, y + 11));
        out.push((x - 11, y0 - 2, x + 11, y1 + 2));
    }
    out
}

/// The panel beside the plot listing the strategies off its scale, with their values.
fn draw_side<DB: DrawingBackend>(
    side: &Area<DB>,
    data: &RunData,
    pts: &[Point],
    off: &[bool],
    h: i32,
) -> Result<(), DrawError> {
    let (x0, y0) = (24, 20);
    let head = bold(LABEL, INK);
    side.draw(&Text::new("Off this scale", (x0, y0), head))?;
    let mut y = y0 + 52;
    let line = |y: i32| (x0 + 34, y);
    for p in pts.iter().zip(off).filter(|(_, o)| **o).map(|(p, _)| p) {
        if y > h - 120 {
            break;
        }
        let name = &data.strategies[p.strategy];
        let c = strategy_colour(name, &data.strategies);
        side.draw(&Circle::new((x0 + 12, y + 16), 12, c.filled()))?;
        side.draw(&Text::new(display_name(name), line(y), bold(TICK, INK)))?;
        let incidents = format!("{} conflict incidents", num(p.x.mean));
        side.draw(&Text::new(incidents, line(y + 36), text(TICK, INK)))?;
        let cost = format!("USD {} M NPV cost", num(p.y.mean));
        side.draw(&Text::new(cost, line(y + 70), text(TICK, INK)))?;
        y += 130;
    }
    let frame = super::frame::box_path((4, 4), (SIDE_W - 8, (y - 20).min(h - 4)));
    side.draw(&PathElement::new(frame, MUTED.stroke_width(1)))?;
    Ok(())
}

type Chart<'a, DB> = ChartContext<
    'a,
    DB,
    Cartesian2d<plotters::coord::types::RangedCoordf64, plotters::coord::types::RangedCoordf64>,
>;

fn draw_whiskers<DB: DrawingBackend>(
    chart: &mut Chart<'_, DB>,
    p: &Point,
    colour: RGBColor,
) -> Result<(), DrawError> {
    let (x, y) = (p.x.mean, p.y.mean);
    // In the strategy's colour, so crossing whiskers say whose they are; a white halo keeps
    // them apart where they cross.
    for style in [WHITE.stroke_width(7), colour.stroke_width(3)] {
        let lines = [
            vec![(p.x.ci_low, y), (p.x.ci_high, y)],
            vec![(x, p.y.ci_low), (x, p.y.ci_high)],
        ];
        chart.draw_series(lines.into_iter().map(|l| PathElement::new(l, style)))?;
        let caps = [
            ((p.x.ci_low, y), [(0, -10), (0, 10)]),
            ((p.x.ci_high, y), [(0, -10), (0, 10)]),
            ((x, p.y.ci_low), [(-10, 0), (10, 0)]),
            ((x, p.y.ci_high), [(-10, 0), (10, 0)]),
        ];
        for (at, ends) in caps {
            let cap = EmptyElement::at(at) + PathElement::new(ends.to_vec(), style);
            chart.draw_series(std::iter::once(cap))?;
        }
    }
    Ok(())
}
