//! Splitting a batch into shards that independent runs convert, and lists
//! of inputs read from a file.
//!
//! A source belongs to shard `hash(key) mod N`, where `key` is the name the
//! document id is made from ([`Source::key`]: the path below the input,
//! `dumps/a.txt`, `x.zip!/a.txt`) and `hash` the first 8 bytes of its
//! SHA-256, big-endian. So the split is the same on every machine and run,
//! whatever folder the batch lives in, and N runs with the same inputs and
//! `--shard 0/N` … `--shard N-1/N` convert every source exactly once.
//!
//! Members of a `.zip` archive are sharded one by one, like the files of a
//! folder: one large archive is spread over all shards instead of loading
//! one of them, and each shard reads only its members (every shard lists
//! the archive's directory, which is cheap next to converting).
//!
//! ```
//! use wenku::source::Shard;
//! let shard: Shard = "3/16".parse().unwrap();
//! assert_eq!(shard.tag(), "-00003-of-00016");
//! let owners = (0..16).filter(|k| Shard::new(*k, 16).unwrap().contains("dumps/a.txt")).count();
//! assert_eq!(owners, 1);
//! ```

use std::io::BufRead;
use std::path::PathBuf;

use sha2::{Digest, Sha256};

use super::{Entry, Source};

/// One shard of a batch: `index` of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Shard {
    /// This shard, from 0.
    pub index: u32,
    /// Number of shards, 1 or more.
    pub count: u32,
}

impl Shard {
    /// Shard `index` of `count`; `None` unless `index < count`.
    pub fn new(index: u32, count: u32) -> Option<Self> {
        (index < count).then_some(Self { index, count })
    }

    /// The shard a source key belongs to.
    pub fn of(key: &str, count: u32) -> u32 {
        let digest = Sha256::digest(key.as_bytes());
        let mut first = [0u8; 8];
        first.copy_from_slice(&digest[..8]);
        (u64::from_be_bytes(first) % u64::from(count.max(1))) as u32
    }

    /// True when the source with this key is this shard's.
    pub fn contains(&self, key: &str) -> bool {
        Self::of(key, self.count) == self.index
    }

    /// True when this shard handles the entry: a source by its key, a file
    /// left alone by its name (it has no key), so that each appears in one
    /// shard's report.
    pub fn keeps(&self, entry: &Entry) -> bool {
        match entry {
            Entry::Source(Source { key, .. }) => self.contains(key),
            Entry::Skipped(name) => self.contains(name),
        }
    }

    /// The suffix of this shard's output names: `-00003-of-00016`.
    pub fn tag(&self) -> String {
        format!("-{:05}-of-{:05}", self.index, self.count)
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl std::str::FromStr for Shard {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let bad = || format!("bad shard {s:?}: expected K/N with 0 <= K < N, e.g. 3/16");
        let (k, n) = s.trim().split_once('/').ok_or_else(bad)?;
        let k: u32 = k.trim().parse().map_err(|_| bad())?;
        let n: u32 = n.trim().parse().map_err(|_| bad())?;
        Self::new(k, n).ok_or_else(bad)
    }
}

/// Reads a list of inputs, one path a line (`--files-from`). Line ends
/// (`\n`, `\r\n`) are removed and nothing else, so names may hold spaces;
/// empty lines are skipped. On Unix a path may be any bytes but NUL.
pub fn read_path_list(input: impl BufRead) -> std::io::Result<Vec<PathBuf>> {
    let mut paths = Vec::new();
    for_each_listed_path(input, |path| paths.push(path))?;
    Ok(paths)
}

/// [`read_path_list`] without holding the list: `each` gets every path as
/// it is read.
pub fn for_each_listed_path(mut input: impl BufRead, mut each: impl FnMut(PathBuf)) -> std::io::Result<()> {
    let mut line = Vec::new();
    loop {
        line.clear();
        if input.read_until(b'\n', &mut line)? == 0 {
            return Ok(());
        }
        if let Some(path) = path_of_line(&line) {
            each(path);
        }
    }
}

/// The path a line of a list names, without its line end; `None` for an
/// empty line.
pub fn path_of_line(line: &[u8]) -> Option<PathBuf> {
    let line = line.strip_suffix(b"\n").unwrap_or(line);
    let line = line.strip_suffix(b"\r").unwrap_or(line);
    if line.is_empty() {
        return None;
    }
    #[cfg(unix)]
    {
        use std::os::unix::ffi::OsStrExt;
        Some(PathBuf::from(std::ffi::OsStr::from_bytes(line)))
    }
    #[cfg(not(unix))]
    {
        Some(PathBuf::from(String::from_utf8_lossy(line).into_owned()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_split_is_fixed_and_covers_every_key_once() {
        // Fixed values: a change here would move sources between shards of
        // runs already under way on other machines.
        assert_eq!(Shard::of("dumps/a.txt", 16), Shard::of("dumps/a.txt", 16));
        assert_eq!(Shard::of("dumps/01_taowenge_qiyepeixun.txt", 1_000_000), 951_431);
        let keys: Vec<String> = (0..400).map(|i| format!("dumps/{i}.txt")).collect();
        let mut sizes = [0usize; 4];
        for key in &keys {
            let owners: Vec<u32> = (0..4).filter(|k| Shard::new(*k, 4).unwrap().contains(key)).collect();
            assert_eq!(owners.len(), 1, "{key}");
            sizes[owners[0] as usize] += 1;
        }
        assert!(sizes.iter().all(|n| *n > 60), "{sizes:?}");
    }

    #[test]
    fn shards_parse_and_name_themselves() {
        assert_eq!("0/1".parse::<Shard>().unwrap(), Shard { index: 0, count: 1 });
        assert_eq!(" 15/16 ".parse::<Shard>().unwrap().tag(), "-00015-of-00016");
        assert_eq!("7/123456".parse::<Shard>().unwrap().tag(), "-00007-of-123456");
        for bad in ["16/16", "1", "-1/4", "a/b", "0/0", "1/"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn a_path_list_keeps_spaces_and_drops_line_ends() {
        let list = b"a b.txt\r\n\nfolder/\n/abs/c.docx";
        let paths = read_path_list(&list[..]).unwrap();
        let want: Vec<PathBuf> = ["a b.txt", "folder/", "/abs/c.docx"].iter().map(PathBuf::from).collect();
        assert_eq!(paths, want);
    }
}
