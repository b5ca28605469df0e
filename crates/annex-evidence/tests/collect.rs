mod common;

use std::fs;

use annex_evidence::{
    BinaryKind, ContactKind, EvidenceError, FuzzTool, Options, SastTool, SbomFormat, SecretKind,
    UnreadReason, UpdateToolKind, collect,
};
use common::*;

const SECURITY_MD: &str = "# Security Policy

## Supported Versions

| Version | Supported |
| ------- | --------- |
| 2.x     | yes       |

## Reporting a Vulnerability

Please report vulnerabilities privately by e-mail to security@example.org.
You can also use https://github.com/example/project/security/advisories/new
We will acknowledge your report within 14 days.
We follow coordinated disclosure and publish a CVE for each issue.
";

#[test]
fn security_policy_contacts_and_response_time() {
    let dir = repo(&[("SECURITY.md", SECURITY_MD.as_bytes())]);
    let e = evidence(&dir);
    let p = e.docs.security_policy.expect("policy found");
    assert_eq!(p.path, "SECURITY.md");
    assert_eq!(p.line, 1);
    assert!(
        p.digest
            .as_deref()
            .is_some_and(|d| d.starts_with("sha256:") && d.len() == 71)
    );
    let contacts: Vec<(ContactKind, &str, u64)> = p
        .contacts
        .iter()
        .map(|c| (c.kind, c.value.as_str(), c.line))
        .collect();
    assert_eq!(
        contacts,
        vec![
            (ContactKind::Email, "security@example.org", 11),
            (
                ContactKind::Url,
                "https://github.com/example/project/security/advisories/new",
                12
            ),
        ]
    );
    let r = p.response_days.expect("response time");
    assert_eq!((r.days, r.line), (14, 13));
    assert_eq!(p.private_reporting.map(|f| f.line), Some(11));
    assert_eq!(p.disclosure.map(|f| f.line), Some(12));
    assert_eq!(p.supported_versions.map(|f| f.line), Some(3));
}

#[test]
fn security_policy_in_github_dir_and_rst() {
    let dir = repo(&[(
        ".github/SECURITY.rst",
        b"Security\n========\n\nMail security@x.org, we answer within 2 weeks.\n",
    )]);
    let p = evidence(&dir).docs.security_policy.expect("policy");
    assert_eq!(p.path, ".github/SECURITY.rst");
    assert_eq!(p.response_days.map(|r| (r.days, r.line)), Some((14, 4)));
}

#[test]
fn no_policy_is_null_and_every_key_is_present() {
    let dir = repo(&[("README.md", b"# Hello\n")]);
    let e = evidence(&dir);
    assert!(e.docs.security_policy.is_none());
    let v = json(&e);
    assert_eq!(v["docs"]["security_policy"], serde_json::Value::Null);
    assert_eq!(v["docs"]["security_txt"], serde_json::Value::Null);
    assert_eq!(v["insights"], serde_json::Value::Null);
    assert_eq!(v["schema"], "annex/evidence/v1");
    for key in [
        "schema",
        "generator",
        "root",
        "walk",
        "project",
        "docs",
        "license",
        "deps",
        "ci",
        "tests",
        "fuzzing",
        "sast",
        "binaries",
        "secrets",
        "insights",
        "sbom",
        "release",
    ] {
        assert!(v.get(key).is_some(), "missing key {key}");
    }
    for key in ["update_tool", "sca", "unlocked_ecosystems"] {
        assert!(v["deps"].get(key).is_some(), "missing deps.{key}");
    }
    assert_eq!(v["docs"]["readme"]["path"], "README.md");
    assert_eq!(v["docs"]["contributing"], serde_json::Value::Null);
    assert_eq!(v["license"]["all_osi_approved"], false);
    assert_eq!(v["tests"]["present"], false);
}

#[test]
fn licence_texts_mit_and_apache() {
    let dir = repo(&[
        ("LICENSE-MIT", MIT_TEXT.as_bytes()),
        ("LICENSE-APACHE", APACHE_HEAD.as_bytes()),
        (
            "Cargo.toml",
            b"[package]\nname = \"x\"\nversion = \"0.1.0\"\nlicense = \"MIT OR Apache-2.0\"\n",
        ),
    ]);
    let e = evidence(&dir);
    let files: Vec<(&str, Option<&str>, bool, bool)> = e
        .license
        .files
        .iter()
        .map(|f| {
            (
                f.path.as_str(),
                f.spdx.as_deref(),
                f.osi_approved,
                f.fsf_libre,
            )
        })
        .collect();
    assert_eq!(
        files,
        vec![
            ("LICENSE-APACHE", Some("Apache-2.0"), true, true),
            ("LICENSE-MIT", Some("MIT"), true, true),
        ]
    );
    assert!(e.license.files.iter().all(|f| f.digest.is_some()));
    assert_eq!(e.license.declared.len(), 1);
    let d = &e.license.declared[0];
    assert_eq!(
        (
            d.path.as_str(),
            d.line,
            d.expression.as_str(),
            d.valid,
            d.osi_approved
        ),
        ("Cargo.toml", 4, "MIT OR Apache-2.0", true, true)
    );
    assert_eq!(e.license.spdx_ids, vec!["Apache-2.0", "MIT"]);
    assert!(e.license.all_osi_approved);
}

#[test]
fn licence_by_spdx_identifier_line_and_declared_elsewhere() {
    let dir = repo(&[
        (
            "LICENSE",
            b"SPDX-License-Identifier: Apache-2.0\n\nCopyright 2024 The Authors\n",
        ),
        (
            "package.json",
            b"{\n  \"name\": \"x\",\n  \"license\": \"Proprietary\"\n}\n",
        ),
        (
            "pyproject.toml",
            b"[project]\nname = \"x\"\nlicense = { text = \"BSD-3-Clause\" }\n",
        ),
    ]);
    let e = evidence(&dir);
    assert_eq!(e.license.files[0].spdx.as_deref(), Some("Apache-2.0"));
    let declared: Vec<(&str, u64, &str, bool)> = e
        .license
        .declared
        .iter()
        .map(|d| (d.path.as_str(), d.line, d.expression.as_str(), d.valid))
        .collect();
    assert_eq!(
        declared,
        vec![
            ("package.json", 3, "Proprietary", false),
            ("pyproject.toml", 3, "BSD-3-Clause", true),
        ]
    );
    assert_eq!(e.license.spdx_ids, vec!["Apache-2.0", "BSD-3-Clause"]);
    // an invalid declared licence means we cannot claim everything is OSI-approved
    assert!(!e.license.all_osi_approved);
}

#[test]
fn unknown_licence_text_has_null_spdx() {
    let dir = repo(&[("COPYING", b"All rights reserved. Do not copy.\n")]);
    let e = evidence(&dir);
    assert_eq!(e.license.files.len(), 1);
    assert_eq!(e.license.files[0].spdx, None);
    assert!(!e.license.files[0].osi_approved);
    assert!(e.license.spdx_ids.is_empty());
    assert!(!e.license.all_osi_approved);
}

#[test]
fn binaries_by_magic_bytes_not_extension() {
    let mut class = b"\xca\xfe\xba\xbe\0\0\0\x3d".to_vec();
    class.extend_from_slice(&[0; 16]);
    let dir = repo(&[
        ("notes.txt", ELF_HEAD),
        ("lib/libfoo.so", b"INPUT(-lfoo_real)\n"),
        ("java/A.class", &class),
        ("web/app.wasm", b"\0asm\x01\0\0\0"),
        ("dist/tool.jar", b"PK\x03\x04\x14\0\0\0"),
        ("dist/data.zip", b"PK\x03\x04\x14\0\0\0"),
        ("img/logo.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR"),
    ]);
    let e = evidence(&dir);
    let bins: Vec<(&str, BinaryKind, u64)> = e
        .binaries
        .files
        .iter()
        .map(|b| (b.path.as_str(), b.kind, b.size))
        .collect();
    assert_eq!(
        bins,
        vec![
            ("dist/data.zip", BinaryKind::Archive, 8),
            ("dist/tool.jar", BinaryKind::Jar, 8),
            ("java/A.class", BinaryKind::JavaClass, 24),
            ("notes.txt", BinaryKind::Elf, ELF_HEAD.len() as u64),
            ("web/app.wasm", BinaryKind::Wasm, 8),
        ]
    );
    let v = json(&e);
    assert_eq!(v["binaries"]["files"][3]["kind"], "elf");
    assert_eq!(v["binaries"]["files"][2]["kind"], "java-class");
}

#[test]
fn secrets_with_line_numbers_but_not_in_lockfiles_or_binaries() {
    let token = fake_github_token();
    let aws = fake_aws_key();
    let key = fake_private_key_header();
    let config = format!("# settings\nname = 'x'\ntoken = \"{token}\"\n\naws = {aws}\n");
    // A body that decodes to a DER SEQUENCE of its own length: a key's shape. A header over
    // a truncated body (`MIIEowIBAAKCAQEA` and nothing after) is not a key.
    let end = key.replace("BEGIN", "END");
    let pem = format!("{key}\nMCICAQAEHQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd\n{end}\n");
    let truncated = format!("{key}\nMIIEowIBAAKCAQEA\n...\n{end}\n");
    let lock = format!("# yarn lockfile v1\n\"x@1\":\n  resolved \"{token}\"\n");
    let mut binary = ELF_HEAD.to_vec();
    binary.extend_from_slice(token.as_bytes());
    let dir = repo(&[
        ("src/config.py", config.as_bytes()),
        ("certs/server.pem", pem.as_bytes()),
        ("src/Doc.java", truncated.as_bytes()),
        ("yarn.lock", lock.as_bytes()),
        ("bin/tool", &binary),
    ]);
    let e = evidence(&dir);
    let found: Vec<(&str, SecretKind, u64)> = e
        .secrets
        .findings
        .iter()
        .map(|f| (f.path.as_str(), f.kind, f.line))
        .collect();
    assert_eq!(
        found,
        vec![
            ("certs/server.pem", SecretKind::PrivateKey, 1),
            ("src/config.py", SecretKind::GithubToken, 3),
            ("src/config.py", SecretKind::AwsAccessKey, 5),
        ]
    );
    // the value is never part of the evidence
    let text = serde_json::to_string(&e).expect("json");
    assert!(!text.contains(&token));
    assert!(!text.contains(&aws));
}

#[test]
fn gitignore_coverage_of_env_and_keys() {
    let dir = repo(&[(".gitignore", b"target/\n.env\n*.pem\n")]);
    let g = evidence(&dir).secrets.gitignore.expect("gitignore");
    assert!(g.ignores_env);
    assert!(g.ignores_keys);
    let dir = repo(&[(".gitignore", b"target/\n")]);
    let g = evidence(&dir).secrets.gitignore.expect("gitignore");
    assert!(!g.ignores_env);
    assert!(!g.ignores_keys);
}

#[cfg(unix)]
#[test]
fn symlinks_are_never_followed() {
    use std::os::unix::fs::symlink;
    let outside = repo(&[
        ("SECURITY.md", SECURITY_MD.as_bytes()),
        ("inner/leak.txt", fake_github_token().as_bytes()),
        ("inner/tool.so", ELF_HEAD),
    ]);
    let dir = repo(&[("README.md", b"# x\n")]);
    symlink(
        outside.path().join("SECURITY.md"),
        dir.path().join("SECURITY.md"),
    )
    .expect("link");
    symlink(outside.path().join("inner"), dir.path().join("inner")).expect("link");
    symlink("/", dir.path().join("rootfs")).expect("link");
    let e = evidence(&dir);
    assert_eq!(e.walk.skipped_symlinks, 3);
    assert_eq!(e.walk.files, 1);
    assert!(e.docs.security_policy.is_none());
    assert!(e.secrets.findings.is_empty());
    assert!(e.binaries.files.is_empty());
}

#[test]
fn gitignored_and_excluded_dirs_are_skipped() {
    let token = fake_github_token();
    let dir = repo(&[
        (".gitignore", b"build/\n"),
        ("build/out.so", ELF_HEAD),
        ("build/creds.txt", token.as_bytes()),
        ("node_modules/x/index.js", token.as_bytes()),
        ("generated/blob.bin", ELF_HEAD),
        ("src/main.rs", b"fn main() {}\n"),
    ]);
    let options = Options {
        exclude: vec!["generated/".to_string()],
        ..Options::default()
    };
    let e = collect(dir.path(), &options).expect("collect");
    assert!(e.binaries.files.is_empty(), "{:?}", e.binaries);
    assert!(e.secrets.findings.is_empty());
    assert_eq!(e.walk.files, 2); // .gitignore and src/main.rs
    assert!(e.walk.excluded.iter().any(|x| x == "generated/"));
    assert!(e.walk.excluded.iter().any(|x| x == "node_modules/"));
    assert!(e.walk.excluded.windows(2).all(|w| w[0] <= w[1]));
    assert_eq!(e.project.languages, vec!["Rust"]);
    assert!(e.project.has_code);
}

#[test]
fn ci_providers_tests_and_pull_requests() {
    let dir = repo(&[
        (
            ".github/workflows/ci.yml",
            b"name: CI\non:\n  push:\n  pull_request:\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      # cargo test in a comment does not count\n      - run: cargo test --workspace\n      - run: cargo clippy -- -D warnings\n",
        ),
        (
            ".github/workflows/scorecard.yaml",
            b"on: push\njobs:\n  a:\n    steps:\n      - uses: ossf/scorecard-action@v2\n",
        ),
        (".gitlab-ci.yml", b"test:\n  script:\n    - pytest\n"),
        (".github/workflows/nested/x.yml", b"on: pull_request\n"),
    ]);
    let e = evidence(&dir);
    assert_eq!(e.ci.providers, vec!["github-actions", "gitlab"]);
    let wf: Vec<&str> = e.ci.workflows.iter().map(|f| f.path.as_str()).collect();
    assert_eq!(
        wf,
        vec![
            ".github/workflows/ci.yml",
            ".github/workflows/scorecard.yaml",
            ".gitlab-ci.yml"
        ]
    );
    assert!(e.ci.workflows.iter().all(|f| f.digest.is_some()));
    let t = e.ci.runs_tests.expect("runs tests");
    assert_eq!((t.path.as_str(), t.line), (".github/workflows/ci.yml", 11));
    let pr = e.ci.runs_on_pull_request.expect("on pull request");
    assert_eq!((pr.path.as_str(), pr.line), (".github/workflows/ci.yml", 4));
    let sast: Vec<(SastTool, &str, u64)> = e
        .sast
        .tools
        .iter()
        .map(|t| (t.tool, t.path.as_str(), t.line))
        .collect();
    assert_eq!(
        sast,
        vec![
            (SastTool::Clippy, ".github/workflows/ci.yml", 12),
            (SastTool::Scorecard, ".github/workflows/scorecard.yaml", 5),
        ]
    );
    assert!(e.sast.present);
}

#[test]
fn no_ci_gives_empty_lists_and_nulls() {
    let dir = repo(&[("src/lib.rs", b"pub fn f() {}\n")]);
    let e = evidence(&dir);
    assert!(e.ci.providers.is_empty());
    assert!(e.ci.runs_tests.is_none());
    assert!(e.ci.runs_on_pull_request.is_none());
}

#[test]
fn deps_lockfiles_update_tool_and_audit() {
    let dir = repo(&[
        ("Cargo.toml", b"[workspace]\nmembers = [\"crates/*\"]\n"),
        ("Cargo.lock", b"version = 4\n"),
        ("crates/a/Cargo.toml", b"[package]\nname = \"a\"\n"),
        ("web/package.json", b"{\"name\": \"web\"}\n"),
        ("go.mod", b"module example.org/x\n"),
        ("go.sum", b""),
        (".github/dependabot.yml", b"version: 2\nupdates: []\n"),
        ("deny.toml", b"[advisories]\n"),
    ]);
    let e = evidence(&dir);
    let manifests: Vec<(&str, &str)> = e
        .deps
        .manifests
        .iter()
        .map(|m| (m.path.as_str(), m.ecosystem.as_str()))
        .collect();
    assert_eq!(
        manifests,
        vec![
            ("Cargo.toml", "crates.io"),
            ("crates/a/Cargo.toml", "crates.io"),
            ("go.mod", "Go"),
            ("web/package.json", "npm"),
        ]
    );
    assert_eq!(e.deps.lockfiles.len(), 2);
    assert_eq!(e.deps.ecosystems, vec!["Go", "crates.io", "npm"]);
    assert_eq!(e.deps.unlocked_ecosystems, vec!["npm"]);
    let u = e.deps.update_tool.expect("update tool");
    assert_eq!(
        (u.tool, u.path.as_str(), u.line),
        (UpdateToolKind::Dependabot, ".github/dependabot.yml", 1)
    );
    assert_eq!(e.deps.sca.map(|f| f.path), Some("deny.toml".to_string()));
    let v = json(&evidence(&dir));
    assert_eq!(v["deps"]["lockfiles"][0]["kind"], "lockfile");
}

#[test]
fn renovate_key_in_package_json() {
    let dir = repo(&[(
        "package.json",
        b"{\n  \"name\": \"x\",\n  \"renovate\": {\"extends\": [\"config:base\"]}\n}\n",
    )]);
    let u = evidence(&dir).deps.update_tool.expect("renovate");
    assert_eq!((u.tool, u.line), (UpdateToolKind::Renovate, 3));
}

#[test]
fn docs_probe() {
    let readme = format!(
        "# Project\n\n## Installation\n\nrun it\n\n## Support\n\nask\n{}",
        "line\n".repeat(20)
    );
    let dir = repo(&[
        ("README.md", readme.as_bytes()),
        (
            ".github/CONTRIBUTING.md",
            b"# Contributing\n\nThanks!\nAll changes need a review and tests.\n",
        ),
        ("CODE_OF_CONDUCT.md", b"Be nice.\n"),
        ("CHANGELOG.md", b"# 1.0\n"),
        (".github/CODEOWNERS", b"* @owner\n"),
        ("GOVERNANCE.md", b"BDFL\n"),
    ]);
    let d = evidence(&dir).docs;
    assert_eq!(d.readme.map(|f| f.path), Some("README.md".into()));
    assert_eq!(
        d.contributing.map(|f| f.path),
        Some(".github/CONTRIBUTING.md".into())
    );
    assert!(d.code_of_conduct.is_some());
    assert!(d.changelog.is_some());
    assert!(d.governance.is_some());
    assert_eq!(
        d.maintainers.map(|f| f.path),
        Some(".github/CODEOWNERS".into())
    );
    assert_eq!(
        d.support.map(|f| (f.path, f.line)),
        Some(("README.md".into(), 7))
    );
    assert_eq!(
        d.build_instructions.map(|f| (f.path, f.line)),
        Some(("README.md".into(), 3))
    );
    assert_eq!(d.user_docs.map(|f| f.path), Some("README.md".into()));
    assert_eq!(d.contributing_requirements.map(|f| f.line), Some(4));
}

#[test]
fn security_txt_and_insights() {
    let dir = repo(&[
        (
            ".well-known/security.txt",
            b"Contact: mailto:security@example.org\nContact: https://example.org/report\nExpires: 2027-01-01T00:00:00Z\n",
        ),
        (
            "security-insights.yml",
            b"header:\n  schema-version: 2.0.0\n  last-updated: '2025-01-01'\nproject:\n  name: x\n  vulnerability-reporting:\n    reports-accepted: true\n    bug-bounty-available: false\n    contact:\n      name: Security team\n      email: security@example.org\n",
        ),
    ]);
    let e = evidence(&dir);
    let t = e.docs.security_txt.expect("security.txt");
    assert_eq!(t.path, ".well-known/security.txt");
    assert_eq!(
        t.contacts,
        vec!["https://example.org/report", "mailto:security@example.org"]
    );
    assert_eq!(t.expires.as_deref(), Some("2027-01-01T00:00:00Z"));
    let i = e.insights.expect("insights");
    assert_eq!(i.schema_version.as_deref(), Some("2.0.0"));
    assert!(i.has_vulnerability_reporting);
    assert!(i.has_security_contacts);
    assert!(i.digest.is_some());
}

#[test]
fn insights_v1_and_malformed() {
    let dir = repo(&[(
        ".github/security-insights.yaml",
        b"header:\n  schema-version: 1.0.0\nvulnerability-reporting:\n  accepts-vulnerability-reports: false\nsecurity-contacts:\n  - type: email\n    value: s@x.org\n",
    )]);
    let i = evidence(&dir).insights.expect("insights");
    assert_eq!(i.schema_version.as_deref(), Some("1.0.0"));
    assert!(!i.has_vulnerability_reporting);
    assert!(i.has_security_contacts);

    let dir = repo(&[("security-insights.yml", b"header: [unclosed\n  : :\n")]);
    let i = evidence(&dir).insights.expect("insights");
    assert_eq!(i.schema_version, None);
    assert!(!i.has_security_contacts);
}

#[test]
fn tests_fuzzing_sbom_and_release() {
    let dir = repo(&[
        ("tests/it.rs", b"#[test]\nfn t() {}\n"),
        ("tests/data/sample.json", b"{}"),
        ("src/lib.rs", b"pub fn f() {}\n\n#[cfg(test)]\nmod tests {}\n"),
        ("pkg/parse_test.go", b"package pkg\n\nfunc FuzzParse(f *testing.F) {}\n"),
        ("py/test_x.py", b"import atheris\n"),
        (
            "fuzz/Cargo.toml",
            b"[package]\nname = \"x-fuzz\"\n\n[package.metadata]\ncargo-fuzz = true\n\n[dependencies]\nlibfuzzer-sys = \"0.4\"\n",
        ),
        ("native/fuzz.cc", b"extern \"C\" int LLVMFuzzerTestOneInput(const uint8_t*, size_t) { return 0; }\n"),
        (".clusterfuzzlite/project.yaml", b"language: rust\n"),
        ("sbom/app.cdx.json", b"{\"bomFormat\": \"CycloneDX\"}"),
        ("sbom.json", b"{\"spdxVersion\": \"SPDX-2.3\"}"),
        (
            ".github/workflows/release.yml",
            b"on:\n  push:\n    tags: ['v*']\njobs:\n  r:\n    steps:\n      - uses: anchore/sbom-action@v0\n      - uses: sigstore/cosign-installer@v3\n      - uses: actions/attest-build-provenance@v2\n",
        ),
    ]);
    let e = evidence(&dir);
    assert!(e.tests.present);
    assert_eq!(
        e.tests.paths,
        vec!["tests", "pkg/parse_test.go", "py/test_x.py", "src/lib.rs"]
    );
    assert_eq!(e.tests.count, 4);

    let fuzz: Vec<(FuzzTool, &str, u64)> = e
        .fuzzing
        .tools
        .iter()
        .map(|t| (t.tool, t.path.as_str(), t.line))
        .collect();
    assert_eq!(
        fuzz,
        vec![
            (
                FuzzTool::Clusterfuzzlite,
                ".clusterfuzzlite/project.yaml",
                1
            ),
            (FuzzTool::CargoFuzz, "fuzz/Cargo.toml", 5),
            (FuzzTool::Libfuzzer, "native/fuzz.cc", 1),
            (FuzzTool::GoFuzz, "pkg/parse_test.go", 3),
            (FuzzTool::Atheris, "py/test_x.py", 1),
        ]
    );
    let sbom: Vec<(&str, SbomFormat)> = e
        .sbom
        .files
        .iter()
        .map(|s| (s.path.as_str(), s.format))
        .collect();
    assert_eq!(
        sbom,
        vec![
            ("sbom.json", SbomFormat::Spdx),
            ("sbom/app.cdx.json", SbomFormat::Cyclonedx)
        ]
    );
    assert_eq!(e.release.sbom_generation.map(|f| f.line), Some(7));
    assert_eq!(e.release.signing.map(|f| f.line), Some(8));
    assert_eq!(e.release.provenance.map(|f| f.line), Some(9));
}

#[test]
fn large_files_are_counted_not_read_but_sniffed() {
    let mut big = ELF_HEAD.to_vec();
    big.resize(64 * 1024, b'a');
    let token = fake_github_token();
    let mut big_text = "x".repeat(64 * 1024);
    big_text.push_str(&token);
    let dir = repo(&[
        ("big.bin", &big),
        ("big.txt", big_text.as_bytes()),
        ("small.txt", b"hi\n"),
    ]);
    let options = Options {
        max_file_size: 1024,
        ..Options::default()
    };
    let e = collect(dir.path(), &options).expect("collect");
    assert_eq!(e.walk.skipped_large, 2);
    assert_eq!(e.walk.files, 3);
    assert!(e.secrets.findings.is_empty());
    assert_eq!(e.binaries.files.len(), 1);
    assert_eq!(e.binaries.files[0].size, 64 * 1024);
    assert!(e.walk.bytes_read <= 2 * 1024 + 3, "{}", e.walk.bytes_read);
}

#[test]
fn git_remote_without_credentials() {
    let dir = repo(&[
        (
            ".git/config",
            b"[core]\n\tbare = false\n[remote \"origin\"]\n\turl = https://bot:secret@github.com/o/r\n",
        ),
        (".git/HEAD", b"ref: refs/heads/main\n"),
    ]);
    let e = evidence(&dir);
    assert!(e.project.is_git);
    assert_eq!(
        e.project.remote_url.as_deref(),
        Some("https://github.com/o/r")
    );
    assert_eq!(e.walk.files, 0, ".git is not walked");
    let dir = repo(&[("a.txt", b"x")]);
    let e = evidence(&dir);
    assert!(!e.project.is_git);
    assert_eq!(e.project.remote_url, None);
}

#[test]
fn errors_for_missing_root_file_root_and_bad_exclude() {
    use annex_checkout::CheckoutError;
    let dir = repo(&[("file.txt", b"x")]);
    let missing = dir.path().join("nope");
    assert!(matches!(
        collect(&missing, &Options::default()),
        Err(EvidenceError::Checkout(CheckoutError::NotFound { .. }))
    ));
    assert!(matches!(
        collect(&dir.path().join("file.txt"), &Options::default()),
        Err(EvidenceError::Checkout(CheckoutError::NotADirectory { .. }))
    ));
    let options = Options {
        exclude: vec!["!keep".into()],
        ..Options::default()
    };
    assert!(matches!(
        collect(dir.path(), &options),
        Err(EvidenceError::Checkout(
            CheckoutError::InvalidExclude { .. }
        ))
    ));
    // An unclosed `[` is literal in gitignore syntax, as git reads it: not an error.
    let options = Options {
        exclude: vec!["a/**[".into()],
        ..Options::default()
    };
    let e = collect(dir.path(), &options).expect("git accepts an unclosed class");
    assert!(e.walk.excluded.contains(&"a/**[".to_string()));
}

fn rich_repo() -> tempfile::TempDir {
    let token = fake_github_token();
    let mut files: Vec<(String, Vec<u8>)> = vec![
        ("SECURITY.md".into(), SECURITY_MD.into()),
        ("LICENSE".into(), MIT_TEXT.into()),
        ("README.md".into(), b"# x\n## Building\n".to_vec()),
        (
            ".github/workflows/ci.yml".into(),
            b"on: pull_request\njobs: {a: {steps: [{run: go test ./...}]}}\n".to_vec(),
        ),
        ("bin/a.exe".into(), ELF_HEAD.to_vec()),
        (
            "Cargo.toml".into(),
            b"[package]\nlicense = \"MIT\"\n".to_vec(),
        ),
        ("package.json".into(), b"{\"license\": \"MIT\"}".to_vec()),
    ];
    for i in 0..60 {
        files.push((
            format!("src/m{i}/mod_test.go"),
            format!("package m\n// {i}\nfunc FuzzX(f *testing.F) {{}}\n").into_bytes(),
        ));
        files.push((
            format!("src/m{i}/secret.env"),
            format!("T={token}\n").into_bytes(),
        ));
        files.push((format!("src/m{i}/lib.so"), ELF_HEAD.to_vec()));
    }
    let dir = tempfile::tempdir().expect("tempdir");
    for (rel, content) in &files {
        write_all(dir.path(), &[(rel.as_str(), content.as_slice())]);
    }
    dir
}

#[test]
fn deterministic_output() {
    let dir = rich_repo();
    let a = serde_json::to_string(&evidence(&dir)).expect("json");
    let b = serde_json::to_string(&evidence(&dir)).expect("json");
    let one_thread = Options {
        threads: 1,
        ..Options::default()
    };
    let c =
        serde_json::to_string(&collect(dir.path(), &one_thread).expect("collect")).expect("json");
    assert_eq!(a, b);
    assert_eq!(a, c);
    let e = evidence(&dir);
    assert_eq!(e.secrets.findings.len(), 60);
    assert_eq!(e.binaries.files.len(), 61);
    let paths: Vec<&str> = e.secrets.findings.iter().map(|f| f.path.as_str()).collect();
    let mut sorted = paths.clone();
    sorted.sort();
    assert_eq!(paths, sorted);
}

#[test]
fn round_trips_through_json() {
    let dir = rich_repo();
    let e = evidence(&dir);
    let text = serde_json::to_string_pretty(&e).expect("json");
    let back: annex_evidence::Evidence = serde_json::from_str(&text).expect("parse");
    assert_eq!(back, e);
}

#[test]
fn invalid_utf8_is_tolerated() {
    let mut bad = b"# Security\n\xff\xfe\xfd report to sec@x.org within 3 days\n".to_vec();
    bad.extend_from_slice(&[0xc3, 0x28, b'\n']);
    let dir = repo(&[("SECURITY.md", &bad), ("README.md", b"\xff\xff\n")]);
    let p = evidence(&dir).docs.security_policy.expect("policy");
    assert_eq!(p.contacts.len(), 1);
    assert_eq!(p.response_days.map(|r| r.days), Some(3));
    fs::remove_file(dir.path().join("README.md")).expect("rm");
}

/// Issue 16 item 6: a workflow above --max-file-size is not read; it is listed in
/// `unread[]` with the sections it feeds, never silently dropped.
#[test]
fn oversized_workflow_is_listed_as_unread() {
    let dir = repo(&[
        (".github/workflows/ci.yml", b"on: push\njobs: {}\n"),
        (".github/workflows/big.yml", &[b'#'; 2048]),
    ]);
    let options = Options {
        max_file_size: 1024,
        ..Options::default()
    };
    let e = annex_evidence::collect(dir.path(), &options).expect("collect");
    let unread: Vec<(&str, UnreadReason)> = e
        .unread
        .iter()
        .map(|u| (u.path.as_str(), u.reason))
        .collect();
    assert_eq!(
        unread,
        vec![(".github/workflows/big.yml", UnreadReason::TooLarge)]
    );
    assert!(e.unread[0].sections.iter().any(|s| s == "ci"));
    assert!(e.unread[0].detail.contains("2048 bytes"));
}

/// Item 6: a workflow that is not valid YAML is listed as unread (`invalid`).
#[test]
fn unparsable_workflow_is_listed_as_unread() {
    let dir = repo(&[(".github/workflows/bad.yml", b"on: [push\njobs: {\n")]);
    let e = evidence(&dir);
    assert_eq!(e.unread.len(), 1, "{:?}", e.unread);
    assert_eq!(e.unread[0].reason, UnreadReason::Invalid);
    assert_eq!(e.unread[0].path, ".github/workflows/bad.yml");
}

/// Item 7: a SECURITY.md or LICENSE that cannot be opened (here removed after indexing,
/// which fails the same way as chmod 000 does for a non-root user) is reported unread, not
/// taken as absent.
#[test]
fn unopenable_policy_and_licence_are_listed_as_unread() {
    let dir = repo(&[
        ("SECURITY.md", b"# Security\nMail security@example.org\n"),
        ("LICENSE", b"MIT License\n"),
        ("README.md", b"# x\n"),
    ]);
    let index =
        annex_checkout::FileIndex::build(dir.path(), &annex_checkout::IndexOptions::default())
            .expect("index");
    fs::remove_file(dir.path().join("SECURITY.md")).expect("rm");
    fs::remove_file(dir.path().join("LICENSE")).expect("rm");
    let e = annex_evidence::collect_indexed(&index, &Options::default());
    let got: Vec<(&str, UnreadReason)> = e
        .unread
        .iter()
        .map(|u| (u.path.as_str(), u.reason))
        .collect();
    assert_eq!(
        got,
        vec![
            ("LICENSE", UnreadReason::Unreadable),
            ("SECURITY.md", UnreadReason::Unreadable)
        ]
    );
    let licence = e
        .unread
        .iter()
        .find(|u| u.path == "LICENSE")
        .expect("licence");
    assert_eq!(licence.sections, vec!["license".to_string()]);
    let policy = e
        .unread
        .iter()
        .find(|u| u.path == "SECURITY.md")
        .expect("policy");
    assert!(policy.sections.iter().any(|s| s == "docs"));
}
