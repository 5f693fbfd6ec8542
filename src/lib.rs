//! wenku turns dumps of Chinese document-sharing (文库) sites into clean,
//! structured records.
//!
//! The pipeline is a chain of stages, each a module with typed data in and
//! out, so data flows one way:
//!
//! ```text
//! source  ──▶ extract ──▶ clean ──▶ segment ──▶ output
//! Source      Extracted   Cleaned   Segmented   Records (CSV / JSONL / JSON / Parquet)
//! ```
//!
//! * [`source`] finds inputs (files, folders, `.zip` archives), reads their
//!   bytes and sniffs what they really are.
//! * [`extract`] turns a `.docx` or a text file into [`extract::Block`]s
//!   (paragraphs with style, outline level and list label).
//! * [`clean`] removes the hosting site's boilerplate with small named
//!   cleaners chained into a profile, keeps what the boilerplate tells
//!   (title, site, pages) as metadata, and normalises the text.
//! * [`segment`] splits the clean text into essays and numbered sections.
//! * [`output`] writes the records atomically, or as a stream of JSON lines.
//!
//! [`convert`] runs the whole chain on one source; [`batch`] runs it over
//! many sources in parallel with ordered, deterministic output.
//!
//! ```
//! let text = "《范文.docx》由会员分享,可在线阅读,更多相关《范文.docx(2页珍藏版)》请在课桌文档上搜索。\n\
//!             1、范文第1篇学习心得体会今天我们学习了新的知识。一、认真学习这是第一点。";
//! let doc = wenku::convert::convert_text(text, &wenku::Options::default());
//! assert_eq!(doc.meta.site.as_deref(), Some("课桌文档"));
//! assert_eq!(doc.meta.declared_pages, Some(2));
//! assert_eq!(doc.essays.len(), 1);
//! assert_eq!(doc.essays[0].title.as_deref(), Some("学习心得体会"));
//! ```
#![deny(missing_docs)]

pub mod batch;
pub mod clean;
pub mod convert;
pub mod extract;
pub mod output;
pub mod progress;
pub mod segment;
pub mod source;
pub mod text;

pub use convert::{Options, PunctPolicy};

/// The version of wenku, as written into every report.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
