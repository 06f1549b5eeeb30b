//! PRIM, the patient rule induction method (Friedman & Fisher 1999), as used for scenario
//! discovery (Bryant & Lempert 2010) and as EMA Workbench's `prim.Prim` runs it with the
//! original objective (the density of the box): from the box holding every point, peel off
//! `peel_alpha` of the box's points from the low or high side of one dimension, choosing the
//! peel that leaves the densest box (ties: the one restricting fewest dimensions, then the
//! first dimension, high side before low), while the box keeps at least `mass_min` of the
//! points; then paste back along restricted dimensions while that raises the density.
//!
//! Every step of the trajectory records its box, coverage (share of all "yes" points inside),
//! density (share of the box's points that are "yes"), mass (share of all points inside),
//! restricted dimensions, and a quasi-p-value per restricted limit: a one-sided binomial test
//! of whether the box's density could come from the box without that limit (Bryant & Lempert
//! 2010). The chosen box is the first with the highest coverage among those with a density
//! of at least `threshold`. Dimensions are continuous (EMA's float peel). Input: the context
//! values of each point and the yes/no answer; output goes to boxes.csv and the fit map.

use libm::{exp, lgamma, log};

/// PRIM's settings (EMA Workbench's defaults: 0.05, 0.05, 0.05; threshold 0.8).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PrimParams {
    pub peel_alpha: f64,
    pub paste_alpha: f64,
    pub mass_min: f64,
    /// Density the chosen box must reach.
    pub threshold: f64,
}

impl PrimParams {
    /// Checks the ranges (alphas in (0, 0.5), mass_min in (0, 1), threshold in [0, 1]).
    pub fn check(&self) -> Result<(), String> {
        let open = |v: f64, hi: f64| v > 0.0 && v < hi;
        if !open(self.peel_alpha, 0.5) {
            return Err(format!(
                "--peel-alpha: expected a share above 0 and below 0.5, got {}",
                self.peel_alpha
            ));
        }
        if !open(self.paste_alpha, 0.5) {
            return Err(format!(
                "--paste-alpha: expected a share above 0 and below 0.5, got {}",
                self.paste_alpha
            ));
        }
        if !open(self.mass_min, 1.0) {
            return Err(format!(
                "--mass-min: expected a share above 0 and below 1, got {}",
                self.mass_min
            ));
        }
        if !(0.0..=1.0).contains(&self.threshold) {
            return Err(format!(
                "--threshold: expected a density from 0 to 1, got {}",
                self.threshold
            ));
        }
        Ok(())
    }
}

/// One box on the trajectory.
#[derive(Debug, Clone, PartialEq)]
pub struct Step {
    /// (low, high) per dimension, inclusive.
    pub limits: Vec<(f64, f64)>,
    /// Points inside.
    pub n: usize,
    /// "Yes" points inside.
    pub yes: usize,
    pub coverage: f64,
    pub density: f64,
    pub mass: f64,
    /// Restricted dimensions, in dimension order.
    pub restricted: Vec<usize>,
    /// Quasi-p-values of each restricted dimension's (low, high) limit; `None` where that
    /// side is not restricted.
    pub qp: Vec<(Option<f64>, Option<f64>)>,
    /// Whether the step pasted (rather than peeled).
    pub pasted: bool,
}

/// A PRIM run: the initial box and every step, and the chosen one.
#[derive(Debug, Clone, PartialEq)]
pub struct Trajectory {
    /// The box holding all points: (min, max) per dimension.
    pub init: Vec<(f64, f64)>,
    pub steps: Vec<Step>,
    /// Index of the chosen step.
    pub chosen: usize,
    /// Whether the chosen step reaches the density threshold.
    pub meets_threshold: bool,
}

/// Box limits: (low, high) per dimension.
type Limits = Vec<(f64, f64)>;

/// A candidate box: its limits and the points inside.
struct Boxed {
    limits: Limits,
    inside: Vec<usize>,
}

struct Data<'a> {
    /// x[dimension][point].
    x: &'a [Vec<f64>],
    y: &'a [bool],
    init: Vec<(f64, f64)>,
    total_yes: usize,
}

/// Runs PRIM on `x` (one vector per dimension, one value per point) and `y`.
pub fn prim(x: &[Vec<f64>], y: &[bool], p: &PrimParams) -> Trajectory {
    let n = y.len();
    assert!(
        x.iter().all(|d| d.len() == n),
        "one value per point in every dimension"
    );
    let init: Vec<(f64, f64)> = x
        .iter()
        .map(|d| {
            let lo = d.iter().copied().fold(f64::INFINITY, f64::min);
            let hi = d.iter().copied().fold(f64::NEG_INFINITY, f64::max);
            (lo, hi)
        })
        .collect();
    let data = Data {
        x,
        y,
        init: init.clone(),
        total_yes: y.iter().filter(|&&v| v).count(),
    };
    let mut steps = Vec::new();
    if n > 0 {
        let mut limits = init.clone();
        let mut inside: Vec<usize> = (0..n).collect();
        steps.push(data.step(&limits, &inside, false));
        while let Some(b) = data.peel(&limits, &inside, p) {
            (limits, inside) = (b.limits, b.inside);
            steps.push(data.step(&limits, &inside, false));
        }
        while let Some(b) = data.paste(&limits, &inside, p) {
            (limits, inside) = (b.limits, b.inside);
            steps.push(data.step(&limits, &inside, true));
        }
    }
    let (chosen, meets_threshold) = choose(&steps, p.threshold);
    Trajectory {
        init,
        steps,
        chosen,
        meets_threshold,
    }
}

/// The first step with the highest coverage among those reaching `threshold`; failing
/// that, the densest (first on ties).
fn choose(steps: &[Step], threshold: f64) -> (usize, bool) {
    let mut best: Option<usize> = None;
    for (i, s) in steps.iter().enumerate() {
        if s.density >= threshold && best.is_none_or(|b| s.coverage > steps[b].coverage) {
            best = Some(i);
        }
    }
    if let Some(b) = best {
        return (b, true);
    }
    let mut densest = 0;
    for (i, s) in steps.iter().enumerate() {
        if s.density > steps[densest].density {
            densest = i;
        }
    }
    (densest, false)
}

impl Data<'_> {
    fn yes_in(&self, idx: &[usize]) -> usize {
        idx.iter().filter(|&&i| self.y[i]).count()
    }

    /// Mean of y over `idx` (EMA's original objective), -1 for an empty box.
    fn objective(&self, idx: &[usize]) -> f64 {
        if idx.is_empty() {
            -1.0
        } else {
            self.yes_in(idx) as f64 / idx.len() as f64
        }
    }

    fn restricted(&self, limits: &[(f64, f64)]) -> Vec<usize> {
        (0..limits.len())
            .filter(|&d| limits[d] != self.init[d])
            .collect()
    }

    fn step(&self, limits: &[(f64, f64)], inside: &[usize], pasted: bool) -> Step {
        let n_all = self.y.len();
        let yes = self.yes_in(inside);
        let restricted = self.restricted(limits);
        let qp = restricted
            .iter()
            .map(|&d| self.quasi_p(limits, &restricted, d, yes, inside.len()))
            .collect();
        Step {
            limits: limits.to_vec(),
            n: inside.len(),
            yes,
            coverage: yes as f64 / self.total_yes.max(1) as f64,
            density: yes as f64 / inside.len() as f64,
            mass: inside.len() as f64 / n_all as f64,
            restricted,
            qp,
            pasted,
        }
    }

    /// Quasi-p-values of dimension `d`'s low and high limits (Bryant & Lempert 2010): with
    /// that limit dropped, the density is p; how likely are `yes` or more "yes" points among
    /// the box's `n` if each were "yes" with probability p?
    fn quasi_p(
        &self,
        limits: &[(f64, f64)],
        dims: &[usize],
        d: usize,
        yes: usize,
        n: usize,
    ) -> (Option<f64>, Option<f64>) {
        let side = |low: bool| {
            let mut relaxed = limits.to_vec();
            if low {
                relaxed[d].0 = self.init[d].0;
            } else {
                relaxed[d].1 = self.init[d].1;
            }
            let idx = self.in_box(&relaxed, dims);
            let p = self.yes_in(&idx) as f64 / idx.len() as f64;
            binomial_upper_tail(yes, n, p)
        };
        let low = (limits[d].0 != self.init[d].0).then(|| side(true));
        let high = (limits[d].1 != self.init[d].1).then(|| side(false));
        (low, high)
    }

    /// Every point inside `limits`, looking only at `dims`.
    fn in_box(&self, limits: &[(f64, f64)], dims: &[usize]) -> Vec<usize> {
        (0..self.y.len())
            .filter(|&i| {
                dims.iter()
                    .all(|&d| limits[d].0 <= self.x[d][i] && self.x[d][i] <= limits[d].1)
            })
            .collect()
    }

    /// The best candidate by (objective, unrestricted dimensions), the first on ties, with
    /// its objective.
    fn best(&self, candidates: Vec<Boxed>) -> Option<(Boxed, f64)> {
        let k = self.init.len();
        let mut best: Option<(Boxed, f64, usize)> = None;
        for c in candidates {
            let obj = self.objective(&c.inside);
            let free = k - self.restricted(&c.limits).len();
            let better = best
                .as_ref()
                .is_none_or(|b| obj > b.1 || (obj == b.1 && free > b.2));
            if better {
                best = Some((c, obj, free));
            }
        }
        best.map(|(c, obj, _)| (c, obj))
    }

    /// One peeling step, or `None` when no peel keeps enough mass and raises nothing.
    fn peel(&self, limits: &[(f64, f64)], inside: &[usize], p: &PrimParams) -> Option<Boxed> {
        let mut candidates = Vec::new();
        for d in 0..limits.len() {
            let xj: Vec<f64> = inside.iter().map(|&i| self.x[d][i]).collect();
            // High side first, as EMA lists them (it matters only on exact ties).
            for high in [true, false] {
                let mut limits = limits.to_vec();
                let keep: Vec<usize> = if high {
                    let q = ema_quantile(&xj, 1.0 - p.peel_alpha);
                    limits[d].1 = q;
                    inside
                        .iter()
                        .copied()
                        .filter(|&i| self.x[d][i] <= q)
                        .collect()
                } else {
                    let q = ema_quantile(&xj, p.peel_alpha);
                    limits[d].0 = q;
                    inside
                        .iter()
                        .copied()
                        .filter(|&i| self.x[d][i] >= q)
                        .collect()
                };
                candidates.push(Boxed {
                    limits,
                    inside: keep,
                });
            }
        }
        let (b, obj) = self.best(candidates)?;
        let n = self.y.len() as f64;
        let (mass_new, mass_old) = (b.inside.len() as f64 / n, inside.len() as f64 / n);
        (mass_new >= p.mass_min && mass_new < mass_old && obj > 0.0).then_some(b)
    }

    /// One pasting step, or `None` when no paste raises the density.
    fn paste(&self, limits: &[(f64, f64)], inside: &[usize], p: &PrimParams) -> Option<Boxed> {
        let dims = self.restricted(limits);
        let mut candidates = Vec::new();
        for &u in &dims {
            for low in [true, false] {
                // The strip between the box and the initial limit on this side.
                let mut strip = limits.to_vec();
                strip[u] = if low {
                    (self.init[u].0, limits[u].0)
                } else {
                    (limits[u].1, self.init[u].1)
                };
                let data: Vec<f64> = self
                    .in_box(&strip, &dims)
                    .iter()
                    .map(|&i| self.x[u][i])
                    .collect();
                let mut grown = limits.to_vec();
                if low {
                    grown[u].0 = match data.is_empty() {
                        true => self.init[u].0,
                        false => ema_quantile(&data, 1.0 - p.paste_alpha),
                    };
                } else {
                    grown[u].1 = match data.is_empty() {
                        true => self.init[u].1,
                        false => ema_quantile(&data, p.paste_alpha),
                    };
                }
                let inside = self.in_box(&grown, &dims);
                candidates.push(Boxed {
                    limits: grown,
                    inside,
                });
            }
        }
        let (b, obj) = self.best(candidates)?;
        let n = self.y.len() as f64;
        let (mass_new, mass_old) = (b.inside.len() as f64 / n, inside.len() as f64 / n);
        let mean_old = self.objective(inside);
        let grows = mass_new >= p.mass_min && mass_new > mass_old;
        (grows && obj > 0.0 && obj > mean_old).then_some(b)
    }
}

/// The quantile EMA Workbench's PRIM peels at (modelled on sdtoolkit): between two distinct
/// neighbouring values of the sorted data, so that a peel always moves past ties.
pub fn ema_quantile(data: &[f64], q: f64) -> f64 {
    let mut sorted = data.to_vec();
    sorted.sort_by(f64::total_cmp);
    let i = (sorted.len() - 1) as f64 * q;
    let (mut lo, mut hi) = (i.floor() as usize, i.ceil() as usize);
    if q > 0.5 {
        while sorted[lo] == sorted[hi] && lo > 0 {
            lo -= 1;
        }
    } else {
        while sorted[lo] == sorted[hi] && hi < sorted.len() - 1 {
            hi += 1;
        }
    }
    (sorted[lo] + sorted[hi]) / 2.0
}

/// P(X >= k) for X ~ Binomial(n, p): the one-sided binomial test's p-value.
pub fn binomial_upper_tail(k: usize, n: usize, p: f64) -> f64 {
    if k == 0 || p >= 1.0 {
        return 1.0;
    }
    if p <= 0.0 || k > n {
        return 0.0;
    }
    let (lp, lq) = (log(p), log(1.0 - p));
    let ln_n = lgamma(n as f64 + 1.0);
    let terms: Vec<f64> = (k..=n)
        .map(|i| {
            let i_f = i as f64;
            ln_n - lgamma(i_f + 1.0) - lgamma((n - i) as f64 + 1.0) + i_f * lp + (n - i) as f64 * lq
        })
        .collect();
    let top = terms.iter().copied().fold(f64::NEG_INFINITY, f64::max);
    let sum: f64 = terms.iter().map(|t| exp(t - top)).sum();
    exp(top + log(sum)).min(1.0)
}

#[cfg(test)]
mod tests;
