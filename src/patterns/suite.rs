//! The seed's claims as checks (the model brief's "Patterns the model must be able to
//! reproduce"), each in the context where the seed says it holds and, where it says the
//! context changes it, in the context where it should vanish or reverse; plus calibration
//! targets from public figures.
//!
//! A check compares two arms (a strategy preset, some lever changes, some context changes)
//! on one measure that the arms' levers do not write directly (conflict, cost, displacement,
//! livelihoods; never the trust a channel sets). Every comparison has a **knock-out**: scenario
//! keys that switch off the mechanism the claim rests on; run with them, the effect must
//! vanish, or the check passes for some other reason than the one the seed gives. Nothing
//! here, nor anywhere in the model, special-cases a strategy's name or a check's context:
//! arms and knock-outs only set scenario keys, as a user could.

/// One side of a comparison: a preset, lever overrides (`section.lever=value` under the
/// strategy), context overrides (scenario keys) and, for the knock-out run, the keys that
/// switch the mechanism off (applied last).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Arm {
    pub preset: &'static str,
    pub levers: &'static [&'static str],
    pub context: &'static [&'static str],
    pub knockout: &'static [&'static str],
}

impl Arm {
    /// The same arm with a mechanism switched off.
    pub const fn without(self, knockout: &'static [&'static str]) -> Arm {
        Arm { knockout, ..self }
    }
}

/// What is measured on each replicate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    /// A run metric (runs.csv column).
    Metric(&'static str),
    /// The sum of run metrics.
    Sum(&'static [&'static str]),
    /// A timeseries metric over weeks (from, to]: flows summed, stocks averaged.
    Window {
        series: &'static str,
        from: u32,
        to: u32,
    },
}

/// What the seed leads us to expect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expect {
    /// a exceeds b (95% CI of the relative effect above zero).
    Higher,
    /// a falls short of b.
    Lower,
    /// a does not fall short of b (the 95% CI of the effect is not below zero): "it fails".
    NotLower,
    /// The a-b gap is smaller here than between `main` (paired difference in differences,
    /// 95% CI above zero in the direction of the main effect): the pattern vanishes or reverses.
    Weaker { main: (Arm, Arm), main_higher: bool },
    /// A single arm's mean lies within a range (calibration).
    Within(f64, f64),
}

/// One check of the suite.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Check {
    pub pattern: &'static str,
    pub context: &'static str,
    pub comparison: &'static str,
    pub measure: Measure,
    pub a: Arm,
    /// The other arm (none for calibration targets).
    pub b: Option<Arm>,
    pub expect: Expect,
    /// Keys that switch off the mechanism behind the effect (applied to every arm of the
    /// check); with them the effect must vanish. Empty for calibration targets.
    pub knockout: &'static [&'static str],
    /// The mechanism the knock-out switches off, in words.
    pub mechanism: &'static str,
}

const fn arm(preset: &'static str) -> Arm {
    Arm {
        preset,
        levers: &[],
        context: &[],
        knockout: &[],
    }
}
const fn with(
    preset: &'static str,
    levers: &'static [&'static str],
    context: &'static [&'static str],
) -> Arm {
    Arm {
        preset,
        levers,
        context,
        knockout: &[],
    }
}

const CONF: Arm = arm("confrontation");
const COEX: Arm = arm("coexistence");
const COHAB: Arm = arm("cohabitation");
const COLLAB: Arm = arm("collaboration");

/// A handful of scattered miners: little ASM pressure on the concession.
const FEW: &[&str] = &[
    "miners.initial=300",
    "miners.inflow_per_week=0.5",
    "miners.max=1500",
];
/// A crisis: a gold-price spike in year two.
const SPIKE: &[&str] = &[
    "economy.price_shock_week=104",
    "economy.price_shock_factor=1.8",
];
/// Government distrusted by miners (repressive history, corrupt agents) or trusted.
const DISTRUSTED: &[&str] = &[
    "government.repression_history=0.9",
    "officials.corruption=0.7",
];
const TRUSTED: &[&str] = &[
    "government.repression_history=0.1",
    "officials.corruption=0.1",
];
/// Chiefs miners follow, or vocal chiefs who do not command them.
const LEGITIMATE: &[&str] = &["chiefs.legitimacy=0.9"];
const WEAK: &[&str] = &["chiefs.legitimacy=0.15"];
/// ASM captured by criminal financiers, or free of them.
const CAPTURED: &[&str] = &["miners.criminal_financed_share=0.5"];
const CLEAN: &[&str] = &["miners.criminal_financed_share=0.0"];
/// A slow permit regime, and a fast one; a stalled, unresponsive government.
const SLOW: &[&str] = &["officials.permit_weeks=156"];
const FAST: &[&str] = &["officials.permit_weeks=8"];
const STALLED: &[&str] = &[
    "officials.permit_weeks=260",
    "government.responsiveness=0.05",
];

// Knock-outs: documented scenario keys that switch a mechanism off.
/// Escalation: what evictions, abuse and lost income do to miners' grievance and trust, to
/// chiefs' regard and to the community's licence.
const NO_ESCALATION: &[&str] = &[
    "behaviour.eviction_grievance=0",
    "behaviour.abuse_grievance=0",
    "behaviour.outrage_per_incident=0",
    "behaviour.eviction_trust_loss=0",
    "behaviour.abuse_trust_loss=0",
    "behaviour.hardship_grievance=0",
    "behaviour.licence_sensitivity=0",
    "chiefs.affront_per_eviction=0",
];
/// The harms of force: escalation, and violence and abuse in forced operations.
const NO_HARM_OF_FORCE: &[&str] = &[
    "behaviour.eviction_grievance=0",
    "behaviour.abuse_grievance=0",
    "behaviour.outrage_per_incident=0",
    "behaviour.eviction_trust_loss=0",
    "behaviour.abuse_trust_loss=0",
    "behaviour.hardship_grievance=0",
    "behaviour.licence_sensitivity=0",
    "chiefs.affront_per_eviction=0",
    "behaviour.clash_violence=0",
    "security.abuse_propensity=0",
];
/// Enforcement: guards and state forces do not act.
const NO_ENFORCEMENT: &[&str] = &[
    "security.guard_ops_per_week=0",
    "security.forces_ops_per_week=0",
    "security.crackdown_ops_per_week=0",
];
/// Displacement: nowhere beyond the area to dig.
const NOWHERE_ELSE: &[&str] = &["economy.asm_elsewhere_factor=0"];
/// Violence: no clash turns violent.
const NO_VIOLENCE: &[&str] = &["behaviour.clash_violence=0"];
/// Knowledge: what the company knows of local ASM changes nothing it does.
const KNOWLEDGE_IRRELEVANT: &[&str] =
    &["security.mistaken_raid_share=0", "security.early_warning=0"];
/// Programme benefits: an ASM zone's sited geology and technical assistance add nothing.
const NO_ZONE_BENEFIT: &[&str] = &[
    "landscape.asm_zone_grade_g=0",
    "company.ta_productivity_gain=0",
];
/// Formal status pays nothing: no official's bribes or shutdowns to escape, no technical
/// assistance, no off-take premium.
const FORMAL_PAYS_NOTHING: &[&str] = &[
    "officials.bribe_share=0",
    "officials.shutdown_rate=0",
    "company.ta_productivity_gain=0",
    "government.offtake_legal=false",
];
/// The lease and off-take are not allowed.
const NO_LEASE: &[&str] = &[
    "government.lease_legal=false",
    "government.offtake_legal=false",
];
/// Relationships: trust does not restrain what grievance drives.
const NO_RESTRAINT: &[&str] = &["behaviour.trust_restraint=0"];
/// The messenger: miners judge engagement by its content, not by who carries it.
const ANY_MESSENGER: &[&str] = &["channels.messenger_weight=0"];
/// Engagement: a contact changes no attitude, expectation or knowledge, and no chief's regard.
const NO_ENGAGEMENT_EFFECT: &[&str] = &[
    "behaviour.engagement_trust_gain=0",
    "behaviour.expectation_tempering=0",
    "channels.learning_reach=1",
    "chiefs.recognition_gain=0",
];
/// Chiefs' standing and sway: miners judge a messenger by content, and chiefs move nobody.
const CHIEFS_IRRELEVANT: &[&str] = &[
    "channels.messenger_weight=0",
    "behaviour.chief_influence=0",
    "behaviour.chief_calm=0",
];
/// Criminal gold in the chain: it never comes to light.
const NO_EXPOSURE: &[&str] = &["company.tainted_exposure_per_week=0"];
/// The rush: nobody arrives, and expectations do not follow the gold price.
const NO_RUSH: &[&str] = &[
    "miners.inflow_per_week=0",
    "behaviour.expectation_usd_week=0",
];
/// Deterrence: miners plan far enough ahead that a long wait does not put them off.
const PATIENT: &[&str] = &["miners.planning_weeks=5200"];

/// Co-existence engaging directly from the start, or only once a crisis is under way.
const EARLY: Arm = with("coexistence", &["engagement.start_week=0"], SPIKE);
const LATE: Arm = with("coexistence", &["engagement.start_week=130"], SPIKE);

/// Co-existence engaging through a given channel from the start, or not at all.
const fn channel(levers: &'static [&'static str], context: &'static [&'static str]) -> Arm {
    with("coexistence", levers, context)
}
const NO_TALK: &[&str] = &["engagement.channel=\"none\""];
const VIA_GOVERNMENT: &[&str] = &["engagement.channel=\"government\""];
const VIA_CHIEF: &[&str] = &["engagement.channel=\"chief\""];

/// Collective conflict: what aggrieved miners do on their own (not the clashes raids make).
const COLLECTIVE: Measure = Measure::Sum(&["attacks", "blockades"]);
const CONFLICT: Measure = Measure::Metric("conflict_incidents");

/// A comparison with its knock-out.
#[allow(clippy::too_many_arguments)]
const fn check(
    pattern: &'static str,
    context: &'static str,
    comparison: &'static str,
    measure: Measure,
    a: Arm,
    b: Arm,
    expect: Expect,
    knockout: &'static [&'static str],
    mechanism: &'static str,
) -> Check {
    Check {
        pattern,
        context,
        comparison,
        measure,
        a,
        b: Some(b),
        expect,
        knockout,
        mechanism,
    }
}

/// A calibration target under co-existence in the scenario's own context.
const fn target(
    context: &'static str,
    comparison: &'static str,
    measure: Measure,
    lo: f64,
    hi: f64,
) -> Check {
    Check {
        pattern: "calibration",
        context,
        comparison,
        measure,
        a: COEX,
        b: None,
        expect: Expect::Within(lo, hi),
        knockout: &[],
        mechanism: "",
    }
}

/// The suite, in the order of the model brief's list.
#[rustfmt::skip]
pub const CHECKS: &[Check] = &[
    // 1. Confrontation raises tension: aggrieved miners attack and blockade more, despite a
    //    short-term drop in incursions.
    check("confrontation_raises_tension", "default", "confrontation vs coexistence", COLLECTIVE, CONF, COEX, Expect::Higher, NO_ESCALATION, "escalation: grievance and distrust from evictions and abuse"),
    check("confrontation_raises_tension", "default, first 26 weeks", "confrontation vs coexistence", Measure::Window { series: "incursions", from: 0, to: 26 }, CONF, COEX, Expect::Lower, NO_ENFORCEMENT, "enforcement: guards and forces evict"),
    check("confrontation_raises_tension", "few scattered miners", "confrontation vs coexistence", COLLECTIVE, with("confrontation", &[], FEW), with("coexistence", &[], FEW), Expect::Weaker { main: (CONF, COEX), main_higher: true }, NO_ESCALATION, "escalation: grievance and distrust from evictions and abuse"),
    // 2. Forced eviction displaces ASM rather than ending it.
    check("forced_eviction_displaces", "default", "confrontation vs coexistence", Measure::Metric("displaced"), CONF, COEX, Expect::Higher, NOWHERE_ELSE, "evictees' choice to dig beyond the area"),
    check("forced_eviction_displaces", "default", "confrontation, full guard force vs a third", Measure::Metric("displaced"), with("confrontation", &["security.guard_intensity=1.0"], &[]), with("confrontation", &["security.guard_intensity=0.33"], &[]), Expect::Higher, NOWHERE_ELSE, "evictees' choice to dig beyond the area"),
    // 3. Co-existence avoids escalation and keeps costs manageable, but needs a thorough
    //    understanding of the local ASM.
    check("coexistence_avoids_escalation", "default", "coexistence vs confrontation", Measure::Metric("fatalities"), COEX, CONF, Expect::Lower, NO_VIOLENCE, "violence in forced operations"),
    check("coexistence_avoids_escalation", "default", "coexistence vs confrontation", Measure::Metric("emergent_cost_npv_usd"), COEX, CONF, Expect::Lower, NO_HARM_OF_FORCE, "the harms of force: escalation, violence and abuse"),
    check("coexistence_avoids_escalation", "poor knowledge of local ASM (monitoring 0.05)", "coexistence, poor vs thorough knowledge", CONFLICT, with("coexistence", &["compliance.monitoring=0.05"], &[]), COEX, Expect::Higher, KNOWLEDGE_IRRELEVANT, "knowledge: mistaken raids and early warning"),
    // 4. Cohabitation and collaboration improve miners' livelihoods and formalisation the most.
    check("cohabitation_collaboration_livelihoods", "default", "cohabitation vs coexistence", Measure::Metric("income_all_usd_week"), COHAB, COEX, Expect::Higher, NO_ZONE_BENEFIT, "what the ASM zone offers: sited geology, technical assistance"),
    check("cohabitation_collaboration_livelihoods", "default", "collaboration vs coexistence", Measure::Metric("income_all_usd_week"), COLLAB, COEX, Expect::Higher, NO_LEASE, "the lease and off-take"),
    check("cohabitation_collaboration_livelihoods", "default", "cohabitation vs coexistence", Measure::Metric("formal_share_final"), COHAB, COEX, Expect::Higher, FORMAL_PAYS_NOTHING, "what formal status pays"),
    check("cohabitation_collaboration_livelihoods", "default", "collaboration vs coexistence", Measure::Metric("formal_share_final"), COLLAB, COEX, Expect::Higher, FORMAL_PAYS_NOTHING, "what formal status pays"),
    check("cohabitation_collaboration_livelihoods", "slow, unresponsive government", "cohabitation vs coexistence", Measure::Metric("formal_share_final"), with("cohabitation", &[], STALLED), with("coexistence", &[], STALLED), Expect::Weaker { main: (COHAB, COEX), main_higher: true }, PATIENT, "deterrence of a long wait"),
    // 5. Early engagement beats the same engagement started after a crisis.
    check("early_engagement", "price-spike crisis from week 104; weeks 104-312", "engagement from week 0 vs from week 130", Measure::Window { series: "conflict_incidents", from: 104, to: 312 }, EARLY, LATE, Expect::Lower, NO_RESTRAINT, "relationships: trust restrains what grievance drives"),
    check("early_engagement", "price-spike crisis from week 104", "engagement from week 0 vs from week 130", Measure::Metric("attacks"), EARLY, LATE, Expect::Lower, NO_ENGAGEMENT_EFFECT, "what a contact does to attitudes, expectations and knowledge"),
    // 6. Indirect engagement through a distrusted government fails; through a legitimate
    //    chief or a trusted third party it can work.
    check("indirect_engagement", "government distrusted", "via government vs no engagement", CONFLICT, channel(VIA_GOVERNMENT, DISTRUSTED), channel(NO_TALK, DISTRUSTED), Expect::NotLower, ANY_MESSENGER, "the messenger's standing"),
    check("indirect_engagement", "government trusted", "via government vs no engagement", CONFLICT, channel(VIA_GOVERNMENT, TRUSTED), channel(NO_TALK, TRUSTED), Expect::Lower, NO_ENGAGEMENT_EFFECT, "what a contact does to attitudes, expectations and knowledge"),
    check("indirect_engagement", "legitimate chiefs", "via chiefs vs no engagement", CONFLICT, channel(VIA_CHIEF, LEGITIMATE), channel(NO_TALK, LEGITIMATE), Expect::Lower, NO_ENGAGEMENT_EFFECT, "what a contact does to attitudes, expectations and knowledge"),
    check("indirect_engagement", "weak chiefs", "via chiefs vs no engagement", CONFLICT, channel(VIA_CHIEF, WEAK), channel(NO_TALK, WEAK), Expect::Weaker { main: (channel(VIA_CHIEF, LEGITIMATE), channel(NO_TALK, LEGITIMATE)), main_higher: false }, CHIEFS_IRRELEVANT, "chiefs' standing and sway over their followers"),
    // 7. Where ASM is captured by criminal financiers, collaboration is not viable.
    check("criminal_capture", "half the crews criminally financed", "collaboration vs coexistence", Measure::Metric("emergent_cost_npv_usd"), with("collaboration", &[], CAPTURED), with("coexistence", &[], CAPTURED), Expect::Weaker { main: (with("collaboration", &[], CLEAN), with("coexistence", &[], CLEAN)), main_higher: false }, NO_EXPOSURE, "criminal gold in the chain coming to light"),
    check("criminal_capture", "half the crews criminally financed", "collaboration vs coexistence", Measure::Metric("npv_cost_usd"), with("collaboration", &[], CAPTURED), with("coexistence", &[], CAPTURED), Expect::Higher, NO_EXPOSURE, "criminal gold in the chain coming to light"),
    // 8. Price spikes bring rushes and more conflict; slow permit regimes delay formalisation.
    check("price_spike_rush", "coexistence", "price spike vs none", Measure::Metric("incursions"), with("coexistence", &[], SPIKE), COEX, Expect::Higher, NO_RUSH, "the rush and the expectations a dear gold price raises"),
    check("price_spike_rush", "coexistence", "price spike vs none", CONFLICT, with("coexistence", &[], SPIKE), COEX, Expect::Higher, NO_RUSH, "the rush and the expectations a dear gold price raises"),
    check("slow_permits_delay_formalisation", "cohabitation", "permits in 156 weeks vs 8", Measure::Metric("permit_applications"), with("cohabitation", &[], SLOW), with("cohabitation", &[], FAST), Expect::Lower, PATIENT, "deterrence of a long wait"),
    check("slow_permits_delay_formalisation", "coexistence", "permits in 156 weeks vs 8", Measure::Metric("permit_applications"), with("coexistence", &[], SLOW), with("coexistence", &[], FAST), Expect::Lower, PATIENT, "deterrence of a long wait"),
    // Calibration targets (public figures), under co-existence in the scenario's own context,
    // with tolerances of about +-25%.
    target("DRC gold survey: mean of the roles' incomes ~USD 54/week", "mean weekly income of miners digging", Measure::Metric("mean_income_usd_week"), 40.5, 67.5),
    target("DRC gold survey: pit workers ~USD 25/week", "pit workers' mean weekly income", Measure::Metric("income_pit_workers_usd_week"), 18.75, 31.25),
    target("DRC gold survey: right hands ~USD 100/week (the 88th-92nd percentile of roles)", "90th percentile of weekly income", Measure::Metric("income_p90_usd_week"), 75.0, 125.0),
    target("550 t/yr from 10-20 M gold miners: 27-55 g a year", "gold dug per miner-year", Measure::Metric("output_g_per_miner_year"), 27.0, 55.0),
    target("Ghana: 52% of ASM inside LSM concessions", "share of miners on the concession after one year", Measure::Window { series: "concession_share", from: 48, to: 52 }, 0.35, 0.70),
];
