//! Helpers shared by the VEX, CSAF and triage tests: findings to write, the shared corpus and
//! the schema validator.
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::Command;

use annex_vuln::cvss;
use annex_vuln::matching::{Finding, FindingPackage, FindingSeverity};
use annex_vuln::osv::SeverityType;
use serde_json::Value;

/// `shared/` beside the checkout (`ANNEX_SHARED` overrides).
pub fn shared() -> PathBuf {
    match std::env::var_os("ANNEX_SHARED") {
        Some(p) => PathBuf::from(p),
        None => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared"),
    }
}

/// Validates documents with `shared/tools/validate_doc.py KIND FILE…`; panics with the
/// validator's report when one is invalid, and with the install command when jsonschema is
/// missing.
pub fn validate(kind: &str, docs: &[&Value]) {
    let ready = Command::new("python3")
        .args(["-c", "import jsonschema, referencing"])
        .output();
    match ready {
        Ok(o) if o.status.success() => {}
        _ => panic!(
            "schema validation needs python3 with jsonschema: \
             pip install 'jsonschema[format-nongpl]>=4.18'"
        ),
    }
    let dir = tempfile::tempdir().unwrap();
    let paths: Vec<PathBuf> = docs
        .iter()
        .enumerate()
        .map(|(i, d)| {
            let p = dir.path().join(format!("doc{i}.json"));
            std::fs::write(&p, serde_json::to_string_pretty(d).unwrap()).unwrap();
            p
        })
        .collect();
    let tool = shared().join("tools/validate_doc.py");
    assert!(tool.is_file(), "validator {} is missing", tool.display());
    let out = Command::new("python3")
        .arg(&tool)
        .arg(kind)
        .args(&paths)
        .output()
        .expect("run python3 validate_doc.py");
    let report = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    if report.contains("ModuleNotFoundError") {
        panic!(
            "validate_doc.py needs jsonschema: pip install 'jsonschema[format-nongpl]>=4.18'\n{report}"
        );
    }
    assert!(out.status.success(), "{kind} validation failed:\n{report}");
    assert_eq!(
        report.lines().filter(|l| l.starts_with("valid")).count(),
        docs.len(),
        "every document reported valid:\n{report}"
    );
}

fn severity(advisory: &str, vector: &str) -> FindingSeverity {
    let s = cvss::score(vector).unwrap();
    let kind = match s.version {
        cvss::CvssVersion::V2 => SeverityType::CvssV2,
        cvss::CvssVersion::V4_0 => SeverityType::CvssV4,
        _ => SeverityType::CvssV3,
    };
    FindingSeverity {
        advisory: advisory.into(),
        kind,
        vector: vector.into(),
        cvss_version: Some(s.version),
        score: Some(s.score),
        rating: Some(s.rating),
    }
}

/// A finding of `id` (with `aliases`) in `ecosystem`/`name`@`version`.
pub fn finding(
    id: &str,
    aliases: &[&str],
    ecosystem: &str,
    name: &str,
    version: &str,
    purl: Option<&str>,
) -> Finding {
    Finding {
        id: id.into(),
        kind: Default::default(),
        aliases: aliases.iter().map(|s| s.to_string()).collect(),
        package: FindingPackage {
            ecosystem: ecosystem.into(),
            name: name.into(),
            version: version.into(),
            purl: purl.map(str::to_string),
            scope: None,
            source: None,
            name_only: false,
        },
        matched: Vec::new(),
        fixed: Vec::new(),
        nearest_fix: None,
        severity: None,
        severities: Vec::new(),
        summary: None,
    }
}

/// A few findings of several ecosystems, with fixes and CVSS v3.1, v4.0 and v2 severities.
pub fn sample_findings() -> Vec<Finding> {
    let mut a = finding(
        "RUSTSEC-2023-0071",
        &["CVE-2023-49092", "GHSA-c38w-74pg-36hr"],
        "crates.io",
        "rsa",
        "0.9.6",
        Some("pkg:cargo/rsa@0.9.6"),
    );
    a.summary = Some("Marvin Attack: potential key recovery through timing sidechannels".into());
    let s = severity(
        "RUSTSEC-2023-0071",
        "CVSS:3.1/AV:N/AC:H/PR:N/UI:N/S:U/C:H/I:N/A:N",
    );
    a.severity = Some(s.clone());
    a.severities = vec![s];

    let mut b = finding(
        "GHSA-jfh8-c2jp-5v3q",
        &["CVE-2021-44228"],
        "Maven",
        "org.apache.logging.log4j:log4j-core",
        "2.14.1",
        None,
    );
    b.fixed = vec!["2.15.0".into(), "2.16.0".into()];
    b.nearest_fix = Some("2.15.0".into());
    b.summary = Some("Remote code injection in Log4j".into());
    let s = severity(
        "GHSA-jfh8-c2jp-5v3q",
        "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H",
    );
    b.severity = Some(s.clone());
    b.severities = vec![
        s,
        severity(
            "GHSA-jfh8-c2jp-5v3q",
            "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:H/SI:H/SA:H",
        ),
    ];

    let mut c = finding(
        "PYSEC-2021-108",
        &["CVE-2021-33503", "GHSA-q2q7-5pp4-w6pg"],
        "PyPI",
        "urllib3",
        "1.26.4",
        Some("pkg:pypi/urllib3@1.26.4"),
    );
    c.fixed = vec!["1.26.5".into()];
    c.nearest_fix = Some("1.26.5".into());
    let s = severity("PYSEC-2021-108", "AV:N/AC:L/Au:N/C:N/I:N/A:P");
    c.severity = Some(s.clone());
    c.severities = vec![s];

    // Same vulnerability as `c` through an alias, another package: one CSAF vulnerability.
    let mut d = finding(
        "GHSA-q2q7-5pp4-w6pg",
        &["CVE-2021-33503"],
        "npm",
        "@scope/urllib3-port",
        "1.0.0",
        None,
    );
    d.severity = None;

    let e = finding(
        "GO-2022-0001",
        &[],
        "Go",
        "github.com/example/mod",
        "v1.2.3",
        None,
    );
    vec![a, b, c, d, e]
}
