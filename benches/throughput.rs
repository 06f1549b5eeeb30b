//! Speed targets (not timed tests): miner-weeks simulated per second on the default scenario,
//! one run on one core, and a batch on two threads. Targets: at least 10 million miner-weeks
//! per second per core, and at least 1.8x that on two threads.
//!
//! `cargo bench --bench throughput`. Criterion reports throughput as "elements/s", one element
//! being one miner-week.

use cohabit::batch;
use cohabit::rng::RunSeed;
use cohabit::scenario::{ScenarioSource, load};
use cohabit::sim;
use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;

fn one_run(c: &mut Criterion) {
    let s = load(&ScenarioSource::Default, &[]).expect("default scenario");
    let mut group = c.benchmark_group("default scenario");
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

fn batch_on_threads(c: &mut Criterion) {
    let s = load(&ScenarioSource::Default, &["seeds=8".to_string()]).expect("default scenario");
    let specs = batch::plan(&s, 0);
    let bar = indicatif::ProgressBar::hidden();
    let mut group = c.benchmark_group("default scenario batch (32 runs)");
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

criterion_group! { name = benches; config = config(); targets = one_run, batch_on_threads }
criterion_main!(benches);
