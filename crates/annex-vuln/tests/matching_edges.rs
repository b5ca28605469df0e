//! Matching semantics on hand-made advisories, one edge per test.

use annex_inventory::{Component, Inventory, Location, Scope, Source, Subject};
use annex_vuln::db::Db;
use annex_vuln::matching::{
    Finding, MatchKind, Query, is_affected, match_inventory, match_packages, match_query,
};
use annex_vuln::osv::{Advisory, Event};
use serde_json::json;

fn adv(v: serde_json::Value) -> Advisory {
    let a: Advisory = serde_json::from_value(v).unwrap();
    a.validate().unwrap();
    a
}

fn ranged(id: &str, eco: &str, name: &str, kind: &str, events: serde_json::Value) -> Advisory {
    adv(json!({
        "id": id, "modified": "2024-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": eco, "name": name},
                      "ranges": [{"type": kind, "events": events}]}]
    }))
}

fn hits(advs: &[Advisory], eco: &str, name: &str, version: &str) -> Vec<Finding> {
    match_query(advs, &Query::new(eco, name, version))
}

fn affected(a: &Advisory, version: &str) -> bool {
    let p = a.affected[0].package.as_ref().unwrap();
    let r = is_affected(a, &p.ecosystem, &p.name, version);
    assert_eq!(
        r,
        !hits(std::slice::from_ref(a), &p.ecosystem, &p.name, version).is_empty()
    );
    r
}

#[test]
fn introduced_zero_and_fixed() {
    let a = ranged(
        "GHSA-1",
        "npm",
        "left-pad",
        "SEMVER",
        json!([{"introduced": "0"}, {"fixed": "1.2.3"}]),
    );
    assert!(affected(&a, "0.0.1"));
    assert!(affected(&a, "0.0.0"));
    assert!(affected(&a, "1.2.2"));
    assert!(affected(&a, "1.2.3-rc.1"));
    assert!(!affected(&a, "1.2.3"));
    assert!(!affected(&a, "2.0.0"));
    let f = &hits(&[a], "npm", "left-pad", "1.0.0")[0];
    assert_eq!(f.fixed, ["1.2.3"]);
    assert_eq!(f.nearest_fix.as_deref(), Some("1.2.3"));
    let m = &f.matched[0];
    assert_eq!(m.kind, MatchKind::Range);
    assert_eq!(m.introduced.as_deref(), Some("0"));
    assert_eq!(m.until, Some(Event::Fixed("1.2.3".into())));
    assert!(
        m.explanation
            .contains("1.0.0 lies in SEMVER range [the first version, fixed 1.2.3)"),
        "{}",
        m.explanation
    );
}

#[test]
fn last_affected_is_inclusive() {
    let a = ranged(
        "GHSA-2",
        "npm",
        "a",
        "SEMVER",
        json!([{"introduced": "1.0.0"}, {"last_affected": "1.4.0"}]),
    );
    assert!(!affected(&a, "0.9.0"));
    assert!(affected(&a, "1.0.0"));
    assert!(affected(&a, "1.4.0"));
    assert!(!affected(&a, "1.4.1"));
    assert!(!affected(&a, "1.4.1-alpha"));
    let f = &hits(&[a], "npm", "a", "1.4.0")[0];
    assert!(f.fixed.is_empty());
    assert_eq!(f.nearest_fix, None);
    assert_eq!(
        f.matched[0].until,
        Some(Event::LastAffected("1.4.0".into()))
    );
    // The explanation writes the inclusive bound as such.
    assert_eq!(
        f.matched[0].explanation,
        "1.4.0 lies in SEMVER range [introduced 1.0.0, last affected 1.4.0] (SemVer ordering)"
    );
}

#[test]
fn limit_caps_the_range() {
    let a = ranged(
        "GHSA-3",
        "npm",
        "a",
        "SEMVER",
        json!([{"introduced": "0"}, {"limit": "2.0.0"}]),
    );
    assert!(affected(&a, "1.9.9"));
    assert!(!affected(&a, "2.0.0"));
    assert!(!affected(&a, "3.0.0"));
    let b = ranged(
        "GHSA-4",
        "npm",
        "a",
        "SEMVER",
        json!([{"introduced": "1.0.0"}, {"limit": "*"}]),
    );
    assert!(affected(&b, "99.0.0"));
    assert!(!affected(&b, "0.9.0"));
    // Several limits: below any of them.
    let c = ranged(
        "GHSA-5",
        "npm",
        "a",
        "SEMVER",
        json!([{"introduced": "0"}, {"limit": "1.5.0"}, {"limit": "3.0.0"}]),
    );
    assert!(affected(&c, "2.0.0"));
    assert!(!affected(&c, "3.0.0"));
}

#[test]
fn withdrawn_never_matches() {
    let mut a = ranged("GHSA-6", "npm", "a", "SEMVER", json!([{"introduced": "0"}]));
    assert!(!hits(std::slice::from_ref(&a), "npm", "a", "1.0.0").is_empty());
    a.withdrawn = Some("2024-02-01T00:00:00Z".into());
    assert!(hits(&[a], "npm", "a", "1.0.0").is_empty());
}

#[test]
fn versions_list() {
    let a = adv(json!({
        "id": "PYSEC-1", "modified": "2024-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "Foo_Bar"},
                      "versions": ["1.0", "1.1.post1", "2.0rc1"]}]
    }));
    assert!(affected(&a, "1.1.post1"));
    assert!(affected(&a, "2.0rc1"));
    assert!(!affected(&a, "1.1"));
    assert!(!affected(&a, "2.0"));
    // PEP 440 equality: 1.0 == 1.0.0.
    assert!(affected(&a, "1.0.0"));
    // PEP 503 names.
    let f = &hits(std::slice::from_ref(&a), "pypi", "foo.bar", "1.0")[0];
    assert_eq!(f.matched[0].kind, MatchKind::Version);
    assert_eq!(f.matched[0].version.as_deref(), Some("1.0"));
    assert_eq!(f.package.name, "foo.bar");
}

#[test]
fn same_name_in_another_ecosystem_never_matches() {
    let a = ranged(
        "GHSA-7",
        "npm",
        "requests",
        "SEMVER",
        json!([{"introduced": "0"}]),
    );
    assert!(hits(std::slice::from_ref(&a), "PyPI", "requests", "1.0.0").is_empty());
    assert!(hits(std::slice::from_ref(&a), "crates.io", "requests", "1.0.0").is_empty());
    assert_eq!(hits(&[a], "npm", "requests", "1.0.0").len(), 1);
    // Case matters in npm and Go, not in crates.io.
    let b = ranged(
        "RUSTSEC-2024-0001",
        "crates.io",
        "foo_bar",
        "SEMVER",
        json!([{"introduced": "0"}]),
    );
    assert_eq!(
        hits(std::slice::from_ref(&b), "crates.io", "Foo-Bar", "1.0.0").len(),
        1
    );
    let c = ranged(
        "GO-1",
        "Go",
        "github.com/A/b",
        "SEMVER",
        json!([{"introduced": "0"}]),
    );
    assert!(hits(std::slice::from_ref(&c), "Go", "github.com/a/b", "1.0.0").is_empty());
}

#[test]
fn release_suffixes() {
    let a = adv(json!({
        "id": "DSA-1", "modified": "2024-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "Debian:11", "name": "openssl"},
                      "versions": ["1.1.1n-0+deb11u3"]}]
    }));
    let all = std::slice::from_ref(&a);
    assert_eq!(
        hits(all, "Debian:11", "openssl", "1.1.1n-0+deb11u3").len(),
        1
    );
    assert_eq!(hits(all, "Debian", "openssl", "1.1.1n-0+deb11u3").len(), 1);
    assert!(hits(all, "Debian:12", "openssl", "1.1.1n-0+deb11u3").is_empty());
    assert!(hits(all, "Ubuntu:22.04", "openssl", "1.1.1n-0+deb11u3").is_empty());
}

#[test]
fn pre_releases_follow_semver_precedence() {
    let a = ranged(
        "GHSA-8",
        "npm",
        "a",
        "SEMVER",
        json!([{"introduced": "1.0.0"}, {"fixed": "1.2.0"}]),
    );
    assert!(!affected(&a, "1.0.0-beta.2"));
    assert!(affected(&a, "1.2.0-rc.1"));
    assert!(affected(&a, "1.1.9+build.5"));
    assert!(!affected(&a, "1.2.0+build.1"));
    // RustSec's lower bound 0.0.0-0 includes every pre-release.
    let b = ranged(
        "RUSTSEC-2024-0002",
        "crates.io",
        "b",
        "SEMVER",
        json!([{"introduced": "0.0.0-0"}, {"fixed": "0.3.0"}]),
    );
    assert!(affected(&b, "0.0.0-alpha"));
    assert!(affected(&b, "0.3.0-0"));
    assert!(!affected(&b, "0.3.0"));
    // A leading `v` and short versions are read leniently.
    assert!(affected(&b, "v0.2"));
}

#[test]
fn several_ranges_and_unsorted_events() {
    let a = ranged(
        "GHSA-9",
        "npm",
        "a",
        "SEMVER",
        json!([{"fixed": "2.5.0"}, {"introduced": "2.0.0"}, {"fixed": "1.5.0"}, {"introduced": "1.0.0"}]),
    );
    assert!(!affected(&a, "0.5.0"));
    assert!(affected(&a, "1.2.0"));
    assert!(!affected(&a, "1.7.0"));
    assert!(affected(&a, "2.2.0"));
    assert!(!affected(&a, "2.5.0"));
    let f = &hits(std::slice::from_ref(&a), "npm", "a", "2.2.0")[0];
    assert_eq!(f.matched[0].introduced.as_deref(), Some("2.0.0"));
    assert_eq!(f.matched[0].until, Some(Event::Fixed("2.5.0".into())));
    assert_eq!(f.fixed, ["1.5.0", "2.5.0"]);
    assert_eq!(f.nearest_fix.as_deref(), Some("2.5.0"));
    let f = &hits(&[a], "npm", "a", "1.2.0")[0];
    assert_eq!(f.nearest_fix.as_deref(), Some("1.5.0"));

    // Two separate range objects in one affected entry, and two affected entries.
    let b = adv(json!({
        "id": "GHSA-10", "modified": "2024-01-01T00:00:00Z",
        "affected": [
            {"package": {"ecosystem": "npm", "name": "a"},
             "ranges": [{"type": "SEMVER", "events": [{"introduced": "1.0.0"}, {"fixed": "1.1.0"}]},
                        {"type": "SEMVER", "events": [{"introduced": "3.0.0"}, {"fixed": "3.1.0"}]}]},
            {"package": {"ecosystem": "npm", "name": "a"},
             "ranges": [{"type": "SEMVER", "events": [{"introduced": "5.0.0"}, {"fixed": "5.0.1"}]}]}
        ]
    }));
    assert!(affected(&b, "1.0.5"));
    assert!(affected(&b, "3.0.5"));
    assert!(affected(&b, "5.0.0"));
    assert!(!affected(&b, "2.0.0"));
    let f = &hits(&[b], "npm", "a", "3.0.5")[0];
    assert_eq!(f.matched.len(), 1);
    assert_eq!(f.matched[0].introduced.as_deref(), Some("3.0.0"));
}

#[test]
fn ecosystem_ranges_use_the_ecosystem_ordering() {
    let a = ranged(
        "PYSEC-2",
        "PyPI",
        "django",
        "ECOSYSTEM",
        json!([{"introduced": "0"}, {"fixed": "2.0"}]),
    );
    assert!(affected(&a, "1.11.29"));
    assert!(affected(&a, "2.0rc1"));
    assert!(!affected(&a, "2.0.0"));
    assert!(!affected(&a, "10.0"));
    let f = &hits(&[a], "PyPI", "Django", "1.9")[0];
    assert!(
        f.matched[0].explanation.contains("ECOSYSTEM"),
        "{:?}",
        f.matched[0]
    );
}

#[test]
fn git_ranges_are_not_evaluated_and_say_so() {
    let git_only = adv(json!({
        "id": "OSV-1", "modified": "2024-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "a"},
                      "ranges": [{"type": "GIT", "repo": "https://github.com/x/a",
                                  "events": [{"introduced": "0"}, {"fixed": "0123456789012345678901234567890123456789"}]}]}]
    }));
    assert!(hits(&[git_only], "PyPI", "a", "1.0").is_empty());
    let mixed = adv(json!({
        "id": "OSV-2", "modified": "2024-01-01T00:00:00Z",
        "affected": [{"package": {"ecosystem": "PyPI", "name": "a"},
                      "ranges": [{"type": "GIT", "repo": "https://github.com/x/a",
                                  "events": [{"introduced": "0"}]}],
                      "versions": ["1.0"]}]
    }));
    let f = &hits(&[mixed], "PyPI", "a", "1.0")[0];
    assert!(
        f.matched[0].notes[0].contains("GIT range(s) (https://github.com/x/a)")
            && f.matched[0].notes[0].contains("not evaluated"),
        "{:?}",
        f.matched[0].notes
    );
}

#[test]
fn unparseable_versions_do_not_match_ranges() {
    let a = ranged(
        "GHSA-11",
        "npm",
        "a",
        "SEMVER",
        json!([{"introduced": "0"}, {"fixed": "not a version"}]),
    );
    // The unparseable `fixed` is ignored (noted), so the range stays open.
    let f = &hits(std::slice::from_ref(&a), "npm", "a", "5.0.0")[0];
    assert!(
        f.matched[0].notes.iter().any(|n| n.contains("ignored")),
        "{f:?}"
    );
    // An unparseable installed version cannot be placed in a range.
    assert!(hits(&[a], "npm", "a", "latest").is_empty());
}

#[test]
fn aliases_become_one_finding_with_the_home_id_first() {
    let rustsec = adv(json!({
        "id": "RUSTSEC-2024-0100", "modified": "2024-01-01T00:00:00Z",
        "aliases": ["GHSA-aaaa-bbbb-cccc", "CVE-2024-1000"],
        "summary": "From RustSec",
        "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"}],
        "affected": [{"package": {"ecosystem": "crates.io", "name": "a"},
                      "ranges": [{"type": "SEMVER", "events": [{"introduced": "0.0.0-0"}, {"fixed": "1.2.4"}]}]}]
    }));
    let ghsa = adv(json!({
        "id": "GHSA-aaaa-bbbb-cccc", "modified": "2024-01-01T00:00:00Z",
        "aliases": ["CVE-2024-1000"],
        "summary": "From GitHub",
        "severity": [{"type": "CVSS_V4", "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N"}],
        "affected": [{"package": {"ecosystem": "crates.io", "name": "a"},
                      "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0"}, {"fixed": "1.2.5"}]}]}]
    }));
    let unrelated = ranged(
        "RUSTSEC-2024-0200",
        "crates.io",
        "a",
        "SEMVER",
        json!([{"introduced": "0"}]),
    );
    let advs = [ghsa.clone(), unrelated, rustsec.clone()];
    let fs = hits(&advs, "crates.io", "a", "1.0.0");
    assert_eq!(fs.len(), 2, "{fs:#?}");
    let f = &fs[0];
    assert_eq!(f.id, "RUSTSEC-2024-0100");
    assert_eq!(f.aliases, ["GHSA-aaaa-bbbb-cccc", "CVE-2024-1000"]);
    assert_eq!(f.matched.len(), 2);
    assert_eq!(f.summary.as_deref(), Some("From RustSec"));
    // The primary advisory's severity, scored.
    let sev = f.severity.as_ref().unwrap();
    assert_eq!(
        (sev.advisory.as_str(), sev.score),
        ("RUSTSEC-2024-0100", Some(9.8))
    );
    assert_eq!(f.severities.len(), 2);
    assert_eq!(f.severities[1].score, Some(9.3));
    // Fixes from both; the nearest fix satisfies both advisories.
    assert_eq!(f.fixed, ["1.2.4", "1.2.5"]);
    assert_eq!(f.nearest_fix.as_deref(), Some("1.2.5"));
    assert_eq!(fs[1].id, "RUSTSEC-2024-0200");
    assert_eq!(fs[1].nearest_fix, None);

    // In npm, GHSA comes first; CVE ids always last.
    let g = ranged(
        "GHSA-zzzz",
        "npm",
        "b",
        "SEMVER",
        json!([{"introduced": "0"}]),
    );
    let mut o = ranged(
        "OSV-2024-1",
        "npm",
        "b",
        "SEMVER",
        json!([{"introduced": "0"}]),
    );
    o.aliases = vec!["CVE-2024-9".into(), "GHSA-zzzz".into()];
    let fs = hits(&[o, g], "npm", "b", "1.0.0");
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].id, "GHSA-zzzz");
    assert_eq!(fs[0].aliases, ["OSV-2024-1", "CVE-2024-9"]);

    // Sharing only a CVE alias is enough: PYSEC and GHSA for the same CVE.
    let p = {
        let mut p = ranged(
            "PYSEC-2024-1",
            "PyPI",
            "c",
            "ECOSYSTEM",
            json!([{"introduced": "0"}]),
        );
        p.aliases = vec!["CVE-2024-5".into()];
        p
    };
    let q = {
        let mut q = ranged(
            "GHSA-cccc",
            "PyPI",
            "c",
            "ECOSYSTEM",
            json!([{"introduced": "0"}]),
        );
        q.aliases = vec!["CVE-2024-5".into()];
        q
    };
    let fs = hits(&[q, p], "PyPI", "c", "1.0");
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].id, "PYSEC-2024-1");
    assert_eq!(fs[0].aliases, ["GHSA-cccc", "CVE-2024-5"]);
}

#[test]
fn through_the_database_and_an_inventory() {
    let src = tempfile::tempdir().unwrap();
    let dbdir = tempfile::tempdir().unwrap();
    let a = ranged(
        "RUSTSEC-2024-0300",
        "crates.io",
        "smallvec",
        "SEMVER",
        json!([{"introduced": "0.6.3"}, {"fixed": "0.6.10"}]),
    );
    std::fs::write(src.path().join("a.json"), serde_json::to_vec(&a).unwrap()).unwrap();
    let mut db = Db::open_or_create(dbdir.path()).unwrap();
    db.import(&[src.path()]).unwrap();

    let q = Query {
        ecosystem: "crates.io".into(),
        name: "smallvec".into(),
        version: "0.6.9".into(),
        purl: Some("pkg:cargo/smallvec@0.6.9".into()),
        scope: Some(Scope::Required),
        source: Some(Location {
            path: "Cargo.lock".into(),
            line: 42,
        }),
        name_only: false,
    };
    let fs = match_packages(
        &db,
        &[q.clone(), Query::new("crates.io", "smallvec", "1.0.0")],
    )
    .unwrap();
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].package.source.as_ref().unwrap().line, 42);
    assert_eq!(
        fs[0].package.purl.as_deref(),
        Some("pkg:cargo/smallvec@0.6.9")
    );

    let component = |version: &str, line: u64| Component {
        id: format!("pkg:cargo/smallvec@{version}"),
        ecosystem: "crates.io".into(),
        name: "smallvec".into(),
        version: version.into(),
        purl: format!("pkg:cargo/smallvec@{version}"),
        scope: Scope::Dev,
        direct: true,
        hashes: vec![],
        licenses: vec![],
        source: Source::Registry { url: None },
        location: Location {
            path: "Cargo.lock".into(),
            line,
        },
    };
    let inventory = Inventory {
        schema: "annex/inventory/v1".into(),
        subjects: vec![Subject {
            path: "Cargo.lock".into(),
            ecosystem: "crates.io".into(),
            format: "Cargo.lock v4".into(),
            root: None,
            components: vec![component("0.6.5", 10), component("1.13.2", 20)],
            edges: vec![],
            edges_complete: false,
            unresolved: vec![],
        }],
    };
    let fs = match_inventory(&db, &inventory).unwrap();
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].package.version, "0.6.5");
    assert_eq!(fs[0].package.scope, Some(Scope::Dev));
    assert_eq!(fs[0].package.source.as_ref().unwrap().line, 10);
    // Findings are serialisable for `annex vulns --format json`.
    let v = serde_json::to_value(&fs[0]).unwrap();
    assert_eq!(v["matched"][0]["kind"], "range");
    assert_eq!(v["matched"][0]["events"][0]["introduced"], "0.6.3");
}

#[test]
fn findings_say_what_kind_of_advisory_matched() {
    use annex_vuln::matching::FindingKind;
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/kinds");
    let advs: Vec<Advisory> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| adv(serde_json::from_slice(&std::fs::read(e.unwrap().path()).unwrap()).unwrap()))
        .collect();
    let kind = |eco: &str, name: &str, version: &str| -> Vec<(String, FindingKind)> {
        hits(&advs, eco, name, version)
            .into_iter()
            .map(|f| (f.id, f.kind))
            .collect()
    };
    assert_eq!(
        kind("crates.io", "smallvec", "0.6.10"),
        [("RUSTSEC-2018-0018".to_string(), FindingKind::Unsound)]
    );
    assert_eq!(
        kind("crates.io", "rust-crypto", "0.2.36"),
        [("RUSTSEC-2016-0005".to_string(), FindingKind::Unmaintained)]
    );
    assert_eq!(
        kind("crates.io", "lz4_flex", "0.11.5"),
        [("RUSTSEC-2026-0041".to_string(), FindingKind::Vulnerability)]
    );
    assert_eq!(
        kind("npm", "evil-pkg", "1.0.0"),
        [("MAL-2025-0001".to_string(), FindingKind::Malicious)]
    );
    // Serialised as a kebab-case word.
    let f = &hits(&advs, "crates.io", "rust-crypto", "0.2.36")[0];
    assert_eq!(serde_json::to_value(f).unwrap()["kind"], "unmaintained");
}

#[test]
fn local_packages_are_not_looked_up_and_git_ones_match_by_name_only() {
    let fixtures = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    let text = std::fs::read_to_string(fixtures.join("sources/Cargo.lock")).unwrap();
    let subject = annex_inventory::parse::cargo::lockfile("Cargo.lock", &text).unwrap();
    let inv = Inventory {
        schema: annex_inventory::INVENTORY_SCHEMA.to_string(),
        subjects: vec![subject],
    };
    let src = tempfile::tempdir().unwrap();
    for f in ["RUSTSEC-2018-0018.json", "RUSTSEC-2026-0041.json"] {
        std::fs::copy(fixtures.join("kinds").join(f), src.path().join(f)).unwrap();
    }
    let dbdir = tempfile::tempdir().unwrap();
    let mut db = Db::open_or_create(dbdir.path()).unwrap();
    db.import(&[src.path()]).unwrap();
    let mut found: Vec<(String, String, bool)> = match_inventory(&db, &inv)
        .unwrap()
        .into_iter()
        .map(|f| (f.package.name, f.id, f.package.name_only))
        .collect();
    found.sort();
    // The path crate lz4_flex is the workspace's own code: no RUSTSEC-2026-0041. The git
    // fork of smallvec matches by name only; the registry one fully.
    assert_eq!(
        found,
        [
            (
                "smallvec".to_string(),
                "RUSTSEC-2018-0018".to_string(),
                false
            ),
            (
                "smallvec".to_string(),
                "RUSTSEC-2018-0018".to_string(),
                true
            ),
        ]
    );
}
