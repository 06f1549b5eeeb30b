//! Effect sizes in words: a paired-bootstrap interval turned into a clause such as
//! "conflict incidents 58% lower (95% CI 51-64% lower)", or "no clear difference in ..."
//! whenever the interval includes no change. This is the one place that decides whether a
//! difference may be claimed. A relative difference against or from zero misleads ("100%
//! lower (95% CI 100% lower)" when one strategy has no deaths at all): there, and wherever
//! the ratio's interval collapses to a point, the clause states the absolute difference with
//! both means, "1.40 fewer (0 vs 1.40 deaths over 10 years; 95% CI 0.90–1.90 fewer)".

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
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Effect {
    /// How the interval is measured.
    pub measure: Measure,
    /// The estimate and its 95% interval (ratio, or difference other - reference).
    pub interval: Interval,
    /// Set when a ratio gave way to a difference in units: the two means, for the clause.
    pub absolute: Option<Absolute>,
}

/// The two means behind an absolute difference, and how to name their unit.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Absolute {
    /// Mean of the reference strategy.
    pub reference: f64,
    /// Mean of the strategy compared with it.
    pub other: f64,
    /// The unit in words ("deaths", "USD/week"); empty when unknown.
    pub unit: &'static str,
    /// What the means are totals over (" over 10 years"), or empty.
    pub span: String,
    /// A count, whose differences are "more" or "fewer" (otherwise "higher" or "lower").
    pub count: bool,
    /// The difference is the same in every future (its interval is that one value).
    pub uniform: bool,
}

/// A ratio interval narrower than this (relative to its estimate) has collapsed to a point.
const COLLAPSED: f64 = 1e-9;

impl Effect {
    /// Paired-bootstrap effect of `other` against `reference` on `measure`.
    ///
    /// A ratio falls back to a difference in units, with both means kept for the clause,
    /// when either mean is zero or the ratio's interval collapses to a point.
    pub fn paired(reference: &[f64], other: &[f64], measure: Measure, seed: u64) -> Option<Self> {
        type Stat = fn(&[f64], &[f64]) -> Option<f64>;
        let boot = |f: Stat| stats::paired_bootstrap(reference, other, seed, f);
        if measure != Measure::Ratio {
            return Some(Self::new(measure, boot(stats::mean_difference)?));
        }
        let (r, o) = (stats::mean(reference), stats::mean(other));
        let ratio = boot(stats::ratio_of_means)
            .filter(|_| r != 0.0 && o != 0.0)
            .filter(|i| i.high - i.low > COLLAPSED * i.estimate.abs().max(f64::MIN_POSITIVE));
        if let Some(interval) = ratio {
            return Some(Self::new(measure, interval));
        }
        let interval = boot(stats::mean_difference)?;
        let absolute = Absolute {
            reference: r,
            other: o,
            unit: "",
            span: String::new(),
            count: true,
            uniform: reference
                .iter()
                .zip(other)
                .all(|(a, b)| b - a == other[0] - reference[0]),
        };
        Some(Self {
            absolute: Some(absolute),
            ..Self::new(Measure::Units, interval)
        })
    }

    /// An effect measured as `measure`, stated relative to the reference when a ratio.
    pub fn new(measure: Measure, interval: Interval) -> Self {
        Self {
            measure,
            interval,
            absolute: None,
        }
    }

    /// Names the unit of an absolute difference: `unit` in words, `span` what the means are
    /// totals over (" over 10 years"), `count` whether it is a count. No change otherwise.
    pub fn with_unit(mut self, unit: &'static str, span: String, count: bool) -> Self {
        if let Some(a) = &mut self.absolute {
            (a.unit, a.span, a.count) = (unit, span, count);
        }
        self
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
        // With a ratio given up for a difference, both means lead the brackets.
        let means = self
            .absolute
            .as_ref()
            .map_or(String::new(), |a| format!("{}; ", a.means(what)));
        if !self.is_clear() {
            let digits = self.distinct_digits(low, high, base);
            let (lo, hi) = (self.change(low, digits), self.change(high, digits));
            return format!("no clear difference{in_what} ({means}95% CI {lo} to {hi})");
        }
        let subject = if what.is_empty() {
            String::new()
        } else {
            format!("{what} ")
        };
        if let Some(a) = self.absolute.as_ref().filter(|a| a.uniform) {
            // No interval to give: every future differs by the same amount.
            let change = self.change(estimate, base);
            return format!("{subject}{change} in every future ({})", a.means(what));
        }
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
            "{subject}{} ({means}95% CI {range}{} {dir})",
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
        let count = self.absolute.as_ref().is_none_or(|a| a.count);
        match (self.measure, up) {
            (Measure::Units, true) if count => "more",
            (Measure::Units, false) if count => "fewer",
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
            Measure::Units => match &self.absolute {
                Some(a) if !a.count && !a.unit.is_empty() => format!("{size} {} {dir}", a.unit),
                _ => format!("{size} {dir}"),
            },
        }
    }
}

impl Absolute {
    /// Both means, the compared strategy's first: `0 vs 1.40 deaths over 10 years`; the unit
    /// is left out when `what` already names it ("deaths 1.40 fewer (0 vs 1.40 over ...").
    fn means(&self, what: &str) -> String {
        let d = super::format::decimals(self.other.abs().max(self.reference.abs()));
        let show = |v: f64| {
            if v == 0.0 {
                "0".to_string()
            } else {
                fixed(v, d)
            }
        };
        let unit = if self.unit.is_empty() || what.contains(self.unit) {
            String::new()
        } else {
            format!(" {}", self.unit)
        };
        format!(
            "{} vs {}{unit}{}",
            show(self.other),
            show(self.reference),
            self.span
        )
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
        Effect::new(measure, interval)
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
        let e = e.with_unit("deaths", " over 10 years".into(), true);
        assert!(
            e.clause("")
                .starts_with("2.00 more (2.00 vs 0 deaths over 10 years; 95% CI "),
            "{}",
            e.clause("")
        );
    }

    /// Deaths per future: none under one strategy, some under the other.
    const NONE: [f64; 8] = [0.0; 8];
    const SOME: [f64; 8] = [1.0, 2.0, 1.0, 0.0, 3.0, 1.0, 2.0, 1.0];

    #[test]
    fn a_zero_side_is_stated_in_absolute_terms_not_as_a_collapsed_ratio() {
        // Against the strategy with deaths, none is "100% lower" in every resample: a
        // collapsed interval that says nothing. The difference in deaths says what it is.
        let e = Effect::paired(&SOME, &NONE, Measure::Ratio, 7).unwrap();
        assert_eq!(e.measure, Measure::Units);
        let e = e.with_unit("deaths", " over 10 years".into(), true);
        let clause = e.clause("");
        assert!(!clause.contains("% lower"), "{clause}");
        assert!(
            clause.starts_with("1.38 fewer (0 vs 1.38 deaths over 10 years; 95% CI "),
            "{clause}"
        );
        assert!(clause.ends_with(" fewer)"), "{clause}");
        // With the measure named, its unit is not said twice.
        assert!(
            e.clause("deaths")
                .starts_with("deaths 1.38 fewer (0 vs 1.38 over 10 years; 95% CI "),
            "{}",
            e.clause("deaths")
        );
    }

    #[test]
    fn a_collapsed_ratio_interval_gives_way_to_the_difference() {
        // Half as much in every future: the ratio's interval is one point.
        let other: Vec<f64> = SOME.iter().map(|v| v * 0.5).collect();
        let reference: Vec<f64> = SOME.iter().map(|v| v + 1.0).collect();
        let half: Vec<f64> = reference.iter().map(|v| v * 0.5).collect();
        let e = Effect::paired(&reference, &half, Measure::Ratio, 7).unwrap();
        assert_eq!(e.measure, Measure::Units, "{e:?}");
        assert!(e.clause("").contains(" vs "), "{}", e.clause(""));
        // The same difference in every future has no interval to give.
        let more: Vec<f64> = reference.iter().map(|v| v + 2.0).collect();
        let e = Effect::paired(&reference, &more, Measure::Ratio, 7).unwrap();
        assert_eq!(e.measure, Measure::Ratio, "the ratio varies");
        let none = Effect::paired(&NONE, &[2.0; 8], Measure::Ratio, 7).unwrap();
        let none = none.with_unit("deaths", " over 10 years".into(), true);
        assert_eq!(
            none.clause("deaths"),
            "deaths 2.00 more in every future (2.00 vs 0 over 10 years)"
        );
        // A ratio that varies stays a ratio.
        let e = Effect::paired(&reference, &other, Measure::Ratio, 7).unwrap();
        assert_eq!(e.measure, Measure::Ratio);
        assert!(e.absolute.is_none());
    }

    #[test]
    fn an_unclear_absolute_difference_is_not_claimed_and_amounts_keep_their_unit() {
        // One death in eight futures against none: no clear difference.
        let one = [0.0, 0.0, 1.0, 0.0, 0.0, 0.0, 0.0, 0.0];
        let e = Effect::paired(&one, &NONE, Measure::Ratio, 3).unwrap();
        assert!(!e.is_clear());
        let e = e.with_unit("deaths", " over 10 years".into(), true);
        assert!(
            e.clause("deaths")
                .starts_with("no clear difference in deaths (0 vs 0.12 over 10 years; 95% CI "),
            "{}",
            e.clause("deaths")
        );
        // An income of zero (nobody left digging) against a positive one.
        let income = [100.0, 110.0, 90.0, 105.0, 95.0, 100.0, 120.0, 80.0];
        let e = Effect::paired(&income, &NONE, Measure::Ratio, 3).unwrap();
        let e = e.with_unit("USD/week", String::new(), false);
        assert!(
            e.clause("")
                .starts_with("100 USD/week lower (0 vs 100 USD/week; 95% CI "),
            "{}",
            e.clause("")
        );
        assert!(e.clause("").ends_with(" lower)"));
    }
}
