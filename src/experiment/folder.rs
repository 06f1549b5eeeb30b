//! Where an output folder stands, and its resume state.
//!
//! While an experiment (or a shard of one) runs, its folder holds a hidden state folder:
//!
//! ```text
//! <out>/.cohabit-state/state.json    what is running (identity, version, shard, plan)
//! <out>/.cohabit-state/records.bin   the finished runs, in plan order (see `record`)
//! ```
//!
//! Result files are written under hidden `.NAME.partial` names and renamed into place only
//! when complete, so earlier complete results stay untouched until then. When a whole
//! experiment finishes, the state folder is removed; when a shard finishes, its records move
//! to `<shard folder>/records.bin` beside a `shard.json` manifest, and the state folder goes.
//! A folder whose `state.json`, `shard.json` or `manifest.json` names another experiment is
//! refused unless `--force`; an unfinished one of the same experiment needs `--resume` (to
//! continue) or `--force` (to start over).

use super::precision::Report;
use super::{ExperimentError, Identity, Kind, Plan, Shard, io_at};
use crate::output::write_atomic;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Hidden folder of an unfinished experiment's state.
pub const STATE_DIR: &str = ".cohabit-state";
/// Records file name (in the state folder while running, in a finished shard's folder after).
pub const RECORDS: &str = "records.bin";
/// A finished shard's manifest.
pub const SHARD_MANIFEST: &str = "shard.json";
/// How shards slice the plan (recorded in manifests).
pub const LAYOUT: &str = "strided";
/// How shards slice a plan whose seeds are chosen by precision: whole points.
pub const LAYOUT_POINTS: &str = "points";

/// How shards slice `plan`: strided runs, or whole points when each point's seeds depend on
/// its own results.
pub fn layout(plan: &Plan) -> &'static str {
    match plan.precision {
        None => LAYOUT,
        Some(_) => LAYOUT_POINTS,
    }
}

/// `state.json`: what an unfinished folder is running.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct State {
    pub identity: Identity,
    pub version: String,
    /// `K/N`.
    pub shard: String,
    pub plan: Plan,
    pub command_line: String,
}

/// `shard.json`: what a finished shard holds.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ShardManifest {
    pub tool: String,
    pub version: String,
    pub identity: Identity,
    /// This shard, 1 to `shards`.
    pub shard: u32,
    /// Shards in the experiment.
    pub shards: u32,
    /// How the plan is sliced: "strided" (plan index i belongs to shard i % shards + 1), or
    /// "points" with seeds chosen by precision (point p belongs to shard p % shards + 1).
    pub layout: String,
    pub plan: Plan,
    /// Runs in the whole plan.
    pub plan_runs: u64,
    /// Runs this shard holds (in `records`, in plan order).
    pub held: u64,
    /// Records file, relative to the shard folder.
    pub records: String,
    /// Its size in bytes.
    pub records_bytes: u64,
    /// `--set` overrides as given.
    pub overrides: Vec<String>,
    pub command_line: String,
    pub threads: usize,
    pub wall_time_s: f64,
}

impl ShardManifest {
    /// Pretty JSON with a final newline.
    pub fn to_json(&self) -> String {
        let mut s = serde_json::to_string_pretty(self).expect("a shard manifest serialises");
        s.push('\n');
        s
    }
}

/// What a folder holds now.
#[derive(Debug, Clone, PartialEq)]
pub enum Found {
    /// No experiment (missing, empty or unrelated files).
    Nothing,
    /// An unfinished experiment.
    Unfinished(State),
    /// A finished experiment or shard.
    Complete(Identity),
}

/// Reads what `dir` holds: its state, shard manifest or run manifest, in that order.
pub fn inspect(dir: &Path) -> Found {
    let state = dir.join(STATE_DIR).join("state.json");
    if let Some(s) = read_json::<State>(&state) {
        return Found::Unfinished(s);
    }
    if let Some(m) = read_json::<ShardManifest>(&dir.join(SHARD_MANIFEST)) {
        return Found::Complete(m.identity);
    }
    if let Some(v) = read_json::<serde_json::Value>(&dir.join("manifest.json")) {
        let kind = match v.get("kind").and_then(|k| k.as_str()) {
            Some("sweep") => Kind::Sweep,
            Some("sensitivity") => Kind::Sensitivity,
            Some("fit") => Kind::Fit,
            _ => Kind::Run,
        };
        if let Some(hash) = v.get("scenario_hash").and_then(|h| h.as_str()) {
            return Found::Complete(Identity {
                kind,
                scenario_hash: hash.to_string(),
                design_fingerprint: v
                    .get("design_fingerprint")
                    .and_then(|d| d.as_str())
                    .map(str::to_string),
                precision: v
                    .get("precision")
                    .and_then(|p| serde_json::from_value::<Report>(p.clone()).ok())
                    .map(|r| r.precision()),
            });
        }
    }
    Found::Nothing
}

/// A JSON file read as `T`; `None` if it is missing or does not parse as `T`.
pub(crate) fn read_json<T: serde::de::DeserializeOwned>(path: &Path) -> Option<T> {
    let text = std::fs::read_to_string(path).ok()?;
    serde_json::from_str(&text).ok()
}

/// How to use the output folder: what to do with an experiment already in it, and what a
/// run may keep.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// Continue an unfinished experiment of the same identity.
    pub resume: bool,
    /// Replace whatever the folder holds.
    pub force: bool,
    /// Keep only the metrics of each run (a `run` then writes no timeseries.csv, map.csv or
    /// charts), so the resume record stays small.
    pub metrics_only: bool,
    /// Most memory the experiment may need, bytes (see [`super::budget`]).
    pub max_memory: u64,
}

impl Default for Options {
    fn default() -> Options {
        Options {
            resume: false,
            force: false,
            metrics_only: false,
            max_memory: super::budget::DEFAULT_MAX_MEMORY,
        }
    }
}

/// Files cohabit writes into an output folder: a folder holding any of them but no
/// experiment is someone else's, and is refused unless `--force`.
const OURS: [&str; 16] = [
    "runs.csv",
    "summary.csv",
    "timeseries.csv",
    "map.csv",
    "manifest.json",
    "scenario.toml",
    "design.toml",
    "design.csv",
    "indices.csv",
    "report.html",
    "charts",
    "fit.csv",
    "boxes.csv",
    "fit.toml",
    "pareto.csv",
    "pareto.toml",
];

/// Files of ours in a folder that holds no experiment.
fn strays(dir: &Path) -> Vec<&'static str> {
    OURS.into_iter().filter(|f| dir.join(f).exists()).collect()
}

fn not_ours(dir: &Path, found: &[&str]) -> ExperimentError {
    ExperimentError::NotOurs {
        dir: dir.to_path_buf(),
        files: found.join(", "),
    }
}

/// A folder ready to run in.
#[derive(Debug)]
pub enum Opened {
    /// `--resume` found the experiment already complete: nothing to do.
    Complete,
    /// Run here; `resume` is true when saved records are to be continued.
    Ready { records: PathBuf, resume: bool },
}

/// Checks `dir` against the experiment in `state` and prepares its state folder.
pub fn open(dir: &Path, state: &State, opts: Options) -> Result<Opened, ExperimentError> {
    let ours = &state.identity;
    let records = dir.join(STATE_DIR).join(RECORDS);
    let found = inspect(dir);
    let theirs = match &found {
        Found::Nothing => None,
        Found::Unfinished(s) => Some(&s.identity),
        Found::Complete(id) => Some(id),
    };
    if let Some(theirs) = theirs
        && theirs != ours
        && !opts.force
    {
        return Err(foreign(dir, theirs, ours));
    }
    if found == Found::Nothing && !opts.force {
        let found = strays(dir);
        if !found.is_empty() {
            return Err(not_ours(dir, &found));
        }
    }
    match found {
        Found::Unfinished(saved) if saved.identity == *ours && !opts.force => {
            if !opts.resume {
                return Err(ExperimentError::Unfinished {
                    dir: dir.to_path_buf(),
                });
            }
            if saved.version != state.version || saved.shard != state.shard {
                return Err(ExperimentError::CannotResume {
                    dir: dir.to_path_buf(),
                    reason: format!(
                        "its saved runs were made by cohabit {} as shard {}, this is cohabit {} as shard {}",
                        saved.version, saved.shard, state.version, state.shard
                    ),
                });
            }
            // Killed between moving a finished shard's records and writing its manifest:
            // move them back and finish again.
            let moved = dir.join(RECORDS);
            if !records.exists() && moved.exists() {
                std::fs::rename(&moved, &records).map_err(io_at(&moved))?;
            }
            if saved.plan != state.plan || !records.exists() {
                return Err(ExperimentError::CannotResume {
                    dir: dir.to_path_buf(),
                    reason: "its saved state does not match this plan".into(),
                });
            }
            return Ok(Opened::Ready {
                records,
                resume: true,
            });
        }
        Found::Complete(ref id) if id == ours && opts.resume && !opts.force => {
            return Ok(Opened::Complete);
        }
        // Otherwise start afresh. Earlier complete results stay as they are until the new
        // ones replace them; meanwhile the new state.json says what the folder is running.
        _ => {}
    }
    let state_dir = dir.join(STATE_DIR);
    if state_dir.exists() {
        std::fs::remove_dir_all(&state_dir).map_err(io_at(&state_dir))?;
    }
    std::fs::create_dir_all(&state_dir).map_err(io_at(&state_dir))?;
    let json = serde_json::to_string_pretty(state).expect("state serialises") + "\n";
    let path = state_dir.join("state.json");
    write_atomic(&path, json.as_bytes()).map_err(io_at(&path))?;
    Ok(Opened::Ready {
        records,
        resume: false,
    })
}

fn foreign(dir: &Path, theirs: &Identity, ours: &Identity) -> ExperimentError {
    ExperimentError::Foreign {
        dir: dir.to_path_buf(),
        theirs: theirs.describe(),
        ours: ours.describe(),
    }
}

/// Whether `dir` may receive experiment `ours`: refused (unless `force`) if it holds,
/// finished or not, another experiment, or files cohabit writes but no experiment. Writes
/// nothing. Returns whether it holds another experiment (to be cleared with `force`).
pub fn may_receive(dir: &Path, ours: &Identity, force: bool) -> Result<bool, ExperimentError> {
    let theirs = match inspect(dir) {
        Found::Nothing => {
            let found = strays(dir);
            return match found.is_empty() || force {
                true => Ok(false),
                false => Err(not_ours(dir, &found)),
            };
        }
        Found::Unfinished(s) => s.identity,
        Found::Complete(id) => id,
    };
    if theirs == *ours {
        return Ok(false);
    }
    if !force {
        return Err(foreign(dir, &theirs, ours));
    }
    Ok(true)
}

/// Refuses a folder that holds (finished or not) another experiment than `ours`, unless
/// `force`; with `force`, its claims (state, manifests) are removed.
pub fn claim(dir: &Path, ours: &Identity, force: bool) -> Result<(), ExperimentError> {
    if !may_receive(dir, ours, force)? {
        return Ok(());
    }
    for f in ["manifest.json", SHARD_MANIFEST] {
        remove_if_present(&dir.join(f))?;
    }
    let state_dir = dir.join(STATE_DIR);
    if state_dir.exists() {
        std::fs::remove_dir_all(&state_dir).map_err(io_at(&state_dir))?;
    }
    Ok(())
}

fn remove_if_present(path: &Path) -> Result<(), ExperimentError> {
    match std::fs::remove_file(path) {
        Err(e) if e.kind() != std::io::ErrorKind::NotFound => Err(io_at(path)(e)),
        _ => Ok(()),
    }
}

/// Ends a whole experiment whose outputs are committed: removes the state folder.
pub fn finish_whole(dir: &Path) -> Result<(), ExperimentError> {
    let state_dir = dir.join(STATE_DIR);
    std::fs::remove_dir_all(&state_dir).map_err(io_at(&state_dir))
}

/// Ends a shard: moves its records beside the manifest, writes `shard.json`, removes the
/// state folder. The manifest appears last, so its presence means the shard is complete.
pub fn finish_shard(dir: &Path, manifest: &mut ShardManifest) -> Result<(), ExperimentError> {
    let from = dir.join(STATE_DIR).join(RECORDS);
    let to = dir.join(RECORDS);
    std::fs::rename(&from, &to).map_err(io_at(&from))?;
    manifest.records_bytes = std::fs::metadata(&to).map_err(io_at(&to))?.len();
    let path = dir.join(SHARD_MANIFEST);
    write_atomic(&path, manifest.to_json().as_bytes()).map_err(io_at(&path))?;
    finish_whole(dir)
}

/// The folder a shard writes to: `<out>/shards/KKKK-of-NNNN/` (the whole plan: `<out>`).
pub fn shard_dir(out: &Path, shard: Shard) -> PathBuf {
    if shard.is_whole() {
        out.to_path_buf()
    } else {
        out.join("shards").join(shard.folder_name())
    }
}
