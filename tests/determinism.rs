//! Reproducibility: byte-identical results for any thread count; common random numbers
//! across strategies.

use crate::common::{RESULT_FILES, run_tiny};
use cohabit::rng::RunSeed;
use cohabit::scenario::{ScenarioSource, load};
use cohabit::world::World;

#[test]
fn identical_results_for_any_thread_count() {
    let dir = tempfile::tempdir().unwrap();
    let one = run_tiny(dir.path(), "t1", &["--threads", "1", "--seeds", "5"]);
    for threads in ["2", "3"] {
        let other = run_tiny(
            dir.path(),
            &format!("t{threads}"),
            &["--threads", threads, "--seeds", "5"],
        );
        for f in RESULT_FILES {
            let a = std::fs::read(one.join(f)).unwrap();
            let b = std::fs::read(other.join(f)).unwrap();
            assert!(a == b, "{f} differs between 1 and {threads} threads");
        }
    }
}

#[test]
fn same_seed_same_bytes_other_seed_other_bytes() {
    let dir = tempfile::tempdir().unwrap();
    let a = run_tiny(dir.path(), "a", &["--master-seed", "11"]);
    let b = run_tiny(dir.path(), "b", &["--master-seed", "11"]);
    let c = run_tiny(dir.path(), "c", &["--master-seed", "12"]);
    let runs = |d: &std::path::Path| std::fs::read(d.join("runs.csv")).unwrap();
    assert_eq!(runs(&a), runs(&b));
    assert_ne!(runs(&a), runs(&c));
}

#[test]
fn common_random_numbers_across_strategies() {
    let s = load(&ScenarioSource::Default, &[]).unwrap();
    let seed = RunSeed::new(s.master_seed, 0, 3);
    let worlds: Vec<World> = s
        .strategies
        .iter()
        .map(|ns| World::new(&s, &ns.strategy, seed))
        .collect();
    let first = &worlds[0];
    for w in &worlds[1..] {
        assert_eq!(
            w.price, first.price,
            "the gold price path is the replicate's, not the strategy's"
        );
        assert_eq!(
            w.miners.cell, first.miners.cell,
            "the same miners start in the same places"
        );
        assert_eq!(w.miners.grievance, first.miners.grievance);
        assert_eq!(w.miners.criminal, first.miners.criminal);
        assert_eq!(w.chiefs.len(), first.chiefs.len());
    }
    let other = World::new(
        &s,
        &s.strategies[0].strategy,
        RunSeed::new(s.master_seed, 0, 4),
    );
    assert_ne!(
        other.price, first.price,
        "another replicate is another world"
    );
}

#[test]
fn replicate_seeds_repeat_across_strategies_in_runs_csv() {
    let dir = tempfile::tempdir().unwrap();
    let out = run_tiny(dir.path(), "crn", &[]);
    let text = std::fs::read_to_string(out.join("runs.csv")).unwrap();
    let mut by_replicate = std::collections::BTreeMap::new();
    for line in text.lines().skip(1) {
        let f: Vec<&str> = line.split(',').collect();
        by_replicate
            .entry(f[1].to_string())
            .or_insert_with(Vec::new)
            .push(f[2].to_string());
    }
    for seeds in by_replicate.values() {
        assert_eq!(seeds.len(), 3);
        assert!(
            seeds.iter().all(|s| s == &seeds[0]),
            "replicate seeds differ across strategies: {seeds:?}"
        );
    }
}
