//! Cleaning and segmentation on arbitrary strings, with every profile and
//! punctuation policy.
#![no_main]

use libfuzzer_sys::fuzz_target;
use wenku::{Options, PunctPolicy};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first byte picks the options, so one corpus covers them all.
    let (punct, profile) = match data.first().map_or(0, |b| b % 4) {
        0 => (PunctPolicy::Cjk, "default"),
        1 => (PunctPolicy::Keep, "default"),
        2 => (PunctPolicy::Ascii, "default"),
        _ => (PunctPolicy::Cjk, "plain"),
    };
    let opts = Options { punct, profile: profile.into(), ..Options::default() };
    let _ = wenku::convert::convert_text(text, &opts);
});
