//! Sensitivity indices of every output and strategy, from the mean of each output over the
//! replicates at each design point (the `mean` column of the sweep's summary.csv), and
//! `indices.csv`:
//!
//! - morris: `strategy,metric,factor,mu,mu_star,sigma,rank`
//! - sobol:  `strategy,metric,factor,first,first_low,first_high,total,total_low,total_high,rank`
//!
//! One row per strategy, metric and factor (strategies in run order, metrics in output
//! order, factors in design order). `rank` orders the factors of one strategy and metric by
//! `mu_star` (morris) or `total` (sobol), 1 the most influential, ties in design order.
//! Numbers are rounded to 10 significant digits.

use super::{ExperimentError, Plan, io_at};
use crate::design::{Analysis, Design};
use crate::output::write_atomic;
use crate::stats::canonical;
use std::path::Path;

/// Indices of one strategy and metric.
#[derive(Debug, Clone, PartialEq)]
pub struct Indices {
    pub strategy: String,
    pub metric: String,
    pub analysis: Analysis,
}

/// Analyses every (strategy, metric) from `means` (point-major, then strategy, then output).
pub fn analyse(
    design: &Design,
    plan: &Plan,
    means: &[f64],
) -> Result<Vec<Indices>, ExperimentError> {
    let (s_n, m_n) = (plan.strategies.len(), plan.outputs.len());
    let mut all = Vec::with_capacity(s_n * m_n);
    for (s, strategy) in plan.strategies.iter().enumerate() {
        for (m, metric) in plan.outputs.iter().enumerate() {
            let outputs: Vec<f64> = (0..plan.points as usize)
                .map(|j| means[(j * s_n + s) * m_n + m])
                .collect();
            let analysis = design.analyse(&outputs).map_err(|e| {
                ExperimentError::Input(format!("sensitivity of {metric} under {strategy}: {e}"))
            })?;
            all.push(Indices {
                strategy: strategy.clone(),
                metric: metric.clone(),
                analysis,
            });
        }
    }
    Ok(all)
}

/// The importance used for ranking: `mu_star` (morris) or `total` (sobol), per factor.
pub fn importance(a: &Analysis) -> Vec<f64> {
    match a {
        Analysis::Morris(v) => v.iter().map(|i| i.mu_star).collect(),
        Analysis::Sobol(v) => v.iter().map(|i| i.total).collect(),
    }
}

/// Rank of each factor (1 = most important; ties keep design order).
fn ranks(values: &[f64]) -> Vec<usize> {
    let mut order: Vec<usize> = (0..values.len()).collect();
    order.sort_by(|&a, &b| values[b].total_cmp(&values[a]).then(a.cmp(&b)));
    let mut rank = vec![0; values.len()];
    for (r, &i) in order.iter().enumerate() {
        rank[i] = r + 1;
    }
    rank
}

/// indices.csv as text.
pub fn to_csv(design: &Design, all: &[Indices]) -> String {
    let sobol = matches!(all.first().map(|i| &i.analysis), Some(Analysis::Sobol(_)));
    let mut out = if sobol {
        "strategy,metric,factor,first,first_low,first_high,total,total_low,total_high,rank\n"
    } else {
        "strategy,metric,factor,mu,mu_star,sigma,rank\n"
    }
    .to_string();
    let mut w = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    for x in all {
        let rank = ranks(&importance(&x.analysis));
        let nums: Vec<Vec<f64>> = match &x.analysis {
            Analysis::Morris(v) => v.iter().map(|i| vec![i.mu, i.mu_star, i.sigma]).collect(),
            Analysis::Sobol(v) => v
                .iter()
                .map(|i| {
                    vec![
                        i.first,
                        i.first_low,
                        i.first_high,
                        i.total,
                        i.total_low,
                        i.total_high,
                    ]
                })
                .collect(),
        };
        for (f, factor) in design.factors.iter().enumerate() {
            let mut row = vec![x.strategy.clone(), x.metric.clone(), factor.key.clone()];
            row.extend(nums[f].iter().map(|&v| canonical(v).to_string()));
            row.push(rank[f].to_string());
            w.write_record(&row).expect("writing to memory");
        }
    }
    out.push_str(&String::from_utf8(w.into_inner().expect("memory")).expect("UTF-8"));
    out
}

/// Writes indices.csv (and the charts, if asked) into `dir`.
pub fn write(
    dir: &Path,
    design: &Design,
    plan: &Plan,
    means: &[f64],
    charts: bool,
) -> Result<(), ExperimentError> {
    let all = analyse(design, plan, means)?;
    let path = dir.join("indices.csv");
    write_atomic(&path, to_csv(design, &all).as_bytes()).map_err(io_at(&path))?;
    if charts {
        crate::report::sensitivity_charts(dir, design, &all, plan.replicates).map_err(|e| {
            ExperimentError::Io {
                path: dir.join(crate::report::CHARTS_DIR),
                source: std::io::Error::other(e.to_string()),
            }
        })?;
    }
    Ok(())
}
