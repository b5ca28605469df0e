//! Tool detection by lines of CI files, scripts and configuration: fuzzing, SAST,
//! dependency audit, release signing, provenance and SBOM generation.

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

use crate::model::{Fact, FuzzTool, Release, SastTool, ToolHit, Tools};
use crate::probes::ci::is_ci_file;
use crate::probes::markers::Marker;
use crate::probes::names::{doc_kind, is_clusterfuzzlite, is_lint_config, is_script, sast_config};
use crate::record::FileRecord;
use crate::text::{compile, file_name, is_comment, numbered_lines, parent};

struct Rules {
    sast: Vec<(SastTool, Regex)>,
    sast_manifest: Vec<(SastTool, Regex)>,
    fuzz_ci: Vec<(FuzzTool, Regex)>,
    fuzz_docs: Vec<(FuzzTool, Regex)>,
    fuzz_build: Vec<(FuzzTool, Regex)>,
    cargo_fuzz: Regex,
    sca: Regex,
    signing: Regex,
    provenance: Regex,
    sbom_generation: Regex,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules {
    sast: vec![
        (
            SastTool::Codeql,
            compile(
                r"(?i)github/codeql-action/(?:init|analyze)\b|\bcodeql\s+(?:database|analyze)\b",
            ),
        ),
        (SastTool::Semgrep, compile(r"(?i)\bsemgrep\b")),
        (
            SastTool::Sonar,
            compile(r"(?i)sonarcloud|sonarqube|sonar-scanner|sonarsource/"),
        ),
        (
            SastTool::Clippy,
            compile(
                r"(?i)\bcargo\s+(?:\+\S+\s+)?clippy\b|clippy-check|clippy-action|actions-rs/clippy",
            ),
        ),
        (SastTool::Bandit, compile(r"(?i)\bbandit\b")),
        (SastTool::Gosec, compile(r"(?i)\bgosec\b")),
        (
            SastTool::EslintSecurity,
            compile(r"eslint-plugin-security|plugin:security/|pluginSecurity"),
        ),
        (SastTool::Scorecard, compile(r"(?i)ossf/scorecard-action")),
    ],
    sast_manifest: vec![
        (SastTool::Bandit, compile(r"^\s*\[tool\.bandit")),
        (SastTool::EslintSecurity, compile(r"eslint-plugin-security")),
    ],
    fuzz_ci: vec![
        (
            FuzzTool::Clusterfuzzlite,
            compile(r"(?i)google/clusterfuzzlite"),
        ),
        (FuzzTool::OssFuzz, compile(r"(?i)\boss-fuzz\b")),
        (
            FuzzTool::CargoFuzz,
            compile(r"\bcargo\s+(?:\+\S+\s+)?fuzz\b"),
        ),
        (FuzzTool::Jazzer, compile(r"(?i)\bjazzer\b")),
    ],
    fuzz_docs: vec![(FuzzTool::OssFuzz, compile(r"(?i)\boss-fuzz\b"))],
    fuzz_build: vec![(FuzzTool::Jazzer, compile(r"(?i)\bjazzer\b"))],
    cargo_fuzz: compile(r"\blibfuzzer-sys\b|\bcargo-fuzz\s*=\s*true"),
    sca: compile(concat!(
        r"(?i)\bcargo[- ](?:audit|deny)\b|rustsec/audit-check|cargo-deny-action|osv-scanner",
        r"|\bsnyk\s+(?:test|monitor)\b|snyk/actions|\b(?:npm|yarn|pnpm)\s+audit\b|\bpip-audit\b",
        r"|\bsafety\s+(?:check|scan)\b|\bgovulncheck\b|dependency-review-action|dependency-check",
        r"|\btrivy\s+(?:fs|repo|filesystem)\b|aquasecurity/trivy-action|\bgrype\b|\baudit-ci\b",
        r"|\bbundler?-audit\b|\bcomposer\s+audit\b|dotnet\s+list\s+package\s+--vulnerable",
    )),
    signing: compile(concat!(
        r"(?i)\bcosign\b|sigstore|\bgpg2?\b.*--(?:detach-sign|clearsign|sign)\b",
        r"|\bgpg2?\b.*\s-(?:ab|ba|sb|bs|s|b)\b|\bminisign\b|\bsignify\b|maven-gpg-plugin",
        r"|^\s*signs\s*:|^\s*signing\s*\{|\bjarsigner\b|\bsigntool(?:\.exe)?\s+sign\b|\bcodesign\b",
    )),
    provenance: compile(concat!(
        r"(?i)slsa-github-generator|slsa-framework/|attest-build-provenance|actions/attest@",
        r"|\bin-toto\b|\bprovenance\s*:\s*(?:true|mode=)|--provenance\b|\bwitness\s+run\b",
    )),
    sbom_generation: compile(concat!(
        r"(?i)\bsyft\b|cyclonedx|anchore/sbom-action|\bcdxgen\b|sbom-tool|spdx-sbom-generator",
        r"|attest-sbom|cargo[- ]sbom|^\s*sboms\s*:|--sbom\b|\bsbom\s*:\s*true",
        r"|\btrivy\b.*--format\s+(?:cyclonedx|spdx)",
    )),
});

fn is_build_file(rec: &FileRecord) -> bool {
    matches!(
        file_name(&rec.rel),
        "pom.xml" | "build.gradle" | "build.gradle.kts"
    )
}

/// Matches of each (tool, pattern) on the non-comment lines of `files`, the first per
/// tool and file.
fn scan<'a, T: Copy + Eq + std::hash::Hash>(
    files: impl Iterator<Item = &'a FileRecord>,
    patterns: &[(T, Regex)],
    skip_comments: bool,
    seen: &mut HashSet<(T, String)>,
    out: &mut Vec<ToolHit<T>>,
) {
    for rec in files {
        let Some(text) = rec.text() else { continue };
        for (n, line) in numbered_lines(&text) {
            if skip_comments && is_comment(line) {
                continue;
            }
            for (tool, re) in patterns {
                if re.is_match(line) && seen.insert((*tool, rec.rel.clone())) {
                    out.push(ToolHit {
                        tool: *tool,
                        path: rec.rel.clone(),
                        line: n,
                    });
                }
            }
        }
    }
}

fn finish<T: Ord>(mut hits: Vec<ToolHit<T>>) -> Tools<T> {
    hits.sort_by(|a, b| (&a.path, a.line, &a.tool).cmp(&(&b.path, b.line, &b.tool)));
    Tools {
        present: !hits.is_empty(),
        tools: hits,
    }
}

pub(crate) fn sast(files: &[FileRecord]) -> Tools<SastTool> {
    let rules = &*RULES;
    let mut seen = HashSet::new();
    let mut hits = Vec::new();
    for rec in files {
        if let Some(tool) = sast_config(&rec.rel)
            && seen.insert((tool, rec.rel.clone()))
        {
            hits.push(ToolHit {
                tool,
                path: rec.rel.clone(),
                line: 1,
            });
        }
    }
    scan(
        files
            .iter()
            .filter(|f| is_ci_file(f) || is_script(&f.rel) || is_lint_config(&f.rel)),
        &rules.sast,
        true,
        &mut seen,
        &mut hits,
    );
    scan(
        files
            .iter()
            .filter(|f| matches!(file_name(&f.rel), "package.json" | "pyproject.toml")),
        &rules.sast_manifest,
        false,
        &mut seen,
        &mut hits,
    );
    finish(hits)
}

pub(crate) fn fuzzing(files: &[FileRecord]) -> Tools<FuzzTool> {
    let rules = &*RULES;
    let mut seen = HashSet::new();
    let mut hits = Vec::new();
    for rec in files {
        for (marker, line) in &rec.markers {
            if let Marker::Fuzz(tool) = marker
                && seen.insert((*tool, rec.rel.clone()))
            {
                hits.push(ToolHit {
                    tool: *tool,
                    path: rec.rel.clone(),
                    line: *line,
                });
            }
        }
        if is_clusterfuzzlite(&rec.rel)
            && matches!(file_name(&rec.rel), "project.yaml" | "Dockerfile")
            && seen.insert((FuzzTool::Clusterfuzzlite, rec.rel.clone()))
        {
            hits.push(ToolHit {
                tool: FuzzTool::Clusterfuzzlite,
                path: rec.rel.clone(),
                line: 1,
            });
        }
        let in_fuzz_dir = file_name(parent(&rec.rel)) == "fuzz";
        if in_fuzz_dir
            && file_name(&rec.rel) == "Cargo.toml"
            && let Some(text) = rec.text()
            && let Some((n, _)) = numbered_lines(&text).find(|(_, l)| rules.cargo_fuzz.is_match(l))
            && seen.insert((FuzzTool::CargoFuzz, rec.rel.clone()))
        {
            hits.push(ToolHit {
                tool: FuzzTool::CargoFuzz,
                path: rec.rel.clone(),
                line: n,
            });
        }
    }
    scan(
        files.iter().filter(|f| is_ci_file(f) || is_script(&f.rel)),
        &rules.fuzz_ci,
        true,
        &mut seen,
        &mut hits,
    );
    scan(
        files.iter().filter(|f| doc_kind(&f.rel).is_some()),
        &rules.fuzz_docs,
        false,
        &mut seen,
        &mut hits,
    );
    scan(
        files.iter().filter(|f| is_build_file(f)),
        &rules.fuzz_build,
        false,
        &mut seen,
        &mut hits,
    );
    finish(hits)
}

/// The first line (by path, then line) matching `re` in CI files, scripts and build files.
fn first_line(files: &[FileRecord], re: &Regex, build_files: bool) -> Option<Fact> {
    files
        .iter()
        .filter(|f| is_ci_file(f) || is_script(&f.rel) || (build_files && is_build_file(f)))
        .find_map(|rec| {
            let text = rec.text()?;
            numbered_lines(&text)
                .find(|(_, l)| !is_comment(l) && re.is_match(l))
                .map(|(n, _)| Fact {
                    path: rec.rel.clone(),
                    line: n,
                    digest: None,
                })
        })
}

/// A dependency-audit step in CI or scripts.
pub(crate) fn sca_line(files: &[FileRecord]) -> Option<Fact> {
    first_line(files, &RULES.sca, false)
}

pub(crate) fn release(files: &[FileRecord]) -> Release {
    let rules = &*RULES;
    Release {
        signing: first_line(files, &rules.signing, true),
        provenance: first_line(files, &rules.provenance, true),
        sbom_generation: first_line(files, &rules.sbom_generation, true),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn release_patterns() {
        let r = &*RULES;
        assert!(
            r.signing
                .is_match("      - uses: sigstore/cosign-installer@v3")
        );
        assert!(
            r.signing
                .is_match("gpg --batch --detach-sign -a dist/x.tar.gz")
        );
        assert!(r.signing.is_match("gpg -ab file"));
        assert!(!r.signing.is_match("gpg --import key.asc"));
        assert!(
            r.provenance
                .is_match("uses: actions/attest-build-provenance@v2")
        );
        assert!(
            r.provenance
                .is_match("uses: slsa-framework/slsa-github-generator/.github/workflows/x@v2")
        );
        assert!(r.sbom_generation.is_match("uses: anchore/sbom-action@v0"));
        assert!(
            r.sbom_generation
                .is_match("run: cargo cyclonedx --format json")
        );
        assert!(r.sca.is_match("run: cargo deny check"));
        assert!(r.sca.is_match("uses: actions/dependency-review-action@v4"));
    }
}
