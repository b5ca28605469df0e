//! The purl builder and parser against the purl-spec test suites
//! (`shared/data/schemas/purl-spec`: `tests/spec`, `tests/types/*`, and the legacy
//! `test-suite-data.legacy.json`).

use std::collections::BTreeMap;
use std::path::PathBuf;

use annex_types::purl::{ParsedPurl, build_purl, parse_purl};
use serde_json::Value;

fn suite() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data/schemas/purl-spec")
}

/// The types annex builds purls for.
const OURS: &[&str] = &[
    "cargo", "npm", "golang", "pypi", "maven", "composer", "gem", "nuget", "conan", "generic",
    "vcpkg", "github",
];

/// Cases where the suites contradict each other; we follow the newer, required-group rule.
const KNOWN_CONFLICTS: &[&str] = &[
    // Required parse test expects failure on an upper-case qualifier key, while the maven
    // required parse test `...?type=pom&repositorY_url=...` expects it to be lowercased and
    // accepted (and gem's own recommended roundtrip lowercases `Platform`). Keys are
    // case-insensitive here.
    "parse pkg:gem/jruby-launcher@1.1.2?Platform=java",
];

fn opt(v: &Value) -> Option<String> {
    v.as_str().map(str::to_string)
}

fn components(v: &Value) -> ParsedPurl {
    let mut qualifiers: Vec<(String, String)> = v["qualifiers"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, v)| (k.clone(), v.as_str().unwrap_or_default().to_string()))
                .collect()
        })
        .unwrap_or_default();
    qualifiers.sort();
    ParsedPurl {
        ty: opt(&v["type"]).unwrap_or_default(),
        namespace: opt(&v["namespace"]),
        name: opt(&v["name"]).unwrap_or_default(),
        version: opt(&v["version"]),
        qualifiers,
        subpath: opt(&v["subpath"]),
    }
}

fn qualifier_map(p: &ParsedPurl) -> BTreeMap<String, String> {
    p.qualifiers.iter().cloned().collect()
}

/// Run one test of the new-style suites; `Err(description)` on disagreement.
fn run(t: &Value) -> Result<(), String> {
    let fail = t["expected_failure"].as_bool().unwrap_or(false);
    let kind = t["test_type"].as_str().unwrap_or("");
    let input = &t["input"];
    let label = format!(
        "{kind} {}",
        input
            .as_str()
            .map_or_else(|| input.to_string(), str::to_string)
    );
    match kind {
        "parse" => {
            let got = parse_purl(input.as_str().unwrap_or_default());
            match (fail, got) {
                (true, Ok(p)) => Err(format!("{label}: parsed as {p:?}, expected failure")),
                (true, Err(_)) => Ok(()),
                (false, Err(e)) => Err(format!("{label}: {e}")),
                (false, Ok(p)) => {
                    let want = components(&t["expected_output"]);
                    if (&p.ty, &p.namespace, &p.name, &p.version, &p.subpath)
                        == (
                            &want.ty,
                            &want.namespace,
                            &want.name,
                            &want.version,
                            &want.subpath,
                        )
                        && qualifier_map(&p) == qualifier_map(&want)
                    {
                        Ok(())
                    } else {
                        Err(format!("{label}: got {p:?}, want {want:?}"))
                    }
                }
            }
        }
        "build" => {
            let got = build_purl(&components(input));
            match (fail, got) {
                (true, Ok(s)) => Err(format!("{label}: built {s}, expected failure")),
                (true, Err(_)) => Ok(()),
                (false, Err(e)) => Err(format!("{label}: {e}")),
                (false, Ok(s)) => {
                    let want = t["expected_output"].as_str().unwrap_or_default();
                    if s == want {
                        Ok(())
                    } else {
                        Err(format!("{label}: got {s}, want {want}"))
                    }
                }
            }
        }
        "validate" | "roundtrip" => {
            let got = parse_purl(input.as_str().unwrap_or_default()).map(|p| p.to_string());
            match (fail, got) {
                (true, Ok(s)) => Err(format!("{label}: gave {s}, expected failure")),
                (true, Err(_)) => Ok(()),
                (false, Err(e)) => Err(format!("{label}: {e}")),
                (false, Ok(s)) => {
                    let want = t["expected_output"].as_str().unwrap_or_default();
                    if s == want {
                        Ok(())
                    } else {
                        Err(format!("{label}: got {s}, want {want}"))
                    }
                }
            }
        }
        other => Err(format!("unknown test type {other}")),
    }
}

fn load(path: &PathBuf) -> Vec<Value> {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{path:?}: {e}"));
    let v: Value = serde_json::from_str(&text).expect("suite JSON");
    v["tests"].as_array().cloned().unwrap_or_default()
}

#[test]
fn spec_and_type_suites() {
    let mut files = vec![suite().join("tests/spec/specification-test.json")];
    let mut types: Vec<PathBuf> = std::fs::read_dir(suite().join("tests/types"))
        .expect("purl-spec tests/types")
        .map(|e| e.expect("entry").path())
        .collect();
    types.sort();
    files.extend(types);
    let (mut ours_pass, mut ours_total, mut all_pass, mut all_total) = (0, 0, 0, 0);
    let mut ours_fail = Vec::new();
    let mut other_fail = Vec::new();
    for file in &files {
        let stem = file
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or("")
            .trim_end_matches("-test.json")
            .to_string();
        let is_ours = stem == "specification" || OURS.contains(&stem.as_str());
        for t in load(file) {
            all_total += 1;
            if is_ours {
                ours_total += 1;
            }
            match run(&t) {
                Ok(()) => {
                    all_pass += 1;
                    if is_ours {
                        ours_pass += 1;
                    }
                }
                Err(e) if is_ours => {
                    if !KNOWN_CONFLICTS.iter().any(|k| e.starts_with(k)) {
                        ours_fail.push(format!("{stem}: {e}"));
                    }
                }
                Err(e) => other_fail.push(format!("{stem}: {e}")),
            }
        }
    }
    eprintln!("purl-spec: our types {ours_pass}/{ours_total}; all types {all_pass}/{all_total}");
    for f in &other_fail {
        eprintln!("  (other type) {f}");
    }
    assert!(
        ours_fail.is_empty(),
        "failures for the types we use:\n{}",
        ours_fail.join("\n")
    );
    // Keep the other types honest too: no more than a handful of disagreements.
    assert!(other_fail.len() <= 25, "{}", other_fail.join("\n"));
}

/// The legacy suite predates the current encoding rules (it leaves `/` in qualifier values
/// unencoded) and the removal of conan's namespace/channel coupling; for those cases we
/// compare the parsed components only.
#[test]
fn legacy_suite() {
    let text =
        std::fs::read_to_string(suite().join("test-suite-data.legacy.json")).expect("legacy");
    let cases: Vec<Value> = serde_json::from_str(&text).expect("legacy JSON");
    let legacy_only_invalid = [
        // Old conan rule: a namespace requires a channel qualifier and vice versa.
        "pkg:conan/bincrafters/cctz@2.3",
        "pkg:conan/cctz@2.3?channel=stable",
    ];
    let (mut pass, mut total, mut ours_total, mut ours_pass) = (0, 0, 0, 0);
    let mut fails = Vec::new();
    for c in &cases {
        let purl = c["purl"].as_str().unwrap_or_default();
        let ty = c["type"].as_str().unwrap_or("");
        let ours = OURS.contains(&ty);
        total += 1;
        if ours {
            ours_total += 1;
        }
        let invalid = c["is_invalid"].as_bool().unwrap_or(false);
        let ok = match parse_purl(purl) {
            Err(_) => invalid,
            Ok(_) if invalid => legacy_only_invalid.contains(&purl),
            Ok(p) => {
                let want = components(c);
                let canonical = c["canonical_purl"].as_str().unwrap_or_default();
                let got = p.to_string();
                qualifier_map(&p) == qualifier_map(&want)
                    && (p.ty, p.namespace, p.name, p.version)
                        == (want.ty, want.namespace, want.name, want.version)
                    && (got == canonical || got.replace("%2F", "/") == canonical)
            }
        };
        if ok {
            pass += 1;
            if ours {
                ours_pass += 1;
            }
        } else {
            fails.push(format!("{ty}: {purl}"));
        }
    }
    eprintln!("legacy suite: our types {ours_pass}/{ours_total}; all {pass}/{total}");
    for f in &fails {
        eprintln!("  {f}");
    }
    assert_eq!(ours_pass, ours_total, "{}", fails.join("\n"));
}
