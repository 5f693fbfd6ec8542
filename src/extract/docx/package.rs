//! The zip package: part lookup, relationships, bounded inflation.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::Event;

use super::DocxError;
use crate::extract::Limits;

/// An opened `.docx` package.
pub struct Package<'a> {
    /// The whole package.
    bytes: &'a [u8],
    archive: Archive<'a>,
    /// Lower-cased part name (no leading `/`, `\` turned into `/`) → index.
    names: HashMap<String, usize>,
    limits: Limits,
    /// Uncompressed bytes read so far, for the total limit.
    total: u64,
}

/// Where the members are found.
enum Archive<'a> {
    /// Through the zip's central directory.
    Directory(zip::ZipArchive<Cursor<&'a [u8]>>),
    /// The central directory is damaged (a truncated download, say): the
    /// members are found by walking their local headers from the start.
    LocalHeaders {
        bytes: &'a [u8],
        /// Offset of each member's local header.
        offsets: Vec<u64>,
    },
}

/// A member's stored bytes and what identifies its content.
#[derive(Debug, Clone, Copy)]
pub struct RawMember<'a> {
    /// The compressed data.
    pub data: &'a [u8],
    /// The compression method.
    pub method: zip::CompressionMethod,
    /// The CRC-32 of the uncompressed data.
    pub crc32: u32,
    /// The declared uncompressed size.
    pub size: u64,
}

/// Most members a package walked through its local headers may have.
const MAX_SALVAGED_MEMBERS: usize = 10_000;

fn normalise(name: &str) -> String {
    name.trim_start_matches('/').replace('\\', "/").to_lowercase()
}

impl<'a> Package<'a> {
    /// Opens the zip and indexes its part names. A zip whose central
    /// directory cannot be read is walked through its local headers
    /// instead ([`Package::salvaged`]).
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, DocxError> {
        if !bytes.starts_with(b"PK") {
            return Err(DocxError::NotZip);
        }
        let mut names = HashMap::new();
        let archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(zip) => {
                names.reserve(zip.len());
                for (i, name) in zip.file_names_raw().enumerate() {
                    names.insert(normalise(&String::from_utf8_lossy(name)), i);
                }
                Archive::Directory(zip)
            }
            Err(e) => {
                let offsets = walk_local_headers(bytes, &mut names);
                if offsets.is_empty() {
                    return Err(DocxError::CorruptZip(e.to_string()));
                }
                Archive::LocalHeaders { bytes, offsets }
            }
        };
        Ok(Self { bytes, archive, names, limits: limits.clone(), total: 0 })
    }

    /// True when the central directory was damaged and the members were
    /// found through their local headers.
    pub fn salvaged(&self) -> bool {
        matches!(self.archive, Archive::LocalHeaders { .. })
    }

    /// True when the package holds `name`.
    pub fn has(&self, name: &str) -> bool {
        self.names.contains_key(&normalise(name))
    }

    /// Reads an XML part as UTF-8 bytes (a UTF-16 part transcoded, a
    /// byte-order mark removed); `Ok(None)` when it is absent. The bytes
    /// are not validated here: the parsers go through `parse_xml`.
    pub fn read_xml(&mut self, name: &str) -> Result<Option<Vec<u8>>, DocxError> {
        let Some(xml) = self.read_bytes(name)?.map(xml_to_utf8) else {
            return Ok(None);
        };
        refuse_entities(&xml, name)?;
        Ok(Some(xml))
    }

    /// The compressed bytes of a member as stored, for recognising a part
    /// seen before without inflating it; `None` when the member is absent,
    /// or when the package was salvaged. The same checks as a read apply
    /// (encryption, declared size and compression ratio).
    pub fn raw_member(&mut self, name: &str) -> Result<Option<RawMember<'a>>, DocxError> {
        let Some(&index) = self.names.get(&normalise(name)) else {
            return Ok(None);
        };
        let limit = self.limits.max_part_bytes.min(self.limits.max_total_bytes.saturating_sub(self.total));
        let Archive::Directory(zip) = &mut self.archive else {
            return Ok(None);
        };
        let Ok(member) = zip.by_index_raw(index) else {
            return Ok(None);
        };
        if member.encrypted() {
            return Err(DocxError::Encrypted);
        }
        check_declared(name, member.size(), member.compressed_size(), limit, &self.limits)?;
        let (Some(start), Ok(len)) = (member.data_start(), usize::try_from(member.compressed_size())) else {
            return Ok(None);
        };
        let Some(data) = usize::try_from(start).ok().and_then(|s| self.bytes.get(s..s.checked_add(len)?)) else {
            return Ok(None);
        };
        Ok(Some(RawMember { data, method: member.compression(), crc32: member.crc32(), size: member.size() }))
    }

    /// Uncompressed bytes read so far (the total limit's count).
    pub fn total(&self) -> u64 {
        self.total
    }

    /// Counts `bytes` of a part that was recognised rather than read
    /// towards the total limit, as reading it would have.
    pub fn account(&mut self, bytes: u64) {
        self.total += bytes;
    }

    /// Reads a part's bytes; `Ok(None)` when it is absent.
    pub fn read_bytes(&mut self, name: &str) -> Result<Option<Vec<u8>>, DocxError> {
        let Some(&index) = self.names.get(&normalise(name)) else {
            return Ok(None);
        };
        let zip_error = |e: zip::result::ZipError| match e {
            zip::result::ZipError::UnsupportedArchive(msg) if msg.contains("ncrypt") || msg.contains("assword") => {
                DocxError::Encrypted
            }
            zip::result::ZipError::InvalidPassword => DocxError::Encrypted,
            other => DocxError::BadMember { part: format!("{name} ({other})") },
        };
        let limit = self.limits.max_part_bytes.min(self.limits.max_total_bytes.saturating_sub(self.total));
        let bytes = match &mut self.archive {
            Archive::Directory(zip) => match inflate_in_place(zip, self.bytes, index, name, limit, &self.limits) {
                Some(bytes) => bytes,
                None => {
                    let member = zip.by_index(index).map_err(zip_error)?;
                    inflate(member, name, limit, &self.limits)?
                }
            },
            Archive::LocalHeaders { bytes, offsets } => {
                let mut cursor = Cursor::new(*bytes);
                cursor.set_position(offsets.get(index).copied().unwrap_or(u64::MAX));
                let member = zip::read::read_zipfile_from_stream(&mut cursor)
                    .map_err(zip_error)?
                    .ok_or_else(|| DocxError::BadMember { part: name.to_string() })?;
                inflate(member, name, limit, &self.limits)?
            }
        };
        self.total += bytes.len() as u64;
        Ok(Some(bytes))
    }

    /// The main document part named by `_rels/.rels`, falling back to
    /// `word/document.xml`.
    pub fn main_part(&mut self) -> Result<String, DocxError> {
        if let Some(rels) = self.read_xml("_rels/.rels")? {
            for rel in parse_xml(&rels, |x| parse_rels(x, "_rels/.rels"))? {
                if rel.kind.ends_with("/officeDocument") && !rel.external {
                    let target = resolve("", &rel.target);
                    if self.has(&target) {
                        return Ok(target);
                    }
                }
            }
        }
        if self.has("word/document.xml") {
            return Ok("word/document.xml".to_string());
        }
        if self.has("[Content_Types].xml") {
            Err(DocxError::MainPartMissing("no officeDocument relationship and no word/document.xml".into()))
        } else {
            Err(DocxError::MainPartMissing("zip archive without [Content_Types].xml".into()))
        }
    }

    /// The first part related to `part` whose relationship type ends with
    /// `kind_suffix` (e.g. `/styles`, `/footnotes`).
    pub fn related_part(&mut self, part: &str, kind_suffix: &str) -> Option<String> {
        self.relationships(part).into_iter().find(|r| r.kind.ends_with(kind_suffix) && !r.external).map(|r| r.target)
    }

    /// The relationships of `part`, with targets resolved to part names.
    /// A missing or damaged `.rels` part gives none.
    pub fn relationships(&mut self, part: &str) -> Vec<Relationship> {
        let (dir, file) = part.rsplit_once('/').unwrap_or(("", part));
        let rels_name = if dir.is_empty() { format!("_rels/{file}.rels") } else { format!("{dir}/_rels/{file}.rels") };
        let Ok(Some(xml)) = self.read_xml(&rels_name) else {
            return Vec::new();
        };
        let mut rels = parse_xml(&xml, |x| parse_rels(x, &rels_name)).unwrap_or_default();
        for rel in &mut rels {
            if !rel.external {
                rel.target = resolve(dir, &rel.target);
            }
        }
        rels
    }
}

/// Inflates one member within the part limit, the total limit and the
/// compression-ratio limit; a CRC mismatch or bad data is `BadMember`.
fn inflate<R: Read>(
    mut member: zip::read::ZipFile<'_, R>,
    name: &str,
    limit: u64,
    limits: &Limits,
) -> Result<Vec<u8>, DocxError> {
    if member.encrypted() {
        return Err(DocxError::Encrypted);
    }
    let declared = member.size();
    check_declared(name, declared, member.compressed_size(), limit, limits)?;
    // A declared size is only a hint: a hostile one must not reserve
    // hundreds of megabytes up front.
    let mut bytes = Vec::with_capacity(declared.min(64 << 20) as usize);
    // The declared size may lie: never inflate past the limit.
    (&mut member)
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|_| DocxError::BadMember { part: name.to_string() })?;
    if bytes.len() as u64 > limit {
        return Err(DocxError::TooLarge {
            part: name.to_string(),
            size: bytes.len() as u64,
            why: format!("limit {limit} bytes (declared size was {declared})"),
        });
    }
    Ok(bytes)
}

/// Most a part may declare to be inflated in one call into a buffer of
/// that size; larger ones go through the reader, which grows its buffer as
/// data arrives.
const IN_PLACE_MAX: u64 = 64 << 20;

/// Inflates a deflated member straight from the package bytes into a
/// buffer of its declared size: no zeroing of the buffer (2-3% of
/// extraction) and no copies through the zip reader's layers. Only the
/// plain case is taken: `None` (anything unusual: another method,
/// encryption, a limit hit, a size or CRC that does not match, bad data)
/// sends the caller to [`inflate`], whose result and errors stay the
/// reference. Success here implies the same bytes there: same input
/// stream, the whole declared size, the CRC checked.
fn inflate_in_place(
    zip: &mut zip::ZipArchive<Cursor<&[u8]>>,
    bytes: &[u8],
    index: usize,
    name: &str,
    limit: u64,
    limits: &Limits,
) -> Option<Vec<u8>> {
    let member = zip.by_index_raw(index).ok()?;
    if member.encrypted() || member.compression() != zip::CompressionMethod::Deflated {
        return None;
    }
    let declared = member.size();
    if declared > IN_PLACE_MAX || check_declared(name, declared, member.compressed_size(), limit, limits).is_err() {
        return None;
    }
    let start = usize::try_from(member.data_start()?).ok()?;
    let len = usize::try_from(member.compressed_size()).ok()?;
    let data = bytes.get(start..start.checked_add(len)?)?;
    let crc32 = member.crc32();
    // One byte of room past the declared size: a stream that does not end
    // there is not the plain case.
    let mut out = Vec::with_capacity(declared as usize + 1);
    let mut inflater = flate2::Decompress::new(false);
    match inflater.decompress_vec(data, &mut out, flate2::FlushDecompress::Finish) {
        Ok(flate2::Status::StreamEnd) if out.len() as u64 == declared => {}
        _ => return None,
    }
    let mut crc = flate2::Crc::new();
    crc.update(&out);
    (crc.sum() == crc32).then_some(out)
}

/// Refuses a member whose declared size is above the limit or whose
/// compression ratio is that of a zip bomb.
fn check_declared(name: &str, declared: u64, compressed: u64, limit: u64, limits: &Limits) -> Result<(), DocxError> {
    let compressed = compressed.max(1);
    if declared > limit {
        return Err(DocxError::TooLarge {
            part: name.to_string(),
            size: declared,
            why: format!("limit {limit} bytes"),
        });
    }
    if declared / compressed > limits.max_ratio && declared > 1 << 20 {
        return Err(DocxError::TooLarge {
            part: name.to_string(),
            size: declared,
            why: format!("compression ratio {} above {}", declared / compressed, limits.max_ratio),
        });
    }
    Ok(())
}

/// Finds the members of a zip whose central directory is damaged by
/// walking the local headers from the start; stops at the central
/// directory, at the first damaged header, or after
/// [`MAX_SALVAGED_MEMBERS`].
fn walk_local_headers(bytes: &[u8], names: &mut HashMap<String, usize>) -> Vec<u64> {
    let mut cursor = Cursor::new(bytes);
    let mut offsets = Vec::new();
    while offsets.len() < MAX_SALVAGED_MEMBERS {
        let at = cursor.position();
        let Ok(Some(member)) = zip::read::read_zipfile_from_stream(&mut cursor) else {
            break;
        };
        // The first copy of a name wins, as it would in the directory.
        names.entry(normalise(&String::from_utf8_lossy(member.name_raw()))).or_insert(offsets.len());
        offsets.push(at);
        // Dropping the member skips its data.
        drop(member);
        if cursor.position() <= at {
            break;
        }
    }
    offsets
}

/// One relationship of a part.
#[derive(Debug, Clone)]
pub struct Relationship {
    /// `Id`.
    pub id: String,
    /// `Type` (a URI).
    pub kind: String,
    /// `Target`, resolved to a part name unless external.
    pub target: String,
    /// `TargetMode="External"`.
    pub external: bool,
}

/// Parts may be stored in UTF-16 (with a byte-order mark); everything else
/// is UTF-8, whose mark is dropped. Parts can be many megabytes: a UTF-8
/// buffer is taken over, not copied.
fn xml_to_utf8(mut bytes: Vec<u8>) -> Vec<u8> {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (enc, bom) = encoding_rs::Encoding::for_bom(&bytes).unwrap_or((encoding_rs::UTF_16LE, 2));
        return enc.decode_without_bom_handling(&bytes[bom..]).0.into_owned().into_bytes();
    }
    if bytes.starts_with(b"\xEF\xBB\xBF") {
        bytes.drain(..3);
    }
    bytes
}

/// Entities are never expanded nor fetched; a part that declares any
/// (billion laughs, external entities) is refused outright.
fn refuse_entities(xml: &[u8], name: &str) -> Result<(), DocxError> {
    let head = &xml[..xml.len().min(1 << 16)];
    let declares = |what: &[u8]| memchr::memmem::find(head, what).is_some();
    if declares(b"<!DOCTYPE") && declares(b"<!ENTITY") {
        return Err(DocxError::Entities { part: name.to_string() });
    }
    Ok(())
}

/// Parses an XML part with `parse`. quick-xml checks that every piece it
/// reads is UTF-8, so the part is not validated beforehand (that was a
/// second pass over every byte); a part with invalid bytes fails to parse
/// and is parsed again with them replaced by U+FFFD, as a lenient reader
/// should.
pub fn parse_xml<T>(xml: &[u8], parse: impl Fn(&[u8]) -> Result<T, DocxError>) -> Result<T, DocxError> {
    match parse(xml) {
        Err(_) if std::str::from_utf8(xml).is_err() => parse(String::from_utf8_lossy(xml).as_bytes()),
        done => done,
    }
}

/// Resolves a relationship target against the source part's folder.
fn resolve(base_dir: &str, target: &str) -> String {
    let target = target.replace('\\', "/");
    let mut parts: Vec<&str> =
        if target.starts_with('/') { Vec::new() } else { base_dir.split('/').filter(|s| !s.is_empty()).collect() };
    for seg in target.split('/') {
        match seg {
            "" | "." => {}
            ".." => {
                parts.pop();
            }
            s => parts.push(s),
        }
    }
    parts.join("/")
}

fn parse_rels(xml: &[u8], part: &str) -> Result<Vec<Relationship>, DocxError> {
    let mut reader = quick_xml::Reader::from_reader(xml);
    let mut out = Vec::new();
    loop {
        match reader.read_event() {
            Ok(Event::Start(e) | Event::Empty(e)) if e.local_name().as_ref() == "Relationship" => {
                let mut rel =
                    Relationship { id: String::new(), kind: String::new(), target: String::new(), external: false };
                for attr in e.attributes().flatten() {
                    let value = attr
                        .normalized_value(quick_xml::XmlVersion::Implicit1_0)
                        .map(|v| v.into_owned())
                        .unwrap_or_default();
                    match attr.key.local_name().as_ref() {
                        "Id" => rel.id = value,
                        "Type" => rel.kind = value,
                        "Target" => rel.target = value,
                        "TargetMode" => rel.external = value.eq_ignore_ascii_case("external"),
                        _ => {}
                    }
                }
                out.push(rel);
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(DocxError::malformed(part, &reader, e));
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn invalid_bytes_are_replaced_not_fatal() {
        let xml = b"<r><Relationship Id=\"r\xFF1\" Type=\"t\" Target=\"a.xml\"/></r>";
        let rels = parse_xml(xml, |x| parse_rels(x, "x.rels")).unwrap();
        assert_eq!(rels[0].id, "r\u{FFFD}1");
        assert_eq!(xml_to_utf8(b"\xEF\xBB\xBF<a/>".to_vec()), b"<a/>");
    }

    #[test]
    fn targets_resolve_against_the_source_folder() {
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve("", "/word/document2.xml"), "word/document2.xml");
        assert_eq!(resolve("word", "styles.xml"), "word/styles.xml");
        assert_eq!(resolve("word", "../customXml/item1.xml"), "customXml/item1.xml");
    }
}
