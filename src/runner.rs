//! A whole `cohabit run`: the scenario's plan executed into an output folder, with its
//! scenario.toml, result files and manifest. The CLI calls this; so do tests.

use crate::batch;
use crate::output::manifest::Manifest;
use crate::output::results::Results;
use crate::output::write_atomic;
use crate::scenario::Scenario;
use indicatif::ProgressBar;
use std::io;
use std::path::{Path, PathBuf};
use std::time::Instant;

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
}

/// What a finished run reports.
#[derive(Debug, Clone)]
pub struct Done {
    pub runs: usize,
    pub wall_time_s: f64,
    pub miner_weeks: f64,
    pub throughput: f64,
    pub out: PathBuf,
}

/// A failure while running: the files concerned and the cause.
#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error("cannot write results in {path}: {source}")]
    Io { path: PathBuf, source: io::Error },
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
}

fn io_at(path: &Path) -> impl Fn(io::Error) -> RunError + '_ {
    move |source| RunError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Run every strategy of the scenario over its seeds and write the outputs into `settings.out`.
pub fn run(s: &Scenario, settings: &Settings) -> Result<Done, RunError> {
    let out = &settings.out;
    std::fs::create_dir_all(out).map_err(io_at(out))?;
    write_atomic(&out.join("scenario.toml"), s.to_toml().as_bytes()).map_err(io_at(out))?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .map_err(|e| RunError::Threads {
            threads: settings.threads,
            message: e.to_string(),
        })?;
    let specs = batch::plan(s, 0);
    let progress = progress_bar(specs.len() as u64, settings.progress);
    let start = Instant::now();
    let mut results = Results::create(out, s).map_err(io_at(out))?;
    let miner_weeks = pool
        .install(|| {
            batch::execute(s, &specs, &progress, &|| false, &mut |spec, o| {
                results.accept(spec, o)
            })
        })
        .map_err(io_at(out))?;
    results.finish().map_err(io_at(out))?;
    progress.finish_and_clear();
    let wall = start.elapsed().as_secs_f64();
    let throughput = if wall > 0.0 { miner_weeks / wall } else { 0.0 };
    let manifest = Manifest {
        tool: "cohabit".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        scenario: s.name.clone(),
        description: s.description.clone(),
        scenario_hash: s.hash(),
        master_seed: s.master_seed,
        seeds: s.seeds,
        weeks: s.weeks,
        timeseries_every_weeks: s.timeseries_every_weeks,
        strategies: s.strategy_names(),
        overrides: settings.overrides.clone(),
        command_line: settings.command_line.clone(),
        threads: pool.current_num_threads(),
        wall_time_s: wall,
        runs: specs.len(),
        miner_weeks,
        throughput_miner_weeks_per_s: throughput,
    };
    write_atomic(&out.join("manifest.json"), manifest.to_json().as_bytes()).map_err(io_at(out))?;
    Ok(Done {
        runs: specs.len(),
        wall_time_s: wall,
        miner_weeks,
        throughput,
        out: out.clone(),
    })
}

/// A progress bar with ETA on a terminal; hidden when stderr is not a terminal or when asked.
pub fn progress_bar(total: u64, show: bool) -> ProgressBar {
    use indicatif::{ProgressDrawTarget, ProgressStyle};
    use std::io::IsTerminal;
    if !show || !io::stderr().is_terminal() {
        return ProgressBar::with_draw_target(Some(total), ProgressDrawTarget::hidden());
    }
    let bar = ProgressBar::new(total);
    let style = ProgressStyle::with_template("{bar:40} {pos}/{len} runs  {per_sec}  ETA {eta}")
        .unwrap_or_else(|_| ProgressStyle::default_bar());
    bar.set_style(style);
    bar
}
