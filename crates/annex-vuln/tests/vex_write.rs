//! VEX writing from triaged findings (OpenVEX, CycloneDX 1.6) through annex-vex's writers, each
//! document written validated against its schema and read back.

mod vex_support;

use annex_vex::cyclonedx::{BomProduct, CycloneDxVexOptions};
use annex_vex::openvex::OpenVexOptions;
use annex_vex::{Justification, ReadMode, Timestamp, VexStatus};
use annex_vuln::to_vex;
use annex_vuln::triage::{self, TriagedFinding};
use chrono::{NaiveDate, TimeZone, Utc};
use serde_json::{Value, json};
use vex_support::{sample_findings, validate};

fn openvex_doc(t: &[TriagedFinding], options: &OpenVexOptions) -> Value {
    annex_vex::openvex::write(&to_vex::entries(t), options)
}

fn cyclonedx_doc(t: &[TriagedFinding], options: &CycloneDxVexOptions) -> Value {
    annex_vex::cyclonedx::write(&to_vex::entries(t), options)
}

fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 1, 15).unwrap()
}

fn triaged() -> Vec<TriagedFinding> {
    let findings = sample_findings();
    let toml = r#"
[[vex]]
id = "CVE-2023-49092"
package = "pkg:cargo/rsa"
status = "not_affected"
justification = "vulnerable_code_not_in_execute_path"
statement = "Only signature verification is used."

[[vex]]
id = "CVE-2021-44228"
package = "org.apache.logging.log4j:log4j-core"
status = "affected"
statement = "Upgrade log4j-core in the next release."

[[vex]]
id = "PYSEC-2021-108"
package = "pkg:pypi/urllib3@1.26.4"
status = "fixed"
"#;
    let statements = triage::parse_annex_toml(toml, "annex.toml").unwrap();
    triage::apply(&findings, &statements, today())
}

fn at() -> Timestamp {
    Timestamp::At(Utc.with_ymd_and_hms(2025, 6, 1, 12, 0, 0).unwrap())
}

#[test]
fn openvex_written_validates_and_reads_back() {
    let triaged = triaged();
    let mut options = OpenVexOptions::new("Example Project Security Team");
    options.timestamp = at();
    let doc = openvex_doc(&triaged, &options);
    let mut with_product = options.clone();
    with_product.product = Some("pkg:cargo/example-app@1.4.0".into());
    with_product.role = Some("Document Creator".into());
    let doc2 = openvex_doc(&triaged, &with_product);
    validate("openvex", &[&doc, &doc2]);

    assert_eq!(doc["timestamp"], "2025-06-01T12:00:00Z");
    assert!(
        doc["@id"]
            .as_str()
            .unwrap()
            .starts_with("urn:annex:openvex:")
    );
    let statements = doc["statements"].as_array().unwrap();
    assert_eq!(statements.len(), triaged.len());
    assert_eq!(statements[0]["status"], "not_affected");
    assert_eq!(
        statements[0]["justification"],
        "vulnerable_code_not_in_execute_path"
    );
    assert_eq!(statements[1]["status"], "affected");
    assert_eq!(
        statements[1]["action_statement"],
        "Upgrade log4j-core in the next release."
    );
    assert_eq!(statements[2]["status"], "fixed");
    assert_eq!(statements[3]["status"], "under_investigation");
    assert_eq!(
        statements[1]["products"][0]["@id"],
        "pkg:maven/org.apache.logging.log4j/log4j-core@2.14.1"
    );
    assert_eq!(
        statements[3]["products"][0]["@id"],
        "pkg:npm/%40scope/urllib3-port@1.0.0"
    );

    // Read back: same statuses, products and ids.
    for (d, parents) in [(&doc, false), (&doc2, true)] {
        let back = annex_vex::read(d.to_string().as_bytes(), "out.json", ReadMode::Strict).unwrap();
        assert_eq!(back.statements.len(), triaged.len());
        for (s, t) in back.statements.iter().zip(&triaged) {
            let expected = t
                .vex
                .as_ref()
                .map_or(VexStatus::UnderInvestigation, |v| v.status);
            assert_eq!(s.status, expected);
            assert_eq!(s.vulnerabilities[0], t.finding.id);
            assert_eq!(s.parents.is_empty(), !parents);
            // The statement read back applies to the finding it was written from.
            assert!(triage::statement_match(s, &t.finding).is_some(), "{s:?}");
        }
    }

    // Deterministic: same input, same document; the id follows the content.
    assert_eq!(doc, openvex_doc(&triaged, &options));
    let fewer = openvex_doc(&triaged[..2], &options);
    assert_ne!(doc["@id"], fewer["@id"]);
    // Without SOURCE_DATE_EPOCH the fixed timestamp.
    assert_eq!(
        Timestamp::from_source_date_epoch(None).to_rfc3339(),
        "1970-01-01T00:00:00+00:00"
    );
    assert_eq!(
        Timestamp::from_source_date_epoch(Some("1700000000")).to_rfc3339(),
        "2023-11-14T22:13:20+00:00"
    );
    assert_eq!(
        Timestamp::from_source_date_epoch(Some("garbage")),
        chrono::DateTime::UNIX_EPOCH
    );
}

#[test]
fn openvex_untriaged_as_affected_gets_an_action() {
    let triaged: Vec<_> = sample_findings()
        .into_iter()
        .map(TriagedFinding::untriaged)
        .collect();
    let mut options = OpenVexOptions::new("me");
    options.untriaged = VexStatus::Affected;
    let doc = openvex_doc(&triaged, &options);
    validate("openvex", &[&doc]);
    let s = &doc["statements"];
    assert_eq!(
        s[1]["action_statement"],
        "Update org.apache.logging.log4j:log4j-core to 2.15.0 or later."
    );
    assert!(
        s[0]["action_statement"]
            .as_str()
            .unwrap()
            .starts_with("No fixed version of rsa")
    );
}

#[test]
fn cyclonedx_written_validates_and_reads_back() {
    let triaged = triaged();
    let options = CycloneDxVexOptions {
        product: Some(BomProduct {
            name: "example-app".into(),
            version: Some("1.4.0".into()),
            purl: Some("pkg:cargo/example-app@1.4.0".into()),
        }),
        timestamp: at(),
        untriaged: VexStatus::UnderInvestigation,
    };
    let bom = cyclonedx_doc(&triaged, &options);
    let bare = cyclonedx_doc(&triaged, &CycloneDxVexOptions::default());
    let empty = cyclonedx_doc(&[], &CycloneDxVexOptions::default());
    validate("cdx-1.6", &[&bom, &bare, &empty]);
    assert_eq!(bare["metadata"]["timestamp"], "1970-01-01T00:00:00Z");
    assert_eq!(bom, cyclonedx_doc(&triaged, &options));

    let vulns = bom["vulnerabilities"].as_array().unwrap();
    assert_eq!(vulns.len(), triaged.len());
    assert_eq!(vulns[0]["analysis"]["state"], "not_affected");
    assert_eq!(vulns[0]["analysis"]["justification"], "code_not_reachable");
    assert_eq!(vulns[0]["ratings"][0]["method"], "CVSSv31");
    assert_eq!(vulns[0]["ratings"][0]["score"], 5.9);
    assert_eq!(vulns[0]["ratings"][0]["severity"], "medium");
    assert_eq!(vulns[1]["analysis"]["state"], "exploitable");
    assert_eq!(vulns[1]["analysis"]["response"], json!(["update"]));
    let methods: Vec<_> = vulns[1]["ratings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["method"].as_str().unwrap())
        .collect();
    assert_eq!(methods, ["CVSSv31", "CVSSv4"]);
    assert_eq!(vulns[2]["analysis"]["state"], "resolved");
    assert_eq!(vulns[2]["ratings"][0]["method"], "CVSSv2");
    assert_eq!(vulns[3]["analysis"]["state"], "in_triage");
    // Matched, not yet triaged: the version is in the affected range.
    assert_eq!(vulns[3]["affects"][0]["versions"][0]["status"], "affected");
    assert_eq!(
        vulns[0]["affects"][0]["versions"][0]["status"],
        "unaffected"
    );
    assert_eq!(vulns[0]["references"][0]["id"], "CVE-2023-49092");
    assert_eq!(vulns[0]["references"][0]["source"]["name"], "NVD");

    let back = annex_vex::read(bom.to_string().as_bytes(), "bom.json", ReadMode::Strict).unwrap();
    assert_eq!(back.statements.len(), triaged.len());
    for (s, t) in back.statements.iter().zip(&triaged) {
        let expected = t
            .vex
            .as_ref()
            .map_or(VexStatus::UnderInvestigation, |v| v.status);
        assert_eq!(s.status, expected);
        assert!(triage::statement_match(s, &t.finding).is_some(), "{s:?}");
    }
    assert_eq!(
        back.statements[0].justification,
        Some(Justification::VulnerableCodeNotInExecutePath)
    );
}

#[test]
fn duplicate_findings_are_written_once() {
    let f = sample_findings().remove(0);
    let triaged = vec![
        TriagedFinding::untriaged(f.clone()),
        TriagedFinding::untriaged(f),
    ];
    let doc = openvex_doc(&triaged, &OpenVexOptions::new("me"));
    let bom = cyclonedx_doc(&triaged, &CycloneDxVexOptions::default());
    assert_eq!(doc["statements"].as_array().unwrap().len(), 1);
    assert_eq!(bom["vulnerabilities"].as_array().unwrap().len(), 1);
    validate("openvex", &[&doc]);
    validate("cdx-1.6", &[&bom]);
}
