//! PHP: `composer.lock` with the `composer.json` beside it, and a `composer.json` alone
//! (its requirements unresolved).

use super::context::{Context, text};
use super::extractor::{Companion, Extracted, Extractor};
use super::simple::{Read, Simple};
use crate::kind::Kind;
use crate::parse::php;
use annex_types::ecosystem::PACKAGIST;

/// `composer.lock`: the `composer.json` beside it names the project and its direct
/// dependencies.
pub(super) struct ComposerLock;

pub(super) const COMPOSER_LOCK: ComposerLock = ComposerLock;

/// `composer.json` without a lock: constraints, not versions, reported as unresolved.
pub(super) const COMPOSER_JSON: Simple = Simple {
    name: "composer.json",
    aliases: &[],
    ecosystem: PACKAGIST,
    kind: Kind::Manifest,
    read: Read::Parse(php::composer_json),
    classified: true,
};

impl Extractor for ComposerLock {
    fn name(&self) -> &'static str {
        "composer.lock"
    }
    fn ecosystem(&self) -> &'static str {
        PACKAGIST
    }
    fn kind(&self) -> Kind {
        Kind::Lockfile
    }
    fn claims(&self, name: &str, _parent: &str) -> bool {
        name == "composer.lock"
    }
    fn companions(&self) -> &'static [Companion] {
        &[Companion::Beside("composer.json")]
    }
    fn extract(&self, path: &str, content: &[u8], ctx: &mut Context<'_>) -> Extracted {
        let manifest = ctx.first_companion(php::read_composer_json);
        let text = text(path, content)?;
        Ok(vec![php::composer_with_manifest(
            path,
            &text,
            manifest.as_ref(),
        )?])
    }
}
