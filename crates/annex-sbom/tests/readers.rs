//! The readers on the upstream CycloneDX and SPDX examples, and on malformed input.

mod common;

use std::path::Path;

use annex_inventory::Scope;
use annex_sbom::SbomFormat;
use annex_sbom::read::{ReadError, ReadOptions, read, read_file};

fn files(dir: &Path, ext: &str) -> Vec<std::path::PathBuf> {
    let mut v: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|x| x == ext))
        .collect();
    v.sort();
    v
}

#[test]
fn cyclonedx_upstream_examples() {
    let base = common::shared().join("data/schemas/cyclonedx/tools/src/test/resources");
    let mut valid = 0;
    let mut packages = 0;
    for v in ["1.5", "1.6", "1.7"] {
        for f in files(&base.join(v), "json") {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            let r = read_file(&f, &ReadOptions::default());
            if name.starts_with("valid-") {
                let doc = r.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(doc.format, SbomFormat::CycloneDx, "{name}");
                assert_eq!(doc.spec_version, v, "{name}");
                valid += 1;
                packages += doc.packages.len();
            }
            // invalid-*: any result, no panic.
        }
    }
    assert_eq!(
        valid, 142,
        "every valid-*.json example of 1.5, 1.6 and 1.7 is read"
    );
    assert!(packages > 100);
    // Nested components are flattened; purl gives ecosystem and OSV name.
    let doc = read_file(
        &base.join("1.6/valid-bom-1.6.json"),
        &ReadOptions::default(),
    )
    .unwrap();
    let tomcat = doc
        .packages
        .iter()
        .find(|p| {
            p.purl
                .as_deref()
                .is_some_and(|u| u.contains("tomcat-catalina"))
        })
        .unwrap();
    assert_eq!(tomcat.ecosystem.as_deref(), Some("Maven"));
    assert_eq!(tomcat.name, "com.acme:tomcat-catalina");
    assert_eq!(tomcat.version.as_deref(), Some("9.0.14"));
    assert_eq!(doc.roots.len(), 1);
}

#[test]
fn cyclonedx_xml_upstream_examples() {
    let base = common::shared().join("data/schemas/cyclonedx/tools/src/test/resources");
    let mut valid = 0;
    for v in ["1.5", "1.6", "1.7"] {
        for f in files(&base.join(v), "xml") {
            let name = f.file_name().unwrap().to_string_lossy().to_string();
            let r = read_file(&f, &ReadOptions::default());
            if name.starts_with("valid-") {
                let doc = r.unwrap_or_else(|e| panic!("{name}: {e}"));
                assert_eq!(doc.spec_version, v, "{name}");
                valid += 1;
            }
        }
    }
    assert!(valid >= 140, "{valid}");
    let doc = read_file(&base.join("1.6/valid-bom-1.6.xml"), &ReadOptions::default()).unwrap();
    assert!(
        doc.packages
            .iter()
            .any(|p| p.name == "com.acme:tomcat-catalina")
    );
    // Malformed XML: an error with a position.
    let bad = b"<?xml version=\"1.0\"?>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n  <components>\n    <component type=\"library\"><name>x</nam></component>\n</bom>";
    match read(bad, &ReadOptions::default()) {
        Err(ReadError::Syntax { line, .. }) => assert_eq!(line, 4),
        other => panic!("{other:?}"),
    }
    let truncated = b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><components>";
    assert!(matches!(
        read(truncated, &ReadOptions::default()),
        Err(ReadError::Syntax { .. })
    ));
    assert_eq!(
        read(b"<html/>", &ReadOptions::default()),
        Err(ReadError::UnknownFormat)
    );
    // A DTD entity is not expanded, and not silently dropped from the name either.
    let xxe = b"<?xml version=\"1.0\"?>\n<!DOCTYPE bom [<!ENTITY xxe SYSTEM \"file:///etc/passwd\">]>\n<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\">\n  <components>\n    <component type=\"library\"><name>lib&xxe;</name><version>1&#46;0</version></component>\n  </components>\n</bom>";
    match read(xxe, &ReadOptions::default()) {
        Err(ReadError::Syntax { line, message, .. }) => {
            assert_eq!(line, 5);
            assert!(message.contains("not `&xxe;`"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn spdx_upstream_examples() {
    let data = common::shared().join("data/schemas/spdx");
    let doc = read_file(
        &data.join("2.3.1/SPDXJSONExample-v2.3.spdx.json"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(doc.format, SbomFormat::Spdx2);
    assert_eq!(doc.spec_version, "SPDX-2.3");
    let all: Vec<_> = doc.roots.iter().chain(&doc.packages).collect();
    assert!(all.len() >= 4, "{all:#?}");
    let maven = all
        .iter()
        .find(|p| p.ecosystem.as_deref() == Some("Maven"))
        .expect("the example's Maven purl");
    assert_eq!(maven.name, "org.apache.jena:apache-jena");
    assert_eq!(maven.version.as_deref(), Some("3.12.0"));
    assert!(doc.roots.iter().any(|p| p.name == "glibc"));

    let doc = read_file(
        &data.join("3.0.1/package_sbom.example.json"),
        &ReadOptions::default(),
    )
    .unwrap();
    assert_eq!(doc.format, SbomFormat::Spdx3);
    assert_eq!(doc.spec_version, "3.0.1");
    assert_eq!(doc.roots.len(), 1);
    assert_eq!(doc.roots[0].name, "my-package");
    assert_eq!(doc.roots[0].version.as_deref(), Some("1.0.0"));
    assert_eq!(doc.roots[0].scope, Scope::Required);
}

/// CycloneDX 1.4 (no upstream examples in the corpus for it): a document as tools
/// wrote it then, with the pre-1.5 `tools` array and nested components.
#[test]
fn cyclonedx_1_4() {
    let text = r#"{
      "bomFormat": "CycloneDX", "specVersion": "1.4", "version": 1,
      "metadata": {"tools": [{"vendor": "x", "name": "y", "version": "1"}],
                   "component": {"type": "application", "name": "app", "version": "1"}},
      "components": [
        {"type": "library", "name": "lodash", "version": "4.17.20",
         "purl": "pkg:npm/lodash@4.17.20", "scope": "excluded",
         "components": [{"type": "library", "group": "org.example", "name": "inner", "version": "2"}]},
        {"type": "library", "name": "x", "purl": "pkg:pypi/Foo_Bar@1.0"}
      ],
      "unknownTopLevel": {"anything": [1, 2, 3]}
    }"#;
    let doc = read(text.as_bytes(), &ReadOptions::default()).unwrap();
    assert_eq!(doc.spec_version, "1.4");
    assert_eq!(doc.packages.len(), 3);
    assert_eq!(doc.packages[0].scope, Scope::Dev);
    assert_eq!(doc.packages[1].name, "org.example/inner");
    assert_eq!(doc.packages[1].ecosystem, None);
    // Version from the purl; the name normalised as PyPI does.
    assert_eq!(doc.packages[2].name, "foo-bar");
    assert_eq!(doc.packages[2].version.as_deref(), Some("1.0"));
    assert_eq!(doc.packages[2].ecosystem.as_deref(), Some("PyPI"));
}

#[test]
fn malformed_input() {
    let o = ReadOptions::default();
    match read(
        b"{\n  \"bomFormat\": \"CycloneDX\",\n  \"components\": [\n    {\"name\": 5}\n  ]\n}",
        &o,
    ) {
        Err(ReadError::Syntax { line, column, .. }) => assert_eq!((line, column), (4, 14)),
        other => panic!("{other:?}"),
    }
    match read(b"{\"spdxVersion\": \"SPDX-2.3\",\n \"packages\": [", &o) {
        Err(ReadError::Syntax { line, .. }) => assert_eq!(line, 2),
        other => panic!("{other:?}"),
    }
    assert_eq!(read(b"{\"a\": 1}", &o), Err(ReadError::UnknownFormat));
    assert!(matches!(read(b"[]", &o), Err(ReadError::Syntax { .. })));
    assert!(matches!(
        read(
            b"{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"2.0\"}",
            &o
        ),
        Err(ReadError::UnsupportedVersion { .. })
    ));
    assert!(matches!(
        read(b"{\"spdxVersion\": \"SPDX-3.0\"}", &o),
        Err(ReadError::UnsupportedVersion { .. })
    ));
    let small = ReadOptions { max_bytes: 10 };
    assert_eq!(
        read(b"{\"bomFormat\": \"CycloneDX\"}", &small),
        Err(ReadError::TooLarge {
            size: 26,
            limit: 10
        })
    );
    // Deep nesting is an error, not a stack overflow.
    let deep = format!(
        "{{\"bomFormat\": \"CycloneDX\", \"components\": {}{}}}",
        "[{\"name\": \"x\", \"components\": ".repeat(2000),
        "[]}]".repeat(2000)
    );
    assert!(matches!(
        read(deep.as_bytes(), &o),
        Err(ReadError::Syntax { .. })
    ));
    // A UTF-8 byte order mark is skipped.
    let bom = b"\xEF\xBB\xBF{\"bomFormat\": \"CycloneDX\", \"specVersion\": \"1.6\"}";
    assert!(read(bom, &o).is_ok());
    // Missing file.
    assert!(matches!(
        read_file(Path::new("/nonexistent/sbom.json"), &o),
        Err(ReadError::Io { .. })
    ));
}

/// Arbitrary bytes never panic the readers or the BSI check.
#[test]
fn no_panics_on_garbage() {
    let seeds: [&[u8]; 8] = [
        b"<bom xmlns=\"http://cyclonedx.org/schema/bom/1.6\"><metadata><component><name>a&amp;&#x41;&bogus;</name><components><component/></components></component></metadata><components><component bom-ref=\"x\"><properties><property name=\"annex:scope\">dev</property></properties></component></components></bom>",
        b"<bom xmlns=\"http://cyclonedx.org/schema/bom/2.0\"/>",
        b"{\"bomFormat\": \"CycloneDX\", \"components\": [{\"purl\": \"pkg:\"}, {\"purl\": \"pkg:/\"}, {\"purl\": \"pkg:npm/%\"}]}",
        b"{\"spdxVersion\": \"SPDX-2.3\", \"packages\": [{\"externalRefs\": [{\"referenceType\": \"purl\", \"referenceLocator\": \"pkg:a/b@\"}]}]}",
        b"{\"@context\": \"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\", \"@graph\": [{\"type\": \"software_Package\", \"to\": 5}]}",
        b"{\"@context\": [\"https://spdx.org/rdf/3.0.1/spdx-context.jsonld\"], \"type\": \"Relationship\", \"to\": {}}",
        b"{\"bomFormat\": \"CycloneDX\", \"metadata\": {\"component\": {\"components\": [{}]}}}",
        b"\xff\xfe",
    ];
    for s in seeds {
        let _ = read(s, &ReadOptions::default());
        let _ = annex_sbom::check_bsi(s);
        for cut in 0..s.len() {
            let _ = read(&s[..cut], &ReadOptions::default());
            let _ = annex_sbom::check_bsi(&s[..cut]);
        }
    }
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig::with_cases(96))]
    /// Issue 16 "Done when": the SBOM readers on random bytes and on mutated real
    /// documents never panic (the stable twin of fuzz/sbom.rs).
    #[test]
    fn sbom_readers_never_panic(
        bytes in proptest::collection::vec(proptest::prelude::any::<u8>(), 0..300),
        pick in 0usize..2, at in 0usize..50_000, len in 0usize..32, junk in "\\PC{0,8}",
    ) {
        let seeds = [
            "data/schemas/cyclonedx/tools/src/test/resources/1.6/valid-bom-1.6.json",
            "data/schemas/spdx/2.3.1/SPDXJSONExample-v2.3.spdx.json",
        ];
        let seed = std::fs::read_to_string(common::shared().join(seeds[pick])).expect("seed");
        let mut a = at % (seed.len() + 1);
        while !seed.is_char_boundary(a) { a -= 1; }
        let mut b = (a + len).min(seed.len());
        while !seed.is_char_boundary(b) { b -= 1; }
        let mutated = format!("{}{junk}{}", &seed[..a], &seed[b..]);
        let _ = read(&bytes, &ReadOptions::default());
        let _ = read(mutated.as_bytes(), &ReadOptions::default());
    }
}
