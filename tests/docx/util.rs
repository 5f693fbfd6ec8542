//! Helpers shared by the Word reader tests.

use std::path::{Path, PathBuf};

use wenku::extract::{Block, Limits, extract};

/// The fixture folder of this crate.
pub fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures/docx").join(name)
}

/// The shared corpora (`../shared/corpora` beside the checkout), when
/// present; tests that need them pass without them.
pub fn corpora() -> Option<PathBuf> {
    let beside = Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/corpora");
    [beside, PathBuf::from("/work/shared/corpora")].into_iter().find(|p| p.is_dir())
}

/// The blocks of a document, read with `limits`.
pub fn blocks_with(bytes: &[u8], limits: &Limits) -> Vec<Block> {
    extract(bytes, limits).unwrap_or_else(|e| panic!("extract failed: {e}")).blocks
}

/// The blocks of a document, read with the default limits.
pub fn blocks(bytes: &[u8]) -> Vec<Block> {
    blocks_with(bytes, &Limits::default())
}

/// The text wenku reads from a document before any cleaning: its blocks
/// joined by line breaks.
pub fn text_of(blocks: &[Block]) -> String {
    blocks.iter().map(|b| b.text.as_str()).collect::<Vec<_>>().join("\n")
}

/// The WordprocessingML namespace declarations the hand-built parts use.
pub const NS: &str = r#"xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships""#;

const REL: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";

/// A zip of `parts` (name, content), stored uncompressed.
pub fn zip(parts: &[(&str, &[u8])]) -> Vec<u8> {
    use std::io::Write;
    let mut w = zip::ZipWriter::new(std::io::Cursor::new(Vec::new()));
    let options = zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, content) in parts {
        w.start_file(*name, options).expect("start");
        w.write_all(content).expect("write");
    }
    w.finish().expect("finish").into_inner()
}

/// A hand-built `.docx`: `body` is the content of `w:body`; `related` are
/// further parts of the main document as (relationship type suffix, part
/// name under `word/`, content), e.g. `("footnotes", "footnotes.xml", …)`.
pub fn docx(body: &str, related: &[(&str, &str, &[u8])]) -> Vec<u8> {
    let document =
        format!(r#"<?xml version="1.0" encoding="UTF-8"?><w:document {NS}><w:body>{body}</w:body></w:document>"#);
    let mut rels = String::from(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">"#,
    );
    for (i, (kind, name, _)) in related.iter().enumerate() {
        rels.push_str(&format!(r#"<Relationship Id="rId{}" Type="{REL}/{kind}" Target="{name}"/>"#, i + 1));
    }
    rels.push_str("</Relationships>");
    let root_rels = format!(
        r#"<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="{REL}/officeDocument" Target="word/document.xml"/></Relationships>"#
    );
    let mut parts: Vec<(String, Vec<u8>)> = vec![
        (
            "[Content_Types].xml".into(),
            br#"<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>"#
                .to_vec(),
        ),
        ("_rels/.rels".into(), root_rels.into_bytes()),
        ("word/document.xml".into(), document.into_bytes()),
        ("word/_rels/document.xml.rels".into(), rels.into_bytes()),
    ];
    for (_, name, content) in related {
        parts.push((format!("word/{name}"), content.to_vec()));
    }
    let refs: Vec<(&str, &[u8])> = parts.iter().map(|(n, c)| (n.as_str(), c.as_slice())).collect();
    zip(&refs)
}

/// A paragraph of one run of text.
pub fn p(text: &str) -> String {
    format!(r#"<w:p><w:r><w:t xml:space="preserve">{text}</w:t></w:r></w:p>"#)
}
