//! annex-inventory: detect package ecosystems ([`detect::classify`], used by
//! `annex-evidence` during its walk) and parse lockfiles and manifests into an
//! [`Inventory`]: components with purl, version, scope, direct/transitive, hashes, declared
//! licences and the file and line they came from, and dependency edges. No package manager
//! runs and nothing touches the network.

pub mod detect;
pub mod extract;
pub mod model;
pub mod parse;
pub mod purl;
pub mod scan;

pub use model::*;
