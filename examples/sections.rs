//! Shows, for one document, every label-like place of each essay and the
//! sections segmentation made of them: a tool for working on the rules.
//!
//! `cargo run --example sections -- FILE [ESSAY_NO]`

use wenku::convert::{Options, PunctPolicy, convert_bytes};
use wenku::segment::labels::scan;

fn main() {
    let mut args = std::env::args().skip(1);
    let path = args.next().expect("usage: sections FILE [ESSAY_NO]");
    let only: Option<usize> = args.next().and_then(|s| s.parse().ok());
    let bytes = std::fs::read(&path).expect("read");
    let opts = Options { punct: PunctPolicy::Keep, ..Options::default() };
    let doc = convert_bytes(&bytes, &opts).expect("convert");
    for (i, essay) in doc.essays.iter().enumerate() {
        if only.is_some_and(|n| n != i + 1) {
            continue;
        }
        println!("=== essay {} {:?} {:?}", i + 1, essay.marker, essay.title);
        let text = &essay.text;
        for label in scan(text) {
            let accepted = essay.sections.iter().find(|s| s.start == label.start);
            let before: String =
                text[..label.start].chars().rev().take(8).collect::<Vec<_>>().into_iter().rev().collect();
            let after: String = text[label.end..].chars().take(24).collect();
            match accepted {
                Some(s) => println!(
                    "  + L{} {:<6} {:?} [{}|{}] heading={:?}",
                    s.level,
                    label.as_str(text),
                    label.style,
                    before,
                    after,
                    s.heading
                ),
                None => println!("  - {:<6} {:?} [{}|{}]", label.as_str(text), label.style, before, after),
            }
        }
    }
}
