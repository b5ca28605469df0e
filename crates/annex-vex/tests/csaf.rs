//! CSAF 2.0: the VEX examples and validator test documents of the OASIS repository read into
//! statements or refused; the implemented mandatory tests agree with the official test cases.
//! The documents written are tested end to end in annex-vuln's `csaf_write.rs`.

mod support;

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use annex_vex::{self as vex, Justification, ReadMode, VexError, VexFormat, VexStatus, csaf};
use serde_json::Value;
use support::shared;

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

#[test]
fn unknown_flag_labels_are_errors() {
    let p = csaf_dir().join("csaf_2.0/examples/csaf/csaf_vex/sec-vex-2022-0001.json");
    let mut doc = load(&p);
    doc["vulnerabilities"][0]["flags"][0]["label"] = "not_present_at_all".into();
    let e = vex::read(doc.to_string().as_bytes(), "x.json", ReadMode::Lenient).unwrap_err();
    assert!(matches!(e, VexError::Invalid { .. }));
    assert!(e.to_string().contains("component_not_present"), "{e}");
}
