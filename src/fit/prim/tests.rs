//! PRIM on hand-checked pieces and on a synthetic case with a known box.

use super::*;
use rand::{RngExt, SeedableRng};

const EMA: PrimParams = PrimParams {
    peel_alpha: 0.05,
    paste_alpha: 0.05,
    mass_min: 0.05,
    threshold: 0.8,
};

/// `n` points uniform in [0, 1]^k and "yes" inside [0.2, 0.6] x [0.5, 1] (dimensions 0 and
/// 1) and nowhere else.
pub(crate) fn known_box(n: usize, k: usize, seed: u64) -> (Vec<Vec<f64>>, Vec<bool>) {
    let mut rng = rand_pcg::Pcg64Mcg::seed_from_u64(seed);
    let mut x = vec![Vec::with_capacity(n); k];
    for _ in 0..n {
        for d in x.iter_mut() {
            d.push(rng.random::<f64>());
        }
    }
    let y = (0..n)
        .map(|i| (0.2..=0.6).contains(&x[0][i]) && x[1][i] >= 0.5)
        .collect();
    (x, y)
}

#[test]
fn quantile_moves_past_ties_as_ema_does() {
    assert_eq!(ema_quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.25), 2.5);
    assert_eq!(ema_quantile(&[1.0, 2.0, 3.0, 4.0, 5.0], 0.75), 3.5);
    // Lower quantile at a run of ties: move up to the next distinct value.
    assert_eq!(ema_quantile(&[1.0, 1.0, 1.0, 2.0], 0.05), 1.5);
    // Upper: move down.
    assert_eq!(ema_quantile(&[1.0, 3.0, 3.0, 3.0], 0.95), 2.0);
    // At exactly the median the lower rule applies: halfway to the next value up.
    assert_eq!(ema_quantile(&[5.0, 1.0, 3.0], 0.5), 4.0);
}

#[test]
fn binomial_tail_matches_hand_values() {
    assert!((binomial_upper_tail(2, 3, 0.5) - 0.5).abs() < 1e-12);
    assert!((binomial_upper_tail(3, 3, 0.5) - 0.125).abs() < 1e-12);
    assert!((binomial_upper_tail(1, 2, 0.1) - 0.19).abs() < 1e-12);
    assert_eq!(binomial_upper_tail(0, 5, 0.3), 1.0);
    assert_eq!(binomial_upper_tail(2, 5, 0.0), 0.0);
    assert_eq!(binomial_upper_tail(2, 5, 1.0), 1.0);
    // Far tail: P(X >= 90 | 100, 0.5) is about 1.53e-17.
    let far = binomial_upper_tail(90, 100, 0.5);
    assert!(
        (far / 1.531_645_200_185_414e-17 - 1.0).abs() < 1e-6,
        "{far}"
    );
}

#[test]
fn recovers_a_known_box_within_a_peel_step() {
    let (x, y) = known_box(1000, 3, 11);
    // The box of interest is pure: choose on the trajectory at a density of 0.95.
    let t = prim(
        &x,
        &y,
        &PrimParams {
            threshold: 0.95,
            ..EMA
        },
    );
    let chosen = &t.steps[t.chosen];
    assert!(t.meets_threshold);
    assert_eq!(chosen.restricted, vec![0, 1], "{chosen:?}");
    // A peel step is 5% of the box's points: about 0.05 of a unit range or less.
    let step = 0.05;
    let (lo0, hi0) = chosen.limits[0];
    let (lo1, hi1) = chosen.limits[1];
    assert!(
        (lo0 - 0.2).abs() <= step && (hi0 - 0.6).abs() <= step,
        "{chosen:?}"
    );
    assert!((lo1 - 0.5).abs() <= step, "{chosen:?}");
    assert_eq!(hi1, t.init[1].1, "no restriction from above on dimension 1");
    assert!(
        chosen.density >= 0.95 && chosen.coverage >= 0.8,
        "{chosen:?}"
    );
    // The densest box on the trajectory is the true box.
    let densest = t.steps.iter().map(|s| s.density).fold(0.0, f64::max);
    assert_eq!(densest, 1.0);
    // At the default threshold (0.8) the chosen box trades density for coverage: it holds
    // every "yes" point, and more.
    let lenient = prim(&x, &y, &EMA);
    let wide = &lenient.steps[lenient.chosen];
    assert!(
        wide.coverage >= chosen.coverage && wide.density >= 0.8,
        "{wide:?}"
    );
    // Both restrictions are far from chance.
    for qp in &chosen.qp {
        for v in [qp.0, qp.1].into_iter().flatten() {
            assert!(v < 1e-6, "{chosen:?}");
        }
    }
}

#[test]
fn trajectory_statistics_are_consistent() {
    let (x, y) = known_box(400, 2, 3);
    let t = prim(&x, &y, &EMA);
    let first = &t.steps[0];
    assert_eq!((first.coverage, first.mass), (1.0, 1.0));
    assert!(first.restricted.is_empty());
    let total_yes = y.iter().filter(|&&v| v).count();
    for s in &t.steps {
        assert_eq!(s.density, s.yes as f64 / s.n as f64);
        assert_eq!(s.coverage, s.yes as f64 / total_yes as f64);
        assert!(s.mass >= EMA.mass_min);
        assert_eq!(s.qp.len(), s.restricted.len());
    }
    // Peeling only ever shrinks the box.
    let peels: Vec<&Step> = t.steps.iter().take_while(|s| !s.pasted).collect();
    assert!(peels.windows(2).all(|w| w[1].n < w[0].n));
}

#[test]
fn no_yes_points_gives_the_whole_box() {
    let x = vec![vec![0.0, 0.5, 1.0]];
    let t = prim(&x, &[false, false, false], &EMA);
    assert_eq!(t.steps.len(), 1);
    assert_eq!((t.chosen, t.meets_threshold), (0, false));
    assert_eq!(t.steps[0].coverage, 0.0);
}

#[test]
fn a_question_true_almost_everywhere_chooses_the_whole_box() {
    let (x, _) = known_box(200, 2, 5);
    let y: Vec<bool> = (0..200).map(|i| i % 10 != 0).collect();
    let t = prim(&x, &y, &EMA);
    assert_eq!(t.chosen, 0);
    assert!(t.meets_threshold);
}

#[test]
fn params_are_checked() {
    assert!(EMA.check().is_ok());
    let bad = PrimParams {
        mass_min: 0.0,
        ..EMA
    };
    assert!(bad.check().unwrap_err().contains("--mass-min"));
    let bad = PrimParams {
        threshold: 1.5,
        ..EMA
    };
    assert!(bad.check().is_err());
}
