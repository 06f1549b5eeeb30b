//! `cohabit run-one`: JSON in, JSON out; the same numbers as the row of runs.csv with the
//! same strategy, replicate and seed; clear errors with exit code 2.

use crate::common::{read, run_tiny, tiny};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn run_one(json: &str) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_cohabit"))
        .arg("run-one")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(json.as_bytes())
        .unwrap();
    child.wait_with_output().unwrap()
}

#[test]
fn run_one_reproduces_a_row_of_runs_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_tiny(
        dir.path(),
        "r",
        &["--no-charts", "--set", "economy.price_volatility=0.3"],
    );
    let runs = read(&out.join("runs.csv"));
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let row: Vec<&str> = runs
        .lines()
        .find(|l| l.starts_with("collaboration,2,"))
        .unwrap()
        .split(',')
        .collect();
    let request = serde_json::json!({
        "scenario": tiny(),
        "set": {"economy.price_volatility": 0.3},
        "strategy": "collaboration",
        "replicate": 2,
    });
    let o = run_one(&request.to_string());
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let reply: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    assert_eq!(reply["strategy"], "collaboration");
    assert_eq!(reply["replicate"], 2);
    assert_eq!(reply["seed"].to_string(), row[2]);
    let metrics = reply["metrics"].as_object().unwrap();
    assert_eq!(metrics.len(), cohabit::metrics::METRICS.len());
    for (name, cell) in header.iter().zip(&row).skip(3) {
        let got = metrics[*name].as_f64().unwrap();
        let want: f64 = cell.parse().unwrap();
        assert_eq!(got, want, "{name}");
    }
}

#[test]
fn run_one_errors_are_clear_with_exit_code_2() {
    let t = tiny();
    let t = t.to_str().unwrap();
    let cases = [
        ("{not json".to_string(), "bad JSON"),
        (
            format!(r#"{{"scenario": "{t}", "strategy": "collaboration", "colour": 1}}"#),
            "unknown field",
        ),
        (
            format!(r#"{{"scenario": "{t}", "strategy": "nope"}}"#),
            "no strategy \"nope\"",
        ),
        (format!(r#"{{"scenario": "{t}"}}"#), "say which strategy"),
        (
            format!(
                r#"{{"scenario": "{t}", "strategy": "collaboration", "set": {{"economy.no_such_key": 1}}}}"#
            ),
            "economy.no_such_key",
        ),
        (
            format!(
                r#"{{"scenario": "{t}", "strategy": "collaboration", "set": {{"miners.initial": [1]}}}}"#
            ),
            "expected a number, string or boolean",
        ),
    ];
    for (json, needle) in cases {
        let o = run_one(&json);
        let err = String::from_utf8_lossy(&o.stderr);
        assert_eq!(o.status.code(), Some(2), "{json}: {err}");
        assert!(err.contains(needle), "{json}: expected {needle:?} in {err}");
        assert!(o.stdout.is_empty());
    }
}
