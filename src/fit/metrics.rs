//! Which way is better for each run metric, and how the briefing names and formats it: one
//! table ([`METRIC_INFO`]), so a new run metric joins `fit` (regret, share best, Pareto
//! fronts) with one line here. The table is also the README's "metric directions" reference
//! ([`directions_table`], kept in step by tests/docs.rs).
//!
//! Cost-like metrics (`Lower`): regret is own value minus the smallest at that context.
//! Benefit metrics (`Higher`): regret is the largest value minus own. Metrics with no better
//! direction (`Neutral`, e.g. arrivals) can be thresholds of `--require` but not regret
//! criteria or Pareto objectives.

/// Which way a metric is better.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    /// Cost-like: less is better (costs, conflict, harm, poverty).
    Lower,
    /// Benefit: more is better (incomes, formal share, trust, social licence).
    Higher,
    /// No better direction (counts of movement, population size).
    Neutral,
}

impl Direction {
    /// The word used in fit.csv and the README.
    pub fn word(self) -> &'static str {
        match self {
            Direction::Lower => "lower",
            Direction::Higher => "higher",
            Direction::Neutral => "neutral",
        }
    }

    /// Shortfall of `value` from `best` (never negative for a directed metric).
    pub fn regret(self, value: f64, best: f64) -> f64 {
        match self {
            Direction::Lower => value - best,
            Direction::Higher => best - value,
            Direction::Neutral => 0.0,
        }
    }

    /// Whether `a` is strictly better than `b`.
    pub fn better(self, a: f64, b: f64) -> bool {
        match self {
            Direction::Lower => a < b,
            Direction::Higher => a > b,
            Direction::Neutral => false,
        }
    }
}

/// How a metric's values read in the briefing and on charts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Unit {
    /// US dollars, shown in millions.
    UsdMillions,
    /// US dollars per week.
    UsdWeek,
    /// A share 0-1, shown as a percentage.
    Share,
    /// An index 0-1.
    Index,
    /// A count (events, people, days, miner-weeks).
    Count,
}

/// One metric's direction, name in words and unit.
#[derive(Debug, Clone, Copy)]
pub struct MetricInfo {
    pub name: &'static str,
    pub direction: Direction,
    /// Short name in words for tables and charts.
    pub label: &'static str,
    pub unit: Unit,
}

const fn m(
    name: &'static str,
    direction: Direction,
    label: &'static str,
    unit: Unit,
) -> MetricInfo {
    MetricInfo {
        name,
        direction,
        label,
        unit,
    }
}

use Direction::{Higher, Lower, Neutral};
use Unit::{Count, Index, Share, UsdMillions, UsdWeek};

/// Every run metric (and a few announced ones), one line each. A metric missing here is
/// treated as `Neutral` with its own name as label; tests insist every run metric is listed.
#[rustfmt::skip]
pub const METRIC_INFO: &[MetricInfo] = &[
    m("incursions", Lower, "Incursions (miner-weeks)", Count),
    m("clashes", Lower, "Clashes", Count),
    m("violent_incidents", Lower, "Violent incidents", Count),
    m("fatalities", Lower, "Fatalities", Count),
    m("hr_allegations", Lower, "Human-rights allegations", Count),
    m("blockade_days", Lower, "Blockade days", Count),
    m("conflict_incidents", Lower, "Conflict incidents", Count),
    m("attacks", Lower, "Attacks on staff or assets", Count),
    m("blockades", Lower, "Blockade episodes", Count),
    m("evictions", Lower, "Forced evictions", Count),
    m("negotiated_departures", Neutral, "Negotiated departures", Count),
    m("miner_weeks", Neutral, "Miner-weeks", Count),
    m("miners_final", Neutral, "Miners at the end", Count),
    m("mean_income_usd_week", Higher, "Mean income, miners still digging", UsdWeek),
    m("income_pit_workers_usd_week", Higher, "Pit workers' income, still digging", UsdWeek),
    m("median_income_usd_week", Higher, "Median income, miners still digging", UsdWeek),
    m("income_p10_usd_week", Higher, "10th percentile income, still digging", UsdWeek),
    m("income_p90_usd_week", Higher, "90th percentile income, still digging", UsdWeek),
    m("poverty_share", Lower, "Miner-weeks in poverty, still digging", Share),
    m("people", Neutral, "Everyone ever in the area", Count),
    m("income_all_usd_week", Higher, "Income per person, everyone in the area", UsdWeek),
    m("poverty_share_all", Lower, "Poverty, everyone in the area", Share),
    m("asm_income_usd", Higher, "ASM income in the area", UsdMillions),
    m("output_g_per_miner_year", Neutral, "Gold per miner-year (g)", Count),
    m("livelihood_trainees", Neutral, "Alternative-livelihood places taken", Count),
    m("formal_share_final", Higher, "Formal miners at the end", Share),
    m("permit_applications", Neutral, "Permit applications", Count),
    m("displaced", Lower, "Miners displaced", Count),
    m("arrivals", Neutral, "Newcomers", Count),
    m("quit", Neutral, "Miners who quit", Count),
    m("exits", Neutral, "Exits to jobs or home", Count),
    m("total_cost_usd", Lower, "Total cost", UsdMillions),
    m("npv_cost_usd", Lower, "NPV cost", UsdMillions),
    m("lever_spend_usd", Lower, "Lever spend", UsdMillions),
    m("emergent_cost_usd", Lower, "Emergent cost", UsdMillions),
    m("lever_spend_npv_usd", Lower, "Lever spend (NPV)", UsdMillions),
    m("emergent_cost_npv_usd", Lower, "Emergent cost (NPV)", UsdMillions),
    m("security_cost_usd", Lower, "Security cost", UsdMillions),
    m("production_loss_usd", Lower, "Production loss", UsdMillions),
    m("theft_damage_cost_usd", Lower, "Theft and damage", UsdMillions),
    m("compensation_cost_usd", Lower, "Compensation", UsdMillions),
    m("programme_cost_usd", Lower, "Programme cost", UsdMillions),
    m("due_diligence_cost_usd", Lower, "Due diligence cost", UsdMillions),
    m("legal_reputational_cost_usd", Lower, "Legal and reputational cost", UsdMillions),
    m("offtake_net_usd", Lower, "Off-take net cost", UsdMillions),
    m("grievance_final", Lower, "Grievance at the end", Index),
    m("trust_final", Higher, "Trust at the end", Index),
    m("social_licence_final", Higher, "Social licence at the end", Index),
    m("concession_share_final", Lower, "Miners on the concession at the end", Share),
    m("tainted_supply_incidents", Lower, "Tainted-supply findings", Count),
    m("phase_switches", Neutral, "Changes of phase", Count),
    m("first_switch_week", Neutral, "Week of the first change of phase", Count),
    m("weeks_in_phase_1", Neutral, "Weeks in phase 1 (start)", Count),
    m("weeks_in_phase_2", Neutral, "Weeks in phase 2", Count),
    m("weeks_in_phase_3", Neutral, "Weeks in phase 3", Count),
    m("weeks_in_phase_4", Neutral, "Weeks in phase 4", Count),
];

/// The regret criteria `fit` reports by default: cost (all, what the company chose to spend,
/// what happened to it), conflict, harm and livelihoods. The first is the primary metric
/// (default scenario-discovery questions, the fit map).
pub const DEFAULT_METRICS: &[&str] = &[
    "npv_cost_usd",
    "lever_spend_npv_usd",
    "emergent_cost_npv_usd",
    "conflict_incidents",
    "fatalities",
    "income_all_usd_week",
    "formal_share_final",
];

/// The Pareto objectives of a lever sweep by default: cost, conflict, livelihoods.
pub const DEFAULT_OBJECTIVES: &[&str] =
    &["npv_cost_usd", "conflict_incidents", "income_all_usd_week"];

/// What is known of `name`: its table line, or a neutral line labelled with the name.
pub fn info(name: &str) -> MetricInfo {
    METRIC_INFO
        .iter()
        .find(|i| i.name == name)
        .copied()
        .unwrap_or(MetricInfo {
            name: "",
            direction: Direction::Neutral,
            label: "",
            unit: Unit::Count,
        })
}

/// The direction of `name` (`Neutral` when unknown).
pub fn direction(name: &str) -> Direction {
    info(name).direction
}

/// The label of `name` in words (its own name when unknown).
pub fn label(name: &str) -> String {
    match info(name).label {
        "" => name.to_string(),
        l => l.to_string(),
    }
}

/// Checks that every metric in `wanted` is an output of the experiment and, for regret
/// criteria and objectives (`directed`), has a better direction.
pub fn check(
    wanted: &[String],
    outputs: &[String],
    what: &str,
    directed: bool,
) -> Result<(), String> {
    for w in wanted {
        if !outputs.contains(w) {
            return Err(format!(
                "{what}: unknown metric `{w}`; expected one of the run metrics: {}",
                outputs.join(", ")
            ));
        }
        if directed && direction(w) == Direction::Neutral {
            let ok: Vec<&str> = outputs
                .iter()
                .map(String::as_str)
                .filter(|o| direction(o) != Direction::Neutral)
                .collect();
            return Err(format!(
                "{what}: metric `{w}` has no better direction (neither less nor more is better), so it has no regret; expected one of: {}",
                ok.join(", ")
            ));
        }
    }
    Ok(())
}

/// The README's table of metric directions: `| metric | better | label |`, run metrics in
/// `METRICS` order.
pub fn directions_table() -> String {
    let mut out = String::from("| Metric | Better | In the briefing |\n|---|---|---|\n");
    for name in crate::metrics::METRICS {
        let i = info(name);
        out += &format!("| `{name}` | {} | {} |\n", i.direction.word(), label(name));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_run_metric_has_a_line() {
        for name in crate::metrics::METRICS {
            assert!(
                METRIC_INFO.iter().any(|i| i.name == *name),
                "add a line for run metric `{name}` to fit::metrics::METRIC_INFO"
            );
        }
    }

    #[test]
    fn defaults_are_directed_run_metrics() {
        let outputs: Vec<String> = crate::metrics::METRICS
            .iter()
            .map(|s| s.to_string())
            .collect();
        for list in [DEFAULT_METRICS, DEFAULT_OBJECTIVES] {
            let wanted: Vec<String> = list.iter().map(|s| s.to_string()).collect();
            check(&wanted, &outputs, "defaults", true).unwrap();
        }
    }

    #[test]
    fn regret_follows_the_direction() {
        assert_eq!(Direction::Lower.regret(12.0, 10.0), 2.0);
        assert_eq!(Direction::Higher.regret(8.0, 10.0), 2.0);
        assert!(Direction::Lower.better(1.0, 2.0));
        assert!(Direction::Higher.better(2.0, 1.0));
        assert!(!Direction::Neutral.better(2.0, 1.0));
    }
}
