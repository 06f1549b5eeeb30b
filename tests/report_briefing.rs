//! What the briefing says, on the fixture folders: human outcomes first, every measure group
//! in the table and the findings, population-wide livelihoods preferred (and a stayers-only
//! mean always labelled), the references of the findings (best alternative, a variant's
//! preset, `--baseline`), numbers that read like a consultant's, the caution on few seeds, and
//! strategy colours fixed by name.

use std::path::Path;

use cohabit::report::{ReportError, ReportOptions, render};

use super::fixture::{Options, write_fixture_with};
use super::{check_svg, fixture_dir, html, render_all, rewrite, select_strategies};

fn fixture_with(opts: Options) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    write_fixture_with(dir.path(), opts);
    dir
}

/// The headline table's HTML.
fn table(page: &str) -> &str {
    let start = page
        .find("<table class=\"headline\">")
        .expect("headline table");
    let end = start + page[start..].find("</table>").unwrap();
    &page[start..end]
}

/// Byte offset of `needle` in `hay`, failing with a message when absent.
fn at(hay: &str, needle: &str) -> usize {
    hay.find(needle)
        .unwrap_or_else(|| panic!("{needle:?} not found"))
}

/// Checks numbers a reader should never see: collapsed intervals ("98–98%"), negative counts,
/// an unformatted long number.
fn numbers_read_well(page: &str) {
    let text: String = page.replace("&ndash;", "\u{2013}");
    let words: Vec<&str> = text.split([' ', '(', ')', '>', '<', ';', ',']).collect();
    for w in &words {
        if let Some((a, b)) = w.split_once('\u{2013}') {
            let (a, b) = (a.trim_end_matches('%'), b.trim_end_matches('%'));
            if !a.is_empty() && a.chars().all(|c| c.is_ascii_digit() || c == '.') {
                assert_ne!(a, b, "collapsed interval {w:?}");
            }
        }
        assert!(!w.starts_with("-0."), "negative near-zero {w:?}");
        assert!(!["NaN", "inf", "-inf"].contains(w), "{w:?} in the briefing");
    }
    for bad in ["\u{2013}-", " -0 "] {
        assert!(!text.contains(bad), "{bad:?} in the briefing");
    }
    // An interval is a range: "(95% CI 100% lower)" is a collapsed one.
    for (at, _) in text.match_indices("95% CI ") {
        let rest = &text[at..];
        let ci = &rest[..rest.find([')', ';']).unwrap_or(rest.len())];
        assert!(
            ci.contains('\u{2013}') || ci.contains(" to "),
            "collapsed interval {ci:?}"
        );
    }
}

#[test]
fn human_outcomes_come_first_in_the_table_and_the_findings() {
    let dir = fixture_dir();
    render_all(dir.path());
    let page = html(dir.path());
    let t = table(&page);
    let order = [
        "Human outcomes",
        "Deaths in violent incidents",
        "Human-rights abuse allegations",
        "Miners evicted by force",
        "Miners displaced",
        "Days the mine was blockaded",
        "Conflict",
        "Conflict incidents",
        "Miners&#39; livelihoods",
        "Miners still digging at the end",
        "Mean income of the miners still digging",
        "Cost to the company",
        "NPV cost to the company",
        "1-in-20 bad case",
        "Compliance",
        "Criminal gold found in the company&#39;s supply chain",
        "Miners digging illegally on the concession",
    ];
    let positions: Vec<usize> = order.iter().map(|n| at(t, n)).collect();
    assert!(
        positions.windows(2).all(|w| w[0] < w[1]),
        "{order:?} out of order"
    );
    for name in [
        "Confrontation",
        "Coexistence",
        "Cohabitation",
        "Collaboration",
    ] {
        assert!(t.contains(&format!(">{name}</th>")), "{name} not a column");
    }
    // The findings follow the same order, after the bottom line.
    let findings = &page[at(&page, "What the simulations show")..];
    let headings = [
        "<h3>Human outcomes",
        "<h3>Conflict",
        "<h3>Miners&#39; livelihoods",
        "<h3>Cost",
        "<h3>Compliance",
    ];
    let positions: Vec<usize> = headings.iter().map(|h| at(findings, h)).collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]));
    assert!(at(&page, "Bottom line") < at(&page, "Headline figures"));
    for claim in [
        "Deaths: fewest under ",
        "Forced evictions: fewest under ",
        "Blockade days: ",
        "Criminal gold found in the supply chain: ",
    ] {
        assert!(findings.contains(claim), "{claim}");
    }
    numbers_read_well(&page);
}

#[test]
fn a_strategy_with_no_deaths_is_compared_in_deaths_not_in_percent() {
    // No deaths at all under Cohabitation: against it, every other strategy is "100% lower"
    // or infinitely higher in relative terms. The briefing states the difference in deaths.
    let dir = fixture_dir();
    rewrite(dir.path(), "runs.csv", |i, l| {
        let mut f: Vec<String> = l.split(',').map(String::from).collect();
        if i > 0 && f[0] == "cohabitation" {
            f[6] = "0".to_string();
        }
        Some(f.join(","))
    });
    render_all(dir.path());
    let page = html(dir.path());
    let findings = &page[at(&page, "What the simulations show")..];
    let deaths = &findings[at(
        findings,
        "Deaths: fewest under Cohabitation (none over 10 years)",
    )..];
    let deaths = &deaths[..at(deaths, "</li>")];
    assert!(
        deaths.contains(" fewer (0 vs ") && deaths.contains(" deaths over 10 years; 95% CI "),
        "{deaths}"
    );
    assert!(
        !deaths.contains("% lower") && !deaths.contains("times as high"),
        "{deaths}"
    );
    // Against the leader, the others are so many more deaths, with both means.
    assert!(
        deaths.contains(" more (") && deaths.contains(" vs 0 deaths over 10 years; "),
        "{deaths}"
    );
    numbers_read_well(&page);
}

#[test]
fn a_stayers_only_income_is_labelled_and_population_wide_measures_replace_it() {
    let dir = fixture_dir();
    render_all(dir.path());
    let page = html(dir.path());
    assert!(!page.contains("earn most"));
    assert!(page.contains("Income of the miners still digging: highest under "));
    assert!(page.contains("This counts only the miners still digging"));

    let dir = fixture_with(Options {
        population_wide: true,
        ..Options::default()
    });
    render_all(dir.path());
    let page = html(dir.path());
    let t = table(&page);
    assert!(t.contains("Mean income per person, everyone ever in the area"));
    assert!(t.contains("Below USD 2.15/day, everyone ever in the area"));
    assert!(t.contains("People who mined in the area (everyone ever)"));
    assert!(t.contains("of which spent on the strategy&#39;s levers"));
    assert!(t.contains("of which emergent cost"));
    assert!(
        !t.contains("miners still digging; displaced"),
        "stayers-only row kept"
    );
    assert!(
        page.contains("Income per person (everyone ever in the area): highest under Collaboration")
    );
    assert!(page.contains("Where the NPV cost comes from: "));
    assert!(page.contains("Confrontation spends USD "));
    assert!(
        page.contains("Income per person, counting everyone ever in the area, is highest under")
    );
    // Chart 2 shows the population-wide income.
    let svg = std::fs::read_to_string(dir.path().join("charts/2_strategy_comparison.svg")).unwrap();
    assert!(svg.contains("Income per person"));
    numbers_read_well(&page);
}

#[test]
fn findings_compare_with_the_best_alternative_a_variant_with_its_preset() {
    let dir = fixture_with(Options {
        variant: true,
        population_wide: false,
    });
    render_all(dir.path());
    let page = html(dir.path());
    assert!(page.contains(", the best alternative ("));
    assert!(
        page.contains("Late engagement compared with Coexistence, the preset it is based on: ")
    );
    assert!(page.contains("a variant is also compared with the preset it is based on"));
    assert!(table(&page).contains(">Late engagement</th>"));
    numbers_read_well(&page);
}

#[test]
fn the_reader_picks_the_baseline_and_an_unknown_one_is_refused() {
    let dir = fixture_dir();
    let opts = ReportOptions {
        baseline: Some("cohabitation".to_string()),
        ..ReportOptions::default()
    };
    render(dir.path(), &opts).unwrap();
    let page = html(dir.path());
    assert!(page.contains(
        "Each strategy is compared with Cohabitation, the reference chosen for this briefing"
    ));
    assert!(page.contains("Confrontation compared with Cohabitation: deaths "));
    assert!(page.contains("Collaboration compared with Cohabitation: "));
    assert!(!page.contains("the best alternative ("));

    let dir = fixture_dir();
    let opts = ReportOptions {
        baseline: Some("nobody".to_string()),
        ..ReportOptions::default()
    };
    let err = render(dir.path(), &opts).unwrap_err();
    assert!(
        matches!(err, ReportError::UnknownBaseline { .. }),
        "{err:?}"
    );
    let text = err.to_string();
    assert!(
        text.contains("--baseline nobody") && text.contains("confrontation, coexistence"),
        "{text}"
    );
    assert!(!dir.path().join("report.html").exists());
}

#[test]
fn few_seeds_bring_a_caution_saying_how_many_are_enough() {
    let dir = fixture_dir();
    render_all(dir.path());
    let page = html(dir.path());
    assert!(
        page.contains(
            "<p class=\"caution\"><strong>Caution.</strong> Only 20 simulated futures per strategy"
        ),
        "no caution"
    );
    assert!(page.contains("about 30 futures") && page.contains("--seeds 50"));
    // With enough futures (as the manifest says) there is no caution.
    rewrite(dir.path(), "manifest.json", |_, l| {
        Some(l.replace("\"seeds\":20", "\"seeds\":60"))
    });
    render_all(dir.path());
    assert!(!html(dir.path()).contains("class=\"caution\""));
}

#[test]
fn an_interval_on_a_count_never_goes_below_zero() {
    // A t interval from few seeds can reach below zero: the charts clip it.
    let dir = fixture_dir();
    rewrite(dir.path(), "summary.csv", |_, l| {
        let mut f: Vec<String> = l.split(',').map(String::from).collect();
        if f[1] == "fatalities" && f[0] == "collaboration" {
            f[7] = "-0.8".to_string();
        }
        Some(f.join(","))
    });
    render_all(dir.path());
    let svg = std::fs::read_to_string(dir.path().join("charts/2_strategy_comparison.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    for t in doc.descendants().filter(|n| n.has_tag_name("text")) {
        let text = t.text().unwrap_or("").trim();
        assert!(
            !text.starts_with('-') && !text.starts_with('\u{2212}'),
            "tick {text:?}"
        );
    }
}

/// Fill colours used in an SVG (`fill="#D55E00"`).
fn fills(path: &Path) -> Vec<String> {
    let svg = std::fs::read_to_string(path).unwrap();
    svg.split("fill=\"#")
        .skip(1)
        .map(|r| r[..6].to_uppercase())
        .collect()
}

#[test]
fn colours_follow_the_strategy_name_in_every_chart() {
    let dir = fixture_dir();
    select_strategies(
        dir.path(),
        &[
            ("coexistence", "coexistence"),
            ("collaboration", "collaboration"),
        ],
    );
    render_all(dir.path());
    for chart in [
        "1_outcomes_over_time",
        "2_strategy_comparison",
        "3_cost_conflict_tradeoff",
        "5_cost_risk",
        "6_asm_map",
    ] {
        let f = fills(&dir.path().join(format!("charts/{chart}.svg")));
        assert!(
            f.iter().any(|c| c == "0072B2"),
            "{chart}: no co-existence blue"
        );
        assert!(
            !f.iter().any(|c| c == "D55E00"),
            "{chart}: confrontation's colour for another strategy"
        );
    }
    let page = html(dir.path());
    assert!(page.contains("border-top-color:#0072B2\">Coexistence"));
}

#[test]
fn broken_bars_keep_the_other_strategies_readable() {
    // Confrontation's conflict is far above the rest: its bar is broken and labelled, and the
    // trade-off chart lists it beside the plot.
    let dir = fixture_dir();
    rewrite(dir.path(), "summary.csv", |_, l| {
        let mut f: Vec<String> = l.split(',').map(String::from).collect();
        if f[0] == "confrontation" && f[1] == "conflict_incidents" {
            for v in &mut f[2..9] {
                *v = (v.parse::<f64>().unwrap() * 10.0).to_string();
            }
        }
        Some(f.join(","))
    });
    render_all(dir.path());
    let svg = std::fs::read_to_string(dir.path().join("charts/2_strategy_comparison.svg")).unwrap();
    assert!(svg.contains("(off scale)"), "no broken bar");
    let tradeoff = dir.path().join("charts/3_cost_conflict_tradeoff.svg");
    check_svg(&tradeoff, "Trade-off: cost to the company against conflict");
    let svg = std::fs::read_to_string(&tradeoff).unwrap();
    assert!(svg.contains("Off this scale"));
}

#[test]
fn close_strategies_keep_their_markers_apart_in_the_trade_off() {
    // Collaboration given cohabitation's exact conflict and cost: both markers stay visible.
    let dir = fixture_dir();
    let copy: std::collections::BTreeMap<String, String> = {
        let text = std::fs::read_to_string(dir.path().join("summary.csv")).unwrap();
        text.lines()
            .filter(|l| l.starts_with("cohabitation,"))
            .map(|l| (l.split(',').nth(1).unwrap().to_string(), l.to_string()))
            .collect()
    };
    rewrite(dir.path(), "summary.csv", |_, l| {
        let metric = l.split(',').nth(1).unwrap_or("");
        if l.starts_with("collaboration,")
            && ["conflict_incidents", "npv_cost_usd"].contains(&metric)
        {
            return Some(copy[metric].replacen("cohabitation", "collaboration", 1));
        }
        Some(l.to_string())
    });
    render_all(dir.path());
    let svg =
        std::fs::read_to_string(dir.path().join("charts/3_cost_conflict_tradeoff.svg")).unwrap();
    let doc = roxmltree::Document::parse(&svg).unwrap();
    let markers: Vec<(f64, f64, f64)> = doc
        .descendants()
        .filter(|n| n.has_tag_name("circle") && n.attribute("fill").is_some_and(|f| f != "none"))
        .filter_map(|n| {
            let v = |a| n.attribute(a)?.parse::<f64>().ok();
            Some((v("cx")?, v("cy")?, v("r")?))
        })
        .filter(|(_, _, r)| *r >= 14.0)
        .collect();
    assert!(markers.len() >= 4, "{markers:?}");
    for (i, a) in markers.iter().enumerate() {
        for b in &markers[i + 1..] {
            let d = ((a.0 - b.0).powi(2) + (a.1 - b.1).powi(2)).sqrt();
            assert!(d >= a.2 + b.2, "markers overlap: {a:?} {b:?}");
        }
    }
    assert!(svg.contains("Markers that would overlap are moved apart"));
}
