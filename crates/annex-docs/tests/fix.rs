//! `annex fix`: the generators cover every `generator:` the rule packs name, and a plan
//! picks the ones failed results ask for.
mod common;

use annex_docs::{DocsError, Inputs, fix};
use common::*;

#[test]
fn every_generator_named_by_rules_exists() {
    let lib = annex_spec::Library::builtin().unwrap();
    let mut named: Vec<String> = lib
        .rule_packs
        .iter()
        .flat_map(|p| p.rules.iter().filter_map(|r| r.generator.clone()))
        .collect();
    for p in lib.profiles.values() {
        let v = serde_json::to_value(p).unwrap();
        collect_generators(&v, &mut named);
    }
    named.sort();
    named.dedup();
    assert!(named.contains(&"security-md".to_string()));
    for g in &named {
        assert!(
            fix::generators().contains(&g.as_str()),
            "rules name generator `{g}` that annex-docs lacks"
        );
    }
}

fn collect_generators(v: &serde_json::Value, out: &mut Vec<String>) {
    match v {
        serde_json::Value::Object(o) => {
            for (k, x) in o {
                if k == "generator" {
                    if let Some(s) = x.as_str() {
                        out.push(s.to_string());
                    }
                } else {
                    collect_generators(x, out);
                }
            }
        }
        serde_json::Value::Array(a) => a.iter().for_each(|x| collect_generators(x, out)),
        _ => {}
    }
}

#[test]
fn generate_writes_the_named_file() {
    let m = manufacturer();
    let inputs = Inputs::new(&m, today()).with_params(params());
    let files: Vec<String> = fix::generators()
        .iter()
        .map(|g| fix::generate(g, &inputs).unwrap().file_name)
        .collect();
    assert_eq!(
        files,
        ["SECURITY.md", ".well-known/security.txt", "CONTRIBUTING.md"]
    );
    let e = fix::generate("governance", &inputs).unwrap_err();
    assert!(matches!(e, DocsError::UnknownGenerator { .. }));
    assert_eq!(
        e.to_string(),
        "unknown generator `governance`; known: security-md, security-txt, contributing"
    );
}

#[test]
fn plan_follows_failed_results() {
    let a = assessment();
    let (plan, unknown) = fix::plan(&a, &[]);
    assert!(unknown.is_empty());
    // OSPS-VM-02.01 passed, so SECURITY.md is not planned; CONTRIBUTING.md is.
    assert_eq!(plan.len(), 1);
    assert_eq!(plan[0].generator, "contributing");
    assert_eq!(plan[0].file_name, "CONTRIBUTING.md");
    assert_eq!(plan[0].requirements, vec!["OSPS-GV-03.01"]);
    let (only, _) = fix::plan(&a, &["security-md".to_string()]);
    assert!(only.is_empty());
}
