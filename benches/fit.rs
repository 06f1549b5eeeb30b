//! What `cohabit fit` costs beyond its runs (not timed tests): the same context points run
//! plainly (each point's scenario prepared, every strategy and seed simulated in parallel,
//! results dropped) and through fit's pipeline (records synced to disk, runs.csv and
//! summary.csv, the analysis: regret, PRIM, fit.csv, boxes.csv), both on two threads; and
//! the analysis with its charts and briefing alone, a cost paid once per fit, not per point;
//! and the whole study's speed in runs per second (the fit pipeline again, issue 13).
//!
//! `cargo bench --bench fit`. Criterion reports "elements/s" with one element a context
//! point (a run in the "whole study" group); the per-point overhead of fit is the pipeline's
//! time less the plain runs' time, over the points. The target (issue 10): at most 5% over plain runs. Points are the first of the shipped design
//! (designs/fit-default.toml), on the default scenario shortened to four years.

use cohabit::design::{Design, DesignPoint};
use cohabit::experiment::launch::{self, Experiment};
use cohabit::experiment::{Cohabit, Evaluator, Identity, Kind, Plan, Shard, folder};
use cohabit::fit::settings::FitSettings;
use cohabit::scenario::{ScenarioSource, load};
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use rayon::prelude::*;
use std::hint::black_box;
use std::path::Path;

const POINTS: usize = 16;
const THREADS: usize = 2;

fn model() -> (Cohabit, Vec<DesignPoint>, Design, String) {
    let set = vec!["weeks=208".to_string(), "seeds=2".to_string()];
    let base = load(&ScenarioSource::Default, &set).expect("default scenario");
    let text = cohabit::fit::DEFAULT_DESIGN.replace("points = 200", &format!("points = {POINTS}"));
    let design = Design::from_str(&text, "bench", Path::new("")).expect("design");
    let points = design.points().expect("points");
    let model = Cohabit {
        base,
        source: ScenarioSource::Default,
        overrides: set,
        detail: false,
    };
    (model, points, design, text)
}

fn experiment<'a>(
    model: &'a Cohabit,
    points: &[DesignPoint],
    design: &'a Design,
    text: &str,
) -> Experiment<'a> {
    let s = &model.base;
    Experiment {
        identity: Identity {
            kind: Kind::Fit,
            scenario_hash: s.hash(),
            design_fingerprint: Some(design.fingerprint()),
            precision: None,
        },
        points: points.to_vec(),
        design: Some(design),
        scenario: Some(s),
        files: vec![
            ("scenario.toml".into(), s.to_toml().into_bytes()),
            ("design.toml".into(), text.as_bytes().to_vec()),
            (
                "design.csv".into(),
                cohabit::cli_batch::design_csv(design, points),
            ),
            (
                cohabit::fit::SETTINGS_FILE.into(),
                FitSettings::default().to_toml().into_bytes(),
            ),
        ],
    }
}

fn settings(out: &Path, charts: bool) -> launch::Settings {
    launch::Settings {
        out: out.to_path_buf(),
        threads: THREADS,
        shard: Shard::WHOLE,
        folder: folder::Options {
            force: true,
            ..folder::Options::default()
        },
        overrides: Vec::new(),
        command_line: "bench".into(),
        progress: false,
        charts,
    }
}

fn per_point(c: &mut Criterion) {
    let (model, points, design, text) = model();
    let plan: Vec<(usize, usize, u32)> = (0..points.len())
        .flat_map(|p| {
            (0..model.strategies().len()).flat_map(move |s| (0..2u32).map(move |r| (p, s, r)))
        })
        .collect();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(THREADS)
        .build()
        .expect("pool");
    let dir = tempfile::tempdir().expect("temporary folder");
    let strategies = model.strategies().len();
    let mut group = c.benchmark_group(format!(
        "fit, {POINTS} contexts x {strategies} strategies x 2 seeds, 208 weeks"
    ));
    group.sample_size(10);
    group.throughput(Throughput::Elements(POINTS as u64));
    group.bench_function("plain runs", |b| {
        b.iter(|| {
            pool.install(|| {
                let prepared: Vec<_> = points
                    .par_iter()
                    .map(|p| model.prepare(p).expect("point"))
                    .collect();
                plan.par_iter().for_each(|&(p, s, r)| {
                    black_box(model.evaluate(&prepared[p], p as u32, s, r));
                });
            })
        })
    });
    group.bench_function("fit pipeline, no charts", |b| {
        b.iter(|| {
            let x = experiment(&model, &points, &design, &text);
            let out = dir.path().join("fit");
            launch::launch(&model, &x, &settings(&out, false), &|| false).expect("fit")
        })
    });
    group.finish();
    // The whole study in runs per second: what a robustness study's size divides by.
    let mut study = c.benchmark_group("whole study (fit pipeline, two threads)");
    study.sample_size(10);
    study.throughput(Throughput::Elements(plan.len() as u64));
    study.bench_function(format!("runs per second, {} runs", plan.len()), |b| {
        b.iter(|| {
            let x = experiment(&model, &points, &design, &text);
            let out = dir.path().join("fit");
            launch::launch(&model, &x, &settings(&out, false), &|| false).expect("fit")
        })
    });
    study.finish();
    // The analysis with charts and briefing, once per fit: on the folder just written.
    let out = dir.path().join("fit");
    let fit_plan = Plan {
        points: POINTS as u32,
        strategies: model.strategies(),
        replicates: 2,
        outputs: model.outputs(),
        detail: false,
        precision: None,
    };
    let mut once = c.benchmark_group("fit analysis, charts and briefing (once per fit)");
    once.sample_size(10);
    once.bench_function(format!("{POINTS} contexts"), |b| {
        b.iter(|| cohabit::fit::analyse(&out, &fit_plan, None, true).expect("analysis"))
    });
    once.finish();
}

fn config() -> Criterion {
    // Criterion's plots need system fonts; the numbers are what matter here.
    Criterion::default().without_plots()
}

criterion_group! { name = benches; config = config(); targets = per_point }
criterion_main!(benches);
