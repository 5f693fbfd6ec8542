//! Expanding the user's inputs into a sorted stream of sources.
//!
//! The stream is produced lazily, so that memory does not grow with the
//! number of files: folders are listed when the walk reaches them (one
//! sorted listing per level of the current path), and an archive's
//! directory when the walk reaches the archive. Walking each folder's
//! children in the order of their names — with `/` after a folder's name
//! and `!/` after an archive's, as in the names they give their contents —
//! yields the same order as sorting every name of the batch.

use super::{Location, Source, SourceError, ZipLimits, guard, open_archive};
use std::cmp::Reverse;
use std::collections::{BinaryHeap, HashMap};
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

/// One item of the stream: a source to convert, or a file left alone.
#[derive(Debug, Clone)]
pub enum Entry {
    /// A source (possibly with a [`Source::problem`]).
    Source(Source),
    /// A file inside a folder or an archive that is not a document.
    Skipped(String),
}

impl Entry {
    /// The name the entry is sorted by.
    pub fn name(&self) -> &str {
        match self {
            Entry::Source(s) => &s.name,
            Entry::Skipped(n) => n,
        }
    }
}

/// Something in a folder listing, not yet expanded.
enum Pending {
    Ready(Entry),
    Dir { path: PathBuf, name: String, key: String },
    Archive { path: PathBuf, name: String, key: String },
}

impl Pending {
    /// The order of a folder's children: the order of the names they give.
    fn sort_key(&self) -> String {
        match self {
            Pending::Ready(e) => e.name().to_string(),
            Pending::Dir { name, .. } => format!("{name}/"),
            Pending::Archive { name, .. } => format!("{name}!/"),
        }
    }
}

/// The sorted walk below one input.
struct Walk {
    stack: Vec<Level>,
    opts: DiscoverOptions,
}

impl Iterator for Walk {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            let top = self.stack.last_mut()?;
            let next = match top {
                Level::Entries(entries) => entries.next(),
                Level::Folder(listing) => listing.next(),
            };
            match next {
                None => {
                    self.stack.pop();
                }
                Some(Pending::Ready(e)) => return Some(e),
                Some(Pending::Dir { path, name, key }) => self.stack.push(list_dir(path, name, key)),
                Some(Pending::Archive { path, name, key }) => {
                    self.stack.push(Level::Entries(list_archive_entries(&path, name, key, &self.opts).into_iter()))
                }
            }
        }
    }
}

/// The sources below `inputs`, in the order of their names, each name
/// once, with the files left alone in between; produced as they are
/// reached (see the module's notes).
pub struct Sources {
    /// The inputs, in the order of their sort keys.
    inputs: Inputs,
    /// The first input not started yet.
    next_input: usize,
    /// The walks of the current group of inputs (an input and those named
    /// inside it), merged by name: (next name, group order, entry).
    heap: BinaryHeap<Reverse<(String, usize, HeapEntry)>>,
    walks: Vec<Walk>,
    last: Option<String>,
    opts: DiscoverOptions,
}

/// An entry in the merge heap; only its name and walk number are compared.
struct HeapEntry(Entry);

impl PartialEq for HeapEntry {
    fn eq(&self, _: &Self) -> bool {
        true
    }
}
impl Eq for HeapEntry {}
impl PartialOrd for HeapEntry {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for HeapEntry {
    fn cmp(&self, _: &Self) -> std::cmp::Ordering {
        std::cmp::Ordering::Equal
    }
}

impl Sources {
    fn start_group(&mut self) -> bool {
        let Some(&first) = self.inputs.items.get(self.next_input) else {
            return false;
        };
        self.next_input += 1;
        let key = self.inputs.key(&first);
        let mut group = vec![self.inputs.take(&first)];
        // Inputs named inside this one (a folder and a file in it) overlap
        // its names: they are merged with it. Others follow in order.
        if key.ends_with('/') {
            while let Some(&next) = self.inputs.items.get(self.next_input)
                && self.inputs.key_bytes(&next).take(key.len()).eq(key.bytes())
            {
                self.next_input += 1;
                group.push(self.inputs.take(&next));
            }
        }
        self.walks = group
            .into_iter()
            .map(|p| Walk { stack: vec![Level::Entries(vec![p].into_iter())], opts: self.opts.clone() })
            .collect();
        for i in 0..self.walks.len() {
            self.refill(i);
        }
        true
    }

    fn refill(&mut self, walk: usize) {
        if let Some(e) = self.walks[walk].next() {
            self.heap.push(Reverse((e.name().to_string(), walk, HeapEntry(e))));
        }
    }
}

impl Iterator for Sources {
    type Item = Entry;

    fn next(&mut self) -> Option<Entry> {
        loop {
            let Some(Reverse((name, walk, HeapEntry(entry)))) = self.heap.pop() else {
                if !self.start_group() {
                    return None;
                }
                continue;
            };
            self.refill(walk);
            // The same file named twice (or reached through two inputs) is
            // read once.
            if self.last.as_deref() == Some(name.as_str()) {
                continue;
            }
            self.last = Some(name);
            return Some(entry);
        }
    }
}

/// Expands `inputs` into a sorted stream: files as they are, folders walked
/// recursively (hidden entries skipped), `.zip` archives listed member by
/// member. An input that does not exist, or an archive that cannot be
/// listed, becomes a source with [`Source::problem`] set, so that it gets an
/// error record like any other bad input.
pub fn sources(inputs: &[PathBuf], opts: &DiscoverOptions) -> Sources {
    let mut list = Inputs::default();
    for input in inputs {
        list.push(input);
    }
    list.into_sources(opts)
}

/// Names held one after another in one buffer (not a `String`, with its
/// header and allocation, each), each with the real thing it names when
/// the name is not it:
/// a file name that is not UTF-8, a path spelt otherwise (`./a.txt`).
struct Names<R> {
    text: String,
    /// By where the name starts in `text`, in that order.
    real: Vec<(usize, R)>,
}

impl<R> Default for Names<R> {
    fn default() -> Self {
        Self { text: String::new(), real: Vec::new() }
    }
}

impl<R> Names<R> {
    /// Adds a name; returns where it starts and its length.
    fn push(&mut self, name: &str, real: Option<R>) -> (usize, u32) {
        let start = self.text.len();
        if let Some(real) = real {
            self.real.push((start, real));
        }
        self.text.push_str(name);
        (start, name.len() as u32)
    }

    fn get(&self, start: usize, len: u32) -> &str {
        &self.text[start..start + len as usize]
    }

    /// The real thing the name at `start` stands for, when it is not the
    /// name itself.
    fn real(&self, start: usize) -> Option<&R> {
        let at = self.real.binary_search_by_key(&start, |(s, _)| *s).ok()?;
        Some(&self.real[at].1)
    }

    fn shrink_to_fit(&mut self) {
        self.text.shrink_to_fit();
        self.real.shrink_to_fit();
    }
}

/// The bytes an entry is sorted by: its name, then what its walk puts
/// after it (`/` for a folder, `!/` for an archive).
fn sort_bytes<'a>(name: &'a str, suffix: &'static str) -> impl Iterator<Item = u8> + 'a {
    name.bytes().chain(suffix.bytes())
}

/// A batch's inputs, gathered before the walk (see [`sources`]). Each is
/// looked at when pushed (what it is, its size); a file is then kept as its
/// name in one buffer and 24 bytes, so that a list of millions of files
/// (`--files-from`) costs little more than its text. (As `Source`s, sort
/// keys and the paths themselves, it cost ~600 bytes a file.) Folders,
/// archives and inputs that cannot be read are few and kept whole.
#[derive(Default)]
pub struct Inputs {
    /// The inputs' names (as records show them), with the paths of files
    /// whose path is not their name.
    names: Names<PathBuf>,
    /// In the order given, until [`Inputs::into_sources`] sorts them.
    items: Vec<Input>,
    /// Inputs other than readable files.
    others: Vec<Option<Pending>>,
}

/// One input of [`Inputs`].
#[derive(Debug, Clone, Copy)]
struct Input {
    start: usize,
    len: u32,
    /// Index in `others`, or [`Input::FILE`] for a readable file.
    other: u32,
    size: u64,
}

const _: () = assert!(std::mem::size_of::<Input>() <= 24);

impl Input {
    const FILE: u32 = u32::MAX;
}

impl Inputs {
    /// Adds an input (a file, a folder or an archive), looking at what it is.
    pub fn push(&mut self, input: &Path) {
        let pending = input_pending(input);
        let ((start, len), other, size) = match pending {
            Pending::Ready(Entry::Source(Source {
                name, location: Location::File(path), size, problem: None, ..
            })) => {
                let real = (path.as_os_str() != name.as_str()).then_some(path);
                (self.names.push(&name, real), Input::FILE, size)
            }
            other => {
                let name = match &other {
                    Pending::Ready(e) => e.name(),
                    Pending::Dir { name, .. } | Pending::Archive { name, .. } => name,
                };
                let at = self.names.push(name, None);
                self.others.push(Some(other));
                (at, (self.others.len() - 1) as u32, 0)
            }
        };
        self.items.push(Input { start, len, other, size });
    }

    /// Number of inputs.
    pub fn len(&self) -> usize {
        self.items.len()
    }

    /// True when there is no input.
    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// The inputs' paths as given, in the order given.
    pub fn given(&self) -> impl Iterator<Item = std::borrow::Cow<'_, str>> {
        self.items.iter().map(|i| match self.path_of(i) {
            Some(path) => path.to_string_lossy(),
            None => match i.other {
                Input::FILE => std::borrow::Cow::Borrowed(self.name(i)),
                o => match &self.others[o as usize] {
                    Some(Pending::Dir { path, .. } | Pending::Archive { path, .. }) => path.to_string_lossy(),
                    Some(Pending::Ready(Entry::Source(s))) => match &s.location {
                        Location::File(path) | Location::ZipMember { archive: path, .. } => path.to_string_lossy(),
                    },
                    _ => std::borrow::Cow::Borrowed(self.name(i)),
                },
            },
        })
    }

    fn name(&self, i: &Input) -> &str {
        self.names.get(i.start, i.len)
    }

    fn path_of(&self, i: &Input) -> Option<&Path> {
        self.names.real(i.start).map(PathBuf::as_path)
    }

    /// What an input's sort key adds to its name: the order of the names
    /// its walk gives (see the module's notes).
    fn suffix(&self, i: &Input) -> &'static str {
        match self.others.get(i.other as usize) {
            Some(Some(Pending::Dir { .. })) => "/",
            Some(Some(Pending::Archive { .. })) => "!/",
            _ => "",
        }
    }

    fn key_bytes(&self, i: &Input) -> impl Iterator<Item = u8> + '_ {
        sort_bytes(self.name(i), self.suffix(i))
    }

    fn key(&self, i: &Input) -> String {
        format!("{}{}", self.name(i), self.suffix(i))
    }

    /// The input as the walk takes it (once).
    fn take(&mut self, i: &Input) -> Pending {
        if i.other == Input::FILE {
            let name = self.name(i).to_string();
            let path = self.path_of(i).map_or_else(|| PathBuf::from(&name), Path::to_path_buf);
            return Pending::Ready(Entry::Source(file_source(&path, name.clone(), name, i.size)));
        }
        self.others[i.other as usize].take().expect("an input is taken once")
    }

    /// Sorts the inputs and starts their walk.
    pub fn into_sources(mut self, opts: &DiscoverOptions) -> Sources {
        // Names below a folder or an archive start with its last component,
        // so two that share one (`a/dumps`, `b/dumps`) would give a file's
        // copies one key, and so one doc_id: those are keyed by their paths
        // as given. (Only containers are counted: files are keyed by path
        // already.)
        let mut bases: HashMap<String, u32> = HashMap::new();
        for p in self.others.iter().flatten() {
            if let Pending::Dir { key, .. } | Pending::Archive { key, .. } = p {
                *bases.entry(key.clone()).or_default() += 1;
            }
        }
        if bases.values().any(|&n| n > 1) {
            for p in self.others.iter_mut().flatten() {
                if let Pending::Dir { key, name, .. } | Pending::Archive { key, name, .. } = p
                    && bases[key.as_str()] > 1
                {
                    *key = name.clone();
                }
            }
        }
        // Stable: of two inputs with one name, the first named wins.
        let mut items = std::mem::take(&mut self.items);
        items.sort_by(|a, b| self.key_bytes(a).cmp(self.key_bytes(b)));
        items.shrink_to_fit();
        self.items = items;
        self.names.shrink_to_fit();
        Sources {
            inputs: self,
            next_input: 0,
            heap: BinaryHeap::new(),
            walks: Vec::new(),
            last: None,
            opts: opts.clone(),
        }
    }
}

/// Expands `inputs` into a list of sources (see [`sources`], which does the
/// same without holding the whole list).
pub fn discover(inputs: &[PathBuf], opts: &DiscoverOptions) -> Discovery {
    let mut found = Discovery::default();
    for entry in sources(inputs, opts) {
        match entry {
            Entry::Source(s) => found.sources.push(s),
            Entry::Skipped(n) => found.skipped.push(n),
        }
    }
    found
}

/// The pending walk of one input. A file given on its own is keyed by its
/// path as given: its last component alone would be shared by every copy
/// of a common file name (`新建文档.docx`) in a list of files, and so would
/// the doc_id of identical copies. A folder or an archive is keyed by its
/// last component, so that the names below it do not depend on where it
/// lives ([`sources`] keys by path two that share it).
fn input_pending(input: &Path) -> Pending {
    let name = display(input);
    let container_key = || base_name(input);
    match std::fs::metadata(input) {
        Err(e) => Pending::Ready(Entry::Source(problem_source(input, name.clone(), name, &e.to_string()))),
        Ok(meta) if meta.is_dir() => Pending::Dir { path: input.to_path_buf(), key: container_key(), name },
        Ok(meta) if !meta.is_file() => Pending::Ready(Entry::Source(problem_source(
            input,
            name.clone(),
            name,
            &SourceError::NotRegular.to_string(),
        ))),
        Ok(meta) => {
            if kind_of(&name) == Kind::Archive && !looks_like_office_package(input) {
                Pending::Archive { path: input.to_path_buf(), key: container_key(), name }
            } else {
                Pending::Ready(Entry::Source(file_source(input, name.clone(), name, meta.len())))
            }
        }
    }
}

fn file_source(path: &Path, name: String, key: String, size: u64) -> Source {
    Source { name, key, location: Location::File(path.to_path_buf()), size, problem: None }
}

fn problem_source(path: &Path, name: String, key: String, problem: &str) -> Source {
    Source { name, key, location: Location::File(path.to_path_buf()), size: 0, problem: Some(problem.to_string()) }
}

/// A level of the walk: what an input or an archive expands to, or a
/// folder's listing.
enum Level {
    Entries(std::vec::IntoIter<Pending>),
    Folder(Listing),
}

/// One folder's children, sorted, held compactly until the walk reaches
/// each: their names in one buffer and 24 bytes of facts a child. As
/// `Source`s (three strings each) a folder of 50,000 small files added
/// 17.7 MB to the peak (5.2 MB now) for as long as it was walked, the most
/// memory that grew with a batch's size.
struct Listing {
    dir: PathBuf,
    name: String,
    key: String,
    /// The children's names (made UTF-8), with the real names of those
    /// whose names are not UTF-8.
    names: Names<std::ffi::OsString>,
    children: Vec<Child>,
    next: usize,
}

/// What a listing knows of one child.
#[derive(Debug, Clone, Copy)]
struct Child {
    start: usize,
    len: u32,
    size: u64,
    what: What,
}

// What the listing's memory claims rest on.
const _: () = assert!(std::mem::size_of::<Child>() <= 24);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum What {
    Document,
    Folder,
    Archive,
    Skipped,
    BrokenLink,
    NotRegular,
}

impl Listing {
    fn child_name(&self, c: &Child) -> &str {
        self.names.get(c.start, c.len)
    }

    /// The order of a folder's children: the order of the names they give
    /// (`/` after a folder's, `!/` after an archive's).
    fn order(&self, a: &Child, b: &Child) -> std::cmp::Ordering {
        let suffix = |c: &Child| match c.what {
            What::Folder => "/",
            What::Archive => "!/",
            _ => "",
        };
        sort_bytes(self.child_name(a), suffix(a)).cmp(sort_bytes(self.child_name(b), suffix(b)))
    }
}

impl Iterator for Listing {
    type Item = Pending;

    fn next(&mut self) -> Option<Pending> {
        let c = *self.children.get(self.next)?;
        self.next += 1;
        let child = self.child_name(&c);
        let path = match self.names.real(c.start) {
            Some(real) => self.dir.join(real),
            None => self.dir.join(child),
        };
        let name = format!("{}/{child}", self.name);
        let key = format!("{}/{child}", self.key);
        let problem = |why: &str| Pending::Ready(Entry::Source(problem_source(&path, name.clone(), key.clone(), why)));
        Some(match c.what {
            What::Document => Pending::Ready(Entry::Source(file_source(&path, name, key, c.size))),
            What::Folder => Pending::Dir { path, name, key },
            What::Archive => Pending::Archive { path, name, key },
            What::Skipped => Pending::Ready(Entry::Skipped(name)),
            What::BrokenLink => problem("broken link"),
            What::NotRegular => problem(&SourceError::NotRegular.to_string()),
        })
    }
}

/// Lists a folder (see [`Listing`]).
fn list_dir(dir: PathBuf, name: String, key: String) -> Level {
    let entries = match std::fs::read_dir(&dir) {
        Ok(entries) => entries,
        Err(e) => {
            return Level::Entries(
                vec![Pending::Ready(Entry::Source(problem_source(&dir, name, key, &e.to_string())))].into_iter(),
            );
        }
    };
    let mut listing = Listing { dir, name, key, names: Names::default(), children: Vec::new(), next: 0 };
    for entry in entries.filter_map(|e| e.ok()) {
        let os_name = entry.file_name();
        let child = os_name.to_string_lossy();
        if is_hidden(&child) {
            continue;
        }
        let path = entry.path();
        let (what, size) = match std::fs::metadata(&path) {
            Err(_) => (What::BrokenLink, 0),
            Ok(meta) if meta.is_dir() => {
                // Symlinks to folders are not followed, so a link loop
                // cannot hang the walk; symlinks to files are read. The
                // folder listing tells the entry's type (no call per file on
                // most systems).
                let is_link = match entry.file_type() {
                    Ok(t) => t.is_symlink(),
                    Err(_) => std::fs::symlink_metadata(&path).map(|m| m.file_type().is_symlink()).unwrap_or(false),
                };
                if is_link {
                    continue;
                }
                (What::Folder, 0)
            }
            Ok(meta) => match kind_of(&child) {
                Kind::Other => (What::Skipped, 0),
                _ if !meta.is_file() => (What::NotRegular, 0),
                Kind::Document => (What::Document, meta.len()),
                Kind::Archive if looks_like_office_package(&path) => (What::Document, meta.len()),
                Kind::Archive => (What::Archive, 0),
            },
        };
        let (start, len) = listing.names.push(&child, os_name.to_str().is_none().then(|| os_name.clone()));
        listing.children.push(Child { start, len, size, what });
    }
    let mut children = std::mem::take(&mut listing.children);
    children.sort_by(|a, b| listing.order(a, b));
    children.shrink_to_fit();
    listing.children = children;
    listing.names.shrink_to_fit();
    Level::Folder(listing)
}

/// A `.zip` that is really an Office document (someone renamed a `.docx`)
/// is read as a document, not listed as an archive.
fn looks_like_office_package(path: &Path) -> bool {
    match open_archive(path) {
        Ok(zip) => zip.index_for_name("[Content_Types].xml").is_some(),
        Err(_) => false,
    }
}

/// Lists the members of a dump archive, sorted. A hostile archive (too
/// many members, overlapping members) is one error record; a member that is
/// a bomb by itself is that member's error, and the good members around it
/// are read. There is no limit on a dump archive's total size or total
/// ratio: its members are read one at a time, each under the file size and
/// ratio limits.
fn list_archive_entries(path: &Path, name: String, key: String, opts: &DiscoverOptions) -> Vec<Pending> {
    // A panic in the zip reader on a hostile directory (there should be
    // none) must not stop the batch.
    let listed = std::panic::catch_unwind(|| list_archive(path, opts));
    let members = match listed {
        Ok(Ok(members)) => members,
        Ok(Err(e)) => return vec![Pending::Ready(Entry::Source(problem_source(path, name, key, &e.to_string())))],
        Err(_) => {
            let problem = "internal error while listing the archive (please report)";
            return vec![Pending::Ready(Entry::Source(problem_source(path, name, key, problem)))];
        }
    };
    let mut out = Vec::with_capacity(members.len());
    for (index, member, size, problem) in members {
        let member_name = format!("{name}!/{member}");
        let member_key = format!("{key}!/{member}");
        out.push(Pending::Ready(match kind_of(&member) {
            Kind::Document => Entry::Source(Source {
                name: member_name,
                key: member_key,
                location: Location::ZipMember { archive: path.to_path_buf(), index },
                size,
                problem,
            }),
            Kind::Archive => Entry::Source(problem_source(
                path,
                member_name,
                member_key,
                "archive inside an archive is not read (unpack it first)",
            )),
            Kind::Other => Entry::Skipped(member_name),
        }));
    }
    out.sort_by_cached_key(Pending::sort_key);
    out
}

/// A member of a dump archive: index, name, declared size, and why it
/// cannot be read when that is known from the directory.
type Member = (usize, String, u64, Option<String>);

fn list_archive(path: &Path, opts: &DiscoverOptions) -> Result<Vec<Member>, SourceError> {
    let mut zip = open_archive(path)?;
    let len = std::fs::metadata(path)?.len();
    let limits = ZipLimits { max_members: opts.max_archive_members, max_ratio: None, max_total: None };
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
    fn the_walk_gives_the_order_of_sorted_names() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        for f in ["a.txt", "a/b.txt", "a/b/c.txt", "a-b.txt", "a.docx", "a0/x.txt", "b.txt", "notes.md", "z/y.txt"] {
            let p = root.join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "x").unwrap();
        }
        let zip = {
            let mut buf = std::io::Cursor::new(Vec::new());
            let mut w = zip::ZipWriter::new(&mut buf);
            for m in ["k/2.txt", "k.txt", "1.txt"] {
                w.start_file(m, zip::write::SimpleFileOptions::default()).unwrap();
            }
            w.finish().unwrap();
            buf.into_inner()
        };
        std::fs::write(root.join("a.zip"), zip).unwrap();
        let opts = DiscoverOptions::default();
        // The same folder twice, and a file inside it: each name once.
        let inputs = [root.join("a/b.txt"), root.clone(), root.join("b.txt"), root.clone()];
        let streamed: Vec<String> = sources(&inputs, &opts).map(|e| e.name().to_string()).collect();
        let mut sorted = streamed.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(streamed, sorted);
        assert_eq!(streamed.len(), 12, "{streamed:?}");
        assert!(streamed.iter().any(|n| n.ends_with("in/a.zip!/k/2.txt")));
        let found = discover(&inputs, &opts);
        assert_eq!(found.skipped.len(), 1);
        assert!(found.skipped[0].ends_with("in/notes.md"));
    }

    #[cfg(unix)]
    #[test]
    fn links_to_files_are_read_links_to_folders_are_not_followed_broken_links_are_problems() {
        use std::os::unix::fs::symlink;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        std::fs::create_dir_all(root.join("sub")).unwrap();
        std::fs::write(root.join("sub/a.txt"), "x").unwrap();
        symlink(root.join("sub/a.txt"), root.join("link.txt")).unwrap();
        // A loop: followed, the walk would list the folder again and again.
        symlink(&root, root.join("sub/loop")).unwrap();
        symlink(root.join("gone.txt"), root.join("broken.txt")).unwrap();
        let found = discover(std::slice::from_ref(&root), &DiscoverOptions::default());
        let listed: Vec<(String, Option<String>)> = found
            .sources
            .iter()
            .map(|s| (s.name.rsplit("in/").next().unwrap().to_string(), s.problem.clone()))
            .collect();
        assert_eq!(
            listed,
            [
                ("broken.txt".to_string(), Some("broken link".to_string())),
                ("link.txt".to_string(), None),
                ("sub/a.txt".to_string(), None)
            ],
        );
    }

    #[cfg(unix)]
    #[test]
    fn a_name_that_is_not_utf8_is_shown_made_up_and_read_by_its_real_name() {
        use std::os::unix::ffi::OsStrExt;
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        std::fs::create_dir_all(&root).unwrap();
        // GBK bytes of 作文, as an old Chinese archive tool leaves them.
        let odd = std::ffi::OsStr::from_bytes(b"\xd7\xf7\xce\xc4.txt");
        std::fs::write(root.join(odd), "odd").unwrap();
        std::fs::write(root.join("b.txt"), "b").unwrap();
        let found = discover(std::slice::from_ref(&root), &DiscoverOptions::default());
        let read: Vec<(String, Vec<u8>)> = found
            .sources
            .iter()
            .map(|s| {
                let Location::File(path) = &s.location else { panic!("{s:?}") };
                (s.name.rsplit("in/").next().unwrap().to_string(), std::fs::read(path).unwrap())
            })
            .collect();
        assert_eq!(
            read,
            [
                ("b.txt".to_string(), b"b".to_vec()),
                ("\u{FFFD}\u{FFFD}\u{FFFD}\u{FFFD}.txt".to_string(), b"odd".to_vec())
            ]
        );
    }

    #[test]
    fn inputs_are_reported_as_given_and_walked_by_name() {
        let dir = tempfile::tempdir().unwrap();
        let root = dir.path().join("in");
        for f in ["b.txt", "c/d.txt"] {
            std::fs::create_dir_all(root.join(f).parent().unwrap()).unwrap();
            std::fs::write(root.join(f), f).unwrap();
        }
        // Relative to the current folder, as a list made by `find .` names
        // them: the name drops `./`, the file is read by its path.
        let here = std::env::current_dir().unwrap();
        let dotted = PathBuf::from(format!("./{}", display(&pathdiff(&root.join("b.txt"), &here))));
        let given = [dotted.clone(), root.join("c"), root.join("missing.txt"), root.join("b.txt")];
        let mut inputs = Inputs::default();
        for g in &given {
            inputs.push(g);
        }
        assert_eq!(inputs.len(), 4);
        let shown: Vec<String> = inputs.given().map(|g| g.into_owned()).collect();
        assert_eq!(shown, given.iter().map(|g| g.display().to_string()).collect::<Vec<_>>());
        let walked: Vec<(String, Option<String>, Vec<u8>)> = inputs
            .into_sources(&DiscoverOptions::default())
            .map(|e| {
                let Entry::Source(s) = e else { panic!("{e:?}") };
                let Location::File(path) = &s.location else { panic!("{s:?}") };
                (s.name.clone(), s.problem.clone(), std::fs::read(path).unwrap_or_default())
            })
            .collect();
        let mut names: Vec<&str> = walked.iter().map(|w| w.0.as_str()).collect();
        names.sort();
        assert_eq!(names, walked.iter().map(|w| w.0.as_str()).collect::<Vec<_>>(), "sorted");
        let read: Vec<(&str, bool, &[u8])> =
            walked.iter().map(|(n, p, b)| (n.rsplit('/').next().unwrap(), p.is_some(), &b[..])).collect();
        // b.txt named twice (two spellings): read under each name.
        assert_eq!(read.iter().filter(|r| r.0 == "b.txt" && r.2 == b"b.txt").count(), 2, "{read:?}");
        assert!(read.contains(&("d.txt", false, b"c/d.txt")), "{read:?}");
        assert!(read.contains(&("missing.txt", true, b"")), "{read:?}");
        assert!(walked.iter().any(|w| w.0 == display(&dotted) && !w.0.starts_with("./")), "{walked:?}");
    }

    /// `path` relative to `base` (both absolute), by `..` steps.
    fn pathdiff(path: &Path, base: &Path) -> PathBuf {
        let (p, b): (Vec<_>, Vec<_>) = (path.components().collect(), base.components().collect());
        let common = p.iter().zip(&b).take_while(|(x, y)| x == y).count();
        let mut out: PathBuf = b[common..].iter().map(|_| "..").collect();
        out.extend(&p[common..]);
        out
    }

    #[test]
    fn files_on_their_own_and_inputs_sharing_a_last_component_are_keyed_by_path() {
        let dir = tempfile::tempdir().unwrap();
        for f in ["x/dumps/a.txt", "y/dumps/a.txt", "z/other/a.txt", "z/a.txt"] {
            let p = dir.path().join(f);
            std::fs::create_dir_all(p.parent().unwrap()).unwrap();
            std::fs::write(&p, "same bytes").unwrap();
        }
        let inputs = ["x/dumps", "y/dumps", "z/other", "z/a.txt"].map(|i| dir.path().join(i)).to_vec();
        let keys: Vec<(String, String)> =
            discover(&inputs, &DiscoverOptions::default()).sources.into_iter().map(|s| (s.name, s.key)).collect();
        let root = display(dir.path());
        let expected = [
            (format!("{root}/x/dumps/a.txt"), format!("{root}/x/dumps/a.txt")),
            (format!("{root}/y/dumps/a.txt"), format!("{root}/y/dumps/a.txt")),
            (format!("{root}/z/a.txt"), format!("{root}/z/a.txt")),
            (format!("{root}/z/other/a.txt"), "other/a.txt".to_string()),
        ];
        assert_eq!(keys, expected);
    }

    #[test]
    fn display_uses_forward_slashes_and_drops_dot_prefix() {
        assert_eq!(display(Path::new("./fixtures/a.txt")), "fixtures/a.txt");
        assert_eq!(display(Path::new("fixtures")), "fixtures");
    }
}
