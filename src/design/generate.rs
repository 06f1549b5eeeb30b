//! Expanding a [`Design`] into its points, and handing the outputs of a sensitivity design
//! back to [`crate::sensitivity`].
//!
//! Random draws come from RNGs named after their purpose (`lhs/<key>`, and the samplers'
//! own), so a factor's Latin hypercube column depends only on the seed, its key and the
//! number of points: adding or reordering factors leaves the other columns alone.

use rand::RngExt;

use super::{Analysis, Design, DesignError, DesignPoint, Factor, FactorSpec, FactorValue, Method};
use crate::sensitivity::morris::permutation;
use crate::sensitivity::{self, named_rng};

impl Design {
    /// The design's points, in a fixed order:
    ///
    /// - `factorial`: the cartesian product of the factors' levels, in file order, the last
    ///   factor varying fastest (levels of a range: evenly spaced, both ends included);
    /// - `latin_hypercube`: `points` points; each range is cut into `points` equal strata and
    ///   every stratum is used exactly once, at a uniform position inside it; a list factor
    ///   takes value `values[s * m / points]` for stratum `s` of `points` (each of its `m`
    ///   values used equally often, within one); strata are shuffled per factor;
    /// - `table`: the rows, in file order;
    /// - `morris`: the trajectories of [`sensitivity::morris_sample`];
    /// - `sobol`: the rows of [`sensitivity::saltelli_sample`] (`A`, `B`, then `A_B^i`).
    ///
    /// Integer factors are rounded to the nearest whole number (halves away from zero).
    /// Deterministic: the same design gives the same points on any machine.
    ///
    /// Errors only for a hand-built design that the file reader would have refused
    /// (e.g. a list factor in a `sobol` design, or an odd number of Morris levels).
    pub fn points(&self) -> Result<Vec<DesignPoint>, DesignError> {
        let rows = match &self.method {
            Method::Factorial => self.factorial(),
            Method::LatinHypercube { points } => self.latin_hypercube(*points),
            Method::Table { rows } => rows.clone(),
            Method::Morris {
                trajectories,
                levels,
            } => {
                let ranges = self.ranges()?;
                let unit = sensitivity::morris_sample(&ranges, *trajectories, *levels, self.seed)?;
                self.to_values(unit)
            }
            Method::Sobol { samples, .. } => {
                let ranges = self.ranges()?;
                self.to_values(sensitivity::saltelli_sample(&ranges, *samples, self.seed)?)
            }
        };
        let keys: Vec<&String> = self.factors.iter().map(|f| &f.key).collect();
        Ok(rows
            .into_iter()
            .enumerate()
            .map(|(id, row)| DesignPoint {
                id,
                values: keys.iter().map(|k| (*k).clone()).zip(row).collect(),
            })
            .collect())
    }

    /// Sensitivity indices of one model output from a `morris` or `sobol` design.
    ///
    /// `outputs[j]` is the output at point `j` of [`Design::points`]. Morris effects are
    /// computed from the unrounded sample, so rounding of integer factors slightly blurs
    /// them; Sobol confidence intervals use the design's seed for the bootstrap.
    pub fn analyse(&self, outputs: &[f64]) -> Result<Analysis, DesignError> {
        match &self.method {
            Method::Morris {
                trajectories,
                levels,
            } => {
                let ranges = self.ranges()?;
                let points =
                    sensitivity::morris_sample(&ranges, *trajectories, *levels, self.seed)?;
                let indices = sensitivity::morris_indices(&ranges, &points, outputs)?;
                Ok(Analysis::Morris(indices))
            }
            Method::Sobol { samples, bootstrap } => {
                let k = self.ranges()?.len();
                let indices =
                    sensitivity::sobol_indices(k, *samples, outputs, *bootstrap, self.seed)?;
                Ok(Analysis::Sobol(indices))
            }
            other => Err(DesignError::NoAnalysis(other.name())),
        }
    }

    fn factorial(&self) -> Vec<Vec<FactorValue>> {
        let levels: Vec<Vec<FactorValue>> = self.factors.iter().map(|f| levels(&f.spec)).collect();
        if levels.iter().any(Vec::is_empty) {
            return Vec::new();
        }
        // An odometer over level indices: the last factor turns fastest.
        let mut index = vec![0usize; levels.len()];
        let mut rows = Vec::new();
        loop {
            rows.push(
                index
                    .iter()
                    .zip(&levels)
                    .map(|(&i, l)| l[i].clone())
                    .collect(),
            );
            let mut f = levels.len();
            loop {
                if f == 0 {
                    return rows;
                }
                f -= 1;
                index[f] += 1;
                if index[f] < levels[f].len() {
                    break;
                }
                index[f] = 0;
            }
        }
    }

    fn latin_hypercube(&self, n: usize) -> Vec<Vec<FactorValue>> {
        // As for a product, an empty list leaves no point (only a hand-built design has one).
        let empty_list = |f: &Factor| matches!(&f.spec, FactorSpec::Values(v) if v.is_empty());
        if self.factors.iter().any(empty_list) {
            return Vec::new();
        }
        let columns: Vec<Vec<FactorValue>> = self
            .factors
            .iter()
            .map(|f| {
                // Draw order: the strata permutation, then one uniform per point.
                let mut rng = named_rng(self.seed, &format!("lhs/{}", f.key));
                let strata = permutation(&mut rng, n);
                strata
                    .iter()
                    .map(|&s| match &f.spec {
                        FactorSpec::Range {
                            low, high, integer, ..
                        } => {
                            let u = (s as f64 + rng.random::<f64>()) / n as f64;
                            number(sensitivity::to_real((*low, *high), u), *integer)
                        }
                        FactorSpec::Values(values) => values[s * values.len() / n].clone(),
                    })
                    .collect()
            })
            .collect();
        (0..n)
            .map(|j| columns.iter().map(|c| c[j].clone()).collect())
            .collect()
    }

    /// Real-valued sampler rows to factor values (rounding integer factors).
    fn to_values(&self, rows: Vec<Vec<f64>>) -> Vec<Vec<FactorValue>> {
        rows.into_iter()
            .map(|row| {
                row.into_iter()
                    .zip(&self.factors)
                    .map(|(x, f)| {
                        let integer = matches!(f.spec, FactorSpec::Range { integer: true, .. });
                        number(x, integer)
                    })
                    .collect()
            })
            .collect()
    }
}

/// Factorial levels of one factor: a list as given, a range evenly spaced with both ends.
fn levels(spec: &FactorSpec) -> Vec<FactorValue> {
    match spec {
        FactorSpec::Values(values) => values.clone(),
        FactorSpec::Range {
            low,
            high,
            levels,
            integer,
        } => {
            let last = levels.saturating_sub(1).max(1) as f64;
            (0..*levels)
                .map(|i| {
                    number(
                        sensitivity::to_real((*low, *high), i as f64 / last),
                        *integer,
                    )
                })
                .collect()
        }
    }
}

/// A sampled number as a factor value: rounded to a whole number for integer factors.
fn number(x: f64, integer: bool) -> FactorValue {
    if integer {
        // Bounds are whole and finite (checked on reading), so the rounded value fits.
        FactorValue::Integer(x.round() as i64)
    } else {
        FactorValue::Number(x)
    }
}
