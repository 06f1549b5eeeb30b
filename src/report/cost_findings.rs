//! The cost findings beyond the mean: the tail risk (the 1-in-20 bad case of total cost, each
//! strategy against the one with the lowest, or the reader's baseline) and, when the run
//! splits its NPV cost, what the strategy spends on its levers against the cost that emerges
//! from what people do (losses, damage, legal and reputational cost).

use super::effects::{Effect, Measure};
use super::findings::Inputs;
use super::format::{pct, usd_m};
use super::stats::{self, quantile, stable_seed};

/// Fewer futures than this make a 95th percentile rough (it rests on the top two or three).
pub(crate) const TAIL_SEEDS: usize = 50;

/// The tail-risk and cost-split findings that the run's columns allow.
pub(crate) fn cost_findings(inp: &Inputs) -> Vec<String> {
    [tail_risk(inp), split(inp)].into_iter().flatten().collect()
}

fn tail_risk(inp: &Inputs) -> Option<String> {
    let column = "total_cost_usd";
    if !inp.runs.has(column) {
        return None;
    }
    let n = inp.strategies.len();
    let p95 = |s| quantile(&inp.runs.values(s, column), 0.95);
    let r = inp.baseline.unwrap_or_else(|| {
        (0..n)
            .min_by(|a, b| p95(*a).total_cmp(&p95(*b)))
            .unwrap_or(0)
    });
    let why = if inp.baseline.is_some() {
        ""
    } else {
        ", the lowest"
    };
    let mut parts = vec![format!("{} {}{why}", inp.name(r), usd_m(p95(r)))];
    for s in (0..n).filter(|s| *s != r) {
        let (a, b) = inp.runs.paired(r, s, column);
        let seed = stable_seed(&[&inp.strategies[r], &inp.strategies[s], "p95", column]);
        let interval = stats::paired_bootstrap(&a, &b, seed, stats::p95_difference);
        let clause = interval.map_or_else(String::new, |interval| {
            let e = Effect::new(Measure::UsdMillions, interval);
            // "USD 438 M lower (95% CI ...)" becomes "(USD 438 M lower; 95% CI ...)".
            format!(" ({}", e.clause("").replacen(" (95% CI", "; 95% CI", 1))
        });
        parts.push(format!("{} {}{clause}", inp.name(s), usd_m(p95(s))));
    }
    let seeds = inp.runs.values(r, column).len();
    let caution = if seeds < TAIL_SEEDS {
        format!(
            " With {seeds} futures a 95th percentile is itself rough (it rests on the worst two \
             or three): treat these as indicative; {TAIL_SEEDS} or more futures pin it down."
        )
    } else {
        String::new()
    };
    Some(format!(
        "Tail risk: in a bad case (the 95th percentile across futures, a 1-in-20 future) the \
         total cost over {} reaches {}.{caution}",
        inp.horizon,
        parts.join("; ")
    ))
}

/// Lever spend against emergent cost, per strategy (means across futures, NPV).
fn split(inp: &Inputs) -> Option<String> {
    let (lever, emergent) = ("lever_spend_npv_usd", "emergent_cost_npv_usd");
    if !inp.runs.has(lever) || !inp.runs.has(emergent) {
        return None;
    }
    let parts: Vec<String> = (0..inp.strategies.len())
        .map(|s| {
            let (l, e) = (inp.mean(s, lever), inp.mean(s, emergent));
            let share = if l + e > 0.0 {
                format!(", {} of its NPV cost", pct(e / (l + e)))
            } else {
                String::new()
            };
            format!(
                "{} spends {} on its levers and bears {} of emergent cost{share}",
                inp.name(s),
                usd_m(l),
                usd_m(e)
            )
        })
        .collect();
    Some(format!(
        "Where the NPV cost comes from: what a strategy spends on its levers against the cost \
         that emerges from what miners, chiefs and forces do. {}.",
        parts.join("; ")
    ))
}
