//! Rust parsers: the peers' fixtures and our own, made by cargo.

#[path = "scan_shared.rs"]
mod shared;

use std::path::Path;

use shared::*;

fn as_cargo(p: &Path) -> Option<String> {
    let s = p.to_string_lossy();
    Some(
        if s.contains("cargotoml") {
            "Cargo.toml"
        } else {
            "Cargo.lock"
        }
        .to_string(),
    )
}

#[test]
fn cargo_peer_fixtures() {
    check_peer(
        "cargo",
        &|p| parse_as(p, as_cargo(p).as_deref()),
        &identity,
        &[
            (
                "only-version-dependency.toml",
                "a Cargo.toml requirement (`0.0.1` means ^0.0.1) is not a version: unresolved",
            ),
            (
                "two-dependencies.toml",
                "`futures = \"0.3\"` is a requirement, not a version: unresolved",
            ),
        ],
    );
}

// ---- Our fixtures (scripts/make-fixtures): compare with `cargo metadata`. --------------

use std::collections::{BTreeMap, BTreeSet};

use annex_inventory::parse::cargo;
use annex_inventory::{Scope, Source};
use serde_json::Value;

fn rank(s: Scope) -> u8 {
    match s {
        Scope::Required => 3,
        Scope::Build => 2,
        Scope::Optional => 1,
        Scope::Dev => 0,
    }
}

/// (name, version) → scope, from cargo metadata's resolve graph: the workspace members'
/// dependencies by kind, spread to everything below them.
fn metadata_scopes(meta: &Value) -> BTreeMap<(String, String), Scope> {
    let pkgs: BTreeMap<&str, (String, String)> = meta["packages"]
        .as_array()
        .expect("packages")
        .iter()
        .map(|p| {
            (
                p["id"].as_str().expect("id"),
                (
                    p["name"].as_str().expect("name").to_string(),
                    p["version"].as_str().expect("version").to_string(),
                ),
            )
        })
        .collect();
    let members: BTreeSet<&str> = meta["workspace_members"]
        .as_array()
        .expect("members")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let nodes: BTreeMap<&str, &Value> = meta["resolve"]["nodes"]
        .as_array()
        .expect("nodes")
        .iter()
        .map(|n| (n["id"].as_str().expect("id"), n))
        .collect();
    let mut best: BTreeMap<&str, Scope> = BTreeMap::new();
    let mut queue: Vec<(&str, Scope)> = Vec::new();
    for m in &members {
        for d in nodes[m]["deps"].as_array().into_iter().flatten() {
            let pkg = d["pkg"].as_str().expect("pkg");
            for k in d["dep_kinds"].as_array().into_iter().flatten() {
                let s = match k["kind"].as_str() {
                    Some("dev") => Scope::Dev,
                    Some("build") => Scope::Build,
                    _ => Scope::Required,
                };
                queue.push((pkg, s));
            }
        }
    }
    while let Some((id, s)) = queue.pop() {
        if members.contains(id) || best.get(id).is_some_and(|&o| rank(o) >= rank(s)) {
            continue;
        }
        best.insert(id, s);
        for d in nodes[id]["deps"].as_array().into_iter().flatten() {
            queue.push((d["pkg"].as_str().expect("pkg"), s));
        }
    }
    best.into_iter()
        .map(|(id, s)| (pkgs[id].clone(), s))
        .collect()
}

#[test]
fn cargo_fixtures_match_cargo_metadata() {
    for case in ["v3", "v4"] {
        let dir = fixtures().join("cargo").join(case);
        let read = |f: &str| std::fs::read_to_string(dir.join(f)).expect(f);
        let manifests: Vec<(String, cargo::CargoManifest)> = ["Cargo.toml", "member/Cargo.toml"]
            .iter()
            .map(|f| {
                (
                    f.to_string(),
                    cargo::read_manifest(f, &read(f)).expect("manifest"),
                )
            })
            .collect();
        let s = cargo::lockfile_with_manifests("Cargo.lock", &read("Cargo.lock"), &manifests)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.format, format!("Cargo.lock {case}"));
        let meta: Value = serde_json::from_str(&read("cargo-metadata.json")).expect("metadata");
        let root = s.root.as_ref().expect("root");
        assert_eq!(
            (root.name.as_str(), root.version.as_str()),
            ("fixture-app", "0.1.0")
        );
        // Every package cargo resolved, except the root, is a component.
        let all: BTreeSet<(String, String)> = meta["packages"]
            .as_array()
            .expect("packages")
            .iter()
            .map(|p| {
                (
                    p["name"].as_str().unwrap_or("").to_string(),
                    p["version"].as_str().unwrap_or("").to_string(),
                )
            })
            .filter(|(n, _)| n != "fixture-app")
            .collect();
        let ours: BTreeSet<(String, String)> = s
            .components
            .iter()
            .map(|c| (c.name.clone(), c.version.clone()))
            .collect();
        assert_eq!(ours, all, "{case}");
        // Scopes follow cargo's dependency kinds.
        let scopes = metadata_scopes(&meta);
        for c in &s.components {
            if matches!(c.source, Source::Path { .. }) {
                assert_eq!(c.name, "fixture-member");
                assert!(c.direct);
                continue;
            }
            let want = scopes
                .get(&(c.name.clone(), c.version.clone()))
                .unwrap_or_else(|| panic!("{case}: {} not reached", c.name));
            assert_eq!(c.scope, *want, "{case}: {} {}", c.name, c.version);
            assert_eq!(c.hashes.len(), 1, "{case}: {}", c.name);
            assert_eq!(c.hashes[0].alg, "sha256");
            assert!(c.location.line > 3);
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
                "anyhow",
                "cc",
                "fixture-member",
                "itoa",
                "serde",
                "tempfile"
            ]),
            "{case}"
        );
        assert!(s.edges_complete);
        // Alone, the lockfile finds the same root and packages, all required.
        let alone = cargo::lockfile("Cargo.lock", &read("Cargo.lock")).expect("alone");
        assert_eq!(
            alone.root.as_ref().map(|r| r.name.as_str()),
            Some("fixture-app")
        );
        assert_eq!(alone.components.len(), s.components.len());
    }
}

#[test]
fn cargo_manifest_alone() {
    let dir = fixtures().join("cargo/v4");
    let text = std::fs::read_to_string(dir.join("Cargo.toml")).expect("Cargo.toml");
    let s = cargo::manifest("Cargo.toml", &text).expect("manifest");
    assert_eq!(
        s.root.as_ref().map(|r| r.name.as_str()),
        Some("fixture-app")
    );
    let unresolved: BTreeSet<(&str, &str)> = s
        .unresolved
        .iter()
        .map(|u| (u.name.as_str(), u.requirement.as_str()))
        .collect();
    assert_eq!(
        unresolved,
        BTreeSet::from([
            ("anyhow", "1.0.98"),
            ("cc", "1.2.27"),
            ("serde", "1.0.219"),
            ("tempfile", "3.20.0")
        ])
    );
    assert_eq!(s.components.len(), 1);
    assert_eq!(s.components[0].name, "fixture-member");
    assert_eq!(s.components[0].location.line, 9);
}

// ---- Older formats and errors. ----------------------------------------------------------

const ITOA_SUM: &str = "4a5f13b858c8d314ee3e8f639011f7ccefe71f97f96e50151fb991f267928e2c";

#[test]
fn cargo_lock_v1_and_v2() {
    // v2 (cargo 1.41–1.52): no version line, inline checksums, short dependency entries.
    let v2 = format!(
        "# This file is automatically @generated by Cargo.\n# It is not intended for manual editing.\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"itoa\",\n]\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.15\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\nchecksum = \"{ITOA_SUM}\"\n"
    );
    // v1: full dependency entries, checksums in [metadata].
    let v1 = format!(
        "[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\n \"itoa 1.0.15 (registry+https://github.com/rust-lang/crates.io-index)\",\n]\n\n[[package]]\nname = \"itoa\"\nversion = \"1.0.15\"\nsource = \"registry+https://github.com/rust-lang/crates.io-index\"\n\n[metadata]\n\"checksum itoa 1.0.15 (registry+https://github.com/rust-lang/crates.io-index)\" = \"{ITOA_SUM}\"\n"
    );
    for (text, format, line) in [(&v2, "Cargo.lock v2", 10), (&v1, "Cargo.lock v1", 8)] {
        let s = cargo::lockfile("Cargo.lock", text).unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.format, format);
        assert_eq!(s.root.as_ref().map(|r| r.name.as_str()), Some("app"));
        assert_eq!(s.components.len(), 1);
        let c = &s.components[0];
        assert_eq!((c.name.as_str(), c.version.as_str()), ("itoa", "1.0.15"));
        assert_eq!(c.purl, "pkg:cargo/itoa@1.0.15");
        assert_eq!(c.hashes[0].value, ITOA_SUM);
        assert_eq!(c.location.line, line);
        assert!(c.direct);
        assert_eq!(s.edges.len(), 1);
        assert_eq!(s.edges[0].from, "pkg:cargo/app@0.1.0");
    }
}

#[test]
fn cargo_git_and_alternative_registry_sources() {
    let text = "version = 4\n\n[[package]]\nname = \"app\"\nversion = \"0.1.0\"\ndependencies = [\"g\", \"r\"]\n\n[[package]]\nname = \"g\"\nversion = \"0.3.0\"\nsource = \"git+https://github.com/o/g?branch=main#0123456789abcdef0123456789abcdef01234567\"\n\n[[package]]\nname = \"r\"\nversion = \"1.0.0\"\nsource = \"sparse+https://crates.example.com/index/\"\nchecksum = \"00\"\n";
    let s = cargo::lockfile("Cargo.lock", text).unwrap_or_else(|e| panic!("{e}"));
    let g = &s.components[0];
    assert_eq!(
        g.source,
        Source::Git {
            url: "https://github.com/o/g?branch=main".to_string(),
            rev: Some("0123456789abcdef0123456789abcdef01234567".to_string())
        }
    );
    assert!(
        g.purl
            .starts_with("pkg:cargo/g@0.3.0?vcs_url=git%2Bhttps:%2F%2Fgithub.com")
    );
    let r = &s.components[1];
    assert_eq!(
        r.source,
        Source::Registry {
            url: Some("https://crates.example.com/index/".to_string())
        }
    );
    // A checksum that is not a SHA-256 is not reported.
    assert!(r.hashes.is_empty());
}

#[test]
fn cargo_errors_have_positions() {
    let cases = [
        (
            "version = 5\n",
            "Cargo.lock:1: unsupported Cargo.lock version `5`",
        ),
        (
            "version = 4\n[[package]]\nname = \"a\"\nversion = ",
            "Cargo.lock:4:11: expected",
        ),
        ("version = 4\n[[package]]\nname = \"a\"\n", "Cargo.lock:"),
    ];
    for (text, want) in cases {
        let e = cargo::lockfile("Cargo.lock", text).expect_err(text);
        assert!(e.to_string().starts_with(want), "{e}");
    }
    let e = cargo::manifest("Cargo.toml", "[dependencies]\nx = { git = 1 }\n").expect_err("git");
    assert_eq!(e.to_string(), "Cargo.toml:2:13: `x.git` must be a string");
}
