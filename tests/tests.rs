//! Integration tests: they run the `wenku` binary on fixtures and on bad
//! inputs, and read its records back.

// Helpers: running the binary, temporary folders, reading records.
mod util;

// Parquet and Excel outputs, --shard, --files-from and --stream.
mod analytics;

// A generator of hostile inputs (zip bombs, XML attacks, broken files).
mod hostile;

// The binary over hostile inputs mixed with good ones: records, reasons, time, memory.
mod hostile_inputs;

// Runs killed at random points leave whole outputs; --resume finishes them.
mod interrupt;

// Limit flags, the output folder lock, resuming with other options, FIFOs.
mod robust_cli;

// Inputs kept from fuzzing: each entry point gives a result, not a panic.
mod fuzz_regressions;

// The seed dump through every reader: records, formats, exit codes.
mod cli;

// Bad inputs of every kind get an error record; the batch goes on.
mod bad_inputs;

// The Word reader: LibreOffice-made numbering fixtures, package-level
// constructs, and the shared .docx corpora (when ../shared is present).
mod docx;
