//! Chiefs: customary authorities who want money and respect. A chief who feels ignored by
//! the company turns his followers against it; one who is recognised, or whose levy income
//! grows, calms them (the seed's political economy analysis of incentives and ideas).

use super::{Now, Plan};
use crate::strategy::Channel;
use crate::world::World;

/// Weeks after which a chief's levy income is taken as his baseline.
const BASELINE_WEEK: u32 = 12;
/// Weekly fading of recognition when nobody attends to a chief.
const NEGLECT: f32 = 0.003;

/// Weekly update of recognition, income and stance.
pub fn update(w: &mut World, p: &Plan, now: &Now) {
    let e = &p.st.engagement;
    let engaged = e.channel != Channel::None && now.week >= e.start_week;
    let intensity = e.intensity as f32;
    let gain = p.s.chiefs.recognition_gain as f32;
    let attention = if !engaged {
        0.0
    } else {
        match e.channel {
            Channel::Chief => gain * intensity,
            Channel::Multistakeholder => 0.5 * gain * intensity,
            // Meetings with leaders begin at the second rung of the ladder.
            Channel::Direct if w.state.stage >= 2 => 0.1 * gain * w.state.stage as f32,
            _ => 0.0,
        }
    };
    let count = w.chiefs.len().max(1) as f32;
    // Forced evictions on a chief's customary land are an affront to him.
    let captured = if engaged && e.channel == Channel::Chief {
        let inv = &p.st.investment;
        p.s.chiefs.capture as f32
            * (inv.miner_support_usd_week + inv.community_projects_usd_week) as f32
            / count
    } else {
        0.0
    };
    for chief in &mut w.chiefs {
        if now.week == BASELINE_WEEK {
            chief.income_baseline = chief.income.max(1.0);
        }
        let affront = p.s.chiefs.affront_per_eviction as f32 * chief.evictions;
        chief.evictions = 0.0;
        chief.recognition = (chief.recognition + attention - NEGLECT - affront).clamp(0.0, 1.0);
        let ratio = if now.week >= BASELINE_WEEK {
            (chief.income + captured) / chief.income_baseline
        } else {
            1.0
        };
        chief.stance =
            libm::tanhf(2.0 * (chief.recognition - 0.35) + 1.5 * (ratio - 1.0).clamp(-1.0, 1.0));
    }
}
