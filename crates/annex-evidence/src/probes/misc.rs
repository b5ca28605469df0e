//! `tests`, `binaries`, `secrets`, `insights`, `sbom`.

use std::collections::BTreeSet;
use std::path::Path;

use ignore::gitignore::GitignoreBuilder;

use crate::model::{
    Binaries, BinaryFile, GitignoreCoverage, Insights, Sbom, SbomFile, SbomFormat, SecretFinding,
    Secrets, Tests,
};
use crate::probes::markers::Marker;
use crate::probes::names::{is_insights, sbom_by_name};
use crate::probes::project::language;
use crate::record::FileRecord;
use crate::text::{extension, parent};

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

pub(crate) fn binaries(files: &[FileRecord]) -> Binaries {
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
            })
        })
        .collect();
    findings.sort_by(|a, b| (&a.path, a.line, a.kind).cmp(&(&b.path, b.line, b.kind)));
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
}
