//! CycloneDX JSON reader, and the component → package rule the XML reader shares.

use annex_inventory::Scope;
use serde::Deserialize;

use super::model::{ReadError, SbomDocument, SbomFormat, SbomPackage, package};
use crate::graph::scope_from_name;

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct CdxDoc {
    spec_version: Option<String>,
    metadata: Option<CdxMeta>,
    #[serde(default)]
    components: Vec<CdxComp>,
}

#[derive(Deserialize)]
struct CdxMeta {
    component: Option<CdxComp>,
}

#[derive(Deserialize)]
struct CdxComp {
    #[serde(rename = "bom-ref")]
    bom_ref: Option<String>,
    group: Option<String>,
    name: Option<String>,
    version: Option<String>,
    purl: Option<String>,
    scope: Option<String>,
    #[serde(default)]
    properties: Vec<CdxProp>,
    #[serde(default)]
    components: Vec<CdxComp>,
}

#[derive(Deserialize)]
struct CdxProp {
    name: Option<String>,
    value: Option<String>,
}

pub(super) fn read_cyclonedx(bytes: &[u8]) -> Result<SbomDocument, ReadError> {
    let doc: CdxDoc = serde_json::from_slice(bytes)?;
    let version = doc.spec_version.unwrap_or_default();
    if !version.is_empty() && !version.starts_with("1.") {
        return Err(ReadError::UnsupportedVersion {
            format: "CycloneDX".into(),
            version,
        });
    }
    let mut roots = Vec::new();
    let mut packages = Vec::new();
    if let Some(c) = doc.metadata.and_then(|m| m.component) {
        roots.push(cdx_package(&c));
        for s in c.components {
            flatten(s, &mut packages);
        }
    }
    for c in doc.components {
        flatten(c, &mut packages);
    }
    Ok(SbomDocument {
        format: SbomFormat::CycloneDx,
        spec_version: version,
        roots,
        packages,
    })
}

fn flatten(c: CdxComp, out: &mut Vec<SbomPackage>) {
    out.push(cdx_package(&c));
    for s in c.components {
        flatten(s, out);
    }
}

fn cdx_package(c: &CdxComp) -> SbomPackage {
    let props: Vec<(&str, &str)> = c
        .properties
        .iter()
        .filter_map(|p| Some((p.name.as_deref()?, p.value.as_deref()?)))
        .collect();
    cdx_to_package(
        c.bom_ref.clone(),
        c.group.as_deref(),
        c.name.as_deref(),
        c.version.clone(),
        c.purl.clone(),
        c.scope.as_deref(),
        &props,
    )
}

/// A CycloneDX component (JSON or XML) as a package.
pub(super) fn cdx_to_package(
    bom_ref: Option<String>,
    group: Option<&str>,
    name: Option<&str>,
    version: Option<String>,
    purl_s: Option<String>,
    cdx_scope: Option<&str>,
    props: &[(&str, &str)],
) -> SbomPackage {
    let prop = |n: &str| props.iter().find(|(k, _)| *k == n).map(|(_, v)| *v);
    let scope = prop("annex:scope")
        .and_then(scope_from_name)
        .or_else(|| (prop("cdx:npm:package:development") == Some("true")).then_some(Scope::Dev))
        .unwrap_or(match cdx_scope.map(str::trim) {
            Some("optional") => Scope::Optional,
            Some("excluded") => Scope::Dev,
            _ => Scope::Required,
        });
    let name = name.unwrap_or_default();
    let doc_name = match group.filter(|g| !g.is_empty()) {
        Some(g) => format!("{g}/{name}"),
        None => name.to_string(),
    };
    package(bom_ref, doc_name, version, purl_s, scope)
}
