//! Telling what a file is from its first bytes, not from its name.

/// What the bytes of a source look like.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Sniffed {
    /// No bytes at all (or only white space).
    Empty,
    /// A zip container (`.docx` and other Office Open XML files, or a plain
    /// archive).
    Zip,
    /// An OLE compound file holding an encrypted Office Open XML package
    /// (a password-protected `.docx`).
    EncryptedOffice,
    /// An OLE compound file holding a legacy Word document (`.doc`).
    LegacyWord,
    /// Another OLE compound file (`.xls`, `.ppt` …).
    OtherOle,
    /// A PDF file.
    Pdf,
    /// An RTF document.
    Rtf,
    /// An HTML page (read as text, tags removed).
    Html,
    /// Other images and binaries recognised by their magic numbers.
    Binary(&'static str),
    /// Anything else: treated as text and decoded.
    Text,
}

const OLE_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

/// Sniffs `bytes`.
pub fn sniff(bytes: &[u8]) -> Sniffed {
    if bytes.iter().all(|b| b.is_ascii_whitespace()) {
        return Sniffed::Empty;
    }
    if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") || bytes.starts_with(b"PK\x07\x08") {
        return Sniffed::Zip;
    }
    if bytes.starts_with(OLE_MAGIC) {
        return sniff_ole(bytes);
    }
    // Readers accept a PDF header anywhere in the first kilobyte.
    if memchr::memmem::find(&bytes[..bytes.len().min(1024)], b"%PDF-").is_some() {
        return Sniffed::Pdf;
    }
    if bytes.starts_with(b"{\\rtf") {
        return Sniffed::Rtf;
    }
    for (magic, what) in [
        (&b"\x89PNG"[..], "PNG image"),
        (&b"\xFF\xD8\xFF"[..], "JPEG image"),
        (&b"GIF8"[..], "GIF image"),
        (&b"\x1F\x8B"[..], "gzip archive"),
        (&b"Rar!"[..], "RAR archive"),
        (&b"7z\xBC\xAF"[..], "7-Zip archive"),
        (&b"\x7FELF"[..], "executable"),
        (&b"MZ"[..], "Windows executable"),
    ] {
        if bytes.starts_with(magic) {
            return Sniffed::Binary(what);
        }
    }
    if looks_like_html(bytes) {
        return Sniffed::Html;
    }
    Sniffed::Text
}

fn looks_like_html(bytes: &[u8]) -> bool {
    let head = &bytes[..bytes.len().min(1024)];
    // UTF-16 pages: their ASCII markup is every other byte.
    let narrowed: Vec<u8>;
    let head = if head.starts_with(&[0xFF, 0xFE]) || head.starts_with(&[0xFE, 0xFF]) {
        let skip = usize::from(head[0] == 0xFE);
        narrowed = head[2..].iter().skip(skip).step_by(2).copied().collect();
        &narrowed[..]
    } else {
        head
    };
    let start =
        head.iter().position(|b| !b.is_ascii_whitespace() && !matches!(b, 0xEF | 0xBB | 0xBF)).unwrap_or(head.len());
    let head = head[start..].to_ascii_lowercase();
    const STARTS: [&[u8]; 6] = [b"<!doctype html", b"<html", b"<head", b"<body", b"<meta ", b"<title>"];
    if STARTS.iter().any(|s| head.starts_with(s)) {
        return true;
    }
    // XHTML, and pages that open with a comment.
    (head.starts_with(b"<?xml") || head.starts_with(b"<!--")) && memchr::memmem::find(&head, b"<html").is_some()
}

/// Looks for the names of the streams that tell the OLE kinds apart. The
/// directory entries store names in UTF-16LE, so the bytes are searched for
/// in that form (a full CFB parse is not needed to tell them apart).
fn sniff_ole(bytes: &[u8]) -> Sniffed {
    let contains = |name: &str| {
        let needle: Vec<u8> = name.encode_utf16().flat_map(|u| u.to_le_bytes()).collect();
        memchr::memmem::find(bytes, &needle).is_some()
    };
    if contains("EncryptedPackage") || contains("EncryptionInfo") {
        Sniffed::EncryptedOffice
    } else if contains("WordDocument") {
        Sniffed::LegacyWord
    } else {
        Sniffed::OtherOle
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn magic_numbers() {
        assert_eq!(sniff(b""), Sniffed::Empty);
        assert_eq!(sniff(b" \n\t"), Sniffed::Empty);
        assert_eq!(sniff(b"PK\x03\x04rest"), Sniffed::Zip);
        assert_eq!(sniff(b"%PDF-1.7"), Sniffed::Pdf);
        assert_eq!(sniff(b"{\\rtf1\\ansi"), Sniffed::Rtf);
        assert_eq!(sniff(b"\n<!DOCTYPE HTML><p>x"), Sniffed::Html);
        assert_eq!(sniff(b"<!-- saved from url --><html><p>x"), Sniffed::Html);
        assert_eq!(sniff(b"<?xml version=\"1.0\"?><!DOCTYPE html><html>"), Sniffed::Html);
        let utf16: Vec<u8> =
            [0xFF, 0xFE].into_iter().chain("<html><p>文</p>".encode_utf16().flat_map(u16::to_le_bytes)).collect();
        assert_eq!(sniff(&utf16), Sniffed::Html);
        let be: Vec<u8> = [0xFE, 0xFF].into_iter().chain("<html>".encode_utf16().flat_map(u16::to_be_bytes)).collect();
        assert_eq!(sniff(&be), Sniffed::Html);
        assert_eq!(sniff(b"\r\n\x00junk\n%PDF-1.4\n"), Sniffed::Pdf);
        assert_eq!(sniff("<b>粗体</b>不是网页".as_bytes()), Sniffed::Text);
        assert_eq!(sniff("《标题》由会员分享".as_bytes()), Sniffed::Text);
    }

    #[test]
    fn ole_kinds_by_stream_names() {
        let mut enc = OLE_MAGIC.to_vec();
        enc.extend("EncryptedPackage".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(sniff(&enc), Sniffed::EncryptedOffice);
        let mut doc = OLE_MAGIC.to_vec();
        doc.extend("WordDocument".encode_utf16().flat_map(|u| u.to_le_bytes()));
        assert_eq!(sniff(&doc), Sniffed::LegacyWord);
    }
}
