//! The fuzz harness: property tests (proptest) over scenario text, `--set` values, design
//! files, run-one requests and shard files. Whatever the input, nothing panics; bad input is
//! an error that says where (file and line or key; exit code 2 through the CLI), and never
//! blames the embedded default for the user's values; accepted input gives finite outputs
//! (and its resolved scenario reads back to itself).
//!
//! `cargo test` runs a bounded number of cases per property, quickly. For a longer hunt set
//! `COHABIT_FUZZ_CASES`, e.g. `COHABIT_FUZZ_CASES=5000 cargo test --release fuzz`; a failing
//! case is printed shrunk to a minimal input.

mod inputs;

use crate::common::{cohabit, tiny};
use cohabit::experiment::{folder, launch, merge};
use cohabit::rng::RunSeed;
use cohabit::scenario::{self, KEYS, Range, ScenarioSource};
use inputs::{design_text, float, is_size, scenario_text, set_arg};
use proptest::prelude::*;
use std::path::Path;
use std::sync::OnceLock;

/// `default` cases, or `COHABIT_FUZZ_CASES`.
fn config(default: u32) -> ProptestConfig {
    let cases = std::env::var("COHABIT_FUZZ_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Whether every number of a run is finite.
fn finite_run(s: &scenario::Scenario, strategy: usize, replicate: u64) -> bool {
    let seed = RunSeed::new(s.master_seed, 0, replicate);
    let out = cohabit::sim::run(s, &s.strategies[strategy].strategy, seed);
    out.metrics.values().iter().all(|v| v.is_finite())
        && out.series.iter().chain(&out.map).all(|v| v.is_finite())
}

proptest! {
    #![proptest_config(config(48))]

    /// Scenario text through the loader: accepted means finite runs and a resolved file that
    /// reads back to itself; refused means every problem located, in line order, and none
    /// blamed on the embedded default.
    #[test]
    fn scenario_files(text in scenario_text()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, &text).unwrap();
        let name = path.display().to_string();
        match scenario::load(&ScenarioSource::File(path.clone()), &[]) {
            Err(e) => {
                prop_assert!(!e.problems.is_empty());
                let mut last = 0;
                for p in &e.problems {
                    prop_assert!(p.origin == name, "blamed on {}: {e}", p.origin);
                    prop_assert!(p.line.is_some() || p.key.is_some(), "unlocated: {e}");
                    if let Some(l) = p.line {
                        prop_assert!(l >= last, "out of line order: {e}");
                        last = l;
                    }
                }
            }
            Ok(s) => {
                let again = dir.path().join("resolved.toml");
                std::fs::write(&again, s.to_toml()).unwrap();
                let back = scenario::load(&ScenarioSource::File(again), &[]);
                prop_assert!(back.as_ref().is_ok_and(|b| b.hash() == s.hash()), "{back:?}");
                for k in 0..s.strategies.len() {
                    prop_assert!(finite_run(&s, k, k as u64), "non-finite run of:\n{text}");
                }
            }
        }
    }

    /// `--set` values of every kind on the embedded default: accepted, or refused with the
    /// `--set` named.
    #[test]
    fn set_values(set in set_arg()) {
        if let Err(e) = scenario::load(&ScenarioSource::Default, std::slice::from_ref(&set)) {
            for p in &e.problems {
                prop_assert!(p.origin.starts_with("--set"), "blamed on {}: {e}", p.origin);
            }
        }
    }
}

proptest! {
    #![proptest_config(config(64))]

    /// Design files: refused with file and line, or points every one of which the tiny
    /// scenario accepts or refuses cleanly.
    #[test]
    fn design_files(text in design_text(), table in "[a-z._]{1,20},?[a-z]{0,5}\n[-0-9.a-z=@']{0,8}\n") {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("points.csv"), &table).unwrap();
        match cohabit::design::Design::from_str(&text, "d.toml", dir.path()) {
            Err(e) => {
                let shown = e.to_string();
                if let cohabit::design::DesignError::Invalid { file, line, .. } = &e {
                    prop_assert!(*line >= 1 && (file == "d.toml" || file.ends_with("points.csv")), "{shown}");
                }
            }
            Ok(d) => {
                if let Ok(points) = d.points() {
                    prop_assert!(points.len() <= 1_000_000);
                    let model = cohabit::experiment::Cohabit {
                        base: scenario::load(&ScenarioSource::File(tiny()), &[]).unwrap(),
                        source: ScenarioSource::File(tiny()),
                        overrides: Vec::new(),
                        detail: false,
                    };
                    let _ = cohabit::experiment::engine::check_points(&model, &points[..points.len().min(20)]);
                }
            }
        }
    }

    /// run-one requests on the tiny scenario: a reply of finite metrics, or a short error.
    #[test]
    fn run_one_requests(
        strategy in prop::sample::select(vec!["\"confrontation\"", "\"collaboration\"", "\"nope\"", "\"\"", "5", "null"]),
        set in prop::collection::vec((prop::sample::select(KEYS.iter().filter(|k| !is_size(k.key)).collect::<Vec<_>>()), any::<u8>()), 0..4),
        replicate in prop::sample::select(vec!["0", "2", "-1", "1e20", "\"x\"", "18446744073709551615"]),
        extra in prop::sample::select(vec!["", ", \"point\": 3", ", \"master_seed\": 9", ", \"nope\": 1", ", \"point\": -1"]),
    ) {
        let set: Vec<String> = set
            .iter()
            .map(|(k, u)| {
                let key = k.key.replace('*', "collaboration");
                let value = match k.range {
                    Range::Number { min, max } => float(min + f64::from(*u) / 255.0 * (max - min)),
                    Range::Whole { min, .. } => (min + u64::from(*u % 4)).to_string(),
                    Range::Choice(w) => format!("{:?}", w[usize::from(*u) % w.len()]),
                    Range::Bool => (u % 2 == 0).to_string(),
                    Range::Text => format!("\"t{u}\""),
                    Range::Structure(_) => "{}".to_string(),
                };
                format!("{key:?}: {value}")
            })
            .collect();
        let request = format!(
            "{{\"scenario\": {:?}, \"strategy\": {strategy}, \"replicate\": {replicate}, \"set\": {{{}}}{extra}}}",
            tiny().display().to_string(),
            set.join(", ")
        );
        match cohabit::experiment::run_one::run_json(&request) {
            Ok(reply) => {
                let v: serde_json::Value = serde_json::from_str(&reply).unwrap();
                for (_, m) in v["metrics"].as_object().unwrap() {
                    prop_assert!(m.as_f64().is_some_and(f64::is_finite), "{reply}");
                }
            }
            Err(e) => prop_assert!(!e.is_empty() && e.len() < 4000, "{e}"),
        }
    }
}

/// A two-shard run of the tiny scenario and the same run on one machine, made once.
fn shard_fixture() -> &'static (tempfile::TempDir, Vec<u8>) {
    static FIXTURE: OnceLock<(tempfile::TempDir, Vec<u8>)> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        // Kept for the whole test process, under target/ (a static is never dropped).
        let dir = tempfile::tempdir_in(env!("CARGO_TARGET_TMPDIR")).unwrap();
        let t = tiny();
        let out = dir.path().join("sharded");
        for k in ["1/2", "2/2"] {
            crate::common::ok(&[
                "run",
                t.to_str().unwrap(),
                "--out",
                out.to_str().unwrap(),
                "-q",
                "--shard",
                k,
            ]);
        }
        let whole = crate::common::run_tiny(dir.path(), "whole", &["--no-charts"]);
        let runs = std::fs::read(whole.join("runs.csv")).unwrap();
        (dir, runs)
    })
}

fn copy_dir(from: &Path, to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for e in std::fs::read_dir(from).unwrap().flatten() {
        if e.path().is_dir() {
            copy_dir(&e.path(), &to.join(e.file_name()));
        } else {
            std::fs::copy(e.path(), to.join(e.file_name())).unwrap();
        }
    }
}

/// How a shard file is damaged.
#[derive(Debug, Clone)]
enum Damage {
    Flip {
        shard: usize,
        file: usize,
        at: usize,
        bit: u8,
    },
    Truncate {
        shard: usize,
        file: usize,
        keep: usize,
    },
    Append {
        shard: usize,
        file: usize,
        bytes: Vec<u8>,
    },
    Field {
        shard: usize,
        field: &'static str,
        value: &'static str,
    },
}

const SHARD_FILES: [&str; 3] = ["records.bin", "shard.json", "scenario.toml"];

fn damage() -> impl Strategy<Value = Damage> {
    prop_oneof![
        (0..2usize, 0..3usize, any::<usize>(), 0..8u8).prop_map(|(shard, file, at, bit)| {
            Damage::Flip {
                shard,
                file,
                at,
                bit,
            }
        }),
        (0..2usize, 0..3usize, any::<usize>()).prop_map(|(shard, file, keep)| Damage::Truncate {
            shard,
            file,
            keep
        }),
        (
            0..2usize,
            0..3usize,
            prop::collection::vec(any::<u8>(), 1..40)
        )
            .prop_map(|(shard, file, bytes)| Damage::Append { shard, file, bytes }),
        (
            0..2usize,
            prop::sample::select(vec![
                "shard",
                "shards",
                "held",
                "plan_runs",
                "records",
                "records_bytes",
                "version",
                "layout",
                "wall_time_s",
                "threads"
            ]),
            prop::sample::select(vec![
                "0",
                "1",
                "3",
                "-1",
                "1e300",
                "\"x\"",
                "\"../../etc/passwd\"",
                "null",
                "4294967296",
                "[]"
            ]),
        )
            .prop_map(|(shard, field, value)| Damage::Field {
                shard,
                field,
                value
            }),
    ]
}

proptest! {
    #![proptest_config(config(32))]

    /// Damaged shards: the merge refuses with exit code 2 and writes nothing, or (when the
    /// damage touched nothing that matters) gives the single-machine bytes.
    #[test]
    fn shard_files(d in damage()) {
        merge_damaged(&d)?;
    }
}

/// Applies `d` to a copy of the sharded fixture and merges it (see `shard_files`).
fn merge_damaged(d: &Damage) -> Result<(), TestCaseError> {
    let (fixture, whole_runs) = shard_fixture();
    let dir = tempfile::tempdir().unwrap();
    let shards = dir.path().join("shards");
    copy_dir(&fixture.path().join("sharded/shards"), &shards);
    let folders = ["0001-of-0002", "0002-of-0002"].map(|f| shards.join(f));
    let path = |shard: usize, file: usize| folders[shard].join(SHARD_FILES[file]);
    match &d {
        Damage::Flip {
            shard,
            file,
            at,
            bit,
        } => {
            let mut b = std::fs::read(path(*shard, *file)).unwrap();
            let i = at % b.len();
            b[i] ^= 1 << bit;
            std::fs::write(path(*shard, *file), b).unwrap();
        }
        Damage::Truncate { shard, file, keep } => {
            let b = std::fs::read(path(*shard, *file)).unwrap();
            std::fs::write(path(*shard, *file), &b[..keep % b.len()]).unwrap();
        }
        Damage::Append { shard, file, bytes } => {
            let mut b = std::fs::read(path(*shard, *file)).unwrap();
            b.extend(bytes);
            std::fs::write(path(*shard, *file), b).unwrap();
        }
        Damage::Field {
            shard,
            field,
            value,
        } => {
            let p = folders[*shard].join("shard.json");
            let mut j: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
            j[*field] = serde_json::from_str(value).unwrap();
            std::fs::write(&p, j.to_string()).unwrap();
        }
    }
    let out = dir.path().join("merged");
    let settings = launch::Settings {
        out: out.clone(),
        threads: 1,
        shard: cohabit::experiment::Shard::WHOLE,
        folder: folder::Options::default(),
        overrides: Vec::new(),
        command_line: "fuzz".into(),
        progress: false,
        charts: false,
    };
    let merged = merge::shard_folders(std::slice::from_ref(&shards))
        .and_then(|f| merge::merge(&f, &settings));
    match merged {
        Ok(_) => prop_assert_eq!(
            &std::fs::read(out.join("runs.csv")).unwrap(),
            whole_runs,
            "{:?}",
            d
        ),
        Err(e) => {
            prop_assert_eq!(e.code(), 2, "{:?}: {}", d, e);
            prop_assert!(
                !out.exists(),
                "{:?}: a refused merge wrote {}",
                d,
                out.display()
            );
        }
    }
    Ok(())
}

/// Found by `shard_files`: a shard.json saying `"shards": 0` made the merge divide by zero.
#[test]
fn a_shard_count_of_zero_is_refused_not_a_panic() {
    merge_damaged(&Damage::Field {
        shard: 0,
        field: "shards",
        value: "0",
    })
    .unwrap();
    merge_damaged(&Damage::Field {
        shard: 1,
        field: "shard",
        value: "0",
    })
    .unwrap();
}

proptest! {
    #![proptest_config(config(12))]

    /// Through the binary: `validate` exits 0 or 2, never panics, and each problem line
    /// names the file.
    #[test]
    fn validate_through_the_cli(text in scenario_text()) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("s.toml");
        std::fs::write(&path, &text).unwrap();
        let o = cohabit(&["validate", path.to_str().unwrap()]);
        let err = String::from_utf8_lossy(&o.stderr);
        prop_assert!(matches!(o.status.code(), Some(0 | 2)), "{:?}: {}", o.status, err);
        prop_assert!(!err.contains("panicked"), "{}", err);
        if o.status.code() == Some(2) {
            for l in err.lines().skip(1) {
                prop_assert!(l.starts_with(path.to_str().unwrap()), "{}", err);
            }
        }
    }
}
