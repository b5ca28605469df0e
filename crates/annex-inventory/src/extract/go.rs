//! Go: `go.mod` with the `go.sum` beside it, and a `go.sum` alone.

use super::context::{Context, text};
use super::extractor::{Companion, Extracted, Extractor};
use super::simple::{Read, Simple};
use crate::kind::Kind;
use crate::parse::go;
use annex_types::ecosystem::GO;

/// `go.mod`: the `go.sum` beside it adds the hashes (and, before Go 1.17, the modules
/// go.mod omits).
pub(super) struct GoMod;

pub(super) const GO_MOD: GoMod = GoMod;

/// `go.sum` without a `go.mod` beside it.
pub(super) const GO_SUM: Simple = Simple {
    name: "go.sum",
    aliases: &[],
    ecosystem: GO,
    kind: Kind::Lockfile,
    read: Read::Parse(go::go_sum),
    classified: true,
};

impl Extractor for GoMod {
    fn name(&self) -> &'static str {
        "go.mod"
    }
    fn ecosystem(&self) -> &'static str {
        GO
    }
    fn kind(&self) -> Kind {
        Kind::Manifest
    }
    fn claims(&self, name: &str, _parent: &str) -> bool {
        name == "go.mod"
    }
    fn companions(&self) -> &'static [Companion] {
        &[Companion::Beside("go.sum")]
    }
    fn extract(&self, path: &str, content: &[u8], ctx: &mut Context<'_>) -> Extracted {
        let mut sums = None;
        if let Some(s) = ctx.companions().first() {
            match ctx.read(s).and_then(|t| go::read_go_sum(s, &t)) {
                Ok(lines) => sums = Some((s.as_str(), lines)),
                Err(e) => ctx.problem(e),
            }
        }
        let sum = sums.as_ref().map(|(p, l)| (*p, l.as_slice()));
        Ok(vec![go::go_mod_with_sum(path, &text(path, content)?, sum)?])
    }
}
