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
//! name, and never fails. [`build_purl`] and [`parse_purl`] are the strict forms;
//! [`parse_lenient`] also reads what other tools write. [`Purl::osv_ecosystem`] and
//! [`Purl::osv_name`] say which OSV package a purl stands for.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

/// A purl split into its components, decoded and normalised. `Display` writes the
/// canonical string.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Purl {
    /// The package type (`cargo`, `npm`, `maven`), lowercase.
    #[serde(rename = "type")]
    pub ty: String,
    /// Namespace segments joined by `/` (npm scope, Maven group, Go module path).
    pub namespace: Option<String>,
    /// The package name.
    pub name: String,
    /// The version, when the purl pins one.
    pub version: Option<String>,
    /// Sorted by key; keys lowercase; no empty values.
    pub qualifiers: Vec<(String, String)>,
    /// A path inside the package.
    pub subpath: Option<String>,
}

/// The name this type had when it lived in `annex-inventory`.
pub type ParsedPurl = Purl;

/// Why a purl was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum PurlError {
    /// The string does not start with `pkg:`.
    #[error("a purl starts with the scheme `pkg:`")]
    MissingScheme,
    /// Nothing between `pkg:` and the first `/`.
    #[error("the purl has no type")]
    MissingType,
    /// The type has characters a purl type cannot have.
    #[error("invalid purl type `{0}` (letters, digits, `.`, `+`, `-`; starting with a letter)")]
    InvalidType(String),
    /// No name after the type (and namespace).
    #[error("the purl has no name")]
    MissingName,
    /// A qualifier key with characters a key cannot have.
    #[error("invalid qualifier key `{0}`")]
    InvalidQualifierKey(String),
    /// A qualifier without `=`.
    #[error("qualifier `{0}` has no `=`")]
    MalformedQualifier(String),
    /// The same qualifier key twice.
    #[error("duplicate qualifier key `{0}`")]
    DuplicateQualifier(String),
    /// A `%` not followed by two hex digits, or bytes that are not UTF-8 once decoded.
    #[error("invalid percent-encoding in `{0}`")]
    InvalidEncoding(String),
    /// The type needs a namespace (`maven`, `golang`, …) and there is none.
    #[error("purl type `{0}` requires a namespace")]
    NamespaceRequired(String),
    /// The type refuses a namespace (`cargo`, `pypi`, …) and there is one.
    #[error("purl type `{0}` does not allow a namespace")]
    NamespaceProhibited(String),
    /// The type needs a qualifier (`julia`: `uuid`) that is missing.
    #[error("purl type `{ty}` requires the qualifier `{key}`")]
    QualifierRequired {
        /// The purl type.
        ty: String,
        /// The missing qualifier key.
        key: String,
    },
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
/// `Packagist` → `composer`, …), from the [`ecosystem`](crate::ecosystem) table. A purl
/// type passes through unchanged; an OSV suffix such as `Debian:12` is ignored; anything
/// unknown is `generic`. Names are matched in the letter case OSV writes them.
pub fn ecosystem_purl_type(ecosystem: &str) -> &'static str {
    let base = ecosystem.split(':').next().unwrap_or(ecosystem).trim();
    if let Some(ty) = crate::ecosystem::by_name(base).and_then(|e| e.purl_type) {
        return ty;
    }
    // Spellings seen in the wild that are neither an OSV name nor a purl type.
    match base {
        "hex.pm" => "hex",
        "CocoaPods" => "cocoapods",
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
    let parts = Purl {
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
pub fn build_purl(parts: &Purl) -> Result<String, PurlError> {
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

fn normalise_unchecked(mut p: Purl) -> Purl {
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

fn apply_case(rule: &TypeRule, p: &mut Purl) {
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

fn normalise(mut p: Purl) -> Result<Purl, PurlError> {
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

fn to_string_unchecked(p: &Purl) -> String {
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

impl fmt::Display for Purl {
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
pub fn parse_purl(s: &str) -> Result<Purl, PurlError> {
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
    normalise(Purl {
        ty,
        namespace,
        name,
        version,
        qualifiers,
        subpath,
    })
}

impl FromStr for Purl {
    type Err = PurlError;

    /// [`parse_purl`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        parse_purl(s)
    }
}

/// [`parse_purl`] (normalising), falling back to a plain split for purls it refuses (a
/// Maven purl without namespace, qualifiers spelled oddly…): what other tools write is
/// still read. `None` when there is no `pkg:` scheme, type or name.
pub fn parse_lenient(s: &str) -> Option<Purl> {
    if let Ok(p) = parse_purl(s) {
        return Some(p);
    }
    let rest = s.trim().strip_prefix("pkg:")?.trim_start_matches('/');
    let rest = rest.split('#').next().unwrap_or(rest);
    let rest = rest.split('?').next().unwrap_or(rest);
    let (ty, path) = rest.split_once('/')?;
    let (path, version) = match path.rsplit_once('@') {
        Some((p, v)) if !p.is_empty() && !p.ends_with('/') => (p, Some(decode_lossy(v))),
        _ => (path, None),
    };
    let path = path.trim_matches('/');
    let (namespace, name) = match path.rsplit_once('/') {
        Some((ns, n)) => (
            Some(
                ns.split('/')
                    .map(decode_lossy)
                    .collect::<Vec<_>>()
                    .join("/"),
            ),
            decode_lossy(n),
        ),
        None => (None, decode_lossy(path)),
    };
    if ty.is_empty() || name.is_empty() {
        return None;
    }
    Some(Purl {
        ty: ty.to_ascii_lowercase(),
        namespace,
        name,
        version,
        qualifiers: Vec::new(),
        subpath: None,
    })
}

/// Percent-decoding that keeps what it cannot decode (`%4` stays `%4`); bytes that do
/// not form UTF-8 become U+FFFD.
pub fn decode_lossy(s: &str) -> String {
    let b = s.as_bytes();
    let hexval = |b: u8| (b as char).to_digit(16).map(|d| d as u8);
    let mut out = Vec::with_capacity(b.len());
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let (Some(h), Some(l)) = (hexval(b[i + 1]), hexval(b[i + 2]))
        {
            out.push(h * 16 + l);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

impl Purl {
    /// The OSV ecosystem this purl's package belongs to (`cargo` → `crates.io`;
    /// distributions by namespace: `deb` with `debian` → `Debian`), from the
    /// [`ecosystem`](crate::ecosystem) table. `None` when OSV has no such ecosystem.
    pub fn osv_ecosystem(&self) -> Option<&'static str> {
        crate::ecosystem::from_purl(&self.ty, self.namespace.as_deref()).map(|e| e.name)
    }

    /// The package name OSV uses for this purl: `@scope/name` (npm), `group:artifact`
    /// (Maven), the bare name for distribution packages, `namespace/name` for other types
    /// with a namespace, else the name.
    pub fn osv_name(&self) -> String {
        match (&self.namespace, self.ty.as_str()) {
            (Some(ns), "maven") => format!("{ns}:{}", self.name),
            (Some(_), "deb" | "apk" | "rpm" | "alpm") => self.name.clone(),
            (Some(ns), _) => format!("{ns}/{}", self.name),
            (None, _) => self.name.clone(),
        }
    }
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

    #[test]
    fn lenient_reading_and_osv_names() {
        let p = parse_lenient("pkg:npm/%40babel/core@7.24.0").unwrap();
        assert_eq!(p.osv_name(), "@babel/core");
        assert_eq!(p.osv_ecosystem(), Some("npm"));
        let p = parse_lenient("pkg:maven/org.apache/commons-lang3@3.0").unwrap();
        assert_eq!(p.osv_name(), "org.apache:commons-lang3");
        let p = parse_lenient("pkg:golang/github.com/google/uuid@v1.6.0").unwrap();
        assert_eq!(p.osv_name(), "github.com/google/uuid");
        assert_eq!(p.version.as_deref(), Some("v1.6.0"));
        let p = parse_lenient("pkg:deb/debian/curl@7.0?arch=amd64").unwrap();
        assert_eq!(
            (p.osv_name().as_str(), p.osv_ecosystem()),
            ("curl", Some("Debian"))
        );
        // Refused by the strict parser (Maven needs a namespace), still read.
        let p = parse_lenient("pkg:maven/junit@4.12").unwrap();
        assert_eq!(p.name, "junit");
        assert!(parse_lenient("not a purl").is_none());
        assert_eq!(decode_lossy("%4"), "%4");
        assert_eq!(decode_lossy("a%2Fb"), "a/b");
    }

    #[test]
    fn from_str_and_display_round_trip() {
        let p: Purl = "pkg:PyPI/Django_Rest@3.0".parse().unwrap();
        assert_eq!(p.to_string(), "pkg:pypi/django-rest@3.0");
        assert_eq!("npm/x".parse::<Purl>(), Err(PurlError::MissingScheme));
    }

    #[test]
    fn purl_types_from_the_table() {
        assert_eq!(ecosystem_purl_type("Ubuntu:22.04"), "deb");
        assert_eq!(ecosystem_purl_type("GitHub Actions"), "github");
        assert_eq!(ecosystem_purl_type("vcpkg"), "vcpkg");
        assert_eq!(ecosystem_purl_type("hex.pm"), "hex");
        assert_eq!(ecosystem_purl_type("CocoaPods"), "cocoapods");
        assert_eq!(ecosystem_purl_type("pypi"), "pypi");
        assert_eq!(ecosystem_purl_type("Photon OS"), "generic");
        assert_eq!(ecosystem_purl_type("PYPI"), "generic");
    }
}
