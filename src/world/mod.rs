//! The state of one run: the landscape, the miners (struct-of-arrays, for speed), the chiefs,
//! and the state of the officials, the government and the company.
//!
//! `World::new` builds it from the scenario and the run's seed, the same for every strategy
//! (common random numbers); `sim` then steps it week by week.

mod init;

pub use init::{PIT_WORKER, add_miner, cells_where, near_concession, replan};

/// A miner tied to no chief (migrants answer to a financier or buyer instead).
pub const NO_CHIEF: u8 = u8::MAX;

/// What a cell is, which decides whether digging there is formal, informal or illegal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum Zone {
    /// Pit, plant and infrastructure: the company's most valuable asset.
    Core,
    /// The rest of the concession: illegal for ASM.
    Periphery,
    /// Customary land: informal without a permit, formal with one.
    Community,
    /// A designated ASM zone (outside the concession, or ceded from it).
    AsmZone,
    /// Concession land leased to an ASM operator.
    Lease,
    /// Protected area: illegal for ASM.
    Protected,
}

impl Zone {
    pub fn name(self) -> &'static str {
        match self {
            Zone::Core => "core",
            Zone::Periphery => "periphery",
            Zone::Community => "community",
            Zone::AsmZone => "asm_zone",
            Zone::Lease => "lease",
            Zone::Protected => "protected",
        }
    }

    /// Digging here is an incursion: illegal presence on the company's concession.
    pub fn is_incursion(self) -> bool {
        matches!(self, Zone::Core | Zone::Periphery)
    }

    /// Digging here can be formal with a permit.
    pub fn can_be_formal(self) -> bool {
        matches!(self, Zone::Community | Zone::AsmZone | Zone::Lease)
    }

    /// Explicitly prohibited (Hruschka's "illegal").
    pub fn is_illegal(self) -> bool {
        matches!(self, Zone::Core | Zone::Periphery | Zone::Protected)
    }

    /// Index into per-zone arrays.
    pub fn index(self) -> usize {
        self as usize
    }

    /// Every zone, in index order (for reading what is kept by zone).
    pub const ALL: [Zone; ZONES] = [
        Zone::Core,
        Zone::Periphery,
        Zone::Community,
        Zone::AsmZone,
        Zone::Lease,
        Zone::Protected,
    ];
}

/// Number of zone kinds.
pub const ZONES: usize = 6;

/// The landscape: one entry per cell, row-major.
#[derive(Debug, Clone)]
pub struct Grid {
    pub width: u32,
    pub height: u32,
    pub zone: Vec<Zone>,
    /// Ore yield, g per miner-week (before the miner's productivity and crowding).
    pub grade: Vec<f32>,
    /// Customary owner of the land.
    pub chief: Vec<u8>,
    /// Miners digging here, counted each week after decisions (so decisions see last week's).
    pub occupancy: Vec<u16>,
    /// Cells planned for the strategy's ASM zone or lease (applied when approved).
    pub planned: Vec<u32>,
    pub planned_zone: Zone,
}

impl Grid {
    pub fn cells(&self) -> usize {
        self.zone.len()
    }

    #[inline]
    pub fn xy(&self, cell: u32) -> (i32, i32) {
        ((cell % self.width) as i32, (cell / self.width) as i32)
    }

    #[inline]
    pub fn cell_at(&self, x: i32, y: i32) -> u32 {
        let x = x.clamp(0, self.width as i32 - 1) as u32;
        let y = y.clamp(0, self.height as i32 - 1) as u32;
        y * self.width + x
    }
}

/// Permit state of a miner.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
#[repr(u8)]
pub enum Permit {
    #[default]
    None,
    Pending,
    Held,
}

/// Weekly event flags of a miner (bits), read by the attitude update.
pub mod event {
    /// Evicted by force by guards or forces the company is blamed for.
    pub const EVICTED: u8 = 1;
    /// Abused by security.
    pub const ABUSED: u8 = 2;
    /// Accepted a negotiated departure.
    pub const NEGOTIATED: u8 = 4;
    /// Paid the official this week (protected from his shutdowns).
    pub const PAID: u8 = 8;
    /// Received technical assistance.
    pub const SUPPORTED: u8 = 32;
    /// Evicted in a state crackdown the company did not ask for.
    pub const CRACKDOWN: u8 = 128;
}

/// The miners, struct-of-arrays: slot i of every vector is one miner. Slots of miners who
/// left are reclaimed each week (`compact`), newcomers are appended, and capacity is
/// reserved once at `miners.max`.
#[derive(Debug, Clone, Default)]
pub struct Miners {
    pub active: Vec<bool>,
    pub migrant: Vec<bool>,
    /// Financed by a criminal network.
    pub criminal: Vec<bool>,
    pub chief: Vec<u8>,
    /// Share of a team's output this miner takes home (role: pit worker to pit manager).
    pub productivity: Vec<f32>,
    /// Outside option, USD/week.
    pub reservation: Vec<f32>,
    pub risk_aversion: Vec<f32>,
    /// Share of peers in action before this miner joins (Granovetter).
    pub threshold: Vec<f32>,
    pub cell: Vec<u32>,
    /// Net income this week, USD.
    pub income: Vec<f32>,
    /// Expected income (moving average), USD/week.
    pub expected: Vec<f32>,
    pub savings: Vec<f32>,
    /// Grievance toward the company, 0-1.
    pub grievance: Vec<f32>,
    /// Trust in the company, 0-1.
    pub trust: Vec<f32>,
    /// How credibly the company's message on what the mine can offer has reached this
    /// miner, 0-1 (set by a contact, fading with `behaviour.trust_memory_weeks`).
    pub informed: Vec<f32>,
    pub permit: Vec<Permit>,
    /// Week a pending permit can be granted.
    pub permit_week: Vec<u32>,
    /// Excluded from off-take after due diligence found criminal financing.
    pub excluded: Vec<bool>,
    /// Has been paid compensation for a negotiated departure.
    pub compensated: Vec<bool>,
    pub events: Vec<u8>,
    /// Slots of miners gone this week, compacted away by `compact`.
    pub removed: Vec<u32>,
    /// Most miners the area holds (`miners.max`).
    pub max: usize,
}

/// Apply `$op!(field)` to every per-miner vector (one list, so no field is forgotten).
macro_rules! each_field {
    ($op:ident) => {
        $op!(active);
        $op!(migrant);
        $op!(criminal);
        $op!(chief);
        $op!(productivity);
        $op!(reservation);
        $op!(risk_aversion);
        $op!(threshold);
        $op!(cell);
        $op!(income);
        $op!(expected);
        $op!(savings);
        $op!(grievance);
        $op!(trust);
        $op!(informed);
        $op!(permit);
        $op!(permit_week);
        $op!(excluded);
        $op!(compensated);
        $op!(events);
    };
}

impl Miners {
    fn with_capacity(n: usize) -> Self {
        let mut m = Miners {
            max: n,
            ..Miners::default()
        };
        macro_rules! reserve {
            ($f:ident) => {
                m.$f.reserve_exact(n)
            };
        }
        each_field!(reserve);
        m
    }

    /// Slots in use (active miners plus those gone this week, until `compact`).
    pub fn capacity(&self) -> usize {
        self.active.len()
    }

    /// Mark a miner gone; the slot is reclaimed by `compact` at a phase boundary, so loops
    /// in progress keep their indices.
    pub fn remove(&mut self, i: usize) {
        debug_assert!(self.active[i], "miner {i} removed twice");
        self.active[i] = false;
        self.removed.push(i as u32);
    }

    /// Reclaim the slots of miners gone: the last slot moves into each hole (highest hole
    /// first), so loops run over active miners only. Deterministic: it depends only on which
    /// slots were removed.
    pub fn compact(&mut self) {
        let mut removed = std::mem::take(&mut self.removed);
        removed.sort_unstable_by(|a, b| b.cmp(a));
        for r in removed.drain(..) {
            let r = r as usize;
            macro_rules! swap_out {
                ($f:ident) => {
                    self.$f.swap_remove(r)
                };
            }
            each_field!(swap_out);
        }
        self.removed = removed;
    }

    /// A new slot at the end, or none when the area is full.
    fn push_slot(&mut self) -> Option<usize> {
        if self.active.len() >= self.max {
            return None;
        }
        macro_rules! grow {
            ($f:ident) => {
                self.$f.push(Default::default())
            };
        }
        each_field!(grow);
        Some(self.active.len() - 1)
    }
}

/// A customary authority.
#[derive(Debug, Clone)]
pub struct Chief {
    /// Seat of the chief (cell).
    pub seat: u32,
    /// How far miners follow him, 0-1.
    pub legitimacy: f32,
    /// How far he feels recognised by company and government, 0-1.
    pub recognition: f32,
    /// Levy income, moving average, USD/week, and its level at the start.
    pub income: f32,
    pub income_baseline: f32,
    /// Stance toward the company, -1 (hostile) to 1 (supportive).
    pub stance: f32,
    /// Miners evicted by force from his land this week.
    pub evictions: f32,
}

/// Everything that changes during a run.
#[derive(Debug, Clone)]
pub struct World {
    pub grid: Grid,
    pub miners: Miners,
    pub chiefs: Vec<Chief>,
    /// Gold price by week, USD/g.
    pub price: Vec<f32>,
    pub state: State,
}

/// The few actors' state: officials, government, company.
#[derive(Debug, Clone, Default)]
pub struct State {
    /// Effective permit processing time, weeks (lobbying can shorten it).
    pub permit_weeks: f32,
    /// Weeks of state-forces deployment left, and whether the company asked for it.
    pub forces_left: u32,
    pub forces_company: bool,
    /// Week the ASM zone or lease was approved, if it was.
    pub programme_week: Option<u32>,
    /// Week the planned zone or lease was proposed to the government, once it has been.
    pub programme_proposed: Option<u32>,
    /// Company's knowledge of the local ASM, 0-1.
    pub knowledge: f32,
    /// Engagement ladder: stage 0-5 and progress toward the next stage.
    pub stage: u32,
    pub progress: f32,
    /// Social licence to operate, 0-1.
    pub social_licence: f32,
    /// Perceived weekly raid probability per zone (miners' shared belief).
    pub raid_risk: [f32; crate::actors::security::RISK_CLASSES],
    /// Former miners employed at the mine, and fractional job openings carried over.
    pub jobs: u32,
    pub job_openings: f32,
    /// Blockade under way last week (to count episodes).
    pub blockaded: bool,
    /// Incursions last week (triggers force requests).
    pub last_incursions: f32,
    /// Mean grievance and trust last week.
    pub mean_grievance: f32,
    pub mean_trust: f32,
    /// Moving average of the price, for migrants' news of a spike.
    pub price_ref: f32,
    /// Miner support left this week after fee subsidies, USD.
    pub support_budget: f32,
    /// A death or several abuses last week set the engagement ladder back.
    pub setback: bool,
    /// Mobilisation fatigue after blockades (raises collective-action thresholds).
    pub fatigue: f32,
    /// Active miners last week.
    pub miners: f32,
    /// Chance an eligible miner got technical assistance last week (what miners expect).
    pub support_last: f32,
    /// Weeks of off-take suspension left after a tainted-supply finding.
    pub offtake_suspended: u32,
    /// Off-take premium paid to miners last week over the informal price, USD.
    pub premium_paid: f32,
    /// Engagement contacts last week weighted by how openly miners met the messenger, as a
    /// share of miners (what the company learns from).
    pub open_contacts: f32,
    /// Violent incidents per week, recent average (what keeps the company's team away).
    pub recent_violence: f32,
    /// People who left ASM in the area, and what they went to.
    pub away: Away,
    /// Alternative-livelihood places funded but not yet taken.
    pub livelihood_openings: f32,
}

/// People who left ASM in the area (quit, evicted and moved on, employed at the mine, gone
/// home), with the weekly income they went to: they stay in the population-wide livelihood
/// measures to the end of the run (their income is held at what it was when they left).
#[derive(Debug, Clone, Copy, Default)]
pub struct Away {
    pub people: f64,
    /// Their weekly incomes, summed, USD.
    pub income: f64,
    /// How many of them live below the poverty line.
    pub poor: f64,
}

impl Away {
    /// One more person gone to a weekly income of `usd`.
    pub fn add(&mut self, usd: f32) {
        self.people += 1.0;
        self.income += f64::from(usd);
        self.poor += f64::from(u8::from(
            f64::from(usd) < crate::metrics::POVERTY_LINE_USD_WEEK,
        ));
    }
}
