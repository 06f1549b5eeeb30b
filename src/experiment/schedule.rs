//! Which runs of a plan a shard runs, in plan order, and when: the engine asks for the next
//! run, hands back each record, and runs whatever is known to be needed in parallel.
//!
//! Without precision every run is needed: shard K/N runs plan indices i with i % N = K - 1
//! (strided, see [`super::shard`]). With seeds chosen by precision a point's seed count
//! depends on its own results, so a shard holds whole points (point p in shard p % N + 1)
//! and runs each block of a point only once the blocks before it are recorded and
//! [`super::precision`]'s rule asked for more: between blocks the schedule says
//! [`Next::Wait`]. The decision reads only records, so a resume (records read back) and a
//! merge (shards' records read again) retrace it exactly.

use super::precision::{PointOutcome, Tracker};
use super::record::Record;
use super::{Plan, Shard};

/// What to run next.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Next {
    /// The run at this plan index.
    Run(u64),
    /// Nothing until the runs handed out are recorded (a block awaits its decision).
    Wait,
    /// The shard's runs are all handed out.
    Done,
}

/// The runs of one shard of a plan, handed out in plan order.
pub struct Schedule<'a> {
    plan: &'a Plan,
    shard: Shard,
    mode: Mode,
    /// Records taken so far.
    recorded: u64,
}

enum Mode {
    /// Every run: the next index of the strided slice.
    Fixed { next: u64, total: u64 },
    /// Blocks of seeds until the precision is reached.
    Adaptive(Box<Adaptive>),
}

struct Adaptive {
    /// The current point (`None`: no point left).
    point: Option<u32>,
    block: u32,
    /// Runs of the block handed out, and recorded.
    issued: u64,
    received: u64,
    tracker: Tracker,
    outcomes: Vec<PointOutcome>,
}

impl<'a> Schedule<'a> {
    /// The schedule of `shard` of `plan`, nothing run yet.
    pub fn new(plan: &'a Plan, shard: Shard) -> Schedule<'a> {
        let mode = match &plan.precision {
            None => Mode::Fixed {
                next: u64::from(shard.k - 1),
                total: plan.total(),
            },
            Some(p) => {
                let first = shard.k - 1;
                Mode::Adaptive(Box::new(Adaptive {
                    point: (first < plan.points).then_some(first),
                    block: 0,
                    issued: 0,
                    received: 0,
                    tracker: Tracker::new(p, &plan.outputs, plan.strategies.len()),
                    outcomes: Vec::new(),
                }))
            }
        };
        Schedule {
            plan,
            shard,
            mode,
            recorded: 0,
        }
    }

    /// The most runs the shard can hold (all of them without precision).
    pub fn most(&self) -> u64 {
        match self.plan.precision {
            None => self.shard.len(self.plan.total()),
            Some(_) => {
                let points = self.shard.len(u64::from(self.plan.points));
                points * self.plan.strategies.len() as u64 * u64::from(self.plan.replicates)
            }
        }
    }

    /// The most runs the shard can still come to: with precision, the seeds each decided
    /// point took plus every seed of the points not yet decided; shrinks as points are
    /// decided early (the progress bar's total). Without precision, all runs.
    pub fn most_now(&self) -> u64 {
        let Mode::Adaptive(a) = &self.mode else {
            return self.most();
        };
        let strategies = self.plan.strategies.len() as u64;
        let per_point = strategies * u64::from(self.plan.replicates);
        let decided: u64 = a.outcomes.iter().map(|o| u64::from(o.seeds)).sum();
        self.most() - a.outcomes.len() as u64 * per_point + decided * strategies
    }

    /// Records taken so far.
    pub fn recorded(&self) -> u64 {
        self.recorded
    }

    /// The next run to hand out.
    pub fn next_run(&mut self) -> Next {
        let plan = self.plan;
        match &mut self.mode {
            Mode::Fixed { next, total } => {
                if *next >= *total {
                    return Next::Done;
                }
                let i = *next;
                *next += u64::from(self.shard.n);
                Next::Run(i)
            }
            Mode::Adaptive(a) => {
                let Some(point) = a.point else {
                    return Next::Done;
                };
                if a.issued < block_runs(plan, a.block) {
                    let i = plan.index(point, a.block, a.issued);
                    a.issued += 1;
                    Next::Run(i)
                } else {
                    Next::Wait
                }
            }
        }
    }

    /// Takes the record of a run handed out (in the order handed out); at the end of a
    /// block, decides whether its point needs another.
    pub fn record(&mut self, r: &Record) {
        self.recorded += 1;
        let plan = self.plan;
        let Mode::Adaptive(a) = &mut self.mode else {
            return;
        };
        let (Some(point), Some(precision)) = (a.point, &plan.precision) else {
            return;
        };
        a.tracker.push(r.strategy as usize, &r.values);
        a.received += 1;
        if a.received < block_runs(plan, a.block) {
            return;
        }
        let (met, widest) = a.tracker.assess(precision, &plan.strategies);
        let seeds = a.block * plan.block() + plan.block_width(a.block);
        a.issued = 0;
        a.received = 0;
        if !met && a.block + 1 < plan.blocks() {
            a.block += 1;
            return;
        }
        a.outcomes.push(PointOutcome {
            point,
            seeds,
            met,
            widest,
        });
        let next = u64::from(point) + u64::from(self.shard.n);
        a.point = (next < u64::from(plan.points)).then_some(next as u32);
        a.block = 0;
        a.tracker = Tracker::new(precision, &plan.outputs, plan.strategies.len());
    }

    /// The points decided so far (with precision), in point order.
    pub fn outcomes(&self) -> &[PointOutcome] {
        match &self.mode {
            Mode::Adaptive(a) => &a.outcomes,
            Mode::Fixed { .. } => &[],
        }
    }

    /// The decided points, taken out.
    pub fn into_outcomes(self) -> Vec<PointOutcome> {
        match self.mode {
            Mode::Adaptive(a) => a.outcomes,
            Mode::Fixed { .. } => Vec::new(),
        }
    }
}

/// Runs in block `b` of a point: every strategy over the block's replicates.
fn block_runs(plan: &Plan, b: u32) -> u64 {
    plan.strategies.len() as u64 * u64::from(plan.block_width(b))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::experiment::precision::{Precision, Target};
    use crate::rng::RunSeed;

    fn plan(target: f64) -> Plan {
        Plan {
            points: 3,
            strategies: vec!["a".into(), "b".into()],
            replicates: 7,
            outputs: vec!["x".into()],
            detail: false,
            precision: Some(Precision {
                targets: vec![Target {
                    metric: "x".into(),
                    value: target,
                    relative: false,
                }],
                block: 3,
                max_seeds: 7,
            }),
        }
    }

    /// Runs a shard to the end with a made-up evaluator; returns the indices run.
    fn drive(plan: &Plan, shard: Shard) -> (Vec<u64>, Vec<PointOutcome>) {
        let mut s = Schedule::new(plan, shard);
        let mut ran = Vec::new();
        let mut most = s.most_now();
        assert_eq!(most, s.most());
        loop {
            let mut chunk = Vec::new();
            while let Next::Run(i) = s.next_run() {
                chunk.push(i);
            }
            if chunk.is_empty() {
                assert_eq!(s.next_run(), Next::Done);
                break;
            }
            for i in chunk {
                let (point, strategy, replicate) = plan.locate(i);
                // Strategy b is a's value plus noise that grows with the point.
                let noise = f64::from(point) * if replicate % 2 == 0 { 1.0 } else { -1.0 };
                let x = f64::from(replicate) + f64::from(strategy) * noise;
                s.record(&Record {
                    index: i,
                    point,
                    strategy,
                    replicate,
                    seed: RunSeed(0),
                    values: vec![x],
                    series: Vec::new(),
                    map: Vec::new(),
                    zones: Vec::new(),
                });
                ran.push(i);
                // The bound only shrinks, and never below what is recorded.
                let now = s.most_now();
                assert!(s.recorded() <= now && now <= most, "{now} after {most}");
                most = now;
            }
        }
        assert_eq!(
            s.most_now(),
            s.recorded(),
            "exact once every point is decided"
        );
        (ran, s.into_outcomes())
    }

    #[test]
    fn blocks_locate_back_to_their_replicates() {
        let p = plan(1.0);
        let mut seen = Vec::new();
        for i in 0..p.total() {
            seen.push(p.locate(i));
        }
        // Block 0 of point 0: a0 a1 a2 b0 b1 b2; block 2 is cut to one replicate.
        assert_eq!(
            &seen[..6],
            &[
                (0, 0, 0),
                (0, 0, 1),
                (0, 0, 2),
                (0, 1, 0),
                (0, 1, 1),
                (0, 1, 2)
            ]
        );
        assert_eq!(&seen[12..14], &[(0, 0, 6), (0, 1, 6)]);
        assert_eq!(seen[14], (1, 0, 0));
        for (i, &(point, strategy, replicate)) in seen.iter().enumerate() {
            let b = replicate / 3;
            let k = u64::from(strategy * p.block_width(b) + replicate % 3);
            assert_eq!(p.index(point, b, k), i as u64);
        }
    }

    #[test]
    fn each_point_runs_the_blocks_its_results_ask_for() {
        let p = plan(1.0);
        let (ran, outcomes) = drive(&p, Shard::WHOLE);
        // Point 0: no noise, met at once; point 1: half-width 1.x > 1 ... up to the most.
        let seeds: Vec<(u32, bool)> = outcomes.iter().map(|o| (o.seeds, o.met)).collect();
        assert_eq!(seeds[0], (3, true));
        assert_eq!(seeds[2], (7, false));
        assert!(ran.windows(2).all(|w| w[0] < w[1]), "plan order");
        let total: u64 = outcomes.iter().map(|o| 2 * u64::from(o.seeds)).sum();
        assert_eq!(ran.len() as u64, total);
    }

    #[test]
    fn shards_by_point_retrace_the_whole() {
        let p = plan(1.0);
        let (whole, all) = drive(&p, Shard::WHOLE);
        let mut merged = Vec::new();
        let mut outcomes = Vec::new();
        for k in 1..=2 {
            let (ran, o) = drive(&p, Shard { k, n: 2 });
            merged.extend(ran);
            outcomes.extend(o);
        }
        merged.sort_unstable();
        outcomes.sort_by_key(|o| o.point);
        assert_eq!(merged, whole);
        assert_eq!(outcomes, all);
    }
}
