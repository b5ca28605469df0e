//! OSCAL export validates against NIST's OSCAL 1.1.2 JSON schemas and imports back without
//! loss: catalogs (levels, states, anchors, guidelines, typed mappings) and profiles
//! (selection, parameters, annex extensions).
use annex_spec::oscal::{
    ANNEX_NS, catalog_from_oscal, catalog_to_oscal, control_id, profile_from_oscal,
    profile_to_oscal,
};
use annex_spec::*;
use annex_types::BuildTime;
use serde_json::{Value, json};
use serde_saphyr::{Location, Spanned};
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::Command;

const RELEASE: &str = "../../../shared/data/osps-baseline/v2026.02.19";
const TOOL: &str = "../../../shared/tools/validate_doc.py";

/// The OSCAL 1.1.2 schemas write token patterns with `\p{L}`/`\p{N}`, which Python's `re`
/// (used by jsonschema) rejects with "bad escape \p". This shim rewrites those classes for
/// `re` and then runs validate_doc.py unchanged.
const SHIM: &str = r#"
import re, runpy, sys
import jsonschema._keywords as kw
class _Re:
    def __getattr__(self, name):
        return getattr(re, name)
    @staticmethod
    def search(pattern, string, *a, **k):
        pattern = pattern.replace(r"\p{L}", r"[^\W\d_]").replace(r"\p{N}", r"\d")
        return re.search(pattern, string, *a, **k)
kw.re = _Re()
tool = sys.argv[1]
sys.argv = sys.argv[1:]
runpy.run_path(tool, run_name="__main__")
"#;

fn python() -> String {
    std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string())
}

/// Validate files with /work/shared/tools/validate_doc.py; fails the test when the tool or
/// jsonschema is missing (CI installs them).
fn validate(kind: &str, files: &[PathBuf]) {
    let py = python();
    let ready = Command::new(&py)
        .args(["-c", "import jsonschema, referencing"])
        .output();
    match ready {
        Ok(o) if o.status.success() => {}
        _ => panic!(
            "validating OSCAL output needs {py} with jsonschema: \
             pip install 'jsonschema[format-nongpl]>=4.18'"
        ),
    }
    assert!(
        std::path::Path::new(TOOL).is_file(),
        "validator {TOOL} is missing"
    );
    let out = Command::new(&py)
        .arg("-c")
        .arg(SHIM)
        .arg(TOOL)
        .arg(kind)
        .args(files)
        .output()
        .expect("run validate_doc.py");
    assert!(
        out.status.success(),
        "{kind} validation failed:\n{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    let report = String::from_utf8_lossy(&out.stdout);
    eprint!("{report}");
    assert_eq!(
        report.lines().filter(|l| l.starts_with("valid ")).count(),
        files.len(),
        "every file reported valid"
    );
    // Keep the documents for a look when asked to.
    if let Ok(keep) = std::env::var("ANNEX_KEEP_OSCAL") {
        for f in files {
            let _ = std::fs::copy(f, std::path::Path::new(&keep).join(f.file_name().unwrap()));
        }
    }
}

fn write(dir: &tempfile::TempDir, name: &str, doc: &Value) -> PathBuf {
    let path = dir.path().join(name);
    std::fs::write(&path, serde_json::to_string_pretty(doc).unwrap()).unwrap();
    path
}

fn id(s: &str) -> Id {
    Spanned::new(s.to_string(), Location::UNKNOWN, Location::UNKNOWN)
}

fn builtin() -> Option<Library> {
    match Library::builtin() {
        Ok(lib) => Some(lib),
        Err(e) => {
            eprintln!("built-in specifications do not load yet; skipping their part:\n{e}");
            None
        }
    }
}

fn official() -> Catalog {
    let imported = import_paths(&[RELEASE]).expect("official files load");
    imported
        .documents
        .into_iter()
        .find_map(|d| match d {
            Document::Catalog(c) => Some(c),
            _ => None,
        })
        .expect("a catalog from the release")
}

fn v<T: serde::Serialize>(x: &T) -> Value {
    serde_json::to_value(x).unwrap()
}

/// Field-by-field comparison, then the whole catalog (which includes order).
fn assert_same_catalog(a: &Catalog, b: &Catalog) {
    assert_eq!(a.title, b.title);
    assert_eq!(
        v(&a.metadata),
        v(&b.metadata),
        "metadata of {}",
        a.metadata.id
    );
    assert_eq!(v(&a.groups), v(&b.groups), "groups of {}", a.metadata.id);
    assert_eq!(a.controls.len(), b.controls.len());
    for (x, y) in a.controls.iter().zip(&b.controls) {
        assert_eq!(x.id.value, y.id.value);
        assert_eq!(x.title, y.title, "{}", x.id.value);
        assert_eq!(x.objective, y.objective, "{}", x.id.value);
        assert_eq!(x.group, y.group, "{}", x.id.value);
        assert_eq!(x.state, y.state, "{}", x.id.value);
        assert_eq!(v(&x.guidelines), v(&y.guidelines), "{}", x.id.value);
        assert_eq!(
            x.assessment_requirements.len(),
            y.assessment_requirements.len()
        );
        for (r, s) in x
            .assessment_requirements
            .iter()
            .zip(&y.assessment_requirements)
        {
            assert_eq!(r.id.value, s.id.value);
            assert_eq!(r.text, s.text, "{}", r.id.value);
            let mut ra = r.applicability.clone();
            let mut sa = s.applicability.clone();
            ra.sort();
            sa.sort();
            assert_eq!(ra, sa, "applicability set of {}", r.id.value);
            assert_eq!(r.recommendation, s.recommendation, "{}", r.id.value);
            assert_eq!(r.state, s.state, "{}", r.id.value);
            assert_eq!(r.anchor, s.anchor, "{}", r.id.value);
            assert_eq!(r.parameters, s.parameters, "{}", r.id.value);
        }
    }
    assert_eq!(v(a), v(b), "catalog {}", a.metadata.id);
}

type MapKey = (String, String, Relationship, String);

fn mapping_keys(set: &MappingSet, cat: &Catalog) -> Vec<MapKey> {
    let known =
        |s: &str| cat.requirement(s).is_some() || cat.controls.iter().any(|c| c.id.value == s);
    let mut keys: Vec<MapKey> = set
        .mappings
        .iter()
        .filter(|m| known(&m.source.value))
        .map(|m| {
            (
                m.source.value.clone(),
                m.target.value.clone(),
                m.relationship,
                m.rationale.clone(),
            )
        })
        .collect();
    keys.sort();
    keys
}

fn assert_same_mappings(cat: &Catalog, sent: &[&MappingSet], back: &[MappingSet]) {
    let sent: Vec<&&MappingSet> = sent
        .iter()
        .filter(|s| s.metadata.source_catalog == cat.metadata.id)
        .collect();
    assert_eq!(
        sent.len(),
        back.len(),
        "mapping sets of {}",
        cat.metadata.id
    );
    for (s, b) in sent.iter().zip(back) {
        assert_eq!(v(&s.metadata), v(&b.metadata));
        let keys = mapping_keys(s, cat);
        assert_eq!(keys, mapping_keys(b, cat), "mappings of {}", s.metadata.id);
        assert_eq!(keys.len(), b.mappings.len());
    }
}

fn round_trip_catalog(cat: &Catalog, sets: &[&MappingSet]) -> Value {
    let doc = catalog_to_oscal(cat, sets, BuildTime::DEFAULT);
    let text = serde_json::to_string_pretty(&doc).unwrap();
    let (back, back_sets) =
        catalog_from_oscal(&text, "export.json").unwrap_or_else(|e| panic!("{e}"));
    assert_same_catalog(cat, &back);
    assert_same_mappings(cat, sets, &back_sets);
    assert_eq!(back.origin.0, "export.json");
    doc
}

/// The OSCAL control for a requirement or control id, searched through the document.
fn find_control<'a>(doc: &'a Value, token: &str) -> Option<&'a Value> {
    fn walk<'a>(v: &'a Value, token: &str) -> Option<&'a Value> {
        for key in ["groups", "controls"] {
            for item in v.get(key).and_then(Value::as_array).into_iter().flatten() {
                if key == "controls" && item["id"] == token {
                    return Some(item);
                }
                if let Some(found) = walk(item, token) {
                    return Some(found);
                }
            }
        }
        None
    }
    walk(&doc["catalog"], token)
}

fn annex_props<'a>(control: &'a Value, name: &str) -> Vec<&'a str> {
    control["props"]
        .as_array()
        .into_iter()
        .flatten()
        .filter(|p| p["ns"] == ANNEX_NS && p["name"] == name)
        .filter_map(|p| p["value"].as_str())
        .collect()
}

#[test]
fn builtin_catalogs_validate_and_round_trip() {
    let Some(lib) = builtin() else { return };
    let dir = tempfile::tempdir().unwrap();
    let sets: Vec<&MappingSet> = lib.mapping_sets.iter().collect();
    let mut files = Vec::new();
    for name in ["osps", "cra"] {
        let Some(cat) = lib.catalogs.get(name) else {
            eprintln!("built-in catalog {name} missing; skipped");
            continue;
        };
        let doc = round_trip_catalog(cat, &sets);
        files.push(write(&dir, &format!("{name}.oscal.json"), &doc));
        // Levels are sets: a level-1-only requirement says so, and no more.
        if name == "osps" {
            let c = find_control(&doc, "OSPS-BR-07.01").expect("OSPS-BR-07.01 exported");
            assert_eq!(annex_props(c, "applicability"), ["maturity-1"]);
            assert!(
                !annex_props(c, "mapping").is_empty(),
                "OSPS → CRA mappings travel"
            );
            assert_eq!(
                doc["catalog"]["metadata"]["last-modified"],
                "2026-02-19T00:00:00Z"
            );
        }
        if name == "cra" {
            let c = find_control(&doc, "CRA-AI-1.2a").expect("CRA-AI-1.2a exported");
            assert!(annex_props(c, "anchor")[0].starts_with("Regulation (EU) 2024/2847"));
        }
    }
    validate("oscal-1.1.2:catalog", &files);
}

#[test]
fn official_release_validates_and_round_trips() {
    let cat = official();
    // A mapping set with every relationship, rationales with and without text, one on a control.
    let rels = [
        Relationship::Implements,
        Relationship::Supports,
        Relationship::Equivalent,
        Relationship::Subsumes,
        Relationship::RelatesTo,
    ];
    let mappings = cat
        .requirements()
        .take(10)
        .enumerate()
        .map(|(i, (_, r))| Mapping {
            source: r.id.clone(),
            target: id(&format!("CRA-AI-1.2{}", (b'a' + i as u8) as char)),
            relationship: rels[i % rels.len()],
            rationale: if i % 2 == 0 {
                format!("Because {i}.\nSecond line.")
            } else {
                String::new()
            },
        })
        .chain(std::iter::once(Mapping {
            source: cat.controls[0].id.clone(),
            target: id("CRA-AI-2.1"),
            relationship: Relationship::RelatesTo,
            rationale: "control-level".into(),
        }))
        .collect();
    let set = MappingSet {
        metadata: MappingSetMetadata {
            id: "osps-test".into(),
            source_catalog: cat.metadata.id.clone(),
            target_catalog: "cra".into(),
            version: "1".into(),
            description: "test".into(),
        },
        mappings,
        omitted: Vec::new(),
        origin: Origin::default(),
    };
    let unrelated = MappingSet {
        metadata: MappingSetMetadata {
            id: "other".into(),
            source_catalog: "elsewhere".into(),
            target_catalog: "cra".into(),
            ..MappingSetMetadata::default()
        },
        mappings: Vec::new(),
        omitted: Vec::new(),
        origin: Origin::default(),
    };
    assert!(
        cat.controls.iter().any(|c| !c.guidelines.is_empty()),
        "release has guidelines"
    );
    let doc = round_trip_catalog(&cat, &[&set, &unrelated]);
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "release.oscal.json", &doc);
    validate("oscal-1.1.2:catalog", &[file]);
}

/// A catalog with every awkward value: empty and multi-line strings, surrounding spaces,
/// `%` and `pct:`, ids that are not OSCAL tokens, clashing tokens, ungrouped controls.
fn awkward_catalog() -> Catalog {
    let req = |rid: &str| Requirement {
        id: id(rid),
        text: String::new(),
        applicability: Vec::new(),
        recommendation: None,
        state: Lifecycle::Active,
        anchor: None,
        parameters: Vec::new(),
        kind: RequirementKind::Obligation,
    };
    Catalog {
        title: String::new(),
        metadata: CatalogMetadata {
            id: "odd cat".into(),
            kind: CatalogKind::GuidanceCatalog,
            version: String::new(),
            description: "line one\nline two".into(),
            source: "not a url".into(),
            applicability_groups: vec![
                Group {
                    id: "lvl 1".into(),
                    title: String::new(),
                    description: String::new(),
                },
                Group {
                    id: "pct:x".into(),
                    title: " padded ".into(),
                    description: "d".into(),
                },
            ],
        },
        groups: vec![
            Group {
                id: "A".into(),
                title: "Group A".into(),
                description: String::new(),
            },
            Group {
                id: "a".into(),
                title: "group a, same token".into(),
                description: "multi\n\nparagraph".into(),
            },
            Group {
                id: "A".into(),
                title: "duplicate id".into(),
                description: String::new(),
            },
        ],
        controls: vec![
            Control {
                id: id("A-1"),
                title: "Tab\there".into(),
                objective: "  leading spaces kept".into(),
                group: "A".into(),
                guidelines: vec![
                    MultiEntryMapping {
                        reference_id: String::new(),
                        entries: vec![
                            MappingEntry {
                                reference_id: String::new(),
                                remarks: Some(String::new()),
                            },
                            MappingEntry {
                                reference_id: "50% done".into(),
                                remarks: None,
                            },
                        ],
                    },
                    MultiEntryMapping {
                        reference_id: "CRA".into(),
                        entries: Vec::new(),
                    },
                ],
                state: Lifecycle::Deprecated,
                assessment_requirements: vec![
                    Requirement {
                        text: "multi\nline\n".into(),
                        applicability: vec!["lvl 1".into(), "pct:x".into()],
                        recommendation: Some(String::new()),
                        state: Lifecycle::Retired,
                        anchor: Some(" Art. 1\n(a) ".into()),
                        parameters: vec!["days".into(), "2fa mode".into()],
                        // The CRA kind survives the OSCAL round trip.
                        kind: RequirementKind::Informative,
                        ..req("A-1.01")
                    },
                    Requirement {
                        state: Lifecycle::Draft,
                        parameters: vec!["days".into()],
                        ..req("a-1.01")
                    },
                    req("1.2c"),
                ],
            },
            Control {
                id: id("A-1.01"),
                title: "clashes with a requirement id".into(),
                objective: String::new(),
                group: "a".into(),
                guidelines: Vec::new(),
                state: Lifecycle::Active,
                assessment_requirements: vec![req("x y")],
            },
            Control {
                id: id("LOOSE"),
                title: "no group".into(),
                objective: "o".into(),
                group: String::new(),
                guidelines: Vec::new(),
                state: Lifecycle::Active,
                assessment_requirements: Vec::new(),
            },
            Control {
                id: id("STRAY"),
                title: "undefined group".into(),
                objective: String::new(),
                group: "ZZ".into(),
                guidelines: Vec::new(),
                state: Lifecycle::Active,
                assessment_requirements: vec![req("STRAY.1")],
            },
        ],
        origin: Origin::default(),
    }
}

#[test]
fn awkward_values_validate_and_round_trip() {
    let cat = awkward_catalog();
    let set = MappingSet {
        metadata: MappingSetMetadata {
            id: "odd set".into(),
            source_catalog: "odd cat".into(),
            target_catalog: String::new(),
            version: String::new(),
            description: String::new(),
        },
        mappings: vec![
            Mapping {
                source: id("x y"),
                target: id(" spaced target"),
                relationship: Relationship::Subsumes,
                rationale: String::new(),
            },
            Mapping {
                source: id("A-1.01"),
                target: id("T"),
                relationship: Relationship::Equivalent,
                rationale: "r".into(),
            },
        ],
        omitted: Vec::new(),
        origin: Origin::default(),
    };
    let doc = catalog_to_oscal(&cat, &[&set], BuildTime::DEFAULT);
    let text = serde_json::to_string(&doc).unwrap();
    let (back, back_sets) = catalog_from_oscal(&text, "odd.json").unwrap_or_else(|e| panic!("{e}"));
    // A control clashing with a requirement and a group appearing twice are written once each
    // under distinct tokens; the duplicate group keeps its place but no controls.
    assert_same_catalog(&cat, &back);
    // Mappings from "A-1.01" go to both the control and the requirement of that id.
    assert_eq!(back_sets.len(), 1);
    assert_eq!(back_sets[0].mappings.len(), 3);
    let dir = tempfile::tempdir().unwrap();
    let file = write(&dir, "odd.oscal.json", &doc);
    validate("oscal-1.1.2:catalog", &[file]);
}

fn assert_same_profile(p: &Profile, back: &Profile) {
    assert_eq!(p.title, back.title);
    assert_eq!(
        v(&p.metadata),
        v(&back.metadata),
        "metadata of {}",
        p.metadata.id
    );
    assert_eq!(
        v(&p.imports),
        v(&back.imports),
        "imports of {}",
        p.metadata.id
    );
    assert_eq!(
        v(&p.annex),
        v(&back.annex),
        "annex block of {}",
        p.metadata.id
    );
    assert_eq!(v(p), v(back), "profile {}", p.metadata.id);
}

/// Export, import, and check the imported profile resolves to the same selection.
fn round_trip_profile(lib: &Library, pid: &str) -> Value {
    let resolved = resolve(lib, pid, &ResolveOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let profile = &lib.profiles[pid];
    let doc = profile_to_oscal(profile, &resolved, BuildTime::DEFAULT);
    // include-controls lists the resolved selection, per catalog.
    let mut listed: Vec<String> = doc["profile"]["imports"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| {
            i["include-controls"][0]["with-ids"]
                .as_array()
                .cloned()
                .unwrap_or_default()
        })
        .filter_map(|x| x.as_str().map(str::to_string))
        .collect();
    listed.sort();
    listed.dedup();
    let mut expected: Vec<String> = resolved
        .requirements
        .iter()
        .filter(|r| resolved.catalogs.iter().any(|c| c.id == r.catalog))
        .map(|r| control_id(&r.id))
        .collect();
    expected.sort();
    assert_eq!(listed, expected, "with-ids of {pid}");

    let text = serde_json::to_string_pretty(&doc).unwrap();
    let back = profile_from_oscal(&text, "profile.json").unwrap_or_else(|e| panic!("{pid}: {e}"));
    assert_same_profile(profile, &back);
    assert_eq!(back.origin.0, "profile.json");

    let mut lib2 = lib.clone();
    lib2.profiles.insert(pid.to_string(), back);
    let again = resolve(&lib2, pid, &ResolveOptions::default()).unwrap_or_else(|e| panic!("{e}"));
    let ids = |r: &ResolvedProfile| {
        r.requirements
            .iter()
            .map(|x| x.id.clone())
            .collect::<Vec<_>>()
    };
    assert_eq!(ids(&resolved), ids(&again), "selection of {pid}");
    assert_eq!(resolved.parameters, again.parameters, "parameters of {pid}");
    assert_eq!(v(&resolved), v(&again), "resolved {pid}");
    doc
}

#[test]
fn builtin_profiles_validate_and_round_trip() {
    let Some(lib) = builtin() else { return };
    assert!(lib.profiles.contains_key("osps-l2"), "osps-l2 is built in");
    let dir = tempfile::tempdir().unwrap();
    let mut files = Vec::new();
    for pid in lib.profiles.keys() {
        let doc = round_trip_profile(&lib, pid);
        files.push(write(&dir, &format!("{pid}.oscal.json"), &doc));
    }
    // osps-l2: 43 requirements selected from osps, and its parent's import marked inherited.
    let l2 = resolve(&lib, "osps-l2", &ResolveOptions::default()).unwrap();
    let doc = profile_to_oscal(&lib.profiles["osps-l2"], &l2, BuildTime::DEFAULT);
    let with_ids = &doc["profile"]["imports"][0]["include-controls"][0]["with-ids"];
    assert_eq!(with_ids.as_array().unwrap().len(), l2.requirements.len());
    validate("oscal-1.1.2:profile", &files);
}

/// A library from the official release plus a hand-made profile using every profile field.
fn constructed() -> (Library, Profile) {
    let cat = official();
    // Requirements of level 1, so that each one below is selected.
    let reqs: Vec<String> = cat
        .requirements()
        .filter(|(_, r)| {
            r.state == Lifecycle::Active && r.applicability.iter().any(|a| a == "maturity-1")
        })
        .map(|(_, r)| r.id.value.clone())
        .collect();
    let last = cat
        .requirements()
        .filter(|(_, r)| r.state == Lifecycle::Active)
        .last()
        .map(|(_, r)| r.id.value.clone())
        .unwrap();
    let mut lib = Library::default();
    lib.add(Document::Catalog(cat.clone()));
    let parent = Profile {
        title: "parent".into(),
        metadata: ProfileMetadata {
            id: "parent".into(),
            version: "1".into(),
            ..ProfileMetadata::default()
        },
        contacts: Value::Null,
        scope: Value::Null,
        imports: Imports {
            catalogs: vec![CatalogImport {
                reference_id: id(&cat.metadata.id),
                version: None,
                exclusions: Vec::new(),
                constraints: Vec::new(),
                assessment_requirement_modifications: Vec::new(),
            }],
            guidance: Vec::new(),
        },
        adherence: Value::Null,
        annex: ProfileExtension {
            applicability: Some(vec!["maturity-1".into()]),
            parameters: BTreeMap::from([
                ("inherited-only".to_string(), json!(7)),
                ("overridden".to_string(), json!("parent")),
            ]),
            ..ProfileExtension::default()
        },
        origin: Origin::default(),
    };
    lib.add(Document::Profile(Box::new(parent)));
    let child = Profile {
        title: "Constructed profile".into(),
        metadata: ProfileMetadata {
            id: "constructed".into(),
            kind: "Policy".into(),
            version: "2026.03".into(),
            description: "Every field.\nTwo lines.".into(),
            author: Some(Author {
                id: "me".into(),
                name: "Me".into(),
                kind: "Human".into(),
            }),
            source: Some(SourceRef::Many(vec!["https://example.org/policy".into()])),
        },
        contacts: json!({"responsible": [{"name": "Team", "email": "t@example.org"}]}),
        scope: json!({"in": {"technologies": ["x"]}}),
        imports: Imports {
            catalogs: vec![CatalogImport {
                reference_id: id(&cat.metadata.id),
                version: Some(cat.metadata.version.clone()),
                exclusions: vec![id(&reqs[0])],
                constraints: vec![Constraint {
                    id: "c1".into(),
                    target_id: id(&reqs[1]),
                    text: "within 30 days".into(),
                }],
                assessment_requirement_modifications: vec![Modification {
                    id: "m1".into(),
                    target_id: id(&reqs[1]),
                    modification_type: ModificationType::Modify,
                    modification_rationale: "why".into(),
                    text: Some("new text".into()),
                    applicability: None,
                    recommendation: None,
                }],
            }],
            guidance: Vec::new(),
        },
        adherence: Value::Null,
        annex: ProfileExtension {
            extends: Some(id("parent")),
            applicability: Some(vec!["maturity-1".into(), "maturity-2".into()]),
            cra_role: Some(CraRole::Manufacturer),
            product_class: Some(ProductClass::ImportantII),
            // A claim no source states survives the OSCAL round trip.
            assumptions: vec!["cra-role manufacturer: to confirm".into()],
            include: vec![id(&last)],
            parameters: BTreeMap::from([
                ("overridden".to_string(), json!("child")),
                ("flag".to_string(), json!(false)),
                ("days".to_string(), json!(14)),
                ("ratio".to_string(), json!(0.5)),
                ("emails".to_string(), json!(["a@example.org", " b "])),
                ("empty-list".to_string(), json!([])),
                ("nested".to_string(), json!({"k": [1, null]})),
                ("nothing".to_string(), Value::Null),
                ("empty".to_string(), json!("")),
                ("2fa mode".to_string(), json!("strict")),
            ]),
            requirements: vec![AddedRequirement {
                id: id("OWN-01"),
                title: "Own requirement".into(),
                text: "Do the thing.".into(),
                maps: vec![MapTarget {
                    target: id(&reqs[2]),
                    relationship: Relationship::Supports,
                }],
                source: EvidenceSource::Local,
                applies_when: None,
                rule: Some(id("evidence.x == true")),
                review_when: None,
                evidence: vec!["x".into()],
                requires: vec![],
                pass: Some("ok".into()),
                fail: Some("not ok".into()),
                review: None,
                remediation: None,
                generator: None,
            }],
            rules: vec![RuleOverride {
                requirement: id(&reqs[3]),
                source: Some(EvidenceSource::Attestation),
                applies_when: None,
                rule: None,
                review_when: None,
                pass: None,
                fail: None,
                review: None,
                remediation: Some("attest it".into()),
            }],
        },
        origin: Origin::default(),
    };
    lib.add(Document::Profile(Box::new(child.clone())));
    (lib, child)
}

#[test]
fn constructed_profile_validates_and_round_trips() {
    let (lib, _) = constructed();
    let dir = tempfile::tempdir().unwrap();
    let doc = round_trip_profile(&lib, "constructed");
    let parent = round_trip_profile(&lib, "parent");
    let sp = doc["profile"]["modify"]["set-parameters"]
        .as_array()
        .unwrap();
    let inherited: Vec<&Value> = sp.iter().filter(|p| p["class"] == "inherited").collect();
    assert_eq!(
        inherited.len(),
        1,
        "only the parent's own value is marked inherited"
    );
    assert_eq!(inherited[0]["param-id"], "inherited-only");
    let files = vec![
        write(&dir, "constructed.oscal.json", &doc),
        write(&dir, "parent.oscal.json", &parent),
    ];
    validate("oscal-1.1.2:profile", &files);

    // Edge shapes of the declarative fields survive as well.
    let (mut lib, mut p) = constructed();
    p.metadata.source = Some(SourceRef::One("not a url".into()));
    p.metadata.version = String::new();
    p.annex.applicability = Some(Vec::new());
    p.annex.extends = None;
    lib.profiles.insert("constructed".into(), p.clone());
    round_trip_profile(&lib, "constructed");
    p.metadata.source = Some(SourceRef::Many(Vec::new()));
    p.annex.applicability = None;
    lib.profiles.insert("constructed".into(), p);
    round_trip_profile(&lib, "constructed");
}

#[test]
fn exports_are_deterministic() {
    let cat = official();
    let a = serde_json::to_string_pretty(&catalog_to_oscal(&cat, &[], BuildTime::DEFAULT)).unwrap();
    let b = serde_json::to_string_pretty(&catalog_to_oscal(&cat, &[], BuildTime::DEFAULT)).unwrap();
    assert_eq!(a, b);
    // The uuid follows the content.
    let mut changed = cat.clone();
    changed.controls[0].title.push('!');
    let c = catalog_to_oscal(&changed, &[], BuildTime::DEFAULT);
    let a: Value = serde_json::from_str(&a).unwrap();
    assert_ne!(a["catalog"]["uuid"], c["catalog"]["uuid"]);
    assert_eq!(
        a["catalog"]["metadata"]["published"],
        a["catalog"]["metadata"]["last-modified"]
    );

    let (lib, p) = constructed();
    let r = resolve(&lib, "constructed", &ResolveOptions::default()).unwrap();
    let x = serde_json::to_string_pretty(&profile_to_oscal(&p, &r, BuildTime::DEFAULT)).unwrap();
    let y = serde_json::to_string_pretty(&profile_to_oscal(&p, &r, BuildTime::DEFAULT)).unwrap();
    assert_eq!(x, y);
    if let Some(lib) = builtin()
        && let Some(cra) = lib.catalogs.get("cra")
    {
        let sets: Vec<&MappingSet> = lib.mapping_sets.iter().collect();
        assert_eq!(
            serde_json::to_vec(&catalog_to_oscal(cra, &sets, BuildTime::DEFAULT)).unwrap(),
            serde_json::to_vec(&catalog_to_oscal(cra, &sets, BuildTime::DEFAULT)).unwrap()
        );
    }
}

fn expect_parse(err: SpecError, line: u64) -> u64 {
    match err {
        SpecError::Parse { pos, message } => {
            assert_eq!(pos.file, "bad.json");
            assert_eq!(pos.line, line, "{message}");
            pos.col
        }
        other => panic!("expected a parse error, got {other:?}"),
    }
}

fn expect_invalid(err: SpecError, needle: &str) {
    match &err {
        SpecError::Invalid { message, .. } => assert!(message.contains(needle), "{err}"),
        other => panic!("expected an invalid-document error, got {other:?}"),
    }
}

#[test]
fn malformed_input_gives_positioned_errors() {
    let col = expect_parse(
        catalog_from_oscal("{\n  \"catalog\": {\n    \"uuid\": ,\n", "bad.json").unwrap_err(),
        3,
    );
    assert_eq!(col, 13);
    expect_parse(
        profile_from_oscal("{\"profile\": {}} trailing", "bad.json").unwrap_err(),
        1,
    );
    expect_parse(catalog_from_oscal("", "bad.json").unwrap_err(), 1);
    // Deep nesting stops at serde_json's recursion limit, not at the end of the stack.
    let deep = format!("{{\"profile\": {}", "[".repeat(100_000));
    expect_parse(catalog_from_oscal(&deep, "bad.json").unwrap_err(), 1);
    expect_invalid(
        catalog_from_oscal(&"[".repeat(100_000), "bad.json").unwrap_err(),
        "not a valid OSCAL",
    );

    // Wrong shapes: positioned too, as invalid documents.
    let err = catalog_from_oscal("{\"catalog\": {\"groups\": 5}}", "bad.json").unwrap_err();
    match &err {
        SpecError::Invalid { pos, .. } => {
            assert_eq!((pos.line, pos.file.as_str()), (1, "bad.json"))
        }
        other => panic!("{other:?}"),
    }
    expect_invalid(
        catalog_from_oscal("[1]", "bad.json").unwrap_err(),
        "not a valid OSCAL document",
    );
    expect_invalid(
        catalog_from_oscal("{}", "bad.json").unwrap_err(),
        "no top-level `catalog`",
    );
    expect_invalid(
        catalog_from_oscal("{\"profile\": {}}", "bad.json").unwrap_err(),
        "OSCAL profile, not a catalog",
    );
    expect_invalid(
        profile_from_oscal("{\"catalog\": {}}", "bad.json").unwrap_err(),
        "OSCAL catalog, not a profile",
    );
    expect_invalid(
        catalog_from_oscal("{\"catalog\": {\"uuid\": \"x\"}}", "bad.json").unwrap_err(),
        "metadata is missing",
    );
    expect_invalid(
        catalog_from_oscal(
            r#"{"catalog": {"metadata": {"title": "t"}, "controls": [{"title": "no id"}]}}"#,
            "bad.json",
        )
        .unwrap_err(),
        "catalog.controls[0]: control has neither an id nor a label",
    );
    expect_invalid(
        profile_from_oscal(r#"{"profile": {"metadata": {"title": "t"}}}"#, "bad.json").unwrap_err(),
        "imports is missing",
    );
    expect_invalid(
        profile_from_oscal(
            r##"{"profile": {"metadata": {"title": "t"}, "imports": [{"href": "#nope"}]}}"##,
            "bad.json",
        )
        .unwrap_err(),
        "names no back-matter resource",
    );
    let bad_state = format!(
        r#"{{"catalog": {{"metadata": {{"title": "t"}}, "controls": [{{"id": "c", "title": "c",
        "props": [{{"name": "state", "ns": "{ANNEX_NS}", "value": "Gone"}}]}}]}}}}"#
    );
    expect_invalid(
        catalog_from_oscal(&bad_state, "bad.json").unwrap_err(),
        "unknown state `Gone`",
    );
    let bad_map = format!(
        r#"{{"catalog": {{"metadata": {{"title": "t"}}, "controls": [{{"id": "c", "title": "c",
        "props": [{{"name": "mapping", "ns": "{ANNEX_NS}", "value": "T", "class": "implements", "group": "ms-9"}}]}}]}}}}"#
    );
    expect_invalid(
        catalog_from_oscal(&bad_map, "bad.json").unwrap_err(),
        "ms-9",
    );

    // Every truncation and a byte flip of a real export: errors, never a panic.
    let cat = official();
    let text =
        serde_json::to_string_pretty(&catalog_to_oscal(&cat, &[], BuildTime::DEFAULT)).unwrap();
    let (lib, p) = constructed();
    let r = resolve(&lib, "constructed", &ResolveOptions::default()).unwrap();
    let ptext =
        serde_json::to_string_pretty(&profile_to_oscal(&p, &r, BuildTime::DEFAULT)).unwrap();
    for t in [&text, &ptext] {
        let step = (t.len() / 400).max(1);
        for cut in (0..t.len()).step_by(step) {
            let Some(head) = t.get(..cut) else { continue };
            assert!(catalog_from_oscal(head, "cut.json").is_err());
            assert!(profile_from_oscal(head, "cut.json").is_err());
            let mut flipped = t.as_bytes().to_vec();
            flipped[cut] ^= 0x20;
            if let Ok(s) = String::from_utf8(flipped) {
                let _ = catalog_from_oscal(&s, "flip.json");
                let _ = profile_from_oscal(&s, "flip.json");
            }
        }
    }
}

#[test]
fn foreign_nist_style_documents_import() {
    let catalog = json!({"catalog": {
        "uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c724",
        "metadata": {"title": "NIST SP 800-53 Rev 5 (excerpt)", "last-modified": "2024-01-01T00:00:00Z",
                     "version": "5.1.1", "oscal-version": "1.1.2"},
        "groups": [{"id": "ac", "class": "family", "title": "Access Control", "controls": [
            {"id": "ac-1", "class": "SP800-53", "title": "Policy and Procedures",
             "props": [{"name": "label", "value": "AC-1"},
                       {"name": "label", "class": "sp800-53a", "value": "AC-01"}],
             "parts": [{"id": "ac-1_smt", "name": "statement", "prose": "Develop:",
                        "parts": [{"id": "ac-1_smt.a", "name": "item",
                                   "props": [{"name": "label", "value": "a."}], "prose": "a policy"}]},
                       {"id": "ac-1_gdn", "name": "guidance", "prose": "Guidance."}],
             "controls": [{"id": "ac-1.1", "title": "Enhancement",
                           "parts": [{"name": "statement", "prose": "More."}]}]},
            {"id": "ac-2", "title": "Withdrawn", "props": [{"name": "status", "value": "withdrawn"}]}
        ]}]
    }});
    let (cat, sets) = catalog_from_oscal(&catalog.to_string(), "nist.json").unwrap();
    assert!(sets.is_empty());
    assert_eq!(cat.metadata.id, "nist-sp-800-53-rev-5-excerpt");
    assert_eq!(cat.groups[0].id, "ac");
    let c = &cat.controls[0];
    assert_eq!((c.id.value.as_str(), c.group.as_str()), ("AC-1", "ac"));
    assert_eq!(c.objective, "Develop:\na. a policy");
    let ids: Vec<&str> = c
        .assessment_requirements
        .iter()
        .map(|r| r.id.value.as_str())
        .collect();
    assert_eq!(ids, ["AC-1", "ac-1.1"]);
    assert_eq!(
        c.assessment_requirements[0].recommendation.as_deref(),
        Some("Guidance.")
    );
    assert_eq!(cat.controls[1].state, Lifecycle::Retired);

    let profile = json!({"profile": {
        "uuid": "74c8ba1e-5cd4-4ad1-bbfd-d888e2f6c725",
        "metadata": {"title": "Low baseline", "last-modified": "2024-01-01T00:00:00Z",
                     "version": "1", "oscal-version": "1.1.2"},
        "imports": [{"href": "https://example.org/NIST_SP-800-53_rev5_catalog.json",
                     "include-controls": [{"with-ids": ["ac-1", "ac-1.1"]}],
                     "exclude-controls": [{"with-ids": ["ac-2"]}]}],
        "modify": {"set-parameters": [{"param-id": "ac-1_prm_1", "values": ["all staff"]},
                                      {"param-id": "ac-1_prm_2", "values": ["a", "b"]}]}
    }});
    let p = profile_from_oscal(&profile.to_string(), "low.json").unwrap();
    assert_eq!(p.metadata.id, "low-baseline");
    assert_eq!(
        p.imports.catalogs[0].reference_id.value,
        "NIST_SP-800-53_rev5_catalog"
    );
    assert_eq!(p.imports.catalogs[0].exclusions[0].value, "ac-2");
    let inc: Vec<&str> = p.annex.include.iter().map(|i| i.value.as_str()).collect();
    assert_eq!(inc, ["ac-1", "ac-1.1"]);
    assert_eq!(p.annex.parameters["ac-1_prm_1"], json!("all staff"));
    assert_eq!(p.annex.parameters["ac-1_prm_2"], json!(["a", "b"]));
}
