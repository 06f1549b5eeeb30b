//! Building a run's world: the landscape, the chiefs, the strategy's planned ASM zone or
//! lease, the starting population and the gold-price path. Everything random is drawn from
//! streams that do not depend on the strategy (common random numbers).

use super::{Chief, Grid, Miners, NO_CHIEF, Permit, State, World, Zone};
use crate::rng::{self, RunSeed, Stream};
use crate::scenario::Scenario;
use crate::strategy::{AsmZone, Strategy};
use rand::RngExt;

/// Roles of the DRC survey (Geenen, Stoop & Verpoorten): share of miners at entry and share
/// of a team's output each takes (pit worker ~USD 25/week up to pit manager ~USD 200/week).
/// The shares of output are calibrated so that the miners who stay earn what the survey
/// reports (ODD 9.11): pit workers below their outside option leave more often, so the
/// stayers' mix is richer than the entrants' and the survey's 1:2:4:8 cannot be used as is.
const ROLES: [(f32, f32); 4] = [(0.55, 0.5), (0.25, 0.85), (0.12, 1.4), (0.08, 2.5)];
/// Productivity of the lowest role, pit workers (the majority).
pub const PIT_WORKER: f32 = ROLES[0].1;

impl World {
    /// Build the world of one replicate for one strategy. Everything random is drawn from
    /// streams that do not depend on the strategy.
    pub fn new(s: &Scenario, strategy: &Strategy, seed: RunSeed) -> World {
        let mut grid = landscape(s, seed);
        let chiefs = place_chiefs(s, &mut grid, seed);
        plan_programme(&mut grid, s, strategy);
        let miners = population(s, &grid, &chiefs, seed);
        let price = price_path(s, seed);
        let state = State {
            permit_weeks: s.officials.permit_weeks as f32,
            knowledge: strategy.compliance.monitoring as f32 * 0.6,
            social_licence: 0.6,
            raid_risk: [0.0; crate::actors::security::RISK_CLASSES],
            price_ref: s.economy.gold_price_usd_per_g as f32,
            mean_grievance: s.miners.grievance_initial as f32,
            mean_trust: s.miners.trust_initial as f32,
            ..State::default()
        };
        World {
            grid,
            miners,
            chiefs,
            price,
            state,
        }
    }
}

/// Zones and grades. Grades are highest in and around the concession: artisanal miners
/// often found the deposit first.
fn landscape(s: &Scenario, seed: RunSeed) -> Grid {
    let l = &s.landscape;
    let (w, h) = (l.width, l.height);
    let n = (w * h) as usize;
    let mut rng = seed.stream(Stream::Landscape, 0);
    let c0x = (w - l.concession_size) / 2;
    let c0y = (h - l.concession_size) / 2;
    let k0x = c0x + (l.concession_size - l.core_size) / 2;
    let k0y = c0y + (l.concession_size - l.core_size) / 2;
    let inside = |v: u32, lo: u32, size: u32| v >= lo && v < lo + size;
    let mut zone = Vec::with_capacity(n);
    let mut grade = Vec::with_capacity(n);
    for y in 0..h {
        for x in 0..w {
            let z = if inside(x, k0x, l.core_size) && inside(y, k0y, l.core_size) {
                Zone::Core
            } else if inside(x, c0x, l.concession_size) && inside(y, c0y, l.concession_size) {
                Zone::Periphery
            } else if x < l.protected_size && y < l.protected_size {
                Zone::Protected
            } else {
                Zone::Community
            };
            let base = match z {
                // Fences, benches and blasting keep most of the pit out of artisanal reach.
                Zone::Core => l.grade_core_g * l.core_access,
                Zone::Periphery => l.grade_concession_g,
                _ => {
                    // The deposit's halo: community land near the concession is richer.
                    let dx = (c0x as f64 - x as f64)
                        .max(x as f64 - (c0x + l.concession_size - 1) as f64)
                        .max(0.0);
                    let dy = (c0y as f64 - y as f64)
                        .max(y as f64 - (c0y + l.concession_size - 1) as f64)
                        .max(0.0);
                    l.grade_community_g * (1.0 + 1.5 * libm::exp(-dx.max(dy) / 6.0))
                }
            };
            let noise = libm::exp(
                l.grade_variation * rng::normal(&mut rng)
                    - 0.5 * l.grade_variation * l.grade_variation,
            );
            zone.push(z);
            grade.push((base * noise) as f32);
        }
    }
    Grid {
        width: w,
        height: h,
        zone,
        grade,
        chief: vec![0; n],
        occupancy: vec![0; n],
        planned: Vec::new(),
        planned_zone: Zone::Community,
    }
}

/// Chiefs' seats at random; each cell belongs to the nearest seat (customary territory).
fn place_chiefs(s: &Scenario, grid: &mut Grid, seed: RunSeed) -> Vec<Chief> {
    let mut rng = seed.stream(Stream::Landscape, 1);
    let cells = grid.cells() as u32;
    let chiefs: Vec<Chief> = (0..s.chiefs.count)
        .map(|_| {
            let spread = (rng.random::<f64>() - 0.5) * 0.3;
            Chief {
                seat: rng.random_range(0..cells),
                legitimacy: (s.chiefs.legitimacy + spread).clamp(0.0, 1.0) as f32,
                recognition: 0.3,
                income: 0.0,
                income_baseline: 0.0,
                stance: 0.0,
                evictions: 0.0,
            }
        })
        .collect();
    for cell in 0..cells {
        let (x, y) = grid.xy(cell);
        let nearest = chiefs
            .iter()
            .enumerate()
            .min_by_key(|(_, c)| {
                let (cx, cy) = grid.xy(c.seat);
                (cx - x).pow(2) + (cy - y).pow(2)
            })
            .map_or(0, |(j, _)| j);
        grid.chief[cell as usize] = nearest as u8;
    }
    chiefs
}

/// A phase of an adaptive strategy plans its own ASM zone or lease when it has one unlike
/// the plan in place (a phase without one keeps what exists). Returns whether the plan
/// changed.
pub fn replan(grid: &mut Grid, s: &Scenario, strategy: &Strategy) -> bool {
    let (zone, cells) = (grid.planned_zone, std::mem::take(&mut grid.planned));
    plan_programme(grid, s, strategy);
    if grid.planned.is_empty() {
        grid.planned_zone = zone;
        grid.planned = cells;
        return false;
    }
    grid.planned_zone != zone || grid.planned != cells
}

/// Cells of the strategy's ASM zone or lease: chosen by geometry, not chance, so the same
/// strategy always plans the same area.
fn plan_programme(grid: &mut Grid, s: &Scenario, strategy: &Strategy) {
    let iv = &strategy.interventions;
    let l = &s.landscape;
    let c0x = (l.width - l.concession_size) / 2;
    let c0y = (l.height - l.concession_size) / 2;
    let east = c0x + l.concession_size; // first column east of the concession
    let mut by_distance: Vec<(u32, u32)> = Vec::new();
    let (zone, wanted) = match iv.asm_zone {
        AsmZone::Outside => {
            // Community land along the concession's east edge, nearest first.
            for cell in 0..grid.cells() as u32 {
                let (x, y) = grid.xy(cell);
                let beside = y as u32 >= c0y && (y as u32) < c0y + l.concession_size;
                if grid.zone[cell as usize] == Zone::Community && x as u32 >= east && beside {
                    by_distance.push((x as u32 - east, cell));
                }
            }
            (Zone::AsmZone, iv.asm_zone_cells as usize)
        }
        AsmZone::Ceded => {
            // The concession's outer east strip, the part of least interest to the company.
            for cell in 0..grid.cells() as u32 {
                let (x, _) = grid.xy(cell);
                if grid.zone[cell as usize] == Zone::Periphery {
                    by_distance.push((east - 1 - x as u32, cell));
                }
            }
            (Zone::AsmZone, iv.asm_zone_cells as usize)
        }
        AsmZone::None if iv.lease_share > 0.0 => {
            // The periphery farthest from the core: the outer ring of the concession.
            let periphery = grid.zone.iter().filter(|z| **z == Zone::Periphery).count();
            let centre = (l.width / 2) as i32;
            let middle = (l.height / 2) as i32;
            for cell in 0..grid.cells() as u32 {
                if grid.zone[cell as usize] == Zone::Periphery {
                    let (x, y) = grid.xy(cell);
                    let d = (x - centre).abs().max((y - middle).abs()) as u32;
                    by_distance.push((u32::MAX - d, cell));
                }
            }
            (
                Zone::Lease,
                (iv.lease_share * periphery as f64).round() as usize,
            )
        }
        AsmZone::None => return,
    };
    by_distance.sort_unstable();
    grid.planned = by_distance
        .into_iter()
        .take(wanted)
        .map(|(_, c)| c)
        .collect();
    grid.planned_zone = zone;
}

/// The starting population: about half inside the concession (52% in Ghana's gold belt,
/// Patel et al. 2016), the rest on nearby community land.
fn population(s: &Scenario, grid: &Grid, chiefs: &[Chief], seed: RunSeed) -> Miners {
    let mut m = Miners::with_capacity(s.miners.max as usize);
    let mut rng = seed.stream(Stream::Population, 0);
    let inside: Vec<u32> = cells_where(grid, |z| z.is_incursion());
    let near: Vec<u32> = near_concession(grid, s, 8);
    for _ in 0..s.miners.initial {
        let cell = if rng.random::<f64>() < s.miners.inside_concession_share {
            inside[rng.random_range(0..inside.len())]
        } else {
            near[rng.random_range(0..near.len())]
        };
        let migrant = rng_bool(&mut rng, s.miners.migrant_share);
        add_miner(&mut m, s, grid, chiefs, &mut rng, cell, migrant);
    }
    m
}

fn rng_bool(rng: &mut rng::Rng, p: f64) -> bool {
    rng.random::<f64>() < p
}

/// Cells whose zone passes a test.
pub fn cells_where(grid: &Grid, test: impl Fn(Zone) -> bool) -> Vec<u32> {
    (0..grid.cells() as u32)
        .filter(|&c| test(grid.zone[c as usize]))
        .collect()
}

/// Community cells within `reach` cells of the concession: where the rush lands.
pub fn near_concession(grid: &Grid, s: &Scenario, reach: u32) -> Vec<u32> {
    let l = &s.landscape;
    let lo_x = (l.width - l.concession_size) / 2;
    let lo_y = (l.height - l.concession_size) / 2;
    let (x0, x1) = (lo_x.saturating_sub(reach), lo_x + l.concession_size + reach);
    let (y0, y1) = (lo_y.saturating_sub(reach), lo_y + l.concession_size + reach);
    let found: Vec<u32> = (0..grid.cells() as u32)
        .filter(|&c| {
            let (x, y) = grid.xy(c);
            let (x, y) = (x as u32, y as u32);
            grid.zone[c as usize] == Zone::Community && x >= x0 && x < x1 && y >= y0 && y < y1
        })
        .collect();
    if found.is_empty() {
        cells_where(grid, |z| z == Zone::Community)
    } else {
        found
    }
}

/// Put one new miner in a free slot (no-op when the area is full).
pub fn add_miner(
    m: &mut Miners,
    s: &Scenario,
    grid: &Grid,
    chiefs: &[Chief],
    rng: &mut rng::Rng,
    cell: u32,
    migrant: bool,
) -> Option<usize> {
    let i = m.push_slot()?;
    let e = &s.economy;
    let mut role = 0;
    let mut u: f32 = rng.random();
    while role < ROLES.len() - 1 && u >= ROLES[role].0 {
        u -= ROLES[role].0;
        role += 1;
    }
    // Criminal financiers sit mostly behind migrant crews.
    let criminal_odds = if migrant { 1.6 } else { 0.75 };
    m.active[i] = true;
    m.migrant[i] = migrant;
    m.criminal[i] = rng_bool(
        rng,
        (s.miners.criminal_financed_share * criminal_odds).min(1.0),
    );
    m.chief[i] = if migrant || chiefs.is_empty() {
        NO_CHIEF
    } else {
        grid.chief[cell as usize]
    };
    m.productivity[i] = ROLES[role].1;
    let spread = libm::exp(0.5 * rng::normal(rng) - 0.125) as f32;
    m.reservation[i] = (e.alternative_income_usd_week * e.outside_option_access) as f32 * spread;
    m.risk_aversion[i] = (s.miners.risk_aversion as f32 * 2.0 * rng.random::<f32>()).min(1.0);
    m.threshold[i] = (s.miners.action_threshold as f32 * 2.0 * rng.random::<f32>()).min(1.0);
    m.cell[i] = cell;
    let g = grid.grade[cell as usize] * ROLES[role].1;
    let expected = g * (e.gold_price_usd_per_g * e.buyer_price_share) as f32 * 0.8;
    m.income[i] = expected;
    m.expected[i] = expected;
    m.savings[i] = expected * 2.0;
    m.grievance[i] = (s.miners.grievance_initial as f32 * (0.5 + rng.random::<f32>())).min(1.0);
    m.trust[i] = (s.miners.trust_initial as f32 * (0.5 + rng.random::<f32>())).min(1.0);
    m.informed[i] = 0.0;
    m.permit[i] = Permit::None;
    m.permit_week[i] = 0;
    m.excluded[i] = false;
    m.compensated[i] = false;
    m.events[i] = 0;
    Some(i)
}

/// Weekly gold price: geometric Brownian motion with annual volatility, times an optional
/// shock that decays exponentially (a spike, as in the price rushes of the seed).
fn price_path(s: &Scenario, seed: RunSeed) -> Vec<f32> {
    let e = &s.economy;
    let mut rng = seed.stream(Stream::Price, 0);
    let dt = 1.0 / 52.0;
    let sigma = e.price_volatility * libm::sqrt(dt);
    let mut log_p = libm::log(e.gold_price_usd_per_g);
    (0..s.weeks)
        .map(|w| {
            log_p += -0.5 * sigma * sigma + sigma * rng::normal(&mut rng);
            let shock = if e.price_shock_factor != 1.0 && w >= e.price_shock_week {
                let age = (w - e.price_shock_week) as f64;
                1.0 + (e.price_shock_factor - 1.0) * libm::exp(-age / e.price_shock_decay_weeks)
            } else {
                1.0
            };
            (libm::exp(log_p) * shock) as f32
        })
        .collect()
}
