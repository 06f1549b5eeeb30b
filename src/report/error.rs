//! The report's typed error: every variant names the file (or chart) and what was wrong, so
//! the CLI can print one clear line instead of a panic.

use std::path::PathBuf;

/// Why rendering the charts or the briefing failed.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// An input file the report needs is not in the output folder.
    #[error("missing input file {path}: is this a cohabit run's output folder?")]
    Missing {
        /// The file that was looked for.
        path: PathBuf,
    },
    /// An input file exists but could not be read.
    #[error("cannot read {path}: {source}")]
    Read {
        /// The file that failed.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
    /// A row of an input file is malformed (bad number, wrong field count, unknown value).
    #[error("{path}, line {line}: {message}")]
    Malformed {
        /// The file holding the row.
        path: PathBuf,
        /// The 1-based line of the row.
        line: u64,
        /// What was wrong with it.
        message: String,
    },
    /// An input file is wrong as a whole (missing column, no rows, bad JSON or TOML).
    #[error("{path}: {message}")]
    Invalid {
        /// The file that is wrong.
        path: PathBuf,
        /// What was wrong with it.
        message: String,
    },
    /// `--baseline` names no strategy of the run.
    #[error(
        "--baseline {name}: the run has no strategy of that name; choose one of: {}",
        strategies.join(", ")
    )]
    UnknownBaseline {
        /// The name given.
        name: String,
        /// The run's strategies, in run order.
        strategies: Vec<String>,
    },
    /// A chart could not be drawn (a plotting back-end error; not expected on valid input).
    #[error("cannot draw chart {chart}: {message}")]
    Draw {
        /// File stem of the chart.
        chart: String,
        /// The back-end's message.
        message: String,
    },
    /// An output file could not be written (the earlier file, if any, is left untouched).
    #[error("cannot write {path}: {source}")]
    Write {
        /// The file that could not be written.
        path: PathBuf,
        /// The underlying I/O error.
        source: std::io::Error,
    },
}
