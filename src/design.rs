//! Experimental designs for sweeps (placeholder; being written).
