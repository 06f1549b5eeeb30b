//! The briefing's tables: the headline figures per strategy (mean and the 90% range of
//! futures), and the scenario's context and assumptions.

use std::fmt::Write as _;

use super::charts::strategy_hex;
use super::context;
use super::data::{RunData, Stat};
use super::format::{display_name, html, num, pct, years};

/// A headline column: metric, heading and how to write its values.
struct Column {
    metric: &'static str,
    heading: &'static str,
    value: fn(f64) -> String,
}

const COLUMNS: [Column; 7] = [
    column("conflict_incidents", "Conflict incidents", num),
    column("hr_allegations", "Human-rights allegations", num),
    column("mean_income_usd_week", "Mean miner income (USD/week)", num),
    column("poverty_share", "Miner-weeks below USD 2.15/day", pct),
    column("formal_share_final", "Miners formalised at end", pct),
    column("npv_cost_usd", "NPV cost (USD M)", millions),
    column(
        "total_cost_usd",
        "Total cost, undiscounted (USD M)",
        millions,
    ),
];

const fn column(metric: &'static str, heading: &'static str, value: fn(f64) -> String) -> Column {
    Column {
        metric,
        heading,
        value,
    }
}

fn millions(usd: f64) -> String {
    num(usd / 1e6)
}

fn swatch(i: usize) -> String {
    format!(
        "<span class=\"swatch\" style=\"background:{}\"></span>",
        strategy_hex(i)
    )
}

/// The headline table: one row per strategy, mean and 5th-95th percentile per column.
pub(crate) fn headline(page: &mut String, data: &RunData) {
    let n = data.strategies.len();
    let present: Vec<&Column> = COLUMNS
        .iter()
        .filter(|c| (0..n).any(|s| data.stat(s, c.metric).is_some()))
        .collect();
    page.push_str("<section class=\"headline keep\">\n<h2>Headline figures</h2>\n");
    let _ = writeln!(
        page,
        "<p class=\"note\">Mean across {} simulated futures; below it, the range that holds 90% of them (5th to 95th percentile). Counts and costs are totals over {}.</p>",
        data.seeds(),
        years(data.weeks())
    );
    page.push_str("<table class=\"headline\">\n<thead><tr><th>Strategy</th>");
    for c in &present {
        let _ = write!(page, "<th>{}</th>", c.heading);
    }
    page.push_str("</tr></thead>\n<tbody>\n");
    for s in 0..n {
        let name = html(&display_name(&data.strategies[s]));
        let _ = write!(page, "<tr><td class=\"name\">{}{name}</td>", swatch(s));
        for c in &present {
            page.push_str(&cell(data.stat(s, c.metric), c.value));
        }
        page.push_str("</tr>\n");
    }
    page.push_str("</tbody>\n</table>\n</section>\n");
}

fn cell(stat: Option<Stat>, value: fn(f64) -> String) -> String {
    match stat {
        Some(s) => format!(
            "<td class=\"num\">{}<span class=\"range\">{} &ndash; {}</span></td>",
            value(s.mean),
            value(s.p05),
            value(s.p95)
        ),
        None => "<td class=\"num\">&ndash;</td>".to_string(),
    }
}

/// Context and assumptions: key parameters in words, each strategy's set-up, overrides.
pub(crate) fn context(page: &mut String, data: &RunData) {
    page.push_str("<section class=\"context\">\n<h2>Context and assumptions</h2>\n");
    let params = context::parameters(&data.scenario);
    if params.is_empty() {
        page.push_str(
            "<p class=\"note\">The scenario file names none of the usual context parameters.</p>\n",
        );
    } else {
        page.push_str("<table class=\"params\">\n<tbody>\n");
        for p in params {
            let _ = writeln!(
                page,
                "<tr><th>{}</th><td>{}</td></tr>",
                html(p.label),
                html(&p.value)
            );
        }
        page.push_str("</tbody>\n</table>\n");
    }
    strategy_setups(page, data);
    if !data.manifest.overrides.is_empty() {
        let list: Vec<String> = data
            .manifest
            .overrides
            .iter()
            .map(|o| format!("<code>{}</code>", html(o)))
            .collect();
        let _ = writeln!(
            page,
            "<p>Changed from the scenario file for this run: {}.</p>",
            list.join(", ")
        );
    }
    page.push_str("</section>\n");
}

fn strategy_setups(page: &mut String, data: &RunData) {
    let setups = context::strategies(&data.scenario, &data.strategies);
    if setups
        .iter()
        .all(|s| s.preset.is_none() && s.channel.is_none())
    {
        return;
    }
    page.push_str("<h3>The strategies</h3>\n<table class=\"params\">\n<thead><tr><th>Strategy</th><th>Based on preset</th><th>Engagement channel</th><th>Engagement starts</th></tr></thead>\n<tbody>\n");
    let dash = || "&ndash;".to_string();
    for (i, s) in setups.iter().enumerate() {
        let _ = writeln!(
            page,
            "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            swatch(i),
            html(&display_name(&s.name)),
            s.preset.as_deref().map_or_else(dash, html),
            s.channel.as_deref().map_or_else(dash, html),
            s.start.as_deref().map_or_else(dash, html),
        );
    }
    page.push_str("</tbody>\n</table>\n");
}
