//! The Word reader's parsers behind a valid package: the first byte picks
//! the part the rest becomes (`word/document.xml`, or `word/numbering.xml`
//! beside a document that uses its lists; see
//! `wenku::extract::docx::fuzzing::package`). The `extract` target rarely
//! gets past the zip. Any input must give `Ok` or `Err`, never a panic, a
//! hang or an unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let docx = wenku::extract::docx::fuzzing::package(data);
    let _ = wenku::extract::extract(&docx, &wenku::extract::Limits::default());
});
