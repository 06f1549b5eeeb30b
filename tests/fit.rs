//! `cohabit fit` through the command line: its outputs, determinism (threads, shards and
//! merge byte-identical to one machine), re-analysis on --resume, bad input, the shipped
//! uncertainty design on the embedded default scenario, and Pareto fronts of lever sweeps.

use crate::common::{cohabit, design, ok, read, refused, repo, same_files, tiny};
use std::path::{Path, PathBuf};

/// Everything a fit writes from its records.
const FIT_FILES: [&str; 8] = [
    "design.csv",
    "runs.csv",
    "summary.csv",
    "fit.csv",
    "boxes.csv",
    "report.html",
    "charts/fit_1_regret.svg",
    "charts/fit_2_map.svg",
];

/// Runs a fit of the tiny scenario over the tiny design into `out`.
pub(crate) fn fit_tiny(out: &Path, extra: &[&str]) -> String {
    let (t, d) = (tiny(), design("fit-tiny.toml"));
    let mut args = vec![
        "fit",
        t.to_str().unwrap(),
        "--design",
        d.to_str().unwrap(),
        "--seeds",
        "2",
        "--out",
        out.to_str().unwrap(),
    ];
    args.extend_from_slice(extra);
    ok(&args)
}

/// fit.csv rows as (strategy, metric, better, criterion, value).
fn rows(out: &Path) -> Vec<[String; 5]> {
    read(&out.join("fit.csv"))
        .lines()
        .skip(1)
        .map(|l| {
            let f: Vec<String> = l.split(',').map(str::to_string).collect();
            [
                f[0].clone(),
                f[1].clone(),
                f[2].clone(),
                f[3].clone(),
                f[4].clone(),
            ]
        })
        .collect()
}

fn value(rows: &[[String; 5]], strategy: &str, metric: &str, criterion: &str) -> Option<f64> {
    rows.iter()
        .find(|r| r[0] == strategy && r[1] == metric && r[3] == criterion)
        .and_then(|r| r[4].parse().ok())
}

#[test]
fn fit_writes_regret_boxes_charts_and_briefing() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fit");
    let said = fit_tiny(
        &out,
        &[
            "--require",
            "npv_cost_usd<6e6",
            "--weights",
            "npv_cost_usd=1,conflict_incidents=1",
        ],
    );
    assert!(
        said.contains("holds up best") && said.contains("report.html"),
        "{said}"
    );
    for f in FIT_FILES
        .iter()
        .chain(&["charts/fit_1_regret.png", "manifest.json", "fit.toml"])
    {
        assert!(out.join(f).exists(), "{f} missing");
    }
    let manifest = read(&out.join("manifest.json"));
    assert!(manifest.contains("\"kind\": \"fit\""), "{manifest}");
    let rows = rows(&out);
    let strategies = ["confrontation", "collaboration", "cohabitation"];
    for metric in ["npv_cost_usd", "conflict_incidents", "income_all_usd_week"] {
        let mut shares = 0.0;
        for s in strategies {
            let regret = value(&rows, s, metric, "mean_regret").unwrap();
            let max = value(&rows, s, metric, "max_regret").unwrap();
            let p90 = value(&rows, s, metric, "p90_regret").unwrap();
            assert!(
                regret >= 0.0 && p90 <= max + 1e-9 && regret <= max + 1e-9,
                "{metric} {s}"
            );
            shares += value(&rows, s, metric, "share_best").unwrap();
        }
        assert!(
            (shares - 1.0).abs() < 1e-6,
            "{metric}: shares best sum to {shares}"
        );
        assert!(value(&rows, "all", metric, "close_calls").is_some());
    }
    for s in strategies {
        let all = value(&rows, s, "all", "satisficing").unwrap();
        let one = value(&rows, s, "npv_cost_usd<6000000", "satisficing").unwrap();
        assert!((0.0..=one).contains(&all), "{s}");
        assert!(value(&rows, s, "weighted", "weighted_regret").is_some());
    }
    assert_eq!(value(&rows, "all", "", "points"), Some(16.0));
    assert_eq!(value(&rows, "all", "", "seeds_per_point"), Some(2.0));
    let boxes = read(&out.join("boxes.csv"));
    assert!(
        boxes.starts_with("question,step,chosen,pasted,coverage,density,mass"),
        "{boxes}"
    );
    // The default questions: where each other strategy beats the leader on NPV cost; one
    // chosen step each.
    let lines: Vec<Vec<&str>> = boxes
        .lines()
        .skip(1)
        .map(|l| l.split(',').collect())
        .collect();
    let questions: std::collections::BTreeSet<&str> = lines.iter().map(|f| f[0]).collect();
    assert_eq!(questions.len(), 2, "{boxes}");
    assert!(
        questions.iter().all(|q| q.starts_with("npv_cost_usd:")),
        "{boxes}"
    );
    let chosen: std::collections::BTreeSet<(&str, &str)> = lines
        .iter()
        .filter(|f| f[2] == "true")
        .map(|f| (f[0], f[1]))
        .collect();
    assert_eq!(chosen.len(), 2, "{boxes}");
    let page = read(&out.join("report.html"));
    for needle in [
        "Which strategy holds up",
        "Where it stops being the right choice",
        "What would change the recommendation",
        "Regret by criterion",
        "npv_cost_usd&lt;6000000",
        "Weighted regret",
        "<svg",
    ] {
        assert!(page.contains(needle), "report.html lacks {needle}");
    }
}

#[test]
fn fit_is_the_same_on_any_thread_count_and_across_shards() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    fit_tiny(
        &whole,
        &[
            "-q",
            "--threads",
            "1",
            "--question",
            "npv_cost_usd:collaboration<cohabitation",
        ],
    );
    let two = dir.path().join("two");
    fit_tiny(
        &two,
        &[
            "-q",
            "--threads",
            "2",
            "--question",
            "npv_cost_usd:collaboration<cohabitation",
        ],
    );
    same_files(&whole, &two, &FIT_FILES);
    let sharded = dir.path().join("sharded");
    for k in 1..=3 {
        let shard = format!("{k}/3");
        fit_tiny(
            &sharded,
            &[
                "-q",
                "--shard",
                &shard,
                "--question",
                "npv_cost_usd:collaboration<cohabitation",
            ],
        );
    }
    assert!(
        !sharded.join("fit.csv").exists(),
        "shards leave the analysis to merge"
    );
    let shards = sharded.join("shards");
    ok(&["merge", shards.to_str().unwrap(), "-q"]);
    same_files(&whole, &sharded, &FIT_FILES);
    same_files(&whole, &sharded, &["fit.toml"]);
}

#[test]
fn resume_on_a_complete_fit_redoes_only_the_analysis() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fit");
    fit_tiny(&out, &["-q", "--no-charts"]);
    assert!(
        !out.join("report.html").exists(),
        "--no-charts writes no briefing"
    );
    let runs = std::fs::read(out.join("runs.csv")).unwrap();
    assert!(value(&rows(&out), "cohabitation", "all", "satisficing").is_none());
    let said = fit_tiny(
        &out,
        &["--resume", "--no-charts", "--require", "fatalities<=1"],
    );
    assert!(said.contains("analysed again"), "{said}");
    assert_eq!(
        std::fs::read(out.join("runs.csv")).unwrap(),
        runs,
        "no run was redone"
    );
    assert!(value(&rows(&out), "cohabitation", "all", "satisficing").is_some());
    assert!(read(&out.join("fit.toml")).contains("fatalities<=1"));
}

#[test]
fn fit_refuses_bad_settings_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fit");
    let (t, d) = (tiny(), design("fit-tiny.toml"));
    let base = [
        "fit",
        t.to_str().unwrap(),
        "--design",
        d.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ];
    let cases: [(&[&str], &str); 7] = [
        (&["--require", "npv_cost_usd=3"], "expected METRIC<VALUE"),
        (&["--require", "nope<3"], "unknown metric `nope`"),
        (&["--metrics", "arrivals"], "no better direction"),
        (
            &["--question", "npv_cost_usd:coexistence<cohabitation"],
            "no strategy \"coexistence\"",
        ),
        (&["--weights", "npv_cost_usd=-1"], "METRIC=WEIGHT"),
        (&["--strategies", "cohabitation"], "at least two"),
        (&["--mass-min", "0"], "--mass-min"),
    ];
    for (extra, needle) in cases {
        let mut args = base.to_vec();
        args.extend_from_slice(extra);
        refused(&args, needle);
        assert!(!out.join("runs.csv").exists(), "nothing ran for {extra:?}");
    }
    let seeds = dir.path().join("seeds.toml");
    std::fs::write(
        &seeds,
        "method = \"factorial\"\n[factors.seeds]\nvalues = [1, 2]\n",
    )
    .unwrap();
    refused(
        &[
            "fit",
            t.to_str().unwrap(),
            "--design",
            seeds.to_str().unwrap(),
        ],
        "cannot vary",
    );
}

#[test]
fn shipped_design_covers_context_keys_over_their_plausible_ranges() {
    use cohabit::design::{Design, FactorSpec};
    use cohabit::scenario::{KEYS, Range};
    let text = std::fs::read_to_string(repo("designs/fit-default.toml")).unwrap();
    assert_eq!(
        text,
        cohabit::fit::DEFAULT_DESIGN,
        "the embedded design is the shipped file"
    );
    let d = Design::from_str(&text, "designs/fit-default.toml", Path::new("")).unwrap();
    assert!(d.factors.len() >= 10);
    for f in &d.factors {
        assert!(
            !f.key.starts_with("strategies."),
            "{}: a context design varies no lever",
            f.key
        );
        let info = KEYS
            .iter()
            .find(|k| k.key == f.key)
            .unwrap_or_else(|| panic!("{} is no scenario key", f.key));
        let FactorSpec::Range { low, high, .. } = f.spec else {
            // A legal gate or another switch: both settings.
            assert!(
                matches!(info.range, Range::Bool),
                "{}: a list only for a switch",
                f.key
            );
            continue;
        };
        let (min, max) = match info.range {
            Range::Number { min, max } => (min, max),
            Range::Whole { min, max } => (min as f64, max as f64),
            other => panic!("{}: not numeric ({other:?})", f.key),
        };
        assert!(
            min <= low && high <= max,
            "{}: [{low}, {high}] outside {min}..{max}",
            f.key
        );
        // The range is the key's documented plausible range (`cohabit keys`).
        let plausible = cohabit::scenario::provenance(&f.key).and_then(|p| p.plausible);
        assert_eq!(
            plausible,
            Some((low, high)),
            "{}: not its plausible range",
            f.key
        );
        // Every factor says where its range comes from.
        let comment = text
            .split(&format!("[factors.\"{}\"]", f.key))
            .next()
            .unwrap();
        let said = comment
            .lines()
            .rev()
            .take_while(|l| l.starts_with('#'))
            .count();
        assert!(said > 0, "{}: no comment giving the range's source", f.key);
    }
}

#[test]
fn fit_runs_on_the_embedded_default_with_the_shipped_design() {
    // The whole design (200 contexts), shortened runs so the test stays quick.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("default-fit");
    ok(&[
        "fit",
        "--seeds",
        "1",
        "--set",
        "weeks=6",
        "--set",
        "economy.price_shock_week=2",
        "--strategies",
        "coexistence,collaboration",
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    assert_eq!(read(&out.join("design.csv")).lines().count(), 201);
    assert_eq!(read(&out.join("design.toml")), cohabit::fit::DEFAULT_DESIGN);
    assert!(
        read(&out.join("report.html")).contains("one seed"),
        "one seed: no intervals, said"
    );
}

#[test]
fn fit_rides_slurm() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("slurm-fit");
    let (t, d) = (tiny(), design("fit-tiny.toml"));
    ok(&[
        "slurm",
        "--shards",
        "2",
        "--",
        "fit",
        t.to_str().unwrap(),
        "--design",
        d.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
    ]);
    let array = read(&out.join("slurm/array.sbatch"));
    assert!(
        array.contains(" fit ") && array.contains("--shard \"${SLURM_ARRAY_TASK_ID}/2\" --resume"),
        "{array}"
    );
    assert!(read(&out.join("slurm/merge.sbatch")).contains("--no-charts"));
}

/// A sweep of the tiny scenario over one lever of cohabitation.
fn lever_sweep(dir: &Path, extra: &[&str]) -> (PathBuf, std::process::Output) {
    let file = dir.join("levers.toml");
    std::fs::write(
        &file,
        "method = \"factorial\"\n[factors.\"strategies.cohabitation.interventions.programme_start_week\"]\nvalues = [0, 13, 26]\n",
    )
    .unwrap();
    let out = dir.join("levers");
    let t = tiny();
    let mut args = vec![
        "sweep",
        t.to_str().unwrap(),
        "--design",
        file.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    let output = cohabit(&args);
    (out, output)
}

#[test]
fn lever_sweeps_report_their_pareto_front() {
    let dir = tempfile::tempdir().unwrap();
    let (out, o) = lever_sweep(dir.path(), &["--objectives", "npv_cost_usd,fatalities"]);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let front = read(&out.join("pareto.csv"));
    let header = front.lines().next().unwrap();
    assert_eq!(
        header,
        "strategy,point,npv_cost_usd,fatalities,strategies.cohabitation.interventions.programme_start_week"
    );
    // Cohabitation rows carry their lever value; the other strategies are pooled ("all").
    for line in front.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        match f[0] {
            "cohabitation" => assert!(["0", "13", "26"].contains(&f[4]) && f[1] != "all", "{line}"),
            _ => assert!(f[1] == "all" && f[4].is_empty(), "{line}"),
        }
    }
    // Sharded, the merge writes the same front.
    let sharded = dir.path().join("sharded");
    std::fs::create_dir_all(&sharded).unwrap();
    for k in ["1/2", "2/2"] {
        let (_, o) = lever_sweep(
            &sharded,
            &["--objectives", "npv_cost_usd,fatalities", "--shard", k],
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    ok(&[
        "merge",
        sharded.join("levers/shards").to_str().unwrap(),
        "-q",
    ]);
    same_files(
        &out,
        &sharded.join("levers"),
        &["pareto.csv", "summary.csv"],
    );
    // A design without levers has no front.
    let t = tiny();
    let d = design("factorial.toml");
    refused(
        &[
            "sweep",
            t.to_str().unwrap(),
            "--design",
            d.to_str().unwrap(),
            "--objectives",
            "npv_cost_usd",
        ],
        "varies no strategy lever",
    );
    let (_, o) = lever_sweep(dir.path(), &["--objectives", "arrivals", "--force"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("no better direction"));
}
