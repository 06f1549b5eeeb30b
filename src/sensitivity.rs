//! Sensitivity analysis (placeholder; being written).
