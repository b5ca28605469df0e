//! `pyproject.toml` beside a lockfile: the project's name, version and direct dependencies
//! (`[project]` with its optional dependencies, PEP 735 `[dependency-groups]`,
//! `[tool.poetry]` with its groups, `[tool.uv] dev-dependencies`,
//! `[tool.pdm.dev-dependencies]`). poetry.lock and pdm.lock record none of these, and
//! uv.lock only when the project is a package of its own workspace.

use annex_types::location::LineIndex as Lines;

use super::names::{pep503, pep508_name, py_purl};
use crate::model::{Scope, Source};
use crate::parse::builder::{Builder, ROOT, component};
use crate::parse::error::ParseError;
use crate::parse::text::no_bom;
use crate::parse::toml_spans::{TTable, TValue, parse_toml, t_array, t_bool, t_str, t_table};

/// What a pyproject.toml declares about the project.
#[derive(Debug, Clone, Default)]
pub struct PyProject {
    /// Relative path of the file.
    pub path: String,
    /// Empty when the file names no project (a tool-only pyproject.toml).
    pub name: String,
    /// Empty when not declared (`dynamic`).
    pub version: String,
    pub line: u64,
    /// Direct dependencies: (PEP 503 name, scope), in file order.
    pub dependencies: Vec<(String, Scope)>,
}

/// PEP 508 strings of an array, by PEP 503 name (`{include-group = …}` entries skipped).
fn requirement_names(arr: Option<&[TValue<'_>]>) -> Vec<String> {
    arr.unwrap_or(&[])
        .iter()
        .filter_map(|v| v.get_ref().as_str())
        .map(|s| pep503(pep508_name(s)))
        .filter(|n| !n.is_empty())
        .collect()
}

/// Keys of a poetry dependency table (without `python`), with `optional = true` marked.
fn poetry_names(t: Option<&TTable<'_>>) -> Vec<(String, bool)> {
    t.into_iter()
        .flat_map(|t| t.iter())
        .filter(|(k, _)| !k.get_ref().eq_ignore_ascii_case("python"))
        .map(|(k, v)| {
            let optional = v
                .get_ref()
                .as_table()
                .and_then(|t| t_bool(t, "optional"))
                .unwrap_or(false);
            (pep503(k.get_ref()), optional)
        })
        .collect()
}

/// Read a pyproject.toml.
pub fn read_pyproject(rel_path: &str, text: &str) -> Result<PyProject, ParseError> {
    let text = no_bom(text);
    let doc = parse_toml(rel_path, text)?;
    let lines = Lines::new(text);
    let mut p = PyProject {
        path: rel_path.to_string(),
        ..PyProject::default()
    };
    let add = |names: Vec<String>, scope: Scope, deps: &mut Vec<(String, Scope)>| {
        deps.extend(names.into_iter().map(|n| (n, scope)));
    };
    let tool = t_table(&doc, "tool");
    let poetry = tool.and_then(|t| t_table(t, "poetry"));
    if let Some(project) = t_table(&doc, "project") {
        p.name = t_str(project, "name").unwrap_or_default().to_string();
        p.version = t_str(project, "version").unwrap_or_default().to_string();
        p.line = project
            .get("name")
            .map_or(1, |v| lines.line(v.span().start));
        add(
            requirement_names(t_array(project, "dependencies")),
            Scope::Required,
            &mut p.dependencies,
        );
        for (_, v) in t_table(project, "optional-dependencies")
            .into_iter()
            .flat_map(|t| t.iter())
        {
            let arr = v.get_ref().as_array().map(|a| &a[..]);
            add(requirement_names(arr), Scope::Optional, &mut p.dependencies);
        }
    }
    if let Some(poetry) = poetry {
        if p.name.is_empty() {
            p.name = t_str(poetry, "name").unwrap_or_default().to_string();
            p.line = poetry.get("name").map_or(1, |v| lines.line(v.span().start));
        }
        if p.version.is_empty() {
            p.version = t_str(poetry, "version").unwrap_or_default().to_string();
        }
        for (name, optional) in poetry_names(t_table(poetry, "dependencies")) {
            let scope = if optional {
                Scope::Optional
            } else {
                Scope::Required
            };
            p.dependencies.push((name, scope));
        }
        for (name, _) in poetry_names(t_table(poetry, "dev-dependencies")) {
            p.dependencies.push((name, Scope::Dev));
        }
        for (group, g) in t_table(poetry, "group").into_iter().flat_map(|t| t.iter()) {
            // `main` is the runtime group; the others (dev, test, docs…) are not part of
            // what the package requires.
            let scope = if group.get_ref() == "main" {
                Scope::Required
            } else {
                Scope::Dev
            };
            let deps = g
                .get_ref()
                .as_table()
                .and_then(|t| t_table(t, "dependencies"));
            for (name, _) in poetry_names(deps) {
                p.dependencies.push((name, scope));
            }
        }
    }
    for (_, v) in t_table(&doc, "dependency-groups")
        .into_iter()
        .flat_map(|t| t.iter())
    {
        let arr = v.get_ref().as_array().map(|a| &a[..]);
        add(requirement_names(arr), Scope::Dev, &mut p.dependencies);
    }
    if let Some(uv) = tool.and_then(|t| t_table(t, "uv")) {
        add(
            requirement_names(t_array(uv, "dev-dependencies")),
            Scope::Dev,
            &mut p.dependencies,
        );
    }
    if let Some(pdm) = tool.and_then(|t| t_table(t, "pdm")) {
        for (_, v) in t_table(pdm, "dev-dependencies")
            .into_iter()
            .flat_map(|t| t.iter())
        {
            let arr = v.get_ref().as_array().map(|a| &a[..]);
            add(requirement_names(arr), Scope::Dev, &mut p.dependencies);
        }
    }
    Ok(p)
}

/// The project of `pp` as the root of a lockfile's subject (unless the lock named one)
/// with edges to its direct dependencies (dev ones as dev edges); scopes spread from them.
/// A dependency the lock does not hold (a marker for another platform) adds nothing.
pub(crate) fn apply(b: &mut Builder, pp: &PyProject) {
    if pp.name.is_empty() {
        return;
    }
    if b.root.is_none() {
        let mut root = component(
            &b.ecosystem,
            &pp.name,
            &pp.version,
            py_purl(&pp.name, &pp.version),
            &pp.path,
            pp.line,
        );
        root.source = Source::Path {
            path: ".".to_string(),
        };
        b.root = Some(root);
    } else {
        // The lock named the project itself (uv): its own edges stand.
        return;
    }
    let mut roots: Vec<(usize, Scope)> = Vec::new();
    for (name, scope) in &pp.dependencies {
        let targets: Vec<usize> = b
            .components()
            .iter()
            .enumerate()
            .filter(|(_, c)| pep503(&c.name) == *name)
            .map(|(i, _)| i)
            .collect();
        for t in targets {
            let kind = if *scope == Scope::Dev {
                Scope::Dev
            } else {
                Scope::Required
            };
            b.edge_scoped(ROOT, t, kind);
            roots.push((t, *scope));
        }
    }
    if !roots.is_empty() {
        b.propagate_scopes(&roots);
    }
}
