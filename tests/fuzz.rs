//! The fuzz harness: property tests (proptest) over scenario text, `--set` values, design
//! files, run-one requests and shard files. Whatever the input, nothing panics; bad input is
//! an error that says where (file and line or key; exit code 2 through the CLI), and never
//! blames the embedded default for the user's values; accepted input gives finite outputs
//! (and its resolved scenario reads back to itself).
//!
//! `cargo test` runs a bounded number of cases per property, quickly. For a longer hunt set
//! `COHABIT_FUZZ_CASES`, e.g. `COHABIT_FUZZ_CASES=5000 cargo test --release fuzz`; a failing
//! case is printed shrunk to a minimal input.

use crate::common::{cohabit, tiny};
use cohabit::experiment::{folder, launch, merge};
use cohabit::rng::RunSeed;
use cohabit::scenario::{self, KEYS, KeyInfo, Range, ScenarioSource};
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

fn float(x: f64) -> String {
    toml::Value::Float(x).to_string()
}

/// Values of the wrong type or beyond any range.
fn junk() -> BoxedStrategy<String> {
    prop::sample::select(vec![
        "\"text\"",
        "[1, 2]",
        "{ a = 1 }",
        "1979-05-27",
        "nan",
        "inf",
        "-inf",
        "1e308",
        "-1",
        "0",
        "9223372036854775807",
        "true",
        "\"\"",
        "-0.0",
    ])
    .prop_map(String::from)
    .boxed()
}

/// A TOML literal for a key of `range`: inside it (ends included), just outside, or junk.
fn literal(range: Range) -> BoxedStrategy<String> {
    match range {
        Range::Number { min, max } => prop_oneof![
            4 => (0.0f64..=1.0).prop_map(move |u| float(min + u * (max - min))),
            2 => Just(float(min)),
            3 => Just(float(max)),
            1 => Just(float(max * 2.0 + 1.0)),
            1 => Just(float(min - 1.0)),
            1 => junk(),
        ]
        .boxed(),
        Range::Whole { min, max } => prop_oneof![
            4 => (min..=max).prop_map(|n| n.to_string()),
            2 => Just(min.to_string()),
            2 => Just(max.to_string()),
            1 => Just((u128::from(max) + 1).to_string()),
            1 => junk(),
        ]
        .boxed(),
        Range::Choice(words) => prop_oneof![
            4 => prop::sample::select(words.to_vec()).prop_map(|w| format!("{w:?}")),
            1 => Just("\"nope\"".to_string()),
            1 => junk(),
        ]
        .boxed(),
        Range::Bool => {
            prop_oneof![Just("true".to_string()), Just("false".to_string()), junk()].boxed()
        }
        Range::Text => prop_oneof![
            3 => "[ -~]{0,24}".prop_map(|t| toml::Value::String(t).to_string()),
            1 => "[ -~\n\t/.=+@]{0,12}".prop_map(|t| toml::Value::String(t).to_string()),
            1 => junk(),
        ]
        .boxed(),
    }
}

/// Keys that set the size of a run, kept small so that each accepted case runs quickly.
const SIZES: &[(&str, &[&str])] = &[
    ("weeks", &["1", "2", "13", "30", "0", "-1", "5201"]),
    ("timeseries_every_weeks", &["1", "4", "13", "0"]),
    ("landscape.width", &["8", "9", "16", "24", "7"]),
    ("landscape.height", &["8", "12", "16", "24"]),
    (
        "landscape.concession_size",
        &["2", "3", "8", "16", "24", "1"],
    ),
    ("landscape.core_size", &["1", "2", "3", "13"]),
    ("landscape.protected_size", &["0", "1", "2", "12"]),
    ("miners.initial", &["0", "1", "150", "1500", "-5"]),
    ("miners.max", &["1", "600", "2000", "0"]),
    ("chiefs.count", &["1", "2", "250", "0"]),
];

fn is_size(key: &str) -> bool {
    SIZES.iter().any(|(k, _)| *k == key) || key == "seeds"
}

/// Strategy names, good and bad, as TOML keys.
const NAMES: &[&str] = &[
    "coexistence",
    "mine",
    "\"late.engagement\"",
    "\"-x\"",
    "\"=1+1\"",
    "a",
];

fn key_line(keys: Vec<&'static KeyInfo>) -> BoxedStrategy<String> {
    prop::sample::select(keys)
        .prop_flat_map(|k| literal(k.range).prop_map(move |v| format!("{} = {v}", k.key)))
        .boxed()
}

/// One line of a scenario file: a known key with some value, a strategy's key, or junk.
fn line() -> BoxedStrategy<String> {
    let plain: Vec<&'static KeyInfo> = KEYS
        .iter()
        .filter(|k| !k.key.starts_with("strategies.") && !is_size(k.key))
        .collect();
    let levers: Vec<&'static KeyInfo> = KEYS
        .iter()
        .filter(|k| k.key.starts_with("strategies."))
        .collect();
    let lever =
        (prop::sample::select(NAMES), prop::sample::select(levers)).prop_flat_map(|(name, k)| {
            literal(k.range).prop_map(move |v| format!("{} = {v}", k.key.replace('*', name)))
        });
    prop_oneof![
        8 => key_line(plain),
        3 => lever,
        1 => "[a-z_.]{1,12} = [0-9a-z\"]{0,6}",
        1 => "[\\[\\]=\"#a-z. ]{0,15}",
    ]
    .boxed()
}

/// A scenario file: either adversarial (sizes and lines of any value, junk lines), or
/// plausible (a consistent small world and values inside their ranges, ends included), so
/// that accepted scenarios, extremes and all, are run too.
fn scenario_text() -> impl Strategy<Value = String> {
    prop_oneof![adversarial_text(), plausible_text()]
}

fn adversarial_text() -> impl Strategy<Value = String> {
    let sizes: Vec<BoxedStrategy<String>> = SIZES
        .iter()
        .map(|(k, vs)| {
            prop::sample::select(vs.to_vec())
                .prop_map(move |v| format!("{k} = {v}"))
                .boxed()
        })
        .collect();
    (sizes, prop::collection::vec(line(), 0..12)).prop_map(|(sizes, lines)| {
        sizes
            .into_iter()
            .chain(lines)
            .collect::<Vec<_>>()
            .join("\n")
            + "\n"
    })
}

/// A value inside `range`: either end or between them.
fn in_range(range: Range) -> BoxedStrategy<String> {
    match range {
        Range::Number { min, max } => prop_oneof![
            Just(float(min)),
            Just(float(max)),
            (0.0f64..=1.0).prop_map(move |u| float(min + u * (max - min))),
        ]
        .boxed(),
        Range::Whole { min, max } => prop_oneof![
            Just(min.to_string()),
            Just(max.to_string()),
            (min..=max).prop_map(|n| n.to_string()),
        ]
        .boxed(),
        Range::Choice(words) => prop::sample::select(words.to_vec())
            .prop_map(|w| format!("{w:?}"))
            .boxed(),
        Range::Bool => prop_oneof![Just("true".to_string()), Just("false".to_string())].boxed(),
        Range::Text => "[a-z ]{0,12}".prop_map(|t| format!("{t:?}")).boxed(),
    }
}

fn plausible_text() -> impl Strategy<Value = String> {
    let pick = |k: &'static str, vs: &'static [&'static str]| {
        prop::sample::select(vs.to_vec()).prop_map(move |v| format!("{k} = {v}"))
    };
    let sizes = (
        pick("weeks", &["1", "2", "13", "30"]),
        pick("landscape.width", &["12", "16", "24"]),
        pick("landscape.height", &["12", "16"]),
        pick("landscape.concession_size", &["4", "8"]),
        pick("landscape.core_size", &["1", "3"]),
        pick("landscape.protected_size", &["0", "2"]),
        pick("miners.initial", &["0", "1", "300"]),
        pick("miners.max", &["300", "1200"]),
        pick("timeseries_every_weeks", &["1", "4"]),
    )
        .prop_map(|t| {
            [
                t.0,
                t.1,
                t.2,
                t.3,
                t.4,
                t.5,
                t.6,
                t.7,
                t.8,
                "chiefs.count = 2".into(),
            ]
            .join("\n")
        });
    let keys: Vec<&'static KeyInfo> = KEYS
        .iter()
        .filter(|k| !is_size(k.key) && k.key != "name")
        .filter(|k| !k.key.starts_with("strategies.") && !k.key.starts_with("economy.price_shock"))
        .collect();
    let lines = prop::collection::vec(
        prop::sample::select(keys)
            .prop_flat_map(|k| in_range(k.range).prop_map(move |v| format!("{} = {v}", k.key))),
        0..16,
    );
    let levers: Vec<&'static KeyInfo> = KEYS
        .iter()
        .filter(|k| k.key.starts_with("strategies.*.") && !k.key.ends_with("start_week"))
        .filter(|k| !matches!(k.range, Range::Text))
        .collect();
    let strategy = (
        prop::sample::select(vec!["coexistence", "mine"]),
        prop::sample::select(vec![
            "confrontation",
            "coexistence",
            "cohabitation",
            "collaboration",
        ]),
        prop::collection::vec(
            prop::sample::select(levers)
                .prop_flat_map(|k| in_range(k.range).prop_map(move |v| (k.key, v))),
            0..8,
        ),
    )
        .prop_map(|(name, preset, levers)| {
            let mut lines = vec![format!("strategies.{name}.preset = {preset:?}")];
            lines.extend(
                levers
                    .into_iter()
                    .filter(|(k, _)| !k.ends_with(".preset"))
                    .map(|(k, v)| format!("{} = {v}", k.replace('*', name))),
            );
            lines
        });
    let strategies = prop::collection::vec(strategy, 0..3);
    (sizes, lines, strategies).prop_map(|(sizes, mut lines, strategies)| {
        lines.extend(strategies.into_iter().flatten());
        // One value per key, or the file is not TOML.
        let mut seen = std::collections::BTreeSet::new();
        lines.retain(|l| seen.insert(l.split(" = ").next().unwrap_or_default().to_string()));
        format!("{sizes}\n{}\n", lines.join("\n"))
    })
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

/// A `--set KEY=VALUE`: a known key with some value, or junk on either side.
fn set_arg() -> impl Strategy<Value = String> {
    let known = prop::sample::select(KEYS.to_vec()).prop_flat_map(|k| {
        let key = k.key.replace('*', "coexistence");
        prop_oneof![3 => literal(k.range), 1 => "[ -~\n\r\t]{0,16}".boxed()]
            .prop_map(move |v| format!("{key}={v}"))
    });
    prop_oneof![
        4 => known,
        1 => ("[a-z_.*\"= ]{0,16}", "[ -~\n\r\t]{0,16}").prop_map(|(k, v)| format!("{k}={v}")),
    ]
}

/// A design file: a method, its settings (small), factors with ranges or values.
fn design_text() -> impl Strategy<Value = String> {
    let method = prop::sample::select(vec![
        "method = \"factorial\"",
        "method = \"latin_hypercube\"\npoints = 5",
        "method = \"latin_hypercube\"\npoints = 0",
        "method = \"morris\"\ntrajectories = 2",
        "method = \"morris\"\ntrajectories = 2\nlevels = 3",
        "method = \"sobol\"\nsamples = 2\nbootstrap = 10",
        "method = \"table\"\ntable = \"points.csv\"",
        "method = \"table\"\ntable = \"../x.csv\"",
        "method = \"nope\"",
        "points = 3",
    ]);
    let keys: Vec<String> = KEYS
        .iter()
        .filter(|k| !is_size(k.key))
        .map(|k| k.key.replace('*', "coexistence"))
        .chain([
            "seeds".to_string(),
            "economy.nope".to_string(),
            "a..b".to_string(),
        ])
        .collect();
    let spec = prop_oneof![
        "range = \\[(-?[0-9]{1,3}(\\.[0-9])?), (-?[0-9]{1,4}(\\.[0-9])?)\\]( *\nlevels = [0-3])?( *\ninteger = (true|false))?",
        "values = \\[(\"[a-z=@+]{0,5}\"|[0-9.-]{1,4}|true)(, (\"[a-z]{0,5}\"|[0-9]{1,3}|false)){0,3}\\]",
        "[a-z =\\[\\]0-9]{0,12}",
    ];
    let factor =
        (prop::sample::select(keys), spec).prop_map(|(k, s)| format!("[factors.\"{k}\"]\n{s}"));
    (method, prop::collection::vec(factor, 0..4))
        .prop_map(|(m, f)| format!("{m}\n{}\n", f.join("\n")))
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
        let (fixture, whole_runs) = shard_fixture();
        let dir = tempfile::tempdir().unwrap();
        let shards = dir.path().join("shards");
        copy_dir(&fixture.path().join("sharded/shards"), &shards);
        let folders = ["0001-of-0002", "0002-of-0002"].map(|f| shards.join(f));
        let path = |shard: usize, file: usize| folders[shard].join(SHARD_FILES[file]);
        match &d {
            Damage::Flip { shard, file, at, bit } => {
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
            Damage::Field { shard, field, value } => {
                let p = folders[*shard].join("shard.json");
                let mut j: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&p).unwrap()).unwrap();
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
        let merged = merge::shard_folders(std::slice::from_ref(&shards)).and_then(|f| merge::merge(&f, &settings));
        match merged {
            Ok(_) => prop_assert_eq!(&std::fs::read(out.join("runs.csv")).unwrap(), whole_runs, "{:?}", d),
            Err(e) => {
                prop_assert_eq!(e.code(), 2, "{:?}: {}", d, e);
                prop_assert!(!out.exists(), "{:?}: a refused merge wrote {}", d, out.display());
            }
        }
    }
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
