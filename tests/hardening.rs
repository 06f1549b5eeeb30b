//! Issue 12's reproducers, each now a clear error (exit code 2) or a correct result: no
//! injection through the Slurm scripts or CSV cells, no writing outside the output folder,
//! no crash or non-finite result on accepted input, memory checked before a run, Slurm
//! arrays that survive resubmission, refusals that write nothing, a lock per folder.

use crate::common::{RESULT_FILES, cohabit, design, ok, read, refused, same_files, tiny};
use std::path::Path;

fn write(path: &Path, text: &str) -> String {
    std::fs::write(path, text).unwrap();
    path.to_str().unwrap().to_string()
}

fn stderr(o: &std::process::Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

#[test]
fn a_newline_cannot_reach_a_slurm_script() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    let pwned = d.join("PWNED");
    let nl = write(&d.join("nl.toml"), "name = \"x\\ntouch PWNED\\n#\"\n");
    let out = d.join("s");
    let o = cohabit(&[
        "slurm",
        "--shards",
        "2",
        "--",
        "run",
        &nl,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("key `name`"), "{}", stderr(&o));
    assert!(!out.join("slurm").exists());
    let t = tiny();
    let cases: [&[&str]; 4] = [
        &["--partition", "a\ntouch PWNED"],
        &["--time", "1\ntouch PWNED"],
        &["--mem", "4G\ntouch PWNED"],
        &["--sbatch-line", "--account=a\ntouch PWNED"],
    ];
    for extra in cases {
        let mut args = vec!["slurm", "--shards", "2"];
        args.extend_from_slice(extra);
        args.extend([
            "--",
            "run",
            t.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
        ]);
        let o = cohabit(&args);
        assert_eq!(o.status.code(), Some(2), "{extra:?}: {}", stderr(&o));
    }
    let bad_out = d.join("o\ntouch PWNED\n#");
    let o = cohabit(&[
        "slurm",
        "--shards",
        "2",
        "--",
        "run",
        t.to_str().unwrap(),
        "--out",
        bad_out.to_str().unwrap(),
    ]);
    assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
    assert!(stderr(&o).contains("line break"), "{}", stderr(&o));
    // A name Slurm cannot carry is written in its safe characters.
    let spaced = write(&d.join("spaced.toml"), "name = \"my site; rm -rf x\"\n");
    let o = cohabit(&[
        "slurm",
        "--shards",
        "2",
        "--",
        "run",
        &spaced,
        "--out",
        out.to_str().unwrap(),
    ]);
    assert!(o.status.success(), "{}", stderr(&o));
    let array = read(&out.join("slurm/array.sbatch"));
    assert!(
        array.contains("#SBATCH --job-name=cohabit-my_site__rm_-rf_x\n"),
        "{array}"
    );
    for script in ["array.sbatch", "merge.sbatch"] {
        let o = std::process::Command::new("bash")
            .arg("-n")
            .arg(out.join("slurm").join(script))
            .output()
            .unwrap();
        assert!(o.status.success(), "{script}: {}", stderr(&o));
    }
    assert!(!pwned.exists());
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
fn slurm_arrays_survive_resubmission_of_failed_tasks() {
    let dir = tempfile::tempdir().unwrap();
    let t = tiny();
    let whole = crate::common::run_tiny(dir.path(), "whole", &["--no-charts"]);
    let out = dir.path().join("slurm-run");
    let stdout = ok(&[
        "slurm",
        "--shards",
        "3",
        "--time",
        "00:10:00",
        "--sbatch-line=--account=abc",
        "--",
        "run",
        t.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
    ]);
    assert!(stdout.contains("the merge about"), "{stdout}");
    let merge = read(&out.join("slurm/merge.sbatch"));
    assert!(
        merge.contains("#SBATCH --time=00:10:00") && merge.contains("#SBATCH --mem="),
        "{merge}"
    );
    assert!(merge.contains("#SBATCH --account=abc"), "{merge}");
    // Tasks 1 and 3 of `--array=1-3:2`, then task 2 resubmitted alone (`--array=2`): the
    // array variables describe those submissions, and the script still knows N = 3.
    let task = |id: &str, count: &str, min: &str| {
        let o = std::process::Command::new("bash")
            .arg(out.join("slurm/array.sbatch"))
            .envs([
                ("SLURM_ARRAY_TASK_ID", id),
                ("SLURM_ARRAY_TASK_COUNT", count),
                ("SLURM_ARRAY_TASK_MIN", min),
                ("SLURM_CPUS_PER_TASK", "1"),
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "task {id}: {}", stderr(&o));
    };
    task("1", "2", "1");
    task("3", "2", "1");
    task("2", "1", "2");
    let o = std::process::Command::new("bash")
        .arg(out.join("slurm/merge.sbatch"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", stderr(&o));
    same_files(&whole, &out, &RESULT_FILES);
}

#[test]
fn slurm_checks_the_whole_command_first() {
    let dir = tempfile::tempdir().unwrap();
    let t = tiny();
    let t = t.to_str().unwrap();
    let out = dir.path().join("o");
    let out = out.to_str().unwrap();
    let factorial = design("factorial.toml");
    let bad_design = write(
        &dir.path().join("bad.toml"),
        "method = \"factorial\"\n[factors.\"economy.nope\"]\nrange = [0, 1]\n",
    );
    let cases: [(&[&str], &str); 5] = [
        (
            &["sweep", t, "--design", &bad_design, "--out", out],
            "economy.nope",
        ),
        (
            &["sweep", t, "--design", "/no/such/design.toml", "--out", out],
            "cannot read design file",
        ),
        (
            &["run", t, "--strategies", "nope", "--out", out],
            "no strategy \"nope\"",
        ),
        (
            &[
                "sensitivity",
                t,
                "--design",
                factorial.to_str().unwrap(),
                "--out",
                out,
            ],
            "has no sensitivity indices",
        ),
        (
            &["run", t, "--seeds", "2", "--set", "weeks=0", "--out", out],
            "key `weeks`",
        ),
    ];
    for (command, needle) in cases {
        let mut args = vec!["slurm", "--shards", "2", "--"];
        args.extend_from_slice(command);
        refused(&args, needle);
        assert!(!Path::new(out).exists(), "{command:?} wrote scripts");
    }
}

#[test]
fn leftovers_of_a_killed_run_are_swept_by_the_next() {
    let dir = tempfile::tempdir().unwrap();
    let out = crate::common::run_tiny(dir.path(), "r", &[]);
    let stale = [
        out.join(".runs.csv.partial"),
        out.join("charts/.cohabit-report-a1b2.tmp"),
    ];
    for f in &stale {
        std::fs::write(f, "torn").unwrap();
    }
    let t = tiny();
    ok(&[
        "run",
        t.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ]);
    for f in &stale {
        assert!(!f.exists(), "{} left", f.display());
    }
}

/// A 2-shard run of the tiny scenario; returns the folder holding `shards/`.
fn two_shards(dir: &Path) -> std::path::PathBuf {
    let t = tiny();
    let out = dir.join("sharded");
    for k in ["1/2", "2/2"] {
        ok(&[
            "run",
            t.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
            "--shard",
            k,
        ]);
    }
    out
}

#[test]
fn a_refused_merge_writes_nothing() {
    let dir = tempfile::tempdir().unwrap();
    let sharded = two_shards(dir.path());
    let shards = sharded.join("shards");
    let records = shards.join("0002-of-0002/records.bin");
    let good = std::fs::read(&records).unwrap();
    let target = dir.path().join("merged");
    // A byte flipped in the last record, then in the file's header.
    for at in [good.len() - 20, 3] {
        let mut bad = good.clone();
        bad[at] ^= 0x40;
        std::fs::write(&records, &bad).unwrap();
        let o = cohabit(&[
            "merge",
            shards.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
            "--no-charts",
        ]);
        assert_eq!(o.status.code(), Some(2), "byte {at}: {}", stderr(&o));
        assert!(stderr(&o).contains("damaged"), "{}", stderr(&o));
        assert!(
            !target.exists(),
            "byte {at}: the refused merge wrote {}",
            target.display()
        );
    }
    std::fs::write(&records, &good).unwrap();
    // `records` in shard.json may only name records.bin beside it.
    let manifest = shards.join("0001-of-0002/shard.json");
    let text = read(&manifest);
    std::fs::write(
        &manifest,
        text.replace(
            "\"records\": \"records.bin\"",
            "\"records\": \"../../../../etc/passwd\"",
        ),
    )
    .unwrap();
    refused(
        &[
            "merge",
            shards.to_str().unwrap(),
            "--out",
            target.to_str().unwrap(),
        ],
        "always in records.bin",
    );
    assert!(!target.exists());
    std::fs::write(&manifest, text).unwrap();
    ok(&[
        "merge",
        shards.to_str().unwrap(),
        "--out",
        target.to_str().unwrap(),
        "--no-charts",
        "-q",
    ]);
    // The merged manifest's wall time and throughput are the shards' own.
    let m: serde_json::Value = serde_json::from_str(&read(&target.join("manifest.json"))).unwrap();
    let shard_wall: f64 = ["0001-of-0002", "0002-of-0002"]
        .iter()
        .map(|s| {
            let j: serde_json::Value =
                serde_json::from_str(&read(&shards.join(s).join("shard.json"))).unwrap();
            j["wall_time_s"].as_f64().unwrap()
        })
        .sum();
    // (JSON floats read back to within a unit in the last place.)
    let close = |a: f64, b: f64| (a - b).abs() <= 1e-12 * b.abs();
    assert!(close(m["wall_time_s"].as_f64().unwrap(), shard_wall), "{m}");
    let mw = m["miner_weeks"].as_f64().unwrap();
    assert!(mw > 0.0);
    let throughput = m["throughput_miner_weeks_per_s"].as_f64().unwrap();
    assert!(close(throughput, mw / shard_wall), "{m}");
}

#[test]
fn a_second_command_on_a_held_folder_is_refused_clearly() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("busy");
    std::fs::create_dir(&out).unwrap();
    let hold = cohabit::experiment::lock::lock(&out, "cohabit run first.toml").unwrap();
    let t = tiny();
    let err = refused(
        &[
            "run",
            t.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "-q",
        ],
        "is in use by another cohabit command",
    );
    assert!(
        err.contains("cohabit run first.toml") && err.contains("wait for it"),
        "{err}"
    );
    assert!(!out.join(".cohabit-state").exists() && !out.join("runs.csv").exists());
    drop(hold);
    ok(&[
        "run",
        t.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
        "--no-charts",
    ]);
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
