//! The one-file board briefing (`report.html`): headline findings, the headline table, the
//! charts as inline SVG, the scenario's context and a method note. Self-contained (inline CSS
//! and SVG, no scripts, no external requests) and styled to print cleanly on A4 or Letter.

use std::fmt::Write as _;

use super::charts::{ChartKind, Rendered};
use super::data::RunData;
use super::findings::{self, Finding, Topic};
use super::format::{display_name, html, years};
use super::tables;

const CSS: &str = include_str!("briefing.css");

/// The briefing as one HTML document.
pub(crate) fn briefing(data: &RunData, charts: &[Rendered]) -> String {
    let mut page = String::with_capacity(256 * 1024);
    let scenario = scenario_name(data);
    page.push_str("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
    page.push_str("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n");
    let _ = writeln!(
        page,
        "<title>ASM strategy briefing: {}</title>",
        html(&scenario)
    );
    let _ = writeln!(page, "<style>\n{CSS}</style>\n</head>\n<body>\n<main>");
    header(&mut page, data, &scenario);
    findings_section(&mut page, data);
    tables::headline(&mut page, data);
    charts_section(&mut page, data, charts);
    tables::context(&mut page, data);
    method(&mut page, data);
    page.push_str("</main>\n</body>\n</html>\n");
    page
}

fn scenario_name(data: &RunData) -> String {
    match data.manifest.scenario.as_str() {
        "" => "unnamed scenario".to_string(),
        name => display_name(name),
    }
}

fn header(page: &mut String, data: &RunData, scenario: &str) {
    let names: Vec<String> = data.strategies.iter().map(|s| display_name(s)).collect();
    let _ = writeln!(
        page,
        "<header>\n<p class=\"kicker\">Board briefing &middot; simulated with cohabit {}</p>",
        html(&data.manifest.version)
    );
    page.push_str(
        "<h1>Living alongside artisanal miners: how the engagement strategies compare</h1>\n",
    );
    let _ = writeln!(
        page,
        "<p class=\"lede\">Scenario <strong>{}</strong>{}. Strategies compared: {}. Each was simulated on the same {} futures over {}.</p>\n</header>",
        html(scenario),
        description(data),
        html(&names.join(", ")),
        data.seeds(),
        years(data.weeks()),
    );
}

fn description(data: &RunData) -> String {
    match data.manifest.description.trim() {
        "" => String::new(),
        text => format!(": {}", html(text)),
    }
}

fn findings_section(page: &mut String, data: &RunData) {
    let horizon = years(data.weeks());
    let found = findings::findings(&data.strategies, &data.runs, &horizon);
    let reference = display_name(&data.strategies[findings::reference(&data.strategies)]);
    page.push_str("<section class=\"findings\">\n<h2>What the simulations show</h2>\n");
    let _ = writeln!(
        page,
        "<p class=\"note\">Each strategy is compared with {} on the same {} simulated futures (paired). Brackets give 95% confidence intervals from a paired bootstrap; &ldquo;no clear difference&rdquo; means the interval includes no change. Totals are over {}.</p>",
        html(&reference),
        data.seeds(),
        html(&horizon)
    );
    for topic in Topic::ALL {
        let items: Vec<&Finding> = found.iter().filter(|f| f.topic == topic).collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            page,
            "<div class=\"keep\">\n<h3>{}</h3>\n<ul class=\"findings\">",
            topic.heading()
        );
        for f in items {
            let _ = writeln!(page, "<li>{}</li>", html(&f.text));
        }
        page.push_str("</ul>\n</div>\n");
    }
    page.push_str("</section>\n");
}

fn charts_section(page: &mut String, data: &RunData, charts: &[Rendered]) {
    page.push_str("<section class=\"charts\">\n<h2>Charts</h2>\n");
    for (i, chart) in charts.iter().enumerate() {
        let _ = writeln!(
            page,
            "<figure>\n{}\n<figcaption><strong>Figure {}.</strong> {}</figcaption>\n</figure>",
            inline_svg(&chart.svg, chart.kind.title()),
            i + 1,
            html(&caption(chart.kind, data)),
        );
    }
    page.push_str("</section>\n");
}

/// The SVG document as an inline element: no XML namespace URL, scaled to the page width.
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

fn caption(kind: ChartKind, data: &RunData) -> String {
    let n = data.seeds();
    match kind {
        ChartKind::Outcomes => format!("How conflict, miners' income and the company's cumulative cost develop. Lines are medians across the {n} simulated futures; bands hold 90% of them (5th to 95th percentile)."),
        ChartKind::Comparison => format!("Totals over the horizon per strategy. Bars are means across {n} futures; whiskers are 95% confidence intervals of the mean."),
        ChartKind::TradeOff => "Each point is a strategy: conflict (across) against NPV cost (up), with 95% confidence intervals as whiskers; the larger the marker, the higher miners' mean income. Lower left is calmer and cheaper.".to_string(),
        ChartKind::Costs => "Mean cost to the company over the horizon by category (undiscounted). An off-take bar below zero means buying and reselling ASM output earned money; the black mark is the net total.".to_string(),
        ChartKind::Risk => format!("Spread of total cost across the {n} futures: box holds the middle half, whiskers the 5th to 95th percentile, dots are single futures. The 95th percentile, a 1-in-20 bad case, is labelled."),
        ChartKind::Map => "Where miners dig in the final year, averaged over the futures. The concession, the mine's core and any ASM zone or lease are outlined.".to_string(),
    }
}

fn method(page: &mut String, data: &RunData) {
    let m = &data.manifest;
    page.push_str("<section class=\"method\">\n<h2>Method note</h2>\n");
    page.push_str("<p>These results come from an agent-based simulation. Each week, artisanal miners, customary chiefs, local officials, security forces, the national government and the company act on their own incentives; conflict, livelihoods and the company's costs emerge from their interactions. They are not looked up from a table of assumed strategy effects, so the same strategy can succeed in one context and fail in another.</p>\n");
    let _ = writeln!(
        page,
        "<p>Every strategy was run on the same {} simulated futures (seeds, master seed {}) over {} weeks ({}), so differences between strategies are paired. Tables give means with the range of 90% of futures (5th to 95th percentile); chart bands and whiskers say what they show. Confidence intervals of effects come from a paired bootstrap of the per-future results (2,000 resamples, fixed seed). Costs are in US dollars; NPV discounts them at the scenario's discount rate.</p>",
        data.seeds(),
        m.master_seed
            .map_or_else(|| "not recorded".to_string(), |s| s.to_string()),
        data.weeks(),
        years(data.weeks())
    );
    page.push_str("<p>A model is a tool for comparing options and testing how robust a choice is to the context, not a forecast. Treat small differences, and anything resting on a few futures, with caution.</p>\n");
    let _ = writeln!(
        page,
        "<p class=\"meta\">cohabit {} &middot; scenario {} &middot; scenario hash <code>{}</code> &middot; {} seeds &middot; {} weeks, recorded every {} weeks.</p>\n</section>",
        html(&m.version),
        html(&m.scenario),
        html(&m.scenario_hash),
        data.seeds(),
        data.weeks(),
        data.period_weeks()
    );
}
