//! The one-file board briefing (`report.html`): headline findings, the headline table, the
//! charts as inline SVG, the scenario's context and a method note. Self-contained (inline CSS
//! and SVG, no scripts, no external requests) and styled to print cleanly on A4 or Letter.

use std::fmt::Write as _;

use super::catalogue::{self, Group};
use super::charts::{ChartKind, Rendered};
use super::context;
use super::cost_findings::TAIL_SEEDS;
use super::data::RunData;
use super::findings::{self, Finding, Inputs, Topic};
use super::format::{display_name, html, years};
use super::tables;

/// Fewer futures than this make confidence intervals from a bootstrap or a t interval too
/// narrow to trust (they under-cover on skewed outcomes such as incident counts).
pub(crate) const CI_SEEDS: u64 = 30;

const CSS: &str = include_str!("briefing.css");

/// The briefing as one HTML document; `baseline` is the reader's reference strategy, if any.
pub(crate) fn briefing(data: &RunData, charts: &[Rendered], baseline: Option<usize>) -> String {
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
    caution(&mut page, data);
    let inputs = inputs(data, baseline);
    let found = findings::findings(&inputs);
    bottom_line(&mut page, &found);
    tables::headline(&mut page, data);
    findings_section(&mut page, data, &inputs, &found);
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

/// What the findings compare, read from the run's folder.
fn inputs(data: &RunData, baseline: Option<usize>) -> Inputs<'_> {
    Inputs {
        strategies: &data.strategies,
        runs: &data.runs,
        presets: context::variants_of(&data.scenario, &data.strategies),
        baseline,
        horizon: years(data.weeks()),
        metrics: catalogue::headline(data)
            .into_iter()
            .filter(|m| data.runs.has(m.column))
            .collect(),
    }
}

/// A visible caution when the run has too few futures for the intervals it quotes, saying
/// how many would be enough.
fn caution(page: &mut String, data: &RunData) {
    let n = data.seeds();
    let text = if n < CI_SEEDS {
        format!(
            "Only {n} simulated futures per strategy: too few for the intervals quoted here. Confidence intervals need about {CI_SEEDS} futures to be trusted, and the 1-in-20 tail-risk figures about {TAIL_SEEDS}. Rerun with <code>--seeds {TAIL_SEEDS}</code> or more before quoting these figures."
        )
    } else if n < TAIL_SEEDS as u64 {
        format!(
            "{n} simulated futures per strategy are enough for the confidence intervals but not for the 1-in-20 tail-risk figures, which need about {TAIL_SEEDS}: rerun with <code>--seeds {TAIL_SEEDS}</code> before quoting those."
        )
    } else {
        return;
    };
    let _ = writeln!(
        page,
        "<p class=\"caution\"><strong>Caution.</strong> {text}</p>"
    );
}

fn bottom_line(page: &mut String, found: &[Finding]) {
    let lines: Vec<&Finding> = found
        .iter()
        .filter(|f| f.topic == Topic::BottomLine)
        .collect();
    if lines.is_empty() {
        return;
    }
    page.push_str("<section class=\"bottom-line keep\">\n<h2>Bottom line</h2>\n");
    for f in lines {
        let _ = writeln!(page, "<p>{}</p>", html(&f.text));
    }
    page.push_str("</section>\n");
}

fn findings_section(page: &mut String, data: &RunData, inputs: &Inputs, found: &[Finding]) {
    page.push_str("<section class=\"findings\">\n<h2>What the simulations show</h2>\n");
    let reference = match inputs.baseline {
        Some(b) => format!(
            "Each strategy is compared with {}, the reference chosen for this briefing",
            html(&inputs.name(b))
        ),
        None => "On each measure the leading strategy is compared with the best alternative, and every other strategy with the leader".to_string(),
    };
    let variants = if inputs.presets.iter().any(Option::is_some) {
        "; a variant is also compared with the preset it is based on"
    } else {
        ""
    };
    let _ = writeln!(
        page,
        "<p class=\"note\">{reference}{variants}. All strategies ran on the same {} simulated futures, so comparisons are paired. Brackets give 95% confidence intervals from a paired bootstrap; &ldquo;no clear difference&rdquo; means the interval includes no change. Totals are over {}.</p>",
        data.seeds(),
        html(&inputs.horizon)
    );
    for group in Group::SHOWN {
        let items: Vec<&Finding> = found
            .iter()
            .filter(|f| f.topic == Topic::Of(group))
            .collect();
        if items.is_empty() {
            continue;
        }
        let _ = writeln!(
            page,
            "<div>\n<h3>{}</h3>\n<ul class=\"findings\">",
            html(group.heading())
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
        ChartKind::Outcomes => format!("How conflict, the income of the miners still digging and the company's cumulative cost develop. Lines are medians across the {n} simulated futures; bands hold 90% of them (5th to 95th percentile). A panel where one strategy runs far above the rest has a square-root axis."),
        ChartKind::Comparison => format!("Deaths and conflict incidents over the horizon, miners' income and NPV cost per strategy. Bars are means across {n} futures; whiskers are 95% confidence intervals of the mean. A bar with a break is too long for the others' scale: its value is written beside it."),
        ChartKind::TradeOff => "Each point is a strategy: conflict (across) against NPV cost (up), with 95% confidence intervals as whiskers in the strategy's colour. Lower left is calmer and cheaper. A strategy far off the others' scale is listed beside the plot with its values.".to_string(),
        ChartKind::Costs => "Mean cost to the company over the horizon by category (undiscounted). An off-take bar below zero means buying and reselling ASM output earned money; the black mark is the net total.".to_string(),
        ChartKind::Risk => format!("Spread of total cost across the {n} futures: box holds the middle half, whiskers the 5th to 95th percentile, dots are single futures. The 95th percentile, a 1-in-20 bad case, is labelled."),
        ChartKind::Map => "Where miners dig in the final year, averaged over the futures. The concession, the mine's core and any ASM zone or lease are outlined.".to_string(),
        ChartKind::Phases => format!("For each adaptive strategy, the share of the {n} futures in each of its phases over time: when its triggers fire, and how often it steps back. The same strategy moves at different times in different futures."),
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
    page.push_str(&super::precision::paragraph(data));
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
