//! The briefing as a reader sees it: `scripts/render-report.sh` lays it out in headless
//! Chromium, checks that the headline table names every strategy and the human outcomes and
//! that the screenshot is as tall as the page with no large empty band, and writes
//! report.png and report.pdf. Skipped (with a note) where Chromium or python3 is missing; CI
//! runs the script itself on the default run (`.ci/run`), so the checks always run there.

use std::path::Path;
use std::process::{Command, Output};

use super::fixture::{Options, write_fixture_with};
use super::{html, render_all};

fn tools_present() -> bool {
    let chromium = Path::new("/usr/bin/chromium").exists();
    let python = Command::new("python3").arg("--version").output().is_ok();
    if !(chromium && python) {
        eprintln!("skipped: the rendered-briefing checks need /usr/bin/chromium and python3");
    }
    chromium && python
}

fn render_script(dir: &Path) -> Output {
    Command::new(crate::common::repo("scripts/render-report.sh"))
        .arg(dir)
        .output()
        .expect("render-report.sh runs")
}

/// Width and height of a PNG, from its header.
fn png_size(path: &Path) -> (u32, u32) {
    let bytes = std::fs::read(path).unwrap();
    let be = |i: usize| u32::from_be_bytes(bytes[i..i + 4].try_into().unwrap());
    (be(16), be(20))
}

#[test]
fn the_rendered_briefing_names_everyone_and_fits_its_content() {
    if !tools_present() {
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let opts = Options {
        variant: true,
        population_wide: true,
    };
    write_fixture_with(dir.path(), opts);
    render_all(dir.path());
    let out = render_script(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "render-report.sh failed: {stderr}");
    let (w, h) = png_size(&dir.path().join("report.png"));
    assert_eq!(w, 1280);
    assert!((3000..20_000).contains(&h), "report.png is {h} px tall");
    assert!(
        std::fs::metadata(dir.path().join("report.pdf"))
            .unwrap()
            .len()
            > 10_000
    );

    // The checks can fail: a table without a strategy, then a page with a large empty band.
    let page = html(dir.path());
    let cut = page.replacen(">Cohabitation</th>", "></th>", 1);
    std::fs::write(dir.path().join("report.html"), cut).unwrap();
    let out = render_script(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(
        stderr.contains("does not name strategy 'Cohabitation'"),
        "{stderr}"
    );

    let gap = page.replacen(
        "<section class=\"charts\">",
        "<div style=\"height:1200px\"></div><section class=\"charts\">",
        1,
    );
    std::fs::write(dir.path().join("report.html"), gap).unwrap();
    let out = render_script(dir.path());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success());
    assert!(stderr.contains("empty band"), "{stderr}");
}
