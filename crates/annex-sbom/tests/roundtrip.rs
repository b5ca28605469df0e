//! What the writers write, the readers read back: every component of the inventory comes
//! back with its ecosystem, name, version, purl and scope, and the product as the root.

mod common;

use std::collections::BTreeSet;

use annex_inventory::{Inventory, Scope};
use annex_sbom::read::{ReadOptions, read};
use annex_sbom::{SbomFormat, SbomPackage, cyclonedx, spdx2, spdx3};
use common::*;

type Key = (
    Option<String>,
    String,
    Option<String>,
    Option<String>,
    Scope,
);

fn expected(inv: &Inventory, with_roots: bool) -> BTreeSet<Key> {
    let mut out = BTreeSet::new();
    for s in &inv.subjects {
        for c in s
            .components
            .iter()
            .chain(if with_roots { s.root.as_ref() } else { None })
        {
            out.insert((
                Some(c.ecosystem.clone()),
                c.name.clone(),
                Some(c.version.clone()).filter(|v| !v.is_empty()),
                Some(c.purl.clone()),
                c.scope,
            ));
        }
    }
    out
}

fn got(pkgs: &[SbomPackage]) -> BTreeSet<Key> {
    pkgs.iter()
        .map(|p| {
            (
                p.ecosystem.clone(),
                p.name.clone(),
                p.version.clone(),
                p.purl.clone(),
                p.scope,
            )
        })
        .collect()
}

fn check(inv: &Inventory, text: &str, format: SbomFormat) {
    let doc = read(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(doc.format, format);
    let single_root = inv.subjects.len() == 1 && inv.subjects[0].root.is_some();
    if single_root {
        let r = inv.subjects[0].root.as_ref().unwrap();
        assert_eq!(doc.roots.len(), 1);
        assert_eq!(doc.roots[0].purl.as_deref(), Some(r.purl.as_str()));
        assert_eq!(got(&doc.packages), expected(inv, false));
    } else {
        assert_eq!(doc.roots.len(), 1);
        assert_eq!(doc.roots[0].name, "project");
        assert_eq!(got(&doc.packages), expected(inv, true));
    }
}

fn fixtures() -> Vec<Inventory> {
    vec![
        mixed(),
        inventory(vec![rust_subject()]),
        inventory(vec![npm_subject()]),
        inventory(vec![pypi_subject()]),
        inventory(vec![go_subject()]),
    ]
}

#[test]
fn cyclonedx_json() {
    for inv in fixtures() {
        for v in [
            annex_sbom::CycloneDxVersion::V1_6,
            annex_sbom::CycloneDxVersion::V1_7,
        ] {
            let o = annex_sbom::Options {
                cyclonedx_version: v,
                ..opts()
            };
            let text = cyclonedx::to_json(&inv, &o).unwrap();
            check(&inv, &text, SbomFormat::CycloneDx);
        }
    }
}

#[test]
fn cyclonedx_xml() {
    for inv in fixtures() {
        for v in [
            annex_sbom::CycloneDxVersion::V1_6,
            annex_sbom::CycloneDxVersion::V1_7,
        ] {
            let o = annex_sbom::Options {
                cyclonedx_version: v,
                ..opts()
            };
            let xml = cyclonedx::to_xml(&inv, &o).unwrap();
            check(&inv, &xml, SbomFormat::CycloneDx);
            // XML and JSON read the same.
            let json = cyclonedx::to_json(&inv, &o).unwrap();
            assert_eq!(
                read(xml.as_bytes(), &ReadOptions::default()).unwrap(),
                read(json.as_bytes(), &ReadOptions::default()).unwrap()
            );
        }
    }
}

#[test]
fn spdx23_json() {
    for inv in fixtures() {
        check(
            &inv,
            &spdx2::to_json(&inv, &opts()).unwrap(),
            SbomFormat::Spdx2,
        );
    }
}

#[test]
fn spdx3_json_ld() {
    for inv in fixtures() {
        check(
            &inv,
            &spdx3::to_json_ld(&inv, &opts()).unwrap(),
            SbomFormat::Spdx3,
        );
    }
}

/// Without the annex facts, scopes come from the standard fields: CycloneDX `scope`
/// (dev → excluded) and SPDX relationship types.
#[test]
fn scopes_without_annex_properties() {
    let inv = inventory(vec![npm_subject()]);
    let text = cyclonedx::to_json(&inv, &opts()).unwrap();
    let stripped = text.replace("\"annex:scope\"", "\"x:scope\"");
    let doc = read(stripped.as_bytes(), &ReadOptions::default()).unwrap();
    let scope = |n: &str| doc.packages.iter().find(|p| p.name == n).unwrap().scope;
    assert_eq!(scope("@babel/core"), Scope::Dev);
    assert_eq!(scope("fsevents"), Scope::Optional);
    assert_eq!(scope("react"), Scope::Required);

    let text = spdx2::to_json(&inv, &opts()).unwrap();
    let stripped = text.replace("annex:scope=", "x:scope=");
    let doc = read(stripped.as_bytes(), &ReadOptions::default()).unwrap();
    let scope = |n: &str| doc.packages.iter().find(|p| p.name == n).unwrap().scope;
    assert_eq!(scope("@babel/core"), Scope::Dev);
    assert_eq!(scope("@babel/helper-plugin-utils"), Scope::Dev);
    assert_eq!(scope("fsevents"), Scope::Optional);
    assert_eq!(scope("loose-envify"), Scope::Required);

    let text = spdx3::to_json_ld(&inv, &opts()).unwrap();
    let stripped = text.replace("\"annex:scope\"", "\"x:scope\"");
    let doc = read(stripped.as_bytes(), &ReadOptions::default()).unwrap();
    let scope = |n: &str| doc.packages.iter().find(|p| p.name == n).unwrap().scope;
    assert_eq!(scope("@babel/core"), Scope::Dev);
    assert_eq!(scope("fsevents"), Scope::Optional);
    assert_eq!(scope("react"), Scope::Required);
}
