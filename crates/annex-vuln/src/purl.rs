//! Purls of findings, and comparing purls as ecosystems compare names: the part of purl
//! handling that needs ecosystem knowledge (purl syntax itself is annex-vex's).

use annex_vex::purl::{Purl, format_purl, is_purl};

use crate::db::{canonical_ecosystem, normalize_name};
use crate::matching::Finding;

/// purl type ↔ OSV ecosystem.
const PURL_TYPES: &[(&str, &str)] = &[
    ("cargo", "crates.io"),
    ("npm", "npm"),
    ("pypi", "PyPI"),
    ("golang", "Go"),
    ("maven", "Maven"),
    ("gem", "RubyGems"),
    ("nuget", "NuGet"),
    ("composer", "Packagist"),
    ("pub", "Pub"),
    ("hex", "Hex"),
    ("hackage", "Hackage"),
    ("cran", "CRAN"),
    ("swift", "SwiftURL"),
    ("conan", "ConanCenter"),
    ("github", "GitHub Actions"),
    ("deb", "Debian"),
    ("apk", "Alpine"),
];

/// The OSV ecosystem of a purl type.
pub fn ecosystem_of_purl_type(ty: &str) -> Option<&'static str> {
    PURL_TYPES.iter().find(|(t, _)| *t == ty).map(|(_, e)| *e)
}

fn purl_type_of_ecosystem(eco: &str) -> Option<&'static str> {
    let eco = canonical_ecosystem(crate::osv::base_ecosystem(eco));
    PURL_TYPES.iter().find(|(_, e)| *e == eco).map(|(t, _)| *t)
}

/// The package's purl as a finding gives it, else built from its ecosystem, name and version
/// (`pkg:generic/…` for ecosystems without a purl type).
pub fn finding_purl(f: &Finding) -> String {
    if let Some(p) = &f.package.purl
        && is_purl(p)
    {
        return p.clone();
    }
    build_purl(&f.package.ecosystem, &f.package.name, &f.package.version)
}

/// The purl of a package from its ecosystem, name and version.
pub fn build_purl(ecosystem: &str, name: &str, version: &str) -> String {
    let ty = purl_type_of_ecosystem(ecosystem).unwrap_or("generic");
    let (ns, n) = match ty {
        "maven" => name
            .split_once(':')
            .or_else(|| name.split_once('/'))
            .map_or((None, name), |(g, a)| (Some(g), a)),
        "npm" | "golang" | "composer" | "github" | "swift" => name
            .rsplit_once('/')
            .map_or((None, name), |(a, b)| (Some(a), b)),
        _ => (None, name),
    };
    format_purl(ty, ns, n, version)
}

/// The comparable identity of a purl: (type, normalised full name, version).
pub fn purl_key(p: &Purl) -> (String, String, Option<String>) {
    let full = match (&p.namespace, p.ty.as_str()) {
        (Some(ns), "maven") => format!("{ns}:{}", p.name),
        (Some(ns), _) => format!("{ns}/{}", p.name),
        (None, _) => p.name.clone(),
    };
    let name = match ecosystem_of_purl_type(&p.ty) {
        Some(eco) => normalize_name(eco, &full),
        None => match p.ty.as_str() {
            "github" | "bitbucket" => full.to_lowercase(),
            _ => full,
        },
    };
    let version = p.version.as_ref().map(|v| {
        if p.ty == "golang" {
            v.trim_start_matches('v').to_string()
        } else {
            v.clone()
        }
    });
    (p.ty.clone(), name, version)
}
