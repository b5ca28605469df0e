//! .NET: `packages.lock.json`; `packages.config` and project files are recognised, not
//! read.

use super::context::Context;
use super::extractor::{Extracted, Extractor, ends_with_ci};
use super::simple::{Simple, declared_only, lockfile, unsupported};
use crate::kind::Kind;
use crate::parse::dotnet;
use annex_types::ecosystem::NUGET;

pub(super) const PACKAGES_LOCK: Simple =
    lockfile("packages.lock.json", NUGET, dotnet::packages_lock);
pub(super) const PACKAGES_CONFIG: Simple = declared_only(
    "packages.config",
    &[],
    NUGET,
    "a NuGet packages.config (not read); `RestorePackagesWithLockFile` writes packages.lock.json",
);

/// `*.csproj`, `*.fsproj`, `*.vbproj` (any case).
pub(super) struct Project;

pub(super) const PROJECT: Project = Project;

const EXTENSIONS: &[&str] = &[".csproj", ".fsproj", ".vbproj"];

impl Extractor for Project {
    fn name(&self) -> &'static str {
        "*.csproj"
    }
    fn ecosystem(&self) -> &'static str {
        NUGET
    }
    fn kind(&self) -> Kind {
        Kind::Manifest
    }
    fn claims(&self, name: &str, _parent: &str) -> bool {
        EXTENSIONS
            .iter()
            .any(|ext| ends_with_ci(name, ext) && name.len() > ext.len())
    }
    fn unsupported(&self) -> Option<&'static str> {
        Some(
            "an MSBuild project file (not read); `RestorePackagesWithLockFile` writes packages.lock.json",
        )
    }
    fn extract(&self, path: &str, _content: &[u8], _ctx: &mut Context<'_>) -> Extracted {
        unsupported(Kind::Manifest, path, "")
    }
}
