//! The scenario: everything a run needs to know about the context and the strategies.
//!
//! Files are TOML. A file gives only what differs from the embedded default
//! (`scenarios/default.toml`); `--set key=value` overrides come last; strategies are expanded
//! from their preset. The result is validated here, at the boundary, so the simulation never
//! sees a bad value. Data goes next to `batch` (the plan) and `sim` (one run).

mod keys;
mod load;
mod sources;

pub use keys::{KEYS, KeyInfo, Range};
pub use load::{DEFAULT_SCENARIO_TOML, ScenarioError, ScenarioSource, load};
pub use sources::{PROVENANCE, Provenance, provenance, reference_table};

use crate::strategy::Strategy;
use serde::{Deserialize, Serialize};

/// A validated, fully resolved scenario.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub name: String,
    pub description: String,
    /// Horizon, weeks.
    pub weeks: u32,
    /// Replicates per strategy.
    pub seeds: u32,
    pub master_seed: u64,
    /// Length of a timeseries.csv period, weeks.
    pub timeseries_every_weeks: u32,
    pub landscape: Landscape,
    pub economy: Economy,
    pub season: Season,
    pub miners: Miners,
    pub chiefs: Chiefs,
    pub officials: Officials,
    pub security: SecurityContext,
    pub government: Government,
    pub ngo: Ngo,
    pub channels: Channels,
    pub company: Company,
    pub behaviour: Behaviour,
    /// Strategies in file order (a table keyed by name in files).
    #[serde(with = "strategy_table")]
    pub strategies: Vec<NamedStrategy>,
}

/// A strategy with the name the scenario gives it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct NamedStrategy {
    pub name: String,
    pub strategy: Strategy,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Landscape {
    pub width: u32,
    pub height: u32,
    pub cell_ha: f64,
    pub concession_size: u32,
    pub core_size: u32,
    pub protected_size: u32,
    pub grade_core_g: f64,
    pub core_access: f64,
    pub grade_concession_g: f64,
    pub grade_community_g: f64,
    pub asm_zone_grade_g: f64,
    pub grade_variation: f64,
    pub depletion_per_miner_week: f64,
    pub cell_capacity: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Economy {
    pub gold_price_usd_per_g: f64,
    pub price_volatility: f64,
    pub price_shock_week: u32,
    pub price_shock_factor: f64,
    pub price_shock_decay_weeks: f64,
    pub alternative_income_usd_week: f64,
    pub outside_option_access: f64,
    pub buyer_price_share: f64,
    pub mining_cost_usd_week: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Season {
    pub rainy_start_week: u32,
    pub rainy_weeks: u32,
    pub rain_productivity_loss: f64,
    pub farming_start_week: u32,
    pub farming_weeks: u32,
    pub farming_pull: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Miners {
    pub initial: u32,
    pub max: u32,
    pub migrant_share: f64,
    pub criminal_financed_share: f64,
    pub inside_concession_share: f64,
    pub inflow_per_week: f64,
    pub leave_rate: f64,
    pub risk_aversion: f64,
    pub action_threshold: f64,
    pub grievance_initial: f64,
    pub trust_initial: f64,
    /// Weeks ahead a miner weighs when deciding whether a permit pays.
    pub planning_weeks: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Chiefs {
    pub count: u32,
    pub legitimacy: f64,
    pub levy_share: f64,
    pub capture: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Officials {
    pub corruption: f64,
    pub permit_weeks: u32,
    pub permits_per_week: u32,
    pub permit_fee_usd: f64,
    pub bribe_share: f64,
    pub shutdown_rate: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SecurityContext {
    pub abuse_propensity: f64,
    pub vp_abuse_reduction: f64,
    pub forces_weeks: u32,
    /// Raids per week of a full guard force.
    pub guard_ops_per_week: f64,
    /// Operations per week of a state-forces deployment the company asked for.
    pub forces_ops_per_week: f64,
    /// Operations per week of a pre-election crackdown (on illegal and on legal land each).
    pub crackdown_ops_per_week: f64,
    /// Share of state-force operations that find a target.
    pub forces_hit_rate: f64,
    /// How much likelier a clash with state forces turns violent than one with guards.
    pub forces_violence_factor: f64,
    /// Deaths per violent incident with state forces, relative to guards.
    pub forces_lethality_factor: f64,
    /// Abuse allegations per operation of state forces, relative to guards.
    pub forces_abuse_factor: f64,
    /// Share of the restraint miners' trust in the company buys that state forces also get.
    pub forces_trust_credit: f64,
    /// Share of guard operations that hit legitimate miners next door when the company
    /// knows nothing of the local ASM (falls with knowledge).
    pub mistaken_raid_share: f64,
    /// Share of attacks a full guard force prevents (it protects the assets attacks need).
    pub guard_deterrence: f64,
}

/// What the government does in the run-up to an election.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ElectionBehaviour {
    Crackdown,
    Leniency,
    None,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Government {
    pub repression_history: f64,
    pub election_interval_weeks: u32,
    pub election_behaviour: ElectionBehaviour,
    pub election_window_weeks: u32,
    pub responsiveness: f64,
    pub cession_legal: bool,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Ngo {
    pub trust: f64,
}

/// How engagement reaches miners, by channel.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Channels {
    /// Share of miners the company's own team reaches per week at the top rung of the direct
    /// ladder, at full intensity.
    pub direct_reach: f64,
    /// Share of miners a third party reaches per week at full intensity.
    pub indirect_reach: f64,
    /// Weeks a multi-stakeholder initiative takes to reach full stride.
    pub msi_ramp_weeks: f64,
    /// A chief's standing with migrants (not his followers), as a share of chiefs' legitimacy.
    pub chief_migrant_reach: f64,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Company {
    pub stoppage_cost_usd_day: f64,
    pub discount_rate: f64,
    pub guard_cost_usd_week: f64,
    pub forces_fee_usd_week: f64,
    pub monitoring_cost_usd_week: f64,
    pub core_loss_per_miner_week_usd: f64,
    pub periphery_loss_per_miner_week_usd: f64,
    pub damage_per_attack_usd: f64,
    pub hr_allegation_cost_usd: f64,
    pub fatality_cost_usd: f64,
    pub tainted_supply_cost_usd: f64,
    pub due_diligence_cost_usd_week: f64,
    pub chain_of_custody_usd_week: f64,
    pub ta_cost_usd_miner_week: f64,
    pub ta_productivity_gain: f64,
    pub zone_setup_usd: f64,
    pub job_cost_usd_week: f64,
    pub resale_share: f64,
    pub lease_fee_share: f64,
    /// Weekly chance that full due diligence detects a criminal-financed supplier.
    pub dd_detection_per_week: f64,
    /// Weekly chance that undetected criminal gold in the company's chain comes to light.
    pub tainted_exposure_per_week: f64,
    /// Weeks off-take is suspended for an audit after a tainted-supply finding.
    pub offtake_suspension_weeks: u32,
    /// Most attacks on staff or assets a week can bring with no guards: the mine's exposed
    /// targets (vehicles, pipelines, stockpiles) bound them.
    pub attack_targets_per_week: f64,
    /// Share of an attack's cost that is stolen ore or gold, valued at the current price.
    pub attack_theft_share: f64,
}

/// Behavioural coefficients: how strongly agents react. No public figures exist for these;
/// they are assumptions to sweep (see the ODD).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Behaviour {
    pub eviction_grievance: f64,
    pub abuse_grievance: f64,
    pub outrage_per_incident: f64,
    pub grievance_memory_weeks: f64,
    pub trust_memory_weeks: f64,
    pub hardship_grievance: f64,
    pub engagement_trust_gain: f64,
    pub expectation_usd_week: f64,
    pub broken_promise_grievance: f64,
    pub chief_influence: f64,
    pub clash_violence: f64,
    pub fatalities_per_violent: f64,
    pub attack_rate: f64,
    pub blockade_share: f64,
    pub rush_migrant_share: f64,
    /// Trust lost by a miner evicted by force.
    pub eviction_trust_loss: f64,
    /// Trust lost by a miner abused by security.
    pub abuse_trust_loss: f64,
}

impl Scenario {
    /// The strategy names in run order.
    pub fn strategy_names(&self) -> Vec<String> {
        self.strategies.iter().map(|s| s.name.clone()).collect()
    }

    /// The resolved scenario as TOML (every key, strategies expanded), as written to
    /// `scenario.toml` beside the results: rerunning it gives the same results.
    pub fn to_toml(&self) -> String {
        load::resolved_toml(self)
    }

    /// Hex SHA-256 of the resolved scenario: what the manifest records and what tells two
    /// experiments apart.
    pub fn hash(&self) -> String {
        use sha2::{Digest, Sha256};
        let digest = Sha256::digest(self.to_toml().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Strategies are a table keyed by name in files and an ordered list in memory.
mod strategy_table {
    use super::{NamedStrategy, Strategy};
    use serde::de::{MapAccess, Visitor};
    use serde::ser::SerializeMap;
    use serde::{Deserializer, Serializer};
    use std::fmt;

    pub fn serialize<S: Serializer>(list: &[NamedStrategy], ser: S) -> Result<S::Ok, S::Error> {
        let mut map = ser.serialize_map(Some(list.len()))?;
        for ns in list {
            map.serialize_entry(&ns.name, &ns.strategy)?;
        }
        map.end()
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(de: D) -> Result<Vec<NamedStrategy>, D::Error> {
        struct Ordered;
        impl<'de> Visitor<'de> for Ordered {
            type Value = Vec<NamedStrategy>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a table of strategies keyed by name")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut list = Vec::new();
                while let Some((name, strategy)) = map.next_entry::<String, Strategy>()? {
                    list.push(NamedStrategy { name, strategy });
                }
                Ok(list)
            }
        }
        de.deserialize_map(Ordered)
    }
}
