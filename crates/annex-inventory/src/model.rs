//! The inventory document (`annex/inventory/v1`): one subject per lockfile or manifest,
//! its components and, where the format records them, the dependency edges.

use serde::{Deserialize, Serialize};

pub const INVENTORY_SCHEMA: &str = "annex/inventory/v1";

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Inventory {
    pub schema: String,
    /// Sorted by path.
    pub subjects: Vec<Subject>,
}

/// One lockfile or manifest and what it pins.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq)]
pub struct Subject {
    /// Relative, `/`-separated path of the file.
    pub path: String,
    /// OSV ecosystem name (`crates.io`, `npm`, `PyPI`, …).
    pub ecosystem: String,
    /// The format and its version as read, e.g. `Cargo.lock v4`, `package-lock.json v3`.
    pub format: String,
    /// The project the file belongs to, when the file names it (root package).
    pub root: Option<Component>,
    /// Sorted by (name, version, purl).
    pub components: Vec<Component>,
    /// Dependency edges by component `id`, sorted; empty when the format records none.
    pub edges: Vec<Edge>,
    /// Whether the format records the full graph (for SBOM completeness).
    pub edges_complete: bool,
    /// Entries that name a dependency without a resolved version (unpinned requirements):
    /// reported, never guessed.
    pub unresolved: Vec<Unresolved>,
}

#[derive(Debug, Clone, Copy, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    Required,
    Dev,
    Optional,
    Build,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Hash {
    /// `sha1`, `sha256`, `sha384`, `sha512`, `md5` (lowercase), or `go-h1` for a go.sum
    /// `h1:` value (a SHA-256 of the module's dirhash listing, not of a file).
    pub alg: String,
    /// Lowercase hex.
    pub value: String,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Source {
    Registry { url: Option<String> },
    Git { url: String, rev: Option<String> },
    Path { path: String },
    Url { url: String },
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Location {
    pub path: String,
    /// 1-based line where the entry starts.
    pub line: u64,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Component {
    /// Unique within the subject: the purl, with a suffix when the same purl repeats.
    pub id: String,
    pub ecosystem: String,
    pub name: String,
    pub version: String,
    /// package-url (purl-spec), type-specific normalisation applied.
    pub purl: String,
    pub scope: Scope,
    pub direct: bool,
    pub hashes: Vec<Hash>,
    /// Declared licences as SPDX expressions, where the file records them.
    pub licenses: Vec<String>,
    pub source: Source,
    pub location: Location,
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Edge {
    pub from: String,
    pub to: String,
    /// The kind of the dependency where the format or a manifest says it (`dev` for a
    /// development-only edge, such as a root's devDependencies); `required` otherwise.
    /// Without `--include-dev` the dev edges are dropped, and a component that only they
    /// made direct is no longer direct.
    #[serde(default = "required", skip_serializing_if = "is_required")]
    pub scope: Scope,
}

fn required() -> Scope {
    Scope::Required
}

fn is_required(s: &Scope) -> bool {
    *s == Scope::Required
}

#[derive(Debug, Clone, Serialize, Deserialize, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Unresolved {
    pub name: String,
    /// The requirement as written (`>=1.2`, a URL, …).
    pub requirement: String,
    pub location: Location,
}
