//! Effect sizes with 95% confidence intervals from paired replicates.
//!
//! Arms compared in a check share seeds (common random numbers), so replicate r of one arm
//! is paired with replicate r of the other. Relative effects (ratio of means - 1) get a
//! seeded paired percentile bootstrap; differences get Student's t on the paired
//! differences. Both are deterministic.

use crate::rng::{Rng, RunSeed, Stream};
use crate::stats::{Summary, quantile};
use rand::RngExt;

/// An estimate with its 95% confidence interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Estimate {
    pub value: f64,
    pub low: f64,
    pub high: f64,
}

impl Estimate {
    /// The interval lies entirely above zero.
    pub fn positive(&self) -> bool {
        self.low > 0.0
    }
    /// The interval lies entirely below zero.
    pub fn negative(&self) -> bool {
        self.high < 0.0
    }
}

const BOOTSTRAP: usize = 2000;

/// Relative effect mean(a) / mean(b) - 1, paired bootstrap CI.
pub fn relative(a: &[f64], b: &[f64]) -> Estimate {
    let ratio = |sa: f64, sb: f64| {
        if sb.abs() > 0.0 {
            sa / sb - 1.0
        } else if sa > 0.0 {
            f64::INFINITY
        } else {
            0.0
        }
    };
    let n = a.len().min(b.len());
    if n == 0 {
        return Estimate {
            value: 0.0,
            low: 0.0,
            high: 0.0,
        };
    }
    let value = ratio(a[..n].iter().sum(), b[..n].iter().sum());
    let mut rng: Rng = RunSeed::new(n as u64, 0, 0).stream(Stream::Action, 0xb007);
    let mut draws = Vec::with_capacity(BOOTSTRAP);
    for _ in 0..BOOTSTRAP {
        let (mut sa, mut sb) = (0.0, 0.0);
        for _ in 0..n {
            let k = rng.random_range(0..n);
            sa += a[k];
            sb += b[k];
        }
        draws.push(ratio(sa, sb));
    }
    draws.sort_by(f64::total_cmp);
    Estimate {
        value,
        low: quantile(&draws, 0.025),
        high: quantile(&draws, 0.975),
    }
}

/// Mean of paired differences a - b, t interval.
pub fn difference(a: &[f64], b: &[f64]) -> Estimate {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    mean_interval(&d)
}

/// Mean with its t interval (the same estimate `summary.csv` gives: `stats::Summary`).
pub fn mean_interval(d: &[f64]) -> Estimate {
    let s = Summary::of(d);
    Estimate {
        value: s.mean,
        low: s.ci95_low,
        high: s.ci95_high,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_clear_ratio_is_found_and_bounded() {
        let b: Vec<f64> = (0..40).map(|i| 10.0 + (i % 7) as f64).collect();
        let a: Vec<f64> = b.iter().map(|x| 1.5 * x).collect();
        let e = relative(&a, &b);
        assert!((e.value - 0.5).abs() < 1e-12);
        assert!(e.positive() && e.low > 0.45 && e.high < 0.55, "{e:?}");
    }

    #[test]
    fn noise_gives_an_interval_spanning_zero() {
        let a: Vec<f64> = (0..30)
            .map(|i| if i % 2 == 0 { 1.0 } else { -1.0 })
            .collect();
        let b = vec![0.0; 30];
        let e = difference(&a, &b);
        assert!(!e.positive() && !e.negative(), "{e:?}");
    }
}
