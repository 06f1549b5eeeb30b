//! `--precision METRIC:TARGET` and `--max-seeds` of `run`, `sweep` and `fit`: seeds added
//! in blocks until every paired difference between strategies is precise enough
//! ([`crate::experiment::precision`] holds the rule). Checked here, before anything runs.

use crate::cli::Failure;
use crate::experiment::precision::{PointOutcome, Precision};
use crate::scenario::Scenario;

/// Seeds chosen by precision.
#[derive(Debug, Clone, Default, clap::Args)]
pub struct PrecisionArgs {
    /// Add seeds in blocks of --seeds until the 95% interval of the paired difference
    /// between every two strategies on METRIC is within TARGET: a half-width in the
    /// metric's unit (fatalities:0.5) or a percentage of the larger of the two means
    /// (npv_cost_usd:5%). Repeatable, or comma-separated.
    #[arg(long, value_delimiter = ',', value_name = "METRIC:TARGET")]
    pub precision: Vec<String>,
    /// Most seeds --precision may run at a point (default: ten blocks of --seeds).
    #[arg(long, allow_negative_numbers = true, value_parser = crate::cli::seeds_arg)]
    pub max_seeds: Option<u32>,
}

impl PrecisionArgs {
    /// The checked precision for scenario `s` (its seeds are the first block), or `None`.
    pub fn resolve(&self, s: &Scenario) -> Result<Option<Precision>, Failure> {
        let outputs: Vec<String> = crate::metrics::METRICS
            .iter()
            .map(|m| m.to_string())
            .collect();
        Precision::from_args(
            &self.precision,
            s.seeds,
            self.max_seeds,
            s.strategies.len(),
            &outputs,
        )
        .map_err(|message| Failure { code: 2, message })
    }
}

/// The closing line of a command whose seeds were chosen by precision.
pub fn closing_line(points: &[PointOutcome], precision: &Precision) -> String {
    let met = points.iter().filter(|p| p.met).count();
    let fewest = points.iter().map(|p| p.seeds).min().unwrap_or(0);
    let most = points.iter().map(|p| p.seeds).max().unwrap_or(0);
    let seeds = if fewest == most {
        format!("{most} seeds")
    } else {
        format!("{fewest} to {most} seeds")
    };
    let targets: Vec<String> = precision.targets.iter().map(|t| t.describe()).collect();
    let reached = match (met == points.len(), points) {
        (true, [_]) => "reached".to_string(),
        (true, _) => format!("reached at all {} points", points.len()),
        (false, [p]) => format!(
            "NOT reached: stopped at the maximum (--max-seeds {}){}",
            precision.max_seeds,
            widest(p)
        ),
        (false, _) => format!(
            "NOT reached at {} of {} points, which stopped at the maximum (--max-seeds {}; each point's widest half-widths are in manifest.json)",
            points.len() - met,
            points.len(),
            precision.max_seeds
        ),
    };
    format!(
        "Precision {} (95% interval of every paired difference between strategies): {seeds}; {reached}.",
        targets.join(", ")
    )
}

/// The targets a point missed: `; widest: npv_cost_usd +/- 5.5e5 (limit 2.8e5, a vs b)`.
fn widest(p: &PointOutcome) -> String {
    let missed: Vec<String> = p
        .widest
        .iter()
        .filter(|w| w.half_width > w.limit)
        .map(|w| {
            format!(
                "{} +/- {} (limit {}, {} vs {})",
                w.metric, w.half_width, w.limit, w.pair[0], w.pair[1]
            )
        })
        .collect();
    match missed.is_empty() {
        true => String::new(),
        false => format!("; widest: {}", missed.join("; ")),
    }
}
