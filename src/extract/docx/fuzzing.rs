//! Packages around fuzzed parts, for the `docx_parts` fuzz target and its
//! regression tests: arbitrary bytes reach the Word reader's parsers (the
//! story tokenizer, list definitions and their number formats) only inside
//! a package that is otherwise valid, which random bytes never make.

use std::io::{Cursor, Write};

use zip::write::SimpleFileOptions;

/// `[Content_Types].xml` of a package whose main part is `word/document.xml`.
pub const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>"#;
/// `_rels/.rels` pointing at `word/document.xml`.
pub const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
const DOCUMENT_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/numbering" Target="numbering.xml"/></Relationships>"#;

/// A `.docx` built around `data`. The first byte picks the part the rest
/// becomes: `word/document.xml` when it is even; when it is odd,
/// `word/numbering.xml` beside a document whose paragraphs use lists 1 to
/// 3 at every level, so that the definitions are rendered.
pub fn package(data: &[u8]) -> Vec<u8> {
    let (mode, part) = data.split_first().map_or((0, data), |(m, rest)| (*m, rest));
    let mut members: Vec<(&str, Vec<u8>)> =
        vec![("[Content_Types].xml", CONTENT_TYPES.into()), ("_rels/.rels", RELS.into())];
    if mode % 2 == 0 {
        members.push(("word/document.xml", part.to_vec()));
    } else {
        let paragraphs: String = (0..27)
            .map(|i| {
                format!(
                    r#"<w:p><w:pPr><w:numPr><w:ilvl w:val="{}"/><w:numId w:val="{}"/></w:numPr></w:pPr><w:r><w:t>第{i}项</w:t></w:r></w:p>"#,
                    i % 9,
                    1 + i / 9
                )
            })
            .collect();
        let document = format!(
            r#"<?xml version="1.0" encoding="UTF-8"?><w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>{paragraphs}</w:body></w:document>"#
        );
        members.push(("word/document.xml", document.into_bytes()));
        members.push(("word/_rels/document.xml.rels", DOCUMENT_RELS.into()));
        members.push(("word/numbering.xml", part.to_vec()));
    }
    let mut zip = zip::ZipWriter::new(Cursor::new(Vec::new()));
    let stored = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    for (name, bytes) in members {
        // Writing to memory cannot fail.
        zip.start_file(name, stored).expect("in memory");
        zip.write_all(&bytes).expect("in memory");
    }
    zip.finish().expect("in memory").into_inner()
}

#[cfg(test)]
mod tests {
    use crate::extract::{Limits, extract};

    #[test]
    fn the_fuzzed_part_is_read() {
        let document = r#"<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body><w:p><w:r><w:t>正文</w:t></w:r></w:p></w:body></w:document>"#;
        let docx = super::package(&[[0u8].as_slice(), document.as_bytes()].concat());
        let text: Vec<String> =
            extract(&docx, &Limits::default()).unwrap().blocks.into_iter().map(|b| b.text).collect();
        assert_eq!(text, ["正文"]);
        let numbering = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:abstractNum w:abstractNumId="0"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="%1、"/></w:lvl></w:abstractNum><w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num></w:numbering>"#;
        let docx = super::package(&[[1u8].as_slice(), numbering.as_bytes()].concat());
        let blocks = extract(&docx, &Limits::default()).unwrap().blocks;
        assert_eq!(blocks.len(), 27);
        assert_eq!(blocks[0].text, "一、\t第0项", "rendered by the fuzzed definitions");
        assert_eq!(blocks[9].text, "第9项", "list 2 is not defined");
    }
}
