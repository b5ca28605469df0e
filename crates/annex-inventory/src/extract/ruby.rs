//! Ruby: `Gemfile.lock` (`gems.locked`); the Gemfile is recognised, not read.

use super::simple::{Read, Simple, declared_only};
use crate::kind::Kind;
use crate::parse::ruby;
use annex_types::ecosystem::RUBYGEMS;

pub(super) const GEMFILE_LOCK: Simple = Simple {
    name: "Gemfile.lock",
    aliases: &["gems.locked"],
    ecosystem: RUBYGEMS,
    kind: Kind::Lockfile,
    read: Read::Parse(ruby::gemfile_lock),
    classified: true,
};
pub(super) const GEMFILE: Simple = declared_only(
    "Gemfile",
    &["gems.rb"],
    RUBYGEMS,
    "a Bundler Gemfile (Ruby code declaring gems); Gemfile.lock pins them",
);
