//! Small, deterministic statistics for the report: means, quantiles and a seeded paired
//! bootstrap over replicates (strategies share each replicate's random world, so
//! per-replicate differences are paired).

use rand::{RngExt, SeedableRng};
use rand_pcg::Pcg64;

use super::data::Stat;

/// Bootstrap resamples per interval: enough for stable 95% percentile limits.
const RESAMPLES: usize = 2000;

/// An estimate with a 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Interval {
    /// Point estimate on the full sample.
    pub estimate: f64,
    /// Lower end of the 95% interval.
    pub low: f64,
    /// Upper end of the 95% interval.
    pub high: f64,
}

/// Arithmetic mean (0 for an empty slice).
pub(crate) fn mean(values: &[f64]) -> f64 {
    if values.is_empty() {
        return 0.0;
    }
    values.iter().sum::<f64>() / values.len() as f64
}

/// Quantile `q` (0-1) by linear interpolation between order statistics (Hyndman-Fan type 7).
pub(crate) fn quantile(values: &[f64], q: f64) -> f64 {
    let mut sorted = values.to_vec();
    sorted.sort_by(f64::total_cmp);
    quantile_sorted(&sorted, q)
}

fn quantile_sorted(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0],
        n => {
            let pos = q.clamp(0.0, 1.0) * (n - 1) as f64;
            let (lo, frac) = (pos.floor() as usize, pos - pos.floor());
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + frac * (sorted[hi] - sorted[lo])
        }
    }
}

/// Mean, percentiles and a normal-approximation 95% CI of the mean, computed from runs.
pub(crate) fn describe(values: &[f64]) -> Option<Stat> {
    if values.is_empty() {
        return None;
    }
    let m = mean(values);
    let n = values.len() as f64;
    let var = values.iter().map(|v| (v - m).powi(2)).sum::<f64>() / (n - 1.0).max(1.0);
    let half = 1.96 * (var / n).sqrt();
    Some(Stat {
        mean: m,
        p05: quantile(values, 0.05),
        p50: quantile(values, 0.5),
        p95: quantile(values, 0.95),
        ci_low: m - half,
        ci_high: m + half,
    })
}

/// A stable 64-bit seed from text (FNV-1a), so each comparison has its own fixed stream.
pub(crate) fn stable_seed(parts: &[&str]) -> u64 {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in parts.join("\u{1f}").bytes() {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
    }
    hash
}

/// Paired bootstrap of `stat(reference, other)`: replicates are resampled together.
///
/// Returns `None` when the samples are empty or of different lengths, or when the statistic
/// is undefined on the full sample. Resamples where it is undefined are skipped.
pub(crate) fn paired_bootstrap(
    reference: &[f64],
    other: &[f64],
    seed: u64,
    stat: impl Fn(&[f64], &[f64]) -> Option<f64>,
) -> Option<Interval> {
    let n = reference.len();
    if n == 0 || n != other.len() {
        return None;
    }
    let estimate = stat(reference, other)?;
    let mut rng = Pcg64::seed_from_u64(seed);
    let (mut a, mut b) = (vec![0.0; n], vec![0.0; n]);
    let mut draws = Vec::with_capacity(RESAMPLES);
    for _ in 0..RESAMPLES {
        for k in 0..n {
            let i = rng.random_range(0..n);
            (a[k], b[k]) = (reference[i], other[i]);
        }
        draws.extend(stat(&a, &b).filter(|v| v.is_finite()));
    }
    if draws.is_empty() {
        return None;
    }
    draws.sort_by(f64::total_cmp);
    Some(Interval {
        estimate,
        low: quantile_sorted(&draws, 0.025),
        high: quantile_sorted(&draws, 0.975),
    })
}

/// Ratio of means `mean(other) / mean(reference)`; undefined if the reference mean is 0.
pub(crate) fn ratio_of_means(reference: &[f64], other: &[f64]) -> Option<f64> {
    let base = mean(reference);
    (base.abs() > f64::EPSILON).then(|| mean(other) / base)
}

/// Mean paired difference `other - reference`.
pub(crate) fn mean_difference(reference: &[f64], other: &[f64]) -> Option<f64> {
    Some(mean(other) - mean(reference))
}

/// Difference of 95th percentiles `p95(other) - p95(reference)` (tail risk).
pub(crate) fn p95_difference(reference: &[f64], other: &[f64]) -> Option<f64> {
    Some(quantile(other, 0.95) - quantile(reference, 0.95))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_interpolate() {
        let v = [4.0, 1.0, 3.0, 2.0, 5.0];
        assert_eq!(quantile(&v, 0.5), 3.0);
        assert_eq!(quantile(&v, 0.0), 1.0);
        assert_eq!(quantile(&v, 1.0), 5.0);
        assert!((quantile(&v, 0.95) - 4.8).abs() < 1e-12);
    }

    #[test]
    fn bootstrap_is_deterministic_and_brackets_estimate() {
        let a: Vec<f64> = (0..30).map(|i| 10.0 + (i % 7) as f64).collect();
        let b: Vec<f64> = a.iter().map(|v| v * 0.5).collect();
        let one = paired_bootstrap(&a, &b, 7, ratio_of_means).unwrap();
        let two = paired_bootstrap(&a, &b, 7, ratio_of_means).unwrap();
        assert_eq!(one, two);
        assert!((one.estimate - 0.5).abs() < 1e-12);
        assert!(one.low <= one.estimate && one.estimate <= one.high);
    }

    #[test]
    fn ratio_undefined_for_zero_reference() {
        assert_eq!(ratio_of_means(&[0.0, 0.0], &[1.0, 2.0]), None);
        assert_eq!(paired_bootstrap(&[0.0], &[1.0], 1, ratio_of_means), None);
    }
}
