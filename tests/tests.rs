//! Integration tests through the CLI and the library (one test binary, modules by theme).

mod common;

mod bad_input;
mod determinism;
mod docs;
mod golden;
mod invariants;
mod patterns;
mod report;
mod report_cli;
