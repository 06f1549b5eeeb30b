//! Reads a fit (or sweep) folder into [`Contexts`]: per context point, strategy and metric,
//! the mean over the seeds and its 95% confidence interval (summary.csv), and the value of
//! every numeric context factor at each point (design.csv). Everything downstream (regret,
//! PRIM, Pareto fronts, charts, briefing) works on these numbers, never on the simulation.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use super::FitError;

/// One (point, strategy, metric) of summary.csv.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Cell {
    /// Mean over the seeds.
    pub mean: f64,
    /// 95% confidence interval of the mean.
    pub low: f64,
    pub high: f64,
    /// Seeds.
    pub n: u32,
}

/// One numeric context factor: its design key and its value at every point.
#[derive(Debug, Clone, PartialEq)]
pub struct Dimension {
    pub key: String,
    pub values: Vec<f64>,
}

impl Dimension {
    /// (smallest, largest) value over the points.
    pub fn range(&self) -> (f64, f64) {
        let lo = self.values.iter().copied().fold(f64::INFINITY, f64::min);
        let hi = self
            .values
            .iter()
            .copied()
            .fold(f64::NEG_INFINITY, f64::max);
        (lo, hi)
    }
}

/// Every context point's results, for the metrics asked for.
#[derive(Debug, Clone, PartialEq)]
pub struct Contexts {
    /// Strategies in run order.
    pub strategies: Vec<String>,
    /// Metrics read, in the order asked.
    pub metrics: Vec<String>,
    pub points: usize,
    /// cells[(point * strategies + strategy) * metrics + metric].
    cells: Vec<Cell>,
    /// Numeric factors that vary, in design order.
    pub dims: Vec<Dimension>,
    /// Factors left out of scenario discovery (text values, or one value at every point).
    pub skipped: Vec<String>,
}

impl Contexts {
    /// The cell of point `p`, strategy `s`, metric `m` (indices).
    pub fn cell(&self, p: usize, s: usize, m: usize) -> Cell {
        self.cells[(p * self.strategies.len() + s) * self.metrics.len() + m]
    }

    /// Index of `metric` among those read.
    pub fn metric(&self, metric: &str) -> Option<usize> {
        self.metrics.iter().position(|m| m == metric)
    }

    /// Index of strategy `name`.
    pub fn strategy(&self, name: &str) -> Option<usize> {
        self.strategies.iter().position(|s| s == name)
    }

    /// Seeds per point: (fewest, most) over the cells.
    pub fn seeds(&self) -> (u32, u32) {
        let lo = self.cells.iter().map(|c| c.n).min().unwrap_or(0);
        let hi = self.cells.iter().map(|c| c.n).max().unwrap_or(0);
        (lo, hi)
    }

    /// Builds contexts from values already in memory (tests, and other analyses).
    pub fn from_parts(
        strategies: Vec<String>,
        metrics: Vec<String>,
        cells: Vec<Cell>,
        dims: Vec<Dimension>,
    ) -> Contexts {
        let per_point = (strategies.len() * metrics.len()).max(1);
        Contexts {
            points: cells.len() / per_point,
            strategies,
            metrics,
            cells,
            dims,
            skipped: Vec::new(),
        }
    }
}

fn malformed(path: &Path, line: u64, message: impl Into<String>) -> FitError {
    FitError::Malformed {
        path: path.to_path_buf(),
        line,
        message: message.into(),
    }
}

fn read(path: &Path) -> Result<Vec<u8>, FitError> {
    std::fs::read(path).map_err(|source| FitError::Read {
        path: path.to_path_buf(),
        source,
    })
}

const SUMMARY_HEADER: [&str; 11] = [
    "point",
    "strategy",
    "metric",
    "mean",
    "sd",
    "p05",
    "p50",
    "p95",
    "ci95_low",
    "ci95_high",
    "n",
];

/// A CSV reader over a file read into memory.
type Reader = csv::Reader<std::io::Cursor<Vec<u8>>>;

fn summary_reader(dir: &Path) -> Result<(PathBuf, Reader), FitError> {
    let path = dir.join("summary.csv");
    let bytes = read(&path)?;
    let mut reader = csv::Reader::from_reader(std::io::Cursor::new(bytes));
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| malformed(&path, 1, e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    if header != SUMMARY_HEADER {
        return Err(malformed(
            &path,
            1,
            format!(
                "expected the header of a sweep's summary: {}",
                SUMMARY_HEADER.join(",")
            ),
        ));
    }
    Ok((path, reader))
}

/// Reads `metrics` of `strategies` (the experiment's, in run order) at every point of the
/// sweep or fit folder `dir`.
pub fn contexts(
    dir: &Path,
    strategies: &[String],
    metrics: &[String],
) -> Result<Contexts, FitError> {
    let strategies = strategies.to_vec();
    let (dims, skipped, points) = design(dir)?;
    let (s_n, m_n) = (strategies.len(), metrics.len());
    let mut cells = vec![Cell::default(); points * s_n * m_n];
    let mut seen = vec![false; cells.len()];
    let (path, mut reader) = summary_reader(dir)?;
    for record in reader.records() {
        let r = record.map_err(|e| malformed(&path, 0, e.to_string()))?;
        let line = r.position().map_or(0, |p| p.line());
        let Some(m) = metrics.iter().position(|x| x == &r[2]) else {
            continue;
        };
        let p: usize = r[0].parse().ok().filter(|&p| p < points).ok_or_else(|| {
            malformed(
                &path,
                line,
                format!("point `{}` is not a point of design.csv", &r[0]),
            )
        })?;
        let s = strategies.iter().position(|x| x == &r[1]).ok_or_else(|| {
            malformed(
                &path,
                line,
                format!("strategy `{}` is not one of the experiment's", &r[1]),
            )
        })?;
        let num = |col: usize| -> Result<f64, FitError> {
            r[col]
                .parse::<f64>()
                .ok()
                .filter(|v| v.is_finite())
                .ok_or_else(|| {
                    malformed(
                        &path,
                        line,
                        format!(
                            "{}: expected a number, got `{}`",
                            SUMMARY_HEADER[col], &r[col]
                        ),
                    )
                })
        };
        let n: u32 = r[10].parse().map_err(|_| {
            malformed(
                &path,
                line,
                format!("n: expected a whole number, got `{}`", &r[10]),
            )
        })?;
        let at = (p * s_n + s) * m_n + m;
        cells[at] = Cell {
            mean: num(3)?,
            low: num(8)?,
            high: num(9)?,
            n,
        };
        seen[at] = true;
    }
    if let Some(i) = seen.iter().position(|&v| !v) {
        let (p, s, m) = (i / (s_n * m_n), (i / m_n) % s_n, i % m_n);
        return Err(malformed(
            &path,
            0,
            format!(
                "no row for point {p}, strategy {}, metric {}",
                strategies[s], metrics[m]
            ),
        ));
    }
    Ok(Contexts {
        strategies,
        metrics: metrics.to_vec(),
        points,
        cells,
        dims,
        skipped,
    })
}

/// design.csv: numeric factors that vary (booleans as 0/1), factors left out, and points.
fn design(dir: &Path) -> Result<(Vec<Dimension>, Vec<String>, usize), FitError> {
    let path = dir.join("design.csv");
    let bytes = read(&path)?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| malformed(&path, 1, e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    if header.first().map(String::as_str) != Some("point") {
        return Err(malformed(&path, 1, "expected a first column `point`"));
    }
    let keys = &header[1..];
    let mut columns: Vec<Option<Vec<f64>>> = vec![Some(Vec::new()); keys.len()];
    let mut points = 0;
    for record in reader.records() {
        let r = record.map_err(|e| malformed(&path, 0, e.to_string()))?;
        let line = r.position().map_or(0, |p| p.line());
        if r[0].parse::<usize>() != Ok(points) {
            return Err(malformed(
                &path,
                line,
                format!("expected point {points}, got `{}`", &r[0]),
            ));
        }
        for (c, column) in columns.iter_mut().enumerate() {
            let value = match &r[c + 1] {
                "true" => Some(1.0),
                "false" => Some(0.0),
                text => text.parse::<f64>().ok().filter(|v| v.is_finite()),
            };
            match (column.as_mut(), value) {
                (Some(values), Some(v)) => values.push(v),
                _ => *column = None,
            }
        }
        points += 1;
    }
    let mut dims = Vec::new();
    let mut skipped = Vec::new();
    for (key, column) in keys.iter().zip(columns) {
        let dim = column.map(|values| Dimension {
            key: key.clone(),
            values,
        });
        match dim {
            Some(d) if d.range().0 < d.range().1 => dims.push(d),
            _ => skipped.push(key.clone()),
        }
    }
    Ok((dims, skipped, points))
}

/// Every factor's value at every point as written in design.csv.
pub struct DesignText {
    /// Factor keys, in design order.
    pub keys: Vec<String>,
    /// Per point: factor key -> value.
    pub rows: Vec<BTreeMap<String, String>>,
}

/// design.csv as text, for tables such as pareto.csv that show settings rather than numbers.
pub fn design_text(dir: &Path) -> Result<DesignText, FitError> {
    let path = dir.join("design.csv");
    let bytes = read(&path)?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| malformed(&path, 1, e.to_string()))?
        .iter()
        .map(str::to_string)
        .collect();
    let keys: Vec<String> = header.iter().skip(1).cloned().collect();
    let mut rows = Vec::new();
    for record in reader.records() {
        let r = record.map_err(|e| malformed(&path, 0, e.to_string()))?;
        rows.push(
            keys.iter()
                .cloned()
                .zip(r.iter().skip(1).map(str::to_string))
                .collect(),
        );
    }
    Ok(DesignText { keys, rows })
}
