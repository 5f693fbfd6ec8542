//! Writing records: CSV, JSONL and Parquet tables, one nested JSON file
//! per document, and the run report; or one stream of tagged JSON lines
//! ([`stream`]). The columns of every table come from [`schema`]; the
//! file names of a run, plain or one shard's, from [`Naming`].
//!
//! Every file is written under a temporary name in the output folder and
//! renamed into place when complete, so a killed run leaves the previous
//! outputs or none, never a half-written file. The `json/` folder is
//! replaced as a whole the same way (swapped in one step on Linux). Files
//! are renamed one after the other, so a run killed while renaming leaves
//! some outputs new and some old, each complete; `report.json` is written
//! last. Everything is on disk before it is renamed into place (the tables
//! synced, the `json/` folder's files and entries synced), so a power cut
//! after a run leaves no empty file either. What a run has finished is kept in
//! the [`journal`] for `--resume`.

mod atomic;
pub mod journal;
pub mod json;
mod nested;
mod parquet_file;
pub mod records;
mod report;
pub mod schema;
pub mod stream;

pub use atomic::AtomicFile;
pub use journal::{Journal, JournalIndex};
pub use records::{DocumentRecord, EssayRecord, Records, SectionRecord, SourceInfo};
pub use report::{Report, ReportError, Spool};
pub use schema::SCHEMA_VERSION;
pub use stream::StreamWriter;

use crate::source::Shard;
use parquet_file::ParquetTable;

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};

/// Errors while writing outputs: always fatal for the batch.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OutputError {
    /// An I/O error on an output file.
    #[error("cannot write {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: std::io::Error,
    },
    /// A CSV serialisation error.
    #[error("cannot write {path}: {source}")]
    Csv {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: csv::Error,
    },
    /// Another run holds the output folder.
    #[error("{path} is in use by another wenku run")]
    Locked {
        /// The output folder.
        path: PathBuf,
    },
    /// A JSON serialisation error.
    #[error("cannot write {path}: {source}")]
    Json {
        /// The file.
        path: PathBuf,
        /// The error.
        #[source]
        source: serde_json::Error,
    },
}

/// Output formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum OutputFormat {
    /// `documents.csv`, `essays.csv`, `sections.csv`.
    Csv,
    /// `documents.jsonl`, `essays.jsonl`, `sections.jsonl`.
    Jsonl,
    /// `json/<doc_id>.json`.
    Json,
    /// `documents.parquet`, `essays.parquet`, `sections.parquet`.
    Parquet,
}

impl std::str::FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Self::Csv),
            "jsonl" => Ok(Self::Jsonl),
            "json" => Ok(Self::Json),
            "parquet" => Ok(Self::Parquet),
            other => Err(format!("unknown format {other:?} (csv, jsonl, json, parquet)")),
        }
    }
}

/// The names of a run's files in its output folder. A plain run writes
/// `documents.csv`, `json/`, `report.json` …; shard K of N puts its tag
/// into every name (`documents-0000K-of-0000N.csv`, `json-…/`,
/// `report-….json`), locks and journals under its own names, and marks
/// its completion with `_SUCCESS-0000K-of-0000N`, so that the N runs can
/// share one folder, at the same time or not.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Naming {
    tag: String,
    shard: Option<Shard>,
}

impl Naming {
    /// The names of an unsharded run.
    pub fn plain() -> Self {
        Self::default()
    }

    /// The names of one shard's run.
    pub fn shard(shard: Shard) -> Self {
        Self { tag: shard.tag(), shard: Some(shard) }
    }

    /// `documents.csv`, `essays-00003-of-00016.parquet` …
    pub fn table(&self, table: schema::Table, ext: &str) -> String {
        format!("{}{}.{ext}", table.name(), self.tag)
    }

    /// The folder of nested JSON documents.
    pub fn json_dir(&self) -> String {
        format!("json{}", self.tag)
    }

    /// The run report.
    pub fn report(&self) -> String {
        format!("report{}.json", self.tag)
    }

    /// The completion marker of a shard, written after everything else;
    /// `None` for an unsharded run (its `report.json` comes last).
    pub fn marker(&self) -> Option<String> {
        self.shard.map(|s| format!("_SUCCESS{}", s.tag()))
    }

    /// The output lock.
    pub fn lock(&self) -> String {
        format!("{LOCK}{}", self.tag)
    }

    /// The resume journal.
    pub fn journal(&self) -> String {
        format!("{}{}", journal::JOURNAL, self.tag)
    }

    /// A temporary spool of the report (see [`Spool`]).
    pub fn spool(&self, what: &str) -> String {
        format!(".report-{what}{}.tmp-{}", self.tag, std::process::id())
    }

    /// True when `name` is a temporary file or folder that a killed run
    /// with these names left behind. Another shard's are not: that shard
    /// may be running.
    fn owns_litter(&self, name: &str) -> bool {
        let Some(rest) = name.strip_prefix('.') else {
            return false;
        };
        let Some(stem) = rest.find(".tmp-").or_else(|| rest.find(".old-")).map(|i| &rest[..i]) else {
            return false;
        };
        shard_tag_in(stem).unwrap_or("") == self.tag
    }
}

/// The shard tag (`-00003-of-00016`) in a file name, if there is one: the
/// last `-K-of-N` followed by `.` or the end.
fn shard_tag_in(name: &str) -> Option<&str> {
    let bytes = name.as_bytes();
    name.rmatch_indices("-of-").find_map(|(at, _)| {
        let digits_before = bytes[..at].iter().rev().take_while(|b| b.is_ascii_digit()).count();
        let start = at.checked_sub(digits_before + 1)?;
        let digits_after = bytes[at + 4..].iter().take_while(|b| b.is_ascii_digit()).count();
        let end = at + 4 + digits_after;
        let ok =
            digits_before > 0 && digits_after > 0 && bytes[start] == b'-' && (end == bytes.len() || bytes[end] == b'.');
        ok.then(|| &name[start..end])
    })
}

/// Bytes the CSV writer gathers before passing them on.
const CSV_BUFFER: usize = 1 << 20;

struct TableFiles {
    csv: Option<(PathBuf, csv::Writer<AtomicFile>)>,
    jsonl: Option<(PathBuf, AtomicFile)>,
    parquet: Option<ParquetTable>,
}

impl TableFiles {
    fn open(
        dir: &Path,
        naming: &Naming,
        table: schema::Table,
        formats: &[OutputFormat],
        excel: bool,
    ) -> Result<Self, OutputError> {
        let csv = if formats.contains(&OutputFormat::Csv) {
            let path = dir.join(naming.table(table, "csv"));
            let mut file =
                AtomicFile::create(&path).map_err(|source| OutputError::Io { path: path.clone(), source })?;
            if excel {
                file.write_all(b"\xEF\xBB\xBF").map_err(|source| OutputError::Io { path: path.clone(), source })?;
            }
            // A quoted field is written a buffer at a time, and each time
            // csv searches the rest of the field for a quote: with the
            // default 8 KiB, a long essay's text was searched some fifty
            // times over (a tenth of the writer's time).
            let mut writer = csv::WriterBuilder::new()
                .has_headers(false)
                .terminator(csv::Terminator::CRLF)
                .buffer_capacity(CSV_BUFFER)
                .from_writer(file);
            writer
                .write_record(table.column_names())
                .map_err(|source| OutputError::Csv { path: path.clone(), source })?;
            Some((path, writer))
        } else {
            None
        };
        let jsonl = if formats.contains(&OutputFormat::Jsonl) {
            let path = dir.join(naming.table(table, "jsonl"));
            let file = AtomicFile::create(&path).map_err(|source| OutputError::Io { path: path.clone(), source })?;
            Some((path, file))
        } else {
            None
        };
        let parquet = if formats.contains(&OutputFormat::Parquet) {
            Some(ParquetTable::create(&dir.join(naming.table(table, "parquet")), table)?)
        } else {
            None
        };
        Ok(Self { csv, jsonl, parquet })
    }

    fn write<T: serde::Serialize + parquet_file::ParquetRow>(&mut self, row: &T) -> Result<(), OutputError> {
        if let Some((path, w)) = self.csv.as_mut() {
            w.serialize(row).map_err(|source| OutputError::Csv { path: path.clone(), source })?;
        }
        if let Some((path, f)) = self.jsonl.as_mut() {
            json::to_writer(&mut *f, row).map_err(|source| OutputError::Json { path: path.clone(), source })?;
            f.write_all(b"\n").map_err(|source| OutputError::Io { path: path.clone(), source })?;
        }
        if let Some(p) = self.parquet.as_mut() {
            p.write(row)?;
        }
        Ok(())
    }

    /// Commits the Parquet file and hands back the others, to be committed
    /// with the other tables' ([`atomic::commit_all`]).
    fn finish(self, files: &mut Vec<AtomicFile>) -> Result<(), OutputError> {
        if let Some((path, w)) = self.csv {
            files.push(w.into_inner().map_err(|e| OutputError::Io { path, source: e.into_error() })?);
        }
        if let Some((_, f)) = self.jsonl {
            files.push(f);
        }
        if let Some(p) = self.parquet {
            p.commit()?;
        }
        Ok(())
    }
}

/// The set of output files of one run.
pub struct Writers {
    dir: PathBuf,
    naming: Naming,
    documents: TableFiles,
    essays: TableFiles,
    sections: TableFiles,
    json_tmp: Option<PathBuf>,
    written: Vec<String>,
}

impl Writers {
    /// Creates the output folder and opens every output under a temporary
    /// name.
    pub fn open(dir: &Path, formats: &[OutputFormat], excel: bool) -> Result<Self, OutputError> {
        Self::open_named(dir, &Naming::plain(), formats, excel)
    }

    /// [`Writers::open`] with the file names of `naming` (a shard's).
    pub fn open_named(dir: &Path, naming: &Naming, formats: &[OutputFormat], excel: bool) -> Result<Self, OutputError> {
        use schema::Table;
        fs::create_dir_all(dir).map_err(|source| OutputError::Io { path: dir.to_path_buf(), source })?;
        let documents = TableFiles::open(dir, naming, Table::Documents, formats, excel)?;
        let essays = TableFiles::open(dir, naming, Table::Essays, formats, excel)?;
        let sections = TableFiles::open(dir, naming, Table::Sections, formats, excel)?;
        let json_tmp = if formats.contains(&OutputFormat::Json) {
            let tmp = dir.join(format!(".{}.tmp-{}", naming.json_dir(), std::process::id()));
            let _ = fs::remove_dir_all(&tmp);
            fs::create_dir_all(&tmp).map_err(|source| OutputError::Io { path: tmp.clone(), source })?;
            Some(tmp)
        } else {
            None
        };
        let mut written = Vec::new();
        for f in formats {
            match f {
                OutputFormat::Csv => written.extend(Table::ALL.map(|t| naming.table(t, "csv"))),
                OutputFormat::Jsonl => written.extend(Table::ALL.map(|t| naming.table(t, "jsonl"))),
                OutputFormat::Json => written.push(format!("{}/", naming.json_dir())),
                OutputFormat::Parquet => written.extend(Table::ALL.map(|t| naming.table(t, "parquet"))),
            }
        }
        Ok(Self { dir: dir.to_path_buf(), naming: naming.clone(), documents, essays, sections, json_tmp, written })
    }

    /// Writes the records of one source.
    pub fn write(&mut self, records: &Records) -> Result<(), OutputError> {
        self.documents.write(&records.document)?;
        for e in &records.essays {
            self.essays.write(e)?;
        }
        for s in &records.sections {
            self.sections.write(s)?;
        }
        if let Some(tmp) = &self.json_tmp {
            let path = tmp.join(format!("{}.json", records.document.doc_id));
            let nested = nested::NestedDocument::new(records);
            // Streamed through a buffer: a document's JSON is never whole in
            // memory (a large one is megabytes, per job).
            let file = fs::File::create(&path).map_err(|source| OutputError::Io { path: path.clone(), source })?;
            let mut file = std::io::BufWriter::with_capacity(1 << 16, file);
            json::to_writer_pretty(&mut file, &nested)
                .map_err(|source| OutputError::Json { path: path.clone(), source })?;
            file.flush().map_err(|source| OutputError::Io { path, source })?;
            // On disk by the commit, which then has little left to wait for.
            atomic::start_writeback(file.get_ref(), 0, 0);
        }
        Ok(())
    }

    /// Output files written, relative to the output folder.
    pub fn files(&self) -> &[String] {
        &self.written
    }

    /// Renames every output into place. A shard's completion marker is
    /// removed first, so that no reader takes the shard for complete while
    /// its files are a mix of two runs; [`write_marker`] puts it back.
    pub fn commit(mut self) -> Result<(), OutputError> {
        if let Some(marker) = self.naming.marker() {
            let path = self.dir.join(marker);
            match fs::remove_file(&path) {
                Err(e) if e.kind() != std::io::ErrorKind::NotFound => {
                    return Err(OutputError::Io { path, source: e });
                }
                _ => {}
            }
        }
        let placeholder = || TableFiles { csv: None, jsonl: None, parquet: None };
        let mut files = Vec::new();
        std::mem::replace(&mut self.documents, placeholder()).finish(&mut files)?;
        std::mem::replace(&mut self.essays, placeholder()).finish(&mut files)?;
        std::mem::replace(&mut self.sections, placeholder()).finish(&mut files)?;
        // The JSON files are made durable while the tables are: once the
        // folder is swapped in, a power cut must not leave them empty.
        let json_tmp = self.json_tmp.as_deref();
        let (tables, json) = std::thread::scope(|scope| {
            let json = scope.spawn(move || json_tmp.map(atomic::sync_folder).transpose());
            let tables = atomic::commit_all(files);
            (tables, json.join().unwrap_or_else(|_| Err(std::io::Error::other("sync panicked"))))
        });
        tables.map_err(|(path, source)| OutputError::Io { path, source })?;
        if let Some(tmp) = &self.json_tmp {
            json.map_err(|source| OutputError::Io { path: tmp.clone(), source })?;
        }
        if let Some(tmp) = self.json_tmp.take() {
            let target = self.dir.join(self.naming.json_dir());
            if let Err(source) = swap_dir(&tmp, &target) {
                self.json_tmp = Some(tmp);
                return Err(OutputError::Io { path: target, source });
            }
            // `tmp` now holds the previous json/ folder, if there was one.
            let _ = fs::remove_dir_all(&tmp);
        }
        Ok(())
    }
}

impl Drop for Writers {
    fn drop(&mut self) {
        // Not committed (an error or a panic): remove the partial json folder.
        if let Some(tmp) = &self.json_tmp {
            let _ = fs::remove_dir_all(tmp);
        }
    }
}

/// Writes a shard's completion marker (atomically, after its report):
/// `content` says what the shard holds. Nothing for an unsharded run.
pub fn write_marker(dir: &Path, naming: &Naming, content: &serde_json::Value) -> Result<(), OutputError> {
    let Some(name) = naming.marker() else {
        return Ok(());
    };
    let path = dir.join(name);
    let io = |source| OutputError::Io { path: path.clone(), source };
    let mut file = AtomicFile::create(&path).map_err(io)?;
    serde_json::to_writer_pretty(&mut file, content)
        .map_err(|source| OutputError::Json { path: path.clone(), source })?;
    file.write_all(b"\n").map_err(io)?;
    file.commit().map_err(io)
}

/// Puts the folder `new` in place of `target`. On Linux both are swapped in
/// one step (`renameat2(RENAME_EXCHANGE)`), so `target` is never missing;
/// elsewhere the old folder is moved aside first, so a kill between the
/// two renames leaves no `json/` (and the old one under a temporary name,
/// removed by the next run). Afterwards `new` holds the old folder or
/// nothing.
fn swap_dir(new: &Path, target: &Path) -> std::io::Result<()> {
    if !target.exists() {
        return fs::rename(new, target);
    }
    #[cfg(target_os = "linux")]
    {
        use std::os::unix::ffi::OsStrExt;
        let a = std::ffi::CString::new(new.as_os_str().as_bytes())?;
        let b = std::ffi::CString::new(target.as_os_str().as_bytes())?;
        // SAFETY: both are valid NUL-terminated paths; AT_FDCWD resolves
        // them like rename(2) does.
        let rc =
            unsafe { libc::renameat2(libc::AT_FDCWD, a.as_ptr(), libc::AT_FDCWD, b.as_ptr(), libc::RENAME_EXCHANGE) };
        if rc == 0 {
            return Ok(());
        }
        // File systems without RENAME_EXCHANGE fall through.
    }
    let target_name = target.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
    let old = new.with_file_name(format!(".{target_name}.old-{}", std::process::id()));
    fs::rename(target, &old)?;
    fs::rename(new, target)?;
    fs::rename(&old, new)
}

/// The output folder, locked for one run: two runs writing into the same
/// folder would mix their outputs. Taking the lock also removes what killed
/// runs left behind (temporary files and folders); the journal stays.
pub struct OutputDir {
    _lock: File,
}

/// The lock file's name in the output folder.
pub const LOCK: &str = ".wenku-lock";

impl OutputDir {
    /// Creates `dir` if needed, locks it and cleans it up.
    pub fn lock(dir: &Path) -> Result<Self, OutputError> {
        Self::lock_named(dir, &Naming::plain())
    }

    /// Locks `dir` for the run whose files `naming` names: shards of one
    /// batch lock the same folder each under its own name, and each
    /// removes only its own litter.
    pub fn lock_named(dir: &Path, naming: &Naming) -> Result<Self, OutputError> {
        let err = |source| OutputError::Io { path: dir.to_path_buf(), source };
        fs::create_dir_all(dir).map_err(err)?;
        let path = dir.join(naming.lock());
        let file = File::options().create(true).truncate(false).write(true).open(&path).map_err(err)?;
        #[cfg(unix)]
        {
            use std::os::unix::io::AsRawFd;
            // SAFETY: flock on a file descriptor we own; released when the
            // file is closed, including when the process is killed.
            if unsafe { libc::flock(file.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) } != 0 {
                return Err(OutputError::Locked { path: dir.to_path_buf() });
            }
        }
        for entry in fs::read_dir(dir).map_err(err)?.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if naming.owns_litter(&name) {
                let p = entry.path();
                let _ = if p.is_dir() { fs::remove_dir_all(&p) } else { fs::remove_file(&p) };
            }
        }
        Ok(Self { _lock: file })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_folder_is_swapped_whole() {
        let dir = tempfile::tempdir().unwrap();
        let (new, target) = (dir.path().join(".json.tmp-1"), dir.path().join("json"));
        fs::create_dir(&new).unwrap();
        fs::write(new.join("a.json"), "1").unwrap();
        swap_dir(&new, &target).unwrap();
        assert!(target.join("a.json").exists() && !new.exists());
        fs::create_dir(&new).unwrap();
        fs::write(new.join("b.json"), "2").unwrap();
        swap_dir(&new, &target).unwrap();
        assert!(target.join("b.json").exists() && !target.join("a.json").exists());
        assert!(new.join("a.json").exists(), "the old folder is left in the temporary's place");
    }

    #[test]
    fn a_locked_folder_is_refused_and_litter_is_removed() {
        let dir = tempfile::tempdir().unwrap();
        fs::write(dir.path().join(".essays.csv.tmp-99999"), "half").unwrap();
        fs::create_dir(dir.path().join(".json.tmp-99999")).unwrap();
        fs::write(dir.path().join("keep.csv"), "x").unwrap();
        let lock = OutputDir::lock(dir.path()).unwrap();
        let mut left: Vec<String> =
            fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
        left.sort();
        assert_eq!(left, [LOCK, "keep.csv"]);
        assert!(matches!(OutputDir::lock(dir.path()), Err(OutputError::Locked { .. })));
        drop(lock);
        OutputDir::lock(dir.path()).unwrap();
    }

    #[test]
    fn each_run_owns_only_its_own_litter() {
        let plain = Naming::plain();
        let shard = Naming::shard(Shard::new(3, 16).unwrap());
        for name in [".essays.csv.tmp-12", ".json.tmp-12", ".json.old-12", ".report-errors.tmp-12"] {
            assert!(plain.owns_litter(name) && !shard.owns_litter(name), "{name}");
        }
        for name in
            [".essays-00003-of-00016.csv.tmp-12", ".json-00003-of-00016.old-12", ".report-skipped-00003-of-00016.tmp-1"]
        {
            assert!(shard.owns_litter(name) && !plain.owns_litter(name), "{name}");
        }
        // Shard 3 of 160 is another run; so are outputs and other files.
        for name in [".essays-00003-of-000160.csv.tmp-12", "essays-00003-of-00016.csv", ".wenku-lock-00003-of-00016"] {
            assert!(!shard.owns_litter(name), "{name}");
        }
        assert_eq!(shard.table(schema::Table::Essays, "parquet"), "essays-00003-of-00016.parquet");
        assert_eq!(
            (shard.json_dir(), shard.report()),
            ("json-00003-of-00016".into(), "report-00003-of-00016.json".into())
        );
        assert_eq!(shard.marker().as_deref(), Some("_SUCCESS-00003-of-00016"));
        assert_eq!(plain.marker(), None);
    }

    #[test]
    fn column_lists_match_the_record_fields() {
        fn header<T: serde::Serialize>(row: &T) -> Vec<String> {
            let mut w = csv::Writer::from_writer(Vec::new());
            w.serialize(row).unwrap();
            let bytes = w.into_inner().unwrap();
            String::from_utf8(bytes).unwrap().lines().next().unwrap().split(',').map(String::from).collect()
        }
        let info = SourceInfo { doc_id: "x".into(), source: "s".into(), bytes: 0, sha256: None };
        let r = Records::failed(&info, "e");
        assert_eq!(header(&r.document), schema::Table::Documents.column_names());
        let essay = EssayRecord {
            doc_id: "x".into(),
            essay_no: 1,
            marker: None,
            title: None,
            text: String::new(),
            chars: 0,
            sections: 0,
            truncated: false,
        };
        assert_eq!(header(&essay), schema::Table::Essays.column_names());
        let section = SectionRecord {
            doc_id: "x".into(),
            essay_no: 1,
            section_no: 1,
            level: 1,
            label: String::new(),
            number: 1,
            parent_no: None,
            heading: String::new(),
            text: String::new(),
            chars: 0,
        };
        assert_eq!(header(&section), schema::Table::Sections.column_names());
    }
}
