//! Where every scenario key's value comes from: a public source (author, year; the seed) or
//! an explicit "assumption", and for the uncertain ones a plausible range. `cohabit keys`
//! prints it beside each key; the shipped uncertainty design of `cohabit fit` and the
//! robustness analysis (ODD 9.12) draw their ranges from it. Kept apart from `keys` (units
//! and valid values) so that a key's provenance can be reviewed on its own.

/// The provenance of one scenario key.
#[derive(Debug, Clone, Copy)]
pub struct Provenance {
    pub key: &'static str,
    /// The range of values a site could plausibly have, when the value is uncertain (a
    /// narrower, substantive range inside the valid values); `None` for settings that are
    /// technical, structural or a strategy's own choice.
    pub plausible: Option<(f64, f64)>,
    /// The source, or "assumption" (first word) where no public figure exists.
    pub source: &'static str,
}

impl Provenance {
    /// No public figure: a value to sweep, not a fact.
    pub fn is_assumption(&self) -> bool {
        self.source.starts_with("assumption")
    }
}

const fn p(key: &'static str, plausible: Option<(f64, f64)>, source: &'static str) -> Provenance {
    Provenance {
        key,
        plausible,
        source,
    }
}

/// Every key's provenance, in the order of [`super::KEYS`].
#[rustfmt::skip]
pub const PROVENANCE: &[Provenance] = &[
    p("name", None, "technical"),
    p("description", None, "technical"),
    p("weeks", None, "design choice (10-year horizon)"),
    p("seeds", None, "technical"),
    p("master_seed", None, "technical"),
    p("timeseries_every_weeks", None, "technical"),
    p("landscape.width", None, "assumption (room for a 40-cell concession in community land)"),
    p("landscape.height", None, "assumption"),
    p("landscape.cell_ha", None, "design choice (6.25 ha cells); informational (area of a cell for reporting), no rule uses it"),
    p("landscape.concession_size", None, "design choice (~100 km2 concession, a mid-size mine)"),
    p("landscape.core_size", None, "design choice (core of ~10 km2)"),
    p("landscape.protected_size", None, "assumption"),
    p("landscape.grade_core_g", Some((1.0, 3.0)), "assumption, calibrated to the DRC incomes by role (Geenen, Stoop & Verpoorten)"),
    p("landscape.core_access", Some((0.2, 1.0)), "assumption"),
    p("landscape.grade_concession_g", Some((0.7, 2.0)), "assumption, calibrated as above; seed: ASM found the deposit first"),
    p("landscape.grade_community_g", Some((0.2, 0.8)), "assumption, calibrated as above"),
    p("landscape.asm_zone_grade_g", Some((0.5, 1.5)), "assumption"),
    p("landscape.grade_variation", Some((0.2, 1.0)), "assumption"),
    p("landscape.depletion_per_miner_week", Some((0.0001, 0.0005)), "assumption"),
    p("landscape.cell_capacity", Some((6.0, 24.0)), "assumption"),
    p("economy.gold_price_usd_per_g", Some((50.0, 120.0)), "World Gold Council (2024 average USD 2,386/oz)"),
    p("economy.price_volatility", Some((0.1, 0.3)), "assumption (gold's annual volatility has been about 15% over recent decades)"),
    p("economy.price_shock_week", None, "assumption (scenario design)"),
    p("economy.price_shock_factor", Some((1.0, 2.0)), "assumption (scenario design; 1 = no shock)"),
    p("economy.price_shock_decay_weeks", Some((26.0, 104.0)), "assumption"),
    p("economy.alternative_income_usd_week", Some((35.0, 105.0)), "Geenen, Stoop & Verpoorten (DRC gold survey): reservation wage ~USD 10/day"),
    p("economy.outside_option_access", Some((0.2, 0.8)), "assumption (Geenen et al.: at USD 10/day most diggers would quit, so few can get it)"),
    p("economy.buyer_price_share", Some((0.55, 0.97)), "van der Merwe, Brugger & Guenther 2024 (~94% in normal times)"),
    p("economy.mining_cost_usd_week", Some((1.0, 10.0)), "assumption"),
    p("economy.asm_elsewhere_factor", Some((0.5, 2.0)), "seed (\"solving ASM on one concession usually displaces it elsewhere\"); Operation Mercurio: mining moved to neighbouring areas (InSight Crime, AP); value assumption"),
    p("season.rainy_start_week", None, "assumption (West African rains from June)"),
    p("season.rainy_weeks", None, "assumption"),
    p("season.rain_productivity_loss", Some((0.1, 0.5)), "assumption"),
    p("season.farming_start_week", None, "assumption"),
    p("season.farming_weeks", None, "assumption"),
    p("season.farming_pull", Some((0.2, 1.0)), "assumption"),
    p("miners.initial", Some((500.0, 10000.0)), "assumption (a mid-size site; rush sites reach 40,000 people, BRGM 2012)"),
    p("miners.max", None, "assumption (rush sites reach 40,000: BRGM 2012)"),
    p("miners.migrant_share", Some((0.1, 0.7)), "assumption (migrants a minority outside rushes)"),
    p("miners.criminal_financed_share", Some((0.0, 0.5)), "assumption"),
    p("miners.inside_concession_share", Some((0.3, 0.8)), "Patel et al. 2016 (52% of ASM in Ghana's gold belt inside LSM concessions)"),
    p("miners.inflow_per_week", Some((1.0, 20.0)), "assumption"),
    p("miners.leave_rate", Some((0.02, 0.2)), "assumption"),
    p("miners.risk_aversion", Some((0.3, 0.7)), "assumption (Epstein 2002 draws risk aversion uniformly on 0-1)"),
    p("miners.action_threshold", Some((0.2, 0.5)), "assumption (form: Granovetter 1978)"),
    p("miners.grievance_initial", Some((0.1, 0.5)), "assumption"),
    p("miners.trust_initial", Some((0.1, 0.5)), "assumption"),
    p("miners.planning_weeks", Some((52.0, 260.0)), "assumption (form: a miner weighs a permit over a planning horizon that discounts later gains)"),
    p("miners.local_mobility", Some((0.2, 0.8)), "assumption (migrants are tied to financiers who move crews; locals to land and family)"),
    p("chiefs.count", None, "assumption (a few customary authorities around a concession)"),
    p("chiefs.legitimacy", Some((0.1, 0.9)), "assumption"),
    p("chiefs.levy_share", Some((0.05, 0.2)), "assumption (seed: a chief \"gets a share of ore each week\")"),
    p("chiefs.capture", Some((0.1, 0.6)), "assumption (seed: elite capture)"),
    p("chiefs.recognition_gain", Some((0.005, 0.05)), "seed (a chief \"who feels ignored\" turns miners against the company; one who is recognised can calm them); value assumption"),
    p("chiefs.affront_per_eviction", Some((0.0, 0.002)), "assumption (forced evictions on customary land an affront to the chief)"),
    p("officials.corruption", Some((0.1, 0.8)), "assumption"),
    p("officials.permit_weeks", Some((8.0, 156.0)), "assumption (for comparison: Fairmined certification takes 6-24 months)"),
    p("officials.permits_per_week", Some((5.0, 50.0)), "assumption"),
    p("officials.permit_fee_usd", Some((100.0, 1000.0)), "assumption"),
    p("officials.bribe_share", Some((0.03, 0.15)), "assumption"),
    p("officials.shutdown_rate", Some((0.005, 0.05)), "assumption"),
    p("security.abuse_propensity", Some((0.05, 0.4)), "assumption (security-force violence documented at North Mara, RAID 2022, contested; no rate)"),
    p("security.vp_abuse_reduction", Some((0.3, 0.8)), "assumption"),
    p("security.forces_weeks", Some((4.0, 26.0)), "assumption (operation sizes public, durations not: Operation Vanguard, Operation Mercurio)"),
    p("security.guard_ops_per_week", Some((2.0, 10.0)), "assumption (no public rate of security operations)"),
    p("security.forces_ops_per_week", Some((5.0, 40.0)), "assumption (operation sizes are public, rates are not: Ghana Operation Vanguard, 400 personnel; Peru Operation Mercurio, 1,572)"),
    p("security.crackdown_ops_per_week", Some((1.0, 8.0)), "assumption (seed: crackdowns for show before elections)"),
    p("security.forces_hit_rate", Some((0.1, 0.6)), "assumption (forces know the ground little better than a patrol)"),
    p("security.forces_violence_factor", Some((1.0, 3.0)), "assumption (North Mara: >=77 killed by mine-assigned police, RAID 2022, contested)"),
    p("security.forces_lethality_factor", Some((1.0, 4.0)), "assumption (North Mara, RAID 2022, contested; company split ~15% police-related fatalities)"),
    p("security.forces_abuse_factor", Some((1.0, 3.0)), "assumption (seed: military operations \"generate human rights abuses\")"),
    p("security.forces_trust_credit", Some((0.0, 0.5)), "assumption (miners do not credit the state with the company's relationships; seed: repressive government)"),
    p("security.mistaken_raid_share", Some((0.1, 0.5)), "assumption (seed: co-existence needs \"an extremely thorough understanding of the local ASM\")"),
    p("security.guard_deterrence", Some((0.2, 0.8)), "assumption (seed: security and asset protection is the first pillar)"),
    p("security.early_warning", Some((0.1, 0.4)), "assumption (seed: monitoring and reporting feed decision makers; Goldfields handbook: relationships decide whether diplomacy works)"),
    p("security.rent_seeking", Some((0.0, 0.7)), "seed (\"a local mining official may be paid off by miners\"; forces press companies for fees); value assumption"),
    p("security.forces_fee_pressure", Some((0.0, 1.0)), "seed (\"the military may be pressuring LSM companies to contribute to their fees in return for clearing their concessions\"); value assumption"),
    p("government.repression_history", Some((0.1, 0.9)), "assumption"),
    p("government.election_interval_weeks", None, "design choice (elections every five years)"),
    p("government.election_behaviour", None, "seed (crackdowns for show, or leniency to win votes)"),
    p("government.election_window_weeks", None, "assumption"),
    p("government.responsiveness", Some((0.1, 0.9)), "assumption (seed: governments \"respond to cues from the companies\")"),
    p("government.cession_legal", None, "seed (cession \"only possible in certain legal contexts\"); precedent: AngloGold Ashanti ceded ~60% of its Obuasi lease"),
    p("government.lease_legal", None, "seed (collaboration \"where the legal framework permits such practices\"); precedent: Suriname concession leasing, Healy & Heemskerk 2005"),
    p("government.offtake_legal", None, "seed (sourcing from ASM \"where the legal framework permits\")"),
    p("government.monopoly_buyer_week", None, "Mutoshi pilot (Chemaf/Trafigura/Pact, DRC, 2018-2020): ended when the state created a monopoly buyer; timing a scenario choice"),
    p("government.monopoly_price_share", Some((0.5, 0.95)), "assumption (local prices fell to ~55% of world price in a shock, van der Merwe et al. 2024)"),
    p("ngo.trust", Some((0.3, 0.9)), "assumption"),
    p("channels.direct_reach", Some((0.1, 0.4)), "seed (the five-step ladder: conversations, leaders, wider meetings, site visits, formalised); value assumption"),
    p("channels.indirect_reach", Some((0.05, 0.25)), "seed (third parties \"already have contacts and have built trust\"); value assumption"),
    p("channels.msi_ramp_weeks", Some((26.0, 104.0)), "seed (multi-stakeholder initiatives \"complex and relatively slow, but often fruitful\"); value assumption"),
    p("channels.chief_migrant_reach", Some((0.0, 0.6)), "seed (migrants are tied to financiers and buyers, not chiefs); value assumption"),
    p("channels.messenger_weight", Some((0.5, 1.0)), "seed (indirect engagement works through a party \"that already has contacts and has built trust\"; through a distrusted government it undermines trust); value assumption"),
    p("channels.exposure_fear", Some((0.2, 0.8)), "seed (ASM actors \"unwilling or afraid to engage due to the informal or illegal nature of their activities\"); value assumption"),
    p("channels.condoning", Some((0.0, 0.1)), "seed (engaging illegal ASM can be read as condoning it); value assumption"),
    p("channels.staff_risk", Some((0.0, 3.0)), "seed (\"safety and security risks involved for company employees\"); value assumption"),
    p("channels.learning_reach", Some((0.05, 0.25)), "assumption (seed: engagement gives \"a nuanced picture of the ASM dynamics\")"),
    p("company.stoppage_cost_usd_day", Some((100000.0, 3000000.0)), "Franks et al. 2014 (~USD 20 M per week of delay for a USD 3-5 bn mine), scaled to a ~USD 1 bn mine"),
    p("company.discount_rate", None, "assumption (a common corporate discount rate)"),
    p("company.guard_cost_usd_week", Some((20000.0, 150000.0)), "assumption (no public cost of security operations)"),
    p("company.forces_fee_usd_week", Some((20000.0, 200000.0)), "assumption (no public cost; seed: the military may press companies to contribute to their fees)"),
    p("company.monitoring_cost_usd_week", Some((3000.0, 20000.0)), "assumption"),
    p("company.core_loss_per_miner_week_usd", Some((100.0, 1000.0)), "assumption"),
    p("company.periphery_loss_per_miner_week_usd", Some((5.0, 150.0)), "assumption"),
    p("company.damage_per_attack_usd", Some((20000.0, 500000.0)), "assumption"),
    p("company.hr_allegation_cost_usd", Some((10000.0, 100000.0)), "Gemfields/Montepuez settlement 2019: GBP 5.8 M for 273 claimants (~GBP 21k each, derived)"),
    p("company.fatality_cost_usd", Some((200000.0, 5000000.0)), "assumption"),
    p("company.tainted_supply_cost_usd", Some((500000.0, 10000000.0)), "assumption"),
    p("company.due_diligence_cost_usd_week", Some((10000.0, 50000.0)), "assumption"),
    p("company.chain_of_custody_usd_week", Some((3000.0, 20000.0)), "assumption"),
    p("company.ta_cost_usd_miner_week", Some((2.0, 20.0)), "assumption"),
    p("company.ta_productivity_gain", Some((0.1, 0.5)), "assumption (comparable: selling ore to a plant raised miner profit 22% in Madre de Dios, IISE Transactions 2024)"),
    p("company.zone_setup_usd", Some((500000.0, 5000000.0)), "assumption"),
    p("company.job_cost_usd_week", Some((60.0, 250.0)), "assumption"),
    p("company.resale_share", Some((0.95, 0.995)), "assumption"),
    p("company.lease_fee_share", Some((0.05, 0.2)), "Healy & Heemskerk 2005 (~10% fee in Suriname concession leasing)"),
    p("company.dd_detection_per_week", Some((0.02, 0.3)), "assumption (OECD DDG on-the-ground checks; no public detection rate)"),
    p("company.tainted_exposure_per_week", Some((0.002, 0.03)), "assumption (NGO, press and audit exposure; no public rate)"),
    p("company.offtake_suspension_weeks", Some((13.0, 52.0)), "assumption (an audit after a finding; Fairmined certification takes 6-24 months)"),
    p("company.livelihood_cost_usd_person", Some((300.0, 3000.0)), "assumption (no public unit cost of ASM alternative-livelihood programmes was found)"),
    p("company.livelihood_access", Some((0.5, 1.0)), "assumption (Responsible Mining Index D.09.2: alternative livelihood programmes for ASM miners)"),
    p("company.attack_targets_per_week", Some((1.0, 10.0)), "assumption (no public incident rate per mine was found)"),
    p("company.attack_theft_share", Some((0.2, 0.8)), "assumption (seed: theft of minerals and damage to infrastructure and equipment)"),
    p("behaviour.eviction_grievance", Some((0.05, 0.3)), "assumption"),
    p("behaviour.abuse_grievance", Some((0.2, 0.6)), "assumption"),
    p("behaviour.outrage_per_incident", Some((0.0, 0.01)), "assumption"),
    p("behaviour.grievance_memory_weeks", Some((26.0, 104.0)), "assumption"),
    p("behaviour.trust_memory_weeks", Some((52.0, 520.0)), "assumption"),
    p("behaviour.hardship_grievance", Some((0.0, 0.03)), "assumption"),
    p("behaviour.engagement_trust_gain", Some((0.03, 0.2)), "assumption"),
    p("behaviour.expectation_usd_week", Some((0.0, 15.0)), "assumption (mechanism: Christensen, \"Concession Stands\")"),
    p("behaviour.broken_promise_grievance", Some((0.0, 0.01)), "assumption"),
    p("behaviour.chief_influence", Some((0.01, 0.06)), "assumption"),
    p("behaviour.clash_violence", Some((0.1, 0.5)), "assumption"),
    p("behaviour.fatalities_per_violent", Some((0.02, 0.3)), "assumption"),
    p("behaviour.attack_rate", Some((0.0005, 0.005)), "assumption"),
    p("behaviour.blockade_share", Some((0.08, 0.3)), "assumption (form: Granovetter 1978)"),
    p("behaviour.rush_migrant_share", Some((0.5, 0.95)), "assumption"),
    p("behaviour.eviction_trust_loss", Some((0.05, 0.3)), "assumption (seed: forced evictions are \"the greatest threat to the social licence\")"),
    p("behaviour.abuse_trust_loss", Some((0.1, 0.4)), "assumption"),
    p("behaviour.expectation_tempering", Some((0.25, 0.75)), "Christensen, \"Concession Stands\" (transparency dampens expectations); value assumption"),
    p("behaviour.trust_restraint", Some((0.2, 0.8)), "seed (\"the success of diplomatic engagements with ASM depends heavily on company/community relationships built long before an ASM crisis\", Goldfields handbook); form after Epstein 2002 (legitimacy); value assumption"),
    p("behaviour.chief_calm", Some((0.1, 0.5)), "seed (\"a local chief may be vocal, but does he command the respect of the miners?\"); value assumption"),
    p("behaviour.licence_sensitivity", Some((0.5, 2.0)), "Goldfields handbook quoted in the seed (\"forced evictions are the greatest threat to the social license\"); scale assumption"),
    p("strategies.*.preset", None, "seed's four models (Levin Sources 2020)"),
    p("strategies.*.description", None, "technical"),
    p("strategies.*.security.guard_intensity", None, "assumption"),
    p("strategies.*.security.enforced_area", None, "seed (security zones; a no-go zone around the core)"),
    p("strategies.*.security.no_go_buffer_cells", None, "assumption"),
    p("strategies.*.security.eviction", None, "seed (forced evictions; negotiated voluntary departure)"),
    p("strategies.*.security.compensation_usd", None, "assumption (compensation levels for negotiated departure are not public)"),
    p("strategies.*.security.last_resort_force", None, "seed (displacement/resettlement as last resort)"),
    p("strategies.*.security.call_state_forces", None, "seed (confrontation: state forces called in)"),
    p("strategies.*.security.forces_trigger_incursions", None, "assumption"),
    p("strategies.*.security.vp_training", None, "Voluntary Principles on Security and Human Rights"),
    p("strategies.*.security.security_in_engagement", None, "seed (insight 6: security staff in engagement undermine trust)"),
    p("strategies.*.security.blockade_response", None, "assumption"),
    p("strategies.*.compliance.monitoring", None, "seed (monitoring and reporting; co-existence needs thorough knowledge); values assumption"),
    p("strategies.*.compliance.chain_of_custody", None, "seed (collaboration: chain of custody)"),
    p("strategies.*.compliance.due_diligence", None, "OECD Due Diligence Guidance; values assumption"),
    p("strategies.*.engagement.channel", None, "seed (insight 6: direct ladder; indirect through government, chiefs, NGOs, multi-stakeholder initiatives)"),
    p("strategies.*.engagement.start_week", None, "seed (relationships built long before a crisis)"),
    p("strategies.*.engagement.intensity", None, "assumption"),
    p("strategies.*.investment.community_projects_usd_week", None, "assumption"),
    p("strategies.*.investment.miner_support_usd_week", None, "seed (subsidies or interest-free loans for formalisation; technical assistance); amounts assumption"),
    p("strategies.*.investment.exit_jobs_per_year", None, "seed (employment at the mine); number assumption"),
    p("strategies.*.investment.return_home_usd", None, "seed (support for migrants to return home); amount assumption"),
    p("strategies.*.investment.livelihoods_usd_week", None, "seed (\"community development programmes to build people's economic options\"); RMI D.09.2; amount assumption"),
    p("strategies.*.interventions.formalisation_support", None, "seed (supporting formalisation with government)"),
    p("strategies.*.interventions.asm_zone", None, "seed (cohabitation: ASM zone outside the concession, or ceded permit area)"),
    p("strategies.*.interventions.asm_zone_cells", None, "assumption"),
    p("strategies.*.interventions.programme_start_week", None, "assumption"),
    p("strategies.*.interventions.lease_share", None, "seed (collaboration: lease part of the concession); share assumption"),
    p("strategies.*.interventions.offtake", None, "seed (collaboration: off-take or tributary arrangements)"),
    p("strategies.*.interventions.offtake_price_share", None, "assumption (above Fairmined's minimum of 95% of the LBMA price)"),
    p("strategies.*.interventions.lobbying", None, "seed (company clout; mining chambers); strength assumption"),
    p("strategies.*.phases", None, "seed (\"hands-off\", then forced to respond; direct stepwise engagement); Walker, Rahman & Cave 2001; Haasnoot et al. 2013"),
    p("strategies.*.triggers", None, "Walker, Rahman & Cave 2001 (signposts and triggers); thresholds a strategy's choice"),
];

/// The provenance of a dotted key (`strategies.<name>.` matched as `strategies.*.`).
pub fn provenance(key: &str) -> Option<&'static Provenance> {
    let info = super::keys::find(key)?;
    PROVENANCE.iter().find(|p| p.key == info.key)
}

/// The scenario reference as a Markdown table: every key with its unit, default, valid
/// values, plausible range, meaning and source (`cohabit keys`; also in the README).
pub fn reference_table() -> String {
    let default: toml::Table = super::DEFAULT_SCENARIO_TOML.parse().unwrap_or_default();
    let mut out = String::from(
        "| Key | Unit | Default | Valid values | Plausible | Meaning | Source |\n|---|---|---|---|---|---|---|\n",
    );
    for k in super::KEYS {
        let value = lookup(&default, k.key).map_or("per preset".to_string(), |v| v.to_string());
        let prov = provenance(k.key);
        let plausible = prov
            .and_then(|p| p.plausible)
            .map_or(String::new(), |(lo, hi)| format!("{lo} - {hi}"));
        let source = prov.map_or("", |p| p.source);
        out.push_str(&format!(
            "| `{}` | {} | {} | {} | {} | {} | {} |\n",
            k.key,
            k.unit,
            value,
            k.range.describe(),
            plausible,
            k.meaning,
            source
        ));
    }
    out
}

fn lookup<'a>(t: &'a toml::Table, key: &str) -> Option<&'a toml::Value> {
    let mut parts = key.split('.');
    let mut v = t.get(parts.next()?)?;
    for p in parts {
        v = v.as_table()?.get(p)?;
    }
    Some(v)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::{KEYS, Range};

    #[test]
    fn every_key_has_a_provenance_in_key_order() {
        let keys: Vec<&str> = KEYS.iter().map(|k| k.key).collect();
        let prov: Vec<&str> = PROVENANCE.iter().map(|p| p.key).collect();
        assert_eq!(keys, prov);
        for p in PROVENANCE {
            assert!(!p.source.trim().is_empty(), "{} has no source", p.key);
        }
    }

    #[test]
    fn plausible_ranges_lie_within_the_valid_values() {
        for p in PROVENANCE {
            let Some((lo, hi)) = p.plausible else {
                continue;
            };
            assert!(lo <= hi, "{}: {lo} > {hi}", p.key);
            let info = KEYS.iter().find(|k| k.key == p.key).unwrap();
            match info.range {
                Range::Number { min, max } => assert!(lo >= min && hi <= max, "{}", p.key),
                Range::Whole { min, max } => {
                    assert!(lo >= min as f64 && hi <= max as f64, "{}", p.key)
                }
                _ => panic!("{}: a plausible range on a non-numeric key", p.key),
            }
        }
    }
}
