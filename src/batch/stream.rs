//! Streaming mode: input paths arrive on a reader (standard input), one a
//! line, and the records of every source they name leave on a writer
//! (standard output) as tagged JSON lines ([`StreamWriter`]). No output
//! folder is written; nothing but records goes to the writer.
//!
//! Each path is expanded as a batch expands its inputs (a folder walked in
//! sorted order, a `.zip` listed member by member), in the order the paths
//! come; sources are converted on [`RunOptions::jobs`] threads and written
//! in that order, each flushed as soon as it is converted. A path is
//! converted once it has been read, without waiting for the end of the
//! input, so a producer may feed paths slowly (Hadoop Streaming) or all at
//! once (Spark's `RDD.pipe`).

use std::io::{self, BufRead, Write};
use std::sync::atomic::AtomicBool;

use super::{Outcome, RunOptions, run};
use crate::convert::Options;
use crate::output::StreamWriter;
use crate::source::{DiscoverOptions, Entry, Shard, Source, Sources, path_of_line, sources};

/// What a stream run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StreamSummary {
    /// Sources whose records were written.
    pub documents: u64,
    /// Of those, sources that failed (their records are error records).
    pub failed: u64,
    /// Every source of every path read was written: the input ended and the
    /// run was not interrupted.
    pub completed: bool,
}

/// The entries of the paths read from `input`, one path a line.
struct LineSources<R> {
    input: R,
    line: Vec<u8>,
    current: Option<Sources>,
    opts: DiscoverOptions,
}

impl<R: BufRead> Iterator for LineSources<R> {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            if let Some(entry) = self.current.as_mut().and_then(Iterator::next) {
                return Some(entry);
            }
            self.current = None;
            self.line.clear();
            match self.input.read_until(b'\n', &mut self.line) {
                Ok(0) => return None,
                Ok(_) => {
                    if let Some(path) = path_of_line(&self.line) {
                        self.current = Some(sources(&[path], &self.opts));
                    }
                }
                Err(e) => {
                    // A diagnostic, not a record: there is no source to name.
                    eprintln!("wenku: cannot read the list of paths: {e}; the stream ends here");
                    return None;
                }
            }
        }
    }
}

/// Converts the sources of the paths read from `input` and writes their
/// records to `out`. With `shard`, only that shard's sources are converted.
/// `on_skipped` hears of files left alone in folders and archives (not
/// documents). Returns an error only when `out` cannot be written (a
/// consumer that went away gives [`io::ErrorKind::BrokenPipe`]).
#[allow(clippy::too_many_arguments)]
pub fn stream<R, W>(
    input: R,
    out: W,
    discover: &DiscoverOptions,
    shard: Option<Shard>,
    run_opts: &RunOptions,
    opts: &Options,
    interrupt: &AtomicBool,
    mut on_skipped: impl FnMut(&str) + Send + 'static,
) -> io::Result<StreamSummary>
where
    R: BufRead + Send + 'static,
    W: Write,
{
    let entries = LineSources { input, line: Vec::new(), current: None, opts: discover.clone() };
    let sources =
        entries.filter(move |e| shard.is_none_or(|s| s.keeps(e))).filter_map(move |entry| -> Option<Source> {
            match entry {
                Entry::Source(source) => Some(source),
                Entry::Skipped(name) => {
                    on_skipped(&name);
                    None
                }
            }
        });
    let mut writer = StreamWriter::new(out);
    let mut summary = StreamSummary::default();
    let mut error = None;
    let completed = run(sources, run_opts, opts, None, interrupt, |_, outcome: Outcome| {
        summary.documents += 1;
        summary.failed += u64::from(outcome.records.document.status != "ok");
        match writer.write(&outcome.records) {
            Ok(()) => true,
            Err(e) => {
                error = Some(e);
                false
            }
        }
    });
    if let Some(e) = error {
        return Err(e);
    }
    summary.completed = completed;
    Ok(summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_tagged_records_in_their_order() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("b.txt"), "第一篇文章。一、总体要求这是正文。").unwrap();
        std::fs::create_dir(dir.path().join("f")).unwrap();
        std::fs::write(dir.path().join("f/a.txt"), "正文").unwrap();
        std::fs::write(dir.path().join("f/notes.md"), "not a document").unwrap();
        let list = format!(
            "{}\n\n{}\r\n{}\n",
            dir.path().join("b.txt").display(),
            dir.path().join("f").display(),
            dir.path().join("missing.txt").display()
        );
        let skipped = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let heard = std::sync::Arc::clone(&skipped);
        let mut out = Vec::new();
        let run_opts = RunOptions { jobs: 2, timeout: None };
        let summary = stream(
            std::io::Cursor::new(list.into_bytes()),
            &mut out,
            &DiscoverOptions::default(),
            None,
            &run_opts,
            &Options::default(),
            &AtomicBool::new(false),
            move |name| heard.lock().unwrap().push(name.to_string()),
        )
        .unwrap();
        assert_eq!(summary, StreamSummary { documents: 3, failed: 1, completed: true });
        let records: Vec<serde_json::Value> =
            String::from_utf8(out).unwrap().lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        let docs: Vec<(String, String)> = records
            .iter()
            .filter(|r| r["record"] == "document")
            .map(|r| (r["source"].as_str().unwrap().rsplit('/').next().unwrap().into(), r["status"].to_string()))
            .collect();
        let want = [("b.txt", "\"ok\""), ("a.txt", "\"ok\""), ("missing.txt", "\"error\"")];
        assert_eq!(docs, want.map(|(a, b)| (a.to_string(), b.to_string())));
        assert!(records.iter().any(|r| r["record"] == "section" && r["heading"] == "总体要求"), "{records:?}");
        assert!(skipped.lock().unwrap()[0].ends_with("f/notes.md"));
    }
}
