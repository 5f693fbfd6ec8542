//! The record contract as data: every table's columns with their type,
//! whether they may be null, and what they mean.
//!
//! One list serves every writer: the CSV header, the Parquet schema and the
//! JSON Schema files in `schema/` are all made from [`Table::columns`], and
//! tests check that the row structs of [`super::records`] serialise to
//! exactly these columns, in this order, and that `schema/*.json` is what
//! [`Table::json_schema`] gives.
//!
//! **Versioning.** [`SCHEMA_VERSION`] is written on every document record.
//! It goes up by one whenever a column is added, removed, renamed or
//! retyped, may newly be null, or changes its meaning; it does not change
//! when wenku merely gets better at filling the columns (that is what
//! `wenku_version` tells).
//!
//! ```
//! use wenku::output::schema::{ColumnType, Table};
//! let essays = Table::Essays.columns();
//! assert_eq!(essays[0].name, "doc_id");
//! assert_eq!(essays[1].kind, ColumnType::Integer);
//! assert!(Table::Documents.json_schema()["properties"]["schema_version"].is_object());
//! ```

use serde_json::{Value, json};

/// Version of the record contract (see the module's notes on when it
/// changes). 2: a section's `text` holds its subsections; in 1 it was the
/// section's own text, up to the next section of any level.
pub const SCHEMA_VERSION: u32 = 2;

/// The type of a column's values. Integers are never negative and are
/// 64-bit signed in Parquet (the widest type every reader takes without
/// options).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnType {
    /// UTF-8 text.
    String,
    /// A whole number, 0 or more.
    Integer,
    /// `true` or `false`.
    Boolean,
}

/// One column of a table.
#[derive(Debug, Clone, Copy)]
pub struct Column {
    /// Its name, the same in every format.
    pub name: &'static str,
    /// The type of its values.
    pub kind: ColumnType,
    /// It may be null (an empty cell in CSV).
    pub nullable: bool,
    /// What it means.
    pub description: &'static str,
    /// What its values must be, beyond their type.
    pub rule: Rule,
}

/// A constraint on a column's values, written into the JSON Schema.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rule {
    /// Any value of the type (integers: 0 or more).
    None,
    /// An integer counted from 1.
    FromOne,
    /// A string matching this regular expression.
    Pattern(&'static str),
    /// One of these strings.
    OneOf(&'static [&'static str]),
}

const fn col(name: &'static str, kind: ColumnType, nullable: bool, description: &'static str) -> Column {
    Column { name, kind, nullable, description, rule: Rule::None }
}

const fn ruled(name: &'static str, kind: ColumnType, nullable: bool, description: &'static str, rule: Rule) -> Column {
    Column { name, kind, nullable, description, rule }
}

const DOC_ID: Rule = Rule::Pattern("^[0-9a-f]{16}$");

use ColumnType::{Boolean, Integer, String as Text};

const DOCUMENTS: &[Column] = &[
    ruled(
        "doc_id",
        Text,
        false,
        "16 hex digits of SHA-256 over the source's name below its input and its bytes: stable across runs and \
         machines",
        DOC_ID,
    ),
    col("source", Text, false, "The source as named (archive.zip!/inner/path for archive members)"),
    ruled(
        "format",
        Text,
        true,
        "docx, text or html; null when the source could not be read",
        Rule::OneOf(&["docx", "text", "html"]),
    ),
    col("encoding", Text, true, "Detected text encoding (UTF-8, UTF-16LE, GB18030, Big5 …)"),
    col("bytes", Integer, false, "Size of the source in bytes"),
    ruled("sha256", Text, true, "SHA-256 of the source's bytes, hex", Rule::Pattern("^[0-9a-f]{64}$")),
    col("title", Text, true, "Document title, without file extension"),
    col("file_name", Text, true, "File name as the hosting site shows it"),
    col("site", Text, true, "Hosting site's short brand name"),
    col("declared_pages", Integer, true, "Page count the site states"),
    col("declared_essays", Integer, true, "Essay count the title declares"),
    col("essays", Integer, false, "Essays found"),
    col("sections", Integer, false, "Sections found"),
    col("chars", Integer, false, "Characters of clean text (essay titles and texts)"),
    col("truncated", Boolean, false, "The text stops before the document does"),
    col("boilerplate_chars", Integer, false, "Characters of boilerplate removed"),
    col("chunk_markers", Integer, false, "Chunk counters removed"),
    col("warnings", Text, true, "Non-fatal problems, separated by '; '"),
    ruled("status", Text, false, "ok or error", Rule::OneOf(&["ok", "error"])),
    col("error", Text, true, "One line naming the source and why it was not converted"),
    ruled("schema_version", Integer, false, "Version of this record contract (schema/*.json)", Rule::FromOne),
    col("wenku_version", Text, false, "Version of wenku that wrote the record"),
];

const ESSAYS: &[Column] = &[
    ruled("doc_id", Text, false, "The document", DOC_ID),
    ruled("essay_no", Integer, false, "Position in the document, from 1", Rule::FromOne),
    col("marker", Text, true, "The essay marker as written (第1篇, 篇一); null for a single document"),
    col("title", Text, true, "The essay's own title, when it has one"),
    col("text", Text, false, "The essay's clean text, without marker and title; paragraphs separated by \\n"),
    col("chars", Integer, false, "Characters of text"),
    col("sections", Integer, false, "Sections in the essay"),
    col("truncated", Boolean, false, "The essay stops before it ends (the last essay of a truncated document)"),
];

const SECTIONS: &[Column] = &[
    ruled("doc_id", Text, false, "The document", DOC_ID),
    ruled("essay_no", Integer, false, "The essay", Rule::FromOne),
    ruled("section_no", Integer, false, "Position in the document, from 1", Rule::FromOne),
    ruled("level", Integer, false, "Nesting level, from 1", Rule::FromOne),
    col("label", Text, false, "The label as written (一、, (一), 1., 第一,)"),
    col("number", Integer, false, "The label's value (the last part of 1.2.3)"),
    ruled("parent_no", Integer, true, "section_no of the enclosing section", Rule::FromOne),
    col("heading", Text, false, "The heading after the label"),
    col(
        "text",
        Text,
        false,
        "The section's text after its heading, its subsections included, up to the next section of its level or an outer one",
    ),
    col("chars", Integer, false, "Characters of text"),
];

/// The three record tables.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Table {
    /// One row per source.
    Documents,
    /// One row per essay.
    Essays,
    /// One row per numbered section.
    Sections,
}

impl Table {
    /// Every table, in the order outputs are written.
    pub const ALL: [Table; 3] = [Table::Documents, Table::Essays, Table::Sections];

    /// The table's name: its files are `<name>.csv`, `<name>.jsonl` …
    pub fn name(self) -> &'static str {
        match self {
            Table::Documents => "documents",
            Table::Essays => "essays",
            Table::Sections => "sections",
        }
    }

    /// The name of one of its rows, as the stream's `record` tag says it.
    pub fn record(self) -> &'static str {
        match self {
            Table::Documents => "document",
            Table::Essays => "essay",
            Table::Sections => "section",
        }
    }

    /// Its columns, in order.
    pub fn columns(self) -> &'static [Column] {
        match self {
            Table::Documents => DOCUMENTS,
            Table::Essays => ESSAYS,
            Table::Sections => SECTIONS,
        }
    }

    /// The column names, in order.
    pub fn column_names(self) -> Vec<&'static str> {
        self.columns().iter().map(|c| c.name).collect()
    }

    /// The JSON Schema (draft 2020-12) of one JSONL row; `schema/<name>.json`
    /// holds it.
    pub fn json_schema(self) -> Value {
        let mut properties = serde_json::Map::new();
        for c in self.columns() {
            let base = match c.kind {
                ColumnType::String => "string",
                ColumnType::Integer => "integer",
                ColumnType::Boolean => "boolean",
            };
            let mut p = serde_json::Map::new();
            p.insert("description".into(), c.description.into());
            p.insert("type".into(), if c.nullable { json!([base, "null"]) } else { json!(base) });
            match c.rule {
                Rule::None if c.kind == ColumnType::Integer => {
                    p.insert("minimum".into(), json!(0));
                }
                Rule::None => {}
                Rule::FromOne => {
                    p.insert("minimum".into(), json!(1));
                }
                Rule::Pattern(re) => {
                    p.insert("pattern".into(), json!(re));
                }
                Rule::OneOf(values) => {
                    // A nullable column also takes null.
                    let mut values: Vec<Value> = values.iter().map(|v| json!(v)).collect();
                    if c.nullable {
                        values.push(Value::Null);
                    }
                    p.insert("enum".into(), Value::Array(values));
                }
            }
            if self == Table::Documents && c.name == "schema_version" {
                p.insert("const".into(), json!(SCHEMA_VERSION));
            }
            properties.insert(c.name.into(), Value::Object(p));
        }
        json!({
            "$schema": "https://json-schema.org/draft/2020-12/schema",
            "$id": format!("urn:wenku:schema:{SCHEMA_VERSION}:{}", self.name()),
            "title": format!("wenku {} record, schema version {SCHEMA_VERSION}", self.record()),
            "type": "object",
            "properties": properties,
            "required": self.column_names(),
            "additionalProperties": false,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `schema/*.json` is what the code says; `WENKU_UPDATE_SCHEMA=1 cargo
    /// test` rewrites it after a change (and the change needs a new
    /// [`SCHEMA_VERSION`]).
    #[test]
    fn schema_files_are_current() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("schema");
        for table in Table::ALL {
            let path = dir.join(format!("{}.json", table.name()));
            let want = serde_json::to_string_pretty(&table.json_schema()).unwrap() + "\n";
            if std::env::var_os("WENKU_UPDATE_SCHEMA").is_some() {
                std::fs::create_dir_all(&dir).unwrap();
                std::fs::write(&path, &want).unwrap();
            }
            let have = std::fs::read_to_string(&path).unwrap_or_default();
            assert!(
                have == want,
                "{} is not current: run WENKU_UPDATE_SCHEMA=1 cargo test schema_files_are_current, and raise \
                 SCHEMA_VERSION if a column changed",
                path.display()
            );
        }
    }
}
