//! Every class of bad input is caught before any run, exits with code 2, and says where
//! (file, line), which key, and what was expected, in the words of `cohabit keys`; every
//! problem of a scenario is listed at once, in line order, blamed on the file that causes
//! it; nothing panics.

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

/// The lines of `bad.toml` a `validate` error names, in the order listed.
fn lines_named(err: &str) -> Vec<usize> {
    err.lines()
        .filter_map(|l| l.split_once("bad.toml, line "))
        .filter_map(|(_, rest)| rest.split([',', ':']).next()?.trim().parse().ok())
        .collect()
}

#[test]
fn every_problem_of_a_file_is_listed_at_once_in_line_order() {
    // Five kinds of problem: a wrong type, a syntax error, an unknown key, values out of
    // range, a bad table header, an unknown preset, an unknown channel.
    let dir = tempfile::tempdir().unwrap();
    let text = "name = \"five\"\n\
                weeks = \"long\"\n\
                seeds = = 3\n\
                \n\
                [economy]\n\
                gold_price_usd_per_gram = 80\n\
                price_volatility = -1\n\
                buyer_price_share = 1.4\n\
                \n\
                [landscape\n\
                width = 30\n\
                \n\
                [miners]\n\
                initial = -5\n\
                \n\
                [strategies.mine]\n\
                preset = \"peacebuilding\"\n\
                engagement.channel = \"radio\"\n";
    let err = rejected(dir.path(), text);
    let lines = lines_named(&err);
    assert_eq!(lines, [2, 3, 6, 7, 8, 10, 14, 17, 18], "{err}");
    for needle in [
        "key `weeks`: expected a whole number from 1 to 5200, got \"long\"",
        "not valid TOML",
        "key `economy.gold_price_usd_per_gram`: unknown key; did you mean `gold_price_usd_per_g`?",
        "key `economy.price_volatility`: expected a number from 0 to 2, got -1",
        "key `economy.buyer_price_share`: expected a number from 0 to 1, got 1.4",
        "key `miners.initial`: expected a whole number from 0 to 1000000, got -5",
        "got \"peacebuilding\"",
        "got \"radio\"",
    ] {
        assert!(err.contains(needle), "{needle:?} missing from: {err}");
    }
}

#[test]
fn problems_are_blamed_on_the_file_that_causes_them() {
    let dir = tempfile::tempdir().unwrap();
    // A landscape too small for the default's protected corner and core: the user set the
    // landscape, so the problem is theirs, at their line.
    let err = rejected(
        dir.path(),
        "name = \"small\"\n[landscape]\nwidth = 20\nheight = 20\nconcession_size = 10\n",
    );
    assert!(!err.contains("embedded default"), "{err}");
    assert!(
        err.contains("bad.toml, line 5, key `landscape.concession_size`")
            && err.contains("landscape.protected_size (12) at most 5"),
        "{err}"
    );
    // A strategy name with a dot.
    let err = rejected(
        dir.path(),
        "weeks = 52\n\n[strategies.\"late.engagement\"]\npreset = \"coexistence\"\n",
    );
    assert!(!err.contains("embedded default"), "{err}");
    assert!(
        err.contains("bad.toml, line 3, key `strategies.\"late.engagement\"`: a strategy name"),
        "{err}"
    );
}

#[test]
fn file_problems_come_before_set_problems_each_in_order() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("bad.toml");
    std::fs::write(
        &path,
        "[miners]\nleave_rate = 2\n\n[economy]\nprice_volatility = 9\n",
    )
    .unwrap();
    let out = cohabit(&[
        "validate",
        path.to_str().unwrap(),
        "--set",
        "seeds=-3",
        "--set",
        "weeks=0",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let at = |needle: &str| {
        err.find(needle)
            .unwrap_or_else(|| panic!("{needle}: {err}"))
    };
    assert!(at("line 2") < at("line 5"), "{err}");
    assert!(at("line 5") < at("--set seeds=-3"), "{err}");
    assert!(at("--set seeds=-3") < at("--set weeks=0"), "{err}");
    assert!(
        err.contains(
            "--set seeds=-3, key `seeds`: expected a whole number from 1 to 1000000, got -3"
        ),
        "{err}"
    );
}

#[test]
fn messages_say_what_cohabit_keys_says() {
    // Every number key of the scenario (strategies aside), set out of its range at once: one
    // problem each, in the order given, each quoting the key's "Valid values" of `cohabit keys`.
    let keys = crate::common::ok(&["keys"]);
    let mut set = Vec::new();
    let mut expected = Vec::new();
    for k in cohabit::scenario::KEYS {
        let too_big = match k.range {
            cohabit::scenario::Range::Number { max, .. } => format!("{:e}", max * 10.0 + 1.0),
            cohabit::scenario::Range::Whole { max, .. } => format!("{}", u128::from(max) + 1),
            _ => continue,
        };
        if k.key.starts_with("strategies.") {
            continue;
        }
        let row = keys
            .lines()
            .find(|l| l.starts_with(&format!("| `{}` |", k.key)))
            .unwrap_or_else(|| panic!("{} not in `cohabit keys`", k.key));
        let valid = row.split(" | ").nth(3).unwrap().to_string();
        assert!(
            !valid.contains(">="),
            "{}: the range must be finite: {valid}",
            k.key
        );
        set.push(format!("{}={too_big}", k.key));
        expected.push((k.key, valid));
    }
    let mut args = vec!["validate".to_string()];
    for s in &set {
        args.extend(["--set".to_string(), s.clone()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let out = cohabit(&args);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    let problems: Vec<&str> = err.lines().filter(|l| l.starts_with("--set")).collect();
    assert_eq!(problems.len(), expected.len(), "{err}");
    for (line, (key, valid)) in problems.iter().zip(&expected) {
        assert!(
            line.contains(&format!("key `{key}`: expected {valid}, got")),
            "{line} should quote `cohabit keys`: {valid}"
        );
    }
}

#[test]
fn numbers_beyond_what_toml_holds_and_multi_line_sets_are_explained() {
    let out = cohabit(&["validate", "--set", "master_seed=9223372036854775808"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        err.contains(
            "expected a whole number from 0 to 9223372036854775807, got 9223372036854775808"
        ),
        "{err}"
    );
    assert!(!err.contains("invalid type"), "{err}");
    let out = cohabit(&["validate", "--set", "weeks=5\nseeds=1"]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(err.contains("one KEY=VALUE on one line"), "{err}");
}

#[test]
fn seeds_on_the_command_line_are_checked_in_the_keys_words() {
    for args in [
        vec!["run", "--seeds", "-5"],
        vec!["run", "--seeds", "0"],
        vec!["sweep", "--design", "d.toml", "--seeds", "-5"],
        vec!["fit", "--seeds", "-5"],
        vec!["patterns", "--seeds", "2000000"],
    ] {
        let out = cohabit(&args);
        let err = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(2), "{args:?}: {err}");
        assert!(
            err.contains("expected a whole number from 1 to 1000000"),
            "{err}"
        );
        assert!(!err.contains("-- -5"), "{err}");
    }
    let out = cohabit(&["run", "--master-seed", "-1"]);
    assert!(String::from_utf8_lossy(&out.stderr).contains("from 0 to 9223372036854775807"));
}

#[test]
fn validate_help_explains_set() {
    let help = crate::common::ok(&["validate", "--help"]);
    let line = help.lines().find(|l| l.contains("--set")).unwrap();
    assert!(line.contains("Override a scenario key"), "{help}");
}

#[test]
fn an_output_path_that_is_a_file_says_what_to_do() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("results");
    std::fs::write(&file, "mine").unwrap();
    let tiny = tiny();
    let out = cohabit(&[
        "run",
        tiny.to_str().unwrap(),
        "--out",
        file.to_str().unwrap(),
        "--quiet",
    ]);
    let err = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{err}");
    assert!(
        err.contains("is a file, not a folder; give --out a folder"),
        "{err}"
    );
    assert!(!err.contains("os error"), "{err}");
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "mine");
}
