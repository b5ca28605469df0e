//! The scan: walking a tree, pairing manifests with lockfiles, excludes, errors.

#[path = "scan_shared.rs"]
mod shared;

use std::path::{Path, PathBuf};

use annex_inventory::parse::ParseError;
use annex_inventory::scan::{ScanOptions, scan, scan_files};
use annex_inventory::{Scope, Source};
use shared::fixtures;

fn copy(from: &Path, to: &Path) {
    std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
    std::fs::copy(from, to).unwrap_or_else(|e| panic!("{from:?}: {e}"));
}

fn write(to: &Path, text: &str) {
    std::fs::create_dir_all(to.parent().expect("parent")).expect("mkdir");
    std::fs::write(to, text).expect("write");
}

/// A checkout with several ecosystems, a broken file, and things the walk must skip.
fn tree() -> tempfile::TempDir {
    let t = tempfile::tempdir().expect("tempdir");
    let r = t.path();
    let f = fixtures();
    for file in ["Cargo.lock", "Cargo.toml", "member/Cargo.toml"] {
        copy(&f.join("cargo/v4").join(file), &r.join(file));
    }
    for file in ["package-lock.json", "package.json"] {
        copy(&f.join("npm/v3").join(file), &r.join("web").join(file));
    }
    // npm reads the shrinkwrap and ignores a package-lock beside it.
    copy(
        &f.join("npm/shrinkwrap/npm-shrinkwrap.json"),
        &r.join("both/npm-shrinkwrap.json"),
    );
    copy(
        &f.join("npm/v1/package-lock.json"),
        &r.join("both/package-lock.json"),
    );
    for file in ["yarn.lock", "package.json"] {
        copy(
            &f.join("yarn/classic").join(file),
            &r.join("yarnapp").join(file),
        );
    }
    for file in ["go.mod", "go.sum"] {
        copy(&f.join("go/basic").join(file), &r.join("svc").join(file));
    }
    // Installed packages and build output are not walked.
    copy(
        &f.join("npm/v3/package-lock.json"),
        &r.join("web/node_modules/x/package-lock.json"),
    );
    copy(
        &f.join("cargo/v4/Cargo.lock"),
        &r.join("target/debug/Cargo.lock"),
    );
    // A crate without a lockfile: a manifest subject.
    write(
        &r.join("lonely/Cargo.toml"),
        "[package]\nname = \"lonely\"\nversion = \"0.1.0\"\n\n[dependencies]\nrand = \"0.8\"\n",
    );
    // Excluded by the caller, and by .gitignore.
    copy(&f.join("go/basic/go.mod"), &r.join("skipme/go.mod"));
    write(&r.join(".gitignore"), "ignored/\n");
    copy(&f.join("go/basic/go.mod"), &r.join("ignored/go.mod"));
    #[cfg(unix)]
    std::os::unix::fs::symlink(r.join("svc/go.mod"), r.join("linked.mod.dir")).ok();
    #[cfg(unix)]
    {
        std::fs::create_dir_all(r.join("links")).expect("mkdir");
        std::os::unix::fs::symlink(r.join("svc/go.mod"), r.join("links/go.mod")).ok();
    }
    t
}

fn opts(keep_going: bool, include_dev: bool) -> ScanOptions {
    ScanOptions {
        include_dev,
        exclude: vec!["skipme/**".to_string()],
        keep_going,
        threads: 2,
        default_excludes: true,
        maven_repo: None,
    }
}

#[test]
fn scan_finds_each_lockfile_once_with_its_manifests() {
    let t = tree();
    let res = scan(t.path(), &opts(false, true)).unwrap_or_else(|e| panic!("{e}"));
    assert!(res.warnings.is_empty(), "{:?}", res.warnings);
    let inv = &res.inventory;
    assert_eq!(inv.schema, "annex/inventory/v1");
    let paths: Vec<&str> = inv.subjects.iter().map(|s| s.path.as_str()).collect();
    assert_eq!(
        paths,
        vec![
            "Cargo.lock",
            "both/npm-shrinkwrap.json",
            "lonely/Cargo.toml",
            "svc/go.mod",
            "web/package-lock.json",
            "yarnapp/yarn.lock",
        ]
    );
    let by = |p: &str| inv.subjects.iter().find(|s| s.path == p).expect(p);
    // Cargo.lock got its manifests: dependency kinds give scopes.
    let cargo = by("Cargo.lock");
    let scope = |name: &str| {
        cargo
            .components
            .iter()
            .find(|c| c.name == name)
            .map(|c| c.scope)
    };
    assert_eq!(scope("tempfile"), Some(Scope::Dev));
    assert_eq!(scope("cc"), Some(Scope::Build));
    assert_eq!(scope("serde"), Some(Scope::Required));
    // yarn.lock got its package.json: direct and dev.
    let yarn = by("yarnapp/yarn.lock");
    assert!(
        yarn.components
            .iter()
            .any(|c| c.name == "chalk" && c.direct && c.scope == Scope::Dev)
    );
    assert!(
        yarn.components
            .iter()
            .any(|c| c.name == "express" && c.direct && c.scope == Scope::Required)
    );
    // go.mod got its go.sum.
    let gomod = by("svc/go.mod");
    assert!(
        gomod
            .components
            .iter()
            .filter(|c| c.name != "stdlib")
            .all(|c| !c.hashes.is_empty())
    );
    // Locations carry the subject's path.
    for s in &inv.subjects {
        for c in &s.components {
            assert!(
                c.location.path == s.path || c.location.path.ends_with("go.sum"),
                "{} {}",
                s.path,
                c.location.path
            );
        }
    }
    // The lonely manifest: requirements are unresolved.
    let lonely = by("lonely/Cargo.toml");
    assert_eq!(lonely.unresolved.len(), 1);
    assert_eq!(
        lonely.root.as_ref().map(|r| r.name.as_str()),
        Some("lonely")
    );
}

#[test]
fn dev_components_are_dropped_unless_asked_for() {
    let t = tree();
    let res = scan(t.path(), &opts(false, false)).unwrap_or_else(|e| panic!("{e}"));
    for s in &res.inventory.subjects {
        assert!(
            s.components.iter().all(|c| c.scope != Scope::Dev),
            "{}",
            s.path
        );
        let ids: std::collections::BTreeSet<&str> =
            s.components.iter().map(|c| c.id.as_str()).collect();
        let root = s.root.as_ref().map(|r| r.id.as_str());
        for e in &s.edges {
            assert!(ids.contains(e.from.as_str()) || Some(e.from.as_str()) == root);
            assert!(ids.contains(e.to.as_str()));
        }
    }
    let web = res
        .inventory
        .subjects
        .iter()
        .find(|s| s.path == "web/package-lock.json")
        .expect("web");
    assert!(web.components.iter().all(|c| c.name != "chalk"));
    assert!(web.components.iter().any(|c| c.name == "express"));
}

#[test]
fn a_broken_file_stops_the_scan_or_becomes_a_warning() {
    let t = tree();
    write(
        &t.path().join("broken/pnpm-lock.yaml"),
        "lockfileVersion: '9.0'\npackages:\n  a@1.0.0:\n    resolution: {integrity: \"sha",
    );
    write(&t.path().join("weird/Cargo.lock"), "version = 99\n");
    let err = scan(t.path(), &opts(false, true)).expect_err("broken");
    assert_eq!(err.path(), "broken/pnpm-lock.yaml");
    assert!(matches!(err, ParseError::Syntax { .. }), "{err}");
    let res = scan(t.path(), &opts(true, true)).expect("keep going");
    let warned: Vec<&str> = res.warnings.iter().map(ParseError::path).collect();
    assert_eq!(warned, vec!["broken/pnpm-lock.yaml", "weird/Cargo.lock"]);
    assert!(matches!(
        res.warnings[1],
        ParseError::UnsupportedVersion { .. }
    ));
    assert_eq!(res.inventory.subjects.len(), 6);
}

#[test]
fn explicit_files_use_their_companions() {
    let t = tree();
    let files: Vec<PathBuf> = vec![
        t.path().join("yarnapp/yarn.lock"),
        t.path().join("svc/go.mod"),
    ];
    let res = scan_files(&files, &opts(false, true)).unwrap_or_else(|e| panic!("{e}"));
    assert_eq!(res.inventory.subjects.len(), 2);
    let yarn = res
        .inventory
        .subjects
        .iter()
        .find(|s| s.path.ends_with("yarnapp/yarn.lock"))
        .expect("yarn");
    assert!(yarn.components.iter().any(|c| c.direct));
    let gomod = res
        .inventory
        .subjects
        .iter()
        .find(|s| s.path.ends_with("svc/go.mod"))
        .expect("go");
    assert!(gomod.components.iter().any(|c| !c.hashes.is_empty()));
    let bad = scan_files(&[t.path().join("README.md")], &opts(false, true));
    assert!(bad.is_err());
}

#[test]
fn the_peer_case_with_both_npm_lockfiles_reads_the_shrinkwrap() {
    let dir = shared::shared_lockfiles().join("npm/scalibr-packagelockjson/testdata/both");
    let res = scan(&dir, &opts(false, true)).unwrap_or_else(|e| panic!("{e}"));
    let paths: Vec<&str> = res
        .inventory
        .subjects
        .iter()
        .map(|s| s.path.as_str())
        .collect();
    assert_eq!(paths, vec!["npm-shrinkwrap.json"]);
    assert!(matches!(
        res.inventory.subjects[0].components[0].source,
        Source::Registry { .. }
    ));
}

#[test]
fn scanning_the_shared_lockfiles_never_fails_with_keep_going() {
    // Every peer fixture directory, as one big tree: errors are warnings, nothing panics,
    // and every warning names a file.
    let res = scan(&shared::shared_lockfiles(), &opts(true, true)).expect("scan");
    assert!(
        res.inventory.subjects.len() > 50,
        "{}",
        res.inventory.subjects.len()
    );
    for w in &res.warnings {
        assert!(!w.path().is_empty(), "{w}");
    }
}
