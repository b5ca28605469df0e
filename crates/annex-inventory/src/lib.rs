//! annex-inventory: the extractor registry ([`extract::REGISTRY`], one [`extract::Extractor`]
//! per lockfile or manifest format) and the scan that runs it over the checkout's file index
//! ([`scan::scan_index`]), producing an [`Inventory`]: components with purl, version, scope,
//! direct/transitive, hashes, declared licences and the file and line they came from, and
//! dependency edges, plus the files not read and why. [`detect::classify`] (used by
//! `annex-evidence`) names a file's ecosystem from the same registry. [`maven`] resolves a
//! `pom.xml` as Maven does, from the checkout's POMs and a local Maven repository. No
//! package manager runs and nothing touches the network.

pub mod detect;
pub mod extract;
mod kind;
pub mod maven;
pub mod model;
pub mod parse;
pub mod scan;

/// Package URLs live in `annex-types`; re-exported for the parsers and older users.
pub use annex_types::purl;

pub use model::*;
