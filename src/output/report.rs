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

/// A list kept in a temporary file (one JSON value a line), serialised as a
/// JSON array. Without a file (the default) it stays empty. The file is
/// removed when the spool is dropped.
#[derive(Debug, Default)]
pub struct Spool {
    file: Option<(PathBuf, BufWriter<File>)>,
    len: u64,
}

impl Spool {
    /// A spool in a new file at `path`.
    pub fn create(path: &Path) -> io::Result<Self> {
        let file = BufWriter::new(File::create(path)?);
        Ok(Self { file: Some((path.to_path_buf(), file)), len: 0 })
    }

    /// Appends one item.
    pub fn push<T: Serialize>(&mut self, item: &T) -> io::Result<()> {
        let Some((_, file)) = self.file.as_mut() else {
            return Ok(());
        };
        serde_json::to_writer(&mut *file, item)?;
        file.write_all(b"\n")?;
        self.len += 1;
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

    /// Flushes what was pushed, so that it can be serialised.
    pub fn flush(&mut self) -> io::Result<()> {
        match self.file.as_mut() {
            Some((_, file)) => file.flush(),
            None => Ok(()),
        }
    }
}

impl Serialize for Spool {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut seq = serializer.serialize_seq(Some(self.len as usize))?;
        if let Some((path, _)) = &self.file {
            let reader = BufReader::new(File::open(path).map_err(S::Error::custom)?);
            for line in reader.lines() {
                let line = line.map_err(S::Error::custom)?;
                let value: serde_json::Value = serde_json::from_str(&line).map_err(S::Error::custom)?;
                seq.serialize_element(&value)?;
            }
        }
        seq.end()
    }
}

impl Drop for Spool {
    fn drop(&mut self) {
        if let Some((path, _)) = self.file.take() {
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
