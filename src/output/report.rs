//! `report.json`: what a run read, what it produced, what failed and why.

use serde::Serialize;

/// One source that failed.
#[derive(Debug, Clone, Serialize)]
pub struct ReportError {
    /// The source.
    pub source: String,
    /// Why.
    pub error: String,
}

/// The run report.
#[derive(Debug, Clone, Serialize, Default)]
pub struct Report {
    /// wenku's version.
    pub wenku_version: String,
    /// The inputs as given.
    pub inputs: Vec<String>,
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
    pub skipped: Vec<String>,
    /// Every failure with its reason.
    pub errors: Vec<ReportError>,
    /// Output files.
    pub outputs: Vec<String>,
    /// Wall time of the run in seconds.
    pub elapsed_seconds: f64,
}
