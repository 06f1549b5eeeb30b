//! `cohabit slurm`: the batch command after `--` is checked as fully as the command itself
//! would check it (scenario, overrides, strategies, design, sensitivity method, every design
//! point, the output folder, and memory per shard and for the merge), so that no array task
//! fails on input; then [`crate::experiment::slurm`] writes the scripts.

use super::{BatchArgs, SweepArgs, input, prepare_sweep, source_of, sweep_out};
use crate::cli::{Cli, Command, Failure, load_batch};
use crate::experiment::budget::{self, Estimate};
use crate::experiment::launch::{self, Experiment};
use crate::experiment::slurm::{Resources, Spec, write};
use crate::experiment::{Cohabit, Evaluator, Kind, Shard, folder};
use std::path::{Path, PathBuf};

/// Arguments of `cohabit slurm`.
#[derive(Debug, Clone, clap::Args)]
pub struct SlurmArgs {
    /// Number of shards (array tasks).
    #[arg(long)]
    pub shards: u32,
    /// Partition of both jobs (`#SBATCH --partition`), if any.
    #[arg(long)]
    pub partition: Option<String>,
    /// Time limit of each task, e.g. 02:00:00 (`#SBATCH --time`), if any.
    #[arg(long)]
    pub time: Option<String>,
    /// Cores per task (and `--threads` of each shard).
    #[arg(long, default_value_t = 1)]
    pub cpus_per_task: u32,
    /// Memory per task, e.g. 4G (`#SBATCH --mem`; also each shard's --max-memory), if any.
    #[arg(long)]
    pub mem: Option<String>,
    /// Time limit of the merge job (default: --time).
    #[arg(long)]
    pub merge_time: Option<String>,
    /// Memory of the merge job, e.g. 8G (default: what the merge needs, at least 1G).
    #[arg(long)]
    pub merge_mem: Option<String>,
    /// An extra `#SBATCH` line for both jobs, e.g. --sbatch-line=--account=myproject
    /// (repeatable).
    #[arg(long, value_name = "OPTION", allow_hyphen_values = true)]
    pub sbatch_line: Vec<String>,
    /// The cohabit binary the jobs run (default: this one).
    #[arg(long)]
    pub binary: Option<PathBuf>,
    /// The batch command and its arguments, after `--`: run|sweep|sensitivity|fit ...
    #[arg(last = true, required = true, value_name = "COMMAND")]
    pub command: Vec<String>,
}

/// What the checked command says about its jobs.
struct Checked {
    name: String,
    out: PathBuf,
    batch: BatchArgs,
    quiet: bool,
    threads_given: bool,
    /// Options the merge repeats (`--no-charts`).
    merge_flags: Vec<String>,
    /// Memory of one task and of the merge.
    task: Estimate,
    merge: Estimate,
}

/// `cohabit slurm`.
pub fn run(args: &SlurmArgs) -> Result<(), Failure> {
    use clap::Parser;
    if args.shards == 0 {
        return Err(input("slurm: --shards: expected at least 1"));
    }
    let mut argv = vec!["cohabit".to_string()];
    argv.extend(args.command.iter().cloned());
    let cli = Cli::try_parse_from(&argv).map_err(|e| {
        input(format!(
            "slurm: the command after -- is not a valid batch command: {}",
            e.to_string().trim()
        ))
    })?;
    let shard = Shard {
        k: 1,
        n: args.shards,
    };
    let task_mem = args.mem.as_deref().map(mem_bytes).transpose()?;
    let merge_mem = args.merge_mem.as_deref().map(mem_bytes).transpose()?;
    let limits = Limits {
        shard,
        cpus: args.cpus_per_task,
        task: task_mem,
        merge: merge_mem,
    };
    let checked = match &cli.command {
        Command::Run(a) => check_run(a, &limits)?,
        Command::Sweep(a) => check_sweep(a, Kind::Sweep, None, false, &limits)?,
        Command::Sensitivity(a) => check_sweep(
            &a.sweep,
            Kind::Sensitivity,
            a.method.as_deref(),
            a.no_charts,
            &limits,
        )?,
        Command::Fit(a) => check_fit(a, &limits)?,
        _ => {
            return Err(input(
                "slurm: the command after -- must be run, sweep, sensitivity or fit",
            ));
        }
    };
    if checked.batch.shard.is_some() || checked.batch.resume {
        return Err(input(
            "slurm: leave --shard and --resume out of the command: the scripts set them",
        ));
    }
    let cwd = std::env::current_dir().map_err(|e| input(format!("current folder: {e}")))?;
    let binary = match &args.binary {
        Some(b) => absolute(&cwd, b),
        None => {
            std::env::current_exe().map_err(|e| input(format!("cannot find this binary: {e}")))?
        }
    };
    // The merge asks for what it needs, with a margin, and at least 1 GiB.
    let merge_bytes = merge_mem.unwrap_or_else(|| (checked.merge.memory / 4 * 5).max(1 << 30));
    let merge_mib = merge_bytes.div_ceil(1 << 20);
    let mut task_extra = Vec::new();
    if !checked.quiet {
        task_extra.push("--quiet".to_string());
    }
    if let (Some(bytes), None) = (task_mem, checked.batch.max_memory) {
        task_extra.extend(["--max-memory".to_string(), bytes.to_string()]);
    }
    let mut merge_options = checked.merge_flags.clone();
    if checked.batch.force {
        merge_options.push("--force".into());
    }
    merge_options.extend(["--max-memory".to_string(), format!("{merge_mib}M")]);
    let spec = Spec {
        shards: args.shards,
        binary,
        cwd: cwd.clone(),
        out: absolute(&cwd, &checked.out),
        name: checked.name.clone(),
        command: args.command.clone(),
        threads_from_slurm: !checked.threads_given,
        task_extra,
        task: Resources {
            partition: args.partition.clone(),
            time: args.time.clone(),
            mem: args.mem.clone(),
            cpus: args.cpus_per_task,
        },
        merge: Resources {
            partition: args.partition.clone(),
            time: args.merge_time.clone().or_else(|| args.time.clone()),
            mem: Some(format!("{merge_mib}M")),
            cpus: 1,
        },
        merge_options,
        sbatch_lines: args.sbatch_line.clone(),
    };
    let written = write(&spec)?;
    println!(
        "Wrote {} and {}.\nEach shard needs about {} of memory, the merge about {} (merge.sbatch asks for {}).\nSubmit with: bash {}",
        written.array.display(),
        written.merge.display(),
        budget::size(checked.task.memory),
        budget::size(checked.merge.memory),
        budget::size(merge_mib << 20),
        written.submit.display()
    );
    Ok(())
}

/// Memory as Slurm's `--mem` writes it (K, M, G, T), in bytes.
fn mem_bytes(text: &str) -> Result<u64, Failure> {
    budget::parse_size(text).map_err(|e| input(format!("slurm: memory: {e}")))
}

/// How the jobs will run, for the memory checks.
struct Limits {
    shard: Shard,
    cpus: u32,
    task: Option<u64>,
    merge: Option<u64>,
}

fn check_run(a: &crate::cli::RunArgs, limits: &Limits) -> Result<Checked, Failure> {
    let (s, set) = load_batch(&a.scenario, &a.set, a.seeds, a.master_seed, &a.strategies)?;
    let out = a
        .out
        .clone()
        .unwrap_or_else(|| PathBuf::from("output").join(&s.name));
    let model = Cohabit {
        base: s.clone(),
        source: source_of(&a.scenario),
        overrides: set,
        detail: true,
    };
    let mut x = Experiment::run(&s);
    x.identity.precision = a.precision.resolve(&s)?;
    let (task, merge) = budgets(&model, &x, &out, &a.batch, a.threads, limits)?;
    let mut merge_flags = Vec::new();
    if a.no_charts {
        merge_flags.push("--no-charts".into());
    }
    Ok(Checked {
        name: s.name.clone(),
        out,
        batch: a.batch.clone(),
        quiet: a.quiet,
        threads_given: a.threads != 0,
        merge_flags,
        task,
        merge,
    })
}

fn check_sweep(
    a: &SweepArgs,
    kind: Kind,
    method: Option<&str>,
    no_charts: bool,
    limits: &Limits,
) -> Result<Checked, Failure> {
    let ready = prepare_sweep(a, kind, method)?;
    let out = sweep_out(a, &ready.s, kind);
    let x = ready.experiment(kind);
    let (task, merge) = budgets(&ready.model, &x, &out, &a.batch, a.threads, limits)?;
    Ok(Checked {
        name: ready.s.name.clone(),
        out,
        batch: a.batch.clone(),
        quiet: a.quiet,
        threads_given: a.threads != 0,
        merge_flags: if no_charts {
            vec!["--no-charts".into()]
        } else {
            Vec::new()
        },
        task,
        merge,
    })
}

fn check_fit(a: &crate::cli_fit::FitArgs, limits: &Limits) -> Result<Checked, Failure> {
    let ready = crate::cli_fit::prepare(a)?;
    let out = crate::cli_fit::fit_out(a, &ready.s);
    let x = ready.experiment();
    let (task, merge) = budgets(&ready.model, &x, &out, &a.batch, a.threads, limits)?;
    Ok(Checked {
        name: ready.s.name.clone(),
        out,
        batch: a.batch.clone(),
        quiet: a.quiet,
        threads_given: a.threads != 0,
        merge_flags: if a.no_charts {
            vec!["--no-charts".into()]
        } else {
            Vec::new()
        },
        task,
        merge,
    })
}

/// The output folder can take the experiment, and a task and the merge fit their memory.
fn budgets<E: Evaluator>(
    ev: &E,
    x: &Experiment,
    out: &Path,
    batch: &BatchArgs,
    threads: usize,
    limits: &Limits,
) -> Result<(Estimate, Estimate), Failure> {
    if out.exists() && !out.is_dir() {
        return Err(input(format!(
            "slurm: the output folder {} is a file, not a folder; give --out a folder",
            out.display()
        )));
    }
    folder::may_receive(out, &x.identity, batch.force)?;
    let options = super::batch(&BatchArgs {
        shard: None,
        ..batch.clone()
    })?
    .folder;
    let threads = if threads == 0 {
        limits.cpus as usize
    } else {
        threads
    };
    let mut settings = launch::Settings {
        out: out.to_path_buf(),
        threads,
        shard: limits.shard,
        folder: folder::Options {
            max_memory: batch
                .max_memory
                .or(limits.task)
                .unwrap_or(budget::DEFAULT_MAX_MEMORY),
            ..options
        },
        overrides: Vec::new(),
        command_line: String::new(),
        progress: false,
        charts: false,
    };
    let (_, task) = launch::check(ev, x, &settings)?;
    settings.shard = Shard::WHOLE;
    settings.threads = 1;
    settings.folder.max_memory = limits.merge.unwrap_or(u64::MAX);
    let (_, merge) = launch::check(ev, x, &settings)
        .map_err(|e| input(format!("slurm: the merge job: {e} (set --merge-mem)")))?;
    Ok((task, merge))
}

fn absolute(cwd: &Path, p: &Path) -> PathBuf {
    if p.is_absolute() {
        p.to_path_buf()
    } else {
        cwd.join(p)
    }
}
