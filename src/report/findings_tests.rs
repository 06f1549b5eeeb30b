//! Unit tests of the findings with constructed runs: clear and unclear differences, the
//! references (best alternative, the preset of a variant, a chosen baseline) and the bottom
//! line.

use super::*;
use crate::report::catalogue::lookup;
use crate::report::data::RunRow;

const METRICS: [&str; 6] = [
    "conflict_incidents",
    "mean_income_usd_week",
    "poverty_share",
    "npv_cost_usd",
    "total_cost_usd",
    "miners_final",
];

/// A deterministic wiggle in -1..1 per replicate and salt.
fn noise(rep: u64, salt: u64) -> f64 {
    let h = stable_seed(&[&rep.to_string(), &salt.to_string()]);
    (h % 2001) as f64 / 1000.0 - 1.0
}

/// Runs for strategies given as (conflict, income, poverty, npv, miners) levels; `wobble`
/// scales the independent noise of the strategies after the first.
fn runs(levels: &[[f64; 5]], wobble: f64) -> Runs {
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
                lv[4] * (1.0 + 0.05 * shared),
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

fn inputs<'a>(strategies: &'a [String], runs: &'a Runs) -> Inputs<'a> {
    Inputs {
        strategies,
        runs,
        presets: vec![None; strategies.len()],
        baseline: None,
        horizon: "10 years".to_string(),
        metrics: METRICS.iter().filter_map(|m| lookup(m)).collect(),
    }
}

fn texts(found: &[Finding], group: Group) -> Vec<String> {
    found
        .iter()
        .filter(|f| f.topic == Topic::Of(group))
        .map(|f| f.text.clone())
        .collect()
}

fn bottom(found: &[Finding]) -> String {
    let lines = found.iter().filter(|f| f.topic == Topic::BottomLine);
    lines.map(|f| f.text.clone()).collect::<Vec<_>>().join(" ")
}

#[test]
fn the_leader_is_compared_with_the_best_alternative_and_the_rest_with_it() {
    let strategies = names(&["confrontation", "coexistence", "cohabitation"]);
    let data = runs(
        &[
            [600.0, 50.0, 0.5, 150e6, 1000.0],
            [100.0, 50.0, 0.4, 40e6, 3000.0],
            [80.0, 55.0, 0.3, 60e6, 3100.0],
        ],
        0.01,
    );
    let found = findings(&inputs(&strategies, &data));
    let conflict = texts(&found, Group::Conflict).join(" ");
    for part in [
        "Conflict incidents: fewest under Cohabitation (80.0 incidents over 10 years); ",
        "against Coexistence, the best alternative (100 incidents over 10 years): 20.1% lower",
        ". Against Cohabitation: Confrontation 7.50 times as high (95% CI",
    ] {
        assert!(conflict.contains(part), "{part} not in {conflict}");
    }
    let cost = texts(&found, Group::Cost).join(" ");
    assert!(
        cost.contains("NPV cost to the company: lowest under Coexistence (USD 39.9 M)"),
        "{cost}"
    );
    assert!(cost.contains("Tail risk:"), "{cost}");
}

#[test]
fn a_stayers_only_income_is_labelled_and_never_called_what_miners_earn() {
    let strategies = names(&["confrontation", "coexistence"]);
    let data = runs(
        &[
            [600.0, 90.0, 0.5, 150e6, 1200.0],
            [100.0, 50.0, 0.4, 40e6, 3200.0],
        ],
        0.0,
    );
    let found = findings(&inputs(&strategies, &data));
    let all: String = found.iter().map(|f| f.text.as_str()).collect();
    assert!(!all.contains("earn most"), "{all}");
    let livelihoods = texts(&found, Group::Livelihoods).join(" ");
    assert!(
        livelihoods.contains("Income of the miners still digging: highest under Confrontation"),
        "{livelihoods}"
    );
    assert!(
        livelihoods.contains(
            "This counts only the miners still digging: displaced and departed miners are not \
             in it: under Confrontation 1,200 miners were still digging at the end, against \
             3,199 under Coexistence."
        ),
        "{livelihoods}"
    );
}

#[test]
fn unclear_differences_are_not_claimed() {
    let strategies = names(&["confrontation", "late_engagement"]);
    // Same levels, large independent noise: every interval must span no change.
    let level = [100.0, 50.0, 0.5, 40e6, 3000.0];
    let data = runs(&[level, level], 0.3);
    let found = findings(&inputs(&strategies, &data));
    for group in Group::SHOWN {
        for text in texts(&found, group)
            .iter()
            .filter(|t| !t.starts_with("Tail risk"))
        {
            for claim in [
                "% lower (95%",
                "% higher (95%",
                "M lower (95%",
                "M higher (95%",
            ] {
                assert!(!text.contains(claim), "{text}");
            }
        }
    }
    let conflict = texts(&found, Group::Conflict).join(" ");
    assert!(
        conflict.contains("the best alternative (") && conflict.contains(": no clear difference"),
        "{conflict}"
    );
}

#[test]
fn claims_agree_with_intervals() {
    // Whatever the data, a clause claims a direction only if its interval excludes no change.
    let sets = [(0.0, 0.8), (0.05, 0.95), (0.2, 1.0), (0.4, 1.1)];
    for (wobble, factor) in sets {
        let data = runs(
            &[
                [100.0, 50.0, 0.5, 40e6, 1.0],
                [100.0 * factor, 50.0, 0.5, 40e6, 1.0],
            ],
            wobble,
        );
        let (a, b) = data.paired(0, 1, "conflict_incidents");
        let e = Effect::paired(&a, &b, Measure::Ratio, 5).unwrap();
        let clause = e.clause("clashes");
        assert_eq!(e.is_clear(), !clause.starts_with("no "), "{clause} {e:?}");
    }
}

#[test]
fn a_variant_is_compared_with_its_preset_and_a_baseline_with_everyone() {
    let strategies = names(&["confrontation", "coexistence", "late_engagement"]);
    let data = runs(
        &[
            [600.0, 50.0, 0.5, 150e6, 1000.0],
            [100.0, 50.0, 0.4, 40e6, 3000.0],
            [130.0, 50.0, 0.4, 45e6, 3000.0],
        ],
        0.01,
    );
    let mut inp = inputs(&strategies, &data);
    inp.presets = vec![None, None, Some(1)];
    let conflict = texts(&findings(&inp), Group::Conflict).join(" ");
    assert!(
        conflict.contains(
            "Late engagement compared with Coexistence, the preset it is based on: conflict \
             incidents 30% higher (95% CI"
        ),
        "{conflict}"
    );
    inp.baseline = Some(0);
    let conflict = texts(&findings(&inp), Group::Conflict);
    assert!(
        conflict[0]
            .starts_with("Coexistence compared with Confrontation: conflict incidents 83.3% lower"),
        "{conflict:?}"
    );
    assert!(conflict[1].starts_with("Late engagement compared with Confrontation:"));
    assert!(conflict[2].contains("the preset it is based on"));
}

#[test]
fn the_bottom_line_states_the_trade_off_and_whether_the_leader_holds() {
    let strategies = names(&["coexistence", "cohabitation"]);
    // Cohabitation calmer and dearer; its conflict lead is too small to hold in every future.
    let data = runs(
        &[
            [100.0, 50.0, 0.4, 40e6, 3000.0],
            [95.0, 52.0, 0.3, 50e6, 3000.0],
        ],
        0.15,
    );
    let line = bottom(&findings(&inputs(&strategies, &data)));
    assert!(
        line.starts_with(
            "On average Cohabitation has the fewest conflict incidents (96.3 incidents over 10 years) and \
             Coexistence the lowest NPV cost (USD 40.0 M): choosing Cohabitation over \
             Coexistence means NPV cost USD 8.5 M higher (95% CI"
        ),
        "{line}"
    );
    assert!(
        line.contains(
            "The leader changes within the 90% range of futures: Cohabitation has the fewest \
             conflict incidents in only 14 of 20 futures (Coexistence in 6)"
        ),
        "{line}"
    );
    let clear = runs(
        &[
            [100.0, 50.0, 0.4, 40e6, 3000.0],
            [50.0, 52.0, 0.3, 50e6, 3000.0],
        ],
        0.0,
    );
    let line = bottom(&findings(&inputs(&strategies, &clear)));
    assert!(
        line.contains(
            "The leaders hold across the 90% range of futures: Cohabitation has the fewest \
             conflict incidents in all 20 futures and Coexistence has the lowest NPV cost in \
             all 20 futures."
        ),
        "{line}"
    );
}

#[test]
fn a_single_strategy_gets_no_comparison() {
    let strategies = names(&["cohabitation"]);
    let data = runs(&[[1.0, 1.0, 0.1, 1.0, 1.0]], 0.0);
    let found = findings(&inputs(&strategies, &data));
    assert_eq!(found.len(), 1);
    assert!(found[0].text.contains("Only one strategy (Cohabitation)"));
}
