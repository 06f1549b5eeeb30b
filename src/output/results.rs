//! The result files of a run: runs.csv (streamed as runs complete), summary.csv,
//! timeseries.csv and map.csv, aggregated in run order and committed atomically at the end.
//! A run that keeps metrics only (`--metrics-only`) writes runs.csv and summary.csv, and
//! removes a timeseries.csv or map.csv an earlier run left, which would not match.

use super::files::AtomicFile;
use super::safe::csv_cell;
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

/// timeseries.csv and map.csv.
struct Detail {
    timeseries: csv::Writer<AtomicFile>,
    map: csv::Writer<AtomicFile>,
}

/// Collects runs (in run order) and writes the result files.
pub struct Results {
    names: Vec<String>,
    seeds: usize,
    periods: Vec<u32>,
    width: u32,
    dir: std::path::PathBuf,
    runs: csv::Writer<AtomicFile>,
    summary: csv::Writer<AtomicFile>,
    /// Timeseries and map files; `None` when the run keeps metrics only.
    detail: Option<Detail>,
    /// Metric values of the current strategy's replicates, replicate-major.
    values: Vec<f64>,
    /// Timeseries of the current strategy's replicates, replicate-major.
    series: Vec<f32>,
    map_sum: Vec<f64>,
    zones: Vec<Zone>,
    current: Option<usize>,
}

impl Results {
    /// Open the result files in `dir` (as hidden partial files until `finish`); timeseries
    /// and map only if `detail`.
    pub fn create(dir: &Path, s: &Scenario, detail: bool) -> io::Result<Results> {
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
            dir: dir.to_path_buf(),
            runs: open("runs.csv")?,
            summary: open("summary.csv")?,
            detail: match detail {
                true => Some(Detail {
                    timeseries: open("timeseries.csv")?,
                    map: open("map.csv")?,
                }),
                false => None,
            },
            values: Vec::new(),
            series: Vec::new(),
            map_sum: Vec::new(),
            zones: Vec::new(),
            current: None,
        };
        let mut header = vec!["strategy", "replicate", "seed"];
        header.extend_from_slice(METRICS);
        r.runs.write_record(&header)?;
        r.summary.write_record(summary_header(&["strategy"]))?;
        if let Some(d) = &mut r.detail {
            d.timeseries
                .write_record(["strategy", "week", "metric", "mean", "p05", "p50", "p95"])?;
            d.map
                .write_record(["strategy", "x", "y", "zone", "miners_mean"])?;
        }
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
            csv_cell(&self.names[spec.strategy]).into_owned(),
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
        let name = csv_cell(&self.names[s]).into_owned();
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
        if let Some(d) = &mut self.detail {
            Self::close_detail(
                d,
                &name,
                reps,
                &self.periods,
                &self.series,
                self.width,
                &self.map_sum,
                &self.zones,
            )?;
        }
        self.values.clear();
        self.series.clear();
        Ok(())
    }

    /// The timeseries and map rows of the strategy whose replicates are all in.
    #[allow(clippy::too_many_arguments)]
    fn close_detail(
        d: &mut Detail,
        name: &str,
        reps: usize,
        periods: &[u32],
        series: &[f32],
        width: u32,
        map_sum: &[f64],
        zones: &[Zone],
    ) -> io::Result<()> {
        let per_run = periods.len() * SERIES.len();
        for (p, week) in periods.iter().enumerate() {
            for (k, metric) in SERIES.iter().enumerate() {
                let mut column: Vec<f64> = (0..reps)
                    .map(|r| f64::from(series[r * per_run + p * SERIES.len() + k]))
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
                d.timeseries.write_record([
                    name,
                    &week.to_string(),
                    metric,
                    &nums[0],
                    &nums[1],
                    &nums[2],
                    &nums[3],
                ])?;
            }
        }
        for (cell, sum) in map_sum.iter().enumerate() {
            let (x, y) = (cell as u32 % width, cell as u32 / width);
            let mean = canonical(sum / reps.max(1) as f64);
            d.map.write_record([
                name,
                &x.to_string(),
                &y.to_string(),
                zones[cell].name(),
                &mean.to_string(),
            ])?;
        }
        Ok(())
    }

    /// Close the last strategy and commit every file. Returns the number of runs per strategy.
    pub fn finish(mut self) -> io::Result<usize> {
        self.close_strategy()?;
        let mut files = vec![self.runs, self.summary];
        let detail = self.detail.is_some();
        if let Some(d) = self.detail {
            files.extend([d.timeseries, d.map]);
        }
        for w in files {
            w.into_inner().map_err(|e| e.into_error())?.commit()?;
        }
        if !detail {
            for stale in ["timeseries.csv", "map.csv"] {
                match std::fs::remove_file(self.dir.join(stale)) {
                    Err(e) if e.kind() != io::ErrorKind::NotFound => return Err(e),
                    _ => {}
                }
            }
        }
        Ok(self.seeds)
    }
}
