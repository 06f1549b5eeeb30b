//! Running a shard of a plan: runs in parallel chunks (on the current rayon pool), records
//! appended in plan order and synced to disk after every chunk, each record then handed to
//! the sink. On `--resume` the saved records are first read back and handed to the sink
//! exactly as if they had just been run, so the outputs cannot tell the difference.
//!
//! Memory stays flat: one chunk of runs in flight, the prepared design points of that chunk,
//! and whatever the sink keeps (one strategy's replicates for a run; one point and
//! strategy's values for a sweep).

use super::precision::PointOutcome;
use super::record::{Record, RecordReader, RecordWriter};
use super::schedule::{Next, Schedule};
use super::sinks::Sink;
use super::{Evaluation, Evaluator, ExperimentError, Plan, Shard, io_at};
use crate::design::DesignPoint;
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::collections::BTreeMap;
use std::panic::AssertUnwindSafe;
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
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every run of the shard is recorded: `held` runs, and with precision each point's
    /// seeds, in point order.
    Complete {
        held: u64,
        points: Vec<PointOutcome>,
    },
    /// Stopped (Ctrl-C) between chunks: `done` of at most `held` runs are recorded.
    Interrupted { done: u64, held: u64 },
}

/// Runs the job's remaining runs with `ev` at `points` (indexed by point id), handing every
/// record (saved ones first) to `sink` in plan order. `stop` is checked between chunks. A
/// chunk holds the runs known to be needed (with precision, up to the end of a block whose
/// results decide whether its point needs another).
pub fn execute<E: Evaluator>(
    ev: &E,
    points: &[DesignPoint],
    job: &Job,
    sink: &mut Sink,
    progress: &ProgressBar,
    stop: &(dyn Fn() -> bool + Sync),
) -> Result<Outcome, ExperimentError> {
    let mut schedule = Schedule::new(job.plan, job.shard);
    let held = schedule.most();
    let io = io_at(job.records);
    let mut writer = if job.resume {
        let mut reader = RecordReader::open(job.records).map_err(&io)?;
        while let Some(r) = reader.next_record().map_err(&io)? {
            if schedule.next_run() != Next::Run(r.index) {
                return Err(ExperimentError::CannotResume {
                    dir: job.records.to_path_buf(),
                    reason: "its saved runs do not follow this plan".into(),
                });
            }
            schedule.record(&r);
            sink.accept(&r).map_err(&io)?;
        }
        RecordWriter::resume(job.records, reader.valid_len()).map_err(&io)?
    } else {
        RecordWriter::create(job.records).map_err(&io)?
    };
    progress.set_position(schedule.recorded());
    progress.reset_eta();
    let chunk_size = rayon::current_num_threads().max(1) * 8;
    let mut cache: BTreeMap<u32, E::Point> = BTreeMap::new();
    loop {
        let mut chunk: Vec<u64> = Vec::with_capacity(chunk_size);
        while chunk.len() < chunk_size {
            match schedule.next_run() {
                Next::Run(i) => chunk.push(i),
                Next::Wait | Next::Done => break,
            }
        }
        if chunk.is_empty() {
            break;
        }
        if stop() {
            return Ok(Outcome::Interrupted {
                done: schedule.recorded(),
                held,
            });
        }
        let located: Vec<(u64, (u32, u32, u32))> =
            chunk.iter().map(|&i| (i, job.plan.locate(i))).collect();
        cache = prepare_points(ev, points, &located, cache)?;
        let evaluations: Vec<_> = located
            .par_iter()
            .map(|&(_, (point, strategy, replicate))| {
                let e = std::panic::catch_unwind(AssertUnwindSafe(|| {
                    ev.evaluate(&cache[&point], point, strategy as usize, replicate)
                }));
                progress.inc(1);
                e
            })
            .collect();
        for ((index, (point, strategy, replicate)), e) in located.into_iter().zip(evaluations) {
            let at = Place {
                plan: job.plan,
                index,
                point,
                strategy,
                replicate,
            };
            let e = e.map_err(|panic| at.panicked(panic.as_ref()))?;
            at.check_finite(&e)?;
            let detail = job.plan.detail;
            let record = Record {
                index,
                point,
                strategy,
                replicate,
                seed: e.seed,
                values: e.values,
                series: if detail { e.series } else { Vec::new() },
                map: if detail { e.map } else { Vec::new() },
                zones: if detail { e.zones } else { Vec::new() },
            };
            writer.append(&record).map_err(&io)?;
            schedule.record(&record);
            sink.accept(&record).map_err(&io)?;
        }
        writer.sync().map_err(&io)?;
    }
    Ok(Outcome::Complete {
        held: schedule.recorded(),
        points: schedule.into_outcomes(),
    })
}

/// Where a run sits in the plan, to say which run went wrong.
struct Place<'a> {
    plan: &'a Plan,
    index: u64,
    point: u32,
    strategy: u32,
    replicate: u32,
}

impl Place<'_> {
    fn describe(&self) -> String {
        let name = self
            .plan
            .strategies
            .get(self.strategy as usize)
            .map_or("?", String::as_str);
        format!(
            "run {} of the plan (point {}, strategy {name}, replicate {})",
            self.index, self.point, self.replicate
        )
    }

    /// A run that panicked: a bug, since the scenario passed validation. The runs before it
    /// are saved, so `--resume` continues after a fix.
    fn panicked(&self, panic: &(dyn std::any::Any + Send)) -> ExperimentError {
        let what = panic
            .downcast_ref::<&str>()
            .map(|s| s.to_string())
            .or_else(|| panic.downcast_ref::<String>().cloned())
            .unwrap_or_else(|| "no message".into());
        ExperimentError::Internal(format!(
            "internal error: {} stopped with a panic ({what}). This is a bug in cohabit, not in your input: please report it with the scenario.toml of the output folder and this command. The runs before it are saved.",
            self.describe()
        ))
    }

    /// Refuses a run with an infinite or NaN output: nothing non-finite reaches a file.
    fn check_finite(&self, e: &Evaluation) -> Result<(), ExperimentError> {
        let bad_value = e.values.iter().position(|v| !v.is_finite());
        let bad_float = e.series.iter().chain(&e.map).any(|v| !v.is_finite());
        if bad_value.is_none() && !bad_float {
            return Ok(());
        }
        let what = match bad_value {
            Some(k) => format!("`{}`", self.plan.outputs.get(k).map_or("?", String::as_str)),
            None => "a timeseries or map value".to_string(),
        };
        Err(ExperimentError::Internal(format!(
            "internal error: {} gave a non-finite {what} (infinite or not a number), so nothing of it was written. The scenario passed validation, so this is a bug in cohabit: please report it with the scenario.toml of the output folder and this command.",
            self.describe()
        )))
    }
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
