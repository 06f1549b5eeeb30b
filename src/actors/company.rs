//! The company: programmes it sets up (an ASM zone, a lease), its engagement (the direct
//! ladder or a third party), what it spends on miners and communities, state forces it asks
//! for, its policy clout, its cost ledger and its social licence.

use super::{Now, Plan};
use crate::metrics::Week;
use crate::rng::Stream;
use crate::strategy::Channel;
use crate::world::{World, Zone};
use rand::RngExt;

/// Reach per week at each rung of the direct-engagement ladder, as a share of the top rung's
/// (`channels.direct_reach`), at full intensity: informal conversations, leaders, wider
/// meetings, site visits, formalised.
const LADDER_REACH: [f32; 6] = [0.0, 0.08, 0.2, 0.4, 0.72, 1.0];
/// Mean trust needed to climb from each rung to the next ("trust gates each step").
const LADDER_GATE: [f32; 5] = [0.0, 0.15, 0.25, 0.35, 0.45];

/// The company's weekly decisions, before miners decide. Fills the engagement and support
/// terms of the week's context.
pub fn policy(w: &mut World, p: &Plan, now: &mut Now, wk: &mut Week) {
    approve_programme(w, p, now, wk);
    engage(w, p, now);
    learn(w, p, now);
    call_forces(w, p, now);
    lobby(w, p);
    exit_jobs(w, p, now, wk);
    livelihoods(w, p, now, wk);
    budget(w, p, now, wk);
}

/// Alternative livelihoods: each place funded raises a miner's outside option to what a
/// graduate earns outside mining. Whether he then leaves ASM is his own weekly choice
/// (`miners::decide`): a programme helps those for whom mining pays less than the new option.
/// Places go to miners whose option is below it; unfilled places are not banked.
fn livelihoods(w: &mut World, p: &Plan, now: &Now, wk: &mut Week) {
    let budget = p.st.investment.livelihoods_usd_week;
    if budget <= 0.0 {
        return;
    }
    wk.costs.programme += budget;
    let c = &p.s.company;
    let option = (p.s.economy.alternative_income_usd_week * c.livelihood_access) as f32;
    let per_week = (budget / c.livelihood_cost_usd_person) as f32;
    let s = &mut w.state;
    s.livelihood_openings = (s.livelihood_openings + per_week).min(per_week + 1.0);
    let mut rng = p.seed.stream(Stream::Company, now.week ^ 0x2000_0000);
    let m = &mut w.miners;
    let cap = m.capacity();
    while s.livelihood_openings >= 1.0 && cap > 0 {
        let taker = (0..30)
            .map(|_| rng.random_range(0..cap))
            .find(|&i| m.active[i] && !m.criminal[i] && m.reservation[i] < option);
        let Some(i) = taker else { break };
        m.reservation[i] = option;
        wk.trainees += 1.0;
        s.livelihood_openings -= 1.0;
    }
}

/// The ASM zone or lease exists once the government approves it, which takes as long as its
/// permit regime (shortened as far as it answers the company); ceding permit area and
/// leasing it need a law that allows them, and so does buying ASM output; a state monopoly
/// buyer ends off-take (as it ended the Mutoshi pilot).
fn approve_programme(w: &mut World, p: &Plan, now: &mut Now, wk: &mut Week) {
    let iv = &p.st.interventions;
    let planned = !w.grid.planned.is_empty();
    if planned && w.state.programme_week.is_none() && now.week >= iv.programme_start_week {
        let g = &p.s.government;
        // A zone on concession land is ceded permit area; one outside is the government's own.
        let on_concession = w.grid.zone[w.grid.planned[0] as usize].is_incursion();
        let legal = match w.grid.planned_zone {
            Zone::Lease => g.lease_legal,
            _ if on_concession => g.cession_legal,
            _ => true,
        };
        // Proposed once the strategy wants it: at its start week, or when an adaptive
        // strategy's new phase plans it.
        let proposed = *w.state.programme_proposed.get_or_insert(now.week);
        let delay = w.state.permit_weeks * (1.0 - 0.5 * p.s.government.responsiveness as f32);
        if legal && (now.week - proposed) as f32 >= delay {
            let zone = w.grid.planned_zone;
            // A zone is sited where geology makes ASM viable (the company's survey helps).
            let viable = if zone == Zone::AsmZone {
                p.s.landscape.asm_zone_grade_g as f32
            } else {
                0.0
            };
            for &c in &w.grid.planned {
                w.grid.zone[c as usize] = zone;
                w.grid.grade[c as usize] = w.grid.grade[c as usize].max(viable);
            }
            w.state.programme_week = Some(now.week);
            wk.costs.programme += p.s.company.zone_setup_usd;
        }
    }
    now.programme = w.state.programme_week.is_some();
    now.offtake = now.programme
        && iv.offtake
        && p.s.government.offtake_legal
        && !now.monopoly
        && w.state.offtake_suspended == 0;
    w.state.offtake_suspended = w.state.offtake_suspended.saturating_sub(1);
}

/// Engagement: the direct ladder climbs as trust allows and falls back after abuses; a third
/// party reaches miners at once. What a contact does depends on the messenger's standing with
/// the miner (`miners::attitudes`). The company's own team is sized for the community it
/// found: in a rush it reaches a smaller share, and violence keeps it away (staff safety).
fn engage(w: &mut World, p: &Plan, now: &mut Now) {
    let e = &p.st.engagement;
    let s = &mut w.state;
    if e.channel == Channel::None || now.week < e.start_week {
        return;
    }
    let intensity = e.intensity as f32;
    let ch = &p.s.channels;
    if e.channel == Channel::Direct {
        if s.stage == 0 {
            s.stage = 1;
        }
        if s.setback {
            s.stage = (s.stage - 1).max(1);
            s.progress = 0.0;
        }
        s.progress += intensity * 0.04 * (0.5 + s.mean_trust);
        let gate = LADDER_GATE[(s.stage as usize).min(4)];
        if s.stage < 5 && s.progress >= 1.0 && s.mean_trust >= gate {
            s.stage += 1;
            s.progress = 0.0;
        }
        let team = (p.s.miners.initial.max(1) as f32 / s.miners.max(1.0)).min(1.0);
        let safety = libm::expf(-(ch.staff_risk as f32) * s.recent_violence);
        now.reach =
            LADDER_REACH[s.stage as usize] * ch.direct_reach as f32 * intensity * team * safety;
    } else {
        let ramp = if e.channel == Channel::Multistakeholder {
            ((now.week - e.start_week) as f32 / ch.msi_ramp_weeks as f32).min(1.0)
        } else {
            1.0
        };
        now.reach = ch.indirect_reach as f32 * intensity * ramp;
    }
}

/// Knowledge of local ASM follows monitoring and what engagement teaches: miners talk openly
/// only to a messenger they trust, so a distrusted channel teaches little.
fn learn(w: &mut World, p: &Plan, now: &Now) {
    let s = &mut w.state;
    let info = if now.reach > 0.0 {
        (s.open_contacts / p.s.channels.learning_reach as f32).min(1.0)
    } else {
        0.0
    };
    let target = 0.7 * p.st.compliance.monitoring as f32 + 0.3 * info;
    s.knowledge += 0.02 * (target - s.knowledge);
}

/// Ask for state forces when incursions pass the trigger; the government sends them as far
/// as it answers company cues ("if companies tell them to send in the military, they might").
fn call_forces(w: &mut World, p: &Plan, now: &mut Now) {
    let sec = &p.st.security;
    let s = &mut w.state;
    if sec.call_state_forces
        && s.forces_left == 0
        && !now.leniency
        && s.last_incursions >= sec.forces_trigger_incursions as f32
    {
        let mut rng = p.seed.stream(Stream::Company, now.week);
        if rng.random::<f64>() < p.s.government.responsiveness {
            s.forces_left = p.s.security.forces_weeks;
            s.forces_company = true;
        }
    }
    now.forces = s.forces_left > 0 || now.crackdown;
}

/// Policy clout slowly shortens the permit regime, as far as the government responds.
fn lobby(w: &mut World, p: &Plan) {
    let floor = (0.25 * p.s.officials.permit_weeks as f32).max(4.0);
    let cut = p.st.interventions.lobbying as f32 * p.s.government.responsiveness as f32 * 0.1;
    w.state.permit_weeks = (w.state.permit_weeks - cut).max(floor.min(w.state.permit_weeks));
}

/// Jobs at the mine for miners who earn less than the wage.
fn exit_jobs(w: &mut World, p: &Plan, now: &Now, wk: &mut Week) {
    let inv = &p.st.investment;
    let wage = p.s.company.job_cost_usd_week as f32;
    w.state.job_openings += inv.exit_jobs_per_year as f32 / 52.0;
    let mut rng = p.seed.stream(Stream::Company, now.week ^ 0x4000_0000);
    let m = &mut w.miners;
    let cap = m.capacity();
    while w.state.job_openings >= 1.0 && cap > 0 {
        let taker = (0..30)
            .map(|_| rng.random_range(0..cap))
            .find(|&i| m.active[i] && !m.criminal[i] && m.expected[i] < wage);
        let Some(i) = taker else { break };
        m.remove(i);
        w.state.away.add(wage);
        wk.exits += 1.0;
        w.state.jobs += 1;
        w.state.job_openings -= 1.0;
    }
    wk.costs.programme += f64::from(w.state.jobs) * f64::from(wage);
}

/// Weekly spending on communities and miners. Support reaches miners as far as the company
/// knows who needs what, minus what a chief keeps when it passes through him.
fn budget(w: &mut World, p: &Plan, now: &mut Now, wk: &mut Week) {
    let inv = &p.st.investment;
    let e = &p.st.engagement;
    // Investment is its own pillar: it runs from the start, whenever engagement begins.
    // Miners expect a share of a rich mine's wealth next door, and the mine looks richer when
    // gold does (Christensen's "Concession Stands"); a credible message tempers that
    // expectation miner by miner (`miners::attitudes`).
    let wealth = now.price / p.s.economy.gold_price_usd_per_g as f32;
    now.expected_benefit = p.s.behaviour.expectation_usd_week as f32 * wealth;
    wk.costs.programme += inv.community_projects_usd_week + inv.miner_support_usd_week;
    // Support passes through chiefs only once engagement runs through them.
    let capture = if e.channel == Channel::Chief && now.week >= e.start_week {
        p.s.chiefs.capture as f32
    } else {
        0.0
    };
    let reaches =
        inv.miner_support_usd_week as f32 * (0.5 + 0.5 * w.state.knowledge) * (1.0 - capture);
    w.state.support_budget = reaches;
    now.subsidy = p.st.interventions.formalisation_support && reaches > 0.0;
    // What miners see delivered: support, the off-take premium, a little of generic projects
    // ("building schools isn't helpful if people have no revenue").
    let n = w.state.miners.max(1.0);
    now.delivered_benefit =
        (reaches + w.state.premium_paid + 0.2 * inv.community_projects_usd_week as f32) / n;
}

/// Technical assistance: the budget left after fee subsidies, spread over eligible miners.
pub fn allocate_support(w: &mut World, p: &Plan, now: &mut Now, eligible: u32) {
    let cost = p.s.company.ta_cost_usd_miner_week as f32;
    if cost > 0.0 && w.state.support_budget > 0.0 {
        // With nobody eligible yet, the offer stands in full for the first who apply.
        now.support = (w.state.support_budget / cost / eligible.max(1) as f32).min(1.0);
    }
    w.state.support_last = now.support;
}

/// The week's costs by category, from what happened. Ore lost to incursions and stoppages,
/// and the stolen part of an attack's cost, are worth what gold is worth this week: their
/// keys are stated at the scenario's starting price.
pub fn ledger(w: &mut World, p: &Plan, now: &Now, wk: &mut Week) {
    let gold = f64::from(now.price) / p.s.economy.gold_price_usd_per_g;
    let c = &p.s.company;
    let st = p.st;
    let vp = if st.security.vp_training { 1.1 } else { 1.0 };
    // Forces the company asked for are paid in full; forces it did not ask for press it for
    // a contribution while they work its concession.
    let forces = if w.state.forces_company && w.state.forces_left > 0 {
        c.forces_fee_usd_week
    } else if wk.forces_on_concession {
        p.s.security.forces_fee_pressure * c.forces_fee_usd_week
    } else {
        0.0
    };
    let costs = &mut wk.costs;
    costs.security += st.security.guard_intensity * c.guard_cost_usd_week * vp
        + forces
        + st.compliance.monitoring * c.monitoring_cost_usd_week;
    let periphery = wk.incursions - wk.core_incursions;
    costs.production_loss += gold
        * (wk.core_incursions * c.core_loss_per_miner_week_usd
            + periphery * c.periphery_loss_per_miner_week_usd
            + wk.blockade_days * c.stoppage_cost_usd_day);
    let theft = c.attack_theft_share;
    costs.theft_damage += wk.attacks * c.damage_per_attack_usd * (1.0 - theft + theft * gold);
    costs.legal_reputational += wk.hr * c.hr_allegation_cost_usd
        + (wk.fatalities - wk.fatalities_state) * c.fatality_cost_usd
        + wk.tainted * c.tainted_supply_cost_usd;
    let chain = if st.compliance.chain_of_custody {
        c.chain_of_custody_usd_week
    } else {
        0.0
    };
    costs.due_diligence += st.compliance.due_diligence * c.due_diligence_cost_usd_week + chain;
    w.state.last_incursions = wk.incursions as f32;
    w.state.miners = wk.miners as f32;
    w.state.setback = wk.fatalities > 0.0 || wk.hr > 2.0;
    w.state.recent_violence = 0.75 * w.state.recent_violence + 0.25 * wk.violent as f32;
}

/// The social licence drifts toward what the community thinks of the company, and is
/// knocked down by abuses, deaths and forced evictions ("the greatest threat to the social
/// licence").
pub fn social_licence(w: &mut World, p: &Plan, wk: &mut Week) {
    let s = &mut w.state;
    let stance = if w.chiefs.is_empty() {
        0.0
    } else {
        w.chiefs.iter().map(|c| c.stance).sum::<f32>() / w.chiefs.len() as f32
    };
    // Community projects count through what they deliver (the benefits gap, hence grievance),
    // not by being spent.
    let target =
        0.2 + 0.35 * (1.0 - s.mean_grievance) + 0.25 * s.mean_trust + 0.1 * (stance + 1.0) / 2.0;
    let hits = p.s.behaviour.licence_sensitivity as f32
        * (0.002 * (wk.hr + 0.3 * wk.hr_state) as f32
            + 0.02 * wk.fatalities as f32
            + 0.0002 * wk.evictions as f32
            + 0.05 * wk.tainted as f32);
    s.social_licence =
        (s.social_licence + 0.03 * (target - s.social_licence) - hits).clamp(0.0, 1.0);
    wk.social_licence = f64::from(s.social_licence);
}
