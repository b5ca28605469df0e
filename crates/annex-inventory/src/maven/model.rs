//! The effective model of a POM, built as Maven's model builder does: the parent chain
//! (`relativePath` in the checkout, then the local repository), inheritance (coordinates,
//! properties, `dependencyManagement`, `dependencies`; not modules, packaging or
//! relocation), interpolation (`project.*`/`pom.*`, the user's properties, then the model's
//! properties; CI-friendly `${revision}`, `${sha1}`, `${changelist}` are ordinary
//! properties), BOM imports (`<scope>import</scope>` entries of `dependencyManagement`, in
//! order, the first definition winning), then management injection into the dependencies.

use std::collections::{BTreeMap, HashMap};
use std::rc::Rc;

use super::error::MavenError;
use super::interpolate::{Prop, interpolate};
use super::pom::{self, DepDecl, RawPom};
use super::repo::Sources;
use crate::parse::relative::push_segments;

/// Deepest chain of parent POMs followed.
pub const MAX_PARENT_DEPTH: usize = 32;
/// Deepest chain of BOM imports followed.
pub const MAX_IMPORT_DEPTH: usize = 32;
/// Most reactor modules indexed.
const MAX_MODULES: usize = 10_000;

/// A dependency of the effective model: interpolated, managed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Dep {
    pub group: String,
    pub artifact: String,
    pub version: Option<String>,
    pub scope: Option<String>,
    pub typ: String,
    pub classifier: String,
    pub optional: bool,
    pub exclusions: Vec<(String, String)>,
    pub path: String,
    pub line: u64,
}

impl Dep {
    /// `groupId:artifactId:type:classifier`, the key of management and conflicts.
    pub fn key(&self) -> String {
        format!(
            "{}:{}:{}:{}",
            self.group, self.artifact, self.typ, self.classifier
        )
    }
}

/// Where a POM was read from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Origin {
    Checkout,
    Repository,
}

/// A POM's effective model.
#[derive(Debug, Clone)]
pub struct Effective {
    pub path: String,
    pub line: u64,
    pub origin: Origin,
    pub group: String,
    pub artifact: String,
    pub version: String,
    pub packaging: String,
    pub deps: Vec<Dep>,
    pub managed: Vec<Dep>,
    /// `(groupId, artifactId, version)` this artifact moved to.
    pub relocation: Option<(String, String, String)>,
    /// BOMs imported but not found, as `g:a:v (path:line)`.
    pub missing_imports: Vec<String>,
    /// The ancestor that could not be found ([`MavenError::MissingParent`]): the model is
    /// then built from the POMs below it, which is right for what they define (nearer
    /// definitions win) and silent about the rest.
    pub missing_parent: Option<MavenError>,
}

/// `a/b/../c` → `a/c`; `None` above the root.
pub fn normalize(p: &str) -> Option<String> {
    let mut out: Vec<&str> = Vec::new();
    push_segments(&mut out, p.split(['/', '\\']))?;
    Some(out.join("/"))
}

/// The POM a `relativePath` or `<module>` names, relative to the POM at `from`.
pub fn pom_at(from: &str, relative: &str) -> Option<String> {
    if relative.is_empty() || relative.starts_with('/') || relative.contains(':') {
        return None;
    }
    let dir = from.rfind('/').map_or("", |i| &from[..i]);
    let joined = if dir.is_empty() {
        relative.to_string()
    } else {
        format!("{dir}/{relative}")
    };
    let joined = if joined.ends_with(".xml") {
        joined
    } else {
        format!("{}/pom.xml", joined.trim_end_matches('/'))
    };
    normalize(&joined)
}

type Built = Rc<Result<Effective, MavenError>>;
/// A POM's parent chain, nearest first, and the ancestor that could not be found.
type Lineage = (Vec<(RawPom, Origin)>, Option<MavenError>);

/// Builds and caches effective models from the [`Sources`].
pub struct Models<'a> {
    src: &'a Sources<'a>,
    user: &'a BTreeMap<String, String>,
    by_path: HashMap<String, Built>,
    by_gav: HashMap<(String, String, String), Option<Built>>,
    /// `(groupId, artifactId)` → checkout path of the reactor module.
    reactor: BTreeMap<(String, String), String>,
    importing: Vec<String>,
}

fn own_group(r: &RawPom) -> Option<&str> {
    r.group
        .as_deref()
        .or(r.parent.as_ref().map(|p| p.group.as_str()))
}

fn own_version(r: &RawPom) -> Option<&str> {
    r.version
        .as_deref()
        .or(r.parent.as_ref().map(|p| p.version.as_str()))
}

/// Merge by key: `near` entries first, then `far` ones not redefined (Maven's inheritance).
fn merge(near: &[DepDecl], far: Vec<DepDecl>) -> Vec<DepDecl> {
    let mut out: Vec<DepDecl> = near.to_vec();
    let keys: std::collections::HashSet<String> = out.iter().map(DepDecl::key).collect();
    out.extend(far.into_iter().filter(|d| !keys.contains(&d.key())));
    out
}

impl<'a> Models<'a> {
    pub fn new(src: &'a Sources<'a>, user: &'a BTreeMap<String, String>) -> Self {
        Models {
            src,
            user,
            by_path: HashMap::new(),
            by_gav: HashMap::new(),
            reactor: BTreeMap::new(),
            importing: Vec::new(),
        }
    }

    fn read_checkout(&self, path: &str) -> Option<Result<RawPom, MavenError>> {
        let text = (self.src.checkout)(path)?;
        Some(pom::read(path, &text, self.user).map_err(MavenError::from))
    }

    /// Index the reactor: the modules reachable from the checkout's root `pom.xml` and
    /// from the top of `subject`'s parent chain in the checkout.
    pub fn index_reactor(&mut self, subject: &str) {
        let mut starts = vec!["pom.xml".to_string(), subject.to_string()];
        // The top of the chain of parents inside the checkout.
        let mut cur = subject.to_string();
        for _ in 0..MAX_PARENT_DEPTH {
            let Some(Ok(raw)) = self.read_checkout(&cur) else {
                break;
            };
            let Some(next) = raw
                .parent
                .as_ref()
                .and_then(|p| p.relative.as_deref())
                .and_then(|r| pom_at(&cur, r))
            else {
                break;
            };
            if (self.src.checkout)(&next).is_none() {
                break;
            }
            starts.push(next.clone());
            cur = next;
        }
        let mut seen: std::collections::HashSet<String> = std::collections::HashSet::new();
        let mut queue: std::collections::VecDeque<String> = starts.into_iter().collect();
        while let Some(p) = queue.pop_front() {
            if seen.len() >= MAX_MODULES || !seen.insert(p.clone()) {
                continue;
            }
            let Some(Ok(raw)) = self.read_checkout(&p) else {
                continue;
            };
            if let (Some(g), Some(a)) = (own_group(&raw), raw.artifact.as_deref()) {
                self.reactor
                    .entry((g.to_string(), a.to_string()))
                    .or_insert_with(|| p.clone());
            }
            queue.extend(raw.modules.iter().filter_map(|m| pom_at(&p, m)));
        }
    }

    /// The reactor module `(groupId, artifactId)`, if the checkout has one.
    pub fn reactor_module(&self, group: &str, artifact: &str) -> Option<&str> {
        self.reactor
            .get(&(group.to_string(), artifact.to_string()))
            .map(String::as_str)
    }

    /// The effective model of the checkout POM at `path` with text `text`.
    pub fn build_text(&mut self, path: &str, text: &str) -> Built {
        if let Some(b) = self.by_path.get(path) {
            return b.clone();
        }
        let built = Rc::new(
            pom::read(path, text, self.user)
                .map_err(MavenError::from)
                .and_then(|raw| self.build(raw, Origin::Checkout)),
        );
        self.by_path.insert(path.to_string(), built.clone());
        built
    }

    /// The effective model of `group:artifact:version`: the reactor module of those
    /// coordinates, else the local repository's POM; `None` when neither has it.
    pub fn by_gav(&mut self, group: &str, artifact: &str, version: &str) -> Option<Built> {
        let key = (group.to_string(), artifact.to_string(), version.to_string());
        if let Some(b) = self.by_gav.get(&key) {
            return b.clone();
        }
        let mut found = None;
        if let Some(path) = self.reactor_module(group, artifact).map(str::to_string)
            && let Some(text) = (self.src.checkout)(&path)
        {
            let b = self.build_text(&path, &text);
            if matches!(&*b, Ok(e) if e.version == version) {
                found = Some(b);
            }
        }
        if found.is_none()
            && let Some((label, text)) = self.src.local_pom(group, artifact, version)
        {
            found = Some(Rc::new(
                pom::read(&label, &text, self.user)
                    .map_err(MavenError::from)
                    .and_then(|raw| self.build(raw, Origin::Repository)),
            ));
        }
        self.by_gav.insert(key, found.clone());
        found
    }

    /// The chain `[raw, parent, grandparent, …]` with each one's origin.
    fn lineage(&mut self, raw: RawPom, origin: Origin) -> Result<Lineage, MavenError> {
        let mut chain: Vec<(RawPom, Origin)> = Vec::new();
        let mut next = Some((raw, origin));
        while let Some((pom, pom_origin)) = next.take() {
            let parent = pom.parent.clone();
            chain.push((pom, pom_origin));
            let (cur, cur_origin) = (&chain[chain.len() - 1].0, pom_origin);
            let Some(p) = parent else { break };
            if chain.len() > MAX_PARENT_DEPTH {
                return Err(MavenError::TooDeep {
                    path: cur.path.clone(),
                    line: p.line,
                    what: "parent POMs",
                    limit: MAX_PARENT_DEPTH,
                });
            }
            let cur_path = cur.path.clone();
            let mut looked: Vec<String> = Vec::new();
            let mut found: Option<(RawPom, Origin)> = None;
            // The checkout first, for a POM of the checkout (Maven ignores relativePath
            // in repository POMs).
            if cur_origin == Origin::Checkout
                && let Some(pp) = p.relative.as_deref().and_then(|r| pom_at(&cur_path, r))
            {
                looked.push(format!("not at {pp}"));
                if let Some(r) = self.read_checkout(&pp) {
                    let r = r?;
                    let matches = own_group(&r) == Some(p.group.as_str())
                        && r.artifact.as_deref() == Some(p.artifact.as_str())
                        && (p.version.contains("${")
                            || own_version(&r) == Some(p.version.as_str()));
                    if matches {
                        found = Some((r, Origin::Checkout));
                    } else {
                        looked.pop();
                        looked.push(format!("{pp} is another project"));
                    }
                }
            }
            if found.is_none() {
                let props: BTreeMap<String, Prop> = self
                    .user
                    .iter()
                    .map(|(k, v)| {
                        (
                            k.clone(),
                            Prop {
                                value: v.clone(),
                                path: cur_path.clone(),
                                line: p.line,
                            },
                        )
                    })
                    .collect();
                let v = interpolate(&p.version, &|k| props.get(k))?;
                match self.src.local_pom(&p.group, &p.artifact, &v) {
                    Some((label, text)) => {
                        found = Some((pom::read(&label, &text, self.user)?, Origin::Repository));
                    }
                    None => looked.push(match self.src.local {
                        Some(root) => format!("not in the local repository {}", root.display()),
                        None => "no local Maven repository".to_string(),
                    }),
                }
            }
            let Some((found_pom, o)) = found else {
                let missing = MavenError::MissingParent {
                    path: cur_path,
                    line: p.line,
                    coords: format!("{}:{}:{}", p.group, p.artifact, p.version),
                    looked: looked.join("; "),
                };
                return Ok((chain, Some(missing)));
            };
            if chain.iter().any(|(r, _)| r.path == found_pom.path) {
                let mut names: Vec<String> = chain.iter().map(|(r, _)| r.path.clone()).collect();
                names.push(found_pom.path.clone());
                return Err(MavenError::ParentCycle {
                    path: cur_path,
                    line: p.line,
                    chain: names.join(" → "),
                });
            }
            next = Some((found_pom, o));
        }
        Ok((chain, None))
    }

    fn build(&mut self, raw: RawPom, origin: Origin) -> Result<Effective, MavenError> {
        let (path, line, artifact) = (raw.path.clone(), raw.line, raw.artifact.clone());
        let packaging = raw.packaging.clone().unwrap_or_else(|| "jar".to_string());
        let relocation = raw.relocation.clone();
        let (chain, missing_parent) = self.lineage(raw, origin)?;
        // Inheritance, farthest ancestor first.
        let (mut group, mut version) = (String::new(), String::new());
        let mut props: BTreeMap<String, Prop> = BTreeMap::new();
        let mut managed: Vec<DepDecl> = Vec::new();
        let mut deps: Vec<DepDecl> = Vec::new();
        for (r, _) in chain.iter().rev() {
            // A child without its own inherits; the farthest one found, when its own parent
            // is missing, takes what its `<parent>` says.
            if let Some(g) = &r.group {
                group = g.clone();
            } else if group.is_empty()
                && let Some(p) = &r.parent
            {
                group = p.group.clone();
            }
            if let Some(v) = &r.version {
                version = v.clone();
            } else if version.is_empty()
                && let Some(p) = &r.parent
            {
                version = p.version.clone();
            }
            for (k, v, l) in &r.props {
                props.insert(
                    k.clone(),
                    Prop {
                        value: v.clone(),
                        path: r.path.clone(),
                        line: *l,
                    },
                );
            }
            managed = merge(&r.managed, managed);
            deps = merge(&r.deps, deps);
        }
        let artifact = artifact.unwrap_or_default();
        let me = |v: &str| Prop {
            value: v.to_string(),
            path: path.clone(),
            line,
        };
        for (k, v) in self.user {
            props.insert(k.clone(), me(v));
        }
        let mut model: BTreeMap<String, Prop> = BTreeMap::new();
        for prefix in ["project.", "pom."] {
            model.insert(format!("{prefix}groupId"), me(&group));
            model.insert(format!("{prefix}artifactId"), me(&artifact));
            model.insert(format!("{prefix}version"), me(&version));
            model.insert(format!("{prefix}packaging"), me(&packaging));
            // As the `<parent>` declares it (what it found, or what is missing).
            if let Some(p) = chain.first().and_then(|(r, _)| r.parent.as_ref()) {
                model.insert(format!("{prefix}parent.groupId"), me(&p.group));
                model.insert(format!("{prefix}parent.artifactId"), me(&p.artifact));
                model.insert(format!("{prefix}parent.version"), me(&p.version));
            }
        }
        // Deprecated unprefixed forms, below the properties.
        for (k, v) in [
            ("groupId", &group),
            ("artifactId", &artifact),
            ("version", &version),
        ] {
            props.entry(k.to_string()).or_insert_with(|| me(v));
        }
        let lookup = |k: &str| model.get(k).or_else(|| props.get(k));
        let ip = |s: &str| interpolate(s, &lookup);
        let ipo = |s: &Option<String>| s.as_deref().map(ip).transpose();
        let dep = |d: &DepDecl| -> Result<Dep, MavenError> {
            Ok(Dep {
                group: ip(&d.group)?,
                artifact: ip(&d.artifact)?,
                version: ipo(&d.version)?,
                scope: ipo(&d.scope)?,
                typ: ipo(&d.typ)?.unwrap_or_else(|| "jar".to_string()),
                classifier: ipo(&d.classifier)?.unwrap_or_default(),
                optional: ipo(&d.optional)?.as_deref() == Some("true"),
                exclusions: d
                    .exclusions
                    .iter()
                    .map(|(g, a)| Ok((ip(g)?, ip(a)?)))
                    .collect::<Result<_, MavenError>>()?,
                path: d.path.clone(),
                line: d.line,
            })
        };
        let mut eff = Effective {
            path: path.clone(),
            line,
            origin,
            group: ip(&group)?,
            artifact: ip(&artifact)?,
            version: ip(&version)?,
            packaging,
            deps: deps.iter().map(dep).collect::<Result<_, _>>()?,
            managed: Vec::new(),
            relocation: None,
            missing_imports: Vec::new(),
            missing_parent,
        };
        if let Some(r) = relocation {
            eff.relocation = Some((
                ipo(&r.group)?.unwrap_or_else(|| eff.group.clone()),
                ipo(&r.artifact)?.unwrap_or_else(|| eff.artifact.clone()),
                ipo(&r.version)?.unwrap_or_else(|| eff.version.clone()),
            ));
        }
        let all_managed: Vec<Dep> = managed.iter().map(dep).collect::<Result<_, _>>()?;
        let (imports, mut own): (Vec<Dep>, Vec<Dep>) = all_managed
            .into_iter()
            .partition(|d| d.scope.as_deref() == Some("import") && d.typ == "pom");
        // BOM imports, in order; what the POM manages itself wins, then the first import.
        for imp in imports {
            let coords = format!(
                "{}:{}:{}",
                imp.group,
                imp.artifact,
                imp.version.as_deref().unwrap_or("")
            );
            if self.importing.contains(&coords) {
                let mut chain = self.importing.clone();
                chain.push(coords);
                return Err(MavenError::ImportCycle {
                    path: imp.path.clone(),
                    line: imp.line,
                    chain: chain.join(" → "),
                });
            }
            if self.importing.len() >= MAX_IMPORT_DEPTH {
                return Err(MavenError::TooDeep {
                    path: imp.path.clone(),
                    line: imp.line,
                    what: "BOM imports",
                    limit: MAX_IMPORT_DEPTH,
                });
            }
            let Some(v) = imp.version.clone() else {
                eff.missing_imports
                    .push(format!("{coords} ({}:{}: no version)", imp.path, imp.line));
                continue;
            };
            self.importing.push(coords.clone());
            let bom = self.by_gav(&imp.group, &imp.artifact, &v);
            self.importing.pop();
            match bom.as_deref() {
                Some(Ok(b)) => {
                    let keys: std::collections::HashSet<String> =
                        own.iter().map(Dep::key).collect();
                    let add: Vec<Dep> = b
                        .managed
                        .iter()
                        .filter(|d| !keys.contains(&d.key()))
                        .cloned()
                        .collect();
                    own.extend(add);
                    eff.missing_imports
                        .extend(b.missing_imports.iter().cloned());
                }
                Some(Err(e @ (MavenError::ImportCycle { .. } | MavenError::TooDeep { .. }))) => {
                    return Err(e.clone());
                }
                Some(Err(e)) => eff.missing_imports.push(format!("{coords} ({e})")),
                None => eff.missing_imports.push(format!(
                    "{coords} (imported at {}:{}; not in the local repository)",
                    imp.path, imp.line
                )),
            }
        }
        // Management injection.
        let by_key: HashMap<String, &Dep> = own.iter().map(|d| (d.key(), d)).collect();
        for d in &mut eff.deps {
            if let Some(m) = by_key.get(&d.key()) {
                if d.version.is_none() {
                    d.version = m.version.clone();
                }
                if d.scope.is_none() {
                    d.scope = m.scope.clone();
                }
                if d.exclusions.is_empty() {
                    d.exclusions = m.exclusions.clone();
                }
            }
        }
        eff.managed = own;
        Ok(eff)
    }
}
