//! Tests of design files, their errors and their points.

use super::*;
use std::path::Path;

fn parse(text: &str) -> Result<Design, DesignError> {
    Design::from_str(text, "d.toml", Path::new("."))
}

/// The (file, line, key, message) of an invalid design; fails the test on anything else.
fn invalid(text: &str) -> (String, usize, String, String) {
    match parse(text) {
        Err(e @ DesignError::Invalid { .. }) => {
            let message = e.to_string();
            let DesignError::Invalid {
                file, line, key, ..
            } = e
            else {
                unreachable!()
            };
            (file, line, key, message)
        }
        other => panic!("expected an invalid design, got {other:?}"),
    }
}

/// Asserts that `text` fails at `line` on `key`, with a message containing `words`.
fn assert_invalid(text: &str, line: usize, key: &str, words: &str) {
    let (file, got_line, got_key, message) = invalid(text);
    assert_eq!(file, "d.toml", "{message}");
    assert_eq!((got_line, got_key.as_str()), (line, key), "{message}");
    assert!(message.contains(words), "{message:?} lacks {words:?}");
    assert!(
        message.starts_with(&format!("d.toml:{line}: `{key}`: ")),
        "{message}"
    );
}

const EXAMPLE: &str = r#"
method = "factorial"

[factors."economy.price_volatility"]
range = [0.05, 0.40]
levels = 3

[factors."miners.initial"]
range = [1000, 6000]
levels = 2
integer = true

[factors."strategies.coexistence.engagement.channel"]
values = ["direct", "chief", "government"]
"#;

#[test]
fn factorial_is_the_product_in_file_order_last_fastest() {
    let design = parse(EXAMPLE).unwrap();
    assert_eq!(design.seed, 1);
    let keys: Vec<&str> = design.factors.iter().map(|f| f.key.as_str()).collect();
    assert_eq!(
        keys,
        [
            "economy.price_volatility",
            "miners.initial",
            "strategies.coexistence.engagement.channel"
        ]
    );
    let points = design.points().unwrap();
    assert_eq!(points.len(), 3 * 2 * 3);
    let text = |p: &DesignPoint| p.overrides().join(" ");
    assert_eq!(
        text(&points[0]),
        "economy.price_volatility=0.05 miners.initial=1000 \
         strategies.coexistence.engagement.channel=\"direct\""
    );
    assert_eq!(
        text(&points[1]),
        "economy.price_volatility=0.05 miners.initial=1000 \
         strategies.coexistence.engagement.channel=\"chief\""
    );
    assert_eq!(points[3].values[1].1, FactorValue::Integer(6000));
    assert_eq!(points[6].values[0].1, FactorValue::Number(0.225));
    assert_eq!(points[17].values[0].1, FactorValue::Number(0.4));
    assert_eq!(
        points.iter().map(|p| p.id).collect::<Vec<_>>(),
        (0..18).collect::<Vec<_>>()
    );
}

#[test]
fn values_print_as_toml_literals() {
    assert_eq!(FactorValue::Number(0.25).to_toml(), "0.25");
    assert_eq!(FactorValue::Number(3000.0).to_toml(), "3000.0");
    assert_eq!(
        FactorValue::Number(0.1 + 0.2).to_toml(),
        "0.30000000000000004"
    );
    assert_eq!(FactorValue::Integer(3000).to_toml(), "3000");
    assert_eq!(FactorValue::Text("chief".into()).to_toml(), "\"chief\"");
    assert_eq!(FactorValue::Text("a\"b".into()).to_toml(), "'a\"b'");
    assert_eq!(FactorValue::Bool(true).to_toml(), "true");
    // Every literal reads back as the same value.
    for x in [0.1 + 0.2, 1e-7, 6.02e23, -2.5] {
        let back: toml::Value = toml::from_str(&format!("v = {}", FactorValue::Number(x)))
            .map(|t: toml::Table| t["v"].clone())
            .unwrap();
        assert_eq!(back.as_float(), Some(x));
    }
}

const LHS: &str = r#"
method = "latin_hypercube"
points = 20
seed = 7

[factors.a]
range = [0.0, 10.0]

[factors.b]
range = [-3, 3]
integer = true

[factors.c]
values = ["x", "y", "z", "w"]
"#;

#[test]
fn latin_hypercube_uses_each_stratum_once() {
    let design = parse(LHS).unwrap();
    let points = design.points().unwrap();
    assert_eq!(points.len(), 20);
    let mut strata: Vec<usize> = points
        .iter()
        .map(|p| (p.values[0].1.as_f64().unwrap() / 10.0 * 20.0) as usize)
        .collect();
    strata.sort_unstable();
    assert_eq!(strata, (0..20).collect::<Vec<_>>());
    for p in &points {
        let b = &p.values[1].1;
        assert!(matches!(b, FactorValue::Integer(-3..=3)), "{b:?}");
    }
    for level in ["x", "y", "z", "w"] {
        let count = points
            .iter()
            .filter(|p| p.values[2].1 == FactorValue::Text(level.into()))
            .count();
        assert_eq!(count, 5, "each of 4 levels in 5 of 20 strata");
    }
}

#[test]
fn sampling_is_deterministic_in_the_seed() {
    let a = parse(LHS).unwrap().points().unwrap();
    assert_eq!(a, parse(LHS).unwrap().points().unwrap());
    let other = parse(&LHS.replace("seed = 7", "seed = 8")).unwrap();
    assert_ne!(a, other.points().unwrap());
    // A factor's column depends on its key, not on its neighbours.
    let fewer = parse(&LHS.replace("[factors.b]\nrange = [-3, 3]\ninteger = true\n", "")).unwrap();
    let fewer = fewer.points().unwrap();
    for (p, q) in a.iter().zip(&fewer) {
        assert_eq!(p.values[0], q.values[0]);
    }
    // Pinned value: guards against a silent change of RNG or of the draw order.
    assert_eq!(a[0].values[0].1.to_toml(), PINNED_LHS_A0);
}

/// The first Latin hypercube value of `LHS`, recorded when the sampler was written.
const PINNED_LHS_A0: &str = "4.694835184750859";

#[test]
fn fingerprint_tells_designs_apart() {
    let a = parse(EXAMPLE).unwrap();
    assert_eq!(a.fingerprint(), parse(EXAMPLE).unwrap().fingerprint());
    assert_eq!(a.fingerprint().len(), 64);
    let b = parse(&EXAMPLE.replace("0.40", "0.41")).unwrap();
    assert_ne!(a.fingerprint(), b.fingerprint());
    assert!(
        a.canonical_text().contains("levels = 3"),
        "{}",
        a.canonical_text()
    );
}

#[test]
fn morris_and_sobol_designs_expand_and_analyse() {
    let morris = parse(
        "method = \"morris\"\ntrajectories = 10\n\
         [factors.a]\nrange = [0, 2]\n[factors.b]\nrange = [0, 4]\n",
    )
    .unwrap();
    let points = morris.points().unwrap();
    assert_eq!(points.len(), 10 * 3);
    let ys: Vec<f64> = points
        .iter()
        .map(|p| 3.0 * p.values[0].1.as_f64().unwrap() + p.values[1].1.as_f64().unwrap())
        .collect();
    let Analysis::Morris(m) = morris.analyse(&ys).unwrap() else {
        panic!("expected Morris indices")
    };
    assert!((m[0].mu_star - 6.0).abs() < 1e-9 && (m[1].mu_star - 4.0).abs() < 1e-9);

    let sobol = parse(
        "method = \"sobol\"\nsamples = 64\nbootstrap = 20\n\
         [factors.a]\nrange = [0, 1]\n[factors.b]\nrange = [0, 1]\n",
    )
    .unwrap();
    let points = sobol.points().unwrap();
    assert_eq!(points.len(), 64 * 4);
    let ys: Vec<f64> = points
        .iter()
        .map(|p| p.values[1].1.as_f64().unwrap())
        .collect();
    let Analysis::Sobol(s) = sobol.analyse(&ys).unwrap() else {
        panic!("expected Sobol indices")
    };
    assert!(
        s[0].total.abs() < 1e-12 && (s[1].first - 1.0).abs() < 0.05,
        "{s:?}"
    );
    assert!(matches!(
        parse(EXAMPLE).unwrap().analyse(&[]),
        Err(DesignError::NoAnalysis("factorial"))
    ));
}

#[test]
fn every_error_names_file_line_and_key() {
    let f = "method = \"factorial\"\n";
    let cases: &[(String, usize, &str, &str)] = &[
        (
            "method = \"grid\"\n[factors.a]\nrange = [0, 1]\n".into(),
            1,
            "method",
            "unknown method \"grid\"; expected one of factorial",
        ),
        (
            format!("{f}[factors.a]\nrange = [2, 1]\n"),
            3,
            "factors.a.range",
            "expected [low, high] with finite low < high, got [2, 1]",
        ),
        (
            format!("{f}\n[factors.\"a.b\"]\nrange = [0, 1]\nlevels = 1\n"),
            5,
            "factors.\"a.b\".levels",
            "expected at least 2, got 1",
        ),
        (
            format!("{f}[factors.a]\nvalues = []\n"),
            3,
            "factors.a.values",
            "expected a non-empty list",
        ),
        (
            "method = \"latin_hypercube\"\npoints = 0\n[factors.a]\nrange = [0, 1]\n".into(),
            2,
            "points",
            "expected at least 1, got 0",
        ),
        (
            format!("{f}[factors.a]\nrange = [0, 1]\nrang = 3\n"),
            4,
            "factors.a.rang",
            "unknown field `rang`, expected one of `range`",
        ),
        (
            format!("{f}seeds = 3\n[factors.a]\nrange = [0, 1]\n"),
            2,
            "seeds",
            "unknown field `seeds`",
        ),
        (
            format!("{f}[factors.a]\nrange = [0]\n"),
            3,
            "factors.a.range",
            "expected an array of length 2",
        ),
        (
            format!("{f}[factors.a]\nvalues = [1, \"x\"]\n"),
            3,
            "factors.a.values[1]",
            "expected values of one kind, got a string after a number",
        ),
        (
            format!("{f}[factors.a]\nvalues = [1, 1.0, 1]\n"),
            3,
            "factors.a.values[2]",
            "value 1 appears more than once",
        ),
        (
            format!("{f}points = 3\n[factors.a]\nvalues = [1]\n"),
            2,
            "points",
            "not used by method \"factorial\"",
        ),
        (
            "method = \"latin_hypercube\"\n[factors.a]\nvalues = [1]\n".into(),
            1,
            "method",
            "method \"latin_hypercube\" needs `points`",
        ),
        (
            "method = \"sobol\"\nsamples = 8\n[factors.a]\nvalues = [1]\n".into(),
            4,
            "factors.a.values",
            "needs a continuous `range`",
        ),
        (
            "method = \"morris\"\ntrajectories = 8\nlevels = 5\n[factors.a]\nrange = [0, 1]\n"
                .into(),
            3,
            "levels",
            "expected an even number of levels, got 5",
        ),
        (f.to_string(), 1, "factors", "expected at least one factor"),
        (
            format!("{f}[factors.a]\n"),
            2,
            "factors.a",
            "expected exactly one of `range` or `values`",
        ),
        (
            format!("{f}[factors.\"a..b\"]\nrange = [0, 1]\n"),
            2,
            "factors.\"a..b\"",
            "expected a dotted scenario key",
        ),
        (
            format!("{f}[factors.a]\nrange = [0.5, 3]\ninteger = true\n"),
            3,
            "factors.a.range",
            "expected whole-number bounds",
        ),
        (
            format!("{f}[factors.a]\nrange = [0, 3]\ninteger = true\nlevels = 5\n"),
            5,
            "factors.a.levels",
            "repeat values after rounding",
        ),
        (
            format!(
                "{f}[factors.a]\nrange = [0, 1]\nlevels = 1001\n\
                 [factors.b]\nrange = [0, 1]\nlevels = 1000\n"
            ),
            2,
            "factors",
            "expands to 1001000 points; expected at most 1000000",
        ),
        (
            format!("{f}seed = -1\n[factors.a]\nrange = [0, 1]\n"),
            2,
            "seed",
            "expected u64",
        ),
        ("method = factorial\n".into(), 1, "method", "invalid"),
    ];
    for (text, line, key, words) in cases {
        assert_invalid(text, *line, key, words);
    }
}

/// A design file and its CSV table in a temporary folder.
fn with_table(design: &str, csv: &str) -> Result<Design, DesignError> {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("points.csv"), csv).unwrap();
    let path = dir.path().join("design.toml");
    std::fs::write(&path, design).unwrap();
    Design::from_file(&path)
}

const TABLE: &str = "method = \"table\"\ntable = \"points.csv\"\n";

#[test]
fn table_rows_become_points_in_file_order() {
    let csv = "economy.price_volatility,miners.initial,channel\n\
               0.25,3000,chief\n0.1,2000,\"direct\"\n0.25,3000,true\n";
    let err = with_table(TABLE, csv).unwrap_err().to_string();
    let want = "points.csv:4: `channel`: cannot read cell \"true\": \
                expected a string like the first row";
    assert!(err.ends_with(want), "{err}");
    let design = with_table(TABLE, &csv.replace("true", "government")).unwrap();
    let points = design.points().unwrap();
    assert_eq!(points.len(), 3);
    assert_eq!(
        points[1].overrides(),
        [
            "economy.price_volatility=0.1",
            "miners.initial=2000",
            "channel=\"direct\""
        ]
    );
    assert_eq!(
        design.factors[0].spec,
        FactorSpec::Values(vec![FactorValue::Number(0.25), FactorValue::Number(0.1)])
    );
}

#[test]
fn table_cells_are_checked_against_declared_factors() {
    let declared = format!(
        "{TABLE}[factors.\"miners.initial\"]\nrange = [1000, 6000]\ninteger = true\n\
         [factors.channel]\nvalues = [\"direct\", \"chief\"]\n"
    );
    // Columns may come in any order; points follow the declared order.
    let design = with_table(
        &declared,
        "channel,miners.initial\nchief,3000\ndirect,1000\n",
    )
    .unwrap();
    assert_eq!(
        design.points().unwrap()[0].overrides(),
        ["miners.initial=3000", "channel=\"chief\""]
    );
    let check = |csv: &str, want: &str| {
        let e = with_table(&declared, csv).unwrap_err().to_string();
        assert!(e.ends_with(want), "{e:?} does not end with {want:?}");
    };
    let head = "channel,miners.initial\n";
    check(
        &format!("{head}chief,3000\nchief,7000\n"),
        "points.csv:3: `miners.initial`: cannot read cell \"7000\": \
         expected a whole number in [1000, 6000]",
    );
    check(
        &format!("{head}government,3000\n"),
        "points.csv:2: `channel`: cannot read cell \"government\": \
         expected one of [\"direct\", \"chief\"]",
    );
    check(
        "channel,miners\nchief,3000\n",
        "points.csv:1: expected columns naming exactly the declared factors: \
         miners.initial, channel",
    );
    check(
        &format!("{head}chief,3000\nchief\n"),
        "points.csv:3: expected 2 cells, got 1",
    );
    check(
        head,
        "points.csv:1: expected a header line and at least one row",
    );
    check(
        "channel,channel\nchief,chief\n",
        "points.csv:1: `channel`: expected distinct, non-empty column names, got \"channel\"",
    );
    let e = with_table("method = \"table\"\n\ntable = \"missing.csv\"\n", "")
        .unwrap_err()
        .to_string();
    assert!(
        e.contains("design.toml:3: `table`: cannot read table: ") && e.contains("missing.csv"),
        "{e}"
    );
}
