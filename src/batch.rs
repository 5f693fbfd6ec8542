//! Converting many sources: in parallel, with output in source order.
//!
//! Workers take sources in order from a shared counter and convert them;
//! the caller's sink receives the results strictly in source order, so
//! outputs are the same whatever the number of jobs. At most a bounded
//! window of results waits for its turn, so memory does not grow with the
//! number of sources. A panic while converting one source (there should be
//! none) becomes that source's error record.

use std::collections::BTreeMap;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::mpsc;
use std::sync::{Condvar, Mutex};

use sha2::{Digest, Sha256};

use crate::convert::{Options, convert_bytes};
use crate::output::{Records, SourceInfo};
use crate::source::{Reader, Source};

/// What converting one source gave.
#[derive(Debug, Clone)]
pub struct Outcome {
    /// The records to write.
    pub records: Records,
    /// Bytes read.
    pub bytes: u64,
}

fn hex(bytes: &[u8]) -> String {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        s.push(DIGITS[(b >> 4) as usize] as char);
        s.push(DIGITS[(b & 15) as usize] as char);
    }
    s
}

/// The document id: the first 16 hex digits of SHA-256 over the source's
/// key (its name below the input it was found in) and the SHA-256 of its
/// bytes. The same file in the same place of a batch gets the same id on
/// every run and machine; a changed file gets a new one.
pub fn doc_id(key: &str, sha256: Option<&str>) -> String {
    let mut h = Sha256::new();
    h.update(key.as_bytes());
    h.update([0u8]);
    h.update(sha256.unwrap_or("").as_bytes());
    hex(&h.finalize()[..8])
}

/// Converts one source into its records. Never panics and never fails: a
/// bad source gives an error record.
pub fn convert_source(source: &Source, reader: &mut Reader, opts: &Options) -> Outcome {
    if let Some(problem) = &source.problem {
        let info =
            SourceInfo { doc_id: doc_id(&source.key, None), source: source.name.clone(), bytes: 0, sha256: None };
        return Outcome { records: Records::failed(&info, problem), bytes: 0 };
    }
    let bytes = match reader.read(source, opts.max_file_bytes) {
        Ok(b) => b,
        Err(e) => {
            let info = SourceInfo {
                doc_id: doc_id(&source.key, None),
                source: source.name.clone(),
                bytes: source.size,
                sha256: None,
            };
            return Outcome { records: Records::failed(&info, &e.to_string()), bytes: 0 };
        }
    };
    let sha = hex(&Sha256::digest(&bytes));
    let info = SourceInfo {
        doc_id: doc_id(&source.key, Some(&sha)),
        source: source.name.clone(),
        bytes: bytes.len() as u64,
        sha256: Some(sha),
    };
    let converted = catch_unwind(AssertUnwindSafe(|| convert_bytes(&bytes, opts)));
    let records = match converted {
        Ok(Ok(doc)) => Records::converted(&info, &doc),
        Ok(Err(e)) => Records::failed(&info, &e.to_string()),
        Err(panic) => {
            let what = panic
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "unknown".into());
            Records::failed(&info, &format!("internal error while converting (please report): {what}"))
        }
    };
    Outcome { records, bytes: bytes.len() as u64 }
}

/// Converts `sources` with `jobs` threads and hands every outcome to `sink`
/// in source order. The sink returns `false` to stop the batch early (for
/// example when an output cannot be written).
pub fn run(sources: &[Source], jobs: usize, opts: &Options, mut sink: impl FnMut(usize, Outcome) -> bool) {
    let jobs = jobs.max(1).min(sources.len().max(1));
    if jobs == 1 {
        let mut reader = Reader::new();
        for (i, source) in sources.iter().enumerate() {
            if !sink(i, convert_source(source, &mut reader, opts)) {
                return;
            }
        }
        return;
    }
    let window = 8 * jobs + 16;
    let next = AtomicUsize::new(0);
    let stop = AtomicBool::new(false);
    // How many outcomes the sink has taken, so that workers stay within the
    // window ahead of it.
    let taken = (Mutex::new(0usize), Condvar::new());
    let (tx, rx) = mpsc::channel::<(usize, Outcome)>();
    std::thread::scope(|scope| {
        for _ in 0..jobs {
            let tx = tx.clone();
            let (next, stop, taken) = (&next, &stop, &taken);
            scope.spawn(move || {
                let mut reader = Reader::new();
                loop {
                    let i = next.fetch_add(1, Ordering::Relaxed);
                    if i >= sources.len() || stop.load(Ordering::Relaxed) {
                        break;
                    }
                    {
                        let (lock, cv) = taken;
                        let mut done = lock.lock().expect("lock");
                        while i >= *done + window && !stop.load(Ordering::Relaxed) {
                            done = cv.wait(done).expect("wait");
                        }
                    }
                    let outcome = convert_source(&sources[i], &mut reader, opts);
                    if tx.send((i, outcome)).is_err() {
                        break;
                    }
                }
            });
        }
        drop(tx);
        let mut pending: BTreeMap<usize, Outcome> = BTreeMap::new();
        let mut expect = 0usize;
        for (i, outcome) in rx.iter() {
            pending.insert(i, outcome);
            while let Some(outcome) = pending.remove(&expect) {
                let go_on = sink(expect, outcome);
                expect += 1;
                let (lock, cv) = &taken;
                *lock.lock().expect("lock") = expect;
                cv.notify_all();
                if !go_on {
                    stop.store(true, Ordering::Relaxed);
                    cv.notify_all();
                    return;
                }
            }
        }
    });
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_are_stable_and_depend_on_place_and_content() {
        let a = doc_id("dumps/a.txt", Some("00"));
        assert_eq!(a, doc_id("dumps/a.txt", Some("00")));
        assert_eq!(a.len(), 16);
        assert_ne!(a, doc_id("dumps/b.txt", Some("00")));
        assert_ne!(a, doc_id("dumps/a.txt", Some("01")));
    }
}
