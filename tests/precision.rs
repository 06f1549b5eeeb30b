//! Seeds chosen by precision (`--precision`): a run stops at the first block whose paired
//! differences are precise enough (or at --max-seeds, saying so), writes exactly what
//! `--seeds N` writes, whatever the threads and across a kill and resume; sweeps and fits
//! decide each point's seeds from its own results, also when sharded by points; bad input
//! is refused with exit code 2.

use crate::common::{
    RESULT_FILES, design, ok, read, refused, run_tiny, same_files, sweep_tiny, tiny,
    wait_while_running,
};
use serde_json::Value;
use std::path::Path;
use std::process::{Command, Stdio};

fn manifest(out: &Path) -> Value {
    serde_json::from_str(&read(&out.join("manifest.json"))).expect("manifest.json is JSON")
}

/// Each strategy's values of `metric` in runs.csv, in replicate order.
fn columns(out: &Path, metric: &str) -> Vec<Vec<f64>> {
    let text = read(&out.join("runs.csv"));
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let (s_at, m_at) = (
        header.iter().position(|h| *h == "strategy").unwrap(),
        header.iter().position(|h| *h == metric).unwrap(),
    );
    let mut names: Vec<String> = Vec::new();
    let mut cols: Vec<Vec<f64>> = Vec::new();
    for l in lines {
        let f: Vec<&str> = l.split(',').collect();
        let k = match names.iter().position(|n| n == f[s_at]) {
            Some(k) => k,
            None => {
                names.push(f[s_at].to_string());
                cols.push(Vec::new());
                names.len() - 1
            }
        };
        cols[k].push(f[m_at].parse().unwrap());
    }
    cols
}

/// The largest ratio of half-width to limit over every pair, for a relative target of `pct`
/// percent, using the first `n` replicates (computed here, independently of cohabit).
fn worst_ratio(cols: &[Vec<f64>], pct: f64, n: usize) -> f64 {
    let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
    let mut worst: f64 = 0.0;
    for a in 0..cols.len() {
        for b in a + 1..cols.len() {
            let d: Vec<f64> = (0..n).map(|r| cols[a][r] - cols[b][r]).collect();
            let m = mean(&d);
            let sd = (d.iter().map(|x| (x - m).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt();
            let half = cohabit::stats::t_975(n - 1) * sd / (n as f64).sqrt();
            let limit = pct / 100.0 * mean(&cols[a][..n]).abs().max(mean(&cols[b][..n]).abs());
            worst = worst.max(half / limit);
        }
    }
    worst
}

#[test]
fn a_loose_target_stops_at_the_first_block() {
    let dir = tempfile::tempdir().unwrap();
    let plain = run_tiny(dir.path(), "plain", &[]);
    // Without --precision the briefing states the precision the seeds gave.
    let briefing = read(&plain.join("report.html"));
    assert!(
        briefing.contains("How precise the comparisons are")
            && briefing.contains("widest 95% interval of the paired difference"),
        "{briefing}"
    );
    let loose = run_tiny(
        dir.path(),
        "loose",
        &["--no-charts", "--precision", "npv_cost_usd:100%"],
    );
    same_files(&plain, &loose, &RESULT_FILES);
    let m = manifest(&loose);
    assert_eq!(m["seeds"], 3);
    assert_eq!(m["precision"]["points"][0]["seeds"], 3);
    assert_eq!(m["precision"]["points"][0]["met"], true);
    assert_eq!(m["precision"]["max_seeds"], 30, "ten blocks by default");
}

#[test]
fn a_tight_target_adds_blocks_until_met_and_writes_what_seeds_n_writes() {
    let dir = tempfile::tempdir().unwrap();
    let args = ["--precision", "npv_cost_usd:20%", "--max-seeds", "60"];
    let one = run_tiny(
        dir.path(),
        "one",
        &[&args[..], &["--threads", "1"]].concat(),
    );
    let two = run_tiny(
        dir.path(),
        "two",
        &[&args[..], &["--threads", "2", "--no-charts"]].concat(),
    );
    same_files(&one, &two, &RESULT_FILES);
    let m = manifest(&one);
    let p = &m["precision"]["points"][0];
    let n = p["seeds"].as_u64().unwrap() as usize;
    assert!(
        n > 3 && n.is_multiple_of(3),
        "more than one block of 3: {n}"
    );
    assert_eq!(p["met"], true);
    assert_eq!(m["runs"], 3 * n as u64);
    // The final half-widths meet the target, the block before did not.
    let cols = columns(&one, "npv_cost_usd");
    assert!(cols.iter().all(|c| c.len() == n));
    assert!(worst_ratio(&cols, 20.0, n) <= 1.0);
    assert!(worst_ratio(&cols, 20.0, n - 3) > 1.0);
    let w = &p["widest"][0];
    assert!(w["half_width"].as_f64().unwrap() <= w["limit"].as_f64().unwrap());
    // The briefing says what was asked and reached.
    let briefing = read(&one.join("report.html"));
    assert!(
        briefing.contains("blocks of 3")
            && briefing.contains("20% of the larger of the two means")
            && briefing.contains("The target was reached"),
        "{briefing}"
    );
    // Block k ran the replicates --seeds would have: the same files as --seeds n.
    let fixed = run_tiny(
        dir.path(),
        "fixed",
        &["--no-charts", "--seeds", &n.to_string()],
    );
    same_files(&one, &fixed, &RESULT_FILES);
}

#[test]
fn an_impossible_target_stops_at_the_maximum_and_says_so() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("max");
    let t = tiny();
    let said = ok(&[
        "run",
        t.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--precision",
        "npv_cost_usd:0.001%,fatalities:1e-9",
        "--max-seeds",
        "7",
    ]);
    assert!(
        said.contains("NOT reached") && said.contains("--max-seeds"),
        "{said}"
    );
    let m = manifest(&out);
    let p = &m["precision"];
    assert_eq!(p["points"][0]["seeds"], 7, "blocks of 3, 3, then 1");
    assert_eq!(p["points"][0]["met"], false);
    assert_eq!(
        (p["points_met"].clone(), p["points_at_max"].clone()),
        (0.into(), 1.into())
    );
    assert_eq!(m["seeds"], 7);
    let briefing = read(&out.join("report.html"));
    assert!(
        briefing.contains("The target was not reached") && briefing.contains("maximum of 7"),
        "{briefing}"
    );
    assert_eq!(columns(&out, "npv_cost_usd")[0].len(), 7);
}

#[test]
fn bad_precision_input_is_refused() {
    let t = tiny();
    let t = t.to_str().unwrap();
    let run = |extra: &[&str]| -> Vec<String> {
        ["run", t, "--out", "/nonexistent/never-written", "-q"]
            .iter()
            .chain(extra)
            .map(|s| s.to_string())
            .collect()
    };
    let cases: [(&[&str], &str); 9] = [
        (
            &["--precision", "npv_costs:5%"],
            "expected one of the run metrics",
        ),
        (&["--precision", "npv_cost_usd"], "expected METRIC:TARGET"),
        (&["--precision", "npv_cost_usd:abc"], "a number above 0"),
        (&["--precision", "fatalities:0"], "a number above 0"),
        (&["--precision", "fatalities:-1"], "a number above 0"),
        (
            &["--precision", "fatalities:1", "--max-seeds", "2"],
            "below the first block",
        ),
        (&["--max-seeds", "20"], "give it with --precision"),
        (
            &[
                "--precision",
                "fatalities:1",
                "--strategies",
                "confrontation",
            ],
            "at least two",
        ),
        (
            &["--precision", "fatalities:1", "--seeds", "1"],
            "at least 2 seeds",
        ),
    ];
    for (extra, needle) in cases {
        let args = run(extra);
        refused(&args.iter().map(String::as_str).collect::<Vec<_>>(), needle);
    }
    let dir = tempfile::tempdir().unwrap();
    let o = dir.path().join("x");
    refused(
        &[
            "run",
            t,
            "--out",
            o.to_str().unwrap(),
            "--precision",
            "fatalities:1",
            "--shard",
            "1/2",
        ],
        "cannot be used with --shard on a `run`",
    );
    assert!(!o.join("shards").exists(), "nothing written");
    let d = design("morris.toml");
    refused(
        &[
            "sensitivity",
            t,
            "--design",
            d.to_str().unwrap(),
            "--out",
            o.to_str().unwrap(),
            "--precision",
            "fatalities:1",
        ],
        "--precision is for run, sweep and fit",
    );
}

/// A sweep over the 2 x 2 factorial design with seeds chosen by precision.
fn sweep(out: &Path, extra: &[&str]) {
    let precision = ["--precision", "npv_cost_usd:15%", "--max-seeds", "15"];
    sweep_tiny(out, &[&precision[..], extra].concat());
}

#[test]
fn each_sweep_point_decides_its_seeds_also_in_shards_by_point() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    sweep(&whole, &["--threads", "1"]);
    let m = manifest(&whole);
    let points = m["precision"]["points"].as_array().unwrap().clone();
    assert_eq!(points.len(), 4);
    let seeds: Vec<u64> = points
        .iter()
        .map(|p| p["seeds"].as_u64().unwrap())
        .collect();
    assert!(
        seeds.iter().all(|s| s.is_multiple_of(3) && *s <= 15),
        "{seeds:?}"
    );
    assert!(
        seeds.iter().min() < seeds.iter().max(),
        "points differ: {seeds:?}"
    );
    let runs = read(&whole.join("runs.csv"));
    for (k, s) in seeds.iter().enumerate() {
        let rows = runs
            .lines()
            .filter(|l| l.starts_with(&format!("{k},")))
            .count() as u64;
        assert_eq!(rows, 3 * s, "point {k}");
    }
    assert_eq!(m["runs"], 3 * seeds.iter().sum::<u64>());
    // Two threads, and two shards by point merged, give the same bytes.
    let two = dir.path().join("two");
    sweep(&two, &["--threads", "2"]);
    let files = ["design.csv", "runs.csv", "summary.csv"];
    same_files(&whole, &two, &files);
    let sharded = dir.path().join("sharded");
    for k in ["1/2", "2/2"] {
        sweep(&sharded, &["--shard", k]);
    }
    let shard = read(&sharded.join("shards/0001-of-0002/shard.json"));
    assert!(shard.contains(r#""layout": "points""#), "{shard}");
    ok(&["merge", sharded.join("shards").to_str().unwrap(), "-q"]);
    same_files(&whole, &sharded, &files);
    assert_eq!(
        manifest(&sharded)["precision"]["points"],
        manifest(&whole)["precision"]["points"]
    );
}

#[test]
fn a_fit_records_each_contexts_seeds() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fit");
    let (t, d) = (tiny(), design("fit-tiny.toml"));
    ok(&[
        "fit",
        t.to_str().unwrap(),
        "--design",
        d.to_str().unwrap(),
        "--seeds",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
        "-q",
        "--precision",
        "fatalities:1",
        "--max-seeds",
        "6",
    ]);
    let m = manifest(&out);
    let points = m["precision"]["points"].as_array().unwrap();
    assert_eq!(points.len(), 16);
    let seeds: Vec<u64> = points
        .iter()
        .map(|p| p["seeds"].as_u64().unwrap())
        .collect();
    assert!(
        seeds.iter().min() < seeds.iter().max(),
        "contexts differ: {seeds:?}"
    );
    let total: u64 = seeds.iter().sum();
    assert_eq!(m["runs"], 3 * total);
    for p in points {
        let s = p["seeds"].as_u64().unwrap();
        assert!([2, 4, 6].contains(&s), "{p}");
        assert!(p["met"] == true || s == 6, "{p}");
    }
    assert!(out.join("fit.csv").exists());
}

#[test]
fn a_precision_run_killed_with_sigkill_resumes_to_identical_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("killed");
    let t = tiny();
    // An unreachable target: 40 blocks of 5 seeds, ten years each.
    let args = [
        "run",
        t.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
        "--no-charts",
        "--set",
        "weeks=520",
        "--seeds",
        "5",
        "--precision",
        "npv_cost_usd:0.001%",
        "--max-seeds",
        "200",
    ];
    let mut child = Command::new(env!("CARGO_BIN_EXE_cohabit"))
        .args(args)
        .args(["--threads", "1"])
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let records = out.join(".cohabit-state/records.bin");
    // Wait for a few blocks' records (about 1.2 KB a metrics record plus detail).
    wait_while_running(&mut child, "a few blocks were recorded", || {
        std::fs::metadata(&records).map_or(0, |m| m.len()) >= 200_000
    });
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(!out.join("runs.csv").exists());
    ok(&[&args[..], &["--resume"]].concat());
    assert_eq!(manifest(&out)["precision"]["points"][0]["seeds"], 200);
    let reference = run_tiny(
        dir.path(),
        "reference",
        &["--no-charts", "--set", "weeks=520", "--seeds", "200"],
    );
    same_files(&reference, &out, &RESULT_FILES);
}
