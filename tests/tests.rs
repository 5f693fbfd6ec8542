//! Integration tests: they run the `wenku` binary on fixtures and on bad
//! inputs, and read its records back.

// Helpers: running the binary, temporary folders, reading records.
mod util;

// The seed dump through every reader: records, formats, exit codes.
mod cli;

// Bad inputs of every kind get an error record; the batch goes on.
mod bad_inputs;

// The Word reader: LibreOffice-made numbering fixtures, package-level
// constructs, and the shared .docx corpora (when ../shared is present).
mod docx;
