//! Every class of bad input is caught before any run, exits with code 2, and says where
//! (file, line), which key, and what was expected; nothing panics.

use crate::common::{cohabit, tiny};
use std::path::Path;

/// Write a scenario and run `validate` on it; return stderr (asserting exit code 2).
fn rejected(dir: &Path, text: &str) -> String {
    let path = dir.join("bad.toml");
    std::fs::write(&path, text).unwrap();
    let out = cohabit(&["validate", path.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(
        out.status.code(),
        Some(2),
        "expected exit 2, got {:?}: {err}",
        out.status.code()
    );
    assert!(!err.contains("panicked"), "{err}");
    assert!(
        err.contains("bad.toml"),
        "error should name the file: {err}"
    );
    err
}

#[test]
fn unknown_key_is_named_with_its_line() {
    let dir = tempfile::tempdir().unwrap();
    let err = rejected(
        dir.path(),
        "name = \"x\"\n\n[economy]\ngold_price_usd_per_gram = 80\n",
    );
    assert!(err.contains("line 4"), "{err}");
    assert!(err.contains("economy.gold_price_usd_per_gram"), "{err}");
    assert!(
        err.contains("expected one of"),
        "should list the valid keys: {err}"
    );
}

#[test]
fn share_outside_zero_one() {
    let dir = tempfile::tempdir().unwrap();
    let err = rejected(dir.path(), "[economy]\nbuyer_price_share = 1.4\n");
    assert!(
        err.contains("line 2") && err.contains("economy.buyer_price_share"),
        "{err}"
    );
    assert!(err.contains("from 0 to 1") && err.contains("1.4"), "{err}");
}

#[test]
fn negative_count() {
    let dir = tempfile::tempdir().unwrap();
    let err = rejected(dir.path(), "[miners]\ninitial = -5\n");
    assert!(
        err.contains("line 2") && err.contains("miners.initial"),
        "{err}"
    );
    assert!(err.contains("whole number"), "{err}");
}

#[test]
fn week_beyond_the_horizon() {
    let dir = tempfile::tempdir().unwrap();
    let text =
        "weeks = 100\n[strategies.late]\npreset = \"coexistence\"\nengagement.start_week = 300\n";
    let err = rejected(dir.path(), text);
    assert!(
        err.contains("strategies.late.engagement.start_week"),
        "{err}"
    );
    assert!(
        err.contains("line 4") && err.contains("before the horizon"),
        "{err}"
    );
    let err = rejected(
        dir.path(),
        "weeks = 100\n[economy]\nprice_shock_factor = 1.5\nprice_shock_week = 120\n",
    );
    assert!(
        err.contains("economy.price_shock_week") && err.contains("line 4"),
        "{err}"
    );
}

#[test]
fn unknown_preset_and_channel() {
    let dir = tempfile::tempdir().unwrap();
    let err = rejected(
        dir.path(),
        "[strategies.mine]\npreset = \"peacebuilding\"\n",
    );
    assert!(
        err.contains("line 2") && err.contains("peacebuilding"),
        "{err}"
    );
    assert!(
        err.contains("confrontation, coexistence, cohabitation, collaboration"),
        "{err}"
    );
    let err = rejected(
        dir.path(),
        "[strategies.mine]\npreset = \"coexistence\"\n[strategies.mine.engagement]\nchannel = \"radio\"\n",
    );
    assert!(
        err.contains("line 4") && err.contains("strategies.mine.engagement.channel"),
        "{err}"
    );
    assert!(
        err.contains("multistakeholder"),
        "should list valid channels: {err}"
    );
}

#[test]
fn malformed_toml_names_the_line() {
    let dir = tempfile::tempdir().unwrap();
    let err = rejected(dir.path(), "weeks = 52\nseeds = = 3\n");
    assert!(
        err.contains("line 2") && err.contains("not valid TOML"),
        "{err}"
    );
}

#[test]
fn several_problems_are_reported_together() {
    let dir = tempfile::tempdir().unwrap();
    let err = rejected(
        dir.path(),
        "[economy]\nbuyer_price_share = 2.0\nprice_volatility = -1.0\n",
    );
    assert!(
        err.contains("buyer_price_share") && err.contains("price_volatility"),
        "{err}"
    );
}

#[test]
fn missing_file_and_bad_overrides() {
    let out = cohabit(&["run", "/no/such/scenario.toml", "--quiet"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("cannot read"));
    let tiny = tiny();
    for (set, expect) in [
        ("miners.initial", "KEY=VALUE"),
        ("officials.corruption=3", "from 0 to 1"),
        ("economy.nope=1", "economy.nope"),
    ] {
        let out = cohabit(&["validate", tiny.to_str().unwrap(), "--set", set]);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{set}: {err}");
        assert!(
            err.contains(expect) && err.contains("--set"),
            "{set}: {err}"
        );
    }
    let out = cohabit(&[
        "run",
        tiny.to_str().unwrap(),
        "--strategies",
        "nope",
        "--quiet",
        "--out",
        "/tmp/never",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("confrontation, collaboration, cohabitation")
    );
}

#[test]
fn bad_input_never_touches_earlier_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::run_tiny(dir.path(), "res", &[]);
    let before = std::fs::read(out.join("runs.csv")).unwrap();
    let tiny = tiny();
    let failed = cohabit(&[
        "run",
        tiny.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--set",
        "seeds=-1",
        "--quiet",
    ]);
    assert_eq!(failed.status.code(), Some(2));
    assert_eq!(std::fs::read(out.join("runs.csv")).unwrap(), before);
}
