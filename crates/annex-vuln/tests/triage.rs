//! `[[vex]]` triage entries in annex.toml (positions in errors, expiry) and applying VEX
//! statements to findings (ids and aliases, purl matching, precedence, suppression).

mod vex_support;

use annex_vex::{Justification, VexFormat, VexProduct, VexSource, VexStatement, VexStatus};
use annex_vuln::triage::{self, TriageError};
use chrono::NaiveDate;
use vex_support::{finding, sample_findings};

fn day(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

const ANNEX_TOML: &str = r#"# annex.toml
[project]
name = "example-app"
version = "1.4.0"

[[attestation]]
requirement = "OSPS-AC-01.01"
status = "pass"

[[vex]]
id = "CVE-2023-49092"
package = "pkg:cargo/rsa"
status = "not_affected"
justification = "vulnerable_code_not_in_execute_path"
statement = "Only signature verification is used."
expires = 2026-06-30

[[vex]]
id = "GHSA-jfh8-c2jp-5v3q"
package = "org.apache.logging.log4j:log4j-core"
status = "affected"
statement = "Upgrade in 1.5."

[[vex]]
id = "PYSEC-2021-108"
package = "pkg:pypi/URLLib3@1.26.4?extension=whl"
status = "under_investigation"
expires = "2025-01-01"

[docs]
security_contact = "security@example.org"
"#;

#[test]
fn parses_vex_entries_and_ignores_the_rest() {
    let s = triage::parse_annex_toml(ANNEX_TOML, "annex.toml").unwrap();
    assert_eq!(s.len(), 3);
    assert_eq!(s[0].vulnerabilities, ["CVE-2023-49092"]);
    assert_eq!(s[0].products, [VexProduct::from_purl("pkg:cargo/rsa")]);
    assert_eq!(s[0].status, VexStatus::NotAffected);
    assert_eq!(
        s[0].justification,
        Some(Justification::VulnerableCodeNotInExecutePath)
    );
    assert_eq!(
        s[0].impact_statement.as_deref(),
        Some("Only signature verification is used.")
    );
    assert_eq!(s[0].expires, Some(day(2026, 6, 30)));
    assert_eq!(s[0].source.format, VexFormat::AnnexToml);
    assert_eq!(s[0].source.to_string(), "annex.toml:10");
    assert_eq!(
        s[1].products[0].name.as_deref(),
        Some("org.apache.logging.log4j:log4j-core")
    );
    assert_eq!(s[1].action_statement.as_deref(), Some("Upgrade in 1.5."));
    assert_eq!(s[1].source.line, Some(18));
    assert_eq!(s[2].status_notes, None);
    assert_eq!(s[2].expires, Some(day(2025, 1, 1)));
    assert_eq!(
        triage::parse_annex_toml("[project]\nname = 'x'\n", "a.toml").unwrap(),
        []
    );
    assert_eq!(triage::parse_annex_toml("", "a.toml").unwrap(), []);
}

fn error(text: &str) -> TriageError {
    triage::parse_annex_toml(text, "annex.toml").unwrap_err()
}

#[test]
fn errors_name_file_line_and_allowed_values() {
    let e = error("[[vex]]\nid = \"CVE-1\"\npackage = \"x\"\nstatus = \"ignored\"\n");
    assert_eq!((e.line, e.column), (4, 10), "{e}");
    assert_eq!(
        e.to_string(),
        "annex.toml:4:10: unknown status \"ignored\"; expected one of: not_affected, affected, fixed, under_investigation"
    );
    let e = error(
        "[[vex]]\nid = \"CVE-1\"\npackage = \"x\"\nstatus = \"not_affected\"\njustification = \"no_idea\"\n",
    );
    assert_eq!(e.line, 5);
    assert!(
        e.message
            .contains("component_not_present, vulnerable_code_not_present"),
        "{e}"
    );
    let e = error("[[vex]]\nid = \"CVE-1\"\npackage = \"x\"\nstatus = \"not_affected\"\n");
    assert_eq!(e.line, 4);
    assert!(e.message.contains("needs a `justification`"), "{e}");
    let e = error(
        "[[vex]]\nid = \"CVE-1\"\npackage = \"x\"\nstatus = \"fixed\"\nexpires = \"next year\"\n",
    );
    assert_eq!(e.line, 5);
    assert!(e.message.contains("YYYY-MM-DD"), "{e}");
    let e = error(
        "[[vex]]\nid = \"CVE-1\"\npackage = \"x\"\nstatus = \"fixed\"\nexpires = 2025-01-01T10:00:00Z\n",
    );
    assert_eq!(e.line, 5);
    let e = error("[[vex]]\nid = \"CVE-1\"\npackage = \"pkg:\"\nstatus = \"fixed\"\n");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("not a valid purl"), "{e}");
    let e = error(
        "[[vex]]\nid = \"CVE-1\"\npackage = \"x\"\nstatus = \"fixed\"\njustifcation = \"component_not_present\"\n",
    );
    assert_eq!(e.line, 5, "{e}");
    assert!(
        e.message.contains("justifcation") && e.message.contains("a [[vex]] entry has"),
        "{e}"
    );
    let e = error("[[vex]]\nid = \"CVE-1\"\nstatus = \"fixed\"\n");
    assert!(e.message.contains("package"), "{e}");
    let e = error(
        "[[vex]]\nid = \"CVE-1\"\npackage = \"x\"\nstatus = \"affected\"\njustification = \"component_not_present\"\n",
    );
    assert_eq!(e.line, 5);
    let e = error("vex = \"nope\"\n");
    assert_eq!(e.line, 1);
    // A syntax error elsewhere in the file is still an error, with its position.
    let e = error("[project]\nname = \n\n[[vex]]\n");
    assert_eq!(e.line, 2, "{e}");
}

fn statement(ids: &[&str], product: VexProduct, status: VexStatus) -> VexStatement {
    VexStatement {
        vulnerabilities: ids.iter().map(|s| s.to_string()).collect(),
        products: vec![product],
        parents: Vec::new(),
        status,
        justification: None,
        source_justification: None,
        impact_statement: None,
        action_statement: None,
        status_notes: None,
        responses: Vec::new(),
        source: VexSource {
            format: VexFormat::OpenVex,
            document: "doc.json".into(),
            line: None,
            pointer: None,
        },
        timestamp: None,
        expires: None,
    }
}

fn purl(p: &str) -> VexProduct {
    VexProduct::from_purl(p)
}

fn name(n: &str) -> VexProduct {
    VexProduct {
        name: Some(n.into()),
        ..VexProduct::default()
    }
}

#[test]
fn apply_suppresses_and_annotates() {
    let findings = sample_findings();
    let statements = triage::parse_annex_toml(ANNEX_TOML, "annex.toml").unwrap();
    // Before rsa's entry expires: suppressed; urllib3's entry has expired.
    let t = triage::apply(&findings, &statements, day(2026, 6, 30));
    assert!(t[0].suppressed);
    assert_eq!(t[0].vex.as_ref().unwrap().status, VexStatus::NotAffected);
    assert_eq!(
        t[0].vex.as_ref().unwrap().source.to_string(),
        "annex.toml:10"
    );
    assert!(!t[1].suppressed);
    assert_eq!(t[1].vex.as_ref().unwrap().status, VexStatus::Affected);
    assert!(t[2].vex.is_none() && !t[2].suppressed);
    assert!(t[3].vex.is_none() && t[4].vex.is_none());
    // The day after, rsa's entry counts as absent.
    let t = triage::apply(&findings, &statements, day(2026, 7, 1));
    assert!(t[0].vex.is_none() && !t[0].suppressed);
    // Before urllib3's expiry: the qualifier and the name's case do not matter.
    let t = triage::apply(&findings, &statements, day(2024, 12, 31));
    assert_eq!(
        t[2].vex.as_ref().unwrap().status,
        VexStatus::UnderInvestigation
    );
    assert!(!t[2].suppressed);
}

#[test]
fn products_match_by_purl_and_name() {
    let cargo = finding(
        "RUSTSEC-1",
        &["CVE-2024-1"],
        "crates.io",
        "foo_bar",
        "1.2.3",
        Some("pkg:cargo/foo_bar@1.2.3"),
    );
    let npm = finding("GHSA-x", &[], "npm", "@scope/pkg", "2.0.0", None);
    let go = finding("GO-1", &[], "Go", "github.com/a/b", "v1.0.0", None);
    let maven = finding("GHSA-m", &[], "Maven", "org.x:y", "1.0", None);
    let pypi = finding("PYSEC-1", &[], "PyPI", "Foo.Bar", "1.0", None);
    let cases: Vec<(&annex_vuln::matching::Finding, &str, VexProduct, bool)> = vec![
        (&cargo, "CVE-2024-1", purl("pkg:cargo/foo_bar@1.2.3"), true),
        (&cargo, "cve-2024-1", purl("pkg:cargo/foo-bar"), true),
        (&cargo, "RUSTSEC-1", purl("pkg:cargo/foo_bar@1.2.4"), false),
        (&cargo, "RUSTSEC-1", purl("pkg:npm/foo_bar"), false),
        (&cargo, "RUSTSEC-2", purl("pkg:cargo/foo_bar"), false),
        (&cargo, "RUSTSEC-1", name("Foo-Bar"), true),
        (&cargo, "RUSTSEC-1", name("foo"), false),
        (&npm, "GHSA-x", purl("pkg:npm/%40scope/pkg@2.0.0"), true),
        (&npm, "GHSA-x", purl("pkg:npm/@scope/pkg?foo=bar#sub"), true),
        (&npm, "GHSA-x", purl("pkg:npm/pkg"), false),
        (&go, "GO-1", purl("pkg:golang/github.com/a/b@v1.0.0"), true),
        (&go, "GO-1", purl("pkg:golang/github.com/a/b@1.0.0"), true),
        (&maven, "GHSA-m", purl("pkg:maven/org.x/y@1.0"), true),
        (&maven, "GHSA-m", name("org.x:y"), true),
        (&pypi, "PYSEC-1", purl("pkg:pypi/foo-bar@1.0"), true),
        (&pypi, "PYSEC-1", name("foo_bar"), true),
        (
            &pypi,
            "PYSEC-1",
            VexProduct {
                id: Some("some-bom-ref".into()),
                ..VexProduct::default()
            },
            false,
        ),
    ];
    for (f, id, product, expected) in cases {
        let s = statement(&[id], product.clone(), VexStatus::NotAffected);
        assert_eq!(
            triage::statement_match(&s, f).is_some(),
            expected,
            "{id} {product:?} vs {:?}",
            f.package
        );
    }
}

#[test]
fn the_most_specific_then_newest_then_last_statement_wins() {
    let f = finding(
        "RUSTSEC-1",
        &["CVE-2024-1"],
        "crates.io",
        "foo",
        "1.0.0",
        None,
    );
    let versioned = statement(
        &["CVE-2024-1"],
        purl("pkg:cargo/foo@1.0.0"),
        VexStatus::Affected,
    );
    let versionless = statement(
        &["RUSTSEC-1"],
        purl("pkg:cargo/foo"),
        VexStatus::NotAffected,
    );
    let by_name = statement(&["RUSTSEC-1"], name("foo"), VexStatus::Fixed);
    let pick = |ss: &[VexStatement]| {
        triage::apply(std::slice::from_ref(&f), ss, day(2025, 1, 1))[0]
            .vex
            .as_ref()
            .map(|v| v.status)
    };
    assert_eq!(
        pick(&[versioned.clone(), versionless.clone(), by_name.clone()]),
        Some(VexStatus::Affected)
    );
    assert_eq!(
        pick(&[by_name.clone(), versionless.clone()]),
        Some(VexStatus::NotAffected)
    );
    assert_eq!(pick(std::slice::from_ref(&by_name)), Some(VexStatus::Fixed));
    // Equally specific: the newer timestamp, then the later statement.
    let mut old = versionless.clone();
    old.status = VexStatus::Affected;
    old.timestamp = Some("2024-01-01T00:00:00Z".into());
    let mut new = versionless.clone();
    new.timestamp = Some("2024-06-01T00:00:00+02:00".into());
    assert_eq!(
        pick(&[new.clone(), old.clone()]),
        Some(VexStatus::NotAffected)
    );
    let mut a = versionless.clone();
    a.status = VexStatus::UnderInvestigation;
    assert_eq!(
        pick(&[versionless.clone(), a.clone()]),
        Some(VexStatus::UnderInvestigation)
    );
    assert_eq!(pick(&[a, versionless]), Some(VexStatus::NotAffected));
    // Fixed suppresses too.
    let t = triage::apply(std::slice::from_ref(&f), &[by_name], day(2025, 1, 1));
    assert!(t[0].suppressed);
}
