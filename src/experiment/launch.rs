//! One batch command from start to finish: check the output folder, write the experiment's
//! description files, run the shard's plan ([`super::engine`]) and, for a whole plan,
//! aggregate, commit the results and the manifest; for a shard, leave its records and
//! `shard.json`. `merge` ends through the same [`finish_outputs`].

use super::budget::{self, Estimate};
use super::engine::{self, Job, Outcome};
use super::folder::{self, Opened, RECORDS, ShardManifest, State};
use super::precision::{PointOutcome, Report as PrecisionReport};
use super::schedule::Schedule;
use super::sinks::{Regroup, RunFiles, Sink, SweepFiles};
use super::{Evaluator, ExperimentError, Identity, Kind, Plan, Shard, indices, io_at, lock};
use crate::design::{Design, DesignPoint};
use crate::output::manifest::Manifest;
use crate::output::write_atomic;
use crate::report::ReportOptions;
use crate::scenario::Scenario;
use std::path::{Path, PathBuf};
use std::time::Instant;

/// How to run.
#[derive(Debug, Clone)]
pub struct Settings {
    /// The experiment's output folder (a shard writes to `<out>/shards/KKKK-of-NNNN/`).
    pub out: PathBuf,
    /// Worker threads (0 = one per core).
    pub threads: usize,
    pub shard: Shard,
    pub folder: folder::Options,
    /// `--set` overrides as given (for the manifests).
    pub overrides: Vec<String>,
    pub command_line: String,
    pub progress: bool,
    /// Draw the charts when the experiment completes: a run's charts and briefing, a
    /// sensitivity analysis' tornado charts.
    pub charts: bool,
}

/// What to run, besides the evaluator.
pub struct Experiment<'a> {
    pub identity: Identity,
    /// Design points by id (a plain run: one point with no values).
    pub points: Vec<DesignPoint>,
    /// The design (sweeps and sensitivity analyses).
    pub design: Option<&'a Design>,
    /// The base scenario, when the evaluator is cohabit's (for result files and manifest).
    pub scenario: Option<&'a Scenario>,
    /// Files written beside the results first (e.g. scenario.toml, design.csv).
    pub files: Vec<(String, Vec<u8>)>,
}

impl Experiment<'_> {
    /// A `run` of scenario `s`: its one design point, with its scenario.toml.
    pub fn run(s: &Scenario) -> Experiment<'_> {
        Experiment {
            identity: Identity {
                kind: Kind::Run,
                scenario_hash: s.hash(),
                design_fingerprint: None,
                precision: None,
            },
            points: vec![DesignPoint {
                id: 0,
                values: Vec::new(),
            }],
            design: None,
            scenario: Some(s),
            files: vec![("scenario.toml".into(), s.to_toml().into_bytes())],
        }
    }
}

/// How a command ended.
#[derive(Debug, Clone, PartialEq)]
pub enum Finished {
    /// All runs are done and the outputs (or the shard) are complete.
    Complete {
        dir: PathBuf,
        /// Runs in this shard (the whole plan when not sharded).
        runs: u64,
        wall_time_s: f64,
        miner_weeks: f64,
        /// With seeds chosen by precision: each point's seeds, in point order.
        points: Vec<PointOutcome>,
    },
    /// `--resume` found nothing left to do.
    AlreadyComplete { dir: PathBuf },
    /// Stopped by Ctrl-C: `done` of `runs` are saved.
    Interrupted { dir: PathBuf, done: u64, runs: u64 },
}

/// The plan of an experiment with `ev`.
pub fn plan<E: Evaluator>(
    ev: &E,
    x: &Experiment,
    settings: &Settings,
) -> Result<Plan, ExperimentError> {
    let precision = x.identity.precision.clone();
    if precision.is_some() && x.identity.kind == Kind::Run && !settings.shard.is_whole() {
        return Err(ExperimentError::Input(
            "--precision cannot be used with --shard on a `run`: its one point decides its seed count from all of its runs, which a shard split by replicates cannot see. Run it whole (it is one point), or shard a sweep or fit, whose shards split by points.".into(),
        ));
    }
    Ok(Plan {
        points: u32::try_from(x.points.len())
            .map_err(|_| ExperimentError::Input("too many design points".into()))?,
        strategies: ev.strategies(),
        replicates: precision.as_ref().map_or(ev.replicates(), |p| p.max_seeds),
        outputs: ev.outputs(),
        detail: x.identity.kind == Kind::Run && !settings.folder.metrics_only,
        precision,
    })
}

/// What the experiment's shard will need in memory and on disk; refused (exit code 2) if
/// it needs more memory than `--max-memory` allows. Writes nothing.
pub fn check<E: Evaluator>(
    ev: &E,
    x: &Experiment,
    settings: &Settings,
) -> Result<(Plan, Estimate), ExperimentError> {
    let plan = plan(ev, x, settings)?;
    let threads = match settings.threads {
        0 => rayon::current_num_threads(),
        n => n,
    };
    let mut shape = ev.shape();
    if !plan.detail {
        (shape.series, shape.map) = (0, 0);
    }
    let held = Schedule::new(&plan, settings.shard).most();
    let whole = settings.shard.is_whole();
    let means = x.identity.kind == Kind::Sensitivity;
    let estimate = budget::estimate(&plan, shape, threads, held, whole, means);
    budget::check_memory(&estimate, settings.folder.max_memory, plan.detail)?;
    Ok((plan, estimate))
}

/// Runs the experiment with `ev`; `stop` is checked before each run starts. A run's
/// briefing, if `settings.charts`, is drawn with the default report options.
pub fn launch<E: Evaluator>(
    ev: &E,
    x: &Experiment,
    settings: &Settings,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Finished, ExperimentError> {
    let report = settings.charts.then(ReportOptions::default);
    launch_with(ev, x, settings, stop, report.as_ref())
}

/// [`launch`], drawing a complete run's charts and briefing with `report` (none if `None`).
pub fn launch_with<E: Evaluator>(
    ev: &E,
    x: &Experiment,
    settings: &Settings,
    stop: &(dyn Fn() -> bool + Sync),
    report: Option<&ReportOptions>,
) -> Result<Finished, ExperimentError> {
    let (plan, estimate) = check(ev, x, settings)?;
    let dir = folder::shard_dir(&settings.out, settings.shard);
    lock::prepare(&dir)?;
    let _hold = lock::lock(&dir, &settings.command_line)?;
    let state = State {
        identity: x.identity.clone(),
        version: env!("CARGO_PKG_VERSION").to_string(),
        shard: settings.shard.to_string(),
        plan: plan.clone(),
        command_line: settings.command_line.clone(),
    };
    let (records, resume) = match folder::open(&dir, &state, settings.folder)? {
        Opened::Complete => return Ok(Finished::AlreadyComplete { dir }),
        Opened::Ready { records, resume } => (records, resume),
    };
    lock::sweep_leftovers(&dir)?;
    let held = Schedule::new(&plan, settings.shard).most();
    if let Some(warning) = budget::records_warning(&estimate, held, plan.detail) {
        eprintln!("cohabit: {warning}");
    }
    for (name, bytes) in &x.files {
        let path = dir.join(name);
        write_atomic(&path, bytes).map_err(io_at(&path))?;
    }
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(settings.threads)
        .build()
        .map_err(|e| ExperimentError::Threads {
            threads: settings.threads,
            message: e.to_string(),
        })?;
    let mut sink = if settings.shard.is_whole() {
        open_sink(&dir, x.identity.kind, x.scenario, &plan)?
    } else {
        Sink::Shard
    };
    let progress = crate::runner::progress_bar(held, settings.progress);
    let job = Job {
        plan: &plan,
        shard: settings.shard,
        records: &records,
        resume,
    };
    let start = Instant::now();
    let outcome =
        pool.install(|| engine::execute(ev, &x.points, &job, &mut sink, &progress, stop))?;
    progress.finish_and_clear();
    let wall = start.elapsed().as_secs_f64();
    let (held, points) = match outcome {
        Outcome::Interrupted { done, held } => {
            return Ok(Finished::Interrupted {
                dir,
                done,
                runs: held,
            });
        }
        Outcome::Complete { held, points } => (held, points),
    };
    let threads = pool.current_num_threads();
    let mut miner_weeks = 0.0;
    if settings.shard.is_whole() {
        let ran = Ran {
            runs: held,
            points: points.clone(),
        };
        miner_weeks = finish_outputs(
            sink,
            &dir,
            x.identity.kind,
            x.design,
            &plan,
            &ran,
            settings.charts,
        )?;
        let manifest = manifest(
            &x.identity,
            x.scenario,
            &plan,
            settings,
            threads,
            wall,
            miner_weeks,
            None,
            &ran,
        );
        let path = dir.join("manifest.json");
        write_atomic(&path, manifest.to_json().as_bytes()).map_err(io_at(&path))?;
        folder::finish_whole(&dir)?;
        draw_briefing(&dir, x.identity.kind, &plan, report)?;
    } else {
        let mut m = ShardManifest {
            tool: "cohabit".into(),
            version: state.version.clone(),
            identity: x.identity.clone(),
            shard: settings.shard.k,
            shards: settings.shard.n,
            layout: folder::layout(&plan).into(),
            plan: plan.clone(),
            plan_runs: plan.total(),
            held,
            records: RECORDS.into(),
            records_bytes: 0,
            overrides: settings.overrides.clone(),
            command_line: settings.command_line.clone(),
            threads,
            wall_time_s: wall,
        };
        folder::finish_shard(&dir, &mut m)?;
    }
    Ok(Finished::Complete {
        dir,
        runs: held,
        wall_time_s: wall,
        miner_weeks,
        points,
    })
}

/// The sink of a whole plan's outputs.
pub(crate) fn open_sink(
    dir: &Path,
    kind: Kind,
    scenario: Option<&Scenario>,
    plan: &Plan,
) -> Result<Sink, ExperimentError> {
    let io = io_at(dir);
    let sink = match (kind, scenario) {
        (Kind::Run, Some(s)) => {
            Sink::Run(Box::new(RunFiles::create(dir, s, plan.detail).map_err(io)?))
        }
        (Kind::Run, None) => {
            return Err(ExperimentError::Input(
                "a run needs its scenario (scenario.toml)".into(),
            ));
        }
        (Kind::Sweep | Kind::Sensitivity | Kind::Fit, _) => Sink::Sweep(Box::new(
            SweepFiles::create(
                dir,
                plan.strategies.clone(),
                plan.outputs.clone(),
                kind == Kind::Sensitivity,
            )
            .map_err(io)?,
        )),
    };
    // Seeds chosen by precision come block by block: regroup them point by point.
    Ok(match plan.precision {
        Some(_) => Sink::Regroup(Box::new(Regroup::new(sink))),
        None => sink,
    })
}

/// Commits a whole plan's outputs (and, for a sensitivity analysis, its indices and
/// charts; for a fit, its analysis; for a lever sweep, its Pareto front). Returns the
/// miner-weeks simulated (0 for an evaluator without a `miner_weeks` output). `ran`: with
/// seeds chosen by precision, each point's outcome (a fit's briefing states them).
pub(crate) fn finish_outputs(
    sink: Sink,
    dir: &Path,
    kind: Kind,
    design: Option<&Design>,
    plan: &Plan,
    ran: &Ran,
    charts: bool,
) -> Result<f64, ExperimentError> {
    let io = io_at(dir);
    match sink {
        Sink::Run(files) => {
            let mw = files.miner_weeks;
            files.finish().map_err(io)?;
            Ok(mw)
        }
        Sink::Sweep(files) => {
            let mw = files.miner_weeks;
            if let Some(means) = files.finish().map_err(&io)? {
                let design = design.ok_or_else(|| {
                    ExperimentError::Input("a sensitivity analysis needs its design".into())
                })?;
                indices::write(dir, design, plan, &means, charts)?;
            }
            if kind == Kind::Fit {
                crate::fit::analyse(dir, plan, ran.precision(plan), charts)?;
            } else {
                crate::fit::pareto::after_sweep(dir, &plan.strategies)?;
            }
            Ok(mw)
        }
        Sink::Shard => Ok(0.0),
        Sink::Regroup(g) => {
            let inner = g.finish().map_err(&io)?;
            finish_outputs(inner, dir, kind, design, plan, ran, charts)
        }
    }
}

/// A complete run's charts and briefing (`report.html`), drawn from its result files.
pub(crate) fn draw_briefing(
    dir: &Path,
    kind: Kind,
    plan: &Plan,
    report: Option<&ReportOptions>,
) -> Result<Option<PathBuf>, ExperimentError> {
    let Some(options) = report else {
        return Ok(None);
    };
    if kind != Kind::Run || !plan.detail {
        return Ok(None);
    }
    Ok(crate::report::render(dir, options)?.briefing)
}

/// What a whole experiment ran: runs, and with precision each point's seeds.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ran {
    pub runs: u64,
    /// By point (empty without precision).
    pub points: Vec<PointOutcome>,
}

impl Ran {
    /// The account of seeds chosen by precision (`None` without `--precision`), as the
    /// manifest records it and a fit's briefing states it.
    pub(crate) fn precision(&self, plan: &Plan) -> Option<PrecisionReport> {
        (plan.precision.as_ref()).map(|p| PrecisionReport::new(p, self.points.clone()))
    }
}

/// The manifest of a whole experiment's folder.
#[allow(clippy::too_many_arguments)]
pub(crate) fn manifest(
    identity: &Identity,
    s: Option<&Scenario>,
    plan: &Plan,
    settings: &Settings,
    threads: usize,
    wall: f64,
    miner_weeks: f64,
    shards: Option<u32>,
    ran: &Ran,
) -> Manifest {
    let is_design = identity.kind != Kind::Run;
    let seeds = match &plan.precision {
        None => plan.replicates,
        Some(_) => ran.points.iter().map(|p| p.seeds).max().unwrap_or(0),
    };
    Manifest {
        tool: "cohabit".into(),
        version: env!("CARGO_PKG_VERSION").into(),
        kind: identity.kind.name().into(),
        design_fingerprint: identity.design_fingerprint.clone(),
        points: is_design.then_some(plan.points),
        shards,
        scenario: s.map(|s| s.name.clone()).unwrap_or_default(),
        description: s.map(|s| s.description.clone()).unwrap_or_default(),
        scenario_hash: identity.scenario_hash.clone(),
        master_seed: s.map_or(0, |s| s.master_seed),
        seeds,
        weeks: s.map_or(0, |s| s.weeks),
        timeseries_every_weeks: s.map_or(0, |s| s.timeseries_every_weeks),
        strategies: plan.strategies.clone(),
        overrides: settings.overrides.clone(),
        command_line: settings.command_line.clone(),
        threads,
        wall_time_s: wall,
        runs: ran.runs as usize,
        miner_weeks,
        throughput_miner_weeks_per_s: if wall > 0.0 { miner_weeks / wall } else { 0.0 },
        precision: ran.precision(plan),
    }
}
