//! Batch runs: the plan (strategy x replicate at a design point), parallel execution across
//! runs, and delivery of each run's output to a sink in run order.
//!
//! Runs execute in parallel through [`in_order`]: a window of runs ahead of the one the sink
//! waits for is always at work, and results are handed to the sink one by one in run order,
//! so everything downstream (CSV rows, floating-point sums) happens in the same order
//! whatever the thread count. There is no barrier between groups of runs (a thread that
//! finishes early starts the next run at once), and the sink's serial work overlaps the
//! runs. Memory stays bounded by the window, not by the number of runs.

use crate::rng::RunSeed;
use crate::scenario::Scenario;
use crate::sim::{self, RunOutput};
use indicatif::ProgressBar;
use std::collections::BTreeMap;
use std::panic::{self, AssertUnwindSafe};
use std::sync::{Condvar, Mutex, PoisonError};
use std::time::Duration;

/// One run of the plan.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RunSpec {
    /// Position in the plan (run order).
    pub index: usize,
    /// Index into the scenario's strategies.
    pub strategy: usize,
    pub replicate: u32,
    pub seed: RunSeed,
}

/// Every run of a scenario at a design point, strategy-major: all replicates of the first
/// strategy, then the next. Replicate r of every strategy has the same seed (common random
/// numbers), derived from the master seed, the point and r, never from the strategy.
pub fn plan(s: &Scenario, point: u64) -> Vec<RunSpec> {
    let seeds = s.seeds;
    (0..s.strategies.len())
        .flat_map(|strategy| (0..seeds).map(move |replicate| (strategy, replicate)))
        .enumerate()
        .map(|(index, (strategy, replicate))| RunSpec {
            index,
            strategy,
            replicate,
            seed: RunSeed::new(s.master_seed, point, u64::from(replicate)),
        })
        .collect()
}

/// Run the given specs (in parallel, on the current rayon pool) and hand each output to
/// `sink` in the order of `specs`. Stops early, with the sink's error, if the sink fails, or
/// when `stop()` says so (checked before each run starts). Returns the miner-weeks simulated.
pub fn execute<E>(
    s: &Scenario,
    specs: &[RunSpec],
    progress: &ProgressBar,
    stop: &dyn Fn() -> bool,
    sink: &mut dyn FnMut(&RunSpec, RunOutput) -> Result<(), E>,
) -> Result<f64, E> {
    let mut miner_weeks = 0.0;
    in_order(
        specs.len(),
        window(),
        &mut |k| Ok(if stop() { Feed::Done } else { Feed::Item(k) }),
        &|k| {
            let spec = &specs[k];
            let out = sim::run(s, &s.strategies[spec.strategy].strategy, spec.seed);
            progress.inc(1);
            out
        },
        &mut |k, out| {
            miner_weeks += out.metrics.miner_weeks;
            sink(&specs[k], out)
        },
    )?;
    Ok(miner_weeks)
}

/// Runs in flight or waiting for the sink, at most: eight per thread of the current pool.
pub fn window() -> usize {
    rayon::current_num_threads().max(1) * 8
}

/// What `next` gives [`in_order`] for item k.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Feed<I> {
    /// Item k's input: schedule it.
    Item(I),
    /// Nothing yet: ask again for item k once another result has been consumed (a decision
    /// waits for results, e.g. whether a point needs another block of seeds).
    Wait,
    /// Schedule no more.
    Done,
}

/// Work items 0..`count` on the current rayon pool, handed to `consume` in item order on
/// the calling thread. `next(k)` gives item k's input ([`Feed`]), at most `window` items
/// ahead of the next one to consume; `work` runs on any thread of the pool. The calling
/// thread consumes each result as soon as it and all before it are done, and works on
/// pending items while it waits, so no thread idles while work remains.
///
/// After `next` says done or fails, or `consume` fails, nothing more is scheduled; the items
/// already scheduled finish, and (unless `consume` failed) are consumed in order. A `Wait`
/// with nothing left in flight ends the run too (nothing could change the answer). Returns
/// how many items were consumed, or the first error. A panic in `work` is raised again on
/// the calling thread.
pub fn in_order<I: Send, T: Send, E>(
    count: usize,
    window: usize,
    next: &mut dyn FnMut(usize) -> Result<Feed<I>, E>,
    work: &(dyn Fn(I) -> T + Sync),
    consume: &mut dyn FnMut(usize, T) -> Result<(), E>,
) -> Result<usize, E> {
    let finished: Mutex<BTreeMap<usize, std::thread::Result<T>>> = Mutex::new(BTreeMap::new());
    let ready = Condvar::new();
    let lock = || finished.lock().unwrap_or_else(PoisonError::into_inner);
    rayon::in_place_scope_fifo(|scope| {
        let (mut scheduled, mut consumed) = (0, 0);
        let mut outcome = Ok(());
        let mut open = true;
        loop {
            while open && scheduled < count && scheduled < consumed + window.max(1) {
                match next(scheduled) {
                    Ok(Feed::Item(input)) => {
                        let (k, finished, ready) = (scheduled, &finished, &ready);
                        scope.spawn_fifo(move |_| {
                            let out = panic::catch_unwind(AssertUnwindSafe(|| work(input)));
                            let mut done = finished.lock().unwrap_or_else(PoisonError::into_inner);
                            done.insert(k, out);
                            ready.notify_one();
                        });
                        scheduled += 1;
                    }
                    // Asked again after the next result is consumed.
                    Ok(Feed::Wait) => break,
                    Ok(Feed::Done) => open = false,
                    Err(e) => (outcome, open) = (Err(e), false),
                }
            }
            if consumed == scheduled {
                return outcome.map(|()| consumed);
            }
            let taken = lock().remove(&consumed);
            match taken {
                Some(Ok(out)) => {
                    if outcome.is_ok()
                        && let Err(e) = consume(consumed, out)
                    {
                        (outcome, open) = (Err(e), false);
                    }
                    consumed += 1;
                }
                Some(Err(panic)) => panic::resume_unwind(panic),
                // Not done yet: run a pending item meanwhile, or sleep until one finishes
                // (the timeout only guards against a missed wake-up).
                None => {
                    if rayon::yield_now() != Some(rayon::Yield::Executed) {
                        let done = lock();
                        if !done.contains_key(&consumed) {
                            let _ = ready.wait_timeout(done, Duration::from_millis(50));
                        }
                    }
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::{Feed, in_order};
    use std::sync::atomic::{AtomicUsize, Ordering::Relaxed};

    /// Items whose input must wait for the result before them: each is scheduled only once
    /// its predecessor is consumed, and all come out in order.
    #[test]
    fn a_wait_resumes_after_the_next_result() {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(2)
            .build()
            .unwrap();
        let mut seen = Vec::new();
        let consumed = AtomicUsize::new(0);
        let mut waits = 0;
        let n = pool.install(|| {
            in_order::<usize, usize, ()>(
                20,
                8,
                &mut |k| {
                    // Every fourth item waits for all before it (a block's decision).
                    if k % 4 == 0 && consumed.load(Relaxed) < k {
                        waits += 1;
                        return Ok(Feed::Wait);
                    }
                    Ok(Feed::Item(k))
                },
                &|k| k * 10,
                &mut |k, out| {
                    seen.push((k, out));
                    consumed.fetch_add(1, Relaxed);
                    Ok(())
                },
            )
        });
        assert_eq!(n, Ok(20));
        assert_eq!(seen, (0..20).map(|k| (k, k * 10)).collect::<Vec<_>>());
        assert!(waits > 0, "the waits were exercised");
    }

    /// A wait with nothing in flight cannot end: the items consumed so far are returned.
    #[test]
    fn a_wait_with_nothing_in_flight_ends() {
        let n = in_order::<usize, usize, ()>(
            10,
            4,
            &mut |k| Ok(if k < 3 { Feed::Item(k) } else { Feed::Wait }),
            &|k| k,
            &mut |_, _| Ok(()),
        );
        assert_eq!(n, Ok(3));
    }

    /// Done stops scheduling; what was scheduled is still consumed in order.
    #[test]
    fn done_stops_scheduling() {
        let mut seen = Vec::new();
        let n = in_order::<usize, usize, ()>(
            10,
            4,
            &mut |k| Ok(if k < 5 { Feed::Item(k) } else { Feed::Done }),
            &|k| k,
            &mut |k, _| {
                seen.push(k);
                Ok(())
            },
        );
        assert_eq!(n, Ok(5));
        assert_eq!(seen, vec![0, 1, 2, 3, 4]);
    }
}
