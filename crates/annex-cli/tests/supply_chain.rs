//! `annex inventory`, `annex sbom`, `annex db` and `annex vulns` end to end.
use assert_cmd::Command;
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

const FIXTURES: &str = "../annex-inventory/tests/fixtures";

fn annex() -> Command {
    Command::cargo_bin("annex").unwrap()
}

fn validate(kind: &str, file: &Path) {
    let out = std::process::Command::new("python3")
        .arg("../../../shared/tools/validate_doc.py")
        .arg(kind)
        .arg(file)
        .output()
        .expect(
            "python3 runs (install python3 and `pip install 'jsonschema[format-nongpl]>=4.18'`)",
        );
    assert!(
        out.status.success(),
        "{kind} {}: {}{}",
        file.display(),
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
}

fn vulnerable_repo() -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(
        dir.path().join("requirements.txt"),
        "urllib3==1.24.1\nrequests==2.31.0\n",
    )
    .unwrap();
    dir
}

fn db() -> TempDir {
    let dir = TempDir::new().unwrap();
    annex()
        .args(["db", "import", "--db"])
        .arg(dir.path())
        .args([
            "../../../shared/data/osv/pypa",
            "../../../shared/data/osv/rustsec",
        ])
        .assert()
        .success()
        .stdout(contains("PyPI").and(contains("skipped: ").and(contains("false_positives.yaml"))));
    dir
}

#[test]
fn inventory_text_and_json() {
    let dir = format!("{FIXTURES}/cargo/v4");
    annex()
        .args(["inventory", &dir])
        .assert()
        .success()
        .stdout(contains("Cargo.lock (Cargo.lock v4, crates.io)").and(contains("  serde ")));
    let out = annex()
        .args(["inventory", &dir, "--format", "json"])
        .output()
        .unwrap();
    let inv: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(inv["schema"], "annex/inventory/v1");
    let comps = inv["subjects"][0]["components"].as_array().unwrap();
    assert!(comps.iter().any(
        |c| c["name"] == "serde" && c["purl"].as_str().unwrap().starts_with("pkg:cargo/serde@")
    ));
    assert!(
        comps
            .iter()
            .all(|c| c["location"]["line"].as_u64().unwrap() > 0)
    );
}

#[test]
fn malformed_lockfile_exit_2_or_warning_with_keep_going() {
    let dir = TempDir::new().unwrap();
    std::fs::create_dir_all(dir.path().join("a")).unwrap();
    std::fs::write(
        dir.path().join("a/Cargo.lock"),
        "version = 3\n\n[[package]]\nname = \"x\"\nversion = \n",
    )
    .unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "idna==3.7\n").unwrap();
    annex()
        .arg("inventory")
        .arg(dir.path())
        .assert()
        .code(2)
        .stderr(contains("a/Cargo.lock:5"));
    annex()
        .arg("inventory")
        .arg(dir.path())
        .arg("--keep-going")
        .assert()
        .success()
        .stderr(contains("warning: ").and(contains("a/Cargo.lock:5")))
        .stdout(contains("idna 3.7"));
}

#[test]
fn sbom_formats_validate_and_are_reproducible() {
    let dir = TempDir::new().unwrap();
    let src = format!("{FIXTURES}/npm");
    for (format, kind, name) in [
        ("cyclonedx-json", Some("cdx-1.6"), "bom.cdx.json"),
        ("spdx-json", Some("spdx-2.3"), "bom.spdx.json"),
        ("spdx3-json", None, "bom.spdx3.json"),
        ("cyclonedx-xml", None, "bom.cdx.xml"),
        ("spdx-tag", None, "bom.spdx"),
    ] {
        let out = dir.path().join(name);
        annex()
            .args(["sbom", &src, "--format", format, "--output"])
            .arg(&out)
            .assert()
            .success()
            .stderr(contains("components from"));
        let first = std::fs::read(&out).unwrap();
        assert!(!first.is_empty());
        annex()
            .args(["sbom", &src, "--format", format, "--output"])
            .arg(&out)
            .assert()
            .success();
        assert_eq!(
            first,
            std::fs::read(&out).unwrap(),
            "{format} is byte-identical across runs"
        );
        if let Some(kind) = kind {
            validate(kind, &out);
        }
    }
    let v17 = dir.path().join("bom17.json");
    annex()
        .args(["sbom", &src, "--spec-version", "1.7", "--output"])
        .arg(&v17)
        .assert()
        .success();
    validate("cdx-1.7", &v17);
}

#[test]
fn sbom_bsi_check_lists_gaps() {
    let dir = format!("{FIXTURES}/cargo/v4");
    annex()
        .args(["sbom", &dir, "--check", "bsi"])
        .assert()
        .code(1)
        .stdout(contains("BSI TR-03183-2").and(contains("component(s)")));
}

#[test]
fn db_import_stats_and_vulns() {
    let db = db();
    annex()
        .args(["db", "stats", "--db"])
        .arg(db.path())
        .assert()
        .success()
        .stdout(contains("PYSEC").and(contains("RUSTSEC")));
    let repo = vulnerable_repo();
    // Findings exit 1 by default, with the file and line of the pinned package.
    annex()
        .args(["vulns", "--db"])
        .arg(db.path())
        .arg(repo.path())
        .assert()
        .code(1)
        .stdout(contains("urllib3@1.24.1 PYSEC-2019-132").and(contains("(requirements.txt:1)")));
    annex()
        .args(["vulns", "--fail-on", "never", "--db"])
        .arg(db.path())
        .arg(repo.path())
        .assert()
        .success();
    let out = annex()
        .args(["vulns", "--format", "json", "--db"])
        .arg(db.path())
        .arg(repo.path())
        .output()
        .unwrap();
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["schema"], "annex/findings/v1");
    let ids: Vec<&str> = doc["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert!(ids.contains(&"PYSEC-2019-132"), "{ids:?}");
    // requests 2.31.0 is the fixed version of PYSEC-2023-74: no finding for it.
    assert!(
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .all(|f| f["package"]["name"] != "requests")
    );
    let sarif = repo.path().join("v.sarif");
    annex()
        .args([
            "vulns",
            "--format",
            "sarif",
            "--fail-on",
            "never",
            "--output",
        ])
        .arg(&sarif)
        .arg("--db")
        .arg(db.path())
        .arg(repo.path())
        .assert()
        .success();
    validate("sarif-2.1.0", &sarif);
    // The same packages through an SBOM give the same findings.
    let bom = repo.path().join("bom.json");
    annex()
        .arg("sbom")
        .arg(repo.path())
        .arg("--output")
        .arg(&bom)
        .assert()
        .success();
    let out = annex()
        .args(["vulns", "--format", "json", "--sbom"])
        .arg(&bom)
        .arg("--db")
        .arg(db.path())
        .output()
        .unwrap();
    let via_sbom: Value = serde_json::from_slice(&out.stdout).unwrap();
    let ids2: Vec<&str> = via_sbom["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ids2);
}

#[test]
fn vulns_without_a_database_says_how_to_get_one() {
    let empty = TempDir::new().unwrap();
    annex()
        .args(["vulns", "--db"])
        .arg(empty.path().join("none"))
        .arg(".")
        .assert()
        .code(2)
        .stderr(contains("annex db import"));
}

#[test]
fn check_uses_the_findings_for_known_vulnerabilities() {
    let db = db();
    let repo = vulnerable_repo();
    std::fs::write(repo.path().join("app.py"), "print('hello')\n").unwrap();
    let run = |extra: &[&str]| -> Value {
        let out = annex()
            .args([
                "check",
                "--profile",
                "cra-manufacturer",
                "--format",
                "json",
                "--fail-on",
                "never",
            ])
            .args(extra)
            .arg(repo.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let result = |a: &Value, id: &str| {
        a["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["requirement"] == id)
            .unwrap()
            .clone()
    };
    let with_db = run(&["--db", db.path().to_str().unwrap()]);
    let r = result(&with_db, "CRA-AI-1.2a");
    assert_eq!(r["status"], "fail");
    assert!(
        r["reason"].as_str().unwrap().contains("requirements.txt:1"),
        "{r}"
    );
    let without = run(&["--no-vulns"]);
    assert_eq!(result(&without, "CRA-AI-1.2a")["status"], "needs-review");
}
