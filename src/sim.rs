//! One run: a strategy played out week by week in one random world.
//!
//! The phases of a week, in this fixed order (the ODD's process overview):
//! 1. context: gold price, season, elections;
//! 2. company policy: programme approval, engagement, knowledge, state forces, lobbying,
//!    exit jobs, budgets and expectations;
//! 3. the official grants permits;
//! 4. miners decide: stay or leave, where to dig, whether to apply for a permit;
//! 5. technical assistance is allocated over eligible miners;
//! 6. occupancy is counted;
//! 7. miners dig: output, income, levies, bribes, off-take, due diligence, ore depletion;
//! 8. enforcement: raids, negotiated departures, evictions, clashes, shutdowns; slots of
//!    miners gone are reclaimed;
//! 9. collective action: blockades, the company's response, attacks;
//! 10. attitudes: grievance and trust; the week is tallied;
//! 11. chiefs update their stance; 12. the company's ledger; 13. its social licence;
//! 14. deployments run down; 15. newcomers arrive; 16. the week is recorded.
//!
//! No I/O, no printing, no failure on a valid scenario.

use crate::actors::{Now, Plan, chiefs, collective, company, miners, officials, security};
use crate::adaptive;
use crate::metrics::{Recorder, RunMetrics, Week};
use crate::rng::RunSeed;
use crate::scenario::{ElectionBehaviour, Scenario};
use crate::strategy::Strategy;
use crate::world::{World, Zone};

/// Everything a run returns.
#[derive(Debug, Clone)]
pub struct RunOutput {
    pub metrics: RunMetrics,
    /// Timeseries: periods x `metrics::SERIES`, row-major.
    pub series: Vec<f32>,
    /// Mean miners per cell per week over the final year.
    pub map: Vec<f32>,
    /// Zones at the end (an ASM zone or lease may have been created).
    pub zones: Vec<Zone>,
}

/// Play one strategy in the world of one replicate. An adaptive strategy moves between its
/// phases as its triggers fire (`adaptive::Path`); each phase's levers have their own plan.
pub fn run(s: &Scenario, strategy: &Strategy, seed: RunSeed) -> RunOutput {
    let mut w = World::new(s, strategy, seed);
    let levers = strategy.phase_levers();
    let plans: Vec<Plan> = levers
        .iter()
        .map(|st| Plan::new(s, st, seed, &w.grid))
        .collect();
    let mut path = adaptive::Path::new(strategy);
    let mut rec = Recorder::new(
        s.weeks,
        s.timeseries_every_weeks,
        s.company.discount_rate,
        w.grid.cells(),
    );
    let mut last = Week::default();
    for week in 0..s.weeks {
        if let Some(phase) = path.next(week) {
            enter_phase(&mut w, s, levers[phase], week);
        }
        last = step(&mut w, &plans[path.current], &mut rec, week, path.current);
        path.observe(&last);
    }
    let year = s.weeks.min(52) as f32;
    let map = rec.map.iter().map(|&x| x / year).collect();
    let mut metrics = rec.finish(&last);
    // Everyone present at the end, newcomers of the last week included.
    metrics.miners_final = w.miners.active.iter().filter(|&&a| a).count() as f64;
    metrics.people = f64::from(s.miners.initial) + metrics.arrivals;
    RunOutput {
        metrics,
        series: std::mem::take(&mut rec.series),
        map,
        zones: w.grid.zone,
    }
}

/// A new phase of an adaptive strategy: what was built stays (an approved zone or lease,
/// the engagement ladder, knowledge, trust); a programme the new phase needs and the old one
/// did not is planned now and proposed to the government from this week.
fn enter_phase(w: &mut World, s: &Scenario, st: &Strategy, week: u32) {
    if crate::world::replan(&mut w.grid, s, st) {
        let g = &w.grid;
        let built = g
            .planned
            .iter()
            .all(|&c| g.zone[c as usize] == g.planned_zone);
        w.state.programme_week = built.then_some(week);
        w.state.programme_proposed = None;
    }
}

/// One week, phase by phase.
fn step(w: &mut World, p: &Plan, rec: &mut Recorder, week: u32, phase: usize) -> Week {
    let mut wk = Week {
        phase: phase as u8,
        ..Week::default()
    };
    let mut now = context(w, p, week);
    company::policy(w, p, &mut now, &mut wk);
    officials::permits(w, p, &now);
    let eligible = miners::decide(w, p, &now, &mut wk);
    company::allocate_support(w, p, &mut now, eligible);
    miners::count_occupancy(w);
    miners::dig(w, p, &now, &mut wk);
    security::enforce(w, p, &now, &mut wk);
    w.miners.compact();
    collective::act(w, p, &now, &mut wk);
    miners::attitudes(w, p, &now, &mut wk, rec);
    chiefs::update(w, p, &now);
    company::ledger(w, p, &now, &mut wk);
    company::social_licence(w, p, &mut wk);
    officials::end_week(w);
    miners::migrate(w, p, &now, &mut wk);
    wk.price = f64::from(now.price);
    let away = w.state.away;
    (wk.away_people, wk.away_income, wk.away_poor) = (away.people, away.income, away.poor);
    rec.week(week, &wk);
    wk
}

/// The week's exogenous context.
fn context(w: &World, p: &Plan, week: u32) -> Now {
    let s = p.s;
    let se = &s.season;
    let rainy = Now::in_window(week, se.rainy_start_week, se.rainy_weeks);
    let g = &s.government;
    let window = g.election_interval_weeks > 0 && {
        let next = (week / g.election_interval_weeks + 1) * g.election_interval_weeks;
        next - week <= g.election_window_weeks
    };
    Now {
        week,
        price: w.price[week as usize],
        season: if rainy {
            1.0 - se.rain_productivity_loss as f32
        } else {
            1.0
        },
        farming: Now::in_window(week, se.farming_start_week, se.farming_weeks),
        crackdown: window && g.election_behaviour == ElectionBehaviour::Crackdown,
        leniency: window && g.election_behaviour == ElectionBehaviour::Leniency,
        forces: false,
        programme: false,
        offtake: false,
        monopoly: g.monopoly_buyer_week > 0 && week >= g.monopoly_buyer_week,
        reach: 0.0,
        support: 0.0,
        subsidy: false,
        expected_benefit: 0.0,
        delivered_benefit: 0.0,
    }
}
