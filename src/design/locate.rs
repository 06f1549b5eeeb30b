//! Where in a design file a problem is: byte offsets to 1-based lines, key paths to the
//! spans of a span-keeping `toml_edit` parse, and key paths written as TOML would write them.

use super::{DesignError, Problem};

/// One step of a key path: a table key or an array index.
#[derive(Debug, Clone)]
pub(super) enum Seg {
    Key(String),
    Index(usize),
}

/// Builds errors that name the design file, the line and the key path.
pub(super) struct Locator<'a> {
    origin: &'a str,
    text: &'a str,
    doc: Option<toml_edit::Document<&'a str>>,
}

impl<'a> Locator<'a> {
    pub(super) fn new(origin: &'a str, text: &'a str) -> Self {
        let doc = toml_edit::Document::parse(text).ok();
        Locator { origin, text, doc }
    }

    /// An error at the key path `path` (its line looked up in the document).
    pub(super) fn at(&self, path: &[Seg], problem: Problem) -> DesignError {
        let line = self
            .span_of(path)
            .map_or(1, |start| line_at(self.text, start));
        self.at_line(path, line, problem)
    }

    pub(super) fn at_line(&self, path: &[Seg], line: usize, problem: Problem) -> DesignError {
        DesignError::Invalid {
            file: self.origin.to_string(),
            line,
            key: crate::output::safe::brief_to(&key_path(path), 200),
            problem,
        }
    }

    /// Start of the deepest part of `path` found in the document.
    fn span_of(&self, path: &[Seg]) -> Option<usize> {
        let mut item = self.doc.as_ref()?.as_item();
        let mut found = None;
        for seg in path {
            match seg {
                Seg::Key(k) => {
                    let (key, next) = item.as_table_like()?.get_key_value(k)?;
                    found = key.span().or(next.span()).map(|s| s.start).or(found);
                    item = next;
                }
                Seg::Index(i) => {
                    let value = item.as_array()?.get(*i)?;
                    return value.span().map(|s| s.start).or(found);
                }
            }
        }
        found
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

/// A key path written as TOML would: `factors."economy.price_volatility".values[2]`.
pub(super) fn key_path(path: &[Seg]) -> String {
    let mut out = String::new();
    for seg in path {
        match seg {
            Seg::Key(k) => {
                if !out.is_empty() {
                    out.push('.');
                }
                if is_bare(k) {
                    out.push_str(k);
                } else {
                    out.push_str(&toml::Value::String(k.clone()).to_string());
                }
            }
            Seg::Index(i) => out.push_str(&format!("[{i}]")),
        }
    }
    out
}

pub(super) fn is_bare(k: &str) -> bool {
    !k.is_empty()
        && k.chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
}

/// Whether `key` is a dotted scenario key: non-empty bare segments joined by dots.
pub(super) fn is_scenario_key(key: &str) -> bool {
    key.split('.').all(is_bare)
}
