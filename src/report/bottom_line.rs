//! The bottom line of the briefing: the trade-off between the calmest and the cheapest
//! strategy in one sentence (with income per person when the run measures it over everyone),
//! and a second sentence saying whether each leader keeps its lead across the 90% range of
//! simulated futures or changes within it (paired: every strategy sees the same futures).

use std::collections::BTreeMap;

use super::catalogue::{Better, Info};
use super::findings::{Finding, Inputs, Topic};
use super::format::num;

/// A leader keeps its lead "across the 90% range of futures" when it leads (or ties) in at
/// least this share of them.
const HOLDS: f64 = 0.9;

/// The bottom line, if the run has conflict incidents or NPV cost.
pub(crate) fn bottom_line(inp: &Inputs) -> Option<Finding> {
    let conflict = inp.metric("conflict_incidents").copied();
    let cost = inp.metric("npv_cost_usd").copied();
    let income = inp.metric("income_all_usd_week").copied();
    let calm = conflict.and_then(|m| Some((m, *inp.leaders(&m).first()?)));
    let cheap = cost.and_then(|m| Some((m, *inp.leaders(&m).first()?)));
    let rich = income.and_then(|m| Some((m, *inp.leaders(&m).first()?)));
    let mut text = match (calm, cheap) {
        (Some(c), Some(k)) if c.1 == k.1 => both(inp, c, k),
        (Some(c), Some(k)) => trade_off(inp, c, k),
        (Some((m, s)), None) | (None, Some((m, s))) => single(inp, &m, s),
        (None, None) => return None,
    };
    if let Some((m, s)) = rich {
        text.push_str(&format!(
            " Income per person, counting everyone ever in the area, is highest under {} ({}).",
            inp.name(s),
            inp.value(s, &m)
        ));
    }
    let held: Vec<(Info, usize)> = [calm, cheap, rich].into_iter().flatten().collect();
    text.push(' ');
    text.push_str(&robustness(inp, &held));
    Some(Finding {
        topic: Topic::BottomLine,
        text,
    })
}

/// "fewest conflict incidents" / "lowest NPV cost to the company".
fn best_on(m: &Info) -> String {
    match m.column {
        "conflict_incidents" => "the fewest conflict incidents".to_string(),
        "npv_cost_usd" => "the lowest NPV cost".to_string(),
        _ => format!("the highest {}", m.words),
    }
}

/// Deaths beside conflict, when the run counts them: `, 1.30 deaths`.
fn deaths(inp: &Inputs, s: usize) -> String {
    if !inp.runs.has("fatalities") {
        return String::new();
    }
    let d = inp.mean(s, "fatalities");
    match d {
        0.0 => ", no deaths".to_string(),
        _ => format!(", {} deaths", num(d)),
    }
}

fn both(inp: &Inputs, (conflict, s): (Info, usize), (cost, _): (Info, usize)) -> String {
    let mut text = format!(
        "{} leads on both conflict and cost in this context: on average {} ({}{}) and {} ({})",
        inp.name(s),
        best_on(&conflict),
        inp.value(s, &conflict),
        deaths(inp, s),
        best_on(&cost),
        inp.value(s, &cost)
    );
    if let Some(runner) = inp.best_other(&cost, &[s])
        && let Some(e) = inp.effect(runner, s, &cost)
    {
        text.push_str(&format!(
            "; against {}, the next cheapest: {}",
            inp.name(runner),
            e.clause("NPV cost")
        ));
    }
    text.push('.');
    text
}

fn trade_off(
    inp: &Inputs,
    (conflict, calm): (Info, usize),
    (cost, cheap): (Info, usize),
) -> String {
    let mut text = format!(
        "On average {} has {} ({}{}) and {} {} ({})",
        inp.name(calm),
        best_on(&conflict),
        inp.value(calm, &conflict),
        deaths(inp, calm),
        inp.name(cheap),
        best_on(&cost),
        inp.value(cheap, &cost)
    );
    let clauses: Vec<String> = [(&cost, "NPV cost"), (&conflict, "conflict incidents")]
        .into_iter()
        .filter_map(|(m, words)| Some(inp.effect(cheap, calm, m)?.clause(words)))
        .collect();
    if !clauses.is_empty() {
        text.push_str(&format!(
            ": choosing {} over {} means {}",
            inp.name(calm),
            inp.name(cheap),
            clauses.join(" and ")
        ));
    }
    text.push('.');
    text
}

fn single(inp: &Inputs, m: &Info, s: usize) -> String {
    format!("{} has {} ({}).", inp.name(s), best_on(m), inp.value(s, m))
}

/// Futures counted, futures the leader leads (or ties), and the strategy most often ahead
/// when it does not, with how often.
type Leads = (usize, usize, Option<(usize, usize)>);

/// In how many futures each leader leads (ties count), and who leads in the others.
fn robustness(inp: &Inputs, held: &[(Info, usize)]) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut all_hold = true;
    let mut previous = None;
    for (m, leader) in held {
        let Some((n, wins, rival)) = lead_count(inp, m, *leader) else {
            continue;
        };
        let holds = wins as f64 >= HOLDS * n as f64;
        let count = match (wins == n, holds) {
            (true, _) => format!("all {n}"),
            (false, true) => format!("{wins} of {n}"),
            (false, false) => format!("only {wins} of {n}"),
        };
        // "X has A in all 10 futures and B in only 3 of 10 futures": the name once.
        let who = if previous == Some(*leader) {
            String::new()
        } else {
            format!("{} has ", inp.name(*leader))
        };
        let mut part = format!("{who}{} in {count} futures", best_on(m));
        if !holds {
            all_hold = false;
            if let Some((r, k)) = rival {
                part.push_str(&format!(" ({} in {k})", inp.name(r)));
            }
        }
        parts.push(part);
        previous = Some(*leader);
    }
    if parts.is_empty() {
        return String::new();
    }
    let head = if all_hold {
        "The leaders hold across the 90% range of futures"
    } else {
        "The leader changes within the 90% range of futures"
    };
    format!("{head}: {}.", super::findings::and_list(&parts))
}

/// Over the futures every strategy ran: how many, in how many `leader` is best on `m` (or
/// tied), and the strategy most often strictly best when it is not (with that count).
fn lead_count(inp: &Inputs, m: &Info, leader: usize) -> Option<Leads> {
    let n = inp.strategies.len();
    let by: Vec<BTreeMap<u64, f64>> = (0..n).map(|s| inp.runs.by_replicate(s, m.column)).collect();
    let futures: Vec<u64> = by[leader]
        .keys()
        .filter(|r| by.iter().all(|b| b.contains_key(r)))
        .copied()
        .collect();
    if futures.is_empty() {
        return None;
    }
    let better = |a: f64, b: f64| match m.better {
        Better::Higher => a > b,
        _ => a < b,
    };
    let (mut wins, mut rivals) = (0, vec![0usize; n]);
    for r in &futures {
        let value = |s: usize| by[s][r];
        let best = (0..n).fold(
            leader,
            |b, s| if better(value(s), value(b)) { s } else { b },
        );
        if !better(value(best), value(leader)) {
            wins += 1;
        } else {
            rivals[best] += 1;
        }
    }
    let rival = (0..n)
        .filter(|s| rivals[*s] > 0)
        .max_by_key(|s| (rivals[*s], n - s))
        .map(|s| (s, rivals[s]));
    Some((futures.len(), wins, rival))
}
