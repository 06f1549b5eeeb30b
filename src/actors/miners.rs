//! Miners' weekly rules: stay or leave, where to dig, whether to seek a permit, what they
//! earn, how grievance and trust move, and who arrives.
//!
//! The hot loops of the model: one pass per phase over the struct-of-arrays, reading shared
//! state (last week's occupancy, perceived raid risk) that no miner writes during the pass.

use super::security::{RISK_CLASSES, risk_class};
use super::{Now, Plan};
use crate::metrics::{POVERTY_LINE_USD_WEEK, Recorder, Week};
use crate::rng::Stream;
use crate::world::{Chief, Grid, Miners, NO_CHIEF, Permit, World, Zone, add_miner, event};
use rand::RngExt;

/// What a miner fears losing beyond the week's output if raided: tools, a beating, a move
/// (USD, assumption).
const RAID_FEAR_USD: f32 = 100.0;
/// Effort of moving to another site, USD (keeps miners from hopping for pennies).
const MOVE_COST_USD: f32 = 3.0;
/// Weeks a miner plans ahead when weighing a permit.
const PERMIT_HORIZON_WEEKS: f32 = 104.0;
/// Weekly chance a miner reconsiders formalising (applications spread over time).
const PERMIT_CONSIDER: f32 = 0.05;
/// Lease membership is handled by the operator, fast and cheap.
const LEASE_PERMIT_WEEKS: f32 = 4.0;
const LEASE_FEE_SHARE_OF_PERMIT: f32 = 0.2;

/// Per-week economic terms every miner faces, computed once per phase.
struct Terms {
    price: f32,
    buyer: f32,
    offtake: f32,
    levy: f32,
    lease_fee: f32,
    bribe: f32,
    shutdown: f32,
    cost: f32,
    capacity: f32,
    season: f32,
    ta_gain: f32,
    support_last: f32,
}

impl Terms {
    fn new(p: &Plan, now: &Now, support_last: f32) -> Terms {
        let s = p.s;
        let corruption = if now.leniency {
            0.0
        } else {
            s.officials.corruption as f32
        };
        Terms {
            price: now.price,
            buyer: s.economy.buyer_price_share as f32,
            offtake: p.st.interventions.offtake_price_share as f32,
            levy: s.chiefs.levy_share as f32,
            lease_fee: s.company.lease_fee_share as f32,
            bribe: corruption * s.officials.bribe_share as f32,
            shutdown: corruption * s.officials.shutdown_rate as f32,
            cost: s.economy.mining_cost_usd_week as f32,
            capacity: s.landscape.cell_capacity as f32,
            season: now.season,
            ta_gain: s.company.ta_productivity_gain as f32,
            support_last,
        }
    }

    /// Price share and deductions for a miner on a zone: (price share, levy or fee, bribe, shutdown risk).
    #[inline]
    fn deal(
        &self,
        zone: Zone,
        formal: bool,
        offtake: bool,
        criminal: bool,
    ) -> (f32, f32, f32, f32) {
        let share = if offtake { self.offtake } else { self.buyer };
        let levy = if zone == Zone::Lease {
            self.lease_fee
        } else {
            self.levy
        };
        // Criminal financiers pay the official for protection; formal miners owe nothing.
        let exposed = !formal && !criminal;
        let bribe = if formal || criminal { 0.0 } else { self.bribe };
        let shutdown = if exposed && zone.can_be_formal() {
            self.shutdown
        } else {
            0.0
        };
        (share, levy, bribe, shutdown)
    }
}

/// Whether a miner's output is bought under off-take this week.
#[inline]
fn sells_offtake(now: &Now, zone: Zone, permit: Permit, excluded: bool) -> bool {
    now.offtake
        && permit == Permit::Held
        && !excluded
        && matches!(zone, Zone::AsmZone | Zone::Lease)
}

/// Stay or leave, then where to dig, then whether to apply for a permit. Returns how many
/// miners are eligible for technical assistance (formalising, in the ASM zone or lease).
pub fn decide(w: &mut World, p: &Plan, now: &Now, wk: &mut Week) -> u32 {
    let mut eligible = 0;
    let mut rng = p.seed.stream(Stream::Decide, now.week);
    let t = Terms::new(p, now, w.state.support_last);
    let World {
        grid,
        miners: m,
        state,
        ..
    } = w;
    let farm_pull = 1.0 + p.s.season.farming_pull as f32;
    let leave_rate = p.s.miners.leave_rate as f32;
    let zone_cells = if now.programme {
        grid.planned.as_slice()
    } else {
        &[]
    };
    let permit_weeks = state.permit_weeks;
    let fee = p.s.officials.permit_fee_usd as f32;
    for i in 0..m.capacity() {
        if !m.active[i] {
            continue;
        }
        m.events[i] = 0;
        let local_farming = now.farming && !m.migrant[i];
        let mut reservation = m.reservation[i] * if local_farming { farm_pull } else { 1.0 };
        if m.criminal[i] {
            // Pre-financed crews are held by debt: they stay through lean weeks.
            reservation *= 0.5;
        }
        if m.expected[i] < reservation {
            let rate = if m.criminal[i] {
                leave_rate * 0.3
            } else {
                leave_rate
            };
            if rng.random::<f32>() < rate {
                m.remove(i);
                wk.quit += 1.0;
                continue;
            }
        }
        let here = m.cell[i];
        let r: u32 = rng.random();
        let (dx, dy) = ((r % 5) as i32 - 2, ((r / 5) % 5) as i32 - 2);
        let (x, y) = grid.xy(here);
        let near = grid.cell_at(x + dx, y + dy);
        let far = if rng.random::<f32>() < 0.15 {
            if !zone_cells.is_empty() && rng.random::<bool>() {
                zone_cells[rng.random_range(0..zone_cells.len())]
            } else {
                grid.cell_at(x + rng.random_range(-8..=8), y + rng.random_range(-8..=8))
            }
        } else {
            here
        };
        let mut best = here;
        let mut best_value =
            site_value(grid, &p.guarded, state.raid_risk, &t, now, m, i, here, here);
        for c in [near, far] {
            if c != best {
                let v = site_value(grid, &p.guarded, state.raid_risk, &t, now, m, i, c, here)
                    - MOVE_COST_USD;
                if v > best_value {
                    best = c;
                    best_value = v;
                }
            }
        }
        m.cell[i] = best;
        if m.permit[i] == Permit::None && rng.random::<f32>() < PERMIT_CONSIDER {
            consider_permit(grid, p, now, &t, m, i, permit_weeks, fee, state, wk);
        }
        if m.permit[i] != Permit::None
            && matches!(grid.zone[best as usize], Zone::AsmZone | Zone::Lease)
        {
            eligible += 1;
        }
    }
    eligible
}

/// Expected net value of digging at `cell` for miner `i` next week, USD.
#[inline]
#[allow(clippy::too_many_arguments)]
fn site_value(
    grid: &Grid,
    guarded: &[bool],
    risk: [f32; RISK_CLASSES],
    t: &Terms,
    now: &Now,
    m: &Miners,
    i: usize,
    cell: u32,
    here: u32,
) -> f32 {
    let c = cell as usize;
    let zone = grid.zone[c];
    let crowd = f32::from(grid.prev_occupancy[c]) + if cell == here { 0.0 } else { 1.0 };
    let crowding = (t.capacity / crowd.max(1.0)).min(1.0);
    let formal = m.permit[i] == Permit::Held && zone.can_be_formal();
    let offtake = sells_offtake(now, zone, m.permit[i], m.excluded[i]);
    let (share, levy, bribe, shutdown) = t.deal(zone, formal, offtake, m.criminal[i]);
    // In a supported zone or lease, miners count on technical assistance once they apply.
    let programme = now.programme && !m.criminal[i] && matches!(zone, Zone::AsmZone | Zone::Lease);
    let boost = if programme {
        1.0 + t.ta_gain * t.support_last
    } else {
        1.0
    };
    let gross = grid.grade[c] * m.productivity[i] * t.season * crowding * t.price * share * boost;
    let fear = risk[risk_class(zone, guarded[c])]
        * m.risk_aversion[i]
        * 2.0
        * (m.expected[i].max(0.0) + RAID_FEAR_USD);
    gross * (1.0 - levy - bribe - shutdown) - t.cost - fear
}

/// Apply for a permit when the expected gain over the planning horizon beats the fee, the
/// wait, and the fear of registering with a government the miner distrusts.
#[allow(clippy::too_many_arguments)]
fn consider_permit(
    grid: &Grid,
    p: &Plan,
    now: &Now,
    t: &Terms,
    m: &mut Miners,
    i: usize,
    permit_weeks: f32,
    fee: f32,
    state: &mut crate::world::State,
    wk: &mut Week,
) {
    let c = m.cell[i] as usize;
    let zone = grid.zone[c];
    if !zone.can_be_formal() {
        return;
    }
    let lease = zone == Zone::Lease;
    // Criminal financiers keep their crews informal, except to launder through an operator.
    if m.criminal[i] && !lease {
        return;
    }
    let support = p.st.interventions.formalisation_support;
    let wait = if lease {
        LEASE_PERMIT_WEEKS
    } else if support && now.programme && zone == Zone::AsmZone {
        permit_weeks * 0.5
    } else {
        permit_weeks
    };
    let gross = grid.grade[c] * m.productivity[i] * t.price;
    let premium = if now.offtake && matches!(zone, Zone::AsmZone | Zone::Lease) {
        t.offtake - t.buyer
    } else {
        0.0
    };
    let ta = if now.support > 0.0 && matches!(zone, Zone::AsmZone | Zone::Lease) {
        t.ta_gain * now.support
    } else {
        0.0
    };
    let gain_week = gross * (t.buyer * (t.bribe + t.shutdown) + premium + ta * t.buyer);
    let gain = gain_week * (PERMIT_HORIZON_WEEKS - wait).max(0.0);
    let full_fee = if lease {
        fee * LEASE_FEE_SHARE_OF_PERMIT
    } else {
        fee
    };
    let subsidised = now.subsidy && state.support_budget >= full_fee;
    let own_fee = if subsidised { 0.0 } else { full_fee };
    let standing = if lease { 0.8 } else { p.government_standing };
    let fear = (1.0 - standing) * 0.5 * full_fee;
    if gain > own_fee + fear && m.savings[i] >= own_fee {
        m.savings[i] -= own_fee;
        if subsidised {
            state.support_budget -= full_fee;
            wk.costs.programme += f64::from(full_fee);
        }
        m.permit[i] = Permit::Pending;
        m.permit_week[i] = now.week + wait.round() as u32;
    }
}

/// Count miners per cell for this week's digging.
pub fn count_occupancy(w: &mut World) {
    let grid = &mut w.grid;
    std::mem::swap(&mut grid.occupancy, &mut grid.prev_occupancy);
    grid.occupancy.iter_mut().for_each(|o| *o = 0);
    for (&active, &cell) in w.miners.active.iter().zip(&w.miners.cell) {
        if active {
            let o = &mut grid.occupancy[cell as usize];
            *o = o.saturating_add(1);
        }
    }
}

/// Dig: output, income, levy, bribes, off-take purchases, and depletion of the ore.
pub fn dig(w: &mut World, p: &Plan, now: &Now, wk: &mut Week) {
    let mut rng = p.seed.stream(Stream::Decide, now.week ^ 0x8000_0000);
    let t = Terms::new(p, now, w.state.support_last);
    let World {
        grid,
        miners: m,
        chiefs,
        state,
        ..
    } = w;
    let dd = p.st.compliance.due_diligence as f32;
    let resale = p.s.company.resale_share as f32;
    let mut levies = vec![0.0f32; chiefs.len()];
    let mut premium = 0.0f32;
    for i in 0..m.capacity() {
        if !m.active[i] {
            continue;
        }
        let c = m.cell[i] as usize;
        let zone = grid.zone[c];
        let formal = m.permit[i] == Permit::Held && zone.can_be_formal();
        let mut offtake = sells_offtake(now, zone, m.permit[i], m.excluded[i]);
        if offtake && m.criminal[i] {
            // Due diligence screens suppliers; criminal financing found means exclusion.
            if rng.random::<f32>() < dd {
                m.excluded[i] = true;
                m.permit[i] = Permit::None;
                m.grievance[i] = (m.grievance[i] + 0.3).min(1.0);
                offtake = false;
            } else if rng.random::<f32>() < 0.01 {
                // Undetected, the laundering comes out (NGO, press, auditor).
                wk.tainted += 1.0;
            }
        }
        let supported = matches!(zone, Zone::AsmZone | Zone::Lease)
            && m.permit[i] != Permit::None
            && rng.random::<f32>() < now.support;
        if supported {
            m.events[i] |= event::SUPPORTED;
        }
        let crowding = (t.capacity / f32::from(grid.occupancy[c]).max(1.0)).min(1.0);
        let boost = if supported { 1.0 + t.ta_gain } else { 1.0 };
        let grams = grid.grade[c] * m.productivity[i] * t.season * crowding * boost;
        let (share, levy, bribe, _) = t.deal(zone, formal, offtake, m.criminal[i]);
        let value = grams * t.price * share;
        if zone == Zone::Lease {
            // The operator's fee goes to the concession holder.
            wk.costs.offtake_net -= f64::from(value * levy);
        } else if let Some(owner) = levies.get_mut(grid.chief[c] as usize) {
            *owner += value * levy;
        }
        if offtake {
            let world = grams * t.price;
            premium += world * (t.offtake - t.buyer);
            // Purchases plus 0.5% handling, minus what resale brings in.
            wk.costs.offtake_net += f64::from(world * share + world * 0.005 - world * resale);
        }
        m.income[i] = value * (1.0 - levy - bribe) - t.cost;
    }
    deplete(grid, p.s.landscape.depletion_per_miner_week as f32);
    state.premium_paid = premium;
    for (chief, levy) in chiefs.iter_mut().zip(levies) {
        chief.income = 0.9 * chief.income + 0.1 * levy;
    }
}

fn deplete(grid: &mut Grid, rate: f32) {
    for (g, &o) in grid.grade.iter_mut().zip(&grid.occupancy) {
        if o > 0 {
            *g *= (1.0 - rate * f32::from(o)).max(0.0);
        }
    }
}

/// Grievance and trust move with what happened to each miner this week, with the chief's
/// stance, with engagement, and fade toward their baseline; then the week is tallied.
pub fn attitudes(w: &mut World, p: &Plan, now: &Now, wk: &mut Week, rec: &mut Recorder) {
    let mut rng = p.seed.stream(Stream::Attitudes, now.week);
    let b = &p.s.behaviour;
    let World {
        grid,
        miners: m,
        chiefs,
        state,
        ..
    } = w;
    let fade = 1.0 / b.grievance_memory_weeks as f32;
    let g0 = p.s.miners.grievance_initial as f32;
    let t0 = p.s.miners.trust_initial as f32;
    let outrage = (b.outrage_per_incident * (wk.hr + 0.3 * wk.hr_state + 3.0 * wk.fatalities))
        .min(0.02) as f32;
    let promise = b.broken_promise_grievance as f32 * now.shortfall;
    let gain = b.engagement_trust_gain as f32;
    let pull = b.chief_influence as f32;
    let effects = engagement_effects(p, chiefs);
    let maps = rec.maps(now.week);
    let (mut g_sum, mut t_sum) = (0.0f64, 0.0f64);
    for i in 0..m.capacity() {
        if !m.active[i] {
            continue;
        }
        let ev = m.events[i];
        let mut g = m.grievance[i];
        let mut tr = m.trust[i];
        g += (g0 - g) * fade + outrage + promise;
        tr += (t0 - tr) * fade;
        if m.income[i] < m.reservation[i] {
            g += b.hardship_grievance as f32 * (1.0 - (m.income[i] / m.reservation[i]).max(0.0));
        }
        if ev & event::EVICTED != 0 {
            g += b.eviction_grievance as f32;
            tr -= 0.15;
        }
        if ev & event::CRACKDOWN != 0 {
            // State crackdowns the company did not ask for are blamed on it only in part.
            g += 0.3 * b.eviction_grievance as f32;
        }
        if ev & event::ABUSED != 0 {
            g += b.abuse_grievance as f32;
            tr -= 0.25;
        }
        if ev & event::NEGOTIATED != 0 {
            tr += 0.03;
        }
        if ev & event::SUPPORTED != 0 {
            tr += 0.01;
            g -= 0.01;
        }
        let chief = m.chief[i];
        if chief != NO_CHIEF {
            let ch = &chiefs[chief as usize];
            let view = 0.5 - 0.5 * ch.stance;
            g += pull * ch.legitimacy * (view - g);
        }
        if now.reach > 0.0 && rng.random::<f32>() < now.reach {
            let effect = miner_effect(&effects, now, m, i);
            tr += gain * effect * if effect > 0.0 { 1.0 - tr } else { tr };
            g -= 0.5 * gain * effect * if effect > 0.0 { g } else { 1.0 - g };
            m.events[i] |= event::REACHED;
        }
        let g = g.clamp(0.0, 1.0);
        let tr = tr.clamp(0.0, 1.0);
        m.grievance[i] = g;
        m.trust[i] = tr;
        m.expected[i] = 0.8 * m.expected[i] + 0.2 * m.income[i];
        m.savings[i] = (0.98 * m.savings[i]
            + 0.2 * (m.income[i] - POVERTY_LINE_USD_WEEK as f32).max(0.0))
        .min(2000.0);
        tally(grid, m, i, wk, rec, maps);
        g_sum += f64::from(g);
        t_sum += f64::from(tr);
    }
    wk.grievance_sum = g_sum;
    wk.trust_sum = t_sum;
    let n = wk.miners.max(1.0);
    state.mean_grievance = (g_sum / n) as f32;
    state.mean_trust = (t_sum / n) as f32;
}

/// Engagement effect by chief (indirect through chiefs depends on each chief's legitimacy).
struct Effects {
    chief: Vec<f32>,
    migrant_chief: f32,
    other: f32,
}

fn engagement_effects(p: &Plan, chiefs: &[Chief]) -> Effects {
    // Below a standing of 0.35 a third party's approach breeds suspicion and fear.
    let effect = |standing: f32| (standing - 0.35) / 0.65;
    Effects {
        chief: chiefs
            .iter()
            .map(|c| effect(p.channel_standing(Some(c.legitimacy))))
            .collect(),
        migrant_chief: effect(p.channel_standing(None)),
        other: effect(p.channel_standing(None)),
    }
}

#[inline]
fn miner_effect(e: &Effects, now: &Now, m: &Miners, i: usize) -> f32 {
    let base = if now.direct_effect != 0.0 {
        now.direct_effect
    } else if m.chief[i] != NO_CHIEF && !e.chief.is_empty() {
        e.chief[m.chief[i] as usize]
    } else if e.chief.is_empty() {
        e.other
    } else {
        e.migrant_chief
    };
    // Criminal crews are held by their financiers: talk barely reaches them (OECD: do not engage).
    if m.criminal[i] { base * 0.1 } else { base }
}

#[inline]
fn tally(grid: &Grid, m: &Miners, i: usize, wk: &mut Week, rec: &mut Recorder, maps: bool) {
    let c = m.cell[i] as usize;
    let zone = grid.zone[c];
    let income = m.income[i];
    wk.miners += 1.0;
    wk.income_sum += f64::from(income);
    if f64::from(income) < POVERTY_LINE_USD_WEEK {
        wk.poor += 1.0;
    }
    if zone.is_incursion() {
        wk.incursions += 1.0;
        if zone == Zone::Core {
            wk.core_incursions += 1.0;
        }
    }
    if m.permit[i] == Permit::Held && zone.can_be_formal() {
        wk.formal += 1.0;
    }
    rec.income(income);
    if maps {
        rec.map[c] += 1.0;
    }
}

/// Newcomers: migrants flow in when expected ASM income, with news of the gold price, beats
/// their outside option (rushes on price spikes); they land near the concession.
pub fn migrate(w: &mut World, p: &Plan, now: &Now, wk: &mut Week) {
    let mut rng = p.seed.stream(Stream::Migration, now.week);
    let s = p.s;
    let World {
        grid,
        miners,
        chiefs,
        state,
        ..
    } = w;
    let n = wk.miners.max(1.0);
    let mean_income = (wk.income_sum / n) as f32;
    state.price_ref = 0.96 * state.price_ref + 0.04 * now.price;
    let news = now.price / state.price_ref.max(0.01);
    let outside = (s.economy.alternative_income_usd_week * s.economy.outside_option_access) as f32;
    let pull = (mean_income * news / outside.max(1.0) - 1.0).max(0.0);
    let lambda = f64::from(pull) * s.miners.inflow_per_week;
    let arrivals = crate::rng::poisson(&mut rng, lambda);
    for _ in 0..arrivals {
        let cell = p.near[rng.random_range(0..p.near.len())];
        let migrant = rng.random::<f64>() < s.behaviour.rush_migrant_share;
        let Some(i) = add_miner(miners, s, grid, chiefs, &mut rng, cell, migrant) else {
            break;
        };
        wk.arrivals += 1.0;
        // Strangers to the company: half the baseline trust.
        miners.trust[i] *= 0.5;
    }
}
