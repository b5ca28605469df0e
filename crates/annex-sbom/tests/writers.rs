//! Every writer's output validates against the official schemas, is deterministic and
//! carries what the inventory says.

mod common;

use annex_sbom::{
    BuildTime, Creator, CycloneDxVersion, Format, Options, Project, Timestamp, cyclonedx, spdx2,
    spdx3, write,
};
use common::*;
use serde_json::Value;

fn all_fixtures() -> Vec<(&'static str, annex_inventory::Inventory)> {
    vec![
        ("mixed", mixed()),
        ("rust", inventory(vec![rust_subject()])),
        ("npm", inventory(vec![npm_subject()])),
        ("pypi", inventory(vec![pypi_subject()])),
        ("go", inventory(vec![go_subject()])),
        ("empty", inventory(vec![])),
    ]
}

fn option_sets() -> Vec<Options> {
    let base = opts();
    vec![
        base.clone(),
        Options {
            cyclonedx_version: CycloneDxVersion::V1_7,
            creator: Some(Creator {
                name: "Example Foundation".into(),
                email: Some("security@example.org".into()),
                url: Some("https://example.org".into()),
            }),
            project: Some(Project {
                name: "example suite".into(),
                version: Some("2.0.0".into()),
                purl: None,
            }),
            ..base
        },
    ]
}

#[test]
fn cyclonedx_json_validates() {
    for (name, inv) in all_fixtures() {
        for o in option_sets() {
            let kind = format!("cdx-{}", o.cyclonedx_version.as_str());
            let text = cyclonedx::to_json(&inv, &o).unwrap();
            eprintln!("{name} {kind}");
            validate_json(&kind, &text);
        }
    }
}

#[test]
fn cyclonedx_xml_validates() {
    for (name, inv) in all_fixtures() {
        for o in option_sets() {
            let text = cyclonedx::to_xml(&inv, &o).unwrap();
            eprintln!("{name} xml {}", o.cyclonedx_version.as_str());
            validate_cdx_xml(o.cyclonedx_version.as_str(), &text);
        }
    }
}

#[test]
fn spdx23_json_validates() {
    for (name, inv) in all_fixtures() {
        for o in option_sets() {
            let text = spdx2::to_json(&inv, &o).unwrap();
            eprintln!("{name} spdx-2.3");
            validate_json("spdx-2.3", &text);
            validate_spdx2_tools("doc.spdx.json", &text);
        }
    }
}

#[test]
fn spdx23_tag_value_validates_and_matches_json() {
    for (name, inv) in all_fixtures() {
        for o in option_sets() {
            let tv = spdx2::to_tag_value(&inv, &o).unwrap();
            eprintln!("{name} tag-value");
            let converted = validate_spdx2_tools("doc.spdx", &tv);
            // The official tools' reading of the tag-value equals our JSON.
            let ours = annex_sbom::read::read(
                spdx2::to_json(&inv, &o).unwrap().as_bytes(),
                &Default::default(),
            )
            .unwrap();
            let theirs = annex_sbom::read::read(converted.as_bytes(), &Default::default()).unwrap();
            assert_eq!(ours, theirs, "{name}: tag-value and JSON differ");
        }
    }
}

#[test]
fn spdx3_validates() {
    // The SPDX 3 schema is slow to check (about 20 s for the mixed inventory): the mixed
    // inventory with the default options, the small ones with the other option set.
    let [base, other] = <[Options; 2]>::try_from(option_sets()).unwrap();
    let mut docs = vec![spdx3::to_json_ld(&mixed(), &base).unwrap()];
    for (name, inv) in all_fixtures() {
        if matches!(name, "go" | "pypi" | "empty") {
            docs.push(spdx3::to_json_ld(&inv, &other).unwrap());
        }
    }
    validate_json_many("spdx-3.0.1", &docs);
}

#[test]
fn deterministic_and_content_addressed() {
    let inv = mixed();
    let o = opts();
    for f in [
        Format::CycloneDxJson,
        Format::CycloneDxXml,
        Format::Spdx23Json,
        Format::Spdx23TagValue,
        Format::Spdx3JsonLd,
    ] {
        let a = write(&inv, f, &o).unwrap();
        let b = write(&inv, f, &o).unwrap();
        assert_eq!(a, b, "{f:?} not deterministic");
        // Subjects in another order: same document.
        let mut shuffled = inv.clone();
        shuffled.subjects.reverse();
        assert_eq!(
            a,
            write(&shuffled, f, &o).unwrap(),
            "{f:?} depends on subject order"
        );
        // Another inventory: another serial number / namespace.
        let other = inventory(vec![rust_subject()]);
        assert_ne!(a, write(&other, f, &o).unwrap());
    }
    let j: Value = serde_json::from_str(&cyclonedx::to_json(&inv, &o).unwrap()).unwrap();
    let serial = j["serialNumber"].as_str().unwrap();
    let xml = cyclonedx::to_xml(&inv, &o).unwrap();
    assert!(xml.contains(serial), "XML and JSON share the serial number");
    // A different timestamp is different content.
    let later = Options {
        timestamp: Timestamp::Fixed(1_714_564_801),
        ..o.clone()
    };
    let j2: Value = serde_json::from_str(&cyclonedx::to_json(&inv, &later).unwrap()).unwrap();
    assert_ne!(j2["serialNumber"], j["serialNumber"]);
}

#[test]
fn cyclonedx_fields() {
    let inv = mixed();
    let bom = cyclonedx::bom(&inv, &opts()).unwrap();
    assert_eq!(bom.metadata.timestamp, "2024-05-01T12:00:00Z");
    assert_eq!(bom.metadata.component.name, "project");
    assert_eq!(bom.metadata.lifecycles[0].phase, "pre-build");
    assert_eq!(bom.metadata.tools.components[0].name, "annex");
    // Sorted, unique bom-refs.
    let refs: Vec<&str> = bom
        .components
        .iter()
        .map(|c| c.bom_ref.as_deref().unwrap())
        .collect();
    let mut sorted = refs.clone();
    sorted.sort();
    sorted.dedup();
    assert_eq!(refs, sorted);
    let babel = bom
        .components
        .iter()
        .find(|c| c.purl.as_deref() == Some("pkg:npm/%40babel/core@7.24.0"))
        .unwrap();
    assert_eq!(babel.group.as_deref(), Some("@babel"));
    assert_eq!(babel.name, "core");
    assert_eq!(babel.scope.as_deref(), Some("excluded"));
    assert_eq!(babel.hashes[0].alg, "SHA-512");
    let props: Vec<(&str, &str)> = babel
        .properties
        .iter()
        .map(|p| (p.name.as_str(), p.value.as_str()))
        .collect();
    assert_eq!(
        props,
        vec![
            ("annex:direct", "true"),
            ("annex:scope", "dev"),
            ("annex:source-file", "web/package-lock.json"),
            ("annex:source-line", "40"),
        ]
    );
    let fsevents = bom
        .components
        .iter()
        .find(|c| c.name == "fsevents")
        .unwrap();
    assert_eq!(fsevents.scope.as_deref(), Some("optional"));
    assert_eq!(
        serde_json::to_value(&fsevents.licenses).unwrap(),
        serde_json::json!([{"expression": "Apache-2.0 AND MIT", "acknowledgement": "declared"}])
    );
    let charset = bom
        .components
        .iter()
        .find(|c| c.name == "charset-normalizer")
        .unwrap();
    assert_eq!(
        serde_json::to_value(&charset.licenses).unwrap(),
        serde_json::json!([{"license": {"name": "Apache Software License", "acknowledgement": "declared"}}])
    );
    let quote = bom.components.iter().find(|c| c.name == "quote").unwrap();
    assert_eq!(quote.external_references[0].ty, "vcs");
    // Dependencies: the product depends on the subject roots and the root-less subject's
    // direct components; leaves of complete graphs have empty lists; go.mod leaves have
    // no entry (unknown).
    let deps = |r: &str| {
        bom.dependencies
            .iter()
            .find(|d| d.reference == r)
            .map(|d| d.depends_on.clone())
    };
    let project = deps("annex:project").unwrap();
    assert!(project.contains(&"pkg:cargo/myapp@0.1.0".to_string()));
    assert!(project.contains(&"pkg:pypi/requests@2.31.0".to_string()));
    assert_eq!(deps("pkg:cargo/unicode-ident@1.0.12"), Some(vec![]));
    assert_eq!(deps("pkg:golang/github.com/google/uuid@v1.6.0"), None);
    assert_eq!(
        deps("pkg:cargo/proc-macro2@1.0.80"),
        Some(vec!["pkg:cargo/unicode-ident@1.0.12".to_string()])
    );
    let agg = |r: &str| {
        bom.compositions
            .iter()
            .find(|c| c.dependencies.iter().any(|d| d == r))
            .map(|c| c.aggregate.clone())
    };
    assert_eq!(agg("pkg:cargo/serde@1.0.200").as_deref(), Some("complete"));
    assert_eq!(agg("pkg:pypi/idna@3.6").as_deref(), Some("unknown"));
    assert_eq!(
        agg("pkg:golang/golang.org/x/text@v0.14.0").as_deref(),
        Some("incomplete")
    );
    assert_eq!(
        bom.metadata.properties[0].value,
        "flask >=2.0 (requirements.txt:12)"
    );
}

#[test]
fn single_subject_root_is_the_product() {
    let inv = inventory(vec![rust_subject()]);
    let bom = cyclonedx::bom(&inv, &opts()).unwrap();
    assert_eq!(bom.metadata.component.name, "myapp");
    assert_eq!(
        bom.metadata.component.bom_ref.as_deref(),
        Some("pkg:cargo/myapp@0.1.0")
    );
    assert_eq!(bom.components.len(), 5);
    let spdx = spdx2::document(&inv, &opts()).unwrap();
    assert_eq!(spdx.name, "myapp");
    assert!(
        spdx.document_namespace
            .starts_with("https://spdx.org/spdxdocs/myapp-")
    );
    assert_eq!(spdx.relationships[0].relationship_type, "DESCRIBES");
    assert_eq!(
        spdx.relationships[0].related_spdx_element,
        "SPDXRef-pkg-cargo-myapp-0.1.0"
    );
}

#[test]
fn same_purl_in_two_subjects_gets_two_refs() {
    let a = rust_subject();
    let mut b = rust_subject();
    b.path = "tools/Cargo.lock".into();
    for c in &mut b.components {
        c.location.path = b.path.clone();
    }
    let inv = inventory(vec![a, b]);
    let bom = cyclonedx::bom(&inv, &opts()).unwrap();
    let refs: Vec<&str> = bom
        .components
        .iter()
        .map(|c| c.bom_ref.as_deref().unwrap())
        .collect();
    assert!(refs.contains(&"pkg:cargo/serde@1.0.200|Cargo.lock"));
    assert!(refs.contains(&"pkg:cargo/serde@1.0.200|tools/Cargo.lock"));
    let text = cyclonedx::to_json(&inv, &opts()).unwrap();
    validate_json("cdx-1.6", &text);
    validate_cdx_xml("1.6", &cyclonedx::to_xml(&inv, &opts()).unwrap());
    validate_spdx2_tools("doc.spdx.json", &spdx2::to_json(&inv, &opts()).unwrap());
}

#[test]
fn spdx23_relationships_by_scope() {
    let spdx = spdx2::document(&inventory(vec![npm_subject()]), &opts()).unwrap();
    let rels: Vec<String> = spdx
        .relationships
        .iter()
        .map(|r| {
            format!(
                "{} {} {}",
                r.spdx_element_id, r.relationship_type, r.related_spdx_element
            )
        })
        .collect();
    for want in [
        "SPDXRef-DOCUMENT DESCRIBES SPDXRef-pkg-npm-web-app-1.2.0",
        "SPDXRef-pkg-npm-web-app-1.2.0 DEPENDS_ON SPDXRef-pkg-npm-react-18.2.0",
        "SPDXRef-pkg-npm-40babel-core-7.24.0 DEV_DEPENDENCY_OF SPDXRef-pkg-npm-web-app-1.2.0",
        "SPDXRef-pkg-npm-fsevents-2.3.3 OPTIONAL_DEPENDENCY_OF SPDXRef-pkg-npm-web-app-1.2.0",
        "SPDXRef-pkg-npm-loose-envify-1.4.0 DEPENDS_ON NONE",
    ] {
        assert!(
            rels.contains(&want.to_string()),
            "missing `{want}` in {rels:#?}"
        );
    }
}

#[test]
fn timestamps() {
    let unset = BuildTime::DEFAULT;
    assert_eq!(
        Timestamp::Fixed(0).resolve(unset).unwrap(),
        "1970-01-01T00:00:00Z"
    );
    assert!(Timestamp::Fixed(-1).resolve(unset).is_err());
    // The caller reads the clock and passes it in.
    let now = Timestamp::Now
        .resolve(BuildTime::now(1_700_000_000))
        .unwrap();
    assert_eq!(now, "2023-11-14T22:13:20Z");
    assert!(matches!(
        Timestamp::Now.resolve(unset),
        Err(annex_sbom::Error::ClockNotGiven)
    ));
    // SOURCE_DATE_EPOCH, as the caller read it, is used by Default and SourceDateEpoch.
    let sde = BuildTime::from_source_date_epoch(Some("1700000000")).unwrap();
    assert_eq!(
        Timestamp::Default.resolve(sde).unwrap(),
        "2023-11-14T22:13:20Z"
    );
    assert_eq!(
        Timestamp::SourceDateEpoch.resolve(sde).unwrap(),
        "2023-11-14T22:13:20Z"
    );
    assert_eq!(
        BuildTime::from_source_date_epoch(Some("soon"))
            .unwrap_err()
            .to_string(),
        "SOURCE_DATE_EPOCH `soon` is not a non-negative whole number of seconds"
    );
    let negative = BuildTime::from_source_date_epoch(Some("-5")).unwrap();
    assert_eq!(
        Timestamp::Default
            .resolve(negative)
            .unwrap_err()
            .to_string(),
        "SOURCE_DATE_EPOCH `-5` is not a non-negative whole number of seconds"
    );
    assert_eq!(
        Timestamp::Default.resolve(unset).unwrap(),
        "1970-01-01T00:00:00Z"
    );
    assert!(matches!(
        Timestamp::SourceDateEpoch.resolve(unset),
        Err(annex_sbom::Error::SourceDateEpochUnset)
    ));
    // Options carry the build time to the writers.
    let opts = Options {
        build_time: sde,
        ..Options::default()
    };
    let bom: Value =
        serde_json::from_str(&write(&mixed(), Format::CycloneDxJson, &opts).unwrap()).unwrap();
    assert_eq!(bom["metadata"]["timestamp"], "2023-11-14T22:13:20Z");
}
