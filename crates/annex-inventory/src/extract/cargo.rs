//! Rust: `Cargo.lock` with the workspace's `Cargo.toml` files, and a `Cargo.toml` alone.

use std::collections::BTreeSet;

use super::context::{Context, text};
use super::extractor::{Companion, Extracted, Extractor};
use super::simple::{Read, Simple};
use crate::kind::Kind;
use crate::model::Source;
use crate::parse::cargo;
use annex_types::ecosystem::CRATES_IO;

/// `Cargo.lock`: the manifests beside and below it give the root, the direct dependencies
/// and the dependency kinds (scopes). A manifest below it that is not one of its
/// workspace's members is a subject of its own.
pub(super) struct CargoLock;

pub(super) const CARGO_LOCK: CargoLock = CargoLock;

/// `Cargo.toml` no lockfile claims: its requirements, unresolved.
pub(super) const CARGO_TOML: Simple = Simple {
    name: "Cargo.toml",
    aliases: &[],
    ecosystem: CRATES_IO,
    kind: Kind::Manifest,
    read: Read::Parse(cargo::manifest),
    classified: true,
};

fn dir_of(rel: &str) -> &str {
    rel.rsplit_once('/').map_or("", |(d, _)| d)
}

impl Extractor for CargoLock {
    fn name(&self) -> &'static str {
        "Cargo.lock"
    }
    fn ecosystem(&self) -> &'static str {
        CRATES_IO
    }
    fn kind(&self) -> Kind {
        Kind::Lockfile
    }
    fn claims(&self, name: &str, _parent: &str) -> bool {
        name == "Cargo.lock"
    }
    fn companions(&self) -> &'static [Companion] {
        &[Companion::Below("Cargo.toml")]
    }
    fn extract(&self, path: &str, content: &[u8], ctx: &mut Context<'_>) -> Extracted {
        let text = text(path, content)?;
        let alone = cargo::lockfile(path, &text)?;
        // Workspace members are the lockfile's path packages (and its root).
        let path_names: BTreeSet<&str> = alone
            .components
            .iter()
            .filter(|c| matches!(c.source, Source::Path { .. }))
            .map(|c| c.name.as_str())
            .chain(alone.root.iter().map(|r| r.name.as_str()))
            .collect();
        let mut out = Vec::new();
        let mut used = Vec::new();
        for m in ctx.companions() {
            let read = ctx.read(m);
            match read.and_then(|t| cargo::read_manifest(m, &t).map(|mf| (t, mf))) {
                Ok((t, mf)) => {
                    let beside = dir_of(m) == dir_of(path);
                    let member = mf
                        .package
                        .as_ref()
                        .is_some_and(|p| path_names.contains(p.name.as_str()));
                    if beside || member {
                        used.push((m.clone(), mf));
                    } else {
                        // Not part of this lockfile's workspace: a subject of its own.
                        match cargo::manifest(m, &t) {
                            Ok(s) => out.push(s),
                            Err(e) => ctx.problem(e),
                        }
                    }
                }
                Err(e) => ctx.problem(e),
            }
        }
        if used.is_empty() {
            out.push(alone);
        } else {
            out.push(cargo::lockfile_with_manifests(path, &text, &used)?);
        }
        Ok(out)
    }
}
