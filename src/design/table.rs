//! Reading the CSV table of a `method = "table"` design: a header line naming the factor keys,
//! then one row per point, in file order.
//!
//! If the design file declares `[factors]`, the header must name exactly those keys (in any
//! order) and each cell must fit its factor (a number in the range, or one of the listed
//! values). Otherwise each column becomes a factor whose values are the distinct cells in
//! order of appearance, typed as TOML would read them: `true`/`false`, whole numbers,
//! decimal numbers, anything else text. Errors name the CSV file, its line and the column.

use std::collections::BTreeSet;
use std::path::{Component, Path, PathBuf};

use super::locate::{Locator, Seg, is_scenario_key};
use super::parse::kind;
use super::{DesignError, Factor, FactorSpec, FactorValue, Method, Problem};
use crate::output::safe::{brief, brief_to, from_csv_cell};

/// Largest table read (a million points of a few factors fit well inside).
const MAX_TABLE_BYTES: u64 = 256 << 20;

/// The table's path: relative, inside the design file's folder (no `..`, no absolute path,
/// no symbolic link out of it), so that a design cannot make cohabit read, and echo in an
/// error, a file elsewhere.
fn inside(base_dir: &Path, name: &str) -> Option<PathBuf> {
    let rel = Path::new(name);
    let plain = rel
        .components()
        .all(|c| matches!(c, Component::Normal(_) | Component::CurDir));
    if name.is_empty() || !plain {
        return None;
    }
    let base = if base_dir.as_os_str().is_empty() {
        Path::new(".")
    } else {
        base_dir
    };
    let path = base.join(rel);
    match (path.canonicalize(), base.canonicalize()) {
        (Ok(p), Ok(b)) if !p.starts_with(&b) => None,
        _ => Some(path),
    }
}

/// Reads the table `name` (relative to `base_dir`); returns the table method and the
/// factors in the order of the values in each row.
pub(super) fn read(
    base_dir: &Path,
    name: &str,
    declared: Vec<Factor>,
    loc: &Locator,
) -> Result<(Method, Vec<Factor>), DesignError> {
    let at_table = |problem| loc.at(&[Seg::Key("table".into())], problem);
    let path =
        inside(base_dir, name).ok_or_else(|| at_table(Problem::TablePath(brief_to(name, 200))))?;
    let file = brief_to(&path.display().to_string(), 200);
    let meta = std::fs::metadata(&path)
        .map_err(|e| at_table(Problem::TableRead(format!("{file}: {e}"))))?;
    if meta.len() > MAX_TABLE_BYTES {
        let problem = format!(
            "{file} has {} bytes; expected at most {MAX_TABLE_BYTES}",
            meta.len()
        );
        return Err(at_table(Problem::TableRead(problem)));
    }
    let text = std::fs::read_to_string(&path)
        .map_err(|e| at_table(Problem::TableRead(format!("{file}: {e}"))))?;
    let bad = |line: u64, key: &str, problem| DesignError::Invalid {
        file: file.clone(),
        line: line as usize,
        key: brief(key),
        problem,
    };
    let mut reader = csv::ReaderBuilder::new()
        .flexible(true)
        .trim(csv::Trim::All)
        .from_reader(text.as_bytes());
    let header: Vec<String> = reader
        .headers()
        .map_err(|e| bad(1, "", Problem::TableRead(e.to_string())))?
        .iter()
        .map(str::to_string)
        .collect();
    check_header(&header).map_err(|(key, p)| bad(1, &key, p))?;
    let order = column_order(&header, &declared).map_err(|p| bad(1, "", p))?;
    let mut rows: Vec<Vec<FactorValue>> = Vec::new();
    for record in reader.records() {
        let record = record.map_err(|e| {
            let line = e.position().map_or(1, |p| p.line());
            bad(line, "", Problem::TableRead(e.to_string()))
        })?;
        let line = record.position().map_or(1, |p| p.line());
        if record.len() != header.len() {
            let problem = Problem::RowWidth {
                expected: header.len(),
                got: record.len(),
            };
            return Err(bad(line, "", problem));
        }
        let mut row = Vec::with_capacity(order.len());
        for (slot, &col) in order.iter().enumerate() {
            let spec = declared.get(slot).map(|f| &f.spec);
            let first = rows.first().map(|r: &Vec<FactorValue>| &r[slot]);
            let cell = from_csv_cell(&record[col]);
            let value = read_cell(cell, spec, first).map_err(|expected| {
                let problem = Problem::BadCell {
                    cell: brief(cell),
                    expected,
                };
                bad(line, &header[col], problem)
            })?;
            row.push(value);
        }
        rows.push(row);
    }
    if rows.is_empty() {
        return Err(bad(1, "", Problem::EmptyTable));
    }
    let factors = if declared.is_empty() {
        inferred_factors(&header, &rows)
    } else {
        declared
    };
    Ok((Method::Table { rows }, factors))
}

/// Column names must be distinct scenario keys.
fn check_header(header: &[String]) -> Result<(), (String, Problem)> {
    if header.is_empty() || header.iter().all(String::is_empty) {
        return Err((String::new(), Problem::EmptyTable));
    }
    for (i, name) in header.iter().enumerate() {
        if !is_scenario_key(name) || header[..i].contains(name) {
            return Err((name.clone(), Problem::BadColumn(brief(name))));
        }
    }
    Ok(())
}

/// For each declared factor (or each column, if none is declared), its column index.
fn column_order(header: &[String], declared: &[Factor]) -> Result<Vec<usize>, Problem> {
    if declared.is_empty() {
        return Ok((0..header.len()).collect());
    }
    let order: Option<Vec<usize>> = declared
        .iter()
        .map(|f| header.iter().position(|h| *h == f.key))
        .collect();
    match order {
        Some(order) if header.len() == declared.len() => Ok(order),
        _ => {
            let keys: Vec<&str> = declared.iter().map(|f| f.key.as_str()).collect();
            Err(Problem::ColumnsDiffer(keys.join(", ")))
        }
    }
}

/// Reads one cell; on failure returns what the column expects.
fn read_cell(
    cell: &str,
    spec: Option<&FactorSpec>,
    first: Option<&FactorValue>,
) -> Result<FactorValue, String> {
    match spec {
        Some(FactorSpec::Range {
            low, high, integer, ..
        }) => in_range(cell, *low, *high, *integer),
        Some(FactorSpec::Values(values)) => values
            .iter()
            .find(|v| same(cell, v))
            .cloned()
            .ok_or_else(|| format!("one of {}", super::join(values))),
        None => {
            let value = infer(cell)?;
            match first {
                Some(f) if kind(f) != kind(&value) => {
                    Err(format!("{} like the first row", kind(f)))
                }
                _ => Ok(value),
            }
        }
    }
}

fn in_range(cell: &str, low: f64, high: f64, integer: bool) -> Result<FactorValue, String> {
    let what = if integer {
        "a whole number"
    } else {
        "a number"
    };
    let expected = || format!("{what} in [{low}, {high}]");
    let x: f64 = cell.parse().map_err(|_| expected())?;
    if !(low..=high).contains(&x) || (integer && x.fract() != 0.0) {
        return Err(expected());
    }
    // The bounds were checked finite and whole for integer factors, so the cast is exact.
    Ok(if integer {
        FactorValue::Integer(x as i64)
    } else {
        FactorValue::Number(x)
    })
}

/// Whether a cell spells the listed value `v`.
fn same(cell: &str, v: &FactorValue) -> bool {
    match v {
        FactorValue::Text(s) => cell == s,
        FactorValue::Bool(b) => cell == if *b { "true" } else { "false" },
        FactorValue::Integer(_) | FactorValue::Number(_) => cell.parse::<f64>().ok() == v.as_f64(),
    }
}

/// Types a cell as TOML would: boolean, integer, finite float, else text.
fn infer(cell: &str) -> Result<FactorValue, String> {
    if cell.is_empty() {
        return Err("a value, not an empty cell".into());
    }
    if let Ok(b) = cell.parse::<bool>() {
        return Ok(FactorValue::Bool(b));
    }
    if let Ok(i) = cell.parse::<i64>() {
        return Ok(FactorValue::Integer(i));
    }
    match cell.parse::<f64>() {
        Ok(x) if x.is_finite() => Ok(FactorValue::Number(x)),
        Ok(_) => Err("a finite number".into()),
        Err(_) => Ok(FactorValue::Text(cell.to_string())),
    }
}

/// Without declared factors, each column lists its distinct values in order of appearance.
fn inferred_factors(header: &[String], rows: &[Vec<FactorValue>]) -> Vec<Factor> {
    header
        .iter()
        .enumerate()
        .map(|(col, key)| {
            // Membership by TOML text keeps this O(n log n) for long tables.
            let mut seen = BTreeSet::new();
            let mut values: Vec<FactorValue> = Vec::new();
            for row in rows {
                if seen.insert(row[col].to_toml()) {
                    values.push(row[col].clone());
                }
            }
            Factor {
                key: key.clone(),
                spec: FactorSpec::Values(values),
            }
        })
        .collect()
}
