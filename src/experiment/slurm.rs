//! Slurm scripts for a batch command split into shards: a job array with one task per shard,
//! and a merge job that starts only when every shard succeeded (`afterok`). Written under
//! `<OUT>/slurm/`:
//!
//! - `array.sbatch`: `--array=1-N`; task K runs `cohabit ARGS... --shard K/N --resume`, the
//!   shard count N written into the script, so a requeued task continues its own shard and
//!   failed tasks can be resubmitted alone (`sbatch --array=3,7 array.sbatch`), stepped
//!   arrays included;
//! - `merge.sbatch`: `cohabit merge <OUT>/shards --out <OUT>`, with its own time and memory;
//! - `submit.sh`: submits the array, then the merge with `--dependency=afterok:<array id>`.
//!
//! Every value that reaches a script is checked or quoted: words of the command line are
//! single-quoted for bash, values on `#SBATCH` lines are checked against what Slurm takes
//! there (and double-quoted where they are paths), and anything with a line break or another
//! control character is refused, so no value can end a line and start a command. Paths are
//! absolute, so the scripts can be submitted from anywhere. The command itself is checked
//! by the CLI before the scripts are written.

use super::ExperimentError;
use crate::output::safe::brief;
use crate::output::write_atomic;
use std::path::{Path, PathBuf};

/// Resources of one job.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Resources {
    /// `--partition`.
    pub partition: Option<String>,
    /// `--time`.
    pub time: Option<String>,
    /// `--mem`.
    pub mem: Option<String>,
    /// `--cpus-per-task`.
    pub cpus: u32,
}

/// Everything the scripts say, checked by [`write`].
#[derive(Debug, Clone, PartialEq)]
pub struct Spec {
    /// Array tasks (shards).
    pub shards: u32,
    /// The cohabit binary, absolute.
    pub binary: PathBuf,
    /// The folder the command was given in (relative paths in it resolve from there).
    pub cwd: PathBuf,
    /// The experiment's output folder, absolute.
    pub out: PathBuf,
    /// The scenario's name (for the job names).
    pub name: String,
    /// The batch command's words as given (`run`, `sweep` or `sensitivity`, then its
    /// arguments), without `--shard`.
    pub command: Vec<String>,
    /// Each task takes `--threads` from `SLURM_CPUS_PER_TASK` (unless the command sets it).
    pub threads_from_slurm: bool,
    /// Words each task adds after the command (`--quiet`, `--max-memory N`).
    pub task_extra: Vec<String>,
    /// The array tasks' resources.
    pub task: Resources,
    /// The merge's resources.
    pub merge: Resources,
    /// Options of the merge (`--no-charts`, `--force`, `--max-memory N`).
    pub merge_options: Vec<String>,
    /// Extra `#SBATCH` lines for both jobs (account, qos, ...), without `#SBATCH`.
    pub sbatch_lines: Vec<String>,
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

/// Single-quotes a word for bash when it needs it (`'` written as `'\''`).
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

/// Refuses text with a line break or another control character: it could end a script
/// line and start a command.
fn one_line(what: &str, text: &str) -> Result<(), ExperimentError> {
    if text.chars().any(char::is_control) {
        return Err(input(format!(
            "slurm: {what} \"{}\" holds a line break or another control character, which a script cannot carry safely; remove it",
            brief(text)
        )));
    }
    Ok(())
}

/// A log file in `dir` on an `#SBATCH` line, double-quoted (Slurm groups quoted text there);
/// a folder with `%`, `\\` or `"` is refused, since Slurm reads them specially in log names.
fn sbatch_log(dir: &Path, file: &str) -> Result<String, ExperimentError> {
    let text = dir.display().to_string();
    one_line("the output folder", &text)?;
    if text.contains(['%', '\\', '"']) {
        return Err(input(format!(
            "slurm: the output folder \"{}\" holds '%', '\\' or '\"', which Slurm reads specially in its log file names; choose an --out without them",
            brief(&text)
        )));
    }
    Ok(format!("\"{text}/{file}\""))
}

/// A value on an `#SBATCH` line, checked against the characters its option takes.
fn sbatch_value(
    option: &str,
    value: &str,
    ok: fn(char) -> bool,
    example: &str,
) -> Result<String, ExperimentError> {
    if value.is_empty() || !value.chars().all(ok) {
        return Err(input(format!(
            "slurm: --{option} \"{}\" is not a Slurm {option} value (e.g. {example})",
            brief(value)
        )));
    }
    Ok(value.to_string())
}

/// A time limit as Slurm writes it: minutes, `MM:SS`, `HH:MM:SS`, `D-HH[:MM[:SS]]`.
fn slurm_time(value: &str) -> Result<String, ExperimentError> {
    let bad = || {
        input(format!(
            "slurm: --time \"{}\" is not a Slurm time limit (e.g. 90, 02:00:00 or 1-12:00:00)",
            brief(value)
        ))
    };
    if ["unlimited", "infinite"].contains(&value.to_ascii_lowercase().as_str()) {
        return Ok(value.to_string());
    }
    let (days, rest) = match value.split_once('-') {
        Some((d, r)) => (Some(d), r),
        None => (None, value),
    };
    let digits = |s: &str| !s.is_empty() && s.len() <= 6 && s.chars().all(|c| c.is_ascii_digit());
    let parts: Vec<&str> = rest.split(':').collect();
    if days.is_some_and(|d| !digits(d)) || parts.len() > 3 || !parts.iter().all(|p| digits(p)) {
        return Err(bad());
    }
    Ok(value.to_string())
}

/// An extra `#SBATCH` line: one sbatch option (`--account=abc`), on one line; `--array`
/// and the log options stay the script's own.
fn sbatch_line(line: &str) -> Result<String, ExperimentError> {
    one_line("--sbatch-line", line)?;
    let line = line.trim();
    let line = line.strip_prefix("#SBATCH").map_or(line, str::trim);
    if !line.starts_with('-') {
        return Err(input(format!(
            "slurm: --sbatch-line \"{}\" is not an sbatch option; give one such as --account=myproject or --qos=long",
            brief(line)
        )));
    }
    let option = line.split(['=', ' ']).next().unwrap_or(line);
    if ["--array", "-a", "--output", "-o", "--error", "-e"].contains(&option) {
        return Err(input(format!(
            "slurm: --sbatch-line \"{}\": the scripts set {option} themselves",
            brief(line)
        )));
    }
    Ok(format!("#SBATCH {line}"))
}

/// A job name: the scenario's name in the characters every Slurm accepts.
fn job_name(name: &str, suffix: &str) -> String {
    let safe: String = name
        .chars()
        .take(60)
        .map(|c| match c {
            'a'..='z' | 'A'..='Z' | '0'..='9' | '_' | '.' | '-' => c,
            _ => '_',
        })
        .collect();
    format!("cohabit-{safe}{suffix}")
}

/// The `#SBATCH` lines of a job's resources.
fn resource_lines(r: &Resources) -> Result<Vec<String>, ExperimentError> {
    let mut head = vec![format!("#SBATCH --cpus-per-task={}", r.cpus.max(1))];
    if let Some(p) = &r.partition {
        let ok = |c: char| c.is_ascii_alphanumeric() || "_.,-".contains(c);
        head.push(format!(
            "#SBATCH --partition={}",
            sbatch_value("partition", p, ok, "compute")?
        ));
    }
    if let Some(t) = &r.time {
        head.push(format!("#SBATCH --time={}", slurm_time(t)?));
    }
    if let Some(m) = &r.mem {
        let ok = |c: char| c.is_ascii_digit() || "KMGTkmgt".contains(c);
        head.push(format!(
            "#SBATCH --mem={}",
            sbatch_value("mem", m, ok, "4G")?
        ));
    }
    Ok(head)
}

/// Checks every value and writes the three scripts into `<out>/slurm/`.
pub fn write(spec: &Spec) -> Result<Written, ExperimentError> {
    if spec.shards == 0 {
        return Err(input("slurm: --shards: expected at least 1"));
    }
    for (what, text) in [
        ("the cohabit binary", spec.binary.display().to_string()),
        ("the current folder", spec.cwd.display().to_string()),
        ("the output folder", spec.out.display().to_string()),
    ] {
        one_line(what, &text)?;
    }
    for word in spec
        .command
        .iter()
        .chain(&spec.task_extra)
        .chain(&spec.merge_options)
    {
        one_line("the argument", word)?;
    }
    let extra: Vec<String> = spec
        .sbatch_lines
        .iter()
        .map(|l| sbatch_line(l))
        .collect::<Result<_, _>>()?;
    let dir = spec.out.join("slurm");
    let bin = quote(&spec.binary.display().to_string());
    let cwd = quote(&spec.cwd.display().to_string());
    let n = spec.shards;

    let mut head = vec![
        format!("#SBATCH --job-name={}", job_name(&spec.name, "")),
        format!("#SBATCH --array=1-{n}"),
        format!("#SBATCH --output={}", sbatch_log(&dir, "shard-%a.log")?),
    ];
    head.extend(resource_lines(&spec.task)?);
    head.extend(extra.iter().cloned());
    let mut task: Vec<String> = spec.command.iter().map(|w| quote(w)).collect();
    task.extend([
        "--shard".into(),
        format!("\"${{SLURM_ARRAY_TASK_ID}}/{n}\""),
        "--resume".into(),
    ]);
    if spec.threads_from_slurm {
        task.push("--threads \"${SLURM_CPUS_PER_TASK:-1}\"".into());
    }
    task.extend(spec.task_extra.iter().map(|w| quote(w)));
    let array = format!(
        "#!/bin/bash\n\
         # One shard of the experiment per array task (written by `cohabit slurm`). Task K runs\n\
         # shard K of {n}; resubmit failed tasks alone with `sbatch --array=K,... array.sbatch`.\n\
         {}\n\
         set -euo pipefail\n\
         : \"${{SLURM_ARRAY_TASK_ID:?submit this script with sbatch, as a job array}}\"\n\
         cd {cwd}\n\
         exec {bin} {}\n",
        head.join("\n"),
        task.join(" ")
    );

    let mut merge_head = vec![
        format!("#SBATCH --job-name={}", job_name(&spec.name, "-merge")),
        format!("#SBATCH --output={}", sbatch_log(&dir, "merge.log")?),
    ];
    merge_head.extend(resource_lines(&spec.merge)?);
    merge_head.extend(extra);
    let mut merge_cmd = vec![
        bin.clone(),
        "merge".into(),
        quote(&spec.out.join("shards").display().to_string()),
        "--out".into(),
        quote(&spec.out.display().to_string()),
    ];
    merge_cmd.extend(spec.merge_options.iter().map(|w| quote(w)));
    let merge = format!(
        "#!/bin/bash\n\
         # Merge the shards once every array task succeeded (written by `cohabit slurm`).\n\
         {}\n\
         set -euo pipefail\n\
         cd {cwd}\n\
         exec {}\n",
        merge_head.join("\n"),
        merge_cmd.join(" ")
    );
    let submit = "#!/bin/bash\n\
        # Submit the shards as a job array, then the merge, which waits until every shard succeeded.\n\
        set -euo pipefail\n\
        here=\"$(cd \"$(dirname \"$0\")\" && pwd)\"\n\
        array=$(sbatch --parsable \"$here/array.sbatch\")\n\
        array=${array%%;*}\n\
        merge=$(sbatch --parsable --dependency=afterok:\"$array\" \"$here/merge.sbatch\")\n\
        merge=${merge%%;*}\n\
        echo \"submitted: shards as job array $array, merge as job $merge (after every shard succeeds)\"\n"
        .to_string();
    std::fs::create_dir_all(&dir).map_err(super::io_at(&dir))?;
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

#[cfg(test)]
mod tests {
    use super::*;

    fn spec(dir: &Path) -> Spec {
        Spec {
            shards: 3,
            binary: "/usr/bin/cohabit".into(),
            cwd: dir.to_path_buf(),
            out: dir.join("out"),
            name: "x\ntouch PWNED\n#".into(),
            command: vec!["run".into(), "a b.toml".into()],
            threads_from_slurm: true,
            task_extra: vec!["--quiet".into()],
            task: Resources {
                cpus: 2,
                time: Some("02:00:00".into()),
                ..Resources::default()
            },
            merge: Resources {
                cpus: 1,
                mem: Some("2048M".into()),
                ..Resources::default()
            },
            merge_options: vec!["--no-charts".into()],
            sbatch_lines: vec!["--account=abc".into()],
        }
    }

    #[test]
    fn a_name_cannot_start_a_command() {
        let dir = tempfile::tempdir().unwrap();
        let w = write(&spec(dir.path())).unwrap();
        for path in [&w.array, &w.merge] {
            let text = std::fs::read_to_string(path).unwrap();
            assert!(!text.lines().any(|l| l.starts_with("touch")), "{text}");
            assert!(
                text.contains("#SBATCH --job-name=cohabit-x_touch_PWNED__"),
                "{text}"
            );
            assert!(text.contains("#SBATCH --account=abc"), "{text}");
        }
        let array = std::fs::read_to_string(&w.array).unwrap();
        assert!(
            array.contains("--shard \"${SLURM_ARRAY_TASK_ID}/3\" --resume"),
            "{array}"
        );
        assert!(array.contains("'a b.toml'"), "{array}");
        let merge = std::fs::read_to_string(&w.merge).unwrap();
        assert!(merge.contains("#SBATCH --mem=2048M"), "{merge}");
    }

    #[test]
    fn values_that_could_break_a_line_are_refused() {
        let dir = tempfile::tempdir().unwrap();
        let mut bad = spec(dir.path());
        bad.task.partition = Some("gpu\ntouch PWNED".into());
        assert!(write(&bad).is_err());
        let mut bad = spec(dir.path());
        bad.out = dir.path().join("o\nut");
        assert!(write(&bad).is_err());
        let mut bad = spec(dir.path());
        bad.command.push("--set=name=\"a\nb\"".into());
        assert!(write(&bad).is_err());
        let mut bad = spec(dir.path());
        bad.sbatch_lines = vec!["--array=1-9".into()];
        assert!(write(&bad).is_err());
        for t in ["2h", "1:2:3:4", "--", ""] {
            let mut bad = spec(dir.path());
            bad.task.time = Some(t.into());
            assert!(write(&bad).is_err(), "{t}");
        }
        for t in ["90", "02:00:00", "1-12", "1-12:00:00"] {
            let mut good = spec(dir.path());
            good.task.time = Some(t.into());
            assert!(write(&good).is_ok(), "{t}");
        }
    }
}
