//! `annex inventory`, `annex sbom`, `annex db` and `annex vulns` end to end.
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

mod common;
use common::{annex, imported_db, validate};

const FIXTURES: &str = "../annex-inventory/tests/fixtures";

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
        .stderr(contains("skipped: a/Cargo.lock (unreadable: ").and(contains("a/Cargo.lock:5")))
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
            .stderr(contains("components and"));
        let first = std::fs::read(&out).unwrap();
        assert!(!first.is_empty());
        // Replacing the file needs --force.
        annex()
            .args(["sbom", &src, "--format", format, "--force", "--output"])
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

#[test]
fn vex_triage_suppresses_and_vex_documents_validate() {
    let db = db();
    let repo = vulnerable_repo();
    let run = |args: &[&str]| {
        annex()
            .args([
                "vulns",
                "--format",
                "json",
                "--fail-on",
                "never",
                "--today",
                "2026-11-25",
                "--db",
            ])
            .arg(db.path())
            .args(args)
            .arg(repo.path())
            .output()
            .unwrap()
    };
    let status_of = |out: &std::process::Output, id: &str| -> (bool, Option<String>) {
        let doc: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|_| panic!("{}", String::from_utf8_lossy(&out.stderr)));
        let f = doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .find(|f| f["id"] == id)
            .unwrap()
            .clone();
        (
            f["suppressed"].as_bool().unwrap(),
            f["vex"]["status"].as_str().map(str::to_string),
        )
    };
    // annex.toml triage, found by its id or an alias, for the package purl without version.
    std::fs::write(
        repo.path().join("annex.toml"),
        "[[vex]]\nid = \"CVE-2019-11236\"\npackage = \"pkg:pypi/urllib3\"\nstatus = \"not_affected\"\njustification = \"vulnerable_code_not_in_execute_path\"\n",
    )
    .unwrap();
    let out = run(&[]);
    assert_eq!(
        status_of(&out, "PYSEC-2019-132"),
        (true, Some("not_affected".into()))
    );
    assert_eq!(status_of(&out, "PYSEC-2019-133"), (false, None));
    // Written VEX documents validate and carry the triage.
    for (format, kind) in [("openvex", "openvex"), ("cyclonedx-vex", "cdx-1.6")] {
        let file = repo.path().join(format!("{format}.json"));
        annex()
            .args([
                "vulns",
                "--format",
                format,
                "--fail-on",
                "never",
                "--output",
            ])
            .arg(&file)
            .arg("--db")
            .arg(db.path())
            .arg(repo.path())
            .assert()
            .success();
        validate(kind, &file);
    }
    // An OpenVEX document given with --vex triages too (annex.toml removed).
    std::fs::remove_file(repo.path().join("annex.toml")).unwrap();
    let vex = repo.path().join("openvex.json");
    let text = std::fs::read_to_string(&vex)
        .unwrap()
        .replace("\"under_investigation\"", "\"fixed\"");
    std::fs::write(&vex, text).unwrap();
    let out = run(&["--vex", vex.to_str().unwrap()]);
    assert_eq!(
        status_of(&out, "PYSEC-2019-133").1.as_deref(),
        Some("fixed")
    );
    // A bad annex.toml entry is reported with its position.
    std::fs::write(
        repo.path().join("annex.toml"),
        "[[vex]]\nid = \"X\"\npackage = \"pkg:pypi/a\"\nstatus = \"ignored\"\n",
    )
    .unwrap();
    annex()
        .args(["vulns", "--db"])
        .arg(db.path())
        .arg(repo.path())
        .assert()
        .code(2)
        .stderr(contains("annex.toml:4"));
}

#[test]
fn db_update_downloads_from_a_local_server() {
    use std::io::{Read, Write};
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    let mut files: Vec<_> = std::fs::read_dir("../../../shared/data/osv/rustsec/crates")
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    let advisory = std::fs::read_to_string(&files[0]).unwrap();
    // One connection, answered once: the test server stops by itself.
    let server = std::thread::spawn(move || {
        let (mut conn, _) = listener.accept().unwrap();
        conn.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let mut buf = [0u8; 4096];
        let _ = conn.read(&mut buf);
        let head = format!(
            "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
            advisory.len()
        );
        conn.write_all(head.as_bytes()).unwrap();
        conn.write_all(advisory.as_bytes()).unwrap();
    });
    let db = TempDir::new().unwrap();
    annex()
        .args([
            "db",
            "update",
            "--url",
            &format!("http://127.0.0.1:{port}/advisory.json"),
            "--db",
        ])
        .arg(db.path())
        .assert()
        .success()
        .stdout(contains("1 added"));
    server.join().unwrap();
    annex()
        .args(["db", "stats", "--db"])
        .arg(db.path())
        .assert()
        .success()
        .stdout(contains("RUSTSEC"));
}

#[test]
fn annex_toml_scope_excludes_and_counts_dev() {
    let dir = TempDir::new().unwrap();
    let r = dir.path();
    std::fs::create_dir_all(r.join("tools")).unwrap();
    std::fs::write(r.join("requirements.txt"), "idna==3.7\n").unwrap();
    std::fs::write(r.join("requirements-dev.txt"), "pytest==8.2.0\n").unwrap();
    std::fs::write(r.join("tools/requirements.txt"), "black==24.4.2\n").unwrap();
    let inv = |r: &Path| -> Value {
        let out = annex()
            .args(["inventory", "--format", "json"])
            .arg(r)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let names = |v: &Value| -> Vec<String> {
        let mut n: Vec<String> = v["subjects"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| {
                s["components"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|c| c["name"].as_str().unwrap().to_string())
            })
            .collect();
        n.sort();
        n
    };
    assert_eq!(names(&inv(r)), ["black", "idna"]);
    std::fs::write(r.join("annex.toml"), "[scope]\nexclude = [\"tools/\"]\ninclude-dev = true\n\n[[vex]]\nid = \"X\"\npackage = \"pkg:pypi/idna\"\nstatus = \"fixed\"\n").unwrap();
    assert_eq!(names(&inv(r)), ["idna", "pytest"]);
    std::fs::write(r.join("annex.toml"), "[scope]\nexclud = [\"tools/\"]\n").unwrap();
    annex()
        .arg("inventory")
        .arg(r)
        .assert()
        .code(2)
        .stderr(contains("annex.toml:1").and(contains("exclud")));
}

#[test]
fn unmaintained_notices_fail_the_run_only_when_asked() {
    let db = imported_db(&["../annex-vuln/tests/fixtures/kinds"]);
    let repo = TempDir::new().unwrap();
    std::fs::write(
        repo.path().join("Cargo.lock"),
        "version = 3\n\n[[package]]\nname = \"rust-crypto\"\nversion = \"0.2.36\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n",
    )
    .unwrap();
    // Reported, with its kind, but an unmaintained crate is not a vulnerability.
    annex()
        .args(["vulns", "--db"])
        .arg(db.path())
        .arg(repo.path())
        .assert()
        .success()
        .stdout(contains(
            "RUSTSEC-2016-0005 (unmaintained, severity unknown)",
        ));
    annex()
        .args([
            "vulns",
            "--fail-on-kind",
            "vulnerability,unmaintained",
            "--db",
        ])
        .arg(db.path())
        .arg(repo.path())
        .assert()
        .code(1);
}

#[test]
fn vulns_from_an_sbom_leave_out_dev_packages_as_a_scan_does() {
    let db = db();
    let repo = TempDir::new().unwrap();
    std::fs::write(repo.path().join("requirements.txt"), "requests==2.31.0\n").unwrap();
    std::fs::write(
        repo.path().join("requirements-dev.txt"),
        "urllib3==1.24.1\n",
    )
    .unwrap();
    let bom = repo.path().join("bom.json");
    annex()
        .args(["sbom", "--include-dev", "--output"])
        .arg(&bom)
        .arg(repo.path())
        .assert()
        .success();
    let ids = |extra: &[&str]| -> Vec<String> {
        let out = annex()
            .args(["vulns", "--format", "json", "--fail-on", "never", "--sbom"])
            .arg(&bom)
            .args(extra)
            .arg("--db")
            .arg(db.path())
            .output()
            .unwrap();
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        doc["findings"]
            .as_array()
            .unwrap()
            .iter()
            .map(|f| f["package"]["name"].as_str().unwrap().to_string())
            .collect()
    };
    // The dev-only urllib3 is in the SBOM; like a scan, vulns leaves it out unless asked.
    assert!(ids(&[]).is_empty(), "{:?}", ids(&[]));
    assert!(ids(&["--include-dev"]).contains(&"urllib3".to_string()));
}

#[test]
fn lockfile_paths_relative_to_path_and_honest_counts() {
    let dir = format!("{FIXTURES}/composer/no-lock");
    // A relative --lockfile is looked for under PATH, not the current directory.
    let out = annex()
        .args([
            "inventory",
            &dir,
            "--lockfile",
            "composer.json",
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let inv: Value = serde_json::from_slice(&out.stdout).unwrap();
    let path = inv["subjects"][0]["path"].as_str().unwrap();
    assert!(path.ends_with("no-lock/composer.json"), "{path}");
    // A manifest is counted as one, and so is the project root.
    let t = TempDir::new().unwrap();
    annex()
        .args(["sbom", &dir, "--output"])
        .arg(t.path().join("bom.json"))
        .assert()
        .success()
        .stderr(contains(
            "(0 lockfile(s), 1 manifest(s): 0 components and 1 project root(s))",
        ));
}

#[test]
fn maven_resolved_from_a_local_repository_or_unresolved_with_the_hint() {
    let fx = Path::new(FIXTURES).join("maven/oracle/reactor");
    let home = TempDir::new().unwrap();
    let run = |extra: &[&str]| -> Value {
        let cmd = annex()
            .env("HOME", home.path())
            .args(["inventory", "--format", "json", "--include-dev"])
            .arg(fx.join("project"))
            .args(extra)
            .assert()
            .success();
        serde_json::from_slice(&cmd.get_output().stdout).unwrap()
    };
    let subject = |v: &Value, path: &str| {
        v["subjects"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"] == path)
            .cloned()
            .unwrap()
    };
    let repo = fx.join("repo");
    let v = run(&["--maven-repo", repo.to_str().unwrap()]);
    let core = subject(&v, "core/pom.xml");
    let names: Vec<&str> = core["components"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["name"].as_str().unwrap())
        .collect();
    // Maven's list for the module (expected/core.list) has 16 artifacts.
    assert_eq!(names.len(), 16, "{names:?}");
    assert!(core["unresolved"].as_array().unwrap().is_empty());
    let alpha = core["components"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["name"] == "org.fix:alpha")
        .unwrap();
    assert_eq!(alpha["version"], "0.9");
    assert_eq!(alpha["hashes"][0]["alg"], "sha1");
    // No local repository (HOME has no ~/.m2): unresolved, with the reason and the hint.
    let v = run(&[]);
    let core = subject(&v, "core/pom.xml");
    let text = core["unresolved"].to_string();
    assert!(
        text.contains("needs parent org.fix:corp-parent:3"),
        "{text}"
    );
    assert!(text.contains("mvn dependency:go-offline"), "{text}");
    annex()
        .args(["inventory", "--maven-repo", "/nonexistent/m2"])
        .arg(fx.join("project"))
        .assert()
        .code(2)
        .stderr(contains("--maven-repo"));
}
