//! Pattern-oriented validation: does the model reproduce what practitioners observe, in the
//! contexts where they observe it, does each pattern vanish where the seed says the context
//! changes it, and does it vanish when the mechanism it rests on is switched off (the
//! knock-out)? Also calibration targets from public figures.
//!
//! `suite` lists the checks; this module runs each arm (and each arm's knock-out) over the
//! seeds (in parallel, results in replicate order), measures every replicate, and estimates
//! effects with 95% CIs (`effect`). `cohabit patterns` prints the table and writes
//! patterns.csv.

pub mod effect;
mod ranking;
pub mod suite;

use crate::metrics::{METRICS, SERIES, period_ends};
use crate::rng::RunSeed;
use crate::scenario::{self, Scenario, ScenarioError, ScenarioSource};
use crate::sim;
use effect::Estimate;
pub use ranking::{
    CRITERIA, Criterion, Placing, Rank, text as ranking_text, to_csv as ranking_csv,
};
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
    /// The effect is what the seed leads us to expect.
    pub holds: bool,
    /// The same comparison with the mechanism switched off (none for calibration targets).
    pub knockout: Option<Knockout>,
}

/// A check's comparison with its mechanism switched off.
#[derive(Debug, Clone, Copy)]
pub struct Knockout {
    pub effect: Estimate,
    pub unit: &'static str,
    /// The expected effect is gone (no longer significant in the expected direction).
    pub vanishes: bool,
}

impl Outcome {
    /// The check passes: the effect holds and, where there is a knock-out, vanishes without
    /// its mechanism.
    pub fn passes(&self) -> bool {
        self.holds && self.knockout.is_none_or(|k| k.vanishes)
    }
}

/// Replicate values of every arm, keyed by arm.
pub(crate) type Measured = BTreeMap<Arm, Replicates>;

/// What one arm produced, per replicate.
pub(crate) struct Replicates {
    metrics: Vec<Vec<f64>>,
    series: Vec<Vec<f32>>,
    weeks: u32,
    every: u32,
}

/// A knock-out leaving less than this share of an effect counts as making it vanish.
pub const VANISHING: f64 = 0.25;

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
    sets.extend(a.knockout.iter().map(|s| s.to_string()));
    sets.push(format!("strategies.{ARM}.preset=\"{}\"", a.preset));
    sets.extend(a.levers.iter().map(|l| format!("strategies.{ARM}.{l}")));
    sets.push(format!("seeds={seeds}"));
    // The checks' crises and windows are placed on a ten-year horizon.
    sets.push(format!("weeks={HORIZON_WEEKS}"));
    let mut s = scenario::load(source, &sets)?;
    s.strategies.retain(|ns| ns.name == ARM);
    Ok(s)
}

/// The arms of a check (its own two, and the main comparison of a "weaker" check).
fn check_arms(c: &Check) -> Vec<Arm> {
    let mut arms = vec![c.a];
    arms.extend(c.b);
    if let Expect::Weaker { main, .. } = c.expect {
        arms.extend([main.0, main.1]);
    }
    arms
}

/// Every arm the checks need, with and without their mechanism, and the four presets as
/// they are (for the ranking), each once, in a fixed order.
fn arms(checks: &[Check]) -> Vec<Arm> {
    let mut all: Vec<Arm> = ranking::PRESETS.to_vec();
    for c in checks {
        let own = check_arms(c);
        if !c.knockout.is_empty() {
            all.extend(own.iter().map(|a| a.without(c.knockout)));
        }
        all.extend(own);
    }
    all.sort();
    all.dedup();
    all
}

/// Run the suite over `seeds` replicates per arm, in the user's context.
/// What the suite found: each check's outcome, and how the four presets rank in the context
/// on the board's criteria.
#[derive(Debug, Clone)]
pub struct Findings {
    pub outcomes: Vec<Outcome>,
    pub ranking: Vec<Rank>,
}

/// Run the checks (none: the ranking alone) over `seeds` replicates per arm, in the user's
/// context.
pub fn run(
    source: &ScenarioSource,
    overrides: &[String],
    seeds: u32,
    checks: &[Check],
    progress: &indicatif::ProgressBar,
) -> Result<Findings, ScenarioError> {
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
    Ok(Findings {
        outcomes: checks.iter().map(|c| judge(c, &measured)).collect(),
        ranking: ranking::rank(&measured),
    })
}

/// Measure every replicate of an arm.
pub(crate) fn values(measured: &Measured, arm: &Arm, measure: Measure) -> Vec<f64> {
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
        Measure::Sum(names) => {
            let ks: Vec<usize> = names.iter().map(|n| metric(n)).collect();
            rep.metrics
                .iter()
                .map(|m| ks.iter().map(|&k| m[k]).sum())
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
    let (effect, unit, holds) = estimate(c, measured, &[]);
    let knockout = (!c.knockout.is_empty()).then(|| {
        let (ko, ko_unit, ko_holds) = estimate(c, measured, c.knockout);
        // Gone: no longer significant in the expected direction, or all but gone (less than
        // a quarter of the effect remains: the mechanism explains the rest).
        let all_but_gone = ko_unit == unit
            && ko.value * effect.value >= 0.0
            && ko.value.abs() < VANISHING * effect.value.abs();
        Knockout {
            effect: ko,
            unit: ko_unit,
            vanishes: !ko_holds || all_but_gone,
        }
    });
    Outcome {
        check: *c,
        effect,
        unit,
        holds,
        knockout,
    }
}

/// A check's effect, its unit and whether it is as expected, with the arms run under the
/// given knock-out (none: as they are).
fn estimate(
    c: &Check,
    measured: &Measured,
    knockout: &'static [&'static str],
) -> (Estimate, &'static str, bool) {
    let arm = |a: &Arm| a.without(knockout);
    let a = values(measured, &arm(&c.a), c.measure);
    let b = c.b.map(|b| values(measured, &arm(&b), c.measure));
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len().max(1) as f64;
    match (c.expect, &b) {
        (Expect::Higher | Expect::Lower | Expect::NotLower, Some(b)) => {
            // Relative effects need a reference that is rarely zero (a bootstrap resample of
            // zeros has no ratio); otherwise the paired difference.
            let zeros = b.iter().filter(|x| **x == 0.0).count();
            let (e, unit) = if mean(b).abs() > 1e-9 && zeros * 10 <= b.len() {
                (effect::relative(&a, b), "relative")
            } else {
                (effect::difference(&a, b), "difference")
            };
            let holds = match c.expect {
                Expect::Higher => e.positive(),
                Expect::Lower => e.negative(),
                _ => !e.negative(),
            };
            (e, unit, holds)
        }
        (Expect::Weaker { main, main_higher }, Some(b)) => {
            let ma = values(measured, &arm(&main.0), c.measure);
            let mb = values(measured, &arm(&main.1), c.measure);
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
        _ => (
            Estimate {
                value: 0.0,
                low: 0.0,
                high: 0.0,
            },
            "invalid check",
            false,
        ),
    }
}

impl Outcome {
    /// What was expected, in words.
    pub fn expected(&self) -> String {
        match self.check.expect {
            Expect::Higher => "higher".into(),
            Expect::Lower => "lower".into(),
            Expect::NotLower => "not lower (it fails)".into(),
            Expect::Weaker { .. } => {
                "gap smaller than in the main context (vanishes or reverses)".into()
            }
            Expect::Within(lo, hi) => format!("between {} and {}", number(lo), number(hi)),
        }
    }

    /// The measure, in words.
    pub fn measure(&self) -> String {
        match self.check.measure {
            Measure::Metric(m) => m.to_string(),
            Measure::Sum(ms) => ms.join(" + "),
            Measure::Window { series, from, to } => format!("{series}, weeks {from}-{to}"),
        }
    }

    /// The effect with its interval, in words (percent for relative effects).
    pub fn effect_text(&self) -> String {
        effect_text(&self.effect, self.unit)
    }

    /// The knock-out's effect, in words.
    pub fn knockout_text(&self) -> String {
        match &self.knockout {
            Some(k) => format!(
                "{}: {}",
                if k.vanishes {
                    "vanishes"
                } else {
                    "does NOT vanish"
                },
                effect_text(&k.effect, k.unit)
            ),
            None => String::new(),
        }
    }
}

/// An estimate with its interval: percent for relative effects (one decimal where whole
/// percent would collapse the interval), three significant figures otherwise.
fn effect_text(e: &Estimate, unit: &str) -> String {
    if unit == "relative" {
        let (v, lo, hi) = (100.0 * e.value, 100.0 * e.low, 100.0 * e.high);
        let decimals = if (hi - lo).abs() < 2.0 || v.abs() < 10.0 {
            1
        } else {
            0
        };
        format!("{v:+.decimals$}% (95% CI {lo:+.decimals$}% to {hi:+.decimals$}%)")
    } else {
        format!(
            "{} (95% CI {} to {})",
            number(e.value),
            number(e.low),
            number(e.high)
        )
    }
}

/// Three significant figures, with thousands separators.
pub(crate) fn number(x: f64) -> String {
    if x == 0.0 || !x.is_finite() {
        return format!("{x}");
    }
    let digits = (2 - x.abs().log10().floor() as i32).max(0) as usize;
    if digits > 0 {
        return format!("{x:.digits$}");
    }
    let magnitude = 10f64.powi(x.abs().log10().floor() as i32 - 2);
    let rounded = ((x / magnitude).round() * magnitude) as i64;
    let text = rounded.unsigned_abs().to_string();
    let mut grouped = String::new();
    for (k, ch) in text.chars().enumerate() {
        if k > 0 && (text.len() - k).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(ch);
    }
    if rounded < 0 {
        format!("-{grouped}")
    } else {
        grouped
    }
}

/// The table `cohabit patterns` prints: per check, the comparison, what was expected, the
/// effect, and what the knock-out did.
pub fn table(outcomes: &[Outcome]) -> String {
    let mut out = String::new();
    for o in outcomes {
        let c = &o.check;
        out.push_str(&format!(
            "{:<4} {} [{}] {}\n     {}: expected {}; measured {}\n",
            if o.passes() { "ok" } else { "FAIL" },
            c.pattern,
            c.context,
            c.comparison,
            o.measure(),
            o.expected(),
            o.effect_text()
        ));
        if o.knockout.is_some() {
            out.push_str(&format!(
                "     without {}: {}\n",
                c.mechanism,
                o.knockout_text()
            ));
        }
    }
    out
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
        "mechanism",
        "knockout",
        "knockout_effect",
        "knockout_ci95_low",
        "knockout_ci95_high",
        "knockout_unit",
        "vanishes",
        "passes",
    ])?;
    let num = |x: f64| crate::stats::canonical(x).to_string();
    let yes = |b: bool| if b { "yes" } else { "no" };
    for o in outcomes {
        let c = &o.check;
        let e = &o.effect;
        let (ko, ko_nums, ko_unit, vanishes) = match &o.knockout {
            Some(k) => (
                c.knockout.join(" "),
                [num(k.effect.value), num(k.effect.low), num(k.effect.high)],
                k.unit,
                yes(k.vanishes),
            ),
            None => (String::new(), Default::default(), "", ""),
        };
        w.write_record([
            c.pattern,
            c.context,
            c.comparison,
            &o.measure(),
            &o.expected(),
            &num(e.value),
            &num(e.low),
            &num(e.high),
            o.unit,
            yes(o.holds),
            c.mechanism,
            &ko,
            &ko_nums[0],
            &ko_nums[1],
            &ko_nums[2],
            ko_unit,
            vanishes,
            yes(o.passes()),
        ])?;
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}

#[cfg(test)]
mod tests {
    use super::number;

    #[test]
    fn numbers_read_with_three_significant_figures_and_separators() {
        assert_eq!(number(14_560_000.0), "14,600,000");
        assert_eq!(number(-1234.0), "-1,230");
        assert_eq!(number(54.37), "54.4");
        assert_eq!(number(0.01234), "0.0123");
        assert_eq!(number(100.0), "100");
    }
}
