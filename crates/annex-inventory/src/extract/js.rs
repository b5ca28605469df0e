//! JavaScript: npm, yarn, pnpm and bun lockfiles with the `package.json` files of the
//! project and its workspaces, and a `package.json` no lockfile claims.

use super::context::{Context, text};
use super::extractor::{Companion, Extracted, Extractor};
use super::simple::{Read, Simple};
use crate::kind::Kind;
use crate::parse::{ParseError, bun, npm, pnpm, yarn};
use annex_types::ecosystem::NPM;

/// How one JS lockfile format is read.
#[derive(Clone, Copy)]
enum Format {
    /// `package-lock.json` / `npm-shrinkwrap.json`: the root `package.json` marks direct
    /// dependencies of v1 locks.
    Npm,
    Yarn,
    Pnpm,
    Bun,
    /// `bun.lockb`: binary, not read.
    BunBinary,
}

/// A JS lockfile. The `package.json` files beside and below it belong to it (they are not
/// subjects of their own), whether or not its format uses them.
pub(super) struct JsLock {
    name: &'static str,
    format: Format,
    /// The lockfiles in the same directory this one makes redundant.
    shadows: &'static [&'static str],
}

pub(super) const PACKAGE_LOCK: JsLock = JsLock {
    name: "package-lock.json",
    format: Format::Npm,
    shadows: &[],
};
pub(super) const SHRINKWRAP: JsLock = JsLock {
    name: "npm-shrinkwrap.json",
    format: Format::Npm,
    // npm itself reads the shrinkwrap and ignores a package-lock beside it.
    shadows: &["package-lock.json"],
};
pub(super) const YARN_LOCK: JsLock = JsLock {
    name: "yarn.lock",
    format: Format::Yarn,
    shadows: &[],
};
pub(super) const PNPM_LOCK: JsLock = JsLock {
    name: "pnpm-lock.yaml",
    format: Format::Pnpm,
    shadows: &[],
};
pub(super) const BUN_LOCK: JsLock = JsLock {
    name: "bun.lock",
    format: Format::Bun,
    // bun writes the text lockfile since 1.2; a binary one beside it is a leftover.
    shadows: &["bun.lockb"],
};
pub(super) const BUN_LOCKB: JsLock = JsLock {
    name: "bun.lockb",
    format: Format::BunBinary,
    shadows: &[],
};

/// `package.json` no lockfile claims: the root package, its dependencies unresolved.
pub(super) const PACKAGE_JSON: Simple = Simple {
    name: "package.json",
    aliases: &[],
    ecosystem: NPM,
    kind: Kind::Manifest,
    read: Read::Parse(npm::package_json),
    classified: true,
};

impl Extractor for JsLock {
    fn name(&self) -> &'static str {
        self.name
    }
    fn ecosystem(&self) -> &'static str {
        NPM
    }
    fn kind(&self) -> Kind {
        Kind::Lockfile
    }
    fn claims(&self, name: &str, _parent: &str) -> bool {
        name == self.name
    }
    fn companions(&self) -> &'static [Companion] {
        &[Companion::Below("package.json")]
    }
    fn shadows(&self, other: &dyn Extractor) -> bool {
        // The package.json files are companions, read rather than shadowed.
        self.shadows.contains(&other.name())
    }
    fn unsupported(&self) -> Option<&'static str> {
        matches!(self.format, Format::BunBinary)
            .then_some("bun's binary lockfile; bun 1.2 and later write bun.lock, which annex reads")
    }
    fn extract(&self, path: &str, content: &[u8], ctx: &mut Context<'_>) -> Extracted {
        let mut pkgs = Vec::new();
        for m in ctx.companions() {
            match ctx.read(m).and_then(|t| npm::read_package_json(m, &t)) {
                Ok(p) => pkgs.push(p),
                Err(e) => ctx.problem(e),
            }
        }
        let subject = match self.format {
            Format::BunBinary => {
                return Err(ParseError::unsupported(path, 0, "bun.lockb", "binary"));
            }
            Format::Npm => {
                let root = npm::manifest_in(&pkgs, path, ".");
                npm::package_lock_with_manifest(path, &text(path, content)?, root)?
            }
            Format::Yarn => yarn::lockfile_with_manifests(path, &text(path, content)?, &pkgs)?,
            Format::Pnpm => pnpm::lockfile_with_manifests(path, &text(path, content)?, &pkgs)?,
            Format::Bun => bun::lockfile(path, &text(path, content)?)?,
        };
        Ok(vec![subject])
    }
}
