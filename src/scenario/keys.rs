//! Every scenario key with its unit, valid range and meaning: one table that drives range
//! validation, `cohabit keys` (the README's scenario reference) and the ODD parameter table
//! check. Strategy keys are written with `*` for the strategy's name.

/// What values a key accepts.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Range {
    /// A number from `min` to `max` inclusive.
    Number {
        min: f64,
        max: f64,
    },
    /// A whole number from `min` to `max` inclusive.
    Whole {
        min: u64,
        max: u64,
    },
    /// One of these words.
    Choice(&'static [&'static str]),
    Bool,
    Text,
    /// Nested tables, described in words (an adaptive strategy's phases and triggers).
    Structure(&'static str),
}

/// One scenario key.
#[derive(Debug, Clone, Copy)]
pub struct KeyInfo {
    pub key: &'static str,
    pub unit: &'static str,
    pub range: Range,
    pub meaning: &'static str,
}

impl Range {
    /// How the README and error messages state the range.
    pub fn describe(&self) -> String {
        match self {
            Range::Number { min, max } if *max == f64::INFINITY => format!("a number >= {min}"),
            Range::Number { min, max } => {
                format!("a number from {} to {}", bound(*min), bound(*max))
            }
            Range::Whole { min, max } if *max == u64::MAX => format!("a whole number >= {min}"),
            Range::Whole { min, max } => format!("a whole number from {min} to {max}"),
            Range::Choice(words) => format!("one of {}", words.join(", ")),
            Range::Bool => "true or false".to_string(),
            Range::Text => "text".to_string(),
            Range::Structure(words) => words.to_string(),
        }
    }
}

const SHARE: Range = Range::Number { min: 0.0, max: 1.0 };
/// A bound as a person writes it: powers of ten from a million up as `1e6`, `1e12` (as TOML
/// accepts them too), anything else as Rust prints it.
fn bound(x: f64) -> String {
    let exponent = libm::log10(x).round();
    if x >= 1e6 && libm::pow(10.0, exponent) == x {
        format!("1e{exponent}")
    } else {
        format!("{x}")
    }
}

const fn whole(min: u64, max: u64) -> Range {
    Range::Whole { min, max }
}
const fn num(min: f64, max: f64) -> Range {
    Range::Number { min, max }
}
const fn k(key: &'static str, unit: &'static str, range: Range, meaning: &'static str) -> KeyInfo {
    KeyInfo {
        key,
        unit,
        range,
        meaning,
    }
}

/// Every key of a scenario file, in the order of `scenarios/default.toml`.
#[rustfmt::skip]
pub const KEYS: &[KeyInfo] = &[
    k("name", "", Range::Text, "Scenario name; default output folder is output/<name>/"),
    k("description", "", Range::Text, "One line on the context, shown in reports"),
    k("weeks", "weeks", whole(1, 5200), "Horizon of each run"),
    k("seeds", "runs", whole(1, 1_000_000), "Replicates per strategy"),
    k("master_seed", "", whole(0, i64::MAX as u64), "Seed all random streams derive from"),
    k("timeseries_every_weeks", "weeks", whole(1, 520), "Length of a timeseries.csv period"),
    k("landscape.width", "cells", whole(8, 512), "Landscape width"),
    k("landscape.height", "cells", whole(8, 512), "Landscape height"),
    k("landscape.cell_ha", "ha", num(0.01, 10_000.0), "Area of one cell"),
    k("landscape.concession_size", "cells", whole(2, 512), "Side of the square concession, centred"),
    k("landscape.core_size", "cells", whole(1, 512), "Side of the core (pit, plant) inside it"),
    k("landscape.protected_size", "cells", whole(0, 512), "Side of a protected area in a corner (0 = none)"),
    k("landscape.grade_core_g", "g/miner-week", num(0.0, 1000.0), "Starting ore yield per miner-week in the core"),
    k("landscape.core_access", "share", SHARE, "Share of the core's ore artisanal miners can reach (fences, pit depth)"),
    k("landscape.grade_concession_g", "g/miner-week", num(0.0, 1000.0), "Starting yield in the rest of the concession"),
    k("landscape.grade_community_g", "g/miner-week", num(0.0, 1000.0), "Starting yield on community land"),
    k("landscape.asm_zone_grade_g", "g/miner-week", num(0.0, 1000.0), "Yield of a designated ASM zone's best cells (what local geology allows)"),
    k("landscape.grade_variation", "lognormal sigma", num(0.0, 3.0), "Spread of cell yields"),
    k("landscape.depletion_per_miner_week", "share", SHARE, "Share of a cell's yield removed per miner-week"),
    k("landscape.cell_capacity", "miners", num(1.0, 10_000.0), "Miners a cell holds before crowding cuts output"),
    k("economy.gold_price_usd_per_g", "USD/g", num(0.01, 1e6), "World gold price at the start"),
    k("economy.price_volatility", "per year", num(0.0, 2.0), "Annual volatility of the gold price"),
    k("economy.price_shock_week", "week", whole(0, 5200), "Week of a price shock"),
    k("economy.price_shock_factor", "multiplier", num(0.05, 20.0), "Price multiplier at the shock (1 = none)"),
    k("economy.price_shock_decay_weeks", "weeks", num(1.0, 100_000.0), "E-folding time of the shock"),
    k("economy.alternative_income_usd_week", "USD/week", num(0.0, 1e6), "Wage of farm or wage work"),
    k("economy.outside_option_access", "share", SHARE, "Share of that wage a miner can realistically get"),
    k("economy.buyer_price_share", "share", SHARE, "Share of the world price informal buyers pay"),
    k("economy.mining_cost_usd_week", "USD/week", num(0.0, 1e6), "A miner's weekly costs at the pit"),
    k("economy.asm_elsewhere_factor", "multiplier", num(0.0, 10.0), "Yield of ASM sites beyond the area, relative to community land far from this deposit (0: nowhere else to dig)"),
    k("season.rainy_start_week", "week of year", whole(0, 51), "Start of the rainy season"),
    k("season.rainy_weeks", "weeks", whole(0, 52), "Length of the rainy season"),
    k("season.rain_productivity_loss", "share", SHARE, "Output lost in the rains"),
    k("season.farming_start_week", "week of year", whole(0, 51), "Start of the planting season"),
    k("season.farming_weeks", "weeks", whole(0, 52), "Length of the planting season"),
    k("season.farming_pull", "share", num(0.0, 10.0), "Extra value of the farm option for locals then"),
    k("miners.initial", "miners", whole(0, 1_000_000), "Miners at the start"),
    k("miners.max", "miners", whole(1, 2_000_000), "Most miners the area holds at once"),
    k("miners.migrant_share", "share", SHARE, "Share of migrants (tied to financiers, not chiefs)"),
    k("miners.criminal_financed_share", "share", SHARE, "Share financed by criminal networks"),
    k("miners.inside_concession_share", "share", SHARE, "Share digging inside the concession at the start"),
    k("miners.inflow_per_week", "miners/week", num(0.0, 1e6), "Migrant inflow when ASM pays twice the outside option"),
    k("miners.leave_rate", "per week", SHARE, "Chance a miner earning below the outside option leaves"),
    k("miners.risk_aversion", "0-1", SHARE, "Mean weight miners give to expected enforcement losses"),
    k("miners.action_threshold", "share", SHARE, "Mean share of peers a miner waits for before joining action"),
    k("miners.grievance_initial", "0-1", SHARE, "Mean grievance toward the company at the start"),
    k("miners.trust_initial", "0-1", SHARE, "Mean trust in the company at the start"),
    k("miners.planning_weeks", "weeks", num(1.0, 5200.0), "Weeks ahead a miner weighs when deciding whether a permit pays"),
    k("miners.local_mobility", "share", SHARE, "How readily locals move away to dig elsewhere, relative to migrants"),
    k("chiefs.count", "chiefs", whole(1, 250), "Customary authorities, each with a territory"),
    k("chiefs.legitimacy", "0-1", SHARE, "How far miners follow their chief"),
    k("chiefs.levy_share", "share", SHARE, "Share of ore a chief takes as levy"),
    k("chiefs.capture", "share", SHARE, "Share of benefits passed through a chief that he keeps"),
    k("chiefs.recognition_gain", "per week", SHARE, "Weekly recognition a chief gains when engagement runs through him at full intensity"),
    k("chiefs.affront_per_eviction", "per miner", SHARE, "Recognition a chief loses per miner evicted by force from his land"),
    k("officials.corruption", "0-1", SHARE, "Local mining official's corruption"),
    k("officials.permit_weeks", "weeks", whole(0, 5200), "Permit processing time"),
    k("officials.permits_per_week", "permits/week", whole(0, 100_000), "Permit processing capacity"),
    k("officials.permit_fee_usd", "USD", num(0.0, 1e9), "Fees and paperwork of a small-scale permit"),
    k("officials.bribe_share", "share", SHARE, "Share of income an informal miner pays at full corruption"),
    k("officials.shutdown_rate", "per week", SHARE, "Chance an informal site is shut down at full corruption"),
    k("security.abuse_propensity", "share", SHARE, "Abuse allegations per forceful operation, untrained (x0.3 without a clash; x(1 + crowd/10) in a clash; x(1 + crowd/200) clearing a blockade)"),
    k("security.vp_abuse_reduction", "share", SHARE, "Share of abuse avoided with Voluntary Principles training"),
    k("security.forces_weeks", "weeks", whole(1, 520), "Length of a state-forces deployment"),
    k("security.guard_ops_per_week", "raids/week", num(0.0, 1000.0), "Raids per week of a full guard force"),
    k("security.forces_ops_per_week", "operations/week", num(0.0, 1000.0), "Operations per week of a state-forces deployment the company asked for"),
    k("security.crackdown_ops_per_week", "operations/week", num(0.0, 1000.0), "Operations per week of a pre-election crackdown (on illegal and on legal land each)"),
    k("security.forces_hit_rate", "share", SHARE, "Share of state-force operations that find a target"),
    k("security.forces_violence_factor", "multiplier", num(0.0, 10.0), "How much likelier a clash with state forces turns violent than one with guards"),
    k("security.forces_lethality_factor", "multiplier", num(0.0, 10.0), "Deaths per violent incident with state forces, relative to guards"),
    k("security.forces_abuse_factor", "multiplier", num(0.0, 10.0), "Abuse allegations per state-force operation, relative to guards"),
    k("security.forces_trust_credit", "share", SHARE, "Share of the restraint miners' trust in the company buys that state forces also get"),
    k("security.mistaken_raid_share", "share", SHARE, "Share of guard raids on legitimate miners next door when the company knows nothing of local ASM"),
    k("security.guard_deterrence", "share", SHARE, "Share of attacks on staff or assets a full guard force prevents"),
    k("security.early_warning", "share", SHARE, "Rise in collective-action thresholds when a company that answers with dialogue hears of a mobilisation early (at full knowledge)"),
    k("security.rent_seeking", "share", SHARE, "Share of state agents who sell protection to illegal miners on the concession (payers are tipped off before state operations)"),
    k("security.forces_fee_pressure", "share", SHARE, "Share of the forces' weekly fee the company is pressed to pay when forces it did not request operate on its concession"),
    k("government.repression_history", "0-1", SHARE, "How far miners distrust and fear the government"),
    k("government.election_interval_weeks", "weeks", whole(0, 5200), "Weeks between elections (0 = none)"),
    k("government.election_behaviour", "", Range::Choice(&["crackdown", "leniency", "none"]), "What the government does before an election"),
    k("government.election_window_weeks", "weeks", whole(0, 520), "How long before an election that behaviour lasts"),
    k("government.responsiveness", "0-1", SHARE, "How far the government answers company cues"),
    k("government.cession_legal", "", Range::Bool, "The law lets a company cede permit area to ASM"),
    k("government.lease_legal", "", Range::Bool, "The law lets a company lease concession land to an ASM operator"),
    k("government.offtake_legal", "", Range::Bool, "The law lets a company buy ASM output (off-take)"),
    k("government.monopoly_buyer_week", "week", whole(0, 5200), "Week a state monopoly buyer of ASM output is created (0 = never): off-take stops, formal miners sell to it"),
    k("government.monopoly_price_share", "share", SHARE, "Share of the world price the state monopoly pays"),
    k("ngo.trust", "0-1", SHARE, "Miners' trust in local NGOs"),
    k("channels.direct_reach", "share/week", SHARE, "Miners the company's own team reaches per week at the top rung of the direct ladder, full intensity"),
    k("channels.indirect_reach", "share/week", SHARE, "Miners a third party reaches per week at full intensity"),
    k("channels.msi_ramp_weeks", "weeks", num(1.0, 520.0), "Weeks a multi-stakeholder initiative takes to reach full stride"),
    k("channels.chief_migrant_reach", "share", SHARE, "A chief's standing with migrants, as a share of chiefs' legitimacy"),
    k("channels.messenger_weight", "0-1", SHARE, "How far miners judge engagement by its messenger (0: every messenger fully credible)"),
    k("channels.exposure_fear", "0-1", SHARE, "How far a miner digging illegally discounts an approach by the company or the government (fear of being identified)"),
    k("channels.condoning", "share", SHARE, "Share of his fear of raids an illegal miner loses each time the company engages him directly (talk read as tolerance)"),
    k("channels.staff_risk", "per incident/week", num(0.0, 100.0), "Direct contacts are cut by exp(-staff_risk x recent violent incidents per week)"),
    k("channels.learning_reach", "share/week", num(0.001, 1.0), "Weekly share of miners in open contact at which engagement teaches the company all it can"),
    k("company.stoppage_cost_usd_day", "USD/day", num(0.0, 1e10), "Cost of a day of blockade or stoppage"),
    k("company.discount_rate", "per year", num(0.0, 1.0), "Discount rate of the NPV cost"),
    k("company.guard_cost_usd_week", "USD/week", num(0.0, 1e10), "Guard force at full intensity"),
    k("company.forces_fee_usd_week", "USD/week", num(0.0, 1e10), "Contribution to deployed state forces"),
    k("company.monitoring_cost_usd_week", "USD/week", num(0.0, 1e10), "ASM monitoring at full level"),
    k("company.core_loss_per_miner_week_usd", "USD", num(0.0, 1e6), "Ore theft and disruption per miner-week in the core"),
    k("company.periphery_loss_per_miner_week_usd", "USD", num(0.0, 1e6), "Disruption per miner-week in the rest of the concession"),
    k("company.damage_per_attack_usd", "USD", num(0.0, 1e12), "Theft and damage per attack on staff or assets"),
    k("company.hr_allegation_cost_usd", "USD", num(0.0, 1e12), "Legal and reputational cost per human-rights allegation"),
    k("company.fatality_cost_usd", "USD", num(0.0, 1e12), "Legal and reputational cost per death"),
    k("company.tainted_supply_cost_usd", "USD", num(0.0, 1e12), "Cost when criminal-financed gold is found in the company's chain"),
    k("company.due_diligence_cost_usd_week", "USD/week", num(0.0, 1e10), "Due diligence at full level"),
    k("company.chain_of_custody_usd_week", "USD/week", num(0.0, 1e10), "Chain of custody system"),
    k("company.ta_cost_usd_miner_week", "USD", num(0.0, 1e6), "Technical assistance per supported miner-week"),
    k("company.ta_productivity_gain", "share", num(0.0, 5.0), "Output gain of supported miners"),
    k("company.zone_setup_usd", "USD", num(0.0, 1e12), "Setting up an ASM zone or lease"),
    k("company.job_cost_usd_week", "USD/week", num(0.0, 1e6), "Wage of a former miner employed at the mine"),
    k("company.resale_share", "share", SHARE, "Share of the world price realised on resale of bought ASM gold"),
    k("company.lease_fee_share", "share", SHARE, "Lease fee an ASM operator pays the concession holder"),
    k("company.dd_detection_per_week", "per week", SHARE, "Weekly chance full due diligence detects a criminal-financed supplier"),
    k("company.tainted_exposure_per_week", "per week", SHARE, "Weekly chance undetected criminal gold in the company's chain comes to light"),
    k("company.offtake_suspension_weeks", "weeks", whole(0, 520), "Weeks off-take is suspended for an audit after a tainted-supply finding"),
    k("company.livelihood_cost_usd_person", "USD", num(1.0, 1.0e6), "One-off cost of taking a miner through an alternative-livelihood programme"),
    k("company.livelihood_access", "share", SHARE, "Share of the alternative income a programme graduate can earn outside mining"),
    k("company.attack_targets_per_week", "attacks/week", num(0.0, 1000.0), "Most attacks on staff or assets a week can bring with no guards (exposed targets bound them)"),
    k("company.attack_theft_share", "share", SHARE, "Share of an attack's cost that is stolen ore or gold, valued at the current gold price"),
    k("behaviour.eviction_grievance", "0-1", SHARE, "Grievance added to a miner evicted by force"),
    k("behaviour.abuse_grievance", "0-1", SHARE, "Grievance added to a miner abused by security"),
    k("behaviour.outrage_per_incident", "0-1", SHARE, "Grievance added to every miner per abuse allegation (3x per death)"),
    k("behaviour.grievance_memory_weeks", "weeks", num(1.0, 100_000.0), "Time for grievance to fade back toward baseline"),
    k("behaviour.trust_memory_weeks", "weeks", num(1.0, 100_000.0), "Time for trust to fade back toward baseline (relationships last)"),
    k("behaviour.hardship_grievance", "per week", SHARE, "Weekly grievance from earning below the outside option"),
    k("behaviour.engagement_trust_gain", "0-1", SHARE, "Trust gained by a miner reached by fully effective engagement"),
    k("behaviour.expectation_usd_week", "USD/miner-week", num(0.0, 1e6), "Benefits miners expect from a mine next door at the starting gold price (credible engagement tempers this)"),
    k("behaviour.broken_promise_grievance", "per week", SHARE, "Weekly grievance when delivered benefits fall short"),
    k("behaviour.chief_influence", "per week", SHARE, "Weekly pull of a chief's stance on his followers"),
    k("behaviour.clash_violence", "share", SHARE, "Chance a clash turns violent"),
    k("behaviour.fatalities_per_violent", "deaths", num(0.0, 100.0), "Mean deaths per violent incident"),
    k("behaviour.attack_rate", "per week", SHARE, "Weekly attacks on staff or assets per highly aggrieved miner"),
    k("behaviour.blockade_share", "share", SHARE, "Share of miners in collective action that makes a blockade"),
    k("behaviour.rush_migrant_share", "share", SHARE, "Share of newcomers who are migrants"),
    k("behaviour.eviction_trust_loss", "0-1", SHARE, "Trust lost by a miner evicted by force"),
    k("behaviour.abuse_trust_loss", "0-1", SHARE, "Trust lost by a miner abused by security"),
    k("behaviour.expectation_tempering", "share", SHARE, "Most a credible message from the company tempers what a miner expects from the mine"),
    k("behaviour.trust_restraint", "share", SHARE, "How far trust in the company restrains what grievance drives (joining action, resisting eviction)"),
    k("behaviour.chief_calm", "share", SHARE, "How far a chief's stance (times his legitimacy) moves his followers' thresholds for collective action"),
    k("behaviour.licence_sensitivity", "multiplier", num(0.0, 10.0), "How strongly the social licence reacts to allegations, deaths, forced evictions and tainted supply (0: not at all)"),
    k("strategies.*.preset", "", Range::Choice(&[ "confrontation", "coexistence", "cohabitation", "collaboration", "hands_off_then_respond", "stepwise", ]), "Preset the strategy starts from (the last two are adaptive)"),
    k("strategies.*.description", "", Range::Text, "One line for reports"),
    k("strategies.*.security.guard_intensity", "0-1", SHARE, "Guard effort"),
    k("strategies.*.security.enforced_area", "", Range::Choice(&["core", "concession"]), "Where guards act: no-go zone around the core, or the whole concession"),
    k("strategies.*.security.no_go_buffer_cells", "cells", whole(0, 512), "Buffer around the core in the no-go zone"),
    k("strategies.*.security.eviction", "", Range::Choice(&["none", "negotiated", "forced"]), "What happens to miners found in the enforced area"),
    k("strategies.*.security.compensation_usd", "USD", num(0.0, 1e9), "Payment per miner for negotiated voluntary departure"),
    k("strategies.*.security.last_resort_force", "", Range::Bool, "Force those who refuse a negotiated departure"),
    k("strategies.*.security.call_state_forces", "", Range::Bool, "Ask the government for state forces when incursions pass the trigger"),
    k("strategies.*.security.forces_trigger_incursions", "miner-weeks/week", num(0.0, 1e7), "Incursions that trigger the request"),
    k("strategies.*.security.vp_training", "", Range::Bool, "Guards and paid forces trained under the Voluntary Principles"),
    k("strategies.*.security.security_in_engagement", "", Range::Bool, "Security staff take part in engagement"),
    k("strategies.*.security.blockade_response", "", Range::Choice(&["force", "dialogue"]), "How the company answers a blockade"),
    k("strategies.*.compliance.monitoring", "0-1", SHARE, "Monitoring and reporting of ASM: knowledge of who digs where"),
    k("strategies.*.compliance.chain_of_custody", "", Range::Bool, "Internal chain of custody"),
    k("strategies.*.compliance.due_diligence", "0-1", SHARE, "Weekly chance of detecting a criminal-financed supplier"),
    k("strategies.*.engagement.channel", "", Range::Choice(&[ "none", "direct", "government", "chief", "ngo", "multistakeholder", ]), "Who carries engagement to the miners"),
    k("strategies.*.engagement.start_week", "week", whole(0, 5200), "First week of engagement"),
    k("strategies.*.engagement.intensity", "0-1", SHARE, "Engagement effort"),
    k("strategies.*.investment.community_projects_usd_week", "USD/week", num(0.0, 1e10), "Generic community projects"),
    k("strategies.*.investment.miner_support_usd_week", "USD/week", num(0.0, 1e10), "Permit-fee subsidies, loans and technical assistance for miners"),
    k("strategies.*.investment.exit_jobs_per_year", "jobs/year", num(0.0, 1e6), "Jobs at the mine offered to miners"),
    k("strategies.*.investment.return_home_usd", "USD", num(0.0, 1e9), "Support to a migrant who returns home"),
    k("strategies.*.investment.livelihoods_usd_week", "USD/week", num(0.0, 1.0e9), "Alternative livelihoods (farming, skills, jobs outside mining) for miners"),
    k("strategies.*.interventions.formalisation_support", "", Range::Bool, "Support formalisation with the government (pay permit fees)"),
    k("strategies.*.interventions.asm_zone", "", Range::Choice(&["none", "outside", "ceded"]), "Designated ASM zone"),
    k("strategies.*.interventions.asm_zone_cells", "cells", whole(0, 262_144), "Size of the ASM zone"),
    k("strategies.*.interventions.programme_start_week", "week", whole(0, 5200), "Week the zone or lease is proposed"),
    k("strategies.*.interventions.lease_share", "share", SHARE, "Share of the concession periphery leased to an ASM operator"),
    k("strategies.*.interventions.offtake", "", Range::Bool, "Buy eligible ASM output"),
    k("strategies.*.interventions.offtake_price_share", "share", SHARE, "Price paid under off-take, share of world price"),
    k("strategies.*.interventions.lobbying", "0-1", SHARE, "Policy clout spent on shortening the permit regime"),
    k("strategies.*.phases", "", Range::Structure("[strategies.<name>.phases.<phase>] tables, each a preset plus lever overrides (up to 3)"), "Further phases of an adaptive strategy; its own levers are phase `start`"),
    k("strategies.*.triggers", "", Range::Structure("[[strategies.<name>.triggers]] tables: from, to, when = [\"SIGNAL OP NUMBER\", ...], window_weeks, min_weeks_in_phase"), "When an adaptive strategy moves between phases (signals: week, incursions, conflict_incidents, blockade_days, fatalities, violent_incidents, tainted_supply, trust, grievance, social_licence, gold_price)"),
];

/// The metadata of a dotted key, matching `strategies.<name>.` against `strategies.*.`.
pub fn find(key: &str) -> Option<&'static KeyInfo> {
    let pattern = match key.strip_prefix("strategies.") {
        Some(rest) => match rest.split_once('.') {
            Some((_, tail)) => format!("strategies.*.{tail}"),
            None => return None,
        },
        None => key.to_string(),
    };
    KEYS.iter().find(|info| info.key == pattern)
}
