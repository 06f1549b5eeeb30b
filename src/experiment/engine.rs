//! Running a shard of a plan: runs in parallel chunks (on the current rayon pool), records
//! appended in plan order and synced to disk after every chunk, each record then handed to
//! the sink. On `--resume` the saved records are first read back and handed to the sink
//! exactly as if they had just been run, so the outputs cannot tell the difference.
//!
//! Memory stays flat: one chunk of runs in flight, the prepared design points of that chunk,
//! and whatever the sink keeps (one strategy's replicates for a run; one point and
//! strategy's values for a sweep).

use super::record::{Record, RecordReader, RecordWriter};
use super::sinks::Sink;
use super::{Evaluator, ExperimentError, Plan, Shard, io_at};
use crate::design::DesignPoint;
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::path::Path;

/// What to run and where its records go.
pub struct Job<'a> {
    pub plan: &'a Plan,
    pub shard: Shard,
    /// The records file (in the state folder).
    pub records: &'a Path,
    /// Continue the saved records instead of starting a new file.
    pub resume: bool,
}

/// How a shard's execution ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    /// Every run of the shard is recorded.
    Complete { held: u64 },
    /// Stopped (Ctrl-C) between chunks: `done` of `held` runs are recorded.
    Interrupted { done: u64, held: u64 },
}

/// Runs the job's remaining runs with `ev` at `points` (indexed by point id), handing every
/// record (saved ones first) to `sink` in plan order. `stop` is checked between chunks.
pub fn execute<E: Evaluator>(
    ev: &E,
    points: &[DesignPoint],
    job: &Job,
    sink: &mut Sink,
    progress: &ProgressBar,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Outcome, ExperimentError> {
    let total = job.plan.total();
    let held = job.shard.len(total);
    let mut expected = job.shard.indices(total);
    let io = io_at(job.records);
    let mut done = 0u64;
    let mut writer = if job.resume {
        let mut reader = RecordReader::open(job.records).map_err(&io)?;
        while let Some(r) = reader.next_record().map_err(&io)? {
            if Some(r.index) != expected.next() {
                return Err(ExperimentError::CannotResume {
                    dir: job.records.to_path_buf(),
                    reason: "its saved runs do not follow this plan".into(),
                });
            }
            sink.accept(&r).map_err(&io)?;
            done += 1;
        }
        RecordWriter::resume(job.records, reader.valid_len()).map_err(&io)?
    } else {
        RecordWriter::create(job.records).map_err(&io)?
    };
    progress.set_position(done);
    progress.reset_eta();
    let chunk_size = rayon::current_num_threads().max(1) * 8;
    let mut cache: BTreeMap<u32, E::Point> = BTreeMap::new();
    loop {
        let chunk: Vec<u64> = expected.by_ref().take(chunk_size).collect();
        if chunk.is_empty() {
            break;
        }
        if stop() {
            return Ok(Outcome::Interrupted { done, held });
        }
        let located: Vec<(u64, (u32, u32, u32))> =
            chunk.iter().map(|&i| (i, job.plan.locate(i))).collect();
        cache = prepare_points(ev, points, &located, cache)?;
        let evaluations: Vec<_> = located
            .par_iter()
            .map(|&(_, (point, strategy, replicate))| {
                let e = ev.evaluate(&cache[&point], point, strategy as usize, replicate);
                progress.inc(1);
                e
            })
            .collect();
        for ((index, (point, strategy, replicate)), e) in located.into_iter().zip(evaluations) {
            let record = Record {
                index,
                point,
                strategy,
                replicate,
                seed: e.seed,
                values: e.values,
                series: e.series,
                map: e.map,
                zones: e.zones,
            };
            writer.append(&record).map_err(&io)?;
            sink.accept(&record).map_err(&io)?;
            done += 1;
        }
        writer.sync().map_err(&io)?;
    }
    Ok(Outcome::Complete { held })
}

/// The prepared points a chunk needs, reusing those of the previous chunk.
fn prepare_points<E: Evaluator>(
    ev: &E,
    points: &[DesignPoint],
    located: &[(u64, (u32, u32, u32))],
    mut old: BTreeMap<u32, E::Point>,
) -> Result<BTreeMap<u32, E::Point>, ExperimentError> {
    let mut wanted: Vec<u32> = located.iter().map(|&(_, (p, _, _))| p).collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut ready = BTreeMap::new();
    let mut missing = Vec::new();
    for p in wanted {
        match old.remove(&p) {
            Some(prepared) => {
                ready.insert(p, prepared);
            }
            None => missing.push(p),
        }
    }
    let fresh: Vec<(u32, Result<E::Point, String>)> = missing
        .par_iter()
        .map(|&p| (p, ev.prepare(&points[p as usize])))
        .collect();
    for (p, prepared) in fresh {
        let prepared = prepared.map_err(|message| ExperimentError::BadPoint {
            id: p as usize,
            message,
        })?;
        ready.insert(p, prepared);
    }
    Ok(ready)
}

/// Prepares every point once, in parallel, and reports the first refused one, so that a bad
/// design fails before anything runs. Prepared points are dropped (memory stays flat).
pub fn check_points<E: Evaluator>(ev: &E, points: &[DesignPoint]) -> Result<(), ExperimentError> {
    let first_bad = points
        .par_iter()
        .map(|p| ev.prepare(p).err().map(|m| (p.id, m)))
        .find_first(|bad| bad.is_some())
        .flatten();
    match first_bad {
        Some((id, message)) => Err(ExperimentError::BadPoint { id, message }),
        None => Ok(()),
    }
}
