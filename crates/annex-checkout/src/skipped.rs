//! What a run did not read, and why: the `skipped[]` every document carries.

use serde::{Deserialize, Serialize};

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
