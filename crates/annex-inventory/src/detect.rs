//! File-name classification: which ecosystem a manifest or lockfile belongs to.
//!
//! Ecosystem names are OSV's (`crates.io`, `npm`, `PyPI`, `Go`, `Maven`, `Packagist`,
//! `RubyGems`, `NuGet`, `ConanCenter`) plus `vcpkg`, which OSV does not cover.

use std::path::Path;

use serde::Serialize;

pub use crate::kind::Kind;
// The ecosystem names, from the one table in `annex-types`.
pub use annex_types::ecosystem::{
    CONAN, CRATES_IO, GO, MAVEN, NPM, NUGET, PACKAGIST, PYPI, RUBYGEMS, VCPKG,
};

/// The result of [`classify`].
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Detected {
    pub ecosystem: &'static str,
    pub kind: Kind,
}

/// Classify a file by its name (and, for `requirements/*.txt`, its parent directory):
/// the ecosystem and kind of the [`crate::extract::REGISTRY`] entry that claims it.
///
/// Only the path is looked at; nothing is read. Names are matched exactly as the tools
/// write them, except that `requirements*.txt`, `pylock.<name>.toml` and the .NET project
/// extensions are matched case-insensitively. Formats registered only to be reported as
/// unsupported by a scan are not named (see [`crate::extract::Extractor::classified`]).
pub fn classify(path: &Path) -> Option<Detected> {
    let name = path.file_name()?.to_str()?;
    let parent = path
        .parent()
        .and_then(Path::file_name)
        .and_then(|p| p.to_str())
        .unwrap_or("");
    let e = crate::extract::find(name, parent)?;
    e.classified().then(|| Detected {
        ecosystem: e.ecosystem(),
        kind: e.kind(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn c(p: &str) -> Option<(&'static str, Kind)> {
        classify(Path::new(p)).map(|d| (d.ecosystem, d.kind))
    }

    #[test]
    fn manifests_and_lockfiles_per_ecosystem() {
        use Kind::{Lockfile as L, Manifest as M};
        let cases: &[(&str, &str, Kind)] = &[
            ("Cargo.toml", CRATES_IO, M),
            ("crates/x/Cargo.lock", CRATES_IO, L),
            ("web/package.json", NPM, M),
            ("package-lock.json", NPM, L),
            ("npm-shrinkwrap.json", NPM, L),
            ("yarn.lock", NPM, L),
            ("pnpm-lock.yaml", NPM, L),
            ("bun.lock", NPM, L),
            ("pyproject.toml", PYPI, M),
            ("setup.py", PYPI, M),
            ("setup.cfg", PYPI, M),
            ("requirements.txt", PYPI, M),
            ("requirements-dev.txt", PYPI, M),
            ("requirements/base.txt", PYPI, M),
            ("Pipfile", PYPI, M),
            ("poetry.lock", PYPI, L),
            ("uv.lock", PYPI, L),
            ("pdm.lock", PYPI, L),
            ("Pipfile.lock", PYPI, L),
            ("pylock.toml", PYPI, L),
            ("pylock.dev.toml", PYPI, L),
            ("go.mod", GO, M),
            ("go.sum", GO, L),
            ("pom.xml", MAVEN, M),
            ("build.gradle", MAVEN, M),
            ("app/build.gradle.kts", MAVEN, M),
            ("gradle.lockfile", MAVEN, L),
            ("composer.json", PACKAGIST, M),
            ("composer.lock", PACKAGIST, L),
            ("Gemfile", RUBYGEMS, M),
            ("Gemfile.lock", RUBYGEMS, L),
            ("src/App/App.csproj", NUGET, M),
            ("packages.lock.json", NUGET, L),
            ("conanfile.py", CONAN, M),
            ("conanfile.txt", CONAN, M),
            ("conan.lock", CONAN, L),
            ("vcpkg.json", VCPKG, M),
        ];
        for (path, eco, kind) in cases {
            assert_eq!(c(path), Some((*eco, *kind)), "{path}");
        }
    }

    #[test]
    fn other_files_are_not_classified() {
        for path in [
            "README.md",
            "notes.txt",
            "docs/requirements.md",
            "cargo.toml",
            ".csproj",
            "pylock..toml",
            "src/main.rs",
            "",
            "/",
        ] {
            assert_eq!(c(path), None, "{path}");
        }
    }

    #[test]
    fn serialises_with_lowercase_kind() {
        let d = classify(Path::new("Cargo.lock")).expect("classified");
        let json = serde_json::to_string(&d).expect("serialise");
        assert_eq!(json, r#"{"ecosystem":"crates.io","kind":"lockfile"}"#);
        let kind: Kind = serde_json::from_str(r#""manifest""#).expect("deserialise");
        assert_eq!(kind, Kind::Manifest);
    }
}
