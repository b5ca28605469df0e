//! C/C++: `conan.lock` written by Conan itself (`scripts/make-fixtures`: Conan 2 from PyPI,
//! local recipes, compared with `conan graph info`), a Conan 1 (v0.4) graph lock, and the
//! hand-written `vcpkg.json` manifest (vcpkg is not available here and has no lockfile).

use std::collections::BTreeSet;
use std::path::Path;

use annex_inventory::parse::{ParseError, cpp};
use annex_inventory::{Scope, Source};
use proptest::prelude::*;

fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn conan2_lock_matches_conan_graph_info() {
    let rel = "conan/conan2-local/conan.lock";
    let s = cpp::conan_lock(rel, &fixture(rel)).expect("parses");
    assert_eq!(s.format, "conan.lock v0.5");
    let graph: serde_json::Value =
        serde_json::from_str(&fixture("conan/conan2-local/graph.json")).expect("json");
    // Conan's own graph: every node but the consumer, with its context (host/build).
    let mut want = BTreeSet::new();
    for node in graph["graph"]["nodes"].as_object().expect("nodes").values() {
        let Some(r) = node["ref"].as_str().filter(|r| r.contains('/')) else {
            continue;
        };
        let (nv, _) = r.split_once('#').unwrap_or((r, ""));
        let (n, v) = nv.split_once('/').expect("name/version");
        let scope = if node["context"] == "build" {
            Scope::Build
        } else {
            Scope::Required
        };
        want.insert((n.to_string(), v.to_string(), scope));
    }
    let ours: BTreeSet<(String, String, Scope)> = s
        .components
        .iter()
        .map(|c| (c.name.clone(), c.version.clone(), c.scope))
        .collect();
    assert_eq!(ours, want);
    let libb = s
        .components
        .iter()
        .find(|c| c.name == "libb")
        .expect("libb");
    assert!(
        libb.purl.starts_with("pkg:conan/libb@3.0.1?rrev="),
        "{}",
        libb.purl
    );
    assert_eq!(libb.location.line, 4);
}

#[test]
fn conan1_lock_matches_conan_info() {
    let rel = "conan/conan1-graph-lock/conan.lock";
    let s = cpp::conan_lock(rel, &fixture(rel)).expect("parses");
    assert_eq!(s.format, "conan.lock v0.4");
    let info: serde_json::Value =
        serde_json::from_str(&fixture("conan/conan1-graph-lock/info.json")).expect("json");
    let want: BTreeSet<(String, String)> = info
        .as_array()
        .expect("list")
        .iter()
        .filter(|n| n["is_ref"] == true)
        .filter_map(|n| {
            let r = n["reference"].as_str()?;
            let r = r.split('@').next()?;
            let (name, v) = r.split_once('/')?;
            Some((name.to_string(), v.to_string()))
        })
        .collect();
    let ours: BTreeSet<(String, String)> = s
        .components
        .iter()
        .map(|c| (c.name.clone(), c.version.clone()))
        .collect();
    assert_eq!(ours, want);
    let scope = |n: &str| s.components.iter().find(|c| c.name == n).map(|c| c.scope);
    assert_eq!(scope("buildtool"), Some(Scope::Build));
    assert_eq!(scope("liba"), Some(Scope::Required));
    let liba = s
        .components
        .iter()
        .find(|c| c.name == "liba")
        .expect("liba");
    assert!(
        liba.purl.contains("user=annex") && liba.purl.contains("channel=stable"),
        "{}",
        liba.purl
    );
    assert_eq!(s.edges.len(), 1);
}

#[test]
fn conan1_graph_lock() {
    let text = r#"{
 "graph_lock": {
  "nodes": {
   "0": {"options": "", "requires": ["1"], "build_requires": ["3"], "path": "conanfile.txt", "context": "host"},
   "1": {"ref": "openssl/1.1.1k#f1a0b3cd", "options": "shared=False", "package_id": "x", "prev": "p", "requires": ["2"], "context": "host"},
   "2": {"ref": "zlib/1.2.11@conan/stable", "options": "", "package_id": "y", "context": "host"},
   "3": {"ref": "cmake/3.20.0", "options": "", "context": "build"}
  },
  "revisions_enabled": true
 },
 "version": "0.4",
 "profile_host": "[settings]\n"
}"#;
    let s = cpp::conan_lock("conan.lock", text).expect("parses");
    let got: Vec<(&str, &str, Scope, bool)> = s
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.version.as_str(), c.scope, c.direct))
        .collect();
    assert_eq!(
        got,
        vec![
            ("cmake", "3.20.0", Scope::Build, true),
            ("openssl", "1.1.1k", Scope::Required, true),
            ("zlib", "1.2.11", Scope::Required, false),
        ]
    );
    assert_eq!(
        s.components[2].purl,
        "pkg:conan/zlib@1.2.11?channel=stable&user=conan"
    );
    assert_eq!(s.edges.len(), 1);
    assert!(s.edges_complete);
    let e = cpp::conan_lock("conan.lock", "{\"version\": \"0.6\"}").unwrap_err();
    assert!(matches!(e, ParseError::UnsupportedVersion { .. }), "{e}");
    let e = cpp::conan_lock(
        "conan.lock",
        "{\"version\": \"0.5\", \"requires\": [\"broken\"]}",
    )
    .unwrap_err();
    assert!(matches!(e, ParseError::Syntax { .. }), "{e}");
}

#[test]
fn vcpkg_manifest() {
    let rel = "vcpkg/manifest/vcpkg.json";
    let s = cpp::vcpkg(rel, &fixture(rel)).expect("parses");
    let got: Vec<(&str, &str, Scope)> = s
        .components
        .iter()
        .map(|c| (c.name.as_str(), c.version.as_str(), c.scope))
        .collect();
    assert_eq!(
        got,
        vec![
            ("fmt", "10.1.1", Scope::Required),
            ("spdlog", "1.12.0", Scope::Required),
            ("vcpkg-cmake", "2023-05-04", Scope::Build),
            ("zlib", "1.3", Scope::Required),
        ]
    );
    let unresolved: Vec<(&str, u64)> = s
        .unresolved
        .iter()
        .map(|u| (u.name.as_str(), u.location.line))
        .collect();
    assert_eq!(unresolved, vec![("openssl", 9)]);
    let root = s.root.as_ref().expect("root");
    assert_eq!(
        (root.name.as_str(), root.version.as_str()),
        ("fixture-app", "0.4.0")
    );
    assert!(matches!(&root.source, Source::Path { .. }));
    assert_eq!(s.components[0].purl, "pkg:vcpkg/fmt@10.1.1");
    assert!(cpp::vcpkg("vcpkg.json", "{\"dependencies\": [1]}").is_err());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]
    #[test]
    fn never_panics(s in "\\PC{0,300}", cut in 0usize..2_000) {
        let _ = cpp::conan_lock("x", &s);
        let _ = cpp::vcpkg("x", &s);
        for rel in ["conan/conan2-local/conan.lock", "vcpkg/manifest/vcpkg.json"] {
            let real = fixture(rel);
            let mut c = cut % (real.len() + 1);
            while !real.is_char_boundary(c) { c -= 1; }
            let _ = cpp::conan_lock("x", &real[..c]);
            let _ = cpp::vcpkg("x", &real[..c]);
            let _ = cpp::conan_lock("x", &format!("{}{}{}", &real[..c], s, &real[c..]));
        }
    }
}
