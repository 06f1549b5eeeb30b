//! Report tests through the public API `cohabit::report::render`, on a realistic fixture
//! output folder (4 strategies, 20 seeds, 130 periods, a 64 x 64 map) written by
//! `fixtures/report/gen.rs`. What the briefing says (human outcomes first, references,
//! numbers, colours) is tested in `report_briefing.rs`; the rendered page in a browser in
//! `report_render.rs`.

#[path = "fixtures/report/gen.rs"]
mod fixture;

#[path = "report_briefing.rs"]
mod briefing;

#[path = "report_render.rs"]
mod rendered;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use cohabit::report::{RenderSummary, ReportError, ReportOptions, render};

/// Chart stems and titles, in briefing order.
const CHARTS: [(&str, &str); 6] = [
    (
        "1_outcomes_over_time",
        "Conflict, miner income and company cost over time",
    ),
    (
        "2_strategy_comparison",
        "Strategies compared: deaths, conflict, miners' income and cost",
    ),
    (
        "3_cost_conflict_tradeoff",
        "Trade-off: cost to the company against conflict",
    ),
    (
        "4_cost_breakdown",
        "Where the money goes: company cost by category",
    ),
    (
        "5_cost_risk",
        "Cost risk: total cost across simulated futures",
    ),
    ("6_asm_map", "Where artisanal miners dig in the final year"),
];
const INPUTS: [&str; 6] = [
    "runs.csv",
    "summary.csv",
    "timeseries.csv",
    "map.csv",
    "manifest.json",
    "scenario.toml",
];

pub(crate) fn fixture_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    fixture::write_fixture(dir.path());
    dir
}

pub(crate) fn render_all(dir: &Path) -> RenderSummary {
    render(dir, &ReportOptions::default()).expect("render")
}

/// Every output file under `dir` (report.html and charts/*) with its bytes.
fn outputs(dir: &Path) -> BTreeMap<String, Vec<u8>> {
    let mut files = BTreeMap::new();
    files.insert(
        "report.html".to_string(),
        std::fs::read(dir.join("report.html")).unwrap(),
    );
    for entry in std::fs::read_dir(dir.join("charts")).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        files.insert(name, std::fs::read(&path).unwrap());
    }
    files
}

/// Rewrites every line of one input file with `f` (the header is line 0).
pub(crate) fn rewrite(dir: &Path, file: &str, f: impl Fn(usize, &str) -> Option<String>) {
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    let lines: Vec<String> = text
        .lines()
        .enumerate()
        .filter_map(|(i, l)| f(i, l))
        .collect();
    std::fs::write(dir.join(file), lines.join("\n") + "\n").unwrap();
}

pub(crate) fn html(dir: &Path) -> String {
    std::fs::read_to_string(dir.join("report.html")).unwrap()
}

#[test]
fn renders_every_chart_and_the_briefing() {
    let dir = fixture_dir();
    let summary = render_all(dir.path());
    let briefing = dir.path().join("report.html");
    assert_eq!(summary.briefing.as_deref(), Some(briefing.as_path()));
    assert_eq!(summary.files[0], briefing);
    assert_eq!(summary.files.len(), 1 + 2 * CHARTS.len());
    for (stem, title) in CHARTS {
        let png = dir.path().join("charts").join(format!("{stem}.png"));
        let svg = dir.path().join("charts").join(format!("{stem}.svg"));
        assert!(summary.files.contains(&png) && summary.files.contains(&svg));
        check_png(&png);
        check_svg(&svg, title);
    }
}

fn check_png(path: &Path) {
    let decoder = png::Decoder::new(std::fs::File::open(path).unwrap());
    let mut reader = decoder.read_info().expect("PNG header");
    let mut pixels = vec![0; reader.output_buffer_size()];
    let info = reader.next_frame(&mut pixels).expect("PNG data");
    assert_eq!((info.width, info.height), (1600, 900), "{}", path.display());
    // The title (top left) is drawn: the embedded font rendered dark pixels there.
    let stride = info.line_size;
    let dark = (25..70)
        .flat_map(|y| (40..500).map(move |x| (y, x)))
        .filter(|(y, x)| pixels[y * stride + x * 3] < 80)
        .count();
    assert!(dark > 500, "no title text in {}", path.display());
}

pub(crate) fn check_svg(path: &Path, title: &str) {
    let text = std::fs::read_to_string(path).unwrap();
    let doc = roxmltree::Document::parse(&text).expect("well-formed SVG");
    let root = doc.root_element();
    assert_eq!(root.tag_name().name(), "svg");
    assert_eq!(root.attribute("viewBox"), Some("0 0 1600 900"));
    let title_el = root.children().find(|n| n.has_tag_name("title")).unwrap();
    assert_eq!(title_el.text(), Some(title));
    let texts: Vec<String> = root
        .descendants()
        .filter(|n| n.has_tag_name("text"))
        .filter_map(|n| n.text().map(|t| t.trim().to_string()))
        .collect();
    assert!(texts.iter().any(|t| t == title), "{title} not drawn");
    assert!(texts.iter().any(|t| t.contains("20 seeds per strategy")));
}

#[test]
fn briefing_is_self_contained_and_complete() {
    let dir = fixture_dir();
    render_all(dir.path());
    let page = html(dir.path());
    for banned in [
        "<script", "http://", "https://", "<link", "<img", "@import", "<iframe",
    ] {
        assert!(!page.contains(banned), "report.html contains {banned}");
    }
    assert!(page.contains("<table class=\"headline\">"));
    for name in [
        "Confrontation",
        "Coexistence",
        "Cohabitation",
        "Collaboration",
    ] {
        assert!(page.contains(name), "{name} missing");
    }
    assert_eq!(page.matches("<svg ").count(), CHARTS.len());
    assert!(page.contains("@media print") && page.contains("@page"));
    assert!(page.contains("What the simulations show"));
    assert!(page.contains("Bottom line"));
    assert!(page.contains("Conflict incidents: fewest under "));
    assert!(page.contains("(95% CI "));
    assert!(page.contains("Context and assumptions"));
    assert!(page.contains("USD 77 per gram"));
    assert!(page.contains("economy.price_volatility=0.3"));
    assert!(page.contains("9f2c4e1ab37d55e0"));
}

#[test]
fn rendering_is_deterministic() {
    let (a, b) = (fixture_dir(), fixture_dir());
    render_all(a.path());
    let first = outputs(a.path());
    render_all(a.path());
    assert_eq!(first, outputs(a.path()), "second render differs");
    render_all(b.path());
    assert_eq!(first, outputs(b.path()), "render in another folder differs");
    assert_eq!(first.len(), 1 + 2 * CHARTS.len());
}

#[test]
fn missing_input_is_a_clear_error() {
    for file in INPUTS {
        let dir = fixture_dir();
        std::fs::remove_file(dir.path().join(file)).unwrap();
        let err = render(dir.path(), &ReportOptions::default()).unwrap_err();
        assert!(
            matches!(&err, ReportError::Missing { path } if path.ends_with(file)),
            "{file}: {err:?}"
        );
        assert!(err.to_string().contains(file), "{err}");
        assert!(!dir.path().join("report.html").exists());
    }
}

fn expect_malformed(dir: &Path, file: &str, line: u64, words: &str) {
    let err = render(dir, &ReportOptions::default()).unwrap_err();
    match &err {
        ReportError::Malformed {
            path,
            line: l,
            message,
        } => {
            assert!(path.ends_with(file), "{err}");
            assert_eq!(*l, line, "{err}");
            assert!(message.contains(words), "{err}");
        }
        other => panic!("expected a malformed row in {file}, got {other:?}"),
    }
}

#[test]
fn malformed_rows_name_file_and_line() {
    let dir = fixture_dir();
    rewrite(dir.path(), "runs.csv", |i, l| {
        Some(if i == 4 {
            format!("{l},7")
        } else {
            l.to_string()
        })
    });
    expect_malformed(dir.path(), "runs.csv", 5, "fields");

    let dir = fixture_dir();
    rewrite(dir.path(), "summary.csv", |i, l| {
        let mut fields: Vec<&str> = l.split(',').collect();
        if i == 2 {
            fields[2] = "abc";
        }
        Some(fields.join(","))
    });
    expect_malformed(dir.path(), "summary.csv", 3, "`abc` is not a finite number");

    let dir = fixture_dir();
    rewrite(dir.path(), "map.csv", |i, l| {
        Some(if i == 7 {
            l.replace(",community,", ",swamp,")
        } else {
            l.to_string()
        })
    });
    expect_malformed(dir.path(), "map.csv", 8, "unknown zone `swamp`");

    let dir = fixture_dir();
    rewrite(dir.path(), "timeseries.csv", |i, l| {
        Some(if i == 9 {
            l.replacen(",4,", ",-4,", 1)
        } else {
            l.to_string()
        })
    });
    expect_malformed(dir.path(), "timeseries.csv", 10, "not a whole number");
}

#[test]
fn malformed_files_are_clear_errors() {
    let cases: [(&str, &str, &str); 4] = [
        ("manifest.json", "{\"seeds\": \"many\"", "invalid manifest"),
        ("scenario.toml", "weeks = = 3", "invalid TOML"),
        (
            "runs.csv",
            "strategy,replicate,seed,clashes\n",
            "no data rows",
        ),
        (
            "summary.csv",
            "strategy,metric,mean\nx,y,1\n",
            "missing column `p05`",
        ),
    ];
    for (file, content, words) in cases {
        let dir = fixture_dir();
        std::fs::write(dir.path().join(file), content).unwrap();
        let err = render(dir.path(), &ReportOptions::default()).unwrap_err();
        let text = err.to_string();
        assert!(
            text.contains(file) && text.contains(words),
            "{file}: {text}"
        );
    }
}

#[test]
fn a_failed_render_keeps_earlier_outputs() {
    let dir = fixture_dir();
    render_all(dir.path());
    let before = outputs(dir.path());
    std::fs::write(
        dir.path().join("map.csv"),
        "strategy,x,y,zone,miners_mean\na,1,1,core,-3\n",
    )
    .unwrap();
    assert!(render(dir.path(), &ReportOptions::default()).is_err());
    assert_eq!(before, outputs(dir.path()));
    let stray = std::fs::read_dir(dir.path()).unwrap().filter(|e| {
        e.as_ref()
            .unwrap()
            .file_name()
            .to_string_lossy()
            .ends_with(".tmp")
    });
    assert_eq!(stray.count(), 0);
}

#[test]
fn options_choose_what_is_written() {
    let dir = fixture_dir();
    let charts_only = ReportOptions {
        charts: true,
        html: false,
        ..ReportOptions::default()
    };
    let summary = render(dir.path(), &charts_only).unwrap();
    assert_eq!(summary.briefing, None);
    assert_eq!(summary.files.len(), 2 * CHARTS.len());
    assert!(!dir.path().join("report.html").exists());

    let dir = fixture_dir();
    let html_only = ReportOptions {
        charts: false,
        html: true,
        ..ReportOptions::default()
    };
    let summary = render(dir.path(), &html_only).unwrap();
    assert_eq!(summary.files, vec![dir.path().join("report.html")]);
    assert!(!dir.path().join("charts").exists());
    assert_eq!(html(dir.path()).matches("<svg ").count(), CHARTS.len());
}

/// Keeps only `keep` strategies, renaming each (CSV rows start with the strategy name).
pub(crate) fn select_strategies(dir: &Path, keep: &[(&str, &str)]) {
    for file in ["runs.csv", "summary.csv", "timeseries.csv", "map.csv"] {
        rewrite(dir, file, |i, line| {
            if i == 0 {
                return Some(line.to_string());
            }
            let (name, rest) = line.split_once(',').unwrap();
            keep.iter()
                .find(|(from, _)| *from == name)
                .map(|(_, to)| format!("{to},{rest}"))
        });
    }
}

#[test]
fn one_user_named_strategy_renders() {
    let dir = fixture_dir();
    select_strategies(dir.path(), &[("coexistence", "late_engagement")]);
    render_all(dir.path());
    let page = html(dir.path());
    assert!(page.contains("Late engagement"));
    assert!(page.contains("Only one strategy (Late engagement) was run"));
}

#[test]
fn odd_strategy_names_are_escaped() {
    let dir = fixture_dir();
    select_strategies(
        dir.path(),
        &[
            ("confrontation", "evict_<all>&\"go\""),
            ("coexistence", "talk"),
        ],
    );
    render_all(dir.path());
    let page = html(dir.path());
    assert!(page.contains("Evict &lt;all&gt;&amp;&quot;go&quot;"));
    assert!(!page.contains("<all>"));
    for (stem, title) in CHARTS {
        check_svg(
            &dir.path().join("charts").join(format!("{stem}.svg")),
            title,
        );
    }
}

/// Writes the fixture and its report to `$COHABIT_REPORT_DEMO_DIR` for looking at by eye:
/// `plain/` (four presets, the model's columns) and `full/` (a variant and the
/// population-wide columns).
#[test]
#[ignore = "writes to a folder given by COHABIT_REPORT_DEMO_DIR, for visual review"]
fn demo_render_for_review() {
    let root = PathBuf::from(std::env::var("COHABIT_REPORT_DEMO_DIR").expect("set the folder"));
    let full = fixture::Options {
        variant: true,
        population_wide: true,
    };
    for (name, opts) in [("plain", fixture::Options::default()), ("full", full)] {
        let dir = root.join(name);
        std::fs::create_dir_all(&dir).unwrap();
        fixture::write_fixture_with(&dir, opts);
        for f in render_all(&dir).files {
            println!("{}", f.display());
        }
    }
}

/// Renders the report of an existing output folder `$COHABIT_REPORT_DIR` (for review).
#[test]
#[ignore = "renders the folder given by COHABIT_REPORT_DIR, for visual review"]
fn render_folder_for_review() {
    let dir = PathBuf::from(std::env::var("COHABIT_REPORT_DIR").expect("set the folder"));
    for f in render_all(&dir).files {
        println!("{}", f.display());
    }
}
