//! Fixture products (a manufacturer and a steward), an assessment, an SBOM summary and
//! findings, all dated 2026-11-25.
#![allow(dead_code)]

use annex_assess::Assessment;
use annex_docs::{FindingsSummary, Inputs, Metadata, SbomSummary};
use chrono::NaiveDate;
use serde_json::json;
use std::collections::BTreeMap;

pub fn today() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 25).unwrap()
}

pub const MANUFACTURER_TOML: &str = r#"# Fixture: a manufacturer of a library.
[product]
name = "Widget"
version = "1.4.2"
type = "library"
description = "Parses and validates widget configuration files for embedded controllers."
repository = "https://github.com/example/widget"
license = "Apache-2.0"
languages = ["en", "de"]

[manufacturer]
name = "Example GmbH"
address = "Beispielstraße 1, 10115 Berlin, Germany"
email = "info@example.org"
website = "https://example.org"

[support]
end = "2031-12"
start = "2026-12"
reason = "Widget follows the five-year support of the controllers it ships with."
kind = "Security fixes as patch releases of the latest minor version."
versions = "1.4.x"

[security]
contact = "security@example.org"
policy = "https://github.com/example/widget/security/policy"
advisories = "https://github.com/example/widget/security/advisories"
sbom = "https://example.org/widget/1.4.2/sbom.cdx.json"
csaf = "https://example.org/.well-known/csaf/provider-metadata.json"
canonical = "https://example.org/.well-known/security.txt"

[declaration]
url = "https://example.org/widget/eu-declaration-of-conformity"
standards = []
place = "Berlin"
signatory = { name = "Erika Mustermann", function = "Managing Director" }

[documentation]
essential-functions = "Reading, validating and normalising configuration files."
secure-use = "https://example.org/widget/docs/security"
updates = "https://example.org/widget/docs/upgrading"

# Sections of other crates: ignored by annex-docs.
[scope]
include = ["src/**"]

[[vex]]
id = "CVE-2026-0001"
status = "not_affected"
"#;

pub const STEWARD_TOML: &str = r#"[product]
name = "Gadget"
version = "3.0.0"
type = "command-line tool"
repository = "https://gitlab.com/example-foundation/gadget"
languages = ["en"]

[steward]
name = "Example Foundation"
address = "1 Foundation Way, 1000 Brussels, Belgium"
email = "board@foundation.example"
website = "https://foundation.example"

[security]
contact = "https://gitlab.com/example-foundation/gadget/-/issues/new?confidential=true"
policy = "https://foundation.example/security/policy"
advisories = "https://foundation.example/security/advisories"
"#;

pub fn manufacturer() -> Metadata {
    Metadata::parse(MANUFACTURER_TOML, "annex.toml", today()).expect("manufacturer fixture")
}

pub fn steward() -> Metadata {
    Metadata::parse(STEWARD_TOML, "annex.toml", today()).expect("steward fixture")
}

pub fn assessment() -> Assessment {
    let result = |req: &str, title: &str, status: &str, reason: &str, generator: Option<&str>| {
        json!({
            "requirement": req, "catalog": "osps", "control": req.rsplit_once('.').unwrap().0,
            "title": title, "group": "VM", "group_title": "Vulnerability Management",
            "text": title, "status": status, "confidence": "high", "source": "local",
            "reason": reason, "evidence": [], "remediation": "Add SECURITY.md.",
            "generator": generator, "maps": []
        })
    };
    let a = json!({
        "schema": "annex/assessment/v1",
        "generator": {"name": "annex", "version": "0.1.0"},
        "subject": ".",
        "profile": {"id": "cra-manufacturer", "title": "CRA manufacturer", "version": "2026.11",
                    "applicability": ["manufacturer"], "cra_role": "manufacturer"},
        "catalogs": [{"id": "cra", "version": "2024/2847"}],
        "summary": {"total": 3, "pass": 1, "fail": 2, "needs-review": 0, "not-applicable": 0,
                    "not-run": 0, "unknown": 0},
        "results": [
            result("OSPS-VM-02.01", "Security contacts", "pass", "SECURITY.md:3 names security@example.org", Some("security-md")),
            result("OSPS-GV-03.01", "Contribution guide", "fail", "no CONTRIBUTING file", Some("contributing")),
            result("OSPS-BR-07.01", "Secrets", "fail", "no secrets policy", None),
        ],
        "cra": [
            {"requirement": "CRA-AI-1.2a", "title": "No known exploitable vulnerabilities", "coverage": "partly",
             "decided_by": [{"requirement": "OSPS-VM-05.03", "relationship": "supports", "status": "needs-review"}]},
            {"requirement": "CRA-AI-1.2b", "title": "Secure by default configuration", "coverage": "not-covered", "decided_by": []},
            {"requirement": "CRA-AI-2.5", "title": "Coordinated vulnerability disclosure policy", "coverage": "covered",
             "decided_by": [{"requirement": "OSPS-VM-02.01", "relationship": "implements", "status": "pass"}]},
            {"requirement": "CRA-AI-2.6", "title": "Contact address for vulnerability reports", "coverage": "covered",
             "decided_by": [{"requirement": "OSPS-VM-02.01", "relationship": "implements", "status": "pass"}]}
        ]
    });
    serde_json::from_value(a).expect("assessment fixture")
}

pub fn sbom() -> SbomSummary {
    SbomSummary::from_json(
        &json!({"bomFormat": "CycloneDX", "specVersion": "1.6",
                "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79",
                "metadata": {"timestamp": "2026-11-20T08:00:00Z"},
                "components": [{"name": "serde"}, {"name": "toml"}, {"name": "regex"}]}),
        Some("sbom.cdx.json"),
    )
    .unwrap()
}

pub fn findings() -> FindingsSummary {
    FindingsSummary::from_json(&json!({
        "schema": "annex/findings/v1",
        "database": {"snapshot": "osv-2026-11-24"},
        "findings": [
            {"id": "RUSTSEC-2026-0042", "aliases": ["CVE-2026-4242"],
             "package": {"ecosystem": "crates.io", "name": "tinyparse", "version": "0.3.1"},
             "fixed": ["0.3.2"], "severity": {"vector": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:H", "score": 7.5, "rating": "high"}},
            {"id": "GHSA-aaaa-bbbb-cccc", "package": {"ecosystem": "crates.io", "name": "oldlog", "version": "1.0.0"},
             "fixed": [], "vex": {"status": "not_affected"}}
        ]
    }))
}

/// A foundation profile's parameters (as the rust profile sets them).
pub fn params() -> BTreeMap<String, serde_json::Value> {
    let mut p = BTreeMap::new();
    p.insert("vuln-report-contact".into(), json!("security@example.org"));
    p.insert("vuln-response-days".into(), json!(3));
    p.insert("disclosure-days".into(), json!(90));
    p.insert("cna".into(), json!(false));
    p
}

pub fn full_inputs<'a>(
    m: &'a Metadata,
    a: &'a Assessment,
    s: &'a SbomSummary,
    f: &'a FindingsSummary,
) -> Inputs<'a> {
    Inputs::new(m, today())
        .with_assessment(a)
        .with_sbom(s)
        .with_findings(f)
        .with_params(params())
}
