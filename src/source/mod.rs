//! Finding inputs and reading their bytes.
//!
//! [`discover`] expands the user's inputs (files, folders walked
//! recursively, `.zip` archives of dumps) into a sorted list of
//! [`Source`]s. [`Reader::read`] returns the raw bytes of one source, and
//! [`sniff`] tells what those bytes really are, whatever the file is called.
//!
//! Members of an archive are named `archive.zip!/inner/path` and read in
//! place: nothing is unpacked to disk.

pub mod guard;
mod shard;
mod sniff;
mod walk;

pub use guard::ZipLimits;
pub use shard::{Shard, for_each_listed_path, path_of_line, read_path_list};
pub use sniff::{Sniffed, sniff};
pub use walk::{DiscoverOptions, Discovery, Entry, Inputs, Sources, discover, sources};

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};

/// Errors of the source stage: a file that cannot be found, opened or read,
/// or an archive that cannot be listed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum SourceError {
    /// The path does not exist.
    #[error("no such file or folder")]
    NotFound,
    /// An I/O error while reading.
    #[error("cannot read: {0}")]
    Io(#[from] std::io::Error),
    /// The file (or an archive's uncompressed total) is larger than a
    /// limit.
    #[error("too large: {size} bytes (limit {limit}; raise it with {flag})")]
    TooLarge {
        /// Size in bytes.
        size: u64,
        /// The limit in bytes.
        limit: u64,
        /// The command-line flag that sets the limit.
        flag: &'static str,
    },
    /// Not a regular file (a FIFO, socket or device): reading it could
    /// block or never end.
    #[error("not a regular file")]
    NotRegular,
    /// An archive built to exhaust memory or time when inflated.
    #[error("zip bomb refused: {0}")]
    Bomb(String),
    /// A `.zip` archive whose directory cannot be read.
    #[error("corrupt zip archive: {0}")]
    BadArchive(String),
    /// A member of an archive cannot be read.
    #[error("cannot read archive member: {0}")]
    BadMember(String),
    /// An archive inside an archive.
    #[error("archive inside an archive is not read (unpack it first)")]
    NestedArchive,
    /// The archive has more members than allowed.
    #[error("zip has {count} members (limit {limit}; raise it with --max-zip-members)")]
    TooManyMembers {
        /// Number of members.
        count: usize,
        /// The limit.
        limit: usize,
    },
}

/// Where the bytes of a source live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Location {
    /// A file on disk.
    File(PathBuf),
    /// A member of a `.zip` archive on disk.
    ZipMember {
        /// The archive's path.
        archive: PathBuf,
        /// The member's index in the archive's central directory.
        index: usize,
    },
}

/// One input document (or one input that could not be expanded, see
/// [`Source::problem`]).
#[derive(Debug, Clone)]
pub struct Source {
    /// The name shown in records: the path as given (with `/` separators),
    /// or `archive.zip!/inner/path` for an archive member.
    pub name: String,
    /// The name used to derive the document id: for a source found in a
    /// folder or an archive, the input's last path component followed by
    /// the path below it, so that it does not depend on where the batch
    /// lives on disk; for a file given on its own, or below an input whose
    /// last component another input shares, the path as given.
    pub key: String,
    /// Where the bytes are.
    pub location: Location,
    /// Size in bytes as seen when the source was listed.
    pub size: u64,
    /// Set when discovery already knows the source cannot be read (a
    /// missing path, a corrupt archive); the batch turns it into an error
    /// record.
    pub problem: Option<String>,
}

/// Reads the bytes of sources, keeping archives open between calls so that
/// an archive's directory is parsed once per reader, not once per member.
#[derive(Default)]
pub struct Reader {
    archives: HashMap<PathBuf, zip::ZipArchive<BufReader<File>>>,
}

impl Reader {
    /// A reader with no open archives.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads all bytes of `source`, refusing anything larger than
    /// `max_bytes`, and archive members that inflate more than `max_ratio`
    /// times their compressed size (past [`guard::RATIO_FLOOR`]).
    pub fn read(&mut self, source: &Source, max_bytes: u64, max_ratio: u64) -> Result<Vec<u8>, SourceError> {
        match &source.location {
            Location::File(path) => read_file(path, max_bytes),
            Location::ZipMember { archive, index } => {
                let zip = match self.archives.get_mut(archive) {
                    Some(zip) => zip,
                    None => {
                        let zip = open_archive(archive)?;
                        // Batches are sorted, so members of one archive
                        // come together: two open archives per reader are
                        // enough, and each holds its whole directory (up to
                        // --max-zip-members entries) in memory.
                        if self.archives.len() >= 2 {
                            self.archives.clear();
                        }
                        self.archives.entry(archive.clone()).or_insert(zip)
                    }
                };
                read_member(zip, *index, max_bytes, max_ratio)
            }
        }
    }
}

fn read_file(path: &Path, max_bytes: u64) -> Result<Vec<u8>, SourceError> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // Opening a FIFO blocks until a writer comes; without blocking, the
    // check below refuses it. Regular files ignore the flag.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, libc::O_NONBLOCK);
    let file = options.open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => SourceError::NotFound,
        _ => SourceError::Io(e),
    })?;
    let meta = file.metadata()?;
    // A FIFO would block the worker, a device may never end.
    if !meta.is_file() {
        return Err(SourceError::NotRegular);
    }
    let size = meta.len();
    if size > max_bytes {
        return Err(SourceError::TooLarge { size, limit: max_bytes, flag: "--max-file-size" });
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // `take` guards against a file that grows while it is read.
    file.take(max_bytes + 1).read_to_end(&mut bytes)?;
    if bytes.len() as u64 > max_bytes {
        return Err(SourceError::TooLarge { size: bytes.len() as u64, limit: max_bytes, flag: "--max-file-size" });
    }
    Ok(bytes)
}

pub(crate) fn open_archive(path: &Path) -> Result<zip::ZipArchive<BufReader<File>>, SourceError> {
    let file = File::open(path).map_err(|e| match e.kind() {
        std::io::ErrorKind::NotFound => SourceError::NotFound,
        _ => SourceError::Io(e),
    })?;
    zip::ZipArchive::new(BufReader::new(file)).map_err(|e| SourceError::BadArchive(e.to_string()))
}

fn read_member(
    zip: &mut zip::ZipArchive<BufReader<File>>,
    index: usize,
    max_bytes: u64,
    max_ratio: u64,
) -> Result<Vec<u8>, SourceError> {
    let member = zip.by_index(index).map_err(|e| SourceError::BadMember(e.to_string()))?;
    if member.encrypted() {
        return Err(SourceError::BadMember("encrypted archive member (password protected)".into()));
    }
    let declared = member.size();
    if declared > max_bytes {
        return Err(SourceError::TooLarge { size: declared, limit: max_bytes, flag: "--max-file-size" });
    }
    let cap = guard::ratio_cap(member.compressed_size(), max_ratio);
    // The declared size may lie (zip bombs): never inflate past the limits.
    guard::bounded_read(member, declared, max_bytes, cap, "--max-file-size")
}
