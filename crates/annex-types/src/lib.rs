//! annex-types: the vocabulary every other annex crate speaks, written once.
//!
//! - [`ecosystem`]: the one table of package ecosystems (OSV name, accepted spellings, purl
//!   type, version scheme, name normalisation, advisory id prefixes);
//! - [`purl`]: the one package-url type (parse, build, normalise, display);
//! - [`location`]: a place in a file and the one byte offset → line/column index;
//! - [`digest`]: SHA-256, hex, content-derived UUIDs and base64;
//! - [`escape`]: control characters escaped before text reaches a terminal;
//! - [`percent`]: percent-encoding of the characters a caller picks;
//! - [`slug`]: short ids made from titles;
//! - [`time`]: [`BuildTime`], the document timestamp the caller passes in.
//!
//! This is the bottom layer: it depends on no other annex crate, reads no environment
//! variable, no clock and no file, and never prints.

#![deny(missing_docs)]

pub mod digest;
pub mod ecosystem;
pub mod escape;
pub mod location;
pub mod percent;
pub mod purl;
pub mod slug;
pub mod time;
pub mod version;
pub mod xml;

pub use ecosystem::{Ecosystem, NameRule, VersionScheme};
pub use escape::{escape_control, escape_control_lines};
pub use location::{LineIndex, Location};
pub use purl::{Purl, PurlError};
pub use time::{BuildTime, BuildTimeError};
