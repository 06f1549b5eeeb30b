//! `cohabit slurm`: ready-to-submit Slurm scripts for a batch command: a job array with one
//! task per shard, and a merge job that starts only when every shard succeeded (`afterok`).
//!
//! `cohabit slurm --shards N [options] -- run|sweep|sensitivity|fit ARGS...` writes, under
//! `<OUT>/slurm/`:
//!
//! - `array.sbatch`: `--array=1-N`; each task runs `cohabit ARGS... --shard auto --resume`
//!   (a requeued or resubmitted task continues its own shard), with `--threads` set to
//!   `SLURM_CPUS_PER_TASK` unless ARGS give it;
//! - `merge.sbatch`: `cohabit merge <OUT>/shards --out <OUT>`;
//! - `submit.sh`: submits the array, then the merge with `--dependency=afterok:<array id>`.
//!
//! Paths in the scripts are absolute (the working directory is the one `cohabit slurm` ran
//! in), so they can be submitted from anywhere.

use super::ExperimentError;
use crate::cli::{Cli, Command};
use crate::output::write_atomic;
use std::path::{Path, PathBuf};

/// Arguments of `cohabit slurm`.
#[derive(Debug, Clone, clap::Args)]
pub struct SlurmArgs {
    /// Number of shards (array tasks).
    #[arg(long)]
    pub shards: u32,
    /// Partition (`#SBATCH --partition`), if any.
    #[arg(long)]
    pub partition: Option<String>,
    /// Time limit of each task, e.g. 02:00:00 (`#SBATCH --time`), if any.
    #[arg(long)]
    pub time: Option<String>,
    /// Cores per task (and `--threads` of each shard).
    #[arg(long, default_value_t = 1)]
    pub cpus_per_task: u32,
    /// Memory per task, e.g. 4G (`#SBATCH --mem`), if any.
    #[arg(long)]
    pub mem: Option<String>,
    /// The cohabit binary the jobs run (default: this one).
    #[arg(long)]
    pub binary: Option<PathBuf>,
    /// The batch command and its arguments, after `--`: run|sweep|sensitivity|fit ...
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// The scripts written.
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub array: PathBuf,
    pub merge: PathBuf,
    pub submit: PathBuf,
}

fn input(m: impl Into<String>) -> ExperimentError {
    ExperimentError::Input(m.into())
}

/// Single-quotes a word for the shell when it needs it.
pub fn quote(word: &str) -> String {
    let plain = !word.is_empty()
        && word
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "-_./=:,+@%".contains(c));
    if plain {
        word.to_string()
    } else {
        format!("'{}'", word.replace('\'', r"'\''"))
    }
}

/// Checks the batch command and writes the scripts.
pub fn write(args: &SlurmArgs) -> Result<Written, ExperimentError> {
    use clap::Parser;
    if args.shards == 0 {
        return Err(input("--shards: expected at least 1"));
    }
    let mut argv = vec!["cohabit".to_string()];
    argv.extend(args.command.iter().cloned());
    let cli = Cli::try_parse_from(&argv).map_err(|e| {
        input(format!(
            "slurm: the command after -- is not a valid batch command: {}",
            e.to_string().trim()
        ))
    })?;
    let (name, out, quiet_given, threads_given, batch, no_charts) = match &cli.command {
        Command::Run(a) => {
            let s = crate::cli::load(&a.scenario, &a.set).map_err(|f| input(f.message))?;
            (
                s.name.clone(),
                a.out
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("output").join(&s.name)),
                a.quiet,
                a.threads != 0,
                a.batch.clone(),
                a.no_charts,
            )
        }
        Command::Sweep(a)
        | Command::Sensitivity(crate::cli_batch::SensitivityArgs { sweep: a, .. }) => {
            let s = crate::cli::load(&a.scenario, &a.set).map_err(|f| input(f.message))?;
            let kind = if matches!(cli.command, Command::Sweep(_)) {
                "sweep"
            } else {
                "sensitivity"
            };
            let no_charts = matches!(&cli.command, Command::Sensitivity(x) if x.no_charts);
            (
                s.name.clone(),
                a.out
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-{kind}", s.name))),
                a.quiet,
                a.threads != 0,
                a.batch.clone(),
                no_charts,
            )
        }
        Command::Fit(a) => {
            let s = crate::cli::load(&a.scenario, &a.set).map_err(|f| input(f.message))?;
            (
                s.name.clone(),
                a.out
                    .clone()
                    .unwrap_or_else(|| PathBuf::from("output").join(format!("{}-fit", s.name))),
                a.quiet,
                a.threads != 0,
                a.batch.clone(),
                a.no_charts,
            )
        }
        _ => {
            return Err(input(
                "slurm: the command after -- must be run, sweep, sensitivity or fit",
            ));
        }
    };
    if batch.shard.is_some() || batch.resume {
        return Err(input(
            "slurm: leave --shard and --resume out of the command: the scripts set them",
        ));
    }
    let cwd = std::env::current_dir().map_err(|e| input(format!("current folder: {e}")))?;
    let out = absolute(&cwd, &out);
    let binary = match &args.binary {
        Some(b) => absolute(&cwd, b),
        None => {
            std::env::current_exe().map_err(|e| input(format!("cannot find this binary: {e}")))?
        }
    };
    let dir = out.join("slurm");
    std::fs::create_dir_all(&dir).map_err(super::io_at(&dir))?;
    let bin = quote(&binary.display().to_string());
    let job = format!("cohabit-{name}");

    let mut task: Vec<String> = args.command.iter().map(|w| quote(w)).collect();
    task.extend(["--shard".into(), "auto".into(), "--resume".into()]);
    if !threads_given {
        task.push("--threads \"${SLURM_CPUS_PER_TASK:-1}\"".into());
    }
    if !quiet_given {
        task.push("--quiet".into());
    }
    let mut head = vec![
        format!("#SBATCH --job-name={}", quote(&job)),
        format!("#SBATCH --array=1-{}", args.shards),
        format!("#SBATCH --cpus-per-task={}", args.cpus_per_task),
        format!(
            "#SBATCH --output={}",
            quote(&dir.join("shard-%a.log").display().to_string())
        ),
    ];
    if let Some(p) = &args.partition {
        head.push(format!("#SBATCH --partition={}", quote(p)));
    }
    if let Some(t) = &args.time {
        head.push(format!("#SBATCH --time={}", quote(t)));
    }
    if let Some(m) = &args.mem {
        head.push(format!("#SBATCH --mem={}", quote(m)));
    }
    let array = format!(
        "#!/bin/bash\n# One shard of the experiment per array task (written by `cohabit slurm`).\n{}\nset -euo pipefail\ncd {}\nexec {bin} {}\n",
        head.join("\n"),
        quote(&cwd.display().to_string()),
        task.join(" ")
    );
    let mut merge_cmd = vec![
        bin.clone(),
        "merge".into(),
        quote(&out.join("shards").display().to_string()),
        "--out".into(),
        quote(&out.display().to_string()),
    ];
    if no_charts {
        merge_cmd.push("--no-charts".into());
    }
    if batch.force {
        merge_cmd.push("--force".into());
    }
    let mut merge_head = vec![
        format!("#SBATCH --job-name={}", quote(&format!("{job}-merge"))),
        "#SBATCH --cpus-per-task=1".to_string(),
        format!(
            "#SBATCH --output={}",
            quote(&dir.join("merge.log").display().to_string())
        ),
    ];
    if let Some(p) = &args.partition {
        merge_head.push(format!("#SBATCH --partition={}", quote(p)));
    }
    let merge = format!(
        "#!/bin/bash\n# Merge the shards once every array task succeeded (written by `cohabit slurm`).\n{}\nset -euo pipefail\ncd {}\nexec {}\n",
        merge_head.join("\n"),
        quote(&cwd.display().to_string()),
        merge_cmd.join(" ")
    );
    let submit = "#!/bin/bash\n# Submit the shards as a job array, then the merge, which waits until every shard succeeded.\nset -euo pipefail\nhere=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\narray=$(sbatch --parsable \"$here/array.sbatch\")\narray=${array%%;*}\nmerge=$(sbatch --parsable --dependency=afterok:\"$array\" \"$here/merge.sbatch\")\nmerge=${merge%%;*}\necho \"submitted: shards as job array $array, merge as job $merge (after every shard succeeds)\"\n".to_string();
    let written = Written {
        array: dir.join("array.sbatch"),
        merge: dir.join("merge.sbatch"),
        submit: dir.join("submit.sh"),
    };
    for (path, text) in [
        (&written.array, array),
        (&written.merge, merge),
        (&written.submit, submit),
    ] {
        write_atomic(path, text.as_bytes()).map_err(super::io_at(path))?;
    }
    Ok(written)
}

fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    }
}
