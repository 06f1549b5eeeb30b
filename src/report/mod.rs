//! Charts and the board briefing, drawn only from the files a run leaves in its output folder.
//!
//! [`render`] reads the folder (`data`), draws the charts (`charts`), writes the plain-language
//! findings (`findings`) and the one-file briefing (`html`), and writes every file atomically.

mod csvfile;
mod data;
mod effects;
mod error;
mod findings;
mod format;
mod map;
mod stats;

pub use error::ReportError;
