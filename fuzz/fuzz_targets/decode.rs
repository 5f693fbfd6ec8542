//! The text decoder (encoding detection, UTF-16 halves, binary refusal)
//! and the line splitter on arbitrary bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Ok(decoded) = wenku::extract::text::decode(data) {
        let _ = wenku::extract::text::blocks(&decoded.text);
        let _ = wenku::extract::html::blocks(&decoded.text);
    }
});
