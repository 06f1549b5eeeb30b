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
    // The week's test first (the same for every miner, so its branch is never guessed
    // wrong, and the rest is skipped in a week without off-take); the miner's tests with
    // `&`: they are pure, and one branch on their conjunction is guessed right more often
    // than three.
    now.offtake
        && (permit == Permit::Held) & !excluded & matches!(zone, Zone::AsmZone | Zone::Lease)
}

/// What each site is worth this week, for all miners: the per-cell yield (with crowding as
/// it was last week) read off the grid's own columns, the cell's class (zone and guarding),
/// and per class and miner status the share of value a miner keeps and the raid risk he
/// fears. Nothing is built per cell but the classes (a byte each): the columns miners look
/// up at random cells are small enough to stay in the first-level cache.
pub(super) struct Sites<'a> {
    /// Ore grade and last week's occupancy by cell, and the class (zone x 2 + guarded),
    /// re-sliced to one length.
    grade: &'a [f32],
    occupancy: &'a [u16],
    class: Vec<u8>,
    crowding: Crowding,
    /// Row of a cell by multiplication: `cell * row_magic >> 32` is `cell / width` for every
    /// cell of a landscape (see `Sites::xy`).
    width: u32,
    row_magic: u64,
    /// USD kept per g of yield, by class and status (permit held, excluded, criminal, can
    /// pay). Padded to 16 classes so a masked class index needs no bounds check.
    keep: [[f32; STATUSES]; CLASS_SLOTS],
    /// Perceived weekly raid probability by class.
    risk: [f32; CLASS_SLOTS],
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
    /// (price share, levy or fee, bribe), padded to four so an entry is one aligned load.
    table: [[f32; 4]; ZONE_SLOTS * 8],
}

/// Zone slots in the deal table: a power of two above `ZONES`.
const ZONE_SLOTS: usize = 8;

impl Deals {
    pub(super) fn new(t: &Terms) -> Deals {
        let mut table = [[0.0; 4]; ZONE_SLOTS * 8];
        for (z, zone) in Zone::ALL.iter().enumerate() {
            for k in 0..8 {
                let (share, levy, bribe, _) = t.deal(*zone, k & 4 != 0, k & 2 != 0, k & 1 != 0);
                table[z * 8 + k] = [share, levy, bribe, 0.0];
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
        let [share, levy, bribe, _] = self.table[(zone.index() * 8 + k) & (ZONE_SLOTS * 8 - 1)];
        (share, levy, bribe)
    }
}

impl<'a> Sites<'a> {
    pub(super) fn new(
        grid: &'a Grid,
        p: &Plan,
        now: &Now,
        t: &Terms,
        raid_risk: &[f32; RISK_CLASSES],
    ) -> Sites<'a> {
        let cells = grid.cells();
        let class = grid
            .zone
            .iter()
            .zip(&p.guarded)
            .map(|(&zone, &guarded)| zone as u8 * 2 + u8::from(guarded))
            .collect();
        let mut sites = Sites {
            grade: &grid.grade[..cells],
            occupancy: &grid.occupancy[..cells],
            class,
            crowding: Crowding::new(t.capacity),
            width: grid.width,
            row_magic: row_magic(grid.width),
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

    /// The coordinates of a cell, as `Grid::xy` gives them, with a multiplication in place
    /// of a division (see `row_magic`).
    #[inline]
    pub(super) fn xy(&self, cell: u32) -> (i32, i32) {
        let y = row(cell, self.row_magic);
        ((cell - y * self.width) as i32, y as i32)
    }

    /// Whether a cell is in the ASM zone or a lease, read off its class (zone x 2 + guarded).
    #[inline]
    pub(super) fn in_zone_or_lease(&self, cell: u32) -> bool {
        let zone = usize::from(self.class[cell as usize] >> 1);
        (zone == Zone::AsmZone.index()) | (zone == Zone::Lease.index())
    }

    /// Expected net value of digging at `cell` for a miner, USD/week: the yield of a miner
    /// already there (`cell == here`) or of one more joining those there last week.
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
        let c = cell as usize;
        let (grade, occupied, class) = (self.grade[c], self.occupancy[c], self.class[c]);
        let occupied = usize::from(occupied) + usize::from(cell != here);
        // Classes and statuses are below 16 by construction: the masks only spare the checks.
        let class = usize::from(class) & (CLASS_SLOTS - 1);
        let yield_g = grade * self.crowding.at(occupied);
        yield_g * productivity * self.keep[class][status & (STATUSES - 1)]
            - self.risk[class] * fear
            - cost
    }
}

/// The multiplier that gives a cell's row as `row(cell, row_magic(width))`: 2^32 / width,
/// rounded up. For a cell below 2^18 (landscapes are at most 512 x 512 cells) the product's
/// error, below 2^-14, cannot carry `cell / width` past the next whole number, whose
/// fraction is at most 1 - 1/512.
fn row_magic(width: u32) -> u64 {
    (1u64 << 32) / u64::from(width) + 1
}

/// `cell / width` for the width `row_magic` was made for.
#[inline]
fn row(cell: u32, row_magic: u64) -> u32 {
    ((u64::from(cell) * row_magic) >> 32) as u32
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

#[cfg(test)]
mod tests {
    use super::*;

    /// The row by multiplication is the row by division for every cell of every landscape
    /// the scenario keys allow (8 to 512 cells a side).
    #[test]
    fn rows_by_multiplication_are_rows_by_division() {
        for width in 8u32..=512 {
            let magic = row_magic(width);
            for cell in 0..width * 512 {
                assert_eq!(row(cell, magic), cell / width, "cell {cell}, width {width}");
            }
        }
    }
}
