//! Zip bomb checks, made on an archive's central directory before any
//! member is inflated. Shared by dump archives (`source`) and `.docx`
//! packages (`extract`), so both refuse the same tricks with the same
//! words.
//!
//! What is refused:
//! * more members than allowed (the directory alone can be large);
//! * members whose compressed data overlap (one deflate stream listed many
//!   times: an archive of kilobytes that inflates to terabytes);
//! * a member above 1 MiB whose declared size is more than `max_ratio`
//!   times its compressed size ([`member_problem`]), and a whole archive
//!   whose declared total is more than `max_ratio` times its size on disk;
//! * a declared total above `max_total`, when the caller sets one.
//!
//! Declared sizes may lie; readers must still stop inflating at their
//! limit ([`bounded_read`]).

use std::io::{Read, Seek};

use super::SourceError;

/// Members smaller than this are never refused for their ratio: small XML
/// parts compress very well without being bombs.
pub const RATIO_FLOOR: u64 = 1 << 20;

/// The limits checked by [`check`].
#[derive(Debug, Clone, Copy)]
pub struct ZipLimits {
    /// Most members in the archive.
    pub max_members: usize,
    /// Largest ratio of uncompressed to compressed size of each member and
    /// of the whole archive, if any.
    pub max_ratio: Option<u64>,
    /// Largest declared total of uncompressed sizes, if any.
    pub max_total: Option<u64>,
}

/// Checks the directory of `zip` (an archive of `archive_len` bytes)
/// against `limits`: member count, overlapping members, then, when
/// `max_ratio` is set, each member's ratio ([`member_problem`]) and the
/// whole archive's, then the declared total.
pub fn check<R: Read + Seek>(
    zip: &mut zip::ZipArchive<R>,
    archive_len: u64,
    limits: &ZipLimits,
) -> Result<(), SourceError> {
    if zip.len() > limits.max_members {
        return Err(SourceError::TooManyMembers { count: zip.len(), limit: limits.max_members });
    }
    // Reads one local header per member; the most specific sign of a bomb.
    match zip.has_overlapping_files() {
        Ok(false) => {}
        Ok(true) => return Err(SourceError::Bomb("members share or overlap their compressed data".into())),
        Err(e) => return Err(SourceError::BadArchive(e.to_string())),
    }
    let mut total = 0u64;
    for index in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(index) else {
            continue;
        };
        let (size, compressed) = (entry.size(), entry.compressed_size());
        total = total.saturating_add(size);
        if let Some(ratio) = limits.max_ratio
            && let Some(problem) = member_problem(&String::from_utf8_lossy(entry.name_raw()), size, compressed, ratio)
        {
            return Err(problem);
        }
    }
    if let Some(ratio) = limits.max_ratio
        && total > RATIO_FLOOR
        && total / archive_len.max(1) > ratio
    {
        return Err(SourceError::Bomb(format!(
            "members declare {total} bytes from a {archive_len}-byte archive (ratio above {ratio}; raise it with \
             --max-zip-ratio)"
        )));
    }
    if let Some(limit) = limits.max_total
        && total > limit
    {
        return Err(SourceError::TooLarge { size: total, limit, flag: "--max-zip-total" });
    }
    Ok(())
}

/// Why one member (declaring `size` bytes from `compressed`) is refused,
/// if it is: more than 1 MiB at a ratio above `max_ratio`.
pub fn member_problem(name: &str, size: u64, compressed: u64, max_ratio: u64) -> Option<SourceError> {
    (size > RATIO_FLOOR && size / compressed.max(1) > max_ratio).then(|| {
        SourceError::Bomb(format!(
            "member {name} declares {size} bytes from {compressed} compressed (ratio above {max_ratio}; raise it \
             with --max-zip-ratio)"
        ))
    })
}

/// Reads at most `limit` bytes from `reader`, failing when there is more:
/// the declared size of a zip member may lie, so inflation is always cut
/// at the limit. `ratio_cap` is the most bytes the member may inflate to
/// for its compressed size.
pub fn bounded_read(
    reader: impl Read,
    size_hint: u64,
    limit: u64,
    ratio_cap: u64,
    flag_for_limit: &'static str,
) -> Result<Vec<u8>, SourceError> {
    let cap = limit.min(ratio_cap);
    let mut bytes = Vec::with_capacity(size_hint.min(cap).min(64 << 20) as usize);
    reader.take(cap.saturating_add(1)).read_to_end(&mut bytes).map_err(|e| SourceError::BadMember(e.to_string()))?;
    let got = bytes.len() as u64;
    if got > limit {
        return Err(SourceError::TooLarge { size: got, limit, flag: flag_for_limit });
    }
    if got > cap {
        return Err(SourceError::Bomb(format!(
            "member inflates past {cap} bytes (declared {size_hint}; compression ratio limit, --max-zip-ratio)"
        )));
    }
    Ok(bytes)
}

/// The most bytes a member of `compressed` bytes may inflate to.
pub fn ratio_cap(compressed: u64, max_ratio: u64) -> u64 {
    compressed.saturating_mul(max_ratio).max(RATIO_FLOOR)
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Cursor, Write};

    fn zip_of(entries: &[(&str, Vec<u8>)]) -> Vec<u8> {
        let mut buf = Cursor::new(Vec::new());
        let mut zip = zip::ZipWriter::new(&mut buf);
        for (name, data) in entries {
            zip.start_file(*name, zip::write::SimpleFileOptions::default()).unwrap();
            zip.write_all(data).unwrap();
        }
        zip.finish().unwrap();
        buf.into_inner()
    }

    const LIMITS: ZipLimits = ZipLimits { max_members: 10, max_ratio: Some(100), max_total: Some(8 << 20) };

    fn checked(bytes: &[u8]) -> Result<(), SourceError> {
        let mut zip = zip::ZipArchive::new(Cursor::new(bytes)).unwrap();
        check(&mut zip, bytes.len() as u64, &LIMITS)
    }

    #[test]
    fn ordinary_archives_pass() {
        checked(&zip_of(&[("a.txt", b"hello".repeat(1000)), ("b.txt", b"x".to_vec())])).unwrap();
    }

    #[test]
    fn bombs_are_refused_before_inflating() {
        let err = checked(&zip_of(&[("zeros", vec![0; 4 << 20])])).unwrap_err();
        assert!(err.to_string().contains("ratio above 100"), "{err}");
        let many: Vec<(String, Vec<u8>)> = (0..11).map(|i| (format!("{i}.txt"), vec![])).collect();
        let many: Vec<(&str, Vec<u8>)> = many.iter().map(|(n, d)| (n.as_str(), d.clone())).collect();
        assert!(matches!(checked(&zip_of(&many)), Err(SourceError::TooManyMembers { count: 11, .. })));
    }

    #[test]
    fn reads_stop_at_the_cap() {
        let err = bounded_read(&[7u8; 5000][..], 10, 100_000, 4000, "--max-file-size").unwrap_err();
        assert!(err.to_string().contains("inflates past 4000"), "{err}");
        let err = bounded_read(&[7u8; 5000][..], 10, 1000, 4000, "--max-file-size").unwrap_err();
        assert!(matches!(err, SourceError::TooLarge { size: 1001, limit: 1000, .. }), "{err}");
        assert_eq!(bounded_read(&[7u8; 50][..], 50, 1000, 4000, "").unwrap().len(), 50);
    }
}
