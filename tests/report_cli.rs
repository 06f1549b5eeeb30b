//! Charts and briefing through the CLI: `run` draws them from its own CSV files, and
//! `cohabit report` redraws byte-identical files from those CSV files without simulating.

use crate::common::{cohabit, ok, run_tiny};
use std::collections::BTreeMap;
use std::path::Path;

fn drawn(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(
        "report.html".to_string(),
        std::fs::read(dir.join("report.html")).unwrap(),
    );
    for entry in std::fs::read_dir(dir.join("charts")).unwrap() {
        let path = entry.unwrap().path();
        files.insert(
            path.file_name().unwrap().to_string_lossy().into_owned(),
            std::fs::read(&path).unwrap(),
        );
    }
    files
}

#[test]
fn report_redraws_what_run_drew() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_tiny(dir.path(), "drawn", &[]);
    let first = drawn(&out);
    assert_eq!(
        first.len(),
        13,
        "report.html and six charts as PNG and SVG: {:?}",
        first.keys()
    );
    std::fs::remove_dir_all(out.join("charts")).unwrap();
    std::fs::remove_file(out.join("report.html")).unwrap();
    let stdout = ok(&["report", out.to_str().unwrap()]);
    assert!(stdout.contains("report.html"), "{stdout}");
    assert!(first == drawn(&out), "redrawn charts differ from the run's");
}

#[test]
fn no_charts_skips_drawing_and_report_needs_results() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_tiny(dir.path(), "plain", &["--no-charts"]);
    assert!(!out.join("charts").exists() && !out.join("report.html").exists());
    let missing = cohabit(&["report", dir.path().join("nothing-here").to_str().unwrap()]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("runs.csv"));
}

#[test]
fn the_binary_carries_its_fonts_and_links_no_fontconfig() {
    // Charts must render on a fresh machine with no system fonts: fonts are embedded and the
    // binary must not link fontconfig or freetype.
    let Ok(out) = std::process::Command::new("ldd")
        .arg(env!("CARGO_BIN_EXE_cohabit"))
        .output()
    else {
        return; // no ldd on this system: nothing to check
    };
    let libs = String::from_utf8_lossy(&out.stdout).to_lowercase();
    assert!(
        !libs.contains("fontconfig") && !libs.contains("freetype"),
        "{libs}"
    );
}
