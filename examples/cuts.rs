//! Shows the score of every place a glued heading could end.
//!
//! `cargo run --example cuts -- TEXT [title]`

use wenku::segment::boundary::{Mode, explain_cuts};

fn main() {
    let mut args = std::env::args().skip(1);
    let text = args.next().expect("usage: cuts TEXT [title]");
    let mode = if args.next().as_deref() == Some("title") { Mode::Title } else { Mode::Heading };
    for (at, score) in explain_cuts(&text, mode) {
        if let Some(s) = score.filter(|&s| s > 0.0) {
            println!("{:6.2}  {}|{}", s, &text[..at], text[at..].chars().take(12).collect::<String>());
        }
    }
}
