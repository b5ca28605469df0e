//! Random file contents never make `collect` panic.

mod common;

use annex_evidence::{Options, collect};
use proptest::prelude::*;

const NAMES: &[&str] = &[
    "SECURITY.md",
    "LICENSE",
    "package.json",
    "Cargo.toml",
    "pyproject.toml",
    "security-insights.yml",
    ".well-known/security.txt",
    ".gitignore",
    ".github/workflows/ci.yml",
    "README.md",
    "x_test.go",
    "a.cc",
    "sbom.json",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 48, ..ProptestConfig::default() })]

    #[test]
    fn random_security_md_never_panics(content in proptest::collection::vec(any::<u8>(), 0..4096)) {
        let dir = common::repo(&[("SECURITY.md", &content)]);
        let e = collect(dir.path(), &Options::default());
        prop_assert!(e.is_ok());
    }

    #[test]
    fn random_text_security_md_never_panics(content in "(?s).{0,2000}") {
        let dir = common::repo(&[("SECURITY.md", content.as_bytes())]);
        let e = collect(dir.path(), &Options::default());
        prop_assert!(e.is_ok());
    }

    #[test]
    fn random_candidate_files_never_panic(
        contents in proptest::collection::vec(proptest::collection::vec(any::<u8>(), 0..512), NAMES.len())
    ) {
        let files: Vec<(&str, &[u8])> = NAMES.iter().copied().zip(contents.iter().map(Vec::as_slice)).collect();
        let dir = common::repo(&files);
        let e = collect(dir.path(), &Options::default());
        prop_assert!(e.is_ok());
    }
}
