//! Seeds chosen by precision (`--precision METRIC:TARGET`): what the targets are, and the
//! rule that says, from a point's results so far, whether its comparisons are precise
//! enough or need another block of seeds.
//!
//! The rule compares every pair of strategies at a point on each named metric. Strategies
//! share each replicate's random future (common random numbers), so replicate r of one is
//! paired with replicate r of the other: the 95% t-interval of the mean paired difference
//! (as `summary.csv` gives a mean, on the differences) has a half-width, and the point is
//! precise enough when, for every target and every pair, that half-width is within the
//! target. A plain number is a half-width in the metric's own unit; a percentage is relative
//! to the larger absolute mean of the two strategies compared (a difference known to within
//! 5% of the bigger of the two quantities it separates; it stays meaningful when one
//! strategy drives a metric to zero, where the mean of the two would halve the scale).
//!
//! Seeds come in fixed blocks: the first is the scenario's `seeds` (or `--seeds`), each
//! further block the same size, the last one cut at `--max-seeds`. Replicate indices
//! continue from block to block, so block k runs the replicates `--seeds` would have run.
//! The decision reads only the results (canonical values, as runs.csv holds them), never
//! the time taken, so it is the same whatever the threads, shards or interruptions.
//! [`super::schedule`] applies it while a plan runs; the manifest records each point's
//! [`PointOutcome`].

use crate::stats::{canonical, paired_half_width};
use serde::{Deserialize, Serialize};

/// Blocks the default `--max-seeds` allows: ten times the first block, so the widest
/// half-width can shrink about threefold (it falls as one over the square root of seeds).
pub const DEFAULT_BLOCKS: u32 = 10;
/// Most seeds a point may run (the range of the scenario key `seeds`).
pub const MAX_SEEDS: u32 = 1_000_000;

/// One `METRIC:TARGET`: the half-width every paired difference of `metric` must reach.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Target {
    /// A run metric (an output of the experiment).
    pub metric: String,
    /// The most half-width allowed: in the metric's unit, or a percentage if `relative`.
    pub value: f64,
    /// `value` is a percentage of the larger absolute mean of the two strategies compared.
    pub relative: bool,
}

impl Target {
    /// Reads `METRIC:TARGET` (`npv_cost_usd:5%`, `fatalities:0.5`) against the run metrics.
    pub fn parse(text: &str, outputs: &[String]) -> Result<Target, String> {
        let shown = crate::output::safe::brief(text);
        let form = "expected METRIC:TARGET, e.g. npv_cost_usd:5% (half-width within 5% of the larger of the two means compared) or fatalities:0.5 (half-width in the metric's own unit)";
        let (metric, value) = text
            .split_once(':')
            .ok_or_else(|| format!("--precision {shown}: {form}"))?;
        let metric = metric.trim();
        if !outputs.iter().any(|o| o == metric) {
            return Err(format!(
                "--precision {shown}: unknown metric `{}`; expected one of the run metrics: {}",
                crate::output::safe::brief(metric),
                outputs.join(", ")
            ));
        }
        let value = value.trim();
        let (number, relative) = match value.strip_suffix('%') {
            Some(n) => (n.trim(), true),
            None => (value, false),
        };
        let x: f64 = number
            .parse()
            .ok()
            .filter(|x: &f64| x.is_finite() && *x > 0.0 && (!relative || *x <= 100.0))
            .ok_or_else(|| {
                format!(
                    "--precision {shown}: the target must be a number above 0 (a half-width in the metric's unit) or a percentage above 0% and at most 100%; {form}"
                )
            })?;
        Ok(Target {
            metric: metric.to_string(),
            value: x,
            relative,
        })
    }

    /// As given: `npv_cost_usd:5%`.
    pub fn describe(&self) -> String {
        let pct = if self.relative { "%" } else { "" };
        format!("{}:{}{pct}", self.metric, self.value)
    }

    /// The most half-width allowed when the strategies compared have means `a` and `b`.
    pub fn limit(&self, a: f64, b: f64) -> f64 {
        if self.relative {
            self.value / 100.0 * a.abs().max(b.abs())
        } else {
            self.value
        }
    }
}

/// The precision asked for: targets, block size and the most seeds a point may run.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Precision {
    pub targets: Vec<Target>,
    /// Seeds per block (the first block is the scenario's seeds).
    pub block: u32,
    /// Most seeds a point may run; the last block is cut there.
    pub max_seeds: u32,
}

impl Precision {
    /// The checked precision of a command: `targets` as given (`METRIC:TARGET` each), blocks
    /// of `block` seeds (the scenario's seeds) up to `max_seeds` (default ten blocks), for
    /// `strategies` strategies. `None` when no target is given.
    pub fn from_args(
        targets: &[String],
        block: u32,
        max_seeds: Option<u32>,
        strategies: usize,
        outputs: &[String],
    ) -> Result<Option<Precision>, String> {
        if targets.is_empty() {
            return match max_seeds {
                Some(_) => Err("--max-seeds is the most seeds --precision may add; give it with --precision METRIC:TARGET (without --precision every point runs --seeds)".into()),
                None => Ok(None),
            };
        }
        let mut parsed: Vec<Target> = Vec::new();
        for t in targets {
            let t = Target::parse(t, outputs)?;
            if parsed.iter().any(|p| p.metric == t.metric) {
                return Err(format!(
                    "--precision: metric `{}` has two targets; give each metric once",
                    t.metric
                ));
            }
            parsed.push(t);
        }
        if strategies < 2 {
            return Err(format!(
                "--precision compares strategies (the paired difference of every pair), so it needs at least two; this command runs {strategies}"
            ));
        }
        if block < 2 {
            return Err(format!(
                "--precision adds seeds in blocks of --seeds ({block} here); a 95% interval needs at least 2 seeds, so give --seeds 2 or more"
            ));
        }
        let max_seeds = max_seeds.unwrap_or(block.saturating_mul(DEFAULT_BLOCKS).min(MAX_SEEDS));
        if max_seeds < block {
            return Err(format!(
                "--max-seeds {max_seeds} is below the first block of {block} seeds (--seeds); expected at least {block}"
            ));
        }
        Ok(Some(Precision {
            targets: parsed,
            block,
            max_seeds,
        }))
    }

    /// In words, for messages and the experiment's identity.
    pub fn describe(&self) -> String {
        let targets: Vec<String> = self.targets.iter().map(Target::describe).collect();
        format!(
            "precision {} in blocks of {} seeds up to {}",
            targets.join(","),
            self.block,
            self.max_seeds
        )
    }
}

/// The binding pair of one target at a point: the pair whose half-width is furthest over
/// (or least within) its limit.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Achieved {
    pub metric: String,
    /// Half-width of the 95% interval of the pair's mean difference, metric's unit.
    pub half_width: f64,
    /// The most half-width the target allows for this pair, metric's unit.
    pub limit: f64,
    /// The two strategies compared.
    pub pair: [String; 2],
}

/// What a point's seeds came to.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PointOutcome {
    /// Design point (0 for a plain run).
    pub point: u32,
    /// Seeds each strategy ran there.
    pub seeds: u32,
    /// Every target reached (otherwise the maximum stopped it).
    pub met: bool,
    /// The binding pair of each target, in the order given.
    pub widest: Vec<Achieved>,
}

/// One point's values of the target metrics so far, per strategy in replicate order.
#[derive(Debug, Clone)]
pub struct Tracker {
    /// Position of each target's metric among the outputs.
    at: Vec<usize>,
    /// `values[target][strategy]`, canonical, replicate order.
    values: Vec<Vec<Vec<f64>>>,
}

impl Tracker {
    /// An empty tracker for `precision`'s targets among `outputs`, over `strategies`.
    pub fn new(precision: &Precision, outputs: &[String], strategies: usize) -> Tracker {
        let at = precision
            .targets
            .iter()
            .map(|t| outputs.iter().position(|o| *o == t.metric).unwrap_or(0))
            .collect::<Vec<_>>();
        Tracker {
            values: vec![vec![Vec::new(); strategies]; at.len()],
            at,
        }
    }

    /// Takes the next replicate of `strategy` (its output values, raw).
    pub fn push(&mut self, strategy: usize, values: &[f64]) {
        for (column, &k) in self.values.iter_mut().zip(&self.at) {
            if let (Some(v), Some(&x)) = (column.get_mut(strategy), values.get(k)) {
                v.push(canonical(x));
            }
        }
    }

    /// Whether every pair meets every target with the replicates so far, and the binding
    /// pair of each target. `names` are the strategies in run order.
    pub fn assess(&self, precision: &Precision, names: &[String]) -> (bool, Vec<Achieved>) {
        let mut met = true;
        let mut widest = Vec::new();
        for (target, column) in precision.targets.iter().zip(&self.values) {
            let mut worst: Option<(f64, Achieved)> = None;
            for a in 0..column.len() {
                for b in a + 1..column.len() {
                    let half = canonical(paired_half_width(&column[a], &column[b]));
                    let limit = canonical(target.limit(mean(&column[a]), mean(&column[b])));
                    met &= half <= limit;
                    // How far over its limit the pair is (0/0: exactly met).
                    let over = match (limit > 0.0, half > 0.0) {
                        (true, _) => half / limit,
                        (false, true) => f64::INFINITY,
                        (false, false) => 0.0,
                    };
                    if worst.as_ref().is_none_or(|(w, _)| over > *w) {
                        let name = |s: usize| names.get(s).cloned().unwrap_or_default();
                        worst = Some((
                            over,
                            Achieved {
                                metric: target.metric.clone(),
                                half_width: half,
                                limit,
                                pair: [name(a), name(b)],
                            },
                        ));
                    }
                }
            }
            widest.extend(worst.map(|(_, a)| a));
        }
        (met, widest)
    }
}

fn mean(v: &[f64]) -> f64 {
    if v.is_empty() {
        0.0
    } else {
        v.iter().sum::<f64>() / v.len() as f64
    }
}

/// The manifest's account of a precision-driven experiment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    /// Targets: a half-width in the metric's unit, or a percentage if `relative`.
    pub targets: Vec<Target>,
    /// What a percentage target is relative to.
    pub relative_to: String,
    /// Which strategies are compared.
    pub pairs: String,
    /// Seeds per block.
    pub block: u32,
    /// Most seeds a point could run.
    pub max_seeds: u32,
    /// Points whose every target was reached.
    pub points_met: usize,
    /// Points stopped by the maximum without reaching every target.
    pub points_at_max: usize,
    /// Each point's seeds and binding pairs, by point.
    pub points: Vec<PointOutcome>,
}

impl Report {
    /// The account of `outcomes` (sorted by point) under `precision`.
    pub fn new(precision: &Precision, outcomes: Vec<PointOutcome>) -> Report {
        let met = outcomes.iter().filter(|o| o.met).count();
        Report {
            targets: precision.targets.clone(),
            relative_to: "a percentage target is a share of the larger absolute mean of the two strategies compared".into(),
            pairs: "every pair of strategies, replicate by replicate (common random numbers)".into(),
            block: precision.block,
            max_seeds: precision.max_seeds,
            points_met: met,
            points_at_max: outcomes.len() - met,
            points: outcomes,
        }
    }

    /// The precision asked for.
    pub fn precision(&self) -> Precision {
        Precision {
            targets: self.targets.clone(),
            block: self.block,
            max_seeds: self.max_seeds,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn outputs() -> Vec<String> {
        ["npv_cost_usd", "fatalities"].map(String::from).to_vec()
    }

    #[test]
    fn targets_read_as_relative_or_absolute() {
        let t = Target::parse("npv_cost_usd:5%", &outputs()).unwrap();
        assert!(t.relative && t.value == 5.0);
        assert_eq!(t.limit(-200.0, 100.0), 10.0);
        let t = Target::parse("fatalities: 0.5", &outputs()).unwrap();
        assert!(!t.relative && t.limit(9.0, 1.0) == 0.5);
        assert_eq!(t.describe(), "fatalities:0.5");
        for bad in [
            "npv_cost_usd",
            "nope:5%",
            "fatalities:0",
            "fatalities:-1",
            "fatalities:x",
        ] {
            assert!(Target::parse(bad, &outputs()).is_err(), "{bad}");
        }
        assert!(Target::parse("fatalities:150%", &outputs()).is_err());
    }

    #[test]
    fn arguments_are_checked_together() {
        let o = outputs();
        let t = vec!["fatalities:1".to_string()];
        let p = Precision::from_args(&t, 5, None, 2, &o).unwrap().unwrap();
        assert_eq!(p.max_seeds, 50);
        assert!(Precision::from_args(&t, 5, Some(4), 2, &o).is_err());
        assert!(Precision::from_args(&t, 1, None, 2, &o).is_err());
        assert!(Precision::from_args(&t, 5, None, 1, &o).is_err());
        assert!(Precision::from_args(&[], 5, Some(40), 2, &o).is_err());
        assert_eq!(Precision::from_args(&[], 5, None, 2, &o), Ok(None));
        let twice = vec!["fatalities:1".to_string(), "fatalities:2".to_string()];
        assert!(Precision::from_args(&twice, 5, None, 2, &o).is_err());
    }

    #[test]
    fn the_binding_pair_decides() {
        let o = outputs();
        let p = Precision::from_args(&["fatalities:1".to_string()], 2, None, 3, &o)
            .unwrap()
            .unwrap();
        let names: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        let mut t = Tracker::new(&p, &o, 3);
        // a and b differ by exactly 1 every replicate (half-width 0); c is noisy.
        for (a, c) in [(1.0, 0.0), (2.0, 9.0), (3.0, 1.0)] {
            t.push(0, &[0.0, a]);
            t.push(1, &[0.0, a + 1.0]);
            t.push(2, &[0.0, c]);
        }
        let (met, widest) = t.assess(&p, &names);
        assert!(!met);
        assert_eq!(widest[0].pair[1], "c");
        assert!(widest[0].half_width > 1.0);
    }
}
