//! Files that appear complete or not at all.

use std::fs::{self, File};
use std::io::{self, BufWriter, Write};
use std::path::{Path, PathBuf};

/// A file written under a temporary name beside its target and renamed
/// into place by [`AtomicFile::commit`]. Dropped without a commit, the
/// temporary file is removed and the target is untouched.
pub struct AtomicFile {
    target: PathBuf,
    tmp: PathBuf,
    file: Option<BufWriter<File>>,
    /// Bytes written, and the offset up to which writeback was started.
    written: u64,
    kicked: u64,
}

/// Writeback of a file is started every this many bytes, so the disk
/// works while the batch does and the sync at commit has little left.
const WRITEBACK_STEP: u64 = 8 << 20;

impl AtomicFile {
    /// Starts writing `target`.
    pub fn create(target: &Path) -> io::Result<Self> {
        let name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let tmp = target.with_file_name(format!(".{name}.tmp-{}", std::process::id()));
        let file = BufWriter::with_capacity(1 << 16, File::create(&tmp)?);
        Ok(Self { target: target.to_path_buf(), tmp, file: Some(file), written: 0, kicked: 0 })
    }

    /// Flushes, syncs and renames the file into place.
    pub fn commit(self) -> io::Result<()> {
        commit_all(vec![self]).map_err(|(_, e)| e)
    }

    fn writer(&mut self) -> &mut BufWriter<File> {
        self.file.as_mut().expect("not committed")
    }

    /// Starts the writeback of what reached the kernel since the last
    /// call, without waiting for it (Linux; elsewhere the sync at commit
    /// does all of it).
    fn start_writeback(&mut self) {
        let w = self.file.as_ref().expect("not committed");
        let in_kernel = self.written - w.buffer().len() as u64;
        let (Ok(from), Ok(len)) = (i64::try_from(self.kicked), i64::try_from(in_kernel - self.kicked)) else {
            return;
        };
        start_writeback(w.get_ref(), from, len);
        self.kicked = in_kernel;
    }
}

/// Starts the writeback of `len` bytes of `file` from `from` (0: to its
/// end), without waiting for it: Linux only; elsewhere the sync at the end
/// does all of it. A failure is harmless for the same reason.
pub fn start_writeback(file: &File, from: i64, len: i64) {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: a valid open descriptor; the call only starts I/O on
        // that range.
        unsafe { libc::sync_file_range(file.as_raw_fd(), from, len, libc::SYNC_FILE_RANGE_WRITE) };
    }
    #[cfg(not(target_os = "linux"))]
    let _ = (file, from, len);
}

/// Makes the files of the folder `dir` (not its subfolders) and its
/// entries durable. On Linux each file's data is waited for (its
/// writeback was started as it was written, so there is little left), then
/// one `fsync` of the folder commits the file system's journal, and with
/// it every file's size and blocks: one `fsync` a file would wait for a
/// journal commit each, and a `syncfs` for every other program's writes
/// too. (The way `git` syncs a batch of objects.) Elsewhere each file is
/// synced.
pub fn sync_folder(dir: &Path) -> io::Result<()> {
    #[cfg(target_os = "linux")]
    {
        use std::os::fd::AsRawFd;
        for entry in fs::read_dir(dir)? {
            let entry = entry?;
            // The listing's type: no call per file (the folder holds only
            // the files this run wrote).
            if entry.file_type()?.is_file() {
                let file = File::open(entry.path())?;
                let wait =
                    libc::SYNC_FILE_RANGE_WAIT_BEFORE | libc::SYNC_FILE_RANGE_WRITE | libc::SYNC_FILE_RANGE_WAIT_AFTER;
                // SAFETY: a valid open descriptor; the call writes and
                // waits for the file's dirty pages.
                if unsafe { libc::sync_file_range(file.as_raw_fd(), 0, 0, wait) } != 0 {
                    return Err(io::Error::last_os_error());
                }
            }
        }
        File::open(dir)?.sync_all()?;
    }
    // (Not every system opens a folder as a file, and some sync only what
    // is open for writing.)
    #[cfg(not(target_os = "linux"))]
    for entry in fs::read_dir(dir)? {
        let entry = entry?;
        if entry.file_type()?.is_file() {
            File::options().read(true).write(true).open(entry.path())?.sync_all()?;
        }
    }
    Ok(())
}

/// Commits several files: flushes them, syncs them at once (one thread
/// each), then renames them into place in order. A batch's tables are
/// hundreds of megabytes; synced one after the other, the end of every run
/// waited on each file's writeback in turn with the CPU idle. On an error
/// the target it names is returned with it; files not yet renamed are
/// removed, those renamed stay.
pub fn commit_all(mut files: Vec<AtomicFile>) -> Result<(), (PathBuf, io::Error)> {
    for f in &mut files {
        f.writer().flush().map_err(|e| (f.target.clone(), e))?;
    }
    let synced: Vec<io::Result<()>> = if files.len() == 1 {
        vec![files[0].writer().get_ref().sync_all()]
    } else {
        std::thread::scope(|scope| {
            let handles: Vec<_> = files
                .iter()
                .map(|f| {
                    let file = f.file.as_ref().expect("not committed").get_ref();
                    scope.spawn(move || file.sync_all())
                })
                .collect();
            handles.into_iter().map(|h| h.join().unwrap_or_else(|_| Err(io::Error::other("sync panicked")))).collect()
        })
    };
    for (f, result) in files.iter().zip(synced) {
        result.map_err(|e| (f.target.clone(), e))?;
    }
    for mut f in files {
        // Closed before the rename, as a reader of the target expects.
        drop(f.file.take());
        if let Err(e) = fs::rename(&f.tmp, &f.target) {
            let _ = fs::remove_file(&f.tmp);
            return Err((f.target.clone(), e));
        }
    }
    Ok(())
}

impl Write for AtomicFile {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let n = self.writer().write(buf)?;
        self.written += n as u64;
        if self.written - self.kicked >= WRITEBACK_STEP {
            self.start_writeback();
        }
        Ok(n)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.writer().flush()
    }
}

impl Drop for AtomicFile {
    fn drop(&mut self) {
        if self.file.take().is_some() {
            let _ = fs::remove_file(&self.tmp);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commit_replaces_and_drop_discards() {
        let dir = std::env::temp_dir().join(format!("wenku-atomic-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let target = dir.join("a.txt");
        fs::write(&target, "old").unwrap();
        {
            let mut f = AtomicFile::create(&target).unwrap();
            f.write_all(b"half").unwrap();
            // dropped without commit
        }
        assert_eq!(fs::read_to_string(&target).unwrap(), "old");
        let mut f = AtomicFile::create(&target).unwrap();
        f.write_all(b"new").unwrap();
        f.commit().unwrap();
        assert_eq!(fs::read_to_string(&target).unwrap(), "new");
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 1);
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn files_committed_together_all_land_or_name_the_one_that_failed() {
        let dir = std::env::temp_dir().join(format!("wenku-atomic-all-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let big = vec![b'x'; (WRITEBACK_STEP as usize) * 2 + 17];
        let mut files = Vec::new();
        for name in ["a", "b", "c"] {
            let mut f = AtomicFile::create(&dir.join(name)).unwrap();
            f.write_all(name.as_bytes()).unwrap();
            // Past the writeback step: the started writeback must not
            // change what lands.
            f.write_all(&big).unwrap();
            files.push(f);
        }
        commit_all(files).unwrap();
        for name in ["a", "b", "c"] {
            let got = fs::read(dir.join(name)).unwrap();
            assert_eq!(got.len(), 1 + big.len());
            assert_eq!(&got[..1], name.as_bytes());
        }
        assert_eq!(fs::read_dir(&dir).unwrap().count(), 3, "no temporary file is left");

        // A target that cannot be renamed into (a folder is in the way).
        fs::create_dir_all(dir.join("blocked/inner")).unwrap();
        let mut ok = AtomicFile::create(&dir.join("d")).unwrap();
        ok.write_all(b"d").unwrap();
        let mut blocked = AtomicFile::create(&dir.join("blocked")).unwrap();
        blocked.write_all(b"e").unwrap();
        let mut after = AtomicFile::create(&dir.join("f")).unwrap();
        after.write_all(b"f").unwrap();
        let (path, _) = commit_all(vec![ok, blocked, after]).unwrap_err();
        assert_eq!(path, dir.join("blocked"));
        assert_eq!(fs::read(dir.join("d")).unwrap(), b"d", "renamed before the failure");
        assert!(!dir.join("f").exists());
        let leftovers: Vec<_> = fs::read_dir(&dir)
            .unwrap()
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .filter(|n| n.contains(".tmp-"))
            .collect();
        assert!(leftovers.is_empty(), "{leftovers:?}");
        fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_folder_is_synced_or_the_error_is_told() {
        let dir = std::env::temp_dir().join(format!("wenku-sync-folder-{}", std::process::id()));
        fs::create_dir_all(&dir).unwrap();
        let mut file = File::create(dir.join("a.json")).unwrap();
        file.write_all(b"{}").unwrap();
        start_writeback(&file, 0, 0);
        drop(file);
        sync_folder(&dir).unwrap();
        assert_eq!(fs::read(dir.join("a.json")).unwrap(), b"{}");
        fs::remove_dir_all(&dir).unwrap();
        assert_eq!(sync_folder(&dir).unwrap_err().kind(), io::ErrorKind::NotFound);
    }
}
