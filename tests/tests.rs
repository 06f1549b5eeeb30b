//! Integration tests through the CLI and the library (one test binary, modules by theme).

mod common;

mod adaptive;
mod bad_input;
mod determinism;
mod docs;
mod fuzz;
mod golden;
mod hardening;
mod invariants;
mod patterns;
mod report;
mod report_cli;

// Experiments at scale: sweeps, shards and merge, resume, run-one, sensitivity.
mod precision;
mod resume;
mod run_one;
mod sensitivity;
mod shards;
mod sweep;

// Which strategy fits: robustness across contexts, PRIM, Pareto fronts.
mod fit;
mod fit_board;
mod fit_ema;
