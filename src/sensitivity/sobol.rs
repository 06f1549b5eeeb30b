//! Variance-based (Sobol) sensitivity indices: the Saltelli sampling plan, the Jansen
//! estimators and percentile bootstrap confidence intervals.
//!
//! Two independent `N x k` matrices `A` and `B` are drawn from an Owen-scrambled Sobol
//! low-discrepancy sequence (the `sobol_burley` crate: dimensions `0..k` give `A`, dimensions
//! `k..2k` give `B`). For each factor `i`, `A_B^i` is `A` with column `i` taken from `B`
//! (Saltelli 2002; Saltelli et al. 2010). With `V` the variance of all `2N` outputs
//! `f(A)` and `f(B)`, the Jansen (1999) estimators recommended by Saltelli et al. (2010,
//! Table 2) are:
//!
//! ```text
//! first order  S_i  = (V - 1/(2N) * sum_j (f(B)_j - f(A_B^i)_j)^2) / V
//! total        ST_i =      1/(2N) * sum_j (f(A)_j - f(A_B^i)_j)^2  / V
//! ```
//!
//! `f(B)` and `f(A_B^i)` share only `x_i`, so their half mean squared difference is the
//! variance *not* explained by `x_i` alone; `f(A)` and `f(A_B^i)` differ only in `x_i`, so
//! theirs is the variance `x_i` takes part in, interactions included.

use rand::RngExt;

use super::{SensitivityError, check_outputs, check_ranges, named_rng, to_real};

/// Largest base sample `N`: the length of the `sobol_burley` sequence (2^16).
pub const MAX_BASE_SAMPLES: usize = 1 << 16;

/// Largest number of factors: `A` and `B` use `2k` of the sequence's 256 dimensions.
pub const MAX_FACTORS: usize = sobol_burley::NUM_DIMENSIONS as usize / 2;

/// Sobol indices of one factor with 95% percentile-bootstrap confidence bounds (shares of
/// the output variance, normally 0-1; estimates may stray slightly outside with small `N`
/// or noisy outputs, and are left unclamped so that this stays visible).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SobolIndex {
    /// First-order index `S_i`: share of variance due to the factor alone.
    pub first: f64,
    /// 2.5th bootstrap percentile of `S_i`.
    pub first_low: f64,
    /// 97.5th bootstrap percentile of `S_i`.
    pub first_high: f64,
    /// Total index `ST_i`: share of variance the factor takes part in, interactions included.
    pub total: f64,
    /// 2.5th bootstrap percentile of `ST_i`.
    pub total_low: f64,
    /// 97.5th bootstrap percentile of `ST_i`.
    pub total_high: f64,
}

/// Draws a Saltelli design of `n` base samples over `ranges` (real units).
///
/// Returns `n * (k + 2)` rows in this order: the `n` rows of `A`, the `n` rows of `B`, then
/// for each factor `i = 1..k` the `n` rows of `A_B^i`. Row `j` of every block belongs to base
/// sample `j`. Powers of two keep the Sobol sequence balanced. `seed` picks the Owen
/// scrambling (a randomised quasi-Monte Carlo design): deterministic in `seed`.
///
/// Errors: no ranges or a bad range; `n = 0` or `n > 2^16`; more than 128 factors.
pub fn saltelli_sample(
    ranges: &[(f64, f64)],
    n: usize,
    seed: u64,
) -> Result<Vec<Vec<f64>>, SensitivityError> {
    check_ranges(ranges)?;
    check_sizes(ranges.len(), n)?;
    let k = ranges.len();
    let scramble: u32 = named_rng(seed, "saltelli").random();
    // Both bounds were checked above, so these casts cannot truncate.
    let unit =
        |j: usize, dim: usize| f64::from(sobol_burley::sample(j as u32, dim as u32, scramble));
    let a: Vec<Vec<f64>> = (0..n)
        .map(|j| (0..k).map(|d| to_real(ranges[d], unit(j, d))).collect())
        .collect();
    let b: Vec<Vec<f64>> = (0..n)
        .map(|j| (0..k).map(|d| to_real(ranges[d], unit(j, k + d))).collect())
        .collect();
    let mut rows = Vec::with_capacity(n * (k + 2));
    rows.extend(a.iter().cloned());
    rows.extend(b.iter().cloned());
    for i in 0..k {
        rows.extend(a.iter().zip(&b).map(|(ra, rb)| {
            let mut row = ra.clone();
            row[i] = rb[i];
            row
        }));
    }
    Ok(rows)
}

/// Estimates first-order and total Sobol indices of `k` factors from the outputs of a
/// [`saltelli_sample`] design with `n` base samples (`outputs` in the same row order).
///
/// Confidence bounds: `bootstrap` times, the `n` base samples are resampled with replacement
/// (a row keeps its `A`, `B` and `A_B^i` outputs together, seeded by `seed`) and the indices
/// recomputed; the bounds are the 2.5th and 97.5th percentiles (linear interpolation). With
/// `bootstrap = 0` the bounds equal the estimate. With quasi-random points the bootstrap,
/// which assumes independent rows, tends to give conservative (wide) intervals.
///
/// A constant output (`V = 0`: every `f(A)` and `f(B)` equal) has no variance to share out:
/// all indices and bounds are then 0, never NaN.
pub fn sobol_indices(
    k: usize,
    n: usize,
    outputs: &[f64],
    bootstrap: usize,
    seed: u64,
) -> Result<Vec<SobolIndex>, SensitivityError> {
    if k == 0 {
        return Err(SensitivityError::NoFactors);
    }
    check_sizes(k, n)?;
    if outputs.len() != n * (k + 2) {
        return Err(SensitivityError::WrongCount {
            what: "outputs",
            expected: n * (k + 2),
            got: outputs.len(),
        });
    }
    check_outputs(outputs)?;
    let all: Vec<usize> = (0..n).collect();
    let point = estimate(k, n, outputs, &all);
    let mut rng = named_rng(seed, "bootstrap");
    let mut draws: Vec<Vec<(f64, f64)>> = vec![Vec::with_capacity(bootstrap); k];
    let mut rows = vec![0usize; n];
    for _ in 0..bootstrap {
        for row in rows.iter_mut() {
            *row = rng.random_range(0..n as u64) as usize;
        }
        for (i, est) in estimate(k, n, outputs, &rows).into_iter().enumerate() {
            draws[i].push(est);
        }
    }
    Ok(point
        .iter()
        .zip(&draws)
        .map(|(&(first, total), d)| {
            let (first_low, first_high) = bounds(d.iter().map(|e| e.0).collect(), first);
            let (total_low, total_high) = bounds(d.iter().map(|e| e.1).collect(), total);
            SobolIndex {
                first,
                first_low,
                first_high,
                total,
                total_low,
                total_high,
            }
        })
        .collect())
}

/// Jansen estimates `(S_i, ST_i)` for each factor over the base samples `rows` (which may
/// repeat). Sums run sequentially in row order so results do not depend on threads.
fn estimate(k: usize, n: usize, y: &[f64], rows: &[usize]) -> Vec<(f64, f64)> {
    let (fa, fb) = (&y[..n], &y[n..2 * n]);
    let m = rows.len() as f64;
    let first_value = fa[rows[0]];
    let constant = rows
        .iter()
        .all(|&j| fa[j] == first_value && fb[j] == first_value);
    if constant {
        // Checked exactly: a computed variance of equal values can be a tiny positive
        // rounding residue, which would make every ratio below meaningless.
        return vec![(0.0, 0.0); k];
    }
    let mean = rows.iter().map(|&j| fa[j] + fb[j]).sum::<f64>() / (2.0 * m);
    let var = rows
        .iter()
        .map(|&j| (fa[j] - mean).powi(2) + (fb[j] - mean).powi(2))
        .sum::<f64>()
        / (2.0 * m);
    (0..k)
        .map(|i| {
            let fab = &y[(2 + i) * n..(3 + i) * n];
            let (mut not_i, mut with_i) = (0.0, 0.0);
            for &j in rows {
                not_i += (fb[j] - fab[j]).powi(2);
                with_i += (fa[j] - fab[j]).powi(2);
            }
            let first = (var - not_i / (2.0 * m)) / var;
            let total = with_i / (2.0 * m) / var;
            (first, total)
        })
        .collect()
}

/// 2.5th and 97.5th percentiles of the bootstrap draws; the estimate itself without draws.
fn bounds(mut draws: Vec<f64>, estimate: f64) -> (f64, f64) {
    if draws.is_empty() {
        return (estimate, estimate);
    }
    draws.sort_by(f64::total_cmp);
    (percentile(&draws, 0.025), percentile(&draws, 0.975))
}

/// Percentile of sorted values with linear interpolation between ranks (NumPy's default).
fn percentile(sorted: &[f64], q: f64) -> f64 {
    let pos = q * (sorted.len() - 1) as f64;
    let lo = pos.floor() as usize;
    let hi = pos.ceil() as usize;
    sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo as f64)
}

fn check_sizes(k: usize, n: usize) -> Result<(), SensitivityError> {
    if k > MAX_FACTORS {
        return Err(SensitivityError::TooMany {
            what: "Sobol factors",
            max: MAX_FACTORS,
            got: k,
        });
    }
    if n == 0 {
        return Err(SensitivityError::TooFew {
            what: "Sobol base samples",
            min: 1,
            got: 0,
        });
    }
    if n > MAX_BASE_SAMPLES {
        return Err(SensitivityError::TooMany {
            what: "Sobol base samples",
            max: MAX_BASE_SAMPLES,
            got: n,
        });
    }
    Ok(())
}

#[cfg(test)]
mod tests;
