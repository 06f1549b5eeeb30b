//! Regret, share best (with ties), satisficing and the weighted score on a case computed by
//! hand: three strategies, three context points, a cost and an income.

use super::*;
use crate::fit::settings::{FitSettings, Requirement};
use crate::fit::table::{Cell, Contexts};

fn names(list: &[&str]) -> Vec<String> {
    list.iter().map(|s| s.to_string()).collect()
}

/// cost (npv_cost_usd, lower is better) and income (mean_income_usd_week, higher):
///
/// | point | a cost | b cost | c cost | a income | b income | c income |
/// |-------|--------|--------|--------|----------|----------|----------|
/// | 0     | 10     | 12     | 15     | 50       | 60       | 40       |
/// | 1     | 20     | 18     | 18     | 55       | 55       | 55       |
/// | 2     | 30     | 35     | 25     | 70       | 50       | 60       |
///
/// Cost intervals are mean +- 1 except b at point 0 (+- 0.5); income's are +- 100 (always
/// overlapping).
fn hand_case() -> Contexts {
    let cost = [[10.0, 12.0, 15.0], [20.0, 18.0, 18.0], [30.0, 35.0, 25.0]];
    let income = [[50.0, 60.0, 40.0], [55.0, 55.0, 55.0], [70.0, 50.0, 60.0]];
    let mut cells = Vec::new();
    for p in 0..3 {
        for s in 0..3 {
            let half = if (p, s) == (0, 1) { 0.5 } else { 1.0 };
            let c = cost[p][s];
            cells.push(Cell {
                mean: c,
                low: c - half,
                high: c + half,
                n: 5,
            });
            let i = income[p][s];
            cells.push(Cell {
                mean: i,
                low: i - 100.0,
                high: i + 100.0,
                n: 5,
            });
        }
    }
    Contexts::from_parts(
        names(&["a", "b", "c"]),
        names(&["npv_cost_usd", "mean_income_usd_week"]),
        cells,
        Vec::new(),
    )
}

fn criteria(require: &[&str], weights: &[&str]) -> Criteria {
    let settings = FitSettings {
        metrics: names(&["npv_cost_usd", "mean_income_usd_week"]),
        require: names(require),
        weights: names(weights),
        ..FitSettings::default()
    };
    settings
        .check(
            &names(&["a", "b", "c"]),
            &names(&["npv_cost_usd", "mean_income_usd_week"]),
        )
        .unwrap()
}

fn near(a: f64, b: f64) {
    assert!((a - b).abs() < 1e-12, "{a} != {b}");
}

#[test]
fn regret_by_hand() {
    let r = robustness(&hand_case(), &criteria(&[], &[]));
    let cost = &r.metrics[0];
    assert_eq!(cost.direction, Direction::Lower);
    // Regrets: a 0, 2, 5; b 2, 0, 10; c 5, 0, 0.
    let expected = [
        (20.0, 7.0 / 3.0, 4.4, 5.0),
        (65.0 / 3.0, 4.0, 8.4, 10.0),
        (58.0 / 3.0, 5.0 / 3.0, 4.0, 5.0),
    ];
    for (s, (mean, mean_r, p90, max)) in expected.into_iter().enumerate() {
        let x = &cost.strategies[s];
        near(x.mean, mean);
        near(x.mean_regret, mean_r);
        near(x.p90_regret, p90);
        near(x.max_regret, max);
    }
    assert_eq!(cost.leader(), 2);
    assert_eq!(cost.ranking(), vec![2, 0, 1]);
    // a and c share the smallest maximum regret (5): the first in run order.
    assert_eq!(cost.minimax(), 0);
    // Income, more is better: regrets a 10, 0, 0; b 0, 0, 20; c 20, 0, 10.
    let income = &r.metrics[1];
    near(income.strategies[0].mean_regret, 10.0 / 3.0);
    near(income.strategies[1].max_regret, 20.0);
    near(income.strategies[2].mean_regret, 10.0);
}

#[test]
fn share_best_splits_ties() {
    let r = robustness(&hand_case(), &criteria(&[], &[]));
    // Cost: a best at 0; b and c tie at 1; c best at 2.
    let cost: Vec<f64> = r.metrics[0]
        .strategies
        .iter()
        .map(|s| s.share_best)
        .collect();
    near(cost[0], 1.0 / 3.0);
    near(cost[1], 1.0 / 6.0);
    near(cost[2], 0.5);
    assert_eq!(r.metrics[0].winners, vec![vec![0], vec![1, 2], vec![2]]);
    // Income: b at 0; all three tie at 1; a at 2.
    let income: Vec<f64> = r.metrics[1]
        .strategies
        .iter()
        .map(|s| s.share_best)
        .collect();
    near(income[0], 4.0 / 9.0);
    near(income[1], 4.0 / 9.0);
    near(income[2], 1.0 / 9.0);
    for m in &r.metrics {
        near(m.strategies.iter().map(|s| s.share_best).sum(), 1.0);
    }
}

#[test]
fn seed_noise_counts_close_calls() {
    let r = robustness(&hand_case(), &criteria(&[], &[]));
    let cost = &r.metrics[0];
    // Point 0: a [9, 11] clear of b [11.5, 12.5]; point 1: a tie; point 2: c [24, 26]
    // clear of the runner-up a [29, 31].
    assert_eq!(cost.close, vec![false, true, false]);
    near(cost.close_share.unwrap(), 1.0 / 3.0);
    let clear: Vec<f64> = cost
        .strategies
        .iter()
        .map(|s| s.share_best_clear.unwrap())
        .collect();
    assert_eq!(clear, vec![1.0 / 3.0, 0.0, 1.0 / 3.0]);
    // Income's intervals always overlap.
    near(r.metrics[1].close_share.unwrap(), 1.0);
}

#[test]
fn one_seed_has_no_intervals() {
    let mut ctx = hand_case();
    let cells: Vec<Cell> = (0..3)
        .flat_map(|p| (0..3).flat_map(move |s| (0..2).map(move |m| (p, s, m))))
        .map(|(p, s, m)| Cell {
            n: 1,
            ..ctx.cell(p, s, m)
        })
        .collect();
    ctx = Contexts::from_parts(
        ctx.strategies.clone(),
        ctx.metrics.clone(),
        cells,
        Vec::new(),
    );
    let r = robustness(&ctx, &criteria(&[], &[]));
    assert_eq!(r.metrics[0].close_share, None);
    assert_eq!(r.metrics[0].strategies[0].share_best_clear, None);
}

#[test]
fn satisficing_by_hand() {
    let c = criteria(&["npv_cost_usd<=20", "mean_income_usd_week>50"], &[]);
    assert_eq!(
        c.requirements[0],
        Requirement::parse("npv_cost_usd<=20").unwrap()
    );
    let s = robustness(&hand_case(), &c).satisficing.unwrap();
    assert_eq!(
        s.requirements,
        names(&["npv_cost_usd<=20", "mean_income_usd_week>50"])
    );
    // a meets both only at point 1; b at 0 and 1; c at 1.
    assert_eq!(s.all, vec![1.0 / 3.0, 2.0 / 3.0, 1.0 / 3.0]);
    assert_eq!(s.each[0], vec![2.0 / 3.0; 3]);
    assert_eq!(s.each[1], vec![2.0 / 3.0; 3]);
}

#[test]
fn weighted_score_by_hand() {
    let c = criteria(&[], &["npv_cost_usd=1", "mean_income_usd_week=1"]);
    let w = robustness(&hand_case(), &c).weighted.unwrap();
    // Regrets over the worst seen (cost 10, income 20), averaged, weights one half each.
    near(w[0], 0.2);
    near(w[1], 11.0 / 30.0);
    near(w[2], 1.0 / 3.0);
    assert!(
        robustness(&hand_case(), &criteria(&[], &[]))
            .weighted
            .is_none()
    );
}
