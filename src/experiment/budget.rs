//! What an experiment will hold in memory and write to its resume record, known before it
//! starts, so that a run too big for the machine is refused with a clear message instead
//! of dying half-way, and a resume record that will grow large is announced.
//!
//! Memory: a `run` keeps every replicate of one strategy at a time (metric values and
//! timeseries), since percentiles need them all; a sweep keeps one point and strategy's
//! values (and a sensitivity analysis every point's means); every batch keeps one window of
//! runs in flight (8 per thread) and one simulation state per thread. With seeds chosen by
//! precision, a point's records come block by block and are held whole until the point is
//! decided (every strategy at the most seeds). The estimate is checked against a limit
//! (`--max-memory`, default 4 GiB).

use super::{ExperimentError, Plan};

/// Default memory limit: 4 GiB.
pub const DEFAULT_MAX_MEMORY: u64 = 4 << 30;
/// A resume record larger than this (4 GiB) is announced with a warning.
pub const RECORDS_WARNING: u64 = 4 << 30;

/// Sizes of one run of an evaluator.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Shape {
    /// Timeseries values kept per run (f32).
    pub series: u64,
    /// Map cells kept per run (f32 value and zone byte each).
    pub map: u64,
    /// Bytes of one simulation's working state.
    pub working: u64,
}

/// What an experiment will need.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Estimate {
    /// Peak memory, bytes.
    pub memory: u64,
    /// Bytes kept per run while its strategy (or point) is open.
    pub per_run: u64,
    /// Runs kept at once (replicates of one strategy; with precision, of one point).
    pub kept: u64,
    /// Size the resume record reaches, bytes.
    pub records: u64,
    /// Size of one record, bytes.
    pub record: u64,
    /// Size of one record holding metrics only (`--metrics-only`), bytes.
    pub metrics_record: u64,
}

/// The estimate for the `held` runs of `plan` on `threads` threads; `whole` when this
/// process aggregates the outputs (not a shard); `means` for a sensitivity analysis.
pub fn estimate(
    plan: &Plan,
    shape: Shape,
    threads: usize,
    held: u64,
    whole: bool,
    means: bool,
) -> Estimate {
    let outputs = plan.outputs.len() as u64;
    let metrics_record = 4 + 40 + outputs * 8 + 8;
    let record = metrics_record + shape.series * 4 + shape.map * 5;
    let threads = threads.max(1) as u64;
    let in_flight = threads * 8 * record * 2 + threads * shape.working;
    let reps = u64::from(plan.replicates);
    let per_run = outputs * 8 + shape.series * 4;
    let mut keep = 0;
    let mut kept = reps;
    if whole {
        // One strategy's replicates, the map's sums, and the sorted copies of one column.
        keep = reps * per_run + shape.map * 9 + reps * 16;
        if means {
            keep += u64::from(plan.points) * plan.strategies.len() as u64 * outputs * 8;
        }
        if plan.precision.is_some() {
            // A point's whole records, every strategy at the most seeds, until it is decided.
            kept = reps.saturating_mul(plan.strategies.len() as u64);
            keep = keep.saturating_add(kept.saturating_mul(record + 64));
        }
    }
    Estimate {
        memory: keep.saturating_add(in_flight).saturating_add(64 << 20),
        per_run,
        kept,
        records: 12 + held.saturating_mul(record),
        record,
        metrics_record,
    }
}

/// Refuses an estimate above `limit` bytes, saying what dominates and what to do.
pub fn check_memory(e: &Estimate, limit: u64, detail: bool) -> Result<(), ExperimentError> {
    if e.memory <= limit {
        return Ok(());
    }
    let smaller = if detail {
        "use fewer seeds (or a lower --max-seeds), a longer timeseries_every_weeks or fewer weeks, or --metrics-only (no timeseries, map or charts)"
    } else {
        "use fewer seeds (or a lower --max-seeds)"
    };
    Err(ExperimentError::Input(format!(
        "this experiment would need about {} of memory ({} runs kept at once, {} each, plus the runs in flight), above the limit of {}; {smaller}, or raise --max-memory if this machine has the memory",
        size(e.memory),
        e.kept,
        size(e.per_run),
        size(limit)
    )))
}

/// A warning when the resume record will pass [`RECORDS_WARNING`].
pub fn records_warning(e: &Estimate, held: u64, detail: bool) -> Option<String> {
    if e.records <= RECORDS_WARNING {
        return None;
    }
    let advice = if detail {
        format!(
            "; add --metrics-only to keep metrics only (about {} a run; then no timeseries.csv, map.csv or charts)",
            size(e.metrics_record)
        )
    } else {
        "; make sure the disk has room".to_string()
    };
    Some(format!(
        "warning: the resume record (.cohabit-state/records.bin) will grow to about {} ({} runs of {} each) before the outputs are written and it is deleted{advice}",
        size(e.records),
        held,
        size(e.record)
    ))
}

/// Bytes for people: `312.5 GiB`, `28.1 KiB`.
pub fn size(bytes: u64) -> String {
    let units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
    let mut x = bytes as f64;
    let mut u = 0;
    while x >= 1024.0 && u + 1 < units.len() {
        x /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{bytes} bytes")
    } else {
        format!("{x:.1} {}", units[u])
    }
}

/// Reads a size: bytes, or a number with K, M, G or T (powers of 1024), e.g. `512M`, `16G`.
pub fn parse_size(text: &str) -> Result<u64, String> {
    let t = text.trim();
    let (number, unit) = match t.char_indices().find(|(_, c)| c.is_ascii_alphabetic()) {
        Some((i, _)) => (&t[..i], t[i..].to_ascii_uppercase()),
        None => (t, String::new()),
    };
    let shift = match unit.trim_end_matches(['B', 'I']) {
        "" => 0,
        "K" => 10,
        "M" => 20,
        "G" => 30,
        "T" => 40,
        _ => {
            return Err(format!(
                "expected a size such as 512M or 16G, got {}",
                crate::output::safe::brief(text)
            ));
        }
    };
    let x: f64 = number
        .trim()
        .parse()
        .ok()
        .filter(|x: &f64| x.is_finite() && *x > 0.0)
        .ok_or_else(|| {
            format!(
                "expected a size such as 512M or 16G, got {}",
                crate::output::safe::brief(text)
            )
        })?;
    let bytes = x * (1u64 << shift) as f64;
    if bytes >= u64::MAX as f64 {
        return Err(format!("expected a size below 16 EiB, got {text}"));
    }
    Ok(bytes as u64)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(replicates: u32) -> Plan {
        Plan {
            points: 1,
            strategies: vec!["a".into(), "b".into()],
            replicates,
            outputs: (0..36).map(|i| i.to_string()).collect(),
            detail: true,
            precision: None,
        }
    }

    #[test]
    fn a_million_seeds_of_a_hundred_years_weekly_is_refused() {
        // The case: 5,200 weekly periods x 15 series, a million seeds.
        let shape = Shape {
            series: 5200 * 15,
            map: 4096,
            working: 2 << 20,
        };
        let e = estimate(&plan(1_000_000), shape, 2, 2_000_000, true, false);
        assert!(e.memory > 250 << 30, "{}", size(e.memory));
        let msg = check_memory(&e, DEFAULT_MAX_MEMORY, true)
            .unwrap_err()
            .to_string();
        assert!(
            msg.contains("--metrics-only") && msg.contains("--max-memory"),
            "{msg}"
        );
        assert!(records_warning(&e, 2_000_000, true).is_some());
    }

    #[test]
    fn the_default_run_fits() {
        // The default scenario: 130 periods x 15 series, 64 x 64 cells, 50 seeds.
        let shape = Shape {
            series: 130 * 15,
            map: 4096,
            working: 2 << 20,
        };
        let e = estimate(&plan(50), shape, 2, 200, true, false);
        assert!(check_memory(&e, DEFAULT_MAX_MEMORY, true).is_ok());
        assert!(records_warning(&e, 200, true).is_none());
        // About 28 KiB a record, as the README says.
        assert!((27_000..30_000).contains(&e.record), "{}", e.record);
    }

    #[test]
    fn precision_is_checked_at_its_most_seeds() {
        use crate::experiment::precision::{Precision, Target};
        let shape = Shape {
            series: 130 * 15,
            map: 4096,
            working: 2 << 20,
        };
        let mut p = plan(100_000);
        let fixed = estimate(&plan(10), shape, 2, 20, true, false);
        assert!(check_memory(&fixed, DEFAULT_MAX_MEMORY, true).is_ok());
        p.precision = Some(Precision {
            targets: vec![Target {
                metric: "0".into(),
                value: 1.0,
                relative: false,
            }],
            block: 10,
            max_seeds: 100_000,
        });
        // A point's records held whole: 2 strategies x 100,000 seeds x ~28 KiB.
        let e = estimate(&p, shape, 2, 200_000, true, false);
        assert_eq!(e.kept, 200_000);
        let msg = check_memory(&e, DEFAULT_MAX_MEMORY, true)
            .unwrap_err()
            .to_string();
        assert!(msg.contains("--max-seeds"), "{msg}");
    }

    #[test]
    fn sizes_read_and_print() {
        assert_eq!(parse_size("512M"), Ok(512 << 20));
        assert_eq!(parse_size("16g"), Ok(16 << 30));
        assert_eq!(parse_size("1.5GiB"), Ok(3 << 29));
        assert_eq!(parse_size("1000"), Ok(1000));
        assert!(parse_size("-1G").is_err() && parse_size("lots").is_err());
        assert_eq!(size(3 << 29), "1.5 GiB");
    }
}
