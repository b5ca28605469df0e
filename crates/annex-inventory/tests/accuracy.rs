//! Supply-chain accuracy on shapes met in real repositories (issue 11): the production
//! graph, the project's root and direct dependencies from its manifest, identities of local
//! packages, manifests without a lockfile.

#[path = "scan_shared.rs"]
mod shared;

use annex_inventory::scan::{ScanOptions, scan};
use annex_inventory::{Inventory, Scope, Source, Subject};
use shared::fixtures;

fn scan_fixture(name: &str, include_dev: bool) -> Inventory {
    let opts = ScanOptions {
        include_dev,
        default_excludes: false,
        ..ScanOptions::default()
    };
    let r = scan(&fixtures().join(name), &opts).unwrap_or_else(|e| panic!("{e}"));
    assert!(r.warnings.is_empty(), "{:?}", r.warnings);
    r.inventory
}

fn subject<'a>(inv: &'a Inventory, path: &str) -> &'a Subject {
    inv.subjects
        .iter()
        .find(|s| s.path == path)
        .unwrap_or_else(|| panic!("no subject {path}"))
}

/// The names the root has an edge to, sorted.
fn root_deps(s: &Subject) -> Vec<String> {
    let root = s.root.as_ref().expect("root");
    let mut out: Vec<String> = s
        .edges
        .iter()
        .filter(|e| e.from == root.id)
        .filter_map(|e| s.components.iter().find(|c| c.id == e.to))
        .map(|c| c.name.clone())
        .collect();
    out.sort();
    out
}

fn direct(s: &Subject) -> Vec<String> {
    let mut out: Vec<String> = s
        .components
        .iter()
        .filter(|c| c.direct)
        .map(|c| c.name.clone())
        .collect();
    out.sort();
    out
}

#[test]
fn production_graph_has_no_dev_edges() {
    // typescript is a devDependency of the root and a dependency of app-lib; serde is a
    // dev-dependency of the root crate and a dependency of the member `helper`.
    let inv = scan_fixture("production-graph", false);
    let pnpm = subject(&inv, "pnpm/pnpm-lock.yaml");
    assert_eq!(root_deps(pnpm), ["app-lib"]);
    assert_eq!(direct(pnpm), ["app-lib"]);
    let ts = pnpm.components.iter().find(|c| c.name == "typescript");
    assert_eq!(ts.map(|c| c.scope), Some(Scope::Required));
    assert!(pnpm.components.iter().all(|c| c.name != "vitest"));

    let cargo = subject(&inv, "cargo/Cargo.lock");
    assert_eq!(root_deps(cargo), ["helper"]);
    assert_eq!(direct(cargo), ["helper", "serde"]);
    assert!(cargo.components.iter().all(|c| c.name != "proptest"));
    assert!(cargo.edges.iter().all(|e| e.scope != Scope::Dev));

    // With dev dependencies, the dev edges are there and say so.
    let all = scan_fixture("production-graph", true);
    let pnpm = subject(&all, "pnpm/pnpm-lock.yaml");
    assert_eq!(root_deps(pnpm), ["app-lib", "typescript", "vitest"]);
    let root = pnpm.root.as_ref().expect("root").id.clone();
    let ts_edge = pnpm
        .edges
        .iter()
        .find(|e| e.from == root && e.to.starts_with("pkg:npm/typescript"));
    assert_eq!(ts_edge.map(|e| e.scope), Some(Scope::Dev));
    let cargo = subject(&all, "cargo/Cargo.lock");
    assert_eq!(root_deps(cargo), ["helper", "proptest", "serde"]);
    assert_eq!(direct(cargo), ["helper", "proptest", "serde"]);
}

#[test]
fn python_root_and_direct_dependencies_come_from_pyproject() {
    // poetry.lock and pdm.lock record neither the project nor what it asks for.
    for (dir, lock) in [
        ("poetry/requests-pytest", "poetry.lock"),
        ("pdm/requests-pytest", "pdm.lock"),
    ] {
        let inv = scan_fixture(dir, false);
        let s = subject(&inv, lock);
        let root = s.root.as_ref().unwrap_or_else(|| panic!("{dir}: no root"));
        assert_eq!(
            (
                root.name.as_str(),
                root.version.as_str(),
                root.purl.as_str()
            ),
            ("fixture-app", "0.1.0", "pkg:pypi/fixture-app@0.1.0"),
            "{dir}"
        );
        assert_eq!(root.location.path, "pyproject.toml");
        // The `socks` extra is an optional edge: part of the production graph.
        assert_eq!(root_deps(s), ["click", "pysocks", "requests"], "{dir}");
        assert_eq!(direct(s), ["click", "pysocks", "requests"], "{dir}");
        let socks = s.components.iter().find(|c| c.name == "pysocks");
        assert_eq!(socks.map(|c| c.scope), Some(Scope::Optional), "{dir}");
        assert!(s.edges_complete);

        let all = scan_fixture(dir, true);
        let s = subject(&all, lock);
        assert_eq!(
            root_deps(s),
            ["click", "pysocks", "pytest", "requests"],
            "{dir}"
        );
        let pytest = s.components.iter().find(|c| c.name == "pytest");
        assert_eq!(
            pytest.map(|c| (c.scope, c.direct)),
            Some((Scope::Dev, true))
        );
    }
}

#[test]
fn composer_root_and_direct_dependencies_come_from_composer_json() {
    let inv = scan_fixture("composer/inline-repo", false);
    let s = subject(&inv, "composer.lock");
    let root = s.root.as_ref().expect("root");
    assert_eq!(root.purl, "pkg:composer/annex/fixture-app");
    assert_eq!(root_deps(s), ["guzzlehttp/guzzle", "monolog/monolog"]);
    assert_eq!(direct(s), ["guzzlehttp/guzzle", "monolog/monolog"]);
    let all = scan_fixture("composer/inline-repo", true);
    let s = subject(&all, "composer.lock");
    assert_eq!(
        root_deps(s),
        [
            "guzzlehttp/guzzle",
            "monolog/monolog",
            "phpunit/php-timer",
            "symfony/polyfill-ctype"
        ]
    );
}

#[test]
fn composer_json_without_a_lock_is_unresolved_not_ignored() {
    let inv = scan_fixture("composer/no-lock", false);
    let s = subject(&inv, "composer.json");
    assert_eq!(s.root.as_ref().map(|r| r.name.as_str()), Some("acme/site"));
    assert!(s.components.is_empty());
    assert!(!s.edges_complete);
    let names: Vec<(&str, &str)> = s
        .unresolved
        .iter()
        .map(|u| (u.name.as_str(), u.requirement.as_str()))
        .collect();
    // Platform requirements (php, ext-*) are not packages.
    assert_eq!(
        names,
        [("laravel/framework", "^11.0"), ("phpunit/phpunit", "^11.0")]
    );
}

#[test]
fn local_packages_never_take_a_registry_identity() {
    let inv = scan_fixture("local-identities", false);
    let s = subject(&inv, "cargo/Cargo.lock");
    let platforms: Vec<_> = s
        .components
        .iter()
        .filter(|c| c.name == "cargo-platform")
        .collect();
    assert_eq!(platforms.len(), 2, "{platforms:?}");
    let local = platforms
        .iter()
        .find(|c| matches!(c.source, Source::Path { .. }))
        .expect("the path crate");
    let registry = platforms
        .iter()
        .find(|c| matches!(c.source, Source::Registry { .. }))
        .expect("the crates.io crate");
    assert_eq!(registry.purl, "pkg:cargo/cargo-platform@0.3.3");
    assert_eq!(local.purl, "", "a local package has no registry purl");
    assert_ne!(local.id, registry.id);
    assert!(!local.id.starts_with("pkg:"), "{}", local.id);
    // Its path, relative to the lockfile, not its name.
    assert_eq!(
        local.source,
        Source::Path {
            path: "crates/cargo-platform".to_string()
        }
    );

    // Git packages: the vcs_url qualifier, as for Cargo.
    let p = subject(&inv, "poetry/poetry.lock");
    assert_eq!(
        p.components[0].purl,
        "pkg:pypi/fork@1.2.0?vcs_url=git%2Bhttps:%2F%2Fexample.com%2Forg%2Ffork.git%400123456789abcdef0123456789abcdef01234567"
    );
}

#[test]
fn counts_tell_lockfiles_from_manifests_and_count_roots() {
    let inv = scan_fixture("production-graph", false);
    let c = annex_inventory::extract::counts(&inv);
    assert_eq!((c.lockfiles, c.manifests, c.roots), (2, 0, 2));
    let n: usize = inv.subjects.iter().map(|s| s.components.len()).sum();
    assert_eq!(c.components, n);
    let c = annex_inventory::extract::counts(&scan_fixture("composer/no-lock", false));
    assert_eq!(
        (c.lockfiles, c.manifests, c.components, c.roots),
        (0, 1, 0, 1)
    );
    assert_eq!(
        c.to_string(),
        "0 lockfile(s), 1 manifest(s): 0 components and 1 project root(s)"
    );
}

#[test]
fn an_absolute_lockfile_path_keeps_one_leading_slash() {
    let abs = fixtures()
        .join("composer/no-lock/composer.json")
        .canonicalize()
        .unwrap();
    let r = annex_inventory::scan::scan_files(std::slice::from_ref(&abs), &ScanOptions::default())
        .unwrap();
    let path = &r.inventory.subjects[0].path;
    assert_eq!(path, &abs.to_string_lossy());
    assert!(!path.starts_with("//"), "{path}");
}
