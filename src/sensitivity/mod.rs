//! Global sensitivity analysis: which scenario parameters move a model output, and how.
//!
//! This module owns the sampling plans and the estimators of two methods, both working on
//! factors given as continuous ranges `(low, high)` in real units:
//!
//! - [`morris`]: elementary effects (Morris 1991) with the mean of absolute effects `mu*`
//!   (Campolongo, Cariboni & Saltelli 2007). Cheap screening: `r * (k + 1)` model runs.
//! - [`sobol`]: first-order and total Sobol indices from a Saltelli design (Saltelli 2002;
//!   Saltelli et al. 2010) with the Jansen (1999) estimators and percentile bootstrap
//!   confidence intervals. `N * (k + 2)` model runs.
//!
//! Everything here is a pure function of its arguments (including the seed): a sampler
//! returns points, the model runner (elsewhere) evaluates them in order, and the outputs
//! come back to an estimator. Nothing here runs the model, does I/O or prints.

pub mod morris;
pub mod sobol;

pub use morris::{MorrisIndex, morris_indices, morris_sample};
pub use sobol::{SobolIndex, saltelli_sample, sobol_indices};

use rand::SeedableRng;
use rand_pcg::Pcg64;
use sha2::{Digest, Sha256};
use thiserror::Error;

/// What can be wrong with the arguments of a sampler or an estimator.
#[derive(Debug, Clone, PartialEq, Error)]
pub enum SensitivityError {
    /// No factor was given.
    #[error("no factors: sensitivity analysis needs at least one continuous range")]
    NoFactors,
    /// A range is not finite or not strictly increasing.
    #[error("factor {index}: range [{low}, {high}] must be finite with low < high")]
    BadRange {
        /// Position of the factor (0-based).
        index: usize,
        /// Lower bound as given.
        low: f64,
        /// Upper bound as given.
        high: f64,
    },
    /// A count (trajectories, levels, base samples) is below its minimum.
    #[error("{what} must be at least {min}, got {got}")]
    TooFew {
        /// Which count.
        what: &'static str,
        /// Smallest accepted value.
        min: usize,
        /// Value given.
        got: usize,
    },
    /// A count is above what the sampler supports.
    #[error("{what} must be at most {max}, got {got}")]
    TooMany {
        /// Which count.
        what: &'static str,
        /// Largest accepted value.
        max: usize,
        /// Value given.
        got: usize,
    },
    /// Morris levels must be even so that the step `p / (2 (p - 1))` lands on the grid.
    #[error("Morris levels must be even, got {0}")]
    OddLevels(usize),
    /// The number of outputs (or points) does not match the design.
    #[error("expected {expected} {what}, got {got}")]
    WrongCount {
        /// What was counted: "outputs", "points", "coordinates".
        what: &'static str,
        /// Count the design implies.
        expected: usize,
        /// Count given.
        got: usize,
    },
    /// A model output is NaN or infinite.
    #[error("output {index} is not finite ({value})")]
    NonFinite {
        /// Position of the output (0-based).
        index: usize,
        /// The offending value.
        value: f64,
    },
    /// Two consecutive Morris points do not differ in exactly one new factor.
    #[error(
        "Morris trajectory {trajectory}, step {step}: points must differ in exactly one \
         factor not yet moved in the trajectory"
    )]
    NotATrajectory {
        /// Trajectory (0-based).
        trajectory: usize,
        /// Step within the trajectory (1-based: point `step` vs point `step - 1`).
        step: usize,
    },
}

/// Checks that there is at least one range and that each is finite with `low < high`.
pub fn check_ranges(ranges: &[(f64, f64)]) -> Result<(), SensitivityError> {
    if ranges.is_empty() {
        return Err(SensitivityError::NoFactors);
    }
    for (index, &(low, high)) in ranges.iter().enumerate() {
        if !(low.is_finite() && high.is_finite() && low < high) {
            return Err(SensitivityError::BadRange { index, low, high });
        }
    }
    Ok(())
}

/// Checks that every output is finite: one NaN would silently poison every index.
pub(crate) fn check_outputs(outputs: &[f64]) -> Result<(), SensitivityError> {
    match outputs.iter().position(|y| !y.is_finite()) {
        Some(index) => Err(SensitivityError::NonFinite {
            index,
            value: outputs[index],
        }),
        None => Ok(()),
    }
}

/// A seeded RNG for one named purpose, so that adding a draw for one purpose never shifts
/// the numbers drawn for another. The 32-byte PCG seed is SHA-256 of the seed (little-endian)
/// followed by the name: portable and stable across platforms and crate versions.
pub(crate) fn named_rng(seed: u64, name: &str) -> Pcg64 {
    let mut hasher = Sha256::new();
    hasher.update(seed.to_le_bytes());
    hasher.update(name.as_bytes());
    let digest = hasher.finalize();
    let mut bytes = [0u8; 32];
    bytes.copy_from_slice(&digest);
    Pcg64::from_seed(bytes)
}

/// Maps a share of the range (0-1) to real units. Written as a weighted mean rather than
/// `low + u * (high - low)` so that `u = 0` and `u = 1` give exactly `low` and `high`.
pub(crate) fn to_real((low, high): (f64, f64), u: f64) -> f64 {
    low * (1.0 - u) + high * u
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::RngExt;

    #[test]
    fn ranges_are_checked() {
        assert_eq!(check_ranges(&[]), Err(SensitivityError::NoFactors));
        assert_eq!(
            check_ranges(&[(0.0, 1.0), (2.0, 2.0)]),
            Err(SensitivityError::BadRange {
                index: 1,
                low: 2.0,
                high: 2.0
            })
        );
        assert!(check_ranges(&[(0.0, f64::INFINITY)]).is_err());
        assert!(check_ranges(&[(-1.0, 1.0)]).is_ok());
    }

    #[test]
    fn named_streams_are_stable_and_distinct() {
        let a: u64 = named_rng(7, "lhs").random();
        let b: u64 = named_rng(7, "lhs").random();
        let c: u64 = named_rng(7, "morris").random();
        let d: u64 = named_rng(8, "lhs").random();
        assert_eq!(a, b);
        assert_ne!(a, c);
        assert_ne!(a, d);
    }

    #[test]
    fn to_real_hits_both_ends_exactly() {
        assert_eq!(to_real((0.05, 0.4), 0.0), 0.05);
        assert_eq!(to_real((0.05, 0.4), 1.0), 0.4);
        assert_eq!(to_real((-2.0, 2.0), 0.5), 0.0);
    }
}

#[cfg(test)]
mod pinned {
    //! Values recorded when the samplers were written: a change of RNG, crate version or
    //! draw order must show up here, not as a silent change of every experiment.
    use super::*;

    #[test]
    fn samplers_are_pinned() {
        let ranges = [(0.0, 1.0), (10.0, 20.0)];
        let m = morris_sample(&ranges, 2, 4, 1).unwrap();
        let s = saltelli_sample(&ranges, 4, 1).unwrap();
        assert_eq!(m[0], [1.0, 20.0]);
        assert_eq!(s[0], [0.7576532363891602, 13.61645221710205]);
    }
}
