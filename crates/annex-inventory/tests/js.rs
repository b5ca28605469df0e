//! JavaScript parsers: the peers' fixtures and our own, made by npm, pnpm, yarn and bun.

#[path = "scan_shared.rs"]
mod shared;

use std::path::Path;

use shared::*;

fn as_npm(p: &Path) -> Option<String> {
    let name = p.file_name()?.to_str()?;
    Some(if name == "npm-shrinkwrap.json" {
        name.to_string()
    } else {
        "package-lock.json".to_string()
    })
}

#[test]
fn npm_peer_fixtures() {
    check_peer(
        "npm",
        &|p| parse_as(p, as_npm(p).as_deref()),
        &identity,
        &[(
            "both/package-lock.json",
            "npm reads npm-shrinkwrap.json instead of a package-lock.json beside it: the scan \
             skips the package-lock (tested in scan.rs); alone, the file is read",
        )],
    );
}

// ---- Our fixtures (scripts/make-fixtures): compare with the tools' own lists. ----------

use std::collections::BTreeSet;

use annex_inventory::Scope;
use serde_json::Value;

fn read_json(p: &Path) -> Value {
    let text = std::fs::read_to_string(p).unwrap_or_else(|e| panic!("{p:?}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{p:?}: {e}"))
}

/// Every (name, version) of an `npm ls --json` / `pnpm list --json` style tree.
fn tree_pairs(deps: &Value, out: &mut Pairs) {
    for (name, d) in deps.as_object().into_iter().flatten() {
        if let Some(v) = d["version"].as_str() {
            // pnpm lists workspace packages as `link:…`.
            if !v.starts_with("link:") {
                out.insert((name.clone(), v.to_string()));
            }
        }
        for key in ["dependencies", "devDependencies", "optionalDependencies"] {
            tree_pairs(&d[key], out);
        }
    }
}

fn subject(dir: &Path, file: &str) -> annex_inventory::Subject {
    let bytes = std::fs::read(dir.join(file)).unwrap_or_else(|e| panic!("{dir:?}/{file}: {e}"));
    annex_inventory::parse::parse_file(file, &bytes)
        .unwrap_or_else(|e| panic!("{e}"))
        .expect("parsed")
}

fn ours(s: &annex_inventory::Subject, pred: &dyn Fn(&annex_inventory::Component) -> bool) -> Pairs {
    s.components
        .iter()
        .filter(|c| pred(c))
        .map(|c| (c.name.clone(), c.version.clone()))
        .collect()
}

fn assert_same(what: &str, ours: &Pairs, theirs: &Pairs) {
    let missing: Vec<_> = theirs.difference(ours).collect();
    let extra: Vec<_> = ours.difference(theirs).collect();
    assert!(
        missing.is_empty() && extra.is_empty(),
        "{what}: missing {missing:?}, extra {extra:?}"
    );
}

#[test]
fn npm_fixtures_match_npm_ls() {
    for (case, file) in [
        ("v1", "package-lock.json"),
        ("v2", "package-lock.json"),
        ("v3", "package-lock.json"),
        ("shrinkwrap", "npm-shrinkwrap.json"),
        ("workspaces", "package-lock.json"),
    ] {
        let dir = fixtures().join("npm").join(case);
        let s = subject(&dir, file);
        let ls = read_json(&dir.join("npm-ls.json"));
        let prod_ls = read_json(&dir.join("npm-ls-prod.json"));
        let mut all = Pairs::new();
        tree_pairs(&ls["dependencies"], &mut all);
        let mut prod = Pairs::new();
        tree_pairs(&prod_ls["dependencies"], &mut prod);
        assert!(all.len() > 3, "{case}: npm ls lists {}", all.len());
        assert_same(&format!("npm/{case} all"), &ours(&s, &|_| true), &all);
        assert_same(
            &format!("npm/{case} non-dev"),
            &ours(&s, &|c| c.scope != Scope::Dev),
            &prod,
        );
        // Every package npm ls shows at the top is direct (v1 records no root list).
        if case != "v1" {
            let top: BTreeSet<String> = ls["dependencies"]
                .as_object()
                .into_iter()
                .flatten()
                .map(|(k, _)| k.clone())
                .collect();
            let direct: BTreeSet<String> = s
                .components
                .iter()
                .filter(|c| c.direct)
                .map(|c| c.name.clone())
                .collect();
            assert!(
                top.is_subset(&direct),
                "npm/{case}: direct {direct:?}, top {top:?}"
            );
            assert!(s.edges_complete, "npm/{case}");
        }
        // Every component has a line and, from the registry, a sha512.
        for c in &s.components {
            assert!(c.location.line > 1, "{case}: {c:?}");
            if matches!(c.source, annex_inventory::Source::Registry { .. }) {
                assert!(c.hashes.iter().any(|h| h.alg == "sha512"), "{case}: {c:?}");
            }
        }
        assert_eq!(
            s.root.as_ref().map(|r| r.name.as_str()),
            ls["name"].as_str()
        );
    }
}

#[test]
fn yarn_peer_fixtures() {
    check_peer(
        "yarn",
        &|p| parse_as(p, Some("yarn.lock")),
        &identity,
        &[
            (
                "yarn_v2_happy.lock",
                "a `patch:` entry is the installed (patched) package: listed; trivy skips it",
            ),
            (
                "yarn_with_local.lock",
                "a `file:` tarball dependency is installed: listed with a path source; trivy \
                 skips local packages",
            ),
            (
                "yarn_with_bad_protocol.lock",
                "an entry with an unknown protocol but a version is still a package: listed",
            ),
        ],
    );
}

/// `yarn list --json` (classic): every `name@version` of the trees, skipping the `shadow`
/// children (which name ranges).
fn yarn_list_pairs(v: &Value, out: &mut Pairs) {
    for t in v.as_array().into_iter().flatten() {
        if t["shadow"].as_bool() == Some(true) {
            continue;
        }
        if let Some(nv) = t["name"].as_str() {
            let at = nv[1..].find('@').map(|i| i + 1).expect("name@version");
            out.insert((nv[..at].to_string(), nv[at + 1..].to_string()));
        }
        yarn_list_pairs(&t["children"], out);
    }
}

fn manifests(dir: &Path, files: &[&str]) -> Vec<annex_inventory::parse::npm::PackageJson> {
    files
        .iter()
        .map(|f| {
            let text = std::fs::read_to_string(dir.join(f)).expect("package.json");
            annex_inventory::parse::npm::read_package_json(f, &text).expect("package.json")
        })
        .collect()
}

#[test]
fn yarn_classic_fixture_matches_yarn_list() {
    let dir = fixtures().join("yarn/classic");
    let text = std::fs::read_to_string(dir.join("yarn.lock")).expect("yarn.lock");
    let m = manifests(&dir, &["package.json"]);
    let s = annex_inventory::parse::yarn::lockfile_with_manifests("yarn.lock", &text, &m)
        .expect("parses");
    let mut all = Pairs::new();
    yarn_list_pairs(
        &read_json(&dir.join("yarn-list.json"))["data"]["trees"],
        &mut all,
    );
    let mut prod = Pairs::new();
    yarn_list_pairs(
        &read_json(&dir.join("yarn-list-prod.json"))["data"]["trees"],
        &mut prod,
    );
    assert!(all.len() > 3);
    assert_same("yarn classic all", &ours(&s, &|_| true), &all);
    assert_same(
        "yarn classic non-dev",
        &ours(&s, &|c| c.scope != Scope::Dev),
        &prod,
    );
    let direct: BTreeSet<&str> = s
        .components
        .iter()
        .filter(|c| c.direct)
        .map(|c| c.name.as_str())
        .collect();
    assert_eq!(
        direct,
        BTreeSet::from(["@sindresorhus/is", "chalk", "express", "ms"])
    );
    // Alone, the lockfile knows neither scopes nor direct dependencies.
    let alone = subject(&dir, "yarn.lock");
    assert!(alone.components.iter().all(|c| !c.direct));
    assert_eq!(alone.format, "yarn.lock v1");
}

/// `yarn info --all --recursive --json` (berry): one JSON object per line.
fn yarn_info_pairs(text: &str) -> Pairs {
    text.lines()
        .filter(|l| !l.trim().is_empty())
        .filter_map(|l| {
            let v: Value = serde_json::from_str(l).expect("ndjson");
            let locator = v["value"].as_str()?.to_string();
            let version = v["children"]["Version"].as_str()?.to_string();
            let at = locator[1..].find('@').map(|i| i + 1)?;
            Some((locator[..at].to_string(), version))
        })
        .collect()
}

#[test]
fn yarn_berry_fixtures_match_yarn_info() {
    for (case, files) in [
        ("berry", vec!["package.json"]),
        (
            "berry-workspace",
            vec![
                "package.json",
                "packages/a/package.json",
                "packages/b/package.json",
            ],
        ),
    ] {
        let dir = fixtures().join("yarn").join(case);
        let text = std::fs::read_to_string(dir.join("yarn.lock")).expect("yarn.lock");
        let m = manifests(&dir, &files);
        let s = annex_inventory::parse::yarn::lockfile_with_manifests("yarn.lock", &text, &m)
            .expect("parses");
        let info = std::fs::read_to_string(dir.join("yarn-info.ndjson")).expect("info");
        let mut want = yarn_info_pairs(&info);
        // The root workspace is the subject's root, not a component.
        let root = s.root.as_ref().expect("root");
        want.remove(&(root.name.clone(), root.version.clone()));
        assert_same(&format!("yarn {case}"), &ours(&s, &|_| true), &want);
        assert!(s.format.starts_with("yarn.lock v10"), "{}", s.format);
        // The dev dependency and only it is dev.
        let dev: BTreeSet<&str> = s
            .components
            .iter()
            .filter(|c| c.scope == Scope::Dev)
            .map(|c| c.name.as_str())
            .collect();
        let want_dev: BTreeSet<&str> = if case == "berry" {
            [
                "chalk",
                "ansi-styles",
                "color-convert",
                "color-name",
                "has-flag",
                "supports-color",
            ]
            .into()
        } else {
            ["is-number"].into()
        };
        assert_eq!(dev, want_dev, "{case}");
    }
}

#[test]
fn pnpm_peer_fixtures() {
    check_peer(
        "pnpm",
        &|p| parse_as(p, Some("pnpm-lock.yaml")),
        &identity,
        &[
            (
                "pnpm-lock_with_dev.yaml",
                "trivy leaves development dependencies out by default; we list them with the \
                 dev scope",
            ),
            ("pnpm-lock_many.yaml", "as above (dev dependencies)"),
            ("pnpm-lock_v6_with_dev.yaml", "as above (dev dependencies)"),
            (
                "pnpm-lock_v6.yaml",
                "a peer option test: the expected list is empty",
            ),
            (
                "pnpm-lock_v9.yaml",
                "the workspace importer `subdir` is listed as a workspace package (path \
                 source); trivy lists only registry and file packages",
            ),
            (
                "pnpm-lock_v9_multi_version.yaml",
                "the workspace importers app-a and app-b are listed as workspace packages",
            ),
        ],
    );
}

#[test]
fn bun_peer_fixtures() {
    check_peer("bun", &|p| parse_as(p, Some("bun.lock")), &identity, &[]);
}

#[test]
fn pnpm_fixtures_match_pnpm_list() {
    for (case, files, version) in [
        ("pnpm7", vec!["package.json"], "5.4"),
        ("pnpm8", vec!["package.json"], "6.0"),
        ("pnpm10", vec!["package.json"], "9.0"),
        (
            "workspace",
            vec![
                "package.json",
                "packages/a/package.json",
                "packages/b/package.json",
            ],
            "9.0",
        ),
    ] {
        let dir = fixtures().join("pnpm").join(case);
        let text = std::fs::read_to_string(dir.join("pnpm-lock.yaml")).expect("lock");
        let m = manifests(&dir, &files);
        let s = annex_inventory::parse::pnpm::lockfile_with_manifests("pnpm-lock.yaml", &text, &m)
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(s.format, format!("pnpm-lock.yaml v{version}"));
        let mut all = Pairs::new();
        let mut prod = Pairs::new();
        for project in read_json(&dir.join("pnpm-list.json"))
            .as_array()
            .expect("list")
        {
            for key in ["dependencies", "devDependencies", "optionalDependencies"] {
                tree_pairs(&project[key], &mut all);
            }
        }
        for project in read_json(&dir.join("pnpm-list-prod.json"))
            .as_array()
            .expect("list")
        {
            for key in ["dependencies", "optionalDependencies"] {
                tree_pairs(&project[key], &mut prod);
            }
        }
        // Workspace packages are path components (pnpm lists them as links).
        let registry = |c: &annex_inventory::Component| {
            !matches!(c.source, annex_inventory::Source::Path { .. })
        };
        assert!(all.len() > 3, "{case}");
        assert_same(&format!("pnpm {case} all"), &ours(&s, &registry), &all);
        assert_same(
            &format!("pnpm {case} non-dev"),
            &ours(&s, &|c| registry(c) && c.scope != Scope::Dev),
            &prod,
        );
        if case == "workspace" {
            let ws: Pairs = ours(&s, &|c| !registry(c));
            let want: Pairs = [("@fixture/a", "1.0.0"), ("@fixture/b", "2.0.0")]
                .iter()
                .map(|(n, v)| (n.to_string(), v.to_string()))
                .collect();
            assert_eq!(ws, want);
        }
        assert!(s.edges_complete, "{case}");
        for c in s.components.iter().filter(|c| registry(c)) {
            assert!(c.hashes.iter().any(|h| h.alg == "sha512"), "{case}: {c:?}");
        }
    }
}

/// `bun pm ls --all`: every `name@version` of the tree (workspace entries by name only).
fn bun_ls_pairs(text: &str) -> (Pairs, BTreeSet<String>) {
    let mut pairs = Pairs::new();
    let mut workspaces = BTreeSet::new();
    for line in text.lines().skip(1) {
        let item = line.trim_start_matches(|c: char| !c.is_ascii_alphanumeric() && c != '@');
        let Some(at) = item.get(1..).and_then(|s| s.find('@')).map(|i| i + 1) else {
            continue;
        };
        let (name, version) = (&item[..at], &item[at + 1..]);
        if version.starts_with("workspace:") {
            workspaces.insert(name.to_string());
        } else {
            pairs.insert((name.to_string(), version.to_string()));
        }
    }
    (pairs, workspaces)
}

#[test]
fn bun_fixtures_match_bun_pm_ls() {
    for case in ["basic", "workspace"] {
        let dir = fixtures().join("bun").join(case);
        let s = subject(&dir, "bun.lock");
        let ls = std::fs::read_to_string(dir.join("bun-pm-ls.txt")).expect("ls");
        let (pairs, workspaces) = bun_ls_pairs(&ls);
        let registry = |c: &annex_inventory::Component| {
            !matches!(c.source, annex_inventory::Source::Path { .. })
        };
        assert!(pairs.len() > 3, "{case}");
        assert_same(&format!("bun {case}"), &ours(&s, &registry), &pairs);
        let ws: BTreeSet<String> = s
            .components
            .iter()
            .filter(|c| !registry(c))
            .map(|c| c.name.clone())
            .collect();
        assert_eq!(ws, workspaces, "{case}");
        let dev: BTreeSet<&str> = s
            .components
            .iter()
            .filter(|c| c.scope == Scope::Dev)
            .map(|c| c.name.as_str())
            .collect();
        let want_dev: BTreeSet<&str> = if case == "basic" {
            [
                "chalk",
                "ansi-styles",
                "color-convert",
                "color-name",
                "has-flag",
                "supports-color",
            ]
            .into()
        } else {
            ["is-number"].into()
        };
        assert_eq!(dev, want_dev, "{case}");
        assert!(s.edges_complete, "{case}");
    }
}

#[test]
fn unknown_versions_and_truncation_are_errors_with_positions() {
    use annex_inventory::parse::{ParseError, parse_file};
    let cases: &[(&str, &str, &str)] = &[
        (
            "package-lock.json",
            "{\n  \"lockfileVersion\": 4,\n  \"packages\": {}\n}",
            "package-lock.json:2: unsupported package-lock.json version `4`",
        ),
        (
            "package-lock.json",
            "{\n  \"name\": \"x\"\n}",
            "package-lock.json:0: unsupported package-lock.json version `(missing)`",
        ),
        (
            "package-lock.json",
            "{\n  \"lockfileVersion\": 3,\n  \"packages\": {\n    \"\": {",
            "package-lock.json:4:10: expected `\"` starting a key, found end of file",
        ),
        (
            "pnpm-lock.yaml",
            "lockfileVersion: '10.0'\n",
            "pnpm-lock.yaml:1: unsupported pnpm-lock.yaml version `10.0`",
        ),
        (
            "yarn.lock",
            "__metadata:\n  version: 99\n",
            "yarn.lock:2: unsupported yarn.lock version `99`",
        ),
        (
            "yarn.lock",
            "a@^1:\n  version \"1.0.0\n",
            "yarn.lock:2:11: expected `\"` closing the string",
        ),
        (
            "bun.lock",
            "{\n  \"lockfileVersion\": 9,\n}",
            "bun.lock:2: unsupported bun.lock version `9`",
        ),
        (
            "bun.lockb",
            "\u{0}\u{1}",
            "bun.lockb:0: unsupported bun.lockb version `binary`",
        ),
    ];
    for (name, text, want) in cases {
        let e = parse_file(name, text.as_bytes()).expect_err(name);
        assert_eq!(e.to_string(), *want);
        assert!(!matches!(e, ParseError::Io { .. }));
    }
}

#[test]
fn npm_lines_hashes_and_sources() {
    let dir = fixtures().join("npm/v3");
    let s = subject(&dir, "package-lock.json");
    let text = std::fs::read_to_string(dir.join("package-lock.json")).expect("lock");
    let express = s
        .components
        .iter()
        .find(|c| c.name == "express")
        .expect("express");
    // The line of the `"node_modules/express": {` key.
    let line = text
        .lines()
        .position(|l| l.trim_start().starts_with("\"node_modules/express\""))
        .expect("line") as u64
        + 1;
    assert_eq!(express.location.line, line);
    assert_eq!(express.purl, "pkg:npm/express@4.21.2");
    assert!(express.direct);
    assert_eq!(express.licenses, vec!["MIT".to_string()]);
    let h = &express.hashes[0];
    assert_eq!((h.alg.as_str(), h.value.len()), ("sha512", 128));
    let scoped = s
        .components
        .iter()
        .find(|c| c.name == "@sindresorhus/is")
        .expect("scoped");
    assert_eq!(scoped.purl, "pkg:npm/%40sindresorhus/is@4.6.0");
    assert_eq!(scoped.id, scoped.purl);
    let ms = s
        .components
        .iter()
        .find(|c| c.name == "ms" && c.version == "2.1.3")
        .expect("ms");
    // An optional dependency of the root that `send` also requires: required.
    assert_eq!(ms.scope, Scope::Required);
    assert!(ms.direct);
    // Edges name component ids (or the root's).
    let root = s.root.as_ref().expect("root").id.clone();
    let ids: BTreeSet<&str> = s.components.iter().map(|c| c.id.as_str()).collect();
    for e in &s.edges {
        assert!(e.from == root || ids.contains(e.from.as_str()));
        assert!(ids.contains(e.to.as_str()));
    }
    assert!(s.edges.iter().any(|e| e.from == root && e.to == express.id));
}

/// Issue 16 item 9: positions in a minified (one-line) package-lock cost no more than in a
/// pretty-printed one. Before the fix every value recounted its column from the line
/// start: quadratic on one line (a 5 MB minified lock took 50 s, pretty 0.2 s). Compared as
/// a ratio of the best of three runs, never an absolute time.
#[test]
fn minified_package_lock_parses_in_linear_time() {
    let mut packages = serde_json::Map::new();
    packages.insert(
        String::new(),
        serde_json::json!({ "name": "root", "version": "1.0.0" }),
    );
    for i in 0..6_000 {
        packages.insert(
            format!("node_modules/pkg-{i}"),
            serde_json::json!({
                "version": format!("1.{}.{}", i % 50, i % 7),
                "resolved": format!("https://registry.npmjs.org/pkg-{i}/-/pkg-{i}-1.0.0.tgz"),
                "integrity": "sha512-AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA==",
                "dependencies": { "dep-a": "^1.0.0", "dep-b": "~2.0.0" },
                "dev": i % 3 == 0
            }),
        );
    }
    let doc = serde_json::json!({ "name": "root", "lockfileVersion": 3, "packages": packages });
    let minified = serde_json::to_string(&doc).expect("json");
    let pretty = serde_json::to_string_pretty(&doc).expect("json");
    assert!(minified.len() > 1_000_000 && !minified.contains('\n'));

    let best_of_three = |text: &str| {
        (0..3)
            .map(|_| {
                let t = std::time::Instant::now();
                let s = annex_inventory::parse::npm::package_lock("package-lock.json", text)
                    .expect("parses");
                assert_eq!(s.components.len(), 6_000);
                t.elapsed()
            })
            .min()
            .expect("three runs")
    };
    let pretty_t = best_of_three(&pretty);
    let minified_t = best_of_three(&minified);
    // The minified text is smaller; allow a generous factor for noise on a shared machine.
    assert!(
        minified_t <= pretty_t * 4 + std::time::Duration::from_millis(50),
        "minified {minified_t:?} vs pretty {pretty_t:?}"
    );
}
