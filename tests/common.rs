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
