//! Invariants that hold in every run: population accounting balances, no NaN, shares stay
//! within 0-1, cost categories are non-negative (the off-take net may be a gain).

use cohabit::rng::RunSeed;
use cohabit::scenario::{Scenario, ScenarioSource, load};
use cohabit::sim::run;

fn contexts() -> Vec<Scenario> {
    let base = ["weeks=156", "seeds=2"];
    let variants: [&[&str]; 4] = [
        &[],
        &[
            "economy.price_shock_week=40",
            "economy.price_shock_factor=2.0",
            "miners.criminal_financed_share=0.5",
            "government.monopoly_buyer_week=60",
            "strategies.coexistence.investment.livelihoods_usd_week=20000",
        ],
        &[
            "government.repression_history=0.95",
            "chiefs.legitimacy=0.1",
            "officials.permit_weeks=0",
            "miners.initial=0",
        ],
        &[
            "government.election_behaviour=\"leniency\"",
            "government.election_interval_weeks=52",
            "miners.max=3000",
            "government.lease_legal=false",
            "security.rent_seeking=0.9",
        ],
    ];
    variants
        .iter()
        .map(|v| {
            let sets: Vec<String> = base.iter().chain(v.iter()).map(|s| s.to_string()).collect();
            load(&ScenarioSource::Default, &sets).unwrap()
        })
        .collect()
}

#[test]
fn invariants_hold_across_contexts_and_strategies() {
    for s in contexts() {
        for ns in &s.strategies {
            for r in 0..s.seeds {
                let out = run(
                    &s,
                    &ns.strategy,
                    RunSeed::new(s.master_seed, 0, u64::from(r)),
                );
                let m = &out.metrics;
                let ctx = format!("{} / {} / replicate {r}", s.name, ns.name);
                for (name, v) in cohabit::metrics::METRICS.iter().zip(m.values()) {
                    assert!(v.is_finite(), "{ctx}: {name} = {v}");
                    let may_be_negative = [
                        "offtake_net_usd",
                        "mean_income_usd_week",
                        "median_income_usd_week",
                        "income_pit_workers_usd_week",
                        "income_all_usd_week",
                        "asm_income_usd",
                        "emergent_cost_usd",
                        "emergent_cost_npv_usd",
                    ];
                    if !may_be_negative.contains(name) {
                        assert!(v >= 0.0, "{ctx}: {name} = {v} is negative");
                    }
                }
                for (name, v) in [
                    ("poverty_share", m.poverty_share),
                    ("formal_share_final", m.formal_share_final),
                    ("grievance_final", m.grievance_final),
                    ("trust_final", m.trust_final),
                    ("social_licence_final", m.social_licence_final),
                    ("concession_share_final", m.concession_share_final),
                    ("poverty_share_all", m.poverty_share_all),
                ] {
                    assert!((0.0..=1.0).contains(&v), "{ctx}: {name} = {v} outside 0-1");
                }
                let balance =
                    f64::from(s.miners.initial) + m.arrivals - m.quit - m.displaced - m.exits;
                assert_eq!(balance, m.miners_final, "{ctx}: population accounting");
                assert!(m.miners_final <= f64::from(s.miners.max));
                assert_eq!(
                    m.people,
                    f64::from(s.miners.initial) + m.arrivals,
                    "{ctx}: everyone ever in the area"
                );
                let split = m.lever_spend_usd + m.emergent_cost_usd;
                assert!(
                    (split - m.total_cost_usd).abs() <= 1e-6 * m.total_cost_usd.abs().max(1.0),
                    "{ctx}: lever spend and emergent cost add up to the total"
                );
                let split_npv = m.lever_spend_npv_usd + m.emergent_cost_npv_usd;
                assert!(
                    (split_npv - m.npv_cost_usd).abs() <= 1e-6 * m.npv_cost_usd.abs().max(1.0),
                    "{ctx}: lever spend and emergent cost add up to the NPV"
                );
                let parts = m.security_cost_usd
                    + m.production_loss_usd
                    + m.theft_damage_cost_usd
                    + m.compensation_cost_usd
                    + m.programme_cost_usd
                    + m.due_diligence_cost_usd
                    + m.legal_reputational_cost_usd
                    + m.offtake_net_usd;
                assert!(
                    (parts - m.total_cost_usd).abs() <= 1e-6 * m.total_cost_usd.abs().max(1.0),
                    "{ctx}: cost categories add up"
                );
                assert!(
                    m.npv_cost_usd <= m.total_cost_usd + 1e-6,
                    "{ctx}: discounting lowers cost"
                );
                assert!(
                    out.series.iter().all(|x| x.is_finite()),
                    "{ctx}: timeseries finite"
                );
                assert!(
                    out.map.iter().all(|x| x.is_finite() && *x >= 0.0),
                    "{ctx}: map finite"
                );
            }
        }
    }
}
