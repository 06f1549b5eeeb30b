//! Morris elementary effects: the sampling plan (trajectories on a grid) and the indices
//! `mu`, `mu*` and `sigma` (Morris 1991; `mu*` from Campolongo, Cariboni & Saltelli 2007).
//!
//! The unit hypercube `[0, 1]^k` is cut into a grid of `p` levels `{0, 1/(p-1), ..., 1}`.
//! A trajectory starts at a random grid point and moves one factor at a time, in random
//! order, by `Delta = p / (2 (p - 1))` (up or down), giving `k + 1` points. With `p` even,
//! every move stays on the grid and every grid level is visited with equal probability.
//!
//! The elementary effect of factor `i` is `EE_i = (y(after) - y(before)) / (+-Delta)`,
//! i.e. the change of the output per unit of the factor *as a share of its range*. A linear
//! output `y = c * x` in real units over `[low, high]` has `EE = c * (high - low)`.

use rand::RngExt;

use super::{SensitivityError, check_outputs, check_ranges, named_rng, to_real};

/// Morris indices of one factor, in output units per unit share of the factor's range.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MorrisIndex {
    /// Mean of the elementary effects: overall direction (effects of opposite signs cancel).
    pub mu: f64,
    /// Mean of the absolute elementary effects: overall importance (Campolongo et al. 2007).
    pub mu_star: f64,
    /// Standard deviation of the elementary effects (denominator `r - 1`; 0 when `r = 1`):
    /// large when the effect depends on where it is measured (non-linearity, interactions).
    pub sigma: f64,
}

/// Samples `trajectories` Morris trajectories over `ranges` on a grid of `levels` levels.
///
/// Returns `r * (k + 1)` points in real units, trajectory after trajectory: point
/// `t * (k + 1)` is the start of trajectory `t`, and each following point of the trajectory
/// differs from the one before in exactly one factor. Deterministic in `seed`.
///
/// Errors: no ranges or a range not finite with `low < high`; `trajectories = 0`;
/// `levels` below 2 or odd.
pub fn morris_sample(
    ranges: &[(f64, f64)],
    trajectories: usize,
    levels: usize,
    seed: u64,
) -> Result<Vec<Vec<f64>>, SensitivityError> {
    check_ranges(ranges)?;
    check_counts(trajectories, levels)?;
    let mut rng = named_rng(seed, "morris");
    let k = ranges.len();
    let half = levels / 2;
    let top = (levels - 1) as f64;
    let mut points = Vec::with_capacity(trajectories * (k + 1));
    for _ in 0..trajectories {
        // Draw order (fixed, so the sample is reproducible): factor order, then for each
        // factor in index order its direction and its starting level.
        let order = permutation(&mut rng, k);
        let mut grid = vec![0usize; k];
        let mut up = vec![true; k];
        for i in 0..k {
            up[i] = rng.random::<bool>();
            let base = rng.random_range(0..half as u64) as usize;
            // Up moves start in the lower half of the grid, down moves in the upper half,
            // so that a step of `half` grid cells (= Delta) never leaves [0, 1].
            grid[i] = if up[i] { base } else { base + half };
        }
        let to_point = |grid: &[usize]| -> Vec<f64> {
            grid.iter()
                .zip(ranges)
                .map(|(&g, &range)| to_real(range, g as f64 / top))
                .collect()
        };
        points.push(to_point(&grid));
        for &i in &order {
            grid[i] = if up[i] {
                grid[i] + half
            } else {
                grid[i] - half
            };
            points.push(to_point(&grid));
        }
    }
    Ok(points)
}

/// Computes Morris indices from the points of [`morris_sample`] and their outputs.
///
/// `points` must be whole trajectories in the order the sampler returned them (each of
/// `k + 1` points, consecutive points differing in one factor, each factor moved once);
/// `outputs[j]` is the model output at `points[j]`. The step of each move is read from the
/// points themselves, so the grid size need not be passed again. Returns one index per
/// factor, in the order of `ranges`.
pub fn morris_indices(
    ranges: &[(f64, f64)],
    points: &[Vec<f64>],
    outputs: &[f64],
) -> Result<Vec<MorrisIndex>, SensitivityError> {
    check_ranges(ranges)?;
    let k = ranges.len();
    if points.len() != outputs.len() {
        return Err(SensitivityError::WrongCount {
            what: "outputs",
            expected: points.len(),
            got: outputs.len(),
        });
    }
    if points.is_empty() || !points.len().is_multiple_of(k + 1) {
        return Err(SensitivityError::WrongCount {
            what: "points",
            expected: (points.len() / (k + 1)).max(1) * (k + 1),
            got: points.len(),
        });
    }
    if let Some(bad) = points.iter().find(|p| p.len() != k) {
        return Err(SensitivityError::WrongCount {
            what: "coordinates",
            expected: k,
            got: bad.len(),
        });
    }
    check_outputs(outputs)?;
    let mut effects: Vec<Vec<f64>> = vec![Vec::new(); k];
    for (t, (traj, ys)) in points.chunks(k + 1).zip(outputs.chunks(k + 1)).enumerate() {
        trajectory_effects(ranges, traj, ys, t, &mut effects)?;
    }
    Ok(effects.iter().map(|ee| summarise(ee)).collect())
}

/// Adds the `k` elementary effects of one trajectory to `effects`.
fn trajectory_effects(
    ranges: &[(f64, f64)],
    traj: &[Vec<f64>],
    ys: &[f64],
    trajectory: usize,
    effects: &mut [Vec<f64>],
) -> Result<(), SensitivityError> {
    let mut moved = vec![false; ranges.len()];
    for step in 1..traj.len() {
        let (before, after) = (&traj[step - 1], &traj[step]);
        let mut changed = (0..ranges.len()).filter(|&i| before[i] != after[i]);
        let i = match (changed.next(), changed.next()) {
            (Some(i), None) if !moved[i] => i,
            _ => return Err(SensitivityError::NotATrajectory { trajectory, step }),
        };
        moved[i] = true;
        let (low, high) = ranges[i];
        let delta = (after[i] - before[i]) / (high - low);
        effects[i].push((ys[step] - ys[step - 1]) / delta);
    }
    Ok(())
}

/// `mu`, `mu*` and `sigma` of one factor's elementary effects.
fn summarise(ee: &[f64]) -> MorrisIndex {
    let r = ee.len() as f64;
    let mu = ee.iter().sum::<f64>() / r;
    let mu_star = ee.iter().map(|e| e.abs()).sum::<f64>() / r;
    let sigma = if ee.len() < 2 {
        0.0
    } else {
        (ee.iter().map(|e| (e - mu).powi(2)).sum::<f64>() / (r - 1.0)).sqrt()
    };
    MorrisIndex { mu, mu_star, sigma }
}

fn check_counts(trajectories: usize, levels: usize) -> Result<(), SensitivityError> {
    if trajectories == 0 {
        return Err(SensitivityError::TooFew {
            what: "Morris trajectories",
            min: 1,
            got: 0,
        });
    }
    if levels < 2 {
        return Err(SensitivityError::TooFew {
            what: "Morris levels",
            min: 2,
            got: levels,
        });
    }
    if !levels.is_multiple_of(2) {
        return Err(SensitivityError::OddLevels(levels));
    }
    Ok(())
}

/// A uniformly random permutation of `0..n` (Fisher-Yates). Written out, with `u64` draws,
/// so that the result does not depend on the platform's `usize` width.
pub(crate) fn permutation(rng: &mut impl RngExt, n: usize) -> Vec<usize> {
    let mut items: Vec<usize> = (0..n).collect();
    for i in (1..n).rev() {
        let j = rng.random_range(0..=i as u64) as usize;
        items.swap(i, j);
    }
    items
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::f64::consts::PI;

    fn ishigami(x: &[f64]) -> f64 {
        x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
    }

    #[test]
    fn trajectories_move_one_factor_at_a_time_on_the_grid() {
        let ranges = [(0.0, 1.0), (10.0, 20.0), (-3.0, 3.0)];
        let pts = morris_sample(&ranges, 5, 4, 3).unwrap();
        assert_eq!(pts.len(), 5 * 4);
        for traj in pts.chunks(4) {
            for w in traj.windows(2) {
                let diffs: Vec<usize> = (0..3).filter(|&i| w[0][i] != w[1][i]).collect();
                assert_eq!(diffs.len(), 1);
                let i = diffs[0];
                let share = (w[1][i] - w[0][i]).abs() / (ranges[i].1 - ranges[i].0);
                assert!((share - 2.0 / 3.0).abs() < 1e-12, "Delta = p/(2(p-1))");
            }
        }
        assert_eq!(pts, morris_sample(&ranges, 5, 4, 3).unwrap());
        assert_ne!(pts, morris_sample(&ranges, 5, 4, 4).unwrap());
    }

    #[test]
    fn linear_function_gives_exact_effects() {
        let ranges = [(0.0, 2.0), (-5.0, 5.0), (100.0, 101.0)];
        let c = [3.0, -0.5, 0.0];
        let pts = morris_sample(&ranges, 10, 6, 11).unwrap();
        let ys: Vec<f64> = pts
            .iter()
            .map(|x| x.iter().zip(&c).map(|(a, b)| a * b).sum())
            .collect();
        let idx = morris_indices(&ranges, &pts, &ys).unwrap();
        let expected = [6.0, 5.0, 0.0]; // |c_i| * (high - low)
        for (m, (e, ci)) in idx.iter().zip(expected.iter().zip(&c)) {
            assert!((m.mu_star - e).abs() < 1e-9, "{m:?} vs {e}");
            assert!((m.mu - e * ci.signum()).abs() < 1e-9, "{m:?}");
            assert!(m.sigma < 1e-9, "{m:?}");
        }
    }

    /// On the p = 4 grid of [-pi, pi] the effects of the Ishigami function take few values,
    /// so the expected `mu*` follow by hand (each grid level is equally likely):
    /// - x2 moves between sin^2 = 0 and 3/4: |EE| = 7 * 0.75 / (2/3) = 7.875 always;
    /// - x1 moves between sin = 0 and +-sqrt(3)/2 upwards: EE = 1.299 (1 + 0.1 x3^4) with
    ///   x3^4 = pi^4 or (pi/3)^4 each half the time: mu = mu* = 7.704, sigma ~ 6.25;
    /// - x3: |EE| = 0.1 |sin x1| (pi^4 - (pi/3)^4) / (2/3) = 12.50 when sin x1 != 0 (half
    ///   the time), else 0: mu* = 6.25.
    ///
    /// So mu*(x2) > mu*(x1) > mu*(x3) > 0 (as in SALib's Ishigami example) and sigma(x1) > 0
    /// from the x1-x3 interaction.
    #[test]
    fn ishigami_matches_hand_computed_effects() {
        let ranges = [(-PI, PI); 3];
        let r = 1000;
        let pts = morris_sample(&ranges, r, 4, 2024).unwrap();
        let ys: Vec<f64> = pts.iter().map(|x| ishigami(x)).collect();
        let idx = morris_indices(&ranges, &pts, &ys).unwrap();
        let s3 = 3f64.sqrt() / 2.0;
        let (far, near) = (PI.powi(4), (PI / 3.0).powi(4));
        let mu1 = s3 / (2.0 / 3.0) * (1.0 + 0.1 * (far + near) / 2.0);
        let mu3 = 0.5 * 0.1 * s3 * (far - near) / (2.0 / 3.0);
        // Standard errors with r = 1000: about 6.25 / sqrt(1000) = 0.2; allow 3 of them.
        assert!((idx[1].mu_star - 7.875).abs() < 1e-9, "{:?}", idx[1]);
        assert!((idx[0].mu_star - mu1).abs() < 0.6, "{:?} vs {mu1}", idx[0]);
        assert!(
            (idx[0].mu - idx[0].mu_star).abs() < 1e-9,
            "x1 effects all positive"
        );
        assert!((idx[0].sigma - 6.25).abs() < 0.3, "{:?}", idx[0]);
        assert!((idx[2].mu_star - mu3).abs() < 0.6, "{:?} vs {mu3}", idx[2]);
        assert!(idx[2].mu.abs() < 1.2, "x3 effects symmetric: {:?}", idx[2]);
    }

    #[test]
    fn bad_arguments_are_errors_not_panics() {
        let ranges = [(0.0, 1.0), (0.0, 1.0)];
        assert_eq!(
            morris_sample(&ranges, 2, 5, 1),
            Err(SensitivityError::OddLevels(5))
        );
        assert!(matches!(
            morris_sample(&ranges, 0, 4, 1),
            Err(SensitivityError::TooFew { .. })
        ));
        let pts = morris_sample(&ranges, 2, 4, 1).unwrap();
        assert!(matches!(
            morris_indices(&ranges, &pts, &[0.0; 5]),
            Err(SensitivityError::WrongCount { .. })
        ));
        let mut ys = vec![0.0; 6];
        ys[2] = f64::NAN;
        assert!(matches!(
            morris_indices(&ranges, &pts, &ys),
            Err(SensitivityError::NonFinite { index: 2, .. })
        ));
        let mut shuffled = pts.clone();
        shuffled.swap(1, 4);
        assert!(matches!(
            morris_indices(&ranges, &shuffled, &[0.0; 6]),
            Err(SensitivityError::NotATrajectory { .. })
        ));
    }
}
