//! Unit tests of the findings with constructed runs: a clear and an unclear case.

use super::*;
use crate::report::data::RunRow;

const METRICS: [&str; 5] = [
    "conflict_incidents",
    "mean_income_usd_week",
    "poverty_share",
    "npv_cost_usd",
    "total_cost_usd",
];

/// A deterministic wiggle in -1..1 per replicate and salt.
fn noise(rep: u64, salt: u64) -> f64 {
    let h = stable_seed(&[&rep.to_string(), &salt.to_string()]);
    (h % 2001) as f64 / 1000.0 - 1.0
}

/// Runs for strategies given as (conflict, income, poverty, npv) levels; `wobble` scales
/// the independent noise of the non-reference strategies.
fn runs(levels: &[[f64; 4]], wobble: f64) -> Runs {
    let mut rows = Vec::new();
    for (s, lv) in levels.iter().enumerate() {
        for rep in 0..20u64 {
            let shared = noise(rep, 99);
            let own = |k: u64| {
                if s == 0 {
                    0.0
                } else {
                    wobble * noise(rep, 10 * s as u64 + k)
                }
            };
            let conflict = lv[0] * (1.0 + 0.1 * shared + own(1));
            let npv = lv[3] * (1.0 + 0.1 * shared + own(4));
            let values = vec![
                conflict,
                lv[1] * (1.0 + 0.05 * shared + own(2)),
                (lv[2] + 0.02 * shared + own(3) * 0.1).clamp(0.0, 1.0),
                npv,
                npv * 1.3,
            ];
            rows.push(RunRow {
                strategy: s,
                replicate: rep,
                values,
            });
        }
    }
    Runs::new(METRICS.map(String::from).to_vec(), rows)
}

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

fn texts(found: &[Finding], topic: Topic) -> Vec<String> {
    found
        .iter()
        .filter(|f| f.topic == topic)
        .map(|f| f.text.clone())
        .collect()
}

#[test]
fn clear_differences_are_claimed_with_size_and_interval() {
    let strategies = names(&["coexistence", "confrontation"]);
    let data = runs(&[[100.0, 50.0, 0.5, 40e6], [250.0, 40.0, 0.7, 90e6]], 0.0);
    let found = findings(&strategies, &data, "10 years");
    let conflict = texts(&found, Topic::Conflict);
    assert_eq!(conflict.len(), 1);
    assert!(
        conflict[0].starts_with(
            "Coexistence compared with Confrontation: conflict incidents 60% lower (95% CI"
        ),
        "{}",
        conflict[0]
    );
    let cost = texts(&found, Topic::Cost).join(" ");
    assert!(cost.contains("NPV cost USD 50.0 M lower (95% CI"), "{cost}");
    assert!(!cost.contains("no clear difference in NPV"), "{cost}");
    let trade = texts(&found, Topic::TradeOff).join(" ");
    assert!(
        trade.contains("Coexistence has both the fewest conflict incidents"),
        "{trade}"
    );
}

#[test]
fn unclear_differences_are_not_claimed() {
    let strategies = names(&["confrontation", "late_engagement"]);
    // Same levels, large independent noise: every interval must span no change.
    let data = runs(&[[100.0, 50.0, 0.5, 40e6], [100.0, 50.0, 0.5, 40e6]], 0.3);
    let found = findings(&strategies, &data, "10 years");
    for topic in [Topic::Conflict, Topic::Livelihoods, Topic::Cost] {
        for text in texts(&found, topic)
            .iter()
            .filter(|t| !t.starts_with("Tail risk"))
        {
            assert!(!text.contains("% lower (95%"), "{text}");
            assert!(!text.contains("% higher (95%"), "{text}");
            assert!(
                !text.contains("M lower (95%") && !text.contains("M higher (95%"),
                "{text}"
            );
        }
    }
    let conflict = texts(&found, Topic::Conflict).join(" ");
    assert!(
        conflict.contains(
            "Late engagement compared with Confrontation: no clear difference in conflict incidents"
        ),
        "{conflict}"
    );
}

#[test]
fn claims_agree_with_intervals() {
    // Whatever the data, a clause claims a direction only if its interval excludes no change.
    let sets = [(0.0, 0.8), (0.05, 0.95), (0.2, 1.0), (0.4, 1.1)];
    for (wobble, factor) in sets {
        let data = runs(
            &[[100.0, 50.0, 0.5, 40e6], [100.0 * factor, 50.0, 0.5, 40e6]],
            wobble,
        );
        let (a, b) = data.paired(0, 1, "conflict_incidents");
        let e = Effect::paired(&a, &b, Measure::Ratio, 5).unwrap();
        let clause = e.clause("clashes");
        assert_eq!(e.is_clear(), !clause.starts_with("no "), "{clause} {e:?}");
    }
}

#[test]
fn reference_is_confrontation_else_first() {
    assert_eq!(reference(&names(&["a", "confrontation"])), 1);
    assert_eq!(reference(&names(&["a", "b"])), 0);
}

#[test]
fn a_single_strategy_gets_no_comparison() {
    let found = findings(
        &names(&["cohabitation"]),
        &runs(&[[1.0, 1.0, 0.1, 1.0]], 0.0),
        "1 year",
    );
    assert_eq!(found.len(), 1);
    assert!(found[0].text.contains("Only one strategy (Cohabitation)"));
}
