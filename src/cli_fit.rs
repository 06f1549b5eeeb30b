//! The command line of `cohabit fit`: which strategy fits across what you do not know. It
//! is a sweep over an uncertainty design (the shipped `designs/fit-default.toml` unless
//! `--design`), run through the batch pipeline (shards, merge, resume, Slurm), whose
//! analysis ([`crate::fit`]) runs when the last run is recorded. Arguments become checked
//! settings here, before anything runs.

use std::path::{Path, PathBuf};

use crate::cli::{Failure, load_batch};
use crate::cli_batch::precision::PrecisionArgs;
use crate::cli_batch::{BatchArgs, batch, closing, design_csv, source_of, stop_flag};
use crate::design::{Design, DesignPoint};
use crate::experiment::engine::check_points;
use crate::experiment::launch::{self, Experiment, Finished};
use crate::experiment::precision::Precision;
use crate::experiment::{Cohabit, Identity, Kind, Plan};
use crate::fit::settings::FitSettings;
use crate::fit::{self, DEFAULT_DESIGN, DEFAULT_DESIGN_NAME, SETTINGS_FILE};
use crate::scenario::Scenario;

/// Seeds per context point unless `--seeds` says otherwise.
pub const DEFAULT_SEEDS: u32 = 10;

/// Arguments of `fit`.
#[derive(Debug, Clone, clap::Args)]
pub struct FitArgs {
    /// Scenario file (TOML); omit for the embedded default.
    pub scenario: Option<PathBuf>,
    /// Uncertainty design (TOML): the context keys to vary and their ranges (default: the
    /// shipped designs/fit-default.toml).
    #[arg(long)]
    pub design: Option<PathBuf>,
    /// Seeds per strategy at every context point (default 10, whatever the scenario says).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::seeds_arg)]
    pub seeds: Option<u32>,
    /// Master seed (overrides the scenario's `master_seed`).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::master_seed_arg)]
    pub master_seed: Option<u64>,
    /// Worker threads (default: one per core).
    #[arg(long, default_value_t = 0)]
    pub threads: usize,
    /// Output folder (default: output/<scenario name>-fit/).
    #[arg(long)]
    pub out: Option<PathBuf>,
    /// Override a scenario key at every point (repeatable).
    #[arg(long = "set", value_name = "KEY=VALUE")]
    pub set: Vec<String>,
    /// Run only these strategies, comma-separated, in this order.
    #[arg(long, value_delimiter = ',')]
    pub strategies: Vec<String>,
    /// Regret criteria, comma-separated; the first is the primary one (default:
    /// npv_cost_usd,lever_spend_npv_usd,emergent_cost_npv_usd,conflict_incidents,fatalities,mean_income_usd_week,formal_share_final).
    #[arg(long, value_delimiter = ',')]
    pub metrics: Vec<String>,
    /// A satisficing threshold on a strategy's mean at a context, e.g. "npv_cost_usd<60e6"
    /// (also <=, >, >=; repeatable).
    #[arg(long = "require", value_name = "METRIC<VALUE")]
    pub require: Vec<String>,
    /// Weights of a weighted score shown beside the criteria, e.g.
    /// npv_cost_usd=0.5,conflict_incidents=0.5.
    #[arg(long, value_delimiter = ',', value_name = "METRIC=WEIGHT")]
    pub weights: Vec<String>,
    /// A scenario-discovery question, e.g. "npv_cost_usd:collaboration<coexistence"
    /// (repeatable; default: where each other strategy beats the leader on the first metric).
    #[arg(long = "question", value_name = "METRIC:A<B")]
    pub question: Vec<String>,
    /// PRIM: density the chosen box must reach.
    #[arg(long, default_value_t = 0.8)]
    pub threshold: f64,
    /// PRIM: share of the box's points peeled off per step.
    #[arg(long, default_value_t = 0.05)]
    pub peel_alpha: f64,
    /// PRIM: share pasted back per step.
    #[arg(long, default_value_t = 0.05)]
    pub paste_alpha: f64,
    /// PRIM: smallest share of the points a box may hold.
    #[arg(long, default_value_t = 0.05)]
    pub mass_min: f64,
    /// No progress bar and no closing message.
    #[arg(long, short)]
    pub quiet: bool,
    /// Do not draw the charts or the briefing (fit.csv and boxes.csv are still written).
    #[arg(long)]
    pub no_charts: bool,
    #[command(flatten)]
    pub precision: PrecisionArgs,
    #[command(flatten)]
    pub batch: BatchArgs,
}

fn input(message: impl Into<String>) -> Failure {
    Failure {
        code: 2,
        message: message.into(),
    }
}

impl FitArgs {
    /// The analysis settings as given.
    pub fn settings(&self) -> FitSettings {
        let defaults = FitSettings::default();
        FitSettings {
            metrics: if self.metrics.is_empty() {
                defaults.metrics
            } else {
                self.metrics.clone()
            },
            require: self.require.clone(),
            weights: self.weights.clone(),
            questions: self.question.clone(),
            threshold: self.threshold,
            peel_alpha: self.peel_alpha,
            paste_alpha: self.paste_alpha,
            mass_min: self.mass_min,
        }
    }

    /// The design, its text and the name it goes by in messages.
    fn design(&self) -> Result<(Design, Vec<u8>, String), Failure> {
        match &self.design {
            Some(path) => {
                let d = Design::from_file(path).map_err(|e| input(format!("bad design: {e}")))?;
                let text =
                    std::fs::read(path).map_err(|e| input(format!("{}: {e}", path.display())))?;
                Ok((d, text, path.display().to_string()))
            }
            None => {
                let d = Design::from_str(DEFAULT_DESIGN, DEFAULT_DESIGN_NAME, Path::new(""))
                    .map_err(|e| input(format!("bad design: {e}")))?;
                Ok((
                    d,
                    DEFAULT_DESIGN.as_bytes().to_vec(),
                    DEFAULT_DESIGN_NAME.to_string(),
                ))
            }
        }
    }
}

/// A fit, checked and ready to launch (also what `cohabit slurm` checks before writing
/// scripts).
pub(crate) struct FitReady {
    pub s: Scenario,
    /// Every override, in order (for the manifest).
    pub set: Vec<String>,
    pub design: Design,
    design_text: Vec<u8>,
    pub points: Vec<DesignPoint>,
    pub settings: FitSettings,
    pub model: Cohabit,
    /// Seeds chosen by precision, each context its own.
    pub precision: Option<Precision>,
}

impl FitReady {
    /// The experiment: every context point, with the files that describe it.
    pub fn experiment(&self) -> Experiment<'_> {
        Experiment {
            identity: Identity {
                kind: Kind::Fit,
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
                (SETTINGS_FILE.into(), self.settings.to_toml().into_bytes()),
            ],
        }
    }
}

/// Checks a fit command: scenario, design, analysis settings, every point.
pub(crate) fn prepare(args: &FitArgs) -> Result<FitReady, Failure> {
    let seeds = Some(args.seeds.unwrap_or(DEFAULT_SEEDS));
    let (s, set) = load_batch(
        &args.scenario,
        &args.set,
        seeds,
        args.master_seed,
        &args.strategies,
    )?;
    let (design, design_text, origin) = args.design()?;
    if let Some(f) = design.factors.iter().find(|f| f.key == "seeds") {
        return Err(input(format!(
            "{origin}: factor `{}` cannot vary: every point runs the same seeds (use --seeds)",
            f.key
        )));
    }
    let points = design
        .points()
        .map_err(|e| input(format!("bad design: {e}")))?;
    let settings = args.settings();
    let precision = args.precision.resolve(&s)?;
    let outputs: Vec<String> = crate::metrics::METRICS
        .iter()
        .map(|m| m.to_string())
        .collect();
    settings
        .check(&s.strategy_names(), &outputs)
        .map_err(input)?;
    let model = Cohabit {
        base: s.clone(),
        source: source_of(&args.scenario),
        overrides: set.clone(),
        detail: false,
    };
    check_points(&model, &points).map_err(|e| input(format!("{origin}: {e}")))?;
    Ok(FitReady {
        s,
        set,
        design,
        design_text,
        points,
        settings,
        model,
        precision,
    })
}

/// The output folder of a fit.
pub(crate) fn fit_out(args: &FitArgs, s: &Scenario) -> PathBuf {
    args.out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-fit", s.name)))
}

/// `cohabit fit`.
pub fn fit(args: &FitArgs, command_line: String) -> Result<(), Failure> {
    let ready = prepare(args)?;
    let FitReady {
        s,
        set,
        settings,
        model,
        ..
    } = &ready;
    let experiment = ready.experiment();
    let batch = batch(&args.batch)?;
    let launch_settings = launch::Settings {
        out: fit_out(args, s),
        threads: args.threads,
        shard: batch.shard,
        folder: batch.folder,
        overrides: set.clone(),
        command_line,
        progress: !args.quiet,
        charts: !args.no_charts,
    };
    let finished = launch::launch(model, &experiment, &launch_settings, stop_flag())?;
    let plan = launch::plan(model, &experiment, &launch_settings)?;
    if let Finished::AlreadyComplete { dir } = &finished
        && batch.shard.is_whole()
    {
        return reanalyse(dir, &plan, settings, args);
    }
    if let Some(done) = closing(finished, "fit", !args.quiet)?
        && !args.quiet
    {
        let seeds = match &ready.precision {
            None => format!("{} seeds", plan.replicates),
            Some(_) => "seeds chosen by precision".to_string(),
        };
        println!(
            "Done: {} runs ({} contexts x {} strategies x {seeds}) in {:.1} s.",
            done.runs,
            plan.points,
            plan.strategies.len(),
            done.wall_time_s
        );
        if let Some(p) = &ready.precision {
            println!(
                "{}",
                crate::cli_batch::precision::closing_line(&done.points, p)
            );
        }
        headline(&done.out, &plan, settings, args.no_charts);
    }
    Ok(())
}

/// The account of seeds chosen by precision that a complete fit's manifest holds (`None`
/// without `--precision`).
fn recorded_precision(dir: &Path) -> Option<crate::experiment::precision::Report> {
    /// The one field of the manifest wanted here.
    #[derive(serde::Deserialize)]
    struct Recorded {
        precision: Option<crate::experiment::precision::Report>,
    }
    crate::experiment::folder::read_json::<Recorded>(&dir.join("manifest.json"))?.precision
}

/// `--resume` on a complete fit: the runs are all there, so redo only the analysis with the
/// settings given (e.g. new --require thresholds).
fn reanalyse(
    dir: &Path,
    plan: &Plan,
    settings: &FitSettings,
    args: &FitArgs,
) -> Result<(), Failure> {
    let path = dir.join(SETTINGS_FILE);
    crate::output::write_atomic(&path, settings.to_toml().as_bytes()).map_err(|e| Failure {
        code: 1,
        message: format!("{}: {e}", path.display()),
    })?;
    fit::analyse(dir, plan, recorded_precision(dir), !args.no_charts)
        .map_err(crate::experiment::ExperimentError::from)?;
    if !args.quiet {
        println!(
            "Every run is already in {}/: analysed again with the settings given.",
            dir.display()
        );
        headline(dir, plan, settings, args.no_charts);
    }
    Ok(())
}

/// The closing lines: which strategy holds up on the primary metric, and what to open.
fn headline(dir: &Path, plan: &Plan, settings: &FitSettings, no_charts: bool) {
    if let Ok(r) = fit::report(dir, plan, settings) {
        let m = &r.robustness.metrics[0];
        let lead = m.leader();
        let x = &m.strategies[lead];
        let regret = if x.mean_regret.abs() >= 100.0 {
            format!("{:.0}", x.mean_regret)
        } else {
            format!("{:.3}", x.mean_regret)
        };
        println!(
            "On {}, {} holds up best across the contexts: mean regret {regret}, best in {:.0}% of them.",
            m.metric,
            r.strategies[lead],
            100.0 * x.share_best
        );
    }
    let first = if no_charts {
        "fit.csv (regret, share best, satisficing)"
    } else {
        "report.html (the robustness briefing)"
    };
    println!("Results are in {}/: open {first} first.", dir.display());
}
