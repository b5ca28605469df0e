//! The YAML-aware CI analysis: every finding kind, with its file and line, over the
//! fixtures in tests/fixtures/workflows/ laid out as a repository.

mod common;

use annex_evidence::{CiStep, Evidence, PinCount, WorkflowFinding};
use common::*;

macro_rules! fixture {
    ($name:literal) => {
        include_str!(concat!("fixtures/workflows/", $name))
    };
}

fn evidence_of(files: &[(&str, &str)]) -> Evidence {
    let files: Vec<(&str, &[u8])> = files.iter().map(|(p, c)| (*p, c.as_bytes())).collect();
    let dir = repo(&files);
    evidence(&dir)
}

/// (kind, line, job) of the findings in one file.
fn findings<'a>(e: &'a Evidence, path: &str) -> Vec<(&'a str, u64, Option<&'a str>)> {
    e.ci.workflow_findings
        .iter()
        .filter(|f| f.path == path)
        .map(|f| (f.kind.as_str(), f.line, f.job.as_deref()))
        .collect()
}

fn steps(list: &[CiStep]) -> Vec<(&str, &str, u64, bool, bool)> {
    list.iter()
        .map(|s| {
            (
                s.tool.as_str(),
                s.path.as_str(),
                s.line,
                s.on_pull_request,
                s.release,
            )
        })
        .collect()
}

const PR_TARGET: &str = ".github/workflows/pr_target.yml";
const INJECTION: &str = ".github/workflows/injection.yml";
const RELEASE: &str = ".github/workflows/release.yml";
const CI: &str = ".github/workflows/ci.yml";
const BROKEN: &str = ".github/workflows/broken.yml";

fn all() -> Evidence {
    evidence_of(&[
        (PR_TARGET, fixture!("pr_target.yml")),
        (INJECTION, fixture!("injection.yml")),
        (RELEASE, fixture!("release.yml")),
        (CI, fixture!("ci.yml")),
        (BROKEN, fixture!("broken.yml")),
        (".github/actions/setup/action.yml", fixture!("action.yml")),
        (".gitlab-ci.yml", fixture!("gitlab-ci.yml")),
        ("docker/Dockerfile", fixture!("Dockerfile")),
        ("scripts/install.sh", fixture!("install.sh")),
        (
            "requirements.txt",
            "requests==2.32.3 \\\n    --hash=sha256:00ff\n",
        ),
    ])
}

#[test]
fn pull_request_target_checkout_injection_and_secrets() {
    let e = all();
    assert_eq!(
        findings(&e, PR_TARGET),
        vec![
            ("untrusted-checkout", 13, Some("build")),
            ("script-injection", 17, Some("build")),
            ("secrets-on-pull-request", 20, Some("build")),
        ]
    );
    let f: &WorkflowFinding =
        e.ci.workflow_findings
            .iter()
            .find(|f| f.kind == "script-injection" && f.path == PR_TARGET)
            .unwrap();
    assert!(
        f.detail.contains("github.event.pull_request.title"),
        "{f:?}"
    );
}

#[test]
fn injection_permissions_runners_and_pinning() {
    let e = all();
    assert_eq!(
        findings(&e, INJECTION),
        vec![
            ("permissions-undeclared", 1, None),
            ("self-hosted-runner", 7, Some("triage")),
            ("permissions-write", 8, Some("triage")),
            ("unpinned-action", 11, Some("triage")),
            ("script-injection", 14, Some("triage")),
            ("script-injection", 16, Some("triage")),
            ("unpinned-action", 17, Some("triage")),
        ]
    );
    let p =
        e.ci.workflow_permissions
            .iter()
            .find(|p| p.path == INJECTION)
            .unwrap();
    assert_eq!(p.top, "undeclared");
    assert_eq!(p.jobs[0].permissions, "write");
    assert_eq!(p.jobs[0].writes, vec!["issues"]);
}

#[test]
fn release_workflow_signing_sbom_publishing() {
    let e = all();
    assert_eq!(
        findings(&e, RELEASE),
        vec![
            ("permissions-write-all", 5, None),
            ("unpinned-image", 9, Some("publish")),
            ("unpinned-action", 16, Some("publish")),
        ]
    );
    assert!(steps(&e.ci.sbom_steps).contains(&("syft", RELEASE, 13, false, true)));
    let signing = steps(&e.ci.signing_steps);
    for s in [
        ("cosign", RELEASE, 14, false, true),
        ("cosign", RELEASE, 15, false, true),
        ("attest-build-provenance", RELEASE, 16, false, true),
    ] {
        assert!(signing.contains(&s), "{s:?} in {signing:?}");
    }
    assert!(steps(&e.ci.publish_steps).contains(&("cargo-publish", RELEASE, 17, false, true)));
    let p =
        e.ci.workflow_permissions
            .iter()
            .find(|p| p.path == RELEASE)
            .unwrap();
    assert_eq!((p.top.as_str(), p.line), ("write-all", 5));
}

#[test]
fn pull_request_ci_tests_sast_sca_and_fetches() {
    let e = all();
    assert_eq!(
        findings(&e, CI),
        vec![
            ("download-then-run", 13, Some("test")),
            ("pip-unpinned", 15, Some("test")),
            ("npm-install", 17, Some("test")),
        ]
    );
    assert!(steps(&e.ci.test_steps).contains(&("tests", CI, 19, true, false)));
    assert_eq!(
        steps(&e.ci.sast_steps)
            .into_iter()
            .filter(|s| s.1 == CI)
            .collect::<Vec<_>>(),
        vec![("codeql", CI, 20, true, false)]
    );
    let sca: Vec<_> = steps(&e.ci.sca_steps)
        .into_iter()
        .filter(|s| s.1 == CI)
        .collect();
    assert_eq!(
        sca,
        vec![
            ("dependency-review", CI, 21, true, false),
            ("cargo-deny", CI, 22, true, false)
        ]
    );
}

#[test]
fn invalid_yaml_is_a_finding_and_the_rest_is_analysed() {
    let e = all();
    let broken = findings(&e, BROKEN);
    assert_eq!(broken.len(), 1, "{broken:?}");
    assert_eq!(broken[0].0, "invalid-yaml");
    assert!(broken[0].1 >= 4, "{broken:?}");
    let f =
        e.ci.workflow_findings
            .iter()
            .find(|f| f.path == BROKEN)
            .unwrap();
    assert!(f.detail.contains("could not be read"), "{f:?}");
    // The other workflows were still read.
    assert!(!findings(&e, CI).is_empty());
    let workflows =
        e.ci.workflows
            .iter()
            .filter(|w| w.path.starts_with(".github/workflows/"))
            .count();
    assert_eq!(workflows, 5);
}

#[test]
fn composite_action_gitlab_dockerfile_and_scripts() {
    let e = all();
    assert_eq!(
        findings(&e, ".github/actions/setup/action.yml"),
        vec![("unpinned-action", 5, None), ("download-then-run", 7, None)]
    );
    assert_eq!(
        findings(&e, ".gitlab-ci.yml"),
        vec![
            ("remote-include", 2, None),
            ("unpinned-image", 3, None),
            ("download-then-run", 10, Some("test")),
        ]
    );
    assert!(steps(&e.ci.test_steps).contains(&("tests", ".gitlab-ci.yml", 9, true, false)));
    assert_eq!(
        findings(&e, "docker/Dockerfile"),
        vec![
            ("unpinned-image", 1, None),
            ("download-then-run", 2, None),
            ("pip-unpinned", 2, None),
        ]
    );
    assert_eq!(
        findings(&e, "scripts/install.sh"),
        vec![("download-then-run", 2, None)]
    );
}

#[test]
fn pinning_counts() {
    let e = all();
    let p = &e.ci.pinning;
    let c = |pinned, total| PinCount { pinned, total };
    // checkout ×3 and codeql, dependency-review pinned; github-script@v7, attest@v1 not.
    assert_eq!(p.actions_github_owned, c(5, 7));
    // As Scorecard, the composite action (third/party-action@v2, a curl | bash) and GitLab
    // CI (rust:1.80, rust@sha256:…, a curl | bash) are not counted; their findings stand.
    // labeler@main unpinned; sbom-action, cosign-installer pinned.
    assert_eq!(p.actions_third_party, c(2, 3));
    // node:20, golang:1.22 unpinned; docker://alpine@, distroless@ pinned.
    assert_eq!(p.container_images, c(2, 4));
    // ci.yml, Dockerfile, install.sh.
    assert_eq!(p.download_then_run, c(0, 3));
    assert!(
        e.ci.workflow_findings
            .iter()
            .any(|f| f.path == ".github/actions/setup/action.yml" && f.kind == "unpinned-action")
    );
    // ci.yml: requests (no), --require-hashes (yes); Dockerfile: flask (no).
    assert_eq!(p.pip, c(1, 3));
    // ci.yml: npm install, npm ci; install.sh: npm ci.
    assert_eq!(p.npm, c(2, 3));
}

#[test]
fn manual_inputs_interpolated_into_scripts() {
    let path = ".github/workflows/dispatch.yml";
    let e = evidence_of(&[(path, fixture!("dispatch.yml"))]);
    assert_eq!(
        findings(&e, path),
        vec![
            ("permissions-write", 10, Some("tag")),
            ("input-interpolation", 13, Some("tag")),
        ]
    );
    let p = &e.ci.workflow_permissions[0];
    assert_eq!((p.top.as_str(), p.line), ("none", 6));
    assert_eq!(p.jobs[0].writes, vec!["contents"]);
}

#[test]
fn hashed_requirements_file_counts_as_pinned() {
    let wf = "on: push\npermissions: {}\njobs:\n  a:\n    runs-on: x\n    steps:\n      - run: pip install -r requirements.txt\n      - run: pip install -r other.txt\n";
    let e = evidence_of(&[
        (".github/workflows/a.yml", wf),
        ("requirements.txt", "a==1 --hash=sha256:00\n"),
        ("other.txt", "a==1\n"),
    ]);
    assert_eq!(
        e.ci.pinning.pip,
        PinCount {
            pinned: 1,
            total: 2
        }
    );
    assert_eq!(
        findings(&e, ".github/workflows/a.yml"),
        vec![("pip-unpinned", 8, Some("a"))]
    );
    let p = &e.ci.workflow_permissions[0];
    assert_eq!(
        (p.top.as_str(), p.jobs[0].permissions.as_str()),
        ("none", "undeclared")
    );
}

#[test]
fn new_ci_keys_are_always_present() {
    let dir = repo(&[("README.md", b"# x\n")]);
    let v = json(&evidence(&dir));
    for key in [
        "workflow_findings",
        "workflow_permissions",
        "test_steps",
        "sast_steps",
        "sca_steps",
        "sbom_steps",
        "signing_steps",
        "publish_steps",
    ] {
        assert_eq!(v["ci"][key], serde_json::json!([]), "{key}");
    }
    assert_eq!(
        v["ci"]["pinning"]["actions_third_party"],
        serde_json::json!({"pinned": 0, "total": 0})
    );
}

/// A workflow_run workflow checking out the upstream's head (the shape of Dexie.js's
/// publish.yml, which runs after "Build and Test"): untrusted code only when a pull request
/// can start the upstream workflow, found by its `name:` in the same repository.
#[test]
fn workflow_run_checkout_depends_on_what_starts_the_upstream() {
    let publish = "name: Publish\non:\n  workflow_run:\n    workflows: [\"Build and Test\"]\n    types: [completed]\npermissions:\n  contents: read\njobs:\n  publish:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@b4ffde65f46336ab88eb53be808477a3936bae11\n        with:\n          ref: ${{ github.event.workflow_run.head_sha }}\n      - run: npm publish\n";
    let upstream = |on: &str| {
        format!(
            "name: Build and Test\non:\n{on}jobs:\n  t:\n    runs-on: x\n    steps:\n      - run: make test\n"
        )
    };
    const PUBLISH: &str = ".github/workflows/publish.yml";
    const MAIN: &str = ".github/workflows/main.yml";

    let push_only = upstream("  push:\n    branches: [master]\n  workflow_dispatch:\n");
    let e = evidence_of(&[(PUBLISH, publish), (MAIN, &push_only)]);
    assert_eq!(
        findings(&e, PUBLISH),
        vec![("workflow-run-checkout", 14, Some("publish"))]
    );
    let f =
        e.ci.workflow_findings
            .iter()
            .find(|f| f.path == PUBLISH)
            .unwrap();
    assert!(
        f.detail.contains(
            "`Build and Test` (.github/workflows/main.yml) runs only on push, workflow_dispatch"
        ),
        "{}",
        f.detail
    );

    let with_pr = upstream("  push:\n  pull_request:\n    types: [opened, synchronize]\n");
    let e = evidence_of(&[(PUBLISH, publish), (MAIN, &with_pr)]);
    assert_eq!(
        findings(&e, PUBLISH),
        vec![("untrusted-checkout", 14, Some("publish"))]
    );

    // The upstream is not in the repository: it cannot be told, so it stays dangerous.
    let e = evidence_of(&[(PUBLISH, publish)]);
    assert_eq!(
        findings(&e, PUBLISH),
        vec![("untrusted-checkout", 14, Some("publish"))]
    );
}
