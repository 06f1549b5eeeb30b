//! What a board reads from `cohabit fit`: the regret chart's column headers whole, the
//! manifest's count of what was simulated, and the briefing's account of seeds chosen by
//! precision (targets, and whether each context met them).

use std::path::Path;

use crate::common::read;
use crate::fit::fit_tiny;

/// The text of every `<text>` element of an SVG, in document order.
fn svg_texts(path: &Path) -> Vec<String> {
    let svg = read(path);
    let doc = roxmltree::Document::parse(&svg).unwrap();
    doc.descendants()
        .filter(|n| n.has_tag_name("text"))
        .map(|n| n.text().unwrap_or("").trim().to_string())
        .collect()
}

#[test]
fn every_regret_column_header_is_whole() {
    // Long labels in many columns once lost their last words ("Income per person, everyone
    // in" without "the area") or ran into the next column.
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fit");
    let metrics = [
        "npv_cost_usd",
        "income_all_usd_week",
        "hr_allegations",
        "legal_reputational_cost_usd",
        "poverty_share_all",
        "mean_income_usd_week",
        "income_p10_usd_week",
        "emergent_cost_npv_usd",
        "formal_share_final",
    ];
    fit_tiny(&out, &["--metrics", &metrics.join(","), "-q"]);
    let texts = svg_texts(&out.join("charts/fit_1_regret.svg"));
    for m in metrics {
        let label = cohabit::fit::metrics::label(m);
        // Its lines, one text element each, join back into the whole label.
        let whole = (0..texts.len()).any(|i| {
            let mut joined = String::new();
            for t in &texts[i..] {
                if !joined.is_empty() && !joined.ends_with('-') {
                    joined.push(' ');
                }
                joined.push_str(t);
                if joined == label || !label.starts_with(&joined) {
                    return joined == label;
                }
            }
            false
        });
        assert!(whole, "{label:?} is not whole in {texts:?}");
    }
}

#[test]
fn a_fit_manifest_counts_the_miner_weeks_it_simulated() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("fit");
    fit_tiny(&out, &["--metrics", "conflict_incidents", "-q"]);
    let m: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
    // runs.csv holds every run metric, miner-weeks included, whatever --metrics chooses.
    let runs = read(&out.join("runs.csv"));
    let header: Vec<&str> = runs.lines().next().unwrap().split(',').collect();
    let at = header.iter().position(|c| *c == "miner_weeks").unwrap();
    let total: f64 = runs
        .lines()
        .skip(1)
        .map(|l| l.split(',').nth(at).unwrap().parse::<f64>().unwrap())
        .sum();
    let counted = m["miner_weeks"].as_f64().unwrap();
    assert!(
        counted > 0.0 && (counted - total).abs() <= 1e-9 * total,
        "{m}"
    );
    let wall = m["wall_time_s"].as_f64().unwrap();
    let rate = m["throughput_miner_weeks_per_s"].as_f64().unwrap();
    assert!((rate - counted / wall).abs() <= 1e-6 * rate, "{m}");
    assert_eq!(m["runs"].as_u64(), Some(runs.lines().count() as u64 - 1));
}

/// The briefing's sentence on seeds chosen by precision, as plain text.
fn precision_sentence(out: &Path) -> String {
    let page = read(&out.join("report.html"));
    let at = page
        .find("Seeds were chosen by precision")
        .unwrap_or_else(|| panic!("no precision sentence in the fit briefing"));
    let end = page[at..].find("</li>").unwrap();
    page[at..at + end].to_string()
}

#[test]
fn a_fit_briefing_states_its_precision_targets_and_how_many_contexts_met_them() {
    let dir = tempfile::tempdir().unwrap();
    // A target few contexts can reach in four seeds, and one every context reaches.
    for (target, all_met) in [("npv_cost_usd:0.5%", false), ("npv_cost_usd:100%", true)] {
        let out = dir.path().join(target.replace([':', '%', '.'], "_"));
        let metrics = ["--metrics", "npv_cost_usd,conflict_incidents", "-q"];
        let precision = ["--precision", target, "--max-seeds", "4"];
        fit_tiny(&out, &[&metrics[..], &precision[..]].concat());
        let m: serde_json::Value = serde_json::from_str(&read(&out.join("manifest.json"))).unwrap();
        let (met, at_max) = (
            m["precision"]["points_met"].as_u64().unwrap(),
            m["precision"]["points_at_max"].as_u64().unwrap(),
        );
        assert_eq!(met + at_max, 16, "{m}");
        let said = precision_sentence(&out);
        assert!(said.contains("blocks of 2"), "{said}");
        assert!(said.contains("NPV cost within ±"), "{said}");
        if all_met {
            assert_eq!(at_max, 0, "{m}");
            assert!(
                said.contains("every one of the 16 contexts reached it"),
                "{said}"
            );
        } else {
            assert!(at_max > 0, "{m}");
            assert!(said.contains("maximum of 4 per strategy"), "{said}");
            assert!(
                said.contains(&format!("{met} of the 16 contexts")) || met == 0,
                "{said}"
            );
        }
        // Analysed again on --resume, the briefing still says it (read from the manifest).
        fit_tiny(
            &out,
            &[&metrics[..], &precision[..], &["--resume"]].concat(),
        );
        assert_eq!(precision_sentence(&out), said);
    }
    // Without --precision there is no such sentence.
    let out = dir.path().join("plain");
    fit_tiny(&out, &["--metrics", "npv_cost_usd", "-q"]);
    assert!(!read(&out.join("report.html")).contains("chosen by precision"));
}
