//! NuGet `packages.lock.json`. No .NET SDK is available here (not in Debian bookworm nor on
//! the reachable registries, and nuget.org is not reachable), so the parser is checked on
//! the peers' lockfiles, which the .NET SDK wrote, and on examples below.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use annex_inventory::parse::{ParseError, dotnet};
use annex_inventory::{Scope, Subject};
use proptest::prelude::*;

fn norm(n: &str) -> String {
    n.to_string()
}

#[test]
fn lock_per_framework_deduplicated() {
    let text = r#"{
  "version": 2,
  "dependencies": {
    "net6.0": {
      "Newtonsoft.Json": {
        "type": "Direct",
        "requested": "[13.0.1, )",
        "resolved": "13.0.1",
        "contentHash": "ppPFpBcvxdsfUonNcvITKqLl3bqxWbDCZIzDWHzjpdAHRFfZe0Dw9HmA0+za13IdyrgJwpkDTDA9fHaxOrt20A==",
        "dependencies": { "System.Memory": "4.5.0" }
      },
      "System.Memory": { "type": "Transitive", "resolved": "4.5.0", "contentHash": "" },
      "MyLib": { "type": "Project", "dependencies": { "Newtonsoft.Json": "[13.0.1, )" } },
      "Central.Pkg": { "type": "CentralTransitive", "requested": "[1.0.0, )", "resolved": "1.0.0" }
    },
    "net8.0": {
      "Newtonsoft.Json": { "type": "Direct", "requested": "[13.0.1, )", "resolved": "13.0.1" },
      "System.Memory": { "type": "Transitive", "resolved": "4.5.5" }
    }
  }
}"#;
    let s = dotnet::packages_lock("src/App/packages.lock.json", text).expect("parses");
    assert_eq!(s.format, "packages.lock.json v2");
    let got: Vec<(&str, &str, bool, u64)> = s
        .components
        .iter()
        .map(|c| {
            (
                c.name.as_str(),
                c.version.as_str(),
                c.direct,
                c.location.line,
            )
        })
        .collect();
    assert_eq!(
        got,
        vec![
            ("Central.Pkg", "1.0.0", false, 14),
            ("Newtonsoft.Json", "13.0.1", true, 5),
            ("System.Memory", "4.5.0", false, 12),
            ("System.Memory", "4.5.5", false, 18),
        ]
    );
    let nj = &s.components[1];
    assert_eq!(nj.purl, "pkg:nuget/Newtonsoft.Json@13.0.1");
    assert_eq!(nj.hashes.len(), 1);
    assert_eq!(nj.hashes[0].alg, "sha512");
    assert!(
        nj.hashes[0]
            .value
            .starts_with("a693c5a4172fc5db1f5289cd72f2132aa2e5ddba"),
        "{}",
        nj.hashes[0].value
    );
    assert!(s.components.iter().all(|c| c.scope == Scope::Required));
    assert_eq!(s.edges.len(), 1, "{:?}", s.edges);
    let e = dotnet::packages_lock(
        "packages.lock.json",
        "{\"version\": 3, \"dependencies\": {}}",
    )
    .unwrap_err();
    assert!(
        matches!(e, ParseError::UnsupportedVersion { line: 1, .. }),
        "{e}"
    );
    let e = dotnet::packages_lock(
        "packages.lock.json",
        "{\"version\": 1,\n \"dependencies\": {\n",
    )
    .unwrap_err();
    assert!(matches!(e, ParseError::Syntax { line: 3, .. }), "{e}");
}

#[test]
fn packages_lock_peers() {
    check(
        "nuget/scalibr-packageslockjson",
        &plain(dotnet::packages_lock),
        &[],
    );
    check("nuget/trivy-nuget-lock", &plain(dotnet::packages_lock), &[]);
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]
    #[test]
    fn never_panics(s in "\\PC{0,300}", at in 0usize..8_000, len in 0usize..64, junk in "\\PC{0,8}") {
        let _ = dotnet::packages_lock("x", &s);
        let real = std::fs::read_to_string(lockfiles().join("nuget/trivy-nuget-lock/testdata/packages_lock_multi.json")).unwrap_or_default();
        let (m, t) = mutate(&real, at, len, &junk);
        let _ = dotnet::packages_lock("x", &m);
        let _ = dotnet::packages_lock("x", &t);
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
