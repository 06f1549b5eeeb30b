//! Taking an output folder before writing to it: made (with a message that says what to do
//! when it cannot be), locked for the whole command so that a second cohabit command on the
//! same folder is refused at once, and swept of the hidden temporary files a killed command
//! left behind.
//!
//! The lock is `<folder>/.cohabit.lock`, held with an advisory file lock (`flock`) for as
//! long as the [`Lock`] lives; it names the holder (process id and command) so the second
//! command can say who. Within one process a folder may be taken again (the CLI holds a
//! run's folder while `launch` runs and while the briefing is drawn): holds nest.

use super::{ExperimentError, io_at};
use std::collections::BTreeMap;
use std::fs::{File, OpenOptions, TryLockError};
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

/// The lock file in a folder.
pub const LOCK_FILE: &str = ".cohabit.lock";

/// Folders this process holds: the lock file (none where the file system cannot lock) and
/// how many holds are open.
static HELD: Mutex<BTreeMap<PathBuf, (Option<File>, usize)>> = Mutex::new(BTreeMap::new());

/// A hold on an output folder; released when dropped.
#[derive(Debug)]
pub struct Lock {
    key: PathBuf,
}

impl Drop for Lock {
    fn drop(&mut self) {
        let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((_, n)) = held.get_mut(&self.key) {
            *n -= 1;
            if *n == 0 {
                // Closing the file releases the lock.
                held.remove(&self.key);
            }
        }
    }
}

/// Makes `dir` (and its parents) if missing. A path that is a file is bad input (exit 2);
/// a folder that cannot be made says why and what to do (exit 1).
pub fn prepare(dir: &Path) -> Result<(), ExperimentError> {
    if dir.exists() && !dir.is_dir() {
        return Err(ExperimentError::Input(format!(
            "the output folder {} is a file, not a folder; give --out a folder (it is made if missing), e.g. --out {}-results",
            dir.display(),
            dir.display()
        )));
    }
    std::fs::create_dir_all(dir).map_err(|source| ExperimentError::OutFolder {
        dir: dir.to_path_buf(),
        source,
    })
}

/// Takes `dir` (which must exist) for this command: refused if another process holds it.
pub fn lock(dir: &Path, command_line: &str) -> Result<Lock, ExperimentError> {
    let key = dir.canonicalize().map_err(io_at(dir))?;
    let mut held = HELD.lock().unwrap_or_else(|e| e.into_inner());
    if let Some((_, n)) = held.get_mut(&key) {
        *n += 1;
        return Ok(Lock { key });
    }
    let path = key.join(LOCK_FILE);
    let mut file = OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(false)
        .open(&path)
        .map_err(io_at(&path))?;
    let file = match file.try_lock() {
        Ok(()) => {
            let holder = format!("pid {}: {}\n", std::process::id(), short(command_line));
            file.set_len(0)
                .and_then(|()| file.write_all(holder.as_bytes()))
                .map_err(io_at(&path))?;
            Some(file)
        }
        Err(TryLockError::WouldBlock) => {
            let mut holder = String::new();
            let _ = file.take(300).read_to_string(&mut holder);
            return Err(ExperimentError::Busy {
                dir: dir.to_path_buf(),
                holder: holder.trim().to_string(),
            });
        }
        // A file system without locks (some network mounts): run unlocked, as before.
        Err(TryLockError::Error(e)) if e.kind() == std::io::ErrorKind::Unsupported => None,
        Err(TryLockError::Error(e)) => return Err(io_at(&path)(e)),
    };
    held.insert(key.clone(), (file, 1));
    Ok(Lock { key })
}

fn short(text: &str) -> String {
    crate::output::safe::brief_to(text, 200)
}

/// Removes the hidden temporary files a killed command left in `dir`: result files being
/// written (`.NAME.partial`) and charts being drawn (`charts/.cohabit-report-*.tmp`). Call
/// it only while holding the folder's lock.
pub fn sweep_leftovers(dir: &Path) -> Result<(), ExperimentError> {
    let stale = |name: &str, in_charts: bool| {
        if in_charts {
            name.starts_with(".cohabit-report-") && name.ends_with(".tmp")
        } else {
            name.starts_with('.') && name.ends_with(".partial")
        }
    };
    for (folder, in_charts) in [(dir.to_path_buf(), false), (dir.join("charts"), true)] {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if stale(&name, in_charts) && entry.path().is_file() {
                let path = entry.path();
                std::fs::remove_file(&path).map_err(io_at(&path))?;
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn holds_nest_in_a_process_and_release() {
        let dir = tempfile::tempdir().unwrap();
        let a = lock(dir.path(), "first").unwrap();
        let b = lock(dir.path(), "nested").unwrap();
        drop(a);
        // Still held by `b`: another process would be refused (see tests/hardening.rs).
        assert!(
            HELD.lock()
                .unwrap()
                .contains_key(&dir.path().canonicalize().unwrap())
        );
        drop(b);
        assert!(
            !HELD
                .lock()
                .unwrap()
                .contains_key(&dir.path().canonicalize().unwrap())
        );
    }

    #[test]
    fn a_file_is_not_an_output_folder() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("f");
        std::fs::write(&file, "x").unwrap();
        let e = prepare(&file).unwrap_err();
        assert_eq!(e.code(), 2);
        assert!(e.to_string().contains("is a file, not a folder"), "{e}");
    }

    #[test]
    fn leftovers_are_swept() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("charts")).unwrap();
        for f in [
            ".runs.csv.partial",
            "charts/.cohabit-report-x1.tmp",
            "keep.csv",
        ] {
            std::fs::write(dir.path().join(f), "x").unwrap();
        }
        sweep_leftovers(dir.path()).unwrap();
        assert!(dir.path().join("keep.csv").exists());
        assert!(!dir.path().join(".runs.csv.partial").exists());
        assert!(!dir.path().join("charts/.cohabit-report-x1.tmp").exists());
    }
}
