//! Pattern-oriented validation: the seed's claims hold where the seed says they hold and
//! vanish or reverse where it says the context changes them; calibration targets are met.
//! Each check reports an effect size with a 95% CI over 40 paired replicates per arm (the
//! weakest effects, about 15%, need that many for an interval clear of zero).

use cohabit::patterns::{self, CHECKS};
use cohabit::scenario::ScenarioSource;

#[test]
fn every_pattern_and_calibration_target_holds_in_the_default_context() {
    let bar = indicatif::ProgressBar::hidden();
    let outcomes =
        patterns::run(&ScenarioSource::Default, &[], 40, CHECKS, &bar).expect("the suite runs");
    assert_eq!(outcomes.len(), CHECKS.len());
    let failures: Vec<String> = outcomes
        .iter()
        .filter(|o| !o.holds)
        .map(|o| {
            format!(
                "{} [{}] {} on {}: expected {}, measured {}",
                o.check.pattern,
                o.check.context,
                o.check.comparison,
                o.measure(),
                o.expected(),
                o.effect_text()
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "patterns that do not hold:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_claim_of_the_model_brief_is_checked_in_two_contexts() {
    // Each claim has at least one check where it should hold and one where it should vanish
    // or reverse (or a second, independent measure), so no pattern rests on one comparison.
    let claims = [
        "confrontation_raises_tension",
        "forced_eviction_displaces",
        "coexistence_avoids_escalation",
        "cohabitation_collaboration_livelihoods",
        "early_engagement",
        "indirect_engagement",
        "criminal_capture",
        "price_spike_rush",
        "slow_permits_delay_formalisation",
    ];
    for claim in claims {
        let checks: Vec<_> = CHECKS.iter().filter(|c| c.pattern == claim).collect();
        assert!(checks.len() >= 2, "{claim} has {} checks", checks.len());
    }
    assert!(CHECKS.iter().filter(|c| c.pattern == "calibration").count() >= 3);
}

#[test]
fn patterns_command_writes_its_table() {
    let dir = tempfile::tempdir().unwrap();
    let tiny = crate::common::tiny();
    let out = dir.path().join("p");
    let stdout = crate::common::ok(&[
        "patterns",
        tiny.to_str().unwrap(),
        "--seeds",
        "3",
        "--quiet",
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(stdout.contains("checks hold"), "{stdout}");
    let text = std::fs::read_to_string(out.join("patterns.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "pattern,context,comparison,measure,expected,effect,ci95_low,ci95_high,unit,holds"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), CHECKS.len());
    assert!(
        rows.iter()
            .all(|r| r.ends_with(",yes") || r.ends_with(",no"))
    );
}
