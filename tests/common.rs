//! Helpers shared by the integration tests.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The tiny test scenario.
pub fn tiny() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/tiny.toml")
}

/// Path inside the repository.
pub fn repo(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(rel)
}

/// Run the cohabit binary with arguments.
pub fn cohabit(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cohabit"))
        .args(args)
        .output()
        .expect("cohabit runs")
}

/// Run and insist on success; returns stdout.
pub fn ok(args: &[&str]) -> String {
    let out = cohabit(args);
    assert!(
        out.status.success(),
        "cohabit {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// Read a file to a string.
pub fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {}: {e}", path.display()))
}

/// The result files every run writes.
pub const RESULT_FILES: [&str; 4] = ["runs.csv", "summary.csv", "timeseries.csv", "map.csv"];

/// Run the tiny scenario into a fresh folder with extra arguments; returns the folder.
pub fn run_tiny(dir: &Path, name: &str, extra: &[&str]) -> PathBuf {
    let out = dir.join(name);
    let tiny = tiny();
    let mut args = vec![
        "run",
        tiny.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    ok(&args);
    out
}

/// A design file among the test fixtures.
pub fn design(name: &str) -> PathBuf {
    repo("tests/fixtures/designs").join(name)
}

/// Run cohabit with arguments and environment variables.
pub fn cohabit_env(args: &[&str], env: &[(&str, &str)]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_cohabit"))
        .args(args)
        .envs(env.iter().copied())
        .output()
        .expect("cohabit runs")
}

/// Insist that two folders hold byte-identical copies of `files`.
pub fn same_files(a: &Path, b: &Path, files: &[&str]) {
    for f in files {
        let x = std::fs::read(a.join(f)).unwrap_or_else(|e| panic!("{}/{f}: {e}", a.display()));
        let y = std::fs::read(b.join(f)).unwrap_or_else(|e| panic!("{}/{f}: {e}", b.display()));
        assert!(
            x == y,
            "{f} differs between {} and {}",
            a.display(),
            b.display()
        );
    }
}

/// Insist on failure with exit code 2 and a message containing `needle`; returns stderr.
pub fn refused(args: &[&str], needle: &str) -> String {
    let out = cohabit(args);
    let err = String::from_utf8_lossy(&out.stderr).into_owned();
    assert_eq!(out.status.code(), Some(2), "cohabit {args:?}: {err}");
    assert!(
        err.contains(needle),
        "cohabit {args:?}: expected {needle:?} in: {err}"
    );
    err
}

/// A sweep of the tiny scenario over the 2 x 2 factorial design into `out`, quietly, with
/// extra arguments.
pub fn sweep_tiny(out: &Path, extra: &[&str]) {
    let (t, d) = (tiny(), design("factorial.toml"));
    let mut args = vec![
        "sweep",
        t.to_str().unwrap(),
        "--design",
        d.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ];
    args.extend_from_slice(extra);
    ok(&args);
}

/// Waits (up to 60 s) until `ready()` holds while `child` still runs: a test that kills or
/// interrupts a command needs it to be under way, and fails if it finished first.
pub fn wait_while_running(child: &mut std::process::Child, what: &str, ready: impl Fn() -> bool) {
    let start = std::time::Instant::now();
    while !ready() {
        assert!(
            child.try_wait().unwrap().is_none(),
            "cohabit finished before {what}"
        );
        assert!(
            start.elapsed() < std::time::Duration::from_secs(60),
            "not {what} after 60 s"
        );
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
}
