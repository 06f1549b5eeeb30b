//! Pattern-oriented validation: does the model reproduce what practitioners observe, in the
//! contexts where they observe it, and does each pattern vanish where the seed says the
//! context changes it? Also calibration targets from public figures.
//!
//! `suite` lists the checks; this module runs each arm over the seeds (in parallel, results
//! in replicate order), measures every replicate, and estimates effects with 95% CIs
//! (`effect`). `cohabit patterns` prints the table and writes patterns.csv.

pub mod effect;
pub mod suite;

use crate::metrics::{METRICS, SERIES, period_ends};
use crate::rng::RunSeed;
use crate::scenario::{self, Scenario, ScenarioError, ScenarioSource};
use crate::sim;
use effect::Estimate;
use rayon::prelude::*;
use std::collections::BTreeMap;
pub use suite::{Arm, CHECKS, Check, Expect, Measure};

/// The result of one check.
#[derive(Debug, Clone)]
pub struct Outcome {
    pub check: Check,
    /// The effect (relative, a difference, a difference in differences, or a level).
    pub effect: Estimate,
    /// "relative" (share), or the measure's own unit.
    pub unit: &'static str,
    pub holds: bool,
}

/// Replicate values of every arm, keyed by arm.
type Measured = BTreeMap<Arm, Replicates>;

/// What one arm produced, per replicate.
struct Replicates {
    metrics: Vec<Vec<f64>>,
    series: Vec<Vec<f32>>,
    weeks: u32,
    every: u32,
}

/// Horizon of every arm, weeks: the checks' crises and windows are placed on it.
pub const HORIZON_WEEKS: u32 = 520;

/// Name of the single strategy an arm's scenario runs.
const ARM: &str = "arm";

/// The scenario of one arm: the user's context, the arm's context, and one strategy.
pub fn arm_scenario(
    source: &ScenarioSource,
    overrides: &[String],
    seeds: u32,
    a: &Arm,
) -> Result<Scenario, ScenarioError> {
    let mut sets: Vec<String> = overrides.to_vec();
    sets.extend(a.context.iter().map(|s| s.to_string()));
    sets.push(format!("strategies.{ARM}.preset=\"{}\"", a.preset));
    sets.extend(a.levers.iter().map(|l| format!("strategies.{ARM}.{l}")));
    sets.push(format!("seeds={seeds}"));
    // The checks' crises and windows are placed on a ten-year horizon.
    sets.push(format!("weeks={HORIZON_WEEKS}"));
    let mut s = scenario::load(source, &sets)?;
    s.strategies.retain(|ns| ns.name == ARM);
    Ok(s)
}

/// Every arm the checks need, each once, in a fixed order.
fn arms(checks: &[Check]) -> Vec<Arm> {
    let mut all: Vec<Arm> = Vec::new();
    for c in checks {
        all.push(c.a);
        all.extend(c.b);
        if let Expect::Weaker { main, .. } = c.expect {
            all.extend([main.0, main.1]);
        }
    }
    all.sort();
    all.dedup();
    all
}

/// Run the suite over `seeds` replicates per arm, in the user's context.
pub fn run(
    source: &ScenarioSource,
    overrides: &[String],
    seeds: u32,
    checks: &[Check],
    progress: &indicatif::ProgressBar,
) -> Result<Vec<Outcome>, ScenarioError> {
    let arms = arms(checks);
    let scenarios: Vec<Scenario> = arms
        .iter()
        .map(|a| arm_scenario(source, overrides, seeds, a))
        .collect::<Result<_, _>>()?;
    let jobs: Vec<(usize, u32)> = (0..arms.len())
        .flat_map(|a| (0..seeds).map(move |r| (a, r)))
        .collect();
    progress.set_length(jobs.len() as u64);
    let outputs: Vec<(Vec<f64>, Vec<f32>)> = jobs
        .par_iter()
        .map(|&(a, r)| {
            let s = &scenarios[a];
            let out = sim::run(
                s,
                &s.strategies[0].strategy,
                RunSeed::new(s.master_seed, 0, u64::from(r)),
            );
            progress.inc(1);
            (out.metrics.values(), out.series)
        })
        .collect();
    let mut measured: Measured = BTreeMap::new();
    let mut outputs = outputs.into_iter();
    for (a, s) in arms.iter().zip(&scenarios) {
        let mut rep = Replicates {
            metrics: Vec::new(),
            series: Vec::new(),
            weeks: s.weeks,
            every: s.timeseries_every_weeks,
        };
        for _ in 0..seeds {
            let (m, series) = outputs.next().expect("one output per job");
            rep.metrics.push(m);
            rep.series.push(series);
        }
        measured.insert(*a, rep);
    }
    Ok(checks.iter().map(|c| judge(c, &measured)).collect())
}

/// Measure every replicate of an arm.
fn values(measured: &Measured, arm: &Arm, measure: Measure) -> Vec<f64> {
    let rep = &measured[arm];
    let metric = |name: &str| {
        METRICS
            .iter()
            .position(|m| *m == name)
            .expect("a known metric")
    };
    match measure {
        Measure::Metric(name) => {
            let k = metric(name);
            rep.metrics.iter().map(|m| m[k]).collect()
        }
        Measure::DisplacedPerEviction => {
            let (d, e) = (metric("displaced"), metric("evictions"));
            rep.metrics
                .iter()
                .map(|m| if m[e] > 0.0 { m[d] / m[e] } else { 0.0 })
                .collect()
        }
        Measure::Window { series, from, to } => {
            let k = SERIES
                .iter()
                .position(|m| *m == series)
                .expect("a known series");
            let ends = period_ends(rep.weeks, rep.every);
            let flow = crate::metrics::is_flow(series);
            rep.series
                .iter()
                .map(|s| {
                    let picked: Vec<f64> = ends
                        .iter()
                        .enumerate()
                        .filter(|(_, w)| **w > from && **w <= to)
                        .map(|(p, _)| f64::from(s[p * SERIES.len() + k]))
                        .collect();
                    let sum: f64 = picked.iter().sum();
                    if flow || picked.is_empty() {
                        sum
                    } else {
                        sum / picked.len() as f64
                    }
                })
                .collect()
        }
    }
}

fn judge(c: &Check, measured: &Measured) -> Outcome {
    let a = values(measured, &c.a, c.measure);
    let b = c.b.map(|b| values(measured, &b, c.measure));
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    let (effect, unit, holds) = match (c.expect, &b) {
        (Expect::Higher | Expect::Lower, Some(b)) => {
            let (e, unit) = if mean(b).abs() > 1e-9 {
                (effect::relative(&a, b), "relative")
            } else {
                (effect::difference(&a, b), "difference")
            };
            let holds = if c.expect == Expect::Higher {
                e.positive()
            } else {
                e.negative()
            };
            (e, unit, holds)
        }
        (Expect::Weaker { main, main_higher }, Some(b)) => {
            let ma = values(measured, &main.0, c.measure);
            let mb = values(measured, &main.1, c.measure);
            let did: Vec<f64> = (0..a.len())
                .map(|r| {
                    let (here, there) = (a[r] - b[r], ma[r] - mb[r]);
                    if main_higher {
                        there - here
                    } else {
                        here - there
                    }
                })
                .collect();
            let e = effect::mean_interval(&did);
            (e, "difference in differences", e.positive())
        }
        (Expect::Within(lo, hi), _) => {
            let e = effect::mean_interval(&a);
            (e, "level", e.value >= lo && e.value <= hi)
        }
        (Expect::Above(x), _) => {
            let e = effect::mean_interval(&a);
            (e, "level", e.low > x)
        }
        _ => (
            Estimate {
                value: 0.0,
                low: 0.0,
                high: 0.0,
            },
            "invalid check",
            false,
        ),
    };
    Outcome {
        check: *c,
        effect,
        unit,
        holds,
    }
}

impl Outcome {
    /// What was expected, in words.
    pub fn expected(&self) -> String {
        match self.check.expect {
            Expect::Higher => "higher".into(),
            Expect::Lower => "lower".into(),
            Expect::Weaker { .. } => {
                "gap smaller than in the default context (vanishes or reverses)".into()
            }
            Expect::Within(lo, hi) => format!("between {lo} and {hi}"),
            Expect::Above(x) => format!("above {x}"),
        }
    }

    /// The measure, in words.
    pub fn measure(&self) -> String {
        match self.check.measure {
            Measure::Metric(m) => m.to_string(),
            Measure::Window { series, from, to } => format!("{series}, weeks {from}-{to}"),
            Measure::DisplacedPerEviction => "displaced per eviction".into(),
        }
    }

    /// The effect with its interval, in words (percent for relative effects).
    pub fn effect_text(&self) -> String {
        let e = &self.effect;
        if self.unit == "relative" {
            format!(
                "{:+.0}% (95% CI {:+.0}% to {:+.0}%)",
                100.0 * e.value,
                100.0 * e.low,
                100.0 * e.high
            )
        } else {
            format!(
                "{} (95% CI {} to {})",
                sig(e.value),
                sig(e.low),
                sig(e.high)
            )
        }
    }
}

/// Three significant figures.
fn sig(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    format!("{x:.digits$}")
}

/// patterns.csv: one row per check.
pub fn to_csv(outcomes: &[Outcome]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "pattern",
        "context",
        "comparison",
        "measure",
        "expected",
        "effect",
        "ci95_low",
        "ci95_high",
        "unit",
        "holds",
    ])?;
    for o in outcomes {
        let c = &o.check;
        let e = &o.effect;
        let nums = [e.value, e.low, e.high].map(|x| crate::stats::canonical(x).to_string());
        w.write_record([
            c.pattern,
            c.context,
            c.comparison,
            &o.measure(),
            &o.expected(),
            &nums[0],
            &nums[1],
            &nums[2],
            o.unit,
            if o.holds { "yes" } else { "no" },
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
