//! The zip package: part lookup, relationships, bounded inflation.

use std::collections::HashMap;
use std::io::{Cursor, Read};

use quick_xml::events::Event;

use super::DocxError;
use crate::extract::Limits;

/// An opened `.docx` package.
pub struct Package<'a> {
    zip: zip::ZipArchive<Cursor<&'a [u8]>>,
    /// Lower-cased part name (no leading `/`, `\` turned into `/`) → index.
    names: HashMap<String, usize>,
    limits: Limits,
    /// Uncompressed bytes read so far, for the total limit.
    total: u64,
}

fn normalise(name: &str) -> String {
    name.trim_start_matches('/').replace('\\', "/").to_lowercase()
}

impl<'a> Package<'a> {
    /// Opens the zip and indexes its part names.
    pub fn open(bytes: &'a [u8], limits: &Limits) -> Result<Self, DocxError> {
        if !bytes.starts_with(b"PK") {
            return Err(DocxError::NotZip);
        }
        let zip = zip::ZipArchive::new(Cursor::new(bytes)).map_err(|e| DocxError::CorruptZip(e.to_string()))?;
        let mut names = HashMap::with_capacity(zip.len());
        for (i, name) in zip.file_names_raw().enumerate() {
            names.insert(normalise(&String::from_utf8_lossy(name)), i);
        }
        Ok(Self { zip, names, limits: limits.clone(), total: 0 })
    }

    /// True when the package holds `name`.
    pub fn has(&self, name: &str) -> bool {
        self.names.contains_key(&normalise(name))
    }

    /// Reads a part as UTF-8 XML text; `Ok(None)` when it is absent.
    pub fn read_xml(&mut self, name: &str) -> Result<Option<String>, DocxError> {
        let Some(&index) = self.names.get(&normalise(name)) else {
            return Ok(None);
        };
        let mut member = self.zip.by_index(index).map_err(|e| match e {
            zip::result::ZipError::UnsupportedArchive(msg) if msg.contains("ncrypt") || msg.contains("assword") => {
                DocxError::Encrypted
            }
            zip::result::ZipError::InvalidPassword => DocxError::Encrypted,
            other => DocxError::CorruptZip(format!("{name}: {other}")),
        })?;
        if member.encrypted() {
            return Err(DocxError::Encrypted);
        }
        let declared = member.size();
        let compressed = member.compressed_size().max(1);
        let limit = self.limits.max_part_bytes.min(self.limits.max_total_bytes.saturating_sub(self.total));
        if declared > limit {
            return Err(DocxError::TooLarge {
                part: name.to_string(),
                size: declared,
                why: format!("limit {limit} bytes"),
            });
        }
        if declared / compressed > self.limits.max_ratio && declared > 1 << 20 {
            return Err(DocxError::TooLarge {
                part: name.to_string(),
                size: declared,
                why: format!("compression ratio {} above {}", declared / compressed, self.limits.max_ratio),
            });
        }
        let mut bytes = Vec::with_capacity(declared as usize);
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
        self.total += bytes.len() as u64;
        Ok(Some(xml_to_string(bytes)))
    }

    /// The main document part named by `_rels/.rels`, falling back to
    /// `word/document.xml`.
    pub fn main_part(&mut self) -> Result<String, DocxError> {
        if let Some(rels) = self.read_xml("_rels/.rels")? {
            for rel in parse_rels(&rels, "_rels/.rels")? {
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
        let mut rels = parse_rels(&xml, &rels_name).unwrap_or_default();
        for rel in &mut rels {
            if !rel.external {
                rel.target = resolve(dir, &rel.target);
            }
        }
        rels
    }
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
/// is UTF-8. Invalid bytes are replaced rather than failing the document.
fn xml_to_string(bytes: Vec<u8>) -> String {
    if bytes.starts_with(&[0xFF, 0xFE]) || bytes.starts_with(&[0xFE, 0xFF]) {
        let (enc, bom) = encoding_rs::Encoding::for_bom(&bytes).unwrap_or((encoding_rs::UTF_16LE, 2));
        return enc.decode_without_bom_handling(&bytes[bom..]).0.into_owned();
    }
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(&bytes);
    match std::str::from_utf8(body) {
        Ok(s) => s.to_string(),
        Err(_) => String::from_utf8_lossy(body).into_owned(),
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

fn parse_rels(xml: &str, part: &str) -> Result<Vec<Relationship>, DocxError> {
    let mut reader = quick_xml::Reader::from_str(xml);
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
            Ok(Event::DocType(_)) => {
                return Err(DocxError::Dtd { part: part.to_string() });
            }
            Ok(Event::Eof) => break,
            Ok(_) => {}
            Err(e) => {
                return Err(DocxError::MalformedXml {
                    part: part.to_string(),
                    offset: reader.error_position(),
                    message: e.to_string(),
                });
            }
        }
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn targets_resolve_against_the_source_folder() {
        assert_eq!(resolve("", "word/document.xml"), "word/document.xml");
        assert_eq!(resolve("", "/word/document2.xml"), "word/document2.xml");
        assert_eq!(resolve("word", "styles.xml"), "word/styles.xml");
        assert_eq!(resolve("word", "../customXml/item1.xml"), "customXml/item1.xml");
    }
}
