//! Builds the word table's index (`src/segment/lexicon.rs`) at compile
//! time: reading the 60,000 lines of `lexicon.txt` at run time was a third
//! of the instructions of converting one small file (17 M of 55 M), spent
//! by every process that meets a glued heading.
//!
//! The index is written as Rust statics to `$OUT_DIR/lexicon_index.rs`.
//! The table must be sorted by the words' bytes, hold words of at most
//! `MAX_WORD` characters of the Basic Multilingual Plane, and give each a
//! class letter and a weight digit; anything else fails the build with the
//! line at fault (the table is made by `tools/make_lexicon.py`).

use std::fmt::Write as _;
use std::path::Path;

/// Longest word, in characters (written to the index, whence
/// `lexicon::MAX_WORD`).
const MAX_WORD: usize = 6;

/// The class letters, in the order of `lexicon::Class` (a letter's code is
/// its place here; any other letter is `Other`, the code after them).
const CLASS_LETTERS: &str = "NVADRTCPFMUI";

fn main() {
    let source = "src/segment/lexicon.txt";
    println!("cargo:rerun-if-changed={source}");
    println!("cargo:rerun-if-changed=build.rs");
    let table = std::fs::read_to_string(source).unwrap_or_else(|e| panic!("{source}: {e}"));

    let mut classes = Vec::new();
    let mut weights = Vec::new();
    let mut lens = Vec::new();
    let mut columns: Vec<Vec<u16>> = vec![Vec::new(); MAX_WORD - 1];
    // (first character, first word, one past the last word)
    let mut runs: Vec<(char, u32, u32)> = Vec::new();
    let mut previous: Option<&str> = None;
    for (n, line) in table.lines().enumerate().filter(|(_, l)| !l.starts_with('#') && !l.is_empty()) {
        let at = || format!("{source}:{}: {line:?}", n + 1);
        let mut fields = line.split('\t');
        let (Some(word), Some(class), Some(weight), None) =
            (fields.next(), fields.next(), fields.next(), fields.next())
        else {
            panic!("{}: not word<TAB>class<TAB>weight", at());
        };
        let chars: Vec<char> = word.chars().collect();
        assert!(!chars.is_empty() && chars.len() <= MAX_WORD, "{}: 1 to {MAX_WORD} characters", at());
        assert!(chars.iter().all(|&c| (c as u32) < 0x1_0000), "{}: a character beyond the plane", at());
        assert!(previous.is_none_or(|p| p.as_bytes() < word.as_bytes()), "{}: not sorted by bytes", at());
        previous = Some(word);
        let weight = match weight.as_bytes() {
            [d @ b'0'..=b'9'] => d - b'0',
            _ => panic!("{}: the weight is one digit", at()),
        };
        let index = u32::try_from(classes.len()).expect("fewer than 2^32 words");
        match runs.last_mut() {
            Some(last) if last.0 == chars[0] => last.2 = index + 1,
            _ => runs.push((chars[0], index, index + 1)),
        }
        let code = CLASS_LETTERS.find(class).filter(|_| class.len() == 1).unwrap_or(CLASS_LETTERS.len());
        classes.push(code as u8);
        weights.push(weight);
        lens.push(chars.len() as u8);
        for (k, column) in columns.iter_mut().enumerate() {
            column.push(chars.get(k + 1).map_or(0, |&c| c as u16));
        }
    }
    let mut first_of_plane = vec![0u16; 0x1_0000];
    for (i, &(c, _, _)) in runs.iter().enumerate() {
        first_of_plane[c as usize] = u16::try_from(i + 1).expect("fewer than 65,535 first characters");
    }

    let mut out = String::new();
    let words = classes.len();
    writeln!(out, "/// Longest word, in characters.\npub const MAX_WORD: usize = {MAX_WORD};").unwrap();
    array(&mut out, "/// Every word's class code.", "CLASSES", "u8", &classes);
    array(&mut out, "/// Every word's weight.", "WEIGHTS", "u8", &weights);
    array(&mut out, "/// Every word's length in characters.", "LENS", "u8", &lens);
    writeln!(out, "/// `COLUMNS[k - 1][i]`: character `k` of word `i`, 0 past its end.").unwrap();
    writeln!(out, "pub static COLUMNS: [[u16; {words}]; {}] = [", MAX_WORD - 1).unwrap();
    for column in &columns {
        out.push('[');
        list(&mut out, column);
        out.push_str("],\n");
    }
    out.push_str("];\n");
    let starts: Vec<u32> = runs.iter().map(|r| r.1).collect();
    let ends: Vec<u32> = runs.iter().map(|r| r.2).collect();
    array(&mut out, "/// The first word of every first character's run.", "RUN_STARTS", "u32", &starts);
    array(&mut out, "/// One past the last word of every run.", "RUN_ENDS", "u32", &ends);
    array(
        &mut out,
        "/// For every character of the plane, one plus its run (0: none).",
        "FIRST_OF_PLANE",
        "u16",
        &first_of_plane,
    );

    let path = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("lexicon_index.rs");
    std::fs::write(&path, out).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
}

fn array<T: std::fmt::Display>(out: &mut String, doc: &str, name: &str, ty: &str, values: &[T]) {
    writeln!(out, "{doc}\npub static {name}: [{ty}; {}] = [", values.len()).unwrap();
    list(out, values);
    out.push_str("];\n");
}

fn list<T: std::fmt::Display>(out: &mut String, values: &[T]) {
    for (i, v) in values.iter().enumerate() {
        write!(out, "{v},").unwrap();
        if i % 32 == 31 {
            out.push('\n');
        }
    }
}
