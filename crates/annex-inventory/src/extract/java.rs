//! Java: `pom.xml` with its parent POMs, `gradle.lockfile`, Gradle's
//! `verification-metadata.xml`; Gradle build scripts are recognised, not read.

use super::context::{Context, text};
use super::extractor::{Companion, Extracted, Extractor};
use super::simple::{Simple, declared_only, lockfile};
use crate::kind::Kind;
use crate::parse::java;
use annex_types::ecosystem::MAVEN;

/// `pom.xml`: resolved as Maven does ([`crate::maven`]) from the checkout's POMs and the
/// local Maven repository the scan was given.
pub(super) struct Pom;

pub(super) const POM: Pom = Pom;

pub(super) const GRADLE_LOCKFILE: Simple =
    lockfile("gradle.lockfile", MAVEN, java::gradle_lockfile);
pub(super) const GRADLE_VERIFICATION: Simple = lockfile(
    "verification-metadata.xml",
    MAVEN,
    java::gradle_verification,
);
pub(super) const GRADLE_BUILD: Simple = declared_only(
    "build.gradle",
    &["build.gradle.kts"],
    MAVEN,
    "a Gradle build script (code, not read); gradle.lockfile or verification-metadata.xml pin its dependencies (with dependency locking on, `gradle dependencies --write-locks` writes gradle.lockfile)",
);

impl Extractor for Pom {
    fn name(&self) -> &'static str {
        "pom.xml"
    }
    fn ecosystem(&self) -> &'static str {
        MAVEN
    }
    fn kind(&self) -> Kind {
        Kind::Manifest
    }
    fn claims(&self, name: &str, _parent: &str) -> bool {
        name == "pom.xml"
    }
    fn companions(&self) -> &'static [Companion] {
        &[Companion::Referenced(
            "parent POMs (`relativePath`, default ../pom.xml), reactor modules and the local Maven repository",
        )]
    }
    fn extract(&self, path: &str, content: &[u8], ctx: &mut Context<'_>) -> Extracted {
        let text = text(path, content)?;
        let checkout = |p: &str| ctx.read_reference(p);
        let sources = crate::maven::repo::Sources {
            checkout: &checkout,
            local: ctx.maven_repo(),
        };
        Ok(vec![crate::maven::subject(path, &text, &sources)?])
    }
}
