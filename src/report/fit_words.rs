//! The words and numbers of a fit as the board reads them: metric values and shortfalls in
//! each metric's own units, context keys in words, PRIM boxes as sentences, and the
//! robustness section (which strategy holds up, where it stops, what would change the
//! recommendation). Pure text from a [`FitReport`]; the page is assembled in `fit_briefing`.

use crate::fit::FitReport;
use crate::fit::discover::{CLEAR_QP, Discovery};
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
        Some(c) if !is_acronym(&l) => c.to_lowercase().chain(chars).collect(),
        _ => l,
    }
}

/// Whether text starts with an acronym (NPV, ASM), which keeps its capitals.
fn is_acronym(text: &str) -> bool {
    let word = text.split_whitespace().next().unwrap_or("");
    word.chars().filter(|c| c.is_alphabetic()).count() > 1
        && word
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase())
}

/// Text with its first letter in lower case, for running text (acronyms kept).
pub(crate) fn lower_first(text: &str) -> String {
    let mut chars = text.chars();
    match chars.next() {
        Some(c) if !is_acronym(text) => c.to_lowercase().chain(chars).collect(),
        _ => text.to_string(),
    }
}

/// Whether a context key is true-or-false (a switch such as a legal gate).
pub(crate) fn is_switch(key: &str) -> bool {
    key_info(key).is_some_and(|k| k.range == crate::scenario::Range::Bool)
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
        Some(k) => format!("{} ({key})", lower_first(k.meaning)),
        None => key.to_string(),
    }
}

/// A context key's meaning (its own name when unknown).
pub(crate) fn key_meaning(key: &str) -> String {
    key_info(key).map_or(key.to_string(), |k| k.meaning.to_string())
}

/// A switch's setting in words: "The law lets a company cede permit area to ASM: yes" for a
/// true-or-false key, "key = value" otherwise.
pub(crate) fn switch_words(key: &str, v: f64) -> String {
    match key_info(key) {
        Some(k) if k.range == crate::scenario::Range::Bool => {
            format!("{}: {}", k.meaning, if v == 1.0 { "yes" } else { "no" })
        }
        _ => format!("{key} = {}", key_value(v)),
    }
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
        _ if is_switch(&r.dims[dim].key) => {
            // Only one setting is inside: the box's low limit tells which.
            let key = &r.dims[dim].key;
            let (word, answer) = if lo > 0.0 {
                ("true", "yes")
            } else {
                ("false", "no")
            };
            format!(
                "{key} is {word} ({}: {answer})",
                lower_first(&key_meaning(key))
            )
        }
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
    let clear =
        |qp: &(Option<f64>, Option<f64>)| [qp.0, qp.1].into_iter().flatten().any(|p| p <= CLEAR_QP);
    let parts: Vec<String> = step
        .restricted
        .iter()
        .zip(&step.qp)
        .filter(|(_, qp)| clear(qp))
        .map(|(&dim, _)| restriction(r, d, dim))
        .collect();
    let loose = step.restricted.len() - parts.len();
    let stats = format!(
        "{} of the contexts there are such cases, and they hold {} of all such cases ({} of the contexts tested fall there)",
        pct(step.density),
        pct(step.coverage),
        pct(step.mass)
    );
    if parts.is_empty() {
        return format!(
            "{head} PRIM's box trims {loose} context keys a little, none clearly (every quasi-p-value above {CLEAR_QP}): no clear region ({stats})."
        );
    }
    let mut text = format!(
        "{head} They concentrate where {}: {stats}.",
        join_and(&parts)
    );
    if loose > 0 {
        let (s, it) = if loose == 1 {
            ("", "that limit")
        } else {
            ("s", "those limits")
        };
        text += &format!(
            " The box also trims {loose} other context key{s} a little; {it} could be chance (quasi-p-value above {CLEAR_QP}), see the table below."
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
    if let Some(m) = r.map {
        let split = m.panels.map_or(String::new(), |p| {
            format!(
                "; {} matters more still, and splits the map in one panel per setting",
                key_words(&r.dims[p].key)
            )
        });
        out.push(format!(
            "The context keys that matter most for the choice are {} and {}: the fit map plots every context tested on these two{split}.",
            key_words(&r.dims[m.x].key),
            key_words(&r.dims[m.y].key)
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
    out.extend(precision_words(r));
    out
}

/// With seeds chosen by precision: the targets, and how many contexts reached them.
fn precision_words(r: &FitReport) -> Option<String> {
    let p = r.precision.as_ref()?;
    let targets: Vec<String> = p
        .targets
        .iter()
        .map(|t| {
            let within = if t.relative {
                format!("{}% of the larger of the two means", t.value)
            } else {
                super::precision::amount(&t.metric, t.value)
            };
            format!("{} within ±{within}", lower_first(&label(&t.metric)))
        })
        .collect();
    let contexts = p.points_met + p.points_at_max;
    let it = if p.targets.len() == 1 { "it" } else { "them" };
    let stopped = format!(
        "the seeds stopped at the maximum of {} per strategy (--max-seeds), so their comparisons are less precise than asked",
        p.max_seeds
    );
    let outcome = match (p.points_met, p.points_at_max) {
        (_, 0) => format!("every one of the {contexts} contexts reached {it}"),
        (0, _) => format!("no context reached {it}: in all {contexts} {stopped}"),
        (met, at_max) => {
            format!(
                "{met} of the {contexts} contexts reached {it}; in the other {at_max} {stopped}"
            )
        }
    };
    Some(format!(
        "Seeds were chosen by precision: futures were added in blocks of {} until the 95% interval of the paired difference between every two strategies had {}; {outcome}.",
        p.block,
        join_and(&targets)
    ))
}
