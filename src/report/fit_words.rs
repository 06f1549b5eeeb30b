//! The words and numbers of a fit as the board reads them: metric values and shortfalls in
//! each metric's own units, context keys in words, PRIM boxes as sentences, and the
//! robustness section (which strategy holds up, where it stops, what would change the
//! recommendation). Pure text from a [`FitReport`]; the page is assembled in `fit_briefing`.

use crate::fit::FitReport;
use crate::fit::discover::Discovery;
use crate::fit::metrics::{self, Direction, Unit};
use crate::fit::regret::MetricRegret;
use crate::fit::settings::Question;

use super::format::{display_name, fixed, num, pct, usd_m};

/// A metric's value in its units: `USD 12.3 M`, `USD 54/week`, `26%`, `0.42`, `3.5`.
pub(crate) fn value(metric: &str, v: f64) -> String {
    match metrics::info(metric).unit {
        Unit::UsdMillions => usd_m(v),
        Unit::UsdWeek => format!("USD {}/week", num(v)),
        Unit::Share => pct(v),
        Unit::Index => fixed(v, 2),
        Unit::Count => num(v),
    }
}

/// A shortfall (regret) in the metric's units; `short` for chart cells.
pub(crate) fn gap(metric: &str, v: f64, short: bool) -> String {
    match (metrics::info(metric).unit, short) {
        (Unit::UsdMillions, _) => usd_m(v),
        (Unit::UsdWeek, true) => format!("USD {}/wk", num(v)),
        (Unit::UsdWeek, false) => format!("USD {}/week", num(v)),
        (Unit::Share, true) => format!("{} pts", fixed(v * 100.0, 1)),
        (Unit::Share, false) => format!("{} percentage points", fixed(v * 100.0, 1)),
        (Unit::Index, _) => fixed(v, 2),
        (Unit::Count, _) => num(v),
    }
}

/// "more" or "less": which way a shortfall goes for this metric.
fn worse_word(metric: &str) -> &'static str {
    match metrics::direction(metric) {
        Direction::Higher => "less",
        _ => "more",
    }
}

/// The metric's label, in lower case for running text.
pub(crate) fn label(metric: &str) -> String {
    let l = metrics::label(metric);
    let mut chars = l.chars();
    match chars.next() {
        Some(c) if !l.starts_with("NPV") => c.to_lowercase().chain(chars).collect(),
        _ => l,
    }
}

/// The scenario reference's line for a dotted key (strategy levers as `strategies.*.`).
fn key_info(key: &str) -> Option<&'static crate::scenario::KeyInfo> {
    let pattern = match key.strip_prefix("strategies.") {
        Some(rest) => format!("strategies.*.{}", rest.split_once('.')?.1),
        None => key.to_string(),
    };
    crate::scenario::KEYS.iter().find(|k| k.key == pattern)
}

/// A context key in words: its meaning from the scenario reference, and the key.
pub(crate) fn key_words(key: &str) -> String {
    match key_info(key) {
        Some(k) => format!("{} ({key})", k.meaning.to_lowercase()),
        None => key.to_string(),
    }
}

/// A context key's meaning (its own name when unknown).
pub(crate) fn key_meaning(key: &str) -> String {
    key_info(key).map_or(key.to_string(), |k| k.meaning.to_string())
}

/// A context key's unit, if it has one.
pub(crate) fn key_unit(key: &str) -> &'static str {
    key_info(key).map_or("", |k| k.unit)
}

/// A number of a context key, rounded for reading (whole numbers without decimals).
pub(crate) fn key_value(v: f64) -> String {
    if (v - v.round()).abs() < 1e-9 {
        fixed(v, 0)
    } else {
        num(v)
    }
}

/// The question in words: "Collaboration's NPV cost is below Co-existence's".
pub(crate) fn question_words(q: &Question) -> String {
    let higher_is_better = metrics::direction(&q.metric) == Direction::Higher;
    let verb = match (q.less, higher_is_better) {
        (true, false) | (false, true) => "beats",
        _ => "does worse than",
    };
    format!(
        "{} {verb} {} on {}",
        display_name(&q.first),
        display_name(&q.second),
        label(&q.metric)
    )
}

/// One restriction of a box in words: "permit processing time (officials.permit_weeks)
/// below 40".
fn restriction(r: &FitReport, d: &Discovery, dim: usize) -> String {
    let t = &d.trajectory;
    let step = &t.steps[t.chosen];
    let (lo, hi) = step.limits[dim];
    let (init_lo, init_hi) = t.init[dim];
    let name = key_words(&r.dims[dim].key);
    match (lo != init_lo, hi != init_hi) {
        (true, true) => format!("{name} is between {} and {}", key_value(lo), key_value(hi)),
        (true, false) => format!("{name} is above {}", key_value(lo)),
        _ => format!("{name} is below {}", key_value(hi)),
    }
}

/// What scenario discovery found for one question, in a sentence or two.
pub(crate) fn discovery_words(r: &FitReport, d: &Discovery) -> String {
    let q = question_words(&d.question);
    if d.yes_share == 0.0 {
        return format!("{q} in none of the {} contexts tested.", r.points);
    }
    let t = &d.trajectory;
    let step = &t.steps[t.chosen];
    let head = format!("{q} in {} of the contexts tested.", pct(d.yes_share));
    if !t.meets_threshold {
        return format!(
            "{head} No region of the contexts concentrates these cases (the densest box PRIM found holds {} of them, below the {} asked for): they are scattered, more a matter of the random future and of what was not varied than of the context keys tested.",
            pct(step.density),
            pct(r.criteria.prim.threshold)
        );
    }
    if step.restricted.is_empty() {
        return format!("{head} That holds across the whole range tested: no region stands out.");
    }
    let parts: Vec<String> = step
        .restricted
        .iter()
        .map(|&dim| restriction(r, d, dim))
        .collect();
    let weak: Vec<String> = step
        .restricted
        .iter()
        .zip(&step.qp)
        .filter(|(_, qp)| [qp.0, qp.1].into_iter().flatten().any(|p| p > 0.05))
        .map(|(&dim, _)| r.dims[dim].key.clone())
        .collect();
    let mut text = format!(
        "{head} They concentrate where {}: {} of the contexts there are such cases, and they hold {} of all such cases ({} of the contexts tested fall there).",
        join_and(&parts),
        pct(step.density),
        pct(step.coverage),
        pct(step.mass)
    );
    if !weak.is_empty() {
        let (s, verb) = if weak.len() == 1 {
            ("", "is")
        } else {
            ("s", "are")
        };
        text += &format!(
            " The limit{s} on {} could be chance (quasi-p-value above 0.05): the region {verb} less clear there.",
            join_and(&weak)
        );
    }
    text
}

fn join_and(parts: &[String]) -> String {
    match parts {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// How one metric's leader holds up, in a sentence.
fn holds_up(r: &FitReport, m: &MetricRegret) -> String {
    let lead = m.leader();
    let x = &m.strategies[lead];
    let metric = &m.metric;
    format!(
        "On {}, {} holds up best: in each context it is on average {} {} than the best strategy there, {} or less in 9 contexts out of 10, at worst {}; it is the best in {} of contexts.",
        label(metric),
        display_name(&r.strategies[lead]),
        gap(metric, x.mean_regret, false),
        worse_word(metric),
        gap(metric, x.p90_regret, false),
        gap(metric, x.max_regret, false),
        pct(x.share_best)
    )
}

/// The robustness section's paragraphs (plain text, one per entry), in three parts: which
/// strategy holds up, where it stops, what would change the recommendation.
pub(crate) fn robustness(r: &FitReport) -> [Vec<String>; 3] {
    [holds(r), stops(r), changes(r)]
}

fn holds(r: &FitReport) -> Vec<String> {
    let mut out = Vec::new();
    let primary = &r.robustness.metrics[0];
    let lead = primary.leader();
    let minimax = primary.minimax();
    let mut first = holds_up(r, primary);
    if minimax == lead {
        first += " It also has the smallest worst case (minimax regret).";
    } else {
        first += &format!(
            " {} has the smallest worst case ({}): the choice for whoever fears the worst case most (minimax regret).",
            display_name(&r.strategies[minimax]),
            gap(
                &primary.metric,
                primary.strategies[minimax].max_regret,
                false
            )
        );
    }
    out.push(first);
    for m in &r.robustness.metrics[1..] {
        out.push(holds_up(r, m));
    }
    if let Some(sat) = &r.robustness.satisficing {
        let mut order: Vec<usize> = (0..r.strategies.len()).collect();
        order.sort_by(|&a, &b| sat.all[b].total_cmp(&sat.all[a]).then(a.cmp(&b)));
        let list: Vec<String> = order
            .iter()
            .map(|&s| format!("{} in {}", display_name(&r.strategies[s]), pct(sat.all[s])))
            .collect();
        out.push(format!(
            "Meeting every requirement you set ({}): {} of the contexts tested.",
            sat.requirements.join(", "),
            join_and(&list)
        ));
    }
    if let Some(w) = &r.robustness.weighted {
        let mut order: Vec<usize> = (0..r.strategies.len()).collect();
        order.sort_by(|&a, &b| w[a].total_cmp(&w[b]).then(a.cmp(&b)));
        let list: Vec<String> = order
            .iter()
            .map(|&s| format!("{} {}", display_name(&r.strategies[s]), fixed(w[s], 2)))
            .collect();
        let weights: Vec<String> = r
            .criteria
            .weights
            .iter()
            .map(|(m, w)| format!("{} {}", label(m), pct(*w)))
            .collect();
        out.push(format!(
            "With your weights ({}), the weighted regret (0 = best everywhere, 1 = the worst shortfall seen, everywhere) ranks: {}. It is shown beside the criteria above, not instead of them.",
            weights.join(", "),
            list.join(", ")
        ));
    }
    out
}

fn stops(r: &FitReport) -> Vec<String> {
    if r.dims.is_empty() {
        return vec!["The design varied no numeric context key, so there is no region of contexts to describe.".into()];
    }
    r.discoveries
        .iter()
        .map(|d| discovery_words(r, d))
        .collect()
}

fn changes(r: &FitReport) -> Vec<String> {
    let mut out = Vec::new();
    if let Some((a, b)) = r.map_dims {
        out.push(format!(
            "The context keys that matter most for the choice are {} and {}: the fit map plots every context tested on these two.",
            key_words(&r.dims[a].key),
            key_words(&r.dims[b].key)
        ));
    }
    let primary = &r.robustness.metrics[0];
    let lead = primary.leader();
    let mut differ: Vec<String> = Vec::new();
    for s in (0..r.strategies.len()).filter(|&s| s != lead) {
        let on: Vec<String> = r.robustness.metrics[1..]
            .iter()
            .filter(|m| m.leader() == s)
            .map(|m| label(&m.metric))
            .collect();
        if !on.is_empty() {
            differ.push(format!(
                "{} on {}",
                display_name(&r.strategies[s]),
                join_and(&on)
            ));
        }
    }
    if differ.is_empty() {
        out.push(format!(
            "{} also holds up best on every other criterion tested: the choice does not hinge on which criterion matters most.",
            display_name(&r.strategies[lead])
        ));
    } else {
        out.push(format!(
            "The choice depends on what matters most: {} holds up best on {}, but {}.",
            display_name(&r.strategies[lead]),
            label(&primary.metric),
            join_and(&differ)
        ));
    }
    let (lo, hi) = r.seeds;
    let seeds = if lo == hi {
        lo.to_string()
    } else {
        format!("{lo} to {hi}")
    };
    out.push(match primary.close_share {
        Some(c) => format!(
            "Each context was simulated with {seeds} seeds shared by every strategy. On {}, the best strategy's 95% interval overlaps the runner-up's in {} of contexts: there, more seeds could change which strategy is best, so read single-context wins with care.",
            label(&primary.metric),
            pct(c)
        ),
        None => "Each context was simulated with one seed, so no interval can be formed: a single future can crown the wrong winner. Use more seeds (--seeds) before relying on context-by-context wins.".into(),
    });
    out
}
