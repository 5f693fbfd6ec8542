//! Tests of the Word reader.
//!
//! * `numbering`: the LibreOffice-made fixtures of `fixtures/docx/` (exact
//!   labels, and the sections segmentation makes of them).
//! * `constructs`: one small package per construct, built here in memory
//!   (so the origin of each is the test itself).
//! * `corpora`: the shared corpora of other projects' test files, compared
//!   with their expected outputs, and every `.docx` read without a panic.

mod constructs;
mod corpora;
mod numbering;
mod util;
