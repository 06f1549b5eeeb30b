//! cohabit: an agent-based simulator of how large-scale mining companies (LSM) live alongside
//! artisanal and small-scale miners (ASM).
//!
//! Data flows one way:
//! scenario file -> [`scenario::Scenario`] -> [`batch`] plan -> [`sim`] runs (parallel)
//! -> [`metrics`] records (ordered) -> aggregates -> [`output`] CSV, charts, report.

pub mod actors;
pub mod adaptive;
pub mod batch;
pub mod cli;
pub mod cli_batch;
pub mod cli_fit;
pub mod design;
pub mod experiment;
pub mod fit;
pub mod metrics;
pub mod output;
pub mod patterns;
pub mod report;
pub mod rng;
pub mod runner;
pub mod scenario;
pub mod sensitivity;
pub mod sim;
pub mod stats;
pub mod strategy;
pub mod world;
