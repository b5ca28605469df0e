//! `annex check` end to end on fixture repositories made in the test with real files.
use predicates::prelude::PredicateBooleanExt;
use serde_json::Value;
use std::path::Path;
use tempfile::TempDir;

mod common;
use common::annex;

fn write(root: &Path, rel: &str, content: impl AsRef<[u8]>) {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

const MIT: &str = "MIT License\n\nCopyright (c) 2026 Example\n\nPermission is hereby granted, free of charge, to any person obtaining a copy\nof this software and associated documentation files (the \"Software\"), to deal\nin the Software without restriction, including without limitation the rights\nto use, copy, modify, merge, publish, distribute, sublicense, and/or sell\ncopies of the Software, and to permit persons to whom the Software is\nfurnished to do so, subject to the following conditions:\n\nThe above copyright notice and this permission notice shall be included in all\ncopies or substantial portions of the Software.\n\nTHE SOFTWARE IS PROVIDED \"AS IS\", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR\nIMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,\nFITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE\nAUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER\nLIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,\nOUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE\nSOFTWARE.\n";

/// A small, well-kept Rust project.
fn good_repo() -> TempDir {
    let dir = TempDir::new().unwrap();
    let r = dir.path();
    write(
        r,
        "README.md",
        "# demo\n\nA demo library.\n\n## Building\n\nRun `cargo build`.\n",
    );
    write(
        r,
        "SECURITY.md",
        "# Security\n\nReport vulnerabilities privately to security@demo.example.\nWe answer within 14 days.\n",
    );
    write(
        r,
        "CONTRIBUTING.md",
        "# Contributing\n\nOpen an issue to report bugs. Pull requests need tests and review.\n",
    );
    write(r, "LICENSE", MIT);
    write(
        r,
        "Cargo.toml",
        "[package]\nname = \"demo\"\nversion = \"0.1.0\"\nedition = \"2021\"\nlicense = \"MIT\"\n\n[dependencies]\nserde = \"1\"\n",
    );
    write(
        r,
        "Cargo.lock",
        "version = 4\n\n[[package]]\nname = \"demo\"\nversion = \"0.1.0\"\n",
    );
    write(
        r,
        "src/lib.rs",
        "pub fn add(a: u32, b: u32) -> u32 { a + b }\n",
    );
    write(r, ".gitignore", "target/\n.env\n*.pem\n*.key\n");
    dir
}

fn check_json(root: &Path, extra: &[&str]) -> Value {
    let today = if extra.contains(&"--today") {
        &[][..]
    } else {
        &["--today", "2026-11-25"][..]
    };
    let out = annex()
        .current_dir(root)
        .args(["check", ".", "--format", "json", "--fail-on", "never"])
        .args(today)
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "stderr: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

/// The entry for requirement `id` in the assessment's `list` (`results` or `cra`).
fn entry<'a>(a: &'a Value, list: &str, id: &str) -> &'a Value {
    a[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == id)
        .unwrap_or_else(|| panic!("{id} not in {list}"))
}

fn result<'a>(a: &'a Value, id: &str) -> &'a Value {
    entry(a, "results", id)
}

fn cra_item<'a>(a: &'a Value, id: &str) -> &'a Value {
    entry(a, "cra", id)
}

fn status(a: &Value, id: &str) -> String {
    result(a, id)["status"].as_str().unwrap().to_string()
}

fn reason(a: &Value, id: &str) -> String {
    result(a, id)["reason"].as_str().unwrap().to_string()
}

#[test]
fn good_repo_passes_the_local_requirements() {
    let repo = good_repo();
    let a = check_json(repo.path(), &[]);
    assert_eq!(a["schema"], "annex/assessment/v1");
    for id in [
        "OSPS-VM-02.01",
        "OSPS-LE-03.01",
        "OSPS-QA-05.01",
        "OSPS-QA-05.02",
        "OSPS-GV-03.01",
        "OSPS-DO-02.01",
        "OSPS-QA-02.01",
        "OSPS-BR-07.01",
    ] {
        assert_eq!(status(&a, id), "pass", "{id}: {}", reason(&a, id));
    }
    assert!(
        reason(&a, "OSPS-VM-02.01").contains("SECURITY.md:3"),
        "{}",
        reason(&a, "OSPS-VM-02.01")
    );
    assert!(reason(&a, "OSPS-LE-03.01").contains("LICENSE:1"));
}

#[test]
fn missing_files_fail_with_reasons() {
    let repo = good_repo();
    let r = repo.path();
    for f in [
        "SECURITY.md",
        "LICENSE",
        "CONTRIBUTING.md",
        "README.md",
        "Cargo.toml",
        "Cargo.lock",
    ] {
        std::fs::remove_file(r.join(f)).unwrap();
    }
    let a = check_json(r, &[]);
    assert_eq!(status(&a, "OSPS-VM-02.01"), "fail");
    assert!(reason(&a, "OSPS-VM-02.01").contains("no security policy"));
    assert_eq!(status(&a, "OSPS-LE-03.01"), "fail");
    assert_eq!(status(&a, "OSPS-GV-03.01"), "fail");
    assert_eq!(status(&a, "OSPS-DO-02.01"), "fail");
    assert_eq!(status(&a, "OSPS-QA-02.01"), "fail");
    for id in ["OSPS-VM-02.01", "OSPS-LE-03.01"] {
        assert!(
            result(&a, id)["remediation"]
                .as_str()
                .is_some_and(|s| !s.is_empty()),
            "{id} has a fix"
        );
    }
}

#[test]
fn committed_binary_and_secret_fail() {
    let repo = good_repo();
    let r = repo.path();
    // An ELF executable with a misleading extension.
    let mut elf = b"\x7fELF\x02\x01\x01\x00".to_vec();
    elf.extend(std::iter::repeat_n(0u8, 56));
    write(r, "bin/tool.txt", elf);
    // A private key, assembled so that this source file holds no key-shaped text; its body
    // decodes to a DER SEQUENCE of its own length, as a key's does (a truncated body would
    // not count).
    let key = format!(
        "-----BEGIN {} PRIVATE KEY-----\nMCICAQAEHQECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwd\n-----END {} PRIVATE KEY-----\n",
        "RSA", "RSA"
    );
    write(r, "config/deploy.yaml", key);
    let a = check_json(r, &[]);
    assert_eq!(status(&a, "OSPS-QA-05.01"), "fail");
    assert!(
        reason(&a, "OSPS-QA-05.01").contains("bin/tool.txt"),
        "{}",
        reason(&a, "OSPS-QA-05.01")
    );
    assert_eq!(status(&a, "OSPS-QA-05.02"), "fail");
    assert_eq!(status(&a, "OSPS-BR-07.01"), "fail");
    assert!(
        reason(&a, "OSPS-BR-07.01").contains("config/deploy.yaml:1"),
        "{}",
        reason(&a, "OSPS-BR-07.01")
    );
}

#[test]
fn exit_codes() {
    let repo = good_repo();
    std::fs::remove_file(repo.path().join("SECURITY.md")).unwrap();
    annex()
        .current_dir(repo.path())
        .args(["check", "."])
        .assert()
        .code(1);
    annex()
        .current_dir(repo.path())
        .args(["check", ".", "--fail-on", "never"])
        .assert()
        .code(0);
    annex()
        .args(["check", "/definitely/not/here"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("no such file or directory"));
    annex()
        .current_dir(repo.path())
        .args(["check", ".", "--profile", "osps-l9"])
        .assert()
        .code(2)
        .stderr(predicates::str::contains("did you mean `osps-l1`"));
}

#[test]
fn attestations_are_read_from_the_repo_and_errors_located() {
    let repo = good_repo();
    let r = repo.path();
    write(
        r,
        ".annex/attestations.yaml",
        "attestations:\n  - requirement: OSPS-AC-01.01\n    status: pass\n    statement: MFA enforced for the organisation.\n    by: Jane\n    date: 2026-10-01\n    expires: 2027-10-01\n",
    );
    let a = check_json(r, &[]);
    assert_eq!(status(&a, "OSPS-AC-01.01"), "pass");
    assert!(reason(&a, "OSPS-AC-01.01").contains(".annex/attestations.yaml:2"));
    // Expired by the given date: not-run again.
    let a = check_json(r, &["--today", "2028-01-01"]);
    assert_eq!(status(&a, "OSPS-AC-01.01"), "not-run");
    write(
        r,
        ".annex/attestations.yaml",
        "attestations:\n  - requirement: OSPS-AC-01.1\n    status: pass\n",
    );
    annex()
        .current_dir(r)
        .args(["check", "."])
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains(".annex/attestations.yaml:2:")
                .and(predicates::str::contains("OSPS-AC-01.01")),
        );
}

#[test]
fn profile_with_unknown_id_names_the_nearest() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "p.yaml",
        "title: t\nmetadata: {id: mine}\nimports:\n  catalogs:\n    - reference-id: osps\n      exclusions: [OSPS-VM-02.1]\nannex:\n  applicability: [maturity-1]\n",
    );
    annex()
        .current_dir(dir.path())
        .args(["check", ".", "--profile", "p.yaml"])
        .assert()
        .code(2)
        .stderr(
            predicates::str::contains("p.yaml:6:")
                .and(predicates::str::contains("did you mean `OSPS-VM-02.01`")),
        );
}

#[test]
fn levels_and_foundation_profiles() {
    let repo = good_repo();
    let l3 = check_json(repo.path(), &["--profile", "osps-l3"]);
    let l3_at_1 = check_json(repo.path(), &["--profile", "osps-l3", "--level", "1"]);
    let l1 = check_json(repo.path(), &["--profile", "osps-l1"]);
    assert_eq!(l3["summary"]["total"], 64);
    assert_eq!(l3_at_1["summary"]["total"], l1["summary"]["total"]);
    // The Apache profile wants reports to go to an apache.org address.
    let apache = check_json(repo.path(), &["--profile", "apache"]);
    assert!(
        apache["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|r| r["requirement"].as_str().unwrap().starts_with("APACHE-"))
    );
    assert_eq!(apache["profile"]["cra_role"], "steward");
}

#[test]
fn output_is_deterministic() {
    let repo = good_repo();
    let a = check_json(repo.path(), &[]);
    let b = check_json(repo.path(), &[]);
    assert_eq!(a, b);
}

#[test]
fn text_and_json_snapshots() {
    let repo = good_repo();
    let text = annex()
        .current_dir(repo.path())
        .args([
            "check",
            ".",
            "--color",
            "never",
            "--fail-on",
            "never",
            "--today",
            "2026-11-25",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("check_text", String::from_utf8(text.stdout).unwrap());
    let json = check_json(repo.path(), &[]);
    insta::assert_json_snapshot!("check_json", json);
    let md = annex()
        .current_dir(repo.path())
        .args([
            "check",
            ".",
            "--format",
            "markdown",
            "--fail-on",
            "never",
            "--today",
            "2026-11-25",
        ])
        .output()
        .unwrap();
    insta::assert_snapshot!("check_markdown", String::from_utf8(md.stdout).unwrap());
}

#[test]
fn evidence_command_prints_the_document() {
    let repo = good_repo();
    let out = annex()
        .current_dir(repo.path())
        .args(["evidence", "."])
        .output()
        .unwrap();
    assert!(out.status.success());
    let ev: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(ev["schema"], "annex/evidence/v1");
    assert_eq!(
        ev["docs"]["security_policy"]["contacts"][0]["value"],
        "security@demo.example"
    );
    assert_eq!(ev["docs"]["security_policy"]["response_days"]["days"], 14);
}

#[test]
fn scorecard_scores_the_local_checks() {
    let repo = good_repo();
    let r = repo.path();
    write(
        r,
        ".github/workflows/ci.yml",
        "on: [pull_request]\npermissions: write-all\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n      - uses: actions/checkout@v4\n      - run: cargo test\n",
    );
    let out = annex()
        .current_dir(r)
        .args(["scorecard", ".", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let score = |name: &str| {
        v["checks"]
            .as_array()
            .unwrap()
            .iter()
            .find(|c| c["name"] == name)
            .unwrap()["score"]
            .as_i64()
            .unwrap()
    };
    assert_eq!(v["checks"].as_array().unwrap().len(), 11);
    assert_eq!(score("License"), 10);
    assert_eq!(score("Binary-Artifacts"), 10);
    assert_eq!(score("Token-Permissions"), 0, "write-all at the top level");
    assert!(
        score("Pinned-Dependencies") < 10,
        "actions/checkout@v4 is not pinned by SHA"
    );
    assert!(v["aggregate"].as_f64().is_some());
}

/// Every report format: two runs give the same bytes, and the structured ones validate.
#[test]
fn report_formats_are_byte_identical_and_valid() {
    let dir = good_repo();
    let out_dir = TempDir::new().unwrap();
    for (format, kind) in [
        ("sarif", Some("sarif-2.1.0")),
        ("oscal", Some("oscal-1.1.2:assessment-results")),
        ("junit", None),
        ("badge", None),
        ("html", None),
    ] {
        let run = || {
            let out = annex()
                .current_dir(dir.path())
                .args(["check", ".", "--fail-on", "never", "--today", "2026-11-25"])
                .args(["--format", format])
                .output()
                .unwrap();
            assert!(
                out.status.success(),
                "{format}: {}",
                String::from_utf8_lossy(&out.stderr)
            );
            out.stdout
        };
        let first = run();
        assert!(!first.is_empty(), "{format}");
        assert_eq!(first, run(), "{format} differs between runs");
        if let Some(kind) = kind {
            let file = out_dir.path().join(format!("check.{format}.json"));
            std::fs::write(&file, &first).unwrap();
            common::validate(kind, &file);
        }
    }
}

/// OSCAL assessment results name the profile and catalog by the uuids `annex spec export`
/// gives them, and `annex spec import` reads them back as the same assessment.
#[test]
fn oscal_results_link_to_the_export_and_import_back() {
    let dir = good_repo();
    let run = |args: &[&str]| {
        let out = annex()
            .current_dir(dir.path())
            .env("SOURCE_DATE_EPOCH", "1771504496")
            .args(args)
            .output()
            .unwrap();
        assert!(
            out.status.success(),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        out.stdout
    };
    let check = ["check", ".", "--fail-on", "never", "--today", "2026-11-25"];
    let ar: Value =
        serde_json::from_slice(&run(&[&check[..], &["--format", "oscal"]].concat())).unwrap();
    let profile: Value = serde_json::from_slice(&run(&["spec", "export", "osps-l1"])).unwrap();
    let catalog: Value = serde_json::from_slice(&run(&["spec", "export", "osps"])).unwrap();
    let ar = &ar["assessment-results"];
    assert_eq!(
        ar["import-ap"]["href"].as_str().unwrap(),
        format!("#{}", profile["profile"]["uuid"].as_str().unwrap())
    );
    let resources = ar["back-matter"]["resources"].as_array().unwrap();
    assert!(
        resources
            .iter()
            .any(|r| r["uuid"] == catalog["catalog"]["uuid"])
    );
    // Every finding targets a control the exported catalog defines.
    let text = catalog.to_string();
    for f in ar["results"][0]["findings"].as_array().unwrap() {
        let id = f["target"]["target-id"].as_str().unwrap();
        assert!(
            text.contains(&format!("\"id\":\"{id}\"")),
            "{id} not in the catalog"
        );
    }
    let file = dir.path().join("ar.json");
    std::fs::write(
        &file,
        serde_json::to_vec(&serde_json::json!({"assessment-results": ar})).unwrap(),
    )
    .unwrap();
    let back = dir.path().join("back.json");
    run(&["spec", "import", "ar.json", "--output", "back.json"]);
    let json = run(&[&check[..], &["--format", "json"]].concat());
    assert_eq!(std::fs::read(back).unwrap(), json);
}

#[test]
fn completions_and_man_page() {
    for (shell, marker) in [
        ("bash", "complete -F"),
        ("zsh", "#compdef annex"),
        ("fish", "complete -c annex"),
        ("powershell", "Register-ArgumentCompleter"),
    ] {
        let out = annex().args(["completions", shell]).output().unwrap();
        assert!(out.status.success());
        let text = String::from_utf8(out.stdout).unwrap();
        assert!(text.contains(marker), "{shell}");
        // clap's PowerShell script completes options, not their values.
        assert!(
            shell == "powershell" || text.contains("junit"),
            "{shell}: the check formats are completed"
        );
    }
    let out = annex().arg("man").output().unwrap();
    assert!(out.status.success());
    let page = String::from_utf8(out.stdout).unwrap();
    assert!(
        page.starts_with(".ie") || page.contains(".TH annex"),
        "{}",
        &page[..200.min(page.len())]
    );
    assert!(page.contains("completions"));
}

/// action.yml and .pre-commit-hooks.yaml at the repository root parse, carry the keys their
/// metadata formats require, and run `annex check` with SARIF.
#[test]
fn action_and_pre_commit_definitions() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let read = |name: &str| -> Value {
        let text = std::fs::read_to_string(root.join(name)).unwrap();
        serde_saphyr::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
    };
    let action = read("action.yml");
    for key in ["name", "description", "runs"] {
        assert!(
            action[key].is_object() || action[key].is_string(),
            "action.yml: {key}"
        );
    }
    for (name, input) in action["inputs"].as_object().unwrap() {
        assert!(
            input["description"].is_string(),
            "input {name} has no description"
        );
    }
    let runs = &action["runs"];
    assert_eq!(runs["using"], "composite");
    let steps = runs["steps"].as_array().unwrap();
    for s in steps {
        // A composite step is either `run` with a `shell`, or `uses`.
        assert!(
            s["uses"].is_string() || (s["run"].is_string() && s["shell"].is_string()),
            "{s}"
        );
    }
    let all = action.to_string();
    assert!(all.contains("--format sarif") && all.contains("upload-sarif"));
    let hooks = read(".pre-commit-hooks.yaml");
    let hooks = hooks.as_array().unwrap();
    assert!(!hooks.is_empty());
    for h in hooks {
        for key in ["id", "name", "entry", "language"] {
            assert!(h[key].is_string(), "hook {h}: {key}");
        }
        assert!(h["entry"].as_str().unwrap().starts_with("annex check"));
    }
}

/// Done-when of issue 10 ("text is not enforcement"): a checkout with only a four-line
/// SECURITY.md never has Annex I, Part II (4) or (5) covered, under any built-in profile that
/// rolls up to them; Part II (4)'s reason claims nothing the file does not say.
#[test]
fn only_a_security_md_never_covers_annex_i_part_ii_4_or_5() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "SECURITY.md",
        "Report vulnerabilities privately to security@demo.example.\nWe acknowledge within 5 days.\nWe coordinate disclosure with the reporter.\nThank you.\n",
    );
    for profile in ["cra-manufacturer", "osps-l1", "osps-l2", "osps-l3"] {
        let a = check_json(dir.path(), &["--profile", profile]);
        for id in ["CRA-AI-2.4", "CRA-AI-2.5", "CRA-AII.2"] {
            let item = cra_item(&a, id);
            assert_ne!(item["coverage"], "covered", "{profile}: {id}: {item}");
        }
    }
    let a = check_json(dir.path(), &["--profile", "cra-manufacturer"]);
    assert_eq!(status(&a, "CRA-AI-2.4"), "needs-review");
    assert!(!reason(&a, "CRA-AI-2.4").contains("CVE"));
    assert_eq!(status(&a, "CRA-AI-2.5"), "needs-review");
    // Art. 13(10), 13(11) and Article 25 are permissions or Commission powers.
    for id in ["CRA-ART13.10", "CRA-ART13.11", "CRA-ART25.1"] {
        assert_eq!(status(&a, id), "not-applicable", "{id}");
        assert!(reason(&a, id).starts_with("informative:"), "{id}");
    }
}

/// With an attestation, Annex I, Part II (5) is covered: the attestation is what says the
/// policy is enforced.
#[test]
fn an_attestation_covers_annex_i_part_ii_5() {
    let dir = TempDir::new().unwrap();
    write(
        dir.path(),
        "SECURITY.md",
        "Report vulnerabilities privately to security@demo.example.\n",
    );
    write(
        dir.path(),
        ".annex/attestations.yaml",
        "attestations:\n  - requirement: CRA-AI-2.5\n    status: pass\n    by: security team\n    statement: Every report since 2024 followed SECURITY.md; see the advisories page.\n",
    );
    let a = check_json(dir.path(), &["--profile", "cra-manufacturer"]);
    let item = cra_item(&a, "CRA-AI-2.5");
    assert_eq!(item["coverage"], "covered", "{item}");
}
