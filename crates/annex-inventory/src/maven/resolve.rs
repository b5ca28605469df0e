//! The dependency graph as Maven 3.8 (Maven Resolver 1.6) resolves it from a project's
//! effective model:
//! - breadth-first from the direct dependencies, so the nearest declaration of a
//!   `groupId:artifactId:type:classifier` wins and, at equal depth, the first declared;
//!   only a winner's own dependencies are followed;
//! - the project's `dependencyManagement` (with its BOM imports) also sets the version and
//!   scope of transitive dependencies, and adds its exclusions at any depth;
//! - transitive `test` and `provided` dependencies are left out, and so are transitive
//!   `optional` ones; exclusions (`*` wildcards included) apply below the dependency that
//!   declares them;
//! - scopes follow Maven's table (a `compile` dependency of a `runtime` one is `runtime`, of
//!   a `test` one `test`, of a `provided` one `provided`); a transitive artifact reached
//!   along several paths takes the widest scope (`compile` > `runtime` > `system` >
//!   `provided` > `test`), a direct one keeps its own;
//! - ranges pick the highest version present in the local repository; relocations are
//!   followed to the artifact they name;
//! - when the project's own parent chain is incomplete, only its direct dependencies whose
//!   version the known POMs decide are listed (the missing ancestor could manage the rest),
//!   each with an unresolved note that its dependencies are unknown;
//! - an artifact whose POM is nowhere stays in the graph with its version (it was declared)
//!   and is listed as unresolved: its own dependencies are unknown.

use std::collections::{HashMap, VecDeque};
use std::rc::Rc;

use super::error::MavenError;
use super::model::{Dep, Effective, Models, Origin};
use super::repo::Sources;
use super::version;

/// Most artifacts in one graph.
const MAX_NODES: usize = 100_000;
/// Most relocations followed from one artifact.
const MAX_RELOCATIONS: usize = 8;

/// The hint given wherever a POM is missing.
pub const HINT: &str = "`mvn dependency:go-offline` fills the local repository; annex reads ~/.m2/repository or --maven-repo DIR";

/// One artifact of the resolved graph.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Node {
    pub group: String,
    pub artifact: String,
    pub version: String,
    pub typ: String,
    pub classifier: String,
    /// Maven scope: `compile`, `runtime`, `provided`, `test`, `system`.
    pub scope: String,
    pub optional: bool,
    /// 1 for a direct dependency.
    pub depth: usize,
    /// The node it was first reached from (`None`: the project), as in `dependency:tree`.
    pub parent: Option<usize>,
    /// The declaration that brought it in (a checkout POM for direct ones).
    pub path: String,
    pub line: u64,
    /// The checkout POM of a reactor module.
    pub module: Option<String>,
}

/// Something the graph could not include, with the reason and how to get it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Missing {
    pub name: String,
    pub requirement: String,
    pub path: String,
    pub line: u64,
}

/// The project and its resolved graph.
#[derive(Debug, Clone)]
pub struct Resolution {
    pub project: Effective,
    pub nodes: Vec<Node>,
    /// `(from, to)`: `None` is the project itself.
    pub edges: Vec<(Option<usize>, usize)>,
    pub missing: Vec<Missing>,
}

struct Item {
    dep: Dep,
    parent: Option<usize>,
    depth: usize,
    /// Exclusions of the dependencies above it.
    exclusions: Rc<Vec<(String, String)>>,
}

fn excluded(ex: &[(String, String)], g: &str, a: &str) -> bool {
    ex.iter()
        .any(|(eg, ea)| (eg == "*" || eg == g) && (ea == "*" || ea == a))
}

/// Maven's scope of a dependency declared `child` below one of scope `parent`.
fn derive(parent: &str, child: &str) -> String {
    match (parent, child) {
        (_, "test" | "system") => child,
        ("compile", _) => child,
        ("test" | "runtime", _) => parent,
        ("provided" | "system", _) => "provided",
        _ => "runtime",
    }
    .to_string()
}

fn width(scope: &str) -> u8 {
    match scope {
        "compile" => 5,
        "runtime" => 4,
        "system" => 3,
        "provided" => 2,
        _ => 1,
    }
}

/// The file extension and default classifier of a dependency type (Maven's artifact
/// handlers).
pub fn extension(typ: &str, classifier: &str) -> (String, String) {
    let (ext, cls) = match typ {
        "test-jar" => ("jar", "tests"),
        "java-source" => ("jar", "sources"),
        "javadoc" => ("jar", "javadoc"),
        "ejb-client" => ("jar", "client"),
        "jar" | "maven-plugin" | "ejb" | "bundle" => ("jar", ""),
        t => (t, ""),
    };
    let cls = if classifier.is_empty() {
        cls
    } else {
        classifier
    };
    (ext.to_string(), cls.to_string())
}

/// Resolve the checkout POM at `path`.
pub fn resolve(
    path: &str,
    text: &str,
    src: &Sources<'_>,
    user: &std::collections::BTreeMap<String, String>,
) -> Result<Resolution, MavenError> {
    let mut models = Models::new(src, user);
    models.index_reactor(path);
    let project = models.build_text(path, text);
    let project = match &*project {
        Ok(p) => p.clone(),
        Err(e) => return Err(e.clone()),
    };
    let mut missing: Vec<Missing> = Vec::new();
    let imports_note = match &project.missing_parent {
        Some(MavenError::MissingParent { coords, looked, .. }) => {
            Some(format!("needs parent {coords}: {looked}"))
        }
        _ => (!project.missing_imports.is_empty())
            .then(|| format!("needs BOM {}", project.missing_imports.join(", "))),
    };
    let managed: HashMap<String, &Dep> = project.managed.iter().map(|d| (d.key(), d)).collect();
    let mut nodes: Vec<Node> = Vec::new();
    let mut edges: Vec<(Option<usize>, usize)> = Vec::new();
    let mut winners: HashMap<String, usize> = HashMap::new();
    // (parent, declared scope, winner) of every path into a winner, for scopes.
    let mut arrivals: Vec<(Option<usize>, String, usize)> = Vec::new();
    let mut queue: VecDeque<Item> = project
        .deps
        .iter()
        .filter(|d| d.scope.as_deref() != Some("import"))
        .map(|d| Item {
            dep: d.clone(),
            parent: None,
            depth: 1,
            exclusions: Rc::new(Vec::new()),
        })
        .collect();
    while let Some(mut item) = queue.pop_front() {
        let key = item.dep.key();
        let m = managed.get(&key).copied();
        if item.depth >= 2
            && let Some(m) = m
        {
            if m.version.is_some() {
                item.dep.version = m.version.clone();
            }
            if m.scope.is_some() {
                item.dep.scope = m.scope.clone();
            }
        }
        let declared = item
            .dep
            .scope
            .clone()
            .unwrap_or_else(|| "compile".to_string());
        if let Some(&w) = winners.get(&key) {
            edges.push((item.parent, w));
            arrivals.push((item.parent, declared, w));
            continue;
        }
        let d = &item.dep;
        let name = format!("{}:{}", d.group, d.artifact);
        let Some(raw_version) = d.version.clone().filter(|v| !v.is_empty()) else {
            let why = match &imports_note {
                Some(n) => n.clone(),
                None => "no version, and none managed".to_string(),
            };
            missing.push(Missing {
                name,
                requirement: format!("({why}; {HINT})"),
                path: d.path.clone(),
                line: d.line,
            });
            continue;
        };
        if raw_version.contains("${") {
            missing.push(Missing {
                name,
                requirement: match &imports_note {
                    Some(n) => format!("{raw_version} (undefined property; {n}; {HINT})"),
                    None => format!("{raw_version} (undefined property)"),
                },
                path: d.path.clone(),
                line: d.line,
            });
            continue;
        }
        let mut v = raw_version.clone();
        if version::is_range(&raw_version) {
            let available = src.versions(&d.group, &d.artifact);
            match version::pick(&raw_version, &available) {
                Some(p) => v = p.clone(),
                None => {
                    missing.push(Missing {
                        name,
                        requirement: format!(
                            "{raw_version} (no version in range in the local repository; {HINT})"
                        ),
                        path: d.path.clone(),
                        line: d.line,
                    });
                    continue;
                }
            }
        }
        // Follow relocations.
        let (mut g, mut a) = (d.group.clone(), d.artifact.clone());
        let mut model = None;
        if declared != "system" {
            for _ in 0..=MAX_RELOCATIONS {
                let b = models.by_gav(&g, &a, &v);
                match b.as_deref() {
                    Some(Ok(e)) => {
                        if let Some((rg, ra, rv)) = e.relocation.clone()
                            && (&rg, &ra, &rv) != (&g, &a, &v)
                        {
                            (g, a, v) = (rg, ra, rv);
                            continue;
                        }
                        model = Some(Ok(e.clone()));
                    }
                    Some(Err(e)) => model = Some(Err(e.to_string())),
                    None => {}
                }
                break;
            }
        }
        if nodes.len() >= MAX_NODES {
            break;
        }
        let idx = nodes.len();
        let (path, line) = match item.parent {
            None => (d.path.clone(), d.line),
            Some(p) => (nodes[p].path.clone(), nodes[p].line),
        };
        nodes.push(Node {
            group: g.clone(),
            artifact: a.clone(),
            version: v.clone(),
            typ: d.typ.clone(),
            // A `test-jar` is the `tests` classifier of the jar (Maven's artifact handler).
            classifier: extension(&d.typ, &d.classifier).1,
            scope: declared.clone(),
            optional: d.optional,
            depth: item.depth,
            parent: item.parent,
            path,
            line,
            module: match &model {
                Some(Ok(e)) if e.origin == Origin::Checkout => Some(e.path.clone()),
                _ => None,
            },
        });
        winners.insert(key, idx);
        edges.push((item.parent, idx));
        arrivals.push((item.parent, declared.clone(), idx));
        // Why this artifact's own dependencies cannot be followed, if they cannot.
        // The project's own model is incomplete: what it manages for transitive
        // dependencies is not known either.
        let incomplete = imports_note
            .as_ref()
            .filter(|_| project.missing_parent.is_some() || !project.missing_imports.is_empty());
        let why = match (&model, incomplete) {
            (_, Some(n)) => Some(format!("unknown while the project {n}; {HINT}")),
            (Some(Ok(e)), None) => match (&e.missing_parent, e.missing_imports.first()) {
                (Some(p), _) => Some(format!("unknown, {p}; {HINT}")),
                (None, Some(b)) => Some(format!("unknown, BOM {b} is missing; {HINT}")),
                (None, None) => None,
            },
            (Some(Err(e)), None) => Some(format!("the POM could not be read: {e}")),
            (None, None) if declared == "system" => continue,
            (None, None) => Some(match src.local {
                Some(root) => format!("POM not in the checkout or in {}; {HINT}", root.display()),
                None => format!("POM not in the checkout, and no local Maven repository; {HINT}"),
            }),
        };
        if let Some(why) = why {
            missing.push(Missing {
                name: format!("{g}:{a}"),
                requirement: format!("{v} (its dependencies: {why})"),
                path: d.path.clone(),
                line: d.line,
            });
            continue;
        }
        let Some(Ok(e)) = model else { continue };
        let mut below: Vec<(String, String)> = (*item.exclusions).clone();
        below.extend(item.dep.exclusions.iter().cloned());
        if let Some(m) = m {
            below.extend(m.exclusions.iter().cloned());
        }
        let below = Rc::new(below);
        for c in &e.deps {
            let s = c.scope.as_deref().unwrap_or("compile");
            if matches!(s, "test" | "provided" | "import")
                || c.optional
                || excluded(&below, &c.group, &c.artifact)
            {
                continue;
            }
            queue.push_back(Item {
                dep: c.clone(),
                parent: Some(idx),
                depth: item.depth + 1,
                exclusions: below.clone(),
            });
        }
    }
    // Scopes: direct ones as declared; transitive ones the widest derived along their
    // paths. Computed from below (unknown first, widened until nothing changes) so that a
    // cycle cannot hold itself up at a scope no path from the project gives it.
    let mut scope: Vec<Option<String>> = nodes
        .iter()
        .map(|n| (n.depth == 1).then(|| n.scope.clone()))
        .collect();
    for _ in 0..=nodes.len().min(256) {
        let mut changed = false;
        for (parent, declared, w) in &arrivals {
            if nodes[*w].depth == 1 {
                continue;
            }
            let Some(s) = (match parent {
                None => Some(declared.clone()),
                Some(p) => scope[*p].as_deref().map(|ps| derive(ps, declared)),
            }) else {
                continue;
            };
            if scope[*w].as_ref().is_none_or(|c| width(&s) > width(c)) {
                scope[*w] = Some(s);
                changed = true;
            }
        }
        if !changed {
            break;
        }
    }
    for (n, s) in nodes.iter_mut().zip(scope) {
        if let Some(s) = s {
            n.scope = s;
        }
    }
    edges.sort();
    edges.dedup();
    Ok(Resolution {
        project,
        nodes,
        edges,
        missing,
    })
}
