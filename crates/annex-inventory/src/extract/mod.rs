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

use crate::detect::Kind;
use crate::model::Subject;
use crate::parse::ParseError;

/// A file an extractor reads besides its subject.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Companion {
    /// A file of this name in the subject's directory (`go.sum` beside `go.mod`).
    Beside(&'static str),
    /// Files of this name in the subject's directory and below it, each going to the
    /// nearest subject above it that declares the same companion (workspace members'
    /// `Cargo.toml`, `package.json`).
    Below(&'static str),
    /// Files the subject names itself (parent POMs, requirements `-r` includes), read on
    /// demand through [`Context::read_reference`]; the text says what they are.
    Referenced(&'static str),
}

impl Companion {
    /// The file name a [`Companion::Beside`] or [`Companion::Below`] companion has.
    pub fn name(self) -> Option<&'static str> {
        match self {
            Companion::Beside(n) | Companion::Below(n) => Some(n),
            Companion::Referenced(_) => None,
        }
    }
}

/// What an extractor reads from: the planned companions of its subject and, by reference,
/// other files of the checkout. Implemented by the scan.
pub trait Source: Sync {
    /// Read a planned companion (by the path the subject is labelled with).
    fn read_text(&self, path: &str) -> Result<String, ParseError>;
    /// Read a file the subject refers to, by checkout-relative `/`-separated path; `None`
    /// when it is missing, leaves the checkout or may not be read.
    fn read_reference(&self, path: &str) -> Option<String>;
}

/// A [`Source`] with nothing in it: a file extracted alone.
struct Nothing;

impl Source for Nothing {
    fn read_text(&self, path: &str) -> Result<String, ParseError> {
        Err(ParseError::Io {
            path: path.to_string(),
            message: "not available".to_string(),
        })
    }
    fn read_reference(&self, _: &str) -> Option<String> {
        None
    }
}

/// The companions of one subject and the problems met reading them.
pub struct Context<'a> {
    companions: &'a [String],
    source: &'a dyn Source,
    problems: Vec<ParseError>,
}

impl<'a> Context<'a> {
    /// `companions`: the paths of the planned companions, nearest first.
    pub fn new(companions: &'a [String], source: &'a dyn Source) -> Self {
        Context {
            companions,
            source,
            problems: Vec::new(),
        }
    }

    /// A context without companions: the subject is read alone.
    pub fn alone() -> Context<'static> {
        Context::new(&[], &Nothing)
    }

    /// The planned companions (the one beside the subject first, then by path).
    pub fn companions(&self) -> &'a [String] {
        self.companions
    }

    /// Read a planned companion.
    pub fn read(&self, path: &str) -> Result<String, ParseError> {
        self.source.read_text(path)
    }

    /// Read a file the subject refers to (see [`Source::read_reference`]).
    pub fn read_reference(&self, path: &str) -> Option<String> {
        self.source.read_reference(path)
    }

    /// A companion that could not be read: reported, and the subject is still extracted
    /// with what remains.
    pub fn problem(&mut self, error: ParseError) {
        self.problems.push(error);
    }

    /// The problems recorded, in the order met.
    pub fn into_problems(self) -> Vec<ParseError> {
        self.problems
    }
}

/// One lockfile or manifest format.
pub trait Extractor: Sync {
    /// The format's name as users know it (`Cargo.lock`, `requirements.txt`).
    fn name(&self) -> &'static str;
    /// OSV ecosystem name (see [`crate::detect`]).
    fn ecosystem(&self) -> &'static str;
    /// Whether it pins resolved versions or declares dependencies.
    fn kind(&self) -> Kind;
    /// Whether this extractor reads a file of this name; `parent` is the name of the
    /// directory holding it (`""` at the root). Nothing is read.
    fn claims(&self, name: &str, parent: &str) -> bool;
    /// The files it reads besides its subject.
    fn companions(&self) -> &'static [Companion] {
        &[]
    }
    /// Whether this extractor's subject makes `other`'s file in the same directory
    /// redundant. By default a lockfile shadows the manifests of its ecosystem (the
    /// lockfile pins what they declare); companions are never shadowed, they are read.
    fn shadows(&self, other: &dyn Extractor) -> bool {
        self.kind() == Kind::Lockfile
            && other.kind() == Kind::Manifest
            && other.ecosystem() == self.ecosystem()
    }
    /// `Some(what the format is)` for a format annex recognises but does not read.
    fn unsupported(&self) -> Option<&'static str> {
        None
    }
    /// Whether [`crate::detect::classify`] names this format. Evidence lists what
    /// `classify` names; the lockfiles registered only so that a scan can report them as
    /// unsupported say no, which keeps evidence's output as it was.
    fn classified(&self) -> bool {
        true
    }
    /// The subjects `content` (the file at `path`) yields, with the companions in `ctx`.
    /// `Ok(vec![])` for a format that holds nothing to extract.
    fn extract(
        &self,
        path: &str,
        content: &[u8],
        ctx: &mut Context<'_>,
    ) -> Result<Vec<Subject>, ParseError>;
}

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

/// Whether `name` starts with `prefix`, ASCII case ignored (no allocation: `claims` runs
/// for every file of the checkout).
fn starts_with_ci(name: &str, prefix: &str) -> bool {
    let (n, p) = (name.as_bytes(), prefix.as_bytes());
    n.len() >= p.len() && n[..p.len()].eq_ignore_ascii_case(p)
}

/// Whether `name` ends with `suffix`, ASCII case ignored.
fn ends_with_ci(name: &str, suffix: &str) -> bool {
    let (n, s) = (name.as_bytes(), suffix.as_bytes());
    n.len() >= s.len() && n[n.len() - s.len()..].eq_ignore_ascii_case(s)
}

/// The content as text for an extractor (see [`crate::parse::text`]).
fn text(path: &str, content: &[u8]) -> Result<String, ParseError> {
    crate::parse::text(path, content).map(std::borrow::Cow::into_owned)
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
