//! The result files of a run: runs.csv (streamed as runs complete), summary.csv,
//! timeseries.csv and map.csv, aggregated in run order and committed atomically at the end.

use super::files::AtomicFile;
use crate::batch::RunSpec;
use crate::metrics::{self, METRICS, SERIES};
use crate::scenario::Scenario;
use crate::sim::RunOutput;
use crate::stats::{Summary, canonical, quantile};
use crate::world::Zone;
use std::io;
use std::path::Path;

/// The header of summary.csv: the `keys` naming a group of replicates (`strategy`, or `point`
/// and `strategy` in a sweep), then the metric and its summary across the replicates.
pub(crate) fn summary_header<'a>(keys: &[&'a str]) -> Vec<&'a str> {
    let mut header = keys.to_vec();
    header.extend([
        "metric",
        "mean",
        "sd",
        "p05",
        "p50",
        "p95",
        "ci95_low",
        "ci95_high",
        "n",
    ]);
    header
}

/// Collects runs (in run order) and writes the result files.
pub struct Results {
    names: Vec<String>,
    seeds: usize,
    periods: Vec<u32>,
    width: u32,
    runs: csv::Writer<AtomicFile>,
    timeseries: csv::Writer<AtomicFile>,
    summary: csv::Writer<AtomicFile>,
    map: csv::Writer<AtomicFile>,
    /// Metric values of the current strategy's replicates, replicate-major.
    values: Vec<f64>,
    /// Timeseries of the current strategy's replicates, replicate-major.
    series: Vec<f32>,
    map_sum: Vec<f64>,
    zones: Vec<Zone>,
    current: Option<usize>,
}

impl Results {
    /// Open the result files in `dir` (as hidden partial files until `finish`).
    pub fn create(dir: &Path, s: &Scenario) -> io::Result<Results> {
        let open = |name: &str| -> io::Result<csv::Writer<AtomicFile>> {
            Ok(csv::Writer::from_writer(AtomicFile::create(
                &dir.join(name),
            )?))
        };
        let mut r = Results {
            names: s.strategy_names(),
            seeds: s.seeds as usize,
            periods: metrics::period_ends(s.weeks, s.timeseries_every_weeks),
            width: s.landscape.width,
            runs: open("runs.csv")?,
            timeseries: open("timeseries.csv")?,
            summary: open("summary.csv")?,
            map: open("map.csv")?,
            values: Vec::new(),
            series: Vec::new(),
            map_sum: Vec::new(),
            zones: Vec::new(),
            current: None,
        };
        let mut header = vec!["strategy", "replicate", "seed"];
        header.extend_from_slice(METRICS);
        r.runs.write_record(&header)?;
        r.timeseries
            .write_record(["strategy", "week", "metric", "mean", "p05", "p50", "p95"])?;
        r.summary.write_record(summary_header(&["strategy"]))?;
        r.map
            .write_record(["strategy", "x", "y", "zone", "miners_mean"])?;
        Ok(r)
    }

    /// Take one run's output; runs must arrive in plan order.
    pub fn accept(&mut self, spec: &RunSpec, out: RunOutput) -> io::Result<()> {
        if self.current != Some(spec.strategy) {
            self.close_strategy()?;
            self.current = Some(spec.strategy);
            self.map_sum = vec![0.0; out.map.len()];
            self.zones = out.zones.clone();
        }
        let values: Vec<f64> = out.metrics.values().into_iter().map(canonical).collect();
        let mut row = vec![
            self.names[spec.strategy].clone(),
            spec.replicate.to_string(),
            spec.seed.0.to_string(),
        ];
        row.extend(values.iter().map(|v| v.to_string()));
        self.runs.write_record(&row)?;
        self.runs.flush()?;
        self.values.extend(values);
        self.series.extend_from_slice(&out.series);
        for (acc, &m) in self.map_sum.iter_mut().zip(&out.map) {
            *acc += f64::from(m);
        }
        Ok(())
    }

    /// Summaries, timeseries and map of the strategy whose replicates are all in.
    fn close_strategy(&mut self) -> io::Result<()> {
        let Some(s) = self.current else { return Ok(()) };
        let name = self.names[s].clone();
        let reps = self.values.len() / METRICS.len();
        for (k, metric) in METRICS.iter().enumerate() {
            let column: Vec<f64> = (0..reps)
                .map(|r| self.values[r * METRICS.len() + k])
                .collect();
            let x = Summary::of(&column);
            let nums = [x.mean, x.sd, x.p05, x.p50, x.p95, x.ci95_low, x.ci95_high]
                .map(|v| canonical(v).to_string());
            let mut row = vec![name.clone(), metric.to_string()];
            row.extend(nums);
            row.push(x.n.to_string());
            self.summary.write_record(&row)?;
        }
        let per_run = self.periods.len() * SERIES.len();
        for (p, week) in self.periods.iter().enumerate() {
            for (k, metric) in SERIES.iter().enumerate() {
                let mut column: Vec<f64> = (0..reps)
                    .map(|r| f64::from(self.series[r * per_run + p * SERIES.len() + k]))
                    .collect();
                let mean = column.iter().sum::<f64>() / reps.max(1) as f64;
                column.sort_by(f64::total_cmp);
                let nums = [
                    mean,
                    quantile(&column, 0.05),
                    quantile(&column, 0.5),
                    quantile(&column, 0.95),
                ]
                .map(|v| canonical(v).to_string());
                self.timeseries.write_record([
                    name.as_str(),
                    &week.to_string(),
                    metric,
                    &nums[0],
                    &nums[1],
                    &nums[2],
                    &nums[3],
                ])?;
            }
        }
        for (cell, sum) in self.map_sum.iter().enumerate() {
            let (x, y) = (cell as u32 % self.width, cell as u32 / self.width);
            let mean = canonical(sum / reps.max(1) as f64);
            self.map.write_record([
                name.as_str(),
                &x.to_string(),
                &y.to_string(),
                self.zones[cell].name(),
                &mean.to_string(),
            ])?;
        }
        self.values.clear();
        self.series.clear();
        Ok(())
    }

    /// Close the last strategy and commit every file. Returns the number of runs per strategy.
    pub fn finish(mut self) -> io::Result<usize> {
        self.close_strategy()?;
        for w in [self.runs, self.timeseries, self.summary, self.map] {
            w.into_inner().map_err(|e| e.into_error())?.commit()?;
        }
        Ok(self.seeds)
    }
}
