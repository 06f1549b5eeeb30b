//! Reads a run's output folder (runs.csv, summary.csv, timeseries.csv, map.csv,
//! manifest.json, scenario.toml) into typed, ordered tables for the charts, the findings and
//! the briefing. Strategies keep the user's run order (first appearance in runs.csv).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::csvfile::{CsvFile, invalid, read_bytes};
use super::error::ReportError;
use super::map::{MapData, read_map};

/// Everything the report draws from, read from one output folder.
pub(crate) struct RunData {
    /// Strategy names in run order.
    pub strategies: Vec<String>,
    /// Per-run outcomes (one row per strategy x replicate).
    pub runs: Runs,
    /// Summary statistics per (strategy, metric).
    pub summary: BTreeMap<(String, String), Stat>,
    /// Time series per (strategy, metric), sorted by week.
    pub series: BTreeMap<(String, String), Vec<SeriesPoint>>,
    /// Where miners dig, per strategy.
    pub map: MapData,
    /// The run's manifest.
    pub manifest: Manifest,
    /// The fully resolved scenario.
    pub scenario: toml::Table,
}

/// The run manifest (`manifest.json`); extra fields are ignored, missing ones defaulted.
#[derive(Debug, Default, Deserialize)]
#[serde(default)]
pub(crate) struct Manifest {
    /// Producing tool's version.
    pub version: String,
    /// Scenario name.
    pub scenario: String,
    /// Scenario description in words.
    pub description: String,
    /// Hash of the resolved scenario.
    pub scenario_hash: String,
    /// Master seed of the run.
    pub master_seed: Option<u64>,
    /// Seeds (replicates) per strategy.
    pub seeds: u64,
    /// Horizon in weeks.
    pub weeks: u64,
    /// Length of a time-series recording period, weeks.
    pub timeseries_every_weeks: u64,
    /// Overrides applied on the command line (`key=value`).
    pub overrides: Vec<String>,
    /// Seeds chosen by precision (`--precision`): targets and outcome.
    pub precision: Option<crate::experiment::precision::Report>,
}

/// One row of `summary.csv`: a metric's distribution across seeds for one strategy.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Stat {
    /// Mean across seeds.
    pub mean: f64,
    /// 5th percentile across seeds.
    pub p05: f64,
    /// Median across seeds.
    pub p50: f64,
    /// 95th percentile across seeds.
    pub p95: f64,
    /// Lower end of the 95% confidence interval of the mean.
    pub ci_low: f64,
    /// Upper end of the 95% confidence interval of the mean.
    pub ci_high: f64,
}

/// One recording period of `timeseries.csv` (statistics across seeds).
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct SeriesPoint {
    /// Last week of the period.
    pub week: f64,
    /// Mean across seeds.
    pub mean: f64,
    /// 5th percentile across seeds.
    pub p05: f64,
    /// Median across seeds.
    pub p50: f64,
    /// 95th percentile across seeds.
    pub p95: f64,
}

/// The per-run outcomes of `runs.csv`.
#[derive(Debug, Clone, Default)]
pub(crate) struct Runs {
    metrics: Vec<String>,
    rows: Vec<RunRow>,
}

/// One run: a strategy (index into the run order), its replicate and its metric values.
#[derive(Debug, Clone)]
pub(crate) struct RunRow {
    /// Index of the strategy in run order.
    pub strategy: usize,
    /// Replicate number (shared world across strategies).
    pub replicate: u64,
    /// Metric values, in the order of [`Runs::metrics`].
    pub values: Vec<f64>,
}

impl Runs {
    /// Builds the table from metric names and rows.
    pub fn new(metrics: Vec<String>, rows: Vec<RunRow>) -> Self {
        Self { metrics, rows }
    }

    /// Whether the table has a column `metric`.
    pub fn has(&self, metric: &str) -> bool {
        self.metrics.iter().any(|m| m == metric)
    }

    /// Values of `metric` for `strategy`, keyed by replicate (sorted).
    pub fn by_replicate(&self, strategy: usize, metric: &str) -> BTreeMap<u64, f64> {
        let Some(col) = self.metrics.iter().position(|m| m == metric) else {
            return BTreeMap::new();
        };
        self.rows
            .iter()
            .filter(|r| r.strategy == strategy)
            .map(|r| (r.replicate, r.values[col]))
            .collect()
    }

    /// Values of `metric` for `strategy`, in replicate order.
    pub fn values(&self, strategy: usize, metric: &str) -> Vec<f64> {
        self.by_replicate(strategy, metric).into_values().collect()
    }

    /// Paired values (same replicate) of `metric` for strategies `a` and `b`.
    pub fn paired(&self, a: usize, b: usize, metric: &str) -> (Vec<f64>, Vec<f64>) {
        let left = self.by_replicate(a, metric);
        let right = self.by_replicate(b, metric);
        left.iter()
            .filter_map(|(rep, va)| right.get(rep).map(|vb| (*va, *vb)))
            .unzip()
    }
}

impl RunData {
    /// Statistic of `metric` for `strategy`: from summary.csv, else computed from runs.csv.
    /// A quantity that is never negative in any run (a count, a cost, a share) gets its
    /// confidence interval clipped at zero: a t interval from few seeds can reach below it,
    /// and "-0.02 deaths" is not a number a reader should see.
    pub fn stat(&self, strategy: usize, metric: &str) -> Option<Stat> {
        let name = &self.strategies[strategy];
        let mut stat = match self.summary.get(&(name.clone(), metric.to_string())) {
            Some(s) => *s,
            None => super::stats::describe(&self.runs.values(strategy, metric))?,
        };
        if self.never_negative(metric) {
            stat.ci_low = stat.ci_low.max(0.0);
            stat.p05 = stat.p05.max(0.0);
        }
        Some(stat)
    }

    /// Whether `metric` is at least zero in every run of every strategy (and has runs).
    fn never_negative(&self, metric: &str) -> bool {
        let mut any = false;
        for s in 0..self.strategies.len() {
            let values = self.runs.values(s, metric);
            if values.iter().any(|v| *v < 0.0) {
                return false;
            }
            any |= !values.is_empty();
        }
        any
    }

    /// Time series of `metric` for `strategy` (empty if absent).
    pub fn series(&self, strategy: usize, metric: &str) -> &[SeriesPoint] {
        self.series
            .get(&(self.strategies[strategy].clone(), metric.to_string()))
            .map_or(&[], Vec::as_slice)
    }

    /// The phases of strategy `s` in declaration order (`start` first), from the resolved
    /// scenario; a fixed strategy has one.
    pub fn phases(&self, s: usize) -> Vec<String> {
        let table = self
            .scenario
            .get("strategies")
            .and_then(|t| t.get(&self.strategies[s]))
            .and_then(|t| t.get("phases"))
            .and_then(|t| t.as_table());
        std::iter::once("start".to_string())
            .chain(table.into_iter().flat_map(|t| t.keys().cloned()))
            .collect()
    }

    /// Seeds per strategy: from the manifest, else the most replicates of any strategy.
    pub fn seeds(&self) -> u64 {
        if self.manifest.seeds > 0 {
            return self.manifest.seeds;
        }
        (0..self.strategies.len())
            .map(|s| self.runs.values(s, "miner_weeks").len() as u64)
            .max()
            .unwrap_or(0)
    }

    /// Horizon in weeks: from the manifest, else the last recorded week.
    pub fn weeks(&self) -> u64 {
        if self.manifest.weeks > 0 {
            return self.manifest.weeks;
        }
        let last = self.series.values().flatten().map(|p| p.week);
        last.fold(0.0, f64::max) as u64
    }

    /// Weeks per time-series period: from the manifest, else the gap between records.
    pub fn period_weeks(&self) -> u64 {
        if self.manifest.timeseries_every_weeks > 0 {
            return self.manifest.timeseries_every_weeks;
        }
        let first = self.series.values().next();
        first
            .and_then(|pts| pts.get(..2).map(|p| (p[1].week - p[0].week) as u64))
            .filter(|gap| *gap > 0)
            .unwrap_or(1)
    }
}

/// Reads every input file of `dir`.
pub(crate) fn load(dir: &Path) -> Result<RunData, ReportError> {
    let (strategies, runs) = read_runs(&dir.join("runs.csv"))?;
    Ok(RunData {
        summary: read_summary(&dir.join("summary.csv"))?,
        series: read_series(&dir.join("timeseries.csv"))?,
        map: read_map(&dir.join("map.csv"))?,
        manifest: read_manifest(&dir.join("manifest.json"))?,
        scenario: read_scenario(&dir.join("scenario.toml"))?,
        strategies,
        runs,
    })
}

fn read_runs(path: &Path) -> Result<(Vec<String>, Runs), ReportError> {
    let csv = CsvFile::read(path)?;
    let (s_col, r_col) = (csv.column("strategy")?, csv.column("replicate")?);
    let seed_col = csv.column("seed")?;
    let metric_cols: Vec<usize> = (0..csv.headers().len())
        .filter(|c| ![s_col, r_col, seed_col].contains(c))
        .collect();
    let metrics = metric_cols.iter().map(|c| csv.headers()[*c].clone());
    let mut strategies: Vec<String> = Vec::new();
    let mut rows = Vec::new();
    for row in csv.rows() {
        let name = csv.text(row, s_col)?;
        let strategy = match strategies.iter().position(|s| *s == name) {
            Some(i) => i,
            None => {
                strategies.push(name);
                strategies.len() - 1
            }
        };
        let replicate = csv.integer(row, r_col)?;
        csv.integer(row, seed_col)?;
        let values = metric_cols.iter().map(|c| csv.number(row, *c));
        let values = values.collect::<Result<Vec<_>, _>>()?;
        rows.push(RunRow {
            strategy,
            replicate,
            values,
        });
    }
    check_unique_replicates(&csv, &rows)?;
    Ok((strategies, Runs::new(metrics.collect(), rows)))
}

fn check_unique_replicates(csv: &CsvFile, rows: &[RunRow]) -> Result<(), ReportError> {
    let mut seen = std::collections::BTreeSet::new();
    for (row, run) in csv.rows().iter().zip(rows) {
        if !seen.insert((run.strategy, run.replicate)) {
            return Err(csv.malformed(row, "the same strategy and replicate appear twice"));
        }
    }
    Ok(())
}

fn read_summary(path: &Path) -> Result<BTreeMap<(String, String), Stat>, ReportError> {
    let csv = CsvFile::read(path)?;
    let (mean, p05, p50) = (csv.column("mean")?, csv.column("p05")?, csv.column("p50")?);
    let (p95, lo, hi) = (
        csv.column("p95")?,
        csv.column("ci95_low")?,
        csv.column("ci95_high")?,
    );
    let (s_col, m_col) = (csv.column("strategy")?, csv.column("metric")?);
    let mut out = BTreeMap::new();
    for row in csv.rows() {
        let key = (csv.text(row, s_col)?, csv.text(row, m_col)?);
        let stat = Stat {
            mean: csv.number(row, mean)?,
            p05: csv.number(row, p05)?,
            p50: csv.number(row, p50)?,
            p95: csv.number(row, p95)?,
            ci_low: csv.number(row, lo)?,
            ci_high: csv.number(row, hi)?,
        };
        out.insert(key, stat);
    }
    Ok(out)
}

type SeriesMap = BTreeMap<(String, String), Vec<SeriesPoint>>;

fn read_series(path: &Path) -> Result<SeriesMap, ReportError> {
    let csv = CsvFile::read(path)?;
    let (s_col, m_col, w_col) = (
        csv.column("strategy")?,
        csv.column("metric")?,
        csv.column("week")?,
    );
    let (mean, p05, p50, p95) = (
        csv.column("mean")?,
        csv.column("p05")?,
        csv.column("p50")?,
        csv.column("p95")?,
    );
    let mut out: SeriesMap = BTreeMap::new();
    for row in csv.rows() {
        let key = (csv.text(row, s_col)?, csv.text(row, m_col)?);
        let point = SeriesPoint {
            week: csv.integer(row, w_col)? as f64,
            mean: csv.number(row, mean)?,
            p05: csv.number(row, p05)?,
            p50: csv.number(row, p50)?,
            p95: csv.number(row, p95)?,
        };
        out.entry(key).or_default().push(point);
    }
    for points in out.values_mut() {
        points.sort_by(|a, b| a.week.total_cmp(&b.week));
    }
    Ok(out)
}

fn read_manifest(path: &Path) -> Result<Manifest, ReportError> {
    let bytes = read_bytes(path)?;
    serde_json::from_slice(&bytes).map_err(|e| invalid(path, &format!("invalid manifest: {e}")))
}

fn read_scenario(path: &Path) -> Result<toml::Table, ReportError> {
    let bytes = read_bytes(path)?;
    let text = String::from_utf8(bytes).map_err(|_| invalid(path, "is not UTF-8 text"))?;
    text.parse::<toml::Table>()
        .map_err(|e| invalid(path, &format!("invalid TOML: {e}")))
}
