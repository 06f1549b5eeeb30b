//! Reading a design file: TOML text -> raw serde structs -> checked [`Design`].
//!
//! Every error names the file, the 1-based line and the key. Line numbers come from the TOML
//! parser's byte span when it has one, and otherwise from looking the key path up in a
//! span-keeping `toml_edit` parse of the same text.

use std::marker::PhantomData;
use std::path::Path;

use serde::Deserialize;
use serde::de::{Deserializer, MapAccess, Visitor};

use super::locate::{Locator, Seg, is_scenario_key, line_at};
use super::{Design, DesignError, Factor, FactorSpec, FactorValue, Method, Problem, table};
use crate::output::safe::brief;
use crate::sensitivity::sobol::{MAX_BASE_SAMPLES, MAX_FACTORS};

/// Most points a design may expand to: far beyond any affordable sweep, low enough that a
/// typo (`levels = 300` on five factors) fails at once instead of exhausting memory.
pub(super) const MAX_POINTS: usize = 1_000_000;

/// The design file as written, before any check beyond TOML types.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawDesign {
    method: String,
    points: Option<usize>,
    seed: Option<u64>,
    table: Option<String>,
    trajectories: Option<usize>,
    levels: Option<usize>,
    samples: Option<usize>,
    bootstrap: Option<usize>,
    #[serde(default)]
    factors: Ordered<RawFactor>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawFactor {
    range: Option<[f64; 2]>,
    levels: Option<usize>,
    integer: Option<bool>,
    values: Option<Vec<toml::Value>>,
}

/// A TOML table read as `(key, value)` pairs in file order.
struct Ordered<T>(Vec<(String, T)>);

impl<T> Default for Ordered<T> {
    fn default() -> Self {
        Ordered(Vec::new())
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for Ordered<T> {
    fn deserialize<D: Deserializer<'de>>(de: D) -> Result<Self, D::Error> {
        struct OrderedVisitor<T>(PhantomData<T>);
        impl<'de, T: Deserialize<'de>> Visitor<'de> for OrderedVisitor<T> {
            type Value = Ordered<T>;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a table of factors")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered<T>, A::Error> {
                let mut entries = Vec::new();
                while let Some(entry) = map.next_entry()? {
                    entries.push(entry);
                }
                Ok(Ordered(entries))
            }
        }
        de.deserialize_map(OrderedVisitor(PhantomData))
    }
}

fn key(k: &str) -> Vec<Seg> {
    vec![Seg::Key(k.to_string())]
}

fn factor_path(name: &str, field: &str) -> Vec<Seg> {
    let mut path = vec![Seg::Key("factors".into()), Seg::Key(name.to_string())];
    if !field.is_empty() {
        path.push(Seg::Key(field.to_string()));
    }
    path
}

/// Reads and checks a design file's text.
pub(super) fn parse(text: &str, origin: &str, base_dir: &Path) -> Result<Design, DesignError> {
    let loc = Locator::new(origin, text);
    let raw = deserialize(text, &loc)?;
    let kind = method_kind(&raw, &loc)?;
    reject_unused(&raw, kind, &loc)?;
    let factors = raw
        .factors
        .0
        .iter()
        .map(|(name, f)| factor(name, f, kind, &loc))
        .collect::<Result<Vec<_>, _>>()?;
    let seed = raw.seed.unwrap_or(1);
    let (method, factors) = match kind {
        Kind::Factorial => (Method::Factorial, factors),
        Kind::LatinHypercube => {
            let points = required(raw.points, "points", kind, &loc)?;
            check_count(points, 1, MAX_POINTS, "points", &loc)?;
            (Method::LatinHypercube { points }, factors)
        }
        Kind::Table => {
            let name = raw.table.as_deref().unwrap_or_default();
            table::read(base_dir, name, factors, &loc)?
        }
        Kind::Morris => {
            let trajectories = required(raw.trajectories, "trajectories", kind, &loc)?;
            let levels = raw.levels.unwrap_or(4);
            check_count(levels, 2, usize::MAX, "levels", &loc)?;
            if !levels.is_multiple_of(2) {
                return Err(loc.at(&key("levels"), Problem::OddLevels(levels)));
            }
            check_count(trajectories, 1, MAX_POINTS, "trajectories", &loc)?;
            let method = Method::Morris {
                trajectories,
                levels,
            };
            (method, factors)
        }
        Kind::Sobol => {
            let samples = required(raw.samples, "samples", kind, &loc)?;
            check_count(samples, 1, MAX_BASE_SAMPLES, "samples", &loc)?;
            let bootstrap = raw.bootstrap.unwrap_or(1000);
            check_count(bootstrap, 0, 100_000, "bootstrap", &loc)?;
            (Method::Sobol { samples, bootstrap }, factors)
        }
    };
    check_size(&method, &factors, &loc)?;
    Ok(Design {
        method,
        factors,
        seed,
    })
}

/// TOML syntax and types; a failure names the line from the parser's span and the key from
/// the serde path.
fn deserialize(text: &str, loc: &Locator) -> Result<RawDesign, DesignError> {
    let toml_error = |e: toml::de::Error, path: Vec<Seg>| {
        let problem = Problem::Toml(e.message().trim().to_string());
        match e.span() {
            Some(span) => {
                let line = line_at(text, span.start);
                let path = if path.is_empty() {
                    key_on_line(text, line)
                } else {
                    path
                };
                loc.at_line(&path, line, problem)
            }
            None => loc.at(&path, problem),
        }
    };
    let de = toml::Deserializer::parse(text).map_err(|e| toml_error(e, Vec::new()))?;
    serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e
            .path()
            .iter()
            .filter_map(|s| match s {
                serde_path_to_error::Segment::Map { key } => Some(Seg::Key(key.clone())),
                serde_path_to_error::Segment::Seq { index } => Some(Seg::Index(*index)),
                _ => None,
            })
            .collect();
        toml_error(e.into_inner(), path)
    })
}

/// For a syntax error, which carries no key path: the `key` of a `key = ...` line.
fn key_on_line(text: &str, line: usize) -> Vec<Seg> {
    let Some((left, _)) = text.lines().nth(line - 1).and_then(|l| l.split_once('=')) else {
        return Vec::new();
    };
    let name = left.trim();
    if is_scenario_key(name) {
        name.split('.').map(|k| Seg::Key(k.to_string())).collect()
    } else {
        Vec::new()
    }
}

/// The method named in the file, before its settings are read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    Factorial,
    LatinHypercube,
    Table,
    Morris,
    Sobol,
}

impl Kind {
    const ALL: [Kind; 5] = [
        Kind::Factorial,
        Kind::LatinHypercube,
        Kind::Table,
        Kind::Morris,
        Kind::Sobol,
    ];

    fn name(self) -> &'static str {
        match self {
            Kind::Factorial => "factorial",
            Kind::LatinHypercube => "latin_hypercube",
            Kind::Table => "table",
            Kind::Morris => "morris",
            Kind::Sobol => "sobol",
        }
    }
}

fn method_kind(raw: &RawDesign, loc: &Locator) -> Result<Kind, DesignError> {
    Kind::ALL
        .into_iter()
        .find(|k| k.name() == raw.method)
        .ok_or_else(|| loc.at(&key("method"), Problem::UnknownMethod(brief(&raw.method))))
}

/// Rejects top-level keys the method does not use: a `points = 50` left in a factorial
/// design is a mistake the user should hear about, not a silent no-op.
fn reject_unused(raw: &RawDesign, kind: Kind, loc: &Locator) -> Result<(), DesignError> {
    let present = [
        ("points", raw.points.is_some(), Kind::LatinHypercube),
        ("table", raw.table.is_some(), Kind::Table),
        ("trajectories", raw.trajectories.is_some(), Kind::Morris),
        ("levels", raw.levels.is_some(), Kind::Morris),
        ("samples", raw.samples.is_some(), Kind::Sobol),
        ("bootstrap", raw.bootstrap.is_some(), Kind::Sobol),
    ];
    let method = kind.name();
    for (name, is_set, owner) in present {
        if is_set && owner != kind {
            return Err(loc.at(&key(name), Problem::NotForMethod(method)));
        }
    }
    if kind == Kind::Table && raw.table.is_none() {
        return Err(loc.at(
            &key("method"),
            Problem::Missing {
                method,
                key: "table",
            },
        ));
    }
    Ok(())
}

fn required(
    value: Option<usize>,
    name: &'static str,
    kind: Kind,
    loc: &Locator,
) -> Result<usize, DesignError> {
    let problem = || Problem::Missing {
        method: kind.name(),
        key: name,
    };
    value.ok_or_else(|| loc.at(&key("method"), problem()))
}

fn check_count(
    got: usize,
    min: usize,
    max: usize,
    name: &str,
    loc: &Locator,
) -> Result<(), DesignError> {
    if got < min {
        return Err(loc.at(&key(name), Problem::TooSmall { min, got }));
    }
    if got > max {
        return Err(loc.at(&key(name), Problem::TooLarge { max, got }));
    }
    Ok(())
}

/// Checks one `[factors."key"]` table.
fn factor(name: &str, raw: &RawFactor, kind: Kind, loc: &Locator) -> Result<Factor, DesignError> {
    let method = kind.name();
    let at = |field: &str, problem| loc.at(&factor_path(name, field), problem);
    if !is_scenario_key(name) {
        return Err(at("", Problem::BadKey));
    }
    if raw.levels.is_some() && kind != Kind::Factorial {
        return Err(at("levels", Problem::NotForMethod(method)));
    }
    let spec = match (&raw.range, &raw.values) {
        (Some([low, high]), None) => {
            let (low, high) = (*low, *high);
            if !(low.is_finite() && high.is_finite() && low < high) {
                return Err(at("range", Problem::BadRange(low, high)));
            }
            let integer = raw.integer.unwrap_or(false);
            if integer && (low.fract() != 0.0 || high.fract() != 0.0) {
                return Err(at("range", Problem::FractionalBounds(low, high)));
            }
            let levels = raw.levels.unwrap_or(3);
            if levels < 2 {
                return Err(at(
                    "levels",
                    Problem::TooSmall {
                        min: 2,
                        got: levels,
                    },
                ));
            }
            if integer && (levels - 1) as f64 > high - low {
                return Err(at("levels", Problem::RepeatedLevels(levels)));
            }
            FactorSpec::Range {
                low,
                high,
                levels,
                integer,
            }
        }
        (None, Some(values)) => {
            if raw.levels.is_some() {
                return Err(at("levels", Problem::OnlyForRange));
            }
            if raw.integer.is_some() {
                return Err(at("integer", Problem::OnlyForRange));
            }
            if matches!(kind, Kind::Morris | Kind::Sobol) {
                return Err(at("values", Problem::NeedsRange(method)));
            }
            FactorSpec::Values(list(name, values, loc)?)
        }
        _ => return Err(at("", Problem::RangeOrValues)),
    };
    Ok(Factor {
        key: name.to_string(),
        spec,
    })
}

/// Checks a `values = [...]` list: non-empty, scalars of one kind, no repeats.
fn list(
    name: &str,
    values: &[toml::Value],
    loc: &Locator,
) -> Result<Vec<FactorValue>, DesignError> {
    let at = |i: usize, problem| {
        let mut path = factor_path(name, "values");
        path.push(Seg::Index(i));
        loc.at(&path, problem)
    };
    if values.is_empty() {
        return Err(loc.at(&factor_path(name, "values"), Problem::EmptyList));
    }
    let mut out: Vec<FactorValue> = Vec::with_capacity(values.len());
    for (i, value) in values.iter().enumerate() {
        let v = match value {
            toml::Value::Float(x) if x.is_finite() => FactorValue::Number(*x),
            toml::Value::Integer(n) => FactorValue::Integer(*n),
            toml::Value::String(s) => FactorValue::Text(s.clone()),
            toml::Value::Boolean(b) => FactorValue::Bool(*b),
            other => return Err(at(i, Problem::BadValue(brief(&other.to_string())))),
        };
        if let Some(first) = out.first()
            && kind(first) != kind(&v)
        {
            return Err(at(i, Problem::MixedValues(kind(&v), kind(first))));
        }
        if out.contains(&v) {
            return Err(at(i, Problem::RepeatedValue(brief(&v.to_toml()))));
        }
        out.push(v);
    }
    Ok(out)
}

/// The kind of a value for the one-kind-per-list rule (integers and floats mix freely).
pub(super) fn kind(v: &FactorValue) -> &'static str {
    match v {
        FactorValue::Number(_) | FactorValue::Integer(_) => "a number",
        FactorValue::Text(_) => "a string",
        FactorValue::Bool(_) => "a boolean",
    }
}

/// Checks that there are factors and that the design does not expand past the limits.
fn check_size(method: &Method, factors: &[Factor], loc: &Locator) -> Result<(), DesignError> {
    if factors.is_empty() {
        return Err(loc.at(&key("factors"), Problem::NoFactors));
    }
    if matches!(method, Method::Sobol { .. }) && factors.len() > MAX_FACTORS {
        let problem = Problem::TooLarge {
            max: MAX_FACTORS,
            got: factors.len(),
        };
        return Err(loc.at(&key("factors"), problem));
    }
    let count = point_count(method, factors);
    if count > MAX_POINTS {
        let at = match method {
            Method::Factorial => "factors",
            Method::LatinHypercube { .. } => "points",
            Method::Table { .. } => "table",
            Method::Morris { .. } => "trajectories",
            Method::Sobol { .. } => "samples",
        };
        let problem = Problem::TooManyPoints {
            max: MAX_POINTS,
            got: count,
        };
        return Err(loc.at(&key(at), problem));
    }
    Ok(())
}

/// Number of points the design expands to (saturating, so a huge product cannot overflow).
pub(super) fn point_count(method: &Method, factors: &[Factor]) -> usize {
    let k = factors.len();
    match method {
        Method::Factorial => factors.iter().fold(1usize, |acc, f| {
            acc.saturating_mul(match &f.spec {
                FactorSpec::Range { levels, .. } => *levels,
                FactorSpec::Values(v) => v.len(),
            })
        }),
        Method::LatinHypercube { points } => *points,
        Method::Table { rows } => rows.len(),
        Method::Morris { trajectories, .. } => trajectories.saturating_mul(k + 1),
        Method::Sobol { samples, .. } => samples.saturating_mul(k + 2),
    }
}
