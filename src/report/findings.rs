//! Plain-language findings for the briefing, computed from the paired per-replicate values
//! of runs.csv: each strategy against a reference (`confrontation` if present, else the first
//! strategy) on conflict, livelihoods and cost, the tail risk of cost, and the trade-off
//! between the cheapest and the calmest strategy. Every claim carries its size and 95% CI,
//! and a difference is only claimed when the interval excludes no change (see [`Effect`]).

use super::data::Runs;
use super::effects::{Effect, Measure};
use super::format::{display_name, num, usd_m};
use super::stats::{self, quantile, stable_seed};

/// The part of the briefing a finding belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Topic {
    /// The bottom line: cheapest against calmest, who earns most.
    TradeOff,
    /// Incidents, clashes, human-rights allegations.
    Conflict,
    /// Miner income, poverty, formalisation.
    Livelihoods,
    /// Cost to the company and its tail risk.
    Cost,
}

impl Topic {
    /// Every topic, in briefing order: the bottom line first.
    pub const ALL: [Self; 4] = [
        Self::TradeOff,
        Self::Conflict,
        Self::Livelihoods,
        Self::Cost,
    ];

    /// Heading of the topic in the briefing.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Conflict => "Conflict",
            Self::Livelihoods => "Miners' livelihoods",
            Self::Cost => "Cost to the company",
            Self::TradeOff => "In brief",
        }
    }
}

/// One finding: a sentence under a topic.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    /// Where it belongs.
    pub topic: Topic,
    /// The sentence, plain text.
    pub text: String,
}

/// A metric compared between strategies: its column, its words, how it is measured.
struct Metric {
    column: &'static str,
    words: &'static str,
    measure: Measure,
}

const CONFLICT: [Metric; 2] = [
    metric("conflict_incidents", "conflict incidents", Measure::Ratio),
    metric("hr_allegations", "human-rights allegations", Measure::Ratio),
];
const LIVELIHOODS: [Metric; 3] = [
    metric("mean_income_usd_week", "mean miner income", Measure::Ratio),
    metric(
        "poverty_share",
        "share of miner-weeks in poverty",
        Measure::Points,
    ),
    metric("formal_share_final", "formalised share", Measure::Points),
];
const COST: [Metric; 1] = [metric("npv_cost_usd", "NPV cost", Measure::UsdMillions)];

const fn metric(column: &'static str, words: &'static str, measure: Measure) -> Metric {
    Metric {
        column,
        words,
        measure,
    }
}

/// Index of the reference strategy: `confrontation` if present, else the first.
pub(crate) fn reference(strategies: &[String]) -> usize {
    strategies
        .iter()
        .position(|s| s == "confrontation")
        .unwrap_or(0)
}

/// All findings, in topic order; `horizon` is the horizon in words ("10 years").
pub(crate) fn findings(strategies: &[String], runs: &Runs, horizon: &str) -> Vec<Finding> {
    if strategies.len() < 2 {
        let name = strategies
            .first()
            .map_or(String::new(), |s| display_name(s));
        let text = format!(
            "Only one strategy ({name}) was run, so there is nothing to compare it with; \
             its figures are in the table below."
        );
        return vec![Finding {
            topic: Topic::TradeOff,
            text,
        }];
    }
    let r = reference(strategies);
    let mut out = Vec::new();
    for (topic, metrics) in [
        (Topic::Conflict, &CONFLICT[..]),
        (Topic::Livelihoods, &LIVELIHOODS[..]),
        (Topic::Cost, &COST[..]),
    ] {
        for s in (0..strategies.len()).filter(|s| *s != r) {
            let clauses = compare(strategies, runs, r, s, metrics);
            if !clauses.is_empty() {
                let head = versus(strategies, s, r);
                let text = format!("{head}: {}.", clauses.join("; "));
                out.push(Finding { topic, text });
            }
        }
    }
    out.extend(tail_risk(strategies, runs, r, horizon));
    out.extend(trade_off(strategies, runs));
    out
}

fn versus(strategies: &[String], s: usize, r: usize) -> String {
    let (a, b) = (display_name(&strategies[s]), display_name(&strategies[r]));
    format!("{a} compared with {b}")
}

/// The clauses comparing strategy `s` with `r` on each metric present in runs.csv.
fn compare(
    strategies: &[String],
    runs: &Runs,
    r: usize,
    s: usize,
    metrics: &[Metric],
) -> Vec<String> {
    metrics
        .iter()
        .filter(|m| runs.has(m.column))
        .filter_map(|m| {
            let e = effect(strategies, runs, r, s, m.column, m.measure)?;
            Some(e.clause(m.words))
        })
        .collect()
}

/// The paired effect of strategy `s` against `r` on `column`, with a comparison-specific seed.
fn effect(
    strategies: &[String],
    runs: &Runs,
    r: usize,
    s: usize,
    column: &str,
    measure: Measure,
) -> Option<Effect> {
    let (a, b) = runs.paired(r, s, column);
    let seed = stable_seed(&[&strategies[r], &strategies[s], column]);
    Effect::paired(&a, &b, measure, seed)
}

fn tail_risk(strategies: &[String], runs: &Runs, r: usize, horizon: &str) -> Option<Finding> {
    let column = "total_cost_usd";
    if !runs.has(column) {
        return None;
    }
    let p95 = |s| quantile(&runs.values(s, column), 0.95);
    let name = |s: usize| display_name(&strategies[s]);
    let mut parts = vec![format!("{} {}", name(r), usd_m(p95(r)))];
    for s in (0..strategies.len()).filter(|s| *s != r) {
        let (a, b) = runs.paired(r, s, column);
        let seed = stable_seed(&[&strategies[r], &strategies[s], "p95", column]);
        let interval = stats::paired_bootstrap(&a, &b, seed, stats::p95_difference);
        let clause = interval.map_or_else(String::new, |interval| {
            let e = Effect {
                measure: Measure::UsdMillions,
                interval,
            };
            // "USD 438 M lower (95% CI ...)" becomes "(USD 438 M lower; 95% CI ...)".
            format!(" ({}", e.clause("").replacen(" (95% CI", "; 95% CI", 1))
        });
        parts.push(format!("{} {}{clause}", name(s), usd_m(p95(s))));
    }
    let seeds = runs.values(r, column).len();
    let caution = if seeds < 50 {
        format!(" With {seeds} seeds a 95th percentile is itself rough: treat these as indicative.")
    } else {
        String::new()
    };
    let text = format!(
        "Tail risk: in a bad case (the 95th percentile across seeds, a 1-in-20 future) the \
         total cost over {horizon} reaches {}.{caution}",
        parts.join("; ")
    );
    Some(Finding {
        topic: Topic::Cost,
        text,
    })
}

/// Index of the strategy with the lowest (or highest) mean of `column`, first one on ties.
fn extreme(runs: &Runs, n: usize, column: &str, lowest: bool) -> usize {
    let mean = |s| stats::mean(&runs.values(s, column));
    (1..n).fold(0, |best, s| {
        let better = if lowest {
            mean(s) < mean(best)
        } else {
            mean(s) > mean(best)
        };
        if better { s } else { best }
    })
}

fn trade_off(strategies: &[String], runs: &Runs) -> Vec<Finding> {
    let needed = ["conflict_incidents", "npv_cost_usd"];
    if !needed.iter().all(|c| runs.has(c)) {
        return Vec::new();
    }
    let n = strategies.len();
    let calm = extreme(runs, n, "conflict_incidents", true);
    let cheap = extreme(runs, n, "npv_cost_usd", true);
    let name = |s: usize| display_name(&strategies[s]);
    let text = if calm == cheap {
        both_best(strategies, runs, calm)
    } else {
        let metrics = [
            metric("conflict_incidents", "conflict incidents", Measure::Ratio),
            metric("npv_cost_usd", "NPV cost", Measure::UsdMillions),
        ];
        let clauses = compare(strategies, runs, cheap, calm, &metrics);
        format!(
            "{} has the fewest conflict incidents and {} the lowest NPV cost. {}: {}.",
            name(calm),
            name(cheap),
            versus(strategies, calm, cheap),
            clauses.join("; "),
        )
    };
    let mut out = vec![Finding {
        topic: Topic::TradeOff,
        text,
    }];
    out.extend(best_income(strategies, runs));
    out
}

fn both_best(strategies: &[String], runs: &Runs, best: usize) -> String {
    let name = display_name(&strategies[best]);
    let mut text = format!("{name} has both the fewest conflict incidents and the lowest NPV cost");
    let others = (0..strategies.len()).filter(|s| *s != best);
    let runner = others.min_by(|a, b| {
        let m = |s| stats::mean(&runs.values(s, "npv_cost_usd"));
        m(*a).total_cmp(&m(*b))
    });
    if let Some(runner) = runner {
        let e = effect(
            strategies,
            runs,
            runner,
            best,
            "npv_cost_usd",
            Measure::UsdMillions,
        );
        if let Some(e) = e {
            let verdict = if e.is_clear() {
                ""
            } else {
                ", though not clearly cheaper"
            };
            let other = display_name(&strategies[runner]);
            text.push_str(&format!(
                "{verdict} (against {other}, the next cheapest: {})",
                e.clause("NPV cost")
            ));
        }
    }
    text.push('.');
    text
}

fn best_income(strategies: &[String], runs: &Runs) -> Option<Finding> {
    let column = "mean_income_usd_week";
    if !runs.has(column) {
        return None;
    }
    let best = extreme(runs, strategies.len(), column, false);
    let mean = |s| stats::mean(&runs.values(s, column));
    let lowest = extreme(runs, strategies.len(), column, true);
    if mean(best) <= mean(lowest) {
        return None;
    }
    let text = format!(
        "Miners earn most under {} (mean USD {}/week, against USD {}/week under {}, the lowest).",
        display_name(&strategies[best]),
        num(mean(best)),
        num(mean(lowest)),
        display_name(&strategies[lowest]),
    );
    Some(Finding {
        topic: Topic::TradeOff,
        text,
    })
}

#[cfg(test)]
#[path = "findings_tests.rs"]
mod tests;
