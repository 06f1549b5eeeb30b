//! How the four preset models rank in the user's context on the criteria a board weighs:
//! deaths, conflict, livelihoods of everyone in the area, and cost. The seed's "best fit,
//! not best practice" made visible: `cohabit patterns` on a context prints which model
//! leads on each criterion, with its 95% interval and whether its lead over the runner-up is
//! clear (the paired difference excludes zero). Reads the replicate values the suite already
//! measured (the four preset arms run with every suite).

use super::effect::{self, Estimate};
use super::suite::{Arm, Measure};
use super::{Measured, values};
use crate::stats::Summary;

/// The four presets as they are, in the user's context.
pub(super) const PRESETS: [Arm; 4] = [
    preset("confrontation"),
    preset("coexistence"),
    preset("cohabitation"),
    preset("collaboration"),
];

const fn preset(name: &'static str) -> Arm {
    Arm {
        preset: name,
        levers: &[],
        context: &[],
        knockout: &[],
    }
}

/// A criterion of the board: a run metric and which way is better.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Criterion {
    pub metric: &'static str,
    pub lower_is_better: bool,
}

/// The board's criteria, human outcomes first.
pub const CRITERIA: &[Criterion] = &[
    Criterion {
        metric: "fatalities",
        lower_is_better: true,
    },
    Criterion {
        metric: "conflict_incidents",
        lower_is_better: true,
    },
    Criterion {
        metric: "income_all_usd_week",
        lower_is_better: false,
    },
    Criterion {
        metric: "poverty_share_all",
        lower_is_better: true,
    },
    Criterion {
        metric: "npv_cost_usd",
        lower_is_better: true,
    },
];

/// One preset's place on a criterion.
#[derive(Debug, Clone)]
pub struct Placing {
    pub preset: &'static str,
    pub mean: Summary,
}

/// The presets ranked on one criterion, best first.
#[derive(Debug, Clone)]
pub struct Rank {
    pub criterion: Criterion,
    pub placings: Vec<Placing>,
    /// The leader's paired advantage over the runner-up (positive = better), 95% CI.
    pub lead: Estimate,
}

impl Rank {
    /// The leader's advantage over the runner-up is clear of zero.
    pub fn clear(&self) -> bool {
        self.lead.positive()
    }
}

/// Rank the presets on every criterion from the measured replicates.
pub(super) fn rank(measured: &Measured) -> Vec<Rank> {
    CRITERIA
        .iter()
        .map(|c| {
            let per: Vec<(&'static str, Vec<f64>)> = PRESETS
                .iter()
                .map(|a| (a.preset, values(measured, a, Measure::Metric(c.metric))))
                .collect();
            let mut order: Vec<usize> = (0..per.len()).collect();
            let mean = |v: &[f64]| Summary::of(v).mean;
            order.sort_by(|&i, &j| {
                let (a, b) = (mean(&per[i].1), mean(&per[j].1));
                let ord = a.total_cmp(&b);
                if c.lower_is_better {
                    ord
                } else {
                    ord.reverse()
                }
            });
            let (best, next) = (&per[order[0]].1, &per[order[1]].1);
            // The leader's advantage, signed so that positive means better.
            let lead = if c.lower_is_better {
                effect::difference(next, best)
            } else {
                effect::difference(best, next)
            };
            Rank {
                criterion: *c,
                placings: order
                    .iter()
                    .map(|&i| Placing {
                        preset: per[i].0,
                        mean: Summary::of(&per[i].1),
                    })
                    .collect(),
                lead,
            }
        })
        .collect()
}

/// The ranking as text: one line per criterion.
pub fn text(ranking: &[Rank]) -> String {
    let mut out =
        String::from("Ranking of the four models in this context (mean over seeds; best first):\n");
    for r in ranking {
        let places: Vec<String> = r
            .placings
            .iter()
            .map(|p| format!("{} {}", p.preset, super::number(p.mean.mean)))
            .collect();
        out.push_str(&format!(
            "  {:<22} {}{}\n",
            r.criterion.metric,
            places.join(" > "),
            if r.clear() {
                "  (clear lead)"
            } else {
                "  (leader within noise of the runner-up)"
            }
        ));
    }
    out
}

/// ranking.csv: one row per criterion and place.
pub fn to_csv(ranking: &[Rank]) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "criterion",
        "better",
        "rank",
        "preset",
        "mean",
        "ci95_low",
        "ci95_high",
        "clear_lead",
    ])?;
    let num = |x: f64| crate::stats::canonical(x).to_string();
    for r in ranking {
        for (k, p) in r.placings.iter().enumerate() {
            let clear = if k == 0 {
                if r.clear() { "yes" } else { "no" }
            } else {
                ""
            };
            w.write_record([
                r.criterion.metric,
                if r.criterion.lower_is_better {
                    "lower"
                } else {
                    "higher"
                },
                &(k + 1).to_string(),
                p.preset,
                &num(p.mean.mean),
                &num(p.mean.ci95_low),
                &num(p.mean.ci95_high),
                clear,
            ])?;
        }
    }
    w.into_inner().map_err(|e| csv::Error::from(e.into_error()))
}
