//! Batch runs: the plan (strategy x replicate at a design point), parallel execution across
//! runs, and delivery of each run's output to a sink in run order.
//!
//! Runs execute in parallel chunks; within a chunk, results are collected in order (indexed
//! parallel iterator) and handed to the sink one by one, so everything downstream (CSV rows,
//! floating-point sums) happens in the same order whatever the thread count. Memory stays
//! bounded by the chunk size, not by the number of runs.

use crate::rng::RunSeed;
use crate::scenario::Scenario;
use crate::sim::{self, RunOutput};
use indicatif::ProgressBar;
use rayon::prelude::*;

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
/// when `stop()` says so (checked between chunks). Returns the miner-weeks simulated.
pub fn execute<E>(
    s: &Scenario,
    specs: &[RunSpec],
    progress: &ProgressBar,
    stop: &dyn Fn() -> bool,
    sink: &mut dyn FnMut(&RunSpec, RunOutput) -> Result<(), E>,
) -> Result<f64, E> {
    let chunk = rayon::current_num_threads().max(1) * 8;
    let mut miner_weeks = 0.0;
    for part in specs.chunks(chunk) {
        if stop() {
            break;
        }
        let outputs: Vec<RunOutput> = part
            .par_iter()
            .map(|spec| {
                let out = sim::run(s, &s.strategies[spec.strategy].strategy, spec.seed);
                progress.inc(1);
                out
            })
            .collect();
        for (spec, out) in part.iter().zip(outputs) {
            miner_weeks += out.metrics.miner_weeks;
            sink(spec, out)?;
        }
    }
    Ok(miner_weeks)
}
