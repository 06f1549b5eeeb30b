//! Where each value of a scenario came from (the user's file and line, a `--set`, or the
//! embedded default), so that every problem is blamed on the layer that set the value, and
//! problems can be listed in line order: the user's file first, then the `--set` overrides
//! in the order given, then the embedded default.

use super::Problem;
use crate::output::safe::brief;
use toml::Value;

/// The layer a value came from, in the order problems are listed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Origin {
    /// The user's scenario file.
    File,
    /// The i-th `--set` (0-based, in the order given).
    Set(usize),
    /// The embedded default scenario.
    Default,
}

/// One `--set KEY=VALUE`, read.
#[derive(Debug, Clone)]
pub(super) struct Override {
    pub key: String,
    /// The value as typed (for messages).
    pub raw: String,
    pub value: Value,
    /// Position among all `--set` given (refused ones included), for ordering.
    pub index: usize,
}

/// A TOML text with a span-keeping parse of it, to find the line of a key.
pub(super) struct Source {
    pub name: String,
    pub text: String,
    doc: Option<toml_edit::Document<String>>,
}

impl Source {
    pub fn new(name: &str, text: String) -> Source {
        let doc = toml_edit::Document::parse(text.clone()).ok();
        Source {
            name: name.to_string(),
            text,
            doc,
        }
    }

    /// The item at `path`, if the text sets it.
    fn item(&self, path: &[&str]) -> Option<&toml_edit::Item> {
        let mut item = self.doc.as_ref()?.as_item();
        for part in path {
            item = item.as_table_like()?.get(part)?;
        }
        Some(item)
    }

    /// 1-based line of the value (or table) at `path`, if the text sets it.
    pub fn line(&self, path: &[&str]) -> Option<usize> {
        let item = self.item(path)?;
        let span = item
            .span()
            .or_else(|| item.as_table().and_then(|t| t.span()))?;
        Some(line_at(&self.text, span.start))
    }

    /// The value at `path` exactly as written in the text.
    fn raw(&self, path: &[&str]) -> Option<String> {
        let span = self.item(path)?.span()?;
        self.text.get(span).map(|s| s.trim().to_string())
    }
}

/// 1-based line of a byte offset.
pub(super) fn line_at(text: &str, offset: usize) -> usize {
    let end = offset.min(text.len());
    1 + text.as_bytes()[..end]
        .iter()
        .filter(|&&b| b == b'\n')
        .count()
}

/// The layers of one scenario.
pub(super) struct Layers {
    pub user: Option<Source>,
    pub default: Source,
    pub overrides: Vec<Override>,
}

impl Layers {
    /// The layer and line of the value at `path`: the last layer that set it wins. A key a
    /// strategy inherits from its preset is blamed on the line of the strategy's table.
    fn locate(&self, path: &[&str]) -> (Origin, Option<usize>) {
        if let Some(o) = self.overrides.iter().rev().find(|o| covers(&o.key, path)) {
            return (Origin::Set(o.index), None);
        }
        let strategy = (path.len() > 2 && path[0] == "strategies").then(|| &path[..2]);
        if let Some(user) = &self.user {
            if let Some(line) = user.line(path) {
                return (Origin::File, Some(line));
            }
            if let Some(line) = strategy.and_then(|table| user.line(table)) {
                return (Origin::File, Some(line));
            }
        }
        let line = self
            .default
            .line(path)
            .or_else(|| strategy.and_then(|table| self.default.line(table)));
        (Origin::Default, line)
    }

    /// How a problem's origin is named.
    fn origin_name(&self, origin: Origin) -> String {
        match origin {
            Origin::File => self.user.as_ref().map_or(String::new(), |u| u.name.clone()),
            Origin::Set(i) => match self.overrides.iter().find(|o| o.index == i) {
                Some(o) => format!("--set {}={}", brief(&o.key), brief(&o.raw)),
                None => "--set".to_string(),
            },
            Origin::Default => "embedded default scenario".to_string(),
        }
    }

    /// The value at `path` as the user wrote it (for "got ..."), else as TOML writes it.
    pub fn raw(&self, path: &[&str], value: &Value) -> String {
        let written = match self.locate(path).0 {
            Origin::Set(i) => self
                .overrides
                .iter()
                .find(|o| o.index == i && o.key == path.join("."))
                .map(|o| o.raw.clone()),
            Origin::File => self.user.as_ref().and_then(|u| u.raw(path)),
            Origin::Default => self.default.raw(path),
        };
        brief(&written.unwrap_or_else(|| show(value)))
    }

    /// A problem with the value at `path`.
    pub fn problem(&self, path: &[&str], message: impl Into<String>) -> Problem {
        let (origin, line) = self.locate(path);
        self.at(origin, line, Some(key_text(path)), message.into())
    }

    /// A problem among several keys that constrain each other: blamed on the one set by the
    /// user (a `--set` before the file, the file before the default), the first listed on a
    /// tie, so that a problem the user's values cause is never blamed on the default.
    pub fn blame(&self, keys: &[&str], message: impl Into<String>) -> Problem {
        let rank = |o: Origin| match o {
            Origin::Set(_) => 0,
            Origin::File => 1,
            Origin::Default => 2,
        };
        let key = keys
            .iter()
            .min_by_key(|k| {
                let path: Vec<&str> = k.split('.').collect();
                rank(self.locate(&path).0)
            })
            .copied()
            .unwrap_or_default();
        let path: Vec<&str> = key.split('.').collect();
        self.problem(&path, message)
    }

    /// A problem at a given place.
    pub fn at(
        &self,
        origin: Origin,
        line: Option<usize>,
        key: Option<String>,
        message: String,
    ) -> Problem {
        Problem {
            origin: self.origin_name(origin),
            line,
            key,
            message,
            rank: (origin, line.unwrap_or(0)),
        }
    }
}

/// Whether an override of `set_key` sets `path`: the key itself, a key inside a table it
/// sets, or a table it made by setting a key inside it.
fn covers(set_key: &str, path: &[&str]) -> bool {
    let set: Vec<&str> = set_key.split('.').collect();
    let n = set.len().min(path.len());
    set[..n] == path[..n]
}

/// A key path as written in TOML: dotted, with quotes around a part that needs them.
pub(super) fn key_text(path: &[&str]) -> String {
    path.iter()
        .map(|p| {
            if is_bare(p) {
                (*p).to_string()
            } else {
                Value::String((*p).to_string()).to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// Whether a key part can be written bare in TOML.
pub(super) fn is_bare(part: &str) -> bool {
    !part.is_empty()
        && part
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// A value as TOML writes it.
pub(super) fn show(value: &Value) -> String {
    match value {
        Value::Table(_) => "a table".to_string(),
        other => other.to_string(),
    }
}
