//! Chart 2 of a fit, where each strategy fits: every context tested as a dot on the two
//! context keys that matter most, coloured by the strategy that did best there on the
//! primary criterion (hollow where its 95% interval overlaps the runner-up's, grey on a
//! tie), with the PRIM boxes where a challenger beats the leader drawn in the challenger's
//! colour. The legend gives each strategy's share of contexts won.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::fit_words::{key_meaning, key_unit, label};
use super::super::format::{display_name, pct};
use super::frame::{Area, DrawError, LegendItem, Mark, box_path, draw_frame};
use super::regret::strategy_colour_of;
use super::theme::{GRID, INK, LABEL, MUTED, TICK, text, tick};
use crate::fit::FitReport;

/// The map's title.
pub(crate) fn title(r: &FitReport) -> String {
    format!(
        "Where each strategy fits: the best on {} in each context",
        label(&r.robustness.metrics[0].metric)
    )
}

/// Axis description of dimension `d`: its meaning, unit and key.
fn axis(r: &FitReport, d: usize) -> String {
    let key = &r.dims[d].key;
    let meaning = key_meaning(key);
    match key_unit(key) {
        "" => format!("{meaning} ({key})"),
        unit => format!("{meaning}, {unit} ({key})"),
    }
}

pub(crate) fn draw<DB: DrawingBackend>(root: &Area<DB>, r: &FitReport) -> Result<(), DrawError> {
    let Some((a, b)) = r.map_dims else {
        return Ok(());
    };
    let primary = &r.robustness.metrics[0];
    let mut legend: Vec<LegendItem> = r
        .strategies
        .iter()
        .enumerate()
        .map(|(s, name)| {
            let won = primary.strategies[s].share_best;
            let mark = Mark::Dot(strategy_colour_of(&r.strategies, s));
            LegendItem::new(
                mark,
                format!("{}: best in {}", display_name(name), pct(won)),
            )
        })
        .collect();
    legend.push(LegendItem::new(
        Mark::Outline(INK, 4),
        "Box: where a strategy beats the leader",
    ));
    let foot = format!(
        "Each dot is one context tested, coloured by the strategy with the best mean {} over its seeds; hollow: that strategy's 95% interval overlaps the runner-up's (a close call); grey: a tie. Boxes (PRIM): where the strategy of the box's colour beats the one that holds up best; other context keys vary too, and a box's limits on them are in the briefing.",
        label(&primary.metric)
    );
    let plot = draw_frame(root, &title(r), &legend, &foot)?;
    let (xa, xb) = (&r.dims[a], &r.dims[b]);
    let pad = |(lo, hi): (f64, f64)| {
        let m = (hi - lo) * 0.03;
        lo - m..hi + m
    };
    let mut chart = ChartBuilder::on(&plot)
        .margin_right(30)
        .margin_top(10)
        .x_label_area_size(80)
        .y_label_area_size(130)
        .build_cartesian_2d(pad(xa.range()), pad(xb.range()))?;
    chart
        .configure_mesh()
        .x_desc(axis(r, a))
        .y_desc(axis(r, b))
        .axis_desc_style(text(LABEL, INK))
        .label_style(text(TICK, INK))
        .x_labels(8)
        .y_labels(6)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .bold_line_style(GRID)
        .light_line_style(WHITE)
        .draw()?;
    for p in 0..r.points {
        let at = (xa.values[p], xb.values[p]);
        let winners = &primary.winners[p];
        let dot = if winners.len() > 1 {
            Circle::new(at, 9, MUTED.mix(0.6).filled())
        } else if primary.close[p] {
            Circle::new(
                at,
                8,
                strategy_colour_of(&r.strategies, winners[0]).stroke_width(3),
            )
        } else {
            Circle::new(
                at,
                9,
                strategy_colour_of(&r.strategies, winners[0]).filled(),
            )
        };
        chart.draw_series(std::iter::once(dot))?;
    }
    let origin = plot.get_base_pixel();
    for d in &r.discoveries {
        let t = &d.trajectory;
        let step = &t.steps[t.chosen];
        let on_map = step.restricted.iter().any(|&k| k == a || k == b);
        if !t.meets_threshold || !on_map || d.yes_share == 0.0 {
            continue;
        }
        let Some(s) = r.strategies.iter().position(|n| *n == d.question.first) else {
            continue;
        };
        let colour = strategy_colour_of(&r.strategies, s);
        let p0 = chart.backend_coord(&(step.limits[a].0, step.limits[b].1));
        let p1 = chart.backend_coord(&(step.limits[a].1, step.limits[b].0));
        let local = |(x, y): (i32, i32)| (x - origin.0, y - origin.1);
        let (q0, q1) = (local(p0), local(p1));
        for style in [WHITE.stroke_width(9), colour.stroke_width(5)] {
            plot.draw(&PathElement::new(box_path(q0, q1), style))?;
        }
        let others = step
            .restricted
            .iter()
            .filter(|&&k| k != a && k != b)
            .count();
        let mut words = format!(
            "{} beats {}: {} of contexts here",
            display_name(&d.question.first),
            display_name(&d.question.second),
            pct(step.density)
        );
        if others > 0 {
            words += &format!(
                " (+{others} more limit{})",
                if others == 1 { "" } else { "s" }
            );
        }
        let style = text(TICK, INK);
        let (tw, th) = plot.estimate_text_size(&words, &style)?;
        let x = (q0.0 + 10).min(q1.0.max(q0.0 + 10) - 10).max(q0.0 + 10);
        let label_at = (x, q0.1 + 10);
        let bg = [
            (label_at.0 - 4, label_at.1 - 3),
            (label_at.0 + tw as i32 + 4, label_at.1 + th as i32 + 3),
        ];
        plot.draw(&Rectangle::new(bg, WHITE.mix(0.85).filled()))?;
        plot.draw(&Text::new(
            words,
            label_at,
            style.pos(Pos::new(HPos::Left, VPos::Top)),
        ))?;
    }
    Ok(())
}
