//! The report's charts (six, and a seventh when a strategy is adaptive), each drawn twice from the same code: as SVG (for print and the briefing)
//! and as PNG (1600 x 900, for slides). [`ChartKind`] is the closed list of charts; each
//! kind's drawing lives in its own file and works on any plotters back-end.

mod comparison;
mod costs;
mod fitmap;
mod frame;
mod labels;
mod map;
mod outcomes;
mod phases;
mod regret;
mod risk;
mod scale;
mod theme;
mod tornado;
mod tradeoff;

pub(crate) use regret::{FitChart, FitChartKind, fit_charts, strategy_hex_of};
pub use tornado::sensitivity_charts;

use plotters::prelude::*;

use super::data::RunData;
use super::error::ReportError;
use super::format::years;
use frame::{Area, DrawError, LegendItem, draw_frame};
pub(crate) use theme::strategy_hex;

/// One of the report's charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ChartKind {
    /// Conflict, income and cumulative cost over time (median and 90% band).
    Outcomes,
    /// Conflict, income and NPV cost per strategy with 95% CIs.
    Comparison,
    /// NPV cost against conflict, one point per strategy.
    TradeOff,
    /// Cost by category per strategy.
    Costs,
    /// Where miners dig, small multiples.
    Map,
    /// Distribution of total cost across seeds.
    Risk,
    /// Share of runs in each phase of every adaptive strategy (drawn only when there is one).
    Phases,
}

/// A chart drawn in memory: SVG text and, if asked for, PNG bytes.
pub(crate) struct Rendered {
    /// Which chart.
    pub kind: ChartKind,
    /// The SVG document.
    pub svg: String,
    /// The PNG image, when PNGs were requested.
    pub png: Option<Vec<u8>>,
}

impl ChartKind {
    /// Every chart, in briefing order.
    pub const ALL: [Self; 7] = [
        Self::Outcomes,
        Self::Comparison,
        Self::TradeOff,
        Self::Costs,
        Self::Risk,
        Self::Map,
        Self::Phases,
    ];

    /// Whether the run has what the chart shows (the phases chart needs an adaptive strategy).
    pub fn applies(self, data: &RunData) -> bool {
        match self {
            Self::Phases => !phases::adaptive(data).is_empty(),
            _ => true,
        }
    }

    /// File stem under `charts/` (numbered in briefing order, for slide decks).
    pub fn stem(self) -> &'static str {
        match self {
            Self::Outcomes => "1_outcomes_over_time",
            Self::Comparison => "2_strategy_comparison",
            Self::TradeOff => "3_cost_conflict_tradeoff",
            Self::Costs => "4_cost_breakdown",
            Self::Risk => "5_cost_risk",
            Self::Map => "6_asm_map",
            Self::Phases => "7_adaptive_phases",
        }
    }

    /// The chart's title.
    pub fn title(self) -> &'static str {
        match self {
            Self::Outcomes => "Conflict, miner income and company cost over time",
            Self::Comparison => "Strategies compared: deaths, conflict, miners' income and cost",
            Self::TradeOff => "Trade-off: cost to the company against conflict",
            Self::Costs => "Where the money goes: company cost by category",
            Self::Risk => "Cost risk: total cost across simulated futures",
            Self::Map => "Where artisanal miners dig in the final year",
            Self::Phases => "Adaptive strategies: share of futures in each phase over time",
        }
    }

    fn draw<DB: DrawingBackend>(self, root: &Area<DB>, data: &RunData) -> Result<(), DrawError> {
        match self {
            Self::Outcomes => outcomes::draw(root, data, self.title()),
            Self::Comparison => comparison::draw(root, data, self.title()),
            Self::TradeOff => tradeoff::draw(root, data, self.title()),
            Self::Costs => costs::draw(root, data, self.title()),
            Self::Risk => risk::draw(root, data, self.title()),
            Self::Map => map::draw(root, data, self.title()),
            Self::Phases => phases::draw(root, data, self.title()),
        }
    }
}

/// Draws every chart; PNGs only when `png` is true.
pub(crate) fn render_all(data: &RunData, png: bool) -> Result<Vec<Rendered>, ReportError> {
    theme::register_fonts().map_err(|message| ReportError::Draw {
        chart: "fonts".to_string(),
        message,
    })?;
    ChartKind::ALL
        .iter()
        .filter(|kind| kind.applies(data))
        .map(|kind| render(*kind, data, png))
        .collect()
}

fn render(kind: ChartKind, data: &RunData, png: bool) -> Result<Rendered, ReportError> {
    let fail = |e: DrawError| ReportError::Draw {
        chart: kind.stem().to_string(),
        message: e.0,
    };
    let mut svg = String::new();
    {
        let root = SVGBackend::with_string(&mut svg, theme::SIZE).into_drawing_area();
        kind.draw(&root, data).map_err(fail)?;
        root.present().map_err(|e| fail(e.into()))?;
    }
    let png = if png {
        Some(render_png(kind, data).map_err(fail)?)
    } else {
        None
    };
    Ok(Rendered {
        kind,
        svg: finish_svg(&svg, kind.title()),
        png,
    })
}

fn render_png(kind: ChartKind, data: &RunData) -> Result<Vec<u8>, DrawError> {
    let (w, h) = theme::SIZE;
    let mut pixels = vec![0u8; w as usize * h as usize * 3];
    {
        let root = BitMapBackend::with_buffer(&mut pixels, theme::SIZE).into_drawing_area();
        kind.draw(&root, data)?;
        root.present()?;
    }
    encode_png(&pixels, w, h).map_err(|e| DrawError(format!("PNG encoding: {e}")))
}

fn encode_png(rgb: &[u8], w: u32, h: u32) -> Result<Vec<u8>, png::EncodingError> {
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    // Charts are flat colour: the Paeth filter makes them about four times smaller than
    // no filter, at a fraction of the time of adaptive filtering.
    encoder.set_compression(png::Compression::Default);
    encoder.set_filter(png::FilterType::Paeth);
    let mut writer = encoder.write_header()?;
    writer.write_image_data(rgb)?;
    writer.finish()?;
    Ok(out)
}

/// Names fonts the reader is likely to have that match DejaVu's metrics, and adds a
/// `<title>` for accessibility and for finding the chart.
fn finish_svg(svg: &str, title: &str) -> String {
    let fonts = svg.replace(
        "font-family=\"sans-serif\"",
        "font-family=\"DejaVu Sans, Verdana, Arial, sans-serif\"",
    );
    match fonts.find('>') {
        Some(end) => format!(
            "{}\n<title>{}</title>{}",
            &fonts[..=end],
            super::format::html(title),
            &fonts[end + 1..]
        ),
        None => fonts,
    }
}

/// Draws the frame of a report chart whose footnote is `note` followed by the run's
/// [`basis`]; returns the area left for the plot.
fn framed<DB: DrawingBackend>(
    root: &Area<DB>,
    data: &RunData,
    title: &str,
    legend: &[LegendItem],
    note: &str,
) -> Result<Area<DB>, DrawError> {
    draw_frame(root, title, legend, &format!("{note} {}", basis(data)))
}

/// "20 seeds per strategy, 10-year horizon (520 weeks)": the basis every footnote states.
pub(crate) fn basis(data: &RunData) -> String {
    let weeks = data.weeks();
    format!(
        "{} seeds per strategy (each seed is one simulated future, shared by all strategies); horizon {} ({weeks} weeks).",
        data.seeds(),
        years(weeks)
    )
}
