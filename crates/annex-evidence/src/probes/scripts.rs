//! Shell lines (workflow `run:`, GitLab `script:`, Dockerfile `RUN`, `*.sh`, Makefiles):
//! downloads piped into a shell, `pip install` without hashes, `npm install` instead of
//! `npm ci`, and the CI tools a line runs (tests, SAST, SCA, SBOM, signing, publishing).

use std::sync::LazyLock;

use regex::Regex;

use crate::text::compile;

/// What a shell command fetches, and whether it is pinned by hash.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Fetch {
    DownloadThenRun,
    Pip,
    Npm,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct FetchHit {
    pub line: u64,
    pub fetch: Fetch,
    pub pinned: bool,
    pub detail: String,
}

/// The kinds of CI step the rules care about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub(crate) enum StepKind {
    Test,
    Sast,
    Sca,
    Sbom,
    Signing,
    Publish,
}

struct Rules {
    download_run: Regex,
    pip: Regex,
    npm_install: Regex,
    npm_ci: Regex,
    requirement_file: Regex,
    tools: Vec<(StepKind, &'static str, Regex)>,
}

static RULES: LazyLock<Rules> = LazyLock::new(|| Rules {
    download_run: compile(concat!(
        r"(?i)\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+(?:-\S+\s+)*)?(?:/usr)?(?:/bin/)?(?:ba|z|da|k)?sh\b",
        r"|\b(?:ba|z)?sh\s+(?:-c\s+)?[\x22']?\$\(\s*(?:curl|wget)\b",
        r"|\b(?:ba|z)?sh\s+<\(\s*(?:curl|wget)\b",
        r"|\b(?:curl|wget)\b[^|;&]*\|\s*(?:sudo\s+)?python[0-9.]*\b",
    )),
    pip: compile(r"\b(?:pip[0-9.]*|python[0-9.]*\s+-m\s+pip|uv\s+pip)\s+install\b(.*)"),
    npm_install: compile(r"\bnpm\s+(?:install|i|add)\b"),
    npm_ci: compile(r"\bnpm\s+(?:ci|clean-install|install-clean)\b"),
    requirement_file: compile(r"(?:^|\s)(?:-r|--requirement)(?:\s+|=)(\S+)"),
    tools: vec![
        (
            StepKind::Sast,
            "codeql",
            compile(
                r"(?i)github/codeql-action/(?:init|analyze)\b|\bcodeql\s+(?:database|analyze)\b",
            ),
        ),
        (StepKind::Sast, "semgrep", compile(r"(?i)\bsemgrep\b")),
        (
            StepKind::Sast,
            "sonar",
            compile(r"(?i)sonarcloud|sonarqube|sonar-scanner|sonarsource/"),
        ),
        (
            StepKind::Sast,
            "snyk",
            compile(r"(?i)\bsnyk\s+code\b|snyk/actions/[a-z]+@.*\bcode\b"),
        ),
        (
            StepKind::Sast,
            "pysa",
            compile(r"(?i)facebook/pysa-action|\bpyre\s+analyze\b"),
        ),
        (
            StepKind::Sast,
            "qodana",
            compile(r"(?i)jetbrains/qodana-action|\bqodana\s+scan\b"),
        ),
        (StepKind::Sast, "bandit", compile(r"(?i)\bbandit\s+-")),
        (StepKind::Sast, "gosec", compile(r"(?i)\bgosec\b")),
        (
            StepKind::Sast,
            "clippy",
            compile(r"(?i)\bcargo\s+(?:\+\S+\s+)?clippy\b|clippy-check|clippy-action"),
        ),
        (
            StepKind::Sca,
            "cargo-audit",
            compile(r"(?i)\bcargo[- ]audit\b|rustsec/audit-check"),
        ),
        (
            StepKind::Sca,
            "cargo-deny",
            compile(r"(?i)\bcargo[- ]deny\b|cargo-deny-action"),
        ),
        (StepKind::Sca, "osv-scanner", compile(r"(?i)osv-scanner")),
        (
            StepKind::Sca,
            "dependency-review",
            compile(r"(?i)actions/dependency-review-action"),
        ),
        (
            StepKind::Sca,
            "trivy",
            compile(
                r"(?i)aquasecurity/trivy-action|\btrivy\s+(?:fs|repo|filesystem|image|rootfs)\b",
            ),
        ),
        (
            StepKind::Sca,
            "snyk",
            compile(
                r"(?i)\bsnyk\s+(?:test|monitor)\b|snyk/actions/(?:node|python|golang|maven|gradle|setup|dotnet|php|ruby|scala)",
            ),
        ),
        (
            StepKind::Sca,
            "npm-audit",
            compile(r"(?i)\b(?:npm|yarn|pnpm)\s+audit\b"),
        ),
        (
            StepKind::Sca,
            "pip-audit",
            compile(r"(?i)\bpip-audit\b|pypa/gh-action-pip-audit"),
        ),
        (
            StepKind::Sca,
            "govulncheck",
            compile(r"(?i)\bgovulncheck\b"),
        ),
        (
            StepKind::Sca,
            "grype",
            compile(r"(?i)\bgrype\b|anchore/scan-action"),
        ),
        (
            StepKind::Sbom,
            "syft",
            compile(r"(?i)\bsyft\b|anchore/sbom-action"),
        ),
        (
            StepKind::Sbom,
            "cyclonedx",
            compile(r"(?i)cyclonedx|\bcdxgen\b"),
        ),
        (
            StepKind::Sbom,
            "sbom-tool",
            compile(r"(?i)\bsbom-tool\b|spdx-sbom-generator|cargo[- ]sbom"),
        ),
        (
            StepKind::Sbom,
            "attest-sbom",
            compile(r"(?i)actions/attest-sbom"),
        ),
        (
            StepKind::Sbom,
            "trivy",
            compile(r"(?i)\btrivy\b.*--format\s+(?:cyclonedx|spdx)"),
        ),
        (
            StepKind::Signing,
            "cosign",
            compile(r"(?i)\bcosign\b|sigstore/cosign-installer"),
        ),
        (
            StepKind::Signing,
            "sigstore",
            compile(r"(?i)sigstore/gh-action-sigstore-python|\bsigstore\s+sign\b"),
        ),
        (
            StepKind::Signing,
            "slsa-github-generator",
            compile(r"(?i)slsa-framework/slsa-github-generator"),
        ),
        (
            StepKind::Signing,
            "attest-build-provenance",
            compile(r"(?i)actions/attest-build-provenance|actions/attest@"),
        ),
        (
            StepKind::Signing,
            "gpg",
            compile(r"(?i)\bgpg2?\b.*--(?:detach-sign|clearsign|sign)\b"),
        ),
        (
            StepKind::Signing,
            "minisign",
            compile(r"(?i)\bminisign\s+-S\b"),
        ),
        (
            StepKind::Publish,
            "cargo-publish",
            compile(r"\bcargo\s+(?:\+\S+\s+)?publish\b|katyo/publish-crates"),
        ),
        (
            StepKind::Publish,
            "npm-publish",
            compile(r"\b(?:npm|yarn|pnpm)\s+publish\b|JS-DevTools/npm-publish"),
        ),
        (
            StepKind::Publish,
            "pypi-publish",
            compile(
                r"(?i)\btwine\s+upload\b|pypa/gh-action-pypi-publish|\b(?:uv|poetry|flit|hatch)\s+publish\b",
            ),
        ),
        (
            StepKind::Publish,
            "maven-deploy",
            compile(r"\bmvnw?\b.*\bdeploy\b|\bgradlew?\b.*\bpublish\b"),
        ),
        (
            StepKind::Publish,
            "docker-push",
            compile(r"\b(?:docker|podman)\s+push\b|docker/build-push-action"),
        ),
        (
            StepKind::Publish,
            "goreleaser",
            compile(r"(?i)\bgoreleaser\b"),
        ),
        (
            StepKind::Publish,
            "gem-push",
            compile(r"\bgem\s+push\b|rubygems/release-gem"),
        ),
        (
            StepKind::Publish,
            "nuget-push",
            compile(r"\b(?:dotnet\s+)?nuget\s+push\b"),
        ),
    ],
});

/// Shell lines with their file line numbers, comment lines dropped, backslash
/// continuations joined (reported at the first line).
pub(crate) fn logical_lines(text: &str, first_line: u64) -> Vec<(u64, String)> {
    let mut out: Vec<(u64, String)> = Vec::new();
    let mut pending: Option<(u64, String)> = None;
    for (i, raw) in text.lines().enumerate() {
        let n = first_line + i as u64;
        let trimmed = raw.trim();
        if pending.is_none() && (trimmed.starts_with('#') || trimmed.is_empty()) {
            continue;
        }
        let (cont, body) = match trimmed.strip_suffix('\\') {
            Some(b) => (true, b),
            None => (false, trimmed),
        };
        let entry = pending.get_or_insert_with(|| (n, String::new()));
        if !entry.1.is_empty() {
            entry.1.push(' ');
        }
        entry.1.push_str(body);
        if !cont && let Some(done) = pending.take() {
            out.push(done);
        }
    }
    out.extend(pending);
    out
}

/// Downloads that are run, and package installs, on one logical line. `hashed` says
/// whether a requirements file (path as written) pins every requirement by hash.
pub(crate) fn fetches(line: &str, n: u64, hashed: &dyn Fn(&str) -> bool) -> Vec<FetchHit> {
    let r = &*RULES;
    let mut out = Vec::new();
    for part in split_commands(line) {
        if r.download_run.is_match(part) {
            out.push(FetchHit {
                line: n,
                fetch: Fetch::DownloadThenRun,
                pinned: false,
                detail: format!(
                    "downloads and runs a script without checking its hash: {}",
                    clip(part)
                ),
            });
        }
        if let Some(c) = r.pip.captures(part) {
            let args = c.get(1).map_or("", |m| m.as_str());
            let pinned = pip_pinned(args, hashed);
            out.push(FetchHit {
                line: n,
                fetch: Fetch::Pip,
                pinned,
                detail: if pinned {
                    "pip install with hash checking".to_string()
                } else {
                    format!("pip install without --require-hashes: {}", clip(part))
                },
            });
        }
        if r.npm_ci.is_match(part) {
            out.push(FetchHit {
                line: n,
                fetch: Fetch::Npm,
                pinned: true,
                detail: "npm ci installs the lockfile".to_string(),
            });
        } else if r.npm_install.is_match(part) {
            out.push(FetchHit {
                line: n,
                fetch: Fetch::Npm,
                pinned: false,
                detail: format!(
                    "npm install may change the lockfile; use npm ci: {}",
                    clip(part)
                ),
            });
        }
    }
    out
}

fn pip_pinned(args: &str, hashed: &dyn Fn(&str) -> bool) -> bool {
    if args.contains("--require-hashes") || args.contains("--hash") {
        return true;
    }
    let files: Vec<&str> = RULES
        .requirement_file
        .captures_iter(args)
        .filter_map(|c| c.get(1).map(|m| m.as_str()))
        .collect();
    if !files.is_empty() {
        // Named packages beside the files are not pinned.
        let others = args
            .split_whitespace()
            .filter(|a| !a.starts_with('-'))
            .filter(|a| !files.contains(a))
            .count();
        return others == 0 && files.iter().all(|f| hashed(f));
    }
    // `pip install --no-deps .` installs only the local project.
    let targets: Vec<&str> = args
        .split_whitespace()
        .filter(|a| !a.starts_with('-'))
        .collect();
    args.contains("--no-deps")
        && !targets.is_empty()
        && targets
            .iter()
            .all(|t| t.starts_with('.') || t.starts_with('/'))
}

/// Split a line at `&&`, `||` and `;` (pipes stay together).
fn split_commands(line: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = line;
    while let Some(i) = [rest.find("&&"), rest.find("||"), rest.find(';')]
        .into_iter()
        .flatten()
        .min()
    {
        out.push(&rest[..i]);
        let skip = if rest[i..].starts_with(';') { 1 } else { 2 };
        rest = &rest[i + skip..];
    }
    out.push(rest);
    out
}

/// Commands that run a test suite; the `ci` probe and the step analysis both ask.
static RUNS_TESTS: LazyLock<Regex> = LazyLock::new(|| {
    compile(concat!(
        r"(?i)\bcargo\s+(?:\+\S+\s+)?(?:test|nextest|tarpaulin|llvm-cov|hack\s+test)\b",
        r"|\bpytest\b|\bpython[0-9.]*\s+-m\s+(?:pytest|unittest)\b|\btox\b|\bnox\b",
        r"|\b(?:npm|yarn|pnpm|bun)\s+(?:run\s+)?test\b|\bnpx\s+(?:jest|vitest|mocha)\b",
        r"|\bgo\s+test\b|\bmvnw?\b.*\b(?:test|verify|install)\b|\bgradlew?\b.*\b(?:test|check)\b",
        r"|\bmake\s+(?:test|check)\b|\bctest\b|\bdotnet\s+test\b|\bbundle\s+exec\s+(?:rake|rspec)\b",
        r"|\brspec\b|\bphpunit\b|\bcomposer\s+test\b|\bmeson\s+test\b|\bmix\s+test\b",
        r"|\bswift\s+test\b|\b(?:flutter|dart)\s+test\b|\bbazel\s+test\b|\bjest\b|\bvitest\b",
    ))
});

/// Whether a line runs a test suite.
pub(crate) fn runs_tests(line: &str) -> bool {
    RUNS_TESTS.is_match(line)
}

/// The CI tools a line (a command, or an action reference) uses.
pub(crate) fn tools(line: &str) -> Vec<(StepKind, &'static str)> {
    let mut out: Vec<(StepKind, &'static str)> = RULES
        .tools
        .iter()
        .filter(|(_, _, re)| re.is_match(line))
        .map(|(k, t, _)| (*k, *t))
        .collect();
    if runs_tests(line) {
        out.push((StepKind::Test, "tests"));
    }
    out
}

fn clip(s: &str) -> String {
    let s = s.trim();
    if s.chars().count() <= 120 {
        s.to_string()
    } else {
        let cut: String = s.chars().take(117).collect();
        format!("{cut}…")
    }
}

/// Whether a requirements file pins every requirement line with `--hash`.
pub(crate) fn requirements_hashed(text: &str) -> bool {
    let lines: Vec<(u64, String)> = logical_lines(text, 1);
    let reqs: Vec<&String> = lines
        .iter()
        .map(|(_, l)| l)
        .filter(|l| !l.starts_with('-'))
        .collect();
    !reqs.is_empty() && reqs.iter().all(|l| l.contains("--hash"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_files(_: &str) -> bool {
        false
    }

    #[test]
    fn download_then_run() {
        for yes in [
            "curl -sSfL https://x.sh | sh",
            "curl https://sh.rustup.rs -sSf | sudo bash -s -- -y",
            "wget -qO- https://get.x | bash",
            "bash <(curl -s https://x)",
            "sh -c \"$(curl -fsSL https://x)\"",
        ] {
            let f = fetches(yes, 1, &no_files);
            assert!(f.iter().any(|h| h.fetch == Fetch::DownloadThenRun), "{yes}");
        }
        for no in [
            "curl -o x.tgz https://x",
            "wget https://x && sha256sum -c x.sha256",
        ] {
            assert!(fetches(no, 1, &no_files).is_empty(), "{no}");
        }
    }

    #[test]
    fn pip_and_npm() {
        let pinned = |l: &str| fetches(l, 1, &|f| f == "req.txt")[0].pinned;
        assert!(!pinned("pip install requests"));
        assert!(pinned("pip install --require-hashes -r other.txt"));
        assert!(pinned("python -m pip install -r req.txt"));
        assert!(!pinned("pip install -r other.txt"));
        assert!(!pinned("pip install -r req.txt flask"));
        assert!(pinned("pip install --no-deps ."));
        assert!(!pinned("npm install"));
        assert!(pinned("npm ci"));
        assert_eq!(fetches("npm ci && npm install -g x", 1, &no_files).len(), 2);
    }

    #[test]
    fn continuation_lines() {
        let l = logical_lines("# c\ncurl -s x \\\n  | sh\necho\n", 10);
        assert_eq!(l[0].0, 11);
        assert!(l[0].1.contains("| sh"));
        assert_eq!(l[1], (13, "echo".to_string()));
    }

    #[test]
    fn requirements() {
        assert!(requirements_hashed("a==1 \\\n  --hash=sha256:ab\n"));
        assert!(!requirements_hashed("a==1\n"));
    }

    #[test]
    fn test_commands() {
        let re = &*RUNS_TESTS;
        for yes in [
            "run: cargo test --workspace",
            "cargo +nightly nextest run",
            "- pytest -q",
            "npm test",
            "yarn run test",
            "go test ./...",
            "./mvnw -B verify",
            "./gradlew check",
            "make check",
        ] {
            assert!(re.is_match(yes), "{yes}");
        }
        for no in ["cargo build", "npm ci", "go vet ./...", "echo testing"] {
            assert!(!re.is_match(no), "{no}");
        }
    }
}
