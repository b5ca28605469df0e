//! Building the index: the parallel walk, then the tracked-but-ignored pass over git's
//! index.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use ignore::gitignore::{Gitignore, GitignoreBuilder};
use ignore::{Match, WalkBuilder, WalkState};

use crate::error::CheckoutError;
use crate::index::{FileIndex, GitIndexState, IndexedFile, Pruned};
use crate::options::{ALWAYS_EXCLUDED, DEFAULT_EXCLUDES, ExcludeOrigin, IndexOptions};
use crate::threads::choose_threads;

/// The exclude list, one matcher per origin so a pruned path can say where its pattern
/// came from.
struct Excludes {
    always: Gitignore,
    by_origin: Vec<(ExcludeOrigin, Gitignore)>,
}

impl Excludes {
    fn new(root: &Path, options: &IndexOptions) -> Result<(Excludes, Vec<String>), CheckoutError> {
        let mut listed = Vec::new();
        let always = matcher(
            root,
            ALWAYS_EXCLUDED.iter().copied(),
            ExcludeOrigin::Default,
        )?;
        let defaults: &[&str] = if options.default_excludes {
            DEFAULT_EXCLUDES
        } else {
            &[]
        };
        listed.extend(
            ALWAYS_EXCLUDED
                .iter()
                .chain(defaults)
                .map(|s| s.to_string()),
        );
        let mut by_origin = vec![(
            ExcludeOrigin::Default,
            matcher(root, defaults.iter().copied(), ExcludeOrigin::Default)?,
        )];
        for (origin, patterns) in [
            (ExcludeOrigin::Option, &options.exclude),
            (ExcludeOrigin::Scope, &options.scope_exclude),
        ] {
            by_origin.push((
                origin,
                matcher(root, patterns.iter().map(String::as_str), origin)?,
            ));
            listed.extend(patterns.iter().cloned());
        }
        listed.sort();
        listed.dedup();
        Ok((Excludes { always, by_origin }, listed))
    }

    /// The pattern and origin that exclude `path`, if one does; version-control
    /// directories give `Some(None)`.
    fn check(&self, path: &Path, is_dir: bool) -> Option<Option<(String, ExcludeOrigin)>> {
        if let Match::Ignore(_) = self.always.matched(path, is_dir) {
            return Some(None);
        }
        self.by_origin
            .iter()
            .find_map(|(origin, m)| match m.matched(path, is_dir) {
                Match::Ignore(glob) => Some(Some((glob.original().to_string(), *origin))),
                _ => None,
            })
    }
}

fn matcher<'a>(
    root: &Path,
    patterns: impl Iterator<Item = &'a str>,
    origin: ExcludeOrigin,
) -> Result<Gitignore, CheckoutError> {
    let mut builder = GitignoreBuilder::new(root);
    for pattern in patterns {
        let invalid = |message: String| CheckoutError::InvalidExclude {
            pattern: pattern.to_string(),
            origin,
            message,
        };
        if pattern.trim().is_empty() {
            return Err(invalid("an empty pattern excludes nothing".into()));
        }
        if pattern.starts_with('!') {
            return Err(invalid("negated patterns are not supported".into()));
        }
        builder
            .add_line(None, pattern)
            .map_err(|e| invalid(e.to_string()))?;
    }
    builder.build().map_err(|e| CheckoutError::InvalidExclude {
        pattern: String::new(),
        origin,
        message: e.to_string(),
    })
}

/// Relative, `/`-separated path. A name that is not UTF-8 keeps its bytes as `\xNN`
/// (see [`label`]), so two such names never share a label.
pub(crate) fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let parts: Vec<String> = rel.components().map(|c| label(c.as_os_str())).collect();
    parts.join("/")
}

/// A path component as text: itself when it is UTF-8; else its valid runs as they are and
/// every other byte as `\xNN`. Lossy decoding made `a\xff` and `a\xfe` both `a\u{fffd}`,
/// and one of the two files was dropped as a duplicate.
pub(crate) fn label(name: &std::ffi::OsStr) -> String {
    if let Some(s) = name.to_str() {
        return s.to_string();
    }
    #[cfg(unix)]
    {
        use std::fmt::Write;
        use std::os::unix::ffi::OsStrExt;
        let mut out = String::new();
        for chunk in name.as_bytes().utf8_chunks() {
            out.push_str(chunk.valid());
            for b in chunk.invalid() {
                let _ = write!(out, "\\x{b:02x}");
            }
        }
        out
    }
    #[cfg(not(unix))]
    {
        name.to_string_lossy().into_owned()
    }
}

/// The path below `root` of a walked entry, when its label is not the path itself (a name
/// that is not UTF-8): kept so the file can still be opened.
fn raw_path(root: &Path, path: &Path, rel: &str) -> Option<PathBuf> {
    let raw = path.strip_prefix(root).unwrap_or(path);
    (raw.to_str() != Some(rel)).then(|| raw.to_path_buf())
}

/// The root as walked: canonical, checked to be a directory.
fn canonical_root(root: &Path) -> Result<PathBuf, CheckoutError> {
    let meta = std::fs::metadata(root).map_err(|source| {
        if source.kind() == std::io::ErrorKind::NotFound {
            CheckoutError::NotFound {
                path: root.to_path_buf(),
            }
        } else {
            CheckoutError::Io {
                path: root.to_path_buf(),
                source,
            }
        }
    })?;
    if !meta.is_dir() {
        return Err(CheckoutError::NotADirectory {
            path: root.to_path_buf(),
        });
    }
    std::fs::canonicalize(root).map_err(|source| CheckoutError::Io {
        path: root.to_path_buf(),
        source,
    })
}

#[derive(Default)]
struct Shared {
    files: Mutex<Vec<IndexedFile>>,
    pruned: Mutex<Vec<Pruned>>,
    errors: Mutex<Vec<String>>,
    dirs: AtomicU64,
    symlinks: AtomicU64,
}

impl FileIndex {
    /// Walk `root` and build the index.
    pub fn build(root: &Path, options: &IndexOptions) -> Result<FileIndex, CheckoutError> {
        build(root, options)
    }
}

fn build(root: &Path, options: &IndexOptions) -> Result<FileIndex, CheckoutError> {
    let root = canonical_root(root)?;
    let (excludes, excluded) = Excludes::new(&root, options)?;
    let excludes = Arc::new(excludes);
    let shared = Arc::new(Shared::default());

    let mut builder = WalkBuilder::new(&root);
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
        .threads(choose_threads(options.threads).threads);
    {
        let excludes = Arc::clone(&excludes);
        let shared = Arc::clone(&shared);
        let root = root.clone();
        builder.filter_entry(move |entry| {
            if entry.depth() == 0 {
                return true;
            }
            let is_dir = entry.file_type().is_some_and(|t| t.is_dir());
            match excludes.check(entry.path(), is_dir) {
                None => true,
                Some(None) => false,
                Some(Some((pattern, origin))) => {
                    let mut path = relative(&root, entry.path());
                    if is_dir {
                        path.push('/');
                    }
                    lock(&shared.pruned).push(Pruned {
                        path,
                        pattern,
                        origin,
                        tracked: Vec::new(),
                    });
                    false
                }
            }
        });
    }

    builder.build_parallel().run(|| {
        let shared = Arc::clone(&shared);
        let root = root.clone();
        let mut sink = Sink {
            shared: Arc::clone(&shared),
            local: Vec::new(),
        };
        Box::new(move |entry| {
            let entry = match entry {
                Ok(e) => e,
                Err(e) => {
                    lock(&shared.errors).push(e.to_string());
                    return WalkState::Continue;
                }
            };
            if entry.depth() == 0 {
                return WalkState::Continue;
            }
            let Some(ft) = entry.file_type() else {
                return WalkState::Continue;
            };
            if ft.is_symlink() {
                shared.symlinks.fetch_add(1, Ordering::Relaxed);
            } else if ft.is_dir() {
                shared.dirs.fetch_add(1, Ordering::Relaxed);
            } else if ft.is_file() {
                let size = entry.metadata().map_or(0, |m| m.len());
                let rel = relative(&root, entry.path());
                sink.push(IndexedFile {
                    raw: raw_path(&root, entry.path(), &rel),
                    rel,
                    size,
                    tracked_ignored: false,
                });
            }
            WalkState::Continue
        })
    });

    // The filter closure inside `builder` still holds a reference: take the contents.
    drop(builder);
    let mut files = std::mem::take(&mut *lock(&shared.files));
    let mut pruned = std::mem::take(&mut *lock(&shared.pruned));
    let mut errors = std::mem::take(&mut *lock(&shared.errors));
    pruned.sort_by(|a, b| a.path.cmp(&b.path));
    files.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
    let git = tracked_pass(&root, &excludes, &mut files, &mut pruned, &mut errors);
    errors.sort();
    Ok(FileIndex {
        root,
        files,
        dirs: shared.dirs.load(Ordering::Relaxed),
        symlinks: shared.symlinks.load(Ordering::Relaxed),
        excluded,
        pruned,
        git,
        errors,
    })
}

fn lock<T>(m: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    m.lock().unwrap_or_else(|e| e.into_inner())
}

/// Per-thread buffer of files, moved to the shared list in batches and when the visitor is
/// dropped at the end of the walk.
struct Sink {
    shared: Arc<Shared>,
    local: Vec<IndexedFile>,
}

impl Sink {
    fn push(&mut self, file: IndexedFile) {
        self.local.push(file);
        if self.local.len() >= 256 {
            self.flush();
        }
    }

    fn flush(&mut self) {
        lock(&self.shared.files).append(&mut self.local);
    }
}

impl Drop for Sink {
    fn drop(&mut self) {
        self.flush();
    }
}

/// Add the files git tracks that the walk did not see because a `.gitignore` line matched
/// them (or a directory above them), and list the tracked files below pruned directories.
fn tracked_pass(
    root: &Path,
    excludes: &Excludes,
    files: &mut Vec<IndexedFile>,
    pruned: &mut [Pruned],
    errors: &mut Vec<String>,
) -> GitIndexState {
    if std::fs::symlink_metadata(root.join(".git")).is_err() {
        return GitIndexState::NoRepository;
    }
    // `files` is sorted: a binary search per tracked path, and only the paths the walk did
    // not see are copied out of git's index (on a large checkout, almost none).
    let seen = |rel: &str| files.binary_search_by(|f| f.rel.as_str().cmp(rel)).is_ok();
    let (count, unseen) = match unseen_tracked_files(root, seen) {
        Ok(t) => t,
        Err(reason) => return GitIndexState::Unreadable { reason },
    };
    let pruned_dirs: HashMap<String, usize> = pruned
        .iter()
        .enumerate()
        .filter(|(_, p)| p.path.ends_with('/'))
        .map(|(i, p)| (p.path.trim_end_matches('/').to_string(), i))
        .collect();
    let pruned_files: HashSet<String> = pruned
        .iter()
        .filter(|p| !p.path.ends_with('/'))
        .map(|p| p.path.clone())
        .collect();
    let mut added = Vec::new();
    'paths: for rel in unseen {
        if pruned_files.contains(&rel) {
            continue;
        }
        // The nearest pruned directory above it, if any, records it.
        let mut dir = rel.as_str();
        while let Some((parent, _)) = dir.rsplit_once('/') {
            if let Some(&i) = pruned_dirs.get(parent) {
                pruned[i].tracked.push(rel.clone());
                continue 'paths;
            }
            dir = parent;
        }
        // Not below a pruned directory: the walk missed it because git ignores it (or a
        // directory above it). The exclude list still applies to each component.
        let mut path = root.to_path_buf();
        let components: Vec<&str> = rel.split('/').collect();
        for (i, c) in components.iter().enumerate() {
            path.push(c);
            let last = i + 1 == components.len();
            let Ok(meta) = std::fs::symlink_metadata(&path) else {
                // Deleted from the worktree but still in the index: not a file here.
                continue 'paths;
            };
            if meta.file_type().is_symlink() || (!last && !meta.is_dir()) {
                continue 'paths;
            }
            if excludes.check(&path, !last).is_some() {
                continue 'paths;
            }
            if last {
                if meta.is_file() {
                    added.push(IndexedFile {
                        rel: rel.clone(),
                        raw: None,
                        size: meta.len(),
                        tracked_ignored: true,
                    });
                } else {
                    errors.push(format!("{rel}: tracked by git but not a regular file here"));
                }
            }
        }
    }
    for p in pruned.iter_mut() {
        p.tracked.sort();
    }
    if !added.is_empty() {
        files.append(&mut added);
        files.sort_unstable_by(|a, b| a.rel.cmp(&b.rel));
        files.dedup_by(|a, b| a.rel == b.rel);
    }
    GitIndexState::Read { tracked: count }
}

/// How many regular files (not symlinks, not submodules) git's index holds, and the paths
/// of those `seen` does not know.
fn unseen_tracked_files(
    root: &Path,
    seen: impl Fn(&str) -> bool,
) -> Result<(u64, Vec<String>), String> {
    let repo = gix::open_opts(root, gix::open::Options::isolated())
        .map_err(|e| format!("cannot open the repository: {e}"))?;
    let index_size = std::fs::symlink_metadata(repo.index_path()).map_or(0, |m| m.len());
    if index_size > crate::git::MAX_GIT_INDEX {
        return Err(format!(
            "the git index is {index_size} bytes, over the {}-byte limit",
            crate::git::MAX_GIT_INDEX
        ));
    }
    let index = match repo.open_index() {
        Ok(i) => i,
        // A repository without an index (fresh `git init`) tracks nothing.
        Err(_) if !repo.index_path().exists() => return Ok((0, Vec::new())),
        Err(e) => return Err(format!("cannot read the git index: {e}")),
    };
    let mut count = 0;
    let mut out = Vec::new();
    for entry in index.entries() {
        if !matches!(
            entry.mode,
            gix::index::entry::Mode::FILE | gix::index::entry::Mode::FILE_EXECUTABLE
        ) {
            continue;
        }
        count += 1;
        let path = entry.path(&index).to_string();
        if path
            .split('/')
            .any(|c| c.is_empty() || c == ".." || c == ".")
            || seen(&path)
        {
            continue;
        }
        out.push(path);
    }
    out.sort();
    out.dedup();
    Ok((count, out))
}
