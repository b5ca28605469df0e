//! The one parallel walk. Each regular file is opened at most once: its head is sniffed
//! for magic bytes; text files below the size cap are read to the end to scan for secrets
//! and source markers; files some probe needs by name are kept in memory for the probes.

use std::fs::File;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU64, Ordering};

use annex_inventory::detect::{self, Kind};
use ignore::overrides::OverrideBuilder;
use ignore::{WalkBuilder, WalkState};

use crate::model::{BinaryKind, SecretKind};
use crate::probes::markers::{self, Marker};
use crate::probes::names;
use crate::sniff::{self, LARGE_HEAD};
use crate::text::{decode, digest, extension, file_name};
use crate::{EvidenceError, Options};

/// Bytes read first from every file below the cap, to sniff it.
const HEAD: usize = 8 * 1024;

/// One regular file seen by the walk.
#[derive(Debug)]
pub(crate) struct FileRecord {
    /// Relative, `/`-separated path.
    pub rel: String,
    pub size: u64,
    /// Above `max_file_size`: only the head was read.
    pub large: bool,
    /// The content, kept only for files a probe reads by name.
    pub content: Option<Vec<u8>>,
    /// SHA-256 of `content`, when kept.
    pub digest: Option<String>,
    pub binary: Option<BinaryKind>,
    pub secrets: Vec<(SecretKind, u64)>,
    pub markers: Vec<(Marker, u64)>,
}

impl FileRecord {
    pub(crate) fn name(&self) -> &str {
        file_name(&self.rel)
    }

    pub(crate) fn text(&self) -> Option<std::borrow::Cow<'_, str>> {
        self.content.as_deref().map(decode)
    }
}

#[derive(Debug, Default)]
pub(crate) struct WalkResult {
    /// Sorted by path.
    pub files: Vec<FileRecord>,
    pub dirs: u64,
    pub bytes_read: u64,
    pub skipped_large: u64,
    pub skipped_symlinks: u64,
}

#[derive(Default)]
struct Counters {
    dirs: AtomicU64,
    bytes_read: AtomicU64,
    skipped_large: AtomicU64,
    skipped_symlinks: AtomicU64,
}

pub(crate) fn walk(
    root: &Path,
    options: &Options,
    excludes: &[String],
) -> Result<WalkResult, EvidenceError> {
    let mut overrides = OverrideBuilder::new(root);
    for pattern in excludes {
        if pattern.starts_with('!') {
            return Err(EvidenceError::InvalidExclude {
                pattern: pattern.clone(),
                message: "negated patterns are not supported".into(),
            });
        }
        overrides
            .add(&format!("!{pattern}"))
            .map_err(|e| EvidenceError::InvalidExclude {
                pattern: pattern.clone(),
                message: e.to_string(),
            })?;
    }
    let overrides = overrides
        .build()
        .map_err(|e| EvidenceError::InvalidExclude {
            pattern: excludes.join(", "),
            message: e.to_string(),
        })?;

    // Only the checkout's own .gitignore files are honoured: not the user's global
    // excludes, not .git/info/exclude, not ignore files above the root.
    let mut builder = WalkBuilder::new(root);
    builder
        .standard_filters(false)
        .hidden(false)
        .parents(false)
        .ignore(false)
        .git_global(false)
        .git_ignore(true)
        .git_exclude(false)
        .require_git(false)
        .follow_links(false)
        .same_file_system(false)
        .overrides(overrides)
        .threads(options.threads);

    let counters = Counters::default();
    let files = Mutex::new(Vec::new());
    let max = options.max_file_size;
    builder.build_parallel().run(|| {
        let counters = &counters;
        let mut sink = Sink {
            shared: &files,
            local: Vec::new(),
        };
        Box::new(move |entry| {
            let Ok(entry) = entry else {
                return WalkState::Continue;
            };
            if entry.depth() == 0 {
                return WalkState::Continue;
            }
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue;
            };
            if ft.is_symlink() {
                counters.skipped_symlinks.fetch_add(1, Ordering::Relaxed);
            } else if ft.is_dir() {
                counters.dirs.fetch_add(1, Ordering::Relaxed);
            } else if ft.is_file() {
                let rel = relative(root, entry.path());
                if let Some(rec) = visit_file(entry.path(), rel, max, counters) {
                    sink.push(rec);
                }
            }
            WalkState::Continue
        })
    });
    let mut files = files.into_inner().unwrap_or_else(|e| e.into_inner());
    files.sort_by(|a, b| a.rel.cmp(&b.rel));
    Ok(WalkResult {
        files,
        dirs: counters.dirs.into_inner(),
        bytes_read: counters.bytes_read.into_inner(),
        skipped_large: counters.skipped_large.into_inner(),
        skipped_symlinks: counters.skipped_symlinks.into_inner(),
    })
}

/// Per-thread buffer of records, moved to the shared list in batches and when the
/// visitor is dropped at the end of the walk.
struct Sink<'a> {
    shared: &'a Mutex<Vec<FileRecord>>,
    local: Vec<FileRecord>,
}

impl Sink<'_> {
    fn push(&mut self, rec: FileRecord) {
        self.local.push(rec);
        if self.local.len() >= 256 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        let mut guard = self.shared.lock().unwrap_or_else(|e| e.into_inner());
        guard.append(&mut self.local);
    }
}

impl Drop for Sink<'_> {
    fn drop(&mut self) {
        self.flush();
    }
}

fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy().into_owned())
        .collect();
    parts.join("/")
}

fn visit_file(path: &Path, rel: String, max: u64, counters: &Counters) -> Option<FileRecord> {
    let mut file = File::open(path).ok()?;
    // Check the opened handle, not the directory entry: the file may have changed since.
    let meta = file.metadata().ok()?;
    if !meta.is_file() {
        return None;
    }
    let size = meta.len();
    let name = file_name(&rel);
    let ext = extension(name);
    let candidate = names::wants_content(&rel);
    let lockfile = detect::classify(Path::new(name)).is_some_and(|d| d.kind == Kind::Lockfile);

    let mut rec = FileRecord {
        rel,
        size,
        large: size > max,
        content: None,
        digest: None,
        binary: None,
        secrets: Vec::new(),
        markers: Vec::new(),
    };

    // Read exactly what is wanted, knowing the size: a small file costs one read call.
    let want = if rec.large {
        LARGE_HEAD as u64
    } else {
        size.min(max)
    };
    let want = usize::try_from(want).unwrap_or(usize::MAX);
    let head_len = want.min(HEAD);
    let mut buf = Vec::with_capacity(head_len);
    let read = read_up_to(&mut file, &mut buf, head_len);
    counters
        .bytes_read
        .fetch_add(buf.len() as u64, Ordering::Relaxed);
    if read.is_err() {
        return Some(rec);
    }
    rec.binary = sniff::sniff(&buf, &ext);
    if rec.large {
        counters.skipped_large.fetch_add(1, Ordering::Relaxed);
        return Some(rec);
    }
    let textual = rec.binary.is_none() && sniff::looks_textual(&buf);
    let scan_text = textual && !lockfile;
    if !(candidate || scan_text) {
        return Some(rec);
    }
    let before = buf.len();
    if want > before {
        buf.reserve_exact(want - before);
        let rest = read_up_to(&mut file, &mut buf, want);
        counters
            .bytes_read
            .fetch_add((buf.len() - before) as u64, Ordering::Relaxed);
        if rest.is_err() {
            return Some(rec);
        }
    }
    if scan_text && sniff::looks_textual(&buf[before..]) {
        let text = decode(&buf);
        rec.secrets = crate::secrets::scan(&text);
        rec.markers = markers::scan(&rec.rel, &ext, &text);
    }
    if candidate {
        rec.digest = Some(digest(&buf));
        rec.content = Some(buf);
    }
    Some(rec)
}

/// Read into `buf` until it holds `limit` bytes or the file ends.
fn read_up_to(file: &mut File, buf: &mut Vec<u8>, limit: usize) -> std::io::Result<()> {
    let mut filled = buf.len();
    if filled >= limit {
        return Ok(());
    }
    buf.resize(limit, 0);
    let result = loop {
        if filled == limit {
            break Ok(());
        }
        match file.read(&mut buf[filled..]) {
            Ok(0) => break Ok(()),
            Ok(k) => filled += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => break Err(e),
        }
    };
    buf.truncate(filled);
    result
}

/// The root as walked: canonical, checked to be a directory.
pub(crate) fn canonical_root(root: &Path) -> Result<PathBuf, EvidenceError> {
    let meta = std::fs::metadata(root).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            EvidenceError::NotFound {
                path: root.to_path_buf(),
            }
        } else {
            EvidenceError::Io {
                path: root.to_path_buf(),
                source,
            }
        }
    })?;
    if !meta.is_dir() {
        return Err(EvidenceError::NotADirectory {
            path: root.to_path_buf(),
        });
    }
    std::fs::canonicalize(root).map_err(|source| EvidenceError::Io {
        path: root.to_path_buf(),
        source,
    })
}
