//! Miners' weekly rules: stay or leave, where to dig, whether to seek a permit, what they
//! earn, how grievance and trust move, and who arrives.
//!
//! The hot loops of the model: one pass per phase over the struct-of-arrays, reading shared
//! state (last week's occupancy, perceived raid risk) that no miner writes during the pass.

use super::sites::{Sites, Terms, can_pay, crowd, sells_offtake, status};
use super::{Now, Plan};
use crate::metrics::{POVERTY_LINE_USD_WEEK, Recorder, Week};
use crate::rng::Stream;
use crate::world::{Chief, Grid, Miners, Permit, World, Zone, add_miner, event};
use rand::RngExt;

/// What a miner fears losing beyond the week's output if raided: tools, a beating, a move
/// (USD, assumption).
const RAID_FEAR_USD: f32 = 100.0;
/// Weekly chance (per 65,536) that a miner scouts a farther site, within 8 cells or in the
/// ASM zone or lease.
const EXPLORE_PER_65536: u64 = 9830;
/// Effort of moving to another site, USD (keeps miners from hopping for pennies).
const MOVE_COST_USD: f32 = 3.0;
/// Weekly chance a miner reconsiders formalising (applications spread over time).
const PERMIT_CONSIDER: f32 = 0.05;
/// Lease membership is handled by the operator, fast and cheap.
const LEASE_PERMIT_WEEKS: f32 = 4.0;
const LEASE_FEE_SHARE_OF_PERMIT: f32 = 0.2;

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
    let sites = Sites::new(grid, p, now, &t, &state.raid_risk);
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
        // One 64-bit draw decides both candidate sites (the hot loop: draws are costly).
        let r: u64 = rng.random();
        let (x, y) = grid.xy(here);
        let near = grid.cell_at(x + (r % 5) as i32 - 2, y + ((r >> 8) % 5) as i32 - 2);
        let explore = ((r >> 16) & 0xffff) < EXPLORE_PER_65536;
        let far = if !explore {
            here
        } else if !zone_cells.is_empty() && (r >> 32) & 1 == 1 {
            // Word of the ASM zone or lease gets around.
            zone_cells[((((r >> 33) & 0x7fff_ffff) * zone_cells.len() as u64) >> 31) as usize]
        } else {
            grid.cell_at(
                x + ((r >> 40) % 17) as i32 - 8,
                y + ((r >> 48) % 17) as i32 - 8,
            )
        };
        let mut best = here;
        let (prod, st) = (m.productivity[i], status(m, i, t.bribe));
        let fear = m.risk_aversion[i] * 2.0 * (m.expected[i].max(0.0) + RAID_FEAR_USD);
        let mut best_value = sites.value(here, here, prod, st, fear, t.cost);
        for c in [near, far] {
            if c != best {
                let v = sites.value(c, here, prod, st, fear, t.cost) - MOVE_COST_USD;
                if v > best_value {
                    best = c;
                    best_value = v;
                }
            }
        }
        m.cell[i] = best;
        if m.permit[i] == Permit::None && rng.random::<f32>() < PERMIT_CONSIDER {
            consider_permit(grid, p, now, &t, m, i, permit_weeks, fee, state);
        }
        if m.permit[i] != Permit::None
            && !m.criminal[i]
            && matches!(grid.zone[best as usize], Zone::AsmZone | Zone::Lease)
        {
            eligible += 1;
        }
    }
    eligible
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
    // What technical assistance reached eligible miners last week (this week's is allocated
    // only after everyone has decided).
    let ta = if t.support_last > 0.0 && matches!(zone, Zone::AsmZone | Zone::Lease) {
        t.ta_gain * t.support_last
    } else {
        0.0
    };
    // What formal status saves here: the official's bribe or shutdown risk (community land
    // only), the off-take premium and technical assistance (zone or lease).
    let (_, _, bribe, shutdown) = t.deal(zone, false, false, false);
    let gain_week = gross * (t.buyer * bribe.max(shutdown) + premium + ta * t.buyer);
    let gain = gain_week * (p.s.miners.planning_weeks as f32 - wait).max(0.0);
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
        }
        m.permit[i] = Permit::Pending;
        m.permit_week[i] = now.week + wait.round() as u32;
    }
}

/// Count miners per cell for this week's digging.
pub fn count_occupancy(w: &mut World) {
    let grid = &mut w.grid;
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
    let detect = p.s.company.dd_detection_per_week as f32;
    let exposure = p.s.company.tainted_exposure_per_week as f32;
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
            // Due diligence finds a criminal supplier in a given week with chance 0.1 x level:
            // networks use front men, and audits take time.
            if rng.random::<f32>() < detect * dd {
                m.excluded[i] = true;
                m.permit[i] = Permit::None;
                m.grievance[i] = (m.grievance[i] + 0.3).min(1.0);
                offtake = false;
            } else if rng.random::<f32>() < exposure && state.offtake_suspended == 0 {
                // Undetected, the laundering comes out (NGO, press, auditor): purchases are
                // suspended pending an audit, as any compliance function would.
                wk.tainted += 1.0;
                state.offtake_suspended = p.s.company.offtake_suspension_weeks;
            }
        }
        let supported = !m.criminal[i]
            && matches!(zone, Zone::AsmZone | Zone::Lease)
            && m.permit[i] != Permit::None
            && rng.random::<f32>() < now.support;
        if supported {
            m.events[i] |= event::SUPPORTED;
        }
        let crowding = crowd(t.capacity, usize::from(grid.occupancy[c]));
        let boost = if supported { 1.0 + t.ta_gain } else { 1.0 };
        let grams = grid.grade[c] * m.productivity[i] * t.season * crowding * boost;
        let (share, levy, bribe, _) = t.deal(zone, formal, offtake, m.criminal[i]);
        let value = grams * t.price * share;
        // Those who can pay the official buy protection from his shutdowns; the poorest
        // cannot, keep the money, and are exposed ("shut down sites of those who do not pay").
        let pays = can_pay(m.savings[i], value * bribe);
        let bribe = if pays { bribe } else { 0.0 };
        if pays {
            m.events[i] |= event::PAID;
        }
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
    let trust_fade = 1.0 / b.trust_memory_weeks as f32;
    let g0 = p.s.miners.grievance_initial as f32;
    let t0 = p.s.miners.trust_initial as f32;
    let outrage = (b.outrage_per_incident * (wk.hr + 0.3 * wk.hr_state + 3.0 * wk.fatalities))
        .min(0.02) as f32;
    let promise = b.broken_promise_grievance as f32 * now.shortfall;
    let gain = b.engagement_trust_gain as f32;
    let pull = b.chief_influence as f32;
    let (eviction_trust, abuse_trust) = (b.eviction_trust_loss as f32, b.abuse_trust_loss as f32);
    let effects = engagement_effects(p, chiefs);
    let maps = rec.maps(now.week);
    let (mut g_sum, mut t_sum) = (0.0f64, 0.0f64);
    let mut tally = Tally::default();
    // Each chief's pull on his followers: toward his view, as far as they follow him.
    let chief_pull: Vec<(f32, f32)> = chiefs
        .iter()
        .map(|ch| (pull * ch.legitimacy, 0.5 - 0.5 * ch.stance))
        .collect();
    for i in 0..m.capacity() {
        if !m.active[i] {
            continue;
        }
        let ev = m.events[i];
        let mut g = m.grievance[i];
        let mut tr = m.trust[i];
        g += (g0 - g) * fade + outrage + promise;
        tr += (t0 - tr) * trust_fade;
        if m.income[i] < m.reservation[i] {
            g += b.hardship_grievance as f32 * (1.0 - (m.income[i] / m.reservation[i]).max(0.0));
        }
        if ev & event::EVICTED != 0 {
            g += b.eviction_grievance as f32;
            tr -= eviction_trust;
        }
        if ev & event::CRACKDOWN != 0 {
            // State crackdowns the company did not ask for are blamed on it only in part.
            g += 0.3 * b.eviction_grievance as f32;
        }
        if ev & event::ABUSED != 0 {
            g += b.abuse_grievance as f32;
            tr -= abuse_trust;
        }
        if ev & event::NEGOTIATED != 0 {
            tr += 0.03;
        }
        if ev & event::SUPPORTED != 0 {
            tr += 0.01;
            g -= 0.01;
        }
        if let Some(&(weight, view)) = chief_pull.get(m.chief[i] as usize) {
            g += weight * (view - g);
        }
        if now.reach > 0.0 && rng.random::<f32>() < now.reach {
            let effect = miner_effect(&effects, now, m, i);
            tr += gain * effect * if effect > 0.0 { 1.0 - tr } else { tr };
            g -= 0.5 * gain * effect * if effect > 0.0 { g } else { 1.0 - g };
        }
        let g = g.clamp(0.0, 1.0);
        let tr = tr.clamp(0.0, 1.0);
        m.grievance[i] = g;
        m.trust[i] = tr;
        m.expected[i] = 0.8 * m.expected[i] + 0.2 * m.income[i];
        m.savings[i] = (0.98 * m.savings[i]
            + 0.2 * (m.income[i] - POVERTY_LINE_USD_WEEK as f32).max(0.0))
        .min(2000.0);
        tally.count(grid, m, i, rec, maps);
        g_sum += f64::from(g);
        t_sum += f64::from(tr);
    }
    tally.into(wk);
    wk.grievance_sum = g_sum;
    wk.trust_sum = t_sum;
    let n = wk.miners.max(1.0);
    state.mean_grievance = (g_sum / n) as f32;
    state.mean_trust = (t_sum / n) as f32;
}

/// Engagement effect by chief (indirect through chiefs depends on each chief's legitimacy).
struct Effects {
    /// Through each chief, for his followers.
    chief: Vec<f32>,
    /// For everyone else: migrants (a chief reaches them only weakly), or any miner when the
    /// channel is not a chief.
    unattached: f32,
}

fn engagement_effects(p: &Plan, chiefs: &[Chief]) -> Effects {
    // Below a standing of 0.35 a third party's approach breeds suspicion and fear.
    let effect = |standing: f32| (standing - 0.35) / 0.65;
    Effects {
        chief: chiefs
            .iter()
            .map(|c| effect(p.channel_standing(Some(c.legitimacy))))
            .collect(),
        unattached: effect(p.channel_standing(None)),
    }
}

#[inline]
fn miner_effect(e: &Effects, now: &Now, m: &Miners, i: usize) -> f32 {
    let base = if now.direct_effect != 0.0 {
        now.direct_effect
    } else {
        e.chief
            .get(m.chief[i] as usize)
            .copied()
            .unwrap_or(e.unattached)
    };
    // Criminal crews are held by their financiers: talk barely reaches them (OECD: do not engage).
    if m.criminal[i] { base * 0.1 } else { base }
}

/// Counts of the week's miners, kept in registers during the attitude pass.
#[derive(Default)]
struct Tally {
    miners: u32,
    poor: u32,
    incursions: u32,
    core: u32,
    formal: u32,
    income: f64,
}

impl Tally {
    #[inline]
    fn count(&mut self, grid: &Grid, m: &Miners, i: usize, rec: &mut Recorder, maps: bool) {
        let c = m.cell[i] as usize;
        let zone = grid.zone[c];
        let income = m.income[i];
        self.miners += 1;
        self.income += f64::from(income);
        self.poor += u32::from(income < POVERTY_LINE_USD_WEEK as f32);
        self.incursions += u32::from(zone.is_incursion());
        self.core += u32::from(zone == Zone::Core);
        self.formal += u32::from(m.permit[i] == Permit::Held && zone.can_be_formal());
        rec.income(income);
        if maps {
            rec.map[c] += 1.0;
        }
    }

    fn into(self, wk: &mut Week) {
        wk.miners += f64::from(self.miners);
        wk.income_sum += self.income;
        wk.poor += f64::from(self.poor);
        wk.incursions += f64::from(self.incursions);
        wk.core_incursions += f64::from(self.core);
        wk.formal += f64::from(self.formal);
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
    // News of a price spike spreads fast and pulls far more people than steady earnings do.
    let lambda = f64::from(pull * news.powi(3)) * s.miners.inflow_per_week;
    let arrivals = crate::rng::poisson(&mut rng, lambda);
    let price_now = now.price / s.economy.gold_price_usd_per_g as f32;
    for _ in 0..arrivals {
        let cell = p.near[rng.random_range(0..p.near.len())];
        let migrant = rng.random::<f64>() < s.behaviour.rush_migrant_share;
        let Some(i) = add_miner(miners, s, grid, chiefs, &mut rng, cell, migrant) else {
            break;
        };
        wk.arrivals += 1.0;
        // Strangers to the company: half the baseline trust.
        miners.trust[i] *= 0.5;
        // Newcomers expect what the gold price pays today.
        for v in [
            &mut miners.income[i],
            &mut miners.expected[i],
            &mut miners.savings[i],
        ] {
            *v *= price_now;
        }
    }
}
