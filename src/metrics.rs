//! What is recorded: weekly tallies inside a run, the run's metrics (one runs.csv row), the
//! timeseries by period, and the map of where miners dig.
//!
//! Plain data only; `batch` aggregates records across replicates in run order.

/// Declares the run metrics once: the struct, the column names and the value list agree.
macro_rules! run_metrics {
    ($( $(#[$doc:meta])* $name:ident ),* $(,)?) => {
        /// One run's outcomes (one row of runs.csv). Units in the README.
        #[derive(Debug, Clone, Default, PartialEq)]
        pub struct RunMetrics { $( $(#[$doc])* pub $name: f64, )* }

        /// Column names of runs.csv after `strategy,replicate,seed`, in order.
        pub const METRICS: &[&str] = &[$(stringify!($name)),*];

        impl RunMetrics {
            /// Values in `METRICS` order.
            pub fn values(&self) -> Vec<f64> { vec![$(self.$name),*] }

            /// Rebuild from values in `METRICS` order (as read back from runs.csv).
            pub fn from_values(v: &[f64]) -> Option<RunMetrics> {
                let mut it = v.iter().copied();
                let m = RunMetrics { $($name: it.next()?,)* };
                it.next().is_none().then_some(m)
            }
        }
    };
}

run_metrics! {
    /// Miner-weeks of illegal digging on the concession (core and periphery, not leased or ceded land).
    incursions,
    /// Confrontations between miners and security (raids resisted, blockades cleared by force).
    clashes,
    /// Clashes that turned violent plus attacks on staff or assets.
    violent_incidents,
    fatalities,
    /// Human-rights allegations against security (guards or state forces).
    hr_allegations,
    /// Days of blockade or stoppage.
    blockade_days,
    /// Clashes + attacks on staff or assets + blockade episodes.
    conflict_incidents,
    /// Attacks on staff or assets by aggrieved miners.
    attacks,
    /// Blockade episodes (a run of consecutive blockade weeks counts once).
    blockades,
    /// Miners evicted by force.
    evictions,
    /// Miners who accepted a negotiated departure.
    negotiated_departures,
    miner_weeks,
    miners_final,
    /// Mean net income per miner-week of the miners digging in the area (stayers only), USD.
    mean_income_usd_week,
    /// Mean net income per miner-week of pit workers, the lowest-paid role and the majority
    /// (stayers only), USD.
    income_pit_workers_usd_week,
    /// Median net income per miner-week, USD (to within USD 0.50).
    median_income_usd_week,
    /// 10th percentile of net income per miner-week, USD (pit workers' level).
    income_p10_usd_week,
    /// 90th percentile of net income per miner-week, USD (right hands, pit managers).
    income_p90_usd_week,
    /// Share of miner-weeks below USD 2.15/day (USD 15.05/week).
    poverty_share,
    /// Everyone ever in the area: the miners at the start and every newcomer.
    people,
    /// Mean weekly income per person of everyone ever in the area, from arrival to the end,
    /// whether still digging, displaced, quit, employed or gone home, USD.
    income_all_usd_week,
    /// Share of those person-weeks below USD 15.05/week.
    poverty_share_all,
    /// Total net ASM income earned in the area over the horizon, USD.
    asm_income_usd,
    /// Gold dug per miner-year, g (ASM output, before levies and sales).
    output_g_per_miner_year,
    /// Miners taken into an alternative-livelihood programme.
    livelihood_trainees,
    /// Share of miners holding a permit and digging where that makes them formal, at the end.
    formal_share_final,
    /// Permit applications made over the horizon (miners deciding formal status is worth it).
    permit_applications,
    /// Evicted miners who left the area.
    displaced,
    /// Newcomers over the run.
    arrivals,
    /// Miners who quit ASM because it paid less than their outside option.
    quit,
    /// Miners who left ASM through a job at the mine or support to return home.
    exits,
    total_cost_usd,
    npv_cost_usd,
    /// What the company chose to spend: security, compensation and exit support,
    /// programmes, due diligence (undiscounted).
    lever_spend_usd,
    /// What happened to the company: production loss, theft and damage, legal and
    /// reputational costs, off-take net (undiscounted). lever + emergent = total.
    emergent_cost_usd,
    /// Lever spend discounted like `npv_cost_usd`.
    lever_spend_npv_usd,
    /// Emergent cost discounted like `npv_cost_usd` (lever + emergent = NPV, to rounding).
    emergent_cost_npv_usd,
    security_cost_usd,
    production_loss_usd,
    theft_damage_cost_usd,
    compensation_cost_usd,
    programme_cost_usd,
    due_diligence_cost_usd,
    legal_reputational_cost_usd,
    /// Off-take purchases + handling - resale - lease fees (negative: the off-take earned money).
    offtake_net_usd,
    /// Mean grievance toward the company at the end, 0-1.
    grievance_final,
    /// Mean trust in the company at the end, 0-1.
    trust_final,
    social_licence_final,
    /// Share of miners digging illegally on the concession at the end.
    concession_share_final,
    /// Times criminal-financed gold was found in the company's supply chain.
    tainted_supply_incidents,
    /// Times an adaptive strategy changed phase (0 for a fixed strategy).
    phase_switches,
    /// Week (1-based) of its first change of phase; 0 if it never changed.
    first_switch_week,
    /// Weeks spent in each phase, in declaration order (`start` first); a fixed strategy
    /// spends every week in phase 1.
    weeks_in_phase_1,
    weeks_in_phase_2,
    weeks_in_phase_3,
    weeks_in_phase_4,
}

/// The company's costs in one week, USD, by ledger category.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Costs {
    pub security: f64,
    pub production_loss: f64,
    pub theft_damage: f64,
    pub compensation: f64,
    pub programme: f64,
    pub due_diligence: f64,
    pub legal_reputational: f64,
    pub offtake_net: f64,
}

impl Costs {
    /// What the company chose to spend: the categories its levers set directly.
    pub fn lever(&self) -> f64 {
        self.security + self.compensation + self.programme + self.due_diligence
    }

    /// What happened to the company: the categories that follow from what miners, forces
    /// and markets did.
    pub fn emergent(&self) -> f64 {
        self.production_loss + self.theft_damage + self.legal_reputational + self.offtake_net
    }

    pub fn total(&self) -> f64 {
        self.security
            + self.production_loss
            + self.theft_damage
            + self.compensation
            + self.programme
            + self.due_diligence
            + self.legal_reputational
            + self.offtake_net
    }

    fn add(&mut self, o: &Costs) {
        self.security += o.security;
        self.production_loss += o.production_loss;
        self.theft_damage += o.theft_damage;
        self.compensation += o.compensation;
        self.programme += o.programme;
        self.due_diligence += o.due_diligence;
        self.legal_reputational += o.legal_reputational;
        self.offtake_net += o.offtake_net;
    }
}

/// Tallies of one week.
#[derive(Debug, Clone, Default)]
pub struct Week {
    pub miners: f64,
    pub incursions: f64,
    pub core_incursions: f64,
    pub clashes: f64,
    pub violent: f64,
    pub fatalities: f64,
    /// Deaths in operations of state forces the company did not call.
    pub fatalities_state: f64,
    pub hr: f64,
    /// Abuses by state forces the company did not call (blamed on the government).
    pub hr_state: f64,
    pub blockade_days: f64,
    pub blockades: f64,
    pub attacks: f64,
    pub evictions: f64,
    pub departures: f64,
    pub displaced: f64,
    pub arrivals: f64,
    pub quit: f64,
    pub exits: f64,
    pub income_sum: f64,
    pub poor: f64,
    pub formal: f64,
    pub grievance_sum: f64,
    pub trust_sum: f64,
    pub social_licence: f64,
    pub price: f64,
    pub tainted: f64,
    /// State forces operated on the concession this week.
    pub forces_on_concession: bool,
    /// Gold dug this week, g.
    pub grams: f64,
    /// Permit applications this week.
    pub applications: f64,
    /// Pit workers digging this week and their net incomes, USD.
    pub pit_workers: f64,
    pub pit_income: f64,
    /// Miners taken into an alternative-livelihood programme this week.
    pub trainees: f64,
    /// The adaptive strategy's phase in force this week (0 = `start`).
    pub phase: u8,
    /// People who had left ASM in the area by the end of the week, their weekly income and
    /// how many of them are poor (a stock, added to the population-wide measures each week).
    pub away_people: f64,
    pub away_income: f64,
    pub away_poor: f64,
    pub costs: Costs,
}

/// Timeseries metrics (timeseries.csv), in column order. Flows are summed over a period;
/// stocks are taken at its last week.
pub const SERIES: &[&str] = &[
    "conflict_incidents",
    "incursions",
    "clashes",
    "blockade_days",
    "hr_allegations",
    "cost_usd",
    "miners",
    "mean_income_usd_week",
    "formal_share",
    "grievance",
    "trust",
    "social_licence",
    "concession_share",
    "cumulative_cost_usd",
    "gold_price_usd_per_g",
    "in_phase_1",
    "in_phase_2",
    "in_phase_3",
    "in_phase_4",
];

/// Whether a timeseries metric is a flow (summed over a period) rather than a stock.
pub fn is_flow(series: &str) -> bool {
    matches!(
        series,
        "conflict_incidents"
            | "incursions"
            | "clashes"
            | "blockade_days"
            | "hr_allegations"
            | "cost_usd"
    )
}

/// Weekly net incomes below this are under the World Bank's USD 2.15/day line.
pub const POVERTY_LINE_USD_WEEK: f64 = 2.15 * 7.0;

/// Income histogram: USD 0.50 bins from -200 to 2,300; outside values go to the end bins.
const HIST_LO: f64 = -200.0;
const HIST_BIN: f64 = 0.5;
const HIST_BINS: usize = 5000;

/// Accumulates a run's weeks into its metrics, timeseries and map.
#[derive(Debug, Clone)]
pub struct Recorder {
    every: u32,
    weeks: u32,
    discount_per_week: f64,
    totals: Week,
    npv: f64,
    npv_lever: f64,
    period: Week,
    period_income_weeks: f64,
    pub series: Vec<f32>,
    cumulative_cost: f64,
    /// Counts by bin, in four lanes side by side (boxed: 80 kB): a fixed-size array, so the
    /// clamped bin index needs no bounds check. Consecutive miners often earn the same, and
    /// an increment waits for the one before it to the same count: miners take the lanes
    /// in turn, and a bin's count is its lanes' sum.
    income_hist: Box<[[u32; 4]; HIST_BINS]>,
    /// Weeks in each phase, changes of phase and the week of the first.
    phase_weeks: [f64; crate::adaptive::MAX_PHASES],
    switches: f64,
    first_switch: Option<u32>,
    last_phase: u8,
    /// Miner-weeks per cell over the final year.
    pub map: Vec<f32>,
    map_from: u32,
}

impl Recorder {
    pub fn new(weeks: u32, every: u32, discount_rate: f64, cells: usize) -> Recorder {
        Recorder {
            every,
            weeks,
            discount_per_week: libm::pow(1.0 + discount_rate, 1.0 / 52.0),
            totals: Week::default(),
            npv: 0.0,
            npv_lever: 0.0,
            period: Week::default(),
            period_income_weeks: 0.0,
            series: Vec::with_capacity(periods(weeks, every) * SERIES.len()),
            cumulative_cost: 0.0,
            income_hist: Box::new([[0; 4]; HIST_BINS]),
            phase_weeks: [0.0; crate::adaptive::MAX_PHASES],
            switches: 0.0,
            first_switch: None,
            last_phase: 0,
            map: vec![0.0; cells],
            map_from: weeks.saturating_sub(52),
        }
    }

    /// Whether week `w` (0-based) counts toward the map.
    pub fn maps(&self, w: u32) -> bool {
        w >= self.map_from
    }

    /// Count a week's miner incomes.
    pub fn incomes(&mut self, usd: &[f32]) {
        let bin = |usd: f32| {
            let bin = ((usd - HIST_LO as f32) * (1.0 / HIST_BIN as f32)) as i32;
            bin.clamp(0, HIST_BINS as i32 - 1) as usize
        };
        let mut quads = usd.chunks_exact(4);
        for q in &mut quads {
            for (lane, &usd) in q.iter().enumerate() {
                self.income_hist[bin(usd)][lane] += 1;
            }
        }
        for &usd in quads.remainder() {
            self.income_hist[bin(usd)][0] += 1;
        }
    }

    /// Close week `w` (0-based).
    pub fn week(&mut self, w: u32, wk: &Week) {
        if let Some(weeks) = self.phase_weeks.get_mut(usize::from(wk.phase)) {
            *weeks += 1.0;
        }
        if wk.phase != self.last_phase {
            self.switches += 1.0;
            self.first_switch.get_or_insert(w + 1);
            self.last_phase = wk.phase;
        }
        let cost = wk.costs.total();
        let discount = libm::pow(self.discount_per_week, f64::from(w));
        self.npv += cost / discount;
        self.npv_lever += wk.costs.lever() / discount;
        self.cumulative_cost += cost;
        add_flows(&mut self.totals, wk);
        add_flows(&mut self.period, wk);
        self.period_income_weeks += wk.miners;
        let end_of_period = (w + 1).is_multiple_of(self.every) || w + 1 == self.weeks;
        if end_of_period {
            let p = &self.period;
            let miners = wk.miners.max(1.0);
            let conflict = p.clashes + p.attacks + p.blockades;
            let mean_income = if self.period_income_weeks > 0.0 {
                p.income_sum / self.period_income_weeks
            } else {
                0.0
            };
            let row = [
                conflict,
                p.incursions,
                p.clashes,
                p.blockade_days,
                p.hr,
                p.costs.total(),
                wk.miners,
                mean_income,
                wk.formal / miners,
                wk.grievance_sum / miners,
                wk.trust_sum / miners,
                wk.social_licence,
                wk.incursions / miners,
                self.cumulative_cost,
                wk.price,
                f64::from(u8::from(wk.phase == 0)),
                f64::from(u8::from(wk.phase == 1)),
                f64::from(u8::from(wk.phase == 2)),
                f64::from(u8::from(wk.phase == 3)),
            ];
            self.series.extend(row.iter().map(|&x| x as f32));
            self.period = Week::default();
            self.period_income_weeks = 0.0;
        }
    }

    /// The run's metrics, given its last week.
    pub fn finish(&self, last: &Week) -> RunMetrics {
        let t = &self.totals;
        let miner_weeks = t.miners;
        let per = |x: f64| {
            if miner_weeks > 0.0 {
                x / miner_weeks
            } else {
                0.0
            }
        };
        let miners = last.miners.max(1.0);
        let person_weeks = t.miners + t.away_people;
        let per_person = |x: f64| {
            if person_weeks > 0.0 {
                x / person_weeks
            } else {
                0.0
            }
        };
        RunMetrics {
            incursions: t.incursions,
            clashes: t.clashes,
            violent_incidents: t.violent,
            fatalities: t.fatalities,
            hr_allegations: t.hr,
            blockade_days: t.blockade_days,
            conflict_incidents: t.clashes + t.attacks + t.blockades,
            attacks: t.attacks,
            blockades: t.blockades,
            evictions: t.evictions,
            negotiated_departures: t.departures,
            miner_weeks,
            miners_final: last.miners,
            mean_income_usd_week: per(t.income_sum),
            income_pit_workers_usd_week: if t.pit_workers > 0.0 {
                t.pit_income / t.pit_workers
            } else {
                0.0
            },
            median_income_usd_week: self.income_quantile(0.5),
            income_p10_usd_week: self.income_quantile(0.1),
            income_p90_usd_week: self.income_quantile(0.9),
            poverty_share: per(t.poor),
            // Filled in by `sim::run`, which knows the starting population.
            people: 0.0,
            income_all_usd_week: per_person(t.income_sum + t.away_income),
            poverty_share_all: per_person(t.poor + t.away_poor),
            asm_income_usd: t.income_sum,
            output_g_per_miner_year: per(t.grams) * 52.0,
            livelihood_trainees: t.trainees,
            formal_share_final: last.formal / miners,
            permit_applications: t.applications,
            displaced: t.displaced,
            arrivals: t.arrivals,
            quit: t.quit,
            exits: t.exits,
            total_cost_usd: t.costs.total(),
            npv_cost_usd: self.npv,
            lever_spend_usd: t.costs.lever(),
            emergent_cost_usd: t.costs.emergent(),
            lever_spend_npv_usd: self.npv_lever,
            emergent_cost_npv_usd: self.npv - self.npv_lever,
            security_cost_usd: t.costs.security,
            production_loss_usd: t.costs.production_loss,
            theft_damage_cost_usd: t.costs.theft_damage,
            compensation_cost_usd: t.costs.compensation,
            programme_cost_usd: t.costs.programme,
            due_diligence_cost_usd: t.costs.due_diligence,
            legal_reputational_cost_usd: t.costs.legal_reputational,
            offtake_net_usd: t.costs.offtake_net,
            grievance_final: last.grievance_sum / miners,
            trust_final: last.trust_sum / miners,
            social_licence_final: last.social_licence,
            concession_share_final: last.incursions / miners,
            tainted_supply_incidents: t.tainted,
            phase_switches: self.switches,
            first_switch_week: self.first_switch.map_or(0.0, f64::from),
            weeks_in_phase_1: self.phase_weeks[0],
            weeks_in_phase_2: self.phase_weeks[1],
            weeks_in_phase_3: self.phase_weeks[2],
            weeks_in_phase_4: self.phase_weeks[3],
        }
    }

    /// A quantile of the run's miner-week incomes, to within half a bin.
    fn income_quantile(&self, q: f64) -> f64 {
        let count = |lanes: &[u32; 4]| lanes.iter().map(|&c| u64::from(c)).sum::<u64>();
        let n: u64 = self.income_hist.iter().map(count).sum();
        if n == 0 {
            return 0.0;
        }
        let half = ((n as f64 * q).ceil() as u64).max(1);
        let mut seen = 0u64;
        for (bin, lanes) in self.income_hist.iter().enumerate() {
            seen += count(lanes);
            if seen >= half {
                return HIST_LO + (bin as f64 + 0.5) * HIST_BIN;
            }
        }
        0.0
    }
}

fn add_flows(acc: &mut Week, wk: &Week) {
    acc.miners += wk.miners;
    acc.incursions += wk.incursions;
    acc.core_incursions += wk.core_incursions;
    acc.clashes += wk.clashes;
    acc.violent += wk.violent;
    acc.fatalities += wk.fatalities;
    acc.fatalities_state += wk.fatalities_state;
    acc.hr += wk.hr;
    acc.hr_state += wk.hr_state;
    acc.blockade_days += wk.blockade_days;
    acc.blockades += wk.blockades;
    acc.attacks += wk.attacks;
    acc.evictions += wk.evictions;
    acc.departures += wk.departures;
    acc.displaced += wk.displaced;
    acc.arrivals += wk.arrivals;
    acc.quit += wk.quit;
    acc.exits += wk.exits;
    acc.income_sum += wk.income_sum;
    acc.poor += wk.poor;
    acc.tainted += wk.tainted;
    acc.grams += wk.grams;
    acc.applications += wk.applications;
    acc.pit_workers += wk.pit_workers;
    acc.pit_income += wk.pit_income;
    acc.trainees += wk.trainees;
    acc.away_people += wk.away_people;
    acc.away_income += wk.away_income;
    acc.away_poor += wk.away_poor;
    acc.costs.add(&wk.costs);
}

/// Number of timeseries periods in a run.
pub fn periods(weeks: u32, every: u32) -> usize {
    weeks.div_ceil(every) as usize
}

/// The last week (1-based) of each period: the `week` column of timeseries.csv.
pub fn period_ends(weeks: u32, every: u32) -> Vec<u32> {
    (1..=periods(weeks, every) as u32)
        .map(|p| (p * every).min(weeks))
        .collect()
}
