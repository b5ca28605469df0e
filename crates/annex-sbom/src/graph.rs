//! The inventory flattened into one graph every writer renders: unique references across
//! subjects, one root (the described product), dependencies by reference, and the
//! completeness of each node's dependency list.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use annex_inventory::{Component, Hash, Inventory, Location, Scope, Source, Unresolved};

use crate::options::Options;

/// Reference of the synthetic product node.
pub(crate) const PROJECT_REF: &str = "annex:project";

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum Completeness {
    /// The node's dependency list is known to be complete.
    Complete,
    /// Some dependencies are known, more may exist.
    Incomplete,
    /// Nothing is known about the node's dependencies.
    Unknown,
}

impl Completeness {
    pub(crate) fn cyclonedx(self) -> &'static str {
        match self {
            Completeness::Complete => "complete",
            Completeness::Incomplete => "incomplete",
            Completeness::Unknown => "unknown",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NodeKind {
    /// Synthesised from [`Options::project`] or as the umbrella of several subjects.
    Project,
    /// `Subject::root`.
    SubjectRoot,
    Component,
}

#[derive(Debug, Clone)]
pub(crate) struct Node {
    pub bom_ref: String,
    pub kind: NodeKind,
    pub name: String,
    pub version: Option<String>,
    pub purl: Option<String>,
    pub scope: Scope,
    pub direct: bool,
    pub hashes: Vec<Hash>,
    pub licenses: Vec<String>,
    pub source: Option<Source>,
    pub location: Option<Location>,
    pub completeness: Completeness,
}

impl Node {
    fn from_component(c: &Component, bom_ref: String, kind: NodeKind, compl: Completeness) -> Node {
        let mut hashes = c.hashes.clone();
        hashes.sort();
        hashes.dedup();
        Node {
            bom_ref,
            kind,
            name: c.name.clone(),
            version: Some(c.version.clone()).filter(|v| !v.is_empty()),
            purl: Some(c.purl.clone()).filter(|p| !p.is_empty()),
            scope: c.scope,
            direct: c.direct,
            hashes,
            licenses: c.licenses.clone(),
            source: Some(c.source.clone()),
            location: Some(c.location.clone()),
            completeness: compl,
        }
    }
}

#[derive(Debug, Clone)]
pub(crate) struct Graph {
    /// The described product (CycloneDX `metadata.component`, SPDX `DESCRIBES`).
    pub root: Node,
    /// Every other node, sorted by reference.
    pub nodes: Vec<Node>,
    /// Dependencies by reference (the root included), targets sorted. A node with a
    /// known empty list has an entry with no targets.
    pub deps: BTreeMap<String, BTreeSet<String>>,
    /// Nodes nothing depends on (and not the root), by the node that holds them: the
    /// subject root or the product. Written as containment by SPDX, not at all by
    /// CycloneDX.
    pub contained: BTreeMap<String, BTreeSet<String>>,
    /// Requirements without a pinned version, with the subject path.
    pub unresolved: Vec<(String, Unresolved)>,
}

impl Node {
    /// The annex facts about a node, by name (sorted): `annex:direct`, `annex:scope`,
    /// `annex:source-file`, `annex:source-line`, `annex:source-path`.
    pub(crate) fn annex_properties(&self) -> Vec<(&'static str, String)> {
        let mut p = Vec::new();
        if self.kind != NodeKind::Project {
            p.push(("annex:direct", self.direct.to_string()));
            p.push(("annex:scope", scope_name(self.scope).to_string()));
        }
        if let Some(loc) = &self.location {
            p.push(("annex:source-file", loc.path.clone()));
            p.push(("annex:source-line", loc.line.to_string()));
        }
        if let Some(Source::Path { path }) = &self.source {
            p.push(("annex:source-path", path.clone()));
        }
        p.sort();
        p
    }
}

pub(crate) fn scope_name(s: Scope) -> &'static str {
    match s {
        Scope::Required => "required",
        Scope::Dev => "dev",
        Scope::Optional => "optional",
        Scope::Build => "build",
    }
}

pub(crate) fn scope_from_name(s: &str) -> Option<Scope> {
    Some(match s {
        "required" => Scope::Required,
        "dev" => Scope::Dev,
        "optional" => Scope::Optional,
        "build" => Scope::Build,
        _ => return None,
    })
}

impl Graph {
    pub(crate) fn node(&self, r: &str) -> Option<&Node> {
        if self.root.bom_ref == r {
            return Some(&self.root);
        }
        self.nodes
            .binary_search_by(|n| n.bom_ref.as_str().cmp(r))
            .ok()
            .map(|i| &self.nodes[i])
    }

    /// Root first, then the others in reference order.
    pub(crate) fn all(&self) -> impl Iterator<Item = &Node> {
        std::iter::once(&self.root).chain(self.nodes.iter())
    }
}

pub(crate) fn build(inv: &Inventory, opts: &Options) -> Graph {
    let mut subjects: Vec<&annex_inventory::Subject> = inv.subjects.iter().collect();
    subjects.sort_by(|a, b| a.path.cmp(&b.path));

    // How often each id occurs over all subjects (roots and components).
    let mut count: HashMap<&str, usize> = HashMap::new();
    for s in &subjects {
        if let Some(r) = &s.root {
            *count.entry(r.id.as_str()).or_default() += 1;
        }
        for c in &s.components {
            *count.entry(c.id.as_str()).or_default() += 1;
        }
    }
    let unique_ref = |id: &str, path: &str| -> String {
        if count.get(id).copied().unwrap_or(0) > 1 || id == PROJECT_REF {
            format!("{id}|{path}")
        } else {
            id.to_string()
        }
    };

    let single_root = opts.project.is_none() && subjects.len() == 1 && subjects[0].root.is_some();

    let mut nodes: BTreeMap<String, Node> = BTreeMap::new();
    let mut deps: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut contained: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    let mut unresolved = Vec::new();
    let mut root: Option<Node> = None;
    let mut project_deps: BTreeSet<String> = BTreeSet::new();
    // What each subject knows about the dependencies of its holder (root or product).
    let mut holder_compls: Vec<Completeness> = Vec::new();

    for s in &subjects {
        let compl = if s.edges_complete && s.unresolved.is_empty() {
            Completeness::Complete
        } else if !s.edges.is_empty() {
            Completeness::Incomplete
        } else {
            Completeness::Unknown
        };
        // The holder's own list is known only when the subject says which components are
        // direct (a lock that records no root, such as poetry.lock alone, does not).
        let root_has_edges = s
            .root
            .as_ref()
            .is_some_and(|r| s.edges.iter().any(|e| e.from == r.id));
        let direct_known =
            s.components.is_empty() || root_has_edges || s.components.iter().any(|c| c.direct);
        let holder_compl = if direct_known {
            compl
        } else {
            Completeness::Unknown
        };
        holder_compls.push(holder_compl);
        // id → ref within this subject; components win over a root with the same id.
        let mut local: HashMap<&str, String> = HashMap::new();
        let mut comp_refs = Vec::new();
        for c in &s.components {
            let mut r = unique_ref(&c.id, &s.path);
            while nodes.contains_key(&r) {
                r.push('~');
            }
            local.insert(c.id.as_str(), r.clone());
            comp_refs.push(r.clone());
            nodes.insert(
                r.clone(),
                Node::from_component(c, r, NodeKind::Component, compl),
            );
        }
        let root_ref = s.root.as_ref().map(|rc| {
            let mut r = unique_ref(&rc.id, &s.path);
            while nodes.contains_key(&r) || local.values().any(|v| *v == r) {
                r.push('~');
            }
            let node = Node::from_component(rc, r.clone(), NodeKind::SubjectRoot, holder_compl);
            if single_root {
                root = Some(node);
            } else {
                nodes.insert(r.clone(), node);
            }
            local.entry(rc.id.as_str()).or_insert_with(|| r.clone());
            r
        });

        // Edges.
        let mut incoming: BTreeSet<String> = BTreeSet::new();
        for e in &s.edges {
            let (Some(f), Some(t)) = (local.get(e.from.as_str()), local.get(e.to.as_str())) else {
                continue;
            };
            if f == t {
                continue;
            }
            deps.entry(f.clone()).or_default().insert(t.clone());
            incoming.insert(t.clone());
        }
        // The holder of this subject's direct dependencies: its root, else the product.
        let holder = root_ref.clone();
        let holder_has_edges = holder.as_ref().is_some_and(|h| deps.contains_key(h));
        if !holder_has_edges {
            let direct: BTreeSet<String> = s
                .components
                .iter()
                .filter(|c| c.direct)
                .map(|c| local[c.id.as_str()].clone())
                .collect();
            for d in &direct {
                incoming.insert(d.clone());
            }
            match &holder {
                Some(h) => {
                    if !direct.is_empty() || holder_compl == Completeness::Complete {
                        deps.entry(h.clone()).or_default().extend(direct);
                    }
                }
                None => project_deps.extend(direct),
            }
        }
        if let Some(h) = &root_ref {
            project_deps.insert(h.clone());
            incoming.insert(h.clone());
        }
        // Leaves of a complete graph: known to have no dependencies.
        if compl == Completeness::Complete {
            for r in &comp_refs {
                deps.entry(r.clone()).or_default();
            }
        }
        if holder_compl == Completeness::Complete
            && let Some(h) = &root_ref
        {
            deps.entry(h.clone()).or_default();
        }
        let holder_ref = root_ref.clone().unwrap_or_else(|| PROJECT_REF.to_string());
        for r in &comp_refs {
            if !incoming.contains(r) {
                contained
                    .entry(holder_ref.clone())
                    .or_default()
                    .insert(r.clone());
            }
        }
        for u in &s.unresolved {
            unresolved.push((s.path.clone(), u.clone()));
        }
    }

    let root = match root {
        Some(r) => {
            // The single subject root: its holder key was its own ref already.
            r
        }
        None => {
            let (name, version, purl) = match &opts.project {
                Some(p) => (p.name.clone(), p.version.clone(), p.purl.clone()),
                None => ("project".to_string(), None, None),
            };
            // The product's list is complete only when every subject's is: nothing read,
            // or nothing known about a subject's direct dependencies, is not "complete".
            let completeness = if holder_compls.is_empty()
                || holder_compls.iter().all(|c| *c == Completeness::Unknown)
            {
                Completeness::Unknown
            } else if holder_compls.iter().all(|c| *c == Completeness::Complete) {
                Completeness::Complete
            } else {
                Completeness::Incomplete
            };
            // An empty list would state "no dependencies": only when that is known.
            if !project_deps.is_empty() || completeness == Completeness::Complete {
                deps.insert(PROJECT_REF.to_string(), project_deps);
            }
            Node {
                bom_ref: PROJECT_REF.to_string(),
                kind: NodeKind::Project,
                name,
                version,
                purl,
                scope: Scope::Required,
                direct: false,
                hashes: Vec::new(),
                licenses: Vec::new(),
                source: None,
                location: None,
                completeness,
            }
        }
    };
    // Containment of nodes nobody depends on is held by the product when the subject
    // has no root; with a single subject root that root is the product.
    if root.kind != NodeKind::Project
        && let Some(v) = contained.remove(PROJECT_REF)
    {
        contained.entry(root.bom_ref.clone()).or_default().extend(v);
    }
    contained.retain(|_, v| !v.is_empty());
    unresolved.sort_by(|a, b| {
        (a.0.as_str(), &a.1.name, &a.1.requirement).cmp(&(
            b.0.as_str(),
            &b.1.name,
            &b.1.requirement,
        ))
    });

    Graph {
        root,
        nodes: nodes.into_values().collect(),
        deps,
        contained,
        unresolved,
    }
}
