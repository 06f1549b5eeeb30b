//! Strategy levers: what a company can set, grouped by the seed's four pillars of an ASM
//! management system (security, compliance, engagement and investment, broader interventions).
//!
//! A strategy is only a setting of these levers. The four presets of the seed
//! (confrontation, co-existence, cohabitation, collaboration) are plain data in
//! `presets.toml`, embedded in the binary; users compose their own from a preset plus
//! overrides. Nothing in the simulation ever looks at a strategy's name or preset: outcomes
//! come from what the levers make the agents do.

use serde::{Deserialize, Serialize};

/// The preset strategies, as TOML tables of lever values (see `presets.toml`).
pub const PRESETS_TOML: &str = include_str!("presets.toml");

/// All levers of one strategy, fully resolved (preset plus the user's overrides).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Strategy {
    /// Name of the preset this strategy started from.
    pub preset: String,
    /// One line for reports.
    pub description: String,
    pub security: Security,
    pub compliance: Compliance,
    pub engagement: Engagement,
    pub investment: Investment,
    pub interventions: Interventions,
    /// Further phases of an adaptive strategy, in declaration order: each a setting of the
    /// levers (a preset plus overrides). The strategy's own levers are its first phase,
    /// `start`. Empty for a fixed strategy.
    #[serde(default, skip_serializing_if = "Vec::is_empty", with = "phase_table")]
    pub phases: Vec<Phase>,
    /// When an adaptive strategy moves from one phase to another (`crate::adaptive`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub triggers: Vec<Trigger>,
}

/// A named phase of an adaptive strategy: the levers it sets (its own `phases` and
/// `triggers` are empty).
#[derive(Debug, Clone, PartialEq)]
pub struct Phase {
    pub name: String,
    pub levers: Strategy,
}

/// A move from one phase to another, when every condition holds over the window.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Trigger {
    /// Phase it leaves (`start` for the strategy's own levers).
    pub from: String,
    /// Phase it enters.
    pub to: String,
    /// Conditions that must all hold, `SIGNAL OP NUMBER` (e.g. `trust >= 0.4`).
    pub when: Vec<String>,
    /// Weeks over which each signal is read: counts summed, levels averaged.
    pub window_weeks: u32,
    /// Weeks the strategy must have spent in `from` before the trigger can fire.
    #[serde(default)]
    pub min_weeks_in_phase: u32,
}

impl Strategy {
    /// Whether the strategy changes phase during a run.
    pub fn is_adaptive(&self) -> bool {
        !self.phases.is_empty()
    }

    /// The levers of each phase, `start` (the strategy itself) first.
    pub fn phase_levers(&self) -> Vec<&Strategy> {
        std::iter::once(self)
            .chain(self.phases.iter().map(|p| &p.levers))
            .collect()
    }

    /// The names of the phases, `start` first.
    pub fn phase_names(&self) -> Vec<&str> {
        std::iter::once(crate::adaptive::START)
            .chain(self.phases.iter().map(|p| p.name.as_str()))
            .collect()
    }
}

/// Phases are a table keyed by name in files and an ordered list in memory.
mod phase_table {
    use super::{Phase, Strategy};
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};
    use std::fmt;

    pub fn serialize<S: Serializer>(list: &[Phase], ser: S) -> Result<S::Ok, S::Error> {
        let mut map = ser.serialize_map(Some(list.len()))?;
        for p in list {
            map.serialize_entry(&p.name, &p.levers)?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<Phase>, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Vec<Phase>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of phases keyed by name")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut list = Vec::new();
                while let Some((name, levers)) = map.next_entry::<String, Strategy>()? {
                    list.push(Phase { name, levers });
                }
                Ok(list)
            }
        }
        de.deserialize_map(Ordered)
    }
}

/// Security and asset protection.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Security {
    /// Guard effort, 0-1 (1 = the site's full guard force patrolling every week).
    pub guard_intensity: f64,
    /// Where guards act: only the no-go zone around the core, or the whole concession.
    pub enforced_area: EnforcedArea,
    /// Width of the no-go buffer around the core, in cells (used when enforced_area = "core").
    pub no_go_buffer_cells: u32,
    /// What happens to miners found in the enforced area.
    pub eviction: EvictionMode,
    /// Payment offered per miner for negotiated voluntary departure, USD.
    pub compensation_usd: f64,
    /// Force is used on those who refuse a negotiated departure (resettlement as last resort).
    pub last_resort_force: bool,
    /// Ask the government to send state forces when incursions exceed the trigger.
    pub call_state_forces: bool,
    /// Miner-weeks of incursion per week that trigger a request for state forces.
    pub forces_trigger_incursions: f64,
    /// Guards (and forces the company pays for) trained under the Voluntary Principles.
    pub vp_training: bool,
    /// Security staff take part in engagement (the seed warns this undermines trust).
    pub security_in_engagement: bool,
    /// How the company answers a blockade: clear it by force, or talk.
    pub blockade_response: BlockadeResponse,
}

/// Compliance and reputation.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Compliance {
    /// Monitoring and reporting of ASM, 0-1: how well the company knows who digs where and why.
    pub monitoring: f64,
    /// Internal chain of custody for any ASM output the company handles.
    pub chain_of_custody: bool,
    /// Due diligence on ASM suppliers, 0-1: weekly chance of detecting a criminal-financed supplier.
    pub due_diligence: f64,
}

/// Community engagement: channel, start and intensity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Engagement {
    pub channel: Channel,
    /// First week of engagement (0 = from the start).
    pub start_week: u32,
    /// Effort, 0-1.
    pub intensity: f64,
}

/// Community investment: what the company spends on, and exit options for miners.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Investment {
    /// Generic community projects (schools, wells), USD/week.
    pub community_projects_usd_week: f64,
    /// What miners need: permit-fee subsidies, interest-free loans, technical assistance, USD/week.
    pub miner_support_usd_week: f64,
    /// Jobs at the mine offered to miners, per year.
    pub exit_jobs_per_year: f64,
    /// Support paid to a migrant who accepts to return home, USD.
    pub return_home_usd: f64,
    /// Alternative livelihoods (farming, skills, jobs outside mining) for miners, USD/week:
    /// each place raises a miner's outside option; whether he leaves ASM is his choice.
    pub livelihoods_usd_week: f64,
}

/// Broader strategic interventions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Interventions {
    /// Support ASM formalisation with the government (pays permit fees of supported miners).
    pub formalisation_support: bool,
    /// A designated ASM zone: none, outside the concession, or ceded from the permit area.
    pub asm_zone: AsmZone,
    /// Size of the ASM zone, cells.
    pub asm_zone_cells: u32,
    /// Week the company proposes the zone (or lease); the government's approval takes time.
    pub programme_start_week: u32,
    /// Share of the concession periphery leased to an ASM operator, 0-1.
    pub lease_share: f64,
    /// Buy the output of eligible ASM (formal, screened) through off-take.
    pub offtake: bool,
    /// Price paid to ASM under off-take, as a share of the world price, 0-1.
    pub offtake_price_share: f64,
    /// Policy clout spent on shortening the permit regime, 0-1 (works as far as the government responds).
    pub lobbying: f64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EnforcedArea {
    Core,
    Concession,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EvictionMode {
    None,
    Negotiated,
    Forced,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum BlockadeResponse {
    Force,
    Dialogue,
}

/// Who carries engagement to the miners.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Channel {
    None,
    Direct,
    Government,
    Chief,
    Ngo,
    Multistakeholder,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AsmZone {
    None,
    Outside,
    Ceded,
}

/// Names of the presets, in `presets.toml` order.
pub fn preset_names() -> Vec<String> {
    presets().keys().cloned().collect()
}

/// The presets as TOML tables, keyed by name (file order).
pub fn presets() -> toml::Table {
    // The embedded file is checked by a unit test; a failure here is a build defect.
    PRESETS_TOML
        .parse::<toml::Table>()
        .expect("embedded presets.toml parses")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_fixed_preset_is_a_complete_strategy() {
        for (name, table) in presets() {
            if table.get("phases").is_some() {
                continue; // adaptive: expanded at load time (its phases name other presets)
            }
            let s: Strategy = table
                .try_into()
                .unwrap_or_else(|e| panic!("preset {name}: {e}"));
            assert_eq!(s.preset, name);
        }
        assert_eq!(
            preset_names(),
            [
                "confrontation",
                "coexistence",
                "cohabitation",
                "collaboration",
                "hands_off_then_respond",
                "stepwise"
            ]
        );
    }
}
