//! Which strategy fits: robustness of every strategy across uncertain contexts (`cohabit
//! fit`), scenario discovery with PRIM, and Pareto fronts of lever sweeps.
pub mod metrics;
pub mod prim;
pub mod settings;
