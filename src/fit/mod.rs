//! Which strategy fits: how every strategy holds up across uncertain contexts (`cohabit
//! fit`), where each stops being the right one (scenario discovery with PRIM), and which
//! lever settings are worth considering (Pareto fronts of lever sweeps). Each module's
//! header names the method and its source; the README's "Which strategy fits my site" says
//! how to use them.
//!
//! Data flows one way, from the files a sweep writes, never from the simulation:
//!
//! ```text
//! summary.csv + design.csv ([`table`]) -> regret, share best, satisficing ([`regret`])
//!   -> questions and PRIM boxes ([`discover`], [`prim`]) -> [`FitReport`]
//!   -> fit.csv, boxes.csv ([`output`]) and charts + report.html ([`crate::report`])
//! summary.csv + design.csv -> Pareto front of lever settings ([`pareto`]) -> pareto.csv
//! ```
//!
//! [`analyse`] runs when every run of a `fit` is recorded (on one machine, or when `merge`
//! assembles its shards), before the manifest marks the folder complete; its settings are
//! `fit.toml` in the folder ([`settings`]).

pub mod discover;
pub mod metrics;
pub mod output;
pub mod pareto;
pub mod prim;
pub mod regret;
pub mod settings;
pub mod table;

use std::path::{Path, PathBuf};

use crate::experiment::{ExperimentError, Plan};
use crate::output::write_atomic;
use crate::scenario::{self, ScenarioSource};
use discover::Discovery;
use regret::Robustness;
use settings::{Criteria, FitSettings};
use table::Dimension;

/// File of the analysis settings in a fit folder.
pub const SETTINGS_FILE: &str = "fit.toml";

/// The shipped uncertainty design, used when `cohabit fit` is given no `--design`.
pub const DEFAULT_DESIGN: &str = include_str!("../../designs/fit-default.toml");
/// What the shipped design is called in messages.
pub const DEFAULT_DESIGN_NAME: &str = "designs/fit-default.toml (embedded)";

/// Why a fit analysis could not read its inputs or write its outputs.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// A file could not be read (exit code 2: the folder is not a complete fit or sweep).
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file is not what a fit or sweep writes (exit code 2).
    #[error("{path}:{line}: {message}")]
    Malformed {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// Settings that do not fit the experiment (exit code 2).
    #[error("{0}")]
    Input(String),
    /// An output could not be written, or a chart drawn (exit code 1).
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}

impl From<FitError> for ExperimentError {
    fn from(e: FitError) -> ExperimentError {
        match e {
            FitError::Write { path, source } => ExperimentError::Io { path, source },
            other => ExperimentError::Input(other.to_string()),
        }
    }
}

/// The scenario a fit ran, as the briefing states it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct About {
    pub scenario: String,
    pub description: String,
    pub weeks: u32,
    pub master_seed: u64,
    pub scenario_hash: String,
    pub version: String,
}

/// Everything a fit found: what the charts and the briefing show.
#[derive(Debug, Clone, PartialEq)]
pub struct FitReport {
    pub about: About,
    /// Strategies in run order.
    pub strategies: Vec<String>,
    /// Context points.
    pub points: usize,
    /// Seeds per point (fewest, most).
    pub seeds: (u32, u32),
    /// Numeric context factors that vary.
    pub dims: Vec<Dimension>,
    /// Factors left out of scenario discovery (text, or constant).
    pub skipped: Vec<String>,
    pub criteria: Criteria,
    pub robustness: Robustness,
    pub discoveries: Vec<Discovery>,
    /// How the fit map plots the contexts (indices into `dims`).
    pub map: Option<discover::MapLayout>,
    /// With seeds chosen by precision: the targets and whether each context reached them
    /// (as the manifest records them).
    pub precision: Option<crate::experiment::precision::Report>,
}

/// Computes the report from the fit folder `dir` holding design.csv, summary.csv and
/// scenario.toml; `settings` checked against `plan`.
pub fn report(dir: &Path, plan: &Plan, settings: &FitSettings) -> Result<FitReport, FitError> {
    let criteria = settings
        .check(&plan.strategies, &plan.outputs)
        .map_err(FitError::Input)?;
    let ctx = table::contexts(dir, &plan.strategies, &criteria.needed())?;
    let robustness = regret::robustness(&ctx, &criteria);
    let questions = if criteria.questions.is_empty() {
        discover::default_questions(&robustness.metrics[0], &ctx.strategies)
    } else {
        criteria.questions.clone()
    };
    let discoveries = discover::discover(&ctx, &questions, &criteria.prim);
    let map = discover::map_layout(&ctx, &discoveries, &robustness.metrics[0]);
    Ok(FitReport {
        about: about(dir)?,
        strategies: ctx.strategies.clone(),
        points: ctx.points,
        seeds: ctx.seeds(),
        dims: ctx.dims.clone(),
        skipped: ctx.skipped.clone(),
        criteria,
        robustness,
        discoveries,
        map,
        precision: None,
    })
}

fn about(dir: &Path) -> Result<About, FitError> {
    let path = dir.join("scenario.toml");
    let s = scenario::load(&ScenarioSource::File(path.clone()), &[]).map_err(|e| {
        FitError::Malformed {
            path,
            line: 0,
            message: e.to_string(),
        }
    })?;
    Ok(About {
        scenario: s.name.clone(),
        description: s.description.clone(),
        weeks: s.weeks,
        master_seed: s.master_seed,
        scenario_hash: s.hash(),
        version: env!("CARGO_PKG_VERSION").to_string(),
    })
}

/// The analysis of a complete fit in `dir`: reads fit.toml, writes fit.csv and boxes.csv,
/// and with `charts` the charts and report.html.
/// `precision` is the account of seeds chosen by precision (`None` without `--precision`).
pub fn analyse(
    dir: &Path,
    plan: &Plan,
    precision: Option<crate::experiment::precision::Report>,
    charts: bool,
) -> Result<FitReport, FitError> {
    let path = dir.join(SETTINGS_FILE);
    let text = std::fs::read_to_string(&path).map_err(|source| FitError::Read {
        path: path.clone(),
        source,
    })?;
    let settings = FitSettings::from_toml(&text).map_err(|message| FitError::Malformed {
        path: path.clone(),
        line: 0,
        message,
    })?;
    let mut r = report(dir, plan, &settings)?;
    r.precision = precision;
    for (name, bytes) in [
        ("fit.csv", output::fit_csv(&r)),
        ("boxes.csv", output::boxes_csv(&r)),
    ] {
        let path = dir.join(name);
        write_atomic(&path, &bytes).map_err(|source| FitError::Write { path, source })?;
    }
    if charts {
        crate::report::render_fit(dir, &r).map_err(|e| FitError::Write {
            path: dir.join(crate::report::BRIEFING_FILE),
            source: std::io::Error::other(e.to_string()),
        })?;
    }
    Ok(r)
}
