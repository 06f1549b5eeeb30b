//! The command line: clap definitions, turned into library calls. Raw arguments become a
//! validated scenario in one place before anything runs.

use crate::experiment::Kind;
use crate::report::{self, ReportOptions};
use crate::runner::{self, Settings};
use crate::scenario::{self, DEFAULT_SCENARIO_TOML, Scenario, ScenarioSource};
use clap::{Parser, Subcommand};
use std::path::PathBuf;

/// cohabit: simulate how a mining company and artisanal miners live together under
/// different engagement strategies.
#[derive(Debug, Parser)]
#[command(name = "cohabit", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

/// A closed set of commands.
#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run every strategy of a scenario over many seeds and write the results.
    Run(RunArgs),
    /// Check a scenario file without running it.
    Validate {
        /// Scenario file (TOML); omit for the embedded default.
        scenario: Option<PathBuf>,
        /// Override a scenario key, e.g. --set economy.price_shock_factor=1.5 (repeatable;
        /// the value is TOML, or a bare word; keys as listed by `cohabit keys`).
        #[arg(long = "set", value_name = "KEY=VALUE")]
        set: Vec<String>,
    },
    /// Redraw the charts and the board briefing from the CSV files of an earlier run.
    Report {
        /// Output folder of a run (holding runs.csv, summary.csv, ...).
        out: PathBuf,
        /// Write only report.html (charts inline), not the PNG/SVG files.
        #[arg(long)]
        no_charts: bool,
        /// Compare every strategy with this one in the findings (default: the best alternative).
        #[arg(long, value_name = "NAME")]
        baseline: Option<String>,
    },
    /// Check that the model reproduces the seed's patterns and calibration targets in a
    /// scenario's context (default: the embedded scenario); prints a table, writes patterns.csv.
    Patterns(PatternArgs),
    /// Print the embedded default scenario, to start your own from it.
    DefaultScenario,
    /// Print every scenario key with its unit, range and meaning (Markdown table).
    Keys,
    /// Run every design point of a design file x strategy x seed (a parameter sweep).
    Sweep(crate::cli_batch::SweepArgs),
    /// Sensitivity indices (Morris or Sobol) of every metric and strategy over a design.
    Sensitivity(crate::cli_batch::SensitivityArgs),
    /// Which strategy fits: every strategy at every context of an uncertainty design; regret,
    /// share best, satisficing, and where each strategy wins (PRIM).
    Fit(crate::cli_fit::FitArgs),
    /// Check shards of a run, sweep, sensitivity analysis or fit and assemble their outputs.
    Merge(crate::cli_batch::MergeArgs),
    /// Write Slurm scripts: a job array over shards and a merge job after it.
    Slurm(crate::cli_batch::slurm::SlurmArgs),
    /// One run: parameters as JSON on stdin (or a file), metrics as JSON on stdout.
    RunOne(crate::cli_batch::RunOneArgs),
}

#[derive(Debug, clap::Args)]
pub struct RunArgs {
    /// Scenario file (TOML); omit for the embedded default.
    pub scenario: Option<PathBuf>,
    /// Replicates per strategy (overrides the scenario's `seeds`).
    #[arg(long, allow_negative_numbers = true, value_parser = seeds_arg)]
    pub seeds: Option<u32>,
    /// Master seed (overrides the scenario's `master_seed`).
    #[arg(long, allow_negative_numbers = true, value_parser = master_seed_arg)]
    pub master_seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Output folder (default: output/<scenario name>/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a scenario key, e.g. --set economy.price_shock_factor=1.5 (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run only these strategies, comma-separated, in this order.
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// No progress bar and no closing message.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw charts or the briefing (redraw later with `cohabit report`).
    #[arg(long)]
    pub no_charts: bool,
    /// Compare every strategy with this one in the briefing (default: the best alternative).
    #[arg(long, value_name = "NAME")]
    pub baseline: Option<String>,
    #[command(flatten)]
    pub precision: crate::cli_batch::precision::PrecisionArgs,
    #[command(flatten)]
    pub batch: crate::cli_batch::BatchArgs,
}

#[derive(Debug, clap::Args)]
pub struct PatternArgs {
    /// Scenario file (TOML) giving the context; omit for the embedded default.
    pub scenario: Option<PathBuf>,
    /// Replicates per arm of each comparison.
    #[arg(long, default_value_t = 40, allow_negative_numbers = true, value_parser = seeds_arg)]
    pub seeds: u32,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Output folder for patterns.csv (default: output/<scenario name>-patterns/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a scenario key (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Exit with code 1 if any check does not pass.
    #[arg(long)]
    pub strict: bool,
    /// Only rank the four models in this context (no checks): quick best-fit reading.
    #[arg(long)]
    pub ranking_only: bool,
    /// No progress bar.
    #[arg(long, short)]
    pub quiet: bool,
}

/// `--seeds`, checked against the range of the scenario key `seeds`, in its words.
pub(crate) fn seeds_arg(text: &str) -> Result<u32, String> {
    whole_arg("seeds", text).map(|n| u32::try_from(n).unwrap_or(u32::MAX))
}

/// `--master-seed`, checked against the range of the scenario key `master_seed`.
pub(crate) fn master_seed_arg(text: &str) -> Result<u64, String> {
    whole_arg("master_seed", text)
}

/// A whole number within the range `cohabit keys` gives for `key`.
fn whole_arg(key: &str, text: &str) -> Result<u64, String> {
    let info = scenario::KEYS
        .iter()
        .find(|k| k.key == key)
        .expect("a scenario key");
    let scenario::Range::Whole { min, max } = info.range else {
        unreachable!("{key} is a whole number")
    };
    match text.trim().parse::<i128>() {
        Ok(n) if (i128::from(min)..=i128::from(max)).contains(&n) => Ok(n as u64),
        _ => Err(format!(
            "expected {} (the range of `{key}`), got {}",
            info.range.describe(),
            crate::output::safe::brief(text)
        )),
    }
}

/// A failure, with the exit code it maps to: 2 for bad input, 1 for anything else.
#[derive(Debug)]
pub struct Failure {
    pub code: i32,
    pub message: String,
}

impl Failure {
    fn input(message: impl Into<String>) -> Failure {
        Failure {
            code: 2,
            message: message.into(),
        }
    }
}

impl From<scenario::ScenarioError> for Failure {
    fn from(e: scenario::ScenarioError) -> Failure {
        Failure::input(format!("bad scenario:\n{e}"))
    }
}

impl From<report::ReportError> for Failure {
    fn from(e: report::ReportError) -> Failure {
        use report::ReportError as E;
        let code = match e {
            E::Missing { .. }
            | E::Read { .. }
            | E::Malformed { .. }
            | E::Invalid { .. }
            | E::UnknownBaseline { .. } => 2,
            E::Draw { .. } | E::Write { .. } => 1,
        };
        Failure {
            code,
            message: e.to_string(),
        }
    }
}

/// Execute a parsed command line; prints only what the command is for.
pub fn execute(cli: Cli, command_line: String) -> Result<(), Failure> {
    match cli.command {
        Command::Run(args) => run(args, command_line),
        Command::Validate { scenario, set } => {
            let s = load(&scenario, &set)?;
            println!(
                "{}: valid. Scenario \"{}\", {} weeks, {} seeds, strategies: {}.",
                source_name(&scenario),
                s.name,
                s.weeks,
                s.seeds,
                s.strategy_names().join(", ")
            );
            Ok(())
        }
        Command::Report {
            out,
            no_charts,
            baseline,
        } => {
            let summary = report::render(
                &out,
                &ReportOptions {
                    charts: !no_charts,
                    html: true,
                    baseline,
                },
            )?;
            for f in &summary.files {
                println!("wrote {}", f.display());
            }
            Ok(())
        }
        Command::Patterns(args) => patterns(args),
        Command::DefaultScenario => {
            print_out(DEFAULT_SCENARIO_TOML);
            Ok(())
        }
        Command::Keys => {
            print_out(&keys_table());
            Ok(())
        }
        Command::Sweep(args) => {
            crate::cli_batch::sweep(&args, Kind::Sweep, None, false, command_line)
        }
        Command::Sensitivity(args) => crate::cli_batch::sweep(
            &args.sweep,
            Kind::Sensitivity,
            args.method.as_deref(),
            !args.no_charts,
            command_line,
        ),
        Command::Fit(args) => crate::cli_fit::fit(&args, command_line),
        Command::Merge(args) => crate::cli_batch::merge(&args, command_line),
        Command::Slurm(args) => crate::cli_batch::slurm::run(&args),
        Command::RunOne(args) => crate::cli_batch::run_one(&args),
    }
}

fn source_name(path: &Option<PathBuf>) -> String {
    path.as_ref()
        .map_or("embedded default scenario".into(), |p| {
            p.display().to_string()
        })
}

pub(crate) fn load(path: &Option<PathBuf>, set: &[String]) -> Result<Scenario, Failure> {
    let source = path
        .clone()
        .map_or(ScenarioSource::Default, ScenarioSource::File);
    Ok(scenario::load(&source, set)?)
}

/// The scenario of a batch command (`run`, `sweep`, `sensitivity`) with the `--set`
/// overrides, then `--seeds` and `--master-seed` as overrides, keeping only the chosen
/// strategies. Returns it with every override, in that order (for the manifest).
pub(crate) fn load_batch(
    scenario: &Option<PathBuf>,
    set: &[String],
    seeds: Option<u32>,
    master_seed: Option<u64>,
    strategies: &[String],
) -> Result<(Scenario, Vec<String>), Failure> {
    let mut set = set.to_vec();
    if let Some(n) = seeds {
        set.push(format!("seeds={n}"));
    }
    if let Some(m) = master_seed {
        set.push(format!("master_seed={m}"));
    }
    let mut s = load(scenario, &set)?;
    select_strategies(&mut s, strategies)?;
    Ok((s, set))
}

fn run(args: RunArgs, command_line: String) -> Result<(), Failure> {
    let (s, set) = load_batch(
        &args.scenario,
        &args.set,
        args.seeds,
        args.master_seed,
        &args.strategies,
    )?;
    report::check_baseline(args.baseline.as_deref(), &s.strategy_names())?;
    let precision = args.precision.resolve(&s)?;
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&s.name));
    // The briefing needs the timeseries and map, which --metrics-only does not keep.
    let charts = !args.no_charts && !args.batch.metrics_only;
    let settings = Settings {
        out,
        threads: args.threads,
        overrides: set,
        command_line,
        progress: !args.quiet,
        report: charts.then(|| ReportOptions {
            baseline: args.baseline.clone(),
            ..ReportOptions::default()
        }),
        precision: precision.clone(),
    };
    let Some(done) = crate::cli_batch::run(&s, &args.scenario, &settings, &args.batch)? else {
        return Ok(());
    };
    let briefing = settings
        .report
        .is_some()
        .then(|| done.out.join(report::BRIEFING_FILE));
    if !args.quiet {
        let seeds = done.points.first().map_or(s.seeds, |p| p.seeds);
        println!(
            "Done: {} runs ({} strategies x {} seeds, {} weeks) in {:.1} s, {:.1} million miner-weeks/s.",
            done.runs,
            s.strategies.len(),
            seeds,
            s.weeks,
            done.wall_time_s,
            done.throughput / 1e6
        );
        if let Some(p) = &precision {
            println!(
                "{}",
                crate::cli_batch::precision::closing_line(&done.points, p)
            );
        }
        match briefing {
            Some(b) => println!(
                "Results are in {}/: open {} first (the board briefing; charts in charts/).",
                done.out.display(),
                b.display()
            ),
            None => println!(
                "Results are in {}/: open summary.csv first (one row per strategy and metric{}).",
                done.out.display(),
                if args.batch.metrics_only {
                    "; --metrics-only: no timeseries.csv, map.csv or charts"
                } else {
                    ""
                }
            ),
        }
    }
    Ok(())
}

/// Keep only the named strategies, in the given order.
pub(crate) fn select_strategies(s: &mut Scenario, wanted: &[String]) -> Result<(), Failure> {
    if wanted.is_empty() {
        return Ok(());
    }
    let mut chosen = Vec::new();
    for name in wanted {
        match s.strategies.iter().find(|ns| &ns.name == name) {
            Some(ns) => chosen.push(ns.clone()),
            None => {
                return Err(Failure::input(format!(
                    "--strategies: no strategy \"{}\" in scenario \"{}\"; expected some of: {}",
                    crate::output::safe::brief(name),
                    s.name,
                    s.strategy_names().join(", ")
                )));
            }
        }
    }
    s.strategies = chosen;
    Ok(())
}

/// The scenario reference as a Markdown table (also in the README).
pub fn keys_table() -> String {
    crate::scenario::reference_table()
}

/// Print to stdout; a closed pipe (`| head`) is not an error.
pub(crate) fn print_out(text: &str) {
    use std::io::Write;
    let _ = std::io::stdout().write_all(text.as_bytes());
}

fn patterns(args: PatternArgs) -> Result<(), Failure> {
    use crate::patterns;
    let base = load(&args.scenario, &args.set)?;
    let source = args
        .scenario
        .clone()
        .map_or(ScenarioSource::Default, ScenarioSource::File);
    let out = args
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-patterns", base.name)));
    // Before two minutes of runs, not after: a --out that cannot be a folder says so now.
    crate::experiment::lock::prepare(&out)?;
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(args.threads)
        .build()
        .map_err(|e| Failure {
            code: 1,
            message: format!("cannot start worker threads: {e}"),
        })?;
    let bar = runner::progress_bar(0, !args.quiet);
    let checks = if args.ranking_only {
        &[][..]
    } else {
        patterns::CHECKS
    };
    let found = pool.install(|| patterns::run(&source, &args.set, args.seeds, checks, &bar))?;
    bar.finish_and_clear();
    let outcomes = &found.outcomes;
    let io = |e: String| Failure {
        code: 1,
        message: e,
    };
    std::fs::create_dir_all(&out)
        .map_err(|e| io(format!("cannot create {}: {e}", out.display())))?;
    let ranking_csv = patterns::ranking_csv(&found.ranking).map_err(|e| io(e.to_string()))?;
    let ranking_file = out.join("ranking.csv");
    crate::output::write_atomic(&ranking_file, &ranking_csv)
        .map_err(|e| io(format!("cannot write {}: {e}", ranking_file.display())))?;
    if !args.ranking_only {
        let csv = patterns::to_csv(outcomes).map_err(|e| io(e.to_string()))?;
        let file = out.join("patterns.csv");
        crate::output::write_atomic(&file, &csv)
            .map_err(|e| io(format!("cannot write {}: {e}", file.display())))?;
        print_out(&patterns::table(outcomes));
    }
    print_out(&patterns::ranking_text(&found.ranking));
    if args.ranking_only {
        println!("Ranking: {}", ranking_file.display());
        return Ok(());
    }
    let held = outcomes.iter().filter(|o| o.passes()).count();
    println!(
        "{held} of {} checks pass (the effect holds and vanishes without its mechanism; {} seeds per arm, context: {}). Tables: {}",
        outcomes.len(),
        args.seeds,
        base.name,
        out.display()
    );
    if args.strict && held < outcomes.len() {
        return Err(Failure {
            code: 1,
            message: format!("{} checks do not pass", outcomes.len() - held),
        });
    }
    Ok(())
}
