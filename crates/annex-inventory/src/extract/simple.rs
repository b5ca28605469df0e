//! The shape most formats have: one file, claimed by its exact name, parsed alone by a
//! function of `crate::parse`. Each such format is one `const` of [`Simple`].

use super::context::{Context, text};
use super::extractor::{Extracted, Extractor};
use crate::kind::Kind;
use crate::model::Subject;
use crate::parse::ParseError;

/// A parser of `crate::parse`: `(path, text) → subject`.
pub(super) type ParseFn = fn(&str, &str) -> Result<Subject, ParseError>;

/// How a [`Simple`] format is read.
pub(super) enum Read {
    /// Parsed by this function.
    Parse(ParseFn),
    /// Recognised, not read: what the format is.
    Unsupported(&'static str),
}

/// A single-file format, claimed by exact file name.
pub(super) struct Simple {
    pub name: &'static str,
    /// Other names of the same format (`gems.locked` for `Gemfile.lock`).
    pub aliases: &'static [&'static str],
    pub ecosystem: &'static str,
    pub kind: Kind,
    pub read: Read,
    /// See [`Extractor::classified`].
    pub classified: bool,
}

impl Extractor for Simple {
    fn name(&self) -> &'static str {
        self.name
    }
    fn ecosystem(&self) -> &'static str {
        self.ecosystem
    }
    fn kind(&self) -> Kind {
        self.kind
    }
    fn claims(&self, name: &str, _parent: &str) -> bool {
        name == self.name || self.aliases.contains(&name)
    }
    fn unsupported(&self) -> Option<&'static str> {
        match self.read {
            Read::Parse(_) => None,
            Read::Unsupported(what) => Some(what),
        }
    }
    fn classified(&self) -> bool {
        self.classified
    }
    fn extract(&self, path: &str, content: &[u8], _ctx: &mut Context<'_>) -> Extracted {
        match self.read {
            Read::Parse(parse) => Ok(vec![parse(path, &text(path, content)?)?]),
            Read::Unsupported(what) => unsupported(self.kind, path, what),
        }
    }
}

/// What extracting an unsupported format gives: a manifest holds nothing annex reads (no
/// pinned versions), a lockfile is an error saying what it is.
pub(super) fn unsupported(kind: Kind, path: &str, what: &str) -> Extracted {
    match kind {
        Kind::Manifest => Ok(Vec::new()),
        Kind::Lockfile => Err(ParseError::invalid(
            path,
            0,
            0,
            format!("{what}; annex does not read this format"),
        )),
    }
}

/// A supported single-file lockfile.
pub(super) const fn lockfile(
    name: &'static str,
    ecosystem: &'static str,
    parse: ParseFn,
) -> Simple {
    Simple {
        name,
        aliases: &[],
        ecosystem,
        kind: Kind::Lockfile,
        read: Read::Parse(parse),
        classified: true,
    }
}

/// A manifest annex recognises (evidence lists it) but does not read.
pub(super) const fn declared_only(
    name: &'static str,
    aliases: &'static [&'static str],
    ecosystem: &'static str,
    what: &'static str,
) -> Simple {
    Simple {
        name,
        aliases,
        ecosystem,
        kind: Kind::Manifest,
        read: Read::Unsupported(what),
        classified: true,
    }
}
