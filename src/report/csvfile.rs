//! A small, strict CSV reader for the run's output tables: columns are found by header name,
//! every value is checked, and each problem is reported with the file and line.

use std::path::{Path, PathBuf};

use super::error::ReportError;

/// One CSV file read into memory: its header and its rows with their line numbers.
pub(crate) struct CsvFile {
    /// Where the file was read from (for error messages).
    pub path: PathBuf,
    headers: Vec<String>,
    rows: Vec<Row>,
}

/// One data row and the 1-based line it started on.
pub(crate) struct Row {
    /// 1-based line number in the file.
    pub line: u64,
    fields: Vec<String>,
}

impl Row {
    /// The raw text of field `col`.
    pub fn get(&self, col: usize) -> &str {
        self.fields.get(col).map(String::as_str).unwrap_or("")
    }
}

/// Reads the whole file, mapping a missing file to [`ReportError::Missing`].
pub(crate) fn read_bytes(path: &Path) -> Result<Vec<u8>, ReportError> {
    std::fs::read(path).map_err(|source| match source.kind() {
        std::io::ErrorKind::NotFound => ReportError::Missing {
            path: path.to_path_buf(),
        },
        _ => ReportError::Read {
            path: path.to_path_buf(),
            source,
        },
    })
}

impl CsvFile {
    /// Reads and splits `path`; every row must have as many fields as the header.
    pub fn read(path: &Path) -> Result<Self, ReportError> {
        let bytes = read_bytes(path)?;
        let mut reader = csv::ReaderBuilder::new()
            .has_headers(true)
            .from_reader(bytes.as_slice());
        let headers = reader
            .headers()
            .map_err(|e| invalid(path, &format!("cannot read the header: {e}")))?
            .iter()
            .map(|h| h.trim().to_string())
            .collect();
        let mut rows = Vec::new();
        for record in reader.records() {
            let record = record.map_err(|e| csv_error(path, &e))?;
            let line = record.position().map_or(0, |p| p.line());
            let fields = record.iter().map(|f| f.trim().to_string()).collect();
            rows.push(Row { line, fields });
        }
        if rows.is_empty() {
            return Err(invalid(path, "has a header but no data rows"));
        }
        Ok(Self {
            path: path.to_path_buf(),
            headers,
            rows,
        })
    }

    /// The column headers, in file order.
    pub fn headers(&self) -> &[String] {
        &self.headers
    }

    /// The data rows, in file order.
    pub fn rows(&self) -> &[Row] {
        &self.rows
    }

    /// Index of the column named `name`, or an error naming the missing column.
    pub fn column(&self, name: &str) -> Result<usize, ReportError> {
        self.headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| invalid(&self.path, &format!("missing column `{name}`")))
    }

    /// Field `col` of `row` as a finite number.
    pub fn number(&self, row: &Row, col: usize) -> Result<f64, ReportError> {
        let text = row.get(col);
        match text.parse::<f64>() {
            Ok(v) if v.is_finite() => Ok(v),
            _ => Err(self.malformed(
                row,
                &format!(
                    "column `{}`: `{text}` is not a finite number",
                    self.headers[col]
                ),
            )),
        }
    }

    /// Field `col` of `row` as a non-negative integer.
    pub fn integer(&self, row: &Row, col: usize) -> Result<u64, ReportError> {
        let text = row.get(col);
        text.parse::<u64>().map_err(|_| {
            self.malformed(
                row,
                &format!(
                    "column `{}`: `{text}` is not a whole number",
                    self.headers[col]
                ),
            )
        })
    }

    /// Field `col` of `row` as non-empty text.
    pub fn text(&self, row: &Row, col: usize) -> Result<String, ReportError> {
        let text = row.get(col);
        if text.is_empty() {
            return Err(self.malformed(row, &format!("column `{}` is empty", self.headers[col])));
        }
        Ok(text.to_string())
    }

    /// A [`ReportError::Malformed`] for `row`.
    pub fn malformed(&self, row: &Row, message: &str) -> ReportError {
        ReportError::Malformed {
            path: self.path.clone(),
            line: row.line,
            message: message.to_string(),
        }
    }
}

/// A [`ReportError::Invalid`] for the file as a whole.
pub(crate) fn invalid(path: &Path, message: &str) -> ReportError {
    ReportError::Invalid {
        path: path.to_path_buf(),
        message: message.to_string(),
    }
}

fn csv_error(path: &Path, err: &csv::Error) -> ReportError {
    match err.position() {
        Some(pos) => ReportError::Malformed {
            path: path.to_path_buf(),
            line: pos.line(),
            message: match err.kind() {
                csv::ErrorKind::UnequalLengths {
                    expected_len, len, ..
                } => format!("expected {expected_len} fields, found {len}"),
                _ => err.to_string(),
            },
        },
        None => invalid(path, &err.to_string()),
    }
}
