//! Speed figures (not timed tests): miner-weeks simulated per second per core, one run of
//! each strategy of the default scenario (the six presets) on one core, the same for a
//! small population (250 miners, where the weekly per-cell passes weigh most), and a batch
//! of the default scenario on one and two threads. Targets (issue 13): the default batch at
//! 1.5x commit cbed3db's miner-weeks per second per core, and two threads at 1.9x one.
//!
//! `cargo bench --bench throughput`. Criterion reports throughput as "elements/s", one element
//! being one miner-week. The whole-study figure (runs per second of a small fit) is in
//! `cargo bench --bench fit`.

use cohabit::batch;
use cohabit::rng::RunSeed;
use cohabit::scenario::{ScenarioSource, load};
use cohabit::sim;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

/// One run of each strategy of the default scenario with these overrides, on one core.
fn one_run_each(c: &mut Criterion, title: &str, set: &[&str]) {
    let set: Vec<String> = set.iter().map(|s| s.to_string()).collect();
    let s = load(&ScenarioSource::Default, &set).expect("default scenario");
    let mut group = c.benchmark_group(title);
    group.sample_size(10);
    for ns in &s.strategies {
        let seed = RunSeed::new(s.master_seed, 0, 0);
        let miner_weeks = sim::run(&s, &ns.strategy, seed).metrics.miner_weeks;
        group.throughput(Throughput::Elements(miner_weeks as u64));
        group.bench_function(format!("one run, {}", ns.name), |b| {
            b.iter(|| black_box(sim::run(&s, &ns.strategy, seed)))
        });
    }
    group.finish();
}

fn one_run(c: &mut Criterion) {
    one_run_each(c, "default scenario", &[]);
}

fn small_population(c: &mut Criterion) {
    one_run_each(
        c,
        "250 miners",
        &["miners.initial=250", "miners.inflow_per_week=0.5"],
    );
}

fn batch_on_threads(c: &mut Criterion) {
    let s = load(&ScenarioSource::Default, &["seeds=8".to_string()]).expect("default scenario");
    let specs = batch::plan(&s, 0);
    let bar = indicatif::ProgressBar::hidden();
    let mut group = c.benchmark_group(format!("default scenario batch ({} runs)", specs.len()));
    group.sample_size(10);
    let miner_weeks: f64 = specs
        .iter()
        .map(|sp| {
            sim::run(&s, &s.strategies[sp.strategy].strategy, sp.seed)
                .metrics
                .miner_weeks
        })
        .sum();
    group.throughput(Throughput::Elements(miner_weeks as u64));
    for threads in [1, 2] {
        let pool = rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool");
        group.bench_function(format!("{threads} thread(s)"), |b| {
            b.iter(|| {
                pool.install(|| {
                    batch::execute::<()>(&s, &specs, &bar, &|| false, &mut |_, out| {
                        black_box(out);
                        Ok(())
                    })
                })
            })
        });
    }
    group.finish();
}

fn config() -> Criterion {
    // Criterion's plots need system fonts; the numbers are what matter here.
    Criterion::default().without_plots()
}

criterion_group! { name = benches; config = config(); targets = one_run, small_population, batch_on_threads }
criterion_main!(benches);
