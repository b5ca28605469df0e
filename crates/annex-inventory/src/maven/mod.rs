//! Maven: a `pom.xml` resolved the way Maven resolves it, without running Maven or any
//! project code and without the network.
//!
//! - [`pom`]: one POM file as written, active profiles merged in;
//! - [`interpolate`]: `${…}` substitution, bounded, self-references an error;
//! - [`model`]: the effective model (parents, inheritance, interpolation, BOM imports,
//!   management);
//! - [`repo`]: where POMs come from (the checkout's modules, then a local repository);
//! - [`resolve`]: the dependency graph (nearest wins, scopes, optional, exclusions,
//!   ranges, relocations, reactor modules);
//! - [`subject`]: the graph as an inventory [`Subject`].
//!
//! Scopes in the inventory: `compile`, `runtime` → required (a direct `optional` one →
//! optional); `test`, `provided` → dev (not shipped with the artifact); `system` →
//! optional. A dependency whose POM is nowhere is still listed (its version is declared)
//! and also named in `unresolved` with what is missing and how to get it; a dependency
//! without a version Maven could decide is only in `unresolved`. No version is guessed.

pub mod error;
pub mod interpolate;
pub mod model;
pub mod pom;
pub mod repo;
pub mod resolve;
mod version;

use std::collections::BTreeMap;

use crate::model::{Scope, Source, Subject};
use crate::parse::ParseError;
use crate::parse::builder::{Builder, Part, ROOT, make};
use error::MavenError;
use repo::Sources;
use resolve::{Resolution, extension};

pub use error::MavenError as Error;

const ECO: &str = annex_types::ecosystem::MAVEN;

/// `pkg:maven/group/artifact@version` with `classifier` and (when not `jar`) `type`.
pub fn purl(group: &str, artifact: &str, version: &str, typ: &str, classifier: &str) -> String {
    let mut q: Vec<(&str, &str)> = Vec::new();
    if !classifier.is_empty() {
        q.push(("classifier", classifier));
    }
    if !typ.is_empty() && typ != "jar" {
        q.push(("type", typ));
    }
    crate::purl::purl(ECO, Some(group), artifact, version, &q)
}

fn scope_of(maven: &str, optional: bool, direct: bool) -> Scope {
    match maven {
        "test" | "provided" => Scope::Dev,
        "system" => Scope::Optional,
        _ if optional && direct => Scope::Optional,
        _ => Scope::Required,
    }
}

/// The inventory subject of the checkout POM at `path`: the resolved graph. A missing
/// parent is not an error here (see [`resolve`]); a cyclic parent chain, a
/// self-referencing property or a malformed POM is.
pub fn subject(path: &str, text: &str, src: &Sources<'_>) -> Result<Subject, ParseError> {
    let user = BTreeMap::new();
    resolve::resolve(path, text, src, &user)
        .map(|r| graph(path, &r, src))
        .map_err(MavenError::into_parse_error)
}

fn graph(path: &str, r: &Resolution, src: &Sources<'_>) -> Subject {
    let p = &r.project;
    let mut b = Builder::new(path, ECO, "pom.xml (modelVersion 4.0.0)");
    let root_typ = if p.packaging == "pom" {
        ""
    } else {
        p.packaging.as_str()
    };
    // A project whose coordinates stay unknown (a missing parent defines them) has no root.
    let known = [&p.group, &p.artifact, &p.version]
        .iter()
        .all(|c| !c.is_empty() && !c.contains("${"));
    if known {
        let mut root = make(
            &b,
            Part {
                name: &format!("{}:{}", p.group, p.artifact),
                version: &p.version,
                purl: purl(&p.group, &p.artifact, &p.version, root_typ, ""),
                scope: Scope::Required,
                direct: false,
                line: p.line,
            },
        );
        root.source = Source::Path {
            path: path.to_string(),
        };
        b.root = Some(root);
    }
    let mut ids = Vec::with_capacity(r.nodes.len());
    for n in &r.nodes {
        let direct = n.depth == 1;
        let (ext, cls) = extension(&n.typ, &n.classifier);
        let mut c = make(
            &b,
            Part {
                name: &format!("{}:{}", n.group, n.artifact),
                version: &n.version,
                purl: purl(&n.group, &n.artifact, &n.version, &n.typ, &n.classifier),
                scope: scope_of(&n.scope, n.optional, direct),
                direct,
                line: n.line,
            },
        );
        c.location.path = n.path.clone();
        match &n.module {
            Some(m) => c.source = Source::Path { path: m.clone() },
            None => c.hashes = src.hashes(&n.group, &n.artifact, &n.version, &cls, &ext),
        }
        ids.push(b.push(c));
    }
    for (from, to) in &r.edges {
        let scope = match r.nodes[*to].scope.as_str() {
            "test" | "provided" => Scope::Dev,
            _ => Scope::Required,
        };
        if from.is_none() && b.root.is_none() {
            continue;
        }
        let from = from.map_or(ROOT, |f| ids[f]);
        b.edge_scoped(from, ids[*to], scope);
    }
    b.edges_complete = r.missing.is_empty();
    for m in &r.missing {
        b.unresolved(&m.name, &m.requirement, m.line);
        if let Some(u) = b.unresolved.last_mut() {
            u.location.path = m.path.clone();
        }
    }
    b.finish()
}
