//! Reading a scenario: embedded default, the user's file on top, `--set` overrides last,
//! strategies expanded from their presets, then typed and range-checked.
//!
//! Every error names where the offending value came from (file and line, a `--set`, or the
//! embedded default), the key, and what was expected, so a user can fix it in one go.

use super::keys::{self, Range};
use super::{NamedStrategy, Scenario};
use crate::strategy;
use std::fmt;
use std::path::{Path, PathBuf};
use toml::{Table, Value};

/// The default scenario, embedded in the binary.
pub const DEFAULT_SCENARIO_TOML: &str = include_str!("../../scenarios/default.toml");

/// Where a scenario comes from.
#[derive(Debug, Clone)]
pub enum ScenarioSource {
    /// The embedded default scenario.
    Default,
    /// A TOML file that overrides the default.
    File(PathBuf),
}

/// One problem with a scenario: where, which key, what was expected.
#[derive(Debug, Clone, PartialEq)]
pub struct Problem {
    /// File name, `--set`, or `embedded default scenario`.
    pub origin: String,
    /// 1-based line in that file, when known.
    pub line: Option<usize>,
    /// Dotted key, when the problem is about one.
    pub key: Option<String>,
    pub message: String,
}

/// All problems found in a scenario (reported together, so they can be fixed together).
#[derive(Debug, Clone, PartialEq)]
pub struct ScenarioError {
    pub problems: Vec<Problem>,
}

impl std::error::Error for ScenarioError {}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.origin)?;
        if let Some(line) = self.line {
            write!(f, ", line {line}")?;
        }
        if let Some(key) = &self.key {
            write!(f, ", key `{key}`")?;
        }
        write!(f, ": {}", self.message)
    }
}

impl fmt::Display for ScenarioError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, p) in self.problems.iter().enumerate() {
            if i > 0 {
                writeln!(f)?;
            }
            write!(f, "{p}")?;
        }
        Ok(())
    }
}

/// Where each layer of the scenario came from, to attribute a problem to a line.
struct Layers<'a> {
    user: Option<(String, &'a str)>,
    overrides: Vec<(String, String)>,
}

impl Layers<'_> {
    /// The origin and line of the value at `key`: the last layer that set it wins.
    fn locate(&self, key: &str) -> (String, Option<usize>) {
        if let Some((k, v)) = self
            .overrides
            .iter()
            .rev()
            .find(|(k, _)| key_covers(k, key))
        {
            return (format!("--set {k}={v}"), None);
        }
        if let Some((name, text)) = &self.user {
            if let Some(line) = line_of(text, key) {
                return (name.clone(), Some(line));
            }
            // A key a strategy inherits from its preset: point at the strategy's table.
            if let Some(table) = strategy_prefix(key)
                && let Some(line) = line_of(text, &table)
            {
                return (name.clone(), Some(line));
            }
        }
        let line = line_of(DEFAULT_SCENARIO_TOML, key);
        ("embedded default scenario".to_string(), line)
    }

    fn problem(&self, key: &str, message: impl Into<String>) -> Problem {
        let (origin, line) = self.locate(key);
        Problem {
            origin,
            line,
            key: Some(key.to_string()),
            message: message.into(),
        }
    }
}

/// `strategies.<name>` for a key below a strategy.
fn strategy_prefix(key: &str) -> Option<String> {
    let rest = key.strip_prefix("strategies.")?;
    let name = rest.split('.').next()?;
    Some(format!("strategies.{name}"))
}

/// Whether an override of `set_key` sets `key` (itself or a table above it).
fn key_covers(set_key: &str, key: &str) -> bool {
    key == set_key || key.starts_with(&format!("{set_key}."))
}

/// 1-based line of the value at a dotted key in TOML text, if the text sets it.
fn line_of(text: &str, key: &str) -> Option<usize> {
    let doc = toml_edit::Document::parse(text).ok()?;
    let mut item = doc.as_item();
    for part in key.split('.') {
        item = item.get(part)?;
    }
    let span = item
        .span()
        .or_else(|| item.as_table().and_then(|t| t.span()))?;
    Some(line_at(text, span.start))
}

fn line_at(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())].matches('\n').count() + 1
}

/// Load, merge, override, expand and validate a scenario.
pub fn load(source: &ScenarioSource, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let user_text = match source {
        ScenarioSource::Default => None,
        ScenarioSource::File(path) => Some((path.display().to_string(), read(path)?)),
    };
    let layers = Layers {
        user: user_text.as_ref().map(|(n, t)| (n.clone(), t.as_str())),
        overrides: parse_overrides(overrides)?,
    };
    let mut table = parse_table("embedded default scenario", DEFAULT_SCENARIO_TOML)?;
    if let Some((name, text)) = &user_text {
        let user = parse_table(name, text)?;
        if user.contains_key("strategies") {
            // A file that names strategies runs exactly those, in its own order.
            table.remove("strategies");
        }
        merge(&mut table, user);
    }
    for (key, value) in &layers.overrides {
        set_key(&mut table, key, value).map_err(|m| one(layers.problem(key, m)))?;
    }
    expand_presets(&mut table, &layers)?;
    let scenario = deserialize(table.clone(), &layers)?;
    let mut problems = check_ranges(&table, &layers);
    problems.extend(check_consistency(&scenario, &layers));
    if problems.is_empty() {
        Ok(scenario)
    } else {
        Err(ScenarioError { problems })
    }
}

fn one(p: Problem) -> ScenarioError {
    ScenarioError { problems: vec![p] }
}

fn read(path: &Path) -> Result<String, ScenarioError> {
    std::fs::read_to_string(path).map_err(|e| {
        one(Problem {
            origin: path.display().to_string(),
            line: None,
            key: None,
            message: format!("cannot read the scenario file: {e}"),
        })
    })
}

fn parse_table(origin: &str, text: &str) -> Result<Table, ScenarioError> {
    text.parse::<Table>().map_err(|e| {
        one(Problem {
            origin: origin.to_string(),
            line: e.span().map(|s| line_at(text, s.start)),
            key: None,
            message: format!("not valid TOML: {}", e.message().trim()),
        })
    })
}

/// Deep merge: tables merge key by key, anything else is replaced.
fn merge(base: &mut Table, top: Table) {
    for (key, value) in top {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(t)) => merge(b, t),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}

/// `KEY=VALUE` pairs. VALUE is read as TOML (number, boolean, quoted string); anything that
/// is not valid TOML is taken as a bare string, so `--set ...channel=chief` works.
fn parse_overrides(raw: &[String]) -> Result<Vec<(String, String)>, ScenarioError> {
    raw.iter()
        .map(|s| match s.split_once('=') {
            Some((k, v)) if !k.trim().is_empty() => {
                Ok((k.trim().to_string(), v.trim().to_string()))
            }
            _ => Err(one(Problem {
                origin: format!("--set {s}"),
                line: None,
                key: None,
                message: "expected KEY=VALUE, e.g. --set economy.price_volatility=0.3".into(),
            })),
        })
        .collect()
}

fn parse_value(raw: &str) -> Value {
    match format!("v = {raw}").parse::<Table>() {
        Ok(mut t) => t
            .remove("v")
            .unwrap_or_else(|| Value::String(raw.to_string())),
        Err(_) => Value::String(raw.to_string()),
    }
}

fn set_key(table: &mut Table, key: &str, raw: &str) -> Result<(), String> {
    let parts: Vec<&str> = key.split('.').collect();
    let (last, path) = parts.split_last().ok_or("empty key")?;
    let mut node = table;
    for part in path {
        let entry = node
            .entry(part.to_string())
            .or_insert_with(|| Value::Table(Table::new()));
        node = match entry {
            Value::Table(t) => t,
            _ => {
                return Err(format!(
                    "`{part}` is a value, not a table, so it has no `{last}`"
                ));
            }
        };
    }
    node.insert(last.to_string(), parse_value(raw));
    Ok(())
}

/// Replace each strategy table with its preset overlaid by what the scenario sets.
fn expand_presets(table: &mut Table, layers: &Layers) -> Result<(), ScenarioError> {
    let presets = strategy::presets();
    let valid = strategy::preset_names().join(", ");
    let Some(Value::Table(strategies)) = table.get_mut("strategies") else {
        return Err(one(layers.problem(
            "strategies",
            "expected at least one [strategies.<name>] table",
        )));
    };
    if strategies.is_empty() {
        return Err(one(layers.problem(
            "strategies",
            "expected at least one [strategies.<name>] table",
        )));
    }
    let mut problems = Vec::new();
    for (name, value) in strategies.iter_mut() {
        let key = format!("strategies.{name}");
        if !valid_name(name) {
            problems.push(layers.problem(
                &key,
                "a strategy name may hold only letters, digits, '_' and '-'",
            ));
            continue;
        }
        let Value::Table(own) = value else {
            problems
                .push(layers.problem(&key, "expected a table with at least `preset = \"...\"`"));
            continue;
        };
        let preset = match own.get("preset") {
            Some(Value::String(p)) => p.clone(),
            Some(_) => {
                problems.push(
                    layers.problem(&format!("{key}.preset"), format!("expected one of {valid}")),
                );
                continue;
            }
            None => {
                problems.push(
                    layers.problem(&key, format!("missing `preset`; expected one of {valid}")),
                );
                continue;
            }
        };
        let Some(Value::Table(base)) = presets.get(&preset) else {
            let msg = format!("unknown preset \"{preset}\"; expected one of {valid}");
            problems.push(layers.problem(&format!("{key}.preset"), msg));
            continue;
        };
        let mut full = base.clone();
        merge(&mut full, std::mem::take(own));
        *own = full;
    }
    if problems.is_empty() {
        Ok(())
    } else {
        Err(ScenarioError { problems })
    }
}

fn valid_name(name: &str) -> bool {
    !name.is_empty()
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Typed view of the merged table; type errors and unknown keys are reported with their path.
fn deserialize(table: Table, layers: &Layers) -> Result<Scenario, ScenarioError> {
    let value = Value::Table(table);
    serde_path_to_error::deserialize::<_, Scenario>(value).map_err(|e| {
        let path = e.path().to_string();
        let message = plain_serde_message(&e.inner().to_string());
        // An unknown field is reported at its parent; name the field itself.
        let key = match unknown_field(&message) {
            Some(field) if path == "." || path.is_empty() => field,
            Some(field) => format!("{path}.{field}"),
            None => path,
        };
        one(layers.problem(&key, message))
    })
}

fn unknown_field(message: &str) -> Option<String> {
    let rest = message.strip_prefix("unknown field `")?;
    Some(rest.split('`').next()?.to_string())
}

/// serde's wording, in the user's terms.
fn plain_serde_message(msg: &str) -> String {
    let msg = msg.trim();
    let msg = msg.replace("expected u32", "expected a whole number >= 0");
    let msg = msg.replace("expected u64", "expected a whole number >= 0");
    let msg = msg.replace("expected f64", "expected a number");
    let msg = msg.replace("unknown field", "unknown key");
    msg.replace("unknown variant", "unknown value")
}

/// Every number checked against the key table's range.
fn check_ranges(table: &Table, layers: &Layers) -> Vec<Problem> {
    let mut flat = Vec::new();
    flatten("", table, &mut flat);
    let mut problems = Vec::new();
    for (key, value) in flat {
        let Some(info) = keys::find(&key) else {
            continue;
        };
        if let Some(msg) = out_of_range(&info.range, value) {
            problems.push(layers.problem(&key, msg));
        }
    }
    problems
}

fn flatten<'a>(prefix: &str, table: &'a Table, out: &mut Vec<(String, &'a Value)>) {
    for (k, v) in table {
        let key = if prefix.is_empty() {
            k.clone()
        } else {
            format!("{prefix}.{k}")
        };
        match v {
            Value::Table(t) => flatten(&key, t, out),
            other => out.push((key, other)),
        }
    }
}

fn out_of_range(range: &Range, value: &Value) -> Option<String> {
    let x = match value {
        Value::Integer(i) => *i as f64,
        Value::Float(f) => *f,
        _ => return None,
    };
    let ok = match *range {
        Range::Number { min, max } => x.is_finite() && x >= min && x <= max,
        Range::Whole { min, max } => x >= min as f64 && x <= max as f64,
        _ => true,
    };
    (!ok).then(|| format!("expected {}, got {x}", range.describe()))
}

/// Checks across keys: sizes that must nest, weeks within the horizon.
fn check_consistency(s: &Scenario, layers: &Layers) -> Vec<Problem> {
    let mut p = Vec::new();
    let l = &s.landscape;
    let side = l.width.min(l.height);
    if l.concession_size > side {
        p.push(layers.problem(
            "landscape.concession_size",
            format!(
                "expected at most the landscape's side ({side}), got {}",
                l.concession_size
            ),
        ));
    }
    if l.core_size >= l.concession_size {
        p.push(layers.problem(
            "landscape.core_size",
            format!(
                "expected less than landscape.concession_size ({}), got {}",
                l.concession_size, l.core_size
            ),
        ));
    }
    let margin = (side.saturating_sub(l.concession_size)) / 2;
    if l.protected_size > margin {
        p.push(layers.problem("landscape.protected_size", format!("expected at most {margin} so the protected corner stays outside the concession, got {}", l.protected_size)));
    }
    if s.miners.initial > s.miners.max {
        p.push(layers.problem(
            "miners.initial",
            format!(
                "expected at most miners.max ({}), got {}",
                s.miners.max, s.miners.initial
            ),
        ));
    }
    if s.economy.price_shock_factor != 1.0 && s.economy.price_shock_week >= s.weeks {
        p.push(layers.problem(
            "economy.price_shock_week",
            format!(
                "expected a week before the horizon ({} weeks), got {}",
                s.weeks, s.economy.price_shock_week
            ),
        ));
    }
    for NamedStrategy { name, strategy: st } in &s.strategies {
        let pre = format!("strategies.{name}");
        if st.engagement.channel != strategy::Channel::None && st.engagement.start_week >= s.weeks {
            p.push(layers.problem(
                &format!("{pre}.engagement.start_week"),
                format!(
                    "expected a week before the horizon ({} weeks), got {}",
                    s.weeks, st.engagement.start_week
                ),
            ));
        }
        let iv = &st.interventions;
        let programme = iv.asm_zone != strategy::AsmZone::None || iv.lease_share > 0.0;
        if programme && iv.programme_start_week >= s.weeks {
            p.push(layers.problem(
                &format!("{pre}.interventions.programme_start_week"),
                format!(
                    "expected a week before the horizon ({} weeks), got {}",
                    s.weeks, iv.programme_start_week
                ),
            ));
        }
        if iv.asm_zone != strategy::AsmZone::None && iv.asm_zone_cells == 0 {
            p.push(layers.problem(
                &format!("{pre}.interventions.asm_zone_cells"),
                "expected at least 1 cell when asm_zone is not \"none\"",
            ));
        }
    }
    p
}

/// The resolved scenario as TOML text.
pub(super) fn resolved_toml(s: &Scenario) -> String {
    toml::to_string(s).expect("a scenario serialises to TOML")
}
