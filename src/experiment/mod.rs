//! Experiments at scale: `run`, `sweep` and `sensitivity` as one pipeline that can be split
//! into shards, merged back, interrupted and resumed, with byte-identical results.
//!
//! Data flows one way:
//!
//! ```text
//! design points -> plan (point x strategy x replicate, point-major)
//!   -> shard slice (strided; by point with seeds chosen by [`precision`]), handed out by
//!      [`schedule`] (with precision, block by block as each point's results decide)
//!   -> runs in parallel, a window ahead of the records ([`engine`], via an [`Evaluator`])
//!   -> records in plan order ([`record`]: `records.bin`, synced every window of runs)
//!   -> outputs ([`sinks`]: runs.csv, summary.csv, timeseries.csv, map.csv, or the sweep's)
//!   -> sensitivity indices ([`indices`]) for morris and sobol designs
//!   -> robustness and scenario discovery for `fit`, Pareto fronts of lever sweeps
//!      ([`crate::fit`])
//! ```
//!
//! Every aggregate is computed from records, never from live state, so a single machine, a
//! merge of shards ([`merge`]) and a resumed run compute from the same numbers in the same
//! order. Where an output folder stands (fresh, unfinished, complete, someone else's) is
//! [`folder`]'s business; its resume state lives in `<out>/.cohabit-state/`.

pub mod budget;
pub mod engine;
pub mod folder;
pub mod indices;
pub mod launch;
pub mod lock;
pub mod merge;
pub mod model;
pub mod precision;
pub mod record;
pub mod run_one;
pub mod schedule;
pub mod shard;
pub mod sinks;
pub mod slurm;

pub use model::{Cohabit, Evaluation, Evaluator};
pub use shard::Shard;

use serde::{Deserialize, Serialize};
use std::path::PathBuf;

/// Which batch command an experiment is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// Every strategy over the scenario's seeds (one design point).
    Run,
    /// Every design point x strategy x seed.
    Sweep,
    /// A sweep over a morris or sobol design, then sensitivity indices.
    Sensitivity,
    /// A sweep over context keys, then robustness across them (`crate::fit`).
    Fit,
}

impl Kind {
    /// The command's name.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Run => "run",
            Kind::Sweep => "sweep",
            Kind::Sensitivity => "sensitivity",
            Kind::Fit => "fit",
        }
    }
}

/// What tells one experiment from another: an output folder holding another identity is
/// refused unless `--force`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Identity {
    /// The command.
    pub kind: Kind,
    /// SHA-256 of the resolved (base) scenario.
    pub scenario_hash: String,
    /// SHA-256 of the design's canonical text (sweeps and sensitivity only).
    pub design_fingerprint: Option<String>,
    /// Seeds chosen by precision (`--precision`): targets, block, most seeds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<precision::Precision>,
}

impl Identity {
    /// A short description for messages.
    pub fn describe(&self) -> String {
        let mut s = format!(
            "a `{}` of scenario {}",
            self.kind.name(),
            short(&self.scenario_hash)
        );
        if let Some(d) = &self.design_fingerprint {
            s += &format!(" with design {}", short(d));
        }
        if let Some(p) = &self.precision {
            s += &format!(" with {}", p.describe());
        }
        s
    }
}

fn short(hash: &str) -> String {
    format!("#{}", &hash[..hash.len().min(12)])
}

/// The shape of a plan: every point runs every strategy over the same replicates,
/// point-major, then strategy, then replicate. With seeds chosen by precision the replicates
/// of a point come in blocks (point-major, then block, then strategy, then replicate), and a
/// point runs only the blocks its results ask for ([`schedule`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Plan {
    /// Design points (1 for a plain run).
    pub points: u32,
    /// Strategy names, in run order.
    pub strategies: Vec<String>,
    /// Replicates per strategy (with precision: the most a point may run).
    pub replicates: u32,
    /// Names of the values of a run.
    pub outputs: Vec<String>,
    /// Whether records keep timeseries and maps (`run` only).
    pub detail: bool,
    /// Seeds chosen by precision, in blocks (`None`: every point runs every replicate).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<precision::Precision>,
}

impl Plan {
    /// Runs in the whole plan (with precision: if every point ran the most seeds).
    pub fn total(&self) -> u64 {
        u64::from(self.points) * self.per_point()
    }

    /// Runs of one point (with precision: the most).
    fn per_point(&self) -> u64 {
        self.strategies.len().max(1) as u64 * u64::from(self.replicates.max(1))
    }

    /// Replicates per block: the whole of them without precision.
    pub fn block(&self) -> u32 {
        let reps = self.replicates.max(1);
        self.precision
            .as_ref()
            .map_or(reps, |p| p.block.clamp(1, reps))
    }

    /// Replicates in block `b` (the last one may be cut short by the most seeds).
    pub fn block_width(&self, b: u32) -> u32 {
        let start = u64::from(b) * u64::from(self.block());
        (u64::from(self.replicates).saturating_sub(start)).min(u64::from(self.block())) as u32
    }

    /// Blocks a point may run.
    pub fn blocks(&self) -> u32 {
        self.replicates.max(1).div_ceil(self.block())
    }

    /// Plan index of the `k`-th run (strategy-major within the block) of block `b` at `point`.
    pub fn index(&self, point: u32, b: u32, k: u64) -> u64 {
        let full = self.strategies.len().max(1) as u64 * u64::from(self.block());
        u64::from(point) * self.per_point() + u64::from(b) * full + k
    }

    /// (point, strategy, replicate) of plan index `i`.
    pub fn locate(&self, i: u64) -> (u32, u32, u32) {
        let per_point = self.per_point();
        let (point, j) = (i / per_point, i % per_point);
        let block = u64::from(self.block());
        let full = self.strategies.len().max(1) as u64 * block;
        let b = j / full;
        let width = u64::from(self.block_width(b as u32).max(1));
        let k = j % full;
        (
            point as u32,
            (k / width) as u32,
            (b * block + k % width) as u32,
        )
    }
}

/// Why an experiment could not run, merge or resume.
#[derive(Debug, thiserror::Error)]
pub enum ExperimentError {
    /// The output folder holds another experiment (exit code 2).
    #[error(
        "{} holds the results of another experiment ({theirs}), not of this one ({ours}). \
         Choose another --out, or add --force to replace them.",
        dir.display()
    )]
    Foreign {
        dir: PathBuf,
        /// What the folder holds, described.
        theirs: String,
        /// What was asked for, described.
        ours: String,
    },
    /// The output folder holds files cohabit writes, but no experiment (exit code 2).
    #[error(
        "{} holds files a cohabit run would replace ({files}) but no cohabit experiment (no manifest.json). \
         Choose another --out, or add --force to replace them.",
        dir.display()
    )]
    NotOurs { dir: PathBuf, files: String },
    /// The output folder holds an unfinished run of this experiment (exit code 2).
    #[error(
        "{} holds an unfinished run of this experiment (saved in {}/.cohabit-state/). \
         Add --resume to continue it, or --force to start over.",
        dir.display(),
        dir.display()
    )]
    Unfinished { dir: PathBuf },
    /// Saved runs that cannot be continued (exit code 2).
    #[error("cannot resume in {}: {reason}. Add --force to start over.", dir.display())]
    CannotResume { dir: PathBuf, reason: String },
    /// A design point the evaluator refuses (exit code 2).
    #[error("design point {id}: {message}")]
    BadPoint { id: usize, message: String },
    /// Shards that cannot be merged (exit code 2).
    #[error("{0}")]
    Merge(String),
    /// Other bad input: a command, a shard value, a design (exit code 2).
    #[error("{0}")]
    Input(String),
    /// Another cohabit command holds the output folder (exit code 2).
    #[error(
        "{} is in use by another cohabit command ({holder}); wait for it to finish, or choose another --out",
        dir.display()
    )]
    Busy { dir: PathBuf, holder: String },
    /// The output folder cannot be made (exit code 1).
    #[error(
        "cannot make the output folder {}: {source}; choose an --out in a folder you can write to",
        dir.display()
    )]
    OutFolder {
        dir: PathBuf,
        source: std::io::Error,
    },
    /// A run failed in a way valid input never should (exit code 1).
    #[error("{0}")]
    Internal(String),
    /// Charts or the briefing could not be drawn (exit code 2 if the results cannot be
    /// read, 1 otherwise).
    #[error(transparent)]
    Report(#[from] crate::report::ReportError),
    /// A file could not be read or written (exit code 1).
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    /// Worker threads could not start (exit code 1).
    #[error("cannot start {threads} worker threads: {message}")]
    Threads { threads: usize, message: String },
}

impl ExperimentError {
    /// The exit code: 2 for bad input, 1 otherwise.
    pub fn code(&self) -> i32 {
        use crate::report::ReportError as R;
        match self {
            ExperimentError::Report(R::Draw { .. } | R::Write { .. }) => 1,
            ExperimentError::Io { .. }
            | ExperimentError::Threads { .. }
            | ExperimentError::OutFolder { .. }
            | ExperimentError::Internal(_) => 1,
            _ => 2,
        }
    }
}

/// Maps an I/O error to [`ExperimentError::Io`] at `path`.
pub(crate) fn io_at(path: &std::path::Path) -> impl Fn(std::io::Error) -> ExperimentError + '_ {
    move |source| ExperimentError::Io {
        path: path.to_path_buf(),
        source,
    }
}
