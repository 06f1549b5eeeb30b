//! Experimental designs for parameter sweeps: which scenario parameters vary, over what, and
//! the list of points to run.
//!
//! A design file (TOML) names scenario keys (dotted paths such as
//! `economy.price_volatility`) with ranges or lists of values, and a method:
//!
//! ```toml
//! method = "factorial"   # factorial | latin_hypercube | table | morris | sobol
//! points = 50            # latin_hypercube: number of points
//! seed = 7               # sampling seed (latin_hypercube, morris, sobol); default 1
//! table = "points.csv"   # table: CSV beside the design file; header = keys, one row a point
//! trajectories = 20      # morris: number of trajectories r (r * (k + 1) points)
//! levels = 4             # morris: grid levels p, even (default 4)
//! samples = 256          # sobol: base samples N (N * (k + 2) points), at most 2^16
//! bootstrap = 1000       # sobol: bootstrap resamples for confidence intervals (default 1000)
//!
//! [factors."economy.price_volatility"]
//! range = [0.05, 0.40]   # continuous [low, high]
//! levels = 3             # factorial only: evenly spaced levels, both ends included (default 3)
//!
//! [factors."miners.initial"]
//! range = [1000, 6000]
//! integer = true         # round values to whole numbers (bounds must be whole)
//!
//! [factors."strategies.coexistence.engagement.channel"]
//! values = ["direct", "chief", "government"]   # strings, numbers or booleans
//! ```
//!
//! This module owns reading and checking that file ([`Design::from_file`]), expanding it into
//! [`DesignPoint`]s ([`Design::points`]), each of which the runner turns into `--set key=value`
//! overrides, and handing model outputs of a `morris` or `sobol` design to
//! [`crate::sensitivity`] ([`Design::analyse`]). Points depend only on the file (and the CSV
//! it names): same file, same points, on any machine.

mod generate;
mod locate;
mod parse;
mod table;
#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;

use sha2::{Digest, Sha256};
use thiserror::Error;

use crate::sensitivity::{MorrisIndex, SensitivityError, SobolIndex};

/// Largest design file read.
const MAX_DESIGN_BYTES: u64 = 16 << 20;

/// A checked experimental design.
#[derive(Debug, Clone, PartialEq)]
pub struct Design {
    /// How points are generated.
    pub method: Method,
    /// The varied scenario keys, in file order (for a table without `[factors]`: CSV order).
    pub factors: Vec<Factor>,
    /// Seed of every random draw of the design (default 1).
    pub seed: u64,
}

/// How a design generates its points.
#[derive(Debug, Clone, PartialEq)]
pub enum Method {
    /// Every combination of factor levels; the last factor varies fastest.
    Factorial,
    /// Latin hypercube: each factor's range cut into `points` equal strata, each used once.
    LatinHypercube {
        /// Number of points (at least 1).
        points: usize,
    },
    /// Points listed in a CSV table, one row each, in file order.
    Table {
        /// Values per row, in the order of [`Design::factors`].
        rows: Vec<Vec<FactorValue>>,
    },
    /// Morris elementary-effects screening (see [`crate::sensitivity::morris`]).
    Morris {
        /// Number of trajectories `r`.
        trajectories: usize,
        /// Grid levels `p` (even).
        levels: usize,
    },
    /// Sobol indices from a Saltelli design (see [`crate::sensitivity::sobol`]).
    Sobol {
        /// Base samples `N`.
        samples: usize,
        /// Bootstrap resamples for the confidence intervals.
        bootstrap: usize,
    },
}

impl Method {
    /// The name used for the method in design files.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Factorial => "factorial",
            Method::LatinHypercube { .. } => "latin_hypercube",
            Method::Table { .. } => "table",
            Method::Morris { .. } => "morris",
            Method::Sobol { .. } => "sobol",
        }
    }
}

/// One varied scenario key.
#[derive(Debug, Clone, PartialEq)]
pub struct Factor {
    /// Dotted scenario key, e.g. `economy.price_volatility`.
    pub key: String,
    /// What values the key takes.
    pub spec: FactorSpec,
}

/// The values a factor takes.
#[derive(Debug, Clone, PartialEq)]
pub enum FactorSpec {
    /// A continuous range in the key's own units.
    Range {
        /// Lower bound (included).
        low: f64,
        /// Upper bound (included), above `low`.
        high: f64,
        /// Factorial levels, evenly spaced with both ends included (at least 2; default 3).
        levels: usize,
        /// Whether values are rounded to whole numbers.
        integer: bool,
    },
    /// An explicit list of values, in file order.
    Values(Vec<FactorValue>),
}

/// One value of a factor, as it would be written in a scenario file.
#[derive(Debug, Clone, PartialEq)]
pub enum FactorValue {
    /// A floating-point number.
    Number(f64),
    /// A whole number.
    Integer(i64),
    /// A string.
    Text(String),
    /// A boolean.
    Bool(bool),
}

impl FactorValue {
    /// The TOML literal of the value, as a `--set key=value` override takes it: strings quoted
    /// and escaped, floats with round-trip precision and always a decimal point or exponent
    /// (`0.25`, `3000.0`), integers as written (`3000`), booleans bare (`true`).
    pub fn to_toml(&self) -> String {
        let value = match self {
            FactorValue::Number(x) => toml::Value::Float(*x),
            FactorValue::Integer(i) => toml::Value::Integer(*i),
            FactorValue::Text(s) => toml::Value::String(s.clone()),
            FactorValue::Bool(b) => toml::Value::Boolean(*b),
        };
        value.to_string()
    }

    /// The value as a number, if it is one.
    pub fn as_f64(&self) -> Option<f64> {
        match self {
            FactorValue::Number(x) => Some(*x),
            FactorValue::Integer(i) => Some(*i as f64),
            FactorValue::Text(_) | FactorValue::Bool(_) => None,
        }
    }
}

impl fmt::Display for FactorValue {
    /// Same text as [`FactorValue::to_toml`].
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.to_toml())
    }
}

/// One point of a design: a value for every factor.
#[derive(Debug, Clone, PartialEq)]
pub struct DesignPoint {
    /// Position in the design (0-based); also the row of its output for [`Design::analyse`].
    pub id: usize,
    /// `(key, value)` in the order of [`Design::factors`].
    pub values: Vec<(String, FactorValue)>,
}

impl DesignPoint {
    /// The point as `key=value` overrides, e.g. `economy.price_volatility=0.25`.
    pub fn overrides(&self) -> Vec<String> {
        self.values
            .iter()
            .map(|(key, value)| format!("{key}={}", value.to_toml()))
            .collect()
    }
}

/// Sensitivity indices of one output, one entry per factor in design order.
#[derive(Debug, Clone, PartialEq)]
pub enum Analysis {
    /// From a `morris` design.
    Morris(Vec<MorrisIndex>),
    /// From a `sobol` design.
    Sobol(Vec<SobolIndex>),
}

/// Why a design could not be read, expanded or analysed.
#[derive(Debug, Error)]
pub enum DesignError {
    /// The design file could not be read.
    #[error("cannot read design file {path}: {source}")]
    Read {
        /// The path as given.
        path: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// The design file, or the CSV table it names, is invalid.
    #[error("{file}:{line}: {}{problem}", key_prefix(key))]
    Invalid {
        /// The file at fault (design file or CSV table).
        file: String,
        /// 1-based line of the fault.
        line: usize,
        /// Dotted path of the key or CSV column at fault (empty if none applies).
        key: String,
        /// What is wrong and what was expected.
        problem: Problem,
    },
    /// A factor is a list where a continuous range is needed.
    #[error("factor `{key}`: method \"{method}\" needs a continuous range, not a list")]
    NotContinuous {
        /// The factor.
        key: String,
        /// The method that needs ranges.
        method: &'static str,
    },
    /// Sensitivity indices were asked of a method that has none.
    #[error("method \"{0}\" has no sensitivity analysis; use morris or sobol")]
    NoAnalysis(&'static str),
    /// The sensitivity sampler or estimator refused its arguments.
    #[error(transparent)]
    Sensitivity(#[from] SensitivityError),
}

fn key_prefix(key: &str) -> String {
    if key.is_empty() {
        String::new()
    } else {
        format!("`{key}`: ")
    }
}

/// What is wrong in a design file or table, and what was expected.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum Problem {
    /// TOML syntax or type error, in the TOML parser's words.
    #[error("{0}")]
    Toml(String),
    /// The method is not one of the known names.
    #[error(
        "unknown method \"{0}\"; expected one of factorial, latin_hypercube, table, morris, sobol"
    )]
    UnknownMethod(String),
    /// A key the method needs is absent.
    #[error("method \"{method}\" needs `{key}`")]
    Missing {
        /// The method.
        method: &'static str,
        /// The absent key.
        key: &'static str,
    },
    /// A key is present that the method does not use.
    #[error("not used by method \"{0}\"; remove it")]
    NotForMethod(&'static str),
    /// A count is below its minimum.
    #[error("expected at least {min}, got {got}")]
    TooSmall {
        /// Smallest accepted value.
        min: usize,
        /// Value given.
        got: usize,
    },
    /// A count is above what is supported.
    #[error("expected at most {max}, got {got}")]
    TooLarge {
        /// Largest accepted value.
        max: usize,
        /// Value given (saturated at `usize::MAX`).
        got: usize,
    },
    /// The design expands to more points than supported.
    #[error("the design expands to {got} points; expected at most {max}")]
    TooManyPoints {
        /// Largest accepted number of points.
        max: usize,
        /// Number of points (saturated at `usize::MAX`).
        got: usize,
    },
    /// Morris grid levels must be even.
    #[error("expected an even number of levels, got {0}")]
    OddLevels(usize),
    /// The design has no factors.
    #[error("expected at least one factor, e.g. [factors.\"economy.price_volatility\"]")]
    NoFactors,
    /// A factor key is not a dotted scenario key.
    #[error("expected a dotted scenario key of letters, digits, `_` and `-`")]
    BadKey,
    /// A factor has both or neither of `range` and `values`.
    #[error("expected exactly one of `range` or `values`")]
    RangeOrValues,
    /// A range is not finite and increasing.
    #[error("expected [low, high] with finite low < high, got [{0}, {1}]")]
    BadRange(f64, f64),
    /// An integer range has fractional bounds.
    #[error("expected whole-number bounds for an integer factor, got [{0}, {1}]")]
    FractionalBounds(f64, f64),
    /// Integer rounding makes factorial levels repeat.
    #[error("{0} integer levels repeat values after rounding; expected fewer levels")]
    RepeatedLevels(usize),
    /// `levels` or `integer` on a list factor.
    #[error("applies only to a `range` factor")]
    OnlyForRange,
    /// An empty list of values.
    #[error("expected a non-empty list of values")]
    EmptyList,
    /// A list value that is not a string, number or boolean.
    #[error("expected a string, number or boolean, got {0}")]
    BadValue(String),
    /// A list mixes kinds of values.
    #[error("expected values of one kind, got {0} after {1}")]
    MixedValues(&'static str, &'static str),
    /// A list repeats a value.
    #[error("value {0} appears more than once")]
    RepeatedValue(String),
    /// A `morris` or `sobol` design has a list factor.
    #[error("method \"{0}\" needs a continuous `range`, not `values`")]
    NeedsRange(&'static str),
    /// The CSV table could not be read.
    #[error("cannot read table: {0}")]
    TableRead(String),
    /// The table's path leads outside the design file's folder.
    #[error(
        "expected a CSV file beside the design file or in a folder below it (a relative path without '..'), got \"{0}\""
    )]
    TablePath(String),
    /// The CSV table has no header or no rows.
    #[error("expected a header line and at least one row")]
    EmptyTable,
    /// A header name is empty or repeated.
    #[error("expected distinct, non-empty column names, got {0:?}")]
    BadColumn(String),
    /// The header does not name the declared factors.
    #[error("expected columns naming exactly the declared factors: {0}")]
    ColumnsDiffer(String),
    /// A row has the wrong number of cells.
    #[error("expected {expected} cells, got {got}")]
    RowWidth {
        /// Number of columns in the header.
        expected: usize,
        /// Number of cells in the row.
        got: usize,
    },
    /// A cell cannot be read as the factor's value.
    #[error("cannot read cell {cell:?}: expected {expected}")]
    BadCell {
        /// The cell as written.
        cell: String,
        /// What the column takes.
        expected: String,
    },
}

impl Design {
    /// Reads and checks a design file; a `table` CSV is read relative to the file's folder.
    pub fn from_file(path: &Path) -> Result<Design, DesignError> {
        let read = |source| DesignError::Read {
            path: path.display().to_string(),
            source,
        };
        let size = std::fs::metadata(path).map_err(read)?.len();
        if size > MAX_DESIGN_BYTES {
            let why = format!(
                "it has {size} bytes; a design file is expected to be under {MAX_DESIGN_BYTES}"
            );
            return Err(read(std::io::Error::other(why)));
        }
        let text = std::fs::read_to_string(path).map_err(read)?;
        let base_dir = path.parent().unwrap_or(Path::new(""));
        Design::from_str(&text, &path.display().to_string(), base_dir)
    }

    /// Checks the text of a design file. `origin` names the file in error messages;
    /// `base_dir` is where a `table` CSV path is resolved.
    pub fn from_str(text: &str, origin: &str, base_dir: &Path) -> Result<Design, DesignError> {
        parse::parse(text, origin, base_dir)
    }

    /// The continuous ranges of the factors, in order, for the sensitivity samplers.
    ///
    /// Errors if a factor is a list of values.
    pub fn ranges(&self) -> Result<Vec<(f64, f64)>, DesignError> {
        self.factors
            .iter()
            .map(|f| match f.spec {
                FactorSpec::Range { low, high, .. } => Ok((low, high)),
                FactorSpec::Values(_) => Err(DesignError::NotContinuous {
                    key: f.key.clone(),
                    method: self.method.name(),
                }),
            })
            .collect()
    }

    /// A canonical text of everything that determines the points: method and its settings,
    /// seed, factors in order, and for a table every row. Two designs with the same text
    /// give the same points; hash it (see [`Design::fingerprint`]) to tell experiments apart.
    pub fn canonical_text(&self) -> String {
        let mut out = format!("method = {}\nseed = {}\n", self.method.name(), self.seed);
        match &self.method {
            Method::Factorial | Method::Table { .. } => {}
            Method::LatinHypercube { points } => out += &format!("points = {points}\n"),
            Method::Morris {
                trajectories,
                levels,
            } => out += &format!("trajectories = {trajectories}\nlevels = {levels}\n"),
            Method::Sobol { samples, bootstrap } => {
                out += &format!("samples = {samples}\nbootstrap = {bootstrap}\n")
            }
        }
        for f in &self.factors {
            let key = toml::Value::String(f.key.clone());
            out += &match &f.spec {
                FactorSpec::Range {
                    low,
                    high,
                    levels,
                    integer,
                } => format!(
                    "factor {key} range = [{}, {}] levels = {levels} integer = {integer}\n",
                    FactorValue::Number(*low),
                    FactorValue::Number(*high)
                ),
                FactorSpec::Values(values) => format!("factor {key} values = {}\n", join(values)),
            };
        }
        if let Method::Table { rows } = &self.method {
            for row in rows {
                out += &format!("row {}\n", join(row));
            }
        }
        out
    }

    /// SHA-256 of [`Design::canonical_text`], as 64 lowercase hex digits.
    pub fn fingerprint(&self) -> String {
        let digest = Sha256::digest(self.canonical_text().as_bytes());
        digest.iter().map(|b| format!("{b:02x}")).collect()
    }
}

/// Values as a TOML array literal.
fn join(values: &[FactorValue]) -> String {
    let items: Vec<String> = values.iter().map(FactorValue::to_toml).collect();
    format!("[{}]", items.join(", "))
}
