//! What each run metric means to a reader: its words, unit, which part of the briefing it
//! belongs to and which way is better. The headline table, the findings, the charts' panels
//! and the sensitivity charts' titles all read their wording from here, so a metric is named
//! the same way everywhere. Metrics the model adds later without an entry here are still
//! named sensibly from their column name.

use super::data::RunData;
use super::effects::Measure;

/// A part of the briefing, in the order a board reads it: people first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Group {
    /// Deaths, abuses, evictions, displacement, blockades.
    Human,
    /// Open conflict between miners and the company or the state.
    Conflict,
    /// Miners' incomes, poverty and formalisation.
    Livelihoods,
    /// What the company pays.
    Cost,
    /// Criminal gold in the supply chain, illegal digging on the concession.
    Compliance,
    /// Not shown in the headline table or findings (still named for sensitivity charts).
    Other,
}

impl Group {
    /// The groups the briefing shows, in order.
    pub const SHOWN: [Self; 5] = [
        Self::Human,
        Self::Conflict,
        Self::Livelihoods,
        Self::Cost,
        Self::Compliance,
    ];

    /// Heading of the group in the table and the findings.
    pub fn heading(self) -> &'static str {
        match self {
            Self::Human => "Human outcomes",
            Self::Conflict => "Conflict",
            Self::Livelihoods => "Miners' livelihoods",
            Self::Cost => "Cost to the company",
            Self::Compliance => "Compliance",
            Self::Other => "Other",
        }
    }
}

/// How a metric's values are written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Unit {
    /// A count (incidents, deaths, miners, days).
    Count,
    /// USD, written in millions.
    Usd,
    /// USD per week.
    UsdWeek,
    /// A share 0-1, written as a percentage.
    Share,
    /// An index on a 0-1 scale.
    Scale,
}

/// Which way is better for the people or the company.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Better {
    /// Fewer or less is better.
    Lower,
    /// More is better.
    Higher,
    /// Neither: context, not a criterion (e.g. how many miners there are).
    Neither,
}

/// One run metric as the briefing reads it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Info {
    /// Column in runs.csv and summary.csv.
    pub column: &'static str,
    /// Row label in the headline table, with its unit where it is not a plain count.
    pub label: &'static str,
    /// The metric in a sentence or a chart title ("deaths in violent incidents").
    pub words: &'static str,
    /// Its unit in words, for titles ("USD", "deaths").
    pub unit_words: &'static str,
    /// How values are written.
    pub unit: Unit,
    /// Part of the briefing.
    pub group: Group,
    /// Which way is better.
    pub better: Better,
    /// The same idea measured over the whole population: when present it replaces this one.
    pub replaced_by: Option<&'static str>,
}

impl Info {
    /// How a difference between strategies is measured in the findings.
    pub fn measure(&self) -> Measure {
        match self.unit {
            Unit::Share | Unit::Scale => Measure::Points,
            Unit::Usd => Measure::UsdMillions,
            Unit::Count | Unit::UsdWeek => Measure::Ratio,
        }
    }

    /// A value in the table's units (USD in millions, shares as they are).
    pub fn scaled(&self, value: f64) -> f64 {
        match self.unit {
            Unit::Usd => value / 1e6,
            _ => value,
        }
    }
}

#[allow(clippy::too_many_arguments)]
const fn info(
    column: &'static str,
    label: &'static str,
    words: &'static str,
    unit_words: &'static str,
    unit: Unit,
    group: Group,
    better: Better,
    replaced_by: Option<&'static str>,
) -> Info {
    Info {
        column,
        label,
        words,
        unit_words,
        unit,
        group,
        better,
        replaced_by,
    }
}

use Better::{Higher, Lower, Neither};
use Group::{Compliance, Conflict, Cost, Human, Livelihoods, Other};
use Unit::{Count, Scale, Share, Usd, UsdWeek};

/// The headline rows and findings, in briefing order (people first). A row shows only when
/// its metric is in summary.csv, and a metric with `replaced_by` only when that one is not.
#[rustfmt::skip]
pub(crate) const HEADLINE: [Info; 20] = [
    info("fatalities", "Deaths in violent incidents", "deaths", "deaths", Count, Human, Lower, None),
    info("hr_allegations", "Human-rights abuse allegations", "human-rights allegations", "allegations", Count, Human, Lower, None),
    info("evictions", "Miners evicted by force", "forced evictions", "miners", Count, Human, Lower, None),
    info("displaced", "Miners displaced (evicted and gone elsewhere)", "displaced miners", "miners", Count, Human, Lower, None),
    info("blockade_days", "Days the mine was blockaded or stopped", "blockade days", "days", Count, Human, Lower, None),
    info("conflict_incidents", "Conflict incidents (clashes, attacks, blockades)", "conflict incidents", "incidents", Count, Conflict, Lower, None),
    info("violent_incidents", "Violent incidents", "violent incidents", "incidents", Count, Conflict, Lower, None),
    info("people", "People who mined in the area (everyone ever)", "people who mined in the area", "people", Count, Livelihoods, Neither, None),
    info("miners_final", "Miners still digging at the end", "miners still digging at the end", "miners", Count, Livelihoods, Neither, None),
    info("income_all_usd_week", "Mean income per person, everyone ever in the area, displaced and departed included (USD/week)", "income per person (everyone ever in the area)", "USD/week", UsdWeek, Livelihoods, Higher, None),
    info("mean_income_usd_week", "Mean income of the miners still digging; displaced and departed miners not counted (USD/week)", "income of the miners still digging", "USD/week", UsdWeek, Livelihoods, Higher, Some("income_all_usd_week")),
    info("poverty_share_all", "Below USD 2.15/day, everyone ever in the area", "share below USD 2.15/day (everyone ever in the area)", "share", Share, Livelihoods, Lower, None),
    info("poverty_share", "Miner-weeks below USD 2.15/day, miners still digging", "share of miner-weeks below USD 2.15/day (miners still digging)", "share", Share, Livelihoods, Lower, Some("poverty_share_all")),
    info("formal_share_final", "Miners formalised at the end", "formalised share", "share", Share, Livelihoods, Higher, None),
    info("npv_cost_usd", "NPV cost to the company (USD M)", "NPV cost to the company", "USD", Usd, Cost, Lower, None),
    info("lever_spend_npv_usd", "of which spent on the strategy's levers (NPV, USD M)", "spending on the strategy's levers (NPV)", "USD", Usd, Cost, Neither, None),
    info("emergent_cost_npv_usd", "of which emergent cost: losses, damage, legal (NPV, USD M)", "emergent cost (NPV)", "USD", Usd, Cost, Lower, None),
    info("total_cost_usd", "Total cost, undiscounted (USD M)", "total cost to the company, undiscounted", "USD", Usd, Cost, Lower, None),
    info("tainted_supply_incidents", "Criminal gold found in the company's supply chain (times)", "criminal gold found in the supply chain", "times", Count, Compliance, Lower, None),
    info("concession_share_final", "Miners digging illegally on the concession at the end (share of miners)", "share of miners digging illegally on the concession", "share", Share, Compliance, Lower, None),
];

/// The other run metrics: not in the headline, but named in sensitivity charts.
#[rustfmt::skip]
const OTHERS: [Info; 36] = [
    info("incursions", "Illegal digging on the concession (miner-weeks)", "illegal digging on the concession", "miner-weeks", Count, Other, Lower, None),
    info("clashes", "Clashes", "clashes between miners and security", "clashes", Count, Other, Lower, None),
    info("attacks", "Attacks on staff or assets", "attacks on staff or assets", "attacks", Count, Other, Lower, None),
    info("blockades", "Blockade episodes", "blockade episodes", "blockades", Count, Other, Lower, None),
    info("income_pit_workers_usd_week", "Pit workers' income, miners still digging (USD/week)", "pit workers' income (miners still digging)", "USD/week", UsdWeek, Other, Higher, None),
    info("asm_income_usd", "ASM income earned in the area (USD M)", "ASM income earned in the area", "USD", Usd, Other, Higher, None),
    info("output_g_per_miner_year", "Gold dug per miner-year (g)", "gold dug per miner-year", "g", Count, Other, Neither, None),
    info("livelihood_trainees", "Alternative-livelihood places taken", "alternative-livelihood places taken", "people", Count, Other, Neither, None),
    info("permit_applications", "Permit applications", "permit applications", "applications", Count, Other, Neither, None),
    info("negotiated_departures", "Negotiated departures", "negotiated departures", "miners", Count, Other, Neither, None),
    info("miner_weeks", "ASM activity (miner-weeks)", "ASM activity in the area", "miner-weeks", Count, Other, Neither, None),
    info("median_income_usd_week", "Median income of the miners still digging (USD/week)", "median income of the miners still digging", "USD/week", UsdWeek, Other, Higher, None),
    info("income_p10_usd_week", "10th percentile of miners' income (USD/week)", "the 10th percentile of miners' income", "USD/week", UsdWeek, Other, Higher, None),
    info("income_p90_usd_week", "90th percentile of miners' income (USD/week)", "the 90th percentile of miners' income", "USD/week", UsdWeek, Other, Higher, None),
    info("arrivals", "Newcomers", "newcomers to the area", "miners", Count, Other, Neither, None),
    info("quit", "Miners who quit for their outside option", "miners who quit for their outside option", "miners", Count, Other, Neither, None),
    info("exits", "Miners who left through a job or return-home support", "miners who left through a job or return-home support", "miners", Count, Other, Neither, None),
    info("security_cost_usd", "Security cost (USD M)", "security cost", "USD", Usd, Other, Lower, None),
    info("production_loss_usd", "Production loss (USD M)", "production loss", "USD", Usd, Other, Lower, None),
    info("theft_damage_cost_usd", "Theft and damage (USD M)", "theft and damage", "USD", Usd, Other, Lower, None),
    info("compensation_cost_usd", "Compensation (USD M)", "compensation paid", "USD", Usd, Other, Neither, None),
    info("programme_cost_usd", "Programmes (USD M)", "programme cost", "USD", Usd, Other, Neither, None),
    info("due_diligence_cost_usd", "Due diligence (USD M)", "due-diligence cost", "USD", Usd, Other, Neither, None),
    info("legal_reputational_cost_usd", "Legal and reputational cost (USD M)", "legal and reputational cost", "USD", Usd, Other, Lower, None),
    info("offtake_net_usd", "Off-take, net (USD M)", "net cost of the off-take", "USD", Usd, Other, Lower, None),
    info("lever_spend_usd", "Spent on the strategy's levers, undiscounted (USD M)", "spending on the strategy's levers, undiscounted", "USD", Usd, Other, Neither, None),
    info("emergent_cost_usd", "Emergent cost: losses, damage, legal, undiscounted (USD M)", "emergent cost, undiscounted", "USD", Usd, Other, Lower, None),
    info("grievance_final", "Miners' grievance at the end (0-1)", "miners' grievance at the end", "0-1 scale", Scale, Other, Lower, None),
    info("trust_final", "Miners' trust in the company at the end (0-1)", "miners' trust in the company at the end", "0-1 scale", Scale, Other, Higher, None),
    info("phase_switches", "Changes of phase (adaptive strategies)", "changes of phase", "changes", Count, Other, Neither, None),
    info("first_switch_week", "Week of the first change of phase (0: never)", "the week of the first change of phase", "week", Count, Other, Neither, None),
    info("weeks_in_phase_1", "Weeks in phase 1 (start)", "weeks in phase 1", "weeks", Count, Other, Neither, None),
    info("weeks_in_phase_2", "Weeks in phase 2", "weeks in phase 2", "weeks", Count, Other, Neither, None),
    info("weeks_in_phase_3", "Weeks in phase 3", "weeks in phase 3", "weeks", Count, Other, Neither, None),
    info("weeks_in_phase_4", "Weeks in phase 4", "weeks in phase 4", "weeks", Count, Other, Neither, None),
    info("social_licence_final", "Social licence at the end (0-1)", "the social licence to operate at the end", "0-1 scale", Scale, Other, Higher, None),
];

/// What the briefing knows about `column`, if it has an entry.
pub(crate) fn lookup(column: &str) -> Option<Info> {
    HEADLINE
        .iter()
        .chain(OTHERS.iter())
        .find(|i| i.column == column)
        .copied()
}

/// The metric and its unit in words, for a chart title: `NPV cost to the company (USD)`. A
/// column without an entry is worded from its name (`new_metric_usd` -> `new metric (USD)`).
pub(crate) fn title_words(column: &str) -> String {
    if let Some(i) = lookup(column) {
        // "conflict incidents (count)", not "conflict incidents (incidents)".
        let unit = match i.unit {
            Count if i.words.contains(i.unit_words) => "count",
            Share => "share, 0-1",
            _ => i.unit_words,
        };
        return format!("{} ({unit})", i.words);
    }
    let (stem, unit) = if let Some(stem) = column.strip_suffix("_usd_week") {
        (stem, "USD/week")
    } else if let Some(stem) = column.strip_suffix("_usd") {
        (stem, "USD")
    } else if column.contains("share") {
        (column, "share, 0-1")
    } else {
        (column, "count")
    };
    format!("{} ({unit})", stem.replace('_', " "))
}

/// Whether `column` is in summary.csv for any strategy.
pub(crate) fn present(data: &RunData, column: &str) -> bool {
    data.summary.keys().any(|(_, m)| m == column) || data.runs.has(column)
}

/// The headline metrics this run has, in order: present, and not replaced by a present
/// population-wide measure.
pub(crate) fn headline(data: &RunData) -> Vec<Info> {
    HEADLINE
        .iter()
        .filter(|i| present(data, i.column))
        .filter(|i| i.replaced_by.is_none_or(|r| !present(data, r)))
        .copied()
        .collect()
}

/// The livelihood income measure to show: population-wide when the run has it, else the mean
/// of the miners still digging (labelled as such).
pub(crate) fn income(data: &RunData) -> Option<Info> {
    ["income_all_usd_week", "mean_income_usd_week"]
        .iter()
        .filter_map(|c| lookup(c))
        .find(|i| present(data, i.column))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_model_metric_has_words_and_a_unit() {
        for m in crate::metrics::METRICS {
            assert!(lookup(m).is_some(), "{m} has no entry");
        }
        assert_eq!(title_words("npv_cost_usd"), "NPV cost to the company (USD)");
        assert_eq!(title_words("shiny_new_cost_usd"), "shiny new cost (USD)");
        assert_eq!(
            title_words("conflict_incidents"),
            "conflict incidents (count)"
        );
        assert_eq!(title_words("evictions"), "forced evictions (miners)");
        assert_eq!(
            title_words("formal_share_final"),
            "formalised share (share, 0-1)"
        );
        let columns: Vec<&str> = HEADLINE.iter().chain(&OTHERS).map(|i| i.column).collect();
        for (k, c) in columns.iter().enumerate() {
            assert!(!columns[..k].contains(c), "{c} twice");
        }
    }
}
