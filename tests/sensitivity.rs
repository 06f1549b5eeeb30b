//! Sensitivity analysis through the same code path as the model's (design, plan, shards,
//! records, sinks, estimators, indices.csv), with analytic functions plugged in as the
//! evaluator: Ishigami's known Sobol indices, and a linear function's exact Morris effects.
//! Then the CLI on the tiny scenario: indices.csv and the charts.

use crate::common::{design, ok, read, refused, tiny};
use cohabit::design::{Design, DesignPoint};
use cohabit::experiment::launch::{Experiment, Finished, Settings, launch};
use cohabit::experiment::{Evaluation, Evaluator, Identity, Kind, Shard, folder, merge};
use cohabit::rng::RunSeed;
use std::path::Path;

/// An analytic function of the design's factors as an evaluator: one strategy, one
/// replicate, one output `y`.
struct Analytic(fn(&[f64]) -> f64);

impl Evaluator for Analytic {
    type Point = Vec<f64>;
    fn strategies(&self) -> Vec<String> {
        vec!["f".into()]
    }
    fn replicates(&self) -> u32 {
        1
    }
    fn outputs(&self) -> Vec<String> {
        vec!["y".into()]
    }
    fn prepare(&self, p: &DesignPoint) -> Result<Vec<f64>, String> {
        p.values
            .iter()
            .map(|(k, v)| v.as_f64().ok_or(format!("{k} not a number")))
            .collect()
    }
    fn evaluate(&self, x: &Vec<f64>, _: u32, _: usize, _: u32) -> Evaluation {
        Evaluation {
            seed: RunSeed(0),
            values: vec![(self.0)(x)],
            series: Vec::new(),
            map: Vec::new(),
            zones: Vec::new(),
        }
    }
}

/// Ishigami & Homma (1990), a = 7, b = 0.1, x_i ~ U(-pi, pi).
fn ishigami(x: &[f64]) -> f64 {
    x[0].sin() + 7.0 * x[1].sin().powi(2) + 0.1 * x[2].powi(4) * x[0].sin()
}

const ISHIGAMI: &str = r#"
method = "sobol"
samples = 4096
bootstrap = 200
seed = 11
[factors.x1]
range = [-3.141592653589793, 3.141592653589793]
[factors.x2]
range = [-3.141592653589793, 3.141592653589793]
[factors.x3]
range = [-3.141592653589793, 3.141592653589793]
"#;

fn analyse(f: &Analytic, design: &Design, out: &Path, shard: Shard) -> Finished {
    let experiment = Experiment {
        identity: Identity {
            kind: Kind::Sensitivity,
            scenario_hash: "analytic".into(),
            design_fingerprint: Some(design.fingerprint()),
            precision: None,
        },
        points: design.points().unwrap(),
        design: Some(design),
        scenario: None,
        files: vec![("design.toml".into(), ISHIGAMI.as_bytes().to_vec())],
    };
    let settings = Settings {
        out: out.to_path_buf(),
        threads: 2,
        shard,
        folder: folder::Options::default(),
        overrides: Vec::new(),
        command_line: "test".into(),
        progress: false,
        charts: false,
    };
    launch(f, &experiment, &settings, &|| false).unwrap()
}

/// indices.csv rows as (factor, numbers).
fn indices(out: &Path) -> Vec<(String, Vec<f64>)> {
    read(&out.join("indices.csv"))
        .lines()
        .skip(1)
        .map(|l| {
            let cells: Vec<&str> = l.split(',').collect();
            let nums = cells[3..].iter().map(|c| c.parse().unwrap()).collect();
            (cells[2].to_string(), nums)
        })
        .collect()
}

#[test]
fn sobol_indices_of_ishigami_match_the_analytic_values() {
    let dir = tempfile::tempdir().unwrap();
    let design = Design::from_str(ISHIGAMI, "ishigami.toml", dir.path()).unwrap();
    let out = dir.path().join("whole");
    analyse(&Analytic(ishigami), &design, &out, Shard::WHOLE);
    // Analytic values (Ishigami & Homma 1990; Saltelli et al. 2008): first order and total.
    let first = [0.3139, 0.4424, 0.0];
    let total = [0.5576, 0.4424, 0.2437];
    let rows = indices(&out);
    assert_eq!(rows.len(), 3);
    for (i, (factor, v)) in rows.iter().enumerate() {
        // first, first_low, first_high, total, total_low, total_high, rank
        assert_eq!(factor, &format!("x{}", i + 1));
        assert!((v[0] - first[i]).abs() < 0.03, "S{}: {v:?}", i + 1);
        assert!((v[3] - total[i]).abs() < 0.03, "ST{}: {v:?}", i + 1);
        assert!(
            v[1] <= first[i] + 0.01 && first[i] - 0.01 <= v[2],
            "S{} CI {v:?}",
            i + 1
        );
        assert!(
            v[4] <= total[i] + 0.01 && total[i] - 0.01 <= v[5],
            "ST{} CI {v:?}",
            i + 1
        );
    }
    let rank: Vec<f64> = rows.iter().map(|(_, v)| v[6]).collect();
    assert_eq!(rank, [1.0, 2.0, 3.0], "x1 has the largest total index");

    // Sharded and merged: the same bytes.
    let sharded = dir.path().join("sharded");
    for k in 1..=3 {
        analyse(&Analytic(ishigami), &design, &sharded, Shard { k, n: 3 });
    }
    let settings = Settings {
        out: sharded.clone(),
        threads: 1,
        shard: Shard::WHOLE,
        folder: folder::Options::default(),
        overrides: Vec::new(),
        command_line: "merge".into(),
        progress: false,
        charts: false,
    };
    let shards = merge::shard_folders(&[sharded.join("shards")]).unwrap();
    merge::merge(&shards, &settings).unwrap();
    for f in ["indices.csv", "summary.csv", "runs.csv"] {
        assert_eq!(read(&out.join(f)), read(&sharded.join(f)), "{f}");
    }
}

#[test]
fn morris_effects_of_a_linear_function_are_exact() {
    // y = 3 x1 - 2 x2 + 0 x3 over ranges of width 2, 4 and 1: every elementary effect is
    // the coefficient times the range width, so mu* = |c| w and sigma = 0.
    let dir = tempfile::tempdir().unwrap();
    let text = "method = \"morris\"\ntrajectories = 6\nlevels = 4\n\
                [factors.x1]\nrange = [0.0, 2.0]\n[factors.x2]\nrange = [-1.0, 3.0]\n\
                [factors.x3]\nrange = [5.0, 6.0]\n";
    let design = Design::from_str(text, "linear.toml", dir.path()).unwrap();
    let out = dir.path().join("m");
    analyse(
        &Analytic(|x| 3.0 * x[0] - 2.0 * x[1]),
        &design,
        &out,
        Shard::WHOLE,
    );
    let header = read(&out.join("indices.csv"));
    assert!(header.starts_with("strategy,metric,factor,mu,mu_star,sigma,rank\n"));
    let want = [(6.0, 6.0, 2.0), (-8.0, 8.0, 1.0), (0.0, 0.0, 3.0)];
    for ((_, v), (mu, mu_star, rank)) in indices(&out).iter().zip(want) {
        assert!((v[0] - mu).abs() < 1e-6, "{v:?}");
        assert!((v[1] - mu_star).abs() < 1e-6, "{v:?}");
        assert!(v[2].abs() < 1e-6, "{v:?}");
        assert_eq!(v[3], rank);
    }
}

#[test]
fn sensitivity_command_writes_indices_and_a_chart_per_metric() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("sa");
    let (t, d) = (tiny(), design("sobol.toml"));
    let (t, d) = (t.to_str().unwrap(), d.to_str().unwrap());
    ok(&[
        "sensitivity",
        t,
        "--design",
        d,
        "--method",
        "sobol",
        "--out",
        out.to_str().unwrap(),
        "-q",
        "--strategies",
        "confrontation,cohabitation",
    ]);
    let text = read(&out.join("indices.csv"));
    assert!(text.starts_with(
        "strategy,metric,factor,first,first_low,first_high,total,total_low,total_high,rank\n"
    ));
    assert_eq!(
        text.lines().count(),
        1 + 2 * cohabit::metrics::METRICS.len() * 2
    );
    for m in cohabit::metrics::METRICS {
        for ext in ["png", "svg"] {
            let chart = out.join(format!("charts/sensitivity_{m}.{ext}"));
            assert!(
                chart.metadata().map(|x| x.len() > 1000).unwrap_or(false),
                "{}",
                chart.display()
            );
        }
    }
    let svg = read(&out.join("charts/sensitivity_conflict_incidents.svg"));
    assert!(svg.contains("<title>What moves conflict incidents (count)</title>"));
    // Colours follow the strategy's name: co-habitation's green, though it runs second.
    assert!(svg.contains("fill=\"#009E73\"") && !svg.contains("fill=\"#0072B2\""));
    // --method must agree with the design; a sweep design has no indices.
    refused(
        &["sensitivity", t, "--design", d, "--method", "morris"],
        "must agree",
    );
    let f = design("factorial.toml");
    refused(
        &["sensitivity", t, "--design", f.to_str().unwrap()],
        "no sensitivity indices",
    );
}
