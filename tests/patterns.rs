//! Pattern-oriented validation: the seed's claims hold where the seed says they hold, vanish
//! or reverse where it says the context changes them, and vanish when the mechanism they rest
//! on is switched off (the knock-out); calibration targets are met. Each check reports an
//! effect size with a 95% CI over 40 paired replicates per arm. The best-fit contexts are run
//! through `cohabit patterns` too, so the ranking of the four models in each is always
//! computable (what it says is reported in ODD 9.13, not asserted: no constant is tuned toward
//! a winner).

use cohabit::patterns::{self, CHECKS, CRITERIA, Expect};
use cohabit::scenario::ScenarioSource;

#[test]
fn every_pattern_holds_and_vanishes_without_its_mechanism_in_the_default_context() {
    let bar = indicatif::ProgressBar::hidden();
    let found =
        patterns::run(&ScenarioSource::Default, &[], 40, CHECKS, &bar).expect("the suite runs");
    assert_eq!(found.outcomes.len(), CHECKS.len());
    let failures: Vec<String> = found
        .outcomes
        .iter()
        .filter(|o| !o.passes())
        .map(|o| {
            format!(
                "{} [{}] {} on {}: expected {}, measured {}; without {}: {}",
                o.check.pattern,
                o.check.context,
                o.check.comparison,
                o.measure(),
                o.expected(),
                o.effect_text(),
                o.check.mechanism,
                o.knockout_text()
            )
        })
        .collect();
    assert!(
        failures.is_empty(),
        "checks that do not pass:\n{}",
        failures.join("\n")
    );
    assert_eq!(found.ranking.len(), CRITERIA.len());
}

#[test]
fn every_claim_is_checked_twice_and_every_comparison_has_a_knockout() {
    // Each claim has at least two checks (two contexts, or two independent measures), so no
    // pattern rests on one comparison; every comparison names the keys that switch its
    // mechanism off, and only calibration targets have none.
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
    for c in CHECKS {
        let calibration = matches!(c.expect, Expect::Within(..));
        assert_eq!(
            c.knockout.is_empty(),
            calibration,
            "{} [{}]: a comparison needs a knock-out, a calibration target none",
            c.pattern,
            c.context
        );
        if !calibration {
            assert!(!c.mechanism.is_empty());
        }
    }
    // Measures a lever writes directly are not evidence: trust (the channel's standing sets
    // it), displaced per eviction, arrivals (the price is in the arrival rate), due-diligence
    // cost (a lever's spend).
    for c in CHECKS {
        let m = format!("{:?}", c.measure);
        for direct in [
            "trust",
            "arrivals",
            "due_diligence_cost_usd",
            "DisplacedPerEviction",
        ] {
            assert!(
                !m.contains(direct),
                "{} measures {direct}, which its lever writes",
                c.pattern
            );
        }
    }
    assert!(CHECKS.iter().filter(|c| c.pattern == "calibration").count() >= 3);
}

#[test]
fn patterns_command_writes_its_tables() {
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
    assert!(stdout.contains("checks pass"), "{stdout}");
    assert!(stdout.contains("without "), "{stdout}");
    assert!(stdout.contains("Ranking of the four models"), "{stdout}");
    let text = std::fs::read_to_string(out.join("patterns.csv")).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "pattern,context,comparison,measure,expected,effect,ci95_low,ci95_high,unit,holds,\
         mechanism,knockout,knockout_effect,knockout_ci95_low,knockout_ci95_high,knockout_unit,vanishes,passes"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() >= CHECKS.len());
    assert!(
        rows.iter()
            .all(|r| r.ends_with(",yes") || r.ends_with(",no"))
    );
    let ranking = std::fs::read_to_string(out.join("ranking.csv")).unwrap();
    assert_eq!(ranking.lines().count(), 1 + 4 * CRITERIA.len());
}

#[test]
fn the_best_fit_contexts_rank_the_four_models_through_the_patterns_command() {
    for fit in [
        "fit-exclusion",
        "fit-coexistence",
        "fit-cohabitation",
        "fit-collaboration",
    ] {
        let dir = tempfile::tempdir().unwrap();
        let scenario = crate::common::repo(&format!("scenarios/{fit}.toml"));
        let out = dir.path().join("p");
        let stdout = crate::common::ok(&[
            "patterns",
            scenario.to_str().unwrap(),
            "--ranking-only",
            "--seeds",
            "4",
            "--quiet",
            "--out",
            out.to_str().unwrap(),
        ]);
        for preset in [
            "confrontation",
            "coexistence",
            "cohabitation",
            "collaboration",
        ] {
            assert!(stdout.contains(preset), "{fit}: {stdout}");
        }
        let ranking = std::fs::read_to_string(out.join("ranking.csv")).unwrap();
        assert_eq!(ranking.lines().count(), 1 + 4 * CRITERIA.len(), "{fit}");
        assert!(
            ranking
                .lines()
                .any(|l| l.starts_with("npv_cost_usd,lower,1,")),
            "{fit}: {ranking}"
        );
    }
}
