//! npm: `package-lock.json` / `npm-shrinkwrap.json` (lockfileVersion 1, 2, 3) and
//! `package.json` (manifest).
//!
//! - v2/v3: the `packages` map, keyed by install path (`node_modules/a/node_modules/b`).
//!   Links (`"link": true`) point at workspace directories, which become components with a
//!   path source. Edges follow Node's resolution (nearest `node_modules` upwards). Direct
//!   dependencies: those of the root and of the workspace members.
//! - v1 (and v2 files that only carry `dependencies`): the nested `dependencies` tree with
//!   `requires`; `npm:name@version` aliases; git (`git+…#sha`, `github:…#sha`) and `file:`
//!   versions leave the version empty and record the source. v1 does not say which
//!   packages are direct: the scan takes that from `package.json`.
//! - Scope: `dev` → dev, `optional` / `devOptional` → optional, else required.

use std::collections::HashMap;

use super::builder::{Builder, ROOT, component};
use super::error::ParseError;
use super::hashes::sri_hashes;
use super::json::{self, Node};
use super::relative::push_segments;
use crate::model::{Component, Scope, Source, Subject};
use crate::purl::purl;
use annex_types::ecosystem::NPM;

fn file_label(rel_path: &str) -> &str {
    rel_path.rsplit('/').next().unwrap_or(rel_path)
}

/// `package-lock.json` or `npm-shrinkwrap.json`.
pub fn package_lock(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    package_lock_with_manifest(rel_path, text, None)
}

/// A package-lock with the `package.json` beside it: for v1 lockfiles (which record no
/// root dependency list), its dependencies mark the direct packages.
pub fn package_lock_with_manifest(
    rel_path: &str,
    text: &str,
    manifest: Option<&PackageJson>,
) -> Result<Subject, ParseError> {
    let doc = json::parse(rel_path, text)?;
    if !doc.is_object() {
        return Err(ParseError::invalid(
            rel_path,
            doc.line,
            doc.col,
            "a package-lock is a JSON object",
        ));
    }
    let label = file_label(rel_path);
    let version = match doc.member("lockfileVersion") {
        None => {
            return Err(ParseError::unsupported(rel_path, 0, label, "(missing)"));
        }
        Some(m) => match m.value.as_u64() {
            Some(v @ 1..=3) => v,
            _ => {
                let shown = match &m.value.value {
                    json::Value::Number(n) => n.clone(),
                    json::Value::String(s) => s.clone(),
                    _ => "(not a number)".to_string(),
                };
                return Err(ParseError::unsupported(rel_path, m.line, label, shown));
            }
        },
    };
    let mut b = Builder::new(rel_path, NPM, format!("{label} v{version}"));
    if let Some(packages) = doc.get("packages").filter(|p| p.is_object()) {
        packages_map(&mut b, &doc, packages)?;
    } else {
        dependencies_tree(&mut b, &doc, manifest)?;
    }
    Ok(b.finish())
}

pub(crate) fn scope_of(dev: bool, optional: bool, dev_optional: bool) -> Scope {
    if dev {
        Scope::Dev
    } else if optional || dev_optional {
        Scope::Optional
    } else {
        Scope::Required
    }
}

/// The package name from an install path: what follows the last `node_modules/`.
fn name_from_key(key: &str) -> &str {
    match key.rfind("node_modules/") {
        Some(i) => &key[i + "node_modules/".len()..],
        None => key.rsplit('/').next().unwrap_or(key),
    }
}

fn in_node_modules(key: &str) -> bool {
    key.starts_with("node_modules/") || key.contains("/node_modules/")
}

/// Licences as written: `"MIT"`, `{ "type": "MIT" }`, or the legacy `licenses` array.
fn licenses(node: &Node) -> Vec<String> {
    let one = |n: &Node| -> Option<String> {
        n.as_str()
            .or_else(|| n.str("type"))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
    };
    if let Some(l) = node.get("license").and_then(one) {
        return vec![l];
    }
    node.get("licenses")
        .map(|ls| ls.items().iter().filter_map(one).collect())
        .unwrap_or_default()
}

/// Where a `resolved` URL (or a v1 `version` holding one) points.
pub(crate) fn source_of(resolved: Option<&str>) -> Source {
    let Some(r) = resolved.map(str::trim).filter(|r| !r.is_empty()) else {
        return Source::Registry { url: None };
    };
    if let Some(p) = r.strip_prefix("file:") {
        return Source::Path {
            path: p.to_string(),
        };
    }
    if is_git(r) {
        let (url, rev) = match r.rsplit_once('#') {
            Some((u, rev)) => (u, Some(rev.to_string())),
            None => (r, None),
        };
        return Source::Git {
            url: url.to_string(),
            rev,
        };
    }
    if r.starts_with("http://") || r.starts_with("https://") {
        if r.starts_with("https://registry.npmjs.org/")
            || r.starts_with("https://registry.yarnpkg.com/")
        {
            return Source::Registry { url: None };
        }
        if let Some(i) = r.find("/-/") {
            // <registry>/<name>/-/<name>-<version>.tgz
            let before = &r[..i];
            let rest = before.rsplit_once('/').map_or(before, |(rest, _name)| rest);
            let base = match rest.rsplit_once('/') {
                Some((b, scope)) if scope.starts_with('@') => b,
                _ => rest,
            };
            return Source::Registry {
                url: Some(base.to_string()),
            };
        }
        return Source::Url { url: r.to_string() };
    }
    // A relative path (workspace link target).
    Source::Path {
        path: r.to_string(),
    }
}

pub(crate) fn is_git(s: &str) -> bool {
    s.starts_with("git+")
        || s.starts_with("git:")
        || s.starts_with("git@")
        || s.starts_with("github:")
        || s.starts_with("gitlab:")
        || s.starts_with("bitbucket:")
        || s.starts_with("gist:")
        || s.ends_with(".git")
        || (s.contains(".git#"))
}

/// v2/v3: the `packages` map.
fn packages_map(b: &mut Builder, doc: &Node, packages: &Node) -> Result<(), ParseError> {
    let members = packages.members();
    let by_key: HashMap<&str, &json::Member> =
        members.iter().map(|m| (m.key.as_str(), m)).collect();
    // Link name by target directory, to name workspace members without a `name`.
    let mut link_name: HashMap<&str, &str> = HashMap::new();
    for m in members {
        if m.value.flag("link")
            && let Some(target) = m.value.str("resolved")
        {
            link_name.insert(target, name_from_key(&m.key));
        }
    }
    // Directories that `file:` dependency specs point at.
    let mut file_targets: Vec<String> = Vec::new();
    for m in members {
        for kind in DEP_KINDS {
            for d in m.value.get(kind).map(Node::members).unwrap_or_default() {
                if let Some(t) = d.value.as_str().and_then(|spec| file_target(&m.key, spec)) {
                    file_targets.push(t);
                }
            }
        }
    }
    let mut index: HashMap<&str, usize> = HashMap::new();
    let mut workspace_dirs: Vec<&str> = Vec::new();
    for m in members {
        let key = m.key.as_str();
        let node = &m.value;
        if !node.is_object() {
            return Err(ParseError::invalid(
                &b.path,
                node.line,
                node.col,
                format!("package entry `{key}` is not an object"),
            ));
        }
        if key.is_empty() {
            let name = node
                .str("name")
                .or_else(|| doc.str("name"))
                .unwrap_or_default();
            let version = node
                .str("version")
                .or_else(|| doc.str("version"))
                .unwrap_or_default();
            let mut root = component(
                NPM,
                name,
                version,
                purl(NPM, None, name, version, &[]),
                &b.path,
                m.line,
            );
            root.source = Source::Path {
                path: ".".to_string(),
            };
            root.licenses = licenses(node);
            b.root = Some(root);
            continue;
        }
        if node.flag("link") {
            continue;
        }
        let local = !in_node_modules(key);
        let name = node
            .str("name")
            .or_else(|| local.then(|| link_name.get(key).copied()).flatten())
            .unwrap_or_else(|| name_from_key(key));
        if local && !link_name.contains_key(key) && !file_targets.iter().any(|t| t == key) {
            // A directory no link points at: not part of the install.
            continue;
        }
        let version = node.str("version").unwrap_or_default();
        if version.is_empty() && !local && node.str("resolved").is_none_or(str::is_empty) {
            // An install path with neither version nor origin: nothing pinned.
            b.unresolved(name, "", m.line);
            continue;
        }
        let mut c = component(
            NPM,
            name,
            version,
            purl(NPM, None, name, version, &[]),
            &b.path,
            m.line,
        );
        c.scope = scope_of(
            node.flag("dev"),
            node.flag("optional"),
            node.flag("devOptional"),
        );
        c.hashes = node.str("integrity").map(sri_hashes).unwrap_or_default();
        c.licenses = licenses(node);
        c.source = if local {
            workspace_dirs.push(key);
            c.direct = true;
            Source::Path {
                path: key.to_string(),
            }
        } else {
            source_of(node.str("resolved"))
        };
        index.insert(key, b.push(c));
    }
    // Edges and direct dependencies.
    let follow = |key: &str| -> Option<usize> {
        let m = by_key.get(key)?;
        if m.value.flag("link") {
            let target = m.value.str("resolved")?;
            return index.get(target).copied();
        }
        index.get(key).copied()
    };
    let resolve = |from: &str, dep: &str| -> Option<usize> {
        let mut base = from;
        loop {
            let cand = if base.is_empty() {
                format!("node_modules/{dep}")
            } else {
                format!("{base}/node_modules/{dep}")
            };
            if by_key.contains_key(cand.as_str()) {
                return follow(&cand);
            }
            if base.is_empty() {
                return None;
            }
            base = match base.rfind("/node_modules/") {
                Some(i) => &base[..i],
                None => "",
            };
        }
    };
    let mut direct = Vec::new();
    let mut edges = Vec::new();
    for m in members {
        let key = m.key.as_str();
        let node = &m.value;
        if node.flag("link") {
            continue;
        }
        let from = if key.is_empty() {
            ROOT
        } else {
            match index.get(key) {
                Some(&i) => i,
                None => continue,
            }
        };
        let top = key.is_empty() || workspace_dirs.contains(&key);
        let mut kinds = vec!["dependencies", "optionalDependencies", "peerDependencies"];
        if top {
            kinds.push("devDependencies");
        }
        for kind in kinds {
            for d in node.get(kind).map(Node::members).unwrap_or_default() {
                let by_path = d
                    .value
                    .as_str()
                    .and_then(|spec| file_target(key, spec))
                    .and_then(|t| index.get(t.as_str()).copied());
                if let Some(to) = by_path.or_else(|| resolve(key, &d.key)) {
                    let scope = if kind == "devDependencies" {
                        Scope::Dev
                    } else {
                        Scope::Required
                    };
                    edges.push((from, to, scope));
                    if top {
                        direct.push(to);
                    }
                }
            }
        }
        if key.is_empty() {
            // Workspace members hang off the root.
            for dir in &workspace_dirs {
                if let Some(&to) = index.get(dir) {
                    edges.push((ROOT, to, Scope::Required));
                }
            }
        }
    }
    for (f, t, scope) in edges {
        b.edge_scoped(f, t, scope);
    }
    for i in direct {
        if let Some(c) = b.get_mut(i) {
            c.direct = true;
        }
    }
    b.edges_complete = true;
    Ok(())
}

const DEP_KINDS: [&str; 4] = [
    "dependencies",
    "optionalDependencies",
    "peerDependencies",
    "devDependencies",
];

/// The package-map key a `file:` spec of the entry at `from` points at.
fn file_target(from: &str, spec: &str) -> Option<String> {
    let rel = spec.strip_prefix("file:")?;
    let mut parts: Vec<&str> = if from.is_empty() {
        Vec::new()
    } else {
        from.split('/').collect()
    };
    push_segments(&mut parts, rel.split('/'))?;
    (!parts.is_empty()).then(|| parts.join("/"))
}

/// v1: the nested `dependencies` tree.
fn dependencies_tree(
    b: &mut Builder,
    doc: &Node,
    manifest: Option<&PackageJson>,
) -> Result<(), ParseError> {
    let name = doc.str("name").unwrap_or_default();
    let version = doc.str("version").unwrap_or_default();
    if !name.is_empty() {
        let mut root = component(
            NPM,
            name,
            version,
            purl(NPM, None, name, version, &[]),
            &b.path,
            1,
        );
        root.source = Source::Path {
            path: ".".to_string(),
        };
        b.root = Some(root);
    }
    // Flatten the tree: each node knows its parent scope and its children by name.
    struct V1 {
        idx: Option<usize>,
        parent: Option<usize>,
        children: HashMap<String, usize>,
        requires: Vec<String>,
    }
    let mut nodes: Vec<V1> = vec![V1 {
        idx: None,
        parent: None,
        children: HashMap::new(),
        requires: Vec::new(),
    }];
    let mut stack: Vec<(usize, &Node)> = Vec::new();
    if let Some(deps) = doc.get("dependencies") {
        stack.push((0, deps));
    }
    while let Some((parent, deps)) = stack.pop() {
        for m in deps.members() {
            let node = &m.value;
            if !node.is_object() {
                return Err(ParseError::invalid(
                    &b.path,
                    node.line,
                    node.col,
                    format!("dependency `{}` is not an object", m.key),
                ));
            }
            let raw = node.str("version").unwrap_or_default();
            let (name, version, source) = v1_version(&m.key, raw, node.str("resolved"));
            let mut c = component(
                NPM,
                &name,
                &version,
                purl(NPM, None, &name, &version, &[]),
                &b.path,
                m.line,
            );
            c.scope = scope_of(node.flag("dev"), node.flag("optional"), false);
            c.hashes = node.str("integrity").map(sri_hashes).unwrap_or_default();
            c.source = source;
            let idx = b.push(c);
            let me = nodes.len();
            nodes.push(V1 {
                idx: Some(idx),
                parent: Some(parent),
                children: HashMap::new(),
                requires: node
                    .get("requires")
                    .map(|r| r.members().iter().map(|m| m.key.clone()).collect())
                    .unwrap_or_default(),
            });
            nodes[parent].children.insert(m.key.clone(), me);
            if let Some(nested) = node.get("dependencies").filter(|n| n.is_object()) {
                stack.push((me, nested));
            }
        }
    }
    for me in 1..nodes.len() {
        let Some(from) = nodes[me].idx else { continue };
        for dep in &nodes[me].requires {
            let mut scope = Some(me);
            while let Some(s) = scope {
                if let Some(&target) = nodes[s].children.get(dep) {
                    if let Some(to) = nodes[target].idx {
                        b.edge(from, to);
                    }
                    break;
                }
                scope = nodes[s].parent;
            }
        }
    }
    // v1 records no root dependency list: the package.json beside it does.
    match manifest {
        Some(m) => {
            for (name, _, _, _) in &m.dependencies {
                if let Some(&t) = nodes[0].children.get(name)
                    && let Some(to) = nodes[t].idx
                {
                    b.edge(ROOT, to);
                    if let Some(c) = b.get_mut(to) {
                        c.direct = true;
                    }
                }
            }
            b.edges_complete = true;
        }
        None => b.edges_complete = false,
    }
    Ok(())
}

/// A v1 `version` field: a version, an alias `npm:name@version`, a git URL or a `file:`
/// path.
fn v1_version(key: &str, raw: &str, resolved: Option<&str>) -> (String, String, Source) {
    if let Some(alias) = raw.strip_prefix("npm:")
        && let Some(at) = alias.rfind('@').filter(|&i| i > 0)
    {
        return (
            alias[..at].to_string(),
            alias[at + 1..].to_string(),
            source_of(resolved),
        );
    }
    if raw.starts_with("file:") || is_git(raw) || raw.contains("://") {
        return (key.to_string(), String::new(), source_of(Some(raw)));
    }
    (key.to_string(), raw.to_string(), source_of(resolved))
}

/// What a `package.json` declares.
#[derive(Debug, Clone, Default)]
pub struct PackageJson {
    /// The file's relative path, as given to [`read_package_json`].
    pub path: String,
    pub name: String,
    pub version: String,
    pub line: u64,
    /// (name, requirement, scope, line), in file order.
    pub dependencies: Vec<(String, String, Scope, u64)>,
    /// Workspace globs (`workspaces` as an array or `{ "packages": [...] }`).
    pub workspaces: Vec<String>,
}

/// Read a `package.json`.
pub fn read_package_json(rel_path: &str, text: &str) -> Result<PackageJson, ParseError> {
    let doc = json::parse(rel_path, text)?;
    if !doc.is_object() {
        return Err(ParseError::invalid(
            rel_path,
            doc.line,
            doc.col,
            "package.json is a JSON object",
        ));
    }
    let mut out = PackageJson {
        path: rel_path.to_string(),
        name: doc.str("name").unwrap_or_default().to_string(),
        version: doc.str("version").unwrap_or_default().to_string(),
        line: doc.member("name").map_or(1, |m| m.line),
        ..PackageJson::default()
    };
    for (kind, scope) in [
        ("dependencies", Scope::Required),
        ("optionalDependencies", Scope::Optional),
        ("peerDependencies", Scope::Required),
        ("devDependencies", Scope::Dev),
    ] {
        for d in doc.get(kind).map(Node::members).unwrap_or_default() {
            let req = d.value.as_str().unwrap_or_default().to_string();
            out.dependencies.push((d.key.clone(), req, scope, d.line));
        }
    }
    if let Some(ws) = doc.get("workspaces") {
        let list = if ws.is_object() {
            ws.get("packages").map(Node::items).unwrap_or_default()
        } else {
            ws.items()
        };
        out.workspaces = list
            .iter()
            .filter_map(|n| n.as_str().map(str::to_string))
            .collect();
    }
    Ok(out)
}

/// The manifest of the package in directory `dir` (relative to the lockfile `lock_path`'s
/// directory; `.` for the lockfile's own).
pub fn manifest_in<'m>(
    manifests: &'m [PackageJson],
    lock_path: &str,
    dir: &str,
) -> Option<&'m PackageJson> {
    let base = lock_path.rsplit_once('/').map_or("", |(d, _)| d);
    let want = match (base, dir) {
        ("", ".") => String::new(),
        ("", d) => d.to_string(),
        (b, ".") => b.to_string(),
        (b, d) => format!("{b}/{d}"),
    };
    manifests.iter().find(|m| {
        let d = m.path.rsplit_once('/').map_or("", |(d, _)| d);
        d == want
    })
}

/// `package.json` alone: the root package; every dependency is unresolved (a range, not a
/// version).
pub fn package_json(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let p = read_package_json(rel_path, text)?;
    let mut b = Builder::new(rel_path, NPM, "package.json");
    if !p.name.is_empty() {
        let mut root: Component = component(
            NPM,
            &p.name,
            &p.version,
            purl(NPM, None, &p.name, &p.version, &[]),
            rel_path,
            p.line,
        );
        root.source = Source::Path {
            path: ".".to_string(),
        };
        b.root = Some(root);
    }
    for (name, req, _, line) in &p.dependencies {
        b.unresolved(name, req, *line);
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn registry_sources() {
        assert_eq!(
            source_of(Some("https://registry.npmjs.org/a/-/a-1.0.0.tgz")),
            Source::Registry { url: None }
        );
        assert_eq!(
            source_of(Some("https://npm.example.com/repo/@s/a/-/a-1.0.0.tgz")),
            Source::Registry {
                url: Some("https://npm.example.com/repo".to_string())
            }
        );
        assert!(matches!(
            source_of(Some("git+ssh://git@github.com/a/b.git#abc")),
            Source::Git { rev: Some(_), .. }
        ));
    }
}
