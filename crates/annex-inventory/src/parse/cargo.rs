//! Rust: `Cargo.lock` (v1, v2, v3, v4) and `Cargo.toml`.
//!
//! Cargo.lock is read with `toml` (strict TOML, spans for line numbers): each `[[package]]`
//! is a component at the line of its header, with its `source` (registry, sparse registry,
//! git with the locked commit, or none = a path package) and `checksum` (sha256; v1 keeps
//! them in `[metadata]`). `dependencies` entries (`name`, `name version`,
//! `name version (source)`) become edges.
//!
//! Path packages (no `source`) are the workspace members and path dependencies: components
//! with a path source, except the root. Direct dependencies are those of the path
//! packages. The root is the package of the `Cargo.toml` beside the lockfile when the scan
//! passes it ([`lockfile_with_manifests`]), else the only path package no other path
//! package depends on. With the members' manifests, scopes follow the dependency kinds:
//! reachable from a member's normal dependencies → required, else from build
//! dependencies → build, else from dev-dependencies → dev. Without them every package is
//! required (Cargo.lock does not record kinds).
//!
//! A Cargo.toml alone: the package is the root, path dependencies are components (version
//! unknown: empty), every other dependency is unresolved (a requirement, not a version).

use std::collections::{BTreeMap, HashMap};

use serde::Deserialize;
use toml::Spanned;

use super::builder::{Builder, ROOT, component, stronger};
use super::error::ParseError;
use crate::model::{Hash, Scope, Source, Subject};
use crate::purl::purl;
use annex_types::digest::is_hex;
use annex_types::ecosystem::CRATES_IO;
use annex_types::location::LineIndex;

/// Deepest `[`/`{` nesting accepted in TOML (the parser recurses).
const MAX_TOML_DEPTH: usize = 64;

/// Refuse TOML nested deeper than [`MAX_TOML_DEPTH`] before handing it to the parser.
pub(crate) fn toml_depth_guard(path: &str, text: &str) -> Result<(), ParseError> {
    let b = text.as_bytes();
    let mut depth = 0usize;
    let mut i = 0;
    let mut line_start = true;
    while i < b.len() {
        match b[i] {
            b'#' => {
                while i < b.len() && b[i] != b'\n' {
                    i += 1;
                }
                continue;
            }
            b'"' | b'\'' => {
                let q = b[i];
                let triple = b.get(i..i + 3) == Some(&[q, q, q][..]);
                i += if triple { 3 } else { 1 };
                while i < b.len() {
                    if triple && b.get(i..i + 3) == Some(&[q, q, q][..]) {
                        i += 3;
                        break;
                    }
                    if !triple && (b[i] == q || b[i] == b'\n') {
                        i += 1;
                        break;
                    }
                    if q == b'"' && b[i] == b'\\' {
                        i += 1;
                    }
                    i += 1;
                }
                line_start = false;
                continue;
            }
            b'[' | b'{' if !line_start || depth > 0 => {
                depth += 1;
                if depth > MAX_TOML_DEPTH {
                    let (line, col) = LineIndex::new(text).line_col(i);
                    return Err(ParseError::TooDeep {
                        path: path.to_string(),
                        line,
                        col,
                        limit: MAX_TOML_DEPTH,
                    });
                }
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {
                line_start = true;
                i += 1;
                continue;
            }
            b' ' | b'\t' | b'\r' => {
                i += 1;
                continue;
            }
            _ => {}
        }
        // A table header `[a]` / `[[a]]` at the start of a line is not nesting.
        if line_start && b[i] == b'[' && depth == 0 {
            while i < b.len() && b[i] != b'\n' {
                i += 1;
            }
            continue;
        }
        line_start = false;
        i += 1;
    }
    Ok(())
}

#[derive(Deserialize)]
struct Lock {
    version: Option<Spanned<toml::Value>>,
    #[serde(default)]
    package: Vec<Spanned<LockPackage>>,
    #[serde(default)]
    metadata: BTreeMap<String, toml::Value>,
}

#[derive(Deserialize)]
struct LockPackage {
    name: String,
    version: String,
    source: Option<String>,
    checksum: Option<String>,
    #[serde(default)]
    dependencies: Vec<String>,
}

/// Cargo.lock alone.
pub fn lockfile(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    lockfile_with_manifests(rel_path, text, &[])
}

fn source_of(source: Option<&str>, path_hint: &str) -> Source {
    let Some(s) = source else {
        return Source::Path {
            path: path_hint.to_string(),
        };
    };
    if let Some(url) = s.strip_prefix("git+") {
        let (url, rev) = match url.split_once('#') {
            Some((u, r)) => (u, Some(r.to_string())),
            None => (url, None),
        };
        return Source::Git {
            url: url.to_string(),
            rev,
        };
    }
    let url = s
        .strip_prefix("registry+")
        .or_else(|| s.strip_prefix("sparse+"))
        .unwrap_or(s);
    let crates_io = matches!(
        url,
        "https://github.com/rust-lang/crates.io-index" | "https://index.crates.io/"
    );
    if crates_io {
        Source::Registry { url: None }
    } else if s.starts_with("registry+") || s.starts_with("sparse+") {
        Source::Registry {
            url: Some(url.to_string()),
        }
    } else {
        Source::Url { url: s.to_string() }
    }
}

/// Cargo.lock with the manifests of the workspace (`(path, manifest)`, the root
/// Cargo.toml first when there is one) for the root, direct dependencies and scopes.
pub fn lockfile_with_manifests(
    rel_path: &str,
    text: &str,
    manifests: &[(String, CargoManifest)],
) -> Result<Subject, ParseError> {
    toml_depth_guard(rel_path, text)?;
    let lock: Lock = toml::from_str(text).map_err(|e| ParseError::from_toml(rel_path, text, &e))?;
    let index = LineIndex::new(text);
    let format_version = match &lock.version {
        Some(v) => match v.get_ref().as_integer() {
            Some(n @ 3..=4) => n,
            _ => {
                let shown = v.get_ref().to_string();
                return Err(ParseError::unsupported(
                    rel_path,
                    index.line(v.span().start),
                    "Cargo.lock",
                    shown,
                ));
            }
        },
        None => {
            if lock.metadata.keys().any(|k| k.starts_with("checksum ")) {
                1
            } else {
                2
            }
        }
    };
    let mut b = Builder::new(rel_path, CRATES_IO, format!("Cargo.lock v{format_version}"));
    let pkgs: Vec<(&LockPackage, u64)> = lock
        .package
        .iter()
        .map(|p| (p.get_ref(), index.line(p.span().start)))
        .collect();
    // v1 checksums: "checksum <name> <version> (<source>)" = "<sha256>"
    let v1_sums: HashMap<&str, &str> = lock
        .metadata
        .iter()
        .filter_map(|(k, v)| Some((k.strip_prefix("checksum ")?, v.as_str()?)))
        .collect();
    // Which path package is the root.
    let root_name = manifests
        .first()
        .and_then(|(_, m)| m.package.as_ref())
        .map(|p| p.name.clone());
    let path_pkgs: Vec<usize> = (0..pkgs.len())
        .filter(|&i| pkgs[i].0.source.is_none())
        .collect();
    let mut by_name: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, (p, _)) in pkgs.iter().enumerate() {
        by_name.entry(p.name.as_str()).or_default().push(i);
    }
    let resolve = |dep: &str| -> Option<usize> {
        let mut parts = dep.splitn(3, ' ');
        let name = parts.next()?;
        let version = parts.next();
        let source = parts
            .next()
            .map(|s| s.trim_start_matches('(').trim_end_matches(')'));
        by_name.get(name)?.iter().copied().find(|&i| {
            let p = pkgs[i].0;
            version.is_none_or(|v| p.version == v)
                && source.is_none_or(|s| p.source.as_deref() == Some(s))
        })
    };
    let root_idx: Option<usize> = match &root_name {
        Some(n) => path_pkgs.iter().copied().find(|&i| &pkgs[i].0.name == n),
        None => {
            let depended: std::collections::HashSet<usize> = path_pkgs
                .iter()
                .flat_map(|&i| pkgs[i].0.dependencies.iter().filter_map(|d| resolve(d)))
                .collect();
            let tops: Vec<usize> = path_pkgs
                .iter()
                .copied()
                .filter(|i| !depended.contains(i))
                .collect();
            (tops.len() == 1).then(|| tops[0])
        }
    };
    let mut idx: Vec<usize> = Vec::with_capacity(pkgs.len());
    for (i, (p, line)) in pkgs.iter().enumerate() {
        let mut c = component(
            CRATES_IO,
            &p.name,
            &p.version,
            cargo_purl(&p.name, &p.version, p.source.as_deref()),
            rel_path,
            *line,
        );
        c.source = source_of(
            p.source.as_deref(),
            &member_dir(rel_path, manifests, &p.name),
        );
        let sum = p.checksum.as_deref().or_else(|| {
            let key = format!("{} {} ({})", p.name, p.version, p.source.as_deref()?);
            v1_sums.get(key.as_str()).copied()
        });
        if let Some(s) = sum.filter(|s| is_hex(s, 64)) {
            c.hashes.push(Hash {
                alg: "sha256".to_string(),
                value: s.to_ascii_lowercase(),
            });
        }
        if Some(i) == root_idx {
            c.direct = false;
            b.root = Some(c);
            idx.push(ROOT);
        } else {
            c.direct = p.source.is_none();
            idx.push(b.push(c));
        }
    }
    // Edges; direct = depended on by a path package.
    let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); pkgs.len()];
    let mut complete = true;
    for (i, (p, _)) in pkgs.iter().enumerate() {
        for d in &p.dependencies {
            let Some(t) = resolve(d) else {
                // A dependency the lockfile does not list (a hand-trimmed file): the graph
                // is incomplete, the packages are still what they are.
                complete = false;
                continue;
            };
            adjacency[i].push(t);
            let kind = if p.source.is_none() {
                declared_kind(manifests, &p.name, &pkgs[t].0.name)
            } else {
                Scope::Required
            };
            b.edge_scoped(idx[i], idx[t], kind);
            if p.source.is_none()
                && let Some(c) = b.get_mut(idx[t])
            {
                c.direct = true;
            }
        }
    }
    if !manifests.is_empty() {
        apply_kinds(&mut b, &pkgs, &idx, &adjacency, manifests);
    }
    b.edges_complete = complete;
    Ok(b.finish())
}

/// The directory of the path package `name`, relative to the lockfile's: from the
/// member's manifest when the scan passed it, else the crate name (Cargo.lock records no
/// paths).
fn member_dir(lock_path: &str, manifests: &[(String, CargoManifest)], name: &str) -> String {
    let base = lock_path.rsplit_once('/').map_or("", |(d, _)| d);
    manifests
        .iter()
        .find(|(_, m)| m.package.as_ref().is_some_and(|p| p.name == name))
        .map(|(path, _)| {
            let dir = path.rsplit_once('/').map_or("", |(d, _)| d);
            let rel = if base.is_empty() {
                dir
            } else {
                dir.strip_prefix(base)
                    .map_or(dir, |r| r.trim_start_matches('/'))
            };
            if rel.is_empty() { "." } else { rel }.to_string()
        })
        .unwrap_or_else(|| name.to_string())
}

/// The registry purl; the builder gives git packages their `vcs_url` and local ones none.
fn cargo_purl(name: &str, version: &str, _source: Option<&str>) -> String {
    purl(CRATES_IO, None, name, version, &[])
}

/// The kind of the edge from workspace member `member` to `dep`: `Dev` when its manifest
/// declares `dep` only as a dev-dependency, else `Required` (also without the manifest:
/// Cargo.lock records no kinds).
fn declared_kind(manifests: &[(String, CargoManifest)], member: &str, dep: &str) -> Scope {
    let Some((_, mf)) = manifests
        .iter()
        .find(|(_, mf)| mf.package.as_ref().is_some_and(|p| p.name == member))
    else {
        return Scope::Required;
    };
    let mut kinds = mf
        .dependencies
        .iter()
        .filter(|d| d.package == dep)
        .map(|d| d.kind);
    match kinds.next() {
        Some(first) if kinds.chain([first]).all(|k| k == Scope::Dev) => Scope::Dev,
        _ => Scope::Required,
    }
}

/// Scopes from the dependency kinds the members' manifests declare.
fn apply_kinds(
    b: &mut Builder,
    pkgs: &[(&LockPackage, u64)],
    idx: &[usize],
    adjacency: &[Vec<usize>],
    manifests: &[(String, CargoManifest)],
) {
    let n = pkgs.len();
    // The best scope reaching each package: start from each member's dependencies with the
    // kind's scope, and spread along the edges.
    let mut best: Vec<Option<Scope>> = vec![None; n];
    let mut queue: Vec<(usize, Scope)> = Vec::new();
    let members: Vec<usize> = (0..n).filter(|&i| pkgs[i].0.source.is_none()).collect();
    for &m in &members {
        let manifest = manifests.iter().find(|(_, mf)| {
            mf.package
                .as_ref()
                .is_some_and(|p| p.name == pkgs[m].0.name)
        });
        best[m] = Some(Scope::Required);
        for &t in &adjacency[m] {
            let scope = match manifest {
                Some((_, mf)) => {
                    let kinds: Vec<Scope> = mf
                        .dependencies
                        .iter()
                        .filter(|d| d.package == pkgs[t].0.name)
                        .map(|d| d.kind)
                        .collect();
                    if kinds.is_empty() {
                        Scope::Required
                    } else {
                        kinds.into_iter().fold(Scope::Dev, stronger)
                    }
                }
                None => Scope::Required,
            };
            queue.push((t, scope));
        }
    }
    while let Some((i, s)) = queue.pop() {
        let better = match best[i] {
            None => true,
            Some(old) => stronger(old, s) != old,
        };
        if !better {
            continue;
        }
        best[i] = Some(s);
        if pkgs[i].0.source.is_none() && members.contains(&i) {
            continue;
        }
        for &t in &adjacency[i] {
            queue.push((t, s));
        }
    }
    for i in 0..n {
        if let (Some(s), Some(c)) = (best[i], b.get_mut(idx[i])) {
            c.scope = if pkgs[i].0.source.is_none() {
                Scope::Required
            } else {
                s
            };
        }
    }
}

/// One dependency declared in a Cargo.toml.
#[derive(Debug, Clone)]
pub struct CargoDep {
    /// The key (possibly a rename).
    pub name: String,
    /// The crate's real name (`package = "…"`, else the key).
    pub package: String,
    /// The version requirement (`""` when none).
    pub requirement: String,
    /// `Required` (normal), `Dev` or `Build`.
    pub kind: Scope,
    pub path: Option<String>,
    pub git: Option<String>,
    /// `rev = "…"` of a git dependency (a commit, or any ref).
    pub rev: Option<String>,
    pub optional: bool,
    pub line: u64,
}

#[derive(Debug, Clone)]
pub struct CargoPackage {
    pub name: String,
    pub version: String,
    pub line: u64,
}

/// What a Cargo.toml declares.
#[derive(Debug, Clone, Default)]
pub struct CargoManifest {
    pub package: Option<CargoPackage>,
    pub dependencies: Vec<CargoDep>,
    /// `[workspace] members` globs, when the file is a workspace root.
    pub workspace_members: Option<Vec<String>>,
}

type DeTable<'a> = toml::de::DeTable<'a>;
type DeValue<'a> = toml::de::DeValue<'a>;

fn get<'t, 'a>(t: &'t DeTable<'a>, key: &str) -> Option<&'t Spanned<DeValue<'a>>> {
    t.iter()
        .find(|(k, _)| k.get_ref().as_ref() == key)
        .map(|(_, v)| v)
}

/// Read a Cargo.toml.
pub fn read_manifest(rel_path: &str, text: &str) -> Result<CargoManifest, ParseError> {
    toml_depth_guard(rel_path, text)?;
    let doc = DeTable::parse(text).map_err(|e| ParseError::from_toml(rel_path, text, &e))?;
    let index = LineIndex::new(text);
    let line_of = |v: &Spanned<DeValue<'_>>| index.line(v.span().start);
    let wrong = |v: &Spanned<DeValue<'_>>, what: &str| {
        let (line, col) = index.line_col(v.span().start);
        ParseError::invalid(rel_path, line, col, what.to_string())
    };
    let root = doc.get_ref();
    let mut m = CargoManifest::default();
    // Workspace-level dependency definitions for `dep.workspace = true`.
    let mut ws_deps: HashMap<String, String> = HashMap::new();
    if let Some(ws) = get(root, "workspace") {
        let ws_t = ws
            .get_ref()
            .as_table()
            .ok_or_else(|| wrong(ws, "`workspace` must be a table"))?;
        if let Some(members) = get(ws_t, "members") {
            let arr = members
                .get_ref()
                .as_array()
                .ok_or_else(|| wrong(members, "`workspace.members` must be an array"))?;
            m.workspace_members = Some(
                arr.iter()
                    .filter_map(|v| v.get_ref().as_str().map(str::to_string))
                    .collect(),
            );
        } else {
            m.workspace_members = Some(Vec::new());
        }
        if let Some(deps) = get(ws_t, "dependencies").and_then(|d| d.get_ref().as_table()) {
            for (k, v) in deps {
                let req = match v.get_ref() {
                    DeValue::String(s) => s.to_string(),
                    DeValue::Table(t) => get(t, "version")
                        .and_then(|x| x.get_ref().as_str())
                        .unwrap_or("")
                        .to_string(),
                    _ => String::new(),
                };
                ws_deps.insert(k.get_ref().to_string(), req);
            }
        }
    }
    if let Some(p) = get(root, "package").or_else(|| get(root, "project")) {
        let t = p
            .get_ref()
            .as_table()
            .ok_or_else(|| wrong(p, "`package` must be a table"))?;
        let name = get(t, "name")
            .and_then(|n| n.get_ref().as_str())
            .ok_or_else(|| wrong(p, "`package.name` (a string) is missing"))?;
        let version = get(t, "version")
            .and_then(|n| n.get_ref().as_str())
            .unwrap_or("");
        m.package = Some(CargoPackage {
            name: name.to_string(),
            version: version.to_string(),
            line: get(t, "name").map_or_else(|| line_of(p), line_of),
        });
    }
    let mut sections: Vec<(&DeTable<'_>, &str, Scope)> = Vec::new();
    for (key, scope) in [
        ("dependencies", Scope::Required),
        ("dev-dependencies", Scope::Dev),
        ("dev_dependencies", Scope::Dev),
        ("build-dependencies", Scope::Build),
        ("build_dependencies", Scope::Build),
    ] {
        if let Some(v) = get(root, key) {
            let t = v
                .get_ref()
                .as_table()
                .ok_or_else(|| wrong(v, &format!("`{key}` must be a table")))?;
            sections.push((t, key, scope));
        }
    }
    if let Some(targets) = get(root, "target").and_then(|t| t.get_ref().as_table()) {
        for (_, cfg) in targets {
            let Some(cfg) = cfg.get_ref().as_table() else {
                continue;
            };
            for (key, scope) in [
                ("dependencies", Scope::Required),
                ("dev-dependencies", Scope::Dev),
                ("dev_dependencies", Scope::Dev),
                ("build-dependencies", Scope::Build),
                ("build_dependencies", Scope::Build),
            ] {
                if let Some(t) = get(cfg, key).and_then(|v| v.get_ref().as_table()) {
                    sections.push((t, key, scope));
                }
            }
        }
    }
    for (table, _, kind) in sections {
        for (k, v) in table {
            let key = k.get_ref().to_string();
            let line = index.line(k.span().start);
            let mut dep = CargoDep {
                name: key.clone(),
                package: key.clone(),
                requirement: String::new(),
                kind,
                path: None,
                git: None,
                rev: None,
                optional: false,
                line,
            };
            match v.get_ref() {
                DeValue::String(s) => dep.requirement = s.to_string(),
                DeValue::Table(t) => {
                    let string = |field: &str| -> Result<Option<String>, ParseError> {
                        match get(t, field) {
                            None => Ok(None),
                            Some(x) => match x.get_ref().as_str() {
                                Some(s) => Ok(Some(s.to_string())),
                                None => Err(wrong(x, &format!("`{key}.{field}` must be a string"))),
                            },
                        }
                    };
                    dep.requirement = string("version")?.unwrap_or_default();
                    dep.path = string("path")?;
                    dep.git = string("git")?;
                    dep.rev = string("rev")?;
                    for field in ["branch", "tag", "registry"] {
                        string(field)?;
                    }
                    if let Some(p) = string("package")? {
                        dep.package = p;
                    }
                    dep.optional = get(t, "optional")
                        .and_then(|o| o.get_ref().as_bool())
                        .unwrap_or(false);
                    if get(t, "workspace").and_then(|w| w.get_ref().as_bool()) == Some(true)
                        && let Some(req) = ws_deps.get(&key)
                    {
                        dep.requirement = req.clone();
                    }
                    if let Some(gitv) = &dep.git {
                        let pin = ["rev", "tag", "branch"]
                            .iter()
                            .find_map(|f| get(t, f).and_then(|x| x.get_ref().as_str()));
                        dep.requirement = match pin {
                            Some(p) => format!("{gitv}#{p}"),
                            None => gitv.clone(),
                        };
                    }
                }
                _ => {
                    return Err(wrong(
                        v,
                        &format!("dependency `{key}` must be a version string or a table"),
                    ));
                }
            }
            m.dependencies.push(dep);
        }
    }
    Ok(m)
}

/// A Cargo.toml alone.
pub fn manifest(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let m = read_manifest(rel_path, text)?;
    let mut b = Builder::new(rel_path, CRATES_IO, "Cargo.toml");
    if let Some(p) = &m.package {
        let mut root = component(
            CRATES_IO,
            &p.name,
            &p.version,
            purl(CRATES_IO, None, &p.name, &p.version, &[]),
            rel_path,
            p.line,
        );
        root.source = Source::Path {
            path: ".".to_string(),
        };
        b.root = Some(root);
    }
    for d in &m.dependencies {
        let commit = d
            .rev
            .as_deref()
            .filter(|r| (7..=40).contains(&r.len()) && r.bytes().all(|c| c.is_ascii_hexdigit()));
        if let (None, Some(git), Some(rev)) = (&d.path, &d.git, commit) {
            // Pinned to a commit: the package is known, its version number is not.
            let mut c = component(
                CRATES_IO,
                &d.package,
                "",
                purl(
                    CRATES_IO,
                    None,
                    &d.package,
                    "",
                    &[("vcs_url", &format!("git+{git}@{rev}"))],
                ),
                rel_path,
                d.line,
            );
            c.source = Source::Git {
                url: git.clone(),
                rev: Some(rev.to_string()),
            };
            c.scope = d.kind;
            c.direct = true;
            let i = b.push(c);
            b.edge(ROOT, i);
            continue;
        }
        match &d.path {
            Some(path) => {
                let mut c = component(
                    CRATES_IO,
                    &d.package,
                    "",
                    purl(CRATES_IO, None, &d.package, "", &[]),
                    rel_path,
                    d.line,
                );
                c.source = Source::Path { path: path.clone() };
                c.scope = d.kind;
                c.direct = true;
                let i = b.push(c);
                b.edge(ROOT, i);
            }
            None => b.unresolved(&d.package, &d.requirement, d.line),
        }
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_version_is_refused() {
        let e = lockfile("Cargo.lock", "version = 7\n").expect_err("v7");
        assert_eq!(
            e.to_string(),
            "Cargo.lock:1: unsupported Cargo.lock version `7`"
        );
    }

    #[test]
    fn deep_nesting_is_refused() {
        let text = format!("a = {}", "[".repeat(10_000));
        assert!(matches!(
            lockfile("Cargo.lock", &text),
            Err(ParseError::TooDeep { .. })
        ));
    }
}
