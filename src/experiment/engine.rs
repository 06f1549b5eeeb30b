//! Running a shard of a plan: runs in parallel on the current rayon pool through
//! [`batch::in_order`] (a window of runs ahead of the record being written, no barrier
//! between groups of runs), records appended in plan order and synced to disk every window,
//! each record then handed to the sink. On `--resume` the saved records are first read back
//! and handed to the sink exactly as if they had just been run, so the outputs cannot tell
//! the difference.
//!
//! Memory stays flat: one window of runs in flight, the prepared design point they run at,
//! and whatever the sink keeps (one strategy's replicates for a run; one point and
//! strategy's values for a sweep).

use super::precision::PointOutcome;
use super::record::{Record, RecordReader, RecordWriter};
use super::schedule::{Next, Schedule};
use super::sinks::Sink;
use super::{Evaluation, Evaluator, ExperimentError, Plan, Shard, io_at};
use crate::batch::{self, Feed};
use crate::design::DesignPoint;
use indicatif::ProgressBar;
use rayon::prelude::*;
use std::cell::RefCell;
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
#[derive(Debug, Clone, PartialEq)]
pub enum Outcome {
    /// Every run of the shard is recorded: `held` runs, and with precision each point's
    /// seeds, in point order.
    Complete {
        held: u64,
        points: Vec<PointOutcome>,
    },
    /// Stopped (Ctrl-C): no run started after the stop; those under way finished and were
    /// recorded: `done` of at most `held` runs.
    Interrupted { done: u64, held: u64 },
}

/// Runs the job's remaining runs with `ev` at `points` (indexed by point id), handing every
/// record (saved ones first) to `sink` in plan order. `stop` is checked before each run
/// starts. Runs start as soon as they are known to be needed (with precision, a point's next
/// block waits for the results of the one before).
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
    progress.set_length(schedule.most_now());
    progress.set_position(schedule.recorded());
    progress.reset_eta();
    let schedule = RefCell::new(schedule);
    let mut prepared: Option<(u32, Arc<E::Point>)> = None;
    let mut interrupted = false;
    let window = batch::window();
    let mut unsynced = 0;
    // Runs go to the pool as the schedule hands them out, a window ahead of the record being
    // written; records are written, synced every window, and handed to the sink in plan
    // order on this thread while the pool keeps running (no barrier between groups of runs).
    batch::in_order::<_, _, ExperimentError>(
        usize::MAX,
        window,
        &mut |_| {
            if stop() {
                interrupted = true;
                return Ok(Feed::Done);
            }
            let index = match schedule.borrow_mut().next_run() {
                Next::Run(i) => i,
                Next::Wait => return Ok(Feed::Wait),
                Next::Done => return Ok(Feed::Done),
            };
            let (point, strategy, replicate) = job.plan.locate(index);
            let ready = match &prepared {
                Some((p, ready)) if *p == point => Arc::clone(ready),
                _ => {
                    let ready = Arc::new(prepare(ev, points, point)?);
                    prepared = Some((point, Arc::clone(&ready)));
                    ready
                }
            };
            Ok(Feed::Item(Place {
                plan: job.plan,
                index,
                point,
                strategy,
                replicate,
                ready,
            }))
        },
        &|at: Place<E::Point>| {
            let e = std::panic::catch_unwind(AssertUnwindSafe(|| {
                ev.evaluate(&at.ready, at.point, at.strategy as usize, at.replicate)
            }));
            progress.inc(1);
            (at, e)
        },
        &mut |_, (at, e)| {
            let e = e.map_err(|panic| at.panicked(panic.as_ref()))?;
            at.check_finite(&e)?;
            let detail = job.plan.detail;
            let record = Record {
                index: at.index,
                point: at.point,
                strategy: at.strategy,
                replicate: at.replicate,
                seed: e.seed,
                values: e.values,
                series: if detail { e.series } else { Vec::new() },
                map: if detail { e.map } else { Vec::new() },
                zones: if detail { e.zones } else { Vec::new() },
            };
            writer.append(&record).map_err(&io)?;
            let mut s = schedule.borrow_mut();
            s.record(&record);
            // Seeds chosen by precision: a point decided early shrinks the total.
            progress.set_length(s.most_now());
            drop(s);
            sink.accept(&record).map_err(&io)?;
            unsynced += 1;
            if unsynced == window {
                writer.sync().map_err(&io)?;
                unsynced = 0;
            }
            Ok(())
        },
    )?;
    writer.sync().map_err(&io)?;
    let mut schedule = schedule.into_inner();
    if interrupted && schedule.next_run() != Next::Done {
        return Ok(Outcome::Interrupted {
            done: schedule.recorded(),
            held,
        });
    }
    Ok(Outcome::Complete {
        held: schedule.recorded(),
        points: schedule.into_outcomes(),
    })
}

/// A run handed to the pool: where it sits in the plan (to say which run went wrong) and
/// its prepared design point.
struct Place<'a, P> {
    plan: &'a Plan,
    index: u64,
    point: u32,
    strategy: u32,
    replicate: u32,
    ready: Arc<P>,
}

impl<P> Place<'_, P> {
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

/// Point `p` made ready to run (a point refused here was already reported by
/// [`check_points`], so this is a safeguard).
fn prepare<E: Evaluator>(
    ev: &E,
    points: &[DesignPoint],
    p: u32,
) -> Result<E::Point, ExperimentError> {
    ev.prepare(&points[p as usize])
        .map_err(|message| ExperimentError::BadPoint {
            id: p as usize,
            message,
        })
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
