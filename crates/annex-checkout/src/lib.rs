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

mod error;
pub mod git;
mod index;
pub mod nofollow;
mod options;
mod read;
mod skipped;
mod threads;
mod walk;
mod write;

pub use error::CheckoutError;
pub use index::{FileIndex, GitIndexState, IndexedFile, Pruned};
pub use options::{ALWAYS_EXCLUDED, DEFAULT_EXCLUDES, ExcludeOrigin, IndexOptions};
pub use read::{ReadError, read_file, read_given, read_indexed, read_text};
pub use skipped::{SkipReason, Skipped};
pub use threads::{ThreadChoice, choose_threads, run_workers};
pub use write::{WriteError, write_file, write_output};
