//! Atomic files: written under a temporary name in the same folder, then renamed over the
//! final name in one step (rename is atomic on POSIX file systems).

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; it appears under its final name only on `commit`.
pub struct AtomicFile {
    tmp: PathBuf,
    target: PathBuf,
    writer: BufWriter<File>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let tmp = temp_name(target);
        let writer = BufWriter::new(File::create(&tmp)?);
        Ok(AtomicFile {
            tmp,
            target: target.to_path_buf(),
            writer,
        })
    }

    /// Flush, sync and rename into place.
    pub fn commit(self) -> io::Result<()> {
        let file = self.writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&self.tmp, &self.target)
    }

    /// Where the bytes are going until `commit`.
    pub fn temp_path(&self) -> &Path {
        &self.tmp
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer.flush()
    }
}

/// `<dir>/.<name>.partial`: hidden, beside the target, so the rename stays on one file system.
pub fn temp_name(target: &Path) -> PathBuf {
    let name = target
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default();
    target.with_file_name(format!(".{name}.partial"))
}

/// Write whole bytes atomically.
pub fn write_atomic(target: &Path, bytes: &[u8]) -> io::Result<()> {
    let mut f = AtomicFile::create(target)?;
    f.write_all(bytes)?;
    f.commit()
}
