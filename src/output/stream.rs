//! Records as one stream of JSON lines (`--stream`), for engines that pipe
//! data through a program: Spark's `RDD.pipe`, Hadoop Streaming.
//!
//! Each line is one record, tagged with its type in a first field
//! `record`, followed by the fields of its table row in the contract's
//! order: `{"record":"document",…}`, then the document's `essay` and
//! `section` rows. A source that fails gives its document row with
//! `"status":"error"` and the reason in `error`, like in the tables; no
//! other text is ever written to the stream. The stream is flushed after
//! each source, so a consumer sees every source's records as soon as they
//! are ready.
//!
//! ```
//! use wenku::output::{Records, SourceInfo, StreamWriter};
//! let info = SourceInfo { doc_id: "x".into(), source: "a.txt".into(), bytes: 0, sha256: None };
//! let mut out = StreamWriter::new(Vec::new());
//! out.write(&Records::failed(&info, "empty file")).unwrap();
//! let line = String::from_utf8(out.into_inner()).unwrap();
//! assert!(line.starts_with(r#"{"record":"document","doc_id":"x","source":"a.txt""#));
//! assert!(line.ends_with("\n") && line.contains(r#""status":"error""#));
//! ```

use std::io::{self, Write};

use serde::Serialize;

use super::Records;
use super::schema::Table;

/// Writes tagged records to a stream (standard output).
pub struct StreamWriter<W: Write> {
    out: W,
    line: Vec<u8>,
}

impl<W: Write> StreamWriter<W> {
    /// A writer on `out`; give it a buffered writer, it flushes per source.
    pub fn new(out: W) -> Self {
        Self { out, line: Vec::with_capacity(1 << 12) }
    }

    fn row<T: Serialize>(&mut self, table: Table, row: &T) -> io::Result<()> {
        self.line.clear();
        super::json::to_writer(&mut self.line, row)?;
        // The row is an object: `{…}` goes out as `{"record":"…",…}`.
        let fields = self.line.strip_prefix(b"{").ok_or_else(|| io::Error::other("a record is a JSON object"))?;
        self.out.write_all(br#"{"record":""#)?;
        self.out.write_all(table.record().as_bytes())?;
        self.out.write_all(b"\",")?;
        self.out.write_all(fields)?;
        self.out.write_all(b"\n")
    }

    /// Writes the records of one source and flushes.
    pub fn write(&mut self, records: &Records) -> io::Result<()> {
        self.row(Table::Documents, &records.document)?;
        for e in &records.essays {
            self.row(Table::Essays, e)?;
        }
        for s in &records.sections {
            self.row(Table::Sections, s)?;
        }
        self.out.flush()
    }

    /// The underlying stream.
    pub fn into_inner(self) -> W {
        self.out
    }
}
