//! Outputs: turning aggregated results into bytes (CSV, JSON) and putting them on disk
//! atomically, so a failed or interrupted run never leaves a half-written file and never
//! destroys earlier results.

pub mod files;
pub mod manifest;
pub mod results;
pub mod safe;

pub use files::{AtomicFile, write_atomic};
