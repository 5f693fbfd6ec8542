//! Running the binary and reading what it wrote.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

/// The crate root (where `fixtures/` lives).
pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// A fixture's path.
pub fn fixture(rel: &str) -> PathBuf {
    root().join("fixtures").join(rel)
}

/// Runs `wenku` with `args` in `cwd`.
pub fn wenku(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_wenku")).args(args).current_dir(cwd).output().expect("run wenku")
}

/// Runs `wenku` on `inputs` into `out` with `extra` flags and returns the
/// exit code.
pub fn convert(out: &Path, inputs: &[&Path], extra: &[&str]) -> i32 {
    let mut args: Vec<String> = vec!["-q".into(), "-o".into(), out.display().to_string()];
    args.extend(extra.iter().map(|s| s.to_string()));
    args.extend(inputs.iter().map(|p| p.display().to_string()));
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let output = wenku(&root(), &args);
    output.status.code().unwrap_or(-1)
}

/// Rows of a JSONL file.
pub fn jsonl(path: &Path) -> Vec<serde_json::Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect()
}

/// Rows of a CSV file as JSON objects of strings (empty cells as null).
pub fn csv_rows(path: &Path) -> Vec<serde_json::Map<String, serde_json::Value>> {
    let mut reader = csv::Reader::from_path(path).expect("csv");
    let headers = reader.headers().expect("headers").clone();
    reader
        .records()
        .map(|r| {
            let r = r.expect("record");
            headers
                .iter()
                .zip(r.iter())
                .map(|(h, v)| {
                    let v = if v.is_empty() { serde_json::Value::Null } else { serde_json::Value::String(v.into()) };
                    (h.to_string(), v)
                })
                .collect()
        })
        .collect()
}

/// A JSON value as the string CSV writes for it.
pub fn as_csv_cell(v: &serde_json::Value) -> serde_json::Value {
    match v {
        serde_json::Value::Null => serde_json::Value::Null,
        serde_json::Value::String(s) if s.is_empty() => serde_json::Value::Null,
        serde_json::Value::String(s) => serde_json::Value::String(s.clone()),
        other => serde_json::Value::String(other.to_string()),
    }
}

/// A temporary folder.
pub fn tempdir() -> tempfile::TempDir {
    tempfile::tempdir().expect("tempdir")
}
