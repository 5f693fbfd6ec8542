//! `report.json`: what a run read, what it produced, what failed and why.
//!
//! The lists that grow with the batch (errors, skipped files) are spooled
//! to temporary files as they grow ([`Spool`]) and streamed into the
//! report when it is written, so that memory does not grow with them.

use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};

use serde::Serialize;
use serde::ser::{Error as _, SerializeSeq};

/// A list kept as JSON lines, serialised as a JSON array: in memory while
/// it is short, in a temporary file once it is long ([`SPILL_BYTES`]), so
/// that a run of a few files creates no spool file (creating and removing
/// one cost ~0.5-1 ms each on a slow disk, a few per run) and a long list
/// costs no memory. Without a path (the default) it stays empty. The file
/// is removed when the spool is dropped.
#[derive(Debug, Default)]
pub struct Spool {
    /// Where the list spills to; `None`: the list is discarded.
    path: Option<PathBuf>,
    /// The lines not spilled yet (all of them while the file is not made).
    lines: Vec<u8>,
    file: Option<BufWriter<File>>,
    len: u64,
}

/// A spool holds this many bytes of lines in memory before it moves them
/// to its file.
pub const SPILL_BYTES: usize = 256 << 10;

impl Spool {
    /// A spool spilling to a new file at `path` when it grows long.
    pub fn create(path: &Path) -> io::Result<Self> {
        Ok(Self { path: Some(path.to_path_buf()), lines: Vec::new(), file: None, len: 0 })
    }

    /// Appends one item.
    pub fn push<T: Serialize>(&mut self, item: &T) -> io::Result<()> {
        let Some(path) = &self.path else {
            return Ok(());
        };
        serde_json::to_writer(&mut self.lines, item)?;
        self.lines.push(b'\n');
        self.len += 1;
        if self.lines.len() >= SPILL_BYTES {
            let file = match &mut self.file {
                Some(file) => file,
                None => self.file.insert(BufWriter::new(File::create(path)?)),
            };
            file.write_all(&self.lines)?;
            self.lines.clear();
        }
        Ok(())
    }

    /// Number of items.
    pub fn len(&self) -> u64 {
        self.len
    }

    /// True when the spool holds nothing.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Flushes what was spilled, so that it can be serialised.
    pub fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some(file) => file.flush(),
            None => Ok(()),
        }
    }
}

impl Serialize for Spool {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len as usize))?;
        let mut element = |line: &str| -> Result<(), S::Error> {
            let value: serde_json::Value = serde_json::from_str(line).map_err(S::Error::custom)?;
            seq.serialize_element(&value)
        };
        if self.file.is_some()
            && let Some(path) = &self.path
        {
            let reader = BufReader::new(File::open(path).map_err(S::Error::custom)?);
            for line in reader.lines() {
                element(&line.map_err(S::Error::custom)?)?;
            }
        }
        let held = std::str::from_utf8(&self.lines).map_err(S::Error::custom)?;
        for line in held.lines() {
            element(line)?;
        }
        seq.end()
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if self.file.take().is_some()
            && let Some(path) = &self.path
        {
            let _ = std::fs::remove_file(path);
        }
    }
}

/// One source that failed.
#[derive(Debug, Clone, Serialize)]
pub struct ReportError {
    /// The source.
    pub source: String,
    /// Why.
    pub error: String,
}

/// The run report.
#[derive(Debug, Serialize, Default)]
pub struct Report {
    /// wenku's version.
    pub wenku_version: String,
    /// The inputs as given (the paths of a `--files-from` list among
    /// them).
    pub inputs: Spool,
    /// The options of the run.
    pub options: serde_json::Value,
    /// Sources read.
    pub documents: u64,
    /// Sources converted.
    pub converted: u64,
    /// Sources that failed.
    pub failed: u64,
    /// Sources whose records were taken from an interrupted run's journal
    /// (`--resume`) instead of being converted again.
    pub reused: u64,
    /// Essays written.
    pub essays: u64,
    /// Sections written.
    pub sections: u64,
    /// Characters of clean text.
    pub chars: u64,
    /// Characters of boilerplate removed.
    pub boilerplate_chars: u64,
    /// Bytes of input read.
    pub input_bytes: u64,
    /// Files left alone in folders and archives (not documents).
    pub skipped: Spool,
    /// Every failure with its reason ([`ReportError`]s).
    pub errors: Spool,
    /// Output files.
    pub outputs: Vec<String>,
    /// Wall time of the run in seconds.
    pub elapsed_seconds: f64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn serialised(spool: &mut Spool) -> serde_json::Value {
        spool.flush().unwrap();
        serde_json::to_value(&*spool).unwrap()
    }

    #[test]
    fn a_short_list_makes_no_file_and_a_long_one_spills_and_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("spool");
        let mut spool = Spool::create(&path).unwrap();
        let items: Vec<String> = (0..20_000).map(|i| format!("第{i}个 \"source\"\n")).collect();
        for item in &items[..10] {
            spool.push(item).unwrap();
        }
        assert!(!path.exists());
        assert_eq!(serialised(&mut spool), serde_json::json!(items[..10]));
        for item in &items[10..] {
            spool.push(item).unwrap();
        }
        // Spilled, with the last lines still in memory: the file first.
        assert!(path.exists());
        assert!(!spool.lines.is_empty());
        assert_eq!(spool.len(), items.len() as u64);
        assert_eq!(serialised(&mut spool), serde_json::json!(items));
        drop(spool);
        assert!(!path.exists());
    }

    #[test]
    fn a_spool_without_a_path_stays_empty() {
        let mut spool = Spool::default();
        spool.push(&"x").unwrap();
        assert!(spool.is_empty());
        assert_eq!(serialised(&mut spool), serde_json::json!([]));
    }
}
