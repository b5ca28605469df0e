//! File-name classification: which ecosystem a manifest or lockfile belongs to.
//!
//! Ecosystem names are OSV's (`crates.io`, `npm`, `PyPI`, `Go`, `Maven`, `Packagist`,
//! `RubyGems`, `NuGet`, `ConanCenter`) plus `vcpkg`, which OSV does not cover.

use std::path::Path;

use serde::{Deserialize, Serialize};

/// Whether a file declares dependencies (manifest) or pins resolved versions (lockfile).
#[derive(Serialize, Deserialize, Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Manifest,
    Lockfile,
}

/// The result of [`classify`].
#[derive(Serialize, Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Detected {
    pub ecosystem: &'static str,
    pub kind: Kind,
}

pub const CRATES_IO: &str = "crates.io";
pub const NPM: &str = "npm";
pub const PYPI: &str = "PyPI";
pub const GO: &str = "Go";
pub const MAVEN: &str = "Maven";
pub const PACKAGIST: &str = "Packagist";
pub const RUBYGEMS: &str = "RubyGems";
pub const NUGET: &str = "NuGet";
pub const CONAN: &str = "ConanCenter";
pub const VCPKG: &str = "vcpkg";

const fn manifest(ecosystem: &'static str) -> Option<Detected> {
    Some(Detected {
        ecosystem,
        kind: Kind::Manifest,
    })
}

const fn lockfile(ecosystem: &'static str) -> Option<Detected> {
    Some(Detected {
        ecosystem,
        kind: Kind::Lockfile,
    })
}

/// Classify a file by its name (and, for `requirements/*.txt`, its parent directory).
///
/// Only the path is looked at; nothing is read. Names are matched exactly as the tools
/// write them, except that `requirements*.txt` and the .NET project extensions are matched
/// case-insensitively.
pub fn classify(path: &Path) -> Option<Detected> {
    let name = path.file_name()?.to_str()?;
    match name {
        "Cargo.toml" => manifest(CRATES_IO),
        "Cargo.lock" => lockfile(CRATES_IO),

        "package.json" => manifest(NPM),
        "package-lock.json"
        | "npm-shrinkwrap.json"
        | "yarn.lock"
        | "pnpm-lock.yaml"
        | "bun.lock"
        | "bun.lockb" => lockfile(NPM),

        "pyproject.toml" | "setup.py" | "setup.cfg" | "Pipfile" => manifest(PYPI),
        "poetry.lock" | "uv.lock" | "pdm.lock" | "Pipfile.lock" | "pylock.toml" => lockfile(PYPI),

        "go.mod" => manifest(GO),
        "go.sum" => lockfile(GO),

        "pom.xml" | "build.gradle" | "build.gradle.kts" => manifest(MAVEN),
        "verification-metadata.xml" => lockfile(MAVEN),
        "gradle.lockfile" => lockfile(MAVEN),

        "composer.json" => manifest(PACKAGIST),
        "composer.lock" => lockfile(PACKAGIST),

        "Gemfile" | "gems.rb" => manifest(RUBYGEMS),
        "Gemfile.lock" | "gems.locked" => lockfile(RUBYGEMS),

        "packages.lock.json" => lockfile(NUGET),
        "packages.config" => manifest(NUGET),

        "conanfile.py" | "conanfile.txt" => manifest(CONAN),
        "conan.lock" => lockfile(CONAN),

        "vcpkg.json" => manifest(VCPKG),

        _ => classify_pattern(path, name),
    }
}

fn classify_pattern(path: &Path, name: &str) -> Option<Detected> {
    let lower = name.to_ascii_lowercase();
    // PEP 751: pylock.<name>.toml
    if lower.starts_with("pylock.")
        && lower.ends_with(".toml")
        && lower.len() > "pylock..toml".len()
    {
        return lockfile(PYPI);
    }
    if lower.ends_with(".txt") {
        if lower.starts_with("requirements") {
            return manifest(PYPI);
        }
        let in_requirements_dir = path
            .parent()
            .and_then(Path::file_name)
            .and_then(|p| p.to_str())
            .is_some_and(|p| p.eq_ignore_ascii_case("requirements"));
        if in_requirements_dir {
            return manifest(PYPI);
        }
    }
    if [".csproj", ".fsproj", ".vbproj"]
        .iter()
        .any(|ext| lower.ends_with(ext) && lower.len() > ext.len())
    {
        return manifest(NUGET);
    }
    None
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
