//! `Gemfile.lock`: the fixture written by Bundler (`bundle lock --local`,
//! `scripts/make-fixtures`), compared with Bundler's own `LockfileParser` output, and the
//! peers' fixtures.

use std::collections::BTreeSet;
use std::path::Path;

use annex_inventory::Source;
use annex_inventory::parse::{ParseError, ruby};
use proptest::prelude::*;

mod common;
use common::*;

fn norm(n: &str) -> String {
    n.to_string()
}

fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

#[test]
fn gemfile_lock_matches_bundler() {
    let rel = "ruby/sinatra-rspec/Gemfile.lock";
    let s = ruby::gemfile_lock(rel, &fixture(rel)).expect("parses");
    let listing = fixture("ruby/sinatra-rspec/bundler-specs.txt");
    let mut parts = listing.split("--- ");
    let specs: BTreeSet<(String, String)> = parts
        .next()
        .unwrap_or("")
        .lines()
        .filter_map(|l| {
            let mut w = l.split_whitespace();
            Some((w.next()?.to_string(), w.next()?.to_string()))
        })
        .collect();
    let deps: BTreeSet<String> = parts
        .next()
        .unwrap_or("")
        .lines()
        .skip(1)
        .map(|l| l.trim().to_string())
        .filter(|l| !l.is_empty())
        .collect();
    let bundled = parts
        .next()
        .unwrap_or("")
        .trim()
        .trim_start_matches("bundled with ")
        .to_string();
    let ours: BTreeSet<(String, String)> = s
        .components
        .iter()
        .map(|c| (c.name.clone(), c.version.clone()))
        .collect();
    assert_eq!(ours, specs);
    let direct: BTreeSet<String> = s
        .components
        .iter()
        .filter(|c| c.direct)
        .map(|c| c.name.clone())
        .collect();
    assert_eq!(direct, deps);
    assert_eq!(s.format, format!("Gemfile.lock (bundler {bundled})"));
    let local = s
        .components
        .iter()
        .find(|c| c.name == "localgem")
        .expect("localgem");
    assert!(matches!(&local.source, Source::Path { path } if path == "vendor/localgem"));
    assert_eq!(local.location.line, 4);
    let sinatra = s
        .components
        .iter()
        .find(|c| c.name == "sinatra")
        .expect("sinatra");
    assert_eq!(sinatra.purl, "pkg:gem/sinatra@3.0.5");
    for to in ["mustermann", "rack", "rack-protection", "tilt"] {
        assert!(
            s.edges
                .iter()
                .any(|e| e.from == sinatra.id && e.to.starts_with(&format!("pkg:gem/{to}@"))),
            "{to}"
        );
    }
}

#[test]
fn platforms_git_and_checksums() {
    let text = "\
GIT
  remote: https://github.com/hanami/utils.git
  revision: 5904fc9a70683b8749aa2861257d0c8c01eae4aa
  branch: main
  specs:
    hanami-utils (2.0.0.alpha1)
      concurrent-ruby (~> 1.0)

GEM
  remote: https://rubygems.org/
  specs:
    concurrent-ruby (1.1.7)
    nokogiri (1.16.0-x86_64-linux)
      racc (~> 1.4)
    racc (1.7.3)

PLATFORMS
  x86_64-linux

DEPENDENCIES
  hanami-utils!
  nokogiri

CHECKSUMS
  nokogiri (1.16.0-x86_64-linux) sha256=0000000000000000000000000000000000000000000000000000000000000001
  racc (1.7.3) sha256=0000000000000000000000000000000000000000000000000000000000000002

BUNDLED WITH
   2.5.3
";
    let s = ruby::gemfile_lock("Gemfile.lock", text).expect("parses");
    let n = s
        .components
        .iter()
        .find(|c| c.name == "nokogiri")
        .expect("nokogiri");
    assert_eq!(n.version, "1.16.0");
    assert_eq!(n.purl, "pkg:gem/nokogiri@1.16.0?platform=x86_64-linux");
    assert_eq!(n.hashes.len(), 1);
    assert!(n.direct);
    let h = s
        .components
        .iter()
        .find(|c| c.name == "hanami-utils")
        .expect("git gem");
    assert!(matches!(&h.source, Source::Git { rev: Some(r), .. } if r.starts_with("5904fc9")));
    assert_eq!(h.location.line, 6);
    assert_eq!(s.format, "Gemfile.lock (bundler 2.5.3)");
    let e = ruby::gemfile_lock("Gemfile.lock", "GEM\n  specs:\n    broken (1.0\n").unwrap_err();
    assert!(
        matches!(
            e,
            ParseError::Syntax {
                line: 3,
                col: 5,
                ..
            }
        ),
        "{e}"
    );
}

#[test]
fn gemfile_lock_peers() {
    check(
        "rubygems/scalibr-gemfilelock",
        &plain(ruby::gemfile_lock),
        // `invalid-name` with no version in the specs: a syntax error here, skipped there.
        &[(
            "invalid spec (testdata/invalid.lock)",
            "malformed spec line",
        )],
    );
    check(
        "rubygems/trivy-ruby-bundler",
        &plain(ruby::gemfile_lock),
        &[],
    );
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]
    #[test]
    fn never_panics(s in "\\PC{0,300}", at in 0usize..2_000, len in 0usize..64, junk in "\\PC{0,8}") {
        let _ = ruby::gemfile_lock("x", &s);
        let real = fixture("ruby/sinatra-rspec/Gemfile.lock");
        let (m, t) = mutate(&real, at, len, &junk);
        let _ = ruby::gemfile_lock("x", &m);
        let _ = ruby::gemfile_lock("x", &t);
    }
}
