//! Expanding the user's inputs into a sorted list of sources.

use super::{Location, Source, SourceError, ZipLimits, guard, open_archive};
use std::collections::HashSet;
use std::path::{Path, PathBuf};

/// Options for [`discover`].
#[derive(Debug, Clone)]
pub struct DiscoverOptions {
    /// Most members read from one archive; a larger archive is one error.
    pub max_archive_members: usize,
    /// Largest ratio of uncompressed to compressed size, for one member
    /// and for the whole archive (see [`guard`]).
    pub max_ratio: u64,
}

impl Default for DiscoverOptions {
    fn default() -> Self {
        let limits = crate::extract::Limits::default();
        Self { max_archive_members: limits.max_members, max_ratio: limits.max_ratio }
    }
}

/// What [`discover`] found.
#[derive(Debug, Default)]
pub struct Discovery {
    /// Sources to convert, sorted by name, without duplicates.
    pub sources: Vec<Source>,
    /// Files inside folders or archives that were left alone because their
    /// extension is not one of a document (scripts, images, notes …).
    pub skipped: Vec<String>,
}

/// What a file's extension says about it when it is found inside a folder
/// or an archive (files named on the command line are always read).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kind {
    /// A document wenku reads, or one it should explain it cannot read.
    Document,
    /// A `.zip` archive.
    Archive,
    /// Anything else: not an input.
    Other,
}

fn kind_of(name: &str) -> Kind {
    let ext = match name.rsplit_once('.') {
        Some((_, ext)) => ext.to_ascii_lowercase(),
        None => return Kind::Other,
    };
    match ext.as_str() {
        "docx" | "docm" | "dotx" | "dotm" | "txt" | "text" => Kind::Document,
        // Formats that a dump folder may hold and that deserve an error
        // record saying why they were not converted.
        "doc" | "dot" | "wps" | "pdf" | "rtf" | "odt" | "pptx" | "ppt" | "xlsx" | "xls" | "htm" | "html" | "epub" => {
            Kind::Document
        }
        "zip" => Kind::Archive,
        _ => Kind::Other,
    }
}

fn is_hidden(name: &str) -> bool {
    name.starts_with('.') || name == "__MACOSX" || name == "Thumbs.db"
}

fn display(path: &Path) -> String {
    let s = path.to_string_lossy().replace('\\', "/");
    match s.strip_prefix("./") {
        Some(rest) if !rest.is_empty() => rest.to_string(),
        _ => s,
    }
}

/// The last component of `path`, resolving `.` and `..` when needed.
fn base_name(path: &Path) -> String {
    match path.file_name() {
        Some(name) => name.to_string_lossy().into_owned(),
        None => path
            .canonicalize()
            .ok()
            .and_then(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
            .unwrap_or_default(),
    }
}

/// Expands `inputs` into sources: files as they are, folders walked
/// recursively (hidden entries skipped), `.zip` archives listed member by
/// member. An input that does not exist, or an archive that cannot be
/// listed, becomes a source with [`Source::problem`] set, so that it gets an
/// error record like any other bad input.
pub fn discover(inputs: &[PathBuf], opts: &DiscoverOptions) -> Discovery {
    let mut found = Discovery::default();
    for input in inputs {
        let name = display(input);
        let key = base_name(input);
        match std::fs::metadata(input) {
            Err(e) => found.sources.push(problem_source(input, name, key, &e.to_string())),
            Ok(meta) if meta.is_dir() => walk_dir(input, &name, &key, opts, &mut found),
            Ok(meta) if !meta.is_file() => {
                found.sources.push(problem_source(input, name, key, &SourceError::NotRegular.to_string()))
            }
            Ok(meta) => {
                if kind_of(&name) == Kind::Archive && !looks_like_office_package(input) {
                    add_archive(input, name, key, opts, &mut found);
                } else {
                    found.sources.push(file_source(input, name, key, meta.len()));
                }
            }
        }
    }
    found.sources.sort_by(|a, b| a.name.cmp(&b.name));
    // The same file named twice (or reached through two inputs) is read once.
    let mut seen = HashSet::new();
    found.sources.retain(|s| seen.insert(s.name.clone()));
    found.skipped.sort();
    found
}

fn file_source(path: &Path, name: String, key: String, size: u64) -> Source {
    Source { name, key, location: Location::File(path.to_path_buf()), size, problem: None }
}

fn problem_source(path: &Path, name: String, key: String, problem: &str) -> Source {
    Source { name, key, location: Location::File(path.to_path_buf()), size: 0, problem: Some(problem.to_string()) }
}

fn walk_dir(dir: &Path, name: &str, key: &str, opts: &DiscoverOptions, found: &mut Discovery) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(e) => {
            found.sources.push(problem_source(dir, name.to_string(), key.to_string(), &e.to_string()));
            return;
        }
    };
    let mut children: Vec<(String, PathBuf)> = entries
        .filter_map(|e| e.ok())
        .map(|e| (e.file_name().to_string_lossy().into_owned(), e.path()))
        .filter(|(n, _)| !is_hidden(n))
        .collect();
    children.sort();
    for (child, path) in children {
        let child_name = format!("{name}/{child}");
        let child_key = format!("{key}/{child}");
        // Symlinks to folders are not followed, so a link loop cannot hang
        // the walk; symlinks to files are read.
        let Ok(meta) = std::fs::metadata(&path) else {
            found.sources.push(problem_source(&path, child_name, child_key, "broken link"));
            continue;
        };
        let is_link = std::fs::symlink_metadata(&path).map(|m| m.file_type().is_symlink()).unwrap_or(false);
        if meta.is_dir() {
            if !is_link {
                walk_dir(&path, &child_name, &child_key, opts, found);
            }
            continue;
        }
        let kind = kind_of(&child);
        if !meta.is_file() && kind != Kind::Other {
            found.sources.push(problem_source(&path, child_name, child_key, &SourceError::NotRegular.to_string()));
            continue;
        }
        match kind {
            Kind::Document => found.sources.push(file_source(&path, child_name, child_key, meta.len())),
            Kind::Archive if looks_like_office_package(&path) => {
                found.sources.push(file_source(&path, child_name, child_key, meta.len()))
            }
            Kind::Archive => add_archive(&path, child_name, child_key, opts, found),
            Kind::Other => found.skipped.push(child_name),
        }
    }
}

/// A `.zip` that is really an Office document (someone renamed a `.docx`)
/// is read as a document, not listed as an archive.
fn looks_like_office_package(path: &Path) -> bool {
    match open_archive(path) {
        Ok(zip) => zip.index_for_name("[Content_Types].xml").is_some(),
        Err(_) => false,
    }
}

/// Lists the members of a dump archive. A hostile archive (too many
/// members, overlapping members, a whole-archive ratio of a bomb) is one
/// error record; a member that is a bomb by itself is that member's error.
/// There is no limit on an archive's total size: members are read one at a
/// time, each under the file size and ratio limits.
fn add_archive(path: &Path, name: String, key: String, opts: &DiscoverOptions, found: &mut Discovery) {
    // A panic in the zip reader on a hostile directory (there should be
    // none) must not stop the batch.
    let listed = std::panic::catch_unwind(|| list_archive(path, opts));
    let members = match listed {
        Ok(Ok(members)) => members,
        Ok(Err(e)) => {
            found.sources.push(problem_source(path, name, key, &e.to_string()));
            return;
        }
        Err(_) => {
            found.sources.push(problem_source(
                path,
                name,
                key,
                "internal error while listing the archive (please report)",
            ));
            return;
        }
    };
    for (index, member, size, problem) in members {
        let member_name = format!("{name}!/{member}");
        let member_key = format!("{key}!/{member}");
        match kind_of(&member) {
            Kind::Document => found.sources.push(Source {
                name: member_name,
                key: member_key,
                location: Location::ZipMember { archive: path.to_path_buf(), index },
                size,
                problem,
            }),
            Kind::Archive => found.sources.push(problem_source(
                path,
                member_name,
                member_key,
                "archive inside an archive is not read (unpack it first)",
            )),
            Kind::Other => found.skipped.push(member_name),
        }
    }
}

/// A member of a dump archive: index, name, declared size, and why it
/// cannot be read when that is known from the directory.
type Member = (usize, String, u64, Option<String>);

fn list_archive(path: &Path, opts: &DiscoverOptions) -> Result<Vec<Member>, SourceError> {
    let mut zip = open_archive(path)?;
    let len = std::fs::metadata(path)?.len();
    let limits = ZipLimits { max_members: opts.max_archive_members, max_ratio: opts.max_ratio, max_total: None };
    guard::check(&mut zip, len, &limits)?;
    let mut members = Vec::new();
    for index in 0..zip.len() {
        let Ok(entry) = zip.by_index_data(index) else {
            continue;
        };
        let member = String::from_utf8_lossy(entry.name_raw()).replace('\\', "/");
        if member.ends_with('/') || member.split('/').any(is_hidden) {
            continue;
        }
        let (size, compressed) = (entry.size(), entry.compressed_size());
        // One bomb among good dumps should not cost the good ones.
        let problem = guard::member_problem(&member, size, compressed, opts.max_ratio).map(|e| e.to_string());
        members.push((index, member, size, problem));
    }
    Ok(members)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_decide_what_a_folder_holds() {
        assert_eq!(kind_of("a/b.DOCX"), Kind::Document);
        assert_eq!(kind_of("x.txt"), Kind::Document);
        assert_eq!(kind_of("x.pdf"), Kind::Document);
        assert_eq!(kind_of("x.zip"), Kind::Archive);
        assert_eq!(kind_of("make.py"), Kind::Other);
        assert_eq!(kind_of("README"), Kind::Other);
    }

    #[test]
    fn display_uses_forward_slashes_and_drops_dot_prefix() {
        assert_eq!(display(Path::new("./fixtures/a.txt")), "fixtures/a.txt");
        assert_eq!(display(Path::new("fixtures")), "fixtures");
    }
}
