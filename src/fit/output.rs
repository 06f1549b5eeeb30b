//! fit.csv and boxes.csv as bytes (the writer puts them on disk atomically). Numbers are
//! rounded to 10 significant digits, as in every other result file; an empty cell means
//! "not defined" (an interval with one seed per point, a side of a box left open).
//!
//! fit.csv, long format `strategy,metric,better,criterion,value`:
//! per regret metric and strategy the criteria `mean`, `mean_regret`, `p90_regret`,
//! `max_regret`, `share_best`, `share_best_clear`; per metric `close_calls` (strategy `all`);
//! with `--require`, per strategy `satisficing` for each requirement (metric = the
//! requirement) and for all together (metric `all`); with `--weights`, per strategy
//! `weighted_regret` (metric `weighted`); and `points` and `seeds_per_point` (strategy `all`).
//!
//! boxes.csv: `question,step,chosen,pasted,coverage,density,mass,points,yes,restricted,
//! dimension,low,high,qp_low,qp_high`: every step of every question's PRIM trajectory, one
//! row per restricted dimension (one row with an empty dimension when none is restricted).

use super::FitReport;
use crate::stats::canonical;

fn num(v: f64) -> String {
    canonical(v).to_string()
}

fn opt(v: Option<f64>) -> String {
    v.map_or(String::new(), num)
}

/// fit.csv.
pub fn fit_csv(r: &FitReport) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut row = |cells: [&str; 5]| w.write_record(cells).expect("writing to memory");
    row(["strategy", "metric", "better", "criterion", "value"]);
    for m in &r.robustness.metrics {
        let better = m.direction.word();
        for (s, x) in m.strategies.iter().enumerate() {
            let name = &r.strategies[s];
            let criteria = [
                ("mean", num(x.mean)),
                ("mean_regret", num(x.mean_regret)),
                ("p90_regret", num(x.p90_regret)),
                ("max_regret", num(x.max_regret)),
                ("share_best", num(x.share_best)),
                ("share_best_clear", opt(x.share_best_clear)),
            ];
            for (criterion, value) in criteria {
                row([name, &m.metric, better, criterion, &value]);
            }
        }
        row(["all", &m.metric, better, "close_calls", &opt(m.close_share)]);
    }
    if let Some(sat) = &r.robustness.satisficing {
        for (s, name) in r.strategies.iter().enumerate() {
            for (k, req) in sat.requirements.iter().enumerate() {
                row([name, req, "", "satisficing", &num(sat.each[k][s])]);
            }
            row([name, "all", "", "satisficing", &num(sat.all[s])]);
        }
    }
    if let Some(weighted) = &r.robustness.weighted {
        for (s, name) in r.strategies.iter().enumerate() {
            row([
                name,
                "weighted",
                "lower",
                "weighted_regret",
                &num(weighted[s]),
            ]);
        }
    }
    row(["all", "", "", "points", &r.points.to_string()]);
    let seeds = if r.seeds.0 == r.seeds.1 {
        r.seeds.0.to_string()
    } else {
        format!("{}-{}", r.seeds.0, r.seeds.1)
    };
    row(["all", "", "", "seeds_per_point", &seeds]);
    w.into_inner().expect("memory")
}

/// boxes.csv.
pub fn boxes_csv(r: &FitReport) -> Vec<u8> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let header = [
        "question",
        "step",
        "chosen",
        "pasted",
        "coverage",
        "density",
        "mass",
        "points",
        "yes",
        "restricted",
        "dimension",
        "low",
        "high",
        "qp_low",
        "qp_high",
    ];
    w.write_record(header).expect("writing to memory");
    for d in &r.discoveries {
        let question = d.question.text();
        for (i, step) in d.trajectory.steps.iter().enumerate() {
            let head = [
                question.clone(),
                i.to_string(),
                (i == d.trajectory.chosen).to_string(),
                step.pasted.to_string(),
                num(step.coverage),
                num(step.density),
                num(step.mass),
                step.n.to_string(),
                step.yes.to_string(),
                step.restricted.len().to_string(),
            ];
            let mut rows: Vec<[String; 5]> = step
                .restricted
                .iter()
                .zip(&step.qp)
                .map(|(&dim, qp)| {
                    let (lo, hi) = step.limits[dim];
                    [
                        r.dims[dim].key.clone(),
                        num(lo),
                        num(hi),
                        opt(qp.0),
                        opt(qp.1),
                    ]
                })
                .collect();
            if rows.is_empty() {
                rows.push(Default::default());
            }
            for tail in rows {
                let record: Vec<&str> =
                    head.iter().chain(tail.iter()).map(String::as_str).collect();
                w.write_record(&record).expect("writing to memory");
            }
        }
    }
    w.into_inner().expect("memory")
}
