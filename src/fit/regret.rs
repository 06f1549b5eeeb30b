//! Robustness criteria (McPhail et al. 2018): for every strategy and metric, the regret at
//! each context point (its shortfall from the best strategy there; Savage 1951) summarised
//! as mean, 90th percentile and maximum; the share of points where it is best (ties
//! shared); satisficing (the share of points where it meets every threshold; Simon 1956,
//! Starr's domain criterion); and an optional weighted score beside them. Also seed noise:
//! how often the winner's 95% interval overlaps the runner-up's.
//!
//! Works on each point's mean over its seeds ([`Contexts`]); sums run sequentially in point
//! order, so results are the same bit for bit however the runs were computed. Output goes
//! to fit.csv, the regret chart and the briefing.

use super::metrics::{self, Direction};
use super::settings::Criteria;
use super::table::Contexts;
use crate::stats::quantile;

/// One strategy's record on one metric.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct StrategyRegret {
    /// Mean over the points of the metric itself.
    pub mean: f64,
    pub mean_regret: f64,
    /// 90th percentile of the regret over the points.
    pub p90_regret: f64,
    pub max_regret: f64,
    /// Share of points where it is best (a tie of k strategies gives each 1/k).
    pub share_best: f64,
    /// Share of points where it alone is best and its 95% interval is clear of the
    /// runner-up's (`None` with one seed per point: no interval).
    pub share_best_clear: Option<f64>,
}

/// Every strategy on one metric.
#[derive(Debug, Clone, PartialEq)]
pub struct MetricRegret {
    pub metric: String,
    pub direction: Direction,
    /// Per strategy, in run order.
    pub strategies: Vec<StrategyRegret>,
    /// Per point: the best strategies (more than one on a tie).
    pub winners: Vec<Vec<usize>>,
    /// Per point: whether the winner is in doubt (a tie, or its 95% interval overlaps the
    /// runner-up's).
    pub close: Vec<bool>,
    /// Share of points where the winner is in doubt (`None` with one seed per point).
    pub close_share: Option<f64>,
}

impl MetricRegret {
    /// The strategy that holds up best: the first of [`MetricRegret::ranking`].
    pub fn leader(&self) -> usize {
        self.ranking()[0]
    }

    /// The minimax-regret strategy: smallest maximum regret (first in run order on ties).
    pub fn minimax(&self) -> usize {
        let mut best = 0;
        for (s, r) in self.strategies.iter().enumerate() {
            if r.max_regret < self.strategies[best].max_regret {
                best = s;
            }
        }
        best
    }

    /// Strategies from the one that holds up best down: smallest mean regret, then
    /// smallest maximum regret, then largest share best, then run order.
    pub fn ranking(&self) -> Vec<usize> {
        let mut order: Vec<usize> = (0..self.strategies.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&self.strategies[a], &self.strategies[b]);
            x.mean_regret
                .total_cmp(&y.mean_regret)
                .then(x.max_regret.total_cmp(&y.max_regret))
                .then(y.share_best.total_cmp(&x.share_best))
                .then(a.cmp(&b))
        });
        order
    }
}

/// Satisficing shares.
#[derive(Debug, Clone, PartialEq)]
pub struct Satisficing {
    /// The requirements, as text.
    pub requirements: Vec<String>,
    /// Per strategy: share of points meeting every requirement.
    pub all: Vec<f64>,
    /// [requirement][strategy]: share of points meeting that one.
    pub each: Vec<Vec<f64>>,
}

/// All robustness criteria.
#[derive(Debug, Clone, PartialEq)]
pub struct Robustness {
    /// One per regret criterion, in the order asked.
    pub metrics: Vec<MetricRegret>,
    pub satisficing: Option<Satisficing>,
    /// Per strategy: weighted normalised regret, 0 (best at every point on every weighted
    /// metric) to 1 (the worst shortfall seen, everywhere); `None` without weights.
    pub weighted: Option<Vec<f64>>,
}

/// Computes every criterion of `c` from `ctx` (which must hold every metric `c` needs).
pub fn robustness(ctx: &Contexts, c: &Criteria) -> Robustness {
    let metrics: Vec<MetricRegret> = c.metrics.iter().map(|m| metric_regret(ctx, m)).collect();
    let satisficing = (!c.requirements.is_empty()).then(|| satisficing(ctx, c));
    let weighted = (!c.weights.is_empty()).then(|| weighted(ctx, c));
    Robustness {
        metrics,
        satisficing,
        weighted,
    }
}

/// Regret of every strategy at every point on `metric`: regrets[point][strategy].
pub fn regrets(ctx: &Contexts, metric: &str) -> Vec<Vec<f64>> {
    let m = ctx.metric(metric).expect("the metric was read");
    let dir = metrics::direction(metric);
    (0..ctx.points)
        .map(|p| {
            let values: Vec<f64> = (0..ctx.strategies.len())
                .map(|s| ctx.cell(p, s, m).mean)
                .collect();
            let best = best_value(dir, &values);
            values.iter().map(|&v| dir.regret(v, best)).collect()
        })
        .collect()
}

fn best_value(dir: Direction, values: &[f64]) -> f64 {
    let pick = if dir == Direction::Higher {
        f64::max
    } else {
        f64::min
    };
    values.iter().copied().reduce(pick).unwrap_or(0.0)
}

fn metric_regret(ctx: &Contexts, metric: &str) -> MetricRegret {
    let m = ctx.metric(metric).expect("the metric was read");
    let dir = metrics::direction(metric);
    let s_n = ctx.strategies.len();
    let points = ctx.points.max(1) as f64;
    let table = regrets(ctx, metric);
    let intervals = ctx.seeds().0 >= 2;
    let mut winners = Vec::with_capacity(ctx.points);
    let mut close = Vec::with_capacity(ctx.points);
    let mut best_share = vec![0.0; s_n];
    let mut clear = vec![0usize; s_n];
    for (p, row) in table.iter().enumerate() {
        let w: Vec<usize> = (0..s_n).filter(|&s| row[s] == 0.0).collect();
        for &s in &w {
            best_share[s] += 1.0 / w.len() as f64;
        }
        let doubt = w.len() > 1 || (intervals && overlaps_runner_up(ctx, p, m, dir, w[0]));
        if intervals && !doubt {
            clear[w[0]] += 1;
        }
        close.push(intervals && doubt);
        winners.push(w);
    }
    let strategies = (0..s_n)
        .map(|s| {
            let column: Vec<f64> = table.iter().map(|row| row[s]).collect();
            let mut sorted = column.clone();
            sorted.sort_by(f64::total_cmp);
            let values: f64 = (0..ctx.points).map(|p| ctx.cell(p, s, m).mean).sum();
            StrategyRegret {
                mean: values / points,
                mean_regret: column.iter().sum::<f64>() / points,
                p90_regret: quantile(&sorted, 0.9),
                max_regret: sorted.last().copied().unwrap_or(0.0),
                share_best: best_share[s] / points,
                share_best_clear: intervals.then(|| clear[s] as f64 / points),
            }
        })
        .collect();
    let close_share = intervals.then(|| close.iter().filter(|&&c| c).count() as f64 / points);
    MetricRegret {
        metric: metric.to_string(),
        direction: dir,
        strategies,
        winners,
        close,
        close_share,
    }
}

/// Whether the sole winner's 95% interval at point `p` overlaps that of the runner-up (the
/// best of the others).
fn overlaps_runner_up(ctx: &Contexts, p: usize, m: usize, dir: Direction, winner: usize) -> bool {
    let mut runner: Option<usize> = None;
    for s in (0..ctx.strategies.len()).filter(|&s| s != winner) {
        let v = ctx.cell(p, s, m).mean;
        if runner.is_none_or(|r| dir.better(v, ctx.cell(p, r, m).mean)) {
            runner = Some(s);
        }
    }
    let Some(r) = runner else {
        return false;
    };
    let (a, b) = (ctx.cell(p, winner, m), ctx.cell(p, r, m));
    a.low <= b.high && b.low <= a.high
}

fn satisficing(ctx: &Contexts, c: &Criteria) -> Satisficing {
    let s_n = ctx.strategies.len();
    let points = ctx.points.max(1) as f64;
    let mut all = vec![0usize; s_n];
    let mut each = vec![vec![0usize; s_n]; c.requirements.len()];
    for p in 0..ctx.points {
        for s in 0..s_n {
            let mut every = true;
            for (k, r) in c.requirements.iter().enumerate() {
                let m = ctx.metric(&r.metric).expect("the metric was read");
                if r.op.holds(ctx.cell(p, s, m).mean, r.value) {
                    each[k][s] += 1;
                } else {
                    every = false;
                }
            }
            all[s] += usize::from(every);
        }
    }
    let share = |v: &Vec<usize>| v.iter().map(|&x| x as f64 / points).collect::<Vec<f64>>();
    Satisficing {
        requirements: c.requirements.iter().map(|r| r.text()).collect(),
        all: share(&all),
        each: each.iter().map(share).collect(),
    }
}

/// Sum over the weighted metrics of weight x mean over points of regret / the largest
/// regret seen on that metric (0 when every strategy ties everywhere).
fn weighted(ctx: &Contexts, c: &Criteria) -> Vec<f64> {
    let s_n = ctx.strategies.len();
    let points = ctx.points.max(1) as f64;
    let mut score = vec![0.0; s_n];
    for (metric, w) in &c.weights {
        let table = regrets(ctx, metric);
        let worst = table.iter().flatten().copied().fold(0.0, f64::max);
        if worst <= 0.0 {
            continue;
        }
        for (s, total) in score.iter_mut().enumerate() {
            let sum: f64 = table.iter().map(|row| row[s] / worst).sum();
            *total += w * sum / points;
        }
    }
    score
}

#[cfg(test)]
mod tests;
