//! What the fuzz harness feeds cohabit: scenario files (adversarial, or plausible with values
//! at the ends of their ranges), `--set` arguments and design files, as proptest strategies.

use cohabit::scenario::{KEYS, KeyInfo, Range};
use proptest::prelude::*;

pub(super) fn float(x: f64) -> String {
    toml::Value::Float(x).to_string()
}

/// Values of the wrong type or beyond any range.
pub(super) fn junk() -> BoxedStrategy<String> {
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
pub(super) fn literal(range: Range) -> BoxedStrategy<String> {
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
        // Phases and triggers: hostile shapes (a word, a number, an empty table or list,
        // a list of odd tables).
        Range::Structure(_) => prop_oneof![
            Just("{}".to_string()),
            Just("[]".to_string()),
            Just(
                "[{ from = \"start\", to = \"x\", when = [\"trust >\"], window_weeks = 0 }]"
                    .to_string()
            ),
            Just("{ x = { preset = \"stepwise\" } }".to_string()),
            junk(),
        ]
        .boxed(),
    }
}

/// Keys that set the size of a run, kept small so that each accepted case runs quickly.
pub(super) const SIZES: &[(&str, &[&str])] = &[
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

pub(super) fn is_size(key: &str) -> bool {
    SIZES.iter().any(|(k, _)| *k == key) || key == "seeds"
}

/// Strategy names, good and bad, as TOML keys.
pub(super) const NAMES: &[&str] = &[
    "coexistence",
    "mine",
    "\"late.engagement\"",
    "\"-x\"",
    "\"=1+1\"",
    "a",
];

pub(super) fn key_line(keys: Vec<&'static KeyInfo>) -> BoxedStrategy<String> {
    prop::sample::select(keys)
        .prop_flat_map(|k| literal(k.range).prop_map(move |v| format!("{} = {v}", k.key)))
        .boxed()
}

/// One line of a scenario file: a known key with some value, a strategy's key, or junk.
pub(super) fn line() -> BoxedStrategy<String> {
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
pub(super) fn scenario_text() -> impl Strategy<Value = String> {
    prop_oneof![adversarial_text(), plausible_text()]
}

pub(super) fn adversarial_text() -> impl Strategy<Value = String> {
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
pub(super) fn in_range(range: Range) -> BoxedStrategy<String> {
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
        // Never drawn: plausible scenarios leave phases and triggers to the presets.
        Range::Structure(_) => Just("{}".to_string()).boxed(),
    }
}

pub(super) fn plausible_text() -> impl Strategy<Value = String> {
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
        .filter(|k| !matches!(k.range, Range::Text | Range::Structure(_)))
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

/// A `--set KEY=VALUE`: a known key with some value, or junk on either side.
pub(super) fn set_arg() -> impl Strategy<Value = String> {
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
pub(super) fn design_text() -> impl Strategy<Value = String> {
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
