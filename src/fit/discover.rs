//! Scenario discovery (Bryant & Lempert 2010): for each question ("where does collaboration
//! cost less than co-existence?") a yes or no at every context point, and the PRIM box of
//! contexts where the answer is mostly yes. By default the questions ask, on the primary
//! metric, where each other strategy beats the one that holds up best (the leader): exactly
//! where the recommendation would change. Also picks the two context dimensions that matter
//! most, for the fit map. Output goes to boxes.csv, the fit map and the briefing.

use super::prim::{PrimParams, Trajectory, prim};
use super::regret::MetricRegret;
use super::settings::Question;
use super::table::Contexts;

/// One question answered across the contexts.
#[derive(Debug, Clone, PartialEq)]
pub struct Discovery {
    pub question: Question,
    /// The answer at every point.
    pub yes: Vec<bool>,
    /// Share of points where the answer is yes.
    pub yes_share: f64,
    pub trajectory: Trajectory,
}

/// The default questions: where each other strategy beats the leader on the primary metric,
/// challengers in order from the runner-up down.
pub fn default_questions(primary: &MetricRegret, strategies: &[String]) -> Vec<Question> {
    let ranking = primary.ranking();
    let leader = &strategies[ranking[0]];
    ranking[1..]
        .iter()
        .map(|&c| Question::beats(&primary.metric, &strategies[c], leader))
        .collect()
}

/// The answer to `q` at every point: the first strategy's mean below (or above) the second's.
pub fn answers(ctx: &Contexts, q: &Question) -> Vec<bool> {
    let m = ctx
        .metric(&q.metric)
        .expect("the question's metric was read");
    let (a, b) = (
        ctx.strategy(&q.first).expect("a checked strategy"),
        ctx.strategy(&q.second).expect("a checked strategy"),
    );
    (0..ctx.points)
        .map(|p| {
            let (x, y) = (ctx.cell(p, a, m).mean, ctx.cell(p, b, m).mean);
            if q.less { x < y } else { x > y }
        })
        .collect()
}

/// Runs PRIM for every question over the numeric context dimensions.
pub fn discover(ctx: &Contexts, questions: &[Question], params: &PrimParams) -> Vec<Discovery> {
    let x: Vec<Vec<f64>> = ctx.dims.iter().map(|d| d.values.clone()).collect();
    questions
        .iter()
        .map(|q| {
            let yes = answers(ctx, q);
            let share = yes.iter().filter(|&&v| v).count() as f64 / yes.len().max(1) as f64;
            Discovery {
                question: q.clone(),
                trajectory: prim(&x, &yes, params),
                yes,
                yes_share: share,
            }
        })
        .collect()
}

/// Fewest distinct values a dimension needs to be an axis of the fit map; one with fewer
/// (a switch such as a legal gate) splits the map into panels instead.
const MAP_MIN_DISTINCT: usize = 5;

/// A restriction counts towards "what matters" only if its clearer side's quasi-p-value is
/// at most this: looser ones may be chance (Bryant & Lempert 2010 read 0.05-0.1 as weak).
pub const CLEAR_QP: f64 = 0.1;

/// How the fit map lays out the contexts: two context dimensions across and up, and
/// optionally a switch (few distinct values) that splits the map into one panel per value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct MapLayout {
    pub x: usize,
    pub y: usize,
    pub panels: Option<usize>,
}

fn distinct(values: &[f64]) -> usize {
    let mut v = values.to_vec();
    v.sort_by(f64::total_cmp);
    v.dedup();
    v.len()
}

/// The context dimensions that matter most: first those the chosen boxes (reaching the
/// density threshold) narrow most with clear restrictions (summed over questions, each
/// counting the share of the range it cuts away), then those whose values differ most
/// between the points each strategy wins on the primary metric and all points. The top two
/// with a spread of values are the axes; a switch ranked above them, with a clear
/// restriction, splits the map into panels. `None` with fewer than two axes.
pub fn map_layout(
    ctx: &Contexts,
    found: &[Discovery],
    primary: &MetricRegret,
) -> Option<MapLayout> {
    let ranges: Vec<(f64, f64)> = ctx.dims.iter().map(|d| d.range()).collect();
    let mut narrowing = vec![0.0; ctx.dims.len()];
    for f in found.iter().filter(|f| f.trajectory.meets_threshold) {
        let step = &f.trajectory.steps[f.trajectory.chosen];
        for (&d, qp) in step.restricted.iter().zip(&step.qp) {
            let clear = [qp.0, qp.1].into_iter().flatten().any(|p| p <= CLEAR_QP);
            if clear {
                let (lo, hi) = step.limits[d];
                let (r_lo, r_hi) = ranges[d];
                narrowing[d] += 1.0 - (hi - lo) / (r_hi - r_lo);
            }
        }
    }
    let separation: Vec<f64> = (0..ctx.dims.len())
        .map(|d| separation(ctx, d, ranges[d], primary))
        .collect();
    let mut order: Vec<usize> = (0..ctx.dims.len()).collect();
    order.sort_by(|&a, &b| {
        narrowing[b]
            .total_cmp(&narrowing[a])
            .then(separation[b].total_cmp(&separation[a]))
            .then(a.cmp(&b))
    });
    let spread: Vec<usize> = order
        .iter()
        .copied()
        .filter(|&d| distinct(&ctx.dims[d].values) >= MAP_MIN_DISTINCT)
        .collect();
    let (&x, &y) = (spread.first()?, spread.get(1)?);
    let panels = order
        .iter()
        .copied()
        .take_while(|&d| d != x)
        .find(|&d| narrowing[d] > 0.0);
    Some(MapLayout { x, y, panels })
}

/// Largest gap, over strategies, between the mean of dimension `d` at the points the
/// strategy wins and at all points, as a share of the range.
fn separation(ctx: &Contexts, d: usize, range: (f64, f64), primary: &MetricRegret) -> f64 {
    let values = &ctx.dims[d].values;
    let all = values.iter().sum::<f64>() / values.len().max(1) as f64;
    let mut most: f64 = 0.0;
    for s in 0..ctx.strategies.len() {
        let won: Vec<f64> = (0..ctx.points)
            .filter(|&p| primary.winners[p].contains(&s))
            .map(|p| values[p])
            .collect();
        if !won.is_empty() {
            let mean = won.iter().sum::<f64>() / won.len() as f64;
            most = most.max((mean - all).abs() / (range.1 - range.0));
        }
    }
    most
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::fit::metrics::Direction;
    use crate::fit::regret::StrategyRegret;
    use crate::fit::table::{Cell, Dimension};

    /// Two strategies over 200 points: "b" is cheaper exactly where x0 > 0.5 (x1, x2 noise).
    fn case() -> Contexts {
        let n = 200;
        let dim = |k: usize| Dimension {
            key: format!("x{k}"),
            values: (0..n)
                .map(|i| ((i * (7 + 6 * k) + k) % n) as f64 / n as f64)
                .collect(),
        };
        let dims = vec![dim(0), dim(1), dim(2)];
        let mut cells = Vec::new();
        for p in 0..n {
            let b = if dims[0].values[p] > 0.5 { 9.0 } else { 11.0 };
            for v in [10.0, b] {
                cells.push(Cell {
                    mean: v,
                    low: v,
                    high: v,
                    n: 1,
                });
            }
        }
        let names = |l: &[&str]| l.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        Contexts::from_parts(names(&["a", "b"]), names(&["npv_cost_usd"]), cells, dims)
    }

    fn primary(ctx: &Contexts) -> MetricRegret {
        let criteria = crate::fit::settings::FitSettings {
            metrics: vec!["npv_cost_usd".into()],
            ..Default::default()
        }
        .check(&ctx.strategies, &ctx.metrics)
        .unwrap();
        crate::fit::regret::robustness(ctx, &criteria)
            .metrics
            .remove(0)
    }

    #[test]
    fn default_questions_ask_where_challengers_beat_the_leader() {
        let r = MetricRegret {
            metric: "npv_cost_usd".into(),
            direction: Direction::Lower,
            strategies: [3.0, 1.0, 2.0]
                .iter()
                .map(|&m| StrategyRegret {
                    mean: 0.0,
                    mean_regret: m,
                    p90_regret: m,
                    max_regret: m,
                    share_best: 0.0,
                    share_best_clear: None,
                })
                .collect(),
            winners: Vec::new(),
            close: Vec::new(),
            close_share: None,
        };
        let names: Vec<String> = ["a", "b", "c"].iter().map(|s| s.to_string()).collect();
        let q: Vec<String> = default_questions(&r, &names)
            .iter()
            .map(Question::text)
            .collect();
        assert_eq!(q, vec!["npv_cost_usd:c<b", "npv_cost_usd:a<b"]);
    }

    #[test]
    fn finds_where_the_challenger_wins_and_maps_that_dimension() {
        let ctx = case();
        let q = Question::parse("npv_cost_usd:b<a").unwrap();
        let params = PrimParams {
            peel_alpha: 0.05,
            paste_alpha: 0.05,
            mass_min: 0.05,
            threshold: 1.0,
        };
        let found = discover(&ctx, std::slice::from_ref(&q), &params);
        let d = &found[0];
        assert!((d.yes_share - 0.5).abs() < 0.01);
        let chosen = &d.trajectory.steps[d.trajectory.chosen];
        assert_eq!(chosen.restricted, vec![0], "{chosen:?}");
        assert!(
            (chosen.limits[0].0 - 0.5).abs() < 0.03 && chosen.density == 1.0,
            "{chosen:?}"
        );
        let primary = primary(&ctx);
        let layout = map_layout(&ctx, &found, &primary).unwrap();
        assert_eq!((layout.x, layout.panels), (0, None));
    }
}
