//! Shards: slices of a run plan, so that N machines (or a Slurm job array) can share one
//! experiment and `cohabit merge` can put it back together.
//!
//! Shard `K/N` (K from 1 to N) holds the runs whose plan index `i` has `i % N == K - 1`:
//! a strided slice. Striding spreads every design point and every strategy over all shards,
//! so shards take about the same time even when some points or strategies run slower than
//! others; merging interleaves the shards' records back into plan order.

use std::fmt;

/// A slice of the plan: shard `k` of `n` (1-based `k`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which shard, 1 to `n`.
    pub k: u32,
    /// How many shards.
    pub n: u32,
}

/// Why a `--shard` value was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ShardError {
    #[error("--shard {0:?}: expected K/N with 1 <= K <= N (e.g. 2/8), or auto")]
    Syntax(String),
    #[error(
        "--shard auto: {0} is not set; it reads SLURM_ARRAY_TASK_ID and SLURM_ARRAY_TASK_COUNT (and SLURM_ARRAY_TASK_MIN) inside a Slurm job array"
    )]
    NoSlurm(&'static str),
    #[error("--shard auto: {name}={value:?} is not a whole number")]
    BadEnv { name: &'static str, value: String },
    #[error(
        "--shard auto: task {id} of an array starting at {min} with {count} tasks gives shard {k} of {count}; submit the array as --array=1-{count} (or 0-{last})",
        last = count.saturating_sub(1)
    )]
    OutOfRange {
        id: u64,
        min: u64,
        count: u64,
        k: u64,
    },
}

impl Shard {
    /// The whole plan as one shard.
    pub const WHOLE: Shard = Shard { k: 1, n: 1 };

    /// Parses `K/N`, or `auto` (read from the Slurm array variables through `env`).
    pub fn parse(text: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        if text == "auto" {
            return Shard::from_slurm(env);
        }
        let bad = || ShardError::Syntax(text.to_string());
        let (k, n) = text.split_once('/').ok_or_else(bad)?;
        let k: u32 = k.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        if n == 0 || k == 0 || k > n {
            return Err(bad());
        }
        Ok(Shard { k, n })
    }

    /// Shard `ID - MIN + 1` of `COUNT`, from `SLURM_ARRAY_TASK_ID`, `SLURM_ARRAY_TASK_COUNT`
    /// and `SLURM_ARRAY_TASK_MIN` (0 if unset), so arrays `1-N` and `0-(N-1)` both work.
    pub fn from_slurm(env: &dyn Fn(&str) -> Option<String>) -> Result<Shard, ShardError> {
        let read = |name: &'static str, default: Option<u64>| -> Result<u64, ShardError> {
            match env(name) {
                Some(v) => v
                    .trim()
                    .parse()
                    .map_err(|_| ShardError::BadEnv { name, value: v }),
                None => default.ok_or(ShardError::NoSlurm(name)),
            }
        };
        let id = read("SLURM_ARRAY_TASK_ID", None)?;
        let count = read("SLURM_ARRAY_TASK_COUNT", None)?;
        let min = read("SLURM_ARRAY_TASK_MIN", Some(0))?;
        let k = (id + 1).saturating_sub(min);
        if k == 0 || k > count || count > u64::from(u32::MAX) {
            return Err(ShardError::OutOfRange { id, min, count, k });
        }
        Ok(Shard {
            k: k as u32,
            n: count as u32,
        })
    }

    /// Whether this is the whole plan.
    pub fn is_whole(&self) -> bool {
        self.n == 1
    }

    /// The plan indices this shard holds, in plan order, for a plan of `total` runs.
    pub fn indices(&self, total: u64) -> impl Iterator<Item = u64> + use<> {
        (u64::from(self.k - 1)..total).step_by(self.n as usize)
    }

    /// How many runs of a plan of `total` runs this shard holds.
    pub fn len(&self, total: u64) -> u64 {
        let first = u64::from(self.k - 1);
        if total <= first {
            0
        } else {
            (total - first).div_ceil(u64::from(self.n))
        }
    }

    /// Whether the shard holds no run of a plan of `total` runs.
    pub fn is_empty(&self, total: u64) -> bool {
        self.len(total) == 0
    }

    /// Folder name of the shard inside `<out>/shards/`: `0003-of-0016`.
    pub fn folder_name(&self) -> String {
        format!("{:04}-of-{:04}", self.k, self.n)
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.k, self.n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_env(_: &str) -> Option<String> {
        None
    }

    #[test]
    fn parses_k_of_n() {
        assert_eq!(Shard::parse("2/8", &no_env), Ok(Shard { k: 2, n: 8 }));
        assert!(Shard::parse("0/8", &no_env).is_err());
        assert!(Shard::parse("9/8", &no_env).is_err());
        assert!(Shard::parse("x", &no_env).is_err());
        assert!(matches!(
            Shard::parse("auto", &no_env),
            Err(ShardError::NoSlurm("SLURM_ARRAY_TASK_ID"))
        ));
    }

    #[test]
    fn reads_slurm_arrays_from_zero_or_one() {
        let env = |min: &'static str, id: &'static str| {
            move |name: &str| match name {
                "SLURM_ARRAY_TASK_ID" => Some(id.to_string()),
                "SLURM_ARRAY_TASK_COUNT" => Some("4".to_string()),
                "SLURM_ARRAY_TASK_MIN" => Some(min.to_string()),
                _ => None,
            }
        };
        assert_eq!(
            Shard::parse("auto", &env("1", "4")),
            Ok(Shard { k: 4, n: 4 })
        );
        assert_eq!(
            Shard::parse("auto", &env("0", "0")),
            Ok(Shard { k: 1, n: 4 })
        );
        assert!(Shard::parse("auto", &env("0", "4")).is_err());
    }

    #[test]
    fn strided_slices_cover_the_plan_once() {
        let total = 23;
        let mut seen = vec![0; total as usize];
        for k in 1..=5 {
            let s = Shard { k, n: 5 };
            let idx: Vec<u64> = s.indices(total).collect();
            assert_eq!(idx.len() as u64, s.len(total));
            idx.iter().for_each(|&i| seen[i as usize] += 1);
        }
        assert!(seen.iter().all(|&c| c == 1));
        assert_eq!(Shard { k: 4, n: 4 }.len(2), 0);
    }
}
