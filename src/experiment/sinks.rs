//! Where records go, in plan order: the result files of a `run` (through
//! [`crate::output::results::Results`]), the result files of a sweep, or nowhere (a shard
//! keeps only its records; `merge` aggregates them later through these same sinks).
//!
//! Sweep files, committed atomically at the end:
//!
//! - `runs.csv`: `point,strategy,replicate,seed,` then every output, one row per run in plan
//!   order (point, then strategy, then replicate), streamed as runs complete;
//! - `summary.csv`: `point,strategy,metric,mean,sd,p05,p50,p95,ci95_low,ci95_high,n`, the
//!   replicates of each point and strategy summarised, as in a run's summary.csv.
//!
//! Numbers are rounded to 10 significant digits (`stats::canonical`) before anything is
//! computed from them, as in a run's files.

use super::record::{Record, zone_of};
use crate::batch::RunSpec;
use crate::metrics::RunMetrics;
use crate::output::AtomicFile;
use crate::output::results::{Results, summary_header};
use crate::output::safe::csv_cell;
use crate::rng::RunSeed;
use crate::scenario::Scenario;
use crate::sim::RunOutput;
use crate::stats::{Summary, canonical};
use std::io;
use std::path::Path;

/// The consumer of a plan's records.
pub enum Sink {
    /// A `run`'s result files.
    Run(Box<RunFiles>),
    /// A sweep's (or sensitivity analysis') result files.
    Sweep(Box<SweepFiles>),
    /// A shard: records only.
    Shard,
    /// Records of seeds chosen by precision, regrouped point by point for the sink inside.
    Regroup(Box<Regroup>),
}

impl Sink {
    /// Takes the next record in plan order.
    pub fn accept(&mut self, r: &Record) -> io::Result<()> {
        match self {
            Sink::Run(f) => f.accept(r),
            Sink::Sweep(f) => f.accept(r),
            Sink::Shard => Ok(()),
            Sink::Regroup(g) => g.accept(r),
        }
    }
}

/// With seeds chosen by precision, a point's records come block by block (every strategy
/// over the first block of seeds, then over the next); the result files want them
/// strategy-major, as a run with that many `--seeds` writes them. This holds one point's
/// records and hands them on in that order when the next point starts (or at the end), so
/// a `run` that stopped at N seeds writes the same files as `--seeds N`.
pub struct Regroup {
    inner: Sink,
    point: Option<u32>,
    held: Vec<Record>,
}

impl Regroup {
    /// Regroups the records for `inner`.
    pub fn new(inner: Sink) -> Regroup {
        Regroup {
            inner,
            point: None,
            held: Vec::new(),
        }
    }

    fn accept(&mut self, r: &Record) -> io::Result<()> {
        if self.point != Some(r.point) {
            self.flush()?;
            self.point = Some(r.point);
        }
        self.held.push(r.clone());
        Ok(())
    }

    fn flush(&mut self) -> io::Result<()> {
        // Stable: within a strategy, replicates arrive in order.
        self.held.sort_by_key(|r| (r.strategy, r.replicate));
        for r in self.held.drain(..) {
            self.inner.accept(&r)?;
        }
        Ok(())
    }

    /// Hands on the last point; returns the sink inside, to be finished.
    pub fn finish(mut self) -> io::Result<Sink> {
        self.flush()?;
        Ok(self.inner)
    }
}

/// A run's result files (runs, summary, timeseries, map).
pub struct RunFiles {
    results: Results,
    /// Miner-weeks simulated over the runs accepted.
    pub miner_weeks: f64,
}

impl RunFiles {
    /// Opens the result files of scenario `s` in `dir` (timeseries and map if `detail`).
    pub fn create(dir: &Path, s: &Scenario, detail: bool) -> io::Result<RunFiles> {
        Ok(RunFiles {
            results: Results::create(dir, s, detail)?,
            miner_weeks: 0.0,
        })
    }

    fn accept(&mut self, r: &Record) -> io::Result<()> {
        let bad = |what: &str| io::Error::new(io::ErrorKind::InvalidData, what.to_string());
        let metrics = RunMetrics::from_values(&r.values)
            .ok_or_else(|| bad("a record's values do not match the run metrics"))?;
        let zones = r
            .zones
            .iter()
            .map(|&z| zone_of(z))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| bad("a record holds an unknown zone code"))?;
        self.miner_weeks += metrics.miner_weeks;
        let spec = RunSpec {
            index: r.index as usize,
            strategy: r.strategy as usize,
            replicate: r.replicate,
            seed: r.seed,
        };
        let out = RunOutput {
            metrics,
            series: r.series.clone(),
            map: r.map.clone(),
            zones,
        };
        self.results.accept(&spec, out)
    }

    /// Closes the last strategy and commits the files.
    pub fn finish(self) -> io::Result<()> {
        self.results.finish().map(|_| ())
    }
}

/// A sweep's result files, and optionally each point's mean outputs (for sensitivity).
pub struct SweepFiles {
    strategies: Vec<String>,
    outputs: Vec<String>,
    runs: csv::Writer<AtomicFile>,
    summary: csv::Writer<AtomicFile>,
    /// Canonical values of the current (point, strategy), replicate-major.
    group: Vec<f64>,
    current: Option<(u32, u32)>,
    /// Mean of each output per point and strategy (point-major), if kept.
    means: Option<Vec<f64>>,
    /// Position of the `miner_weeks` output, if the evaluator has one.
    miner_weeks_at: Option<usize>,
    /// Miner-weeks simulated over the runs accepted (for the manifest's throughput).
    pub miner_weeks: f64,
}

impl SweepFiles {
    /// Opens runs.csv and summary.csv in `dir`; `keep_means` keeps each point's means.
    pub fn create(
        dir: &Path,
        strategies: Vec<String>,
        outputs: Vec<String>,
        keep_means: bool,
    ) -> io::Result<SweepFiles> {
        let open = |name: &str| -> io::Result<csv::Writer<AtomicFile>> {
            Ok(csv::Writer::from_writer(AtomicFile::create(
                &dir.join(name),
            )?))
        };
        let miner_weeks_at = outputs.iter().position(|o| o == "miner_weeks");
        let mut f = SweepFiles {
            strategies,
            outputs,
            miner_weeks_at,
            miner_weeks: 0.0,
            runs: open("runs.csv")?,
            summary: open("summary.csv")?,
            group: Vec::new(),
            current: None,
            means: keep_means.then(Vec::new),
        };
        let mut header: Vec<String> = ["point", "strategy", "replicate", "seed"]
            .map(String::from)
            .to_vec();
        header.extend(f.outputs.iter().map(|o| csv_cell(o).into_owned()));
        f.runs.write_record(&header)?;
        f.summary
            .write_record(summary_header(&["point", "strategy"]))?;
        Ok(f)
    }

    fn accept(&mut self, r: &Record) -> io::Result<()> {
        if r.values.len() != self.outputs.len() || r.strategy as usize >= self.strategies.len() {
            return Err(io::Error::new(
                io::ErrorKind::InvalidData,
                "a record does not match the sweep's strategies or outputs",
            ));
        }
        let key = (r.point, r.strategy);
        if self.current != Some(key) {
            self.close_group()?;
            self.current = Some(key);
        }
        if let Some(k) = self.miner_weeks_at {
            self.miner_weeks += r.values[k];
        }
        let values: Vec<f64> = r.values.iter().map(|&v| canonical(v)).collect();
        let mut row = vec![
            r.point.to_string(),
            csv_cell(&self.strategies[r.strategy as usize]).into_owned(),
            r.replicate.to_string(),
            seed_text(r.seed),
        ];
        row.extend(values.iter().map(|v| v.to_string()));
        self.runs.write_record(&row)?;
        self.runs.flush()?;
        self.group.extend(values);
        Ok(())
    }

    fn close_group(&mut self) -> io::Result<()> {
        let Some((point, strategy)) = self.current else {
            return Ok(());
        };
        let m = self.outputs.len();
        let reps = self.group.len() / m.max(1);
        for (k, metric) in self.outputs.iter().enumerate() {
            let column: Vec<f64> = (0..reps).map(|r| self.group[r * m + k]).collect();
            let x = Summary::of(&column);
            let nums = [x.mean, x.sd, x.p05, x.p50, x.p95, x.ci95_low, x.ci95_high]
                .map(|v| canonical(v).to_string());
            let mut row = vec![
                point.to_string(),
                csv_cell(&self.strategies[strategy as usize]).into_owned(),
                csv_cell(metric).into_owned(),
            ];
            row.extend(nums);
            row.push(x.n.to_string());
            self.summary.write_record(&row)?;
            if let Some(means) = &mut self.means {
                means.push(canonical(x.mean));
            }
        }
        self.group.clear();
        Ok(())
    }

    /// Closes the last group and commits the files; returns the means (point-major, then
    /// strategy, then output) if they were kept.
    pub fn finish(mut self) -> io::Result<Option<Vec<f64>>> {
        self.close_group()?;
        for w in [self.runs, self.summary] {
            w.into_inner().map_err(|e| e.into_error())?.commit()?;
        }
        Ok(self.means)
    }
}

fn seed_text(seed: RunSeed) -> String {
    seed.0.to_string()
}
