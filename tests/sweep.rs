//! `cohabit sweep`: output structure, determinism across thread counts, common random
//! numbers across strategies, and refusal of bad designs.

use crate::common::{read, refused, same_files, sweep_tiny, tiny};

const SWEEP_FILES: [&str; 3] = ["design.csv", "runs.csv", "summary.csv"];

#[test]
fn sweep_writes_design_runs_and_summary_in_plan_order() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("s");
    sweep_tiny(&out, &[]);
    let design = read(&out.join("design.csv"));
    let lines: Vec<&str> = design.lines().collect();
    assert_eq!(lines[0], "point,economy.price_volatility,miners.initial");
    assert_eq!(lines.len(), 5, "2 x 2 factorial points: {design}");
    assert!(lines[1].starts_with("0,") && lines[4].starts_with("3,"));

    let runs = read(&out.join("runs.csv"));
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    assert_eq!(header[..4], ["point", "strategy", "replicate", "seed"]);
    assert_eq!(header.len(), 4 + cohabit::metrics::METRICS.len());
    let rows: Vec<Vec<String>> = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').map(str::to_string).collect())
        .collect();
    assert_eq!(rows.len(), 4 * 3 * 3, "points x strategies x seeds");
    let keys: Vec<(usize, String, usize)> = rows
        .iter()
        .map(|r| (r[0].parse().unwrap(), r[1].clone(), r[2].parse().unwrap()))
        .collect();
    let strategies = ["confrontation", "collaboration", "cohabitation"];
    let mut expected = Vec::new();
    for p in 0..4 {
        for s in strategies {
            for r in 0..3 {
                expected.push((p, s.to_string(), r));
            }
        }
    }
    assert_eq!(
        keys, expected,
        "rows in plan order: point, strategy, replicate"
    );
    // Common random numbers: a replicate's seed is the same for every strategy at a point,
    // and differs between points.
    let seed = |p: usize, s: usize, r: usize| rows[p * 9 + s * 3 + r][3].clone();
    for p in 0..4 {
        for r in 0..3 {
            assert_eq!(seed(p, 0, r), seed(p, 1, r));
            assert_eq!(seed(p, 0, r), seed(p, 2, r));
        }
    }
    assert_ne!(seed(0, 0, 0), seed(1, 0, 0));

    let summary = read(&out.join("summary.csv"));
    assert!(
        summary.starts_with("point,strategy,metric,mean,sd,p05,p50,p95,ci95_low,ci95_high,n\n")
    );
    assert_eq!(
        summary.lines().count(),
        1 + 4 * 3 * cohabit::metrics::METRICS.len()
    );
    let manifest = read(&out.join("manifest.json"));
    assert!(manifest.contains("\"kind\": \"sweep\""), "{manifest}");
    assert!(!out.join(".cohabit-state").exists(), "no state left behind");
}

#[test]
fn sweep_is_identical_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let one = dir.path().join("t1");
    let two = dir.path().join("t2");
    sweep_tiny(&one, &["--threads", "1"]);
    sweep_tiny(&two, &["--threads", "2"]);
    same_files(&one, &two, &SWEEP_FILES);
}

#[test]
fn a_design_point_the_scenario_refuses_is_an_input_error() {
    let dir = tempfile::tempdir().unwrap();
    let bad = dir.path().join("bad.toml");
    std::fs::write(&bad, "method = \"table\"\ntable = \"points.csv\"\n").unwrap();
    std::fs::write(dir.path().join("points.csv"), "miners.initial\n100\n-5\n").unwrap();
    let t = tiny();
    let out = dir.path().join("o");
    let err = refused(
        &[
            "sweep",
            t.to_str().unwrap(),
            "--design",
            bad.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ],
        "design point 1",
    );
    assert!(err.contains("miners.initial"), "{err}");
    refused(
        &[
            "sweep",
            t.to_str().unwrap(),
            "--design",
            dir.path().join("missing.toml").to_str().unwrap(),
        ],
        "missing.toml",
    );
}
