//! Adaptive strategies: phases (settings of the levers) and triggers that move a strategy
//! from one phase to the next, read from what the company can observe over a window: the
//! signposts and triggers of adaptive policymaking (Walker, Rahman & Cave 2001) and the
//! pathways of Haasnoot et al. (2013). A phase is strategy data (`strategy::Phase`); this
//! module parses trigger conditions (at validation) and follows one run's path (in `sim`):
//! it reads the week's tallies the company sees and says when to switch. The company's
//! policy then acts on the new phase's levers; nothing in the simulation reads a phase's or
//! a strategy's name.

use crate::metrics::Week;
use crate::strategy::{Strategy, Trigger};
use std::collections::VecDeque;

/// The name of a strategy's first phase: its own levers.
pub const START: &str = "start";
/// Most phases a strategy may have, `start` included (runs.csv has a column per phase).
pub const MAX_PHASES: usize = 4;

/// What the company can observe.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    /// The week of the run (0-based): a trigger on the calendar.
    Week,
    /// Miner-weeks of illegal digging on the concession.
    Incursions,
    /// Clashes, attacks on staff or assets and new blockades.
    ConflictIncidents,
    BlockadeDays,
    Fatalities,
    ViolentIncidents,
    /// Criminal-financed gold found in the company's supply chain.
    TaintedSupply,
    /// Miners' mean trust in the company (the company's survey), 0-1.
    Trust,
    /// Miners' mean grievance, 0-1.
    Grievance,
    SocialLicence,
    /// Gold price, USD/g.
    GoldPrice,
}

/// Values of the windowed signals, in `Signal::column` order.
const COLUMNS: usize = 10;
type Observation = [f64; COLUMNS];

impl Signal {
    pub const ALL: [Signal; 11] = [
        Signal::Week,
        Signal::Incursions,
        Signal::ConflictIncidents,
        Signal::BlockadeDays,
        Signal::Fatalities,
        Signal::ViolentIncidents,
        Signal::TaintedSupply,
        Signal::Trust,
        Signal::Grievance,
        Signal::SocialLicence,
        Signal::GoldPrice,
    ];

    pub fn name(self) -> &'static str {
        match self {
            Signal::Week => "week",
            Signal::Incursions => "incursions",
            Signal::ConflictIncidents => "conflict_incidents",
            Signal::BlockadeDays => "blockade_days",
            Signal::Fatalities => "fatalities",
            Signal::ViolentIncidents => "violent_incidents",
            Signal::TaintedSupply => "tainted_supply",
            Signal::Trust => "trust",
            Signal::Grievance => "grievance",
            Signal::SocialLicence => "social_licence",
            Signal::GoldPrice => "gold_price",
        }
    }

    /// Levels are averaged over the window; counts are summed.
    pub fn is_level(self) -> bool {
        matches!(
            self,
            Signal::Trust | Signal::Grievance | Signal::SocialLicence | Signal::GoldPrice
        )
    }

    /// The values the signal can take: a threshold outside them can never be crossed.
    pub fn range(self) -> (f64, f64) {
        match self {
            Signal::Trust | Signal::Grievance | Signal::SocialLicence => (0.0, 1.0),
            Signal::Week => (0.0, 5200.0),
            _ => (0.0, f64::INFINITY),
        }
    }

    fn column(self) -> Option<usize> {
        Signal::ALL.iter().position(|&s| s == self)?.checked_sub(1)
    }

    fn observe(wk: &Week) -> Observation {
        let miners = wk.miners.max(1.0);
        [
            wk.incursions,
            wk.clashes + wk.attacks + wk.blockades,
            wk.blockade_days,
            wk.fatalities,
            wk.violent,
            wk.tainted,
            wk.trust_sum / miners,
            wk.grievance_sum / miners,
            wk.social_licence,
            wk.price,
        ]
    }
}

/// A comparison.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Op {
    Below,
    AtMost,
    AtLeast,
    Above,
}

/// One condition of a trigger: `signal op value`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Condition {
    pub signal: Signal,
    pub op: Op,
    pub value: f64,
}

impl Condition {
    fn holds(&self, x: f64) -> bool {
        match self.op {
            Op::Below => x < self.value,
            Op::AtMost => x <= self.value,
            Op::AtLeast => x >= self.value,
            Op::Above => x > self.value,
        }
    }

    /// Whether some value of the signal in `lo..=hi` meets the condition.
    pub fn can_hold(&self, lo: f64, hi: f64) -> bool {
        match self.op {
            Op::Below => lo < self.value,
            Op::AtMost => lo <= self.value,
            Op::AtLeast => hi >= self.value,
            Op::Above => hi > self.value,
        }
    }
}

/// Read `SIGNAL OP NUMBER` (`trust >= 0.4`, `conflict_incidents > 3`, `week >= 260`).
pub fn parse_condition(text: &str) -> Result<Condition, String> {
    let expected = || {
        format!(
            "expected \"SIGNAL OP NUMBER\" with SIGNAL one of {} and OP one of <, <=, >=, >, got \"{}\"",
            Signal::ALL.map(Signal::name).join(", "),
            text.chars().take(60).collect::<String>()
        )
    };
    let words: Vec<&str> = text.split_whitespace().collect();
    let [signal, op, value] = words.as_slice() else {
        return Err(expected());
    };
    let signal = Signal::ALL
        .into_iter()
        .find(|s| s.name() == *signal)
        .ok_or_else(expected)?;
    let op = match *op {
        "<" => Op::Below,
        "<=" => Op::AtMost,
        ">=" => Op::AtLeast,
        ">" => Op::Above,
        _ => return Err(expected()),
    };
    let value: f64 = value.parse().map_err(|_| expected())?;
    if !value.is_finite() {
        return Err(expected());
    }
    Ok(Condition { signal, op, value })
}

/// A trigger ready to evaluate: phases by index (0 = `start`).
#[derive(Debug, Clone)]
struct Compiled {
    from: usize,
    to: usize,
    conditions: Vec<Condition>,
    window: usize,
    min_weeks: u32,
}

fn compile(st: &Strategy, t: &Trigger) -> Option<Compiled> {
    let names = st.phase_names();
    let index = |n: &str| names.iter().position(|p| *p == n);
    Some(Compiled {
        from: index(&t.from)?,
        to: index(&t.to)?,
        conditions: t
            .when
            .iter()
            .map(|c| parse_condition(c).ok())
            .collect::<Option<_>>()?,
        window: t.window_weeks.max(1) as usize,
        min_weeks: t.min_weeks_in_phase,
    })
}

/// One run's path through a strategy's phases.
#[derive(Debug, Clone)]
pub struct Path {
    triggers: Vec<Compiled>,
    /// The last weeks' observations, newest last, as long as the longest window.
    history: VecDeque<Observation>,
    capacity: usize,
    /// The phase in force (0 = `start`).
    pub current: usize,
    /// Week the current phase began.
    entered: u32,
}

impl Path {
    /// The path of a validated strategy (a fixed one never moves).
    pub fn new(st: &Strategy) -> Path {
        let triggers: Vec<Compiled> = st.triggers.iter().filter_map(|t| compile(st, t)).collect();
        let capacity = triggers.iter().map(|t| t.window).max().unwrap_or(0);
        Path {
            triggers,
            history: VecDeque::with_capacity(capacity),
            capacity,
            current: 0,
            entered: 0,
        }
    }

    /// Record what the company saw this week.
    pub fn observe(&mut self, wk: &Week) {
        if self.capacity == 0 {
            return;
        }
        if self.history.len() == self.capacity {
            self.history.pop_front();
        }
        self.history.push_back(Signal::observe(wk));
    }

    /// At the start of `week`, before the company acts: the phase to move to, if a trigger
    /// from the current phase fires (the first listed that does). A trigger needs a full
    /// window of observations and its minimum time in the phase.
    pub fn next(&mut self, week: u32) -> Option<usize> {
        let fired = self.triggers.iter().find(|t| {
            t.from == self.current
                && week - self.entered >= t.min_weeks
                && self.history.len() >= t.window
                && t.conditions
                    .iter()
                    .all(|c| c.holds(self.read(c.signal, t.window, week)))
        })?;
        self.current = fired.to;
        self.entered = week;
        Some(fired.to)
    }

    /// A signal over the last `window` weeks: counts summed, levels averaged.
    fn read(&self, signal: Signal, window: usize, week: u32) -> f64 {
        let Some(k) = signal.column() else {
            return f64::from(week);
        };
        let recent = self.history.iter().rev().take(window);
        let sum: f64 = recent.map(|o| o[k]).sum();
        if signal.is_level() {
            sum / window as f64
        } else {
            sum
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn conditions_read_and_refuse() {
        let c = parse_condition("trust >= 0.4").unwrap();
        assert_eq!(c.signal, Signal::Trust);
        assert_eq!(c.op, Op::AtLeast);
        assert!(c.holds(0.4) && !c.holds(0.39));
        for bad in [
            "trust => 0.4",
            "trust >= x",
            "calm >= 1",
            "trust >=0.4",
            "",
            "week >= inf",
        ] {
            let e = parse_condition(bad).unwrap_err();
            assert!(e.contains("expected \"SIGNAL OP NUMBER\""), "{bad}: {e}");
        }
        assert!(!parse_condition("trust > 1").unwrap().can_hold(0.0, 1.0));
        assert!(parse_condition("trust <= 1").unwrap().can_hold(0.0, 1.0));
    }

    fn week(conflict: f64, trust: f64) -> Week {
        Week {
            clashes: conflict,
            miners: 10.0,
            trust_sum: 10.0 * trust,
            ..Week::default()
        }
    }

    #[test]
    fn a_trigger_needs_a_full_window_and_its_minimum_time() {
        let mut st: Strategy = crate::strategy::presets()["coexistence"]
            .clone()
            .try_into()
            .unwrap();
        st.phases.push(crate::strategy::Phase {
            name: "respond".into(),
            levers: st.clone(),
        });
        st.triggers.push(Trigger {
            from: START.into(),
            to: "respond".into(),
            when: vec!["conflict_incidents >= 3".into(), "trust < 0.5".into()],
            window_weeks: 2,
            min_weeks_in_phase: 3,
        });
        let mut path = Path::new(&st);
        // Week 0: nothing observed yet.
        assert_eq!(path.next(0), None);
        path.observe(&week(5.0, 0.2));
        // Week 1: one week of a two-week window.
        assert_eq!(path.next(1), None);
        path.observe(&week(0.0, 0.2));
        // Week 2: full window (5 incidents, trust 0.2) but only two weeks in the phase.
        assert_eq!(path.next(2), None);
        path.observe(&week(0.0, 0.2));
        // Week 3: the window now holds 0 + 0 incidents.
        assert_eq!(path.next(3), None);
        path.observe(&week(2.0, 0.3));
        path.observe(&week(1.0, 0.3));
        assert_eq!(path.next(5), Some(1));
        assert_eq!(path.current, 1);
        // No trigger leaves "respond".
        path.observe(&week(9.0, 0.1));
        assert_eq!(path.next(6), None);
    }
}
