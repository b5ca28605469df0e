//! The [`Extractor`] trait, what one lockfile or manifest format declares, with the
//! [`Companion`] files it reads and the name matching its `claims` use.

use super::context::Context;
use crate::kind::Kind;
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

/// What [`Extractor::extract`] gives: the subjects of one file, or why it could not be read.
pub type Extracted = Result<Vec<Subject>, ParseError>;

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
    fn extract(&self, path: &str, content: &[u8], ctx: &mut Context<'_>) -> Extracted;
}

/// Whether `name` starts with `prefix`, ASCII case ignored (no allocation: `claims` runs
/// for every file of the checkout).
pub(super) fn starts_with_ci(name: &str, prefix: &str) -> bool {
    let (n, p) = (name.as_bytes(), prefix.as_bytes());
    n.len() >= p.len() && n[..p.len()].eq_ignore_ascii_case(p)
}

/// Whether `name` ends with `suffix`, ASCII case ignored.
pub(super) fn ends_with_ci(name: &str, suffix: &str) -> bool {
    let (n, s) = (name.as_bytes(), suffix.as_bytes());
    n.len() >= s.len() && n[n.len() - s.len()..].eq_ignore_ascii_case(s)
}
