//! Collective action: blockades from a threshold cascade (Granovetter 1978), with deterrence
//! and grievance as in Epstein's civil-violence model (2002); and attacks on staff or assets
//! by the most aggrieved.
//!
//! Each miner joins when the share of peers already in action reaches his effective
//! threshold, which falls with grievance, rises with fear of arrest, and moves with his
//! chief's stance and the company's social licence. A few instigators can tip a crowd.

use super::security::forces_factor;
use super::{Now, Plan};
use crate::metrics::Week;
use crate::rng::{self, Stream};
use crate::strategy::BlockadeResponse;
use crate::world::{Miners, World, event};
use rand::RngExt;

const BINS: usize = 100;
/// Smallest crowd that can block the mine's access.
const MIN_BLOCKADE: f32 = 30.0;
/// Rise in everyone's threshold after a blockade week, and its weekly decay: mobilisation
/// is costly, so action comes in bursts (Epstein 2002's punctuated equilibrium).
const FATIGUE_PER_BLOCKADE: f32 = 0.25;
const FATIGUE_DECAY: f32 = 0.9;
/// Grievance above which miners may attack staff or assets.
const ATTACK_GRIEVANCE: f32 = 0.6;

/// Weekly collective action, the company's response, and attacks.
pub fn act(w: &mut World, p: &Plan, now: &Now, wk: &mut Week) {
    let mut rng = p.seed.stream(Stream::Action, now.week);
    let mood = Mood::new(w, p, now);
    let (crowd_hist, pressure) = survey(w, &mood);
    let share = crowd_hist.share();
    let crowd = share * crowd_hist.n as f32;
    let b = &p.s.behaviour;
    let blockade = share >= b.blockade_share as f32 && crowd >= MIN_BLOCKADE;
    let community = w.state.social_licence < 0.2 && rng.random::<f32>() < 0.15;
    if blockade || community {
        let excess = if blockade {
            (share - b.blockade_share as f32) / (1.0 - b.blockade_share as f32)
        } else {
            0.3
        };
        let mut days = (1.0 + 14.0 * excess).min(7.0).floor();
        let participants = participants(w, &mood, share);
        if p.st.security.blockade_response == BlockadeResponse::Force {
            days = days.min(2.0);
            clear_by_force(
                w,
                p,
                wk,
                &mut rng,
                crowd.max(MIN_BLOCKADE),
                &participants,
                now.forces,
            );
        } else {
            hear_out(w, &participants);
        }
        wk.blockade_days += f64::from(days);
        w.state.fatigue += FATIGUE_PER_BLOCKADE;
        if !w.state.blockaded {
            wk.blockades += 1.0;
        }
        w.state.blockaded = true;
    } else {
        w.state.blockaded = false;
    }
    w.state.fatigue *= FATIGUE_DECAY;
    attacks(p, wk, &mut rng, pressure);
}

/// What moves every miner's threshold this week: fear of force, the social licence,
/// fatigue after a blockade, early warning, and each chief's calming stance.
struct Mood {
    fear: f32,
    licence_push: f32,
    fatigue: f32,
    warning: f32,
    /// By chief; slots past the last chief (miners tied to none) calm by exactly 0.
    calm: [f32; 256],
    restraint: f32,
}

impl Mood {
    fn new(w: &World, p: &Plan, now: &Now) -> Mood {
        let mut calm = [0.0f32; 256];
        for (slot, ch) in calm.iter_mut().zip(&w.chiefs) {
            *slot = p.s.behaviour.chief_calm as f32 * ch.legitimacy * ch.stance;
        }
        Mood {
            fear: if now.forces {
                0.6
            } else {
                0.3 * p.st.security.guard_intensity as f32
            },
            licence_push: (0.3 - w.state.social_licence).max(0.0),
            // Organising is costly: after a blockade, crowds take time to mobilise again.
            fatigue: w.state.fatigue,
            // Early warning: a company that knows the ground and answers with dialogue hears
            // of a mobilisation and talks before it tips.
            warning: if p.st.security.blockade_response == BlockadeResponse::Dialogue {
                p.s.security.early_warning as f32 * w.state.knowledge
            } else {
                0.0
            },
            calm,
            restraint: p.s.behaviour.trust_restraint as f32,
        }
    }

    /// Effective threshold of a miner with this base threshold, grievance, trust, risk
    /// aversion and chief: the share of peers in action he needs to see.
    #[inline(always)]
    fn threshold(
        &self,
        base: f32,
        grievance: f32,
        trust: f32,
        risk_aversion: f32,
        chief: u8,
    ) -> f32 {
        self.finish(self.own(base, grievance, trust, risk_aversion), chief)
    }

    /// The part of a threshold that is the miner's own (no lookup): a pass of these
    /// vectorises.
    #[inline(always)]
    fn own(&self, base: f32, grievance: f32, trust: f32, risk_aversion: f32) -> f32 {
        // Trust works like legitimacy in Epstein's model: it tempers what grievance drives.
        let disposition =
            grievance * (1.0 - self.restraint * trust) - risk_aversion * self.fear * 0.5;
        base + 1.2 * (0.5 - disposition)
    }

    /// A threshold from its own part: the chief's calm and the week's mood, added in this
    /// order.
    #[inline(always)]
    fn finish(&self, own: f32, chief: u8) -> f32 {
        let chief_calm = self.calm[usize::from(chief)];
        own + chief_calm - self.licence_push + self.fatigue + self.warning
    }

    /// Effective threshold of miner `i`.
    #[inline]
    fn threshold_of(&self, m: &Miners, i: usize) -> f32 {
        let (g, t, r) = (m.grievance[i], m.trust[i], m.risk_aversion[i]);
        self.threshold(m.threshold[i], g, t, r, m.chief[i])
    }
}

/// The thresholds' histogram for the cascade, and the pressure toward attacks (highly
/// aggrieved miners on or next to the concession, criminal crews, armed and paid, weighing
/// three times as much). Thresholds are not stored: only a blockade week needs them again,
/// and recomputing them then is cheaper than every week. Every miner is active here (slots
/// of miners gone were reclaimed after enforcement), and the columns are re-sliced to one
/// length, so the passes have no bounds checks and, but for the rare attack pressure, no
/// branches.
fn survey(w: &World, mood: &Mood) -> (Thresholds, f32) {
    let m = &w.miners;
    let n = m.capacity();
    debug_assert!(
        m.active.iter().all(|&a| a),
        "the survey runs on compacted miners"
    );
    let (base, chief) = (&m.threshold[..n], &m.chief[..n]);
    let (grievance, trust, risk) = (&m.grievance[..n], &m.trust[..n], &m.risk_aversion[..n]);
    let (cell, criminal) = (&m.cell[..n], &m.criminal[..n]);
    // Each miner's own part of his threshold first, in a pass of its own: element-wise, so
    // it vectorises; then, in miner order, the chief's calm (a lookup) and the attack
    // pressure (a sequential sum); then the bins, element-wise again; then the counts. The
    // operations on each threshold are those of `Mood::threshold`.
    let mut threshold: Vec<f32> = (0..n)
        .map(|i| mood.own(base[i], grievance[i], trust[i], risk[i]))
        .collect();
    let zone = w.grid.zone.as_slice();
    let mut pressure = 0.0f32;
    for (i, t) in threshold[..n].iter_mut().enumerate() {
        *t = mood.finish(*t, chief[i]);
        let g = grievance[i];
        // On the concession (a lease included): within reach of staff and assets. Computed
        // for everyone and added as exactly 0 below the grievance that drives attacks: the
        // test is a coin toss for the branch predictor where grievance runs high.
        let zone = zone[cell[i] as usize];
        let near = zone.is_incursion() | (zone == crate::world::Zone::Lease);
        // Weights 3 or 1 and 1 or 0.5 by arithmetic, exactly: where a miner digs and who
        // backs him vary from one miner to the next, and the compiler branches on a float
        // select. The last select is on a float comparison, which it does with a mask.
        let weight = 1.0 + 2.0 * f32::from(u8::from(criminal[i]));
        let push = (g - ATTACK_GRIEVANCE) * weight * (0.5 + 0.5 * f32::from(u8::from(near)));
        pressure += if g > ATTACK_GRIEVANCE { push } else { 0.0 };
    }
    let bins: Vec<u8> = threshold.iter().map(|&t| Thresholds::bin(t)).collect();
    (Thresholds::count(&bins), pressure)
}

/// Active miners whose threshold the crowd's share meets: this week's participants.
fn participants(w: &World, mood: &Mood, share: f32) -> Vec<u32> {
    let m = &w.miners;
    (0..m.capacity() as u32)
        .filter(|&i| m.active[i as usize] && mood.threshold_of(m, i as usize) <= share)
        .collect()
}

/// Slots of the histogram past the bins: instigators (threshold <= 0), and thresholds above
/// one (never reached).
const INSTIGATORS: usize = BINS + 1;
const NEVER: usize = BINS + 2;

/// Thresholds binned for the cascade: instigators (threshold <= 0) apart, thresholds above
/// one never reached.
struct Thresholds {
    n: u32,
    hist: [u32; BINS + 3],
}

impl Thresholds {
    /// A threshold's slot, with selects rather than branches (thresholds are spread, so
    /// branches on them are guessed wrong often; a pass of these vectorises).
    #[inline]
    fn bin(t: f32) -> u8 {
        // Through i32 (a plain truncation; the saturating conversion to usize costs more):
        // the same bin for every threshold in (0, 1], and the others are set apart below.
        let bin = ((t * BINS as f32) as i32).clamp(0, BINS as i32) as u8;
        let bin = if t <= 0.0 { INSTIGATORS as u8 } else { bin };
        // Not `t > 1.0`: a NaN is never reached either.
        if t <= 1.0 { bin } else { NEVER as u8 }
    }

    /// Thresholds binned by `bin`, counted. Consecutive miners often share a slot (most
    /// thresholds are above one in a calm week), and an increment waits for the one before
    /// it to the same slot: four histograms, taken in turn, are summed at the end (each
    /// with a slot for every `u8`, so a count needs no bounds check).
    fn count(bins: &[u8]) -> Thresholds {
        let mut lanes = [[0u32; 256]; 4];
        let mut quads = bins.chunks_exact(4);
        for q in &mut quads {
            for (lane, &b) in lanes.iter_mut().zip(q) {
                lane[usize::from(b)] += 1;
            }
        }
        for &b in quads.remainder() {
            lanes[0][usize::from(b)] += 1;
        }
        let mut hist = [0u32; BINS + 3];
        for lane in &lanes {
            for (h, &c) in hist.iter_mut().zip(lane) {
                *h += c;
            }
        }
        Thresholds {
            n: bins.len() as u32,
            hist,
        }
    }

    /// Fixed point of the cascade: start from the instigators and let each round's share of
    /// participants recruit those whose threshold it meets.
    fn share(&self) -> f32 {
        if self.n == 0 {
            return 0.0;
        }
        let n = self.n as f32;
        let instigators = self.hist[INSTIGATORS];
        let mut share = instigators as f32 / n;
        loop {
            let reach = ((share * BINS as f32) as usize).min(BINS);
            let joined: u32 = instigators + self.hist[..=reach].iter().sum::<u32>();
            let next = joined as f32 / n;
            if next <= share {
                return share;
            }
            share = next;
        }
    }
}

/// The cascade's final share of participants for a crowd with these thresholds.
#[cfg(test)]
fn cascade(thresholds: &[f32]) -> f32 {
    let bins: Vec<u8> = thresholds.iter().map(|&t| Thresholds::bin(t)).collect();
    Thresholds::count(&bins).share()
}

/// Security breaks up the blockade: a clash, perhaps violence, abuse of participants.
fn clear_by_force(
    w: &mut World,
    p: &Plan,
    wk: &mut Week,
    rng: &mut rng::Rng,
    crowd: f32,
    participants: &[u32],
    state: bool,
) {
    let b = &p.s.behaviour;
    wk.clashes += 1.0;
    let sec = &p.s.security;
    if rng.random::<f32>()
        < b.clash_violence as f32 * forces_factor(state, sec.forces_violence_factor)
    {
        wk.violent += 1.0;
        wk.fatalities += f64::from(rng::poisson(
            rng,
            b.fatalities_per_violent * f64::from(forces_factor(state, sec.forces_lethality_factor)),
        ));
    }
    let abuse = super::security::abuse_chance(p, state, w.state.forces_company);
    let allegations = rng::poisson(rng, f64::from(abuse * (1.0 + crowd / 200.0)));
    wk.hr += f64::from(allegations);
    for _ in 0..allegations {
        if participants.is_empty() {
            break;
        }
        let i = participants[rng.random_range(0..participants.len())] as usize;
        w.miners.events[i] |= event::ABUSED;
    }
    for &i in participants {
        w.miners.grievance[i as usize] = (w.miners.grievance[i as usize] + 0.05).min(1.0);
    }
}

/// Dialogue: participants are heard, which takes some heat out of their grievance, more so
/// where an engagement relationship already exists.
fn hear_out(w: &mut World, participants: &[u32]) {
    let relief = 0.03 * if w.state.stage >= 2 { 2.0 } else { 1.0 };
    for &i in participants {
        let g = &mut w.miners.grievance[i as usize];
        *g = (*g - relief).max(0.0);
    }
}

/// Attacks on staff or assets: the pressure of highly aggrieved miners makes them, the
/// mine's exposed targets bound them, and guards protect those targets. The mean saturates
/// smoothly at the bound: `cap x (1 - exp(-pressure x rate / cap))`.
fn attacks(p: &Plan, wk: &mut Week, rng: &mut rng::Rng, pressure: f32) {
    let guarded = p.s.security.guard_deterrence * p.st.security.guard_intensity;
    let cap = p.s.company.attack_targets_per_week * (1.0 - guarded);
    let drive = f64::from(pressure) * p.s.behaviour.attack_rate;
    let mean = if cap > 0.0 {
        cap * (1.0 - libm::exp(-drive / cap))
    } else {
        0.0
    };
    let n = rng::poisson(rng, mean);
    for _ in 0..n {
        wk.attacks += 1.0;
        if rng.random::<f32>() < 0.3 {
            wk.violent += 1.0;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::cascade;

    #[test]
    fn one_instigator_tips_a_uniform_crowd() {
        // Granovetter's riot: thresholds 0, 1/n, 2/n, ... all join.
        let n = 100;
        let t: Vec<f32> = (0..n).map(|i| i as f32 / n as f32).collect();
        assert_eq!(cascade(&t), 1.0);
    }

    #[test]
    fn without_the_instigator_nobody_moves() {
        let n = 100;
        let t: Vec<f32> = (0..n).map(|i| (i + 1) as f32 / n as f32).collect();
        assert_eq!(cascade(&t), 0.0);
    }

    #[test]
    fn a_gap_in_thresholds_stops_the_cascade() {
        let mut t: Vec<f32> = (0..10).map(|i| i as f32 / 100.0).collect();
        t.extend((10..100).map(|_| 0.5));
        assert!((cascade(&t) - 0.1).abs() < 1e-6);
    }
}
