//! The component builder every parser uses: defaults, duplicate merging, ids, sorting.

use crate::model::{Component, Edge, Location, Scope, Source, Subject, Unresolved};

/// A component with the defaults: required scope, not direct, no hashes or licences,
/// registry source.
pub fn component(
    ecosystem: &str,
    name: &str,
    version: &str,
    purl: String,
    path: &str,
    line: u64,
) -> Component {
    Component {
        id: String::new(),
        ecosystem: ecosystem.to_string(),
        name: name.to_string(),
        version: version.to_string(),
        purl,
        scope: Scope::Required,
        direct: false,
        hashes: Vec::new(),
        licenses: Vec::new(),
        source: Source::Registry { url: None },
        location: Location {
            path: path.to_string(),
            line,
        },
    }
}

/// Index of the root component in [`Builder::edge`].
pub const ROOT: usize = usize::MAX;

/// Collects a subject's components and edges; [`Builder::finish`] merges duplicates (same
/// purl and source: strongest scope, `direct` if any, hashes united, first location),
/// assigns ids (the purl; `~2`, `~3`, … when a purl repeats with another source), and sorts.
pub struct Builder {
    pub path: String,
    pub ecosystem: String,
    pub format: String,
    pub root: Option<Component>,
    pub edges_complete: bool,
    pub unresolved: Vec<Unresolved>,
    components: Vec<Component>,
    edges: Vec<(usize, usize, Scope)>,
}

/// Rank for merging: a package needed at run time outranks one needed to build, which
/// outranks an optional one, which outranks a development-only one.
fn scope_rank(s: Scope) -> u8 {
    match s {
        Scope::Required => 3,
        Scope::Build => 2,
        Scope::Optional => 1,
        Scope::Dev => 0,
    }
}

/// The stronger of two scopes (see [`Builder`]).
pub fn stronger(a: Scope, b: Scope) -> Scope {
    if scope_rank(a) >= scope_rank(b) { a } else { b }
}

impl Builder {
    pub fn new(path: &str, ecosystem: &str, format: impl Into<String>) -> Self {
        Builder {
            path: path.to_string(),
            ecosystem: ecosystem.to_string(),
            format: format.into(),
            root: None,
            edges_complete: false,
            unresolved: Vec::new(),
            components: Vec::new(),
            edges: Vec::new(),
        }
    }

    /// Add a component; returns its index for [`Builder::edge`].
    pub fn push(&mut self, c: Component) -> usize {
        self.components.push(c);
        self.components.len() - 1
    }

    pub fn get_mut(&mut self, i: usize) -> Option<&mut Component> {
        self.components.get_mut(i)
    }

    pub fn components(&self) -> &[Component] {
        &self.components
    }

    /// An edge between two indices from [`Builder::push`] ([`ROOT`] for the root).
    pub fn edge(&mut self, from: usize, to: usize) {
        self.edges.push((from, to, Scope::Required));
    }

    /// [`Builder::edge`] of a given kind (`Dev` for a development-only dependency).
    pub fn edge_scoped(&mut self, from: usize, to: usize, scope: Scope) {
        self.edges.push((from, to, scope));
    }

    /// Scopes and `direct` from the roots (`(index, scope of that dependency)`): the roots
    /// are direct; every component reachable from a root gets the strongest scope among the
    /// roots reaching it (see [`stronger`]). Components no root reaches keep theirs.
    pub fn propagate_scopes(&mut self, roots: &[(usize, Scope)]) {
        let n = self.components.len();
        let mut adjacency: Vec<Vec<usize>> = vec![Vec::new(); n];
        for &(f, t, _) in &self.edges {
            if f < n && t < n {
                adjacency[f].push(t);
            }
        }
        let mut best: Vec<Option<Scope>> = vec![None; n];
        let mut queue: Vec<(usize, Scope)> = Vec::new();
        for &(i, s) in roots {
            if let Some(c) = self.components.get_mut(i) {
                c.direct = true;
                queue.push((i, s));
            }
        }
        while let Some((i, s)) = queue.pop() {
            let better = best[i].is_none_or(|old| stronger(old, s) != old);
            if !better {
                continue;
            }
            best[i] = Some(s);
            for &t in &adjacency[i] {
                queue.push((t, s));
            }
        }
        for (c, s) in self.components.iter_mut().zip(best) {
            if let Some(s) = s {
                c.scope = s;
            }
        }
    }

    pub fn unresolved(&mut self, name: &str, requirement: &str, line: u64) {
        self.unresolved.push(Unresolved {
            name: name.to_string(),
            requirement: requirement.to_string(),
            location: Location {
                path: self.path.clone(),
                line,
            },
        });
    }

    /// Merge, identify, sort: see [`Builder`] and [`identify`].
    pub fn finish(self) -> Subject {
        let Builder {
            path,
            ecosystem,
            format,
            mut root,
            edges_complete,
            mut unresolved,
            components,
            edges,
        } = self;
        let components: Vec<Component> = components.into_iter().map(identify).collect();
        // Merge duplicates.
        let mut merged: Vec<Component> = Vec::with_capacity(components.len());
        let mut by_key: std::collections::HashMap<(String, Source), usize> =
            std::collections::HashMap::with_capacity(components.len());
        let mut remap = Vec::with_capacity(components.len());
        for c in components {
            let key = (id_base(&c), c.source.clone());
            match by_key.get(&key) {
                Some(&i) => {
                    let m = &mut merged[i];
                    m.scope = stronger(m.scope, c.scope);
                    m.direct |= c.direct;
                    for h in c.hashes {
                        if !m.hashes.contains(&h) {
                            m.hashes.push(h);
                        }
                    }
                    for l in c.licenses {
                        if !m.licenses.contains(&l) {
                            m.licenses.push(l);
                        }
                    }
                    if c.location.line < m.location.line {
                        m.location = c.location;
                    }
                    remap.push(i);
                }
                None => {
                    by_key.insert(key, merged.len());
                    remap.push(merged.len());
                    merged.push(c);
                }
            }
        }
        // Sort and assign ids.
        let mut order: Vec<usize> = (0..merged.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&merged[a], &merged[b]);
            (&x.name, &x.version, &x.purl, &x.source, &x.location).cmp(&(
                &y.name,
                &y.version,
                &y.purl,
                &y.source,
                &y.location,
            ))
        });
        let mut ids = vec![String::new(); merged.len()];
        let bases: Vec<String> = merged.iter().map(id_base).collect();
        let mut seen: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for &i in &order {
            let n = seen.entry(bases[i].as_str()).or_insert(0);
            *n += 1;
            ids[i] = if *n == 1 {
                bases[i].clone()
            } else {
                format!("{}~{}", bases[i], n)
            };
        }
        if let Some(r) = root.as_mut()
            && r.id.is_empty()
        {
            r.id = r.purl.clone();
        }
        let root_id = root.as_ref().map(|r| r.id.clone());
        let id_of = |i: usize| -> Option<String> {
            if i == ROOT {
                root_id.clone()
            } else {
                remap.get(i).map(|&m| ids[m].clone())
            }
        };
        let mut out_edges: Vec<Edge> = edges
            .into_iter()
            .filter_map(|(f, t, scope)| {
                Some(Edge {
                    from: id_of(f)?,
                    to: id_of(t)?,
                    scope,
                })
            })
            .filter(|e| e.from != e.to)
            .collect();
        out_edges.sort();
        // One edge per pair, of the strongest kind declared.
        out_edges.dedup_by(|later, kept| {
            let same = later.from == kept.from && later.to == kept.to;
            if same {
                kept.scope = stronger(kept.scope, later.scope);
            }
            same
        });
        let mut out: Vec<Component> = Vec::with_capacity(merged.len());
        let mut slots: Vec<Option<Component>> = merged.into_iter().map(Some).collect();
        for &i in &order {
            if let Some(mut c) = slots[i].take() {
                c.id = std::mem::take(&mut ids[i]);
                c.hashes.sort();
                out.push(c);
            }
        }
        unresolved.sort();
        unresolved.dedup();
        Subject {
            path,
            ecosystem,
            format,
            root,
            components: out,
            edges: out_edges,
            edges_complete,
            unresolved,
        }
    }
}

/// One identity per kind of source, whatever the format:
/// - a local package (path source: a workspace member, a path or `file:` dependency) has
///   no purl: a registry purl would claim it is the published package of that name, and
///   collide with it when both are in the graph;
/// - a git package has its purl with the `vcs_url` qualifier `git+<url>@<rev>`.
fn identify(mut c: Component) -> Component {
    match &c.source {
        Source::Path { .. } => c.purl.clear(),
        Source::Git { url, rev } => {
            if let Some(mut p) = annex_types::purl::parse_lenient(&c.purl) {
                let mut vcs = if url.starts_with("git+") || url.starts_with("git://") {
                    url.clone()
                } else {
                    format!("git+{url}")
                };
                if let Some(r) = rev.as_deref().filter(|r| !r.is_empty()) {
                    vcs.push('@');
                    vcs.push_str(r);
                }
                p.qualifiers.retain(|(k, _)| k != "vcs_url");
                p.qualifiers.push(("vcs_url".to_string(), vcs));
                p.qualifiers.sort();
                c.purl = p.to_string();
            }
        }
        Source::Registry { .. } | Source::Url { .. } => {}
    }
    c
}

/// What a component's id is made from: its purl, or for a local package (no purl)
/// `local:<ecosystem>/<name>@<version>` with its path, so that it never equals a
/// registry package's id.
fn id_base(c: &Component) -> String {
    match &c.source {
        Source::Path { path } if c.purl.is_empty() => {
            format!("local:{}/{}@{}#{}", c.ecosystem, c.name, c.version, path)
        }
        _ => c.purl.clone(),
    }
}

/// What a parser knows about one component.
pub(crate) struct Part<'a> {
    pub name: &'a str,
    pub version: &'a str,
    pub purl: String,
    pub scope: Scope,
    pub direct: bool,
    pub line: u64,
}

/// A component at `path` (registry source, no hashes or licences yet).
pub(crate) fn make(b: &Builder, p: Part<'_>) -> Component {
    let mut c = component(&b.ecosystem, p.name, p.version, p.purl, &b.path, p.line);
    c.scope = p.scope;
    c.direct = p.direct;
    c
}
