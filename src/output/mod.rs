//! Writing records: CSV and JSONL tables, one nested JSON file per
//! document, and the run report.
//!
//! Every file is written under a temporary name in the output folder and
//! renamed into place when complete, so a killed run leaves the previous
//! outputs or none, never a half-written file. The `json/` folder is
//! replaced as a whole the same way.

mod atomic;
mod nested;
pub mod records;
mod report;

pub use atomic::AtomicFile;
pub use records::{DocumentRecord, EssayRecord, Records, SectionRecord, SourceInfo};
pub use report::{Report, ReportError};

use std::fs;
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
}

impl std::str::FromStr for OutputFormat {
    type Err = String;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "csv" => Ok(Self::Csv),
            "jsonl" => Ok(Self::Jsonl),
            "json" => Ok(Self::Json),
            other => Err(format!("unknown format {other:?} (csv, jsonl, json)")),
        }
    }
}

/// Column names of the three tables, in order.
pub const DOCUMENT_COLUMNS: &[&str] = &[
    "doc_id",
    "source",
    "format",
    "encoding",
    "bytes",
    "sha256",
    "title",
    "file_name",
    "site",
    "declared_pages",
    "declared_essays",
    "essays",
    "sections",
    "chars",
    "truncated",
    "boilerplate_chars",
    "chunk_markers",
    "warnings",
    "status",
    "error",
];
/// Columns of `essays`.
pub const ESSAY_COLUMNS: &[&str] = &["doc_id", "essay_no", "marker", "title", "text", "chars", "sections", "truncated"];
/// Columns of `sections`.
pub const SECTION_COLUMNS: &[&str] =
    &["doc_id", "essay_no", "section_no", "level", "label", "number", "parent_no", "heading", "text", "chars"];

struct Table {
    csv: Option<(PathBuf, csv::Writer<AtomicFile>)>,
    jsonl: Option<(PathBuf, AtomicFile)>,
}

impl Table {
    fn open(
        dir: &Path,
        name: &str,
        columns: &[&str],
        formats: &[OutputFormat],
        excel: bool,
    ) -> Result<Self, OutputError> {
        let csv = if formats.contains(&OutputFormat::Csv) {
            let path = dir.join(format!("{name}.csv"));
            let mut file =
                AtomicFile::create(&path).map_err(|source| OutputError::Io { path: path.clone(), source })?;
            if excel {
                file.write_all(b"\xEF\xBB\xBF").map_err(|source| OutputError::Io { path: path.clone(), source })?;
            }
            let mut writer =
                csv::WriterBuilder::new().has_headers(false).terminator(csv::Terminator::CRLF).from_writer(file);
            writer.write_record(columns).map_err(|source| OutputError::Csv { path: path.clone(), source })?;
            Some((path, writer))
        } else {
            None
        };
        let jsonl = if formats.contains(&OutputFormat::Jsonl) {
            let path = dir.join(format!("{name}.jsonl"));
            let file = AtomicFile::create(&path).map_err(|source| OutputError::Io { path: path.clone(), source })?;
            Some((path, file))
        } else {
            None
        };
        Ok(Self { csv, jsonl })
    }

    fn write<T: serde::Serialize>(&mut self, row: &T) -> Result<(), OutputError> {
        if let Some((path, w)) = self.csv.as_mut() {
            w.serialize(row).map_err(|source| OutputError::Csv { path: path.clone(), source })?;
        }
        if let Some((path, f)) = self.jsonl.as_mut() {
            serde_json::to_writer(&mut *f, row).map_err(|source| OutputError::Json { path: path.clone(), source })?;
            f.write_all(b"\n").map_err(|source| OutputError::Io { path: path.clone(), source })?;
        }
        Ok(())
    }

    fn commit(self) -> Result<(), OutputError> {
        if let Some((path, w)) = self.csv {
            let file = w.into_inner().map_err(|e| OutputError::Io { path: path.clone(), source: e.into_error() })?;
            file.commit().map_err(|source| OutputError::Io { path, source })?;
        }
        if let Some((path, f)) = self.jsonl {
            f.commit().map_err(|source| OutputError::Io { path, source })?;
        }
        Ok(())
    }
}

/// The set of output files of one run.
pub struct Writers {
    dir: PathBuf,
    documents: Table,
    essays: Table,
    sections: Table,
    json_tmp: Option<PathBuf>,
    written: Vec<String>,
}

impl Writers {
    /// Creates the output folder and opens every output under a temporary
    /// name.
    pub fn open(dir: &Path, formats: &[OutputFormat], excel: bool) -> Result<Self, OutputError> {
        fs::create_dir_all(dir).map_err(|source| OutputError::Io { path: dir.to_path_buf(), source })?;
        let documents = Table::open(dir, "documents", DOCUMENT_COLUMNS, formats, excel)?;
        let essays = Table::open(dir, "essays", ESSAY_COLUMNS, formats, excel)?;
        let sections = Table::open(dir, "sections", SECTION_COLUMNS, formats, excel)?;
        let json_tmp = if formats.contains(&OutputFormat::Json) {
            let tmp = dir.join(format!(".json.tmp-{}", std::process::id()));
            let _ = fs::remove_dir_all(&tmp);
            fs::create_dir_all(&tmp).map_err(|source| OutputError::Io { path: tmp.clone(), source })?;
            Some(tmp)
        } else {
            None
        };
        let mut written = Vec::new();
        for f in formats {
            match f {
                OutputFormat::Csv => written.extend(["documents.csv", "essays.csv", "sections.csv"].map(String::from)),
                OutputFormat::Jsonl => {
                    written.extend(["documents.jsonl", "essays.jsonl", "sections.jsonl"].map(String::from))
                }
                OutputFormat::Json => written.push("json/".into()),
            }
        }
        Ok(Self { dir: dir.to_path_buf(), documents, essays, sections, json_tmp, written })
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
            serde_json::to_writer_pretty(&mut file, &nested)
                .map_err(|source| OutputError::Json { path: path.clone(), source })?;
            file.flush().map_err(|source| OutputError::Io { path, source })?;
        }
        Ok(())
    }

    /// Output files written, relative to the output folder.
    pub fn files(&self) -> &[String] {
        &self.written
    }

    /// Renames every output into place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        let placeholder = || Table { csv: None, jsonl: None };
        std::mem::replace(&mut self.documents, placeholder()).commit()?;
        std::mem::replace(&mut self.essays, placeholder()).commit()?;
        std::mem::replace(&mut self.sections, placeholder()).commit()?;
        if let Some(tmp) = self.json_tmp.take() {
            let target = self.dir.join("json");
            let old = self.dir.join(format!(".json.old-{}", std::process::id()));
            if target.exists() {
                fs::rename(&target, &old).map_err(|source| OutputError::Io { path: target.clone(), source })?;
            }
            fs::rename(&tmp, &target).map_err(|source| OutputError::Io { path: target.clone(), source })?;
            let _ = fs::remove_dir_all(&old);
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

#[cfg(test)]
mod tests {
    use super::*;

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
        assert_eq!(header(&r.document), DOCUMENT_COLUMNS);
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
        assert_eq!(header(&essay), ESSAY_COLUMNS);
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
        assert_eq!(header(&section), SECTION_COLUMNS);
    }
}
