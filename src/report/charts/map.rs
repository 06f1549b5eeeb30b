//! Chart 6, the map: where artisanal miners dig under each strategy (small multiples, one
//! panel per strategy in run order), coloured by the mean number of miners per cell per week
//! over the final year, with the concession, the mine's core, any ASM zone or lease and
//! protected areas outlined, and a colour scale with its unit.

use std::collections::BTreeMap;

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::data::RunData;
use super::super::format::display_name;
use super::super::map::{Cell, MapData, Zone};
use super::frame::{Area, DrawError, LegendItem, Mark, box_path, fit_bold, wrap};
use super::theme::{CAPTION, INK, MUTED, TICK, strategy_colour, text};

/// Width kept on the right for the colour scale, pixels.
const SCALE_W: i32 = 230;
/// Height of a panel's caption, pixels.
const CAPTION_H: i32 = 44;
/// Height of the line under a panel, pixels.
const FOOT_H: i32 = 34;

/// Sequential yellow-orange-red (ColorBrewer YlOrRd), light for few miners, dark for many.
const RAMP: [RGBColor; 9] = [
    RGBColor(0xff, 0xff, 0xcc),
    RGBColor(0xff, 0xed, 0xa0),
    RGBColor(0xfe, 0xd9, 0x76),
    RGBColor(0xfe, 0xb2, 0x4c),
    RGBColor(0xfd, 0x8d, 0x3c),
    RGBColor(0xfc, 0x4e, 0x2a),
    RGBColor(0xe3, 0x1a, 0x1c),
    RGBColor(0xbd, 0x00, 0x26),
    RGBColor(0x80, 0x00, 0x26),
];
const CORE_FILL: RGBColor = RGBColor(0xdd, 0xdd, 0xdd);

/// An outlined zone: which cells belong, its colour, line width and legend label.
struct Outline {
    member: fn(Zone) -> bool,
    colour: RGBColor,
    width: u32,
    label: &'static str,
}

const OUTLINES: [Outline; 5] = [
    Outline {
        member: Zone::in_concession,
        colour: RGBColor(0, 0, 0),
        width: 4,
        label: "Concession",
    },
    Outline {
        member: |z| z == Zone::Core,
        colour: RGBColor(0x55, 0x55, 0x55),
        width: 3,
        label: "Mine core (pit, plant)",
    },
    Outline {
        member: |z| z == Zone::Asm,
        colour: RGBColor(0x00, 0x77, 0xBB),
        width: 4,
        label: "ASM zone or ceded area",
    },
    Outline {
        member: |z| z == Zone::Lease,
        colour: RGBColor(0xAA, 0x33, 0x77),
        width: 4,
        label: "Lease to ASM operator",
    },
    Outline {
        member: |z| z == Zone::Protected,
        colour: RGBColor(0x22, 0x88, 0x33),
        width: 3,
        label: "Protected area",
    },
];

/// Colour for `miners` on a square-root scale up to `max`, in 64 steps (finer than the eye
/// separates; equal neighbours merge into one shape).
fn ramp(miners: f64, max: f64) -> RGBColor {
    let stepped = ((miners / max).clamp(0.0, 1.0).sqrt() * 64.0).round() / 64.0;
    let t = stepped * (RAMP.len() - 1) as f64;
    let (i, f) = (t.floor() as usize, t - t.floor());
    let (a, b) = (RAMP[i], RAMP[(i + 1).min(RAMP.len() - 1)]);
    let mix = |x: u8, y: u8| (f64::from(x) + f * (f64::from(y) - f64::from(x))).round() as u8;
    RGBColor(mix(a.0, b.0), mix(a.1, b.1), mix(a.2, b.2))
}

/// Draws the chart on `root`.
pub(crate) fn draw<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    title: &str,
) -> Result<(), DrawError> {
    let map = &data.map;
    let legend: Vec<LegendItem> = OUTLINES
        .iter()
        .filter(|o| zone_used(data, o.member))
        .map(|o| LegendItem::new(Mark::Outline(o.colour, o.width), o.label))
        .collect();
    let note = "Colour: miners digging on a cell in an average week of the final year, mean across seeds (square-root scale, so small numbers stay visible; white: none).";
    let plot = super::framed(root, data, title, &legend, note)?;
    let (pw, ph) = plot.dim_in_pixel();
    let (maps_w, h) = (pw as i32 - SCALE_W, ph as i32);
    let max = map.max_miners().max(1e-9);
    let layout = Layout::fit(data.strategies.len(), map, maps_w, h);
    let rows = data.strategies.len().max(1).div_ceil(layout.cols) as i32;
    let slot_h = layout.side_h + CAPTION_H + FOOT_H;
    let top = ((h - rows * slot_h) / 2).max(0);
    for (s, name) in data.strategies.iter().enumerate() {
        let (col, row) = (s % layout.cols, s / layout.cols);
        let x = col as i32 * layout.cell_w + (layout.cell_w - layout.side_w) / 2;
        let y = top + row as i32 * slot_h;
        draw_panel(&plot, data, name, (x, y), &layout, max)?;
    }
    draw_scale(&plot, maps_w + 24, max, (top, rows * slot_h))?;
    Ok(())
}

fn zone_used(data: &RunData, member: fn(Zone) -> bool) -> bool {
    let map = &data.map;
    data.strategies.iter().any(|s| {
        (0..map.height)
            .any(|y| (0..map.width).any(|x| map.cell(s, x, y).is_some_and(|c| member(c.zone))))
    })
}

/// Small-multiple layout: columns, slot width and the map's drawn size, pixels.
struct Layout {
    cols: usize,
    cell_w: i32,
    side_w: i32,
    side_h: i32,
}

impl Layout {
    /// The column count that gives the largest maps in `w` x `h` pixels.
    fn fit(n: usize, map: &MapData, w: i32, h: i32) -> Self {
        let (gw, gh) = (map.width.max(1) as f64, map.height.max(1) as f64);
        let candidates = (1..=n.max(1)).map(|cols| {
            let rows = n.max(1).div_ceil(cols);
            let (cell_w, cell_h) = (w / cols as i32, h / rows as i32);
            let avail_w = f64::from(cell_w - 24);
            let avail_h = f64::from(cell_h - CAPTION_H - FOOT_H);
            let scale = (avail_w / gw).min(avail_h / gh).max(0.1);
            (scale, cols, cell_w)
        });
        let best = candidates.fold((0.0, 1, w), |best, c| if c.0 > best.0 { c } else { best });
        let (scale, cols, cell_w) = best;
        Self {
            cols,
            cell_w,
            side_w: (scale * gw) as i32,
            side_h: (scale * gh) as i32,
        }
    }
}

fn draw_panel<DB: DrawingBackend>(
    plot: &Area<DB>,
    data: &RunData,
    name: &str,
    (x, y): (i32, i32),
    layout: &Layout,
    max: f64,
) -> Result<(), DrawError> {
    let map = &data.map;
    let swatch = Rectangle::new(
        [(x, y + 8), (x + 22, y + 30)],
        strategy_colour(name, &data.strategies).filled(),
    );
    plot.draw(&swatch)?;
    let caption_w = layout.side_w + (layout.cell_w - layout.side_w) / 2 - 40;
    let (caption, style) = fit_bold(plot, &display_name(name), CAPTION * 0.85, caption_w)?;
    let anchor = Pos::new(HPos::Left, VPos::Center);
    plot.draw(&Text::new(caption, (x + 32, y + 19), style.pos(anchor)))?;
    let top = y + CAPTION_H;
    let (gw, gh) = (map.width.max(1) as f64, map.height.max(1) as f64);
    let px = |cx: usize| x + (cx as f64 * f64::from(layout.side_w) / gw).round() as i32;
    // Row 0 at the bottom, as on a plot of x and y.
    let py = |cy: usize| {
        top + layout.side_h - (cy as f64 * f64::from(layout.side_h) / gh).round() as i32
    };
    plot.draw(&Rectangle::new(
        [(x, top), (x + layout.side_w, top + layout.side_h)],
        WHITE.filled(),
    ))?;
    if !map.has(name) {
        let style = text(TICK, MUTED).pos(Pos::new(HPos::Center, VPos::Center));
        let mid = (x + layout.side_w / 2, top + layout.side_h / 2);
        plot.draw(&Text::new("no map data", mid, style))?;
    }
    draw_cells(plot, map, name, max, &px, &py)?;
    for outline in &OUTLINES {
        draw_outline(plot, map, name, outline, &px, &py)?;
    }
    let frame = box_path((x, top), (x + layout.side_w, top + layout.side_h));
    plot.draw(&PathElement::new(frame, MUTED.stroke_width(1)))?;
    let dims = format!("{} \u{d7} {} cells", map.width, map.height);
    let style = text(TICK * 0.85, MUTED).pos(Pos::new(HPos::Center, VPos::Top));
    plot.draw(&Text::new(
        dims,
        (x + layout.side_w / 2, top + layout.side_h + 6),
        style,
    ))?;
    Ok(())
}

/// Fill of a cell: the ramp colour if miners dig there, grey for an empty mine core, none
/// otherwise.
fn fill(cell: Option<Cell>, max: f64) -> Option<RGBColor> {
    let cell = cell?;
    if cell.miners > 0.0 {
        Some(ramp(cell.miners, max))
    } else {
        (cell.zone == Zone::Core).then_some(CORE_FILL)
    }
}

/// Draws the cells of one strategy, a run of same-coloured cells in a row as one rectangle
/// (the SVG stays small).
fn draw_cells<DB: DrawingBackend>(
    plot: &Area<DB>,
    map: &MapData,
    name: &str,
    max: f64,
    px: &dyn Fn(usize) -> i32,
    py: &dyn Fn(usize) -> i32,
) -> Result<(), DrawError> {
    for cy in 0..map.height {
        let mut cx = 0;
        while cx < map.width {
            let Some(colour) = fill(map.cell(name, cx, cy), max) else {
                cx += 1;
                continue;
            };
            let mut end = cx + 1;
            while end < map.width && fill(map.cell(name, end, cy), max) == Some(colour) {
                end += 1;
            }
            // One pixel of overlap hides anti-aliasing seams when the SVG is scaled.
            let corners = [(px(cx), py(cy + 1)), (px(end) + 1, py(cy) + 1)];
            plot.draw(&Rectangle::new(corners, colour.filled()))?;
            cx = end;
        }
    }
    Ok(())
}

/// Draws the boundary between member and non-member cells of `outline` for one strategy,
/// merged into straight runs so that lines are continuous and the SVG stays small.
fn draw_outline<DB: DrawingBackend>(
    plot: &Area<DB>,
    map: &MapData,
    name: &str,
    outline: &Outline,
    px: &dyn Fn(usize) -> i32,
    py: &dyn Fn(usize) -> i32,
) -> Result<(), DrawError> {
    let (horizontal, vertical) = boundary(map, name, outline.member);
    let style = outline.colour.stroke_width(outline.width);
    let half = outline.width as i32 / 2;
    for (line, runs) in &horizontal {
        for (a, b) in merge(runs) {
            let path = vec![(px(a) - half, py(*line)), (px(b) + half, py(*line))];
            plot.draw(&PathElement::new(path, style))?;
        }
    }
    for (line, runs) in &vertical {
        for (a, b) in merge(runs) {
            let path = vec![(px(*line), py(a) + half), (px(*line), py(b) - half)];
            plot.draw(&PathElement::new(path, style))?;
        }
    }
    Ok(())
}

/// Unit boundary edges of a zone: horizontal edges by grid line y (cell x of each edge) and
/// vertical edges by grid line x (cell y of each edge).
type Edges = BTreeMap<usize, Vec<usize>>;

fn boundary(map: &MapData, name: &str, member: fn(Zone) -> bool) -> (Edges, Edges) {
    let inside = |x: usize, y: usize| map.cell(name, x, y).is_some_and(|c| member(c.zone));
    let (mut horizontal, mut vertical) = (Edges::new(), Edges::new());
    for cy in 0..map.height {
        for cx in 0..map.width {
            if !inside(cx, cy) {
                continue;
            }
            if cx == 0 || !inside(cx - 1, cy) {
                vertical.entry(cx).or_default().push(cy);
            }
            if cx + 1 >= map.width || !inside(cx + 1, cy) {
                vertical.entry(cx + 1).or_default().push(cy);
            }
            if cy == 0 || !inside(cx, cy - 1) {
                horizontal.entry(cy).or_default().push(cx);
            }
            if cy + 1 >= map.height || !inside(cx, cy + 1) {
                horizontal.entry(cy + 1).or_default().push(cx);
            }
        }
    }
    (horizontal, vertical)
}

/// Merges unit edges at positions `cells` into runs `(start, end)` of consecutive cells.
fn merge(cells: &[usize]) -> Vec<(usize, usize)> {
    let mut sorted = cells.to_vec();
    sorted.sort_unstable();
    sorted.dedup();
    let mut runs: Vec<(usize, usize)> = Vec::new();
    for c in sorted {
        match runs.last_mut() {
            Some(run) if run.1 == c => run.1 = c + 1,
            _ => runs.push((c, c + 1)),
        }
    }
    runs
}

/// The colour scale: a vertical ramp with ticks in miners per cell, and its title.
fn draw_scale<DB: DrawingBackend>(
    plot: &Area<DB>,
    x: i32,
    max: f64,
    (y, h): (i32, i32),
) -> Result<(), DrawError> {
    let title_style = text(TICK, INK);
    let lines = wrap(
        plot,
        "Miners per cell (mean per week, final year)",
        &title_style,
        SCALE_W - 30,
    )?;
    let line_h = (TICK * 1.2) as i32;
    for (i, line) in lines.iter().enumerate() {
        plot.draw(&Text::new(
            line.clone(),
            (x, y + i as i32 * line_h),
            title_style.clone(),
        ))?;
    }
    let top = y + 16 + lines.len() as i32 * line_h;
    let bar_h = (y + h - top - 20).clamp(120, 420);
    let steps = 120;
    for i in 0..steps {
        let (y0, y1) = (top + bar_h * i / steps, top + bar_h * (i + 1) / steps);
        let v = max * (1.0 - f64::from(i) / f64::from(steps)).powi(2);
        let r = Rectangle::new([(x, y0), (x + 36, y1 + 1)], ramp(v, max).filled());
        plot.draw(&r)?;
    }
    let frame = box_path((x, top), (x + 36, top + bar_h));
    plot.draw(&PathElement::new(frame, MUTED.stroke_width(1)))?;
    for v in scale_ticks(max, bar_h) {
        let y = top + bar_h - ((v / max).sqrt() * f64::from(bar_h)).round() as i32;
        plot.draw(&PathElement::new(
            vec![(x + 36, y), (x + 44, y)],
            INK.stroke_width(2),
        ))?;
        let style = text(TICK, INK).pos(Pos::new(HPos::Left, VPos::Center));
        plot.draw(&Text::new(scale_label(v), (x + 50, y), style))?;
    }
    Ok(())
}

/// A scale tick: three significant figures (the top is an average, not a round number).
fn scale_label(v: f64) -> String {
    let text = super::super::format::num(v);
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        text
    }
}

/// Tick values on a square-root bar of `bar_h` pixels, largest first: `max` (the top), then
/// readable values (1, 2, 5 x 10^k) at least 30 pixels apart, then 0.
fn scale_ticks(max: f64, bar_h: i32) -> Vec<f64> {
    let pos = |v: f64| (v / max).sqrt() * f64::from(bar_h);
    let mut values: Vec<f64> = (-3..=7)
        .flat_map(|k| [1.0, 2.0, 5.0].map(|m| m * 10f64.powi(k)))
        .filter(|v| *v <= max && pos(*v) >= 30.0)
        .collect();
    values.sort_by(|a, b| b.total_cmp(a));
    // The top of the scale, the busiest cell, is always labelled.
    let mut chosen: Vec<f64> = vec![max];
    for v in values {
        if chosen.last().is_none_or(|last| pos(*last) - pos(v) >= 30.0) {
            chosen.push(v);
        }
    }
    // Zero, the bottom of the scale, is always labelled.
    chosen.push(0.0);
    chosen
}
