//! `composer.lock`: `packages` → required, `packages-dev` → dev. The dist `shasum` (SHA-1)
//! is the hash; `license` arrays are alternatives (Composer's meaning) and become one SPDX
//! expression joined with `OR`. A package installed from its VCS source (no archive dist)
//! has a git source with the locked reference; `path` dists are local. Edges follow
//! `require` (platform requirements `php`, `ext-*`, `lib-*`, `composer-*` are not packages).
//! The lockfile has no format version; its `plugin-api-version` is reported in `format`.
//!
//! `composer.json` beside the lock names the project (the root, `pkg:composer/<name>`) and
//! its direct dependencies (`require`; `require-dev` as dev edges). Alone, its
//! requirements are constraints, not versions: each is unresolved.

use std::collections::BTreeMap;

use super::builder::{Builder, Part, make};
use super::error::{ParseError, check_size, invalid};
use super::hashes::hash_of;
use super::json;
use super::text::no_bom;
use crate::model::{Scope, Source, Subject};

const ECO: &str = annex_types::ecosystem::PACKAGIST;

fn is_platform(name: &str) -> bool {
    let n = name.to_ascii_lowercase();
    n == "php"
        || n.starts_with("php-")
        || n.starts_with("ext-")
        || n.starts_with("lib-")
        || n.starts_with("composer-")
        || n == "composer"
        || n == "hhvm"
}

/// Composer's licence list → one SPDX expression (alternatives joined with `OR`).
fn license_expression(v: Option<&json::Node>) -> Option<String> {
    let v = v?;
    let items: Vec<String> = match &v.value {
        json::Value::String(s) => vec![s.trim().to_string()],
        json::Value::Array(a) => a
            .iter()
            .filter_map(|x| x.as_str())
            .map(|s| s.trim().to_string())
            .collect(),
        _ => return None,
    };
    let items: Vec<String> = items.into_iter().filter(|s| !s.is_empty()).collect();
    match items.len() {
        0 => None,
        1 => items.into_iter().next(),
        _ => Some(
            items
                .iter()
                .map(|s| {
                    if s.contains(' ') && !s.starts_with('(') {
                        format!("({s})")
                    } else {
                        s.clone()
                    }
                })
                .collect::<Vec<_>>()
                .join(" OR "),
        ),
    }
}

/// What a composer.json declares.
#[derive(Debug, Clone, Default)]
pub struct ComposerJson {
    pub path: String,
    /// Empty when the file names no package.
    pub name: String,
    pub version: String,
    pub line: u64,
    /// (name, constraint, line, `Required` or `Dev`), platform requirements left out.
    pub require: Vec<(String, String, u64, Scope)>,
}

/// Read a composer.json.
pub fn read_composer_json(rel_path: &str, text: &str) -> Result<ComposerJson, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    let doc = json::object(rel_path, json::parse(rel_path, text)?, "composer.json")?;
    let mut m = ComposerJson {
        path: rel_path.to_string(),
        name: doc.str("name").unwrap_or_default().to_string(),
        version: doc.str("version").unwrap_or_default().to_string(),
        line: doc.member("name").map_or(1, |n| n.line),
        require: Vec::new(),
    };
    for (key, scope) in [("require", Scope::Required), ("require-dev", Scope::Dev)] {
        for r in doc.get(key).map(|r| r.members()).unwrap_or(&[]) {
            if is_platform(&r.key) {
                continue;
            }
            let constraint = r.value.as_str().unwrap_or_default().to_string();
            m.require.push((r.key.clone(), constraint, r.line, scope));
        }
    }
    Ok(m)
}

/// The root component of a composer.json that names its package.
fn root_of(m: &ComposerJson) -> Option<crate::model::Component> {
    if m.name.is_empty() {
        return None;
    }
    let purl = crate::purl::purl(ECO, None, &m.name, &m.version, &[]);
    let mut root = super::builder::component(ECO, &m.name, &m.version, purl, &m.path, m.line);
    root.source = Source::Path {
        path: ".".to_string(),
    };
    Some(root)
}

/// `composer.json` alone: the root package; every requirement is unresolved.
pub fn composer_json(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let m = read_composer_json(rel_path, text)?;
    let mut b = Builder::new(rel_path, ECO, "composer.json");
    b.root = root_of(&m);
    for (name, constraint, line, _) in &m.require {
        b.unresolved(name, constraint, *line);
    }
    Ok(b.finish())
}

/// `composer.lock` alone.
pub fn composer(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    composer_with_manifest(rel_path, text, None)
}

/// `composer.lock` with the composer.json beside it (root and direct dependencies).
pub fn composer_with_manifest(
    rel_path: &str,
    text: &str,
    manifest: Option<&ComposerJson>,
) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    let doc = json::object(rel_path, json::parse(rel_path, text)?, "composer.lock")?;
    let format = match doc.str("plugin-api-version") {
        Some(v) => format!("composer.lock (plugin-api {v})"),
        None => "composer.lock".to_string(),
    };
    let mut b = Builder::new(rel_path, ECO, format);
    let mut requires: Vec<(usize, Vec<String>)> = Vec::new();
    for (key, scope) in [("packages", Scope::Required), ("packages-dev", Scope::Dev)] {
        let Some(list) = doc.get(key) else { continue };
        if !matches!(list.value, json::Value::Array(_) | json::Value::Null) {
            return Err(invalid(
                rel_path,
                list.line,
                list.col,
                format!("`{key}` must be an array"),
            ));
        }
        for p in list.items() {
            let Some(name) = p.str("name") else {
                return Err(invalid(
                    rel_path,
                    p.line,
                    p.col,
                    format!("a package in `{key}` without `name`"),
                ));
            };
            let Some(version) = p.str("version").filter(|v| !v.is_empty()) else {
                b.unresolved(name, "", p.line);
                continue;
            };
            let purl = crate::purl::purl(ECO, None, name, version, &[]);
            let mut c = make(
                &b,
                Part {
                    name,
                    version,
                    purl,
                    scope,
                    direct: false,
                    line: p.line,
                },
            );
            let dist = p.get("dist");
            let src = p.get("source");
            if let Some(h) = dist
                .and_then(|d| d.str("shasum"))
                .and_then(|s| hash_of("sha1", s))
            {
                c.hashes.push(h);
            }
            c.licenses.extend(license_expression(p.get("license")));
            let dist_type = dist.and_then(|d| d.str("type")).unwrap_or("");
            c.source = if dist_type == "path" {
                Source::Path {
                    path: dist
                        .and_then(|d| d.str("url"))
                        .unwrap_or_default()
                        .to_string(),
                }
            } else if dist.is_none() && src.and_then(|s| s.str("type")) == Some("git") {
                Source::Git {
                    url: src
                        .and_then(|s| s.str("url"))
                        .unwrap_or_default()
                        .to_string(),
                    rev: src.and_then(|s| s.str("reference")).map(str::to_string),
                }
            } else {
                Source::Registry { url: None }
            };
            let i = b.push(c);
            let req = p
                .get("require")
                .map(|r| r.members())
                .unwrap_or(&[])
                .iter()
                .map(|m| m.key.to_ascii_lowercase())
                .filter(|n| !is_platform(n))
                .collect();
            requires.push((i, req));
        }
    }
    let mut by_name: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in b.components().iter().enumerate() {
        by_name
            .entry(c.name.to_ascii_lowercase())
            .or_default()
            .push(i);
    }
    for (from, req) in requires {
        for n in req {
            for &to in by_name.get(&n).map(Vec::as_slice).unwrap_or(&[]) {
                if to != from {
                    b.edge(from, to);
                }
            }
        }
    }
    if let Some(m) = manifest {
        b.root = root_of(m);
        if b.root.is_some() {
            for (name, _, _, kind) in &m.require {
                let targets = by_name.get(&name.to_ascii_lowercase());
                for &to in targets.map(Vec::as_slice).unwrap_or(&[]) {
                    b.edge_scoped(super::builder::ROOT, to, *kind);
                    if let Some(c) = b.get_mut(to) {
                        c.direct = true;
                    }
                }
            }
        }
    }
    b.edges_complete = true;
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn licences() {
        let n = json::parse("x", r#"["MIT", "GPL-2.0-or-later"]"#).ok();
        assert_eq!(
            license_expression(n.as_ref()).as_deref(),
            Some("MIT OR GPL-2.0-or-later")
        );
        let n = json::parse("x", r#""BSD-3-Clause""#).ok();
        assert_eq!(
            license_expression(n.as_ref()).as_deref(),
            Some("BSD-3-Clause")
        );
        let n = json::parse("x", r#"["LGPL-2.1-only and MIT", "Apache-2.0"]"#).ok();
        assert_eq!(
            license_expression(n.as_ref()).as_deref(),
            Some("(LGPL-2.1-only and MIT) OR Apache-2.0")
        );
    }
}
