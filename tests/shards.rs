//! Shards and merge: shards merged are byte-identical to one machine (run, sweep,
//! sensitivity); merge refuses incomplete or inconsistent shards; Slurm scripts and
//! `--shard auto` split the work the same way.

use crate::common::{RESULT_FILES, cohabit_env, design, ok, refused, same_files, tiny};
use std::path::{Path, PathBuf};

/// Runs `command` on the tiny scenario into `out`, whole or as shard `shard`.
fn batch(command: &str, out: &Path, shard: Option<&str>, extra: &[&str]) {
    let t = tiny();
    let mut args = vec![
        command,
        t.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(extra);
    if let Some(s) = shard {
        args.extend(["--shard", s]);
    }
    ok(&args);
}

fn merge(out: &Path) {
    let shards = out.join("shards");
    ok(&["merge", shards.to_str().unwrap(), "--no-charts", "-q"]);
}

#[test]
fn run_shards_merge_to_the_single_machine_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    batch("run", &whole, None, &["--no-charts"]);
    for n in [2, 4] {
        let out = dir.path().join(format!("sharded{n}"));
        for k in 1..=n {
            batch("run", &out, Some(&format!("{k}/{n}")), &["--threads", "1"]);
        }
        merge(&out);
        same_files(&whole, &out, &RESULT_FILES);
        same_files(&whole, &out, &["scenario.toml"]);
    }
}

#[test]
fn sweep_and_sensitivity_shards_merge_to_the_single_machine_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let d = design("factorial.toml");
    let m = design("morris.toml");
    let cases: [(&str, &PathBuf, &[&str]); 2] = [
        ("sweep", &d, &["design.csv", "runs.csv", "summary.csv"]),
        (
            "sensitivity",
            &m,
            &["design.csv", "runs.csv", "summary.csv", "indices.csv"],
        ),
    ];
    for (command, design, files) in cases {
        let mut extra = vec!["--design", design.to_str().unwrap()];
        if command == "sensitivity" {
            extra.push("--no-charts");
        }
        let whole = dir.path().join(format!("{command}-whole"));
        batch(command, &whole, None, &extra);
        let out = dir.path().join(format!("{command}-sharded"));
        for k in 1..=3 {
            batch(command, &out, Some(&format!("{k}/3")), &extra);
        }
        merge(&out);
        same_files(&whole, &out, files);
    }
}

/// Three finished shards of the tiny run in `<dir>/x/shards/`.
fn three_shards(dir: &Path) -> PathBuf {
    let out = dir.join("x");
    for k in 1..=3 {
        batch("run", &out, Some(&format!("{k}/3")), &[]);
    }
    out.join("shards")
}

fn merge_args(shards: &[PathBuf], out: &Path) -> Vec<String> {
    let mut args = vec!["merge".to_string()];
    args.extend(shards.iter().map(|s| s.display().to_string()));
    args.extend([
        "--out".into(),
        out.display().to_string(),
        "--no-charts".into(),
    ]);
    args
}

fn refused_merge(shards: &[PathBuf], out: &Path, needle: &str) {
    let args = merge_args(shards, out);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    refused(&args, needle);
    assert!(
        !out.join("runs.csv").exists(),
        "nothing written on a refused merge"
    );
}

#[test]
fn merge_refuses_missing_duplicated_unfinished_or_foreign_shards() {
    let dir = tempfile::tempdir().unwrap();
    let shards = three_shards(dir.path());
    let s = |k: u32| shards.join(format!("{k:04}-of-0003"));
    let out = dir.path().join("merged");
    refused_merge(&[s(1), s(3)], &out, "missing shards: 2 of 3");
    refused_merge(&[s(1), s(2), s(3), s(2)], &out, "appears twice");
    // A shard of another experiment (another master seed).
    let other = dir.path().join("other");
    batch("run", &other, Some("2/3"), &["--master-seed", "99"]);
    let foreign = other.join("shards/0002-of-0003");
    refused_merge(&[s(1), foreign, s(3)], &out, "not of the same experiment");
    // An unfinished shard: state but no shard.json.
    let unfinished = dir.path().join("unfinished");
    std::fs::create_dir_all(unfinished.join(".cohabit-state")).unwrap();
    refused_merge(&[s(1), unfinished, s(3)], &out, "unfinished");
    // A damaged shard: its records cut short.
    let records = s(2).join("records.bin");
    let bytes = std::fs::read(&records).unwrap();
    std::fs::write(&records, &bytes[..bytes.len() - 10]).unwrap();
    refused_merge(&[s(1), s(2), s(3)], &out, "damaged or incomplete");
}

#[test]
fn shard_auto_reads_the_slurm_array_variables() {
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    batch("run", &whole, None, &["--no-charts"]);
    let out = dir.path().join("auto");
    let t = tiny();
    for id in ["0", "1"] {
        let env = [
            ("SLURM_ARRAY_TASK_ID", id),
            ("SLURM_ARRAY_TASK_COUNT", "2"),
            ("SLURM_ARRAY_TASK_MIN", "0"),
        ];
        let o = cohabit_env(
            &[
                "run",
                t.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "--shard",
                "auto",
                "-q",
            ],
            &env,
        );
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    merge(&out);
    same_files(&whole, &out, &RESULT_FILES);
    refused(
        &["run", t.to_str().unwrap(), "--shard", "auto"],
        "SLURM_ARRAY_TASK_ID",
    );
    refused(&["run", t.to_str().unwrap(), "--shard", "3/2"], "--shard");
}

#[test]
fn slurm_scripts_run_the_array_then_the_merge() {
    // Without Slurm: run the generated scripts with bash as Slurm would (one array task per
    // shard, then the merge), and compare with a run on one machine. The real Slurm check is
    // scripts/slurm-check.sh.
    let dir = tempfile::tempdir().unwrap();
    let whole = dir.path().join("whole");
    batch("run", &whole, None, &["--no-charts"]);
    let out = dir.path().join("slurm-run");
    let t = tiny();
    let stdout = ok(&[
        "slurm",
        "--shards",
        "3",
        "--time",
        "00:10:00",
        "--",
        "run",
        t.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--no-charts",
    ]);
    assert!(stdout.contains("submit.sh"), "{stdout}");
    let array = std::fs::read_to_string(out.join("slurm/array.sbatch")).unwrap();
    let merge = std::fs::read_to_string(out.join("slurm/merge.sbatch")).unwrap();
    let submit = std::fs::read_to_string(out.join("slurm/submit.sh")).unwrap();
    assert!(array.contains("#SBATCH --array=1-3"), "{array}");
    assert!(array.contains("#SBATCH --time=00:10:00"), "{array}");
    assert!(
        array.contains("--shard \"${SLURM_ARRAY_TASK_ID}/3\" --resume"),
        "{array}"
    );
    assert!(submit.contains("--dependency=afterok:"), "{submit}");
    assert!(merge.contains(" merge "), "{merge}");
    for id in ["1", "2", "3"] {
        let o = std::process::Command::new("bash")
            .arg(out.join("slurm/array.sbatch"))
            .envs([
                ("SLURM_ARRAY_TASK_ID", id),
                ("SLURM_ARRAY_TASK_COUNT", "3"),
                ("SLURM_ARRAY_TASK_MIN", "1"),
                ("SLURM_CPUS_PER_TASK", "1"),
            ])
            .output()
            .unwrap();
        assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    }
    let o = std::process::Command::new("bash")
        .arg(out.join("slurm/merge.sbatch"))
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    same_files(&whole, &out, &RESULT_FILES);
    refused(
        &["slurm", "--shards", "2", "--", "keys"],
        "run, sweep, sensitivity or fit",
    );
}
