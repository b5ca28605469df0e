//! `annex init`, `annex docs`, `annex incident` and `annex fix` end to end.
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use std::path::Path;
use tempfile::TempDir;

mod common;
use common::{annex, imported_db, validate};

fn repo() -> TempDir {
    let dir = TempDir::new().unwrap();
    std::fs::write(dir.path().join("README.md"), "# demo\n\nA demo library.\n").unwrap();
    std::fs::write(
        dir.path().join("Cargo.toml"),
        "[package]\nname = \"demo\"\nversion = \"1.2.0\"\nlicense = \"MIT\"\n",
    )
    .unwrap();
    std::fs::write(dir.path().join("requirements.txt"), "urllib3==1.24.1\n").unwrap();
    dir
}

fn init(dir: &Path, role: &str) {
    let mut cmd = annex();
    cmd.arg("init")
        .arg(dir)
        .args(["--yes", "--today", "2026-11-25"]);
    for kv in [
        format!("role={role}"),
        "product.type=library".into(),
        "party.name=Demo Org".into(),
        "party.website=https://demo.example".into(),
        "security.contact=security@demo.example".into(),
        "support.end=2031-12".into(),
        // Article 3(14): only asked of a steward.
        "party.legal-person=yes".into(),
        // Annex III / IV: never assumed.
        "product.class=default".into(),
    ] {
        cmd.args(["--set", &kv]);
    }
    cmd.assert().success().stderr(contains("annex.toml"));
}

#[test]
fn init_writes_annex_toml_and_never_overwrites() {
    let r = repo();
    init(r.path(), "manufacturer");
    let text = std::fs::read_to_string(r.path().join("annex.toml")).unwrap();
    assert!(
        text.contains("[manufacturer]")
            && text.contains("name = \"demo\"")
            && text.contains("end = \"2031-12\""),
        "{text}"
    );
    annex()
        .arg("init")
        .arg(r.path())
        .arg("--yes")
        .assert()
        .code(2)
        .stderr(contains("already exists"));
    // Not a terminal and required answers missing: a clear error, nothing written.
    let empty = TempDir::new().unwrap();
    annex()
        .arg("init")
        .arg(empty.path())
        .assert()
        .code(2)
        .stderr(contains("--set"));
    assert!(!empty.path().join("annex.toml").exists());
}

#[test]
fn bad_annex_toml_is_located() {
    let r = repo();
    init(r.path(), "manufacturer");
    let text = std::fs::read_to_string(r.path().join("annex.toml"))
        .unwrap()
        .replace("end = \"2031-12\"", "end = \"2020-01\"");
    std::fs::write(r.path().join("annex.toml"), text).unwrap();
    annex()
        .arg("docs")
        .arg(r.path())
        .args([
            "--kind",
            "security-md",
            "--no-vulns",
            "--today",
            "2026-11-25",
        ])
        .assert()
        .code(2)
        .stderr(contains("annex.toml:").and(contains("support.end")));
}

#[test]
fn manufacturer_and_steward_documents() {
    let m = repo();
    init(m.path(), "manufacturer");
    annex()
        .arg("docs")
        .arg(m.path())
        .args(["--no-vulns", "--today", "2026-11-25"])
        .assert()
        .success()
        .stderr(contains("TODO"));
    for f in [".well-known/security.txt", "SECURITY.md"] {
        assert!(m.path().join(f).is_file(), "{f}");
    }
    let written: Vec<String> = walk(m.path());
    assert!(
        written.iter().any(|p| p.contains("declaration")),
        "{written:?}"
    );
    assert!(
        written.iter().any(|p| p.contains("technical")),
        "{written:?}"
    );
    let txt = std::fs::read_to_string(m.path().join(".well-known/security.txt")).unwrap();
    assert!(
        txt.contains("Contact: mailto:security@demo.example") && txt.contains("Expires: "),
        "{txt}"
    );
    // Existing files are left alone without --force.
    annex()
        .arg("docs")
        .arg(m.path())
        .args(["--kind", "security-md", "--no-vulns"])
        .assert()
        .success()
        .stderr(contains("skipped"));

    let s = repo();
    init(s.path(), "steward");
    annex()
        .arg("docs")
        .arg(s.path())
        .args(["--no-vulns", "--today", "2026-11-25"])
        .assert()
        .success();
    assert!(!walk(s.path()).iter().any(|p| p.contains("declaration")));
    annex()
        .arg("docs")
        .arg(s.path())
        .args(["--kind", "declaration", "--no-vulns"])
        .assert()
        .code(2)
        .stderr(contains("steward"));
}

fn walk(root: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![root.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap().flatten() {
            let p = e.path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.push(p.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
    out
}

#[test]
fn fix_writes_what_failed_requirements_name() {
    let r = repo();
    init(r.path(), "steward");
    annex()
        .args([
            "check",
            "--no-vulns",
            "--fail-on",
            "never",
            "--format",
            "json",
        ])
        .arg(r.path())
        .assert()
        .success();
    annex()
        .arg("fix")
        .arg(r.path())
        .args(["--no-vulns", "--only", "security-md"])
        .assert()
        .success()
        .stderr(contains("SECURITY.md"));
    let out = annex()
        .args([
            "check",
            "--no-vulns",
            "--fail-on",
            "never",
            "--format",
            "json",
        ])
        .arg(r.path())
        .output()
        .unwrap();
    let a: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let vm = a["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["requirement"] == "OSPS-VM-02.01")
        .unwrap();
    assert_eq!(vm["status"], "pass", "{vm}");
    annex()
        .arg("fix")
        .arg(r.path())
        .args(["--only", "nonsense", "--no-vulns"])
        .assert()
        .code(2)
        .stderr(contains("unknown generator"));
}

#[test]
fn incident_clocks_and_drafts() {
    let r = repo();
    init(r.path(), "manufacturer");
    let out = annex()
        .args([
            "incident",
            "new",
            "--kind",
            "vulnerability",
            "--aware-at",
            "2026-11-24T23:30:00+02:00",
            "--id",
            "CVE-2026-1234",
            "--exploited",
            "--summary",
            "RCE in the parser",
            "--path",
        ])
        .arg(r.path())
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let id = String::from_utf8(out.stdout).unwrap().trim().to_string();
    // 24 h after 23:30+02:00 is 21:30 UTC the next day: at 20:00 UTC it still runs, at 22:00 it is overdue.
    annex()
        .args(["incident", "status", "--now", "2026-11-25T20:00:00Z"])
        .arg(r.path())
        .assert()
        .success()
        .stdout(contains("early-warning").and(contains("left")));
    annex()
        .args(["incident", "status", "--now", "2026-11-25T22:00:00Z"])
        .arg(r.path())
        .assert()
        .code(1)
        .stdout(contains("OVERDUE"));
    annex()
        .args([
            "incident",
            "draft",
            &id,
            "--stage",
            "notification",
            "--now",
            "2026-11-25T12:00:00Z",
            "--path",
        ])
        .arg(r.path())
        .assert()
        .success()
        .stdout(contains("Article 14(2), point (b)"));
    let csaf_dir = r.path().join("out");
    annex()
        .args([
            "incident",
            "draft",
            &id,
            "--stage",
            "user-notice",
            "--format",
            "json",
            "--now",
            "2026-11-25T12:00:00Z",
            "--output",
        ])
        .arg(&csaf_dir)
        .arg("--path")
        .arg(r.path())
        .assert()
        .success();
    let file = std::fs::read_dir(&csaf_dir)
        .unwrap()
        .flatten()
        .next()
        .unwrap()
        .path();
    validate("csaf-2.0", &file);
    // A vulnerability that is not actively exploited starts no clock.
    annex()
        .args([
            "incident",
            "new",
            "--kind",
            "vulnerability",
            "--aware-at",
            "2026-11-25T10:00:00Z",
            "--id",
            "CVE-2026-9999",
            "--summary",
            "minor",
            "--path",
        ])
        .arg(r.path())
        .assert()
        .success()
        .stderr(contains("no report"));
}

#[test]
fn csaf_for_the_own_product() {
    let r = repo();
    init(r.path(), "manufacturer");
    let db = imported_db(&["../../../shared/data/osv/pypa"]);
    for (format, name) in [("csaf", "vex.json"), ("csaf-advisory", "advisory.json")] {
        let file = r.path().join(name);
        annex()
            .args([
                "vulns",
                "--format",
                format,
                "--fail-on",
                "never",
                "--today",
                "2026-11-25",
                "--output",
            ])
            .arg(&file)
            .arg("--db")
            .arg(db.path())
            .arg(r.path())
            .assert()
            .success();
        validate("csaf-2.0", &file);
        let doc: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&file).unwrap()).unwrap();
        assert_eq!(doc["document"]["publisher"]["name"], "Demo Org");
    }
}

/// Issue 10, timestamps: without SOURCE_DATE_EPOCH the SBOM, the Annex II / VII documents and
/// the VEX / CSAF documents carry the commit time of HEAD (reproducible), never 1970-01-01.
#[test]
fn documents_are_stamped_with_the_head_commit_time_not_1970() {
    let r = repo();
    init(r.path(), "manufacturer");
    annex_testkit::git(r.path(), &["init", "-q"]);
    annex_testkit::git(r.path(), &["add", "."]);
    annex_testkit::git(r.path(), &["commit", "-qm", "init"]);
    let seconds: i64 = annex_testkit::git(r.path(), &["log", "-1", "--format=%ct"])
        .parse()
        .unwrap();
    let stamp = chrono::DateTime::from_timestamp(seconds, 0)
        .unwrap()
        .format("%Y-%m-%dT%H:%M:%SZ")
        .to_string();
    let out = annex()
        .env_remove("SOURCE_DATE_EPOCH")
        .args(["sbom"])
        .arg(r.path())
        .output()
        .unwrap();
    let bom: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(bom["metadata"]["timestamp"], stamp.as_str());
    annex()
        .env_remove("SOURCE_DATE_EPOCH")
        .args([
            "docs",
            "--kind",
            "user-info,technical-file",
            "--today",
            "2026-11-25",
        ])
        .arg(r.path())
        .assert()
        .success();
    for f in [
        "docs/cra/user-information.md",
        "docs/cra/technical-documentation.md",
    ] {
        let text = std::fs::read_to_string(r.path().join(f)).unwrap();
        assert!(!text.contains("1970"), "{f} says 1970");
        assert!(text.contains(&format!("created {stamp}")), "{f}");
    }
    // The VEX and CSAF documents `annex vulns` writes carry the same time.
    let db = imported_db(&["../../../shared/data/osv/pypa"]);
    let vulns = |format: &str| -> serde_json::Value {
        let out = annex()
            .env_remove("SOURCE_DATE_EPOCH")
            .args(["vulns", "--fail-on", "never", "--format", format, "--db"])
            .arg(db.path())
            .arg(r.path())
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{}",
            String::from_utf8_lossy(&out.stderr)
        );
        serde_json::from_slice(&out.stdout).unwrap()
    };
    assert_eq!(vulns("openvex")["timestamp"], stamp.as_str());
    for format in ["csaf", "csaf-advisory"] {
        let tracking = &vulns(format)["document"]["tracking"];
        assert_eq!(tracking["current_release_date"], stamp.as_str(), "{format}");
        assert_eq!(tracking["initial_release_date"], stamp.as_str(), "{format}");
    }
    let cdx = vulns("cyclonedx-vex");
    assert_eq!(cdx["metadata"]["timestamp"], stamp.as_str());
}

/// Issue 10, "close the loop": after `annex init` and `annex docs`, `annex check` reads the
/// generated documents back. A filled Annex item passes with the file and line, one with a
/// TODO fails with the TODO's text, a missing document fails with the command that writes
/// it, an HTML-only document is read too, an unreadable one is unknown; an item that needs a
/// human judgement (Annex V, point 5) stays needs-review.
#[test]
fn check_reads_the_generated_cra_documents_back() {
    let r = repo();
    init(r.path(), "manufacturer");
    annex()
        .args(["docs", "--kind", "all", "--today", "2026-11-25"])
        .arg(r.path())
        .assert()
        .success();
    let check = || -> serde_json::Value {
        let out = annex()
            .args(["check", "--profile", "cra-manufacturer", "--format", "json"])
            .args(["--fail-on", "never", "--no-vulns", "--today", "2026-11-25"])
            .arg(r.path())
            .output()
            .unwrap();
        serde_json::from_slice(&out.stdout).unwrap()
    };
    let result = |a: &serde_json::Value, id: &str| -> (String, String) {
        let r = a["results"]
            .as_array()
            .unwrap()
            .iter()
            .find(|x| x["requirement"] == id)
            .unwrap();
        (
            r["status"].as_str().unwrap().to_string(),
            r["reason"].as_str().unwrap().to_string(),
        )
    };
    let a = check();
    let (status, reason) = result(&a, "CRA-AII.3");
    assert_eq!(status, "pass", "{reason}");
    assert!(
        reason.starts_with("docs/cra/user-information.md:"),
        "{reason}"
    );
    // The fixture gives no postal address: Annex II point 1 keeps a TODO.
    let (status, reason) = result(&a, "CRA-AII.1");
    assert_eq!(status, "fail", "{reason}");
    assert!(reason.contains("TODO: give the postal address"), "{reason}");
    assert_eq!(result(&a, "CRA-AV.5").0, "needs-review");
    std::fs::remove_file(r.path().join("docs/cra/eu-declaration-of-conformity.md")).unwrap();
    let (status, reason) = result(&check(), "CRA-AV.1");
    assert_eq!(status, "fail");
    assert!(
        reason.contains("`annex docs --kind declaration` writes it"),
        "{reason}"
    );
    // Written as HTML only, the declaration is read back from the HTML page.
    annex()
        .args(["docs", "--kind", "declaration", "--format", "html"])
        .args(["--today", "2026-11-25"])
        .arg(r.path())
        .assert()
        .success();
    let a = check();
    let (status, reason) = result(&a, "CRA-AV.1");
    assert_eq!(status, "pass", "{reason}");
    assert!(
        reason.starts_with("docs/cra/eu-declaration-of-conformity.html:"),
        "{reason}"
    );
    // There but unreadable (over the size limit, not text): unknown with the reason, not a
    // fail that sends the maintainer to write a document they have.
    let user_info = r.path().join("docs/cra/user-information.md");
    std::fs::write(&user_info, vec![b'x'; 5 * 1024 * 1024]).unwrap();
    let a = check();
    let (status, reason) = result(&a, "CRA-AII.3");
    assert_eq!(status, "unknown", "{reason}");
    assert!(reason.contains("over the"), "{reason}");
    std::fs::write(&user_info, b"\xff\xfe not text").unwrap();
    let (status, reason) = result(&check(), "CRA-AII.3");
    assert_eq!(status, "unknown", "{reason}");
    assert!(reason.contains("not UTF-8"), "{reason}");
}
