//! The index itself: the checkout's files, what the exclude list kept out, what git said.

use std::path::PathBuf;

use serde::Serialize;

use crate::options::ExcludeOrigin;
use crate::read::{ReadError, read_file};

/// A regular file of the checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedFile {
    /// Relative to the root, `/`-separated; a name that is not UTF-8 shows its other bytes
    /// as `\xNN` (distinct names, distinct labels).
    pub rel: String,
    /// The path below the root as the system names it, when `rel` is not that path (a name
    /// that is not UTF-8).
    pub raw: Option<PathBuf>,
    /// Size in bytes when indexed.
    pub size: u64,
    /// Tracked by git although a `.gitignore` line matches it (found through the git index,
    /// not the walk).
    pub tracked_ignored: bool,
}

impl IndexedFile {
    /// The file name (last path component).
    pub fn name(&self) -> &str {
        self.rel.rsplit_once('/').map_or(&self.rel, |(_, n)| n)
    }

    /// The directory part of the path, `""` at the root.
    pub fn dir(&self) -> &str {
        self.rel.rsplit_once('/').map_or("", |(d, _)| d)
    }
}

/// A directory or file the exclude list kept out of the index.
#[derive(Serialize, Debug, Clone, PartialEq, Eq)]
pub struct Pruned {
    /// Relative path; directories end with `/`.
    pub path: String,
    /// The pattern that matched, as written.
    pub pattern: String,
    pub origin: ExcludeOrigin,
    /// Files git tracks below a pruned directory (empty for a pruned file, and when the
    /// checkout is not a git repository).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tracked: Vec<String>,
}

/// What the checkout's git index said, for the tracked-but-ignored pass.
#[derive(Serialize, Debug, Clone, PartialEq, Eq, Default)]
#[serde(rename_all = "kebab-case", tag = "state")]
pub enum GitIndexState {
    /// No `.git` at the root: only the walk decides.
    #[default]
    NoRepository,
    /// Read: this many tracked files.
    Read { tracked: u64 },
    /// `.git` exists but its index could not be read; tracked files a `.gitignore` matches
    /// may be missing from the index.
    Unreadable { reason: String },
}

/// The checkout's files, sorted by path.
#[derive(Debug, Clone)]
pub struct FileIndex {
    /// The canonical root.
    pub root: PathBuf,
    /// Regular files, sorted by `rel`.
    pub files: Vec<IndexedFile>,
    /// Directories entered.
    pub dirs: u64,
    /// Symlinks seen and not followed.
    pub symlinks: u64,
    /// The exclusion patterns in force (defaults, `--exclude`, `[scope]`), sorted.
    pub excluded: Vec<String>,
    /// What the exclude list kept out, sorted by path.
    pub pruned: Vec<Pruned>,
    pub git: GitIndexState,
    /// Entries the walk could not read (permissions, races), as `path: message`.
    pub errors: Vec<String>,
}

impl FileIndex {
    /// The absolute path of an indexed file.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
    }

    /// The absolute path of an indexed file, exact even when its name is not UTF-8.
    pub fn path_of(&self, file: &IndexedFile) -> PathBuf {
        match &file.raw {
            Some(raw) => self.root.join(raw),
            None => self.root.join(&file.rel),
        }
    }

    /// Whether the index holds this relative path.
    pub fn contains(&self, rel: &str) -> bool {
        self.files
            .binary_search_by(|f| f.rel.as_str().cmp(rel))
            .is_ok()
    }

    /// Read an indexed (or any other) file below the root, refusing symlinks, special files,
    /// `..` and files over `limit` bytes.
    pub fn read(&self, rel: &str, limit: u64) -> Result<Vec<u8>, ReadError> {
        read_file(&self.root, rel, limit)
    }

    /// Tracked files below pruned paths, with the pruned entry that hid each.
    pub fn pruned_files(&self) -> impl Iterator<Item = (&str, &Pruned)> {
        self.pruned.iter().flat_map(|p| {
            let own = (!p.path.ends_with('/')).then_some(p.path.as_str());
            own.into_iter()
                .chain(p.tracked.iter().map(String::as_str))
                .map(move |f| (f, p))
        })
    }
}
