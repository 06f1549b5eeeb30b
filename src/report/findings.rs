//! Plain-language findings for the briefing, computed from the paired per-replicate values of
//! runs.csv, for the measures of the headline table in its order (people first). On each
//! measure the leading strategy is compared with the best alternative and every other
//! strategy with the leader; a user's variant is also compared with the preset it is based
//! on. With a baseline chosen by the reader (`--baseline`), every strategy is compared with
//! it instead. Every claim carries its size and 95% CI, and a difference is only claimed when
//! the interval excludes no change (see [`Effect`]). The bottom line is in `bottom_line`, the
//! tail risk and the cost split in `cost_findings`.

use super::catalogue::{Better, Group, Info, Unit};
use super::data::Runs;
use super::effects::{Effect, Measure};
use super::format::{display_name, fixed, num, pct, usd_m};
use super::stats::{self, stable_seed};

/// Where a finding belongs in the briefing.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Topic {
    /// The bottom line: the trade-off in one or two sentences.
    BottomLine,
    /// A part of the briefing (human outcomes, conflict, ...).
    Of(Group),
}

/// One finding: a sentence under a topic.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Finding {
    /// Where it belongs.
    pub topic: Topic,
    /// The sentence(s), plain text.
    pub text: String,
}

/// What the findings are computed from.
pub(crate) struct Inputs<'a> {
    /// Strategy names in run order.
    pub strategies: &'a [String],
    /// Per-run outcomes.
    pub runs: &'a Runs,
    /// Per strategy, the index of the preset strategy it is a variant of (when that ran).
    pub presets: Vec<Option<usize>>,
    /// The reference the reader chose (`--baseline`), if any.
    pub baseline: Option<usize>,
    /// The horizon in words ("10 years").
    pub horizon: String,
    /// The measures to compare, in briefing order (all present in runs.csv).
    pub metrics: Vec<Info>,
}

/// A stayers-only leader "kept far fewer" miners when it kept less than this share of the
/// most any strategy kept.
const FEW_STAYERS: f64 = 0.8;

/// Measures the findings do not compare one by one (the tail-risk finding covers total cost).
const NOT_COMPARED: [&str; 1] = ["total_cost_usd"];

impl Inputs<'_> {
    /// Display name of strategy `s`.
    pub fn name(&self, s: usize) -> String {
        display_name(&self.strategies[s])
    }

    /// Mean of `column` across futures for strategy `s`.
    pub fn mean(&self, s: usize, column: &str) -> f64 {
        stats::mean(&self.runs.values(s, column))
    }

    /// The measure `column`, if the run has it.
    pub fn metric(&self, column: &str) -> Option<&Info> {
        self.metrics.iter().find(|m| m.column == column)
    }

    /// Paired effect of strategy `other` against `reference` on `m`, with its own seed; an
    /// absolute difference (a ratio against or from zero) names `m`'s unit and the horizon.
    pub fn effect(&self, reference: usize, other: usize, m: &Info) -> Option<Effect> {
        let e = self.effect_on(reference, other, m.column, m.measure())?;
        Some(match m.unit {
            Unit::Count => e.with_unit(m.unit_words, format!(" over {}", self.horizon), true),
            _ => e.with_unit(m.unit_words, String::new(), false),
        })
    }

    /// Paired effect on `column` measured as `measure`.
    pub fn effect_on(
        &self,
        reference: usize,
        other: usize,
        column: &str,
        measure: Measure,
    ) -> Option<Effect> {
        let (a, b) = self.runs.paired(reference, other, column);
        let names = [&self.strategies[reference], &self.strategies[other]];
        let seed = stable_seed(&[names[0], names[1], column]);
        Effect::paired(&a, &b, measure, seed)
    }

    /// Strategy `s`'s mean of `m` in words: `0.90 deaths over 10 years`, `USD 104/week`, `37%`.
    pub fn value(&self, s: usize, m: &Info) -> String {
        let v = self.mean(s, m.column);
        match m.unit {
            Unit::Count if v == 0.0 => format!("none over {}", self.horizon),
            Unit::Count => format!("{} {} over {}", num(v), m.unit_words, self.horizon),
            Unit::UsdWeek => format!("USD {}/week", num(v)),
            Unit::Share => pct(v),
            Unit::Usd => usd_m(v),
            Unit::Scale => fixed(v, 2),
        }
    }

    /// The strategies with the best mean of `m` (several when tied), best first; empty when
    /// neither way is better.
    pub fn leaders(&self, m: &Info) -> Vec<usize> {
        let n = self.strategies.len();
        let means: Vec<f64> = (0..n).map(|s| self.mean(s, m.column)).collect();
        let best = match m.better {
            Better::Lower => means.iter().copied().fold(f64::INFINITY, f64::min),
            Better::Higher => means.iter().copied().fold(f64::NEG_INFINITY, f64::max),
            Better::Neither => return Vec::new(),
        };
        (0..n).filter(|s| means[*s] == best).collect()
    }

    /// The best strategy on `m` other than those in `not`.
    pub fn best_other(&self, m: &Info, not: &[usize]) -> Option<usize> {
        let others = (0..self.strategies.len()).filter(|s| !not.contains(s));
        let key = |s: &usize| self.mean(*s, m.column);
        match m.better {
            Better::Lower => others.min_by(|a, b| key(a).total_cmp(&key(b))),
            Better::Higher => others.max_by(|a, b| key(a).total_cmp(&key(b))),
            Better::Neither => None,
        }
    }
}

/// All findings: the bottom line, then per group of the briefing.
pub(crate) fn findings(inp: &Inputs) -> Vec<Finding> {
    if inp.strategies.len() < 2 {
        let name = inp
            .strategies
            .first()
            .map_or(String::new(), |s| display_name(s));
        let text = format!(
            "Only one strategy ({name}) was run, so there is nothing to compare it with; \
             its figures are in the headline table."
        );
        return vec![Finding {
            topic: Topic::BottomLine,
            text,
        }];
    }
    let mut out: Vec<Finding> = super::bottom_line::bottom_line(inp).into_iter().collect();
    for group in Group::SHOWN {
        let metrics: Vec<Info> = inp
            .metrics
            .iter()
            .filter(|m| m.group == group && !NOT_COMPARED.contains(&m.column))
            .copied()
            .collect();
        let mut texts = Vec::new();
        match inp.baseline {
            None => texts.extend(metrics.iter().filter_map(|m| per_measure(inp, m))),
            Some(b) => {
                let others = (0..inp.strategies.len()).filter(|s| *s != b);
                texts.extend(others.filter_map(|s| versus(inp, s, b, &metrics, "")));
            }
        }
        for (v, p) in inp.presets.iter().enumerate() {
            let Some(p) = *p else { continue };
            if inp.baseline != Some(p) {
                let why = ", the preset it is based on";
                texts.extend(versus(inp, v, p, &metrics, why));
            }
        }
        if group == Group::Cost {
            texts.extend(super::cost_findings::cost_findings(inp));
        }
        let topic = Topic::Of(group);
        out.extend(texts.into_iter().map(|text| Finding { topic, text }));
    }
    out
}

fn capitalised(text: &str) -> String {
    let mut chars = text.chars();
    chars.next().map_or(String::new(), |first| {
        first.to_uppercase().chain(chars).collect()
    })
}

/// "fewest" for counts where fewer is better, "lowest" or "highest" otherwise.
fn superlative(m: &Info) -> &'static str {
    match (m.better, m.unit) {
        (Better::Lower, Unit::Count) => "fewest",
        (Better::Higher, _) => "highest",
        _ => "lowest",
    }
}

/// "A, B and C".
pub(crate) fn and_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// One measure across strategies: the leader, against the best alternative, and every other
/// strategy against the leader.
fn per_measure(inp: &Inputs, m: &Info) -> Option<String> {
    let n = inp.strategies.len();
    let leaders = inp.leaders(m);
    let first = *leaders.first()?;
    let what = capitalised(m.words);
    if leaders.len() == n {
        let alike = inp.value(first, m);
        return Some(format!("{what}: the same under every strategy ({alike})."));
    }
    let names: Vec<String> = leaders.iter().map(|s| inp.name(*s)).collect();
    let mut text = format!(
        "{what}: {} under {} ({})",
        superlative(m),
        and_list(&names),
        inp.value(first, m)
    );
    if leaders.len() == 1
        && let Some(runner) = inp.best_other(m, &leaders)
        && let Some(e) = inp.effect(runner, first, m)
    {
        let runner_name = inp.name(runner);
        text.push_str(&format!(
            "; against {runner_name}, the best alternative ({}): {}",
            inp.value(runner, m),
            e.clause("")
        ));
    }
    text.push('.');
    let runner = inp.best_other(m, &leaders).filter(|_| leaders.len() == 1);
    let others: Vec<String> = (0..n)
        .filter(|s| !leaders.contains(s) && Some(*s) != runner)
        .filter_map(|s| {
            let e = inp.effect(first, s, m)?;
            Some(format!("{} {}", inp.name(s), e.clause("")))
        })
        .collect();
    if !others.is_empty() {
        text.push_str(&format!(" Against {}: {}.", names[0], others.join("; ")));
    }
    if m.replaced_by.is_some() {
        text.push_str(&stayers_caveat(inp, first));
    }
    Some(text)
}

/// Says that a stayers-only measure leaves out who was displaced or left and, when the leader
/// kept far fewer miners digging than another strategy, how many (with those displaced).
fn stayers_caveat(inp: &Inputs, leader: usize) -> String {
    let head = " This counts only the miners still digging: displaced and departed miners are \
                not in it";
    let column = "miners_final";
    if !inp.runs.has(column) {
        return format!("{head}.");
    }
    let most = (0..inp.strategies.len())
        .max_by(|a, b| inp.mean(*a, column).total_cmp(&inp.mean(*b, column)))
        .unwrap_or(leader);
    let (kept, most_kept) = (inp.mean(leader, column), inp.mean(most, column));
    if kept >= FEW_STAYERS * most_kept {
        return format!("{head}.");
    }
    let displaced = if inp.runs.has("displaced") {
        let d = inp.mean(leader, "displaced");
        format!(", and {} had been displaced", num(d))
    } else {
        String::new()
    };
    format!(
        "{head}: under {} {} miners were still digging at the end, against {} under {}{displaced}.",
        inp.name(leader),
        num(kept),
        num(most_kept),
        inp.name(most)
    )
}

/// Strategy `s` compared with `r` on every measure of `metrics`; `why` says why `r`.
fn versus(inp: &Inputs, s: usize, r: usize, metrics: &[Info], why: &str) -> Option<String> {
    let clauses: Vec<String> = metrics
        .iter()
        .filter_map(|m| Some(inp.effect(r, s, m)?.clause(m.words)))
        .collect();
    (!clauses.is_empty()).then(|| {
        format!(
            "{} compared with {}{why}: {}.",
            inp.name(s),
            inp.name(r),
            clauses.join("; ")
        )
    })
}

#[cfg(test)]
#[path = "findings_tests.rs"]
mod tests;
