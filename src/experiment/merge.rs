//! `cohabit merge`: shards back into one experiment's outputs, byte-identical to the same
//! experiment run on one machine.
//!
//! Checks first, writes after: every shard finished (has `shard.json`), all of one
//! experiment (same identity, tool version, plan, layout and shard count, and identical
//! scenario.toml / design files), each shard 1 to N present exactly once, each holding the
//! runs its manifest says, and every record read through once (checksum, place in the plan,
//! sizes, finite values). Only then is anything written: the shards' records are read again,
//! interleaved back into plan order (each shard's records are in plan order, so the merge
//! takes the smallest next index: plan index `i` is in shard `i % N + 1`, or with seeds
//! chosen by precision point p is), and fed to the same sinks a single machine uses. With
//! precision, each shard's records are checked against [`super::schedule`]'s decisions,
//! which also give each point's seeds for the manifest. A refused merge writes nothing.

use super::folder::{self, RECORDS, SHARD_MANIFEST, STATE_DIR, ShardManifest};
use super::launch::{self, Settings};
use super::precision::PointOutcome;
use super::record::{Record, RecordReader, zone_of};
use super::schedule::{Next, Schedule};
use super::{ExperimentError, Kind, Plan, Shard, io_at, lock};
use crate::design::Design;
use crate::output::write_atomic;
use crate::scenario::{self, Scenario, ScenarioSource};
use std::cmp::Reverse;
use std::collections::BinaryHeap;
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
        if m.shards != first.shards
            || m.layout != folder::layout(&m.plan)
            || m.layout != first.layout
        {
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
        // The shard's place is checked before its size: `len` and the schedule divide by
        // the shard count and step from shard 1, which a damaged shard.json may not respect.
        let in_range = m.shard != 0 && m.shard <= m.shards;
        let fits = in_range
            && match m.plan.precision {
                None => m.held == shard.len(m.plan_runs),
                Some(_) => m.held <= Schedule::new(&m.plan, shard).most(),
            };
        if !fits {
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
    let points = verify(&shards, plan)?;
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
    let runs = interleave(&shards, &mut |r| sink.accept(r).map_err(io_at(out)))?;
    let expected: u64 = shards.iter().map(|(_, m)| m.held).sum();
    if runs != expected {
        return Err(input(format!(
            "{runs} of the shards' {expected} runs could be read again: a shard changed during the merge"
        )));
    }
    let kind = first.identity.kind;
    let ran = launch::Ran { runs, points };
    let miner_weeks = launch::finish_outputs(
        sink,
        out,
        kind,
        design.as_ref(),
        plan,
        &ran,
        settings.charts,
    )?;
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
        &ran,
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
        runs,
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

/// Hands every shard's records to `take` in plan order (the smallest next index first);
/// returns how many.
fn interleave(
    shards: &[(PathBuf, ShardManifest)],
    take: &mut dyn FnMut(&Record) -> Result<(), ExperimentError>,
) -> Result<u64, ExperimentError> {
    let mut readers = open_readers(shards)?;
    let mut next: BinaryHeap<Reverse<(u64, usize)>> = BinaryHeap::new();
    let mut heads: Vec<Option<Record>> = Vec::with_capacity(readers.len());
    for (k, reader) in readers.iter_mut().enumerate() {
        let path = shards[k].0.join(RECORDS);
        let r = reader.next_record().map_err(io_at(&path))?;
        if let Some(r) = &r {
            next.push(Reverse((r.index, k)));
        }
        heads.push(r);
    }
    let mut runs = 0;
    while let Some(Reverse((_, k))) = next.pop() {
        let Some(r) = heads[k].take() else { break };
        take(&r)?;
        runs += 1;
        let path = shards[k].0.join(RECORDS);
        heads[k] = readers[k].next_record().map_err(io_at(&path))?;
        if let Some(r) = &heads[k] {
            next.push(Reverse((r.index, k)));
        }
    }
    Ok(runs)
}

/// Reads every record once, shard by shard, before anything is written: each must be whole
/// (checksum), the shard's next run in the plan (with precision: as its results decided),
/// of the plan's sizes and finite. Returns, with precision, each point's seeds by point.
fn verify(
    shards: &[(PathBuf, ShardManifest)],
    plan: &Plan,
) -> Result<Vec<PointOutcome>, ExperimentError> {
    let mut readers = open_readers(shards)?;
    let mut sizes = None;
    let mut points = Vec::new();
    for ((dir, m), reader) in shards.iter().zip(&mut readers) {
        let path = dir.join(RECORDS);
        let shard = Shard {
            k: m.shard,
            n: m.shards,
        };
        let mut schedule = Schedule::new(plan, shard);
        let mut held = 0;
        loop {
            let r = reader
                .next_record()
                .map_err(|e| input(format!("{}: {e}", path.display())))?;
            let want = schedule.next_run();
            let damaged = |what: &str| {
                let run = match want {
                    Next::Run(i) => format!("run {i} of the plan"),
                    _ => format!("its run {}", held + 1),
                };
                input(format!(
                    "{}: {run} is {what}; the shard is damaged",
                    path.display()
                ))
            };
            let Some(r) = r else {
                if held == m.held && want == Next::Done {
                    break;
                }
                return Err(damaged("missing or damaged"));
            };
            if held == m.held {
                return Err(input(format!(
                    "{} holds more runs than its manifest says, or a damaged tail",
                    dir.display()
                )));
            }
            let Next::Run(i) = want else {
                return Err(damaged("not one the plan asks for"));
            };
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
            schedule.record(&r);
            held += 1;
        }
        points.extend(schedule.into_outcomes());
    }
    points.sort_by_key(|p| p.point);
    Ok(points)
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
