//! Checks across keys, on the typed scenario: sizes that must nest, weeks within the
//! horizon, a world with room for its miners, and magnitudes whose products the model can
//! hold. Each problem names every key involved and is blamed on the one the user set.

use super::super::{NamedStrategy, Scenario};
use super::Problem;
use super::layers::Layers;
use crate::strategy::{self, AsmZone, Strategy};

/// Largest a product of scenario values may grow in a run (money over the horizon, the
/// value of a week's ore): far inside the range of the 32-bit floats that timeseries and
/// maps are kept in (about 3.4e38), so no sum or product can overflow to infinity.
pub(super) const MAGNITUDE_LIMIT: f64 = 1e30;

pub(super) fn check(s: &Scenario, layers: &Layers) -> Vec<Problem> {
    let mut p = landscape(s, layers);
    if s.miners.initial > s.miners.max {
        p.push(layers.blame(
            &["miners.initial", "miners.max"],
            format!(
                "expected miners.initial ({}) at most miners.max ({})",
                s.miners.initial, s.miners.max
            ),
        ));
    }
    if s.economy.price_shock_factor != 1.0 && s.economy.price_shock_week >= s.weeks {
        p.push(layers.blame(
            &["economy.price_shock_week", "weeks", "economy.price_shock_factor"],
            format!(
                "expected economy.price_shock_week ({}) before the horizon (weeks = {}), or economy.price_shock_factor = 1 for no shock",
                s.economy.price_shock_week, s.weeks
            ),
        ));
    }
    for ns in &s.strategies {
        let pre = format!("strategies.{}", ns.name);
        p.extend(strategy_rules(&ns.strategy, &pre, s.weeks, layers));
        p.extend(adaptive_rules(ns, layers));
        for phase in &ns.strategy.phases {
            let pre = format!("{pre}.phases.{}", phase.name);
            p.extend(strategy_rules(&phase.levers, &pre, s.weeks, layers));
        }
    }
    p.extend(magnitudes(s, layers));
    p
}

/// The concession inside the landscape, the core inside the concession, the protected
/// corner outside it, and community land left over: evicted miners and newcomers settle
/// there, so a world without it cannot run.
fn landscape(s: &Scenario, layers: &Layers) -> Vec<Problem> {
    let mut p = Vec::new();
    let l = &s.landscape;
    let side = l.width.min(l.height);
    let (w, h, c, k, pr) = (
        "landscape.width",
        "landscape.height",
        "landscape.concession_size",
        "landscape.core_size",
        "landscape.protected_size",
    );
    if l.concession_size > side {
        p.push(layers.blame(
            &[c, w, h],
            format!(
                "expected {c} ({}) at most the landscape's shorter side ({w} = {}, {h} = {})",
                l.concession_size, l.width, l.height
            ),
        ));
        return p;
    }
    if l.core_size >= l.concession_size {
        p.push(layers.blame(
            &[k, c],
            format!(
                "expected {k} ({}) less than {c} ({})",
                l.core_size, l.concession_size
            ),
        ));
    }
    let margin = (side - l.concession_size) / 2;
    if l.protected_size > margin {
        p.push(layers.blame(
            &[pr, c, w, h],
            format!(
                "expected {pr} ({}) at most {margin}, so that the protected corner lies outside the concession ({c} = {} in a {} x {} landscape); lower {pr} (0 = none) or widen the landscape",
                l.protected_size, l.concession_size, l.width, l.height
            ),
        ));
        return p;
    }
    let cells = |a: u32, b: u32| u64::from(a) * u64::from(b);
    let community = cells(l.width, l.height)
        - cells(l.concession_size, l.concession_size)
        - cells(l.protected_size, l.protected_size);
    if community == 0 {
        p.push(layers.blame(
            &[c, w, h, pr],
            format!(
                "the {} x {} landscape leaves no community land beside the {c} ({}) and the protected corner ({pr} = {}); evicted miners and newcomers settle there, so expected a landscape larger than the concession",
                l.width, l.height, l.concession_size, l.protected_size
            ),
        ));
    }
    p
}

/// A strategy's engagement and programme start within the horizon; an ASM zone with cells.
fn strategy_rules(st: &Strategy, pre: &str, weeks: u32, layers: &Layers) -> Vec<Problem> {
    let mut p = Vec::new();
    let start = format!("{pre}.engagement.start_week");
    if st.engagement.channel != strategy::Channel::None && st.engagement.start_week >= weeks {
        p.push(layers.blame(
            &[&start, "weeks", &format!("{pre}.engagement.channel")],
            format!(
                "expected {start} ({}) before the horizon (weeks = {weeks})",
                st.engagement.start_week
            ),
        ));
    }
    let iv = &st.interventions;
    let programme = iv.asm_zone != AsmZone::None || iv.lease_share > 0.0;
    let pstart = format!("{pre}.interventions.programme_start_week");
    if programme && iv.programme_start_week >= weeks {
        p.push(layers.blame(
            &[&pstart, "weeks"],
            format!(
                "expected {pstart} ({}) before the horizon (weeks = {weeks})",
                iv.programme_start_week
            ),
        ));
    }
    let cells = format!("{pre}.interventions.asm_zone_cells");
    if iv.asm_zone != AsmZone::None && iv.asm_zone_cells == 0 {
        p.push(layers.blame(
            &[&cells, &format!("{pre}.interventions.asm_zone")],
            format!("expected {cells} of at least 1 when asm_zone is not \"none\""),
        ));
    }
    p
}

/// An adaptive strategy's phases and triggers: at most `adaptive::MAX_PHASES` phases, every
/// trigger between known, different phases with conditions that read and can hold, and every
/// phase reachable from `start`. A window longer than a short run is not an error: the
/// trigger simply does not fire in it.
fn adaptive_rules(ns: &NamedStrategy, layers: &Layers) -> Vec<Problem> {
    use crate::adaptive::{MAX_PHASES, parse_condition};
    let mut p = Vec::new();
    let st = &ns.strategy;
    let pre = format!("strategies.{}", ns.name);
    let (phases_key, triggers_key) = (format!("{pre}.phases"), format!("{pre}.triggers"));
    if st.phases.len() >= MAX_PHASES {
        p.push(layers.blame(
            &[&phases_key],
            format!(
                "expected at most {} phases besides `start` (runs.csv has a column per phase), got {}",
                MAX_PHASES - 1,
                st.phases.len()
            ),
        ));
    }
    if !st.phases.is_empty() && st.triggers.is_empty() {
        p.push(layers.blame(
            &[&phases_key],
            "expected at least one [[triggers]] table: without one the strategy never leaves `start`",
        ));
    }
    if st.phases.is_empty() && !st.triggers.is_empty() {
        p.push(layers.blame(
            &[&triggers_key],
            "expected phases for the triggers to move between ([strategies.<name>.phases.<phase>])",
        ));
    }
    let names = st.phase_names();
    let mut edges = Vec::new();
    for (k, t) in st.triggers.iter().enumerate() {
        let at = |m: String| format!("trigger {} ({} -> {}): {m}", k + 1, t.from, t.to);
        let mut sound = true;
        for end in [&t.from, &t.to] {
            if !names.contains(&end.as_str()) {
                sound = false;
                p.push(layers.blame(
                    &[&triggers_key],
                    at(format!(
                        "unknown phase `{end}`; expected one of {}",
                        names.join(", ")
                    )),
                ));
            }
        }
        if t.from == t.to {
            sound = false;
            p.push(layers.blame(&[&triggers_key], at("expected two different phases".into())));
        }
        for text in &t.when {
            match parse_condition(text) {
                Err(m) => {
                    sound = false;
                    p.push(layers.blame(&[&triggers_key], at(m)));
                }
                Ok(c) => {
                    // Ranges of the signal itself, not of this horizon: a trigger that a
                    // short run ends before is not wrong, it just does not fire.
                    let (lo, hi) = c.signal.range();
                    if !c.can_hold(lo, hi) {
                        sound = false;
                        p.push(layers.blame(
                            &[&triggers_key],
                            at(format!(
                                "\"{text}\" can never hold: {} lies between {lo} and {hi}, so the trigger never fires",
                                c.signal.name()
                            )),
                        ));
                    }
                }
            }
        }
        if sound {
            edges.push((t.from.as_str(), t.to.as_str()));
        }
    }
    // Every phase reachable from `start` through triggers that can fire.
    let mut reached = vec![crate::adaptive::START];
    while let Some(next) = edges
        .iter()
        .find(|(from, to)| reached.contains(from) && !reached.contains(to))
    {
        reached.push(next.1);
    }
    for phase in &st.phases {
        if !reached.contains(&phase.name.as_str()) {
            p.push(layers.blame(
                &[&format!("{phases_key}.{}", phase.name)],
                format!(
                    "phase `{}` can never be reached: no trigger leads to it from `start`",
                    phase.name
                ),
            ));
        }
    }
    p
}

/// Products of scenario values the model forms (costs over the horizon, the value of a
/// week's ore, a miner's pay), bounded from above: each must stay below
/// [`MAGNITUDE_LIMIT`]. Every key's range keeps them far below today; this holds the line
/// if a range is widened or a key added.
fn magnitudes(s: &Scenario, layers: &Layers) -> Vec<Problem> {
    let mut p = Vec::new();
    for (what, bound, keys) in bounds(s) {
        if !(bound.is_finite() && bound < MAGNITUDE_LIMIT) {
            let keys: Vec<&str> = keys.iter().map(String::as_str).collect();
            p.push(layers.blame(
                &keys,
                format!(
                    "{what} could reach {bound:e}, beyond the {MAGNITUDE_LIMIT:e} the model can hold; expected smaller values of {}",
                    keys.join(", ")
                ),
            ));
        }
    }
    p
}

/// Upper bounds of the products the model forms, with the keys each is a product of.
pub(super) fn bounds(s: &Scenario) -> Vec<(String, f64, Vec<String>)> {
    let e = &s.economy;
    let l = &s.landscape;
    let c = &s.company;
    let miners = f64::from(s.miners.max);
    let weeks = f64::from(s.weeks);
    let grade = l
        .grade_core_g
        .max(l.grade_concession_g)
        .max(l.grade_community_g)
        .max(l.asm_zone_grade_g);
    let ore = e.gold_price_usd_per_g
        * e.price_shock_factor.max(1.0)
        * grade
        * (1.0 + c.ta_productivity_gain);
    let ore_keys = [
        "economy.gold_price_usd_per_g",
        "economy.price_shock_factor",
        "landscape.grade_core_g",
        "landscape.grade_concession_g",
        "landscape.grade_community_g",
        "landscape.asm_zone_grade_g",
        "company.ta_productivity_gain",
        "weeks",
    ];
    let mut out = vec![(
        "the value of a miner's ore over the horizon (USD)".to_string(),
        ore * weeks,
        keys(&ore_keys),
    )];
    let per_week = c.stoppage_cost_usd_day * 7.0
        + c.guard_cost_usd_week
        + c.forces_fee_usd_week
        + c.monitoring_cost_usd_week
        + c.due_diligence_cost_usd_week
        + c.chain_of_custody_usd_week
        + c.zone_setup_usd;
    let per_miner = c.core_loss_per_miner_week_usd
        + c.periphery_loss_per_miner_week_usd
        + c.ta_cost_usd_miner_week
        + c.job_cost_usd_week
        + c.damage_per_attack_usd
        + c.hr_allegation_cost_usd
        + c.fatality_cost_usd * s.behaviour.fatalities_per_violent.max(1.0)
        + c.tainted_supply_cost_usd
        + ore;
    let mut cost_keys = keys(&[
        "miners.max",
        "weeks",
        "company.stoppage_cost_usd_day",
        "company.guard_cost_usd_week",
        "company.forces_fee_usd_week",
        "company.monitoring_cost_usd_week",
        "company.due_diligence_cost_usd_week",
        "company.chain_of_custody_usd_week",
        "company.zone_setup_usd",
        "company.core_loss_per_miner_week_usd",
        "company.periphery_loss_per_miner_week_usd",
        "company.ta_cost_usd_miner_week",
        "company.job_cost_usd_week",
        "company.damage_per_attack_usd",
        "company.hr_allegation_cost_usd",
        "company.fatality_cost_usd",
        "behaviour.fatalities_per_violent",
        "company.tainted_supply_cost_usd",
    ]);
    cost_keys.extend(keys(&ore_keys));
    for ns in &s.strategies {
        let inv = &ns.strategy.investment;
        let sec = &ns.strategy.security;
        let company = (per_week
            + inv.community_projects_usd_week
            + inv.miner_support_usd_week
            + miners * (per_miner + sec.compensation_usd + inv.return_home_usd))
            * weeks;
        let mut these = cost_keys.clone();
        for lever in [
            "investment.community_projects_usd_week",
            "investment.miner_support_usd_week",
            "security.compensation_usd",
            "investment.return_home_usd",
        ] {
            these.push(format!("strategies.{}.{lever}", ns.name));
        }
        out.push((
            format!(
                "strategy {}'s company costs over the horizon (USD)",
                ns.name
            ),
            company,
            these,
        ));
    }
    out
}

fn keys(list: &[&str]) -> Vec<String> {
    list.iter().map(|k| k.to_string()).collect()
}

#[cfg(test)]
mod tests {
    use super::super::layers::Source;
    use super::*;
    use crate::scenario::{DEFAULT_SCENARIO_TOML, KEYS, Range, ScenarioSource, load};

    #[test]
    fn products_stay_inside_the_limit_at_the_top_of_every_range() {
        let mut set = vec!["miners.max=2000000".to_string(), "weeks=5200".to_string()];
        for k in KEYS {
            if let Range::Number { max, .. } = k.range
                && (k.key.starts_with("company.")
                    || k.key.contains("_usd")
                    || k.key.contains("grade"))
            {
                set.push(format!("{}={max:e}", k.key.replace('*', "coexistence")));
            }
        }
        set.push("economy.price_shock_factor=20.0".into());
        let s = load(&ScenarioSource::Default, &set).expect("the tops of the ranges are valid");
        for (what, bound, _) in bounds(&s) {
            assert!(bound < MAGNITUDE_LIMIT, "{what}: {bound:e}");
        }
    }

    #[test]
    fn a_product_past_the_limit_is_refused_and_blamed_on_a_key() {
        let mut s = load(&ScenarioSource::Default, &[]).unwrap();
        s.company.fatality_cost_usd = 1e300; // as if its range were widened
        let layers = Layers {
            user: None,
            default: Source::new("embedded default scenario", DEFAULT_SCENARIO_TOML.into()),
            overrides: Vec::new(),
        };
        let problems = magnitudes(&s, &layers);
        assert_eq!(problems.len(), s.strategies.len());
        assert!(
            problems[0]
                .message
                .contains("company costs over the horizon")
        );
        assert!(problems[0].key.is_some());
    }
}
