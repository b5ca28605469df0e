//! pnpm: `pnpm-lock.yaml`, lockfileVersion 5.x (`/name/1.0.0_peer`), 6.x
//! (`/name@1.0.0(peer)`) and 9.0 (`name@1.0.0`, with `snapshots`), read with serde-saphyr.
//!
//! - `packages` entries are the components (peer-dependency variants of one version merge);
//!   explicit `name`/`version` fields (git, tarball and `file:` packages) win over the key;
//!   a key that names no version is unresolved;
//! - `importers` (or, for single projects in v5/v6, the top-level `dependencies`,
//!   `devDependencies`, `optionalDependencies`) are the roots: their dependencies are
//!   direct, and scopes spread from them along the edges (`dependencies` and
//!   `optionalDependencies` of each package or v9 snapshot);
//! - importers other than `.` are workspace packages (components with a path source; name
//!   from the links to them or from their package.json when the scan passes it);
//! - a file with several YAML documents (pnpm 11 puts its own tooling lock first): the
//!   last one is the project's.

use std::collections::HashMap;

use serde::Deserialize;

use super::builder::{Builder, ROOT, component};
use super::error::ParseError;
use super::hashes::sri_hashes;
use super::npm::{PackageJson, manifest_in, source_of};
use super::relative::push_segments;
use super::yaml::{YamlEntries, yaml_options};
use super::yarn::{Scalar, split_descriptor};
use crate::model::{Scope, Source, Subject};
use crate::purl::purl;
use annex_types::ecosystem::NPM;

#[derive(Deserialize, Default)]
#[serde(default)]
struct Lock {
    #[serde(rename = "lockfileVersion")]
    lockfile_version: Option<serde_saphyr::Spanned<Scalar>>,
    importers: YamlEntries<Importer>,
    dependencies: YamlEntries<DepRef>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: YamlEntries<DepRef>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: YamlEntries<DepRef>,
    packages: YamlEntries<Option<Package>>,
    snapshots: YamlEntries<Option<Snapshot>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Importer {
    dependencies: YamlEntries<DepRef>,
    #[serde(rename = "devDependencies")]
    dev_dependencies: YamlEntries<DepRef>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: YamlEntries<DepRef>,
}

/// An importer's dependency: `1.0.0` (v5) or `{ specifier, version }` (v6, v9).
#[derive(Default)]
struct DepRef(String);

impl<'de> Deserialize<'de> for DepRef {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Raw {
            Plain(Scalar),
            Object {
                #[serde(default)]
                version: Option<Scalar>,
            },
        }
        Ok(match Raw::deserialize(d)? {
            Raw::Plain(s) => DepRef(s.0),
            Raw::Object { version } => DepRef(version.map(|v| v.0).unwrap_or_default()),
        })
    }
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Package {
    resolution: Option<Resolution>,
    name: Option<Scalar>,
    version: Option<Scalar>,
    dependencies: YamlEntries<Scalar>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: YamlEntries<Scalar>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Resolution {
    integrity: Option<String>,
    tarball: Option<String>,
    commit: Option<String>,
    repo: Option<String>,
    directory: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct Snapshot {
    dependencies: YamlEntries<Scalar>,
    #[serde(rename = "optionalDependencies")]
    optional_dependencies: YamlEntries<Scalar>,
}

/// `pnpm-lock.yaml` alone.
pub fn lockfile(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    lockfile_with_manifests(rel_path, text, &[])
}

/// Drop a peer suffix: `1.0.0(react@18)` (v6, v9) or `1.0.0_react@18` (v5).
fn strip_peers(v: &str) -> &str {
    let v = v.split('(').next().unwrap_or(v);
    v.split('_').next().unwrap_or(v)
}

fn looks_like_version(v: &str) -> bool {
    v.starts_with(|c: char| c.is_ascii_digit())
}

/// (name, version) from a `packages` key of the given major lockfile version.
fn parse_key(key: &str, major: u32) -> Option<(String, String)> {
    if major >= 9 {
        let (name, version) = split_descriptor(key);
        let version = version.split('(').next().unwrap_or(version);
        return (!name.is_empty() && looks_like_version(version))
            .then(|| (name.to_string(), version.to_string()));
    }
    if major >= 6 {
        let k = key.strip_prefix('/')?;
        let (name, version) = split_descriptor(k);
        let version = version.split('(').next().unwrap_or(version);
        return (!name.is_empty() && looks_like_version(version))
            .then(|| (name.to_string(), version.to_string()));
    }
    // v5: `/name/1.0.0`, `/@scope/name/1.0.0_peer`, `registry.host/name/1.0.0`.
    let rest = match key.strip_prefix('/') {
        Some(r) => r,
        None => key.split_once('/')?.1,
    };
    let segs: Vec<&str> = rest.split('/').collect();
    let (name, version_parts) = if segs.first()?.starts_with('@') {
        (
            format!("{}/{}", segs.first()?, segs.get(1)?),
            segs.get(2..)?,
        )
    } else {
        (segs.first()?.to_string(), segs.get(1..)?)
    };
    let version = version_parts.join("/");
    let version = version.split('_').next().unwrap_or(&version).to_string();
    (looks_like_version(&version) && !name.is_empty()).then_some((name, version))
}

/// A v9 snapshot key without its peer suffix: the `packages` key.
fn base_key(key: &str) -> &str {
    // `(` never occurs in a name; a version may not contain one either.
    key.split_once('(').map_or(key, |(b, _)| b)
}

/// `link:../a` from importer `packages/b` → `packages/a`.
fn link_target(from: &str, link: &str) -> Option<String> {
    let rel = link.strip_prefix("link:")?;
    let mut parts: Vec<&str> = if from == "." || from.is_empty() {
        Vec::new()
    } else {
        from.split('/').collect()
    };
    push_segments(&mut parts, rel.split('/'))?;
    Some(if parts.is_empty() {
        ".".to_string()
    } else {
        parts.join("/")
    })
}

/// `pnpm-lock.yaml` with the `package.json` of the project (first) and its workspaces, for
/// the root and the workspace packages' names and versions.
pub fn lockfile_with_manifests(
    rel_path: &str,
    text: &str,
    manifests: &[PackageJson],
) -> Result<Subject, ParseError> {
    let mut docs: Vec<Option<Lock>> =
        serde_saphyr::from_multiple_with_options(text, yaml_options())
            .map_err(|e| ParseError::from_yaml(rel_path, &e))?;
    let lock = docs.pop().flatten().unwrap_or_default();
    let Some(v) = &lock.lockfile_version else {
        if lock.packages.0.is_empty() && lock.importers.0.is_empty() {
            // An empty file: nothing locked.
            return Ok(Builder::new(rel_path, NPM, "pnpm-lock.yaml").finish());
        }
        return Err(ParseError::unsupported(
            rel_path,
            0,
            "pnpm-lock.yaml",
            "(missing)",
        ));
    };
    let version = v.value.0.clone();
    let line = v.referenced.line();
    let major = match version
        .split('.')
        .next()
        .and_then(|m| m.parse::<u32>().ok())
    {
        Some(m @ (5 | 6 | 9)) => m,
        _ => {
            return Err(ParseError::unsupported(
                rel_path,
                line,
                "pnpm-lock.yaml",
                version,
            ));
        }
    };
    let mut b = Builder::new(rel_path, NPM, format!("pnpm-lock.yaml v{version}"));
    if let Some(root) = manifest_in(manifests, rel_path, ".").filter(|m| !m.name.is_empty()) {
        let mut r = component(
            NPM,
            &root.name,
            &root.version,
            purl(NPM, None, &root.name, &root.version, &[]),
            rel_path,
            1,
        );
        r.source = Source::Path {
            path: ".".to_string(),
        };
        b.root = Some(r);
    }
    // Importers: `(path, importer)`; v5/v6 single projects keep them at the top level.
    let single = Importer {
        dependencies: lock.dependencies,
        dev_dependencies: lock.dev_dependencies,
        optional_dependencies: lock.optional_dependencies,
    };
    let mut importers: Vec<(String, u64, &Importer)> = lock
        .importers
        .0
        .iter()
        .map(|(k, i)| (k.value.clone(), k.referenced.line(), i))
        .collect();
    if importers.is_empty() {
        importers.push((".".to_string(), 1, &single));
    }
    // Names of workspace packages, from the links to them.
    let mut link_names: HashMap<String, String> = HashMap::new();
    for (path, _, imp) in &importers {
        for (k, d) in imp
            .dependencies
            .0
            .iter()
            .chain(&imp.dev_dependencies.0)
            .chain(&imp.optional_dependencies.0)
        {
            if let Some(t) = link_target(path, &d.0) {
                link_names.entry(t).or_insert_with(|| k.value.clone());
            }
        }
    }
    // Workspace packages.
    let mut by_importer: HashMap<String, usize> = HashMap::new();
    for (path, line, _) in &importers {
        if path == "." {
            continue;
        }
        let manifest = manifest_in(manifests, rel_path, path);
        let name = manifest
            .map(|m| m.name.clone())
            .filter(|n| !n.is_empty())
            .or_else(|| link_names.get(path).cloned())
            .unwrap_or_else(|| path.rsplit('/').next().unwrap_or(path).to_string());
        let version = manifest.map(|m| m.version.clone()).unwrap_or_default();
        let mut c = component(
            NPM,
            &name,
            &version,
            purl(NPM, None, &name, &version, &[]),
            rel_path,
            *line,
        );
        c.source = Source::Path { path: path.clone() };
        c.direct = true;
        by_importer.insert(path.clone(), b.push(c));
    }
    // Packages.
    let mut by_key: HashMap<&str, usize> = HashMap::new();
    let mut by_name_version: HashMap<(String, String), usize> = HashMap::new();
    let empty = Package::default();
    // The package variants: one per `packages` key in v5/v6 (peer variants are separate
    // keys there); in v9 one per `snapshots` key (variants of one `packages` entry), so that
    // scopes spread per variant before the variants merge into one component.
    let mut variants: Vec<(&serde_saphyr::Spanned<String>, &Package)> = Vec::new();
    if major >= 9 {
        let packages: HashMap<&str, &Package> = lock
            .packages
            .0
            .iter()
            .map(|(k, p)| (k.value.as_str(), p.as_ref().unwrap_or(&empty)))
            .collect();
        let mut seen: std::collections::HashSet<&str> = std::collections::HashSet::new();
        for (k, _) in &lock.snapshots.0 {
            let base = base_key(&k.value);
            match packages.get(base) {
                Some(p) => {
                    seen.insert(base);
                    variants.push((k, p));
                }
                None => variants.push((k, &empty)),
            }
        }
        for (k, p) in &lock.packages.0 {
            if !seen.contains(k.value.as_str()) {
                variants.push((k, p.as_ref().unwrap_or(&empty)));
            }
        }
    } else {
        for (k, p) in &lock.packages.0 {
            variants.push((k, p.as_ref().unwrap_or(&empty)));
        }
    }
    let package_line: HashMap<&str, u64> = lock
        .packages
        .0
        .iter()
        .map(|(k, _)| (k.value.as_str(), k.referenced.line()))
        .collect();
    for (k, p) in variants {
        let key = k.value.as_str();
        let parsed = parse_key(key, major);
        // `name@file:…`, `name@https://…` (v9) and `/name@…` (v6): the name is known, a
        // version only if the entry says it.
        let exotic_name = match major {
            9.. => Some(split_descriptor(key).0),
            6..=8 => key.strip_prefix('/').map(|k| split_descriptor(k).0),
            _ => None,
        }
        .filter(|n| !n.is_empty() && !n.contains(':'));
        let name = p
            .name
            .as_ref()
            .map(|n| n.0.clone())
            .or_else(|| parsed.as_ref().map(|(n, _)| n.clone()))
            .or_else(|| exotic_name.map(str::to_string));
        let version = p
            .version
            .as_ref()
            .map(|v| v.0.clone())
            .or_else(|| parsed.as_ref().map(|(_, v)| v.clone()))
            .or_else(|| exotic_name.map(|_| String::new()));
        let (Some(name), Some(version)) = (name.filter(|n| !n.is_empty()), version) else {
            if !key.contains('/') && !key.contains('@') && !key.starts_with("file:") {
                return Err(ParseError::syntax(
                    rel_path,
                    k.referenced.line(),
                    k.referenced.column(),
                    format!("a package path like `/name/1.0.0` or `name@1.0.0`, found `{key}`"),
                ));
            }
            b.unresolved(key, key, k.referenced.line());
            continue;
        };
        let line = package_line
            .get(base_key(key))
            .copied()
            .unwrap_or_else(|| k.referenced.line());
        let mut c = component(
            NPM,
            &name,
            &version,
            purl(NPM, None, &name, &version, &[]),
            rel_path,
            line,
        );
        if let Some(r) = &p.resolution {
            c.hashes = r.integrity.as_deref().map(sri_hashes).unwrap_or_default();
            c.source = if let Some(dir) = &r.directory {
                Source::Path { path: dir.clone() }
            } else if let (Some(repo), Some(commit)) = (&r.repo, &r.commit) {
                Source::Git {
                    url: repo.clone(),
                    rev: Some(commit.clone()),
                }
            } else if let Some(t) = &r.tarball {
                source_of(Some(t))
            } else {
                Source::Registry { url: None }
            };
        }
        let i = b.push(c);
        by_key.insert(key, i);
        by_name_version.insert((name, version), i);
    }
    let resolve = |from_importer: Option<&str>, name: &str, r: &str| -> Option<usize> {
        if r.starts_with("link:") {
            let t = link_target(from_importer.unwrap_or("."), r)?;
            return if t == "." {
                None
            } else {
                by_importer.get(&t).copied()
            };
        }
        // The key the reference names, per version.
        let candidates: Vec<String> = if major >= 9 {
            // An alias names its package: `real@1.0.0(peer@2)`; a plain version's peer
            // suffix may hold `@` too.
            let head = base_key(r);
            if head.get(1..).is_some_and(|h| h.contains('@')) {
                vec![r.to_string()]
            } else {
                vec![format!("{name}@{r}")]
            }
        } else if r.starts_with('/') {
            vec![r.to_string()]
        } else if major >= 6 {
            vec![format!("/{name}@{r}"), r.to_string()]
        } else {
            vec![format!("/{name}/{r}"), r.to_string()]
        };
        for c in &candidates {
            if let Some(&i) = by_key.get(c.as_str()) {
                return Some(i);
            }
            if let Some((n, v)) = parse_key(c, major)
                && let Some(&i) = by_name_version.get(&(n, v))
            {
                return Some(i);
            }
        }
        by_name_version
            .get(&(name.to_string(), strip_peers(r).to_string()))
            .copied()
    };
    // Edges between packages (v9: from the snapshots).
    let mut edges: Vec<(usize, usize, Scope)> = Vec::new();
    let mut dangling = false;
    let mut add_edges = |from: usize, deps: &[(serde_saphyr::Spanned<String>, Scalar)]| {
        for (k, r) in deps {
            match resolve(None, &k.value, &r.0) {
                Some(to) => edges.push((from, to, Scope::Required)),
                None => dangling = true,
            }
        }
    };
    if major >= 9 {
        for (k, s) in &lock.snapshots.0 {
            let Some(s) = s else { continue };
            let key = k.value.as_str();
            let from = by_key.get(key).copied().or_else(|| {
                let (n, v) = parse_key(key, major)?;
                by_name_version.get(&(n, v)).copied()
            });
            if let Some(from) = from {
                add_edges(from, &s.dependencies.0);
                add_edges(from, &s.optional_dependencies.0);
            }
        }
    } else {
        for (k, p) in &lock.packages.0 {
            let (Some(p), Some(&from)) = (p, by_key.get(k.value.as_str())) else {
                continue;
            };
            add_edges(from, &p.dependencies.0);
            add_edges(from, &p.optional_dependencies.0);
        }
    }
    // Roots: the importers' dependencies.
    let mut roots: Vec<(usize, Scope)> = Vec::new();
    for (path, _, imp) in &importers {
        let from = if path == "." {
            ROOT
        } else {
            match by_importer.get(path) {
                Some(&i) => {
                    roots.push((i, Scope::Required));
                    edges.push((ROOT, i, Scope::Required));
                    i
                }
                None => continue,
            }
        };
        for (deps, scope) in [
            (&imp.dependencies, Scope::Required),
            (&imp.optional_dependencies, Scope::Optional),
            (&imp.dev_dependencies, Scope::Dev),
        ] {
            for (k, d) in &deps.0 {
                match resolve(Some(path), &k.value, &d.0) {
                    Some(to) => {
                        roots.push((to, scope));
                        // Dev edges are kept apart: the production graph drops them.
                        let kind = if scope == Scope::Dev {
                            Scope::Dev
                        } else {
                            Scope::Required
                        };
                        edges.push((from, to, kind));
                    }
                    None => dangling = true,
                }
            }
        }
    }
    for (f, t, kind) in edges {
        b.edge_scoped(f, t, kind);
    }
    b.propagate_scopes(&roots);
    b.edges_complete = !dangling;
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys() {
        let kv = |k, m| parse_key(k, m);
        assert_eq!(kv("/a/1.0.0", 5), Some(("a".into(), "1.0.0".into())));
        assert_eq!(
            kv("/@s/a/1.0.0_@types+b@1.0.0", 5),
            Some(("@s/a".into(), "1.0.0".into()))
        );
        assert_eq!(
            kv("registry.npmjs.org/a/1.1.0", 5),
            Some(("a".into(), "1.1.0".into()))
        );
        assert_eq!(kv("github.com/kevva/is-positive", 5), None);
        assert_eq!(
            kv("/@s/a@1.0.0(b@2.0.0)", 6),
            Some(("@s/a".into(), "1.0.0".into()))
        );
        assert_eq!(
            kv("a@1.0.0(b@2.0.0)", 9),
            Some(("a".into(), "1.0.0".into()))
        );
        assert_eq!(
            link_target("packages/b", "link:../a"),
            Some("packages/a".into())
        );
    }
}
