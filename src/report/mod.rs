//! Charts and the board briefing, drawn only from the files a run leaves in its output folder.
//!
//! [`render`] reads the folder (`data`), draws the charts (`charts`), words the findings
//! (`findings`) and assembles the one-file briefing (`html`). Everything is built in memory
//! first and then written file by file atomically, so a failure leaves earlier outputs intact.
//! The same input files always give byte-identical outputs.

mod bottom_line;
mod catalogue;
mod charts;
mod context;
mod cost_findings;
mod csvfile;
mod data;
mod effects;
mod error;
mod findings;
mod fit_briefing;
mod fit_words;
mod format;
mod html;
mod map;
mod precision;
mod stats;
mod tables;
mod write;

use std::path::{Path, PathBuf};

pub use charts::sensitivity_charts;
pub use error::ReportError;
pub use fit_briefing::render_fit;

/// What to render.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReportOptions {
    /// Draw the charts as PNG (slides) and SVG (print) under `<out>/charts/`.
    pub charts: bool,
    /// Write the self-contained briefing `<out>/report.html`.
    pub html: bool,
    /// The strategy every other is compared with in the findings (`--baseline`); by default
    /// each is compared with the best alternative on each measure.
    pub baseline: Option<String>,
}

impl Default for ReportOptions {
    fn default() -> Self {
        Self {
            charts: true,
            html: true,
            baseline: None,
        }
    }
}

/// Checks that `baseline` names one of `strategies`, before anything is run or drawn.
pub fn check_baseline<S: AsRef<str>>(
    baseline: Option<&str>,
    strategies: &[S],
) -> Result<Option<usize>, ReportError> {
    let Some(name) = baseline else {
        return Ok(None);
    };
    match strategies.iter().position(|s| s.as_ref() == name) {
        Some(i) => Ok(Some(i)),
        None => Err(ReportError::UnknownBaseline {
            name: name.to_string(),
            strategies: strategies.iter().map(|s| s.as_ref().to_string()).collect(),
        }),
    }
}

/// The files a render wrote.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RenderSummary {
    /// Every file written, the briefing first (if written), then the charts in order.
    pub files: Vec<PathBuf>,
    /// The briefing, if it was written: the file to open first.
    pub briefing: Option<PathBuf>,
}

/// File name of the briefing inside the output folder.
pub const BRIEFING_FILE: &str = "report.html";
/// Folder of the charts inside the output folder.
pub const CHARTS_DIR: &str = "charts";

/// Renders the charts and/or the briefing from the run outputs in `out_dir`.
///
/// Reads `runs.csv`, `summary.csv`, `timeseries.csv`, `map.csv`, `manifest.json` and
/// `scenario.toml`; writes `charts/<n>_<name>.png` and `.svg` and `report.html`.
pub fn render(out_dir: &Path, opts: &ReportOptions) -> Result<RenderSummary, ReportError> {
    if !opts.charts && !opts.html {
        return Ok(RenderSummary::default());
    }
    let data = data::load(out_dir)?;
    let baseline = check_baseline(opts.baseline.as_deref(), &data.strategies)?;
    let charts = charts::render_all(&data, opts.charts)?;
    let mut outputs: Vec<(PathBuf, Vec<u8>)> = Vec::new();
    let mut summary = RenderSummary::default();
    if opts.html {
        let path = out_dir.join(BRIEFING_FILE);
        outputs.push((
            path.clone(),
            html::briefing(&data, &charts, baseline).into_bytes(),
        ));
        summary.briefing = Some(path);
    }
    if opts.charts {
        let dir = out_dir.join(CHARTS_DIR);
        write::ensure_dir(&dir)?;
        for chart in charts {
            let stem = chart.kind.stem();
            if let Some(png) = chart.png {
                outputs.push((dir.join(format!("{stem}.png")), png));
            }
            outputs.push((dir.join(format!("{stem}.svg")), chart.svg.into_bytes()));
        }
    }
    for (path, bytes) in outputs {
        write::write_atomic(&path, &bytes)?;
        summary.files.push(path);
    }
    Ok(summary)
}
