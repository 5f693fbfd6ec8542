//! The whole byte-level entry: sniffing, the zip guard, the Word reader,
//! the text and HTML readers. Any input must give `Ok` or `Err`, never a
//! panic, a hang or an unbounded allocation.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = wenku::extract::extract(data, &wenku::extract::Limits::default());
});
