//! The fit's board briefing (`report.html` in the fit folder) and its charts: robustness in
//! plain words (which strategy holds up, where it stops, what would change the
//! recommendation), the regret, satisficing and weighted tables, the two charts inline, the
//! scenario-discovery boxes, the contexts tested and a method note. Self-contained, styled
//! like the run's briefing; the same [`FitReport`] always gives the same bytes.

use std::fmt::Write as _;
use std::path::Path;

use super::charts::{FitChart, FitChartKind, fit_charts, strategy_hex_of};
use super::fit_words::{self, gap, key_value, key_words, label, question_words, value};
use super::format::{display_name, fixed, html, pct, years};
use super::{BRIEFING_FILE, CHARTS_DIR, RenderSummary, ReportError, write};
use crate::fit::FitReport;
use crate::fit::discover::CLEAR_QP;
use crate::fit::metrics;

const CSS: &str = include_str!("briefing.css");
/// The fit briefing's additions to the shared style: its wide tables wrap inside the page.
const FIT_CSS: &str = "table.fit td.num, table.fit td.name { white-space: normal; }\n\
table.fit td.limits { font-size: 13px; }\n";

/// Draws the fit's charts and writes them and report.html into `dir`.
pub fn render_fit(dir: &Path, r: &FitReport) -> Result<RenderSummary, ReportError> {
    let charts = fit_charts(r, true)?;
    let mut summary = RenderSummary::default();
    let page = dir.join(BRIEFING_FILE);
    write::write_atomic(&page, briefing(r, &charts).as_bytes())?;
    summary.files.push(page.clone());
    summary.briefing = Some(page);
    let folder = dir.join(CHARTS_DIR);
    write::ensure_dir(&folder)?;
    for c in charts {
        let stem = c.kind.stem();
        if let Some(png) = &c.png {
            let path = folder.join(format!("{stem}.png"));
            write::write_atomic(&path, png)?;
            summary.files.push(path);
        }
        let path = folder.join(format!("{stem}.svg"));
        write::write_atomic(&path, c.svg.as_bytes())?;
        summary.files.push(path);
    }
    Ok(summary)
}

fn briefing(r: &FitReport, charts: &[FitChart]) -> String {
    let mut page = String::with_capacity(256 * 1024);
    let scenario = display_name(&r.about.scenario);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        page,
        "<title>Which strategy fits: {}</title>",
        html(&scenario)
    );
    let _ = writeln!(
        page,
        "<style>\n{CSS}{FIT_CSS}</style>\n</head>\n<body>\n<main>"
    );
    header(&mut page, r, &scenario);
    words(&mut page, r);
    regret_table(&mut page, r);
    satisficing_table(&mut page, r);
    charts_section(&mut page, r, charts);
    boxes_table(&mut page, r);
    contexts_table(&mut page, r);
    method(&mut page, r);
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

/// An amount as HTML that does not break between its unit and number (`USD&nbsp;12.3&nbsp;M`).
fn nb(text: &str) -> String {
    html(text).replace(' ', "&nbsp;")
}

fn seeds_text(r: &FitReport) -> String {
    let (lo, hi) = r.seeds;
    if lo == hi {
        lo.to_string()
    } else {
        format!("{lo} to {hi}")
    }
}

fn header(page: &mut String, r: &FitReport, scenario: &str) {
    let names: Vec<String> = r.strategies.iter().map(|s| display_name(s)).collect();
    let description = match r.about.description.trim() {
        "" => String::new(),
        d => format!(": {}", html(d)),
    };
    let _ = writeln!(
        page,
        "<header>\n<p class=\"kicker\">Robustness briefing &middot; simulated with cohabit {}</p>",
        html(&r.about.version)
    );
    page.push_str(
        "<h1>Which engagement strategy fits: how each holds up across what you do not know</h1>\n",
    );
    let _ = writeln!(
        page,
        "<p class=\"lede\">Scenario <strong>{}</strong>{description}. Strategies compared: {}. Each was simulated in the same {} contexts ({} context keys varied over plausible ranges), with {} futures per context shared by every strategy, over {}.</p>\n</header>",
        html(scenario),
        html(&names.join(", ")),
        r.points,
        r.dims.len() + r.skipped.len(),
        seeds_text(r),
        years(u64::from(r.about.weeks)),
    );
}

fn words(page: &mut String, r: &FitReport) {
    let [holds, stops, changes] = fit_words::robustness(r);
    page.push_str("<section class=\"findings\">\n<h2>Robustness in plain words</h2>\n");
    page.push_str("<p class=\"note\">A strategy's <em>regret</em> in a context is how much worse it did there than the best strategy in that same context (0 if it was the best). A strategy that holds up has small regret across the contexts, not only in the expected one.</p>\n");
    let parts = [
        ("Which strategy holds up", holds),
        ("Where it stops being the right choice", stops),
        ("What would change the recommendation", changes),
    ];
    for (heading, items) in parts {
        let _ = writeln!(
            page,
            "<div class=\"keep\">\n<h3>{heading}</h3>\n<ul class=\"findings\">"
        );
        for item in items {
            let _ = writeln!(page, "<li>{}</li>", html(&item));
        }
        page.push_str("</ul>\n</div>\n");
    }
    page.push_str("</section>\n");
}

fn swatch_name(r: &FitReport, s: usize) -> String {
    format!(
        "<td class=\"name\"><span class=\"swatch\" style=\"background:{}\"></span>{}</td>",
        strategy_hex_of(&r.strategies, s),
        html(&display_name(&r.strategies[s]))
    )
}

fn regret_table(page: &mut String, r: &FitReport) {
    page.push_str("<section>\n<h2>Regret by criterion</h2>\n");
    page.push_str("<p class=\"note\">Per criterion and strategy: the mean shortfall from the best strategy in each context, in the criterion's units; below it the 90th percentile and the worst shortfall, the share of contexts where the strategy was the best (ties shared), and the strategy's own mean value over the contexts. Bold: holds up best (smallest mean regret).</p>\n");
    page.push_str("<table class=\"fit\">\n<thead><tr><th>Criterion</th>");
    for s in 0..r.strategies.len() {
        let _ = write!(
            page,
            "<th><span class=\"swatch\" style=\"background:{}\"></span>{}</th>",
            strategy_hex_of(&r.strategies, s),
            html(&display_name(&r.strategies[s]))
        );
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for m in &r.robustness.metrics {
        let better = match m.direction {
            metrics::Direction::Higher => "more is better",
            _ => "less is better",
        };
        let _ = write!(
            page,
            "<tr><td class=\"name\">{}<br><small>{better}</small></td>",
            html(&metrics::label(&m.metric))
        );
        for (s, x) in m.strategies.iter().enumerate() {
            let main = nb(&gap(&m.metric, x.mean_regret, true));
            let main = if m.leader() == s {
                format!("<strong>{main}</strong>")
            } else {
                main
            };
            let _ = write!(
                page,
                "<td class=\"num\">{main}<span class=\"range\">90%: {} &middot; worst: {}</span><span class=\"range\">best in {} &middot; mean {}</span></td>",
                nb(&gap(&m.metric, x.p90_regret, true)),
                nb(&gap(&m.metric, x.max_regret, true)),
                pct(x.share_best),
                nb(&value(&m.metric, x.mean))
            );
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn satisficing_table(page: &mut String, r: &FitReport) {
    let sat = r.robustness.satisficing.as_ref();
    let weighted = r.robustness.weighted.as_ref();
    if sat.is_none() && weighted.is_none() {
        return;
    }
    page.push_str("<section>\n<h2>Requirements and weights</h2>\n");
    page.push_str("<p class=\"note\">Satisficing: the share of contexts where the strategy's mean over the seeds meets each requirement, and all of them together. Weighted regret: each criterion's regret divided by the largest seen on it, averaged over the contexts and weighted (0 = best everywhere); shown beside the criteria, not instead of them.</p>\n");
    page.push_str("<table class=\"fit\">\n<thead><tr><th>Strategy</th>");
    if let Some(sat) = sat {
        for req in &sat.requirements {
            let _ = write!(page, "<th><code>{}</code></th>", html(req));
        }
        page.push_str("<th>All requirements</th>");
    }
    if weighted.is_some() {
        page.push_str("<th>Weighted regret</th>");
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for s in 0..r.strategies.len() {
        page.push_str("<tr>");
        page.push_str(&swatch_name(r, s));
        if let Some(sat) = sat {
            for each in &sat.each {
                let _ = write!(page, "<td class=\"num\">{}</td>", pct(each[s]));
            }
            let _ = write!(
                page,
                "<td class=\"num\"><strong>{}</strong></td>",
                pct(sat.all[s])
            );
        }
        if let Some(w) = weighted {
            let _ = write!(page, "<td class=\"num\">{}</td>", fixed(w[s], 2));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn charts_section(page: &mut String, r: &FitReport, charts: &[FitChart]) {
    page.push_str("<section class=\"charts\">\n<h2>Charts</h2>\n");
    for (i, c) in charts.iter().enumerate() {
        let caption = match c.kind {
            FitChartKind::Regret => format!(
                "Regret of each strategy on each criterion across the {} contexts tested: the average shortfall from the best strategy in the same context, the worst shortfall, and the share of contexts where it was the best.",
                r.points
            ),
            FitChartKind::Map => format!(
                "Where each strategy fits: every context tested on the two context keys that matter most, coloured by the best strategy on {} there; boxes are the PRIM regions where another strategy beats the one that holds up best.",
                label(&r.robustness.metrics[0].metric)
            ),
        };
        let _ = writeln!(
            page,
            "<figure>\n{}\n<figcaption><strong>Figure {}.</strong> {}</figcaption>\n</figure>",
            inline_svg(&c.svg, &c.title),
            i + 1,
            html(&caption)
        );
    }
    page.push_str("</section>\n");
}

/// The SVG document as an inline element scaled to the page width.
fn inline_svg(svg: &str, title: &str) -> String {
    let Some(end) = svg.find('>') else {
        return String::new();
    };
    let view_box = svg[..end]
        .split("viewBox=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or("0 0 1600 900");
    format!(
        "<svg viewBox=\"{view_box}\" role=\"img\" aria-label=\"{}\">{}",
        html(title),
        &svg[end + 1..]
    )
}

fn qp_text(qp: (Option<f64>, Option<f64>)) -> String {
    let show = |p: f64| {
        if p < 0.001 {
            "&lt;0.001".to_string()
        } else {
            fixed(p, 3)
        }
    };
    let parts: Vec<String> = [qp.0, qp.1].into_iter().flatten().map(show).collect();
    parts.join(", ")
}

fn boxes_table(page: &mut String, r: &FitReport) {
    if r.discoveries.is_empty() {
        return;
    }
    page.push_str("<section>\n<h2>Scenario discovery: where the answer changes</h2>\n");
    let _ = writeln!(
        page,
        "<p class=\"note\">For each question, PRIM (patient rule induction) peels the contexts down to a box where the answer is mostly yes. Coverage: share of all yes-contexts inside the box; density: share of the box's contexts that are yes; mass: share of all contexts inside. The chosen box is the one with the highest coverage among those with a density of at least {}. Quasi-p-values test whether each limit could be chance (one-sided binomial test; small is clear; in bold those at most {}). Every step of the trajectory is in boxes.csv.</p>",
        pct(r.criteria.prim.threshold),
        CLEAR_QP
    );
    page.push_str("<table class=\"fit\">\n<thead><tr><th>Question</th><th>Yes in</th><th>Coverage</th><th>Density</th><th>Mass</th><th>Restrictions (quasi-p)</th></tr></thead>\n<tbody>\n");
    for d in &r.discoveries {
        let t = &d.trajectory;
        let step = &t.steps[t.chosen];
        let limits: Vec<String> = step
            .restricted
            .iter()
            .zip(&step.qp)
            .map(|(&k, &qp)| {
                let (lo, hi) = step.limits[k];
                let text = format!(
                    "<code>{}</code> {} to {} ({})",
                    html(&r.dims[k].key),
                    key_value(lo),
                    key_value(hi),
                    qp_text(qp)
                );
                let clear = [qp.0, qp.1].into_iter().flatten().any(|p| p <= CLEAR_QP);
                if clear {
                    format!("<strong>{text}</strong>")
                } else {
                    text
                }
            })
            .collect();
        let limits = if limits.is_empty() {
            "none".to_string()
        } else {
            limits.join("<br>")
        };
        let flag = if t.meets_threshold {
            ""
        } else {
            " <small>(below the threshold)</small>"
        };
        let _ = writeln!(
            page,
            "<tr><td class=\"name\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}{flag}</td><td class=\"num\">{}</td><td class=\"limits\">{limits}</td></tr>",
            html(&question_words(&d.question)),
            pct(d.yes_share),
            pct(step.coverage),
            pct(step.density),
            pct(step.mass)
        );
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn contexts_table(page: &mut String, r: &FitReport) {
    page.push_str("<section>\n<h2>Contexts tested</h2>\n<table class=\"params\">\n<thead><tr><th>Context key</th><th>Range tested</th></tr></thead>\n<tbody>\n");
    for d in &r.dims {
        let (lo, hi) = d.range();
        let range = match fit_words::key_unit(&d.key) {
            _ if fit_words::is_switch(&d.key) => "true and false".to_string(),
            "" | "0-1" | "share" => format!("{} to {}", key_value(lo), key_value(hi)),
            unit => format!("{} to {} {}", key_value(lo), key_value(hi), html(unit)),
        };
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td class=\"num\">{range}</td></tr>",
            html(&key_words(&d.key))
        );
    }
    page.push_str("</tbody>\n</table>\n");
    if !r.skipped.is_empty() {
        let _ = writeln!(
            page,
            "<p class=\"note\">Also in the design but left out of scenario discovery (text values, or one value throughout): {}.</p>",
            html(&r.skipped.join(", "))
        );
    }
    page.push_str("</section>\n");
}

fn method(page: &mut String, r: &FitReport) {
    let p = &r.criteria.prim;
    page.push_str("<section class=\"method\">\n<h2>Method note</h2>\n");
    let _ = writeln!(
        page,
        "<p>Every strategy was run at every one of the {} contexts (a design over the context keys above), with {} simulated futures per context; at one context every strategy sees the same futures (common random numbers), so differences between strategies are the strategies'. Each context's result for a strategy is its mean over those futures.</p>",
        r.points,
        seeds_text(r)
    );
    page.push_str("<p>Regret (Savage 1951): a strategy's shortfall from the best strategy in the same context; for costs, conflict and harm its value minus the smallest, for incomes, formalisation, trust and social licence the largest minus its value. Summaries: mean, 90th percentile and maximum over the contexts (the smallest maximum is the minimax-regret choice); share best (ties shared); satisficing (the share of contexts meeting every threshold set); a weighted score only beside these (McPhail et al. 2018; Herman et al. 2015).</p>\n");
    let _ = writeln!(
        page,
        "<p>Scenario discovery (Bryant &amp; Lempert 2010) with PRIM (Friedman &amp; Fisher 1999) as EMA Workbench runs it with the density objective: peel {} of the box's contexts per step, stop before the box holds less than {} of them, paste back {} per step while that raises the density; box chosen at a density threshold of {}.</p>",
        pct(p.peel_alpha),
        pct(p.mass_min),
        pct(p.paste_alpha),
        pct(p.threshold)
    );
    page.push_str("<p>A model is a tool for comparing options and testing how robust a choice is to the context, not a forecast. The ranges tested are plausible, not probable: shares of contexts are shares of what was tested, not probabilities.</p>\n");
    let _ = writeln!(
        page,
        "<p class=\"meta\">cohabit {} &middot; scenario {} &middot; scenario hash <code>{}</code> &middot; master seed {} &middot; {} contexts &times; {} strategies &times; {} seeds.</p>\n</section>",
        html(&r.about.version),
        html(&r.about.scenario),
        html(&r.about.scenario_hash),
        r.about.master_seed,
        r.points,
        r.strategies.len(),
        seeds_text(r)
    );
}
