//! A generator of hostile and broken inputs: zip bombs (flat, nested,
//! overlapping), XML attacks (billion laughs, external entities, deep
//! nesting), lying sizes, truncated and empty files, random bytes, wrong
//! extensions, encrypted documents and broken UTF-8 and UTF-16. Each file
//! comes with what wenku must say about it.
//!
//! The zips are written by hand where a zip library would refuse to write
//! the lie (declared sizes, shared data); bombs are made by repeating one
//! flushed deflate block, so a gigabyte of zeros costs a megabyte and
//! milliseconds to build.
//!
//! To look at the files: `WENKU_HOSTILE_OUT=/tmp/hostile cargo test
//! hostile::write_the_files -- --ignored`.

use std::io::Write;
use std::path::Path;
// The package parts around a main part, as the Word reader's fuzz target
// writes them.
use wenku::extract::docx::fuzzing::{CONTENT_TYPES, RELS};

/// What a run must write for one input.
#[derive(Debug, Clone)]
pub enum Expect {
    /// An error record whose reason contains this.
    Error(&'static str),
    /// Converted, with a warning containing this (empty: any or none).
    Ok(&'static str),
}

/// One generated input: its path below the generated folder and what is
/// expected of it.
#[derive(Debug, Clone)]
pub struct Case {
    /// Path below the folder, `/`-separated; archive members as
    /// `a.zip!/member`.
    pub name: String,
    /// The expectation.
    pub expect: Expect,
}

fn crc32(data: &[u8]) -> u32 {
    let mut crc = !0u32;
    for &b in data {
        crc ^= u32::from(b);
        for _ in 0..8 {
            crc = if crc & 1 != 0 { (crc >> 1) ^ 0xEDB8_8320 } else { crc >> 1 };
        }
    }
    !crc
}

/// Raw deflate of `data`.
fn deflate(data: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    e.write_all(data).unwrap();
    e.finish().unwrap()
}

/// A raw deflate stream of `mib` MiB of zeros, about 1 KiB per MiB: one
/// fully flushed block of 1 MiB, repeated, then an empty final block.
fn deflated_zeros(mib: usize) -> Vec<u8> {
    let mut c = flate2::Compress::new(flate2::Compression::best(), false);
    let zeros = vec![0u8; 1 << 20];
    let mut block = Vec::with_capacity(1 << 16);
    c.compress_vec(&zeros, &mut block, flate2::FlushCompress::Full).unwrap();
    let mut out = Vec::with_capacity(block.len() * mib + 16);
    for _ in 0..mib {
        out.extend_from_slice(&block);
    }
    let mut tail = Vec::with_capacity(64);
    let mut end = flate2::Compress::new(flate2::Compression::best(), false);
    end.compress_vec(&[], &mut tail, flate2::FlushCompress::Finish).unwrap();
    out.extend_from_slice(&tail);
    out
}

/// One member of a hand-made zip.
#[derive(Clone)]
struct Raw {
    name: String,
    /// 0 stored, 8 deflated.
    method: u16,
    data: Vec<u8>,
    /// Declared uncompressed size and CRC (they may lie).
    size: u32,
    crc: u32,
    /// General purpose flags (bit 0: encrypted).
    flags: u16,
}

impl Raw {
    fn deflated(name: &str, content: &[u8]) -> Self {
        Raw {
            name: name.into(),
            method: 8,
            data: deflate(content),
            size: content.len() as u32,
            crc: crc32(content),
            flags: 0,
        }
    }
}

fn le16(out: &mut Vec<u8>, v: u16) {
    out.extend_from_slice(&v.to_le_bytes());
}

fn le32(out: &mut Vec<u8>, v: u32) {
    out.extend_from_slice(&v.to_le_bytes());
}

/// Writes a zip of `members`; `aliases` adds central directory entries
/// (name, index of the member whose local header and data they reuse).
fn raw_zip(members: &[Raw], aliases: &[(String, usize)]) -> Vec<u8> {
    let mut out = Vec::new();
    let mut offsets = Vec::new();
    for m in members {
        offsets.push(out.len() as u32);
        le32(&mut out, 0x0403_4b50);
        le16(&mut out, 20);
        le16(&mut out, m.flags);
        le16(&mut out, m.method);
        le16(&mut out, 0);
        le16(&mut out, 0x21);
        le32(&mut out, m.crc);
        le32(&mut out, m.data.len() as u32);
        le32(&mut out, m.size);
        le16(&mut out, m.name.len() as u16);
        le16(&mut out, 0);
        out.extend_from_slice(m.name.as_bytes());
        out.extend_from_slice(&m.data);
    }
    let cd_start = out.len() as u32;
    let mut entries: Vec<(&str, usize)> = members.iter().enumerate().map(|(i, m)| (m.name.as_str(), i)).collect();
    entries.extend(aliases.iter().map(|(n, i)| (n.as_str(), *i)));
    for (name, i) in &entries {
        let m = &members[*i];
        le32(&mut out, 0x0201_4b50);
        le16(&mut out, 20);
        le16(&mut out, 20);
        le16(&mut out, m.flags);
        le16(&mut out, m.method);
        le16(&mut out, 0);
        le16(&mut out, 0x21);
        le32(&mut out, m.crc);
        le32(&mut out, m.data.len() as u32);
        le32(&mut out, m.size);
        le16(&mut out, name.len() as u16);
        le16(&mut out, 0);
        le16(&mut out, 0);
        le16(&mut out, 0);
        le16(&mut out, 0);
        le32(&mut out, 0);
        le32(&mut out, offsets[*i]);
        out.extend_from_slice(name.as_bytes());
    }
    let cd_size = out.len() as u32 - cd_start;
    le32(&mut out, 0x0605_4b50);
    le16(&mut out, 0);
    le16(&mut out, 0);
    le16(&mut out, entries.len() as u16);
    le16(&mut out, entries.len() as u16);
    le32(&mut out, cd_size);
    le32(&mut out, cd_start);
    le16(&mut out, 0);
    out
}

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

/// A `.docx` whose main part is `document` (with the package parts
/// around it), other members added as they are.
fn docx_with(document: Raw, extra: Vec<Raw>) -> Vec<u8> {
    let mut members = vec![
        Raw::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        Raw::deflated("_rels/.rels", RELS.as_bytes()),
    ];
    members.push(document);
    members.extend(extra);
    raw_zip(&members, &[])
}

fn docx_of_xml(xml: &str) -> Vec<u8> {
    docx_with(Raw::deflated("word/document.xml", xml.as_bytes()), vec![])
}

fn paragraph_doc(body: &str) -> String {
    format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="{W}"><w:body>{body}</w:body></w:document>"#)
}

fn ole_with(stream_name: &str) -> Vec<u8> {
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend(stream_name.encode_utf16().flat_map(|u| u.to_le_bytes()));
    bytes.resize(4096, 0);
    bytes
}

/// Pseudo-random bytes (xorshift), the same on every run.
fn random_bytes(n: usize, mut seed: u64) -> Vec<u8> {
    (0..n)
        .map(|_| {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            (seed >> 24) as u8
        })
        .collect()
}

/// Writes every hostile input into `dir` (created if needed) and returns
/// what is expected of each. `good` is a real dump (text) and `good_docx` a
/// real Word document, used where a hostile container holds a good member.
pub fn generate(dir: &Path, good: &[u8], good_docx: &[u8]) -> Vec<Case> {
    std::fs::create_dir_all(dir).unwrap();
    let mut cases = Vec::new();
    let put = |cases: &mut Vec<Case>, name: &str, bytes: &[u8], expect: Expect| {
        let path = dir.join(name);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, bytes).unwrap();
        cases.push(Case { name: name.into(), expect });
    };
    let gib_of_zeros = || Raw {
        name: "word/document.xml".into(),
        method: 8,
        data: deflated_zeros(1024),
        size: 1 << 30,
        crc: 0,
        flags: 0,
    };

    // Zip bombs.
    put(&mut cases, "bomb/zip_bomb.docx", &docx_with(gib_of_zeros(), vec![]), Expect::Error("zip bomb refused"));
    // A dump archive with a bomb, a good dump and a bomb .docx (stored):
    // the good member is read all the same.
    let inner = docx_with(gib_of_zeros(), vec![]);
    let stored = Raw {
        name: "hidden_bomb.docx".into(),
        method: 0,
        size: inner.len() as u32,
        crc: crc32(&inner),
        data: inner,
        flags: 0,
    };
    let dump_bomb =
        raw_zip(&[Raw { name: "zeros.txt".into(), ..gib_of_zeros() }, Raw::deflated("good.txt", good), stored], &[]);
    std::fs::create_dir_all(dir.join("bomb")).unwrap();
    std::fs::write(dir.join("bomb/dump_with_bomb.zip"), &dump_bomb).unwrap();
    cases.push(Case { name: "bomb/dump_with_bomb.zip!/zeros.txt".into(), expect: Expect::Error("zip bomb refused") });
    cases.push(Case { name: "bomb/dump_with_bomb.zip!/good.txt".into(), expect: Expect::Ok("") });
    cases.push(Case {
        name: "bomb/dump_with_bomb.zip!/hidden_bomb.docx".into(),
        expect: Expect::Error("zip bomb refused"),
    });

    // Nested, 42.zip style: eight deflated copies of a bomb archive, eight
    // of those, eight of those. Archives inside archives are never opened.
    let mut level = raw_zip(&[Raw { name: "zeros.txt".into(), ..gib_of_zeros() }], &[]);
    for depth in 0..3 {
        let member = Raw::deflated("x", &level);
        let copies: Vec<Raw> = (0..8).map(|i| Raw { name: format!("l{depth}_{i}.zip"), ..member.clone() }).collect();
        level = raw_zip(&copies, &[]);
    }
    std::fs::write(dir.join("bomb/nested_bomb.zip"), &level).unwrap();
    for i in 0..8 {
        cases.push(Case {
            name: format!("bomb/nested_bomb.zip!/l2_{i}.zip"),
            expect: Expect::Error("archive inside an archive is not read"),
        });
    }

    // Overlapping entries: one deflate stream listed 2000 times.
    let one = Raw { name: "a.txt".into(), method: 8, data: deflated_zeros(1), size: 1 << 20, crc: 0, flags: 0 };
    let aliases: Vec<(String, usize)> = (0..2000).map(|i| (format!("a{i}.txt"), 0)).collect();
    put(
        &mut cases,
        "bomb/overlap.zip",
        &raw_zip(std::slice::from_ref(&one), &aliases),
        Expect::Error("members share or overlap"),
    );
    let doc = Raw::deflated("word/document.xml", paragraph_doc("<w:p><w:r><w:t>x</w:t></w:r></w:p>").as_bytes());
    let mut members = vec![
        Raw::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        Raw::deflated("_rels/.rels", RELS.as_bytes()),
        doc,
    ];
    members.push(Raw { name: "word/media/a.bin".into(), ..one });
    let aliases: Vec<(String, usize)> = (0..500).map(|i| (format!("word/media/b{i}.bin"), 3)).collect();
    put(&mut cases, "bomb/overlap.docx", &raw_zip(&members, &aliases), Expect::Error("members share or overlap"));

    // A member that declares 1 GB: refused before a byte is inflated.
    let liar = Raw { size: 1 << 30, ..Raw::deflated("word/document.xml", paragraph_doc("<w:p/>").as_bytes()) };
    put(&mut cases, "size/declared_1gb.docx", &docx_with(liar, vec![]), Expect::Error("zip bomb refused"));
    let liar = Raw { size: 1 << 30, ..Raw::deflated("big.txt", good) };
    std::fs::create_dir_all(dir.join("size")).unwrap();
    std::fs::write(dir.join("size/declared_1gb.zip"), raw_zip(&[liar], &[])).unwrap();
    cases.push(Case {
        name: "size/declared_1gb.zip!/big.txt".into(),
        expect: Expect::Error("declares 1073741824 bytes"),
    });
    // A member that declares a small size and inflates to a gigabyte: the
    // zip reader stops at the declared size.
    let small_liar = Raw { size: 1000, ..gib_of_zeros() };
    put(&mut cases, "size/lying_small.docx", &docx_with(small_liar, vec![]), Expect::Error("bad data"));
    // A sparse file larger than the file limit: refused before reading.
    let sparse = dir.join("size/sparse_300mb.txt");
    std::fs::File::create(&sparse).unwrap().set_len(300 << 20).unwrap();
    cases.push(Case { name: "size/sparse_300mb.txt".into(), expect: Expect::Error("--max-file-size") });
    // Text over the text limit (the run sets 4 MiB).
    let mut big = Vec::with_capacity(6 << 20);
    while big.len() < 5 << 20 {
        big.extend_from_slice(good);
    }
    put(&mut cases, "size/big_text.txt", &big, Expect::Error("text too large"));
    drop(big);
    // More members than --max-zip-members (the run sets 5000).
    let many: Vec<Raw> = (0..5001).map(|i| Raw::deflated(&format!("m{i}.txt"), b"x")).collect();
    put(&mut cases, "size/many_members.zip", &raw_zip(&many, &[]), Expect::Error("members (limit 5000"));

    // XML attacks.
    let laughs = format!(
        r#"<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;"><!ENTITY lol9 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&lol9;</w:t></w:r></w:p></w:body></w:document>"#
    );
    put(&mut cases, "xml/billion_laughs.docx", &docx_of_xml(&laughs), Expect::Error("DTD"));
    let xxe = format!(
        r#"<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><w:document xmlns:w="{W}"><w:body><w:p><w:r><w:t>&xxe;</w:t></w:r></w:p></w:body></w:document>"#
    );
    put(&mut cases, "xml/external_entity.docx", &docx_of_xml(&xxe), Expect::Error("DTD"));
    let rels_xxe = RELS.replace(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>",
        "<?xml version=\"1.0\"?><!DOCTYPE r [<!ENTITY x SYSTEM \"http://127.0.0.1:9/x\">]>",
    );
    let members = vec![
        Raw::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
        Raw::deflated("_rels/.rels", rels_xxe.as_bytes()),
        Raw::deflated("word/document.xml", paragraph_doc("<w:p><w:r><w:t>x</w:t></w:r></w:p>").as_bytes()),
    ];
    put(&mut cases, "xml/entity_in_rels.docx", &raw_zip(&members, &[]), Expect::Error("DTD"));
    let deep = format!("{}{}", "<w:sdt><w:sdtContent>".repeat(5000), "</w:sdtContent></w:sdt>".repeat(5000));
    put(&mut cases, "xml/deep_10000.docx", &docx_of_xml(&paragraph_doc(&deep)), Expect::Error("deeper than 256"));
    put(
        &mut cases,
        "xml/malformed.docx",
        &docx_of_xml(&paragraph_doc("<w:p><w:r></w:p>")),
        Expect::Error("malformed XML"),
    );

    // Truncated, empty, random.
    // Cut after its text, a package is read through its local headers; cut
    // inside the text, the damaged part is named.
    put(
        &mut cases,
        "broken/truncated.docx",
        &good_docx[..good_docx.len() * 9 / 10],
        Expect::Ok("parts read from their local headers"),
    );
    put(
        &mut cases,
        "broken/truncated_early.docx",
        &good_docx[..good_docx.len() / 10],
        Expect::Error("word/document.xml"),
    );
    // A whole package whose document part stops inside a paragraph.
    let whole = paragraph_doc("<w:p><w:r><w:t>第一段</w:t></w:r></w:p><w:p><w:r><w:t>第二段</w:t></w:r></w:p>");
    put(
        &mut cases,
        "broken/document_cut_short.docx",
        &docx_of_xml(&whole[..whole.find("第二段").expect("the text")]),
        Expect::Ok("the part is cut short"),
    );
    let good_zip = raw_zip(&[Raw::deflated("a.txt", good)], &[]);
    put(
        &mut cases,
        "broken/truncated_archive.zip",
        &good_zip[..good_zip.len() - 30],
        Expect::Error("corrupt zip archive"),
    );
    put(&mut cases, "broken/zero.txt", b"", Expect::Error("empty file"));
    put(&mut cases, "broken/zero.docx", b"", Expect::Error("empty file"));
    put(&mut cases, "broken/bom_only.txt", b"\xEF\xBB\xBF\r\n", Expect::Error("empty file"));
    put(&mut cases, "broken/random.txt", &random_bytes(64 << 10, 7), Expect::Error("not text"));
    let mut pk = b"PK\x03\x04".to_vec();
    pk.extend(random_bytes(8 << 10, 11));
    put(&mut cases, "broken/random_pk.docx", &pk, Expect::Error("zip"));
    put(&mut cases, "broken/random.docx", &random_bytes(8 << 10, 13), Expect::Error("not text"));

    // What a file is comes from its bytes, not its name.
    put(&mut cases, "wrong/really_doc.docx", &ole_with("WordDocument"), Expect::Error("legacy Word .doc"));
    put(
        &mut cases,
        "wrong/really_pdf.docx",
        b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n1 0 obj\n<<>>\nendobj\n",
        Expect::Error("PDF"),
    );
    put(&mut cases, "wrong/really_rtf.txt", br"{\rtf1\ansi\deff0 {\fonttbl {\f0 Times;}} hello}", Expect::Error("RTF"));
    put(&mut cases, "wrong/really_png.txt", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR", Expect::Error("PNG"));
    let odt = raw_zip(
        &[
            Raw {
                name: "mimetype".into(),
                method: 0,
                data: b"application/vnd.oasis.opendocument.text".to_vec(),
                size: 39,
                crc: crc32(b"application/vnd.oasis.opendocument.text"),
                flags: 0,
            },
            Raw::deflated("content.xml", b"<office:document-content/>"),
        ],
        &[],
    );
    put(&mut cases, "wrong/really_odt.docx", &odt, Expect::Error("OpenDocument"));
    put(
        &mut cases,
        "wrong/really_xlsx.docx",
        &raw_zip(
            &[
                Raw::deflated("[Content_Types].xml", CONTENT_TYPES.as_bytes()),
                Raw::deflated("xl/workbook.xml", b"<workbook/>"),
            ],
            &[],
        ),
        Expect::Error("Excel"),
    );
    put(
        &mut cases,
        "wrong/plain_zip.docx",
        &raw_zip(&[Raw::deflated("a.txt", good)], &[]),
        Expect::Error("main part missing"),
    );
    put(&mut cases, "wrong/really_text.docx", good, Expect::Ok(""));
    put(&mut cases, "wrong/really_docx.txt", good_docx, Expect::Ok(""));
    let mut html = b"<!DOCTYPE html><html><body><p>".to_vec();
    html.extend_from_slice(good);
    html.extend_from_slice(b"</p></body></html>");
    put(&mut cases, "wrong/really_html.docx", &html, Expect::Ok(""));

    // Encrypted.
    put(
        &mut cases,
        "encrypted/ooxml_password.docx",
        &ole_with("EncryptedPackage"),
        Expect::Error("encrypted document"),
    );
    let crypt = Raw { flags: 1, ..Raw::deflated("word/document.xml", paragraph_doc("<w:p/>").as_bytes()) };
    put(&mut cases, "encrypted/zipcrypto.docx", &docx_with(crypt, vec![]), Expect::Error("encrypted"));

    // Broken encodings.
    let mut bad_utf8 = "中文开头".as_bytes().to_vec();
    for i in 0..4000u32 {
        bad_utf8.extend_from_slice(&[0xFF, 0xC3, (i % 64) as u8 + 0x20]);
    }
    put(&mut cases, "encoding/invalid_utf8.txt", &bad_utf8, Expect::Error("undecodable"));
    let mut cut = good.to_vec();
    cut.extend_from_slice(&"新".as_bytes()[..2]);
    put(&mut cases, "encoding/utf8_cut_last_char.txt", &cut, Expect::Ok("replaced with U+FFFD"));
    let text = std::str::from_utf8(good).unwrap();
    let mut halves = vec![0xFF, 0xFE];
    for (i, u) in text.encode_utf16().enumerate() {
        // Every third code unit becomes a lone high surrogate.
        let u = if i % 3 == 0 { 0xD800 } else { u };
        halves.extend_from_slice(&u.to_le_bytes());
    }
    put(&mut cases, "encoding/utf16_lone_surrogates.txt", &halves, Expect::Error("undecodable"));
    let mut odd = vec![0xFF, 0xFE];
    odd.extend(text.encode_utf16().flat_map(|u| u.to_le_bytes()));
    odd.push(0x41);
    put(&mut cases, "encoding/utf16_odd_length.txt", &odd, Expect::Ok("replaced with U+FFFD"));
    let mut be_cut: Vec<u8> = vec![0xFE, 0xFF];
    be_cut.extend(text.encode_utf16().flat_map(|u| u.to_be_bytes()));
    be_cut.truncate(be_cut.len() / 2 * 2 - 1);
    put(&mut cases, "encoding/utf16be_cut.txt", &be_cut, Expect::Ok("replaced with U+FFFD"));

    // A FIFO would block a reader forever.
    #[cfg(unix)]
    {
        let fifo = dir.join("special/fifo.txt");
        std::fs::create_dir_all(fifo.parent().unwrap()).unwrap();
        let c = std::ffi::CString::new(fifo.to_str().unwrap()).unwrap();
        // SAFETY: a valid NUL-terminated path.
        if unsafe { libc::mkfifo(c.as_ptr(), 0o644) } == 0 {
            cases.push(Case { name: "special/fifo.txt".into(), expect: Expect::Error("not a regular file") });
        }
    }
    cases
}

#[test]
#[ignore = "writes the hostile files for a look: set WENKU_HOSTILE_OUT"]
fn write_the_files() {
    let out = std::env::var("WENKU_HOSTILE_OUT").expect("WENKU_HOSTILE_OUT");
    let good = std::fs::read(crate::util::fixture("seed/seed.txt")).unwrap();
    let docx = std::fs::read(crate::util::fixture("seed/seed.python-docx.docx")).unwrap();
    for case in generate(Path::new(&out), &good, &docx) {
        println!("{:<50} {:?}", case.name, case.expect);
    }
}

#[test]
fn bombs_are_cheap_to_build_and_real() {
    // The repeated block really inflates to what it declares.
    let z = deflated_zeros(3);
    let mut out = Vec::new();
    std::io::Read::read_to_end(&mut flate2::read::DeflateDecoder::new(&z[..]), &mut out).unwrap();
    assert_eq!(out.len(), 3 << 20);
    assert!(out.iter().all(|&b| b == 0));
    assert!(z.len() < 8 << 10, "{}", z.len());
    assert_eq!(crc32(b"123456789"), 0xCBF4_3926);
}
