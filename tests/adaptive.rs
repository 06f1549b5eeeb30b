//! Adaptive strategies: a trigger that fires changes the run, one that never fires leaves it
//! byte-identical to the fixed strategy; every problem with phases and triggers is refused at
//! once with file, line and key; the adaptive presets run from the embedded default.

use crate::common::{cohabit, ok, read, tiny};
use cohabit::metrics::METRICS;
use std::path::Path;

/// A scenario file beside the tiny one, with the tiny world and the given strategies.
fn scenario(dir: &Path, strategies: &str) -> std::path::PathBuf {
    let base = read(&tiny());
    let world = base
        .split("[strategies.")
        .next()
        .expect("the tiny scenario has strategies");
    let file = dir.join("adaptive.toml");
    std::fs::write(&file, format!("{world}{strategies}")).unwrap();
    file
}

/// runs.csv rows of one strategy, without the strategy column.
fn rows(out: &Path, strategy: &str) -> Vec<String> {
    read(&out.join("runs.csv"))
        .lines()
        .filter_map(|l| l.strip_prefix(&format!("{strategy},")).map(str::to_string))
        .collect()
}

fn column(out: &Path, strategy: &str, metric: &str) -> Vec<f64> {
    let k = 2 + METRICS.iter().position(|m| *m == metric).unwrap();
    rows(out, strategy)
        .iter()
        .map(|r| r.split(',').nth(k).unwrap().parse().unwrap())
        .collect()
}

const FIXED_AND_ADAPTIVE: &str = r#"
[strategies.fixed]
preset = "coexistence"

[strategies.never]
preset = "coexistence"
[strategies.never.phases.respond]
preset = "confrontation"
[[strategies.never.triggers]]
from = "start"
to = "respond"
when = ["fatalities >= 1000"]
window_weeks = 4

[strategies.fires]
preset = "coexistence"
[strategies.fires.phases.respond]
preset = "confrontation"
[[strategies.fires.triggers]]
from = "start"
to = "respond"
when = ["week >= 10"]
window_weeks = 1
"#;

#[test]
fn a_trigger_that_never_fires_is_the_fixed_strategy_and_one_that_fires_changes_the_run() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(dir.path(), FIXED_AND_ADAPTIVE);
    let out = dir.path().join("out");
    ok(&[
        "run",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--no-charts",
    ]);
    // Byte-identical rows (replicate, seed and every metric), and identical timeseries.
    assert_eq!(rows(&out, "fixed"), rows(&out, "never"));
    let series = read(&out.join("timeseries.csv"));
    let of = |s: &str| -> Vec<String> {
        series
            .lines()
            .filter_map(|l| l.strip_prefix(&format!("{s},")).map(str::to_string))
            .collect()
    };
    assert_eq!(of("fixed"), of("never"));
    // The trigger fires at the start of week 10 (0-based): ten weeks in `start`, the rest in
    // `respond`, one change, first seen in week 11 (1-based), and the run differs.
    assert!(
        column(&out, "fires", "phase_switches")
            .iter()
            .all(|&x| x == 1.0)
    );
    assert!(
        column(&out, "fires", "first_switch_week")
            .iter()
            .all(|&x| x == 11.0)
    );
    assert!(
        column(&out, "fires", "weeks_in_phase_1")
            .iter()
            .all(|&x| x == 10.0)
    );
    assert!(
        column(&out, "fires", "weeks_in_phase_2")
            .iter()
            .all(|&x| x == 42.0)
    );
    assert_ne!(rows(&out, "fixed"), rows(&out, "fires"));
    let evictions = |s| column(&out, s, "evictions").iter().sum::<f64>();
    assert!(
        evictions("fires") > evictions("fixed"),
        "confrontation evicts more"
    );
    // The timeseries shows the share of runs in each phase.
    let share = |phase: &str, week: &str| -> f64 {
        series
            .lines()
            .find(|l| l.starts_with(&format!("fires,{week},{phase},")))
            .unwrap_or_else(|| panic!("no {phase} row at week {week}"))
            .split(',')
            .nth(3)
            .unwrap()
            .parse()
            .unwrap()
    };
    assert_eq!(share("in_phase_1", "52"), 0.0);
    assert_eq!(share("in_phase_2", "52"), 1.0);
    // Same random futures: the gold price path of replicate r is every strategy's.
    let price = |s: &str| -> Vec<String> {
        series
            .lines()
            .filter(|l| l.starts_with(&format!("{s},")) && l.contains(",gold_price_usd_per_g,"))
            .map(|l| l.split_once(',').unwrap().1.to_string())
            .collect()
    };
    assert_eq!(price("fixed"), price("fires"));
}

#[test]
fn every_problem_with_phases_and_triggers_is_listed_at_once() {
    let dir = tempfile::tempdir().unwrap();
    let file = scenario(
        dir.path(),
        r#"
[strategies.bad]
preset = "coexistence"
[strategies.bad.phases.respond]
preset = "confrontation"
[strategies.bad.phases.lonely]
preset = "cohabitation"
[strategies.bad.phases.nested]
preset = "stepwise"
[[strategies.bad.triggers]]
from = "start"
to = "respnd"
when = ["trust >= 0.4"]
window_weeks = 4
[[strategies.bad.triggers]]
from = "start"
to = "respond"
when = ["trust > 1.5", "calm >= 2"]
window_weeks = 4
[[strategies.bad.triggers]]
from = "respond"
to = "respond"
when = ["week >= 10"]
window_weeks = 400
colour = "red"
"#,
    );
    let out = cohabit(&["validate", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    let file_name = file.display().to_string();
    for needle in [
        "unknown key `colour`",
        "a phase's preset must be a fixed strategy",
        "strategies.bad.phases.nested.preset",
    ] {
        assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
    }
    assert!(err.contains(&file_name), "{err}");
    // Once the keys are right, the typed checks: fix the key problems and look again.
    let fixed = read(&file)
        .replace("colour = \"red\"\n", "")
        .replace("preset = \"stepwise\"", "preset = \"collaboration\"");
    std::fs::write(&file, fixed).unwrap();
    let out = cohabit(&["validate", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    for needle in [
        "unknown phase `respnd`; expected one of start, respond, lonely, nested",
        "\"trust > 1.5\" can never hold",
        "expected \"SIGNAL OP NUMBER\"",
        "expected two different phases",
        "phase `lonely` can never be reached",
        "phase `nested` can never be reached",
    ] {
        assert!(err.contains(needle), "expected {needle:?} in:\n{err}");
    }
    assert!(err.contains("line "), "problems name their line: {err}");
}

#[test]
fn too_many_phases_or_triggers_without_phases_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let mut many = String::from("[strategies.many]\npreset = \"coexistence\"\n");
    for p in ["a", "b", "c", "d"] {
        many += &format!(
            "[strategies.many.phases.{p}]\npreset = \"confrontation\"\n[[strategies.many.triggers]]\nfrom = \"start\"\nto = \"{p}\"\nwhen = [\"week >= 5\"]\nwindow_weeks = 1\n"
        );
    }
    many += "[strategies.orphan]\npreset = \"coexistence\"\n[[strategies.orphan.triggers]]\nfrom = \"start\"\nto = \"x\"\nwhen = [\"week >= 5\"]\nwindow_weeks = 1\n";
    let file = scenario(dir.path(), &many);
    let out = cohabit(&["validate", file.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("expected at most 3 phases besides `start`"),
        "{err}"
    );
    assert!(err.contains("expected phases for the triggers"), "{err}");
}

#[test]
fn the_adaptive_presets_run_from_the_embedded_default_and_record_their_path() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("default");
    ok(&[
        "run",
        "--seeds",
        "2",
        "--set",
        "weeks=260",
        "--strategies",
        "hands_off_then_respond,stepwise",
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--no-charts",
    ]);
    for s in ["hands_off_then_respond", "stepwise"] {
        let weeks: f64 = (1..=4)
            .map(|k| {
                column(&out, s, &format!("weeks_in_phase_{k}"))
                    .iter()
                    .sum::<f64>()
            })
            .sum();
        assert_eq!(weeks, 2.0 * 260.0, "{s}: every week is in some phase");
    }
    // The resolved scenario keeps the phases and triggers: rerunning it is the same run.
    let resolved = read(&out.join("scenario.toml"));
    assert!(
        resolved.contains("[strategies.stepwise.phases.cohabitation]"),
        "{resolved}"
    );
    assert!(
        resolved.contains("[[strategies.stepwise.triggers]]"),
        "{resolved}"
    );
    ok(&["validate", out.join("scenario.toml").to_str().unwrap()]);
}
