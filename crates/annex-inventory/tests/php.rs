//! `composer.lock`: the fixture written by composer itself (`scripts/make-fixtures`),
//! compared with `composer show --locked`, and the peers' fixtures.

use std::collections::BTreeSet;
use std::path::Path;

use annex_inventory::parse::{ParseError, php};
use annex_inventory::{Scope, Source};
use proptest::prelude::*;

mod common;
use common::*;

fn norm(n: &str) -> String {
    n.to_ascii_lowercase()
}

fn fixture(rel: &str) -> String {
    let p = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(rel);
    std::fs::read_to_string(&p).unwrap_or_else(|e| panic!("{}: {e}", p.display()))
}

fn show(rel: &str) -> BTreeSet<(String, String)> {
    let v: serde_json::Value = serde_json::from_str(&fixture(rel)).expect("json");
    v["locked"]
        .as_array()
        .expect("locked")
        .iter()
        .map(|p| {
            (
                norm(p["name"].as_str().unwrap_or("")),
                p["version"].as_str().unwrap_or("").to_string(),
            )
        })
        .collect()
}

#[test]
fn composer_matches_composer_show() {
    let rel = "composer/inline-repo/composer.lock";
    let s = php::composer(rel, &fixture(rel)).expect("parses");
    assert!(
        s.format.starts_with("composer.lock (plugin-api 2."),
        "{}",
        s.format
    );
    let ours: BTreeSet<(String, String)> = s
        .components
        .iter()
        .map(|c| (norm(&c.name), c.version.clone()))
        .collect();
    let all = show("composer/inline-repo/show-locked.json");
    let no_dev = show("composer/inline-repo/show-locked-no-dev.json");
    assert_eq!(ours, all);
    for c in &s.components {
        let want = if no_dev.contains(&(norm(&c.name), c.version.clone())) {
            Scope::Required
        } else {
            Scope::Dev
        };
        assert_eq!(c.scope, want, "{}", c.name);
        assert!(c.purl.starts_with("pkg:composer/"), "{}", c.purl);
        assert!(c.location.line > 1);
        assert!(matches!(c.source, Source::Registry { .. }));
    }
    let guzzle = s
        .components
        .iter()
        .find(|c| c.name == "guzzlehttp/guzzle")
        .expect("guzzle");
    assert_eq!(guzzle.purl, "pkg:composer/guzzlehttp/guzzle@7.8.1");
    assert_eq!(guzzle.hashes.len(), 1);
    assert_eq!(guzzle.hashes[0].alg, "sha1");
    assert_eq!(guzzle.licenses, vec!["MIT".to_string()]);
    let ctype = s
        .components
        .iter()
        .find(|c| c.name == "symfony/polyfill-ctype")
        .expect("ctype");
    assert_eq!(ctype.licenses, vec!["MIT OR GPL-2.0-or-later".to_string()]);
    assert!(
        s.edges
            .iter()
            .any(|e| e.from == guzzle.id && e.to.starts_with("pkg:composer/guzzlehttp/psr7@"))
    );
    assert!(s.edges_complete);
}

#[test]
fn composer_sources_and_errors() {
    let text = r#"{"packages": [
  {"name": "a/git", "version": "dev-main", "source": {"type": "git", "url": "https://example.invalid/a.git", "reference": "0123abc"}},
  {"name": "a/local", "version": "1.0.0", "dist": {"type": "path", "url": "../local"}}
], "packages-dev": null}"#;
    let s = php::composer("composer.lock", text).expect("parses");
    assert!(matches!(&s.components[0].source, Source::Git { rev: Some(r), .. } if r == "0123abc"));
    assert!(matches!(&s.components[1].source, Source::Path { path } if path == "../local"));
    assert_eq!(s.components[1].location.line, 3);
    let e = php::composer("composer.lock", "{\"packages\": [{\"name\": \"a/b\",").unwrap_err();
    assert!(matches!(e, ParseError::Syntax { line: 1, .. }), "{e}");
    assert!(php::composer("composer.lock", "null").is_err());
}

#[test]
fn composer_peers() {
    check("composer/scalibr-composerlock", &plain(php::composer), &[]);
    check("composer/trivy-php-composer", &plain(php::composer), &[]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]
    #[test]
    fn never_panics(s in "\\PC{0,300}", at in 0usize..20_000, len in 0usize..64, junk in "\\PC{0,8}") {
        let _ = php::composer("x", &s);
        let real = fixture("composer/inline-repo/composer.lock");
        let (m, t) = mutate(&real, at, len, &junk);
        let _ = php::composer("x", &m);
        let _ = php::composer("x", &t);
    }
}
