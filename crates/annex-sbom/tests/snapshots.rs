//! The documents written for the mixed fixture inventory (Rust, npm, PyPI, Go), one
//! snapshot per format.

mod common;

use annex_sbom::{CycloneDxVersion, Format, Options, write};

fn doc(format: Format) -> String {
    write(&common::mixed(), format, &common::opts()).unwrap()
}

#[test]
fn cyclonedx_1_6_json() {
    insta::assert_snapshot!(doc(Format::CycloneDxJson));
}

#[test]
fn cyclonedx_1_6_xml() {
    insta::assert_snapshot!(doc(Format::CycloneDxXml));
}

#[test]
fn cyclonedx_1_7_json_differs_only_in_version_and_serial() {
    let o = Options {
        cyclonedx_version: CycloneDxVersion::V1_7,
        ..common::opts()
    };
    let v17 = write(&common::mixed(), Format::CycloneDxJson, &o).unwrap();
    let v16 = doc(Format::CycloneDxJson);
    let differing: Vec<(&str, &str)> = v16
        .lines()
        .zip(v17.lines())
        .filter(|(a, b)| a != b)
        .collect();
    assert_eq!(differing.len(), 3, "{differing:#?}");
    assert!(differing[0].1.contains("bom-1.7.schema.json"));
    assert!(differing[1].1.contains("\"specVersion\": \"1.7\""));
    assert!(differing[2].1.contains("serialNumber"));
}

#[test]
fn spdx_2_3_json() {
    insta::assert_snapshot!(doc(Format::Spdx23Json));
}

#[test]
fn spdx_2_3_tag_value() {
    insta::assert_snapshot!(doc(Format::Spdx23TagValue));
}

#[test]
fn spdx_3_0_1_json_ld() {
    insta::assert_snapshot!(doc(Format::Spdx3JsonLd));
}
