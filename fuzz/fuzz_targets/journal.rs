//! The resume journal's reader: arbitrary bytes after a valid header, read
//! back as `--resume` does, every source a line names looked up (see
//! `wenku::output::journal::read_back`). A damaged journal must give
//! records or nothing, never a panic.
#![no_main]

use std::path::PathBuf;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fn dir() -> &'static PathBuf {
    static DIR: OnceLock<PathBuf> = OnceLock::new();
    DIR.get_or_init(|| {
        let d = std::env::temp_dir().join(format!("wenku-fuzz-journal-{}", std::process::id()));
        std::fs::create_dir_all(&d).expect("temporary folder");
        d
    })
}

fuzz_target!(|data: &[u8]| {
    let _ = wenku::output::journal::read_back(dir(), data);
});
