//! bun: `bun.lock` (the text lockfile of bun ≥ 1.1.39; JSONC: trailing commas and
//! comments), lockfileVersion 0, 1 and 2. The binary `bun.lockb` is not read.
//!
//! `packages` maps an install path (`name`, or `parent/name` when nested) to a tuple whose
//! first element is the resolution `name@version` — or `name@github:…#sha`,
//! `name@git+…#sha`, `name@file:…`, `name@workspace:…`, `name@https://…tgz` — followed, for
//! registry packages, by the registry URL (empty for the default), the package's
//! dependency maps, and the SRI integrity. Non-registry packages have no version number
//! (the version stays empty; the source records the commit or path).
//!
//! `workspaces` gives the roots: `""` is the project (the subject's root), the others are
//! workspace packages (components with a path source). Their `dependencies`,
//! `optionalDependencies`, `peerDependencies` and `devDependencies` are direct and give the
//! scopes, spread along the edges. A dependency resolves like Node does: the nested path
//! first (`parent/name`), then upwards.

use std::collections::HashMap;

use super::builder::{Builder, ROOT, component};
use super::error::ParseError;
use super::hashes::sri_hashes;
use super::json::{self, Node};
use super::npm::{is_git, source_of};
use super::yarn::split_descriptor;
use crate::model::{Scope, Source, Subject};
use crate::purl::purl;
use annex_types::ecosystem::NPM;

/// Split an install path into package names (`a/@s/b/c` → `a`, `@s/b`, `c`).
fn path_names(key: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = key;
    while !rest.is_empty() {
        let take = if rest.starts_with('@') {
            match rest.match_indices('/').nth(1) {
                Some((i, _)) => i,
                None => rest.len(),
            }
        } else {
            rest.find('/').unwrap_or(rest.len())
        };
        out.push(&rest[..take]);
        rest = rest.get(take + 1..).unwrap_or("");
    }
    out
}

/// `bun.lock`.
pub fn lockfile(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let doc = json::parse_jsonc(rel_path, text)?;
    if !doc.is_object() {
        return Err(ParseError::invalid(
            rel_path,
            doc.line,
            doc.col,
            "bun.lock is a JSON object",
        ));
    }
    let version = match doc.member("lockfileVersion") {
        Some(m) => match m.value.as_u64() {
            Some(v @ 0..=2) => v,
            _ => {
                let shown = match &m.value.value {
                    json::Value::Number(n) => n.clone(),
                    json::Value::String(s) => s.clone(),
                    _ => "(not a number)".to_string(),
                };
                return Err(ParseError::unsupported(rel_path, m.line, "bun.lock", shown));
            }
        },
        None if doc.members().is_empty() => {
            // `{}`: nothing locked.
            return Ok(Builder::new(rel_path, NPM, "bun.lock").finish());
        }
        None => {
            return Err(ParseError::unsupported(
                rel_path,
                0,
                "bun.lock",
                "(missing)",
            ));
        }
    };
    let mut b = Builder::new(rel_path, NPM, format!("bun.lock v{version}"));
    let workspaces = doc.get("workspaces").map(Node::members).unwrap_or_default();
    // Workspace packages by their name (for `name@workspace:` resolutions).
    let mut workspace_dirs: HashMap<String, (&str, &Node)> = HashMap::new();
    for w in workspaces {
        if let Some(n) = w.value.str("name") {
            workspace_dirs.insert(n.to_string(), (w.key.as_str(), &w.value));
        }
        if w.key.is_empty() {
            let name = w.value.str("name").unwrap_or_default();
            let version = w.value.str("version").unwrap_or_default();
            if !name.is_empty() {
                let mut r = component(
                    NPM,
                    name,
                    version,
                    purl(NPM, None, name, version, &[]),
                    rel_path,
                    w.line,
                );
                r.source = Source::Path {
                    path: ".".to_string(),
                };
                b.root = Some(r);
            }
        }
    }
    // Packages.
    let packages = doc.get("packages").map(Node::members).unwrap_or_default();
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut deps_of: Vec<(usize, &str, &Node)> = Vec::new();
    for m in packages {
        let items = m.value.items();
        let resolution = items.first().and_then(Node::as_str).ok_or_else(|| {
            let at = items.first().unwrap_or(&m.value);
            ParseError::invalid(
                rel_path,
                at.line,
                at.col,
                format!(
                    "package `{}`: the first element is the resolution string",
                    m.key
                ),
            )
        })?;
        let (name, reference) = split_descriptor(resolution);
        if name.is_empty() {
            return Err(ParseError::invalid(
                rel_path,
                m.line,
                m.col,
                format!(
                    "package `{}`: resolution `{resolution}` names no package",
                    m.key
                ),
            ));
        }
        let (protocol, rest) = match reference.split_once(':') {
            Some((p, r)) if !p.contains('/') && !p.contains('.') => (p, r),
            _ => ("", reference),
        };
        let (version, source, info) = match protocol {
            "" if reference.starts_with(|c: char| c.is_ascii_digit()) => {
                let registry = items.get(1).and_then(Node::as_str).unwrap_or("");
                let source = if registry.is_empty() {
                    Source::Registry { url: None }
                } else {
                    Source::Registry {
                        url: Some(registry.trim_end_matches('/').to_string()),
                    }
                };
                (reference.to_string(), source, items.get(2))
            }
            "npm" => {
                // An alias resolution: `alias@npm:real@1.0.0` is unusual here; keep it.
                let (_, v) = split_descriptor(rest);
                (v.to_string(), Source::Registry { url: None }, items.get(2))
            }
            "workspace" => {
                let v = workspace_dirs
                    .get(name)
                    .and_then(|(_, w)| w.str("version"))
                    .unwrap_or_default();
                (
                    v.to_string(),
                    Source::Path {
                        path: rest.to_string(),
                    },
                    None,
                )
            }
            "file" | "link" => (
                String::new(),
                Source::Path {
                    path: rest.to_string(),
                },
                items.get(1),
            ),
            "github" | "gitlab" | "bitbucket" | "git+ssh" | "git+https" | "git" | "git+http" => {
                let (url, rev) = match reference.rsplit_once('#') {
                    Some((u, r)) => (u, Some(r.to_string())),
                    None => (reference, None),
                };
                (
                    String::new(),
                    Source::Git {
                        url: url.to_string(),
                        rev,
                    },
                    items.get(1),
                )
            }
            "http" | "https" => {
                let s = if is_git(reference) {
                    source_of(Some(reference))
                } else {
                    Source::Url {
                        url: reference.to_string(),
                    }
                };
                (String::new(), s, items.get(1))
            }
            _ => (String::new(), source_of(Some(reference)), items.get(1)),
        };
        let mut c = component(
            NPM,
            name,
            &version,
            purl(NPM, None, name, &version, &[]),
            rel_path,
            m.line,
        );
        c.source = source;
        if protocol == "workspace" {
            c.direct = true;
        }
        if protocol.is_empty() || protocol == "npm" {
            if let Some(n) = items.get(2).filter(|n| !n.is_object()) {
                return Err(ParseError::invalid(
                    rel_path,
                    n.line,
                    n.col,
                    format!("package `{}`: the third element is an object", m.key),
                ));
            }
            c.hashes = items
                .get(3)
                .and_then(Node::as_str)
                .map(sri_hashes)
                .unwrap_or_default();
        }
        let i = b.push(c);
        by_key.insert(m.key.as_str(), i);
        if let Some(info) = info.filter(|n| n.is_object()) {
            deps_of.push((i, m.key.as_str(), info));
        }
        if protocol == "workspace"
            && let Some((_, w)) = workspace_dirs.get(name)
        {
            deps_of.push((i, m.key.as_str(), w));
        }
    }
    // Node-style resolution from an install path.
    let resolve = |from: &str, dep: &str| -> Option<usize> {
        let mut names = path_names(from);
        loop {
            let cand = if names.is_empty() {
                dep.to_string()
            } else {
                format!("{}/{dep}", names.join("/"))
            };
            if let Some(&i) = by_key.get(cand.as_str()) {
                return Some(i);
            }
            names.pop()?;
        }
    };
    let kinds = [
        ("dependencies", Scope::Required),
        ("optionalDependencies", Scope::Optional),
        ("peerDependencies", Scope::Required),
        ("devDependencies", Scope::Dev),
    ];
    let mut edges = Vec::new();
    let mut complete = true;
    for (from, key, info) in &deps_of {
        for (kind, _) in kinds {
            for d in info.get(kind).map(Node::members).unwrap_or_default() {
                match resolve(key, &d.key) {
                    Some(to) => edges.push((*from, to)),
                    // Optional peers are often absent.
                    None if kind == "peerDependencies" => {}
                    None => complete = false,
                }
            }
        }
    }
    // Roots: the workspaces' dependencies.
    let mut roots: Vec<(usize, Scope)> = Vec::new();
    for w in workspaces {
        let (from, start) = if w.key.is_empty() {
            (ROOT, String::new())
        } else {
            let name = w.value.str("name").unwrap_or_default();
            match by_key.get(name) {
                Some(&i) => {
                    roots.push((i, Scope::Required));
                    edges.push((ROOT, i));
                    (i, name.to_string())
                }
                None => continue,
            }
        };
        for (kind, scope) in kinds {
            for d in w.value.get(kind).map(Node::members).unwrap_or_default() {
                match resolve(&start, &d.key) {
                    Some(to) => {
                        roots.push((to, scope));
                        edges.push((from, to));
                    }
                    None if kind == "peerDependencies" => {}
                    None => complete = false,
                }
            }
        }
    }
    for (f, t) in edges {
        b.edge(f, t);
    }
    b.propagate_scopes(&roots);
    b.edges_complete = complete;
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn install_paths() {
        assert_eq!(path_names("a/@s/b/c"), vec!["a", "@s/b", "c"]);
        assert_eq!(path_names("@s/b"), vec!["@s/b"]);
        assert!(path_names("").is_empty());
    }
}
