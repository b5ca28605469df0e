//! What the readers return: the packages of a document, and the errors.

use std::collections::BTreeSet;

use annex_inventory::Scope;
use serde::{Deserialize, Serialize};

use annex_types::purl;

/// Default [`ReadOptions::max_bytes`]: 256 MiB.
pub const DEFAULT_MAX_BYTES: u64 = 256 * 1024 * 1024;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReadOptions {
    /// Larger input is refused with [`ReadError::TooLarge`].
    pub max_bytes: u64,
}

impl Default for ReadOptions {
    fn default() -> Self {
        ReadOptions {
            max_bytes: DEFAULT_MAX_BYTES,
        }
    }
}

#[derive(Debug, Clone, thiserror::Error, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ReadError {
    #[error("{size} bytes, more than the limit of {limit} bytes")]
    TooLarge { size: u64, limit: u64 },
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    /// Malformed JSON, or a field of the wrong type. Line and column are 1-based.
    #[error("{line}:{column}: {message}")]
    Syntax {
        line: usize,
        column: usize,
        message: String,
    },
    #[error(
        "not a CycloneDX or SPDX document (no bomFormat, spdxVersion, SPDX 3 @context or CycloneDX XML namespace)"
    )]
    UnknownFormat,
    #[error("unsupported {format} version `{version}`")]
    UnsupportedVersion { format: String, version: String },
}

impl From<serde_json::Error> for ReadError {
    fn from(e: serde_json::Error) -> Self {
        let msg = e.to_string();
        // serde_json appends " at line L column C"; keep the message alone.
        let message = match msg.rfind(" at line ") {
            Some(i) => msg[..i].to_string(),
            None => msg,
        };
        ReadError::Syntax {
            line: e.line(),
            column: e.column(),
            message,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum SbomFormat {
    CycloneDx,
    Spdx2,
    Spdx3,
}

/// What a document lists.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SbomDocument {
    pub format: SbomFormat,
    /// As written: `1.6`, `SPDX-2.3`, `3.0.1`.
    pub spec_version: String,
    /// The described product(s).
    pub roots: Vec<SbomPackage>,
    /// Every other package, in document order.
    pub packages: Vec<SbomPackage>,
}

/// One package of an SBOM.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SbomPackage {
    /// `bom-ref`, `SPDXID` or `spdxId`.
    pub id: Option<String>,
    /// OSV ecosystem from the purl type (`crates.io`, `npm`, `PyPI`, …); `None` without a
    /// purl or for a purl type OSV has no ecosystem for.
    pub ecosystem: Option<String>,
    /// The OSV package name when a purl is present (`@scope/name`, `group:artifact`, Go
    /// module path), else the document's name (`group/name` for CycloneDX with a group).
    pub name: String,
    /// The document's version, else the purl's.
    pub version: Option<String>,
    pub purl: Option<String>,
    pub scope: Scope,
}

/// A package from what a document says of it: ecosystem and OSV name from the purl when
/// there is one, else the document's name; the version from the document, else the purl.
pub(super) fn package(
    id: Option<String>,
    doc_name: String,
    version: Option<String>,
    purl_s: Option<String>,
    scope: Scope,
) -> SbomPackage {
    let purl_s = purl_s.filter(|p| !p.trim().is_empty());
    let parsed = purl_s.as_deref().and_then(purl::parse_lenient);
    let (ecosystem, name) = match &parsed {
        Some(p) => (p.osv_ecosystem().map(str::to_string), p.osv_name()),
        None => (None, doc_name),
    };
    let version = version
        .filter(|v| !v.is_empty())
        .or_else(|| parsed.and_then(|p| p.version));
    SbomPackage {
        id,
        ecosystem,
        name,
        version,
        purl: purl_s,
        scope,
    }
}

/// Combine the scopes edges give a package: any required edge wins, then optional, build,
/// dev.
pub(super) fn combine(scopes: &BTreeSet<Scope>) -> Scope {
    for s in [Scope::Required, Scope::Optional, Scope::Build, Scope::Dev] {
        if scopes.contains(&s) {
            return s;
        }
    }
    Scope::Required
}
