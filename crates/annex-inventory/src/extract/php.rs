//! PHP: `composer.lock`; `composer.json` is recognised, not read.

use super::simple::{Simple, declared_only, lockfile};
use crate::parse::php;
use annex_types::ecosystem::PACKAGIST;

pub(super) const COMPOSER_LOCK: Simple = lockfile("composer.lock", PACKAGIST, php::composer);
pub(super) const COMPOSER_JSON: Simple = declared_only(
    "composer.json",
    &[],
    PACKAGIST,
    "a Composer manifest (version constraints, not versions); composer.lock pins them",
);
