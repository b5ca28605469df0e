//! Shared by the parser tests: the peers' fixtures in shared/data/lockfiles (their
//! expected.json files) and a mutation helper for the robustness property tests.
#![allow(dead_code)]

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use annex_inventory::Subject;
use annex_inventory::parse::ParseError;

// ---- peers' fixtures (shared/data/lockfiles): (name, version) sets must equal theirs,
// except the listed disagreements.

pub fn lockfiles() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lockfiles")
}

pub struct Case {
    name: String,
    base: PathBuf,
    rel: String,
    want_err: bool,
    pkgs: BTreeSet<(String, String)>,
}

/// Both shapes: osv-scalibr's `{ "<file>_test.go": [cases] }` and Trivy's `[cases]`.
pub fn cases(dir: &str) -> Vec<Case> {
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
                        (!v.is_empty()).then(|| (crate::norm(n), v.to_string()))
                    })
                    .collect(),
            })
        })
        .collect()
}

pub type PeerParser<'a> = &'a dyn Fn(&Path, &str, &str) -> Result<Subject, ParseError>;

pub type ParseFn = fn(&str, &str) -> Result<Subject, ParseError>;

pub fn plain(f: ParseFn) -> impl Fn(&Path, &str, &str) -> Result<Subject, ParseError> {
    move |_, rel, text| f(rel, text)
}

pub fn check(dir: &str, parse: PeerParser<'_>, known: &[(&str, &str)]) -> usize {
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
                    .map(|c| (crate::norm(&c.name), c.version.clone()))
                    .collect();
                if let Some(r) = &s.root {
                    let r = (crate::norm(&r.name), r.version.clone());
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
pub fn mutate(text: &str, at: usize, len: usize, junk: &str) -> (String, String) {
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

/// Agreement when our required components (and the root) are all in the peer's list.
pub fn check_subset(dir: &str, parse: PeerParser<'_>, known: &[(&str, &str)]) -> (usize, usize) {
    let (mut exact, mut subset) = (0, 0);
    let mut diff = BTreeMap::new();
    for c in cases(dir) {
        let key = format!("{} ({})", c.name, c.rel);
        let text = std::fs::read_to_string(c.base.join(&c.rel)).unwrap_or_default();
        let Ok(s) = parse(&c.base, &c.rel, &text) else {
            if c.want_err {
                exact += 1;
            } else {
                diff.insert(key, "we fail".to_string());
            }
            continue;
        };
        if c.want_err {
            subset += 1; // the peer fails on a remote repository error; we need none
            continue;
        }
        let mut ours: BTreeSet<(String, String)> = s
            .components
            .iter()
            .filter(|x| x.scope == annex_inventory::Scope::Required)
            .map(|x| (x.name.clone(), x.version.clone()))
            .collect();
        ours.extend(
            s.root
                .iter()
                .filter(|r| !r.version.is_empty())
                .map(|r| (r.name.clone(), r.version.clone())),
        );
        if ours == c.pkgs {
            exact += 1;
        } else if ours.is_subset(&c.pkgs) {
            subset += 1;
        } else {
            diff.insert(
                key,
                format!(
                    "not in the peer's list: {:?}",
                    ours.difference(&c.pkgs).collect::<Vec<_>>()
                ),
            );
        }
    }
    let got: BTreeSet<&str> = diff.keys().map(String::as_str).collect();
    let want: BTreeSet<&str> = known.iter().map(|(k, _)| *k).collect();
    assert_eq!(got, want, "{dir}: disagreements changed: {diff:#?}");
    (exact, subset)
}
