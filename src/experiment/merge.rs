//! `cohabit merge`: shards back into one experiment's outputs, byte-identical to the same
//! experiment run on one machine.
//!
//! Checks first, writes after: every shard finished (has `shard.json`), all of one
//! experiment (same identity, tool version, plan, layout and shard count, and identical
//! scenario.toml / design files), each shard 1 to N present exactly once, each holding the
//! runs its manifest says, and every record read through once (checksum, place in the plan,
//! sizes, finite values). Only then is anything written: the shards' records are read again,
//! interleaved back into plan order (plan index `i` is in shard `i % N + 1`), and fed to the
//! same sinks a single machine uses. A refused merge writes nothing.

use super::folder::{self, LAYOUT, RECORDS, SHARD_MANIFEST, STATE_DIR, ShardManifest};
use super::launch::{self, Settings};
use super::record::{RecordReader, zone_of};
use super::{ExperimentError, Kind, Plan, Shard, io_at, lock};
use crate::design::Design;
use crate::output::write_atomic;
use crate::scenario::{self, Scenario, ScenarioSource};
use std::path::{Path, PathBuf};

/// Files describing the experiment that every shard carries and the merge copies.
const DESCRIPTION: [&str; 5] = [
    "scenario.toml",
    "design.toml",
    "design.csv",
    crate::fit::SETTINGS_FILE,
    crate::fit::pareto::SETTINGS_FILE,
];

/// A finished merge.
#[derive(Debug, Clone, PartialEq)]
pub struct Merged {
    pub out: PathBuf,
    pub kind: Kind,
    pub shards: u32,
    pub runs: u64,
    /// The briefing drawn (a run's merge, unless `--no-charts`).
    pub briefing: Option<PathBuf>,
}

fn input(msg: String) -> ExperimentError {
    ExperimentError::Merge(msg)
}

/// The shard folders named by `dirs`: each is a shard folder, or a folder of them.
pub fn shard_folders(dirs: &[PathBuf]) -> Result<Vec<PathBuf>, ExperimentError> {
    let is_shard = |d: &Path| d.join(SHARD_MANIFEST).exists() || d.join(STATE_DIR).exists();
    let mut found = Vec::new();
    for d in dirs {
        if is_shard(d) {
            found.push(d.clone());
            continue;
        }
        let entries = std::fs::read_dir(d)
            .map_err(|e| input(format!("cannot read shard folder {}: {e}", d.display())))?;
        let mut subs: Vec<PathBuf> = entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.is_dir() && is_shard(p))
            .collect();
        if subs.is_empty() {
            return Err(input(format!(
                "{} is not a shard folder and holds none (a shard folder has shard.json)",
                d.display()
            )));
        }
        subs.sort();
        found.extend(subs);
    }
    Ok(found)
}

/// Reads and cross-checks the shards' manifests; returns them ordered by shard number.
pub fn check(folders: &[PathBuf]) -> Result<Vec<(PathBuf, ShardManifest)>, ExperimentError> {
    let mut shards = Vec::new();
    for d in folders {
        let path = d.join(SHARD_MANIFEST);
        if !path.exists() {
            return Err(input(format!(
                "shard folder {} is unfinished (no shard.json): run its command again with --resume",
                d.display()
            )));
        }
        let bytes = std::fs::read(&path).map_err(io_at(&path))?;
        let m: ShardManifest = serde_json::from_slice(&bytes).map_err(|e| {
            input(format!(
                "{}: not a shard manifest ({}); the shard is damaged",
                path.display(),
                crate::output::safe::brief_to(&e.to_string(), 200)
            ))
        })?;
        shards.push((d.clone(), m));
    }
    let Some((first_dir, first)) = shards.first().cloned() else {
        return Err(input("no shards to merge".into()));
    };
    for (d, m) in &shards {
        let differs = |what: &str| {
            input(format!(
                "shards {} and {} are not of the same experiment: their {what} differ",
                first_dir.display(),
                d.display()
            ))
        };
        if m.identity != first.identity {
            return Err(differs("scenario hash, design or command"));
        }
        if m.version != first.version || m.tool != first.tool {
            return Err(differs("cohabit versions"));
        }
        if m.shards != first.shards || m.layout != LAYOUT || m.layout != first.layout {
            return Err(differs("shard counts or layouts"));
        }
        if m.plan != first.plan || m.plan_runs != first.plan.total() {
            return Err(differs("plans (points, strategies, seeds or outputs)"));
        }
        for f in DESCRIPTION {
            let (a, b) = (
                std::fs::read(first_dir.join(f)).ok(),
                std::fs::read(d.join(f)).ok(),
            );
            if a != b {
                return Err(differs(f));
            }
        }
        let shard = Shard {
            k: m.shard,
            n: m.shards,
        };
        if m.records != RECORDS {
            return Err(input(format!(
                "{}: `records` is {:?}; a shard's records are always in {RECORDS} beside its shard.json",
                d.join(SHARD_MANIFEST).display(),
                crate::output::safe::brief(&m.records)
            )));
        }
        let records = d.join(&m.records);
        let bytes = std::fs::metadata(&records).map(|md| md.len()).unwrap_or(0);
        if m.shard == 0 || m.shard > m.shards || m.held != shard.len(m.plan_runs) {
            return Err(input(format!(
                "{}: shard {}/{} cannot hold {} of {} runs",
                d.display(),
                m.shard,
                m.shards,
                m.held,
                m.plan_runs
            )));
        }
        if bytes != m.records_bytes {
            return Err(input(format!(
                "{}: {} has {bytes} bytes, its manifest says {}: the shard is damaged or incomplete",
                d.display(),
                records.display(),
                m.records_bytes
            )));
        }
    }
    shards.sort_by_key(|(_, m)| m.shard);
    for pair in shards.windows(2) {
        if pair[0].1.shard == pair[1].1.shard {
            return Err(input(format!(
                "shard {}/{} appears twice: {} and {}",
                pair[0].1.shard,
                first.shards,
                pair[0].0.display(),
                pair[1].0.display()
            )));
        }
    }
    let missing: Vec<String> = (1..=first.shards)
        .filter(|k| !shards.iter().any(|(_, m)| m.shard == *k))
        .map(|k| k.to_string())
        .collect();
    if !missing.is_empty() {
        return Err(input(format!(
            "missing shards: {} of {} (merge needs every shard)",
            missing.join(", "),
            first.shards
        )));
    }
    Ok(shards)
}

/// The default output folder: `<X>` when the shards sit in `<X>/shards/`.
pub fn default_out(folders: &[PathBuf]) -> Option<PathBuf> {
    let parent = folders.first()?.parent()?;
    let all_same = folders.iter().all(|f| f.parent() == Some(parent));
    (all_same && parent.file_name()? == "shards").then(|| parent.parent().map(Path::to_path_buf))?
}

/// Merges the shard folders into `settings.out` (checks first; nothing is written if a
/// check fails). `settings.folder.force` replaces a folder holding another experiment.
pub fn merge(folders: &[PathBuf], settings: &Settings) -> Result<Merged, ExperimentError> {
    let shards = check(folders)?;
    let (first_dir, first) = &shards[0];
    let plan = &first.plan;
    let s = scenario_of(first_dir, first)?;
    let design = design_of(first_dir, first)?;
    verify(&shards, plan)?;
    let estimate = super::budget::estimate(
        plan,
        shape(&shards)?,
        1,
        0,
        true,
        first.identity.kind == Kind::Sensitivity,
    );
    super::budget::check_memory(&estimate, settings.folder.max_memory, plan.detail)?;
    let out = &settings.out;
    lock::prepare(out)?;
    let _hold = lock::lock(out, &settings.command_line)?;
    folder::claim(out, &first.identity, settings.folder.force)?;
    lock::sweep_leftovers(out)?;
    for f in DESCRIPTION {
        let from = first_dir.join(f);
        if from.exists() {
            let bytes = std::fs::read(&from).map_err(io_at(&from))?;
            let to = out.join(f);
            write_atomic(&to, &bytes).map_err(io_at(&to))?;
        }
    }
    let mut sink = launch::open_sink(out, first.identity.kind, s.as_ref(), plan)?;
    let mut readers = open_readers(&shards)?;
    let n = shards.len();
    for i in 0..plan.total() {
        let k = (i % n as u64) as usize;
        let path = shards[k].0.join(RECORDS);
        match readers[k].next_record().map_err(io_at(&path))? {
            Some(r) => sink.accept(&r).map_err(io_at(out))?,
            None => {
                return Err(input(format!(
                    "{}: run {i} vanished during the merge",
                    path.display()
                )));
            }
        }
    }
    let kind = first.identity.kind;
    let miner_weeks =
        launch::finish_outputs(sink, out, kind, design.as_ref(), plan, settings.charts)?;
    // The shards' own compute: wall time summed over the shards, so the throughput is that
    // of one shard process (the merge's own seconds say nothing about simulation speed).
    let wall: f64 = shards.iter().map(|(_, m)| m.wall_time_s).sum();
    let threads = shards.iter().map(|(_, m)| m.threads).max().unwrap_or(1);
    let mut settings = settings.clone();
    settings.overrides = first.overrides.clone();
    let manifest = launch::manifest(
        &first.identity,
        s.as_ref(),
        plan,
        &settings,
        threads,
        wall,
        miner_weeks,
        Some(first.shards),
    );
    let path = out.join("manifest.json");
    write_atomic(&path, manifest.to_json().as_bytes()).map_err(io_at(&path))?;
    // An unfinished single-machine run of this experiment in `out` is now superseded.
    if out.join(STATE_DIR).exists() {
        folder::finish_whole(out)?;
    }
    let report = settings.charts.then(crate::report::ReportOptions::default);
    let briefing = launch::draw_briefing(out, first.identity.kind, plan, report.as_ref())?;
    Ok(Merged {
        out: out.clone(),
        kind: first.identity.kind,
        shards: first.shards,
        runs: plan.total(),
        briefing,
    })
}

/// The shards' scenario, checked against their scenario hash.
fn scenario_of(dir: &Path, m: &ShardManifest) -> Result<Option<Scenario>, ExperimentError> {
    let path = dir.join("scenario.toml");
    if !path.exists() {
        return Ok(None);
    }
    let s = scenario::load(&ScenarioSource::File(path.clone()), &[])
        .map_err(|e| input(format!("{}: {e}", path.display())))?;
    if s.hash() != m.identity.scenario_hash {
        return Err(input(format!(
            "{} does not hash to the shards' scenario hash; the shard is damaged",
            path.display()
        )));
    }
    Ok(Some(s))
}

/// A sensitivity analysis' design, checked against the shards' fingerprint.
fn design_of(dir: &Path, m: &ShardManifest) -> Result<Option<Design>, ExperimentError> {
    if m.identity.kind != Kind::Sensitivity {
        return Ok(None);
    }
    let path = dir.join("design.toml");
    let d = Design::from_file(&path).map_err(|e| input(e.to_string()))?;
    if Some(d.fingerprint()) != m.identity.design_fingerprint {
        return Err(input(format!(
            "{} does not match the shards' design fingerprint; the shard is damaged",
            path.display()
        )));
    }
    Ok(Some(d))
}

fn open_readers(shards: &[(PathBuf, ShardManifest)]) -> Result<Vec<RecordReader>, ExperimentError> {
    shards
        .iter()
        .map(|(d, _)| {
            let p = d.join(RECORDS);
            RecordReader::open(&p)
                .map_err(|e| input(format!("{}: {e}; the shard is damaged", p.display())))
        })
        .collect()
}

/// Reads every record once, in plan order, before anything is written: each must be whole
/// (checksum), in its place in the plan, of the plan's sizes and finite.
fn verify(shards: &[(PathBuf, ShardManifest)], plan: &Plan) -> Result<(), ExperimentError> {
    let mut readers = open_readers(shards)?;
    let n = shards.len() as u64;
    let mut sizes = None;
    for i in 0..plan.total() {
        let k = (i % n) as usize;
        let path = shards[k].0.join(RECORDS);
        let damaged = |what: &str| {
            input(format!(
                "{}: run {i} of the plan is {what}; the shard is damaged",
                path.display()
            ))
        };
        let r = readers[k]
            .next_record()
            .map_err(|e| input(format!("{}: {e}", path.display())))?
            .ok_or_else(|| damaged("missing or damaged"))?;
        let (point, strategy, replicate) = plan.locate(i);
        if r.index != i || (r.point, r.strategy, r.replicate) != (point, strategy, replicate) {
            return Err(damaged("out of place"));
        }
        let these = (r.values.len(), r.series.len(), r.map.len());
        let same = *sizes.get_or_insert(these) == these;
        let shaped = these.0 == plan.outputs.len() && (plan.detail || these.1 + these.2 == 0);
        if !same || !shaped || r.zones.iter().any(|&z| zone_of(z).is_none()) {
            return Err(damaged("not of the plan's shape"));
        }
        let finite = r.values.iter().all(|v| v.is_finite())
            && r.series.iter().chain(&r.map).all(|v| v.is_finite());
        if !finite {
            return Err(damaged("not finite"));
        }
    }
    for (reader, (dir, _)) in readers.iter_mut().zip(shards) {
        if !matches!(reader.next_record(), Ok(None)) {
            return Err(input(format!(
                "{} holds more runs than its manifest says, or a damaged tail",
                dir.display()
            )));
        }
    }
    Ok(())
}

/// The sizes of one run, from the first record (for the memory estimate).
fn shape(shards: &[(PathBuf, ShardManifest)]) -> Result<super::budget::Shape, ExperimentError> {
    let first = open_readers(&shards[..1])?
        .remove(0)
        .next_record()
        .ok()
        .flatten();
    Ok(
        first.map_or_else(Default::default, |r| super::budget::Shape {
            series: r.series.len() as u64,
            map: r.map.len() as u64,
            working: 0,
        }),
    )
}
