//! Issue 12's reproducers for batch commands across folders and machines: nothing reaches
//! a Slurm script that could start a command, Slurm arrays survive resubmission, the whole
//! command is checked before scripts are written, a refused merge writes nothing, a second
//! command on a held folder is refused, leftovers of a killed run are swept.

use super::{stderr, write};
use crate::common::{RESULT_FILES, cohabit, design, ok, read, refused, same_files, tiny};
use std::path::Path;

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
