//! VEX reading: OpenVEX examples conforming and not, CycloneDX 1.5–1.7. Writing is tested
//! end to end (findings, triage, writer) in annex-vuln's `vex_write.rs`.

mod support;

use std::path::PathBuf;

use annex_vex::{self as vex, Justification, ReadMode, VexError, VexFormat, VexStatus};
use serde_json::{Value, json};
use support::shared;

fn openvex_examples(sub: &str) -> Vec<PathBuf> {
    let dir = shared().join("data/schemas/openvex/examples").join(sub);
    let mut out: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    out.sort();
    out
}

#[test]
fn conforming_openvex_examples_read_strictly() {
    let files = openvex_examples("");
    assert!(files.len() >= 10, "examples found: {}", files.len());
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let raw: Value = serde_json::from_slice(&bytes).unwrap();
        let doc =
            vex::read_path(&f, ReadMode::Strict).unwrap_or_else(|e| panic!("{}: {e}", f.display()));
        assert_eq!(doc.format, VexFormat::OpenVex);
        assert!(
            doc.problems.is_empty(),
            "{}: {:?}",
            f.display(),
            doc.problems
        );
        assert_eq!(
            doc.statements.len(),
            raw["statements"].as_array().unwrap().len(),
            "{}",
            f.display()
        );
        for s in &doc.statements {
            assert!(!s.vulnerabilities.is_empty());
            assert!(
                !s.products.is_empty(),
                "{}: a statement without products",
                f.display()
            );
            assert!(s.timestamp.is_some());
        }
    }
}

#[test]
fn openvex_example_details() {
    let dir = shared().join("data/schemas/openvex/examples");
    let doc = vex::read_path(
        &dir.join("vexctl-examples_openvex_demo.vex.json"),
        ReadMode::Strict,
    )
    .unwrap();
    let s = &doc.statements[0];
    assert_eq!(s.vulnerabilities, ["CVE-2014-123456"]);
    assert_eq!(s.status, VexStatus::Fixed);
    let purls: Vec<_> = s
        .products
        .iter()
        .map(|p| p.purl.as_deref().unwrap())
        .collect();
    assert_eq!(
        purls,
        [
            "pkg:apk/distro/git@2.39.0-r1?arch=armv7",
            "pkg:apk/distro/git@2.39.0-r1?arch=x86_64"
        ]
    );
    assert_eq!(doc.author.as_deref(), Some("Wolfi J Inkinson"));
    assert_eq!(s.source.pointer.as_deref(), Some("/statements/0"));

    // not_affected with justification and impact statement, products with subcomponents.
    let doc = vex::read_path(
        &dir.join("aquasecurity-.vex_oci.openvex.json"),
        ReadMode::Strict,
    )
    .unwrap();
    assert!(
        doc.statements
            .iter()
            .all(|s| s.status == VexStatus::NotAffected)
    );
    assert!(doc.statements.iter().any(|s| s.justification.is_some()));
    let with_parents = doc
        .statements
        .iter()
        .filter(|s| !s.parents.is_empty())
        .count();
    let raw: Value = serde_json::from_slice(
        &std::fs::read(dir.join("aquasecurity-.vex_oci.openvex.json")).unwrap(),
    )
    .unwrap();
    let raw_with_subs = raw["statements"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| {
            s["products"]
                .as_array()
                .unwrap()
                .iter()
                .any(|p| p.get("subcomponents").is_some())
        })
        .count();
    assert_eq!(with_parents, raw_with_subs);
}

#[test]
fn nonconforming_openvex_examples_are_refused_strictly_and_read_leniently() {
    let files = openvex_examples("nonconforming");
    assert!(files.len() >= 10);
    for f in files {
        let bytes = std::fs::read(&f).unwrap();
        let name = f.display().to_string();
        match vex::read(&bytes, &name, ReadMode::Strict) {
            Err(VexError::Nonconforming { problems, .. }) => assert!(!problems.is_empty()),
            Err(VexError::Invalid { .. }) => {}
            Err(e) => panic!("{name}: unexpected error {e}"),
            Ok(_) => panic!("{name}: a nonconforming document read strictly"),
        }
        // Leniently: the statements, with the deviations listed.
        let doc =
            vex::read(&bytes, &name, ReadMode::Lenient).unwrap_or_else(|e| panic!("{name}: {e}"));
        assert!(!doc.problems.is_empty(), "{name}");
        assert!(!doc.statements.is_empty(), "{name}");
    }
    // The specific deviations are named.
    let dir = shared().join("data/schemas/openvex/examples/nonconforming");
    let problems = |file: &str| {
        let bytes = std::fs::read(dir.join(file)).unwrap();
        vex::read(&bytes, file, ReadMode::Lenient)
            .unwrap()
            .problems
            .join("\n")
    };
    assert!(
        problems("anchore-test_integration_testdata_vex_openvex_affected.openvex.json")
            .contains("action_statement")
    );
    assert!(
        problems("aquasecurity-.vex_trivy.openvex.json").contains("/@id: \"aquasecurity/trivy:")
    );
    assert!(problems("aquasecurity-pkg_result_testdata_openvex.json").contains("\"@id\""));
    assert!(
        problems("vexctl-examples_sarif_sample-1statement.openvex.json")
            .contains("unexpected member \"statement\"")
    );
    let fixture = "aquasecurity-integration_testdata_fixtures_vex_file_openvex.json";
    let doc = vex::read(
        &std::fs::read(dir.join(fixture)).unwrap(),
        fixture,
        ReadMode::Lenient,
    )
    .unwrap();
    assert_eq!(doc.statements[0].vulnerabilities, ["CVE-2022-23628"]);
}

#[test]
fn broken_documents_give_errors() {
    let e = vex::read(b"{\n  \"@context\": ", "x.json", ReadMode::Lenient).unwrap_err();
    assert!(matches!(e, VexError::Json { line: 2, .. }), "{e}");
    let e = vex::read(b"{\"hello\": 1}", "x.json", ReadMode::Lenient).unwrap_err();
    assert!(matches!(e, VexError::UnknownFormat { .. }), "{e}");
    let doc = json!({
        "@context": "https://openvex.dev/ns/v0.2.0",
        "@id": "https://example.com/vex/1",
        "author": "a",
        "timestamp": "2024-01-01T00:00:00Z",
        "version": 1,
        "statements": [{
            "vulnerability": { "name": "CVE-2024-0001" },
            "products": [{ "@id": "pkg:npm/x@1.0.0" }],
            "status": "not_afected",
        }],
    });
    let e = vex::read(doc.to_string().as_bytes(), "bad.json", ReadMode::Lenient).unwrap_err();
    let msg = e.to_string();
    assert!(msg.contains("bad.json#/statements/0/status"), "{msg}");
    assert!(
        msg.contains("not_affected, affected, fixed, under_investigation"),
        "{msg}"
    );
    // Garbage of every shape: errors, never panics.
    for text in [
        "[]",
        "null",
        "{\"@context\": \"openvex\", \"statements\": 3}",
        "{\"bomFormat\": \"CycloneDX\", \"vulnerabilities\": [1]}",
        "{\"document\": {\"csaf_version\": \"2.0\"}, \"vulnerabilities\": [{\"product_status\": 1, \"cve\": \"CVE-1\"}]}",
    ] {
        let _ = vex::read(text.as_bytes(), "junk", ReadMode::Lenient);
        let _ = vex::read(text.as_bytes(), "junk", ReadMode::Strict);
    }
}

#[test]
fn cyclonedx_vulnerability_examples() {
    for v in ["1.5", "1.6", "1.7"] {
        let f = shared().join(format!(
            "data/schemas/cyclonedx/tools/src/test/resources/{v}/valid-vulnerability-{v}.json"
        ));
        let doc = vex::read_path(&f, ReadMode::Strict).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(doc.format, VexFormat::CycloneDx);
        assert_eq!(doc.statements.len(), 1);
        let s = &doc.statements[0];
        assert_eq!(
            s.vulnerabilities,
            ["SNYK-JAVA-COMFASTERXMLJACKSONCORE-32111", "CVE-2018-7489"]
        );
        assert_eq!(s.status, VexStatus::NotAffected);
        assert_eq!(
            s.justification,
            Some(Justification::VulnerableCodeNotInExecutePath)
        );
        assert_eq!(
            s.source_justification.as_deref(),
            Some("code_not_reachable")
        );
        assert_eq!(s.responses, ["will_not_fix", "update"]);
        assert_eq!(
            s.products[0].purl.as_deref(),
            Some("pkg:maven/com.fasterxml.jackson.core/jackson-databind@2.9.4")
        );
        assert!(
            s.impact_statement
                .as_deref()
                .unwrap()
                .contains("not affected")
        );
        assert_eq!(s.timestamp.as_deref(), Some("2022-02-01T00:00:00.000Z"));
    }
}

#[test]
fn cyclonedx_refs_and_states() {
    let bom = json!({
        "bomFormat": "CycloneDX",
        "specVersion": "1.4",
        "version": 1,
        "components": [{ "type": "library", "name": "x", "bom-ref": "comp-x", "purl": "pkg:npm/x@1.0.0",
                         "components": [{ "type": "library", "name": "y", "bom-ref": "comp-y", "purl": "pkg:npm/y@2.0.0" }] }],
        "vulnerabilities": [
            { "id": "CVE-2024-1", "analysis": { "state": "resolved" }, "affects": [{ "ref": "comp-y" }] },
            { "id": "CVE-2024-2", "analysis": { "state": "in_triage" },
              "affects": [{ "ref": "urn:cdx:3e671687-395b-41f5-a30f-a58921a69b79/1#pkg%3Anpm%2Fz%401.0.0" }] },
            { "id": "CVE-2024-3", "analysis": { "state": "exploitable", "detail": "patch it" }, "affects": [{ "ref": "comp-x" }] },
            { "id": "CVE-2024-4", "analysis": { "state": "false_positive" }, "affects": [{ "ref": "unknown-ref" }] },
            { "id": "CVE-2024-5", "affects": [{ "ref": "pkg:npm/w@1" }] },
        ],
    });
    let doc = vex::read(bom.to_string().as_bytes(), "bom.json", ReadMode::Strict).unwrap();
    let st: Vec<_> = doc.statements.iter().map(|s| s.status).collect();
    assert_eq!(
        st,
        [
            VexStatus::Fixed,
            VexStatus::UnderInvestigation,
            VexStatus::Affected,
            VexStatus::NotAffected,
            VexStatus::Affected
        ]
    );
    let purl = |i: usize| doc.statements[i].products[0].purl.clone();
    assert_eq!(purl(0).as_deref(), Some("pkg:npm/y@2.0.0"));
    assert_eq!(purl(1).as_deref(), Some("pkg:npm/z@1.0.0"));
    assert_eq!(purl(2).as_deref(), Some("pkg:npm/x@1.0.0"));
    assert_eq!(purl(3), None);
    assert_eq!(
        doc.statements[3].products[0].id.as_deref(),
        Some("unknown-ref")
    );
    assert_eq!(
        doc.statements[2].action_statement.as_deref(),
        Some("patch it")
    );

    let mut bad = bom.clone();
    bad["vulnerabilities"][0]["analysis"]["justification"] = json!("because");
    let e = vex::read(bad.to_string().as_bytes(), "bom.json", ReadMode::Lenient).unwrap_err();
    assert!(e.to_string().contains("code_not_present"), "{e}");
}

// ---- Issue 16 "Done when": the VEX readers on hostile input, on stable (fuzz/vex.rs runs
// them under cargo-fuzz where nightly is available).

/// `doc` with `len` bytes at `at` replaced by `junk` (char boundaries kept).
fn mutate(doc: &str, at: usize, len: usize, junk: &str) -> String {
    let mut a = at % (doc.len() + 1);
    while !doc.is_char_boundary(a) {
        a -= 1;
    }
    let mut b = (a + len).min(doc.len());
    while !doc.is_char_boundary(b) {
        b -= 1;
    }
    format!("{}{junk}{}", &doc[..a], &doc[b..])
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(128))]
    #[test]
    fn vex_readers_never_panic(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
        pick in 0usize..3, at in 0usize..20_000, len in 0usize..32, junk in "\\PC{0,8}",
    ) {
        let seeds = [
            "schemas/openvex/examples/anchore-grype_vex_testdata_vex-docs_openvex-demo1.json",
            "schemas/cyclonedx/tools/src/test/resources/1.6/valid-vulnerability-1.6.json",
            "schemas/csaf/csaf_2.0/examples/csaf/rhsa-2019_1862.json",
        ];
        let seed = std::fs::read_to_string(shared().join("data").join(seeds[pick]))
            .expect("seed document");
        let mutated = mutate(&seed, at, len, &junk);
        for doc in [&bytes[..], mutated.as_bytes()] {
            for mode in [ReadMode::Lenient, ReadMode::Strict] {
                let _ = vex::read(doc, "x.json", mode);
                let _ = vex::openvex::read(doc, "x.json", mode);
                let _ = vex::cyclonedx::read(doc, "x.json", mode);
                let _ = vex::csaf::read(doc, "x.json", mode);
            }
        }
    }
}
