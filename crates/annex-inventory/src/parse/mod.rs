//! Lockfile and manifest parsers: one function per format, each
//! `fn(rel_path: &str, text: &str) -> Result<Subject, ParseError>`, registered as extractors
//! in [`crate::extract`]; [`parse_file`] (re-exported from there) reads one file alone
//! through that registry.
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
//! Shared helpers for the parsers, each in a leaf module that the parsers import directly
//! (the public ones are re-exported here for other crates): `builder` ([`Builder`],
//! [`component`] and `Part`: collects components and edges, merges duplicates, assigns ids,
//! sorts), `error` ([`ParseError`] with [`ParseError::from_toml`] and
//! [`ParseError::from_yaml`], the input limits and the size check), `text` ([`text`]: byte
//! decoding, byte-order marks), `hashes` ([`sri_hashes`], `alg:hex` digests), [`json`] (a
//! JSON/JSONC parser that keeps line numbers), `yaml` ([`YamlEntries`], [`yaml_options`]),
//! `toml_spans` (TOML with byte spans). Line numbers ([`LineIndex`]) and digests
//! ([`base64_to_hex`], [`hex`]) come from `annex-types`. This module itself imports none of
//! its children, so the parsers depend on the helpers without a cycle.

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

pub(crate) mod builder;
pub(crate) mod error;
pub(crate) mod hashes;
pub mod json;
pub(crate) mod relative;
pub(crate) mod text;
mod toml_spans;
mod yaml;

// Reading one file alone dispatches through the registry, so it lives there.
pub use crate::extract::parse_file;
pub use builder::{Builder, ROOT, component, stronger};
// The shared vocabulary, re-exported for the users of these paths in other crates.
pub use annex_types::digest::{base64_decode, base64_to_hex, hex, is_hex};
pub use annex_types::location::LineIndex;
pub use error::{MAX_DEPTH, MAX_FILE_SIZE, ParseError};
pub use hashes::sri_hashes;
pub use text::text;
pub use yaml::{YamlEntries, yaml_options};

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

    /// Issue 11 item 9: TOML errors say in words what was expected.
    #[test]
    fn toml_errors_say_what_was_expected() {
        let e = |t: &str| {
            let err = toml::from_str::<toml::Table>(t).expect_err(t);
            ParseError::from_toml("f.toml", t, &err).to_string()
        };
        assert_eq!(
            e("key = invalid-value\n"),
            "f.toml:1:7: expected a value (a \"quoted string\", a number, true or false, a date, \
             an [array] or an {inline table}), found the bare word `invalid-value`"
        );
        assert_eq!(e("a = [1,\n"), "f.toml:1:8: expected `]` (unclosed array)");
        assert_eq!(e("x = 1\nx = 2\n"), "f.toml:2:1: duplicate key");
        // Real words where the parser expects them still read as the parser says.
        assert_eq!(
            e("k = 1979-05-27T\n"),
            "f.toml:1:5: expected hour (invalid time)"
        );
    }

    /// PEP 263: a Python file or requirements file that declares its encoding is read in it.
    #[test]
    fn a_declared_encoding_is_honoured() {
        let latin = b"# -*- coding: latin-1 -*-\n# auteur: Andr\xe9\nrequests==2.31.0\n";
        let t = text("requirements.txt", latin).expect("latin-1");
        assert!(t.contains("André"), "{t}");
        let cp = b"#!/usr/bin/env python\n# vim: set fileencoding=cp1252 :\nname = \"\x93x\x94\"\n";
        assert!(
            text("setup.py", cp)
                .expect("cp1252")
                .contains("\u{201C}x\u{201D}")
        );
        // Declared but unsupported, or declared in the wrong place: a clear error.
        let e = text("setup.py", b"# coding: shift_jis\nx = '\x82\xa0'\n").expect_err("sjis");
        assert!(e.to_string().contains("declares `shift-jis`"), "{e}");
        let late = b"\n\n# coding: latin-1\n\xe9\n";
        assert_eq!(
            text("setup.py", late).expect_err("third line").to_string(),
            "setup.py:4:1: expected UTF-8 text"
        );
        // Formats that are UTF-8 by specification ignore the comment.
        assert!(text("Cargo.lock", latin).is_err());
    }
}
