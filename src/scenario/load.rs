//! Reading a scenario: embedded default, the user's file on top, `--set` overrides last,
//! strategies expanded from their presets, then checked key by key and across keys.
//!
//! Every problem is found before any is reported, so a user fixes a file in one go: TOML
//! syntax errors (the parser's line is set aside and the rest read on), unknown keys, wrong
//! types and out-of-range values (in the words of `cohabit keys`), then constraints across
//! keys. Each names where the offending value came from (file and line, a `--set`, or the
//! embedded default), the key, and what was expected; they are listed in line order, the
//! user's file first, then the `--set` overrides in the order given. The scenario then goes
//! to the batch and the simulation, which never see an unchecked value.

mod check;
mod layers;
mod rules;
mod text;

use super::Scenario;
use layers::{Layers, Origin, Source};
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
    /// Where it sorts: by layer, then line.
    rank: (Origin, usize),
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

/// Largest scenario file read: far beyond any real one, small enough to read at once.
const MAX_FILE_BYTES: u64 = 16 << 20;

/// Load, merge, override, expand and validate a scenario; every problem found is returned.
pub fn load(source: &ScenarioSource, overrides: &[String]) -> Result<Scenario, ScenarioError> {
    let mut problems = Vec::new();
    let default = Source::new(
        "embedded default scenario",
        DEFAULT_SCENARIO_TOML.to_string(),
    );
    let mut table = DEFAULT_SCENARIO_TOML
        .parse::<Table>()
        .expect("the embedded default scenario is valid TOML");
    let (overrides, refused) = text::read_overrides(overrides);
    let user = match source {
        ScenarioSource::Default => None,
        ScenarioSource::File(path) => {
            let name = path.display().to_string();
            let parsed = text::parse_recovering(&read(path)?);
            for (line, message) in parsed.errors {
                problems.push(Problem {
                    origin: name.clone(),
                    line,
                    key: None,
                    message,
                    rank: (Origin::File, line.unwrap_or(0)),
                });
            }
            if let Some(user) = parsed.table {
                if user.contains_key("strategies") {
                    // A file that names strategies runs exactly those, in its own order.
                    table.remove("strategies");
                }
                text::merge(&mut table, user);
            }
            Some(Source::new(&name, parsed.text))
        }
    };
    let layers = Layers {
        user,
        default,
        overrides,
    };
    for (index, origin, message) in refused {
        problems.push(Problem {
            origin,
            line: None,
            key: None,
            message,
            rank: (Origin::Set(index), 0),
        });
    }
    for o in &layers.overrides {
        if let Err(m) = text::set_key(&mut table, &o.key, o.value.clone()) {
            let path: Vec<&str> = o.key.split('.').collect();
            problems.push(layers.problem(&path, m));
        }
    }
    let skip = check::expand_presets(&mut table, &layers, &mut problems);
    check::check_keys(&table, &skip, &layers, &mut problems);
    // Constraints across keys need every key typed and read; after a syntax error they
    // would judge values the user did not mean, so they wait until the keys are right.
    if problems.is_empty() {
        match deserialize(table, &layers) {
            Ok(s) => {
                problems.extend(rules::check(&s, &layers));
                if problems.is_empty() {
                    return Ok(s);
                }
            }
            Err(p) => problems.push(p),
        }
    }
    problems.sort_by_key(|p| p.rank);
    problems.dedup();
    Err(ScenarioError { problems })
}

fn read(path: &Path) -> Result<String, ScenarioError> {
    let fail = |message: String| ScenarioError {
        problems: vec![Problem {
            origin: path.display().to_string(),
            line: None,
            key: None,
            message,
            rank: (Origin::File, 0),
        }],
    };
    let size = std::fs::metadata(path)
        .map_err(|e| fail(format!("cannot read the scenario file: {e}")))?
        .len();
    if size > MAX_FILE_BYTES {
        return Err(fail(format!(
            "the file has {size} bytes; a scenario file is expected to be under {MAX_FILE_BYTES} bytes"
        )));
    }
    std::fs::read_to_string(path).map_err(|e| fail(format!("cannot read the scenario file: {e}")))
}

/// Typed view of the checked table. Every key was checked already, so this fails only if
/// the key table and the scenario's types disagree; the message then says so in serde's
/// words, in the user's terms.
fn deserialize(table: Table, layers: &Layers) -> Result<Scenario, Problem> {
    serde_path_to_error::deserialize::<_, Scenario>(Value::Table(table)).map_err(|e| {
        let path = e.path().to_string();
        let message = plain_serde_message(&e.inner().to_string());
        let parts: Vec<&str> = path.split('.').filter(|p| !p.is_empty()).collect();
        layers.problem(&parts, message)
    })
}

/// serde's wording, in the user's terms.
fn plain_serde_message(msg: &str) -> String {
    let msg = msg.trim();
    let msg = msg.replace("expected u32", "expected a whole number");
    let msg = msg.replace("expected u64", "expected a whole number");
    let msg = msg.replace("expected f64", "expected a number");
    let msg = msg.replace("unknown field", "unknown key");
    msg.replace("unknown variant", "unknown value")
}

/// The resolved scenario as TOML text.
pub(super) fn resolved_toml(s: &Scenario) -> String {
    toml::to_string(s).expect("a scenario serialises to TOML")
}
