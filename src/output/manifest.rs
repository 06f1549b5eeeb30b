//! manifest.json: what was run, with what, how fast: enough to reproduce the run and to tell
//! one experiment from another.

use serde::{Deserialize, Serialize};

/// The manifest of a run's output folder.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    pub tool: String,
    pub version: String,
    /// The command that made the folder: `run`, `sweep` or `sensitivity`.
    #[serde(default = "run_kind")]
    pub kind: String,
    /// SHA-256 of the design's canonical text (sweeps and sensitivity analyses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub design_fingerprint: Option<String>,
    /// Design points (sweeps and sensitivity analyses).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub points: Option<u32>,
    /// Shards merged into the folder (absent when run on one machine).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shards: Option<u32>,
    pub scenario: String,
    pub description: String,
    /// SHA-256 of the resolved scenario (scenario.toml in the same folder).
    pub scenario_hash: String,
    pub master_seed: u64,
    /// Seeds per strategy (with `--precision`: the most any point ran).
    pub seeds: u32,
    pub weeks: u32,
    pub timeseries_every_weeks: u32,
    pub strategies: Vec<String>,
    /// `--set` overrides, as given.
    pub overrides: Vec<String>,
    pub command_line: String,
    pub threads: usize,
    pub wall_time_s: f64,
    pub runs: usize,
    pub miner_weeks: f64,
    pub throughput_miner_weeks_per_s: f64,
    /// Seeds chosen by precision (`--precision`): the targets, and how many seeds each
    /// point needed and whether it reached them (absent when every point ran `seeds`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub precision: Option<crate::experiment::precision::Report>,
}

fn run_kind() -> String {
    "run".to_string()
}

impl Manifest {
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a manifest serialises");
        s.push('\n');
        s
    }
}
