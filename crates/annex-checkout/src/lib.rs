//! The checkout's one file index, built once per run and read by every stage (evidence,
//! inventory, documents), and the one way annex reads a file of the checkout.
//!
//! What belongs to the index:
//! - every regular file the walk reaches (parallel, `ignore`), honouring only the checkout's
//!   own `.gitignore` files: not the user's global excludes, not `.git/info/exclude`, not
//!   ignore files above the root;
//! - every file git tracks, even when a `.gitignore` line matches it (the common `/Cargo.lock`
//!   line in a workspace that later committed its lock with `git add -f`): what git tracks is
//!   part of the repository. Untracked ignored files are not;
//! - nothing below a directory or file matched by the one exclude list: the defaults
//!   ([`DEFAULT_EXCLUDES`], switchable off), the caller's `--exclude` globs and `annex.toml`'s
//!   `[scope] exclude`. Each pruned path is recorded in [`FileIndex::pruned`] with the
//!   pattern and its origin, and with the tracked files below it, so that later stages can
//!   say which lockfile they did not read and why.
//!
//! Symlinks are never followed and never indexed (they are counted). Reads go through
//! [`read_file`], which refuses non-regular files, paths that leave the root and files over
//! a size cap. Nothing here prints, exits or reads the environment.

mod read;
mod threads;
mod walk;

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use read::{ReadError, read_file, read_text};
pub use threads::{ThreadChoice, choose_threads};

/// Directories (and files) left out by default, in gitignore syntax: installed and vendored
/// dependencies, build output, virtual environments and caches, test data and examples.
/// None of them is the project's own source or its dependency declaration; each pruned one
/// is reported, and `default_excludes: false` (`--no-default-excludes`) reads them.
pub const DEFAULT_EXCLUDES: &[&str] = &[
    "node_modules/",
    "bower_components/",
    "jspm_packages/",
    ".pnpm-store/",
    ".yarn/",
    "vendor/",
    "vendored/",
    "third_party/",
    "third-party/",
    "thirdparty/",
    "3rdparty/",
    "Pods/",
    "target/",
    ".venv/",
    "venv/",
    ".tox/",
    ".nox/",
    "__pycache__/",
    "site-packages/",
    ".mypy_cache/",
    ".gradle/",
    "testdata/",
    "test-data/",
    "fixtures/",
    "__fixtures__/",
    "examples/",
    "example/",
];

/// Version-control directories: never part of the checkout's content, whatever the options.
pub const ALWAYS_EXCLUDED: &[&str] = &[".git/", ".hg/", ".svn/"];

/// How to build the index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexOptions {
    /// Apply [`DEFAULT_EXCLUDES`].
    pub default_excludes: bool,
    /// Exclusion globs given on the command line (`--exclude`), gitignore syntax.
    pub exclude: Vec<String>,
    /// Exclusion globs from `annex.toml`'s `[scope] exclude`, gitignore syntax.
    pub scope_exclude: Vec<String>,
    /// Walker threads; 0 chooses one per core. See [`choose_threads`] for the cap.
    pub threads: usize,
}

impl Default for IndexOptions {
    fn default() -> Self {
        IndexOptions {
            default_excludes: true,
            exclude: Vec::new(),
            scope_exclude: Vec::new(),
            threads: 0,
        }
    }
}

/// Where an exclusion pattern came from.
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum ExcludeOrigin {
    /// [`DEFAULT_EXCLUDES`].
    Default,
    /// `--exclude` on the command line.
    Option,
    /// `annex.toml` `[scope] exclude`.
    Scope,
}

impl ExcludeOrigin {
    /// How a user would name it.
    pub fn describe(self) -> &'static str {
        match self {
            ExcludeOrigin::Default => "default exclude",
            ExcludeOrigin::Option => "--exclude",
            ExcludeOrigin::Scope => "annex.toml [scope] exclude",
        }
    }
}

/// A regular file of the checkout.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct IndexedFile {
    /// Relative to the root, `/`-separated.
    pub rel: String,
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

/// Why a file of interest (a lockfile, a manifest) was not read.
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "kebab-case")]
pub enum SkipReason {
    /// Below a default-excluded directory (`--no-default-excludes` reads it).
    DefaultExcluded,
    /// Matched by `--exclude` or `annex.toml` `[scope] exclude`.
    Excluded,
    /// A format annex recognises but does not read.
    Unsupported,
    /// It could not be read or parsed.
    Unreadable,
    /// Another file in the same place is read instead (e.g. `requirements.txt` beside
    /// `uv.lock`, `package-lock.json` beside `npm-shrinkwrap.json`).
    Shadowed,
}

impl SkipReason {
    /// The kebab-case code, as in JSON.
    pub fn code(self) -> &'static str {
        match self {
            SkipReason::DefaultExcluded => "default-excluded",
            SkipReason::Excluded => "excluded",
            SkipReason::Unsupported => "unsupported",
            SkipReason::Unreadable => "unreadable",
            SkipReason::Shadowed => "shadowed",
        }
    }
}

/// A lockfile or manifest a run did not read, and why (`skipped[]` in JSON documents).
#[derive(Serialize, Deserialize, Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Skipped {
    /// Relative path (a directory ends with `/`).
    pub path: String,
    pub reason: SkipReason,
    /// The particulars: the pattern, the file read instead, the parse error.
    pub detail: String,
}

impl std::fmt::Display for Skipped {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} ({}: {})", self.path, self.reason.code(), self.detail)
    }
}

/// Errors building the index: only the root itself or a pattern can fail it.
#[derive(thiserror::Error, Debug)]
pub enum CheckoutError {
    #[error("{}: no such file or directory", path.display())]
    NotFound { path: PathBuf },
    #[error("{}: not a directory (annex reads a checkout)", path.display())]
    NotADirectory { path: PathBuf },
    #[error("{}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("invalid exclude pattern {pattern:?} ({}): {message}", origin.describe())]
    InvalidExclude {
        pattern: String,
        origin: ExcludeOrigin,
        message: String,
    },
}

impl FileIndex {
    /// Walk `root` and build the index.
    pub fn build(root: &Path, options: &IndexOptions) -> Result<FileIndex, CheckoutError> {
        walk::build(root, options)
    }

    /// The absolute path of an indexed file.
    pub fn path(&self, rel: &str) -> PathBuf {
        self.root.join(rel)
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
