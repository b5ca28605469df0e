//! Python lockfiles and requirement files: `poetry.lock`, `uv.lock`, `pdm.lock`,
//! `Pipfile.lock`, `pylock.toml` (PEP 751) and `requirements*.txt`.
//!
//! Names are kept as written for display; purls use the PEP 503 normalised name. Nothing is
//! evaluated: environment markers neither add nor drop a package (every locked package is
//! reported, whatever platform it is for).
//!
//! Scopes:
//! - poetry: `category = "dev"` (lock-version 1.x) or `groups` without `main` (2.1) → dev;
//!   `optional = true` → optional; lock-version 2.0 records neither → required.
//! - uv: reachability from the workspace members: through `dependencies` → required, else
//!   through `optional-dependencies` → optional, else through `dev-dependencies` → dev.
//! - pdm: group `default` → required; groups named like dev/test/lint/doc/typing → dev; any
//!   other group (extras) → optional; no `groups` (older locks) → required.
//! - Pipfile.lock: `default` → required, `develop` → dev, other categories → optional.
//! - pylock.toml: a marker naming `dependency_groups` → dev, naming `extras` → optional.
//! - requirements: a file whose name says dev/test/lint/doc → dev, else required.

mod names;
mod pyproject;
mod requirements;

use std::collections::{BTreeMap, BTreeSet, VecDeque};

use annex_types::location::LineIndex as Lines;

use crate::parse::builder::{Builder, Part, ROOT, make};
use crate::parse::error::{ParseError, check_size, invalid, unsupported};
use crate::parse::hashes::{hash_from_prefixed, hash_of};
use crate::parse::text::no_bom;
use crate::parse::toml_spans::{
    TTable, TValue, parse_toml, t_array, t_bool, t_need_str, t_scalar, t_str, t_table, t_tables,
};
use names::{ECO, devish, pep503, pep508_name, py_purl};

use crate::model::{Component, Scope, Source, Subject};
use crate::parse::json;

pub use pyproject::{PyProject, read_pyproject};
pub use requirements::{MAX_INCLUDE_DEPTH, requirements, requirements_with};

/// A lockfile that records the project's own dependencies only partly, or not at all.
#[derive(Debug, Clone, Copy)]
pub enum ProjectLock {
    Poetry,
    Uv,
    Pdm,
}

/// A poetry, uv or pdm lockfile with the pyproject.toml beside it: the project is the
/// root (unless the lock names it) and its declared dependencies are the direct ones.
pub fn lock_with_project(
    kind: ProjectLock,
    rel_path: &str,
    text: &str,
    project: Option<&PyProject>,
) -> Result<Subject, ParseError> {
    let mut b = match kind {
        ProjectLock::Poetry => poetry_builder(rel_path, text)?,
        ProjectLock::Uv => uv_builder(rel_path, text)?,
        ProjectLock::Pdm => pdm_builder(rel_path, text)?,
    };
    if let Some(pp) = project {
        pyproject::apply(&mut b, pp);
    }
    Ok(b.finish())
}

fn part<'a>(name: &'a str, version: &'a str, scope: Scope, line: u64) -> Part<'a> {
    Part {
        name,
        version,
        purl: py_purl(name, version),
        scope,
        direct: false,
        line,
    }
}

/// Index of components by normalised name (several versions of one name are possible).
fn by_name(b: &Builder) -> BTreeMap<String, Vec<usize>> {
    let mut m: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (i, c) in b.components().iter().enumerate() {
        m.entry(pep503(&c.name)).or_default().push(i);
    }
    m
}

/// Edges from `from` to the components called `name` (of `version` when given and present).
fn link(
    b: &mut Builder,
    idx: &BTreeMap<String, Vec<usize>>,
    from: usize,
    name: &str,
    version: Option<&str>,
) {
    let Some(targets) = idx.get(&pep503(name)) else {
        return;
    };
    let mut chosen: Vec<usize> = match version {
        Some(v) => targets
            .iter()
            .copied()
            .filter(|&t| b.components().get(t).is_some_and(|c| c.version == v))
            .collect(),
        None => Vec::new(),
    };
    if chosen.is_empty() {
        chosen = targets.clone();
    }
    for t in chosen {
        if t != from {
            b.edge(from, t);
        }
    }
}

fn major_minor(v: &str) -> Option<(u64, u64)> {
    let mut it = v.trim().split('.');
    let major = it.next()?.parse().ok()?;
    let minor = it.next().map(|m| m.parse().ok()).unwrap_or(Some(0))?;
    Some((major, minor))
}

fn hashes_of_files(arr: Option<&[TValue<'_>]>) -> Vec<crate::model::Hash> {
    arr.unwrap_or(&[])
        .iter()
        .filter_map(|f| f.get_ref().as_table().and_then(|t| t_str(t, "hash")))
        .filter_map(hash_from_prefixed)
        .collect()
}

// ---------------------------------------------------------------------------------------
// poetry.lock

/// `poetry.lock`, lock-version 1.x (Poetry < 1.5: `category`, hashes under
/// `[metadata.files]`) and 2.x (hashes in `files`; 2.1 adds `groups`).
pub fn poetry(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    poetry_builder(rel_path, text).map(Builder::finish)
}

fn poetry_builder(rel_path: &str, text: &str) -> Result<Builder, ParseError> {
    let text = no_bom(text);
    let doc = parse_toml(rel_path, text)?;
    let lines = Lines::new(text);
    let meta = t_table(&doc, "metadata");
    let version = meta.and_then(|m| t_str(m, "lock-version"));
    let format = match version {
        Some(v) => match major_minor(v) {
            Some((1 | 2, _)) => format!("poetry.lock v{v}"),
            _ => {
                let line = meta
                    .and_then(|m| m.get("lock-version"))
                    .map_or(0, |s| lines.line(s.span().start));
                return Err(unsupported(rel_path, line, "poetry.lock", v));
            }
        },
        None => "poetry.lock".to_string(),
    };
    let mut b = Builder::new(rel_path, ECO, format);
    let meta_files = meta.and_then(|m| t_table(m, "files"));
    let mut deps_of: Vec<(usize, Vec<String>)> = Vec::new();
    for (off, p) in t_tables(&doc, "package") {
        let name = t_need_str(rel_path, &lines, p, off, "name", "a [[package]]")?;
        let version = t_need_str(rel_path, &lines, p, off, "version", "a [[package]]")?;
        let optional = t_bool(p, "optional").unwrap_or(false);
        let main_scope = if optional {
            Scope::Optional
        } else {
            Scope::Required
        };
        let scope = if let Some(cat) = t_str(p, "category") {
            if cat == "dev" { Scope::Dev } else { main_scope }
        } else if let Some(groups) = t_array(p, "groups") {
            let groups: Vec<&str> = groups.iter().filter_map(|g| g.get_ref().as_str()).collect();
            if groups.is_empty() || groups.contains(&"main") {
                main_scope
            } else {
                Scope::Dev
            }
        } else {
            main_scope
        };
        let mut c = make(&b, part(name, version, scope, lines.line(off)));
        c.hashes = hashes_of_files(t_array(p, "files"));
        if let Some(mf) = meta_files {
            let arr = mf.get(name).or_else(|| mf.get(pep503(name).as_str()));
            c.hashes.extend(hashes_of_files(
                arr.and_then(|a| a.get_ref().as_array()).map(|a| &a[..]),
            ));
        }
        if let Some(src) = t_table(p, "source") {
            c.source = poetry_source(src);
        }
        let i = b.push(c);
        let deps = t_table(p, "dependencies")
            .map(|d| d.iter().map(|(k, _)| k.get_ref().to_string()).collect())
            .unwrap_or_default();
        deps_of.push((i, deps));
    }
    let idx = by_name(&b);
    for (i, deps) in deps_of {
        for d in deps {
            link(&mut b, &idx, i, &d, None);
        }
    }
    b.edges_complete = true;
    Ok(b)
}

fn poetry_source(src: &TTable<'_>) -> Source {
    let url = t_str(src, "url").unwrap_or_default().to_string();
    match t_str(src, "type").unwrap_or_default() {
        "git" => Source::Git {
            url,
            rev: t_str(src, "resolved_reference")
                .or_else(|| t_str(src, "reference"))
                .map(str::to_string),
        },
        "directory" | "file" => Source::Path { path: url },
        "url" => Source::Url { url },
        _ => Source::Registry {
            url: (!url.is_empty()).then_some(url),
        },
    }
}

// ---------------------------------------------------------------------------------------
// uv.lock

struct UvDep {
    name: String,
    version: Option<String>,
    extras: Vec<String>,
}

fn uv_deps(arr: Option<&[TValue<'_>]>) -> Vec<UvDep> {
    arr.unwrap_or(&[])
        .iter()
        .filter_map(|d| d.get_ref().as_table())
        .filter_map(|t| {
            Some(UvDep {
                name: pep503(t_str(t, "name")?),
                version: t_str(t, "version").map(str::to_string),
                extras: t_array(t, "extra")
                    .unwrap_or(&[])
                    .iter()
                    .filter_map(|e| e.get_ref().as_str().map(str::to_string))
                    .collect(),
            })
        })
        .collect()
}

/// Named dependency lists of a table such as `[package.optional-dependencies]`.
fn uv_groups(t: Option<&TTable<'_>>) -> BTreeMap<String, Vec<UvDep>> {
    let mut m = BTreeMap::new();
    for (k, v) in t.into_iter().flat_map(|t| t.iter()) {
        m.insert(
            k.get_ref().to_string(),
            uv_deps(v.get_ref().as_array().map(|a| &a[..])),
        );
    }
    m
}

/// The source of a uv package, and whether it is a project of the workspace.
fn uv_source(src: Option<&TTable<'_>>) -> (Source, bool) {
    let Some(src) = src else {
        return (Source::Registry { url: None }, false);
    };
    if let Some(u) = t_str(src, "registry") {
        return (
            Source::Registry {
                url: Some(u.to_string()),
            },
            false,
        );
    }
    if let Some(g) = t_str(src, "git") {
        let (url, rev) = match g.split_once('#') {
            Some((u, r)) => (u.to_string(), Some(r.to_string())),
            None => (g.to_string(), None),
        };
        return (Source::Git { url, rev }, false);
    }
    if let Some(u) = t_str(src, "url") {
        return (Source::Url { url: u.to_string() }, false);
    }
    for k in ["editable", "virtual"] {
        if let Some(p) = t_str(src, k) {
            return (
                Source::Path {
                    path: p.to_string(),
                },
                true,
            );
        }
    }
    for k in ["path", "directory"] {
        if let Some(p) = t_str(src, k) {
            return (
                Source::Path {
                    path: p.to_string(),
                },
                false,
            );
        }
    }
    (Source::Registry { url: None }, false)
}

struct UvPkg {
    /// Index in the builder, or `None` for the root project / unresolved entries.
    idx: Option<usize>,
    name: String,
    version: String,
    deps: Vec<UvDep>,
    optional: BTreeMap<String, Vec<UvDep>>,
    dev: BTreeMap<String, Vec<UvDep>>,
    member: bool,
}

/// `uv.lock` version 1 (any revision).
pub fn uv(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    uv_builder(rel_path, text).map(Builder::finish)
}

fn uv_builder(rel_path: &str, text: &str) -> Result<Builder, ParseError> {
    let text = no_bom(text);
    let doc = parse_toml(rel_path, text)?;
    let lines = Lines::new(text);
    let format = match doc.get("version") {
        Some(v) => {
            let s = t_scalar(v.get_ref()).unwrap_or_default();
            if s != "1" {
                return Err(unsupported(
                    rel_path,
                    lines.line(v.span().start),
                    "uv.lock",
                    s,
                ));
            }
            match doc.get("revision").and_then(|r| t_scalar(r.get_ref())) {
                Some(r) => format!("uv.lock v1 (revision {r})"),
                None => "uv.lock v1".to_string(),
            }
        }
        None if doc.is_empty() => "uv.lock".to_string(),
        None => {
            return Err(invalid(
                rel_path,
                1,
                1,
                "uv.lock without a top-level `version`",
            ));
        }
    };
    let members: BTreeSet<String> = t_table(&doc, "manifest")
        .and_then(|m| t_array(m, "members"))
        .unwrap_or(&[])
        .iter()
        .filter_map(|v| v.get_ref().as_str().map(pep503))
        .collect();
    let mut b = Builder::new(rel_path, ECO, format);
    let mut pkgs: Vec<UvPkg> = Vec::new();
    let mut member_comps: Vec<(usize, Component)> = Vec::new();
    for (off, p) in t_tables(&doc, "package") {
        let name = t_need_str(rel_path, &lines, p, off, "name", "a [[package]]")?;
        let version = t_str(p, "version").unwrap_or_default();
        let (source, local_project) = uv_source(t_table(p, "source"));
        let member = members.contains(&pep503(name)) || (members.is_empty() && local_project);
        let line = lines.line(off);
        let mut idx = None;
        if member {
            let mut c = make(&b, part(name, version, Scope::Required, line));
            c.source = source;
            member_comps.push((pkgs.len(), c));
        } else if version.is_empty() {
            b.unresolved(name, &describe_source(&source), line);
        } else {
            let mut c = make(&b, part(name, version, Scope::Required, line));
            if let Some(h) = t_table(p, "sdist").and_then(|s| t_str(s, "hash")) {
                c.hashes.extend(hash_from_prefixed(h));
            }
            c.hashes.extend(hashes_of_files(t_array(p, "wheels")));
            c.source = source;
            idx = Some(b.push(c));
        }
        pkgs.push(UvPkg {
            idx,
            name: pep503(name),
            version: version.to_string(),
            deps: uv_deps(t_array(p, "dependencies")),
            optional: uv_groups(t_table(p, "optional-dependencies")),
            dev: uv_groups(t_table(p, "dev-dependencies")),
            member,
        });
    }
    let mut by: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (k, p) in pkgs.iter().enumerate() {
        by.entry(p.name.clone()).or_default().push(k);
    }
    let find = |pkgs: &[UvPkg], d: &UvDep| -> Vec<usize> {
        let all = by.get(d.name.as_str()).cloned().unwrap_or_default();
        match &d.version {
            Some(v) => {
                let f: Vec<usize> = all
                    .iter()
                    .copied()
                    .filter(|&k| &pkgs[k].version == v)
                    .collect();
                if f.is_empty() { all } else { f }
            }
            None => all,
        }
    };
    // Scope by reachability from the workspace members (extras pull in the optional
    // dependencies they name).
    let mut scope: Vec<Option<Scope>> = vec![None; pkgs.len()];
    let mut direct = vec![false; pkgs.len()];
    for (class, sc) in [(0, Scope::Required), (1, Scope::Optional), (2, Scope::Dev)] {
        let mut queue: VecDeque<(usize, Vec<String>)> = VecDeque::new();
        for p in pkgs.iter().filter(|p| p.member) {
            let start: Vec<&UvDep> = match class {
                0 => p.deps.iter().collect(),
                1 => p.optional.values().flatten().collect(),
                _ => p.dev.values().flatten().collect(),
            };
            for d in start {
                for t in find(&pkgs, d) {
                    direct[t] = true;
                    queue.push_back((t, d.extras.clone()));
                }
            }
        }
        let mut seen: BTreeSet<(usize, Vec<String>)> = BTreeSet::new();
        while let Some((k, extras)) = queue.pop_front() {
            if pkgs[k].member || !seen.insert((k, extras.clone())) {
                continue;
            }
            if scope[k].is_none() {
                scope[k] = Some(sc);
            }
            let p = &pkgs[k];
            let mut next: Vec<&UvDep> = p.deps.iter().collect();
            for e in &extras {
                next.extend(p.optional.get(e).into_iter().flatten());
            }
            for d in next {
                for t in find(&pkgs, d) {
                    queue.push_back((t, d.extras.clone()));
                }
            }
        }
    }
    for (k, p) in pkgs.iter().enumerate() {
        if let Some(c) = p.idx.and_then(|i| b.get_mut(i)) {
            // Not reachable from a member (or no member at all): required, to be safe.
            c.scope = scope[k].unwrap_or(Scope::Required);
            c.direct = direct[k];
        }
    }
    // The member at the workspace root is the subject's root; other members are local
    // components of the project.
    for (k, c) in member_comps {
        let at_root = matches!(&c.source, Source::Path { path } if path == ".");
        if at_root && b.root.is_none() {
            b.root = Some(c);
            pkgs[k].idx = Some(ROOT);
        } else {
            let mut c = c;
            c.direct = true;
            pkgs[k].idx = Some(b.push(c));
        }
    }
    // Edges; a package's extras add the optional dependencies they select.
    for (k, p) in pkgs.iter().enumerate() {
        let Some(from) = p.idx else { continue };
        let all = p
            .deps
            .iter()
            .chain(p.optional.values().flatten())
            .map(|d| (d, Scope::Required))
            .chain(p.dev.values().flatten().map(|d| (d, Scope::Dev)));
        for (d, kind) in all {
            for t in find(&pkgs, d) {
                if let Some(to) = pkgs[t].idx
                    && t != k
                {
                    b.edge_scoped(from, to, kind);
                }
            }
        }
    }
    b.edges_complete = true;
    Ok(b)
}

fn describe_source(s: &Source) -> String {
    match s {
        Source::Registry { url } => url.clone().unwrap_or_default(),
        Source::Git { url, rev } => match rev {
            Some(r) => format!("git+{url}@{r}"),
            None => format!("git+{url}"),
        },
        Source::Path { path } => path.clone(),
        Source::Url { url } => url.clone(),
    }
}

// ---------------------------------------------------------------------------------------
// pdm.lock

fn pdm_group_scope(groups: &[&str]) -> Scope {
    if groups.is_empty() || groups.contains(&"default") {
        Scope::Required
    } else if groups.iter().any(|g| devish(g)) {
        Scope::Dev
    } else {
        Scope::Optional
    }
}

/// `pdm.lock`, lock_version 3.x and 4.x.
pub fn pdm(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    pdm_builder(rel_path, text).map(Builder::finish)
}

fn pdm_builder(rel_path: &str, text: &str) -> Result<Builder, ParseError> {
    let text = no_bom(text);
    let doc = parse_toml(rel_path, text)?;
    let lines = Lines::new(text);
    let meta = t_table(&doc, "metadata");
    let format = match meta.and_then(|m| t_str(m, "lock_version")) {
        Some(v) => match major_minor(v) {
            Some((3 | 4, _)) => format!("pdm.lock v{v}"),
            _ => {
                let line = meta
                    .and_then(|m| m.get("lock_version"))
                    .map_or(0, |s| lines.line(s.span().start));
                return Err(unsupported(rel_path, line, "pdm.lock", v));
            }
        },
        None => "pdm.lock".to_string(),
    };
    let mut b = Builder::new(rel_path, ECO, format);
    let mut deps_of: Vec<(usize, Vec<String>)> = Vec::new();
    for (off, p) in t_tables(&doc, "package") {
        let name = t_need_str(rel_path, &lines, p, off, "name", "a [[package]]")?;
        let line = lines.line(off);
        let Some(version) = t_str(p, "version") else {
            let req = t_str(p, "git")
                .or_else(|| t_str(p, "url"))
                .or_else(|| t_str(p, "path"))
                .unwrap_or_default();
            b.unresolved(name, req, line);
            continue;
        };
        let groups: Vec<&str> = t_array(p, "groups")
            .unwrap_or(&[])
            .iter()
            .filter_map(|g| g.get_ref().as_str())
            .collect();
        let mut c = make(&b, part(name, version, pdm_group_scope(&groups), line));
        c.hashes = hashes_of_files(t_array(p, "files"));
        if let Some(g) = t_str(p, "git") {
            c.source = Source::Git {
                url: g.to_string(),
                rev: t_str(p, "revision")
                    .or_else(|| t_str(p, "ref"))
                    .map(str::to_string),
            };
        } else if let Some(u) = t_str(p, "url") {
            c.source = Source::Url { url: u.to_string() };
        } else if let Some(pth) = t_str(p, "path") {
            c.source = Source::Path {
                path: pth.to_string(),
            };
        }
        let i = b.push(c);
        let deps = t_array(p, "dependencies")
            .unwrap_or(&[])
            .iter()
            .filter_map(|d| d.get_ref().as_str().map(|s| pep508_name(s).to_string()))
            .filter(|s| !s.is_empty())
            .collect();
        deps_of.push((i, deps));
    }
    // pdm repeats a package once per extras combination; `finish` merges the repeats.
    let idx = by_name(&b);
    for (i, deps) in deps_of {
        for d in deps {
            link(&mut b, &idx, i, &d, None);
        }
    }
    b.edges_complete = true;
    Ok(b)
}

// ---------------------------------------------------------------------------------------
// Pipfile.lock

/// `Pipfile.lock` (pipfile-spec 6).
pub fn pipfile(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    if text.trim().is_empty() {
        return Ok(Builder::new(rel_path, ECO, "Pipfile.lock").finish());
    }
    let doc = json::object(rel_path, json::parse(rel_path, text)?, "Pipfile.lock")?;
    let spec = doc.get("_meta").and_then(|m| m.get("pipfile-spec"));
    let format = match spec {
        None => "Pipfile.lock".to_string(),
        Some(s) if s.as_u64() == Some(6) => "Pipfile.lock spec 6".to_string(),
        Some(s) => {
            let v = match &s.value {
                json::Value::Number(n) | json::Value::String(n) => n.clone(),
                _ => "?".to_string(),
            };
            return Err(unsupported(rel_path, s.line, "Pipfile.lock", v));
        }
    };
    let mut b = Builder::new(rel_path, ECO, format);
    for cat in doc.members() {
        if cat.key == "_meta" {
            continue;
        }
        let scope = match cat.key.as_str() {
            "default" => Scope::Required,
            "develop" => Scope::Dev,
            _ => Scope::Optional,
        };
        for e in cat.value.members() {
            let (name, v) = (e.key.as_str(), &e.value);
            let version = v.str("version");
            let pinned =
                version.and_then(|s| s.strip_prefix("===").or_else(|| s.strip_prefix("==")));
            match pinned.map(str::trim) {
                Some(ver) if !ver.is_empty() && !ver.contains('*') => {
                    let mut c = make(&b, part(name, ver, scope, e.line));
                    c.hashes = v
                        .get("hashes")
                        .map(|h| h.items())
                        .unwrap_or(&[])
                        .iter()
                        .filter_map(|h| h.as_str().and_then(hash_from_prefixed))
                        .collect();
                    if let Some(url) = v.str("index").and_then(|ix| pipfile_index(&doc, ix)) {
                        c.source = Source::Registry { url: Some(url) };
                    }
                    b.push(c);
                }
                _ => {
                    let req = if let Some(g) = v.str("git") {
                        match v.str("ref") {
                            Some(r) => format!("git+{g}@{r}"),
                            None => format!("git+{g}"),
                        }
                    } else if let Some(p) = v.str("path").or_else(|| v.str("file")) {
                        p.to_string()
                    } else {
                        version.unwrap_or("*").to_string()
                    };
                    b.unresolved(name, &req, e.line);
                }
            }
        }
    }
    Ok(b.finish())
}

fn pipfile_index(doc: &json::Node, name: &str) -> Option<String> {
    doc.get("_meta")?
        .get("sources")?
        .items()
        .iter()
        .find(|s| s.str("name") == Some(name))
        .and_then(|s| s.str("url"))
        .map(str::to_string)
}

// ---------------------------------------------------------------------------------------
// pylock.toml (PEP 751)

/// `pylock.toml` / `pylock.*.toml`, lock-version 1.x.
pub fn pylock(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    let doc = parse_toml(rel_path, text)?;
    let lines = Lines::new(text);
    let format = match t_str(&doc, "lock-version") {
        Some(v) => match major_minor(v) {
            Some((1, _)) => format!("pylock.toml v{v}"),
            _ => {
                let line = doc
                    .get("lock-version")
                    .map_or(0, |s| lines.line(s.span().start));
                return Err(unsupported(rel_path, line, "pylock.toml", v));
            }
        },
        None if doc.is_empty() => "pylock.toml".to_string(),
        None => {
            return Err(invalid(
                rel_path,
                1,
                1,
                "pylock.toml without `lock-version`",
            ));
        }
    };
    let mut b = Builder::new(rel_path, ECO, format);
    // (component, [(dependency name, version if given)])
    type Deps = Vec<(String, Option<String>)>;
    let mut deps_of: Vec<(usize, Deps)> = Vec::new();
    for (off, p) in t_tables(&doc, "packages") {
        let name = t_need_str(rel_path, &lines, p, off, "name", "a [[packages]]")?;
        let line = lines.line(off);
        let marker = t_str(p, "marker").unwrap_or_default();
        let scope = if marker.contains("dependency_groups") {
            Scope::Dev
        } else if marker.contains("extras") {
            Scope::Optional
        } else {
            Scope::Required
        };
        let vcs = t_table(p, "vcs");
        let dir = t_table(p, "directory");
        let archive = t_table(p, "archive");
        let Some(version) = t_str(p, "version") else {
            if dir.and_then(|d| t_str(d, "path")) == Some(".") {
                continue; // the project itself
            }
            let req = if let Some(v) = vcs {
                let url = t_str(v, "url")
                    .or_else(|| t_str(v, "path"))
                    .unwrap_or_default();
                match t_str(v, "commit-id") {
                    Some(c) => format!("git+{url}@{c}"),
                    None => format!("git+{url}"),
                }
            } else if let Some(d) = dir {
                t_str(d, "path").unwrap_or_default().to_string()
            } else if let Some(a) = archive {
                t_str(a, "url")
                    .or_else(|| t_str(a, "path"))
                    .unwrap_or_default()
                    .to_string()
            } else {
                String::new()
            };
            b.unresolved(name, &req, line);
            continue;
        };
        let mut c = make(&b, part(name, version, scope, line));
        let mut collect = |t: &TTable<'_>| {
            for (alg, v) in t_table(t, "hashes").into_iter().flat_map(|h| h.iter()) {
                if let Some(v) = v.get_ref().as_str() {
                    c.hashes.extend(hash_of(alg.get_ref(), v));
                }
            }
        };
        if let Some(s) = t_table(p, "sdist") {
            collect(s);
        }
        if let Some(a) = archive {
            collect(a);
        }
        for w in t_array(p, "wheels").unwrap_or(&[]) {
            if let Some(t) = w.get_ref().as_table() {
                collect(t);
            }
        }
        if let Some(v) = vcs {
            c.source = Source::Git {
                url: t_str(v, "url")
                    .or_else(|| t_str(v, "path"))
                    .unwrap_or_default()
                    .to_string(),
                rev: t_str(v, "commit-id").map(str::to_string),
            };
        } else if let Some(d) = dir {
            c.source = Source::Path {
                path: t_str(d, "path").unwrap_or_default().to_string(),
            };
        } else if let Some(a) = archive {
            c.source = match (t_str(a, "url"), t_str(a, "path")) {
                (Some(u), _) => Source::Url { url: u.to_string() },
                (None, Some(pth)) => Source::Path {
                    path: pth.to_string(),
                },
                _ => Source::Registry { url: None },
            };
        } else if let Some(ix) = t_str(p, "index") {
            c.source = Source::Registry {
                url: Some(ix.to_string()),
            };
        }
        let i = b.push(c);
        let deps = t_array(p, "dependencies")
            .unwrap_or(&[])
            .iter()
            .filter_map(|d| d.get_ref().as_table())
            .filter_map(|t| {
                Some((
                    t_str(t, "name")?.to_string(),
                    t_str(t, "version").map(str::to_string),
                ))
            })
            .collect();
        deps_of.push((i, deps));
    }
    let idx = by_name(&b);
    let any_deps = deps_of.iter().any(|(_, d)| !d.is_empty());
    for (i, deps) in deps_of {
        for (n, v) in deps {
            link(&mut b, &idx, i, &n, v.as_deref());
        }
    }
    b.edges_complete = any_deps;
    Ok(b.finish())
}
