//! Package ecosystems: one table ([`ECOSYSTEMS`]) that says, for each ecosystem annex knows,
//! its OSV name, the other spellings users write, its package-url type, how its versions
//! order, how its package names compare, and the id prefixes of its own advisory database.
//!
//! Names are OSV's (schema 1.7: `crates.io`, `npm`, `PyPI`, `Go`, `Maven`, `Packagist`,
//! `RubyGems`, `NuGet`, …), plus `vcpkg`, which OSV does not cover. An OSV name may carry a
//! `:suffix` (`Debian:12`, `Alpine:v3.18`); the lookups here ignore it where they say so.

use std::fmt;

use serde::{Deserialize, Serialize};

/// `crates.io` (Rust).
pub const CRATES_IO: &str = "crates.io";
/// `npm` (JavaScript).
pub const NPM: &str = "npm";
/// `PyPI` (Python).
pub const PYPI: &str = "PyPI";
/// `Go`.
pub const GO: &str = "Go";
/// `Maven` (Java and the JVM).
pub const MAVEN: &str = "Maven";
/// `Packagist` (PHP, Composer).
pub const PACKAGIST: &str = "Packagist";
/// `RubyGems` (Ruby, Bundler).
pub const RUBYGEMS: &str = "RubyGems";
/// `NuGet` (.NET).
pub const NUGET: &str = "NuGet";
/// `ConanCenter` (C and C++, Conan).
pub const CONAN: &str = "ConanCenter";
/// `vcpkg` (C and C++); not an OSV ecosystem.
pub const VCPKG: &str = "vcpkg";

/// A family of version orderings; several ecosystems can share one. The orderings
/// themselves live in `annex-vuln`'s `version` module.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum VersionScheme {
    /// SemVer 2.0 precedence (semver.org), read leniently like osv-scalibr: `v` prefix,
    /// missing or extra release numbers, no hyphen before a prerelease; build metadata
    /// ignored. npm, crates.io, Go, Hex, GitHub Actions, SwiftURL, Bitnami, ConanCenter,
    /// Julia, Kubernetes, VSCode.
    SemVer,
    /// PEP 440 as the `packaging` library orders it, with setuptools' legacy ordering
    /// (before every PEP 440 version) for other strings. PyPI.
    Pep440,
    /// Maven's `ComparableVersion` (maven-artifact 3.8), made transitive. Maven.
    Maven,
    /// NuGet's `VersionComparer`: SemVer with a fourth number and case-insensitive
    /// prerelease labels. NuGet.
    NuGet,
    /// RubyGems' `Gem::Version#<=>`. RubyGems.
    RubyGems,
    /// PHP's `version_compare`, as Composer uses it. Packagist.
    Packagist,
    /// Dart's `pub_semver`: SemVer where build metadata also orders. Pub.
    Pub,
    /// dpkg's version comparison (deb-version(7)). Debian, Ubuntu.
    Debian,
    /// apk-tools' version comparison. Alpine, Wolfi, Chainguard, MinimOS, Alpaquita.
    Alpine,
    /// rpm's `rpmvercmp` with epoch and release, `~` and `^`. Red Hat, AlmaLinux, Rocky
    /// Linux, SUSE, openSUSE, openEuler, Mageia, Photon OS, Azure Linux.
    Rpm,
    /// R's `package_version`. CRAN, Bioconductor.
    Cran,
    /// Haskell's `Data.Version` (Cabal). Hackage, GHC.
    Hackage,
}

impl VersionScheme {
    /// Every scheme.
    pub const ALL: [VersionScheme; 12] = [
        VersionScheme::SemVer,
        VersionScheme::Pep440,
        VersionScheme::Maven,
        VersionScheme::NuGet,
        VersionScheme::RubyGems,
        VersionScheme::Packagist,
        VersionScheme::Pub,
        VersionScheme::Debian,
        VersionScheme::Alpine,
        VersionScheme::Rpm,
        VersionScheme::Cran,
        VersionScheme::Hackage,
    ];

    /// The scheme's identifier, as serialised (`semver`, `pep440`, …).
    pub fn name(self) -> &'static str {
        match self {
            VersionScheme::SemVer => "semver",
            VersionScheme::Pep440 => "pep440",
            VersionScheme::Maven => "maven",
            VersionScheme::NuGet => "nuget",
            VersionScheme::RubyGems => "rubygems",
            VersionScheme::Packagist => "packagist",
            VersionScheme::Pub => "pub",
            VersionScheme::Debian => "debian",
            VersionScheme::Alpine => "alpine",
            VersionScheme::Rpm => "rpm",
            VersionScheme::Cran => "cran",
            VersionScheme::Hackage => "hackage",
        }
    }
}

impl fmt::Display for VersionScheme {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// How package names of an ecosystem compare ([`normalize_name`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum NameRule {
    /// As written.
    Exact,
    /// PEP 503: lowercase, runs of `-`, `_`, `.` become one `-`.
    Pep503,
    /// Lowercase with `_` as `-`: crates.io refuses a name that differs from an existing
    /// one only in case or `-`/`_`, so the two spellings always mean the same crate.
    CratesIo,
    /// Lowercase (a case-insensitive registry).
    Lowercase,
    /// `group:artifact`; a `/` separator, as in purls, is read as `:`.
    MavenCoordinates,
}

/// One row of the ecosystem table.
#[derive(Debug, PartialEq, Eq)]
pub struct Ecosystem {
    /// The OSV name (`crates.io`, `PyPI`, `Go`), or annex's own for ecosystems OSV lacks.
    pub name: &'static str,
    /// Whether OSV has this ecosystem (advisories can name it).
    pub osv: bool,
    /// Other spellings accepted from users, lowercase (`cargo` for `crates.io`). The name
    /// itself is always accepted in any letter case.
    pub aliases: &'static [&'static str],
    /// The package-url type of its packages, where annex builds purls for it.
    pub purl_type: Option<&'static str>,
    /// The purl namespace that names this distribution (`debian` under `deb`), for types
    /// several distributions share.
    pub purl_namespace: Option<&'static str>,
    /// Whether a purl of [`Ecosystem::purl_type`] (and namespace) is read back as this
    /// ecosystem by [`from_purl`].
    pub from_purl: bool,
    /// How its versions order; `None` when annex cannot order them.
    pub version_scheme: Option<VersionScheme>,
    /// How its package names compare.
    pub names: NameRule,
    /// Id prefixes of its own advisory database (`RUSTSEC` for crates.io), ranked before
    /// GHSA and CVE ids when an advisory has several.
    pub advisory_prefixes: &'static [&'static str],
}

const fn eco(name: &'static str) -> Ecosystem {
    Ecosystem {
        name,
        osv: true,
        aliases: &[],
        purl_type: None,
        purl_namespace: None,
        from_purl: false,
        version_scheme: None,
        names: NameRule::Exact,
        advisory_prefixes: &[],
    }
}

/// An ecosystem whose purls read back as it.
const fn purl_eco(name: &'static str, ty: &'static str, scheme: VersionScheme) -> Ecosystem {
    Ecosystem {
        purl_type: Some(ty),
        from_purl: true,
        version_scheme: Some(scheme),
        ..eco(name)
    }
}

/// A distribution sharing a purl type with others, told apart by the purl namespace.
const fn distro(
    name: &'static str,
    ty: &'static str,
    namespace: Option<&'static str>,
    scheme: Option<VersionScheme>,
    prefixes: &'static [&'static str],
) -> Ecosystem {
    Ecosystem {
        purl_type: Some(ty),
        purl_namespace: namespace,
        from_purl: namespace.is_some(),
        version_scheme: scheme,
        advisory_prefixes: prefixes,
        ..eco(name)
    }
}

use VersionScheme as V;

/// Every ecosystem annex knows: OSV's list (schema 1.7) and `vcpkg`.
pub const ECOSYSTEMS: &[Ecosystem] = &[
    distro(
        "AlmaLinux",
        "rpm",
        None,
        Some(V::Rpm),
        &["ALSA", "ALBA", "ALEA"],
    ),
    distro("Alpaquita", "apk", None, Some(V::Alpine), &[]),
    distro(
        "Alpine",
        "apk",
        Some("alpine"),
        Some(V::Alpine),
        &["ALPINE"],
    ),
    Ecosystem {
        advisory_prefixes: &["ASB", "PUB"],
        ..eco("Android")
    },
    distro("Azure Linux", "rpm", None, Some(V::Rpm), &[]),
    distro("BellSoft Hardened Containers", "apk", None, None, &[]),
    Ecosystem {
        version_scheme: Some(V::Cran),
        ..eco("Bioconductor")
    },
    Ecosystem {
        advisory_prefixes: &["BIT"],
        ..purl_eco("Bitnami", "bitnami", V::SemVer)
    },
    distro(
        "Chainguard",
        "apk",
        Some("chainguard"),
        Some(V::Alpine),
        &["CGA"],
    ),
    eco("CleanStart"),
    purl_eco(CONAN, "conan", V::SemVer),
    purl_eco("CRAN", "cran", V::Cran),
    Ecosystem {
        aliases: &["cargo", "crates", "crates-io"],
        names: NameRule::CratesIo,
        advisory_prefixes: &["RUSTSEC"],
        ..purl_eco(CRATES_IO, "cargo", V::SemVer)
    },
    distro(
        "Debian",
        "deb",
        Some("debian"),
        Some(V::Debian),
        &["DSA", "DLA", "DTSA", "DEBIAN"],
    ),
    eco("Docker Hardened Images"),
    eco("Echo"),
    eco("FreeBSD"),
    Ecosystem {
        version_scheme: Some(V::Hackage),
        advisory_prefixes: &["HSEC"],
        ..eco("GHC")
    },
    Ecosystem {
        purl_type: Some("github"),
        version_scheme: Some(V::SemVer),
        ..eco("GitHub Actions")
    },
    Ecosystem {
        aliases: &["golang"],
        advisory_prefixes: &["GO"],
        ..purl_eco(GO, "golang", V::SemVer)
    },
    Ecosystem {
        advisory_prefixes: &["HSEC"],
        ..purl_eco("Hackage", "hackage", V::Hackage)
    },
    Ecosystem {
        names: NameRule::Lowercase,
        advisory_prefixes: &["EEF"],
        ..purl_eco("Hex", "hex", V::SemVer)
    },
    Ecosystem {
        advisory_prefixes: &["JLSEC"],
        ..purl_eco("Julia", "julia", V::SemVer)
    },
    Ecosystem {
        version_scheme: Some(V::SemVer),
        ..eco("Kubernetes")
    },
    Ecosystem {
        advisory_prefixes: &["LSN"],
        ..eco("Linux")
    },
    distro("Mageia", "rpm", None, Some(V::Rpm), &["MGASA"]),
    Ecosystem {
        names: NameRule::MavenCoordinates,
        ..purl_eco(MAVEN, "maven", V::Maven)
    },
    Ecosystem {
        version_scheme: Some(V::Alpine),
        ..eco("MinimOS")
    },
    purl_eco(NPM, "npm", V::SemVer),
    Ecosystem {
        names: NameRule::Lowercase,
        ..purl_eco(NUGET, "nuget", V::NuGet)
    },
    Ecosystem {
        purl_type: Some("opam"),
        from_purl: true,
        ..eco("opam")
    },
    distro("openEuler", "rpm", None, Some(V::Rpm), &[]),
    distro("openSUSE", "rpm", None, Some(V::Rpm), &["SUSE", "openSUSE"]),
    Ecosystem {
        advisory_prefixes: &["OSV"],
        ..eco("OSS-Fuzz")
    },
    Ecosystem {
        aliases: &["composer"],
        names: NameRule::Lowercase,
        ..purl_eco(PACKAGIST, "composer", V::Packagist)
    },
    Ecosystem {
        version_scheme: Some(V::Rpm),
        ..eco("Photon OS")
    },
    Ecosystem {
        aliases: &["pub", "dart"],
        names: NameRule::Lowercase,
        advisory_prefixes: &["PUB"],
        ..purl_eco("Pub", "pub", V::Pub)
    },
    Ecosystem {
        names: NameRule::Pep503,
        advisory_prefixes: &["PYSEC"],
        ..purl_eco(PYPI, "pypi", V::Pep440)
    },
    distro(
        "Red Hat",
        "rpm",
        None,
        Some(V::Rpm),
        &["RHSA", "RHBA", "RHEA"],
    ),
    distro("Rocky Linux", "rpm", None, Some(V::Rpm), &["RLSA", "RXSA"]),
    eco("Root"),
    Ecosystem {
        aliases: &["gem", "rubygem", "rubygems"],
        ..purl_eco(RUBYGEMS, "gem", V::RubyGems)
    },
    distro("SUSE", "rpm", None, Some(V::Rpm), &["SUSE", "openSUSE"]),
    purl_eco("SwiftURL", "swift", V::SemVer),
    eco("TuxCare"),
    distro(
        "Ubuntu",
        "deb",
        Some("ubuntu"),
        Some(V::Debian),
        &["USN", "UBUNTU"],
    ),
    Ecosystem {
        version_scheme: Some(V::SemVer),
        ..eco("VSCode")
    },
    distro("Wolfi", "apk", Some("wolfi"), Some(V::Alpine), &["CGA"]),
    eco("GIT"),
    Ecosystem {
        osv: false,
        purl_type: Some("vcpkg"),
        ..eco(VCPKG)
    },
];

/// The ecosystem without its `:suffix` (`Debian:12` → `Debian`, `Ubuntu:22.04:LTS` →
/// `Ubuntu`).
pub fn base_ecosystem(ecosystem: &str) -> &str {
    ecosystem.split(':').next().unwrap_or(ecosystem)
}

/// The row whose name is exactly `name` (no suffix, letter case as OSV writes it).
pub fn by_name(name: &str) -> Option<&'static Ecosystem> {
    ECOSYSTEMS.iter().find(|e| e.name == name)
}

/// The OSV ecosystem `name` stands for: its OSV name in any letter case, or an alias
/// (`cargo`, `golang`, `gem`, `composer`, `dart`). A `:suffix` and surrounding spaces are
/// ignored. Ecosystems OSV does not have (`vcpkg`) are not found.
pub fn lookup(name: &str) -> Option<&'static Ecosystem> {
    let base = base_ecosystem(name).trim();
    let lower = base.to_ascii_lowercase();
    ECOSYSTEMS
        .iter()
        .filter(|e| e.osv)
        .find(|e| e.aliases.contains(&lower.as_str()) || e.name.eq_ignore_ascii_case(base))
}

/// The OSV spelling of an ecosystem name (`pypi` → `PyPI`, `cargo` → `crates.io`,
/// `golang` → `Go`); a `:suffix` is kept as given. Unknown names are returned unchanged.
pub fn canonical_ecosystem(ecosystem: &str) -> String {
    let (base, suffix) = match ecosystem.split_once(':') {
        Some((b, s)) => (b, Some(s)),
        None => (ecosystem, None),
    };
    let base = base.trim();
    let canonical = lookup(base).map_or(base, |e| e.name);
    match suffix {
        Some(s) => format!("{canonical}:{s}"),
        None => canonical.to_string(),
    }
}

/// The version scheme of an OSV ecosystem name, matched in any letter case; a `:suffix`
/// is ignored. Aliases are not accepted here: OSV data spells names out.
pub fn version_scheme(ecosystem: &str) -> Option<VersionScheme> {
    let base = base_ecosystem(ecosystem).trim();
    ECOSYSTEMS
        .iter()
        .find(|e| e.name.eq_ignore_ascii_case(base))
        .and_then(|e| e.version_scheme)
}

/// The advisory id prefixes of the ecosystem named exactly `ecosystem` (an OSV name
/// without suffix); empty when it has no database of its own.
pub fn advisory_prefixes(ecosystem: &str) -> &'static [&'static str] {
    by_name(ecosystem).map_or(&[], |e| e.advisory_prefixes)
}

/// The ecosystem a purl type (and namespace, for distributions) stands for: `cargo` →
/// `crates.io`, `deb` with `debian` → `Debian`. `None` when OSV has no such ecosystem or
/// the namespace names no known distribution.
pub fn from_purl(ty: &str, namespace: Option<&str>) -> Option<&'static Ecosystem> {
    let ns = namespace.unwrap_or("").to_ascii_lowercase();
    ECOSYSTEMS.iter().find(|e| {
        e.from_purl && e.purl_type == Some(ty) && e.purl_namespace.is_none_or(|want| want == ns)
    })
}

/// PEP 503 normalisation: lowercase, each run of `-`, `_`, `.` becomes one `-`.
pub fn pep503(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut in_run = false;
    for c in name.chars() {
        if matches!(c, '-' | '_' | '.') {
            if !in_run {
                out.push('-');
            }
            in_run = true;
        } else {
            in_run = false;
            out.extend(c.to_lowercase());
        }
    }
    out
}

/// A package name as compared within its ecosystem (see [`NameRule`]): PyPI by PEP 503,
/// crates.io lowercase with `_` as `-`, NuGet, Packagist, Pub and Hex lowercase, Maven as
/// `group:artifact`; npm, Go, RubyGems and everything else exact. Surrounding spaces are
/// dropped. The ecosystem may be an alias or carry a `:suffix`.
pub fn normalize_name(ecosystem: &str, name: &str) -> String {
    let name = name.trim();
    match lookup(ecosystem).map_or(NameRule::Exact, |e| e.names) {
        NameRule::Exact => name.to_string(),
        NameRule::Pep503 => pep503(name),
        NameRule::CratesIo => name.to_ascii_lowercase().replace('_', "-"),
        NameRule::Lowercase => name.to_lowercase(),
        NameRule::MavenCoordinates => {
            if name.contains(':') {
                name.to_string()
            } else {
                name.replacen('/', ":", 1)
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique() {
        for (i, a) in ECOSYSTEMS.iter().enumerate() {
            for b in &ECOSYSTEMS[i + 1..] {
                assert!(!a.name.eq_ignore_ascii_case(b.name), "{}", a.name);
            }
        }
    }

    #[test]
    fn lookups() {
        assert_eq!(lookup("CARGO").map(|e| e.name), Some("crates.io"));
        assert_eq!(lookup("pypi").map(|e| e.name), Some("PyPI"));
        assert_eq!(lookup("Debian:12").map(|e| e.name), Some("Debian"));
        assert_eq!(lookup(" golang ").map(|e| e.name), Some("Go"));
        assert_eq!(lookup("vcpkg"), None);
        assert_eq!(by_name("vcpkg").and_then(|e| e.purl_type), Some("vcpkg"));
        assert_eq!(lookup("SomethingNew"), None);
        assert_eq!(canonical_ecosystem("debian:12"), "Debian:12");
        assert_eq!(canonical_ecosystem("dart"), "Pub");
        assert_eq!(canonical_ecosystem("SomethingNew"), "SomethingNew");
    }

    #[test]
    fn schemes_and_prefixes() {
        assert_eq!(version_scheme("npm"), Some(VersionScheme::SemVer));
        assert_eq!(version_scheme("red hat:9"), Some(VersionScheme::Rpm));
        assert_eq!(version_scheme("cargo"), None);
        assert_eq!(version_scheme("Linux"), None);
        assert_eq!(advisory_prefixes("crates.io"), &["RUSTSEC"]);
        assert_eq!(advisory_prefixes("GHC"), &["HSEC"]);
        assert!(advisory_prefixes("npm").is_empty());
        assert!(advisory_prefixes("Debian:12").is_empty());
    }

    #[test]
    fn purl_types_read_back() {
        assert_eq!(from_purl("cargo", None).map(|e| e.name), Some("crates.io"));
        assert_eq!(
            from_purl("deb", Some("Ubuntu")).map(|e| e.name),
            Some("Ubuntu")
        );
        assert_eq!(from_purl("deb", None), None);
        assert_eq!(from_purl("apk", Some("alpaquita")), None);
        assert_eq!(from_purl("github", None), None);
        assert_eq!(from_purl("vcpkg", None), None);
        assert_eq!(from_purl("rpm", Some("redhat")), None);
    }

    #[test]
    fn name_normalisation() {
        assert_eq!(normalize_name("PyPI", "Foo.Bar__baz"), "foo-bar-baz");
        assert_eq!(normalize_name("pypi", "_x_"), "-x-");
        assert_eq!(normalize_name("cargo", "Serde_JSON"), "serde-json");
        assert_eq!(
            normalize_name("NuGet", "Newtonsoft.Json"),
            "newtonsoft.json"
        );
        assert_eq!(normalize_name("Maven", "g/a"), "g:a");
        assert_eq!(normalize_name("Maven", "g:a/b"), "g:a/b");
        assert_eq!(normalize_name("npm", " JSONStream "), "JSONStream");
        assert_eq!(normalize_name("Unknown", "AbC"), "AbC");
    }
}
