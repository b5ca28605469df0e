//! annex-inventory: detect package ecosystems ([`detect::classify`], used by
//! `annex-evidence` during its walk) and parse lockfiles and manifests into an
//! [`Inventory`]: components with purl, version, scope, direct/transitive, hashes, declared
//! licences and the file and line they came from, and dependency edges. No package manager
//! runs and nothing touches the network.

pub mod detect;
pub mod model;
pub mod parse;
pub mod scan;

/// Package URLs live in `annex-types`; re-exported for the parsers and older users.
pub use annex_types::purl;

pub use model::*;
