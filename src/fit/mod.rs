//! Which strategy fits: robustness of every strategy across uncertain contexts (`cohabit
//! fit`), scenario discovery with PRIM, and Pareto fronts of lever sweeps.
pub mod metrics;
pub mod prim;
pub mod regret;
pub mod settings;
pub mod table;

use std::path::PathBuf;

/// Why a fit analysis could not read its inputs or write its outputs.
#[derive(Debug, thiserror::Error)]
pub enum FitError {
    /// A file could not be read (exit code 2: the folder is not a complete fit or sweep).
    #[error("cannot read {path}: {source}")]
    Read {
        path: PathBuf,
        source: std::io::Error,
    },
    /// A file is not what a fit or sweep writes (exit code 2).
    #[error("{path}:{line}: {message}")]
    Malformed {
        path: PathBuf,
        line: u64,
        message: String,
    },
    /// Settings that do not fit the experiment (exit code 2).
    #[error("{0}")]
    Input(String),
    /// An output could not be written (exit code 1).
    #[error("cannot write {path}: {source}")]
    Write {
        path: PathBuf,
        source: std::io::Error,
    },
}
