//! Parquet tables: one file per record type, typed columns made from the
//! contract in [`super::schema`].
//!
//! Types are those every reader takes without options (DuckDB, pyarrow and
//! pandas, Spark): integers are 64-bit signed, booleans are booleans, text
//! is UTF-8 strings; a column the contract says may be null is OPTIONAL,
//! the others REQUIRED. Pages are Snappy-compressed (Spark's default).
//!
//! Rows are gathered in column builders and handed to the Parquet writer
//! in batches; row groups are closed by row count and by size, so memory
//! stays bounded whatever the batch. Batch and row-group boundaries depend
//! only on the rows, so the same records give the same file byte for byte
//! (`--resume` relies on that).

use std::path::{Path, PathBuf};
use std::sync::Arc;

use arrow_array::builder::{BooleanBuilder, Int64Builder, StringBuilder};
use arrow_array::{ArrayRef, RecordBatch};
use arrow_schema::{DataType, Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::basic::Compression;
use parquet::file::properties::WriterProperties;

use super::records::{DocumentRecord, EssayRecord, SectionRecord};
use super::schema::{ColumnType, Table};
use super::{AtomicFile, OutputError};

/// Rows gathered before they are handed to the writer.
const BATCH_ROWS: usize = 4096;
/// Text bytes gathered before they are handed to the writer.
const BATCH_BYTES: usize = 16 << 20;
/// Most rows in one row group.
const GROUP_ROWS: usize = 64 * 1024;
/// Largest row group, encoded: the writer holds one in memory.
const GROUP_BYTES: usize = 64 << 20;

/// The Arrow schema of a table.
pub(crate) fn arrow_schema(table: Table) -> SchemaRef {
    let fields: Vec<Field> = table
        .columns()
        .iter()
        .map(|c| {
            let t = match c.kind {
                ColumnType::String => DataType::Utf8,
                ColumnType::Integer => DataType::Int64,
                ColumnType::Boolean => DataType::Boolean,
            };
            Field::new(c.name, t, c.nullable)
        })
        .collect();
    Arc::new(Schema::new(fields))
}

enum Builder {
    Text(StringBuilder),
    Int(Int64Builder),
    Bool(BooleanBuilder),
}

impl Builder {
    fn finish(&mut self) -> ArrayRef {
        match self {
            Builder::Text(b) => Arc::new(b.finish()),
            Builder::Int(b) => Arc::new(b.finish()),
            Builder::Bool(b) => Arc::new(b.finish()),
        }
    }
}

/// The next cells of a row, in column order. A value of the wrong type for
/// its column is a bug in this file, caught by its tests.
pub(crate) struct Cells<'a> {
    builders: std::slice::IterMut<'a, Builder>,
    bytes: usize,
}

impl Cells<'_> {
    fn next(&mut self) -> &mut Builder {
        self.builders.next().expect("a cell for every column")
    }

    fn text(&mut self, v: &str) {
        self.opt_text(Some(v));
    }

    fn opt_text(&mut self, v: Option<&str>) {
        self.bytes += v.map_or(0, str::len);
        match self.next() {
            Builder::Text(b) => b.append_option(v),
            _ => panic!("a text value for a column of another type"),
        }
    }

    fn int(&mut self, v: u64) {
        self.opt_int(Some(v));
    }

    fn opt_int(&mut self, v: Option<u64>) {
        // Counts and sizes of one batch stay far below 2^63.
        let v = v.map(|v| i64::try_from(v).unwrap_or(i64::MAX));
        match self.next() {
            Builder::Int(b) => b.append_option(v),
            _ => panic!("an integer for a column of another type"),
        }
    }

    fn bool(&mut self, v: bool) {
        match self.next() {
            Builder::Bool(b) => b.append_value(v),
            _ => panic!("a boolean for a column of another type"),
        }
    }
}

/// A record that can be written as one Parquet row.
pub(crate) trait ParquetRow {
    /// Appends its cells, in column order.
    fn cells(&self, cells: &mut Cells<'_>);
}

impl ParquetRow for DocumentRecord {
    fn cells(&self, c: &mut Cells<'_>) {
        c.text(&self.doc_id);
        c.text(&self.source);
        c.opt_text(self.format.as_deref());
        c.opt_text(self.encoding.as_deref());
        c.int(self.bytes);
        c.opt_text(self.sha256.as_deref());
        c.opt_text(self.title.as_deref());
        c.opt_text(self.file_name.as_deref());
        c.opt_text(self.site.as_deref());
        c.opt_int(self.declared_pages.map(u64::from));
        c.opt_int(self.declared_essays.map(u64::from));
        c.int(self.essays.into());
        c.int(self.sections.into());
        c.int(self.chars);
        c.bool(self.truncated);
        c.int(self.boilerplate_chars);
        c.int(self.chunk_markers.into());
        c.opt_text(self.warnings.as_deref());
        c.text(&self.status);
        c.opt_text(self.error.as_deref());
        c.int(self.schema_version.into());
        c.text(&self.wenku_version);
    }
}

impl ParquetRow for EssayRecord {
    fn cells(&self, c: &mut Cells<'_>) {
        c.text(&self.doc_id);
        c.int(self.essay_no.into());
        c.opt_text(self.marker.as_deref());
        c.opt_text(self.title.as_deref());
        c.text(&self.text);
        c.int(self.chars);
        c.int(self.sections.into());
        c.bool(self.truncated);
    }
}

impl ParquetRow for SectionRecord {
    fn cells(&self, c: &mut Cells<'_>) {
        c.text(&self.doc_id);
        c.int(self.essay_no.into());
        c.int(self.section_no.into());
        c.int(self.level.into());
        c.text(&self.label);
        c.int(self.number.into());
        c.opt_int(self.parent_no.map(u64::from));
        c.text(&self.heading);
        c.text(&self.text);
        c.int(self.chars);
    }
}

/// One table's Parquet file, written under a temporary name.
pub(crate) struct ParquetTable {
    path: PathBuf,
    schema: SchemaRef,
    writer: ArrowWriter<AtomicFile>,
    builders: Vec<Builder>,
    rows: usize,
    bytes: usize,
}

fn parquet_err(path: &Path) -> impl Fn(parquet::errors::ParquetError) -> OutputError + '_ {
    move |e| OutputError::Io { path: path.to_path_buf(), source: std::io::Error::other(e) }
}

impl ParquetTable {
    /// Starts writing `table` at `path`.
    pub fn create(path: &Path, table: Table) -> Result<Self, OutputError> {
        let file = AtomicFile::create(path).map_err(|source| OutputError::Io { path: path.to_path_buf(), source })?;
        let props = WriterProperties::builder()
            .set_compression(Compression::SNAPPY)
            .set_max_row_group_row_count(Some(GROUP_ROWS))
            .set_max_row_group_bytes(Some(GROUP_BYTES))
            .build();
        let schema = arrow_schema(table);
        let writer = ArrowWriter::try_new(file, Arc::clone(&schema), Some(props)).map_err(parquet_err(path))?;
        let builders = Self::builders(table);
        Ok(Self { path: path.to_path_buf(), schema, writer, builders, rows: 0, bytes: 0 })
    }

    fn builders(table: Table) -> Vec<Builder> {
        table
            .columns()
            .iter()
            .map(|c| match c.kind {
                ColumnType::String => Builder::Text(StringBuilder::new()),
                ColumnType::Integer => Builder::Int(Int64Builder::new()),
                ColumnType::Boolean => Builder::Bool(BooleanBuilder::new()),
            })
            .collect()
    }

    /// Appends one row.
    pub(crate) fn write<R: ParquetRow>(&mut self, row: &R) -> Result<(), OutputError> {
        let mut cells = Cells { builders: self.builders.iter_mut(), bytes: 0 };
        row.cells(&mut cells);
        debug_assert!(cells.builders.next().is_none(), "a cell for every column");
        self.bytes += cells.bytes;
        self.rows += 1;
        if self.rows >= BATCH_ROWS || self.bytes >= BATCH_BYTES {
            self.write_batch()?;
        }
        Ok(())
    }

    fn write_batch(&mut self) -> Result<(), OutputError> {
        if self.rows == 0 {
            return Ok(());
        }
        let columns: Vec<ArrayRef> = self.builders.iter_mut().map(Builder::finish).collect();
        let batch = RecordBatch::try_new(Arc::clone(&self.schema), columns)
            .map_err(|e| OutputError::Io { path: self.path.clone(), source: std::io::Error::other(e) })?;
        self.writer.write(&batch).map_err(parquet_err(&self.path))?;
        self.rows = 0;
        self.bytes = 0;
        Ok(())
    }

    /// Writes what is left and the footer, and renames the file into place.
    pub fn commit(mut self) -> Result<(), OutputError> {
        self.write_batch()?;
        let path = self.path.clone();
        let file = self.writer.into_inner().map_err(parquet_err(&path))?;
        file.commit().map_err(|source| OutputError::Io { path, source })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::{Records, SourceInfo};

    #[test]
    fn every_row_type_fills_every_column_with_its_type() {
        let dir = tempfile::tempdir().unwrap();
        let info = SourceInfo { doc_id: "x".into(), source: "s".into(), bytes: 3, sha256: None };
        let doc = Records::failed(&info, "why").document;
        let essay = EssayRecord {
            doc_id: "x".into(),
            essay_no: 1,
            marker: None,
            title: Some("题".into()),
            text: "文".into(),
            chars: 1,
            sections: 0,
            truncated: true,
        };
        let section = SectionRecord {
            doc_id: "x".into(),
            essay_no: 1,
            section_no: 2,
            level: 1,
            label: "一、".into(),
            number: 1,
            parent_no: Some(1),
            heading: String::new(),
            text: String::new(),
            chars: 0,
        };
        // A wrong type or a missing cell panics or fails in RecordBatch::try_new.
        let mut t = ParquetTable::create(&dir.path().join("d.parquet"), Table::Documents).unwrap();
        t.write(&doc).unwrap();
        t.commit().unwrap();
        let mut t = ParquetTable::create(&dir.path().join("e.parquet"), Table::Essays).unwrap();
        t.write(&essay).unwrap();
        t.commit().unwrap();
        let mut t = ParquetTable::create(&dir.path().join("s.parquet"), Table::Sections).unwrap();
        t.write(&section).unwrap();
        t.commit().unwrap();
        let names: Vec<String> =
            std::fs::read_dir(dir.path()).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into()).collect();
        assert_eq!(names.len(), 3, "only the committed files: {names:?}");
        assert!(std::fs::read(dir.path().join("s.parquet")).unwrap().starts_with(b"PAR1"));
    }
}
