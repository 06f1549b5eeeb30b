//! Scenario text into TOML tables: the user's file read on past its syntax errors, `--set`
//! overrides read and applied, tables merged.

use super::layers::{Override, is_bare, line_at};
use crate::output::safe::brief;
use toml::{Table, Value};

/// Most syntax errors reported from one file before giving up on it.
const MAX_SYNTAX_ERRORS: usize = 20;

/// A file read as far as it goes.
pub(super) struct Parsed {
    /// The table, when the file could be read with its bad lines set aside.
    pub table: Option<Table>,
    /// The text that was read: the file with its bad lines blanked (same line numbers).
    pub text: String,
    /// Syntax errors: line (when known) and message.
    pub errors: Vec<(Option<usize>, String)>,
}

/// Parses TOML text; at a syntax error, blanks the line the parser stopped at (and, for a
/// bad table header, the keys under it, which would otherwise land in the wrong table) and
/// reads on, so that every syntax error of a file is reported at once.
pub(super) fn parse_recovering(text: &str) -> Parsed {
    let mut lines: Vec<String> = text.split('\n').map(str::to_string).collect();
    let mut errors = Vec::new();
    loop {
        let current = lines.join("\n");
        let e = match current.parse::<Table>() {
            Ok(table) => {
                return Parsed {
                    table: Some(table),
                    text: current,
                    errors,
                };
            }
            Err(e) => e,
        };
        let line = e.span().map(|s| line_at(&current, s.start));
        errors.push((line, format!("not valid TOML: {}", e.message().trim())));
        let Some(idx) = line.map(|l| l - 1) else {
            break;
        };
        if errors.len() >= MAX_SYNTAX_ERRORS || lines.get(idx).is_none_or(|l| l.trim().is_empty()) {
            break;
        }
        let header = lines[idx].trim_start().starts_with('[');
        lines[idx].clear();
        if header {
            for l in lines.iter_mut().skip(idx + 1) {
                if l.trim_start().starts_with('[') {
                    break;
                }
                l.clear();
            }
        }
    }
    Parsed {
        table: None,
        text: lines.join("\n"),
        errors,
    }
}

/// Reads `--set KEY=VALUE` overrides; refused ones come back as (index, origin, message).
pub(super) fn read_overrides(raw: &[String]) -> (Vec<Override>, Vec<(usize, String, String)>) {
    let mut good = Vec::new();
    let mut bad = Vec::new();
    for (index, s) in raw.iter().enumerate() {
        let refuse = |message: &str| (index, format!("--set {}", brief(s)), message.to_string());
        if s.chars().any(char::is_control) {
            bad.push(refuse(
                "a --set takes one KEY=VALUE on one line (no line breaks or other control characters); give each key its own --set",
            ));
            continue;
        }
        match s.split_once('=') {
            Some((k, v)) if k.trim().split('.').all(is_bare) => good.push(Override {
                key: k.trim().to_string(),
                raw: v.trim().to_string(),
                value: parse_value(v.trim()),
                index,
            }),
            _ => bad.push(refuse(
                "expected KEY=VALUE with a dotted key, e.g. --set economy.price_volatility=0.3",
            )),
        }
    }
    (good, bad)
}

/// A `--set` value: TOML (number, boolean, quoted string, inline table), or else the text
/// as a bare string, so `--set ...channel=chief` works.
fn parse_value(raw: &str) -> Value {
    match format!("v = {raw}").parse::<Table>() {
        Ok(mut t) if t.len() == 1 => t
            .remove("v")
            .unwrap_or_else(|| Value::String(raw.to_string())),
        _ => Value::String(raw.to_string()),
    }
}

/// Sets a dotted key in a table; a table value merges into a table already there.
pub(super) fn set_key(table: &mut Table, key: &str, value: Value) -> Result<(), String> {
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
    match (node.get_mut(*last), value) {
        (Some(Value::Table(base)), Value::Table(top)) => merge(base, top),
        (_, value) => {
            node.insert(last.to_string(), value);
        }
    }
    Ok(())
}

/// Deep merge: tables merge key by key, anything else is replaced.
pub(super) fn merge(base: &mut Table, top: Table) {
    for (key, value) in top {
        match (base.get_mut(&key), value) {
            (Some(Value::Table(b)), Value::Table(t)) => merge(b, t),
            (_, v) => {
                base.insert(key, v);
            }
        }
    }
}
