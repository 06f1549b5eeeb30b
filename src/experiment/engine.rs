//! Running a shard of a plan: runs in parallel (on the current rayon pool, a window of runs
//! ahead of the sink, see `batch::in_order`), records appended in plan order and synced to
//! disk every window's worth of runs, each record then handed to the sink. On `--resume` the saved records are first read back and handed to the sink
//! exactly as if they had just been run, so the outputs cannot tell the difference.
//!
//! Memory stays flat: one window of runs in flight, the prepared design points they need,
//! and whatever the sink keeps (one strategy's replicates for a run; one point and
//! strategy's values for a sweep).

use super::record::{Record, RecordReader, RecordWriter};
use super::sinks::Sink;
use super::{Evaluation, Evaluator, ExperimentError, Plan, Shard, io_at};
use crate::design::DesignPoint;
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::panic::AssertUnwindSafe;
use std::path::Path;
use std::sync::Arc;

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
    /// Stopped (Ctrl-C): no run started after the stop; `done` of `held` runs are recorded.
    Interrupted { done: u64, held: u64 },
}

/// Runs the job's remaining runs with `ev` at `points` (indexed by point id), handing every
/// record (saved ones first) to `sink` in plan order. `stop` is checked before each run
/// starts; runs already started finish and are recorded.
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
    // Runs go through `batch::in_order`: a window of runs at work ahead of the one the sink
    // waits for, no barrier between groups of runs, records written in plan order while the
    // next runs compute. Points are prepared as their first run is scheduled (plan order is
    // point-major, so one prepared point is held at a time besides those in flight).
    let window = crate::batch::window();
    let mut point: Option<(u32, Arc<E::Point>)> = None;
    let mut interrupted = false;
    let mut unsynced = 0;
    crate::batch::in_order::<_, _, ExperimentError>(
        (held - done) as usize,
        window,
        &mut |_| {
            if stop() {
                interrupted = true;
                return Ok(None);
            }
            let Some(index) = expected.next() else {
                return Ok(None);
            };
            let at = job.plan.locate(index);
            let prepared = match &point {
                Some((id, prepared)) if *id == at.0 => prepared.clone(),
                _ => {
                    let prepared = ev.prepare(&points[at.0 as usize]).map_err(|message| {
                        ExperimentError::BadPoint {
                            id: at.0 as usize,
                            message,
                        }
                    })?;
                    let prepared = Arc::new(prepared);
                    point = Some((at.0, prepared.clone()));
                    prepared
                }
            };
            Ok(Some((index, at, prepared)))
        },
        &|(index, (point, strategy, replicate), prepared)| {
            let e = std::panic::catch_unwind(AssertUnwindSafe(|| {
                ev.evaluate(&prepared, point, strategy as usize, replicate)
            }));
            progress.inc(1);
            (index, (point, strategy, replicate), e)
        },
        &mut |_, (index, (point, strategy, replicate), e)| {
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
            sink.accept(&record).map_err(&io)?;
            done += 1;
            // Synced as often as the chunks of old: a window's worth of runs at a time.
            unsynced += 1;
            if unsynced == window {
                writer.sync().map_err(&io)?;
                unsynced = 0;
            }
            Ok(())
        },
    )?;
    writer.sync().map_err(&io)?;
    if interrupted {
        return Ok(Outcome::Interrupted { done, held });
    }
    Ok(Outcome::Complete { held })
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
