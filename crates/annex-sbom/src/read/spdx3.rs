//! SPDX 3.x JSON-LD reader.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use annex_inventory::Scope;
use serde_json::Value;

use super::model::{ReadError, SbomDocument, SbomFormat, combine, package};
use crate::graph::scope_from_name;

fn strs(v: &Value) -> Vec<&str> {
    match v {
        Value::String(s) => vec![s.as_str()],
        Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
        _ => Vec::new(),
    }
}

fn type_of(v: &Value) -> &str {
    let t = v.get("type").or_else(|| v.get("@type"));
    let t = t.and_then(|t| strs(t).first().copied()).unwrap_or("");
    // Full IRIs: keep the part after the last `/` with its profile prefix.
    match t.rsplit_once("/terms/") {
        Some((_, rest)) => match rest.split_once('/') {
            Some(("Core", n)) => n,
            Some((_, "Package")) => "software_Package",
            Some((_, n)) => n,
            None => rest,
        },
        None => t,
    }
}

fn id_of(v: &Value) -> Option<&str> {
    v.get("spdxId")
        .or_else(|| v.get("@id"))
        .and_then(Value::as_str)
}

pub(super) fn read_spdx3(bytes: &[u8]) -> Result<SbomDocument, ReadError> {
    let doc: Value = serde_json::from_slice(bytes)?;
    let items: Vec<&Value> = match doc.get("@graph") {
        Some(Value::Array(a)) => a.iter().collect(),
        _ => vec![&doc],
    };
    let mut version = String::new();
    let mut roots_ids: BTreeSet<String> = BTreeSet::new();
    let mut doc_roots: BTreeSet<String> = BTreeSet::new();
    let mut edge_scopes: HashMap<String, BTreeSet<Scope>> = HashMap::new();
    let mut pkgs: Vec<&Value> = Vec::new();
    for it in &items {
        match type_of(it) {
            "CreationInfo" => {
                if version.is_empty()
                    && let Some(v) = it.get("specVersion").and_then(Value::as_str)
                {
                    version = v.to_string();
                }
            }
            "software_Sbom" => {
                for r in it.get("rootElement").map(strs).unwrap_or_default() {
                    roots_ids.insert(r.to_string());
                }
            }
            "SpdxDocument" => {
                for r in it.get("rootElement").map(strs).unwrap_or_default() {
                    doc_roots.insert(r.to_string());
                }
            }
            "software_Package" => pkgs.push(it),
            "Relationship" | "LifecycleScopedRelationship" => {
                let rt = it
                    .get("relationshipType")
                    .and_then(Value::as_str)
                    .unwrap_or("");
                let rt = rt.rsplit('/').next().unwrap_or(rt);
                let sc = it.get("scope").and_then(Value::as_str).unwrap_or("");
                let sc = sc.rsplit('/').next().unwrap_or(sc);
                let scope = match (rt, sc) {
                    ("hasOptionalDependency", _) => Scope::Optional,
                    (
                        "dependsOn"
                        | "contains"
                        | "hasStaticLink"
                        | "hasDynamicLink"
                        | "hasProvidedDependency",
                        "development" | "test",
                    ) => Scope::Dev,
                    (
                        "dependsOn"
                        | "contains"
                        | "hasStaticLink"
                        | "hasDynamicLink"
                        | "hasProvidedDependency",
                        "build",
                    ) => Scope::Build,
                    (
                        "dependsOn"
                        | "contains"
                        | "hasStaticLink"
                        | "hasDynamicLink"
                        | "hasProvidedDependency",
                        _,
                    ) => Scope::Required,
                    _ => continue,
                };
                for t in it.get("to").map(strs).unwrap_or_default() {
                    edge_scopes.entry(t.to_string()).or_default().insert(scope);
                }
            }
            _ => {}
        }
        // A nested CreationInfo object (not a blank-node reference).
        if version.is_empty()
            && let Some(ci) = it.get("creationInfo")
            && let Some(v) = ci.get("specVersion").and_then(Value::as_str)
        {
            version = v.to_string();
        }
    }
    if !version.is_empty() && !version.starts_with("3.") {
        return Err(ReadError::UnsupportedVersion {
            format: "SPDX".into(),
            version,
        });
    }
    if roots_ids.is_empty() {
        roots_ids = doc_roots;
    }
    let mut roots = Vec::new();
    let mut packages = Vec::new();
    for p in pkgs {
        let id = id_of(p).map(str::to_string);
        let purl_s = p
            .get("software_packageUrl")
            .and_then(Value::as_str)
            .map(str::to_string)
            .or_else(|| {
                p.get("externalIdentifier")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                    .find(|e| {
                        e.get("externalIdentifierType").and_then(Value::as_str)
                            == Some("packageUrl")
                    })
                    .and_then(|e| e.get("identifier").and_then(Value::as_str))
                    .map(str::to_string)
            });
        let props: BTreeMap<&str, &str> = p
            .get("extension")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|e| e.get("extension_cdxProperty").and_then(Value::as_array))
            .flatten()
            .filter_map(|e| {
                Some((
                    e.get("extension_cdxPropName")?.as_str()?,
                    e.get("extension_cdxPropValue")?.as_str()?,
                ))
            })
            .collect();
        let scope = props
            .get("annex:scope")
            .and_then(|s| scope_from_name(s))
            .unwrap_or_else(|| {
                id.as_ref()
                    .and_then(|i| edge_scopes.get(i))
                    .map_or(Scope::Required, combine)
            });
        let pkg = package(
            id.clone(),
            p.get("name")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string(),
            p.get("software_packageVersion")
                .and_then(Value::as_str)
                .map(str::to_string),
            purl_s,
            scope,
        );
        if id.as_ref().is_some_and(|i| roots_ids.contains(i)) {
            roots.push(pkg);
        } else {
            packages.push(pkg);
        }
    }
    Ok(SbomDocument {
        format: SbomFormat::Spdx3,
        spec_version: version,
        roots,
        packages,
    })
}
