//! What the caller chooses for a run: exclusions, size cap, threads, "now" and signing keys.
//! A leaf: the walk, git history and the pipeline all read it, and it reads none of them.

use std::path::PathBuf;

/// Default for [`Options::max_file_size`]: 4 MiB.
pub const DEFAULT_MAX_FILE_SIZE: u64 = 4 * 1024 * 1024;

/// How to walk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// Extra exclusion globs (gitignore syntax), added to
    /// [`annex_checkout::DEFAULT_EXCLUDES`] by [`collect`](crate::collect). Negated (`!`) patterns are
    /// rejected. [`collect_indexed`](crate::collect_indexed) takes the index as built and ignores this.
    pub exclude: Vec<String>,
    /// Files larger than this are counted in `walk.skipped_large` and not read, except for
    /// their first bytes (at most 1 KiB) to recognise binaries.
    pub max_file_size: u64,
    /// Reader threads; 0 chooses one per core (capped at four per core).
    pub threads: usize,
    /// "Now" in Unix seconds, for the ages in `git` (days since the last commit, the last
    /// release); `None` takes the system clock. Tests inject it.
    pub now: Option<i64>,
    /// Keys to verify commit and tag signatures with; `None` leaves `verified` `null`.
    pub signers: Option<Signers>,
}

/// Keys the user trusts to sign commits and tags (docs/evidence.md, "Git history").
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Signers {
    /// An OpenSSH allowed_signers file (`principals [options] keytype base64 [comment]`),
    /// for `ssh` signatures.
    pub allowed_signers: Option<PathBuf>,
    /// ASCII-armored or binary OpenPGP public keys, for `gpg` signatures.
    pub keyring: Option<PathBuf>,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            exclude: Vec::new(),
            max_file_size: DEFAULT_MAX_FILE_SIZE,
            threads: 0,
            now: None,
            signers: None,
        }
    }
}
