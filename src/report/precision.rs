//! How precise the briefing's comparisons are: one paragraph of the method note, computed
//! from runs.csv (the half-width of the 95% t-interval of the paired difference between
//! every two strategies, as `--precision` measures it) and, when the run's seeds were chosen
//! by precision, the targets and outcome recorded in manifest.json.

use std::fmt::Write as _;

use super::catalogue;
use super::data::RunData;
use super::format::{display_name, fixed, html, num, pct, usd_m};
use crate::experiment::precision::Report;
use crate::stats::paired_half_width;

/// Measures stated without `--precision`: cost, conflict and deaths, and the livelihood
/// income the briefing shows.
const SHOWN: [&str; 3] = ["npv_cost_usd", "conflict_incidents", "fatalities"];

/// The widest paired half-width of one metric over every pair of strategies.
struct Widest {
    half: f64,
    /// The larger absolute mean of the binding pair.
    scale: f64,
    pair: (usize, usize),
}

fn widest(data: &RunData, metric: &str) -> Option<Widest> {
    let n = data.strategies.len();
    let mut best: Option<Widest> = None;
    for a in 0..n {
        for b in a + 1..n {
            let (x, y) = data.runs.paired(a, b, metric);
            if x.len() < 2 {
                continue;
            }
            let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
            let half = paired_half_width(&x, &y);
            if best.as_ref().is_none_or(|w| half > w.half) {
                best = Some(Widest {
                    half,
                    scale: mean(&x).abs().max(mean(&y).abs()),
                    pair: (a, b),
                });
            }
        }
    }
    best
}

/// A half-width in the metric's unit, as the briefing writes values (plain text).
pub(crate) fn amount(metric: &str, half: f64) -> String {
    match catalogue::lookup(metric).map(|i| i.unit) {
        Some(catalogue::Unit::Usd) => usd_m(half),
        Some(catalogue::Unit::Share) => format!("{} points", fixed(half * 100.0, 2)),
        Some(catalogue::Unit::UsdWeek) => format!("USD {} a week", num(half)),
        _ => num(half),
    }
}

/// One measure's achieved precision: `NPV cost to the company ±USD 0.55 M (8% of the larger
/// mean; Confrontation vs Cohabitation)`.
fn achieved(data: &RunData, metric: &str) -> Option<String> {
    let w = widest(data, metric)?;
    let words = catalogue::lookup(metric).map_or(metric.replace('_', " "), |i| i.words.into());
    let share = if w.scale > 0.0 {
        format!("{} of the larger mean, ", pct(w.half / w.scale))
    } else {
        String::new()
    };
    Some(format!(
        "{} &plusmn;{} ({share}{} vs {})",
        html(&words),
        amount(metric, w.half),
        html(&display_name(&data.strategies[w.pair.0])),
        html(&display_name(&data.strategies[w.pair.1]))
    ))
}

/// The method note's paragraph on precision (empty with fewer than two strategies).
pub(crate) fn paragraph(data: &RunData) -> String {
    if data.strategies.len() < 2 {
        return String::new();
    }
    let mut page = String::new();
    match &data.manifest.precision {
        Some(p) => chosen(&mut page, data, p),
        None => {
            let mut shown: Vec<String> = SHOWN.iter().map(|s| s.to_string()).collect();
            shown.extend(catalogue::income(data).map(|i| i.column.to_string()));
            let items: Vec<String> = shown.iter().filter_map(|m| achieved(data, m)).collect();
            if items.is_empty() {
                return String::new();
            }
            let _ = writeln!(
                page,
                "<p class=\"precision\"><strong>How precise the comparisons are.</strong> With {} futures, the widest 95% interval of the paired difference between any two strategies is: {}. Differences smaller than these may be chance. To tighten them, rerun with <code>--precision METRIC:TARGET</code> (e.g. <code>--precision npv_cost_usd:5%</code>): seeds are then added until every difference is known to within the target.</p>",
                data.seeds(),
                items.join("; ")
            );
        }
    }
    page
}

/// The paragraph of a run whose seeds were chosen by precision.
fn chosen(page: &mut String, data: &RunData, p: &Report) {
    let targets: Vec<String> = p
        .targets
        .iter()
        .map(|t| {
            let words =
                catalogue::lookup(&t.metric).map_or(t.metric.replace('_', " "), |i| i.words.into());
            let within = if t.relative {
                format!("{}% of the larger of the two means", t.value)
            } else {
                amount(&t.metric, t.value)
            };
            format!("{}: &plusmn;{within}", html(&words))
        })
        .collect();
    let outcome = if p.points_at_max == 0 {
        format!(
            "The target was reached with {} futures per strategy.",
            data.seeds()
        )
    } else {
        format!(
            "<strong>The target was not reached</strong>: the run stopped at the maximum of {} futures per strategy (<code>--max-seeds</code>), so some differences are less precise than asked.",
            p.max_seeds
        )
    };
    let items: Vec<String> = p
        .targets
        .iter()
        .filter_map(|t| achieved(data, &t.metric))
        .collect();
    let _ = writeln!(
        page,
        "<p class=\"precision\"><strong>How precise the comparisons are.</strong> Futures were added in blocks of {} until the 95% interval of the paired difference between every two strategies was within the target on each measure asked for ({}). {outcome} Widest intervals achieved: {}.</p>",
        p.block,
        targets.join("; "),
        items.join("; ")
    );
}
