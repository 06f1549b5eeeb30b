//! Nothing lost: a run killed with SIGKILL, or a sweep stopped with Ctrl-C, resumes with
//! `--resume` to byte-identical outputs; an output folder holding another experiment is
//! refused without `--force`.

use crate::common::{
    RESULT_FILES, design, ok, refused, run_tiny, same_files, tiny, wait_while_running,
};
use std::path::Path;
use std::process::{Child, Command, Stdio};

/// Starts cohabit in the background.
fn spawn(args: &[&str]) -> Child {
    Command::new(env!("CARGO_BIN_EXE_cohabit"))
        .args(args)
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("cohabit starts")
}

/// Waits until the hidden partial runs.csv in `out` has at least `rows` rows.
fn wait_for_rows(out: &Path, rows: usize, child: &mut Child) {
    let partial = out.join(".runs.csv.partial");
    wait_while_running(child, "rows were written", || {
        std::fs::read_to_string(&partial).map_or(0, |t| t.lines().count()) > rows
    });
}

#[test]
fn a_run_killed_with_sigkill_resumes_to_identical_outputs() {
    let dir = tempfile::tempdir().unwrap();
    // Long enough to be killed mid-run: 3 strategies x 200 seeds, ten years each.
    let slow = ["--seeds", "200", "--set", "weeks=520", "--no-charts"];
    let reference = run_tiny(dir.path(), "reference", &slow);
    let out = dir.path().join("killed");
    let t = tiny();
    let mut args = vec![
        "run",
        t.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "-q",
    ];
    args.extend_from_slice(&slow);
    let mut child = spawn(&[&args[..], &["--threads", "1"]].concat());
    wait_for_rows(&out, 30, &mut child);
    child.kill().unwrap(); // SIGKILL
    child.wait().unwrap();
    assert!(
        !out.join("runs.csv").exists(),
        "no final file from a killed run"
    );
    assert!(out.join(".cohabit-state/records.bin").exists());
    // Without --resume the unfinished folder is refused, and says how to go on.
    refused(&args, "--resume");
    ok(&[&args[..], &["--resume"]].concat());
    same_files(&reference, &out, &RESULT_FILES);
    assert!(
        !out.join(".cohabit-state").exists(),
        "state removed once complete"
    );
    // Resuming a complete folder has nothing to do.
    let again = ok(&[&args[..], &["--resume"]].concat());
    assert!(again.is_empty(), "{again}");
}

#[test]
fn a_sweep_stopped_with_ctrl_c_saves_its_work_and_resumes_to_identical_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let (t, d) = (tiny(), design("factorial.toml"));
    let args = |out: &Path| -> Vec<String> {
        [
            "sweep",
            t.to_str().unwrap(),
            "--design",
            d.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--seeds",
            "50",
            "--set",
            "weeks=520",
            "--threads",
            "1",
        ]
        .iter()
        .map(|s| s.to_string())
        .collect()
    };
    let reference = dir.path().join("reference");
    let r = args(&reference);
    ok(&r.iter().map(String::as_str).collect::<Vec<_>>());
    let out = dir.path().join("stopped");
    let a = args(&out);
    let a: Vec<&str> = a.iter().map(String::as_str).collect();
    let mut child = spawn(&a);
    wait_for_rows(&out, 20, &mut child);
    let pid = child.id().to_string();
    let status = Command::new("kill").args(["-INT", &pid]).status().unwrap();
    assert!(status.success());
    let output = child.wait_with_output().unwrap();
    let err = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(130), "{err}");
    assert!(
        err.contains("interrupted") && err.contains("--resume"),
        "{err}"
    );
    ok(&[&a[..], &["--resume", "-q"]].concat());
    same_files(&reference, &out, &["design.csv", "runs.csv", "summary.csv"]);
}

#[test]
fn a_folder_holding_another_experiment_is_refused_without_force() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_tiny(dir.path(), "x", &["--no-charts"]);
    let before = std::fs::read(out.join("runs.csv")).unwrap();
    let t = tiny();
    let o = out.to_str().unwrap();
    let other = [
        "run",
        t.to_str().unwrap(),
        "--out",
        o,
        "--master-seed",
        "99",
        "-q",
        "--no-charts",
    ];
    let err = refused(&other, "another experiment");
    assert!(err.contains("--force"), "{err}");
    assert_eq!(
        std::fs::read(out.join("runs.csv")).unwrap(),
        before,
        "untouched"
    );
    let d = design("factorial.toml");
    refused(
        &[
            "sweep",
            t.to_str().unwrap(),
            "--design",
            d.to_str().unwrap(),
            "--out",
            o,
        ],
        "another experiment",
    );
    ok(&[&other[..], &["--force"]].concat());
    let fresh = run_tiny(dir.path(), "fresh", &["--master-seed", "99", "--no-charts"]);
    same_files(&fresh, &out, &RESULT_FILES);
    // The same experiment again is fine.
    ok(&other);
}

#[test]
fn an_interrupted_run_leaves_earlier_complete_results_untouched() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_tiny(dir.path(), "x", &["--no-charts"]);
    let before: Vec<Vec<u8>> = RESULT_FILES
        .iter()
        .map(|f| std::fs::read(out.join(f)).unwrap())
        .collect();
    let t = tiny();
    let slow = [
        "run",
        t.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--seeds",
        "200",
        "--set",
        "weeks=520",
        "--no-charts",
        "--threads",
        "1",
        "--force",
    ];
    let mut child = spawn(&slow);
    wait_for_rows(&out, 10, &mut child);
    child.kill().unwrap();
    child.wait().unwrap();
    for (f, bytes) in RESULT_FILES.iter().zip(&before) {
        assert_eq!(&std::fs::read(out.join(f)).unwrap(), bytes, "{f} changed");
    }
    // The folder now holds the unfinished new experiment: the old one is refused there.
    refused(
        &[
            "run",
            t.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--no-charts",
        ],
        "another experiment",
    );
}
