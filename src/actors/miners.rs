//! Miners' weekly rules: stay or leave, where to dig, whether to seek a permit, what they
//! earn, how grievance and trust move, and who arrives.
//!
//! The hot loops of the model: one pass per phase over the struct-of-arrays, reading shared
//! state (last week's occupancy, perceived raid risk) that no miner writes during the pass.

use super::sites::{Crowding, Deals, Sites, Terms, can_pay, sells_offtake, status};
use super::{Now, Plan};
use crate::metrics::{POVERTY_LINE_USD_WEEK, Recorder, Week};
use crate::rng::Stream;
use crate::strategy::Channel;
use crate::world::{Chief, Grid, PIT_WORKER, Permit, World, Zone, add_miner, event};
use rand::RngExt;
use std::hint::select_unpredictable as pick;

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
///
/// The hot loop of the model: the columns are re-sliced to one length so indexing needs no
/// bounds checks, and the site comparison is computed without branches (only branches that
/// guard a random draw stay, so the draws are the same).
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
    // Exact: `farm_pull` is at least 1 and far below 2^24, so `1 + (farm_pull - 1)` is
    // `farm_pull` again, bit for bit.
    let farm_extra = farm_pull - 1.0;
    let leave_rate = p.s.miners.leave_rate as f32;
    let zone_cells = if now.programme {
        grid.planned.as_slice()
    } else {
        &[]
    };
    let permit_weeks = state.permit_weeks;
    let fee = p.s.officials.permit_fee_usd as f32;
    let sites = Sites::new(grid, p, now, &t, &state.raid_risk);
    let n = m.capacity();
    let active = &mut m.active[..n];
    let events = &mut m.events[..n];
    let cell = &mut m.cell[..n];
    let permit = &mut m.permit[..n];
    let permit_week = &mut m.permit_week[..n];
    let savings = &mut m.savings[..n];
    let (migrant, criminal, excluded) = (&m.migrant[..n], &m.criminal[..n], &m.excluded[..n]);
    let (reservation, expected) = (&m.reservation[..n], &m.expected[..n]);
    let (productivity, risk_aversion) = (&m.productivity[..n], &m.risk_aversion[..n]);
    // `Grid::cell_at` with the grid's bounds read once: the same cell (the grid is never
    // empty), without the per-call reloads and `clamp`'s check of its bounds.
    let (width, xmax, ymax) = (grid.width, grid.width as i32 - 1, grid.height as i32 - 1);
    let cell_at = |x: i32, y: i32| y.max(0).min(ymax) as u32 * width + x.max(0).min(xmax) as u32;
    for i in 0..n {
        if !active[i] {
            continue;
        }
        events[i] = 0;
        let local_farming = now.farming && !migrant[i];
        // The farm's pull (x farm_pull or x1) and the crews' debt (x0.5 or x1) by exact
        // arithmetic on 0 or 1, not selects: the compiler branches on a float select, and
        // who farms and who is financed varies from one miner to the next.
        let mut reservation_now =
            reservation[i] * (1.0 + farm_extra * f32::from(u8::from(local_farming)));
        // Pre-financed crews are held by debt: they stay through lean weeks.
        reservation_now *= 1.0 - 0.5 * f32::from(u8::from(criminal[i]));
        if expected[i] < reservation_now {
            let rate = if criminal[i] {
                leave_rate * 0.3
            } else {
                leave_rate
            };
            if rng.random::<f32>() < rate {
                state.away.add(reservation[i]);
                // `Miners::remove`, on the re-sliced columns.
                active[i] = false;
                m.removed.push(i as u32);
                wk.quit += 1.0;
                continue;
            }
        }
        let here = cell[i];
        // One 64-bit draw decides both candidate sites (the hot loop: draws are costly).
        let r: u64 = rng.random();
        let (x, y) = sites.xy(here);
        let near = cell_at(x + (r % 5) as i32 - 2, y + ((r >> 8) % 5) as i32 - 2);
        let explore = ((r >> 16) & 0xffff) < EXPLORE_PER_65536;
        let prod = productivity[i];
        let st = status(
            permit[i],
            excluded[i],
            criminal[i],
            savings[i],
            expected[i],
            t.bribe,
        );
        let fear = risk_aversion[i] * 2.0 * (expected[i].max(0.0) + RAID_FEAR_USD);
        // Stay, or move to the nearby candidate, then, for a miner scouting farther this
        // week, to the far one, each only if it is worth more. Values are pure, so computing
        // both near values changes nothing; the far site is weighed only by a scout (about
        // one miner in seven): for the others it is where they stand, which never beats the best.
        let stay = sites.value(here, here, prod, st, fear, t.cost);
        let v_near = sites.value(near, here, prod, st, fear, t.cost) - MOVE_COST_USD;
        let take_near = (near != here) & (v_near > stay);
        let (mut best, best_value) = pick(take_near, (near, v_near), (here, stay));
        if explore {
            let wide = cell_at(
                x + ((r >> 40) % 17) as i32 - 8,
                y + ((r >> 48) % 17) as i32 - 8,
            );
            // Word of the ASM zone or lease gets around.
            let to_zone = zone_cells
                .get(((((r >> 33) & 0x7fff_ffff) * zone_cells.len() as u64) >> 31) as usize)
                .copied()
                .unwrap_or(wide);
            let far = pick((r >> 32) & 1 == 1, to_zone, wide);
            let v_far = sites.value(far, here, prod, st, fear, t.cost) - MOVE_COST_USD;
            best = pick((far != best) & (v_far > best_value), far, best);
        }
        cell[i] = best;
        if permit[i] == Permit::None && rng.random::<f32>() < PERMIT_CONSIDER {
            let miner = Applicant {
                cell: best as usize,
                criminal: criminal[i],
                productivity: prod,
                savings: savings[i],
            };
            if let Some(a) = consider_permit(grid, p, now, &t, &miner, permit_weeks, fee, state) {
                savings[i] -= a.own_fee;
                permit[i] = Permit::Pending;
                permit_week[i] = a.week;
                wk.applications += 1.0;
            }
        }
        eligible +=
            u32::from((permit[i] != Permit::None) & !criminal[i] & sites.in_zone_or_lease(best));
    }
    eligible
}

/// What a permit decision needs to know of a miner.
struct Applicant {
    cell: usize,
    criminal: bool,
    productivity: f32,
    savings: f32,
}

/// A permit application made: the fee the miner pays himself and the week it can be granted.
struct Application {
    own_fee: f32,
    week: u32,
}

/// Apply for a permit when the expected gain over the planning horizon beats the fee, the
/// wait, and the fear of registering with a government the miner distrusts. Returns the
/// application if the miner applied (a subsidy is taken from the support budget here).
#[allow(clippy::too_many_arguments)]
fn consider_permit(
    grid: &Grid,
    p: &Plan,
    now: &Now,
    t: &Terms,
    m: &Applicant,
    permit_weeks: f32,
    fee: f32,
    state: &mut crate::world::State,
) -> Option<Application> {
    let c = m.cell;
    let zone = grid.zone[c];
    if !zone.can_be_formal() {
        return None;
    }
    let lease = zone == Zone::Lease;
    // Criminal financiers keep their crews informal, except to launder through an operator.
    if m.criminal && !lease {
        return None;
    }
    let support = p.st.interventions.formalisation_support;
    let wait = if lease {
        LEASE_PERMIT_WEEKS
    } else if support && now.programme && zone == Zone::AsmZone {
        permit_weeks * 0.5
    } else {
        permit_weeks
    };
    let gross = grid.grade[c] * m.productivity * t.price;
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
    // A state monopoly pays formal miners less than informal buyers do.
    let monopoly = if now.monopoly {
        t.buyer - t.monopoly
    } else {
        0.0
    };
    let gain_week = gross * (t.buyer * bribe.max(shutdown) + premium + ta * t.buyer - monopoly);
    // Gains weighed over the planning horizon and discounted by the wait: a long regime
    // deters applications smoothly, with no cliff.
    let horizon = p.s.miners.planning_weeks as f32;
    let gain = gain_week * horizon * libm::expf(-wait / horizon);
    let full_fee = if lease {
        fee * LEASE_FEE_SHARE_OF_PERMIT
    } else {
        fee
    };
    let subsidised = now.subsidy && state.support_budget >= full_fee;
    let own_fee = if subsidised { 0.0 } else { full_fee };
    let standing = if lease { 0.8 } else { p.government_standing };
    let fear = (1.0 - standing) * 0.5 * full_fee;
    if gain > own_fee + fear && m.savings >= own_fee {
        if subsidised {
            state.support_budget -= full_fee;
        }
        return Some(Application {
            own_fee,
            week: now.week + wait.round() as u32,
        });
    }
    None
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

/// Dig: output, income, levy, bribes, off-take purchases, and depletion of the ore. Columns
/// re-sliced to one length, deals and crowding looked up (no branches but those guarding a
/// draw or choosing where a sum goes).
pub fn dig(w: &mut World, p: &Plan, now: &Now, wk: &mut Week) {
    let mut rng = p.seed.stream(Stream::Decide, now.week ^ 0x8000_0000);
    let t = Terms::new(p, now, w.state.support_last);
    let deals = Deals::new(&t);
    let crowding = Crowding::new(t.capacity);
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
    // Levies by chief; slots past the last chief (miners on no chief's land) are dropped.
    let mut levies = [0.0f32; 256];
    let mut premium = 0.0f32;
    let mut dug = 0.0f64;
    let n = m.capacity();
    let (active, cell, criminal) = (&m.active[..n], &m.cell[..n], &m.criminal[..n]);
    let (productivity, savings) = (&m.productivity[..n], &m.savings[..n]);
    let permit = &mut m.permit[..n];
    let excluded = &mut m.excluded[..n];
    let grievance = &mut m.grievance[..n];
    let events = &mut m.events[..n];
    let income = &mut m.income[..n];
    // The grid's columns re-sliced to one length too: one bounds check per miner serves
    // all four lookups.
    let cells = grid.cells();
    let (zones, occupancy) = (&grid.zone[..cells], &grid.occupancy[..cells]);
    let (grade, chief) = (&grid.grade[..cells], &grid.chief[..cells]);
    for i in 0..n {
        if !active[i] {
            continue;
        }
        let c = cell[i] as usize;
        let zone = zones[c];
        let formal = (permit[i] == Permit::Held) & zone.can_be_formal();
        let mut offtake = sells_offtake(now, zone, permit[i], excluded[i]);
        if offtake & criminal[i] {
            // Due diligence screens suppliers; criminal financing found means exclusion.
            // Due diligence finds a criminal supplier in a given week with chance 0.1 x level:
            // networks use front men, and audits take time.
            if rng.random::<f32>() < detect * dd {
                excluded[i] = true;
                permit[i] = Permit::None;
                grievance[i] = (grievance[i] + 0.3).min(1.0);
                offtake = false;
            } else if rng.random::<f32>() < exposure && state.offtake_suspended == 0 {
                // Undetected, the laundering comes out (NGO, press, auditor): purchases are
                // suspended pending an audit, as any compliance function would.
                wk.tainted += 1.0;
                state.offtake_suspended = p.s.company.offtake_suspension_weeks;
            }
        }
        // The draw is taken for eligible miners only, as before; the eligibility tests are
        // combined without branches (one test, seldom guessed wrong, in place of three).
        let eligible = !criminal[i]
            & matches!(zone, Zone::AsmZone | Zone::Lease)
            & (permit[i] != Permit::None);
        let supported = eligible && rng.random::<f32>() < now.support;
        events[i] |= pick(supported, event::SUPPORTED, 0);
        let crowding = crowding.at(usize::from(occupancy[c]));
        let boost = pick(supported, 1.0 + t.ta_gain, 1.0);
        let grams = grade[c] * productivity[i] * t.season * crowding * boost;
        dug += f64::from(grams);
        let (share, levy, bribe) = deals.get(zone, formal, offtake, criminal[i]);
        let value = grams * t.price * share;
        // Those who can pay the official buy protection from his shutdowns; the poorest
        // cannot, keep the money, and are exposed ("shut down sites of those who do not pay").
        let pays = can_pay(savings[i], value * bribe);
        // The bribe or +0, as a branch would give (the bribe is finite and not negative),
        // by arithmetic: the compiler branches on a float select, and where savings are
        // spread that branch is a coin toss.
        let bribe = bribe * f32::from(u8::from(pays));
        events[i] |= pick(pays, event::PAID, 0);
        if zone == Zone::Lease {
            // The operator's fee goes to the concession holder.
            wk.costs.offtake_net -= f64::from(value * levy);
        } else {
            levies[usize::from(chief[c])] += value * levy;
        }
        if offtake {
            let world = grams * t.price;
            premium += world * (t.offtake - t.buyer);
            // Purchases plus 0.5% handling, minus what resale brings in.
            wk.costs.offtake_net += f64::from(world * share + world * 0.005 - world * resale);
        }
        income[i] = value * (1.0 - levy - bribe) - t.cost;
    }
    wk.grams = dug;
    deplete(grid, p.s.landscape.depletion_per_miner_week as f32);
    state.premium_paid = premium;
    for (chief, levy) in chiefs.iter_mut().zip(levies) {
        chief.income = 0.9 * chief.income + 0.1 * levy;
    }
}

/// Ore depletion where miners dug, without branches (an empty cell keeps its grade: the
/// factor is exactly 1), so the pass over every cell vectorises.
fn deplete(grid: &mut Grid, rate: f32) {
    for (g, &o) in grid.grade.iter_mut().zip(&grid.occupancy) {
        let factor = (1.0 - rate * f32::from(o)).max(0.0);
        *g *= if o > 0 { factor } else { 1.0 };
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
    let promise_rate = b.broken_promise_grievance as f32;
    let baseline = b.expectation_usd_week as f32;
    let tempering = b.expectation_tempering as f32;
    let gain = b.engagement_trust_gain as f32;
    let pull = b.chief_influence as f32;
    let (eviction_trust, abuse_trust) = (b.eviction_trust_loss as f32, b.abuse_trust_loss as f32);
    let messenger = Messenger::new(p, chiefs, state.social_licence);
    let condoning = if messenger.direct {
        p.s.channels.condoning as f32
    } else {
        0.0
    };
    let mut open_sum = 0.0f64;
    let maps = rec.maps(now.week);
    let (mut g_sum, mut t_sum) = (0.0f64, 0.0f64);
    let mut tally = Tally::default();
    // Each chief's pull on his followers: toward his view, as far as they follow him. Slots
    // past the last chief (miners tied to none) pull with weight 0, which adds exactly 0.
    let mut chief_pull = [(0.0f32, 0.0f32); 256];
    for (slot, ch) in chief_pull.iter_mut().zip(chiefs.iter()) {
        *slot = (pull * ch.legitimacy, 0.5 - 0.5 * ch.stance);
    }
    // What each weekly event adds to grievance and takes from trust; an event that did not
    // happen adds exactly 0, so the sums are those of the branches they replace.
    let eviction_g = b.eviction_grievance as f32;
    let crackdown_g = 0.3 * b.eviction_grievance as f32;
    let abuse_g = b.abuse_grievance as f32;
    let hardship = b.hardship_grievance as f32;
    let on = |ev: u8, flag: u8, x: f32| if ev & flag != 0 { x } else { 0.0 };
    // Everyone here is active: the slots of miners gone were reclaimed after enforcement.
    let n = m.capacity();
    debug_assert!(
        m.active.iter().all(|&a| a),
        "attitudes run on compacted miners"
    );
    let (events, cell, chief) = (&m.events[..n], &m.cell[..n], &m.chief[..n]);
    let (income, reservation) = (&m.income[..n], &m.reservation[..n]);
    let (criminal, permit, productivity) = (&m.criminal[..n], &m.permit[..n], &m.productivity[..n]);
    let grievance = &mut m.grievance[..n];
    let trust = &mut m.trust[..n];
    let informed_col = &mut m.informed[..n];
    let risk_aversion = &mut m.risk_aversion[..n];
    let expected = &mut m.expected[..n];
    let savings = &mut m.savings[..n];
    // Two passes over the same miners: first each miner's own arithmetic, element-wise with
    // no lookups and no draws so it vectorises; then, in miner order, what needs a lookup
    // (the chief's pull, the zone), the contact with its random draw, and the week's sums.
    // Every miner's operations are those of one pass, in the same order.
    let keep_informed = 1.0 - trust_fade;
    let (mut poor, mut pit_workers) = (0u32, 0u32);
    // Pit workers' incomes, 0 for the others, picked here where a select is a mask: in the
    // second pass the compiler would branch on it, and pit workers and their bosses, side
    // by side, make that branch a coin toss.
    let mut pit_earned = vec![0.0f32; n];
    for i in 0..n {
        let ev = events[i];
        let mut g = grievance[i];
        let mut tr = trust[i];
        let informed = informed_col[i] * keep_informed;
        // Benefits expected from the mine, tempered as far as the company's message has
        // credibly reached this miner, against what it delivers (Christensen).
        let promise = if baseline > 0.0 {
            let expected = now.expected_benefit * (1.0 - tempering * informed);
            promise_rate * (expected - now.delivered_benefit).max(0.0) / baseline
        } else {
            0.0
        };
        g += (g0 - g) * fade + outrage + promise;
        tr += (t0 - tr) * trust_fade;
        let earned = income[i];
        let short = hardship * (1.0 - (earned / reservation[i]).max(0.0));
        g += if earned < reservation[i] { short } else { 0.0 };
        g += on(ev, event::EVICTED, eviction_g);
        tr -= on(ev, event::EVICTED, eviction_trust);
        // State crackdowns the company did not ask for are blamed on it only in part.
        g += on(ev, event::CRACKDOWN, crackdown_g);
        g += on(ev, event::ABUSED, abuse_g);
        tr -= on(ev, event::ABUSED, abuse_trust);
        tr += on(ev, event::NEGOTIATED, 0.03);
        tr += on(ev, event::SUPPORTED, 0.01);
        g -= on(ev, event::SUPPORTED, 0.01);
        // Unclamped until the second pass.
        grievance[i] = g;
        trust[i] = tr;
        informed_col[i] = informed;
        expected[i] = 0.8 * expected[i] + 0.2 * earned;
        savings[i] = (0.98 * savings[i] + 0.2 * (earned - POVERTY_LINE_USD_WEEK as f32).max(0.0))
            .min(2000.0);
        // Counts (integers: their order does not matter) vectorise with the rest.
        poor += u32::from(earned < POVERTY_LINE_USD_WEEK as f32);
        let pit = productivity[i] <= PIT_WORKER;
        pit_workers += u32::from(pit);
        pit_earned[i] = if pit { earned } else { 0.0 };
    }
    tally.poor = poor;
    tally.pit_workers = pit_workers;
    for i in 0..n {
        let mut g = grievance[i];
        let mut tr = trust[i];
        let (weight, view) = chief_pull[usize::from(chief[i])];
        g += weight * (view - g);
        if now.reach > 0.0 && rng.random::<f32>() < now.reach {
            // A contact: trust moves toward the messenger's standing with this miner, and
            // grievance with it; a messenger standing below the miner's trust costs trust.
            let c = cell[i] as usize;
            let illegal = grid.zone[c].is_illegal();
            let exposed = messenger.exposed(illegal, p.guarded[c], permit[i]);
            let open = messenger.open(chief[i], exposed);
            // Criminal crews are held by their financiers: talk barely reaches them (OECD:
            // do not engage).
            let heard = if criminal[i] { 0.1 } else { 1.0 };
            let gap = open - tr;
            tr += gain * heard * gap;
            g -= 0.5 * gain * heard * gap * if gap > 0.0 { g } else { 1.0 - g };
            informed_col[i] = informed_col[i].max(heard * open);
            open_sum += f64::from(heard * open);
            if illegal {
                // Talk read as tolerance: the miner fears raids less.
                risk_aversion[i] *= 1.0 - condoning;
            }
        }
        let g = g.clamp(0.0, 1.0);
        let tr = tr.clamp(0.0, 1.0);
        grievance[i] = g;
        trust[i] = tr;
        let earned = income[i];
        let c = cell[i] as usize;
        let zone = grid.zone[c];
        tally.count(i, zone, permit[i], earned, pit_earned[i]);
        if maps {
            rec.map[c] += 1.0;
        }
        g_sum += f64::from(g);
        t_sum += f64::from(tr);
    }
    rec.incomes(income);
    tally.into(wk);
    wk.grievance_sum = g_sum;
    wk.trust_sum = t_sum;
    let n = wk.miners.max(1.0);
    state.mean_grievance = (g_sum / n) as f32;
    state.mean_trust = (t_sum / n) as f32;
    state.open_contacts = (open_sum / n) as f32;
}

/// Engagement's messenger as miners see it this week: its standing with each chief's
/// followers (indirect through chiefs depends on each chief's legitimacy) and with everyone
/// else, and whether miners digging illegally fear being identified by it.
/// Whom a messenger's approach frightens.
#[derive(Clone, Copy)]
enum Exposure {
    None,
    /// Miners digging illegally where the company's guards act.
    Guarded,
    /// Miners digging illegally, or without a permit.
    Unlawful,
}

struct Messenger {
    chief: Vec<f32>,
    /// For migrants (a chief reaches them only weakly), or any miner when the channel is not
    /// a chief.
    unattached: f32,
    exposure: Exposure,
    fear: f32,
    weight: f32,
    direct: bool,
}

impl Messenger {
    fn new(p: &Plan, chiefs: &[Chief], credibility: f32) -> Messenger {
        let ch = &p.s.channels;
        Messenger {
            chief: chiefs
                .iter()
                .map(|c| p.channel_standing(Some(c.legitimacy), credibility))
                .collect(),
            unattached: p.channel_standing(None, credibility),
            exposure: match p.st.engagement.channel {
                Channel::Direct => Exposure::Guarded,
                Channel::Government => Exposure::Unlawful,
                _ => Exposure::None,
            },
            fear: ch.exposure_fear as f32,
            weight: ch.messenger_weight as f32,
            direct: p.st.engagement.channel == Channel::Direct,
        }
    }

    /// Whether a miner fears being identified by the messenger: by the company where its
    /// guards act against him, by the government wherever he digs without the law's leave.
    #[inline]
    fn exposed(&self, illegal: bool, guarded: bool, permit: Permit) -> bool {
        match self.exposure {
            Exposure::None => false,
            Exposure::Guarded => illegal && guarded,
            Exposure::Unlawful => illegal || permit != Permit::Held,
        }
    }

    /// How openly a miner following `chief` meets the messenger, 0-1: its standing with
    /// him, discounted by his fear of exposure, as far as miners judge the messenger.
    #[inline]
    fn open(&self, chief: u8, exposed: bool) -> f32 {
        let mut standing = self
            .chief
            .get(usize::from(chief))
            .copied()
            .unwrap_or(self.unattached);
        if exposed {
            standing *= 1.0 - self.fear;
        }
        1.0 - self.weight * (1.0 - standing)
    }
}

/// Counts of the week's miners, kept in registers during the attitude passes.
#[derive(Default)]
struct Tally {
    miners: u32,
    poor: u32,
    pit_workers: u32,
    income: f64,
    pit_income: f64,
    /// Miners by zone and permit held (slot `zone * 2 + held`): one increment per miner
    /// in place of a test per count; the counts are read off at the end. Four lanes, taken
    /// by miners in turn: most miners share a slot, and an increment would otherwise wait
    /// for the one before it.
    by_zone: [[u32; 16]; 4],
}

impl Tally {
    /// Count miner `i` digging on `zone` with this permit and net income, `pit_income` being
    /// that income for a pit worker and 0 for the others (the poor and the pit workers are
    /// counted, and pit incomes picked, in the vectorised pass); counts are added as 0 or 1
    /// rather than branched on.
    #[inline]
    fn count(&mut self, i: usize, zone: Zone, permit: Permit, income: f32, pit_income: f32) {
        self.miners += 1;
        self.income += f64::from(income);
        self.by_zone[i & 3][(zone.index() * 2 + usize::from(permit == Permit::Held)) & 15] += 1;
        // Adding exactly 0 for the others leaves the sum as the branch did.
        self.pit_income += f64::from(pit_income);
    }

    /// Miners on zones that pass `keep`, with a permit held if `held_only`.
    fn on(&self, keep: impl Fn(Zone) -> bool, held_only: bool) -> u32 {
        Zone::ALL
            .iter()
            .filter(|&&z| keep(z))
            .map(|&z| {
                let slot = |held: bool| -> u32 {
                    let slot = z.index() * 2 + usize::from(held);
                    self.by_zone.iter().map(|lane| lane[slot]).sum()
                };
                if held_only {
                    slot(true)
                } else {
                    slot(true) + slot(false)
                }
            })
            .sum()
    }

    fn into(self, wk: &mut Week) {
        wk.miners += f64::from(self.miners);
        wk.income_sum += self.income;
        wk.poor += f64::from(self.poor);
        wk.incursions += f64::from(self.on(Zone::is_incursion, false));
        wk.core_incursions += f64::from(self.on(|z| z == Zone::Core, false));
        wk.formal += f64::from(self.on(Zone::can_be_formal, true));
        wk.pit_workers += f64::from(self.pit_workers);
        wk.pit_income += self.pit_income;
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

#[cfg(test)]
mod tests {
    /// The farm's pull by arithmetic is the select it replaced, bit for bit, over the whole
    /// range of `season.farming_pull` (0 to 10).
    #[test]
    fn farm_pull_by_arithmetic_is_exact() {
        for k in 0..=100_000u32 {
            let farm_pull = 1.0 + (f64::from(k) * 1e-4) as f32;
            let farm_extra = farm_pull - 1.0;
            assert_eq!((1.0 + farm_extra * 1.0).to_bits(), farm_pull.to_bits());
            assert_eq!((1.0 + farm_extra * 0.0).to_bits(), 1.0f32.to_bits());
        }
    }
}
