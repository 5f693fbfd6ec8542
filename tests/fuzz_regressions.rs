//! Inputs kept from fuzzing and from edge cases met on the way: each goes
//! through the entry point of its fuzz target (`fuzz/fuzz_targets/`) and
//! must give a result, not a panic. A crash input found by `cargo fuzz`
//! is added as a file under `tests/fuzz-cases/<target>/`.

use std::path::Path;

use wenku::{Options, PunctPolicy};

fn cases(target: &str) -> Vec<(String, Vec<u8>)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fuzz-cases").join(target);
    let mut out: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .flatten()
        .map(|e| (e.file_name().to_string_lossy().into_owned(), std::fs::read(e.path()).unwrap()))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no cases for {target}");
    out
}

#[test]
fn extract_cases_give_a_result() {
    for (name, bytes) in cases("extract") {
        let r = std::panic::catch_unwind(|| wenku::extract::extract(&bytes, &wenku::extract::Limits::default()));
        assert!(r.is_ok(), "{name} panicked");
    }
}

#[test]
fn decode_cases_give_a_result() {
    for (name, bytes) in cases("decode") {
        let r = std::panic::catch_unwind(|| {
            if let Ok(d) = wenku::extract::text::decode(&bytes) {
                wenku::extract::text::blocks(&d.text);
                wenku::extract::html::blocks(&d.text);
            }
        });
        assert!(r.is_ok(), "{name} panicked");
    }
}

#[test]
fn convert_text_cases_give_a_result() {
    for (name, bytes) in cases("convert_text") {
        let text = String::from_utf8_lossy(&bytes).into_owned();
        for (punct, profile) in [
            (PunctPolicy::Cjk, "default"),
            (PunctPolicy::Keep, "default"),
            (PunctPolicy::Ascii, "default"),
            (PunctPolicy::Cjk, "plain"),
        ] {
            let opts = Options { punct, profile: profile.into(), ..Options::default() };
            let r = std::panic::catch_unwind(|| wenku::convert::convert_text(&text, &opts));
            assert!(r.is_ok(), "{name} ({punct:?}, {profile}) panicked");
        }
    }
}

#[test]
fn docx_parts_cases_give_a_result() {
    for (name, bytes) in cases("docx_parts") {
        let r = std::panic::catch_unwind(|| {
            let docx = wenku::extract::docx::fuzzing::package(&bytes);
            wenku::extract::extract(&docx, &wenku::extract::Limits::default())
        });
        assert!(r.is_ok(), "{name} panicked");
    }
}

#[test]
fn journal_cases_give_a_result() {
    let dir = tempfile::tempdir().unwrap();
    let mut found = 0;
    for (name, bytes) in cases("journal") {
        let r = std::panic::catch_unwind(|| wenku::output::journal::read_back(dir.path(), &bytes));
        found += r.unwrap_or_else(|_| panic!("{name} panicked")).unwrap_or_else(|e| panic!("{name}: {e}"));
    }
    // The three real entries; none of the damaged ones (half a line, a
    // range past its essay, a last line cut short).
    assert_eq!(found, 3);
}
