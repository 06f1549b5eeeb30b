//! Lever search: the non-dominated settings (Pareto front) of a sweep over strategy lever
//! keys (`strategies.<name>.*`), the first half of many-objective robust decision making
//! (Kasprzyk et al. 2013); `cohabit fit` is the second (re-testing front members across
//! contexts).
//!
//! Candidates are the strategies at every design point where their levers vary (one setting
//! per point), and each strategy whose levers do not vary, pooled over all points (its one
//! setting, on every point's seeds). A candidate dominates another when it is no worse on
//! every objective and better on one; pareto.csv holds those no other candidate dominates,
//! sorted best first on the first objective. Objectives (default cost, conflict, livelihoods)
//! are set with `cohabit sweep --objectives` and saved in `pareto.toml` beside the results,
//! which is what asks for this analysis when a sweep (or a merge of its shards) completes.

use std::path::Path;

use serde::{Deserialize, Serialize};

use super::FitError;
use super::metrics::{self, DEFAULT_OBJECTIVES, Direction};
use super::table::{contexts, design_text};
use crate::output::write_atomic;
use crate::stats::canonical;

/// File asking for (and configuring) the front.
pub const SETTINGS_FILE: &str = "pareto.toml";
/// The front.
pub const FRONT_FILE: &str = "pareto.csv";

/// pareto.toml.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParetoSettings {
    /// The objectives, each a run metric with a better direction.
    pub objectives: Vec<String>,
}

impl Default for ParetoSettings {
    fn default() -> Self {
        ParetoSettings {
            objectives: DEFAULT_OBJECTIVES.iter().map(|s| s.to_string()).collect(),
        }
    }
}

impl ParetoSettings {
    /// The file's text.
    pub fn to_toml(&self) -> String {
        let body = toml::to_string(self).expect("pareto settings serialise");
        format!("# The objectives of pareto.csv (written by `cohabit sweep`).\n{body}")
    }
}

/// The strategies whose levers a design varies, from its factor keys.
pub fn lever_strategies(keys: &[String], strategies: &[String]) -> Vec<String> {
    strategies
        .iter()
        .filter(|s| {
            let prefix = format!("strategies.{s}.");
            keys.iter().any(|k| k.starts_with(&prefix))
        })
        .cloned()
        .collect()
}

/// pareto.toml (name and bytes) for a sweep whose factor `keys` vary levers of some of
/// `strategies`, which asks for pareto.csv when the sweep completes; `None` for other
/// designs. `objectives` as given (empty: the defaults); refused if they are not directed
/// run metrics, or given for a design without levers.
pub fn settings_file(
    keys: &[String],
    strategies: &[String],
    objectives: &[String],
) -> Result<Option<(String, Vec<u8>)>, String> {
    if lever_strategies(keys, strategies).is_empty() {
        if !objectives.is_empty() {
            return Err("--objectives: the design varies no strategy lever (strategies.<name>.*) of the strategies run, so there is no Pareto front to report".into());
        }
        return Ok(None);
    }
    let mut settings = ParetoSettings::default();
    if !objectives.is_empty() {
        settings.objectives = objectives.to_vec();
    }
    let outputs: Vec<String> = crate::metrics::METRICS
        .iter()
        .map(|m| m.to_string())
        .collect();
    metrics::check(&settings.objectives, &outputs, "--objectives", true)?;
    Ok(Some((
        SETTINGS_FILE.to_string(),
        settings.to_toml().into_bytes(),
    )))
}

/// Flags the non-dominated rows of `values` (one row per candidate, one column per
/// objective, each better in `dirs`' direction).
pub fn front(values: &[Vec<f64>], dirs: &[Direction]) -> Vec<bool> {
    let dominates = |a: &[f64], b: &[f64]| {
        let no_worse = (0..dirs.len()).all(|k| !dirs[k].better(b[k], a[k]));
        no_worse && (0..dirs.len()).any(|k| dirs[k].better(a[k], b[k]))
    };
    (0..values.len())
        .map(|i| !values.iter().any(|other| dominates(other, &values[i])))
        .collect()
}

/// One candidate setting.
struct Candidate {
    strategy: usize,
    /// `None`: pooled over every point.
    point: Option<usize>,
    values: Vec<f64>,
}

/// Writes pareto.csv into the sweep folder `dir` if it holds pareto.toml and its design
/// varies the levers of one of `strategies` (the experiment's, in run order).
pub fn after_sweep(dir: &Path, strategies: &[String]) -> Result<(), FitError> {
    let path = dir.join(SETTINGS_FILE);
    if !path.exists() {
        return Ok(());
    }
    let text = std::fs::read_to_string(&path).map_err(|source| FitError::Read {
        path: path.clone(),
        source,
    })?;
    let settings: ParetoSettings = toml::from_str(&text).map_err(|e| FitError::Malformed {
        path: path.clone(),
        line: 0,
        message: e.to_string(),
    })?;
    if lever_strategies(&design_text(dir)?.keys, strategies).is_empty() {
        return Ok(());
    }
    let bytes = pareto_csv(dir, strategies, &settings.objectives)?;
    let out = dir.join(FRONT_FILE);
    write_atomic(&out, &bytes).map_err(|source| FitError::Write { path: out, source })
}

/// pareto.csv: `strategy,point,` the objectives' means over the seeds, then every design
/// factor (blank where it does not apply: another strategy's levers, or a pooled row).
pub fn pareto_csv(
    dir: &Path,
    strategies: &[String],
    objectives: &[String],
) -> Result<Vec<u8>, FitError> {
    let ctx = contexts(dir, strategies, objectives)?;
    let super::table::DesignText { keys, rows } = design_text(dir)?;
    let varied = lever_strategies(&keys, strategies);
    let dirs: Vec<Direction> = objectives.iter().map(|o| metrics::direction(o)).collect();
    let mut candidates = Vec::new();
    for (s, name) in strategies.iter().enumerate() {
        let value = |p: usize| {
            (0..objectives.len())
                .map(|m| ctx.cell(p, s, m).mean)
                .collect::<Vec<f64>>()
        };
        if varied.contains(name) {
            candidates.extend((0..ctx.points).map(|p| Candidate {
                strategy: s,
                point: Some(p),
                values: value(p),
            }));
        } else {
            let mut sum = vec![0.0; objectives.len()];
            for p in 0..ctx.points {
                for (total, v) in sum.iter_mut().zip(value(p)) {
                    *total += v;
                }
            }
            let values = sum.iter().map(|t| t / ctx.points.max(1) as f64).collect();
            candidates.push(Candidate {
                strategy: s,
                point: None,
                values,
            });
        }
    }
    let values: Vec<Vec<f64>> = candidates.iter().map(|c| c.values.clone()).collect();
    let keep = front(&values, &dirs);
    let mut kept: Vec<&Candidate> = candidates
        .iter()
        .zip(keep)
        .filter(|(_, k)| *k)
        .map(|(c, _)| c)
        .collect();
    let first = dirs[0];
    kept.sort_by(|a, b| {
        let (x, y) = (a.values[0], b.values[0]);
        let order = if first == Direction::Higher {
            y.total_cmp(&x)
        } else {
            x.total_cmp(&y)
        };
        order
            .then(a.strategy.cmp(&b.strategy))
            .then(a.point.cmp(&b.point))
    });
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header = vec!["strategy".to_string(), "point".to_string()];
    header.extend(objectives.iter().cloned());
    header.extend(keys.iter().cloned());
    w.write_record(&header).expect("writing to memory");
    for c in kept {
        let name = &strategies[c.strategy];
        let mut row = vec![
            name.clone(),
            c.point.map_or("all".to_string(), |p| p.to_string()),
        ];
        row.extend(c.values.iter().map(|v| canonical(*v).to_string()));
        row.extend(keys.iter().map(|k| match c.point {
            Some(p) if applies(k, name, strategies) => rows[p][k].clone(),
            _ => String::new(),
        }));
        w.write_record(&row).expect("writing to memory");
    }
    Ok(w.into_inner().expect("memory"))
}

/// Whether design factor `key` describes strategy `name`'s setting: a context key, or one of
/// its own levers (not another strategy's).
fn applies(key: &str, name: &str, strategies: &[String]) -> bool {
    let own = key.starts_with(&format!("strategies.{name}."));
    let other = strategies
        .iter()
        .any(|s| s != name && key.starts_with(&format!("strategies.{s}.")));
    own || !other && !key.starts_with("strategies.")
}

#[cfg(test)]
mod tests {
    use super::*;
    use Direction::{Higher, Lower};

    #[test]
    fn front_by_hand() {
        // (cost, conflict, income): cost and conflict lower is better, income higher.
        let values = vec![
            vec![10.0, 5.0, 50.0], // 0: on the front (cheapest)
            vec![12.0, 3.0, 50.0], // 1: on the front (calmest)
            vec![12.0, 5.0, 50.0], // 2: dominated by 0 and 1
            vec![20.0, 9.0, 80.0], // 3: on the front (best income)
            vec![20.0, 9.0, 70.0], // 4: dominated by 3 (same cost and conflict, less income)
            vec![10.0, 5.0, 50.0], // 5: equal to 0: neither dominates the other
        ];
        let keep = front(&values, &[Lower, Lower, Higher]);
        assert_eq!(keep, vec![true, true, false, true, false, true]);
    }

    /// A sweep folder by hand: strategy a (levers fixed) and b (start week 0, 52, 104) at
    /// three points. Means (cost, conflict, income):
    /// a: (9, 5, 50), (9, 5, 50), (12, 5, 50), pooled (10, 5, 50);
    /// b: (11, 4, 50), (13, 3, 40), (11, 4, 45).
    /// Front: a pooled (cheapest), b at 0, b at 52 (calmest); b at 104 is dominated by b
    /// at 0 (same cost and conflict, less income).
    #[test]
    fn pareto_csv_by_hand() {
        let dir = tempfile::tempdir().unwrap();
        let design = "point,strategies.b.engagement.start_week\n0,0\n1,52\n2,104\n";
        std::fs::write(dir.path().join("design.csv"), design).unwrap();
        let means = [
            ("a", [(9.0, 5.0, 50.0), (9.0, 5.0, 50.0), (12.0, 5.0, 50.0)]),
            (
                "b",
                [(11.0, 4.0, 50.0), (13.0, 3.0, 40.0), (11.0, 4.0, 45.0)],
            ),
        ];
        let mut summary =
            String::from("point,strategy,metric,mean,sd,p05,p50,p95,ci95_low,ci95_high,n\n");
        for p in 0..3 {
            for (name, values) in &means {
                let (c, k, i) = values[p];
                for (metric, v) in [
                    ("npv_cost_usd", c),
                    ("conflict_incidents", k),
                    ("mean_income_usd_week", i),
                ] {
                    summary += &format!("{p},{name},{metric},{v},0,{v},{v},{v},{v},{v},2\n");
                }
            }
        }
        std::fs::write(dir.path().join("summary.csv"), summary).unwrap();
        let strategies = vec!["a".to_string(), "b".to_string()];
        let objectives: Vec<String> = DEFAULT_OBJECTIVES.iter().map(|s| s.to_string()).collect();
        let csv = pareto_csv(dir.path(), &strategies, &objectives).unwrap();
        let expected = "strategy,point,npv_cost_usd,conflict_incidents,mean_income_usd_week,strategies.b.engagement.start_week\n\
                        a,all,10,5,50,\n\
                        b,0,11,4,50,0\n\
                        b,1,13,3,40,52\n";
        assert_eq!(String::from_utf8(csv).unwrap(), expected);
        // after_sweep writes it only when asked (pareto.toml).
        after_sweep(dir.path(), &strategies).unwrap();
        assert!(!dir.path().join(FRONT_FILE).exists());
        std::fs::write(
            dir.path().join(SETTINGS_FILE),
            ParetoSettings::default().to_toml(),
        )
        .unwrap();
        after_sweep(dir.path(), &strategies).unwrap();
        assert_eq!(
            std::fs::read_to_string(dir.path().join(FRONT_FILE)).unwrap(),
            expected
        );
    }

    #[test]
    fn lever_keys_name_their_strategies() {
        let keys = vec![
            "economy.price_volatility".to_string(),
            "strategies.coexistence.engagement.start_week".to_string(),
        ];
        let strategies = vec!["confrontation".to_string(), "coexistence".to_string()];
        assert_eq!(lever_strategies(&keys, &strategies), vec!["coexistence"]);
        assert!(applies(&keys[0], "confrontation", &strategies));
        assert!(!applies(&keys[1], "confrontation", &strategies));
        assert!(applies(&keys[1], "coexistence", &strategies));
    }
}
