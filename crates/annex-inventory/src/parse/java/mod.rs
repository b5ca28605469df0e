//! Java: `pom.xml` (Maven), `gradle.lockfile` and `gradle/verification-metadata.xml`.
//!
//! `pom.xml` is a manifest, not a lockfile: we report the dependencies it declares (direct
//! ones, with the versions it pins), never the transitive closure, which needs the remote
//! repositories. What is resolved, all without network:
//! - `${…}` properties, from the POM and its parents (nearest wins), `project.*`/`pom.*`
//!   (`version`, `groupId`, `artifactId`, `parent.*`), repeated up to a bound;
//! - parent POMs inside the repository, found by `relativePath` (default `../pom.xml`; a
//!   directory means its `pom.xml`) and checked against the declared coordinates, up to a
//!   depth bound, cycles cut; their `dependencies` are inherited, their
//!   `dependencyManagement` supplies missing versions and scopes;
//! - a dependency whose version stays unknown (a property from outside, a BOM import, a
//!   parent from a remote repository, a version range) is [`Unresolved`](crate::model::Unresolved).
//!
//! Scopes: `compile` and `runtime` → required; `test` → dev; `provided` and `system` →
//! optional (supplied by the environment, not shipped with the artifact), like
//! `<optional>true</optional>`; `import` entries are not dependencies.
//! Names are `groupId:artifactId`; purls `pkg:maven/group/artifact@version` with `type`
//! (when not `jar`) and `classifier` qualifiers.

mod xml;

use std::collections::{BTreeMap, BTreeSet};

use crate::model::{Scope, Source, Subject};
use crate::parse::builder::{Builder, Part, ROOT, make};
use crate::parse::error::{ParseError, check_size, invalid, unsupported};
use crate::parse::hashes::hash_of;
use crate::parse::relative::push_segments;
use crate::parse::text::no_bom;
use xml::El;

const ECO: &str = annex_types::ecosystem::MAVEN;
/// Deepest chain of parent POMs followed.
pub const MAX_PARENT_DEPTH: usize = 16;
/// Most substitution rounds of one `${…}` value.
const MAX_INTERPOLATION: usize = 16;

fn maven_purl(
    group: &str,
    artifact: &str,
    version: &str,
    typ: Option<&str>,
    classifier: Option<&str>,
) -> String {
    let mut q: Vec<(&str, &str)> = Vec::new();
    if let Some(c) = classifier.filter(|c| !c.is_empty()) {
        q.push(("classifier", c));
    }
    if let Some(t) = typ.filter(|t| !t.is_empty() && *t != "jar") {
        q.push(("type", t));
    }
    crate::purl::purl(ECO, Some(group), artifact, version, &q)
}

#[derive(Debug, Clone)]
struct Dep {
    group: String,
    artifact: String,
    version: Option<String>,
    scope: Option<String>,
    typ: Option<String>,
    classifier: Option<String>,
    optional: bool,
    line: u64,
    path: String,
}

impl Dep {
    fn from_el(e: &El, path: &str) -> Dep {
        Dep {
            group: e.text_of("groupId").unwrap_or("").to_string(),
            artifact: e.text_of("artifactId").unwrap_or("").to_string(),
            version: e.text_of("version").map(str::to_string),
            scope: e.text_of("scope").map(str::to_string),
            typ: e.text_of("type").map(str::to_string),
            classifier: e.text_of("classifier").map(str::to_string),
            optional: e.text_of("optional") == Some("true"),
            line: e.line,
            path: path.to_string(),
        }
    }
}

struct Pom {
    group: Option<String>,
    artifact: Option<String>,
    version: Option<String>,
    packaging: Option<String>,
    parent: Option<(String, String, Option<String>, Option<String>)>,
    props: Vec<(String, String)>,
    managed: Vec<Dep>,
    deps: Vec<Dep>,
    line: u64,
}

fn read_pom(path: &str, text: &str) -> Result<Pom, ParseError> {
    let text = no_bom(text);
    check_size(path, text)?;
    let root = xml::parse(path, text)?;
    if root.name != "project" {
        return Err(invalid(
            path,
            root.line,
            1,
            format!("a POM has a <project> root, not <{}>", root.name),
        ));
    }
    if let Some(mv) = root.child("modelVersion") {
        let v = mv.text.trim();
        if !matches!(v, "4.0.0" | "4.1.0") {
            return Err(unsupported(path, mv.line, "pom.xml modelVersion", v));
        }
    }
    let parent = root.child("parent").map(|p| {
        (
            p.text_of("groupId").unwrap_or("").to_string(),
            p.text_of("artifactId").unwrap_or("").to_string(),
            p.text_of("version").map(str::to_string),
            // An empty <relativePath/> disables the lookup.
            match p.child("relativePath") {
                Some(r) => Some(r.text.trim().to_string()),
                None => Some("../pom.xml".to_string()),
            },
        )
    });
    let props = root
        .child("properties")
        .map(|p| {
            p.children
                .iter()
                .map(|c| (c.name.clone(), c.text.trim().to_string()))
                .collect()
        })
        .unwrap_or_default();
    let deps_of = |e: Option<&El>| -> Vec<Dep> {
        e.map(|d| {
            d.children("dependency")
                .map(|x| Dep::from_el(x, path))
                .collect()
        })
        .unwrap_or_default()
    };
    // Profiles active by default contribute like the main model.
    let mut deps = deps_of(root.child("dependencies"));
    let mut managed = deps_of(root.path("dependencyManagement/dependencies"));
    let mut props: Vec<(String, String)> = props;
    for prof in root
        .child("profiles")
        .into_iter()
        .flat_map(|p| p.children("profile"))
    {
        if prof
            .path("activation/activeByDefault")
            .map(|a| a.text.trim())
            == Some("true")
        {
            deps.extend(deps_of(prof.child("dependencies")));
            managed.extend(deps_of(prof.path("dependencyManagement/dependencies")));
            if let Some(pp) = prof.child("properties") {
                props.extend(
                    pp.children
                        .iter()
                        .map(|c| (c.name.clone(), c.text.trim().to_string())),
                );
            }
        }
    }
    Ok(Pom {
        group: root.text_of("groupId").map(str::to_string),
        artifact: root.text_of("artifactId").map(str::to_string),
        version: root.text_of("version").map(str::to_string),
        packaging: root.text_of("packaging").map(str::to_string),
        parent,
        props,
        managed,
        deps,
        line: root.line,
    })
}

/// `a/b/../c` → `a/c`; `None` above the root.
fn normalize(p: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    push_segments(&mut out, p.split(['/', '\\']))?;
    Some(out.join("/"))
}

fn parent_path(child: &str, relative: &str) -> Option<String> {
    if relative.is_empty() || relative.starts_with('/') || relative.contains(':') {
        return None;
    }
    let dir = child.rfind('/').map_or("", |i| &child[..i]);
    let joined = if dir.is_empty() {
        relative.to_string()
    } else {
        format!("{dir}/{relative}")
    };
    let joined = if joined.ends_with(".xml") {
        joined
    } else {
        format!("{joined}/pom.xml")
    };
    normalize(&joined)
}

/// The effective values: interpolation against the whole chain.
struct Model {
    props: BTreeMap<String, String>,
}

impl Model {
    fn interpolate(&self, s: &str) -> Option<String> {
        let mut cur = s.to_string();
        for _ in 0..MAX_INTERPOLATION {
            let Some(start) = cur.find("${") else {
                return Some(cur);
            };
            let end = cur[start..].find('}')? + start;
            let key = &cur[start + 2..end];
            let val = self.props.get(key)?;
            cur = format!("{}{}{}", &cur[..start], val, &cur[end + 1..]);
            if cur.len() > 64 * 1024 {
                return None;
            }
        }
        (!cur.contains("${")).then_some(cur)
    }
}

fn scope_of(scope: &str, optional: bool) -> Option<Scope> {
    let s = match scope {
        "test" => Scope::Dev,
        "provided" | "system" => Scope::Optional,
        "import" => return None,
        _ => Scope::Required,
    };
    Some(if optional && s == Scope::Required {
        Scope::Optional
    } else {
        s
    })
}

/// `pom.xml` alone: parent POMs are not read (their properties and managed versions are
/// unknown, so what depends on them is unresolved).
pub fn pom(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    pom_with(rel_path, text, &mut |_| None)
}

/// `pom.xml` with its parents inside the repository: `read` gets a repository-relative,
/// `/`-separated path and returns the file's text, or `None`.
pub fn pom_with(
    rel_path: &str,
    text: &str,
    read: &mut dyn FnMut(&str) -> Option<String>,
) -> Result<Subject, ParseError> {
    let me = read_pom(rel_path, text)?;
    let model_line = me.line;
    // The parent chain within the repository.
    let mut chain: Vec<Pom> = Vec::new();
    let mut seen: BTreeSet<String> = BTreeSet::new();
    seen.insert(normalize(rel_path).unwrap_or_else(|| rel_path.to_string()));
    let mut parent_missing = false;
    {
        let mut cur_parent = me.parent.clone();
        let mut cur_path = rel_path.to_string();
        while let Some((g, a, v, rel)) = cur_parent.take() {
            if chain.len() >= MAX_PARENT_DEPTH {
                parent_missing = true;
                break;
            }
            let Some(pp) = rel.as_deref().and_then(|r| parent_path(&cur_path, r)) else {
                parent_missing = true;
                break;
            };
            if !seen.insert(pp.clone()) {
                break; // a cycle
            }
            let Some(ptext) = read(&pp) else {
                parent_missing = true;
                break;
            };
            // A parent that does not parse, or is another project, is not this parent.
            let Ok(p) = read_pom(&pp, &ptext) else {
                parent_missing = true;
                break;
            };
            let pg = p
                .group
                .clone()
                .or_else(|| p.parent.as_ref().map(|x| x.0.clone()));
            let pv = p
                .version
                .clone()
                .or_else(|| p.parent.as_ref().and_then(|x| x.2.clone()));
            let matches = pg.as_deref() == Some(g.as_str())
                && p.artifact.as_deref() == Some(a.as_str())
                && (v.is_none() || pv == v || v.as_deref().is_some_and(|v| v.contains("${")));
            if !matches {
                parent_missing = true;
                break;
            }
            cur_parent = p.parent.clone();
            cur_path = pp;
            chain.push(p);
        }
    }

    // Properties: farthest ancestor first, nearer ones override.
    let mut props: BTreeMap<String, String> = BTreeMap::new();
    for p in chain.iter().rev().chain(std::iter::once(&me)) {
        for (k, v) in &p.props {
            props.insert(k.clone(), v.clone());
        }
    }
    let group = me
        .group
        .clone()
        .or_else(|| me.parent.as_ref().map(|p| p.0.clone()))
        .unwrap_or_default();
    let artifact = me.artifact.clone().unwrap_or_default();
    let version = me
        .version
        .clone()
        .or_else(|| me.parent.as_ref().and_then(|p| p.2.clone()))
        .unwrap_or_default();
    for prefix in ["project.", "pom.", ""] {
        props.insert(format!("{prefix}groupId"), group.clone());
        props.insert(format!("{prefix}artifactId"), artifact.clone());
        props.insert(format!("{prefix}version"), version.clone());
        if let Some((g, a, v, _)) = &me.parent {
            props.insert(format!("{prefix}parent.groupId"), g.clone());
            props.insert(format!("{prefix}parent.artifactId"), a.clone());
            if let Some(v) = v {
                props.insert(format!("{prefix}parent.version"), v.clone());
            }
        }
    }
    let model = Model { props };

    let mut b = Builder::new(rel_path, ECO, "pom.xml (modelVersion 4.0.0)");
    let root_version = model.interpolate(&version).unwrap_or_default();
    let root_group = model.interpolate(&group).unwrap_or_default();
    if !root_group.is_empty() && !artifact.is_empty() {
        let name = format!("{root_group}:{artifact}");
        let purl = maven_purl(
            &root_group,
            &artifact,
            &root_version,
            me.packaging.as_deref().filter(|p| *p != "pom"),
            None,
        );
        let mut c = make(
            &b,
            Part {
                name: &name,
                version: &root_version,
                purl,
                scope: Scope::Required,
                direct: false,
                line: model_line,
            },
        );
        c.source = Source::Path {
            path: rel_path.to_string(),
        };
        b.root = Some(c);
    }

    // Managed versions and scopes: nearest declaration wins.
    type Key = (String, String, String, String);
    let key_of = |d: &Dep| -> Option<Key> {
        Some((
            model.interpolate(&d.group)?,
            model.interpolate(&d.artifact)?,
            d.typ
                .as_deref()
                .and_then(|t| model.interpolate(t))
                .unwrap_or_else(|| "jar".to_string()),
            d.classifier
                .as_deref()
                .and_then(|c| model.interpolate(c))
                .unwrap_or_default(),
        ))
    };
    let mut managed: BTreeMap<Key, &Dep> = BTreeMap::new();
    for p in std::iter::once(&me).chain(chain.iter()) {
        for d in &p.managed {
            if let Some(k) = key_of(d) {
                managed.entry(k).or_insert(d);
            }
        }
    }
    // Declared dependencies, own first, then inherited ones not redeclared.
    let mut declared: Vec<&Dep> = Vec::new();
    let mut keys: BTreeSet<Key> = BTreeSet::new();
    for p in std::iter::once(&me).chain(chain.iter()) {
        for d in &p.deps {
            match key_of(d) {
                Some(k) => {
                    if keys.insert(k) {
                        declared.push(d);
                    }
                }
                None => declared.push(d),
            }
        }
    }
    for d in declared {
        let (Some(g), Some(a)) = (model.interpolate(&d.group), model.interpolate(&d.artifact))
        else {
            b.unresolved(
                &format!("{}:{}", d.group, d.artifact),
                d.version.as_deref().unwrap_or(""),
                d.line,
            );
            if let Some(u) = b.unresolved.last_mut() {
                u.location.path = d.path.clone();
            }
            continue;
        };
        if g.is_empty() || a.is_empty() {
            b.unresolved(
                &format!("{g}:{a}"),
                d.version.as_deref().unwrap_or(""),
                d.line,
            );
            if let Some(u) = b.unresolved.last_mut() {
                u.location.path = d.path.clone();
            }
            continue;
        }
        let name = format!("{g}:{a}");
        let typ = d.typ.as_deref().and_then(|t| model.interpolate(t));
        let classifier = d.classifier.as_deref().and_then(|c| model.interpolate(c));
        let k = (
            g.clone(),
            a.clone(),
            typ.clone().unwrap_or_else(|| "jar".into()),
            classifier.clone().unwrap_or_default(),
        );
        let m = managed.get(&k).copied();
        let scope_raw = d
            .scope
            .as_deref()
            .or_else(|| m.and_then(|m| m.scope.as_deref()))
            .and_then(|s| model.interpolate(s))
            .unwrap_or_else(|| "compile".to_string());
        let Some(scope) = scope_of(&scope_raw, d.optional) else {
            continue;
        };
        let raw_version = d
            .version
            .clone()
            .or_else(|| m.and_then(|m| m.version.clone()));
        let version = raw_version.as_deref().and_then(|v| model.interpolate(v));
        // `[1.2.3]` is a hard requirement of exactly that version; other ranges are not pins.
        let version =
            version.map(
                |v| match v.strip_prefix('[').and_then(|x| x.strip_suffix(']')) {
                    Some(x) if !x.contains(',') => x.trim().to_string(),
                    _ => v,
                },
            );
        let pinned =
            version.filter(|v| !v.is_empty() && !v.starts_with('[') && !v.starts_with('('));
        let Some(version) = pinned else {
            let why = match &raw_version {
                Some(v) => v.clone(),
                None if parent_missing => {
                    "(managed by a parent outside the repository)".to_string()
                }
                None => "(no version)".to_string(),
            };
            b.unresolved(&name, &why, d.line);
            if let Some(u) = b.unresolved.last_mut() {
                u.location.path = d.path.clone();
            }
            continue;
        };
        let purl = maven_purl(&g, &a, &version, typ.as_deref(), classifier.as_deref());
        let mut c = make(
            &b,
            Part {
                name: &name,
                version: &version,
                purl,
                scope,
                direct: true,
                line: d.line,
            },
        );
        c.location.path = d.path.clone();
        let i = b.push(c);
        if b.root.is_some() {
            b.edge(ROOT, i);
        }
    }
    Ok(b.finish())
}

// ---------------------------------------------------------------------------------------
// Gradle

/// Scope from the configurations a locked module is in.
fn gradle_scope(confs: &[&str]) -> Scope {
    let is_test = |c: &str| c.to_ascii_lowercase().contains("test");
    let is_build = |c: &str| {
        let l = c.to_ascii_lowercase();
        l.contains("annotationprocessor")
            || l.starts_with("kapt")
            || l.starts_with("ksp")
            || l == "classpath"
    };
    if confs.is_empty() || confs.iter().any(|c| !is_test(c) && !is_build(c)) {
        Scope::Required
    } else if confs.iter().any(|c| is_build(c) && !is_test(c)) {
        Scope::Build
    } else {
        Scope::Dev
    }
}

/// `gradle.lockfile` (and the per-configuration `gradle/dependency-locks/*.lockfile`):
/// `group:artifact:version=conf1,conf2`. Configurations whose name says `test` only →
/// dev; only annotation processors / `kapt` / `ksp` / buildscript `classpath` → build.
pub fn gradle_lockfile(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    let mut b = Builder::new(rel_path, ECO, "gradle.lockfile");
    for (n, raw) in text.lines().enumerate() {
        let line_no = n as u64 + 1;
        let line = raw.trim();
        if line.is_empty() || line.starts_with('#') || line.starts_with("empty=") {
            continue;
        }
        let (coord, confs) = line.split_once('=').unwrap_or((line, ""));
        let parts: Vec<&str> = coord.split(':').collect();
        let valid = parts.len() == 3
            && parts
                .iter()
                .all(|p| !p.is_empty() && !p.contains(char::is_whitespace));
        if !valid {
            let col = (raw.len() - raw.trim_start().len()) as u64 + 1;
            return Err(ParseError::syntax(
                rel_path,
                line_no,
                col,
                "`group:artifact:version=configurations`",
            ));
        }
        let confs: Vec<&str> = confs
            .split(',')
            .map(str::trim)
            .filter(|c| !c.is_empty())
            .collect();
        let name = format!("{}:{}", parts[0], parts[1]);
        let purl = maven_purl(parts[0], parts[1], parts[2], None, None);
        let c = make(
            &b,
            Part {
                name: &name,
                version: parts[2],
                purl,
                scope: gradle_scope(&confs),
                direct: false,
                line: line_no,
            },
        );
        b.push(c);
    }
    Ok(b.finish())
}

/// `gradle/verification-metadata.xml`: every `<component>` with the checksums of its
/// artifacts (`sha256`, `sha512`, `sha1`, `md5`). It lists what the build may download,
/// for any configuration: every component is reported as required.
pub fn gradle_verification(rel_path: &str, text: &str) -> Result<Subject, ParseError> {
    let text = no_bom(text);
    check_size(rel_path, text)?;
    let root = xml::parse(rel_path, text)?;
    if root.name != "verification-metadata" {
        return Err(invalid(
            rel_path,
            root.line,
            1,
            format!("expected <verification-metadata>, found <{}>", root.name),
        ));
    }
    let mut b = Builder::new(rel_path, ECO, "gradle verification-metadata.xml");
    let Some(components) = root.child("components") else {
        return Ok(b.finish());
    };
    for comp in components.children("component") {
        let (Some(g), Some(a)) = (comp.attr("group"), comp.attr("name")) else {
            return Err(invalid(
                rel_path,
                comp.line,
                1,
                "a <component> without `group` or `name`",
            ));
        };
        let name = format!("{g}:{a}");
        let Some(v) = comp.attr("version").filter(|v| !v.is_empty()) else {
            b.unresolved(&name, "", comp.line);
            continue;
        };
        let mut c = make(
            &b,
            Part {
                name: &name,
                version: v,
                purl: maven_purl(g, a, v, None, None),
                scope: Scope::Required,
                direct: false,
                line: comp.line,
            },
        );
        for art in comp.children("artifact") {
            for h in &art.children {
                if let Some(hash) = h.attr("value").and_then(|val| hash_of(&h.name, val)) {
                    c.hashes.push(hash);
                }
                // Alternative checksums Gradle also accepts.
                for alt in h.children("also-trust") {
                    if let Some(hash) = alt.attr("value").and_then(|val| hash_of(&h.name, val)) {
                        c.hashes.push(hash);
                    }
                }
            }
        }
        b.push(c);
    }
    Ok(b.finish())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_and_scopes() {
        assert_eq!(
            parent_path("a/b/pom.xml", "../pom.xml").as_deref(),
            Some("a/pom.xml")
        );
        assert_eq!(parent_path("pom.xml", "../pom.xml"), None);
        assert_eq!(
            parent_path("a/pom.xml", "../parent").as_deref(),
            Some("parent/pom.xml")
        );
        assert_eq!(gradle_scope(&["testRuntimeClasspath"]), Scope::Dev);
        assert_eq!(gradle_scope(&["annotationProcessor"]), Scope::Build);
        assert_eq!(
            gradle_scope(&["runtimeClasspath", "testRuntimeClasspath"]),
            Scope::Required
        );
    }
}
