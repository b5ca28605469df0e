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
    let doc = complete_doc();
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

fn complete_doc() -> serde_json::Value {
    let sha512 = "a".repeat(128);
    serde_json::json!({
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
    })
}

fn gaps_of(doc: &serde_json::Value) -> Vec<annex_sbom::Gap> {
    check_bsi(serde_json::to_vec(doc).unwrap()).unwrap()
}

/// TR-03183-2 §8.2, Table 9: completeness stated through `compositions[].assemblies` counts
/// as well as through `compositions[].dependencies`.
#[test]
fn bsi_8_2_completeness_through_assemblies() {
    let mut doc = complete_doc();
    doc["compositions"] =
        serde_json::json!([{"aggregate": "complete", "assemblies": ["app", "lib"]}]);
    assert!(gaps_of(&doc).is_empty(), "{:#?}", gaps_of(&doc));
    doc["compositions"] = serde_json::json!([{"aggregate": "complete", "assemblies": ["app"]}]);
    assert_eq!(
        fields(&gaps_of(&doc), Some("lib")),
        vec!["5.2.2 dependencies-completeness"]
    );
}

/// TR-03183-2 §5.2.1 / §5.2.2: the creator is the manufacturer, not the supplier.
#[test]
fn bsi_5_2_creator_is_the_manufacturer_not_the_supplier() {
    let mut doc = complete_doc();
    let entity = doc["metadata"]["manufacturer"].take();
    doc["metadata"]
        .as_object_mut()
        .unwrap()
        .remove("manufacturer");
    doc["metadata"]["supplier"] = entity;
    let lib = doc["components"][0].as_object_mut().unwrap();
    let m = lib.remove("manufacturer").unwrap();
    lib.insert("supplier".into(), m);
    let gaps = gaps_of(&doc);
    assert_eq!(fields(&gaps, None), vec!["5.2.1 sbom-creator"]);
    assert_eq!(fields(&gaps, Some("lib")), vec!["5.2.2 creator"]);
    assert!(gaps[0].message.contains("not the creator"));
}

/// TR-03183-2 §5.2.1: the timestamp is the real time; the Unix epoch is a placeholder.
#[test]
fn bsi_5_2_1_epoch_timestamp_is_not_a_real_time() {
    let mut doc = complete_doc();
    doc["metadata"]["timestamp"] = "1970-01-01T00:00:00Z".into();
    let gaps = gaps_of(&doc);
    assert_eq!(fields(&gaps, None), vec!["5.2.1 timestamp"]);
    assert!(gaps[0].message.contains("Unix epoch"));
}

/// TR-03183-2 §5.2.2: a SHA-256 is not the SHA-512 the TR requires; the gap says so.
#[test]
fn bsi_5_2_2_sha256_is_named_where_sha512_is_required() {
    let mut doc = complete_doc();
    doc["components"][0]["externalReferences"][1]["hashes"] =
        serde_json::json!([{"alg": "SHA-256", "content": "b".repeat(64)}]);
    let gaps = gaps_of(&doc);
    let hash: Vec<&annex_sbom::Gap> = gaps.iter().filter(|g| g.field == "hash").collect();
    assert_eq!(hash.len(), 1);
    assert_eq!(hash[0].section, "5.2.2");
    assert_eq!(
        hash[0].message,
        "SHA-512 required: the deployable form has only SHA-256"
    );
}
