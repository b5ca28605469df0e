//! BSI TR-03183-2 v2.1 gaps.

mod common;

use annex_sbom::{Creator, GapLevel, Options, check_bsi, cyclonedx, spdx2, spdx3};
use common::*;

fn fields(gaps: &[annex_sbom::Gap], component: Option<&str>) -> Vec<String> {
    gaps.iter()
        .filter(|g| g.component.as_deref() == component)
        .map(|g| format!("{} {}", g.section, g.field))
        .collect()
}

#[test]
fn annex_cyclonedx_output() {
    let inv = inventory(vec![npm_subject()]);
    let gaps = check_bsi(cyclonedx::to_json(&inv, &opts()).unwrap()).unwrap();
    // Document level: only the creator is missing (no Options::creator).
    assert_eq!(fields(&gaps, None), vec!["5.2.1 sbom-creator"]);
    // A dev dependency from the lockfile: annex knows name, version, purl, declared
    // licence, SHA-512, dependencies and their completeness, the URL of the tarball.
    assert_eq!(
        fields(&gaps, Some("pkg:npm/%40babel/core@7.24.0")),
        vec![
            "5.2.2 creator",
            "5.2.2 filename",
            "5.2.2 distribution-licences",
            "5.2.2 executable",
            "5.2.2 archive",
            "5.2.2 structured",
            "5.2.4 source-code-uri",
        ]
    );
    assert!(
        gaps.iter()
            .all(|g| g.section != "5.2.2" || g.level == GapLevel::Required)
    );

    let with_creator = Options {
        creator: Some(Creator {
            name: "Example".into(),
            email: Some("sbom@example.org".into()),
            url: None,
        }),
        ..opts()
    };
    let gaps = check_bsi(cyclonedx::to_json(&inv, &with_creator).unwrap()).unwrap();
    assert!(fields(&gaps, None).is_empty());
}

#[test]
fn complete_cyclonedx_document_has_no_gaps() {
    let sha512 = "a".repeat(128);
    let doc = serde_json::json!({
        "bomFormat": "CycloneDX", "specVersion": "1.6",
        "serialNumber": "urn:uuid:3e671687-395b-41f5-a30f-a58921a69b79", "version": 1,
        "metadata": {
            "timestamp": "2025-01-01T00:00:00Z",
            "manufacturer": {"name": "Acme", "url": ["https://acme.example"]},
            "component": component("app", &sha512)
        },
        "components": [component("lib", &sha512)],
        "dependencies": [{"ref": "app", "dependsOn": ["lib"]}, {"ref": "lib", "dependsOn": []}],
        "compositions": [{"aggregate": "complete", "dependencies": ["app", "lib"]}]
    });
    let gaps = check_bsi(serde_json::to_vec(&doc).unwrap()).unwrap();
    assert!(gaps.is_empty(), "{gaps:#?}");

    // Vulnerabilities are not allowed; CycloneDX 1.5 is too old.
    let mut bad = doc.clone();
    bad["specVersion"] = "1.5".into();
    bad["vulnerabilities"] = serde_json::json!([{"id": "CVE-2024-0001"}]);
    bad["components"][0]["properties"][1]["value"] = "maybe".into();
    let gaps = check_bsi(serde_json::to_vec(&bad).unwrap()).unwrap();
    assert_eq!(
        gaps.iter()
            .map(|g| format!("{} {}", g.section, g.field))
            .collect::<Vec<_>>(),
        vec!["4 format", "3.1 vulnerabilities", "5.2.2 archive"]
    );
    assert!(gaps[2].message.contains("maybe"));
}

fn component(name: &str, sha512: &str) -> serde_json::Value {
    serde_json::json!({
        "type": "library", "bom-ref": name, "name": name, "version": "1.0.0",
        "manufacturer": {"name": "Acme", "contact": [{"email": "dev@acme.example"}]},
        "purl": format!("pkg:generic/{name}@1.0.0"),
        "licenses": [
            {"expression": "MIT", "acknowledgement": "declared"},
            {"expression": "MIT", "acknowledgement": "concluded"}
        ],
        "externalReferences": [
            {"type": "vcs", "url": "https://git.acme.example/x"},
            {"type": "distribution", "url": "https://dl.acme.example/x.tgz",
             "hashes": [{"alg": "SHA-512", "content": sha512}]}
        ],
        "properties": [
            {"name": "bsi:component:executable", "value": "non-executable"},
            {"name": "bsi:component:archive", "value": "archive"},
            {"name": "bsi:component:structured", "value": "structured"},
            {"name": "bsi:component:filename", "value": format!("{name}-1.0.0.tgz")}
        ]
    })
}

#[test]
fn spdx_documents() {
    let inv = inventory(vec![rust_subject()]);
    // SPDX 2.3 is not accepted by v2.1 at all.
    let gaps = check_bsi(spdx2::to_json(&inv, &opts()).unwrap()).unwrap();
    assert_eq!(gaps.len(), 1);
    assert_eq!(
        (gaps[0].section.as_str(), gaps[0].field.as_str()),
        ("4", "format")
    );

    let with_creator = Options {
        creator: Some(Creator {
            name: "Example".into(),
            email: Some("sbom@example.org".into()),
            url: None,
        }),
        ..opts()
    };
    let text = spdx3::to_json_ld(&inv, &with_creator).unwrap();
    let gaps = check_bsi(&text).unwrap();
    assert!(fields(&gaps, None).is_empty(), "{:#?}", fields(&gaps, None));
    let serde = gaps
        .iter()
        .filter(|g| {
            g.component
                .as_deref()
                .is_some_and(|c| c.ends_with("#SPDXRef-pkg-cargo-serde-1.0.200"))
        })
        .map(|g| format!("{} {}", g.section, g.field))
        .collect::<Vec<_>>();
    assert_eq!(
        serde,
        vec![
            "5.2.2 creator",
            "5.2.2 filename",
            "5.2.2 distribution-licences",
            "5.2.2 hash",
            "5.2.2 executable",
            "5.2.2 archive",
            "5.2.2 structured",
            "5.2.4 source-code-uri",
            "5.2.4 deployable-uri",
            "5.2.4 original-licences",
        ]
    );
    // Without a creator the agent is the tool itself: no contact.
    let gaps = check_bsi(spdx3::to_json_ld(&inv, &opts()).unwrap()).unwrap();
    assert_eq!(fields(&gaps, None), vec!["5.2.1 sbom-creator"]);
}

#[test]
fn refuses_what_it_cannot_read() {
    assert!(check_bsi("not json").is_err());
    assert!(check_bsi("{}").is_err());
}
