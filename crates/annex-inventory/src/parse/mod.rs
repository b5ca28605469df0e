//! Lockfile and manifest parsers: one function per format, each
//! `fn(rel_path: &str, text: &str) -> Result<Subject, ParseError>`, routed by file name in
//! [`parse_file`].
//!
//! Rules every parser follows:
//! - no package manager runs and nothing touches the network;
//! - every component carries the file and the 1-based line its entry starts on;
//! - an unknown format version is [`ParseError::UnsupportedVersion`], never a guess;
//!   malformed input is [`ParseError::Syntax`] with `path:line:col` and what was expected;
//! - untrusted input: files over [`MAX_FILE_SIZE`] are refused, nesting is bounded
//!   ([`MAX_DEPTH`]), nothing panics;
//! - entries without a pinned version go to [`Subject::unresolved`], never guessed.
//!
//! Shared helpers for the parsers, one module each and re-exported here: [`Builder`] and
//! [`component`] (`builder`: collects components and edges, merges duplicates, assigns ids,
//! sorts), [`ParseError`] with [`ParseError::from_toml`] and [`ParseError::from_yaml`]
//! (`error`), [`text`] (`text`: byte decoding), [`LineIndex`] (`lines`), [`sri_hashes`]
//! (`hashes`), [`base64_to_hex`] and [`hex`] (`encoding`), [`json`] (a JSON/JSONC parser
//! that keeps line numbers), [`YamlEntries`] and [`yaml_options`] (`yaml`).

pub mod bun;
pub mod cargo;
pub mod go;
pub mod npm;
pub mod pnpm;
pub mod yarn;

pub mod cpp;
pub mod dotnet;
pub mod java;
pub mod php;
pub mod python;
pub mod ruby;

mod builder;
mod encoding;
mod error;
mod hashes;
pub mod json;
mod lines;
mod text;
mod yaml;

use std::path::Path;

use crate::detect::{self, Kind};
use crate::model::Subject;

pub use builder::{Builder, ROOT, component, stronger};
pub use encoding::{base64_decode, base64_to_hex, hex, is_hex};
pub use error::{MAX_DEPTH, MAX_FILE_SIZE, ParseError};
pub use hashes::sri_hashes;
pub use lines::LineIndex;
pub use text::text;
pub use yaml::{YamlEntries, yaml_options};

/// Parse one lockfile or manifest, routed by its file name ([`detect::classify`]).
///
/// `Ok(None)`: a file this crate does not parse (not a dependency file, or a format not
/// implemented yet). `bun.lockb` (binary) is `UnsupportedVersion`.
pub fn parse_file(rel_path: &str, content: &[u8]) -> Result<Option<Subject>, ParseError> {
    let size = content.len() as u64;
    if size > MAX_FILE_SIZE {
        return Err(ParseError::TooLarge {
            path: rel_path.to_string(),
            size,
        });
    }
    let path = Path::new(rel_path);
    let Some(detected) = detect::classify(path) else {
        return Ok(None);
    };
    let name = path.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name == "bun.lockb" {
        return Err(ParseError::unsupported(rel_path, 0, "bun.lockb", "binary"));
    }
    let text = text(rel_path, content)?;
    let text: &str = &text;
    let subject = match name {
        "Cargo.lock" => cargo::lockfile(rel_path, text)?,
        "Cargo.toml" => cargo::manifest(rel_path, text)?,
        "package-lock.json" | "npm-shrinkwrap.json" => npm::package_lock(rel_path, text)?,
        "package.json" => npm::package_json(rel_path, text)?,
        "yarn.lock" => yarn::lockfile(rel_path, text)?,
        "pnpm-lock.yaml" => pnpm::lockfile(rel_path, text)?,
        "bun.lock" => bun::lockfile(rel_path, text)?,
        "go.mod" => go::go_mod(rel_path, text)?,
        "go.sum" => go::go_sum(rel_path, text)?,

        // ---- Other ecosystems (see the `pub mod` lines above). Uncomment with the module.
        "poetry.lock" => python::poetry(rel_path, text)?,
        "uv.lock" => python::uv(rel_path, text)?,
        "pdm.lock" => python::pdm(rel_path, text)?,
        "Pipfile.lock" => python::pipfile(rel_path, text)?,
        "composer.lock" => php::composer(rel_path, text)?,
        "Gemfile.lock" | "gems.locked" => ruby::gemfile_lock(rel_path, text)?,
        "pom.xml" => java::pom(rel_path, text)?,
        "gradle.lockfile" => java::gradle_lockfile(rel_path, text)?,
        "verification-metadata.xml" => java::gradle_verification(rel_path, text)?,
        "packages.lock.json" => dotnet::packages_lock(rel_path, text)?,
        "conan.lock" => cpp::conan_lock(rel_path, text)?,
        "vcpkg.json" => cpp::vcpkg(rel_path, text)?,
        _ => match (detected.ecosystem, detected.kind) {
            // pylock.toml and pylock.<name>.toml (PEP 751)
            (detect::PYPI, Kind::Lockfile) => python::pylock(rel_path, text)?,
            // requirements*.txt and requirements/*.txt
            (detect::PYPI, Kind::Manifest) if name.ends_with(".txt") => {
                python::requirements(rel_path, text)?
            }
            (_, Kind::Lockfile | Kind::Manifest) => return Ok(None),
        },
    };
    Ok(Some(subject))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sri_decodes_to_hex() {
        let h = sri_hashes("sha1-2jmj7l5rSw0yVb/vlWAYkK/YBwk=");
        assert_eq!(h.len(), 1);
        assert_eq!(h[0].alg, "sha1");
        assert_eq!(h[0].value, "da39a3ee5e6b4b0d3255bfef95601890afd80709");
        assert!(sri_hashes("sha512-!!!").is_empty());
        assert!(sri_hashes("").is_empty());
    }

    #[test]
    fn json_lines_and_errors() {
        let n = json::parse(
            "x.json",
            "{\n  \"a\": [1, 2],\n  \"b\": {\"c\": \"\\u00e9\"}\n}",
        )
        .expect("parses");
        assert_eq!(n.get("b").map(|b| b.line), Some(3));
        assert_eq!(n.member("a").map(|m| m.line), Some(2));
        assert_eq!(n.get("b").and_then(|b| b.str("c")), Some("é"));
        let e = json::parse("x.json", "{\n  \"a\": [1, 2\n").expect_err("truncated");
        assert_eq!(
            e.to_string(),
            "x.json:3:1: expected `,` or `]`, found end of file"
        );
        assert!(json::parse("x.json", "{\"a\":1,}").is_err());
        assert!(json::parse_jsonc("x.json", "{\"a\":1, // c\n}").is_ok());
        let deep = "[".repeat(10_000);
        assert!(matches!(
            json::parse("x.json", &deep),
            Err(ParseError::TooDeep { .. })
        ));
    }

    #[test]
    fn invalid_utf8_has_a_position() {
        let e = text("f", b"ab\ncd\xff").expect_err("invalid");
        assert_eq!(e.to_string(), "f:2:3: expected UTF-8 text");
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("a==1\n".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(text("f", &utf16).expect("utf-16").as_ref(), "a==1\n");
    }
}
