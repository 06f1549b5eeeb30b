//! Issue 12's reproducers, each now a clear error (exit code 2) or a correct result: no
//! injection through CSV cells, no writing outside the output folder, no crash or
//! non-finite result on accepted input, memory checked before a run, short echoes of user
//! text. Slurm, merge and output-folder cases are in [`batch`].

mod batch;

use crate::common::{RESULT_FILES, cohabit, design, ok, read, refused, same_files, tiny};
use std::path::Path;

pub(super) fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    path.to_str().unwrap().to_string()
}

pub(super) fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn the_scenario_name_cannot_lead_out_of_output() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let victim = d.join("victim");
    std::fs::create_dir(&victim).unwrap();
    std::fs::write(victim.join("summary.csv"), "theirs").unwrap();
    for name in [
        "../victim",
        "../../../victim",
        "/tmp/victim",
        ".hidden",
        "a\\b",
    ] {
        let s = write(&d.join("n.toml"), &format!("name = {:?}\n", name));
        let o = std::process::Command::new(env!("CARGO_BIN_EXE_cohabit"))
            .args(["run", &s, "--seeds", "1", "--set", "weeks=2", "--quiet"])
            .current_dir(d)
            .output()
            .unwrap();
        assert_eq!(o.status.code(), Some(2), "{name}: {}", stderr(&o));
        assert!(stderr(&o).contains("key `name`"), "{}", stderr(&o));
    }
    assert_eq!(read(&victim.join("summary.csv")), "theirs");
    // A folder holding files a run would replace, but no cohabit experiment, needs --force.
    let t = tiny();
    refused(
        &[
            "run",
            t.to_str().unwrap(),
            "--out",
            victim.to_str().unwrap(),
            "-q",
        ],
        "no cohabit experiment",
    );
    assert_eq!(read(&victim.join("summary.csv")), "theirs");
    ok(&[
        "run",
        t.to_str().unwrap(),
        "--out",
        victim.to_str().unwrap(),
        "-q",
        "--force",
        "--no-charts",
    ]);
    assert!(read(&victim.join("summary.csv")).starts_with("strategy,metric"));
}

#[test]
fn a_world_without_community_land_is_refused_not_crashed() {
    let dir = tempfile::tempdir().unwrap();
    let sizes = [
        "--set",
        "landscape.concession_size=64",
        "--set",
        "landscape.protected_size=0",
    ];
    for extra in [&[][..], &["--set", "miners.inside_concession_share=1"][..]] {
        let out = dir.path().join("o");
        let mut args = vec![
            "run",
            "--seeds",
            "1",
            "--set",
            "weeks=4",
            "--out",
            out.to_str().unwrap(),
        ];
        args.extend_from_slice(&sizes);
        args.extend_from_slice(extra);
        let o = cohabit(&args);
        let err = stderr(&o);
        assert_eq!(o.status.code(), Some(2), "{err}");
        assert!(err.contains("leaves no community land"), "{err}");
        assert!(!err.contains("panicked"), "{err}");
        assert!(!out.exists(), "a refused run writes nothing");
    }
    let request = serde_json::json!({
        "set": {"landscape.concession_size": 64, "landscape.protected_size": 0, "weeks": 4},
        "strategy": "coexistence",
    });
    let path = dir.path().join("req.json");
    std::fs::write(&path, request.to_string()).unwrap();
    refused(
        &["run-one", path.to_str().unwrap()],
        "leaves no community land",
    );
}

#[test]
fn huge_money_values_are_refused_and_the_largest_allowed_stay_finite() {
    let dir = tempfile::tempdir().unwrap();
    let nf = write(
        &dir.path().join("nf.toml"),
        "weeks = 52\n[company]\nguard_cost_usd_week = 1e308\n",
    );
    let out = dir.path().join("nf");
    let o = cohabit(&[
        "run",
        &nf,
        "--seeds",
        "2",
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(
        stderr(&o).contains(
            "key `company.guard_cost_usd_week`: expected a number from 0 to 1e10, got 1e308"
        ),
        "{}",
        stderr(&o)
    );
    // Every money, price, grade and rate key at the top of its range: the run completes
    // and every number it writes is finite.
    let mut args: Vec<String> = [
        "run",
        tiny().to_str().unwrap(),
        "--seeds",
        "2",
        "--no-charts",
        "-q",
    ]
    .map(String::from)
    .to_vec();
    let out = dir.path().join("max");
    args.extend(["--out".into(), out.to_str().unwrap().into()]);
    args.extend(["--set".into(), "economy.price_shock_week=10".into()]);
    for k in cohabit::scenario::KEYS {
        let cohabit::scenario::Range::Number { max, .. } = k.range else {
            continue;
        };
        let top = k.key.starts_with("company.")
            || k.key.starts_with("landscape.grade")
            || k.key.contains("_usd")
            || k.key == "economy.gold_price_usd_per_g"
            || k.key == "economy.price_shock_factor"
            || k.key == "company.ta_productivity_gain"
            || k.key == "behaviour.fatalities_per_violent";
        if top && !k.key.starts_with("strategies.") {
            args.extend(["--set".into(), format!("{}={max:e}", k.key)]);
        }
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    ok(&args);
    for f in RESULT_FILES {
        for line in read(&out.join(f)).lines().skip(1) {
            for cell in line.split(',') {
                if let Ok(x) = cell.parse::<f64>() {
                    assert!(x.is_finite(), "{f}: {line}");
                }
                assert!(!["inf", "-inf", "NaN"].contains(&cell), "{f}: {line}");
            }
        }
    }
}

#[test]
fn memory_is_checked_before_a_run_starts() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("big");
    let o = cohabit(&[
        "run",
        "--seeds",
        "1000000",
        "--set",
        "weeks=5200",
        "--set",
        "timeseries_every_weeks=1",
        "--out",
        out.to_str().unwrap(),
    ]);
    let err = stderr(&o);
    assert_eq!(o.status.code(), Some(2), "{err}");
    assert!(
        err.contains("of memory") && err.contains("--max-memory") && err.contains("--metrics-only"),
        "{err}"
    );
    assert!(!out.exists(), "nothing is written");
    let t = tiny();
    refused(
        &[
            "run",
            t.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--max-memory",
            "1K",
        ],
        "above the limit of 1.0 KiB",
    );
}

#[test]
fn metrics_only_keeps_the_metrics_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let full = crate::common::run_tiny(dir.path(), "full", &["--no-charts"]);
    let lean = crate::common::run_tiny(dir.path(), "lean", &["--metrics-only"]);
    same_files(&full, &lean, &["runs.csv", "summary.csv", "scenario.toml"]);
    for gone in ["timeseries.csv", "map.csv", "report.html", "charts"] {
        assert!(!lean.join(gone).exists(), "{gone}");
    }
    // Into a folder of a full run of the same experiment: its timeseries and map go too.
    let t = tiny();
    ok(&[
        "run",
        t.to_str().unwrap(),
        "--out",
        full.to_str().unwrap(),
        "-q",
        "--metrics-only",
    ]);
    assert!(!full.join("timeseries.csv").exists() && !full.join("map.csv").exists());
}

#[test]
fn text_a_spreadsheet_would_run_is_neutralised_in_design_csv() {
    let dir = tempfile::tempdir().unwrap();
    let d = write(
        &dir.path().join("inject.toml"),
        "method = \"factorial\"\n[factors.description]\nvalues = [\"=cmd|' /C calc'!A0\", \"@SUM(1+1)\", \"+HYPERLINK(\\\"x\\\")\", \"-2+3\", \"plain\"]\n",
    );
    let out = dir.path().join("sweep");
    let t = tiny();
    ok(&[
        "sweep",
        t.to_str().unwrap(),
        "--design",
        &d,
        "--out",
        out.to_str().unwrap(),
        "--seeds",
        "1",
        "-q",
    ]);
    let csv = read(&out.join("design.csv"));
    let cells: Vec<&str> = csv
        .lines()
        .skip(1)
        .map(|l| l.split_once(',').unwrap().1)
        .collect();
    assert_eq!(
        cells,
        [
            "'=cmd|' /C calc'!A0",
            "'@SUM(1+1)",
            "\"'+HYPERLINK(\"\"x\"\")\"",
            "'-2+3",
            "plain"
        ],
        "{csv}"
    );
    // design.csv reads back as a table design with the values as written in the design.
    let table = csv
        .lines()
        .map(|l| l.split_once(',').unwrap().1)
        .collect::<Vec<_>>()
        .join("\n");
    write(&dir.path().join("points.csv"), &(table + "\n"));
    let back = cohabit::design::Design::from_str(
        "method = \"table\"\ntable = \"points.csv\"\n",
        "t.toml",
        dir.path(),
    )
    .unwrap();
    let first = &back.points().unwrap()[0].values[0].1;
    assert_eq!(
        first,
        &cohabit::design::FactorValue::Text("=cmd|' /C calc'!A0".into())
    );
}

#[test]
fn a_design_table_cannot_read_files_elsewhere() {
    let dir = tempfile::tempdir().unwrap();
    let t = tiny();
    for table in ["/etc/passwd", "../../../../../etc/passwd", ""] {
        let d = write(
            &dir.path().join("d.toml"),
            &format!("method = \"table\"\ntable = {table:?}\n"),
        );
        let err = refused(
            &[
                "sweep",
                t.to_str().unwrap(),
                "--design",
                &d,
                "--out",
                "/never",
            ],
            "beside the design file",
        );
        assert!(!err.contains("root:"), "{err}");
    }
}

#[test]
fn run_one_does_not_echo_a_huge_strategy() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("r.json");
    let name = "x".repeat(500_000);
    std::fs::write(
        &path,
        serde_json::json!({"strategy": name, "scenario": tiny()}).to_string(),
    )
    .unwrap();
    let err = refused(&["run-one", path.to_str().unwrap()], "no strategy");
    assert!(err.len() < 1000, "{} bytes of error", err.len());
    std::fs::write(
        &path,
        format!("{{\"strategy\": \"{}\"}}", "y".repeat(2 << 20)),
    )
    .unwrap();
    let err = refused(&["run-one", path.to_str().unwrap()], "bytes");
    assert!(err.len() < 1000, "{} bytes of error", err.len());
}

#[test]
fn sweep_and_sensitivity_manifests_count_miner_weeks() {
    let dir = tempfile::tempdir().unwrap();
    let t = tiny();
    for (command, d, extra) in [
        ("sweep", "factorial.toml", None),
        ("sensitivity", "morris.toml", Some("--no-charts")),
    ] {
        let out = dir.path().join(command);
        let d = design(d);
        let mut args = vec![
            command,
            t.to_str().unwrap(),
            "--design",
            d.to_str().unwrap(),
        ];
        args.extend(["--out", out.to_str().unwrap(), "--seeds", "1", "-q"]);
        args.extend(extra);
        ok(&args);
        let m: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
        assert!(m["miner_weeks"].as_f64().unwrap() > 0.0, "{command}: {m}");
        assert!(
            m["throughput_miner_weeks_per_s"].as_f64().unwrap() > 0.0,
            "{command}: {m}"
        );
    }
}
