//! Key-by-key checks of the merged scenario table: strategy tables expanded from their
//! presets, then every key known, of the right type and in range, in the words of
//! `cohabit keys` (the README's scenario reference).

use super::super::keys::{self, KeyInfo, Range};
use super::Problem;
use super::layers::{Layers, key_text};
use super::text::merge;
use crate::strategy;
use toml::{Table, Value};

/// Most characters of a scenario name: it names the default output folder.
const MAX_NAME: usize = 100;

/// Replaces each strategy table with its preset overlaid by what the scenario sets. A
/// strategy whose table cannot be expanded is reported (a bad preset value is left to
/// [`check_keys`], which names the valid ones); the names of strategies with a bad name or
/// no table are returned, so their contents are not checked key by key.
pub(super) fn expand_presets(
    table: &mut Table,
    layers: &Layers,
    problems: &mut Vec<Problem>,
) -> Vec<String> {
    let presets = strategy::presets();
    let valid = strategy::preset_names().join(", ");
    let mut skip = Vec::new();
    let strategies = match table.get_mut("strategies") {
        Some(Value::Table(s)) if !s.is_empty() => s,
        Some(Value::Table(_)) | None => {
            problems.push(layers.problem(
                &["strategies"],
                "expected at least one [strategies.<name>] table",
            ));
            return skip;
        }
        Some(_) => return skip, // check_keys says it should be a table
    };
    for (name, value) in strategies.iter_mut() {
        let path = ["strategies", name.as_str()];
        if let Some(why) = bad_strategy_name(name) {
            problems.push(layers.problem(&path, why));
            skip.push(name.clone());
            continue;
        }
        let Value::Table(own) = value else {
            problems
                .push(layers.problem(&path, "expected a table with at least `preset = \"...\"`"));
            skip.push(name.clone());
            continue;
        };
        let Some(Value::String(preset)) = own.get("preset") else {
            if !own.contains_key("preset") {
                problems.push(
                    layers.problem(&path, format!("missing `preset`; expected one of {valid}")),
                );
            }
            continue;
        };
        if let Some(Value::Table(base)) = presets.get(preset.as_str()) {
            let mut full = base.clone();
            merge(&mut full, std::mem::take(own));
            *own = full;
        }
    }
    skip
}

/// Why a strategy name is refused, if it is: names become CSV cells and chart labels, so
/// they are plain words that no spreadsheet reads as a formula.
fn bad_strategy_name(name: &str) -> Option<&'static str> {
    let word = name
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    let first_ok = name
        .chars()
        .next()
        .is_some_and(|c| c.is_ascii_alphanumeric() || c == '_');
    (!(word && first_ok && name.len() <= MAX_NAME)).then_some(
        "a strategy name may hold only letters, digits, '_' and '-', starts with a letter, digit or '_', and has at most 100 characters",
    )
}

/// Every key of `table`: known, of the right type, in range.
pub(super) fn check_keys(
    table: &Table,
    skip: &[String],
    layers: &Layers,
    problems: &mut Vec<Problem>,
) {
    let mut path = Vec::new();
    walk(table, &mut path, skip, layers, problems);
}

fn walk<'a>(
    table: &'a Table,
    path: &mut Vec<&'a str>,
    skip: &[String],
    layers: &Layers,
    problems: &mut Vec<Problem>,
) {
    for (k, value) in table {
        path.push(k.as_str());
        let pattern = pattern_of(path);
        if path.len() == 2 && path[0] == "strategies" {
            if !skip.contains(k)
                && let Value::Table(t) = value
            {
                walk(t, path, skip, layers, problems);
            }
        } else if let Some(info) = keys::find(&pattern) {
            if let Some(message) = check_value(info, value, path, layers) {
                problems.push(layers.problem(path, message));
            }
        } else if is_table_key(&pattern) {
            match value {
                Value::Table(t) => walk(t, path, skip, layers, problems),
                other => problems.push(layers.problem(
                    path,
                    format!(
                        "expected a table of keys ({}), got {}",
                        children(&pattern).join(", "),
                        layers.raw(path, other)
                    ),
                )),
            }
        } else {
            problems.push(layers.problem(path, unknown(path)));
        }
        path.pop();
    }
}

/// The key's pattern in the key table: `strategies.<name>.x` is `strategies.*.x`.
fn pattern_of(path: &[&str]) -> String {
    match path {
        ["strategies", _, rest @ ..] if !rest.is_empty() => {
            format!("strategies.*.{}", rest.join("."))
        }
        _ => path.join("."),
    }
}

/// Whether `pattern` names a table of keys (`economy`, `strategies.*.security`).
fn is_table_key(pattern: &str) -> bool {
    let prefix = format!("{pattern}.");
    keys::KEYS.iter().any(|k| k.key.starts_with(&prefix))
}

/// The keys directly under a table pattern ("" for the top level), in key-table order.
fn children(pattern: &str) -> Vec<String> {
    let prefix = if pattern.is_empty() {
        String::new()
    } else {
        format!("{pattern}.")
    };
    let mut out: Vec<String> = Vec::new();
    for k in keys::KEYS {
        if let Some(rest) = k.key.strip_prefix(&prefix) {
            let child = rest.split('.').next().unwrap_or(rest).to_string();
            if child != "*" && !out.contains(&child) {
                out.push(child);
            }
        }
    }
    out
}

/// An unknown key: the keys that would be valid there, the closest first if it is near.
fn unknown(path: &[&str]) -> String {
    let (last, parent) = path.split_last().expect("a key has a name");
    let siblings = children(&pattern_of(parent));
    let close = siblings
        .iter()
        .map(|s| (edit_distance(last, s), s))
        .filter(|(d, s)| *d <= 2 + s.len() / 6)
        .min_by_key(|(d, _)| *d)
        .map(|(_, s)| s);
    let place = if parent.is_empty() {
        "at the top level".to_string()
    } else {
        format!("in [{}]", key_text(parent))
    };
    let mut message = "unknown key; ".to_string();
    if let Some(c) = close {
        message += &format!("did you mean `{c}`? ");
    }
    message + &format!("expected one of the keys {place}: {}", siblings.join(", "))
}

/// Levenshtein distance (keys are short).
fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut prev = row[0];
        row[0] = i + 1;
        for (j, &cb) in b.iter().enumerate() {
            let next = (prev + usize::from(ca != cb))
                .min(row[j] + 1)
                .min(row[j + 1] + 1);
            prev = row[j + 1];
            row[j + 1] = next;
        }
    }
    row[b.len()]
}

/// What is wrong with a value, if anything, in the words of `cohabit keys`.
fn check_value(info: &KeyInfo, value: &Value, path: &[&str], layers: &Layers) -> Option<String> {
    let ok = match (&info.range, value) {
        (Range::Number { min, max }, Value::Integer(i)) => (*min..=*max).contains(&(*i as f64)),
        (Range::Number { min, max }, Value::Float(x)) => x.is_finite() && (*min..=*max).contains(x),
        (Range::Whole { min, max }, Value::Integer(i)) => {
            u64::try_from(*i).is_ok_and(|i| (*min..=*max).contains(&i))
        }
        (Range::Choice(words), Value::String(s)) => words.contains(&s.as_str()),
        (Range::Bool, Value::Boolean(_)) => true,
        (Range::Text, Value::String(s)) => {
            return (info.key == "name").then(|| bad_name(s)).flatten();
        }
        _ => false,
    };
    (!ok).then(|| {
        format!(
            "expected {}, got {}",
            info.range.describe(),
            layers.raw(path, value)
        )
    })
}

/// Why a scenario name is refused, if it is: it names the default output folder
/// `output/<name>/`, so it must stay one folder inside `output/`.
fn bad_name(name: &str) -> Option<String> {
    let problem = if name.trim().is_empty() {
        "is empty"
    } else if name.chars().count() > MAX_NAME {
        "is longer than 100 characters"
    } else if name.contains(['/', '\\']) {
        "holds a '/' or '\\'"
    } else if name.starts_with('.') {
        "starts with '.'"
    } else if name.chars().any(char::is_control) {
        "holds a line break or another control character"
    } else {
        return None;
    };
    Some(format!(
        "the name {problem}; it names the output folder output/<name>/, so expected a name of up to 100 characters with no '/', '\\' or control characters, not starting with '.'"
    ))
}
