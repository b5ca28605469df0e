//! package-url ([purl-spec](https://github.com/package-url/purl-spec)): building canonical
//! purls from the parts a lockfile gives, and parsing them back.
//!
//! Canonical form, as the purl-spec test suite expects it:
//! - the type is lowercase; qualifier keys are lowercase and sorted; empty qualifier values
//!   are dropped; empty, `.` and `..` subpath segments are dropped;
//! - every character other than `A-Z a-z 0-9 . - _ ~ :` is percent-encoded (uppercase hex),
//!   except `/` between namespace and subpath segments;
//! - type-specific rules from the type definitions: case-insensitive namespaces and names
//!   are lowercased (`composer`, `github`, `deb`, …), `pypi` names are lowercased with `_` →
//!   `-`, namespaces are required or prohibited per type (`maven` and `golang` need one,
//!   `cargo`, `pypi`, `gem`, `nuget`, `vcpkg` refuse one).
//!
//! [`purl`] is the convenience used by the parsers: it takes an OSV ecosystem name (or a
//! purl type), splits `@scope/name`, Go module paths and `vendor/name` into namespace and
//! name, and never fails. [`build_purl`] and [`parse_purl`] are the strict forms.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A purl split into its components, decoded and normalised.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParsedPurl {
    #[serde(rename = "type")]
    pub ty: String,
    pub namespace: Option<String>,
    pub name: String,
    pub version: Option<String>,
    /// Sorted by key; keys lowercase; no empty values.
    pub qualifiers: Vec<(String, String)>,
    pub subpath: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurlError {
    #[error("a purl starts with the scheme `pkg:`")]
    MissingScheme,
    #[error("the purl has no type")]
    MissingType,
    #[error("invalid purl type `{0}` (letters, digits, `.`, `+`, `-`; starting with a letter)")]
    InvalidType(String),
    #[error("the purl has no name")]
    MissingName,
    #[error("invalid qualifier key `{0}`")]
    InvalidQualifierKey(String),
    #[error("qualifier `{0}` has no `=`")]
    MalformedQualifier(String),
    #[error("duplicate qualifier key `{0}`")]
    DuplicateQualifier(String),
    #[error("invalid percent-encoding in `{0}`")]
    InvalidEncoding(String),
    #[error("purl type `{0}` requires a namespace")]
    NamespaceRequired(String),
    #[error("purl type `{0}` does not allow a namespace")]
    NamespaceProhibited(String),
    #[error("purl type `{ty}` requires the qualifier `{key}`")]
    QualifierRequired { ty: String, key: String },
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Req {
    Optional,
    Required,
    Prohibited,
}

/// Type rules from purl-spec `types/*-definition.json`.
struct TypeRule {
    ty: &'static str,
    namespace: Req,
    namespace_lower: bool,
    name_lower: bool,
    version_lower: bool,
    required_qualifier: Option<&'static str>,
}

const fn rule(
    ty: &'static str,
    namespace: Req,
    namespace_lower: bool,
    name_lower: bool,
) -> TypeRule {
    TypeRule {
        ty,
        namespace,
        namespace_lower,
        name_lower,
        version_lower: false,
        required_qualifier: None,
    }
}

use Req::{Optional as O, Prohibited as P, Required as R};

const RULES: &[TypeRule] = &[
    rule("alpm", R, true, true),
    rule("apk", R, true, true),
    rule("bazel", P, false, false),
    rule("bitbucket", R, true, true),
    rule("bitnami", P, false, true),
    rule("brew", O, true, true),
    rule("cargo", P, false, false),
    rule("chrome-extension", P, false, true),
    rule("cocoapods", P, false, false),
    rule("composer", R, true, true),
    rule("conan", O, false, false),
    rule("conda", P, false, false),
    rule("cpan", O, false, false),
    rule("cran", P, false, false),
    rule("deb", R, true, true),
    rule("docker", O, false, false),
    rule("gem", P, false, false),
    rule("generic", O, false, false),
    rule("git", R, false, false),
    rule("github", R, true, true),
    rule("golang", R, false, false),
    rule("hackage", P, false, false),
    rule("hex", O, true, true),
    TypeRule {
        version_lower: true,
        ..rule("huggingface", O, false, false)
    },
    TypeRule {
        required_qualifier: Some("uuid"),
        ..rule("julia", P, false, false)
    },
    rule("luarocks", O, true, true),
    rule("maven", R, false, false),
    rule("mlflow", P, false, false),
    rule("npm", O, false, false),
    rule("nuget", P, false, false),
    TypeRule {
        version_lower: true,
        ..rule("oci", P, false, true)
    },
    rule("opam", P, false, false),
    rule("otp", P, false, true),
    rule("pub", P, false, true),
    rule("pypi", P, false, true),
    rule("qpkg", R, true, false),
    rule("rpm", R, true, false),
    TypeRule {
        required_qualifier: Some("tag_id"),
        ..rule("swid", O, false, false)
    },
    rule("swift", R, false, false),
    rule("vcpkg", P, false, false),
    rule("vscode-extension", R, true, true),
    rule("yocto", O, true, false),
];

fn type_rule(ty: &str) -> Option<&'static TypeRule> {
    RULES.iter().find(|r| r.ty == ty)
}

/// The purl type for an OSV ecosystem name (`crates.io` → `cargo`, `Go` → `golang`,
/// `Packagist` → `composer`, …). A purl type passes through unchanged; an OSV suffix such
/// as `Debian:12` is ignored; anything unknown is `generic`.
pub fn ecosystem_purl_type(ecosystem: &str) -> &'static str {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem).trim();
    match base {
        "crates.io" | "cargo" => "cargo",
        "npm" => "npm",
        "PyPI" | "pypi" => "pypi",
        "Go" | "golang" => "golang",
        "Maven" | "maven" => "maven",
        "Packagist" | "composer" => "composer",
        "RubyGems" | "gem" => "gem",
        "NuGet" | "nuget" => "nuget",
        "ConanCenter" | "conan" => "conan",
        "vcpkg" => "vcpkg",
        "Hex" | "hex" => "hex",
        "Pub" | "pub" => "pub",
        "CRAN" | "cran" => "cran",
        "Hackage" | "hackage" => "hackage",
        "SwiftURL" | "swift" => "swift",
        "GitHub Actions" | "github" => "github",
        "Debian" | "Ubuntu" | "deb" => "deb",
        "Alpine"
        | "Alpaquita"
        | "BellSoft Hardened Containers"
        | "Wolfi"
        | "Chainguard"
        | "apk" => "apk",
        "Red Hat" | "Rocky Linux" | "AlmaLinux" | "openSUSE" | "SUSE" | "Mageia" | "openEuler"
        | "Azure Linux" | "rpm" => "rpm",
        "opam" => "opam",
        "Julia" | "julia" => "julia",
        "Bitnami" | "bitnami" => "bitnami",
        "conda" => "conda",
        "cocoapods" | "CocoaPods" => "cocoapods",
        "docker" => "docker",
        "oci" => "oci",
        "hex.pm" => "hex",
        _ => type_rule(base).map_or("generic", |r| r.ty),
    }
}

/// Build a canonical purl from what a lockfile gives. Never fails: on input the strict
/// builder refuses (an empty name, a namespace the type does not allow), the parts are
/// still encoded so the result identifies the package.
///
/// `ecosystem` is an OSV ecosystem name or a purl type. With no namespace, a name of the
/// form `@scope/name` (npm), `host/path/module` (Go), `vendor/name` (Composer) or
/// `group:artifact` (Maven) is split. An empty `version` is omitted.
pub fn purl(
    ecosystem: &str,
    namespace: Option<&str>,
    name: &str,
    version: &str,
    qualifiers: &[(&str, &str)],
) -> String {
    let ty = ecosystem_purl_type(ecosystem);
    let (namespace, name) = match namespace {
        Some(ns) if !ns.is_empty() => (Some(ns.to_string()), name.to_string()),
        _ => split_name(ty, name),
    };
    let parts = ParsedPurl {
        ty: ty.to_string(),
        namespace,
        name,
        version: (!version.is_empty()).then(|| version.to_string()),
        qualifiers: qualifiers
            .iter()
            .map(|(k, v)| ((*k).to_string(), (*v).to_string()))
            .collect(),
        subpath: None,
    };
    match build_purl(&parts) {
        Ok(s) => s,
        Err(_) => to_string_unchecked(&normalise_unchecked(parts)),
    }
}

fn split_name(ty: &str, name: &str) -> (Option<String>, String) {
    let allows_ns = type_rule(ty).is_none_or(|r| r.namespace != Req::Prohibited);
    if allows_ns {
        if ty == "maven"
            && !name.contains('/')
            && let Some((g, a)) = name.split_once(':')
        {
            return (Some(g.to_string()), a.to_string());
        }
        if let Some((ns, n)) = name.rsplit_once('/')
            && !ns.is_empty()
            && !n.is_empty()
        {
            return (Some(ns.to_string()), n.to_string());
        }
    }
    (None, name.to_string())
}

/// Build a canonical purl from components, validating them (strict).
pub fn build_purl(parts: &ParsedPurl) -> Result<String, PurlError> {
    let p = normalise(parts.clone())?;
    Ok(to_string_unchecked(&p))
}

fn valid_type(ty: &str) -> bool {
    let mut chars = ty.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '+' | '-'))
}

fn valid_key(key: &str) -> bool {
    let mut chars = key.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_alphabetic() || matches!(c, '.' | '_' | '-'))
        && chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
}

fn split_segments(s: &str) -> Vec<&str> {
    s.split('/').filter(|seg| !seg.is_empty()).collect()
}

fn normalise_unchecked(mut p: ParsedPurl) -> ParsedPurl {
    p.ty = p.ty.to_ascii_lowercase();
    if let Some(rule) = type_rule(&p.ty) {
        apply_case(rule, &mut p);
    }
    p.qualifiers = p
        .qualifiers
        .into_iter()
        .filter(|(_, v)| !v.is_empty())
        .map(|(k, v)| (k.to_ascii_lowercase(), v))
        .collect();
    p.qualifiers.sort();
    p.qualifiers.dedup_by(|a, b| a.0 == b.0);
    p
}

fn apply_case(rule: &TypeRule, p: &mut ParsedPurl) {
    if rule.namespace_lower {
        p.namespace = p.namespace.take().map(|n| n.to_lowercase());
    }
    if rule.name_lower {
        p.name = p.name.to_lowercase();
    }
    if rule.ty == "pypi" {
        p.name = p.name.replace('_', "-");
    }
    if rule.version_lower {
        p.version = p.version.take().map(|v| v.to_lowercase());
    }
}

fn normalise(mut p: ParsedPurl) -> Result<ParsedPurl, PurlError> {
    p.ty = p.ty.to_ascii_lowercase();
    if p.ty.is_empty() {
        return Err(PurlError::MissingType);
    }
    if !valid_type(&p.ty) {
        return Err(PurlError::InvalidType(p.ty));
    }
    if p.name.is_empty() {
        return Err(PurlError::MissingName);
    }
    // Namespace: drop empty segments; an empty namespace is none.
    p.namespace = p
        .namespace
        .take()
        .map(|ns| split_segments(&ns).join("/"))
        .filter(|ns| !ns.is_empty());
    p.version = p.version.take().filter(|v| !v.is_empty());
    p.subpath = p.subpath.take().and_then(|s| {
        let segs: Vec<&str> = split_segments(&s)
            .into_iter()
            .filter(|seg| *seg != "." && *seg != "..")
            .collect();
        (!segs.is_empty()).then(|| segs.join("/"))
    });
    let mut qualifiers = Vec::with_capacity(p.qualifiers.len());
    for (k, v) in std::mem::take(&mut p.qualifiers) {
        let k = k.to_ascii_lowercase();
        if !valid_key(&k) {
            return Err(PurlError::InvalidQualifierKey(k));
        }
        if v.is_empty() {
            continue;
        }
        if qualifiers.iter().any(|(q, _): &(String, String)| *q == k) {
            return Err(PurlError::DuplicateQualifier(k));
        }
        qualifiers.push((k, v));
    }
    qualifiers.sort();
    p.qualifiers = qualifiers;
    if let Some(rule) = type_rule(&p.ty) {
        match rule.namespace {
            Req::Required if p.namespace.is_none() => {
                return Err(PurlError::NamespaceRequired(p.ty));
            }
            Req::Prohibited if p.namespace.is_some() => {
                return Err(PurlError::NamespaceProhibited(p.ty));
            }
            _ => {}
        }
        if let Some(key) = rule.required_qualifier
            && !p.qualifiers.iter().any(|(k, _)| k == key)
        {
            return Err(PurlError::QualifierRequired {
                ty: p.ty,
                key: key.to_string(),
            });
        }
        apply_case(rule, &mut p);
    }
    Ok(p)
}

fn encode_into(out: &mut String, s: &str) {
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'.' | b'-' | b'_' | b'~' | b':') {
            out.push(b as char);
        } else {
            const HEX: &[u8; 16] = b"0123456789ABCDEF";
            out.push('%');
            out.push(HEX[usize::from(b >> 4)] as char);
            out.push(HEX[usize::from(b & 0xf)] as char);
        }
    }
}

fn encode_segments_into(out: &mut String, s: &str) {
    for (i, seg) in split_segments(s).into_iter().enumerate() {
        if i > 0 {
            out.push('/');
        }
        encode_into(out, seg);
    }
}

fn to_string_unchecked(p: &ParsedPurl) -> String {
    let mut out = String::with_capacity(16 + p.name.len());
    out.push_str("pkg:");
    out.push_str(&p.ty);
    out.push('/');
    if let Some(ns) = &p.namespace {
        encode_segments_into(&mut out, ns);
        out.push('/');
    }
    encode_into(&mut out, &p.name);
    if let Some(v) = &p.version {
        out.push('@');
        encode_into(&mut out, v);
    }
    for (i, (k, v)) in p.qualifiers.iter().enumerate() {
        out.push(if i == 0 { '?' } else { '&' });
        out.push_str(k);
        out.push('=');
        encode_into(&mut out, v);
    }
    if let Some(sp) = &p.subpath {
        out.push('#');
        encode_segments_into(&mut out, sp);
    }
    out
}

impl fmt::Display for ParsedPurl {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&to_string_unchecked(self))
    }
}

fn decode(s: &str) -> Result<String, PurlError> {
    if !s.contains('%') {
        return Ok(s.to_string());
    }
    let bytes = s.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        if bytes[i] == b'%' {
            let hex = bytes
                .get(i + 1..i + 3)
                .and_then(|h| std::str::from_utf8(h).ok())
                .and_then(|h| u8::from_str_radix(h, 16).ok())
                .ok_or_else(|| PurlError::InvalidEncoding(s.to_string()))?;
            out.push(hex);
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8(out).map_err(|_| PurlError::InvalidEncoding(s.to_string()))
}

/// Parse a purl string (strict: the components are validated as [`build_purl`] does, and
/// normalised; `parse_purl(s)?.to_string()` is the canonical form).
pub fn parse_purl(s: &str) -> Result<ParsedPurl, PurlError> {
    let s = s.trim();
    // Subpath.
    let (rest, subpath) = match s.rsplit_once('#') {
        Some((r, sp)) => {
            let mut segs = Vec::new();
            for seg in split_segments(sp) {
                let d = decode(seg)?;
                if d != "." && d != ".." && !d.is_empty() {
                    segs.push(d);
                }
            }
            (r, (!segs.is_empty()).then(|| segs.join("/")))
        }
        None => (s, None),
    };
    // Qualifiers.
    let (rest, qualifiers) = match rest.rsplit_once('?') {
        Some((r, q)) => {
            let mut quals = Vec::new();
            for pair in q.split('&').filter(|p| !p.is_empty()) {
                let (k, v) = pair
                    .split_once('=')
                    .ok_or_else(|| PurlError::MalformedQualifier(pair.to_string()))?;
                let k = k.to_ascii_lowercase();
                if !valid_key(&k) {
                    return Err(PurlError::InvalidQualifierKey(k));
                }
                quals.push((k, decode(v)?));
            }
            (r, quals)
        }
        None => (rest, Vec::new()),
    };
    // Scheme.
    let (scheme, rest) = rest.split_once(':').ok_or(PurlError::MissingScheme)?;
    if !scheme.eq_ignore_ascii_case("pkg") {
        return Err(PurlError::MissingScheme);
    }
    let rest = rest.trim_start_matches('/');
    // Type.
    let (ty, rest) = rest.split_once('/').ok_or(PurlError::MissingName)?;
    let ty = ty.to_ascii_lowercase();
    if ty.is_empty() {
        return Err(PurlError::MissingType);
    }
    if !valid_type(&ty) {
        return Err(PurlError::InvalidType(ty));
    }
    // Name and version: the last segment; namespace: what comes before.
    let rest = rest.trim_end_matches('/');
    let (ns, last) = match rest.rsplit_once('/') {
        Some((ns, last)) => (Some(ns), last),
        None => (None, rest),
    };
    let (name, version) = match last.rsplit_once('@') {
        Some((n, v)) => (n, Some(decode(v)?)),
        None => (last, None),
    };
    let name = decode(name)?;
    let namespace = match ns {
        Some(ns) => {
            let mut segs = Vec::new();
            for seg in split_segments(ns) {
                segs.push(decode(seg)?);
            }
            (!segs.is_empty()).then(|| segs.join("/"))
        }
        None => None,
    };
    normalise(ParsedPurl {
        ty,
        namespace,
        name,
        version,
        qualifiers,
        subpath,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ecosystem_helpers() {
        assert_eq!(
            purl("crates.io", None, "serde", "1.0.0", &[]),
            "pkg:cargo/serde@1.0.0"
        );
        assert_eq!(
            purl("npm", None, "@types/node", "20.1.0", &[]),
            "pkg:npm/%40types/node@20.1.0"
        );
        assert_eq!(
            purl("Go", None, "github.com/pkg/errors", "v0.9.1", &[]),
            "pkg:golang/github.com/pkg/errors@v0.9.1"
        );
        assert_eq!(
            purl("PyPI", None, "Django_Rest", "3.0", &[]),
            "pkg:pypi/django-rest@3.0"
        );
        assert_eq!(
            purl("Maven", None, "org.slf4j:slf4j-api", "2.0.9", &[]),
            "pkg:maven/org.slf4j/slf4j-api@2.0.9"
        );
        assert_eq!(
            purl("Packagist", None, "Symfony/Console", "v6.0.0", &[]),
            "pkg:composer/symfony/console@v6.0.0"
        );
        assert_eq!(purl("cargo", None, "", "", &[]), "pkg:cargo/");
        assert_eq!(ecosystem_purl_type("Debian:12"), "deb");
        assert_eq!(ecosystem_purl_type("nonsense"), "generic");
    }
}
