//! What every chart shares around its plot: the white canvas, the title, a legend strip
//! above the plot (so it never hides data), and a wrapped footnote saying how many seeds,
//! the horizon and what bands or whiskers mean. Also the drawing error type.

use plotters::coord::Shift;
use plotters::drawing::DrawingAreaErrorKind;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::format::display_name;
use super::theme::{
    FOOT, GRID, INK, LABEL, MARGIN, MUTED, SIZE, TICK, TITLE, strategy_colour, text, tick,
};

/// A drawing area in pixel coordinates.
pub(crate) type Area<DB> = DrawingArea<DB, Shift>;

/// A drawing failure, reduced to its message (the back-ends' error types differ).
#[derive(Debug)]
pub(crate) struct DrawError(pub String);

impl<E: std::error::Error + Send + Sync> From<DrawingAreaErrorKind<E>> for DrawError {
    fn from(err: DrawingAreaErrorKind<E>) -> Self {
        Self(err.to_string())
    }
}

/// The glyph drawn before a legend label.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Mark {
    /// A filled square.
    Fill(RGBColor),
    /// A thick line over a pale band (median line and its 90% band).
    Band(RGBColor),
    /// A square outline of the given width (map zones).
    Outline(RGBColor, u32),
    /// A filled circle.
    Dot(RGBColor),
    /// A horizontal interval with end caps.
    Whisker(RGBColor),
    /// A short thick vertical tick.
    Tick(RGBColor),
}

/// One legend entry.
#[derive(Debug, Clone)]
pub(crate) struct LegendItem {
    /// Its glyph.
    pub mark: Mark,
    /// Its label.
    pub label: String,
}

impl LegendItem {
    /// A legend entry.
    pub fn new(mark: Mark, label: impl Into<String>) -> Self {
        Self {
            mark,
            label: label.into(),
        }
    }
}

/// One legend entry per strategy, in run order: its display name after `mark` drawn in the
/// strategy's colour (by name, e.g. `Mark::Fill`).
pub(crate) fn strategy_legend<S: AsRef<str>>(
    strategies: &[S],
    mark: fn(RGBColor) -> Mark,
) -> Vec<LegendItem> {
    strategies
        .iter()
        .map(|s| {
            let colour = strategy_colour(s.as_ref(), strategies);
            LegendItem::new(mark(colour), display_name(s.as_ref()))
        })
        .collect()
}

const MARK_W: i32 = 44;
const ROW_H: i32 = (LABEL as i32) + 14;

/// Draws the frame on a white canvas: `title`, the `legend` entries left to right (wrapping)
/// and the `footnote` (wrapped to the width). Returns the area left for the plot.
pub(crate) fn draw_frame<DB: DrawingBackend>(
    root: &Area<DB>,
    title: &str,
    legend: &[LegendItem],
    footnote: &str,
) -> Result<Area<DB>, DrawError> {
    root.fill(&WHITE)?;
    let (w, h) = (SIZE.0 as i32, SIZE.1 as i32);
    // A long title (a sensitivity chart's metric in words) shrinks to fit rather than run off.
    let (title, style) = fit_bold(root, title, TITLE, w - 2 * MARGIN)?;
    root.draw(&Text::new(title, (MARGIN, 22), style))?;
    let legend_top = 22 + TITLE as i32 + 14;
    let legend_bottom = draw_legend(root, legend, legend_top, w - 2 * MARGIN)?;
    let foot_style = text(FOOT, MUTED);
    let lines = wrap(root, footnote, &foot_style, w - 2 * MARGIN)?;
    let line_h = (FOOT * 1.25) as i32;
    let foot_top = h - 16 - line_h * lines.len() as i32;
    for (i, line) in lines.into_iter().enumerate() {
        let y = foot_top + line_h * i as i32;
        root.draw(&Text::new(line, (MARGIN, y), foot_style.clone()))?;
    }
    let top = legend_bottom + 10;
    let bottom = foot_top - 10;
    Ok(root
        .clone()
        .shrink((MARGIN, top), (w - 2 * MARGIN, (bottom - top).max(10))))
}

/// Lays out the legend from `top`; returns the y just below it.
fn draw_legend<DB: DrawingBackend>(
    root: &Area<DB>,
    items: &[LegendItem],
    top: i32,
    width: i32,
) -> Result<i32, DrawError> {
    if items.is_empty() {
        return Ok(top);
    }
    let style = text(LABEL, INK);
    let (mut x, mut y) = (MARGIN, top);
    for item in items {
        let (tw, _) = root.estimate_text_size(&item.label, &style)?;
        let item_w = MARK_W + 10 + tw as i32;
        if x > MARGIN && x + item_w > MARGIN + width {
            (x, y) = (MARGIN, y + ROW_H);
        }
        draw_mark(root, item.mark, x, y + ROW_H / 2 - 4)?;
        let anchor = Pos::new(HPos::Left, VPos::Center);
        let label = Text::new(
            item.label.clone(),
            (x + MARK_W + 10, y + ROW_H / 2 - 4),
            style.pos(anchor),
        );
        root.draw(&label)?;
        x += item_w + 40;
    }
    Ok(y + ROW_H)
}

/// Draws a legend glyph whose left edge is `x` and vertical centre `cy`.
fn draw_mark<DB: DrawingBackend>(
    root: &Area<DB>,
    mark: Mark,
    x: i32,
    cy: i32,
) -> Result<(), DrawError> {
    let (x1, half) = (x + MARK_W, 12);
    match mark {
        Mark::Fill(c) => root.draw(&Rectangle::new(
            [(x, cy - half), (x1, cy + half)],
            c.filled(),
        ))?,
        Mark::Band(c) => {
            let band = Rectangle::new([(x, cy - half), (x1, cy + half)], c.mix(0.2).filled());
            root.draw(&band)?;
            root.draw(&PathElement::new(
                vec![(x, cy), (x1, cy)],
                c.stroke_width(5),
            ))?;
        }
        Mark::Outline(c, width) => {
            let path = box_path((x + 4, cy - half + 2), (x1 - 4, cy + half - 2));
            root.draw(&PathElement::new(path, c.stroke_width(width)))?;
        }
        Mark::Dot(c) => root.draw(&Circle::new((x + MARK_W / 2, cy), 11, c.filled()))?,
        Mark::Whisker(c) => {
            let style = c.stroke_width(3);
            root.draw(&PathElement::new(vec![(x + 4, cy), (x1 - 4, cy)], style))?;
            for end in [x + 4, x1 - 4] {
                root.draw(&PathElement::new(
                    vec![(end, cy - 10), (end, cy + 10)],
                    style,
                ))?;
            }
        }
        Mark::Tick(c) => {
            let mid = x + MARK_W / 2;
            root.draw(&PathElement::new(
                vec![(mid, cy - half), (mid, cy + half)],
                c.stroke_width(6),
            ))?;
        }
    }
    Ok(())
}

/// Splits `text` into lines no wider than `width` pixels in `style`.
pub(crate) fn wrap<DB: DrawingBackend>(
    root: &Area<DB>,
    text: &str,
    style: &TextStyle,
    width: i32,
) -> Result<Vec<String>, DrawError> {
    let mut lines: Vec<String> = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        let candidate = if line.is_empty() {
            word.to_string()
        } else {
            format!("{line} {word}")
        };
        let (w, _) = root.estimate_text_size(&candidate, style)?;
        if w as i32 > width && !line.is_empty() {
            lines.push(std::mem::take(&mut line));
            line = word.to_string();
        } else {
            line = candidate;
        }
    }
    if !line.is_empty() {
        lines.push(line);
    }
    Ok(lines)
}

/// Width in pixels of the widest of `labels` in `style`.
pub(crate) fn widest<DB: DrawingBackend>(
    root: &Area<DB>,
    labels: impl IntoIterator<Item = String>,
    style: &TextStyle,
) -> Result<i32, DrawError> {
    let mut max = 0;
    for label in labels {
        max = max.max(root.estimate_text_size(&label, style)?.0 as i32);
    }
    Ok(max)
}

/// The coordinates of a horizontal bar chart: values across, one row per strategy.
pub(crate) type BarCoord = Cartesian2d<
    plotters::coord::types::RangedCoordf64,
    plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize>,
>;

/// A horizontal bar chart.
pub(crate) type BarChart<'a, DB> = ChartContext<'a, DB, BarCoord>;

/// `n` bar rows, 0..n (plotters' segmented range `0..m` holds m + 1 segments).
pub(crate) fn rows(
    n: usize,
) -> plotters::coord::ranged1d::SegmentedCoord<plotters::coord::types::RangedCoordusize> {
    (0..n.saturating_sub(1)).into_segmented()
}

/// Row of strategy `s` among `n`, so that the first strategy is drawn at the top.
pub(crate) fn row_of(s: usize, n: usize) -> usize {
    n - 1 - s
}

/// The axes of a horizontal bar chart: values across, `n` rows, the first at the top.
pub(crate) struct RowAxes<'a> {
    /// Caption above the chart and its style, if any.
    pub caption: Option<(String, TextStyle<'static>)>,
    /// Right and top margins, pixels.
    pub margin: (i32, i32),
    /// Width of the row labels' area, pixels.
    pub label_w: i32,
    /// The values' range.
    pub x: std::ops::Range<f64>,
    /// What the values are, written under them.
    pub x_desc: &'a str,
    /// About how many value ticks.
    pub x_labels: usize,
    /// Number of rows.
    pub n: usize,
    /// Row labels, top row first; `None` leaves the rows unlabelled.
    pub names: Option<&'a [String]>,
}

/// Builds a horizontal bar chart on `area` and draws its axes: value ticks and vertical grid
/// lines across, one labelled row per entry of `axes.names`.
pub(crate) fn row_chart<'a, DB: DrawingBackend>(
    area: &'a Area<DB>,
    axes: RowAxes,
) -> Result<BarChart<'a, DB>, DrawError> {
    let n = axes.n;
    let mut builder = ChartBuilder::on(area);
    if let Some((caption, style)) = axes.caption {
        builder.caption(caption, style);
    }
    let mut chart = builder
        .margin_right(axes.margin.0)
        .margin_top(axes.margin.1)
        .x_label_area_size(80)
        .y_label_area_size(axes.label_w)
        .build_cartesian_2d(axes.x, rows(n))?;
    let row_name = |v: &SegmentValue<usize>| match (v, axes.names) {
        (SegmentValue::CenterOf(k), Some(names)) if *k < n => names[n - 1 - k].clone(),
        _ => String::new(),
    };
    chart
        .configure_mesh()
        .disable_y_mesh()
        .x_desc(axes.x_desc)
        .axis_desc_style(text(LABEL, INK))
        .x_label_style(text(TICK, INK))
        .y_label_style(text(LABEL, INK))
        .x_labels(axes.x_labels)
        .y_labels(n)
        .x_label_formatter(&|v| tick(*v))
        .y_label_formatter(&row_name)
        .bold_line_style(GRID)
        .light_line_style(WHITE)
        .draw()?;
    Ok(chart)
}

/// Height in pixels of one of the `n` rows of `chart`.
pub(crate) fn row_height<DB: DrawingBackend>(chart: &BarChart<'_, DB>, n: usize) -> f64 {
    chart.plotting_area().dim_in_pixel().1 as f64 / n.max(1) as f64
}

/// The upper end of an x range starting at `lo` that leaves room right of each `(x, width)`
/// for a label `width` pixels wide, on a plot about `plot_px` pixels wide.
pub(crate) fn room_for_labels(lo: f64, hi: f64, labels: &[(f64, i32)], plot_px: i32) -> f64 {
    let plot_px = f64::from(plot_px.max(100));
    labels.iter().fold(hi, |acc, (x, width)| {
        let k = (f64::from(*width + 24) / plot_px).min(0.8);
        acc.max((x - k * lo) / (1.0 - k))
    })
}

/// A closed path around the rectangle from `a` to `b` (pixels). Used instead of an outlined
/// `Rectangle`, whose stroke width the SVG back-end drops.
pub(crate) fn box_path(a: (i32, i32), b: (i32, i32)) -> Vec<(i32, i32)> {
    vec![a, (b.0, a.1), b, (a.0, b.1), a]
}

/// `text` in bold at the largest size from `size` down to 60% of it that fits in `max_w`
/// pixels; if even that is too wide, shortened with an ellipsis.
pub(crate) fn fit_bold<DB: DrawingBackend>(
    root: &Area<DB>,
    text: &str,
    size: f64,
    max_w: i32,
) -> Result<(String, TextStyle<'static>), DrawError> {
    let mut scale = 1.0;
    while scale > 0.6 {
        let style = super::theme::bold(size * scale, INK);
        if root.estimate_text_size(text, &style)?.0 as i32 <= max_w {
            return Ok((text.to_string(), style));
        }
        scale -= 0.05;
    }
    let style = super::theme::bold(size * 0.6, INK);
    let mut chars: Vec<char> = text.chars().collect();
    while !chars.is_empty() {
        chars.pop();
        let short = format!("{}…", chars.iter().collect::<String>().trim_end());
        if root.estimate_text_size(&short, &style)?.0 as i32 <= max_w {
            return Ok((short, style));
        }
    }
    Ok((String::new(), style))
}
