//! SPDX 2.x JSON reader.

use std::collections::{BTreeSet, HashMap};

use annex_inventory::Scope;
use serde::Deserialize;

use super::model::{ReadError, SbomDocument, SbomFormat, combine, package};
use crate::graph::scope_from_name;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spdx2Doc {
    spdx_version: Option<String>,
    #[serde(default)]
    document_describes: Vec<String>,
    #[serde(default)]
    packages: Vec<Spdx2Pkg>,
    #[serde(default)]
    relationships: Vec<Spdx2Rel>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spdx2Pkg {
    #[serde(rename = "SPDXID")]
    spdx_id: Option<String>,
    name: Option<String>,
    version_info: Option<String>,
    #[serde(default)]
    external_refs: Vec<Spdx2Ref>,
    #[serde(default)]
    annotations: Vec<Spdx2Annotation>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spdx2Ref {
    reference_category: Option<String>,
    reference_type: Option<String>,
    reference_locator: Option<String>,
}

#[derive(Deserialize)]
struct Spdx2Annotation {
    comment: Option<String>,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct Spdx2Rel {
    spdx_element_id: Option<String>,
    relationship_type: Option<String>,
    related_spdx_element: Option<String>,
}

pub(super) fn read_spdx2(bytes: &[u8]) -> Result<SbomDocument, ReadError> {
    let doc: Spdx2Doc = serde_json::from_slice(bytes)?;
    let version = doc.spdx_version.unwrap_or_default();
    if !version.starts_with("SPDX-2.") {
        return Err(ReadError::UnsupportedVersion {
            format: "SPDX".into(),
            version,
        });
    }
    let mut described: BTreeSet<String> = doc.document_describes.into_iter().collect();
    let mut edge_scopes: HashMap<String, BTreeSet<Scope>> = HashMap::new();
    for r in &doc.relationships {
        let (Some(a), Some(t), Some(b)) = (
            r.spdx_element_id.as_deref(),
            r.relationship_type.as_deref(),
            r.related_spdx_element.as_deref(),
        ) else {
            continue;
        };
        let t = t.to_ascii_uppercase();
        if t == "DESCRIBES" && a == "SPDXRef-DOCUMENT" {
            described.insert(b.to_string());
            continue;
        }
        if t == "DESCRIBED_BY" && b == "SPDXRef-DOCUMENT" {
            described.insert(a.to_string());
            continue;
        }
        let (target, scope) = match t.as_str() {
            "DEPENDS_ON" | "CONTAINS" | "HAS_PREREQUISITE" | "STATIC_LINK" | "DYNAMIC_LINK" => {
                (b, Scope::Required)
            }
            "DEPENDENCY_OF"
            | "RUNTIME_DEPENDENCY_OF"
            | "CONTAINED_BY"
            | "PROVIDED_DEPENDENCY_OF"
            | "PREREQUISITE_FOR" => (a, Scope::Required),
            "DEV_DEPENDENCY_OF" | "DEV_TOOL_OF" | "TEST_DEPENDENCY_OF" | "TEST_TOOL_OF" => {
                (a, Scope::Dev)
            }
            "BUILD_DEPENDENCY_OF" | "BUILD_TOOL_OF" => (a, Scope::Build),
            "OPTIONAL_DEPENDENCY_OF" | "OPTIONAL_COMPONENT_OF" => (a, Scope::Optional),
            _ => continue,
        };
        edge_scopes
            .entry(target.to_string())
            .or_default()
            .insert(scope);
    }
    let mut roots = Vec::new();
    let mut packages = Vec::new();
    for p in doc.packages {
        let purl_s = p
            .external_refs
            .iter()
            .find(|r| {
                r.reference_type.as_deref() == Some("purl")
                    && r.reference_category
                        .as_deref()
                        .is_none_or(|c| c.replace('_', "-") == "PACKAGE-MANAGER")
            })
            .and_then(|r| r.reference_locator.clone());
        let annex_scope = p
            .annotations
            .iter()
            .filter_map(|a| a.comment.as_deref())
            .flat_map(str::lines)
            .find_map(|l| l.trim().strip_prefix("annex:scope="))
            .and_then(|s| scope_from_name(s.trim()));
        let id = p.spdx_id.clone();
        let scope = annex_scope.unwrap_or_else(|| {
            id.as_ref()
                .and_then(|i| edge_scopes.get(i))
                .map_or(Scope::Required, combine)
        });
        let pkg = package(
            id.clone(),
            p.name.unwrap_or_default(),
            p.version_info,
            purl_s,
            scope,
        );
        if id.as_ref().is_some_and(|i| described.contains(i)) {
            roots.push(pkg);
        } else {
            packages.push(pkg);
        }
    }
    Ok(SbomDocument {
        format: SbomFormat::Spdx2,
        spec_version: version,
        roots,
        packages,
    })
}
