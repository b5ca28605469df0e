//! Source markers found while the walk has a file's text in hand: fuzz harnesses and Rust
//! unit tests. Only the first hit per marker and file is kept.

use std::sync::LazyLock;

use regex::Regex;

use crate::model::FuzzTool;
use crate::text::{LineIndex, compile, file_name};

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum Marker {
    Fuzz(FuzzTool),
    /// A Rust file with `#[test]` or `#[cfg(test)]`.
    RustTest,
}

struct Rules {
    go_test_fuzz: Regex,
    go_fuzz_build_tag: Regex,
    atheris: Regex,
    jazzer: Regex,
    libfuzzer: Regex,
    rust_test: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules {
    go_test_fuzz: compile(r"(?m)^[ \t]*func\s+Fuzz\w*\s*\("),
    go_fuzz_build_tag: compile(r"(?m)^//[ \t]*(?:\+build|go:build)[ \t].*\bgofuzz\b"),
    atheris: compile(r"(?m)^[ \t]*(?:import|from)\s+atheris\b"),
    jazzer: compile(r"com\.code_intelligence\.jazzer|@FuzzTest\b"),
    libfuzzer: compile(r"\bLLVMFuzzerTestOneInput\b"),
    rust_test: compile(r"(?m)^[ \t]*(?:#\[(?:[\w:]+::)?test\]|#\[cfg\(test\)\])"),
});

const C_LIKE: &[&str] = &["c", "cc", "cpp", "cxx", "c++", "m", "mm"];

/// Scan one source file. `ext` is the lowercase extension.
pub(crate) fn scan(rel: &str, ext: &str, text: &str) -> Vec<(Marker, u64)> {
    let rules = &*RULES;
    // Each rule with a literal every match contains: a plain substring search rules most
    // files out before the (line-anchored, so prefix-less) regex runs.
    let mut checks: Vec<(Marker, &Regex, &str)> = Vec::new();
    match ext {
        "go" => {
            if file_name(rel).ends_with("_test.go") {
                checks.push((Marker::Fuzz(FuzzTool::GoFuzz), &rules.go_test_fuzz, "Fuzz"));
            }
            checks.push((
                Marker::Fuzz(FuzzTool::GoFuzz),
                &rules.go_fuzz_build_tag,
                "gofuzz",
            ));
        }
        "py" => checks.push((Marker::Fuzz(FuzzTool::Atheris), &rules.atheris, "atheris")),
        "java" | "kt" => checks.push((Marker::Fuzz(FuzzTool::Jazzer), &rules.jazzer, "")),
        "rs" => checks.push((Marker::RustTest, &rules.rust_test, "test")),
        e if C_LIKE.contains(&e) => {
            checks.push((
                Marker::Fuzz(FuzzTool::Libfuzzer),
                &rules.libfuzzer,
                "LLVMFuzzerTestOneInput",
            ));
        }
        _ => {}
    }
    let mut index: Option<LineIndex> = None;
    let mut out: Vec<(Marker, u64)> = Vec::new();
    for (marker, re, literal) in checks {
        if out.iter().any(|(m, _)| *m == marker) || !text.contains(literal) {
            continue;
        }
        if let Some(m) = re.find(text) {
            let idx = index.get_or_insert_with(|| LineIndex::new(text));
            out.push((marker, idx.line(m.start())));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_markers() {
        assert_eq!(
            scan(
                "x_test.go",
                "go",
                "package x\n\nfunc FuzzParse(f *testing.F) {}\n"
            ),
            vec![(Marker::Fuzz(FuzzTool::GoFuzz), 3)]
        );
        assert!(scan("x.go", "go", "func FuzzParse(f *testing.F) {}\n").is_empty());
        assert_eq!(
            scan("f.py", "py", "import sys\nimport atheris\n"),
            vec![(Marker::Fuzz(FuzzTool::Atheris), 2)]
        );
        assert_eq!(
            scan(
                "f.cc",
                "cc",
                "extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t *d, size_t n) {}"
            ),
            vec![(Marker::Fuzz(FuzzTool::Libfuzzer), 1)]
        );
        assert_eq!(
            scan("lib.rs", "rs", "fn a() {}\n#[cfg(test)]\nmod tests {}\n"),
            vec![(Marker::RustTest, 2)]
        );
        assert_eq!(
            scan("t.rs", "rs", "#[tokio::test]\nasync fn t() {}\n"),
            vec![(Marker::RustTest, 1)]
        );
        assert!(scan("a.txt", "txt", "import atheris").is_empty());
    }
}
