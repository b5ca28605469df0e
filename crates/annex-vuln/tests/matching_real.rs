//! Matching against the real advisory sets, and agreement with osv.dev's answers recorded by
//! osv-scanner (shared/data/matching), restricted to the advisories present locally.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use annex_vuln::db::Db;
use annex_vuln::matching::{Finding, MatchKind, Query, match_packages};

fn shared(rel: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../../shared/data")
        .join(rel)
}

/// One database with RustSec, Go and PyPA, built once for all tests of this file.
fn db() -> &'static Db {
    static DB: OnceLock<(tempfile::TempDir, Db)> = OnceLock::new();
    &DB.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        let mut db = Db::open_or_create(dir.path()).unwrap();
        db.import(&[shared("osv/rustsec"), shared("osv/go"), shared("osv/pypa")])
            .unwrap();
        (dir, db)
    })
    .1
}

fn find(eco: &str, name: &str, version: &str) -> Vec<Finding> {
    match_packages(db(), &[Query::new(eco, name, version)]).unwrap()
}

fn ids(fs: &[Finding]) -> BTreeSet<String> {
    fs.iter()
        .flat_map(|f| std::iter::once(f.id.clone()).chain(f.aliases.iter().cloned()))
        .collect()
}

fn finding<'a>(fs: &'a [Finding], id: &str) -> Option<&'a Finding> {
    fs.iter().find(|f| f.id == id)
}

#[test]
fn rustsec_lz4_flex() {
    let fs = find("crates.io", "lz4_flex", "0.11.5");
    let f = finding(&fs, "RUSTSEC-2026-0041").expect("lz4_flex 0.11.5 is affected");
    assert_eq!(f.aliases, ["GHSA-vvp9-7p8x-rfvv", "CVE-2026-32829"]);
    assert_eq!(f.fixed, ["0.11.6", "0.12.1"]);
    assert_eq!(f.nearest_fix.as_deref(), Some("0.11.6"));
    let sev = f.severity.as_ref().unwrap();
    assert_eq!(sev.score, Some(8.2));
    assert!(f.matched[0].explanation.contains("SEMVER"));
    assert!(
        finding(
            &find("crates.io", "lz4_flex", "0.11.6"),
            "RUSTSEC-2026-0041"
        )
        .is_none()
    );
    let f2 = find("crates.io", "lz4-flex", "0.12.0");
    assert_eq!(
        finding(&f2, "RUSTSEC-2026-0041")
            .unwrap()
            .nearest_fix
            .as_deref(),
        Some("0.12.1")
    );
    assert!(
        finding(
            &find("crates.io", "lz4_flex", "0.12.1"),
            "RUSTSEC-2026-0041"
        )
        .is_none()
    );
    // The same name elsewhere never matches.
    assert!(find("npm", "lz4_flex", "0.11.5").is_empty());
    assert!(find("PyPI", "lz4_flex", "0.11.5").is_empty());
}

#[test]
fn rustsec_withdrawn_never_matches() {
    // RUSTSEC-2020-0055 (libpulse-binding) was withdrawn; its range still covers everything.
    let fs = find("crates.io", "libpulse-binding", "1.0.0");
    assert!(!ids(&fs).contains("RUSTSEC-2020-0055"), "{fs:#?}");
}

#[test]
fn pypa_version_lists_and_git_notes() {
    // PYSEC-2023-121: zstd, `introduced: 0` without a fix, plus a versions list.
    let fs = find("PyPI", "ZSTD", "1.5.5.1");
    let f = finding(&fs, "PYSEC-2023-121").unwrap();
    assert!(f.matched.iter().any(|m| m.kind == MatchKind::Version));
    assert!(f.matched.iter().any(|m| m.kind == MatchKind::Range));
    assert_eq!(f.aliases, ["CVE-2022-4899"]);
    assert_eq!(f.nearest_fix, None);

    // PYSEC-2021-424: matrix-synapse fixed in 1.41.1; its GIT range is not evaluated.
    let fs = find("PyPI", "matrix_synapse", "1.41.0");
    let f = finding(&fs, "PYSEC-2021-424").unwrap();
    assert!(
        f.matched
            .iter()
            .all(|m| m.notes.iter().any(|n| n.contains("GIT range")))
    );
    assert!(f.fixed.contains(&"1.41.1".to_string()));
    assert!(!ids(&find("PyPI", "matrix-synapse", "1.41.1")).contains("PYSEC-2021-424"));
}

#[test]
fn go_stdlib_and_modules() {
    let fs = find("Go", "stdlib", "1.18.1");
    assert!(ids(&fs).contains("GO-2022-0477"), "{:?}", ids(&fs));
    // Go versions with the `v` prefix, as go.mod writes them.
    let with_v = ids(&find("Go", "stdlib", "v1.18.1"));
    assert_eq!(with_v, ids(&fs));
    // Toolchain spelling.
    assert_eq!(ids(&find("Go", "stdlib", "go1.18.1")), ids(&fs));
    // Not a version: nothing can be placed in a range.
    assert!(find("Go", "stdlib", "(devel)").is_empty());
    // Pseudo-versions are pre-releases of the next patch: v0.0.0-2020… precedes every release.
    let old = find(
        "Go",
        "golang.org/x/crypto",
        "v0.0.0-20200622213623-75b288015ac9",
    );
    assert!(!old.is_empty());
}

#[derive(Default, Debug)]
struct Agreement {
    queries: usize,
    queries_with_local_expectation: usize,
    expected_local: usize,
    found: usize,
    missing: Vec<String>,
    withdrawn_locally: usize,
    extra: Vec<String>,
}

/// osv.dev's answers (recorded by osv-scanner) for Go, PyPI and crates.io packages: every
/// advisory it returned that exists in our local snapshot must be among our findings.
#[test]
fn osv_dev_oracle_agreement() {
    let text =
        std::fs::read_to_string(shared("matching/osv-scanner-cassette-queries.jsonl")).unwrap();
    let mut answers: BTreeMap<(String, String, String), BTreeSet<String>> = BTreeMap::new();
    for line in text.lines() {
        let v: serde_json::Value = serde_json::from_str(line).unwrap();
        let q = &v["query"];
        let (Some(eco), Some(name), Some(version)) = (
            q["package"]["ecosystem"].as_str(),
            q["package"]["name"].as_str(),
            q["version"].as_str(),
        ) else {
            continue;
        };
        if !matches!(eco, "Go" | "PyPI" | "crates.io") {
            continue;
        }
        let returned = v["vulns"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|x| x["id"].as_str().map(str::to_string));
        answers
            .entry((eco.into(), name.into(), version.into()))
            .or_default()
            .extend(returned);
    }
    let db = db();
    let mut a = Agreement::default();
    let mut per_eco: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    for ((eco, name, version), returned) in &answers {
        a.queries += 1;
        let fs = match_packages(db, &[Query::new(eco, name, version)]).unwrap();
        let found = ids(&fs);
        let mut expected = BTreeSet::new();
        let mut returned_and_aliases: BTreeSet<String> = returned.clone();
        for id in returned {
            if let Some(adv) = db.get(id).unwrap() {
                returned_and_aliases.extend(adv.aliases.iter().cloned());
                if adv.is_withdrawn() {
                    a.withdrawn_locally += 1;
                } else {
                    expected.insert(id.clone());
                }
            }
        }
        if !expected.is_empty() {
            a.queries_with_local_expectation += 1;
        }
        let e = per_eco.entry(eco.clone()).or_default();
        for id in &expected {
            a.expected_local += 1;
            e.0 += 1;
            if found.contains(id) {
                a.found += 1;
                e.1 += 1;
            } else {
                a.missing.push(format!("{eco} {name}@{version}: {id}"));
            }
        }
        for f in &fs {
            let mine: BTreeSet<&String> = f.matched.iter().map(|m| &m.advisory).collect();
            for id in mine {
                if !returned_and_aliases.contains(id) {
                    a.extra.push(format!("{eco} {name}@{version}: {id}"));
                }
            }
        }
    }
    eprintln!(
        "oracle: {} distinct queries, {} with local expectations; {} of {} locally known osv.dev \
         answers found ({} withdrawn locally); per ecosystem {per_eco:?}; {} extra findings \
         osv.dev did not return",
        a.queries,
        a.queries_with_local_expectation,
        a.found,
        a.expected_local,
        a.withdrawn_locally,
        a.extra.len()
    );
    for m in &a.missing {
        eprintln!("  missing {m}");
    }
    for x in a.extra.iter().take(40) {
        eprintln!("  extra {x}");
    }
    assert!(a.expected_local > 100, "{a:?}");
    assert!(a.missing.is_empty(), "{:#?}", a.missing);
}
