//! The command line of experiments at scale: `sweep`, `sensitivity`, `merge`, `slurm`
//! ([`slurm`]), `run-one`, and the `--shard`, `--resume`, `--force`, `--metrics-only` and
//! `--max-memory` options every batch command takes. Arguments become validated library
//! calls here; [`crate::cli`] declares the commands.

pub mod precision;
pub mod slurm;

use crate::cli::{Failure, load_batch};
use crate::design::{Design, DesignPoint, FactorValue, Method};
use crate::experiment::engine::check_points;
use crate::experiment::launch::{self, Experiment, Finished};
use crate::experiment::merge;
use crate::experiment::precision::{PointOutcome, Precision};
use crate::experiment::{Cohabit, ExperimentError, Identity, Kind, Shard, run_one};
use crate::experiment::{budget, folder};
use crate::output::safe::csv_cell;
use crate::runner::Batch;
use crate::scenario::Scenario;
use crate::scenario::ScenarioSource;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};

/// Sharding and resume options of every batch command.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct BatchArgs {
    /// Run only shard K of N of the plan (K from 1 to N), or `auto` inside a Slurm job array;
    /// the shard writes to <OUT>/shards/KKKK-of-NNNN/ (assemble with `cohabit merge`).
    #[arg(long, value_name = "K/N|auto")]
    pub shard: Option<String>,
    /// Continue an interrupted run in the output folder: finished runs are kept.
    #[arg(long)]
    pub resume: bool,
    /// Use the output folder even if it holds another experiment or an unfinished run.
    #[arg(long)]
    pub force: bool,
    /// Keep only each run's metrics: a small resume record, and for `run` no
    /// timeseries.csv, map.csv or charts.
    #[arg(long)]
    pub metrics_only: bool,
    /// Most memory the command may need, e.g. 512M or 16G (default 4G); a bigger one is
    /// refused before it starts.
    #[arg(long, value_name = "SIZE", value_parser = budget::parse_size)]
    pub max_memory: Option<u64>,
}

/// Arguments of `sweep` (and, with `--method`, of `sensitivity`).
#[derive(Debug, Clone, clap::Args)]
pub struct SweepArgs {
    /// Scenario file (TOML); omit for the embedded default.
    pub scenario: Option<PathBuf>,
    /// Design file (TOML): the keys to vary and how.
    #[arg(long)]
    pub design: PathBuf,
    /// Replicates per strategy at every point (overrides the scenario's `seeds`).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::seeds_arg)]
    pub seeds: Option<u32>,
    /// Master seed (overrides the scenario's `master_seed`).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::master_seed_arg)]
    pub master_seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Output folder (default: output/<scenario name>-<command>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a scenario key at every point (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run only these strategies, comma-separated, in this order.
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// No progress bar and no closing message.
    #[arg(long, short)]
    pub quiet: bool,
    /// Objectives of pareto.csv, the non-dominated settings of a sweep over strategy levers
    /// (`strategies.<name>.*`), comma-separated (default:
    /// npv_cost_usd,conflict_incidents,mean_income_usd_week).
    #[arg(long, value_delimiter = ',')]
    pub objectives: Vec<String>,
    #[command(flatten)]
    pub precision: precision::PrecisionArgs,
    #[command(flatten)]
    pub batch: BatchArgs,
}

/// Arguments of `sensitivity`.
#[derive(Debug, Clone, clap::Args)]
pub struct SensitivityArgs {
    #[command(flatten)]
    pub sweep: SweepArgs,
    /// The method; must agree with the design file's `method` (morris or sobol).
    #[arg(long, value_parser = ["morris", "sobol"])]
    pub method: Option<String>,
    /// Do not draw the charts (charts/sensitivity_<metric>.png and .svg).
    #[arg(long)]
    pub no_charts: bool,
}

/// Arguments of `merge`.
#[derive(Debug, Clone, clap::Args)]
pub struct MergeArgs {
    /// Shard folders, or folders holding them (e.g. <OUT>/shards).
    #[arg(required = true)]
    pub dirs: Vec<PathBuf>,
    /// Output folder (default: <OUT> when the shards are in <OUT>/shards/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Replace an output folder that holds another experiment.
    #[arg(long)]
    pub force: bool,
    /// Do not draw charts or the briefing.
    #[arg(long)]
    pub no_charts: bool,
    /// No closing message.
    #[arg(long, short)]
    pub quiet: bool,
    /// Most memory the merge may need, e.g. 512M or 16G (default 4G).
    #[arg(long, value_name = "SIZE", value_parser = budget::parse_size)]
    pub max_memory: Option<u64>,
}

/// Arguments of `run-one`.
#[derive(Debug, Clone, clap::Args)]
pub struct RunOneArgs {
    /// JSON file of parameters (default: standard input).
    pub input: Option<PathBuf>,
}

/// Set by Ctrl-C: batch commands start no more runs, finish those under way and keep what
/// is done.
static STOP: AtomicBool = AtomicBool::new(false);

/// Installs the Ctrl-C handler (once): the first Ctrl-C asks for a clean stop, a second one
/// exits at once (saved runs are safe either way: resume skips a torn last record).
pub(crate) fn stop_flag() -> &'static (dyn Fn() -> bool + Sync) {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let _ = ctrlc::set_handler(|| {
            if STOP.swap(true, Ordering::SeqCst) {
                std::process::exit(130);
            }
            eprintln!(
                "\ncohabit: stopping after the runs in progress (Ctrl-C again to quit now)..."
            );
        });
    });
    &|| STOP.load(Ordering::SeqCst)
}

fn input(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

impl From<ExperimentError> for Failure {
    fn from(e: ExperimentError) -> Failure {
        Failure {
            code: e.code(),
            message: e.to_string(),
        }
    }
}

/// The batch options as library values.
pub fn batch(args: &BatchArgs) -> Result<Batch, Failure> {
    let shard = match &args.shard {
        None => Shard::WHOLE,
        Some(text) => Shard::parse(text, &|name| std::env::var(name).ok())
            .map_err(|e| input(e.to_string()))?,
    };
    Ok(Batch {
        shard,
        folder: folder::Options {
            resume: args.resume,
            force: args.force,
            metrics_only: args.metrics_only,
            max_memory: args.max_memory.unwrap_or(budget::DEFAULT_MAX_MEMORY),
        },
    })
}

/// A whole plan, complete.
#[derive(Debug, Clone, PartialEq)]
pub struct Done {
    /// Runs in the plan.
    pub runs: u64,
    pub wall_time_s: f64,
    pub miner_weeks: f64,
    /// Miner-weeks simulated per second of wall time.
    pub throughput: f64,
    /// The output folder.
    pub out: PathBuf,
    /// With seeds chosen by precision: each point's seeds, by point.
    pub points: Vec<PointOutcome>,
}

/// Runs a scenario as a batch (the body of `cohabit run`). Returns the finished whole run,
/// or `None` when there is nothing more to say (a shard, or already complete).
pub fn run(
    s: &crate::scenario::Scenario,
    scenario: &Option<PathBuf>,
    settings: &crate::runner::Settings,
    args: &BatchArgs,
) -> Result<Option<Done>, Failure> {
    let batch = batch(args)?;
    let source = source_of(scenario);
    let finished = crate::runner::run(s, &source, settings, &batch, stop_flag())?;
    closing(finished, "run", settings.progress)
}

pub(crate) fn source_of(scenario: &Option<PathBuf>) -> ScenarioSource {
    scenario
        .clone()
        .map_or(ScenarioSource::Default, ScenarioSource::File)
}

/// Says how a batch command ended; `Some` for a complete whole plan. An interrupted command
/// is a failure with exit code 130.
pub(crate) fn closing(
    finished: Finished,
    command: &str,
    talk: bool,
) -> Result<Option<Done>, Failure> {
    match finished {
        Finished::Complete {
            dir,
            runs,
            wall_time_s,
            miner_weeks,
            points,
        } => {
            if dir.join(folder::SHARD_MANIFEST).exists() {
                if talk {
                    println!(
                        "Shard done: {runs} runs in {wall_time_s:.1} s, in {}/. When every shard is done: cohabit merge {}",
                        dir.display(),
                        dir.parent()
                            .map_or(dir.clone(), Path::to_path_buf)
                            .display()
                    );
                }
                return Ok(None);
            }
            let throughput = if wall_time_s > 0.0 {
                miner_weeks / wall_time_s
            } else {
                0.0
            };
            Ok(Some(Done {
                runs,
                wall_time_s,
                miner_weeks,
                throughput,
                out: dir,
                points,
            }))
        }
        Finished::AlreadyComplete { dir } => {
            if talk {
                println!("Nothing to resume: {} is already complete.", dir.display());
            }
            Ok(None)
        }
        Finished::Interrupted { dir, done, runs } => Err(Failure {
            code: 130,
            message: format!(
                "interrupted: {done} of {runs} runs are saved in {}/{}/. \
                 To finish, run the same `cohabit {command} ...` command again with --resume.",
                dir.display(),
                folder::STATE_DIR
            ),
        }),
    }
}

/// A sweep or sensitivity analysis, checked and ready to launch.
pub(crate) struct SweepReady {
    pub s: Scenario,
    /// Every override, in order (for the manifest).
    pub set: Vec<String>,
    pub design: Design,
    pub points: Vec<DesignPoint>,
    pub model: Cohabit,
    design_text: Vec<u8>,
    /// The Pareto settings file of a sweep over strategy levers (`crate::fit::pareto`).
    pub pareto: Option<(String, Vec<u8>)>,
    /// Seeds chosen by precision (sweeps only).
    pub precision: Option<Precision>,
}

impl SweepReady {
    /// The experiment: every point of the design, with the files that describe it.
    pub fn experiment(&self, kind: Kind) -> Experiment<'_> {
        Experiment {
            identity: Identity {
                kind,
                scenario_hash: self.s.hash(),
                design_fingerprint: Some(self.design.fingerprint()),
                precision: self.precision.clone(),
            },
            points: self.points.clone(),
            design: Some(&self.design),
            scenario: Some(&self.s),
            files: vec![
                ("scenario.toml".into(), self.s.to_toml().into_bytes()),
                ("design.toml".into(), self.design_text.clone()),
                ("design.csv".into(), design_csv(&self.design, &self.points)),
            ]
            .into_iter()
            .chain(self.pareto.clone())
            .collect(),
        }
    }
}

/// Checks a sweep or sensitivity command: scenario, design, method, every point.
pub(crate) fn prepare_sweep(
    args: &SweepArgs,
    kind: Kind,
    method: Option<&str>,
) -> Result<SweepReady, Failure> {
    let (s, set) = load_batch(
        &args.scenario,
        &args.set,
        args.seeds,
        args.master_seed,
        &args.strategies,
    )?;
    let file = args.design.display();
    let design = Design::from_file(&args.design).map_err(|e| input(format!("bad design: {e}")))?;
    let is_sa = matches!(design.method, Method::Morris { .. } | Method::Sobol { .. });
    let precision = args.precision.resolve(&s)?;
    if kind == Kind::Sensitivity && precision.is_some() {
        return Err(input(
            "--precision is for run, sweep and fit (it compares strategies); a sensitivity analysis runs every point at --seeds",
        ));
    }
    if kind == Kind::Sensitivity {
        if !is_sa {
            return Err(input(format!(
                "{file}: method \"{}\" has no sensitivity indices; use method = \"morris\" or \"sobol\" (or run it with `cohabit sweep`)",
                design.method.name()
            )));
        }
        if let Some(m) = method
            && m != design.method.name()
        {
            return Err(input(format!(
                "--method {m} but {file} says method = \"{}\"; they must agree",
                design.method.name()
            )));
        }
    }
    if let Some(f) = design.factors.iter().find(|f| f.key == "seeds") {
        return Err(input(format!(
            "{file}: factor `{}` cannot vary: every point runs the scenario's seeds (use --seeds)",
            f.key
        )));
    }
    let points = design
        .points()
        .map_err(|e| input(format!("bad design: {e}")))?;
    let model = Cohabit {
        base: s.clone(),
        source: source_of(&args.scenario),
        overrides: set.clone(),
        detail: false,
    };
    check_points(&model, &points).map_err(|e| input(format!("{file}: {e}")))?;
    let design_text = std::fs::read(&args.design).map_err(|e| input(format!("{file}: {e}")))?;
    let keys: Vec<String> = design.factors.iter().map(|f| f.key.clone()).collect();
    let pareto = crate::fit::pareto::settings_file(&keys, &s.strategy_names(), &args.objectives)
        .map_err(input)?;
    Ok(SweepReady {
        s,
        set,
        design,
        points,
        model,
        design_text,
        pareto,
        precision,
    })
}

/// The output folder of a sweep or sensitivity command.
pub(crate) fn sweep_out(args: &SweepArgs, s: &Scenario, kind: Kind) -> PathBuf {
    args.out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-{}", s.name, kind.name())))
}

/// `cohabit sweep` and `cohabit sensitivity`.
pub fn sweep(
    args: &SweepArgs,
    kind: Kind,
    method: Option<&str>,
    charts: bool,
    command_line: String,
) -> Result<(), Failure> {
    let ready = prepare_sweep(args, kind, method)?;
    let experiment = ready.experiment(kind);
    let batch = batch(&args.batch)?;
    let settings = launch::Settings {
        out: sweep_out(args, &ready.s, kind),
        threads: args.threads,
        shard: batch.shard,
        folder: batch.folder,
        overrides: ready.set.clone(),
        command_line,
        progress: !args.quiet,
        charts,
    };
    let finished = launch::launch(&ready.model, &experiment, &settings, stop_flag())?;
    if let Some(done) = closing(finished, kind.name(), !args.quiet)?
        && !args.quiet
    {
        let first = if kind == Kind::Sensitivity {
            "indices.csv (sensitivity indices per strategy and metric)"
        } else {
            "summary.csv (one row per point, strategy and metric)"
        };
        let seeds = match &ready.precision {
            None => format!("{} seeds", ready.s.seeds),
            Some(_) => "seeds chosen by precision".to_string(),
        };
        println!(
            "Done: {} runs ({} points x {} strategies x {seeds}) in {:.1} s. Results are in {}/: open {first} first.",
            done.runs,
            experiment.points.len(),
            ready.s.strategies.len(),
            done.wall_time_s,
            done.out.display()
        );
        if let Some(p) = &ready.precision {
            println!("{}", precision::closing_line(&done.points, p));
        }
        if ready.pareto.is_some() {
            println!(
                "The design varies strategy levers: pareto.csv holds the settings no other beats on every objective."
            );
        }
    }
    Ok(())
}

/// design.csv: `point,` then one column per factor key; one row per point. Text values are
/// written bare (text a spreadsheet would run as a formula gets a leading `'`, which a
/// `table` design drops again), numbers and booleans as in TOML, so the file reads back as
/// a `table` design (after dropping the `point` column).
pub fn design_csv(design: &Design, points: &[DesignPoint]) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["point".to_string()];
    header.extend(design.factors.iter().map(|f| csv_cell(&f.key).into_owned()));
    w.write_record(&header).expect("writing to memory");
    for p in points {
        let mut row = vec![p.id.to_string()];
        row.extend(p.values.iter().map(|(_, v)| match v {
            FactorValue::Text(t) => csv_cell(t).into_owned(),
            other => other.to_toml(),
        }));
        w.write_record(&row).expect("writing to memory");
    }
    w.into_inner().expect("memory")
}

/// `cohabit merge`.
pub fn merge(args: &MergeArgs, command_line: String) -> Result<(), Failure> {
    let folders = merge::shard_folders(&args.dirs)?;
    let out = match (&args.out, merge::default_out(&folders)) {
        (Some(o), _) => o.clone(),
        (None, Some(o)) => o,
        (None, None) => {
            return Err(input(
                "merge: say where to write with --out (the shards are not in an <OUT>/shards/ folder)",
            ));
        }
    };
    let settings = launch::Settings {
        out: out.clone(),
        threads: 1,
        shard: Shard::WHOLE,
        folder: folder::Options {
            force: args.force,
            max_memory: args.max_memory.unwrap_or(budget::DEFAULT_MAX_MEMORY),
            ..folder::Options::default()
        },
        overrides: Vec::new(),
        command_line,
        progress: false,
        charts: !args.no_charts,
    };
    let merged = merge::merge(&folders, &settings)?;
    let mut briefing = merged.briefing;
    if merged.kind == Kind::Fit && !args.no_charts {
        // The merge's analysis wrote the fit's briefing.
        briefing = Some(out.join(crate::report::BRIEFING_FILE));
    }
    if !args.quiet {
        println!(
            "Merged {} shards ({} runs) of a `{}` into {}/{}",
            merged.shards,
            merged.runs,
            merged.kind.name(),
            out.display(),
            briefing.map_or(".".to_string(), |b| format!(
                ": open {} first.",
                b.display()
            ))
        );
    }
    Ok(())
}

/// Largest run-one request read: a request is a few keys and values.
const MAX_REQUEST_BYTES: u64 = 1 << 20;

/// `cohabit run-one`.
pub fn run_one(args: &RunOneArgs) -> Result<(), Failure> {
    use std::io::Read;
    let (name, reader): (String, Box<dyn Read>) = match &args.input {
        Some(p) => {
            let f = std::fs::File::open(p).map_err(|e| input(format!("{}: {e}", p.display())))?;
            (p.display().to_string(), Box::new(f))
        }
        None => ("standard input".into(), Box::new(std::io::stdin())),
    };
    let mut bytes = Vec::new();
    reader
        .take(MAX_REQUEST_BYTES + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| input(format!("cannot read {name}: {e}")))?;
    if bytes.len() as u64 > MAX_REQUEST_BYTES {
        return Err(input(format!(
            "run-one: the request on {name} is over {MAX_REQUEST_BYTES} bytes; a request is one JSON object of a few keys"
        )));
    }
    let text = String::from_utf8(bytes)
        .map_err(|_| input(format!("run-one: the request on {name} is not UTF-8 text")))?;
    let reply = run_one::run_json(&text).map_err(|e| input(format!("run-one: {e}")))?;
    crate::cli::print_out(&reply);
    Ok(())
}
