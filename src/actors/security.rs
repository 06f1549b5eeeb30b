//! Security: company guards, state forces and the local official acting on where miners dig.
//!
//! Raids are group events on a cell: guards or forces arrive, miners are offered a negotiated
//! departure or evicted by force, and a crowd may resist (a clash), which may turn violent
//! and bring abuse. Miners learn the risk of each zone from the raids they see.

use super::sites::crowd;
use super::{Now, Plan};
use crate::metrics::Week;
use crate::rng::{self, Stream};
use crate::strategy::EvictionMode;
use crate::world::{Grid, Miners, Permit, World, Zone, event};
use rand::RngExt;

/// How fast miners' belief about raid risk follows what they see.
const RISK_LEARNING: f32 = 0.3;

/// Classes of site by the enforcement they face; miners learn the risk of each class.
pub const RISK_CLASSES: usize = 5;
/// The class of land where ASM can be legal (community, ASM zone, lease).
const LEGAL: usize = 4;

/// Core, guarded periphery, tolerated concession land, protected area, land where ASM can be
/// legal.
#[inline]
pub fn risk_class(zone: Zone, guarded: bool) -> usize {
    match zone {
        Zone::Core if guarded => 0,
        Zone::Core | Zone::Periphery if guarded => 1,
        Zone::Core | Zone::Periphery => 2,
        Zone::Protected => 3,
        _ => LEGAL,
    }
}

/// Who is raiding, which sets the mode and the blame.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Raider {
    Company,
    Forces,
    /// Company guards acting on a wrong identification.
    Mistaken,
}

/// Miners of each cell, by counting sort (slots in index order within a cell).
pub struct CellIndex {
    start: Vec<u32>,
    order: Vec<u32>,
}

impl CellIndex {
    /// The index of the miners as they stand, given `occupancy`, this week's count of active
    /// miners per cell (`miners::count_occupancy`): the counts are not taken twice. Should a
    /// cell's count have saturated, the miners are counted here.
    pub fn build(m: &Miners, occupancy: &[u16]) -> CellIndex {
        let n = m.capacity();
        let (active, cell) = (&m.active[..n], &m.cell[..n]);
        let cells = occupancy.len();
        // Counts go two slots up; after the prefix sum, slot c + 1 holds where cell c
        // starts and serves as its fill cursor, ending where cell c + 1 starts: no copy of
        // the starts is needed.
        let mut start = vec![0u32; cells + 2];
        // A count can have saturated only where a cell could hold `u16::MAX` miners.
        if n >= usize::from(u16::MAX) && occupancy.contains(&u16::MAX) {
            for (&a, &c) in active.iter().zip(cell) {
                start[c as usize + 2] += u32::from(a);
            }
        } else {
            for (s, &o) in start[2..].iter_mut().zip(occupancy) {
                *s = u32::from(o);
            }
        }
        let mut total = 0;
        for s in start.iter_mut() {
            total += *s;
            *s = total;
        }
        let mut order = vec![0u32; total as usize];
        for (i, (&a, &c)) in active.iter().zip(cell).enumerate() {
            if a {
                let cursor = &mut start[c as usize + 1];
                order[*cursor as usize] = i as u32;
                *cursor += 1;
            }
        }
        start.truncate(cells + 1);
        debug_assert_eq!(
            total as usize,
            active.iter().filter(|&&a| a).count(),
            "occupancy counts the active miners"
        );
        CellIndex { start, order }
    }

    /// Cells with at least one miner, in cell order. Compacted without branches: about
    /// half the cells are occupied, and a test per cell is guessed wrong as often.
    pub fn occupied(&self) -> Vec<u32> {
        let cells = self.start.len() - 1;
        let mut list = vec![0u32; cells];
        let mut len = 0;
        for (cell, w) in self.start.windows(2).enumerate() {
            list[len] = cell as u32;
            len += usize::from(w[1] > w[0]);
        }
        list.truncate(len);
        list
    }

    pub fn at(&self, cell: usize) -> &[u32] {
        &self.order[self.start[cell] as usize..self.start[cell + 1] as usize]
    }
}

/// Raids by guards and forces, collateral raids where the company knows the ground poorly,
/// and the official's shutdowns of informal sites.
pub fn enforce(w: &mut World, p: &Plan, now: &Now, wk: &mut Week) {
    let mut rng = p.seed.stream(Stream::Enforce, now.week);
    let index = CellIndex::build(&w.miners, &w.grid.occupancy);
    let mut targets: [Vec<u32>; RISK_CLASSES] = Default::default();
    for cell in index.occupied() {
        let c = cell as usize;
        targets[risk_class(w.grid.zone[c], p.guarded[c])].push(cell);
    }
    let occupied = targets.each_ref().map(|t| t.len() as f32);
    let mut raided = [0.0f32; RISK_CLASSES];
    let sec = &p.st.security;
    let knowledge = w.state.knowledge;
    let watched: Vec<u32> = targets[0].iter().chain(&targets[1]).copied().collect();
    if sec.eviction != EvictionMode::None && !watched.is_empty() {
        let ops = rng::poisson(
            &mut rng,
            sec.guard_intensity * p.s.security.guard_ops_per_week,
        );
        // Patrol areas are worked out at the week's first patrol (they are not random).
        let mut areas: Option<(Vec<u32>, Vec<u32>)> = None;
        for _ in 0..ops {
            // Wrong targets where the company knows the ground poorly: guards confront
            // legitimate miners next door, taking them for intruders.
            if rng.random::<f32>() < (1.0 - knowledge) * p.s.security.mistaken_raid_share as f32 {
                // They go where they see people, so the mistake finds someone.
                let cell = (0..4)
                    .map(|_| p.near[rng.random_range(0..p.near.len())] as usize)
                    .max_by_key(|&c| index.at(c).len())
                    .unwrap_or(0);
                raid(
                    w,
                    p,
                    now,
                    wk,
                    &mut rng,
                    index.at(cell),
                    Raider::Mistaken,
                    cell,
                );
                continue;
            }
            let cell = if rng.random::<f32>() < 0.3 + 0.7 * knowledge {
                // Intelligence-led: straight to where miners are.
                pick(&w.grid, &watched, &index, knowledge, &mut rng)
            } else {
                // A patrol: miners hide, come back at night; it finds whoever is there. Half of
                // the patrols stay on the core, the asset guards exist for.
                let (patrol, core) = areas.get_or_insert_with(|| patrol_areas(&w.grid, p));
                let area = if !core.is_empty() && rng.random::<bool>() {
                    core
                } else {
                    patrol
                };
                area[rng.random_range(0..area.len())] as usize
            };
            let zone = w.grid.zone[cell];
            let class = risk_class(zone, p.guarded[cell]);
            raided[class] += raid(
                w,
                p,
                now,
                wk,
                &mut rng,
                index.at(cell),
                Raider::Company,
                cell,
            );
        }
    }
    if now.forces {
        let illegal: Vec<u32> = targets[..LEGAL].iter().flatten().copied().collect();
        if !illegal.is_empty() {
            wk.forces_on_concession = true;
            // A deployment the company asked for works the concession for weeks; a
            // pre-election show of force is briefer.
            let ops = if w.state.forces_left > 0 {
                p.s.security.forces_ops_per_week
            } else {
                p.s.security.crackdown_ops_per_week
            };
            for _ in 0..rng::poisson(&mut rng, ops) {
                // Forces know the ground little better than a patrol.
                if rng.random::<f32>() >= p.s.security.forces_hit_rate as f32 {
                    continue;
                }
                let cell = pick(&w.grid, &illegal, &index, 0.0, &mut rng);
                let zone = w.grid.zone[cell];
                let class = risk_class(zone, p.guarded[cell]);
                raided[class] += raid(
                    w,
                    p,
                    now,
                    wk,
                    &mut rng,
                    index.at(cell),
                    Raider::Forces,
                    cell,
                );
            }
        }
    }
    if now.crackdown && !targets[LEGAL].is_empty() {
        for _ in 0..rng::poisson(&mut rng, p.s.security.crackdown_ops_per_week) {
            let cell = pick(&w.grid, &targets[LEGAL], &index, 0.0, &mut rng);
            let informal: Vec<u32> = index
                .at(cell)
                .iter()
                .copied()
                .filter(|&i| w.miners.permit[i as usize] != Permit::Held)
                .collect();
            raided[LEGAL] += raid(w, p, now, wk, &mut rng, &informal, Raider::Forces, cell);
        }
    }
    for c in 0..RISK_CLASSES {
        let seen = if occupied[c] > 0.0 {
            raided[c] / occupied[c]
        } else {
            0.0
        };
        // Two raids on one cell in a week still make a risk of one at most.
        w.state.raid_risk[c] += RISK_LEARNING * (seen.min(1.0) - w.state.raid_risk[c]);
    }
    shutdowns(w, p, now, &index, &targets[LEGAL], &mut rng);
}

/// Where guards patrol: the guarded cells still on the concession, and those in the core.
fn patrol_areas(grid: &Grid, p: &Plan) -> (Vec<u32>, Vec<u32>) {
    let patrol: Vec<u32> = p
        .guarded_list
        .iter()
        .copied()
        .filter(|&c| grid.zone[c as usize].is_incursion())
        .collect();
    let core = patrol
        .iter()
        .copied()
        .filter(|&c| grid.zone[c as usize] == Zone::Core)
        .collect();
    (patrol, core)
}

/// A target among occupied cells: the better the company knows the ground, the more it goes
/// for the biggest crowds, in the core first (best of 1 + 4 x knowledge random candidates).
fn pick(
    grid: &Grid,
    cells: &[u32],
    index: &CellIndex,
    knowledge: f32,
    rng: &mut rng::Rng,
) -> usize {
    let tries = 1 + (4.0 * knowledge).round() as usize;
    let weight = |c: usize| index.at(c).len() * if grid.zone[c] == Zone::Core { 3 } else { 1 };
    (0..tries)
        .map(|_| cells[rng.random_range(0..cells.len())] as usize)
        .max_by_key(|&c| weight(c))
        .unwrap_or(cells[0] as usize)
}

/// One raid on the miners of a cell. Returns how heavily it weighs on miners' sense of risk.
#[allow(clippy::too_many_arguments)]
fn raid(
    w: &mut World,
    p: &Plan,
    now: &Now,
    wk: &mut Week,
    rng: &mut rng::Rng,
    here: &[u32],
    raider: Raider,
    cell: usize,
) -> f32 {
    let sec = &p.st.security;
    let zone = w.grid.zone[cell];
    // Only those still digging here: a miner moved or gone this week is not found.
    let present = |w: &World, i: u32| {
        w.miners.active[i as usize] && w.miners.cell[i as usize] as usize == cell
    };
    let mode = match raider {
        Raider::Forces | Raider::Mistaken => EvictionMode::Forced,
        Raider::Company => sec.eviction,
    };
    let mut forced: Vec<u32> = Vec::new();
    // Rent-seeking agents tip off those who paid for protection (criminal financiers pay
    // for their crews) before a state operation: forced exclusion leaks in a weak state.
    let leak = if raider == Raider::Forces {
        p.s.security.rent_seeking as f32
    } else {
        0.0
    };
    match mode {
        EvictionMode::None => return 0.0,
        EvictionMode::Forced => {
            for &i in here {
                let m = &w.miners;
                let protected = m.events[i as usize] & event::PAID != 0 || m.criminal[i as usize];
                if present(w, i) && !(leak > 0.0 && protected && rng.random::<f32>() < leak) {
                    forced.push(i);
                }
            }
        }
        EvictionMode::Negotiated => {
            for &i in here {
                // Force as a last resort, and only to protect the core.
                let last_resort = sec.last_resort_force && zone == Zone::Core;
                if present(w, i) && !negotiate(w, p, now, wk, rng, i as usize) && last_resort {
                    forced.push(i);
                }
            }
        }
    }
    if !forced.is_empty() {
        evict(w, p, now, wk, rng, &forced, raider, zone);
    }
    if mode == EvictionMode::Negotiated && forced.is_empty() {
        0.5
    } else {
        1.0
    }
}

/// Offer a negotiated voluntary departure. Acceptance rises with trust, with the offer
/// against what the site earns, and with how well the company knows what miners need.
fn negotiate(
    w: &mut World,
    p: &Plan,
    now: &Now,
    wk: &mut Week,
    rng: &mut rng::Rng,
    i: usize,
) -> bool {
    let m = &mut w.miners;
    let st = p.st;
    // Compensation is paid once: a miner who took it and came back is asked to leave unpaid.
    let offer = if m.compensated[i] {
        0.0
    } else {
        st.security.compensation_usd as f32
    };
    let weeks_worth = offer / (10.0 * m.expected[i].max(5.0));
    let criminal = if m.criminal[i] { 0.5 } else { 0.0 };
    // An offer fits what miners need only as far as the company knows them.
    let fit = 0.3 + 0.7 * w.state.knowledge;
    let accept =
        (0.15 + 0.4 * m.trust[i] + 0.45 * fit * weeks_worth.min(1.0) - criminal).clamp(0.02, 0.95);
    if rng.random::<f32>() >= accept {
        return false;
    }
    wk.departures += 1.0;
    wk.costs.compensation += f64::from(offer);
    m.compensated[i] = true;
    m.events[i] |= event::NEGOTIATED;
    let home = st.investment.return_home_usd;
    if m.migrant[i] && home > 0.0 && rng.random::<f32>() < 0.4 {
        // Support to return home: the migrant leaves the area by choice.
        wk.costs.compensation += home;
        wk.exits += 1.0;
        w.state.away.add(m.reservation[i]);
        m.remove(i);
        return true;
    }
    let zone_cells = &w.grid.planned;
    m.cell[i] = if now.programme && !zone_cells.is_empty() {
        zone_cells[rng.random_range(0..zone_cells.len())]
    } else {
        p.near[rng.random_range(0..p.near.len())]
    };
    true
}

/// Forced eviction of a group: they may resist (a clash), it may turn violent, abuse may
/// follow; each evictee loses the week's ore and chooses where to go (`evictee_moves`).
#[allow(clippy::too_many_arguments)]
fn evict(
    w: &mut World,
    p: &Plan,
    now: &Now,
    wk: &mut Week,
    rng: &mut rng::Rng,
    group: &[u32],
    raider: Raider,
    zone: Zone,
) {
    let s = p.s;
    let m = &mut w.miners;
    let n = group.len() as f32;
    let mean_g = group.iter().map(|&i| m.grievance[i as usize]).sum::<f32>() / n;
    let criminal = group.iter().filter(|&&i| m.criminal[i as usize]).count() as f32 / n;
    let state = raider == Raider::Forces;
    // Miners who trust the company talk rather than fight its guards (relationships built
    // before a crisis decide whether diplomacy works); state forces get little such credit.
    let credit = if state {
        s.security.forces_trust_credit as f32
    } else {
        1.0
    };
    let mean_trust = if credit == 0.0 {
        0.0
    } else {
        credit * group.iter().map(|&i| m.trust[i as usize]).sum::<f32>() / n
    };
    let size = 0.3 + 0.7 * (n / 20.0).min(1.0);
    let restraint = s.behaviour.trust_restraint as f32;
    let clash_p =
        (0.4 * mean_g * (1.0 - restraint * mean_trust) * size + 0.2 * criminal).clamp(0.0, 0.95);
    let clash = rng.random::<f32>() < clash_p;
    if clash {
        wk.clashes += 1.0;
        let violent_p = s.behaviour.clash_violence as f32
            * (1.0 + criminal)
            * forces_factor(state, s.security.forces_violence_factor);
        if rng.random::<f32>() < violent_p {
            wk.violent += 1.0;
            let deaths = s.behaviour.fatalities_per_violent
                * f64::from(forces_factor(state, s.security.forces_lethality_factor));
            let deaths = f64::from(rng::poisson(rng, deaths));
            wk.fatalities += deaths;
            if state && !w.state.forces_company {
                wk.fatalities_state += deaths;
            }
        }
    }
    // Abuse is a property of the operation: more likely in a clash, and with a bigger crowd.
    let abuse = abuse_chance(p, state, w.state.forces_company);
    let allegations = rng::poisson(
        rng,
        f64::from(abuse * if clash { 1.0 + n / 10.0 } else { 0.3 }),
    );
    // Forces sent for a pre-election show are blamed on the company only in part.
    let company_blamed = !state || w.state.forces_company;
    if company_blamed {
        wk.hr += f64::from(allegations);
    } else {
        wk.hr_state += f64::from(allegations);
    }
    for _ in 0..allegations {
        let victim = group[rng.random_range(0..group.len())] as usize;
        m.events[victim] |= event::ABUSED;
    }
    let cost = s.economy.mining_cost_usd_week as f32;
    for &i in group {
        let i = i as usize;
        m.events[i] |= if company_blamed || zone.is_incursion() {
            event::EVICTED
        } else {
            event::CRACKDOWN
        };
        m.income[i] = -cost;
        wk.evictions += 1.0;
        if let Some(chief) = w.chiefs.get_mut(w.grid.chief[m.cell[i] as usize] as usize) {
            chief.evictions += 1.0;
        }
        let near = p.near[rng.random_range(0..p.near.len())];
        match evictee_moves(p, now, &w.grid, m, i, near) {
            Move::Nearby => m.cell[i] = near,
            Move::Elsewhere(usd) => {
                wk.displaced += 1.0;
                w.state.away.add(usd);
                m.remove(i);
            }
            Move::Quit => {
                wk.quit += 1.0;
                w.state.away.add(m.reservation[i]);
                m.remove(i);
            }
        }
    }
}

/// Where an evicted miner goes.
enum Move {
    /// To a site on community land nearby.
    Nearby,
    /// Out of the area, to dig elsewhere for this weekly income ("solving ASM on one
    /// concession usually displaces it elsewhere").
    Elsewhere(f32),
    /// Out of ASM, to his outside option.
    Quit,
}

/// An evictee weighs a site nearby (what it would pay him now, after levy, crowded as it
/// is), ASM beyond the area (ordinary ground, `economy.asm_elsewhere_factor` times community
/// land far from this deposit; locals, held by land and family, discount the move) and his
/// outside option, and takes the best.
fn evictee_moves(p: &Plan, now: &Now, grid: &Grid, m: &Miners, i: usize, near: u32) -> Move {
    let s = p.s;
    let net = now.price * s.economy.buyer_price_share as f32 * (1.0 - s.chiefs.levy_share as f32);
    let cost = s.economy.mining_cost_usd_week as f32;
    let crowding = crowd(
        s.landscape.cell_capacity as f32,
        usize::from(grid.occupancy[near as usize]) + 1,
    );
    let nearby = grid.grade[near as usize] * crowding * m.productivity[i] * net - cost;
    let ground = s.economy.asm_elsewhere_factor * s.landscape.grade_community_g;
    let earned = ground as f32 * m.productivity[i] * net - cost;
    let mobility = if m.migrant[i] {
        1.0
    } else {
        s.miners.local_mobility as f32
    };
    let outside = m.reservation[i];
    if mobility * earned > nearby && mobility * earned > outside {
        Move::Elsewhere(earned)
    } else if outside > nearby {
        Move::Quit
    } else {
        Move::Nearby
    }
}

/// Expected abuse allegations of a forceful operation without a clash, before crowd size.
pub fn abuse_chance(p: &Plan, state_forces: bool, company_pays_forces: bool) -> f32 {
    let sec = &p.s.security;
    // Training reaches guards, and forces only when the company pays and trains them.
    let trained = p.st.security.vp_training && (!state_forces || company_pays_forces);
    let vp = if trained {
        1.0 - sec.vp_abuse_reduction as f32
    } else {
        1.0
    };
    sec.abuse_propensity as f32 * vp * forces_factor(state_forces, sec.forces_abuse_factor)
}

/// A state-forces multiplier, or 1 for the company's guards.
pub fn forces_factor(state_forces: bool, factor: f64) -> f32 {
    if state_forces { factor as f32 } else { 1.0 }
}

/// The local official shuts down informal sites of those who do not pay (more often in a
/// pre-election crackdown, not at all in a spell of leniency).
fn shutdowns(
    w: &mut World,
    p: &Plan,
    now: &Now,
    index: &CellIndex,
    legal: &[u32],
    rng: &mut rng::Rng,
) {
    if now.leniency {
        return;
    }
    let rate = p.s.officials.corruption as f32
        * p.s.officials.shutdown_rate as f32
        * if now.crackdown { 3.0 } else { 1.0 };
    let cost = p.s.economy.mining_cost_usd_week as f32;
    // Occupied cells where ASM can be legal, in cell order; of these, sites of a zone or
    // lease are under a formal arrangement the official respects.
    for &cell in legal {
        let cell = cell as usize;
        if w.grid.zone[cell] != Zone::Community || rng.random::<f32>() >= rate {
            continue;
        }
        let here = index.at(cell);
        let m = &mut w.miners;
        for &i in here {
            let i = i as usize;
            let paid = m.events[i] & event::PAID != 0;
            // Only those still digging here (an evictee has moved on).
            let here_now = m.active[i] && m.cell[i] as usize == cell;
            let exposed = here_now && m.permit[i] != Permit::Held && !m.criminal[i] && !paid;
            if exposed {
                m.income[i] = -cost;
                m.cell[i] = p.near[rng.random_range(0..p.near.len())];
            }
        }
    }
}
