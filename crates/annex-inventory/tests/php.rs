//! `composer.lock`: the fixture written by composer itself (`scripts/make-fixtures`),
//! compared with `composer show --locked`, and the peers' fixtures.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use annex_inventory::parse::{ParseError, php};
use annex_inventory::{Scope, Source, Subject};
use proptest::prelude::*;

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
// ---- peers' fixtures (shared/data/lockfiles): (name, version) sets must equal theirs,
// except the listed disagreements.

fn lockfiles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lockfiles")
}

struct Case {
    name: String,
    base: PathBuf,
    rel: String,
    want_err: bool,
    pkgs: BTreeSet<(String, String)>,
}

/// Both shapes: osv-scalibr's `{ "<file>_test.go": [cases] }` and Trivy's `[cases]`.
fn cases(dir: &str) -> Vec<Case> {
    let base = lockfiles().join(dir);
    let text = std::fs::read_to_string(base.join("expected.json")).expect("expected.json");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    let list: Vec<&serde_json::Value> = match &v {
        serde_json::Value::Array(a) => a.iter().collect(),
        serde_json::Value::Object(m) => m
            .values()
            .flat_map(|x| x.as_array().into_iter().flatten())
            .collect(),
        _ => Vec::new(),
    };
    list.into_iter()
        .filter_map(|c| {
            let path = c.get("path")?.as_str()?;
            Some(Case {
                name: c
                    .get("name")
                    .and_then(|n| n.as_str())
                    .unwrap_or("")
                    .to_string(),
                base: base.clone(),
                rel: path.to_string(),
                want_err: c.get("want_err").and_then(|w| w.as_bool()).unwrap_or(false),
                pkgs: c
                    .get("packages")
                    .and_then(|p| p.as_array())
                    .into_iter()
                    .flatten()
                    .filter_map(|p| {
                        let v = p.get("version")?.as_str()?;
                        let n = p.get("name")?.as_str()?;
                        (!v.is_empty()).then(|| (norm(n), v.to_string()))
                    })
                    .collect(),
            })
        })
        .collect()
}

type PeerParser<'a> = &'a dyn Fn(&Path, &str, &str) -> Result<Subject, ParseError>;

type ParseFn = fn(&str, &str) -> Result<Subject, ParseError>;

fn plain(f: ParseFn) -> impl Fn(&Path, &str, &str) -> Result<Subject, ParseError> {
    move |_, rel, text| f(rel, text)
}

fn check(dir: &str, parse: PeerParser<'_>, known: &[(&str, &str)]) -> usize {
    let mut agree = 0;
    let mut diff = BTreeMap::new();
    let cs = cases(dir);
    assert!(!cs.is_empty(), "no cases in {dir}");
    for c in cs {
        let key = format!("{} ({})", c.name, c.rel);
        let Ok(bytes) = std::fs::read(c.base.join(&c.rel)) else {
            diff.insert(key, "missing file".to_string());
            continue;
        };
        let text = String::from_utf8_lossy(&bytes);
        match (parse(&c.base, &c.rel, &text), c.want_err) {
            (Err(_), true) => agree += 1,
            (Err(e), false) => {
                diff.insert(key, format!("we fail: {e}"));
            }
            (Ok(s), want_err) => {
                let mut got: BTreeSet<(String, String)> = s
                    .components
                    .iter()
                    .map(|c| (norm(&c.name), c.version.clone()))
                    .collect();
                if let Some(r) = &s.root {
                    let r = (norm(&r.name), r.version.clone());
                    if c.pkgs.contains(&r) {
                        got.insert(r);
                    }
                }
                if got == c.pkgs && !want_err {
                    agree += 1;
                } else if want_err && c.pkgs.is_empty() {
                    diff.insert(key, format!("peer fails, we read {} components", got.len()));
                } else {
                    let missing: Vec<_> = c.pkgs.difference(&got).collect();
                    let extra: Vec<_> = got.difference(&c.pkgs).collect();
                    diff.insert(key, format!("missing {missing:?} extra {extra:?}"));
                }
            }
        }
    }
    if std::env::var_os("ANNEX_PEER_DUMP").is_some() {
        println!("{dir}: {agree} agree; {diff:#?}");
        return agree;
    }
    let got: BTreeSet<&str> = diff.keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = known.iter().map(|(k, _)| *k).collect();
    assert_eq!(got, want, "{dir}: disagreements changed: {diff:#?}");
    println!("{dir}: {agree} agree, {} known disagreements", diff.len());
    agree
}

/// Mutations of a real file (a slice replaced by junk, and a truncation) never panic.
fn mutate(text: &str, at: usize, len: usize, junk: &str) -> (String, String) {
    let mut cut = at % (text.len() + 1);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    let mut end = (cut + len).min(text.len());
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    (
        format!("{}{}{}", &text[..cut], junk, &text[end..]),
        text[..cut].to_string(),
    )
}
