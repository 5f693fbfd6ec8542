//! One small package per construct of the Word reader, built here in
//! memory (`util::docx`), so each fixture's origin is its test. Constructs
//! inside a story (runs, fields, tables, text boxes, tracked changes …)
//! are tested on hand-written XML in `src/extract/docx/body.rs`.

use wenku::extract::{BlockKind, ExtractError, Limits, extract};

use super::util::{NS, blocks, blocks_with, docx, p, text_of, zip};

const REL_NS: &str = "http://schemas.openxmlformats.org/package/2006/relationships";
const OFFICE_DOC: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument";

fn doc(body: &str) -> String {
    format!(r#"<w:document {NS}><w:body>{body}</w:body></w:document>"#)
}

fn error_of(bytes: &[u8]) -> String {
    match extract(bytes, &Limits::default()) {
        Ok(x) => panic!("expected an error, got {:?}", text_of(&x.blocks)),
        Err(e) => e.to_string(),
    }
}

#[test]
fn the_main_part_is_found_through_the_package_relationships() {
    let rels = format!(
        r#"<Relationships xmlns="{REL_NS}"><Relationship Id="r1" Type="{OFFICE_DOC}" Target="/word/document2.xml"/></Relationships>"#
    );
    let bytes = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document2.xml", doc(&p("另一个主部件")).as_bytes()),
    ]);
    assert_eq!(text_of(&blocks(&bytes)), "另一个主部件");
}

#[test]
fn part_names_match_case_insensitively() {
    let rels = format!(
        r#"<Relationships xmlns="{REL_NS}"><Relationship Id="r1" Type="{OFFICE_DOC}" Target="word/document.xml"/></Relationships>"#
    );
    let bytes = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("_RELS/.rels", rels.as_bytes()),
        ("Word/Document.XML", doc(&p("大小写")).as_bytes()),
    ]);
    assert_eq!(text_of(&blocks(&bytes)), "大小写");
}

#[test]
fn strict_ooxml_packages_read_like_transitional_ones() {
    let rels = r#"<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="r1" Type="http://purl.oclc.org/ooxml/officeDocument/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;
    let document = r#"<w:document xmlns:w="http://purl.oclc.org/ooxml/wordprocessingml/main"><w:body><w:p><w:r><w:t>严格格式</w:t></w:r></w:p></w:body></w:document>"#;
    let bytes = zip(&[
        ("[Content_Types].xml", b"<Types/>"),
        ("_rels/.rels", rels.as_bytes()),
        ("word/document.xml", document.as_bytes()),
    ]);
    assert_eq!(text_of(&blocks(&bytes)), "严格格式");
}

const NOTES: &str = r#"<w:footnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>
    <w:footnote w:type="continuationSeparator" w:id="0"><w:p><w:r><w:continuationSeparator/></w:r></w:p></w:footnote>
    <w:footnote w:id="1"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 第一个脚注。</w:t></w:r></w:p><w:p><w:r><w:t>第二段。</w:t></w:r></w:p></w:footnote>
    <w:footnote w:id="2"><w:p><w:r><w:footnoteRef/></w:r><w:r><w:t>未被引用。</w:t></w:r></w:p></w:footnote></w:footnotes>"#;

const ENDNOTES: &str = r#"<w:endnotes xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:endnote w:id="5"><w:p><w:r><w:endnoteRef/></w:r><w:r><w:t xml:space="preserve"> 尾注。</w:t></w:r></w:p></w:endnote></w:endnotes>"#;

#[test]
fn footnotes_and_endnotes_follow_the_body_marked_with_their_numbers() {
    let body = r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r><w:r><w:t>又一句</w:t></w:r><w:r><w:endnoteReference w:id="5"/></w:r></w:p>"#;
    let bytes = docx(
        body,
        &[("footnotes", "footnotes.xml", NOTES.as_bytes()), ("endnotes", "endnotes.xml", ENDNOTES.as_bytes())],
    );
    let b = blocks(&bytes);
    assert_eq!(text_of(&b), "正文[1]又一句[2]\n[1] 第一个脚注。\n第二段。\n[2] 尾注。");
    assert_eq!(b[1].kind, BlockKind::Note);
    assert_eq!(b[2].kind, BlockKind::Note);
}

const COMMENTS: &str = r#"<w:comments xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:comment w:id="0" w:author="张三" w:initials="ZS"><w:p><w:r><w:annotationRef/></w:r><w:r><w:t>请核实。</w:t></w:r></w:p></w:comment></w:comments>"#;

#[test]
fn comments_are_read_only_when_asked_for() {
    let body = r#"<w:p><w:commentRangeStart w:id="0"/><w:r><w:t>数据</w:t></w:r><w:commentRangeEnd w:id="0"/><w:r><w:commentReference w:id="0"/></w:r></w:p>"#;
    let bytes = docx(body, &[("comments", "comments.xml", COMMENTS.as_bytes())]);
    assert_eq!(text_of(&blocks(&bytes)), "数据");
    let with = blocks_with(&bytes, &Limits { comments: true, ..Limits::default() });
    assert_eq!(text_of(&with), "数据[ZS1]\n[ZS1] 请核实。");
    assert_eq!(with[1].kind, BlockKind::Note);
}

#[test]
fn headers_and_footers_are_read_only_when_asked_for_each_part_once() {
    let header = format!(r#"<w:hdr {NS}>{}</w:hdr>"#, p("某某文库 www.example.com"));
    let footer = format!(r#"<w:ftr {NS}>{}</w:ftr>"#, p("第 1 页"));
    // Two sections share the header part; the second names it again.
    let sect = r#"<w:sectPr><w:headerReference w:type="default" r:id="rId1"/><w:footerReference w:type="default" r:id="rId2"/></w:sectPr>"#;
    let body = format!(r#"<w:p><w:pPr>{sect}</w:pPr><w:r><w:t>第一节</w:t></w:r></w:p>{}{sect}"#, p("第二节"));
    let bytes =
        docx(&body, &[("header", "header1.xml", header.as_bytes()), ("footer", "footer1.xml", footer.as_bytes())]);
    assert_eq!(text_of(&blocks(&bytes)), "第一节\n第二节");
    let with = blocks_with(&bytes, &Limits { headers_footers: true, ..Limits::default() });
    assert_eq!(text_of(&with), "某某文库 www.example.com\n第一节\n第二节\n第 1 页");
    assert_eq!(with[0].kind, BlockKind::HeaderFooter);
    assert_eq!(with[3].kind, BlockKind::HeaderFooter);
}

#[test]
fn alt_chunk_parts_are_read_in_place() {
    let inner = docx(&p("嵌入的文档"), &[]);
    let body = format!(
        r#"{}<w:altChunk r:id="rId1"/>{}<w:altChunk r:id="rId2"/><w:altChunk r:id="rId3"/>{}"#,
        p("前"),
        p("中"),
        p("后")
    );
    let bytes = docx(
        &body,
        &[
            ("aFChunk", "chunk.docx", &inner),
            ("aFChunk", "chunk.html", "<html><body><p>网页段落</p></body></html>".as_bytes()),
            ("aFChunk", "chunk.txt", "纯文本".as_bytes()),
        ],
    );
    let text = text_of(&blocks(&bytes));
    let lines: Vec<&str> = text.lines().map(str::trim).filter(|l| !l.is_empty()).collect();
    assert_eq!(lines, ["前", "嵌入的文档", "中", "网页段落", "纯文本", "后"]);
}

const STYLE_NUMBERING: &str = r#"<w:numbering xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:abstractNum w:abstractNumId="7">
      <w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="1"/><w:suff w:val="nothing"/><w:lvlText w:val="第%1章"/></w:lvl>
      <w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:pStyle w:val="2"/><w:suff w:val="nothing"/><w:lvlText w:val="第%2节"/></w:lvl>
    </w:abstractNum>
    <w:num w:numId="3"><w:abstractNumId w:val="7"/></w:num></w:numbering>"#;

// Chinese Word names its heading styles 标题 1 with style ids "1", "2",
// and numbers chapters through the styles (`w:numPr` in the style, the
// level linked back by `w:lvl/w:pStyle`).
const STYLES: &str = r#"<w:styles xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main">
    <w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/></w:style>
    <w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:basedOn w:val="a"/><w:pPr><w:numPr><w:numId w:val="3"/></w:numPr><w:outlineLvl w:val="0"/></w:pPr></w:style>
    <w:style w:type="paragraph" w:styleId="2"><w:name w:val="标题 2"/><w:basedOn w:val="a"/><w:pPr><w:numPr><w:ilvl w:val="1"/><w:numId w:val="3"/></w:numPr></w:pPr></w:style>
    <w:style w:type="paragraph" w:styleId="Plain"><w:name w:val="Plain"/><w:basedOn w:val="1"/><w:pPr><w:numPr><w:numId w:val="0"/></w:numPr><w:outlineLvl w:val="9"/></w:pPr></w:style></w:styles>"#;

#[test]
fn numbering_set_through_paragraph_styles_counts_and_headings_keep_their_level() {
    let styled = |style: &str, text: &str| {
        format!(r#"<w:p><w:pPr><w:pStyle w:val="{style}"/></w:pPr><w:r><w:t>{text}</w:t></w:r></w:p>"#)
    };
    let body =
        [styled("1", "总则"), styled("2", "目的"), styled("2", "范围"), styled("Plain", "说明"), styled("1", "职责")]
            .concat();
    let bytes = docx(
        &body,
        &[("styles", "styles.xml", STYLES.as_bytes()), ("numbering", "numbering.xml", STYLE_NUMBERING.as_bytes())],
    );
    let b = blocks(&bytes);
    let got: Vec<(&str, Option<&str>, Option<u8>)> =
        b.iter().map(|b| (b.text.as_str(), b.list_label.as_deref(), b.heading_level)).collect();
    assert_eq!(
        got,
        [
            ("第一章总则", Some("第一章"), Some(1)),
            ("第一节目的", Some("第一节"), Some(2)),
            ("第二节范围", Some("第二节"), Some(2)),
            ("说明", None, None),
            ("第二章职责", Some("第二章"), Some(1)),
        ]
    );
}

#[test]
fn encrypted_office_files_are_refused_as_encrypted() {
    // An OLE compound file naming an EncryptedPackage stream (the names of
    // OLE streams are UTF-16LE), as Office writes password-protected files.
    let mut bytes = vec![0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];
    bytes.resize(512, 0);
    bytes.extend("EncryptedPackage".encode_utf16().flat_map(u16::to_le_bytes));
    bytes.extend("EncryptionInfo".encode_utf16().flat_map(u16::to_le_bytes));
    let err = extract(&bytes, &Limits::default()).expect_err("encrypted");
    assert!(matches!(err, ExtractError::Encrypted), "{err}");
    assert_eq!(err.to_string(), "encrypted document (password protected)");
}

#[test]
fn damaged_packages_give_specific_errors() {
    let damaged = error_of(b"PK\x03\x04 not really a zip");
    assert!(damaged.starts_with("not a zip archive: damaged zip directory"), "{damaged}");
    let wenku_docx = wenku::extract::docx::read(b"plain text", &Limits::default()).expect_err("not zip");
    assert_eq!(wenku_docx.to_string(), "not a zip archive");

    let no_main = zip(&[("hello.txt", b"hi")]);
    assert!(error_of(&no_main).starts_with("main part missing"), "{}", error_of(&no_main));

    let malformed = docx("<w:p><w:r><w:t>坏</w:r></w:p>", &[]);
    let message = error_of(&malformed);
    assert!(message.starts_with("malformed XML at word/document.xml:"), "{message}");

    // Flip a byte of the stored document so that its CRC no longer holds.
    let mut bad = docx(&p("校验和"), &[]);
    let at = bad.windows(9).position(|w| w == "校验和".as_bytes()).expect("stored text");
    bad[at] ^= 0x01;
    assert!(error_of(&bad).starts_with("zip member CRC mismatch"), "{}", error_of(&bad));
}

#[test]
fn a_truncated_package_is_read_through_its_local_headers() {
    // A download cut off before the zip's central directory.
    let mut bytes = docx(&p("截断的下载"), &[]);
    let directory = bytes.windows(4).position(|w| w == b"PK\x01\x02").expect("central directory");
    bytes.truncate(directory);
    let x = extract(&bytes, &Limits::default()).expect("salvaged");
    assert_eq!(text_of(&x.blocks), "截断的下载");
    assert_eq!(x.warnings, ["zip directory damaged: parts read from their local headers"]);
}

#[test]
fn a_damaged_optional_part_is_a_warning_not_an_error() {
    let body = r#"<w:p><w:r><w:t>正文</w:t></w:r><w:r><w:footnoteReference w:id="1"/></w:r></w:p>"#;
    let bytes = docx(
        body,
        &[("footnotes", "footnotes.xml", b"<w:footnotes><w:footnote>"), ("styles", "styles.xml", b"<w:styles><x></y>")],
    );
    let x = extract(&bytes, &Limits::default()).expect("body read");
    assert_eq!(text_of(&x.blocks), "正文[1]\n[1]");
    // Both damaged parts are named: the malformed styles, and the notes
    // part that stops inside its first note.
    assert_eq!(x.warnings.len(), 2, "{:?}", x.warnings);
    assert!(x.warnings[0].contains("styles.xml"), "{:?}", x.warnings);
    assert!(x.warnings[1].starts_with("word/footnotes.xml: ends with 2 element(s) still open"), "{:?}", x.warnings);
}

#[test]
fn nesting_beyond_the_limit_is_refused() {
    let body = "<w:sdt><w:sdtContent>".repeat(300) + &p("深") + &"</w:sdtContent></w:sdt>".repeat(300);
    let message = error_of(&docx(&body, &[]));
    assert!(message.contains("deeper than 256"), "{message}");
}
