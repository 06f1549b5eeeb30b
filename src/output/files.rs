//! Atomic files: written under a temporary name in the same folder, then renamed over the
//! final name in one step (rename is atomic on POSIX file systems). A file dropped before
//! its commit (an error, a panic) takes its temporary name with it.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file being written; it appears under its final name only on `commit`.
pub struct AtomicFile {
    tmp: PathBuf,
    target: PathBuf,
    /// `None` once committed.
    writer: Option<BufWriter<File>>,
}

impl AtomicFile {
    pub fn create(target: &Path) -> io::Result<AtomicFile> {
        let tmp = temp_name(target);
        let writer = BufWriter::new(File::create(&tmp)?);
        Ok(AtomicFile {
            tmp,
            target: target.to_path_buf(),
            writer: Some(writer),
        })
    }

    /// Flush, sync and rename into place.
    pub fn commit(mut self) -> io::Result<()> {
        let writer = self
            .writer
            .take()
            .expect("an uncommitted file has a writer");
        let file = writer.into_inner().map_err(|e| e.into_error())?;
        file.sync_all()?;
        fs::rename(&self.tmp, &self.target)
    }

    /// Where the bytes are going until `commit`.
    pub fn temp_path(&self) -> &Path {
        &self.tmp
    }

    fn writer(&mut self) -> io::Result<&mut BufWriter<File>> {
        self.writer
            .as_mut()
            .ok_or_else(|| io::Error::other("the file is already committed"))
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.writer.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.writer()?.write(buf)
    }
    fn flush(&mut self) -> io::Result<()> {
        self.writer()?.flush()
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_file_dropped_uncommitted_leaves_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("a.csv");
        std::fs::write(&target, "earlier").unwrap();
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"half").unwrap();
        drop(f);
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "earlier");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
        write_atomic(&target, b"new").unwrap();
        assert_eq!(std::fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }
}
