//! Version ordering per ecosystem, for matching versions against OSV ranges offline.
//!
//! [`scheme_for`] maps an OSV ecosystem name to a [`VersionScheme`]; [`parse`] reads a
//! version string into a [`Version`] that orders like the ecosystem's own tooling (see each
//! scheme for whose rules it follows); [`compare`] does both for two strings.
//!
//! Every scheme is a total order (antisymmetric and transitive), so versions can be sorted
//! and kept in ordered maps. Where an ecosystem's own comparator is not transitive
//! (Maven's `ComparableVersion`, PHP's `version_compare`) the scheme's module says which
//! pairs are ordered differently. Equality is the ordering's (`1.0` = `1.0.0` in Maven),
//! not string equality; [`Version::as_str`] keeps the original.
//!
//! Numbers of any length compare exactly (as digit strings); inputs longer than
//! [`MAX_VERSION_LEN`] bytes are rejected, so parsing and comparing are bounded.

/// `PartialOrd` from the type's total `Ord`, for the scheme types: one place instead of the
/// same four lines in every scheme module.
macro_rules! partial_ord_from_ord {
    ($ty:ty) => {
        impl PartialOrd for $ty {
            fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
                Some(self.cmp(other))
            }
        }
    };
}

mod alpine;
mod cran;
mod debian;
mod hackage;
use annex_types::version::maven;

mod packagist;
mod pep440;
mod rpm;
mod rubygems;
mod semver;

use std::cmp::Ordering;
use std::fmt;

use serde::{Deserialize, Serialize};

/// The longest version string accepted, in bytes.
pub const MAX_VERSION_LEN: usize = 256;

/// The scheme names live in `annex-types`, beside the ecosystem table that assigns them.
pub use annex_types::ecosystem::VersionScheme;

/// Parsing and comparing as methods of a [`VersionScheme`] (the enum lives in
/// `annex-types`, the orderings here).
pub trait VersionOrdering {
    /// Reads `s` as a version of this scheme; see [`parse`].
    fn parse(self, s: &str) -> Result<Version, VersionError>;
    /// Compares two version strings of this scheme; see [`compare`].
    fn compare(self, a: &str, b: &str) -> Result<Ordering, VersionError>;
}

impl VersionOrdering for VersionScheme {
    fn parse(self, s: &str) -> Result<Version, VersionError> {
        parse(self, s)
    }

    fn compare(self, a: &str, b: &str) -> Result<Ordering, VersionError> {
        compare(self, a, b)
    }
}

/// Why a version could not be read or ordered.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum VersionError {
    /// The ecosystem has no version ordering here.
    #[error("no version ordering is known for ecosystem {ecosystem:?}")]
    Unsupported { ecosystem: String },
    /// The string is not a version of the scheme.
    #[error("{version:?} is not a valid {scheme} version: {reason}")]
    Invalid {
        scheme: VersionScheme,
        /// The offending string (cut to [`MAX_VERSION_LEN`] bytes).
        version: String,
        reason: String,
    },
}

/// The version scheme of an OSV ecosystem name. A suffix after the first `:` (`Debian:12`,
/// `Alpine:v3.18`, `Red Hat:enterprise_linux:9`) is ignored, and so is letter case.
pub fn scheme_for(ecosystem: &str) -> Result<VersionScheme, VersionError> {
    annex_types::ecosystem::version_scheme(ecosystem).ok_or_else(|| VersionError::Unsupported {
        ecosystem: ecosystem.to_string(),
    })
}

/// A parsed version of one scheme. It orders (and is equal) as its scheme says; versions
/// of different schemes order by scheme first. It keeps the original string.
#[derive(Clone, Debug)]
pub struct Version {
    scheme: VersionScheme,
    original: Box<str>,
    key: Key,
}

#[derive(Clone, Debug)]
enum Key {
    SemVer(semver::SemVer),
    Pep440(pep440::PyPiVersion),
    Maven(maven::MavenVersion),
    RubyGems(rubygems::RubyGemsVersion),
    Packagist(packagist::PackagistVersion),
    Debian(debian::DebianVersion),
    Alpine(alpine::AlpineVersion),
    Rpm(rpm::RpmVersion),
    Cran(cran::CranVersion),
    Hackage(hackage::HackageVersion),
}

/// Reads `s` as a version of `scheme`. Surrounding whitespace is ignored. Never panics;
/// strings that are empty, longer than [`MAX_VERSION_LEN`] bytes or malformed for the
/// scheme are [`VersionError::Invalid`].
pub fn parse(scheme: VersionScheme, s: &str) -> Result<Version, VersionError> {
    let invalid = |reason: &str| {
        let mut end = s.len().min(MAX_VERSION_LEN);
        while !s.is_char_boundary(end) {
            end -= 1;
        }
        VersionError::Invalid {
            scheme,
            version: s[..end].to_string(),
            reason: reason.to_string(),
        }
    };
    if s.len() > MAX_VERSION_LEN {
        return Err(invalid(&format!("longer than {MAX_VERSION_LEN} bytes")));
    }
    let trimmed = s.trim();
    if trimmed.is_empty() {
        return Err(invalid("empty"));
    }
    let key = match scheme {
        VersionScheme::SemVer => semver::parse(trimmed, semver::SEMVER).map(Key::SemVer),
        VersionScheme::NuGet => semver::parse(trimmed, semver::NUGET).map(Key::SemVer),
        VersionScheme::Pub => semver::parse(trimmed, semver::PUB).map(Key::SemVer),
        VersionScheme::Pep440 => pep440::parse(trimmed).map(Key::Pep440),
        VersionScheme::Maven => maven::parse(trimmed).map(Key::Maven),
        VersionScheme::RubyGems => rubygems::parse(trimmed).map(Key::RubyGems),
        VersionScheme::Packagist => packagist::parse(trimmed).map(Key::Packagist),
        VersionScheme::Debian => debian::parse(trimmed).map(Key::Debian),
        VersionScheme::Alpine => alpine::parse(trimmed).map(Key::Alpine),
        VersionScheme::Rpm => rpm::parse(trimmed).map(Key::Rpm),
        VersionScheme::Cran => cran::parse(trimmed).map(Key::Cran),
        VersionScheme::Hackage => hackage::parse(trimmed).map(Key::Hackage),
    }
    .map_err(invalid)?;
    Ok(Version {
        scheme,
        original: s.into(),
        key,
    })
}

/// Compares two version strings of `scheme`.
pub fn compare(scheme: VersionScheme, a: &str, b: &str) -> Result<Ordering, VersionError> {
    Ok(parse(scheme, a)?.cmp(&parse(scheme, b)?))
}

impl Version {
    /// Reads `s` as a version of `scheme`; see [`parse`].
    pub fn parse(scheme: VersionScheme, s: &str) -> Result<Version, VersionError> {
        parse(scheme, s)
    }

    /// The string the version was read from.
    pub fn as_str(&self) -> &str {
        &self.original
    }

    pub fn scheme(&self) -> VersionScheme {
        self.scheme
    }
}

impl fmt::Display for Version {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.original)
    }
}

impl Ord for Version {
    fn cmp(&self, other: &Version) -> Ordering {
        self.scheme
            .cmp(&other.scheme)
            .then_with(|| match (&self.key, &other.key) {
                (Key::SemVer(a), Key::SemVer(b)) => a.cmp(b),
                (Key::Pep440(a), Key::Pep440(b)) => a.cmp(b),
                (Key::Maven(a), Key::Maven(b)) => a.cmp(b),
                (Key::RubyGems(a), Key::RubyGems(b)) => a.cmp(b),
                (Key::Packagist(a), Key::Packagist(b)) => a.cmp(b),
                (Key::Debian(a), Key::Debian(b)) => a.cmp(b),
                (Key::Alpine(a), Key::Alpine(b)) => a.cmp(b),
                (Key::Rpm(a), Key::Rpm(b)) => a.cmp(b),
                (Key::Cran(a), Key::Cran(b)) => a.cmp(b),
                (Key::Hackage(a), Key::Hackage(b)) => a.cmp(b),
                // One scheme always yields one kind of key; keep the order total anyway.
                _ => self.original.cmp(&other.original),
            })
    }
}

impl PartialOrd for Version {
    fn partial_cmp(&self, other: &Version) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl PartialEq for Version {
    fn eq(&self, other: &Version) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Version {}

/// Serialised as `{"scheme": "...", "version": "..."}` and re-parsed when read.
#[derive(Serialize, Deserialize)]
struct VersionRepr {
    scheme: VersionScheme,
    version: String,
}

impl Serialize for Version {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        VersionRepr {
            scheme: self.scheme,
            version: self.original.to_string(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for Version {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Version, D::Error> {
        let repr = VersionRepr::deserialize(deserializer)?;
        parse(repr.scheme, &repr.version).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystems() {
        assert_eq!(scheme_for("npm"), Ok(VersionScheme::SemVer));
        assert_eq!(scheme_for("Debian:12"), Ok(VersionScheme::Debian));
        assert_eq!(scheme_for("Alpine:v3.18"), Ok(VersionScheme::Alpine));
        assert_eq!(
            scheme_for("Red Hat:enterprise_linux:9::appstream"),
            Ok(VersionScheme::Rpm)
        );
        assert_eq!(scheme_for("pypi"), Ok(VersionScheme::Pep440));
        assert!(matches!(
            scheme_for("Linux"),
            Err(VersionError::Unsupported { .. })
        ));
        assert!(matches!(
            scheme_for(""),
            Err(VersionError::Unsupported { .. })
        ));
    }

    #[test]
    fn limits_and_errors() {
        let long = "1".repeat(MAX_VERSION_LEN + 1);
        for scheme in VersionScheme::ALL {
            assert!(parse(scheme, &long).is_err(), "{scheme}");
            assert!(parse(scheme, "  ").is_err(), "{scheme}");
            assert!(parse(scheme, "1").is_ok(), "{scheme}");
        }
        let huge = "9".repeat(MAX_VERSION_LEN);
        assert!(parse(VersionScheme::SemVer, &huge).is_ok());
        let err = parse(VersionScheme::Hackage, "1.0-rc1").unwrap_err();
        assert_eq!(
            err.to_string(),
            "\"1.0-rc1\" is not a valid hackage version: must be dot-separated numbers"
        );
    }

    #[test]
    fn version_keeps_original_and_round_trips() {
        let v = parse(VersionScheme::Maven, "1.0.Final").unwrap();
        assert_eq!(v.as_str(), "1.0.Final");
        assert_eq!(v, parse(VersionScheme::Maven, "1").unwrap());
        let json = serde_json::to_string(&v).unwrap();
        assert_eq!(json, r#"{"scheme":"maven","version":"1.0.Final"}"#);
        let back: Version = serde_json::from_str(&json).unwrap();
        assert_eq!(back.as_str(), "1.0.Final");
        assert!(serde_json::from_str::<Version>(r#"{"scheme":"hackage","version":"x"}"#).is_err());
    }
}
