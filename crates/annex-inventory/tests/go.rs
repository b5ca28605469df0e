//! Go parsers: the peers' fixtures and our own, made by the go command.

#[path = "scan_shared.rs"]
mod shared;

use std::path::Path;

use annex_inventory::Subject;
use annex_inventory::parse::{ParseError, go};
use shared::*;

fn strip_v((n, v): (String, String)) -> (String, String) {
    (n, v.strip_prefix('v').unwrap_or(&v).to_string())
}

/// A peer `.mod` file, with the `.sum` of the same stem beside it when there is one.
fn parse_go(p: &Path) -> Result<Option<Subject>, ParseError> {
    let name = p.file_name().and_then(|n| n.to_str()).unwrap_or("");
    if name.ends_with(".sum") {
        return parse_as(p, Some("go.sum"));
    }
    let text = std::fs::read_to_string(p).expect("read");
    let sum_path = p.with_extension("sum");
    // A go.sum that does not parse is its own error (the scan reports it apart).
    let sum = std::fs::read_to_string(&sum_path)
        .ok()
        .and_then(|t| go::read_go_sum("go.sum", &t).ok());
    go::go_mod_with_sum("go.mod", &text, sum.as_deref().map(|s| ("go.sum", s))).map(Some)
}

#[test]
fn go_peer_fixtures() {
    check_peer(
        "go",
        &parse_go,
        &strip_v,
        &[
            (
                "replace-local.mod",
                "a module replaced by a local directory keeps its module path (with a path \
                 source and no version); scalibr names it by the directory",
            ),
            (
                "exclude indirect",
                "a peer option (skip indirect requirements); we list them as transitive",
            ),
            (
                "normal (testdata/normal",
                "a peer option that drops the Go toolchain component",
            ),
            (
                "two-packages.mod",
                "`go 1.17` is a language version before Go 1.21: no stdlib component",
            ),
            (
                "indirect-packages.mod)",
                "`go 1.17`: no stdlib component (as above)",
            ),
            (
                "indirect-1.16.mod)",
                "`go 1.16`: no stdlib component (as above)",
            ),
            (
                "indirect-1.23.mod)",
                "`go 1.23` without a toolchain line is only the minimum toolchain: stdlib is \
                 unresolved, not pinned to 1.23 (whose vulnerabilities the real build may not have)",
            ),
            (
                "no replace",
                "a peer option that ignores replace directives",
            ),
            (
                "replaced with local path (",
                "a module replaced by a local directory stays listed (path source, no \
                 version); trivy drops it",
            ),
            ("replaced with local path and version (", "as above"),
            (
                "go 1.16",
                "a go 1.16 go.mod's `// indirect` requirements are listed; trivy drops them",
            ),
            (
                "gomod_many.sum",
                "a go.sum alone: only modules with a content hash were built; lines that \
                 check a go.mod only (check.v1, yaml.v2 here) are not components",
            ),
            (
                "gomod_trivy.sum",
                "as above: this go.sum has go.mod lines only",
            ),
        ],
    );
}

// ---- Our fixture (scripts/make-fixtures): compare with `go list`. ----------------------

use std::collections::{BTreeMap, BTreeSet};

/// `go list -m -json all`: path → (version after replacement, indirect, main, h1 sum).
fn go_list_modules(text: &str) -> BTreeMap<String, (String, bool, bool, Option<String>)> {
    let mut out = BTreeMap::new();
    for v in serde_json::Deserializer::from_str(text).into_iter::<serde_json::Value>() {
        let v = v.expect("go list JSON");
        let path = v["Path"].as_str().unwrap_or("").to_string();
        let (version, sum) = match v.get("Replace") {
            Some(r) => (
                r["Version"].as_str().unwrap_or("").to_string(),
                r["Sum"].as_str().map(str::to_string),
            ),
            None => (
                v["Version"].as_str().unwrap_or("").to_string(),
                v["Sum"].as_str().map(str::to_string),
            ),
        };
        let indirect = v["Indirect"].as_bool().unwrap_or(false);
        let main = v["Main"].as_bool().unwrap_or(false);
        out.insert(path, (version, indirect, main, sum));
    }
    out
}

#[test]
fn go_fixture_matches_go_list() {
    let dir = fixtures().join("go/basic");
    let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect(f);
    let sums = go::read_go_sum("go.sum", &read("go.sum")).expect("go.sum");
    let s =
        go::go_mod_with_sum("go.mod", &read("go.mod"), Some(("go.sum", &sums))).expect("go.mod");
    let modules = go_list_modules(&read("go-list-m-all.json"));
    let ours: BTreeMap<&str, &annex_inventory::Component> =
        s.components.iter().map(|c| (c.name.as_str(), c)).collect();
    assert_eq!(
        s.root.as_ref().map(|r| r.name.as_str()),
        Some("example.com/fixture")
    );
    // Every module that provides packages to the build or the tests is a component, at
    // the version the go command selected (after replace directives).
    for line in read("go-list-deps.txt").lines() {
        let path = line.split_whitespace().next().expect("path");
        let (version, indirect, _, sum) = &modules[path];
        let c = ours.get(path).unwrap_or_else(|| panic!("{path} missing"));
        assert_eq!(&c.version, version, "{path}");
        assert_eq!(c.direct, !indirect, "{path}");
        if let Some(sum) = sum {
            let hex = annex_inventory::parse::base64_to_hex(sum.trim_start_matches("h1:"));
            assert_eq!(c.hashes[0].value, hex.expect("base64"), "{path}");
        }
        assert_eq!(c.hashes.len(), 1, "{path}");
        // An h1: value is a SHA-256 of the dirhash listing, not of a file.
        assert_eq!(c.hashes[0].alg, "go-h1");
    }
    // `go 1.22` without a toolchain line: the stdlib version is not known, and says so.
    assert!(s.components.iter().all(|c| c.name != "stdlib"));
    let std: Vec<(&str, &str)> = s
        .unresolved
        .iter()
        .map(|u| (u.name.as_str(), u.requirement.as_str()))
        .collect();
    assert_eq!(
        std,
        [("stdlib", ">= v1.22 (the go line; no toolchain directive)")]
    );
    // With a toolchain line, that is the version.
    let pinned = go::go_mod_with_sum(
        "go.mod",
        &read("go.mod").replace("go 1.22\n", "go 1.22\n\ntoolchain go1.22.7\n"),
        None,
    )
    .expect("go.mod");
    let stdlib = pinned.components.iter().find(|c| c.name == "stdlib");
    assert_eq!(stdlib.map(|c| c.version.as_str()), Some("v1.22.7"));
    // And every component is a module of the build list.
    for c in &s.components {
        let (version, _, main, _) = &modules[&c.name];
        assert!(!main);
        assert_eq!(&c.version, version, "{}", c.name);
        assert!(c.location.line > 2);
    }
    let direct: BTreeSet<&str> = s
        .components
        .iter()
        .filter(|c| c.direct)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        direct,
        BTreeSet::from([
            "github.com/google/uuid",
            "github.com/pkg/errors",
            "github.com/stretchr/testify",
            "golang.org/x/text",
        ])
    );
    // The go.sum alone: the modules with content hashes.
    let alone = go::go_sum("go.sum", &read("go.sum")).expect("go.sum");
    let names: BTreeSet<&str> = alone.components.iter().map(|c| c.name.as_str()).collect();
    let deps_text = read("go-list-deps.txt");
    let deps: BTreeSet<&str> = deps_text
        .lines()
        .filter_map(|l| l.split_whitespace().next())
        .collect();
    assert!(deps.is_subset(&names), "{deps:?} ⊄ {names:?}");
}
