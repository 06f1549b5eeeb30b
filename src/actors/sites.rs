//! What a site is worth to a miner this week: the economic terms every miner faces (price
//! shares, the chief's levy or the operator's fee, the official's bribe or shutdown risk,
//! technical assistance), and the per-week site table that site choice reads, prepared once
//! so the miners' hot loop only looks values up.

use super::security::{RISK_CLASSES, risk_class};
use super::{Now, Plan};
use crate::world::{Grid, Permit, Zone};

/// A miner pays the official when his savings cover this many weeks of the bribe.
const PROTECTION_WEEKS: f32 = 4.0;

/// Per-week economic terms every miner faces, computed once per phase.
pub(super) struct Terms {
    pub(super) price: f32,
    pub(super) buyer: f32,
    pub(super) offtake: f32,
    pub(super) levy: f32,
    pub(super) lease_fee: f32,
    pub(super) bribe: f32,
    pub(super) shutdown: f32,
    /// Protection money illegal miners on the concession pay rent-seeking state agents,
    /// share of income.
    pub(super) protection: f32,
    /// Price share a state monopoly pays formal miners (0 when there is none).
    pub(super) monopoly: f32,
    pub(super) cost: f32,
    pub(super) capacity: f32,
    pub(super) season: f32,
    pub(super) ta_gain: f32,
    pub(super) support_last: f32,
}

impl Terms {
    pub(super) fn new(p: &Plan, now: &Now, support_last: f32) -> Terms {
        let s = p.s;
        let crackdown = if now.crackdown { 3.0 } else { 1.0 };
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
            shutdown: corruption * s.officials.shutdown_rate as f32 * crackdown,
            protection: corruption
                * s.officials.bribe_share as f32
                * s.security.rent_seeking as f32,
            monopoly: if now.monopoly {
                s.government.monopoly_price_share as f32
            } else {
                0.0
            },
            cost: s.economy.mining_cost_usd_week as f32,
            capacity: s.landscape.cell_capacity as f32,
            season: now.season,
            ta_gain: s.company.ta_productivity_gain as f32,
            support_last,
        }
    }

    /// USD a miner of this status keeps per g of yield on a zone this week: price share net
    /// of levy, bribes and shutdown risk, with the technical assistance he can count on in a
    /// supported zone or lease, season and price included.
    pub(super) fn keep(&self, now: &Now, zone: Zone, status: usize) -> f32 {
        let (held, excluded, criminal, pays) = (
            status & 1 != 0,
            status & 2 != 0,
            status & 4 != 0,
            status & 8 != 0,
        );
        let permit = if held { Permit::Held } else { Permit::None };
        let formal = held && zone.can_be_formal();
        let offtake = sells_offtake(now, zone, permit, excluded);
        let (share, levy, bribe, shutdown) = self.deal(zone, formal, offtake, criminal);
        // A miner who can pay the official pays and is spared; one who cannot risks a shutdown.
        let (bribe, shutdown) = if pays { (bribe, 0.0) } else { (0.0, shutdown) };
        let programme = now.programme && !criminal && matches!(zone, Zone::AsmZone | Zone::Lease);
        let boost = if programme {
            1.0 + self.ta_gain * self.support_last
        } else {
            1.0
        };
        self.season * self.price * share * boost * (1.0 - levy - bribe - shutdown)
    }

    /// Price share and deductions for a miner on a zone: (price share, levy or fee, bribe, shutdown risk).
    #[inline]
    pub(super) fn deal(
        &self,
        zone: Zone,
        formal: bool,
        offtake: bool,
        criminal: bool,
    ) -> (f32, f32, f32, f32) {
        let share = if offtake {
            self.offtake
        } else if formal && self.monopoly > 0.0 {
            // A state monopoly buys what formal miners produce; informal gold still goes to
            // informal buyers.
            self.monopoly
        } else {
            self.buyer
        };
        let levy = if zone == Zone::Lease {
            self.lease_fee
        } else {
            self.levy
        };
        // The official's reach is community land: informal miners there pay him or risk a
        // shutdown. On the concession, rent-seeking forces and officials sell protection from
        // state operations. Criminal financiers pay for their crews; formal miners owe nothing.
        let (bribe, shutdown) = if formal || criminal {
            (0.0, 0.0)
        } else if zone == Zone::Community {
            (self.bribe, self.shutdown)
        } else if zone.is_incursion() {
            (self.protection, 0.0)
        } else {
            (0.0, 0.0)
        };
        (share, levy, bribe, shutdown)
    }
}

/// Whether a miner's output is bought under off-take this week.
#[inline]
pub(super) fn sells_offtake(now: &Now, zone: Zone, permit: Permit, excluded: bool) -> bool {
    now.offtake
        && permit == Permit::Held
        && !excluded
        && matches!(zone, Zone::AsmZone | Zone::Lease)
}

/// What each site is worth this week, prepared once for all miners: the per-cell yield
/// (with crowding as it was last week), the cell's class (zone and guarding), and per class
/// and miner status the share of value a miner keeps and the raid risk he fears.
pub(super) struct Sites {
    /// Per cell, together so one cache line serves a lookup (miners look at random cells).
    cells: Vec<SiteCell>,
    /// USD kept per g of yield, by class and status (permit held, excluded, criminal, can
    /// pay). Padded to 16 classes so a masked class index needs no bounds check.
    keep: [[f32; STATUSES]; CLASS_SLOTS],
    /// Perceived weekly raid probability by class.
    risk: [f32; CLASS_SLOTS],
}

/// A cell as miners weigh it this week.
#[derive(Clone, Copy)]
struct SiteCell {
    /// Yield for a miner already on the cell, and for one who would join it, g/miner-week.
    stay: f32,
    join: f32,
    /// The cell's coordinates (a lookup is cheaper than dividing by the width).
    x: u16,
    y: u16,
    class: u32,
}

/// Occupancies whose crowding factor is tabulated.
const CROWD_TABLE: usize = 64;
/// Miner statuses: permit held, excluded, criminal, can pay the official.
pub(super) const STATUSES: usize = 16;
/// Cell classes: zone x guarded.
const CLASSES: usize = 12;
/// Class slots in the lookup tables: a power of two above `CLASSES`.
const CLASS_SLOTS: usize = 16;
const _: () = assert!(CLASSES <= CLASS_SLOTS && Zone::ALL.len() <= ZONE_SLOTS);

/// Crowding factors by occupancy, looked up rather than divided for every miner or cell.
pub(super) struct Crowding {
    capacity: f32,
    table: [f32; CROWD_TABLE + 2],
}

impl Crowding {
    pub(super) fn new(capacity: f32) -> Crowding {
        let mut table = [0.0f32; CROWD_TABLE + 2];
        for (o, c) in table.iter_mut().enumerate() {
            *c = crowd(capacity, o);
        }
        Crowding { capacity, table }
    }

    /// `crowd(capacity, occupied)`, the same value.
    #[inline]
    pub(super) fn at(&self, occupied: usize) -> f32 {
        match self.table.get(occupied) {
            Some(&c) => c,
            None => crowd(self.capacity, occupied),
        }
    }
}

/// What a miner keeps of a zone's output this week, by zone and status, looked up in the
/// dig rather than branched on: (price share, levy or fee, bribe), as `Terms::deal` gives.
pub(super) struct Deals {
    table: [(f32, f32, f32); ZONE_SLOTS * 8],
}

/// Zone slots in the deal table: a power of two above `ZONES`.
const ZONE_SLOTS: usize = 8;

impl Deals {
    pub(super) fn new(t: &Terms) -> Deals {
        let mut table = [(0.0, 0.0, 0.0); ZONE_SLOTS * 8];
        for (z, zone) in Zone::ALL.iter().enumerate() {
            for k in 0..8 {
                let (share, levy, bribe, _) = t.deal(*zone, k & 4 != 0, k & 2 != 0, k & 1 != 0);
                table[z * 8 + k] = (share, levy, bribe);
            }
        }
        Deals { table }
    }

    /// `Terms::deal` without the shutdown risk.
    #[inline]
    pub(super) fn get(
        &self,
        zone: Zone,
        formal: bool,
        offtake: bool,
        criminal: bool,
    ) -> (f32, f32, f32) {
        let k = usize::from(formal) << 2 | usize::from(offtake) << 1 | usize::from(criminal);
        self.table[(zone.index() * 8 + k) & (ZONE_SLOTS * 8 - 1)]
    }
}

impl Sites {
    pub(super) fn new(
        grid: &Grid,
        p: &Plan,
        now: &Now,
        t: &Terms,
        raid_risk: &[f32; RISK_CLASSES],
    ) -> Sites {
        let crowding = Crowding::new(t.capacity);
        let width = grid.width as u16;
        // Coordinates follow the row-major order (no division per cell).
        let (mut x, mut y) = (0u16, 0u16);
        // One pass over zipped columns (no per-cell bounds checks): this runs over every
        // cell every week, which weighs most where miners are few.
        let cells = grid
            .grade
            .iter()
            .zip(&grid.occupancy)
            .zip(grid.zone.iter().zip(&p.guarded))
            .map(|((&grade, &occupied), (&zone, &guarded))| {
                // Last week's count: decisions are taken before this week's recount.
                let occupied = usize::from(occupied);
                let site = SiteCell {
                    stay: grade * crowding.at(occupied),
                    join: grade * crowding.at(occupied + 1),
                    x,
                    y,
                    class: (zone.index() * 2 + usize::from(guarded)) as u32,
                };
                x += 1;
                if x == width {
                    (x, y) = (0, y + 1);
                }
                site
            })
            .collect();
        let mut sites = Sites {
            cells,
            keep: [[0.0; STATUSES]; CLASS_SLOTS],
            risk: [0.0; CLASS_SLOTS],
        };
        for (z, zone) in Zone::ALL.iter().enumerate() {
            for guarded in [false, true] {
                let class = z * 2 + usize::from(guarded);
                sites.risk[class] = raid_risk[risk_class(*zone, guarded)];
                for status in 0..STATUSES {
                    sites.keep[class][status] = t.keep(now, *zone, status);
                }
            }
        }
        sites
    }

    /// The coordinates of a cell, as `Grid::xy` gives them.
    #[inline]
    pub(super) fn xy(&self, cell: u32) -> (i32, i32) {
        let site = &self.cells[cell as usize];
        (i32::from(site.x), i32::from(site.y))
    }

    /// Whether a cell is in the ASM zone or a lease, read off its class (zone x 2 + guarded)
    /// in the table site choice has just read, rather than from the grid.
    #[inline]
    pub(super) fn in_zone_or_lease(&self, cell: u32) -> bool {
        let zone = self.cells[cell as usize].class as usize >> 1;
        (zone == Zone::AsmZone.index()) | (zone == Zone::Lease.index())
    }

    /// Expected net value of digging at `cell` for a miner, USD/week.
    #[inline]
    pub(super) fn value(
        &self,
        cell: u32,
        here: u32,
        productivity: f32,
        status: usize,
        fear: f32,
        cost: f32,
    ) -> f32 {
        let site = self.cells[cell as usize];
        // Classes and statuses are below 16 by construction: the masks only spare the checks.
        let class = site.class as usize & (CLASS_SLOTS - 1);
        let yield_g = if cell == here { site.stay } else { site.join };
        yield_g * productivity * self.keep[class][status & (STATUSES - 1)]
            - self.risk[class] * fear
            - cost
    }
}

/// Yield factor of a cell holding `occupied` miners: full up to its capacity, then shared.
#[inline]
pub(super) fn crowd(capacity: f32, occupied: usize) -> f32 {
    (capacity / (occupied as f32).max(1.0)).min(1.0)
}

/// A miner's status bits for the site table, from his permit, exclusion, criminal backing,
/// savings and expected income.
#[inline]
pub(super) fn status(
    permit: Permit,
    excluded: bool,
    criminal: bool,
    savings: f32,
    expected: f32,
    bribe_rate: f32,
) -> usize {
    usize::from(permit == Permit::Held)
        | usize::from(excluded) << 1
        | usize::from(criminal) << 2
        | usize::from(can_pay(savings, expected.max(0.0) * bribe_rate)) << 3
}

/// Whether savings cover enough weeks of a bribe for the miner to pay the official.
#[inline]
pub(super) fn can_pay(savings: f32, weekly_bribe: f32) -> bool {
    // `&`, not `&&`: both sides are pure, and a select vectorises where a branch does not.
    (weekly_bribe > 0.0) & (savings >= PROTECTION_WEEKS * weekly_bribe)
}
