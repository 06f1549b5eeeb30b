//! Charts and the board briefing, drawn from the CSV files of a run (placeholder; being written).
