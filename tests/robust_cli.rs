//! The limit flags reach the readers, the output folder is one run's at a
//! time, and a journal of other options is not resumed from.

use std::process::Command;

use crate::util::{convert, fixture, jsonl, root, tempdir, wenku};

fn error_of(out: &std::path::Path) -> String {
    let docs = jsonl(&out.join("documents.jsonl"));
    assert_eq!(docs.len(), 1);
    docs[0]["error"].as_str().unwrap_or("").to_string()
}

#[test]
fn each_limit_flag_is_enforced_and_named() {
    let dir = tempdir();
    let cases: [(&str, &[&str], &str); 5] = [
        ("seed/seed.txt", &["--max-text-size", "1000"], "raise it with --max-text-size"),
        ("seed/seed.python-docx.docx", &["--max-text-size", "1000"], "text too large"),
        ("seed/seed.txt", &["--max-file-size", "1000"], "raise it with --max-file-size"),
        ("seed/seed.python-docx.docx", &["--max-xml-depth", "3"], "deeper than 3"),
        ("seed/seed.python-docx.docx", &["--max-zip-members", "2"], "raise it with --max-zip-members"),
    ];
    for (i, (input, flags, reason)) in cases.iter().enumerate() {
        let out = dir.path().join(format!("o{i}"));
        assert_eq!(convert(&out, &[&fixture(input)], flags), 1, "{flags:?}");
        let error = error_of(&out);
        assert!(error.contains(reason), "{flags:?}: {error}");
    }
    let out = dir.path().join("part");
    assert_eq!(convert(&out, &[&fixture("seed/seed.python-docx.docx")], &["--max-part-size", "1000"]), 1);
    assert!(error_of(&out).contains("too large"), "{}", error_of(&out));
}

#[cfg(unix)]
#[test]
fn a_second_run_cannot_use_a_locked_output_folder() {
    use std::os::unix::io::AsRawFd;
    let dir = tempdir();
    let out = dir.path().join("out");
    std::fs::create_dir_all(&out).unwrap();
    let lock = std::fs::File::create(out.join(".wenku-lock")).unwrap();
    // SAFETY: flock on a file this test owns.
    assert_eq!(unsafe { libc::flock(lock.as_raw_fd(), libc::LOCK_EX | libc::LOCK_NB) }, 0);
    let o = wenku(&root(), &["-q", "-o", out.to_str().unwrap(), "fixtures/seed/seed.txt"]);
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("in use by another wenku run"));
    assert!(!out.join("documents.csv").exists());
    drop(lock);
    assert_eq!(convert(&out, &[&fixture("seed/seed.txt")], &[]), 0);
}

#[test]
fn a_journal_of_other_options_is_not_resumed_from() {
    let dir = tempdir();
    let (a, b) = (dir.path().join("a"), dir.path().join("b"));
    assert_eq!(convert(&a, &[&fixture("seed")], &[]), 0);
    std::fs::create_dir_all(&b).unwrap();
    std::fs::write(b.join(".wenku-journal"), "{\"wenku_journal\":1,\"fingerprint\":\"other\"}\n").unwrap();
    let seed = fixture("seed");
    let o = wenku(&root(), &["--resume", "-o", b.to_str().unwrap(), seed.to_str().unwrap()]);
    assert_eq!(o.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&o.stderr).contains("other options"), "{}", String::from_utf8_lossy(&o.stderr));
    for f in ["documents.csv", "essays.jsonl", "sections.csv"] {
        let same = std::fs::read(a.join(f)).unwrap() == std::fs::read(b.join(f)).unwrap();
        assert!(same, "{f} differs");
    }
    assert!(!b.join(".wenku-journal").exists());
}

#[cfg(unix)]
#[test]
fn text_refuses_a_fifo_instead_of_waiting_on_it() {
    let dir = tempdir();
    let fifo = dir.path().join("f.txt");
    let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
    // SAFETY: a valid NUL-terminated path.
    assert_eq!(unsafe { libc::mkfifo(c.as_ptr(), 0o644) }, 0);
    let o = Command::new(env!("CARGO_BIN_EXE_wenku")).arg("text").arg(&fifo).output().unwrap();
    assert_eq!(o.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&o.stderr).contains("not a regular file"));
}
