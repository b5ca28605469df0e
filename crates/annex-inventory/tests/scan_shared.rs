//! Helpers shared by the parser tests (included with `#[path = "scan_shared.rs"] mod shared;`):
//! running the parsers on the peers' fixtures in `shared/data/lockfiles/<eco>/<case>/` and
//! comparing (name, version) sets with the peers' `expected.json`.
#![allow(dead_code)]

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};

use annex_inventory::Subject;
use annex_inventory::parse::ParseError;
use serde_json::Value;

pub fn shared_lockfiles() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/lockfiles")
}

pub fn fixtures() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// One peer test case.
#[derive(Debug, Clone)]
pub struct PeerCase {
    /// `<eco>/<case>: <test name>`
    pub label: String,
    pub file: PathBuf,
    pub want_err: bool,
    pub packages: BTreeSet<(String, String)>,
    /// (name, version) → development-only, where the peer says.
    pub dev: std::collections::BTreeMap<(String, String), bool>,
}

/// All cases of `shared/data/lockfiles/<eco>/<case>/expected.json` (both the scalibr shape
/// `{ "<test file>": [case…] }` and the trivy shape `[case…]`).
pub fn peer_cases(eco: &str) -> Vec<PeerCase> {
    let mut out = Vec::new();
    let dir = shared_lockfiles().join(eco);
    let mut cases: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap_or_else(|e| panic!("{dir:?}: {e}"))
        .map(|e| e.expect("entry").path())
        .collect();
    cases.sort();
    for case in cases {
        let expected = case.join("expected.json");
        let Ok(text) = std::fs::read_to_string(&expected) else {
            continue;
        };
        let v: Value = serde_json::from_str(&text).expect("expected.json");
        let lists: Vec<&Value> = match &v {
            Value::Array(_) => vec![&v],
            Value::Object(m) => m.values().collect(),
            _ => Vec::new(),
        };
        for list in lists {
            for c in list.as_array().into_iter().flatten() {
                let Some(path) = c["path"].as_str() else {
                    continue;
                };
                let mut dev = std::collections::BTreeMap::new();
                for p in c["packages"].as_array().into_iter().flatten() {
                    let key = (
                        p["name"].as_str().unwrap_or_default().to_string(),
                        p["version"].as_str().unwrap_or_default().to_string(),
                    );
                    // trivy's `dev` says both ways; scalibr's groups only when they
                    // name `dev` without `optional` (an empty list may mean "not
                    // tracked", and dev+optional is ambiguous across npm versions).
                    let flag = match (&p["dev"], &p["dep_groups"]) {
                        (Value::Bool(b), _) => Some(*b),
                        (_, Value::Array(g)) => {
                            let has = |x: &str| g.iter().any(|v| v == x);
                            (has("dev") && !has("optional")).then_some(true)
                        }
                        _ => None,
                    };
                    if let Some(f) = flag {
                        // The same package listed twice with different flags: either.
                        dev.entry(key)
                            .and_modify(|d: &mut bool| *d &= f)
                            .or_insert(f);
                    }
                }
                let packages = c["packages"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .map(|p| {
                        (
                            p["name"].as_str().unwrap_or_default().to_string(),
                            p["version"].as_str().unwrap_or_default().to_string(),
                        )
                    })
                    .collect();
                out.push(PeerCase {
                    label: format!(
                        "{eco}/{}: {} ({path})",
                        case.file_name().and_then(|n| n.to_str()).unwrap_or(""),
                        c["name"].as_str().unwrap_or("")
                    ),
                    file: case.join(path),
                    want_err: c["want_err"].as_bool().unwrap_or(false),
                    packages,
                    dev,
                });
            }
        }
    }
    out
}

/// (name, version) of the components, and separately of the root.
/// (name, version) pairs.
pub type Pairs = BTreeSet<(String, String)>;

pub fn names(s: &Subject) -> (Pairs, Option<(String, String)>) {
    let comps = s
        .components
        .iter()
        .map(|c| (c.name.clone(), c.version.clone()))
        .collect();
    let root = s.root.as_ref().map(|r| (r.name.clone(), r.version.clone()));
    (comps, root)
}

/// Parse a peer fixture as if it had its conventional file name (`as_name`), or by its
/// own name when `None`.
pub fn parse_as(file: &Path, as_name: Option<&str>) -> Result<Option<Subject>, ParseError> {
    let bytes = std::fs::read(file).unwrap_or_else(|e| panic!("{file:?}: {e}"));
    let name = as_name.map(str::to_string).unwrap_or_else(|| {
        file.file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .to_string()
    });
    annex_inventory::parse::parse_file(&name, &bytes)
}

/// The outcome of comparing one case.
pub enum Outcome {
    Agree,
    Disagree(String),
}

/// Compare: an expected error must be an error; else the expected set must equal our
/// components, with or without our root (peers differ on listing the project itself).
/// `norm` maps a (name, version) before comparing (e.g. Go's `v` prefix).
pub fn compare(
    case: &PeerCase,
    got: Result<Option<Subject>, ParseError>,
    norm: &dyn Fn((String, String)) -> (String, String),
) -> Outcome {
    match (case.want_err, got) {
        (true, Err(_)) => Outcome::Agree,
        (true, Ok(s)) => Outcome::Disagree(format!(
            "peer expects an error, we read {} components",
            s.map_or(0, |s| s.components.len())
        )),
        (false, Err(e)) => {
            if case.packages.is_empty() {
                Outcome::Disagree(format!("peer reads no packages, we fail: {e}"))
            } else {
                Outcome::Disagree(format!("we fail: {e}"))
            }
        }
        (false, Ok(None)) => Outcome::Disagree("not parsed (None)".to_string()),
        (false, Ok(Some(s))) => {
            let (comps, root) = names(&s);
            let want: BTreeSet<_> = case.packages.iter().cloned().map(norm).collect();
            let ours: BTreeSet<_> = comps.into_iter().map(norm).collect();
            let with_root: BTreeSet<_> = ours.iter().cloned().chain(root.map(norm)).collect();
            if want == ours || want == with_root {
                // Where the peer says which packages are development-only, so do we.
                let mut wrong = Vec::new();
                for c in &s.components {
                    let key = norm((c.name.clone(), c.version.clone()));
                    let peer = case
                        .dev
                        .iter()
                        .find(|(k, _)| norm((*k).clone()) == key)
                        .map(|(_, d)| *d);
                    if let Some(d) = peer
                        && d != (c.scope == annex_inventory::Scope::Dev)
                    {
                        wrong.push(format!("{} {} ({:?})", c.name, c.version, c.scope));
                    }
                }
                if wrong.is_empty() {
                    Outcome::Agree
                } else {
                    Outcome::Disagree(format!("dev scope differs: {wrong:?}"))
                }
            } else {
                let missing: Vec<_> = want.difference(&with_root).collect();
                let extra: Vec<_> = ours.difference(&want).collect();
                Outcome::Disagree(format!("missing {missing:?}; extra {extra:?}"))
            }
        }
    }
}

/// Run every peer case of `eco`; `known` lists (label substring, reason) of accepted
/// disagreements. Panics on any other disagreement, and on a known one that now agrees.
pub fn check_peer(
    eco: &str,
    parse: &dyn Fn(&Path) -> Result<Option<Subject>, ParseError>,
    norm: &dyn Fn((String, String)) -> (String, String),
    known: &[(&str, &str)],
) -> (usize, usize) {
    let cases = peer_cases(eco);
    assert!(!cases.is_empty(), "no peer cases for {eco}");
    let mut agree = 0;
    let mut failures = Vec::new();
    for case in &cases {
        let got = parse(&case.file);
        let known_reason = known
            .iter()
            .find(|(k, _)| case.label.contains(k))
            .map(|(_, r)| *r);
        match (compare(case, got, norm), known_reason) {
            (Outcome::Agree, None) => agree += 1,
            (Outcome::Agree, Some(_)) => failures.push(format!(
                "{}: listed as a known disagreement but agrees",
                case.label
            )),
            (Outcome::Disagree(why), Some(reason)) => {
                eprintln!("known disagreement {}: {why} — {reason}", case.label);
            }
            (Outcome::Disagree(why), None) => failures.push(format!("{}: {why}", case.label)),
        }
    }
    eprintln!("{eco}: {agree}/{} peer cases agree", cases.len());
    assert!(failures.is_empty(), "{}", failures.join("\n"));
    (agree, cases.len())
}

pub fn identity(p: (String, String)) -> (String, String) {
    p
}
