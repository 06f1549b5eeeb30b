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

#[test]
fn baseline_picks_the_reference_and_an_unknown_one_is_refused_before_running() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("refused");
    let tiny = crate::common::tiny();
    let refused = cohabit(&[
        "run",
        tiny.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--baseline",
        "coexistence",
    ]);
    assert_eq!(refused.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&refused.stderr);
    assert!(
        stderr.contains("--baseline coexistence")
            && stderr.contains("confrontation, collaboration, cohabitation"),
        "{stderr}"
    );
    assert!(!out.exists(), "nothing runs before the baseline is checked");

    let out = run_tiny(dir.path(), "chosen", &["--baseline", "collaboration"]);
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("Each strategy is compared with Collaboration, the reference chosen"));
    let unknown = cohabit(&["report", out.to_str().unwrap(), "--baseline", "nobody"]);
    assert_eq!(unknown.status.code(), Some(2));
    ok(&[
        "report",
        out.to_str().unwrap(),
        "--baseline",
        "confrontation",
    ]);
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(page.contains("Each strategy is compared with Confrontation, the reference chosen"));
}

/// The example designs README points to (designs/) parse, and every point of each is a valid
/// set of overrides of the default scenario they are written for.
#[test]
fn shipped_example_designs_are_valid_on_the_default_scenario() {
    use cohabit::design::Design;
    use cohabit::scenario::{ScenarioSource, load};
    let readme = crate::common::read(&crate::common::repo("README.md"));
    for (file, method) in [
        ("sweep.toml", "latin_hypercube"),
        ("morris.toml", "morris"),
        ("sobol.toml", "sobol"),
    ] {
        let path = crate::common::repo("designs").join(file);
        assert!(
            readme.contains(&format!("designs/{file}")),
            "README lacks {file}"
        );
        let design = Design::from_file(&path).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(design.method.name(), method, "{file}");
        let points = design.points().unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(points.len() >= 100, "{file}: {} points", points.len());
        for p in &points {
            load(&ScenarioSource::Default, &p.overrides())
                .unwrap_or_else(|e| panic!("{file}, point {}: {e}", p.id));
        }
    }
}
