//! The official OSPS Baseline files load unchanged, in both layouts.
use annex_spec::{Document, Lifecycle, import_paths};
use std::collections::BTreeMap;

const RELEASE: &str = "../../../shared/data/osps-baseline/v2026.02.19";
const MAIN: &str = "../../../shared/data/osps-baseline/main";

fn catalog(dir: &str) -> annex_spec::Catalog {
    let imported = import_paths(&[dir]).expect("official files load");
    // The release's metadata.yaml has a mis-indented `mapping-references` entry upstream.
    for w in &imported.warnings {
        assert!(w.to_string().contains("mapping-references"), "{w}");
    }
    let mut cats: Vec<_> = imported
        .documents
        .into_iter()
        .filter_map(|d| match d {
            Document::Catalog(c) => Some(c),
            _ => None,
        })
        .collect();
    assert_eq!(cats.len(), 1, "one catalog from {dir}");
    cats.remove(0)
}

/// Requirement id → applicability, read straight from the YAML text (independent of our loader).
fn raw_applicability(dir: &str) -> BTreeMap<String, Vec<String>> {
    let mut out = BTreeMap::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        let name = path.file_name().unwrap().to_string_lossy().to_string();
        if !name.starts_with("OSPS-") {
            continue;
        }
        let text = std::fs::read_to_string(&path).unwrap();
        let mut current: Option<String> = None;
        let mut in_app = false;
        for line in text.lines() {
            let t = line.trim();
            if let Some(id) = t.strip_prefix("- id: ")
                && line.starts_with("      - id: OSPS")
            {
                current = Some(id.trim().to_string());
                out.insert(id.trim().to_string(), Vec::new());
                in_app = false;
            } else if t == "applicability:" {
                in_app = true;
            } else if in_app && t.starts_with("- ") {
                let v = t[2..].trim().to_string();
                let v = match v.strip_prefix("Maturity Level ") {
                    Some(n) => format!("maturity-{n}"),
                    None => v,
                };
                if v != "retired" {
                    out.get_mut(current.as_ref().unwrap()).unwrap().push(v);
                }
            } else if in_app {
                in_app = false;
            }
        }
    }
    out
}

fn check(dir: &str) {
    let cat = catalog(dir);
    assert_eq!(cat.metadata.id, "osps-baseline");
    let reqs: Vec<_> = cat.requirements().collect();
    assert_eq!(reqs.len(), 65);
    let active = reqs
        .iter()
        .filter(|(_, r)| r.state == Lifecycle::Active)
        .count();
    assert_eq!(active, 64);
    let (_, retired) = cat.requirement("OSPS-BR-01.02").unwrap();
    assert_eq!(retired.state, Lifecycle::Retired);
    let raw = raw_applicability(dir);
    assert_eq!(raw.len(), 65);
    for (_, r) in &reqs {
        assert_eq!(
            r.applicability, raw[&r.id.value],
            "applicability of {} preserved",
            r.id.value
        );
    }
    // Levels are sets: BR-07.01 belongs to maturity-1 only.
    assert_eq!(
        cat.requirement("OSPS-BR-07.01").unwrap().1.applicability,
        vec!["maturity-1"]
    );
    // Every control has a group, every group id exists, guideline mappings kept.
    for c in &cat.controls {
        assert!(cat.group(&c.group).is_some(), "group of {}", c.id.value);
    }
    assert_eq!(cat.groups.len(), 8);
    let ac01 = cat
        .controls
        .iter()
        .find(|c| c.id.value == "OSPS-AC-01")
        .unwrap();
    let cra = ac01
        .guidelines
        .iter()
        .find(|g| g.reference_id == "CRA")
        .unwrap();
    let ids: Vec<_> = cra
        .entries
        .iter()
        .map(|e| e.reference_id.as_str())
        .collect();
    assert_eq!(ids, ["1.2d", "1.2e", "1.2f"]);
    assert_eq!(cat.metadata.applicability_groups.len(), 3);
}

#[test]
fn release_layout_loads() {
    check(RELEASE);
    assert_eq!(catalog(RELEASE).metadata.version, "v2026.02.19");
}

#[test]
fn gemara_v1_layout_loads() {
    check(MAIN);
}

/// Issue 10, OSPS mapping: the release's own CRA links ship unchanged as `osps-cra-official`
/// (every control's `guideline-mappings` CRA entry, read here from the release through our
/// loader's model of it), and annex's `osps-cra` states a reason for each link it leaves out.
#[test]
fn official_cra_mapping_ships_unchanged_and_annex_states_each_difference() {
    let release = catalog(RELEASE);
    let mut published: Vec<(String, String)> = Vec::new();
    for c in &release.controls {
        for g in c.guidelines.iter().filter(|g| g.reference_id == "CRA") {
            for e in &g.entries {
                published.push((c.id.value.clone(), format!("CRA-AI-{}", e.reference_id)));
            }
        }
    }
    published.sort();
    assert_eq!(published.len(), 107);
    let lib = annex_spec::Library::builtin().unwrap();
    let official = lib
        .mapping_sets
        .iter()
        .find(|s| s.metadata.id == "osps-cra-official")
        .expect("osps-cra-official is built in");
    let mut shipped: Vec<(String, String)> = official
        .mappings
        .iter()
        .map(|m| (m.source.value.clone(), m.target.value.clone()))
        .collect();
    shipped.sort();
    assert_eq!(shipped, published);

    let diff = annex_spec::compare::mapping_diff(&lib, "osps-cra-official", "osps-cra").unwrap();
    assert_eq!(
        (diff.kept.len(), diff.dropped.len(), diff.added.len()),
        (30, 77, 65)
    );
    for l in &diff.dropped {
        assert_ne!(l.note, annex_spec::compare::NO_REASON, "{l:?}");
    }
    for l in &diff.added {
        assert!(!l.note.is_empty(), "{l:?}");
    }
}
