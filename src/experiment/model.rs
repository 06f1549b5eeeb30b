//! What an experiment evaluates at each (design point, strategy, replicate): the pluggable
//! [`Evaluator`]. The CLI plugs in cohabit's simulation ([`Cohabit`]); tests plug in an
//! analytic function (e.g. Ishigami). Sampling, sharding, resume, outputs and estimation are
//! the same code whatever the evaluator.

use super::budget::Shape;
use super::record::zone_code;
use crate::design::DesignPoint;
use crate::metrics::METRICS;
use crate::rng::RunSeed;
use crate::scenario::{self, Scenario, ScenarioSource};
use crate::sim;

/// What one run produced.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    /// The run's seed (reported in runs.csv).
    pub seed: RunSeed,
    /// One value per output name, in [`Evaluator::outputs`] order.
    pub values: Vec<f64>,
    /// Timeseries (empty unless kept).
    pub series: Vec<f32>,
    /// Map of miners per cell (empty unless kept).
    pub map: Vec<f32>,
    /// Zone code per map cell.
    pub zones: Vec<u8>,
}

/// A model an experiment can run. Every design point runs every strategy over the same
/// replicates; runs must be deterministic in (point, strategy, replicate).
pub trait Evaluator: Sync {
    /// A design point made ready to run (for cohabit: the scenario with its overrides).
    type Point: Send + Sync;
    /// Strategy names, in run order.
    fn strategies(&self) -> Vec<String>;
    /// Replicates per strategy at every point.
    fn replicates(&self) -> u32;
    /// Names of the output values of a run, in order.
    fn outputs(&self) -> Vec<String>;
    /// Makes a design point ready; `Err` explains why its values are refused.
    fn prepare(&self, point: &DesignPoint) -> Result<Self::Point, String>;
    /// Runs one replicate of one strategy at a prepared point (`id` is the point's id).
    fn evaluate(&self, point: &Self::Point, id: u32, strategy: usize, replicate: u32)
    -> Evaluation;
    /// Sizes of one run, for the memory and disk estimate made before anything runs.
    fn shape(&self) -> Shape {
        Shape::default()
    }
}

/// cohabit's simulation: the base scenario, with each design point's values as `--set`
/// overrides after the command line's own.
#[derive(Debug, Clone)]
pub struct Cohabit {
    /// The scenario every point starts from (with the command line's overrides).
    pub base: Scenario,
    /// Where the base scenario came from.
    pub source: ScenarioSource,
    /// The command line's `--set` overrides (applied before a point's values).
    pub overrides: Vec<String>,
    /// Keep each run's timeseries and map (needed by `run`'s outputs, not by sweeps).
    pub detail: bool,
}

impl Evaluator for Cohabit {
    type Point = Scenario;

    fn strategies(&self) -> Vec<String> {
        self.base.strategy_names()
    }

    fn replicates(&self) -> u32 {
        self.base.seeds
    }

    fn outputs(&self) -> Vec<String> {
        METRICS.iter().map(|m| m.to_string()).collect()
    }

    fn prepare(&self, point: &DesignPoint) -> Result<Scenario, String> {
        if point.values.is_empty() {
            return Ok(self.base.clone());
        }
        let mut set = self.overrides.clone();
        set.extend(point.overrides());
        let mut s = scenario::load(&self.source, &set).map_err(|e| e.to_string())?;
        // The base may run a selection of the scenario's strategies (--strategies): take
        // the same ones, in the same order.
        let mut chosen = Vec::new();
        for name in self.base.strategy_names() {
            match s.strategies.iter().find(|ns| ns.name == name) {
                Some(ns) => chosen.push(ns.clone()),
                None => {
                    return Err(format!(
                        "its values change the strategies (no \"{name}\"); every point must run the same strategies"
                    ));
                }
            }
        }
        s.strategies = chosen;
        if s.seeds != self.base.seeds {
            return Err("`seeds` cannot vary: every point runs the scenario's seeds".to_string());
        }
        Ok(s)
    }

    fn shape(&self) -> Shape {
        let s = &self.base;
        let cells = u64::from(s.landscape.width) * u64::from(s.landscape.height);
        let periods = crate::metrics::period_ends(s.weeks, s.timeseries_every_weeks).len() as u64;
        let series = periods * crate::metrics::SERIES.len() as u64;
        // A simulation's state: about 64 bytes a miner slot and 48 a cell, its recorder.
        let working = u64::from(s.miners.max) * 64 + cells * 48 + series * 4 + cells * 4;
        Shape {
            series: if self.detail { series } else { 0 },
            map: if self.detail { cells } else { 0 },
            working,
        }
    }

    fn evaluate(&self, s: &Scenario, id: u32, strategy: usize, replicate: u32) -> Evaluation {
        let seed = RunSeed::new(s.master_seed, u64::from(id), u64::from(replicate));
        let out = sim::run(s, &s.strategies[strategy].strategy, seed);
        let values = out.metrics.values();
        if self.detail {
            Evaluation {
                seed,
                values,
                series: out.series,
                map: out.map,
                zones: out.zones.into_iter().map(zone_code).collect(),
            }
        } else {
            Evaluation {
                seed,
                values,
                series: Vec::new(),
                map: Vec::new(),
                zones: Vec::new(),
            }
        }
    }
}
