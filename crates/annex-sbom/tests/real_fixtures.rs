//! Real lockfiles from the shared corpus (Trivy's test data) laid out as a checkout,
//! scanned by annex-inventory, written in every format, validated and read back.

mod common;

use std::collections::BTreeSet;

use annex_inventory::Inventory;
use annex_inventory::scan::{ScanOptions, scan};
use annex_sbom::read::{ReadOptions, read};
use annex_sbom::{check_bsi, cyclonedx, spdx2, spdx3};
use common::*;

fn real_inventory() -> Inventory {
    let base = shared().join("data/lockfiles");
    let dir = tempfile::tempdir().unwrap();
    for (src, rel) in [
        (
            "cargo/trivy-rust-cargo/testdata/cargo_v3.lock",
            "rust/Cargo.lock",
        ),
        (
            "npm/trivy-nodejs-npm/testdata/package-lock_v3.json",
            "web/package-lock.json",
        ),
        ("go/trivy-golang-mod/testdata/normal/go.mod", "svc/go.mod"),
        ("go/trivy-golang-mod/testdata/normal/go.sum", "svc/go.sum"),
    ] {
        let to = dir.path().join(rel);
        std::fs::create_dir_all(to.parent().unwrap()).unwrap();
        std::fs::copy(base.join(src), to).unwrap();
    }
    let opts = ScanOptions {
        include_dev: true,
        ..ScanOptions::default()
    };
    let r = scan(dir.path(), &opts).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    r.inventory
}

#[test]
fn real_lockfiles_validate_and_round_trip() {
    let inv = real_inventory();
    let n: usize = inv.subjects.iter().map(|s| s.components.len()).sum();
    assert!(n > 20, "{n} components");
    let o = opts();

    let cdx = cyclonedx::to_json(&inv, &o).unwrap();
    validate_json("cdx-1.6", &cdx);
    validate_cdx_xml("1.6", &cyclonedx::to_xml(&inv, &o).unwrap());
    let sp = spdx2::to_json(&inv, &o).unwrap();
    validate_json("spdx-2.3", &sp);
    validate_spdx2_tools("doc.spdx.json", &sp);
    validate_spdx2_tools("doc.spdx", &spdx2::to_tag_value(&inv, &o).unwrap());
    let s3 = spdx3::to_json_ld(&inv, &o).unwrap();
    // The SPDX 3 schema check takes about a second per package: the Cargo and Go
    // subjects only (the npm one is read back below).
    let mut small = inv.clone();
    small
        .subjects
        .retain(|s| !s.path.ends_with("package-lock.json"));
    validate_json("spdx-3.0.1", &spdx3::to_json_ld(&small, &o).unwrap());

    let want: BTreeSet<(String, String)> = inv
        .subjects
        .iter()
        .flat_map(|s| s.components.iter().chain(s.root.as_ref()))
        .map(|c| (c.purl.clone(), format!("{:?}", c.scope)))
        .collect();
    for text in [&cdx, &sp, &s3] {
        let doc = read(text.as_bytes(), &ReadOptions::default()).unwrap();
        let got: BTreeSet<(String, String)> = doc
            .packages
            .iter()
            .filter_map(|p| Some((p.purl.clone()?, format!("{:?}", p.scope))))
            .collect();
        assert_eq!(got, want);
    }
    // go.sum h1: values are dirhashes, not file digests: never written as SHA-256.
    let doc: serde_json::Value = serde_json::from_str(&cdx).unwrap();
    for c in doc["components"].as_array().unwrap() {
        if c["purl"]
            .as_str()
            .is_some_and(|p| p.starts_with("pkg:golang/"))
        {
            assert!(c["hashes"].is_null(), "{c}");
        }
    }
    let gaps = check_bsi(&cdx).unwrap();
    assert!(gaps.iter().any(|g| g.field == "sbom-creator"));
}

/// Scan one fixture directory of `tests/fixtures` (dev dependencies as `include_dev`).
fn fixture_inventory(name: &str, include_dev: bool) -> Inventory {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name);
    let opts = ScanOptions {
        include_dev,
        default_excludes: false,
        ..ScanOptions::default()
    };
    let r = scan(&dir, &opts).unwrap();
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    r.inventory
}

#[test]
fn git_source_that_is_no_url_keeps_every_document_valid() {
    let inv = fixture_inventory("git-placeholder", false);
    let o = opts();
    let cdx = cyclonedx::to_json(&inv, &o).unwrap();
    validate_json("cdx-1.6", &cdx);
    validate_cdx_xml("1.6", &cyclonedx::to_xml(&inv, &o).unwrap());
    let sp = spdx2::to_json(&inv, &o).unwrap();
    validate_json("spdx-2.3", &sp);
    validate_spdx2_tools("doc.spdx", &spdx2::to_tag_value(&inv, &o).unwrap());
    validate_json("spdx-3.0.1", &spdx3::to_json_ld(&inv, &o).unwrap());

    let doc: serde_json::Value = serde_json::from_str(&cdx).unwrap();
    let urls: Vec<&str> = doc["components"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|c| c["externalReferences"].as_array().into_iter().flatten())
        .filter_map(|r| r["url"].as_str())
        .collect();
    // The real git URL is kept, the placeholder is not written.
    assert_eq!(urls, ["https://example.com/baz.git"]);
    let sp: serde_json::Value = serde_json::from_str(&sp).unwrap();
    let bar = sp["packages"]
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["name"] == "bar")
        .unwrap();
    assert_eq!(bar["downloadLocation"], "NOASSERTION");
}

/// `aggregate` of the composition that lists `bom_ref`.
fn aggregate_of<'a>(doc: &'a serde_json::Value, bom_ref: &str) -> &'a str {
    doc["compositions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| {
            c["dependencies"]
                .as_array()
                .unwrap()
                .iter()
                .any(|d| d == bom_ref)
        })
        .and_then(|c| c["aggregate"].as_str())
        .unwrap_or_else(|| panic!("{bom_ref} in no composition"))
}

#[test]
fn complete_only_when_every_subject_says_what_it_depends_on() {
    // Both subjects: a lock without its direct dependencies, and package.json ranges.
    let inv = fixture_inventory("unknown-direct", false);
    let cdx = cyclonedx::to_json(&inv, &opts()).unwrap();
    validate_json("cdx-1.6", &cdx);
    let doc: serde_json::Value = serde_json::from_str(&cdx).unwrap();
    assert_eq!(aggregate_of(&doc, "annex:project"), "unknown");
    // The lock's own edges are complete; the package.json root knows nothing resolved.
    assert_eq!(aggregate_of(&doc, "pkg:pypi/requests@2.32.3"), "complete");
    assert_eq!(aggregate_of(&doc, "pkg:npm/web@1.0.0"), "unknown");
    // No empty list claims the product has no dependencies.
    assert_ne!(project_depends_on(&doc), Some(&serde_json::json!([])));

    // The lock alone: its root (the product) is still not complete.
    let mut one = inv.clone();
    one.subjects.retain(|s| s.path.ends_with("poetry.lock"));
    let doc: serde_json::Value =
        serde_json::from_str(&cyclonedx::to_json(&one, &opts()).unwrap()).unwrap();
    assert_eq!(aggregate_of(&doc, "annex:project"), "unknown");
    assert_eq!(project_depends_on(&doc), None);
}

/// The product's `dependsOn`, if the document has an entry for it.
fn project_depends_on(doc: &serde_json::Value) -> Option<&serde_json::Value> {
    doc["dependencies"]
        .as_array()?
        .iter()
        .find(|d| d["ref"] == "annex:project")
        .map(|d| &d["dependsOn"])
}
