//! Summary statistics across replicates: mean, standard deviation, percentiles and the 95%
//! confidence interval of the mean. Sums run sequentially in replicate order, so results are
//! the same bit for bit whatever the thread count.

/// Summary of one metric over replicates.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Summary {
    pub mean: f64,
    pub sd: f64,
    pub p05: f64,
    pub p50: f64,
    pub p95: f64,
    pub ci95_low: f64,
    pub ci95_high: f64,
    pub n: usize,
}

impl Summary {
    /// Summarise values (in replicate order). An empty slice gives zeros.
    pub fn of(values: &[f64]) -> Summary {
        let n = values.len();
        if n == 0 {
            return Summary {
                mean: 0.0,
                sd: 0.0,
                p05: 0.0,
                p50: 0.0,
                p95: 0.0,
                ci95_low: 0.0,
                ci95_high: 0.0,
                n,
            };
        }
        let mean = values.iter().sum::<f64>() / n as f64;
        let sd = if n > 1 {
            (values.iter().map(|v| (v - mean).powi(2)).sum::<f64>() / (n - 1) as f64).sqrt()
        } else {
            0.0
        };
        let half = half_width(sd, n);
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        Summary {
            mean,
            sd,
            p05: quantile(&sorted, 0.05),
            p50: quantile(&sorted, 0.5),
            p95: quantile(&sorted, 0.95),
            ci95_low: mean - half,
            ci95_high: mean + half,
            n,
        }
    }
}

/// Half-width of the 95% t-interval of a mean of `n` values with standard deviation `sd`
/// (0 for fewer than two values).
fn half_width(sd: f64, n: usize) -> f64 {
    if n > 1 {
        t_975(n - 1) * sd / (n as f64).sqrt()
    } else {
        0.0
    }
}

/// Half-width of the 95% t-interval of the mean paired difference `a - b` (replicate r of
/// `a` paired with replicate r of `b`, as common random numbers pair them): the same interval
/// `summary.csv` gives a mean, on the differences. Both slices are read to the shorter one.
pub fn paired_half_width(a: &[f64], b: &[f64]) -> f64 {
    let d: Vec<f64> = a.iter().zip(b).map(|(x, y)| x - y).collect();
    let s = Summary::of(&d);
    half_width(s.sd, s.n)
}

/// Quantile of sorted values by linear interpolation (Hyndman & Fan type 7, as R and NumPy).
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    match sorted.len() {
        0 => 0.0,
        1 => sorted[0],
        n => {
            let h = (n - 1) as f64 * q;
            let lo = h.floor() as usize;
            let hi = (lo + 1).min(n - 1);
            sorted[lo] + (h - lo as f64) * (sorted[hi] - sorted[lo])
        }
    }
}

/// 97.5% quantile of Student's t with `df` degrees of freedom (table to 30, then the
/// Cornish-Fisher expansion, accurate to 1e-4).
pub fn t_975(df: usize) -> f64 {
    const TABLE: [f64; 30] = [
        12.7062, 4.3027, 3.1824, 2.7764, 2.5706, 2.4469, 2.3646, 2.3060, 2.2622, 2.2281, 2.2010,
        2.1788, 2.1604, 2.1448, 2.1314, 2.1199, 2.1098, 2.1009, 2.0930, 2.0860, 2.0796, 2.0739,
        2.0687, 2.0639, 2.0595, 2.0555, 2.0518, 2.0484, 2.0452, 2.0423,
    ];
    if df == 0 {
        return f64::INFINITY;
    }
    if df <= 30 {
        return TABLE[df - 1];
    }
    let z: f64 = 1.959964;
    let v = df as f64;
    z + (z.powi(3) + z) / (4.0 * v)
        + (5.0 * z.powi(5) + 16.0 * z.powi(3) + 3.0 * z) / (96.0 * v * v)
}

/// Round to 10 significant digits: what runs.csv holds, and what every aggregate is computed
/// from, so merged shards reproduce a single machine's summaries exactly.
pub fn canonical(x: f64) -> f64 {
    if x == 0.0 || !x.is_finite() {
        return if x == 0.0 { 0.0 } else { x };
    }
    format!("{x:.9e}").parse().unwrap_or(x)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn summary_of_known_values() {
        let s = Summary::of(&[1.0, 2.0, 3.0, 4.0, 5.0]);
        assert_eq!(s.mean, 3.0);
        assert!((s.sd - 1.5811388).abs() < 1e-6);
        assert_eq!(s.p50, 3.0);
        assert!((s.p05 - 1.2).abs() < 1e-12);
        assert!((s.p95 - 4.8).abs() < 1e-12);
        let half = 2.7764 * s.sd / 5f64.sqrt();
        assert!((s.ci95_high - 3.0 - half).abs() < 1e-9);
    }

    #[test]
    fn t_quantile_joins_the_normal() {
        assert!((t_975(60) - 2.0003).abs() < 1e-3);
        assert!((t_975(1000) - 1.9623).abs() < 1e-3);
        assert!(t_975(30) > t_975(31));
    }

    #[test]
    fn canonical_keeps_ten_digits() {
        assert_eq!(canonical(0.1 + 0.2), 0.3);
        assert_eq!(canonical(123_456_789.987_654), 123_456_790.0);
        assert_eq!(format!("{}", canonical(2.0 / 3.0)), "0.6666666667");
    }
}
