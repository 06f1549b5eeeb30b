//! The briefing's tables: the headline figures (a row per measure, people first; a column per
//! strategy; mean and the 90% range of futures), and the scenario's context and assumptions.

use std::fmt::Write as _;

use super::catalogue::{self, Group, Info, Unit};
use super::charts::strategy_hex;
use super::context;
use super::data::RunData;
use super::format::{display_name, html, num, pct_with_range, with_range, years};

fn swatch(name: &str, strategies: &[String]) -> String {
    format!(
        "<span class=\"swatch\" style=\"background:{}\"></span>",
        strategy_hex(name, strategies)
    )
}

/// The headline table: one row per measure the run has (people first, grouped as the
/// findings are), one column per strategy; each cell the mean and, below it, the range of 90%
/// of futures. Cost ends with the 1-in-20 bad case of total cost.
pub(crate) fn headline(page: &mut String, data: &RunData) {
    let n = data.strategies.len();
    let rows = catalogue::headline(data);
    page.push_str("<section class=\"headline\">\n<h2>Headline figures</h2>\n");
    let _ = writeln!(
        page,
        "<p class=\"note\">Mean across {} simulated futures; below it, the range that holds 90% of them (5th to 95th percentile). Counts and costs are totals over {}.</p>",
        data.seeds(),
        years(data.weeks())
    );
    page.push_str("<table class=\"headline\">\n<thead><tr><th>Measure</th>");
    // The strategy's colour as a bar over its column, as in the charts.
    for name in &data.strategies {
        let _ = write!(
            page,
            "<th class=\"strategy\" style=\"border-top-color:{}\">{}</th>",
            strategy_hex(name, &data.strategies),
            html(&display_name(name))
        );
    }
    page.push_str("</tr></thead>\n");
    for group in Group::SHOWN {
        let in_group: Vec<&Info> = rows.iter().filter(|r| r.group == group).collect();
        if in_group.is_empty() {
            continue;
        }
        let _ = writeln!(
            page,
            "<tbody class=\"keep\">\n<tr class=\"group\"><th colspan=\"{}\">{}</th></tr>",
            n + 1,
            html(group.heading())
        );
        for info in in_group {
            // "of which" rows split the row above: indented under it.
            let class = if info.label.starts_with("of which") {
                "measure part"
            } else {
                "measure"
            };
            let _ = write!(page, "<tr><th class=\"{class}\">{}</th>", html(info.label));
            for s in 0..n {
                page.push_str(&cell(data, s, info));
            }
            page.push_str("</tr>\n");
            if info.column == "total_cost_usd" {
                tail_row(page, data);
            }
        }
        page.push_str("</tbody>\n");
    }
    page.push_str("</table>\n</section>\n");
}

fn cell(data: &RunData, s: usize, info: &Info) -> String {
    let Some(st) = data.stat(s, info.column) else {
        return "<td class=\"num\">&ndash;</td>".to_string();
    };
    let (mean, range) = match info.unit {
        Unit::Share => pct_with_range(st.mean, st.p05, st.p95),
        _ => with_range(
            info.scaled(st.mean),
            info.scaled(st.p05),
            info.scaled(st.p95),
        ),
    };
    // A range whose ends are equal (every future alike) is the mean again: not repeated.
    let range = if st.p05 == st.p95 {
        String::new()
    } else {
        format!("<span class=\"range\">{}</span>", html(&range))
    };
    format!("<td class=\"num\">{mean}{range}</td>")
}

/// The 1-in-20 bad case: the 95th percentile of total cost across futures.
fn tail_row(page: &mut String, data: &RunData) {
    page.push_str(
        "<tr><th class=\"measure\">Total cost in a 1-in-20 bad case (95th percentile, USD M)</th>",
    );
    for s in 0..data.strategies.len() {
        match data.stat(s, "total_cost_usd") {
            Some(st) => {
                let _ = write!(page, "<td class=\"num\">{}</td>", num(st.p95 / 1e6));
            }
            None => page.push_str("<td class=\"num\">&ndash;</td>"),
        }
    }
    page.push_str("</tr>\n");
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
    for s in &setups {
        let _ = writeln!(
            page,
            "<tr><td>{}{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            swatch(&s.name, &data.strategies),
            html(&display_name(&s.name)),
            s.preset.as_deref().map_or_else(dash, html),
            s.channel.as_deref().map_or_else(dash, html),
            s.start.as_deref().map_or_else(dash, html),
        );
    }
    page.push_str("</tbody>\n</table>\n");
}
