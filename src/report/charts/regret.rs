//! The fit's charts (`cohabit fit`: charts/fit_1_regret and charts/fit_2_map, PNG and SVG),
//! and chart 1, regret: a table of strategies (rows) by criteria (columns), each cell the
//! strategy's mean shortfall from the best strategy in the same context, in the criterion's
//! own units, with its worst shortfall and the share of contexts where it was best; darker
//! cells fall further short, the strategy that holds up best in each column is outlined.
//! Strategy colours come from one place ([`strategy_colour_of`]), shared with the fit map
//! and the fit briefing.

use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};

use super::super::fit_words::gap;
use super::super::format::{display_name, pct};
use super::frame::{Area, DrawError, box_path, draw_frame, widest, wrap};
use super::theme::{self, FOOT, INK, LABEL, TICK, bold, text};
use super::{encode_png, finish_svg};
use crate::fit::FitReport;
use crate::fit::metrics;
use crate::report::ReportError;

/// Colour of strategy `s` of `strategies` in the fit's charts and briefing. The one place
/// the fit asks the theme for a strategy colour.
pub(crate) fn strategy_colour_of(strategies: &[String], s: usize) -> RGBColor {
    theme::strategy_colour(&strategies[s], strategies)
}

/// The same colour as CSS hex, for the briefing's tables.
pub(crate) fn strategy_hex_of(strategies: &[String], s: usize) -> String {
    let RGBColor(r, g, b) = strategy_colour_of(strategies, s);
    format!("#{r:02X}{g:02X}{b:02X}")
}

/// One of the fit's charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FitChartKind {
    Regret,
    Map,
}

impl FitChartKind {
    /// File stem under charts/.
    pub fn stem(self) -> &'static str {
        match self {
            Self::Regret => "fit_1_regret",
            Self::Map => "fit_2_map",
        }
    }

    fn draw<DB: DrawingBackend>(self, root: &Area<DB>, r: &FitReport) -> Result<(), DrawError> {
        match self {
            Self::Regret => draw(root, r),
            Self::Map => super::fitmap::draw(root, r),
        }
    }
}

/// A fit chart drawn in memory.
pub(crate) struct FitChart {
    pub kind: FitChartKind,
    pub title: String,
    pub svg: String,
    pub png: Option<Vec<u8>>,
}

/// Title of the regret chart.
pub(crate) fn title() -> String {
    "How far each strategy falls short of the best, context by context".to_string()
}

/// Draws the fit's charts (the map only when there are two context dimensions to plot).
pub(crate) fn fit_charts(r: &FitReport, png: bool) -> Result<Vec<FitChart>, ReportError> {
    theme::register_fonts().map_err(|message| ReportError::Draw {
        chart: "fonts".to_string(),
        message,
    })?;
    let mut kinds = vec![(FitChartKind::Regret, title())];
    if r.map.is_some() {
        kinds.push((FitChartKind::Map, super::fitmap::title(r)));
    }
    kinds
        .into_iter()
        .map(|(kind, title)| {
            let fail = |e: DrawError| ReportError::Draw {
                chart: kind.stem().to_string(),
                message: e.0,
            };
            let mut svg = String::new();
            {
                let root = SVGBackend::with_string(&mut svg, theme::SIZE).into_drawing_area();
                kind.draw(&root, r).map_err(fail)?;
                root.present().map_err(|e| fail(e.into()))?;
            }
            let png = if png {
                let (w, h) = theme::SIZE;
                let mut pixels = vec![0u8; w as usize * h as usize * 3];
                {
                    let root =
                        BitMapBackend::with_buffer(&mut pixels, theme::SIZE).into_drawing_area();
                    kind.draw(&root, r).map_err(fail)?;
                    root.present().map_err(|e| fail(e.into()))?;
                }
                Some(
                    encode_png(&pixels, w, h)
                        .map_err(|e| fail(DrawError(format!("PNG encoding: {e}"))))?,
                )
            } else {
                None
            };
            Ok(FitChart {
                kind,
                svg: finish_svg(&svg, &title),
                title,
                png,
            })
        })
        .collect()
}

/// White (no shortfall) to dark red (the column's largest mean shortfall).
fn shade(t: f64) -> RGBColor {
    let t = t.clamp(0.0, 1.0);
    let mix = |a: f64, b: f64| (a + (b - a) * t).round() as u8;
    RGBColor(mix(250.0, 165.0), mix(250.0, 15.0), mix(250.0, 21.0))
}

/// Regular text no wider than `max_w`, shrinking from `size` to 60% of it.
fn fitting<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    size: f64,
    colour: RGBColor,
    max_w: i32,
) -> Result<TextStyle<'static>, DrawError> {
    let mut scale = 1.0;
    while scale > 0.6 && area.estimate_text_size(s, &text(size * scale, colour))?.0 as i32 > max_w {
        scale -= 0.05;
    }
    Ok(text(size * scale, colour))
}

/// Most lines a column header takes at full size; a longer one shrinks to fit them.
const HEAD_LINES: usize = 4;
/// Pixels between a cell's edge and its text (clear of the leader's 4-pixel outline).
const CELL_PAD: i32 = 10;

/// A column header wrapped whole into `width`: at the tick size in up to [`HEAD_LINES`]
/// lines, else at the largest size down to 60% at which it takes that many lines and no word
/// is wider than the column; failing that, at 60% with over-wide words broken by a hyphen.
/// Never cut. Returns the lines and their size.
fn header<DB: DrawingBackend>(
    plot: &Area<DB>,
    label: &str,
    width: i32,
) -> Result<(Vec<String>, f64), DrawError> {
    let mut scale = 1.0;
    while scale > 0.6 {
        let style = bold(TICK * scale, INK);
        let lines = wrap_at_hyphens(plot, label, &style, width)?;
        if lines.len() <= HEAD_LINES && widest(plot, lines.iter().cloned(), &style)? <= width {
            return Ok((lines, TICK * scale));
        }
        scale -= 0.05;
    }
    let style = bold(TICK * 0.6, INK);
    let mut lines = Vec::new();
    for line in wrap(plot, label, &style, width)? {
        lines.extend(hyphenate(plot, &line, &style, width)?);
    }
    Ok((lines, TICK * 0.6))
}

/// [`wrap`], also breaking after the hyphen of a compound ("Human-" / "rights").
fn wrap_at_hyphens<DB: DrawingBackend>(
    plot: &Area<DB>,
    label: &str,
    style: &TextStyle,
    width: i32,
) -> Result<Vec<String>, DrawError> {
    let mut lines: Vec<String> = Vec::new();
    for line in wrap(plot, label, style, width)? {
        let mut current = String::new();
        for piece in line.split_inclusive([' ', '-']) {
            let candidate = format!("{current}{piece}");
            let wide = plot.estimate_text_size(candidate.trim_end(), style)?.0 as i32 > width;
            if wide && !current.is_empty() {
                lines.push(current.trim_end().to_string());
                current = piece.to_string();
            } else {
                current = candidate;
            }
        }
        lines.push(current.trim_end().to_string());
    }
    Ok(lines)
}

/// `line` broken into pieces no wider than `width`, each but the last ending in a hyphen.
fn hyphenate<DB: DrawingBackend>(
    plot: &Area<DB>,
    line: &str,
    style: &TextStyle,
    width: i32,
) -> Result<Vec<String>, DrawError> {
    let mut pieces = Vec::new();
    let mut rest: Vec<char> = line.chars().collect();
    while plot
        .estimate_text_size(&rest.iter().collect::<String>(), style)?
        .0 as i32
        > width
    {
        let mut cut = rest.len() - 1;
        while cut > 1 {
            let head: String = rest[..cut].iter().collect::<String>() + "-";
            if plot.estimate_text_size(&head, style)?.0 as i32 <= width {
                break;
            }
            cut -= 1;
        }
        pieces.push(rest[..cut].iter().collect::<String>() + "-");
        rest.drain(..cut);
    }
    pieces.push(rest.into_iter().collect());
    Ok(pieces)
}

/// Scale of a cell's three lines (sizes `sizes`) so that they fit `room` pixels of height.
fn cell_scale<DB: DrawingBackend>(
    plot: &Area<DB>,
    sizes: [f64; 3],
    room: i32,
) -> Result<f64, DrawError> {
    let mut total = 0;
    for size in sizes {
        total += plot.estimate_text_size("Ag", &text(size, INK))?.1 as i32 + 4;
    }
    Ok((f64::from(room) / f64::from(total.max(1))).min(1.0))
}

fn draw<DB: DrawingBackend>(root: &Area<DB>, r: &FitReport) -> Result<(), DrawError> {
    let (lo, hi) = r.seeds;
    let seeds = if lo == hi {
        lo.to_string()
    } else {
        format!("{lo}-{hi}")
    };
    let foot = format!(
        "Shortfall (regret): how much worse a strategy did than the best strategy in the same context, in each criterion's own units (0: it was the best there). Large figure: average over the {} contexts tested; worst: its largest shortfall; best in: share of contexts where it was the best (ties shared). Darker cells fall further short; outlined: holds up best. Each context: the mean of {seeds} simulated futures shared by all strategies.",
        r.points
    );
    let plot = draw_frame(root, &title(), &[], &foot)?;
    let (w, h) = plot.dim_in_pixel();
    let (w, h) = (w as i32, h as i32);
    let names: Vec<String> = r.strategies.iter().map(|s| display_name(s)).collect();
    let label_w = widest(&plot, names.iter().cloned(), &text(LABEL, INK))? + 50;
    let metrics_n = r.robustness.metrics.len().max(1) as i32;
    let col_w = (w - label_w) / metrics_n;
    let heads: Vec<(Vec<String>, f64)> = r
        .robustness
        .metrics
        .iter()
        .map(|m| header(&plot, &metrics::label(&m.metric), col_w - 12))
        .collect::<Result<_, _>>()?;
    let line_h = |size: f64| size as i32 + 6;
    let head_h = heads
        .iter()
        .map(|(lines, size)| lines.len() as i32 * line_h(*size))
        .max()
        .unwrap_or(line_h(TICK))
        + 12;
    let rows = r.strategies.len().max(1) as i32;
    let row_h = ((h - head_h) / rows).min(150);
    for (c, (lines, size)) in heads.iter().enumerate() {
        let x = label_w + c as i32 * col_w + col_w / 2;
        // Bottom-aligned, so every header ends just above its column.
        let top = head_h - 8 - lines.len() as i32 * line_h(*size);
        for (i, line) in lines.iter().enumerate() {
            let at = (x, top + i as i32 * line_h(*size));
            let style = bold(*size, INK).pos(Pos::new(HPos::Center, VPos::Top));
            plot.draw(&Text::new(line.clone(), at, style))?;
        }
    }
    for (s, name) in names.iter().enumerate() {
        let y = head_h + s as i32 * row_h;
        let cy = y + row_h / 2;
        let swatch = strategy_colour_of(&r.strategies, s);
        plot.draw(&Rectangle::new(
            [(0, cy - 12), (24, cy + 12)],
            swatch.filled(),
        ))?;
        let style = text(LABEL, INK).pos(Pos::new(HPos::Left, VPos::Center));
        plot.draw(&Text::new(name.clone(), (36, cy), style))?;
    }
    let scale = cell_scale(&plot, [LABEL, FOOT, FOOT], row_h - 2 * CELL_PAD)?;
    for (c, m) in r.robustness.metrics.iter().enumerate() {
        let worst = m
            .strategies
            .iter()
            .map(|x| x.mean_regret)
            .fold(0.0, f64::max);
        let lead = m.leader();
        for (s, x) in m.strategies.iter().enumerate() {
            let (x0, y0) = (label_w + c as i32 * col_w, head_h + s as i32 * row_h);
            let t = if worst > 0.0 {
                x.mean_regret / worst
            } else {
                0.0
            };
            let fill = shade(t);
            plot.draw(&Rectangle::new(
                [(x0 + 2, y0 + 2), (x0 + col_w - 2, y0 + row_h - 2)],
                fill.filled(),
            ))?;
            if s == lead {
                let path = box_path((x0 + 4, y0 + 4), (x0 + col_w - 4, y0 + row_h - 4));
                plot.draw(&PathElement::new(path, INK.stroke_width(4)))?;
            }
            let ink = if t > 0.55 { WHITE } else { INK };
            let centre = x0 + col_w / 2;
            let lines = [
                (gap(&m.metric, x.mean_regret, true), LABEL, true),
                (
                    format!("worst {}", gap(&m.metric, x.max_regret, true)),
                    FOOT,
                    false,
                ),
                (format!("best in {}", pct(x.share_best)), FOOT, false),
            ];
            let mut styled = Vec::with_capacity(lines.len());
            for (line, size, strong) in lines {
                let size = size * scale;
                let (line, style) = if strong {
                    let (fitted, st) = super::frame::fit_bold(&plot, &line, size, col_w - 16)?;
                    (fitted, st.color(&ink))
                } else {
                    let st = fitting(&plot, &line, size, ink, col_w - 16)?;
                    (line, st)
                };
                let height = plot.estimate_text_size("Ag", &style)?.1 as i32;
                styled.push((line, style, height));
            }
            let total: i32 = styled.iter().map(|l| l.2 + 4).sum::<i32>() - 4;
            let mut y = y0 + (row_h - total) / 2;
            for (line, style, height) in styled {
                plot.draw(&Text::new(
                    line,
                    (centre, y),
                    style.pos(Pos::new(HPos::Center, VPos::Top)),
                ))?;
                y += height + 4;
            }
        }
    }
    Ok(())
}
