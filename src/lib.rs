//! cohabit: an agent-based simulator of how large-scale mining companies (LSM) live alongside
//! artisanal and small-scale miners (ASM).
//!
//! Data flows one way:
//! scenario file -> [`scenario::Scenario`] -> [`batch`] plan -> [`sim`] runs (parallel)
//! -> [`metrics`] records (ordered) -> aggregates -> [`output`] CSV, charts, report.

pub mod design;
pub mod report;
pub mod sensitivity;
