//! The seed's claims as checks (MODEL.md, "Patterns the model must be able to reproduce"),
//! each in the context where the seed says it holds, and in the context where it should
//! vanish or reverse; plus calibration targets from PARAMETERS.md.
//!
//! A check compares two arms (a strategy preset, some lever changes, some context changes)
//! on one measure. Nothing here, nor anywhere in the model, special-cases a strategy's name
//! or a check's context: the arms only set scenario keys, as a user could.

/// One side of a comparison: a preset, lever overrides (`section.lever=value` under the
/// strategy) and context overrides (scenario keys).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Arm {
    pub preset: &'static str,
    pub levers: &'static [&'static str],
    pub context: &'static [&'static str],
}

/// What is measured on each replicate.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Measure {
    /// A run metric (runs.csv column).
    Metric(&'static str),
    /// A timeseries metric over weeks (from, to]: flows summed, stocks averaged.
    Window {
        series: &'static str,
        from: u32,
        to: u32,
    },
    /// Evicted miners who left the area, per miner evicted.
    DisplacedPerEviction,
}

/// What the seed leads us to expect.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Expect {
    /// a exceeds b (95% CI of the relative effect above zero).
    Higher,
    /// a falls short of b.
    Lower,
    /// The a-b gap is smaller here than between `main` (paired difference in differences,
    /// 95% CI above zero in the direction of the main effect): the pattern vanishes or reverses.
    Weaker { main: (Arm, Arm), main_higher: bool },
    /// A single arm's mean lies within a range (calibration).
    Within(f64, f64),
    /// A single arm's mean exceeds a value (CI above it).
    Above(f64),
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
}

const fn arm(preset: &'static str) -> Arm {
    Arm {
        preset,
        levers: &[],
        context: &[],
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
/// A slow, unresponsive permit regime, and a fast one.
const SLOW: &[&str] = &["officials.permit_weeks=156"];
const FAST: &[&str] = &["officials.permit_weeks=8"];
const STALLED: &[&str] = &[
    "officials.permit_weeks=260",
    "government.responsiveness=0.05",
];

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

/// The suite, in the order of MODEL.md's list.
#[rustfmt::skip]
pub const CHECKS: &[Check] = &[
    // 1. Confrontation raises tension.
    Check { pattern: "confrontation_raises_tension", context: "default", comparison: "confrontation vs coexistence", measure: Measure::Metric("clashes"), a: CONF, b: Some(COEX), expect: Expect::Higher },
    Check { pattern: "confrontation_raises_tension", context: "default", comparison: "confrontation vs coexistence", measure: Measure::Metric("hr_allegations"), a: CONF, b: Some(COEX), expect: Expect::Higher },
    Check { pattern: "confrontation_raises_tension", context: "default", comparison: "confrontation vs coexistence", measure: Measure::Metric("npv_cost_usd"), a: CONF, b: Some(COEX), expect: Expect::Higher },
    Check { pattern: "confrontation_raises_tension", context: "default, first 26 weeks", comparison: "confrontation vs coexistence", measure: Measure::Window { series: "incursions", from: 0, to: 26 }, a: CONF, b: Some(COEX), expect: Expect::Lower },
    Check { pattern: "confrontation_raises_tension", context: "few scattered miners", comparison: "confrontation vs coexistence", measure: Measure::Metric("npv_cost_usd"), a: with("confrontation", &[], FEW), b: Some(with("coexistence", &[], FEW)), expect: Expect::Weaker { main: (CONF, COEX), main_higher: true } },
    // 2. Forced eviction displaces ASM rather than ending it.
    Check { pattern: "forced_eviction_displaces", context: "default", comparison: "confrontation vs coexistence", measure: Measure::Metric("displaced"), a: CONF, b: Some(COEX), expect: Expect::Higher },
    Check { pattern: "forced_eviction_displaces", context: "default", comparison: "confrontation: evictees who leave the area", measure: Measure::DisplacedPerEviction, a: CONF, b: None, expect: Expect::Above(0.15) },
    Check { pattern: "forced_eviction_displaces", context: "default, final year", comparison: "confrontation: miners still digging", measure: Measure::Window { series: "miners", from: 468, to: 520 }, a: CONF, b: None, expect: Expect::Above(300.0) },
    // 3. Co-existence avoids escalation and keeps costs manageable.
    Check { pattern: "coexistence_avoids_escalation", context: "default", comparison: "coexistence vs confrontation", measure: Measure::Metric("conflict_incidents"), a: COEX, b: Some(CONF), expect: Expect::Lower },
    Check { pattern: "coexistence_avoids_escalation", context: "default", comparison: "coexistence vs confrontation", measure: Measure::Metric("fatalities"), a: COEX, b: Some(CONF), expect: Expect::Lower },
    Check { pattern: "coexistence_avoids_escalation", context: "default", comparison: "coexistence vs confrontation", measure: Measure::Metric("npv_cost_usd"), a: COEX, b: Some(CONF), expect: Expect::Lower },
    Check { pattern: "coexistence_avoids_escalation", context: "poor knowledge of local ASM (monitoring 0.05)", comparison: "coexistence, poor vs thorough knowledge", measure: Measure::Metric("conflict_incidents"), a: with("coexistence", &["compliance.monitoring=0.05"], &[]), b: Some(COEX), expect: Expect::Higher },
    // 4. Cohabitation and collaboration improve livelihoods and formalisation the most;
    //    collaboration costs more in legal and due-diligence terms but can be win-win.
    Check { pattern: "cohabitation_collaboration_livelihoods", context: "default", comparison: "cohabitation vs coexistence", measure: Measure::Metric("mean_income_usd_week"), a: COHAB, b: Some(COEX), expect: Expect::Higher },
    Check { pattern: "cohabitation_collaboration_livelihoods", context: "default", comparison: "collaboration vs coexistence", measure: Measure::Metric("mean_income_usd_week"), a: COLLAB, b: Some(COEX), expect: Expect::Higher },
    Check { pattern: "cohabitation_collaboration_livelihoods", context: "default", comparison: "cohabitation vs coexistence", measure: Measure::Metric("formal_share_final"), a: COHAB, b: Some(COEX), expect: Expect::Higher },
    Check { pattern: "cohabitation_collaboration_livelihoods", context: "default", comparison: "collaboration vs confrontation", measure: Measure::Metric("formal_share_final"), a: COLLAB, b: Some(CONF), expect: Expect::Higher },
    Check { pattern: "cohabitation_collaboration_livelihoods", context: "default", comparison: "collaboration vs coexistence", measure: Measure::Metric("due_diligence_cost_usd"), a: COLLAB, b: Some(COEX), expect: Expect::Higher },
    Check { pattern: "cohabitation_collaboration_livelihoods", context: "default", comparison: "collaboration vs confrontation (win-win)", measure: Measure::Metric("npv_cost_usd"), a: COLLAB, b: Some(CONF), expect: Expect::Lower },
    Check { pattern: "cohabitation_collaboration_livelihoods", context: "slow, unresponsive government", comparison: "cohabitation vs coexistence", measure: Measure::Metric("formal_share_final"), a: with("cohabitation", &[], STALLED), b: Some(with("coexistence", &[], STALLED)), expect: Expect::Weaker { main: (COHAB, COEX), main_higher: true } },
    // 5. Early engagement beats the same engagement started after a crisis.
    Check { pattern: "early_engagement", context: "price-spike crisis from week 104; weeks 104-312", comparison: "engagement from week 0 vs from week 130", measure: Measure::Window { series: "conflict_incidents", from: 104, to: 312 }, a: EARLY, b: Some(LATE), expect: Expect::Lower },
    Check { pattern: "early_engagement", context: "price-spike crisis from week 104; weeks 104-312", comparison: "engagement from week 0 vs from week 130", measure: Measure::Window { series: "trust", from: 104, to: 312 }, a: EARLY, b: Some(LATE), expect: Expect::Higher },
    // 6. Indirect engagement through a distrusted government fails; through a legitimate
    //    chief or a trusted third party it can work.
    Check { pattern: "indirect_engagement", context: "government distrusted", comparison: "via government vs no engagement", measure: Measure::Metric("trust_final"), a: channel(VIA_GOVERNMENT, DISTRUSTED), b: Some(channel(NO_TALK, DISTRUSTED)), expect: Expect::Lower },
    Check { pattern: "indirect_engagement", context: "government trusted", comparison: "via government vs no engagement", measure: Measure::Metric("trust_final"), a: channel(VIA_GOVERNMENT, TRUSTED), b: Some(channel(NO_TALK, TRUSTED)), expect: Expect::Higher },
    Check { pattern: "indirect_engagement", context: "legitimate chiefs", comparison: "via chiefs vs no engagement", measure: Measure::Metric("trust_final"), a: channel(VIA_CHIEF, LEGITIMATE), b: Some(channel(NO_TALK, LEGITIMATE)), expect: Expect::Higher },
    Check { pattern: "indirect_engagement", context: "weak chiefs", comparison: "via chiefs vs no engagement", measure: Measure::Metric("trust_final"), a: channel(VIA_CHIEF, WEAK), b: Some(channel(NO_TALK, WEAK)), expect: Expect::Weaker { main: (channel(VIA_CHIEF, LEGITIMATE), channel(NO_TALK, LEGITIMATE)), main_higher: true } },
    // 7. Where ASM is captured by criminal financiers, collaboration is not viable.
    Check { pattern: "criminal_capture", context: "no criminal financing", comparison: "collaboration vs coexistence", measure: Measure::Metric("formal_share_final"), a: with("collaboration", &[], CLEAN), b: Some(with("coexistence", &[], CLEAN)), expect: Expect::Higher },
    Check { pattern: "criminal_capture", context: "half the crews criminally financed", comparison: "collaboration vs coexistence", measure: Measure::Metric("formal_share_final"), a: with("collaboration", &[], CAPTURED), b: Some(with("coexistence", &[], CAPTURED)), expect: Expect::Weaker { main: (with("collaboration", &[], CLEAN), with("coexistence", &[], CLEAN)), main_higher: true } },
    Check { pattern: "criminal_capture", context: "half the crews criminally financed", comparison: "collaboration vs coexistence", measure: Measure::Metric("npv_cost_usd"), a: with("collaboration", &[], CAPTURED), b: Some(with("coexistence", &[], CAPTURED)), expect: Expect::Higher },
    // 8. Price spikes bring rushes and more conflict; slow permit regimes delay formalisation.
    Check { pattern: "price_spike_rush", context: "coexistence", comparison: "price spike vs none", measure: Measure::Metric("arrivals"), a: with("coexistence", &[], SPIKE), b: Some(COEX), expect: Expect::Higher },
    Check { pattern: "price_spike_rush", context: "coexistence", comparison: "price spike vs none", measure: Measure::Metric("conflict_incidents"), a: with("coexistence", &[], SPIKE), b: Some(COEX), expect: Expect::Higher },
    Check { pattern: "slow_permits_delay_formalisation", context: "cohabitation", comparison: "permits in 156 weeks vs 8", measure: Measure::Metric("formal_share_final"), a: with("cohabitation", &[], SLOW), b: Some(with("cohabitation", &[], FAST)), expect: Expect::Lower },
    Check { pattern: "slow_permits_delay_formalisation", context: "coexistence, first three years", comparison: "permits in 156 weeks vs 8", measure: Measure::Window { series: "formal_share", from: 0, to: 156 }, a: with("coexistence", &[], SLOW), b: Some(with("coexistence", &[], FAST)), expect: Expect::Lower },
    // Calibration targets (PARAMETERS.md), under co-existence in the scenario's own context.
    Check { pattern: "calibration", context: "DRC gold survey: pit workers ~USD 25/week", comparison: "10th percentile of weekly income", measure: Measure::Metric("income_p10_usd_week"), a: COEX, b: None, expect: Expect::Within(10.0, 50.0) },
    Check { pattern: "calibration", context: "DRC gold survey: right hands ~USD 100, pit managers up to ~200", comparison: "90th percentile of weekly income", measure: Measure::Metric("income_p90_usd_week"), a: COEX, b: None, expect: Expect::Within(90.0, 300.0) },
    Check { pattern: "calibration", context: "Ghana: 52% of ASM inside LSM concessions", comparison: "share of miners on the concession after one year", measure: Measure::Window { series: "concession_share", from: 48, to: 52 }, a: COEX, b: None, expect: Expect::Within(0.35, 0.70) },
];
