//! The journal: what a run has finished, kept so that an interrupted run can
//! be resumed.
//!
//! Outputs appear only when a run completes (they are renamed into place at
//! the end), so they cannot tell what an interrupted run had done. The
//! journal can: `.wenku-journal` in the output folder is an append-only
//! file with one JSON line per finished source (its name, the SHA-256 of
//! its bytes and all its records), flushed as each source is handed to the
//! writers, in source order. A section's text is a stretch of its essay's
//! text, so the journal keeps where it lies rather than a second copy (the
//! journal was a quarter of all a run wrote). A killed run leaves it behind, at worst with a
//! cut last line; `--resume` reads it back, drops the cut line, and takes
//! the records of every source whose name and bytes are unchanged instead
//! of converting it again, then appends what it converts itself. The
//! outputs are still written whole and renamed at the end, from the same
//! records in the same order, so they equal those of an uninterrupted run
//! byte for byte. A completed run deletes the journal.
//!
//! The first line holds the wenku version and the options that shape
//! records; a journal written with other ones is not used.

use std::collections::HashMap;
use std::fs::{self, File, OpenOptions};
use std::io::{BufRead, BufReader, BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serde::{Deserialize, Serialize};

use super::{DocumentRecord, EssayRecord, OutputError, Records, SectionRecord};

/// The journal's file name in the output folder.
pub const JOURNAL: &str = ".wenku-journal";

#[derive(Serialize, Deserialize)]
struct Header {
    wenku_journal: u32,
    fingerprint: String,
}

/// The most of a journal line held in memory before it is written.
const JOURNAL_BUFFER: usize = 1 << 20;

/// The journal format; journals of another are not used.
const FORMAT: u32 = 2;

#[derive(Serialize)]
struct EntryOut<'a> {
    source: &'a str,
    sha256: Option<&'a str>,
    document: &'a DocumentRecord,
    essays: &'a [EssayRecord],
    sections: Vec<JournalSection<&'a str>>,
}

#[derive(Deserialize)]
struct Entry {
    source: String,
    sha256: Option<String>,
    document: DocumentRecord,
    essays: Vec<EssayRecord>,
    sections: Vec<JournalSection<String>>,
}

/// What indexing reads of an entry (the rest is read when asked for).
#[derive(Deserialize)]
struct EntryHead {
    source: String,
    sha256: Option<String>,
}

/// A section's record, its text given as the byte range of its essay's
/// text that holds it, or (never seen, but not assumed impossible) as
/// text. Written with borrowed strings, read back with owned ones.
#[derive(Serialize, Deserialize)]
struct JournalSection<S> {
    doc_id: S,
    essay_no: u32,
    section_no: u32,
    level: u8,
    label: S,
    number: u32,
    parent_no: Option<u32>,
    heading: S,
    chars: u64,
    at: Option<(usize, usize)>,
    text: Option<S>,
}

impl<'a> EntryOut<'a> {
    fn new(sha256: Option<&'a str>, records: &'a Records) -> Self {
        // Sections come in the order of their essay's text, a parent
        // before the sections inside it, and a parent's text holds its
        // subsections': a section is looked for after the start of the one
        // before it when that one is its parent, else after its end, then
        // anywhere after its start. Any place that holds the text would
        // do; these are where it nearly always is.
        let mut before = (0u32, 0usize, 0usize, 0u8);
        let sections = records
            .sections
            .iter()
            .map(|s| {
                // Every field by name: a field added to the record and not
                // here does not compile.
                let SectionRecord {
                    doc_id,
                    essay_no,
                    section_no,
                    level,
                    label,
                    number,
                    parent_no,
                    heading,
                    text,
                    chars,
                } = s;
                let essay =
                    records.essays.get((*essay_no as usize).wrapping_sub(1)).filter(|e| e.essay_no == *essay_no);
                let (start, end) = if before.0 == *essay_no { (before.1, before.2) } else { (0, 0) };
                // (A deeper level right after a section: its subsection.)
                let near = if *level > before.3 { start } else { end };
                let at = essay
                    .and_then(|e| {
                        find_from(&e.text, near, Some(NEAR), text).or_else(|| find_from(&e.text, start, None, text))
                    })
                    .map(|at| (at, at + text.len()));
                if let Some((begin, end)) = at {
                    before = (*essay_no, begin, end, *level);
                }
                JournalSection {
                    doc_id: doc_id.as_str(),
                    essay_no: *essay_no,
                    section_no: *section_no,
                    level: *level,
                    label,
                    number: *number,
                    parent_no: *parent_no,
                    heading,
                    chars: *chars,
                    at,
                    text: at.is_none().then_some(text.as_str()),
                }
            })
            .collect();
        Self {
            source: &records.document.source,
            sha256,
            document: &records.document,
            essays: &records.essays,
            sections,
        }
    }
}

/// How far past the section before a section (or its start, for its
/// subsection) a section is looked for first.
const NEAR: usize = 64 << 10;

/// Bytes after `from` looked through by the places of the needle's first
/// byte before a searcher is built: a section's text nearly always starts
/// within a label and a heading of the end of the one before it.
const SCAN: usize = 512;

/// Where `needle` is in `text`, starting at or after byte `from` and, with
/// `within`, less than that many bytes after it. The first [`SCAN`] bytes
/// are tried at each copy of the needle's first byte (building a searcher
/// cost more than that scan, for every section); past them the search is
/// for the needle's first few bytes, each place found checked whole (a
/// searcher built for a whole section, kilobytes, cost more than writing
/// the section out).
fn find_from(text: &str, from: usize, within: Option<usize>, needle: &str) -> Option<usize> {
    let hay = text.as_bytes().get(from..)?;
    let hay = within.map_or(hay, |w| &hay[..hay.len().min(w.saturating_add(needle.len()))]);
    let needle = needle.as_bytes();
    let Some(&first) = needle.first() else {
        return Some(from);
    };
    let near = hay.len().min(SCAN);
    if let Some(i) = memchr::memchr_iter(first, &hay[..near]).find(|&i| hay[i..].starts_with(needle)) {
        return Some(from + i);
    }
    let rest = &hay[near..];
    memchr::memmem::find_iter(rest, &needle[..needle.len().min(32)])
        .find(|&i| rest[i..].starts_with(needle))
        .map(|i| from + near + i)
}

impl Entry {
    /// The records, each section's text taken from its essay; `None` when
    /// a range is not in its essay's text (a damaged line).
    fn records(self) -> Option<Records> {
        let essays = self.essays;
        let sections = self
            .sections
            .into_iter()
            .map(|s| {
                let JournalSection {
                    doc_id,
                    essay_no,
                    section_no,
                    level,
                    label,
                    number,
                    parent_no,
                    heading,
                    chars,
                    at,
                    text,
                } = s;
                let text = match (at, text) {
                    (Some((begin, end)), _) => {
                        let essay = essays.get((essay_no as usize).wrapping_sub(1))?;
                        essay.text.get(begin..end)?.to_string()
                    }
                    (None, text) => text?,
                };
                Some(SectionRecord {
                    doc_id,
                    essay_no,
                    section_no,
                    level,
                    label,
                    number,
                    parent_no,
                    heading,
                    text,
                    chars,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(Records { document: self.document, essays, sections })
    }
}

fn io(path: &Path) -> impl Fn(std::io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// The journal being written.
pub struct Journal {
    path: PathBuf,
    /// Flushed at the end of every line (see [`Journal::append`]).
    file: BufWriter<File>,
}

/// Records of an earlier run read back from its journal, found by source
/// name and SHA-256. Only a hash of each name, a prefix of its SHA-256 and
/// where its line is are kept in memory (about 50 bytes a source); the
/// records are read from the journal when asked for, and checked.
pub struct JournalIndex {
    file: Mutex<File>,
    entries: HashMap<u64, Spot>,
}

/// Where an entry's line is, and what it should hold.
#[derive(Debug, Clone, Copy)]
struct Spot {
    sha_prefix: u64,
    offset: u64,
    len: u32,
}

fn name_hash(name: &str) -> u64 {
    use std::hash::{Hash, Hasher};
    let mut h = std::collections::hash_map::DefaultHasher::new();
    name.hash(&mut h);
    h.finish()
}

fn sha_prefix(sha: &str) -> u64 {
    sha.get(..16).and_then(|p| u64::from_str_radix(p, 16).ok()).unwrap_or(0)
}

/// What [`Journal::open`] found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Found {
    /// No journal (or not resuming): a fresh one was started.
    Nothing,
    /// A journal written by another wenku version or other options: it was
    /// replaced by a fresh one.
    Mismatch,
    /// A journal of this many finished sources, to resume from.
    Entries(usize),
}

impl Journal {
    /// Opens the journal of `dir`. With `resume`, an existing journal
    /// written with the same `fingerprint` is kept and indexed; otherwise a
    /// fresh one is started.
    pub fn open(
        dir: &Path,
        fingerprint: &str,
        resume: bool,
    ) -> Result<(Self, Found, Option<JournalIndex>), OutputError> {
        Self::open_named(dir, JOURNAL, fingerprint, resume)
    }

    /// [`Journal::open`] under another file name (a shard's journal).
    pub fn open_named(
        dir: &Path,
        name: &str,
        fingerprint: &str,
        resume: bool,
    ) -> Result<(Self, Found, Option<JournalIndex>), OutputError> {
        let path = dir.join(name);
        if resume && path.exists() {
            match index(&path, fingerprint)? {
                Some((entries, valid_end)) => {
                    let file = OpenOptions::new().read(true).write(true).open(&path).map_err(io(&path))?;
                    // A cut last line (a killed run) is dropped, so the next
                    // line starts clean.
                    file.set_len(valid_end).map_err(io(&path))?;
                    let mut file = file;
                    file.seek(SeekFrom::End(0)).map_err(io(&path))?;
                    let reader = File::open(&path).map_err(io(&path))?;
                    let n = entries.len();
                    let index = JournalIndex { file: Mutex::new(reader), entries };
                    let file = BufWriter::with_capacity(JOURNAL_BUFFER, file);
                    return Ok((Self { path, file }, Found::Entries(n), Some(index)));
                }
                None => {
                    let journal = Self::create(path, fingerprint)?;
                    return Ok((journal, Found::Mismatch, None));
                }
            }
        }
        Ok((Self::create(path, fingerprint)?, Found::Nothing, None))
    }

    fn create(path: PathBuf, fingerprint: &str) -> Result<Self, OutputError> {
        let mut file = File::create(&path).map_err(io(&path))?;
        let header = Header { wenku_journal: FORMAT, fingerprint: fingerprint.to_string() };
        let mut line =
            serde_json::to_vec(&header).map_err(|source| OutputError::Json { path: path.clone(), source })?;
        line.push(b'\n');
        file.write_all(&line).map_err(io(&path))?;
        Ok(Self { path, file: BufWriter::with_capacity(JOURNAL_BUFFER, file) })
    }

    /// Appends the records of one finished source, flushed at the line's
    /// end: a killed run loses at most the line being written (`--resume`
    /// drops a cut last line). A line is written whole when it fits the
    /// buffer (1 MiB); a huge document's line goes out in pieces rather
    /// than being held whole beside its records.
    pub fn append(&mut self, sha256: Option<&str>, records: &Records) -> Result<(), OutputError> {
        let entry = EntryOut::new(sha256, records);
        super::json::to_writer(&mut self.file, &entry)
            .map_err(|source| OutputError::Json { path: self.path.clone(), source })?;
        self.file.write_all(b"\n").and_then(|()| self.file.flush()).map_err(io(&self.path))
    }

    /// Deletes the journal: the run it recorded is complete.
    pub fn remove(self) -> Result<(), OutputError> {
        drop(self.file);
        fs::remove_file(&self.path).map_err(io(&self.path))
    }
}

/// A journal's entries by name hash, and the end of its last whole line.
type Index = (HashMap<u64, Spot>, u64);

/// Reads a journal's entries (the last one of each name wins). `None` when
/// its header does not match.
fn index(path: &Path, fingerprint: &str) -> Result<Option<Index>, OutputError> {
    let mut reader = BufReader::new(File::open(path).map_err(io(path))?);
    let mut line = Vec::new();
    let mut offset = reader.read_until(b'\n', &mut line).map_err(io(path))? as u64;
    let header: Option<Header> = serde_json::from_slice(&line).ok();
    if !line.ends_with(b"\n") || header.is_none_or(|h| h.wenku_journal != FORMAT || h.fingerprint != fingerprint) {
        return Ok(None);
    }
    let mut entries = HashMap::new();
    loop {
        line.clear();
        let n = reader.read_until(b'\n', &mut line).map_err(io(path))? as u64;
        if n == 0 || !line.ends_with(b"\n") {
            break;
        }
        let Ok(entry) = serde_json::from_slice::<EntryHead>(&line) else {
            break;
        };
        // Sources that were never read (no SHA-256) are cheap to redo.
        if let Some(sha) = entry.sha256
            && let Ok(len) = u32::try_from(n)
        {
            entries.insert(name_hash(&entry.source), Spot { sha_prefix: sha_prefix(&sha), offset, len });
        }
        offset += n;
    }
    Ok(Some((entries, offset)))
}

impl JournalIndex {
    /// Number of sources in the journal.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    /// True when the journal holds no source.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// The records of `name` when its bytes still have this `sha256`.
    pub fn get(&self, name: &str, sha256: &str) -> Option<Records> {
        let spot = self.entries.get(&name_hash(name))?;
        if spot.sha_prefix != sha_prefix(sha256) {
            return None;
        }
        let mut line = vec![0; spot.len as usize];
        {
            let mut file = self.file.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            file.seek(SeekFrom::Start(spot.offset)).ok()?;
            file.read_exact(&mut line).ok()?;
        }
        let entry: Entry = serde_json::from_slice(&line).ok()?;
        // The hash and prefix only point: the line itself must agree.
        (entry.source == name && entry.sha256.as_deref() == Some(sha256)).then(|| entry.records()).flatten()
    }
}

impl crate::batch::Resume for JournalIndex {
    fn lookup(&self, name: &str, sha256: &str) -> Option<Records> {
        self.get(name, sha256)
    }
}

/// Reads `entries`, the bytes after a journal's header, back as `--resume`
/// does, in `dir`, and looks up every source a line of them names with
/// its SHA-256; returns how many gave records. For the `journal` fuzz
/// target and its regression tests: whatever the bytes, a look-up gives
/// records or nothing, never a panic.
#[doc(hidden)]
pub fn read_back(dir: &Path, entries: &[u8]) -> Result<usize, OutputError> {
    let (journal, _, _) = Journal::open(dir, "fuzz", false)?;
    let path = journal.path.clone();
    drop(journal);
    OpenOptions::new().append(true).open(&path).and_then(|mut f| f.write_all(entries)).map_err(io(&path))?;
    let (_, _, index) = Journal::open(dir, "fuzz", true)?;
    let Some(index) = index else { return Ok(0) };
    let found = entries
        .split(|&b| b == b'\n')
        .filter_map(|line| serde_json::from_slice::<EntryHead>(line).ok())
        .filter(|head| index.get(&head.source, head.sha256.as_deref().unwrap_or_default()).is_some())
        .count();
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::SourceInfo;

    fn records(name: &str) -> Records {
        let info = SourceInfo { doc_id: "x".into(), source: name.into(), bytes: 3, sha256: Some("ab".into()) };
        Records::failed(&info, "why")
    }

    /// Records with two essays whose sections nest and repeat text, and
    /// one section whose text is not its essay's.
    fn essays_and_sections() -> Records {
        let mut r = records("e.txt");
        let essay = |no: u32, text: &str| EssayRecord {
            doc_id: "x".into(),
            essay_no: no,
            marker: None,
            title: Some("t".into()),
            text: text.into(),
            chars: text.chars().count() as u64,
            sections: 2,
            truncated: false,
        };
        r.essays = vec![essay(1, "一、总则。第一条，总则。二、附则。"), essay(2, "一、总则。")];
        let section = |essay_no: u32, section_no: u32, text: &str| SectionRecord {
            doc_id: "x".into(),
            essay_no,
            section_no,
            level: 1,
            label: "一、".into(),
            number: 1,
            parent_no: (section_no == 2).then_some(1),
            heading: "总则".into(),
            text: text.into(),
            chars: text.chars().count() as u64,
        };
        r.sections = vec![
            section(1, 1, "一、总则。第一条，总则。"),
            section(1, 2, "第一条，总则。"),
            section(1, 3, "二、附则。"),
            section(2, 4, "一、总则。"),
            section(2, 5, "not in the essay"),
        ];
        r
    }

    #[test]
    fn a_needle_is_found_where_a_plain_search_finds_it() {
        // Copies of the needle and of its first bytes before, at and past
        // the end of the scanned stretch, and one across it.
        let needle = "托盘货架的立柱";
        let filler = "货架上托盘，托盘架";
        let mut text = String::new();
        let mut places = Vec::new();
        for round in 0..40 {
            text.push_str(&filler.repeat(round % 7));
            if round % 3 == 0 {
                places.push(text.len());
                text.push_str(needle);
            }
        }
        let plain = |from: usize, within: Option<usize>, needle: &str| {
            let end = within.map_or(text.len(), |w| text.len().min(from + w + needle.len()));
            let hay = text.as_bytes().get(from..end.max(from))?;
            (0..=hay.len()).find(|&i| hay[i..].starts_with(needle.as_bytes())).map(|i| from + i)
        };
        assert!(places.iter().any(|&p| p > SCAN + 100), "copies past the scanned stretch");
        for from in (0..text.len()).filter(|&i| text.is_char_boundary(i)).step_by(7) {
            for within in [None, Some(0), Some(40), Some(SCAN), Some(4 * SCAN)] {
                for n in [needle, "托盘", "", "立柱 not there"] {
                    assert_eq!(find_from(&text, from, within, n), plain(from, within, n), "{from} {within:?} {n}");
                }
            }
        }
        assert_eq!(find_from(&text, text.len() + 1, None, needle), None);
    }

    #[test]
    fn section_texts_are_kept_as_ranges_of_their_essays() {
        let r = essays_and_sections();
        let entry = EntryOut::new(Some("ab"), &r);
        let ats: Vec<_> = entry.sections.iter().map(|s| s.at).collect();
        let second = "一、总则。".len();
        let third = "一、总则。第一条，总则。".len();
        assert_eq!(
            ats,
            [
                Some((0, third)),
                Some((second, third)),
                Some((third, third + "二、附则。".len())),
                Some((0, second)),
                None
            ]
        );
        let mut line = Vec::new();
        super::super::json::to_writer(&mut line, &entry).unwrap();
        let back: Entry = serde_json::from_slice(&line).unwrap();
        assert_eq!(back.records(), Some(r.clone()));
        // A range outside its essay: the entry is not used.
        let text = String::from_utf8(line).unwrap().replacen(&format!("[{second},{third}]"), "[0,999]", 1);
        let damaged: Entry = serde_json::from_str(&text).unwrap();
        assert_eq!(damaged.records(), None);
    }

    #[test]
    fn a_line_longer_than_the_buffer_is_written_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (mut j, _, _) = Journal::open(dir.path(), "f1", true).unwrap();
        let mut big = essays_and_sections();
        // Three times the buffer, with text that JSON escapes (quotes,
        // line breaks).
        let text = "第一条，\"总则\"。\n".repeat(3 * JOURNAL_BUFFER / 20);
        big.essays[1].text = text.clone();
        big.sections[3].text = text;
        j.append(Some("ab"), &records("a.txt")).unwrap();
        j.append(Some("ee"), &big).unwrap();
        j.append(Some("cd"), &records("b.txt")).unwrap();
        drop(j);
        let written = fs::read(dir.path().join(JOURNAL)).unwrap();
        assert!(written.len() > 3 * JOURNAL_BUFFER);
        assert_eq!(written.iter().filter(|&&b| b == b'\n').count(), 4, "a header and three lines");
        let (_, found, index) = Journal::open(dir.path(), "f1", true).unwrap();
        assert_eq!(found, Found::Entries(3));
        let index = index.unwrap();
        assert_eq!(index.get("e.txt", "ee"), Some(big));
        assert_eq!(index.get("b.txt", "cd"), Some(records("b.txt")));
    }

    #[test]
    fn read_back_finds_the_entries_of_whole_lines() {
        let dir = tempfile::tempdir().unwrap();
        let (mut j, _, _) = Journal::open(dir.path(), "f1", true).unwrap();
        j.append(Some("ee"), &essays_and_sections()).unwrap();
        j.append(Some("ab"), &records("a.txt")).unwrap();
        drop(j);
        let written = fs::read(dir.path().join(JOURNAL)).unwrap();
        let entries = &written[written.iter().position(|&b| b == b'\n').unwrap() + 1..];
        let other = tempfile::tempdir().unwrap();
        assert_eq!(read_back(other.path(), entries).unwrap(), 2);
        // Damaged: a range past its essay, and a line cut short.
        let text = String::from_utf8(entries.to_vec()).unwrap();
        let damaged = text.replacen("\"at\":[0,", "\"at\":[999999,", 1);
        assert_eq!(read_back(other.path(), damaged.as_bytes()).unwrap(), 1);
        assert_eq!(read_back(other.path(), &entries[..entries.len() - 2]).unwrap(), 1);
        assert_eq!(read_back(other.path(), b"\xff{\n[1,2]\n").unwrap(), 0);
    }

    #[test]
    fn a_cut_journal_resumes_from_its_whole_lines() {
        let dir = tempfile::tempdir().unwrap();
        let (mut j, found, _) = Journal::open(dir.path(), "f1", true).unwrap();
        assert_eq!(found, Found::Nothing);
        j.append(Some("ee"), &essays_and_sections()).unwrap();
        j.append(Some("ab"), &records("a.txt")).unwrap();
        j.append(Some("cd"), &records("b.txt")).unwrap();
        drop(j);
        // A killed run: half a line at the end.
        let path = dir.path().join(JOURNAL);
        let mut f = OpenOptions::new().append(true).open(&path).unwrap();
        f.write_all(b"{\"source\":\"c.txt\",\"sha").unwrap();
        drop(f);
        let (mut j, found, index) = Journal::open(dir.path(), "f1", true).unwrap();
        assert_eq!(found, Found::Entries(3));
        let index = index.unwrap();
        assert_eq!(index.get("e.txt", "ee"), Some(essays_and_sections()));
        assert_eq!(index.get("a.txt", "ab"), Some(records("a.txt")));
        assert_eq!(index.get("a.txt", "zz"), None, "changed bytes are converted again");
        assert_eq!(index.get("b.txt", "cd"), Some(records("b.txt")));
        j.append(Some("ef"), &records("c.txt")).unwrap();
        drop(j);
        let (_, found, index) = Journal::open(dir.path(), "f1", true).unwrap();
        assert_eq!(found, Found::Entries(4));
        assert_eq!(index.unwrap().get("c.txt", "ef"), Some(records("c.txt")));
        // Other options: not used.
        let (j, found, index) = Journal::open(dir.path(), "f2", true).unwrap();
        assert_eq!((found, index.is_none()), (Found::Mismatch, true));
        j.remove().unwrap();
        assert!(!path.exists());
    }
}
