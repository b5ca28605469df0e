//! One pipeline: every command reads the same lockfiles of the same checkout, with
//! annex.toml's `[scope]` and `--exclude` applied alike, and says which it skipped and why.
use annex_testkit::{git, write};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::Path;
use tempfile::TempDir;

mod common;
use common::{annex, imported_db};

const VULNERABLE: &str = "urllib3==1.24.1\n";

/// A checkout whose lockfiles are read, excluded by each origin, and tracked-but-ignored.
fn checkout() -> TempDir {
    let dir = TempDir::new().unwrap();
    let root = dir.path();
    write(root, "README.md", "# demo\n\nA demo library.\n");
    write(root, "src/demo.py", "def hello():\n    return 1\n");
    // Read: the root requirements, and one that .gitignore matches but git tracks.
    write(root, "requirements.txt", VULNERABLE);
    write(root, "requirements-prod.txt", "urllib3==1.24.2\n");
    write(root, ".gitignore", "requirements-prod.txt\n");
    // Left out by annex.toml [scope], by --exclude, and by the default excludes.
    write(root, "tools/requirements.txt", VULNERABLE);
    write(root, "scripts/requirements.txt", VULNERABLE);
    write(root, "examples/demo/requirements.txt", VULNERABLE);
    write(
        root,
        "annex.toml",
        r#"[product]
name = "demo"
version = "1.0.0"
type = "library"

[manufacturer]
name = "Demo Org"
website = "https://demo.example"

[security]
contact = "security@demo.example"

[support]
end = "2031-12"

[scope]
exclude = ["tools/"]
"#,
    );
    git(root, &["init", "-q"]);
    git(root, &["add", "."]);
    git(root, &["add", "-f", "requirements-prod.txt"]);
    git(root, &["commit", "-q", "-m", "init"]);
    dir
}

fn db() -> TempDir {
    imported_db(&["../../../shared/data/osv/pypa/vulns/urllib3"])
}

fn json(args: &[&str], root: &Path, db: Option<&Path>) -> (Value, String) {
    let mut cmd = annex();
    cmd.args(args).arg(root).args(["--exclude", "scripts/"]);
    if let Some(db) = db {
        cmd.arg("--db").arg(db);
    }
    let out = cmd.output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    let doc =
        serde_json::from_slice(&out.stdout).unwrap_or_else(|e| panic!("{args:?}: {e}\n{stderr}"));
    (doc, stderr)
}

fn skipped(doc: &Value) -> BTreeSet<(String, String)> {
    doc["skipped"]
        .as_array()
        .expect("skipped[] is present")
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| s.to_string()).collect()
}

#[test]
fn every_command_reads_the_same_lockfiles() {
    let repo = checkout();
    let root = repo.path();
    let db = db();
    let read = set(&["requirements-prod.txt", "requirements.txt"]);
    let expected_skipped: BTreeSet<(String, String)> = [
        ("examples/demo/requirements.txt", "default-excluded"),
        ("scripts/requirements.txt", "excluded"),
        ("tools/requirements.txt", "excluded"),
    ]
    .iter()
    .map(|(p, r)| (p.to_string(), r.to_string()))
    .collect();

    // inventory: the subjects are exactly the files read.
    let (inv, stderr) = json(&["inventory", "--format", "json"], root, None);
    let subjects: BTreeSet<String> = inv["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(subjects, read);
    assert_eq!(skipped(&inv), expected_skipped);
    assert!(
        stderr.contains("skipped: examples/demo/requirements.txt (default-excluded"),
        "{stderr}"
    );

    // evidence: the same dependency files, the same skipped list.
    let (ev, _) = json(&["evidence"], root, None);
    let manifests: BTreeSet<String> = ev["deps"]["manifests"]
        .as_array()
        .unwrap()
        .iter()
        .chain(ev["deps"]["lockfiles"].as_array().unwrap())
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(manifests, read);
    assert_eq!(skipped(&ev["deps"]), expected_skipped);

    // vulns: findings come only from the files read.
    let (found, _) = json(
        &["vulns", "--format", "json", "--fail-on", "never"],
        root,
        Some(db.path()),
    );
    let sources: BTreeSet<String> = found["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["package"]["source"]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(sources, read, "{found:#}");
    assert_eq!(skipped(&found), expected_skipped);

    // check: the same skipped list; the known-vulnerability result points at the files read.
    let (check, _) = json(
        &[
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--profile",
            "cra-manufacturer",
        ],
        root,
        Some(db.path()),
    );
    assert_eq!(skipped(&check), expected_skipped);
    let vuln_result = check["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == "CRA-AI-1.2a")
        .expect("the known-vulnerability requirement is assessed");
    assert_eq!(vuln_result["status"], "fail");
    let pointed: BTreeSet<String> = vuln_result["evidence"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(pointed, read);

    // sbom: the components of the files read, no more.
    let (bom, _) = json(&["sbom"], root, None);
    let inventory_purls: BTreeSet<String> = inv["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|s| s["components"].as_array().unwrap())
        .map(|c| c["purl"].as_str().unwrap().to_string())
        .collect();
    let bom_purls: BTreeSet<String> = bom["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["purl"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(bom_purls, inventory_purls);

    // docs: the technical documentation describes that same SBOM.
    let out = TempDir::new().unwrap();
    annex()
        .args(["docs", "--kind", "technical-file", "--today", "2026-11-25"])
        .arg(root)
        .args(["--exclude", "scripts/", "--db"])
        .arg(db.path())
        .arg("--output")
        .arg(out.path())
        .assert()
        .success();
    let text =
        std::fs::read_to_string(out.path().join("docs/cra/technical-documentation.md")).unwrap();
    let listing = format!("listing {} components", bom_purls.len());
    assert!(text.contains(&listing), "{listing} not in:\n{text}");
}

#[test]
fn no_default_excludes_reads_the_default_excluded_trees() {
    let repo = checkout();
    let mut cmd = annex();
    let out = cmd
        .args(["inventory", "--format", "json", "--no-default-excludes"])
        .arg(repo.path())
        .output()
        .unwrap();
    let inv: Value = serde_json::from_slice(&out.stdout).unwrap();
    let subjects: BTreeSet<String> = inv["subjects"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect();
    assert!(
        subjects.contains("examples/demo/requirements.txt"),
        "{subjects:?}"
    );
    assert!(subjects.contains("scripts/requirements.txt"));
    assert!(
        !subjects.contains("tools/requirements.txt"),
        "[scope] still applies"
    );
}

#[test]
fn a_scan_that_finds_no_lockfile_says_so() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "README.md", "# nothing to lock\n");
    annex()
        .arg("inventory")
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicates::str::contains(
            "no lockfile or manifest was read",
        ));
}

#[test]
fn a_huge_thread_count_is_capped_with_a_warning() {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "requirements.txt", VULNERABLE);
    annex()
        .args(["inventory", "--threads", "100000"])
        .arg(dir.path())
        .assert()
        .success()
        .stderr(predicates::str::contains("--threads 100000 is more than"));
}

/// What the known-vulnerability requirement says for a checkout with these files.
fn vulnerability_status(files: &[(&str, &str)], db: &Path) -> Value {
    let dir = TempDir::new().unwrap();
    write(dir.path(), "src/demo.py", "def hello():\n    return 1\n");
    for (rel, text) in files {
        write(dir.path(), rel, text);
    }
    let out = annex()
        .args([
            "check",
            "--format",
            "json",
            "--fail-on",
            "never",
            "--profile",
            "cra-manufacturer",
            "--db",
        ])
        .arg(db)
        .arg(dir.path())
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    doc["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == "CRA-AI-1.2a")
        .unwrap()
        .clone()
}

#[test]
fn a_lockfile_that_cannot_be_read_makes_no_vulnerability_unknown_not_pass() {
    let db = db();
    let clean = vulnerability_status(&[("requirements.txt", "urllib3==2.2.2\n")], db.path());
    assert_eq!(clean["status"], "pass", "{clean:#}");
    let broken = vulnerability_status(
        &[
            ("requirements.txt", "urllib3==2.2.2\n"),
            (
                "Cargo.lock",
                "version = 3\n\n[[package]]\nname = \"x\"\nversion = \n",
            ),
        ],
        db.path(),
    );
    assert_eq!(broken["status"], "unknown", "{broken:#}");
    let reason = broken["reason"].as_str().unwrap();
    assert!(reason.contains("Cargo.lock (unreadable)"), "{reason}");
    // A finding in what was read is still a fail.
    let found = vulnerability_status(
        &[
            ("requirements.txt", VULNERABLE),
            (
                "Cargo.lock",
                "version = 3\n\n[[package]]\nname = \"x\"\nversion = \n",
            ),
        ],
        db.path(),
    );
    assert_eq!(found["status"], "fail", "{found:#}");
}

/// The requirement is `unknown`, and its reason says why with `needle`.
fn assert_unknown(r: &Value, needle: &str) {
    assert_eq!(r["status"], "unknown", "{r:#}");
    assert!(r["reason"].as_str().unwrap().contains(needle), "{r:#}");
}

#[test]
fn a_failed_update_leaves_no_pass_behind() {
    let db = TempDir::new().unwrap();
    // Nothing listens on a port just released.
    let port = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap()
        .port();
    let url = format!("http://127.0.0.1:{port}/all.zip");
    annex()
        .args(["db", "update", "--url", &url, "--db"])
        .arg(db.path())
        .assert()
        .failure();
    let r = vulnerability_status(&[("requirements.txt", "idna==3.7\n")], db.path());
    assert_unknown(&r, "holds no advisories");
}

#[test]
fn a_database_without_the_projects_ecosystem_gives_unknown() {
    let db = imported_db(&["../../../shared/data/osv/rustsec"]);
    let r = vulnerability_status(&[("requirements.txt", "idna==3.7\n")], db.path());
    assert_unknown(&r, "no advisories for ecosystem PyPI");
}

#[test]
fn dependencies_without_a_resolved_version_give_unknown() {
    let db = db();
    // Only ranges: nothing can be looked up, so "no known vulnerability" would be a guess.
    let r = vulnerability_status(&[("requirements.txt", "urllib3>=1.24\n")], db.path());
    assert_unknown(&r, "1 dependency without a resolved version");
    assert_unknown(&r, "urllib3>=1.24 (requirements.txt:1)");
    // Pinned alongside a range: the range still leaves the answer open.
    let r = vulnerability_status(
        &[(
            "requirements.txt",
            "urllib3==2.2.2\nrequests>=2\nidna~=3.0\n",
        )],
        db.path(),
    );
    assert_unknown(&r, "2 dependencies without a resolved version");
}
