//! yarn: `yarn.lock` v1 (yarn classic, its own indented format) and berry (yarn 2+, YAML
//! with `__metadata.version` 4–10).
//!
//! Each entry is keyed by the descriptors (`name@range`, comma-separated) it resolves; its
//! `version`, `resolved` / `resolution`, `integrity` (v1, SRI) and `dependencies` give the
//! component and the edges (a dependency `name range` resolves through the descriptor
//! `name@range`). Aliases (`alias@npm:real@range`) are named by the real package.
//!
//! Berry: `workspace:` entries are the project's packages (the root `workspace:.` is the
//! subject's root, the others components with a path source, direct); `npm:` entries are
//! registry packages; `patch:` entries are the patched package (merged with it); git, file,
//! link and portal entries keep their origin. Berry's `checksum` is a hash of yarn's own
//! cache zip, not of the published tarball: it is not reported.
//!
//! Neither format records which dependencies are dev ones, and v1 not even which are
//! direct: [`lockfile_with_manifests`] takes them from the `package.json` files (the scan
//! passes them); alone, every package is required and only berry knows the direct ones.

use std::collections::HashMap;

use serde::Deserialize;

use super::builder::{Builder, ROOT, component};
use super::error::ParseError;
use super::hashes::sri_hashes;
use super::npm::{PackageJson, is_git, manifest_in, source_of};
use super::yaml::{YamlEntries, yaml_options};
use crate::model::{Hash, Scope, Source, Subject};
use crate::purl::purl;
use annex_types::digest::is_hex;
use annex_types::ecosystem::NPM;

/// `yarn.lock` alone.
pub fn lockfile(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    lockfile_with_manifests(rel_path, text, &[])
}

/// `yarn.lock` with the `package.json` of the project and of its workspaces.
pub fn lockfile_with_manifests(
    rel_path: &str,
    text: &str,
    manifests: &[PackageJson],
) -> Result<Subject, ParseError> {
    let berry = text
        .lines()
        .any(|l| l.starts_with("__metadata:") || l.starts_with("\"__metadata\":"));
    if berry {
        berry_lockfile(rel_path, text, manifests)
    } else {
        v1_lockfile(rel_path, text, manifests)
    }
}

/// Split `name@range` (the name may be scoped: `@scope/name@range`).
pub(crate) fn split_descriptor(d: &str) -> (&str, &str) {
    let from = usize::from(d.starts_with('@'));
    match d[from..].find('@') {
        Some(i) => (&d[..from + i], &d[from + i + 1..]),
        None => (d, ""),
    }
}

/// An entry read from either format.
struct Entry {
    descriptors: Vec<String>,
    line: u64,
    version: Option<String>,
    resolved: Option<String>,
    integrity: Option<String>,
    /// (name, range)
    dependencies: Vec<(String, String)>,
}

// ---- v1 ----------------------------------------------------------------------------------

/// A v1 token: a quoted string (JSON escapes) or a bare word.
fn v1_tokens(
    line: &str,
    indent: usize,
    ln: u64,
    path: &str,
) -> Result<Vec<(String, bool)>, ParseError> {
    let mut out = Vec::new();
    let b = line.as_bytes();
    let mut i = 0;
    while i < b.len() {
        match b[i] {
            b' ' | b'\t' | b',' | b':' => i += 1,
            b'#' => break,
            b'"' => {
                let mut s = String::new();
                let mut j = i + 1;
                let mut closed = false;
                while j < b.len() {
                    match b[j] {
                        b'"' => {
                            closed = true;
                            break;
                        }
                        b'\\' if j + 1 < b.len() => {
                            j += 1;
                            let ch = line[j..].chars().next().unwrap_or('\u{FFFD}');
                            s.push(match ch {
                                'n' => '\n',
                                't' => '\t',
                                c => c,
                            });
                            j += ch.len_utf8();
                        }
                        _ => {
                            let ch = line[j..].chars().next().unwrap_or('\u{FFFD}');
                            s.push(ch);
                            j += ch.len_utf8();
                        }
                    }
                }
                if !closed {
                    let col = (indent + line[..i].chars().count()) as u64 + 1;
                    return Err(ParseError::syntax(path, ln, col, "`\"` closing the string"));
                }
                out.push((s, true));
                i = j + 1;
            }
            _ => {
                let start = i;
                while i < b.len() && !matches!(b[i], b' ' | b'\t' | b',') {
                    // A `:` ends a bare key (`dependencies:`), but not inside a value
                    // such as `git+ssh://…` — only when followed by space or end.
                    if b[i] == b':' && (i + 1 == b.len() || b[i + 1] == b' ') {
                        break;
                    }
                    i += 1;
                }
                out.push((line[start..i].to_string(), false));
            }
        }
    }
    Ok(out)
}

fn v1_entries(path: &str, text: &str) -> Result<Vec<Entry>, ParseError> {
    let mut entries: Vec<Entry> = Vec::new();
    // The nested block we are in, with its indentation.
    let mut block: Option<(String, usize)> = None;
    for (n, raw) in text.lines().enumerate() {
        let ln = n as u64 + 1;
        let trimmed = raw.trim_end();
        let body = trimmed.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = trimmed.len() - body.len();
        if raw[..indent].contains('\t') {
            return Err(ParseError::syntax(path, ln, 1, "spaces for indentation"));
        }
        let toks = v1_tokens(body, indent, ln, path)?;
        let col = indent as u64 + 1;
        if indent == 0 {
            if !body.ends_with(':') {
                return Err(ParseError::syntax(
                    path,
                    ln,
                    trimmed.chars().count() as u64 + 1,
                    "`:` ending the entry's descriptors",
                ));
            }
            block = None;
            entries.push(Entry {
                descriptors: toks.into_iter().map(|(t, _)| t).collect(),
                line: ln,
                version: None,
                resolved: None,
                integrity: None,
                dependencies: Vec::new(),
            });
            continue;
        }
        let Some(entry) = entries.last_mut() else {
            return Err(ParseError::syntax(
                path,
                ln,
                col,
                "an entry (`name@range:`) first",
            ));
        };
        if let Some((name, level)) = &block {
            if indent > *level {
                if toks.len() != 2 {
                    return Err(ParseError::syntax(path, ln, col, "`name range`"));
                }
                if name == "dependencies" || name == "optionalDependencies" {
                    entry
                        .dependencies
                        .push((toks[0].0.clone(), toks[1].0.clone()));
                }
                continue;
            }
            block = None;
        }
        match toks.as_slice() {
            [(key, _)] if body.ends_with(':') => block = Some((key.clone(), indent)),
            [(key, _), (value, _)] => match key.as_str() {
                "version" => entry.version = Some(value.clone()),
                "resolved" => entry.resolved = Some(value.clone()),
                "integrity" => entry.integrity = Some(value.clone()),
                _ => {}
            },
            _ => {
                return Err(ParseError::syntax(path, ln, col, "`key value` or `key:`"));
            }
        }
    }
    Ok(entries)
}

fn v1_lockfile(
    rel_path: &str,
    text: &str,
    manifests: &[PackageJson],
) -> Result<Subject, ParseError> {
    let entries = v1_entries(rel_path, text)?;
    let mut b = Builder::new(rel_path, NPM, "yarn.lock v1");
    let mut by_descriptor: HashMap<&str, usize> = HashMap::new();
    let mut idx: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    for e in &entries {
        let Some(first) = e.descriptors.first() else {
            idx.push(None);
            continue;
        };
        let (key_name, range) = split_descriptor(first);
        let name = match range.strip_prefix("npm:") {
            Some(alias) if alias.contains('@') => split_descriptor(alias).0,
            _ => key_name,
        };
        let Some(version) = e.version.as_deref() else {
            b.unresolved(name, range, e.line);
            idx.push(None);
            continue;
        };
        let mut c = component(
            NPM,
            name,
            version,
            purl(NPM, None, name, version, &[]),
            rel_path,
            e.line,
        );
        c.hashes = e.integrity.as_deref().map(sri_hashes).unwrap_or_default();
        let resolved = e.resolved.as_deref();
        if c.hashes.is_empty()
            && let Some(sha1) = resolved
                .filter(|r| r.starts_with("http") && !is_git(r))
                .and_then(|r| r.rsplit_once('#'))
                .map(|(_, h)| h)
                .filter(|h| is_hex(h, 40))
        {
            c.hashes.push(Hash {
                alg: "sha1".to_string(),
                value: sha1.to_ascii_lowercase(),
            });
        }
        c.source = match resolved {
            Some(r) => source_of(Some(
                r.split('#').next().filter(|_| !is_git(r)).unwrap_or(r),
            )),
            None if range.starts_with("file:") || range.starts_with("link:") => Source::Path {
                path: range.split_once(':').map_or(range, |(_, p)| p).to_string(),
            },
            None => Source::Registry { url: None },
        };
        let i = b.push(c);
        for d in &e.descriptors {
            by_descriptor.insert(d.as_str(), i);
        }
        idx.push(Some(i));
    }
    for (e, from) in entries.iter().zip(&idx) {
        let Some(from) = *from else { continue };
        for (name, range) in &e.dependencies {
            if let Some(&to) = by_descriptor.get(format!("{name}@{range}").as_str()) {
                b.edge(from, to);
            }
        }
    }
    apply_manifests(&mut b, manifests, &|name, req| {
        by_descriptor.get(format!("{name}@{req}").as_str()).copied()
    });
    b.edges_complete = !manifests.is_empty();
    Ok(b.finish())
}

/// Roots from the manifests: each manifest dependency resolved by `lookup`.
fn apply_manifests(
    b: &mut Builder,
    manifests: &[PackageJson],
    lookup: &dyn Fn(&str, &str) -> Option<usize>,
) {
    if manifests.is_empty() {
        return;
    }
    let mut roots: Vec<(usize, Scope)> = Vec::new();
    let root_manifest = manifest_in(manifests, &b.path, ".").map(|m| m.path.clone());
    for m in manifests {
        let is_root = root_manifest.as_deref() == Some(m.path.as_str());
        // A workspace member's own component, if the lockfile lists it.
        let member = (!is_root)
            .then(|| {
                b.components()
                    .iter()
                    .position(|c| c.name == m.name && matches!(c.source, Source::Path { .. }))
            })
            .flatten();
        match member {
            Some(w) => roots.push((w, Scope::Required)),
            // A package.json below the project that is no workspace of this lockfile.
            None if !is_root && !declared_workspace(manifests, &b.path, m) => continue,
            None => {}
        }
        for (name, req, scope, _) in &m.dependencies {
            if let Some(i) = lookup(name, req) {
                roots.push((i, *scope));
                let from = if is_root { Some(ROOT) } else { member };
                if let Some(f) = from {
                    b.edge(f, i);
                }
            }
        }
    }
    b.propagate_scopes(&roots);
}

/// Whether `m` lies in a directory the root package.json's `workspaces` globs name.
fn declared_workspace(manifests: &[PackageJson], lock_path: &str, m: &PackageJson) -> bool {
    let Some(root) = manifest_in(manifests, lock_path, ".") else {
        return false;
    };
    let base = lock_path.rsplit_once('/').map_or("", |(d, _)| d);
    let dir = m.path.rsplit_once('/').map_or("", |(d, _)| d);
    let rel = if base.is_empty() {
        dir
    } else {
        match dir.strip_prefix(base).and_then(|r| r.strip_prefix('/')) {
            Some(r) => r,
            None => return false,
        }
    };
    root.workspaces
        .iter()
        .any(|g| glob_match(g.trim_start_matches("./"), rel))
}

/// `*` matches one path segment (or part of it), `**` any number of segments.
fn glob_match(pattern: &str, path: &str) -> bool {
    fn segs(p: &[&str], s: &[&str]) -> bool {
        match (p.first(), s.first()) {
            (None, None) => true,
            (Some(&"**"), _) => segs(&p[1..], s) || (!s.is_empty() && segs(p, &s[1..])),
            (Some(pp), Some(ss)) => seg(pp, ss) && segs(&p[1..], &s[1..]),
            _ => false,
        }
    }
    fn seg(p: &str, s: &str) -> bool {
        match p.split_once('*') {
            None => p == s,
            Some((pre, post)) => {
                s.len() >= pre.len() + post.len() && s.starts_with(pre) && s.ends_with(post)
            }
        }
    }
    let p: Vec<&str> = pattern.trim_end_matches('/').split('/').collect();
    let s: Vec<&str> = path.split('/').collect();
    // Bounded: `**` backtracks.
    p.len() <= 64 && p.iter().filter(|x| **x == "**").count() <= 4 && segs(&p, &s)
}

// ---- berry -------------------------------------------------------------------------------

#[derive(Deserialize, Default)]
#[serde(default)]
struct BerryEntry {
    version: Option<Scalar>,
    resolution: Option<String>,
    dependencies: YamlEntries<Scalar>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: YamlEntries<Scalar>,
}

/// A YAML scalar read as text (numbers and booleans too).
#[derive(Debug, Clone, Default)]
pub(crate) struct Scalar(pub(crate) String);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl serde::de::Visitor<'_> for V {
            type Value = Scalar;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a scalar")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_string<E: serde::de::Error>(self, v: String) -> Result<Scalar, E> {
                Ok(Scalar(v))
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_bool<E: serde::de::Error>(self, v: bool) -> Result<Scalar, E> {
                Ok(Scalar(v.to_string()))
            }
            fn visit_unit<E: serde::de::Error>(self) -> Result<Scalar, E> {
                Ok(Scalar(String::new()))
            }
        }
        d.deserialize_any(V)
    }
}

fn berry_lockfile(
    rel_path: &str,
    text: &str,
    manifests: &[PackageJson],
) -> Result<Subject, ParseError> {
    let doc: YamlEntries<BerryEntry> = serde_saphyr::from_str_with_options(text, yaml_options())
        .map_err(|e| ParseError::from_yaml(rel_path, &e))?;
    let meta = doc.0.iter().find(|(k, _)| k.value == "__metadata");
    let Some((meta_key, meta)) = meta else {
        return Err(ParseError::unsupported(
            rel_path,
            0,
            "yarn.lock",
            "(no __metadata)",
        ));
    };
    let version = meta.version.clone().unwrap_or_default().0;
    let line = meta_key.referenced.line();
    match version.parse::<u32>() {
        Ok(4..=10) => {}
        _ => {
            return Err(ParseError::unsupported(
                rel_path,
                line + 1,
                "yarn.lock",
                version,
            ));
        }
    }
    let mut b = Builder::new(rel_path, NPM, format!("yarn.lock v{version} (berry)"));
    let mut entries: Vec<(Entry, Option<String>)> = Vec::new();
    for (key, e) in &doc.0 {
        if key.value == "__metadata" {
            continue;
        }
        let deps = e
            .dependencies
            .0
            .iter()
            .chain(&e.optional_dependencies.0)
            .map(|(k, v)| (k.value.clone(), v.0.clone()))
            .collect();
        entries.push((
            Entry {
                descriptors: key.value.split(',').map(|d| d.trim().to_string()).collect(),
                line: key.referenced.line(),
                version: e.version.as_ref().map(|v| v.0.clone()),
                resolved: None,
                integrity: None,
                dependencies: deps,
            },
            e.resolution.clone(),
        ));
    }
    let mut by_descriptor: HashMap<String, usize> = HashMap::new();
    let mut idx: Vec<Option<usize>> = Vec::with_capacity(entries.len());
    for (e, resolution) in &entries {
        let resolution = resolution
            .clone()
            .or_else(|| e.descriptors.first().cloned())
            .unwrap_or_default();
        let (name, reference) = split_descriptor(&resolution);
        let (protocol, rest) = reference.split_once(':').unwrap_or(("", reference));
        // `name@npm:real@1.0.0` (an alias) names the real package.
        let name = match protocol {
            "npm" if rest.contains('@') => split_descriptor(rest).0,
            _ => name,
        };
        let mut version = e.version.clone().unwrap_or_default();
        if protocol == "workspace" {
            // The lockfile writes `0.0.0-use.local`; the workspace's package.json knows.
            if let Some(m) = manifests
                .iter()
                .find(|m| m.name == name && !m.version.is_empty())
            {
                version = m.version.clone();
            }
        }
        let mut c = component(
            NPM,
            name,
            &version,
            purl(NPM, None, name, &version, &[]),
            rel_path,
            e.line,
        );
        c.source = match protocol {
            "npm" | "patch" => Source::Registry { url: None },
            "workspace" | "file" | "link" | "portal" => Source::Path {
                path: rest.split(['#', ':']).next().unwrap_or(rest).to_string(),
            },
            _ if is_git(reference) || reference.contains("#commit=") => {
                let (url, rev) = match reference.split_once("#commit=") {
                    Some((u, r)) => (u, Some(r.to_string())),
                    None => match reference.rsplit_once('#') {
                        Some((u, r)) => (u, Some(r.to_string())),
                        None => (reference, None),
                    },
                };
                Source::Git {
                    url: url.to_string(),
                    rev,
                }
            }
            _ if reference.starts_with("http") => Source::Url {
                url: reference.to_string(),
            },
            _ => Source::Registry { url: None },
        };
        if protocol == "workspace" && rest == "." {
            c.source = Source::Path {
                path: ".".to_string(),
            };
            b.root = Some(c);
            idx.push(Some(ROOT));
            for d in &e.descriptors {
                by_descriptor.insert(d.clone(), ROOT);
            }
            continue;
        }
        if protocol == "workspace" {
            c.direct = true;
        }
        let i = b.push(c);
        for d in &e.descriptors {
            by_descriptor.insert(d.clone(), i);
        }
        idx.push(Some(i));
    }
    let lookup = |name: &str, range: &str| -> Option<usize> {
        by_descriptor
            .get(&format!("{name}@{range}"))
            .or_else(|| by_descriptor.get(&format!("{name}@npm:{range}")))
            .copied()
    };
    let mut workspace_roots: Vec<(usize, Scope)> = Vec::new();
    for ((e, resolution), from) in entries.iter().zip(&idx) {
        let Some(from) = *from else { continue };
        let is_workspace = resolution
            .as_deref()
            .is_some_and(|r| split_descriptor(r).1.starts_with("workspace:"));
        for (name, range) in &e.dependencies {
            if let Some(to) = lookup(name, range).filter(|&t| t != ROOT) {
                b.edge(from, to);
                if is_workspace {
                    workspace_roots.push((to, Scope::Required));
                }
            }
        }
    }
    if manifests.is_empty() {
        for (i, _) in &workspace_roots {
            if let Some(c) = b.get_mut(*i) {
                c.direct = true;
            }
        }
    } else {
        apply_manifests(&mut b, manifests, &lookup);
    }
    b.edges_complete = true;
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn globs() {
        assert!(glob_match("packages/*", "packages/a"));
        assert!(!glob_match("packages/*", "packages/a/b"));
        assert!(glob_match("packages/**", "packages/a/b"));
        assert!(glob_match("apps/web-*", "apps/web-x"));
    }

    #[test]
    fn descriptors() {
        assert_eq!(split_descriptor("@a/b@^1.0.0"), ("@a/b", "^1.0.0"));
        assert_eq!(split_descriptor("a@npm:b@1"), ("a", "npm:b@1"));
        assert_eq!(split_descriptor("a"), ("a", ""));
    }

    #[test]
    fn v1_reads_entries() {
        let text = "# yarn lockfile v1\n\n\"@a/b@^1.0.0\", \"@a/b@^1.1.0\":\n  version \"1.2.0\"\n  resolved \"https://registry.yarnpkg.com/@a/b/-/b-1.2.0.tgz#0123456789012345678901234567890123456789\"\n  dependencies:\n    c \"^2\"\n\nc@^2:\n  version \"2.0.0\"\n";
        let s = lockfile("yarn.lock", text).expect("parses");
        assert_eq!(s.components.len(), 2);
        assert_eq!(s.components[0].location.line, 3);
        assert_eq!(s.components[0].hashes[0].alg, "sha1");
        assert_eq!(s.edges.len(), 1);
        let e = lockfile("yarn.lock", "a@1:\n  version \"1\n").expect_err("unterminated");
        assert_eq!(
            e.to_string(),
            "yarn.lock:2:11: expected `\"` closing the string"
        );
    }
}
