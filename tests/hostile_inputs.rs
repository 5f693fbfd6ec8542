//! The binary over every hostile input of `hostile.rs` mixed with good
//! fixtures: the good files' records are the same as in a clean run, every
//! bad file has an error record with its specific reason, and the run ends
//! in bounded time and memory.

use std::collections::{BTreeMap, HashSet};
use std::io::Read;
use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use serde_json::Value;

use crate::hostile::{Expect, generate};
use crate::util::{fixture, jsonl, tempdir};

/// What a measured run gave.
pub struct Measured {
    /// Exit code (-1 when killed by a signal).
    pub code: i32,
    /// Standard error.
    pub stderr: String,
    /// Peak resident set size of the process, in bytes.
    pub max_rss: u64,
    /// Wall time.
    pub elapsed: Duration,
}

/// Runs `cmd` and measures its peak RSS: the high-water mark `VmHWM` of
/// its own address space, polled from `/proc` until it exits (the mark
/// only rises, so a late sample holds every earlier peak). `getrusage` or
/// `wait4` would not do: Linux counts into a child's `maxrss` the pages it
/// shared with this (large) test process between fork and exec.
pub fn run_measured(cmd: &mut Command) -> Measured {
    let started = Instant::now();
    let mut child = cmd.stdout(Stdio::piped()).stderr(Stdio::piped()).spawn().expect("spawn");
    let mut out = child.stdout.take().unwrap();
    let mut err = child.stderr.take().unwrap();
    let t_out = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = out.read_to_string(&mut s);
        s
    });
    let t_err = std::thread::spawn(move || {
        let mut s = String::new();
        let _ = err.read_to_string(&mut s);
        s
    });
    let status_file = format!("/proc/{}/status", child.id());
    let mut max_rss = 0u64;
    let status = loop {
        if let Ok(status) = std::fs::read_to_string(&status_file)
            && let Some(line) = status.lines().find(|l| l.starts_with("VmHWM:"))
        {
            let kb: u64 = line.split_whitespace().nth(1).and_then(|n| n.parse().ok()).unwrap_or(0);
            max_rss = max_rss.max(kb * 1024);
        }
        if let Some(status) = child.try_wait().expect("wait") {
            break status;
        }
        std::thread::sleep(Duration::from_millis(10));
    };
    let elapsed = started.elapsed();
    let _ = t_out.join();
    let stderr = t_err.join().unwrap_or_default();
    Measured { code: status.code().unwrap_or(-1), stderr, max_rss, elapsed }
}

fn copy_good(to: &Path) {
    std::fs::create_dir_all(to).unwrap();
    for dir in ["seed", "dumps"] {
        for entry in std::fs::read_dir(fixture(dir)).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.ends_with(".txt") || name.ends_with(".docx") {
                std::fs::copy(&path, to.join(format!("{dir}_{name}"))).unwrap();
            }
        }
    }
}

fn wenku_in(cwd: &Path, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_wenku"));
    cmd.args(args).current_dir(cwd);
    cmd
}

fn rows_of(out: &Path, table: &str, ids: &HashSet<String>) -> Vec<Value> {
    jsonl(&out.join(format!("{table}.jsonl")))
        .into_iter()
        .filter(|r| ids.contains(r["doc_id"].as_str().unwrap()))
        .collect()
}

#[test]
fn hostile_inputs_never_stop_a_batch_nor_cost_a_good_record() {
    let tmp = tempdir();
    let (clean, mixed) = (tmp.path().join("clean"), tmp.path().join("mixed"));
    copy_good(&clean.join("in/good"));
    copy_good(&mixed.join("in/good"));
    let good = std::fs::read(fixture("seed/seed.txt")).unwrap();
    let good_docx = std::fs::read(fixture("seed/seed.python-docx.docx")).unwrap();
    let mut cases = generate(&mixed.join("in/bad"), &good, &good_docx);
    // Debug builds have hooks that make a conversion panic or hang.
    if cfg!(debug_assertions) {
        for name in ["panic_me.txt", "panic_me_too.txt", "hang_me.txt"] {
            std::fs::create_dir_all(mixed.join("in/bad/hooks")).unwrap();
            std::fs::write(mixed.join("in/bad/hooks").join(name), &good).unwrap();
        }
        cases.push(crate::hostile::Case {
            name: "hooks/panic_me.txt".into(),
            expect: Expect::Error("internal error while converting (please report): test panic"),
        });
        cases.push(crate::hostile::Case {
            name: "hooks/panic_me_too.txt".into(),
            expect: Expect::Error("internal error while converting"),
        });
        cases.push(crate::hostile::Case {
            name: "hooks/hang_me.txt".into(),
            expect: Expect::Error("took longer than 5 s and was abandoned"),
        });
    }

    let flags = [
        "-q",
        "-j",
        "4",
        "--timeout",
        "5",
        "--max-zip-members",
        "5000",
        "--max-text-size",
        "4194304",
        "-o",
        "out",
        "in",
    ];
    let c = run_measured(&mut wenku_in(&clean, &flags));
    assert_eq!(c.code, 0, "{}", c.stderr);
    let mut cmd = wenku_in(&mixed, &flags);
    cmd.env("WENKU_TEST_PANIC", "panic_me").env("WENKU_TEST_HANG", "hang_me");
    let m = run_measured(&mut cmd);
    eprintln!(
        "hostile run: {} inputs, {:.1} s, peak RSS {:.1} MB",
        cases.len(),
        m.elapsed.as_secs_f64(),
        m.max_rss as f64 / 1e6
    );
    assert_eq!(m.code, 1, "{}", m.stderr);
    assert!(!m.stderr.contains("panicked at"), "panic reports must not reach stderr:\n{}", m.stderr);
    assert!(m.elapsed < Duration::from_secs(120), "took {:?}", m.elapsed);
    assert!(m.max_rss < 200 << 20, "peak RSS {} MB", m.max_rss >> 20);

    // The good files: the same records, byte for byte, as in the clean run.
    let (clean_out, mixed_out) = (clean.join("out"), mixed.join("out"));
    let clean_docs = jsonl(&clean_out.join("documents.jsonl"));
    assert!(clean_docs.len() >= 10);
    let ids: HashSet<String> = clean_docs.iter().map(|d| d["doc_id"].as_str().unwrap().to_string()).collect();
    for table in ["documents", "essays", "sections"] {
        assert_eq!(rows_of(&clean_out, table, &ids), rows_of(&mixed_out, table, &ids), "{table}");
    }

    // The bad files: one record each, with the reason.
    let docs = jsonl(&mixed_out.join("documents.jsonl"));
    let by_source: BTreeMap<&str, &Value> = docs.iter().map(|d| (d["source"].as_str().unwrap(), d)).collect();
    let mut failures = Vec::new();
    for case in &cases {
        let source = format!("in/bad/{}", case.name);
        let Some(doc) = by_source.get(source.as_str()) else {
            failures.push(format!("{source}: no record"));
            continue;
        };
        let error = doc["error"].as_str().unwrap_or("");
        let warnings = doc["warnings"].as_str().unwrap_or("");
        match &case.expect {
            Expect::Error(reason) => {
                if doc["status"] != "error" || !error.contains(reason) || !error.starts_with(&source) {
                    failures.push(format!("{source}: expected error {reason:?}, got {} {error:?}", doc["status"]));
                }
            }
            Expect::Ok(warning) => {
                if doc["status"] != "ok" || !warnings.contains(warning) {
                    failures.push(format!("{source}: expected ok with {warning:?}, got {error:?} {warnings:?}"));
                }
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    // Every source has a record, and nothing was fetched or expanded.
    let all = std::fs::read_to_string(mixed_out.join("essays.jsonl")).unwrap();
    assert!(!all.contains("root:x:0:0") && !all.contains("lollollol"));
    let report: Value = serde_json::from_str(&std::fs::read_to_string(mixed_out.join("report.json")).unwrap()).unwrap();
    assert_eq!(report["documents"].as_u64().unwrap() as usize, docs.len());
    assert_eq!(report["errors"].as_array().unwrap().len(), docs.iter().filter(|d| d["status"] == "error").count());
}
