//! CSAF 2.0: the VEX examples and validator test documents of the OASIS repository read into
//! statements or refused; the implemented mandatory tests agree with the official test cases;
//! the security_advisory and csaf_vex documents written validate and pass them.

#[path = "../../annex-vuln/tests/vex_support/mod.rs"]
mod vex_support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use annex_vuln::csaf::{self, CsafError, CsafOptions, CsafProduct, Revision, TrackingStatus};
use annex_vuln::triage::{self, TriagedFinding};
use annex_vuln::vex::{self, Justification, ReadMode, Timestamp, VexError, VexFormat, VexStatus};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;
use vex_support::{sample_findings, shared, validate};

fn csaf_dir() -> PathBuf {
    shared().join("data/schemas/csaf")
}

fn json_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).unwrap_or_else(|e| panic!("{}: {e}", d.display())) {
            let p = e.unwrap().path();
            if p.is_dir() {
                stack.push(p);
            } else if p.extension().is_some_and(|x| x == "json") {
                out.push(p);
            }
        }
    }
    out.sort();
    out
}

fn load(p: &Path) -> Value {
    serde_json::from_slice(&std::fs::read(p).unwrap()).unwrap()
}

#[test]
fn csaf_vex_examples_read_into_statements() {
    let dir = csaf_dir().join("csaf_2.0/examples/csaf/csaf_vex");
    let files = json_files(&dir);
    assert_eq!(files.len(), 13);
    for f in &files {
        let raw = load(f);
        let doc = vex::read_path(f, ReadMode::Strict).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.format, VexFormat::Csaf);
        let expected: usize = raw["vulnerabilities"]
            .as_array()
            .unwrap()
            .iter()
            .map(|v| {
                v["product_status"]
                    .as_object()
                    .unwrap()
                    .iter()
                    .filter(|(k, _)| *k != "recommended")
                    .map(|(_, l)| l.as_array().unwrap().len())
                    .sum::<usize>()
            })
            .sum();
        assert_eq!(doc.statements.len(), expected, "{}", f.display());
        assert_eq!(
            doc.id.as_deref(),
            raw["document"]["tracking"]["id"].as_str()
        );
    }
    let read = |name: &str| vex::read_path(&dir.join(name), ReadMode::Strict).unwrap();
    let na = read("2022-evd-uc-01-na-001.json");
    assert_eq!(na.statements[0].vulnerabilities, ["CVE-2021-44228"]);
    assert_eq!(na.statements[0].status, VexStatus::NotAffected);
    assert_eq!(
        na.statements[0].impact_statement.as_deref(),
        Some("Class with vulnerable code was removed before shipping.")
    );
    assert_eq!(
        na.statements[0].products[0].id.as_deref(),
        Some("CSAFPID-0001")
    );
    let sec = read("sec-vex-2022-0001.json");
    assert!(
        sec.statements
            .iter()
            .all(|s| s.justification == Some(Justification::ComponentNotPresent))
    );
    let a = read("2022-evd-uc-01-a-001.json");
    assert_eq!(a.statements[0].status, VexStatus::Affected);
    assert!(a.statements[0].action_statement.is_some());
    let ui = read("2022-evd-uc-01-ui-001.json");
    assert_eq!(ui.statements[0].status, VexStatus::UnderInvestigation);
    let f = read("2022-evd-uc-01-f-001.json");
    assert_eq!(f.statements[0].status, VexStatus::Fixed);
}

#[test]
fn other_csaf_documents_never_panic() {
    let mut read_ok = 0;
    let mut refused = 0;
    for f in json_files(&csaf_dir()) {
        let bytes = std::fs::read(&f).unwrap();
        let name = f.display().to_string();
        for mode in [ReadMode::Strict, ReadMode::Lenient] {
            match vex::read(&bytes, &name, mode) {
                Ok(_) => read_ok += 1,
                Err(_) => refused += 1,
            }
        }
        let _ =
            csaf::mandatory_tests(&serde_json::from_slice::<Value>(&bytes).unwrap_or(Value::Null));
    }
    assert!(
        read_ok > 100 && refused > 50,
        "{read_ok} read, {refused} refused"
    );
    // The full advisories of the 2.0 examples read (leniently) with their statements.
    for name in [
        "rhsa-2021_5186.json",
        "cisco-sa-20180328-smi2.json",
        "bsi-2022-0001.json",
    ] {
        let p = csaf_dir().join("csaf_2.0/examples/csaf").join(name);
        let doc = vex::read_path(&p, ReadMode::Lenient).unwrap_or_else(|e| panic!("{e}"));
        assert!(!doc.statements.is_empty(), "{name}");
    }
    // Red Hat's products are relationships: the component with the product as its parent.
    let p = csaf_dir().join("csaf_2.0/examples/csaf/rhsa-2021_5186.json");
    let doc = vex::read_path(&p, ReadMode::Lenient).unwrap();
    let s = &doc.statements[0];
    assert_eq!(s.parents[0].id.as_deref(), Some("8Base-RHOSE-4.6"));
    assert!(
        s.products[0]
            .id
            .as_deref()
            .unwrap()
            .starts_with("8Base-RHOSE-4.6:openshift4/")
    );
}

/// Every implemented mandatory test reports each of the official failing documents and none of
/// the valid ones; strict reading refuses the failing ones.
#[test]
fn mandatory_tests_agree_with_the_official_test_cases() {
    let implemented: BTreeSet<&str> = [
        "6.1.1",
        "6.1.2",
        "6.1.3",
        "6.1.4",
        "6.1.5",
        "6.1.6",
        "6.1.7",
        "6.1.13",
        "6.1.14",
        "6.1.16",
        "6.1.17",
        "6.1.18",
        "6.1.21",
        "6.1.22",
        "6.1.27.1",
        "6.1.27.2",
        "6.1.27.3",
        "6.1.27.4",
        "6.1.27.5",
        "6.1.27.6",
        "6.1.27.7",
        "6.1.27.8",
        "6.1.27.9",
        "6.1.27.10",
        "6.1.27.11",
    ]
    .into();
    let base = csaf_dir().join("csaf_2.0/test/validator/data");
    let cases = load(&base.join("testcases.json"));
    let mut checked = 0;
    for case in cases["tests"].as_array().unwrap() {
        let id = case["id"].as_str().unwrap();
        if !implemented.contains(id) {
            continue;
        }
        let doc_path = |n: &Value| base.join(n["name"].as_str().unwrap());
        for f in case["failures"].as_array().into_iter().flatten() {
            let p = doc_path(f);
            let failures = csaf::mandatory_tests(&load(&p));
            assert!(
                failures.iter().any(|x| x.test == id),
                "{id}: {} not reported: {failures:?}",
                p.display()
            );
            let e = vex::read_path(&p, ReadMode::Strict).unwrap_err();
            assert!(
                e.to_string().contains(&format!("mandatory test {id}:")),
                "{}: {e}",
                p.display()
            );
            checked += 1;
        }
        for f in case["valid"].as_array().into_iter().flatten() {
            let p = doc_path(f);
            let failures = csaf::mandatory_tests(&load(&p));
            assert!(
                !failures.iter().any(|x| x.test == id),
                "{id}: valid {} reported: {failures:?}",
                p.display()
            );
            checked += 1;
        }
    }
    assert!(checked > 80, "{checked} documents checked");
}

fn product() -> CsafProduct {
    let d = |m, day| Utc.with_ymd_and_hms(2025, m, day, 9, 0, 0).unwrap();
    let mut p = CsafProduct::new(
        "Example App",
        "1.4.0",
        "Example Foundation",
        "https://example.org",
        "EXAMPLE-2025-0007",
        d(3, 1),
    );
    p.purl = Some("pkg:cargo/example-app@1.4.0".into());
    p.current_release_date = d(6, 1);
    p.revision_history = vec![
        Revision {
            date: d(6, 1),
            number: "2".into(),
            summary: "Triage of log4j.".into(),
        },
        Revision {
            date: d(3, 1),
            number: "1".into(),
            summary: "Initial version.".into(),
        },
    ];
    p
}

fn triaged() -> Vec<TriagedFinding> {
    let toml = r#"
[[vex]]
id = "CVE-2023-49092"
package = "rsa"
status = "not_affected"
justification = "vulnerable_code_not_in_execute_path"

[[vex]]
id = "CVE-2021-44228"
package = "pkg:maven/org.apache.logging.log4j/log4j-core"
status = "affected"

[[vex]]
id = "GO-2022-0001"
package = "pkg:golang/github.com/example/mod"
status = "not_affected"
statement = "The module is only used in tests."
"#;
    let statements = triage::parse_annex_toml(toml, "annex.toml").unwrap();
    triage::apply(
        &sample_findings(),
        &statements,
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
    )
}

fn options() -> CsafOptions {
    CsafOptions {
        timestamp: Timestamp::At(Utc.with_ymd_and_hms(2025, 6, 2, 0, 0, 0).unwrap()),
        untriaged: None,
    }
}

#[test]
fn written_documents_validate_and_pass_the_mandatory_tests() {
    let triaged = triaged();
    let advisory = csaf::security_advisory(&product(), &triaged, &options()).unwrap();
    let vex_doc = csaf::vex(&product(), &triaged, &options()).unwrap();
    let one = csaf::vex(&product(), &triaged[..1], &options()).unwrap();
    validate("csaf-2.0", &[&advisory, &vex_doc, &one]);
    assert!(matches!(
        csaf::vex(&product(), &[], &options()),
        Err(CsafError::NoFindings("csaf_vex"))
    ));
    for d in [&advisory, &vex_doc, &one] {
        assert_eq!(csaf::mandatory_tests(d), []);
        let history = d["document"]["tracking"]["revision_history"]
            .as_array()
            .unwrap();
        assert_eq!(
            d["document"]["tracking"]["version"],
            history.last().unwrap()["number"]
        );
        assert_eq!(d["document"]["tracking"]["version"], "2");
        assert_eq!(history[0]["number"], "1", "sorted by date");
    }
    assert_eq!(advisory["document"]["category"], "csaf_security_advisory");
    assert_eq!(vex_doc["document"]["category"], "csaf_vex");

    // One vulnerability per CVE: urllib3 (PyPI) and its npm port share CVE-2021-33503.
    let vulns = vex_doc["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulns.len(), 4);
    let cves: Vec<_> = vulns.iter().filter_map(|v| v["cve"].as_str()).collect();
    let unique: BTreeSet<_> = cves.iter().collect();
    assert_eq!(cves.len(), unique.len());
    let urllib = vulns.iter().find(|v| v["cve"] == "CVE-2021-33503").unwrap();
    assert_eq!(
        urllib["product_status"]["under_investigation"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert_eq!(urllib["scores"][0]["cvss_v2"]["baseScore"], 5.0);
    let rsa = vulns.iter().find(|v| v["cve"] == "CVE-2023-49092").unwrap();
    assert_eq!(
        rsa["flags"][0]["label"],
        "vulnerable_code_not_in_execute_path"
    );
    assert_eq!(rsa["scores"][0]["cvss_v3"]["baseSeverity"], "MEDIUM");
    let log4j = vulns.iter().find(|v| v["cve"] == "CVE-2021-44228").unwrap();
    assert_eq!(log4j["remediations"][0]["category"], "vendor_fix");
    let go = vulns
        .iter()
        .find(|v| v["ids"][0]["text"] == "GO-2022-0001")
        .unwrap();
    assert_eq!(
        go["threats"][0]["details"],
        "The module is only used in tests."
    );
    // In the advisory untriaged findings are known affected, with a remediation.
    let adv_urllib = advisory["vulnerabilities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["cve"] == "CVE-2021-33503")
        .unwrap();
    assert_eq!(
        adv_urllib["product_status"]["known_affected"]
            .as_array()
            .unwrap()
            .len(),
        2
    );
    assert!(adv_urllib["remediations"].as_array().is_some());

    // Deterministic.
    assert_eq!(
        vex_doc,
        csaf::vex(&product(), &triaged, &options()).unwrap()
    );

    // Read back: each finding's package gets its status, under the product.
    let back = vex::read(vex_doc.to_string().as_bytes(), "vex.json", ReadMode::Strict).unwrap();
    assert_eq!(back.statements.len(), triaged.len());
    let again = triage::apply(
        &triaged
            .iter()
            .map(|t| t.finding.clone())
            .collect::<Vec<_>>(),
        &back.statements,
        NaiveDate::from_ymd_opt(2025, 6, 1).unwrap(),
    );
    for (a, b) in again.iter().zip(&triaged) {
        assert_eq!(
            a.vex.as_ref().unwrap().status,
            b.vex
                .as_ref()
                .map_or(VexStatus::UnderInvestigation, |v| v.status),
            "{}",
            a.finding.id
        );
        assert_eq!(a.suppressed, b.suppressed);
    }
    assert!(
        back.statements
            .iter()
            .all(|s| { s.parents[0].purl.as_deref() == Some("pkg:cargo/example-app@1.4.0") })
    );
}

#[test]
fn product_information_is_checked() {
    let mut p = product();
    p.vendor_namespace = "example.org".into();
    assert!(matches!(
        csaf::vex(&p, &triaged()[..1], &options()),
        Err(CsafError::InvalidProduct {
            field: "vendor_namespace",
            ..
        })
    ));
    let mut p = product();
    p.revision_history.clear();
    assert!(csaf::vex(&p, &triaged()[..1], &options()).is_err());
    let mut p = product();
    p.revision_history[0].number = "two".into();
    assert!(csaf::vex(&p, &triaged()[..1], &options()).is_err());
    let mut p = product();
    p.lang = "english please".into();
    assert!(csaf::vex(&p, &triaged()[..1], &options()).is_err());
    // A draft with a pre-release version passes; the same as final fails 6.1.17.
    let mut p = product();
    for (i, r) in p.revision_history.iter_mut().enumerate() {
        r.number = format!("{}.0.0-rc.1", 2 - i);
    }
    p.revision_history[1].number = "1.0.0".into();
    p.status = TrackingStatus::Draft;
    let d = csaf::vex(&p, &triaged()[..1], &options()).unwrap();
    validate("csaf-2.0", &[&d]);
    p.status = TrackingStatus::Final;
    match csaf::vex(&p, &triaged()[..1], &options()) {
        Err(CsafError::MandatoryTests(f)) => assert!(f.iter().any(|f| f.test == "6.1.17")),
        other => panic!("{other:?}"),
    }
}

#[test]
fn unknown_flag_labels_are_errors() {
    let p = csaf_dir().join("csaf_2.0/examples/csaf/csaf_vex/sec-vex-2022-0001.json");
    let mut doc = load(&p);
    doc["vulnerabilities"][0]["flags"][0]["label"] = "not_present_at_all".into();
    let e = vex::read(doc.to_string().as_bytes(), "x.json", ReadMode::Lenient).unwrap_err();
    assert!(matches!(e, VexError::Invalid { .. }));
    assert!(e.to_string().contains("component_not_present"), "{e}");
}
