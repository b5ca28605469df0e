//! The extractor registry: one [`Extractor`] per lockfile or manifest format, all listed in
//! [`REGISTRY`]. Adding a format is one module here and one line in that list; nothing else
//! in the crate matches on file names.
//!
//! An extractor says which files it claims (by name, and for `requirements/*.txt` the name
//! of the parent directory), which files it reads beside or below its subject
//! ([`Companion`]), which other files in the same directory it makes redundant
//! ([`Extractor::shadows`]), and how to turn the file into subjects
//! ([`Extractor::extract`]). The scan (`crate::scan`) plans the work from these
//! declarations over the checkout's file index; the extractors never walk or open files
//! themselves, they read companions through the [`Context`] they are given.
//!
//! Formats annex recognises but does not read (a binary `bun.lockb`, the lockfiles of
//! ecosystems annex has no parser for, manifests that declare without pinning) are
//! registered too, with [`Extractor::unsupported`] saying what they are, so that a run can
//! report them as skipped rather than pass over them in silence.

mod cargo;
mod cpp;
mod dotnet;
mod go;
mod java;
mod js;
mod php;
mod python;
mod ruby;
mod simple;
mod unsupported;

mod context;
mod extractor;

use crate::model::Subject;
use crate::parse::{MAX_FILE_SIZE, ParseError};

pub use context::{Context, Source};
pub use extractor::{Companion, Extracted, Extractor};

/// Every format, in the order they are tried: the first that claims a file owns it.
/// Adding a format: its module above, one line here.
pub static REGISTRY: &[&dyn Extractor] = &[
    &cargo::CARGO_LOCK,
    &cargo::CARGO_TOML,
    &js::PACKAGE_LOCK,
    &js::SHRINKWRAP,
    &js::YARN_LOCK,
    &js::PNPM_LOCK,
    &js::BUN_LOCK,
    &js::BUN_LOCKB,
    &js::PACKAGE_JSON,
    &go::GO_MOD,
    &go::GO_SUM,
    &python::POETRY_LOCK,
    &python::UV_LOCK,
    &python::PDM_LOCK,
    &python::PIPFILE_LOCK,
    &python::PYPROJECT,
    &python::SETUP_PY,
    &python::SETUP_CFG,
    &python::PIPFILE,
    &java::POM,
    &java::GRADLE_LOCKFILE,
    &java::GRADLE_VERIFICATION,
    &java::GRADLE_BUILD,
    &php::COMPOSER_LOCK,
    &php::COMPOSER_JSON,
    &ruby::GEMFILE_LOCK,
    &ruby::GEMFILE,
    &dotnet::PACKAGES_LOCK,
    &dotnet::PACKAGES_CONFIG,
    &cpp::CONAN_LOCK,
    &cpp::CONANFILE,
    &cpp::VCPKG_JSON,
    &unsupported::PUBSPEC_LOCK,
    &unsupported::MIX_LOCK,
    &unsupported::REBAR_LOCK,
    &unsupported::PACKAGE_RESOLVED,
    &unsupported::PODFILE_LOCK,
    &unsupported::CARTFILE_RESOLVED,
    &unsupported::DENO_LOCK,
    &unsupported::PAKET_LOCK,
    &unsupported::RENV_LOCK,
    &unsupported::STACK_LOCK,
    &unsupported::CABAL_FREEZE,
    // Claimed by pattern: after every exact name, as `requirements/conanfile.txt` is Conan's.
    &python::PYLOCK,
    &python::REQUIREMENTS,
    &dotnet::PROJECT,
];

/// The extractor that owns the file `name` in a directory named `parent`, if any.
pub fn find(name: &str, parent: &str) -> Option<&'static dyn Extractor> {
    REGISTRY.iter().copied().find(|e| e.claims(name, parent))
}

/// The extractor that owns the file at a relative, `/`-separated path.
pub fn find_path(rel: &str) -> Option<&'static dyn Extractor> {
    let (dir, name) = rel.rsplit_once('/').unwrap_or(("", rel));
    let parent = dir.rsplit_once('/').map_or(dir, |(_, p)| p);
    find(name, parent)
}

/// What an inventory holds, counted for a summary line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    /// Subjects read from a lockfile (pinned versions).
    pub lockfiles: usize,
    /// Subjects read from a manifest (`Cargo.toml`, `package.json`, `go.mod`…).
    pub manifests: usize,
    /// Components, roots not included.
    pub components: usize,
    /// Subject roots (the projects the files belong to), which an SBOM lists too.
    pub roots: usize,
}

impl std::fmt::Display for Counts {
    /// `2 lockfile(s), 1 manifest(s): 40 components and 3 project roots`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} lockfile(s), {} manifest(s): {} components and {} project root(s)",
            self.lockfiles, self.manifests, self.components, self.roots
        )
    }
}

/// [`Counts`] of an inventory; a subject's kind is its format's (by the extractor that
/// owns its file name).
pub fn counts(inv: &crate::model::Inventory) -> Counts {
    let mut c = Counts::default();
    for s in &inv.subjects {
        match find_path(&s.path).map(|e| e.kind()) {
            Some(crate::kind::Kind::Manifest) => c.manifests += 1,
            _ => c.lockfiles += 1,
        }
        c.components += s.components.len();
        c.roots += usize::from(s.root.is_some());
    }
    c
}

/// Parse one lockfile or manifest alone (without the files beside it), by the
/// [`REGISTRY`] entry that claims its name.
///
/// `Ok(None)`: a file no extractor claims, or a manifest annex recognises but does not
/// read. A lockfile format annex does not read (`bun.lockb`, `pubspec.lock`, …) is an
/// error.
pub fn parse_file(rel_path: &str, content: &[u8]) -> Result<Option<Subject>, ParseError> {
    let size = content.len() as u64;
    if size > MAX_FILE_SIZE {
        return Err(ParseError::TooLarge {
            path: rel_path.to_string(),
            size,
        });
    }
    let Some(extractor) = find_path(rel_path) else {
        return Ok(None);
    };
    let mut ctx = Context::alone();
    let subjects = extractor.extract(rel_path, content, &mut ctx)?;
    Ok(subjects.into_iter().next())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_every_entry_claims_its_own_name() {
        let mut names: Vec<&str> = REGISTRY.iter().map(|e| e.name()).collect();
        names.sort();
        let n = names.len();
        names.dedup();
        assert_eq!(names.len(), n, "duplicate extractor names");
        for e in REGISTRY {
            let name = e.name();
            // Names written as patterns (`*.csproj`) are checked by `detect`'s tests.
            if !name.contains('*') {
                assert!(
                    find(name, "").is_some_and(|f| std::ptr::addr_eq(f, *e)),
                    "{name} is owned by another extractor"
                );
            }
        }
    }
}
