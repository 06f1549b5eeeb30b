//! Effect sizes in words: a paired-bootstrap interval turned into a clause such as
//! "conflict incidents 58% lower (95% CI 51-64% lower)", or "no clear difference in ..."
//! whenever the interval includes no change. This is the one place that decides whether a
//! difference may be claimed.

use super::format::fixed;
use super::stats::{self, Interval};

/// How an effect is measured and worded.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Measure {
    /// Ratio of means, worded as a percentage change (or "N times as high").
    Ratio,
    /// Difference of shares (0-1), worded in percentage points.
    Points,
    /// Difference in USD, worded in USD millions.
    UsdMillions,
    /// Difference in counts or other plain units.
    Units,
}

/// One effect of a strategy against the reference, with its 95% interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Effect {
    /// How the interval is measured.
    pub measure: Measure,
    /// The estimate and its 95% interval (ratio, or difference other - reference).
    pub interval: Interval,
}

impl Effect {
    /// Paired-bootstrap effect of `other` against `reference` on `measure`.
    ///
    /// A ratio falls back to a difference in units when the reference mean is zero.
    pub fn paired(reference: &[f64], other: &[f64], measure: Measure, seed: u64) -> Option<Self> {
        type Stat = fn(&[f64], &[f64]) -> Option<f64>;
        let boot = |f: Stat| stats::paired_bootstrap(reference, other, seed, f);
        match measure {
            Measure::Ratio => match boot(stats::ratio_of_means) {
                Some(interval) => Some(Self { measure, interval }),
                None => Self::paired(reference, other, Measure::Units, seed),
            },
            _ => boot(stats::mean_difference).map(|interval| Self { measure, interval }),
        }
    }

    /// The value that means "no change" on this measure.
    fn null(&self) -> f64 {
        match self.measure {
            Measure::Ratio => 1.0,
            _ => 0.0,
        }
    }

    /// Whether the 95% interval excludes "no change" (a difference may be claimed).
    pub fn is_clear(&self) -> bool {
        let Interval { low, high, .. } = self.interval;
        low > self.null() || high < self.null()
    }

    /// The clause for `what` ("conflict incidents"), e.g. `conflict incidents 58% lower
    /// (95% CI 51–64% lower)`.
    pub fn clause(&self, what: &str) -> String {
        let Interval {
            estimate,
            low,
            high,
        } = self.interval;
        let in_what = if what.is_empty() {
            String::new()
        } else {
            format!(" in {what}")
        };
        if (low - high).abs() < 1e-12 && (estimate - self.null()).abs() < 1e-12 {
            return format!("no difference{in_what}");
        }
        // One precision for every number of the clause, so a range reads 88.8–168.2, not
        // 88.8–168; more digits where the ends would otherwise print alike ("98–98%").
        let base = self.decimals([estimate, low, high].map(|v| self.size(v)));
        if !self.is_clear() {
            let digits = self.distinct_digits(low, high, base);
            let (lo, hi) = (self.change(low, digits), self.change(high, digits));
            return format!("no clear difference{in_what} (95% CI {lo} to {hi})");
        }
        let subject = if what.is_empty() {
            String::new()
        } else {
            format!("{what} ")
        };
        if self.measure == Measure::Ratio && low >= 2.0 {
            // Three significant figures of the upper end: "28 times (15–119 times)".
            let d = distinct(low, high, usize::from(high < 99.95));
            let (e, r) = (fixed(estimate, d), super::format::range(low, high, d));
            return format!("{subject}{e} times as high (95% CI {r} times)");
        }
        let dir = self.direction(estimate > self.null());
        let (a, b) = sorted(self.size(low), self.size(high));
        let digits = distinct(a, b, base);
        let range = super::format::range(a, b, digits);
        format!(
            "{subject}{} (95% CI {range}{} {dir})",
            self.change(estimate, digits),
            self.unit_suffix()
        )
    }

    /// `digits`, or more (up to two more) if the ends `low` and `high` would print alike.
    fn distinct_digits(&self, low: f64, high: f64, digits: usize) -> usize {
        distinct(self.size(low), self.size(high), digits)
    }

    /// The direction in words: counts (the fallback of a ratio) are "more" or "fewer".
    fn direction(&self, up: bool) -> &'static str {
        match (self.measure, up) {
            (Measure::Units, true) => "more",
            (Measure::Units, false) => "fewer",
            (_, true) => "higher",
            (_, false) => "lower",
        }
    }

    /// Size of a change away from the null, always non-negative, in display units.
    fn size(&self, value: f64) -> f64 {
        match self.measure {
            Measure::Ratio => (value - 1.0).abs() * 100.0,
            Measure::Points => value.abs() * 100.0,
            Measure::UsdMillions => value.abs() / 1e6,
            Measure::Units => value.abs(),
        }
    }

    /// Decimals for a clause whose sizes are `sizes`: whole percentages, tenths of points,
    /// and for amounts three significant figures of the largest.
    fn decimals(&self, sizes: [f64; 3]) -> usize {
        let largest = sizes.iter().copied().fold(0.0, f64::max);
        match self.measure {
            Measure::Ratio => 0,
            Measure::Points => 1,
            Measure::UsdMillions | Measure::Units => super::format::decimals(largest),
        }
    }

    fn unit_suffix(&self) -> &'static str {
        match self.measure {
            Measure::Ratio => "%",
            Measure::Points => " points",
            Measure::UsdMillions => " M",
            Measure::Units => "",
        }
    }

    /// A signed change in words with its unit: `12% lower`, `USD 3.1 M higher`.
    fn change(&self, value: f64, digits: usize) -> String {
        let size = fixed(self.size(value), digits);
        let dir = self.direction(value >= self.null());
        match self.measure {
            Measure::Ratio => format!("{size}% {dir}"),
            Measure::Points => format!("{size} percentage points {dir}"),
            Measure::UsdMillions => format!("USD {size} M {dir}"),
            Measure::Units => format!("{size} {dir}"),
        }
    }
}

/// The fewest decimals from `digits` (up to two more) at which `a` and `b` print differently
/// and neither prints as zero unless it is zero (a clear difference never reads "0.0–0.4").
fn distinct(a: f64, b: f64, digits: usize) -> usize {
    let zero_looking =
        |v: f64, d: usize| v != 0.0 && fixed(v, d).trim_matches(['0', '.', '-']).is_empty();
    (digits..=digits + 2)
        .find(|d| fixed(a, *d) != fixed(b, *d) && !zero_looking(a, *d) && !zero_looking(b, *d))
        .unwrap_or(digits)
}

fn sorted(a: f64, b: f64) -> (f64, f64) {
    if a <= b { (a, b) } else { (b, a) }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn effect(measure: Measure, estimate: f64, low: f64, high: f64) -> Effect {
        let interval = Interval {
            estimate,
            low,
            high,
        };
        Effect { measure, interval }
    }

    #[test]
    fn clear_ratio_is_claimed_with_its_interval() {
        let e = effect(Measure::Ratio, 0.42, 0.36, 0.49);
        assert!(e.is_clear());
        assert_eq!(
            e.clause("clashes"),
            "clashes 58% lower (95% CI 51–64% lower)"
        );
    }

    #[test]
    fn interval_spanning_no_change_is_not_claimed() {
        let e = effect(Measure::Ratio, 0.95, 0.88, 1.03);
        assert!(!e.is_clear());
        assert_eq!(
            e.clause("clashes"),
            "no clear difference in clashes (95% CI 12% lower to 3% higher)"
        );
        let d = effect(Measure::Points, 0.01, -0.02, 0.04);
        assert!(
            d.clause("poverty")
                .starts_with("no clear difference in poverty")
        );
    }

    #[test]
    fn large_ratios_and_differences_are_worded() {
        let e = effect(Measure::Ratio, 2.5, 2.1, 2.9);
        assert_eq!(
            e.clause("cost"),
            "cost 2.5 times as high (95% CI 2.1–2.9 times)"
        );
        let d = effect(Measure::UsdMillions, -30e6, -40e6, -20e6);
        let wide = effect(Measure::UsdMillions, -123e6, -168.2e6, -88.8e6);
        assert_eq!(
            wide.clause("NPV cost"),
            "NPV cost USD 123 M lower (95% CI 89–168 M lower)"
        );
        assert_eq!(
            d.clause("NPV cost"),
            "NPV cost USD 30.0 M lower (95% CI 20.0–40.0 M lower)"
        );
        let p = effect(Measure::Points, 0.253, 0.2, 0.3);
        assert_eq!(
            p.clause("formalised share"),
            "formalised share 25.3 percentage points higher (95% CI 20.0–30.0 points higher)"
        );
    }

    #[test]
    fn intervals_never_collapse() {
        let e = effect(Measure::Ratio, 0.0196, 0.0178, 0.0214);
        assert_eq!(
            e.clause("incidents"),
            "incidents 98.0% lower (95% CI 97.9–98.2% lower)"
        );
        let e = effect(Measure::Ratio, 0.94, 0.936, 0.944);
        assert_eq!(e.clause(""), "6.0% lower (95% CI 5.6–6.4% lower)");
        let same = effect(Measure::Ratio, 0.5, 0.5, 0.5);
        assert_eq!(same.clause(""), "50% lower (95% CI 50% lower)");
        let close = effect(Measure::Ratio, 0.5, 0.499_999, 0.500_001);
        assert_eq!(close.clause(""), "50% lower (95% CI about 50% lower)");
    }

    #[test]
    fn identical_samples_give_no_difference() {
        let a = [1.0, 2.0, 3.0];
        let e = Effect::paired(&a, &a, Measure::Ratio, 1).unwrap();
        assert!(!e.is_clear());
        assert_eq!(e.clause("clashes"), "no difference in clashes");
    }

    #[test]
    fn zero_reference_falls_back_to_units() {
        let e = Effect::paired(&[0.0, 0.0, 0.0], &[1.0, 2.0, 3.0], Measure::Ratio, 1).unwrap();
        assert_eq!(e.measure, Measure::Units);
        assert!(e.is_clear());
    }
}
