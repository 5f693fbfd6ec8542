//! JSON writing, byte for byte as `serde_json` writes it, with a faster
//! string escape.
//!
//! Records are mostly text, and a batch writes each text as JSON several
//! times: in the JSONL tables, the nested `json/` files and the resume
//! journal, as an essay's and as its sections'. `serde_json` looks up every
//! byte of a string in a table; this writer checks sixteen bytes at a time
//! (eight where there is no SSE2) for the few that need escaping (`"`, `\`
//! and control characters), which made string escaping 2.7 times cheaper
//! (callgrind, eight at a time) on the writer thread, the one part of a
//! batch that does not run in parallel.
//! Everything else (numbers, the layout of compact and pretty output) is
//! written as `serde_json` writes it, and the tests compare the two on
//! real records.

use std::io::{self, Write};

use serde::ser::{self, Serialize};

use crate::text::byte_mask16;

/// Writes `value` as compact JSON (what `serde_json::to_writer` writes).
pub fn to_writer<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> Result<(), serde_json::Error> {
    value.serialize(&mut Json { out, indent: None, depth: 0 })
}

/// Writes `value` as JSON indented by two spaces (what
/// `serde_json::to_writer_pretty` writes).
pub fn to_writer_pretty<W: Write, T: Serialize + ?Sized>(out: W, value: &T) -> Result<(), serde_json::Error> {
    value.serialize(&mut Json { out, indent: Some(b"  "), depth: 0 })
}

/// Appends `s` as a JSON string (quoted and escaped) to `out`.
pub fn write_str<W: Write + ?Sized>(out: &mut W, s: &str) -> io::Result<()> {
    out.write_all(b"\"")?;
    let bytes = s.as_bytes();
    let mut run = 0;
    let mut i = 0;
    // Sixteen bytes at a time, where a vector compare marks exactly the
    // bytes to escape; then eight, then one.
    while let Some(chunk) = bytes.get(i..i + 16) {
        let mut mask = byte_mask16(chunk.try_into().expect("sixteen bytes"), ESCAPED);
        while mask != 0 {
            let at = i + mask.trailing_zeros() as usize;
            if let Some(escape) = escape(bytes[at]) {
                out.write_all(&bytes[run..at])?;
                out.write_all(escape)?;
                run = at + 1;
            }
            mask &= mask - 1;
        }
        i += 16;
    }
    while let Some(chunk) = bytes.get(i..i + 8) {
        let mask = escape_mask(u64::from_le_bytes(chunk.try_into().expect("eight bytes")));
        if mask == 0 {
            i += 8;
            continue;
        }
        let at = i + (mask.trailing_zeros() / 8) as usize;
        if let Some(escape) = escape(bytes[at]) {
            out.write_all(&bytes[run..at])?;
            out.write_all(escape)?;
            run = at + 1;
        }
        i = at + 1;
    }
    for (at, &b) in bytes.iter().enumerate().skip(i) {
        if let Some(escape) = escape(b) {
            out.write_all(&bytes[run..at])?;
            out.write_all(escape)?;
            run = at + 1;
        }
    }
    out.write_all(&bytes[run..])?;
    out.write_all(b"\"")
}

/// The bytes a JSON string escapes: controls, `"` and `\`.
const ESCAPED: &[(u8, u8)] = &[(0x00, 0x1F), (b'"', b'"'), (b'\\', b'\\')];

/// The high bit of every byte of `word` (little-endian) that is below
/// 0x20, `"` or `\`, and perhaps of bytes after the first such byte: the
/// classic test for a zero byte (subtracting one borrows into the high
/// bit of a byte that was zero; `!word` leaves out bytes of 0x80 and
/// more) may also mark a byte that a borrow reached. The lowest mark is
/// always a byte that needs escaping.
fn escape_mask(word: u64) -> u64 {
    const ONES: u64 = 0x0101_0101_0101_0101;
    const HIGH: u64 = 0x8080_8080_8080_8080;
    let below_space = word.wrapping_sub(ONES * 0x20) & !word;
    let quote = word ^ (ONES * u64::from(b'"'));
    let backslash = word ^ (ONES * u64::from(b'\\'));
    let has_quote = quote.wrapping_sub(ONES) & !quote;
    let has_backslash = backslash.wrapping_sub(ONES) & !backslash;
    (below_space | has_quote | has_backslash) & HIGH
}

/// `\u00XX` for every control character, as `serde_json` writes them.
static CONTROL: [[u8; 6]; 32] = {
    let hex = b"0123456789abcdef";
    let mut table = [[0u8; 6]; 32];
    let mut b = 0;
    while b < 32 {
        table[b] = [b'\\', b'u', b'0', b'0', hex[b >> 4], hex[b & 0xF]];
        b += 1;
    }
    table
};

/// How `b` is written inside a JSON string, when not as itself.
fn escape(b: u8) -> Option<&'static [u8]> {
    Some(match b {
        b'"' => b"\\\"",
        b'\\' => b"\\\\",
        0x08 => b"\\b",
        0x09 => b"\\t",
        0x0A => b"\\n",
        0x0C => b"\\f",
        0x0D => b"\\r",
        0..0x20 => &CONTROL[b as usize],
        _ => return None,
    })
}

/// An I/O result as the JSON writer's error type.
fn io_error(result: io::Result<()>) -> Result<(), serde_json::Error> {
    result.map_err(serde_json::Error::io)
}

struct Json<W> {
    out: W,
    /// `None` for compact output.
    indent: Option<&'static [u8]>,
    depth: usize,
}

impl<W: Write> Json<W> {
    /// A value written by `serde_json` itself (numbers and other scalars,
    /// so their form is exactly its own).
    fn scalar<T: Serialize>(&mut self, value: T) -> Result<(), serde_json::Error> {
        serde_json::to_writer(&mut self.out, &value)
    }

    fn newline(&mut self) -> io::Result<()> {
        if let Some(indent) = self.indent {
            self.out.write_all(b"\n")?;
            for _ in 0..self.depth {
                self.out.write_all(indent)?;
            }
        }
        Ok(())
    }

    fn open(&mut self, bracket: &'static [u8], close: &'static [u8]) -> Result<Compound<'_, W>, serde_json::Error> {
        let r = self.out.write_all(bracket);
        io_error(r)?;
        self.depth += 1;
        Ok(Compound { json: self, first: true, close })
    }
}

/// An array or object being written.
struct Compound<'a, W> {
    json: &'a mut Json<W>,
    first: bool,
    close: &'static [u8],
}

impl<W: Write> Compound<'_, W> {
    fn item(&mut self) -> Result<(), serde_json::Error> {
        let r = (|| {
            if !self.first {
                self.json.out.write_all(b",")?;
            }
            self.json.newline()
        })();
        self.first = false;
        io_error(r)
    }

    fn key(&mut self, key: &str) -> Result<(), serde_json::Error> {
        self.item()?;
        let sep: &[u8] = if self.json.indent.is_some() { b": " } else { b":" };
        let r = write_str(&mut self.json.out, key).and_then(|()| self.json.out.write_all(sep));
        io_error(r)
    }

    fn close(self) -> Result<(), serde_json::Error> {
        self.json.depth -= 1;
        let r = (|| {
            if !self.first {
                self.json.newline()?;
            }
            self.json.out.write_all(self.close)
        })();
        io_error(r)
    }
}

fn unsupported(what: &str) -> serde_json::Error {
    serde_json::Error::io(io::Error::other(format!("the JSON writer does not write {what}")))
}

impl<'a, W: Write> ser::Serializer for &'a mut Json<W> {
    type Ok = ();
    type Error = serde_json::Error;
    type SerializeSeq = Compound<'a, W>;
    type SerializeTuple = Compound<'a, W>;
    type SerializeTupleStruct = Compound<'a, W>;
    type SerializeTupleVariant = ser::Impossible<(), serde_json::Error>;
    type SerializeMap = ser::Impossible<(), serde_json::Error>;
    type SerializeStruct = Compound<'a, W>;
    type SerializeStructVariant = ser::Impossible<(), serde_json::Error>;

    fn serialize_bool(self, v: bool) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_i8(self, v: i8) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_i16(self, v: i16) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_i32(self, v: i32) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_i64(self, v: i64) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_u8(self, v: u8) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_u16(self, v: u16) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_u32(self, v: u32) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_u64(self, v: u64) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_f32(self, v: f32) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_f64(self, v: f64) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_char(self, v: char) -> Result<(), Self::Error> {
        self.serialize_str(v.encode_utf8(&mut [0; 4]))
    }
    fn serialize_str(self, v: &str) -> Result<(), Self::Error> {
        let r = write_str(&mut self.out, v);
        io_error(r)
    }
    fn serialize_bytes(self, v: &[u8]) -> Result<(), Self::Error> {
        self.scalar(v)
    }
    fn serialize_none(self) -> Result<(), Self::Error> {
        self.serialize_unit()
    }
    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Self::Error> {
        value.serialize(self)
    }
    fn serialize_unit(self) -> Result<(), Self::Error> {
        let r = self.out.write_all(b"null");
        io_error(r)
    }
    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Self::Error> {
        self.serialize_unit()
    }
    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Self::Error> {
        self.serialize_str(variant)
    }
    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Self::Error> {
        value.serialize(self)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _value: &T,
    ) -> Result<(), Self::Error> {
        Err(unsupported("enum variants with data"))
    }
    fn serialize_seq(self, _len: Option<usize>) -> Result<Self::SerializeSeq, Self::Error> {
        self.open(b"[", b"]")
    }
    fn serialize_tuple(self, len: usize) -> Result<Self::SerializeTuple, Self::Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_struct(
        self,
        _name: &'static str,
        len: usize,
    ) -> Result<Self::SerializeTupleStruct, Self::Error> {
        self.serialize_seq(Some(len))
    }
    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeTupleVariant, Self::Error> {
        Err(unsupported("enum variants with data"))
    }
    fn serialize_map(self, _len: Option<usize>) -> Result<Self::SerializeMap, Self::Error> {
        Err(unsupported("maps"))
    }
    fn serialize_struct(self, _name: &'static str, _len: usize) -> Result<Self::SerializeStruct, Self::Error> {
        self.open(b"{", b"}")
    }
    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        _variant: &'static str,
        _len: usize,
    ) -> Result<Self::SerializeStructVariant, Self::Error> {
        Err(unsupported("enum variants with data"))
    }
}

impl<W: Write> ser::SerializeSeq for Compound<'_, W> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        self.item()?;
        value.serialize(&mut *self.json)
    }
    fn end(self) -> Result<(), Self::Error> {
        self.close()
    }
}

impl<W: Write> ser::SerializeTuple for Compound<'_, W> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Self::Error> {
        self.close()
    }
}

impl<W: Write> ser::SerializeTupleStruct for Compound<'_, W> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Self::Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<(), Self::Error> {
        self.close()
    }
}

impl<W: Write> ser::SerializeStruct for Compound<'_, W> {
    type Ok = ();
    type Error = serde_json::Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, key: &'static str, value: &T) -> Result<(), Self::Error> {
        self.key(key)?;
        value.serialize(&mut *self.json)
    }
    fn end(self) -> Result<(), Self::Error> {
        self.close()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::output::nested::NestedDocument;
    use crate::output::records::{Records, SourceInfo};

    fn compact<T: Serialize>(value: &T) -> String {
        let mut out = Vec::new();
        to_writer(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    fn pretty<T: Serialize>(value: &T) -> String {
        let mut out = Vec::new();
        to_writer_pretty(&mut out, value).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn strings_are_escaped_as_serde_json_escapes_them() {
        // Every ASCII character at every offset of a sixteen-byte and an
        // eight-byte chunk and in the tail, next to multi-byte characters.
        let mut cases: Vec<String> = Vec::new();
        for b in 0u8..0x80 {
            let c = char::from(b);
            for pad in 0..40 {
                cases.push(format!("{}{c}中文", "a".repeat(pad)));
                cases.push(format!("{}{c}{c}", "文".repeat(pad)));
            }
        }
        cases.push(String::new());
        cases.push("\"\\\u{1f}\u{7f}\u{2028}\u{0}".repeat(5));
        cases.push("第一章 总则\n一、目的\r\n\t（一）适用范围".to_string());
        for s in &cases {
            assert_eq!(compact(s), serde_json::to_string(s).unwrap(), "{s:?}");
        }
    }

    /// The vector mask marks exactly the bytes that are escaped: every byte
    /// value at every place, among bytes of every kind.
    #[test]
    fn the_sixteen_byte_mask_marks_the_escaped_bytes() {
        for background in [b'a', b'"', 0x00, 0x1F, 0x20, 0x7F, 0x80, 0xE6, 0xFF] {
            for at in 0..16 {
                for b in 0..=255u8 {
                    let mut chunk = [background; 16];
                    chunk[at] = b;
                    let escaped = chunk.iter().enumerate().filter(|(_, b)| escape(**b).is_some());
                    let want = escaped.fold(0, |m, (i, _)| m | 1 << i);
                    assert_eq!(byte_mask16(&chunk, ESCAPED), want, "{background:#x} {b:#x} at {at}");
                }
            }
        }
    }

    #[test]
    fn records_are_written_as_serde_json_writes_them() {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures");
        let inputs = ["dumps/01_taowenge_qiyepeixun.txt", "seed/seed.libreoffice.docx", "docx/cn_outline.docx"];
        let opts = crate::Options::default();
        for name in inputs {
            let bytes = std::fs::read(dir.join(name)).unwrap();
            let info = SourceInfo { doc_id: "0123456789abcdef".into(), source: name.into(), bytes: 1, sha256: None };
            let doc = crate::convert::convert_bytes(&bytes, &opts).unwrap();
            let records = Records::converted(&info, &doc);
            assert!(!records.sections.is_empty(), "{name}: a test of nested sections needs sections");
            let failed = Records::failed(&info, "bad \"zip\"\n");
            for r in [&records, &failed] {
                assert_eq!(compact(r), serde_json::to_string(r).unwrap(), "{name}");
                let nested = NestedDocument::new(r);
                assert_eq!(pretty(&nested), serde_json::to_string_pretty(&nested).unwrap(), "{name}");
                assert_eq!(compact(&nested), serde_json::to_string(&nested).unwrap(), "{name}");
            }
        }
        // Empty arrays and objects, nested, as serde_json lays them out.
        #[derive(serde::Serialize)]
        struct Empty {}
        let value = (Vec::<u8>::new(), Empty {}, vec![vec![Vec::<u8>::new()]], Some(1.5f64), None::<u8>, 'x');
        assert_eq!(pretty(&value), serde_json::to_string_pretty(&value).unwrap());
        assert_eq!(compact(&value), serde_json::to_string(&value).unwrap());
    }
}
