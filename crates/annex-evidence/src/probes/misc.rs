//! `tests`, `binaries`, `secrets`, `insights`, `sbom`.

use std::collections::BTreeSet;
use std::path::Path;

use ignore::gitignore::GitignoreBuilder;

use crate::model::{
    Binaries, BinaryFile, GitignoreCoverage, Insights, Sbom, SbomFile, SbomFormat, SecretFinding,
    SecretPlace, Secrets, Tests,
};
use crate::probes::markers::Marker;
use crate::probes::names::{is_insights, sbom_by_name};
use crate::probes::project::language;
use crate::record::FileRecord;
use crate::sniff::{LARGE_HEAD, sniff};
use crate::text::{extension, file_name, parent};

/// At most this many entries in `tests.paths`.
const MAX_TEST_PATHS: usize = 200;

const TEST_DIRS: &[&str] = &["tests", "test", "__tests__", "spec"];

/// Whether a file name follows a language's test-file convention.
pub(crate) fn is_test_file_name(name: &str) -> bool {
    let ext = extension(name);
    let stem = name.strip_suffix(&format!(".{ext}")).unwrap_or(name);
    match ext.as_str() {
        "go" => stem.ends_with("_test"),
        "py" => stem.starts_with("test_") || stem.ends_with("_test"),
        "js" | "jsx" | "ts" | "tsx" | "mjs" | "cjs" | "mts" | "cts" => {
            stem.ends_with(".test") || stem.ends_with(".spec")
        }
        "rb" => stem.ends_with("_spec") || stem.ends_with("_test"),
        "java" | "kt" | "scala" | "cs" | "php" | "swift" | "groovy" => {
            stem.len() > 4 && (stem.ends_with("Test") || stem.ends_with("Tests"))
        }
        "c" | "cc" | "cpp" | "cxx" => {
            stem.starts_with("test_") || stem.ends_with("_test") || stem.ends_with("_unittest")
        }
        "exs" | "dart" | "rs" => stem.ends_with("_test"),
        _ => false,
    }
}

pub(crate) fn tests(files: &[FileRecord]) -> Tests {
    let mut dirs = BTreeSet::new();
    let mut loose = BTreeSet::new();
    let mut count = 0u64;
    for rec in files {
        let parts: Vec<&str> = rec.rel.split('/').collect();
        let dir_parts = &parts[..parts.len().saturating_sub(1)];
        let test_dir = dir_parts.iter().position(|p| TEST_DIRS.contains(p));
        let name = rec.name();
        let is_source = language(&extension(name)).is_some();
        let rust_test = rec.markers.iter().any(|(m, _)| *m == Marker::RustTest);
        if let Some(i) = test_dir {
            if is_source {
                dirs.insert(dir_parts[..=i].join("/"));
                count += 1;
            }
        } else if is_test_file_name(name) || rust_test {
            loose.insert(rec.rel.clone());
            count += 1;
        }
    }
    let paths: Vec<String> = dirs.into_iter().chain(loose).take(MAX_TEST_PATHS).collect();
    Tests {
        present: count > 0,
        paths,
        count,
    }
}

/// At most this many tracked files of excluded directories are sniffed for binaries.
const MAX_PRUNED_SNIFF: usize = 5_000;

pub(crate) fn binaries(
    files: &[FileRecord],
    root: &Path,
    pruned: &[annex_checkout::Pruned],
) -> Binaries {
    let pruned = pruned
        .iter()
        .flat_map(|p| p.tracked.iter())
        .take(MAX_PRUNED_SNIFF)
        .filter_map(|rel| {
            let (head, size) = read_head(root, rel, LARGE_HEAD)?;
            let kind = sniff(&head, &extension(file_name(rel)))?;
            Some(BinaryFile {
                path: rel.clone(),
                kind,
                size,
            })
        })
        .collect();
    Binaries {
        files: files
            .iter()
            .filter_map(|f| {
                f.binary.map(|kind| BinaryFile {
                    path: f.rel.clone(),
                    kind,
                    size: f.size,
                })
            })
            .collect(),
        pruned,
    }
}

/// The first `n` bytes and the size of a regular file of the checkout, reached without a
/// symlink (the path comes from git's index, not from the walk). `None` when it cannot
/// be read safely.
fn read_head(root: &Path, rel: &str, n: usize) -> Option<(Vec<u8>, u64)> {
    use std::io::Read;
    let mut path = root.to_path_buf();
    let mut parts = rel.split('/').peekable();
    while let Some(part) = parts.next() {
        if part.is_empty() || part == "." || part == ".." {
            return None;
        }
        path.push(part);
        if parts.peek().is_some() && !std::fs::symlink_metadata(&path).ok()?.is_dir() {
            return None;
        }
    }
    let file = annex_checkout::nofollow::open_regular(&path).ok()?;
    let size = file.metadata().ok()?.len();
    let mut head = Vec::with_capacity(n);
    file.take(n as u64).read_to_end(&mut head).ok()?;
    Some((head, size))
}

/// Directories whose files are samples rather than shipped code, by kind.
const SAMPLE_DIRS: &[(&str, SecretPlace)] = &[
    ("test", SecretPlace::Test),
    ("tests", SecretPlace::Test),
    ("__tests__", SecretPlace::Test),
    ("spec", SecretPlace::Test),
    ("specs", SecretPlace::Test),
    ("e2e", SecretPlace::Test),
    ("fixtures", SecretPlace::Fixture),
    ("fixture", SecretPlace::Fixture),
    ("__fixtures__", SecretPlace::Fixture),
    ("testdata", SecretPlace::Fixture),
    ("test-data", SecretPlace::Fixture),
    ("test_data", SecretPlace::Fixture),
    ("__mocks__", SecretPlace::Fixture),
    ("mocks", SecretPlace::Fixture),
    ("docs", SecretPlace::Docs),
    ("doc", SecretPlace::Docs),
    ("documentation", SecretPlace::Docs),
    ("examples", SecretPlace::Example),
    ("example", SecretPlace::Example),
    ("samples", SecretPlace::Example),
    ("sample", SecretPlace::Example),
];

/// Where a file sits: the innermost sample directory decides (`docs/examples/` is an
/// example), then the file's own name (`x.spec.ts`, `README.md`); else it is shipped.
pub(crate) fn secret_place(rel: &str) -> SecretPlace {
    let mut parts: Vec<&str> = rel.split('/').collect();
    let name = parts.pop().unwrap_or(rel);
    let by_dir = parts.iter().rev().find_map(|d| {
        let d = d.to_ascii_lowercase();
        SAMPLE_DIRS
            .iter()
            .find(|(n, _)| *n == d)
            .map(|(_, place)| *place)
    });
    if let Some(place) = by_dir {
        return place;
    }
    if is_test_file_name(name) {
        return SecretPlace::Test;
    }
    match extension(name).as_str() {
        "md" | "markdown" | "rst" | "adoc" | "asciidoc" => SecretPlace::Docs,
        _ => SecretPlace::Shipped,
    }
}

pub(crate) fn secrets(root: &Path, files: &[FileRecord]) -> Secrets {
    let mut findings: Vec<SecretFinding> = files
        .iter()
        .flat_map(|f| {
            f.secrets.iter().map(|(kind, line)| SecretFinding {
                kind: *kind,
                path: f.rel.clone(),
                line: *line,
                place: secret_place(&f.rel),
            })
        })
        .collect();
    // Shipped findings first: they decide the result, samples only ask for a review.
    findings.sort_by(|a, b| {
        (a.place, &a.path, a.line, a.kind).cmp(&(b.place, &b.path, b.line, b.kind))
    });
    Secrets {
        findings,
        gitignore: gitignore(root, files),
    }
}

/// What the root `.gitignore` keeps out of the repository.
fn gitignore(root: &Path, files: &[FileRecord]) -> Option<GitignoreCoverage> {
    let rec = files.iter().find(|f| f.rel == ".gitignore")?;
    let mut coverage = GitignoreCoverage {
        path: rec.rel.clone(),
        line: 1,
        ignores_env: false,
        ignores_keys: false,
    };
    let Some(text) = rec.text() else {
        return Some(coverage);
    };
    let mut builder = GitignoreBuilder::new(root);
    for line in text.lines() {
        // A malformed glob only loses that line, as in git.
        let _ = builder.add_line(None, line);
    }
    if let Ok(gi) = builder.build() {
        let ignored = |p: &str| gi.matched(p, false).is_ignore();
        coverage.ignores_env = ignored(".env");
        coverage.ignores_keys = ignored("server.pem") || ignored("server.key");
    }
    Some(coverage)
}

pub(crate) fn sbom(files: &[FileRecord]) -> Sbom {
    let files = files
        .iter()
        .filter_map(|f| {
            let format = match sbom_by_name(&f.rel)? {
                Some(format) => format,
                None => sniff_sbom(&f.text()?)?,
            };
            Some(SbomFile {
                path: f.rel.clone(),
                format,
                line: 1,
            })
        })
        .collect();
    Sbom { files }
}

fn sniff_sbom(text: &str) -> Option<SbomFormat> {
    let head: String = text.chars().take(4096).collect();
    if head.contains("\"bomFormat\"") || head.contains("cyclonedx.org/schema/bom") {
        Some(SbomFormat::Cyclonedx)
    } else if head.contains("spdxVersion") || head.contains("SPDXVersion:") {
        Some(SbomFormat::Spdx)
    } else {
        None
    }
}

/// OpenSSF Security Insights (schema 1.x and 2.x), root before `.github/`.
pub(crate) fn insights(files: &[FileRecord]) -> Option<Insights> {
    let rec = files
        .iter()
        .filter(|f| is_insights(&f.rel))
        .min_by_key(|f| (!parent(&f.rel).is_empty(), f.rel.as_str()))?;
    let mut out = Insights {
        path: rec.rel.clone(),
        line: 1,
        digest: rec.digest.clone(),
        schema_version: None,
        has_vulnerability_reporting: false,
        has_security_contacts: false,
    };
    let Some(text) = rec.text() else {
        return Some(out);
    };
    let Ok(doc) = serde_saphyr::from_str::<serde_json::Value>(&text) else {
        return Some(out);
    };
    let get = |path: &[&str]| -> Option<&serde_json::Value> {
        path.iter().try_fold(&doc, |v, k| v.get(k))
    };
    out.schema_version = get(&["header", "schema-version"]).and_then(|v| match v {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    });
    let truthy = |v: Option<&serde_json::Value>| v.and_then(|v| v.as_bool()) == Some(true);
    let non_empty = |v: Option<&serde_json::Value>| match v {
        Some(serde_json::Value::Array(a)) => !a.is_empty(),
        Some(serde_json::Value::String(s)) => !s.trim().is_empty(),
        Some(serde_json::Value::Object(o)) => o.values().any(|v| match v {
            serde_json::Value::String(s) => !s.trim().is_empty(),
            _ => false,
        }),
        _ => false,
    };
    out.has_vulnerability_reporting = truthy(get(&[
        "vulnerability-reporting",
        "accepts-vulnerability-reports",
    ])) || truthy(get(&[
        "project",
        "vulnerability-reporting",
        "reports-accepted",
    ]));
    out.has_security_contacts = non_empty(get(&["security-contacts"]))
        || non_empty(get(&["vulnerability-reporting", "email-contact"]))
        || non_empty(get(&["project", "vulnerability-reporting", "contact"]))
        || non_empty(get(&["repository", "security", "champions"]));
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn test_names() {
        for yes in [
            "x_test.go",
            "test_x.py",
            "a.spec.ts",
            "a.test.js",
            "FooTest.java",
            "foo_spec.rb",
            "x_unittest.cc",
        ] {
            assert!(is_test_file_name(yes), "{yes}");
        }
        for no in [
            "test.go",
            "latest.py",
            "Test.java",
            "contest.js",
            "README.md",
        ] {
            assert!(!is_test_file_name(no), "{no}");
        }
    }

    #[test]
    fn secret_places() {
        use SecretPlace::*;
        for (path, place) in [
            ("src/config/keys.js", Shipped),
            ("deploy/prod.env", Shipped),
            ("src/auth/token.spec.ts", Test),
            ("pkg/sign/sign_test.go", Test),
            ("tests/unit/conftest.py", Test),
            ("src/test/resources/fixtures/key.pem", Fixture),
            ("internal/testdata/id_rsa", Fixture),
            ("docs/auth.md", Docs),
            ("README.md", Docs),
            ("docs/examples/server.key", Example),
            ("examples/tls/key.pem", Example),
        ] {
            assert_eq!(secret_place(path), place, "{path}");
        }
    }
}
