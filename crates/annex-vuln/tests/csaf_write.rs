//! CSAF 2.0 writing from triaged findings: the security_advisory and csaf_vex documents
//! written validate against the schema, pass the mandatory tests and read back.

mod vex_support;

use annex_vex::csaf::{CsafError, CsafOptions, CsafProduct, Revision, TrackingStatus};
use std::collections::BTreeSet;

use annex_vex::{ReadMode, Timestamp, VexStatus};
use annex_vuln::to_vex;
use annex_vuln::triage::{self, TriagedFinding};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::Value;
use vex_support::{sample_findings, validate};

fn csaf_vex(p: &CsafProduct, t: &[TriagedFinding], o: &CsafOptions) -> Result<Value, CsafError> {
    annex_vex::csaf::vex(p, &to_vex::entries(t), o)
}

fn csaf_advisory(
    p: &CsafProduct,
    t: &[TriagedFinding],
    o: &CsafOptions,
) -> Result<Value, CsafError> {
    annex_vex::csaf::security_advisory(p, &to_vex::entries(t), o)
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
    let advisory = csaf_advisory(&product(), &triaged, &options()).unwrap();
    let vex_doc = csaf_vex(&product(), &triaged, &options()).unwrap();
    let one = csaf_vex(&product(), &triaged[..1], &options()).unwrap();
    validate("csaf-2.0", &[&advisory, &vex_doc, &one]);
    assert!(matches!(
        csaf_vex(&product(), &[], &options()),
        Err(CsafError::NoFindings("csaf_vex"))
    ));
    for d in [&advisory, &vex_doc, &one] {
        assert_eq!(annex_vex::csaf::mandatory_tests(d), []);
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
    assert_eq!(vex_doc, csaf_vex(&product(), &triaged, &options()).unwrap());

    // Read back: each finding's package gets its status, under the product.
    let back =
        annex_vex::read(vex_doc.to_string().as_bytes(), "vex.json", ReadMode::Strict).unwrap();
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
        csaf_vex(&p, &triaged()[..1], &options()),
        Err(CsafError::InvalidProduct {
            field: "vendor_namespace",
            ..
        })
    ));
    let mut p = product();
    p.revision_history.clear();
    assert!(csaf_vex(&p, &triaged()[..1], &options()).is_err());
    let mut p = product();
    p.revision_history[0].number = "two".into();
    assert!(csaf_vex(&p, &triaged()[..1], &options()).is_err());
    let mut p = product();
    p.lang = "english please".into();
    assert!(csaf_vex(&p, &triaged()[..1], &options()).is_err());
    // A draft with a pre-release version passes; the same as final fails 6.1.17.
    let mut p = product();
    for (i, r) in p.revision_history.iter_mut().enumerate() {
        r.number = format!("{}.0.0-rc.1", 2 - i);
    }
    p.revision_history[1].number = "1.0.0".into();
    p.status = TrackingStatus::Draft;
    let d = csaf_vex(&p, &triaged()[..1], &options()).unwrap();
    validate("csaf-2.0", &[&d]);
    p.status = TrackingStatus::Final;
    match csaf_vex(&p, &triaged()[..1], &options()) {
        Err(CsafError::MandatoryTests(f)) => assert!(f.iter().any(|f| f.test == "6.1.17")),
        other => panic!("{other:?}"),
    }
}
