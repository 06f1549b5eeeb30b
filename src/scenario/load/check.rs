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
        expand_phases(own, &presets, &path, layers, problems);
    }
    skip
}

/// Expands each phase of an adaptive strategy from its own preset (a fixed one), or, when it
/// names none, from the strategy's first phase (its own levers), overlaid by what it sets.
fn expand_phases(
    own: &mut Table,
    presets: &Table,
    path: &[&str],
    layers: &Layers,
    problems: &mut Vec<Problem>,
) {
    let Some(Value::Table(phases)) = own.get("phases").cloned() else {
        return;
    };
    let mut start = own.clone();
    start.remove("phases");
    start.remove("triggers");
    let mut expanded = Table::new();
    for (name, value) in phases {
        let Value::Table(levers) = value else {
            expanded.insert(name, value); // check_keys says it should be a table
            continue;
        };
        let base = match levers.get("preset") {
            None => Some(start.clone()),
            Some(Value::String(p)) => match presets.get(p.as_str()) {
                Some(Value::Table(b)) if b.contains_key("phases") => {
                    let at = [path[0], path[1], "phases", name.as_str(), "preset"];
                    problems.push(layers.problem(
                        &at,
                        format!(
                            "a phase's preset must be a fixed strategy ({}); \"{p}\" has phases of its own",
                            fixed_presets(presets).join(", ")
                        ),
                    ));
                    None
                }
                Some(Value::Table(b)) => Some(b.clone()),
                _ => None, // check_keys names the valid presets
            },
            Some(_) => None,
        };
        let full = match base {
            Some(mut full) => {
                merge(&mut full, levers);
                full
            }
            None => levers,
        };
        expanded.insert(name, Value::Table(full));
    }
    own.insert("phases".to_string(), Value::Table(expanded));
}

/// The presets that are fixed strategies (no phases).
fn fixed_presets(presets: &Table) -> Vec<&str> {
    presets
        .iter()
        .filter(|(_, t)| t.get("phases").is_none())
        .map(|(name, _)| name.as_str())
        .collect()
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
        } else if pattern == "strategies.*.phases" {
            phases(value, path, skip, layers, problems);
        } else if pattern == "strategies.*.triggers" {
            triggers(value, path, layers, problems);
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

/// The key's pattern in the key table: `strategies.<name>.x` is `strategies.*.x`, and so is
/// `strategies.<name>.phases.<phase>.x` (a phase sets the same levers as a strategy).
fn pattern_of(path: &[&str]) -> String {
    match path {
        ["strategies", _, "phases", _, rest @ ..] if !rest.is_empty() => {
            format!("strategies.*.{}", rest.join("."))
        }
        ["strategies", _, rest @ ..] if !rest.is_empty() => {
            format!("strategies.*.{}", rest.join("."))
        }
        _ => path.join("."),
    }
}

/// `[strategies.<name>.phases.<phase>]` tables: each a setting of the levers, named as a
/// strategy is, with no phases or triggers of its own.
fn phases<'a>(
    value: &'a Value,
    path: &mut Vec<&'a str>,
    skip: &[String],
    layers: &Layers,
    problems: &mut Vec<Problem>,
) {
    let Value::Table(phases) = value else {
        problems.push(layers.problem(
            path,
            format!(
                "expected a table of named phases ([{}.<phase>]), got {}",
                key_text(path),
                layers.raw(path, value)
            ),
        ));
        return;
    };
    for (name, levers) in phases {
        path.push(name.as_str());
        if let Some(why) = bad_strategy_name(name) {
            problems.push(layers.problem(path, why.replace("strategy name", "phase name")));
        } else if name == crate::adaptive::START {
            problems.push(layers.problem(
                path,
                "`start` is the strategy's own levers; name the other phases differently",
            ));
        } else if let Value::Table(t) = levers {
            for nested in ["phases", "triggers"] {
                if t.contains_key(nested) {
                    path.push(nested);
                    problems.push(layers.problem(
                        path,
                        "a phase has no phases or triggers of its own; put them on the strategy",
                    ));
                    path.pop();
                }
            }
            let levers_only: Table = t
                .iter()
                .filter(|(k, _)| !matches!(k.as_str(), "phases" | "triggers"))
                .map(|(k, v)| (k.clone(), v.clone()))
                .collect();
            // Checked key by key like a strategy's table (pattern_of maps the keys).
            let mut at: Vec<&str> = path.to_vec();
            walk(&levers_only, &mut at, skip, layers, problems);
        } else {
            problems.push(layers.problem(
                path,
                format!(
                    "expected a table with the phase's levers, got {}",
                    layers.raw(path, levers)
                ),
            ));
        }
        path.pop();
    }
}

/// The keys a trigger may set, with what each expects.
const TRIGGER_KEYS: &[(&str, &str)] = &[
    (
        "from",
        "the name of the phase it leaves (`start` for the strategy's own levers)",
    ),
    ("to", "the name of the phase it enters"),
    ("when", "a list of conditions, \"SIGNAL OP NUMBER\""),
    ("window_weeks", "a whole number of weeks from 1 to 5200"),
    (
        "min_weeks_in_phase",
        "a whole number of weeks from 0 to 5200",
    ),
];

/// `[[strategies.<name>.triggers]]`: a list of tables, each of the keys of `TRIGGER_KEYS`
/// and the right types (what they name and whether they can fire is checked once typed).
fn triggers(value: &Value, path: &[&str], layers: &Layers, problems: &mut Vec<Problem>) {
    let list = match value {
        Value::Array(list) => list,
        other => {
            problems.push(layers.problem(
                path,
                format!(
                    "expected a list of [[{}]] tables, got {}",
                    key_text(path),
                    layers.raw(path, other)
                ),
            ));
            return;
        }
    };
    for (k, item) in list.iter().enumerate() {
        let at = |what: String| format!("trigger {} of the list: {what}", k + 1);
        let Value::Table(t) = item else {
            problems.push(layers.problem(path, at("expected a table".into())));
            continue;
        };
        for (key, v) in t {
            let Some((_, expects)) = TRIGGER_KEYS.iter().find(|(name, _)| name == key) else {
                let valid: Vec<&str> = TRIGGER_KEYS.iter().map(|(n, _)| *n).collect();
                problems.push(layers.problem(
                    path,
                    at(format!(
                        "unknown key `{key}`; expected one of {}",
                        valid.join(", ")
                    )),
                ));
                continue;
            };
            let ok = match (key.as_str(), v) {
                ("from" | "to", Value::String(_)) => true,
                ("when", Value::Array(c)) => !c.is_empty() && c.iter().all(Value::is_str),
                ("window_weeks", Value::Integer(i)) => (1..=5200).contains(i),
                ("min_weeks_in_phase", Value::Integer(i)) => (0..=5200).contains(i),
                _ => false,
            };
            if !ok {
                problems.push(layers.problem(path, at(format!("`{key}`: expected {expects}"))));
            }
        }
        for required in ["from", "to", "when", "window_weeks"] {
            if !t.contains_key(required) {
                problems.push(layers.problem(path, at(format!("missing `{required}`"))));
            }
        }
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
