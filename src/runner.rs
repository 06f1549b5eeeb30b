//! A whole `cohabit run`: the scenario's plan (one design point) executed into an output
//! folder, with its scenario.toml, result files and manifest, through the experiment
//! pipeline (so a run can be sharded, merged, interrupted and resumed). The CLI calls this;
//! so do tests.

use crate::experiment::folder;
use crate::experiment::launch::{self, Experiment, Finished};
use crate::experiment::{Cohabit, ExperimentError, Shard};
use crate::scenario::{Scenario, ScenarioSource};
use indicatif::ProgressBar;
use std::io;
use std::path::PathBuf;

/// How to run.
#[derive(Debug, Clone)]
pub struct Settings {
    pub out: PathBuf,
    /// Worker threads (0 = one per core).
    pub threads: usize,
    /// `--set` overrides as given (for the manifest).
    pub overrides: Vec<String>,
    pub command_line: String,
    pub progress: bool,
    /// Draw the charts and the briefing, with these options, when the run completes (while
    /// the output folder is still held); `None` for no charts.
    pub report: Option<crate::report::ReportOptions>,
    /// Seeds chosen by precision (`--precision`): the scenario's seeds are the first block.
    pub precision: Option<crate::experiment::precision::Precision>,
}

/// Sharding and what to do with an existing output folder.
#[derive(Debug, Clone, Copy)]
pub struct Batch {
    pub shard: Shard,
    pub folder: folder::Options,
}

impl Default for Batch {
    fn default() -> Self {
        Batch {
            shard: Shard::WHOLE,
            folder: folder::Options::default(),
        }
    }
}

/// Run every strategy of the scenario over its seeds into `settings.out` (a shard: into
/// `<out>/shards/KKKK-of-NNNN/`). `stop` is checked before each run starts (Ctrl-C).
pub fn run(
    s: &Scenario,
    source: &ScenarioSource,
    settings: &Settings,
    batch: &Batch,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Finished, ExperimentError> {
    let model = Cohabit {
        base: s.clone(),
        source: source.clone(),
        overrides: settings.overrides.clone(),
        detail: true,
    };
    let mut experiment = Experiment::run(s);
    experiment.identity.precision = settings.precision.clone();
    let launch_settings = launch::Settings {
        out: settings.out.clone(),
        threads: settings.threads,
        shard: batch.shard,
        folder: batch.folder,
        overrides: settings.overrides.clone(),
        command_line: settings.command_line.clone(),
        progress: settings.progress,
        charts: settings.report.is_some(),
    };
    launch::launch_with(
        &model,
        &experiment,
        &launch_settings,
        stop,
        settings.report.as_ref(),
    )
}

/// A progress bar with runs done, runs per second and ETA on a terminal; hidden when stderr
/// is not a terminal or when asked.
pub fn progress_bar(total: u64, show: bool) -> ProgressBar {
    use indicatif::{ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    if !show || !io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec:1}  ETA {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
