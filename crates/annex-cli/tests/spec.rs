//! `annex spec …` end to end.
use predicates::prelude::PredicateBooleanExt;
use predicates::str::contains;
use serde_json::Value;

mod common;
use common::annex;

const RELEASE: &str = "../../../shared/data/osps-baseline/v2026.02.19";
const MAIN: &str = "../../../shared/data/osps-baseline/main";

fn json(args: &[&str]) -> Value {
    let out = annex().args(args).output().unwrap();
    assert!(
        out.status.success(),
        "{args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice(&out.stdout).unwrap()
}

#[test]
fn list_shows_every_builtin() {
    let v = json(&["spec", "list", "--format", "json"]);
    let ids = |k: &str| {
        v[k].as_array()
            .unwrap()
            .iter()
            .map(|x| x["id"].as_str().unwrap().to_string())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids("catalogs"), ["cra", "osps"]);
    for p in [
        "osps-l1",
        "osps-l2",
        "osps-l3",
        "cra-manufacturer",
        "cra-steward",
        "apache",
        "blender",
        "openssl",
        "php",
        "psf",
        "rust",
        "eclipse",
    ] {
        assert!(ids("profiles").contains(&p.to_string()), "{p}");
    }
    assert!(ids("mapping_sets").contains(&"osps-cra".to_string()));
}

#[test]
fn show_a_requirement() {
    let v = json(&["spec", "show", "OSPS-VM-02.01", "--format", "json"]);
    assert_eq!(v["catalog"], "osps");
    assert_eq!(
        v["requirement"]["applicability"],
        serde_json::json!(["maturity-1"])
    );
    assert!(!v["maps"].as_array().unwrap().is_empty());
    annex()
        .args(["spec", "show", "OSPS-VM-02.1"])
        .assert()
        .code(2)
        .stderr(contains("did you mean `OSPS-VM-02.01`"));
}

#[test]
fn lint_accepts_official_files_and_builtins() {
    for dir in [RELEASE, MAIN] {
        annex()
            .args(["spec", "lint", dir])
            .assert()
            .success()
            .stdout(contains("document(s): 0 error(s)"));
    }
    annex()
        .args([
            "spec",
            "lint",
            "../annex-spec/profiles/apache.yaml",
            "../annex-spec/rules/osps.yaml",
        ])
        .assert()
        .success();
}

#[test]
fn lint_reports_positions() {
    let dir = tempfile::TempDir::new().unwrap();
    let bad = dir.path().join("bad.yaml");
    std::fs::write(
        &bad,
        "metadata: {id: r, catalog: osps}\nrules:\n  - requirement: OSPS-VM-02.01\n    source: local\n    rule: 'evidence.docs &&'\n  - requirement: OSPS-XX-99.01\n    source: local\n    rule: 'true'\n",
    )
    .unwrap();
    annex()
        .args(["spec", "lint"])
        .arg(&bad)
        .assert()
        .code(2)
        .stdout(
            contains("bad.yaml:5:")
                .and(contains("not valid CEL"))
                .and(contains("bad.yaml:6:"))
                .and(contains("unknown requirement `OSPS-XX-99.01`")),
        );
    std::fs::write(&bad, "controls:\n  - id: [\n").unwrap();
    annex()
        .args(["spec", "lint"])
        .arg(&bad)
        .assert()
        .code(2)
        .stdout(contains("bad.yaml:"));
}

#[test]
fn import_official_release() {
    let dir = tempfile::TempDir::new().unwrap();
    let out = dir.path().join("osps.json");
    annex()
        .args(["spec", "import", RELEASE, "--format", "json", "--output"])
        .arg(&out)
        .assert()
        .success()
        .stderr(contains("65 requirements (64 active)").and(contains("mapping-references")));
    let cat: Value = serde_json::from_str(&std::fs::read_to_string(&out).unwrap()).unwrap();
    assert_eq!(cat["metadata"]["id"], "osps-baseline");
    assert_eq!(cat["controls"].as_array().unwrap().len(), 41);
    // The imported catalog is usable: a profile can import it and rules apply by id.
    let profile = dir.path().join("p.yaml");
    std::fs::write(&profile, "title: official\nmetadata: {id: official}\nimports:\n  catalogs: [{reference-id: osps-baseline}]\nannex:\n  applicability: [maturity-1]\n").unwrap();
    let v = json(&[
        "spec",
        "resolve",
        profile.to_str().unwrap(),
        "--format",
        "json",
        "--spec",
        out.to_str().unwrap(),
    ]);
    assert_eq!(
        v["requirements"].as_array().unwrap().len(),
        json(&["spec", "resolve", "osps-l1", "--format", "json"])["requirements"]
            .as_array()
            .unwrap()
            .len()
    );
}

#[test]
fn resolve_diff_crosswalk_render() {
    let l1 = json(&["spec", "resolve", "osps-l1", "--format", "json"]);
    assert!(
        l1["requirements"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["rule"].is_object())
    );
    let d = json(&["spec", "diff", "osps-l1", "osps-l2", "--format", "json"]);
    assert!(d["only_in_a"].as_array().unwrap().is_empty());
    assert!(!d["only_in_b"].as_array().unwrap().is_empty());
    let d = json(&["spec", "diff", "osps-l2", "apache", "--format", "json"]);
    assert!(
        d["parameters"]
            .as_array()
            .unwrap()
            .iter()
            .any(|p| p["parameter"] == "vuln-report-contact")
    );
    let cw = json(&[
        "spec",
        "crosswalk",
        "--profile",
        "osps-l1",
        "--profile",
        "cra-steward",
        "--format",
        "json",
    ]);
    assert_eq!(cw["framework"], "cra");
    let row = cw["rows"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["requirement"] == "CRA-AI-2.6")
        .unwrap();
    assert!(row["covered_by"]["osps-l1"].is_array());
    assert!(!cw["uncovered"].as_array().unwrap().is_empty());
    annex()
        .args(["spec", "render", "osps", "--format", "markdown"])
        .assert()
        .success()
        .stdout(contains("### OSPS-VM-02").and(contains("**OSPS-VM-02.01**")));
    annex()
        .args(["spec", "render", "apache"])
        .assert()
        .success()
        .stdout(contains("security@apache.org"));
}

#[test]
fn oscal_export_import_round_trip() {
    let dir = tempfile::TempDir::new().unwrap();
    let cat = dir.path().join("osps.oscal.json");
    let prof = dir.path().join("l2.oscal.json");
    annex()
        .args(["spec", "export", "osps", "--format", "oscal", "--output"])
        .arg(&cat)
        .assert()
        .success();
    annex()
        .args(["spec", "export", "osps-l2", "--output"])
        .arg(&prof)
        .assert()
        .success();
    let exported: Value = serde_json::from_str(&std::fs::read_to_string(&cat).unwrap()).unwrap();
    assert_eq!(exported["catalog"]["metadata"]["oscal-version"], "1.1.2");
    // Two exports are byte-identical.
    let again = annex().args(["spec", "export", "osps"]).output().unwrap();
    assert_eq!(again.stdout, std::fs::read(&cat).unwrap());
    // Back in: the same levels and mappings.
    annex()
        .args(["spec", "import"])
        .arg(&cat)
        .arg(&prof)
        .assert()
        .success()
        .stderr(
            contains(
                "65 requirements (64 active), applicability maturity-1, maturity-2, maturity-3",
            )
            .and(contains("osps-cra: 119 mappings")),
        );
    let original = json(&["spec", "resolve", "osps-l2", "--format", "json"]);
    let back = json(&[
        "spec",
        "resolve",
        prof.to_str().unwrap(),
        "--format",
        "json",
        "--spec",
        cat.to_str().unwrap(),
    ]);
    assert_eq!(original["requirements"], back["requirements"]);
    assert_eq!(original["applicability"], back["applicability"]);
}

/// Issue 10, OSPS mapping: `annex spec crosswalk --compare-mappings` shows the official
/// OSPS Baseline links beside annex's and every difference with its stated reason.
#[test]
fn crosswalk_compares_the_official_osps_mapping_with_annexs() {
    let v = json(&[
        "spec",
        "crosswalk",
        "--compare-mappings",
        "osps-cra-official",
        "osps-cra",
        "--format",
        "json",
    ]);
    assert_eq!(v["from_links"], 107);
    assert_eq!(v["dropped"].as_array().unwrap().len(), 77);
    assert_eq!(v["added"].as_array().unwrap().len(), 65);
    // Annex I, Part II (5): the release links OSPS-VM-02 there; annex says why not.
    let vm02 = v["dropped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["source"] == "OSPS-VM-02" && l["target"] == "CRA-AI-2.5")
        .unwrap();
    assert!(
        vm02["note"]
            .as_str()
            .unwrap()
            .contains("Part II, point (5)")
    );
    annex()
        .args([
            "spec",
            "crosswalk",
            "--compare-mappings",
            "osps-cra-official",
            "osps-cra",
        ])
        .assert()
        .success()
        .stdout(contains("keeps 30 of the 107 links").and(contains("left out by osps-cra")));
    annex()
        .args([
            "spec",
            "crosswalk",
            "--compare-mappings",
            "nope",
            "osps-cra",
        ])
        .assert()
        .failure()
        .stderr(contains("osps-cra-official"));
}
