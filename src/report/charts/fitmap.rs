//! Chart 2 of a fit, where each strategy fits: every context tested as a dot on the two
//! context keys that matter most (in one panel per setting of a switch, such as a legal
//! gate, when that matters more still), coloured by the strategy that did best there on the
//! primary criterion (pale where its 95% interval overlaps the runner-up's, grey on a
//! tie), with the PRIM boxes where a challenger beats the leader drawn in the challenger's
//! colour. The legend gives each strategy's share of contexts won.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::fit_words::{key_meaning, key_unit, label, switch_words};
use super::super::format::{display_name, pct};
use super::frame::{Area, DrawError, LegendItem, Mark, box_path, draw_frame, fit_bold};
use super::regret::strategy_colour_of;
use super::theme::{FOOT, GRID, INK, LABEL, MUTED, TICK, text, tick};
use crate::fit::FitReport;
use crate::fit::discover::{Discovery, MapLayout};

/// The map's title.
pub(crate) fn title(r: &FitReport) -> String {
    format!(
        "Where each strategy fits: the best on {} in each context",
        label(&r.robustness.metrics[0].metric)
    )
}

/// The ways of naming dimension `d` on an axis, most informative first.
fn names(r: &FitReport, d: usize) -> Vec<String> {
    let key = &r.dims[d].key;
    let meaning = key_meaning(key);
    let unit = match key_unit(key) {
        "" | "share" | "0-1" => String::new(),
        u => format!(", {u}"),
    };
    vec![
        format!("{meaning}{unit} ({key})"),
        format!("{meaning} ({key})"),
        format!("{meaning}{unit}"),
        meaning.clone(),
        key.clone(),
    ]
}

/// Axis descriptions of the x and y dimensions and their text size: the largest size, from
/// the labels' down to the footnotes', at which both fit their `room` (pixels) with the
/// dimension's meaning; failing that, the smallest size and whatever fits.
fn axes<DB: DrawingBackend>(
    plot: &Area<DB>,
    r: &FitReport,
    m: MapLayout,
    room: (i32, i32),
) -> Result<(String, String, f64), DrawError> {
    let pick = |d: usize, size: f64, room: i32| -> Result<(String, bool), DrawError> {
        let all = names(r, d);
        let last = all.len() - 1;
        for (i, n) in all.into_iter().enumerate() {
            if i == last || plot.estimate_text_size(&n, &text(size, INK))?.0 as i32 <= room {
                return Ok((n, i < last));
            }
        }
        unreachable!("the last name is always taken")
    };
    let mut chosen = (String::new(), String::new(), FOOT);
    for size in [LABEL, TICK, FOOT] {
        let (x, x_ok) = pick(m.x, size, room.0)?;
        let (y, y_ok) = pick(m.y, size, room.1)?;
        chosen = (x, y, size);
        if x_ok && y_ok {
            break;
        }
    }
    Ok(chosen)
}

pub(crate) fn draw<DB: DrawingBackend>(root: &Area<DB>, r: &FitReport) -> Result<(), DrawError> {
    let Some(m) = r.map else {
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
    // Boxes in the key and the footnote only when one is drawn: a key to nothing sends the
    // reader looking.
    let boxes = r.discoveries.iter().any(|d| boxed(r, m, d).is_some());
    let mut foot = format!(
        "Each dot is one context tested, coloured by the strategy with the best mean {} over its seeds; pale: that strategy's 95% interval overlaps the runner-up's (a close call); grey: a tie.",
        label(&primary.metric)
    );
    if boxes {
        legend.push(LegendItem::new(
            Mark::Outline(INK, 4),
            "Box: where a strategy beats the leader",
        ));
        foot.push_str(" Boxes (PRIM): where the strategy of the box's colour beats the one that holds up best; other context keys vary too, and a box's limits on them are in the briefing.");
    }
    let plot = draw_frame(root, &title(r), &legend, &foot)?;
    let panels: Vec<Option<(usize, f64)>> = match m.panels {
        Some(d) => {
            let mut v = r.dims[d].values.clone();
            v.sort_by(f64::total_cmp);
            v.dedup();
            v.into_iter().rev().map(|x| Some((d, x))).collect()
        }
        None => vec![None],
    };
    let (w, h) = plot.dim_in_pixel();
    let panel_w = w as i32 / panels.len() as i32;
    let (x_desc, y_desc, size) = axes(&plot, r, m, (panel_w - 160, h as i32 - 150))?;
    let areas = plot.split_evenly((1, panels.len()));
    for (area, panel) in areas.iter().zip(panels) {
        draw_panel(area, r, m, panel, (&x_desc, &y_desc, size))?;
    }
    Ok(())
}

/// The strategy whose box `d` the map draws (in some panel): a box that meets the density
/// threshold, limits a key on the map and holds a yes-context.
fn boxed(r: &FitReport, m: MapLayout, d: &Discovery) -> Option<usize> {
    let t = &d.trajectory;
    let step = &t.steps[t.chosen];
    let on_map = step.restricted.iter().any(|&k| k == m.x || k == m.y);
    if !t.meets_threshold || !on_map || d.yes_share == 0.0 {
        return None;
    }
    r.strategies.iter().position(|n| *n == d.question.first)
}

/// One panel: the contexts whose switch (if any) has the panel's value, and the boxes that
/// allow that value.
fn draw_panel<DB: DrawingBackend>(
    plot: &Area<DB>,
    r: &FitReport,
    m: MapLayout,
    panel: Option<(usize, f64)>,
    desc: (&str, &str, f64),
) -> Result<(), DrawError> {
    let primary = &r.robustness.metrics[0];
    let (a, b) = (m.x, m.y);
    let (xa, xb) = (&r.dims[a], &r.dims[b]);
    let pad = |(lo, hi): (f64, f64)| {
        let m = (hi - lo) * 0.03;
        lo - m..hi + m
    };
    let in_panel = |p: usize| panel.is_none_or(|(d, v)| r.dims[d].values[p] == v);
    let mut builder = ChartBuilder::on(plot);
    if let Some((d, v)) = panel {
        let room = plot.dim_in_pixel().0 as i32 - 20;
        let (caption, style) = fit_bold(plot, &switch_words(&r.dims[d].key, v), LABEL, room)?;
        builder.caption(caption, style);
    }
    let mut chart = builder
        .margin_right(30)
        .margin_top(10)
        .x_label_area_size(80)
        .y_label_area_size(130)
        .build_cartesian_2d(pad(xa.range()), pad(xb.range()))?;
    chart
        .configure_mesh()
        .x_desc(desc.0)
        .y_desc(desc.1)
        .axis_desc_style(text(desc.2, INK))
        .label_style(text(TICK, INK))
        .x_labels(if panel.is_some() { 5 } else { 8 })
        .y_labels(6)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&|v| tick(*v))
        .bold_line_style(GRID)
        .light_line_style(WHITE)
        .draw()?;
    for p in (0..r.points).filter(|&p| in_panel(p)) {
        let at = (xa.values[p], xb.values[p]);
        let winners = &primary.winners[p];
        // A close call is pale (its colour still readable), a clear win solid.
        let (colour, strength) = match winners.as_slice() {
            [one] if primary.close[p] => (strategy_colour_of(&r.strategies, *one), 0.35),
            [one] => (strategy_colour_of(&r.strategies, *one), 1.0),
            _ => (MUTED, 0.6),
        };
        let fill = Circle::new(at, 9, colour.mix(strength).filled());
        let rim = Circle::new(at, 9, colour.stroke_width(2));
        chart.draw_series([fill, rim])?;
    }
    let origin = plot.get_base_pixel();
    let label_size = if panel.is_some() { FOOT } else { TICK };
    // Box labels placed (their rectangles), so that the next one goes below rather than on
    // top; drawn once every outline is.
    let mut placed: Vec<(i32, i32, i32, i32)> = Vec::new();
    let mut labels: Vec<(String, (i32, i32), RGBColor)> = Vec::new();
    for d in &r.discoveries {
        let Some(s) = boxed(r, m, d) else {
            continue;
        };
        let step = &d.trajectory.steps[d.trajectory.chosen];
        let allowed = panel.is_none_or(|(k, v)| step.limits[k].0 <= v && v <= step.limits[k].1);
        if !allowed {
            continue;
        }
        let colour = strategy_colour_of(&r.strategies, s);
        let p0 = chart.backend_coord(&(step.limits[a].0, step.limits[b].1));
        let p1 = chart.backend_coord(&(step.limits[a].1, step.limits[b].0));
        let local = |(x, y): (i32, i32)| (x - origin.0, y - origin.1);
        let (q0, q1) = (local(p0), local(p1));
        for style in [WHITE.stroke_width(9), colour.stroke_width(5)] {
            plot.draw(&PathElement::new(box_path(q0, q1), style))?;
        }
        let shown = [Some(a), Some(b), panel.map(|(k, _)| k)];
        let others = step
            .restricted
            .iter()
            .filter(|&&k| !shown.contains(&Some(k)))
            .count();
        let mut words = format!(
            "{} beats {}: {}",
            display_name(&d.question.first),
            display_name(&d.question.second),
            pct(step.density)
        );
        if others > 0 {
            words += &format!(" (+{others} limit{})", if others == 1 { "" } else { "s" });
        }
        let style = text(label_size, INK);
        let (tw, th) = plot.estimate_text_size(&words, &style)?;
        let (tw, th) = (tw as i32, th as i32);
        // Inside the box's top left corner, but never past the panel's right edge.
        let right = plot.dim_in_pixel().0 as i32 - tw - 8;
        let mut label_at = ((q0.0 + 10).min(right).max(4), q0.1 + 10);
        while placed.iter().any(|p| {
            label_at.0 < p.2 && p.0 < label_at.0 + tw && label_at.1 < p.3 && p.1 < label_at.1 + th
        }) {
            label_at.1 += th + 8;
        }
        placed.push((
            label_at.0 - 4,
            label_at.1 - 3,
            label_at.0 + tw + 4,
            label_at.1 + th + 3,
        ));
        labels.push((words, label_at, colour));
    }
    // Labels after every outline, so that no box's line crosses another box's label.
    for ((words, at, colour), bg) in labels.into_iter().zip(placed) {
        plot.draw(&Rectangle::new(
            [(bg.0, bg.1), (bg.2, bg.3)],
            WHITE.filled(),
        ))?;
        plot.draw(&PathElement::new(
            box_path((bg.0, bg.1), (bg.2, bg.3)),
            colour.stroke_width(2),
        ))?;
        let style = text(label_size, INK).pos(Pos::new(HPos::Left, VPos::Top));
        plot.draw(&Text::new(words, at, style))?;
    }
    Ok(())
}
