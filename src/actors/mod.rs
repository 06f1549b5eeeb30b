//! The actors' weekly rules, one file per kind. Each phase reads the week's context
//! ([`Now`]) and the run's fixed plan ([`Plan`]), updates the world and tallies the week.
//! `sim` calls the phases in a fixed order.

pub mod chiefs;
pub mod collective;
pub mod company;
pub mod miners;
pub mod officials;
pub mod security;
mod sites;

use crate::rng::RunSeed;
use crate::scenario::Scenario;
use crate::strategy::{Channel, EnforcedArea, Strategy};
use crate::world::{Grid, Zone, near_concession};

/// What is fixed for a whole run: the scenario, the strategy, the seed, and derived lookups.
pub struct Plan<'a> {
    pub s: &'a Scenario,
    pub st: &'a Strategy,
    pub seed: RunSeed,
    /// Cells the company's guards patrol.
    pub guarded: Vec<bool>,
    /// The same cells as a list, in cell order (patrols draw from it weekly).
    pub guarded_list: Vec<u32>,
    /// Community cells near the concession: where evicted miners and newcomers land.
    pub near: Vec<u32>,
    /// The government's standing with miners, 0-1 (low after repression and corruption).
    pub government_standing: f32,
}

impl<'a> Plan<'a> {
    pub fn new(s: &'a Scenario, st: &'a Strategy, seed: RunSeed, grid: &Grid) -> Plan<'a> {
        let guarded = guarded_cells(grid, st);
        Plan {
            s,
            st,
            seed,
            guarded_list: (0..guarded.len() as u32)
                .filter(|&c| guarded[c as usize])
                .collect(),
            guarded,
            near: near_concession(grid, s, 6),
            government_standing: ((1.0 - s.government.repression_history)
                * (1.0 - 0.5 * s.officials.corruption)) as f32,
        }
    }

    /// Standing of an indirect engagement channel with miners of a chief of this legitimacy.
    pub fn channel_standing(&self, chief_legitimacy: Option<f32>) -> f32 {
        let ngo = self.s.ngo.trust as f32;
        let chiefs = self.s.chiefs.legitimacy as f32;
        match self.st.engagement.channel {
            Channel::None => 0.0,
            Channel::Direct => 1.0,
            Channel::Government => self.government_standing,
            // Migrants are tied to financiers, not chiefs: a chief reaches them only weakly.
            Channel::Chief => {
                chief_legitimacy.map_or(self.s.channels.chief_migrant_reach as f32 * chiefs, |l| l)
            }
            Channel::Ngo => ngo,
            // Inclusive, so somewhat better than the mean of its members.
            Channel::Multistakeholder => {
                ((self.government_standing + chiefs + ngo) / 3.0 + 0.1).min(1.0)
            }
        }
    }
}

/// The no-go zone (core plus buffer) or the whole concession.
fn guarded_cells(grid: &Grid, st: &Strategy) -> Vec<bool> {
    let sec = &st.security;
    let core: Vec<(i32, i32)> = (0..grid.cells() as u32)
        .filter(|&c| grid.zone[c as usize] == Zone::Core)
        .map(|c| grid.xy(c))
        .collect();
    let (x0, x1) = (
        core.iter().map(|p| p.0).min().unwrap_or(0),
        core.iter().map(|p| p.0).max().unwrap_or(0),
    );
    let (y0, y1) = (
        core.iter().map(|p| p.1).min().unwrap_or(0),
        core.iter().map(|p| p.1).max().unwrap_or(0),
    );
    let b = sec.no_go_buffer_cells as i32;
    (0..grid.cells() as u32)
        .map(|c| {
            let z = grid.zone[c as usize];
            match sec.enforced_area {
                EnforcedArea::Concession => z.is_incursion(),
                EnforcedArea::Core => {
                    let (x, y) = grid.xy(c);
                    z.is_incursion() && x >= x0 - b && x <= x1 + b && y >= y0 - b && y <= y1 + b
                }
            }
        })
        .collect()
}

/// The week's context: exogenous conditions and what the government is doing.
#[derive(Debug, Clone, Copy)]
pub struct Now {
    pub week: u32,
    /// Gold price, USD/g.
    pub price: f32,
    /// Output multiplier of the season (rains slow digging).
    pub season: f32,
    /// Planting season: locals' farm option is worth more.
    pub farming: bool,
    /// Pre-election crackdown or leniency under way.
    pub crackdown: bool,
    pub leniency: bool,
    /// State forces deployed this week.
    pub forces: bool,
    /// ASM zone or lease in place.
    pub programme: bool,
    /// Off-take buying this week.
    pub offtake: bool,
    /// Weekly chance a miner is reached by engagement, and its effect (negative: backfires).
    pub reach: f32,
    pub direct_effect: f32,
    /// Chance an eligible miner receives technical assistance this week.
    pub support: f32,
    /// Whether miners receive permit-fee subsidies this week.
    pub subsidy: bool,
    /// What miners expect from the mine minus what it delivers, per miner-week, in units of
    /// `behaviour.expectation_usd_week` (above one when a price spike raises expectations).
    pub shortfall: f32,
}

impl Now {
    /// Week-of-year in a seasonal window that may wrap past the year's end.
    pub fn in_window(week: u32, start: u32, len: u32) -> bool {
        let w = week % 52;
        if len >= 52 {
            return true;
        }
        let end = start + len;
        if end <= 52 {
            w >= start && w < end
        } else {
            w >= start || w < end - 52
        }
    }
}
